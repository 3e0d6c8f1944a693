"""Crosswire: which reports tell the same story, what happened, who says so, where sources disagree."""
__version__ = "0.1.0"

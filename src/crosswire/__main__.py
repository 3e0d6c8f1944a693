"""`python -m crosswire` is the same as the `crosswire` command."""
from crosswire.cli import main

main()

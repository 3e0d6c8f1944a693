"""JSON shapes of stories and articles, shared by the API and the web pages."""
from __future__ import annotations

from typing import Any

from crosswire.model import Article, Story, iso


def story_summary(story: Story) -> dict[str, Any]:
    return {"id": story.id, "headline": story.headline, "outlets": story.outlets,
            "languages": story.languages, "article_count": len(story.article_ids),
            "first_published": iso(story.first_published), "last_updated": iso(story.last_updated),
            "conflict_count": story.conflict_count}


def article_record(article: Article, story_id: int | None) -> dict[str, Any]:
    return {"id": article.id, "title": article.title, "text": article.text, "outlet": article.outlet,
            "url": article.url, "published": iso(article.published), "lang": article.language,
            "author": article.author, "duplicate_of": article.duplicate_of, "story_id": story_id}

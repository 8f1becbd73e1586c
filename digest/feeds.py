"""The latest stories as feeds: Atom 1.0 (``feedgen``) and JSON Feed 1.1.

Each entry is a story: its page (``/stories/<id>``) as link and id, first published and last
updated times, its sources as authors, and as content the highlights (attributed), the summary
and the sources, as the mail shows them. Scraped text is escaped by the template; the XML is
written by lxml through feedgen, each string first rid of what XML cannot hold (the store keeps
no control characters, but a feed must not fail for everyone over one title).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from feedgen.feed import FeedGenerator

from digest import i18n
from digest.domain import Story
from digest.render import Renderer
from digest.text import xml_safe as _x

__all__ = ["Feed", "atom", "json_feed"]

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@dataclass(frozen=True)
class Feed:
    """What a feed is of: ``stories`` newest first, its ``title``, its own address, the
    site's home page, and where a story's page is (the address followed by the story id)."""

    title: str
    feed_url: str
    home_url: str
    story_url: str
    stories: Sequence[Story]
    description: str = "The latest foreign-affairs stories"


def _content(renderer: Renderer, story: Story, timezone: str) -> str:
    [item] = renderer.story_items([story], timezone)
    return _x(renderer.env.get_template("_feed_item.html").render(item=item))


def atom(feed: Feed, renderer: Renderer, timezone: str = "UTC") -> bytes:
    """The Atom 1.0 document of ``feed``."""
    generator = FeedGenerator()
    generator.id(feed.feed_url)
    generator.title(_x(feed.title))
    generator.subtitle(_x(feed.description))
    generator.link(href=feed.home_url, rel="alternate")
    generator.link(href=feed.feed_url, rel="self")
    generator.language(i18n.language())  # the reader's, with their token; else English
    if feed.stories:
        generator.updated(max(s.updated for s in feed.stories))
    for story in reversed(feed.stories):  # feedgen puts the last added first
        entry = generator.add_entry()
        url = f"{feed.story_url}{story.id}"
        entry.id(url)
        entry.title(_x(story.title))
        entry.link(href=url, rel="alternate")
        entry.published(story.first_published)
        entry.updated(story.updated)
        for name in dict.fromkeys(s.display_name or s.name for s in story.sources):
            entry.author({"name": _x(name)})
        entry.summary(_x(" ".join(str(h) for h in story.highlights) or story.summary or story.title))
        entry.content(_content(renderer, story, timezone), type="html")
    return generator.atom_str(pretty=True)


def json_feed(feed: Feed, renderer: Renderer, timezone: str = "UTC") -> dict[str, Any]:
    """The JSON Feed 1.1 object of ``feed``."""
    return {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": feed.feed_url,
        "description": feed.description,
        "language": i18n.language(),
        "items": [
            {
                "id": f"{feed.story_url}{story.id}",
                "url": f"{feed.story_url}{story.id}",
                "title": story.title,
                "content_html": _content(renderer, story, timezone),
                "summary": " ".join(str(h) for h in story.highlights) or story.summary,
                "date_published": story.first_published.isoformat(),
                "date_modified": story.updated.isoformat(),
                "authors": [{"name": name} for name in
                            dict.fromkeys(s.display_name or s.name for s in story.sources)],
                **({"language": story.language} if story.language else {}),
            }
            for story in feed.stories
        ],
    }

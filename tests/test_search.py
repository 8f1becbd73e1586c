"""Search: the stories whose articles hold the words, through the database's own full-text engine."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from digest.domain import NewArticle
from digest.store import Store
from tests.web_site import Site


def test_search_finds_stories_by_their_articles_words(site: Site) -> None:
    page = site.client.get("/search", params={"q": "ceasefire negotiators"})
    assert page.status_code == 200
    results = page.text.split("<h2>Stories</h2>")[1]
    assert re.search(r'<a href="/stories/s[0-9a-f]{12}">Ceasefire talks resume in Geneva</a>', results)
    assert "[Negotiators]" in results or "[negotiators]" in results.lower()  # the words found
    assert "Doha" not in results
    story = re.search(r'href="(/stories/s[0-9a-f]{12})"', results)
    assert story and site.client.get(story.group(1)).status_code == 200
    none = site.client.get("/search", params={"q": "<script>volcano</script>"})
    assert "Nothing found for “&lt;script&gt;volcano&lt;/script&gt;”" in none.text
    assert '<input id="q" name="q" type="search" value=""' in site.client.get("/search").text


def test_full_text_search_ranks_matches_and_names_their_story(store: Store) -> None:
    from digest.domain import Highlight, Story, StorySource

    when = datetime(2026, 6, 8, 7, 0, tzinfo=UTC)
    texts = [
        ("Ceasefire talks resume in Geneva", "Negotiators returned to Geneva for ceasefire talks."),
        ("Floods in Brazil", "Floods killed twelve people; talks on aid begin."),
        ("Markets", "Geneva's stock exchange closed higher on Monday."),
        ("Élections au Québec", "Les électeurs du Québec ont voté."),
    ]
    ids = store.add_articles([NewArticle(source="wire", url=f"https://example.org/s{n}", title=t,
                                         text=x, published=when) for n, (t, x) in enumerate(texts)])
    first = ids[0]
    assert first is not None
    store.save_stories([Story(id="s-geneva", title=texts[0][0], first_published=when, updated=when,
                              highlights=(Highlight("h"),), summary="", sources=(StorySource(
                                  article_id=first, name="wire", display_name="Wire",
                                  url="https://example.org/s0", title=texts[0][0], published=when,
                                  official=False),))], [first])
    hits = store.search("geneva ceasefire")
    assert [h.article_id for h in hits] == [first]  # every word must match
    assert hits[0].story_id == "s-geneva" and "[" in hits[0].snippet and "]" in hits[0].snippet
    assert store.search("Geneva")[0].title == "Ceasefire talks resume in Geneva"  # title counts more
    assert {h.title for h in store.search("talk")} == {texts[0][0], texts[1][0]}  # stemmed
    assert [h.title for h in store.search("elections quebec")] in ([], [texts[3][0]])  # folded where the engine folds
    assert store.search('"AND OR NOT (') == [] and store.search("  ?! ") == []

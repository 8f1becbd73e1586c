"""Extraction of each bundled page: title, date, text snippets, no boilerplate."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from digest.samples import SAMPLE_SITES, SampleSites
from scraper.extract import extract_article, is_opinion_url
from tests.conftest import run_digest

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

# page, expected title, hours before NOW, snippets in the text, author
PAGES = [
    ("mfa/press/statement-water-treaty.html",
     "Norland and Estmark Sign Treaty on Sharing the Waters of the Silva River", 20,
     ["signed the Silva River Water-Sharing Treaty in Lindholm", "six gauging stations"], None),
    ("mfa/press/transcript-regular-press-conference.html",
     "Foreign Ministry Spokesperson Lena Holm's Regular Press Conference on 1 March 2026", 5,
     ["Lena Holm: The accusations are groundless.", "Reporter: When will the Silva River treaty"], None),
    ("wire/world/karesh-expels-norland-diplomats.html",
     "Karesh expels two Norland diplomats, accusing them of spying", 10,
     ["within 72 hours", "Gulf of Varna"], "Tomas Reyes"),
    ("wire/world/valdoria-earthquake.html",
     "Powerful earthquake kills at least 40 in north-western Valdoria", 12,
     ["magnitude 6.8 earthquake", "national mourning"], "Ana Duarte"),
    ("mfa/press/statement-diplomats-expelled.html",
     "Statement on the Expulsion of Two Norland Diplomats from Karesh", 9,
     ["persona non grata", "Vienna Convention"], None),
    ("mfa/press/statement-valdoria-condolences.html",
     "Norland Sends Rescue Team and Aid to Earthquake-Hit Valdoria", 7,
     ["thirty search-and-rescue specialists"], None),
    ("mfa/press/statement-arctic-fisheries.html",
     "Arctic Fisheries Council Ends Annual Session in Tromvik", 16, ["capelin stocks"], None),
    ("wire/world/norland-estmark-water-treaty.html",
     "Norland and Estmark settle decade-old river dispute with water treaty", 18,
     ["six gauging stations", "a fair deal for the farmers"], "Maria Costa"),
    ("wire/business/central-bank-holds-rates.html",
     "Estmark central bank holds interest rates as inflation eases", 14, ["4.25 percent"],
     "Peter Olsen"),
    ("courier/world/water-treaty-signed.html",
     "Silva River treaty: what Norland and Estmark agreed", 15, ["Half of a small river"],
     "Helen Marsh"),
    ("courier/world/valdoria-quake-aid.html",
     "Powerful earthquake kills at least 40 in north-western Valdoria", 11,
     ["national mourning"], "Globe Wire"),
    ("courier/world/karesh-norland-row.html",
     "Norland summons Karesh envoy as diplomatic row deepens", 8,
     ["tit-for-tat expulsions", "naval base near Dura"], "Samuel Okafor"),
    ("courier/opinion/expulsions-wont-make-karesh-safer.html",
     "Expelling diplomats will not make Karesh any safer", 4,
     ["neither country can win"], "Irene Castell"),
]
BOILERPLATE = ["All rights reserved", "Cookie", "Share:", "Sign up for", "Read more", "Home >",
               "Subscribe", "Contact us", "Reporting by", "Markets today"]


def page(path: str, sites: SampleSites) -> bytes:
    return sites.render((SAMPLE_SITES / path).read_text()).encode()


@pytest.fixture(scope="module")
def fixed_sites() -> SampleSites:
    return SampleSites(now=NOW)  # only its token rendering is used: not started


def test_every_sample_article_page_is_covered() -> None:
    pages = {str(p.relative_to(SAMPLE_SITES)) for p in SAMPLE_SITES.rglob("*.html")}
    listings = {"mfa/press/index.html", "mfa/press/page-2.html"}
    assert pages - listings == {path for path, *_ in PAGES}


@pytest.mark.parametrize(("path", "title", "hours", "snippets", "author"), PAGES)
def test_sample_page(fixed_sites: SampleSites, path: str, title: str, hours: int,
                     snippets: list[str], author: str | None) -> None:
    url = f"{fixed_sites.base_url}/{path}"
    result = extract_article(page(path, fixed_sites), url=url, now=NOW)
    assert result is not None
    assert result.title == title
    assert result.published == NOW - timedelta(hours=hours)
    for snippet in snippets:
        assert snippet in result.text
    for junk in BOILERPLATE:
        assert junk not in result.text, junk
    assert not result.text.startswith(title)  # the headline is not repeated in the body
    assert result.author == author
    assert result.language == "en"
    assert result.is_opinion == ("/opinion/" in path)


def test_content_selector_keeps_only_the_body(fixed_sites: SampleSites) -> None:
    html = page("mfa/press/statement-valdoria-condolences.html", fixed_sites)
    result = extract_article(html, url="http://127.0.0.1/x", content_selector="#news-body", now=NOW)
    assert result is not None
    assert result.text.startswith("Foreign Minister Jonas Brandt expressed his deep condolences")
    assert "Print" not in result.text and "Copyright" not in result.text
    assert result.title == "Norland Sends Rescue Team and Aid to Earthquake-Hit Valdoria"


def test_no_future_dates_and_no_text_pages() -> None:
    html = (b"<html><head><meta property='article:published_time' content='2030-01-01T10:00:00Z'>"
            b"<title>T</title></head><body><article><p>" + b"Words of an article body. " * 20
            + b"</p></article></body></html>")
    result = extract_article(html, url="http://127.0.0.1/a", now=NOW)
    assert result is not None and result.published is None
    assert extract_article(b"<html><body><p>Too short.</p></body></html>", now=NOW) is None


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.org/opinion/2024/07/why-nato", True),
    ("https://example.org/commentary/essay", True),
    ("https://example.org/news/world/editorials-are-dead", False),
    ("https://example.org/world/nato-summit", False),
])
def test_opinion_urls(url: str, expected: bool) -> None:
    assert is_opinion_url(url) is expected


def test_extract_cli_reads_html_and_gzip(tmp_path: Path, fixed_sites: SampleSites) -> None:
    plain = tmp_path / "a.html"
    plain.write_bytes(page("wire/world/valdoria-earthquake.html", fixed_sites))
    packed = tmp_path / "b.html.gz"
    packed.write_bytes(gzip.compress(page("courier/world/karesh-norland-row.html", fixed_sites)))
    result = run_digest("extract", str(plain), str(packed))
    assert result.code == 0, result.err
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert [r["file"] for r in lines] == [str(plain), str(packed)]
    assert set(lines[0]) >= {"file", "url", "title", "text", "published", "author", "language"}
    assert lines[0]["title"] == "Powerful earthquake kills at least 40 in north-western Valdoria"
    assert lines[1]["author"] == "Samuel Okafor"
    assert lines[1]["published"] == (NOW - timedelta(hours=8)).isoformat()

    missing = run_digest("extract", str(tmp_path / "nope.html"))
    assert missing.code == 2 and "cannot read" in missing.err


def test_update_time_from_metadata_and_never_before_publication() -> None:
    body = b"<article><p>" + b"Ministers met again to discuss the water treaty in detail. " * 5 + b"</p></article>"
    html = (b'<html><head><meta property="article:published_time" content="2026-02-28T08:00:00+01:00">'
            b'<script type="application/ld+json">{"@type": "NewsArticle", "dateModified": "2026-02-28T15:30:00Z"}'
            b"</script><title>Treaty talks</title></head><body>" + body + b"</body></html>")
    result = extract_article(html, url="http://127.0.0.1/a", now=NOW)
    assert result is not None
    assert result.published == datetime(2026, 2, 28, 7, 0, tzinfo=UTC)
    assert result.updated == datetime(2026, 2, 28, 15, 30, tzinfo=UTC)
    earlier = html.replace(b"2026-02-28T15:30:00Z", b"2026-02-27T15:30:00Z")
    assert extract_article(earlier, url="http://127.0.0.1/a", now=NOW).updated is None  # type: ignore[union-attr]


def _titled(head: str) -> bytes:
    body = "<article><h1>Ausschuss zur Ahrtal-Flut: Zwei Rücktritte - und viele offene Fragen</h1><p>"
    body += "Der Ausschuss hat heute seine Arbeit abgeschlossen und viele Fragen offen gelassen. " * 5
    return f"<html><head>{head}</head><body>{body}</p></article></body></html>".encode()


@pytest.mark.parametrize(("head", "expected"), [
    # the site's name goes, whether declared (og:site_name) or only in the host name
    ('<meta property="og:title" content="Zwei Rücktritte - und viele offene Fragen | Tagesschau">',
     "Zwei Rücktritte - und viele offene Fragen"),
    ('<meta property="og:title" content="Zwei Rücktritte - und viele offene Fragen - Das Erste">'
     '<meta property="og:site_name" content="Das Erste">',
     "Zwei Rücktritte - und viele offene Fragen"),
    # a trailing part that does not name the site is the headline's own
    ('<meta property="og:title" content="Die Eisheiligen 2024: Wann sie sind - und wie das Wetter wird">',
     "Die Eisheiligen 2024: Wann sie sind - und wie das Wetter wird"),
    # the article's JSON-LD headline comes first, entities decoded; a date suffix goes
    ('<script type="application/ld+json">[{"@type": "BreadcrumbList", "name": "Politik"},'
     '{"@type": "NewsArticle", "headline": "Post-Vac-Syndrom: Was wissen wir? &ndash; 13.06.2023"}]</script>'
     '<meta property="og:title" content="Something else entirely here">',
     "Post-Vac-Syndrom: Was wissen wir?"),
    # a declared title the <title> does not echo, where the <title> is the page's heading, is
    # the site's default for every page: the heading is the article's
    ('<meta property="og:title" content="Nachrichten - Aktuelle Meldungen und Hintergründe">'
     "<title>Ausschuss zur Ahrtal-Flut: Zwei Rücktritte - und viele offene Fragen</title>",
     "Ausschuss zur Ahrtal-Flut: Zwei Rücktritte - und viele offene Fragen"),
    # but where the <title> is no heading of the page's, it is the default, and the declared
    # title stays
    ('<meta property="og:title" content="Zwei Rücktritte im Ausschuss, viele Fragen offen">'
     "<title>Nachrichten - Aktuelle Meldungen und Hintergründe</title>",
     "Zwei Rücktritte im Ausschuss, viele Fragen offen"),
    # only a <title>: its short last part is taken for the site's name
    ("<title>Ausschuss zur Ahrtal-Flut: Zwei Rücktritte - und viele offene Fragen | ARD</title>",
     "Ausschuss zur Ahrtal-Flut: Zwei Rücktritte - und viele offene Fragen"),
    # a declared title's word or two after a bar is a section's name, however many there are
    ('<meta property="og:title" content="Ahrtal-Flut: Zwei Rücktritte im Ausschuss | Inland">',
     "Ahrtal-Flut: Zwei Rücktritte im Ausschuss"),
    ('<meta property="og:title" content="Ahrtal-Flut: Zwei Rücktritte im Ausschuss | Meinung | Die Zeitung">',
     "Ahrtal-Flut: Zwei Rücktritte im Ausschuss"),
    # and a dash does not mark one: "- und viele offene Fragen" is the headline's
    ('<meta property="og:title" content="Ahrtal-Flut: Zwei Rücktritte - offene Fragen">',
     "Ahrtal-Flut: Zwei Rücktritte - offene Fragen"),
])
def test_title_loses_the_site_name_and_nothing_else(head: str, expected: str) -> None:
    result = extract_article(_titled(head), url="http://tagesschau.localhost/inland/ahrtal-100.html", now=NOW)
    assert result is not None
    assert result.title == expected


@pytest.mark.parametrize(("title", "expected"), [
    # Chinese portals join the site's name with "_", and no spaces
    ("人工智能迈上新台阶 电脑已可利用记忆自学_科技_腾讯网", "人工智能迈上新台阶 电脑已可利用记忆自学"),
    ("外交部发言人就中欧关系答记者问 强调合作共赢_网易新闻", "外交部发言人就中欧关系答记者问 强调合作共赢"),
    # a hyphen between characters is the headline's own
    ("外交部发言人主持例行记者会 谈中-欧班列运营情况", "外交部发言人主持例行记者会 谈中-欧班列运营情况"),
])
def test_chinese_title_loses_the_site_name(title: str, expected: str) -> None:
    body = "<article><p>" + "外交部发言人在例行记者会上回答了有关中欧班列和人工智能合作的问题。" * 6 + "</p></article>"
    html = f"<html><head><title>{title}</title></head><body>{body}</body></html>".encode()
    result = extract_article(html, url="http://news.localhost/a/1.html", now=NOW)
    assert result is not None
    assert result.title == expected


@pytest.mark.parametrize("head", [
    '<meta property="article:section" content="Opinion">',
    '<script type="application/ld+json">{"@type": "OpinionNewsArticle", "headline": "Why the treaty fails"}</script>',
    '<script type="application/ld+json">{"@type": "NewsArticle", "articleSection": "Commentary"}</script>',
])
def test_opinion_from_the_page_metadata(head: str) -> None:
    body = "<article><h1>Why the treaty fails</h1><p>" + "The treaty asks too little of either side. " * 8
    html = f"<html><head><title>Why the treaty fails</title>{head}</head><body>{body}</p></article></body></html>"
    result = extract_article(html.encode(), url="https://example.org/world/2026/treaty", now=NOW)
    assert result is not None and result.is_opinion
    plain = extract_article(html.replace(head, "").encode(), url="https://example.org/world/2026/treaty", now=NOW)
    assert plain is not None and not plain.is_opinion


@pytest.mark.parametrize("line", [
    "Like this story? Share it with a friend!",
    "Also on rt.com Journalists threatened with arrest",
    "SEE MORE: Hong Kong protests: 800 students under siege",
    "[Related: Salesforce keynote: AI, integration and protests]",
    "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
    "Associated Press writers Alan Fram and Zeke Miller contributed to this report.",
    "paul.takahashi@chron.com",
    "Plane passengers quarantined after plague outbreak [NEWS]",
])
def test_news_boilerplate_lines_are_dropped(line: str) -> None:
    paragraphs = [f"<p>The council met on Tuesday to discuss the budget for the coming year, part {i}, "
                  "and members argued at length over the cost of new schools and roads.</p>"
                  for i in range(4)]
    paragraphs.insert(2, f"<p>{line}</p>")
    html = f"<html><head><title>Budget</title></head><body><article>{''.join(paragraphs)}</article></body></html>"
    result = extract_article(html.encode(), url="https://news.example/budget", now=NOW)
    assert result is not None
    assert "part 3" in result.text and "part 0" in result.text
    assert line not in result.text


@pytest.mark.parametrize(("byline", "author"), [
    ('<span class="byline">Jane Doe</span>', "Jane Doe"),
    ('<a rel="author" href="/staff/jd">Jane Doe</a>', "Jane Doe"),
    ('<div class="article__author-name">Jane Doe</div>', "Jane Doe"),
    ('<p class="meta" itemprop="author">Jane Doe</p>', "Jane Doe"),
    ('<div data-component="Byline">Jane Doe</div>', "Jane Doe"),
    # a date inside the byline is left out, the text after it kept
    ('<span class="byline"><time>12 May</time>Jane Doe</span>', "Jane Doe"),
    # a byline inside comments, a sidebar or a figure is not the article's
    ('<div class="comments"><span class="author">Troll Account</span></div>', None),
    ('<aside><div class="sidebar"><span class="byline">Someone Else</span></div></aside>', None),
    ('<figure><span class="author">Photo Agency</span></figure>', None),
    ('<span class="writer">' + "x" * 130 + "</span>", None),  # too long to be a name
])
def test_byline_author_found_as_trafilatura_finds_it(byline: str, author: str | None) -> None:
    from trafilatura.metadata import extract_author
    from trafilatura.utils import load_html

    from scraper.extract.metadata import byline_author as _byline_author

    html = (f"<html><head><title>Budget</title></head><body><article>{byline}"
            "<p>The council met on Tuesday to discuss the budget.</p></article></body></html>")
    assert _byline_author(load_html(html)) == author
    assert extract_author(load_html(html)) == author  # the search it stands in for


def _with_jsonld(block: str) -> bytes:
    body = "<article><h1>Ministers agree water treaty</h1><p>" + "Ministers met to agree the treaty. " * 8
    return (f'<html><head><title>Ministers agree water treaty</title><script type="application/ld+json">'
            f"{block}</script></head><body>{body}</p></article></body></html>").encode()


def test_jsonld_read_as_written() -> None:
    # trafilatura decodes entities in the whole block before parsing it, which turns &quot; into
    # a bare quote and the block into invalid JSON; a raw tab in a string is not strict JSON
    block = ('{"@context": "https://schema.org", "@type": "NewsArticle", "url": "https:\\/\\/example.org\\/a",'
             ' "headline": "Ministers agree &quot;historic&quot; water treaty",'
             ' "description": "Tab\there", "datePublished": "2026-02-28T08:30:00Z",'
             ' "publisher": {"@type": "Organization", "name": "Example &amp; Co"},'
             ' "author": {"@type": "Person", "name": "Jane Doe"}}')
    result = extract_article(_with_jsonld(block), url="https://example.org/a", now=NOW)
    assert result is not None
    assert result.published == datetime(2026, 2, 28, 8, 30, tzinfo=UTC)
    assert result.title == 'Ministers agree "historic" water treaty'
    assert result.author == "Jane Doe"
    assert result.sitename == "Example & Co"


def test_large_broken_jsonld_is_not_searched() -> None:
    # a block that is not JSON is searched with trafilatura's regular expressions only when
    # small: their time grows with the square of a block's size
    broken = '{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Jane Doe"}, '
    small = extract_article(_with_jsonld(broken), url="https://example.org/a", now=NOW)
    assert small is not None and small.author == "Jane Doe"
    large = extract_article(_with_jsonld(broken + '"x": "' + "y" * 30_000), url="https://example.org/a", now=NOW)
    assert large is not None and large.author is None


def _split_page(blocks: list[list[str]], between: str, kind: str = "article__body") -> bytes:
    parts = [f'<div class="row"><div class="{kind}">' + "".join(f"<p>{p}</p>" for p in block)
             + "</div></div>" for block in blocks]
    return ("<html><head><title>Banks for the broke</title></head><body><main>"
            + between.join(parts) + "</main><footer><p>Copyright Example Media, all rights reserved "
            "and then some more words.</p></footer></body></html>").encode()


_AD = ('<div class="row ad"><span>Advertisement</span></div>'
       '<aside class="newsletter"><p>Sign up for our daily newsletter and get the news in your inbox.</p></aside>')


def test_a_body_split_by_advertisements_is_read_whole() -> None:
    # a magazine layout: the article body in several blocks of one class with advertisements
    # between them; trafilatura alone reads the first block only
    blocks = [[f"Paragraph {b}.{i}: the new digital banks court customers who have no money left "
               f"at the end of the month, and charge them for it in new ways." for i in range(4)]
              for b in range(3)]
    html = _split_page(blocks, _AD)
    result = extract_article(html, url="https://example.org/story/banks", now=NOW)
    assert result is not None
    order = [result.text.find(f"Paragraph {b}.{i}:") for b in range(3) for i in range(4)]
    assert -1 not in order and order == sorted(order)
    assert "newsletter" not in result.text and "Copyright" not in result.text
    # one block: nothing to continue, and the same text
    single = extract_article(_split_page(blocks[:1], _AD), url="https://example.org/story/banks", now=NOW)
    assert single is not None and "Paragraph 0.3:" in single.text and "Paragraph 1" not in single.text


@pytest.mark.parametrize(("kind", "per_block", "found"), [
    ("article__body", 4, 3),          # the body in three blocks: all three read
    ("article__body", 1, 0),          # one paragraph a block: teasers sharing the class
    ("cookie-consent__purpose", 4, 0),  # the text ends in a cookie notice: its like is not the body
])
def test_split_body_blocks(kind: str, per_block: int, found: int) -> None:
    from trafilatura.utils import load_html

    from scraper.extract.blocks import split_body as _split_body

    blocks = [[f"Paragraph {b}.{i}: the new digital banks court customers who have no money left "
               f"at the end of the month, and charge them for it in new ways." for i in range(per_block)]
              for b in range(3)]
    tree = load_html(_split_page(blocks, _AD, kind=kind))
    assert len(_split_body(tree, "\n".join(blocks[0]))) == found


def test_a_reading_of_one_block_is_spread_to_the_others_of_its_kind() -> None:
    # readability reads the densest block and its siblings; an article whose parts sit each in
    # a wrapper of its own is read in part, and the agreement check must not cut the rest
    from trafilatura.utils import load_html

    from scraper.extract.choice import supported as _supported
    from scraper.extract.readability import Reading as _Reading

    topics = ["the new digital banks court customers who have no money left at the end of the month",
              "regulators in Frankfurt question whether overdraft fees disguised as subscriptions are legal",
              "consumer groups advise households to compare yearly costs before switching accounts"]
    # the first block the longest: readability reads it, and the two after it are left
    blocks = [[f"Paragraph {b}.{i}: {topic}, reporters found in interview number {i}."
               for i in range(6 if b == 0 else 4)] for b, topic in enumerate(topics)]
    html = _split_page(blocks, _AD)
    text = "\n".join(p for block in blocks for p in block)
    alone = _Reading.of(load_html(html))
    assert [b for b in range(3) if f"Paragraph {b}.0" in alone.text] == [0]
    cut = _supported(text, alone, "Reporters found in interview")
    assert [b for b in range(3) if f"Paragraph {b}.0" in cut] == [0]
    spread = _Reading.of(load_html(html)).spread(load_html(html))
    assert _supported(text, spread, "Reporters found in interview") == text


@pytest.mark.parametrize("reading", ["choose", "trafilatura", "readability"])
def test_ruby_readings_are_read_as_a_browser_without_ruby_shows_them(reading: str) -> None:
    # furigana over every kanji (NHK's easy Japanese news) would run into the text; readings the
    # page brackets for such a browser (<rp>) are part of it
    from scraper.extract import ExtractOptions

    sentence = ("<ruby>子<rt>こ</rt></ruby>どもを<ruby>守<rt>まも</rt></ruby>るための"
                "<ruby>法律<rt>ほうりつ</rt></ruby>ができました。")
    named = ("韓国の<ruby><rb>尹錫悦</rb><rp>（</rp><rt>ユンソンニョル</rt><rp>）</rp></ruby>"
             "大統領は３日夜、緊急談話を出しました。")
    html = ("<html><head><title>子どもを守る法律</title></head><body><article><h1>子どもを守る法律</h1>"
            + f"<p>{sentence}{named}</p>" * 3 + "</article></body></html>").encode()
    result = extract_article(html, url="http://news.localhost/1", now=NOW,
                             options=ExtractOptions(reading=reading))  # type: ignore[arg-type]
    assert result is not None
    assert "子どもを守るための法律ができました" in result.text
    assert "尹錫悦（ユンソンニョル）大統領" in result.text


def _teaser(n: int) -> str:
    return (f'<li class="col-4"><a href="/news/story-{n}/" class="thumbnail"><figure><img src="/i/{n}.jpg" '
            f'alt=""></figure></a><div class="headlines"><h3><a href="/news/story-{n}/">Other story '
            f'number {n} makes the news</a></h3><h4>A line about other story {n}</h4></div></li>')


def test_a_list_of_teasers_after_the_body_is_not_text() -> None:
    # other stories as a list of linked headlines after the article; the article's own list stays
    body = "".join(f"<p>Paragraph {i}: the ministers met in the capital to agree on the terms of the "
                   f"water treaty, which both parliaments must still ratify this year.</p>" for i in range(4))
    html = ("<html><head><title>Treaty signed</title></head><body><article><h1>Treaty signed</h1>"
            + body + "<ul><li>Six gauging stations on the river</li><li>A joint commission</li>"
            "<li>Yearly reports to both parliaments</li></ul>"
            "<p>The treaty enters into force once both parliaments have ratified it, officials said.</p>"
            '<ul class="latest-news-box-row">' + "".join(_teaser(n) for n in range(4)) + "</ul>"
            "</article></body></html>").encode()
    result = extract_article(html, url="https://example.org/news/treaty", now=NOW)
    assert result is not None
    assert "Other story" not in result.text and "A line about" not in result.text
    for kept in ("Six gauging stations", "A joint commission", "Yearly reports", "enters into force"):
        assert kept in result.text


def test_lines_a_second_reader_does_not_take_for_the_article_are_dropped() -> None:
    from trafilatura.utils import load_html

    from scraper.extract.choice import supported as _supported
    from scraper.extract.readability import Reading as _Reading

    def reading(page: str) -> _Reading:
        return _Reading.of(load_html(page))

    article = [f"Paragraph {i}: the ministers met in the capital to agree on the terms of the water "
               f"treaty, which both parliaments must still ratify before the end of the year." for i in range(6)]
    page = ("<html><body><div class='main'><h1>Water treaty signed in the capital</h1>"
            + "".join(f"<p>{p}</p>" for p in article) + "</div></body></html>")
    stray = "Subscribe to our newsletter for weekly weather forecasts and farming subsidy alerts"
    first = "\n".join([*article[:3], stray, "A joint commission", *article[3:]])
    kept = _supported(first, reading(page), "Water treaty signed in the capital")
    assert stray not in kept and "A joint commission" not in kept  # a short line goes with its neighbour
    assert all(p in kept for p in article)
    # a paragraph of prose the second reader left before a line it took is the article's (a
    # page may set it in a block of its own); after the last line it took, it is not
    aside = ("The river has been shared by the two countries since the border was drawn, and its "
             "floods have been a matter of dispute ever since.")
    sandwiched = "\n".join([*article[:3], aside, *article[3:]])
    assert aside in _supported(sandwiched, reading(page), "Water treaty signed in the capital")
    leading = "\n".join([aside, *article])
    assert aside in _supported(leading, reading(page), "Water treaty signed in the capital")
    trailing = "\n".join([*article, aside])
    assert aside not in _supported(trailing, reading(page), "Water treaty signed in the capital")
    # a standfirst outside the block the second reader takes is kept when the page describes
    # itself with it (its meta description)
    dek = "Both governments hail the accord as the end of a decade of quarrels over the river"
    with_dek = "\n".join([dek, *article])
    assert dek not in _supported(with_dek, reading(page), "Water treaty signed in the capital")
    assert dek in _supported(with_dek, reading(page), "Water treaty signed in the capital", dek + ".")
    # the second reader's text is not about the headline: it read another block; all is kept
    assert _supported(first, reading(page), "Election results in the north") == first
    # nor when agreeing would drop most of the first reading
    mostly_stray = "\n".join([article[0], *[f"{stray} {n}" for n in range(8)]])
    assert _supported(mostly_stray, reading(page), "Water treaty signed") == mostly_stray
    # but when what the first reading has besides is lines of a few words (a page read whole,
    # menus and all, around a short article), the second reader's text is the article
    menus = ["Home", "World news", "Politics", "Business", "Sport today", "Weather", "Contact us"]
    whole_page = "\n".join([stray, *menus * 6, article[0]])
    assert _supported(whole_page, reading(page), "Water treaty signed") == reading(page).text


# pages in scripts whose words a regular expression breaks up (written without spaces, or with
# vowel signs that are not letters to it): a ministry's statement, and a line about following
# the ministry online that the second reader leaves out
SCRIPTS = {
    "zh": ("外交部发言人就湄公河合作会议答记者问", [
        "外交部发言人表示，中方愿同湄公河国家一道，深化水资源合作，共同维护地区和平稳定。",
        "双方同意成立联合委员会，定期交换水文数据，并就防洪减灾加强沟通协调。",
        "发言人指出，本次会议在友好、坦诚的气氛中举行，取得了积极成果。",
        "中方重视可持续发展和生态环境保护，愿为流域各国人民带来更多福祉。",
        "下一次会议将于明年年初在万象举行，各方将继续推进务实合作。",
        "两国代表还签署了关于洪水预警信息通报的谅解备忘录。",
    ], "欢迎关注官方微博和微信公众号，获取最新消息与活动通知"),
    "th": ("กระทรวงการต่างประเทศแถลงผลการประชุมว่าด้วยแม่น้ำโขง", [
        "รัฐมนตรีว่าการกระทรวงการต่างประเทศได้พบหารือกับคณะผู้แทนจากประเทศเพื่อนบ้านเพื่อทบทวนความร่วมมือด้านการบริหารจัดการน้ำ",
        "ทั้งสองฝ่ายเห็นพ้องที่จะจัดตั้งคณะกรรมการร่วมเพื่อติดตามระดับน้ำและแลกเปลี่ยนข้อมูลอุทกวิทยาอย่างสม่ำเสมอ",
        "โฆษกกระทรวงกล่าวว่าการประชุมครั้งนี้เป็นไปด้วยบรรยากาศที่เป็นมิตรและสร้างสรรค์",
        "ฝ่ายไทยย้ำถึงความสำคัญของการพัฒนาที่ยั่งยืนและการคุ้มครองสิ่งแวดล้อมในลุ่มน้ำ",
        "การประชุมครั้งต่อไปจะจัดขึ้นที่กรุงเวียงจันทน์ในช่วงต้นปีหน้า",
        "ผู้แทนทั้งสองประเทศได้ลงนามในบันทึกความเข้าใจว่าด้วยการแจ้งเตือนภัยน้ำท่วมล่วงหน้า",
    ], "ติดตามข่าวสารล่าสุดได้ทางเฟซบุ๊กและยูทูบ โอนเงินสนับสนุนมูลนิธิ 0993000060423"),
    "hi": ("विदेश मंत्रालय ने मेकांग सहयोग बैठक के परिणामों की घोषणा की", [
        "विदेश मंत्री ने पड़ोसी देशों के प्रतिनिधिमंडल के साथ जल प्रबंधन में सहयोग की समीक्षा के लिए बैठक की।",
        "दोनों पक्षों ने जल स्तर की निगरानी और आंकड़ों के नियमित आदान-प्रदान के लिए संयुक्त समिति बनाने पर सहमति व्यक्त की।",
        "मंत्रालय के प्रवक्ता ने कहा कि बैठक मैत्रीपूर्ण और रचनात्मक वातावरण में संपन्न हुई।",
        "भारतीय पक्ष ने सतत विकास और नदी घाटी में पर्यावरण संरक्षण के महत्व पर बल दिया।",
        "अगली बैठक अगले वर्ष की शुरुआत में नई दिल्ली में आयोजित की जाएगी।",
        "दोनों देशों के प्रतिनिधियों ने बाढ़ की पूर्व चेतावनी से संबंधित समझौता ज्ञापन पर हस्ताक्षर किए।",
    ], "ताज़ा समाचारों के लिए हमें फेसबुक और यूट्यूब पर फॉलो करें और न्यूज़लेटर की सदस्यता लें"),
}


@pytest.mark.parametrize("lang", sorted(SCRIPTS))
def test_the_second_reader_checks_text_in_every_script(lang: str) -> None:
    # a Thai word's vowel signs and tone marks, a Hindi word's matras, are not letters to a
    # regular expression: read as words, such a line was a heap of fragments, and the check
    # could not judge it
    from trafilatura.utils import load_html

    from scraper.extract.choice import supported as _supported
    from scraper.extract.readability import Reading as _Reading

    headline, article, stray = SCRIPTS[lang]
    page = (f"<html lang='{lang}'><body><div class='main'><h1>{headline}</h1>"
            + "".join(f"<p>{p}</p>" for p in article) + "</div></body></html>")
    first = "\n".join([*article[:4], stray, *article[4:]])
    kept = _supported(first, _Reading.of(load_html(page)), headline)
    assert stray not in kept
    assert all(p in kept for p in article)


def test_readability_reads_each_page_once_and_trafilatura_is_left_as_it_was(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """trafilatura's readability fallback takes the reading extract_article has made of the
    page: one run per page, where there were two (three when trafilatura reads again). The
    hook is trafilatura's only while extract_article reads: before and after, and for anyone
    else in the process, trafilatura runs its own."""
    import trafilatura
    import trafilatura.external

    import scraper.extract.readability as module

    ours: list[object] = []
    theirs: list[object] = []
    real = module._READABILITY

    def counted(tree: Any) -> Any:
        ours.append(tree)
        return real(tree)

    def their_own(tree: Any) -> Any:
        theirs.append(tree)
        return real(tree)

    monkeypatch.setattr(module, "_READABILITY", counted)
    monkeypatch.setattr(trafilatura.external, "try_readability", their_own)
    article = " ".join(["The ministers met in the capital to agree on the water treaty."] * 3)
    page = ("<html><body><nav><a href='/'>Home</a></nav><h1>Water treaty signed</h1>"
            + f"<p>{article}</p>" * 2 + "</body></html>")
    result = extract_article(page.encode(), url="https://example.org/treaty", now=NOW)
    assert result is not None and "water treaty" in result.text
    assert len(ours) == 1 and theirs == []  # trafilatura took our reading
    assert trafilatura.external.try_readability is their_own  # and got its own back
    assert "water treaty" in (trafilatura.extract(page) or "")
    assert len(ours) == 1 and len(theirs) == 1  # outside extract_article: its own run


def test_the_reading_choice_prefers_readability_only_where_the_page_says_so() -> None:
    from scraper.extract import ReadingChoice

    choice = ReadingChoice.load()
    title = "Water treaty signed in the capital"
    article = "\n".join(f"Paragraph {i}: the ministers met in the capital to agree on the terms of the "
                        f"water treaty, which both parliaments must ratify." for i in range(6))
    menus = "\n".join(["Home", "World", "Politics", "Business", "Sport", "Weather", "Contact us"] * 6)
    # trafilatura read the menus and a scrap of the article; readability the article
    assert choice.prefers(f"{menus}\n{article[:200]}", f"{title}\n{article}", title)
    # trafilatura read the whole article; readability a part of it, or nothing
    assert not choice.prefers(article, article[:300], title)
    assert not choice.prefers(article, "", title)
    with pytest.raises(ValueError, match="other features"):
        ReadingChoice({"features": ["length"], "base": 0, "rate": 0.1, "threshold": 0.5, "trees": []})

"""Extraction of pages in legacy charsets (declared right, wrong or not at all), transcripts
with speaker labels, and bad input that must give an empty result or a clear error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scraper.extract import MAX_PAGE_BYTES, extract_article
from tests.conftest import run_digest

# Pages written for these tests: a Chinese ministry transcript, a Russian briefing, a Japanese
# press conference. Each paragraph is distinct, as on a real page.
PAGES = {
    "gbk": ("zh", "外交部发言人林剑主持例行记者会", [
        "林剑：中方坚决反对北约插手亚太事务。我们敦促北约停止制造对抗和分裂，不要把混乱带到亚洲。",
        "记者：有报道称，北约峰会宣言称中国是俄罗斯战争的决定性推动者。中方对此有何回应？",
        "林剑：中方在乌克兰问题上始终坚持客观公正立场，积极劝和促谈。北约的指责毫无根据。",
    ]),
    "cp1251": ("ru", "Брифинг официального представителя МИД России М.В.Захаровой", [
        "М.В.Захарова: Мы внимательно следим за развитием ситуации в регионе и призываем все стороны к сдержанности.",
        "Вопрос: Как Москва оценивает итоги саммита НАТО в Вашингтоне?",
        "М.В.Захарова: Решения саммита подтверждают курс альянса на конфронтацию. Позиция России остаётся неизменной.",
    ]),
    "shift_jis": ("ja", "外務報道官会見記録", [
        "報道官：日本政府は、地域の平和と安定のため、関係国と緊密に連携していく考えです。",
        "記者：北大西洋条約機構の首脳会合について、日本政府の受け止めをお聞かせください。",
        "報道官：我が国としては、同盟国や同志国と協力しながら、引き続き外交努力を続けてまいります。",
    ]),
}


def page(encoding: str, declared: str | None) -> bytes:
    lang, title, paragraphs = PAGES[encoding]
    meta = f'<meta charset="{declared}">' if declared else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (f"<html lang='{lang}'><head>{meta}<title>{title}</title></head><body>"
            f"<nav><a href=\"/\">Home</a> | <a href=\"/en/\">English</a></nav><article><h1>{title}</h1>{body}</article></body></html>")
    return html.encode(encoding)


@pytest.mark.parametrize("encoding", sorted(PAGES))
@pytest.mark.parametrize("declared", ["right", "missing", "wrong"])
def test_legacy_charsets(encoding: str, declared: str) -> None:
    lang, title, paragraphs = PAGES[encoding]
    charset = {"right": encoding, "missing": None, "wrong": "utf-8"}[declared]
    result = extract_article(page(encoding, charset), url="http://127.0.0.1/x")
    assert result is not None
    assert result.title == title
    assert result.language == lang
    for paragraph in paragraphs:
        assert paragraph in result.text  # speaker labels ("林剑：", "М.В.Захарова:") kept


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (bytes(range(256)) * 64, "binary"),
        (b"%PDF-1.7\n" + b"\x00\x01stream" * 500, "pdf"),
        (b'{"not": "html"}', "json"),
        (b"plain words without any markup at all", "text"),
    ],
)
def test_bad_input_gives_no_article(content: bytes, reason: str) -> None:
    assert extract_article(content, url="http://127.0.0.1/x") is None


def test_oversized_page_is_refused_without_parsing() -> None:
    huge = b"<html><body><article>" + b"<p>word </p>" * (MAX_PAGE_BYTES // 10) + b"</article></body></html>"
    assert len(huge) > MAX_PAGE_BYTES
    assert extract_article(huge, url="http://127.0.0.1/x") is None


def test_extract_cli_bad_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    binary = tmp_path / "image.html"
    binary.write_bytes(bytes(range(256)) * 100)
    big = tmp_path / "big.html"
    big.write_bytes(b"<html><body>" + b"x" * (50 * 1024 * 1024) + b"</body></html>")
    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(b"not gzip")
    result = run_digest("extract", str(big))
    assert result.code == 1 and "Traceback" not in result.err
    [record] = [json.loads(line) for line in result.out.splitlines()]
    assert record["error"] == "page larger than 10 MiB: not extracted" and record["text"] == ""
    result = run_digest("extract", str(empty), str(binary))
    assert result.code == 2 and "Traceback" not in result.err
    records = [json.loads(line) for line in result.out.splitlines()]
    assert [r["error"] for r in records] == ["not an HTML page: an empty file",
                                             "not an HTML page: binary data"]
    assert f"Error: {binary} is binary data, not an HTML page" in result.err
    gz = run_digest("extract", str(broken))
    assert gz.code == 2 and "cannot read" in gz.err and "Traceback" not in gz.err


def test_random_bytes_served_as_html_are_never_an_article() -> None:
    from datetime import UTC, datetime
    from random import Random

    from scraper.extract import extract_article

    rng = Random(5)
    for _ in range(300):
        assert extract_article(rng.randbytes(20_000), url="http://127.0.0.1/binary.html",
                               now=datetime.now(UTC)) is None
    # text in UTF-16 (zero bytes everywhere) is still text
    page = ("<html><head><title>Treaty</title></head><body><article><p>"
            + "Ministers signed the water treaty after a long night of talks. " * 6
            + "</p></article></body></html>")
    result = extract_article(page.encode("utf-16"), url="http://127.0.0.1/utf16.html", now=datetime.now(UTC))
    assert result is not None and "water treaty" in result.text


PAGE = ("<html><head><title>Treaty signed</title></head><body><article><h1>Treaty signed</h1><p>"
        + "Ministers signed the water treaty after a long night of talks in the capital. " * 6
        + "</p></article></body></html>")


@pytest.mark.parametrize(("name", "content", "named"), [
    ("feed.json", json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Wire", "items": [
        {"id": "1", "content_text": "Ministers signed the water treaty after a long night of talks. " * 8}]}).encode(),
     "JSON (a JSON feed or API answer?)"),
    ("notes.txt", ("Ministers signed the water treaty after a long night of talks. " * 8).encode(),
     "plain text, without HTML markup"),
    ("photo.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "an image (PNG)"),
    ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 8, "an image (JPEG)"),
    ("rss.html", b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
                 b"<description>Ministers signed the water treaty after a long night of talks.</description>"
                 b"</item></channel></rss>", "XML (a feed), not HTML"),
    ("random.bin", bytes(range(256)) * 40, "binary data"),
])
def test_extract_names_what_it_got_when_it_is_not_a_page(tmp_path: Path, name: str, content: bytes,
                                                        named: str) -> None:
    bad, good = tmp_path / name, tmp_path / "page.html"
    bad.write_bytes(content)
    good.write_text(PAGE)
    result = run_digest("extract", str(bad), str(good))
    assert result.code == 2 and "Traceback" not in result.err
    assert result.err.strip() == f"Error: {bad} is {named}, not an HTML page"
    first, second = (json.loads(line) for line in result.out.splitlines())
    assert first["error"] == f"not an HTML page: {named}" and first["text"] == ""
    assert "water treaty" in second["text"]  # one bad file stops nothing


def test_extract_loads_no_database_template_or_crawler_code(tmp_path: Path) -> None:
    # a command loads what it uses: extracting pages starts in half the time when the store,
    # the templates and Scrapy stay unloaded
    good = tmp_path / "page.html"
    good.write_text(PAGE)
    code = ("import atexit, sys\n"
            "heavy = ('sqlalchemy', 'jinja2', 'apscheduler', 'scrapy', 'aiosmtpd', 'starlette')\n"
            "atexit.register(lambda: print('loaded:', *[m for m in heavy if m in sys.modules], file=sys.stderr))\n"
            "from digest.cli import main\n"
            f"main(['extract', {str(good)!r}])\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert "water treaty" in json.loads(proc.stdout)["text"]
    assert proc.stderr.strip() == "loaded:"


def test_a_ministry_page_without_lang_gets_its_language_and_its_own_date() -> None:
    # as on fmprc.gov.cn: no lang attribute, the date on a line under the headline, and a list
    # of related items with older dates (htmldate, asked for the original date, took the oldest)
    related = "".join(f'<li><a href="/{i}.html">外交部发言人答记者问之{i}</a><span>2019-1{i}-0{i}</span></li>'
                      for i in range(1, 4))
    page = (
        "<html><head><meta charset='utf-8'><title>驻英国大使出席新春活动 — 中华人民共和国外交部</title></head>"
        "<body><div class='nav'><a href='/'>首页</a></div><div class='title'><h1>驻英国大使出席新春活动</h1>"
        "<div class='time'><span>2020-01-31</span></div></div><div id='News_Body_Txt_A'>"
        "<p>2020年1月29日，驻英国大使出席了伦敦一所学校举办的庆祝中国农历新春活动，同师生们共度佳节。</p>"
        "<p>大使表示，中英两国人民友谊源远流长，希望青年一代加强交流，增进相互了解，为两国关系发展贡献力量。</p>"
        "<p>活动中，学生们表演了舞龙、书法和民族音乐等节目，现场气氛热烈，来宾们纷纷表示收获颇丰。</p>"
        f"</div><div class='related'><h2>相关新闻</h2><ul>{related}</ul></div></body></html>")
    result = extract_article(page.encode("utf-8"), url="http://127.0.0.1/zh.html")
    assert result is not None
    assert result.language == "zh"
    assert result.published is not None and result.published.date().isoformat() == "2020-01-31"

    english = ("<html><head><title>Secretary's call with the Foreign Minister</title></head><body>"
               "<h1>Secretary's call with the Foreign Minister</h1><p>July 2, 2026</p><article><p>"
               + "The Secretary spoke with the Foreign Minister today about trade and regional security. " * 4
               + "</p></article></body></html>")
    result = extract_article(english.encode(), url="http://127.0.0.1/en.html")
    assert result is not None and result.language == "en"
    assert result.published is not None and result.published.date().isoformat() == "2026-07-02"


# date lines as ministries write them, each with the day it names (15 July 2024, or the 15th of
# November or October where Polish and Croatian differ on "listopada"), and a line of text
DATE_LINES = [
    ("ru", "15 июля 2024 г. 14:30", "2024-07-15",
     "Министр иностранных дел провёл переговоры с коллегой и обсудил вопросы региональной безопасности."),
    ("ar", "١٥ يوليو ٢٠٢٤", "2024-07-15",
     "أجرى وزير الخارجية اتصالا هاتفيا مع نظيره وبحث معه العلاقات الثنائية وسبل تعزيزها في مختلف المجالات."),
    ("ar", "15 تموز 2024", "2024-07-15",
     "استقبل وزير الخارجية سفير الدولة الشقيقة وبحث معه آخر التطورات في المنطقة وسبل التعاون المشترك."),
    ("es", "15 de julio de 2024", "2024-07-15",
     "El ministro de Asuntos Exteriores se reunió con su homólogo para abordar la cooperación bilateral."),
    ("fr", "Publié le 15 juillet 2024", "2024-07-15",
     "Le ministre des Affaires étrangères s'est entretenu avec son homologue de la sécurité régionale."),
    ("de", "Montag, 15. Juli 2024", "2024-07-15",
     "Die Außenministerin hat heute mit ihrem Amtskollegen über die Lage in der Region gesprochen."),
    ("pl", "15 listopada 2024", "2024-11-15",
     "Minister spraw zagranicznych rozmawiał dziś ze swoim odpowiednikiem o bezpieczeństwie regionu."),
    ("hr", "15. listopada 2024.", "2024-10-15",
     "Ministar vanjskih poslova danas je razgovarao sa svojim kolegom o sigurnosti u regiji."),
    ("ko", "2024년 7월 15일", "2024-07-15",
     "외교부 장관은 오늘 상대국 외교장관과 통화하고 지역 안보 문제에 대해 의견을 교환하였습니다."),
    ("en", "Sept. 15, 2024", "2024-09-15",
     "The Minister spoke with her counterpart today about trade and regional security."),
    # years of an era: Japan's, the Republic of China's, Thailand's Buddhist era
    ("ja", "令和6年7月15日", "2024-07-15",
     "外務大臣は本日、来日中の外務大臣と会談し、地域の安全保障について意見を交換しました。"),
    ("zh-TW", "民國113年7月15日", "2024-07-15",
     "外交部長今日與來訪的外交部長舉行會談，雙方就區域安全及經貿合作交換意見。"),
    ("th", "15 กรกฎาคม 2567", "2024-07-15",
     "รัฐมนตรีว่าการกระทรวงการต่างประเทศได้หารือกับรัฐมนตรีต่างประเทศเกี่ยวกับความมั่นคงในภูมิภาค"),
]


@pytest.mark.parametrize(("lang", "line", "day", "text"), DATE_LINES, ids=[f"{d[0]}-{d[2]}" for d in DATE_LINES])
def test_the_date_line_is_read_in_the_pages_language(lang: str, line: str, day: str, text: str) -> None:
    # no date in the metadata; a list of related items below with older dates, which htmldate
    # (asked for the original date) would take
    related = "".join(f'<li><a href="/{i}.html">{text[:30]} {i}</a><span>2019-0{i}-1{i}</span></li>'
                      for i in range(1, 4))
    page = (f"<html lang='{lang}'><head><meta charset='utf-8'><title>{text[:40]}</title></head><body>"
            f"<h1>{text[:40]}</h1><p>{line}</p><article>"
            + f"<p>{text}</p>" * 4 + f"</article><ul class='related'>{related}</ul></body></html>")
    result = extract_article(page.encode("utf-8"), url="http://127.0.0.1/statement.html")
    assert result is not None
    assert result.published is not None and result.published.date().isoformat() == day


@pytest.mark.parametrize(("line", "zone", "published"), [
    ("15 июля 2024 г. 14:30", "Europe/Moscow", "2024-07-15T11:30:00+00:00"),
    ("发布时间：2024-07-15 09:05", "Asia/Shanghai", "2024-07-15T01:05:00+00:00"),
    ("July 15, 2024 3:45 p.m.", "America/New_York", "2024-07-15T19:45:00+00:00"),
    ("Publié le 15 juillet 2024 à 14h30", "Europe/Paris", "2024-07-15T12:30:00+00:00"),
    ("15 July 2024", "Europe/London", "2024-07-14T23:00:00+00:00"),  # no time: the day's start
])
def test_the_date_line_gives_its_time_of_day_on_the_sources_clock(line: str, zone: str,
                                                                   published: str) -> None:
    text = "The Minister spoke with her counterpart today about trade and regional security. " * 4
    page = (f"<html><head><title>Call</title></head><body><h1>Call with the Foreign Minister</h1>"
            f"<p>{line}</p><p>{text}</p></body></html>")
    result = extract_article(page.encode(), url="http://127.0.0.1/call.html", timezone=zone)
    assert result is not None and result.published is not None
    assert result.published.isoformat() == published


def test_a_day_the_metadata_declares_wins_over_the_date_line() -> None:
    # a date line may be an update's or a photograph's; the page's own metadata says which day
    # it was published, even without a time
    text = "The Minister spoke with her counterpart today about trade and regional security. " * 4
    page = ("<html lang='en'><head><meta name='date' content='2024-07-14'><title>Call</title></head>"
            f"<body><h1>Call with the Foreign Minister</h1><p>Updated July 16, 2024</p><p>{text}</p>"
            "</body></html>")
    result = extract_article(page.encode(), url="http://127.0.0.1/call.html")
    assert result is not None and result.published is not None
    assert result.published.date().isoformat() == "2024-07-14"


def test_language_detection_needs_enough_text() -> None:
    from scraper.extract import detect_language

    assert detect_language("Ministers met.") is None
    assert detect_language("Министр иностранных дел России провёл переговоры с турецким коллегой в Москве.") == "ru"
    assert detect_language("外務大臣は本日、フィリピンの外務大臣と会談し、地域の安全保障について意見を交換しました。") == "ja"


def test_page_times_without_a_zone_are_on_the_sources_clock() -> None:
    # a European Parliament release says 11:37 on Brussels' clock; a bare date is local too
    page = ("<html><head><title>Parliament adopts resolution</title>"
            '<meta property="article:published_time" content="2019-07-18T11:37">'
            "</head><body><h1>Parliament adopts resolution</h1><article><p>"
            + "The European Parliament adopted a resolution on the situation in Venezuela today. " * 5
            + "</p></article></body></html>").encode()
    assert extract_article(page).published.isoformat() == "2019-07-18T11:37:00+00:00"  # type: ignore[union-attr]
    brussels = extract_article(page, timezone="Europe/Brussels")
    assert brussels is not None and brussels.published.isoformat() == "2019-07-18T09:37:00+00:00"  # type: ignore[union-attr]
    zoned = page.replace(b"2019-07-18T11:37", b"2019-07-18T11:37+02:00")
    assert extract_article(zoned, timezone="Asia/Tokyo").published.isoformat() == "2019-07-18T09:37:00+00:00"  # type: ignore[union-attr]


def test_a_sources_zone_comes_from_its_timezone_or_its_country() -> None:
    from digest.config import SourceConfig

    def zone(**fields: str) -> str:
        return SourceConfig.model_validate({"name": "s", "kind": "feed", "url": "https://x.example/f",
                                            **fields}).zone

    assert zone() == "UTC"
    assert zone(country="BE") == "Europe/Brussels"  # one zone in the tz database
    assert zone(country="cn") == "Asia/Shanghai" and zone(country="RU") == "Europe/Moscow"  # the capital's
    assert zone(country="US", timezone="America/Chicago") == "America/Chicago"

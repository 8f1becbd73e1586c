"""Extraction of pages in legacy charsets (declared right, wrong or not at all), transcripts
with speaker labels, and bad input that must give an empty result or a clear error."""

from __future__ import annotations

import json
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

"""The digest in the reader's language, as it is sent and shown: a Chinese, a Russian and an
Arabic reader (right to left) each get the subject, headings, labels, dates, the footer and the
pages their mail links to (preferences, unsubscribe, their copy, a story, their feed) in their
first language; an English reader's mail is as before; the reader sets the order of their
languages on the preferences page, checked as the CLI checks them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from digest import web
from digest.config import load_config
from digest.stages import open_store
from tests.builders import body, import_stories, outbox_messages, write_config
from tests.conftest import run_digest
from tests.web_site import BASE, csrf, link, path_of

READERS = """\
  - email: zh@example.org
    languages: [zh, en]
  - email: ru@example.org
    languages: [ru, en]
  - email: ar@example.org
    languages: [ar, en]
  - email: en@example.org
"""
# what each reader's mail must say, in their language
EXPECTED = {
    "zh": {"subject": "，", "lang": 'lang="zh" dir="ltr"', "words": ["要点", "来源：", "由 digest 发送", "偏好设置", "退订", "（英语）"]},
    "ru": {"subject": "декабря" , "lang": 'lang="ru" dir="ltr"', "words": ["Главное", "Источники:", "Отправлено digest", "Настройки", "Отписаться", "(английский)"]},
    "ar": {"subject": "،", "lang": 'lang="ar" dir="rtl"', "words": ["أبرز النقاط", "المصادر:", "أرسله digest", "التفضيلات", "إلغاء الاشتراك", "(الإنجليزية)"]},
}


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readers")
    config = write_config(folder, mail="  outbox: outbox", subscribers=READERS,
                          extra=f"web: {{base_url: '{BASE}'}}\n")
    import_stories(config)
    result = run_digest("send", "--config", str(config))
    assert result.code == 0, result.err
    return config


@pytest.fixture
def mail(sent: Path) -> dict[str, EmailMessage]:
    return {m["To"].addresses[0].addr_spec.split("@")[0]: m for m in outbox_messages(sent)}


@pytest.fixture
def client(sent: Path) -> Iterator[TestClient]:
    config = load_config(sent)
    store = open_store(config)
    with TestClient(web.create_app(config, store), base_url=BASE, follow_redirects=False) as c:
        yield c
    store.close()


@pytest.mark.parametrize("lang", ["zh", "ru", "ar"])
def test_the_mail_is_in_the_readers_language(mail: dict[str, EmailMessage], lang: str) -> None:
    message = mail[lang]
    html, text = body(message, "html"), body(message, "plain")
    expected = EXPECTED[lang]
    assert expected["subject"] in message["Subject"], message["Subject"]
    assert expected["lang"] in html
    for word in expected["words"]:
        assert word in html, word
    assert "Highlights" not in html and "Sources:" not in html and "Sent by digest" not in html
    assert "Highlights" not in text and EXPECTED[lang]["words"][0] in text
    # the stories are English reports: each marked, in the reader's language
    assert "(in English)" not in html


def test_an_english_readers_mail_is_as_before(mail: dict[str, EmailMessage]) -> None:
    html = body(mail["en"], "html")
    assert 'lang="en" dir="ltr"' in html and "Highlights" in html and "Sent by digest" in html
    assert "(in " not in html  # English stories, an English reader: nothing marked
    assert re.search(r"Foreign Affairs Digest, \d+ \w{3} \d{4}: ", mail["en"]["Subject"])


@pytest.mark.parametrize(("lang", "heading", "unsubscribe"), [
    ("zh", "你的偏好设置", "退订"), ("ru", "Ваши настройки", "Отписаться"),
    ("ar", "تفضيلاتك", "إلغاء الاشتراك")])
def test_the_pages_the_mail_links_to_are_in_the_readers_language(
        mail: dict[str, EmailMessage], client: TestClient, lang: str, heading: str,
        unsubscribe: str) -> None:
    message = mail[lang]
    preferences = client.get(path_of(link(message, EXPECTED[lang]["words"][3])))
    assert preferences.status_code == 200
    assert heading in preferences.text and EXPECTED[lang]["lang"] in preferences.text
    page = client.get(path_of(link(message, EXPECTED[lang]["words"][4])))
    assert page.status_code == 200 and unsubscribe in page.text
    copy = client.get(path_of(link(message, {"zh": "在浏览器中查看", "ru": "Открыть в браузере",
                                             "ar": "العرض في المتصفح"}[lang])))
    assert copy.status_code == 200 and EXPECTED[lang]["words"][0] in copy.text
    token = path_of(link(message, EXPECTED[lang]["words"][3])).rsplit("/", 1)[1]
    feed = client.get(f"/feed.atom?t={token}")
    assert f'xml:lang="{lang}"' in feed.text
    assert 'xml:lang="en"' in client.get("/feed.atom").text
    assert client.get(f"/feed.json?t={token}").json()["language"] == lang
    story = re.search(r'href="(https://[^"]+/stories/[^"?]+)', body(message, "html"))
    assert story
    page = client.get(path_of(story.group(1)) + f"?t={token}")
    assert page.status_code == 200 and {"zh": "时间线", "ru": "Хронология",
                                        "ar": "التسلسل الزمني"}[lang] in page.text


def test_the_reader_orders_their_languages_and_the_form_checks_them(
        mail: dict[str, EmailMessage], client: TestClient, sent: Path) -> None:
    url = path_of(link(mail["en"], "Preferences"))
    form = client.get(url).text
    options = re.findall(r'<option value="(\w+)">', form.split('id="language_1"')[1].split("</select>")[0])
    assert {"sw", "uk", "zh", "ar", "ko", "hi"} <= set(options) and len(options) >= 100
    fields = {"csrf_token": csrf(form), "active": "y", "timezone": ""}
    saved = client.post(url, data={**fields, "language_1": "fr", "language_2": "zh", "language_3": "en"})
    assert saved.status_code == 303
    store = open_store(load_config(sent))
    row = store.subscriber("en@example.org")
    assert row is not None and row.languages == ("fr", "zh", "en")  # the order the reader set
    # the page is now in French, the first
    assert "Vos préférences" in client.get(saved.headers["location"]).text
    twice = client.post(url, data={**fields, "language_1": "zh", "language_2": "zh"})
    assert twice.status_code == 400 and "Une langue ne vient qu’une fois." in twice.text
    unknown = client.post(url, data={**fields, "language_1": "zz"})
    assert unknown.status_code == 400
    row = store.subscriber("en@example.org")
    assert row is not None and row.languages == ("fr", "zh", "en")

"""The web app in a real browser: Debian's Chromium, headless, driven by Playwright, against
``digest serve`` running as a real process, with links taken from mail that the real
``digest send`` delivered to an SMTP server on loopback. Screenshots go to
``test-artifacts/browser/`` (or ``$DIGEST_TEST_ARTIFACTS``).

`make test` installs Chromium (`.ci/deps`); without it these tests are skipped and say why."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any

import pytest

from digest.store import Store
from tests.builders import body, import_stories, smtp_mail, write_config
from tests.conftest import ROOT, SmtpSink, free_port, run_digest, serving, wait_for

CHROMIUM = Path(os.environ.get("DIGEST_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("DIGEST_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "browser"
# as the machine notes say: no sandbox as root, and no calls home on a closed network
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason=f"no Chromium at {CHROMIUM} (make test installs it)")

SUBSCRIBERS = """\
  - email: zoe@example.org
    name: Zoë Ådams
    topics: [Geneva, Doha]
  - email: ivan@example.org
    name: Иван
"""


@dataclass
class Served:
    base: str
    store: Store
    mail: dict[str, Any]

    def link(self, address: str, text: str) -> str:
        found = re.search(rf'<a href="([^"]+)"[^>]*>{text}</a>', body(self.mail[address], "html"))
        assert found, f"no {text!r} link in the mail to {address}"
        return found.group(1).replace("&amp;", "&")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("browser")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with serving(SmtpSink(port=free_port())) as sink:
        config = write_config(folder, mail=smtp_mail(sink.port), subscribers=SUBSCRIBERS,
                              extra=f"web: {{base_url: '{base}'}}\n")
        import_stories(config)
        sent = run_digest("send", "--config", str(config))
        assert sent.code == 0, sent.err
        mail = {m["To"].addresses[0].addr_spec: m for m in sink.messages}
    assert set(mail) == {"zoe@example.org", "ivan@example.org"}
    env = {**os.environ, "DIGEST_ADMIN_USER": "chief", "DIGEST_ADMIN_PASSWORD": "s3cret-pass"}
    server = subprocess.Popen(
        [sys.executable, "-m", "digest", "serve", "--config", str(config), "--port", str(port)],
        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=(folder / "serve.log").open("w"))

    def up() -> bool:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                return bool(response.status == 200)
        except OSError:
            assert server.poll() is None, (folder / "serve.log").read_text()
            return False

    try:
        wait_for(up, timeout=60)
        store = Store(f"sqlite:///{folder / 'digest.db'}")
        yield Served(base, store, mail)
        store.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    tab = context.new_page()
    yield tab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def test_open_a_digest_from_the_mail_and_the_archive(served: Served, page: Any) -> None:
    page.goto(served.link("zoe@example.org", "View in browser"))
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Foreign Affairs Digest"
    stories = page.locator(".story h2").all_inner_texts()
    assert sorted(stories) == ["Ceasefire talks resume in Geneva", "Hostage release agreed in Doha"]
    assert "for Zoë Ådams" in page.locator(".masthead p").inner_text()

    page.get_by_role("link", name="All digests").click()
    page.wait_for_url(f"{served.base}/digests/")
    page.locator("ul.editions a").first.click()
    assert len(page.locator(".story h2").all_inner_texts()) == 6  # the whole edition

    # keyboard: the first Tab reaches the skip link, which moves focus to the content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_follow_unsubscribe_from_a_real_email(served: Served, page: Any) -> None:
    page.goto(served.link("ivan@example.org", "Unsubscribe"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Unsubscribe from")
    row = served.store.subscriber("ivan@example.org")
    assert row is not None and row.active  # opening the page changed nothing
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_text("You are unsubscribed").wait_for()
    row = served.store.subscriber("ivan@example.org")
    assert row is not None and not row.active


def test_change_preferences(served: Served, page: Any) -> None:
    page.goto(served.link("zoe@example.org", "Preferences"))
    topics = page.get_by_label("Topics")
    assert topics.input_value() == "Geneva, Doha"
    topics.fill("Vienna, Oslo")
    page.get_by_label("ministry").check()
    page.get_by_label("Send at").fill("06:30")
    page.get_by_label("Time zone").select_option("Asia/Tokyo")
    page.get_by_role("button", name="Save preferences").click()
    page.get_by_text("Saved. The next digest follows these choices.").wait_for()
    row = served.store.subscriber("zoe@example.org")
    assert row is not None
    assert (row.topics, row.sources, row.send_at, row.timezone) == (
        ("Vienna", "Oslo"), ("ministry",), time(6, 30), "Asia/Tokyo")
    assert page.get_by_label("Time zone").input_value() == "Asia/Tokyo"


def test_log_in_as_admin(served: Served, page: Any) -> None:
    page.goto(f"{served.base}/admin/")
    page.wait_for_url(f"{served.base}/admin/login")
    page.get_by_label("User name").fill("chief")
    page.get_by_label("Password").fill("wrong")
    page.keyboard.press("Enter")
    page.get_by_text("Wrong user name or password").wait_for()
    page.get_by_label("Password").fill("s3cret-pass")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{served.base}/admin/")
    assert page.get_by_role("heading", name="Sources").is_visible()
    rows = page.locator("#sources-heading + .table tbody th").all_inner_texts()
    assert sorted(rows) == ["ministry", "wire"]
    assert page.get_by_role("heading", name="Pending and failed deliveries").is_visible()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{served.base}/admin/login")


@pytest.mark.parametrize("path", ["digest", "preferences"])
def test_pages_fit_a_phone(served: Served, browser: Any, path: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    tab = context.new_page()
    link = served.link("zoe@example.org", "View in browser" if path == "digest" else "Preferences")
    tab.goto(link)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"phone-{path}.png"), full_page=True)
    context.close()


# every element that shows text: its colour against the first background behind it (WCAG 2.x)
_CONTRAST = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const behind = (el) => { for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c; } return [255, 255, 255]; };
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(behind(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    found.push([el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''),
                Math.round(ratio * 100) / 100]);
  }
  return found;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_is_readable_in_light_and_dark_mode(served: Served, browser: Any, scheme: str) -> None:
    """Attributions, askers, coverage and notes too: at least 4.5:1 against what is behind them,
    in the mail and on the web pages, as Chromium draws them."""
    context = browser.new_context(viewport={"width": 1024, "height": 900}, color_scheme=scheme)
    tab = context.new_page()
    checked: dict[str, float] = {}
    tab.set_content(body(served.mail["zoe@example.org"], "html"))
    pages = [("mail", None), ("digest page", served.link("zoe@example.org", "View in browser")),
             ("archive", f"{served.base}/digests/")]
    for name, url in pages:
        if url:
            tab.goto(url)
        for element, ratio in tab.evaluate(_CONTRAST):
            key = f"{name}: {element}"
            checked[key] = min(ratio, checked.get(key, ratio))
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"{scheme}-{name.replace(' ', '-')}.png"), full_page=True)
    context.close()
    assert any("span.attribution" in key for key in checked)  # the mail attributes its highlights
    assert {key: ratio for key, ratio in checked.items() if ratio < 4.5} == {}


@pytest.mark.parametrize("lang", ["zh", "ru", "ar"])
def test_a_readers_mail_in_their_language_reads_at_phone_width(tmp_path: Path, browser: Any,
                                                              lang: str) -> None:
    """The mail of a Chinese, a Russian and an Arabic reader, shown in Chromium at a phone's
    width: in their language, right to left for Arabic, nothing wider than the screen. The
    screenshots are kept in test-artifacts/browser (and shown in the closing notes)."""
    from tests.builders import outbox_messages

    config = write_config(tmp_path, mail="  outbox: outbox",
                          subscribers=f"  - email: {lang}@example.org\n    languages: [{lang}, en]\n",
                          extra="web: {base_url: 'https://digest.example.org'}\n")
    import_stories(config)
    assert run_digest("send", "--config", str(config)).code == 0
    [message] = outbox_messages(config)
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    try:
        tab = context.new_page()
        tab.set_content(body(message, "html"))
        direction = tab.evaluate("getComputedStyle(document.querySelector('.wrap')).direction")
        assert direction == ("rtl" if lang == "ar" else "ltr")
        assert tab.evaluate("document.documentElement.lang") == lang
        wide = tab.evaluate("document.documentElement.scrollWidth")
        assert wide <= 390, f"the page is {wide}px wide on a 390px screen"
        heading = {"zh": "要点", "ru": "Главное", "ar": "أبرز النقاط"}[lang]
        assert tab.get_by_text(heading).first.is_visible()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"mail-{lang}-phone.png"), full_page=True)
    finally:
        context.close()

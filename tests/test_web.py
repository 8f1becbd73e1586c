"""The web app over HTTP (Starlette's test client, in process, on a real SQLite store holding
digests sent by the real ``digest send``): archive, personal copies, one-click unsubscribe,
preferences with CSRF, admin login, and the links of real generated mail."""

from __future__ import annotations

import email
import re
import shutil
from datetime import UTC, date, datetime, time, timedelta
from email.policy import default as default_policy
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from digest import web
from digest.config import load_config
from digest.edition import Editions
from digest.tokens import make_token
from tests.builders import body
from tests.conftest import run_digest
from tests.processes import digest_server
from tests.web_site import BASE, Site, csrf, link, path_of

# --- archive ---------------------------------------------------------------------------------------

def test_archive_lists_the_day_and_shows_its_edition(site: Site) -> None:
    today = next(iter(site.mail.values()))["Date"].datetime.astimezone(UTC).date()
    listing = site.client.get("/digests/")
    assert listing.status_code == 200
    assert f'href="/digests/{today.isoformat()}"' in listing.text
    assert "6 stories" in listing.text
    assert site.client.get("/").headers["location"] == "/digests/"

    page = site.client.get(f"/digests/{today.isoformat()}")
    assert page.status_code == 200
    for title in ("Ceasefire talks resume in Geneva", "Fisheries quota deal signed in Oslo"):
        assert title in page.text  # the whole edition, not one subscriber's selection
    assert page.headers["cache-control"].startswith("public")
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "script-src" not in page.headers["content-security-policy"]  # no JavaScript at all
    assert "<script" not in page.text


@pytest.mark.parametrize("day", ["2001-01-01", "2026-02-30", "yesterday", "2026-1-1"])
def test_unknown_or_malformed_dates_are_404(site: Site, day: str) -> None:
    page = site.client.get(f"/digests/{day}")
    assert page.status_code == 404
    assert "No digest for this date" in page.text


def test_archive_pages_through_older_editions(site: Site) -> None:
    stories = site.store.edition(datetime.now(UTC).date())
    assert stories
    first = date(2020, 1, 1)
    for n in range(web.archive.ARCHIVE_PAGE + 5):
        site.store.save_edition(first + timedelta(days=n), stories[:1])
    page1 = site.client.get("/digests/")
    older = re.search(r'href="(/digests/\?before=[0-9-]+)">Older digests', page1.text)
    assert older and page1.text.count('<li><a href="/digests/') == web.archive.ARCHIVE_PAGE
    page2 = site.client.get(older.group(1))
    assert page2.status_code == 200
    assert 'href="/digests/2020-01-01"' in page2.text and "Older digests" not in page2.text


def test_an_unknown_route_is_a_404_page(site: Site) -> None:
    page = site.client.get("/wp-admin.php")
    assert page.status_code == 404 and "Page not found" in page.text


# --- the subscriber's own copy ("view in browser") ---------------------------------------------------

def test_view_in_browser_shows_the_subscribers_own_stories(site: Site) -> None:
    zoe = site.mail["zoe@example.org"]
    url = link(zoe, "View in browser")
    assert "?t=" in url
    page = site.client.get(path_of(url))
    assert page.status_code == 200
    assert "Ceasefire talks resume in Geneva" in page.text and "Hostage release agreed in Doha" in page.text
    assert "Fisheries quota deal signed in Oslo" not in page.text  # not among Zoë's topics
    assert "for Zoë &lt;b&gt;Ådams&lt;/b&gt;" in page.text  # escaped
    assert page.headers["cache-control"] == "private, no-store"
    assert 'name="robots" content="noindex"' in page.text
    # the same token in another spelling of its key is still the subscriber's own page
    token = url.split("?t=", 1)[1]
    for query in (f"%74={token}", f"before=2000-01-01&t={token}", f"%74=&t={token}"):
        spelled = site.client.get(f"{path_of(url).split('?')[0]}?{query}")
        assert spelled.status_code == 200 and "Fisheries quota deal signed in Oslo" not in spelled.text
        assert spelled.headers["cache-control"] == "private, no-store", query

    forged = url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB")
    assert site.client.get(path_of(forged)).status_code == 403


# --- unsubscribe -----------------------------------------------------------------------------------

def test_a_storys_page_from_its_link_in_the_mail_with_its_timeline(site: Site) -> None:
    mail = site.mail["zoe@example.org"]
    url = link(mail, "Ceasefire talks resume in Geneva")
    assert "/stories/s" in url
    page = site.client.get(path_of(url))
    assert page.status_code == 200
    text = page.text
    assert "<h1>Ceasefire talks resume in Geneva</h1>" in text and 'id="timeline"' in text
    timeline = text.split('id="timeline"')[1]
    # every source, the ministry's statement marked official, the wire's copy of it named
    assert '<strong>ministry</strong> <span class="official">(official)</span>' in timeline
    assert 'href="https://ministry.example/0"' in timeline
    assert "The same report also appeared at wire." in timeline
    assert re.search(r"[A-Z][a-z]{2} \d+, \d{4} \d\d:\d\d UTC", timeline)
    # the subscriber's own link: their zone
    token = site.token("zoe@example.org")
    mine = site.client.get(f"{path_of(url)}?t={token}")
    assert mine.status_code == 200 and 'content="noindex"' in mine.text
    assert site.client.get(f"{path_of(url)}?t=forged").status_code == 403
    # stable: regrouped away, the story is still shown as the archive kept it
    story_id = path_of(url).rsplit("/", 1)[1]
    [story] = [s for s in site.store.stories_updated_since(datetime(2000, 1, 1, tzinfo=UTC))
               if s.id == story_id]
    site.store.save_stories([], [i for src in story.sources for i in (src.article_id, *src.similar)])
    assert story_id not in {s.id for s in site.store.stories_updated_since(datetime(2000, 1, 1, tzinfo=UTC))}
    again = site.client.get(path_of(url))
    assert again.status_code == 200 and "<h1>Ceasefire talks resume in Geneva</h1>" in again.text
    assert site.client.get("/stories/s000000000000").status_code == 404






def test_sign_up_needs_the_mailed_link_and_is_rate_limited(site: Site) -> None:
    assert site.client.get("/signup").status_code == 404  # closed unless web.signup: true
    site.config.write_text(site.config.read_text().replace(
        f"web: {{base_url: '{BASE}'}}",
        f"web: {{base_url: '{BASE}', signup: true, signups_per_client: 5}}"))
    config = load_config(site.config)
    client = TestClient(web.create_app(config, site.store), base_url=BASE, follow_redirects=False)
    outbox = site.config.parent / "outbox"
    before = set(outbox.glob("*.eml"))
    form = client.get("/signup")
    assert form.status_code == 200 and 'name="email"' in form.text
    assert client.post("/signup", data={"email": "new@example.org"}).status_code == 400  # no CSRF
    bad = client.post("/signup", data={"csrf_token": csrf(form.text), "email": "not an address"})
    assert bad.status_code == 400 and "not an e-mail address" in bad.text

    done = client.post("/signup", data={"csrf_token": csrf(form.text), "email": "New@Example.org",
                                        "name": "Nova <i>Reader</i>"})
    assert done.status_code == 200 and "Check your inbox" in done.text
    [path] = set(outbox.glob("*.eml")) - before
    mail = email.message_from_bytes(path.read_bytes(), policy=default_policy)
    assert mail["To"].addresses[0].addr_spec == "New@example.org"
    assert mail["Subject"] == "Confirm your subscription to Foreign Affairs Digest"
    # what the sign-up typed as a name never goes out in the operator's mail
    assert "Reader" not in body(mail, "html") + body(mail, "plain") + str(mail["To"])
    url = re.search(r"(https://\S+/signup/confirm/\S+)", body(mail, "plain"))
    assert url
    # nobody gets a digest before confirming, and opening the link (a mail scanner does) is not it
    editions = Editions(config, site.store)
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert "New@example.org" not in {d.subscriber.email for d in editions.due(tomorrow)}
    opened = client.get(path_of(url.group(1)))
    assert opened.status_code == 200 and "Yes, subscribe me" in opened.text
    assert "New@example.org" not in {d.subscriber.email for d in editions.due(tomorrow)}
    confirmed = client.post(path_of(url.group(1)))
    assert confirmed.status_code == 200 and "You are subscribed" in confirmed.text
    assert "New@example.org" in {d.subscriber.email for d in editions.due(tomorrow)}
    assert client.post(path_of(url.group(1))).status_code == 200  # again: still subscribed
    assert client.get("/signup/confirm/1.1.forged").status_code == 403

    # someone subscribed already: the same answer, and no mail
    before = set(outbox.glob("*.eml"))
    again = client.post("/signup", data={"csrf_token": csrf(form.text), "email": "ivan@example.org"})
    assert "Check your inbox" in again.text and set(outbox.glob("*.eml")) == before
    # five attempts from one address an hour (refused ones count): the sixth waits
    limited = client.post("/signup", data={"csrf_token": csrf(form.text), "email": "x@example.org"})
    assert limited.status_code == 200
    refused = client.post("/signup", data={"csrf_token": csrf(form.text), "email": "y@example.org"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_one_click_unsubscribe_from_the_list_unsubscribe_header(site: Site) -> None:
    zoe = site.mail["zoe@example.org"]
    assert zoe["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.findall(r"<([^>]+)>", zoe["List-Unsubscribe"])[0]
    assert link(zoe, "Unsubscribe") == url

    confirm = site.client.get(path_of(url))  # a GET (a link scanner, a prefetch) changes nothing
    assert confirm.status_code == 200 and "Unsubscribe from" in confirm.text
    row = site.store.subscriber("zoe@example.org")
    assert row is not None and row.active

    # RFC 8058: the mail provider POSTs this body, with no cookie and no CSRF token
    done = site.fresh_client().post(path_of(url), data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "You are unsubscribed" in done.text
    row = site.store.subscriber("zoe@example.org")
    assert row is not None and not row.active and row.unsubscribed_at is not None
    again = site.client.post(path_of(url), data={"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200  # idempotent

    # it takes effect for the next send, and config.yaml does not bring Zoë back
    editions = Editions(load_config(site.config), site.store)
    site.store.sync_subscribers(load_config(site.config).subscribers)
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert [due.subscriber.email for due in editions.due(tomorrow)] == ["ivan@example.org"]


def test_unsubscribe_post_needs_the_one_click_body(site: Site) -> None:
    url = path_of(re.findall(r"<([^>]+)>", site.mail["ivan@example.org"]["List-Unsubscribe"])[0])
    refused = site.client.post(url, data={"something": "else"})
    assert refused.status_code == 400
    row = site.store.subscriber("ivan@example.org")
    assert row is not None and row.active


def test_forged_tampered_moved_and_expired_tokens_are_refused(site: Site) -> None:
    genuine = site.token("ivan@example.org")
    ident, day, signature = genuine.split(".")
    zoe_id = str(site.store.subscriber("zoe@example.org").id)  # type: ignore[union-attr]
    bad = {
        "forged": f"{ident}.{day}.{'A' * len(signature)}",
        "moved to another subscriber": f"{zoe_id}.{day}.{signature}",
        "made younger": f"{ident}.{int(day) + 1}.{signature}",
        "garbage": "not-a-token",
        "huge": "9" * 40 + "." + day + "." + signature,
        "other key": make_token(b"k" * 32, int(ident), "ivan@example.org"),
    }
    for what, token in bad.items():
        for path in (f"/unsubscribe/{token}", f"/preferences/{token}",
                     f"/digests/{date.today().isoformat()}?t={token}"):
            page = site.client.get(path)
            assert page.status_code == 403, (what, path)
            assert "This link is not valid" in page.text
        assert site.client.post(f"/unsubscribe/{token}",
                                data={"List-Unsubscribe": "One-Click"}).status_code == 403

    old = site.token("ivan@example.org", issued=date.today() - timedelta(days=366))
    expired = site.client.post(f"/unsubscribe/{old}", data={"List-Unsubscribe": "One-Click"})
    assert expired.status_code == 410 and "expired" in expired.text
    row = site.store.subscriber("ivan@example.org")
    assert row is not None and row.active
    recent = site.token("ivan@example.org", issued=date.today() - timedelta(days=364))
    assert site.client.get(f"/unsubscribe/{recent}").status_code == 200


# --- preferences -----------------------------------------------------------------------------------

def test_preferences_are_saved_and_outlive_config_sync(site: Site) -> None:
    url = path_of(link(site.mail["zoe@example.org"], "Preferences"))
    form = site.client.get(url)
    assert form.status_code == 200
    assert 'value="Geneva, Doha"' in form.text
    assert '<label for="timezone">Time zone</label>' in form.text

    saved = site.client.post(url, data={
        "csrf_token": csrf(form.text), "active": "y", "topics": "Vienna, nuclear ,",
        "sources": ["ministry"], "language_1": "en", "language_2": "zh", "send_at": "06:30",
        "timezone": "Asia/Tokyo"})
    assert saved.status_code == 303 and saved.headers["location"].endswith("?saved=1")
    page = site.client.get(saved.headers["location"]).text
    assert "Saved." in page
    assert re.search(r'<select id="language_2" name="language_2">.*?<option selected value="zh">',
                     page, re.S)
    row = site.store.subscriber("zoe@example.org")
    assert row is not None
    assert (row.topics, row.sources, row.languages, row.send_at, row.timezone) == (
        ("Vienna", "nuclear"), ("ministry",), ("en", "zh"), time(6, 30), "Asia/Tokyo")

    site.store.sync_subscribers(load_config(site.config).subscribers)  # config.yaml says Geneva
    row = site.store.subscriber("zoe@example.org")
    assert row is not None and row.topics == ("Vienna", "nuclear") and row.name == "Zoë <b>Ådams</b>"
    assert row.languages == ("en", "zh")


def test_preferences_without_a_valid_csrf_token_change_nothing(site: Site) -> None:
    url = path_of(link(site.mail["ivan@example.org"], "Preferences"))
    fields = {"active": "y", "topics": "Oslo", "send_at": "05:00", "timezone": ""}
    missing = site.client.post(url, data=fields)
    assert missing.status_code == 400 and "Nothing was saved" in missing.text

    token = csrf(site.client.get(url).text)
    other_browser = site.fresh_client().post(url, data={**fields, "csrf_token": token})
    assert other_browser.status_code == 400 and "another site" in other_browser.text

    tampered = site.client.post(url, data={**fields, "csrf_token": token[:-2] + "00"})
    assert tampered.status_code == 400
    row = site.store.subscriber("ivan@example.org")
    assert row is not None and row.topics == () and row.prefs_updated_at is None


def test_invalid_preferences_are_shown_on_the_form(site: Site) -> None:
    url = path_of(link(site.mail["ivan@example.org"], "Preferences"))
    token = csrf(site.client.get(url).text)
    page = site.client.post(url, data={
        "csrf_token": token, "active": "y", "topics": "x" * 61, "sources": ["nowhere"],
        "send_at": "25:99", "timezone": "Mars/Olympus_Mons"})
    assert page.status_code == 400
    assert "A topic is at most 60 characters." in page.text
    assert page.text.count('class="error"') == 4
    assert 'aria-invalid="true"' in page.text and 'aria-describedby="send_at-hint send_at-error"' in page.text
    row = site.store.subscriber("ivan@example.org")
    assert row is not None and row.prefs_updated_at is None


def test_unticking_send_unsubscribes_and_ticking_resubscribes(site: Site) -> None:
    url = path_of(link(site.mail["ivan@example.org"], "Preferences"))
    page = site.client.get(url)
    site.client.post(url, data={"csrf_token": csrf(page.text), "timezone": ""})
    row = site.store.subscriber("ivan@example.org")
    assert row is not None and not row.active
    page = site.client.get(url)
    assert 'id="active" name="active" type="checkbox" value="y">' in page.text  # unticked
    site.client.post(url, data={"csrf_token": csrf(page.text), "active": "y", "timezone": ""})
    row = site.store.subscriber("ivan@example.org")
    assert row is not None and row.active and row.unsubscribed_at is None


# --- admin -----------------------------------------------------------------------------------------







def test_health_endpoint(site: Site) -> None:
    assert site.client.get("/healthz").text == "ok\n"










def test_serve_says_where_it_listens_and_a_busy_port_is_exit_2(tmp_path: Path, sent_digests: Path) -> None:
    shutil.copytree(sent_digests, tmp_path, dirs_exist_ok=True)
    with digest_server(tmp_path) as base:
        assert f"serving on {base}/" in (tmp_path / "serve.log").read_text()
        port = base.rsplit(":", 1)[1]
        busy = run_digest("serve", "--config", str(tmp_path / "config.yaml"), "--port", port)
    assert busy.code == 2
    assert busy.err.strip().splitlines()[-1].startswith(f"Error: cannot listen on 127.0.0.1:{port}: "
                                                         "Address already in use")

"""A story over days: what is new since a subscriber's last digest.

Three days of news, written from the shapes of real reports (a state visit followed day by
day, floods reported once, a sanctions move): each day the stories are built and the digests
sent at the day's send time, as the daemon does, and what each subscriber got is read back.
"""

from __future__ import annotations

import email
from datetime import UTC, datetime, timedelta
from email.policy import default as default_policy
from pathlib import Path

from digest.config import load_config
from digest.domain import NewArticle
from digest.edition import Editions
from digest.render import Renderer
from digest.stages import build_stories, make_sender, open_store
from tests.builders import body, write_config

DAY1 = datetime(2026, 6, 8, 6, 0, tzinfo=UTC)

VISIT = [  # (day, hour, source, url, title, text)
    (0, 1, "wire", "https://wire.example/xi-1", "Xi Jinping arrives in Pyongyang for state visit",
     "Chinese President Xi Jinping arrived in Pyongyang on Monday for a two-day state visit to "
     "North Korea, his first since 2019. Kim Jong Un greeted Xi at Sunan airport."),
    (0, 2, "ministry", "https://mfa.example/xi-1", "Xi Jinping begins state visit to the DPRK",
     "President Xi Jinping began a state visit to the DPRK in Pyongyang at the invitation of "
     "Kim Jong Un. Xi and Kim will hold talks on bilateral relations."),
    (1, 1, "wire", "https://wire.example/xi-2", "Xi and Kim sign friendship treaty in Pyongyang",
     "Xi Jinping and Kim Jong Un signed a friendship treaty in Pyongyang on Tuesday at the end "
     "of Xi's state visit to North Korea. Kim thanked Xi for China's support."),
    (3, 1, "wire", "https://wire.example/xi-3", "Kim Jong Un hails Xi Jinping visit to Pyongyang",
     "North Korea's Kim Jong Un said Xi Jinping's state visit to Pyongyang opened a new chapter, "
     "state media reported on Thursday, as the treaty signed with Xi came into force."),
]
FLOODS = [(0, 3, "wire", "https://wire.example/floods", "Floods in southern Brazil kill 12",
           "Floods in the Brazilian state of Rio Grande do Sul killed 12 people and forced "
           "thousands from their homes, officials in Porto Alegre said.")]
TANKERS = [(1, 2, "wire", "https://wire.example/tankers",
            "EU to let navies inspect tankers carrying Russian oil",
            "EU foreign policy chief Kaja Kallas said the European Union would let warships "
            "inspect tankers carrying Russian oil in the Mediterranean.")]


def test_a_digest_says_what_is_new_since_the_last_one(tmp_path: Path) -> None:
    path = write_config(tmp_path, mail="  outbox: outbox",
                        subscribers="  - email: reader@example.org\n")
    path.write_text(path.read_text().replace("max_stories: 10}", "max_stories: 10, window_hours: 96}"))
    config = load_config(path)
    store = open_store(config)
    news = sorted(VISIT + FLOODS + TANKERS)
    sent: list[dict[str, object]] = []
    for day in range(4):  # day 2 (index 2) brings no news at all
        now = DAY1 + timedelta(days=day)
        store.add_articles([NewArticle(source=source, url=url, title=title, text=text,
                                       published=DAY1 + timedelta(days=d, hours=-6 + h), language="en")
                            for d, h, source, url, title, text in news if d == day])
        build_stories(config, store, now)
        reader = store.subscriber("reader@example.org")
        assert reader is not None
        content = Editions(config, store).content(reader, now)
        before = set((tmp_path / "outbox").glob("*.eml"))
        report = make_sender(config, store).send_due(now)
        assert report.ok
        mails = [email.message_from_bytes(f.read_bytes(), policy=default_policy)
                 for f in set((tmp_path / "outbox").glob("*.eml")) - before]
        sent.append({
            "status": {s.title: content.changes[s.id] for s in content.stories},
            "still": [s.title for s in content.still_developing],
            "text": body(mails[0], "plain") if mails else None})  # type: ignore[arg-type]

    day1, day2, quiet, day4 = sent
    assert {title: c.status for title, c in day1["status"].items()} == {  # type: ignore[union-attr]
        "Xi Jinping arrives in Pyongyang for state visit": "new",
        "Floods in southern Brazil kill 12": "new"}
    # day 2: the visit goes on (one more report), the tankers are new, the floods are not
    # told again in full but named as still developing
    visit = next(c for t, c in day2["status"].items() if "Pyongyang" in t)  # type: ignore[union-attr]
    assert (visit.status, visit.new_sources, visit.note) == ("updated", 1, "+1 report")
    assert visit.new_highlights
    tankers = next(c for t, c in day2["status"].items() if "tankers" in t)  # type: ignore[union-attr]
    assert tankers.status == "new"
    assert day2["still"] == ["Floods in southern Brazil kill 12"]
    text = str(day2["text"])
    assert "Updated since your last digest: +1 report" in text and "New: " in text
    assert "STILL DEVELOPING" in text and "Floods in southern Brazil" in text.split("STILL DEVELOPING")[1]
    assert "Rio Grande do Sul" not in text  # the floods' highlights are not repeated
    # a day without news sends nothing (quiet_day: skip) ...
    assert quiet["text"] is None and quiet["status"] == {}
    # ... and the day after, the visit's new report is news again, the rest still developing
    visit = next(c for t, c in day4["status"].items() if "Pyongyang" in t or "Xi" in t)  # type: ignore[union-attr]
    assert (visit.status, visit.new_sources) == ("updated", 1)
    assert set(day4["still"]) == {"Floods in southern Brazil kill 12",  # type: ignore[arg-type]
                                  "EU to let navies inspect tankers carrying Russian oil"}
    store.close()


def test_a_weekly_digest_is_the_weeks_stories_on_its_day(tmp_path: Path) -> None:
    path = write_config(tmp_path, mail="  outbox: outbox", subscribers=(
        "  - email: daily@example.org\n"
        "  - email: weekly@example.org\n    frequency: weekly\n    weekday: thursday\n"))
    config = load_config(path)
    store = open_store(config)
    store.add_articles([NewArticle(source=source, url=url, title=title, text=text, language="en",
                                   published=DAY1 + timedelta(days=d, hours=-6 + h))
                        for d, h, source, url, title, text in sorted(VISIT + FLOODS + TANKERS)])
    weekly = store.subscriber("weekly@example.org")
    assert weekly is not None and (weekly.frequency, weekly.weekday) == ("weekly", "thursday")
    sent_to: dict[str, list[str]] = {}
    for day in range(4):  # Monday 8 June to Thursday 11 June
        now = DAY1 + timedelta(days=day)
        build_stories(config, store, now)
        report = make_sender(config, store).send_due(now)
        assert report.ok
        sent_to[f"{now:%A}"] = sorted(report.sent)
    assert sent_to["Monday"] == sent_to["Tuesday"] == ["daily@example.org"]
    assert sent_to["Wednesday"] == []  # nothing new for anyone: a quiet day is skipped
    assert sent_to["Thursday"] == ["daily@example.org", "weekly@example.org"]
    # the week's stories as they stand on Thursday, the floods of Monday among them, and the
    # state visit as one story over the days it ran
    content = Editions(config, store).content(weekly, DAY1 + timedelta(days=3))
    titles = {s.title for s in content.stories}
    assert "Floods in southern Brazil kill 12" in titles and len(titles) == 3, titles
    assert all(c.status == "new" for c in content.changes.values())
    assert content.weekly and "week to" in Renderer().render(content).subject
    daily = store.subscriber("daily@example.org")
    assert daily is not None
    assert "Floods in southern Brazil kill 12" not in {
        s.title for s in Editions(config, store).content(daily, DAY1 + timedelta(days=3)).stories}
    store.close()

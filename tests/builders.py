"""Builders for what tests set up over and over: config files (from Python values, or the
short YAML most delivery tests share), a day of stored stories, and the mail an outbox holds."""

from __future__ import annotations

import email
import json
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

from tests.processes import run_digest

__all__ = ["CITIES", "EVENTS", "body", "config_file", "feed", "flooding_briefing", "import_stories", "listing",
           "outbox_messages", "smtp_mail", "write_config"]


def feed(name: str, url: str, **options: Any) -> dict[str, Any]:
    """A feed source."""
    return {"name": name, "kind": "feed", "url": url, **options}


def listing(name: str, url: str, links: str, **options: Any) -> dict[str, Any]:
    """A listing source."""
    return {"name": name, "kind": "listing", "url": url, "links": links, **options}


def config_file(folder: Path, *, sources: list[dict[str, Any]],
                subscribers: list[dict[str, Any]] | None = None,
                database: str = "sqlite:///digest.db", mail: dict[str, Any] | None = None,
                **sections: Any) -> Path:
    """``folder/config.yaml`` with these sources and subscribers (one reader by default), mail
    to an outbox, sending at midnight, and any other top-level ``sections`` (``digest`` is
    merged into the defaults). JSON is YAML, so the file is written as JSON."""
    config: dict[str, Any] = {
        "database": database,
        "timezone": "UTC",
        "sources": sources,
        "mail": mail or {"from": "Digest <digest@example.org>", "outbox": "outbox"},
        "digest": {"send_at": "00:00", **sections.pop("digest", {})},
        "subscribers": subscribers if subscribers is not None else [{"email": "reader@example.org"}],
        "crawl": {"delay": 0, "timeout": 10, "extract_workers": 1, **sections.pop("crawl", {})},
        **sections,
    }
    path = folder / "config.yaml"
    path.write_text(json.dumps(config, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


CITIES = ["Geneva", "Doha", "Vienna", "Oslo", "Nairobi", "Jakarta"]
EVENTS = {
    "Geneva": ("Ceasefire talks resume in Geneva",
               "Negotiators returned to Geneva for a new round of ceasefire talks. Mediators said "
               "both delegations accepted the agenda and a truce monitoring mission."),
    "Doha": ("Hostage release agreed in Doha",
             "Qatari mediators in Doha announced that twelve hostages will be freed on Friday in "
             "exchange for prisoners held since the spring."),
    "Vienna": ("Nuclear inspectors report to the board in Vienna",
               "The atomic energy agency told its governors in Vienna that enrichment at two "
               "sites exceeded agreed limits, and that cameras had been removed."),
    "Oslo": ("Fisheries quota deal signed in Oslo",
             "Norway and its neighbours signed a cod and herring quota agreement in Oslo after "
             "months of disputes over Arctic fishing grounds."),
    "Nairobi": ("Drought appeal launched in Nairobi",
                "Aid agencies in Nairobi appealed for food and water for three million people as "
                "a fourth failed rainy season hit pastoralist herds."),
    "Jakarta": ("Trade pact talks stall in Jakarta",
                "Southeast Asian trade ministers meeting in Jakarta failed to agree tariff cuts on "
                "electric vehicle batteries and nickel exports."),
}

def write_config(tmp_path: Path, *, mail: str, subscribers: str, extra: str = "",
                 database: str = "sqlite:///digest.db") -> Path:
    config = tmp_path / "config.yaml"
    config.write_text(f"""\
database: "{database}"
sources:
  - {{name: wire, kind: feed, url: "http://127.0.0.1:9/rss.xml"}}
  - {{name: ministry, kind: feed, url: "http://127.0.0.1:9/mfa.xml", official: true}}
mail:
  from: "Digest Desk <digest@example.org>"
{mail}
digest: {{send_at: "00:00", max_stories: 10}}
subscribers:
{subscribers}{extra}""")
    return config


def import_stories(config: Path, *, cities: list[str] = CITIES, filler: int = 0,
                   language: str = "en") -> None:
    """One story per city (a wire report and a ministry statement), built and stored."""
    now = datetime.now(UTC)
    lines = []
    for i, city in enumerate(cities):
        title, lead = EVENTS[city]
        body = (lead + " Officials said more meetings would follow this week. "
                + " ".join(f"Observers in {city} also noted point {j} of the record at length."
                           for j in range(filler)))
        for source in ("wire", "ministry"):
            lines.append(json.dumps({
                "url": f"https://{source}.example/{i}", "source": source, "language": language,
                "published": (now - timedelta(hours=i + 1)).isoformat(),
                "title": title, "text": body}))
    (config.parent / "articles.jsonl").write_text("\n".join(lines) + "\n")
    imported = run_digest("import", "--config", str(config), str(config.parent / "articles.jsonl"))
    assert imported.code == 0, imported.err
    built = run_digest("stories", "--config", str(config))
    assert built.code == 0, built.err


def outbox_messages(config: Path) -> list[EmailMessage]:
    out = []
    for path in sorted((config.parent / "outbox").glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=default_policy)
        assert isinstance(msg, EmailMessage)
        out.append(msg)
    return out


def body(msg: EmailMessage, kind: str) -> str:
    part = msg.get_body((kind,))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def smtp_mail(port: int, retries: int = 2) -> str:
    return (f"  smtp: {{host: 127.0.0.1, port: {port}, timeout: 10}}\n"
            f"  retries: {retries}\n  retry_wait_seconds: 0.05")


def flooding_briefing() -> str:
    """A briefing whose reading floods: twenty paragraphs on twenty subjects read as the
    spokesperson's announcements before two questions (a convention the reader missed)."""
    subjects = ["Wheat harvests fell sharply", "Copper exports doubled", "Glaciers retreated faster",
                "Vaccination clinics opened", "Pension reform stalled", "Railway strikes spread",
                "Forest fires burned", "Tourism bookings rose", "Submarine contracts were signed",
                "Bank deposits shrank", "Teachers demanded raises", "Hospitals recruited nurses",
                "Satellite launches resumed", "Fishing quotas changed", "Museum visitors returned",
                "Highway tolls increased", "Solar farms expanded", "Cattle prices dropped",
                "Orchestra tours resumed", "Chess olympiad opened"]
    places = ["Kansas", "Chile", "Alaska", "Kenya", "Lyon", "Kent", "Oregon", "Bali", "Kiel", "Zurich",
              "Ohio", "Leeds", "Kourou", "Bergen", "Padua", "Texas", "Nevada", "Iowa", "Vienna", "Baku"]
    return "\n".join(["Spokesperson: Good afternoon.",
                      *(f"{subject} across {place} throughout {2000 + n}."
                        for n, (subject, place) in enumerate(zip(subjects, places, strict=True))),
                      "Question: Will the plans be debated in parliament?", "Spokesperson: Yes, next week.",
                      "Question: And when will they take effect?", "Spokesperson: From January."])

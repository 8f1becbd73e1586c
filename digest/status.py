"""What ``digest status`` reports: last runs, next runs, locks, source health, deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from digest.config import Config
from digest.health import source_flag
from digest.locks import DAEMON, PIPELINE, holder_of
from digest.store import Store
from digest.text import plural

__all__ = ["collect", "format_text"]


def collect(config: Config, store: Store, now: datetime, *, runs: int = 10,
            next_days: float = 1.0) -> dict[str, Any]:
    """The status as plain JSON-ready data."""
    from digest.plan import planned_runs, send_groups  # APScheduler only when asked

    locks = {}
    for name in (PIPELINE, DAEMON):
        holder = holder_of(store, name)
        locks[name] = None if holder is None else {
            "command": holder.command, "host": holder.host, "pid": holder.pid,
            "since": holder.acquired_at.isoformat(), "heartbeat": holder.heartbeat_at.isoformat(),
        }
    deliveries = [
        {"email": d.email, "date": d.digest_date.isoformat(), "status": d.status,
         "attempts": d.attempts, "error": d.last_error,
         "updated": d.updated_at.isoformat() if d.updated_at else None}
        for d in store.deliveries(statuses=("pending", "sending", "failed"))
    ]
    return {
        "now": now.isoformat(),
        "runs": [
            {"id": r.id, "command": r.command, "status": r.status,
             "started": r.started_at.isoformat(),
             "finished": r.finished_at.isoformat() if r.finished_at else None,
             "seconds": (round((r.finished_at - r.started_at).total_seconds(), 1)
                         if r.finished_at else None),
             "summary": r.summary}
            for r in store.runs(runs)
        ],
        "locks": locks,
        "next_runs": planned_runs(config, send_groups(store.subscribers()), now,
                                  next_days),
        "sources": [dict(s, flag=source_flag(s)) for s in store.source_health()],
        "deliveries": deliveries,
        "suspended": [{"email": sub.email, "since": sub.suspended_at.isoformat(),
                       "reason": sub.suspended_reason}
                      for sub in store.subscribers() if sub.suspended_at is not None],
    }


def format_text(status: dict[str, Any]) -> str:
    lines = ["Last runs:"]
    for r in status["runs"] or []:
        took = f"{r['seconds']:.0f}s" if r["seconds"] is not None else "running"
        counts = ", ".join(f"{k} {v}" for k, v in r["summary"].items()
                           if isinstance(v, int | float) and not isinstance(v, bool) and v)
        stages = r["summary"].get("stages") or {}
        timings = ("  (" + ", ".join(f"{name} {seconds:.1f}s" for name, seconds in stages.items())
                   + ")") if isinstance(stages, dict) and stages else ""
        error = f"  {r['summary'].get('error')}" if r["summary"].get("error") else ""
        lines.append(f"  #{r['id']:<5} {r['started'][:19]}  {r['command']:<16} "
                     f"{r['status']:<8} {took:>7}  {counts}{timings}{error}")
    if not status["runs"]:
        lines.append("  none yet")
    for name, holder in status["locks"].items():
        if holder:
            lines.append(f"Lock {name}: held by '{holder['command']}' (pid {holder['pid']} on "
                         f"{holder['host']}, since {holder['since'][:19]})")
    lines.append("Next runs (from the config):")
    for run in status["next_runs"][:12]:
        who = f"  {plural(len(run['subscribers']), 'subscriber')}" if run["subscribers"] else ""
        lines.append(f"  {run['at'][:16]} UTC  ({run['local'][:16]} local)  {run['job']}{who}")
    lines.append("Sources:")
    for s in status["sources"]:
        last = (s["last_success_at"] or "never")[:16]
        flag = f"  !! {s['flag']}" if s["flag"] else ""
        lines.append(f"  {s['name']:<20} articles {s['articles']:>5}  last ok {last}  "
                     f"last run +{s['last_yield']}{flag}")
    pending = [d for d in status["deliveries"] if d["status"] != "failed"]
    failed = [d for d in status["deliveries"] if d["status"] == "failed"]
    lines.append(f"Deliveries: {len(pending)} pending, {len(failed)} failed")
    for d in pending + failed:
        lines.append(f"  {d['date']}  {d['email']:<32} {d['status']:<8} attempts {d['attempts']}"
                     + (f"  {d['error']}" if d["error"] else ""))
    if status.get("suspended"):
        lines.append(f"Suspended: {len(status['suspended'])} (no digests until added again)")
        for sub in status["suspended"]:
            lines.append(f"  {sub['email']:<32} since {sub['since'][:10]}  {sub['reason']}")
    return "\n".join(lines)

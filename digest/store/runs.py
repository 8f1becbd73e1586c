"""Runs: each command's start, end, status and counts (``digest status``, the admin page)."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from digest.domain import RunRecord
from digest.models import RunRow, utcnow
from digest.store._database import Database


class RunStore(Database):
    """The record of each command's runs."""

    def start_run(self, command_name: str) -> int:
        with self.session() as s:
            row = RunRow(command=command_name, started_at=datetime.now(UTC),
                         host=socket.gethostname(), pid=os.getpid())
            s.add(row)
            s.flush()
            return row.id

    def finish_run(self, run_id: int, *, status: str, summary: dict[str, Any]) -> None:
        with self.session() as s:
            s.execute(
                update(RunRow).where(RunRow.id == run_id).values(
                    status=status, summary=summary, finished_at=utcnow()
                )
            )

    def mark_runs_killed(self, host: str, pid: int) -> int:
        """Runs a vanished process left "running" are marked "killed"; returns how many."""
        with self.session() as s:
            result = s.execute(
                update(RunRow).where(RunRow.status == "running", RunRow.host == host,
                                     RunRow.pid == pid)
                .values(status="killed", finished_at=utcnow(),
                        summary={"error": "the process was killed or lost its lock"})
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

    def runs(self, limit: int = 10) -> list[RunRecord]:
        """The newest runs first."""
        with self.session() as s:
            return [RunRecord(id=r.id, command=r.command, status=r.status, started_at=r.started_at,
                              finished_at=r.finished_at, summary=dict(r.summary or {}),
                              host=r.host, pid=r.pid)
                    for r in s.scalars(select(RunRow).order_by(RunRow.id.desc()).limit(limit))]

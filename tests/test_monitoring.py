"""Monitoring as an operator wires it: /healthz answers 503 naming the failure while the
PostgreSQL server is down and "ok" again once it is back; /metrics, scraped after a real run
over the sample sites, parses in Prometheus' format and counts what the run did; `digest
status` shows each run's stage timings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from digest import web
from digest.config import load_config
from digest.store import Store
from tests.conftest import postgres_cluster, run_digest
from tests.servers import PostgresCluster


@pytest.fixture
def own_postgres() -> Iterator[PostgresCluster]:
    """A cluster of this test's own, to stop and start again."""
    with postgres_cluster() as cluster:
        yield cluster


def test_healthz_says_503_and_why_while_the_database_is_down(tmp_path: Path,
                                                             own_postgres: PostgresCluster) -> None:
    url = own_postgres.database()
    config = tmp_path / "config.yaml"
    config.write_text(f'database: "{url}"\nsources: []\nmail: {{from: "D <d@example.org>", '
                      'outbox: outbox}\n')
    store = Store(url)
    store.migrate()
    client = TestClient(web.create_app(load_config(config), store))
    up = client.get("/healthz")
    assert (up.status_code, up.text) == (200, "ok\n")

    own_postgres.stop()
    down = client.get("/healthz")
    assert down.status_code == 503
    assert down.text.startswith("database unavailable: OperationalError")
    assert "Cache-Control" in down.headers and "ok" not in down.text
    assert client.get("/metrics").status_code == 503

    own_postgres.start_again()
    again = client.get("/healthz")  # the dropped pooled connections are not used again
    assert (again.status_code, again.text) == (200, "ok\n")


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_metrics_after_a_real_run_count_what_it_did(demo_config: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_digest("run", "--config", str(demo_config))
    assert result.code == 0, result.err
    config = load_config(demo_config)
    store = Store(config.database)
    client = TestClient(web.create_app(config, store))
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    found = _samples(response.text)
    assert found[("digest_runs_total", (("command", "run"), ("status", "ok")))] == 1
    sent = found[("digest_deliveries", (("status", "sent"),))]
    assert sent == len(config.subscribers) and sent > 0
    assert found[("digest_deliveries", (("status", "failed"),))] == 0
    assert found[("digest_pages_fetched_total", ())] > 0
    assert found[("digest_sources_failing", ())] == 0
    for stage in ("crawl", "stories", "send"):
        assert 0 <= found[("digest_seconds_since_last_completed", (("stage", stage),))] < 600
        assert found[("digest_stage_seconds", (("command", "run"), ("stage", stage)))] >= 0
    assert found[("digest_bounces_total", (("kind", "hard"),))] == 0

    # with a token configured, a scrape without it is refused
    text = demo_config.read_text() + "\nweb:\n  metrics_token_env: DIGEST_METRICS_TOKEN\n"
    demo_config.write_text(text)
    monkeypatch.setenv("DIGEST_METRICS_TOKEN", "s3cret-token")
    guarded = TestClient(web.create_app(load_config(demo_config), store))
    assert guarded.get("/metrics").status_code == 401
    assert guarded.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert guarded.get("/metrics", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200

    status = run_digest("status", "--config", str(demo_config))
    assert "(crawl " in status.out and ", send " in status.out  # each stage's seconds

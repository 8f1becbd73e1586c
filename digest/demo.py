"""``digest demo``: the whole pipeline, offline, on the bundled sample sites.

Serves ``digest/sample_sites`` on 127.0.0.1, writes a config for them into the output folder,
runs crawl -> stories -> send (to the outbox folder), and renders the same digest as a web page.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from digest.config import load_config
from digest.edition import Editions
from digest.errors import DigestError, InputError
from digest.render import Renderer
from digest.samples import SampleSites, sample_config
from digest.stages import RunReport, open_store, run_once

__all__ = ["DemoResult", "run_demo"]

_MARKER = ".digest-demo"
WEB_PORT = 8080  # where the demo's mail expects `digest serve` (its default port)


@dataclass(frozen=True)
class DemoResult:
    eml: Path
    html: Path
    text: Path
    config: Path
    report: RunReport


def run_demo(out_dir: Path) -> DemoResult:
    """Run the pipeline once (crawl, stories, send) against the sample sites into ``out_dir``.

    Raises:
        InputError: ``out_dir`` exists, is not empty and was not made by a demo.
        DigestError: the pipeline sent no digest.
    """
    _fresh(out_dir)
    config_path = out_dir / "config.yaml"
    with SampleSites() as sites:
        config_path.write_text(
            sample_config(sites.base_url, database="sqlite:///digest.db", outbox="outbox",
                          web_url=f"http://127.0.0.1:{WEB_PORT}"),
            encoding="utf-8",
        )
        config = load_config(config_path)
        report = run_once(config)
    outbox = Path(config.mail.outbox or out_dir / "outbox")
    emails = sorted(outbox.glob("*.eml"))
    if not emails:
        raise DigestError(f"the demo sent no digest; see the log above and {outbox}")
    store = open_store(config)
    now = datetime.now(UTC)
    subscriber = store.subscribers()[0]
    content = Editions(config, store).content(subscriber, now, day=now.date())
    rendered = Renderer().render(content)
    html, text = out_dir / "digest.html", out_dir / "digest.txt"
    html.write_text(rendered.html, encoding="utf-8")
    text.write_text(rendered.text, encoding="utf-8")
    store.close()
    return DemoResult(eml=emails[-1], html=html, text=text, config=config_path, report=report)


def _fresh(out_dir: Path) -> None:
    if out_dir.exists():
        if any(out_dir.iterdir()) and not (out_dir / _MARKER).exists():
            raise InputError(f"{out_dir} is not empty and not a demo folder; choose another --out")
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    (out_dir / _MARKER).write_text("made by `digest demo`; emptied by the next demo run\n")

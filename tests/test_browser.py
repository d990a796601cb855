"""A report opened in a real browser (Debian's headless Chromium): it renders, and the page
makes no request to any external host.

How a request is attributed to the page: Chromium's net log tags every request with its
network isolation key; requests made for a page opened from file:// carry "file://" there,
while Chromium's own background traffic (updates, time sync) does not. A control page with
one external image proves the check can fail. Skipped when Chromium is not installed
(``python3 ./run.py test`` installs it where it may).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import papermill as pm
import pytest

from conftest import ROOT, VOORBEELD
from monitoranalyse import batch

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _open(pagina: Path, tmp: Path) -> tuple[list[str], Path]:
    """Open a page headless; return (external URLs the page requested, screenshot)."""
    netlog, shot = tmp / f"{pagina.stem}.netlog.json", tmp / f"{pagina.stem}.png"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp / ('profiel-' + pagina.stem)}", "--window-size=1200,2400",
         "--hide-scrollbars", f"--log-net-log={netlog}", f"--screenshot={shot}", pagina.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    log = json.loads(netlog.read_text())
    soorten = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    extern = []
    for e in log["events"]:
        p = e.get("params") or {}
        if soorten.get(e["type"]) == "URL_REQUEST_START_JOB" and "file://" in p.get("network_isolation_key", ""):
            if not p["url"].startswith(("file:", "data:", "about:", "blob:")):
                extern.append(p["url"])
    return extern, shot


@pytest.mark.skipif(CHROMIUM is None, reason="chromium niet geïnstalleerd")
def test_rapport_zonder_externe_verzoeken(tmp_path):
    uit = tmp_path / "monitor_gemeente.ipynb"
    pm.execute_notebook(
        str(ROOT / "notebooks" / "monitor_gemeente.ipynb"), str(uit),
        parameters={"gemeente": "Oosterwaarde", "data": str(VOORBEELD)},
        cwd=str(ROOT / "notebooks"), kernel_name="python3", progress_bar=False,
    )
    html = batch.exporteer_html(uit, tmp_path / "monitor_gemeente.html")
    extern, shot = _open(html, tmp_path)
    assert extern == []
    assert shot.stat().st_size > 20_000  # a real rendering, not a blank page

    # control: the same check sees an external image
    controle = tmp_path / "controle.html"
    controle.write_text('<html><body><img src="https://voorbeeld.invalid/x.png"><p>test</p></body></html>')
    extern, _ = _open(controle, tmp_path)
    assert extern == ["https://voorbeeld.invalid/x.png"]

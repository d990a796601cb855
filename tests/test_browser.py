"""Reports opened in a real browser (Debian's headless Chromium): they render, make no request
to any external host, and pass the automated accessibility check.

Accessibility (issue 11, Besluit digitale toegankelijkheid overheid: WCAG 2.1 AA): axe-core
(bundled in the PyPI package axe-selenium-python) runs in headless Chromium through Selenium
and Debian's chromium-driver over every report page of the sample (3 gemeenten x 3 reports
and the index); no violation of impact "serious" or "critical" is allowed. A control page
with an image without alt text proves that the check can fail.

How a request is attributed to the page: Chromium's net log tags every request with its
network isolation key; requests made for a page opened from file:// carry "file://" there,
while Chromium's own background traffic (updates, time sync) does not. A control page with
one external image proves the check can fail. Skipped when Chromium is not installed
(``python3 ./run.py test`` installs it where it may).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import papermill as pm
import pytest

from conftest import NOTEBOOKS, ROOT, VOORBEELD
from monitoranalyse.rapport import batch, export
from monitoranalyse.rapport.kernel import KernelDezeInterpreter

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe_script() -> str:
    """axe-core: MONITORANALYSE_AXE_JS when set (e.g. a newer axe.min.js from npm), else the copy
    that axe-selenium-python bundles."""
    pad = os.environ.get("MONITORANALYSE_AXE_JS")
    if not pad:
        import axe_selenium_python

        pad = Path(axe_selenium_python.__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
    return Path(pad).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("chromium of chromium-driver niet geïnstalleerd")
    pytest.importorskip("axe_selenium_python")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opties = Options()
    opties.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,2000",
              "--disable-background-networking", "--disable-component-update", "--no-first-run"):
        opties.add_argument(a)
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opties)
    drv.set_script_timeout(300)
    yield drv
    drv.quit()


def _axe(drv, pagina: Path) -> list[dict]:
    """axe-core's violations of WCAG 2.1 A/AA rules on a page: [{id, impact, nodes, help}]."""
    drv.get(pagina.as_uri())
    drv.execute_script(_axe_script())
    res = drv.execute_async_script(
        "var klaar = arguments[arguments.length - 1];"
        # the WCAG 2.1 tags exist from axe-core 3.3 on; an older bundled axe checks 2.0 A/AA
        f"var tags = {json.dumps(WCAG)}.filter(function (t) {{ return axe.getRules([t]).length > 0; }});"
        "axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(function (r) { klaar(r.violations); }, function (e) { klaar([{id: 'axe-fout', impact: 'critical', help: String(e), nodes: []}]); });"
    )
    return [{"id": v["id"], "impact": v.get("impact"), "help": v.get("help"), "nodes": len(v.get("nodes", [])),
             "voorbeeld": (v.get("nodes") or [{}])[0].get("html", "")[:200]} for v in res]


@pytest.fixture(scope="module")
def voorbeeldrapporten(tmp_path_factory) -> Path:
    """The sample reports of the README's first command, for all gemeenten."""
    out = tmp_path_factory.mktemp("rapporten")
    assert batch.rapport(VOORBEELD, out, parallel=2, regio="Voorbeeldregio") == 0  # as run.py rapport
    return out


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
        str(NOTEBOOKS / "monitor_gemeente.ipynb"), str(uit),
        parameters={"gemeente": "Oosterwaarde", "data": str(VOORBEELD)},
        cwd=str(NOTEBOOKS), kernel_name="python3", progress_bar=False,
        kernel_manager_class=KernelDezeInterpreter,
    )
    html = export.exporteer_html(uit, tmp_path / "monitor_gemeente.html")
    extern, shot = _open(html, tmp_path)
    assert extern == []
    assert shot.stat().st_size > 20_000  # a real rendering, not a blank page

    # control: the same check sees an external image
    controle = tmp_path / "controle.html"
    controle.write_text('<html><body><img src="https://voorbeeld.invalid/x.png"><p>test</p></body></html>')
    extern, _ = _open(controle, tmp_path)
    assert extern == ["https://voorbeeld.invalid/x.png"]


def test_toegankelijkheid_alle_voorbeeldrapporten(browser, voorbeeldrapporten):
    paginas = sorted(voorbeeldrapporten.glob("*/*.html")) + [voorbeeldrapporten / "index.html"]
    assert len(paginas) == 11  # 3 gemeenten x 3 reports + the regio report (issue 15) + index
    ernstig = {}
    for pagina in paginas:
        fout = [v for v in _axe(browser, pagina) if v["impact"] in ("serious", "critical")]
        if fout:
            ernstig[str(pagina.relative_to(voorbeeldrapporten))] = fout
    assert ernstig == {}


def test_toegankelijkheidscontrole_kan_falen(browser, tmp_path):
    # control: an image without alt text, no lang and no title are found (impact critical/serious)
    controle = tmp_path / "controle.html"
    controle.write_text('<!DOCTYPE html><html><head></head><body><h1>Test</h1>'
                        '<img src="data:image/png;base64,iVBORw0KGgo="><p>tekst</p></body></html>')
    ids = {v["id"]: v["impact"] for v in _axe(browser, controle)}
    assert ids.get("image-alt") == "critical"
    assert ids.get("html-has-lang") == "serious" and ids.get("document-title") == "serious"


def test_rapportpagina_titel_taal_en_koppen(voorbeeldrapporten):
    # WCAG 2.4.2 / 3.1.1 / 1.3.1, checked on the markup itself (also without a browser)
    import re

    for pagina in sorted(voorbeeldrapporten.glob("*/*.html")):
        html = pagina.read_text(encoding="utf-8")
        gemeente = pagina.parent.name.removeprefix("regio-")  # the regio report names its regio
        titel = re.search(r"<title>(.*?)</title>", html).group(1)
        assert gemeente in titel and "Notebook" not in titel, titel
        assert '<html lang="nl">' in html
        assert len(re.findall(r"<h1[ >]", html)) == 1
        niveaus = [int(n) for n in re.findall(r"<h([1-6])[ >]", html)]
        assert all(b - a <= 1 for a, b in zip(niveaus, niveaus[1:])), pagina.name  # no skipped level
        assert "No description has been provided" not in html
        assert len(re.findall(r"<img [^>]*alt=[\"'][^\"']{30,}[\"']", html)) >= 3

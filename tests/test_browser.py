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
    # as run.py rapport: the regio report (issue 15) and the PDFs (issue 18)
    assert batch.rapport(VOORBEELD, out, parallel=2, regio="Voorbeeldregio", pdf=True) == 0
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
    # 3 gemeenten x 4 reports (samenvatting, monitor, trend, vergelijking) + the regio report + index
    assert len(paginas) == 14
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
        if pagina.stem != "samenvatting":  # the one-page samenvatting has no figures, on purpose
            assert len(re.findall(r"<img [^>]*alt=[\"'][^\"']{30,}[\"']", html)) >= 3


# --------------------------------------------------------------------------- issue 18


def _samenvatting(map_: Path):
    import pandas as pd

    return pd.read_csv(map_ / "samenvatting.csv", sep=";", decimal=",", encoding="utf-8-sig", dtype=str,
                       keep_default_na=False)


def test_elke_gemeente_heeft_samenvatting_en_pdf(voorbeeldrapporten):
    mappen = sorted(p.parent.name for p in voorbeeldrapporten.glob("*/monitor_gemeente.html"))
    assert mappen == ["Beekdal", "Lindeveen", "Oosterwaarde"]
    for g in mappen:
        assert (voorbeeldrapporten / g / "samenvatting.html").is_file()
        assert (voorbeeldrapporten / g / "samenvatting.csv").is_file()
        if CHROMIUM is not None:
            assert (voorbeeldrapporten / g / f"monitor_{g}.pdf").is_file()
            assert f"{g}/monitor_{g}.pdf" in (voorbeeldrapporten / "index.html").read_text(encoding="utf-8")


def test_samenvatting_leesbaar_b1(voorbeeldrapporten):
    """Taalniveau B1, measured with the Flesch-Douma formula (Douma 1960: 206,835 - 0,93 x words per
    sentence - 77 x syllables per word; textstat's Dutch constants, syllables by pyphen's Dutch
    hyphenation). Threshold 60 for the whole samenvatting ("vrij makkelijk" and easier; B1 texts
    score about 60-70 and more) and at most 20 words per sentence (the Rijksoverheid's B1
    guideline: short sentences, about 15 words on average)."""
    import re

    import textstat

    textstat.set_lang("nl")
    for map_ in sorted(p.parent for p in voorbeeldrapporten.glob("*/samenvatting.csv")):
        zinnen = list(_samenvatting(map_)["zin"])
        assert zinnen, map_.name
        tekst = " ".join(zinnen)
        assert textstat.flesch_reading_ease(tekst) >= 60, (map_.name, textstat.flesch_reading_ease(tekst))
        for zin in re.split(r"(?<=[.?!])\s+", tekst):
            assert len(zin.split()) <= 20, zin


def test_samenvatting_herleidbaar_naar_de_tabellen(voorbeeldrapporten):
    """Every number of a finding is the released figure in indicatoren.csv, is written in the
    sentence, and the sentence's link points at an existing heading of the report."""
    import re

    import pandas as pd

    from monitoranalyse import tekst
    from monitoranalyse.contract import TOTAAL
    from monitoranalyse.rapport import inhoud

    for map_ in sorted(p.parent for p in voorbeeldrapporten.glob("*/samenvatting.csv")):
        sv = _samenvatting(map_)
        ind = pd.read_csv(map_ / "indicatoren.csv", sep=";", decimal=",", encoding="utf-8-sig",
                          keep_default_na=False, na_values=[""])
        jaar = ind[(ind["periodetype"] == "jaar") & (ind["wijkteam"] == TOTAAL) & (ind["uitsplitsing"].isna())]
        gecontroleerd = 0
        for _, r in sv[sv["deel"] == "bevinding"].iterrows():
            for deel in filter(None, r["waarden"].split("; ")):
                sleutel, waarde = deel.split(" = ")
                m = re.fullmatch(r"(\w+) (\d{4})", sleutel)
                if not m:
                    continue  # a trend slope or p-value: in trends.csv
                code, jr = m.group(1), int(m.group(2))
                rij = jaar[(jaar["indicator"] == code) & (pd.to_datetime(jaar["periode_start"]).dt.year == jr)]
                assert len(rij) == 1 and rij["onderdrukt"].astype(str).iloc[0] in ("False", "onwaar", "0"), (code, jr)
                assert float(waarde) == pytest.approx(float(rij["waarde"].iloc[0]), rel=1e-5)
                geschreven = tekst.procent(float(waarde)) if inhoud.is_procent(code) else tekst.getal(float(waarde), 1)
                assert geschreven in r["zin"], (geschreven, r["zin"])
                gecontroleerd += 1
            pagina, _, anker = r["bron"].partition("#")
            html = (map_ / pagina).read_text(encoding="utf-8")
            assert f'id="{anker}"' in html, (pagina, anker)
        assert gecontroleerd >= 3, map_.name
        # the samenvatting page and the monitor report show the same sentences
        import html as html_

        for pagina in ("samenvatting.html", "monitor_gemeente.html"):
            zichtbaar = " ".join(html_.unescape(re.sub(r"<[^>]+>", "", (map_ / pagina).read_text(encoding="utf-8"))).split())
            for zin in sv["zin"]:
                assert " ".join(zin.split()) in zichtbaar, (pagina, zin)

def test_pdf_per_gemeente(voorbeeldrapporten):
    """monitor_<gemeente>.pdf: tagged (a structure tree for screen readers), a plausible number
    of pages, the samenvatting in its text, the gemeente and period in the running header and
    page numbers."""
    if CHROMIUM is None:
        pytest.skip("chromium niet geïnstalleerd")
    from pypdf import PdfReader

    for map_ in sorted(p.parent for p in voorbeeldrapporten.glob("*/samenvatting.csv")):
        pdf = map_ / f"monitor_{map_.name}.pdf"
        lezer = PdfReader(str(pdf))
        wortel = lezer.trailer["/Root"]
        assert bool(wortel["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in wortel
        assert str(wortel["/Lang"]) == "nl" and "/Outlines" in wortel  # language; bookmarks from headings
        assert 10 <= len(lezer.pages) <= 80, len(lezer.pages)
        eerste = lezer.pages[0].extract_text()
        assert "Wat opvalt" in eerste and "lichte zorg" in eerste
        assert map_.name in eerste and "gegevens" in eerste and "pagina 1 van" in eerste

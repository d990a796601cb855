"""The batch (`monitoranalyse rapport`) on a small generated dataset with planted canaries.

What is checked, and where the expectation comes from:
- issue 6: the files per gemeente, index.html, provenance (sha256 of each input), exit codes,
  one failing gemeente not stopping the others, atomic replacement, reproducibility;
- the privacy rules of the project: canary ids (client, traject, medewerker) and a BSN-like
  value planted in the input never appear in any output file; a team name and toelichtingen
  carrying HTML and a spreadsheet formula are rendered inert.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from conftest import NOTEBOOKS, ROOT
from monitoranalyse import voorbeelddata
from monitoranalyse.analyse import resultaten
from monitoranalyse.indicatoren.catalogus import INDICATOREN
from monitoranalyse.rapport import batch, openbaarmaking

pytestmark = pytest.mark.traag

KANARIES = {
    "client_id": "KANARIECLIENT01",
    "traject_id": "KANARIETRAJECT01",
    "medewerker_id": "KANARIEMDW01",
    "huishouden_id": "KANARIEHH01",
}
BSN = "111222333"  # 9 digits passing the 11-proef (9*1+8*1+7*1+6*2+5*2+4*2+3*3+2*3-1*3 = 66 = 6*11)
TEAM_OUD = "Wijkteam Dorpen"
TEAM_BOOS = "=SOM(1;2) Dorpen<script>alert('kanarie')</script>"
# (toelichting.xlsx is written by openpyxl, which would store a leading "=" as a real formula;
# the formula case is covered by the team name, which lives in csv files)
TOELICHTING_BOOS = "<img src=x onerror=alert('toel')> toelichting =1+1"
# issue 17: a formatted BSN and an input id written in toelichtingen. Both rows must be
# quarantined at load (rules bsn / id_in_tekst); the report survives (exit code 0) and neither
# value appears in any output file. 123456782 passes the 11-proef (154 = 14*11).
BSN_GEFORMATTEERD = "123 456 782"
TOELICHTING_BSN = f"Gesprek met cliënt {BSN_GEFORMATTEERD} over de wachttijd"
TOELICHTING_ID = f"Traject {KANARIES['traject_id']} liep vast in de overdracht"
GEMEENTEN = ["Beekdal", "Oosterwaarde"]
BESTANDEN = [
    "samenvatting.html", "monitor_gemeente.html", "trendanalyse.html", "teamvergelijking.html",
    "samenvatting.ipynb", "monitor_gemeente.ipynb", "trendanalyse.ipynb", "teamvergelijking.ipynb",
    "indicatoren.csv", "indicatoren.xlsx", "signalen.csv", "trends.csv", "prognose.csv",
    "kwaliteit.csv", "herkomst.csv", "samenvatting.csv",
]


def _plant(tabellen: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    t = {k: v.copy() for k, v in tabellen.items()}
    tr = t["trajecten"]
    i = tr.index[tr["gemeente"] == "Oosterwaarde"][0]
    oud_id = tr.at[i, "traject_id"]
    for kolom, waarde in KANARIES.items():
        tr.at[i, kolom] = waarde
    for naam in ("inzet", "zrm"):
        t[naam].loc[t[naam]["traject_id"] == oud_id, "traject_id"] = KANARIES["traject_id"]
    # a BSN typed into an id column of another record: must be refused and never printed
    j = tr.index[tr["gemeente"] == "Beekdal"][0]
    tr.at[j, "client_id"] = BSN
    # a malicious team name everywhere the team occurs
    for naam, df in t.items():
        if "wijkteam" in df.columns:
            m = (df["wijkteam"] == TEAM_OUD) & (df.get("gemeente", "Oosterwaarde") == "Oosterwaarde")
            df.loc[m, "wijkteam"] = TEAM_BOOS
    toel = t["toelichting"]
    t["toelichting"] = pd.concat(
        [toel, pd.DataFrame([{"wijkteam": TEAM_BOOS, "periode": "2025", "indicator": "aandeel_lichte_zorg",
                              "tekst": TOELICHTING_BOOS, "gemeente": "Oosterwaarde"},
                             {"wijkteam": TEAM_BOOS, "periode": "2025", "indicator": "instroom",
                              "tekst": TOELICHTING_BSN, "gemeente": "Oosterwaarde"},
                             {"wijkteam": TEAM_BOOS, "periode": "2024", "indicator": "instroom",
                              "tekst": TOELICHTING_ID, "gemeente": "Oosterwaarde"}])],
        ignore_index=True,
    )
    return t


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    tabellen = _plant(voorbeelddata.genereer_tabellen(seed=11, schaal=0.2))
    map_ = voorbeelddata.schrijf_dataset(tabellen, tmp_path_factory.mktemp("invoer") / "data")
    shutil.copy(ROOT / "data_samples" / "voorbeeld" / "monitor.toml", map_ / "monitor.toml")
    return map_


@pytest.fixture(scope="module")
def run1(dataset, tmp_path_factory):
    out = tmp_path_factory.mktemp("rapporten")
    # issue 15: the same run also writes the regio report of the two gemeenten, so every check
    # below (canaries, BSN, umask, leftovers) covers the regio folder too
    code = batch.rapport(dataset, out, gemeenten=GEMEENTEN, parallel=2, regio="Testregio")
    return code, out


def _alle_tekst(pad: Path) -> str:
    if pad.suffix == ".xlsx":
        with zipfile.ZipFile(pad) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return pad.read_bytes().decode("utf-8", "replace")


def test_batch_slaagt_en_schrijft_alle_bestanden(run1):
    code, out = run1
    assert code == 0
    for g in GEMEENTEN:
        for b in BESTANDEN:
            assert (out / g / b).is_file(), (g, b)
    index = (out / "index.html").read_text()
    for g in GEMEENTEN:
        assert f"{g}/monitor_gemeente.html" in index
    assert "mislukt" not in index.split("<tbody>")[1]
    # no half-written leftovers
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_regiorapport_naast_de_gemeenten(run1):
    code, out = run1
    assert code == 0
    regio = out / "regio-Testregio"
    for b in ("regio.html", "regio.ipynb", "indicatoren.csv", "funnels.csv", "verschillen.csv", "trends.csv",
              "herkomst.csv"):
        assert (regio / b).is_file(), b
    html = (regio / "regio.html").read_text()
    assert "<title>Regiovergelijking sociale wijkteams – Testregio</title>" in html
    assert "resultaten(" not in html and "regioresultaten(" not in html  # no code in the report
    index = (out / "index.html").read_text()
    assert "regio-Testregio/regio.html" in index and "Beekdal, Oosterwaarde" in index
    # the gemeente-level table of the regio: only Totaal rows, released (every row says so)
    ind = pd.read_csv(regio / "indicatoren.csv", sep=";", decimal=",")
    assert set(ind["wijkteam"]) == {"Totaal"} and set(ind["gemeente"]) == set(GEMEENTEN)
    assert {"onderdrukt", "reden_onderdrukking"} <= set(ind.columns)


def test_geen_kanarie_en_geen_bsn_in_enig_uitvoerbestand(run1):
    _, out = run1
    bestanden = [p for p in out.rglob("*") if p.is_file()]
    assert len(bestanden) >= 2 * len(BESTANDEN)
    for p in bestanden:
        tekst = _alle_tekst(p)
        for kanarie in [*KANARIES.values(), BSN, BSN_GEFORMATTEERD, TOELICHTING_BSN, TOELICHTING_ID]:
            assert kanarie not in tekst, (p, kanarie)


def test_rapport_overleeft_toelichting_met_id_en_bsn(run1):
    # issue 17: the toelichtingen are quarantined at load, so the guard has nothing to delete
    code, out = run1
    assert code == 0 and (out / "Oosterwaarde" / "monitor_gemeente.html").is_file()
    kw = pd.read_csv(out / "Oosterwaarde" / "kwaliteit.csv", sep=";", dtype=str)
    regels = set(kw.loc[kw["tabel"] == "toelichting", "regel"].dropna())
    assert {"bsn", "id_in_tekst"} <= regels


def test_kwaliteit_aantallen_zijn_gehele_getallen(run1):
    # issue 17: counts were written as "10032,0"
    _, out = run1
    kw = pd.read_csv(out / "Beekdal" / "kwaliteit.csv", sep=";", dtype=str)
    for kolom in ("rijen_gelezen", "rijen_gebruikt", "rijen_quarantaine", "aantal_problemen"):
        waarden = kw[kolom].dropna()
        assert len(waarden) and waarden.str.fullmatch(r"\d+").all(), (kolom, waarden.tolist()[:5])


def test_rechten_volgen_umask_werkmap_weg(run1):
    # issue 17: report folders were 0700 and csv/xlsx 0600 (from mkdtemp/mkstemp) while the
    # HTML was 0644; everything now follows the user's umask (read at the run's start)
    _, out = run1
    umask = os.umask(0o022)
    os.umask(umask)
    for p in [out / "index.html", *(out / "Beekdal").iterdir()]:
        assert p.stat().st_mode & 0o777 == 0o666 & ~umask, p
    assert (out / "Beekdal").stat().st_mode & 0o777 == 0o777 & ~umask
    # the private work folder (all input rows) is gone, also from the system temp folder
    assert not [p for p in out.iterdir() if p.name.startswith(".monitoranalyse-werk")]


def test_kwaadaardige_tekst_is_onschadelijk(run1):
    _, out = run1
    html = (out / "Oosterwaarde" / "monitor_gemeente.html").read_text()
    assert "<script>alert('kanarie')" not in html and "<img src=x onerror" not in html
    assert "&lt;script&gt;alert(" in html  # the team name is shown, escaped
    # the toelichting is shown as text: its tag escaped (nbconvert may re-serialise the quotes)
    assert "&lt;img src=x onerror=alert(" in html
    from openpyxl import load_workbook

    wb = load_workbook(out / "Oosterwaarde" / "indicatoren.xlsx")
    ws = wb.active
    teams = set()
    for rij in ws.iter_rows(min_row=2):
        for cel in rij:
            assert cel.data_type != "f", cel.coordinate  # no formula anywhere
            if isinstance(cel.value, str) and "SOM(1;2)" in cel.value:
                teams.add(cel.value)
    assert teams == {"'" + TEAM_BOOS}


def test_geen_kleine_aantallen_gepubliceerd(run1):
    _, out = run1
    df = pd.read_csv(out / "Beekdal" / "indicatoren.csv", sep=";", decimal=",")
    typen = df["indicator"].map(lambda c: INDICATOREN[c].type if c in INDICATOREN else "onbekend")
    open_ = ~df["onderdrukt"].astype(bool)
    tellers = df.loc[open_ & typen.isin(["aantal", "proportie"]), "teller"].dropna()
    assert (tellers >= 8).all()
    noemers = df.loc[open_ & (typen == "proportie"), "noemer"].dropna()
    assert (noemers >= 8).all()
    # every suppressed row says why
    assert (df.loc[~open_, "reden_onderdrukking"].fillna("") != "").all()


def test_herkomst_noemt_sha256_van_elke_invoer(run1, dataset):
    _, out = run1
    herkomst = pd.read_csv(out / "Beekdal" / "herkomst.csv", sep=";", decimal=",")
    tekst = " ".join(herkomst["waarde"].fillna("").astype(str))
    for p in sorted(dataset.iterdir()):
        if p.suffix in (".csv", ".xlsx", ".parquet"):
            assert hashlib.sha256(p.read_bytes()).hexdigest() in tekst, p.name
    assert "monitoranalyse" in tekst


def test_notebook_uitvoer_zonder_code_in_html(run1):
    _, out = run1
    html = (out / "Beekdal" / "trendanalyse.html").read_text()
    assert "resultaten.resultaten(" not in html  # code cells are not exported
    nb = nbformat.read(out / "Beekdal" / "trendanalyse.ipynb", as_version=4)
    assert nb.metadata["papermill"]["parameters"]["gemeente"] == "Beekdal"


def test_falende_gemeente_stopt_de_andere_niet_en_oud_rapport_blijft(run1, dataset, tmp_path, monkeypatch):
    code1, out = run1
    oud = (out / "Oosterwaarde" / "monitor_gemeente.html").read_bytes()
    oud_csv = (out / "Beekdal" / "indicatoren.csv").read_bytes()
    # a notebook set in which one extra notebook fails for Oosterwaarde only
    nbmap = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, nbmap)
    faal = nbformat.v4.new_notebook()
    faal.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                     "language_info": {"name": "python"}}
    p = nbformat.v4.new_code_cell('gemeente = "x"\nwerkmap = None\ndata = None\nvan = None\ntot = None')
    p.metadata["tags"] = ["parameters"]
    faal.cells = [p, nbformat.v4.new_code_cell(
        'if gemeente == "Oosterwaarde":\n    raise ValueError("geplante fout")\nprint("ok")')]
    nbformat.write(faal, nbmap / "faal.ipynb")
    monkeypatch.setenv("MONITORANALYSE_NOTEBOOKS", str(nbmap))
    code = batch.rapport(dataset, out, gemeenten=GEMEENTEN, parallel=2,
                         notebooks=("faal",))
    assert code == 1
    index = (out / "index.html").read_text()
    assert "geplante fout" in index
    # the failed gemeente keeps its previous, complete report
    assert (out / "Oosterwaarde" / "monitor_gemeente.html").read_bytes() == oud
    # the other gemeente was rebuilt; same inputs + parameters -> the same figures
    assert (out / "Beekdal" / "faal.html").is_file()
    assert (out / "Beekdal" / "indicatoren.csv").read_bytes() == oud_csv
    assert not [q for q in out.iterdir() if q.name.startswith(".")]


def test_privacywacht_vindt_een_lek(tmp_path):
    # the final guard itself: a planted id and a BSN in an output file are found
    (tmp_path / "a.html").write_text("<p>traject KANARIETRAJECT01</p>")
    (tmp_path / "b.csv").write_text("x;111222333\n")
    (tmp_path / "c.csv").write_text("x;123456789\n")  # 9 digits, fails the 11-proef: fine
    treffers = openbaarmaking.controleer_uitvoer(tmp_path, {"KANARIETRAJECT01"})
    assert ("a.html", "1 id(s) uit de invoer") in treffers
    assert ("b.csv", "BSN-achtig getal") in treffers
    assert not [t for t in treffers if t[0] == "c.csv"]

"""The loader against the generated sample data (data_samples/, made by the generator).

Expected values come from outside the loader: ``rommelig/verwacht_quarantaine.csv`` is the
list of problems the generator planted (one row per planted (rij, regel)); ``voorbeeld/`` is
generated clean, so nothing may be quarantined there.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROMMELIG, ROOT, VOORBEELD
from monitoranalyse.invoer.laden import MAX_PER_REGEL, laad, verslag_validatie

pytestmark = pytest.mark.skipif(
    not (ROMMELIG / "verwacht_quarantaine.csv").exists() or not VOORBEELD.is_dir(),
    reason="data_samples/rommelig of voorbeeld ontbreekt (maak ze met 'monitoranalyse voorbeelddata')",
)


@pytest.fixture(scope="module")
def rommelig():
    return laad(ROMMELIG)


@pytest.fixture(scope="module")
def verwacht() -> pd.DataFrame:
    v = pd.read_csv(ROMMELIG / "verwacht_quarantaine.csv", dtype=str, keep_default_na=False)
    v["rij"] = v["rij"].astype(int)
    return v


def test_quarantaine_gelijk_aan_manifest(rommelig, verwacht):
    # manifest written by the generator: one row per planted (tabel, rij, regel)
    q = rommelig.quarantaine
    gevonden = set(zip(q["tabel"], q["rij"].astype(int), q["regel"]))
    gepland = set(zip(verwacht["tabel"], verwacht["rij"], verwacht["regel"]))
    assert gevonden - gepland == set(), "in quarantaine maar niet gepland"
    assert gepland - gevonden == set(), "gepland maar niet gevonden"
    # and the column, where the manifest gives one
    kol_q = set(zip(q["tabel"], q["rij"].astype(int), q["regel"], q["kolom"]))
    for t, r, regel, kolom in zip(verwacht["tabel"], verwacht["rij"], verwacht["regel"], verwacht["kolom"]):
        if kolom:
            assert (t, r, regel, kolom) in kol_q, (t, r, regel, kolom)


def test_rommelig_rijverantwoording(rommelig, verwacht):
    h = rommelig.herkomst.set_index("tabel")
    assert (h["rijen_gelezen"] == h["rijen_gebruikt"] + h["rijen_quarantaine"]).all()
    # quarantined records per table = distinct planted rows per table
    per_tabel = verwacht.groupby("tabel")["rij"].nunique()
    for tabel, n in per_tabel.items():
        assert h.loc[tabel, "rijen_quarantaine"] == n, tabel


def test_rommelig_geldige_varianten_geaccepteerd(rommelig):
    # README "rommelig": ' enkelvoudig ', 'MEERVOUDIG', ' MAATWERK_WMO ' are valid spellings
    assert set(rommelig.trajecten["problematiek"].dropna()) <= {"enkelvoudig", "meervoudig"}
    assert "maatwerk_wmo" in set(rommelig.inzet["vorm"])
    # bevolking.csv has no gemeente column: derived from trajecten
    assert rommelig.bevolking["gemeente"].notna().all()
    # the toelichting without wijkteam applies to the whole gemeente
    assert "Totaal" in set(rommelig.toelichting["wijkteam"])


def test_voorbeeld_is_schoon():
    # generated clean: nothing may be quarantined
    md = laad(VOORBEELD)
    assert md.quarantaine.empty, md.quarantaine.head(10).to_string()
    h = md.herkomst
    assert (h["rijen_gelezen"] == h["rijen_gebruikt"]).all()
    assert h.set_index("tabel").loc["trajecten", "rijen_gelezen"] > 1000


def _bestand(tabel: str) -> str:
    return next(f.name for f in ROMMELIG.iterdir() if f.stem == tabel)


def test_cli_valideer_rommelig_details_toont_elke_geplante_rij(verwacht):
    # with --details every planted row is printed (file, row, column)
    p = subprocess.run(
        [sys.executable, "-m", "monitoranalyse", "valideer", "--data", str(ROMMELIG), "--details"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert p.returncode == 0, p.stderr
    uit = p.stdout
    assert "Rijverantwoording" in uit
    ontbreekt = [
        (t, r) for t, r, k in zip(verwacht["tabel"], verwacht["rij"], verwacht["kolom"])
        # the row's own key may follow the row number: "rij 15 (traject_id T00015)"
        if not re.search(rf"{re.escape(_bestand(t))}, rij {r}( \([^\n]*?\))?, kolom {re.escape(k)}", uit)
    ]
    assert not ontbreekt, ontbreekt


def test_verslag_rommelig_zonder_details(rommelig, verwacht):
    # without details: the accounting, the count per rule, and per table+rule at most 20
    # rows followed by "… en N meer" (N = planted - 20)
    uit = verslag_validatie(rommelig)
    h = rommelig.herkomst.set_index("tabel")
    for tabel in verwacht["tabel"].unique():
        assert f"{_bestand(tabel)}" in uit
        assert f"{h.loc[tabel, 'rijen_quarantaine']:>12}" in uit
    for (tabel, regel), groep in verwacht.groupby(["tabel", "regel"]):
        getoond = [
            r for r in groep["rij"]
            if re.search(rf"{re.escape(_bestand(tabel))}, rij {r}( \([^\n]*?\))?, kolom ", uit)
        ]
        assert len(getoond) == min(len(groep), MAX_PER_REGEL), (tabel, regel)
        if len(groep) > MAX_PER_REGEL:
            assert f"… en {len(groep) - MAX_PER_REGEL} meer" in uit
    for regel, n in verwacht["regel"].value_counts().items():
        assert any(r.split()[:2] == [regel, str(n)] for r in uit.splitlines()), regel

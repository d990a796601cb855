"""The tidy table says what it is (``statistiek``) and is checked once, first, everywhere.

Expected values come from the rules themselves (each test plants one violation in a
hand-made table and names the sentence it must produce) and from the catalog (the
``statistiek`` column must equal ``catalogus.indicator(code).type``).
"""

from __future__ import annotations

import pandas as pd
import pytest

from monitoranalyse.analyse.prognose import caseload_prognose
from monitoranalyse.analyse.spc import spc
from monitoranalyse.analyse.trend import onderbroken_tijdreeks, trend, verschuiving
from monitoranalyse.analyse.vergelijking import funnel
from monitoranalyse.contract import INDICATOR_KOLOMMEN, STATISTIEK_TYPES
from monitoranalyse.indicatoren import catalogus
from monitoranalyse.indicatoren.tabel import REGELS, controleer_tabel
from monitoranalyse.rapport.openbaarmaking import beveilig


def _tabel(n: int = 6, **kolommen) -> pd.DataFrame:
    basis = {
        "gemeente": "A", "wijkteam": "Noord",
        "periode_start": pd.date_range("2021-01-01", periods=n, freq="QS"),
        "periode_eind": pd.date_range("2021-03-31", periods=n, freq="QE"),
        "indicator": "x", "uitsplitsing": "", "teller": 3.0, "noemer": 10.0, "waarde": 0.3,
        "ondergrens": float("nan"), "bovengrens": float("nan"), "methode": "Wilson",
        "statistiek": "proportie", "volledig": True, "inloop": False,
    }
    basis.update(kolommen)
    return pd.DataFrame(basis)


def _fout(t, **kw) -> str:
    with pytest.raises(ValueError) as e:
        controleer_tabel(t, functie="trend", **kw)
    return str(e.value)


def test_goede_tabel_gaat_door():
    controleer_tabel(_tabel(), functie="trend")  # no exception


@pytest.mark.parametrize("wijziging,zin", [
    (dict(drop="gemeente"), "De indicatortabel mist kolom(men): gemeente."),
    (dict(waarde=["0,3", 0.3, 0.3, 0.3, 0.3, 0.3]),
     "Kolom 'waarde' bevat waarden die geen getal zijn (1 rij, bijvoorbeeld '0,3' in rij 1)."),
    (dict(periode_start=["2021-01-01", "Q2", "2021-07-01", "2021-10-01", "2022-01-01", "2022-04-01"]),
     "Kolom 'periode_start' bevat waarden die geen datum zijn (1 rij, bijvoorbeeld 'Q2' in rij 2)."),
    (dict(statistiek="percentage"),
     "Kolom 'statistiek' bevat onbekende statistiektypen (percentage); kies uit "
     + ", ".join(STATISTIEK_TYPES) + "."),
    (dict(noemer=[10.0, -1, 10, 10, 10, 10], statistiek="ratio"),
     "De noemer mag niet negatief zijn (1 rij, bijvoorbeeld -1.0 in rij 2)."),
    (dict(teller=[3.0, 3, -2, 3, 3, 3]),
     "Bij een aantal, proportie of ratio mag de teller niet negatief zijn (1 rij, bijvoorbeeld -2.0 in rij 3)."),
    (dict(teller=[3.0, 3, 3, 11, 12, 3]),
     "Bij een proportie mag de teller niet groter zijn dan de noemer (2 rijen, bijvoorbeeld 11.0 in rij 4)."),
    (dict(volledig=[True, "ja", True, True, True, True]),
     "Kolom 'volledig' moet waar of onwaar zijn (1 rij, bijvoorbeeld 'ja' in rij 2)."),
])
def test_een_zin_per_regel(wijziging, zin):
    # planted: exactly one broken rule -> exactly that sentence
    drop = wijziging.pop("drop", None)
    t = _tabel(**wijziging)
    if drop:
        t = t.drop(columns=drop)
    bericht = _fout(t)
    assert bericht.splitlines() == ["De indicatortabel voor trend() voldoet niet aan 1 regel(s):", f"  - {zin}"]


def test_alle_regels_tegelijk():
    # PHEindicatormethods style: everything is validated before anything is reported
    t = _tabel(teller=[3.0, 3, 3, 11, 3, -1], noemer=[10.0, -1, 10, 10, 10, 10],
               waarde=[0.3, "x", 0.3, 0.3, 0.3, 0.3], statistiek="percentage",
               volledig=[True, 2, True, True, True, True]).drop(columns="wijkteam")
    t.loc[5, "statistiek"] = "aantal"
    t.loc[3, "statistiek"] = "proportie"
    regels = _fout(t).splitlines()[1:]
    assert len(regels) == 7 == len(REGELS)


def test_negatief_mag_bij_gemiddelde_en_bedrag():
    # a mean may be negative (ZRM change), an amount too: the sign rule is for counts only
    controleer_tabel(_tabel(teller=-5.0, noemer=4.0, waarde=-1.25, statistiek="gemiddelde"), functie="trend")
    controleer_tabel(_tabel(teller=-100.0, noemer=float("nan"), statistiek="bedrag"), functie="trend")


def test_geen_dataframe():
    with pytest.raises(TypeError, match=r"trend\(\) verwacht een indicatortabel"):
        controleer_tabel([1, 2, 3], functie="trend")


@pytest.mark.parametrize("functie,aanroep", [
    ("trend", lambda t: trend(t)),
    ("onderbroken_tijdreeks", lambda t: onderbroken_tijdreeks(t, wijzigingen=[])),
    ("verschuiving", lambda t: verschuiving(t)),
    ("spc", lambda t: spc(t)),
    ("funnel", lambda t: funnel(t, "x")),
    ("caseload_prognose", lambda t: caseload_prognose(t)),
    ("beveilig", lambda t: beveilig(t)),
])
def test_elke_analyse_controleert_eerst(functie, aanroep):
    # planted: a proportion with teller > noemer; each public function refuses it up front,
    # naming itself, before any model or argument check runs
    t = _tabel(teller=[3.0, 3, 3, 11, 3, 3])
    with pytest.raises(ValueError, match=rf"(?s)voor {functie}\(\) voldoet niet.*teller niet groter"):
        aanroep(t)


def test_statistiek_kolom_komt_uit_de_catalogus():
    # the committed sample (data_samples/voorbeeld), every indicator, yearly
    from pathlib import Path

    import monitoranalyse as ma
    from monitoranalyse.indicatoren import bereken

    md = ma.laad(Path(__file__).resolve().parents[1] / "data_samples" / "voorbeeld")
    t = bereken(md, periode="jaar")
    assert list(t.columns[:len(INDICATOR_KOLOMMEN) + 1]) == [*INDICATOR_KOLOMMEN, "statistiek"]
    per_code = t.groupby("indicator")["statistiek"].unique()
    for code, typen in per_code.items():
        assert list(typen) == [catalogus.indicator(code).type], code


def test_trend_leest_het_type_uit_de_tabel():
    # a code outside the catalog: without type= and without the column the type is unknown;
    # with the column the table says what it is, and the result equals an explicit type=
    t = _tabel(n=8, indicator="niet_in_catalogus", statistiek="gemiddelde", teller=float("nan"),
               noemer=float("nan"), waarde=[1.0, 2, 3, 4, 5, 6, 7, 8], methode="Student t")
    with pytest.raises(ValueError, match="statistiektype"):
        trend(t.drop(columns="statistiek"))
    pd.testing.assert_frame_equal(trend(t), trend(t.drop(columns="statistiek"), type="gemiddelde"))


def test_catalogus_opzoeken_tikfout():
    # one lookup; a mistyped code raises a Dutch KeyError that names the code
    assert catalogus.indicator("caseload").code == "caseload"
    with pytest.raises(KeyError, match="Onbekende indicator 'casload'; bekend: .*caseload"):
        catalogus.indicator("casload")
    assert catalogus.bekend("caseload") and not catalogus.bekend("casload")
    assert catalogus.codes()[0] == next(iter(catalogus.INDICATOREN))
    with pytest.raises(TypeError):
        catalogus.INDICATOREN["nieuw"] = None  # read-only: registreer() is the one way in

"""Periods mean what their label says (issue 10, §1).

Expected values are hand-derived from the definitions: a period is inside [van, tot] when
it lies wholly inside it; a period is complete (``volledig``) when it ends on or before the
peildatum; the "last complete year" skips a year in which any row is incomplete.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from monitoranalyse import indicatoren as ind
from monitoranalyse import voorbeelddata as vd
from monitoranalyse.analyse import resultaten
from monitoranalyse.invoer.monitordata import Monitordata


@pytest.fixture(scope="module")
def md_half():
    # the export of issue 10: no opening stock, data up to 30 June 2025 (generator plant)
    warnings.filterwarnings("ignore")
    return Monitordata(tabellen=vd.zonder_beginvoorraad(vd.genereer_tabellen(seed=7, schaal=0.3)))


def test_perioden_geheel_binnen_venster(md_half):
    # hand: quarters wholly inside [2022-02, 2023-07] are 2022-K2 .. 2023-K2 (K1 starts before
    # February, K3 ends after July); years wholly inside: none
    kw = ind.perioden(md_half, "kwartaal", van="2022-02", tot="2023-07")
    assert list(kw["periode_start"].dt.strftime("%Y-%m")) == ["2022-04", "2022-07", "2022-10",
                                                              "2023-01", "2023-04"]
    assert ind.perioden(md_half, "jaar", van="2022-02", tot="2023-07").empty
    # the batch's own filter keeps exactly the same periods (one rule for library and batch)
    alle = ind.bereken(md_half, periode="kwartaal", indicatoren=["instroom"])
    gefilterd = resultaten._periode_filter(alle, "2022-02", "2023-07")
    venster = ind.bereken(md_half, periode="kwartaal", indicatoren=["instroom"], van="2022-02",
                          tot="2023-07")
    pd.testing.assert_frame_equal(gefilterd.reset_index(drop=True), venster.reset_index(drop=True))


def test_halfjaar_aan_het_eind_is_onvolledig(md_half):
    # hand: peildatum 30 June 2025 -> year 2025 incomplete, 2025-K2 complete
    assert ind.peildatum(md_half) == pd.Timestamp("2025-06-30")
    j = ind.bereken(md_half, periode="jaar", indicatoren=["instroom", "rapportcijfer"])
    vol = j.groupby(j["periode_start"].dt.year)["volledig"].all()
    assert not vol[2025] and vol[2024]
    # the survey's rapportcijfer carries its own period: the year is still not "complete"
    assert resultaten.laatste_volledige_periode(j) == pd.Timestamp("2024-01-01")
    kw = ind.bereken(md_half, periode="kwartaal", indicatoren=["instroom"])
    assert kw.loc[kw["periode_start"] == "2025-04-01", "volledig"].all()


def test_laatste_volledige_periode_per_indicator_slaat_inloop_over():
    # hand-made table: caseload 2021 is inloop, 2022 complete, 2023 incomplete
    t = pd.DataFrame({
        "indicator": ["caseload"] * 3 + ["instroom"] * 3,
        "periode_start": pd.to_datetime(["2021-01-01", "2022-01-01", "2023-01-01"] * 2),
        "volledig": [True, True, False] * 2,
        "inloop": [True, False, False, False, False, False]})
    assert resultaten.laatste_volledige_periode(t) == pd.Timestamp("2022-01-01")
    assert resultaten.laatste_volledige_periode(t[t["periode_start"] < "2022-01-01"], "caseload") is None
    # _voor_fit drops incomplete and inloop rows; hele_perioden drops the whole inloop year
    assert len(resultaten._voor_fit(t)) == 3
    assert set(resultaten._voor_fit(t, hele_perioden=True)["periode_start"].dt.year) == {2022}


def test_euro_zin_hele_euros_en_basisperiode():
    # issue 10 §5: a cost trend is a change of the quarterly amount per year; hand-made
    # series rising 10.000,40 euro per quarter = 40.001,60 per year -> "+40.002 euro per jaar";
    # the noise pattern (+500, -500, -500, +500) per 4 quarters is orthogonal to time, so the
    # OLS slope is exactly the planted one (hand)
    from monitoranalyse.analyse import trend

    start = pd.date_range("2021-01-01", periods=12, freq="QS")
    t = pd.DataFrame({"gemeente": "G", "wijkteam": "Totaal", "periode_start": start,
                      "periode_eind": start + pd.offsets.QuarterEnd(0), "indicator": "kosten_maatwerk",
                      "uitsplitsing": "", "teller": float("nan"), "noemer": float("nan"),
                      "waarde": [100_000 + 10_000.4 * i + (500, -500, -500, 500)[i % 4] for i in range(12)],
                      "ondergrens": float("nan"), "bovengrens": float("nan"), "methode": "geen interval"})
    zin = trend.trend(t, seizoen=False)["zin"].iloc[0]
    assert zin.startswith("Kosten maatwerk per kwartaal in ")
    assert "+40.002 euro per jaar" in zin

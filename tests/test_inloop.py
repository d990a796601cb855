"""Start-up (inloop) of the caseload is not a trend (issue 10, §2).

Data: the sample generator (``voorbeelddata``) with its documented plants; Oosterwaarde has
no planted effect (``GEPLANT["nulgemeente"]``), so its true caseload is flat.
``zonder_beginvoorraad`` removes the opening stock and cuts the data at 30 June 2025.
The false-alarm rate over many seeds is measured by ``benchmarks/inloop_vals_alarm.py``
(README, "What the numbers mean"); these tests pin the rule and one seed end to end.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from monitoranalyse import indicatoren as ind
from monitoranalyse import voorbeelddata as vd
from monitoranalyse.analyse import resultaten, trend
from monitoranalyse.config import MonitorConfig
from monitoranalyse.contract import TOTAAL
from monitoranalyse.invoer.monitordata import Monitordata

NUL = vd.GEPLANT["nulgemeente"]["gemeente"]


@pytest.fixture(scope="module")
def tabellen():
    return vd.genereer_tabellen(seed=2026, schaal=1.0)


@pytest.fixture(scope="module")
def md_inloop(tabellen):
    return Monitordata(tabellen=vd.zonder_beginvoorraad(tabellen))


def test_beginvoorraad_herkend(tabellen):
    # the committed sample carries the trajecten still open on 2021-01-01 (generator:
    # beginvoorraad_vanaf 2020-01-01): no inloop
    il = ind.inloop(Monitordata(tabellen=tabellen))
    assert (il["inloop_maanden"] == 0).all() and il["bron"].str.startswith("beginvoorraad").all()


def test_inloop_afgeleid_uit_trajectduur(md_inloop, tabellen):
    il = ind.inloop(md_inloop).set_index("gemeente")
    assert (il["data_start"] == pd.Timestamp("2021-01-01")).all()
    # expected: the 95th percentile of the trajectduur (melding -> einde). Hand check with
    # the generator's closed trajecten of the full sample (no censoring there for 2021):
    tr = tabellen["trajecten"]
    t = tr[(tr["datum_melding"] >= "2021-01-01") & (tr["datum_melding"] < "2022-01-01")]
    duur = (t["datum_einde"] - t["datum_melding"]).dt.days
    p95_maanden = duur.quantile(0.95) / (365.25 / 12)
    for g in il.index:
        assert abs(il.loc[g, "inloop_maanden"] - p95_maanden) <= 2, (g, il.loc[g], p95_maanden)


def test_config_wint(md_inloop):
    cfg = MonitorConfig()
    cfg.periode["inloop_maanden"] = 0
    md = Monitordata(tabellen=md_inloop.tabellen, config=cfg)
    assert (ind.inloop(md)["inloop_maanden"] == 0).all()
    assert not ind.bereken(md, periode="jaar", indicatoren=["caseload"])["inloop"].any()


def test_alleen_voorraden_gemarkeerd(md_inloop):
    il = ind.inloop(md_inloop).set_index("gemeente")
    t = ind.bereken(md_inloop.voor_gemeente(NUL), periode="kwartaal",
                    indicatoren=["caseload", "caseload_per_fte", "instroom", "uitstroom"])
    tot = il.loc[NUL, "inloop_tot"]
    stock = t[t["indicator"] == "caseload"]
    # stocks: marked exactly when the quarter ends before the inloop is over
    assert (stock["inloop"] == (stock["periode_eind"] < tot)).all() and stock["inloop"].any()
    # flows counted at the melding are never marked; uitstroom (trajecten ending) is
    assert not t.loc[t["indicator"] == "instroom", "inloop"].any()
    assert t.loc[t["indicator"] == "uitstroom", "inloop"].any()


def test_nulgemeente_geen_caseloadsignaal(md_inloop):
    # acceptance (issue 10): the null gemeente with a start-up and a half year at the end has
    # no caseload trend and no caseload signal in the report's results
    warnings.filterwarnings("ignore")
    res = resultaten.bereken_resultaten(md_inloop, NUL)
    assert res.fouten == {}
    tr = res.trends[res.trends["indicator"].isin(resultaten.VOORRAAD_INDICATOREN)]
    assert len(tr) and (tr["richting"] == "geen_trend").all()
    assert not res.signalen["indicator"].isin(resultaten.VOORRAAD_INDICATOREN).any()
    assert not res.spc["indicator"].isin(resultaten.VOORRAAD_INDICATOREN).any()
    # no fit saw an inloop or incomplete period: the forecast starts after the inloop
    w = res.prognose[(res.prognose["soort"] == "waarneming") & (res.prognose["wijkteam"] == TOTAAL)]
    il = res.inloop.set_index("gemeente").loc[NUL, "inloop_tot"]
    assert w["periode_start"].min() >= il
    # ... and the funnels use the last complete year (2024; 2025 ends after 30 June)
    assert set(pd.to_datetime(res.funnels["periode_start"]).dt.year) == {2024}
    # the planted effect is what the handling removes: fitted on every row (as before
    # issue 10), the gemeente's caseload climbs significantly during 2021
    alle = res.indicatoren_maand
    ruw = trend.trend(alle[(alle["indicator"] == "caseload") & (alle["wijkteam"] == TOTAAL)
                           & alle["inloop"]].drop(columns="inloop"))  # unmarked, as before issue 10
    assert ruw["richting"].iloc[0] == "stijgend"


def test_bevestiging_door_stromen():
    # hand-made trend rows: a rising caseload stands with rising instroom (team A), not
    # without (team B); a falling stock needs falling instroom or rising uitstroom
    t = pd.DataFrame({
        "gemeente": "G", "wijkteam": ["A", "A", "B", "B", "C", "C"],
        "indicator": ["caseload", "instroom", "caseload_per_fte", "instroom", "caseload", "uitstroom"],
        "richting": ["stijgend", "stijgend", "stijgend", "geen_trend", "dalend", "stijgend"],
        "beoordeling": ["neutraal", "neutraal", "verslechtering", "neutraal", "neutraal", "neutraal"],
        "zin": "x"})
    uit = resultaten._bevestig_voorraden(t).set_index(["wijkteam", "indicator"])
    assert uit.loc[("A", "caseload"), "richting"] == "stijgend"
    assert uit.loc[("B", "caseload_per_fte"), "richting"] == "geen_trend"
    assert uit.loc[("B", "caseload_per_fte"), "beoordeling"] == "neutraal"
    assert "niet gedragen door een trend in de instroom of uitstroom" in uit.loc[("B", "caseload_per_fte"), "zin"]
    assert uit.loc[("C", "caseload"), "richting"] == "dalend"

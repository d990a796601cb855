"""Tests for monitoranalyse.analyse.signalen.nader_onderzoek.

Input is the synthetic traject-level data of tests/test_vergelijking.py (``maak_md``),
whose planted effects are documented there: Noord has more maatwerk than its case-mix
explains, Oost has a heavy case-mix (more maatwerk, fully explained), Zuid is slow.
SPC and trend inputs are small hand-made frames in the agreed column layout.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitoranalyse.analyse.signalen import SIGNAAL_KOLOMMEN, nader_onderzoek
from monitoranalyse.analyse.vergelijking import casemix_oe, funnel
from monitoranalyse.indicatoren.catalogus import Indicator
from test_vergelijking import indicatortabel, maak_md


@pytest.fixture(scope="module")
def md():
    return maak_md()


def _maatwerk_tabel(md) -> pd.DataFrame:
    """aandeel_maatwerk (proportie, lager beter) per team, unadjusted for case-mix."""
    inzet = md.inzet
    met = set(inzet.loc[inzet["vorm"] == "maatwerk_wmo", "traject_id"])
    tr = md.trajecten.assign(m=md.trajecten["traject_id"].isin(met))
    g = tr.groupby("wijkteam")["m"].agg(["sum", "size"]).reset_index()
    return pd.DataFrame({"gemeente": "Lindeveen", "wijkteam": g["wijkteam"],
                         "periode_start": "2024-01-01", "periode_eind": "2024-12-31",
                         "indicator": "aandeel_maatwerk", "uitsplitsing": "",
                         "teller": g["sum"], "noemer": g["size"], "waarde": g["sum"] / g["size"],
                         "ondergrens": np.nan, "bovengrens": np.nan, "methode": ""})


@pytest.fixture(scope="module")
def lijst(md):
    tabel = indicatortabel(md)
    funnels = pd.concat([
        funnel(tabel, "onderzoek_op_tijd", type="proportie", beter="hoger"),
        funnel(tabel, "doorlooptijd_intake", type="mediaan", beter="lager"),
    ])
    casemix = pd.concat([casemix_oe(md, "maatwerk"),
                         casemix_oe(md, "doorlooptijd_buiten_termijn")])
    catalogus = {"doorlooptijd_intake": Indicator(
        code="doorlooptijd_intake", naam="doorlooptijd melding–intake", thema="uitvoering",
        dimensie=None, type="mediaan", beter="lager", eenheid="dagen")}
    return nader_onderzoek(funnels=funnels, casemix=casemix, catalogus=catalogus)


def test_kolommen_en_rang(lijst):
    assert tuple(lijst.columns) == SIGNAAL_KOLOMMEN
    assert list(lijst["rang"]) == list(range(1, len(lijst) + 1))
    assert lijst["grootte"].is_monotonic_decreasing
    assert (lijst["richting"] == "ongunstig").all()  # default: only adverse signals


def test_trage_team_op_de_lijst(md, lijst):
    # planted: Zuid takes 60 days to intake (others 25)
    zuid = lijst[lijst["wijkteam"] == "Zuid"]
    # (the case-mix outcome doorlooptijd_buiten_termijn joins binnen_termijn_onderzoek)
    assert {"doorlooptijd_intake", "onderzoek_op_tijd", "binnen_termijn_onderzoek"} <= set(
        zuid["indicator"])
    rij = zuid[zuid["indicator"] == "doorlooptijd_intake"].iloc[0]
    # 8 teams with one extreme: overdispersion is detected and Zuid survives the correction
    assert rij["soort_signaal"] == "funnel_na_overspreiding"
    assert rij["zin"].startswith("Wijkteam Zuid: doorlooptijd melding–intake mediaan ")
    assert rij["zin"].endswith("boven de 99,8%-grens, ook na correctie voor overspreiding")
    assert "dagen tegen" in rij["zin"] and "gemeentebreed" in rij["zin"]
    assert rij["bewijs"].startswith("boven de 99,8%-grens; phi=")
    # bron columns trace the figure: the team's median and the Totaal median
    tabel = indicatortabel(md)
    med = tabel[tabel["indicator"] == "doorlooptijd_intake"].set_index("wijkteam")["waarde"]
    assert rij["waarde"] == med["Zuid"] and rij["referentie"] == med["Totaal"]
    assert rij["periode"] == "2024"


def test_maatwerk_boven_casemix_op_de_lijst(lijst):
    # planted: Noord +1.2 log-odds maatwerk beyond its case-mix
    # the case-mix outcome "maatwerk" answers the question of indicator aandeel_maatwerk
    rij = lijst[(lijst["wijkteam"] == "Noord") & (lijst["indicator"] == "aandeel_maatwerk")]
    assert len(rij) == 1 and rij["soort_signaal"].iloc[0] == "casemix"
    assert rij["waarde"].iloc[0] == pytest.approx(rij["teller"].iloc[0] / rij["noemer"].iloc[0])
    assert "verwacht op grond van de cliëntkenmerken" in rij["zin"].iloc[0]


def test_casemix_verklaart_oost(md, lijst):
    # planted: Oost's excess maatwerk is case-mix only -> in the unadjusted funnel
    # (overdispersion adjustment off, plain comparison) but not after case-mix adjustment
    ongecorrigeerd = nader_onderzoek(
        funnels=funnel(_maatwerk_tabel(md), "aandeel_maatwerk", type="proportie",
                       beter="lager", overspreiding="geen"))
    assert "Oost" in set(ongecorrigeerd["wijkteam"])
    assert not ((lijst["wijkteam"] == "Oost") & (lijst["indicator"] == "aandeel_maatwerk")).any()


def test_spc_en_trends():
    # SPC: two "zorg" points for T1 become one piece of evidence (the most extreme point,
    # rules in words); grootte = |waarde − middenlijn| / ((boven − midden)/3)
    # = |40 − 20| / ((30 − 20)/3) = 6 (hand)
    spc = pd.DataFrame({
        "gemeente": "G", "wijkteam": ["T1", "T1", "T2", "T3"], "indicator": "wachttijd",
        "uitsplitsing": "", "periode_start": pd.to_datetime(
            ["2024-02-01", "2024-03-01", "2024-03-01", "2024-03-01"]),
        "waarde": [35.0, 40.0, 5.0, 21.0], "middenlijn": 20.0, "onder_procesgrens": 10.0,
        "boven_procesgrens": 30.0, "regel": ["buiten_procesgrens", "verschuiving",
                                             "buiten_procesgrens", "verschuiving"],
        "soort": ["zorg", "zorg", "verbetering", "neutraal"]})
    # trend: slope 2 per year, 95% CI 1..3 -> SE = 2/(2·1.95996) = 0.5102, grootte = 3.9199
    trends = pd.DataFrame({
        "gemeente": "G", "wijkteam": ["T1", "T2"], "indicator": "wachttijd",
        "uitsplitsing": "", "n_punten": 24, "helling_per_jaar": [2.0, -1.0],
        "ondergrens": [1.0, -1.5], "bovengrens": [3.0, -0.5], "p_waarde": [0.001, 0.01],
        "richting": ["stijgend", "dalend"], "beoordeling": ["verslechtering", "verbetering"],
        "zin": ["Wachttijd T1 stijgt.", ""], "eenheid": "dagen"})
    uit = nader_onderzoek(spc_signalen=spc, trends=trends, catalogus={})
    # one row per team × indicator: T1's SPC and trend evidence merged, strongest first
    assert len(uit) == 1 and uit["wijkteam"].iloc[0] == "T1"
    rij = uit.iloc[0]
    assert rij["soort_signaal"] == "spc" and rij["aantal_bewijzen"] == 2
    assert rij["soorten"] == "procesbewaking (SPC), trend"
    assert rij["grootte"] == pytest.approx(6.0)
    # rule codes never reach the reader
    assert "buiten de procesgrenzen, zeven maanden op rij boven het gemiddelde" in rij["zin"]
    assert "buiten_procesgrens" not in rij["zin"] and "verschuiving" not in rij["zin"]
    assert rij["zin"].startswith("Wijkteam T1: wachttijd 40 in maart 2024 tegen een gemiddelde van 20")
    assert "; ook: trend stijgend (+2,00 dagen per jaar, p=0,001)" in rij["zin"]
    assert rij["periode"] == "2024-03-01"
    alles = nader_onderzoek(spc_signalen=spc, trends=trends, catalogus={}, gunstig=True)
    assert len(alles) == 2 and list(alles["richting"]) == ["ongunstig", "gunstig"]
    assert "T3" not in set(alles["wijkteam"])  # neutraal is never a signal


def test_spc_sterkste_punt_niet_laatste():
    # the reported point is the most extreme one (hand: |61 − 57| > |57 − 57|), so the
    # sentence can never read "57 tegen 57" when the last flagged point lies on the mean
    spc = pd.DataFrame({
        "gemeente": "G", "wijkteam": "T1", "indicator": "instroom", "uitsplitsing": "",
        "periode_start": pd.to_datetime(["2024-05-01", "2024-06-01"]),
        "waarde": [61.0, 57.0], "middenlijn": 57.0, "onder_procesgrens": 54.0,
        "boven_procesgrens": 60.0, "regel": ["buiten_procesgrens", "verschuiving"],
        "soort": "zorg"})
    rij = nader_onderzoek(spc_signalen=spc, catalogus={}).iloc[0]
    assert "61 in mei 2024 tegen een gemiddelde van 57" in rij["zin"]
    assert rij["grootte"] == pytest.approx(4.0)  # |61 − 57| / ((60 − 57)/3)


def test_bollen_na_holm_op_de_lijst():
    # bollen_profiel marks a team afwijkend after the Holm correction: lower than the
    # other teams is adverse and enters the list; higher only with gunstig=True
    from monitoranalyse.analyse.vergelijking import bollen_profiel

    rng = np.random.default_rng(5)
    rijen = []
    for team, mu in (("A", 5.0), ("B", 7.5), ("C", 7.5), ("D", 7.5)):  # planted: A 2.5 lower
        for s in rng.normal(mu, 0.8, 20):
            rijen.append(("G", team, 2024, "medewerker", "team", float(np.clip(s, 1, 10))))
    enq = pd.DataFrame(rijen, columns=["gemeente", "wijkteam", "jaar", "respondent", "dimensie",
                                       "score"])
    b = bollen_profiel(enq).assign(respondent="medewerker")
    uit = nader_onderzoek(bollen=b)
    assert list(uit["wijkteam"]) == ["A"] and uit["soort_signaal"].iloc[0] == "bollen"
    assert uit["uitsplitsing"].iloc[0] == "medewerker:team"
    assert "lager dan de andere teams, ook na correctie" in uit["zin"].iloc[0]
    assert "(Holm)" in uit["zin"].iloc[0]


def test_zonder_richting_geen_signaal(md):
    # an indicator without a "beter" direction cannot be adverse: not listed
    tabel = indicatortabel(md)
    f = funnel(tabel, "onderzoek_op_tijd", type="proportie", beter=None)
    assert nader_onderzoek(funnels=f, catalogus={}).empty
    with pytest.raises(ValueError, match="niveau"):
        nader_onderzoek(funnels=f, niveau="90%")


def test_vrijgegeven_lijst_houdt_rang_bij_onderdrukt_signaal(lijst):
    # A signal whose row is suppressed (here: noemer set below the drempel of 10) keeps its
    # place on the list: rang is an order of the output, not a count of persons (seen as "•"
    # for rank 7 in the Lindeveen sample report before this fix). Its values are blanked.
    from monitoranalyse.config import MonitorConfig
    from monitoranalyse.rapport.openbaarmaking import vrijgeven

    l = lijst.copy()
    l.loc[l.index[1], "noemer"] = 3
    vrij = vrijgeven(l, MonitorConfig())
    assert list(vrij["rang"]) == list(range(1, len(l) + 1))
    assert bool(vrij["onderdrukt"].iloc[1]) and np.isnan(vrij["waarde"].iloc[1])

"""Tests of monitoranalyse.indicatoren.

Two kinds of expectations, each stated in a comment:

* a tiny hand-made dataset (7 trajecten in two gemeenten, team name "Noord" in both)
  whose every expected value is worked out by hand below;
* the planted effects of the synthetic sample data (voorbeelddata.GEPLANT).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from monitoranalyse import indicatoren as ind
from monitoranalyse.config import MonitorConfig
from monitoranalyse.indicatoren.doelmatigheid import ALLEEN_PER_JAAR
from monitoranalyse.contract import (
    DIMENSIES,
    INDICATOR_KOLOMMEN,
    QUARANTAINE_KOLOMMEN,
    THEMAS,
    TOTAAL,
    VORMEN,
)
from monitoranalyse.indicatoren.catalogus import INDICATOREN, STATISTIEK_TYPES
from monitoranalyse.invoer.monitordata import Monitordata

SLEUTEL = ["gemeente", "wijkteam", "periode_start", "indicator", "uitsplitsing"]
Q1, Q2 = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-04-01")


def _d(waarden):
    return pd.to_datetime(pd.Series(waarden, dtype=object)).astype("datetime64[ns]")


def _tabellen() -> dict[str, pd.DataFrame]:
    """The hand-made dataset. Peildatum = 2024-06-30 (latest date: T3 einde).

    ====  ========  =====  =======  ======  ======  ======  ===========  =====  ====
    id    gemeente  team   melding  intake  plan    einde   reden        doel   tevr
    ====  ========  =====  =======  ======  ======  ======  ===========  =====  ====
    T1    A         Noord  01-10    02-21   03-01   03-31   afgeschaald  4/3    8
    T2    A         Noord  01-10    02-22   04-15   -       -            2/-    -
    T3    A         Noord  03-31    04-05   -       06-30   doelen_beh.  2/2    6
    T4    A         Zuid   02-01    02-11   02-20   05-10   overgedragen 3/0    7
    T5    A         Zuid   02-15    -       -       -       -            -      -
    T7    A         Zuid   06-01    -       -       -       -            -      -
    T6    B         Noord  01-05    01-25   02-01   02-28   afgeschaald  1/1    9
    ====  ========  =====  =======  ======  ======  ======  ===========  =====  ====

    Melding -> intake: T1 42 days (exactly the term), T2 43, T3 5, T4 10, T6 20.
    """
    S = "string"
    tr = pd.DataFrame(
        {
            "traject_id": ["T1", "T2", "T3", "T4", "T5", "T7", "T6"],
            "client_id": ["C1", "C2", "C3", "C4", "C5", "C7", "C6"],
            "gemeente": ["A", "A", "A", "A", "A", "A", "B"],
            "wijkteam": ["Noord", "Noord", "Noord", "Zuid", "Zuid", "Zuid", "Noord"],
            "datum_melding": _d(["2024-01-10", "2024-01-10", "2024-03-31", "2024-02-01",
                                 "2024-02-15", "2024-06-01", "2024-01-05"]),
            "datum_intake": _d(["2024-02-21", "2024-02-22", "2024-04-05", "2024-02-11",
                                None, None, "2024-01-25"]),
            "datum_plan": _d(["2024-03-01", "2024-04-15", None, "2024-02-20", None, None,
                              "2024-02-01"]),
            "datum_einde": _d(["2024-03-31", None, "2024-06-30", "2024-05-10", None, None,
                               "2024-02-28"]),
            "reden_einde": ["afgeschaald", None, "doelen_behaald", "overgedragen", None, None,
                            "afgeschaald"],
            "doelen_gesteld": [4, 2, 2, 3, None, None, 1],
            "doelen_behaald": [3, None, 2, 0, None, None, 1],
            "tevredenheid": [8.0, np.nan, 6.0, 7.0, np.nan, np.nan, 9.0],
        }
    ).astype({"traject_id": S, "client_id": S, "gemeente": S, "wijkteam": S,
              "reden_einde": S, "doelen_gesteld": "Int64", "doelen_behaald": "Int64"})
    inzet = pd.DataFrame(
        {
            "inzet_id": ["I1", "I2", "I3", "I4", "I5", "I6", "I7"],
            "traject_id": ["T1", "T2", "T3", "T4", "T4", "T6", "T5"],
            "vorm": ["netwerk", "maatwerk_wmo", "maatwerk_jeugd", "maatwerk_wmo", "wijkteam",
                     "eigen_kracht", "maatwerk_wmo"],
            "datum_start": _d(["2024-01-20", "2024-03-01", "2024-05-01", "2024-03-10",
                               "2024-02-15", "2024-01-20", "2024-06-10"]),
            "kosten": [np.nan, 1000.0, 5000.0, 2000.0, 0.0, np.nan, 500.0],
            "beschikking": [None, "ja", "nee", "ja", None, None, None],
            "datum_aanvraag": _d([None, "2024-02-01", "2024-04-01", "2024-02-10", None, None,
                                  "2024-06-01"]),
            # I2: 14 days (term Wmo), I3: 56 days (term jeugd), I4: 15 days (too late)
            "datum_beschikking": _d([None, "2024-02-15", "2024-05-27", "2024-02-25", None, None,
                                     None]),
        }
    ).astype({"inzet_id": S, "traject_id": S, "vorm": S, "beschikking": S})
    zrm_rijen = [
        # T1: werk_opleiding only at the first measurement -> not in the comparison
        ("T1", "2024-01-15", "financien", 2), ("T1", "2024-01-15", "huisvesting", 3),
        ("T1", "2024-01-15", "werk_opleiding", 1),
        ("T1", "2024-03-20", "financien", 4), ("T1", "2024-03-20", "huisvesting", 3),
        ("T2", "2024-01-15", "financien", 3), ("T2", "2024-01-15", "huisvesting", 3),
        ("T2", "2024-04-10", "financien", 3), ("T2", "2024-04-10", "huisvesting", 3),
        # T4: three measurements; the middle one is ignored
        ("T4", "2024-02-05", "financien", 4), ("T4", "2024-02-05", "huisvesting", 4),
        ("T4", "2024-03-01", "financien", 3), ("T4", "2024-03-01", "huisvesting", 5),
        ("T4", "2024-05-01", "financien", 2), ("T4", "2024-05-01", "huisvesting", 4),
        ("T6", "2024-01-10", "financien", 2),
    ]
    zrm = pd.DataFrame(zrm_rijen, columns=["traject_id", "datum", "domein", "score"])
    zrm = zrm.astype({"traject_id": S, "domein": S, "score": "Int64"})
    zrm["datum"] = _d(zrm["datum"])
    formatie = pd.DataFrame(
        {
            "gemeente": ["A"] * 6,
            "wijkteam": ["Noord"] * 3 + ["Zuid"] * 3,
            "maand": _d(["2024-01-01", "2024-02-01", "2024-03-01"] * 2),
            "fte": [2.0, 2.0, 4.0, 1.0, 1.0, 1.0],
        }
    ).astype({"gemeente": S, "wijkteam": S})
    bevolking = pd.DataFrame(
        {"gemeente": ["A", "A", "B"], "wijkteam": ["Noord", "Zuid", "Noord"],
         "jaar": [2024, 2024, 2024], "inwoners": [1000, 4000, 500]}
    ).astype({"gemeente": S, "wijkteam": S, "jaar": "Int64", "inwoners": "Int64"})
    enquete = pd.DataFrame(
        {
            "gemeente": ["A", "A", "A", "A", "B"],
            "wijkteam": ["Noord", "Noord", "Noord", "Zuid", "Noord"],
            "jaar": [2024] * 5,
            "respondent": ["medewerker", "medewerker", "client", "medewerker", "medewerker"],
            "dimensie": ["hulp", "hulp", "hulp", "hulp", "team"],
            "score": [6.0, 8.0, 9.0, 7.0, 5.0],
        }
    ).astype({"gemeente": S, "wijkteam": S, "jaar": "Int64", "respondent": S, "dimensie": S})
    return {"trajecten": tr, "inzet": inzet, "zrm": zrm, "formatie": formatie,
            "bevolking": bevolking, "enquete": enquete}


def _quarantaine() -> pd.DataFrame:
    # record 5 has two problems (two rules), record 7 one: ongeldige_datum 2 records
    return pd.DataFrame(
        {
            "tabel": ["trajecten"] * 3,
            "bestand": ["trajecten.csv"] * 3,
            "rij": [5, 5, 7],
            "kolom": ["datum_melding", "leeftijd", "datum_melding"],
            "waarde": ["31-02-2024", "150", "gisteren"],
            "regel": ["ongeldige_datum", "buiten_bereik", "ongeldige_datum"],
            "melding": ["x", "y", "z"],
            "gemeente": ["B", "B", "A"],  # attributed by the loader (own column / traject)
        }
    )[list(QUARANTAINE_KOLOMMEN)]


def _md(config: MonitorConfig | None = None) -> Monitordata:
    return Monitordata(tabellen=_tabellen(), quarantaine=_quarantaine(),
                       config=config or MonitorConfig())


@pytest.fixture(scope="module")
def klein() -> pd.DataFrame:
    return ind.bereken(_md(), periode="kwartaal")


def _rij(t: pd.DataFrame, indicator, gemeente, wijkteam, start, uitsplitsing=""):
    sel = t[(t["indicator"] == indicator) & (t["gemeente"] == gemeente)
            & (t["wijkteam"] == wijkteam) & (t["periode_start"] == start)
            & (t["uitsplitsing"] == uitsplitsing)]
    assert len(sel) == 1, (indicator, gemeente, wijkteam, start, uitsplitsing, len(sel))
    return sel.iloc[0]


def _waarde(t, *args, **kw) -> float:
    return float(_rij(t, *args, **kw)["waarde"])


# ---------------------------------------------------------------------------
# Shape of the table
# ---------------------------------------------------------------------------


def test_vorm_van_de_tabel(klein):
    # contract: exactly INDICATOR_KOLOMMEN first, canonical dtypes, unique keys
    assert tuple(klein.columns[: len(INDICATOR_KOLOMMEN)]) == INDICATOR_KOLOMMEN
    assert list(klein.columns) == [*INDICATOR_KOLOMMEN, *ind.EXTRA_KOLOMMEN]
    for k in ("gemeente", "wijkteam", "indicator", "uitsplitsing", "methode"):
        assert klein[k].dtype == "string", k
    for k in ("teller", "noemer", "waarde", "ondergrens", "bovengrens"):
        assert klein[k].dtype == "float64", k
    assert klein["periode_start"].dtype == "datetime64[ns]"
    assert klein["periode_eind"].dtype == "datetime64[ns]"
    assert not klein.duplicated(SLEUTEL).any()
    assert klein["uitsplitsing"].notna().all() and klein["methode"].notna().all()
    # periods of the data: Q1 and Q2 2024 (first melding 2024-01-05, peildatum 2024-06-30)
    kw = klein[~klein["indicator"].isin(["rapportcijfer", "quarantaine"])]
    assert sorted(kw["periode_start"].unique()) == [Q1, Q2]
    assert (kw.loc[kw["periode_start"] == Q1, "periode_eind"] == pd.Timestamp("2024-03-31")).all()
    assert kw["volledig"].all()  # Q2 ends on the peildatum


def test_deterministisch_en_onafhankelijk_van_rijvolgorde(klein):
    # same data with shuffled rows must give the identical table
    tab = _tabellen()
    rng = np.random.default_rng(1)
    geschud = {k: v.iloc[rng.permutation(len(v))].reset_index(drop=True) for k, v in tab.items()}
    md = Monitordata(tabellen=geschud, quarantaine=_quarantaine())
    pd.testing.assert_frame_equal(ind.bereken(md, periode="kwartaal"), klein)


def test_invoer_wordt_niet_gewijzigd():
    md = _md()
    kopie = {k: v.copy() for k, v in md.tabellen.items()}
    ind.bereken(md)
    for k, v in kopie.items():
        pd.testing.assert_frame_equal(md.tabellen[k], v)


# ---------------------------------------------------------------------------
# Uitvoering (hand calculations from the table in _tabellen)
# ---------------------------------------------------------------------------


def test_caseload_grensdag(klein):
    # end of Q1 (2024-03-31): A Noord T2 open, T3 gemeld op 03-31 telt mee, T1 eindigt
    # op 03-31 telt niet mee -> 2; A Zuid T4, T5 -> 2; B Noord T6 ended in Feb -> 0
    assert _waarde(klein, "caseload", "A", "Noord", Q1) == 2
    assert _waarde(klein, "caseload", "A", "Zuid", Q1) == 2
    assert _waarde(klein, "caseload", "B", "Noord", Q1) == 0
    assert _waarde(klein, "caseload", "A", TOTAAL, Q1) == 4
    # end of Q2 (06-30): A Noord T2 (T3 ends 06-30) -> 1; A Zuid T5, T7 -> 2
    assert _waarde(klein, "caseload", "A", "Noord", Q2) == 1
    assert _waarde(klein, "caseload", "A", "Zuid", Q2) == 2
    # exact Poisson interval for a count < 10 (scipy chi2: Garwood)
    r = _rij(klein, "caseload", "A", TOTAAL, Q1)
    assert r["methode"] == "Exact Poisson"
    assert r["bovengrens"] == pytest.approx(stats.chi2.ppf(0.975, 10) / 2)


def test_caseload_per_fte(klein):
    # A Noord: fte mean (2 + 2 + 4) / 3 = 8/3 -> 2 / (8/3) = 0.75; A Zuid 2 / 1 = 2
    # Totaal A pooled: (2 + 2) / (8/3 + 1) = 12/11 (not the mean of 0.75 and 2)
    assert _waarde(klein, "caseload_per_fte", "A", "Noord", Q1) == pytest.approx(0.75)
    assert _waarde(klein, "caseload_per_fte", "A", "Zuid", Q1) == pytest.approx(2.0)
    assert _waarde(klein, "caseload_per_fte", "A", TOTAAL, Q1) == pytest.approx(12 / 11)
    # no formatie in Q2 and none for gemeente B: no rows
    t = klein[klein["indicator"] == "caseload_per_fte"]
    assert (t["periode_start"] == Q1).all() and (t["gemeente"] == "A").all()


def test_instroom_uitstroom(klein):
    # instroom Q1: A Noord T1 T2 T3 = 3, A Zuid T4 T5 = 2, Totaal A 5; Q2 A Zuid T7 = 1
    assert _waarde(klein, "instroom", "A", "Noord", Q1) == 3
    assert _waarde(klein, "instroom", "A", TOTAAL, Q1) == 5
    assert _waarde(klein, "instroom", "A", "Zuid", Q2) == 1
    assert _waarde(klein, "instroom", "A", "Noord", Q2) == 0  # filled with 0
    # uitstroom: Q1 A Noord T1, B Noord T6; Q2 A Noord T3, A Zuid T4 -> Totaal A Q2 = 2
    assert _waarde(klein, "uitstroom", "A", "Noord", Q1) == 1
    assert _waarde(klein, "uitstroom", "B", TOTAAL, Q1) == 1
    assert _waarde(klein, "uitstroom", "A", TOTAAL, Q2) == 2


def test_binnen_termijn_42_en_43_dagen(klein):
    # A Noord Q1: T1 42 days (within), T2 43 (not), T3 5 (within) -> 2/3
    r = _rij(klein, "binnen_termijn_onderzoek", "A", "Noord", Q1)
    assert (r["teller"], r["noemer"]) == (2, 3)
    # A Zuid Q1: T4 within, T5 without intake (term expired) -> 1/2
    r = _rij(klein, "binnen_termijn_onderzoek", "A", "Zuid", Q1)
    assert (r["teller"], r["noemer"]) == (1, 2)
    # Totaal A pooled 3/5 = 0.6 (mean of the teams would be 0.583)
    assert _waarde(klein, "binnen_termijn_onderzoek", "A", TOTAAL, Q1) == pytest.approx(0.6)
    # T7 (melding 06-01, term ends 07-13 > peildatum 06-30) is excluded: no Q2 row for Zuid
    t = klein[(klein["indicator"] == "binnen_termijn_onderzoek") & (klein["wijkteam"] == "Zuid")
              & (klein["periode_start"] == Q2)]
    assert t.empty
    # Wilson interval from statsmodels-equivalent formula (statistiek.wilson_ci)
    assert _rij(klein, "binnen_termijn_onderzoek", "A", TOTAAL, Q1)["methode"] == "Wilson"


def test_termijn_uit_config_en_per_gemeente():
    # onderzoek_wmo = 43 for gemeente A only: T2 (43 days) becomes on time -> 3/3;
    # gemeente B keeps 42 (T6, 20 days, on time either way)
    cfg = MonitorConfig(gemeenten={"A": {"termijnen": {"onderzoek_wmo": 43}}})
    t = ind.bereken(_md(cfg), indicatoren=["binnen_termijn_onderzoek"])
    r = _rij(t, "binnen_termijn_onderzoek", "A", "Noord", Q1)
    assert (r["teller"], r["noemer"]) == (3, 3)
    assert set(t["indicator"]) == {"binnen_termijn_onderzoek"}


def test_doorlooptijd_mediaan_en_totaal_gepoold(klein):
    # by intake period. Q1 A Noord: T1 42, T2 43 -> 42.5; A Zuid T4 10;
    # Totaal A = median(42, 43, 10) = 42 (mean of team medians would be 26.25)
    assert _waarde(klein, "doorlooptijd_melding_intake", "A", "Noord", Q1) == 42.5
    assert _waarde(klein, "doorlooptijd_melding_intake", "A", TOTAAL, Q1) == 42
    r = _rij(klein, "doorlooptijd_melding_intake", "A", TOTAAL, Q1)
    assert r["noemer"] == 3 and np.isnan(r["ondergrens"])  # n = 3: too small for 95%
    # plan: Q1 A Noord T1 (51 days); Q2 A Noord T2 (96 days)
    assert _waarde(klein, "doorlooptijd_melding_plan", "A", "Noord", Q1) == 51
    assert _waarde(klein, "doorlooptijd_melding_plan", "A", "Noord", Q2) == 96
    # trajectduur (closed): Q2 A: T3 91, T4 99 -> 95
    assert _waarde(klein, "trajectduur", "A", TOTAAL, Q2) == 95


def test_open_zonder_plan(klein):
    # end Q1: A Noord T2 (81 days old, plan only 04-15) -> 1; A Zuid T5 (45 days) -> 1
    # end Q2: T2 has a plan, T3 closed on 06-30, T7 only 29 days old -> A Zuid T5 only
    assert _waarde(klein, "open_zonder_plan", "A", "Noord", Q1) == 1
    assert _waarde(klein, "open_zonder_plan", "A", TOTAAL, Q1) == 2
    assert _waarde(klein, "open_zonder_plan", "A", "Noord", Q2) == 0
    assert _waarde(klein, "open_zonder_plan", "A", TOTAAL, Q2) == 1


def test_doorlooptijd_verdeling():
    # A Noord melding->intake over all periods: 5, 42, 43 -> mediaan 42,
    # p25 = 5 + 0.5 * 37 = 23.5, aandeel boven 42 dagen = 1/3 (T2)
    v = ind.doorlooptijd_verdeling(_md())
    r = v[(v["gemeente"] == "A") & (v["wijkteam"] == "Noord")
          & (v["doorlooptijd"] == "melding_intake")].iloc[0]
    assert (r["n"], r["mediaan"], r["p25"]) == (3, 42, 23.5)
    assert r["aandeel_boven_termijn"] == pytest.approx(1 / 3)
    assert r["termijn"] == 42
    t = v[(v["gemeente"] == "A") & (v["wijkteam"] == TOTAAL) & (v["doorlooptijd"] == "melding_intake")]
    assert t["n"].iloc[0] == 4  # 5, 42, 43, 10


# ---------------------------------------------------------------------------
# Aantallen en uitgaven
# ---------------------------------------------------------------------------


def test_aandelen_vorm(klein):
    # inzet started Q1 in A: Noord I1 netwerk, I2 maatwerk_wmo; Zuid I4 maatwerk_wmo, I5 wijkteam
    assert _waarde(klein, "aandeel_maatwerk", "A", "Noord", Q1) == 0.5
    assert _waarde(klein, "aandeel_maatwerk", "A", TOTAAL, Q1) == 0.5
    assert _waarde(klein, "aandeel_lichte_zorg", "B", "Noord", Q1) == 1.0  # I6 eigen_kracht
    mix = klein[(klein["indicator"] == "aandeel_vorm") & (klein["gemeente"] == "A")
                & (klein["wijkteam"] == "Noord") & (klein["periode_start"] == Q1)]
    assert sorted(mix["uitsplitsing"]) == sorted(VORMEN)
    assert mix["waarde"].sum() == pytest.approx(1.0)
    assert mix.set_index("uitsplitsing").loc["netwerk", "waarde"] == 0.5


def test_toeleiding_en_netwerk(klein):
    # meldingen Q1 A Noord: T1 (netwerk), T2 (maatwerk_wmo), T3 (maatwerk_jeugd)
    assert _waarde(klein, "toeleiding_maatwerk_wmo", "A", "Noord", Q1) == pytest.approx(1 / 3)
    assert _waarde(klein, "toeleiding_maatwerk_jeugd", "A", "Noord", Q1) == pytest.approx(1 / 3)
    # A Zuid Q1: T4 and T5 both got maatwerk_wmo -> 2/2
    assert _waarde(klein, "toeleiding_maatwerk_wmo", "A", "Zuid", Q1) == 1.0
    assert _waarde(klein, "inzet_netwerk_eigen_kracht", "A", "Noord", Q1) == pytest.approx(1 / 3)
    assert _waarde(klein, "inzet_netwerk_eigen_kracht", "B", "Noord", Q1) == 1.0


def test_kosten(klein):
    # kosten_maatwerk Q1 A: I2 1000 (Noord) + I4 2000 (Zuid) = 3000, all maatwerk_wmo
    assert _waarde(klein, "kosten_maatwerk", "A", TOTAAL, Q1) == 3000
    assert _waarde(klein, "kosten_maatwerk", "A", TOTAAL, Q1, uitsplitsing="maatwerk_jeugd") == 0
    assert _waarde(klein, "kosten_maatwerk", "A", TOTAAL, Q2) == 5500  # I3 5000 + I7 500
    assert _rij(klein, "kosten_maatwerk", "A", TOTAAL, Q1)["methode"] == ind.GEEN_INTERVAL
    # per inwoner: Noord 1000/1000 = 1.0, Zuid 2000/4000 = 0.5, Totaal A 3000/5000 = 0.6
    assert _waarde(klein, "kosten_per_inwoner", "A", "Zuid", Q1) == 0.5
    assert _waarde(klein, "kosten_per_inwoner", "A", TOTAAL, Q1) == pytest.approx(0.6)
    # per closed traject Q2 A: T3 5000 + T4 (2000 + 0) over 2 trajecten = 3500
    assert _waarde(klein, "kosten_per_traject", "A", TOTAAL, Q2) == 3500


def test_afschaling(klein):
    # closed Q1: A Noord T1 afgeschaald -> 1/1; Q2 A: T3, T4 not -> 0/2
    assert _waarde(klein, "afschaling", "A", "Noord", Q1) == 1.0
    r = _rij(klein, "afschaling", "A", TOTAAL, Q2)
    assert (r["teller"], r["noemer"]) == (0, 2)


# ---------------------------------------------------------------------------
# Resultaat
# ---------------------------------------------------------------------------


def test_zrm_verbeterd_gelijk_verslechterd(klein):
    # T1 (last meting Q1): common domains financien+huisvesting 5 -> 7: verbeterd
    # T2 (Q2): 6 -> 6 gelijk; T4 (Q2, middle meting ignored): 8 -> 6 verslechterd
    assert _waarde(klein, "zrm_verbeterd", "A", "Noord", Q1) == 1.0
    assert _waarde(klein, "zrm_gelijk", "A", TOTAAL, Q2) == 0.5
    assert _waarde(klein, "zrm_verslechterd", "A", TOTAAL, Q2) == 0.5
    assert _waarde(klein, "zrm_verbeterd", "A", TOTAAL, Q2) == 0.0
    # T6 has one measurement only: no zrm_verbeterd row for gemeente B
    assert not (klein[klein["indicator"] == "zrm_verbeterd"]["gemeente"] == "B").any()


def test_zrm_verandering_en_probleemdomeinen(klein):
    # per domein, Q2 Totaal A: financien T2 0, T4 -2 -> -1; huisvesting 0, 0 -> 0
    assert _waarde(klein, "zrm_verandering", "A", TOTAAL, Q2, uitsplitsing="financien") == -1
    assert _waarde(klein, "zrm_verandering", "A", TOTAAL, Q2, uitsplitsing="huisvesting") == 0
    # Q1 A Noord: financien +2; werk_opleiding not measured twice -> no row
    assert _waarde(klein, "zrm_verandering", "A", "Noord", Q1, uitsplitsing="financien") == 2
    t = klein[(klein["indicator"] == "zrm_verandering") & (klein["uitsplitsing"] == "werk_opleiding")]
    assert t.empty
    # probleemdomeinen at the first meting (Q1): T1 2 (fin 2, werk 1), T2 0, T4 0 -> A 2/3
    assert _waarde(klein, "zrm_probleemdomeinen", "A", TOTAAL, Q1) == pytest.approx(2 / 3)
    assert _waarde(klein, "zrm_probleemdomeinen", "A", "Noord", Q1) == 1.0


def test_doelrealisatie_en_tevredenheid(klein):
    # Q1 A Noord: T1 3/4; Q2 Totaal A: T3 2/2 + T4 0/3 = 2/5
    assert _waarde(klein, "doelrealisatie", "A", "Noord", Q1) == 0.75
    r = _rij(klein, "doelrealisatie", "A", TOTAAL, Q2)
    assert (r["teller"], r["noemer"]) == (2, 5)
    # tevredenheid Q2 Totaal A: mean(6, 7) = 6.5, t interval with n = 2 (scipy t)
    r = _rij(klein, "tevredenheid", "A", TOTAAL, Q2)
    marge = stats.t.ppf(0.975, 1) * np.std([6, 7], ddof=1) / np.sqrt(2)
    assert r["waarde"] == 6.5
    assert r["ondergrens"] == pytest.approx(6.5 - marge)
    assert r["methode"] == "Student t"


# ---------------------------------------------------------------------------
# Medewerkers, wachttijden, harde control
# ---------------------------------------------------------------------------


def test_rapportcijfer(klein):
    # A Noord: medewerker hulp (6, 8) -> 7; all respondents hulp (6, 8, 9) -> 23/3
    # Totaal A: medewerker:hulp (6, 8, 7) -> 7; hulp (6, 8, 9, 7) -> 7.5
    jaar = pd.Timestamp("2024-01-01")
    assert _waarde(klein, "rapportcijfer", "A", "Noord", jaar, "medewerker:hulp") == 7
    assert _waarde(klein, "rapportcijfer", "A", "Noord", jaar, "hulp") == pytest.approx(23 / 3)
    assert _waarde(klein, "rapportcijfer", "A", TOTAAL, jaar, "hulp") == 7.5
    r = _rij(klein, "rapportcijfer", "B", "Noord", jaar, "team")
    assert r["periode_eind"] == pd.Timestamp("2024-12-31") and r["waarde"] == 5


def test_beschikking_en_wachttijd(klein):
    # aanvraag Q1 A: I2 14 days (Wmo term 14: on time), I4 15 days (late) -> 1/2
    r = _rij(klein, "beschikking_binnen_termijn", "A", TOTAAL, Q1)
    assert (r["teller"], r["noemer"]) == (1, 2)
    # Q2: I3 jeugd 56 days (term 56: on time); I7 Wmo without beschikking, term expired -> late
    assert _waarde(klein, "beschikking_binnen_termijn", "A", TOTAAL, Q2, "maatwerk_jeugd") == 1
    assert _waarde(klein, "beschikking_binnen_termijn", "A", TOTAAL, Q2, "maatwerk_wmo") == 0
    # wachttijd by start: Q1 I2 15, I4 14 -> 14.5; Q2 I3 start before beschikking -> 0,
    # I7 (no beschikking: from aanvraag) 9 -> 4.5
    assert _waarde(klein, "wachttijd_maatwerk", "A", TOTAAL, Q1) == 14.5
    assert _waarde(klein, "wachttijd_maatwerk", "A", TOTAAL, Q2) == 4.5


def test_harde_control(klein):
    # closed Q2 A: T3 has no plan (incomplete), T4 complete -> 1/2; Q1 B: T6 complete
    assert _waarde(klein, "registratie_volledig", "A", TOTAAL, Q2) == 0.5
    assert _waarde(klein, "registratie_volledig", "B", "Noord", Q1) == 1.0
    # maatwerk started Q2 in A: I3 beschikking "nee", I7 missing -> 2 of 2
    assert _waarde(klein, "maatwerk_zonder_beschikking", "A", TOTAAL, Q2) == 2
    assert _waarde(klein, "maatwerk_zonder_beschikking_aandeel", "A", TOTAAL, Q2) == 1.0
    assert _waarde(klein, "maatwerk_zonder_beschikking", "A", TOTAAL, Q1) == 0


def test_quarantaine(klein):
    # records 5 and 7 with ongeldige_datum -> 2; record 5 buiten_bereik -> 1; per gemeente
    q = ind.quarantaine_telling(_md())
    assert q.set_index("regel").loc["ongeldige_datum", "rijen"] == 2
    assert q.set_index("regel").loc["buiten_bereik", "meldingen"] == 1
    t = klein[klein["indicator"] == "quarantaine"]
    assert set(t["wijkteam"]) == {TOTAAL} and set(t["gemeente"]) == {"A", "B"}
    # hand: per gemeente only its own records — B: record 5 (ongeldige_datum and
    # buiten_bereik), A: record 7 (ongeldige_datum)
    w = t.set_index(["gemeente", "uitsplitsing"])["waarde"]
    assert w[("B", "trajecten:ongeldige_datum")] == 1 and w[("A", "trajecten:ongeldige_datum")] == 1
    assert w[("B", "trajecten:buiten_bereik")] == 1 and ("A", "trajecten:buiten_bereik") not in w


def test_van_tot_en_periode(klein):
    # only Q2: stocks still count earlier events (caseload A Zuid end Q2 = 2)
    t = ind.bereken(_md(), periode="kwartaal", van="2024-04", tot="2024-06",
                    indicatoren=["caseload", "instroom"])
    assert set(t["periode_start"]) == {Q2}
    assert _waarde(t, "caseload", "A", "Zuid", Q2) == 2
    # year: instroom A = 6 meldingen in 2024
    j = ind.bereken(_md(), periode="jaar", indicatoren=["instroom"])
    assert _waarde(j, "instroom", "A", TOTAAL, Q1) == 6
    with pytest.raises(ValueError, match="Onbekende periode"):
        ind.bereken(_md(), periode="week")
    with pytest.raises(KeyError, match="Onbekende indicator"):
        ind.bereken(_md(), indicatoren=["bestaat_niet"])


# ---------------------------------------------------------------------------
# Catalog
# ---------------------------------------------------------------------------


def test_catalogus_velden():
    assert len(INDICATOREN) >= 30
    for code, i in INDICATOREN.items():
        assert i.code == code and i.naam and i.omschrijving and i.doel and i.eenheid
        assert i.thema in THEMAS and i.type in STATISTIEK_TYPES
        assert i.dimensie is None or i.dimensie in DIMENSIES
        assert i.beter in ("hoger", "lager", None)
        assert callable(i.functie)
    assert "2.3.2" in INDICATOREN["binnen_termijn_onderzoek"].omschrijving


def test_norm_overschrijven_uit_config():
    # [doelen] in monitor.toml overrides the catalog norm
    o = ind.catalogus_overzicht(MonitorConfig(doelen={"binnen_termijn_onderzoek": 0.9}))
    r = o.set_index("code").loc["binnen_termijn_onderzoek"]
    assert r["norm"] == 0.9 and r["norm_bron"] == "configuratie"
    std = ind.catalogus_overzicht().set_index("code")
    assert std.loc["maatwerk_zonder_beschikking", "norm"] == 0.0
    assert std.loc["maatwerk_zonder_beschikking", "norm_bron"] == "catalogus"
    assert list(o.columns[:7]) == ["thema", "doel", "code", "naam", "eenheid", "beter", "norm"]
    assert set(o["code"]) == set(INDICATOREN)


def test_losse_indicatorfunctie_zelfde_als_bereken(klein):
    # the registered function f(md, perioden) gives the rows of bereken
    md = _md()
    per = ind.perioden(md, "kwartaal")
    los = INDICATOREN["caseload"].functie(md, per)
    uit_tabel = klein[klein["indicator"] == "caseload"].reset_index(drop=True)
    pd.testing.assert_frame_equal(ind._sorteer(los), uit_tabel)


# ---------------------------------------------------------------------------
# Sample data: every indicator computes; planted effects (voorbeelddata.GEPLANT)
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def voorbeeld():
    vd = pytest.importorskip("monitoranalyse.voorbeelddata")
    md = Monitordata(tabellen=vd.genereer_tabellen(seed=2026, schaal=1.0))
    return vd.GEPLANT, md


@pytest.fixture(scope="module")
def voorbeeld_jaar(voorbeeld):
    geplant, md = voorbeeld
    return ind.bereken(md, periode="jaar")


def test_alle_indicatoren_op_voorbeeld(voorbeeld):
    geplant, md = voorbeeld
    t = ind.bereken(md, periode="kwartaal")
    # quarantaine is empty for generated (not loaded) data
    # a begroting is per calendar year: budget indicators only in yearly tables
    assert set(INDICATOREN) - {"quarantaine"} - ALLEEN_PER_JAAR <= set(t["indicator"])
    assert not t.duplicated(SLEUTEL).any()
    prop = t[t["indicator"].map(lambda c: INDICATOREN[c].type) == "proportie"]
    assert prop["waarde"].between(0, 1).all()
    assert (prop["ondergrens"] <= prop["waarde"] + 1e-12).all()
    assert set(t["gemeente"]) == set(geplant["gemeenten"])


def _over_jaren(t, indicator, gemeente, wijkteam=None):
    s = t[(t["indicator"] == indicator) & (t["gemeente"] == gemeente) & (t["uitsplitsing"] == "")]
    if wijkteam is not None:
        s = s[s["wijkteam"] == wijkteam]
    return s


def test_geplant_traag_team(voorbeeld):
    # GEPLANT["traag_team"]: median melding->intake 30 days vs 14 for the other teams
    geplant, md = voorbeeld
    g = geplant["traag_team"]
    v = ind.doorlooptijd_verdeling(md, van=geplant["periode"]["start"])
    v = v[(v["gemeente"] == g["gemeente"]) & (v["doorlooptijd"] == "melding_intake")
          & (v["wijkteam"] != TOTAAL)].set_index("wijkteam")
    traag = v.loc[g["wijkteam"], "mediaan"]
    overig = v.drop(index=g["wijkteam"])["mediaan"].median()
    verwacht = g["mediaan_melding_intake"] / g["mediaan_melding_intake_overig"]
    assert traag / overig == pytest.approx(verwacht, rel=0.25)
    assert traag > v.drop(index=g["wijkteam"])["mediaan"].max()


def test_geplant_veel_maatwerk(voorbeeld_jaar):
    # GEPLANT["veel_maatwerk"]: Lindeveen Wijkteam West (odds ratio 2.5) has a higher
    # aandeel maatwerk than every other team except the planted heavy case-mix team
    # (GEPLANT["zware_casemix"], which has more maatwerk without a team effect)
    from monitoranalyse.voorbeelddata import GEPLANT

    g = GEPLANT["veel_maatwerk"]
    zwaar = GEPLANT["zware_casemix"]["wijkteam"]
    s = _over_jaren(voorbeeld_jaar, "aandeel_maatwerk", g["gemeente"])
    s = s.groupby("wijkteam")[["teller", "noemer"]].sum()
    aandeel = s["teller"] / s["noemer"]
    overig = aandeel.drop([g["wijkteam"], zwaar, TOTAAL])
    assert aandeel[g["wijkteam"]] > overig.max() + 0.05
    assert aandeel[g["wijkteam"]] > aandeel[TOTAAL]


def test_geplant_caseload_per_fte_stijgt(voorbeeld_jaar):
    # GEPLANT["groeiende_instroom"]: Oost's instroom grows 30%/yr with constant fte
    from monitoranalyse.voorbeelddata import GEPLANT

    g = GEPLANT["groeiende_instroom"]
    s = _over_jaren(voorbeeld_jaar, "caseload_per_fte", g["gemeente"], g["wijkteam"])
    s = s[s["periode_start"] >= pd.Timestamp(GEPLANT["periode"]["start"])].sort_values(
        "periode_start")
    w = s["waarde"].to_numpy()
    assert len(w) >= 4
    assert w[-1] > 1.5 * w[0]
    assert stats.linregress(np.arange(len(w)), w).slope > 0


def test_geplant_lichte_zorg_na_beleidswijziging(voorbeeld):
    # GEPLANT["beleidswijziging"]: Lindeveen +10 pp lichte zorg from 2023-01-01
    geplant, md = voorbeeld
    b = geplant["beleidswijziging"]
    t = ind.bereken(md, periode="kwartaal", indicatoren=["aandeel_lichte_zorg"],
                    van=geplant["periode"]["start"])
    t = t[(t["gemeente"] == b["gemeente"]) & (t["wijkteam"] == TOTAAL)]
    na = t["periode_start"] >= pd.Timestamp(b["datum"])
    voor_, na_ = t[~na], t[na]
    p_voor = voor_["teller"].sum() / voor_["noemer"].sum()
    p_na = na_["teller"].sum() / na_["noemer"].sum()
    assert p_na - p_voor > 0.05


# ---------------------------------------------------------------------------
# Committed datasets, loaded through the loader
# ---------------------------------------------------------------------------


def test_voorbeeld_map_geladen():
    # the committed sample (data_samples/voorbeeld) computes every indicator in seconds
    from conftest import VOORBEELD

    laden = pytest.importorskip("monitoranalyse.invoer.laden")
    if not VOORBEELD.is_dir():
        pytest.skip("data_samples/voorbeeld ontbreekt")
    import time

    md = laden.laad(VOORBEELD)
    t0 = time.perf_counter()
    t = ind.bereken(md, periode="kwartaal")
    assert time.perf_counter() - t0 < 10
    # a begroting is per calendar year: budget indicators only in yearly tables
    assert set(INDICATOREN) - {"quarantaine"} - ALLEEN_PER_JAAR <= set(t["indicator"])
    # its monitor.toml sets [doelen]: they reach the overview
    o = ind.catalogus_overzicht(md.config).set_index("code")
    for code, norm in md.config.doelen.items():
        assert o.loc[code, "norm"] == norm and o.loc[code, "norm_bron"] == "configuratie"


def test_quarantaine_rommelig_volgens_manifest():
    # data_samples/rommelig/verwacht_quarantaine.csv lists every bad (tabel, rij, regel):
    # each row counts for exactly one gemeente (its own column, else its traject's) or is
    # "niet toe te wijzen"; summed over the gemeenten plus the unattributable rows the
    # indicator gives the manifest's distinct rows per tabel:regel
    from conftest import ROMMELIG

    laden = pytest.importorskip("monitoranalyse.invoer.laden")
    manifest = ROMMELIG / "verwacht_quarantaine.csv"
    if not manifest.exists():
        pytest.skip("data_samples/rommelig ontbreekt")
    verwacht = pd.read_csv(manifest).groupby(["tabel", "regel"])["rij"].nunique()
    verwacht.index = [f"{a}:{b}" for a, b in verwacht.index]
    md = laden.laad(ROMMELIG)
    t = ind.bereken(md, indicatoren=["quarantaine"])
    som = t.groupby("uitsplitsing")["waarde"].sum()
    q = md.quarantaine
    los = q[~q["gemeente"].isin(md.gemeenten)]
    los = los.assign(k=los["tabel"] + ":" + los["regel"]).groupby("k")["rij"].nunique()
    gevonden = som.add(los.astype(float), fill_value=0.0)
    pd.testing.assert_series_equal(gevonden.sort_index(), verwacht.sort_index().astype(float),
                                   check_names=False, check_index_type=False)
    # and each gemeente's rows are its own: an inzet row is attributed through its traject
    assert len(los) < len(verwacht)


def test_alleen_trajecten():
    # optional tables absent: indicators that need them give no rows (not zeros)
    md = Monitordata(tabellen={"trajecten": _tabellen()["trajecten"]})
    t = ind.bereken(md)
    assert {"caseload", "instroom", "binnen_termijn_onderzoek"} <= set(t["indicator"])
    for code in ("kosten_maatwerk", "maatwerk_zonder_beschikking", "caseload_per_fte",
                 "rapportcijfer", "zrm_verbeterd", "aandeel_maatwerk", "quarantaine"):
        assert code not in set(t["indicator"]), code
    assert _waarde(t, "caseload", "A", TOTAAL, Q1) == 4  # as with all tables
    assert ind.bereken(Monitordata(tabellen={})).empty

"""Issue 14: doelmatigheid (team costs, budget), bereik, voorzieningen, personeel and regie.

Where the expectations come from:
- hand computations on the tiny dataset below (each test says how);
- exact Poisson limits from the chi-square formula (Garwood 1936; Ulm 1990):
  lower = chi2.ppf(0.025, 2x)/2, upper = chi2.ppf(0.975, 2x+2)/2;
- planted effects of the sample generator (``voorbeelddata.GEPLANT``), found end to end
  from the generated files through the loader and the indicator table;
- the disclosure rules of ``openbaarmaking`` (drempel 8) for the canary tests.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from conftest import ROOT
from monitoranalyse import indicatoren as ind
from monitoranalyse import voorbeelddata
from monitoranalyse.invoer import laden
from monitoranalyse.rapport.openbaarmaking import vrijgeven
from monitoranalyse.config import ConfigFout, MonitorConfig, lees_config
from monitoranalyse.contract import TABELLEN, TOTAAL
from monitoranalyse.indicatoren.voorzieningen import ONBEKEND, productcategorie_naam
from monitoranalyse.invoer.monitordata import Monitordata

S = "string"


def _d(waarden):
    return pd.to_datetime(pd.Series(waarden, dtype=object)).astype("datetime64[ns]")


def _tabellen() -> dict[str, pd.DataFrame]:
    """The hand-made dataset (gemeente A, teams Noord and Zuid, first half of 2024).

    ====  =====  =======  =======  ======  ==========  =========
    id    team   melding  einde    client  huishouden  regisseur
    ====  =====  =======  =======  ======  ==========  =========
    T1    Noord  01-10    05-15    C1      H1          M1
    T2    Noord  02-01    -        C2      H1          M2
    T3    Noord  02-10    -        C3      H2          M1
    T4    Noord  03-01    -        C3      H2          M1
    T5    Zuid   01-15    06-30    C5      H3          M3
    T6    Zuid   04-01    -        C6      H4          M3
    ====  =====  =======  =======  ======  ==========  =========

    Peildatum 2024-06-30 (T5 einde).
    """
    tr = pd.DataFrame({
        "traject_id": ["T1", "T2", "T3", "T4", "T5", "T6"],
        "client_id": ["C1", "C2", "C3", "C3", "C5", "C6"],
        "gemeente": ["A"] * 6,
        "wijkteam": ["Noord"] * 4 + ["Zuid"] * 2,
        "datum_melding": _d(["2024-01-10", "2024-02-01", "2024-02-10", "2024-03-01",
                             "2024-01-15", "2024-04-01"]),
        "huishouden_id": ["H1", "H1", "H2", "H2", "H3", "H4"],
        "medewerker_id": ["M1", "M2", "M1", "M1", "M3", "M3"],
        "datum_einde": _d(["2024-05-15", None, None, None, "2024-06-30", None]),
        "leeftijd": pd.array([10, 40, 70, 15, 30, 50], dtype="Int64"),
    }).astype({"traject_id": S, "client_id": S, "gemeente": S, "wijkteam": S,
               "huishouden_id": S, "medewerker_id": S})
    inzet = pd.DataFrame({
        "inzet_id": ["I1", "I2", "I3", "I4"],
        "traject_id": ["T1", "T3", "T5", "T6"],
        "vorm": ["maatwerk_wmo", "maatwerk_jeugd", "maatwerk_wmo", "algemene_voorziening"],
        "datum_start": _d(["2024-02-01", "2024-03-05", "2024-02-10", "2024-04-10"]),
        "productcategorie": ["02", "45", "99", None],
        "kosten": [1000.0, 4000.0, 500.0, 200.0],
    }).astype({"inzet_id": S, "traject_id": S, "vorm": S, "productcategorie": S})
    maanden = _d([f"2024-0{m}-01" for m in range(1, 7)])
    formatie = pd.DataFrame({
        "gemeente": ["A"] * 12,
        "wijkteam": ["Noord"] * 6 + ["Zuid"] * 6,
        "maand": pd.concat([maanden, maanden], ignore_index=True),
        "fte": [2.0] * 6 + [1.0] * 6,
        # Zuid delivers its own team costs for January only; the rest is fte x tarief / 12
        "teamkosten": [np.nan] * 6 + [6000.0] + [np.nan] * 5,
    }).astype({"gemeente": S, "wijkteam": S})
    # Noord: a total row and two leeftijdsgroepen; Zuid: only groups (total = their sum)
    bevolking = pd.DataFrame({"gemeente": ["A"] * 5, "wijkteam": ["Noord"] * 3 + ["Zuid"] * 2,
                              "jaar": [2024] * 5, "inwoners": [2000, 500, 1500, 300, 700],
                              "leeftijdsgroep": [None, "0-17", "18+", "0-17", "18+"]}
                             ).astype({"gemeente": S, "wijkteam": S, "jaar": "Int64",
                                       "inwoners": "Int64", "leeftijdsgroep": S})
    personeel = pd.DataFrame({
        "gemeente": ["A"] * 4,
        "wijkteam": ["Noord"] * 3 + ["Zuid"],
        "maand": _d(["2024-01-01", "2024-02-01", "2024-03-01", "2024-01-01"]),
        "fte_bezet": [2.0, 2.0, 1.0, 1.0],
        "verzuim_pct": [10.0, 20.0, 30.0, 0.0],
        "uitstroom_medewerkers": [0, 1, 0, 0],
        "vacatures_fte": [0.0, 0.0, 1.0, 0.0],
    }).astype({"gemeente": S, "wijkteam": S, "uitstroom_medewerkers": "Int64"})
    begroting = pd.DataFrame({
        "gemeente": ["A"] * 4,
        "jaar": [2024] * 4,
        "post": ["wijkteam", "maatwerk_wmo", "maatwerk_jeugd", "overig"],
        "begroot": [80000.0, 2000.0, 4000.0, 1000.0],
        "gerealiseerd": [np.nan, np.nan, 4400.0, np.nan],
    }).astype({"gemeente": S, "jaar": "Int64", "post": S})
    tabellen = {"trajecten": tr, "inzet": inzet, "formatie": formatie, "bevolking": bevolking,
                "personeel": personeel, "begroting": begroting}
    # the other contract columns, empty (as the loader delivers an export without them)
    for naam, df in tabellen.items():
        for k in TABELLEN[naam].kolommen:
            if k.naam not in df.columns:
                df[k.naam] = (pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
                              if k.type in ("datum", "maand") else
                              pd.Series(np.nan, index=df.index) if k.type in ("getal", "geheel")
                              else pd.Series(pd.NA, index=df.index, dtype=S))
    return tabellen


def _md(**cfg) -> Monitordata:
    config = MonitorConfig()
    config.kosten["fte_tarief"] = 60000.0
    config.medewerkers["caseloadnorm_regisseur"] = 1.0
    for k, v in cfg.items():
        setattr(config, k, v)
    return Monitordata(tabellen=_tabellen(), config=config)


def _rij(t, code, team, start, split=""):
    r = t[(t.indicator == code) & (t.wijkteam == team) & (t.periode_start == pd.Timestamp(start))
          & (t.uitsplitsing == split)]
    assert len(r) == 1, (code, team, start, split, len(r))
    return r.iloc[0]


@pytest.fixture(scope="module")
def jaar():
    return ind.bereken(_md(), periode="jaar")


@pytest.fixture(scope="module")
def kwartaal():
    return ind.bereken(_md(), periode="kwartaal")


# --------------------------------------------------------------------------- costs


def test_teamkosten(jaar, kwartaal):
    # hand: Noord 2 fte x 60000 / 12 = 10000 per month; Q1 30000, half year 60000.
    # Zuid: January own teamkosten 6000, then 1 fte x 5000: Q1 16000, year 6000 + 5 x 5000.
    assert _rij(kwartaal, "teamkosten", "Noord", "2024-01-01").waarde == pytest.approx(30000)
    assert _rij(kwartaal, "teamkosten", "Zuid", "2024-01-01").waarde == pytest.approx(16000)
    assert _rij(jaar, "teamkosten", "Zuid", "2024-01-01").waarde == pytest.approx(31000)
    assert _rij(jaar, "teamkosten", TOTAAL, "2024-01-01").waarde == pytest.approx(91000)
    assert _rij(jaar, "teamkosten", TOTAAL, "2024-01-01").methode == "geen interval"


def test_geen_teamkosten_zonder_tarief_of_kolom():
    # no [kosten] fte_tarief and no teamkosten column: no number from an assumption
    md = _md()
    md.config.kosten["fte_tarief"] = None
    md.tabellen["formatie"] = md.tabellen["formatie"].drop(columns="teamkosten")
    t = ind.bereken(md, periode="jaar", indicatoren=["teamkosten", "integrale_kosten_per_traject"])
    assert t.empty


def test_integrale_kosten_per_traject(jaar, kwartaal):
    # hand, year: Noord (60000 team + 1000 + 4000 maatwerk) / 1 afgesloten (T1) = 65000;
    # Zuid (31000 + 500) / 1 (T5) = 31500; Totaal (91000 + 5500) / 2 = 48250.
    assert _rij(jaar, "integrale_kosten_per_traject", "Noord", "2024-01-01").waarde == 65000
    assert _rij(jaar, "integrale_kosten_per_traject", "Zuid", "2024-01-01").waarde == 31500
    r = _rij(jaar, "integrale_kosten_per_traject", TOTAAL, "2024-01-01")
    assert (r.teller, r.noemer, r.waarde) == (96500, 2, 48250)
    # Q1: nothing afgesloten -> no row; Q2 Noord: team 30000 + no maatwerk started / 1
    assert not ((kwartaal.indicator == "integrale_kosten_per_traject")
                & (kwartaal.periode_start == pd.Timestamp("2024-01-01"))).any()
    assert _rij(kwartaal, "integrale_kosten_per_traject", "Noord", "2024-04-01").waarde == 30000


def test_kosten_per_inwoner(jaar):
    # hand: team: Noord 60000/2000 = 30, Zuid 31000/1000 = 31, Totaal 91000/3000;
    # integraal: Noord 65000/2000 = 32.5, Zuid 31500/1000 = 31.5, Totaal 96500/3000.
    assert _rij(jaar, "teamkosten_per_inwoner", "Noord", "2024-01-01").waarde == 30
    assert _rij(jaar, "teamkosten_per_inwoner", "Zuid", "2024-01-01").waarde == 31
    assert _rij(jaar, "teamkosten_per_inwoner", TOTAAL, "2024-01-01").waarde == pytest.approx(91000 / 3000)
    assert _rij(jaar, "integrale_kosten_per_inwoner", "Noord", "2024-01-01").waarde == 32.5
    assert _rij(jaar, "integrale_kosten_per_inwoner", TOTAAL, "2024-01-01").waarde == pytest.approx(96500 / 3000)
    # maatwerk per inwoner (existing indicator) completes the three: Noord 5000/2000
    assert _rij(jaar, "kosten_per_inwoner", "Noord", "2024-01-01").waarde == 2.5


def test_budgetrealisatie(jaar, kwartaal):
    # hand: wijkteam derived from the teamkosten 91000 / 80000; maatwerk_wmo derived from
    # inzet.kosten 1000 + 500 = 1500 / 2000; maatwerk_jeugd: the column wins (4400, not the
    # derived 4000) / 4000; overig has no realisation and is left out; "" = the sum.
    r = _rij(jaar, "budgetrealisatie", TOTAAL, "2024-01-01", "wijkteam")
    assert (r.teller, r.noemer) == (91000, 80000) and r.waarde == pytest.approx(1.1375)
    assert _rij(jaar, "budgetrealisatie", TOTAAL, "2024-01-01", "maatwerk_wmo").waarde == 0.75
    assert _rij(jaar, "budgetrealisatie", TOTAAL, "2024-01-01", "maatwerk_jeugd").waarde == pytest.approx(1.1)
    assert not ((jaar.indicator == "budgetrealisatie") & (jaar.uitsplitsing == "overig")).any()
    som = _rij(jaar, "budgetrealisatie", TOTAAL, "2024-01-01", "")
    assert (som.teller, som.noemer) == (96900, 86000)
    assert _rij(jaar, "budgetafwijking", TOTAAL, "2024-01-01", "wijkteam").waarde == 11000
    assert _rij(jaar, "budgetafwijking", TOTAAL, "2024-01-01", "maatwerk_wmo").waarde == -500
    # a begroting is per year: no budget rows in quarterly tables
    assert not kwartaal.indicator.isin(["budgetrealisatie", "budgetafwijking"]).any()
    # only the gemeente level
    assert set(jaar.loc[jaar.indicator == "budgetrealisatie", "wijkteam"]) == {TOTAAL}


# --------------------------------------------------------------------------- bereik


def test_bereik_per_1000_met_exact_interval(jaar):
    # hand: Noord 4 meldingen / 2000 inwoners x 1000 = 2.0; exact Poisson limits for 4:
    # chi2.ppf(.025, 8)/2 and chi2.ppf(.975, 10)/2, scaled by 1000/2000.
    r = _rij(jaar, "bereik_meldingen", "Noord", "2024-01-01")
    assert (r.teller, r.noemer, r.waarde) == (4, 2000, 2.0)
    assert r.ondergrens == pytest.approx(stats.chi2.ppf(0.025, 8) / 2 / 2, rel=1e-6)
    assert r.bovengrens == pytest.approx(stats.chi2.ppf(0.975, 10) / 2 / 2, rel=1e-6)
    assert r.methode == "Exact Poisson"
    # cliënten: C3 has two meldingen in Noord -> 3 cliënten / 2000 x 1000 = 1.5
    assert _rij(jaar, "bereik_clienten", "Noord", "2024-01-01").waarde == 1.5
    assert _rij(jaar, "bereik_meldingen", TOTAAL, "2024-01-01").waarde == pytest.approx(6 / 3)


def test_bereik_per_leeftijdsgroep(jaar):
    # hand: Noord 0-17 = T1 (10) and T4 (15): 2 / 500 x 1000 = 4.0; 18+ = T2, T3: 2 / 1500;
    # Zuid has no total row: its total is 300 + 700 = 1000 (also for kosten per inwoner)
    assert _rij(jaar, "bereik_meldingen", "Noord", "2024-01-01", "0-17").waarde == 4.0
    assert _rij(jaar, "bereik_meldingen", "Noord", "2024-01-01", "18+").waarde == pytest.approx(2 / 1.5)
    assert _rij(jaar, "bereik_meldingen", "Zuid", "2024-01-01").noemer == 1000
    r = _rij(jaar, "bereik_meldingen", TOTAAL, "2024-01-01", "0-17")
    assert (r.teller, r.noemer) == (2, 800)
    assert _rij(jaar, "kosten_per_inwoner", "Zuid", "2024-01-01").waarde == 0.5


def test_bereik_in_funnel():
    from monitoranalyse.analyse import resultaten, vergelijking

    assert "bereik_meldingen" in resultaten.FUNNEL_INDICATOREN
    t = ind.bereken(_md(), periode="jaar", indicatoren=["bereik_meldingen"])
    f = vergelijking.funnel(t, "bereik_meldingen", periode="alle")
    # hand: the centre is the pooled rate 6 / 3000 x 1000 = 2.0 per 1.000 inwoners
    assert f["doel"].iloc[0] == pytest.approx(2.0)
    assert set(f["wijkteam"]) == {"Noord", "Zuid"}


# --------------------------------------------------------------------------- voorzieningen


def test_productcategorie(jaar):
    # WMO022 names (iStandaarden); code 99 is not an inzet category -> onbekend
    assert productcategorie_naam("02") == "Begeleiding"
    assert productcategorie_naam("99") == ONBEKEND and productcategorie_naam(None) == ONBEKEND
    # hand: Noord has I1 (02, 1000) and I2 (45, 4000); Zuid I3 (code 99 -> onbekend, 500)
    assert _rij(jaar, "voorziening_clienten", "Noord", "2024-01-01", "02").waarde == 1
    assert _rij(jaar, "voorziening_clienten", "Noord", "2024-01-01", "").waarde == 2
    assert _rij(jaar, "voorziening_kosten", "Noord", "2024-01-01", "45").waarde == 4000
    assert _rij(jaar, "voorziening_kosten", "Zuid", "2024-01-01", ONBEKEND).waarde == 500
    # the algemene voorziening (I4) is not maatwerk: not in the productcategorie table
    assert _rij(jaar, "voorziening_kosten", TOTAAL, "2024-01-01", "").waarde == 5500


def test_ijw_namen_volgens_codelijst():
    # iJw release 3.2, JZ020 (see the module docstring of indicatoren.voorzieningen)
    assert productcategorie_naam("45") == "Jeugdhulp ambulant"
    assert productcategorie_naam("43") == "Jeugdhulp verblijf (incl. behandeling)"
    assert productcategorie_naam("44") == "Jeugdhulp verblijf (excl. behandeling)"
    assert productcategorie_naam("35") == "(2015) Met verblijf: pleegzorg"
    assert productcategorie_naam("39") == ONBEKEND  # not in the list


def test_jeugd_verblijf_aandeel_met_de_hand():
    """Extra jeugd inzet on the hand-made set: T4 (Noord) gets 43 on 03-10 and 45 on 04-10,
    T6 (Zuid) gets an inzet without code. Year 2024, Noord: T3 (45) and T4 (43 + 45, verblijf
    when ANY inzet is) -> 1/2; Zuid: only an unknown code -> no figure. Quarters, Noord: K1
    T3 (45) and T4 (43) -> 1/2; K2 T4 (45) -> 0/1."""
    tab = _tabellen()
    extra = pd.DataFrame({
        "inzet_id": ["I5", "I6", "I7"], "traject_id": ["T4", "T4", "T6"],
        "vorm": ["maatwerk_jeugd"] * 3, "datum_start": _d(["2024-03-10", "2024-04-10", "2024-05-01"]),
        "productcategorie": ["43", "45", ""], "kosten": [7000.0, 800.0, 100.0],
    }).astype({"inzet_id": S, "traject_id": S, "vorm": S, "productcategorie": S})
    tab["inzet"] = pd.concat([tab["inzet"], extra], ignore_index=True)
    config = MonitorConfig()
    md = Monitordata(tabellen=tab, config=config)
    j = ind.bereken(md, periode="jaar")
    r = _rij(j, "jeugd_verblijf_aandeel", "Noord", "2024-01-01")
    assert (r.teller, r.noemer, r.waarde) == (1, 2, 0.5) and r.methode == "Wilson"
    assert _rij(j, "jeugd_verblijf_aandeel", TOTAAL, "2024-01-01").waarde == 0.5
    assert j[(j.indicator == "jeugd_verblijf_aandeel") & (j.wijkteam == "Zuid")].empty
    k = ind.bereken(md, periode="kwartaal")
    assert _rij(k, "jeugd_verblijf_aandeel", "Noord", "2024-01-01").waarde == 0.5
    r2 = _rij(k, "jeugd_verblijf_aandeel", "Noord", "2024-04-01")
    assert (r2.teller, r2.noemer) == (0, 1)


# --------------------------------------------------------------------------- personeel


def test_verzuim_verloop_vacatures_bezetting(kwartaal):
    # hand, Noord Q1: verzuim fte 0.1*2 + 0.2*2 + 0.3*1 = 0.9 over 3 months, bezetting 5/3:
    # waarde 0.9 / 5 = 0.18, teller 0.3, noemer 5/3.
    r = _rij(kwartaal, "verzuim", "Noord", "2024-01-01")
    assert r.waarde == pytest.approx(0.18) and r.teller == pytest.approx(0.3)
    assert r.noemer == pytest.approx(5 / 3)
    # Totaal Q1: (0.9 + 0) / (5 + 1) = 0.15; three distinct months -> noemer 6/3 = 2
    r = _rij(kwartaal, "verzuim", TOTAAL, "2024-01-01")
    assert r.waarde == pytest.approx(0.15) and r.noemer == pytest.approx(2.0)
    # verloop Noord Q1: 1 uitstroom / (5/3 fte) x 12/3 = 2.4 per year; exact Poisson interval
    r = _rij(kwartaal, "verloop", "Noord", "2024-01-01")
    assert r.waarde == pytest.approx(2.4) and r.teller == 1
    assert r.ondergrens == pytest.approx(stats.chi2.ppf(0.025, 2) / 2 * 2.4, rel=1e-6)
    # vacaturegraad Noord Q1: 1 / (1 + 5); bezetting / formatie: 5 / 6 (no teller/noemer)
    r = _rij(kwartaal, "vacaturegraad", "Noord", "2024-01-01")
    assert r.waarde == pytest.approx(1 / 6) and np.isnan(r.teller) and np.isnan(r.noemer)
    assert _rij(kwartaal, "bezettingsgraad", "Noord", "2024-01-01").waarde == pytest.approx(5 / 6)


def test_caseload_per_regisseur(jaar):
    # hand, open at 2024-12-31: Noord M1 {T3, T4} = 2, M2 {T2} = 1; Zuid M3 {T6} = 1.
    # Noord: median 1.5, P90 (type 7, n=2) 1 + 0.9 x 1 = 1.9; Totaal [1, 1, 2]: median 1,
    # P90 at position 1.8 -> 1 + 0.8 x 1 = 1.8. Norm 1: Noord 1 of 2 above, Totaal 1 of 3.
    r = _rij(jaar, "caseload_regisseur_mediaan", "Noord", "2024-01-01")
    assert (r.waarde, r.noemer) == (1.5, 2)
    assert _rij(jaar, "caseload_regisseur_p90", "Noord", "2024-01-01").waarde == pytest.approx(1.9)
    assert _rij(jaar, "caseload_regisseur_mediaan", TOTAAL, "2024-01-01").waarde == 1
    assert _rij(jaar, "caseload_regisseur_p90", TOTAAL, "2024-01-01").waarde == pytest.approx(1.8)
    r = _rij(jaar, "caseload_boven_norm", TOTAAL, "2024-01-01")
    assert (r.teller, r.noemer) == (1, 3)


def test_een_huishouden_een_regisseur(kwartaal, jaar):
    # hand, end of Q1 (03-31): open T1..T5. H1 {T1 M1, T2 M2}: parallel, 2 regisseurs;
    # H2 {T3, T4 both M1}: parallel, 1 regisseur; H3 {T5}. Noord 2/2 parallel, 1/2 meer.
    r = _rij(kwartaal, "huishoudens_parallelle_trajecten", "Noord", "2024-01-01")
    assert (r.teller, r.noemer) == (2, 2)
    r = _rij(kwartaal, "meer_regisseurs_per_huishouden", "Noord", "2024-01-01")
    assert (r.teller, r.noemer) == (1, 2)
    assert _rij(kwartaal, "huishoudens_parallelle_trajecten", TOTAAL, "2024-01-01").noemer == 3
    # end of the year: T1 and T5 closed. H2 stays parallel with one regisseur: 0 of 1
    r = _rij(jaar, "meer_regisseurs_per_huishouden", TOTAAL, "2024-01-01")
    assert (r.teller, r.noemer) == (0, 1)


# --------------------------------------------------------------------------- configuration


def test_config_kosten_en_medewerkers(tmp_path):
    p = tmp_path / "monitor.toml"
    p.write_text('[kosten]\nfte_tarief = 80000\n[medewerkers]\ncaseloadnorm_regisseur = 20\n'
                 '[gemeenten.A.kosten]\nfte_tarief = 70000\n', encoding="utf-8")
    cfg = lees_config(p)
    assert cfg.kosten["fte_tarief"] == 80000 and cfg.medewerkers["caseloadnorm_regisseur"] == 20
    assert cfg.voor_gemeente("A").kosten["fte_tarief"] == 70000
    p.write_text('[kosten]\nfte_tarief = "veel"\nuurloon = 3\n', encoding="utf-8")
    with pytest.raises(ConfigFout) as e:
        lees_config(p)
    assert "[kosten] fte_tarief" in str(e.value) and "uurloon" in str(e.value)


# --------------------------------------------------------------------------- disclosure (canaries)


def test_kanarie_regisseur_nooit_in_vrijgegeven_cijfers():
    # a team with ONE regisseur (id KANARIEMDW99): the caseload distribution rests on one
    # person and must be withheld (noemer 1 < drempel 8); the id never appears anywhere
    md = _md()
    tr = md.tabellen["trajecten"].copy()
    tr.loc[tr["wijkteam"] == "Zuid", "medewerker_id"] = "KANARIEMDW99"
    tr.loc[tr["wijkteam"] == "Zuid", "huishouden_id"] = "KANARIEHH99"
    md.tabellen["trajecten"] = tr
    t = ind.bereken(md, periode="jaar")
    v = vrijgeven(t, md.config)
    codes = ["caseload_regisseur_mediaan", "caseload_regisseur_p90", "caseload_boven_norm",
             "meer_regisseurs_per_huishouden", "huishoudens_parallelle_trajecten", "verzuim",
             "verloop"]
    zuid = v[v.indicator.isin(codes) & (v.wijkteam == "Zuid")]
    assert len(zuid) and zuid["onderdrukt"].all() and zuid["waarde"].isna().all()
    tekst = v.to_csv(index=False)
    assert "KANARIEMDW99" not in tekst and "KANARIEHH99" not in tekst
    assert "M1" not in set(v["uitsplitsing"])


def test_personeel_kleine_bezetting_onderdrukt():
    # verzuim of a team of 1.67 fte is withheld; vacaturegraad (positions, no persons) is not
    v = vrijgeven(ind.bereken(_md(), periode="kwartaal"), MonitorConfig())
    assert _rij(v, "verzuim", "Noord", "2024-01-01").onderdrukt
    assert not _rij(v, "vacaturegraad", "Noord", "2024-01-01").onderdrukt


# --------------------------------------------------------------------------- planted effects


@pytest.fixture(scope="module")
def voorbeeld_jaar():
    md = laden.laad(ROOT / "data_samples" / "voorbeeld")
    return md, ind.bereken(md, periode="jaar")


def test_geplant_verzuim_stijgt(voorbeeld_jaar):
    g = voorbeelddata.GEPLANT["verzuim_stijgt"]
    _, t = voorbeeld_jaar
    v = t[(t.indicator == "verzuim") & (t.gemeente == g["gemeente"])]
    zuid = v[v.wijkteam == g["wijkteam"]].set_index(v[v.wijkteam == g["wijkteam"]].periode_start.dt.year)
    # planted: 6% (2021) -> 13% (2025), linear; the other teams flat at ~5.5%
    assert zuid.loc[2021, "waarde"] == pytest.approx(g["verzuim_2021"] / 100 + 0.005, abs=0.015)
    assert zuid.loc[2025, "waarde"] - zuid.loc[2021, "waarde"] > 0.05
    rest = v[(v.wijkteam != g["wijkteam"]) & (v.wijkteam != TOTAAL)]
    per_team = rest.groupby("wijkteam")["waarde"].agg(lambda w: w.iloc[-1] - w.iloc[0])
    assert per_team.abs().max() < 0.02
    # the trend analysis finds the rise (yearly values, OLS slope > 0 with p < 0.05)
    helling = stats.linregress(zuid.index, zuid["waarde"])
    assert helling.slope > 0.01 and helling.pvalue < 0.05


def test_geplant_verschuiving_naar_verblijf_jeugd():
    """The planted shift (Beekdal: verblijf among jeugd maatwerk +5 pp a year) is found by the
    report's trend analysis on the quarterly series, at gemeente level; the other gemeenten
    (Lindeveen, and Oosterwaarde without any planted effect) stay quiet."""
    from monitoranalyse.analyse import trend
    from monitoranalyse.contract import in_basis

    g = voorbeelddata.GEPLANT["verblijf_jeugd"]
    md = laden.laad(ROOT / "data_samples" / "voorbeeld")
    k = ind.bereken(md, periode="kwartaal", indicatoren=["jeugd_verblijf_aandeel"])
    k = k[in_basis(k) & (k.wijkteam == TOTAAL) & (k.uitsplitsing == "")]
    t = trend.trend(k).set_index("gemeente")
    assert t.loc[g["gemeente"], "richting"] == "stijgend" and t.loc[g["gemeente"], "p_waarde"] < 0.01
    # the estimate covers the planted slope (per traject it is a little steeper than per inzet)
    assert t.loc[g["gemeente"], "ondergrens"] < g["pp_per_jaar"] / 100 < t.loc[g["gemeente"], "bovengrens"]
    for ander in ("Lindeveen", "Oosterwaarde"):
        assert t.loc[ander, "richting"] == "geen_trend", ander


def test_geplant_overschrijding_jeugd(voorbeeld_jaar):
    g = voorbeelddata.GEPLANT["overschrijding_jeugd"]
    _, t = voorbeeld_jaar
    b = t[(t.indicator == "budgetrealisatie") & (t.uitsplitsing == g["post"])]
    b = b.assign(jaar=b.periode_start.dt.year)
    planted = b[(b.gemeente == g["gemeente"]) & (b.jaar >= g["vanaf"])]
    assert len(planted) == 3 and (planted.waarde > 1.12).all()
    rest = b[(b.gemeente != g["gemeente"]) | (b.jaar < g["vanaf"])]
    assert (rest.waarde < 1.10).all() and (rest.waarde > 0.88).all()


def test_geplant_meer_regisseurs(voorbeeld_jaar):
    g = voorbeelddata.GEPLANT["meer_regisseurs"]
    _, t = voorbeeld_jaar
    m = t[(t.indicator == "meer_regisseurs_per_huishouden") & (t.wijkteam != TOTAAL) & t.volledig]
    s = m.groupby(["gemeente", "wijkteam"])[["teller", "noemer"]].sum()
    planted = s.loc[(g["gemeente"], g["wijkteam"])]
    rest = s.drop(index=(g["gemeente"], g["wijkteam"])).sum()
    # pooled over the complete years: the planted team clearly above the others (Fisher)
    tabel = [[planted.teller, planted.noemer - planted.teller], [rest.teller, rest.noemer - rest.teller]]
    assert planted.teller / planted.noemer > 0.5 > rest.teller / rest.noemer
    assert stats.fisher_exact(tabel)[1] < 1e-4


def test_groeiende_instroom_zichtbaar_in_caseload_per_regisseur(voorbeeld_jaar):
    # existing plant (Lindeveen Oost grows ~30%/year with the same 12 regisseurs): the median
    # caseload per regisseur at least doubles 2021 -> 2025 and more regisseurs exceed the norm
    g = voorbeelddata.GEPLANT["groeiende_instroom"]
    _, t = voorbeeld_jaar
    m = t[(t.indicator == "caseload_regisseur_mediaan") & (t.gemeente == g["gemeente"])
          & (t.wijkteam == g["wijkteam"])].set_index("periode_start")["waarde"]
    assert m[pd.Timestamp("2025-01-01")] >= 2 * m[pd.Timestamp("2021-01-01")]
    b = t[(t.indicator == "caseload_boven_norm") & (t.gemeente == g["gemeente"])
          & (t.wijkteam == g["wijkteam"])].set_index("periode_start")["waarde"]
    assert b[pd.Timestamp("2025-01-01")] > b[pd.Timestamp("2021-01-01")] + 0.3


def test_voorbeeld_teamkosten_uit_kolom_en_tarief(voorbeeld_jaar):
    # Oosterwaarde delivers formatie.teamkosten (79500 per fte); the others get the tarief of
    # monitor.toml (82000): teamkosten / (sum of monthly fte / 12) recovers each rate
    md, t = voorbeeld_jaar
    f = md.tabellen["formatie"]
    for gem, tarief in (("Oosterwaarde", voorbeelddata.GEPLANT["teamkosten_eigen"]["per_fte"]),
                        ("Lindeveen", voorbeelddata.GEPLANT["fte_tarief"])):
        fte = f[(f.gemeente == gem) & (f.maand.dt.year == 2024)]["fte"].sum()
        k = _rij(t[t.gemeente == gem], "teamkosten", TOTAAL, "2024-01-01").waarde
        assert k / (fte / 12) == pytest.approx(tarief, rel=1e-3)

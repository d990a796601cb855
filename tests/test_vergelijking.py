"""Tests for monitoranalyse.analyse.vergelijking (funnels, overdispersion, case-mix, bollen, typology).

Expected values come from: the PHEindicatormethods reference vectors in
tests/reference/phe (tolerances from SOURCE.txt there), hand calculations in the
comments, and effects planted in synthetic traject-level data (``maak_md`` below,
also used by tests/test_signalen.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from monitoranalyse.analyse.vergelijking import (
    bollen_profiel,
    casemix_oe,
    funnel,
    funnel_grenzen,
    funnel_lijnen,
    funnel_positie,
    overspreiding,
    team_typologie,
)
from monitoranalyse.invoer.monitordata import Monitordata
from monitoranalyse.statistiek import mediaan_ci

PHE_LABEL = {
    "High (0.001)": "boven 99,8%",
    "High (0.025)": "boven 95%",
    "Low (0.001)": "onder 99,8%",
    "Low (0.025)": "onder 95%",
    "Not significant": "binnen",
}
GRENZEN = {"ondergrens_95": "lower_2s", "bovengrens_95": "upper_2s",
           "ondergrens_998": "lower_3s", "bovengrens_998": "upper_3s"}


# ---------------------------------------------------------------------------
# Synthetic traject-level data with planted effects
# ---------------------------------------------------------------------------

#: team -> (number of trajecten, P(meervoudig), extra log-odds maatwerk, mean days to intake)
#: Planted effects:
#: * "Noord": +1.2 log-odds maatwerk on top of its (average) case-mix -> must be flagged
#:   after case-mix adjustment;
#: * "Oost": heavy case-mix (70% meervoudig, more ZRM problem domains) but NO own effect ->
#:   more maatwerk unadjusted, not after adjustment;
#: * "Zuid": intake after 60 days on average (others 25) -> slow team.
TEAMS = {
    "Noord": (500, 0.30, 1.2, 25),
    "Oost": (600, 0.70, 0.0, 25),
    "Zuid": (450, 0.30, 0.0, 60),
    "West": (700, 0.30, 0.0, 25),
    "Centrum": (400, 0.30, 0.0, 25),
    "Haven": (350, 0.30, 0.0, 25),
    "Dorp": (300, 0.30, 0.0, 25),
    "Park": (550, 0.30, 0.0, 25),
}


def maak_md(seed: int = 1, teams: dict = TEAMS) -> Monitordata:
    """Trajecten, inzet and zrm for one gemeente, model as documented in TEAMS.

    P(maatwerk) = logistic(-2.2 + 1.0·meervoudig + 0.35·probleemdomeinen + team effect);
    probleemdomeinen ~ Poisson(1 + 2·meervoudig); 5% of leeftijd and problematiek missing.
    """
    rng = np.random.default_rng(seed)
    tr, inzet, zrm = [], [], []
    start = pd.Timestamp("2024-01-01")
    for team, (n, p_meer, effect, dagen) in teams.items():
        meer = rng.random(n) < p_meer
        prob = np.minimum(rng.poisson(1 + 2 * meer), 13)
        lp = -2.2 + 1.0 * meer + 0.35 * prob + effect
        maatwerk = rng.random(n) < 1 / (1 + np.exp(-lp))
        melding = start + pd.to_timedelta(rng.integers(0, 300, n), unit="D")
        intake = melding + pd.to_timedelta(rng.gamma(4, dagen / 4, n).round(), unit="D")
        leeftijd = rng.integers(0, 95, n).astype(float)
        leeftijd[rng.random(n) < 0.05] = np.nan
        probl = np.where(meer, "meervoudig", "enkelvoudig").astype(object)
        probl[rng.random(n) < 0.05] = None
        for i in range(n):
            tid = f"{team}-{i}"
            tr.append({"traject_id": tid, "client_id": f"c{tid}", "gemeente": "Lindeveen",
                       "wijkteam": team, "datum_melding": melding[i], "datum_intake": intake[i],
                       "leeftijd": leeftijd[i], "problematiek": probl[i]})
            inzet.append({"inzet_id": f"{tid}-a", "traject_id": tid,
                          "vorm": "wijkteam", "datum_start": intake[i]})
            if maatwerk[i]:
                inzet.append({"inzet_id": f"{tid}-m", "traject_id": tid,
                              "vorm": "maatwerk_wmo", "datum_start": intake[i]})
            if i % 10:  # every 10th traject has no ZRM: handled as "onbekend"
                for d, dom in enumerate(["financien", "huisvesting", "sociaal_netwerk",
                                         "geestelijke_gezondheid", "werk_opleiding"]):
                    zrm.append({"traject_id": tid, "datum": intake[i], "domein": dom,
                                "score": 2 if d < prob[i] else 4})
    return Monitordata(tabellen={"trajecten": pd.DataFrame(tr), "inzet": pd.DataFrame(inzet),
                                 "zrm": pd.DataFrame(zrm)})


def indicatortabel(md: Monitordata) -> pd.DataFrame:
    """Tidy indicator rows per team (+ Totaal) computed by hand from the synthetic data.

    * onderzoek_op_tijd (proportie, hoger beter): intake within 42 days / all intakes;
    * doorlooptijd_intake (mediaan, lager beter): median days melding -> intake, with the
      distribution-free interval of monitoranalyse.statistiek.mediaan_ci.
    """
    tr = md.trajecten.copy()
    tr["dagen"] = (tr["datum_intake"] - tr["datum_melding"]).dt.days
    rijen = []
    for team, g in list(tr.groupby("wijkteam")) + [("Totaal", tr)]:
        basis = {"gemeente": "Lindeveen", "wijkteam": team, "periode_start": "2024-01-01",
                 "periode_eind": "2024-12-31", "uitsplitsing": "", "methode": ""}
        op_tijd = int((g["dagen"] <= 42).sum())
        rijen.append({**basis, "indicator": "onderzoek_op_tijd", "teller": op_tijd,
                      "noemer": len(g), "waarde": op_tijd / len(g),
                      "ondergrens": np.nan, "bovengrens": np.nan})
        lo, hi = mediaan_ci(g["dagen"].to_numpy(float))
        rijen.append({**basis, "indicator": "doorlooptijd_intake", "teller": np.nan,
                      "noemer": len(g), "waarde": float(g["dagen"].median()),
                      "ondergrens": lo, "bovengrens": hi})
    return pd.DataFrame(rijen)


@pytest.fixture(scope="module")
def md():
    return maak_md()


# ---------------------------------------------------------------------------
# PHE reference vectors
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bestand, filter_",
    [("funnel_prop_outputs.csv", None),
     ("funnel_prop_outputs_with_axis_variation.csv", 31000)],
)
def test_proportie_funnel_lijnen_phe(reference_dir, bestand, filter_):
    # PHE calculate_funnel_limits(statistic="proportion", multiplier=100); SOURCE.txt:
    # abs err <= 5e-7 (the CSV is rounded to 6 decimals)
    inp = pd.read_csv(reference_dir / "phe" / "funnel_prop_inputs.csv")
    if filter_:
        inp = inp[inp["denominator"] < filter_]
    ref = pd.read_csv(reference_dir / "phe" / bestand)
    lijnen = funnel_lijnen("proportie", inp["numerator"], inp["denominator"], vermenigvuldiger=100)
    breed = lijnen.pivot(index="x", columns="grens", values="y").reset_index()
    np.testing.assert_array_equal(breed["x"].to_numpy(), ref["Population"].to_numpy())
    for ons, phe in (("ondergrens_95", "Lower2s0025limit"),
                     ("bovengrens_95", "Upper2s0025limit"),
                     ("ondergrens_998", "Lower3s0001limit"),
                     ("bovengrens_998", "Upper3s0001limit")):
        np.testing.assert_allclose(breed[ons], ref[phe], rtol=0, atol=5e-7 + 1e-12)
    np.testing.assert_allclose(lijnen["doel"].iloc[0], ref["Baseline"].iloc[0], atol=5e-7)


def test_ratio_funnel_lijnen_phe(reference_dir):
    # PHE calculate_funnel_limits(statistic="ratio"); exp_events and O/E-1 limits,
    # rtol 1e-4 (R bisects with tol 1e-7; SOURCE.txt)
    inp = pd.read_csv(reference_dir / "phe" / "funnel_ratio_inputs.csv")
    ref = pd.read_csv(reference_dir / "phe" / "funnel_ratio_outputs.csv")
    lijnen = funnel_lijnen("oe", inp["obs"], inp["expected"])
    for ons, phe in GRENZEN.items():
        deel = lijnen[lijnen["grens"] == ons]
        np.testing.assert_array_equal(deel["waargenomen"], ref["Observed_events"])
        np.testing.assert_allclose(deel["x"], ref[f"{phe}_exp_events"], rtol=1e-4)
        np.testing.assert_allclose(deel["y"] - 1, ref[f"{phe}_count"], rtol=1e-4)
        np.testing.assert_allclose(100 * deel["y"], ref[f"{phe}_isr"], rtol=1e-4)


def _rate_invoer(reference_dir, variant):
    """The three calls of testFunnels.R for rates (see SOURCE.txt)."""
    inp = pd.read_csv(reference_dir / "phe" / "funnel_rate_input_funnels.csv")
    ev = inp["ev"].to_numpy(float).copy()
    rate = inp["rate"].to_numpy(float).copy()
    if variant == 1:  # dsr: denominator derived = 1e5·ev/rate
        noemer = 1e5 * ev / rate
    elif variant == 2:  # crude with max(ev) set to 5
        ev[ev == ev.max()] = 5
        noemer = 1e5 * ev / rate
    else:  # crude, pop supplied, max(ev) row set to 0, filtered pop > max(pop)/2
        pop = 1e5 * ev / rate
        top = ev == ev.max()
        ev[top] = 0
        houd = pop > pop.max() / 2
        ev, noemer = ev[houd], pop[houd]
    return ev, noemer


@pytest.mark.parametrize("variant, bestand", [(1, "funnel_rate_outputs.csv"),
                                              (2, "funnel_rate_outputs_2.csv"),
                                              (3, "funnel_rate_outputs_3.csv")])
def test_rate_funnel_lijnen_phe(reference_dir, variant, bestand):
    # PHE calculate_funnel_limits(statistic="rate", multiplier=1e5, years_of_data=3): rtol 1e-4
    ev, noemer = _rate_invoer(reference_dir, variant)
    ref = pd.read_csv(reference_dir / "phe" / bestand)
    lijnen = funnel_lijnen("ratio", ev, noemer, jaren=3, vermenigvuldiger=1e5)
    for ons, phe in GRENZEN.items():
        deel = lijnen[lijnen["grens"] == ons]
        np.testing.assert_array_equal(deel["waargenomen"], ref["Events"])
        np.testing.assert_allclose(deel["x"], ref[f"{phe}_population_1_year"], rtol=1e-4)
        np.testing.assert_allclose(deel["y"], ref[f"{phe}_limit"], rtol=1e-4)
    np.testing.assert_allclose(lijnen["doel"].iloc[0], ref["baseline"].iloc[0], rtol=1e-8)


def test_grenzen_op_noemer_vallen_op_phe_lijn(reference_dir):
    # funnel_grenzen at E = PHE's exp_events must give back PHE's O/E limit (rtol 1e-4)
    ref = pd.read_csv(reference_dir / "phe" / "funnel_ratio_outputs.csv")
    for ons, phe in GRENZEN.items():
        g = funnel_grenzen("oe", ref[f"{phe}_exp_events"], 1.0, methode="phe")
        np.testing.assert_allclose(g[ons], ref[f"{phe}_count"] + 1, rtol=1e-4)


def test_significantie_proportie_phe(reference_dir):
    # assign_funnel_significance(statistic="proportion"): 100% agreement (SOURCE.txt)
    inp = pd.read_csv(reference_dir / "phe" / "funnel_prop_inputs.csv")
    pos = funnel_positie("proportie", inp["numerator"], inp["denominator"], methode="phe")
    assert list(pos) == list(inp["significance"].map(PHE_LABEL))


@pytest.mark.parametrize("methode", ["phe"])
def test_significantie_ratio_phe(reference_dir, methode):
    # assign_funnel_significance(statistic="ratio"): PHE uses exact (<10) / Byar (>=10)
    # intervals. (Our default "exact" limits are now Spiegelhalter's interpolated exact
    # limits, issue 12, which differ from PHE's continuous tail near the limits, e.g.
    # row 22 of this file; they are tested in test_exacte_grenzen_spiegelhalter_appendix.)
    inp = pd.read_csv(reference_dir / "phe" / "funnel_ratio_inputs.csv")
    pos = funnel_positie("oe", inp["obs"], inp["expected"], methode=methode)
    assert list(pos) == list(inp["significance"].map(PHE_LABEL))


@pytest.mark.parametrize("soort", ["dsr", "crude"])
@pytest.mark.parametrize("per", [100000, 100])
@pytest.mark.parametrize("met_nul", [True, False])
def test_significantie_rate_phe(reference_dir, soort, per, met_nul):
    # assign_funnel_significance(statistic="rate"): denominator derived as
    # count/rate·multiplier (crude with 0 events: the population); weighted average =
    # Σcount/Σderived; dsr with count < 10 is "Not applicable" and not compared here
    d = pd.read_csv(reference_dir / "phe" / "funnel_rate_dsr_inputs.csv")
    if not met_nul:
        d = d[d["count"] != 0]
    rate = d["rate_dsr"] if soort == "dsr" else d[f"rate_crude_per_{per}"]
    c = d["count"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        afgeleid = np.where(c == 0, np.nan if soort == "dsr" else d["pop"], c / rate * per)
    gemiddeld = c.sum() / np.nansum(afgeleid)
    verwacht = d[f"{soort}_per_{per}_{'with' if met_nul else 'without'}_0"]
    houd = (c >= 10) if soort == "dsr" else np.isfinite(afgeleid)
    if soort == "dsr":
        assert (verwacht[~houd].str.startswith("Not applicable") | (not met_nul)).all()
    pos = funnel_positie("ratio", c[houd], afgeleid[houd], gemiddeld, methode="phe")
    assert list(pos) == list(verwacht[houd].map(PHE_LABEL))


def test_funnel_grenzen_normaal_en_fouten():
    # mean: doel ± z·σ/√n; n=25, σ=10 -> se 2; 95%: 50 ± 1.95996·2 (scipy norm.isf(.025))
    g = funnel_grenzen("gemiddelde", [25], 50.0, sigma=10.0)
    assert g["bovengrens_95"].iloc[0] == pytest.approx(50 + 2 * stats.norm.isf(0.025))
    assert g["ondergrens_998"].iloc[0] == pytest.approx(50 - 2 * stats.norm.isf(0.001))
    with pytest.raises(ValueError, match="sigma"):
        funnel_grenzen("mediaan", [25], 50.0)
    with pytest.raises(ValueError, match="aantallen"):
        funnel_grenzen("aantal", [25], 50.0)
    with pytest.raises(ValueError, match="teller niet groter"):
        funnel_positie("proportie", [5], [4])


# ---------------------------------------------------------------------------
# Overdispersion: hand calculation
# ---------------------------------------------------------------------------


def test_overspreiding_handberekening():
    # 10 teams, winsorised at the 10% and 90% quantiles (linear interpolation, R type 7):
    #   z sorted = [-2.5, -1.2, -0.8, -0.3, 0, 0.4, 0.9, 1.1, 1.6, 3.0]
    #   q10 = z[0] + 0.9·(z[1] − z[0]) = -2.5 + 0.9·1.3 = -1.33
    #   q90 = z[8] + 0.1·(z[9] − z[8]) = 1.6 + 0.1·1.4 = 1.74
    #   z_w = [-1.33, -1.2, -0.8, -0.3, 0, 0.4, 0.9, 1.1, 1.6, 1.74]
    #   Σz_w² = 1.7689+1.44+0.64+0.09+0+0.16+0.81+1.21+2.56+3.0276 = 11.7065 -> phi = 1.17065
    # se = 0.1 (5 teams) and 0.2 (5 teams): w = 100 and 25;
    #   Σw = 625, Σw² = 5·10000 + 5·625 = 53125, Σw²/Σw = 85 -> Σw − Σw²/Σw = 540
    #   tau² = (I·phi − (I−1)) / 540 = (11.7065 − 9)/540 = 0.0050120...
    z = [-2.5, -1.2, -0.8, -0.3, 0, 0.4, 0.9, 1.1, 1.6, 3.0]
    se = [0.1] * 5 + [0.2] * 5
    od = overspreiding(z, se)
    assert od["phi"] == pytest.approx(1.17065)
    assert od["tau2"] == pytest.approx(2.7065 / 540)
    assert od["p_waarde"] == pytest.approx(stats.chi2.sf(11.7065, 9))  # scipy
    # under-dispersed: tau² is truncated at 0
    assert overspreiding([0.1, -0.1, 0.2, -0.2, 0.0], [0.1] * 5)["tau2"] == 0.0


def test_funnel_overspreiding_gecorrigeerd():
    # 12 teams with a planted between-team spread of the true proportion (sd 0.08 around
    # 0.5, n = 400 each): binomial se is 0.025, so phi ≈ 1 + 0.08²/0.025² ≈ 11 ->
    # overdispersion must be detected and the adjusted z be z/√phi resp. additive.
    # (this seed gives a large phi after winsorising; the expectation above is a rough guide)
    rng = np.random.default_rng(8)
    p = np.clip(0.5 + rng.normal(0, 0.08, 12), 0.05, 0.95)
    n = np.full(12, 400)
    t = rng.binomial(n, p)
    tabel = pd.DataFrame({"gemeente": "G", "wijkteam": [f"T{i}" for i in range(12)],
                          "periode_start": "2024-01-01", "periode_eind": "2024-12-31",
                          "indicator": "x", "uitsplitsing": "", "teller": t, "noemer": n,
                          "waarde": t / n, "ondergrens": np.nan, "bovengrens": np.nan,
                          "methode": ""})
    uit = funnel(tabel, "x", type="proportie", beter="hoger")
    assert uit["phi"].iloc[0] > 3 and uit["p_overspreiding"].iloc[0] < 0.001
    assert (uit["methode_overspreiding"] == "additief").all() and uit["tau2"].iloc[0] > 0
    # issue 12: phi and tau² on the arcsine-square-root scale (FunnelPlotR data_type "PR",
    # cran/FunnelPlotR R/od_adjustment.R @ 1bc9cf69: Y = asin(sqrt(p)), s = 1/(2 sqrt(n)));
    # the old assertions on the raw scale described the behaviour the issue calls wrong.
    doel = t.sum() / n.sum()
    s_t = 1 / (2 * np.sqrt(n))
    z_t = (np.arcsin(np.sqrt(t / n)) - np.arcsin(np.sqrt(doel))) / s_t
    np.testing.assert_allclose(uit["z_getransformeerd"], z_t)
    np.testing.assert_allclose(uit["z_multiplicatief"], z_t / np.sqrt(uit["phi"]))
    np.testing.assert_allclose(uit["z_gecorrigeerd"], z_t * s_t / np.sqrt(s_t**2 + uit["tau2"]))
    # fewer teams are outside 99.8% after the adjustment than before
    assert (uit["positie_gecorrigeerd"].str.endswith("99,8%").sum()
            < uit["positie"].str.endswith("99,8%").sum())
    mult = funnel(tabel, "x", type="proportie", overspreiding="multiplicatief")
    np.testing.assert_allclose(mult["z_gecorrigeerd"], mult["z_multiplicatief"])
    assert mult is not tabel and len(tabel) == 12  # input not modified


# ---------------------------------------------------------------------------
# funnel() on the tidy table, planted effects
# ---------------------------------------------------------------------------


def test_funnel_trage_team(md):
    # planted: Zuid takes 60 days on average to intake, the others 25
    tabel = indicatortabel(md)
    kopie = tabel.copy()
    prop = funnel(tabel, "onderzoek_op_tijd", type="proportie", beter="hoger")
    zuid = prop.set_index("wijkteam").loc["Zuid"]
    assert zuid["positie_gecorrigeerd"] == "onder 99,8%"
    assert len(prop) == 8 and "Totaal" not in set(prop["wijkteam"])
    assert zuid["doel"] == pytest.approx(zuid["doel"])  # noqa: PLR0124 (NaN check)
    assert prop["doel"].iloc[0] == pytest.approx(
        tabel.query("indicator=='onderzoek_op_tijd' and wijkteam=='Totaal'")["waarde"].iloc[0])
    med = funnel(tabel, "doorlooptijd_intake", type="mediaan", beter="lager")
    zuid = med.set_index("wijkteam").loc["Zuid"]
    assert zuid["positie"] == "boven 99,8%"
    # mediaan baseline = the Totaal row
    assert zuid["doel"] == tabel.query(
        "indicator=='doorlooptijd_intake' and wijkteam=='Totaal'")["waarde"].iloc[0]
    pd.testing.assert_frame_equal(tabel, kopie)


def test_funnel_zonder_type_geeft_nederlandse_fout(md):
    tabel = indicatortabel(md)
    with pytest.raises(ValueError, match="geef type= op|onbekend"):
        funnel(tabel.assign(indicator="bestaat_niet_x"), "bestaat_niet_x")
    with pytest.raises(ValueError, match="komt niet voor"):
        funnel(tabel, "nergens")


def test_nul_data_vals_alarm():
    # Null data: 200 seeds × 15 teams with heterogeneous sizes (40..2000), common p = 0.3.
    # Nominal two-sided false-alarm rate at 99.8% is 0.002 per team (PHE limits are
    # Wilson-based and binomial data are discrete, so at most about nominal).
    # Tolerance: rate <= 0.005 (expected count 6 of 3000; P(X >= 15) < 0.001) both before
    # and after the overdispersion adjustment; the overdispersion test (alpha 0.05)
    # fires in at most 10% of seeds (nominal 5%; winsorising shrinks phi under the null,
    # so the chi² test is conservative: measured 1.5% with this seed); at 95% the
    # per-team rate lies in 0.03..0.07.
    rng = np.random.default_rng(2026)
    n = np.geomspace(40, 2000, 15).round()
    buiten998 = buiten998_gec = buiten95 = od = 0
    for _ in range(200):
        t = rng.binomial(n.astype(int), 0.3)
        tabel = pd.DataFrame({"gemeente": "G", "wijkteam": [f"T{i}" for i in range(15)],
                              "periode_start": "2024-01-01", "periode_eind": "2024-12-31",
                              "indicator": "x", "uitsplitsing": "", "teller": t, "noemer": n,
                              "waarde": t / n, "ondergrens": np.nan, "bovengrens": np.nan,
                              "methode": ""})
        uit = funnel(tabel, "x", type="proportie")
        buiten998 += uit["positie"].str.endswith("99,8%").sum()
        buiten998_gec += uit["positie_gecorrigeerd"].str.endswith("99,8%").sum()
        buiten95 += (uit["positie"] != "binnen").sum()
        od += uit["methode_overspreiding"].iloc[0] == "additief"
    assert buiten998 / 3000 <= 0.005
    assert buiten998_gec / 3000 <= 0.005
    assert 0.03 <= buiten95 / 3000 <= 0.07
    assert od / 200 <= 0.10


# ---------------------------------------------------------------------------
# Case-mix O/E
# ---------------------------------------------------------------------------


def test_casemix_maatwerk(md):
    cm = casemix_oe(md, "maatwerk").set_index("wijkteam")
    # canonical logit link: Σ expected = Σ observed over the gemeente (GLM score equations)
    assert cm["verwacht"].sum() == pytest.approx(cm["waargenomen"].sum(), rel=1e-6)
    # planted: Noord has +1.2 log-odds beyond its case-mix
    assert cm.loc["Noord", "positie_gecorrigeerd"] == "boven 99,8%"
    assert cm.loc["Noord", "ratio"] > 1.3
    # planted: Oost's excess is case-mix only: flagged unadjusted, not after adjustment
    assert cm.loc["Oost", "positie_ongecorrigeerd"] == "boven 99,8%"
    assert cm.loc["Oost", "positie_gecorrigeerd"] in ("binnen", "boven 95%", "onder 95%")
    assert not cm.loc["Oost", "positie"].endswith("99,8%")
    # missing characteristics are counted, not dropped: every traject is in n
    assert cm["n"].sum() == len(md.trajecten)
    assert (cm["n_kenmerk_onbekend"] > 0).all()
    assert cm["kenmerken"].iloc[0] == "leeftijdsband, problematiek, zrm_probleemdomeinen"
    # interval: exact Poisson (statistiek.poisson_exact_ci) on O divided by E
    r = cm.loc["Noord"]
    assert r["ondergrens"] == pytest.approx(stats.chi2.ppf(0.025, 2 * r["waargenomen"]) / 2
                                            / r["verwacht"])


def test_casemix_doorlooptijd(md):
    # planted: Zuid is slow; outcome = intake later than 42 days (Wmo art. 2.3.2)
    cm = casemix_oe(md, "doorlooptijd_buiten_termijn").set_index("wijkteam")
    assert cm.loc["Zuid", "positie_gecorrigeerd"] == "boven 99,8%"
    assert cm.loc["Zuid", "aandeel"] > 0.5
    with pytest.raises(ValueError, match="onbekende uitkomst"):
        casemix_oe(md, "iets")


# ---------------------------------------------------------------------------
# Bollen profile and typology
# ---------------------------------------------------------------------------


def test_bollen_profiel():
    # planted: team B scores 1.5 points higher on "klant"; everything else equal (mean 7)
    rng = np.random.default_rng(3)
    rijen = []
    for team in "ABCDE":
        for dim in ("hulp", "klant"):
            extra = 1.5 if (team == "B" and dim == "klant") else 0.0
            for s in np.clip(rng.normal(7 + extra, 1, 40), 1, 10):
                rijen.append({"gemeente": "G", "wijkteam": team, "jaar": 2024,
                              "respondent": "client", "dimensie": dim, "score": s})
    enq = pd.DataFrame(rijen)
    uit = bollen_profiel(enq)
    assert len(uit) == 10 and (uit["correctie"] == "Holm").all()
    b = uit.set_index(["wijkteam", "dimensie"]).loc[("B", "klant")]
    assert b["afwijkend"] and b["oordeel"] == "hoger dan gemiddeld"
    # Welch test from scipy, Holm correction over 10 tests: p_corr >= p
    rest = enq[(enq["dimensie"] == "klant") & (enq["wijkteam"] != "B")]["score"]
    eigen = enq[(enq["dimensie"] == "klant") & (enq["wijkteam"] == "B")]["score"]
    assert b["p_waarde"] == pytest.approx(stats.ttest_ind(eigen, rest, equal_var=False).pvalue)
    assert (uit["p_gecorrigeerd"] >= uit["p_waarde"]).all()
    # only B is "hoger dan gemiddeld"; on "hulp" (nothing planted) no team deviates
    assert (uit["oordeel"] == "hoger dan gemiddeld").sum() == 1
    assert not uit[uit["dimensie"] == "hulp"]["afwijkend"].any()
    assert b["gemiddelde_alle_teams"] == pytest.approx(
        enq[enq["dimensie"] == "klant"]["score"].mean())


def test_team_typologie(md):
    typ = team_typologie(md).set_index("wijkteam")
    # planted: Oost handles the heaviest case-mix (70% meervoudig, more ZRM domains)
    assert typ["zwaarte"].idxmax() == "Oost"
    assert typ.loc["Oost", "kwadrant"].startswith("zware problematiek")
    # planted: Noord refers most to maatwerk -> lowest "doen"
    assert typ["doen_verwijzen"].idxmin() == "Noord"
    assert typ.loc["Noord", "kwadrant"].endswith("verwijzen")
    assert typ["aandeel_licht"].add(typ["aandeel_maatwerk"]).round(12).eq(1).all()


def test_team_typologie_met_extra_kolommen_in_inzet(md):
    # Issue 16: an inzet export that also carries the gemeente and the team (the national
    # generator writes gemeente; real exports do the same) made the merge with the trajecten
    # name them gemeente_x/_y, and the typologie was "niet gelukt" in every national report.
    tr = md.tabellen["trajecten"][["traject_id", "gemeente", "wijkteam"]]
    inzet = md.tabellen["inzet"].merge(tr, on="traject_id", how="left")
    extra = Monitordata(tabellen=dict(md.tabellen, inzet=inzet), quarantaine=md.quarantaine,
                        herkomst=md.herkomst, config=md.config, map=md.map)
    pd.testing.assert_frame_equal(team_typologie(extra), team_typologie(md))


# ---------------------------------------------------------------------------
# Issue 12: reference methods of FunnelPlotR and Spiegelhalter (2005)
# ---------------------------------------------------------------------------


def _funneltabel(t, n, *, teams=None, periode="2024-01-01", indicator="x"):
    teams = teams or [f"T{i}" for i in range(len(t))]
    t, n = np.asarray(t, float), np.asarray(n, float)
    return pd.DataFrame({"gemeente": "G", "wijkteam": teams, "periode_start": periode,
                         "periode_eind": str(pd.Timestamp(periode) + pd.offsets.YearEnd(0))[:10],
                         "indicator": indicator, "uitsplitsing": "", "teller": t, "noemer": n,
                         "waarde": t / n, "ondergrens": np.nan, "bovengrens": np.nan, "methode": ""})


def test_exacte_grenzen_spiegelhalter_appendix():
    # Spiegelhalter (2005) Stat Med 24:1185, appendix A.1.1: r_p = p-quantile of the
    # null distribution, alpha = (F(r_p) - p)/(F(r_p) - F(r_p - 1)), limit (r_p - alpha)/n.
    # Binomial(100, 0.5), p = .975: r = 60, F(60) = 0.982400, F(59) = 0.971556 (scipy
    # binom.cdf) -> alpha = 0.682494, limit = 59.317506/100.
    f60, f59 = stats.binom.cdf(60, 100, 0.5), stats.binom.cdf(59, 100, 0.5)
    assert stats.binom.ppf(0.975, 100, 0.5) == 60
    verwacht = (60 - (f60 - 0.975) / (f60 - f59)) / 100
    g = funnel_grenzen("proportie", [100], 0.5)
    assert g["bovengrens_95"].iloc[0] == pytest.approx(verwacht, rel=1e-12)
    assert g["bovengrens_95"].iloc[0] == pytest.approx(0.593175, abs=1e-6)
    # Poisson O/E with E = 10, p = .001: r = 1 (F(1) = 11 e^-10 = 0.000499 < .001,
    # F(2) = 61 e^-10 = 0.002769 >= .001 -> r = 2); alpha = (F(2) - .001)/(F(2) - F(1)).
    f2, f1 = 61 * np.exp(-10), 11 * np.exp(-10)
    assert g is not None and stats.poisson.ppf(0.001, 10) == 2
    lo = funnel_grenzen("oe", [10], 1.0)["ondergrens_998"].iloc[0]
    assert lo == pytest.approx((2 - (f2 - 0.001) / (f2 - f1)) / 10, rel=1e-10)
    # clipped to the possible range: 0..1 for proportions, >= 0 for ratios
    klein = funnel_grenzen("proportie", [3, 5], 0.9)
    assert (klein["bovengrens_998"] <= 1).all() and (klein["ondergrens_998"] >= 0).all()
    assert (funnel_grenzen("ratio", [0.5, 2], 0.3)["ondergrens_998"] >= 0).all()


def test_overspreiding_shmi_zoals_funnelplotr():
    # FunnelPlotR's own test data (cran/FunnelPlotR tests/testthat/test-funnel_plot.R @
    # 1bc9cf69): num = 100,150,180,80,120,225; denom (expected) = 108,112,165,95,100,220,
    # data_type "SR", sr_method "SHMI" (the defaults). From R/od_adjustment.R:
    #   Uzscore = sqrt(E) log(O/E) = -0.7998, 3.0917, 1.1177, -1.6750, 1.8232, 0.3333
    #   truncation(): groups floor(rank*10/7) = 2,8,5,1,7,4 -> all in 1..8, none dropped
    #   phi = mean(z^2) = 2.948033; tau2 = (6 phi - 5)/(sum E - sum E^2/sum E) = 0.0194775
    # R/od_limits.R: OD95LCL = exp(-1.959964 sqrt(1/E + tau2)) -> 0.717307 at E = 108;
    # OD99UCL = exp(3.090232 sqrt(1/E + tau2)) -> 1.688523 at E = 108.
    o = [100, 150, 180, 80, 120, 225]
    e = [108, 112, 165, 95, 100, 220]
    uit = funnel(_funneltabel(o, e), "x", type="oe", overspreiding="additief", min_teams=5)
    assert uit["phi"].iloc[0] == pytest.approx(2.948033, rel=1e-6)
    assert uit["tau2"].iloc[0] == pytest.approx(0.01947753, rel=1e-6)
    assert uit["ondergrens_95_gecorrigeerd"].iloc[0] == pytest.approx(0.71730675, rel=1e-7)
    assert uit["bovengrens_998_gecorrigeerd"].iloc[0] == pytest.approx(1.68852258, rel=1e-7)
    # asymmetric around 1 (back-transformed from the log scale)
    assert 1 - uit["ondergrens_95_gecorrigeerd"].iloc[0] < uit["bovengrens_95_gecorrigeerd"].iloc[0] - 1
    assert uit["schaal_overspreiding"].iloc[0].startswith("log(O/E)")
    # Wazscore = log(O/E)/sqrt(1/E + tau2): 1.7333 for the second unit
    assert uit["z_gecorrigeerd"].iloc[1] == pytest.approx(1.73332454, rel=1e-6)


def test_shmi_afkappen_bij_twintig_teams():
    # FunnelPlotR truncation(): with 20 units floor(rank*10/21) is 0 for ranks 1-2 and 9
    # for ranks 19-20 -> exactly the two lowest and two highest z are left out.
    z = np.array([-5.0, -3, -1.5, -1, -0.8, -0.5, -0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3, 0.5, 0.8, 1, 1.2, 1.5, 4, 6])
    od = overspreiding(z, np.full(20, 0.1), afkappen=True)
    assert od["n_teams"] == 16
    assert od["phi"] == pytest.approx(np.mean(z[2:18] ** 2))


def test_funnel_proportie_grenzen_terug_getransformeerd():
    # PR: limits sin(asin(sqrt(target)) ± z sqrt(1/(4n) + tau2))^2 (FunnelPlotR
    # R/od_limits.R), the angle clipped at 0 so that the lower limit is 0, not a
    # wrapped-around positive value (FunnelPlotR calculate_limits: "truncate").
    rng = np.random.default_rng(8)
    p = np.clip(0.5 + rng.normal(0, 0.08, 12), 0.05, 0.95)
    n = np.full(12, 400)
    t = rng.binomial(n, p)
    uit = funnel(_funneltabel(t, n), "x", type="proportie")
    doel, tau2 = t.sum() / n.sum(), uit["tau2"].iloc[0]
    hoek = np.arcsin(np.sqrt(doel))
    np.testing.assert_allclose(uit["ondergrens_95_gecorrigeerd"],
                               np.sin(hoek - stats.norm.isf(0.025) * np.sqrt(1 / (4 * n) + tau2)) ** 2)
    np.testing.assert_allclose(uit["bovengrens_998_gecorrigeerd"],
                               np.sin(hoek + stats.norm.isf(0.001) * np.sqrt(1 / (4 * n) + tau2)) ** 2)
    # a low proportion with a large tau2: the lower limit is clipped at 0, the upper < 1
    t2, n2 = [1, 2, 30, 0, 3, 1, 25, 2], [50, 60, 70, 40, 80, 30, 60, 50]
    laag = funnel(_funneltabel(t2, n2), "x", type="proportie", overspreiding="additief")
    assert (laag["ondergrens_998_gecorrigeerd"] >= 0).all() and (laag["bovengrens_998_gecorrigeerd"] <= 1).all()
    assert (laag["ondergrens_998_gecorrigeerd"] == 0).any()


def test_funnel_dubbele_rijen_per_team():
    # T1 appears twice (e.g. two registration systems): its rows are summed before the
    # funnel; the result equals the funnel on the pre-aggregated table.
    t, n = [30, 40, 10, 50, 45, 20], [100, 120, 40, 150, 130, 60]
    dubbel = _funneltabel(t, n, teams=["T0", "T1", "T1", "T2", "T3", "T4"])
    samen = _funneltabel([30, 50, 50, 45, 20], [100, 160, 150, 130, 60], teams=["T0", "T1", "T2", "T3", "T4"])
    a = funnel(dubbel, "x", type="proportie")
    b = funnel(samen, "x", type="proportie")
    assert a["wijkteam"].tolist() == ["T0", "T1", "T2", "T3", "T4"]
    np.testing.assert_allclose(a["z"], b["z"])
    assert a.loc[1, "teller"] == 50 and a.loc[1, "noemer"] == 160
    gem = dubbel.assign(ondergrens=1.0, bovengrens=3.0)
    with pytest.raises(ValueError, match="meer dan eens"):
        funnel(gem, "x", type="gemiddelde")


def test_funnel_laatste_volledige_periode_en_opmerking_bij_weinig_teams():
    # Contract: the funnel uses the last COMPLETE period. 2025 is incomplete here.
    oud = _funneltabel([30, 40, 50, 45, 20], [100, 120, 150, 130, 60], periode="2024-01-01")
    nieuw = _funneltabel([3, 4, 5, 4, 2], [10, 12, 15, 13, 6], periode="2025-01-01")
    tabel = pd.concat([oud.assign(volledig=True), nieuw.assign(volledig=False)], ignore_index=True)
    uit = funnel(tabel, "x", type="proportie")
    assert set(uit["periode_start"]) == {"2024-01-01"}
    # 5 teams: the report must say the overdispersion estimate is unstable
    assert "onstabiel" in uit["opmerking_overspreiding"].iloc[0]
    veel = funnel(_funneltabel(np.arange(10, 30, 2), np.full(10, 100)), "x", type="proportie")
    assert (veel["opmerking_overspreiding"] == "").all()

"""Minimal detectable differences (issue 19): funnel, trend, ITS, and the Dutch phrase.

Expected values come from (a) hand calculations on the arcsine scale (the identity
``sin²(π/4 + d) = (1 + sin 2d)/2``), (b) planted effects in simulated teams and series:
a difference equal to the reported minimal detectable difference must be flagged in
about 80% of the simulations. Each simulation test states its Monte-Carlo interval
(binomial, 99.9%) and the extra allowance for the approximation itself. Larger runs:
``benchmarks/bench_kleinste_verschil.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from monitoranalyse.analyse.trend import onderbroken_tijdreeks, trend
from monitoranalyse.analyse.vergelijking import (
    funnel,
    kleinste_aantoonbare_verschil,
    toelichting_binnen,
    zin_kleinste_verschil,
)

Z95 = stats.norm.isf(0.025)  # 1.959964
Z80 = stats.norm.ppf(0.80)  # 0.841621


def mc_interval(p: float, r: int) -> tuple[float, float]:
    """99.9% Monte-Carlo interval of a rate p estimated from r independent runs.

    99.9% (z = 3.29) rather than 95%, so that a correct method fails a test by chance
    in 1 of 1000 seeds, not 1 of 20 (the 95% intervals are in the benchmark).
    """
    h = 3.29 * np.sqrt(p * (1 - p) / r)
    return p - h, p + h


# --------------------------------------------------------------------------- phrase


def test_zin_procentpunt_zoals_in_het_issue():
    # issue 19's example sentence, 0.09 as a difference of fractions
    assert zin_kleinste_verschil(0.09, "procentpunt") == (
        "een verschil kleiner dan 9 procentpunt was met deze aantallen niet te zien"
    )


def test_zin_eenheden_en_helling():
    assert zin_kleinste_verschil(0.25, "procent") == (
        "een verschil kleiner dan 25% was met deze aantallen niet te zien"
    )
    assert zin_kleinste_verschil(3.456, "dagen", wat="trend", per_jaar=True, waarmee="met deze reeks") == (
        "een trend kleiner dan 3,5 dagen per jaar was met deze reeks niet te zien"
    )
    # NaN: no difference that large exists on the scale (a share near 100%)
    assert zin_kleinste_verschil(np.nan, "procentpunt") == (
        "ook een zeer groot verschil was met deze aantallen niet betrouwbaar te zien")
    assert zin_kleinste_verschil(np.nan, "procent", wat="trend").startswith("ook een zeer grote trend")


# --------------------------------------------------------------------------- funnel, hand


def test_kleinste_verschil_proportie_hand():
    # hand: p = 0.5, n = 100 -> asin(sqrt(.5)) = π/4, s = 1/(2·10) = 0.05,
    # Δ = (1.959964 + 0.841621)·0.05 = 0.1400793; up = sin²(π/4+Δ) − .5 = sin(2Δ)/2
    # = sin(0.2801585)/2 = 0.1382540; down is the same by symmetry.
    k = kleinste_aantoonbare_verschil("proportie", [100], 0.5, methode="normaal")
    assert k["kleinste_verschil_omhoog"].iloc[0] == pytest.approx(0.1382540, abs=1e-6)
    assert k["kleinste_verschil_omlaag"].iloc[0] == pytest.approx(0.1382540, abs=1e-6)
    # additive overdispersion τ² = 0.0025 on the asin scale: Δ = 1.959964·√(.0025+.0025)
    # + 0.841621·0.05 = 0.1385904 + 0.0420811 = 0.1806714 -> sin(0.3613429)/2 = 0.1767654
    k = kleinste_aantoonbare_verschil("proportie", [100], 0.5, tau2=0.0025, methode_overspreiding="additief")
    assert k["kleinste_verschil_omhoog"].iloc[0] == pytest.approx(0.1767654, abs=1e-6)


def test_kleinste_verschil_exact_binomiaal():
    # Exact limits (Spiegelhalter 2005 interpolated) at n = 100, p = 0.5: 95% band
    # 0.3968-0.5932, so a team is flagged high with X >= 60 and low with X <= 39
    # (binomial quantiles, scipy.stats.binom). At the reported MDD the binomial tail
    # must be exactly 0.80 (the definition), checked with scipy's binomial directly.
    k = kleinste_aantoonbare_verschil("proportie", [100], 0.5).iloc[0]
    assert stats.binom.sf(59, 100, 0.5 + k["kleinste_verschil_omhoog"]) == pytest.approx(0.80, abs=1e-9)
    assert stats.binom.cdf(39, 100, 0.5 - k["kleinste_verschil_omlaag"]) == pytest.approx(0.80, abs=1e-9)
    # Poisson O/E at E = 25: exact 95% upper limit 1.39107 (Spiegelhalter interpolated),
    # 1.39107·25 = 34.78, so flagged from O = 35: P(X >= 35 | 25·(1 + MDD)) must be 0.80
    k = kleinste_aantoonbare_verschil("oe", [25], 1.0).iloc[0]
    assert stats.poisson.sf(34, 25 * (1 + k["kleinste_verschil_omhoog"])) == pytest.approx(0.80, abs=1e-9)


def test_kleine_teams_met_laag_aandeel_kunnen_niet_lager_uitvallen():
    # p = 0.1, n = 15: P(X = 0) = 0.9^15 = 0.206 > 0.025, so the exact lower limit is 0
    # and no team can be flagged low: the MDD down does not exist (NaN).
    k = kleinste_aantoonbare_verschil("proportie", [15], 0.1).iloc[0]
    assert np.isnan(k["kleinste_verschil_omlaag"]) and k["kleinste_verschil_omhoog"] > 0


def test_kleinste_verschil_krimpt_met_noemer_en_bestaat_niet_bij_rand():
    # issue 19: with 60 trajecten a team can be ~10 procentpunt worse and stay inside,
    # with 400 it cannot
    k = kleinste_aantoonbare_verschil("proportie", [60, 400], 0.5, vermenigvuldiger=100)
    klein, groot = k["kleinste_verschil_omhoog"]
    assert klein > 15 and groot < 8
    # normal approximation, p = 0.97, n = 20: asin(√.97) + Δ = 1.397 + 0.313 > π/2,
    # no proportion that high exists
    k = kleinste_aantoonbare_verschil("proportie", [20], 0.97, methode="normaal")
    assert np.isnan(k["kleinste_verschil_omhoog"].iloc[0])
    assert k["kleinste_verschil_omlaag"].iloc[0] > 0


def test_kleinste_verschil_oe_hand():
    # hand: log scale, E = 25 -> s = 0.2, Δ = 2.801585·0.2 = 0.560317;
    # up = exp(0.560317) − 1 = 1.751228 − 1 = 0.751228, down = 1 − 1/1.751228 = 0.428972
    k = kleinste_aantoonbare_verschil("oe", [25], 1.0, methode="normaal")
    assert k["kleinste_verschil_omhoog"].iloc[0] == pytest.approx(0.751228, abs=1e-5)
    assert k["kleinste_verschil_omlaag"].iloc[0] == pytest.approx(0.428972, abs=1e-5)


# --------------------------------------------------------------------------- funnel, simulated


def _teams(teller, noemer, vermenigvuldiger=100.0) -> pd.DataFrame:
    m = len(teller)
    return pd.DataFrame({
        "gemeente": "Lindeveen",
        "wijkteam": [f"Team {i:05d}" for i in range(m)],
        "periode_start": pd.Timestamp("2024-01-01"),
        "periode_eind": pd.Timestamp("2024-12-31"),
        "indicator": "aandeel_test",
        "uitsplitsing": "",
        "teller": np.asarray(teller, float),
        "noemer": np.asarray(noemer, float),
        "waarde": vermenigvuldiger * np.asarray(teller, float) / np.asarray(noemer, float),
        "ondergrens": np.nan,
        "bovengrens": np.nan,
        "methode": "wilson",
    })


def test_funnel_vangt_80_procent_bij_geplant_kleinste_verschil():
    # Planted effect: 4000 teams (n 40-400) whose TRUE share is the centre (30%) plus
    # the funnel's own reported kleinste_verschil_omhoog; binomial draws; the exact
    # (Spiegelhalter) 95% limits of funnel() without adjustment must flag ~80%.
    # Monte-Carlo 99.9% interval for 4000 teams: 0.80 ± 0.021. Without adjustment the
    # MDD is computed exactly (binomial tail against the exact limits), so no allowance
    # for an approximation is added.
    rng = np.random.default_rng(19)
    r = 4000
    n = rng.integers(40, 401, size=r)
    p0 = 0.30
    basis = funnel(_teams(np.round(p0 * n), n), "aandeel_test", type="proportie", doel=100 * p0,
                   overspreiding="geen")
    mdd = basis["kleinste_verschil_omhoog"].to_numpy() / 100
    k = rng.binomial(n, p0 + mdd)
    uit = funnel(_teams(k, n), "aandeel_test", type="proportie", doel=100 * p0, overspreiding="geen")
    # the MDD depends on n and the centre only, not on the observed counts
    np.testing.assert_allclose(uit["kleinste_verschil_omhoog"], basis["kleinste_verschil_omhoog"])
    gevangen = uit["positie"].str.startswith("boven").mean()
    lo, hi = mc_interval(0.80, r)
    assert lo < gevangen < hi, gevangen


def test_additieve_overspreiding_vangt_80_procent():
    # Planted effect with overdispersion: the team's true share is centre + MDD (τ² =
    # 0.003 on the asin scale, additive limits √(s² + τ²)); the team's own binomial
    # noise decides. Limits are the ones funnel() draws after an additive adjustment
    # (target ± z·√(s² + τ²) on the asin scale, back-transformed).
    # Monte-Carlo 99.9% interval for 4000 teams: 0.80 ± 0.021, plus ±0.02 for the normal
    # approximation of the binomial on the asin scale.
    rng = np.random.default_rng(1919)
    r, p0, tau2 = 4000, 0.4, 0.003
    n = rng.integers(40, 401, size=r)
    k = kleinste_aantoonbare_verschil("proportie", n, p0, tau2=tau2, methode_overspreiding="additief")
    y = rng.binomial(n, p0 + k["kleinste_verschil_omhoog"].to_numpy()) / n
    bovengrens = np.sin(np.arcsin(np.sqrt(p0)) + Z95 * np.sqrt(1 / (4 * n) + tau2)) ** 2
    gevangen = np.mean(y > bovengrens)
    lo, hi = mc_interval(0.80, r)
    assert lo - 0.02 < gevangen < hi + 0.02, gevangen


def test_funnel_kolommen_en_zin():
    # beter = "hoger": the phrase names the downward difference; proportions in percent
    n = np.array([60, 100, 150, 200, 400, 250])
    tab = _teams(np.round(0.5 * n), n)
    uit = funnel(tab, "aandeel_test", type="proportie", beter="hoger", overspreiding="geen")
    np.testing.assert_allclose(uit["kleinste_verschil"], uit["kleinste_verschil_omlaag"])
    eerste = uit.iloc[0]
    verwacht = zin_kleinste_verschil(eerste["kleinste_verschil_omlaag"] / 100, "procentpunt")
    assert eerste["zin_kleinste_verschil"] == verwacht
    assert "procentpunt was met deze aantallen niet te zien" in verwacht


# --------------------------------------------------------------------------- trend / ITS, simulated


def _ar1_tabel(rng, r, n, helling, phi=0.4, sd=1.0, stap=0.0, stap_na=None) -> pd.DataFrame:
    """r monthly series of a mean: helling·t(years) + stap·[t ≥ stap_na] + AR(1) noise."""
    starts = pd.date_range("2021-01-01", periods=n, freq="MS")
    t = np.arange(n) / 12
    e = np.zeros((r, n))
    e[:, 0] = rng.normal(0, sd / np.sqrt(1 - phi**2), r)
    for i in range(1, n):
        e[:, i] = phi * e[:, i - 1] + rng.normal(0, sd, r)
    y = 10 + helling * t + e
    if stap_na is not None:
        y = y + stap * (np.arange(n) >= stap_na)
    delen = []
    for j in range(r):
        delen.append(pd.DataFrame({
            "gemeente": "Lindeveen", "wijkteam": f"Team {j:04d}", "periode_start": starts,
            "periode_eind": starts + pd.offsets.MonthEnd(0), "indicator": "gemiddelde_test",
            "uitsplitsing": "", "teller": np.nan, "noemer": 1.0, "waarde": y[j],
            "ondergrens": np.nan, "bovengrens": np.nan, "methode": "",
        }))
    return pd.concat(delen, ignore_index=True)


def test_trend_vangt_80_procent_bij_geplante_kleinste_helling():
    # Planted effect: 36 monthly points, AR(1) φ = 0.1, sd 1 (OLS + Newey-West). Step 1:
    # the median reported kleinste_helling_per_jaar on 150 null series; step 2: 300
    # series with that slope planted; the share called "stijgend" must be ~80%.
    # Monte-Carlo 99.9% interval for 300 series: 0.80 ± 0.076; the MDD uses each fit's own
    # (estimated) SE and the median over 150 null series, allowed another ±0.05.
    rng = np.random.default_rng(20190)
    nul = trend(_ar1_tabel(rng, 150, 36, 0.0, phi=0.1), type="gemiddelde", beter="hoger", seizoen=False)
    assert nul["kleinste_helling_per_jaar"].notna().all()
    mdd = float(nul["kleinste_helling_per_jaar"].median())
    plant = trend(_ar1_tabel(rng, 300, 36, mdd, phi=0.1), type="gemiddelde", beter="hoger", seizoen=False)
    gevangen = float((plant["richting"] == "stijgend").mean())
    lo, hi = mc_interval(0.80, 300)
    assert lo - 0.05 < gevangen < hi + 0.05, (mdd, gevangen)
    # the phrase is in the sentence of a series without a trend
    zonder = nul[nul["richting"] == "geen_trend"].iloc[0]
    assert "per jaar was met deze reeks niet te zien" in zonder["zin"]


def test_its_niveau_vangt_80_procent_bij_geplante_kleinste_sprong():
    # Planted effect: a level change (impact model "niveau") equal to the median
    # reported kleinste_niveau_verandering of 150 null series, 24 + 24 monthly points,
    # AR(1) φ = 0.1. Monte-Carlo 99.9% interval for 300 series 0.80 ± 0.076, plus ±0.05 as above.
    rng = np.random.default_rng(20191)
    w = [{"datum": "2023-01-01", "label": "test", "impact": "niveau"}]
    nul = onderbroken_tijdreeks(_ar1_tabel(rng, 150, 48, 0.0, phi=0.1), w, type="gemiddelde", seizoen=False)
    mdd = float(nul["kleinste_niveau_verandering"].median())
    plant = onderbroken_tijdreeks(_ar1_tabel(rng, 300, 48, 0.0, phi=0.1, stap=mdd, stap_na=24), w,
                                  type="gemiddelde", seizoen=False)
    gevangen = float(((plant["niveau_p"] < 0.05) & (plant["niveau_verandering"] > 0)).mean())
    lo, hi = mc_interval(0.80, 300)
    assert lo - 0.05 < gevangen < hi + 0.05, (mdd, gevangen)
    assert "een sprong kleiner dan" in nul.loc[nul["niveau_p"] >= 0.05, "zin"].iloc[0].lower()


def test_toelichting_binnen_noemt_alleen_teams_binnen_de_grenzen():
    # planted: team 0 (n = 400, 80%) far above a 50% centre, the others at the centre
    n = np.array([400, 60, 100, 150, 200, 250])
    k = np.round(0.5 * n)
    k[0] = 320
    uit = funnel(_teams(k, n), "aandeel_test", type="proportie", doel=50.0, overspreiding="geen")
    tekst = toelichting_binnen(uit, "aandeel_test")
    assert tekst.startswith("Binnen de grenzen is niet hetzelfde als geen verschil. Team 00001: een verschil")
    assert "Team 00000" not in tekst
    assert toelichting_binnen(uit[uit["wijkteam"] == "Team 00000"]) == ""


def test_verschuiving_zin_noemt_kleinste_trend_als_niet_significant():
    # planted: no trend (Binomial(200, 0.4) monthly, no slope) -> "niet significant"
    # and the phrase with the reported kleinste_helling_per_jaar
    from monitoranalyse.analyse.trend import verschuiving

    rng = np.random.default_rng(7)
    starts = pd.date_range("2021-01-01", periods=36, freq="MS")
    k = rng.binomial(200, 0.4, size=36).astype(float)
    tab = pd.DataFrame({
        "gemeente": "Lindeveen", "wijkteam": "Wijkteam Noord", "periode_start": starts,
        "periode_eind": starts + pd.offsets.MonthEnd(0), "indicator": "aandeel_lichte_zorg",
        "uitsplitsing": "", "teller": k, "noemer": 200.0, "waarde": k / 200, "ondergrens": np.nan,
        "bovengrens": np.nan, "methode": "wilson",
    })
    zin = verschuiving(tab)["zin"].iloc[0]
    tr = trend(tab, type="proportie", beter="hoger")
    assert tr["richting"].iloc[0] == "geen_trend"
    verwacht = zin_kleinste_verschil(tr["kleinste_helling_per_jaar"].iloc[0], "procentpunt", wat="trend",
                                     per_jaar=True, waarmee="met deze reeks")
    assert "niet significant; " + verwacht in zin

"""Tests for monitoranalyse.statistiek.

Reference vectors: tests/reference/phe (PHEindicatormethods test workbooks, Excel
formulas; SOURCE.txt states rel. err <= 5e-12 for Wilson/Byar/exact, so we assert
rtol=1e-9). Other expectations are hand calculations or scipy, stated per test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from monitoranalyse import statistiek as st
from monitoranalyse.contract import INDICATOR_KOLOMMEN

RTOL = 1e-9  # SOURCE.txt: independent scipy re-verification agrees to 5e-12


def _phe(reference_dir, naam):
    return pd.read_csv(reference_dir / "phe" / naam)


def _niveau(conf: str) -> float:
    return float(conf.rstrip("%")) / 100


# ---------------------------------------------------------------- reference vectors


def test_byars_wilson_limits(reference_dir):
    # PHE testdata_Byars_Wilson.xlsx; last row (x=1, 99.8%) Byar lower negative -> NaN
    ref = _phe(reference_dir, "byars_wilson_limits.csv")
    for _, r in ref.iterrows():
        b = _niveau(r["confidence"])
        if r["method"] == "Byars":
            lo, hi = st.byar_ci(r["x"], b)
        else:
            lo, hi = st.wilson_ci(r["x"], r["n"], b)
        if np.isnan(r["lowercl"]):
            assert np.isnan(lo)
        else:
            assert lo == pytest.approx(r["lowercl"], rel=RTOL)
        assert hi == pytest.approx(r["uppercl"], rel=RTOL)
    assert ref["lowercl"].isna().sum() == 1  # the test above really saw the NaN row


@pytest.mark.parametrize("bestand", ["proportion_wilson.csv", "proportion_wilson_grouped.csv"])
def test_wilson_vectoren(reference_dir, bestand):
    # PHE testdata_Prop(_g): Wilson score limits; NA inputs -> NA limits. One vectorised call.
    ref = _phe(reference_dir, bestand)
    kolommen = (
        {0.95: ("lower95_0cl", "upper95_0cl"), 0.998: ("lower99_8cl", "upper99_8cl")}
        if "lower95_0cl" in ref
        else {0.95: ("lowercl", "uppercl")}
    )
    for b, (kl, kh) in kolommen.items():
        lo, hi = st.wilson_ci(ref["Numerator"], ref["Denominator"], b)
        np.testing.assert_allclose(lo * ref["multiplier"], ref[kl], rtol=RTOL)
        np.testing.assert_allclose(hi * ref["multiplier"], ref[kh], rtol=RTOL)
    assert np.isnan(lo[ref["Numerator"].isna() | ref["Denominator"].isna()]).all()


@pytest.mark.parametrize("bestand", ["rate_byars_exact.csv", "rate_byars_exact_grouped.csv"])
def test_rate_vectoren(reference_dir, bestand):
    # PHE testdata_Rate(_g): exact (x<10) / Byars (x>=10) limits of count, times multiplier/pop
    ref = _phe(reference_dir, bestand)
    kolommen = (
        {0.95: ("lower95_0cl", "upper95_0cl"), 0.998: ("lower99_8cl", "upper99_8cl")}
        if "lower95_0cl" in ref
        else {0.95: ("lowercl", "uppercl")}
    )
    schaal = ref["multiplier"] / ref["Denominator"]
    for b, (kl, kh) in kolommen.items():
        lo, hi, methode = st.poisson_ci(ref["Numerator"], b)
        np.testing.assert_allclose(lo * schaal, ref[kl], rtol=RTOL)
        np.testing.assert_allclose(hi * schaal, ref[kh], rtol=RTOL)
    # method labels: PHE "Exact"/"Byars" = ours "Exact Poisson"/"Byar"; NA count -> no method
    verwacht = ref["method"].map({"Exact": st.METHODE_EXACT, "Byars": st.METHODE_BYAR})
    assert [None if pd.isna(v) else v for v in verwacht] == list(methode)


def test_gemiddelde_t(reference_dir):
    # PHE testdata_Mean.xlsx: mean +/- t * sd/sqrt(n), per area and "No grouping"
    waarden = _phe(reference_dir, "mean_inputs.csv")
    ref = _phe(reference_dir, "mean_t_ci_results.csv").set_index("area")
    per = waarden.groupby("area")["values"].agg(["mean", "std", "count"])
    alle = waarden["values"].agg(["mean", "std", "count"]).rename("No grouping")
    per = pd.concat([per, alle.to_frame().T]).loc[ref.index]
    np.testing.assert_allclose(per["std"], ref["stdev"], rtol=RTOL)
    for b, (kl, kh) in {0.95: ("lower95_0cl", "upper95_0cl"), 99.8: ("lower99_8cl", "upper99_8cl")}.items():
        lo, hi = st.gemiddelde_t_ci(per["mean"], per["std"], per["count"], b)
        np.testing.assert_allclose(lo, ref[kl], rtol=RTOL)
        np.testing.assert_allclose(hi, ref[kh], rtol=RTOL)


# ---------------------------------------------------------------- edge cases


def test_randgevallen_telling_en_proportie():
    # exact upper limit for 0 events = -ln(0.025) = 3.6889 (hand: chi2(0.975, 2)/2)
    lo, hi, m = st.poisson_ci(0)
    assert float(lo) == 0 and float(hi) == pytest.approx(-np.log(0.025), rel=1e-12)
    assert m.tolist() == "Exact Poisson"
    # Wilson at p=0 and p=1 stays inside [0, 1]; noemer 0 -> NaN, no warning
    lo, hi = st.wilson_ci([0, 5, 3], [5, 5, 0])
    assert lo[0] == 0 and hi[1] == 1 and np.isnan(lo[2])
    with pytest.raises(ValueError, match="teller"):
        st.wilson_ci(6, 5)
    with pytest.raises(ValueError, match="negatief"):
        st.poisson_ci([-1])
    for fout in (0, 100, -0.5):
        with pytest.raises(ValueError, match="betrouwbaarheid"):
            st.wilson_ci(1, 2, fout)
    # n < 2: no t interval
    lo, hi = st.gemiddelde_t_ci(3.0, 1.0, 1)
    assert np.isnan(lo) and np.isnan(hi)


# ---------------------------------------------------------------- median


def test_mediaan_ci_hand_n10():
    # hand: n=10, B~Bin(10, .5): P(B<=1) = 11/1024 = 0.0107 <= 0.025 < P(B<=2) = 56/1024,
    # so k = 2 and the 95% interval is [x_(2), x_(9)], coverage 1 - 22/1024 = 0.9785
    x = np.array([7.0, 3.0, 9.0, 1.0, 5.0, 10.0, 2.0, 8.0, 4.0, 6.0])
    assert st.mediaan_ci(x) == (2.0, 9.0)
    assert 1 - 2 * stats.binom.cdf(1, 10, 0.5) == pytest.approx(1 - 22 / 1024)
    # n = 5 at 95%: P(B<=0) = 1/32 = 0.031 > 0.025 -> no interval
    assert all(np.isnan(st.mediaan_ci(x[:5])))


@pytest.mark.parametrize("n", [6, 7, 10, 25, 50, 101])
@pytest.mark.parametrize("b", [0.90, 0.95, 0.99])
def test_mediaan_ci_tegen_scipy(n, b):
    # scipy.stats.quantile_test(...).confidence_interval() is the same order-statistic interval
    rng = np.random.default_rng(n)
    x = rng.gamma(2.0, 10.0, n)
    lo, hi = st.mediaan_ci(x, b)
    ci = stats.quantile_test(x, q=np.median(x), p=0.5).confidence_interval(b)
    if np.isnan(ci.low):
        assert np.isnan(lo)
    else:
        assert (lo, hi) == (ci.low, ci.high)
        assert lo <= np.median(x) <= hi
        # coverage from scipy.stats.binom is at least the level, and k is maximal
        k = int(np.sum(np.sort(x) <= lo))
        assert 1 - 2 * stats.binom.cdf(k - 1, n, 0.5) >= b
        assert 1 - 2 * stats.binom.cdf(k, n, 0.5) < b


def test_mediaan_met_ci_per_groep():
    # expectations per group from mediaan_ci / numpy.percentile (linear) on each group separately
    rng = np.random.default_rng(1)
    df = pd.DataFrame(
        {
            "gemeente": rng.choice(["A", "B"], 400),
            "team": rng.choice(["t1", "t2", "t3"], 400),
            "dagen": rng.exponential(30, 400).round(),
        }
    )
    df.loc[::17, "dagen"] = np.nan
    df.loc[df["team"] == "t3", "dagen"] = np.nan  # a group without values keeps n = 0
    df.loc[len(df)] = ["C", "t1", 5.0]  # n = 1
    uit = st.mediaan_met_ci(df, "dagen", ["gemeente", "team"])
    assert list(uit.columns) == ["gemeente", "team", "n", "mediaan", "ondergrens", "bovengrens", "p25", "p75"]
    for _, r in uit.iterrows():
        w = df.loc[(df["gemeente"] == r["gemeente"]) & (df["team"] == r["team"]), "dagen"].dropna()
        assert r["n"] == len(w)
        if len(w) == 0:
            assert np.isnan(r["mediaan"])
            continue
        assert r["mediaan"] == np.median(w)
        assert r["p25"] == pytest.approx(np.percentile(w, 25))
        assert r["p75"] == pytest.approx(np.percentile(w, 75))
        lo, hi = st.mediaan_ci(w)
        np.testing.assert_equal((r["ondergrens"], r["bovengrens"]), (lo, hi))
    assert (uit["team"] == "t3").sum() == 2 and uit.loc[uit["team"] == "t3", "n"].eq(0).all()
    # no group columns: one row for everything
    een = st.mediaan_met_ci(df, "dagen")
    assert een["n"].item() == df["dagen"].notna().sum()
    assert een["mediaan"].item() == df["dagen"].median()


def test_mediaan_met_ci_snel():
    # 1M rows over 10k groups: vectorised, well under the test budget (measured ~0.5 s)
    import time

    rng = np.random.default_rng(0)
    df = pd.DataFrame({"g": rng.integers(0, 10_000, 1_000_000), "w": rng.normal(size=1_000_000)})
    t0 = time.perf_counter()
    uit = st.mediaan_met_ci(df, "w", "g")
    assert time.perf_counter() - t0 < 5
    assert len(uit) == 10_000 and uit["n"].sum() == 1_000_000
    assert (uit["ondergrens"] <= uit["mediaan"]).all() and (uit["mediaan"] <= uit["bovengrens"]).all()


# ---------------------------------------------------------------- intervallen


def _tabel(rijen):
    df = pd.DataFrame(rijen)
    for k in INDICATOR_KOLOMMEN:
        if k not in df:
            df[k] = np.nan
    return df[list(INDICATOR_KOLOMMEN)]


def test_intervallen_per_type():
    tabel = _tabel(
        [
            # proportie 65/100: PHE byars_wilson_limits Wilson 95%
            {"indicator": "p", "teller": 65, "noemer": 100, "waarde": 0.65},
            # aantal 65: PHE Byars 95%
            {"indicator": "a", "teller": 65, "waarde": 65},
            # ratio 5 per 100 fte, waarde per 1 fte: PHE rate Area2 (per 100) / 100
            {"indicator": "r", "teller": 5, "noemer": 100, "waarde": 0.05},
            # ratio with teller 0: multiplier 1 seen on the row above -> exact upper 3.689/100
            {"indicator": "r", "teller": 0, "noemer": 100, "waarde": 0.0},
            # gemiddelde: left as it is
            {"indicator": "g", "teller": 50, "noemer": 10, "waarde": 5, "ondergrens": 4.0, "methode": "Student t"},
            # proportie without noemer: left alone
            {"indicator": "p", "teller": 3, "waarde": np.nan},
        ]
    )
    typen = pd.Series(["proportie", "aantal", "ratio", "ratio", "gemiddelde", "proportie"])
    voor = tabel.copy()
    uit = st.intervallen(tabel, typen)
    pd.testing.assert_frame_equal(tabel, voor)  # input not mutated
    assert uit["ondergrens"][0] == pytest.approx(0.552544432969, rel=1e-9)
    assert uit["bovengrens"][1] == pytest.approx(82.8491385459, rel=1e-9)
    assert uit["ondergrens"][2] == pytest.approx(1.62348639012 / 100, rel=1e-9)
    assert uit["bovengrens"][3] == pytest.approx(-np.log(0.025) / 100, rel=1e-9)
    assert uit["ondergrens"][4] == 4.0 and np.isnan(uit["bovengrens"][4])
    assert np.isnan(uit["ondergrens"][5])
    assert list(uit["methode"][:5]) == ["Wilson", "Byar", "Exact Poisson", "Exact Poisson", "Student t"]
    assert pd.isna(uit["methode"][5])
    assert list(uit.columns) == list(INDICATOR_KOLOMMEN)


def test_intervallen_type_als_tekst_en_fout():
    tabel = _tabel([{"indicator": "a", "teller": 1, "waarde": 1}])
    uit = st.intervallen(tabel, "aantal", betrouwbaarheid=99.8)
    # PHE rate Area1 99.8% upper (per 100, pop 100) = exact upper for 1 event
    assert uit["bovengrens"][0] == pytest.approx(9.23341347645, rel=1e-9)
    with pytest.raises(ValueError, match="statistiektype"):
        st.intervallen(tabel, "percentage")

"""Tests for monitoranalyse.analyse.spc (NHS Making Data Count rules, our own code).

Every series is hand-made; the comment above each test gives the centre line, the
mean moving range (mMR), the limits (mean ± 2.66 mMR) and the 2-sigma lines
(mean ± 2/3 · 2.66 mMR) worked out by hand, and why each rule does or does not fire.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitoranalyse.analyse.spc import SIGNAAL_KOLOMMEN, SPC_KOLOMMEN, spc, spc_signalen
from monitoranalyse.contract import Beleidswijziging


def reeks(waarden, *, indicator="x", wijkteam="Noord", teller=None, noemer=None) -> pd.DataFrame:
    n = len(waarden)
    starts = pd.date_range("2022-01-01", periods=n, freq="MS")
    return pd.DataFrame(
        {
            "gemeente": "Lindeveen",
            "wijkteam": wijkteam,
            "periode_start": starts,
            "periode_eind": starts + pd.offsets.MonthEnd(0),
            "indicator": indicator,
            "uitsplitsing": "",
            "teller": np.nan if teller is None else np.asarray(teller, float),
            "noemer": np.nan if noemer is None else np.asarray(noemer, float),
            "waarde": np.asarray(waarden, float),
        }
    )


def xmr(waarden, **kw) -> pd.DataFrame:
    return spc(reeks(waarden), type="gemiddelde", **kw)


def test_regel1_buiten_procesgrens_en_scherming():
    # 15 points alternating 8/14, then 40. Mean = (7*22 + 8 + 40)/16 = 12.625.
    # MR: 14 x 6 + |40-8| = 116 over 15 -> mMR 7.7333; UPL = 12.625 + 2.66*7.7333 = 33.196.
    # 2-sigma high = 26.339: only 40 is beyond; alternating -> no run or trend.
    x = [8, 14] * 7 + [8, 40]
    r = xmr(x, beter="hoger", scherm_uitschieters=False)
    assert list(r.columns) == SPC_KOLOMMEN
    assert r["middenlijn"].iloc[0] == pytest.approx(12.625)
    assert r["boven_procesgrens"].iloc[0] == pytest.approx(12.625 + 2.66 * 116 / 15)
    assert r["regel"].tolist() == [""] * 15 + ["buiten_procesgrens"]
    assert r["soort"].tolist() == [""] * 15 + ["verbetering"]
    assert r["variatie"].iloc[0] == "speciale oorzaak - verbetering"
    assert r["grafiek"].iloc[0] == "XmR"
    # 2-sigma line: 12.625 + 2/3 * 2.66 * 116/15 = 26.339 (NHSRplotthedots nupl)
    assert r["boven_2sigma"].iloc[0] == pytest.approx(12.625 + 2 / 3 * 2.66 * 116 / 15)
    assert r["onder_2sigma"].iloc[0] == pytest.approx(12.625 - 2 / 3 * 2.66 * 116 / 15)
    # Screening: 32 > 3.267 * 7.7333 = 25.26 is left out -> mMR = 6, UPL = 12.625 + 15.96.
    # Screening is the default (NHSRplotthedots ptd_spc(screen_outliers = TRUE)).
    for s in (xmr(x, beter="lager", scherm_uitschieters=True), xmr(x, beter="lager")):
        assert s["boven_procesgrens"].iloc[0] == pytest.approx(12.625 + 2.66 * 6)
        assert s["soort"].iloc[-1] == "zorg"


def test_regel2_zeven_stijgend_versus_zes_en_gelijke_waarde():
    # s7: 12,8,12,8,12 then 8,9,10,11,12,13,14 = 7 rising points (idx 5..11).
    # Mean 129/12 = 10.75, mMR 26/11 = 2.364, UPL 17.04, 2-sigma 14.94: 14 not beyond;
    # longest run on one side is 4 -> only the trend rule fires.
    s7 = [12, 8, 12, 8, 12, 8, 9, 10, 11, 12, 13, 14]
    r = xmr(s7, beter="hoger")
    assert r["regel"].tolist() == [""] * 5 + ["trend"] * 7
    assert set(r["soort"].iloc[5:]) == {"verbetering"}
    # s6: the run 8..13 has only 6 points (12 -> 8 before it falls, 13 -> 9 after it).
    # Mean 124/12, mMR 29/11, 2-sigma high 15.0 -> no signal at all.
    s6 = [12, 8, 12, 8, 12, 8, 9, 10, 11, 12, 13, 9]
    assert (xmr(s6, beter="hoger")["regel"] == "").all()
    # A tie breaks the run: 10,11,12,12,14,15,16 has differences +,+,0,+,+,+ -> runs of 3 and 4.
    # Mean 150/12 = 12.5, mMR 26/11, 2-sigma [8.31, 16.69]; longest side run 4 -> quiet.
    gelijk = [10, 14, 10, 14, 10, 11, 12, 12, 14, 15, 16, 12]
    assert (xmr(gelijk, beter="hoger")["regel"] == "").all()
    # A falling run is a concern when higher is better.
    dalend = xmr([-v for v in s7], beter="hoger")
    assert dalend["regel"].tolist()[5:] == ["trend"] * 7 and set(dalend["soort"].iloc[5:]) == {"zorg"}


def test_regel3_twee_van_drie_en_tegengestelde_kanten():
    # 12 points alternating 9/11 (sum 120, 11 MRs of 2), then 16, 11, 16.
    # Mean 163/15 = 10.867; mMR (22 + 15)/14 = 2.643; UPL 17.90; 2-sigma high 15.55.
    # Window idx 12..14 = (16, 11, 16): two beyond 2 sigma, none beyond 3 sigma.
    x = [9, 11] * 6 + [16, 11, 16]
    r = xmr(x, beter="lager")
    assert r["regel"].tolist() == [""] * 12 + ["twee_van_drie", "", "twee_van_drie"]
    assert r["soort"].iloc[14] == "zorg"
    # Opposite sides: 16, 11, 4. Mean 151/15 = 10.067, mMR 39/14 = 2.786,
    # limits [2.66, 17.48], 2-sigma [5.13, 15.01]: 16 beyond high, 4 beyond low -> no rule.
    y = [9, 11] * 6 + [16, 11, 4]
    assert (xmr(y, beter="lager")["regel"] == "").all()


def test_regel4_zeven_aan_een_kant_en_punt_op_middenlijn():
    # 6,9,6,10,9,6,9 then 14,11,14,11,13,11,11: sum 140 over 14 -> mean exactly 10.
    # mMR 35/13 = 2.692 -> limits [2.84, 17.16], 2-sigma [5.23, 14.78]: nothing beyond.
    # The 10 lies ON the mean and breaks the low run (3 + 3); the last 7 are all above.
    x = [6, 9, 6, 10, 9, 6, 9, 14, 11, 14, 11, 13, 11, 11]
    r = xmr(x, beter="hoger")
    assert r["middenlijn"].iloc[0] == 10.0
    assert r["regel"].tolist() == [""] * 7 + ["verschuiving"] * 7
    # Same series with 9 instead of 10: mean 139/14 = 9.93, now all first 7 are below
    # (2-sigma [5.43, 14.43], still nothing beyond) -> all 14 points are a shift.
    y = [6, 9, 6, 9, 9, 6, 9, 14, 11, 14, 11, 13, 11, 11]
    r = xmr(y, beter="lager")
    assert (r["regel"] == "verschuiving").all()
    assert r["soort"].tolist() == ["verbetering"] * 7 + ["zorg"] * 7
    assert r["variatie"].iloc[0] == "speciale oorzaak - zorg"


def test_herberekenen_op_datum():
    # 12 points 9/11 (mean 10, mMR 2) then 12 points 19/21 (mean 20, mMR 2).
    # One set of limits: mean 15, mMR (22 + 8 + 22)/23 = 2.261, 2-sigma [10.99, 19.01]:
    # both halves are 12-point runs on one side (shift), and the 9s and 21s are beyond
    # 2 sigma two-in-three (higher priority) -> every point signals.
    # Rebased at the 13th month: centres 10 and 20, limits ± 5.32, no signals.
    # (Unscreened: with screening the MR of 8 >= 3.267 * 2.261 would be dropped.)
    x = [9, 11] * 6 + [19, 21] * 6
    zonder = xmr(x, beter="hoger", scherm_uitschieters=False)
    assert zonder["middenlijn"].iloc[0] == 15.0
    assert zonder["regel"].tolist() == ["twee_van_drie", "verschuiving"] * 6 + ["verschuiving", "twee_van_drie"] * 6
    datum = pd.Timestamp("2022-01-01") + pd.DateOffset(months=12)
    for grens in ([datum], [str(datum.date())], [Beleidswijziging(datum=str(datum.date()), label="nieuw")]):
        met = xmr(x, beter="hoger", herbereken_bij=grens)
        assert met["middenlijn"].tolist() == [10.0] * 12 + [20.0] * 12
        assert met["boven_procesgrens"].iloc[0] == pytest.approx(10 + 2.66 * 2)
        assert met["onder_procesgrens"].iloc[-1] == pytest.approx(20 - 2.66 * 2)
        assert (met["regel"] == "").all() and met["variatie"].iloc[0] == "gewone oorzaak"
    # a change for another gemeente does not rebase this one
    ander = xmr(x, beter="hoger", scherm_uitschieters=False, herbereken_bij=[{"datum": datum, "gemeente": "Elders"}])
    assert ander["middenlijn"].iloc[0] == 15.0 and (ander["regel"] != "").all()


def test_p_kaart_met_wisselende_noemers():
    # noemer alternates 100/400 (sum 3000); p = 0.2 except idx 3 (n=400, p=0.30) and
    # idx 8 (n=100, p=0.30): sum teller 600 + 40 + 10 = 650 -> p-bar = 0.21667.
    # n=400: sd = sqrt(.21667*.78333/400) = 0.02060, UPL 0.2785 -> 0.30 outside.
    # n=100: sd = 0.04120, UPL 0.3403 -> the same 0.30 is inside; it is beyond 2 sigma
    # (0.2991) but alone in its windows of 3 -> no signal.
    noemer = np.array([100, 400] * 6, float)
    p = np.full(12, 0.2)
    p[3] = p[8] = 0.3
    teller = p * noemer
    r = spc(reeks(p, teller=teller, noemer=noemer), type="proportie", beter="hoger")
    pbar = 650 / 3000
    assert r["grafiek"].iloc[0] == "p"
    assert r["middenlijn"].iloc[0] == pytest.approx(pbar)
    sd = np.sqrt(pbar * (1 - pbar) / noemer)
    np.testing.assert_allclose(r["boven_procesgrens"], pbar + 3 * sd)
    np.testing.assert_allclose(r["onder_procesgrens"], pbar - 3 * sd)
    assert r["regel"].tolist() == [""] * 3 + ["buiten_procesgrens"] + [""] * 8


def test_waarschuwing_bij_minder_dan_twaalf_punten():
    # MDC: limits from fewer than 12 points are provisional.
    assert "Minder dan 12 punten (n = 9)" in xmr([9, 11] * 4 + [10], beter="hoger")["waarschuwing"].iloc[0]
    assert xmr([9, 11] * 6, beter="hoger")["waarschuwing"].iloc[0] == ""
    # 12 then rebased after 14: the last segment of 10 points is flagged
    w = xmr([9, 11] * 12, beter="hoger", herbereken_bij=["2023-03-01"])["waarschuwing"].iloc[0]
    assert w.startswith("Deel vanaf 2023-03-01 heeft minder dan 12 punten (n = 10)")


def test_borging_tegen_doel():
    # 9/11 x 6: mean 10, limits [4.68, 15.32]. Target outside the limits on the good side
    # is met consistently, on the bad side never; inside the limits: wisselend.
    x = [9, 11] * 6
    assert xmr(x, beter="hoger", doel=3)["borging"].iloc[0] == "haalt het doel consequent"
    assert xmr(x, beter="hoger", doel=20)["borging"].iloc[0] == "haalt het doel consequent niet"
    assert xmr(x, beter="hoger", doel=10)["borging"].iloc[0] == "wisselend"
    assert xmr(x, beter="lager", doel=20)["borging"].iloc[0] == "haalt het doel consequent"
    assert xmr(x, beter="lager", doel={"x": 3})["borging"].iloc[0] == "haalt het doel consequent niet"
    assert xmr(x, beter="hoger")["borging"].iloc[0] == ""  # no target known


def test_neutraal_signalen_en_meerdere_reeksen():
    tabel = pd.concat(
        [reeks([8, 14] * 7 + [8, 40], wijkteam="Noord"), reeks([9, 11] * 6, wijkteam="Zuid")]
    )
    kopie = tabel.copy()
    r = spc(tabel, type="gemiddelde", beter="geen")
    pd.testing.assert_frame_equal(tabel, kopie)  # input not mutated
    assert r.groupby("wijkteam")["n_punten"].first().to_dict() == {"Noord": 16, "Zuid": 12}
    sig = spc_signalen(r)
    assert list(sig.columns) == SIGNAAL_KOLOMMEN
    assert len(sig) == 1 and sig["wijkteam"].item() == "Noord" and sig["soort"].item() == "neutraal"
    assert r.loc[r["wijkteam"] == "Noord", "variatie"].iloc[0] == "speciale oorzaak - neutraal"


def test_onbekend_type_geeft_nederlandse_fout():
    with pytest.raises(ValueError, match="statistiektype"):
        spc(reeks([1, 2, 3], indicator="niet_in_catalogus"))
    with pytest.raises(ValueError, match="geen spc"):
        spc_signalen(pd.DataFrame({"a": [1]}))


# ---------------------------------------------------------------------------
# Reference behaviour of NHSRplotthedots (nhs-r-community/NHSRplotthedots):
#   R/ptd_spc_standard.R @ 8aac3239e90ce9ebeb9c3e61f56c207dfc37b225 (limits, screening,
#     fix_after_n_points, close_to_limits = !outside_limits & beyond the 2-sigma line)
#   R/ptd_calculate_point_type.R @ f7891af4b8f71838f4c6fb17c8eec1a1c9bd6d7f
#     (ptd_two_in_three: >= 2 close points AND abs(sum(relative_to_mean)) == 3)
#   R/ptd_spc.R @ 24745e755877791489fd8783710bb84f8937d8c4 (screen_outliers = TRUE)
# ---------------------------------------------------------------------------


def test_twee_van_drie_zoals_nhsrplotthedots_voorbeeld_uit_issue():
    # Issue 12 example. Mean = 3.1/25 = 0.124. MRs: 4 blocks of (.3,.6,.5,.4) = 7.2,
    # 3 joins of .2, then 1.8, 1.7, 1.7, 1.5, .2 -> 14.7/24 = 0.6125 (none >= 3.267 *
    # 0.6125 = 2.001, so screening changes nothing). UPL = .124 + 2.66*.6125 = 1.753,
    # 2-sigma = .124 + 1.0862 = 1.210: both 1.6 are "close", but the -0.1 between them
    # lies below the mean, so the window is not on one side -> no flag (we used to flag 2).
    x = [0, 0.3, -0.3, 0.2, -0.2] * 4 + [1.6, -0.1, 1.6, 0.1, -0.1]
    r = xmr(x, beter="hoger")
    assert r["boven_procesgrens"].iloc[0] == pytest.approx(0.124 + 2.66 * 0.6125)
    assert r["boven_2sigma"].iloc[0] == pytest.approx(0.124 + 2 / 3 * 2.66 * 0.6125)
    assert (r["regel"] == "").all() and (r["regels"] == "").all()


def test_punt_buiten_procesgrens_telt_niet_als_dichtbij():
    # 12 x alternating 11/13 (MR 2), then 21, 19, 10 -> mean 194/15 = 12.933,
    # MRs 22 + 8 + 2 + 9 = 41/14 = 2.929 (all < 3.267*2.929 = 9.57: none screened).
    # UPL = 12.933 + 2.66*2.929 = 20.72, 2-sigma 18.13: 21 is OUTSIDE (not "close"),
    # 19 is close. Window (13, 21, 19) lies above the mean but has ONE close point, so
    # NHSRplotthedots gives no 2-of-3; our old rule counted 21 as beyond 2 sigma and
    # flagged 19 as well. Only 21 signals (rule 1).
    x = [11, 13] * 6 + [21, 19, 10]
    r = xmr(x, beter="hoger")
    mmr = (22 + 8 + 2 + 9) / 14
    c = (144 + 21 + 19 + 10) / 15
    assert r["boven_procesgrens"].iloc[0] == pytest.approx(c + 2.66 * mmr)
    assert 21 > c + 2.66 * mmr and c + 2 / 3 * 2.66 * mmr < 19 < c + 2.66 * mmr  # preconditions
    assert r["regel"].tolist() == [""] * 12 + ["buiten_procesgrens", "", ""]


def test_scherming_houdt_alleen_bewegingsbereiken_strikt_onder_3267_keer_gemiddelde():
    # MRs: twelve of 1 and one of b with b == 3.267 * mean(MR) exactly in float64.
    # The reference keeps `mr < 3.267 * amr` only, so b is dropped and amr = 1;
    # `<=` (our old rule) would have kept it: amr = (12 + b)/13.
    b = 4.027946162539813
    x = [0.0, 1.0] * 6 + [0.0, b]
    mr = np.abs(np.diff(x))
    assert mr[-1] == 3.267 * mr.mean()  # precondition: exactly on the boundary
    r = xmr(x, beter="hoger")
    c = float(np.mean(x))
    assert r["boven_procesgrens"].iloc[0] == pytest.approx(c + 2.66 * 1.0)
    assert xmr(x, scherm_uitschieters=False)["boven_procesgrens"].iloc[0] == pytest.approx(c + 2.66 * (12 + b) / 13)


def test_vaste_basislijn_na_n_punten():
    # fix_after_n_points = 12: mean and mMR from 9/11 x 6 only -> 10 and 2, limits
    # 10 ± 5.32 = [4.68, 15.32], 2-sigma [6.453, 13.547], extended over the next 12
    # points 14/16: every 16 is outside (rule 1); the 14s are close and the window of
    # 3 around them (16, 14, 16) lies above the mean, but a close point needs a second
    # close point in its window -- (14, 16, 14) has two -> 2-of-3 for the 14s. The
    # last baseline point (11) starts the run of 13 points above 10 -> rule 4.
    x = [9, 11] * 6 + [14, 16] * 6
    r = xmr(x, beter="hoger", vast_na_punten=12)
    assert (r["middenlijn"] == 10.0).all()
    assert r["boven_procesgrens"].iloc[-1] == pytest.approx(10 + 2.66 * 2)
    assert r["regel"].tolist() == [""] * 11 + ["verschuiving"] + ["twee_van_drie", "buiten_procesgrens"] * 6
    # every point of the second half is part of the 7-on-one-side run too
    assert all("verschuiving" in s for s in r["regels"].iloc[12:])
    assert r["basislijn"].iloc[0].startswith("eerste 12")
    # without the fixed baseline the limits come from all 24 points
    assert xmr(x, beter="hoger")["middenlijn"].iloc[0] == pytest.approx(12.5)
    with pytest.raises(ValueError, match="vast_na_punten"):
        xmr(x, vast_na_punten=1)


def _laney_hand(teller, noemer, factor):
    """Laney (2002) p'/u' limits from the paper's formulas (centre, sigma_i, sigma_z)."""
    teller, noemer = np.asarray(teller, float), np.asarray(noemer, float)
    mid = teller.sum() / noemer.sum()
    sd = np.sqrt(mid * (1 - mid) / noemer) if factor == "p" else np.sqrt(mid / noemer)
    z = (teller / noemer - mid) / sd
    sigma_z = np.mean(np.abs(np.diff(z))) / 1.128
    return mid, sd * sigma_z, sigma_z


def test_laney_p_accent_automatisch_bij_grote_noemers():
    # A gemeente total: n about 600 per month, the true proportion wanders between
    # months (0.27 ... 0.43) -> most points fall outside plain p-chart limits.
    rng = np.random.default_rng(12)
    noemer = rng.integers(550, 650, size=24).astype(float)
    p_waar = 0.35 + 0.08 * np.sin(np.arange(24) * 1.3)
    teller = np.round(p_waar * noemer)
    tabel = reeks(teller / noemer, teller=teller, noemer=noemer)
    r = spc(tabel, type="proportie", beter="hoger")
    mid, sd, sigma_z = _laney_hand(teller, noemer, "p")
    assert sigma_z > 1  # precondition: overdispersed
    assert r["grafiek"].iloc[0] == "p′ (Laney)"
    np.testing.assert_allclose(r["middenlijn"], mid)
    np.testing.assert_allclose(r["boven_procesgrens"], mid + 3 * sd)
    np.testing.assert_allclose(r["onder_2sigma"], mid - 2 * sd)
    plain = spc(tabel, type="proportie", beter="hoger", laney=False)
    assert plain["grafiek"].iloc[0] == "p"
    assert (plain["regel"] == "buiten_procesgrens").sum() > (r["regel"] == "buiten_procesgrens").sum()
    # u' on the same counts read as events per exposure, forced
    u = spc(tabel, type="proportie", kaart="u", laney=True)
    mid_u, sd_u, _ = _laney_hand(teller, noemer, "u")
    assert u["grafiek"].iloc[0] == "u′ (Laney)"
    np.testing.assert_allclose(u["boven_procesgrens"], mid_u + 3 * sd_u)


def test_p_kaart_blijft_p_zonder_overspreiding():
    # Binomial data with a constant p: the chi2 dispersion test does not reject and
    # the plain p-chart is kept (the check that switches to p' is not always on).
    rng = np.random.default_rng(3)
    noemer = np.full(24, 400.0)
    teller = rng.binomial(400, 0.3, size=24).astype(float)
    r = spc(reeks(teller / noemer, teller=teller, noemer=noemer), type="proportie")
    assert r["grafiek"].iloc[0] == "p"


def _seizoensreeks(stap: float = 0.0) -> pd.DataFrame:
    # 48 months: level 100, a strong month pattern (amplitude 30) and small noise with
    # sd 2; ``stap`` is added from month 43 on (the last 6 months).
    rng = np.random.default_rng(7)
    m = np.arange(48)
    x = 100 + 30 * np.sin(2 * np.pi * m / 12) + rng.normal(0, 2, 48)
    x[42:] += stap
    return reeks(np.round(x), indicator="instroom")


def test_seizoensindicator_zonder_signaal_en_geplante_stap_wel():
    # Planted: pure seasonality (no change) must give no signal against the month
    # profile; the same series read without the profile has signals everywhere.
    # (Seeded series. On null data the chance that a 48-month chart shows any signal
    # is about the same with and without the month profile, ~37% vs ~38% for white
    # noise: measured in benchmarks/bench_nulgedrag.py.)
    r = spc(_seizoensreeks(), type="aantal")
    assert "seizoen" in r["basislijn"].iloc[0]
    assert (r["regel"] == "").all()
    zonder = spc(_seizoensreeks(), type="aantal", seizoen=False)
    assert (zonder["regel"] != "").sum() > 10
    # planted step of +15 (7.5 noise sd) in the last 6 months: signalled there
    stap = spc(_seizoensreeks(15), type="aantal")
    assert (stap["regel"].iloc[42:] != "").sum() >= 4
    # the drawn centre line follows the season: same month one year apart is equal
    assert stap["middenlijn"].iloc[0] == pytest.approx(stap["middenlijn"].iloc[12])


def test_seizoen_te_kort_geeft_waarschuwing():
    r = spc(_seizoensreeks().iloc[:18], type="aantal")
    assert "Geen seizoenscorrectie" in r["waarschuwing"].iloc[0]
    assert "seizoen" not in r["basislijn"].iloc[0]


def test_onvolledige_en_inloopperiodes_buiten_de_basis():
    # Contract (shared brief): rows with volledig == False or inloop == True are kept
    # in the output but not used for the limits and not judged by the rules.
    x = [9, 11] * 6 + [10, 60]
    t = reeks(x)
    t["volledig"] = [True] * 13 + [False]
    t["inloop"] = [True] + [False] * 13
    t.loc[0, "waarde"] = -50.0  # a build-up month
    r = spc(t, type="gemiddelde", beter="hoger")
    assert r["in_basis"].tolist() == [False] + [True] * 12 + [False]
    # limits from points 2..13: 11,9,11,...,11,10 -> mean (5*9+6*11+10... computed below)
    basis = np.array(x[1:13], float)
    assert r["middenlijn"].iloc[0] == pytest.approx(basis.mean())
    assert r["boven_procesgrens"].iloc[0] == pytest.approx(basis.mean() + 2.66 * np.mean(np.abs(np.diff(basis))))
    assert r["regel"].iloc[0] == "" and r["regel"].iloc[-1] == ""  # not judged
    assert r["variatie"].iloc[0] == "gewone oorzaak"  # judged on the last complete point
    # without the columns both extreme points would be judged
    assert (spc(reeks([-50] + x[1:]), type="gemiddelde")["regel"] != "").sum() >= 2

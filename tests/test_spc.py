"""Tests for monitoranalyse.spc (NHS Making Data Count rules, our own code).

Every series is hand-made; the comment above each test gives the centre line, the
mean moving range (mMR), the limits (mean ± 2.66 mMR) and the 2-sigma lines
(mean ± 2/3 · 2.66 mMR) worked out by hand, and why each rule does or does not fire.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitoranalyse.contract import Beleidswijziging
from monitoranalyse.spc import SIGNAAL_KOLOMMEN, SPC_KOLOMMEN, spc, spc_signalen


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
    r = xmr(x, beter="hoger")
    assert list(r.columns) == SPC_KOLOMMEN
    assert r["middenlijn"].iloc[0] == pytest.approx(12.625)
    assert r["boven_procesgrens"].iloc[0] == pytest.approx(12.625 + 2.66 * 116 / 15)
    assert r["regel"].tolist() == [""] * 15 + ["buiten_procesgrens"]
    assert r["soort"].tolist() == [""] * 15 + ["verbetering"]
    assert r["variatie"].iloc[0] == "speciale oorzaak - verbetering"
    assert r["grafiek"].iloc[0] == "XmR"
    # Screening: 32 > 3.267 * 7.7333 = 25.26 is left out -> mMR = 6, UPL = 12.625 + 15.96.
    s = xmr(x, beter="lager", scherm_uitschieters=True)
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
    x = [9, 11] * 6 + [19, 21] * 6
    zonder = xmr(x, beter="hoger")
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
    ander = xmr(x, beter="hoger", herbereken_bij=[{"datum": datum, "gemeente": "Elders"}])
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

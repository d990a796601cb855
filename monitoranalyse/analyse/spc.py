"""Statistical process control (SPC) in the style of NHS England "Making Data Count".

Which changes in an indicator are *signal* and which are *noise*? Per series of the
tidy indicator table (gemeente, wijkteam, indicator, uitsplitsing over periode_start)
:func:`spc` draws the process limits of an XmR chart (or a p-chart -- Laney p′ when the
periods are overdispersed -- for proportions with their denominators; seasonal
indicators against their own calendar month) and marks special-cause variation with the
four MDC rules exactly as NHSRplotthedots evaluates them;
:func:`spc_signalen` keeps only the points with a signal (input for the list of teams
that warrant nader onderzoek).

This module is our own code: statsmodels/scipy have no SPC charts, and no maintained
Python library implements the MDC rule set with its improvement/concern colouring and
assurance against a target (the reference implementation is the R package
NHSRplotthedots). The rules are therefore tested on hand-made series and on values
derived from the NHSRplotthedots source in tests/test_spc.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from monitoranalyse.contract import Beleidswijziging
from scipy import stats

from monitoranalyse.analyse.trend import (
    REEKS_SLEUTELS,
    _beter,
    _catalogus_item,
    _in_basis,
    _per_code,
    _reeksen,
    _stap_maanden,
    _statistiek_type,
    _voorbereid,
)

__all__ = ["spc", "spc_signalen", "REGELS", "SPC_KOLOMMEN", "SIGNAAL_KOLOMMEN", "SEIZOEN_INDICATOREN"]

#: Special-cause rules in priority order: code -> Dutch description.
REGELS: dict[str, str] = {
    "buiten_procesgrens": "een punt buiten de procesgrenzen",
    "trend": "7 punten op rij stijgend of dalend",
    "twee_van_drie": (
        "2 van 3 opeenvolgende punten tussen 2 sigma en de procesgrens, alle 3 aan dezelfde kant van het gemiddelde"
    ),
    "verschuiving": "7 punten op rij aan één kant van de middenlijn",
}
#: XmR constants: 2.66 = 3/d2 with d2 = 1.128 (n = 2); 3.267 = D4 for moving ranges of 2.
XMR_FACTOR = 2.66
MR_SCHERM_FACTOR = 3.267
#: d2 for moving ranges of 2 (Laney sigma_z = mean MR of z / 1.128).
D2 = 1.128
MIN_PUNTEN = 12
RUN = 7
#: Indicators whose monthly SPC compares each month with its own season by default.
SEIZOEN_INDICATOREN: tuple[str, ...] = ("instroom", "uitstroom")
#: Baseline months needed for a month profile (every calendar month twice).
SEIZOEN_MIN_PUNTEN = 24
#: Fourier harmonics of the month profile (k = 1..3: six parameters).
SEIZOEN_HARMONISCHEN = 3
#: Significance of the Pearson chi2 dispersion test that switches p/u to p′/u′.
LANEY_ALPHA = 0.01

SIGNAAL_KOLOMMEN = [
    *REEKS_SLEUTELS,
    "periode_start",
    "waarde",
    "middenlijn",
    "onder_procesgrens",
    "boven_procesgrens",
    "regel",
    "soort",
]
SPC_KOLOMMEN = [
    *SIGNAAL_KOLOMMEN,
    "grafiek",
    "n_punten",
    "waarschuwing",
    "variatie",
    "borging",
    "onder_2sigma",
    "boven_2sigma",
    "regels",
    "in_basis",
    "basislijn",
]


def _data(herbereken_bij, gemeente: str) -> list[pd.Timestamp]:
    uit = []
    for w in herbereken_bij or []:
        if isinstance(w, Beleidswijziging):
            datum, gem = w.datum, w.gemeente
        elif isinstance(w, Mapping):
            datum, gem = w["datum"], w.get("gemeente")
        else:
            datum, gem = w, None
        if gem in (None, "") or gem == gemeente:
            uit.append(pd.Timestamp(datum))
    return sorted(set(uit))


def _runs(teken: np.ndarray, lengte: int) -> np.ndarray:
    """Mask of elements in runs of >= ``lengte`` equal, non-zero values of ``teken``."""
    masker = np.zeros(len(teken), dtype=bool)
    i = 0
    while i < len(teken):
        j = i
        while j + 1 < len(teken) and teken[j + 1] == teken[i]:
            j += 1
        if teken[i] != 0 and j - i + 1 >= lengte:
            masker[i : j + 1] = True
        i = j + 1
    return masker


def _regel_hits(x, c, lo, hi, lo2, hi2) -> list[tuple[str, np.ndarray]]:
    """Per rule (priority order) the direction per point: +1 high, -1 low, 0 not hit.

    Follows NHSRplotthedots ``ptd_spc_standard`` / ``ptd_calculate_point_type``
    (nhs-r-community/NHSRplotthedots, R/ptd_spc_standard.R @ 8aac3239,
    R/ptd_calculate_point_type.R @ f7891af4). All arrays belong to one segment.
    """
    n = len(x)
    kant = np.sign(x - c).astype(int)  # relative_to_mean
    # (1) outside the process limits (strict)
    buiten = np.where(x > hi, 1, np.where(x < lo, -1, 0))
    # (2) 7 consecutive points each strictly higher (lower) than the one before: 6 equal
    # signs of the differences; a tie (difference 0) breaks the run.
    trend = np.zeros(n, dtype=int)
    if n >= RUN:
        d = np.sign(np.diff(x)).astype(int)
        for teken in (1, -1):
            m = _runs(np.where(d == teken, teken, 0), RUN - 1)
            for k in np.flatnonzero(m):  # difference k links points k and k+1
                trend[k] = trend[k + 1] = teken
    # (3) 2 of 3 consecutive points "close to the limits" -- beyond the 2-sigma line but
    # NOT beyond the process limit -- with all three points on the same side of the
    # mean; the close points are flagged (ptd_two_in_three / ptd_part_of_two_in_three).
    dichtbij = (buiten == 0) & ((x > hi2) | (x < lo2))
    twee = np.zeros(n, dtype=int)
    for i in range(max(n - 2, 0)):
        w = slice(i, i + 3)
        if dichtbij[w].sum() >= 2 and abs(kant[w].sum()) == 3:
            raak = np.flatnonzero(dichtbij[w]) + i
            twee[raak] = kant[raak]
    # (4) 7 consecutive points on one side of the centre line; a point on it breaks the run
    m = _runs(kant, RUN)
    zeven = np.where(m, kant, 0)
    return [("buiten_procesgrens", buiten), ("trend", trend), ("twee_van_drie", twee), ("verschuiving", zeven)]


def _regels(x, c, lo, hi, lo2, hi2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Highest-priority rule per point, its direction, and all rules hit (";"-joined)."""
    n = len(x)
    hits = _regel_hits(x, c, lo, hi, lo2, hi2)
    regel = np.array([""] * n, dtype=object)
    richting = np.zeros(n, dtype=int)
    for naam, h in reversed(hits):  # lower priority first, overwritten by higher
        raak = h != 0
        regel[raak] = naam
        richting[raak] = h[raak]
    alle = np.array([";".join(naam for naam, h in hits if h[i] != 0) for i in range(n)], dtype=object)
    return regel, richting, alle


def _gemiddelde_mr(x: np.ndarray, scherm: bool) -> float:
    """Mean moving range, optionally screened as NHSRplotthedots does.

    Screening (Nelson 1982, NHSRplotthedots ``screen_outliers = TRUE``): moving ranges
    that are NOT strictly below 3.267 x the mean moving range are left out, once.
    """
    mr = np.abs(np.diff(x))
    if len(mr) == 0:
        return np.nan
    mmr = float(np.mean(mr))
    if scherm:
        houden = mr < MR_SCHERM_FACTOR * mmr
        if houden.any():
            mmr = float(np.mean(mr[houden]))
    return mmr


def _seizoensprofiel(x: np.ndarray, maand: np.ndarray) -> np.ndarray | None:
    """Additive month profile ``s_m`` (index 1..12) fitted on the baseline.

    Least squares of ``x`` on an intercept and the Fourier terms sin/cos(2 pi k m/12),
    k = 1..:data:`SEIZOEN_HARMONISCHEN`; the profile is the fitted seasonal part, mean
    zero over the calendar year. Six parameters instead of eleven month means keep the
    residual chart near the false-signal rate of a chart on white noise (measured in
    benchmarks/bench_nulgedrag.py) while following a summer dip of two months. ``None`` when the
    baseline is too short: fewer than :data:`SEIZOEN_MIN_PUNTEN` points or a calendar
    month seen fewer than twice.
    """
    if len(x) < SEIZOEN_MIN_PUNTEN or any((maand == m).sum() < 2 for m in range(1, 13)):
        return None

    def termen(m):
        h = 2 * np.pi * (np.asarray(m) - 1) / 12.0
        return np.column_stack([f(k * h) for k in range(1, SEIZOEN_HARMONISCHEN + 1) for f in (np.sin, np.cos)])

    X = np.column_stack([np.ones(len(x)), termen(maand)])
    beta = np.linalg.lstsq(X, x, rcond=None)[0]
    profiel = np.zeros(13)
    profiel[1:] = termen(np.arange(1, 13)) @ beta[1:]
    return profiel


def _segment(kaart, x, teller, noemer, maand, basis, *, scherm, laney, seizoen):
    """Centre line and sigma per point of one segment, from its baseline points.

    Returns ``(centrum, sigma, seizoen, grafieknaam)``. ``centrum``, ``sigma`` and
    ``seizoen`` (the month profile added to the centre line; zeros without it) are
    arrays over all points of the segment (limits apply to every point, also to points
    outside the baseline).
    """
    n = len(x)
    if kaart in ("p", "u"):
        t, nn = teller[basis], noemer[basis]
        mid = float(t.sum() / nn.sum())
        sd = np.sqrt(mid * (1 - mid) / noemer) if kaart == "p" else np.sqrt(mid / noemer)
        naam = kaart
        if laney is not False and basis.sum() >= 2:
            z = (x[basis] - mid) / sd[basis]
            z = z[np.isfinite(z)]
            sigma_z = float(np.mean(np.abs(np.diff(z))) / D2) if len(z) >= 2 else np.nan
            overspreid = (
                len(z) >= 2
                and np.isfinite(sigma_z)
                and sigma_z > 1
                and stats.chi2.sf(float(np.sum(z**2)), len(z) - 1) < LANEY_ALPHA
            )
            if laney or overspreid:
                sd = sd * sigma_z
                naam = kaart + "′ (Laney)"
        return np.full(n, mid), sd, np.zeros(n), naam
    xb = x[basis]
    profiel = _seizoensprofiel(xb, maand[basis]) if seizoen else None
    if profiel is not None:
        s = profiel[maand]
        xb = (x - s)[basis]
    else:
        s = np.zeros(n)
    mid = float(np.mean(xb))
    mmr = _gemiddelde_mr(xb, scherm)
    return mid + s, np.full(n, XMR_FACTOR / 3 * mmr), s, "XmR"


def _doel(code: str, doel) -> float | None:
    d = doel.get(code) if isinstance(doel, Mapping) else doel
    if d is None:
        item = _catalogus_item(code)
        d = item.norm if item is not None else None
    return None if d is None or pd.isna(d) else float(d)


def _borging(doel: float | None, beter: str | None, lo: float, hi: float) -> str:
    if doel is None or beter is None or not (np.isfinite(lo) and np.isfinite(hi)):
        return ""
    if beter == "hoger":
        if doel < lo:
            return "haalt het doel consequent"
        if doel > hi:
            return "haalt het doel consequent niet"
    else:
        if doel > hi:
            return "haalt het doel consequent"
        if doel < lo:
            return "haalt het doel consequent niet"
    return "wisselend"


def _soort(richting: int, beter: str | None) -> str:
    if richting == 0:
        return ""
    if beter is None:
        return "neutraal"
    return "verbetering" if (richting > 0) == (beter == "hoger") else "zorg"


def _kies_kaart(code: str, kaart, stype: str, df: pd.DataFrame) -> str:
    k = _per_code(kaart, code)
    heeft_noemer = df["noemer"].notna().all() and (df["noemer"] > 0).all() and df["teller"].notna().any()
    if k is None:
        return "p" if stype == "proportie" and heeft_noemer else "XmR"
    if k not in ("XmR", "p", "u"):
        raise ValueError(f"Onbekend SPC-kaarttype '{k}' voor {code}; kies uit XmR, p of u.")
    if k in ("p", "u") and not heeft_noemer:
        raise ValueError(f"Een {k}-kaart voor {code} vraagt teller en een positieve noemer in elke periode.")
    return k


def _basislijn_tekst(vast_na: int | None, seizoen: bool, nb: int) -> str:
    deel = f"eerste {nb} volledige punten (vastgezet)" if vast_na else f"{nb} volledige punten"
    if seizoen:
        deel += ", gecorrigeerd voor seizoen (maandprofiel)"
    return deel


def spc(
    tabel: pd.DataFrame,
    *,
    type: str | Mapping[str, str] | None = None,
    beter: str | Mapping[str, str] | None = None,
    doel: float | Mapping[str, float] | None = None,
    herbereken_bij: Iterable[Any] | None = None,
    scherm_uitschieters: bool = True,
    vast_na_punten: int | None = None,
    kaart: str | Mapping[str, str] | None = None,
    laney: bool | None = None,
    seizoen: bool | Mapping[str, bool] | None = None,
) -> pd.DataFrame:
    """SPC chart values and Making Data Count signals for every series.

    Parameters
    ----------
    tabel : DataFrame
        Tidy indicator table (``contract.INDICATOR_KOLOMMEN``); not modified. When it
        has ``volledig`` and/or ``inloop``, rows with ``volledig == False`` or
        ``inloop == True`` stay in the output (``in_basis`` False) but are left out of
        the baseline and no rule is evaluated on them.
    type : str or dict, optional
        Statistic type (overrides the catalog). Dutch ValueError when unknown.
    beter : str or dict, optional
        ``hoger``/``lager``/``geen`` (overrides the catalog); without a direction signals
        are ``"neutraal"``.
    doel : float or dict, optional
        Target in the unit of ``waarde`` (default: the catalog norm) for ``borging``.
    herbereken_bij : list, optional
        Dates (str/Timestamp, ``Beleidswijziging`` or ``{datum, gemeente}``) from which
        the limits are recomputed (rebasing); each segment has its own centre line and
        limits, and the rules are evaluated within a segment.
    scherm_uitschieters : bool
        XmR: leave moving ranges that are not below 3.267 x the mean moving range out of
        the mean moving range (one pass), so that one outlier does not widen the limits.
        On by default, as in NHSRplotthedots (``screen_outliers = TRUE``) and the NHS
        Making Data Count Power BI tool.
    vast_na_punten : int, optional
        NHSRplotthedots ``fix_after_n_points``: the centre line and limits of each
        segment come from its first n baseline points only and are extended over the
        rest.
    kaart : str or dict, optional
        ``"XmR"``, ``"p"`` or ``"u"``. Default: ``p`` for a proportie with teller and
        noemer in every period, otherwise XmR. A ``u``-chart (counts per unit of
        exposure) is never chosen automatically: ``ratio`` indicators in the catalog
        (caseload per fte) are not Poisson rates.
    laney : bool, optional
        p/u charts: ``None`` (default) switches to Laney's p′/u′ chart when the
        baseline is overdispersed -- Pearson chi2 dispersion test ``p < 0.01`` and
        ``sigma_z > 1``; ``True`` always, ``False`` never.
    seizoen : bool or dict, optional
        XmR on monthly data: compare every point with the same calendar month (additive
        month profile from the baseline, see Notes). Default: on for
        :data:`SEIZOEN_INDICATOREN` (instroom, uitstroom), off otherwise.

    Returns
    -------
    DataFrame
        One row per point: series keys; ``periode_start``; ``waarde``; ``middenlijn``;
        ``onder_procesgrens``/``boven_procesgrens`` (3 sigma); ``regel`` (code of the
        highest-priority rule hit, see :data:`REGELS`, or ""); ``soort``
        ("verbetering"/"zorg"/"neutraal", "" without signal). Per series (repeated on
        each row): ``grafiek`` ("XmR", "p", "p′ (Laney)", "u", "u′ (Laney)");
        ``n_punten``; ``waarschuwing`` (Dutch, "" from 12 baseline points per segment);
        ``variatie`` ("gewone oorzaak" or "speciale oorzaak - verbetering/zorg/neutraal",
        judged on the latest baseline-eligible point as the MDC variation icon);
        ``borging`` ("haalt het doel consequent", "haalt het doel consequent niet",
        "wisselend", or "" without target or direction; from the limits at the latest
        point). Then per point ``onder_2sigma``/``boven_2sigma`` (the 2-sigma lines),
        ``regels`` (every rule the point is part of, ";"-joined, in priority order),
        ``in_basis`` (the point may be used for the limits) and per segment
        ``basislijn`` (Dutch: which points made the limits, and whether they follow the
        month profile).

    Notes
    -----
    XmR (Wheeler; NHSRplotthedots): centre ``x̄``; limits ``x̄ ± 2.66 · mMR`` with mMR
    the (screened) mean moving range; the 2-sigma lines at ``x̄ ± 2/3 · 2.66 · mMR``.
    p-chart: ``p̄ = Σteller/Σnoemer``, limits ``p̄ ± 3 sqrt(p̄(1-p̄)/n_i)`` per point
    (clipped to [0, 1]). u-chart: ``ū ± 3 sqrt(ū/n_i)`` (clipped at 0).
    Laney p′/u′ (Laney 2002): ``z_i = (x_i - centre)/sigma_i``,
    ``sigma_z = mean|z_i - z_{i-1}| / 1.128`` and every sigma is multiplied by
    ``sigma_z``; with large denominators (a gemeente total with n in the hundreds) the
    plain p-chart limits are too narrow because the true proportion varies between
    periods, and p′ widens them by exactly the between-period variation.
    Seasonal baseline (residual chart, Alwan & Roberts 1988): with at least 24 baseline
    months (each calendar month twice) an additive month profile ``s_m`` (three Fourier
    harmonics fitted on the baseline) is subtracted, the XmR limits and rules are computed on the
    deseasonalised values, and the centre line and limits are drawn as
    ``x̄ + s_m (± ...)``: every month is judged against its own season.
    Rules, in priority order (a point gets the highest one it is part of; NHSRplotthedots
    ``ptd_calculate_point_type``): (1) a point outside the limits; (2) 7 consecutive
    points each higher (or each lower) than the previous -- a tie breaks the run;
    (3) 2 of 3 consecutive points between the 2-sigma line and the process limit, all
    three on the same side of the mean; (4) 7 consecutive points on one side of the
    centre line -- a point on the line breaks the run. High signals are an improvement
    when ``beter == "hoger"``, a concern when ``"lager"``.
    Assurance: a target outside the limits is met (or missed) consistently; inside
    them the process will sometimes meet it ("wisselend").

    References
    ----------
    NHS England / NHS Improvement (2019, 2021), *Making Data Count*; NHSRplotthedots
    (nhs-r-community, R package, ``ptd_spc``); Wheeler DJ, *Understanding Variation*
    (2000); Laney DB (2002), Improved control charts for attributes, *Quality
    Engineering* 14(4):531-537; Alwan LC, Roberts HV (1988), Time-series modeling for
    statistical process control, *J Bus Econ Stat* 6(1):87-95; Montgomery DC,
    *Introduction to Statistical Quality Control* (p- and u-charts).
    """
    if vast_na_punten is not None and int(vast_na_punten) < 2:
        raise ValueError("vast_na_punten moet minstens 2 zijn.")
    t = _voorbereid(tabel)
    delen = []
    for sleutel, df in _reeksen(t):
        gemeente, wijkteam, code, uitsplitsing = sleutel
        stype = _statistiek_type(code, type)
        richting_beter = _beter(code, beter)
        soort_kaart = _kies_kaart(code, kaart, stype, df)
        ok = df["waarde"].notna()
        if soort_kaart != "XmR":
            ok &= df["teller"].notna()
        df = df.loc[ok].reset_index(drop=True)
        n = len(df)
        if n == 0:
            continue
        basis_ok = _in_basis(df)
        if soort_kaart != "XmR":
            x = (df["teller"] / df["noemer"]).to_numpy(float)
        else:
            x = df["waarde"].to_numpy(float)
        teller = df["teller"].to_numpy(float)
        noemer = df["noemer"].to_numpy(float)
        maand = pd.DatetimeIndex(df["periode_start"]).month.to_numpy()
        s_ok = _per_code(seizoen, code)
        if s_ok is None:
            s_ok = code in SEIZOEN_INDICATOREN
        s_ok = bool(s_ok) and soort_kaart == "XmR" and _stap_maanden(df["periode_start"]) == 1
        grenzen = _data(herbereken_bij, gemeente)
        segment = np.searchsorted(np.array(grenzen, dtype="datetime64[ns]"), df["periode_start"].to_numpy(), side="right")
        c, sd = np.full(n, np.nan), np.full(n, np.nan)
        regel = np.array([""] * n, dtype=object)
        alle = np.array([""] * n, dtype=object)
        richting = np.zeros(n, dtype=int)
        basislijn = np.array([""] * n, dtype=object)
        in_basis = np.zeros(n, dtype=bool)
        namen, korte, geen_seizoen = [], [], []
        for s in np.unique(segment):
            idx = np.flatnonzero(segment == s)
            kandidaat = basis_ok[idx]
            basis = kandidaat.copy()
            if vast_na_punten is not None:
                basis &= np.cumsum(kandidaat) <= int(vast_na_punten)
            in_basis[idx] = kandidaat
            start = df["periode_start"].iloc[idx[0]]
            nb = int(basis.sum())
            if nb == 0:
                korte.append((start, 0))
                continue
            cs, ss, prof, naam = _segment(
                soort_kaart, x[idx], teller[idx], noemer[idx], maand[idx], basis,
                scherm=scherm_uitschieters, laney=laney, seizoen=s_ok,
            )
            c[idx], sd[idx] = cs, ss
            met_seizoen = bool(np.any(prof != 0))
            namen.append(naam)
            basislijn[idx] = _basislijn_tekst(vast_na_punten, met_seizoen, nb)
            if s_ok and not met_seizoen:
                geen_seizoen.append(start)
            if nb < MIN_PUNTEN:
                korte.append((start, nb))
            # rules on the baseline-eligible points only, in time order; with a month
            # profile on the deseasonalised values (a seasonal rise is no 7-point trend)
            e = np.flatnonzero(kandidaat)
            xe, ce, se = x[idx][e] - prof[e], cs[e] - prof[e], ss[e]
            with np.errstate(invalid="ignore"):
                regel[idx[e]], richting[idx[e]], alle[idx[e]] = _regels(
                    xe, ce, ce - 3 * se, ce + 3 * se, ce - 2 * se, ce + 2 * se
                )
        lo, hi = c - 3 * sd, c + 3 * sd
        lo2, hi2 = c - 2 * sd, c + 2 * sd
        if soort_kaart == "p":
            lo, hi, lo2, hi2 = (np.clip(v, 0.0, 1.0) for v in (lo, hi, lo2, hi2))
        elif soort_kaart == "u":
            lo, lo2 = np.maximum(lo, 0.0), np.maximum(lo2, 0.0)
        waarschuwing = _waarschuwing(n, korte, segment, geen_seizoen)
        soort = np.array([_soort(int(r), richting_beter) for r in richting], dtype=object)
        laatste = int(np.flatnonzero(in_basis)[-1]) if in_basis.any() else n - 1
        variatie = "gewone oorzaak" if regel[laatste] == "" else f"speciale oorzaak - {soort[laatste]}"
        uit = pd.DataFrame(
            {
                "gemeente": gemeente,
                "wijkteam": wijkteam,
                "indicator": code,
                "uitsplitsing": uitsplitsing,
                "periode_start": df["periode_start"],
                "waarde": df["waarde"].to_numpy(float),
                "middenlijn": c,
                "onder_procesgrens": lo,
                "boven_procesgrens": hi,
                "regel": regel.astype(str),
                "soort": soort.astype(str),
                "grafiek": " / ".join(dict.fromkeys(namen)) if namen else soort_kaart,
                "n_punten": n,
                "waarschuwing": waarschuwing,
                "variatie": variatie,
                "borging": _borging(_doel(code, doel), richting_beter, lo[laatste], hi[laatste]),
                "onder_2sigma": lo2,
                "boven_2sigma": hi2,
                "regels": alle.astype(str),
                "in_basis": in_basis,
                "basislijn": basislijn.astype(str),
            }
        )
        delen.append(uit)
    if not delen:
        return pd.DataFrame(columns=SPC_KOLOMMEN)
    return pd.concat(delen, ignore_index=True)[SPC_KOLOMMEN]


def _waarschuwing(n: int, korte, segment, geen_seizoen) -> str:
    delen = []
    if len(np.unique(segment)) == 1 and korte:
        nb = korte[0][1]
        delen.append(
            f"Minder dan {MIN_PUNTEN} punten (n = {nb}): de procesgrenzen zijn voorlopig en signalen zijn onzeker"
        )
    elif korte:
        delen += [
            f"Deel vanaf {d.date().isoformat()} heeft minder dan {MIN_PUNTEN} punten (n = {k}): "
            "de procesgrenzen daar zijn voorlopig"
            for d, k in korte
        ]
    if geen_seizoen:
        delen.append(
            f"Geen seizoenscorrectie: minder dan {SEIZOEN_MIN_PUNTEN} volledige maanden in de basis "
            "(elke kalendermaand twee keer nodig); seizoenspieken kunnen als signaal verschijnen"
        )
    return ("; ".join(delen) + ".") if delen else ""


def spc_signalen(spc_tabel: pd.DataFrame) -> pd.DataFrame:
    """Only the points of :func:`spc` output with a special-cause signal.

    Parameters
    ----------
    spc_tabel : DataFrame
        Output of :func:`spc`; not modified.

    Returns
    -------
    DataFrame
        Series keys, ``periode_start``, ``waarde``, ``middenlijn``,
        ``onder_procesgrens``, ``boven_procesgrens``, ``regel``, ``soort`` for the points
        with ``regel != ""``, in the order of the input.
    """
    ontbreekt = [k for k in SIGNAAL_KOLOMMEN if k not in spc_tabel.columns]
    if ontbreekt:
        raise ValueError(f"Dit is geen spc()-uitvoer: kolom(men) {', '.join(ontbreekt)} ontbreken.")
    return spc_tabel.loc[spc_tabel["regel"] != "", SIGNAAL_KOLOMMEN].reset_index(drop=True)

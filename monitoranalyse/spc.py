"""Statistical process control (SPC) in the style of NHS England "Making Data Count".

Which changes in an indicator are *signal* and which are *noise*? Per series of the
tidy indicator table (gemeente, wijkteam, indicator, uitsplitsing over periode_start)
:func:`spc` draws the process limits of an XmR chart (or a p-chart for proportions with
their denominators) and marks special-cause variation with the four MDC rules;
:func:`spc_signalen` keeps only the points with a signal (input for the list of teams
that warrant nader onderzoek).

This module is our own code: statsmodels/scipy have no SPC charts, and no maintained
Python library implements the MDC rule set with its improvement/concern colouring and
assurance against a target (the reference implementation is the R package
NHSRplotthedots). The rules are therefore tested on hand-made series in
tests/test_spc.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .contract import Beleidswijziging
from .trend import REEKS_SLEUTELS, _beter, _catalogus_item, _reeksen, _statistiek_type, _voorbereid

__all__ = ["spc", "spc_signalen", "REGELS", "SPC_KOLOMMEN", "SIGNAAL_KOLOMMEN"]

#: Special-cause rules in priority order: code -> Dutch description.
REGELS: dict[str, str] = {
    "buiten_procesgrens": "een punt buiten de procesgrenzen",
    "trend": "7 punten op rij stijgend of dalend",
    "twee_van_drie": "2 van 3 opeenvolgende punten voorbij 2 sigma aan dezelfde kant",
    "verschuiving": "7 punten op rij aan één kant van de middenlijn",
}
#: XmR constants: 2.66 = 3/d2 with d2 = 1.128 (n = 2); 3.267 = D4 for moving ranges of 2.
XMR_FACTOR = 2.66
MR_SCHERM_FACTOR = 3.267
MIN_PUNTEN = 12
RUN = 7

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
SPC_KOLOMMEN = [*SIGNAAL_KOLOMMEN, "grafiek", "n_punten", "waarschuwing", "variatie", "borging"]


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


def _regels(x, c, lo, hi, lo2, hi2) -> tuple[np.ndarray, np.ndarray]:
    """Highest-priority rule per point and its direction (+1 high, -1 low, 0 none).

    All arrays belong to one segment (limits are not shared across a rebase).
    """
    n = len(x)
    regel = np.array([""] * n, dtype=object)
    richting = np.zeros(n, dtype=int)
    hits: list[tuple[str, np.ndarray]] = []
    # (1) outside the process limits
    buiten = np.where(x > hi, 1, np.where(x < lo, -1, 0))
    hits.append(("buiten_procesgrens", buiten))
    # (2) 7 consecutive points each strictly higher (lower) than the one before: 6 equal
    # signs of the differences; a tie (difference 0) breaks the run.
    trend = np.zeros(n, dtype=int)
    if n >= RUN:
        d = np.sign(np.diff(x)).astype(int)
        for teken in (1, -1):
            m = _runs(np.where(d == teken, teken, 0), RUN - 1)
            for k in np.flatnonzero(m):  # difference k links points k and k+1
                trend[k] = trend[k + 1] = teken
    hits.append(("trend", trend))
    # (3) 2 of 3 consecutive points beyond 2 sigma on the same side (points beyond the
    # 3-sigma limit count too); the points beyond 2 sigma are flagged.
    voorbij = np.where(x > hi2, 1, np.where(x < lo2, -1, 0))
    twee = np.zeros(n, dtype=int)
    for i in range(max(n - 2, 0)):
        w = voorbij[i : i + 3]
        for teken in (1, -1):
            if (w == teken).sum() >= 2:
                for k in range(i, i + 3):
                    if voorbij[k] == teken:
                        twee[k] = teken
    hits.append(("twee_van_drie", twee))
    # (4) 7 consecutive points on one side of the centre line; a point on it breaks the run
    kant = np.sign(x - c).astype(int)
    m = _runs(kant, RUN)
    hits.append(("verschuiving", np.where(m, kant, 0)))
    for naam, h in reversed(hits):  # lower priority first, overwritten by higher
        raak = h != 0
        regel[raak] = naam
        richting[raak] = h[raak]
    return regel, richting


def _grenzen_xmr(x: np.ndarray, scherm: bool) -> tuple[float, float]:
    """Centre line and mean moving range of one segment."""
    c = float(np.mean(x))
    mr = np.abs(np.diff(x))
    if len(mr) == 0:
        return c, np.nan
    mmr = float(np.mean(mr))
    if scherm:
        houden = mr <= MR_SCHERM_FACTOR * mmr
        if houden.any():
            mmr = float(np.mean(mr[houden]))
    return c, mmr


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


def spc(
    tabel: pd.DataFrame,
    *,
    type: str | Mapping[str, str] | None = None,
    beter: str | Mapping[str, str] | None = None,
    doel: float | Mapping[str, float] | None = None,
    herbereken_bij: Iterable[Any] | None = None,
    scherm_uitschieters: bool = False,
) -> pd.DataFrame:
    """SPC chart values and Making Data Count signals for every series.

    Parameters
    ----------
    tabel : DataFrame
        Tidy indicator table (``contract.INDICATOR_KOLOMMEN``); not modified.
    type : str or dict, optional
        Statistic type (overrides the catalog). ``proportie`` with a noemer gives a
        p-chart, every other type an XmR chart. Dutch ValueError when unknown.
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
        XmR only: leave moving ranges above 3.267 x mean moving range out of the mean
        moving range (one pass), so that one outlier does not widen the limits.

    Returns
    -------
    DataFrame
        One row per point: series keys; ``periode_start``; ``waarde``; ``middenlijn``;
        ``onder_procesgrens``/``boven_procesgrens`` (3 sigma); ``regel`` (code of the
        highest-priority rule hit, see :data:`REGELS`, or ""); ``soort``
        ("verbetering"/"zorg"/"neutraal", "" without signal). Per series (repeated on
        each row): ``grafiek`` ("XmR"/"p"); ``n_punten``; ``waarschuwing`` (Dutch,
        "" from 12 points per segment); ``variatie`` ("gewone oorzaak" or
        "speciale oorzaak - verbetering/zorg/neutraal", judged on the latest point as
        the MDC variation icon); ``borging`` ("haalt het doel consequent", "haalt het
        doel consequent niet", "wisselend", or "" without target or direction; from the
        limits at the latest point).

    Notes
    -----
    XmR: centre ``x̄``; limits ``x̄ ± 2.66 · mean|x_i - x_{i-1}|`` (2.66 = 3/1.128);
    the 2-sigma lines lie at 2/3 of that distance.
    p-chart: ``p̄ = Σteller/Σnoemer``, limits ``p̄ ± 3 sqrt(p̄(1-p̄)/n_i)`` per point
    (clipped to [0, 1]), 2-sigma lines with factor 2.
    Rules, in priority order (a point gets the highest one it is part of):
    (1) a point outside the limits; (2) 7 consecutive points each higher (or each
    lower) than the previous -- a tie breaks the run; (3) 2 of 3 consecutive points
    beyond the 2-sigma line on the same side; (4) 7 consecutive points on one side of
    the centre line -- a point on the line breaks the run. High signals are an
    improvement when ``beter == "hoger"``, a concern when ``"lager"``.
    Assurance: a target outside the limits is met (or missed) consistently; inside
    them the process will sometimes meet it ("wisselend").

    References
    ----------
    NHS England / NHS Improvement (2019, 2021), *Making Data Count* and *Making Data
    Count: Strengthening your decisions*; Wheeler DJ, *Understanding Variation* (2000);
    Montgomery DC, *Introduction to Statistical Quality Control* (p-chart).
    """
    t = _voorbereid(tabel)
    delen = []
    for sleutel, df in _reeksen(t):
        gemeente, wijkteam, code, uitsplitsing = sleutel
        stype = _statistiek_type(code, type)
        richting_beter = _beter(code, beter)
        p_kaart = stype == "proportie" and df["noemer"].notna().all() and (df["noemer"] > 0).all()
        ok = df["waarde"].notna()
        if p_kaart:
            ok &= df["teller"].notna()
        df = df.loc[ok].reset_index(drop=True)
        n = len(df)
        if n == 0:
            continue
        x = (df["teller"] / df["noemer"]).to_numpy(float) if p_kaart else df["waarde"].to_numpy(float)
        grenzen = _data(herbereken_bij, gemeente)
        segment = np.searchsorted(np.array(grenzen, dtype="datetime64[ns]"), df["periode_start"].to_numpy(), side="right")
        c = np.full(n, np.nan)
        lo, hi, lo2, hi2 = (np.full(n, np.nan) for _ in range(4))
        regel = np.array([""] * n, dtype=object)
        richting = np.zeros(n, dtype=int)
        korte = []
        for s in np.unique(segment):
            idx = np.flatnonzero(segment == s)
            xs = x[idx]
            if p_kaart:
                nn = df["noemer"].to_numpy(float)[idx]
                pbar = float(df["teller"].to_numpy(float)[idx].sum() / nn.sum())
                sd = np.sqrt(pbar * (1 - pbar) / nn)
                c[idx] = pbar
                lo[idx], hi[idx] = np.maximum(pbar - 3 * sd, 0.0), np.minimum(pbar + 3 * sd, 1.0)
                lo2[idx], hi2[idx] = pbar - 2 * sd, pbar + 2 * sd
            else:
                centrum, mmr = _grenzen_xmr(xs, scherm_uitschieters)
                c[idx] = centrum
                lo[idx], hi[idx] = centrum - XMR_FACTOR * mmr, centrum + XMR_FACTOR * mmr
                lo2[idx], hi2[idx] = centrum - 2 / 3 * XMR_FACTOR * mmr, centrum + 2 / 3 * XMR_FACTOR * mmr
            with np.errstate(invalid="ignore"):
                regel[idx], richting[idx] = _regels(xs, c[idx], lo[idx], hi[idx], lo2[idx], hi2[idx])
            if len(idx) < MIN_PUNTEN:
                korte.append((df["periode_start"].iloc[idx[0]], len(idx)))
        waarschuwing = ""
        if n < MIN_PUNTEN:
            waarschuwing = (
                f"Minder dan {MIN_PUNTEN} punten (n = {n}): de procesgrenzen zijn voorlopig en "
                "signalen zijn onzeker."
            )
        elif korte:
            waarschuwing = "; ".join(
                f"Deel vanaf {d.date().isoformat()} heeft minder dan {MIN_PUNTEN} punten (n = {k}): "
                "de procesgrenzen daar zijn voorlopig"
                for d, k in korte
            ) + "."
        soort = np.array([_soort(int(r), richting_beter) for r in richting], dtype=object)
        variatie = "gewone oorzaak" if regel[-1] == "" else f"speciale oorzaak - {soort[-1]}"
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
                "grafiek": "p" if p_kaart else "XmR",
                "n_punten": n,
                "waarschuwing": waarschuwing,
                "variatie": variatie,
                "borging": _borging(_doel(code, doel), richting_beter, lo[-1], hi[-1]),
            }
        )
        delen.append(uit)
    if not delen:
        return pd.DataFrame(columns=SPC_KOLOMMEN)
    return pd.concat(delen, ignore_index=True)[SPC_KOLOMMEN]


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

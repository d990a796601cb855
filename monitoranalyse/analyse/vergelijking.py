"""Comparing teams: funnel plots, overdispersion, case-mix O/E, bollen profile, typology.

Everything here answers the rekenkamer's question "how do teams compare, and where is
*nader onderzoek* warranted?" (../shared/DOMAIN.md). The functions read the tidy
indicator table (:data:`~monitoranalyse.contract.INDICATOR_KOLOMMEN`) or the canonical
tables of a :class:`~monitoranalyse.invoer.monitordata.Monitordata` and return tidy frames.

Funnel limits are written here because no maintained Python library computes them the
way public-health indicator systems do. They follow PHEindicatormethods
(``calculate_funnel_limits`` / ``assign_funnel_significance``, UKHSA, version 2.1.0)
and Spiegelhalter (2005), and are tested against that package's reference vectors in
``../shared/reference/phe``.

Statistic names (``statistiek``/``type``) are those of :mod:`monitoranalyse.indicatoren.catalogus`:

=============  ===============================================  ===========================
statistiek     what it is                                       PHE equivalent
=============  ===============================================  ===========================
``proportie``  teller/noemer in [0, 1]                          ``statistic="proportion"``
``ratio``      a rate teller/noemer, noemer an exposure         ``statistic="rate"``
               (per fte, per inwoner)                           (``rate_type="crude"``)
``oe``         waargenomen/verwacht (O/E, e.g. case-mix)        ``statistic="ratio"``
``gemiddelde`` a mean (teller = sum, noemer = n)                (normal approximation)
``mediaan``    a median (noemer = n)                            (normal approximation)
=============  ===============================================  ===========================

Note the naming trap: the catalog's ``ratio`` is PHE's *rate*; PHE's *ratio* is our ``oe``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import special, stats

from monitoranalyse.contract import LICHTE_ZORG, MAATWERK, TOTAAL, in_basis
from monitoranalyse.indicatoren import catalogus
from monitoranalyse.indicatoren.tabel import controleer_tabel

__all__ = [
    "POSITIES",
    "funnel_grenzen",
    "funnel_lijnen",
    "funnel_positie",
    "overspreiding",
    "funnel",
    "kleinste_aantoonbare_verschil",
    "zin_kleinste_verschil",
    "toelichting_binnen",
    "ONDERSCHEIDEND_VERMOGEN",
    "casemix_oe",
    "bollen_profiel",
    "team_typologie",
]

#: Dutch labels of a team's position in a funnel, from low to high.
POSITIES: tuple[str, ...] = ("onder 99,8%", "onder 95%", "binnen", "boven 95%", "boven 99,8%")
#: The two funnel levels as tail probabilities (PHE: p = .025/.975 and .001/.999).
_NIVEAUS = {"95": 0.025, "998": 0.001}
_Z = {k: float(stats.norm.isf(a)) for k, a in _NIVEAUS.items()}  # 1.95996, 3.09023
_FUNNEL_TYPES = ("proportie", "ratio", "oe", "gemiddelde", "mediaan")
_GRENS_KOLOMMEN = ("ondergrens_95", "bovengrens_95", "ondergrens_998", "bovengrens_998")
#: Power at which a difference counts as detectable (issue 19): 80%, the usual choice
#: in sample-size planning (Cohen 1988).
ONDERSCHEIDEND_VERMOGEN = 0.80
_KLEINSTE_KOLOMMEN = ("kleinste_verschil_omhoog", "kleinste_verschil_omlaag")


def _controleer_type(statistiek: str) -> str:
    if statistiek not in _FUNNEL_TYPES:
        raise ValueError(
            f"funnel voor statistiek '{statistiek}' kan niet; mogelijk: {', '.join(_FUNNEL_TYPES)}"
            " (aantallen en bedragen hebben geen noemer om teams op te vergelijken)"
        )
    return statistiek


# ---------------------------------------------------------------------------
# Funnel limits (PHEindicatormethods)
# ---------------------------------------------------------------------------


def _wilson_grens(p: float, n: np.ndarray, doel: float, kant: str) -> np.ndarray:
    """PHE ``sigma_adjustment``: the proportion whose Wilson score bound equals ``doel``.

    Closed-form root of the quadratic obtained by setting the Wilson score limit of an
    observed proportion at denominator ``n`` equal to the target (Fingertips technical
    guidance; PHEindicatormethods ``sigma_adjustment``).
    """
    z2 = stats.norm.ppf(p) ** 2
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        eerste = doel * (n / z2 + 1)
        wortel = np.sqrt(
            (-8 * doel * (n / z2 + 1)) ** 2
            - 64 * (1 / z2 + 1 / n) * doel * (n * (doel * (n / z2 + 2) - 1) + z2 * (doel - 1))
        )
        laatste = 1 / z2 + 1 / n
        teken = -1.0 if kant == "onder" else 1.0
        return (eerste + teken * wortel / 8) / laatste / n


def _poisson_grens_aantal(verwacht: np.ndarray, staart: float, kant: str) -> np.ndarray:
    """Observed count (continuous) on the exact Poisson funnel limit at ``verwacht``.

    Lower limit: the O with ``P(X <= O | E) = staart``; upper: ``P(X >= O | E) = staart``,
    using the gamma form of the Poisson tail so that O may be fractional (this is the
    inverse of PHE's ``poisson_funnel``, which solves E for integer O). ``gdtrib``
    (scipy) inverts the gamma CDF for its shape parameter.
    """
    e = np.asarray(verwacht, dtype=float)
    with np.errstate(invalid="ignore"):
        if kant == "onder":
            o = special.gdtrib(1.0, 1.0 - staart, e) - 1.0
        else:
            o = special.gdtrib(1.0, staart, e)
    return np.where(e > 0, np.maximum(o, 0.0), np.nan)


def _exact_geinterpoleerd(verdeling: str, n: np.ndarray, doel: float, p: float) -> np.ndarray:
    """Spiegelhalter (2005, Stat Med, appendix A.1.1) interpolated exact limit count.

    ``r_p`` is the p-quantile of Binomial(n, doel) (or Poisson(E)): the smallest r with
    ``F(r) >= p``; ``alpha = (F(r_p) - p) / (F(r_p) - F(r_p - 1))``; the limit count is
    ``r_p - alpha`` (divide by n for a proportion, by E for O/E). The interpolation makes
    the drawn limit smooth in n; it is what FunnelPlotR and the Spiegelhalter funnel
    spreadsheets draw for exact limits.
    """
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        if verdeling == "binomiaal":
            nn = np.maximum(np.round(n), 0)
            d = stats.binom(nn, doel)
        else:
            d = stats.poisson(n)
        r = d.ppf(p)
        f_r, f_r1 = d.cdf(r), d.cdf(r - 1)
        alpha = np.where(f_r - f_r1 > 0, (f_r - p) / (f_r - f_r1), 0.0)
        return np.where(n > 0, r - alpha, np.nan)


def funnel_grenzen(
    statistiek: str,
    noemers_of_verwacht,
    doel: float,
    *,
    sigma: float | None = None,
    vermenigvuldiger: float = 1.0,
    methode: str = "exact",
) -> pd.DataFrame:
    """Funnel control limits (95% and 99.8%) as a function of the denominator.

    Parameters
    ----------
    statistiek : {"proportie", "ratio", "oe", "gemiddelde", "mediaan"}
        See the module docstring.
    noemers_of_verwacht : array-like
        Denominators (proportie: number of trajecten; ratio: exposure such as fte or
        inwoners; gemiddelde/mediaan: n), or for ``oe`` the expected counts E.
    doel : float
        The target/baseline the funnel is centred on, on the unscaled scale: a fraction
        for proportie, events per unit of noemer for ratio, the mean/median for
        gemiddelde/mediaan. Ignored for ``oe`` (the target of O/E is 1).
    sigma : float, optional
        Unit standard deviation, required for gemiddelde/mediaan (limits
        ``doel ± z·sigma/√n``).
    vermenigvuldiger : float
        Scale of the output (100 = percentages; 1e5 = per 100.000). Default 1.
    methode : {"exact", "phe"}
        proportie, ratio, oe: ``"exact"`` (default) draws the interpolated exact
        binomial/Poisson limits of Spiegelhalter (2005, appendix), as FunnelPlotR and
        Spiegelhalter's own tools do; ``"phe"`` reproduces PHEindicatormethods (Wilson
        closed form for proportions, the continuous Poisson tail for counts).

    Returns
    -------
    DataFrame
        One row per input value with columns ``noemer`` (or ``verwacht`` for oe),
        ``doel`` (scaled), ``ondergrens_95``, ``bovengrens_95``, ``ondergrens_998``,
        ``bovengrens_998`` (scaled).

    Notes
    -----
    * ``methode="exact"``: proportie ``(r_p - alpha)/n`` with r_p the p-quantile of
      Binomial(n, doel); ratio/oe the same with Poisson(E), E = doel·noemer (ratio) or
      the expected count (oe), divided by the noemer/E. p = .025/.975 and .001/.999.
      Clipped to [0, 1] (proportie) and to >= 0 (ratio, oe).
    * proportie, ``methode="phe"``: PHE's closed form (``sigma_adjustment``): the
      proportion whose Wilson score limit at p = .975/.999 equals the target; clipped to
      [0, 1]·vermenigvuldiger. This is PHE's practical stand-in for exact limits.
    * oe and ratio: exact Poisson limits. For expected count E (ratio: E = doel·noemer)
      the limit count O solves ``P(X <= O | E) = .025/.001`` (lower) or
      ``P(X >= O | E) = .025/.001`` (upper), continuous in O through the incomplete
      gamma function; the limit is O/E (ratio: O/noemer). These are PHE's ratio/rate
      funnels, which solve the same equation for E at integer O.
    * gemiddelde/mediaan: normal limits ``doel ± z·sigma/√n`` with z = 1.960 / 3.090.

    References
    ----------
    Spiegelhalter, D.J. (2005). Funnel plots for comparing institutional performance.
    Statistics in Medicine 24: 1185-1202.
    PHEindicatormethods (UKHSA), ``calculate_funnel_limits``; Fingertips technical guidance.

    Examples
    --------
    >>> g = funnel_grenzen("proportie", [100], 0.5)
    >>> round(float(g["bovengrens_95"].iloc[0]), 3)
    0.593
    """
    statistiek = _controleer_type(statistiek)
    if methode not in ("exact", "phe"):
        raise ValueError(f"methode moet 'exact' of 'phe' zijn, niet {methode!r}")
    x = np.atleast_1d(np.asarray(noemers_of_verwacht, dtype=float))
    uit = {"verwacht" if statistiek == "oe" else "noemer": x}
    if methode == "exact" and statistiek in ("proportie", "ratio", "oe"):
        verdeling = "binomiaal" if statistiek == "proportie" else "poisson"
        e = x if statistiek != "ratio" else doel * x
        for niveau, staart in _NIVEAUS.items():
            with np.errstate(invalid="ignore", divide="ignore"):
                lo = _exact_geinterpoleerd(verdeling, e, doel, staart) / x
                hi = _exact_geinterpoleerd(verdeling, e, doel, 1 - staart) / x
            lo = np.maximum(lo, 0.0)
            if statistiek == "proportie":
                hi = np.minimum(hi, 1.0)
            uit[f"ondergrens_{niveau}"], uit[f"bovengrens_{niveau}"] = lo, hi
        d = 1.0 if statistiek == "oe" else doel
    elif statistiek == "proportie":
        for niveau, staart in _NIVEAUS.items():
            p = 1 - staart
            uit[f"ondergrens_{niveau}"] = np.maximum(0.0, _wilson_grens(p, x, doel, "onder"))
            uit[f"bovengrens_{niveau}"] = np.minimum(1.0, _wilson_grens(p, x, doel, "boven"))
        d = doel
    elif statistiek in ("oe", "ratio"):
        e = x if statistiek == "oe" else doel * x
        for niveau, staart in _NIVEAUS.items():
            with np.errstate(invalid="ignore", divide="ignore"):
                uit[f"ondergrens_{niveau}"] = _poisson_grens_aantal(e, staart, "onder") / x
                uit[f"bovengrens_{niveau}"] = _poisson_grens_aantal(e, staart, "boven") / x
        d = 1.0 if statistiek == "oe" else doel
    else:
        if sigma is None or not np.isfinite(sigma):
            raise ValueError(f"voor een funnel van een {statistiek} is sigma (spreiding) nodig")
        with np.errstate(divide="ignore"):
            se = sigma / np.sqrt(x)
        for niveau, z in _Z.items():
            uit[f"ondergrens_{niveau}"] = doel - z * se
            uit[f"bovengrens_{niveau}"] = doel + z * se
        d = doel
    df = pd.DataFrame(uit)
    df.insert(1, "doel", float(d))
    for k in ("doel", *_GRENS_KOLOMMEN):
        df[k] = df[k] * vermenigvuldiger
    return df


def _afrond_omlaag(x: float, fractie: float = 0.95) -> float:
    """PHE ``signif.floor``: round x·0.95 down to its leading digit."""
    if x == 0:
        return 0.0
    v = np.floor(x * fractie)
    n = len(str(int(v))) - 1
    return float(np.floor(x * fractie / 10**n) * 10**n)


def _afrond_omhoog(x: float, fractie: float = 1.05) -> float:
    """PHE ``signif.ceiling``: round x·1.05 up to its two leading digits."""
    if x == 0:
        return 0.0
    v = np.ceil(x * fractie)
    n = len(str(int(v))) - 2
    return float(np.ceil(x * fractie / 10.0**n) * 10.0**n)


def _phe_as(minimum: float, maximum: float, verschuiving: int) -> np.ndarray:
    """The 100 x-values of a PHE funnel: geometric steps of at least 1."""
    punten = [max(1.0, minimum)]
    for j in range(2, 101):
        offset = j - verschuiving
        vorige = punten[-1]
        # R's round() rounds half to even, as np.round does
        stap = float(np.round((maximum / vorige) ** (1 / (101 - offset)) * vorige))
        punten.append(max(stap, vorige + 1))
    return np.array(punten)


def funnel_lijnen(
    statistiek: str,
    teller,
    noemer,
    *,
    doel: float | None = None,
    jaren: float = 1.0,
    vermenigvuldiger: float = 1.0,
) -> pd.DataFrame:
    """The 100-point funnel lines for a plot, on PHE's axis (``calculate_funnel_limits``).

    Parameters
    ----------
    statistiek : {"proportie", "ratio", "oe"}
    teller, noemer : array-like
        The teams' numerators and denominators (oe: observed and expected counts;
        ratio: events and exposure). They fix the axis range and, when ``doel`` is
        None, the baseline ``sum(teller)/sum(noemer)``.
    doel : float, optional
        Baseline (unscaled); default the pooled value (oe: 1).
    jaren : float
        ratio only: years the exposure covers; the x-axis is exposure per year
        (PHE ``years_of_data``).
    vermenigvuldiger : float
        Scale of the limits (100 = percent, 1e5 = per 100.000).

    Returns
    -------
    DataFrame
        Long format, one row per point per line: ``grens`` (one of
        ``ondergrens_95``, ``bovengrens_95``, ``ondergrens_998``, ``bovengrens_998``),
        ``x`` (denominator; oe: expected count; ratio: exposure per year),
        ``y`` (limit, scaled), ``waargenomen`` (oe/ratio: the observed count on the
        grid, else NaN) and ``doel`` (scaled baseline).

    Notes
    -----
    Axis as in PHE: from 0 when max > 2·min, else from ``min·0.95`` rounded down to its
    leading digit; up to ``max·1.05`` rounded up to two leading digits; 100 geometric
    steps. proportie: grid over the denominator, limits by :func:`funnel_grenzen`.
    oe and ratio: grid over the observed count O (ratio: the axis in events =
    axis·baseline); for each O the expected count E on the limit is the exact Poisson
    quantile ``E = χ²_{1-a}(2O+2)/2`` (lower line) or ``χ²_{a}(2O)/2`` (upper line),
    and the limit is O/E (ratio: baseline·O/E, with x = E/baseline/jaren).
    """
    statistiek = _controleer_type(statistiek)
    if statistiek not in ("proportie", "ratio", "oe"):
        raise ValueError("funnel_lijnen kent proportie, ratio en oe; gebruik funnel_grenzen")
    t = np.asarray(teller, dtype=float)
    n = np.asarray(noemer, dtype=float)
    if doel is None:
        doel = 1.0 if statistiek == "oe" else float(np.nansum(t) / np.nansum(n))
    lo, hi = float(np.nanmin(n)), float(np.nanmax(n))
    if statistiek == "ratio":
        lo, hi = lo / jaren, hi / jaren
    as_min = 0.0 if hi > 2 * lo else _afrond_omlaag(lo)
    as_max = _afrond_omhoog(hi)
    if statistiek == "ratio":
        as_min, as_max = as_min * jaren, as_max * jaren
        as_min, as_max = float(np.floor(as_min * doel)), float(np.ceil(as_max * doel))
    rijen = []
    if statistiek == "proportie":
        x = _phe_as(as_min, as_max, 0)
        g = funnel_grenzen("proportie", x, doel, methode="phe")
        for k in _GRENS_KOLOMMEN:
            rijen.append(pd.DataFrame({"grens": k, "x": x, "y": g[k], "waargenomen": np.nan}))
    else:
        o = _phe_as(as_min, as_max, 1 if statistiek == "oe" else 0)
        for niveau, staart in _NIVEAUS.items():
            e_onder = stats.chi2.ppf(1 - staart, 2 * o + 2) / 2  # P(X <= O | E) = staart
            e_boven = stats.chi2.ppf(staart, 2 * o) / 2  # P(X >= O | E) = staart
            for naam, e in ((f"ondergrens_{niveau}", e_onder), (f"bovengrens_{niveau}", e_boven)):
                if statistiek == "oe":
                    x, y = e, o / e
                else:
                    x, y = e / doel / jaren, doel * o / e
                rijen.append(pd.DataFrame({"grens": naam, "x": x, "y": y, "waargenomen": o}))
    uit = pd.concat(rijen, ignore_index=True)
    uit["y"] = uit["y"] * vermenigvuldiger
    uit["doel"] = doel * vermenigvuldiger
    return uit


def funnel_positie(
    statistiek: str,
    teller,
    noemer,
    doel: float | None = None,
    *,
    sigma: float | None = None,
    methode: str = "exact",
) -> np.ndarray:
    """Position of each team relative to the funnel limits at its own denominator.

    Parameters
    ----------
    statistiek : {"proportie", "ratio", "oe", "gemiddelde", "mediaan"}
    teller, noemer : array-like
        proportie/ratio: numerator and denominator; oe: observed and expected counts;
        gemiddelde/mediaan: the value and n.
    doel : float, optional
        Baseline; default ``sum(teller)/sum(noemer)`` (PHE), 1 for oe. Required for
        gemiddelde/mediaan.
    sigma : float, optional
        Unit standard deviation for gemiddelde/mediaan.
    methode : {"exact", "phe"}
        ``"exact"`` compares with the interpolated exact limits of
        :func:`funnel_grenzen` (the funnel drawn); ``"phe"`` reproduces
        ``assign_funnel_significance``: for proportions the Wilson-based limits, for
        ratio/oe the interval of O (exact below 10, Byar from 10;
        :func:`monitoranalyse.statistiek.poisson_ci`) against the expected count.

    Returns
    -------
    ndarray of str
        One of :data:`POSITIES` per team (NaN inputs give ``"onbekend"``).

    Notes
    -----
    Values strictly beyond a limit count as outside, as in PHEindicatormethods.
    """
    statistiek = _controleer_type(statistiek)
    t = np.asarray(teller, dtype=float)
    n = np.asarray(noemer, dtype=float)
    if np.any(t < 0) and statistiek in ("proportie", "ratio", "oe"):
        raise ValueError("tellers moeten groter dan of gelijk aan nul zijn")
    if np.any(n <= 0):
        raise ValueError("noemers moeten groter dan nul zijn")
    if statistiek == "proportie" and np.any(t > n):
        raise ValueError("bij een proportie mag de teller niet groter zijn dan de noemer")
    if doel is None:
        if statistiek in ("gemiddelde", "mediaan"):
            raise ValueError(f"voor een {statistiek} is een doel (referentiewaarde) nodig")
        doel = 1.0 if statistiek == "oe" else float(np.nansum(t) / np.nansum(n))
    if statistiek in ("ratio", "oe") and methode == "phe":
        from monitoranalyse.statistiek import poisson_ci

        verwacht = n if statistiek == "oe" else doel * n
        boven = {}
        onder = {}
        for niveau, b in (("95", 0.95), ("998", 0.998)):
            lo, hi, _ = poisson_ci(t, b)
            onder[niveau] = np.where(t == 0, 0.0, lo)
            boven[niveau] = hi
        hoog998 = onder["998"] > verwacht
        hoog95 = onder["95"] > verwacht
        laag998 = boven["998"] < verwacht
        laag95 = boven["95"] < verwacht
        y = t
    else:
        g = funnel_grenzen(statistiek, n, doel, sigma=sigma, methode=methode)
        y = t if statistiek in ("gemiddelde", "mediaan") else t / n
        laag998 = y < g["ondergrens_998"].to_numpy()
        laag95 = y < g["ondergrens_95"].to_numpy()
        hoog998 = y > g["bovengrens_998"].to_numpy()
        hoog95 = y > g["bovengrens_95"].to_numpy()
    uit = np.select(
        [laag998, laag95, hoog998, hoog95],
        ["onder 99,8%", "onder 95%", "boven 99,8%", "boven 95%"],
        default="binnen",
    ).astype(object)
    uit[~(np.isfinite(y) & np.isfinite(n))] = "onbekend"
    return uit


# ---------------------------------------------------------------------------
# Overdispersion (Spiegelhalter 2005)
# ---------------------------------------------------------------------------


def _afkappen(z: np.ndarray, fractie: float) -> np.ndarray:
    """Mask of z-scores KEPT by the SHMI truncation (FunnelPlotR ``truncation``).

    Ranks (ties averaged) are grouped as ``floor(rank · k / (I + 1))`` with
    ``k = 1/fractie``; the lowest group (0) and the highest (>= k - 1) are dropped:
    about ``fractie`` of the units at each end, none with fewer than ``k - 1`` units.
    """
    k = 1 / fractie
    rang = stats.rankdata(z, method="average")
    groep = np.floor(rang * k / (len(z) + 1))
    return (groep > 0) & (groep < k - 1)


def overspreiding(z, se, *, winsor: float = 0.10, afkappen: bool = False) -> dict[str, float]:
    """Overdispersion of team z-scores: phi, its chi-square test, and tau².

    Parameters
    ----------
    z : array-like
        Standardised differences ``(y_i - θ0) / s_i`` of the teams.
    se : array-like
        The null standard errors ``s_i`` (same order), for the additive tau².
    winsor : float
        Fraction winsorised in each tail (Spiegelhalter: 10%): z-scores below the
        ``winsor`` quantile (linear interpolation, R type 7) are set to it, those above
        the ``1 − winsor`` quantile likewise (as FunnelPlotR does). Unlike winsorising a
        whole number of values, this also limits the extremes with fewer than 10 teams.
    afkappen : bool
        Truncate instead of winsorise (the SHMI method, FunnelPlotR's default for
        standardised ratios): the lowest and highest ``winsor`` fraction of the teams by
        rank are left out, and phi and tau² are computed on the others (I = the number
        kept).

    Returns
    -------
    dict
        ``n_teams`` (I), ``phi`` (mean squared winsorised z), ``chi2`` (I·phi),
        ``p_waarde`` (``P(χ²_{I-1} > I·phi)``), ``tau2`` (DerSimonian–Laird, ≥ 0).

    Notes
    -----
    ``phi = (1/I) Σ z_w²``; under no overdispersion ``I·phi ~ χ²_{I-1}``.
    ``tau² = max(0, (I·phi − (I − 1)) / (Σw − Σw²/Σw))`` with ``w = 1/s²``
    (Spiegelhalter 2005, eq. 5; DerSimonian & Laird 1986, with the winsorised phi).

    References
    ----------
    Spiegelhalter, D.J. (2005). Handling over-dispersion of performance indicators.
    Quality and Safety in Health Care 14: 347-351.
    """
    z = np.asarray(z, dtype=float)
    se = np.asarray(se, dtype=float)
    ok = np.isfinite(z) & np.isfinite(se) & (se > 0)
    z, se = z[ok], se[ok]
    i = len(z)
    if i < 2:
        return {"n_teams": i, "phi": np.nan, "chi2": np.nan, "p_waarde": np.nan, "tau2": np.nan}
    if afkappen:
        houd = _afkappen(z, winsor)
        z, se = z[houd], se[houd]
        i = len(z)
        if i < 2:
            return {"n_teams": i, "phi": np.nan, "chi2": np.nan, "p_waarde": np.nan, "tau2": np.nan}
        zw = z
    else:
        # quantile winsorising as in FunnelPlotR (R quantile type 7 = numpy "linear"):
        # also pulls in the extremes when there are fewer than 10 teams
        zw = np.clip(z, np.quantile(z, winsor), np.quantile(z, 1 - winsor))
    phi = float(np.mean(zw**2))
    w = 1 / se**2
    noemer = w.sum() - (w**2).sum() / w.sum()
    tau2 = max(0.0, (i * phi - (i - 1)) / noemer) if noemer > 0 else np.nan
    return {
        "n_teams": i,
        "phi": phi,
        "chi2": i * phi,
        "p_waarde": float(stats.chi2.sf(i * phi, i - 1)),
        "tau2": tau2,
    }


def _positie_uit_z(z: np.ndarray) -> np.ndarray:
    uit = np.select(
        [z < -_Z["998"], z < -_Z["95"], z > _Z["998"], z > _Z["95"]],
        ["onder 99,8%", "onder 95%", "boven 99,8%", "boven 95%"],
        default="binnen",
    ).astype(object)
    uit[~np.isfinite(z)] = "onbekend"
    return uit


def _schaal(statistiek: str, y: np.ndarray, t: np.ndarray, n: np.ndarray, doel: float):
    """Transformed values, target and null standard errors (FunnelPlotR defaults).

    Returns ``(Y, doel_t, s, terug, naam)``: ``terug`` maps the transformed scale back
    to the statistic. proportie: arcsine-square-root, ``s = 1/(2 sqrt(n))``; ratio and
    oe: log(O/E) (SHMI), ``s = 1/sqrt(E)`` with E = doel·noemer (ratio) or the
    expected count (oe) -- an O of 0 is set to 0.5 on the log scale; gemiddelde and
    mediaan: untransformed, ``s = sigma/sqrt(n)`` (passed in as ``doel`` scale by the
    caller).
    """
    if statistiek == "proportie":
        Y = np.arcsin(np.sqrt(np.clip(y, 0, 1)))

        def terug(v):
            return np.sin(np.clip(v, 0.0, np.pi / 2)) ** 2

        return Y, float(np.arcsin(np.sqrt(doel))), 1 / (2 * np.sqrt(n)), terug, "arcsinus-wortel"
    e = doel * n if statistiek == "ratio" else n
    o = np.where(t > 0, t, 0.5)
    with np.errstate(divide="ignore", invalid="ignore"):
        Y = np.log(o / e)

    def terug_log(v):
        return (doel if statistiek == "ratio" else 1.0) * np.exp(v)

    return Y, 0.0, 1 / np.sqrt(e), terug_log, "log(O/E)"


def _kleinste_verschil(doel_t, s_t, s_c, terug, *, bovengrens=np.inf, ondergrens=-np.inf,
                       z_grens: float = _Z["95"], kracht: float = ONDERSCHEIDEND_VERMOGEN):
    """Minimal detectable differences up and down on the statistic's own scale.

    A team whose true value lies ``delta = z_grens·s_c + z_kracht·s_t`` from the centre
    on the transformed scale has an observed value ``Y ~ N(doel_t ± delta, s_t²)`` (its
    own sampling noise) and falls beyond the limit ``doel_t ± z_grens·s_c`` with
    probability ``kracht`` (the opposite tail is ignored: < 0.1% at 80% power). The
    difference is back-transformed: ``terug(doel_t + delta) − terug(doel_t)`` and
    ``terug(doel_t) − terug(doel_t − delta)``; NaN when ``doel_t ± delta`` leaves the
    scale (a proportion cannot be that far from the centre: no such difference exists).
    """
    z_kracht = float(stats.norm.ppf(kracht))
    s_t = np.asarray(s_t, dtype=float)
    s_c = np.broadcast_to(np.asarray(s_c, dtype=float), s_t.shape)
    delta = z_grens * s_c + z_kracht * s_t
    midden = terug(np.asarray(doel_t, dtype=float))
    with np.errstate(invalid="ignore"):
        boven = doel_t + delta
        onder = doel_t - delta
        omhoog = np.where(boven <= bovengrens, terug(boven) - midden, np.nan)
        omlaag = np.where(onder >= ondergrens, midden - terug(onder), np.nan)
    return omhoog, omlaag


def zin_kleinste_verschil(
    verschil: float,
    eenheid: str,
    *,
    wat: str = "verschil",
    per_jaar: bool = False,
    waarmee: str = "met deze aantallen",
) -> str:
    """Dutch phrase saying which difference the data could not have shown.

    Goes next to every "binnen de grenzen" / "geen trend": absence of a signal is only
    informative when the data could have shown one (issue 19).

    Parameters
    ----------
    verschil : float
        Minimal detectable difference (positive), in the convention of ``eenheid``.
    eenheid : str
        ``"procentpunt"`` (``verschil`` a difference of fractions: 0.09 = 9 procentpunt),
        ``"procent"`` (a relative difference: 0.25 = 25%), or any unit name
        (``"dagen"``), in which case ``verschil`` is in that unit.
    wat : str
        What could not be seen: "verschil", "trend", "sprong", "hellingverandering".
    per_jaar : bool
        Add "per jaar" after the amount (slopes).
    waarmee : str
        The data it refers to ("met deze aantallen", "met deze reeks").

    Returns
    -------
    str
        E.g. ``"een verschil kleiner dan 9 procentpunt was met deze aantallen niet te
        zien"`` (lower case, no full stop, so it can be put after a semicolon). NaN
        (no difference of that size exists, e.g. a proportion near 100%) gives a phrase
        that even a very large difference could not be shown reliably.

    Examples
    --------
    >>> zin_kleinste_verschil(0.09, "procentpunt")
    'een verschil kleiner dan 9 procentpunt was met deze aantallen niet te zien'
    >>> zin_kleinste_verschil(0.021, "procentpunt", wat="trend", per_jaar=True, waarmee="met deze reeks")
    'een trend kleiner dan 2,1 procentpunt per jaar was met deze reeks niet te zien'
    """
    if verschil is None or not np.isfinite(verschil):
        groot = "groot" if wat == "verschil" else "grote"  # het verschil; de trend, de sprong
        return f"ook een zeer {groot} {wat} was {waarmee} niet betrouwbaar te zien"
    v = abs(float(verschil))
    if eenheid in ("procentpunt", "procent"):
        v = 100 * v
    dec = 0 if v >= 10 else (1 if v >= 0.1 else 2)
    from monitoranalyse.tekst import getal

    bedrag = getal(v, dec)
    if dec and bedrag.endswith("," + "0" * dec):
        bedrag = bedrag[: -(dec + 1)]  # "9" rather than "9,0"
    if eenheid == "procent":
        maat = f"{bedrag}%"
    else:
        maat = f"{bedrag} {eenheid}".rstrip()
    if per_jaar:
        maat += " per jaar"
    return f"een {wat} kleiner dan {maat} was {waarmee} niet te zien"


def toelichting_binnen(funnels: pd.DataFrame, indicator: str | None = None) -> str:
    """Dutch note for under a funnel: what "binnen de grenzen" could not have shown.

    Parameters
    ----------
    funnels : DataFrame
        Output of :func:`funnel` (several indicators may be stacked).
    indicator : str, optional
        Only this indicator.

    Returns
    -------
    str
        "" when no team lies within the limits, else e.g. ``"Binnen de grenzen is niet
        hetzelfde als geen verschil. Wijkteam Zuid: een verschil kleiner dan 18
        procentpunt was met deze aantallen niet te zien; Wijkteam Noord: ..."``, one part
        per team inside the (adjusted) 95% limits, smallest teams first (their phrase
        comes from the ``zin_kleinste_verschil`` column).
    """
    if funnels is None or funnels.empty or "zin_kleinste_verschil" not in funnels:
        return ""
    f = funnels if indicator is None else funnels[funnels["indicator"] == indicator]
    positie = f["positie_gecorrigeerd"] if "positie_gecorrigeerd" in f else f["positie"]
    f = f[positie == "binnen"]
    if "noemer" in f:  # released (disclosure-controlled) tables may lack it
        f = f.sort_values("noemer", kind="stable")
    if f.empty:
        return ""
    delen = [f"{r['wijkteam']}: {r['zin_kleinste_verschil']}" for r in f.to_dict("records")]
    return "Binnen de grenzen is niet hetzelfde als geen verschil. " + "; ".join(delen) + "."


def _funnel_eenheid(type: str, schaal: float, indicator: str) -> tuple[str, float]:
    """Unit convention of :func:`zin_kleinste_verschil` for a funnel, and the divisor."""
    if type == "proportie":
        return "procentpunt", schaal  # verschil/schaal is a difference of fractions
    if type in ("ratio", "oe"):
        return "procent", np.nan  # relative to the centre, computed by the caller
    e = _catalogus_eigenschap(indicator, "eenheid")
    return (e if e and e != "%" else "eenheden"), 1.0


def _kleinste_exact(statistiek: str, x: np.ndarray, doel: float, niveau: str, kracht: float):
    """Minimal detectable differences against the EXACT (unadjusted) funnel limits.

    The team's count is Binomial(n, p) (proportie) or Poisson(θ·noemer) / Poisson(θ·E)
    (ratio / oe); it is flagged when its value lies strictly beyond the interpolated
    exact limit of :func:`funnel_grenzen` (as :func:`funnel_positie` does), so the power
    at a true value is a binomial/Poisson tail, e.g. ``P(X > hi·n) = sf(floor(hi·n))``.
    The true value with power ``kracht`` is found by bisection (the power is monotone in
    it). NaN when even the most extreme value does not reach ``kracht`` -- e.g. a lower
    limit of 0: a small team with a low share can never be flagged as lower.
    """
    staart = _NIVEAUS[niveau]
    g = funnel_grenzen(statistiek, x, doel)
    lo = g[f"ondergrens_{niveau}"].to_numpy(float)
    hi = g[f"bovengrens_{niveau}"].to_numpy(float)
    if statistiek == "proportie":
        schaal_x = x
        nn = np.maximum(np.round(x), 0)

        def kans_boven(t, k):
            return stats.binom.sf(k, nn, t)

        def kans_onder(t, k):
            return stats.binom.cdf(k, nn, t)

        bereik_op = (np.full_like(x, doel), np.ones_like(x))
        bereik_neer = (np.zeros_like(x), np.full_like(x, doel))
    else:
        schaal_x = x  # ratio: value = X/noemer; oe: value = O/E -> X > limit·x
        basis = doel if statistiek == "ratio" else 1.0

        def kans_boven(t, k):
            return stats.poisson.sf(k, t * x)

        def kans_onder(t, k):
            return stats.poisson.cdf(k, t * x)

        ruim = np.exp(20 / np.sqrt(np.maximum(basis * x, 1e-9)) + 3)
        bereik_op = (np.full_like(x, basis), basis * ruim)
        bereik_neer = (np.full_like(x, basis * 1e-12), np.full_like(x, basis))
    del staart
    # strictly beyond the limit (funnel_positie): X > hi·x and X < lo·x
    k_hi = np.floor(hi * schaal_x + 1e-9)
    k_lo = np.ceil(lo * schaal_x - 1e-9) - 1

    def zoek(kans, k, a, b, stijgend):
        a, b = a.copy(), b.copy()
        geraakt = kans(b if stijgend else a, k) >= kracht
        for _ in range(60):
            m = (a + b) / 2
            hoog = kans(m, k) >= kracht
            # power rises with t (up) or falls with t (down)
            if stijgend:
                b = np.where(hoog, m, b)
                a = np.where(hoog, a, m)
            else:
                a = np.where(hoog, m, a)
                b = np.where(hoog, b, m)
        return np.where(geraakt, (a + b) / 2, np.nan)

    with np.errstate(invalid="ignore", divide="ignore"):
        t_op = zoek(kans_boven, k_hi, *bereik_op, stijgend=True)
        t_neer = zoek(kans_onder, k_lo, *bereik_neer, stijgend=False)
        t_neer = np.where(k_lo >= 0, t_neer, np.nan)
    midden = doel if statistiek != "oe" else 1.0
    return t_op - midden, midden - t_neer


def kleinste_aantoonbare_verschil(
    statistiek: str,
    noemers_of_verwacht,
    doel: float,
    *,
    sigma: float | None = None,
    tau2: float = 0.0,
    phi: float = 1.0,
    methode_overspreiding: str = "geen",
    kracht: float = ONDERSCHEIDEND_VERMOGEN,
    niveau: str = "95",
    vermenigvuldiger: float = 1.0,
    methode: str = "exact",
) -> pd.DataFrame:
    """Smallest difference from the funnel centre a team is flagged for with 80% power.

    "Binnen de grenzen" is only reassuring when the funnel could have shown a
    difference: with 60 trajecten a team can be 10 procentpunt worse than the rest and
    stay inside; with 400 it cannot. This gives, per denominator, the true difference
    from the centre at which the team falls beyond the funnel limit with probability
    ``kracht``, given the overdispersion adjustment in use.

    Parameters
    ----------
    statistiek : {"proportie", "ratio", "oe", "gemiddelde", "mediaan"}
    noemers_of_verwacht : array-like
        Denominators (oe: expected counts), as in :func:`funnel_grenzen`.
    doel : float
        Centre of the funnel, unscaled (a fraction for proportie; ignored for oe).
    sigma : float, optional
        Unit standard deviation (gemiddelde/mediaan).
    tau2, phi : float
        Overdispersion on the transformed scale (as :func:`funnel` reports them).
    methode_overspreiding : {"geen", "additief", "multiplicatief"}
        Which limits the team is judged against (``funnel``'s
        ``methode_overspreiding``; anything starting with "geen" is "geen").
    kracht : float
        Required probability of a flag (default 0.80).
    niveau : {"95", "998"}
        The funnel limit (two-sided 95% or 99.8%).
    vermenigvuldiger : float
        Scale of the output (100: percentage points for a proportion in percent).
    methode : {"exact", "normaal"}
        Without an overdispersion adjustment, proportie/ratio/oe teams are judged
        against the exact limits; ``"exact"`` (default) then computes the power from
        the binomial/Poisson distribution of the team's count (see Notes);
        ``"normaal"`` always uses the normal approximation on the transformed scale.

    Returns
    -------
    DataFrame
        ``noemer`` (oe: ``verwacht``), ``kleinste_verschil_omhoog`` and
        ``kleinste_verschil_omlaag`` (positive distances from the centre, scaled; NaN
        when no value in that direction is far enough, e.g. a proportion near 0 or 1).

    Notes
    -----
    On the scale where the funnel is computed (FunnelPlotR / Spiegelhalter 2005:
    proportie ``asin(√p)`` with ``s = 1/(2√n)``; ratio and oe ``log(O/E)`` with
    ``s = 1/√E``; gemiddelde/mediaan raw with ``s = σ/√n``) the limit is
    ``θ ± z_a·s_c`` with ``s_c = s`` (no adjustment), ``√(s² + τ²)`` (additive) or
    ``√φ·s`` (multiplicative). A team with true value ``θ + Δ`` is observed with its
    own sampling error ``s``, so ``P(flag) = Φ((Δ − z_a·s_c)/s)``; setting this to
    ``kracht`` gives ``Δ = z_a·s_c + z_kracht·s`` (the usual power formula, e.g.
    Chow, Shao & Wang 2008, ch. 3; one tail, the other contributes < 0.1%).
    Δ is back-transformed, hence the two columns: on the arcsine and log scales the
    distance up differs from the distance down.

    Without adjustment (``methode_overspreiding`` "geen") the funnel flags against the
    exact, discrete limits, where the normal approximation fails for small counts
    (measured: 34% instead of 80% downwards at p = 0.1, n 15-60). There the power is
    computed exactly: the team's count X is Binomial(n, p) (ratio/oe: Poisson), it is
    flagged when ``X/n`` is strictly beyond the interpolated exact limit, so the power
    is a binomial/Poisson tail probability, solved for p by bisection. Both are checked
    by simulation in ``tests/test_detectie.py`` and
    ``benchmarks/bench_kleinste_verschil.py``.

    References
    ----------
    Spiegelhalter, D.J. (2005). Handling over-dispersion of performance indicators.
    Quality and Safety in Health Care 14: 347-351.
    Chow, S.-C., Shao, J., Wang, H. (2008). Sample Size Calculations in Clinical
    Research, 2nd ed. Chapman & Hall.

    Examples
    --------
    >>> k = kleinste_aantoonbare_verschil("proportie", [60, 400], 0.5, vermenigvuldiger=100)
    >>> [round(float(v)) for v in k["kleinste_verschil_omhoog"]]
    [18, 7]
    """
    statistiek = _controleer_type(statistiek)
    if niveau not in _Z:
        raise ValueError(f"niveau moet '95' of '998' zijn, niet {niveau!r}")
    if not 0.5 < kracht < 1:
        raise ValueError("kracht (onderscheidend vermogen) moet tussen 0,5 en 1 liggen")
    x = np.atleast_1d(np.asarray(noemers_of_verwacht, dtype=float))
    d = 1.0 if statistiek == "oe" else float(doel)
    grens = {"bovengrens": np.inf, "ondergrens": -np.inf}
    if statistiek in ("gemiddelde", "mediaan"):
        if sigma is None or not np.isfinite(sigma):
            raise ValueError(f"voor een {statistiek} is sigma (spreiding) nodig")
        doel_t, s_t = d, sigma / np.sqrt(x)

        def terug(v):
            return v
    else:
        _, doel_t, s_t, terug, naam = _schaal(statistiek, np.full_like(x, d), d * x, x, d)
        if naam == "arcsinus-wortel":
            grens = {"bovengrens": np.pi / 2, "ondergrens": 0.0}
    if (methode == "exact" and statistiek in ("proportie", "ratio", "oe")
            and methode_overspreiding not in ("additief", "multiplicatief")):
        omhoog, omlaag = _kleinste_exact(statistiek, x, d, niveau, kracht)
        return pd.DataFrame({
            "verwacht" if statistiek == "oe" else "noemer": x,
            "kleinste_verschil_omhoog": omhoog * vermenigvuldiger,
            "kleinste_verschil_omlaag": omlaag * vermenigvuldiger,
        })
    if methode_overspreiding == "additief":
        s_c = np.sqrt(s_t**2 + max(float(tau2), 0.0))
    elif methode_overspreiding == "multiplicatief":
        s_c = s_t * np.sqrt(max(float(phi), 1.0))
    else:
        s_c = s_t
    omhoog, omlaag = _kleinste_verschil(doel_t, s_t, s_c, terug, z_grens=_Z[niveau], kracht=kracht,
                                        **grens)
    return pd.DataFrame({
        "verwacht" if statistiek == "oe" else "noemer": x,
        "kleinste_verschil_omhoog": omhoog * vermenigvuldiger,
        "kleinste_verschil_omlaag": omlaag * vermenigvuldiger,
    })


def _funnel_kern(
    y: np.ndarray,
    t: np.ndarray,
    n: np.ndarray,
    statistiek: str,
    doel: float,
    sigma: float | None,
    overspreiding_keuze: str,
    alfa: float,
    min_teams: int,
    afkappen: bool | None = None,
    transformeer: bool = True,
    winsor: float = 0.10,
) -> pd.DataFrame:
    """Positions, z, limits and overdispersion for one group of teams (unscaled).

    ``afkappen`` None: SHMI truncation for ratio/oe, winsorising otherwise (FunnelPlotR
    defaults); True/False force truncation/winsorising. ``transformeer=False`` keeps
    the overdispersion on the raw z-scores (used by :func:`casemix_oe`).
    """
    if statistiek == "proportie":
        se = np.sqrt(doel * (1 - doel) / n)
    elif statistiek == "ratio":
        se = np.sqrt(doel / n)
    elif statistiek == "oe":
        se = np.sqrt(1 / n)
    else:
        se = sigma / np.sqrt(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (y - doel) / se
    g = funnel_grenzen(statistiek, n, doel, sigma=sigma)
    if statistiek in ("gemiddelde", "mediaan"):
        positie = funnel_positie(statistiek, y, n, doel, sigma=sigma)
    else:
        positie = funnel_positie(statistiek, t, n, doel)
    if statistiek in ("gemiddelde", "mediaan") or not transformeer:
        Y, doel_t, s_t, schaalnaam = y, doel, se, "geen"

        def terug(v):
            return v
    else:
        Y, doel_t, s_t, terug, schaalnaam = _schaal(statistiek, y, t, n, doel)
    with np.errstate(divide="ignore", invalid="ignore"):
        z_t = (Y - doel_t) / s_t
    shmi = statistiek in ("ratio", "oe") if afkappen is None else bool(afkappen)
    od = overspreiding(z_t, s_t, afkappen=shmi and winsor > 0, winsor=winsor)
    keuze = overspreiding_keuze
    if keuze not in ("auto", "additief", "multiplicatief", "geen"):
        raise ValueError(
            "overspreiding moet 'auto', 'additief', 'multiplicatief' of 'geen' zijn, "
            f"niet {keuze!r}"
        )
    if keuze == "geen":
        methode = "geen"
    elif od["n_teams"] < min_teams:
        methode = "geen (te weinig teams)"
    elif keuze == "auto":
        methode = "additief" if od["p_waarde"] < alfa and od["phi"] > 1 else "geen"
    else:
        methode = keuze
    phi, tau2 = od["phi"], od["tau2"]
    if methode == "multiplicatief":
        s_c = s_t * np.sqrt(max(phi, 1.0))
    elif methode == "additief":
        s_c = np.sqrt(s_t**2 + (tau2 if np.isfinite(tau2) else 0.0))
    else:
        s_c = s_t
    with np.errstate(divide="ignore", invalid="ignore"):
        z_c = (Y - doel_t) / s_c
    df = pd.DataFrame(
        {
            "doel": doel,
            "z": z,
            **{k: g[k].to_numpy() for k in _GRENS_KOLOMMEN},
            "positie": positie,
            "n_teams": od["n_teams"],
            "phi": phi,
            "tau2": tau2,
            "p_overspreiding": od["p_waarde"],
            "methode_overspreiding": methode,
            "z_multiplicatief": z_t / np.sqrt(phi) if np.isfinite(phi) and phi > 0 else np.nan,
            "z_additief": (Y - doel_t) / np.sqrt(s_t**2 + tau2) if np.isfinite(tau2) else np.nan,
            "z_gecorrigeerd": z_c,
        }
    )
    for niveau, zz in _Z.items():
        df[f"ondergrens_{niveau}_gecorrigeerd"] = terug(doel_t - zz * s_c)
        df[f"bovengrens_{niveau}_gecorrigeerd"] = terug(doel_t + zz * s_c)
    omhoog, omlaag = _kleinste_verschil(doel_t, s_t, s_c, terug,
                                        bovengrens=np.pi / 2 if schaalnaam == "arcsinus-wortel" else np.inf,
                                        ondergrens=0.0 if schaalnaam == "arcsinus-wortel" else -np.inf)
    if methode not in ("multiplicatief", "additief") and statistiek in ("proportie", "ratio", "oe"):
        # judged against the exact discrete limits: exact power (see kleinste_aantoonbare_verschil)
        omhoog, omlaag = _kleinste_exact(statistiek, np.asarray(n, dtype=float), doel, "95",
                                         ONDERSCHEIDEND_VERMOGEN)
    df["kleinste_verschil_omhoog"] = omhoog
    df["kleinste_verschil_omlaag"] = omlaag
    if methode in ("multiplicatief", "additief"):
        df["positie_gecorrigeerd"] = _positie_uit_z(z_c)
    else:
        df["positie_gecorrigeerd"] = positie
    pct = f"{100 * winsor:g}%"
    df["schaal_overspreiding"] = schaalnaam + (
        "; niet gewinsoriseerd" if winsor <= 0 else f"; {pct} afgekapt (SHMI)" if shmi else f"; {pct} gewinsoriseerd"
    )
    df["z_getransformeerd"] = z_t
    return df


# ---------------------------------------------------------------------------
# funnel() on the tidy indicator table
# ---------------------------------------------------------------------------

def _catalogus_eigenschap(indicator: str, naam: str):
    """A property of a catalog indicator; None for a code outside the catalog (such as the
    case-mix codes), for which the caller then needs ``type=`` -- no error is swallowed."""
    return getattr(catalogus.indicator(indicator), naam) if catalogus.bekend(indicator) else None


def _volledig(df: pd.DataFrame) -> pd.Series:
    """Rows of complete, non-build-up periods (:func:`contract.in_basis`)."""
    return in_basis(df)


def _kies_periode(df: pd.DataFrame, periode) -> pd.DataFrame:
    if periode == "alle":
        return df
    start = pd.to_datetime(df["periode_start"])
    eind = pd.to_datetime(df["periode_eind"])
    if periode is None:
        # the last COMPLETE period (volledig/inloop contract)
        df, start = df[_volledig(df)], start[_volledig(df)]
        laatste = start.groupby([df["gemeente"], df["indicator"]]).transform("max")
        return df[start == laatste]
    t = pd.Timestamp(str(periode))
    return df[(start <= t) & (eind >= t)]


def funnel(
    tabel: pd.DataFrame,
    indicator: str,
    *,
    periode=None,
    doel: float | None = None,
    type: str | None = None,
    beter: str | None = None,
    overspreiding: str = "auto",
    alfa_overspreiding: float = 0.05,
    min_teams: int = 5,
    per_gemeente: bool = True,
    winsor: float = 0.10,
) -> pd.DataFrame:
    """Compare the teams on one indicator with a funnel plot, with overdispersion check.

    Parameters
    ----------
    tabel : DataFrame
        Tidy indicator table (:data:`~monitoranalyse.contract.INDICATOR_KOLOMMEN`).
        Rows with ``wijkteam == "Totaal"`` are the gemeente level: not compared, but a
        mediaan funnel takes its baseline from there. Not modified.
    indicator : str
        Indicator code.
    periode : None, "alle", or a date/period string
        None: the latest complete period per gemeente (rows with ``volledig == False``
        or ``inloop == True`` are skipped when those columns exist); "alle": every
        period separately; else the period containing that date (e.g. ``"2024-06-30"``).
    doel : float, optional
        Baseline on the scale of ``waarde``; default the gemeente value (pooled
        ``Σteller/Σnoemer``; mediaan: the Totaal row, else the n-weighted mean).
    type : str, optional
        Statistic type; default from the catalog (``proportie``, ``ratio``,
        ``gemiddelde``, ``mediaan``; ``oe`` for O/E tables).
    beter : {"hoger", "lager", None}, optional
        Direction that is better; default from the catalog. Only carried along (for
        :func:`monitoranalyse.analyse.signalen.nader_onderzoek`).
    overspreiding : {"auto", "additief", "multiplicatief", "geen"}
        "auto": test for overdispersion (p < ``alfa_overspreiding`` and phi > 1) and,
        if present, use the additive random-effects limits.
    min_teams : int
        Fewer teams than this: no overdispersion adjustment (phi is still reported).
    per_gemeente : bool
        True: one funnel per gemeente (teams compared within their gemeente);
        False: all teams of all gemeenten in one funnel.
    winsor : float
        Fraction winsorised (proportie, gemiddelde, mediaan) or truncated (ratio, oe)
        at each end before phi and tau² are estimated; 0.10 is the FunnelPlotR default.
        Measured (benchmarks/bench_nulgedrag.py): with 15 teams whose true proportions
        differ (sd 0.05), 10% winsorising halves tau² and the adjusted funnel flags
        about 13% of teams at 95%; ``winsor=0`` keeps tau² unbiased and about 5%.

    Returns
    -------
    DataFrame
        One row per team and period: ``gemeente, wijkteam, periode_start,
        periode_eind, indicator, uitsplitsing, type, beter, teller, noemer, waarde,
        doel`` (waarde scale), ``z`` (unadjusted z-score), ``ondergrens_95,
        bovengrens_95, ondergrens_998, bovengrens_998`` (funnel limits at the team's
        noemer, waarde scale), ``positie`` (one of :data:`POSITIES`), ``n_teams``,
        ``phi``, ``tau2`` (on the unscaled statistic), ``p_overspreiding``,
        ``methode_overspreiding`` ("geen", "additief", "multiplicatief",
        "geen (te weinig teams)"), ``z_multiplicatief`` (z/√phi), ``z_additief``
        ((y−θ0)/√(s²+τ²)), ``z_gecorrigeerd`` (of the method used),
        ``ondergrens_95_gecorrigeerd, bovengrens_95_gecorrigeerd,
        ondergrens_998_gecorrigeerd, bovengrens_998_gecorrigeerd`` and
        ``positie_gecorrigeerd`` (after the adjustment; equal to positie when none);
        ``schaal_overspreiding`` (the scale phi and tau² live on, Dutch);
        ``z_getransformeerd`` (z on that scale); ``opmerking_overspreiding`` (Dutch
        warning for 4-5 teams, else ""). ``z_multiplicatief``, ``z_additief`` and
        ``z_gecorrigeerd`` are on the transformed scale, ``z`` on the raw one.
        ``kleinste_verschil_omhoog``, ``kleinste_verschil_omlaag`` (waarde scale:
        the true distance above/below ``doel`` at which this team, with its noemer, is
        flagged at the 95% limit actually used -- the adjusted one when
        ``methode_overspreiding`` is additief/multiplicatief -- with 80% probability;
        NaN when no value that far exists; :func:`kleinste_aantoonbare_verschil`);
        ``kleinste_verschil`` (the one in the worse direction per ``beter``, else the
        larger) and ``zin_kleinste_verschil`` (Dutch phrase for the report,
        :func:`zin_kleinste_verschil`; proportie in procentpunt, ratio/oe relative to
        the centre in procent, gemiddelde/mediaan in the catalog unit).

    Notes
    -----
    Overdispersion follows the FunnelPlotR defaults (nhs-r-community/FunnelPlotR
    0.4.x, ``R/od_adjustment.R``, ``R/od_limits.R``; Spiegelhalter 2005, QSHC):
    proportions on the arcsine-square-root scale (``asin(sqrt(y))``, s = 1/(2√n),
    z-scores winsorised at 10%/90%); ratio and O/E the SHMI method (``log(O/E)``,
    s = 1/√E, the 10% lowest and highest units truncated, not winsorised);
    gemiddelde/mediaan on the raw scale (winsorised). phi is the mean squared z of the
    units used; tau² the DerSimonian-Laird estimate with w = 1/s². The adjusted limits
    are ``target ± z·√(s² + τ²)`` (additive) or ``target ± z·√phi·s``
    (multiplicative) on that scale, back-transformed -- so they are asymmetric and stay
    within [0, 1] for proportions and >= 0 for ratios. Repeated rows of one team in one
    period are summed (teller, noemer) first; for a gemiddelde/mediaan they are refused.

    z-scores use the null standard error s_i: proportie ``√(θ0(1−θ0)/n)``; ratio
    ``√(θ0/n)``; oe ``√(1/E)``; gemiddelde/mediaan ``σ/√n`` where σ is pooled from the
    teams' 95% intervals: ``σ_i = √n_i·(boven−onder)/(2·1.96)``, pooled with weights
    n_i − 1 (an approximation for medians). Unadjusted positions use the exact limits
    of :func:`funnel_grenzen`; adjusted positions the normal limits of Spiegelhalter
    (2005): multiplicative ``θ0 ± z·√phi·s_i``, additive ``θ0 ± z·√(s_i² + τ²)``.
    See :func:`overspreiding` for phi and τ².

    Examples
    --------
    ``md`` is the committed sample, ``md = monitoranalyse.laad("data_samples/voorbeeld")``
    (tests/test_doctests.py runs these examples on it):

    >>> from monitoranalyse.indicatoren import bereken
    >>> jaar = bereken(md, periode="jaar", indicatoren=["binnen_termijn_onderzoek"])
    >>> f = funnel(jaar, "binnen_termijn_onderzoek")
    >>> f["periode_start"].dt.year.unique().tolist()  # the last complete year
    [2025]

    Lindeveen's Wijkteam Zuid has a planted longer intake (``voorbeelddata``: median 30
    instead of 14 days), so fewer onderzoeken within the term:

    >>> zuid = f[(f["gemeente"] == "Lindeveen") & (f["wijkteam"] == "Wijkteam Zuid")]
    >>> zuid["positie"].item()
    'onder 99,8%'
    """
    controleer_tabel(tabel, functie="funnel", nodig=("indicator",))
    df = tabel[tabel["indicator"] == indicator].copy()
    if df.empty:
        raise ValueError(f"indicator '{indicator}' komt niet voor in de tabel")
    if type is None and "statistiek" in df.columns and df["statistiek"].notna().any():
        type = str(df["statistiek"].dropna().iloc[0])  # the table says what it is
    type = type or _catalogus_eigenschap(indicator, "type")
    if type is None:
        raise ValueError(
            f"statistiektype van '{indicator}' onbekend (niet in de catalogus); geef type= op"
        )
    _controleer_type(type)
    if beter is None:
        beter = _catalogus_eigenschap(indicator, "beter")
    if "uitsplitsing" not in df:
        df["uitsplitsing"] = ""
    df["uitsplitsing"] = df["uitsplitsing"].fillna("")
    df = _kies_periode(df, periode)
    if not per_gemeente:
        df["_groep"] = "alle"
    else:
        df["_groep"] = df["gemeente"]
    sleutel = ["_groep", "periode_start", "periode_eind", "indicator", "uitsplitsing"]
    delen = []
    for _, groep in df.groupby(sleutel, sort=True, dropna=False):
        totaal = groep[groep["wijkteam"] == TOTAAL]
        teams = groep[(groep["wijkteam"] != TOTAAL) & groep["wijkteam"].notna()]
        teams = teams[teams["noemer"].astype(float) > 0]
        if teams.empty:
            continue
        teams = _een_rij_per_team(teams, type, indicator)
        delen.append(_funnel_groep(teams, totaal, type, doel, overspreiding,
                                   alfa_overspreiding, min_teams, winsor, beter=beter))
    if not delen:
        raise ValueError(f"geen teams met een noemer > 0 voor indicator '{indicator}'")
    uit = pd.concat(delen, ignore_index=True)
    uit.insert(6, "type", type)
    uit.insert(7, "beter", beter)
    return uit


#: Teams from which the overdispersion estimate is no longer called unstable.
OVERSPREIDING_STABIEL_VANAF = 6


def _een_rij_per_team(teams: pd.DataFrame, type: str, indicator: str) -> pd.DataFrame:
    """One row per wijkteam: repeated rows are summed (counts) or refused (means)."""
    dubbel = teams["wijkteam"].duplicated(keep=False)
    if not dubbel.any():
        return teams
    namen = ", ".join(sorted(map(str, teams.loc[dubbel, "wijkteam"].unique())))
    if type not in ("proportie", "ratio", "oe"):
        raise ValueError(
            f"funnel voor '{indicator}': team(s) {namen} komen meer dan eens voor in dezelfde periode; "
            f"een {type} kan niet worden opgeteld -- maak de tabel eerst uniek per team."
        )
    t = teams["teller"].astype(float)
    n = teams["noemer"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        schaal = float(np.nanmedian(teams["waarde"].astype(float) / (t / n)))
    if not np.isfinite(schaal):
        schaal = 1.0
    eerste = teams.drop_duplicates("wijkteam").set_index("wijkteam")
    som = teams.assign(teller=t, noemer=n).groupby("wijkteam", sort=False)[["teller", "noemer"]].sum()
    eerste.loc[som.index, "teller"] = som["teller"]
    eerste.loc[som.index, "noemer"] = som["noemer"]
    eerste["waarde"] = schaal * eerste["teller"] / eerste["noemer"]
    for k in ("ondergrens", "bovengrens"):
        if k in eerste.columns:
            eerste[k] = np.nan
    return eerste.reset_index()[teams.columns]


def _opmerking(n_teams: int) -> str:
    if 4 <= n_teams < OVERSPREIDING_STABIEL_VANAF:
        return (
            f"Met {n_teams} teams is de schatting van de overspreiding onstabiel: phi en tau² kunnen "
            "sterk veranderen als één team anders uitvalt. Lees de gecorrigeerde grenzen als indicatie."
        )
    return ""


def _funnel_groep(teams, totaal, type, doel, keuze, alfa, min_teams, winsor=0.10, beter=None) -> pd.DataFrame:
    t = teams["teller"].astype(float).to_numpy()
    n = teams["noemer"].astype(float).to_numpy()
    w = teams["waarde"].astype(float).to_numpy()
    sigma = None
    schaal = 1.0
    if type in ("proportie", "ratio", "oe"):
        y = t / n
        with np.errstate(divide="ignore", invalid="ignore"):
            m = w / y
        m = m[np.isfinite(m) & (m > 0)]
        schaal = float(np.median(m)) if len(m) else 1.0  # waarde = y · vermenigvuldiger
        basis = float(np.sum(t) / np.sum(n)) if type != "oe" else 1.0
    else:
        y = w
        lo = teams["ondergrens"].astype(float).to_numpy()
        hi = teams["bovengrens"].astype(float).to_numpy()
        sd = np.sqrt(n) * (hi - lo) / (2 * _Z["95"])
        ok = np.isfinite(sd) & (n > 1)
        if not ok.any():
            raise ValueError(
                f"funnel voor een {type} heeft de intervallen (ondergrens/bovengrens) nodig"
            )
        sigma = float(np.sqrt(np.sum((n[ok] - 1) * sd[ok] ** 2) / np.sum(n[ok] - 1)))
        if type == "gemiddelde" and np.all(np.isfinite(t)):
            basis = float(np.sum(t) / np.sum(n))
        elif type == "mediaan" and len(totaal) and np.isfinite(float(totaal["waarde"].iloc[0])):
            basis = float(totaal["waarde"].iloc[0])
        else:
            basis = float(np.sum(w * n) / np.sum(n))
    d = basis if doel is None else float(doel) / schaal
    kern = _funnel_kern(y, t, n, type, d, sigma, keuze, alfa, min_teams, winsor=winsor)
    kern["opmerking_overspreiding"] = _opmerking(len(teams))
    for k in ("doel", *_GRENS_KOLOMMEN, *_KLEINSTE_KOLOMMEN) + tuple(c for c in kern if c.endswith("_gecorrigeerd")
                                                and c.startswith(("onder", "boven"))):
        kern[k] = kern[k] * schaal
    # the difference the report's phrase names: in the worse direction when the catalog
    # says which one is better, else the larger of the two
    omhoog = kern["kleinste_verschil_omhoog"].to_numpy(float)
    omlaag = kern["kleinste_verschil_omlaag"].to_numpy(float)
    if beter == "hoger":
        kleinste = omlaag
    elif beter == "lager":
        kleinste = omhoog
    else:
        with np.errstate(invalid="ignore"):
            kleinste = np.where(np.isnan(omhoog) | np.isnan(omlaag), np.nan, np.fmax(omhoog, omlaag))
    kern["kleinste_verschil"] = kleinste
    indicator = str(teams["indicator"].iloc[0])
    eenheid, deler = _funnel_eenheid(type, schaal, indicator)
    if type in ("ratio", "oe"):
        deler = float(kern["doel"].iloc[0])
    kern["zin_kleinste_verschil"] = [
        zin_kleinste_verschil(k / deler if np.isfinite(k) else np.nan, eenheid) for k in kleinste
    ]
    basis_kol = teams[["gemeente", "wijkteam", "periode_start", "periode_eind", "indicator",
                       "uitsplitsing", "teller", "noemer", "waarde"]].reset_index(drop=True)
    return pd.concat([basis_kol, kern], axis=1)


# ---------------------------------------------------------------------------
# Case-mix adjusted O/E
# ---------------------------------------------------------------------------

_UITKOMSTEN = ("maatwerk", "doorlooptijd_buiten_termijn")
_KENMERKEN = ("leeftijdsband", "problematiek", "zrm_probleemdomeinen")
_ONBEKEND = "onbekend"


def _leeftijdsband(leeftijd: pd.Series) -> pd.Series:
    band = pd.cut(
        leeftijd.astype("Float64").astype(float),
        bins=[-1, 17, 26, 64, 79, 200],
        labels=["0-17", "18-26", "27-64", "65-79", "80+"],
    )
    return band.astype(object).where(band.notna(), _ONBEKEND).astype(str)


def _zrm_start(zrm: pd.DataFrame) -> pd.DataFrame:
    """Per traject: number of problem domains (score <= 2) and total at the first ZRM."""
    if zrm.empty:
        return pd.DataFrame(columns=["traject_id", "zrm_probleemdomeinen", "zrm_totaal"])
    z = zrm.copy()
    z["datum"] = pd.to_datetime(z["datum"])
    eerste = z.groupby("traject_id")["datum"].transform("min")
    z = z[z["datum"] == eerste]
    score = z["score"].astype(float)
    return (
        z.assign(_probleem=(score <= 2).astype(int), _score=score)
        .groupby("traject_id", as_index=False)
        .agg(zrm_probleemdomeinen=("_probleem", "sum"), zrm_totaal=("_score", "sum"))
    )


def _casemix_basis(md, uitkomst: str, periode, peildatum) -> pd.DataFrame:
    tr = md.tabellen["trajecten"].copy()
    for k in ("datum_melding", "datum_intake", "datum_plan", "datum_einde"):
        if k in tr:
            tr[k] = pd.to_datetime(tr[k])
    if periode is not None:
        if isinstance(periode, (tuple, list)):
            van, tot = (pd.Timestamp(str(p)) for p in periode)
        else:
            p = pd.Period(str(periode))
            van, tot = p.start_time, p.end_time
        tr = tr[(tr["datum_melding"] >= van) & (tr["datum_melding"] <= tot)]
    if uitkomst == "maatwerk":
        inzet = md.tabellen["inzet"]
        met = set(inzet.loc[inzet["vorm"].isin(MAATWERK), "traject_id"])
        tr["_y"] = tr["traject_id"].isin(met).astype(float)
    else:
        datums = [k for k in ("datum_melding", "datum_intake", "datum_plan", "datum_einde")
                  if k in tr]
        alle = md.tabellen["trajecten"][datums].apply(pd.to_datetime)
        peil = pd.Timestamp(peildatum) if peildatum is not None else alle.max().max()
        termijn = tr["gemeente"].map(
            lambda g: md.config.voor_gemeente(g).termijnen["onderzoek_wmo"]
        ).astype(float)
        dagen = (tr["datum_intake"] - tr["datum_melding"]).dt.days
        leeftijd_traject = (peil - tr["datum_melding"]).dt.days
        y = np.where(
            tr["datum_intake"].notna(),
            (dagen > termijn).astype(float),
            np.where(leeftijd_traject > termijn, 1.0, np.nan),  # no intake yet: late once older
        )
        tr["_y"] = y
    return tr


def casemix_oe(
    md,
    uitkomst: str,
    *,
    kenmerken: Sequence[str] | None = None,
    periode=None,
    peildatum=None,
    overspreiding: str = "auto",
) -> pd.DataFrame:
    """Observed vs case-mix expected (O/E) per team for a yes/no outcome per traject.

    Parameters
    ----------
    md : Monitordata
        Uses ``trajecten``, ``inzet`` (outcome maatwerk) and ``zrm`` (characteristic).
    uitkomst : {"maatwerk", "doorlooptijd_buiten_termijn"}
        ``maatwerk``: the traject has any inzet with vorm in
        :data:`~monitoranalyse.contract.MAATWERK`. ``doorlooptijd_buiten_termijn``:
        intake more than ``termijnen["onderzoek_wmo"]`` days (per gemeente, from
        ``monitor.toml``) after melding, or no intake while the melding is older than that
        at ``peildatum``; trajecten without intake that are younger are undetermined and
        left out (counted in ``n_onbepaald``).
    kenmerken : list of str, optional
        Client characteristics in the model, from ``leeftijdsband`` (0-17, 18-26,
        27-64, 65-79, 80+), ``problematiek`` (enkelvoudig/meervoudig) and
        ``zrm_probleemdomeinen`` (number of ZRM domains scored 1-2 at the first
        measurement: 0, 1, 2, 3-4, 5+). Default all three. A missing value is its own
        category ``"onbekend"``: no traject is dropped.
    periode : None, str or (van, tot)
        Trajecten by datum_melding: a period string ("2024", "2024Q1") or two dates.
    peildatum : date, optional
        Reference date for undetermined doorlooptijden; default the latest date in
        trajecten.
    overspreiding : str
        As in :func:`funnel`, applied to the O/E funnel.

    Returns
    -------
    DataFrame
        One row per team: ``gemeente, wijkteam, uitkomst, n`` (trajecten with known
        outcome), ``n_onbepaald``, ``n_kenmerk_onbekend`` (trajecten with at least one
        characteristic "onbekend"), ``waargenomen`` (O), ``verwacht`` (E, sum of
        model probabilities), ``ratio`` (O/E), ``ondergrens, bovengrens`` (exact Poisson
        95% interval of O divided by E), ``z`` ((O−E)/√E), ``positie`` (exact Poisson
        funnel with E on the x-axis), ``methode_overspreiding``, ``phi``,
        ``z_gecorrigeerd``, ``positie_gecorrigeerd``, ``aandeel`` (O/n),
        ``aandeel_gemeente`` (gemeente
        rate), ``ratio_ongecorrigeerd`` (aandeel/aandeel_gemeente), ``positie_ongecorrigeerd``
        (proportion funnel against the gemeente rate), ``kenmerken`` (used, comma-separated),
        ``kleinste_verschil_omhoog``, ``kleinste_verschil_omlaag`` (O/E distance from 1
        flagged with 80% power at the 95% limit used, see
        :func:`kleinste_aantoonbare_verschil`).

    Notes
    -----
    A logistic GLM (statsmodels, Binomial family, logit link) of the outcome on the
    characteristics as categorical terms, WITHOUT the team, plus the gemeente as a term
    when there is more than one (so teams are compared within their gemeente). Because
    the logit link is canonical, E summed over a gemeente equals O there. The team's
    expected count is ``E = Σ p̂_i`` over its trajecten (indirect standardisation).
    Characteristics with a single category are left out of the model.

    References
    ----------
    Spiegelhalter, D.J. (2005). Funnel plots for comparing institutional performance.
    Statistics in Medicine 24: 1185-1202.
    """
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    from monitoranalyse.statistiek import poisson_exact_ci

    if uitkomst not in _UITKOMSTEN:
        raise ValueError(f"onbekende uitkomst '{uitkomst}'; mogelijk: {', '.join(_UITKOMSTEN)}")
    kenmerken = list(_KENMERKEN if kenmerken is None else kenmerken)
    onbekend = set(kenmerken) - set(_KENMERKEN)
    if onbekend:
        raise ValueError(f"onbekend kenmerk {sorted(onbekend)}; mogelijk: {', '.join(_KENMERKEN)}")
    tr = _casemix_basis(md, uitkomst, periode, peildatum)
    if tr.empty:
        raise ValueError("geen trajecten in de gekozen periode")
    # characteristics, missing values as an explicit category
    tr["leeftijdsband"] = _leeftijdsband(tr["leeftijd"]) if "leeftijd" in tr else _ONBEKEND
    if "problematiek" in tr:
        tr["problematiek"] = tr["problematiek"].astype(object).where(
            tr["problematiek"].notna(), _ONBEKEND).astype(str)
    else:
        tr["problematiek"] = _ONBEKEND
    zs = _zrm_start(md.tabellen["zrm"])
    tr = tr.merge(zs, on="traject_id", how="left")
    band = pd.cut(tr["zrm_probleemdomeinen"].astype(float), bins=[-1, 0, 1, 2, 4, 13],
                  labels=["0", "1", "2", "3-4", "5+"])
    tr["zrm_probleemdomeinen"] = band.astype(object).where(band.notna(), _ONBEKEND).astype(str)
    tr["_kenmerk_onbekend"] = (tr[kenmerken] == _ONBEKEND).any(axis=1) if kenmerken else False
    tr["gemeente"] = tr["gemeente"].astype(str)
    tr["wijkteam"] = tr["wijkteam"].astype(str)

    bepaald = tr[tr["_y"].notna()].copy()
    termen = [k for k in kenmerken if bepaald[k].nunique() > 1]
    if bepaald["gemeente"].nunique() > 1:
        termen.append("gemeente")
    formule = "_y ~ " + (" + ".join(f"C({k})" for k in termen) if termen else "1")
    model = smf.glm(formule, data=bepaald, family=sm.families.Binomial()).fit()
    bepaald["_p"] = model.predict(bepaald)

    per_team = bepaald.groupby(["gemeente", "wijkteam"], as_index=False).agg(
        n=("_y", "size"),
        waargenomen=("_y", "sum"),
        verwacht=("_p", "sum"),
        n_kenmerk_onbekend=("_kenmerk_onbekend", "sum"),
    )
    onbepaald = (
        tr[tr["_y"].isna()].groupby(["gemeente", "wijkteam"]).size().rename("n_onbepaald")
    )
    per_team = per_team.merge(onbepaald, on=["gemeente", "wijkteam"], how="left")
    per_team["n_onbepaald"] = per_team["n_onbepaald"].fillna(0).astype(int)
    per_team.insert(2, "uitkomst", uitkomst)
    o = per_team["waargenomen"].to_numpy(float)
    e = per_team["verwacht"].to_numpy(float)
    per_team["ratio"] = o / e
    lo, hi = poisson_exact_ci(o, 0.95)
    per_team["ondergrens"] = lo / e
    per_team["bovengrens"] = hi / e

    delen = []
    for _, g in per_team.groupby("gemeente", sort=False):
        oo = g["waargenomen"].to_numpy(float)
        ee = g["verwacht"].to_numpy(float)
        nn = g["n"].to_numpy(float)
        # raw z-scores, winsorised (unchanged by issue 12, which concerns funnel()):
        # with the 4-9 teams of a gemeente SHMI rank truncation drops no team at all,
        # so one outlier would inflate phi
        kern = _funnel_kern(oo / ee, oo, ee, "oe", 1.0, None, overspreiding, 0.05, 5, afkappen=False,
                            transformeer=False)
        p_gem = oo.sum() / nn.sum()
        ongec = funnel_positie("proportie", oo, nn, p_gem)
        delen.append(pd.DataFrame({
            "z": kern["z"].to_numpy(),
            "positie": kern["positie"].to_numpy(),
            "methode_overspreiding": kern["methode_overspreiding"].to_numpy(),
            "phi": kern["phi"].to_numpy(),
            "z_gecorrigeerd": kern["z_gecorrigeerd"].to_numpy(),
            "positie_gecorrigeerd": kern["positie_gecorrigeerd"].to_numpy(),
            "aandeel": oo / nn,
            "aandeel_gemeente": p_gem,
            "ratio_ongecorrigeerd": (oo / nn) / p_gem if p_gem > 0 else np.nan,
            "positie_ongecorrigeerd": ongec,
            "kleinste_verschil_omhoog": kern["kleinste_verschil_omhoog"].to_numpy(),
            "kleinste_verschil_omlaag": kern["kleinste_verschil_omlaag"].to_numpy(),
        }, index=g.index))
    uit = pd.concat([per_team, pd.concat(delen)], axis=1)
    uit["kenmerken"] = ", ".join(k for k in termen if k != "gemeente")
    uit["n_kenmerk_onbekend"] = uit["n_kenmerk_onbekend"].astype(int)
    uit["n"] = uit["n"].astype(int)
    return uit.reset_index(drop=True)


# ---------------------------------------------------------------------------
# Bollen profile (De Visser)
# ---------------------------------------------------------------------------


def bollen_profiel(
    md_or_enquete,
    *,
    jaar: int | None = None,
    respondent: str | None = None,
    correctie: str = "holm",
    alfa: float = 0.05,
) -> pd.DataFrame:
    """Bollen-model profile: mean rapportcijfer per team and dimension vs all teams.

    Parameters
    ----------
    md_or_enquete : Monitordata or DataFrame
        The ``enquete`` table (one row per answer: gemeente, wijkteam, jaar,
        respondent, dimensie, score 1-10) or a Monitordata holding it.
    jaar : int, optional
        Survey year; default the latest year in the data.
    respondent : {"medewerker", "client", "partner"}, optional
        Only these respondents; default all answers pooled.
    correctie : {"holm", "fdr_bh"}
        Multiple-testing correction over all teams × dimensions (statsmodels
        ``multipletests``): Holm controls the familywise error rate (default);
        Benjamini-Hochberg the false discovery rate.
    alfa : float
        Level for ``afwijkend``.

    Returns
    -------
    DataFrame
        One row per gemeente, wijkteam, dimensie: ``gemeente, wijkteam, jaar, dimensie,
        n, gemiddelde, sd, ondergrens, bovengrens`` (t interval 95%),
        ``gemiddelde_alle_teams`` (mean of all answers of all teams in the data),
        ``gemiddelde_gemeente`` (mean of all answers in the team's gemeente),
        ``verschil`` (gemiddelde − gemiddelde_alle_teams), ``p_waarde`` (Welch t-test of
        the team's answers against those of all other teams), ``p_gecorrigeerd``,
        ``correctie``, ``afwijkend`` (bool: p_gecorrigeerd < alfa), ``oordeel``
        ("hoger dan gemiddeld", "lager dan gemiddeld", "niet afwijkend").

    Notes
    -----
    Welch's t-test (``scipy.stats.ttest_ind(equal_var=False)``) does not assume equal
    variances; a team with fewer than 2 answers gets no test (p NaN, not counted in the
    correction).

    References
    ----------
    De Visser, bollen-model for sociale wijkteams (hulp, geld, klant, wijk, team).
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    Scand. J. Statist. 6: 65-70.
    """
    from statsmodels.stats.multitest import multipletests

    if isinstance(md_or_enquete, pd.DataFrame):
        enq = md_or_enquete.copy()
    else:
        enq = md_or_enquete.tabellen["enquete"].copy()
    if enq.empty:
        raise ValueError("de enquête-tabel is leeg; een bollenprofiel kan niet")
    if correctie not in ("holm", "fdr_bh"):
        raise ValueError("correctie moet 'holm' of 'fdr_bh' zijn")
    if "gemeente" not in enq:
        enq["gemeente"] = ""
    enq["jaar"] = enq["jaar"].astype(int)
    jaar = int(enq["jaar"].max()) if jaar is None else int(jaar)
    enq = enq[enq["jaar"] == jaar]
    if respondent is not None:
        enq = enq[enq["respondent"] == respondent]
    if enq.empty:
        raise ValueError(f"geen antwoorden voor jaar {jaar}")
    enq["score"] = enq["score"].astype(float)
    rijen = []
    for dim, d in enq.groupby("dimensie", sort=False):
        alle = float(d["score"].mean())
        gem_gemeente = d.groupby("gemeente")["score"].mean()
        for (gem, team), g in d.groupby(["gemeente", "wijkteam"], sort=True):
            s = g["score"].to_numpy()
            rest = d.loc[~d.index.isin(g.index), "score"].to_numpy()
            n = len(s)
            m = float(s.mean())
            sd = float(s.std(ddof=1)) if n > 1 else np.nan
            if n > 1:
                lo, hi = stats.t.interval(0.95, n - 1, loc=m, scale=sd / np.sqrt(n))
            else:
                lo = hi = np.nan
            p = (float(stats.ttest_ind(s, rest, equal_var=False).pvalue)
                 if n > 1 and len(rest) > 1 else np.nan)
            rijen.append({
                "gemeente": gem, "wijkteam": team, "jaar": jaar, "dimensie": dim,
                "n": n, "gemiddelde": m, "sd": sd, "ondergrens": lo, "bovengrens": hi,
                "gemiddelde_alle_teams": alle, "gemiddelde_gemeente": float(gem_gemeente[gem]),
                "verschil": m - alle, "p_waarde": p,
            })
    uit = pd.DataFrame(rijen)
    ok = uit["p_waarde"].notna().to_numpy()
    pc = np.full(len(uit), np.nan)
    if ok.any():
        pc[ok] = multipletests(uit.loc[ok, "p_waarde"], alpha=alfa, method=correctie)[1]
    uit["p_gecorrigeerd"] = pc
    uit["correctie"] = {"holm": "Holm", "fdr_bh": "Benjamini-Hochberg"}[correctie]
    uit["afwijkend"] = uit["p_gecorrigeerd"] < alfa
    uit["oordeel"] = np.where(
        ~uit["afwijkend"], "niet afwijkend",
        np.where(uit["verschil"] > 0, "hoger dan gemiddeld", "lager dan gemiddeld"))
    volgorde = {d: i for i, d in enumerate(("hulp", "geld", "klant", "wijk", "team"))}
    uit = uit.sort_values(["gemeente", "wijkteam", "dimensie"],
                          key=lambda s: s.map(volgorde) if s.name == "dimensie" else s)
    return uit.reset_index(drop=True)


# ---------------------------------------------------------------------------
# Typology (Radar/Stade, after Universiteit Twente)
# ---------------------------------------------------------------------------


def _standaardiseer(x: pd.Series) -> pd.Series:
    sd = x.std(ddof=1)
    if not np.isfinite(sd) or sd == 0:
        return pd.Series(0.0, index=x.index)
    return (x - x.mean()) / sd


def team_typologie(md) -> pd.DataFrame:
    """Place each team on two axes: zwaarte of problems and doen vs verwijzen.

    Parameters
    ----------
    md : Monitordata
        Uses ``trajecten`` (problematiek), ``zrm`` (first measurement) and ``inzet``.

    Returns
    -------
    DataFrame
        One row per team: ``gemeente, wijkteam, n_trajecten, aandeel_meervoudig``
        (among trajecten with known problematiek), ``gem_probleemdomeinen`` (mean number
        of ZRM domains scored 1-2 at the first measurement, trajecten with a ZRM),
        ``n_inzet``, ``aandeel_eigen_inzet`` (inzet with vorm "wijkteam"),
        ``aandeel_licht`` (vorm in LICHTE_ZORG), ``aandeel_maatwerk``, ``zwaarte``
        (mean of the standardised aandeel_meervoudig and gem_probleemdomeinen),
        ``doen_verwijzen`` (standardised aandeel_licht: positive = the team does more
        itself), ``kwadrant`` (Dutch label).

    Notes
    -----
    Standardisation is over all teams in ``md`` (z = (x − mean)/sd, sd with ddof 1;
    0 when all teams are equal or one component is missing everywhere). Quadrants:
    "zware problematiek, zelf doen", "zware problematiek, verwijzen", "lichte
    problematiek, zelf doen", "lichte problematiek, verwijzen" (axis value >= 0 counts
    as zwaar / zelf doen). The typology is relative: it places teams against each other,
    not against a norm.

    References
    ----------
    Radar / Stade Advies, typologie van sociale wijkteams (naar Universiteit Twente).
    """
    tr = md.tabellen["trajecten"]
    if tr.empty:
        raise ValueError("geen trajecten; een typologie kan niet")
    sleutel = ["gemeente", "wijkteam"]
    t = tr[["traject_id", *sleutel, "problematiek"]].copy()
    t["_meer"] = (t["problematiek"] == "meervoudig").astype(float).where(
        t["problematiek"].notna())
    zs = _zrm_start(md.tabellen["zrm"])
    t = t.merge(zs, on="traject_id", how="left")
    per_team = t.groupby(sleutel, as_index=False).agg(
        n_trajecten=("traject_id", "size"),
        aandeel_meervoudig=("_meer", "mean"),
        gem_probleemdomeinen=("zrm_probleemdomeinen", "mean"),
    )
    inzet = md.tabellen["inzet"][["traject_id", "vorm"]].merge(tr[["traject_id", *sleutel]], on="traject_id")
    inzet = inzet.assign(
        _eigen=(inzet["vorm"] == "wijkteam").astype(float),
        _licht=inzet["vorm"].isin(LICHTE_ZORG).astype(float),
        _maatwerk=inzet["vorm"].isin(MAATWERK).astype(float),
    )
    iz = inzet.groupby(sleutel, as_index=False).agg(
        n_inzet=("vorm", "size"),
        aandeel_eigen_inzet=("_eigen", "mean"),
        aandeel_licht=("_licht", "mean"),
        aandeel_maatwerk=("_maatwerk", "mean"),
    )
    per_team = per_team.merge(iz, on=sleutel, how="left")
    per_team["n_inzet"] = per_team["n_inzet"].fillna(0).astype(int)
    comp = pd.concat(
        [_standaardiseer(per_team["aandeel_meervoudig"].astype(float)),
         _standaardiseer(per_team["gem_probleemdomeinen"].astype(float))], axis=1)
    per_team["zwaarte"] = comp.mean(axis=1, skipna=True).fillna(0.0)
    per_team["doen_verwijzen"] = _standaardiseer(
        per_team["aandeel_licht"].astype(float)).fillna(0.0)
    zwaar = np.where(per_team["zwaarte"] >= 0, "zware problematiek", "lichte problematiek")
    doen = np.where(per_team["doen_verwijzen"] >= 0, "zelf doen", "verwijzen")
    per_team["kwadrant"] = [f"{a}, {b}" for a, b in zip(zwaar, doen)]
    return per_team

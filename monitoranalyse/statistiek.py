"""Confidence intervals for indicator values, vectorised.

Every function takes scalars, numpy arrays or pandas Series and returns numpy
arrays (also for scalar input: 0-d arrays behave as numbers). There are no Python
loops per row, so a table of a million indicator rows is handled in one pass.

Which interval belongs to which statistic type (see :mod:`monitoranalyse.indicatoren.catalogus`):

===========  ================================================  ===================
type         interval                                          ``methode`` label
===========  ================================================  ===================
proportie    Wilson score interval (statsmodels)               ``"Wilson"``
aantal       exact Poisson if aantal < 10, else Byar           ``"Exact Poisson"``
                                                               / ``"Byar"``
ratio        as aantal, scaled to the rate (count/exposure)    idem
gemiddelde   Student t                                         ``"Student t"``
mediaan      distribution-free, order statistics (binomial)    ``"Verdelingsvrij
                                                               (binomiaal)"``
bedrag       none
===========  ================================================  ===================

The count rule (exact below 10, Byar from 10) is the one of PHE Fingertips /
PHEindicatormethods; the functions reproduce that package's test vectors
(``../shared/reference/phe``).

``betrouwbaarheid`` is a fraction (0.95) or a percentage (95 or 99.8); both work.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

__all__ = [
    "METHODE_WILSON",
    "METHODE_EXACT",
    "METHODE_BYAR",
    "METHODE_T",
    "METHODE_MEDIAAN",
    "wilson_ci",
    "poisson_exact_ci",
    "byar_ci",
    "poisson_ci",
    "gemiddelde_t_ci",
    "mediaan_ci",
    "mediaan_met_ci",
    "intervallen",
]

#: ``methode`` labels written into the indicator table.
METHODE_WILSON = "Wilson"
METHODE_EXACT = "Exact Poisson"
METHODE_BYAR = "Byar"
METHODE_T = "Student t"
METHODE_MEDIAAN = "Verdelingsvrij (binomiaal)"

#: Below this count :func:`poisson_ci` uses the exact interval (PHE rule).
_BYAR_VANAF = 10


def _alpha(betrouwbaarheid: float) -> float:
    """Two-sided alpha from a confidence level given as 0.95 or 95."""
    b = float(betrouwbaarheid)
    if b > 1:
        b = b / 100.0
    if not 0 < b < 1:
        raise ValueError(
            f"betrouwbaarheid moet tussen 0 en 1 liggen (of 0-100 als percentage); "
            f"gekregen: {betrouwbaarheid!r}"
        )
    return 1.0 - b


def _getallen(x) -> np.ndarray:
    """Float array from scalar/array/Series; pandas NA and None become NaN."""
    if isinstance(x, (pd.Series, pd.Index)):
        return x.astype("float64").to_numpy(na_value=np.nan)
    return np.asarray(x, dtype="float64")


def wilson_ci(teller, noemer, betrouwbaarheid: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion teller/noemer.

    Parameters
    ----------
    teller, noemer : scalar, array or Series
        Number of "successes" and number of observations (may be non-integer).
    betrouwbaarheid : float
        Confidence level, 0.95 or 95.

    Returns
    -------
    onder, boven : ndarray
        Limits of the proportion (0-1). NaN where teller or noemer is missing or
        noemer is 0.

    Raises
    ------
    ValueError
        When a teller is negative or larger than its noemer (Dutch message).

    Notes
    -----
    Uses :func:`statsmodels.stats.proportion.proportion_confint` with
    ``method="wilson"`` (vectorised):
    ``(p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)``.

    References
    ----------
    Wilson, E.B. (1927). Probable inference, the law of succession, and statistical
    inference. JASA 22: 209-212.

    Examples
    --------
    >>> onder, boven = wilson_ci(65, 100)
    >>> round(float(onder), 4), round(float(boven), 4)
    (0.5525, 0.7364)
    """
    alpha = _alpha(betrouwbaarheid)
    t, n = np.broadcast_arrays(_getallen(teller), _getallen(noemer))
    geldig = np.isfinite(t) & np.isfinite(n) & (n > 0)
    if np.any(geldig & ((t < 0) | (t > n))):
        raise ValueError("teller moet tussen 0 en de noemer liggen (proportie)")
    onder = np.full(t.shape, np.nan)
    boven = np.full(t.shape, np.nan)
    if geldig.any():
        lo, hi = proportion_confint(t[geldig], n[geldig], alpha=alpha, method="wilson")
        onder[geldig] = lo
        boven[geldig] = hi
    return onder, boven


def _controleer_aantal(x: np.ndarray) -> None:
    if np.any(x < 0):
        raise ValueError("een aantal kan niet negatief zijn")


def poisson_exact_ci(aantal, betrouwbaarheid: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) Poisson interval for a count.

    Parameters
    ----------
    aantal : scalar, array or Series
        Observed count(s), >= 0.
    betrouwbaarheid : float
        Confidence level, 0.95 or 95.

    Returns
    -------
    onder, boven : ndarray
        Limits of the expected count. onder is 0 for aantal 0; NaN where aantal is
        missing.

    Notes
    -----
    ``onder = chi2.ppf(alpha/2, 2x) / 2`` and ``boven = chi2.ppf(1 - alpha/2, 2x + 2) / 2``
    (scipy), equivalently gamma quantiles.

    References
    ----------
    Garwood, F. (1936). Fiducial limits for the Poisson distribution.
    Biometrika 28: 437-442.
    """
    alpha = _alpha(betrouwbaarheid)
    x = _getallen(aantal)
    _controleer_aantal(x)
    with np.errstate(invalid="ignore"):
        onder = np.where(x == 0, 0.0, stats.chi2.ppf(alpha / 2, 2 * x) / 2)
        boven = stats.chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2
    return np.asarray(onder, dtype=float), np.asarray(boven, dtype=float)


def byar_ci(aantal, betrouwbaarheid: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Byar's approximation of the Poisson interval for a count.

    Parameters
    ----------
    aantal : scalar, array or Series
        Observed count(s), >= 0.
    betrouwbaarheid : float
        Confidence level, 0.95 or 95.

    Returns
    -------
    onder, boven : ndarray
        Limits of the expected count. onder is NaN where the approximation turns
        negative (small counts, e.g. 1 at 99.8%, and 0), as in PHEindicatormethods;
        use :func:`poisson_ci` for small counts.

    Notes
    -----
    ``onder = x (1 - 1/(9x) - z/(3 sqrt(x)))³``,
    ``boven = (x+1) (1 - 1/(9(x+1)) + z/(3 sqrt(x+1)))³`` with ``z = Φ⁻¹(1 - alpha/2)``.
    Written here because neither scipy nor statsmodels has it.

    References
    ----------
    Breslow, N.E. & Day, N.E. (1987). Statistical methods in cancer research, vol. II,
    IARC, p. 69.
    """
    alpha = _alpha(betrouwbaarheid)
    x = _getallen(aantal)
    _controleer_aantal(x)
    z = stats.norm.isf(alpha / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        onder = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
        x1 = x + 1
        boven = x1 * (1 - 1 / (9 * x1) + z / (3 * np.sqrt(x1))) ** 3
    onder = np.where(np.isfinite(onder) & (onder >= 0), onder, np.nan)
    return np.asarray(onder, dtype=float), np.asarray(boven, dtype=float)


def poisson_ci(
    aantal, betrouwbaarheid: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Interval for a count by the PHE rule: exact below 10, Byar from 10.

    Parameters
    ----------
    aantal : scalar, array or Series
        Observed count(s), >= 0.
    betrouwbaarheid : float
        Confidence level, 0.95 or 95.

    Returns
    -------
    onder, boven : ndarray
        Limits of the expected count (NaN where aantal is missing).
    methode : ndarray of object
        ``"Exact Poisson"`` (aantal < 10) or ``"Byar"`` (aantal >= 10); None where
        aantal is missing. (PHEindicatormethods calls these "Exact" and "Byars".)

    Notes
    -----
    See :func:`poisson_exact_ci` and :func:`byar_ci`.

    Examples
    --------
    >>> onder, boven, methode = poisson_ci([1, 65])
    >>> methode.tolist()
    ['Exact Poisson', 'Byar']
    """
    x = _getallen(aantal)
    onder, boven = byar_ci(x, betrouwbaarheid)
    onder, boven = np.atleast_1d(onder).copy(), np.atleast_1d(boven).copy()
    exact = x < _BYAR_VANAF
    e = np.atleast_1d(exact)
    if e.any():  # the chi-square quantiles are the slow part: only where needed
        onder[e], boven[e] = poisson_exact_ci(np.atleast_1d(x)[e], betrouwbaarheid)
    onder, boven = onder.reshape(x.shape), boven.reshape(x.shape)
    methode = np.where(exact, METHODE_EXACT, METHODE_BYAR).astype(object)
    methode = np.where(np.isnan(x), None, methode)
    return onder, boven, methode


def gemiddelde_t_ci(
    gemiddelde, sd, n, betrouwbaarheid: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Student t interval for a mean.

    Parameters
    ----------
    gemiddelde, sd, n : scalar, array or Series
        Sample mean, sample standard deviation (ddof=1) and number of values.
    betrouwbaarheid : float
        Confidence level, 0.95 or 95.

    Returns
    -------
    onder, boven : ndarray
        ``gemiddelde ∓ t(1 - alpha/2, n - 1) · sd / sqrt(n)``; NaN where n < 2 or an
        input is missing.

    Notes
    -----
    t quantile from :data:`scipy.stats.t`.
    """
    alpha = _alpha(betrouwbaarheid)
    m, s, k = np.broadcast_arrays(_getallen(gemiddelde), _getallen(sd), _getallen(n))
    with np.errstate(invalid="ignore", divide="ignore"):
        geldig = k >= 2
        marge = stats.t.ppf(1 - alpha / 2, np.where(geldig, k - 1, np.nan)) * s / np.sqrt(k)
    return m - marge, m + marge


def _mediaan_rang(n: np.ndarray, alpha: float) -> np.ndarray:
    """Rank k (1-based) of the lower order statistic of the median interval.

    The largest k with ``P(B <= k - 1) <= alpha/2`` for ``B ~ Binomial(n, 1/2)``;
    0 when no such k exists (n too small). The interval is ``[x_(k), x_(n-k+1)]``
    with coverage ``1 - 2 P(B <= k - 1) >= 1 - alpha``.
    """
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore"):
        q = stats.binom.ppf(alpha / 2, n, 0.5)  # smallest q with cdf(q) >= alpha/2
        # cdf(q - 1) < alpha/2 <= cdf(q): k - 1 = q - 1, unless cdf(q) == alpha/2 exactly
        gelijk = np.isclose(stats.binom.cdf(q, n, 0.5), alpha / 2, rtol=1e-12, atol=0)
        k = q + gelijk
    k = np.where(np.isfinite(k) & (n > 0), k, 0)
    return k.astype(np.int64)


def mediaan_ci(waarden, betrouwbaarheid: float = 0.95) -> tuple[float, float]:
    """Distribution-free confidence interval for the median of one sample.

    Parameters
    ----------
    waarden : array-like or Series
        The values; missing values are ignored.
    betrouwbaarheid : float
        Confidence level, 0.95 or 95.

    Returns
    -------
    onder, boven : float
        Order statistics ``x_(k)`` and ``x_(n-k+1)``; NaN when n is too small for
        the requested level (n <= 5 at 95%).

    Notes
    -----
    k is the largest rank with ``P(B <= k-1) <= alpha/2``, ``B ~ Binomial(n, 1/2)``
    (scipy.stats.binom); actual coverage ``1 - 2 P(B <= k-1)`` is at least the level.
    Example: n = 10 at 95% gives k = 2 (P(B <= 1) = 11/1024), coverage 97.9%.
    Same interval as :func:`scipy.stats.quantile_test` ``.confidence_interval()``.

    References
    ----------
    Conover, W.J. (1999). Practical nonparametric statistics, 3rd ed., §3.2.
    """
    alpha = _alpha(betrouwbaarheid)
    x = np.sort(_getallen(waarden).ravel())
    x = x[~np.isnan(x)]
    n = x.size
    k = int(_mediaan_rang(np.array(n), alpha))
    if k < 1:
        return np.nan, np.nan
    return float(x[k - 1]), float(x[n - k])


def mediaan_met_ci(
    df: pd.DataFrame,
    waarde_kolom: str,
    groep_kolommen: Sequence[str] | str = (),
    betrouwbaarheid: float = 0.95,
) -> pd.DataFrame:
    """Median with distribution-free interval and quartiles per group.

    Vectorised: the values are sorted once (by group, then value) and every order
    statistic is read by position, so ~1M rows over ~10k groups take well under
    a second.

    Parameters
    ----------
    df : DataFrame
        Tidy data, one row per value. Not modified.
    waarde_kolom : str
        Numeric column; missing values are ignored (not counted in n).
    groep_kolommen : str or sequence of str
        Grouping columns; empty = one group for the whole frame.
    betrouwbaarheid : float
        Confidence level, 0.95 or 95.

    Returns
    -------
    DataFrame
        One row per group (sorted by the group columns; groups whose values are all
        missing are kept with n = 0), columns:

        * the group columns
        * ``n``: number of non-missing values
        * ``mediaan``: median (mean of the two middle values for even n)
        * ``ondergrens``, ``bovengrens``: interval as in :func:`mediaan_ci`
          (NaN when n is too small)
        * ``p25``, ``p75``: quartiles, linear interpolation (pandas/numpy default)

    Notes
    -----
    See :func:`mediaan_ci` for the interval. Quantile at p: position
    ``h = (n - 1) p`` (0-based), ``x_floor(h) + (h - floor(h)) (x_ceil(h) - x_floor(h))``.
    """
    alpha = _alpha(betrouwbaarheid)
    if isinstance(groep_kolommen, str):
        groep_kolommen = [groep_kolommen]
    groep_kolommen = list(groep_kolommen)
    waarden = _getallen(df[waarde_kolom])
    if groep_kolommen:
        gb = df.groupby(groep_kolommen, sort=True, observed=True, dropna=False)
        codes = gb.ngroup().to_numpy()
        sleutels = gb.size().index.to_frame(index=False)
    else:
        codes = np.zeros(len(df), dtype=np.int64)
        sleutels = pd.DataFrame(index=range(1))
    aantal_groepen = len(sleutels)
    geldig = ~np.isnan(waarden)
    codes, waarden = codes[geldig], waarden[geldig]
    volgorde = np.lexsort((waarden, codes))
    x = waarden[volgorde]
    n = np.bincount(codes, minlength=aantal_groepen).astype(np.int64)
    start = np.concatenate(([0], np.cumsum(n)[:-1]))

    def kwantiel(p: float) -> np.ndarray:
        h = (n - 1) * p
        lo = np.floor(h).astype(np.int64)
        hi = np.ceil(h).astype(np.int64)
        uit = np.full(aantal_groepen, np.nan)
        ok = n > 0
        xl = x[start[ok] + lo[ok]]
        xh = x[start[ok] + hi[ok]]
        uit[ok] = xl + (h[ok] - lo[ok]) * (xh - xl)
        return uit

    k = _mediaan_rang(n, alpha)
    ok = k >= 1
    onder = np.full(aantal_groepen, np.nan)
    boven = np.full(aantal_groepen, np.nan)
    onder[ok] = x[start[ok] + k[ok] - 1]
    boven[ok] = x[start[ok] + n[ok] - k[ok]]

    uit = sleutels.copy()
    uit["n"] = n
    uit["mediaan"] = kwantiel(0.5)
    uit["ondergrens"] = onder
    uit["bovengrens"] = boven
    uit["p25"] = kwantiel(0.25)
    uit["p75"] = kwantiel(0.75)
    return uit


def intervallen(
    tabel: pd.DataFrame, type: str | pd.Series, betrouwbaarheid: float = 0.95
) -> pd.DataFrame:
    """Fill ondergrens/bovengrens/methode of a tidy indicator table.

    Parameters
    ----------
    tabel : DataFrame
        Tidy indicator table (columns :data:`~monitoranalyse.contract.INDICATOR_KOLOMMEN`).
        Not modified.
    type : str or Series
        Statistic type (see :mod:`monitoranalyse.indicatoren.catalogus`) for all rows, or a
        Series aligned with the rows of ``tabel``.
    betrouwbaarheid : float
        Confidence level, 0.95 or 95.

    Returns
    -------
    DataFrame
        A copy of ``tabel`` with, per type:

        * ``proportie``: Wilson interval of teller/noemer as a fraction (0-1),
          methode ``"Wilson"``; ``waarde`` is expected to be that fraction;
        * ``aantal``: :func:`poisson_ci` on teller, methode ``"Exact Poisson"`` or
          ``"Byar"``;
        * ``ratio``: :func:`poisson_ci` on teller, scaled to the rate by
          ``waarde / teller`` (so any multiplier such as "per 1.000 inwoners" is kept).
          For teller 0 the scale is ``m / noemer`` with m the multiplier
          ``waarde·noemer/teller`` seen on the other rows of the same indicator;
          when no row shows it, the limits stay NaN;
        * ``gemiddelde``, ``mediaan``, ``bedrag``: rows left as they are (their
          intervals need the raw values and are computed by the indicator code).

        Rows whose inputs are missing keep their existing limits and methode.

    Raises
    ------
    ValueError
        For an unknown type or invalid inputs (negative counts, teller > noemer).
    """
    from monitoranalyse.indicatoren.catalogus import STATISTIEK_TYPES

    uit = tabel.copy()
    for kol in ("ondergrens", "bovengrens"):
        if kol not in uit:
            uit[kol] = np.nan
        uit[kol] = uit[kol].astype("float64")
    if "methode" not in uit:
        uit["methode"] = pd.Series([None] * len(uit), index=uit.index, dtype=object)
    else:
        uit["methode"] = uit["methode"].astype(object)
    if len(uit) == 0:
        return uit

    if isinstance(type, str):
        typen = np.full(len(uit), type, dtype=object)
    else:
        typen = pd.Series(type).reindex(uit.index).to_numpy(dtype=object)
    onbekend = set(pd.unique(typen[pd.notna(typen)])) - set(STATISTIEK_TYPES)
    if onbekend:
        raise ValueError(
            f"onbekend statistiektype {sorted(map(str, onbekend))}; "
            f"toegestaan: {', '.join(STATISTIEK_TYPES)}"
        )

    teller = _getallen(uit["teller"])
    noemer = _getallen(uit["noemer"])
    waarde = _getallen(uit["waarde"])
    onder = uit["ondergrens"].to_numpy(dtype=float, copy=True)
    boven = uit["bovengrens"].to_numpy(dtype=float, copy=True)
    methode = uit["methode"].to_numpy(dtype=object, copy=True)

    # proportie
    sel = (typen == "proportie") & np.isfinite(teller) & np.isfinite(noemer) & (noemer > 0)
    if sel.any():
        lo, hi = wilson_ci(teller[sel], noemer[sel], betrouwbaarheid)
        onder[sel], boven[sel], methode[sel] = lo, hi, METHODE_WILSON

    # aantal
    sel = (typen == "aantal") & np.isfinite(teller)
    if sel.any():
        lo, hi, m = poisson_ci(teller[sel], betrouwbaarheid)
        onder[sel], boven[sel], methode[sel] = lo, hi, m

    # ratio: count interval times (rate per count)
    is_ratio = typen == "ratio"
    if is_ratio.any():
        with np.errstate(divide="ignore", invalid="ignore"):
            schaal = np.where(teller > 0, waarde / teller, np.nan)
            vermenigvuldiger = waarde * noemer / teller
        nul = is_ratio & (teller == 0) & np.isfinite(noemer) & (noemer > 0)
        if nul.any():
            ind = uit["indicator"].to_numpy(dtype=object)
            bekend = is_ratio & np.isfinite(vermenigvuldiger) & (teller > 0)
            per_ind = (
                pd.Series(vermenigvuldiger[bekend], index=ind[bekend]).groupby(level=0).median()
            )
            m_nul = pd.Series(ind[nul]).map(per_ind).to_numpy(dtype=float)
            schaal[nul] = m_nul / noemer[nul]
        sel = is_ratio & np.isfinite(teller) & np.isfinite(schaal)
        if sel.any():
            lo, hi, m = poisson_ci(teller[sel], betrouwbaarheid)
            onder[sel] = lo * schaal[sel]
            boven[sel] = hi * schaal[sel]
            methode[sel] = m

    uit["ondergrens"] = onder
    uit["bovengrens"] = boven
    uit["methode"] = methode
    return uit

"""Trends over time in the tidy indicator table.

Three questions a gemeente asks of every indicator, per wijkteam:

* :func:`trend` -- does the indicator rise or fall over the whole period, by how much per
  year, and is that more than noise? (a regression that fits the statistic, with
  Newey-West/HAC standard errors, plus Mann-Kendall/Sen as a distribution-free check)
* :func:`onderbroken_tijdreeks` -- did the level or the slope change at a policy change
  (segmented regression of an interrupted time series)?
* :func:`verschuiving` -- the shift in the zwaarte mix: did the share of lichte zorg grow?

A *series* is one (gemeente, wijkteam, indicator, uitsplitsing) ordered by
``periode_start``. The statistic type (``proportie``, ``aantal``, ``ratio``,
``gemiddelde``, ``mediaan``, ``bedrag``) and the better direction (``hoger``/``lager``)
come from :data:`monitoranalyse.indicatoren.catalogus.INDICATOREN`; the ``type=`` and ``beter=``
arguments override the catalog (a string for every indicator, or a dict per code).

Units used throughout (same scale as ``waarde``):

* proportie: fractions; slopes and level changes are differences of fractions per year
  (0.031 = "+3,1 procentpunt", see :func:`monitoranalyse.tekst.procentpunt`);
  ``eenheid == "procentpunt"``.
* aantal / ratio: relative change (0.05 = "+5% per jaar"); ``eenheid == "procent"``.
* gemiddelde / mediaan / bedrag: units of ``waarde`` per year; ``eenheid`` from the
  catalog (or ``"eenheden"``).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Callable

import numpy as np
import pandas as pd
import pymannkendall as mk
import statsmodels.api as sm
from scipy import stats

from monitoranalyse import tekst
from monitoranalyse.indicatoren import catalogus
from monitoranalyse.contract import TOTAAL, Beleidswijziging, in_basis
from monitoranalyse.analyse.vergelijking import zin_kleinste_verschil

__all__ = ["trend", "onderbroken_tijdreeks", "verschuiving", "REEKS_SLEUTELS", "IMPACTMODELLEN"]

#: Columns that identify a series in the tidy indicator table.
REEKS_SLEUTELS: list[str] = ["gemeente", "wijkteam", "indicator", "uitsplitsing"]

_TYPES = ("proportie", "aantal", "ratio", "gemiddelde", "mediaan", "bedrag")
#: Pearson chi2/df above which a Poisson trend is refitted as negative binomial.
_OVERDISPERSIE = 1.5
#: Power at which a trend or policy effect counts as detectable (issue 19).
ONDERSCHEIDEND_VERMOGEN = 0.80
#: Months of data from which monthly series use the seasonal Mann-Kendall test.
_MK_SEIZOEN_MIN_MAANDEN = 36

TREND_KOLOMMEN = [
    *REEKS_SLEUTELS,
    "n_punten",
    "periode_van",
    "periode_tot",
    "methode",
    "helling_per_jaar",
    "ondergrens",
    "bovengrens",
    "p_waarde",
    "mk_tau",
    "mk_p_waarde",
    "sen_helling_per_jaar",
    "kleinste_helling_per_jaar",
    "richting",
    "beoordeling",
    "zin",
    "eenheid",
]
ITS_KOLOMMEN = [
    *REEKS_SLEUTELS,
    "wijziging_datum",
    "wijziging_label",
    "niveau_verandering",
    "niveau_ondergrens",
    "niveau_bovengrens",
    "niveau_p",
    "helling_verandering",
    "helling_ondergrens",
    "helling_bovengrens",
    "helling_p",
    "eenheid",
    "zin",
    "impactmodel",
    "methode",
    "kleinste_niveau_verandering",
    "kleinste_helling_verandering",
]
VERSCHUIVING_KOLOMMEN = [
    "gemeente",
    "wijkteam",
    "aandeel_begin",
    "aandeel_eind",
    "jaar_begin",
    "jaar_eind",
    "helling_procentpunt_per_jaar",
    "p_waarde",
    "richting",
    "zin",
]


# ---------------------------------------------------------------------------
# Catalog look-ups (shared with spc.py and prognose.py)
# ---------------------------------------------------------------------------

_catalogus_geladen = False


def _catalogus_item(code: str) -> catalogus.Indicator | None:
    """The catalog entry for ``code`` or None (never raises: the catalog may be empty)."""
    global _catalogus_geladen
    if not catalogus.INDICATOREN and not _catalogus_geladen:
        _catalogus_geladen = True
        try:  # the indicator module fills the catalog on import
            from monitoranalyse import indicatoren  # noqa: F401
        except ImportError:
            pass
    return catalogus.INDICATOREN.get(code)


def _per_code(arg: Any, code: str) -> Any:
    if isinstance(arg, Mapping):
        return arg.get(code)
    return arg


def _statistiek_type(code: str, type: str | Mapping[str, str] | None) -> str:
    """Statistic type of ``code``: explicit argument first, then the catalog."""
    t = _per_code(type, code)
    if t is None:
        item = _catalogus_item(code)
        t = item.type if item is not None else None
    if t is None:
        raise ValueError(
            f"Het statistiektype van indicator '{code}' is onbekend: het staat niet in de "
            f"catalogus en er is geen type= meegegeven (kies uit {', '.join(_TYPES)})."
        )
    if t not in _TYPES:
        raise ValueError(f"Onbekend statistiektype '{t}' voor '{code}'; kies uit {', '.join(_TYPES)}.")
    return t


def _beter(code: str, beter: str | Mapping[str, str] | None) -> str | None:
    """Better direction: explicit ``hoger``/``lager``/``geen`` first, then the catalog.

    Returns None when no direction is known (the result is then called "neutraal").
    """
    b = _per_code(beter, code)
    if b is None:
        item = _catalogus_item(code)
        b = item.beter if item is not None else None
    if b in (None, "geen", ""):
        return None
    if b not in ("hoger", "lager"):
        raise ValueError(f"beter= moet 'hoger', 'lager' of 'geen' zijn, niet '{b}' ({code}).")
    return b


def _naam(code: str) -> str:
    item = _catalogus_item(code)
    return item.naam if item is not None else code.replace("_", " ")


def _begin(naam: str, hoofdletter: bool) -> str:
    """Sentence-initial or mid-sentence form of a name; abbreviations (ZRM) are kept."""
    if not naam or (len(naam) > 1 and naam[1].isupper()):
        return naam
    return (naam[0].upper() if hoofdletter else naam[0].lower()) + naam[1:]


def _eenheid(code: str, stype: str) -> str:
    if stype == "proportie":
        return "procentpunt"
    if stype in ("aantal", "ratio"):
        return "procent"
    item = _catalogus_item(code)
    return (item.eenheid if item is not None and item.eenheid else "eenheden")


def _plaats(gemeente: str, wijkteam: str) -> str:
    if wijkteam in ("", TOTAAL) or pd.isna(wijkteam):
        return f"de gemeente {gemeente}"
    return str(wijkteam)


# ---------------------------------------------------------------------------
# Table and series helpers
# ---------------------------------------------------------------------------


def _voorbereid(tabel: pd.DataFrame, nodig: Iterable[str] = ()) -> pd.DataFrame:
    """A validated copy with datetime periods and the optional columns filled."""
    vereist = ["gemeente", "wijkteam", "indicator", "periode_start", "waarde", *nodig]
    ontbreekt = [k for k in vereist if k not in tabel.columns]
    if ontbreekt:
        raise ValueError(f"De indicatortabel mist de kolom(men): {', '.join(ontbreekt)}.")
    t = tabel.copy()
    if "uitsplitsing" not in t.columns:
        t["uitsplitsing"] = ""
    t["uitsplitsing"] = t["uitsplitsing"].fillna("")
    for k in ("teller", "noemer"):
        if k not in t.columns:
            t[k] = np.nan
        t[k] = pd.to_numeric(t[k], errors="coerce")
    t["waarde"] = pd.to_numeric(t["waarde"], errors="coerce")
    t["periode_start"] = pd.to_datetime(t["periode_start"])
    if "periode_eind" in t.columns:
        t["periode_eind"] = pd.to_datetime(t["periode_eind"])
    else:
        t["periode_eind"] = pd.NaT
    return t.sort_values([*REEKS_SLEUTELS, "periode_start"], kind="stable")


def _reeksen(t: pd.DataFrame) -> Iterator[tuple[tuple, pd.DataFrame]]:
    for sleutel, df in t.groupby(REEKS_SLEUTELS, sort=True, dropna=False):
        yield sleutel, df.reset_index(drop=True)


def _stap_maanden(starts: pd.Series) -> int:
    """Length of one period in months (median distance between consecutive starts)."""
    s = pd.DatetimeIndex(starts.drop_duplicates().sort_values())
    if len(s) < 2:
        return 12
    m = np.diff(s.year * 12 + s.month)
    return max(1, int(np.median(m)))


def _posities(starts: pd.Series, stap: int) -> np.ndarray:
    s = pd.DatetimeIndex(starts)
    m = s.year * 12 + s.month
    return ((m - m.min()) // stap).to_numpy()


def _jaren(starts: pd.Series, begin: pd.Timestamp) -> np.ndarray:
    """Time in years since ``begin`` (months/12, so every month counts the same)."""
    s = pd.DatetimeIndex(starts)
    return ((s.year - begin.year) * 12 + (s.month - begin.month)).to_numpy() / 12.0


def _fourier(starts: pd.Series, per_jaar: int, k_max: int = 2) -> np.ndarray:
    """Fourier seasonal terms sin/cos(2 pi k month/12), k = 1..min(k_max, per_jaar/2).

    Columns that are (numerically) constant zero or duplicates are dropped (e.g. the
    sine at k = per_jaar/2).
    """
    maand = pd.DatetimeIndex(starts).month.to_numpy() - 1
    kolommen = []
    for k in range(1, min(k_max, per_jaar // 2) + 1):
        for f in (np.sin, np.cos):
            c = f(2 * np.pi * k * maand / 12.0)
            if np.ptp(c) > 1e-8 and not any(np.allclose(c, d) for d in kolommen):
                kolommen.append(c)
    return np.column_stack(kolommen) if kolommen else np.empty((len(maand), 0))


def _maxlags(n: int) -> int:
    """Newey-West lag truncation floor(4 (n/100)^(2/9)) (Newey & West 1994); at least 1."""
    return max(1, int(np.floor(4 * (n / 100.0) ** (2.0 / 9.0))))


def _fit_hac(model, maxlags: int, *, klein: bool = True, **fit_kwargs):
    """Fit a statsmodels model with Newey-West (Bartlett kernel) HAC covariance.

    ``klein=True`` applies the small-sample correction n/(n-k) and t reference
    distribution, which equals Stata ``newey y x, lag(maxlags)``; ``klein=False`` is the
    large-sample (z-based) variant, Stata ``ivreg2, robust bw(maxlags+1)``. This is the
    single code path every trend and segmented regression in this module uses.
    """
    return model.fit(
        cov_type="HAC",
        cov_kwds={"maxlags": int(maxlags), "use_correction": bool(klein)},
        use_t=bool(klein),
        **fit_kwargs,
    )


def _mann_kendall(x: np.ndarray, seizoensperiode: int | None = None, alpha: float = 0.05) -> dict:
    """Mann-Kendall trend test and Sen's slope via pymannkendall.

    ``x`` holds the values on a regular grid, NaN for missing periods (pymannkendall
    drops NaNs for the test but keeps the time positions for Sen's slope). With
    ``seizoensperiode`` (e.g. 12) the seasonal Kendall test (Hirsch et al. 1982) and
    seasonal Sen slope are used. Returns tau, p, helling (per grid step), intercept, test.
    """
    x = np.asarray(x, dtype=float)
    if seizoensperiode:
        r = mk.seasonal_test(x, period=int(seizoensperiode), alpha=alpha)
        test = f"seizoens-Mann-Kendall (periode {seizoensperiode})"
    else:
        r = mk.original_test(x, alpha=alpha)
        test = "Mann-Kendall"
    return {
        "tau": float(r.Tau),
        "p": float(r.p),
        "s": float(r.s),
        "var_s": float(r.var_s),
        "z": float(r.z),
        "helling": float(r.slope),
        "intercept": float(r.intercept),
        "test": test,
    }


def _delta(f: Callable[[np.ndarray], float], params: np.ndarray, cov: np.ndarray) -> tuple[float, float]:
    """Value and delta-method standard error of ``f(params)`` (central differences)."""
    params = np.asarray(params, dtype=float)
    waarde = float(f(params))
    grad = np.zeros_like(params)
    for j in range(len(params)):
        h = 1e-6 * max(1.0, abs(params[j]))
        e = np.zeros_like(params)
        e[j] = h
        grad[j] = (f(params + e) - f(params - e)) / (2 * h)
    return waarde, float(np.sqrt(max(grad @ cov @ grad, 0.0)))


def _expit(x):
    return 1.0 / (1.0 + np.exp(-x))


def _p_tekst(p: float) -> str:
    if p is None or not np.isfinite(p):
        return "p onbekend"
    if p < 0.001:
        return "p < 0,001"
    return f"p = {tekst.getal(p, 3)}"


def _maat(x: float, eenheid: str) -> str:
    """A signed change in its unit, Dutch: '+3,1 procentpunt', '-4,2%', '+1,25 dagen'."""
    if x is None or not np.isfinite(x):
        return "–"
    if eenheid == "procentpunt":
        return tekst.procentpunt(x)
    if eenheid == "procent":
        return f"{tekst.getal(100 * x, 1, teken=True)}%"
    dec = 0 if str(eenheid).startswith("euro") else (1 if abs(x) >= 10 else 2)  # euros: whole
    return f"{tekst.getal(x, dec, teken=True)} {eenheid}".rstrip()


def _in_basis(df: pd.DataFrame) -> np.ndarray:
    """Rows a fit may use: ``volledig`` not False and ``inloop`` not True (when present).

    Shared contract for trend, onderbroken_tijdreeks, spc, caseload_prognose and funnel:
    an incomplete period or a stock figure still building up is never fitted on.
    """
    return in_basis(df).to_numpy(bool)


def _geldig(df: pd.DataFrame, stype: str) -> pd.DataFrame:
    """Rows usable for a model of this statistic type (complete periods only)."""
    df = df.loc[_in_basis(df)]
    if stype == "proportie":
        ok = df["teller"].notna() & (df["noemer"] > 0) & (df["teller"] >= 0) & (df["teller"] <= df["noemer"])
    elif stype == "aantal":
        y = df["teller"].where(df["teller"].notna(), df["waarde"])
        df = df.assign(teller=y)
        ok = y.notna() & (y >= 0)
    elif stype == "ratio":
        ok = df["teller"].notna() & (df["noemer"] > 0) & (df["teller"] >= 0)
    else:
        ok = df["waarde"].notna()
    return df.loc[ok].reset_index(drop=True)


def _quasi_cov(model) -> np.ndarray:
    """Model-based covariance of a GLM scaled by Pearson chi2/df (quasi-likelihood).

    Computed by hand because ``fit(scale="X2")`` mis-scales a two-column binomial endog.
    """
    r = model.fit()
    phi = r.pearson_chi2 / max(r.df_resid, 1)
    return np.asarray(r.cov_params()) * phi


def _glm_of_ols(df: pd.DataFrame, X: np.ndarray, stype: str, maxlags: int, *, negbin: bool = True):
    """Fit the model that suits the statistic.

    ``negbin=False`` keeps overdispersed counts in the quasi-Poisson fit (Poisson GLM,
    covariance scaled by Pearson chi2/df) instead of switching to NB2.

    Returns ``(result, covs, methode)``: ``result`` is the HAC fit (:func:`_fit_hac`),
    ``covs`` the two covariance matrices of the mean parameters (HAC and model-based
    quasi-likelihood, i.e. scaled by Pearson chi2/df for GLMs), ``methode`` a Dutch
    description. Inference uses the larger of the two variances (:func:`_schatting`).
    """
    k = X.shape[1]
    if stype == "proportie":
        y = np.column_stack([df["teller"], df["noemer"] - df["teller"]])
        model = sm.GLM(y, X, family=sm.families.Binomial())
        res = _fit_hac(model, maxlags)
        return res, [res.cov_params(), _quasi_cov(model)], "binomiale GLM (logit)"
    if stype in ("aantal", "ratio"):
        y = df["teller"].to_numpy(float)
        offset = np.log(df["noemer"].to_numpy(float)) if stype == "ratio" else None
        model = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset)
        res = _fit_hac(model, maxlags)
        modelcov = _quasi_cov(model)
        log = "log" + (", offset log(noemer))" if offset is not None else ")")
        methode = "Poisson-GLM (" + log
        dispersie = res.pearson_chi2 / max(res.df_resid, 1)
        if not negbin:
            methode = "quasi-Poisson-GLM (" + log + f"; Pearson-schaal {tekst.getal(dispersie, 2)})"
        if negbin and dispersie > _OVERDISPERSIE:
            try:
                nb = sm.NegativeBinomial(y, X, offset=offset, loglike_method="nb2")
                with np.errstate(all="ignore"):
                    res_nb = _fit_hac(nb, maxlags, disp=0, maxiter=200)
                    nb_cov = np.asarray(nb.fit(start_params=res_nb.params, disp=0, maxiter=200).cov_params())
                if np.all(np.isfinite(res_nb.bse)) and res_nb.mle_retvals.get("converged", True):
                    hac = np.asarray(res_nb.cov_params())[:k, :k]
                    return res_nb, [hac, nb_cov[:k, :k]], (
                        f"negatief-binomiale regressie ({log}; overdispersie {tekst.getal(dispersie, 1)}"
                    )
            except Exception:  # noqa: BLE001 - fall back to the quasi-Poisson fit
                pass
        return res, [res.cov_params(), modelcov], methode
    model = sm.OLS(df["waarde"].to_numpy(float), X)
    res = _fit_hac(model, maxlags)
    return res, [res.cov_params(), model.fit().cov_params()], "OLS"


def _schatting(f, res, covs, alpha: float) -> tuple[float, float, float, float, float]:
    """Estimate, CI and p-value of a function of the mean parameters.

    ``f`` is a column index (a coefficient) or a function of the parameter vector
    (delta method). The standard error is the LARGER of the HAC and the model-based
    (quasi-likelihood) one, with a t reference distribution on the residual degrees of
    freedom. Returns (estimate, se, lower, upper, p) on the linear-predictor scale for an
    index, or on the scale of ``f``.
    """
    params = np.asarray(res.params, dtype=float)[: np.asarray(covs[0]).shape[0]]
    if isinstance(f, (int, np.integer)):
        j = int(f)
        waarde = params[j]
        se = max(float(np.sqrt(np.asarray(c)[j, j])) for c in covs)
    else:
        uitkomsten = [_delta(f, params, np.asarray(c)) for c in covs]
        waarde = uitkomsten[0][0]
        se = max(u[1] for u in uitkomsten)
    df = max(float(res.df_resid), 1.0)
    krit = float(stats.t.ppf(1 - alpha / 2, df))
    p = float(2 * stats.t.sf(abs(waarde) / se, df)) if se > 0 else np.nan
    return float(waarde), se, waarde - krit * se, waarde + krit * se, p


def _effect(stype: str, f_proportie, j: int, res, covs, alpha: float,
            kracht: float = ONDERSCHEIDEND_VERMOGEN) -> tuple[float, float, float, float, float]:
    """(estimate, lower, upper, p, minimal detectable effect) of coefficient ``j``.

    proportie: ``f_proportie`` (delta method, probability scale), p-value of ``b_j = 0``;
    aantal/ratio: ``exp(b_j) - 1`` with the transformed interval; otherwise ``b_j``.
    The minimal detectable effect is :func:`_kleinste_effect` of the standard error
    used for the test, on the same reporting scale (aantal/ratio: ``exp(k·se) - 1``).
    """
    w, se, lo, hi, p = _schatting(j, res, covs, alpha)
    df = max(float(res.df_resid), 1.0)
    if stype == "proportie":
        w, se, lo, hi, _ = _schatting(f_proportie, res, covs, alpha)
        mde = _kleinste_effect(se, df, alpha, kracht)
    elif stype in ("aantal", "ratio"):
        w, lo, hi = np.expm1(w), np.expm1(lo), np.expm1(hi)
        mde = np.expm1(_kleinste_effect(se, df, alpha, kracht))
    else:
        mde = _kleinste_effect(se, df, alpha, kracht)
    return float(w), float(lo), float(hi), float(p), float(mde)


def _kleinste_effect(se: float, df: float, alpha: float, kracht: float = ONDERSCHEIDEND_VERMOGEN) -> float:
    """Minimal detectable effect of a two-sided t test: ``(t_{1-α/2} + t_{kracht})·se``.

    The effect at which a Wald test with standard error ``se`` and ``df`` residual
    degrees of freedom rejects with probability ``kracht`` (the other tail ignored);
    the standard power approximation for a regression coefficient (Cohen 1988;
    Chow, Shao & Wang 2008, §3.1). ``se`` is the one the fit reports (the larger of
    Newey-West HAC and quasi-likelihood), so it carries the series' length, noise and
    autocorrelation.
    """
    return float((stats.t.ppf(1 - alpha / 2, df) + stats.t.ppf(kracht, df)) * se)


# ---------------------------------------------------------------------------
# trend
# ---------------------------------------------------------------------------


def _beoordeling(richting: str, beter: str | None) -> str | None:
    if richting == "te_weinig_gegevens":
        return None
    if richting == "geen_trend" or beter is None:
        return "neutraal"
    goed = (richting == "stijgend") == (beter == "hoger")
    return "verbetering" if goed else "verslechtering"


def _periode_tekst(start, eind) -> str:
    if pd.isna(eind):
        return tekst.maand_jaar(start)
    return tekst.periode_label(start, eind)


def _trend_reeks(
    sleutel: tuple, df: pd.DataFrame, stype: str, beter: str | None, min_punten: int, alpha: float, seizoen: bool
) -> dict:
    gemeente, wijkteam, code, uitsplitsing = sleutel
    df = _geldig(df, stype)
    n = len(df)
    eenheid = _eenheid(code, stype)
    rij: dict[str, Any] = dict(zip(REEKS_SLEUTELS, sleutel))
    rij.update(
        n_punten=n,
        periode_van=df["periode_start"].min() if n else pd.NaT,
        periode_tot=df["periode_start"].max() if n else pd.NaT,
        methode="",
        helling_per_jaar=np.nan,
        ondergrens=np.nan,
        bovengrens=np.nan,
        p_waarde=np.nan,
        mk_tau=np.nan,
        mk_p_waarde=np.nan,
        sen_helling_per_jaar=np.nan,
        kleinste_helling_per_jaar=np.nan,
        richting="te_weinig_gegevens",
        beoordeling=None,
        eenheid=eenheid,
    )
    naam = _naam(code) + (f" ({uitsplitsing})" if uitsplitsing else "")
    if stype == "bedrag" and n:
        # an amount is per period: name the base ("kosten maatwerk per kwartaal ... per jaar")
        maanden = round((df["periode_eind"].iloc[0] - df["periode_start"].iloc[0]).days / 30.44)
        naam += {1: " per maand", 3: " per kwartaal", 6: " per halfjaar", 12: " per jaar"}.get(maanden, "")
    plaats = _plaats(gemeente, wijkteam)
    geen_variatie = stype == "proportie" and n and (
        df["teller"].sum() == 0 or df["teller"].sum() == df["noemer"].sum()
    )
    if n < min_punten or df["periode_start"].nunique() < n or geen_variatie:
        reden = f"{n} perioden, minimaal {min_punten} nodig" if n < min_punten else "geen variatie of dubbele perioden"
        rij["methode"] = "te weinig gegevens"
        rij["zin"] = f"Voor {_begin(naam, False)} in {plaats} zijn te weinig gegevens voor een trend ({reden})."
        return rij

    stap = _stap_maanden(df["periode_start"])
    per_jaar = max(1, 12 // stap)
    begin = df["periode_start"].iloc[0]
    t = _jaren(df["periode_start"], begin)
    delen = [np.ones(n), t]
    met_seizoen = seizoen and per_jaar > 1 and n >= 2 * per_jaar
    if met_seizoen:
        delen.append(_fourier(df["periode_start"], per_jaar))
    X = np.column_stack(delen)
    L = _maxlags(n)

    def ame(b):
        # average marginal effect of time on the probability scale
        pr = _expit(X @ b)
        return float(np.mean(pr * (1 - pr)) * b[1])

    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            res, covs, methode = _glm_of_ols(df, X, stype, L)
            h, lo, hi, p, kleinste = _effect(stype, ame, 1, res, covs, alpha)
        if not np.all(np.isfinite([h, lo, hi, p])):
            raise ValueError("niet-eindige schatting")
    except (ValueError, np.linalg.LinAlgError, ZeroDivisionError, FloatingPointError) as fout:
        rij["methode"] = f"model niet te schatten ({fout.__class__.__name__})"
        rij["zin"] = (
            f"Voor {_begin(naam, False)} in {plaats} kon geen trend worden geschat (te weinig variatie "
            "of te kleine aantallen)."
        )
        return rij

    pos = _posities(df["periode_start"], stap)
    rooster = np.full(pos.max() + 1, np.nan)
    rooster[pos] = df["waarde"].to_numpy(float)
    seiz_mk = 12 if (stap == 1 and len(rooster) >= _MK_SEIZOEN_MIN_MAANDEN) else None
    mkr = _mann_kendall(rooster, seiz_mk, alpha)
    # Sen's slope is per grid step; the seasonal version compares the same month of
    # different years, so it is already per year.
    sen_per_jaar = mkr["helling"] if seiz_mk else mkr["helling"] * per_jaar

    richting = "geen_trend" if not (p < alpha) else ("stijgend" if h > 0 else "dalend")
    seizoen_tekst = ", seizoen als Fourier-termen" if met_seizoen else ""
    rij.update(
        methode=f"{methode}{seizoen_tekst}; Newey-West HAC-standaardfouten (maxlags={L}); {mkr['test']} + Sen",
        helling_per_jaar=float(h),
        ondergrens=float(lo),
        bovengrens=float(hi),
        p_waarde=p,
        mk_tau=mkr["tau"],
        mk_p_waarde=mkr["p"],
        sen_helling_per_jaar=sen_per_jaar,
        kleinste_helling_per_jaar=kleinste,
        richting=richting,
        beoordeling=_beoordeling(richting, beter),
    )
    van = _periode_tekst(df["periode_start"].iloc[0], df["periode_eind"].iloc[0])
    tot = _periode_tekst(df["periode_start"].iloc[-1], df["periode_eind"].iloc[-1])
    bi = f"{int(round(100 * (1 - alpha)))}%-BI {_maat(lo, eenheid)} tot {_maat(hi, eenheid)}; {_p_tekst(p)}"
    if richting == "geen_trend":
        rij["zin"] = (
            f"{_begin(naam, True)} in {plaats} liet van {van} tot {tot} geen duidelijke trend zien "
            f"({_maat(h, eenheid)} per jaar, {bi}); "
            f"{zin_kleinste_verschil(kleinste, eenheid, wat='trend', per_jaar=True, waarmee='met deze reeks')}."
        )
    else:
        werkwoord = "steeg" if richting == "stijgend" else "daalde"
        oordeel = {"verbetering": ": een verbetering", "verslechtering": ": een verslechtering"}.get(
            rij["beoordeling"], ""
        )
        rij["zin"] = (
            f"{_begin(naam, True)} in {plaats} {werkwoord} van {van} tot {tot} met gemiddeld "
            f"{_maat(h, eenheid)} per jaar ({bi}){oordeel}."
        )
    return rij


def trend(
    tabel: pd.DataFrame,
    *,
    type: str | Mapping[str, str] | None = None,
    beter: str | Mapping[str, str] | None = None,
    min_punten: int = 8,
    alpha: float = 0.05,
    seizoen: bool = True,
) -> pd.DataFrame:
    """Trend per series of the tidy indicator table, in the unit that suits the statistic.

    Parameters
    ----------
    tabel : DataFrame
        Tidy indicator table (``contract.INDICATOR_KOLOMMEN``); not modified.
    type : str or dict, optional
        Statistic type for every indicator (or ``{code: type}``); overrides the catalog.
        A ValueError (Dutch) is raised when neither gives a type.
    beter : str or dict, optional
        ``"hoger"``, ``"lager"`` or ``"geen"``; overrides the catalog. Unknown = neutral.
    min_punten : int
        Series with fewer usable periods get ``richting == "te_weinig_gegevens"``.
    alpha : float
        Significance level; the interval is the (1 - alpha) confidence interval.
    seizoen : bool
        Add Fourier seasonal terms (k = 1, 2) for sub-yearly series spanning >= 2 years.

    Returns
    -------
    DataFrame
        One row per series: ``gemeente, wijkteam, indicator, uitsplitsing`` (keys);
        ``n_punten`` (usable periods); ``periode_van``/``periode_tot`` (first/last
        periode_start); ``methode`` (model description, Dutch); ``helling_per_jaar``,
        ``ondergrens``, ``bovengrens`` (slope and its CI, unit in ``eenheid``);
        ``p_waarde`` (HAC Wald test of the time coefficient); ``mk_tau``,
        ``mk_p_waarde`` (Mann-Kendall); ``sen_helling_per_jaar`` (Sen's slope of
        ``waarde`` per year); ``kleinste_helling_per_jaar`` (minimal detectable
        slope: the slope, unit in ``eenheid``, this test finds with 80% power at
        ``alpha``, ``(t_{1-alpha/2} + t_{0.80})·SE`` with the SE used for the test;
        counts/ratios ``exp(·) - 1``; see :func:`_kleinste_effect`); ``richting``
        (stijgend/dalend/geen_trend/te_weinig_gegevens); ``beoordeling``
        (verbetering/verslechtering/neutraal/None); ``zin`` (Dutch sentence; without a
        trend it ends with "een trend kleiner dan ... per jaar was met deze reeks niet
        te zien"); ``eenheid`` (procentpunt/procent/unit).

    Notes
    -----
    Time ``t`` is in years (months/12). Models:

    * proportie: binomial GLM, ``logit p = b0 + b1 t``, on teller/noemer. The slope is
      the average marginal effect ``b1 * mean_i p_i (1 - p_i)`` over the observed
      periods: the average change of the proportion per year (a fraction; x100 =
      procentpunt), with a delta-method standard error. The p-value tests ``b1 = 0``.
    * aantal / ratio: Poisson GLM (``log(noemer)`` offset for a ratio); when Pearson
      chi2/df > 1.5 a negative binomial (NB2) model is used if it converges. Slope =
      ``exp(b1) - 1``: relative change per year.
    * gemiddelde / mediaan / bedrag: OLS on ``waarde``; slope in units per year.

    All covariances are Newey-West HAC (Bartlett kernel) with maxlags
    ``floor(4 (n/100)^(2/9))`` (2 for n = 8..27, 3 for 28..99, 4 from 100) and the
    small-sample correction, as Stata's ``newey``. With the 12-60 points of a monitor,
    HAC standard errors are known to be too small (measured here: 10-14% false
    positives at a nominal 5% for 36 monthly binomial points). We therefore use, for
    every estimate, the LARGER of the HAC standard error and the model-based
    quasi-likelihood one (GLM covariance x Pearson chi2/df; plain OLS covariance), with
    a t reference distribution on the residual degrees of freedom. Under autocorrelation
    HAC dominates; without it the test stays near its nominal level (tests/test_trend.py
    checks 200 null series).
    Mann-Kendall and Sen's slope (pymannkendall ``original_test``; ``seasonal_test``
    with period 12 for monthly series of >= 36 months) are reported as a
    distribution-free robustness check; the verdict ``richting`` uses the model p-value.

    References
    ----------
    Newey & West (1987, 1994); Mann (1945); Kendall (1975); Sen (1968);
    Hirsch, Slack & Smith (1982) for the seasonal Kendall test.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"gemeente": "A", "wijkteam": "Noord", "indicator": "x",
    ...     "uitsplitsing": "", "periode_start": pd.date_range("2020-01-01", periods=10, freq="YS"),
    ...     "waarde": [float(i) for i in range(10)]})
    >>> trend(t, type="gemiddelde", beter="hoger")["richting"].item()
    'stijgend'
    """
    t = _voorbereid(tabel)
    rijen = []
    for sleutel, df in _reeksen(t):
        code = sleutel[2]
        rijen.append(
            _trend_reeks(sleutel, df, _statistiek_type(code, type), _beter(code, beter), min_punten, alpha, seizoen)
        )
    uit = pd.DataFrame(rijen, columns=TREND_KOLOMMEN)
    return uit.astype({"n_punten": "int64"}) if len(uit) else uit


# ---------------------------------------------------------------------------
# Interrupted time series
# ---------------------------------------------------------------------------


#: Impact models of Lopez Bernal et al. (2017): code -> Dutch description.
IMPACTMODELLEN: dict[str, str] = {
    "niveau": "alleen niveauverandering",
    "helling": "alleen hellingverandering",
    "beide": "niveau- en hellingverandering",
}


def _wijzigingen(wijzigingen, impact) -> list[dict]:
    uit = []
    for w in wijzigingen or []:
        if isinstance(w, Beleidswijziging):
            d = {"datum": w.datum, "label": w.label, "gemeente": w.gemeente, "impact": getattr(w, "impact", None)}
        elif isinstance(w, Mapping):
            if "datum" not in w:
                raise ValueError("Elke beleidswijziging heeft een 'datum' nodig.")
            d = {"datum": w["datum"], "label": w.get("label", ""), "gemeente": w.get("gemeente"),
                 "impact": w.get("impact")}
        else:
            raise ValueError(f"Beleidswijziging niet herkend: {w!r} (gebruik Beleidswijziging of een dict).")
        d["datum"] = pd.Timestamp(d["datum"])
        if d["impact"] in (None, ""):
            d["impact"] = _per_code(impact, d["label"]) if isinstance(impact, Mapping) else impact
        if d["impact"] in (None, ""):
            d["impact"] = "beide"
        if d["impact"] not in IMPACTMODELLEN:
            raise ValueError(
                f"Onbekend impactmodel '{d['impact']}' voor de beleidswijziging van {d['datum'].date()}; "
                f"kies uit {', '.join(IMPACTMODELLEN)}."
            )
        uit.append(d)
    return uit


def onderbroken_tijdreeks(
    tabel: pd.DataFrame,
    wijzigingen: Iterable[Beleidswijziging | Mapping],
    *,
    type: str | Mapping[str, str] | None = None,
    seizoen: bool = True,
    alpha: float = 0.05,
    min_punten_per_deel: int = 4,
    impact: str | Mapping[str, str] = "beide",
) -> pd.DataFrame:
    """Segmented regression (interrupted time series) around each policy change.

    Parameters
    ----------
    tabel : DataFrame
        Tidy indicator table; not modified. Rows with ``volledig == False`` or
        ``inloop == True`` (when those columns exist) are not fitted on.
    wijzigingen : list of Beleidswijziging or dict
        ``{datum, label, gemeente, impact}``; ``gemeente`` None applies to every
        gemeente; ``impact`` (optional) chooses the impact model of this change.
        Each change is analysed separately (one row per series x change).
    type : str or dict, optional
        Statistic type; overrides the catalog (see :func:`trend`).
    seizoen : bool
        Fourier seasonal terms (k = 1, 2) for sub-yearly data.
    alpha : float
        1 - confidence level of the intervals.
    min_punten_per_deel : int
        Minimum usable periods before and from the change date; fewer gives NaN and a
        "te weinig gegevens" sentence.
    impact : str or dict
        Impact model for changes that do not name one: ``"niveau"`` (step change
        only), ``"helling"`` (slope change only) or ``"beide"`` (default); a dict maps
        a change's label to its model. Decide it BEFORE looking at the data (Lopez
        Bernal et al. 2017, step 2).

    Returns
    -------
    DataFrame
        Series keys; ``wijziging_datum``, ``wijziging_label``; ``niveau_verandering``
        with ``niveau_ondergrens``/``niveau_bovengrens``/``niveau_p`` (immediate level
        change at the change date; NaN under impact model ``helling``);
        ``helling_verandering`` (per year) with ``helling_ondergrens``/
        ``helling_bovengrens``/``helling_p`` (NaN under ``niveau``); ``eenheid``
        (procentpunt/procent/unit, as in :func:`trend`); ``zin`` (Dutch sentence);
        ``impactmodel`` (niveau/helling/beide); ``methode`` (Dutch: model family,
        seasonal terms and standard errors, so that the fit can be redone);
        ``kleinste_niveau_verandering``, ``kleinste_helling_verandering`` (minimal
        detectable level and slope change with 80% power at ``alpha``, as
        ``kleinste_helling_per_jaar`` in :func:`trend`; a non-significant effect's
        sentence names them).

    Notes
    -----
    Model (Lopez Bernal, Cummins & Gasparrini 2017), ``t`` in years, ``T0`` the change:
    ``g(mu_t) = b0 + b1 t + b2 D_t + b3 (t - T0) D_t + seasonal terms``, with
    ``D_t = 1`` from the first period starting on/after ``T0``; impact model
    ``niveau`` drops the ``b3`` term, ``helling`` the ``b2`` term. ``g`` is the link
    of the same family as :func:`trend` (logit/binomial, log with offset for a ratio,
    identity/OLS), except that counts and ratios are ALWAYS fitted as quasi-Poisson
    (Poisson GLM, covariance scaled by Pearson chi2/df) as in the tutorial: on 36
    overdispersed monthly points the negative-binomial fit underestimated the
    dispersion and rejected a null slope change in 9% of series at a nominal 5%,
    quasi-Poisson holds the nominal rate (benchmarks/bench_nulgedrag.py; the figures
    are in the README). Reported effects:

    * proportie: level change ``expit(e0 + b2) - expit(e0)`` with ``e0 = b0 + b1 T0``
      (seasonal terms at their mean, 0); slope change = difference of the derivatives
      of p at T0 after and before, ``p1(1-p1)(b1+b3) - p0(1-p0) b1``; delta-method CIs.
    * aantal / ratio: ``exp(b2) - 1`` and ``exp(b3) - 1`` (relative changes).
    * other types: ``b2`` and ``b3``.

    p-values are the Wald tests of ``b2 = 0`` and ``b3 = 0``, with the same standard
    errors as :func:`trend` (the larger of Newey-West HAC and quasi-likelihood; t
    distribution on the residual degrees of freedom).

    References
    ----------
    Lopez Bernal J, Cummins S, Gasparrini A. Interrupted time series regression for the
    evaluation of public health interventions: a tutorial. Int J Epidemiol 2017;46:348-55.
    Wagner AK et al. Segmented regression analysis of interrupted time series studies in
    medication use research. J Clin Pharm Ther 2002;27:299-309.
    """
    t = _voorbereid(tabel)
    ws = _wijzigingen(wijzigingen, impact)
    rijen = []
    for sleutel, df0 in _reeksen(t):
        gemeente, wijkteam, code, uitsplitsing = sleutel
        stype = _statistiek_type(code, type)
        df = _geldig(df0, stype)
        eenheid = _eenheid(code, stype)
        naam = _naam(code) + (f" ({uitsplitsing})" if uitsplitsing else "")
        plaats = _plaats(gemeente, wijkteam)
        for w in ws:
            if w["gemeente"] not in (None, "") and w["gemeente"] != gemeente:
                continue
            model = w["impact"]
            rij: dict[str, Any] = dict(zip(REEKS_SLEUTELS, sleutel))
            rij.update(wijziging_datum=w["datum"], wijziging_label=w["label"], eenheid=eenheid,
                       impactmodel=model, methode="")
            for k in ITS_KOLOMMEN:
                rij.setdefault(k, np.nan)
            na = (df["periode_start"] >= w["datum"]).to_numpy()
            n_voor, n_na = int((~na).sum()), int(na.sum())
            label = f" ({w['label']})" if w["label"] else ""
            datum_tekst = tekst.maand_jaar(w["datum"])
            if n_voor < min_punten_per_deel or n_na < min_punten_per_deel:
                rij["methode"] = "te weinig gegevens"
                rij["zin"] = (
                    f"Voor {_begin(naam, False)} in {plaats} zijn te weinig gegevens rond {datum_tekst}{label} "
                    f"({n_voor} perioden ervoor, {n_na} erna; minimaal {min_punten_per_deel} elk)."
                )
                rijen.append(rij)
                continue
            begin = df["periode_start"].iloc[0]
            tt = _jaren(df["periode_start"], begin)
            t0 = ((w["datum"].year - begin.year) * 12 + (w["datum"].month - begin.month)) / 12.0
            stap = _stap_maanden(df["periode_start"])
            per_jaar = max(1, 12 // stap)
            delen = [np.ones(len(df)), tt]
            j_niveau = j_helling = None
            if model in ("niveau", "beide"):
                j_niveau = len(delen)
                delen.append(na.astype(float))
            if model in ("helling", "beide"):
                j_helling = len(delen)
                delen.append((tt - t0) * na)
            met_seizoen = seizoen and per_jaar > 1
            if met_seizoen:
                delen.append(_fourier(df["periode_start"], per_jaar))
            X = np.column_stack(delen)

            def _b(p, j):
                return p[j] if j is not None else 0.0

            def niveau(p):
                e0 = p[0] + p[1] * t0
                return _expit(e0 + _b(p, j_niveau)) - _expit(e0)

            def helling(p):
                e0 = p[0] + p[1] * t0
                p0, p1 = _expit(e0), _expit(e0 + _b(p, j_niveau))
                return p1 * (1 - p1) * (p[1] + _b(p, j_helling)) - p0 * (1 - p0) * p[1]

            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    res, covs, methode = _glm_of_ols(df, X, stype, _maxlags(len(df)), negbin=False)
                    effecten = [
                        _effect(stype, niveau, j_niveau, res, covs, alpha) if j_niveau is not None else None,
                        _effect(stype, helling, j_helling, res, covs, alpha) if j_helling is not None else None,
                    ]
                if not np.all(np.isfinite([v for e in effecten if e is not None for v in e])):
                    raise ValueError("niet-eindige schatting")
            except (ValueError, np.linalg.LinAlgError, ZeroDivisionError, FloatingPointError):
                rij["methode"] = "model niet te schatten"
                rij["zin"] = (
                    f"Voor {_begin(naam, False)} in {plaats} kon het effect van {datum_tekst}{label} niet worden "
                    "geschat (te weinig variatie of te kleine aantallen)."
                )
                rijen.append(rij)
                continue
            seizoen_tekst = ", seizoen als Fourier-termen" if met_seizoen else ""
            rij["methode"] = (
                f"{methode}{seizoen_tekst}; impactmodel: {IMPACTMODELLEN[model]}; standaardfout = grootste van "
                f"Newey-West HAC (maxlags={_maxlags(len(df))}) en quasi-likelihood; t-verdeling"
            )
            delen_zin = []
            if effecten[0] is not None:
                nv, nl, nh, np_, nk = effecten[0]
                rij.update(niveau_verandering=float(nv), niveau_ondergrens=float(nl),
                           niveau_bovengrens=float(nh), niveau_p=float(np_),
                           kleinste_niveau_verandering=float(nk))
                sig_n = "significant" if np_ < alpha else "niet significant"
                delen_zin.append(f"direct met {_maat(nv, eenheid)} ({sig_n}, {_p_tekst(np_)})")
            if effecten[1] is not None:
                hv, hl, hh, hp, hk = effecten[1]
                rij.update(helling_verandering=float(hv), helling_ondergrens=float(hl),
                           helling_bovengrens=float(hh), helling_p=float(hp),
                           kleinste_helling_verandering=float(hk))
                sig_h = "significant" if hp < alpha else "niet significant"
                delen_zin.append(f"{'de helling ' if effecten[0] is not None else 'in helling '}met "
                                 f"{_maat(hv, eenheid)} per jaar ({sig_h}, {_p_tekst(hp)})")
            niet_sig = []
            if effecten[0] is not None and not effecten[0][3] < alpha:
                niet_sig.append(zin_kleinste_verschil(effecten[0][4], eenheid, wat="sprong",
                                                      waarmee="met deze reeks"))
            if effecten[1] is not None and not effecten[1][3] < alpha:
                niet_sig.append(zin_kleinste_verschil(effecten[1][4], eenheid, wat="hellingverandering",
                                                      per_jaar=True, waarmee="met deze reeks"))
            rij["zin"] = (
                f"Bij {datum_tekst}{label} veranderde {_begin(naam, False)} in {plaats} "
                + " en ".join(delen_zin) + "." + (
                    " " + _begin("; ".join(niet_sig), True) + "." if niet_sig else "")
            )
            rijen.append(rij)
    return pd.DataFrame(rijen, columns=ITS_KOLOMMEN)


# ---------------------------------------------------------------------------
# Shift in the zwaarte mix
# ---------------------------------------------------------------------------


def verschuiving(tabel: pd.DataFrame, *, alpha: float = 0.05, indicator: str = "aandeel_lichte_zorg") -> pd.DataFrame:
    """Change in the share of lichte zorg per gemeente/wijkteam, first vs last year.

    Parameters
    ----------
    tabel : DataFrame
        Tidy indicator table; rows with ``indicator == "aandeel_lichte_zorg"`` and
        ``uitsplitsing == ""`` are used (teller = lichte zorg, noemer = all inzet).
    alpha : float
        Significance level of the trend test.
    indicator : str
        Indicator code of the share (default ``"aandeel_lichte_zorg"``).

    Returns
    -------
    DataFrame
        ``gemeente, wijkteam``; ``aandeel_begin``/``aandeel_eind`` (sum teller / sum
        noemer over the first and the last calendar year present); ``jaar_begin``,
        ``jaar_eind``; ``helling_procentpunt_per_jaar`` (trend slope, fraction per year:
        0.031 = 3,1 procentpunt); ``p_waarde``; ``richting`` (as in :func:`trend`);
        ``zin`` (Dutch sentence). Empty when the table has no such rows.

    Notes
    -----
    The slope comes from :func:`trend` with ``type="proportie"`` (binomial GLM, HAC),
    so it uses every period, not only the first and last year.
    """
    t = _voorbereid(tabel)
    t = t[(t["indicator"] == indicator) & (t["uitsplitsing"] == "")]
    if t.empty:
        return pd.DataFrame(columns=VERSCHUIVING_KOLOMMEN)
    tr = trend(t, type="proportie", beter="hoger", alpha=alpha).set_index(["gemeente", "wijkteam"])
    rijen = []
    for (gemeente, wijkteam), df in t.groupby(["gemeente", "wijkteam"], sort=True):
        jaar = df["periode_start"].dt.year
        j0, j1 = int(jaar.min()), int(jaar.max())
        def aandeel(j):
            d = df[jaar == j]
            return float(d["teller"].sum() / d["noemer"].sum()) if d["noemer"].sum() > 0 else np.nan
        a0, a1 = aandeel(j0), aandeel(j1)
        r = tr.loc[(gemeente, wijkteam)]
        plaats = _plaats(gemeente, wijkteam)
        if r["richting"] == "te_weinig_gegevens":
            zin = (
                f"In {plaats} was het aandeel lichte zorg {tekst.procent(a0)} in {j0} en "
                f"{tekst.procent(a1)} in {j1}; te weinig gegevens voor een trend."
            )
        else:
            # The verb follows the FITTED trend (sign of the slope), never the two end
            # years: with noise the last year can lie below the first while the trend
            # over all periods rises.
            h = float(r["helling_per_jaar"])
            sig = "significant" if r["richting"] != "geen_trend" else (
                "niet significant; " + zin_kleinste_verschil(r["kleinste_helling_per_jaar"], "procentpunt", wat="trend",
                                                             per_jaar=True, waarmee="met deze reeks"))
            werkwoord = "steeg" if h > 0 else ("daalde" if h < 0 else "bleef gelijk")
            eind_zelfde_kant = np.sign(a1 - a0) == np.sign(h)
            if eind_zelfde_kant:
                zin = (
                    f"In {plaats} {werkwoord} het aandeel lichte zorg van {tekst.procent(a0)} naar "
                    f"{tekst.procent(a1)} ({tekst.procentpunt(h)} per jaar, {sig})."
                )
            else:
                zin = (
                    f"In {plaats} {werkwoord} het aandeel lichte zorg volgens de trend over alle perioden "
                    f"({tekst.procentpunt(h)} per jaar, {sig}); het was {tekst.procent(a0)} in {j0} en "
                    f"{tekst.procent(a1)} in {j1}."
                )
        rijen.append(
            {
                "gemeente": gemeente,
                "wijkteam": wijkteam,
                "aandeel_begin": a0,
                "aandeel_eind": a1,
                "jaar_begin": j0,
                "jaar_eind": j1,
                "helling_procentpunt_per_jaar": r["helling_per_jaar"],
                "p_waarde": r["p_waarde"],
                "richting": r["richting"],
                "zin": zin,
            }
        )
    return pd.DataFrame(rijen, columns=VERSCHUIVING_KOLOMMEN)

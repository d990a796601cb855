"""Caseload forecast per wijkteam from instroom and uitstroom -- only when it beats naive.

Teams and gemeenten want to know where the workload is heading (Amersfoort used caseload
and in-/uitstroom trends for exactly this). :func:`caseload_prognose` compares four
ways to forecast the monthly caseload on rolling origins (time-series
cross-validation) and shows the one with the smallest scaled error (MASE, Hyndman &
Koehler 2006):

* ``ets_stroom`` -- the stock-flow model: monthly instroom and uitstroom with
  exponential smoothing (statsmodels ``ETSModel``), the caseload carried forward as
  ``caseload_t = caseload_{t-1} + instroom_t - uitstroom_t``, intervals by simulating
  both flows;
* ``naief`` -- hold the last observed caseload (empirical interval);
* ``seizoensnaief`` -- the caseload of the same month a year earlier (empirical interval);
* ``theta`` -- the Theta method (statsmodels ``ThetaModel``) on the caseload itself.

When nothing beats the naive forecast the report says so and shows the naive forecast.
The back-test also reports MAPE/MAE (as the VNG Wmo-voorspelmodel does) and how often the
80% and 95% intervals held the observed caseload.
"""

from __future__ import annotations

import warnings
import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.forecasting.theta import ThetaModel

from monitoranalyse.contract import TOTAAL, in_basis

__all__ = ["caseload_prognose", "PROGNOSE_KOLOMMEN", "MODELLEN"]

#: Candidate forecasts (code -> Dutch description), in order of preference on a tie.
MODELLEN: dict[str, str] = {
    "naief": "naïef (laatste caseload vasthouden)",
    "seizoensnaief": "seizoensnaïef (caseload van dezelfde maand een jaar eerder)",
    "ets_stroom": "ETS op instroom en uitstroom (voorraad-stroommodel)",
    "theta": "Theta-methode op de caseload",
}
#: Months between two rolling back-test origins.
ORIGINE_STAP = 3

#: Minimum months of instroom/uitstroom to fit a model (and to train a back-test).
MIN_MAANDEN = 12
#: Months from which a seasonal component (period 12) is added.
SEIZOEN_VANAF = 24

PROGNOSE_KOLOMMEN = [
    "gemeente",
    "wijkteam",
    "periode_start",
    "soort",
    "caseload",
    "instroom",
    "uitstroom",
    "ondergrens_80",
    "bovengrens_80",
    "ondergrens_95",
    "bovengrens_95",
    "mape_backtest",
    "mae_backtest",
    "methode",
    "model",
    "mase_backtest",
    "mase_naief",
    "mase_seizoensnaief",
    "mase_ets_stroom",
    "mase_theta",
    "dekking_80",
    "dekking_95",
    "n_origines",
    "oordeel",
]


def _mape(werkelijk, voorspeld) -> float:
    """Mean absolute percentage error as a fraction: mean(|y - ŷ| / |y|) over y != 0."""
    y, f = np.asarray(werkelijk, float), np.asarray(voorspeld, float)
    ok = np.isfinite(y) & np.isfinite(f) & (y != 0)
    return float(np.mean(np.abs(y[ok] - f[ok]) / np.abs(y[ok]))) if ok.any() else np.nan


def _mae(werkelijk, voorspeld) -> float:
    y, f = np.asarray(werkelijk, float), np.asarray(voorspeld, float)
    ok = np.isfinite(y) & np.isfinite(f)
    return float(np.mean(np.abs(y[ok] - f[ok]))) if ok.any() else np.nan


def _mase_schaal(y: np.ndarray) -> float:
    """In-sample MAE of the one-step naive forecast (Hyndman & Koehler 2006, eq. 4)."""
    d = np.abs(np.diff(np.asarray(y, float)))
    return float(np.mean(d)) if len(d) and np.mean(d) > 0 else np.nan


def _ets(y: np.ndarray):
    seizoen = len(y) >= SEIZOEN_VANAF
    model = ETSModel(
        y.astype(float),
        error="add",
        trend="add",
        damped_trend=True,
        seasonal="add" if seizoen else None,
        seasonal_periods=12 if seizoen else None,
        # estimating 11 initial seasonal states is slow (seconds per fit) and fragile on
        # 2-4 years; the heuristic start of Hyndman et al. (2008) needs >= 2 full years
        initialization_method="heuristic" if seizoen else "estimated",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(disp=False, maxiter=500)
    return res, ("ETS(A,Ad,A)" if seizoen else "ETS(A,Ad,N)")


def _voorspel(
    instroom: np.ndarray,
    uitstroom: np.ndarray,
    caseload_start: float,
    horizon: int,
    niveau: Sequence[float],
    rng: np.random.Generator,
    simulaties: int,
) -> tuple[dict[str, np.ndarray], str]:
    """Point forecasts of both flows and the caseload, plus caseload quantiles."""
    res_in, m_in = _ets(instroom)
    res_uit, m_uit = _ets(uitstroom)
    f_in = np.maximum(np.asarray(res_in.forecast(horizon), float), 0.0)
    f_uit = np.maximum(np.asarray(res_uit.forecast(horizon), float), 0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s_in = np.asarray(res_in.simulate(horizon, anchor="end", repetitions=simulaties, rng=rng), float)
        s_uit = np.asarray(res_uit.simulate(horizon, anchor="end", repetitions=simulaties, rng=rng), float)
    s_in, s_uit = s_in.reshape(horizon, -1), s_uit.reshape(horizon, -1)
    pad = caseload_start + np.cumsum(np.maximum(s_in, 0) - np.maximum(s_uit, 0), axis=0)
    uit = {
        "instroom": f_in,
        "uitstroom": f_uit,
        "caseload": caseload_start + np.cumsum(f_in - f_uit),
    }
    for lvl in niveau:
        a = (1 - lvl) / 2
        uit[f"ondergrens_{round(100 * lvl)}"] = np.quantile(pad, a, axis=1)
        uit[f"bovengrens_{round(100 * lvl)}"] = np.quantile(pad, 1 - a, axis=1)
    methode = f"instroom {m_in}, uitstroom {m_uit}"
    return uit, methode


def _empirisch_interval(punt: np.ndarray, fouten: list[np.ndarray], niveau, sigma1: float) -> dict:
    """Quantiles of past h-step errors around the point forecast (FPP3 5.5).

    ``fouten[h-1]`` holds the in-sample h-step errors; with fewer than 10 of them the
    random-walk normal interval ``± z sigma1 sqrt(h)`` is used instead.
    """
    from scipy import stats

    uit = {}
    for lvl in niveau:
        a = (1 - lvl) / 2
        lo, hi = np.empty(len(punt)), np.empty(len(punt))
        for i, e in enumerate(fouten):
            e = e[np.isfinite(e)]
            if len(e) >= 10:
                lo[i], hi[i] = punt[i] + np.quantile(e, a), punt[i] + np.quantile(e, 1 - a)
            else:
                z = stats.norm.isf(a) * sigma1 * np.sqrt(i + 1)
                lo[i], hi[i] = punt[i] - z, punt[i] + z
        uit[f"ondergrens_{round(100 * lvl)}"], uit[f"bovengrens_{round(100 * lvl)}"] = lo, hi
    return uit


def _kandidaat(model: str, y_in, y_uit, y_cl, horizon: int, niveau, rng, simulaties: int) -> dict:
    """Caseload point forecast and intervals of one candidate, from the data given."""
    n = len(y_cl)
    h = np.arange(1, horizon + 1)
    sigma1 = float(np.std(np.diff(y_cl), ddof=1)) if n > 2 else np.nan
    if model == "ets_stroom":
        uit, _ = _voorspel(y_in, y_uit, y_cl[-1], horizon, niveau, rng, simulaties)
        return uit
    if model == "naief":
        punt = np.full(horizon, y_cl[-1], dtype=float)
        fouten = [y_cl[k:] - y_cl[:-k] if k < n else np.array([]) for k in h]
        return {"caseload": punt, **_empirisch_interval(punt, fouten, niveau, sigma1)}
    if model == "seizoensnaief":
        jaren = (h - 1) // 12 + 1
        punt = y_cl[n - 12 * jaren + (h - 1) % 12].astype(float)
        fouten = [y_cl[12 * j:] - y_cl[: -12 * j] if 12 * j < n else np.array([]) for j in jaren]
        return {"caseload": punt, **_empirisch_interval(punt, fouten, niveau, sigma1 * np.sqrt(12))}
    if model == "theta":
        seizoen = n >= SEIZOEN_VANAF
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = ThetaModel(y_cl.astype(float), period=12 if seizoen else 1, deseasonalize=seizoen).fit()
            uit = {"caseload": np.asarray(res.forecast(horizon), float)}
            for lvl in niveau:
                pi = np.asarray(res.prediction_intervals(horizon, alpha=1 - lvl), float)
                uit[f"ondergrens_{round(100 * lvl)}"], uit[f"bovengrens_{round(100 * lvl)}"] = pi[:, 0], pi[:, 1]
        return uit
    raise ValueError(f"Onbekend prognosemodel '{model}'; kies uit {', '.join(MODELLEN)}.")


def _backtest(y_in, y_uit, y_cl, b: int, niveau, rng, simulaties: int, modellen) -> dict:
    """Rolling-origin back-test of every candidate over the last ``b`` months.

    Origins every :data:`ORIGINE_STAP` months from ``n - b``; from each origin the
    candidate forecasts up to the end of the data, so the first origin is the classic
    single split. Returns per model the mean MASE over all (origin, horizon) pairs,
    interval coverage, and the forecast from the first origin.
    """
    n = len(y_cl)
    origines = [o for o in range(n - b, n, ORIGINE_STAP) if o >= MIN_MAANDEN]
    uit = {}
    for model in modellen:
        geschaald, binnen = [], {lvl: [] for lvl in niveau}
        eerste = None
        for o in origines:
            hz = n - o
            try:
                f = _kandidaat(model, y_in[:o], y_uit[:o], y_cl[:o], hz, niveau, rng, simulaties)
            except (ValueError, np.linalg.LinAlgError):
                geschaald = []
                break
            waar = y_cl[o:]
            geschaald.append(np.abs(waar - f["caseload"]) / _mase_schaal(y_cl[:o]))
            for lvl in niveau:
                k = round(100 * lvl)
                binnen[lvl].append((f[f"ondergrens_{k}"] <= waar) & (waar <= f[f"bovengrens_{k}"]))
            if eerste is None:
                eerste = f
        if not geschaald:
            continue
        uit[model] = {
            "mase": float(np.nanmean(np.concatenate(geschaald))),
            "dekking": {lvl: float(np.mean(np.concatenate(binnen[lvl]))) for lvl in niveau},
            "eerste": eerste,
        }
    return {"origines": origines, "modellen": uit}


def _oordeel(gekozen: str, mase: dict[str, float]) -> str:
    def getal(x):
        return f"{x:.2f}".replace(".", ",")

    if gekozen == "naief":
        return (
            "Geen model voorspelde de caseload in de backtest beter dan de naïeve prognose (de laatste "
            "caseload vasthouden); daarom staat hier de naïeve prognose met een empirisch interval."
        )
    return (
        f"Gekozen: {MODELLEN[gekozen]}; in de backtest beter dan de naïeve prognose "
        f"(MASE {getal(mase[gekozen])} tegen {getal(mase['naief'])})."
    )


def _maandtabel(df: pd.DataFrame) -> pd.DataFrame:
    d = df.assign(getal=df["teller"].where(df["teller"].notna(), df["waarde"]))
    breed = d.pivot_table(index="periode_start", columns="indicator", values="getal", aggfunc="sum")
    ontbreekt = [k for k in ("instroom", "uitstroom", "caseload") if k not in breed.columns]
    if ontbreekt:
        raise ValueError(f"Voor de caseloadprognose ontbreekt indicator(en): {', '.join(ontbreekt)}.")
    maanden = pd.date_range(breed.index.min(), breed.index.max(), freq="MS")
    return breed.reindex(maanden)[["instroom", "uitstroom", "caseload"]]


def _in_basis(df: pd.DataFrame) -> pd.Series:
    """Rows that may be trained on (:func:`contract.in_basis`)."""
    return in_basis(df)


def caseload_prognose(
    tabel: pd.DataFrame,
    *,
    horizon: int = 12,
    backtest_maanden: int = 12,
    niveau: Sequence[float] = (0.8, 0.95),
    seed: int = 0,
    simulaties: int = 1000,
    modellen: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Forecast the caseload per gemeente/wijkteam, choosing the model by back-test.

    Parameters
    ----------
    tabel : DataFrame
        Tidy indicator table with monthly rows for the indicators ``instroom``,
        ``uitstroom`` (new/closed trajecten in the month) and ``caseload`` (open
        trajecten at the end of the month), ``uitsplitsing == ""``; counts are taken
        from ``teller`` (or ``waarde`` when teller is empty). Other rows are ignored.
        Rows with ``volledig == False`` or ``inloop == True`` (when those columns
        exist) are shown as observations but never trained or back-tested on.
    horizon : int
        Months to forecast after the last complete month.
    backtest_maanden : int
        Months covered by the rolling-origin back-test (0 = no back-test: the
        stock-flow ETS is used). Origins lie every 3 months in this window; the first
        needs at least 12 training months before it, else there is no back-test.
    niveau : sequence of float
        Levels of the prediction intervals; columns are named ``ondergrens_<100*niveau>``.
    seed : int
        Seed of the simulations; the result is deterministic for a seed.
    simulaties : int
        Number of simulated paths per team (stock-flow ETS).
    modellen : sequence of str, optional
        Candidates (keys of :data:`MODELLEN`); default all four. ``naief`` is always
        included as the benchmark.

    Returns
    -------
    DataFrame
        ``gemeente, wijkteam, periode_start``; ``soort`` ("waarneming" = observed,
        "prognose" = forecast after the data, "backtest" = forecast of the held-out
        months from the first back-test origin, by the chosen model); ``caseload``
        (observed or point forecast of the chosen model), ``instroom``, ``uitstroom``
        (observed, or the ETS forecast of the flows -- shown whatever the caseload model);
        ``ondergrens_80``, ``bovengrens_80``, ``ondergrens_95``, ``bovengrens_95``
        (caseload prediction intervals of the chosen model, NaN for observations);
        ``mape_backtest`` (fraction: 0.042 = 4,2%) and ``mae_backtest`` (trajecten) of
        the chosen model on the ``backtest`` rows; ``methode`` (Dutch); per team:
        ``model`` (chosen, a key of :data:`MODELLEN`), ``mase_backtest`` (its MASE over
        all origins and horizons), ``mase_naief``, ``mase_seizoensnaief``,
        ``mase_ets_stroom``, ``mase_theta`` (each candidate; NaN when not run),
        ``dekking_80``/``dekking_95`` (share of held-out months inside the chosen model's
        80%/95% interval over all origins), ``n_origines`` and ``oordeel`` (Dutch
        sentence: which model, and whether it beats naive).

    Notes
    -----
    Stock-flow ETS: each flow gets an ``ETSModel`` with additive errors and an additive
    damped trend, plus an additive seasonal component (period 12) when at least 24
    months are available (Hyndman & Athanasopoulos, *Forecasting: Principles and
    Practice*, ch. 8); flows are clipped at 0; the caseload is
    ``caseload_T + Σ (instroom_hat - uitstroom_hat)`` and its intervals are quantiles of
    the same sum over ``simulaties`` simulated paths. Naive and seasonal naive use
    empirical intervals: quantiles of the in-sample h-step errors (FPP3 5.5; the
    random-walk normal interval when fewer than 10 errors exist). Theta: statsmodels
    ``ThetaModel`` (Assimakopoulos & Nikolopoulos 2000; Hyndman & Billah 2003),
    deseasonalised from 24 months.

    Model choice (time-series cross-validation on rolling origins, FPP3 5.10): from each
    origin in the last ``backtest_maanden`` months every candidate is refitted on the
    data before it and forecasts to the end of the data. The error is scaled by the
    in-sample MAE of the one-step naive forecast before that origin (MASE, Hyndman &
    Koehler 2006): MASE < 1 beats the one-step naive in-sample; the naive caseload
    itself scores about 1 or more at longer horizons. The candidate with the lowest mean
    MASE wins; on a tie the simpler one (order of :data:`MODELLEN`). The generator is
    seeded from ``seed`` and the team name, so the result does not depend on the order
    of the teams. Teams with fewer than 12 complete months or with missing months get
    only their observations, with the reason in ``methode``.

    References
    ----------
    Hyndman RJ, Koehler AB (2006). Another look at measures of forecast accuracy.
    Int J Forecasting 22:679-688. Hyndman RJ, Athanasopoulos G (2021). Forecasting:
    principles and practice, 3rd ed. (FPP3), sections 5.5, 5.8, 5.10.
    """
    if "indicator" not in tabel.columns:
        raise ValueError("De indicatortabel mist de kolom 'indicator'.")
    kandidaten = list(MODELLEN) if modellen is None else ["naief", *[m for m in modellen if m != "naief"]]
    for m_ in kandidaten:
        if m_ not in MODELLEN:
            raise ValueError(f"Onbekend prognosemodel '{m_}'; kies uit {', '.join(MODELLEN)}.")
    t = tabel[tabel["indicator"].isin(["instroom", "uitstroom", "caseload"])].copy()
    if "uitsplitsing" in t.columns:
        t = t[t["uitsplitsing"].fillna("") == ""]
    if t.empty:
        raise ValueError("Geen rijen voor instroom, uitstroom en caseload in de indicatortabel.")
    for k in ("teller", "waarde"):
        if k not in t.columns:
            t[k] = np.nan
        t[k] = pd.to_numeric(t[k], errors="coerce")
    t["periode_start"] = pd.to_datetime(t["periode_start"])
    t["wijkteam"] = t["wijkteam"].fillna(TOTAAL)
    t["_basis"] = _in_basis(t)
    niveau = tuple(niveau)
    delen = []
    for (gemeente, wijkteam), df in t.groupby(["gemeente", "wijkteam"], sort=True):
        obs = _maandtabel(df).reset_index(names="periode_start").assign(soort="waarneming")
        m = _maandtabel(df[df["_basis"]])
        # build-up months at the start and an incomplete month at the end are cut off;
        # a gap in the middle stays a gap
        vol = m.notna().all(axis=1).to_numpy()
        if vol.any():
            m = m.iloc[int(np.argmax(vol)) : len(vol) - int(np.argmax(vol[::-1]))]
        n = len(m)
        sleutel = f"{gemeente}|{wijkteam}".encode()
        rng = np.random.default_rng([seed, zlib.crc32(sleutel)])
        if m.isna().any().any() or n < MIN_MAANDEN:
            reden = "ontbrekende maanden" if m.isna().any().any() else f"minder dan {MIN_MAANDEN} maanden"
            obs["methode"] = f"geen prognose: {reden}"
            delen.append(obs.assign(gemeente=gemeente, wijkteam=wijkteam))
            continue
        y_in, y_uit, y_cl = (m[k].to_numpy(float) for k in ("instroom", "uitstroom", "caseload"))
        b = int(backtest_maanden)
        # a back-test only with the whole window: its first origin needs 12 training months
        bt_res = (_backtest(y_in, y_uit, y_cl, b, niveau, rng, simulaties, kandidaten)
                  if b > 0 and n - b >= MIN_MAANDEN else None)
        per_team: dict = {f"mase_{k}": np.nan for k in MODELLEN}
        mape = mae = np.nan
        bt = None
        if bt_res and bt_res["origines"] and "naief" in bt_res["modellen"]:
            scores = {k: v["mase"] for k, v in bt_res["modellen"].items() if np.isfinite(v["mase"])}
            gekozen = min(kandidaten, key=lambda k: (scores.get(k, np.inf), kandidaten.index(k)))
            for k, v in scores.items():
                per_team[f"mase_{k}"] = v
            keus = bt_res["modellen"][gekozen]
            f0 = keus["eerste"]
            o0 = bt_res["origines"][0]
            bt = pd.DataFrame({k: v for k, v in f0.items() if k in ("caseload", *[
                f"{kant}_{round(100 * lvl)}" for lvl in niveau for kant in ("ondergrens", "bovengrens")])})
            bt = bt.assign(periode_start=m.index[o0:], soort="backtest")
            mape, mae = _mape(y_cl[o0:], f0["caseload"]), _mae(y_cl[o0:], f0["caseload"])
            per_team.update(
                model=gekozen,
                mase_backtest=scores[gekozen],
                n_origines=len(bt_res["origines"]),
                oordeel=_oordeel(gekozen, scores),
                **{f"dekking_{round(100 * lvl)}": keus["dekking"][lvl] for lvl in niveau},
            )
        else:
            gekozen = "ets_stroom"
            per_team.update(model=gekozen, n_origines=0,
                            oordeel="Geen backtest mogelijk (te kort): het voorraad-stroommodel is niet vergeleken "
                                    "met de naïeve prognose.")
        # flows: always the ETS forecasts; caseload: the chosen model
        stroom, beschrijving = _voorspel(y_in, y_uit, y_cl[-1], horizon, niveau, rng, simulaties)
        vp = stroom if gekozen == "ets_stroom" else {
            **_kandidaat(gekozen, y_in, y_uit, y_cl, horizon, niveau, rng, simulaties),
            "instroom": stroom["instroom"], "uitstroom": stroom["uitstroom"]}
        toekomst = pd.date_range(m.index[-1] + pd.DateOffset(months=1), periods=horizon, freq="MS")
        pr = pd.DataFrame(vp).assign(periode_start=toekomst, soort="prognose")
        methode = (
            f"caseload: {MODELLEN[gekozen]}; stromen: {beschrijving}"
            + (f"; intervallen uit {simulaties} simulaties (seed {seed})" if gekozen == "ets_stroom" else "")
            + (f"; modelkeuze op {per_team['n_origines']} backtest-origines in de laatste {b} maanden (MASE)"
               if bt is not None else "; geen backtest (te kort)")
        )
        team = pd.concat([obs] + ([bt] if bt is not None else []) + [pr], ignore_index=True)
        delen.append(team.assign(gemeente=gemeente, wijkteam=wijkteam, methode=methode,
                                 mape_backtest=mape, mae_backtest=mae, **per_team))
    uit = pd.concat(delen, ignore_index=True)
    kolommen = list(PROGNOSE_KOLOMMEN)
    for lvl in niveau:  # custom levels replace the default interval and coverage columns
        for kant in ("ondergrens", "bovengrens"):
            if f"{kant}_{round(100 * lvl)}" not in kolommen:
                kolommen.insert(kolommen.index("mape_backtest"), f"{kant}_{round(100 * lvl)}")
        if f"dekking_{round(100 * lvl)}" not in kolommen:
            kolommen.insert(kolommen.index("n_origines"), f"dekking_{round(100 * lvl)}")
    kolommen = [k for k in kolommen if not k.startswith(("ondergrens_", "bovengrens_", "dekking_"))
                or int(k.split("_")[1]) in {round(100 * lvl) for lvl in niveau}]
    for k in kolommen:
        if k not in uit.columns:
            uit[k] = np.nan
    volgorde = {"waarneming": 0, "backtest": 1, "prognose": 2}
    uit = uit.assign(_v=uit["soort"].map(volgorde)).sort_values(["gemeente", "wijkteam", "_v", "periode_start"], kind="stable")
    return uit[kolommen].reset_index(drop=True)

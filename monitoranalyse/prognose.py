"""Caseload forecast per wijkteam from instroom and uitstroom.

Teams and gemeenten want to know where the workload is heading (Amersfoort used caseload
and in-/uitstroom trends for exactly this). :func:`caseload_prognose` forecasts the
monthly instroom and uitstroom with exponential smoothing (statsmodels ``ETSModel``),
carries the caseload forward as ``caseload_t = caseload_{t-1} + instroom_t -
uitstroom_t``, draws prediction intervals by simulating both flows from the fitted
models, and back-tests the method on the last months the way the VNG Wmo-voorspelmodel
reports its accuracy (MAPE).
"""

from __future__ import annotations

import warnings
import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from .contract import TOTAAL

__all__ = ["caseload_prognose", "PROGNOSE_KOLOMMEN"]

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


def _maandtabel(df: pd.DataFrame) -> pd.DataFrame:
    d = df.assign(getal=df["teller"].where(df["teller"].notna(), df["waarde"]))
    breed = d.pivot_table(index="periode_start", columns="indicator", values="getal", aggfunc="sum")
    ontbreekt = [k for k in ("instroom", "uitstroom", "caseload") if k not in breed.columns]
    if ontbreekt:
        raise ValueError(f"Voor de caseloadprognose ontbreekt indicator(en): {', '.join(ontbreekt)}.")
    maanden = pd.date_range(breed.index.min(), breed.index.max(), freq="MS")
    return breed.reindex(maanden)[["instroom", "uitstroom", "caseload"]]


def caseload_prognose(
    tabel: pd.DataFrame,
    *,
    horizon: int = 12,
    backtest_maanden: int = 12,
    niveau: Sequence[float] = (0.8, 0.95),
    seed: int = 0,
    simulaties: int = 1000,
) -> pd.DataFrame:
    """Forecast the caseload per gemeente/wijkteam from monthly instroom and uitstroom.

    Parameters
    ----------
    tabel : DataFrame
        Tidy indicator table with monthly rows for the indicators ``instroom``,
        ``uitstroom`` (new/closed trajecten in the month) and ``caseload`` (open
        trajecten at the end of the month), ``uitsplitsing == ""``; counts are taken
        from ``teller`` (or ``waarde`` when teller is empty). Other rows are ignored.
    horizon : int
        Months to forecast after the last observed month.
    backtest_maanden : int
        Months held out for the back-test (0 = no back-test). The back-test needs at
        least 12 training months before them.
    niveau : sequence of float
        Levels of the prediction intervals; columns are named ``ondergrens_<100*niveau>``.
    seed : int
        Seed of the simulations; the result is deterministic for a seed.
    simulaties : int
        Number of simulated paths per team.

    Returns
    -------
    DataFrame
        ``gemeente, wijkteam, periode_start``; ``soort`` ("waarneming" = observed,
        "prognose" = forecast after the data, "backtest" = forecast of the held-out
        months from the earlier data); ``caseload``, ``instroom``, ``uitstroom`` (observed
        or point forecast); ``ondergrens_80``, ``bovengrens_80``, ``ondergrens_95``,
        ``bovengrens_95`` (caseload prediction intervals, NaN for observations);
        ``mape_backtest`` (fraction: 0.042 = 4,2%) and ``mae_backtest`` (trajecten) of
        the caseload back-test, repeated on every row of the team; ``methode`` (Dutch).

    Notes
    -----
    Each flow gets an ``ETSModel`` with additive errors and an additive damped trend,
    plus an additive seasonal component (period 12) when at least 24 months are
    available (Hyndman & Athanasopoulos, *Forecasting: Principles and Practice*, ch. 8);
    seasonal models start from the heuristic initial states (Hyndman et al. 2008),
    non-seasonal ones estimate them by maximum likelihood.
    Forecasts of the flows are clipped at 0. The point forecast of the caseload is
    ``caseload_T + Σ (instroom_hat - uitstroom_hat)``; its intervals are quantiles of the
    same sum over ``simulaties`` paths simulated from both fitted models (errors of the
    two flows independent; generator seeded from ``seed`` and the team name, so the
    result does not depend on the order of the teams). Back-test: refit on all but the
    last ``backtest_maanden`` months, forecast them from the observed caseload at the
    end of the training period, and compare with the observed caseload:
    ``MAPE = mean(|y - ŷ| / y)``, ``MAE = mean|y - ŷ|`` (as the VNG Wmo-voorspelmodel
    reports its accuracy). Teams with fewer than 12 months or with missing months get
    only their observations, with the reason in ``methode``.
    """
    if "indicator" not in tabel.columns:
        raise ValueError("De indicatortabel mist de kolom 'indicator'.")
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
    niveau = tuple(niveau)
    delen = []
    for (gemeente, wijkteam), df in t.groupby(["gemeente", "wijkteam"], sort=True):
        m = _maandtabel(df)
        n = len(m)
        obs = m.reset_index(names="periode_start").assign(soort="waarneming")
        sleutel = f"{gemeente}|{wijkteam}".encode()
        rng = np.random.default_rng([seed, zlib.crc32(sleutel)])
        if m.isna().any().any() or n < MIN_MAANDEN:
            reden = "ontbrekende maanden" if m.isna().any().any() else f"minder dan {MIN_MAANDEN} maanden"
            obs["methode"] = f"geen prognose: {reden}"
            delen.append(obs.assign(gemeente=gemeente, wijkteam=wijkteam))
            continue
        y_in, y_uit, y_cl = (m[k].to_numpy(float) for k in ("instroom", "uitstroom", "caseload"))
        mape = mae = np.nan
        bt = None
        b = int(backtest_maanden)
        if b > 0 and n - b >= MIN_MAANDEN:
            vb, _ = _voorspel(y_in[:-b], y_uit[:-b], y_cl[-b - 1], b, niveau, rng, simulaties)
            bt = pd.DataFrame(vb).assign(periode_start=m.index[-b:], soort="backtest")
            mape, mae = _mape(y_cl[-b:], vb["caseload"]), _mae(y_cl[-b:], vb["caseload"])
        vp, beschrijving = _voorspel(y_in, y_uit, y_cl[-1], horizon, niveau, rng, simulaties)
        toekomst = pd.date_range(m.index[-1] + pd.DateOffset(months=1), periods=horizon, freq="MS")
        pr = pd.DataFrame(vp).assign(periode_start=toekomst, soort="prognose")
        methode = (
            f"{beschrijving}; caseload = vorige + instroom - uitstroom; intervallen uit "
            f"{simulaties} simulaties (seed {seed})"
            + (f"; backtest op de laatste {b} maanden" if bt is not None else "; geen backtest (te kort)")
        )
        team = pd.concat([obs] + ([bt] if bt is not None else []) + [pr], ignore_index=True)
        delen.append(team.assign(gemeente=gemeente, wijkteam=wijkteam, methode=methode,
                                 mape_backtest=mape, mae_backtest=mae))
    uit = pd.concat(delen, ignore_index=True)
    kolommen = list(PROGNOSE_KOLOMMEN)
    for lvl in niveau:  # custom levels replace the default interval columns
        for kant in ("ondergrens", "bovengrens"):
            if f"{kant}_{round(100 * lvl)}" not in kolommen:
                kolommen.insert(kolommen.index("mape_backtest"), f"{kant}_{round(100 * lvl)}")
    kolommen = [k for k in kolommen if not k.startswith(("ondergrens_", "bovengrens_"))
                or int(k.split("_")[1]) in {round(100 * lvl) for lvl in niveau}]
    for k in kolommen:
        if k not in uit.columns:
            uit[k] = np.nan
    volgorde = {"waarneming": 0, "backtest": 1, "prognose": 2}
    uit = uit.assign(_v=uit["soort"].map(volgorde)).sort_values(["gemeente", "wijkteam", "_v", "periode_start"], kind="stable")
    return uit[kolommen].reset_index(drop=True)

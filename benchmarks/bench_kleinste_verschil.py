"""Do the reported minimal detectable differences give 80% power? (issue 19)

Usage::

    .venv/bin/python benchmarks/bench_kleinste_verschil.py --reeksen 1000 --seed 19

Not a timed test. For each scenario a difference EQUAL to the reported minimal
detectable difference is planted and the share of teams/series that the method flags
is counted; target 80%, printed with its 95% Monte-Carlo interval
(``0.80 ± 1.96 sqrt(0.16/N)``). The figures in README.md ("What the numbers mean")
come from this script with the command above.

Funnel scenarios (the MDD depends only on the noemer, the centre and the overdispersion,
so each team gets its own MDD and the flags are independent):

* ``funnel proportie p0``: N teams, noemer uniform 40..400 (and 15..60), true share
  ``p0 + kleinste_verschil_omhoog`` (and ``p0 - ..._omlaag``), binomial draws, exact
  Spiegelhalter 95% limits of :func:`funnel` without adjustment;
* ``funnel O/E``: expected counts 5..100, O ~ Poisson(E·(1 + MDD_up)), exact Poisson limits;
* ``funnel additief``: τ² = 0.003 on the asin scale, the team's own binomial noise,
  additive limits.

Series scenarios (two stages, because the MDD of a series is estimated from its own
fit): the median reported MDD on N null series, then N series with that effect planted;
the share called significant in the planted direction is the power. The null rate is
printed too: where the standard error is too small the MDD is too small as well.

* ``trend gemiddelde AR(1) φ``: 36 monthly points, sd 1, φ = 0, 0.1, 0.4;
* ``trend proportie``: Binomial(200, 0.4 + b·t) monthly, 36 points;
* ``trend aantal``: Poisson(30·(1 + b)^t) monthly, 36 points;
* ``ITS niveau``: 24 + 24 monthly points, AR(1) φ = 0.1, level change.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_detectie import _ar1_tabel, _teams  # noqa: E402

from monitoranalyse.analyse.trend import onderbroken_tijdreeks, trend  # noqa: E402
from monitoranalyse.analyse.vergelijking import funnel, kleinste_aantoonbare_verschil  # noqa: E402


def _regel(naam: str, aandeel: float, r: int, extra: str = "") -> str:
    h = 1.96 * np.sqrt(0.16 / r)
    binnen = "ja" if abs(aandeel - 0.8) <= h else "nee"
    return f"| {naam} | {r} | {100 * aandeel:.1f}% | {100 * (0.8 - h):.1f}–{100 * (0.8 + h):.1f}% | {binnen} | {extra} |"


def funnel_proportie(rng, r, p0, nmin, nmax, kant):
    n = rng.integers(nmin, nmax + 1, size=r)
    basis = funnel(_teams(np.round(p0 * n), n), "aandeel_test", type="proportie", doel=100 * p0,
                   overspreiding="geen")
    if kant == "omhoog":
        p = p0 + basis["kleinste_verschil_omhoog"].to_numpy() / 100
    else:
        p = p0 - basis["kleinste_verschil_omlaag"].to_numpy() / 100
    ok = np.isfinite(p)
    uit = funnel(_teams(rng.binomial(n[ok], p[ok]), n[ok]), "aandeel_test", type="proportie",
                 doel=100 * p0, overspreiding="geen")
    doel = "boven" if kant == "omhoog" else "onder"
    return float(uit["positie"].str.startswith(doel).mean()), int(ok.sum())


def funnel_oe(rng, r):
    e = rng.uniform(5, 100, size=r)
    k = kleinste_aantoonbare_verschil("oe", e, 1.0)
    o = rng.poisson(e * (1 + k["kleinste_verschil_omhoog"].to_numpy()))
    tab = _teams(o, e, vermenigvuldiger=1.0)
    uit = funnel(tab, "aandeel_test", type="oe", overspreiding="geen")
    return float(uit["positie"].str.startswith("boven").mean())


def funnel_additief(rng, r, p0=0.4, tau2=0.003):
    n = rng.integers(40, 401, size=r)
    k = kleinste_aantoonbare_verschil("proportie", n, p0, tau2=tau2, methode_overspreiding="additief")
    y = rng.binomial(n, p0 + k["kleinste_verschil_omhoog"].to_numpy()) / n
    grens = np.sin(np.arcsin(np.sqrt(p0)) + 1.959964 * np.sqrt(1 / (4 * n) + tau2)) ** 2
    return float(np.mean(y > grens))


def _reeks_tabel(waarden: np.ndarray, noemer=None, indicator="gemiddelde_test") -> pd.DataFrame:
    r, n = waarden.shape
    starts = pd.date_range("2021-01-01", periods=n, freq="MS")
    delen = []
    for j in range(r):
        teller = waarden[j] if noemer is not None else np.nan
        delen.append(pd.DataFrame({
            "gemeente": "Lindeveen", "wijkteam": f"Team {j:04d}", "periode_start": starts,
            "periode_eind": starts + pd.offsets.MonthEnd(0), "indicator": indicator,
            "uitsplitsing": "", "teller": teller, "noemer": 1.0 if noemer is None else float(noemer),
            "waarde": waarden[j] / (1.0 if noemer is None else noemer), "ondergrens": np.nan,
            "bovengrens": np.nan, "methode": "",
        }))
    return pd.concat(delen, ignore_index=True)


def trend_twee_fasen(maak, type_, r):
    nul = trend(maak(0.0), type=type_, beter="hoger", seizoen=False)
    mdd = float(nul["kleinste_helling_per_jaar"].median())
    plant = trend(maak(mdd), type=type_, beter="hoger", seizoen=False)
    return (float((plant["richting"] == "stijgend").mean()), float((nul["richting"] != "geen_trend").mean()),
            mdd)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reeksen", type=int, default=1000, help="teams/series per scenario")
    ap.add_argument("--seed", type=int, default=19)
    a = ap.parse_args(argv)
    rng = np.random.default_rng(a.seed)
    r = a.reeksen
    warnings.simplefilter("ignore")
    t0 = time.time()
    print("| scenario | N | gevangen | MC-interval 95% | binnen | opmerking |")
    print("|---|---|---|---|---|---|")
    for p0 in (0.1, 0.3, 0.5):
        for nmin, nmax in ((40, 400), (15, 60)):
            for kant in ("omhoog", "omlaag"):
                g, m = funnel_proportie(rng, 4 * r, p0, nmin, nmax, kant)
                print(_regel(f"funnel proportie p0={p0}, n {nmin}-{nmax}, {kant}", g, m), flush=True)
    print(_regel("funnel O/E, E 5-100, omhoog", funnel_oe(rng, 4 * r), 4 * r), flush=True)
    print(_regel("funnel additief τ²=0,003, p0=0,4", funnel_additief(rng, 4 * r), 4 * r), flush=True)

    for phi in (0.0, 0.1, 0.4):
        g, nul, mdd = trend_twee_fasen(lambda b, phi=phi: _ar1_tabel(rng, r, 36, b, phi=phi), "gemiddelde", r)
        print(_regel(f"trend gemiddelde AR(1) φ={phi}", g, r, f"MDD {mdd:.3f}/jaar; nulpercentage {100 * nul:.1f}%"),
              flush=True)

    t = np.arange(36) / 12

    def prop(b):
        return _reeks_tabel(rng.binomial(200, np.clip(0.4 + b * t, 0, 1), size=(r, 36)).astype(float),
                            noemer=200, indicator="proportie_test")

    g, nul, mdd = trend_twee_fasen(prop, "proportie", r)
    print(_regel("trend proportie Binomial(200, 0,4)", g, r, f"MDD {100 * mdd:.2f} procentpunt/jaar; "
                 f"nulpercentage {100 * nul:.1f}%"), flush=True)

    def aantal(b):
        return _reeks_tabel(rng.poisson(30 * (1 + b) ** t, size=(r, 36)).astype(float), noemer=1,
                            indicator="aantal_test")

    g, nul, mdd = trend_twee_fasen(aantal, "aantal", r)
    print(_regel("trend aantal Poisson(30)", g, r, f"MDD {100 * mdd:.1f}%/jaar; nulpercentage {100 * nul:.1f}%"),
          flush=True)

    w = [{"datum": "2023-01-01", "label": "test", "impact": "niveau"}]
    nul = onderbroken_tijdreeks(_ar1_tabel(rng, r, 48, 0.0, phi=0.1), w, type="gemiddelde", seizoen=False)
    mdd = float(nul["kleinste_niveau_verandering"].median())
    plant = onderbroken_tijdreeks(_ar1_tabel(rng, r, 48, 0.0, phi=0.1, stap=mdd, stap_na=24), w,
                                  type="gemiddelde", seizoen=False)
    g = float(((plant["niveau_p"] < 0.05) & (plant["niveau_verandering"] > 0)).mean())
    print(_regel("ITS niveau, AR(1) φ=0,1, 24+24", g, r, f"MDD {mdd:.2f}; nulpercentage "
                 f"{100 * (nul['niveau_p'] < 0.05).mean():.1f}%"), flush=True)
    print(f"\n{time.time() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()

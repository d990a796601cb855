"""False and true alarms of the regio funnel (issue 15): gemeenten as units.

Usage::

    .venv/bin/python benchmarks/bench_regio_funnel.py --regios 300 --gemeenten 8

Simulates regios of ``--gemeenten`` gemeenten (noemer 300-2500, true share of lichte zorg
75% plus a normal gemeente effect with sd 2 procentpunt: overdispersed, as gemeenten are),
once without and once with a planted +13 procentpunt in the first gemeente, and counts how
often :func:`monitoranalyse.analyse.regio.funnel_gemeenten` puts a gemeente outside the 95%
and 99,8% limits (after the overdispersion adjustment), for FunnelPlotR's 10% winsorising
and for none (the regio default, ``regio.REGIO_WINSOR``).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from monitoranalyse.analyse import regio  # noqa: E402
from monitoranalyse.contract import TOTAAL  # noqa: E402


def tabel(rng, k=8, p0=0.75, sd=0.02, effect=0.0) -> pd.DataFrame:
    n = rng.integers(300, 2500, size=k)
    p = np.clip(p0 + rng.normal(0, sd, size=k), 0.01, 0.99)
    p[0] = min(p[0] + effect, 0.99)
    t = rng.binomial(n, p)
    return pd.DataFrame({
        "gemeente": [f"G{i}" for i in range(k)], "wijkteam": TOTAAL,
        "periode_start": pd.Timestamp("2024-01-01"), "periode_eind": pd.Timestamp("2024-12-31"),
        "indicator": "aandeel_lichte_zorg", "uitsplitsing": "", "teller": t.astype(float),
        "noemer": n.astype(float), "waarde": t / n, "ondergrens": np.nan, "bovengrens": np.nan,
        "methode": "wilson", "statistiek": "proportie", "volledig": True, "inloop": False})


def meet(winsor: float, effect: float, regios: int, k: int, sd: float, seed: int) -> str:
    rng = np.random.default_rng(seed)
    eerste = {"95": 0, "998": 0}
    andere = {"95": 0, "998": 0}
    for _ in range(regios):
        f = regio.funnel_gemeenten(tabel(rng, k, sd=sd, effect=effect), "aandeel_lichte_zorg",
                                   periode="alle", winsor=winsor)
        v = regio.verschillen(f)
        for niveau, m in (("95", v), ("998", v[v["positie"].str.contains("99,8")])):
            eerste[niveau] += int((m["gemeente"] == "G0").any())
            andere[niveau] += int((m["gemeente"] != "G0").sum())
    n_andere = regios * (k - 1)
    return (f"| {winsor:g} | {'+' + format(effect * 100, 'g') + ' pp' if effect else 'geen'} | "
            f"{100 * eerste['95'] / regios:.1f}% | {100 * eerste['998'] / regios:.1f}% | "
            f"{100 * andere['95'] / n_andere:.1f}% | {100 * andere['998'] / n_andere:.2f}% |")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--regios", type=int, default=300)
    p.add_argument("--gemeenten", type=int, default=8)
    p.add_argument("--sd", type=float, default=0.02)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    warnings.filterwarnings("ignore")
    print(f"{a.regios} regio's van {a.gemeenten} gemeenten, sd tussen gemeenten {a.sd:g}")
    print("| winsor | geplant in G0 | G0 buiten 95% | G0 buiten 99,8% | andere buiten 95% | andere buiten 99,8% |")
    print("|---|---|---|---|---|---|")
    for winsor in (0.10, 0.0):
        for effect in (0.0, 0.13):
            print(meet(winsor, effect, a.regios, a.gemeenten, a.sd, a.seed), flush=True)


if __name__ == "__main__":
    main()

"""False-positive rates of the analysis functions on null data (no effect planted).

Usage::

    .venv/bin/python benchmarks/bench_nulgedrag.py --reeksen 1000 --seed 12

Not a timed test: it measures how often each method signals when nothing happens,
and prints a Markdown table with the nominal rate and its 95% Monte-Carlo interval
(``nominal ± 1.96 sqrt(p(1-p)/N)``). The figures in README.md ("What the numbers
mean") come from this script with the command above.

Null data (36 monthly periods unless stated):

* ``binomiaal``   teller ~ Binomial(200, 0.4) -- proportie
* ``poisson``     teller ~ Poisson(30) -- aantal
* ``overgespreid`` teller ~ NegBin(mean 30, size 5): variance 7x the mean -- aantal
* ``normaal``     waarde ~ N(10, 2) -- gemiddelde

Methods and what counts as a false positive:

* trend: slope p < 0.05 (nominal 5%);
* onderbroken_tijdreeks (change after 18 months, impact "beide"): level p < 0.05 and
  slope p < 0.05, each nominal 5%;
* spc: per rule, the share of 36-point charts in which the rule fires (column
  ``regels``), and the share with any signal. The nominal is the same quantity for an
  IDEAL chart that knows the true mean and sigma (simulated here with the same rule
  code, 20x as many charts), since the NHS rules have no closed-form rate; charts, not
  points, are the independent units (run rules flag points in blocks);
* funnel: share of teams outside the 95% and 99.8% limits (15 teams, noemer 40..2000
  geometric), binomial p = 0.3, Poisson O/E and -- after the overdispersion adjustment --
  beta-binomial teams (true p varies between teams, sd 0.05: the adjusted funnel should
  then flag at about the nominal rate). Nominal: 5% and 0.2%.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitoranalyse.analyse import spc as spc_mod  # noqa: E402
from monitoranalyse.analyse.trend import onderbroken_tijdreeks, trend  # noqa: E402
from monitoranalyse.analyse.vergelijking import funnel  # noqa: E402

MAANDEN = 36
STARTS = pd.date_range("2021-01-01", periods=MAANDEN, freq="MS")


def _reeks(rng: np.random.Generator, soort: str) -> tuple[np.ndarray, np.ndarray, str]:
    """(teller, noemer, type) of one null series."""
    if soort == "binomiaal":
        return rng.binomial(200, 0.4, MAANDEN).astype(float), np.full(MAANDEN, 200.0), "proportie"
    if soort == "poisson":
        return rng.poisson(30, MAANDEN).astype(float), np.full(MAANDEN, np.nan), "aantal"
    if soort == "overgespreid":
        return rng.poisson(rng.gamma(5, 30 / 5, MAANDEN)).astype(float), np.full(MAANDEN, np.nan), "aantal"
    return rng.normal(10, 2, MAANDEN), np.full(MAANDEN, np.nan), "gemiddelde"


def _tabel(rng, soort: str, n: int) -> tuple[pd.DataFrame, str]:
    delen = []
    stype = ""
    for i in range(n):
        t, d, stype = _reeks(rng, soort)
        waarde = t / d if stype == "proportie" else t
        delen.append(pd.DataFrame({"gemeente": "G", "wijkteam": f"T{i:05d}", "periode_start": STARTS,
                                   "indicator": "x", "uitsplitsing": "", "teller": t, "noemer": d,
                                   "waarde": waarde}))
    return pd.concat(delen, ignore_index=True), stype


def _mc(p: float, n: int) -> tuple[float, float]:
    h = 1.96 * np.sqrt(p * (1 - p) / n)
    return max(p - h, 0.0), p + h


def _rij(rijen, methode, data, gemeten, nominaal, n):
    lo, hi = _mc(nominaal, n)
    rijen.append({"methode": methode, "data": data, "gemeten": gemeten, "nominaal": nominaal,
                  "mc_95_onder": lo, "mc_95_boven": hi, "n": n,
                  "binnen": "ja" if lo <= gemeten <= hi else "NEE"})


def _ideale_spc(rng, n_reeksen: int) -> dict[str, float]:
    """Share of 36-point charts in which each rule fires (and any rule), for a chart
    that knows the TRUE mean and sigma (iid normal)."""
    kaarten = {r: 0 for r in spc_mod.REGELS}
    enig = 0
    for _ in range(n_reeksen):
        x = rng.normal(0, 1, MAANDEN)
        c, s = np.zeros(MAANDEN), np.ones(MAANDEN)
        hits = spc_mod._regel_hits(x, c, c - 3 * s, c + 3 * s, c - 2 * s, c + 2 * s)
        raak = False
        for naam, h in hits:
            kaarten[naam] += bool((h != 0).any())
            raak |= bool((h != 0).any())
        enig += raak
    uit = {r: v / n_reeksen for r, v in kaarten.items()}
    uit["enig_signaal"] = enig / n_reeksen
    return uit


def _funnel_null(rng, soort: str, n_keer: int, winsor: float = 0.10) -> tuple[float, float, int]:
    noemer = np.geomspace(40, 2000, 15).round()
    b95 = b998 = 0
    for _ in range(n_keer):
        if soort == "binomiaal":
            t, d, stype, kol = rng.binomial(noemer.astype(int), 0.3).astype(float), noemer, "proportie", "positie"
        elif soort == "poisson_oe":
            e = noemer / 10
            t, d, stype, kol = rng.poisson(e).astype(float), e, "oe", "positie"
        else:  # beta-binomial: true p varies between teams; judged AFTER the adjustment
            p = np.clip(rng.normal(0.3, 0.05, 15), 0.01, 0.99)
            t, d, stype, kol = rng.binomial(noemer.astype(int), p).astype(float), noemer, "proportie", "positie_gecorrigeerd"
        tab = pd.DataFrame({"gemeente": "G", "wijkteam": [f"T{i}" for i in range(15)], "periode_start": "2024-01-01",
                            "periode_eind": "2024-12-31", "indicator": "x", "uitsplitsing": "", "teller": t,
                            "noemer": d, "waarde": t / d, "ondergrens": np.nan, "bovengrens": np.nan})
        uit = funnel(tab, "x", type=stype, overspreiding="additief" if soort == "betabinomiaal" else "auto",
                     winsor=winsor)
        b95 += int((uit[kol] != "binnen").sum())
        b998 += int(uit[kol].str.endswith("99,8%").sum())
    n = 15 * n_keer
    return b95 / n, b998 / n, n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reeksen", type=int, default=1000, help="null series per data type (default 1000)")
    ap.add_argument("--seed", type=int, default=12)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    n = args.reeksen
    rijen: list[dict] = []
    t0 = time.perf_counter()
    warnings.simplefilter("ignore")
    for soort in ("binomiaal", "poisson", "overgespreid", "normaal"):
        tab, stype = _tabel(rng, soort, n)
        tr = trend(tab, type=stype)
        _rij(rijen, "trend: helling", soort, float((tr["p_waarde"] < 0.05).mean()), 0.05, n)
        its = onderbroken_tijdreeks(tab, [{"datum": "2022-07-01"}], type=stype)
        _rij(rijen, "ITS: niveau", soort, float((its["niveau_p"] < 0.05).mean()), 0.05, n)
        _rij(rijen, "ITS: helling", soort, float((its["helling_p"] < 0.05).mean()), 0.05, n)
    # SPC: ideal chart (true parameters) as the nominal, our chart on the same kind of data
    ideaal = _ideale_spc(rng, 20 * n)
    for soort in ("normaal", "poisson", "binomiaal"):
        tab, stype = _tabel(rng, soort, n)
        r = spc_mod.spc(tab, type=stype, beter="hoger")
        for regel in spc_mod.REGELS:
            gemeten = float(r.groupby("wijkteam")["regels"].apply(lambda s, g=regel: s.str.contains(g).any()).mean())
            _rij(rijen, f"SPC {r['grafiek'].iloc[0]}: {regel} (per grafiek)", soort, gemeten, ideaal[regel], n)
        enig = float(r.groupby("wijkteam")["regel"].apply(lambda s: (s != "").any()).mean())
        _rij(rijen, f"SPC {r['grafiek'].iloc[0]}: enig signaal (per grafiek)", soort, enig, ideaal["enig_signaal"], n)
    # seasonal indicator: normal noise around a strong month pattern, month profile on
    seizoen = []
    for i in range(n):
        x = 100 + 30 * np.sin(2 * np.pi * np.arange(48) / 12) + rng.normal(0, 2, 48)
        seizoen.append(pd.DataFrame({"gemeente": "G", "wijkteam": f"T{i:05d}",
                                     "periode_start": pd.date_range("2021-01-01", periods=48, freq="MS"),
                                     "indicator": "instroom", "uitsplitsing": "", "teller": np.nan,
                                     "noemer": np.nan, "waarde": x}))
    r = spc_mod.spc(pd.concat(seizoen, ignore_index=True), type="aantal", beter="hoger")
    enig = float(r.groupby("wijkteam")["regel"].apply(lambda s: (s != "").any()).mean())
    wit = []
    for i in range(n):
        wit.append(pd.DataFrame({"gemeente": "G", "wijkteam": f"T{i:05d}",
                                 "periode_start": pd.date_range("2021-01-01", periods=48, freq="MS"),
                                 "indicator": "x", "uitsplitsing": "", "teller": np.nan, "noemer": np.nan,
                                 "waarde": rng.normal(0, 2, 48)}))
    rw = spc_mod.spc(pd.concat(wit, ignore_index=True), type="gemiddelde", beter="hoger")
    enig_wit = float(rw.groupby("wijkteam")["regel"].apply(lambda s: (s != "").any()).mean())
    _rij(rijen, "SPC XmR met maandprofiel: enig signaal in 48 maanden (nominaal: XmR op witte ruis)",
         "seizoen + normaal", enig, enig_wit, n)
    for soort, label, w in (("binomiaal", "binomiaal", 0.1), ("poisson_oe", "Poisson O/E", 0.1),
                            ("betabinomiaal", "bèta-binomiaal, na correctie (10% gewinsoriseerd)", 0.1),
                            ("betabinomiaal", "bèta-binomiaal, na correctie (winsor=0)", 0.0)):
        b95, b998, nt = _funnel_null(rng, soort, max(n // 5, 50), winsor=w)
        _rij(rijen, "funnel: buiten 95%", label, b95, 0.05, nt)
        _rij(rijen, "funnel: buiten 99,8%", label, b998, 0.002, nt)
    df = pd.DataFrame(rijen)
    print(f"# Nulgedrag (seed {args.seed}, {n} reeksen per soort; {time.perf_counter() - t0:.0f} s)\n")
    print("| methode | data | gemeten | nominaal | 95%-MC-interval | n | binnen |")
    print("|---|---|---|---|---|---|---|")
    for r_ in df.itertuples():
        print(f"| {r_.methode} | {r_.data} | {100 * r_.gemeten:.2f}% | {100 * r_.nominaal:.2f}% | "
              f"{100 * r_.mc_95_onder:.2f}–{100 * r_.mc_95_boven:.2f}% | {r_.n} | {r_.binnen} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

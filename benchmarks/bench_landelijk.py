"""The national batch (issue 16, third target row): all 342 gemeenten, or a stratified sample.

Usage::

    .venv/bin/python benchmarks/bench_landelijk.py --steekproef 12     # ~6-10 min on 2 cores
    .venv/bin/python benchmarks/bench_landelijk.py                     # all 342 (hours)

Generates the national synthetic set (``voorbeelddata.genereer_landelijk``, seed 2026) for the
chosen gemeenten — with ``--steekproef N`` the gemeenten at the middle of N equal slices of the
size ranking (CBS 85383NED inwoners), so small and large gemeenten are represented as in the
country — then runs ``monitoranalyse rapport --geen-regio --parallel P`` over it as a user does
and prints the wall time, the batch's own summary (time per stage) and, for a sample, the
extrapolation to 342 gemeenten: wall time x 342 / N, and the same scaled by inwoners (the sample's
mean size against the national mean). Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from monitoranalyse.voorbeelddata import genereer_landelijk, landelijke_opzet

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steekproef", type=int, default=None, metavar="N")
    ap.add_argument("--parallel", type=int, default=2)
    ap.add_argument("--schaal", type=float, default=1.0)
    args = ap.parse_args()

    opzet = landelijke_opzet()
    alle = opzet.drop_duplicates("gemeente").sort_values("inwoners", kind="stable").reset_index(drop=True)
    if args.steekproef:
        k = args.steekproef
        namen = alle.loc[[int((i + 0.5) * len(alle) / k) for i in range(k)], "gemeente"].tolist()
    else:
        namen = alle["gemeente"].tolist()
    gekozen = alle[alle["gemeente"].isin(namen)]
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        data = genereer_landelijk(Path(tmp) / "data", schaal=args.schaal, namen=namen)
        t_gen = time.perf_counter() - t0
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "monitoranalyse", "rapport", "--data", str(data), "--out",
                        str(Path(tmp) / "rapporten"), "--geen-regio", "--parallel", str(args.parallel)],
                       cwd=ROOT, check=False)
        wand = time.perf_counter() - t0
    n = len(namen)
    print(f"\n{n} gemeenten ({gekozen['inwoners'].sum():,} inwoners, gemiddeld {gekozen['inwoners'].mean():,.0f}), "
          f"gegenereerd in {t_gen:.0f} s".replace(",", "."))
    print(f"rapport: {wand:.0f} s wand ({wand / 60:.1f} min), --parallel {args.parallel}")
    if n < len(alle):
        per_aantal = wand * len(alle) / n
        per_inwoner = per_aantal * alle["inwoners"].mean() / gekozen["inwoners"].mean()
        print(f"geschat voor {len(alle)} gemeenten: {per_aantal / 60:.0f} min (naar aantal), "
              f"{per_inwoner / 60:.0f} min (naar inwoners)")


if __name__ == "__main__":
    main()

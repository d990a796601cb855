"""Benchmark of the indicator library on generated data.

Usage::

    .venv/bin/python benchmarks/bench_indicatoren.py --schaal 100

Generates ``voorbeelddata.genereer_tabellen(seed, schaal)`` (schaal 100 is about a
million trajecten), builds a Monitordata directly (no files), runs
``indicatoren.bereken(periode="kwartaal")`` and prints the wall time and the time
per indicator (largest first).

Memory, all resident set size (RSS) of this process:

* ``ru_maxrss`` (``resource.getrusage``): peak over the whole run, including the
  generator's own temporaries;
* on Linux additionally the peak *during bereken* only: ``/proc/self/clear_refs``
  is reset just before the call, then ``VmHWM`` from ``/proc/self/status`` is read.
  It includes the resident input tables (printed separately as ``VmRSS`` before).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitoranalyse import indicatoren  # noqa: E402
from monitoranalyse.invoer.monitordata import Monitordata  # noqa: E402
from monitoranalyse.voorbeelddata import genereer_tabellen  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from meten import piek_mb, reset_piek, status_mb  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark indicatoren.bereken")
    ap.add_argument("--schaal", type=float, default=100.0)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--periode", default="kwartaal")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    tabellen = genereer_tabellen(seed=args.seed, schaal=args.schaal)
    t_gen = time.perf_counter() - t0
    md = Monitordata(tabellen=tabellen)
    print(f"schaal {args.schaal:g}: "
          + ", ".join(f"{k} {len(v):,}" for k, v in tabellen.items()))
    print(f"genereren: {t_gen:.1f} s; piekgeheugen na genereren {piek_mb():,.0f} MB")

    import gc

    gc.collect()
    piek_vooraf = piek_mb()
    invoer = status_mb("VmRSS")
    gereset = reset_piek()
    tijden: dict[str, float] = {}
    t0 = time.perf_counter()
    tabel = indicatoren._bereken(md, args.periode, None, None, None, tijden)
    wand = time.perf_counter() - t0
    print(f"bereken(periode={args.periode!r}): {wand:.1f} s wandtijd, {len(tabel):,} rijen")
    print(f"piekgeheugen proces over de hele run (ru_maxrss): "
          f"{max(piek_vooraf, piek_mb()):,.0f} MB")
    if gereset and invoer is not None:
        print(f"geheugen tijdens bereken: invoer resident {invoer:,.0f} MB (VmRSS vooraf), "
              f"piek {status_mb('VmHWM'):,.0f} MB (VmHWM na reset)")
    print("tijd per indicator (de eerste indicator van een gedeelde tussenstap draagt die):")
    for code, s in sorted(tijden.items(), key=lambda kv: -kv[1]):
        print(f"  {code:38s} {s:6.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

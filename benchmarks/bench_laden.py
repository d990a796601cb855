"""End-to-end benchmark of stage 1 + 2 from files: ``laad(MAP)`` and
``indicatoren.bereken(md, periode="kwartaal")`` (issue 16, section 2).

Usage::

    .venv/bin/python -m monitoranalyse voorbeelddata --schaal 100 --zonder-rommelig --out /tmp/schaal100
    .venv/bin/python benchmarks/bench_laden.py /tmp/schaal100/voorbeeld
    .venv/bin/python benchmarks/bench_laden.py /tmp/schaal100/voorbeeld --herhaal 3

Prints the wall time per stage — *lezen* (files to text/typed columns), *valideren*
(every rule, quarantine, canonical tables; the rest of ``laad``), *bereken* — the total,
and the peak RSS of the process (``ru_maxrss``). The split of ``laad`` into reading and
validating comes from the loader's own debug log (the time it spends reading each file);
the total is the plain ``laad`` + ``bereken``.
``--herhaal N`` runs the whole benchmark N times, each in a fresh process, and prints the
medians. ``benchmarks/bench_duckdb.py`` is the reference on the same files.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from meten import mediaan_van_runs, meetwaarden, piek_mb  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark laad + indicatoren.bereken vanuit bestanden")
    ap.add_argument("map", type=Path, help="datasetmap (bv. voorbeelddata --schaal 100 .../voorbeeld)")
    ap.add_argument("--periode", default="kwartaal")
    ap.add_argument("--herhaal", type=int, default=1, help="aantal runs, elk in een eigen proces")
    args = ap.parse_args(argv)
    if args.herhaal > 1:
        rest = [str(args.map), "--periode", args.periode]
        return mediaan_van_runs(__file__, rest, args.herhaal)

    t_start = time.perf_counter()
    from monitoranalyse import indicatoren
    from monitoranalyse.invoer import laden

    # time spent reading files: the loader logs it per table (logger
    # "monitoranalyse.invoer.laden", records with the attributes stadium and seconden)
    lezen = [0.0]

    class Teller(logging.Handler):
        def emit(self, record):
            if getattr(record, "stadium", None) == "lezen":
                lezen[0] += record.seconden

    log = logging.getLogger(laden.__name__)
    log.addHandler(Teller(logging.DEBUG))
    log.setLevel(logging.DEBUG)
    t_import = time.perf_counter() - t_start
    t0 = time.perf_counter()
    md = laden.laad(args.map)
    t_laad = time.perf_counter() - t0
    piek_laad = piek_mb()
    t0 = time.perf_counter()
    tabel = indicatoren.bereken(md, periode=args.periode)
    t_bereken = time.perf_counter() - t0
    totaal = t_laad + t_bereken

    h = md.herkomst
    print(", ".join(f"{r.tabel} {r.rijen_gelezen:,}" for r in h.itertuples() if r.rijen_gelezen))
    print(f"quarantaine: {len(md.quarantaine):,} problemen; indicatortabel {len(tabel):,} rijen")
    print(f"import:     {t_import:6.1f} s (niet meegeteld)")
    print(f"lezen:      {lezen[0]:6.1f} s")
    print(f"valideren:  {t_laad - lezen[0]:6.1f} s")
    print(f"bereken:    {t_bereken:6.1f} s")
    print(f"totaal:     {totaal:6.1f} s (laad {t_laad:.1f} s + bereken {t_bereken:.1f} s)")
    print(f"piekgeheugen (ru_maxrss): na laad {piek_laad:,.0f} MB, hele run {piek_mb():,.0f} MB")
    meetwaarden(lezen_s=lezen[0], valideren_s=t_laad - lezen[0], bereken_s=t_bereken, totaal_s=totaal)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

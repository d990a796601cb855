"""Memory and time helpers shared by the benchmark scripts (not part of the package).

All figures are resident set size (RSS) of the current process, in MB:

* :func:`piek_mb` — ``ru_maxrss`` (``resource.getrusage``): the peak over the whole run;
* :func:`status_mb` — a field of ``/proc/self/status`` (Linux), e.g. ``VmRSS`` (now) or
  ``VmHWM`` (peak since the last :func:`reset_piek`);
* :func:`reset_piek` — resets ``VmHWM`` via ``/proc/self/clear_refs`` so that the peak of one
  stage can be read on its own.

:func:`mediaan_van_runs` runs a benchmark script N times, each in a fresh subprocess (so one
run's memory never counts for the next), and prints the median of the figures that the script
prints as ``MEETWAARDE naam waarde`` lines.
"""

from __future__ import annotations

import re
import resource
import statistics
import subprocess
import sys


def piek_mb() -> float:
    """Peak RSS of this process over its whole life (Linux reports ru_maxrss in kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def status_mb(veld: str) -> float | None:
    """A field of /proc/self/status in MB (Linux), else None."""
    try:
        with open("/proc/self/status") as f:
            for regel in f:
                if regel.startswith(veld + ":"):
                    return int(regel.split()[1]) / 1024
    except OSError:
        return None
    return None


def reset_piek() -> bool:
    """Reset the VmHWM peak of this process (Linux); False where that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def meetwaarde(naam: str, waarde: float) -> None:
    """Print one figure in the form :func:`mediaan_van_runs` collects."""
    print(f"MEETWAARDE {naam} {waarde:.3f}", flush=True)


def meetwaarden(**waarden: float) -> None:
    """Print several figures (:func:`meetwaarde`) and, last, the peak RSS as ``piek_MB``."""
    for naam, waarde in waarden.items():
        meetwaarde(naam, waarde)
    meetwaarde("piek_MB", piek_mb())


def mediaan_van_runs(script: str, argv: list[str], n: int) -> int:
    """Run ``script argv`` ``n`` times in fresh processes; print every run and the medians."""
    reeksen: dict[str, list[float]] = {}
    for i in range(n):
        r = subprocess.run([sys.executable, script, *argv], capture_output=True, text=True)
        if r.returncode != 0:
            print(r.stdout + r.stderr, file=sys.stderr)
            return r.returncode
        waarden = dict(
            (m.group(1), float(m.group(2)))
            for m in re.finditer(r"^MEETWAARDE (\S+) (\S+)$", r.stdout, flags=re.MULTILINE)
        )
        print(f"run {i + 1}: " + ", ".join(f"{k} {v:,.1f}" for k, v in waarden.items()), flush=True)
        for k, v in waarden.items():
            reeksen.setdefault(k, []).append(v)
    print(f"mediaan van {n} runs: "
          + ", ".join(f"{k} {statistics.median(v):,.1f}" for k, v in reeksen.items()))
    return 0

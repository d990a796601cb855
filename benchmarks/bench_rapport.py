"""Benchmark of one gemeente's report against its floor (issue 16, second target row).

Usage::

    .venv/bin/python benchmarks/bench_rapport.py --herhaal 3
    .venv/bin/python benchmarks/bench_rapport.py --gemeente Beekdal --data data_samples/voorbeeld

Two commands, alternated in each round so that a busy machine slows both alike:

* **rapport**: ``monitoranalyse rapport --data D --gemeente G --parallel 1 --geen-regio`` into a
  fresh folder, as a user runs it (process start, loading, the computation, the notebooks, html,
  privacy guard; no PDF);
* **vloer** (floor): the same report notebooks holding only their imports (every top-level
  ``import``/``from`` statement of their code cells, plus the parameters cell), each executed by
  papermill in its own fresh kernel and exported to HTML with the same template, in one
  process — what any papermill-based report costs before it computes or draws anything.

Prints the wall time of each round, the median of each command and the ratio of the medians
(target of the issue: <= 1,2). Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import ast
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VLOER = r"""
import sys, time
from pathlib import Path
import papermill as pm
from monitoranalyse.rapport import export
from monitoranalyse.rapport.kernel import KernelDezeInterpreter
nbmap, uit = Path(sys.argv[1]), Path(sys.argv[2])
for nb in sorted(nbmap.glob("*.ipynb")):
    doel = uit / nb.name
    pm.execute_notebook(str(nb), str(doel), parameters={"gemeente": sys.argv[3]}, progress_bar=False,
                        log_output=False, cwd=str(nbmap), kernel_name="python3",
                        kernel_manager_class=KernelDezeInterpreter,
                        extra_arguments=["--IPKernelApp.log_level=ERROR"])
    export.exporteer_html(doel, uit / (nb.stem + ".html"))
"""


def maak_vloer_notebooks(doel: Path, notebooks) -> None:
    """Copies of the report notebooks with only the parameters cell and the import statements."""
    import nbformat

    from monitoranalyse.rapport.batch import notebook_map

    for naam in notebooks:
        nb = nbformat.read(notebook_map() / f"{naam}.ipynb", as_version=4)
        cellen = []
        for cel in nb.cells:
            if cel.cell_type != "code":
                continue
            if "parameters" in cel.metadata.get("tags", []):
                cellen.append(cel)
                continue
            try:
                boom = ast.parse(cel.source)
            except SyntaxError:  # IPython magics: no imports to keep
                continue
            regels = [ast.get_source_segment(cel.source, knoop) for knoop in boom.body
                      if isinstance(knoop, (ast.Import, ast.ImportFrom))]
            if regels:
                cellen.append(nbformat.v4.new_code_cell("\n".join(regels)))
        nb.cells = cellen
        nbformat.write(nb, doel / f"{naam}.ipynb")


def meet(cmd: list[str], env=None) -> float:
    begin = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - begin


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT / "data_samples" / "voorbeeld"))
    ap.add_argument("--gemeente", default="Lindeveen")
    ap.add_argument("--herhaal", type=int, default=3)
    args = ap.parse_args()

    from monitoranalyse.rapport.batch import NOTEBOOKS

    rapport, vloer = [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        nbmap = tmp / "vloer_nb"
        nbmap.mkdir()
        maak_vloer_notebooks(nbmap, NOTEBOOKS)
        for i in range(args.herhaal):
            out = tmp / f"rapport{i}"
            rapport.append(meet([sys.executable, "-m", "monitoranalyse", "rapport", "--data", args.data, "--out",
                                 str(out), "--gemeente", args.gemeente, "--parallel", "1", "--geen-regio"]))
            uit = tmp / f"vloer{i}"
            uit.mkdir()
            vloer.append(meet([sys.executable, "-c", VLOER, str(nbmap), str(uit), args.gemeente],
                              env=dict(os.environ, PYTHONPATH=str(ROOT))))
            print(f"ronde {i + 1}: rapport {rapport[-1]:.1f} s, vloer {vloer[-1]:.1f} s", flush=True)
    mr, mv = statistics.median(rapport), statistics.median(vloer)
    print(f"\n{args.gemeente}, {len(NOTEBOOKS)} notebooks ({', '.join(NOTEBOOKS)}), {args.herhaal} rondes")
    print(f"rapport: mediaan {mr:.1f} s (min {min(rapport):.1f}, max {max(rapport):.1f})")
    print(f"vloer:   mediaan {mv:.1f} s (min {min(vloer):.1f}, max {max(vloer):.1f})")
    print(f"verhouding rapport / vloer: {mr / mv:.2f}")


if __name__ == "__main__":
    main()

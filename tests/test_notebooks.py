"""The committed notebooks are what their builders produce, carry no outputs, and are thin.

nbval executes every notebook in monitoranalyse/rapport/notebooks/ against the sample data as part of the suite
(`--nbval-lax`, see pyproject.toml); cells marked NBVAL_CHECK_OUTPUT compare key figures.
"""

from __future__ import annotations

import importlib.util
import json

import pytest

from conftest import BOUWERS, NOTEBOOKS

NB = NOTEBOOKS


def _bouwer(naam):
    spec = importlib.util.spec_from_file_location(naam, BOUWERS / f"{naam}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_rapportnotebooks_gelijk_aan_bouwer():
    for naam, inhoud in _bouwer("bouw_notebooks").bouw().items():
        assert (NB / f"{naam}.ipynb").read_text(encoding="utf-8") == inhoud, (
            f"monitoranalyse/rapport/notebooks/{naam}.ipynb is verouderd: draai python notebooks/bouw_notebooks.py")


def test_cbs_notebook_gelijk_aan_bouwer(tmp_path):
    mod = _bouwer("bouw_cbs")
    gebouwd = mod.bouw() if hasattr(mod, "bouw") else None
    if gebouwd is None:
        pytest.skip("bouw_cbs heeft geen bouw()-functie")
    inhoud = gebouwd if isinstance(gebouwd, str) else next(iter(gebouwd.values()))
    assert (NB / "cbs_benchmark.ipynb").read_text(encoding="utf-8") == inhoud


@pytest.mark.parametrize("pad", sorted(NB.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebook_zonder_uitvoer_en_met_parameters(pad):
    nb = json.loads(pad.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    # only NBVAL_CHECK_OUTPUT cells carry a stored output: the expected key figure
    for c in code:
        if "NBVAL_CHECK_OUTPUT" not in "".join(c["source"]):
            assert not c.get("outputs") and c.get("execution_count") is None
    assert sum("parameters" in c.get("metadata", {}).get("tags", []) for c in code) == 1
    # thin: no notebook cell defines a function longer than a few lines or a class
    for c in code:
        bron = "".join(c["source"])
        assert "class " not in bron

"""`monitoranalyse rapport --cbs MAP` also runs the CBS benchmark notebook per gemeente.

The sample gemeenten are fictional, so the notebook must say (in Dutch) that the gemeente is
not in the CBS data and still show the national picture (issue 7). The CBS fixture is derived
from ../shared/data/cbs at test time and never committed.
"""

from __future__ import annotations

import pytest

from conftest import VOORBEELD
from monitoranalyse.opendata import cbs
from monitoranalyse.rapport import batch

pytestmark = pytest.mark.traag


def test_rapport_met_cbs_map(cbs_dir, tmp_path):
    fixture = cbs.maak_testfixture(cbs_dir, tmp_path / "cbs")
    out = tmp_path / "rapporten"
    code = batch.rapport(VOORBEELD, out, gemeenten=["Oosterwaarde"], parallel=1, cbs=fixture, notebooks=())
    assert code == 0
    html = (out / "Oosterwaarde" / "cbs_benchmark.html").read_text(encoding="utf-8")
    assert "Oosterwaarde" in html and "CBS" in html
    assert "cbs_benchmark.html" in (out / "index.html").read_text(encoding="utf-8")

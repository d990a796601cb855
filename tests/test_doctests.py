"""The Examples sections of the docstrings run as doctests (pingouin style).

Every module of the package is collected; examples that need data get ``md``, the
committed sample ``data_samples/voorbeeld`` loaded once (the docstrings say so). The
expected outputs in the docstrings come from the sample's planted effects or from hand
calculations stated next to them.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from functools import lru_cache
from pathlib import Path

import pytest

import monitoranalyse

VOORBEELD = Path(__file__).resolve().parents[1] / "data_samples" / "voorbeeld"
#: ``__main__`` runs the command line on import.
OVERSLAAN = {"monitoranalyse.__main__"}
MODULES = sorted({"monitoranalyse"} | {m.name for m in pkgutil.walk_packages(monitoranalyse.__path__, "monitoranalyse.")}
                 - OVERSLAAN)


@lru_cache(maxsize=1)
def _md():
    return monitoranalyse.laad(VOORBEELD)




@pytest.mark.parametrize("naam", MODULES)
def test_docstring_voorbeelden(naam):
    mod = importlib.import_module(naam)
    vinder = doctest.DocTestFinder()
    proeven = [t for t in vinder.find(mod, naam) if t.examples]
    if not proeven:
        return
    loper = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for proef in proeven:
        if any("md" in v.source.replace("md = ", "") for v in proef.examples) and "md" not in proef.globs:
            proef.globs["md"] = _md()
        loper.run(proef)
    uitslag = loper.summarize(verbose=False)
    assert uitslag.failed == 0, f"{uitslag.failed} docstring-voorbeeld(en) in {naam} kloppen niet (zie de uitvoer)"


def test_er_zijn_voorbeelden_op_de_voorbeelddata():
    # the main public functions carry runnable examples on the sample
    from monitoranalyse.analyse import prognose, spc, vergelijking
    from monitoranalyse import indicatoren

    for f in (indicatoren.bereken, spc.spc, vergelijking.funnel, prognose.caseload_prognose):
        proeven = doctest.DocTestFinder().find(f)
        assert any("md" in v.source for p in proeven for v in p.examples), f.__name__

"""Stage 3: analysis of the tidy indicator table (and of Monitordata for the case-mix).

Every function validates its input table first (:mod:`monitoranalyse.indicatoren.tabel`)
and returns a tidy frame. The pipeline of one gemeente (what every report shows) is
:func:`~monitoranalyse.analyse.resultaten.bereken_resultaten`.

Public surface (``__all__``): the modules ``trend``, ``spc``, ``prognose``,
``vergelijking``, ``signalen``, ``resultaten``, ``regio`` (issue 15) and the names below, imported lazily on first
use. ``trend`` and ``spc`` are listed as modules because their main functions carry the
module's name (``analyse.trend.trend``, ``analyse.spc.spc``): a package attribute cannot be
both, and ``from monitoranalyse.analyse import trend`` keeps meaning the module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitoranalyse.stadium import lui_oppervlak

#: Modules of this stage that are part of its public surface.
_MODULES: tuple[str, ...] = ('trend', 'spc', 'prognose', 'vergelijking', 'signalen', 'resultaten', 'regio')
#: public name -> the module of this stage that defines it.
_PUBLIEK: dict[str, str] = {
    "onderbroken_tijdreeks": "trend",
    "verschuiving": "trend",
    "spc_signalen": "spc",
    "caseload_prognose": "prognose",
    "funnel": "vergelijking",
    "casemix_oe": "vergelijking",
    "bollen_profiel": "vergelijking",
    "team_typologie": "vergelijking",
    "kleinste_aantoonbare_verschil": "vergelijking",
    "nader_onderzoek": "signalen",
    "Resultaten": "resultaten",
    "bereken_resultaten": "resultaten",
}

__all__ = [*_MODULES, *_PUBLIEK]

if TYPE_CHECKING:  # the same names, spelled out for type checkers and the import-graph test
    from monitoranalyse.analyse import trend, spc, prognose, vergelijking, signalen, resultaten, regio  # noqa: F401
    from monitoranalyse.analyse.trend import onderbroken_tijdreeks, verschuiving  # noqa: F401
    from monitoranalyse.analyse.spc import spc_signalen  # noqa: F401
    from monitoranalyse.analyse.prognose import caseload_prognose  # noqa: F401
    from monitoranalyse.analyse.vergelijking import funnel, casemix_oe, bollen_profiel, team_typologie, kleinste_aantoonbare_verschil  # noqa: F401
    from monitoranalyse.analyse.signalen import nader_onderzoek  # noqa: F401
    from monitoranalyse.analyse.resultaten import Resultaten, bereken_resultaten, resultaten  # noqa: F401

__getattr__, __dir__ = lui_oppervlak(__name__, _MODULES, _PUBLIEK)

"""Stage 5: open data -- CBS StatLine tables in the tidy shape, and the benchmark of a
gemeente against comparable gemeenten.

Public surface (``__all__``): the modules ``cbs`` and ``benchmark`` and the names below,
imported lazily on first use. The benchmark's own indicator list is
``benchmark.INDICATOREN`` (not the monitor's catalog).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitoranalyse.stadium import lui_oppervlak

#: Modules of this stage that are part of its public surface.
_MODULES: tuple[str, ...] = ('cbs', 'benchmark')
#: public name -> the module of this stage that defines it.
_PUBLIEK: dict[str, str] = {
    "lees_statline": "cbs",
    "lees_map": "cbs",
    "vergelijkbare_gemeenten": "cbs",
    "markeer_reeksbreuken": "cbs",
    "ReeksbreukFout": "cbs",
    "Benchmark": "benchmark",
    "lees_cbs": "benchmark",
}

__all__ = [*_MODULES, *_PUBLIEK]

if TYPE_CHECKING:  # the same names, spelled out for type checkers and the import-graph test
    from monitoranalyse.opendata import cbs, benchmark  # noqa: F401
    from monitoranalyse.opendata.cbs import lees_statline, lees_map, vergelijkbare_gemeenten, markeer_reeksbreuken, ReeksbreukFout  # noqa: F401
    from monitoranalyse.opendata.benchmark import Benchmark, lees_cbs  # noqa: F401

__getattr__, __dir__ = lui_oppervlak(__name__, _MODULES, _PUBLIEK)

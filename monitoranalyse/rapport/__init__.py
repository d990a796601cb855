"""Stage 4: report -- disclosure control at the boundary, tables, figures, files, the batch.

Everything a reader sees passes :func:`~monitoranalyse.rapport.openbaarmaking.vrijgeven`
(the one entry point of disclosure control for tables and figures alike).

Public surface (``__all__``): the modules ``openbaarmaking``, ``weergave``, ``figuren``,
``export``, ``batch``, ``verkenner`` (figures are reached as ``figuren.funnel`` etc.: several
figure functions share their name with an analysis) and the names below, imported lazily on
first use (importing the stage does not import papermill or matplotlib).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitoranalyse.stadium import lui_oppervlak

#: Modules of this stage that are part of its public surface.
_MODULES: tuple[str, ...] = ('openbaarmaking', 'weergave', 'figuren', 'export', 'batch', 'verkenner')
#: public name -> the module of this stage that defines it.
_PUBLIEK: dict[str, str] = {
    "beveilig": "openbaarmaking",
    "vrijgeven": "openbaarmaking",
    "vrijgeven_resultaten": "openbaarmaking",
    "veilig_voor_spreadsheet": "openbaarmaking",
    "schrijf_csv": "export",
    "schrijf_xlsx": "export",
    "rapport": "batch",
    "Verkenner": "verkenner",
}

__all__ = [*_MODULES, *_PUBLIEK]

if TYPE_CHECKING:  # the same names, spelled out for type checkers and the import-graph test
    from monitoranalyse.rapport import openbaarmaking, weergave, figuren, export, batch, verkenner  # noqa: F401
    from monitoranalyse.rapport.openbaarmaking import beveilig, vrijgeven, vrijgeven_resultaten, veilig_voor_spreadsheet  # noqa: F401
    from monitoranalyse.rapport.export import schrijf_csv, schrijf_xlsx  # noqa: F401
    from monitoranalyse.rapport.batch import rapport  # noqa: F401
    from monitoranalyse.rapport.verkenner import Verkenner  # noqa: F401

__getattr__, __dir__ = lui_oppervlak(__name__, _MODULES, _PUBLIEK)

"""Stage 1: input -- read a dataset folder, validate it, quarantine what does not fit.

``laad(map)`` returns a :class:`Monitordata` (canonical tables + quarantine + provenance);
``bsn`` is the one BSN detector (every notation, 11-proef) used by the loader and the
output guard alike.

Public surface (``__all__``): the modules ``laden``, ``monitordata``, ``bsn`` and the names
below, imported lazily on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitoranalyse.stadium import lui_oppervlak

#: Modules of this stage that are part of its public surface.
_MODULES: tuple[str, ...] = ('laden', 'monitordata', 'bsn')
#: public name -> the module of this stage that defines it.
_PUBLIEK: dict[str, str] = {
    "laad": "laden",
    "verslag_validatie": "laden",
    "Monitordata": "monitordata",
    "InvoerFout": "monitordata",
    "vertaal_os_fout": "monitordata",
    "elfproef": "bsn",
    "bevat_bsn": "bsn",
    "is_bsn_reeks": "bsn",
    "maskeer": "bsn",
}

__all__ = [*_MODULES, *_PUBLIEK]

if TYPE_CHECKING:  # the same names, spelled out for type checkers and the import-graph test
    from monitoranalyse.invoer import laden, monitordata, bsn  # noqa: F401
    from monitoranalyse.invoer.laden import laad, verslag_validatie  # noqa: F401
    from monitoranalyse.invoer.monitordata import Monitordata, InvoerFout, vertaal_os_fout  # noqa: F401
    from monitoranalyse.invoer.bsn import elfproef, bevat_bsn, is_bsn_reeks, maskeer  # noqa: F401

__getattr__, __dir__ = lui_oppervlak(__name__, _MODULES, _PUBLIEK)

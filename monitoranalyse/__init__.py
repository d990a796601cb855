"""monitoranalyse: monitoring sociale (wijk)teams for gemeenten and rekenkamers.

Stages (one module each, see README "Architectuur"):

1. load + validate   ``laden``        -> :class:`Monitordata`
2. indicators        ``indicatoren``  -> one tidy indicator table (``catalogus`` describes them)
3. analysis          ``trend``, ``spc``, ``prognose``, ``vergelijking``, ``cbs``
4. render            ``openbaarmaking`` (disclosure control), ``render``, ``batch``

``import monitoranalyse as ma`` gives the most used functions at the top level.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .config import MonitorConfig, lees_config  # noqa: E402
from .monitordata import InvoerFout, Monitordata  # noqa: E402
from . import indicatoren  # noqa: E402,F401  (registers every indicator in the catalog)

__all__ = ["__version__", "Monitordata", "InvoerFout", "MonitorConfig", "lees_config", "laad"]


def laad(map, **kwargs) -> Monitordata:
    """Load and validate a dataset folder; see :func:`monitoranalyse.laden.laad`."""
    from .laden import laad as _laad

    return _laad(map, **kwargs)

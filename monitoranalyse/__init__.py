"""monitoranalyse: monitoring sociale (wijk)teams for gemeenten and rekenkamers.

Stages (one folder each, see README "Architecture"):

1. input        ``invoer``       -> :class:`Monitordata` (load, validate, quarantine)
2. indicators   ``indicatoren``  -> one tidy indicator table (``indicatoren.catalogus`` describes them)
3. analysis     ``analyse``      -> trends, SPC, forecast, comparison, signals (``analyse.resultaten``)
4. report       ``rapport``      -> disclosure control, tables, figures, files, the batch
5. open data    ``opendata``     -> CBS StatLine and the benchmark against comparable gemeenten

``import monitoranalyse as ma`` gives the most used functions at the top level.
"""

from __future__ import annotations

__version__ = "0.1.0"

from monitoranalyse.config import MonitorConfig, lees_config  # noqa: E402
from monitoranalyse.invoer.monitordata import InvoerFout, Monitordata  # noqa: E402
from monitoranalyse import indicatoren  # noqa: E402,F401  (registers every indicator in the catalog)

__all__ = ["__version__", "Monitordata", "InvoerFout", "MonitorConfig", "lees_config", "laad"]


def laad(map, **kwargs) -> Monitordata:
    """Load and validate a dataset folder; see :func:`monitoranalyse.invoer.laden.laad`."""
    from monitoranalyse.invoer.laden import laad as _laad

    return _laad(map, **kwargs)

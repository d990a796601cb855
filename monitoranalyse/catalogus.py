"""The indicator catalog: each indicator described once.

The catalog drives everything generic downstream: which statistic an indicator is
(so trend models and funnels pick the right family), which direction is better (so
SPC and the nader-onderzoek list call a change an improvement or a concern), the
default norm (overridable per gemeente in ``monitor.toml`` under ``[doelen]``), and
the Dutch name shown in reports and in the "doelen -> indicatoren" overview.

Statistic types (``Indicator.type``):

* ``proportie``  teller/noemer in [0, 1]; Wilson interval; binomial models; p-charts
* ``aantal``     a count (noemer NaN); exact Poisson / Byar interval; Poisson models
* ``ratio``      a rate teller/noemer with noemer an exposure (e.g. per fte, per inwoner)
* ``gemiddelde`` mean of values (teller = sum, noemer = n); t interval; OLS
* ``mediaan``    median of values (noemer = n); distribution-free interval
* ``bedrag``     euro total (teller = sum, noemer NaN or n); no interval
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

STATISTIEK_TYPES = ("proportie", "aantal", "ratio", "gemiddelde", "mediaan", "bedrag")


@dataclass(frozen=True)
class Indicator:
    code: str
    naam: str  # Dutch name for reports
    thema: str  # one of contract.THEMAS
    dimensie: str | None  # bollen-model dimension (contract.DIMENSIES) or None
    type: str  # one of STATISTIEK_TYPES
    beter: str | None  # "hoger", "lager" or None (no direction)
    norm: float | None = None  # default norm/target, same unit as ``waarde``
    eenheid: str = ""  # e.g. "%", "dagen", "trajecten", "euro"
    doel: str = ""  # the policy goal the indicator serves ("doelen -> indicatoren")
    omschrijving: str = ""  # definition in plain Dutch, incl. legal basis where relevant
    functie: Callable | None = None  # computes it; filled by monitoranalyse.indicatoren


#: code -> Indicator. Filled in monitoranalyse.indicatoren (issue 3).
INDICATOREN: dict[str, Indicator] = {}


def registreer(ind: Indicator) -> Indicator:
    INDICATOREN[ind.code] = ind
    return ind


def indicator(code: str) -> Indicator:
    """Look up an indicator; a Dutch KeyError names the known codes."""
    if not INDICATOREN:
        from . import indicatoren  # noqa: F401  (fills the catalog)
    try:
        return INDICATOREN[code]
    except KeyError:
        raise KeyError(
            f"Onbekende indicator '{code}'; bekend: {', '.join(sorted(INDICATOREN))}"
        ) from None

"""Indicators of bereik (Movisie: bekendheid en bereikbaarheid), theme "uitvoering".

Each function is registered in the catalog at import time (see ``_basis._indicator``).
Meldingen and cliënten per 1.000 inwoners of the werkgebied (table ``bevolking``, the
year in which the period starts), with exact Poisson intervals (Byar's approximation
for large counts, :func:`monitoranalyse.statistiek.poisson_ci`) and usable in the
funnel comparison (type ``ratio``, noemer = inwoners).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._basis import _af, _binnen, _indicator, _leeg, _uniek
from .doelmatigheid import _inwoners_matrix, _matrix, _rijen

__all__: list[str] = []  # indicators are reached through the catalog

_DOEL_BEREIK = "Inwoners weten het wijkteam te vinden (bereik)"
PER_INWONERS = 1000.0


def _per_1000(c, code, teller: np.ndarray) -> pd.DataFrame:
    INW = _inwoners_matrix(c)
    geldig = np.nan_to_num(INW) > 0
    if not geldig.any():
        return _leeg()
    return _af(c, _rijen(c, teller, np.nan_to_num(INW), geldig, schaal=PER_INWONERS), code)


@_indicator("bereik_meldingen", "Meldingen per 1.000 inwoners", "uitvoering", "ratio", None,
            "per 1.000 inwoners", _DOEL_BEREIK, dimensie="wijk",
            omschrijving="Aantal meldingen (nieuwe trajecten) in de periode per 1.000 inwoners "
            "van het werkgebied (bevolking, jaar waarin de periode begint); exact "
            "Poisson-interval (Byar bij grote aantallen). Geen richting: weinig meldingen kan "
            "weinig vraag of een onbekend team betekenen, veel meldingen een grote vraag; beide "
            "zijn een vraag aan het team. Het gemeentetotaal telt alleen teams met "
            "bevolkingscijfers.")
def _bereik_meldingen(c, code):
    return _per_1000(c, code, _matrix(c, c.tr_team, c.p(c.melding), 1.0))


@_indicator("bereik_clienten", "Nieuwe cliënten per 1.000 inwoners", "uitvoering", "ratio", None,
            "per 1.000 inwoners", _DOEL_BEREIK, dimensie="wijk",
            omschrijving="Aantal verschillende cliënten (client_id) met een melding in de periode "
            "per 1.000 inwoners van het werkgebied; een cliënt met twee meldingen bij hetzelfde "
            "team in één periode telt één keer. Exact Poisson-interval (Byar bij grote "
            "aantallen). Het gemeentetotaal telt een cliënt van twee teams twee keer (per team "
            "een eigen bereik).")
def _bereik_clienten(c, code):
    tr = c.md.tabellen["trajecten"]
    p = c.p(c.melding)
    ok = _binnen(c, c.tr_team, p)
    client = pd.factorize(tr["client_id"])[0][ok].astype("int64")
    # distinct (team, period, client) on one integer key
    n = client.max(initial=0) + 1
    sleutel = _uniek((c.tr_team[ok] * c.nP + p[ok].astype("int64")) * n + client)[0] // n
    return _per_1000(c, code, _matrix(c, sleutel // c.nP, (sleutel % c.nP).astype(float), 1.0))

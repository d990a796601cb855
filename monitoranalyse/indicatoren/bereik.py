"""Indicators of bereik (Movisie: bekendheid en bereikbaarheid), theme "uitvoering".

Each function is registered in the catalog at import time (see ``_basis._indicator``).
Meldingen and cliënten per 1.000 inwoners of the werkgebied (table ``bevolking``, the
year in which the period starts), with exact Poisson intervals (Byar's approximation
for large counts, :func:`monitoranalyse.statistiek.poisson_ci`) and usable in the
funnel comparison (type ``ratio``, noemer = inwoners).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from monitoranalyse.contract import LEEFTIJDSGROEP
from monitoranalyse.indicatoren._basis import (
    af, binnen, getal, definieer, leeg, maatwerk_inzet, unieke_waarden, DOEL_LICHT,
)
from monitoranalyse.indicatoren.doelmatigheid import eenheid_rijen, inwoners_matrix, som_matrix

__all__ = ["leeftijdsgroepen", "PER_INWONERS"]

_DOEL_BEREIK = "Inwoners weten het wijkteam te vinden (bereik)"
PER_INWONERS = 1000.0


def leeftijdsgroepen(bev: pd.DataFrame) -> list[tuple[str, int, int]]:
    """The distinct ``leeftijdsgroep`` values of bevolking as (label, low, high), high
    inclusive ("65+" -> high 200). Values that do not match the pattern are skipped (the
    loader quarantines them)."""
    if "leeftijdsgroep" not in bev.columns or len(bev) == 0:
        return []
    uit = []
    for g in sorted(bev["leeftijdsgroep"].dropna().astype(str).str.strip().unique()):
        m = re.match(LEEFTIJDSGROEP, g)
        if g and m:
            lo = int(m.group(1))
            hi = 200 if m.group(3) else int(m.group(2))
            uit.append((g, lo, hi))
    return sorted(uit, key=lambda x: x[1])


def _per_1000(c, code, team, p, leeftijd=None) -> pd.DataFrame:
    """Per 1.000 inwoners, all ages (uitsplitsing "") and per leeftijdsgroep of bevolking
    (uitsplitsing = the group; teller = records whose leeftijd falls in the group)."""
    delen = []
    INW = inwoners_matrix(c)
    geldig = np.nan_to_num(INW) > 0
    if geldig.any():
        delen.append(eenheid_rijen(c, som_matrix(c, team, p, 1.0), np.nan_to_num(INW), geldig,
                            schaal=PER_INWONERS))
    if leeftijd is not None:
        for g, lo, hi in leeftijdsgroepen(c.md.tabellen["bevolking"]):
            INW = inwoners_matrix(c, g)
            geldig = np.nan_to_num(INW) > 0
            if not geldig.any():
                continue
            in_groep = (leeftijd >= lo) & (leeftijd <= hi)
            T = som_matrix(c, team[in_groep], p[in_groep], 1.0)
            delen.append(eenheid_rijen(c, T, np.nan_to_num(INW), geldig, schaal=PER_INWONERS)
                         .assign(uitsplitsing=g))
    if not delen:
        return leeg()
    return af(c, pd.concat(delen, ignore_index=True), code)


@definieer("bereik_meldingen", "Meldingen per 1.000 inwoners", "uitvoering", "ratio", None,
            "per 1.000 inwoners", _DOEL_BEREIK, dimensie="wijk",
            omschrijving="Aantal meldingen (nieuwe trajecten) in de periode per 1.000 inwoners "
            "van het werkgebied (bevolking, jaar waarin de periode begint); exact "
            "Poisson-interval (Byar bij grote aantallen). Heeft bevolking een kolom "
            "leeftijdsgroep, dan ook per groep (uitsplitsing = groep, teller = meldingen met een "
            "leeftijd in die groep). Geen richting: weinig meldingen kan "
            "weinig vraag of een onbekend team betekenen, veel meldingen een grote vraag; beide "
            "zijn een vraag aan het team. Het gemeentetotaal telt alleen teams met "
            "bevolkingscijfers.")
def _bereik_meldingen(c, code):
    tr = c.md.tabellen["trajecten"]
    leeftijd = getal(tr["leeftijd"]) if "leeftijd" in tr.columns else None
    return _per_1000(c, code, c.tr_team, c.p(c.melding), leeftijd)


@definieer("bereik_clienten", "Nieuwe cliënten per 1.000 inwoners", "uitvoering", "ratio", None,
            "per 1.000 inwoners", _DOEL_BEREIK, dimensie="wijk",
            omschrijving="Aantal verschillende cliënten (client_id) met een melding in de periode "
            "per 1.000 inwoners van het werkgebied; een cliënt met twee meldingen bij hetzelfde "
            "team in één periode telt één keer. Exact Poisson-interval (Byar bij grote "
            "aantallen). Het gemeentetotaal telt een cliënt van twee teams twee keer (per team "
            "een eigen bereik).")
def _bereik_clienten(c, code):
    tr = c.md.tabellen["trajecten"]
    p = c.p(c.melding)
    ok = binnen(c, c.tr_team, p)
    client = pd.factorize(tr["client_id"])[0][ok].astype("int64")
    # distinct (team, period, client) on one integer key
    n = client.max(initial=0) + 1
    sleutel = unieke_waarden((c.tr_team[ok] * c.nP + p[ok].astype("int64")) * n + client)[0] // n
    return _per_1000(c, code, sleutel // c.nP, (sleutel % c.nP).astype(float))


@definieer("maatwerk_per_inwoners", "Trajecten met nieuw maatwerk per 1.000 inwoners", "aantallen_uitgaven",
            "ratio", None, "per 1.000 inwoners", DOEL_LICHT, dimensie="geld",
            omschrijving="Aantal verschillende trajecten met een maatwerkinzet (maatwerk_wmo of "
            "maatwerk_jeugd) die in de periode start, per 1.000 inwoners van het werkgebied "
            "(bevolking, jaar waarin de periode begint); een traject met twee maatwerkinzetten in "
            "één periode telt één keer. Exact Poisson-interval (Byar bij grote aantallen). Issue 15: "
            "maakt gebieden van verschillende omvang vergelijkbaar (per wijk, per team). Geen "
            "richting: meer maatwerk kan meer zware vraag zijn.")
def _maatwerk_per_inwoners(c, code):
    iz, team, p = maatwerk_inzet(c)
    ok = binnen(c, team, p)
    traject = iz["pos"].to_numpy()[ok].astype("int64")
    n = traject.max(initial=0) + 1
    sleutel = unieke_waarden((team[ok] * c.nP + p[ok].astype("int64")) * n + traject)[0] // n
    return _per_1000(c, code, sleutel // c.nP, (sleutel % c.nP).astype(float))

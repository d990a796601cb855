"""Indicators of wachttijden and beslistermijnen for maatwerk (theme "uitvoering").

Each function is registered in the catalog at import time (see ``_basis._indicator``).
"""

from __future__ import annotations

import numpy as np

from monitoranalyse.indicatoren._basis import (
    _maatwerk_inzet,
    _DOEL_TIJDIG,
    _af,
    _indicator,
    _leeg,
    _mediaan,
    _proportie,
)

__all__: list[str] = []  # indicators are reached through the catalog


# ------------------------ Wachttijden en beslistermijnen ------------------


@_indicator("beschikking_binnen_termijn", "Beschikking binnen termijn", "uitvoering",
            "proportie", "hoger", "%", _DOEL_TIJDIG, dimensie="klant",
            omschrijving="Aandeel aanvragen voor maatwerk (datum_aanvraag in de periode) met een "
            "beschikking binnen de beslistermijn: Wmo binnen termijnen.beschikking_wmo dagen "
            "(14, Wmo 2015 art. 2.3.5 lid 2), jeugd binnen termijnen.beschikking_jeugd dagen (56, "
            "Awb art. 4:13). Aanvragen zonder beschikking tellen als niet tijdig; aanvragen "
            "waarvan de termijn op de peildatum nog loopt, vallen buiten de noemer. "
            "Uitsplitsing per vorm en '' = totaal.")
def _beschikking_termijn(c, code):
    iz, team, _ = _maatwerk_inzet(c)
    vorm = iz["vorm"].to_numpy()
    if len(iz) == 0:
        return _leeg()
    t = np.where(vorm == "maatwerk_wmo", c.termijn("beschikking_wmo")[team],
                 c.termijn("beschikking_jeugd")[team])
    aanvraag, besluit = iz["aanvraag"].to_numpy(), iz["besluit"].to_numpy()
    noemer = (aanvraag + t <= c.peil).astype(float)
    teller = (noemer > 0) & ~np.isnan(besluit) & (besluit - aanvraag <= t)
    a = _proportie(c, team, c.p(aanvraag), teller, noemer, vorm, totaal_split=True)
    return _af(c, a, code)


@_indicator("wachttijd_maatwerk", "Wachttijd maatwerk", "uitvoering", "mediaan", "lager", "dagen",
            _DOEL_TIJDIG, dimensie="klant",
            omschrijving="Mediaan van het aantal dagen van de beschikking (of, zonder "
            "beschikkingsdatum, de aanvraag) tot de start van de maatwerkinzet, voor inzet die in "
            "de periode startte; start vóór de beschikking telt als 0 dagen. Uitsplitsing per "
            "vorm en '' = totaal.")
def _wachttijd(c, code):
    iz, team, p = _maatwerk_inzet(c)
    ref = np.where(np.isnan(iz["besluit"].to_numpy()), iz["aanvraag"].to_numpy(),
                   iz["besluit"].to_numpy())
    wacht = np.clip(iz["start"].to_numpy() - ref, 0, None)
    return _af(c, _mediaan(c, team, p, wacht, iz["vorm"].to_numpy(), totaal_split=True), code)

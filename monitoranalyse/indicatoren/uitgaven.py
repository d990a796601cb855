"""Indicators of the theme "aantallen en uitgaven": vorm van inzet, toeleiding, kosten, afschaling.

Each function is registered in the catalog at import time (see ``_basis.definieer``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitoranalyse.contract import (
    LICHTE_ZORG,
    MAATWERK,
    VORMEN,
)
from monitoranalyse.indicatoren._basis import (
    bevolking_totaal,
    maatwerk_inzet,
    DOEL_KOSTEN,
    DOEL_LICHT,
    aantal,
    af,
    binnen,
    getal,
    definieer,
    leeg,
    proportie,
    som,
    tekst,
)

__all__: list[str] = []  # indicators are reached through the catalog


# ------------------------- Aantallen en uitgaven --------------------------


def _inzet_in_periode(c):
    iz = c.inzet()
    return iz, iz["team"].to_numpy(), c.p(iz["start"].to_numpy())


@definieer("aandeel_lichte_zorg", "Aandeel lichte zorg", "aantallen_uitgaven", "proportie",
            "hoger", "%", DOEL_LICHT, dimensie="wijk",
            omschrijving="Aandeel van de inzet die in de periode startte met een lichte vorm: "
            "eigen kracht, sociaal netwerk, algemene voorziening of het wijkteam zelf.")
def _lichte_zorg(c, code):
    iz, team, p = _inzet_in_periode(c)
    return af(c, proportie(c, team, p, iz["vorm"].isin(LICHTE_ZORG).to_numpy()), code)


@definieer("aandeel_maatwerk", "Aandeel maatwerk", "aantallen_uitgaven", "proportie", "lager",
            "%", DOEL_LICHT, dimensie="geld",
            omschrijving="Aandeel van de inzet die in de periode startte met een "
            "maatwerkvoorziening (Wmo-maatwerk of jeugdhulp).")
def _maatwerk(c, code):
    iz, team, p = _inzet_in_periode(c)
    return af(c, proportie(c, team, p, iz["vorm"].isin(MAATWERK).to_numpy()), code)


@definieer("aandeel_vorm", "Mix van inzet naar vorm", "aantallen_uitgaven", "proportie", None,
            "%", DOEL_LICHT, dimensie="wijk",
            omschrijving="Aandeel van elke vorm (zwaarteladder) in de inzet die in de periode "
            "startte; uitsplitsing = vorm. De aandelen per eenheid en periode tellen op tot 1.")
def _aandeel_vorm(c, code):
    iz, team, p = _inzet_in_periode(c)
    a = som(c, team, p, iz["vorm"].to_numpy(), teller=1.0)
    if len(a) == 0:
        return leeg()
    w = a.pivot_table(index=["eenheid", "p"], columns="uitsplitsing", values="teller",
                      aggfunc="sum", fill_value=0.0)
    w = w.reindex(columns=list(VORMEN), fill_value=0.0)
    noemer = w.sum(axis=1)
    lang = w.stack().rename("teller").reset_index()
    lang["noemer"] = noemer.reindex(pd.MultiIndex.from_frame(lang[["eenheid", "p"]])).to_numpy()
    lang = lang.rename(columns={lang.columns[2]: "uitsplitsing"})
    return af(c, lang.assign(waarde=lang["teller"] / lang["noemer"]), code)


def _traject_heeft(c, vormen) -> np.ndarray:
    iz = c.inzet()
    heeft = np.zeros(len(c.melding), dtype=bool)
    heeft[iz.loc[iz["vorm"].isin(vormen), "pos"].to_numpy()] = True
    return heeft


for _vorm, _wet in (("jeugd", "Jeugdwet"), ("wmo", "Wmo 2015")):

    @definieer(f"toeleiding_maatwerk_{_vorm}", f"Toeleiding naar maatwerk {_vorm.capitalize()}"
                if _vorm == "jeugd" else "Toeleiding naar maatwerk Wmo", "aantallen_uitgaven",
                "proportie", "lager", "%", DOEL_LICHT, dimensie="geld",
                omschrijving=f"Aandeel trajecten met een melding in de periode dat (op enig "
                f"moment) een maatwerkvoorziening {_wet} kreeg (vorm maatwerk_{_vorm}).")
    def _toeleiding(c, code, _v=f"maatwerk_{_vorm}"):
        return af(c, proportie(c, c.tr_team, c.p(c.melding), _traject_heeft(c, [_v])), code)


@definieer("inzet_netwerk_eigen_kracht", "Inzet netwerk of eigen kracht", "aantallen_uitgaven",
            "proportie", "hoger", "%", DOEL_LICHT, dimensie="wijk",
            omschrijving="Aandeel trajecten met een melding in de periode met (op enig moment) "
            "inzet van het sociaal netwerk of eigen kracht.")
def _netwerk(c, code):
    heeft = _traject_heeft(c, ["netwerk", "eigen_kracht"])
    return af(c, proportie(c, c.tr_team, c.p(c.melding), heeft), code)


@definieer("kosten_maatwerk", "Kosten maatwerk", "aantallen_uitgaven", "bedrag", "lager", "euro",
            DOEL_KOSTEN, dimensie="geld",
            omschrijving="Som van de kosten van maatwerkinzet (Wmo en jeugd) die in de periode "
            "startte, toegerekend aan de periode van de start; uitsplitsing per vorm en '' = "
            "totaal. Ontbrekende kosten tellen als 0.")
def _kosten_maatwerk(c, code):
    if len(c.inzet()) == 0:  # no inzet table: no amounts of 0
        return leeg()
    iz, team, p = maatwerk_inzet(c)
    k = np.nan_to_num(iz["kosten"].to_numpy())
    a = aantal(c, team, p, iz["vorm"].to_numpy(), totaal_split=True,
                splits=("", *MAATWERK), gewicht=k)
    return af(c, a, code)


@definieer("kosten_per_traject", "Kosten per afgesloten traject", "aantallen_uitgaven",
            "bedrag", "lager", "euro", DOEL_KOSTEN, dimensie="geld",
            omschrijving="Totale kosten van alle inzet van trajecten die in de periode zijn "
            "afgesloten, gedeeld door het aantal afgesloten trajecten (teller = kosten, noemer = "
            "trajecten).")
def _kosten_per_traject(c, code):
    iz = c.inzet()
    kosten = np.bincount(iz["pos"].to_numpy(), weights=np.nan_to_num(iz["kosten"].to_numpy()),
                         minlength=len(c.melding))
    a = proportie(c, c.tr_team, c.p(c.einde), kosten)
    return af(c, a, code)


@definieer("kosten_per_inwoner", "Kosten maatwerk per inwoner", "aantallen_uitgaven", "bedrag",
            "lager", "euro per inwoner", DOEL_KOSTEN, dimensie="geld",
            omschrijving="Kosten maatwerk (zie kosten_maatwerk) in de periode gedeeld door het "
            "aantal inwoners van het werkgebied in het jaar waarin de periode begint. Het "
            "gemeentetotaal telt alleen teams met bevolkingscijfers.")
def _kosten_per_inwoner(c, code):
    bev = bevolking_totaal(c.md.tabellen["bevolking"])  # all ages (issue 14: leeftijdsgroep)
    if len(bev) == 0 or c.nP == 0:
        return leeg()
    iz, team, p = maatwerk_inzet(c)
    k = np.nan_to_num(iz["kosten"].to_numpy())
    m = binnen(c, team, p)
    kost = np.bincount((team[m] * c.nP + p[m]).astype("int64"), weights=k[m],
                       minlength=c.nT * c.nP).reshape(c.nT, c.nP)
    b = pd.DataFrame({"eenheid": c.team_codes(bev), "jaar": getal(bev["jaar"]),
                      "noemer": getal(bev["inwoners"])})
    jaren = pd.DataFrame({"p": c.per["p"], "jaar": c.per["periode_start"].dt.year.astype(float)})
    a = b[b["eenheid"] >= 0].merge(jaren, on="jaar")
    a["teller"] = kost[a["eenheid"].to_numpy(), a["p"].to_numpy()]
    t = a.assign(eenheid=c.tot[a["eenheid"].to_numpy()])
    t = t.groupby(["eenheid", "p"], sort=False)[["teller", "noemer"]].sum().reset_index()
    a = pd.concat([a[["eenheid", "p", "teller", "noemer"]], t], ignore_index=True)
    a = a[a["noemer"] > 0].assign(uitsplitsing="")
    return af(c, a.assign(waarde=a["teller"] / a["noemer"]), code)


@definieer("afschaling", "Afschaling naar basisvoorzieningen", "aantallen_uitgaven", "proportie",
            "hoger", "%", DOEL_LICHT, dimensie="wijk",
            omschrijving="Aandeel van de in de periode afgesloten trajecten met reden_einde "
            "'afgeschaald' (overgedragen aan een lichtere (basis)voorziening).")
def _afschaling(c, code):
    reden = tekst(c.md.tabellen["trajecten"]["reden_einde"])
    return af(c, proportie(c, c.tr_team, c.p(c.einde), reden == "afgeschaald"), code)

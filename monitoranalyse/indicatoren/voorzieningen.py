"""Which voorzieningen: maatwerk by productcategorie (iWmo / iJw), theme "aantallen_uitgaven".

Each function is registered in the catalog at import time (see ``_basis._indicator``).

Code lists
----------
* iWmo productcategorie 01-18: the names of codelijst WMO022 of the Informatiemodel
  iStandaarden (Zorginstituut Nederland; checked against the published list, iPgb 2.0
  release, ingangsdatum 01-01-2018; the same categories as iWmo, as CBS uses them for its
  Wmo tables). Code 99 ("Totaal zorgpakket") is a pgb code, not a category of inzet.
* iJw productcategorie 31 and 40-55 (JZ020): the names as in ../shared/DOMAIN.md; NOT
  checked against the official iJw list in this release (the informatiemodel page of
  JZ020 could not be consulted). Treat the jeugd names as provisional.

Unknown codes: an ``inzet.productcategorie`` that is empty or not in these lists is
counted under ``onbekend`` (not quarantined): the inzet itself (vorm, kosten,
beschikking) is valid and is counted by every other indicator, and a gemeente may use
its own codes. The share ``onbekend`` is visible in the table, so a registration
problem shows rather than disappearing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitoranalyse.indicatoren._basis import af, binnen, definieer, leeg, maatwerk_inzet, proportie, som, unieke_waarden

__all__ = ["PRODUCTCATEGORIEEN", "ONBEKEND", "productcategorie_naam"]

_DOEL = "Van zware specialistische zorg naar lichte zorg en eigen kracht"

#: code -> name. iWmo (WMO022) and iJw (JZ020); see the module docstring for the sources.
PRODUCTCATEGORIEEN: dict[str, str] = {
    "01": "Hulp bij het huishouden",
    "02": "Begeleiding",
    "03": "Persoonlijke verzorging",
    "04": "Kortdurend verblijf",
    "05": "Woondiensten",
    "06": "Overige ondersteuning gericht op het individu of huishouden/gezin",
    "07": "Dagbesteding",
    "08": "Vervoerdiensten",
    "09": "Overige groepsgerichte ondersteuning",
    "10": "Overige maatwerkarrangementen",
    "11": "Rolstoelen",
    "12": "Vervoervoorzieningen",
    "13": "Woonvoorzieningen",
    "14": "Overige hulpmiddelen",
    "15": "Beschermd wonen",
    "16": "Opvang",
    "17": "Spoedopvang",
    "18": "Overige beschermd wonen en opvang",
    "31": "Jeugdhulp zonder verblijf: uitgevoerd door wijk- of buurtteam",
    "40": "Jeugd: persoonlijke verzorging",
    "41": "Jeugd: dagbehandeling",
    "42": "Jeugd: vervoer",
    "43": "Jeugd: verblijf inclusief behandeling",
    "44": "Jeugd: verblijf exclusief behandeling",
    "45": "Jeugd: ambulant",
    "46": "Jeugd: crisis",
    "47": "Jeugdreclassering",
    "48": "Jeugdbescherming",
    "49": "Jeugd: preventief justitieel",
    "50": "Jeugd: maatwerkarrangementen",
    "51": "Generalistische basis-ggz (jeugd)",
    "52": "Specialistische ggz (jeugd)",
    "53": "Jeugd: kindergeneeskunde",
    "54": "Jeugd-ggz",
    "55": "Jeugd: landelijk ingekochte zorg",
}
ONBEKEND = "onbekend"
#: uitsplitsing labels in code order (the codes, then onbekend)
_LABELS: list[str] = [*PRODUCTCATEGORIEEN, ONBEKEND]


def productcategorie_naam(code: str) -> str:
    """Name of a productcategorie code (``onbekend`` for "", None and unknown codes)."""
    return PRODUCTCATEGORIEEN.get(str(code).strip(), ONBEKEND) if code is not None else ONBEKEND


def _categorie(c):
    """Maatwerk inzet (as ``maatwerk_inzet``) with its productcategorie ("onbekend" for an
    empty or unknown code); memoised per run. Codes are normalised once per distinct value
    (whitespace stripped, a one-digit code padded: "2" -> "02")."""

    def maak():
        iz, team, p = maatwerk_inzet(c)
        ruw = c.md.tabellen["inzet"]
        if len(iz) == 0 or "productcategorie" not in ruw.columns:
            return iz, team, p, np.array([], dtype="int64")
        # c.inzet() keeps the rows of known trajecten in file order: the same mask here
        pos = c.posities(ruw["traject_id"])
        vorm = ruw["vorm"].astype(object).to_numpy()
        mw = (pos >= 0) & np.isin(vorm, ["maatwerk_wmo", "maatwerk_jeugd"])
        ruwe_code = ruw["productcategorie"][mw].astype("category")
        naar = []
        for x in ruwe_code.cat.categories.astype(str):
            x = x.strip()
            x = x.zfill(2) if x.isdigit() and len(x) == 1 else x
            naar.append(x if x in PRODUCTCATEGORIEEN else ONBEKEND)
        # integer code into _LABELS per row (missing -> onbekend)
        tabel = np.array([_LABELS.index(x) for x in naar] + [_LABELS.index(ONBEKEND)], dtype="int64")
        return iz, team, p, tabel[ruwe_code.cat.codes.to_numpy()]

    return c.onthoud("productcategorie", maak)


@definieer("voorziening_clienten", "Trajecten per productcategorie", "aantallen_uitgaven",
            "aantal", None, "trajecten", _DOEL, dimensie="geld",
            omschrijving="Aantal trajecten met maatwerkinzet die in de periode startte, per "
            "productcategorie (uitsplitsing = iWmo/iJw-code, 'onbekend' voor een lege of "
            "onbekende code; '' = alle categorieën). Een traject met twee inzetten in dezelfde "
            "categorie telt één keer. Namen: zie catalogus en README (WMO022/JZ020).")
def _voorziening_clienten(c, code):
    iz, team, p, cat = _categorie(c)
    if len(cat) == 0:
        return leeg()
    m = binnen(c, team, p)
    labels, cat_code = np.array(_LABELS, dtype=object), cat[m]
    nL, nP = len(labels), c.nP
    pos = iz["pos"].to_numpy()[m].astype("int64")
    pp = p[m].astype("int64")
    # one traject once per (period, category) and once per period for the total ""
    sleutel, _ = unieke_waarden((pos * nP + pp) * nL + cat_code)
    rest = sleutel // nL
    per_cat = pd.DataFrame({"pos": rest // nP, "p": rest % nP, "cat": labels[sleutel % nL]})
    a = som(c, c.tr_team[per_cat["pos"].to_numpy()], per_cat["p"].to_numpy(dtype=float),
             per_cat["cat"].to_numpy(dtype=object), teller=1.0)
    tot, _ = unieke_waarden(rest)
    t = som(c, c.tr_team[tot // nP], (tot % nP).astype(float), teller=1.0)
    a = pd.concat([a, t], ignore_index=True)
    return af(c, a.assign(noemer=np.nan, waarde=a["teller"]), code)


@definieer("voorziening_kosten", "Kosten per productcategorie", "aantallen_uitgaven", "bedrag",
            "lager", "euro", _DOEL, dimensie="geld",
            omschrijving="Kosten van maatwerkinzet die in de periode startte per productcategorie "
            "(uitsplitsing = code, 'onbekend' voor een lege of onbekende code); noemer = aantal "
            "inzetten, zodat kleine aantallen niet getoond worden.")
def _voorziening_kosten(c, code):
    iz, team, p, cat = _categorie(c)
    if len(cat) == 0:
        return leeg()
    k = np.nan_to_num(iz["kosten"].to_numpy())
    a = proportie(c, team, p, k, 1.0, np.array(_LABELS, dtype=object)[cat], totaal_split=True)
    return af(c, a.assign(waarde=a["teller"]), code)

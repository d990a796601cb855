"""Which voorzieningen: maatwerk by productcategorie (iWmo / iJw), theme "aantallen_uitgaven".

Each function is registered in the catalog at import time (see ``_basis._indicator``).

Code lists
----------
* iWmo productcategorie 01-18: the names of codelijst WMO022 of the Informatiemodel
  iStandaarden (Zorginstituut Nederland; checked against the published list, iPgb 2.0
  release, ingangsdatum 01-01-2018; the same categories as iWmo, as CBS uses them for its
  Wmo tables). Code 99 ("Totaal zorgpakket") is a pgb code, not a category of inzet.
* iJw productcategorie (JZ020): the names of the Productcategorie list of iJw release 3.2
  (Zorginstituut Nederland, istandaarden.nl, release iJw 3.2 of 29 September 2022), as
  transcribed in two independent public copies that agree code for code: the codelijst
  iJw 3.2 and the "Codes voor productcategorieën" page for JW/WMO declarations. Codes 40-55
  are current; 31-38 are the 2015 categories that the list still carries (marked "(2015)").
  Checked on 2 December 2026. Codes 03 and 40 share the name "Persoonlijke verzorging"
  (Wmo and Jeugdwet): the report shows the code with the name.

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

__all__ = ["PRODUCTCATEGORIEEN", "ONBEKEND", "VERBLIJF_JEUGD", "productcategorie_naam"]

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
    "31": "(2015) Zonder verblijf: uitgevoerd door wijk- of buurtteam",
    "32": "(2015) Zonder verblijf: ambulante jeugdhulp op locatie van de aanbieder",
    "33": "(2015) Zonder verblijf: daghulp op locatie van de aanbieder",
    "34": "(2015) Zonder verblijf: jeugdhulp in het netwerk van de jeugdige",
    "35": "(2015) Met verblijf: pleegzorg",
    "36": "(2015) Met verblijf: gezinsgericht",
    "37": "(2015) Met verblijf: gesloten plaatsing",
    "38": "(2015) Met verblijf: overig residentieel",
    "40": "Persoonlijke verzorging",
    "41": "Dagbehandeling",
    "42": "Vervoerdiensten",
    "43": "Jeugdhulp verblijf (incl. behandeling)",
    "44": "Jeugdhulp verblijf (excl. behandeling)",
    "45": "Jeugdhulp ambulant",
    "46": "Jeugdhulp crisis",
    "47": "Jeugdreclassering",
    "48": "Jeugdbescherming",
    "49": "Activiteiten in het preventief justitieel kader",
    "50": "Maatwerkarrangementen jeugd",
    "51": "Generalistische basis-ggz",
    "52": "Specialistische ggz",
    "53": "Kindergeneeskunde",
    "54": "Jeugd-ggz",
    "55": "Landelijk ingekochte zorg",
}
ONBEKEND = "onbekend"
#: iJw categories of jeugdhulp MET verblijf (the jeugdige does not live at home): 43 and 44, and
#: the 2015 categories 35-38. 46 (crisis) is left out: it mixes ambulant crisis help and
#: crisis placement and the code alone cannot tell them apart.
VERBLIJF_JEUGD: tuple[str, ...] = ("35", "36", "37", "38", "43", "44")
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


@definieer("jeugd_verblijf_aandeel", "Aandeel verblijf in de jeugdhulp", "aantallen_uitgaven", "proportie",
            "lager", "% van trajecten met jeugdhulp", _DOEL, dimensie="geld",
            omschrijving="Van de trajecten met jeugdhulp (maatwerk Jeugdwet) die in de periode startte en "
            "een bekende iJw-productcategorie heeft: het aandeel met jeugdhulp met verblijf (43, 44 en de "
            "2015-categorieën 35-38). Een traject telt één keer per periode; het telt als verblijf als één "
            "van zijn inzetten in die periode verblijf is. Zo is de verschuiving tussen ambulant en verblijf "
            "te volgen (lager = meer hulp thuis). Interval: Wilson.")
def _jeugd_verblijf_aandeel(c, code):
    iz, team, p, cat = _categorie(c)
    if len(cat) == 0:
        return leeg()
    labels = np.array(_LABELS, dtype=object)[cat]
    m = (binnen(c, team, p) & (iz["vorm"].to_numpy(dtype=object) == "maatwerk_jeugd")
         & (labels != ONBEKEND))
    if not m.any():
        return leeg()
    # one row per (traject, period): verblijf when any of its inzetten in the period is
    sleutel = iz["pos"].to_numpy()[m].astype("int64") * c.nP + p[m].astype("int64")
    per = pd.Series(np.isin(labels[m], VERBLIJF_JEUGD)).groupby(sleutel).max()
    k = per.index.to_numpy(dtype="int64")
    a = proportie(c, c.tr_team[k // c.nP], (k % c.nP).astype(float), per.to_numpy(dtype=float))
    return af(c, a, code)

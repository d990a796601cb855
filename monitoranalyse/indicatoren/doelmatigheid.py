"""Indicators of the theme "doelmatigheid": team costs, integral costs, budget vs realisatie.

Each function is registered in the catalog at import time (see ``_basis._indicator``).

Sources of the amounts
----------------------
* **Teamkosten** (the cost of the wijkteam itself) per team per month: the column
  ``formatie.teamkosten`` where a gemeente delivers it, otherwise ``fte x [kosten]
  fte_tarief / 12`` (loonkosten per fte per jaar from ``monitor.toml``, per gemeente
  overridable). Without either, a team has no teamkosten and the indicators that need
  them are not computed for it (no number from an assumption).
* **Maatwerk**: ``inzet.kosten`` of maatwerk inzet (Wmo and jeugd), attributed to the
  period in which the inzet starts (as ``kosten_maatwerk``).
* **Begroting**: the optional table ``begroting`` (gemeente, jaar, post, begroot,
  gerealiseerd). When ``gerealiseerd`` is empty, the realisation is derived: posts
  ``maatwerk_wmo``/``maatwerk_jeugd`` from ``inzet.kosten`` (inzet started in that year),
  post ``wijkteam`` from the teamkosten of that year; the other posts need the column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitoranalyse.contract import MAATWERK, POSTEN
from monitoranalyse.indicatoren._basis import (
    DOEL_KOSTEN,
    bevolking_totaal,
    af,
    binnen,
    dagen,
    getal,
    definieer,
    leeg,
    maatwerk_inzet,
    tekst,
)

__all__ = ["ALLEEN_PER_JAAR", "teamkosten_matrix", "begroting_realisatie", "inwoners_matrix",
           "som_matrix", "eenheid_rijen"]

#: Indicators computed only for calendar-year periods (a begroting is per year).
ALLEEN_PER_JAAR: frozenset[str] = frozenset({"budgetrealisatie", "budgetafwijking"})

_DOEL_DOELMATIG = "Het geld wordt doelmatig en binnen de begroting besteed"


# ---------------------------------------------------------------------------
# Shared matrices (team x period)
# ---------------------------------------------------------------------------


def som_matrix(c, team, p, w) -> np.ndarray:
    """Sum of ``w`` per (team, period) as an array (nT, nP); records outside dropped."""
    team = np.asarray(team, dtype="int64")
    p = np.asarray(p, dtype=float)
    w = np.broadcast_to(np.asarray(w, dtype=float), team.shape)
    m = binnen(c, team, p) & ~np.isnan(w)
    return np.bincount((team[m] * c.nP + p[m].astype("int64")), weights=w[m],
                       minlength=c.nT * c.nP).reshape(c.nT, c.nP)


def _fte_tarief(c) -> np.ndarray:
    """[kosten] fte_tarief per team code (NaN where the gemeente has none)."""
    cfg = c.md.config
    per_gem = []
    for g in c.gemeenten:
        t = cfg.voor_gemeente(g).kosten.get("fte_tarief") if hasattr(cfg, "kosten") else None
        per_gem.append(np.nan if t is None else float(t))
    per_gem = np.asarray(per_gem, dtype=float)
    return per_gem[c.gem_van_team] if c.nT else np.array([], dtype=float)


def teamkosten_matrix(c) -> np.ndarray:
    """Teamkosten per (team, period), NaN where a team has no amount in the period."""

    def maak():
        f = c.md.tabellen["formatie"]
        if len(f) == 0 or c.nP == 0:
            return np.full((c.nT, c.nP), np.nan)
        team = c.team_codes(f)
        p = c.p(dagen(f["maand"]))
        fte = getal(f["fte"])
        tarief = _fte_tarief(c)[np.maximum(team, 0)] if len(team) else np.array([])
        bedrag = fte * tarief / 12.0
        if "teamkosten" in f.columns:
            eigen = getal(f["teamkosten"])
            bedrag = np.where(np.isnan(eigen), bedrag, eigen)
        som = som_matrix(c, team, p, bedrag)
        heeft = som_matrix(c, team, p, (~np.isnan(bedrag)).astype(float)) > 0
        return np.where(heeft, som, np.nan)

    return c.onthoud("teamkosten", maak)


def _maatwerk_matrix(c) -> np.ndarray:
    iz, team, p = maatwerk_inzet(c)
    return som_matrix(c, team, p, np.nan_to_num(iz["kosten"].to_numpy()))


def inwoners_matrix(c, leeftijdsgroep: str | None = None) -> np.ndarray:
    """Inwoners per (team, period): the bevolking of the year the period starts in.

    ``leeftijdsgroep`` None = all ages (:func:`_basis._bevolking_totaal`), else the rows of
    that group.
    """

    def maak():
        bev = c.md.tabellen["bevolking"]
        if leeftijdsgroep is None:
            bev = bevolking_totaal(bev)
        else:
            bev = bev[bev["leeftijdsgroep"].astype("string").str.strip() == leeftijdsgroep]
        M = np.full((c.nT, c.nP), np.nan)
        if len(bev) == 0 or c.nP == 0:
            return M
        team = c.team_codes(bev)
        jaar = getal(bev["jaar"])
        inw = getal(bev["inwoners"])
        jaar_p = c.per["periode_start"].dt.year.to_numpy()
        for t, j, n in zip(team, jaar, inw):
            if t >= 0 and not np.isnan(n):
                M[t, jaar_p == j] = n
        return M

    return c.onthoud(f"inwoners|{leeftijdsgroep}", maak)


def eenheid_rijen(c, teller: np.ndarray, noemer: np.ndarray, geldig: np.ndarray,
           schaal: float = 1.0) -> pd.DataFrame:
    """Team rows where ``geldig`` plus gemeente totals pooled over the valid teams.

    ``teller``, ``noemer``: arrays (nT, nP); NaN noemer = no noemer (waarde = teller).
    """
    if c.nT == 0 or c.nP == 0:
        return pd.DataFrame(columns=["eenheid", "p", "uitsplitsing", "teller", "noemer", "waarde"])
    T = np.where(geldig, teller, 0.0)
    N = np.where(geldig, noemer, 0.0)
    tot_T = np.zeros((len(c.gemeenten), c.nP))
    tot_N = np.zeros((len(c.gemeenten), c.nP))
    tot_g = np.zeros((len(c.gemeenten), c.nP), dtype=bool)
    np.add.at(tot_T, c.gem_van_team, T)
    np.add.at(tot_N, c.gem_van_team, np.nan_to_num(N))
    np.logical_or.at(tot_g, c.gem_van_team, geldig)
    alle_T = np.vstack([T, tot_T])
    alle_N = np.vstack([np.where(geldig, noemer, np.nan), np.where(tot_g, tot_N, np.nan)])
    if np.isnan(noemer).all():
        alle_N = np.full_like(alle_T, np.nan)
    alle_g = np.vstack([geldig, tot_g])
    e, p = np.nonzero(alle_g)
    t, n = alle_T[e, p], alle_N[e, p]
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(np.isnan(n), t, schaal * t / n)
    uit = pd.DataFrame({"eenheid": e, "p": p, "uitsplitsing": "", "teller": t, "noemer": n,
                        "waarde": w})
    return uit[np.isfinite(uit["waarde"])]


# ---------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------


@definieer("teamkosten", "Kosten van het wijkteam", "doelmatigheid", "bedrag", "lager", "euro",
            _DOEL_DOELMATIG, dimensie="geld",
            omschrijving="Kosten van het wijkteam zelf in de periode: de kolom formatie.teamkosten "
            "als de gemeente die levert, anders formatie (fte) x [kosten] fte_tarief / 12 per "
            "maand. Zonder teamkosten en zonder tarief vervalt de indicator. Het gemeentetotaal "
            "is de som van de teams.")
def _teamkosten(c, code):
    TK = teamkosten_matrix(c)
    return af(c, eenheid_rijen(c, np.nan_to_num(TK), np.full(TK.shape, np.nan), ~np.isnan(TK)), code)


@definieer("integrale_kosten_per_traject", "Integrale kosten per afgesloten traject",
            "doelmatigheid", "bedrag", "lager", "euro", _DOEL_DOELMATIG, dimensie="geld",
            omschrijving="Teamkosten plus kosten maatwerk (inzet die in de periode startte) in "
            "de periode, gedeeld door het aantal trajecten dat in de periode is afgesloten: "
            "wat een afgesloten traject het wijkteam en het maatwerk samen kost (kostprijs per "
            "eenheid output, niet de kosten van de afgesloten trajecten zelf; die staan in "
            "kosten_per_traject). Alleen voor teams met teamkosten; teller = kosten, noemer = "
            "afgesloten trajecten.")
def _integraal_per_traject(c, code):
    TK = teamkosten_matrix(c)
    MW = _maatwerk_matrix(c)
    AF = som_matrix(c, c.tr_team, c.p(c.einde), 1.0)
    geldig = ~np.isnan(TK) & (AF > 0)
    return af(c, eenheid_rijen(c, np.nan_to_num(TK) + MW, AF, geldig), code)


@definieer("teamkosten_per_inwoner", "Kosten wijkteam per inwoner", "doelmatigheid", "bedrag",
            "lager", "euro per inwoner", _DOEL_DOELMATIG, dimensie="geld",
            omschrijving="Teamkosten in de periode gedeeld door het aantal inwoners van het "
            "werkgebied in het jaar waarin de periode begint. Het gemeentetotaal telt alleen "
            "teams met teamkosten en bevolkingscijfers.")
def _team_per_inwoner(c, code):
    TK, INW = teamkosten_matrix(c), inwoners_matrix(c)
    geldig = ~np.isnan(TK) & (np.nan_to_num(INW) > 0)
    return af(c, eenheid_rijen(c, np.nan_to_num(TK), np.nan_to_num(INW), geldig), code)


@definieer("integrale_kosten_per_inwoner", "Integrale kosten per inwoner", "doelmatigheid",
            "bedrag", "lager", "euro per inwoner", _DOEL_DOELMATIG, dimensie="geld",
            omschrijving="Teamkosten plus kosten maatwerk in de periode gedeeld door het aantal "
            "inwoners van het werkgebied (jaar waarin de periode begint). Samen met "
            "teamkosten_per_inwoner en kosten_per_inwoner (maatwerk) de kosten per inwoner: "
            "team, maatwerk en totaal. Alleen voor teams met teamkosten en bevolkingscijfers.")
def _integraal_per_inwoner(c, code):
    TK, INW = teamkosten_matrix(c), inwoners_matrix(c)
    geldig = ~np.isnan(TK) & (np.nan_to_num(INW) > 0)
    return af(c, eenheid_rijen(c, np.nan_to_num(TK) + _maatwerk_matrix(c), np.nan_to_num(INW), geldig),
               code)


def begroting_realisatie(c) -> pd.DataFrame:
    """Budget and realisation per (gemeente, jaar, post) for the yearly periods.

    Returns columns ``eenheid`` (gemeente total code), ``p``, ``uitsplitsing`` (post, and
    "" for the sum over the posts with a realisation), ``teller`` (gerealiseerd, euro),
    ``noemer`` (begroot, euro). Only when the periods are calendar years (``c.k == 12``).
    """
    b = c.md.tabellen["begroting"]
    kol = ["eenheid", "p", "uitsplitsing", "teller", "noemer"]
    if len(b) == 0 or c.k != 12 or c.nP == 0:
        return pd.DataFrame(columns=kol)
    jaar_p = {int(y): i for i, y in enumerate(c.per["periode_start"].dt.year)}
    gem_code = {g: i for i, g in enumerate(c.gemeenten)}
    # derived realisations per gemeente and period
    iz, team, p = maatwerk_inzet(c)
    kosten = np.nan_to_num(iz["kosten"].to_numpy())
    vorm = iz["vorm"].to_numpy()
    afgeleid = {}
    for v in MAATWERK:
        M = som_matrix(c, team[vorm == v], p[vorm == v], kosten[vorm == v])
        G = np.zeros((len(c.gemeenten), c.nP))
        np.add.at(G, c.gem_van_team, M)
        afgeleid[v] = G
    TK = teamkosten_matrix(c)
    G = np.zeros((len(c.gemeenten), c.nP))
    np.add.at(G, c.gem_van_team, np.nan_to_num(TK))
    heeft = np.zeros((len(c.gemeenten), c.nP), dtype=bool)
    np.logical_or.at(heeft, c.gem_van_team, ~np.isnan(TK))
    afgeleid["wijkteam"] = np.where(heeft, G, np.nan)
    rijen = []
    for g, j, post, begroot, real in zip(tekst(b["gemeente"]), getal(b["jaar"]),
                                         tekst(b["post"]), getal(b["begroot"]),
                                         getal(b["gerealiseerd"])):
        if g not in gem_code or np.isnan(j) or int(j) not in jaar_p:
            continue
        gi, pi = gem_code[g], jaar_p[int(j)]
        if np.isnan(real) and post in afgeleid:
            real = afgeleid[post][gi, pi]
        if np.isnan(real) or np.isnan(begroot):
            continue
        rijen.append((c.nT + gi, pi, post, real, begroot))
    a = pd.DataFrame(rijen, columns=kol)
    if len(a) == 0:
        return a
    volgorde = {p_: i for i, p_ in enumerate(POSTEN)}
    a = a.assign(_o=a["uitsplitsing"].map(volgorde)).sort_values(["eenheid", "p", "_o"])
    som = a.groupby(["eenheid", "p"], sort=False)[["teller", "noemer"]].sum().reset_index()
    som["uitsplitsing"] = ""
    return pd.concat([a.drop(columns="_o"), som[kol]], ignore_index=True)


@definieer("budgetrealisatie", "Budgetrealisatie", "doelmatigheid", "bedrag", None, "%",
            _DOEL_DOELMATIG, dimensie="geld",
            omschrijving="Realisatie als deel van de begroting per post (uitsplitsing = post; '' "
            "= som van de posten met een realisatie), per gemeente en kalenderjaar (alleen bij "
            "jaarcijfers): teller = gerealiseerd (euro), noemer = begroot (euro), waarde = "
            "gerealiseerd / begroot (1 = precies de begroting). Zonder kolom gerealiseerd komt "
            "de realisatie van maatwerk uit inzet.kosten (inzet gestart in het jaar) en van "
            "het wijkteam uit de teamkosten; andere posten zonder realisatie vallen weg.")
def _budgetrealisatie(c, code):
    a = begroting_realisatie(c)
    if len(a) == 0:
        return leeg()
    a = a[a["noemer"] > 0]
    return af(c, a.assign(waarde=a["teller"] / a["noemer"]), code)


@definieer("budgetafwijking", "Afwijking van de begroting", "doelmatigheid", "bedrag", None,
            "euro", _DOEL_DOELMATIG, dimensie="geld",
            omschrijving="Gerealiseerd min begroot in euro per post (positief = overschrijding), "
            "per gemeente en kalenderjaar; zelfde bronnen als budgetrealisatie (teller = "
            "gerealiseerd, noemer = begroot).")
def _budgetafwijking(c, code):
    a = begroting_realisatie(c)
    if len(a) == 0:
        return leeg()
    return af(c, a.assign(waarde=a["teller"] - a["noemer"]), code)

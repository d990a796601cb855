"""Indicators of the theme "medewerkers": personeel, caseload per regisseur, één regisseur.

Each function is registered in the catalog at import time (see ``_basis._indicator``).

Privacy: these figures are about the team's own staff and about households. None of
them is a figure about one person:

* verzuim and verloop rest on the bezetting (fte) of the team; the disclosure rules of
  the catalog type (gemiddelde: noemer = gemiddelde bezetting in fte < drempel; ratio:
  uitstroom < drempel) withhold them for small teams, with fte as a stand-in for the
  number of medewerkers (a medewerker works at most 1 fte, so fte <= headcount: the
  rule never protects less than a rule on headcount would);
* vacaturegraad and bezettingsgraad describe positions, not persons: no teller/noemer
  that could be small (``teller``/``noemer`` NaN, never suppressed);
* caseload per regisseur is only published as a distribution over the regisseurs of a
  team (median, 90th percentile, share above the norm) with ``noemer`` = the number of
  regisseurs, so a team with fewer regisseurs than the drempel shows nothing. No
  medewerker_id leaves this module.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitoranalyse.indicatoren._basis import (
    DOEL_DOENLIJK,
    af,
    binnen,
    dagen,
    getal,
    definieer,
    leeg,
    maandnummer,
    unieke_waarden,
)

__all__: list[str] = []  # indicators are reached through the catalog

_DOEL_TEAM = "Het team is op sterkte en gezond: weinig verzuim, verloop en vacatures"
_DOEL_REGIE = "Eén huishouden, één plan, één regisseur"


# ---------------------------------------------------------------------------
# personeel table
# ---------------------------------------------------------------------------


def _personeel(c):
    """personeel rows inside the window as arrays: team, period, month number and the
    numeric columns (NaN where absent)."""
    pe = c.md.tabellen["personeel"]
    if len(pe) == 0 or c.nP == 0:
        return None
    team = c.team_codes(pe)
    dag = dagen(pe["maand"])
    p = c.p(dag)
    m = binnen(c, team, p)
    uit = {"team": team[m], "p": p[m].astype("int64"), "maand": maandnummer(dag)[m]}
    for k in ("fte_bezet", "verzuim_pct", "instroom_medewerkers", "uitstroom_medewerkers",
              "vacatures_fte"):
        uit[k] = getal(pe[k])[m] if k in pe.columns else np.full(int(m.sum()), np.nan)
    return uit


def _per_eenheid(c, d, ok, **waarden) -> pd.DataFrame:
    """Sums of ``waarden`` per (eenheid, p) over the rows ``ok`` of :func:`_personeel`, for
    the teams and pooled per gemeente, plus ``maanden``: the number of distinct months with
    data (a gemeente total counts a month once, however many teams report it)."""
    R = pd.DataFrame({"eenheid": d["team"][ok], "p": d["p"][ok], "maand": d["maand"][ok],
                      **{k: np.asarray(v, dtype=float) for k, v in waarden.items()}})
    if len(R) == 0:
        return R
    R = pd.concat([R, R.assign(eenheid=c.tot[R["eenheid"].to_numpy()])], ignore_index=True)
    g = R.groupby(["eenheid", "p"], sort=True)
    uit = g[list(waarden)].sum()
    uit["maanden"] = g["maand"].nunique()
    return uit.reset_index().assign(uitsplitsing="")


@definieer("verzuim", "Ziekteverzuim", "medewerkers", "gemiddelde", "lager", "%", _DOEL_TEAM,
            dimensie="team",
            omschrijving="Ziekteverzuim in de periode: het gemiddelde van personeel.verzuim_pct "
            "over de maanden, gewogen naar de bezetting (fte_bezet); alleen maanden met beide "
            "waarden. Teller = gemiddeld verzuimde fte, noemer = gemiddelde bezetting (fte per "
            "maand met gegevens); onder de drempel (in fte) niet getoond. Geen interval "
            "(maandcijfers van de hele bezetting, geen steekproef).")
def _verzuim(c, code):
    d = _personeel(c)
    if d is None:
        return leeg()
    ok = ~np.isnan(d["verzuim_pct"]) & ~np.isnan(d["fte_bezet"])
    a = _per_eenheid(c, d, ok, vz=d["verzuim_pct"][ok] / 100.0 * d["fte_bezet"][ok],
                     fte=d["fte_bezet"][ok])
    if len(a) == 0:
        return leeg()
    a = a[a["fte"] > 0]
    teller, noemer = a["vz"] / a["maanden"], a["fte"] / a["maanden"]
    a = a.assign(teller=teller, noemer=noemer, waarde=teller / noemer)
    return af(c, a, code, interval=False)


@definieer("verloop", "Verloop van medewerkers", "medewerkers", "ratio", "lager", "% per jaar",
            _DOEL_TEAM, dimensie="team",
            omschrijving="Uitstroom van medewerkers in de periode gedeeld door de gemiddelde "
            "bezetting (fte_bezet), omgerekend naar een jaar (x 12 / maanden met gegevens). "
            "Teller = uitstromende medewerkers (personen), noemer = gemiddelde bezetting (fte): "
            "bij deeltijd ligt het verloop per persoon iets lager. Alleen maanden met beide "
            "waarden. Exact Poisson-interval.")
def _verloop(c, code):
    d = _personeel(c)
    if d is None:
        return leeg()
    ok = ~np.isnan(d["fte_bezet"]) & ~np.isnan(d["uitstroom_medewerkers"])
    a = _per_eenheid(c, d, ok, uit=d["uitstroom_medewerkers"][ok], fte=d["fte_bezet"][ok])
    if len(a) == 0:
        return leeg()
    a = a[a["fte"] > 0]
    noemer = a["fte"] / a["maanden"]
    a = a.assign(teller=a["uit"], noemer=noemer, waarde=a["uit"] / noemer * 12.0 / a["maanden"])
    return af(c, a, code)


@definieer("vacaturegraad", "Vacaturegraad", "medewerkers", "gemiddelde", "lager", "%",
            _DOEL_TEAM, dimensie="team",
            omschrijving="Openstaande vacatures (fte) gedeeld door bezetting plus vacatures (fte), "
            "opgeteld over de maanden van de periode. Beschrijft formatieplaatsen, geen personen: "
            "zonder teller en noemer, dus niet onderdrukt.")
def _vacaturegraad(c, code):
    d = _personeel(c)
    if d is None:
        return leeg()
    ok = ~np.isnan(d["vacatures_fte"]) & ~np.isnan(d["fte_bezet"])
    a = _per_eenheid(c, d, ok, vac=d["vacatures_fte"][ok], fte=d["fte_bezet"][ok])
    a = a[(a["vac"] + a["fte"]) > 0] if len(a) else a
    if len(a) == 0:
        return leeg()
    a = a.assign(waarde=a["vac"] / (a["vac"] + a["fte"]))
    return af(c, a[["eenheid", "p", "uitsplitsing", "waarde"]], code, interval=False)


@definieer("bezettingsgraad", "Bezetting ten opzichte van formatie", "medewerkers", "gemiddelde",
            "hoger", "%", _DOEL_TEAM, dimensie="team",
            omschrijving="Bezetting (personeel.fte_bezet) gedeeld door de formatie (formatie.fte), "
            "opgeteld over de maanden die in beide tabellen staan. Beschrijft formatieplaatsen, "
            "geen personen: zonder teller en noemer, dus niet onderdrukt.")
def _bezettingsgraad(c, code):
    pe, f = c.md.tabellen["personeel"], c.md.tabellen["formatie"]
    if len(pe) == 0 or len(f) == 0 or c.nP == 0 or "fte_bezet" not in pe.columns:
        return leeg()
    links = pd.DataFrame({"team": c.team_codes(pe), "m": dagen(pe["maand"]),
                          "bezet": getal(pe["fte_bezet"])})
    rechts = pd.DataFrame({"team": c.team_codes(f), "m": dagen(f["maand"]), "fte": getal(f["fte"])})
    j = links.merge(rechts, on=["team", "m"]).dropna()
    if len(j) == 0:
        return leeg()
    d = {"team": j["team"].to_numpy(), "p": c.p(j["m"].to_numpy()), "maand": j["m"].to_numpy()}
    ok = binnen(c, d["team"], d["p"])
    d["p"] = np.nan_to_num(d["p"]).astype("int64")
    a = _per_eenheid(c, d, ok, bezet=j["bezet"].to_numpy()[ok], fte=j["fte"].to_numpy()[ok])
    a = a[a["fte"] > 0] if len(a) else a
    if len(a) == 0:
        return leeg()
    a = a.assign(waarde=a["bezet"] / a["fte"])
    return af(c, a[["eenheid", "p", "uitsplitsing", "waarde"]], code, interval=False)


# ---------------------------------------------------------------------------
# Caseload per regisseur (from trajecten.medewerker_id)
# ---------------------------------------------------------------------------


def _open_per_periode(c, start, eind):
    """(traject index, period) of every traject open at the end of a period.

    Open at the end of day e: ``start <= e`` and (no eind or ``eind > e``); that is the
    periods ``p(start) .. p(eind) - 1`` (clipped to the window).
    """
    ps = c.p(start)
    pe = c.p(eind)
    ok = ~np.isnan(ps) & (np.isnan(eind) | (eind > start))
    lo = np.clip(np.where(ok, ps, c.nP), 0, c.nP).astype("int64")
    hi = np.clip(np.where(np.isnan(pe), c.nP, pe), 0, c.nP).astype("int64")
    hi = np.where(ok, hi, 0)
    n = np.maximum(hi - lo, 0)
    idx = np.repeat(np.arange(len(start)), n)
    eerste = np.cumsum(n) - n
    p = lo[idx] + (np.arange(len(idx)) - eerste[idx])
    return idx, p


def _open_trajecten(c):
    """(traject index, period) of every traject of a known team open at a period end;
    memoised (shared by the caseload per regisseur and the huishouden indicators)."""
    return c.onthoud("open_per_periode", lambda: _open_per_periode(
        c, np.where(c.tr_team >= 0, c.melding, np.nan), c.einde))


def caseload_per_regisseur(c) -> pd.DataFrame:
    """Open trajecten per (eenheid, period, regisseur): internal, never published.

    Returns columns ``eenheid`` (team codes and gemeente totals; a regisseur working in
    two teams of a gemeente is one regisseur in the total), ``p``, ``r`` (integer code of
    the regisseur, not the id) and ``caseload``.
    """

    def maak():
        tr = c.md.tabellen["trajecten"]
        if "medewerker_id" not in tr.columns or len(tr) == 0 or c.nP == 0:
            return pd.DataFrame(columns=["eenheid", "p", "r", "caseload"])
        r, _ = pd.factorize(tr["medewerker_id"].astype(object), use_na_sentinel=True)
        idx, p = _open_trajecten(c)
        heeft = r[idx] >= 0
        idx, p = idx[heeft], p[heeft]
        team = c.tr_team[idx]
        R = pd.DataFrame({"eenheid": team, "p": p, "r": r[idx]})
        t = R.groupby(["eenheid", "p", "r"], sort=False).size().rename("caseload").reset_index()
        g = R.assign(eenheid=c.tot[team])
        g = g.groupby(["eenheid", "p", "r"], sort=False).size().rename("caseload").reset_index()
        return pd.concat([t, g], ignore_index=True)

    return c.onthoud("caseload_regisseur", maak)


def _norm_regisseur(c) -> np.ndarray:
    """caseloadnorm_regisseur per eenheid (teams and totals)."""
    cfg = c.md.config
    per_gem = np.array([float(cfg.voor_gemeente(g).medewerkers["caseloadnorm_regisseur"])
                        for g in c.gemeenten], dtype=float)
    return np.concatenate([per_gem[c.gem_van_team], per_gem]) if c.nT else per_gem


def _kwantiel(c, code, q: float):
    """Quantile ``q`` of the caseload over the regisseurs per (eenheid, p); noemer = n."""
    a = caseload_per_regisseur(c)
    if len(a) == 0:
        return leeg()
    g = a.groupby(["eenheid", "p"], sort=True)["caseload"]
    uit = pd.DataFrame({"teller": np.nan, "noemer": g.size().astype(float),
                        "waarde": g.quantile(q)}).reset_index()
    return af(c, uit.assign(uitsplitsing=""), code, interval=False)


@definieer("caseload_regisseur_mediaan", "Caseload per regisseur (mediaan)", "medewerkers",
            "mediaan", None, "trajecten per regisseur", DOEL_DOENLIJK, dimensie="team",
            omschrijving="Mediaan over de regisseurs (trajecten.medewerker_id) van het aantal "
            "open trajecten per regisseur op de laatste dag van de periode; noemer = aantal "
            "regisseurs met minstens één open traject. Een verdeling over regisseurs, nooit een "
            "cijfer per persoon; onder de drempel van regisseurs niet getoond.")
def _cl_mediaan(c, code):
    return _kwantiel(c, code, 0.5)


@definieer("caseload_regisseur_p90", "Caseload per regisseur (90e percentiel)", "medewerkers",
            "mediaan", None, "trajecten per regisseur", DOEL_DOENLIJK, dimensie="team",
            omschrijving="90e percentiel (lineaire interpolatie, Hyndman-Fan type 7) over de "
            "regisseurs van het aantal open trajecten per regisseur op de laatste dag van de "
            "periode: 10% van de regisseurs heeft meer. Noemer = aantal regisseurs; onder de "
            "drempel niet getoond.")
def _cl_p90(c, code):
    return _kwantiel(c, code, 0.9)


@definieer("caseload_boven_norm", "Regisseurs boven de caseloadnorm", "medewerkers", "proportie",
            "lager", "%", DOEL_DOENLIJK, dimensie="team",
            omschrijving="Aandeel regisseurs met meer open trajecten dan [medewerkers] "
            "caseloadnorm_regisseur (standaard 25, eigen norm) op de laatste dag van de periode; "
            "teller = regisseurs boven de norm, noemer = regisseurs met minstens één open "
            "traject.")
def _cl_boven(c, code):
    a = caseload_per_regisseur(c)
    if len(a) == 0:
        return leeg()
    norm = _norm_regisseur(c)[a["eenheid"].to_numpy()]
    a = a.assign(boven=(a["caseload"].to_numpy() > norm).astype(float), n=1.0)
    s = a.groupby(["eenheid", "p"], sort=True)[["boven", "n"]].sum().reset_index()
    s = s.rename(columns={"boven": "teller", "n": "noemer"}).assign(uitsplitsing="")
    return af(c, s.assign(waarde=s["teller"] / s["noemer"]), code)


# ---------------------------------------------------------------------------
# Eén huishouden, één plan, één regisseur
# ---------------------------------------------------------------------------


def _huishoudens(c) -> pd.DataFrame:
    """Per (eenheid, p, huishouden) open at the end of the period: trajecten, regisseurs.

    Vectorised on integer keys (np.unique) instead of a groupby with nunique: about a
    million trajecten x their open periods stay a few seconds.
    """

    def maak():
        tr = c.md.tabellen["trajecten"]
        kol = ["eenheid", "p", "h", "trajecten", "regisseurs"]
        if "huishouden_id" not in tr.columns or len(tr) == 0 or c.nP == 0:
            return pd.DataFrame(columns=kol)
        h, hh = pd.factorize(tr["huishouden_id"].astype(object), use_na_sentinel=True)
        if "medewerker_id" in tr.columns:
            r, rr = pd.factorize(tr["medewerker_id"].astype(object), use_na_sentinel=True)
        else:
            r, rr = np.full(len(tr), -1), []
        idx, p = _open_trajecten(c)
        heeft = h[idx] >= 0
        idx, p = idx[heeft], p[heeft].astype("int64")
        team = c.tr_team[idx]
        nH, nR, nP = max(len(hh), 1), len(rr) + 1, c.nP
        e = np.concatenate([team, c.tot[team]]).astype("int64")
        pp, hx, rx = np.tile(p, 2), np.tile(h[idx], 2), np.tile(r[idx] + 1, 2)  # rx 0 = unknown
        sleutel = (e * nP + pp) * nH + hx
        uniek, trajecten = unieke_waarden(sleutel)
        # distinct known regisseurs per key
        paar, _ = unieke_waarden(sleutel[rx > 0] * nR + rx[rx > 0])
        rs, rn = unieke_waarden(paar // nR)
        regisseurs = np.zeros(len(uniek), dtype="int64")
        regisseurs[np.searchsorted(uniek, rs)] = rn
        return pd.DataFrame({"eenheid": uniek // (nP * nH), "p": (uniek // nH) % nP,
                             "h": uniek % nH, "trajecten": trajecten, "regisseurs": regisseurs})

    return c.onthoud("huishoudens", maak)


@definieer("huishoudens_parallelle_trajecten", "Huishoudens met parallelle trajecten",
            "medewerkers", "proportie", None, "%", _DOEL_REGIE, dimensie="hulp",
            omschrijving="Aandeel van de huishoudens (trajecten.huishouden_id) met een open traject "
            "op de laatste dag van de periode dat daar twee of meer open trajecten heeft "
            "(binnen hetzelfde team; het gemeentetotaal telt over alle teams).")
def _parallel(c, code):
    H = _huishoudens(c)
    if len(H) == 0:
        return leeg()
    H = H.assign(teller=(H["trajecten"] >= 2).astype(float), noemer=1.0)
    s = H.groupby(["eenheid", "p"], sort=True)[["teller", "noemer"]].sum().reset_index()
    return af(c, s.assign(uitsplitsing="", waarde=s["teller"] / s["noemer"]), code)


@definieer("meer_regisseurs_per_huishouden", "Meer dan één regisseur per huishouden",
            "medewerkers", "proportie", "lager", "%", _DOEL_REGIE, dimensie="hulp",
            omschrijving="Van de huishoudens met twee of meer open trajecten op de laatste dag "
            "van de periode (huishoudens_parallelle_trajecten): het aandeel waarbij die "
            "trajecten meer dan één regisseur (trajecten.medewerker_id) hebben. Lager is beter: "
            "één huishouden, één plan, één regisseur.")
def _meer_regisseurs(c, code):
    H = _huishoudens(c)
    if len(H) == 0:
        return leeg()
    H = H[H["trajecten"] >= 2]
    if len(H) == 0:
        return leeg()
    H = H.assign(teller=(H["regisseurs"] >= 2).astype(float), noemer=1.0)
    s = H.groupby(["eenheid", "p"], sort=True)[["teller", "noemer"]].sum().reset_index()
    return af(c, s.assign(uitsplitsing="", waarde=s["teller"] / s["noemer"]), code)

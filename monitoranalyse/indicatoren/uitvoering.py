"""Indicators of the theme "uitvoering": caseload, in- en uitstroom, doorlooptijden, termijnen.

Each function is registered in the catalog at import time (see ``_basis._indicator``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitoranalyse.indicatoren._basis import (
    _Context,
    _DOEL_DOENLIJK,
    _DOEL_TIJDIG,
    _aantal,
    _af,
    _dagen,
    _getal,
    _indicator,
    _leeg,
    _mediaan,
    _proportie,
    _records,
)

__all__: list[str] = []  # indicators are reached through the catalog


# ----------------------------- Uitvoering ---------------------------------


def _sweep(c: _Context, team, start, eind) -> np.ndarray:
    """Number of records open at the end of every period, per eenheid.

    A record is open at the end of day e when ``start <= e`` and (``eind`` missing or
    ``eind > e``). Returns an array (n_eenheden, nP). Vectorised: +1 in the period of
    the start, -1 in the period of the end (earlier events clamp to the first period),
    cumulative sum over periods; totals are sums of the team rows.
    """
    nT, nP = c.nT, c.nP
    ok = (team >= 0) & ~np.isnan(start) & (np.isnan(eind) | (eind > start))
    team, ps, pe = team[ok], c.p(start[ok]), c.p(eind[ok])
    delta = np.zeros(nT * nP)
    ps = np.clip(ps, 0, None)
    m = ps < nP
    delta += np.bincount((team[m] * nP + ps[m]).astype("int64"), minlength=nT * nP)
    m = ~np.isnan(pe)
    pe = np.clip(pe[m], 0, None)
    tm = team[m]
    m2 = pe < nP
    delta -= np.bincount((tm[m2] * nP + pe[m2]).astype("int64"), minlength=nT * nP)
    M = delta.reshape(nT, nP).cumsum(axis=1)
    T = np.zeros((len(c.gemeenten), nP))
    np.add.at(T, c.gem_van_team, M)
    return np.vstack([M, T])


def _matrix_agg(M: np.ndarray) -> pd.DataFrame:
    nE, nP = M.shape
    return pd.DataFrame(
        {
            "eenheid": np.repeat(np.arange(nE), nP),
            "p": np.tile(np.arange(nP), nE),
            "uitsplitsing": "",
            "teller": M.ravel(),
            "noemer": np.nan,
            "waarde": M.ravel(),
        }
    )


def _caseload_matrix(c: _Context) -> np.ndarray:
    return c.onthoud("caseload", lambda: _sweep(c, c.tr_team, c.melding, c.einde))


@_indicator("caseload", "Caseload", "uitvoering", "aantal", None, "trajecten",
            _DOEL_DOENLIJK, dimensie="team",
            omschrijving="Aantal open trajecten op de laatste dag van de periode: gemeld op of "
            "vóór die dag en niet vóór het einde van die dag afgesloten (een traject dat op de "
            "laatste dag eindigt telt niet mee).")
def _caseload(c, code):
    return _af(c, _matrix_agg(_caseload_matrix(c)), code)


@_indicator("caseload_per_fte", "Caseload per fte", "uitvoering", "ratio", "lager",
            "trajecten per fte", _DOEL_DOENLIJK, dimensie="team",
            omschrijving="Caseload op de laatste dag van de periode gedeeld door de gemiddelde "
            "formatie (fte) over de maanden van de periode. Het gemeentetotaal is de som van de "
            "caseload gedeeld door de som van de fte van de teams met formatie.")
def _caseload_per_fte(c, code):
    f = c.md.tabellen["formatie"]
    if len(f) == 0 or c.nP == 0:
        return _leeg()
    team = c.team_codes(f)
    p = c.p(_dagen(f["maand"]))
    R = _records(c, team, p, fte=_getal(f["fte"]))
    fte = R.groupby(["eenheid", "p"], sort=False)["fte"].mean().reset_index()
    M = _caseload_matrix(c)
    fte["teller"] = M[fte["eenheid"].to_numpy(), fte["p"].to_numpy()]
    fte = fte.rename(columns={"fte": "noemer"})
    t = fte.assign(eenheid=c.tot[fte["eenheid"].to_numpy()])
    t = t.groupby(["eenheid", "p"], sort=False)[["teller", "noemer"]].sum().reset_index()
    a = pd.concat([fte, t], ignore_index=True)
    a = a[a["noemer"] > 0].assign(uitsplitsing="")
    return _af(c, a.assign(waarde=a["teller"] / a["noemer"]), code)


@_indicator("instroom", "Instroom", "uitvoering", "aantal", None, "meldingen", _DOEL_DOENLIJK,
            dimensie="team", omschrijving="Aantal meldingen (nieuwe trajecten) in de periode.")
def _instroom(c, code):
    return _af(c, _aantal(c, c.tr_team, c.p(c.melding)), code)


@_indicator("uitstroom", "Uitstroom", "uitvoering", "aantal", None, "trajecten", _DOEL_DOENLIJK,
            dimensie="team", omschrijving="Aantal trajecten met een einddatum in de periode.")
def _uitstroom(c, code):
    return _af(c, _aantal(c, c.tr_team, c.p(c.einde)), code)


@_indicator("doorlooptijd_melding_intake", "Doorlooptijd melding - intake", "uitvoering",
            "mediaan", "lager", "dagen", _DOEL_TIJDIG, dimensie="klant",
            omschrijving="Mediaan van het aantal dagen tussen melding en intake (onderzoek/"
            "keukentafelgesprek) van trajecten waarvan de intake in de periode viel; "
            "verdelingsvrij betrouwbaarheidsinterval. De intake is het begin van het onderzoek; "
            "de wettelijke termijn van zes weken (Wmo 2015 art. 2.3.2 lid 1) geldt voor het "
            "afronden ervan (het verslag, lid 8): zie 'Onderzoek binnen wettelijke termijn'.")
def _dlt_intake(c, code):
    return _af(c, _mediaan(c, c.tr_team, c.p(c.intake), c.intake - c.melding), code)


@_indicator("doorlooptijd_melding_plan", "Doorlooptijd melding - plan van aanpak", "uitvoering",
            "mediaan", "lager", "dagen", _DOEL_TIJDIG, dimensie="klant",
            omschrijving="Mediaan van het aantal dagen tussen melding en plan van aanpak van "
            "trajecten waarvan het plan in de periode viel; verdelingsvrij interval.")
def _dlt_plan(c, code):
    return _af(c, _mediaan(c, c.tr_team, c.p(c.plan), c.plan - c.melding), code)


def _binnen_termijn(c, eind, termijn_naam):
    term = c.termijn(termijn_naam)[np.maximum(c.tr_team, 0)] if len(c.tr_team) else np.array([])
    verlopen = (c.melding + term) <= c.peil  # term expired at the peildatum
    teller = verlopen & (~np.isnan(eind)) & ((eind - c.melding) <= term)
    return _proportie(c, c.tr_team, c.p(c.melding), teller, verlopen.astype(float))


@_indicator("binnen_termijn_onderzoek", "Intake binnen zes weken", "uitvoering",
            "proportie", "hoger", "%", _DOEL_TIJDIG, dimensie="klant",
            omschrijving="Aandeel meldingen in de periode met een intake (het begin van het "
            "onderzoek) binnen termijnen.onderzoek_wmo dagen (standaard 42) na de melding. Dit is "
            "NIET de wettelijke termijn: die geldt voor het afronden van het onderzoek (Wmo 2015 "
            "art. 2.3.2 lid 1, het verslag van lid 8; zie onderzoek_binnen_termijn, dat alleen "
            "berekend wordt als de export datum_verslag bevat). Meldingen zonder intake tellen als "
            "niet tijdig. Meldingen waarvan de termijn op de peildatum nog niet verstreken is, "
            "vallen buiten de noemer.")
def _btt_onderzoek(c, code):
    return _af(c, _binnen_termijn(c, c.intake, "onderzoek_wmo"), code)


@_indicator("onderzoek_binnen_termijn", "Onderzoek binnen wettelijke termijn", "uitvoering",
            "proportie", "hoger", "%", _DOEL_TIJDIG, dimensie="klant",
            omschrijving="Aandeel meldingen in de periode waarvan het onderzoek binnen "
            "termijnen.onderzoek_wmo dagen (standaard 42: 'uiterlijk binnen zes weken', Wmo 2015 "
            "art. 2.3.2 lid 1) is afgerond, gemeten met de datum van het verslag (lid 8; kolom "
            "datum_verslag). Alleen als de export datum_verslag bevat. Meldingen zonder verslag "
            "tellen als niet tijdig; meldingen waarvan de termijn op de peildatum nog niet "
            "verstreken is, vallen buiten de noemer.")
def _btt_verslag(c, code):
    tr = c.md.tabellen["trajecten"]
    if "datum_verslag" not in tr or tr["datum_verslag"].notna().sum() == 0:
        return _leeg()
    return _af(c, _binnen_termijn(c, _dagen(tr["datum_verslag"]), "onderzoek_wmo"), code)


@_indicator("plan_binnen_termijn", "Plan van aanpak binnen termijn", "uitvoering", "proportie",
            "hoger", "%", _DOEL_TIJDIG, dimensie="klant",
            omschrijving="Aandeel meldingen in de periode met een plan van aanpak binnen "
            "termijnen.plan dagen (eigen norm, standaard 42). Meldingen waarvan de termijn op de "
            "peildatum nog niet verstreken is, vallen buiten de noemer.")
def _btt_plan(c, code):
    return _af(c, _binnen_termijn(c, c.plan, "plan"), code)


@_indicator("trajectduur", "Trajectduur", "uitvoering", "mediaan", None, "dagen", _DOEL_DOENLIJK,
            dimensie="team",
            omschrijving="Mediaan van het aantal dagen tussen melding en einde van trajecten "
            "die in de periode zijn afgesloten; verdelingsvrij interval.")
def _trajectduur(c, code):
    return _af(c, _mediaan(c, c.tr_team, c.p(c.einde), c.einde - c.melding), code)


@_indicator("open_zonder_plan", "Open trajecten zonder plan na termijn", "uitvoering", "aantal",
            "lager", "trajecten", _DOEL_TIJDIG, dimensie="klant",
            omschrijving="Aantal trajecten dat op de laatste dag van de periode open is, "
            "langer dan termijnen.plan dagen geleden gemeld is en (nog) geen plan van aanpak "
            "heeft.")
def _open_zonder_plan(c, code):
    term = c.termijn("plan")[np.maximum(c.tr_team, 0)] if len(c.tr_team) else np.array([])
    start = c.melding + term + 1  # first day on which the traject is older than the term
    eind = np.fmin(c.einde, c.plan)  # closed or plan made: no longer counted
    return _af(c, _matrix_agg(_sweep(c, c.tr_team, start, eind)), code)

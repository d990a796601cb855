"""Seeded synthetic sample data with planted effects (the ``voorbeelddata`` command).

Three fictional gemeenten (Lindeveen, Beekdal, Oosterwaarde) with 19 wijkteams,
meldingen from 2021-01-01 through the peildatum 2025-12-31, written in the data
contract of :mod:`monitoranalyse.contract`. Every planted effect is named in
:data:`GEPLANT` (tests and analyses refer to it instead of repeating literals) and
documented for users in ``data_samples/README.md`` (section "Geplante effecten").

Everything is vectorised numpy: there is no Python loop per traject, so
``genereer_tabellen(schaal=100)`` (about a million trajecten) is a benchmark input.
The same ``seed`` gives the same tables and byte-identical files.

The messy variant (``rommelig/``) is a few hundred Oosterwaarde trajecten written in
the other accepted dialects, with bad rows for every quarantine rule in
:data:`monitoranalyse.contract.REGELS`, and ``verwacht_quarantaine.csv`` listing the
exact (tabel, rij, kolom, regel) each loader must report.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from monitoranalyse.invoer.bsn import elfproef
from monitoranalyse.contract import DIMENSIES, REDENEN_EINDE, RESPONDENTEN, TABELLEN, VORMEN, ZRM_DOMEINEN

__all__ = [
    "GEPLANT",
    "GEMEENTEN",
    "PEILDATUM",
    "genereer",
    "genereer_tabellen",
    "wijk_indeling",
    "wijkgrenzen",
    "schrijf_wijkgrenzen",
    "kwb_wijken",
    "GEMEENTECODES",
    "EXTRA_GRENS",
    "schrijf_dataset",
    "rommelige_dataset",
    "zonder_beginvoorraad",
    "MANIFEST_KOLOMMEN",
    "INWONERS_PER_TEAM",
    "gemeentegroottes",
    "landelijke_opzet",
    "genereer_landelijk",
]

# ---------------------------------------------------------------------------
# Fixed design of the fictional gemeenten
# ---------------------------------------------------------------------------

#: gemeente -> ((wijkteam, relative volume), ...). Team names repeat across gemeenten.
GEMEENTEN: dict[str, tuple[tuple[str, float], ...]] = {
    "Lindeveen": (
        ("Wijkteam Noord", 1.0),
        ("Wijkteam Zuid", 1.0),
        ("Wijkteam Oost", 0.55),
        ("Wijkteam West", 1.0),
        ("Wijkteam Centrum", 1.1),
        ("Wijkteam Noordoost", 0.9),
        ("Wijkteam Zuidwest", 0.9),
        ("Wijkteam Haven", 0.8),
        ("Wijkteam Buitengebied", 0.6),
    ),
    "Beekdal": (
        ("Wijkteam Noord", 0.9),
        ("Wijkteam Zuid", 0.9),
        ("Wijkteam Oost", 0.8),
        ("Wijkteam West", 0.8),
        ("Wijkteam Centrum", 1.0),
        ("Wijkteam Dorpen", 0.6),
    ),
    "Oosterwaarde": (
        ("Wijkteam Noord", 0.8),
        ("Wijkteam Zuid", 0.8),
        ("Wijkteam Centrum", 0.9),
        ("Wijkteam Dorpen", 0.6),
    ),
}

_WIJKEN = (
    "Vogelbuurt", "Bloemenwijk", "Schildersbuurt", "Oude Stad", "Havenkwartier",
    "Rivierenbuurt", "Ruïnebuurt", "Kerkebuurt", "Parkwijk", "Stationsbuurt",
    "Bomenbuurt", "Componistenbuurt", "Dijkzicht", "Veldhoven", "Brinkhof",
    "Hoge Weide", "Lage Weide", "Zonnehof", "Sterrenwijk", "Molenwijk",
)

PEILDATUM = "2025-12-31"
_START = np.datetime64("2021-01-01")
_PEIL = np.datetime64(PEILDATUM)
_AANLOOP = np.datetime64("2020-01-01")  # burn-in: the caseload on 2021-01-01 is not empty
_JAREN = (2021, 2022, 2023, 2024, 2025)

#: Meldingen per team per month at relative volume 1.0 and schaal 1.0.
_BASIS_PER_MAAND = 9.4
#: Seasonality of meldingen (multiplier per calendar month) and the late-December dip.
_SEIZOEN = np.array([1.10, 1.05, 1.08, 1.00, 1.00, 0.98, 0.78, 0.72, 1.08, 1.06, 1.05, 0.97])
_KERSTDIP = 0.35  # multiplier for 22-31 December

# The ONE logistic model for P(traject has any maatwerk); see GEPLANT["maatwerkmodel"].
_MW = {
    "intercept": -0.55,
    "leeftijd_per_10_jaar": 0.12,  # (leeftijd - 40) / 10
    "meervoudig": 0.9,
    "zrm_start": -1.1,  # (mean of the 13 start scores - 3)
    "na_beleid": -0.55,  # Lindeveen, datum_plan >= 2023-01-01
    "wijkteam_west": float(np.log(2.5)),  # Lindeveen Wijkteam West only
}

_ZRM_OFFSET = np.array([-0.3, -0.2, 0.0, 0.3, 0.0, -0.3, 0.1, 0.8, 1.0, 0.5, -0.1, -0.2, 1.2])

GEPLANT: dict[str, dict] = {
    "periode": {
        "start": "2021-01-01",
        "eind": PEILDATUM,
        "peildatum": PEILDATUM,
        "beginvoorraad_vanaf": "2020-01-01",
    },
    "gemeenten": {g: tuple(t for t, _ in teams) for g, teams in GEMEENTEN.items()},
    "beleidswijziging": {
        "gemeente": "Lindeveen",
        "datum": "2023-01-01",
        "label": "Start inzet voorliggend veld",
        "sprong_lichte_zorg_pp": 10.0,
        "afschaling_voor": 0.20,
        "afschaling_na": 0.32,
        "extra_voorliggend_kans": 0.40,
    },
    "geleidelijke_stijging": {"gemeente": "Beekdal", "lichte_zorg_pp_per_jaar": 2.0},
    "nulgemeente": {"gemeente": "Oosterwaarde"},
    "traag_team": {
        "gemeente": "Lindeveen",
        "wijkteam": "Wijkteam Zuid",
        "mediaan_melding_intake": 30,
        "mediaan_melding_intake_overig": 14,
        "mediaan_melding_plan": 58,
        "mediaan_melding_plan_overig": 31,
    },
    "veel_maatwerk": {"gemeente": "Lindeveen", "wijkteam": "Wijkteam West", "odds_ratio": 2.5},
    "zware_casemix": {
        "gemeente": "Lindeveen",
        "wijkteam": "Wijkteam Centrum",
        "aandeel_meervoudig": 0.62,
        "aandeel_meervoudig_overig": 0.35,
        "aandeel_jeugd": 0.18,
        "aandeel_jeugd_overig": 0.32,
        "gemiddelde_leeftijd_volwassenen": 60,
        "gemiddelde_leeftijd_volwassenen_overig": 47,
        "zrm_start_verschil": -0.35,
        "odds_ratio_na_correctie": 1.0,
    },
    "maatwerkmodel": dict(_MW),
    "groeiende_instroom": {
        "gemeente": "Lindeveen",
        "wijkteam": "Wijkteam Oost",
        "groei_per_jaar": 0.30,
        "fte_constant": True,
    },
    # issue 14 (own random stream [seed, 14]: every value above stays the same)
    "verzuim_stijgt": {
        "gemeente": "Lindeveen",
        "wijkteam": "Wijkteam Zuid",
        "verzuim_2021": 6.0,
        "verzuim_2025": 13.0,
        "verzuim_overig": 5.5,
    },
    # issue 14: the jeugdhulp of Beekdal shifts from ambulant to verblijf (iJw 43/44): the
    # share of verblijf among jeugd maatwerk inzet rises from 8% (2021) by 5 pp a year
    "verblijf_jeugd": {"gemeente": "Beekdal", "aandeel_2021": 0.08, "pp_per_jaar": 5.0,
                       "codes": ("43", "44")},
    "overschrijding_jeugd": {
        "gemeente": "Beekdal",
        "post": "maatwerk_jeugd",
        "vanaf": 2023,
        "realisatie": 1.20,
        "realisatie_overig": 1.0,
    },
    "meer_regisseurs": {
        "gemeente": "Beekdal",
        "wijkteam": "Wijkteam Zuid",
        "kans_zelfde_regisseur": 0.15,
        "kans_zelfde_regisseur_overig": 0.85,
        "kans_gezinslid": 0.25,
    },
    "fte_tarief": 82000,
    "teamkosten_eigen": {"gemeente": "Oosterwaarde", "per_fte": 79500},
    "lage_teamscore": {
        "gemeente": "Beekdal",
        "wijkteam": "Wijkteam Noord",
        "respondent": "medewerker",
        "dimensie": "team",
        "score": 5.5,
        "score_overig": 7.2,
    },
}

# iWmo (WMO022) / iJw (JZ020) productcategorie: code, weight, price per year (or once), once?
_WMO_PRODUCTEN = (
    ("01", 0.28, 2700, False), ("02", 0.26, 7000, False), ("03", 0.05, 5000, False),
    ("04", 0.02, 4000, False), ("05", 0.01, 9000, False), ("06", 0.04, 3000, False),
    ("07", 0.10, 9000, False), ("08", 0.05, 1800, False), ("09", 0.02, 2500, False),
    ("10", 0.01, 5000, False), ("11", 0.03, 1200, True), ("12", 0.03, 4000, True),
    ("13", 0.03, 6500, True), ("14", 0.04, 900, True), ("15", 0.015, 52000, False),
    ("16", 0.005, 30000, False), ("17", 0.003, 8000, False), ("18", 0.002, 20000, False),
)
_JEUGD_PRODUCTEN = (
    ("40", 0.03, 6000, False), ("41", 0.08, 22000, False), ("42", 0.04, 3000, False),
    ("43", 0.04, 70000, False), ("44", 0.04, 42000, False), ("45", 0.40, 8000, False),
    ("46", 0.02, 15000, False), ("47", 0.03, 5000, False), ("48", 0.05, 7000, False),
    ("49", 0.01, 3000, False), ("50", 0.02, 9000, False), ("51", 0.09, 2500, False),
    ("52", 0.08, 7500, False), ("53", 0.01, 4000, False), ("54", 0.04, 8000, False),
    ("55", 0.02, 30000, False),
)

#: Indicatieduur of a maatwerk beschikking in years (gamma shape, scale; mean = product):
#: the toegekend bedrag covers it. Wmo voorzieningen (huishoudelijke hulp, hulpmiddelen,
#: begeleiding) run for years: CBS 86050NED counts ~1.25 M Wmo-clients in 2023 against a
#: half-year stock of ~1.15 M, so few start each year and a client stays years; a jeugd
#: beschikking runs a year and is often renewed. Calibrated so that kosten maatwerk per
#: inwoner land in the CBS range (data_samples/README.md, "Orde van grootte van de kosten").
_INDICATIEDUUR = {"wmo": (2.0, 1.4), "jeugd": (2.0, 1.4)}
#: Share of the inwoners with a melding at the wijkteam per year (bevolking = instroom / this):
#: with one toegang for Wmo and jeugd the wijkteam sees ~4.5% of its inwoners a year, so a
#: team of ~3.7 fte serves ~2,200 inwoners (~1.7 fte per 1,000) and there are ~11 new Wmo
#: maatwerk voorzieningen per 1,000 inwoners a year (data_samples/README.md, "Orde van grootte
#: van de kosten", compares the resulting kosten per inwoner with CBS 84580NED / 83454NED).
_MELDINGEN_PER_INWONER = 0.045

_TOELICHTING = (
    ("Lindeveen", "", "2023-Q1",
     "Start inzet voorliggend veld: inloopvoorzieningen en buurtsportcoaches worden eerst "
     "ingezet, het wijkteam schaalt vaker af naar basisvoorzieningen."),
    ("Lindeveen", "Wijkteam Zuid", "2021",
     "Structureel personeelstekort: twee vacatures zijn het hele jaar niet vervuld. "
     "De wachttijd tot het keukentafelgesprek loopt daardoor op."),
    ("Lindeveen", "Wijkteam Zuid", "2023",
     "Personeelstekort houdt aan, inhuur lukt beperkt. Intakes en plannen van aanpak "
     "duren nog steeds langer dan in de andere teams."),
    ("Lindeveen", "Wijkteam Oost", "2022",
     "Nieuwbouwwijk De Hoge Weide wordt bewoond: veel jonge gezinnen en meer meldingen. "
     "De formatie is niet uitgebreid."),
    ("Lindeveen", "Wijkteam Oost", "2024-H2",
     "De caseload per medewerker is fors gestegen. Uitbreiding van de formatie is aangevraagd."),
    ("Lindeveen", "Wijkteam Centrum", "2022",
     "Het werkgebied kent veel ouderen en huishoudens met meervoudige problematiek: "
     "dat verklaart de hogere inzet van maatwerk."),
    ("Lindeveen", "Wijkteam West", "2024-Q3",
     "Het team zet relatief vaak direct maatwerk in. In gesprek met de teamleider over de werkwijze."),
    ("Beekdal", "", "2022",
     "Basisvoorzieningen worden stap voor stap versterkt (geleidelijk, geen harde overgang)."),
    ("Beekdal", "Wijkteam Noord", "2023",
     "Na de reorganisatie is er onrust in het team: medewerkers ervaren weinig steun en veel verloop."),
    ("Beekdal", "Wijkteam Dorpen", "2024-05",
     "Tijdelijke sluiting van het dorpshuis, spreekuren verplaatst naar de bibliotheek."),
    ("Oosterwaarde", "", "2022",
     "Geen beleidswijzigingen in deze periode: de cijfers zijn stabiel."),
    ("Oosterwaarde", "Wijkteam Centrum", "2025-Q2",
     "Cliënten waarderen de inloop in het buurtcafé, de opkomst is goed."),
)

MANIFEST_KOLOMMEN = ("tabel", "rij", "kolom", "regel")


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _ids(prefix: str, nummers: np.ndarray, breedte: int) -> np.ndarray:
    """Vectorised ``f"{prefix}{n:0{breedte}d}"`` for an integer array."""
    s = np.strings.zfill(np.asarray(nummers, dtype=np.int64).astype(np.str_), breedte)
    return np.strings.add(prefix, s)


def _datums(d: np.ndarray) -> pd.Series:
    """datetime64[D] with NaT -> pandas datetime64[ns] Series."""
    return pd.Series(np.asarray(d, dtype="datetime64[D]").astype("datetime64[ns]"))


def _kies(rng: np.random.Generator, kansen: np.ndarray) -> np.ndarray:
    """One categorical draw per row of ``kansen`` (rows sum to 1), vectorised."""
    cum = np.cumsum(kansen, axis=1)
    cum[:, -1] = 1.0
    u = rng.random(len(kansen))[:, None]
    return (u > cum).sum(axis=1)


def _gamma_dagen(rng, vorm, schaal, n) -> np.ndarray:
    return np.rint(rng.gamma(vorm, schaal, n)).astype(np.int64)


# ---------------------------------------------------------------------------
# In-memory generation
# ---------------------------------------------------------------------------


def _teams(gemeenten: dict[str, tuple[tuple[str, float], ...]]) -> pd.DataFrame:
    rijen = []
    for gi, (g, teams) in enumerate(gemeenten.items()):
        for t, vol in teams:
            rijen.append((g, gi, t, vol))
    return pd.DataFrame(rijen, columns=["gemeente", "gem_idx", "wijkteam", "volume"])


def genereer_tabellen(seed: int = 2026, schaal: float = 1.0, *,
                      gemeenten: dict[str, tuple[tuple[str, float], ...]] | None = None,
                      inwoners: np.ndarray | None = None) -> dict[str, pd.DataFrame]:
    """Generate the seven contract tables in memory (no I/O).

    Parameters
    ----------
    seed : int
        Seed of :func:`numpy.random.default_rng`; the same seed gives identical frames.
    schaal : float
        Volume multiplier: 1.0 gives about 10,000 trajecten, 100 about a million.
        Formatie and inwoners scale along; the enquête does not.
    gemeenten : dict, optional
        gemeente -> ((wijkteam, relative volume), ...) instead of :data:`GEMEENTEN` (the
        national set, :func:`genereer_landelijk`). A planted effect applies only when its
        fictional gemeente (and team) is among them; without :data:`GEMEENTEN` there is no
        ``wijken`` table (its boundaries exist for the fictional gemeenten only).
    inwoners : array, optional
        Inwoners per team (in the order of ``gemeenten``) in 2024, written exactly into
        ``bevolking`` (other years along the same growth) instead of deriving them from the
        volume.

    Returns
    -------
    dict[str, DataFrame]
        Keys ``trajecten, inzet, zrm, formatie, enquete, bevolking, toelichting, personeel,
        begroting`` with
        exactly the contract columns (:data:`monitoranalyse.contract.TABELLEN`) in
        contract order. Types: ids/text/categories ``str``, dates ``datetime64[ns]``
        (NaT = empty), ``geheel`` ``Int64``, ``getal`` ``float64``, ``maand`` ``str``
        (``jjjj-mm``). The team-level tables carry a filled ``gemeente`` column.

    Notes
    -----
    The process per traject: melding (Poisson per team per day with seasonality,
    weekday pattern, late-December dip and the planted growth of Lindeveen Wijkteam
    Oost) -> intake (log-normal doorlooptijd) -> plan -> 1-4 inzet rows along the
    zwaarte ladder -> einde. P(any maatwerk) follows one logistic model
    (:data:`GEPLANT` ``["maatwerkmodel"]``). Dates after the peildatum
    (2025-12-31) are empty; trajecten from 2020 that were still open on 2021-01-01 are
    included as the beginvoorraad. Written by us: no library generates this domain.
    """
    if schaal <= 0:
        raise ValueError("schaal moet groter dan 0 zijn")
    eigen_gemeenten = gemeenten is None
    gemeenten = GEMEENTEN if gemeenten is None else gemeenten
    rng = np.random.default_rng(seed)
    teams = _teams(gemeenten)
    nteam = len(teams)
    is_lv = (teams["gemeente"] == "Lindeveen").to_numpy()
    team_idx = {(r.gemeente, r.wijkteam): i for i, r in enumerate(teams.itertuples())}
    # -1 = the planted team is not in this data (national set): no team index matches it
    ZUID = team_idx.get(("Lindeveen", "Wijkteam Zuid"), -1)
    WEST = team_idx.get(("Lindeveen", "Wijkteam West"), -1)
    CENTRUM = team_idx.get(("Lindeveen", "Wijkteam Centrum"), -1)
    OOST = team_idx.get(("Lindeveen", "Wijkteam Oost"), -1)
    gem_index = {g: i for i, g in enumerate(gemeenten)}
    gem_van_team = teams["gem_idx"].to_numpy()

    # --- meldingen: Poisson per team per day --------------------------------------
    dagen = np.arange(_AANLOOP, _PEIL + 1, dtype="datetime64[D]")
    maand = dagen.astype("datetime64[M]").astype(int) % 12  # 0 = januari
    dag_in_maand = (dagen - dagen.astype("datetime64[M]")).astype(int) + 1
    weekdag = (dagen.astype(int) + 3) % 7  # 0 = maandag
    factor = _SEIZOEN[maand] * np.where(weekdag < 5, 1.3, 0.25)
    factor = factor * np.where((maand == 11) & (dag_in_maand >= 22), _KERSTDIP, 1.0)
    jaren_sinds = (dagen - _START).astype(float) / 365.25
    intens = (
        teams["volume"].to_numpy()[:, None]
        * (_BASIS_PER_MAAND * 12 / 365.25 * schaal)
        * factor[None, :]
    )
    if OOST >= 0:
        intens[OOST] *= (1 + GEPLANT["groeiende_instroom"]["groei_per_jaar"]) ** jaren_sinds
    aantal = rng.poisson(intens)
    t_team = np.repeat(np.repeat(np.arange(nteam), len(dagen)), aantal.ravel())
    melding = np.repeat(np.tile(dagen, nteam), aantal.ravel())
    n = len(melding)
    gem = gem_van_team[t_team]
    centrum = t_team == CENTRUM

    # --- case-mix --------------------------------------------------------------------
    jeugd = rng.random(n) < np.where(centrum, 0.18, 0.32)
    leeftijd_v = np.clip(np.rint(rng.normal(np.where(centrum, 60, 47), 17, n)), 18, 99)
    leeftijd = np.where(jeugd, rng.integers(0, 18, n), leeftijd_v).astype(np.int64)
    meervoudig = rng.random(n) < np.where(centrum, 0.62, 0.35)
    latent = 3.35 - 0.55 * meervoudig - 0.35 * centrum + rng.normal(0, 0.35, n)
    zrm0 = np.clip(
        np.rint(latent[:, None] + _ZRM_OFFSET[None, :] + rng.normal(0, 0.75, (n, 13))), 1, 5
    ).astype(np.int8)
    zrm_start = zrm0.mean(axis=1)

    # --- doorlooptijden --------------------------------------------------------------
    zuid = t_team == ZUID
    d_intake = np.maximum(1, np.rint(rng.lognormal(np.log(np.where(zuid, 30, 14)), 0.55, n)))
    d_plan = np.maximum(1, np.rint(rng.lognormal(np.log(np.where(zuid, 26, 16)), 0.5, n)))
    intake = melding + d_intake.astype("timedelta64[D]")
    plan = intake + d_plan.astype("timedelta64[D]")
    jaren_plan = (plan - _START).astype(float) / 365.25
    beleid_datum = np.datetime64(GEPLANT["beleidswijziging"]["datum"])
    na_beleid = is_lv[t_team] & (plan >= beleid_datum)

    # --- maatwerk: one logistic model ----------------------------------------------
    eta = (
        _MW["intercept"]
        + _MW["leeftijd_per_10_jaar"] * (leeftijd - 40) / 10
        + _MW["meervoudig"] * meervoudig
        + _MW["zrm_start"] * (zrm_start - 3)
        + _MW["na_beleid"] * na_beleid
        + _MW["wijkteam_west"] * (t_team == WEST)
    )
    maatwerk = rng.random(n) < 1 / (1 + np.exp(-eta))

    # --- inzet counts along the zwaarte ladder -----------------------------------------
    L = np.where(
        maatwerk,
        _kies(rng, np.tile([0.3, 0.5, 0.2], (n, 1))),
        1 + _kies(rng, np.tile([0.6, 0.32, 0.08], (n, 1))),
    )
    M = np.where(maatwerk, 1 + (rng.random(n) < 0.25), 0)
    beekdal = gem == gem_index.get("Beekdal", -1)
    kans_x = np.where(na_beleid, GEPLANT["beleidswijziging"]["extra_voorliggend_kans"], 0.0)
    kans_x = np.where(beekdal, np.clip(0.13 * jaren_plan, 0, None), kans_x)
    X = ((rng.random(n) < kans_x) & (L + M < 4)).astype(np.int64)
    per_traject = L + M + X

    ri = np.repeat(np.arange(n), per_traject)  # traject index per inzet row
    eerste = np.cumsum(per_traject) - per_traject
    pos = np.arange(len(ri)) - eerste[ri]
    nr = len(ri)
    soort = np.where(pos < X[ri], 0, np.where(pos < (X + L)[ri], 1, 2))  # 0 vl, 1 licht, 2 mw
    licht_vorm = _kies(rng, np.tile([0.2, 0.2, 0.2, 0.4], (nr, 1)))  # index in VORMEN[:4]
    is_jeugd_r = jeugd[ri]
    vorm = np.where(soort == 0, 2, np.where(soort == 1, licht_vorm, np.where(is_jeugd_r, 5, 4)))
    mw = soort == 2
    mw_k = pos - (X + L)[ri]

    plan_r = plan[ri]
    start_licht = plan_r + (pos * rng.integers(3, 25, nr) + rng.integers(0, 8, nr)).astype(
        "timedelta64[D]"
    )
    aanvraag = plan_r + (rng.integers(0, 15, nr) + mw_k * rng.integers(20, 90, nr)).astype(
        "timedelta64[D]"
    )
    bt = np.where(is_jeugd_r, _gamma_dagen(rng, 4, 8.0, nr), _gamma_dagen(rng, 4, 2.3, nr))
    beschikking_ja = rng.random(nr) >= 0.02
    d_besch = aanvraag + bt.astype("timedelta64[D]")
    wacht = np.where(is_jeugd_r, _gamma_dagen(rng, 2, 18.0, nr), _gamma_dagen(rng, 2, 7.0, nr))
    start = np.where(mw, d_besch + wacht.astype("timedelta64[D]"), start_licht)
    duur = np.where(
        mw,
        np.where(is_jeugd_r, _gamma_dagen(rng, 2, 100, nr), _gamma_dagen(rng, 2, 120, nr)) + 30,
        np.where(vorm == 3, _gamma_dagen(rng, 2, 45, nr), _gamma_dagen(rng, 2, 30, nr)) + 7,
    )

    # traject end: after the last inzet start
    traject_duur = np.where(
        maatwerk, _gamma_dagen(rng, 2.2, 120, n) + 30, _gamma_dagen(rng, 2.2, 60, n) + 20
    )
    einde = plan + traject_duur.astype("timedelta64[D]")
    laatste = np.full(n, np.datetime64("1900-01-01"), dtype="datetime64[D]")
    np.maximum.at(laatste, ri, start)
    einde = np.maximum(einde, laatste + np.timedelta64(14, "D"))
    inzet_einde = np.minimum(start + duur.astype("timedelta64[D]"), einde[ri])

    # kosten (toegekend bedrag): the yearly price of the product times the indicatieduur of
    # the beschikking (incl. renewals), which runs on after the wijkteam closes its traject;
    # the indicatieduur comes from its own random stream [seed, 17] (every other value is the
    # same as before it existed). See _INDICATIEDUUR for the orders of magnitude.
    rng_i = np.random.default_rng([seed, 17])
    indicatie_jaren = {
        soort: rng_i.gamma(_INDICATIEDUUR[soort][0], _INDICATIEDUUR[soort][1], nr)
        for soort in ("wmo", "jeugd")
    }
    kosten = np.full(nr, np.nan)
    prodcat = np.full(nr, "", dtype="<U2")
    for producten, sel in ((_WMO_PRODUCTEN, mw & ~is_jeugd_r), (_JEUGD_PRODUCTEN, mw & is_jeugd_r)):
        codes = np.array([p[0] for p in producten])
        w = np.array([p[1] for p in producten])
        prijs = np.array([p[2] for p in producten], dtype=float)
        eenmalig = np.array([p[3] for p in producten])
        kansen = np.tile(w / w.sum(), (nr, 1))
        if producten is _JEUGD_PRODUCTEN:
            # the planted shift to verblijf: the same one uniform draw per row as elsewhere
            # (other rows keep their category), only the weights of Beekdal's rows change
            vj = GEPLANT["verblijf_jeugd"]
            rij = sel & (gem[ri] == gem_index.get(vj["gemeente"], -1))
            jaar = start.astype("datetime64[Y]").astype(int) + 1970
            doel = np.clip(vj["aandeel_2021"] + vj["pp_per_jaar"] / 100 * (jaar - 2021), 0.01, 0.9)
            verbl = np.isin(codes, vj["codes"])
            basis = kansen[0, verbl].sum()
            kansen[rij] = np.where(verbl, kansen[rij] / basis * doel[rij, None],
                                   kansen[rij] / (1 - basis) * (1 - doel[rij, None]))
        k = _kies(rng, kansen)
        jaren_ind = indicatie_jaren["jeugd" if producten is _JEUGD_PRODUCTEN else "wmo"]
        bedrag = prijs[k] * np.where(eenmalig[k], 1.0, jaren_ind) * rng.lognormal(0, 0.25, nr)
        kosten = np.where(sel, np.round(bedrag, 2), kosten)
        prodcat = np.where(sel, codes[k], prodcat)
    av = vorm == 2
    kosten = np.where(av, np.round(rng.lognormal(np.log(150), 0.6, nr), 2), kosten)

    # --- einde, reden, doelen, tevredenheid ---------------------------------------------
    p_reden = np.tile([0.36, 0.20, 0.14, 0.06, 0.02, 0.16, 0.06], (n, 1))
    p_reden[leeftijd >= 75, 4] = 0.10
    p_reden[na_beleid, 1] = GEPLANT["beleidswijziging"]["afschaling_na"] / (
        GEPLANT["beleidswijziging"]["afschaling_voor"]
    ) * 0.20
    p_reden /= p_reden.sum(axis=1, keepdims=True)
    reden = _kies(rng, p_reden)
    doelen_gesteld = 1 + rng.binomial(3, 0.4, n)
    p_behaald = np.array([0.9, 0.7, 0.35, 0.3, 0.2, 0.2, 0.3])[reden]
    doelen_behaald = rng.binomial(doelen_gesteld, p_behaald)
    tevreden = np.clip(
        np.rint(rng.normal(7.3 + 0.5 * (reden == 0) - 0.8 * (reden == 5), 1.2, n)), 1, 10
    )
    tevreden_respons = rng.random(n) < 0.75

    # --- ZRM measurements: start (intake), halfway (some), end (most closed) ------------
    soort_verloop = _kies(rng, np.tile([0.62, 0.23, 0.15], (n, 1)))
    g = np.select(
        [soort_verloop == 0, soort_verloop == 1],
        [rng.uniform(0.3, 1.1, n), np.zeros(n)],
        -rng.uniform(0.3, 0.9, n),
    )
    ruis = rng.normal(0, 0.3, (n, 13))
    zrm_eind = np.clip(zrm0 + np.rint(g[:, None] + ruis), 1, 5).astype(np.int8)
    zrm_half = np.clip(zrm0 + np.rint(g[:, None] / 2 + ruis * 0.8), 1, 5).astype(np.int8)
    looptijd = (einde - intake).astype(int)
    heeft_half = (looptijd >= 120) & (rng.random(n) < 0.45)
    datum_half = intake + (looptijd // 2).astype("timedelta64[D]")
    heeft_eind = rng.random(n) < 0.85

    # --- other ids ------------------------------------------------------------------------
    medewerker_nr = rng.integers(0, 1000, n)
    wijk_nr = rng.integers(0, 3, n)

    # --- selection: meldingen 2021+, or still open on 2021-01-01 -------------------------
    houd = (melding >= _START) | (einde >= _START)
    # sort: gemeente, melding, team (ids are given in that order)
    volgorde = np.lexsort((t_team, melding, gem))
    volgorde = volgorde[houd[volgorde]]
    nieuw = np.full(n, -1, dtype=np.int64)
    nieuw[volgorde] = np.arange(len(volgorde))
    nk = len(volgorde)

    def na_peil(d):
        return np.where(d <= _PEIL, d, np.datetime64("NaT"))

    o = volgorde
    intake_o, plan_o, einde_o = na_peil(intake[o]), na_peil(plan[o]), na_peil(einde[o])
    plan_o = np.where(np.isnat(intake_o), np.datetime64("NaT"), plan_o)
    einde_o = np.where(np.isnat(plan_o), np.datetime64("NaT"), einde_o)
    gesloten = ~np.isnat(einde_o)

    traject_id = pd.Series(_ids("T", np.arange(1, nk + 1), 7), dtype="str")
    teamnaam = teams["wijkteam"].to_numpy()[t_team[o]]
    gemnaam = teams["gemeente"].to_numpy()[t_team[o]]
    # client: mostly one traject each; about 8% is a renewed melding of an earlier client
    client_nr = np.arange(1, nk + 1)
    terug = rng.integers(1, 60, nk)
    bron = np.arange(nk) - terug
    herhaal = (rng.random(nk) < 0.08) & (bron >= 0)
    herhaal &= np.where(bron >= 0, t_team[o][np.maximum(bron, 0)] == t_team[o], False)
    client_nr = np.where(herhaal, client_nr[np.maximum(bron, 0)], client_nr)
    wijk_index = (t_team[o] * 3 + wijk_nr[o]) % len(_WIJKEN)

    def geheel(x, mask):
        return pd.Series(pd.array(x, dtype="Int64")).mask(~mask)

    trajecten = pd.DataFrame(
        {
            "traject_id": traject_id,
            "client_id": pd.Series(_ids("C", client_nr, 7), dtype="str"),
            "gemeente": pd.Series(gemnaam, dtype="str"),
            "wijkteam": pd.Series(teamnaam, dtype="str"),
            "datum_melding": _datums(melding[o]),
            "huishouden_id": pd.Series(_ids("H", client_nr, 7), dtype="str"),
            "wijk": pd.Series(np.array(_WIJKEN)[wijk_index], dtype="str"),
            "medewerker_id": pd.Series(
                _ids("M", t_team[o] * 1000 + medewerker_nr[o] % 12 + 1, 5), dtype="str"
            ),
            "leeftijd": pd.Series(pd.array(leeftijd[o], dtype="Int64")),
            "problematiek": pd.Series(
                np.where(meervoudig[o], "meervoudig", "enkelvoudig"), dtype="str"
            ),
            "datum_intake": _datums(intake_o),
            "datum_plan": _datums(plan_o),
            "datum_einde": _datums(einde_o),
            "reden_einde": pd.Series(
                np.where(gesloten, np.array(REDENEN_EINDE)[reden[o]], None), dtype="str"
            ),
            "doelen_gesteld": geheel(doelen_gesteld[o], ~np.isnat(plan_o)),
            "doelen_behaald": geheel(doelen_behaald[o], gesloten),
            "tevredenheid": pd.Series(
                np.where(gesloten & tevreden_respons[o], tevreden[o], np.nan), dtype="float64"
            ),
        }
    )

    # inzet: rows of kept trajecten with a plan, started on or before the peildatum
    rnieuw = nieuw[ri]
    plan_ok = np.zeros(n, dtype=bool)
    plan_ok[o] = ~np.isnat(plan_o)
    rhoud = (rnieuw >= 0) & plan_ok[ri] & (start <= _PEIL)
    rsort = np.lexsort((pos, rnieuw))
    rsort = rsort[rhoud[rsort]]
    mw_s = mw[rsort]
    besch_s = beschikking_ja[rsort]
    inzet = pd.DataFrame(
        {
            "inzet_id": pd.Series(_ids("I", np.arange(1, len(rsort) + 1), 8), dtype="str"),
            "traject_id": traject_id.take(rnieuw[rsort]).reset_index(drop=True),
            "vorm": pd.Series(np.array(VORMEN)[vorm[rsort]], dtype="str"),
            "datum_start": _datums(start[rsort]),
            "datum_einde": _datums(na_peil(inzet_einde[rsort])),
            "productcategorie": pd.Series(
                np.where(mw_s, prodcat[rsort], None), dtype="str"
            ),
            "kosten": pd.Series(kosten[rsort], dtype="float64"),
            "beschikking": pd.Series(
                np.where(mw_s, np.where(besch_s, "ja", "nee"), None), dtype="str"
            ),
            "datum_aanvraag": _datums(np.where(mw_s, aanvraag[rsort], np.datetime64("NaT"))),
            "datum_beschikking": _datums(
                np.where(mw_s & besch_s, d_besch[rsort], np.datetime64("NaT"))
            ),
        }
    )

    # zrm long table
    delen = []
    intake_ok = np.zeros(n, dtype=bool)
    intake_ok[o] = ~np.isnat(intake_o)
    einde_ok = np.zeros(n, dtype=bool)
    einde_ok[o] = gesloten
    for mask, datum, scores in (
        (intake_ok, intake, zrm0),
        (intake_ok & heeft_half & (datum_half <= _PEIL), datum_half, zrm_half),
        (einde_ok & heeft_eind, einde, zrm_eind),
    ):
        idx = np.flatnonzero(mask & (nieuw >= 0))
        delen.append((nieuw[idx], datum[idx], scores[idx]))
    z_t = np.concatenate([d[0] for d in delen])
    z_d = np.concatenate([d[1] for d in delen])
    z_s = np.concatenate([d[2] for d in delen])
    zs = np.lexsort((z_d, z_t))
    z_t, z_d, z_s = z_t[zs], z_d[zs], z_s[zs]
    zrm = pd.DataFrame(
        {
            "traject_id": traject_id.take(np.repeat(z_t, 13)).reset_index(drop=True),
            "datum": _datums(np.repeat(z_d, 13)),
            "domein": pd.Series(ZRM_DOMEINEN, dtype="str")
            .take(np.tile(np.arange(13), len(z_t)))
            .reset_index(drop=True),
            "score": pd.Series(pd.array(z_s.ravel().astype(np.int64), dtype="Int64")),
        }
    )

    team_tabellen = _team_tabellen(rng, teams, schaal, ZUID, OOST, inwoners)
    # datum_verslag (optional contract column): the onderzoek ends with a verslag (Wmo 2015
    # art. 2.3.2 lid 8) a few days to weeks after the intake (median 10 days). Drawn from its
    # own random stream, so every other value is the same as without this column.
    rng_v = np.random.default_rng([seed, 10])
    extra = np.rint(rng_v.lognormal(np.log(10), 0.6, len(trajecten)))
    verslag = trajecten["datum_intake"] + pd.to_timedelta(extra, unit="D")
    trajecten["datum_verslag"] = verslag.where(verslag <= pd.Timestamp(PEILDATUM))
    _gezinnen(trajecten, seed)
    tabellen = {"trajecten": trajecten, "inzet": inzet, "zrm": zrm, **team_tabellen}
    f = tabellen["formatie"]
    # teamkosten (optional contract column): Oosterwaarde delivers its own team costs (its
    # loonkosten per fte are GEPLANT["teamkosten_eigen"]); the others leave it empty and
    # get fte x [kosten] fte_tarief from monitor.toml
    eigen = f["gemeente"] == GEPLANT["teamkosten_eigen"]["gemeente"]
    f["teamkosten"] = np.where(eigen, np.round(f["fte"] * GEPLANT["teamkosten_eigen"]["per_fte"] / 12, 2),
                               np.nan)
    tabellen["bevolking"] = _leeftijdsgroepen(tabellen["bevolking"])
    tabellen["personeel"] = _personeel(tabellen["formatie"], seed)
    tabellen["begroting"] = _begroting(tabellen, seed, list(gemeenten))
    if eigen_gemeenten:
        tabellen["wijken"] = _wijken(tabellen["bevolking"])
    return tabellen


# ---------------------------------------------------------------------------
# Issue 15: wijken (inwoners per wijk), synthetic wijkgrenzen and a KWB-shaped extract
# ---------------------------------------------------------------------------

#: Fictional CBS gemeentecodes of the sample (real codes end far below 9900), so a sample
#: wijkcode (WK990101 ...) can never be mistaken for a real CBS wijk.
GEMEENTECODES = {"Lindeveen": "9901", "Beekdal": "9902", "Oosterwaarde": "9903"}
#: A wijk in the synthetic boundaries of Beekdal without any traject or inwoners row: the
#: sample shows how the quality table lists boundaries and data that do not match.
EXTRA_GRENS = {"gemeente": "Beekdal", "wijk": "Nieuwe Polder"}
#: Origin (RD New, metres) of each sample gemeente's grid of wijken; size of a wijk cell.
_OORSPRONG = {"Lindeveen": (140000, 450000), "Beekdal": (170000, 440000), "Oosterwaarde": (200000, 470000)}
_CEL = 1500


def wijk_indeling() -> pd.DataFrame:
    """Which wijken each sample wijkteam serves (the same rule as the trajecten generator:
    team i of :func:`_teams` serves wijken ``(3i + k) mod 20``, k = 0, 1, 2), with the
    fictional wijkcode. Columns gemeente, wijkteam, wijk, wijkcode (sorted by gemeente,
    wijk within the gemeente numbered in alphabetical order)."""
    teams = _teams(GEMEENTEN)
    rijen = [(r.gemeente, r.wijkteam, _WIJKEN[(i * 3 + k) % len(_WIJKEN)])
             for i, r in enumerate(teams.itertuples()) for k in range(3)]
    df = pd.DataFrame(rijen, columns=["gemeente", "wijkteam", "wijk"])
    codes = {}
    for g, deel in df.groupby("gemeente", sort=False):
        for nr, w in enumerate(sorted(deel["wijk"].unique()), start=1):
            codes[(g, w)] = f"WK{GEMEENTECODES[g]}{nr:02d}"
    df["wijkcode"] = [codes[(g, w)] for g, w in zip(df["gemeente"], df["wijk"])]
    return df


def _wijken(bevolking: pd.DataFrame) -> pd.DataFrame:
    """Inwoners per wijk and year: each team's inwoners (total row) spread evenly over the
    three wijken it serves (the trajecten draw the wijk uniformly from those three), so a
    wijk served by two teams gets a share of both. No random numbers: every other table of
    the sample stays byte-identical."""
    tot = bevolking[bevolking["leeftijdsgroep"].isna()]
    ind = wijk_indeling()
    m = ind.merge(tot[["gemeente", "wijkteam", "jaar", "inwoners"]], on=["gemeente", "wijkteam"])
    m["inwoners"] = m["inwoners"].astype("float64") / 3
    uit = m.groupby(["gemeente", "wijk", "wijkcode", "jaar"], as_index=False, sort=False)["inwoners"].sum()
    uit["inwoners"] = pd.array(np.rint(uit["inwoners"]).astype(np.int64), dtype="Int64")
    uit["jaar"] = pd.array(uit["jaar"].astype(np.int64), dtype="Int64")
    uit = uit.sort_values(["gemeente", "wijkcode", "jaar"], kind="stable").reset_index(drop=True)
    for k in ("gemeente", "wijk", "wijkcode"):
        uit[k] = uit[k].astype("str")
    return uit[["gemeente", "wijk", "jaar", "inwoners", "wijkcode"]]


def wijkgrenzen(gemeente: str | None = None):
    """Synthetic wijk boundaries of the sample in the format of the CBS Wijk- en Buurtkaart:
    columns WK_CODE, WK_NAAM, GM_CODE, GM_NAAM and square polygons on a grid in RD New
    (EPSG:28992), one cell of 1,5 km per wijk, plus :data:`EXTRA_GRENS`. Built with shapely /
    geopandas (no hand-written geometry code beyond the corner coordinates)."""
    import geopandas as gpd
    from shapely.geometry import box

    ind = wijk_indeling().drop_duplicates(["gemeente", "wijk"]).sort_values(["gemeente", "wijkcode"])
    rijen = [(r.gemeente, r.wijk, r.wijkcode) for r in ind.itertuples()]
    extra = EXTRA_GRENS
    n_extra = int((ind["gemeente"] == extra["gemeente"]).sum()) + 1
    rijen.append((extra["gemeente"], extra["wijk"], f"WK{GEMEENTECODES[extra['gemeente']]}{n_extra:02d}"))
    uit = []
    for g in GEMEENTEN:
        deel = [r for r in rijen if r[0] == g]
        kolommen = int(np.ceil(np.sqrt(len(deel))))
        x0, y0 = _OORSPRONG[g]
        for i, (_, w, code) in enumerate(deel):
            x, y = x0 + (i % kolommen) * _CEL, y0 - (i // kolommen) * _CEL
            uit.append({"WK_CODE": code, "WK_NAAM": w, "GM_CODE": f"GM{GEMEENTECODES[g]}", "GM_NAAM": g,
                        "geometry": box(x, y - _CEL, x + _CEL, y)})
    gdf = gpd.GeoDataFrame(uit, geometry="geometry", crs="EPSG:28992")
    if gemeente is not None:
        gdf = gdf[gdf["GM_NAAM"] == gemeente].reset_index(drop=True)
    return gdf


def schrijf_wijkgrenzen(pad: str | Path, gemeente: str | None = None) -> Path:
    """Write :func:`wijkgrenzen` as GeoJSON with the RD New CRS named (as GDAL writes it), with
    the standard library's json so the bytes are the same on every machine."""
    import json

    gdf = wijkgrenzen(gemeente)
    features = []
    for r in gdf.itertuples():
        ring = [[int(round(x)), int(round(y))] for x, y in r.geometry.exterior.coords]
        features.append({"type": "Feature",
                         "properties": {"WK_CODE": r.WK_CODE, "WK_NAAM": r.WK_NAAM,
                                        "GM_CODE": r.GM_CODE, "GM_NAAM": r.GM_NAAM},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    doc = {"type": "FeatureCollection", "name": "wijkgrenzen",
           "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
           "features": features}
    pad = Path(pad)
    pad.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return pad


#: Columns of the synthetic KWB-shaped extract (CBS short names; a subset of the real file).
KWB_KOLOMMEN = ("gwb_code_10", "regio", "gm_naam", "recs", "a_inw", "a_00_14", "a_15_24", "a_65_oo",
                "TotaalJongerenMetJeugdzorgInNatura_1", "year")


def kwb_wijken(wijken: pd.DataFrame, seed: int = 2026) -> pd.DataFrame:
    """A tiny SYNTHETIC extract in the shape of CBS Kerncijfers wijken en buurten joined with
    jeugdzorg in natura per wijk (column names as the real file in
    ``../shared/data/cbs/wijken``), for the sample wijken in 2022: inwoners as in ``wijken``
    (CBS rounds to 5), age bands and jongeren met jeugdzorg drawn around the Dutch levels
    (~16% 0-14, ~12% 15-24, ~20% 65+; ~11% of the 0-22 year olds with jeugdzorg). Own random
    stream ``[seed, 15]``; the numbers describe nobody."""
    rng = np.random.default_rng([seed, 15])
    w = wijken[wijken["jaar"] == 2022].reset_index(drop=True)
    n = len(w)
    inw = (np.rint(w["inwoners"].astype(float).to_numpy() / 5) * 5).astype(np.int64)
    jong = rng.uniform(0.12, 0.20, n)
    tiener = rng.uniform(0.09, 0.15, n)
    oud = rng.uniform(0.14, 0.27, n)
    jz = rng.uniform(0.07, 0.15, n) * inw * (jong + tiener)
    rond5 = lambda x: (np.rint(x / 5) * 5).astype(np.int64)  # noqa: E731
    return pd.DataFrame({
        "gwb_code_10": w["wijkcode"].to_numpy(), "regio": w["wijk"].to_numpy(),
        "gm_naam": w["gemeente"].to_numpy(), "recs": "Wijk", "a_inw": inw,
        "a_00_14": rond5(inw * jong), "a_15_24": rond5(inw * tiener), "a_65_oo": rond5(inw * oud),
        "TotaalJongerenMetJeugdzorgInNatura_1": rond5(jz), "year": 2022,
    })[list(KWB_KOLOMMEN)]


def _gezinnen(trajecten: pd.DataFrame, seed: int) -> None:
    """Households with more than one traject, and who is their regisseur (in place).

    About 25% of the trajecten (:data:`GEPLANT` ``["meer_regisseurs"]``) belong to the
    household of an earlier traject of the same team (a gezinslid: partner or child),
    gemeld 1-24 meldingen earlier in that team. When that earlier traject is still open at
    the new melding, the new traject gets the same regisseur with probability 0.85
    ("één huishouden, één regisseur") -- except in Beekdal Wijkteam Zuid (0.15): the
    planted team where households get several regisseurs. Own random stream
    ``[seed, 14]``: every other value of the sample stays the same.
    """
    plant = GEPLANT["meer_regisseurs"]
    rng = np.random.default_rng([seed, 14])
    n = len(trajecten)
    if n == 0:
        return
    team = pd.factorize(trajecten["gemeente"] + "|" + trajecten["wijkteam"])[0]
    melding = trajecten["datum_melding"].to_numpy()
    einde = trajecten["datum_einde"].to_numpy()
    volgorde = np.lexsort((np.arange(n), melding, team))  # per team, in melding order
    koppel = rng.random(n) < plant["kans_gezinslid"]
    terug = rng.integers(1, 25, n)
    u = rng.random(n)
    k = np.arange(n)
    bron_k = k - terug
    ok = koppel & (bron_k >= 0)
    ok[ok] &= team[volgorde[bron_k[ok]]] == team[volgorde[k[ok]]]
    i = volgorde[k[ok]]
    b = volgorde[bron_k[ok]]
    hh = trajecten["huishouden_id"].to_numpy(dtype=object).copy()
    hh[i] = hh[b]
    trajecten["huishouden_id"] = pd.Series(hh, dtype="str")
    parallel = pd.isna(einde[b]) | (einde[b] > melding[i])
    planted = ((trajecten["gemeente"].to_numpy()[i] == plant["gemeente"])
               & (trajecten["wijkteam"].to_numpy()[i] == plant["wijkteam"]))
    kans = np.where(planted, plant["kans_zelfde_regisseur"], plant["kans_zelfde_regisseur_overig"])
    zelfde = parallel & (u[i] < kans)
    mw = trajecten["medewerker_id"].to_numpy(dtype=object).copy()
    mw[i[zelfde]] = mw[b[zelfde]]
    trajecten["medewerker_id"] = pd.Series(mw, dtype="str")


#: Age structure of the werkgebieden (issue 14, bereik per leeftijdsgroep): about the Dutch
#: population (CBS 2024: ~20% under 18, ~60% 18-64, ~20% 65 and older).
_LEEFTIJDSGROEPEN = (("0-17", 0.20), ("18-64", 0.60), ("65+", 0.20))


def _leeftijdsgroepen(bevolking: pd.DataFrame) -> pd.DataFrame:
    """The total row per team and year (leeftijdsgroep empty) followed by one row per
    leeftijdsgroep; the groups add up to the total (18-64 takes the rounding)."""
    b = bevolking.assign(leeftijdsgroep=pd.Series([None] * len(bevolking), dtype="str"),
                         _rij=np.arange(len(bevolking)))
    delen = [b]
    jong = (b["inwoners"] * _LEEFTIJDSGROEPEN[0][1]).round().astype("Int64")
    oud = (b["inwoners"] * _LEEFTIJDSGROEPEN[2][1]).round().astype("Int64")
    for (g, _), n in zip(_LEEFTIJDSGROEPEN, (jong, b["inwoners"] - jong - oud, oud)):
        delen.append(b.assign(inwoners=n.astype("Int64"), leeftijdsgroep=g))
    uit = pd.concat(delen, ignore_index=True)
    volgorde = {g: i for i, (g, _) in enumerate(_LEEFTIJDSGROEPEN, start=1)}
    uit["_o"] = uit["leeftijdsgroep"].map(volgorde).fillna(0)
    uit = uit.sort_values(["_rij", "_o"], kind="stable").drop(columns=["_o", "_rij"])
    return uit.reset_index(drop=True)[["wijkteam", "jaar", "inwoners", "gemeente", "leeftijdsgroep"]]


def _personeel(formatie: pd.DataFrame, seed: int) -> pd.DataFrame:
    """personeel per team per month (own random stream ``[seed, 15]``).

    bezetting ~95% of the formatie, verzuim ~5.5% (order of magnitude: Vernet, sector
    zorg en welzijn 2023 ~7%; CBS 80072NED, ziekteverzuim alle bedrijven ~5%) with the
    planted rise in Lindeveen Wijkteam Zuid (6% in 2021 -> 13% in 2025, linear), verloop
    ~15% per year (Poisson uitstroom), vacatures = formatie - bezetting.
    """
    plant = GEPLANT["verzuim_stijgt"]
    rng = np.random.default_rng([seed, 15])
    f = formatie
    n = len(f)
    maand = pd.to_datetime(f["maand"] + "-01")
    jaren = (maand.dt.year + (maand.dt.month - 1) / 12 - 2021).to_numpy()
    bezet = np.round(f["fte"].to_numpy() * np.clip(rng.normal(0.95, 0.03, n), 0.8, 1.0), 1)
    zuid = ((f["gemeente"] == plant["gemeente"]) & (f["wijkteam"] == plant["wijkteam"])).to_numpy()
    stijging = (plant["verzuim_2025"] - plant["verzuim_2021"]) / 4.92  # up to December 2025
    mu = np.where(zuid, plant["verzuim_2021"] + stijging * jaren, plant["verzuim_overig"])
    verzuim = np.round(np.clip(rng.normal(mu, 1.5, n), 0, 100), 1)
    uit = rng.poisson(0.15 / 12 * bezet / 0.8)  # persons: about 0.8 fte per medewerker
    instroom = rng.poisson(0.15 / 12 * bezet / 0.8)
    vacatures = np.round(np.clip(f["fte"].to_numpy() - bezet, 0, None), 1)
    return pd.DataFrame(
        {
            "wijkteam": f["wijkteam"].astype("str"),
            "maand": f["maand"].astype("str"),
            "fte_bezet": bezet.astype("float64"),
            "verzuim_pct": verzuim.astype("float64"),
            "instroom_medewerkers": pd.array(instroom, dtype="Int64"),
            "uitstroom_medewerkers": pd.array(uit, dtype="Int64"),
            "vacatures_fte": vacatures.astype("float64"),
            "gemeente": f["gemeente"].astype("str"),
        }
    ).reset_index(drop=True)


def _begroting(tabellen: dict[str, pd.DataFrame], seed: int, gemeenten: list[str]) -> pd.DataFrame:
    """begroting per gemeente, jaar and post (own random stream ``[seed, 16]``).

    The budget is set around what the sample itself spends (a gemeente budgets on last
    year's realisation): maatwerk Wmo/jeugd from ``inzet.kosten`` (inzet started in the
    year), wijkteam from fte x fte_tarief; realisation/budget ~1.0 (sd 0.04), except the
    planted overspending of maatwerk jeugd in Beekdal from 2023 (realisatie ~120%). The
    maatwerk and wijkteam posts leave ``gerealiseerd`` empty (derived by the package), the
    posts algemene_voorzieningen and overig carry it.
    """
    plant = GEPLANT["overschrijding_jeugd"]
    rng = np.random.default_rng([seed, 16])
    tr, iz, f = tabellen["trajecten"], tabellen["inzet"], tabellen["formatie"]
    gem = iz["traject_id"].map(tr.set_index("traject_id")["gemeente"])
    jaar = iz["datum_start"].dt.year
    mw = iz.assign(gemeente=gem, jaar=jaar, kosten=iz["kosten"].fillna(0.0))
    mw = mw[mw["vorm"].isin(["maatwerk_wmo", "maatwerk_jeugd"])]
    real = mw.groupby(["gemeente", "jaar", "vorm"])["kosten"].sum()
    team = f.assign(jaar=f["maand"].str[:4].astype(int)).groupby(["gemeente", "jaar"])["fte"].sum()
    rijen = []
    for g in gemeenten:
        for j in _JAREN:
            for post in ("wijkteam", "maatwerk_wmo", "maatwerk_jeugd", "algemene_voorzieningen",
                         "overig"):
                tarief = (GEPLANT["teamkosten_eigen"]["per_fte"]
                          if g == GEPLANT["teamkosten_eigen"]["gemeente"] else GEPLANT["fte_tarief"])
                if post == "wijkteam":
                    r = float(team.get((g, j), 0.0)) * tarief / 12
                elif post.startswith("maatwerk"):
                    r = float(real.get((g, j, post), 0.0))
                else:
                    # subsidies: about 30% (algemene voorzieningen) and 10% (overig) of team costs
                    aandeel = 0.30 if post == "algemene_voorzieningen" else 0.10
                    r = float(team.get((g, j), 0.0)) * tarief / 12 * aandeel
                factor = rng.normal(1.0, 0.04)
                if g == plant["gemeente"] and post == plant["post"] and j >= plant["vanaf"]:
                    factor = plant["realisatie"] + rng.normal(0, 0.02)
                begroot = round(r / factor, -3)
                gerealiseerd = round(r, 2) if post in ("algemene_voorzieningen", "overig") else np.nan
                rijen.append((g, j, post, begroot, gerealiseerd))
    b = pd.DataFrame(rijen, columns=["gemeente", "jaar", "post", "begroot", "gerealiseerd"])
    return pd.DataFrame(
        {
            "gemeente": b["gemeente"].astype("str"),
            "jaar": pd.array(b["jaar"], dtype="Int64"),
            "post": b["post"].astype("str"),
            "begroot": b["begroot"].astype("float64"),
            "gerealiseerd": b["gerealiseerd"].astype("float64"),
        }
    )


def _team_tabellen(rng, teams: pd.DataFrame, schaal: float, zuid: int, oost: int,
                   inwoners_2024: np.ndarray | None = None) -> dict:
    """formatie, enquete, bevolking, toelichting (small; loops over teams are fine).
    ``zuid``/``oost`` = -1: the planted team is absent. ``inwoners_2024``: see
    :func:`genereer_tabellen`."""
    nteam = len(teams)
    maanden = np.arange(np.datetime64("2021-01"), np.datetime64("2026-01"), dtype="datetime64[M]")
    instroom_jaar = teams["volume"].to_numpy() * _BASIS_PER_MAAND * 12
    # about 19 open trajecten per fte at the 2021 volume (mean time in care ~0.62 year)
    basis_fte = instroom_jaar * 0.62 / 19
    if zuid >= 0:
        basis_fte[zuid] *= 0.8  # personeelstekort
    ruis = 1 + rng.normal(0, 0.025, (nteam, len(maanden)))
    if oost >= 0:
        ruis[oost] = 1.0  # planted: constant formatie
    fte = np.round(basis_fte[:, None] * ruis * schaal, 1)
    formatie = pd.DataFrame(
        {
            "wijkteam": pd.Series(np.repeat(teams["wijkteam"].to_numpy(), len(maanden)), dtype="str"),
            "maand": pd.Series(np.tile(maanden.astype(str), nteam), dtype="str"),
            "fte": fte.ravel().astype("float64"),
            "gemeente": pd.Series(np.repeat(teams["gemeente"].to_numpy(), len(maanden)), dtype="str"),
        }
    )

    jaren = np.array(_JAREN)
    groei = np.where(np.arange(nteam)[:, None] == oost, 1.08, 1.006) ** (jaren[None, :] - 2021)
    inwoners = np.round(instroom_jaar[:, None] / _MELDINGEN_PER_INWONER * groei * schaal / 10) * 10
    if inwoners_2024 is not None:  # exact in 2024, the other years along the same growth
        j24 = list(_JAREN).index(2024)
        inwoners = np.rint(np.asarray(inwoners_2024, dtype=float)[:, None] * groei / groei[:, [j24]])
    bevolking = pd.DataFrame(
        {
            "wijkteam": pd.Series(np.repeat(teams["wijkteam"].to_numpy(), len(jaren)), dtype="str"),
            "jaar": pd.array(np.tile(jaren, nteam), dtype="Int64"),
            "inwoners": pd.array(inwoners.ravel().astype(np.int64), dtype="Int64"),
            "gemeente": pd.Series(np.repeat(teams["gemeente"].to_numpy(), len(jaren)), dtype="str"),
        }
    )

    # enquete: bollen-model, one row per answer
    gemiddeld = np.array(
        [
            [7.3, 6.6, 7.4, 7.0, 7.2],  # medewerker: hulp geld klant wijk team
            [7.4, 6.9, 7.6, 7.1, 7.3],  # client
            [7.0, 6.8, 7.1, 7.2, 6.9],  # partner
        ]
    )
    lage = GEPLANT["lage_teamscore"]
    laag = np.flatnonzero((teams["gemeente"] == lage["gemeente"]) & (teams["wijkteam"] == lage["wijkteam"]))
    laag_team = int(laag[0]) if len(laag) else -1
    n_resp = np.stack(
        # 12 medewerkers and 12 partners per team (>= 8, so a team's mean can be published
        # under the default drempel) and a sample of 18 cliënten
        [np.full(nteam, 12), np.full(nteam, 18), np.full(nteam, 12)], axis=1
    ).astype(int)
    team_eff = rng.normal(0, 0.2, nteam)
    t_l, j_l, r_l, d_l = [], [], [], []
    for ti in range(nteam):
        for jaar in jaren:
            for ri_, _ in enumerate(RESPONDENTEN):
                m = n_resp[ti, ri_] * len(DIMENSIES)
                t_l.append(np.full(m, ti))
                j_l.append(np.full(m, jaar))
                r_l.append(np.full(m, ri_))
                d_l.append(np.tile(np.arange(len(DIMENSIES)), n_resp[ti, ri_]))
    t_e, j_e, r_e, d_e = (np.concatenate(x) for x in (t_l, j_l, r_l, d_l))
    mu = gemiddeld[r_e, d_e] + team_eff[t_e]
    is_laag = (t_e == laag_team) & (r_e == RESPONDENTEN.index(lage["respondent"])) & (
        d_e == DIMENSIES.index(lage["dimensie"])
    )
    mu = np.where(is_laag, lage["score"], mu)
    score = np.clip(np.rint(rng.normal(mu, 1.1)), 1, 10)
    enquete = pd.DataFrame(
        {
            "wijkteam": pd.Series(teams["wijkteam"].to_numpy()[t_e], dtype="str"),
            "jaar": pd.array(j_e, dtype="Int64"),
            "respondent": pd.Series(np.array(RESPONDENTEN)[r_e], dtype="str"),
            "dimensie": pd.Series(np.array(DIMENSIES)[d_e], dtype="str"),
            "score": score.astype("float64"),
            "gemeente": pd.Series(teams["gemeente"].to_numpy()[t_e], dtype="str"),
        }
    )

    aanwezig = set(teams["gemeente"])
    toel = [r for r in _TOELICHTING if r[0] in aanwezig]
    toelichting = pd.DataFrame(
        {
            "wijkteam": pd.Series([r[1] or None for r in toel], dtype="str"),
            "periode": pd.Series([r[2] for r in toel], dtype="str"),
            "indicator": pd.Series([None] * len(toel), dtype="str"),
            "tekst": pd.Series([r[3] for r in toel], dtype="str"),
            "gemeente": pd.Series([r[0] for r in toel], dtype="str"),
        }
    )
    return {
        "formatie": formatie,
        "enquete": enquete,
        "bevolking": bevolking,
        "toelichting": toelichting,
    }


# ---------------------------------------------------------------------------
# Writing files (deterministic bytes)
# ---------------------------------------------------------------------------

#: Decimals per float column when written as text; other float columns are integral.
_DECIMALEN = {"kosten": 2, "fte": 1, "fte_bezet": 1, "verzuim_pct": 1, "vacatures_fte": 1,
              "begroot": 2, "gerealiseerd": 2, "teamkosten": 2}

_MONITOR_TOML = """\
# Configuratie van de voorbeelddata (zie data_samples/README.md, "monitor.toml").
[termijnen]
onderzoek_wmo = 42
beschikking_wmo = 14
beschikking_jeugd = 56
plan = 42

[periode]
van = "2021-01"
tot = "2025-12"

[openbaarmaking]
drempel = 8
afronden_op = 0

[[beleidswijziging]]
datum = 2023-01-01
label = "Start inzet voorliggend veld"
gemeente = "Lindeveen"

[doelen]
binnen_termijn_onderzoek = 0.9
aandeel_lichte_zorg = 0.75

[kosten]
fte_tarief = 82000           # loonkosten per fte per jaar (euro), incl. werkgeverslasten

[medewerkers]
caseloadnorm_regisseur = 8   # de voorbeelddata heeft 12 regisseurs per (klein) team

[gemeenten.Lindeveen.doelen]
aandeel_lichte_zorg = 0.8
afschaling = 0.3
"""


def _getal_tekst(x: pd.Series, decimalen: int, komma: bool) -> pd.Series:
    def f(v):
        if pd.isna(v):
            return ""
        t = f"{v:,.{decimalen}f}" if komma else f"{v:.{decimalen}f}"
        if komma:
            t = t.replace(",", "_").replace(".", ",").replace("_", ".")
        return t

    return x.map(f).astype(object)


def _als_tekst(df: pd.DataFrame, datumformaat: str = "%Y-%m-%d", komma: bool = False) -> pd.DataFrame:
    """Every column as text the way a registration system exports it (empty = missing)."""
    uit = {}
    for k in df.columns:
        x = df[k]
        if pd.api.types.is_datetime64_any_dtype(x):
            uit[k] = x.dt.strftime(datumformaat).astype(object).where(x.notna(), "")
        elif pd.api.types.is_float_dtype(x):
            uit[k] = _getal_tekst(x, _DECIMALEN.get(k, 0), komma)
        else:
            uit[k] = x.astype(object).where(x.notna(), "").map(str)
    return pd.DataFrame(uit, index=df.index)


def _schrijf_csv(df: pd.DataFrame, pad: Path, sep: str = ",", encoding: str = "utf-8") -> None:
    tekst = df.to_csv(index=False, sep=sep, lineterminator="\n")
    pad.write_bytes(tekst.encode(encoding))


def _schrijf_xlsx(df: pd.DataFrame, pad: Path, blad: str) -> None:
    """Write one sheet with openpyxl; zip timestamps and core properties fixed."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(blad)
    ws.append(list(df.columns))
    for rij in df.astype(object).itertuples(index=False):
        ws.append([None if (v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA) else
                   (v.item() if isinstance(v, np.generic) else v) for v in rij])
    buf = io.BytesIO()
    wb.save(buf)
    vast = "2026-01-01T00:00:00Z"
    uit = io.BytesIO()
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(uit, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                    lambda m: m.group(1) + vast.encode() + m.group(3),
                    data,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, data)
    pad.write_bytes(uit.getvalue())


def _schrijf_parquet(df: pd.DataFrame, pad: Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(_arrow_tabel(df), pad, compression="zstd")


def _arrow_tabel(df: pd.DataFrame):
    """The frame as the pyarrow table that ``zrm.parquet`` stores (dates as date32)."""
    import pyarrow as pa

    kolommen = {}
    for k in df.columns:
        x = df[k]
        if pd.api.types.is_datetime64_any_dtype(x):
            kolommen[k] = pa.array(x.dt.date.where(x.notna(), None), type=pa.date32())
        elif isinstance(x.dtype, pd.Int64Dtype) or pd.api.types.is_integer_dtype(x):
            kolommen[k] = pa.array(x.astype("Int64"), type=pa.int64())
        elif pd.api.types.is_float_dtype(x):
            kolommen[k] = pa.array(x.to_numpy(), type=pa.float64())
        else:
            kolommen[k] = pa.array(x.astype(object).where(x.notna(), None), type=pa.string())
    return pa.table(kolommen)


def schrijf_dataset(tabellen: dict[str, pd.DataFrame], map: str | Path) -> Path:
    """Write the clean dataset: csv (``,``, UTF-8, ISO dates), ``zrm.parquet``,
    ``toelichting.xlsx`` and ``monitor.toml``. Returns the folder."""
    map = Path(map)
    map.mkdir(parents=True, exist_ok=True)
    for naam, df in tabellen.items():
        if naam == "wijken":  # issue 15: with the boundaries and a KWB-shaped context file
            _schrijf_csv(_als_tekst(df), map / "wijken.csv")
            schrijf_wijkgrenzen(map / "wijkgrenzen.geojson")
            _schrijf_csv(kwb_wijken(df), map / "kwb_wijken.csv")
        elif naam == "zrm":
            _schrijf_parquet(df, map / "zrm.parquet")
        elif naam == "toelichting":
            _schrijf_xlsx(df, map / "toelichting.xlsx", "toelichting")
        else:
            _schrijf_csv(_als_tekst(df), map / f"{naam}.csv")
    (map / "monitor.toml").write_bytes(_MONITOR_TOML.encode("utf-8"))
    return map


def zonder_beginvoorraad(tabellen: dict[str, pd.DataFrame], eind: str = "2025-06-30"
                         ) -> dict[str, pd.DataFrame]:
    """The export a new user often gets: no opening stock and a half year at the end.

    Parameters
    ----------
    tabellen : dict[str, DataFrame]
        Output of :func:`genereer_tabellen` (not modified).
    eind : str
        The new data end (ISO date). Every date after it is emptied, as in an export
        taken on that day; trajecten gemeld after it are dropped.

    Returns
    -------
    dict[str, DataFrame]
        The same tables without the trajecten gemeld before 2021-01-01 (the beginvoorraad:
        the caseload then builds up from zero during 2021, an *inloop*), cut at ``eind``.
        The planted effects are otherwise unchanged; Oosterwaarde stays the gemeente
        without any planted effect, so its caseload has no true trend.
    """
    e = pd.Timestamp(eind)
    tr = tabellen["trajecten"]
    tr = tr[(tr["datum_melding"] >= pd.Timestamp(_START)) & (tr["datum_melding"] <= e)].copy()
    for k in ("datum_intake", "datum_plan", "datum_einde"):
        tr[k] = tr[k].where(tr[k] <= e)
    tr["datum_plan"] = tr["datum_plan"].where(tr["datum_intake"].notna())
    tr["datum_einde"] = tr["datum_einde"].where(tr["datum_plan"].notna())
    open_ = tr["datum_einde"].isna()
    tr["reden_einde"] = tr["reden_einde"].mask(open_)
    tr["doelen_behaald"] = tr["doelen_behaald"].mask(open_)
    tr["tevredenheid"] = tr["tevredenheid"].mask(open_)
    tr["doelen_gesteld"] = tr["doelen_gesteld"].mask(tr["datum_plan"].isna())
    if "datum_verslag" in tr:
        tr["datum_verslag"] = tr["datum_verslag"].where(tr["datum_verslag"] <= e)
    ids = set(tr["traject_id"])
    met_plan = set(tr.loc[tr["datum_plan"].notna(), "traject_id"])
    iz = tabellen["inzet"]
    iz = iz[iz["traject_id"].isin(met_plan) & (iz["datum_start"] <= e)].copy()
    for k in ("datum_einde", "datum_aanvraag", "datum_beschikking"):
        iz[k] = iz[k].where(iz[k] <= e)
    z = tabellen["zrm"]
    z = z[z["traject_id"].isin(ids) & (z["datum"] <= e)]
    f = tabellen["formatie"]
    f = f[f["maand"] <= e.strftime("%Y-%m")]
    uit = dict(tabellen)
    uit.update(trajecten=tr.reset_index(drop=True), inzet=iz.reset_index(drop=True),
               zrm=z.reset_index(drop=True), formatie=f.reset_index(drop=True))
    return uit


# ---------------------------------------------------------------------------
# The messy variant with an exact quarantine manifest
# ---------------------------------------------------------------------------


def _bsn_achtig(rng: np.random.Generator, aantal: int) -> list[str]:
    uit: list[str] = []
    while len(uit) < aantal:
        kandidaat = f"{rng.integers(100_000_000, 999_999_999)}"
        if elfproef(kandidaat) and kandidaat not in uit:
            uit.append(kandidaat)
    return uit


def rommelige_dataset(
    tabellen: dict[str, pd.DataFrame], seed: int = 2026
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Build the messy variant (as text frames) and its quarantine manifest.

    Parameters
    ----------
    tabellen : dict[str, DataFrame]
        Output of :func:`genereer_tabellen` (not modified).
    seed : int
        Seed for choosing the rows that are spoiled.

    Returns
    -------
    (dict[str, DataFrame], DataFrame)
        The tables as they will be written (text values, bad values planted; ``zrm``
        keeps its types for parquet) and the manifest with columns ``tabel, rij,
        kolom, regel`` (rij: header = 1, first data row = 2), one row per
        (record, regel), including the ``onbekend_traject`` consequences.
    """
    rng = np.random.default_rng([seed, 1])
    gem = GEPLANT["nulgemeente"]["gemeente"]
    tr0 = tabellen["trajecten"]
    tr0 = tr0[(tr0["gemeente"] == gem) & (tr0["datum_melding"] >= "2025-01-01")].reset_index(drop=True)
    ids = set(tr0["traject_id"])
    inz0 = tabellen["inzet"][tabellen["inzet"]["traject_id"].isin(ids)].reset_index(drop=True)
    zrm0 = tabellen["zrm"][tabellen["zrm"]["traject_id"].isin(ids)].reset_index(drop=True)
    f0 = tabellen["formatie"]
    f0 = f0[(f0["gemeente"] == gem) & (f0["maand"] >= "2024-01")].reset_index(drop=True)
    e0 = tabellen["enquete"]
    e0 = e0[(e0["gemeente"] == gem) & (e0["jaar"] >= 2024)].reset_index(drop=True)
    b0 = tabellen["bevolking"]
    b0 = b0[b0["gemeente"] == gem].drop(columns="gemeente").reset_index(drop=True)
    t0 = tabellen["toelichting"]
    t0 = t0[t0["gemeente"] == gem].reset_index(drop=True)

    fouten: list[tuple[str, float, str, str]] = []  # (tabel, label, kolom, regel)
    bsn = _bsn_achtig(rng, 2)

    # --- trajecten: Windows-1252, ';', dd-mm-jjjj --------------------------------------
    tr = _als_tekst(tr0, "%d-%m-%Y").astype(object)
    tr.index = tr.index.astype(float)
    met_intake = np.flatnonzero(tr0["datum_intake"].notna().to_numpy())
    met_doelen = np.flatnonzero(tr0["doelen_behaald"].notna().to_numpy())
    gekozen: set[int] = set()

    def kies(kandidaten, aantal=1):
        vrij = np.array([i for i in kandidaten if i not in gekozen])
        uit = sorted(rng.choice(vrij, aantal, replace=False).tolist())
        gekozen.update(uit)
        return uit

    def plant(df, tabel, rijen, kolom, regel, waarde):
        """Put a bad value into each chosen row and record it in the manifest.
        ``waarde``: one value, a tuple (one per row) or a function of the row index."""
        for n, i in enumerate(rijen):
            df.loc[i, kolom] = waarde(i) if callable(waarde) else waarde[n] if isinstance(waarde, tuple) else waarde
            fouten.append((tabel, i, kolom, regel))

    alle = np.arange(len(tr))
    plant(tr, "trajecten", kies(alle), "client_id", "verplicht_leeg", "")
    plant(tr, "trajecten", kies(alle), "client_id", "bsn", bsn[0])
    plant(tr, "trajecten", kies(met_intake), "datum_plan", "ongeldige_datum", "31-02-2025")
    plant(tr, "trajecten", kies(alle), "tevredenheid", "ongeldig_getal", "goed")
    plant(tr, "trajecten", kies(alle), "problematiek", "onbekende_categorie", "complex")
    plant(tr, "trajecten", kies(alle), "leeftijd", "buiten_bereik", "130")
    for i in kies(met_intake, 2):
        vroeg = tr0.loc[i, "datum_melding"] - pd.Timedelta(days=3)
        tr.loc[i, "datum_intake"] = vroeg.strftime("%d-%m-%Y")
        fouten.append(("trajecten", i, "datum_intake", "volgorde_datums"))
    plant(tr, "trajecten", kies(met_doelen, 2), "doelen_behaald", "doelen_inconsistent", lambda i: str(int(tr0.loc[i, "doelen_gesteld"]) + 1))
    (dubbel,) = kies(np.flatnonzero(tr0["traject_id"].isin(inz0["traject_id"]).to_numpy()))
    tr.loc[dubbel + 0.5] = tr.loc[dubbel]
    fouten.append(("trajecten", dubbel, "traject_id", "dubbel_id"))
    fouten.append(("trajecten", dubbel + 0.5, "traject_id", "dubbel_id"))
    # valid variants the loader must accept (case/whitespace of categories)
    for i, (kol, waarde) in zip(
        kies(alle, 3),
        (("problematiek", "Meervoudig"), ("problematiek", " enkelvoudig "), ("problematiek", "MEERVOUDIG")),
    ):
        tr.loc[i, kol] = waarde
    if "datum_verslag" in tr0:
        # a verslag before the melding; own random stream and a traject without inzet, so
        # the other planted rows stay where they were
        rng_v = np.random.default_rng([seed, 2])
        kandidaten = [i for i in np.flatnonzero((tr0["datum_verslag"].notna()
                                                 & ~tr0["traject_id"].isin(inz0["traject_id"])).to_numpy())
                      if i not in gekozen]
        (i,) = rng_v.choice(kandidaten, 1)
        gekozen.add(int(i))
        tr.loc[i, "datum_verslag"] = (tr0.loc[i, "datum_melding"] - pd.Timedelta(days=5)).strftime("%d-%m-%Y")
        fouten.append(("trajecten", int(i), "datum_verslag", "volgorde_datums"))
    tr = tr.sort_index()
    slecht = set(tr0.loc[sorted(gekozen & {f[1] for f in fouten if f[0] == "trajecten"}), "traject_id"])

    # --- inzet: UTF-8 with BOM, ';', decimal comma + thousands dot ------------------------
    inz = _als_tekst(inz0, komma=True).astype(object)
    inz.index = inz.index.astype(float)
    geldig = np.flatnonzero(~inz0["traject_id"].isin(slecht).to_numpy())
    met_kosten = np.intersect1d(geldig, np.flatnonzero(inz0["kosten"].notna().to_numpy()))
    gekozen = set()
    plant(inz, "inzet", kies(geldig), "vorm", "verplicht_leeg", "")
    plant(inz, "inzet", kies(geldig), "datum_einde", "ongeldige_datum", "2025-02-30")
    plant(inz, "inzet", kies(met_kosten), "kosten", "ongeldig_getal", "twaalf")
    plant(inz, "inzet", kies(geldig), "vorm", "onbekende_categorie", "mantelzorg")
    plant(inz, "inzet", kies(np.intersect1d(geldig, np.flatnonzero(inz0["beschikking"].notna().to_numpy()))), "beschikking", "onbekende_categorie", "misschien")
    plant(inz, "inzet", kies(met_kosten, 2), "kosten", "negatieve_kosten", ("-1.250,00", "-35,50"))
    for i in kies(geldig, 2):
        inz.loc[i, "datum_einde"] = (inz0.loc[i, "datum_start"] - pd.Timedelta(days=10)).strftime(
            "%Y-%m-%d"
        )
        fouten.append(("inzet", i, "datum_einde", "einde_voor_start"))
    plant(inz, "inzet", kies(geldig), "traject_id", "onbekend_traject", "T9999999")
    plant(inz, "inzet", kies(geldig), "inzet_id", "bsn", bsn[1])
    for i in kies(geldig, 2):
        inz.loc[i, "vorm"] = " " + str(inz.loc[i, "vorm"]).upper() + " "  # valid variant
    for i in np.flatnonzero(inz0["traject_id"].isin(slecht).to_numpy()):
        fouten.append(("inzet", float(i), "traject_id", "onbekend_traject"))

    # --- zrm: parquet (typed); zrm of spoiled trajecten dropped except the duplicate's ---
    dubbel_id = tr0.loc[dubbel, "traject_id"]
    zrm = zrm0[~zrm0["traject_id"].isin(slecht - {dubbel_id})].reset_index(drop=True).copy()
    zrm["score"] = zrm["score"].astype("Int64")
    zrm.index = zrm.index.astype(float)
    zgeldig = np.flatnonzero((zrm["traject_id"] != dubbel_id).to_numpy())
    gekozen = set()
    plant(zrm, "zrm", kies(zgeldig, 2), "score", "buiten_bereik", (7, 0))
    plant(zrm, "zrm", kies(zgeldig), "domein", "onbekende_categorie", "wonen")
    plant(zrm, "zrm", kies(zgeldig), "traject_id", "onbekend_traject", "T9999998")
    for i in np.flatnonzero((zrm["traject_id"] == dubbel_id).to_numpy()):
        fouten.append(("zrm", float(i), "traject_id", "onbekend_traject"))

    # --- formatie: plain csv ---------------------------------------------------------------
    fo = _als_tekst(f0).astype(object)
    fo.index = fo.index.astype(float)
    gekozen = set()
    for i, (kol, waarde, regel) in zip(
        kies(np.arange(len(fo)), 4),
        (
            ("maand", "2025-13", "ongeldige_maand"),
            ("wijkteam", "Wijkteam Noordwest", "onbekend_wijkteam"),
            ("fte", "drie", "ongeldig_getal"),
            ("fte", "-1.0", "buiten_bereik"),
        ),
    ):
        fo.loc[i, kol] = waarde
        fouten.append(("formatie", i, kol, regel))
    # a typo in the year (issue 17): a fixed, not a random, row so the other plants stay put
    i = float(max(set(range(len(fo))) - gekozen))
    fo.loc[i, "maand"] = "1900-01"
    fouten.append(("formatie", i, "maand", "onwaarschijnlijke_datum"))

    # --- enquete: xlsx -----------------------------------------------------------------------
    en = e0.astype(object)
    en["jaar"] = e0["jaar"].astype("int64").astype(object)
    en.index = en.index.astype(float)
    gekozen = set()
    for i, (kol, waarde, regel) in zip(
        kies(np.arange(len(en)), 3),
        (
            ("score", 11.0, "buiten_bereik"),
            ("respondent", "burger", "onbekende_categorie"),
            ("dimensie", None, "verplicht_leeg"),
        ),
    ):
        en.loc[i, kol] = waarde
        fouten.append(("enquete", i, kol, regel))
    for i in kies(np.arange(len(en)), 2):
        en.loc[i, "respondent"] = str(en.loc[i, "respondent"]).capitalize()  # valid variant

    # --- toelichting: plain csv with accents; one row without text ---------------------------
    to = _als_tekst(t0).astype(object)
    extra = pd.DataFrame(
        [
            {"wijkteam": "Wijkteam Dorpen", "periode": "2025-Q3", "indicator": "",
             "tekst": "Café-avond voor cliënten en mantelzorgers: goede opkomst.", "gemeente": gem},
            {"wijkteam": "Wijkteam Zuid", "periode": "2025-Q3", "indicator": "", "tekst": "",
             "gemeente": gem},
        ]
    )
    to = pd.concat([to, extra], ignore_index=True)
    to.index = to.index.astype(float)
    fouten.append(("toelichting", float(len(to) - 1), "tekst", "verplicht_leeg"))
    # issue 17: an invisible zero-width space, and a toelichting naming a traject id
    vijandig = pd.DataFrame(
        [
            {"wijkteam": "Wijkteam Dorpen", "periode": "2025-Q4", "indicator": "",
             "tekst": "Overleg met\u200b huisartsen gestart.", "gemeente": gem},
            {"wijkteam": "Wijkteam Dorpen", "periode": "2025-Q4", "indicator": "",
             "tekst": f"Traject {tr0.loc[0, 'traject_id']} besproken in het casuïstiekoverleg.", "gemeente": gem},
        ],
        index=[float(len(to)), float(len(to) + 1)],
    )
    to = pd.concat([to, vijandig])
    fouten.append(("toelichting", float(len(to) - 2), "tekst", "stuurteken"))
    fouten.append(("toelichting", float(len(to) - 1), "tekst", "id_in_tekst"))

    # --- personeel and begroting (issue 14): own random stream, the plants above stay put ---
    rng_14 = np.random.default_rng([seed, 3])
    frames_14: dict[str, pd.DataFrame] = {}
    if "personeel" in tabellen:
        p0 = tabellen["personeel"]
        p0 = p0[(p0["gemeente"] == gem) & (p0["maand"] >= "2024-01")].reset_index(drop=True)
        pe = _als_tekst(p0, komma=True).astype(object)  # ';' and decimal comma
        pe.index = pe.index.astype(float)
        rijen = sorted(rng_14.choice(len(pe), 3, replace=False).tolist())
        for i, (kol, waarde, regel) in zip(
            rijen,
            (
                ("verzuim_pct", "130,0", "buiten_bereik"),
                ("uitstroom_medewerkers", "twee", "ongeldig_getal"),
                ("wijkteam", "Wijkteam Noordwest", "onbekend_wijkteam"),
            ),
        ):
            pe.loc[float(i), kol] = waarde
            fouten.append(("personeel", float(i), kol, regel))
        frames_14["personeel"] = pe
    if "begroting" in tabellen:
        g0 = tabellen["begroting"]
        g0 = g0[(g0["gemeente"] == gem) & (g0["jaar"] >= 2024)].reset_index(drop=True)
        bg = _als_tekst(g0).astype(object)
        bg.index = bg.index.astype(float)
        rijen = sorted(rng_14.choice(len(bg), 3, replace=False).tolist())
        for i, (kol, waarde, regel) in zip(
            rijen,
            (
                ("gemeente", "Onbekendstad", "onbekende_gemeente"),
                ("post", "jeugdzorg", "onbekende_categorie"),
                ("begroot", "-5000.00", "negatieve_kosten"),
            ),
        ):
            bg.loc[float(i), kol] = waarde
            fouten.append(("begroting", float(i), kol, regel))
        # a budget line delivered twice: both rows in quarantine (dubbel_id on the key)
        dubbel = float(min(set(range(len(bg))) - set(rijen)))
        bg.loc[dubbel + 0.5] = bg.loc[dubbel]
        fouten.append(("begroting", dubbel, "gemeente+jaar+post", "dubbel_id"))
        fouten.append(("begroting", dubbel + 0.5, "gemeente+jaar+post", "dubbel_id"))
        frames_14["begroting"] = bg.sort_index()

    if "wijken" in tabellen:
        # issue 15: inwoners per wijk, with one bad row per rule that applies to it (fixed
        # rows, no random draw: every other table of the messy variant stays the same)
        w0 = tabellen["wijken"]
        wk = _als_tekst(w0[(w0["gemeente"] == gem) & (w0["jaar"] >= 2024)].reset_index(drop=True)).astype(object)
        wk.index = wk.index.astype(float)
        for i, (kol, waarde, regel) in enumerate((
            ("wijkcode", "WK12", "onbekende_categorie"),
            ("inwoners", "-40", "buiten_bereik"),
            ("gemeente", "Onbekendstad", "onbekende_gemeente"),
            ("inwoners", "veel", "ongeldig_getal"),
        )):
            wk.loc[float(2 * i + 1), kol] = waarde
            fouten.append(("wijken", float(2 * i + 1), kol, regel))
        frames_14["wijken"] = wk
    bev = _als_tekst(b0).astype(object)
    if "leeftijdsgroep" in bev:
        # issue 14, bereik per leeftijdsgroep: a group in a form the loader does not understand
        laatste = int(np.flatnonzero((bev["leeftijdsgroep"] != "").to_numpy())[-1])
        bev.loc[laatste, "leeftijdsgroep"] = "ouderen"
        fouten.append(("bevolking", laatste, "leeftijdsgroep", "onbekende_categorie"))
    frames = {
        "trajecten": tr, "inzet": inz, "zrm": zrm, "formatie": fo, "enquete": en,
        "bevolking": bev, "toelichting": to, **frames_14,
    }
    rijnummer = {
        naam: pd.Series(np.arange(2, len(df) + 2), index=df.index) for naam, df in frames.items()
    }
    manifest = pd.DataFrame(
        [(t, int(rijnummer[t][lab]), k, r) for t, lab, k, r in fouten], columns=list(MANIFEST_KOLOMMEN)
    )
    volgorde = {t: i for i, t in enumerate(TABELLEN)}
    manifest = (
        manifest.assign(_t=manifest["tabel"].map(volgorde))
        .sort_values(["_t", "rij", "kolom", "regel"])
        .drop(columns="_t")
        .reset_index(drop=True)
    )
    frames = {k: v.reset_index(drop=True) for k, v in frames.items()}
    return frames, manifest


def _schrijf_rommelig(frames: dict[str, pd.DataFrame], manifest: pd.DataFrame, map: Path) -> None:
    map.mkdir(parents=True, exist_ok=True)
    _schrijf_csv(frames["trajecten"], map / "trajecten.csv", sep=";", encoding="cp1252")
    _schrijf_csv(frames["inzet"], map / "inzet.csv", sep=";", encoding="utf-8-sig")
    _schrijf_parquet(frames["zrm"], map / "zrm.parquet")
    _schrijf_csv(frames["formatie"], map / "formatie.csv")
    _schrijf_xlsx(frames["enquete"], map / "enquete.xlsx", "enquete")
    _schrijf_csv(frames["bevolking"], map / "bevolking.csv")
    _schrijf_csv(frames["toelichting"], map / "toelichting.csv")
    if "personeel" in frames:
        _schrijf_csv(frames["personeel"], map / "personeel.csv", sep=";")
    if "begroting" in frames:
        _schrijf_csv(frames["begroting"], map / "begroting.csv")
    if "wijken" in frames:  # semicolon and UTF-8 with BOM, as a Dutch Excel writes it
        _schrijf_csv(frames["wijken"], map / "wijken.csv", sep=";", encoding="utf-8-sig")
    _schrijf_csv(manifest.astype(str), map / "verwacht_quarantaine.csv")


def genereer(
    out: str | Path, seed: int = 2026, schaal: float = 1.0, rommelig: bool = True,
    inloop: bool = False,
) -> Path:
    """Write the sample data: ``out/voorbeeld/`` and (if ``rommelig``) ``out/rommelig/``.

    Parameters
    ----------
    out : path
        Target folder (created). Existing files of the same name are overwritten.
    seed, schaal
        As in :func:`genereer_tabellen`. The same seed gives byte-identical files.
    rommelig : bool
        Also write the messy variant with ``verwacht_quarantaine.csv``.
    inloop : bool
        Also write ``out/inloop/``: the same data without opening stock and ending on
        2025-06-30 (:func:`zonder_beginvoorraad`).

    Returns
    -------
    Path
        ``out``.
    """
    out = Path(out)
    tabellen = genereer_tabellen(seed=seed, schaal=schaal)
    schrijf_dataset(tabellen, out / "voorbeeld")
    if rommelig:
        frames, manifest = rommelige_dataset(tabellen, seed=seed)
        _schrijf_rommelig(frames, manifest, out / "rommelig")
    if inloop:
        schrijf_dataset(zonder_beginvoorraad(tabellen), out / "inloop")
    return out


# ---------------------------------------------------------------------------
# Issue 16: a national synthetic set (342 gemeenten with their real sizes)
# ---------------------------------------------------------------------------

#: Inwoners per wijkteam in the national set: a gemeente gets max(1, round(inwoners / this))
#: teams (a wijkteam serves some 15,000-25,000 inwoners).
INWONERS_PER_TEAM = 20_000
#: The real gemeenten that play the fictional ones (and so carry every planted effect of
#: :data:`GEPLANT`, with the fictional team names): the gemeente closest to this size.
_ROL_GROOTTE = {"Lindeveen": 180_000, "Beekdal": 120_000, "Oosterwaarde": 80_000}
_LANDELIJK_CSV = ("trajecten", "inzet", "formatie", "enquete", "bevolking", "personeel", "begroting")


def gemeentegroottes() -> pd.DataFrame:
    """Inwoners per gemeente in 2024 (CBS 85383NED; package data, see its ``SOURCE.txt``).

    Returns columns ``gemeente`` (the CBS name, e.g. "Utrecht (gemeente)") and ``inwoners``,
    342 rows sorted by name.
    """
    from importlib.resources import files

    with files("monitoranalyse").joinpath("data/gemeenten_inwoners_2024.csv").open("rb") as f:
        return pd.read_csv(f, dtype={"gemeente": "str", "inwoners": "int64"}, encoding="utf-8")


def landelijke_opzet(aantal: int | None = None, namen: list[str] | None = None) -> pd.DataFrame:
    """The design of the national set: one row per gemeente.

    Columns ``gemeente``, ``inwoners`` (2024, :func:`gemeentegroottes`), ``teams`` (number
    of wijkteams, :data:`INWONERS_PER_TEAM`), ``rol`` (the fictional gemeente whose planted
    effects it carries, or "") and ``nummer`` (position in the full table: its random
    stream, so a gemeente gets the same data in a subset as in the full set).
    ``aantal``: only the ``aantal`` smallest gemeenten (ties by name), for quick tests;
    ``namen``: only these gemeenten (CBS names).
    """
    g = gemeentegroottes()
    g["nummer"] = np.arange(len(g))
    g["rol"] = ""
    for rol, grootte in _ROL_GROOTTE.items():
        vrij = g.loc[g["rol"] == "", "inwoners"]
        g.loc[(vrij - grootte).abs().idxmin(), "rol"] = rol
    g["teams"] = np.maximum(1, np.rint(g["inwoners"] / INWONERS_PER_TEAM)).astype(int)
    for rol, teams in GEMEENTEN.items():
        g.loc[g["rol"] == rol, "teams"] = len(teams)
    if namen is not None:
        onbekend = sorted(set(namen) - set(g["gemeente"]))
        if onbekend:
            raise ValueError(f"onbekende gemeente(n): {', '.join(onbekend)}")
        g = g[g["gemeente"].isin(namen)]
    if aantal is not None:
        if aantal < 1:
            raise ValueError("het aantal gemeenten moet minstens 1 zijn")
        g = g.sort_values(["inwoners", "gemeente"], kind="stable").head(aantal).sort_values("gemeente")
    return g.reset_index(drop=True)[["gemeente", "inwoners", "teams", "rol", "nummer"]]


def _verdeel(totaal: int, gewicht: np.ndarray) -> np.ndarray:
    """``totaal`` split in integers proportional to ``gewicht`` (largest remainder)."""
    deel = totaal * np.asarray(gewicht, dtype=float) / np.sum(gewicht)
    uit = np.floor(deel).astype(np.int64)
    rest = np.argsort(-(deel - uit), kind="stable")[: totaal - uit.sum()]
    uit[rest] += 1
    return uit


def _hernummer(x: pd.Series, prefix: str, verschuiving: int, breedte: int) -> pd.Series:
    """Ids ``prefix + number`` with the number shifted (one id range over all gemeenten)."""
    n = x.str.slice(1).astype("int64").to_numpy() + verschuiving
    return pd.Series(_ids(prefix, n, breedte), dtype="str", index=x.index)


def _landelijke_toml(rollen: dict[str, str]) -> str:
    """monitor.toml of the sample with the Lindeveen settings under its national name (or
    without them when that gemeente is not in the set)."""
    tekst = _MONITOR_TOML.replace("Configuratie van de voorbeelddata",
                                  "Configuratie van de landelijke voorbeelddata")
    naam = rollen.get("Lindeveen")
    if naam is None:
        tekst = re.sub(r"\[\[beleidswijziging\]\]\n(?:[^\[\n].*\n)*\n", "", tekst)
        return re.sub(r"\n\[gemeenten\.Lindeveen\.doelen\]\n(?:.+\n)*", "", tekst)
    tekst = tekst.replace('gemeente = "Lindeveen"', f'gemeente = "{naam}"')
    return tekst.replace("[gemeenten.Lindeveen.doelen]", f'[gemeenten."{naam}".doelen]')


def genereer_landelijk(out: str | Path, seed: int = 2026, schaal: float = 1.0,
                       aantal: int | None = None, namen: list[str] | None = None) -> Path:
    """Write a national synthetic dataset to ``out/landelijk/`` (issue 16).

    Every gemeente of :func:`landelijke_opzet` with its real number of inwoners (2024),
    split over its wijkteams; each team gets meldingen in proportion to its inwoners: the
    sample's ratio of ~4.5% of the inwoners a year (``_MELDINGEN_PER_INWONER``, see
    data_samples/README.md) times ``schaal``. The bevolking table carries the real inwoners
    exactly in 2024. Three gemeenten play Lindeveen, Beekdal and Oosterwaarde (the
    ``rol`` column of :func:`landelijke_opzet`) with their teams and every planted effect of
    :data:`GEPLANT`; the others have no planted effect. The rules of the process are those
    of :func:`genereer_tabellen`, one gemeente at a time (memory stays that of the largest
    gemeente) with its own random stream, ids numbered on over all gemeenten. No ``wijken``
    and no messy variant. The same seed gives byte-identical files.

    Parameters
    ----------
    out : path
        Target folder; the data go to ``out/landelijk`` (files there are replaced).
    seed : int
        Seed of the whole set.
    schaal : float
        Meldingen per inwoner relative to the sample's ratio (1.0); inwoners stay real.
    aantal, namen : optional
        Only the ``aantal`` smallest gemeenten, or only the named ones (for tests).

    Returns
    -------
    Path
        ``out/landelijk``.
    """
    import pyarrow.parquet as pq

    if schaal <= 0:
        raise ValueError("schaal moet groter dan 0 zijn")
    map = Path(out) / "landelijk"
    map.mkdir(parents=True, exist_ok=True)
    opzet = landelijke_opzet(aantal, namen)
    rollen = {r.rol: r.gemeente for r in opzet.itertuples() if r.rol}
    volume_per_inwoner = _MELDINGEN_PER_INWONER * schaal / (_BASIS_PER_MAAND * 12)
    bestanden = {naam: open(map / f"{naam}.csv", "wb") for naam in _LANDELIJK_CSV}
    zrm_schrijver = None
    toelichting = []
    traject0 = inzet0 = team0 = 0
    try:
        for r in opzet.itertuples():
            rng = np.random.default_rng([seed, 18, r.nummer])
            if r.rol:
                namen = [t for t, _ in GEMEENTEN[r.rol]]
                gewicht = np.array([v for _, v in GEMEENTEN[r.rol]])
                sleutel = r.rol
            else:
                namen = [f"Wijkteam {k}" for k in range(1, r.teams + 1)]
                gewicht = rng.uniform(0.7, 1.3, r.teams)
                sleutel = r.gemeente
            inw = _verdeel(r.inwoners, gewicht)
            teams = {sleutel: tuple((t, float(i * volume_per_inwoner)) for t, i in zip(namen, inw))}
            tab = genereer_tabellen(seed=seed * 1000 + r.nummer, gemeenten=teams, inwoners=inw)
            for df in tab.values():
                df["gemeente"] = pd.Series(r.gemeente, index=df.index, dtype="str")
            tr, iz, zrm = tab["trajecten"], tab["inzet"], tab["zrm"]
            for kol, prefix, breedte in (("traject_id", "T", 7), ("client_id", "C", 7),
                                         ("huishouden_id", "H", 7)):
                tr[kol] = _hernummer(tr[kol], prefix, traject0, breedte)
            tr["medewerker_id"] = _hernummer(tr["medewerker_id"], "M", team0 * 1000, 5)
            iz["traject_id"] = _hernummer(iz["traject_id"], "T", traject0, 7)
            iz["inzet_id"] = _hernummer(iz["inzet_id"], "I", inzet0, 8)
            zrm["traject_id"] = _hernummer(zrm["traject_id"], "T", traject0, 7)
            traject0, inzet0, team0 = traject0 + len(tr), inzet0 + len(iz), team0 + len(namen)
            for naam, f in bestanden.items():
                f.write(_als_tekst(tab[naam]).to_csv(index=False, header=f.tell() == 0,
                                                     lineterminator="\n").encode("utf-8"))
            tabel = _arrow_tabel(zrm)
            if zrm_schrijver is None:
                zrm_schrijver = pq.ParquetWriter(map / "zrm.parquet", tabel.schema, compression="zstd")
            zrm_schrijver.write_table(tabel)
            toelichting.append(tab["toelichting"])
    finally:
        for f in bestanden.values():
            f.close()
        if zrm_schrijver is not None:
            zrm_schrijver.close()
    _schrijf_xlsx(pd.concat(toelichting, ignore_index=True), map / "toelichting.xlsx", "toelichting")
    (map / "monitor.toml").write_bytes(_landelijke_toml(rollen).encode("utf-8"))
    return map

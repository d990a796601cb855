"""Disclosure control at the render boundary: the ONE place where small numbers go.

Reports are public (gemeenteraad, rekenkamer). Every table that leaves the package
passes :func:`beveilig` (or :func:`beveilig_config`), and every spreadsheet passes
:func:`veilig_voor_spreadsheet`. The rules follow CBS practice for jeugd- and
Wmo-figures at gemeente/wijk level: counts 0-7 are "geheim" (default drempel 8),
optionally counts are rounded to multiples of 5.

Rules (``drempel`` = d, default 8)
----------------------------------
1. Primary suppression, per statistic type of the indicator (catalogus):

   ==========================  ===================================================
   aantal                      teller < d
   proportie                   teller < d or noemer < d; for a *gevoelig*
                               indicator also noemer - teller < d (the
                               complement identifies people as well)
   gemiddelde, mediaan         noemer (number of persons) < d
   ratio                       teller < d (noemer is an exposure such as fte)
   bedrag                      noemer (number of trajecten) < d; a bedrag without
                               noemer is taken as not person-related (team costs)
   unknown code                teller < d or noemer < d (strict)
   ==========================  ===================================================

   Missing (NaN) teller/noemer never trigger a rule by themselves.

   *Gevoelig* (catalogus): the complement reveals a person characteristic
   (maatwerk jeugd, ZRM verslechterd). Process indicators that describe the
   organisation (onderzoek binnen termijn, registratie volledig) are not gevoelig:
   that (almost) all meldingen of a team were handled in time says nothing about a
   resident. Codes not in the catalog are gevoelig (strict).

2. Secondary suppression, so that no suppressed cell can be recovered by
   subtraction. Additive groups are

   * the wijkteam rows + the Totaal row of the same gemeente, periode, indicator
     and uitsplitsing (wijkteam ``"Totaal"``, ``""`` or missing = the gemeente);
   * the uitsplitsing rows + the unsplit (``""``) row of the same gemeente,
     wijkteam, periode and indicator;
   * parts of one whole (:data:`monitoranalyse.indicatoren.catalogus.GEHELEN`, e.g. ZRM
     verbeterd / gelijk / verslechterd, and the uitsplitsing rows of
     :data:`~monitoranalyse.indicatoren.catalogus.GEHEEL_IN_UITSPLITSING`): their tellers add up to
     the published noemer, so the noemer acts as the total; one withheld part gets a
     second one (the smallest published part). This line rule is not part of the
     exact check below.

   * issue 15, wijken: the rows ``wijkteam == "Totaal"``, ``uitsplitsing == "wijk:<naam>"``
     + the gemeente's unsplit row of the same periode and indicator (the wijken are a
     second partition of the gemeente, next to the teams; they are kept out of the
     uitsplitsing group above so that a wijk is never "protected" by a leeftijdsgroep).

   A group that has a total row and exactly one suppressed cell (a part or the
   total itself) gets one more cell suppressed: the published part with the
   smallest count (the count its primary rule looks at; ties by table order), or
   the total when no part is published. Groups overlap, so this repeats until
   nothing changes. Groups without a total row are left alone (nothing to subtract
   from). Because the groups overlap (a table of teams x uitsplitsing), "two per
   line" is not always enough: a suppressed cell can still be solved from the whole
   linear system (it is a bridge in the graph of suppressed cells, lines as
   vertices). After the line rule is stable each table is checked exactly and one
   more cell that closes a cycle through such a cell is suppressed, until no
   suppressed cell is determined. Every group is treated as additive, also where it is not exactly (a
   traject with two vormen); that can only suppress more, never less.

   Tables with wijk rows get one more, exact check (:func:`_wijken_exact`): teams and wijken
   cross (a wijk may be served by two teams, a team serves several wijken), so a wijk
   figure can also be recovered from team figures (team A = its wijken when A serves
   them alone). Every published and suppressed row is written as a sum over the cells
   (team x wijk x other uitsplitsing) that can be non-zero (``wijk_teams``: which teams
   serve which wijk; trajecten without a wijk are a cell of their own), and a suppressed
   row is determined exactly when its vector lies in the row space of the published ones
   (numpy rank test). Then the published row with the smallest count whose removal
   breaks that is suppressed as well, until no suppressed row is determined. Without
   ``wijk_teams`` every team is assumed to serve every wijk.

3. Suppressed rows keep their keys; teller, noemer, waarde, ondergrens and
   bovengrens become NaN. ``onderdrukt`` (bool) and ``reden_onderdrukking``
   (``""`` when published, otherwise one of three plain-Dutch labels,
   :data:`REDENEN`) say what happened. No row is dropped.

4. Optional rounding (``afronden_op`` = r > 0), after suppression, of the counts of
   published rows to the nearest multiple of r (half up; never below d, then up):
   aantal: teller; proportie: teller and noemer; ratio: teller; gemiddelde, mediaan,
   bedrag: noemer; unknown: teller and noemer. Everything shown is then derived from
   the rounded counts so that it cannot be inverted to the exact count: waarde of an
   aantal is the rounded teller, of a proportie rounded teller / rounded noemer (on
   the same scale as before, fraction or percentage), of a ratio rounded teller times
   the original rate per event; the intervals of these three types are recomputed
   on the rounded counts (:func:`monitoranalyse.statistiek.intervallen`, 95%). The
   teller (som) of a gemiddelde becomes NaN (som / gemiddelde would give the exact n).

Known limits: the protection is against exact recovery by subtraction within the
groups above, not against narrow bounds (two suppressed cells whose sum is known),
nor against relations the table does not show (quarters summing to a year, the same
figure in another report).
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from monitoranalyse import tekst
from monitoranalyse.config import MonitorConfig
from monitoranalyse.contract import ID_TOKEN, INDICATOR_KOLOMMEN, TOTAAL, WIJK_PREFIX
from monitoranalyse.indicatoren import catalogus
from monitoranalyse.indicatoren.catalogus import indicatornaam
from monitoranalyse.indicatoren.tabel import controleer_tabel
from monitoranalyse.invoer.bsn import bevat_bsn

__all__ = [
    "bewaar_vrijgave",
    "REDEN_PRIMAIR",
    "REDEN_COMPLEMENT",
    "REDEN_SECUNDAIR",
    "REDENEN",
    "primair_onderdrukt",
    "beveilig",
    "beveilig_config",
    "veilig_voor_spreadsheet",
]

#: The three plain-Dutch reasons in ``reden_onderdrukking``.
REDEN_PRIMAIR = "te klein aantal"
REDEN_COMPLEMENT = "(bijna) iedereen of niemand in een kleine groep"
REDEN_SECUNDAIR = "af te leiden uit andere cijfers"

#: Reason -> explanation for the leeswijzer (``{drempel}`` is filled in by the caller).
REDENEN: dict[str, str] = {
    REDEN_PRIMAIR: "het cijfer rust op minder dan {drempel} personen of trajecten, of telt er "
    "minder dan {drempel}.",
    REDEN_COMPLEMENT: "bijna iedereen in de groep heeft de eigenschap: de minder dan {drempel} "
    "die haar niet hebben, zouden herkenbaar zijn. Alleen bij indicatoren die iets over een "
    "persoon zeggen (gevoelig in de catalogus).",
    REDEN_SECUNDAIR: "het cijfer zelf is groot genoeg, maar met het totaal of de andere teams "
    "zou een weggelaten cijfer terug te rekenen zijn.",
}

_GEHEIM_KOLOMMEN = ("teller", "noemer", "waarde", "ondergrens", "bovengrens")
_SLEUTELS_TEAM = ("gemeente", "periode_start", "periode_eind", "indicator", "uitsplitsing")
_SLEUTELS_SPLITSING = ("gemeente", "wijkteam", "periode_start", "periode_eind", "indicator")


def _standaard_typen() -> dict[str, str]:
    return {code: catalogus.indicator(code).type for code in catalogus.codes()}


def _standaard_gevoelig() -> dict[str, bool]:
    return {code: catalogus.indicator(code).gevoelig for code in catalogus.codes()}


def _primair(typ: np.ndarray, t: np.ndarray, n: np.ndarray, d: float, gevoelig: np.ndarray | None = None):
    """Primary-suppression mask, the count each rule looks at (for ordering), and the
    mask of rows withheld by the complement rule alone."""
    inf = np.inf
    if gevoelig is None:
        gevoelig = np.ones(len(typ), dtype=bool)
    tk = np.where(np.isnan(t), inf, t)
    nk = np.where(np.isnan(n), inf, n)
    ck = np.where(np.isnan(t) | np.isnan(n) | ~gevoelig, inf, n - t)
    klein = np.select(
        [
            np.isin(typ, ("aantal", "ratio")),
            typ == "proportie",
            np.isin(typ, ("gemiddelde", "mediaan", "bedrag")),
        ],
        [tk, np.minimum(tk, nk), nk],
        default=np.minimum(tk, nk),
    )
    omvang = np.where(typ == "proportie", np.minimum(klein, ck), klein)
    return omvang < d, omvang, (omvang < d) & ~(klein < d)


def primair_onderdrukt(indicator, teller, noemer, drempel: int = 8) -> np.ndarray:
    """The primary rule alone for rows of any analysis output with an indicator code.

    Same rule as :func:`beveilig` (per type from the catalog, complement only for
    gevoelig indicators), for tables that carry ``indicator, teller, noemer`` but are
    not tidy indicator tables (e.g. funnel output).
    """
    typen, gev = _standaard_typen(), _standaard_gevoelig()
    codes = pd.Series(np.asarray(indicator, dtype=object))
    typ = codes.map(typen).fillna("onbekend").astype(str).to_numpy()
    m = codes.map(gev)
    gevoelig = np.where(m.isna().to_numpy(), True, m.to_numpy(dtype=object)).astype(bool)
    t = pd.to_numeric(pd.Series(np.asarray(teller)), errors="coerce").to_numpy(dtype=float)
    n = pd.to_numeric(pd.Series(np.asarray(noemer)), errors="coerce").to_numpy(dtype=float)
    return _primair(typ, t, n, drempel, gevoelig)[0]


def _geheel(
    sleutels: pd.DataFrame, in_geheel: np.ndarray, onderdrukt: np.ndarray, omvang: np.ndarray
) -> np.ndarray:
    """Parts of one whole (the noemer is the published total): one withheld part gets a second."""
    extra = np.zeros(len(onderdrukt), dtype=bool)
    if not in_geheel.any():
        return extra
    rijen = np.flatnonzero(in_geheel)
    gid = sleutels.iloc[rijen].groupby(list(sleutels.columns), sort=False, dropna=False).ngroup().to_numpy()
    g = gid.max() + 1
    n_sup = np.bincount(gid, weights=onderdrukt[rijen], minlength=g)
    n_pub = np.bincount(gid, weights=~onderdrukt[rijen], minlength=g)
    lek = (n_sup == 1) & (n_pub > 0)
    kandidaat = rijen[lek[gid] & ~onderdrukt[rijen]]
    if kandidaat.size:
        kgid = gid[np.searchsorted(rijen, kandidaat)]
        volgorde = np.lexsort((kandidaat, omvang[kandidaat], kgid))
        kandidaat, kgid = kandidaat[volgorde], kgid[volgorde]
        eerste = np.r_[True, kgid[1:] != kgid[:-1]]
        extra[kandidaat[eerste]] = True
    return extra


def _secundair(
    sleutels: pd.DataFrame, is_totaal: np.ndarray, onderdrukt: np.ndarray, omvang: np.ndarray
) -> np.ndarray:
    """One pass over the additive groups defined by ``sleutels``; returns new rows to suppress."""
    gid = sleutels.groupby(list(sleutels.columns), sort=False, dropna=False).ngroup().to_numpy()
    g = gid.max() + 1 if len(gid) else 0
    n_sup = np.bincount(gid, weights=onderdrukt, minlength=g)
    n_tot = np.bincount(gid, weights=is_totaal, minlength=g)
    n_deel = np.bincount(gid, weights=~is_totaal, minlength=g)
    lek = (n_sup == 1) & (n_tot > 0) & (n_deel > 0)
    extra = np.zeros(len(gid), dtype=bool)
    if not lek.any():
        return extra
    kandidaat = lek[gid] & ~is_totaal & ~onderdrukt
    rijen = np.flatnonzero(kandidaat)
    if rijen.size:
        volgorde = np.lexsort((rijen, omvang[rijen], gid[rijen]))  # per group: smallest first
        rijen = rijen[volgorde]
        eerste = np.r_[True, gid[rijen][1:] != gid[rijen][:-1]]
        extra[rijen[eerste]] = True
    geholpen = np.zeros(g, dtype=bool)
    geholpen[gid[extra]] = True
    # no published part left: the total would equal the suppressed part -> suppress the total
    totaal_weg = (lek & ~geholpen)[gid] & is_totaal & ~onderdrukt
    extra |= totaal_weg
    return extra


def _bruggen(
    sleutels: pd.DataFrame,
    is_team_totaal: np.ndarray,
    is_ongesplitst: np.ndarray,
    onderdrukt: np.ndarray,
    omvang: np.ndarray,
) -> np.ndarray:
    """Suppress one more cell for every suppressed cell that the linear system solves.

    Per table (gemeente, periode, indicator) the cells form a bipartite graph: a cell
    is an edge between its wijkteam line and its uitsplitsing line; a line without a
    total row has no equation, all such lines are one free vertex. With +/-1
    coefficients on every cycle balanced, a suppressed cell is determined by the
    published values exactly when it is a bridge of the graph of suppressed cells.
    For each bridge the published cell with the smallest count that closes a cycle
    through it is suppressed (one per table per call; the caller repeats).
    """
    extra = np.zeros(len(onderdrukt), dtype=bool)
    tabel_id = (
        sleutels[["gemeente", "periode_start", "periode_eind", "indicator"]]
        .groupby(["gemeente", "periode_start", "periode_eind", "indicator"], sort=False, dropna=False)
        .ngroup()
        .to_numpy()
    )
    wt = sleutels["wijkteam"].to_numpy(dtype=object)
    us = sleutels["uitsplitsing"].to_numpy(dtype=object)
    for tid in np.unique(tabel_id[onderdrukt]):
        rijen = np.flatnonzero(tabel_id == tid)
        # a line is an equation only when it has a total row and at least one part
        met_totaal_rij = set(wt[rijen[is_ongesplitst[rijen]]]) & set(wt[rijen[~is_ongesplitst[rijen]]])
        met_totaal_kol = set(us[rijen[is_team_totaal[rijen]]]) & set(us[rijen[~is_team_totaal[rijen]]])
        u = [("r", w) if w in met_totaal_rij else "vrij" for w in wt[rijen]]
        v = [("k", s) if s in met_totaal_kol else "vrij" for s in us[rijen]]
        weg = [j for j in range(len(rijen)) if onderdrukt[rijen[j]] and u[j] != v[j]]
        for j in weg:
            ouder: dict = {}

            def wortel(x):
                ouder.setdefault(x, x)
                while ouder[x] != x:
                    ouder[x] = ouder[ouder[x]]
                    x = ouder[x]
                return x

            for i in weg:
                if i != j:
                    ouder[wortel(u[i])] = wortel(v[i])
            a, b = wortel(u[j]), wortel(v[j])
            if a == b:
                continue  # on a cycle: not determined
            kandidaten = [
                i
                for i in range(len(rijen))
                if not onderdrukt[rijen[i]]
                and {wortel(u[i]), wortel(v[i])} == {a, b}
            ]
            if not kandidaten:  # cannot close a cycle: withhold everything on both lines
                kandidaten = [
                    i
                    for i in range(len(rijen))
                    if not onderdrukt[rijen[i]] and (u[i] in (u[j], v[j]) or v[i] in (u[j], v[j]))
                ]
                extra[rijen[kandidaten]] = True
            else:
                beste = min(kandidaten, key=lambda i: (omvang[rijen[i]], i))
                extra[rijen[beste]] = True
            break
    return extra


def _is_wijk(us: np.ndarray) -> np.ndarray:
    return np.array([isinstance(x, str) and x.startswith(WIJK_PREFIX) for x in us], dtype=bool)


def _secundair_deel(sl: pd.DataFrame, is_tot: np.ndarray, onderdrukt: np.ndarray, omvang: np.ndarray,
                    deel: np.ndarray) -> np.ndarray:
    """:func:`_secundair` on the rows in ``deel`` only (one additive group per key)."""
    extra = np.zeros(len(onderdrukt), dtype=bool)
    rijen = np.flatnonzero(deel)
    if rijen.size:
        extra[rijen] = _secundair(sl.iloc[rijen].reset_index(drop=True), is_tot[rijen],
                                  onderdrukt[rijen], omvang[rijen])
    return extra


def _in_rijruimte(P: np.ndarray, a: np.ndarray) -> bool:
    """Is ``a`` a linear combination of the rows of ``P`` (then its value is known)?"""
    if P.shape[0] == 0:
        return not a.any()
    r = np.linalg.matrix_rank(P)
    return np.linalg.matrix_rank(np.vstack([P, a])) == r


def _wijken_exact(sleutels: pd.DataFrame, is_wijk: np.ndarray, onderdrukt: np.ndarray, omvang: np.ndarray,
                  wijk_teams: pd.DataFrame | None) -> np.ndarray:
    """The exact check of the tables (gemeente, periode, indicator) that hold wijk rows.

    Each row of such a table is a 0/1 vector over the cells (team, wijk, other uitsplitsing)
    that can be non-zero; a suppressed row whose vector is in the row space of the published
    rows is determined. Suppresses, per call and table, one more published row for the first
    determined row found (the caller repeats until stable). Own code: a rank test with numpy
    on tables of a few dozen rows; no maintained package does cell suppression for a
    crossed hierarchy in Python.
    """
    extra = np.zeros(len(onderdrukt), dtype=bool)
    if not is_wijk.any():
        return extra
    kol = ["gemeente", "periode_start", "periode_eind", "indicator"]
    tabel_id = sleutels[kol].groupby(kol, sort=False, dropna=False).ngroup().to_numpy()
    wt = sleutels["wijkteam"].to_numpy(dtype=object)
    us = sleutels["uitsplitsing"].to_numpy(dtype=object)
    gem = sleutels["gemeente"].to_numpy(dtype=object)
    paren: dict = {}
    if wijk_teams is not None and len(wijk_teams):
        for g, t, w in zip(wijk_teams["gemeente"], wijk_teams["wijkteam"], wijk_teams["wijk"]):
            paren.setdefault(str(g), set()).add((str(t), "" if pd.isna(w) else str(w)))
    # every table with wijk rows and any suppressed row: a team can be recovered through the
    # wijken as well (team A = wijk X - team B when A and B alone serve X)
    for tid in np.intersect1d(np.unique(tabel_id[is_wijk]), np.unique(tabel_id[onderdrukt])):
        rijen = np.flatnonzero(tabel_id == tid)
        teams = sorted({w for w in wt[rijen] if w != TOTAAL})
        wijken = sorted({u[len(WIJK_PREFIX):] for u in us[rijen] if isinstance(u, str) and u.startswith(WIJK_PREFIX)})
        splits = sorted({u for u in us[rijen] if u != "" and not (isinstance(u, str) and u.startswith(WIJK_PREFIX))})
        g = str(gem[rijen[0]])
        if g in paren:
            cellen_tw = sorted(p for p in paren[g] if p[0] in teams or not teams)
            # a wijk of the table that no team of wijk_teams serves: any team may
            bekend = {p[1] for p in cellen_tw}
            cellen_tw += [(t, w) for w in wijken if w not in bekend for t in (teams or [TOTAAL])]
        else:
            cellen_tw = [(t, w) for t in (teams or [TOTAAL]) for w in wijken + [""]]
        cellen = [(t, w, s_) for t, w in cellen_tw for s_ in splits + [None]]
        if not cellen:
            continue
        ct = np.array([c[0] for c in cellen], dtype=object)
        cw = np.array([c[1] for c in cellen], dtype=object)
        cs = np.array([c[2] for c in cellen], dtype=object)
        A = np.zeros((len(rijen), len(cellen)))
        for i, r in enumerate(rijen):
            w_, u_ = wt[r], us[r]
            m = np.ones(len(cellen), dtype=bool) if w_ == TOTAAL else (ct == w_)
            if isinstance(u_, str) and u_.startswith(WIJK_PREFIX):
                m &= cw == u_[len(WIJK_PREFIX):]
            elif u_ != "":
                m &= cs == u_
            A[i] = m
        A = np.unique(A, axis=1)  # cells that every row treats alike are one unknown
        dicht = onderdrukt[rijen] | extra[rijen]
        for j in np.flatnonzero(dicht):
            pub = np.flatnonzero(~dicht)
            if not _in_rijruimte(A[pub], A[j]):
                continue
            kandidaten = sorted(pub, key=lambda i: (omvang[rijen[i]], i))
            gekozen = next((i for i in kandidaten
                            if not _in_rijruimte(A[pub[pub != i]], A[j])), None)
            if gekozen is None:  # no single row is enough: the smallest one that shares a cell
                gekozen = next((i for i in kandidaten if (A[i] * A[j]).any()), kandidaten[0])
            extra[rijen[gekozen]] = True
            break
    return extra


def _rond(x: np.ndarray, r: int, d: float) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        y = np.floor(x / r + 0.5) * r
        y = np.where(y < d, np.ceil(x / r) * r, y)
        y = np.where(y < d, np.ceil(d / r) * r, y)
    return np.where(np.isnan(x), np.nan, y)


def beveilig(
    tabel: pd.DataFrame,
    *,
    drempel: int = 8,
    afronden_op: int = 0,
    typen: Mapping[str, str] | None = None,
    gevoelig: Mapping[str, bool] | None = None,
    wijk_teams: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Apply disclosure control to a tidy indicator table (rules in the module docstring).

    Parameters
    ----------
    tabel : DataFrame
        Tidy indicator table with at least the columns
        :data:`~monitoranalyse.contract.INDICATOR_KOLOMMEN`. Not modified.
    drempel : int
        Counts below this are not published (CBS: 0-7 geheim -> 8).
    afronden_op : int
        0 = no rounding; otherwise round published counts to multiples of this (CBS: 5).
    typen : mapping, optional
        Indicator code -> statistic type. Default: the catalog
        (:data:`monitoranalyse.indicatoren.catalogus.INDICATOREN`); codes found in neither are
        treated strictly.
    gevoelig : mapping, optional
        Indicator code -> whether the complement rule applies. Default: the catalog's
        ``gevoelig``; codes not found are gevoelig (strict).
    wijk_teams : DataFrame, optional
        Columns ``gemeente, wijkteam, wijk``: which teams have trajecten in which wijk
        (``wijk`` empty = trajecten without a wijk). Used by the exact check of tables
        with wijk rows; without it every team may serve every wijk.

    Returns
    -------
    DataFrame
        Same rows, same order, same columns, plus

        * ``onderdrukt``: bool, True when the figures of the row are withheld;
        * ``reden_onderdrukking``: ``"te klein aantal"``, ``"(bijna) iedereen of
          niemand in een kleine groep"`` (complement rule), ``"af te leiden uit andere
          cijfers"`` (secondary) or ``""``.

        For suppressed rows teller, noemer, waarde, ondergrens and bovengrens are NaN.

    Raises
    ------
    ValueError
        When a contract column is missing, or drempel/afronden_op is negative.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"gemeente": "G", "wijkteam": ["A", "B", "C", "Totaal"],
    ...     "periode_start": "2024-01-01", "periode_eind": "2024-12-31", "indicator": "x",
    ...     "uitsplitsing": "", "teller": [3.0, 20, 40, 63], "noemer": float("nan"),
    ...     "waarde": [3.0, 20, 40, 63], "ondergrens": float("nan"),
    ...     "bovengrens": float("nan"), "methode": ""})
    >>> beveilig(t, typen={"x": "aantal"})["teller"].tolist()
    [nan, nan, 40.0, 63.0]
    """
    controleer_tabel(tabel, functie="beveilig", nodig=INDICATOR_KOLOMMEN)
    if drempel < 0 or afronden_op < 0:
        raise ValueError("drempel en afronden_op moeten >= 0 zijn")
    uit = tabel.copy()
    if typen is None:
        typen = _standaard_typen()
        if "statistiek" in uit.columns:  # the table says what it is; the catalog fills gaps
            typen_rij = uit["statistiek"].astype(object).where(uit["statistiek"].notna(),
                                                               uit["indicator"].map(dict(typen)))
        else:
            typen_rij = uit["indicator"].map(dict(typen))
    else:
        typen_rij = uit["indicator"].map(dict(typen))
    typ = typen_rij.to_numpy(dtype=object)
    typ = np.where(pd.isna(typ), "onbekend", typ).astype(str)
    if gevoelig is None:
        gevoelig = _standaard_gevoelig()
    m = uit["indicator"].map(dict(gevoelig))
    gev = np.where(m.isna().to_numpy(), True, m.to_numpy(dtype=object)).astype(bool)
    t = uit["teller"].astype("float64").to_numpy(na_value=np.nan)
    n = uit["noemer"].astype("float64").to_numpy(na_value=np.nan)

    primair, omvang, complement = _primair(typ, t, n, drempel, gev)
    onderdrukt = primair.copy()

    sleutels = uit[list(INDICATOR_KOLOMMEN[:6])].astype(object)
    wt = sleutels["wijkteam"]
    is_team_totaal = (wt.isna() | wt.isin([TOTAAL, ""])).to_numpy()
    sleutels["wijkteam"] = np.where(is_team_totaal, TOTAAL, wt)
    us = sleutels["uitsplitsing"]
    is_ongesplitst = (us.isna() | (us == "")).to_numpy()
    sleutels["uitsplitsing"] = np.where(is_ongesplitst, "", us)
    is_wijk = _is_wijk(sleutels["uitsplitsing"].to_numpy(dtype=object))
    alle = np.ones(len(uit), dtype=bool)
    # issue 15: the wijk rows are a partition of the gemeente of their own (not mixed with
    # a leeftijdsgroep or vorm split of the same line); the bridge check does not see them
    # (their team line is a line without total), the exact check below does
    splitsing_sl = sleutels[list(_SLEUTELS_SPLITSING)].assign(_wijk=is_wijk)
    groepen = (
        (sleutels[list(_SLEUTELS_TEAM)], is_team_totaal, alle),
        (splitsing_sl, is_ongesplitst, alle),
        (sleutels[["gemeente", "periode_start", "periode_eind", "indicator"]], is_ongesplitst,
         is_wijk | (is_ongesplitst & is_team_totaal)),
    )
    brug_sl = sleutels.assign(wijkteam=np.where(is_wijk, "\x00wijk", sleutels["wijkteam"]))
    geheel_sl, in_geheel = _geheel_sleutels(sleutels)
    while True:
        veranderd = False
        for sl, is_tot, deel in groepen:
            if not deel.any():
                continue
            extra = (_secundair(sl, is_tot, onderdrukt, omvang) if deel is alle
                     else _secundair_deel(sl, is_tot, onderdrukt, omvang, deel))
            if extra.any():
                onderdrukt |= extra
                veranderd = True
        extra = _geheel(geheel_sl, in_geheel, onderdrukt, omvang)
        if extra.any():
            onderdrukt |= extra
            veranderd = True
        if not veranderd:
            # the line rule is stable; now the exact check on the whole table
            extra = _bruggen(brug_sl, is_team_totaal, is_ongesplitst, onderdrukt, omvang)
            if not extra.any():
                extra = _wijken_exact(sleutels, is_wijk, onderdrukt, omvang, wijk_teams)
            if not extra.any():
                break
            onderdrukt |= extra

    reden = np.select(
        [complement, primair, onderdrukt],
        [REDEN_COMPLEMENT, REDEN_PRIMAIR, REDEN_SECUNDAIR],
        default="",
    )
    for kol in _GEHEIM_KOLOMMEN:
        uit[kol] = uit[kol].astype("float64").where(~onderdrukt)
    uit["onderdrukt"] = onderdrukt
    uit["reden_onderdrukking"] = pd.Series(reden, index=uit.index, dtype=object)

    if afronden_op:
        uit = _afronden(uit, typ, int(afronden_op), drempel)
    return uit


def _geheel_sleutels(sleutels: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Group keys for the parts-of-a-whole rule and the mask of rows that take part."""
    cat = catalogus
    code_naar_geheel = {c: "|".join(g) for g in cat.GEHELEN for c in g}
    ind = sleutels["indicator"]
    geheel = ind.map(code_naar_geheel)
    splitsing = ind.isin(cat.GEHEEL_IN_UITSPLITSING) & (sleutels["uitsplitsing"] != "")
    in_geheel = (geheel.notna() | splitsing).to_numpy()
    sl = pd.DataFrame({
        "gemeente": sleutels["gemeente"],
        "wijkteam": sleutels["wijkteam"],
        "periode_start": sleutels["periode_start"],
        "periode_eind": sleutels["periode_eind"],
        "geheel": geheel.where(geheel.notna(), ind),
        # parts of a set of codes share the uitsplitsing; split parts share the indicator
        "uitsplitsing": sleutels["uitsplitsing"].where(~splitsing, ""),
    })
    return sl, in_geheel


def _afronden(uit: pd.DataFrame, typ: np.ndarray, r: int, d: float) -> pd.DataFrame:
    """Rule 4 of the module docstring, on published rows of an already suppressed table."""
    from monitoranalyse.statistiek import intervallen

    t = uit["teller"].to_numpy(dtype=float, copy=True)
    n = uit["noemer"].to_numpy(dtype=float, copy=True)
    w = uit["waarde"].to_numpy(dtype=float, copy=True)
    tel_t = np.isin(typ, ("aantal", "proportie", "ratio", "onbekend"))
    tel_n = np.isin(typ, ("proportie", "gemiddelde", "mediaan", "bedrag", "onbekend"))
    t_r = np.where(tel_t, _rond(t, r, d), t)
    n_r = np.where(tel_n, _rond(n, r, d), n)
    with np.errstate(divide="ignore", invalid="ignore"):
        w_nieuw = np.select(
            [typ == "aantal", typ == "proportie", typ == "ratio"],
            [
                t_r,
                # keep the scale of waarde (fraction or percentage)
                t_r / n_r * np.where(t > 0, w * n / t, np.where(w > 1, 100.0, 1.0)),
                t_r * w / t,
            ],
            default=w,
        )
    w_nieuw = np.where(np.isnan(w) & (typ != "aantal"), np.nan, w_nieuw)
    uit["teller"] = np.where(typ == "gemiddelde", np.nan, t_r)
    uit["noemer"] = n_r
    uit["waarde"] = w_nieuw
    herberekend = np.isin(typ, ("aantal", "proportie", "ratio")) & ~uit["onderdrukt"].to_numpy()
    if herberekend.any():
        deel = uit.loc[herberekend].copy()
        deel[["ondergrens", "bovengrens"]] = np.nan
        deel = intervallen(deel, pd.Series(typ[herberekend], index=deel.index))
        kol = ["ondergrens", "bovengrens", "methode"]
        uit["methode"] = uit["methode"].astype(object)
        uit.loc[herberekend, kol] = deel[kol].astype(object).to_numpy()
        uit["ondergrens"] = uit["ondergrens"].astype("float64")
        uit["bovengrens"] = uit["bovengrens"].astype("float64")
    return uit


def beveilig_config(tabel: pd.DataFrame, config: MonitorConfig, **kwargs) -> pd.DataFrame:
    """:func:`beveilig` with drempel and afronden_op from ``config.openbaarmaking``.

    Per-gemeente overrides (``[gemeenten.X.openbaarmaking]`` in monitor.toml) are
    applied to the rows of that gemeente; additive groups never cross gemeenten, so
    this is the same as protecting each gemeente separately. ``kwargs`` (e.g.
    ``typen``) are passed on.

    Returns
    -------
    DataFrame
        As :func:`beveilig`, rows in the original order.
    """
    if not config.gemeenten or len(tabel) == 0:
        ob = config.openbaarmaking
        return beveilig(
            tabel, drempel=int(ob["drempel"]), afronden_op=int(ob["afronden_op"]), **kwargs
        )
    delen = []
    for gemeente, deel in tabel.groupby("gemeente", sort=False, dropna=False):
        cfg = config.voor_gemeente(gemeente) if gemeente in config.gemeenten else config
        ob = cfg.openbaarmaking
        delen.append(
            beveilig(deel, drempel=int(ob["drempel"]), afronden_op=int(ob["afronden_op"]), **kwargs)
        )
    return pd.concat(delen).loc[tabel.index]


_FORMULE_TEKENS = ("=", "+", "-", "@", "\t", "\r", "\n")


def veilig_voor_spreadsheet(df: pd.DataFrame) -> pd.DataFrame:
    """Neutralise text cells that a spreadsheet would run as a formula.

    Text starting with ``= + - @``, a tab, CR or LF gets an apostrophe in front
    (OWASP "CSV injection"), so Excel/LibreOffice show it as text. Numbers, dates
    and column names are untouched; the input is not modified.

    Returns
    -------
    DataFrame
        A copy of ``df`` with the same columns and dtypes (categoricals become text).
    """
    uit = df.copy()

    def _cel(x):
        if isinstance(x, str) and x.startswith(_FORMULE_TEKENS):
            return "'" + x
        return x

    for kol in uit.columns:
        s = uit[kol]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            uit[kol] = s.map(_cel) if s.dtype == object else s.where(
                ~s.str.startswith(_FORMULE_TEKENS).fillna(False).astype(bool), "'" + s
            )
    return uit


#: Column names that identify a record; never allowed past the boundary.
VERBODEN_KOLOMMEN = re.compile(r"(^|_)(id|bsn)$|^bronrij$|^waarde_ruw$", re.IGNORECASE)

#: Columns of analysis outputs that count persons (or trajecten): the row rule
#: blanks a row's figures when one of them is below the drempel.
PERSOON_KOLOMMEN = (
    "teller",
    "noemer",
    "n",
    "waargenomen",
    "n_trajecten",
    "n_respondenten",
    "aantal",
)


class OpenbaarmakingsFout(RuntimeError):
    """Raised when something that may identify a person is about to leave the package."""


# ---------------------------------------------------------------------------
# Disclosure control at the boundary
# ---------------------------------------------------------------------------


def weiger_id_kolommen(df: pd.DataFrame) -> None:
    fout = [c for c in df.columns if VERBODEN_KOLOMMEN.search(str(c))]
    if fout:
        raise OpenbaarmakingsFout(
            "Deze tabel bevat kolommen die personen of records identificeren en mag "
            f"het pakket niet verlaten: {', '.join(map(str, fout))}"
        )


#: Key in ``DataFrame.attrs`` that marks a released table (value: the drempel used).
MARK = "monitoranalyse.vrijgegeven"


def is_vrijgegeven(df) -> bool:
    """True when ``df`` carries the mark that :func:`vrijgeven` sets.

    The mark lives in ``DataFrame.attrs`` and survives selecting rows and columns,
    sorting, ``assign`` and pivoting (pandas propagates ``attrs``), so a released table
    stays released when a notebook narrows it down; a table built from scratch does not
    carry it and is released again by every display function.
    """
    return isinstance(getattr(df, "attrs", None), dict) and MARK in df.attrs


def markeer(df: pd.DataFrame, drempel: int) -> pd.DataFrame:
    df.attrs[MARK] = {"drempel": int(drempel)}
    return df


#: Numeric columns that order or count rows of the output itself, not persons: never blanked
#: (a suppressed signal keeps its place on the nader-onderzoek list).
ORDE_KOLOMMEN = ("rang", "aantal_bewijzen")


def vrijgeven(
    df: pd.DataFrame,
    config: MonitorConfig | None = None,
    *,
    drempel: int | None = None,
    afronden_op: int | None = None,
    persoon_kolommen: Iterable[str] | None = None,
    wijk_teams: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Make a table publishable: the one disclosure-control entry point.

    * A tidy indicator table (all of ``contract.INDICATOR_KOLOMMEN`` present) goes
      through :func:`monitoranalyse.rapport.openbaarmaking.beveilig` (primary + secondary
      suppression, optional rounding).
    * Any other table (analysis output): every row where a person-count column
      (``PERSOON_KOLOMMEN`` or ``persoon_kolommen``) is below the drempel gets all its
      numeric columns blanked (NaN) and ``onderdrukt = True``; a row with an
      ``indicator`` code and ``teller``/``noemer`` also gets the complement rule when
      that indicator is gevoelig (the same primary rule as the tidy tables).
    * Tables with identifying columns raise :class:`OpenbaarmakingsFout`.
    * ``wijk_teams`` (default: ``df.attrs["wijk_teams"]``, set by the analysis stage) tells
      the exact check of wijk rows which teams serve which wijk (:func:`beveilig`).

    The result carries the release mark (:func:`is_vrijgegeven`); a table that already
    carries it with the same drempel is returned as it is, so that a figure or table of
    a released table shows exactly what the released table shows. The input is not
    modified.
    """
    weiger_id_kolommen(df)
    cfg = config or MonitorConfig()
    drempel = cfg.drempel if drempel is None else int(drempel)
    if is_vrijgegeven(df) and df.attrs[MARK].get("drempel") == drempel and afronden_op is None:
        return df
    afronden_op = int(cfg.openbaarmaking.get("afronden_op", 0)) if afronden_op is None else afronden_op
    if df.empty:
        out = df.copy()
        if "onderdrukt" not in out.columns:
            out["onderdrukt"] = pd.Series(dtype=bool)
        return markeer(out, drempel)
    if set(INDICATOR_KOLOMMEN) <= set(df.columns):
        from monitoranalyse.rapport.openbaarmaking import beveilig

        if wijk_teams is None:
            wijk_teams = df.attrs.get("wijk_teams")
        return markeer(beveilig(df, drempel=drempel, afronden_op=afronden_op, wijk_teams=wijk_teams),
                       drempel)

    out = df.copy()
    kolommen = [c for c in (persoon_kolommen or PERSOON_KOLOMMEN) if c in out.columns]
    if not kolommen:
        if "onderdrukt" not in out.columns:
            out["onderdrukt"] = False
        return markeer(out, drempel)
    telling = out[kolommen].apply(pd.to_numeric, errors="coerce")
    klein = (telling < drempel).any(axis=1).to_numpy()
    if {"indicator", "teller", "noemer"} <= set(out.columns):
        from monitoranalyse.rapport.openbaarmaking import primair_onderdrukt

        klein = klein | primair_onderdrukt(out["indicator"], out["teller"], out["noemer"], drempel)
    if "onderdrukt" in out.columns:
        klein = klein | out["onderdrukt"].fillna(False).astype(bool).to_numpy()
    numeriek = [c for c in out.columns if pd.api.types.is_numeric_dtype(out[c]) and c != "onderdrukt"]
    numeriek = [c for c in numeriek if not pd.api.types.is_bool_dtype(out[c]) and c not in ORDE_KOLOMMEN]
    for c in numeriek:
        out[c] = out[c].astype("float64")
        out.loc[klein, c] = np.nan
    out["onderdrukt"] = klein
    if "reden_onderdrukking" in out.columns or klein.any():
        from monitoranalyse.rapport.openbaarmaking import REDEN_PRIMAIR

        reden = out.get("reden_onderdrukking", pd.Series("", index=out.index)).fillna("")
        out["reden_onderdrukking"] = np.where(klein & (reden == ""), REDEN_PRIMAIR, reden)
    return markeer(out, drempel)


def volg_onderdrukking(
    analyse: pd.DataFrame,
    vrij: pd.DataFrame,
    *,
    waarden: Iterable[str],
    sleutels: Iterable[str] = ("indicator", "wijkteam", "periode_start", "uitsplitsing"),
    indicator: str | None = None,
    config: MonitorConfig | None = None,
) -> pd.DataFrame:
    """An analysis output with the visibility of the released table it was computed from.

    Every row of ``analyse`` whose key (``sleutels``; with ``indicator`` given, that code
    stands for the missing ``indicator`` column) is withheld in the released tidy table
    ``vrij`` gets its ``waarden`` columns blanked, ``onderdrukt = True`` and the reason
    of the table. So an SPC chart, a funnel or a forecast never shows a point that the
    table hides (same figure, same visibility). The result is released as well
    (:func:`vrijgeven` row rule) and carries the release mark.
    """
    if not is_vrijgegeven(vrij):
        vrij = vrijgeven(vrij, config)
    uit = analyse.copy()
    if indicator is not None and "indicator" not in uit.columns:
        uit["indicator"] = indicator
        weg_indicator = True
    else:
        weg_indicator = False
    sl = [k for k in sleutels if k in uit.columns and k in vrij.columns]
    if uit.empty or not sl:
        uit = uit.drop(columns="indicator") if weg_indicator else uit
        return vrijgeven(uit, config)
    dicht = vrij.loc[vrij["onderdrukt"].astype(bool), sl + ["reden_onderdrukking"]].drop_duplicates(sl)
    gekoppeld = uit[sl].merge(dicht, on=sl, how="left")
    weg = gekoppeld["reden_onderdrukking"].notna().to_numpy()
    for c in waarden:
        if c in uit.columns:
            uit[c] = uit[c].astype("float64").where(~weg)
    vorig = uit["onderdrukt"].fillna(False).astype(bool).to_numpy() if "onderdrukt" in uit else np.zeros(len(uit), bool)
    uit["onderdrukt"] = vorig | weg
    reden = uit.get("reden_onderdrukking", pd.Series("", index=uit.index)).fillna("").to_numpy(dtype=object)
    uit["reden_onderdrukking"] = np.where(weg & (reden == ""), gekoppeld["reden_onderdrukking"].fillna("").to_numpy(dtype=object), reden)
    if weg_indicator:
        uit = uit.drop(columns="indicator")
    uit.attrs.pop(MARK, None)
    return vrijgeven(uit, config)


@dataclass
class Vrijgegeven:
    """The released counterparts of :class:`monitoranalyse.analyse.resultaten.Resultaten` (what notebooks show).

    Every tidy table is released once, whole (so a subset shows what the whole shows), and
    every analysis output that draws points of a tidy table follows that table's
    visibility (:func:`volg_onderdrukking`).
    """

    indicatoren: pd.DataFrame  # kwartaal
    indicatoren_maand: pd.DataFrame
    indicatoren_jaar: pd.DataFrame
    indicatoren_halfjaar: pd.DataFrame
    spc: pd.DataFrame
    funnels: pd.DataFrame
    prognose: pd.DataFrame
    casemix: pd.DataFrame
    bollen: pd.DataFrame
    typologie: pd.DataFrame
    signalen: pd.DataFrame


def vrijgeven_resultaten(R) -> Vrijgegeven:
    """Release everything a report of one gemeente draws (``R``: batch.Resultaten).

    A release kept on ``R`` by :func:`bewaar_vrijgave` under the same config is returned as it
    is: the batch worker releases once, and the four notebooks of a gemeente (each reading its
    own copy of ``R`` from the werkmap) draw that release instead of repeating it (issue 16:
    1.4-1.8 s per release for a gemeente of 40,000 inwoners, six releases per report before).
    """
    eerder = getattr(R, "vrijgave", None)
    if isinstance(eerder, tuple) and len(eerder) == 2 and eerder[0] == R.config:
        return eerder[1]
    cfg = R.config
    K, M = (vrijgeven(t, cfg) for t in (R.indicatoren, R.indicatoren_maand))
    J = vrijgeven(R.indicatoren_jaar, cfg, wijk_teams=getattr(R, "wijk_teams", None))
    H = vrijgeven(R.indicatoren_halfjaar, cfg)
    spc = R.spc
    if not spc.empty:
        spc = volg_onderdrukking(spc, M, config=cfg, waarden=(
            "waarde", "middenlijn", "onder_procesgrens", "boven_procesgrens"))
        weg = spc["onderdrukt"].to_numpy()
        spc["regel"] = spc["regel"].where(~weg, "")
        spc["soort"] = spc["soort"].where(~weg, "")
    else:
        spc = vrijgeven(spc, cfg)
    funnels = R.funnels
    funnels = (volg_onderdrukking(funnels, J, config=cfg, waarden=("teller", "noemer", "waarde", "z", "z_gecorrigeerd"))
               if not funnels.empty else vrijgeven(funnels, cfg))
    prog = R.prognose
    if not prog.empty:
        w = prog["soort"] == "waarneming"
        deel = prog[w]
        for code in ("caseload", "instroom", "uitstroom"):  # observed months: as the monthly table
            deel = volg_onderdrukking(deel, M, indicator=code, config=cfg, waarden=(code,))
        rest = prog[~w].assign(onderdrukt=False)
        prog = pd.concat([deel, rest]).loc[prog.index]
        prog["onderdrukt"] = prog["onderdrukt"].astype(bool)
        prog = markeer(prog, cfg.drempel)
    else:
        prog = vrijgeven(prog, cfg)
    return Vrijgegeven(
        indicatoren=K, indicatoren_maand=M, indicatoren_jaar=J, indicatoren_halfjaar=H,
        spc=spc, funnels=funnels, prognose=prog,
        casemix=vrijgeven(R.casemix, cfg), bollen=vrijgeven(R.bollen, cfg),
        typologie=vrijgeven(R.typologie, cfg), signalen=_signalen_vrij(R.signalen, M, cfg),
    )


def bewaar_vrijgave(R) -> Vrijgegeven:
    """:func:`vrijgeven_resultaten` of ``R``, kept on ``R`` (attribute ``vrijgave``: a copy of
    the config and the release) so that a pickled ``R`` carries it to the notebooks."""
    import copy

    V = vrijgeven_resultaten(R)
    R.vrijgave = (copy.deepcopy(R.config), V)
    return V


def _signalen_vrij(signalen: pd.DataFrame, maand: pd.DataFrame, cfg) -> pd.DataFrame:
    """The nader-onderzoek list with the visibility of the monthly table.

    An SPC signal on a month that the monthly table withholds stays on the list (the team
    should look at it) but without its value: the sentence names team, indicator and month
    and says that the value is not published, with the table's reason. Any other signal that
    the release withholds (too few trajecten behind it) keeps its place too, and its sentence
    and evidence — written from the withheld figures — are replaced by words without numbers.
    """
    if signalen is None or signalen.empty or "soort_signaal" not in signalen.columns:
        return vrijgeven(signalen if signalen is not None else pd.DataFrame(), cfg)
    uit = signalen.copy()
    spc = (uit["soort_signaal"] == "spc").to_numpy()
    if spc.any():
        sleutel = uit.loc[spc, ["wijkteam", "indicator"]].assign(
            periode_start=pd.to_datetime(uit.loc[spc, "periode"], errors="coerce"))
        dicht = maand.loc[maand["onderdrukt"].astype(bool) & (maand["uitsplitsing"] == ""),
                          ["wijkteam", "indicator", "periode_start", "reden_onderdrukking"]]
        dicht = dicht.drop_duplicates(["wijkteam", "indicator", "periode_start"])
        gekoppeld = sleutel.merge(dicht, on=["wijkteam", "indicator", "periode_start"], how="left")
        weg = gekoppeld["reden_onderdrukking"].notna().to_numpy()
        rijen = uit.index[spc][weg]
        for i, (_, r) in zip(rijen, gekoppeld[weg].iterrows()):
            wie = "Gemeente als geheel" if r["wijkteam"] == TOTAAL else str(r["wijkteam"])
            uit.at[i, "zin"] = (f"{wie}: SPC-signaal bij {indicatornaam(r['indicator']).lower()} in "
                                f"{tekst.maand_jaar(r['periode_start'])}; de waarde zelf is niet gepubliceerd "
                                f"({r['reden_onderdrukking']}).")
            for k in ("waarde", "teller", "noemer", "referentie", "grootte"):
                if k in uit.columns:
                    uit[k] = uit[k].astype("float64") if pd.api.types.is_numeric_dtype(uit[k]) else uit[k]
                    uit.at[i, k] = np.nan
    else:
        rijen = uit.index[:0]
    vrij = vrijgeven(uit, cfg)
    # a withheld signal keeps its place on the list, but its sentence and evidence were written
    # from the withheld figures ("0% van de trajecten ... (O/E 0,00)"): they are replaced by
    # words without numbers, like the SPC case above
    if "onderdrukt" in vrij.columns and "zin" in vrij.columns:
        for i in vrij.index[vrij["onderdrukt"].astype(bool) & ~vrij.index.isin(rijen)]:
            r = vrij.loc[i]
            wie = "Gemeente als geheel" if r["wijkteam"] == TOTAAL else str(r["wijkteam"])
            reden = r.get("reden_onderdrukking") or "te klein aantal"
            vrij.at[i, "zin"] = (f"{wie}: signaal bij {indicatornaam(r['indicator']).lower()}; de cijfers zelf "
                                 f"zijn niet gepubliceerd ({reden}).")
            if "bewijs" in vrij.columns:
                vrij.at[i, "bewijs"] = "niet gepubliceerd"
    return vrij

_TOKEN = re.compile(ID_TOKEN)
# embedded images (base64) are pixels, not text: removed before scanning
_AFBEELDING = re.compile(r'data:image/[a-z+.-]+;base64,[A-Za-z0-9+/=\s\\n]+|"image/(png|jpeg|svg\+xml)": *"[^"]*"')


# notebook cell ids are structure, not content: a random hex id can look like an 8-digit BSN.
# In the HTML the template writes them as id="cell-id=..." (content is escaped and cannot
# produce this attribute); in the .ipynb they are removed from the parsed JSON.
_CEL_ID_HTML = re.compile(r'id="cell-id=[0-9a-zA-Z_-]{1,64}"')


def _zonder_cel_ids(tekst: str) -> str:
    try:
        nb = json.loads(tekst)
    except ValueError:
        return tekst
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return tekst
    for cel in nb["cells"]:
        if isinstance(cel, dict):
            cel.pop("id", None)
    return json.dumps(nb, indent=1, ensure_ascii=False)


#: A numeric cell of a worksheet (no ``t`` attribute, or ``t="n"``): a count or an amount.
_XLSX_GETALCEL = re.compile(r'<c\b(?![^>]*\bt="(?:s|str|inlineStr|e|b)")[^>]*?(?:/>|>.*?</c>)', re.DOTALL)

#: An amount in euro as the reports and figures' alt texts write it ("123.456.782 euro",
#: "€ 123.456.782"; table cells via :func:`monitoranalyse.tekst.euro`). Issue 16: a 9-digit
#: euro total passes the 11-proef one time in eleven, so
#: every report of a large gemeente (amounts of 100 million and more) was refused by the guard;
#: an amount written with its unit is never a BSN, so the BSN scan does not see it.
#: (``(?<!\d)``: a match never starts inside a group of digits -- the leftmost match starts at the
#: group's first digit anyway -- so the search does not rescan every digit of a csv full of numbers.)
_BEDRAG = re.compile(r"€\s?[-−]?\d[\d.\u00a0]*\d|(?<!\d)\d[\d.\u00a0]*\d\s?euro\b", re.IGNORECASE)


def _xlsx_teksten(pad: Path) -> tuple[str, str]:
    """(all cell contents, the text cells only) of a workbook, read and decompressed once.

    Cell contents, not the XML: the attributes hold structure, e.g. cell references such as
    r="M10001", that would otherwise collide with ids. The second text leaves out the numeric
    cells: counts and euro amounts from numeric columns. Ids and free text are text by the data
    contract (``string`` dtype) and are written as text cells, so the BSN scan of a workbook reads
    its text cells only (issue 16: an integral euro amount of 8 or 9 digits passed the 11-proef in
    half of 12 national gemeenten' indicatoren.xlsx)."""
    with zipfile.ZipFile(pad) as z:
        alles, tekst = [], []
        for n in z.namelist():
            if not n.endswith(".xml"):
                continue
            xml = z.read(n).decode("utf-8", "replace")
            alles.append(xml)
            tekst.append(_XLSX_GETALCEL.sub(" ", xml) if n.startswith("xl/worksheets/") else xml)
    return tuple(re.sub(r"<[^>]*>", " ", "\n".join(d)) for d in (alles, tekst))


def _tekst_van(pad: Path) -> str:
    if pad.suffix == ".xlsx":
        return _xlsx_teksten(pad)[0]
    if pad.suffix in {".png", ".jpg", ".gif"}:
        return ""
    if pad.suffix == ".pdf":
        # the text layer of the printed report (pypdf): a PDF leaves the package like the HTML.
        # Layout mode keeps table cells apart by several spaces; plain mode joins them with
        # one space, and the numbers of adjacent cells ("42 70 61") then read as a BSN written
        # in groups (measured: 3 false hits in the Lindeveen report, none in layout mode).
        from pypdf import PdfReader

        return "\n".join(pagina.extract_text(extraction_mode="layout") or ""
                         for pagina in PdfReader(str(pad)).pages)
    tekst = pad.read_bytes().decode("utf-8", "replace")
    if pad.suffix == ".ipynb":
        tekst = _zonder_cel_ids(tekst)
    elif pad.suffix == ".html":
        tekst = _CEL_ID_HTML.sub(" ", tekst)
    return _AFBEELDING.sub(" ", tekst)


def controleer_uitvoer(map_: Path, verboden: set[str]) -> list[tuple[str, str]]:
    """Scan every file below ``map_`` for a forbidden token (input ids) or a BSN-like number.

    Returns ``[(file, what)]`` — empty when clean. The id values themselves are not
    returned (the list may be printed); ``what`` says "id uit de invoer" or "BSN-achtig getal".
    Ids shorter than 4 characters cannot be told apart from ordinary numbers and are
    therefore required to be longer by the data contract (documented). Amounts written with
    their unit ("123.456.782 euro") and the numeric cells of a workbook are not scanned for
    BSNs (see :data:`_BEDRAG`, :func:`_xlsx_teksten`); every other text is.
    """
    treffers = []
    for pad in sorted(Path(map_).rglob("*")):
        if not pad.is_file():
            continue
        if pad.suffix == ".xlsx":
            inhoud, bsn_inhoud = _xlsx_teksten(pad)
        else:
            inhoud = bsn_inhoud = _tekst_van(pad)
        if not inhoud:
            continue
        tokens = set(_TOKEN.findall(inhoud))
        if tokens & verboden:
            treffers.append((str(pad.relative_to(map_)), f"{len(tokens & verboden)} id(s) uit de invoer"))
        if bevat_bsn(_BEDRAG.sub(" ", bsn_inhoud)):
            treffers.append((str(pad.relative_to(map_)), "BSN-achtig getal"))
    return treffers

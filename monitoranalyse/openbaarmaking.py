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
   * parts of one whole (:data:`monitoranalyse.catalogus.GEHELEN`, e.g. ZRM
     verbeterd / gelijk / verslechterd, and the uitsplitsing rows of
     :data:`~monitoranalyse.catalogus.GEHEEL_IN_UITSPLITSING`): their tellers add up to
     the published noemer, so the noemer acts as the total; one withheld part gets a
     second one (the smallest published part). This line rule is not part of the
     exact check below.

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

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .config import MonitorConfig
from .contract import INDICATOR_KOLOMMEN, TOTAAL

__all__ = [
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


def _catalogus():
    from . import catalogus

    if not catalogus.INDICATOREN:
        try:
            from . import indicatoren  # noqa: F401  (fills the catalog)
        except ImportError:
            pass
    return catalogus


def _standaard_typen() -> dict[str, str]:
    return {code: ind.type for code, ind in _catalogus().INDICATOREN.items()}


def _standaard_gevoelig() -> dict[str, bool]:
    return {code: ind.gevoelig for code, ind in _catalogus().INDICATOREN.items()}


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
        (:data:`monitoranalyse.catalogus.INDICATOREN`); codes found in neither are
        treated strictly.
    gevoelig : mapping, optional
        Indicator code -> whether the complement rule applies. Default: the catalog's
        ``gevoelig``; codes not found are gevoelig (strict).

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
    ontbreekt = [k for k in INDICATOR_KOLOMMEN if k not in tabel.columns]
    if ontbreekt:
        raise ValueError(f"indicatortabel mist kolom(men): {', '.join(ontbreekt)}")
    if drempel < 0 or afronden_op < 0:
        raise ValueError("drempel en afronden_op moeten >= 0 zijn")
    uit = tabel.copy()
    if typen is None:
        typen = _standaard_typen()
    typ = uit["indicator"].map(dict(typen)).to_numpy(dtype=object)
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
    groepen = (
        (sleutels[list(_SLEUTELS_TEAM)], is_team_totaal),
        (sleutels[list(_SLEUTELS_SPLITSING)], is_ongesplitst),
    )
    geheel_sl, in_geheel = _geheel_sleutels(sleutels)
    while True:
        veranderd = False
        for sl, is_tot in groepen:
            extra = _secundair(sl, is_tot, onderdrukt, omvang)
            if extra.any():
                onderdrukt |= extra
                veranderd = True
        extra = _geheel(geheel_sl, in_geheel, onderdrukt, omvang)
        if extra.any():
            onderdrukt |= extra
            veranderd = True
        if not veranderd:
            # the line rule is stable; now the exact check on the whole table
            extra = _bruggen(sleutels, is_team_totaal, is_ongesplitst, onderdrukt, omvang)
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
    cat = _catalogus()
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
    from .statistiek import intervallen

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

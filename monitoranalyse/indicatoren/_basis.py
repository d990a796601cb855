"""Shared machinery of the indicator library: dates, periods, team codes, aggregation.

Every indicator module builds on these helpers; see the package docstring of
:mod:`monitoranalyse.indicatoren` for the conventions. The module is internal to the
``indicatoren`` folder (leading underscore: only modules of this folder import it); the
names below are its interface to the theme modules, so they carry no underscore.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from monitoranalyse.indicatoren.catalogus import (
    Indicator,
    bekend,
    indicator,
    registreer,
    STATISTIEK_TYPES,
)
from monitoranalyse.contract import (
    MAATWERK,
    DIMENSIES,
    INDICATOR_KOLOMMEN,
    PERIODES,
    THEMAS,
    TOTAAL,
)
from monitoranalyse.statistiek import (
    gemiddelde_t_ci,
    intervallen,
    mediaan_met_ci,
    METHODE_MEDIAAN,
    METHODE_T,
)

__all__ = [
    "perioden", "peildatum", "peil_dag", "EXTRA_KOLOMMEN", "GEEN_INTERVAL", "Context", "definieer",
    # building blocks of the theme modules
    "af", "aantal", "proportie", "gemiddelde", "gemiddelde_sommen", "mediaan", "som", "binnen",
    "records", "leeg", "typen", "dagen", "dagen_int32", "GEEN_DAG", "getal", "tekst",
    "categorie_codes", "maatwerk_inzet",
    "bevolking_totaal", "maandnummer", "unieke_waarden",
    "DOEL_DOENLIJK", "DOEL_TIJDIG", "DOEL_LICHT", "DOEL_KOSTEN", "DOEL_RESULTAAT",
    "DOEL_BELEVING", "DOEL_CONTROL",
]

#: Columns that follow INDICATOR_KOLOMMEN in the output of :func:`bereken`: ``statistiek``
#: (the statistic type from the catalog, next to ``methode``, so later stages need not go
#: back to the catalog), ``volledig`` and ``inloop``.
EXTRA_KOLOMMEN: tuple[str, ...] = ("statistiek", "volledig", "inloop")
#: ``methode`` of rows without an interval (euro amounts, quarantine counts).
GEEN_INTERVAL = "geen interval"

_MAANDEN = {"maand": 1, "kwartaal": 3, "halfjaar": 6, "jaar": 12}
_TEKST = ("gemeente", "wijkteam", "indicator", "uitsplitsing", "methode")
_GETAL = ("teller", "noemer", "waarde", "ondergrens", "bovengrens")


# ---------------------------------------------------------------------------
# Small helpers: dates as float day numbers (NaN = missing)
# ---------------------------------------------------------------------------


_DAG = {"ns": 86_400_000_000_000, "us": 86_400_000_000, "ms": 86_400_000, "s": 86_400, "D": 1}


def dagen(s) -> np.ndarray:
    """Days since 1970-01-01 as float64 (NaN for missing) from a date Series.

    Works on the int64 view of the datetime64 values (no per-element conversion).
    """
    s = pd.Series(s)
    if not pd.api.types.is_datetime64_any_dtype(s):
        s = pd.to_datetime(s, errors="coerce")
    if getattr(s.dt, "tz", None) is not None:
        s = s.dt.tz_localize(None)
    a = s.to_numpy()
    eenheid = np.datetime_data(a.dtype)[0]
    if eenheid not in _DAG:
        a = a.astype("datetime64[ns]")
        eenheid = "ns"
    i = a.view("int64")
    uit = np.floor_divide(i, _DAG[eenheid]).astype("float64")
    uit[i == np.iinfo("int64").min] = np.nan
    return uit


GEEN_DAG = np.iinfo("int32").min


def dagen_int32(s) -> np.ndarray:
    """Days since 1970-01-01 as int32, missing = ``GEEN_DAG`` (compact variant)."""
    d = dagen(s)
    uit = np.full(d.shape, GEEN_DAG, dtype="int32")
    ok = ~np.isnan(d)
    uit[ok] = d[ok]
    return uit


def maandnummer(d) -> np.ndarray:
    """Month number (months since 1970-01) of float day numbers; NaN stays NaN.

    Converts each distinct day once (a lookup table over the day range), so a
    call on tens of millions of dates costs one gather.
    """
    d = np.atleast_1d(np.asarray(d, dtype="float64"))
    uit = np.full(d.shape, np.nan)
    ok = ~np.isnan(d)
    if not ok.any():
        return uit
    dag = d[ok].astype("int64")
    lo, hi = int(dag.min()), int(dag.max())
    if hi - lo < 200_000 and len(dag) > 4 * (hi - lo + 1):
        dagen = np.arange(lo, hi + 1)
        tabel = dagen.astype("datetime64[D]").astype("datetime64[M]").astype("int64")
        uit[ok] = tabel[dag - lo]
    else:
        uit[ok] = dag.astype("datetime64[D]").astype("datetime64[M]").astype("int64")
    return uit


def getal(s) -> np.ndarray:
    return pd.Series(s).astype("float64").to_numpy(na_value=np.nan)


def tekst(s) -> np.ndarray:
    """Object array of strings ("" for missing); fast for low-cardinality columns."""
    s = pd.Series(s)
    if len(s) == 0:
        return np.array([], dtype=object)
    cat = s.astype("category")
    labels = np.append(cat.cat.categories.astype(str).to_numpy(dtype=object), "")
    return labels[cat.cat.codes.to_numpy()]  # code -1 (missing) -> ""


def categorie_codes(s, categorieen: Sequence[str]) -> np.ndarray:
    """Position of each value in ``categorieen`` (-1 for missing/unknown), vectorised.

    Uses pyarrow's ``index_in`` (one C++ hash pass) and falls back to pandas
    categoricals for columns that are not Arrow-backed.
    """
    s = pd.Series(s)
    if len(s) == 0:
        return np.array([], dtype="int64")
    if getattr(s.dtype, "storage", None) == "pyarrow":
        idx = pc.index_in(pa.array(s), value_set=pa.array(list(categorieen), pa.string()))
        return np.asarray(pc.fill_null(idx, -1)).astype("int64")
    cat = s.astype("category")
    naar = np.append(pd.Index(list(categorieen)).get_indexer(cat.cat.categories.astype(str)), -1)
    return naar[cat.cat.codes.to_numpy()].astype("int64")


def unieke_waarden(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values of an integer array and their counts, with one sort.

    numpy 2's hash-based ``np.unique`` (used when no counts are asked) was several times
    slower on millions of int64 keys than sorting.
    """
    x = np.sort(np.asarray(x), kind="stable")
    if len(x) == 0:
        return x, np.array([], dtype="int64")
    nieuw = np.flatnonzero(np.r_[True, x[1:] != x[:-1]])
    return x[nieuw], np.diff(np.r_[nieuw, len(x)])


def bevolking_totaal(bev: pd.DataFrame) -> pd.DataFrame:
    """Inwoners per (gemeente, wijkteam, jaar) over all ages.

    ``bevolking`` may carry ``leeftijdsgroep`` (issue 14): a row with an empty group is the
    total; a team-year without such a row gets the sum of its group rows. Returns columns
    gemeente, wijkteam, jaar, inwoners (one row per team-year).
    """
    kol = ["gemeente", "wijkteam", "jaar", "inwoners"]
    if len(bev) == 0 or "leeftijdsgroep" not in bev.columns or bev["leeftijdsgroep"].isna().all():
        return bev[kol] if len(bev) else pd.DataFrame(columns=kol)
    groep = bev["leeftijdsgroep"].isna() | (bev["leeftijdsgroep"].astype("string").str.strip() == "")
    totaal = bev.loc[groep, kol]
    som = bev.loc[~groep, kol].groupby(["gemeente", "wijkteam", "jaar"], dropna=False,
                                       as_index=False)["inwoners"].sum()
    heeft = pd.MultiIndex.from_frame(totaal[["gemeente", "wijkteam", "jaar"]])
    som = som[~pd.MultiIndex.from_frame(som[["gemeente", "wijkteam", "jaar"]]).isin(heeft)]
    return pd.concat([totaal, som], ignore_index=True)


def peildatum(md) -> pd.Timestamp | None:
    """The data end: latest date in trajecten, inzet and zrm (None without dates).

    Returns
    -------
    Timestamp or None
    """
    d = peil_dag(md)
    return None if np.isnan(d) else pd.Timestamp(int(d), unit="D")


def peil_dag(md) -> float:
    kandidaten = []
    bron = {
        "trajecten": ("datum_melding", "datum_intake", "datum_plan", "datum_einde"),
        "inzet": ("datum_start", "datum_aanvraag", "datum_beschikking"),
        "zrm": ("datum",),
    }
    for tabel, kolommen in bron.items():
        df = md.tabellen[tabel]
        for k in kolommen:
            if k in df.columns and len(df):
                d = dagen(df[k])
                if (~np.isnan(d)).any():
                    kandidaten.append(np.nanmax(d))
    return float(max(kandidaten)) if kandidaten else np.nan


# ---------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------


def perioden(md, periode: str = "kwartaal", van=None, tot=None) -> pd.DataFrame:
    """The reporting periods of a dataset.

    From the period that holds the first melding to the period that holds the
    peildatum, restricted to the periods that lie *wholly* inside [van, tot]
    (``van`` counts from the first day of its month, ``tot`` as a month ``"jjjj-mm"``
    includes that whole month). A period that sticks out of the window is left out,
    not cut: a "year" is always twelve months. The batch uses exactly this window
    (``batch.bereken_resultaten`` computes with ``van``/``tot`` instead of filtering
    afterwards), so the library and the reports agree on which periods are shown.

    Parameters
    ----------
    md : Monitordata
    periode : {"maand", "kwartaal", "halfjaar", "jaar"}
    van, tot : str, date or None

    Returns
    -------
    DataFrame
        Columns ``p`` (0, 1, ...), ``periode_start``, ``periode_eind`` (last day,
        inclusive) and ``volledig`` (period ends on or before the peildatum).
        ``attrs`` holds ``maanden`` (months per period), ``m0`` (month number of the
        first start), ``peildatum`` and ``periode``.
    """
    if periode not in PERIODES:
        raise ValueError(
            f"Onbekende periode '{periode}'; kies uit: {', '.join(PERIODES)}"
        )
    k = _MAANDEN[periode]
    peil = peil_dag(md)
    melding = dagen(md.tabellen["trajecten"]["datum_melding"])
    starts = np.array([], dtype="int64")
    if (~np.isnan(melding)).any() and not np.isnan(peil):
        m_min = int(maandnummer(np.nanmin(melding))[0])
        m_max = int(maandnummer(max(peil, np.nanmax(melding)))[0])
        starts = np.arange((m_min // k) * k, (m_max // k) * k + 1, k, dtype="int64")
        if van is not None:
            v = int(maandnummer(dagen([pd.Timestamp(van)]))[0])
            starts = starts[starts >= v]
        if tot is not None:
            t = int(maandnummer(dagen([pd.Timestamp(tot)]))[0])
            starts = starts[starts + k - 1 <= t]
    start = starts.astype("datetime64[M]").astype("datetime64[ns]")
    eind = ((starts + k).astype("datetime64[M]").astype("datetime64[D]") - np.timedelta64(1, "D"))
    eind = eind.astype("datetime64[ns]")
    per = pd.DataFrame(
        {
            "p": np.arange(len(starts), dtype="int64"),
            "periode_start": start,
            "periode_eind": eind,
            "volledig": (eind.astype("datetime64[D]").astype("int64") <= peil)
            if len(starts)
            else np.array([], dtype=bool),
        }
    )
    per.attrs.update(
        maanden=k,
        m0=int(starts[0]) if len(starts) else 0,
        peildatum=None if np.isnan(peil) else pd.Timestamp(int(peil), unit="D"),
        periode=periode,
    )
    return per


# ---------------------------------------------------------------------------
# The computation context: integer codes for teams and periods, shared per run
# ---------------------------------------------------------------------------


class Context:
    """Per (md, perioden): team codes, traject arrays and memoised intermediate results.

    Team codes 0..nT-1 are (gemeente, wijkteam) pairs; codes nT.. are the gemeente
    totals ("eenheden"). ``tot[team]`` gives the totaal code of a team.
    """

    def __init__(self, md, per: pd.DataFrame):
        self.md = md
        self.per = per
        self.nP = len(per)
        self.k = int(per.attrs.get("maanden", 3))
        self.m0 = int(per.attrs.get("m0", 0))
        pd_ = per.attrs.get("peildatum")
        self.peil = np.nan if pd_ is None else float(dagen([pd_])[0])
        self.memo: dict = {}
        tr = md.tabellen["trajecten"]
        paren = [tr[["gemeente", "wijkteam"]]]
        for naam in ("formatie", "bevolking", "enquete"):
            df = md.tabellen[naam]
            if len(df) and {"gemeente", "wijkteam"} <= set(df.columns):
                paren.append(df[["gemeente", "wijkteam"]])
        teams = (
            pd.concat(paren, ignore_index=True)
            .astype("string")
            .dropna()
            .drop_duplicates()
            .sort_values(["gemeente", "wijkteam"])
            .reset_index(drop=True)
        )
        self.teams = teams
        self.nT = len(teams)
        gemeenten = sorted(teams["gemeente"].unique().tolist())
        self.gemeenten = gemeenten
        gem_code = pd.Index(gemeenten).get_indexer(teams["gemeente"])
        self.tot = (self.nT + gem_code).astype("int64")
        self.gem_van_team = gem_code.astype("int64")
        self.eenheden = pd.concat(
            [teams, pd.DataFrame({"gemeente": gemeenten, "wijkteam": TOTAAL})],
            ignore_index=True,
        ).astype("string")
        self._team_index = pd.MultiIndex.from_frame(teams)
        # trajecten as arrays
        self.tr_team = self.team_codes(tr)
        self.melding = dagen(tr["datum_melding"])
        self.intake = dagen(tr["datum_intake"])
        self.plan = dagen(tr["datum_plan"])
        self.einde = dagen(tr["datum_einde"])
        self._tr_index = pd.Index(tr["traject_id"])
        self._tr_arrow = None

    # -- codes -------------------------------------------------------------
    def team_codes(self, df: pd.DataFrame) -> np.ndarray:
        """Team code per row of a frame with gemeente and wijkteam (-1 if unknown)."""
        if len(df) == 0:
            return np.array([], dtype="int64")
        g = df.groupby(["gemeente", "wijkteam"], sort=False, dropna=False)
        rij = g.ngroup().to_numpy()
        sleutels = g.size().index  # same order as ngroup with sort=False
        sl = pd.MultiIndex.from_arrays(
            [
                sleutels.get_level_values(0).astype("string"),
                sleutels.get_level_values(1).astype("string"),
            ]
        )
        code = self._team_index.get_indexer(sl)
        return code[rij].astype("int64")

    def runs(self, traject_id) -> tuple[np.ndarray, np.ndarray]:
        """Runs of equal consecutive ids: (begin row of each run, trajecten position).

        Tables such as zrm and inzet are usually grouped by traject, so looking up
        only the first row of every run costs one hash lookup per run, not per row.
        The result is correct for any order. Position -1 = unknown traject.
        """
        s = pd.Series(traject_id).reset_index(drop=True)
        if len(s) == 0:
            return np.array([], dtype="int64"), np.array([], dtype="int64")
        nieuw = s.ne(s.shift()).fillna(True).to_numpy(dtype=bool, copy=True)
        nieuw[0] = True
        begin = np.flatnonzero(nieuw)
        koppen = s.iloc[begin]
        return begin, self._zoek(koppen)

    def _zoek(self, ids: pd.Series) -> np.ndarray:
        """Position in trajecten of every id (-1 unknown); pyarrow hash when possible."""
        if (getattr(ids.dtype, "storage", None) == "pyarrow"
                and getattr(self._tr_index.dtype, "storage", None) == "pyarrow"):
            if self._tr_arrow is None:
                self._tr_arrow = pa.array(pd.Series(self._tr_index))
            pos = pc.index_in(pa.array(ids), value_set=self._tr_arrow)
            return np.asarray(pc.fill_null(pos, -1)).astype("int64")
        return self._tr_index.get_indexer(ids.astype(self._tr_index.dtype)).astype("int64")

    def posities(self, traject_id) -> np.ndarray:
        """Row position in trajecten of each traject_id (-1 if unknown)."""
        begin, pos = self.runs(traject_id)
        return np.repeat(pos, np.diff(np.append(begin, len(traject_id))))

    def p(self, dagen: np.ndarray) -> np.ndarray:
        """Period index (float, NaN for missing; may lie outside 0..nP-1)."""
        return np.floor((maandnummer(dagen) - self.m0) / self.k)

    def termijn(self, naam: str) -> np.ndarray:
        """Term in days per team code (gemeente overrides applied)."""
        cfg = self.md.config
        per_gem = np.array(
            [cfg.voor_gemeente(g).termijnen[naam] for g in self.gemeenten], dtype="float64"
        )
        return per_gem[self.gem_van_team] if self.nT else np.array([], dtype="float64")

    # -- memoised intermediate tables -------------------------------------
    def onthoud(self, sleutel: str, maak: Callable):
        if sleutel not in self.memo:
            self.memo[sleutel] = maak()
        return self.memo[sleutel]

    def inzet(self) -> pd.DataFrame:
        def maak():
            iz = self.md.tabellen["inzet"]
            pos = self.posities(iz["traject_id"]) if len(iz) else np.array([], dtype="int64")
            df = pd.DataFrame(
                {
                    "pos": pos,
                    "team": np.where(pos >= 0, self.tr_team[np.maximum(pos, 0)], -1)
                    if len(iz)
                    else pos,
                    "vorm": tekst(iz["vorm"]),
                    "start": dagen(iz["datum_start"]),
                    "kosten": getal(iz["kosten"]),
                    "beschikking": tekst(iz["beschikking"]),
                    "aanvraag": dagen(iz["datum_aanvraag"]),
                    "besluit": dagen(iz["datum_beschikking"]),
                }
            )
            return df[df["pos"] >= 0].reset_index(drop=True)

        return self.onthoud("inzet", maak)


# ---------------------------------------------------------------------------
# Aggregation helpers (team level + pooled gemeente total)
# ---------------------------------------------------------------------------


def binnen(c: Context, team, p) -> np.ndarray:
    return (team >= 0) & ~np.isnan(p) & (p >= 0) & (p < c.nP)


def records(c: Context, team, p, split=None, **waarden) -> pd.DataFrame:
    m = binnen(c, team, p)
    data = {"eenheid": team[m], "p": p[m].astype("int64")}
    data["uitsplitsing"] = split[m] if split is not None else np.full(m.sum(), "", dtype=object)
    for k, v in waarden.items():
        data[k] = np.broadcast_to(v, m.shape)[m]
    return pd.DataFrame(data)


def _splitcodes(split, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and labels of a split column (one label "" when not split)."""
    if split is None:
        return np.zeros(n, dtype="int64"), np.array([""], dtype=object)
    codes, labels = pd.factorize(np.asarray(split, dtype=object))
    if len(labels) == 0:
        return codes.astype("int64"), np.array([""], dtype=object)
    return codes.astype("int64"), np.asarray(labels, dtype=object)


def som(c: Context, team, p, split=None, totaal_split=False, **waarden) -> pd.DataFrame:
    """Sums of ``waarden`` per (eenheid, p, uitsplitsing), team level and gemeente total.

    Returns columns eenheid, p, uitsplitsing and one column per waarde, for the
    combinations that hold at least one record. With ``totaal_split`` the rows over
    all uitsplitsingen are added as uitsplitsing "". Missing values count as 0.
    Vectorised with one ``np.bincount`` per value on the combined integer key
    (team, period, split); the gemeente totals are sums of the (small) team rows.
    """
    m = binnen(c, team, p)
    s_code, labels = _splitcodes(None if split is None else np.asarray(split)[m], int(m.sum()))
    nS, nP = len(labels), c.nP
    sleutel = (team[m] * nP + p[m].astype("int64")) * nS + s_code
    lengte = max(c.nT * nP * nS, 1)
    n = np.bincount(sleutel, minlength=lengte)
    nz = np.flatnonzero(n)
    g = pd.DataFrame({"eenheid": nz // (nP * nS), "p": (nz // nS) % nP,
                      "uitsplitsing": labels[nz % nS]})
    kol = list(waarden)
    for k, v in waarden.items():
        w = np.nan_to_num(np.broadcast_to(np.asarray(v, dtype="float64"), m.shape)[m])
        g[k] = np.bincount(sleutel, weights=w, minlength=lengte)[nz]
    t = g.assign(eenheid=c.tot[g["eenheid"].to_numpy()])
    t = t.groupby(["eenheid", "p", "uitsplitsing"], sort=False)[kol].sum().reset_index()
    uit = pd.concat([g, t], ignore_index=True)
    if totaal_split and split is not None:
        s = uit.groupby(["eenheid", "p"], sort=False)[kol].sum().reset_index()
        s["uitsplitsing"] = ""
        uit = pd.concat([uit, s], ignore_index=True)
    return uit


def _rooster(c: Context, agg: pd.DataFrame, splits: Sequence[str] = ("",), nul=("teller",)):
    """Complete ``agg`` to every eenheid x period x split (missing counts become 0)."""
    idx = pd.MultiIndex.from_product(
        [np.arange(len(c.eenheden)), np.arange(c.nP), list(splits)],
        names=["eenheid", "p", "uitsplitsing"],
    )
    uit = agg.set_index(["eenheid", "p", "uitsplitsing"]).reindex(idx).reset_index()
    for k in nul:
        uit[k] = uit[k].fillna(0.0)
    return uit


def proportie(c, team, p, teller, noemer=1.0, split=None, totaal_split=False):
    a = som(c, team, p, split, totaal_split, teller=np.asarray(teller, float),
             noemer=np.asarray(noemer, float))
    a = a[a["noemer"] > 0]
    return a.assign(waarde=a["teller"] / a["noemer"])


def aantal(c, team, p, split=None, totaal_split=False, splits=("",), gewicht=1.0):
    a = som(c, team, p, split, totaal_split, teller=np.asarray(gewicht, float))
    a = _rooster(c, a, splits)
    return a.assign(noemer=np.nan, waarde=a["teller"])


def gemiddelde(c, team, p, x, split=None, totaal_split=False):
    x = np.asarray(x, float)
    ok = ~np.isnan(x)
    return gemiddelde_sommen(c, team[ok], p[ok], None if split is None else split[ok],
                              x[ok], x[ok] ** 2, 1.0, totaal_split)


def gemiddelde_sommen(c, team, p, split, s1, s2, n, totaal_split=False,
                       betrouwbaarheid=0.95):
    """Mean with t interval from (pre-aggregated) sums s1 = sum x, s2 = sum x², n."""
    a = som(c, team, p, split, totaal_split, s1=s1, s2=s2, n=n)
    gem = a["s1"] / a["n"]
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.clip((a["s2"] - a["n"] * gem**2) / (a["n"] - 1), 0, None)
    sd = np.sqrt(var)
    lo, hi = gemiddelde_t_ci(gem, sd, a["n"], betrouwbaarheid)
    return pd.DataFrame(
        {
            "eenheid": a["eenheid"], "p": a["p"], "uitsplitsing": a["uitsplitsing"],
            "teller": a["s1"], "noemer": a["n"], "waarde": gem,
            "ondergrens": lo, "bovengrens": hi, "methode": METHODE_T,
        }
    )


def mediaan(c, team, p, x, split=None, totaal_split=False):
    """Median with distribution-free interval per (eenheid, p, uitsplitsing).

    The values are grouped on one integer key (eenheid, period, split) and handed to
    :func:`monitoranalyse.statistiek.mediaan_met_ci` (sorted once, order statistics
    by position). Totals pool the records of all teams of the gemeente.
    """
    x = np.asarray(x, float)
    m = binnen(c, team, p) & ~np.isnan(x)
    s_code, labels = _splitcodes(None if split is None else np.asarray(split)[m], int(m.sum()))
    if totaal_split and split is not None:
        labels = np.append(labels, "")
    nS, nP = len(labels), c.nP
    team, pp, x = team[m], p[m].astype("int64"), x[m]
    tot = c.tot[team]
    sleutels = [(team * nP + pp) * nS + s_code, (tot * nP + pp) * nS + s_code]
    if totaal_split and split is not None:
        sleutels += [(team * nP + pp) * nS + nS - 1, (tot * nP + pp) * nS + nS - 1]
    A = pd.DataFrame({"k": np.concatenate(sleutels), "x": np.tile(x, len(sleutels))})
    if len(A) == 0:
        return pd.DataFrame(columns=["eenheid", "p", "uitsplitsing", "teller", "noemer", "waarde"])
    r = mediaan_met_ci(A, "x", ["k"])
    k = r["k"].to_numpy()
    return pd.DataFrame(
        {
            "eenheid": k // (nP * nS), "p": (k // nS) % nP, "uitsplitsing": labels[k % nS],
            "teller": np.nan, "noemer": r["n"].to_numpy(dtype=float),
            "waarde": r["mediaan"].to_numpy(), "ondergrens": r["ondergrens"].to_numpy(),
            "bovengrens": r["bovengrens"].to_numpy(), "methode": METHODE_MEDIAAN,
        }
    )


def leeg() -> pd.DataFrame:
    return typen(pd.DataFrame({k: [] for k in (*INDICATOR_KOLOMMEN, *EXTRA_KOLOMMEN)}))


def typen(df: pd.DataFrame) -> pd.DataFrame:
    """The tidy columns in their order and dtypes. Built as one dict and one DataFrame (not
    column by column: that cost ~8 ms per indicator, 40% of a small gemeente's indicators)."""
    kol = {}
    for k in (*INDICATOR_KOLOMMEN, *EXTRA_KOLOMMEN):
        if k in _TEKST:
            kol[k] = df[k].astype("string") if k in df else pd.Series(pd.NA, df.index, "string")
        elif k in _GETAL:
            kol[k] = df[k].astype("float64") if k in df else pd.Series(np.nan, df.index, "float64")
        elif k in ("periode_start", "periode_eind"):
            kol[k] = df[k].astype("datetime64[ns]")
        elif k == "statistiek":
            if k in df:
                kol[k] = df[k].astype("string")
            else:
                codes = df["indicator"]
                typen_ = {c: (indicator(c).type if bekend(c) else pd.NA) for c in pd.unique(codes)}
                kol[k] = codes.map(typen_).astype("string")
        elif k == "volledig":
            kol[k] = df[k].astype(bool) if k in df else pd.Series(True, df.index, bool)
        elif k == "inloop":
            kol[k] = df[k].astype(bool) if k in df else pd.Series(False, df.index, bool)
    return pd.DataFrame(kol, index=df.index)


def af(c: Context, agg: pd.DataFrame, code: str, interval: bool = True) -> pd.DataFrame:
    """Turn coded aggregates into tidy rows of indicator ``code`` (with intervals)."""
    if len(agg) == 0:
        return leeg()
    e = agg["eenheid"].to_numpy(dtype="int64")
    d = {
        "gemeente": c.eenheden["gemeente"].to_numpy()[e],
        "wijkteam": c.eenheden["wijkteam"].to_numpy()[e],
    }
    if "p" in agg:
        p = agg["p"].to_numpy(dtype="int64")
        d["periode_start"] = c.per["periode_start"].to_numpy()[p]
        d["periode_eind"] = c.per["periode_eind"].to_numpy()[p]
        d["volledig"] = c.per["volledig"].to_numpy()[p]
    else:
        for k in ("periode_start", "periode_eind", "volledig"):
            d[k] = agg[k].to_numpy()
    d["indicator"] = code
    d["uitsplitsing"] = agg["uitsplitsing"].to_numpy(dtype=object)
    for k in _GETAL:
        d[k] = agg[k].to_numpy(dtype="float64") if k in agg else np.nan
    d["methode"] = agg["methode"].to_numpy(dtype=object) if "methode" in agg else None
    out = pd.DataFrame(d)
    type_ = indicator(code).type
    out["statistiek"] = type_
    if not interval or type_ == "bedrag":
        out["methode"] = GEEN_INTERVAL
    elif type_ in ("proportie", "aantal", "ratio"):
        out = intervallen(out, type_)
    return typen(out)


def maatwerk_inzet(c: Context):
    """Maatwerk inzet (vorm in contract.MAATWERK): frame, team codes, start periods."""
    iz = c.inzet()
    iz = iz[iz["vorm"].isin(MAATWERK)]
    return iz, iz["team"].to_numpy(), c.p(iz["start"].to_numpy())


# ---------------------------------------------------------------------------
# Registration
# ---------------------------------------------------------------------------


def definieer(code, naam, thema, type, beter, eenheid, doel, omschrijving,
               dimensie=None, norm=None):
    """Decorator: register an indicator ``f(context, code) -> tidy rows`` in the catalog.

    The catalog's ``functie`` is ``functie(md, perioden, context=None)``: :func:`bereken`
    passes one :class:`Context` to every indicator of a run, so intermediate results
    (caseload matrix, ZRM per traject, inzet) are computed once; no module-global state.
    """
    assert thema in THEMAS and type in STATISTIEK_TYPES
    assert dimensie is None or dimensie in DIMENSIES

    def deco(f):
        def functie(md, per, context: Context | None = None):
            # the context of one run of bereken() is passed in explicitly (shared
            # intermediate results); a standalone call builds its own
            if context is None or context.md is not md or context.per is not per:
                context = Context(md, per)
            return f(context, code)

        functie.__name__ = code
        functie.__doc__ = f"{naam}: {omschrijving}"
        registreer(Indicator(code=code, naam=naam, thema=thema, dimensie=dimensie, type=type,
                             beter=beter, norm=norm, eenheid=eenheid, doel=doel,
                             omschrijving=omschrijving, functie=functie))
        return f

    return deco


DOEL_DOENLIJK = "Het werk is doenlijk: caseload past bij de capaciteit"
DOEL_TIJDIG = "Inwoners krijgen tijdig hulp (wettelijke termijnen)"
DOEL_LICHT = "Van zware specialistische zorg naar lichte zorg en eigen kracht"
DOEL_KOSTEN = "Kosten van maatwerk beheersen"
DOEL_RESULTAAT = "De inwoner wordt zelfredzamer en bereikt zijn doelen"
DOEL_BELEVING = "Inwoners en partners zijn tevreden"
DOEL_CONTROL = "Registratie is volledig en inzet is rechtmatig"

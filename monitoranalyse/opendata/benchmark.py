"""Benchmark a gemeente against comparable gemeenten and the country with CBS open data.

The registration of the wijkteams says what a gemeente does; CBS StatLine says how the
result compares with others. This module turns the CBS extracts read by
:mod:`monitoranalyse.opendata.cbs` into the comparison a rekenkamer asks for:

* jeugdhulp: trajecten **met vs zonder verblijf** and the **share of jeugdhulp zonder
  verblijf delivered by the wijk-/buurtteam** (82968NED, successor 85094NED, counts on a
  peildatum, so real teller/noemer);
* the **indicators of 82972NED** (successor 85098NED): % young people with jeugdhulp and
  % of them with jeugdhulp met verblijf (CBS publishes percentages only);
* **Wmo-cliënten per 1.000 inwoners** (86050NED) and **in- en uitstroom** (86051NED).

For every indicator the gemeente is set against a peer group
(:func:`monitoranalyse.opendata.cbs.vergelijkbare_gemeenten`, or a given list) and Nederland, a trend
is estimated per series *segment* (never across a reeksbreuk between table generations,
:func:`monitoranalyse.opendata.cbs.markeer_reeksbreuken`) with :func:`monitoranalyse.analyse.trend.trend`,
and one recent period is shown as a funnel of all gemeenten.

Honest limits of the extracts in ``../shared/data/cbs`` (their SOURCE.txt): the 2021+
successors (85094NED, 85098NED) are *not* on disk, so the jeugd series end in 2020 (the code
handles them when present); 86050NED/86051NED are truncated to the "Totaal" rows (no
breakdown by type of voorziening); 86051NED has no Nederland row; 85383NED (inwoners) only
covers 2023-2025. Suppressed cells stay missing (NaN) throughout; CBS's provisional flag is
carried as ``voorlopig``.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from monitoranalyse.opendata import cbs as _cbs
from monitoranalyse import tekst
from monitoranalyse.analyse import trend as _trend
from monitoranalyse.analyse import vergelijking
from monitoranalyse.contract import TOTAAL
from monitoranalyse.rapport import figuren

__all__ = [
    "BenchmarkIndicator",
    "INDICATOREN",
    "Benchmark",
    "lees_cbs",
    "benchmark",
    "kerntabel",
    "tabel_reeks",
    "figuur_reeks",
    "figuur_verblijf",
    "figuur_funnel",
    "GROEP_GEMEENTE",
    "GROEP_PEERS",
    "GROEP_NL",
]

GROEP_GEMEENTE = "gemeente"
GROEP_PEERS = "vergelijkbare gemeenten"
GROEP_NL = "Nederland"


@dataclass(frozen=True)
class BenchmarkIndicator:
    """Definition of one benchmark indicator built from CBS measures.

    ``teller``/``noemer`` are CBS indicator codes (of :mod:`monitoranalyse.opendata.cbs`) when
    the indicator is a ratio of two published counts; ``waarde`` is the code of a
    published value (percentage, per 1.000) when CBS gives no counts. ``tabellen`` are
    the table generations, oldest first (a reeksbreuk lies between them).
    """

    code: str
    naam: str
    onderwerp: str
    tabellen: tuple[str, ...]
    periodesoort: str
    eenheid: str  # "fractie" (shown as %), "procent" (0-100), "per 1.000 inwoners"
    teller: str | None = None
    noemer: str | None = None
    waarde: str | None = None
    uitsplitsing: str = ""
    type_trend: str = "proportie"
    type_funnel: str = "proportie"  # or "gemiddelde_sd" (mean/sd funnel, no counts)
    beter: str | None = None
    noemer_bron: str | None = None  # "inwoners_wmo": implied from 86050NED


#: The indicators of the benchmark, in report order.
INDICATOREN: tuple[BenchmarkIndicator, ...] = (
    BenchmarkIndicator(
        "aandeel_jeugdhulp_met_verblijf",
        "Aandeel jeugdhulptrajecten met verblijf",
        "jeugd",
        ("82968NED", "85094NED"),
        "peildatum",
        "fractie",
        teller="jeugdhulp_met_verblijf",
        noemer="jeugdhulptrajecten",
        beter="lager",
    ),
    BenchmarkIndicator(
        "aandeel_wijkteam",
        "Aandeel jeugdhulp zonder verblijf uitgevoerd door het wijk- of buurtteam",
        "jeugd",
        ("82968NED", "85094NED"),
        "peildatum",
        "fractie",
        teller="jeugdhulp_zonder_verblijf_wijkteam",
        noemer="jeugdhulp_zonder_verblijf",
        beter="hoger",
    ),
    BenchmarkIndicator(
        "jongeren_met_jeugdhulp",
        "Jongeren met jeugdhulp in natura (%)",
        "jeugd",
        ("82972NED", "85098NED"),
        "jaar",
        "procent",
        waarde="jongeren_met_jeugdhulp_pct",
        type_trend="gemiddelde",
        type_funnel="gemiddelde_sd",
    ),
    BenchmarkIndicator(
        "jongeren_jeugdhulp_met_verblijf",
        "Jongeren met jeugdhulp: aandeel met verblijf (%)",
        "jeugd",
        ("82972NED", "85098NED"),
        "jaar",
        "procent",
        waarde="jeugdhulp_met_verblijf_pct",
        type_trend="gemiddelde",
        type_funnel="gemiddelde_sd",
        beter="lager",
    ),
    BenchmarkIndicator(
        "wmo_clienten_per_1000",
        "Wmo-cliënten per 1.000 inwoners",
        "wmo",
        ("86050NED",),
        "jaar",
        "per 1.000 inwoners",
        teller="wmo_clienten",
        noemer="inwoners",
        uitsplitsing="Totaal",
        type_trend="ratio",
        noemer_bron="inwoners_wmo",
    ),
    BenchmarkIndicator(
        "wmo_instroom_per_1000",
        "Wmo-instroom per 1.000 inwoners",
        "wmo",
        ("86051NED",),
        "jaar",
        "per 1.000 inwoners",
        teller="wmo_instroom",
        noemer="inwoners",
        uitsplitsing="Totaal",
        type_trend="ratio",
        type_funnel="ratio",
        noemer_bron="inwoners_wmo",
    ),
    BenchmarkIndicator(
        "wmo_uitstroom_per_1000",
        "Wmo-uitstroom per 1.000 inwoners",
        "wmo",
        ("86051NED",),
        "jaar",
        "per 1.000 inwoners",
        teller="wmo_uitstroom",
        noemer="inwoners",
        uitsplitsing="Totaal",
        type_trend="ratio",
        type_funnel="ratio",
        noemer_bron="inwoners_wmo",
    ),
)
_PER_CODE = {i.code: i for i in INDICATOREN}

#: Columns of :attr:`Benchmark.reeksen`.
REEKS_KOLOMMEN = [
    "groep", "regio", "indicator", "naam", "periode_start", "periode_eind", "periodesoort",
    "teller", "noemer", "waarde", "eenheid", "n_gemeenten", "voorlopig", "reeks", "segment",
    "na_breuk", "breuk_voor",
]


@dataclass
class Benchmark:
    """Result of :func:`benchmark` (all frames tidy; column lists in :func:`benchmark`)."""

    gemeente: str
    in_cbs: bool
    peers: pd.DataFrame
    reeksen: pd.DataFrame
    trends: pd.DataFrame
    funnels: pd.DataFrame
    beschikbaarheid: pd.DataFrame
    meldingen: list[str] = field(default_factory=list)

    def indicator(self, code: str) -> BenchmarkIndicator:
        return _PER_CODE[code]


# ---------------------------------------------------------------------------
# Reading (with an optional cache for the batch)
# ---------------------------------------------------------------------------


def lees_cbs(cbs_map, werkmap=None) -> dict[str, pd.DataFrame]:
    """Read every CBS extract under ``cbs_map`` (:func:`monitoranalyse.opendata.cbs.lees_map`).

    With ``werkmap`` the parsed tables are cached there (pickle), keyed on the names,
    sizes and modification times of the files, so a batch over many gemeenten reads the
    CSV files once.

    Raises
    ------
    ValueError
        Dutch message when the folder does not exist.
    """
    cbs_map = Path(cbs_map)
    if not cbs_map.is_dir():
        raise ValueError(f"map met CBS-tabellen niet gevonden: {cbs_map}")
    if werkmap is None:
        return _cbs.lees_map(cbs_map)
    bestanden = sorted(cbs_map.rglob("*NED*.csv"))
    h = hashlib.sha256()
    for p in bestanden:
        st = p.stat()
        h.update(f"{p.resolve()}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    cache = Path(werkmap) / f"cbs_tabellen_{h.hexdigest()[:16]}.pkl"
    if cache.is_file():
        with open(cache, "rb") as f:
            return pickle.load(f)
    tabellen = _cbs.lees_map(cbs_map)
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        pickle.dump(tabellen, f)
    tmp.replace(cache)
    return tabellen


# ---------------------------------------------------------------------------
# Building the per-gemeente values
# ---------------------------------------------------------------------------

_BASIS = ["regio", "regio_soort", "periode_start", "periode_eind", "voorlopig", "reeks", "breuk_voor"]


def _selectie(df: pd.DataFrame, code: str, ind: BenchmarkIndicator) -> pd.DataFrame:
    d = df[(df["indicator"] == code) & (df["periodesoort"] == ind.periodesoort)]
    if ind.uitsplitsing or (d["uitsplitsing"] != "").any():
        d = d[d["uitsplitsing"] == ind.uitsplitsing]
    return d[d["regio_soort"].isin(["gemeente", "nederland"])]


def _inwoners_wmo(tabellen: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Inwoners implied by 86050NED: clients x 1.000 / (clients per 1.000 inwoners)."""
    t = tabellen.get("86050NED")
    if t is None:
        return pd.DataFrame(columns=["gemeente", "periode_start", "periode_eind", "inwoners"])
    t = t[t["uitsplitsing"] == "Totaal"]
    sl = ["gemeente", "periode_start", "periode_eind"]
    a = t[t["indicator"] == "wmo_clienten"].set_index(sl)["waarde"]
    p = t[t["indicator"] == "wmo_clienten_per_1000_inwoners"].set_index(sl)["waarde"]
    a, p = a[~a.index.duplicated()], p[~p.index.duplicated()]
    with np.errstate(divide="ignore", invalid="ignore"):
        inw = (a * 1000 / p.reindex(a.index)).where(lambda s: np.isfinite(s) & (s > 0))
    return inw.rename("inwoners").reset_index()


def _waarden(tabellen: Mapping[str, pd.DataFrame], ind: BenchmarkIndicator, inwoners_wmo) -> pd.DataFrame:
    """One row per region (gemeenten + Nederland) and period: teller, noemer, waarde."""
    delen = []
    for tabel in ind.tabellen:
        df = tabellen.get(tabel)
        if df is None:
            continue
        sl = ["gemeente", *_BASIS]
        if ind.waarde:
            d = _selectie(df, ind.waarde, ind)
            d = d[sl + ["waarde"]].assign(teller=np.nan, noemer=np.nan)
        else:
            t = _selectie(df, ind.teller, ind)[sl + ["waarde"]].rename(columns={"waarde": "teller"})
            if ind.noemer_bron == "inwoners_wmo":
                d = t.merge(inwoners_wmo, on=["gemeente", "periode_start", "periode_eind"], how="left")
                d = d.rename(columns={"inwoners": "noemer"})
            else:
                n = _selectie(df, ind.noemer, ind)[["gemeente", "periode_start", "periode_eind", "waarde"]]
                d = t.merge(n.rename(columns={"waarde": "noemer"}), on=["gemeente", "periode_start", "periode_eind"],
                            how="left")
            with np.errstate(divide="ignore", invalid="ignore"):
                frac = d["teller"] / d["noemer"].where(d["noemer"] > 0)
            d["waarde"] = frac * (1000 if ind.eenheid == "per 1.000 inwoners" else 1)
        delen.append(d)
    if not delen:
        return pd.DataFrame(columns=["gemeente", *_BASIS, "teller", "noemer", "waarde"])
    return pd.concat(delen, ignore_index=True)


def _groepswaarden(w: pd.DataFrame, leden: list[str], ind: BenchmarkIndicator, label: str) -> pd.DataFrame:
    """Peer-group value per period: pooled teller/noemer, else the unweighted mean."""
    d = w[w["gemeente"].isin(leden) & (w["regio_soort"] == "gemeente")]
    rijen = []
    for (start, eind, reeks), g in d.groupby(["periode_start", "periode_eind", "reeks"], sort=True):
        if ind.waarde:
            ok = g["waarde"].notna()
            t = n = np.nan
            waarde = float(g.loc[ok, "waarde"].mean()) if ok.any() else np.nan
        else:
            ok = g["teller"].notna() & g["noemer"].notna() & (g["noemer"] > 0)
            t, n = float(g.loc[ok, "teller"].sum()), float(g.loc[ok, "noemer"].sum())
            waarde = t / n * (1000 if ind.eenheid == "per 1.000 inwoners" else 1) if ok.any() else np.nan
            if not ok.any():
                t = n = np.nan
        rijen.append({
            "regio": label, "periode_start": start, "periode_eind": eind, "teller": t, "noemer": n,
            "waarde": waarde, "n_gemeenten": int(ok.sum()), "voorlopig": bool(g.loc[ok, "voorlopig"].any()),
            "reeks": reeks, "breuk_voor": g["breuk_voor"].iloc[0],
        })
    return pd.DataFrame(rijen)


def _peers(tabellen, gemeente, peers, n_peers, inwoners_wmo) -> tuple[pd.DataFrame, list[str]]:
    meldingen = []
    if peers is not None:
        lijst = [_cbs.normaliseer_regio(p) for p in peers if _cbs.normaliseer_regio(p) != gemeente]
        return pd.DataFrame({"gemeente": lijst, "inwoners": np.nan, "verhouding": np.nan, "afstand": np.nan,
                             "rang": np.arange(1, len(lijst) + 1), "bron": "opgegeven lijst"}), meldingen
    if "85383NED" in tabellen:
        try:
            p = _cbs.vergelijkbare_gemeenten(tabellen["85383NED"], gemeente, n=n_peers)
            jaar = p.attrs.get("periode")
            return p.assign(bron=f"85383NED, inwoners {jaar.year if jaar is not None else ''}".strip()), meldingen
        except ValueError:
            meldingen.append("Inwonertal van de gemeente niet gevonden in 85383NED; "
                             "vergelijkbare gemeenten bepaald met het inwonertal volgens 86050NED.")
    inw = inwoners_wmo[inwoners_wmo["periode_start"] == inwoners_wmo["periode_start"].max()] if len(inwoners_wmo) else inwoners_wmo
    inw = inw[(inw["periode_eind"] - inw["periode_start"]).dt.days > 300] if len(inw) else inw
    reeks = inw[inw["gemeente"] != "Nederland"].drop_duplicates("gemeente").set_index("gemeente")["inwoners"]
    if gemeente not in reeks.index:
        if "85383NED" not in tabellen:
            meldingen.append("Geen inwonertallen (85383NED of 86050NED): geen vergelijkbare gemeenten.")
        return pd.DataFrame(columns=["gemeente", "inwoners", "verhouding", "afstand", "rang", "bron"]), meldingen
    p = _cbs.vergelijkbare_gemeenten(None, gemeente, inwoners=reeks, n=n_peers)
    return p.assign(bron="86050NED (afgeleid inwonertal)"), meldingen


def _trend_segmenten(reeksen: pd.DataFrame, gemeente: str, min_punten: int) -> pd.DataFrame:
    """trend.trend per (groep, indicator, segment); never across a reeksbreuk."""
    uit = []
    plaats = {GROEP_GEMEENTE: TOTAAL, GROEP_PEERS: "de vergelijkbare gemeenten", GROEP_NL: "Nederland"}
    for code, d in reeksen.groupby("indicator", sort=False):
        ind = _PER_CODE[code]
        t = d.assign(gemeente=gemeente, wijkteam=d["groep"].map(plaats), uitsplitsing=d["reeks"])
        if ind.type_trend in ("ratio",):
            # trend wants the count of events and the exposure in the same unit as waarde
            t = t.assign(noemer=t["noemer"] / 1000)
        _cbs.controleer_reeks(t, sleutel=("gemeente", "wijkteam", "indicator", "uitsplitsing"))
        tr = _trend.trend(t, type=ind.type_trend, beter=ind.beter or "geen", min_punten=min_punten)
        tr = tr.rename(columns={"uitsplitsing": "reeks"})
        tr["groep"] = tr["wijkteam"].map({v: k for k, v in plaats.items()})
        sleutel = code.replace("_", " ")
        naam = ind.naam[0].lower() + ind.naam[1:]
        tr["zin"] = (
            tr["zin"].str.replace(sleutel[0].upper() + sleutel[1:], ind.naam, regex=False)
            .str.replace(sleutel, naam, regex=False)
            .str.replace(r" \((\d{5}NED)\)", r" (CBS \1)", regex=True)
        )
        if ind.type_trend == "gemiddelde":
            tr["zin"] = tr["zin"].str.replace(" eenheden", " procentpunt", regex=False)
            tr["eenheid"] = "procentpunt"
        uit.append(tr)
    if not uit:
        return pd.DataFrame(columns=["groep", "indicator", "reeks", *_trend.TREND_KOLOMMEN[4:]])
    tr = pd.concat(uit, ignore_index=True)
    vooraan = ["groep", "indicator", "reeks"]
    return tr[vooraan + [k for k in _trend.TREND_KOLOMMEN if k not in ("gemeente", "wijkteam", "indicator",
                                                                          "uitsplitsing")]]


_POSITIE_LEGE = "onbekend"


def _funnel(w: pd.DataFrame, ind: BenchmarkIndicator, gemeente: str, in_cbs: bool, peers: list[str],
            inwoners: pd.Series) -> pd.DataFrame:
    """Funnel of all gemeenten for the most recent period (see :func:`benchmark`)."""
    g = w[(w["regio_soort"] == "gemeente") & w["waarde"].notna()]
    if g.empty:
        return pd.DataFrame()
    if in_cbs and (g["gemeente"] == gemeente).any():
        periode = g.loc[g["gemeente"] == gemeente, "periode_start"].max()
    else:
        periode = g["periode_start"].max()
    g = g[g["periode_start"] == periode].copy()
    nl = w[(w["regio_soort"] == "nederland") & (w["periode_start"] == periode)]["waarde"]
    doel_nl = float(nl.iloc[0]) if len(nl) and pd.notna(nl.iloc[0]) else None
    if ind.type_funnel == "gemiddelde_sd":
        # No counts: limits mean +/- z * sd of the gemeenten (constant band).
        m = doel_nl if doel_nl is not None else float(g["waarde"].mean())
        sd = float(g["waarde"].std(ddof=1))
        grens = vergelijking.funnel_grenzen("gemiddelde", np.ones(len(g)), m, sigma=sd)
        z = (g["waarde"].to_numpy() - m) / sd
        uit = g[["gemeente", "periode_start", "periode_eind", "teller", "noemer", "waarde", "voorlopig", "reeks"]]
        uit = uit.reset_index(drop=True)
        uit["x"] = uit["gemeente"].map(inwoners)
        uit["doel"] = m
        for k in ("ondergrens_95", "bovengrens_95", "ondergrens_998", "bovengrens_998"):
            uit[k] = grens[k].to_numpy()
        uit["z"] = z
        uit["positie"] = np.select(
            [z < -3.090232, z < -1.959964, z > 3.090232, z > 1.959964],
            ["onder 99,8%", "onder 95%", "boven 99,8%", "boven 95%"], default="binnen")
        uit["methode_funnel"] = ("gemiddelde ± z·sd over de gemeenten (CBS geeft geen teller/noemer; "
                                 "grenzen hangen niet af van de omvang)")
    else:
        g = g[g["noemer"] > 0]
        if len(g) < 3:
            return pd.DataFrame()
        tab = pd.DataFrame({
            "gemeente": "alle gemeenten", "wijkteam": g["gemeente"].to_numpy(), "periode_start": periode,
            "periode_eind": g["periode_eind"].to_numpy(), "indicator": ind.code, "uitsplitsing": "",
            "teller": g["teller"].to_numpy(), "noemer": g["noemer"].to_numpy(), "waarde": g["waarde"].to_numpy(),
        })
        f = vergelijking.funnel(tab, ind.code, periode="alle", doel=doel_nl, type=ind.type_funnel,
                                beter=ind.beter, per_gemeente=False)
        extra = g.set_index("gemeente")[["voorlopig", "reeks"]]
        uit = f.drop(columns="gemeente").rename(columns={"wijkteam": "gemeente"})[
            ["gemeente", "periode_start", "periode_eind", "teller", "noemer", "waarde", "doel",
             "ondergrens_95", "bovengrens_95", "ondergrens_998", "bovengrens_998", "z", "positie",
             "methode_overspreiding", "ondergrens_95_gecorrigeerd", "bovengrens_95_gecorrigeerd",
             "ondergrens_998_gecorrigeerd", "bovengrens_998_gecorrigeerd", "positie_gecorrigeerd"]
        ].copy()
        uit["voorlopig"] = uit["gemeente"].map(extra["voorlopig"]).astype(bool)
        uit["reeks"] = uit["gemeente"].map(extra["reeks"])
        uit["x"] = uit["noemer"]
        uit["positie"] = uit["positie_gecorrigeerd"]
        methode = uit["methode_overspreiding"].iloc[0]
        uit["methode_funnel"] = (
            f"{ind.type_funnel}-funnel (PHE/Spiegelhalter) op teller en noemer"
            + ("" if methode.startswith("geen") else f"; grenzen verbreed wegens overspreiding ({methode})")
        )
    uit.insert(0, "indicator", ind.code)
    uit["doel_bron"] = "Nederland" if doel_nl is not None else "alle gemeenten samen"
    uit["is_gemeente"] = uit["gemeente"] == gemeente
    uit["is_peer"] = uit["gemeente"].isin(peers)
    return uit


def _beschikbaarheid(tabellen: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    regels = [
        ("82968NED", "Jeugdhulptrajecten met/zonder verblijf, wijkteam (2015-2020)",
         "peildata 31-03-2015 t/m 31-12-2020; aantallen, dus teller en noemer"),
        ("85094NED", "Idem, nieuwe reeks vanaf 2021",
         "ontbreekt in de meegeleverde extracten; 2021+ wordt dan niet getoond"),
        ("82972NED", "Indicatoren jeugdzorg (2015-2020)", "alleen percentages: funnel op gemiddelde ± sd"),
        ("85098NED", "Idem, nieuwe reeks vanaf 2021", "ontbreekt in de meegeleverde extracten"),
        ("86050NED", "Wmo-cliënten per 1.000 inwoners",
         "afgekapt extract: alleen 'Totaal' volledig, geen uitsplitsing naar soort voorziening"),
        ("86051NED", "Wmo-stand, instroom en uitstroom",
         "afgekapt extract: alleen 'Totaal'; geen landelijk cijfer (Nederland ontbreekt in de tabel)"),
        ("85383NED", "Inwoners per gemeente (vergelijkbare gemeenten)", "alleen 2023-2025"),
    ]
    rijen = []
    for tabel, onderwerp, opmerking in regels:
        aanwezig = tabel in tabellen
        if aanwezig and tabel in ("85094NED", "85098NED"):
            opmerking = "aanwezig: nieuwe reeks na de reeksbreuk van 2021, apart geanalyseerd"
        rijen.append({"tabel": tabel, "onderwerp": onderwerp, "aanwezig": aanwezig, "opmerking": opmerking})
    return pd.DataFrame(rijen)


def benchmark(
    cbs_tabellen: Mapping[str, pd.DataFrame] | str | Path,
    gemeente: str,
    *,
    peers: list[str] | None = None,
    n_peers: int = 10,
    min_punten: int = 6,
    werkmap=None,
) -> Benchmark:
    """Compare ``gemeente`` with comparable gemeenten and Nederland on CBS indicators.

    Parameters
    ----------
    cbs_tabellen : dict or path
        ``{tabel_id: DataFrame}`` from :func:`monitoranalyse.opendata.cbs.lees_map`, or a folder
        with StatLine extracts (read with :func:`lees_cbs`).
    gemeente : str
        CBS gemeente name (``"Amersfoort"``; ``"Utrecht (gemeente)"`` is normalised).
        A gemeente not in the CBS data (e.g. a fictional one) gives ``in_cbs = False``:
        the national picture and the funnels without a highlighted gemeente.
    peers : list of str, optional
        The peer group; default the ``n_peers`` gemeenten closest in inwoners
        (:func:`monitoranalyse.opendata.cbs.vergelijkbare_gemeenten` on 85383NED).
    min_punten : int
        Minimum number of periods for a trend (CBS year series are short: 6 years).
    werkmap : path, optional
        Cache for the parsed tables when ``cbs_tabellen`` is a folder.

    Returns
    -------
    Benchmark
        ``gemeente``, ``in_cbs`` (bool), ``meldingen`` (Dutch messages) and frames:

        - ``peers``: ``gemeente, inwoners, verhouding, afstand, rang, bron``.
        - ``reeksen``: one row per group, indicator and period: ``groep``
          ("gemeente", "vergelijkbare gemeenten", "Nederland"), ``regio``,
          ``indicator``, ``naam``, ``periode_start``, ``periode_eind``,
          ``periodesoort``, ``teller``, ``noemer`` (NaN when CBS gives a percentage
          only), ``waarde`` (fraction for "fractie", 0-100 for "procent", per 1.000),
          ``eenheid``, ``n_gemeenten`` (gemeenten with a value behind a peer value),
          ``voorlopig``, ``reeks`` (table generation), ``segment`` (0, 1 after a
          break), ``na_breuk`` (first period after a break), ``breuk_voor``.
        - ``trends``: one row per group, indicator and reeks segment: ``groep,
          indicator, reeks`` and the columns of :func:`monitoranalyse.analyse.trend.trend`
          (``n_punten, periode_van, periode_tot, methode, helling_per_jaar,
          ondergrens, bovengrens, p_waarde, mk_tau, mk_p_waarde,
          sen_helling_per_jaar, richting, beoordeling, zin, eenheid``).
        - ``funnels``: one row per gemeente for the most recent period of the
          gemeente (else the latest period): ``indicator, gemeente, periode_start,
          periode_eind, teller, noemer, waarde, doel`` (Nederland), the 95%/99,8%
          limits at the gemeente's noemer, ``z, positie`` (after overdispersion
          adjustment for count funnels), ``doel_bron`` ("Nederland", or "alle gemeenten
          samen" when the table has no national figure), ``x`` (x axis: noemer, or inwoners for a
          mean/sd funnel), ``voorlopig, reeks, methode_funnel, is_gemeente, is_peer``.
        - ``beschikbaarheid``: ``tabel, onderwerp, aanwezig, opmerking``.

    Notes
    -----
    Shares from 82968NED/85094NED are ``teller/noemer`` of CBS counts on the peildatum
    (met verblijf / alle jeugdhulptrajecten; wijkteam / jeugdhulp zonder verblijf). Wmo
    rates use ``noemer = inwoners = clients × 1000 / (clients per 1.000)`` of 86050NED in
    the same period (CBS's own population; the published rate is rounded, so the
    implied inwoners are accurate to about 1%). The peer value is the pooled
    ``Σteller/Σnoemer`` over the peers with both figures, or for percentage-only tables
    the unweighted mean. Count funnels use :func:`monitoranalyse.analyse.vergelijking.funnel`
    (PHE limits; additive overdispersion when the gemeenten differ more than chance, which
    with populations of this size is the rule). Percentage-only tables get a mean ± z·sd
    band: without a denominator a proper funnel is not possible (our own code).
    Suppressed cells stay NaN and are simply absent from trends and pooled values.
    """
    if cbs_tabellen is None:
        raise ValueError("geen CBS-gegevens opgegeven (cbs = None)")
    tabellen = lees_cbs(cbs_tabellen, werkmap) if isinstance(cbs_tabellen, (str, Path)) else dict(cbs_tabellen)
    gemeente = _cbs.normaliseer_regio(gemeente)
    meldingen: list[str] = []
    alle_gemeenten = set()
    for t in tabellen.values():
        alle_gemeenten |= set(t.loc[t["regio_soort"] == "gemeente", "gemeente"].unique())
    in_cbs = gemeente in alle_gemeenten
    inw_wmo = _inwoners_wmo(tabellen)
    if in_cbs:
        peer_df, m = _peers(tabellen, gemeente, peers, n_peers, inw_wmo)
        meldingen += m
    else:
        meldingen.append(f"Gemeente '{gemeente}' komt niet voor in de CBS-gegevens; "
                         "alleen het landelijke beeld en de spreiding over alle gemeenten worden getoond.")
        peer_df = pd.DataFrame(columns=["gemeente", "inwoners", "verhouding", "afstand", "rang", "bron"])
    leden = list(peer_df["gemeente"])
    # size for the x axis of mean/sd funnels: latest inwoners
    inwoners = pd.Series(dtype=float)
    if "85383NED" in tabellen:
        i = tabellen["85383NED"]
        i = i[(i["indicator"] == "inwoners") & (i["regio_soort"] == "gemeente") & i["waarde"].notna()]
        inwoners = i.sort_values("periode_start").drop_duplicates("gemeente", keep="last").set_index("gemeente")["waarde"]

    reeks_delen, funnel_delen = [], []
    for ind in INDICATOREN:
        if not any(t in tabellen for t in ind.tabellen):
            meldingen.append(f"{ind.naam}: tabel {' / '.join(ind.tabellen)} ontbreekt.")
            continue
        w = _waarden(tabellen, ind, inw_wmo)
        delen = []
        eigen = w[(w["gemeente"] == gemeente) & (w["regio_soort"] == "gemeente")] if in_cbs else w.iloc[0:0]
        if len(eigen):
            delen.append(eigen.assign(groep=GROEP_GEMEENTE, n_gemeenten=1))
        if leden:
            pg = _groepswaarden(w, leden, ind, GROEP_PEERS)
            if len(pg):
                delen.append(pg.assign(groep=GROEP_PEERS))
        nl = w[w["regio_soort"] == "nederland"]
        if len(nl) and nl["waarde"].notna().any():
            delen.append(nl.assign(groep=GROEP_NL, n_gemeenten=np.nan))
        if delen:
            r = pd.concat(delen, ignore_index=True)
            r["regio"] = np.where(r["groep"] == GROEP_GEMEENTE, gemeente, r["regio"].fillna(r["groep"]))
            r["regio"] = np.where(r["groep"] == GROEP_NL, "Nederland", r["regio"])
            r = r.assign(indicator=ind.code, naam=ind.naam, periodesoort=ind.periodesoort, eenheid=ind.eenheid)
            r = _cbs.markeer_reeksbreuken(r, sleutel=("groep", "indicator"))
            reeks_delen.append(r[REEKS_KOLOMMEN])
        f = _funnel(w, ind, gemeente, in_cbs, leden, inwoners)
        if len(f):
            funnel_delen.append(f)
    reeksen = (pd.concat(reeks_delen, ignore_index=True) if reeks_delen
               else pd.DataFrame(columns=REEKS_KOLOMMEN))
    reeksen["voorlopig"] = reeksen["voorlopig"].fillna(False).astype(bool)
    if "86051NED" in tabellen:
        meldingen.append("In- en uitstroom Wmo (86051NED): de tabel bevat geen landelijk cijfer; "
                         "alleen de gemeente en de vergelijkbare gemeenten worden getoond.")
    trends = _trend_segmenten(reeksen, gemeente, min_punten)
    funnels = pd.concat(funnel_delen, ignore_index=True) if funnel_delen else pd.DataFrame()
    return Benchmark(gemeente=gemeente, in_cbs=in_cbs, peers=peer_df.reset_index(drop=True), reeksen=reeksen,
                     trends=trends, funnels=funnels, beschikbaarheid=_beschikbaarheid(tabellen),
                     meldingen=meldingen)


# ---------------------------------------------------------------------------
# Tables for the report
# ---------------------------------------------------------------------------

_RICHTING = {"stijgend": "stijgend", "dalend": "dalend", "geen_trend": "geen duidelijke trend",
             "te_weinig_gegevens": "te weinig gegevens"}


def _fmt(waarde: float, eenheid: str) -> str:
    if pd.isna(waarde):
        return "•"
    if eenheid == "fractie":
        return tekst.procent(waarde, 1)
    if eenheid == "procent":
        return f"{tekst.getal(waarde, 1)}%"
    return tekst.getal(waarde, 1)


def kerntabel(res: Benchmark) -> pd.DataFrame:
    """Latest value per indicator for the gemeente, the peers and Nederland.

    Returns
    -------
    DataFrame
        One row per indicator, Dutch column names: ``indicator`` (name), ``periode``,
        the gemeente's name, ``vergelijkbare gemeenten``, ``Nederland`` (formatted
        text; "•" = not published/missing, "*" = voorlopig), ``trend gemeente``
        (direction in the latest reeks segment), ``positie in funnel``, ``voorlopig``
        (bool).
    """
    rijen = []
    r = res.reeksen
    for ind in INDICATOREN:
        d = r[r["indicator"] == ind.code]
        if d.empty:
            continue
        basis = d[d["groep"] == (GROEP_GEMEENTE if res.in_cbs else GROEP_NL)]
        basis = basis[basis["waarde"].notna()]
        if basis.empty:
            basis = d[d["waarde"].notna()]
        if basis.empty:
            continue
        laatste = basis["periode_start"].max()
        rij = {"indicator": ind.naam,
               "periode": tekst.periode_label(laatste, basis.loc[basis["periode_start"] == laatste,
                                                                 "periode_eind"].iloc[0])
               if ind.periodesoort != "peildatum" else pd.Timestamp(laatste).strftime("%d-%m-%Y")}
        voorlopig = False
        for groep, kol in ((GROEP_GEMEENTE, res.gemeente), (GROEP_PEERS, "vergelijkbare gemeenten"),
                           (GROEP_NL, "Nederland")):
            if (groep == GROEP_GEMEENTE and not res.in_cbs) or (groep == GROEP_PEERS and res.peers.empty):
                continue
            x = d[(d["groep"] == groep) & (d["periode_start"] == laatste)]
            if x.empty:
                rij[kol] = "•"
                continue
            vl = bool(x["voorlopig"].iloc[0])
            voorlopig |= vl
            rij[kol] = _fmt(x["waarde"].iloc[0], ind.eenheid) + ("*" if vl else "")
        t = res.trends[(res.trends["indicator"] == ind.code) & (res.trends["groep"] == GROEP_GEMEENTE)]
        if len(t):
            t = t.sort_values("periode_tot").iloc[-1]
            rij["trend gemeente"] = _RICHTING.get(t["richting"], t["richting"])
        f = res.funnels[(res.funnels["indicator"] == ind.code) & res.funnels["is_gemeente"]] if len(res.funnels) else []
        if len(f):
            rij["positie in funnel"] = f["positie"].iloc[0]
        rij["voorlopig"] = voorlopig
        rijen.append(rij)
    return pd.DataFrame(rijen)


def tabel_reeks(res: Benchmark, indicator: str) -> pd.DataFrame:
    """The values of one indicator per period, side by side (for the report).

    Returns
    -------
    DataFrame
        One row per period, Dutch column names: ``periode``, the gemeente's name (when it
        is in the CBS data), ``vergelijkbare gemeenten``, ``Nederland`` (formatted text;
        "•" = missing/suppressed, "*" = voorlopig), ``CBS-tabel`` (table generation; a
        change of table is a reeksbreuk) and ``voorlopig`` (bool).
    """
    ind = _PER_CODE[indicator]
    d = res.reeksen[res.reeksen["indicator"] == indicator]
    kolom = {GROEP_GEMEENTE: res.gemeente, GROEP_PEERS: "vergelijkbare gemeenten", GROEP_NL: "Nederland"}
    rijen = []
    for (start, eind), g in d.groupby(["periode_start", "periode_eind"], sort=True):
        rij = {"periode": pd.Timestamp(start).strftime("%d-%m-%Y") if ind.periodesoort == "peildatum"
               else tekst.periode_label(start, eind)}
        for groep, kol in kolom.items():
            if groep == GROEP_PEERS and res.peers.empty:
                continue
            if groep == GROEP_GEMEENTE and not res.in_cbs:
                continue
            x = g[g["groep"] == groep]
            rij[kol] = (_fmt(x["waarde"].iloc[0], ind.eenheid) + ("*" if bool(x["voorlopig"].iloc[0]) else "")
                        if len(x) else "•")
        rij["CBS-tabel"] = ", ".join(sorted(g["reeks"].unique()))
        rij["voorlopig"] = bool(g["voorlopig"].any())
        rijen.append(rij)
    return pd.DataFrame(rijen)


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------

_KLEUR = {GROEP_GEMEENTE: figuren.PALET[0], GROEP_PEERS: figuren.PALET[1], GROEP_NL: "#1d1d1b"}


def _plt():
    import matplotlib.pyplot as plt

    figuren.stijl()
    return plt


def _breuken(ax, d: pd.DataFrame) -> None:
    """Vertical line + label "reeksbreuk" at every break between table generations."""
    for datum in sorted(d.loc[d["na_breuk"], "periode_start"].unique()):
        voor = d.loc[d["periode_start"] < datum, "periode_start"].max()
        x = pd.Timestamp(datum) if pd.isna(voor) else pd.Timestamp(voor) + (pd.Timestamp(datum) - pd.Timestamp(voor)) / 2
        ax.axvline(x, color="#7F7F7F", ls="--", lw=1.2)
        ax.annotate("reeksbreuk", (x, 1), xycoords=("data", "axes fraction"), xytext=(3, -12),
                    textcoords="offset points", fontsize=8, color="#555")


def _y_schaal(ax, eenheid: str) -> None:
    if eenheid == "fractie":
        figuren.nl_assen(ax, y="procent")
        ax.set_ylabel("")
    elif eenheid == "procent":
        from matplotlib.ticker import FuncFormatter

        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{tekst.getal(v, 0)}%"))
    else:
        figuren.nl_assen(ax, y="getal")
        ax.set_ylabel(eenheid)


def _geen(titel: str):
    plt = _plt()
    fig, ax = plt.subplots(figsize=(9, 1.4))
    ax.axis("off")
    ax.text(0, 0.5, f"{titel}: geen gegevens in de CBS-tabellen.", fontsize=11, va="center")
    return fig


def figuur_reeks(res: Benchmark, indicator: str, *, titel: str | None = None):
    """Line chart of one indicator: gemeente, vergelijkbare gemeenten and Nederland.

    Each reeks segment is drawn separately (no line across a reeksbreuk, which gets a
    dashed vertical line labelled "reeksbreuk"); provisional values are open markers
    ("voorlopig cijfer"). Returns the matplotlib Figure.
    """
    ind = _PER_CODE[indicator]
    titel = titel or ind.naam
    d = res.reeksen[(res.reeksen["indicator"] == indicator)].sort_values("periode_start")
    if d["waarde"].notna().sum() == 0:
        return _geen(titel)
    plt = _plt()
    fig, ax = plt.subplots()
    for groep in (GROEP_GEMEENTE, GROEP_PEERS, GROEP_NL):
        g = d[d["groep"] == groep]
        if g.empty:
            continue
        label = res.gemeente if groep == GROEP_GEMEENTE else groep
        if groep == GROEP_PEERS:
            label = f"vergelijkbare gemeenten ({len(res.peers)})"
        for i, (_, s) in enumerate(g.groupby("segment")):
            ax.plot(s["periode_start"], s["waarde"], color=_KLEUR[groep], lw=2.6 if groep == GROEP_GEMEENTE else 1.6,
                    marker="o", ms=3.5, label=label if i == 0 else None)
            vl = s[s["voorlopig"]]
            if len(vl):
                ax.scatter(vl["periode_start"], vl["waarde"], s=60, facecolors="white", edgecolors=_KLEUR[groep],
                           zorder=4, label="voorlopig cijfer")
    _breuken(ax, d)
    ax.set_title(titel)
    ax.set_xlabel("")
    _y_schaal(ax, ind.eenheid)
    h, lab = ax.get_legend_handles_labels()
    uniek = dict(zip(lab, h))
    ax.legend(uniek.values(), uniek.keys(), loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8)
    ax.annotate("Bron: CBS StatLine " + " / ".join(sorted(d["reeks"].unique())), (0, -0.12),
                xycoords="axes fraction", fontsize=7, color="#555")
    fig.tight_layout()
    return fig


def figuur_verblijf(res: Benchmark, tabellen: Mapping[str, pd.DataFrame]):
    """Jeugdhulptrajecten met and zonder verblijf, and zonder verblijf by the wijkteam.

    Counts on each peildatum for the gemeente (or Nederland when the gemeente is not in
    the CBS data), from 82968NED and its successor; reeksbreuk marked.
    """
    regio = res.gemeente if res.in_cbs else "Nederland"
    titel = f"Jeugdhulptrajecten met en zonder verblijf – {regio}"
    codes = {"jeugdhulp_met_verblijf": ("met verblijf", figuren.PALET[3]),
             "jeugdhulp_zonder_verblijf": ("zonder verblijf", figuren.PALET[0]),
             "jeugdhulp_zonder_verblijf_wijkteam": ("zonder verblijf, door wijk-/buurtteam", figuren.PALET[2])}
    delen = [t for k, t in tabellen.items() if k in ("82968NED", "85094NED")]
    if not delen:
        return _geen(titel)
    d = pd.concat(delen, ignore_index=True)
    d = d[(d["gemeente"] == regio) & d["indicator"].isin(list(codes)) & (d["periodesoort"] == "peildatum")]
    if d["waarde"].notna().sum() == 0:
        return _geen(titel)
    d = _cbs.markeer_reeksbreuken(d)
    plt = _plt()
    fig, ax = plt.subplots()
    for code, (label, kleur) in codes.items():
        g = d[d["indicator"] == code]
        for i, (_, s) in enumerate(g.groupby("segment")):
            ax.plot(s["periode_start"], s["waarde"], color=kleur, lw=2, marker="o", ms=3.5,
                    label=label if i == 0 else None)
            vl = s[s["voorlopig"]]
            if len(vl):
                ax.scatter(vl["periode_start"], vl["waarde"], s=60, facecolors="white", edgecolors=kleur, zorder=4,
                           label="voorlopig cijfer")
    _breuken(ax, d.drop_duplicates("periode_start"))
    ax.set_title(titel)
    ax.set_ylabel("lopende trajecten op peildatum")
    figuren.nl_assen(ax, y="getal")
    h, lab = ax.get_legend_handles_labels()
    uniek = dict(zip(lab, h))
    ax.legend(uniek.values(), uniek.keys(), loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8)
    fig.tight_layout()
    return fig


def figuur_funnel(res: Benchmark, indicator: str, *, titel: str | None = None):
    """Funnel of all gemeenten for one period, the gemeente highlighted, peers in orange."""
    ind = _PER_CODE[indicator]
    f = res.funnels[res.funnels["indicator"] == indicator] if len(res.funnels) else pd.DataFrame()
    if len(f) == 0:
        return _geen(titel or ind.naam)
    per = f["periode_start"].iloc[0]
    periode = (pd.Timestamp(per).strftime("%d-%m-%Y") if ind.periodesoort == "peildatum"
               else tekst.periode_label(per, f["periode_eind"].iloc[0]))
    titel = titel or f"{ind.naam}: alle gemeenten, {periode}"
    plt = _plt()
    fig, ax = plt.subplots(figsize=(9, 4.6))
    f = f.sort_values("x")
    heeft_x = f["x"].notna().any()
    x = f["x"] if heeft_x else pd.Series(np.arange(len(f)), index=f.index)
    gecorr = "ondergrens_95_gecorrigeerd" in f and f["ondergrens_95_gecorrigeerd"].notna().any() and \
        not str(f.get("methode_overspreiding", pd.Series(["geen"])).iloc[0]).startswith("geen")
    suf = "_gecorrigeerd" if gecorr else ""
    laag = 0.0 if ind.eenheid in ("fractie", "procent", "per 1.000 inwoners") else -np.inf
    hoog = 1.0 if ind.eenheid == "fractie" else (100.0 if ind.eenheid == "procent" else np.inf)
    for niv, ls, lab in (("95", "--", "95%-grens"), ("998", ":", "99,8%-grens")):
        ax.plot(x, f[f"ondergrens_{niv}{suf}"].clip(laag, hoog), color="#7F7F7F", ls=ls, lw=1, label=lab)
        ax.plot(x, f[f"bovengrens_{niv}{suf}"].clip(laag, hoog), color="#7F7F7F", ls=ls, lw=1)
    ax.axhline(f["doel"].iloc[0], color="#1d1d1b", lw=1.2, label=f["doel_bron"].iloc[0])
    overig = ~f["is_gemeente"] & ~f["is_peer"]
    ax.scatter(x[overig], f.loc[overig, "waarde"], s=12, color="#BBBBBB", label="andere gemeenten", zorder=2)
    ax.scatter(x[f["is_peer"]], f.loc[f["is_peer"], "waarde"], s=28, color=figuren.PALET[1],
               label="vergelijkbare gemeenten", zorder=3)
    eigen = f[f["is_gemeente"]]
    if len(eigen):
        ax.scatter(x[f["is_gemeente"]], eigen["waarde"], s=90, color=figuren.PALET[0], edgecolors="black",
                   label=res.gemeente, zorder=5)
        ax.annotate(res.gemeente, (x[f["is_gemeente"]].iloc[0], eigen["waarde"].iloc[0]), xytext=(6, 6),
                    textcoords="offset points", fontsize=9, fontweight="bold")
    if f["voorlopig"].any():
        ax.annotate("* voorlopige cijfers", (1, -0.14), xycoords="axes fraction", ha="right", fontsize=8)
    ax.set_title(titel)
    if ind.type_funnel == "gemiddelde_sd":
        ax.set_xlabel("inwoners (85383NED, laatst bekend)" if heeft_x else "gemeenten")
    elif ind.noemer == "inwoners":
        ax.set_xlabel("inwoners")
    else:
        ax.set_xlabel("aantal trajecten (noemer)")
    if heeft_x:
        ax.set_xscale("log")
        from matplotlib.ticker import FuncFormatter

        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: tekst.getal(v, 0)))
    _y_schaal(ax, ind.eenheid)
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8)
    fig.tight_layout()
    return fig

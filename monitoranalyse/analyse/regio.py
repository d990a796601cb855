"""Stage 3: the regio comparison — several gemeenten of one dataset side by side (issue 15).

A jeugdregio or a benchmark bureau asks "how do our gemeenten compare, and which one differs
where?". The unit of comparison is the gemeente: its ``Totaal`` rows
(:data:`~monitoranalyse.contract.TOTAAL`) of the tidy indicator table, computed per gemeente
exactly as its own report computes them (``md.voor_gemeente(g)`` with that gemeente's
configuration and the same monitor window), so the regio report never shows a figure that
differs from the gemeente report.

* **Kerncijfers per 1.000 inwoners** (and per inwoner in euro, and the main shares) per
  gemeente in the last complete calendar year that all gemeenten share.
* **Funnels across gemeenten**: :func:`funnel_gemeenten` reuses the team funnel of
  :func:`monitoranalyse.analyse.vergelijking.funnel` (Spiegelhalter's exact limits,
  FunnelPlotR's overdispersion adjustment) with the gemeente as the unit. Gemeenten are
  large (hundreds to thousands of trajecten), so exact limits are narrow; differences between
  gemeenten in population and policy make them overdispersed as a rule. With at least
  :data:`MIN_GEMEENTEN_OVERSPREIDING` gemeenten the overdispersion is estimated and the limits
  widened (additive, DerSimonian–Laird τ², as for teams); with fewer the limits are those of
  chance alone, and the report says so.
* **Trend of the shift to lichte zorg** per gemeente (quarters, the binomial GLM of
  :func:`monitoranalyse.analyse.trend.trend`), for the small multiples.
* **Which gemeente differs where** (:func:`verschillen`): every gemeente × indicator outside
  the 95% limit (after the adjustment when one was applied), strongest first.

The tidy tables of :class:`Regioresultaten` hold every row of every gemeente (teams too):
disclosure control needs the whole table to suppress secondarily. What a report shows passes
:func:`monitoranalyse.rapport.regiorapport.vrijgeven_regio` at the render boundary.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from monitoranalyse import tekst
from monitoranalyse.contract import TOTAAL, in_basis
from monitoranalyse.indicatoren import catalogus
from monitoranalyse.invoer.monitordata import InvoerFout, Monitordata

__all__ = [
    "Regioresultaten",
    "bereken_regio",
    "regioresultaten",
    "funnel_gemeenten",
    "verschillen",
    "totalen",
    "gemeenschappelijk_laatste_jaar",
    "regio_gemeenten",
    "REGIO_KERNCIJFERS",
    "REGIO_FUNNELS",
    "MIN_GEMEENTEN_OVERSPREIDING",
    "REGIO_WINSOR",
    "STANDAARD_REGIONAAM",
]

#: Key figures side by side: code -> column label. Rates per 1.000 inwoners and euros per
#: inwoner of the werkgebied (``bevolking``) make gemeenten of different size comparable.
REGIO_KERNCIJFERS: dict[str, str] = {
    "bereik_meldingen": "meldingen per 1.000 inwoners",
    "bereik_clienten": "nieuwe cliënten per 1.000 inwoners",
    "kosten_per_inwoner": "kosten maatwerk per inwoner (euro)",
    "integrale_kosten_per_inwoner": "kosten team en maatwerk per inwoner (euro)",
    "aandeel_lichte_zorg": "aandeel lichte zorg",
    "afschaling": "afschaling",
    "binnen_termijn_onderzoek": "intake binnen zes weken",
    "zrm_verbeterd": "zelfredzaamheid verbeterd",
}
#: Indicators compared in a funnel across gemeenten (the team funnels' list plus the
#: shift to lichte zorg, the regio's main question).
REGIO_FUNNELS: tuple[str, ...] = (
    "bereik_meldingen",
    "aandeel_lichte_zorg",
    "afschaling",
    "binnen_termijn_onderzoek",
    "onderzoek_binnen_termijn",
    "doorlooptijd_melding_plan",
    "doelrealisatie",
    "zrm_verbeterd",
    "registratie_volledig",
)
#: From this many gemeenten the overdispersion between gemeenten is estimated (as for teams:
#: ``vergelijking.funnel(min_teams=5)``); with fewer, phi and tau² rest on too few units.
MIN_GEMEENTEN_OVERSPREIDING = 5
#: Winsorising of the z-scores before phi and tau² between gemeenten. Measured on 300 simulated
#: regios of 8 gemeenten (n 300-2500, true shares 75% +- 2 pp, binomial;
#: ``benchmarks/bench_regio_funnel.py``): FunnelPlotR's 10% flags 10,6% of null gemeenten at
#: the 95% limit (2,0% at 99,8%), no winsorising 3,6% (0,0%); a gemeente with +13 pp is
#: flagged at 95% in 99% and 78% of the regios. A regio has few units, and a false "this
#: gemeente differs" in a report to several councils costs more than a missed one, so the
#: regio keeps the nominal rate.
REGIO_WINSOR = 0.0
#: Name of the regio when the run asks for one without naming it (``--regio`` in run.py).
STANDAARD_REGIONAAM = "Alle gemeenten"


@dataclass
class Regioresultaten:
    """Everything the regio report shows (tidy frames; the per-gemeente tables whole)."""

    naam: str
    gemeenten: list[str]
    parameters: dict
    md: Monitordata
    #: gemeente -> its whole tidy table per jaar / per kwartaal (all teams: for disclosure)
    jaar: dict[str, pd.DataFrame] = field(default_factory=dict)
    kwartaal: dict[str, pd.DataFrame] = field(default_factory=dict)
    laatste_jaar: pd.Timestamp | None = None
    funnels: pd.DataFrame = field(default_factory=pd.DataFrame)
    trends: pd.DataFrame = field(default_factory=pd.DataFrame)
    verschillen: pd.DataFrame = field(default_factory=pd.DataFrame)
    herkomst: pd.DataFrame = field(default_factory=pd.DataFrame)
    fouten: dict = field(default_factory=dict)

    @property
    def config(self):
        return self.md.config

    def samenvatting(self) -> list[tuple[str, str]]:
        regels = [("regio", self.naam), ("gemeenten", ", ".join(self.gemeenten))]
        if self.laatste_jaar is not None:
            regels.append(("laatste volledige jaar", str(self.laatste_jaar.year)))
        regels.append(("funnels", tekst.getal(self.funnels["indicator"].nunique() if len(self.funnels) else 0)))
        if self.fouten:
            regels.append(("niet gelukt", ", ".join(self.fouten)))
        return regels

    def __repr__(self) -> str:
        return tekst.overzicht_tekst("Regioresultaten", self.samenvatting())

    def _repr_html_(self) -> str:
        return tekst.overzicht_html("Regioresultaten", self.samenvatting())


def regio_gemeenten(md: Monitordata, naam: str | None = None, gemeenten=None) -> tuple[str, list[str]]:
    """The regio of a run: ``(naam, gemeenten)``.

    The gemeenten come from ``[regio] gemeenten`` in monitor.toml when that section exists,
    else from ``gemeenten`` (the run's selection), else all gemeenten of the dataset. The
    name: ``naam`` (the command line), else ``[regio] naam``, else :data:`STANDAARD_REGIONAAM`.
    Raises :class:`InvoerFout` (Dutch) for a gemeente that is not in the data and for fewer
    than two gemeenten.
    """
    cfg_regio = getattr(md.config, "regio", None) or {}
    lijst = list(cfg_regio.get("gemeenten") or gemeenten or md.gemeenten)
    naam = naam or cfg_regio.get("naam") or STANDAARD_REGIONAAM
    onbekend = [g for g in lijst if g not in md.gemeenten]
    if onbekend:
        bron = "[regio] gemeenten in monitor.toml" if cfg_regio.get("gemeenten") else "de regio"
        raise InvoerFout(f"Regio '{naam}': {bron} noemt een gemeente die niet in de data staat.\n"
                         + "\n".join(md.melding_onbekende_gemeente(g) for g in onbekend))
    lijst = list(dict.fromkeys(lijst))
    if len(lijst) < 2:
        raise InvoerFout(f"Regio '{naam}': een regiorapport vergelijkt minstens twee gemeenten; "
                         f"deze run heeft er {len(lijst)} ({', '.join(lijst) or 'geen'}).")
    return naam, lijst


def totalen(tabellen: dict[str, pd.DataFrame] | pd.DataFrame) -> pd.DataFrame:
    """The gemeente level (``wijkteam == Totaal``) of one or more gemeenten's tidy tables."""
    if isinstance(tabellen, dict):
        delen = [t for t in tabellen.values() if len(t)]
        if not delen:
            return pd.DataFrame()
        tabel = pd.concat(delen, ignore_index=True)
    else:
        tabel = tabellen
    if tabel.empty:
        return tabel
    return tabel[tabel["wijkteam"] == TOTAAL].reset_index(drop=True)


def gemeenschappelijk_laatste_jaar(jaar: pd.DataFrame, indicator: str | None = None):
    """Start of the last calendar year that is complete (and outside the inloop, for
    ``indicator``) in EVERY gemeente of ``jaar`` (a tidy yearly table); None if there is none.
    A comparison side by side must be of one and the same year."""
    if jaar.empty:
        return None
    t = jaar if indicator is None else jaar[jaar["indicator"] == indicator]
    if t.empty:
        return None
    # a year incomplete for any row is incomplete (as resultaten.laatste_volledige_periode);
    # for one indicator its inloop rows do not count either (contract.in_basis)
    basis = t[in_basis(t)] if indicator is not None else t
    if basis.empty:
        return None
    per_gemeente = basis.groupby("gemeente")["periode_start"].apply(set)
    if set(per_gemeente.index) != set(t["gemeente"].unique()):
        return None
    gedeeld = set.intersection(*per_gemeente.tolist())
    if "volledig" in t:
        gedeeld -= set(t.loc[~t["volledig"].astype(bool), "periode_start"])
    return max(gedeeld) if gedeeld else None


def funnel_gemeenten(tabel: pd.DataFrame, indicator: str, *, regio: str = STANDAARD_REGIONAAM,
                     periode=None, min_gemeenten: int = MIN_GEMEENTEN_OVERSPREIDING,
                     overspreiding: str = "auto", winsor: float = REGIO_WINSOR) -> pd.DataFrame:
    """Funnel with the gemeente as the unit: :func:`vergelijking.funnel` on the gemeente totals.

    Parameters
    ----------
    tabel : DataFrame
        Tidy indicator table of several gemeenten; only the ``Totaal`` rows are used.
    indicator : str
        Indicator code (type and direction from the catalog, as for teams).
    regio : str
        Name of the regio (column ``regio`` of the result).
    periode : None or date
        As :func:`vergelijking.funnel`: None = the last complete period (per gemeente; give
        the period that all gemeenten share, :func:`gemeenschappelijk_laatste_jaar`).
    min_gemeenten : int
        Fewer gemeenten: no overdispersion adjustment ("geen (te weinig teams)").
    overspreiding, winsor
        Passed on. ``winsor`` defaults to :data:`REGIO_WINSOR` (0: no winsorising), not to
        FunnelPlotR's 10% that the team funnels use; see there.

    Returns
    -------
    DataFrame
        The columns of :func:`vergelijking.funnel`, one row per gemeente, with ``gemeente``
        the gemeente, ``wijkteam`` = ``Totaal`` and ``regio``; the centre (``doel``) is the
        pooled value of the gemeenten (Σteller/Σnoemer).

    Examples
    --------
    >>> from monitoranalyse.indicatoren import bereken
    >>> jaar = bereken(md, periode="jaar", indicatoren=["aandeel_lichte_zorg"])
    >>> f = funnel_gemeenten(jaar, "aandeel_lichte_zorg", periode="2024-06-30")
    >>> sorted(f["gemeente"])
    ['Beekdal', 'Lindeveen', 'Oosterwaarde']
    >>> f["methode_overspreiding"].iloc[0]  # three gemeenten: too few to estimate it
    'geen (te weinig teams)'
    """
    from monitoranalyse.analyse import vergelijking

    tot = totalen(tabel)
    tot = tot[tot["indicator"] == indicator]
    if tot.empty:
        raise ValueError(f"indicator '{indicator}' heeft geen gemeentecijfers in de tabel")
    # the gemeente plays the team, the regio the gemeente
    als_teams = tot.assign(wijkteam=tot["gemeente"], gemeente=regio)
    f = vergelijking.funnel(als_teams, indicator, periode=periode, per_gemeente=False,
                            min_teams=min_gemeenten, overspreiding=overspreiding, winsor=winsor)
    f = f.assign(gemeente=f["wijkteam"], wijkteam=TOTAAL)
    f.insert(0, "regio", regio)
    if len(f) and len(f) < min_gemeenten:
        f["opmerking_overspreiding"] = (
            f"Met {len(f)} gemeenten is niet te schatten hoeveel gemeenten gewoonlijk van elkaar "
            f"verschillen (overspreiding; pas vanaf {min_gemeenten} gemeenten). De grenzen zijn die van "
            "toeval alleen: een gemeente erbuiten verschilt meer dan toeval, maar dat kan ook komen "
            "door een andere bevolking of een ander beleid.")
    elif len(f):
        f["opmerking_overspreiding"] = f["opmerking_overspreiding"].str.replace("teams", "gemeenten").str.replace(
            "één team", "één gemeente")
    return f


def _positie(f: pd.DataFrame) -> pd.Series:
    """The position that counts: after the overdispersion adjustment when one was applied."""
    gecorrigeerd = ~f["methode_overspreiding"].astype(str).str.startswith("geen")
    return f["positie_gecorrigeerd"].where(gecorrigeerd, f["positie"]).astype(str)


def verschillen(funnels: pd.DataFrame) -> pd.DataFrame:
    """Which gemeente differs where: one row per gemeente × indicator outside the 95% limit.

    Columns ``gemeente, indicator, periode_start, periode_eind, waarde, doel, positie``
    (the position used: adjusted when the funnel was), ``richting`` (hoger/lager),
    ``beoordeling`` (gunstig/ongunstig/geen richting, from the catalog's ``beter``),
    ``sterkte`` (|z| on the scale used) and ``zin`` (Dutch). Sorted strongest first; empty
    (with these columns) when every gemeente lies inside the limits.
    """
    kolommen = ["gemeente", "indicator", "periode_start", "periode_eind", "waarde", "doel", "positie",
                "richting", "beoordeling", "sterkte", "zin"]
    if funnels is None or funnels.empty:
        return pd.DataFrame(columns=kolommen)
    f = funnels.copy()
    f["positie_gebruikt"] = _positie(f)
    f = f[~f["positie_gebruikt"].str.startswith("binnen")]
    if f.empty:
        return pd.DataFrame(columns=kolommen)
    gecorrigeerd = ~f["methode_overspreiding"].astype(str).str.startswith("geen")
    z = f["z_gecorrigeerd"].where(gecorrigeerd, f["z"]).astype(float).abs()
    rijen = []
    for (_, r), sterkte in zip(f.iterrows(), z):
        hoger = str(r["positie_gebruikt"]).startswith("boven")
        beter = r.get("beter")
        beoordeling = ("geen richting" if beter not in ("hoger", "lager")
                       else "gunstig" if (beter == "hoger") == hoger else "ongunstig")
        code = r["indicator"]
        procent = r.get("type") == "proportie"
        w = tekst.procent(r["waarde"]) if procent else tekst.getal(r["waarde"], 1)
        d = tekst.procent(r["doel"]) if procent else tekst.getal(r["doel"], 1)
        grens = "99,8%" if "99,8" in str(r["positie_gebruikt"]) else "95%"
        naam = catalogus.indicator(code).naam if catalogus.bekend(code) else code
        zin = (f"{r['gemeente']}: {naam.lower()} {w} tegen {d} in de regio "
               f"({tekst.periode_label(r['periode_start'], r['periode_eind'])}), "
               f"{'hoger' if hoger else 'lager'} dan de {grens}-grens")
        zin += "" if beoordeling == "geen richting" else f" ({beoordeling})"
        rijen.append({"gemeente": r["gemeente"], "indicator": code, "periode_start": r["periode_start"],
                      "periode_eind": r["periode_eind"], "waarde": r["waarde"], "doel": r["doel"],
                      "positie": r["positie_gebruikt"], "richting": "hoger" if hoger else "lager",
                      "beoordeling": beoordeling, "sterkte": float(sterkte), "zin": zin + "."})
    uit = pd.DataFrame(rijen, columns=kolommen)
    return uit.sort_values("sterkte", ascending=False, kind="stable").reset_index(drop=True)


def _stap(rr: Regioresultaten, naam: str, functie, *args, **kwargs):
    """One analysis step; a failure is recorded (shown in the report), not fatal."""
    try:
        return functie(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - reported per step
        rr.fouten[naam] = str(e) if str(e) and isinstance(e, (ValueError, InvoerFout)) else \
            "niet te berekenen met deze gegevens"
        return pd.DataFrame()


def _herkomst(md: Monitordata, parameters: dict) -> pd.DataFrame:
    from monitoranalyse.analyse.resultaten import herkomst_tabel

    zichtbaar = {k: (", ".join(v) if k == "gemeenten" and isinstance(v, list) else v)
                 for k, v in parameters.items() if k != "gemeente"}
    h = herkomst_tabel(md, zichtbaar)
    drempel = max(md.config.voor_gemeente(g).drempel for g in parameters.get("gemeenten", [])) \
        if parameters.get("gemeenten") else md.config.drempel
    h.loc[h["onderdeel"] == "openbaarmaking drempel", "waarde"] = (
        f"{drempel} (de hoogste drempel van de gemeenten in de regio)")
    return h


def bereken_regio(md: Monitordata, naam: str, gemeenten, *, van=None, tot=None,
                  parameters: dict | None = None) -> Regioresultaten:
    """Compute the regio comparison of ``gemeenten`` (names in ``md``).

    Per gemeente the yearly and quarterly tidy tables are computed as its own report does
    (``md.voor_gemeente``, window ``van``/``tot`` or that gemeente's ``[periode]``). Then:
    the last complete year all gemeenten share, a funnel per :data:`REGIO_FUNNELS` code across
    the gemeenten (:func:`funnel_gemeenten`), the trend of ``aandeel_lichte_zorg`` per
    gemeente on the complete quarters, and :func:`verschillen`.
    """
    from monitoranalyse import indicatoren as ind
    from monitoranalyse.analyse import trend

    naam, gemeenten = regio_gemeenten(md, naam, gemeenten)
    parameters = dict(parameters or {}, regio=naam, gemeenten=list(gemeenten), van=van, tot=tot)
    rr = Regioresultaten(naam=naam, gemeenten=list(gemeenten), parameters=parameters, md=md)
    for g in gemeenten:
        mdg = md.voor_gemeente(g)
        v = van or mdg.config.periode.get("van")
        t = tot or mdg.config.periode.get("tot")
        rr.jaar[g] = ind.bereken(mdg, periode="jaar", van=v, tot=t)
        rr.kwartaal[g] = ind.bereken(mdg, periode="kwartaal", van=v, tot=t)
    jaar = totalen(rr.jaar)
    rr.laatste_jaar = gemeenschappelijk_laatste_jaar(jaar)
    delen = []
    for code in REGIO_FUNNELS:
        laatste = gemeenschappelijk_laatste_jaar(jaar, code)
        if laatste is None:
            continue
        sel = jaar[(jaar["indicator"] == code) & (jaar["uitsplitsing"] == "") & (jaar["periode_start"] == laatste)]
        if sel["noemer"].astype(float).gt(0).sum() < 2 or sel["waarde"].nunique() < 2:
            continue  # nothing to compare (e.g. every gemeente 100% complete registrations)
        delen.append(_stap(rr, f"funnel {code}", funnel_gemeenten, sel, code, regio=naam, periode="alle"))
    delen = [d for d in delen if not d.empty]
    rr.funnels = pd.concat(delen, ignore_index=True) if delen else pd.DataFrame()
    rr.verschillen = verschillen(rr.funnels)
    kw = totalen(rr.kwartaal)
    if len(kw):
        sel = kw[(kw["indicator"] == "aandeel_lichte_zorg") & (kw["uitsplitsing"] == "")]
        sel = sel[in_basis(sel)]
        rr.trends = _stap(rr, "trend aandeel lichte zorg", trend.trend, sel) if len(sel) else pd.DataFrame()
    rr.herkomst = _herkomst(md, parameters)
    return rr


def cache_pad(werkmap, naam: str) -> Path:
    """Where the batch leaves the regio results for the notebook (private work folder)."""
    return Path(werkmap) / f"regio-{hashlib.sha1(naam.encode()).hexdigest()[:12]}.pkl"


def regioresultaten(naam: str, gemeenten=None, *, data=None, werkmap=None, van=None, tot=None) -> Regioresultaten:
    """The regio notebook's single entry point: from the batch's work folder, else computed
    from ``data`` (cached in the system temp folder as the gemeente notebooks do;
    ``MONITORANALYSE_GEEN_CACHE=1`` switches that off)."""
    if werkmap:
        pad = cache_pad(werkmap, naam)
        if pad.exists():
            with open(pad, "rb") as f:
                return pickle.load(f)
    if data is None:
        raise InvoerFout("Geef 'data' (map met de dataset) of 'werkmap' op.")
    from monitoranalyse.analyse.resultaten import cache_buiten_batch
    from monitoranalyse.invoer.laden import laad

    cache = cache_buiten_batch(data, f"regio|{naam}|{gemeenten}", van, tot)
    if cache is not None and cache.exists():
        try:
            with open(cache, "rb") as f:
                return pickle.load(f)
        except Exception:  # noqa: BLE001 - a stale or broken cache is recomputed
            pass
    md = laad(data)
    rr = bereken_regio(md, naam, gemeenten, van=van, tot=tot, parameters={"data": str(data)})
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(rr, f)
        os.replace(tmp, cache)
    return rr


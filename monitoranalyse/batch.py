"""Stage 4b: the batch — ``monitoranalyse rapport`` for many gemeenten, unattended.

Flow (compute once, render many):

1. The parent process loads and validates the dataset once (structural problems stop
   the run with a Dutch message) and writes it to a private work folder.
2. One worker process per gemeente (``--parallel N`` at a time) computes that
   gemeente's :class:`Resultaten` (indicators, trends, SPC, forecast, comparison,
   nader-onderzoek list), writes the machine-readable tables through the render
   boundary, executes the notebooks with papermill (each in its own kernel process),
   exports them to self-contained HTML without code, runs the final privacy guard,
   and only then moves the finished folder into place (atomic: an interrupted run
   leaves the previous report intact; a rerun replaces it whole).
3. The parent writes ``index.html`` with every gemeente's status and returns a
   non-zero exit code when any gemeente failed, with the reason per gemeente.

Notebooks call :func:`resultaten` themselves, so a notebook opened by hand in
JupyterLab computes the same figures as the batch (same inputs + parameters = same
figures; the provenance block says which inputs and parameters).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import html
import json
import os
import pickle
import platform
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
import urllib.parse
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import __version__
from .contract import TOTAAL as _TOTAAL
from .monitordata import InvoerFout, Monitordata, vertaal_os_fout

__all__ = ["rapport", "resultaten", "Resultaten", "NOTEBOOKS", "notebook_map", "herkomst_tabel"]

#: Notebooks that make up one gemeente's report, in reading order.
NOTEBOOKS = ("monitor_gemeente", "trendanalyse", "teamvergelijking")
#: Run as well when ``--cbs MAP`` is given: the gemeente against comparable gemeenten.
CBS_NOTEBOOK = "cbs_benchmark"


def notebook_map() -> Path:
    """Folder with the parametrised notebooks (the repository's ``notebooks/``;
    ``MONITORANALYSE_NOTEBOOKS`` points elsewhere, e.g. for a gemeente's own notebooks)."""
    if os.environ.get("MONITORANALYSE_NOTEBOOKS"):
        return Path(os.environ["MONITORANALYSE_NOTEBOOKS"])
    kandidaten = [Path(__file__).resolve().parents[1] / "notebooks", Path.cwd() / "notebooks"]
    for k in kandidaten:
        if (k / f"{NOTEBOOKS[0]}.ipynb").exists():
            return k
    raise InvoerFout("De notebooks zijn niet gevonden (verwacht in de map notebooks/ naast het pakket).")


# ---------------------------------------------------------------------------
# Results of one gemeente
# ---------------------------------------------------------------------------


@dataclass
class Resultaten:
    """Everything the notebooks and exports of one gemeente show (all tidy frames)."""

    gemeente: str
    parameters: dict
    md: Monitordata
    indicatoren: pd.DataFrame  # kwartaal
    indicatoren_maand: pd.DataFrame
    indicatoren_jaar: pd.DataFrame
    indicatoren_halfjaar: pd.DataFrame = field(default_factory=pd.DataFrame)
    inloop: pd.DataFrame = field(default_factory=pd.DataFrame)  # indicatoren.inloop per gemeente
    vergelijkingsperiode: str = ""  # years of the meldingen behind case-mix and typology
    trends: pd.DataFrame = field(default_factory=pd.DataFrame)
    beleidseffecten: pd.DataFrame = field(default_factory=pd.DataFrame)
    verschuiving: pd.DataFrame = field(default_factory=pd.DataFrame)
    spc: pd.DataFrame = field(default_factory=pd.DataFrame)
    prognose: pd.DataFrame = field(default_factory=pd.DataFrame)
    funnels: pd.DataFrame = field(default_factory=pd.DataFrame)
    casemix: pd.DataFrame = field(default_factory=pd.DataFrame)
    bollen: pd.DataFrame = field(default_factory=pd.DataFrame)
    typologie: pd.DataFrame = field(default_factory=pd.DataFrame)
    signalen: pd.DataFrame = field(default_factory=pd.DataFrame)
    kwaliteit: pd.DataFrame = field(default_factory=pd.DataFrame)
    herkomst: pd.DataFrame = field(default_factory=pd.DataFrame)
    fouten: dict = field(default_factory=dict)  # analysis step -> Dutch message

    @property
    def config(self):
        return self.md.config


def _periode_filter(tabel: pd.DataFrame, van: str | None, tot: str | None) -> pd.DataFrame:
    """Keep the periods that lie wholly inside [van, tot] — the same rule as
    :func:`monitoranalyse.indicatoren.perioden`. The batch computes with that window
    directly; this filter is kept for tables computed elsewhere."""
    if tabel.empty:
        return tabel
    m = pd.Series(True, index=tabel.index)
    if van:
        m &= tabel["periode_start"] >= pd.Timestamp(f"{van}-01")
    if tot:
        m &= tabel["periode_eind"] <= pd.Timestamp(f"{tot}-01") + pd.offsets.MonthEnd(0)
    return tabel[m].reset_index(drop=True)


def _voor_fit(tabel: pd.DataFrame, hele_perioden: bool = False) -> pd.DataFrame:
    """The rows a model may be fitted on: complete periods outside the inloop.

    With ``hele_perioden`` every period that holds an inloop row is dropped for all
    indicators (the caseload forecast needs instroom, uitstroom and caseload of the same
    months). Tolerates tables without ``volledig``/``inloop``.
    """
    if tabel.empty:
        return tabel
    m = pd.Series(True, index=tabel.index)
    if "volledig" in tabel:
        m &= tabel["volledig"].astype(bool)
    if "inloop" in tabel:
        il = tabel["inloop"].astype(bool)
        m &= ~il
        if hele_perioden and il.any():
            m &= ~tabel["periode_start"].isin(tabel.loc[il, "periode_start"].unique())
    return tabel[m].reset_index(drop=True)


def laatste_volledige_periode(tabel: pd.DataFrame, indicator: str | None = None):
    """Start of the last complete period in a tidy table (None if there is none).

    A period counts when it is ``volledig``; with ``indicator``, also not ``inloop`` for
    that indicator. Used for every "laatste jaar" figure, funnel and key-figure table.
    """
    if tabel.empty:
        return None
    t = tabel
    if "volledig" in t:
        # a period is incomplete when any row of it is (some indicators, such as the
        # survey's rapportcijfer, carry their own period and are not marked)
        onvolledig = t.loc[~t["volledig"].astype(bool), "periode_start"].unique()
        t = t[~t["periode_start"].isin(onvolledig)]
    if indicator is not None:
        t = t[t["indicator"] == indicator]
        if "inloop" in t:
            t = t[~t["inloop"].astype(bool)]
    return None if t.empty else t["periode_start"].max()


def _stap(res: Resultaten, naam: str, functie, *args, **kwargs):
    """Run one analysis step; a failure is recorded (and shown in the report), not fatal."""
    try:
        return functie(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - reported per step, with the reason
        res.fouten[naam] = _reden_stap(e)
        if os.environ.get("MONITORANALYSE_DEBUG"):
            traceback.print_exc()
        return pd.DataFrame()


#: Words that mark an exception text as a library's (English) message, not one of ours.
_ENGELS = re.compile(
    r"\b(array|index|length mismatch|division|divide|singular|could not|cannot|must be|not enough|"
    r"out of bounds|no objects|zero-size|invalid value|has no attribute|unsupported|expected|"
    r"only|empty|shape|NaN|infinity|converge)\b",
    re.IGNORECASE,
)


def _reden_stap(e: Exception) -> str:
    """The reason an analysis step failed, for the report: our own (Dutch) message as it is,
    a library's English message replaced by a Dutch one (the original is printed with
    MONITORANALYSE_DEBUG=1)."""
    tekst = str(e).strip()
    programmafout = isinstance(e, (LookupError, AttributeError, TypeError, ArithmeticError))
    if tekst and not programmafout and not _ENGELS.search(tekst):
        return tekst
    return "niet te berekenen met deze gegevens (te weinig waarnemingen of een lege tabel)"



#: ``tabel`` of the row that counts quarantined rows that belong to no gemeente of the data.
NIET_TOE_TE_WIJZEN = "niet toe te wijzen"


def kwaliteit_tabel(md: Monitordata, gemeente: str | None = None) -> pd.DataFrame:
    """Row accounting + quarantine counts per table and rule (no values, no rows).

    Parameters
    ----------
    md : Monitordata
        The whole dataset.
    gemeente : str, optional
        Restrict to one gemeente: used rows are that gemeente's rows, quarantined rows
        are those attributed to it (``quarantaine.gemeente``: the row's own gemeente
        column, else its traject's). Quarantined rows that belong to no gemeente of the
        data are counted once, without detail, on a row with ``tabel`` ==
        :data:`NIET_TOE_TE_WIJZEN` (in every gemeente's table). Without ``gemeente`` the
        dataset-wide accounting (as ``valideer`` prints it).

    Returns
    -------
    DataFrame
        Accounting rows (``omschrijving == "rijverantwoording"``): ``tabel, bestand,
        rijen_gelezen, rijen_gebruikt, rijen_quarantaine`` (read = used + quarantined);
        then one row per (tabel, regel) with ``aantal_problemen`` and ``omschrijving``.
    """
    from .contract import REGELS

    q = md.quarantaine
    acc = md.rijverantwoording().drop(columns=["sha256"], errors="ignore")
    if gemeente is not None:
        mdg = md.voor_gemeente(gemeente)
        gem = q["gemeente"].fillna("").astype(str) if "gemeente" in q else pd.Series("", index=q.index)
        eigen = q[gem == gemeente]
        los = q[~gem.isin(md.gemeenten)]
        rec = lambda d: d.assign(_r=d["bestand"].astype(str) + "#" + d["rij"].astype(str))  # noqa: E731
        n_q = rec(eigen).groupby("tabel")["_r"].nunique() if len(eigen) else pd.Series(dtype=float)
        acc = acc.drop(columns=["rijen_leeg"], errors="ignore").copy()
        acc["rijen_gebruikt"] = acc["tabel"].map(lambda t: len(mdg.tabellen.get(str(t), ())))
        acc["rijen_quarantaine"] = acc["tabel"].map(n_q).fillna(0).astype("int64")
        acc["rijen_gelezen"] = acc["rijen_gebruikt"] + acc["rijen_quarantaine"]
        acc = acc[(acc["rijen_gelezen"] > 0) | acc["bestand"].fillna("").astype(str).ne("")]
        if len(los):
            n_los = rec(los)["_r"].nunique()
            acc = pd.concat([acc, pd.DataFrame([{"tabel": NIET_TOE_TE_WIJZEN, "bestand": "",
                                                 "rijen_gelezen": n_los, "rijen_gebruikt": 0,
                                                 "rijen_quarantaine": n_los}])], ignore_index=True)
        acc[["rijen_gelezen", "rijen_gebruikt", "rijen_quarantaine"]] = acc[
            ["rijen_gelezen", "rijen_gebruikt", "rijen_quarantaine"]].astype("int64")
        q = eigen
    if q.empty:
        regels = pd.DataFrame(columns=["tabel", "regel", "aantal_problemen", "omschrijving"])
    else:
        regels = q.groupby(["tabel", "regel"]).size().rename("aantal_problemen").reset_index()
        regels["omschrijving"] = regels["regel"].map(REGELS)
    acc = acc.assign(regel="", aantal_problemen=pd.NA, omschrijving="rijverantwoording")
    return pd.concat([acc, regels], ignore_index=True)


def herkomst_tabel(md: Monitordata, parameters: dict) -> pd.DataFrame:
    """Provenance: package version, parameters, sha256 per input file, time."""
    rijen = [
        ("pakket", f"monitoranalyse {__version__}"),
        ("python", platform.python_version()),
        ("pandas", pd.__version__),
        ("gegenereerd", _dt.datetime.now().astimezone().isoformat(timespec="seconds")),
    ]
    rijen += [(f"parameter {k}", "" if v is None else str(v)) for k, v in parameters.items()]
    cfg = md.config.voor_gemeente(parameters["gemeente"]) if parameters.get("gemeente") else md.config
    rijen.append(("openbaarmaking drempel", str(cfg.drempel)))
    if cfg.drempel_verlaagd:
        from .config import MINIMUM_DREMPEL

        rijen.append((
            "LET OP: verlaagde drempel",
            f"de drempel {cfg.drempel} ligt onder het CBS-minimum {MINIMUM_DREMPEL}; gekozen met "
            "'lage_drempel_toegestaan = true' in monitor.toml. Kleinere aantallen dan gebruikelijk zijn "
            "gepubliceerd.",
        ))
    for _, r in md.herkomst.iterrows():
        rijen.append((f"invoer {r['bestand']}", f"sha256 {r['sha256']}"))
    if md.config.bron:
        rijen.append(("configuratie", f"{Path(md.config.bron).name} sha256 {_sha256(md.config.bron)}"))
    return pd.DataFrame(rijen, columns=["onderdeel", "waarde"])


def _sha256(pad) -> str:
    return hashlib.sha256(Path(pad).read_bytes()).hexdigest()


def bereken_resultaten(md: Monitordata, gemeente: str, *, van=None, tot=None, parameters=None) -> Resultaten:
    """Compute everything for one gemeente (the library calls behind the notebooks)."""
    from . import indicatoren as ind

    mdg = md.voor_gemeente(gemeente)
    van = van or mdg.config.periode.get("van")
    tot = tot or mdg.config.periode.get("tot")
    parameters = dict(parameters or {}, gemeente=gemeente, van=van, tot=tot)
    # computed once with the window (periods wholly inside [van, tot], as indicatoren.perioden)
    res = Resultaten(
        gemeente=gemeente,
        parameters=parameters,
        md=mdg,
        indicatoren=ind.bereken(mdg, periode="kwartaal", van=van, tot=tot),
        indicatoren_maand=ind.bereken(mdg, periode="maand", van=van, tot=tot),
        indicatoren_jaar=ind.bereken(mdg, periode="jaar", van=van, tot=tot),
        indicatoren_halfjaar=ind.bereken(mdg, periode="halfjaar", van=van, tot=tot),
    )
    res.inloop = ind.inloop(mdg)
    res.kwaliteit = kwaliteit_tabel(md, gemeente)
    res.herkomst = herkomst_tabel(md, parameters)
    _analyses(res)
    return res


#: Indicators that get a trend verdict and SPC chart in every report.
TREND_INDICATOREN = (
    "aandeel_lichte_zorg",
    "aandeel_maatwerk",
    "afschaling",
    "instroom",
    "uitstroom",
    "caseload",
    "caseload_per_fte",
    "binnen_termijn_onderzoek",
    "onderzoek_binnen_termijn",
    "doorlooptijd_melding_plan",
    "kosten_maatwerk",
    "doelrealisatie",
    "zrm_verbeterd",
)
#: Issue 14: trend verdict only (no SPC: yearly money and rates per inwoner are not
#: monthly processes). Verzuim, verloop and the caseload per regisseur are left out on
#: purpose: a trend of a team figure that is withheld (small team) would tell what the
#: table hides.
TREND_ZONDER_SPC = ("teamkosten", "integrale_kosten_per_inwoner", "bereik_meldingen")
#: Stock-based indicators (open trajecten at the end of a period). Consecutive values share
#: most of their trajecten, so they are strongly autocorrelated: on null data (the sample
#: generator without planted effect, benchmarks/inloop_vals_alarm.py) a trend test that
#: treats quarters as nearly independent flagged 20-30% of the series at a nominal 5%, and
#: XmR limits from moving ranges 38%. Their flows (instroom 5%) are calibrated. Hence:
#: no SPC for stocks, and a stock trend counts only when a flow trend confirms it
#: (:func:`_bevestig_voorraden`).
VOORRAAD_INDICATOREN = ("caseload", "caseload_per_fte", "open_zonder_plan")
#: Flows that confirm a stock trend: (flow, sign of the flow trend that raises the stock).
_STROMEN = (("instroom", "stijgend"), ("uitstroom", "dalend"))
_TEGEN = {"stijgend": "dalend", "dalend": "stijgend"}
#: Months (counted back from the last month with data) in which an SPC signal enters
#: the nader-onderzoek list.
SPC_VENSTER_MAANDEN = 6
FUNNEL_INDICATOREN = (
    "binnen_termijn_onderzoek",
    "onderzoek_binnen_termijn",
    "doorlooptijd_melding_plan",
    "aandeel_maatwerk",
    "afschaling",
    "doelrealisatie",
    "zrm_verbeterd",
    "registratie_volledig",
    "bereik_meldingen",  # issue 14: a team that reaches few inwoners is a question too
)


def _bevestig_voorraden(trends: pd.DataFrame) -> pd.DataFrame:
    """A significant trend of a stock (caseload, caseload per fte, ...) stands only when
    the flows of the same team confirm it: a rising stock needs rising instroom or falling
    uitstroom (p < 0.05), a falling stock the reverse. A stock can only change for good
    when its flows do; without that, the movement is the stock's own slow fluctuation
    (see :data:`VOORRAAD_INDICATOREN` for the measured false-alarm rates). Unconfirmed
    stock trends get ``richting`` "geen_trend", ``beoordeling`` "neutraal" and a
    sentence that says so; the fitted slope and p-value stay in the table."""
    if trends.empty or "richting" not in trends:
        return trends
    uit = trends.copy()
    stroom = {(r["gemeente"], r["wijkteam"], r["indicator"]): r["richting"]
              for r in uit.to_dict("records") if r["indicator"] in dict(_STROMEN)}
    for i, r in uit.iterrows():
        if r["indicator"] not in VOORRAAD_INDICATOREN or r["richting"] not in ("stijgend", "dalend"):
            continue
        omhoog = r["richting"] == "stijgend"
        nodig = {code: teken if omhoog else _TEGEN[teken] for code, teken in _STROMEN}
        bevestigd = any(stroom.get((r["gemeente"], r["wijkteam"], code)) == teken
                        for code, teken in nodig.items())
        if bevestigd:
            continue
        plaats = "de gemeente" if r["wijkteam"] == _TOTAAL else str(r["wijkteam"])
        uit.at[i, "richting"] = "geen_trend"
        uit.at[i, "beoordeling"] = "neutraal"
        uit.at[i, "zin"] = (
            f"{_indicatornaam(r['indicator'])} in {plaats}: geen aanwijzing voor een blijvende "
            f"verandering; de schommeling wordt niet gedragen door een trend in de instroom of "
            f"uitstroom (een voorraad hangt van maand tot maand samen met zijn eigen verleden).")
    return uit


def _indicatornaam(code: str) -> str:
    from .catalogus import INDICATOREN

    ind = INDICATOREN.get(code)
    return ind.naam if ind is not None else code


def _analyses(res: Resultaten) -> None:
    from . import prognose, signalen, spc, trend, vergelijking

    # Fits never see an incomplete period or an inloop row (trend, ITS, verschuiving,
    # SPC baseline, forecast incl. its back-test, funnels): they are dropped here. The
    # analysis functions skip them too when the columns are present (double protection).
    kw = _voor_fit(res.indicatoren)
    selectie = kw[kw["indicator"].isin(TREND_INDICATOREN + TREND_ZONDER_SPC) & (kw["uitsplitsing"] == "")]
    res.trends = _bevestig_voorraden(_stap(res, "trend", trend.trend, selectie))
    res.beleidseffecten = _stap(
        res, "beleidseffect", trend.onderbroken_tijdreeks, selectie, res.config.beleidswijzigingen
    ) if res.config.beleidswijzigingen else pd.DataFrame()
    res.verschuiving = _stap(res, "verschuiving", trend.verschuiving, kw)
    maand = _voor_fit(res.indicatoren_maand)
    spc_sel = maand[maand["indicator"].isin(TREND_INDICATOREN) & (maand["uitsplitsing"] == "")
                    & ~maand["indicator"].isin(VOORRAAD_INDICATOREN)]
    herbereken = [b.datum for b in res.config.beleidswijzigingen] or None
    res.spc = _stap(res, "spc", spc.spc, spc_sel, herbereken_bij=herbereken)
    res.prognose = _stap(res, "prognose", prognose.caseload_prognose,
                         _voor_fit(res.indicatoren_maand, hele_perioden=True))
    jaar = res.indicatoren_jaar
    if not jaar.empty:
        # per indicator the last complete year outside the inloop (usually the same year)
        delen = []
        for code in FUNNEL_INDICATOREN:
            laatste = laatste_volledige_periode(jaar, code)
            if laatste is None:
                continue
            fun_sel = jaar[(jaar["periode_start"] == laatste) & (jaar["indicator"] == code)]
            if len(fun_sel):
                delen.append(_stap(res, f"funnel {code}", vergelijking.funnel, fun_sel, code))
        res.funnels = pd.concat([d for d in delen if not d.empty], ignore_index=True) if any(
            not d.empty for d in delen
        ) else pd.DataFrame()
    # case-mix and typology: the trajecten gemeld in the COMPLETE years of the window (an
    # incomplete last year is left out). Not only the last year: one year holds too few
    # trajecten per team for an O/E judged at 99.8% (measured on the sample: the planted
    # OR 2.5 of Lindeveen West gave z = 3.1 on 2025 alone, inside the 99.8% limit), and
    # the last year's late meldingen have had no time yet to receive maatwerk.
    jaar_van = _volledige_jaren(res.indicatoren_jaar)
    res.vergelijkingsperiode = (f"{jaar_van[0].year}" if jaar_van and jaar_van[0].year == jaar_van[1].year
                                else f"{jaar_van[0].year}–{jaar_van[1].year}" if jaar_van else "")
    cm = [
        _stap(res, f"casemix {u}", vergelijking.casemix_oe, res.md, u, periode=jaar_van)
        for u in ("maatwerk", "doorlooptijd_buiten_termijn")
    ]
    cm = [c for c in cm if not c.empty]
    res.casemix = pd.concat(cm, ignore_index=True) if cm else pd.DataFrame()
    # per respondent group: the bollen-model asks medewerkers, cliënten and partners
    # separately, and pooling them would dilute a signal that lives in one group
    bollen = [
        _stap(res, f"bollen {r}", vergelijking.bollen_profiel, res.md, respondent=r).assign(respondent=r)
        for r in ("medewerker", "client", "partner")
    ]
    bollen = [b for b in bollen if len(b.columns) > 1 and not b.empty]
    res.bollen = pd.concat(bollen, ignore_index=True) if bollen else pd.DataFrame()
    res.typologie = _stap(res, "typologie", vergelijking.team_typologie,
                          _md_meldingen_in(res.md, jaar_van))
    sig = _stap(res, "spc-signalen", spc.spc_signalen, res.spc) if not res.spc.empty else None
    if sig is not None and not sig.empty:
        # only recent special causes ask for action now; older ones are history (still
        # visible in the SPC charts). Window: the last SPC_VENSTER_MAANDEN months of data.
        grens = res.spc["periode_start"].max() - pd.DateOffset(months=SPC_VENSTER_MAANDEN - 1)
        sig = sig[sig["periode_start"] >= grens]
    res.signalen = _stap(
        res,
        "nader onderzoek",
        signalen.nader_onderzoek,
        funnels=res.funnels if not res.funnels.empty else None,
        casemix=res.casemix if not res.casemix.empty else None,
        spc_signalen=sig if sig is not None and not sig.empty else None,
        trends=res.trends if not res.trends.empty else None,
        bollen=res.bollen if not res.bollen.empty else None,
    )


def _volledige_jaren(jaar: pd.DataFrame):
    """(first day, last day) of the complete years in a yearly tidy table, or None."""
    if jaar.empty:
        return None
    onvolledig = jaar.loc[~jaar["volledig"].astype(bool), "periode_start"].unique()
    starts = jaar.loc[~jaar["periode_start"].isin(onvolledig), "periode_start"]
    if starts.empty:
        return None
    return starts.min(), starts.max() + pd.DateOffset(years=1) - pd.Timedelta(days=1)


def _md_meldingen_in(md: Monitordata, venster) -> Monitordata:
    """``md`` restricted to the trajecten gemeld inside ``venster`` (start, eind), with
    their inzet and ZRM; the team tables stay whole. ``None`` = unchanged."""
    if venster is None:
        return md
    tr = md.tabellen["trajecten"]
    tr = tr[(tr["datum_melding"] >= venster[0]) & (tr["datum_melding"] <= venster[1])]
    ids = set(tr["traject_id"])
    nieuw = dict(md.tabellen, trajecten=tr.reset_index(drop=True))
    for naam in ("inzet", "zrm"):
        df = md.tabellen[naam]
        nieuw[naam] = df[df["traject_id"].isin(ids)].reset_index(drop=True)
    return Monitordata(tabellen=nieuw, quarantaine=md.quarantaine, herkomst=md.herkomst,
                       config=md.config, map=md.map)


def _cache_pad(werkmap: Path, gemeente: str) -> Path:
    veilig = hashlib.sha1(gemeente.encode()).hexdigest()[:12]
    return Path(werkmap) / f"resultaten-{veilig}.pkl"


def resultaten(gemeente: str, *, data=None, werkmap=None, van=None, tot=None) -> Resultaten:
    """The notebooks' single entry point.

    With ``werkmap`` (set by the batch) the results computed by the batch worker are
    read from there; otherwise they are computed from ``data`` (a dataset folder).
    """
    if werkmap:
        pad = _cache_pad(werkmap, gemeente)
        if pad.exists():
            with open(pad, "rb") as f:
                return pickle.load(f)
    if data is None:
        raise InvoerFout("Geef 'data' (map met de dataset) of 'werkmap' op.")
    from .laden import laad

    cache = _cache_buiten_batch(data, gemeente, van, tot)
    if cache is not None and cache.exists():
        try:
            with open(cache, "rb") as f:
                return pickle.load(f)
        except Exception:  # noqa: BLE001 - a stale or broken cache is simply recomputed
            pass
    md = laad(data)
    res = bereken_resultaten(md, gemeente, van=van, tot=tot, parameters={"data": str(data)})
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(res, f)
        os.replace(tmp, cache)
    return res


def _cache_buiten_batch(data, gemeente, van, tot) -> Path | None:
    """Cache file for notebooks run outside the batch (JupyterLab, nbval): three notebooks of
    one gemeente then compute the results once. The key covers every input byte, the
    parameters and the package's own source, so a stale cache cannot be hit.
    Set MONITORANALYSE_GEEN_CACHE=1 to switch it off."""
    if os.environ.get("MONITORANALYSE_GEEN_CACHE"):
        return None
    h = hashlib.sha256(f"{gemeente}|{van}|{tot}|{__version__}".encode())
    for pad in sorted(Path(data).iterdir()):
        if pad.is_file():
            h.update(pad.name.encode())
            h.update(pad.read_bytes())
    for pad in sorted(Path(__file__).parent.glob("*.py")):
        h.update(pad.read_bytes())
    return Path(tempfile.gettempdir()) / "monitoranalyse-cache" / f"{h.hexdigest()[:32]}.pkl"


# ---------------------------------------------------------------------------
# Writing one gemeente's report
# ---------------------------------------------------------------------------


#: Longest readable part of a report folder name (the hash comes on top).
MAX_MAPNAAM = 60
_GERESERVEERD = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def veilige_mapnaam(gemeente: str) -> str:
    """The folder of a gemeente's report: readable, and unique per gemeente.

    A name made of letters, digits, ``-``, ``_`` and inner spaces (at most
    :data:`MAX_MAPNAAM` characters) is used as it is, spaces as ``_``. Any other name
    (``A/B``, ``A?B``, a control character, 280 characters, a reserved Windows name,
    a name with a space where another has ``_``) gets a readable slug plus the first
    8 hex digits of the SHA-1 of the exact name, so that ``A/B``, ``A_B`` and ``A?B``
    never share a folder.
    """
    schoon = re.fullmatch(r"[^\W_][\w\-]*", gemeente or "") is not None
    slug = "".join(c if (c.isalnum() or c in "-_") and c.isprintable() else "_" for c in gemeente)
    slug = re.sub(r"_+", "_", slug).strip("_-")[:MAX_MAPNAAM].rstrip("_-") or "gemeente"
    if schoon and len(gemeente) <= MAX_MAPNAAM and gemeente.lower() not in _GERESERVEERD:
        return gemeente
    return f"{slug}-{hashlib.sha1(gemeente.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def _verboden_tokens(md: Monitordata) -> set[str]:
    from .contract import TABELLEN

    tokens: set[str] = set()
    for naam, tabel in TABELLEN.items():
        df = md.tabellen.get(naam)
        if df is None or df.empty:
            continue
        for k in tabel.kolommen:
            if k.type == "id" and k.naam in df.columns:
                waarden = df[k.naam].dropna().astype(str)
                tokens.update(w for w in waarden.unique() if len(w) >= 4)
    q = md.quarantaine
    if not q.empty:
        idk = q["kolom"].astype(str).str.endswith("_id")
        tokens.update(w for w in q.loc[idk, "waarde"].dropna().astype(str) if len(w) >= 4)
    return tokens


def exporteer_html(ipynb: Path, doel: Path) -> Path:
    """Executed notebook -> self-contained HTML without code or prompts, no external requests."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(ipynb), as_version=4)
    nb.metadata.pop("widgets", None)
    # <title>: the report's title and the gemeente (WCAG 2.4.2), not "Notebook"
    titel = nb.metadata.get("monitoranalyse", {}).get("titel", "")
    gemeente = nb.metadata.get("papermill", {}).get("parameters", {}).get("gemeente", "")
    if titel:
        nb.metadata["title"] = f"{titel} – {gemeente}" if gemeente else titel
    exp = HTMLExporter(
        template_name="rapport",
        extra_template_basedirs=[str(Path(__file__).parent / "sjabloon")],
    )
    exp.exclude_input = True
    exp.exclude_input_prompt = True
    exp.exclude_output_prompt = True
    exp.language_code = "nl"
    # cells tagged "verbergen" (the key figures nbval checks) stay in the .ipynb, not in the report
    from nbconvert.preprocessors import TagRemovePreprocessor

    exp.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"verbergen"}), enabled=True)
    body, _ = exp.from_notebook_node(nb)
    doel.write_text(body, encoding="utf-8")
    return doel


def _schrijf_tabellen(res: Resultaten, map_: Path) -> None:
    from . import render

    cfg = res.config
    alles = pd.concat(
        [res.indicatoren_maand.assign(periodetype="maand"), res.indicatoren.assign(periodetype="kwartaal"),
         res.indicatoren_jaar.assign(periodetype="jaar")],
        ignore_index=True,
    )
    # suppression per period type (the additive groups live within one period type)
    vrij = pd.concat(
        [render.vrijgeven(g.drop(columns="periodetype"), cfg).assign(periodetype=p) for p, g in alles.groupby("periodetype", sort=False)],
        ignore_index=True,
    )
    render.schrijf_csv(vrij, map_ / "indicatoren.csv", vrijgegeven=True)
    render.schrijf_xlsx(vrij, map_ / "indicatoren.xlsx", cfg, vrijgegeven=True, herkomst=res.herkomst)
    # the analysis outputs with the visibility of the tables they were computed from
    # (the same released results the notebooks draw)
    V = render.vrijgeven_resultaten(res)
    render.schrijf_csv(V.signalen, map_ / "signalen.csv", cfg)
    trends = res.trends
    if not res.beleidseffecten.empty:
        trends = pd.concat([res.trends, res.beleidseffecten], ignore_index=True)
    render.schrijf_csv(trends, map_ / "trends.csv", cfg)
    render.schrijf_csv(V.prognose, map_ / "prognose.csv", cfg)
    kwaliteit = res.kwaliteit.copy()
    for c in kwaliteit.columns:  # counts are whole numbers: 10032, not 10032,0
        if c.startswith(("rijen_", "aantal_")):
            kwaliteit[c] = pd.to_numeric(kwaliteit[c], errors="coerce").round().astype("Int64")
    render.schrijf_csv(kwaliteit, map_ / "kwaliteit.csv", cfg, vrijgegeven=True)
    render.schrijf_csv(res.herkomst, map_ / "herkomst.csv", cfg, vrijgegeven=True)


#: Prefix of the private work folder of a run inside ``--out`` (holds every input row).
WERKMAP_PREFIX = ".monitoranalyse-werk-"
#: Per report folder: who/when, read back when index.html is rebuilt from disk.
METADATA = ".rapport.json"
_TIJDELIJK = re.compile(r"^\.(?P<naam>.+)\.(?P<soort>bezig|oud)\.(?P<run>[^.]+)(\..*)?$")


def _run_id(werkmap) -> str:
    return Path(werkmap).name.removeprefix(WERKMAP_PREFIX)


def _umask() -> int:
    huidig = os.umask(0o022)
    os.umask(huidig)
    return huidig


def _pas_umask_toe(map_: Path, umask: int) -> None:
    """Give a finished report the permissions of the user's umask (mkdtemp/mkstemp make
    0700/0600; reports go to a web server or a group share)."""
    os.chmod(map_, 0o777 & ~umask)
    for wortel, mappen, bestanden in os.walk(map_):
        for m in mappen:
            os.chmod(Path(wortel) / m, 0o777 & ~umask)
        for b in bestanden:
            os.chmod(Path(wortel) / b, 0o666 & ~umask)


def _sterf_met_ouder() -> None:
    """Worker initializer: die when the parent dies (also on SIGKILL of the parent), so no
    orphan swaps in a report after the run has ended (Linux: PR_SET_PDEATHSIG)."""
    import warnings

    warnings.filterwarnings("ignore")
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl
            pass
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def _houd_slot(werkmap: Path):
    """Hold an exclusive lock for the lifetime of this run (released by the kernel when the
    process dies, however it dies): a later run knows the folder is stale."""
    slot = open(werkmap / "slot", "w")  # noqa: SIM115 - kept open for the whole run
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no flock; stale folders go by age
        return slot
    fcntl.flock(slot, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return slot


def _is_levend(werkmap: Path) -> bool:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: a folder older than a day is stale
        try:
            return time.time() - werkmap.stat().st_mtime < 86400
        except OSError:
            return False
    pad = werkmap / "slot"
    if not pad.exists():
        # created a moment after the folder; an older folder without one is stale
        try:
            return time.time() - werkmap.stat().st_mtime < 60
        except OSError:
            return False
    try:
        with open(pad) as f:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(f, fcntl.LOCK_UN)
            return False
    except BlockingIOError:
        return True
    except OSError:
        return False


def ruim_oude_resten_op(out: Path, eigen_run: str | None = None) -> list[str]:
    """Remove what dead runs left in ``out``: work folders whose lock is free, and hidden
    ``.X.bezig.RUN`` / ``.X.oud.RUN`` folders of runs that are not alive. A concurrent live
    run keeps its folders. Returns the names removed."""
    out = Path(out)
    if not out.is_dir():
        return []
    weg, levend = [], set()
    for p in out.iterdir():
        if p.name.startswith(WERKMAP_PREFIX) and p.is_dir():
            run = _run_id(p)
            if run != eigen_run and not _is_levend(p):
                shutil.rmtree(p, ignore_errors=True)
                weg.append(p.name)
            else:
                levend.add(run)
    for p in out.iterdir():
        m = _TIJDELIJK.match(p.name)
        if m and m.group("run") not in levend and m.group("run") != eigen_run:
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
            weg.append(p.name)
    return weg


def _reden(e: BaseException) -> str:
    """A Dutch reason for a failed gemeente (the English original stays in the text for
    exceptions we cannot translate)."""
    if hasattr(e, "ename"):  # papermill execution error: name the cell's error
        return f"fout in notebook: {e.ename}: {e.evalue}"
    if isinstance(e, OSError):
        pad = f" ({Path(e.filename).name})" if getattr(e, "filename", None) else ""
        return f"schrijven of lezen mislukt{pad}: {vertaal_os_fout(e)}"
    return f"{type(e).__name__}: {e}"


def verwerk_gemeente(gemeente: str, werkmap: str, out: str, parameters: dict, notebooks=NOTEBOOKS) -> dict:
    """Worker: make the complete report of one gemeente. Returns a status dict."""
    import warnings

    # numerical warnings of model fits are not for the user's terminal; failures are
    # caught per analysis step and shown in the report
    warnings.filterwarnings("ignore")
    begin = time.time()
    out = Path(out)
    doel = out / parameters.get("mappen", {}).get(gemeente, veilige_mapnaam(gemeente))
    run = _run_id(werkmap)
    tmp = None
    try:
        import papermill as pm

        from .render import controleer_uitvoer

        tmp = Path(tempfile.mkdtemp(prefix=f".{doel.name}.bezig.{run}.", dir=out))
        with open(Path(werkmap) / "monitordata.pkl", "rb") as f:
            md = pickle.load(f)
        res = bereken_resultaten(md, gemeente, van=parameters.get("van"), tot=parameters.get("tot"),
                                 parameters={k: v for k, v in parameters.items()
                                             if k not in ("van", "tot", "mappen", "umask")})
        with open(_cache_pad(werkmap, gemeente), "wb") as f:
            pickle.dump(res, f)
        _schrijf_tabellen(res, tmp)
        nbmap = notebook_map()
        uitvoeren = [(naam, {"gemeente": gemeente, "werkmap": str(werkmap), "data": None,
                             "van": parameters.get("van"), "tot": parameters.get("tot")}) for naam in notebooks]
        if parameters.get("cbs"):
            uitvoeren.append((CBS_NOTEBOOK, {"gemeente": gemeente, "cbs": parameters["cbs"],
                                             "werkmap": str(werkmap)}))
        for naam, param in uitvoeren:
            uit = tmp / f"{naam}.ipynb"
            pm.execute_notebook(
                str(nbmap / f"{naam}.ipynb"),
                str(uit),
                parameters=param,
                progress_bar=False,
                log_output=False,
                cwd=str(nbmap),
                kernel_name="python3",
                # the kernel's English "running over TCP without encryption" warnings
                # (local kernel, loopback only) are not for the user's terminal
                extra_arguments=["--IPKernelApp.log_level=ERROR"],
            )
            exporteer_html(uit, tmp / f"{naam}.html")
        gemaakt = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
        (tmp / METADATA).write_text(json.dumps(
            {"gemeente": gemeente, "gemaakt": gemaakt, "notebooks": [n for n, _ in uitvoeren],
             "waarschuwingen": len(res.fouten)}, ensure_ascii=False), encoding="utf-8")
        lekken = controleer_uitvoer(tmp, _verboden_tokens(md))
        if lekken:
            raise RuntimeError(
                "privacycontrole: de uitvoer bevat identificerende gegevens en is verwijderd ("
                + "; ".join(f"{b}: {w}" for b, w in lekken) + ")"
            )
        _pas_umask_toe(tmp, parameters.get("umask", _umask()))
        # atomic replace of the previous report
        oud = None
        if doel.exists():
            oud = out / f".{doel.name}.oud.{run}"
            os.replace(doel, oud)
        os.replace(tmp, doel)
        tmp = None
        if oud is not None:
            shutil.rmtree(oud, ignore_errors=True)
        return {"gemeente": gemeente, "status": "gelukt", "map": doel.name, "seconden": round(time.time() - begin, 1),
                "waarschuwingen": res.fouten, "notebooks": [n for n, _ in uitvoeren], "gemaakt": gemaakt}
    except Exception as e:  # noqa: BLE001 - one failing gemeente must not stop the others
        return {"gemeente": gemeente, "status": "mislukt", "reden": _reden(e)[:2000], "map": doel.name,
                "seconden": round(time.time() - begin, 1)}
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _rapporten_op_schijf(out: Path) -> dict[str, dict]:
    """gemeente -> metadata of every complete report folder in ``out`` (also of earlier runs)."""
    gevonden = {}
    for p in sorted(Path(out).iterdir()) if Path(out).is_dir() else []:
        meta = p / METADATA
        if p.name.startswith(".") or not meta.is_file():
            continue
        try:
            m = json.loads(meta.read_text(encoding="utf-8"))
            gevonden[str(m["gemeente"])] = dict(m, map=p.name)
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return gevonden


def _datum_nl(iso: str) -> str:
    try:
        d = _dt.datetime.fromisoformat(iso)
        return d.strftime("%d-%m-%Y %H:%M")
    except (TypeError, ValueError):
        return str(iso)


def _links(map_: str, notebooks) -> str:
    return " · ".join(
        f"<a href='{html.escape(urllib.parse.quote(map_))}/{n}.html'>{n.replace('_', ' ')}</a>" for n in notebooks
    )


def _schrijf_index(out: Path, statussen: list[dict], parameters: dict) -> None:
    """index.html from what is on disk: every complete report folder (also from earlier
    runs), with this run's status on top of it; a failed gemeente links its previous report."""
    from .render import schrijf_tekst

    op_schijf = _rapporten_op_schijf(out)
    nu_status = {s["gemeente"]: s for s in statussen}
    rijen = []
    for gemeente in sorted(set(op_schijf) | set(nu_status)):
        s = nu_status.get(gemeente)
        schijf = op_schijf.get(gemeente)
        naam = html.escape(gemeente)
        if s is not None and s["status"] != "gelukt":
            vorig = ""
            if schijf:
                vorig = (f"<br><span class='w'>Het vorige rapport van {html.escape(_datum_nl(schijf.get('gemaakt')))} "
                         f"blijft staan: {_links(schijf['map'], schijf.get('notebooks', NOTEBOOKS))}</span>")
            rijen.append(
                f"<tr><td>{naam}</td><td class='fout'>mislukt</td><td>{html.escape(s.get('reden', ''))}{vorig}</td></tr>"
            )
            continue
        if schijf is None:
            continue  # reported as done but not on disk (removed meanwhile): not listed as done
        extra = ""
        if s is not None and s.get("waarschuwingen"):
            extra = f"<br><span class='w'>{len(s['waarschuwingen'])} analyse(s) niet gelukt; zie rapport</span>"
        wanneer = "" if s is not None else \
            f"<br><span class='klein'>uit een eerdere run ({html.escape(_datum_nl(schijf.get('gemaakt')))})</span>"
        rijen.append(f"<tr><td>{naam}</td><td class='ok'>gelukt</td><td>"
                     f"{_links(schijf['map'], schijf.get('notebooks', NOTEBOOKS))}{extra}{wanneer}</td></tr>")
    nu = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
    zichtbaar = {k: str(v) for k, v in parameters.items() if k not in ("mappen", "umask")}
    inhoud = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Monitor sociale wijkteams – overzicht</title>
<style>body{{font-family:"DejaVu Sans",Arial,sans-serif;max-width:900px;margin:2rem auto;color:#1d1d1b}}
h1{{border-bottom:3px solid #0072B2}} table{{border-collapse:collapse;width:100%}}
td,th{{border-bottom:1px solid #ddd;padding:.4rem .6rem;text-align:left;vertical-align:top}}
.ok{{color:#00704f;font-weight:bold}} .fout{{color:#b03a00;font-weight:bold}} .w{{color:#8a5a00;font-size:.85rem}}
.klein{{color:#555;font-size:.85rem}}</style></head><body>
<h1>Monitor sociale wijkteams</h1>
<p>Rapporten per gemeente. Gemaakt op {html.escape(nu)} met monitoranalyse {__version__}.</p>
<table><thead><tr><th>Gemeente</th><th>Status</th><th>Rapporten</th></tr></thead><tbody>
{''.join(rijen)}
</tbody></table>
<p class="klein">Parameters: {html.escape(json.dumps(zichtbaar, ensure_ascii=False))}</p>
</body></html>"""
    pad = schrijf_tekst(inhoud, out / "index.html")
    os.chmod(pad, 0o666 & ~parameters.get("umask", _umask()))


def _controleer_out(out: Path) -> None:
    """--out must be (or become) a writable folder; checked before any work."""
    if out.exists() and not out.is_dir():
        raise InvoerFout(f"--out {out}: dat is een bestaand bestand, geen map. Kies een map voor de rapporten.")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InvoerFout(f"--out {out}: de map kan niet gemaakt worden: {vertaal_os_fout(e)}.",
                         details=f"{type(e).__name__}: {e}") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise InvoerFout(f"--out {out}: in deze map mag niet geschreven worden (geen schrijfrechten).")


class _Gestopt(Exception):
    """SIGTERM/SIGHUP during a run: stop cleanly (work folder removed, workers ended)."""


def _stop_signaal(signum, frame):  # noqa: ARG001
    raise _Gestopt(signal.Signals(signum).name)


def rapport(data, out, gemeenten=None, van=None, tot=None, parallel=2, cbs=None, notebooks=NOTEBOOKS) -> int:
    """``monitoranalyse rapport``: see the module docstring. Returns the exit code.

    Run-level guarantees: ``--out`` is checked before any work; the work folder (which
    holds every input row) is private (0700), lives inside ``--out``, is removed on every
    exit path (normal end, error, Ctrl-C, SIGTERM/SIGHUP) and, after a SIGKILL, at the
    next start; workers die with the parent; reports get the user's umask; index.html is
    rebuilt from the report folders on disk.
    """
    import multiprocessing

    from tqdm import tqdm

    from .laden import laad

    begin = time.time()
    data, out = Path(data), Path(out)
    for label, w in (("--van", van), ("--tot", tot)):
        if w is not None:
            try:
                _dt.datetime.strptime(w, "%Y-%m")
            except ValueError:
                raise InvoerFout(f"{label} {w!r} is geen maand; verwacht JJJJ-MM (bijvoorbeeld 2024-01)") from None
    if cbs is not None and not Path(cbs).is_dir():
        raise InvoerFout(f"--cbs {cbs}: die map bestaat niet")
    _controleer_out(out)
    umask = _umask()
    ruim_oude_resten_op(out)
    try:
        werkmap = Path(tempfile.mkdtemp(prefix=WERKMAP_PREFIX, dir=out))  # 0700
    except OSError as e:
        raise InvoerFout(f"--out {out}: er kan geen werkmap in gemaakt worden: {vertaal_os_fout(e)}.",
                         details=f"{type(e).__name__}: {e}") from None
    oude_signalen = {}
    try:
        for sig in (signal.SIGTERM, signal.SIGHUP):
            oude_signalen[sig] = signal.signal(sig, _stop_signaal)
    except ValueError:  # not the main thread: signals stay as they are
        pass
    slot = None
    try:
        slot = _houd_slot(werkmap)
        md = laad(data)
        alle = md.gemeenten
        if gemeenten:
            onbekend = [g for g in gemeenten if g not in alle]
            if onbekend:
                raise InvoerFout("\n".join(md.melding_onbekende_gemeente(g) for g in onbekend))
        if not alle:
            n = sum(md.quarantaine_gemeenten.values())
            raise InvoerFout(
                f"Er zijn geen bruikbare trajecten: alle {n} trajecten staan in quarantaine. Bekijk de "
                "redenen met 'monitoranalyse valideer --data ... --details'."
            )
        kies = list(gemeenten or alle)
        mappen = {g: veilige_mapnaam(g) for g in kies}
        parameters = {"data": str(data.resolve()), "van": van, "tot": tot,
                      "cbs": str(Path(cbs).resolve()) if cbs else None}
        werk_parameters = dict(parameters, mappen=mappen, umask=umask)
        print(f"{len(kies)} gemeente(n): {', '.join(kies)}", flush=True)
        statussen = []
        with open(werkmap / "monitordata.pkl", "wb") as f:
            pickle.dump(md, f)
        pool = ProcessPoolExecutor(max_workers=max(1, int(parallel)), initializer=_sterf_met_ouder)
        try:
            taken = {pool.submit(verwerk_gemeente, g, str(werkmap), str(out), werk_parameters, notebooks): g
                     for g in kies}
            for t in tqdm(as_completed(taken), total=len(taken), desc="rapporten", unit="gemeente",
                          file=sys.stdout, disable=None):
                try:
                    statussen.append(t.result())
                except Exception as e:  # noqa: BLE001 - worker crashed
                    statussen.append({"gemeente": taken[t], "status": "mislukt", "reden": _reden(e)})
            pool.shutdown(wait=True)
        except BaseException:
            # Ctrl-C / SIGTERM: end the workers now (they would otherwise finish their gemeente)
            pool.shutdown(wait=False, cancel_futures=True)
            for kind in multiprocessing.active_children():
                kind.kill()
            raise
        index_fout = None
        try:
            _schrijf_index(out, statussen, dict(parameters, umask=umask))
        except OSError as e:
            index_fout = vertaal_os_fout(e)
        mislukt = [s for s in statussen if s["status"] != "gelukt"]
        print(f"\nKlaar in {time.time() - begin:.0f} s: {len(statussen) - len(mislukt)} gelukt, {len(mislukt)} mislukt.")
        op_schijf = _rapporten_op_schijf(out) if mislukt else {}
        for s in sorted(statussen, key=lambda s: s["gemeente"]):
            if s["status"] == "gelukt":
                regel = f"  {s['gemeente']}: gelukt ({s['seconden']} s) -> {out / s['map']}"
                if s.get("waarschuwingen"):
                    regel += f"; niet gelukt: {', '.join(s['waarschuwingen'])}"
                print(regel)
            else:
                regel = f"  {s['gemeente']}: MISLUKT — {s['reden']}"
                if s["gemeente"] in op_schijf:
                    vorig = op_schijf[s["gemeente"]]
                    regel += f" (het vorige rapport van {_datum_nl(vorig.get('gemaakt'))} blijft staan in {out / vorig['map']})"
                print(regel)
        if index_fout:
            print(f"Fout: index.html kon niet geschreven worden: {index_fout}.", file=sys.stderr)
            return 1
        print(f"Overzicht: {out / 'index.html'}")
        return 1 if mislukt else 0
    except _Gestopt as e:
        print(f"Gestopt door signaal {e}; de werkmap is opgeruimd, eerdere rapporten zijn intact.", file=sys.stderr)
        return 143
    finally:
        if slot is not None:
            slot.close()
        shutil.rmtree(werkmap, ignore_errors=True)
        ruim_oude_resten_op(out)
        for sig, oud in oude_signalen.items():
            signal.signal(sig, oud)

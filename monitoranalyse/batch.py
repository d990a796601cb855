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
import shutil
import sys
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import __version__
from .contract import TOTAAL as _TOTAAL
from .monitordata import InvoerFout, Monitordata

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
        res.fouten[naam] = f"{type(e).__name__}: {e}"
        if os.environ.get("MONITORANALYSE_DEBUG"):
            traceback.print_exc()
        return pd.DataFrame()


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
    selectie = kw[kw["indicator"].isin(TREND_INDICATOREN) & (kw["uitsplitsing"] == "")]
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


def veilige_mapnaam(gemeente: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_ " else "_" for c in gemeente).strip()
    return keep.replace(" ", "_") or "gemeente"


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
    render.schrijf_xlsx(vrij, map_ / "indicatoren.xlsx", vrijgegeven=True)
    render.schrijf_csv(res.signalen, map_ / "signalen.csv", cfg)
    trends = res.trends
    if not res.beleidseffecten.empty:
        trends = pd.concat([res.trends, res.beleidseffecten], ignore_index=True)
    render.schrijf_csv(trends, map_ / "trends.csv", cfg)
    render.schrijf_csv(res.prognose, map_ / "prognose.csv", cfg, )
    render.schrijf_csv(res.kwaliteit, map_ / "kwaliteit.csv", cfg, vrijgegeven=True)
    render.schrijf_csv(res.herkomst, map_ / "herkomst.csv", cfg, vrijgegeven=True)


def verwerk_gemeente(gemeente: str, werkmap: str, out: str, parameters: dict, notebooks=NOTEBOOKS) -> dict:
    """Worker: make the complete report of one gemeente. Returns a status dict."""
    import papermill as pm

    import warnings

    from .render import controleer_uitvoer

    # numerical warnings of model fits are not for the user's terminal; failures are
    # caught per analysis step and shown in the report
    warnings.filterwarnings("ignore")
    begin = time.time()
    out = Path(out)
    doel = out / veilige_mapnaam(gemeente)
    tmp = Path(tempfile.mkdtemp(prefix=f".{doel.name}.bezig.", dir=out))
    try:
        with open(Path(werkmap) / "monitordata.pkl", "rb") as f:
            md = pickle.load(f)
        res = bereken_resultaten(md, gemeente, van=parameters.get("van"), tot=parameters.get("tot"),
                                 parameters={k: v for k, v in parameters.items() if k not in ("van", "tot")})
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
            )
            exporteer_html(uit, tmp / f"{naam}.html")
        lekken = controleer_uitvoer(tmp, _verboden_tokens(md))
        if lekken:
            raise RuntimeError(
                "privacycontrole: de uitvoer bevat identificerende gegevens en is verwijderd ("
                + "; ".join(f"{b}: {w}" for b, w in lekken) + ")"
            )
        # atomic replace of the previous report
        oud = None
        if doel.exists():
            oud = out / f".{doel.name}.oud.{os.getpid()}"
            os.replace(doel, oud)
        os.replace(tmp, doel)
        if oud is not None:
            shutil.rmtree(oud, ignore_errors=True)
        return {"gemeente": gemeente, "status": "gelukt", "map": doel.name, "seconden": round(time.time() - begin, 1),
                "waarschuwingen": res.fouten, "notebooks": [n for n, _ in uitvoeren]}
    except Exception as e:  # noqa: BLE001 - one failing gemeente must not stop the others
        shutil.rmtree(tmp, ignore_errors=True)
        reden = f"{type(e).__name__}: {e}"
        if hasattr(e, "ename"):  # papermill execution error: name the cell's error
            reden = f"fout in notebook: {e.ename}: {e.evalue}"
        return {"gemeente": gemeente, "status": "mislukt", "reden": reden[:2000],
                "seconden": round(time.time() - begin, 1)}


def _schrijf_index(out: Path, statussen: list[dict], parameters: dict) -> None:
    from .render import schrijf_tekst

    rijen = []
    for s in sorted(statussen, key=lambda s: s["gemeente"]):
        naam = html.escape(s["gemeente"])
        if s["status"] == "gelukt":
            links = " · ".join(
                f"<a href='{html.escape(s['map'])}/{n}.html'>{n.replace('_', ' ')}</a>" for n in s.get("notebooks", NOTEBOOKS)
            )
            extra = ""
            if s.get("waarschuwingen"):
                extra = f"<br><span class='w'>{len(s['waarschuwingen'])} analyse(s) niet gelukt; zie rapport</span>"
            rijen.append(f"<tr><td>{naam}</td><td class='ok'>gelukt</td><td>{links}{extra}</td></tr>")
        else:
            rijen.append(
                f"<tr><td>{naam}</td><td class='fout'>mislukt</td><td>{html.escape(s.get('reden', ''))}</td></tr>"
            )
    nu = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
    inhoud = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Monitor sociale wijkteams – overzicht</title>
<style>body{{font-family:"DejaVu Sans",Arial,sans-serif;max-width:900px;margin:2rem auto;color:#1d1d1b}}
h1{{border-bottom:3px solid #0072B2}} table{{border-collapse:collapse;width:100%}}
td,th{{border-bottom:1px solid #ddd;padding:.4rem .6rem;text-align:left;vertical-align:top}}
.ok{{color:#009E73;font-weight:bold}} .fout{{color:#D55E00;font-weight:bold}} .w{{color:#8a5a00;font-size:.85rem}}
.klein{{color:#555;font-size:.85rem}}</style></head><body>
<h1>Monitor sociale wijkteams</h1>
<p>Rapporten per gemeente. Gemaakt op {html.escape(nu)} met monitoranalyse {__version__}.</p>
<table><thead><tr><th>Gemeente</th><th>Status</th><th>Rapporten</th></tr></thead><tbody>
{''.join(rijen)}
</tbody></table>
<p class="klein">Parameters: {html.escape(json.dumps({k: str(v) for k, v in parameters.items()}, ensure_ascii=False))}</p>
</body></html>"""
    schrijf_tekst(inhoud, out / "index.html")


def rapport(data, out, gemeenten=None, van=None, tot=None, parallel=2, cbs=None, notebooks=NOTEBOOKS) -> int:
    """``monitoranalyse rapport``: see the module docstring. Returns the exit code."""
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
    md = laad(data)
    alle = md.gemeenten
    if gemeenten:
        onbekend = [g for g in gemeenten if g not in alle]
        if onbekend:
            raise InvoerFout(f"Gemeente(n) niet in de data: {', '.join(onbekend)}; wel: {', '.join(alle)}")
    kies = list(gemeenten or alle)
    out.mkdir(parents=True, exist_ok=True)
    if cbs is not None and not Path(cbs).is_dir():
        raise InvoerFout(f"--cbs {cbs}: die map bestaat niet")
    parameters = {"data": str(data.resolve()), "van": van, "tot": tot,
                  "cbs": str(Path(cbs).resolve()) if cbs else None}
    print(f"{len(kies)} gemeente(n): {', '.join(kies)}", flush=True)
    statussen = []
    with tempfile.TemporaryDirectory(prefix="monitoranalyse-") as werkmap:
        with open(Path(werkmap) / "monitordata.pkl", "wb") as f:
            pickle.dump(md, f)
        with ProcessPoolExecutor(max_workers=max(1, int(parallel))) as pool:
            taken = {pool.submit(verwerk_gemeente, g, werkmap, str(out), parameters, notebooks): g for g in kies}
            for t in tqdm(as_completed(taken), total=len(taken), desc="rapporten", unit="gemeente",
                          file=sys.stdout, disable=None):
                try:
                    statussen.append(t.result())
                except Exception as e:  # noqa: BLE001 - worker crashed
                    statussen.append({"gemeente": taken[t], "status": "mislukt", "reden": f"{type(e).__name__}: {e}"})
    _schrijf_index(out, statussen, parameters)
    mislukt = [s for s in statussen if s["status"] != "gelukt"]
    print(f"\nKlaar in {time.time() - begin:.0f} s: {len(statussen) - len(mislukt)} gelukt, {len(mislukt)} mislukt.")
    for s in sorted(statussen, key=lambda s: s["gemeente"]):
        if s["status"] == "gelukt":
            regel = f"  {s['gemeente']}: gelukt ({s['seconden']} s) -> {out / s['map']}"
            if s.get("waarschuwingen"):
                regel += f"; niet gelukt: {', '.join(s['waarschuwingen'])}"
            print(regel)
        else:
            print(f"  {s['gemeente']}: MISLUKT — {s['reden']}")
    print(f"Overzicht: {out / 'index.html'}")
    return 1 if mislukt else 0

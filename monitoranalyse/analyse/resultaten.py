"""Stage 3: the analysis pipeline of one gemeente — indicators, trends, SPC, forecast,
team comparison and the nader-onderzoek list — as one :class:`Resultaten`.

The batch (:mod:`monitoranalyse.rapport.batch`) computes it once per gemeente in a worker
and caches it (pickle, in the run's private work folder); a notebook calls
:func:`resultaten` itself, so a notebook opened by hand in JupyterLab computes the same
figures as the batch (same inputs + parameters = same figures; the provenance block says
which inputs and parameters).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import pickle
import platform
import re
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from monitoranalyse import tekst
from monitoranalyse.contract import TOTAAL, in_basis
from monitoranalyse.indicatoren import catalogus
from monitoranalyse.versie import __version__
from monitoranalyse.invoer.monitordata import InvoerFout, Monitordata

__all__ = ["Resultaten", "bereken_resultaten", "resultaten", "laatste_volledige_periode", "kwaliteit_tabel",
           "wijk_teams",
           "herkomst_tabel", "TREND_INDICATOREN", "FUNNEL_INDICATOREN"]


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
    # issue 15: which teams have trajecten in which wijk (for disclosure control of the wijk
    # rows in indicatoren_jaar), the wijk boundaries (GeoDataFrame with a column ``wijk``, or
    # None) and the wijken that do not match between data and boundaries
    wijk_teams: pd.DataFrame = field(default_factory=pd.DataFrame)
    wijkgrenzen: object = None
    wijkverschillen: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def config(self):
        return self.md.config

    def samenvatting(self) -> list[tuple[str, str]]:
        """A short summary — gemeente, teams, period covered, rows per result table,
        quarantine, failed steps — as ``(label, waarde)`` pairs; never a row of a table
        or an id. Shown by ``repr(R)`` and, in JupyterLab, as a small table."""
        regels = [("gemeente", self.gemeente), ("wijkteams", str(len(self.md.wijkteams(self.gemeente))))]
        m = self.indicatoren_maand
        if len(m):
            regels.append(("periode", f"{tekst.maand_jaar(m['periode_start'].min())} t/m "
                                      f"{tekst.maand_jaar(m['periode_eind'].max())}"))
        if self.vergelijkingsperiode:
            regels.append(("teamvergelijking", f"trajecten gemeld in {self.vergelijkingsperiode}"))
        tabellen = {naam: getattr(self, naam) for naam in (
            "indicatoren_maand", "indicatoren", "indicatoren_jaar", "trends", "beleidseffecten", "spc",
            "prognose", "funnels", "casemix", "bollen", "typologie", "signalen")}
        regels.append(("rijen per tabel", ", ".join(f"{naam} {tekst.getal(len(df))}" for naam, df in tabellen.items())))
        kw = self.kwaliteit
        if len(kw) and "rijen_quarantaine" in kw:
            acc = kw[kw["omschrijving"] == "rijverantwoording"]
            n = pd.to_numeric(acc["rijen_quarantaine"], errors="coerce")
            los = (acc["tabel"] == NIET_TOE_TE_WIJZEN).to_numpy()
            regels.append(("quarantaine", f"{tekst.getal(n[~los].sum())} rijen van deze gemeente, "
                                          f"{tekst.getal(n[los].sum())} niet toe te wijzen"))
        if self.fouten:
            regels.append(("niet gelukt", ", ".join(self.fouten)))
        return regels

    def __repr__(self) -> str:
        return tekst.overzicht_tekst("Resultaten", self.samenvatting())

    def _repr_html_(self) -> str:
        return tekst.overzicht_html("Resultaten", self.samenvatting())


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
    m = in_basis(tabel)  # the one rule (contract.in_basis), not a copy of it
    if hele_perioden and "inloop" in tabel:
        il = tabel["inloop"].astype("boolean").fillna(False).astype(bool)
        if il.any():
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


def kwaliteit_tabel(md: Monitordata, gemeente: str | None = None,
                    wijkverschillen: pd.DataFrame | None = None) -> pd.DataFrame:
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
    wijkverschillen : DataFrame, optional
        Issue 15: wijken in the data but not in the wijk boundaries and vice versa
        (:func:`monitoranalyse.invoer.wijkgrenzen.koppel_wijkgrenzen`); default: computed for
        ``gemeente`` from the boundary file in the dataset folder, if any.

    Returns
    -------
    DataFrame
        Accounting rows (``omschrijving == "rijverantwoording"``): ``tabel, bestand,
        rijen_gelezen, rijen_gebruikt, rijen_quarantaine`` (read = used + quarantined);
        then one row per (tabel, regel) with ``aantal_problemen`` and ``omschrijving``;
        then (issue 15) one row per wijk that is in the data but not in the boundaries or
        the other way round (``tabel`` "wijkgrenzen", ``regel`` "wijk_ontbreekt", the wijk
        named in ``omschrijving``).
    """
    from monitoranalyse.contract import REGELS
    from monitoranalyse.invoer.wijkgrenzen import grensbestand, koppel_wijkgrenzen

    if wijkverschillen is None and gemeente is not None and grensbestand(md.map) is not None:
        try:
            wijkverschillen = koppel_wijkgrenzen(md, gemeente)[1]
        except InvoerFout:
            wijkverschillen = None

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
    delen = [acc, regels]
    if wijkverschillen is not None and len(wijkverschillen):
        bestand = grensbestand(md.map)
        delen.append(pd.DataFrame({
            "tabel": "wijkgrenzen", "bestand": bestand.name if bestand else "", "regel": "wijk_ontbreekt",
            "aantal_problemen": 1,
            "omschrijving": [f"{p}: {w}" + (f" ({c})" if c else "") for w, c, p in zip(
                wijkverschillen["wijk"], wijkverschillen["wijkcode"], wijkverschillen["probleem"])],
        }))
    return pd.concat(delen, ignore_index=True)


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
        from monitoranalyse.config import MINIMUM_DREMPEL

        rijen.append((
            "LET OP: verlaagde drempel",
            f"de drempel {cfg.drempel} ligt onder het CBS-minimum {MINIMUM_DREMPEL}; gekozen met "
            "'lage_drempel_toegestaan = true' in monitor.toml. Kleinere aantallen dan gebruikelijk zijn "
            "gepubliceerd.",
        ))
    for _, r in md.herkomst.iterrows():
        rijen.append((f"invoer {r['bestand']}", f"sha256 {r['sha256']}"))
    from monitoranalyse.contract import BIJBESTANDEN

    for naam in BIJBESTANDEN if md.map else ():  # issue 15: boundaries and CBS extract are inputs too
        pad = Path(md.map) / naam
        if pad.is_file():
            rijen.append((f"invoer {naam}", f"sha256 {_sha256(pad)}"))
    if md.config.bron:
        rijen.append(("configuratie", f"{Path(md.config.bron).name} sha256 {_sha256(md.config.bron)}"))
    return pd.DataFrame(rijen, columns=["onderdeel", "waarde"])


def _sha256(pad) -> str:
    return hashlib.sha256(Path(pad).read_bytes()).hexdigest()


def bereken_resultaten(md: Monitordata, gemeente: str, *, van=None, tot=None, parameters=None) -> Resultaten:
    """Compute everything for one gemeente (the library calls behind the notebooks)."""
    from monitoranalyse import indicatoren as ind

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
    _wijken(res, van, tot)
    res.kwaliteit = kwaliteit_tabel(md, gemeente, wijkverschillen=res.wijkverschillen)
    res.herkomst = herkomst_tabel(md, parameters)
    _analyses(res)
    return res


def wijk_teams(md: Monitordata) -> pd.DataFrame:
    """Which teams have trajecten in which wijk: columns gemeente, wijkteam, wijk ("" = no
    wijk). Disclosure control of the wijk rows needs it (a wijk served by one team alone)."""
    tr = md.tabellen["trajecten"]
    if "wijk" not in tr.columns or tr.empty:
        return pd.DataFrame(columns=["gemeente", "wijkteam", "wijk"])
    w = tr["wijk"].astype("string").str.strip().fillna("")
    return (pd.DataFrame({"gemeente": tr["gemeente"].astype(str), "wijkteam": tr["wijkteam"].astype(str),
                          "wijk": w.astype(str)})
            .drop_duplicates().sort_values(["gemeente", "wijkteam", "wijk"]).reset_index(drop=True))


def _wijken(res: Resultaten, van, tot) -> None:
    """Issue 15: the per-wijk rows (yearly, in indicatoren_jaar), the teams per wijk and
    the wijk boundaries with their mismatches. A boundary file that cannot be read is
    reported like a failed analysis step; the report then shows no map."""
    from monitoranalyse import indicatoren as ind
    from monitoranalyse.invoer.wijkgrenzen import koppel_wijkgrenzen

    if res.md.map:  # the notebooks run in another folder: they find the KWB file by this path
        res.md.map = str(Path(res.md.map).resolve())
    res.wijk_teams = wijk_teams(res.md)
    wijk = _stap(res, "per wijk", ind.per_wijk, res.md, periode="jaar", van=van, tot=tot)
    if len(wijk):
        res.indicatoren_jaar = pd.concat([res.indicatoren_jaar, wijk], ignore_index=True)
    res.indicatoren_jaar.attrs["wijk_teams"] = res.wijk_teams
    try:
        res.wijkgrenzen, res.wijkverschillen = koppel_wijkgrenzen(res.md, res.gemeente)
    except InvoerFout as e:
        res.fouten["wijkgrenzen"] = str(e)


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
TREND_ZONDER_SPC = ("teamkosten", "integrale_kosten_per_inwoner", "bereik_meldingen", "jeugd_verblijf_aandeel")
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
        plaats = "de gemeente" if r["wijkteam"] == TOTAAL else str(r["wijkteam"])
        uit.at[i, "richting"] = "geen_trend"
        uit.at[i, "beoordeling"] = "neutraal"
        uit.at[i, "zin"] = (
            f"{_indicatornaam(r['indicator'])} in {plaats}: geen aanwijzing voor een blijvende "
            f"verandering; de schommeling wordt niet gedragen door een trend in de instroom of "
            f"uitstroom (een voorraad hangt van maand tot maand samen met zijn eigen verleden).")
    return uit


def _indicatornaam(code: str) -> str:
    return catalogus.indicator(code).naam if catalogus.bekend(code) else code


def _analyses(res: Resultaten) -> None:
    from monitoranalyse.analyse import prognose
    from monitoranalyse.analyse import signalen
    from monitoranalyse.analyse import spc
    from monitoranalyse.analyse import trend
    from monitoranalyse.analyse import vergelijking

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
            # the unsplit figure only (bereik also has rows per leeftijdsgroep, issue 14)
            fun_sel = jaar[(jaar["periode_start"] == laatste) & (jaar["indicator"] == code)
                           & (jaar["uitsplitsing"] == "")]
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


def cache_pad(werkmap: Path, gemeente: str) -> Path:
    veilig = hashlib.sha1(gemeente.encode()).hexdigest()[:12]
    return Path(werkmap) / f"resultaten-{veilig}.pkl"


def resultaten(gemeente: str, *, data=None, werkmap=None, van=None, tot=None) -> Resultaten:
    """The notebooks' single entry point.

    With ``werkmap`` (set by the batch) the results computed by the batch worker are
    read from there; otherwise they are computed from ``data`` (a dataset folder).
    """
    if werkmap:
        pad = cache_pad(werkmap, gemeente)
        if pad.exists():
            with open(pad, "rb") as f:
                return pickle.load(f)
    if data is None:
        raise InvoerFout("Geef 'data' (map met de dataset) of 'werkmap' op.")
    from monitoranalyse.invoer.laden import laad

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
    for pad in sorted(Path(__file__).resolve().parents[1].rglob("*.py")):
        h.update(pad.read_bytes())
    return Path(tempfile.gettempdir()) / "monitoranalyse-cache" / f"{h.hexdigest()[:32]}.pkl"


#: Public name of the notebook cache key (issue 15: the regio notebook caches the same way).
cache_buiten_batch = _cache_buiten_batch

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
    if tabel.empty:
        return tabel
    m = pd.Series(True, index=tabel.index)
    if van:
        m &= tabel["periode_start"] >= pd.Timestamp(f"{van}-01")
    if tot:
        m &= tabel["periode_eind"] <= pd.Timestamp(f"{tot}-01") + pd.offsets.MonthEnd(0)
    return tabel[m].reset_index(drop=True)


def _stap(res: Resultaten, naam: str, functie, *args, **kwargs):
    """Run one analysis step; a failure is recorded (and shown in the report), not fatal."""
    try:
        return functie(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - reported per step, with the reason
        res.fouten[naam] = f"{type(e).__name__}: {e}"
        if os.environ.get("MONITORANALYSE_DEBUG"):
            traceback.print_exc()
        return pd.DataFrame()


def kwaliteit_tabel(md: Monitordata) -> pd.DataFrame:
    """Row accounting + quarantine counts per table and rule (no values, no rows)."""
    from .contract import REGELS

    acc = md.rijverantwoording()
    q = md.quarantaine
    if q.empty:
        regels = pd.DataFrame(columns=["tabel", "regel", "aantal_problemen", "omschrijving"])
    else:
        regels = q.groupby(["tabel", "regel"]).size().rename("aantal_problemen").reset_index()
        regels["omschrijving"] = regels["regel"].map(REGELS)
    acc = acc.drop(columns=["sha256"], errors="ignore").assign(regel="", aantal_problemen=pd.NA, omschrijving="rijverantwoording")
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
    kw = _periode_filter(ind.bereken(mdg, periode="kwartaal"), van, tot)
    res = Resultaten(
        gemeente=gemeente,
        parameters=parameters,
        md=mdg,
        indicatoren=kw,
        indicatoren_maand=_periode_filter(ind.bereken(mdg, periode="maand"), van, tot),
        indicatoren_jaar=_periode_filter(ind.bereken(mdg, periode="jaar"), van, tot),
        indicatoren_halfjaar=_periode_filter(ind.bereken(mdg, periode="halfjaar"), van, tot),
    )
    res.kwaliteit = kwaliteit_tabel(md)
    res.herkomst = herkomst_tabel(md, parameters)
    _analyses(res)
    return res


#: Indicators that get a trend verdict and SPC chart in every report.
TREND_INDICATOREN = (
    "aandeel_lichte_zorg",
    "aandeel_maatwerk",
    "afschaling",
    "instroom",
    "caseload",
    "caseload_per_fte",
    "binnen_termijn_onderzoek",
    "doorlooptijd_melding_plan",
    "kosten_maatwerk",
    "doelrealisatie",
    "zrm_verbeterd",
)
#: Months (counted back from the last month with data) in which an SPC signal enters
#: the nader-onderzoek list.
SPC_VENSTER_MAANDEN = 6
FUNNEL_INDICATOREN = (
    "binnen_termijn_onderzoek",
    "doorlooptijd_melding_plan",
    "aandeel_maatwerk",
    "afschaling",
    "doelrealisatie",
    "zrm_verbeterd",
    "registratie_volledig",
)


def _analyses(res: Resultaten) -> None:
    from . import prognose, signalen, spc, trend, vergelijking

    kw = res.indicatoren
    selectie = kw[kw["indicator"].isin(TREND_INDICATOREN) & (kw["uitsplitsing"] == "")]
    res.trends = _stap(res, "trend", trend.trend, selectie)
    res.beleidseffecten = _stap(
        res, "beleidseffect", trend.onderbroken_tijdreeks, selectie, res.config.beleidswijzigingen
    ) if res.config.beleidswijzigingen else pd.DataFrame()
    res.verschuiving = _stap(res, "verschuiving", trend.verschuiving, kw)
    maand = res.indicatoren_maand
    spc_sel = maand[maand["indicator"].isin(TREND_INDICATOREN) & (maand["uitsplitsing"] == "")]
    herbereken = [b.datum for b in res.config.beleidswijzigingen] or None
    res.spc = _stap(res, "spc", spc.spc, spc_sel, herbereken_bij=herbereken)
    res.prognose = _stap(res, "prognose", prognose.caseload_prognose, maand)
    jaar = res.indicatoren_jaar
    if not jaar.empty:
        laatste = jaar["periode_start"].max()
        fun_sel = jaar[(jaar["periode_start"] == laatste) & jaar["indicator"].isin(FUNNEL_INDICATOREN)]
        delen = []
        for code in FUNNEL_INDICATOREN:
            if (fun_sel["indicator"] == code).any():
                delen.append(_stap(res, f"funnel {code}", vergelijking.funnel, fun_sel, code))
        res.funnels = pd.concat([d for d in delen if not d.empty], ignore_index=True) if any(
            not d.empty for d in delen
        ) else pd.DataFrame()
    cm = [
        _stap(res, f"casemix {u}", vergelijking.casemix_oe, res.md, u)
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
    res.typologie = _stap(res, "typologie", vergelijking.team_typologie, res.md)
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
    )


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
.ok{{color:#00704f;font-weight:bold}} .fout{{color:#b03a00;font-weight:bold}} .w{{color:#8a5a00;font-size:.85rem}}
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

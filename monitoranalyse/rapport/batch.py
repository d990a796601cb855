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

With a regio (issue 15: ``--regio NAAM`` or ``[regio]`` in monitor.toml) one more task runs in
the same pool: :func:`verwerk_regio` computes :mod:`monitoranalyse.analyse.regio`, executes
``regio.ipynb`` and writes ``<out>/regio-<naam>/`` the same way (private work, output guard,
provenance, atomic replace). It fails on its own: a failing regio report does not stop the
gemeente reports, nor the other way round; index.html links it above the gemeenten.

At scale (issue 16):

* the parent splits the dataset once, in one pass (:meth:`Monitordata.per_gemeente`), and
  writes one part per gemeente to the work folder; a worker unpickles only its own gemeente
  (at 342 gemeenten the old "every worker reads everything" cost more than the reports);
* ``--alleen-gewijzigd`` skips a gemeente whose report on disk carries the same
  *vingerafdruk*: a sha256 over its part of the data (:meth:`Monitordata.vingerafdruk`, row
  numbers left out), the run's parameters, monitor.toml, the side files (wijkgrenzen, CBS
  folder) and the package's own files (:func:`monitoranalyse.versie.code_vingerafdruk`). A
  monthly national rerun then only redoes the gemeenten whose data changed. A skipped report
  keeps the provenance of the run that made it (the input files' sha256 of then: this
  gemeente's rows in them were the same);
* progress is printed per finished report with an estimate of the time left, and the
  summary adds up the time per stage (laden, splitsen, berekenen, notebooks, html, pdf,
  controle) so a user sees where the time goes;
* ``--cluster ADRES`` hands the same per-gemeente tasks to an existing Dask distributed
  scheduler (``Client.get_executor()``, the concurrent.futures interface the process pool
  has too). Every worker must reach the data folder and ``--out`` under the same path (a
  shared filesystem): the work folder with the parts lives inside ``--out``.

The computation itself is :mod:`monitoranalyse.analyse.resultaten`; the files are
written by :mod:`monitoranalyse.rapport.export`, the privacy guard is
:func:`monitoranalyse.rapport.openbaarmaking.controleer_uitvoer`.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import html
import json
import os
import pickle
import re
import shutil
import signal
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from pathlib import Path

import pandas as pd

from monitoranalyse.versie import __version__
from monitoranalyse.analyse.resultaten import Resultaten, bereken_resultaten, cache_pad
from monitoranalyse.invoer.monitordata import InvoerFout, Monitordata, vertaal_os_fout
from monitoranalyse.rapport import export, openbaarmaking
from monitoranalyse.rapport.kernel import EenKernelPerGemeente, KernelDezeInterpreter


__all__ = ["rapport", "NOTEBOOKS", "notebook_map", "verwerk_gemeente", "veilige_mapnaam", "ruim_oude_resten_op",
           "REGIO_NOTEBOOK", "regio_mapnaam", "verwerk_regio"]

#: Notebooks that make up one gemeente's report, in reading order (the samenvatting for the
#: raad first, issue 18).
NOTEBOOKS = ("samenvatting", "monitor_gemeente", "trendanalyse", "teamvergelijking")
#: The report that ``--pdf`` prints (it opens with the samenvatting).
PDF_NOTEBOOK = "monitor_gemeente"
#: Run as well when ``--cbs MAP`` is given: the gemeente against comparable gemeenten.
CBS_NOTEBOOK = "cbs_benchmark"
#: The regio report (issue 15): one notebook comparing the gemeenten of the regio.
REGIO_NOTEBOOK = "regio"


def notebook_map() -> Path:
    """Folder with the parametrised notebooks.

    ``MONITORANALYSE_NOTEBOOKS`` wins (e.g. a gemeente's own notebooks); otherwise the
    notebooks shipped as package data in ``monitoranalyse/rapport/notebooks/`` (generated
    by ``notebooks/bouw_notebooks.py`` in the repository), found through
    :mod:`importlib.resources` so that a normal (non-editable) install and a wheel work.
    """
    if os.environ.get("MONITORANALYSE_NOTEBOOKS"):
        return Path(os.environ["MONITORANALYSE_NOTEBOOKS"])
    from importlib import resources

    map_ = resources.files("monitoranalyse.rapport") / "notebooks"
    # papermill needs real files: a plain folder (pip installs wheels unpacked), not a zip
    if isinstance(map_, Path) and (map_ / f"{NOTEBOOKS[0]}.ipynb").is_file():
        return map_
    raise InvoerFout("De notebooks zijn niet gevonden (verwacht in monitoranalyse/rapport/notebooks/ van het "
                     "geïnstalleerde pakket); installeer het pakket opnieuw of zet MONITORANALYSE_NOTEBOOKS.")


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
    from monitoranalyse.contract import TABELLEN

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


def _schrijf_tabellen(res: Resultaten, map_: Path) -> None:
    cfg = res.config
    # the same release the notebooks draw (kept on res by bewaar_vrijgave, else made here);
    # suppression is per period type: the additive groups live within one period type
    V = openbaarmaking.vrijgeven_resultaten(res)
    vrij = pd.concat(
        [V.indicatoren_maand.assign(periodetype="maand"), V.indicatoren.assign(periodetype="kwartaal"),
         V.indicatoren_jaar.assign(periodetype="jaar")],
        ignore_index=True,
    )
    export.schrijf_csv(vrij, map_ / "indicatoren.csv", vrijgegeven=True)
    export.schrijf_xlsx(vrij, map_ / "indicatoren.xlsx", cfg, vrijgegeven=True, herkomst=res.herkomst)
    export.schrijf_csv(V.signalen, map_ / "signalen.csv", cfg)
    trends = res.trends
    if not res.beleidseffecten.empty:
        trends = pd.concat([res.trends, res.beleidseffecten], ignore_index=True)
    export.schrijf_csv(trends, map_ / "trends.csv", cfg)
    export.schrijf_csv(V.prognose, map_ / "prognose.csv", cfg)
    kwaliteit = res.kwaliteit.copy()
    for c in kwaliteit.columns:  # counts are whole numbers: 10032, not 10032,0
        if c.startswith(("rijen_", "aantal_")):
            kwaliteit[c] = pd.to_numeric(kwaliteit[c], errors="coerce").round().astype("Int64")
    export.schrijf_csv(kwaliteit, map_ / "kwaliteit.csv", cfg, vrijgegeven=True)
    export.schrijf_csv(res.herkomst, map_ / "herkomst.csv", cfg, vrijgegeven=True)
    # the samenvatting's sentences with the indicator codes and values behind them (issue 18)
    from monitoranalyse.rapport import samenvatting

    export.schrijf_csv(samenvatting.samenvatting_tabel(samenvatting.maak_samenvatting(res, V)),
                       map_ / "samenvatting.csv", cfg, vrijgegeven=True)


def printkop(res: Resultaten, titel: str = "Monitor sociale wijkteams") -> str:
    """The running header of the printed report: title, gemeente and the data period."""
    from monitoranalyse import tekst

    m = res.indicatoren_maand
    periode = (f"gegevens {tekst.maand_jaar(m['periode_start'].min())} t/m {tekst.maand_jaar(m['periode_eind'].max())}"
               if len(m) else "")
    return " – ".join(x for x in (titel, res.gemeente, periode) if x)


#: Prefix of the private work folder of a run inside ``--out`` (holds every input row).
WERKMAP_PREFIX = ".monitoranalyse-werk-"
#: Per report folder: who/when, read back when index.html is rebuilt from disk.
METADATA = ".rapport.json"
#: Keys of the worker parameters that steer the run, not the report (never passed to the analysis).
WERK_SLEUTELS = ("van", "tot", "mappen", "umask", "vingerafdrukken")
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


def deel_pad(werkmap, naam: str) -> Path:
    """The work-folder file with the part of the dataset one task reads (issue 16): a gemeente,
    or ``regio:NAAM`` for a regio report."""
    return Path(werkmap) / f"deel-{hashlib.sha1(naam.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}.pkl"


def _lees_deel(werkmap, naam: str) -> Monitordata:
    with open(deel_pad(werkmap, naam), "rb") as f:
        return pickle.load(f)


#: Seconds a kernel may take to start (papermill's ``start_timeout``; its default is 60).
KERNEL_START_SECONDEN = 300


def _voer_uit(nbmap: Path, naam: str, param: dict, tmp: Path, printkop: str = "", km=None) -> tuple[float, float]:
    """Execute one report notebook with papermill into ``tmp`` and export its HTML (gemeente and
    regio reports alike). Returns the seconds spent executing and exporting. With ``km`` (a
    :class:`~monitoranalyse.rapport.kernel.EenKernelPerGemeente`) the notebook runs in that
    gemeente's kernel, which is emptied afterwards; without, in a kernel of its own."""
    import papermill as pm

    from monitoranalyse.rapport.kernel import ENGINE

    begin = time.perf_counter()
    uit = tmp / f"{naam}.ipynb"
    hergebruik = {"engine_name": ENGINE, "km": km} if km is not None else {}
    pm.execute_notebook(
        str(nbmap / f"{naam}.ipynb"),
        str(uit),
        parameters=param,
        progress_bar=False,
        log_output=False,
        cwd=str(nbmap),
        # this interpreter, not whichever "python3" kernelspec the machine finds first
        kernel_name="python3",
        kernel_manager_class=KernelDezeInterpreter,
        # the kernel's English "running over TCP without encryption" warnings
        # (local kernel, loopback only) are not for the user's terminal
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        # papermill's default of 60 s failed a gemeente of a national run on a loaded machine
        # ("Kernel didn't respond in 60 seconds"); a slow start is not a reason to lose a report
        start_timeout=KERNEL_START_SECONDEN,
        **hergebruik,
    )
    midden = time.perf_counter()
    export.vaste_cel_ids(uit)
    export.exporteer_html(uit, tmp / f"{naam}.html", printkop=printkop)
    return midden - begin, time.perf_counter() - midden


def _bewaak_en_plaats(tmp: Path, doel: Path, out: Path, run: str, md: Monitordata, parameters: dict) -> None:
    """The last step of every report folder (gemeente and regio alike): the privacy guard over
    every file (input ids, BSN-like numbers; also in the PDF's text), the user's umask, then the
    atomic replacement of the previous folder. Raises when the guard finds anything (the
    caller removes ``tmp``)."""
    from monitoranalyse.rapport.openbaarmaking import controleer_uitvoer

    lekken = controleer_uitvoer(tmp, _verboden_tokens(md))
    if lekken:
        raise RuntimeError(
            "privacycontrole: de uitvoer bevat identificerende gegevens en is verwijderd ("
            + "; ".join(f"{b}: {w}" for b, w in lekken) + ")"
        )
    _pas_umask_toe(tmp, parameters.get("umask", _umask()))
    oud = None
    if doel.exists():
        oud = out / f".{doel.name}.oud.{run}"
        os.replace(doel, oud)
    os.replace(tmp, doel)
    if oud is not None:
        shutil.rmtree(oud, ignore_errors=True)


def _getimed(functie, *args) -> float:
    """Run ``functie(*args)``; return its wall time in seconds."""
    t0 = time.perf_counter()
    functie(*args)
    return time.perf_counter() - t0


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
    tabellen_klaar = None
    tijden = {}
    klok = time.perf_counter()

    def stap(naam: str) -> None:
        nonlocal klok
        nu = time.perf_counter()
        tijden[naam] = tijden.get(naam, 0.0) + nu - klok
        klok = nu

    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{doel.name}.bezig.{run}.", dir=out))
        md = _lees_deel(werkmap, gemeente)
        stap("lezen")
        res = bereken_resultaten(md, gemeente, van=parameters.get("van"), tot=parameters.get("tot"),
                                 parameters={k: v for k, v in parameters.items()
                                             if k not in WERK_SLEUTELS})
        # released once here; the csv/xlsx and the notebooks (via the pickled res) draw this release
        openbaarmaking.bewaar_vrijgave(res)
        with open(cache_pad(werkmap, gemeente), "wb") as f:
            pickle.dump(res, f)
        stap("berekenen")
        # the tables (indicatoren.xlsx alone ≈ 15 s for Lindeveen, openpyxl) are written in a thread
        # while the kernel runs the notebooks: this process only waits for the kernel meanwhile, and
        # nothing in the notebooks reads these files. Joined before the guard; a failure fails the gemeente.
        tabellen = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tabellen")
        tabellen_klaar = tabellen.submit(_getimed, _schrijf_tabellen, res, tmp)
        tabellen.shutdown(wait=False)
        nbmap = notebook_map()
        uitvoeren = [(naam, {"gemeente": gemeente, "werkmap": str(werkmap), "data": None,
                             "van": parameters.get("van"), "tot": parameters.get("tot")}) for naam in notebooks]
        if parameters.get("cbs"):
            uitvoeren.append((CBS_NOTEBOOK, {"gemeente": gemeente, "cbs": parameters["cbs"],
                                             "werkmap": str(werkmap)}))
        kop = printkop(res)
        # issue 16: one kernel for this gemeente's notebooks (emptied after each), not one each
        with EenKernelPerGemeente() as km:
            for naam, param in uitvoeren:
                t_nb, t_html = _voer_uit(nbmap, naam, param, tmp, printkop=kop, km=km)
                tijden["notebooks"] = tijden.get("notebooks", 0.0) + t_nb
                tijden["html"] = tijden.get("html", 0.0) + t_html
        # the thread's own time (it overlaps the notebooks; a wait for it here lies within it)
        tijden["tabellen"] = tabellen_klaar.result()  # raises the thread's exception, if any
        klok = time.perf_counter()
        pdf_melding = None
        if parameters.get("pdf") and PDF_NOTEBOOK in [n for n, _ in uitvoeren]:
            # the PDF of the report as it stands (same HTML; passes the privacy guard below)
            pdf_melding = export.schrijf_pdf(tmp / f"{PDF_NOTEBOOK}.html",
                                             tmp / f"monitor_{veilige_mapnaam(gemeente)}.pdf")
            stap("pdf")
        gemaakt = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
        (tmp / METADATA).write_text(json.dumps(
            {"gemeente": gemeente, "gemaakt": gemaakt, "notebooks": [n for n, _ in uitvoeren],
             "waarschuwingen": len(res.fouten),
             "vingerafdruk": parameters.get("vingerafdrukken", {}).get(gemeente)}, ensure_ascii=False),
            encoding="utf-8")
        _bewaak_en_plaats(tmp, doel, out, run, md, parameters)
        stap("controle")
        tmp = None
        return {"gemeente": gemeente, "status": "gelukt", "map": doel.name, "seconden": round(time.time() - begin, 1),
                "waarschuwingen": res.fouten, "notebooks": [n for n, _ in uitvoeren], "gemaakt": gemaakt,
                "pdf": pdf_melding, "tijden": tijden}
    except Exception as e:  # noqa: BLE001 - one failing gemeente must not stop the others
        return {"gemeente": gemeente, "status": "mislukt", "reden": _reden(e)[:2000], "map": doel.name,
                "seconden": round(time.time() - begin, 1), "tijden": tijden}
    finally:
        if tabellen_klaar is not None:
            tabellen_klaar.exception()  # wait for the thread: it writes into tmp
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def regio_mapnaam(naam: str) -> str:
    """The folder of a regio report: ``regio-`` + the name as :func:`veilige_mapnaam` makes it."""
    return f"regio-{veilige_mapnaam(naam)}"


def _schrijf_regio_tabellen(rr, map_: Path) -> None:
    """The machine-readable tables of the regio report, released as the notebook shows them."""
    from monitoranalyse.rapport import regiorapport

    cfg = regiorapport.regio_config(rr)
    V = regiorapport.vrijgeven_regio(rr)
    alles = pd.concat([V.jaar.assign(periodetype="jaar"), V.kwartaal.assign(periodetype="kwartaal")],
                      ignore_index=True)
    export.schrijf_csv(alles, map_ / "indicatoren.csv", cfg, vrijgegeven=True)
    export.schrijf_csv(V.funnels, map_ / "funnels.csv", cfg, vrijgegeven=True)
    export.schrijf_csv(V.verschillen, map_ / "verschillen.csv", cfg, vrijgegeven=True)
    export.schrijf_csv(V.trends, map_ / "trends.csv", cfg, vrijgegeven=True)
    export.schrijf_csv(rr.herkomst, map_ / "herkomst.csv", cfg, vrijgegeven=True)


def verwerk_regio(naam: str, gemeenten: list[str], werkmap: str, out: str, parameters: dict) -> dict:
    """Worker: make the regio report (issue 15) in ``<out>/regio-<naam>/``. Returns a status
    dict with ``regio`` instead of ``gemeente``; never raises (a failure is its status)."""
    import warnings

    warnings.filterwarnings("ignore")
    begin = time.time()
    out = Path(out)
    doel = out / regio_mapnaam(naam)
    run = _run_id(werkmap)
    tmp = None
    try:
        from monitoranalyse.analyse import regio as regioanalyse

        tmp = Path(tempfile.mkdtemp(prefix=f".{doel.name}.bezig.{run}.", dir=out))
        t0 = time.perf_counter()
        md = _lees_deel(werkmap, f"regio:{naam}")
        t1 = time.perf_counter()
        rr = regioanalyse.bereken_regio(md, naam, gemeenten, van=parameters.get("van"), tot=parameters.get("tot"),
                                        parameters={k: v for k, v in parameters.items()
                                                    if k not in WERK_SLEUTELS})
        with open(regioanalyse.cache_pad(werkmap, naam), "wb") as f:
            pickle.dump(rr, f)
        _schrijf_regio_tabellen(rr, tmp)
        t2 = time.perf_counter()
        nbmap = notebook_map()
        t_nb, t_html = _voer_uit(nbmap, REGIO_NOTEBOOK,
                                 {"regio": naam, "gemeenten": list(gemeenten), "werkmap": str(werkmap), "data": None,
                                  "van": parameters.get("van"), "tot": parameters.get("tot")}, tmp)
        gemaakt = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
        (tmp / METADATA).write_text(json.dumps(
            {"regio": naam, "gemeenten": list(gemeenten), "gemaakt": gemaakt, "notebooks": [REGIO_NOTEBOOK],
             "waarschuwingen": len(rr.fouten),
             "vingerafdruk": parameters.get("vingerafdrukken", {}).get(f"regio:{naam}")}, ensure_ascii=False),
            encoding="utf-8")
        t3 = time.perf_counter()
        _bewaak_en_plaats(tmp, doel, out, run, md, parameters)
        tmp = None
        return {"regio": naam, "status": "gelukt", "map": doel.name, "seconden": round(time.time() - begin, 1),
                "waarschuwingen": rr.fouten, "gemaakt": gemaakt,
                "tijden": {"lezen": t1 - t0, "berekenen": t2 - t1, "notebooks": t_nb, "html": t_html,
                           "controle": time.perf_counter() - t3}}
    except Exception as e:  # noqa: BLE001 - the regio report must not stop the gemeente reports
        return {"regio": naam, "status": "mislukt", "reden": _reden(e)[:2000], "map": doel.name,
                "seconden": round(time.time() - begin, 1)}
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _op_schijf(out: Path, soort: str) -> dict[str, dict]:
    """name -> metadata of every complete report folder in ``out`` (also of earlier runs);
    ``soort`` "gemeente" or "regio" (a regio folder's metadata has the key ``regio``)."""
    gevonden = {}
    for p in sorted(Path(out).iterdir()) if Path(out).is_dir() else []:
        meta = p / METADATA
        if p.name.startswith(".") or not meta.is_file():
            continue
        try:
            m = json.loads(meta.read_text(encoding="utf-8"))
            if ("regio" in m) == (soort == "regio"):
                gevonden[str(m[soort])] = dict(m, map=p.name)
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return gevonden


def _rapporten_op_schijf(out: Path) -> dict[str, dict]:
    """gemeente -> metadata of every complete gemeente report folder in ``out``."""
    return _op_schijf(out, "gemeente")


def _regio_op_schijf(out: Path) -> dict[str, dict]:
    """regio naam -> metadata of every complete regio report folder in ``out``."""
    return _op_schijf(out, "regio")


def _regio_rijen(out: Path, regio_status: dict | None) -> str:
    """The regio lines of index.html: every regio report on disk, this run's status on top."""
    op_schijf = _regio_op_schijf(out)
    namen = sorted(set(op_schijf) | ({regio_status["regio"]} if regio_status else set()))
    rijen = []
    for naam in namen:
        s = regio_status if regio_status and regio_status["regio"] == naam else None
        schijf = op_schijf.get(naam)
        wie = html.escape(naam)
        if schijf:
            wie += f"<br><span class='klein'>{html.escape(', '.join(map(str, schijf.get('gemeenten', []))))}</span>"
        if s is not None and s["status"] != "gelukt":
            vorig = ""
            if schijf:
                vorig = (f"<br><span class='w'>Het vorige rapport van {html.escape(_datum_nl(schijf.get('gemaakt')))} "
                         f"blijft staan: {_links(schijf['map'], schijf.get('notebooks', [REGIO_NOTEBOOK]))}</span>")
            rijen.append(f"<tr><td>{wie}</td><td class='fout'>mislukt</td><td>{html.escape(s.get('reden', ''))}{vorig}</td></tr>")
            continue
        if schijf is None:
            continue
        wanneer = _wanneer(s, schijf)
        link = (f"<a href='{html.escape(urllib.parse.quote(schijf['map']))}/{REGIO_NOTEBOOK}.html'>"
                f"regiovergelijking</a>")
        rijen.append(f"<tr><td>{wie}</td><td class='ok'>gelukt</td><td>{link}{wanneer}</td></tr>")
    if not rijen:
        return ""
    return ("<h2>Regiovergelijking</h2>\n<p>De gemeenten naast elkaar: kerncijfers per 1.000 inwoners, funnels en "
            "de verschuiving naar lichte zorg per gemeente.</p>\n<table><thead><tr><th>Regio</th><th>Status</th>"
            "<th>Rapport</th></tr></thead><tbody>\n" + "".join(rijen) + "\n</tbody></table>\n<h2>Per gemeente</h2>\n")


def _wanneer(s: dict | None, schijf: dict) -> str:
    """The index line under a report that this run did not make: from an earlier run, or skipped
    by --alleen-gewijzigd because its data did not change."""
    datum = html.escape(_datum_nl(schijf.get("gemaakt")))
    if s is None:
        return f"<br><span class='klein'>uit een eerdere run ({datum})</span>"
    if s.get("ongewijzigd"):
        return f"<br><span class='klein'>ongewijzigd: gemaakt op {datum}, de gegevens zijn sindsdien niet veranderd</span>"
    return ""


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


def _pdf_link(out: Path, map_: str) -> str:
    """A link to the gemeente's PDF (issue 18) when the report folder holds one."""
    naam = f"monitor_{map_}.pdf"
    if not (out / map_ / naam).is_file():
        return ""
    return f" · <a href='{html.escape(urllib.parse.quote(map_))}/{html.escape(urllib.parse.quote(naam))}'>PDF</a>"


def _schrijf_index(out: Path, statussen: list[dict], parameters: dict, regio_status: dict | None = None) -> None:
    """index.html from what is on disk: every complete report folder (also from earlier
    runs), with this run's status on top of it; a failed gemeente links its previous report.
    Regio reports (issue 15) are listed above the gemeenten."""
    from monitoranalyse.rapport.export import schrijf_tekst

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
        wanneer = _wanneer(s, schijf)
        rijen.append(f"<tr><td>{naam}</td><td class='ok'>gelukt</td><td>"
                     f"{_links(schijf['map'], schijf.get('notebooks', NOTEBOOKS))}{_pdf_link(out, schijf['map'])}"
                     f"{extra}{wanneer}</td></tr>")
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
{_regio_rijen(out, regio_status)}<table><thead><tr><th>Gemeente</th><th>Status</th><th>Rapporten</th></tr></thead><tbody>
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


def _bestanden_vingerafdruk(paden) -> str:
    """sha256 over the names and contents of some files (folders: every file inside)."""
    h = hashlib.sha256()
    for pad in paden:
        pad = Path(pad)
        for f in sorted(pad.rglob("*")) if pad.is_dir() else [pad]:
            if f.is_file():
                h.update(str(f.name).encode())
                h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def rapport_vingerafdruk(deel: Monitordata, parameters: dict, notebooks, basis: str) -> str:
    """The fingerprint of one report (issue 16, ``--alleen-gewijzigd``): its part of the data,
    the parameters that shape it, and ``basis`` (package code, monitor.toml, side files; the
    same for every report of a run)."""
    zichtbaar = {k: v for k, v in parameters.items() if k not in WERK_SLEUTELS}
    zichtbaar.update(van=parameters.get("van"), tot=parameters.get("tot"), notebooks=list(notebooks))
    h = hashlib.sha256(basis.encode())
    h.update(json.dumps(zichtbaar, sort_keys=True, default=str, ensure_ascii=False).encode())
    h.update(deel.vingerafdruk().encode())
    return h.hexdigest()


def _basis_vingerafdruk(md: Monitordata, cbs) -> str:
    from monitoranalyse.contract import BIJBESTANDEN
    from monitoranalyse.versie import code_vingerafdruk

    paden = [Path(md.map) / n for n in BIJBESTANDEN] if md.map else []
    if md.config.bron:
        paden.append(Path(md.config.bron))
    if cbs:
        paden.append(Path(cbs))
    if os.environ.get("MONITORANALYSE_NOTEBOOKS"):
        paden.append(Path(os.environ["MONITORANALYSE_NOTEBOOKS"]))
    return code_vingerafdruk() + _bestanden_vingerafdruk(paden)


def _duur(seconden: float) -> str:
    """'45 s', '12 min', '1 u 05 min'."""
    seconden = max(0, int(round(seconden)))
    if seconden < 90:
        return f"{seconden} s"
    minuten = round(seconden / 60)
    return f"{minuten} min" if minuten < 60 else f"{minuten // 60} u {minuten % 60:02d} min"


def _voortgang(klaar: int, totaal: int, begin: float, wat: str, aandeel: float | None = None) -> str:
    """One progress line: '[12/342] Lindeveen: gelukt (31 s) — nog ongeveer 1 u 40 min (klaar rond 16:05)'.

    The estimate is the wall time so far (so it includes the parallelism) divided by the share
    of the work done: ``aandeel`` when given (the batch passes a share weighted by size, see
    :func:`_werk`), else the share of reports finished."""
    verstreken = time.time() - begin
    regel = f"[{klaar}/{totaal}] {wat}"
    gedaan = aandeel if aandeel is not None else klaar / max(totaal, 1)
    if 0 < klaar < totaal and gedaan > 0:
        rest = verstreken * (1 - gedaan) / gedaan
        eind = _dt.datetime.now() + _dt.timedelta(seconds=rest)
        regel += f" — nog ongeveer {_duur(rest)} (klaar rond {eind:%H:%M})"
    return regel


def _werk(omvang: dict[str, int]) -> dict[str, float]:
    """The expected work per gemeente for the progress estimate: its trajecten plus a fixed part
    equal to the mean gemeente (a report has a fixed cost -- kernel, notebooks, export -- and a
    part that grows with the data; in the national sample both were about half of the time of
    a mean gemeente). With the largest gemeenten first, a count-based estimate after the first
    reports was 19 hours for a run that takes a few."""
    vast = sum(omvang.values()) / max(len(omvang), 1)
    return {g: n + vast for g, n in omvang.items()}


#: Stages in the order of the summary line, with their Dutch labels.
STAPPEN = (("laden", "laden en controleren"), ("splitsen", "splitsen per gemeente"), ("lezen", "deel lezen"),
           ("berekenen", "berekenen"), ("tabellen", "tabellen schrijven (tijdens de notebooks)"),
           ("notebooks", "notebooks uitvoeren"), ("html", "html maken"),
           ("pdf", "pdf maken"), ("controle", "privacycontrole en plaatsen"))


def _tijd_per_stap(ouder: dict, statussen: list[dict]) -> str:
    """The summary line of the time per stage (issue 16): the parent's stages as measured, the
    workers' stages added up over all reports (with --parallel N they overlap in time)."""
    totaal = dict(ouder)
    for s in statussen:
        for k, v in (s.get("tijden") or {}).items():
            totaal[k] = totaal.get(k, 0.0) + v
    delen = [f"{label} {_duur(totaal[k])}" for k, label in STAPPEN if k in totaal]
    return "Tijd per stap (werkers opgeteld): " + " · ".join(delen) if delen else ""


def _geef_geheugen_terug() -> None:
    """Collect garbage and hand freed memory back to the operating system (Python objects,
    glibc's heap and pyarrow's pool), so that processes forked afterwards do not inherit it."""
    import ctypes
    import gc

    gc.collect()
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        pass
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):  # pragma: no cover - not glibc
            pass


def _open_pool(parallel: int, cluster: str | None):
    """The executor for the per-gemeente tasks: a local process pool, or (``--cluster ADRES``)
    the concurrent.futures executor of a Dask distributed client. Returns (pool, client)."""
    if not cluster:
        return ProcessPoolExecutor(max_workers=max(1, int(parallel)), initializer=_sterf_met_ouder), None
    try:
        from distributed import Client
    except ImportError:
        raise InvoerFout("--cluster vraagt het pakket 'distributed' (Dask); installeer het met "
                         "'pip install distributed'.") from None
    try:
        client = Client(cluster, timeout="10s")
    except (OSError, TimeoutError, ValueError) as e:
        raise InvoerFout(f"--cluster {cluster}: er is geen Dask-scheduler bereikbaar op dit adres. Start er een met "
                         "'dask scheduler' en werkers met 'dask worker ADRES' (zie de README).",
                         details=f"{type(e).__name__}: {e}") from None
    return client.get_executor(pure=False), client


def rapport(data, out, gemeenten=None, van=None, tot=None, parallel=2, cbs=None, notebooks=NOTEBOOKS,
            regio=None, pdf=False, alleen_gewijzigd=False, cluster=None) -> int:
    """``monitoranalyse rapport``: see the module docstring. Returns the exit code.

    ``regio`` (issue 15): None = a regio report only when monitor.toml has ``[regio]``; a name
    = a regio report with that name (gemeenten from ``[regio]``, else the run's gemeenten);
    False = none, also not from monitor.toml. An unknown gemeente in the regio or fewer than
    two gemeenten stop the run before any work (exit code 2, Dutch message).

    ``alleen_gewijzigd`` and ``cluster``: see the module docstring (issue 16).

    Run-level guarantees: ``--out`` is checked before any work; the work folder (which
    holds every input row) is private (0700), lives inside ``--out``, is removed on every
    exit path (normal end, error, Ctrl-C, SIGTERM/SIGHUP) and, after a SIGKILL, at the
    next start; workers die with the parent; reports get the user's umask; index.html is
    rebuilt from the report folders on disk.
    """
    import multiprocessing

    from monitoranalyse.invoer.laden import laad

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
        t0 = time.perf_counter()
        md = laad(data)
        ouder_tijden = {"laden": time.perf_counter() - t0}
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
        regio_taak = None
        if regio is not False and (regio or md.config.regio):
            from monitoranalyse.analyse.regio import regio_gemeenten

            regio_taak = regio_gemeenten(md, regio or None, kies)  # (naam, gemeenten); Dutch InvoerFout
        mappen = {g: veilige_mapnaam(g) for g in kies}
        parameters = {"data": str(data.resolve()), "van": van, "tot": tot,
                      "cbs": str(Path(cbs).resolve()) if cbs else None}
        werk_parameters = dict(parameters, mappen=mappen, umask=umask, pdf=bool(pdf))
        print(f"{len(kies)} gemeente(n): {', '.join(kies) if len(kies) <= 12 else ', '.join(kies[:12]) + ', …'}",
              flush=True)
        if regio_taak:
            print(f"regio {regio_taak[0]}: {', '.join(regio_taak[1])}", flush=True)
        statussen = []
        regio_status = None
        # issue 16: split once, one pass; each task gets only its part (and a fingerprint)
        t0 = time.perf_counter()
        basis = _basis_vingerafdruk(md, cbs)
        vorige = _rapporten_op_schijf(out) if alleen_gewijzigd else {}
        vingerafdrukken, overslaan, omvang = {}, [], {}
        groepen = {g: [g] for g in kies}
        if regio_taak:
            groepen[f"regio:{regio_taak[0]}"] = list(regio_taak[1])
        for naam, deel in md.per_gemeente(groepen=groepen):
            nb = [REGIO_NOTEBOOK] if naam.startswith("regio:") else list(notebooks)
            vingerafdrukken[naam] = rapport_vingerafdruk(deel, werk_parameters, nb, basis)
            omvang[naam] = len(deel.tabellen["trajecten"])
            if not naam.startswith("regio:") and vorige.get(naam, {}).get("vingerafdruk") == vingerafdrukken[naam]:
                overslaan.append(naam)
                continue
            with open(deel_pad(werkmap, naam), "wb") as f:
                pickle.dump(deel, f, protocol=pickle.HIGHEST_PROTOCOL)
        werk_parameters["vingerafdrukken"] = vingerafdrukken
        if regio_taak and alleen_gewijzigd:
            vorig_regio = _regio_op_schijf(out).get(regio_taak[0], {})
            if vorig_regio.get("vingerafdruk") == vingerafdrukken[f"regio:{regio_taak[0]}"]:
                regio_status = {"regio": regio_taak[0], "status": "gelukt", "ongewijzigd": True,
                                "map": vorig_regio["map"], "gemaakt": vorig_regio.get("gemaakt"), "seconden": 0,
                                "waarschuwingen": []}
        ouder_tijden["splitsen"] = time.perf_counter() - t0
        for g in overslaan:
            vorig = vorige[g]
            statussen.append({"gemeente": g, "status": "gelukt", "ongewijzigd": True, "map": vorig["map"],
                              "gemaakt": vorig.get("gemaakt"), "seconden": 0, "waarschuwingen": [],
                              "notebooks": vorig.get("notebooks", list(notebooks))})
        if overslaan:
            print(f"{len(overslaan)} gemeente(n) ongewijzigd sinds hun vorige rapport; die worden overgeslagen "
                  "(--alleen-gewijzigd).", flush=True)
        # largest first (longest-processing-time order): a large gemeente that starts last would
        # keep one worker busy long after the others are done (Amsterdam alone takes ~19 min)
        te_doen = sorted((g for g in kies if g not in overslaan), key=lambda g: -omvang.get(g, 0))
        # the parent no longer needs the dataset; the workers read their parts from the werkmap.
        # Released before the pool starts: forked workers would otherwise map the whole national
        # dataset (measured: 15 GB in the parent, each worker 12.9 GB RSS).
        md = deel = None
        _geef_geheugen_terug()
        pool, client = _open_pool(parallel, cluster)
        try:
            taken = {pool.submit(verwerk_gemeente, g, str(werkmap), str(out), werk_parameters, notebooks): g
                     for g in te_doen}
            if regio_taak and regio_status is None:
                taken[pool.submit(verwerk_regio, *regio_taak, str(werkmap), str(out), werk_parameters)] = None
            begin_taken = time.time()
            werk = _werk({g: omvang.get(g, 0) for g in te_doen})
            werk_totaal, werk_klaar = sum(werk.values()) or 1.0, 0.0
            for klaar, t in enumerate(as_completed(taken), start=1):
                werk_klaar += werk.get(taken[t], 0.0)
                try:
                    uitkomst = t.result()
                except Exception as e:  # noqa: BLE001 - worker crashed
                    uitkomst = ({"gemeente": taken[t], "status": "mislukt", "reden": _reden(e)} if taken[t] is not None
                                else {"regio": regio_taak[0], "status": "mislukt", "reden": _reden(e),
                                      "map": regio_mapnaam(regio_taak[0])})
                if "regio" in uitkomst:
                    regio_status = uitkomst
                    wie = f"regio {uitkomst['regio']}"
                else:
                    statussen.append(uitkomst)
                    wie = uitkomst["gemeente"]
                hoe = f"{uitkomst['status']} ({uitkomst.get('seconden', 0)} s)" if uitkomst["status"] == "gelukt" \
                    else "MISLUKT"
                print(_voortgang(klaar, len(taken), begin_taken, f"{wie}: {hoe}", werk_klaar / werk_totaal),
                      flush=True)
            pool.shutdown(wait=True)
        except BaseException:
            # Ctrl-C / SIGTERM: end the workers now (they would otherwise finish their gemeente)
            pool.shutdown(wait=False, cancel_futures=True)
            if client is None:
                for kind in multiprocessing.active_children():
                    kind.kill()
            raise
        finally:
            if client is not None:
                client.close()
        index_fout = None
        try:
            _schrijf_index(out, statussen, dict(parameters, umask=umask), regio_status)
        except OSError as e:
            index_fout = vertaal_os_fout(e)
        mislukt = [s for s in statussen if s["status"] != "gelukt"]
        n_ongewijzigd = sum(1 for s in statussen if s.get("ongewijzigd"))
        print(f"\nKlaar in {_duur(time.time() - begin)}: {len(statussen) - len(mislukt) - n_ongewijzigd} gelukt, "
              f"{len(mislukt)} mislukt" + (f", {n_ongewijzigd} ongewijzigd overgeslagen." if n_ongewijzigd else "."))
        stappen = _tijd_per_stap(ouder_tijden, statussen + ([regio_status] if regio_status else []))
        if stappen:
            print(stappen)
        regio_mislukt = regio_status is not None and regio_status["status"] != "gelukt"
        if regio_status is not None:
            if regio_mislukt:
                vorig = _regio_op_schijf(out).get(regio_status["regio"])
                regel = f"  regio {regio_status['regio']}: MISLUKT — {regio_status['reden']}"
                if vorig:
                    regel += (f" (het vorige rapport van {_datum_nl(vorig.get('gemaakt'))} blijft staan in "
                              f"{out / vorig['map']})")
            elif regio_status.get("ongewijzigd"):
                regel = (f"  regio {regio_status['regio']}: ongewijzigd, het rapport van "
                         f"{_datum_nl(regio_status.get('gemaakt'))} blijft staan -> {out / regio_status['map']}")
            else:
                regel = f"  regio {regio_status['regio']}: gelukt ({regio_status['seconden']} s) -> {out / regio_status['map']}"
                if regio_status.get("waarschuwingen"):
                    regel += f"; niet gelukt: {', '.join(regio_status['waarschuwingen'])}"
            print(regel)
        op_schijf = _rapporten_op_schijf(out) if mislukt else {}
        for s in sorted(statussen, key=lambda s: s["gemeente"]):
            if s.get("ongewijzigd"):
                print(f"  {s['gemeente']}: ongewijzigd, het rapport van {_datum_nl(s.get('gemaakt'))} blijft staan "
                      f"-> {out / s['map']}")
            elif s["status"] == "gelukt":
                regel = f"  {s['gemeente']}: gelukt ({s['seconden']} s) -> {out / s['map']}"
                if s.get("waarschuwingen"):
                    regel += f"; niet gelukt: {', '.join(s['waarschuwingen'])}"
                if s.get("pdf"):
                    regel += f"; {s['pdf']}"
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
        return 1 if mislukt or regio_mislukt else 0
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

"""Stage 4: files that leave the package — csv, xlsx (with a definitions sheet) and the
self-contained HTML of an executed notebook.

Every writer takes a table that went through :func:`monitoranalyse.rapport.openbaarmaking.vrijgeven`
(or releases it itself) and writes atomically (a temporary file in the same folder, then
``os.replace``), so a crash never leaves half a file. User text is neutralised against
spreadsheet formulas on export.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from monitoranalyse.config import MonitorConfig
from monitoranalyse.contract import INDICATOR_KOLOMMEN
from monitoranalyse.indicatoren import catalogus
from monitoranalyse.indicatoren.catalogus import indicatornaam
from monitoranalyse.rapport.openbaarmaking import vrijgeven, weiger_id_kolommen


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------


def _atomair(pad: Path, schrijf) -> Path:
    pad = Path(pad)
    pad.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{pad.stem}.", suffix=pad.suffix, dir=pad.parent)
    os.close(fd)
    try:
        schrijf(tmp)
        os.replace(tmp, pad)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return pad


def _voor_export(df, config, vrijgegeven: bool) -> pd.DataFrame:
    from monitoranalyse.rapport.openbaarmaking import veilig_voor_spreadsheet

    vrij = df if vrijgegeven else vrijgeven(df, config)
    weiger_id_kolommen(vrij)
    return veilig_voor_spreadsheet(vrij)


#: Significant digits a float keeps in a csv: a sum of amounts such as 789409.92 is stored as
#: 789409.9199999999 and would be written so; 12 digits are far more than any figure needs.
CSV_CIJFERS = 12


def _zonder_afrondingsruis(df: pd.DataFrame) -> pd.DataFrame:
    """Float columns rounded to :data:`CSV_CIJFERS` significant digits (still floats, so an
    integral amount keeps its ",0" and is never written as a bare 9-digit number)."""
    kolommen = [c for c in df.columns if pd.api.types.is_float_dtype(df[c])]
    if not kolommen:
        return df
    uit = df.copy()
    for c in kolommen:
        uit[c] = uit[c].map(lambda v: float(f"{v:.{CSV_CIJFERS}g}") if pd.notna(v) else v)
    return uit


def schrijf_csv(df: pd.DataFrame, pad, config: MonitorConfig | None = None, *, vrijgegeven=False) -> Path:
    """Write a disclosure-controlled csv the way Dutch Excel opens it directly:
    UTF-8 with BOM, ``;`` separator, decimal comma, ISO dates, floats without rounding noise
    (:data:`CSV_CIJFERS`). Atomic."""
    uit = _zonder_afrondingsruis(_voor_export(df, config, vrijgegeven))
    return _atomair(
        pad,
        lambda t: uit.to_csv(t, sep=";", decimal=",", index=False, encoding="utf-8-sig", date_format="%Y-%m-%d"),
    )


#: Per statistic type: what teller and noemer are, and the interval method (definitions sheet).
_TELLER_NOEMER = {
    "proportie": ("aantal met de eigenschap", "aantal in de groep", "Wilson-interval (95%)"),
    "aantal": ("het aantal", "–", "exact Poisson (< 10) of Byar (95%)"),
    "ratio": ("aantal gebeurtenissen", "blootstelling (bv. fte, inwoners)", "exact Poisson / Byar op de teller (95%)"),
    "gemiddelde": ("som van de waarden", "aantal personen of trajecten", "Student-t-interval (95%)"),
    "mediaan": ("–", "aantal personen of trajecten", "verdelingsvrij interval (binomiaal, 95%)"),
    "bedrag": ("som in euro", "aantal trajecten (of leeg)", "geen interval"),
}
_RICHTING = {"hoger": "hoger is beter", "lager": "lager is beter"}
_DATUM = "DD-MM-YYYY"
_PROCENT = "0.0%"
_EURO = '"€" #,##0'
_GETAL = "#,##0.0"


def definities_tabel() -> pd.DataFrame:
    """The catalog as a table in plain Dutch (sheet ``definities`` of indicatoren.xlsx)."""
    rijen = []
    for code in catalogus.codes():
        i = catalogus.indicator(code)
        teller, noemer, methode = _TELLER_NOEMER.get(i.type, ("", "", ""))
        rijen.append({
            "code": code, "naam": i.naam, "thema": i.thema, "omschrijving": i.omschrijving,
            "soort cijfer": i.type, "teller": teller, "noemer": noemer, "methode": methode,
            "eenheid": i.eenheid, "doel": i.doel, "richting": _RICHTING.get(i.beter or "", "geen richting"),
            "norm": i.norm, "bron van de norm": i.normbron,
            "gevoelig": "ja" if i.gevoelig else "nee", "waarom (on)gevoelig": i.gevoelig_reden,
        })
    return pd.DataFrame(rijen)


def schrijf_xlsx(
    df: pd.DataFrame, pad, config: MonitorConfig | None = None, *, blad: str = "indicatoren", vrijgegeven=False,
    herkomst: pd.DataFrame | None = None, definities: bool | None = None,
) -> Path:
    """Write a disclosure-controlled xlsx that an auditor can re-check without the HTML. Atomic.

    With openpyxl's own features (no formulas): a frozen header row and an autofilter;
    dates as dates (``dd-mm-jjjj``); for a tidy indicator table the Dutch indicator name
    beside the code, proportions (and their interval) as percentages, euro amounts as
    euros, and the reason for every blank in words. A tidy indicator table also gets the
    sheets ``definities`` (the catalog, :func:`definities_tabel`) and ``verantwoording``
    (the disclosure rule applied and, with ``herkomst``, the provenance rows). Text cells
    are neutralised against formulas (:func:`~monitoranalyse.rapport.openbaarmaking.veilig_voor_spreadsheet`).
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    uit = _voor_export(df, config, vrijgegeven)
    for c in uit.columns:
        if isinstance(uit[c].dtype, pd.DatetimeTZDtype):
            uit[c] = uit[c].dt.tz_localize(None)
    tidy = set(INDICATOR_KOLOMMEN) <= set(uit.columns)
    if definities is None:
        definities = tidy
    typ = None
    if tidy:
        plek = list(uit.columns).index("indicator") + 1
        namen = uit["indicator"].map(lambda c: indicatornaam(str(c)))
        uit.insert(plek, "indicator_naam", namen.map(lambda v: "'" + v if v.startswith(("=", "+", "-", "@")) else v))
        typ = uit["indicator"].map(lambda c: catalogus.indicator(c).type if catalogus.bekend(c) else "")
        if "statistiek" in uit.columns:  # the table says what it is; the catalog fills gaps
            typ = uit["statistiek"].astype(object).where(uit["statistiek"].notna(), typ)
        typ = typ.to_numpy(dtype=object)

    def _waarde(v):
        if v is None or v is pd.NaT or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, pd.Timestamp):
            return v.to_pydatetime()
        return v.item() if isinstance(v, np.generic) else v

    def _blad(wb, naam, frame, *, formaten=None, breedte=None):
        """One sheet in write-only mode (fast); ``formaten``: column -> format or per-row array."""
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        ws = wb.create_sheet(naam[:31])
        ws.freeze_panes = "A2"
        if len(frame.columns):
            ws.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{max(1, len(frame) + 1)}"
        formaten = dict(formaten or {})
        for j, c in enumerate(frame.columns, start=1):
            letter = get_column_letter(j)
            kol = frame[c]
            if pd.api.types.is_datetime64_any_dtype(kol.dtype):
                formaten.setdefault(c, _DATUM)
                ws.column_dimensions[letter].width = 12
            else:
                lengte = kol.astype(str).str.len().quantile(0.9) if len(kol) else 8
                ws.column_dimensions[letter].width = min(60, max(10, len(str(c)) + 2, float(lengte) + 2))
            if breedte and c in breedte:
                ws.column_dimensions[letter].width = breedte[c]
        vet = Font(bold=True)
        kop = []
        for c in frame.columns:
            cel = WriteOnlyCell(ws, value=str(c))
            cel.font = vet
            kop.append(cel)
        ws.append(kop)
        posities = [(j, formaten[c]) for j, c in enumerate(frame.columns) if c in formaten]
        for i, rij in enumerate(frame.itertuples(index=False, name=None)):
            waarden = [_waarde(v) for v in rij]
            for j, fmt in posities:
                f = fmt if isinstance(fmt, str) else fmt[i]
                if f and waarden[j] is not None:
                    cel = WriteOnlyCell(ws, value=waarden[j])
                    cel.number_format = f
                    waarden[j] = cel
            ws.append(waarden)
        return ws

    def schrijf(t):
        wb = Workbook(write_only=True)
        formaten = {}
        if typ is not None and len(uit):
            per_rij = np.where(typ == "proportie", _PROCENT, np.where(typ == "bedrag", _EURO, _GETAL))
            formaten = {c: per_rij for c in ("waarde", "ondergrens", "bovengrens")}
            formaten["teller"] = np.where(typ == "bedrag", _EURO, "#,##0.##")
        _blad(wb, blad, uit, formaten=formaten)
        if definities:
            _blad(wb, "definities", veilig_voor_spreadsheet_(definities_tabel()),
                  breedte={"omschrijving": 60, "waarom (on)gevoelig": 60, "doel": 40})
            cfg = config or MonitorConfig()
            from monitoranalyse.rapport.openbaarmaking import REDENEN

            regels = [("drempel", str(cfg.drempel)),
                      ("afronden op", str(int(cfg.openbaarmaking.get("afronden_op", 0))))]
            regels += [(f"reden '{k}'", v.format(drempel=cfg.drempel)) for k, v in REDENEN.items()]
            regels.append(("complementregel", "alleen voor indicatoren die in 'definities' gevoelig = ja hebben"))
            if herkomst is not None and len(herkomst):
                regels += [tuple(str(x) for x in r) for r in herkomst.iloc[:, :2].itertuples(index=False, name=None)]
            _blad(wb, "verantwoording", veilig_voor_spreadsheet_(pd.DataFrame(regels, columns=["onderdeel", "waarde"])),
                  breedte={"onderdeel": 40, "waarde": 100})
        wb.save(t)

    return _atomair(pad, schrijf)


def veilig_voor_spreadsheet_(df: pd.DataFrame) -> pd.DataFrame:
    from monitoranalyse.rapport.openbaarmaking import veilig_voor_spreadsheet

    return veilig_voor_spreadsheet(df)


def schrijf_tekst(inhoud: str, pad) -> Path:
    return _atomair(pad, lambda t: Path(t).write_text(inhoud, encoding="utf-8"))


def vaste_cel_ids(ipynb: Path) -> None:
    """Give the cells papermill added (the injected parameters) a fixed id.

    nbformat gives a new cell a random 8-character hex id; about 1 in 440 of those is
    8 digits that pass the 11-proef with a leading zero and would make the output guard
    stop a clean report (seen once in the suite). Fixed ids also make reruns comparable.
    """
    import nbformat

    nb = nbformat.read(str(ipynb), as_version=4)
    gewijzigd = False
    for i, cel in enumerate(nb.cells):
        if "injected-parameters" in cel.get("metadata", {}).get("tags", []) and cel.get("id") != f"parameters-{i:02d}":
            cel["id"] = f"parameters-{i:02d}"
            gewijzigd = True
    if gewijzigd:
        nbformat.write(nb, str(ipynb))


def _sjabloonmap() -> Path:
    """The folder holding the nbconvert template ``rapport`` (package data, found through
    :mod:`importlib.resources` so that an installed package finds it too)."""
    from importlib import resources

    return Path(str(resources.files("monitoranalyse.rapport") / "sjabloon"))


def exporteer_html(ipynb: Path, doel: Path, printkop: str = "") -> Path:
    """Executed notebook -> self-contained HTML without code or prompts, no external requests.

    ``printkop``: the running header of every printed page (gemeente and period), put in the
    template's ``@page`` rule; reduced to characters that are safe inside a CSS string."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(ipynb), as_version=4)
    nb.metadata.pop("widgets", None)
    if printkop:
        veilig = re.sub(r"[^\w .,:;()/–-]", "", printkop, flags=re.UNICODE)[:150]
        nb.metadata.setdefault("monitoranalyse", {})["printkop"] = veilig
    # <title>: the report's title and the gemeente (WCAG 2.4.2), not "Notebook"
    titel = nb.metadata.get("monitoranalyse", {}).get("titel", "")
    param = nb.metadata.get("papermill", {}).get("parameters", {})
    gemeente = param.get("gemeente") or param.get("regio") or ""  # the regio report (issue 15) names its regio
    if titel:
        nb.metadata["title"] = f"{titel} – {gemeente}" if gemeente else titel
    exp = HTMLExporter(
        template_name="rapport",
        extra_template_basedirs=[str(_sjabloonmap())],
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


def chromium() -> str | None:
    """The headless browser for the PDF (Debian's ``chromium``, or Chrome), or None."""
    import shutil

    for naam in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        pad = shutil.which(naam)
        if pad:
            return pad
    return None


def schrijf_pdf(html_pad: Path, pdf_pad: Path, timeout: int = 300) -> str | None:
    """The report HTML -> an accessible PDF with headless Chromium's print-to-PDF.

    Tagged PDF (structure for screen readers) with a document outline from the headings, A4,
    the running header and page numbers from the template's ``@page`` rule (CSS page-margin
    boxes; Chromium's own header/footer is off), figures and table rows not split across pages
    and table headers repeated (the template's print rules). Chromium is the maintained tool
    here: the browser test uses it too, and no Python HTML-to-PDF library produces tagged PDF
    from this HTML. Returns None on success, else a Dutch reason (the report itself stands).
    """
    import subprocess
    import tempfile

    prog = chromium()
    if prog is None:
        return "geen PDF: chromium is niet geïnstalleerd (zie de README)"
    html_pad, pdf_pad = Path(html_pad).resolve(), Path(pdf_pad).resolve()
    with tempfile.TemporaryDirectory(prefix="ma-chromium-") as profiel:
        cmd = [prog, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               f"--user-data-dir={profiel}", "--no-pdf-header-footer", "--export-tagged-pdf",
               "--generate-pdf-document-outline", f"--print-to-pdf={pdf_pad}", html_pad.as_uri()]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return f"geen PDF: chromium reageerde niet binnen {timeout} seconden"
    if r.returncode != 0 or not pdf_pad.is_file() or pdf_pad.stat().st_size == 0:
        return f"geen PDF: chromium stopte met code {r.returncode}"
    return None

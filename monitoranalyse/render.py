"""Stage 4: the render boundary — everything that leaves the package passes here.

Three guarantees are enforced in this module and nowhere else:

1. **Disclosure control** (:func:`vrijgeven`): every table that is shown in a notebook,
   drawn in a figure or written to csv/xlsx first goes through
   :func:`monitoranalyse.openbaarmaking.beveilig` (tidy indicator tables) or the
   row rule for analysis outputs (a row whose person count is below the drempel has
   its figures blanked). Columns that identify a record (``*_id``, ``bsn``,
   ``bronrij``) are refused outright: :class:`OpenbaarmakingsFout`.
2. **Inert user text**: team names and toelichtingen are HTML-escaped on display and
   neutralised against spreadsheet formulas on export.
3. **A final guard** (:func:`controleer_uitvoer`): after a report is written the batch
   scans every output file for any id value of the input and for BSN-like numbers;
   a hit fails that gemeente's report and removes it.

Figures use one colour-blind-safe palette (Okabe & Ito 2008) and Dutch number and
date formatting (:mod:`monitoranalyse.tekst`).
"""

from __future__ import annotations

import html
import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from . import tekst
from .config import MonitorConfig
from .contract import INDICATOR_KOLOMMEN

__all__ = [
    "PALET",
    "OpenbaarmakingsFout",
    "stijl",
    "nl_assen",
    "vrijgeven",
    "toon",
    "kader",
    "schrijf_csv",
    "schrijf_xlsx",
    "schrijf_tekst",
    "controleer_uitvoer",
    "is_bsn",
]

#: Okabe-Ito colour-blind-safe palette (blue, orange, bluish green, vermillion,
#: reddish purple, sky blue, yellow, grey).
PALET = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#7F7F7F"]

#: Column names that identify a record; never allowed past the boundary.
VERBODEN_KOLOMMEN = re.compile(r"(^|_)(id|bsn)$|^bronrij$|^waarde_ruw$", re.IGNORECASE)

#: Columns of analysis outputs that count persons (or trajecten): the row rule
#: blanks a row's figures when one of them is below the drempel.
PERSOON_KOLOMMEN = (
    "teller",
    "noemer",
    "n",
    "waargenomen",
    "n_trajecten",
    "n_respondenten",
    "aantal",
)


class OpenbaarmakingsFout(RuntimeError):
    """Raised when something that may identify a person is about to leave the package."""


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


def stijl() -> None:
    """Set the report style for matplotlib/seaborn (call once per notebook)."""
    import matplotlib as mpl
    import seaborn as sns

    sns.set_theme(context="notebook", style="whitegrid", palette=PALET)
    mpl.rcParams.update(
        {
            "figure.figsize": (9, 4.2),
            "figure.dpi": 96,
            "savefig.dpi": 96,
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
            "axes.formatter.use_locale": False,
            "font.family": "DejaVu Sans",
        }
    )


def nl_assen(ax, *, x: str | None = None, y: str | None = None, decimalen: int = 0):
    """Dutch tick labels: ``"procent"`` (fractions shown as %), ``"getal"`` (1.234),
    ``"maand"`` (dates as 'mrt 2024') or ``"jaar"``."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    def fmt(soort):
        if soort == "procent":
            return FuncFormatter(lambda v, _: tekst.procent(v, decimalen))
        if soort == "getal":
            return FuncFormatter(lambda v, _: tekst.getal(v, decimalen))
        if soort == "maand":
            return FuncFormatter(
                lambda v, _: f"{tekst.maandnaam(mdates.num2date(v).month, kort=True)} "
                f"{mdates.num2date(v).year}"
            )
        if soort == "jaar":
            return FuncFormatter(lambda v, _: str(mdates.num2date(v).year))
        raise ValueError(f"onbekende as-opmaak {soort!r}")

    if x:
        ax.xaxis.set_major_formatter(fmt(x))
    if y:
        ax.yaxis.set_major_formatter(fmt(y))
    return ax


# ---------------------------------------------------------------------------
# Disclosure control at the boundary
# ---------------------------------------------------------------------------


def _weiger_id_kolommen(df: pd.DataFrame) -> None:
    fout = [c for c in df.columns if VERBODEN_KOLOMMEN.search(str(c))]
    if fout:
        raise OpenbaarmakingsFout(
            "Deze tabel bevat kolommen die personen of records identificeren en mag "
            f"het pakket niet verlaten: {', '.join(map(str, fout))}"
        )


def vrijgeven(
    df: pd.DataFrame,
    config: MonitorConfig | None = None,
    *,
    drempel: int | None = None,
    afronden_op: int | None = None,
    persoon_kolommen: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Make a table publishable: the one disclosure-control entry point.

    * A tidy indicator table (all of ``contract.INDICATOR_KOLOMMEN`` present) goes
      through :func:`monitoranalyse.openbaarmaking.beveilig` (primary + secondary
      suppression, optional rounding).
    * Any other table (analysis output): every row where a person-count column
      (``PERSOON_KOLOMMEN`` or ``persoon_kolommen``) is below the drempel gets all its
      numeric columns blanked (NaN) and ``onderdrukt = True``.
    * Tables with identifying columns raise :class:`OpenbaarmakingsFout`.

    The input is not modified.
    """
    _weiger_id_kolommen(df)
    cfg = config or MonitorConfig()
    drempel = cfg.drempel if drempel is None else int(drempel)
    afronden_op = int(cfg.openbaarmaking.get("afronden_op", 0)) if afronden_op is None else afronden_op
    if df.empty:
        out = df.copy()
        if "onderdrukt" not in out.columns:
            out["onderdrukt"] = pd.Series(dtype=bool)
        return out
    if set(INDICATOR_KOLOMMEN) <= set(df.columns):
        from .openbaarmaking import beveilig

        return beveilig(df, drempel=drempel, afronden_op=afronden_op)

    out = df.copy()
    kolommen = [c for c in (persoon_kolommen or PERSOON_KOLOMMEN) if c in out.columns]
    if not kolommen:
        if "onderdrukt" not in out.columns:
            out["onderdrukt"] = False
        return out
    telling = out[kolommen].apply(pd.to_numeric, errors="coerce")
    klein = (telling < drempel).any(axis=1).to_numpy()
    if "onderdrukt" in out.columns:
        klein = klein | out["onderdrukt"].fillna(False).astype(bool).to_numpy()
    numeriek = [c for c in out.columns if pd.api.types.is_numeric_dtype(out[c]) and c != "onderdrukt"]
    numeriek = [c for c in numeriek if not pd.api.types.is_bool_dtype(out[c])]
    for c in numeriek:
        out[c] = out[c].astype("float64")
        out.loc[klein, c] = np.nan
    out["onderdrukt"] = klein
    if "reden_onderdrukking" in out.columns or klein.any():
        reden = out.get("reden_onderdrukking", pd.Series("", index=out.index)).fillna("")
        out["reden_onderdrukking"] = np.where(klein & (reden == ""), f"klein aantal (< {drempel})", reden)
    return out


# ---------------------------------------------------------------------------
# Display in notebooks
# ---------------------------------------------------------------------------


def _fmt_cel(v, kolom: str, procent_kolommen: set[str], decimalen: int) -> str:
    if isinstance(v, (bool, np.bool_)):
        return "ja" if v else "nee"
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return "•" if kolom not in ("ondergrens", "bovengrens") else ""
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if isinstance(v, (int, np.integer)):
        return tekst.getal(v, 0)
    if isinstance(v, (float, np.floating)):
        if kolom in procent_kolommen:
            return tekst.procent(v, 1)
        if float(v).is_integer():
            return tekst.getal(v, 0)
        return tekst.getal(v, decimalen if abs(v) < 1000 else 0)
    return html.escape(str(v))


def toon(
    df: pd.DataFrame,
    config: MonitorConfig | None = None,
    *,
    kolommen: dict[str, str] | None = None,
    procent_kolommen: Iterable[str] = (),
    decimalen: int = 1,
    max_rijen: int = 60,
    al_vrijgegeven: bool = False,
):
    """Show a table in a notebook/report: disclosure-controlled, Dutch-formatted, escaped.

    ``kolommen`` maps column -> Dutch header (and selects/orders them). Suppressed
    cells show as "•" with a legend line. Returns an ``IPython.display.HTML``.
    """
    from IPython.display import HTML

    vrij = df if al_vrijgegeven else vrijgeven(df, config)
    if kolommen:
        vrij = vrij[[c for c in kolommen if c in vrij.columns]]
    koppen = kolommen or {c: c.replace("_", " ") for c in vrij.columns}
    procent_kolommen = set(procent_kolommen)
    rijen = vrij.head(max_rijen)
    kop = "".join(f"<th>{html.escape(str(koppen.get(c, c)))}</th>" for c in rijen.columns)
    body = []
    for _, r in rijen.iterrows():
        cellen = "".join(
            f"<td>{_fmt_cel(r[c], c, procent_kolommen, decimalen)}</td>" for c in rijen.columns
        )
        body.append(f"<tr>{cellen}</tr>")
    voet = ""
    if len(vrij) > max_rijen:
        voet += f"<p class='ma-klein'>{len(vrij) - max_rijen} rijen niet getoond; zie de csv-bestanden.</p>"
    if ("onderdrukt" in df.columns or "onderdrukt" in vrij.columns) and bool(
        vrij.get("onderdrukt", pd.Series(dtype=bool)).any()
    ):
        voet += "<p class='ma-klein'>• = niet gepubliceerd (klein aantal of herleidbaar).</p>"
    return HTML(
        f"<table class='ma-tabel'><thead><tr>{kop}</tr></thead><tbody>{''.join(body)}</tbody></table>{voet}"
    )


def kader(tekst_: str, soort: str = "kader"):
    """A highlighted paragraph (``soort`` = "kader" or "toelichting"); text is escaped.

    Markdown-like ``**vet**`` is supported after escaping.
    """
    from IPython.display import HTML

    veilig = html.escape(str(tekst_))
    veilig = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", veilig)
    return HTML(f"<div class='ma-{soort}'>{veilig}</div>")


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
    from .openbaarmaking import veilig_voor_spreadsheet

    vrij = df if vrijgegeven else vrijgeven(df, config)
    _weiger_id_kolommen(vrij)
    return veilig_voor_spreadsheet(vrij)


def schrijf_csv(df: pd.DataFrame, pad, config: MonitorConfig | None = None, *, vrijgegeven=False) -> Path:
    """Write a disclosure-controlled csv the way Dutch Excel opens it directly:
    UTF-8 with BOM, ``;`` separator, decimal comma, ISO dates. Atomic."""
    uit = _voor_export(df, config, vrijgegeven)
    return _atomair(
        pad,
        lambda t: uit.to_csv(t, sep=";", decimal=",", index=False, encoding="utf-8-sig", date_format="%Y-%m-%d"),
    )


def schrijf_xlsx(
    df: pd.DataFrame, pad, config: MonitorConfig | None = None, *, blad: str = "indicatoren", vrijgegeven=False
) -> Path:
    """Write a disclosure-controlled xlsx (text cells neutralised against formulas). Atomic."""
    uit = _voor_export(df, config, vrijgegeven)
    for c in uit.columns:
        if isinstance(uit[c].dtype, pd.DatetimeTZDtype):
            uit[c] = uit[c].dt.tz_localize(None)

    def schrijf(t):
        with pd.ExcelWriter(t, engine="openpyxl") as w:
            uit.to_excel(w, sheet_name=blad[:31], index=False)

    return _atomair(pad, schrijf)


def schrijf_tekst(inhoud: str, pad) -> Path:
    return _atomair(pad, lambda t: Path(t).write_text(inhoud, encoding="utf-8"))


# ---------------------------------------------------------------------------
# The final guard
# ---------------------------------------------------------------------------


def is_bsn(s: str) -> bool:
    """9 digits passing the 11-proef (weights 9..2 and -1)."""
    if len(s) != 9 or not s.isdigit():
        return False
    totaal = sum(int(c) * w for c, w in zip(s[:8], range(9, 1, -1))) - int(s[8])
    return totaal % 11 == 0 and s != "000000000"


_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]{3,}")
# 9 digits not part of a longer number or of the decimals of a number
_NEGEN_CIJFERS = re.compile(r"(?<![0-9.,])[0-9]{9}(?![0-9])")
# embedded images (base64) are pixels, not text: removed before scanning
_AFBEELDING = re.compile(r'data:image/[a-z+.-]+;base64,[A-Za-z0-9+/=\s\\n]+|"image/(png|jpeg|svg\+xml)": *"[^"]*"')


def _tekst_van(pad: Path) -> str:
    if pad.suffix == ".xlsx":
        # only cell contents: the XML attributes hold structure (cell references such
        # as r="M10001") that would otherwise collide with ids
        with zipfile.ZipFile(pad) as z:
            xml = "\n".join(
                z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml")
            )
        return re.sub(r"<[^>]*>", " ", xml)
    if pad.suffix in {".png", ".jpg", ".gif"}:
        return ""
    return _AFBEELDING.sub(" ", pad.read_bytes().decode("utf-8", "replace"))


def controleer_uitvoer(map_: Path, verboden: set[str]) -> list[tuple[str, str]]:
    """Scan every file below ``map_`` for a forbidden token (input ids) or a BSN-like number.

    Returns ``[(file, what)]`` — empty when clean. The id values themselves are not
    returned (the list may be printed); ``what`` says "id uit de invoer" or "BSN-achtig getal".
    Ids shorter than 4 characters cannot be told apart from ordinary numbers and are
    therefore required to be longer by the data contract (documented).
    """
    treffers = []
    for pad in sorted(Path(map_).rglob("*")):
        if not pad.is_file():
            continue
        inhoud = _tekst_van(pad)
        if not inhoud:
            continue
        tokens = set(_TOKEN.findall(inhoud))
        if tokens & verboden:
            treffers.append((str(pad.relative_to(map_)), f"{len(tokens & verboden)} id(s) uit de invoer"))
        if any(is_bsn(m) for m in _NEGEN_CIJFERS.findall(inhoud)):
            treffers.append((str(pad.relative_to(map_)), "BSN-achtig getal"))
    return treffers


# ---------------------------------------------------------------------------
# Report building blocks used by the notebooks
# ---------------------------------------------------------------------------


def kop(tekst_: str, niveau: int = 2):
    """A heading whose text (often a user-supplied gemeente or team name) is escaped."""
    from IPython.display import HTML

    return HTML(f"<h{niveau}>{html.escape(str(tekst_))}</h{niveau}>")


def toelichtingen(toelichting: pd.DataFrame, *, indicator: str | None = None, wijkteam: str | None = None,
                  max_aantal: int = 12):
    """The "vertellen" next to the figures: toelichtingen for an indicator (and team), newest first.

    Rows without an indicator are general remarks; they are shown with ``indicator=None``.
    Text is escaped (it is user input).
    """
    from IPython.display import HTML

    if toelichting is None or toelichting.empty:
        return HTML("")
    t = toelichting.copy()
    ind = t["indicator"].fillna("").astype(str) if "indicator" in t else pd.Series("", index=t.index)
    t = t[ind == (indicator or "")]
    if wijkteam is not None:
        t = t[t["wijkteam"].fillna("") == wijkteam]
    if t.empty:
        return HTML("")
    # the most recent toelichting per team (and for the gemeente), newest first
    t = t.sort_values(["periode", "wijkteam"], ascending=[False, True])
    t = t.drop_duplicates(subset=["wijkteam"], keep="first").head(max_aantal)
    delen = []
    for _, r in t.iterrows():
        wie = str(r.get("wijkteam") or "")
        wie = "gemeente" if wie in ("", TOTAAL_LABEL) else wie
        delen.append(
            f"<div class='ma-toelichting'><strong>Toelichting {html.escape(wie)}, {html.escape(str(r['periode']))}:</strong> "
            f"{html.escape(str(r['tekst']))}</div>"
        )
    return HTML("".join(delen))


TOTAAL_LABEL = "Totaal"


def kerncijfers(tabel: pd.DataFrame, codes: dict[str, str], config: MonitorConfig | None = None,
                periode_start=None) -> pd.DataFrame:
    """Wide table of key figures per team for one period (default: the latest), after disclosure control.

    ``codes`` maps indicator code -> Dutch column header. Proportions stay fractions
    (format them with ``toon(..., procent_kolommen=...)``).
    """
    vrij = vrijgeven(tabel[tabel["indicator"].isin(list(codes)) & (tabel["uitsplitsing"] == "")], config)
    if vrij.empty:
        return pd.DataFrame(columns=["wijkteam", *codes.values()])
    periode_start = vrij["periode_start"].max() if periode_start is None else pd.Timestamp(periode_start)
    v = vrij[vrij["periode_start"] == periode_start]
    breed = v.pivot_table(index="wijkteam", columns="indicator", values="waarde", aggfunc="first", dropna=False)
    breed = breed.reindex(columns=[c for c in codes if c in breed.columns])
    volgorde = sorted([t for t in breed.index if t != TOTAAL_LABEL]) + ([TOTAAL_LABEL] if TOTAAL_LABEL in breed.index else [])
    breed = breed.reindex(volgorde).rename(columns=codes).reset_index()
    breed.columns.name = None
    return breed


def doelenboom(overzicht: pd.DataFrame):
    """The "doelen -> indicatoren" overview as a tree: thema -> doel -> indicators.

    ``overzicht`` is :func:`monitoranalyse.indicatoren.catalogus_overzicht` output.
    """
    from IPython.display import HTML

    themas = {"resultaat": "Resultaat voor de inwoner", "aantallen_uitgaven": "Aantallen en uitgaven",
              "uitvoering": "Uitvoering", "medewerkers": "Medewerkers", "harde_control": "Harde control"}
    beter = {"hoger": "hoger is beter", "lager": "lager is beter"}
    delen = []
    for thema, t in overzicht.groupby("thema", sort=False):
        delen.append(f"<h3>{html.escape(themas.get(thema, str(thema)))}</h3>")
        for doel, d in t.groupby("doel", sort=False):
            items = []
            for _, r in d.iterrows():
                extra = [str(r.get("eenheid") or "")]
                if r.get("beter") in beter:
                    extra.append(beter[r["beter"]])
                norm = r.get("norm")
                if norm is not None and not (isinstance(norm, float) and np.isnan(norm)):
                    eenheid = str(r.get("eenheid") or "")
                    n = tekst.procent(norm) if eenheid == "%" else tekst.getal(norm, 1)
                    extra.append(f"norm {n}")
                info = "; ".join(e for e in extra if e)
                items.append(f"<li>{html.escape(str(r['naam']))} <span class='ma-klein'>({html.escape(info)})</span></li>")
            delen.append(f"<p><strong>{html.escape(str(doel))}</strong></p><ul>{''.join(items)}</ul>")
    return HTML("".join(delen))


def indicatornaam(code: str) -> str:
    """The Dutch name of an indicator code (the code itself when unknown)."""
    from .catalogus import INDICATOREN

    namen = {"maatwerk": "Inzet van maatwerk (case-mix)",
             "doorlooptijd_buiten_termijn": "Intake buiten de termijn (case-mix)"}
    return INDICATOREN[code].naam if code in INDICATOREN else namen.get(code, code.replace("_", " "))


def _verandering(x, eenheid: str) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "–"
    if eenheid == "procentpunt":
        return tekst.procentpunt(x, 1)
    if eenheid == "procent":
        return f"{tekst.getal(100 * x, 1, teken=True)}%"
    dec = 0 if str(eenheid).startswith("euro") else 1  # euros without decimals (issue 10)
    return f"{tekst.getal(x, dec, teken=True)} {eenheid}".strip()


def _p(p) -> str:
    if p is None or (isinstance(p, float) and np.isnan(p)):
        return "–"
    return "< 0,001" if p < 0.001 else tekst.getal(p, 3)


def tabel_trends(trends: pd.DataFrame, *, alleen_significant: bool = True) -> pd.DataFrame:
    """Trend verdicts as a readable table (strings): team, indicator (Dutch), change per
    year in its own unit, p, Mann-Kendall p, verdict. By default only significant trends
    and the gemeente totals."""
    if trends is None or trends.empty:
        return pd.DataFrame(columns=["team", "indicator", "verandering per jaar", "p", "p (Mann-Kendall)", "oordeel"])
    t = trends
    if alleen_significant:
        t = t[(t["richting"].isin(["stijgend", "dalend"])) | (t["wijkteam"] == TOTAAL_LABEL)]
    oordeel = {"verbetering": "verbetering", "verslechtering": "verslechtering", "neutraal": "–"}
    richting = {"stijgend": "stijgend", "dalend": "dalend", "geen_trend": "geen trend",
                "te_weinig_gegevens": "te weinig gegevens"}
    uit = pd.DataFrame({
        "team": t["wijkteam"].map(lambda w: "gemeente" if w == TOTAAL_LABEL else w),
        "indicator": t["indicator"].map(indicatornaam),
        "richting": t["richting"].map(lambda r: richting.get(r, r)),
        "verandering per jaar": [_verandering(x, e) for x, e in zip(t["helling_per_jaar"], t.get("eenheid", ""))],
        "p": t["p_waarde"].map(_p),
        "p (Mann-Kendall)": t["mk_p_waarde"].map(_p),
        "oordeel": t["beoordeling"].map(lambda b: oordeel.get(b, "–")),
    })
    return uit.sort_values(["team", "indicator"], key=lambda s: s.map(lambda v: (v != "gemeente", v))).reset_index(drop=True)


def tabel_beleidseffecten(effecten: pd.DataFrame, indicatoren=("aandeel_lichte_zorg", "aandeel_maatwerk", "afschaling")) -> pd.DataFrame:
    """Level and slope change at each policy change as a readable table (strings)."""
    if effecten is None or effecten.empty:
        return pd.DataFrame(columns=["team", "indicator", "beleidswijziging", "sprong", "p (sprong)", "trendverandering per jaar", "p (trend)"])
    e = effecten[effecten["indicator"].isin(indicatoren)]
    return pd.DataFrame({
        "team": e["wijkteam"].map(lambda w: "gemeente" if w == TOTAAL_LABEL else w),
        "indicator": e["indicator"].map(indicatornaam),
        "beleidswijziging": e["wijziging_label"] + " (" + e["wijziging_datum"].astype(str).str[:10] + ")",
        "sprong": [_verandering(x, u) for x, u in zip(e["niveau_verandering"], e["eenheid"])],
        "p (sprong)": e["niveau_p"].map(_p),
        "trendverandering per jaar": [_verandering(x, u) for x, u in zip(e["helling_verandering"], e["eenheid"])],
        "p (trend)": e["helling_p"].map(_p),
    }).reset_index(drop=True)

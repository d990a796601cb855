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
from dataclasses import dataclass
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
    "is_vrijgegeven",
    "volg_onderdrukking",
    "vrijgeven_resultaten",
    "Vrijgegeven",
    "toon",
    "kader",
    "figuur_html",
    "begrip",
    "begrippenlijst",
    "BEGRIPPEN",
    "leeswijzer_redenen",
    "toelichting_plaatsen",
    "definities_tabel",
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
    """Set the report style for matplotlib/seaborn (call once per notebook).

    ``text.parse_math`` is off: team and gemeente names are drawn literally (a name
    such as ``Wijkteam $x^$`` would otherwise be parsed as mathtext and fail)."""
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
            "text.parse_math": False,
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


#: Key in ``DataFrame.attrs`` that marks a released table (value: the drempel used).
MARK = "monitoranalyse.vrijgegeven"


def is_vrijgegeven(df) -> bool:
    """True when ``df`` carries the mark that :func:`vrijgeven` sets.

    The mark lives in ``DataFrame.attrs`` and survives selecting rows and columns,
    sorting, ``assign`` and pivoting (pandas propagates ``attrs``), so a released table
    stays released when a notebook narrows it down; a table built from scratch does not
    carry it and is released again by every display function.
    """
    return isinstance(getattr(df, "attrs", None), dict) and MARK in df.attrs


def _markeer(df: pd.DataFrame, drempel: int) -> pd.DataFrame:
    df.attrs[MARK] = {"drempel": int(drempel)}
    return df


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
      numeric columns blanked (NaN) and ``onderdrukt = True``; a row with an
      ``indicator`` code and ``teller``/``noemer`` also gets the complement rule when
      that indicator is gevoelig (the same primary rule as the tidy tables).
    * Tables with identifying columns raise :class:`OpenbaarmakingsFout`.

    The result carries the release mark (:func:`is_vrijgegeven`); a table that already
    carries it with the same drempel is returned as it is, so that a figure or table of
    a released table shows exactly what the released table shows. The input is not
    modified.
    """
    _weiger_id_kolommen(df)
    cfg = config or MonitorConfig()
    drempel = cfg.drempel if drempel is None else int(drempel)
    if is_vrijgegeven(df) and df.attrs[MARK].get("drempel") == drempel and afronden_op is None:
        return df
    afronden_op = int(cfg.openbaarmaking.get("afronden_op", 0)) if afronden_op is None else afronden_op
    if df.empty:
        out = df.copy()
        if "onderdrukt" not in out.columns:
            out["onderdrukt"] = pd.Series(dtype=bool)
        return _markeer(out, drempel)
    if set(INDICATOR_KOLOMMEN) <= set(df.columns):
        from .openbaarmaking import beveilig

        return _markeer(beveilig(df, drempel=drempel, afronden_op=afronden_op), drempel)

    out = df.copy()
    kolommen = [c for c in (persoon_kolommen or PERSOON_KOLOMMEN) if c in out.columns]
    if not kolommen:
        if "onderdrukt" not in out.columns:
            out["onderdrukt"] = False
        return _markeer(out, drempel)
    telling = out[kolommen].apply(pd.to_numeric, errors="coerce")
    klein = (telling < drempel).any(axis=1).to_numpy()
    if {"indicator", "teller", "noemer"} <= set(out.columns):
        from .openbaarmaking import primair_onderdrukt

        klein = klein | primair_onderdrukt(out["indicator"], out["teller"], out["noemer"], drempel)
    if "onderdrukt" in out.columns:
        klein = klein | out["onderdrukt"].fillna(False).astype(bool).to_numpy()
    numeriek = [c for c in out.columns if pd.api.types.is_numeric_dtype(out[c]) and c != "onderdrukt"]
    numeriek = [c for c in numeriek if not pd.api.types.is_bool_dtype(out[c])]
    for c in numeriek:
        out[c] = out[c].astype("float64")
        out.loc[klein, c] = np.nan
    out["onderdrukt"] = klein
    if "reden_onderdrukking" in out.columns or klein.any():
        from .openbaarmaking import REDEN_PRIMAIR

        reden = out.get("reden_onderdrukking", pd.Series("", index=out.index)).fillna("")
        out["reden_onderdrukking"] = np.where(klein & (reden == ""), REDEN_PRIMAIR, reden)
    return _markeer(out, drempel)


def volg_onderdrukking(
    analyse: pd.DataFrame,
    vrij: pd.DataFrame,
    *,
    waarden: Iterable[str],
    sleutels: Iterable[str] = ("indicator", "wijkteam", "periode_start", "uitsplitsing"),
    indicator: str | None = None,
    config: MonitorConfig | None = None,
) -> pd.DataFrame:
    """An analysis output with the visibility of the released table it was computed from.

    Every row of ``analyse`` whose key (``sleutels``; with ``indicator`` given, that code
    stands for the missing ``indicator`` column) is withheld in the released tidy table
    ``vrij`` gets its ``waarden`` columns blanked, ``onderdrukt = True`` and the reason
    of the table. So an SPC chart, a funnel or a forecast never shows a point that the
    table hides (same figure, same visibility). The result is released as well
    (:func:`vrijgeven` row rule) and carries the release mark.
    """
    if not is_vrijgegeven(vrij):
        vrij = vrijgeven(vrij, config)
    uit = analyse.copy()
    if indicator is not None and "indicator" not in uit.columns:
        uit["indicator"] = indicator
        weg_indicator = True
    else:
        weg_indicator = False
    sl = [k for k in sleutels if k in uit.columns and k in vrij.columns]
    if uit.empty or not sl:
        uit = uit.drop(columns="indicator") if weg_indicator else uit
        return vrijgeven(uit, config)
    dicht = vrij.loc[vrij["onderdrukt"].astype(bool), sl + ["reden_onderdrukking"]].drop_duplicates(sl)
    gekoppeld = uit[sl].merge(dicht, on=sl, how="left")
    weg = gekoppeld["reden_onderdrukking"].notna().to_numpy()
    for c in waarden:
        if c in uit.columns:
            uit[c] = uit[c].astype("float64").where(~weg)
    vorig = uit["onderdrukt"].fillna(False).astype(bool).to_numpy() if "onderdrukt" in uit else np.zeros(len(uit), bool)
    uit["onderdrukt"] = vorig | weg
    reden = uit.get("reden_onderdrukking", pd.Series("", index=uit.index)).fillna("").to_numpy(dtype=object)
    uit["reden_onderdrukking"] = np.where(weg & (reden == ""), gekoppeld["reden_onderdrukking"].fillna("").to_numpy(dtype=object), reden)
    if weg_indicator:
        uit = uit.drop(columns="indicator")
    uit.attrs.pop(MARK, None)
    return vrijgeven(uit, config)


@dataclass
class Vrijgegeven:
    """The released counterparts of :class:`monitoranalyse.batch.Resultaten` (what notebooks show).

    Every tidy table is released once, whole (so a subset shows what the whole shows), and
    every analysis output that draws points of a tidy table follows that table's
    visibility (:func:`volg_onderdrukking`).
    """

    indicatoren: pd.DataFrame  # kwartaal
    indicatoren_maand: pd.DataFrame
    indicatoren_jaar: pd.DataFrame
    indicatoren_halfjaar: pd.DataFrame
    spc: pd.DataFrame
    funnels: pd.DataFrame
    prognose: pd.DataFrame
    casemix: pd.DataFrame
    bollen: pd.DataFrame
    typologie: pd.DataFrame
    signalen: pd.DataFrame


def vrijgeven_resultaten(R) -> Vrijgegeven:
    """Release everything a report of one gemeente draws (``R``: batch.Resultaten)."""
    cfg = R.config
    K, M, J = (vrijgeven(t, cfg) for t in (R.indicatoren, R.indicatoren_maand, R.indicatoren_jaar))
    H = vrijgeven(R.indicatoren_halfjaar, cfg)
    spc = R.spc
    if not spc.empty:
        spc = volg_onderdrukking(spc, M, config=cfg, waarden=(
            "waarde", "middenlijn", "onder_procesgrens", "boven_procesgrens"))
        weg = spc["onderdrukt"].to_numpy()
        spc["regel"] = spc["regel"].where(~weg, "")
        spc["soort"] = spc["soort"].where(~weg, "")
    else:
        spc = vrijgeven(spc, cfg)
    funnels = R.funnels
    funnels = (volg_onderdrukking(funnels, J, config=cfg, waarden=("teller", "noemer", "waarde", "z", "z_gecorrigeerd"))
               if not funnels.empty else vrijgeven(funnels, cfg))
    prog = R.prognose
    if not prog.empty:
        w = prog["soort"] == "waarneming"
        deel = prog[w]
        for code in ("caseload", "instroom", "uitstroom"):  # observed months: as the monthly table
            deel = volg_onderdrukking(deel, M, indicator=code, config=cfg, waarden=(code,))
        rest = prog[~w].assign(onderdrukt=False)
        prog = pd.concat([deel, rest]).loc[prog.index]
        prog["onderdrukt"] = prog["onderdrukt"].astype(bool)
        prog = _markeer(prog, cfg.drempel)
    else:
        prog = vrijgeven(prog, cfg)
    return Vrijgegeven(
        indicatoren=K, indicatoren_maand=M, indicatoren_jaar=J, indicatoren_halfjaar=H,
        spc=spc, funnels=funnels, prognose=prog,
        casemix=vrijgeven(R.casemix, cfg), bollen=vrijgeven(R.bollen, cfg),
        typologie=vrijgeven(R.typologie, cfg), signalen=_signalen_vrij(R.signalen, M, cfg),
    )


def _signalen_vrij(signalen: pd.DataFrame, maand: pd.DataFrame, cfg) -> pd.DataFrame:
    """The nader-onderzoek list with the visibility of the monthly table.

    An SPC signal on a month that the monthly table withholds stays on the list (the team
    should look at it) but without its value: the sentence names team, indicator and month
    and says that the value is not published, with the table's reason.
    """
    if signalen is None or signalen.empty or "soort_signaal" not in signalen.columns:
        return vrijgeven(signalen if signalen is not None else pd.DataFrame(), cfg)
    uit = signalen.copy()
    spc = (uit["soort_signaal"] == "spc").to_numpy()
    if spc.any():
        sleutel = uit.loc[spc, ["wijkteam", "indicator"]].assign(
            periode_start=pd.to_datetime(uit.loc[spc, "periode"], errors="coerce"))
        dicht = maand.loc[maand["onderdrukt"].astype(bool) & (maand["uitsplitsing"] == ""),
                          ["wijkteam", "indicator", "periode_start", "reden_onderdrukking"]]
        dicht = dicht.drop_duplicates(["wijkteam", "indicator", "periode_start"])
        gekoppeld = sleutel.merge(dicht, on=["wijkteam", "indicator", "periode_start"], how="left")
        weg = gekoppeld["reden_onderdrukking"].notna().to_numpy()
        rijen = uit.index[spc][weg]
        for i, (_, r) in zip(rijen, gekoppeld[weg].iterrows()):
            wie = "Gemeente als geheel" if r["wijkteam"] == TOTAAL_LABEL else str(r["wijkteam"])
            uit.at[i, "zin"] = (f"{wie}: SPC-signaal bij {indicatornaam(r['indicator']).lower()} in "
                                f"{tekst.maand_jaar(r['periode_start'])}; de waarde zelf is niet gepubliceerd "
                                f"({r['reden_onderdrukking']}).")
            for k in ("waarde", "teller", "noemer", "referentie", "grootte"):
                if k in uit.columns:
                    uit[k] = uit[k].astype("float64") if pd.api.types.is_numeric_dtype(uit[k]) else uit[k]
                    uit.at[i, k] = np.nan
    return vrijgeven(uit, cfg)


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
    bijschrift: str | None = None,
):
    """Show a table in a notebook/report: disclosure-controlled, Dutch-formatted, escaped.

    A table without the release mark (:func:`is_vrijgegeven`) is released first; a
    released one is shown as it is. ``kolommen`` maps column -> Dutch header (and
    selects/orders them). Suppressed cells show as "•" with a legend line naming the
    reasons that occur; header cells are ``<th scope="col">``. Returns an
    ``IPython.display.HTML``.
    """
    from IPython.display import HTML

    return HTML(tabel_html(df, config, kolommen=kolommen, procent_kolommen=procent_kolommen,
                           decimalen=decimalen, max_rijen=max_rijen, bijschrift=bijschrift))


def tabel_html(df, config=None, *, kolommen=None, procent_kolommen=(), decimalen=1, max_rijen=60,
               bijschrift=None) -> str:
    """The HTML of :func:`toon` (a string; also used for the numbers behind a figure)."""
    vrij = vrijgeven(df, config)
    redenen = []
    if "reden_onderdrukking" in vrij.columns and "onderdrukt" in vrij.columns:
        redenen = sorted({str(r) for r in vrij.loc[vrij["onderdrukt"].astype(bool), "reden_onderdrukking"] if r})
    heeft_onderdrukt = "onderdrukt" in vrij.columns and bool(vrij["onderdrukt"].astype(bool).any())
    if kolommen:
        vrij = vrij[[c for c in kolommen if c in vrij.columns]]
    else:
        vrij = vrij.drop(columns=[c for c in ("onderdrukt",) if c in vrij.columns])
    koppen = kolommen or {c: c.replace("_", " ") for c in vrij.columns}
    procent_kolommen = set(procent_kolommen)
    rijen = vrij.head(max_rijen)
    kop = "".join(f"<th scope='col'>{html.escape(str(koppen.get(c, c)))}</th>" for c in rijen.columns)
    body = []
    for _, r in rijen.iterrows():
        cellen = "".join(
            f"<td>{_fmt_cel(r[c], c, procent_kolommen, decimalen)}</td>" for c in rijen.columns
        )
        body.append(f"<tr>{cellen}</tr>")
    voet = ""
    if len(vrij) > max_rijen:
        voet += f"<p class='ma-klein'>{len(vrij) - max_rijen} rijen niet getoond; zie de csv-bestanden.</p>"
    if heeft_onderdrukt:
        uitleg = "; ".join(redenen) if redenen else "te klein aantal of af te leiden"
        voet += (f"<p class='ma-klein'>• = niet gepubliceerd ({html.escape(uitleg)}); "
                 "zie de leeswijzer.</p>")
    cap = f"<caption>{html.escape(bijschrift)}</caption>" if bijschrift else ""
    return (f"<table class='ma-tabel'>{cap}<thead><tr>{kop}</tr></thead><tbody>{''.join(body)}</tbody>"
            f"</table>{voet}")


def figuur_html(fig, config: MonitorConfig | None = None):
    """A figure for the report: PNG with its Dutch alt text, plus the numbers behind it.

    ``fig.ma_alt`` (set by every function of :mod:`monitoranalyse.figuren`) becomes the
    ``alt`` of the image; ``fig.ma_gegevens`` (the released rows drawn) becomes a table
    in a collapsed ``<details>`` under the figure. A figure without them gets its
    title as alt text. Returns an ``IPython.display.HTML``; the PNG is embedded (no
    external request).
    """
    import base64
    import io

    from IPython.display import HTML

    alt = getattr(fig, "ma_alt", "") or "; ".join(
        t for t in [getattr(fig, "_suptitle", None) and fig._suptitle.get_text()]
        + [ax.get_title() for ax in fig.axes] if t) or "Figuur"
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96, bbox_inches="tight")
    png = base64.b64encode(buf.getvalue()).decode("ascii")
    breedte = int(round(fig.get_size_inches()[0] * 96))
    gegevens = getattr(fig, "ma_gegevens", None)
    tabel = ""
    if gegevens is not None and len(gegevens):
        tabel = ("<details class='ma-cijfers'><summary>Cijfers bij deze figuur</summary>"
                 + tabel_html(gegevens, config, procent_kolommen=getattr(fig, "ma_procent", []), max_rijen=200)
                 + "</details>")
    return HTML(f"<figure class='ma-figuur'><img src='data:image/png;base64,{png}' "
                f"alt='{html.escape(alt, quote=True)}' style='max-width:100%;height:auto' width='{breedte}'>"
                f"</figure>{tabel}")


#: The begrippenlijst: term -> plain-Dutch explanation (anchor ``begrip-<slug>``).
BEGRIPPEN: dict[str, str] = {
    "betrouwbaarheidsinterval": "De marge rond een cijfer: met 95% zekerheid ligt de 'echte' waarde daarbinnen. "
    "Hoe minder mensen een cijfer telt, hoe breder de marge.",
    "drempel": "Het kleinste aantal personen of trajecten waarover een cijfer wordt gepubliceerd (standaard 8, "
    "zoals het CBS). Daaronder blijft het cijfer leeg (•), zodat niemand herkenbaar is.",
    "funnel": "Een funnelplot zet elk team af tegen het gemeentelijk gemiddelde. De grenzen lopen als een trechter: "
    "kleine teams mogen door toeval meer afwijken dan grote. Een team buiten de 99,8%-grens wijkt af "
    "op een manier die toeval slecht verklaart: aanleiding voor een gesprek, geen oordeel.",
    "overspreiding": "Teams verschillen onderling meer dan toeval verklaart, ook als ze goed werken (andere wijken, "
    "andere inwoners). Dan worden de grenzen van de funnel verbreed, zodat niet elk verschil een signaal wordt.",
    "SPC en procesgrenzen": "Statistische procesbeheersing: een cijfer per maand met het gemiddelde en de "
    "procesgrenzen, de band waarbinnen een stabiel proces van maand tot maand schommelt. Een punt daarbuiten, "
    "of een reeks van zeven punten aan één kant, wijst op een speciale oorzaak.",
    "case-mix en W/V": "Case-mix is de samenstelling van de cliënten van een team (leeftijd, problematiek, "
    "zelfredzaamheid). W/V is waargenomen gedeeld door verwacht: 1 betekent zoveel als je bij deze cliënten "
    "mag verwachten, 1,2 betekent 20% meer.",
    "HAC": "Heteroskedasticity and autocorrelation consistent: een manier om de onzekerheid van een trend eerlijk te "
    "berekenen als opeenvolgende maanden of kwartalen op elkaar lijken.",
    "Mann-Kendall": "Een toets die alleen kijkt of een reeks vaker stijgt dan daalt, zonder aan te nemen dat de "
    "trend een rechte lijn is. Gebruikt als controle op de trendtoets.",
    "MAPE": "Mean absolute percentage error: de gemiddelde afwijking van een prognose in procenten, gemeten door "
    "het laatste jaar te voorspellen alsof het nog niet bekend was.",
    "onderbroken tijdreeks": "Een analyse die de sprong en de verandering van de trend meet op het moment van een "
    "beleidswijziging, met de trend van daarvoor als vergelijking.",
    "p-waarde": "De kans op een verschil of trend minstens zo groot als gezien, als er in werkelijkheid niets aan "
    "de hand is. Onder 0,05 noemen we het significant.",
    "kleinste aantoonbare verschil": "Het kleinste verschil met het gemiddelde (of de kleinste trend of sprong) "
    "dat met deze aantallen in 8 van de 10 gevallen als signaal zichtbaar zou zijn geworden. 'Binnen de grenzen' "
    "of 'geen trend' betekent dus niet 'geen probleem': een kleiner verschil kon met deze gegevens niet gezien "
    "worden. Kleine teams en korte reeksen hebben een groot kleinste aantoonbaar verschil.",
}


def _slug(term: str) -> str:
    return "begrip-" + re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def begrip(term: str, tekst_: str | None = None) -> str:
    """A link (markdown) from a term to its entry in the begrippenlijst of the same report."""
    if term not in BEGRIPPEN:
        raise KeyError(f"'{term}' staat niet in de begrippenlijst")
    return f"[{tekst_ or term}](#{_slug(term)})"


def begrippenlijst():
    """The begrippenlijst as a definition list with an anchor per term (HTML)."""
    from IPython.display import HTML

    items = "".join(f"<dt id='{_slug(t)}'><strong>{html.escape(t)}</strong></dt><dd>{html.escape(u)}</dd>"
                    for t, u in BEGRIPPEN.items())
    return HTML(f"<dl class='ma-begrippen'>{items}</dl>")


def leeswijzer_redenen(config: MonitorConfig | None = None):
    """The reason labels for blanks (•), each explained once (for the leeswijzer)."""
    from IPython.display import HTML

    from .openbaarmaking import REDENEN

    cfg = config or MonitorConfig()
    items = "".join(f"<li><strong>{html.escape(k)}</strong>: {html.escape(v.format(drempel=cfg.drempel))}</li>"
                    for k, v in REDENEN.items())
    return HTML(f"<div class='ma-kader'><p>Een leeg cijfer (•) heeft één van deze redenen "
                f"(drempel {cfg.drempel}; zie <a href='#{_slug('drempel')}'>drempel</a>):</p><ul>{items}</ul></div>")


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
    from .catalogus import INDICATOREN

    if not INDICATOREN:
        from . import indicatoren  # noqa: F401  (fills the catalog)
    rijen = []
    for code, i in INDICATOREN.items():
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
    are neutralised against formulas (:func:`~monitoranalyse.openbaarmaking.veilig_voor_spreadsheet`).
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from .catalogus import INDICATOREN

    uit = _voor_export(df, config, vrijgegeven)
    for c in uit.columns:
        if isinstance(uit[c].dtype, pd.DatetimeTZDtype):
            uit[c] = uit[c].dt.tz_localize(None)
    tidy = set(INDICATOR_KOLOMMEN) <= set(uit.columns)
    if definities is None:
        definities = tidy
    typ = None
    if tidy:
        if not INDICATOREN:
            from . import indicatoren  # noqa: F401
        plek = list(uit.columns).index("indicator") + 1
        namen = uit["indicator"].map(lambda c: indicatornaam(str(c)))
        uit.insert(plek, "indicator_naam", namen.map(lambda v: "'" + v if v.startswith(("=", "+", "-", "@")) else v))
        typ = uit["indicator"].map(lambda c: INDICATOREN[c].type if c in INDICATOREN else "").to_numpy(dtype=object)

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
            from .openbaarmaking import REDENEN

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
    from .openbaarmaking import veilig_voor_spreadsheet

    return veilig_voor_spreadsheet(df)


def schrijf_tekst(inhoud: str, pad) -> Path:
    return _atomair(pad, lambda t: Path(t).write_text(inhoud, encoding="utf-8"))


# ---------------------------------------------------------------------------
# The final guard
# ---------------------------------------------------------------------------


# one BSN detector for the loader and this guard (all notations: spaces, dots, dashes, 8 digits)
from .bsn import bevat_bsn as _bevat_bsn  # noqa: E402
from .bsn import is_bsn  # noqa: E402,F401 - public name kept
from .contract import ID_TOKEN  # noqa: E402

_TOKEN = re.compile(ID_TOKEN)
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
        if _bevat_bsn(inhoud):
            treffers.append((str(pad.relative_to(map_)), "BSN-achtig getal"))
    return treffers


# ---------------------------------------------------------------------------
# Report building blocks used by the notebooks
# ---------------------------------------------------------------------------


def kop(tekst_: str, niveau: int = 2):
    """A heading whose text (often a user-supplied gemeente or team name) is escaped."""
    from IPython.display import HTML

    return HTML(f"<h{niveau}>{html.escape(str(tekst_))}</h{niveau}>")


#: Longest toelichting shown (characters); longer texts are cut with "…".
TOELICHTING_MAX = 800


def toelichting_plaatsen(toelichting: pd.DataFrame, indicatoren_bij_figuur: Iterable[str] = ()) -> pd.DataFrame:
    """Where each toelichting of the contract belongs in a report ("tellen én vertellen").

    * bound to an indicator that has a figure in the report -> ``indicator:<code>``
      (shown beside that figure);
    * gemeente-wide (no wijkteam) and not bound to such an indicator -> ``gemeente``
      (shown at the top);
    * bound to a team (and period) only, or to an indicator without a figure ->
      ``teams`` (the section "Wat de teams erover zeggen", per period).

    Returns
    -------
    DataFrame
        The toelichting rows (sorted by periode, team) with an added column ``plaats``.
    """
    kolommen = ["wijkteam", "periode", "indicator", "tekst"]
    if toelichting is None or toelichting.empty:
        return pd.DataFrame(columns=kolommen + ["plaats"])
    t = toelichting.copy()
    for k in kolommen:
        if k not in t.columns:
            t[k] = ""
        t[k] = t[k].astype(object).where(t[k].notna(), "").astype(str)
    figuur = set(indicatoren_bij_figuur)
    gemeente = t["wijkteam"].isin(["", TOTAAL_LABEL])
    bij_figuur = t["indicator"].isin(figuur) & (t["indicator"] != "")
    t["plaats"] = np.where(bij_figuur, "indicator:" + t["indicator"], np.where(gemeente, "gemeente", "teams"))
    return t.sort_values(["periode", "wijkteam"], kind="stable").reset_index(drop=True)


def _toelichting_html(r, plaats: str) -> str:
    wie = str(r.get("wijkteam") or "")
    wie = "gemeente" if wie in ("", TOTAAL_LABEL) else wie
    tekst_ = str(r["tekst"])
    if len(tekst_) > TOELICHTING_MAX:
        tekst_ = tekst_[: TOELICHTING_MAX - 1].rstrip() + "…"
    ind = str(r.get("indicator") or "")
    over = f" over {indicatornaam(ind).lower()}" if ind else ""
    return (f"<div class='ma-toelichting' data-plaats='{html.escape(plaats, quote=True)}'>"
            f"<strong>Toelichting {html.escape(wie)}, {html.escape(str(r['periode']))}{html.escape(over)}:</strong> "
            f"{html.escape(tekst_)}</div>")


def toelichtingen(toelichting: pd.DataFrame, *, indicator: str | None = None, plaats: str | None = None,
                  indicatoren_bij_figuur: Iterable[str] = ()):
    """The "vertellen" next to the figures: all toelichtingen of one place, oldest period first.

    ``indicator`` = the toelichtingen beside that indicator's figure; ``plaats`` =
    ``"gemeente"`` (top of the report) or ``"teams"`` (grouped per period, with a small
    heading per period). Every toelichting appears at exactly one place
    (:func:`toelichting_plaatsen`; pass the same ``indicatoren_bij_figuur`` everywhere).
    Text is escaped (user input), cut at :data:`TOELICHTING_MAX` characters, and names
    its team and period.
    """
    from IPython.display import HTML

    geplaatst = toelichting_plaatsen(toelichting, set(indicatoren_bij_figuur) | ({indicator} if indicator else set()))
    doel = f"indicator:{indicator}" if indicator else (plaats or "gemeente")
    t = geplaatst[geplaatst["plaats"] == doel]
    if t.empty:
        return HTML("")
    if doel != "teams":
        return HTML("".join(_toelichting_html(r, doel) for _, r in t.iterrows()))
    delen = []
    for periode, g in t.groupby("periode", sort=True):
        delen.append(f"<h3>{html.escape(str(periode))}</h3>")
        delen.extend(_toelichting_html(r, doel) for _, r in g.sort_values("wijkteam").iterrows())
    return HTML("".join(delen))


TOTAAL_LABEL = "Totaal"


def kerncijfers(tabel: pd.DataFrame, codes: dict[str, str], config: MonitorConfig | None = None,
                periode_start=None) -> pd.DataFrame:
    """Wide table of key figures per team for one period (default: the latest), after disclosure control.

    ``codes`` maps indicator code -> Dutch column header. Proportions stay fractions
    (format them with ``toon(..., procent_kolommen=...)``).
    """
    vrij = vrijgeven(tabel, config)  # the whole table, as everywhere: a subset shows what the whole shows
    vrij = vrij[vrij["indicator"].isin(list(codes)) & (vrij["uitsplitsing"] == "")]
    drempel = vrij.attrs[MARK]["drempel"]
    if vrij.empty:
        return _markeer(pd.DataFrame(columns=["wijkteam", *codes.values()]), drempel)
    periode_start = vrij["periode_start"].max() if periode_start is None else pd.Timestamp(periode_start)
    v = vrij[vrij["periode_start"] == periode_start]
    breed = v.pivot_table(index="wijkteam", columns="indicator", values="waarde", aggfunc="first", dropna=False)
    breed = breed.reindex(columns=[c for c in codes if c in breed.columns])
    volgorde = sorted([t for t in breed.index if t != TOTAAL_LABEL]) + ([TOTAAL_LABEL] if TOTAAL_LABEL in breed.index else [])
    breed = breed.reindex(volgorde).rename(columns=codes).reset_index()
    breed.columns.name = None
    return _markeer(breed, drempel)


def doelenboom(overzicht: pd.DataFrame):
    """The "doelen -> indicatoren" overview as a tree: thema -> doel -> indicators.

    ``overzicht`` is :func:`monitoranalyse.indicatoren.catalogus_overzicht` output.
    """
    from IPython.display import HTML

    themas = {"resultaat": "Resultaat voor de inwoner", "aantallen_uitgaven": "Aantallen en uitgaven",
              "doelmatigheid": "Doelmatigheid",
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

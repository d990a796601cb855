"""Stage 4: what a notebook shows — tables, headings, boxes, the begrippenlijst, the
teams' toelichting and the trend and key-figure tables, as accessible HTML.

Everything shown here goes through :func:`monitoranalyse.rapport.openbaarmaking.vrijgeven`
first (disclosure control: the one policy, applied at this boundary to tables and
figures alike); user text (team names, toelichtingen) is HTML-escaped. Dutch number and
date formatting comes from :mod:`monitoranalyse.tekst`; figures from
:mod:`monitoranalyse.rapport.figuren`.
"""

from __future__ import annotations

import html
import re
from typing import Iterable

import numpy as np
import pandas as pd

from monitoranalyse import tekst
from monitoranalyse.config import MonitorConfig
from monitoranalyse.contract import TOTAAL
from monitoranalyse.indicatoren.catalogus import bekend, indicator, indicatornaam
from monitoranalyse.rapport.openbaarmaking import MARK, markeer, vrijgeven

__all__ = [
    "begrip_anker",
    "toon",
    "tabel_html",
    "kader",
    "kop",
    "figuur_html",
    "begrip",
    "begrippenlijst",
    "leeswijzer_redenen",
    "toelichting_plaatsen",
    "toelichtingen",
    "kerncijfers",
    "doelenboom",
    "tabel_trends",
    "is_euro",
    "EURO",
    "EENHEID_KOLOMMEN",
    "tabel_beleidseffecten",
    "BEGRIPPEN",
]


# ---------------------------------------------------------------------------
# Display in notebooks
# ---------------------------------------------------------------------------


#: Key in ``DataFrame.attrs`` naming the columns of a table that hold euro amounts (set by
#: :func:`kerncijfers` and the figures' numbers; :func:`tabel_html` writes them with "€").
EURO = "monitoranalyse.euro"
#: The numeric columns of a tidy indicator table that carry the indicator's unit (teller is the
#: summed amount of a ``bedrag`` or euro ``ratio`` indicator; noemer counts trajecten or inwoners).
EENHEID_KOLOMMEN = ("waarde", "teller", "ondergrens", "bovengrens", "gemiddelde")


def is_euro(code) -> bool:
    """Whether an indicator code of the catalog is an amount in euro (unknown codes: no)."""
    import monitoranalyse.indicatoren  # noqa: F401  (registers every indicator in the catalog)

    return bekend(str(code)) and str(indicator(str(code)).eenheid).startswith("euro")


def _fmt_cel(v, kolom: str, procent_kolommen: set[str], decimalen: int, euro: bool = False) -> str:
    if isinstance(v, (bool, np.bool_)):
        return "ja" if v else "nee"
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return "•" if kolom not in ("ondergrens", "bovengrens") else ""
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if isinstance(v, (int, np.integer)):
        return tekst.euro(v) if euro else tekst.getal(v, 0)
    if isinstance(v, (float, np.floating)):
        if kolom in procent_kolommen:
            return tekst.procent(v, 1)
        if euro:
            return tekst.euro(v, 0 if float(v).is_integer() or abs(v) >= 1000 else decimalen)
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
               bijschrift=None, euro_kolommen=()) -> str:
    """The HTML of :func:`toon` (a string; also used for the numbers behind a figure).

    Amounts are written with their unit ("€ 123.456.782"): the ``euro_kolommen``, the columns
    named in ``df.attrs[EURO]``, and in a row of a euro indicator (:func:`is_euro`, when the
    table has an ``indicator`` column) its :data:`EENHEID_KOLOMMEN`. A reader sees the unit in
    the cell, and the privacy guard does not mistake a total of 100 million or more for a BSN
    written with dots (issue 16: the Amsterdam report was refused for it).
    """
    euro = set(euro_kolommen) | set(getattr(df, "attrs", {}).get(EURO, ()))
    vrij = vrijgeven(df, config)
    rij_euro = (vrij["indicator"].map(is_euro).to_numpy(bool) if "indicator" in vrij.columns
                else np.zeros(len(vrij), bool))
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
    for pos, (_, r) in enumerate(rijen.iterrows()):
        cel_euro = euro | (set(EENHEID_KOLOMMEN) if rij_euro[pos] else set())
        cellen = "".join(
            f"<td>{_fmt_cel(r[c], c, procent_kolommen, decimalen, c in cel_euro)}</td>" for c in rijen.columns
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

    ``fig.ma_alt`` (set by every function of :mod:`monitoranalyse.rapport.figuren`) becomes the
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
                 + tabel_html(gegevens, config, procent_kolommen=getattr(fig, "ma_procent", []), max_rijen=200,
                              euro_kolommen=getattr(fig, "ma_euro", []))
                 + "</details>")
    return HTML(f"<figure class='ma-figuur'><img src='data:image/png;base64,{png}' "
                f"alt='{html.escape(alt, quote=True)}' style='max-width:100%;height:auto' width='{breedte}'>"
                f"</figure>{tabel}")


#: The begrippenlijst: term -> plain-Dutch explanation (anchor ``begrip-<slug>``).
BEGRIPPEN: dict[str, str] = {
    "lichte zorg": "Hulp zonder beschikking: advies en korte begeleiding door het wijkteam, hulp uit het eigen "
    "netwerk of een voorziening in de wijk waar iedereen heen kan.",
    "maatwerk": "Zwaardere hulp waarvoor de gemeente een beschikking geeft, zoals begeleiding, dagbesteding of "
    "jeugdhulp van een aanbieder (Wmo of Jeugdwet).",
    "caseload": "Het aantal trajecten dat een team op een dag onder handen heeft. Per fte: gedeeld door het "
    "aantal volle banen in het team.",
    "fte": "Een volledige baan. Twee halve banen zijn samen één fte.",
    "ZRM": "De Zelfredzaamheid-Matrix: een meetlat voor 13 levensgebieden, zoals geld, wonen en gezondheid. "
    "Een hogere score betekent dat iemand zich beter zelf redt.",
    "afschaling": "Een traject eindigt met lichtere hulp: van maatwerk naar een voorziening in de wijk of het "
    "eigen netwerk.",
    "wettelijke termijn": "De tijd die de wet de gemeente geeft. Na een melding moet het onderzoek binnen zes "
    "weken klaar zijn (Wmo 2015).",
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


def begrip_anker(term: str) -> str:
    """The id of a term's entry in the begrippenlijst (``begrip-<slug>``)."""
    return _slug(term)


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

    from monitoranalyse.rapport.openbaarmaking import REDENEN

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
    gemeente = t["wijkteam"].isin(["", TOTAAL])
    bij_figuur = t["indicator"].isin(figuur) & (t["indicator"] != "")
    t["plaats"] = np.where(bij_figuur, "indicator:" + t["indicator"], np.where(gemeente, "gemeente", "teams"))
    return t.sort_values(["periode", "wijkteam"], kind="stable").reset_index(drop=True)


def _toelichting_html(r, plaats: str) -> str:
    wie = str(r.get("wijkteam") or "")
    wie = "gemeente" if wie in ("", TOTAAL) else wie
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


def kerncijfers(tabel: pd.DataFrame, codes: dict[str, str], config: MonitorConfig | None = None,
                periode_start=None) -> pd.DataFrame:
    """Wide table of key figures per team for one period (default: the latest), after disclosure control.

    ``codes`` maps indicator code -> Dutch column header. Proportions stay fractions
    (format them with ``toon(..., procent_kolommen=...)``); the headers of euro indicators are
    named in ``attrs[EURO]``, so :func:`toon` writes those cells with "€".
    """
    vrij = vrijgeven(tabel, config)  # the whole table, as everywhere: a subset shows what the whole shows
    vrij = vrij[vrij["indicator"].isin(list(codes)) & (vrij["uitsplitsing"] == "")]
    drempel = vrij.attrs[MARK]["drempel"]
    if vrij.empty:
        return markeer(pd.DataFrame(columns=["wijkteam", *codes.values()]), drempel)
    periode_start = vrij["periode_start"].max() if periode_start is None else pd.Timestamp(periode_start)
    v = vrij[vrij["periode_start"] == periode_start]
    breed = v.pivot_table(index="wijkteam", columns="indicator", values="waarde", aggfunc="first", dropna=False)
    breed = breed.reindex(columns=[c for c in codes if c in breed.columns])
    volgorde = sorted([t for t in breed.index if t != TOTAAL]) + ([TOTAAL] if TOTAAL in breed.index else [])
    breed.attrs[EURO] = [codes[c] for c in breed.columns if is_euro(c)]
    breed = breed.reindex(volgorde).rename(columns=codes).reset_index()
    breed.columns.name = None
    return markeer(breed, drempel)


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
        t = t[(t["richting"].isin(["stijgend", "dalend"])) | (t["wijkteam"] == TOTAAL)]
    oordeel = {"verbetering": "verbetering", "verslechtering": "verslechtering", "neutraal": "–"}
    richting = {"stijgend": "stijgend", "dalend": "dalend", "geen_trend": "geen trend",
                "te_weinig_gegevens": "te weinig gegevens"}
    uit = pd.DataFrame({
        "team": t["wijkteam"].map(lambda w: "gemeente" if w == TOTAAL else w),
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
        "team": e["wijkteam"].map(lambda w: "gemeente" if w == TOTAAL else w),
        "indicator": e["indicator"].map(indicatornaam),
        "beleidswijziging": e["wijziging_label"] + " (" + e["wijziging_datum"].astype(str).str[:10] + ")",
        "sprong": [_verandering(x, u) for x, u in zip(e["niveau_verandering"], e["eenheid"])],
        "p (sprong)": e["niveau_p"].map(_p),
        "trendverandering per jaar": [_verandering(x, u) for x, u in zip(e["helling_verandering"], e["eenheid"])],
        "p (trend)": e["helling_p"].map(_p),
    }).reset_index(drop=True)

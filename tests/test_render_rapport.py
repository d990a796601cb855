"""The sample reports, run in this process: same figure, same visibility; toelichtingen in place.

The code cells of the generated notebooks are executed here (not in a kernel) with
``weergave.figuur_html`` and ``display`` recorded, so the test sees every matplotlib Figure
and every HTML block exactly as the report shows them, in order.

Where the expectations come from:
- visibility (issue 11, DESIGN.md "a figure draws the released table"): a value that the
  released tables withhold (raw waarde, interval, teller or noemer of a withheld row, and
  the raw point of a withheld SPC month, funnel team or observed caseload month) is
  drawn in no figure. Drawn = every number in the data of the figure's lines, markers,
  bars, bands and heatmap cells. Values that are also published somewhere in the same
  report are not counted (a coincidence, not a leak). The control draws a raw SPC table
  and must be caught.
- toelichting (issue 11 §2, data contract §3.7): every valid toelichting row of the sample
  appears exactly once in the monitor report, in the section that belongs to it.
"""

from __future__ import annotations

import re

import nbformat
import numpy as np
import pandas as pd
import pytest

from conftest import NOTEBOOKS, ROOT, VOORBEELD
from monitoranalyse.analyse import resultaten
from monitoranalyse.rapport import figuren, openbaarmaking, weergave

pytestmark = pytest.mark.traag


def _voer_uit(naam: str, gemeente: str, monkeypatch) -> tuple[list, list[tuple[str, str]], dict]:
    """Run a report notebook in this process; return (figures, [(kind, html/markdown)], namespace)."""
    import IPython.display

    figuren_: list = []
    blokken: list[tuple[str, str]] = []

    def figuur(fig, config=None):
        figuren_.append(fig)
        blokken.append(("figuur", getattr(fig, "ma_alt", "")))
        return IPython.display.HTML("")

    def toon(obj, *a, **k):
        blokken.append(("html", getattr(obj, "data", None) or ""))

    monkeypatch.setattr(weergave, "figuur_html", figuur)
    monkeypatch.setattr(IPython.display, "display", toon)
    nb = nbformat.read(NOTEBOOKS / f"{naam}.ipynb", as_version=4)
    ns: dict = {}
    for cel in nb.cells:
        if cel.cell_type == "markdown":
            blokken.append(("md", cel.source))
            continue
        if "parameters" in cel.metadata.get("tags", []):
            exec(cel.source, ns)
            ns.update(gemeente=gemeente, data=str(VOORBEELD))
            continue
        exec(cel.source, ns)
    return figuren_, blokken, ns


def _getallen_in_figuur(fig) -> set[float]:
    """Every number drawn as data in a figure (not ticks or axis limits)."""
    from matplotlib.collections import LineCollection, PolyCollection, QuadMesh
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    waarden: list[float] = []
    for ax in fig.axes:
        for art in ax.get_children():
            if isinstance(art, Line2D):
                waarden.extend(np.asarray(art.get_ydata(), dtype=float).ravel())
                x = art.get_xdata()
                if len(x) and not isinstance(np.asarray(x).ravel()[0], (pd.Timestamp, np.datetime64)):
                    try:
                        waarden.extend(np.asarray(x, dtype=float).ravel())
                    except (TypeError, ValueError):
                        pass
            elif isinstance(art, QuadMesh):
                waarden.extend(np.ma.filled(art.get_array(), np.nan).ravel())
            elif isinstance(art, (PolyCollection, LineCollection)):
                for pad in art.get_paths():
                    waarden.extend(pad.vertices[:, 1].ravel())
                    waarden.extend(pad.vertices[:, 0].ravel())
            elif hasattr(art, "get_offsets") and not isinstance(art, Rectangle):
                off = np.asarray(art.get_offsets(), dtype=float)
                waarden.extend(off.ravel())
            if isinstance(art, Rectangle) and art is not ax.patch:
                waarden.extend([art.get_width(), art.get_height()])
    return {_r(v) for v in waarden if np.isfinite(v)}


def _r(v) -> float:
    return float(f"{float(v):.10g}")


def _getallen(df: pd.DataFrame, rijen, kolommen) -> set[float]:
    kol = [k for k in kolommen if k in df.columns]
    if not kol or not len(df):
        return set()
    w = df.loc[rijen, kol].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float).ravel()
    return {_r(v) for v in w if np.isfinite(v)}


def _verborgen_en_gepubliceerd(R, V) -> tuple[set[float], set[float]]:
    """(raw values of withheld cells, every published value) over all tables a report draws."""
    paren = [
        (R.indicatoren, V.indicatoren, ("waarde", "ondergrens", "bovengrens", "teller", "noemer")),
        (R.indicatoren_maand, V.indicatoren_maand, ("waarde", "ondergrens", "bovengrens", "teller", "noemer")),
        (R.indicatoren_jaar, V.indicatoren_jaar, ("waarde", "ondergrens", "bovengrens", "teller", "noemer")),
        (R.indicatoren_halfjaar, V.indicatoren_halfjaar, ("waarde", "ondergrens", "bovengrens", "teller", "noemer")),
        (R.spc, V.spc, ("waarde", "middenlijn", "onder_procesgrens", "boven_procesgrens")),
        (R.funnels, V.funnels, ("waarde", "teller", "noemer")),
        (R.prognose, V.prognose, ("caseload", "instroom", "uitstroom")),
        (R.casemix, V.casemix, ("ratio", "waargenomen", "verwacht", "n")),
        (R.bollen, V.bollen, ("gemiddelde", "n")),
    ]
    verborgen, open_ = set(), set()
    for ruw, vrij, kol in paren:
        if not len(vrij):
            continue
        weg = vrij["onderdrukt"].fillna(False).astype(bool).to_numpy()
        verborgen |= _getallen(ruw.reset_index(drop=True), np.flatnonzero(weg), kol)
        open_ |= _getallen(vrij.reset_index(drop=True), np.flatnonzero(~weg), vrij.columns)
    return verborgen, open_


@pytest.fixture(scope="module")
def lindeveen():
    R = resultaten.resultaten("Lindeveen", data=str(VOORBEELD))
    return R, openbaarmaking.vrijgeven_resultaten(R)


@pytest.mark.parametrize("naam", ["monitor_gemeente", "trendanalyse", "teamvergelijking"])
def test_geen_figuur_toont_wat_de_tabel_verbergt(naam, lindeveen, monkeypatch):
    R, V = lindeveen
    figs, blokken, _ = _voer_uit(naam, "Lindeveen", monkeypatch)
    assert len(figs) >= {"monitor_gemeente": 20, "trendanalyse": 6, "teamvergelijking": 8}[naam]
    verborgen, open_ = _verborgen_en_gepubliceerd(R, V)
    lek = verborgen - open_
    assert len(lek) > 100  # there is something to leak on the sample (planted small teams)
    for fig in figs:
        getekend = _getallen_in_figuur(fig)
        assert not (getekend & lek), (fig.ma_alt, sorted(getekend & lek)[:5])
        # every figure has a Dutch alt text and (unless empty) the numbers behind it
        assert len(fig.ma_alt) > 30 and "No description" not in fig.ma_alt


def test_controle_een_ruwe_spc_tabel_wordt_betrapt(lindeveen):
    # control: the same check catches a chart drawn from the raw (unreleased) SPC table
    R, V = lindeveen
    verborgen, open_ = _verborgen_en_gepubliceerd(R, V)
    weg = V.spc[V.spc["onderdrukt"] & (V.spc["wijkteam"] != "Totaal")]
    team, code = weg.iloc[0][["wijkteam", "indicator"]]
    ruw = R.spc.copy()
    ruw.attrs[openbaarmaking.MARK] = {"drempel": R.config.drempel}  # pretend it was released
    fig = figuren.spc_grafiek(ruw, code, team)
    assert _getallen_in_figuur(fig) & (verborgen - open_)
    fig_vrij = figuren.spc_grafiek(V.spc, code, team)
    assert not (_getallen_in_figuur(fig_vrij) & (verborgen - open_))


def test_vrijgegeven_tabellen_tonen_de_procesindicatoren(lindeveen):
    # issue 11 "Done when": onderzoek binnen termijn, registratie volledig and ZRM verbeterd are
    # published wherever the policy allows: for every team-year with teller and noemer >= 8
    # (hand rule: not gevoelig -> no complement rule; the secondary rule has nothing to protect
    # when no cell of the group is withheld)
    R, V = lindeveen
    J = V.indicatoren_jaar
    for code in ("binnen_termijn_onderzoek", "registratie_volledig", "zrm_verbeterd"):
        d = J[(J["indicator"] == code) & (J["uitsplitsing"] == "")]
        ruw = R.indicatoren_jaar.loc[d.index]
        groot = (ruw["teller"] >= 8) & (ruw["noemer"] >= 8)
        assert groot.sum() > 0.9 * len(d), code
        assert not d.loc[groot, "onderdrukt"].any(), code
    assert set(J["reden_onderdrukking"]) <= {"", "te klein aantal", "af te leiden uit andere cijfers",
                                             "(bijna) iedereen of niemand in een kleine groep"}


def _sectie_van(blokken, tekst_) -> list[str]:
    """The h2 section(s) in which an (escaped) toelichting text is shown."""
    import html

    sectie, gevonden = "", []
    for soort, inhoud in blokken:
        if soort == "md":
            kop = re.findall(r"^## (.+)$", inhoud, flags=re.M)
            sectie = kop[-1] if kop else sectie
        elif soort == "html":
            for kop in re.findall(r"<h2>(.*?)</h2>", inhoud):
                sectie = html.unescape(kop)
            n = inhoud.count(html.escape(tekst_))
            gevonden += [sectie] * n
    return gevonden


@pytest.mark.parametrize("gemeente", ["Lindeveen", "Beekdal", "Oosterwaarde"])
def test_elke_toelichting_staat_precies_op_zijn_plek(gemeente, monkeypatch):
    # expected place per row (issue 11 §2): no team -> "Wat de gemeente erover zegt" (top);
    # a team without indicator -> "Wat de teams erover zeggen"; an indicator with a figure ->
    # the section of that figure. Rows: data_samples/voorbeeld/toelichting.xlsx.
    toel = pd.read_excel(VOORBEELD / "toelichting.xlsx")
    toel = toel[toel["gemeente"] == gemeente]
    assert len(toel) >= 2
    _, blokken, ns = _voer_uit("monitor_gemeente", gemeente, monkeypatch)
    assert len(ns["toel"]) == len(toel)  # all rows valid (none quarantined)
    for _, r in toel.iterrows():
        verwacht = "Wat de gemeente erover zegt" if pd.isna(r["wijkteam"]) else "Wat de teams erover zeggen"
        assert _sectie_van(blokken, r["tekst"]) == [verwacht], r["tekst"]
    # the gemeente's words come before the first figure
    eerste_fig = next(i for i, b in enumerate(blokken) if b[0] == "figuur")
    gem = next(i for i, b in enumerate(blokken) if b[0] == "html" and "Wat de gemeente erover zegt" in b[1])
    assert gem < eerste_fig


def test_toelichting_bij_indicator_staat_naast_zijn_figuur(monkeypatch, tmp_path):
    # a toelichting bound to an indicator with a figure is shown right after that figure
    # (planted: one row for zrm_verbeterd, one for an indicator without figure -> teams section)
    import shutil

    data = tmp_path / "data"
    shutil.copytree(VOORBEELD, data)
    toel = pd.read_excel(data / "toelichting.xlsx")
    extra = pd.DataFrame([
        {"wijkteam": "Wijkteam Noord", "periode": "2025", "indicator": "zrm_verbeterd",
         "tekst": "Nieuwe ZRM-training in het team.", "gemeente": "Oosterwaarde"},
        {"wijkteam": "Wijkteam Noord", "periode": "2025", "indicator": "trajectduur",
         "tekst": "Trajecten duren langer door complexere casuïstiek.", "gemeente": "Oosterwaarde"},
    ])
    pd.concat([toel, extra], ignore_index=True).to_excel(data / "toelichting.xlsx", index=False)
    globals()["VOORBEELD"] = data
    try:
        _, blokken, _ = _voer_uit("monitor_gemeente", "Oosterwaarde", monkeypatch)
    finally:
        globals()["VOORBEELD"] = ROOT / "data_samples" / "voorbeeld"
    assert _sectie_van(blokken, "Nieuwe ZRM-training in het team.") == ["1. Resultaat voor de inwoner"]
    zichtbaar = [b for b in blokken if b[1]]  # the recorded figure stands where its (empty) HTML went
    i = next(i for i, b in enumerate(zichtbaar) if b[0] == "html" and "Nieuwe ZRM-training" in b[1])
    assert zichtbaar[i - 1][0] == "figuur" and "verbeterde zelfredzaamheid" in zichtbaar[i - 1][1]
    assert _sectie_van(blokken, "Trajecten duren langer door complexere casuïstiek.") == ["Wat de teams erover zeggen"]


# --------------------------------------------------------------------------- samenvatting (issue 18)


def test_samenvatting_regels(lindeveen):
    from dataclasses import replace

    from monitoranalyse.contract import TOTAAL
    from monitoranalyse.rapport import samenvatting as sv

    R, V = lindeveen
    s = sv.maak_samenvatting(R, V)
    assert 1 <= len(s.bevindingen) <= sv.MAX_BEVINDINGEN and len(s.nader_onderzoek) <= sv.MAX_SIGNALEN
    assert s.bevindingen[0].soort == "lichte zorg"  # rule 1: the shift this monitor exists for
    tabel = sv.samenvatting_tabel(s)
    assert list(tabel.columns) == ["deel", "nr", "soort", "zin", "indicatoren", "waarden", "bron"]
    assert len(tabel) == len(s.bevindingen) + len(s.nader_onderzoek) + len(s.kanttekeningen)
    # no finding rests on a suppressed figure: withhold the gemeente's lichte zorg of the last
    # year and the last-year figure of every trend finding -> those findings disappear
    J = V.indicatoren_jaar.copy()
    laatste = resultaten.laatste_volledige_periode(J)
    trendcodes = [b.indicatoren[0] for b in s.bevindingen if b.soort == "trend"]
    assert trendcodes  # the sample has significant gemeente trends (caseload per fte, afschaling, ...)
    weg = ((J["wijkteam"] == TOTAAL) & (J["periode_start"] == laatste) & (J["uitsplitsing"] == "")
           & J["indicator"].isin(["aandeel_lichte_zorg", *trendcodes]))
    J.loc[weg, "onderdrukt"] = True
    J.loc[weg, "waarde"] = np.nan
    s2 = sv.maak_samenvatting(R, replace(V, indicatoren_jaar=J))
    gebruikt = {c for b in s2.bevindingen for c in b.indicatoren}
    assert "aandeel_lichte_zorg" not in gebruikt and not gebruikt & set(trendcodes)


def test_samenvatting_vaktermen_gelinkt(lindeveen):
    from monitoranalyse.rapport import samenvatting as sv

    R, V = lindeveen
    s = sv.maak_samenvatting(R, V)
    html = sv.samenvatting_html(s)
    for term in weergave.BEGRIPPEN:
        if any(re.search(rf"(?<!\w){re.escape(term)}(?!\w)", z, re.IGNORECASE) for z in s.zinnen()):
            assert f"#{weergave.begrip_anker(term)}'" in html, term
    assert "#begrip-lichte-zorg'" in html  # the sample's first finding is about lichte zorg


def test_pdf_zonder_chromium_een_duidelijke_regel(tmp_path, monkeypatch):
    from monitoranalyse.rapport import export

    monkeypatch.setattr(export, "chromium", lambda: None)
    (tmp_path / "a.html").write_text("<html lang='nl'><body><p>x</p></body></html>")
    melding = export.schrijf_pdf(tmp_path / "a.html", tmp_path / "a.pdf")
    assert melding.startswith("geen PDF: chromium is niet geïnstalleerd") and not (tmp_path / "a.pdf").exists()


def test_samenvatting_zegt_dat_het_laatste_jaar_niet_compleet_is(lindeveen, monkeypatch):
    # data up to June (a half year at the end): the caveat names the data end. Found on an export cut
    # at 30 June 2025: the monthly table runs to the end of the [periode] window, so its last row
    # did not show the cut; the peildatum does.
    import monitoranalyse.indicatoren as ind
    from monitoranalyse.rapport import samenvatting as sv

    R, V = lindeveen
    assert not any("nog niet compleet" in z for z in sv.maak_samenvatting(R, V).kanttekeningen)
    monkeypatch.setattr(ind, "peildatum", lambda md: pd.Timestamp("2025-06-30"))
    zinnen = sv.maak_samenvatting(R, V).kanttekeningen
    assert "De cijfers over 2025 zijn nog niet compleet. De gegevens lopen tot en met juni 2025." in zinnen

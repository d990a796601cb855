"""The samenvatting for the gemeenteraad: at most five findings in plain Dutch (taalniveau B1),
where nader onderzoek is warranted, and what these figures do not say (issue 18).

Everything here reads the RELEASED results (:func:`openbaarmaking.vrijgeven_resultaten`): a
finding never rests on a suppressed figure (a suppressed value is simply not there), and the
sentences name teams and indicators, never a person.

Rules that choose the findings, in this order, until there are :data:`MAX_BEVINDINGEN`:

1. **Lichte zorg** (the shift this monitor exists for): the gemeente's share of lichte zorg in
   the last complete year against the year before, with the trend verdict when the trend
   analysis calls it significant.
2. **Wettelijke termijn**: the gemeente's share of onderzoeken (verslag, or intake when there is
   no verslag date) within the legal term in the last complete year, against the norm.
3. **Significant trends of the gemeente** (trend analysis, p < 0,05, an indicator with a better
   direction), strongest evidence first; the figures of the first and last complete year.
Then "Waar is nader onderzoek aangewezen": the :data:`MAX_SIGNALEN` strongest signals of the
nader-onderzoek list that rest on more than one source (funnel, case-mix, SPC, trend, bollen)
first, then single-source ones, leaving out one month of one team's money (a single costly
voorziening in a small team is not a finding for the raad; it stays in the teamvergelijking).
When the team wrote a toelichting on that indicator, the sentence says so. Then "Wat deze
cijfers niet zeggen": an incomplete last year, how many figures are withheld, registration
below :data:`REGISTRATIE_DREMPEL`, quarantined rows, an inloop, and that registration shows
what happened, not why.

Each finding carries the indicator code(s), the values behind it and a link to the table or
figure it comes from (``samenvatting.csv`` lists the same). The sentences are short and use
everyday words; ``tests/test_samenvatting.py`` checks them with the Flesch-Douma readability
formula (textstat's Dutch constants) and a maximum sentence length.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pandas as pd

from monitoranalyse import tekst
from monitoranalyse.contract import TOTAAL
from monitoranalyse.indicatoren.catalogus import bekend, indicator, indicatornaam
from monitoranalyse.rapport import inhoud, weergave

__all__ = ["MAX_BEVINDINGEN", "SECTIES", "Bevinding", "Samenvatting", "maak_samenvatting",
           "samenvatting_tabel", "samenvatting_html", "met_begrippen"]

#: At most this many findings (one sentence or two each).
MAX_BEVINDINGEN = 5
#: How many signals the part "Waar is nader onderzoek aangewezen" lists.
MAX_SIGNALEN = 3
#: Below this share of complete registrations the caveats warn about the registration.
REGISTRATIE_DREMPEL = 0.90

#: Catalog theme -> the section of the monitor report (the id nbconvert gives its heading).
SECTIES: dict[str, str] = {
    "resultaat": "monitor_gemeente.html#1.-Resultaat-voor-de-inwoner",
    "aantallen_uitgaven": "monitor_gemeente.html#2.-Aantallen-en-uitgaven",
    "doelmatigheid": "monitor_gemeente.html#Doelmatigheid",
    "uitvoering": "monitor_gemeente.html#3.-Uitvoering",
    "medewerkers": "monitor_gemeente.html#4.-Medewerkers-en-bollen-model",
    "harde_control": "monitor_gemeente.html#5.-Harde-control-en-rechtmatigheid",
}
TRENDS = "trendanalyse.html#Trends-per-indicator-en-team"
SIGNALEN = "teamvergelijking.html#Waar-is-nader-onderzoek-aangewezen?"
#: Where a link goes, in words (the link text).
LINKNAMEN: dict[str, str] = {
    SECTIES["resultaat"]: "resultaat voor de inwoner",
    SECTIES["aantallen_uitgaven"]: "aantallen en uitgaven",
    SECTIES["doelmatigheid"]: "doelmatigheid",
    SECTIES["uitvoering"]: "uitvoering",
    SECTIES["medewerkers"]: "medewerkers",
    SECTIES["harde_control"]: "harde control",
    TRENDS: "trends",
    SIGNALEN: "teamvergelijking",
}


@dataclass
class Bevinding:
    """One finding: its sentence(s), where it comes from and the values behind it."""

    soort: str
    zin: str
    indicatoren: tuple[str, ...]
    waarden: dict
    bron: str  # a link relative to the gemeente's report folder


@dataclass
class Samenvatting:
    gemeente: str
    periode: str  # e.g. "2024" (the last complete year) and the data end
    bevindingen: list[Bevinding] = field(default_factory=list)
    nader_onderzoek: list[Bevinding] = field(default_factory=list)
    kanttekeningen: list[str] = field(default_factory=list)

    def zinnen(self) -> list[str]:
        """Every sentence a reader sees (for the readability check)."""
        return ([b.zin for b in self.bevindingen] + [b.zin for b in self.nader_onderzoek]
                + list(self.kanttekeningen))


def _jaarwaarde(J: pd.DataFrame, code: str, jaar, team: str = TOTAAL):
    r = J[(J["indicator"] == code) & (J["wijkteam"] == team) & (J["uitsplitsing"] == "")
          & (J["periode_start"] == jaar)]
    if len(r) != 1 or bool(r["onderdrukt"].iloc[0]) or pd.isna(r["waarde"].iloc[0]):
        return None
    return float(r["waarde"].iloc[0])


def _w(code: str, x: float) -> str:
    """A value as the reader sees it: percent for proportions, else a number with the unit."""
    if inhoud.is_procent(code):
        return tekst.procent(x)
    eenheid = indicator(code).eenheid
    dec = 0 if abs(x) >= 100 else 1
    if eenheid == "euro":
        return f"{tekst.getal(x, 0)} euro"
    return f"{tekst.getal(x, dec)} {eenheid}" if eenheid and len(eenheid) <= 12 else tekst.getal(x, dec)


def _bron(code: str) -> str:
    return SECTIES.get(indicator(code).thema, "monitor_gemeente.html")


def _lichte_zorg(J, jaren, trends) -> Bevinding | None:
    code = "aandeel_lichte_zorg"
    if len(jaren) < 1:
        return None
    j1 = jaren[-1]
    x1 = _jaarwaarde(J, code, j1)
    if x1 is None:
        return None
    zin = f"In {j1.year} was {tekst.procent(x1)} van de hulp lichte zorg."
    waarden = {f"{code} {j1.year}": x1}
    t = _trend_gemeente(trends, code)
    x_start = _jaarwaarde(J, code, jaren[0]) if len(jaren) >= 3 else None
    if t is not None and x_start is not None:
        # a significant trend: name the whole stretch, not one year's wobble
        waarden[f"{code} {jaren[0].year}"] = x_start
        waarden[f"{code} trend per jaar"] = float(t["helling_per_jaar"])
        woord = "gestegen" if t["richting"] == "stijgend" else "gedaald"
        zin += f" In {jaren[0].year} was dat {tekst.procent(x_start)}. Het aandeel is sinds {jaren[0].year} {woord}."
    elif len(jaren) >= 2 and (x0 := _jaarwaarde(J, code, jaren[-2])) is not None:
        waarden[f"{code} {jaren[-2].year}"] = x0
        if round(100 * x1) == round(100 * x0):
            zin += f" Dat is even veel als in {jaren[-2].year}."
        else:
            zin += f" In {jaren[-2].year} was dat {tekst.procent(x0)}."
    return Bevinding("lichte zorg", zin, (code,), waarden, _bron(code))


def _termijn(J, jaren, config) -> Bevinding | None:
    if not jaren:
        return None
    code = inhoud.termijn_indicator(J)
    j1 = jaren[-1]
    x = _jaarwaarde(J, code, j1)
    if x is None:
        return None
    wat = ("het onderzoek (met verslag)" if code == "onderzoek_binnen_termijn" else "het eerste gesprek")
    zin = f"In {j1.year} was {wat} bij {tekst.procent(x)} van de meldingen binnen zes weken klaar."
    waarden = {f"{code} {j1.year}": x}
    n = inhoud.norm(code, config)
    if n is not None and not pd.isna(n):
        waarden["norm"] = float(n)
        zin += (f" De norm is {tekst.procent(n)}; die wordt gehaald." if x >= n
                else f" De norm is {tekst.procent(n)}; die wordt niet gehaald.")
    return Bevinding("wettelijke termijn", zin, (code,), waarden, _bron(code))


def _trend_gemeente(trends: pd.DataFrame, code: str):
    if trends is None or trends.empty:
        return None
    t = trends[(trends["indicator"] == code) & (trends["wijkteam"] == TOTAAL)
               & (trends.get("uitsplitsing", "") == "") & trends["richting"].isin(["stijgend", "dalend"])]
    return t.iloc[0] if len(t) else None


def _trends(J, jaren, trends, gebruikt) -> list[Bevinding]:
    if trends is None or trends.empty or len(jaren) < 2:
        return []
    t = trends[(trends["wijkteam"] == TOTAAL) & trends["richting"].isin(["stijgend", "dalend"])
               & trends["beoordeling"].isin(["verbetering", "verslechtering"])
               & ~trends["indicator"].isin(gebruikt)]
    if "uitsplitsing" in t:
        t = t[t["uitsplitsing"].fillna("") == ""]
    uit = []
    for _, r in t.sort_values("p_waarde").iterrows():
        code = r["indicator"]
        if not bekend(code):
            continue
        # the first and last complete year with a RELEASED figure (never a suppressed one)
        vrij = [(j, x) for j in jaren if (x := _jaarwaarde(J, code, j)) is not None]
        if len(vrij) < 2 or vrij[-1][0] != jaren[-1]:
            continue
        (j0, x0), (j1, x1) = vrij[0], vrij[-1]
        woord = "steeg" if r["richting"] == "stijgend" else "daalde"
        oordeel = "Dat is gunstig." if r["beoordeling"] == "verbetering" else "Dat is ongunstig."
        zin = (f"‘{indicatornaam(code)}’ {woord} van {_w(code, x0)} in {j0.year} naar {_w(code, x1)} in "
               f"{j1.year}. {oordeel}")
        uit.append(Bevinding("trend", zin, (code,),
                             {f"{code} {j0.year}": x0, f"{code} {j1.year}": x1,
                              "p_waarde": float(r["p_waarde"])}, TRENDS))
    return uit


def _signalen(signalen: pd.DataFrame, toelichting: pd.DataFrame | None, n: int) -> list[Bevinding]:
    if signalen is None or signalen.empty:
        return []
    s = signalen
    if "onderdrukt" in s:
        s = s[~s["onderdrukt"].astype(bool)]
    # one month of one team's money is not a finding for the raad (a single costly voorziening)
    eenmalig_geld = (s["soort_signaal"].astype(str) == "spc") & s["indicator"].map(
        lambda c: bekend(c) and indicator(c).type == "bedrag")
    meer = s[s["aantal_bewijzen"].fillna(1) > 1]
    rest = s[(s["aantal_bewijzen"].fillna(1) <= 1) & ~eenmalig_geld]
    uit = []
    for _, r in pd.concat([meer, rest]).head(n).iterrows():
        code, team = r["indicator"], r["wijkteam"]
        wie = "De gemeente als geheel" if team == TOTAAL else str(team)
        hoe = "ongunstig" if r.get("richting") == "ongunstig" else "opvallend"
        met = "de teams" if team == TOTAAL else "het team"
        zin = f"{wie} scoort {hoe} op ‘{indicatornaam(code)}’. Dat is een reden voor een gesprek met {met}."
        if toelichting is not None and len(toelichting) and "indicator" in toelichting:
            eigen = toelichting[(toelichting["indicator"].astype(str) == code)
                                & (toelichting["wijkteam"].astype(str) == str(team))]
            if len(eigen):
                zin += " Het team geeft zelf een toelichting."
        uit.append(Bevinding("nader onderzoek", zin, (code,),
                             {"rang": int(r["rang"]), "bronnen": str(r.get("soorten", ""))}, SIGNALEN))
    return uit


def _kanttekeningen(R, V, jaren) -> list[str]:
    uit = []
    # the data end is the dataset's peildatum (the last date in the export), not the last row of
    # this gemeente's monthly table: that table runs to the end of the [periode] window, and a small
    # gemeente may have no rows in the last months
    from monitoranalyse.indicatoren import peildatum

    eind = peildatum(R.md)
    if eind is not None and not (pd.Timestamp(eind).month == 12 and pd.Timestamp(eind).day == 31):
        uit.append(f"De cijfers over {pd.Timestamp(eind).year} zijn nog niet compleet. "
                   f"De gegevens lopen tot en met {tekst.maand_jaar(eind)}.")
    if jaren:
        J = V.indicatoren_jaar
        laatste = J[J["periode_start"] == jaren[-1]]
        n = int(laatste["onderdrukt"].astype(bool).sum()) if "onderdrukt" in laatste else 0
        if n:
            uit.append(f"Niet alle cijfers worden getoond: {tekst.getal(n)} van de {tekst.getal(len(laatste))} "
                       f"cijfers over {jaren[-1].year} gaan over te weinig mensen. Zo blijft niemand herkenbaar.")
        reg = _jaarwaarde(J, "registratie_volledig", jaren[-1])
        if reg is not None and reg < REGISTRATIE_DREMPEL:
            uit.append(f"Bij {tekst.procent(reg)} van de trajecten is de registratie volledig. "
                       "Daardoor zijn sommige cijfers minder zeker.")
    kw = R.kwaliteit
    if len(kw) and "rijen_quarantaine" in kw:
        acc = kw[kw["omschrijving"] == "rijverantwoording"]
        q = pd.to_numeric(acc["rijen_quarantaine"], errors="coerce").sum()
        if q > 0:
            uit.append(f"{tekst.getal(q)} regels uit de bestanden zijn niet gebruikt, omdat ze fouten bevatten.")
    if len(R.inloop) and (R.inloop["inloop_maanden"] > 0).any():
        uit.append("De eerste maanden van de gegevens tellen niet mee in de trends. "
                   "Toen liepen oudere trajecten nog niet mee.")
    uit.append("De cijfers laten zien wat de teams hebben vastgelegd, niet waarom. "
               "Een verschil is een reden om door te vragen, geen oordeel.")
    return uit


def maak_samenvatting(R, V) -> Samenvatting:
    """The samenvatting of one gemeente from its results ``R`` and their released form ``V``."""
    from monitoranalyse.analyse.resultaten import laatste_volledige_periode

    J = V.indicatoren_jaar
    jaren: list = []
    if len(J):
        basis = J[~J["inloop"].astype(bool)] if "inloop" in J else J
        vol = basis[basis["volledig"].astype(bool)] if "volledig" in basis else basis
        jaren = sorted(pd.Timestamp(x) for x in vol["periode_start"].unique())
    laatste = laatste_volledige_periode(J) if len(J) else None
    jaren = [j for j in jaren if laatste is None or j <= laatste]
    s = Samenvatting(gemeente=R.gemeente, periode=str(jaren[-1].year) if jaren else "")
    kandidaten = [_lichte_zorg(J, jaren, R.trends), _termijn(J, jaren, R.config)]
    s.bevindingen = [b for b in kandidaten if b is not None]
    gebruikt = {c for b in s.bevindingen for c in b.indicatoren}
    s.bevindingen += _trends(J, jaren, R.trends, gebruikt)[: max(0, MAX_BEVINDINGEN - len(s.bevindingen))]
    # the signals have their own part below the findings (not repeated as a finding)
    s.bevindingen = s.bevindingen[:MAX_BEVINDINGEN]
    s.nader_onderzoek = _signalen(V.signalen, R.md.toelichting, MAX_SIGNALEN)
    s.kanttekeningen = _kanttekeningen(R, V, jaren)
    return s


def samenvatting_tabel(s: Samenvatting) -> pd.DataFrame:
    """One row per sentence shown, with the indicator codes and values behind it (samenvatting.csv)."""
    rijen = []
    for deel, lijst in (("bevinding", s.bevindingen), ("nader onderzoek", s.nader_onderzoek)):
        for i, b in enumerate(lijst, 1):
            rijen.append({"deel": deel, "nr": i, "soort": b.soort, "zin": b.zin,
                          "indicatoren": ", ".join(b.indicatoren),
                          "waarden": "; ".join(f"{k} = {v:.6g}" if isinstance(v, float) else f"{k} = {v}"
                                               for k, v in b.waarden.items()),
                          "bron": b.bron})
    for i, z in enumerate(s.kanttekeningen, 1):
        rijen.append({"deel": "wat deze cijfers niet zeggen", "nr": i, "soort": "kanttekening", "zin": z,
                      "indicatoren": "", "waarden": "", "bron": ""})
    return pd.DataFrame(rijen, columns=["deel", "nr", "soort", "zin", "indicatoren", "waarden", "bron"])


def met_begrippen(zin: str, begrippen_op: str = "") -> str:
    """The sentence as HTML with each term of the begrippenlijst (weergave.BEGRIPPEN) linked at its
    first occurrence: jargon is never left without its explanation (B1). ``begrippen_op``: the
    page that holds the begrippenlijst ("" = this page)."""
    uit = html.escape(zin)
    for term in sorted(weergave.BEGRIPPEN, key=len, reverse=True):
        patroon = re.compile(rf"(?<![\w>-])({re.escape(html.escape(term))})(?![\w<])", re.IGNORECASE)
        # not inside a link made for a longer term
        delen = re.split(r"(<a [^>]*>.*?</a>)", uit)
        for i, d in enumerate(delen):
            if d.startswith("<a ") or not patroon.search(d):
                continue
            delen[i] = patroon.sub(lambda m: f"<a href='{begrippen_op}#{weergave.begrip_anker(term)}'>"
                                   f"{m.group(1)}</a>", d, count=1)
            break
        uit = "".join(delen)
    return uit


def samenvatting_html(s: Samenvatting, *, hier: str | None = None, kop_niveau: int = 2,
                      begrippen_op: str = "", met_kop: bool = True) -> str:
    """The samenvatting as HTML (headings, lists, a link per sentence, jargon linked to the
    begrippenlijst). ``hier``: the page it is shown on (links into that page become in-page
    anchors); ``met_kop``: a heading of its own at ``kop_niveau`` with the parts one level
    below (in the monitor report), else the parts at ``kop_niveau`` (its own page)."""

    def link(bron: str, tekst_: str) -> str:
        if not bron:
            return ""
        # a link text that says where it goes (WCAG 2.4.4), not five times "Bekijk de cijfers"
        tekst_ = f"{tekst_}: {LINKNAMEN.get(bron, bron.split('#')[0])}"
        doel = bron.split("#", 1)[1] if hier and bron.startswith(hier + "#") else None
        href = f"#{doel}" if doel else bron
        return f" <a href='{html.escape(href, quote=True)}'>{html.escape(tekst_)}</a>"

    h = f"h{kop_niveau}"
    if met_kop:
        h2 = f"h{kop_niveau + 1}"
        delen = [f"<section class='ma-samenvatting' aria-labelledby='samenvatting-kop'>"
                 f"<{h} id='samenvatting-kop'>Samenvatting {html.escape(s.gemeente)}"
                 + (f" ({html.escape(s.periode)})" if s.periode else "") + f"</{h}>"]
    else:
        h2 = h
        delen = ["<section class='ma-samenvatting' aria-label='Samenvatting'>"]
    if s.bevindingen:
        delen.append(f"<{h2}>Wat opvalt</{h2}><ul>" + "".join(
            f"<li>{met_begrippen(b.zin, begrippen_op)}{link(b.bron, 'cijfers')}</li>" for b in s.bevindingen) + "</ul>")
    else:
        delen.append("<p>Er zijn te weinig volledige gegevens voor een samenvatting.</p>")
    delen.append(f"<{h2}>Waar is nader onderzoek aangewezen?</{h2}>")
    if s.nader_onderzoek:
        delen.append("<ul>" + "".join(f"<li>{met_begrippen(b.zin, begrippen_op)}{link(b.bron, 'lijst')}</li>"
                                       for b in s.nader_onderzoek) + "</ul>")
    else:
        delen.append("<p>Geen team wijkt zo af dat het om een gesprek vraagt.</p>")
    delen.append(f"<{h2}>Wat deze cijfers niet zeggen</{h2}><ul>"
                 + "".join(f"<li>{met_begrippen(z, begrippen_op)}</li>" for z in s.kanttekeningen) + "</ul></section>")
    return "".join(delen)

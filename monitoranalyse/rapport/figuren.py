"""Stage 4c: the figures of the reports (matplotlib/seaborn, Dutch, colour-blind safe).

Every function takes tidy frames and draws the *released* table: a table that carries
the release mark (:func:`openbaarmaking.is_vrijgegeven`, e.g. from
:func:`openbaarmaking.vrijgeven_resultaten`) is drawn as it is, any other table is released
whole first (:func:`openbaarmaking.vrijgeven`). So a figure never shows a value that the
table beside it hides. Titles, axis labels, month names and numbers are Dutch.

Every returned Figure carries ``fig.ma_alt`` (a Dutch alt text that says what the
figure shows and its main finding, generated from the data) and ``fig.ma_gegevens``
(the released numbers drawn, for the table under the figure); :func:`weergave.figuur_html`
turns both into the report's HTML. Layout rules for legibility: team labels are placed
with adjustText (no overlaps), many teams are drawn as small multiples instead of many
lines in one chart, colours come from the Okabe-Ito palette and are never reused within
one chart.
"""

from __future__ import annotations




import numpy as np
import pandas as pd

from monitoranalyse import tekst


# ---------------------------------------------------------------------------
# The final guard
# ---------------------------------------------------------------------------


# one BSN detector for the loader and this guard (all notations: spaces, dots, dashes, 8 digits)
from monitoranalyse.invoer.bsn import is_bsn  # noqa: E402,F401 - public name kept


from monitoranalyse.contract import TOTAAL
from monitoranalyse.rapport import openbaarmaking
from monitoranalyse.rapport import weergave

__all__ = [
    "lijn_per_team",
    "caseload_stromen",
    "doorlooptijd_verdeling",
    "balk_per_team",
    "kosten_maatwerk",
    "verschuiving",
    "spc_grafiek",
    "prognose",
    "funnel",
    "casemix",
    "bollen",
    "typologie",
    "zrm_per_domein",
    "KWADRANTEN",
]


def pyplot():
    """matplotlib.pyplot in the house style, imported on first use (the one lazy accessor:
    importing the package does not import matplotlib)."""
    import matplotlib.pyplot as plt

    stijl()
    return plt


def _klaar(fig, alt: str, gegevens: pd.DataFrame | None = None):
    """Attach the alt text and the numbers behind the figure; returns ``fig``."""
    fig.ma_alt = " ".join(str(alt).split())
    fig.ma_gegevens = gegevens if gegevens is not None else pd.DataFrame()
    return fig


def _vrij(tabel, config):
    """The released table (released whole when it does not carry the mark yet)."""
    return openbaarmaking.vrijgeven(tabel, config)


def _team(naam) -> str:
    return "gemeente" if naam == TOTAAL else str(naam)


def _w(v, procent: bool, decimalen: int = 0, euro: bool = False) -> str:
    """A value in an alt text or legend; an amount with "€" (issue 16: an amount of 100 million
    or more without its unit reads as a BSN written with dots)."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "niet gepubliceerd"
    if procent:
        return tekst.procent(v, decimalen)
    if euro:
        return tekst.euro(v, decimalen if abs(v) < 100 else 0)
    return tekst.getal(v, decimalen if abs(v) < 100 else 0)


def _labels_zonder_overlap(ax, teksten, punten_x, punten_y):
    """Move point labels apart with adjustText (maintained; no overlapping labels)."""
    from adjustText import adjust_text

    if len(teksten) > 1:
        adjust_text(teksten, x=np.asarray(punten_x, dtype=float), y=np.asarray(punten_y, dtype=float), ax=ax,
                    arrowprops=dict(arrowstyle="-", color="#7F7F7F", lw=0.6), expand=(1.2, 1.4))


def _intervalstrepen(ax, d, y):
    """Interval whiskers on horizontal bars, only where the interval is known."""
    heeft = (d["ondergrens"].notna() & d["bovengrens"].notna() & d["waarde"].notna()).to_numpy()
    if heeft.any():
        w = d["waarde"].to_numpy()[heeft]
        fout = np.vstack([np.clip(w - d["ondergrens"].to_numpy()[heeft], 0, None),
                          np.clip(d["bovengrens"].to_numpy()[heeft] - w, 0, None)])
        ax.errorbar(w, np.asarray(y)[heeft], xerr=fout, fmt="none", ecolor="#1d1d1b", lw=1, capsize=3)


def _kleuren(teams):
    teams = list(teams)
    kleur = {t: PALET[i % (len(PALET) - 1)] for i, t in enumerate([t for t in teams if t != TOTAAL])}
    kleur[TOTAAL] = "#1d1d1b"
    return kleur


def _geen_data(titel: str, melding: str = "geen (publiceerbare) gegevens"):
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9, 1.6))
    ax.axis("off")
    ax.text(0.0, 0.5, f"{titel}: {melding}.", fontsize=11, va="center")
    return _klaar(fig, f"{titel}: {melding}.")


def _alles_euro(d: pd.DataFrame) -> bool:
    """Whether every row of a tidy table is a euro indicator (its amounts are then written with "€")."""
    return "indicator" in d.columns and len(d) > 0 and all(weergave.is_euro(c) for c in pd.unique(d["indicator"]))


def _gegevens(d: pd.DataFrame, kolommen: dict) -> pd.DataFrame:
    """The released rows drawn, with Dutch headers (the table under a figure)."""
    uit = d[[c for c in kolommen if c in d.columns]].rename(columns=kolommen).copy()
    if "team" in uit.columns:
        uit["team"] = uit["team"].map(_team)
    uit.attrs.update(d.attrs)
    if _alles_euro(d):
        # amounts are written with "€" in the table (weergave.tabel_html; issue 16)
        uit.attrs[weergave.EURO] = [kolommen[c] for c in weergave.EENHEID_KOLOMMEN if c in kolommen and c in d.columns]
    return uit


_TIDY_GEGEVENS = {"wijkteam": "team", "periode_start": "periode", "waarde": "waarde",
                  "ondergrens": "ondergrens", "bovengrens": "bovengrens", "teller": "teller",
                  "noemer": "noemer", "reden_onderdrukking": "reden niet gepubliceerd"}


def _jaren_as(ax):
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.YearLocator())
    nl_assen(ax, x="jaar")


_GRIJS_INLOOP = "#9a9a9a"


def _markeringen(g):
    """(complete and outside the inloop, incomplete, inloop) masks of a tidy selection."""
    vol = g["volledig"].astype(bool).to_numpy() if "volledig" in g else np.ones(len(g), bool)
    il = g["inloop"].astype(bool).to_numpy() if "inloop" in g else np.zeros(len(g), bool)
    return vol & ~il, ~vol, il & vol


def _lijn(ax, g, *, color, lw=1.6, alpha=1.0, label=None, marker=None, ms=3):
    """A time series drawn so that its label holds: complete periods solid; an incomplete
    period (``volledig`` False) as an open marker joined by a dashed segment; inloop rows
    (``inloop`` True: stock still building up) grey and dotted. Never one solid line."""
    g = g.sort_values("periode_start")
    x, y = g["periode_start"].to_numpy(), g["waarde"].to_numpy(dtype=float)
    goed, onvol, il = _markeringen(g)
    ax.plot(x[goed], y[goed], color=color, lw=lw, alpha=alpha, label=label, marker=marker, ms=ms)
    if il.any():
        m = il.copy()
        na = np.flatnonzero(goed)
        if len(na):
            m[na[0]] = True  # join the inloop to the first full point
        ax.plot(x[m], y[m], color=_GRIJS_INLOOP, lw=max(lw * 0.8, 1), ls=":", marker=".", ms=4,
                alpha=alpha)
    if onvol.any():
        m = onvol.copy()
        voor = np.flatnonzero(goed & (np.arange(len(g)) < np.flatnonzero(onvol)[0]))
        if len(voor):
            m[voor[-1]] = True
        ax.plot(x[m], y[m], color=color, lw=max(lw * 0.8, 1), ls="--", alpha=alpha)
        ax.plot(x[onvol], y[onvol], "o", mfc="white", mec=color, mew=1.5, ms=6, alpha=alpha)


def _legenda_markeringen(ax, d, peildatum=None):
    """Proxy legend entries for the incomplete period and the inloop, when present."""
    from matplotlib.lines import Line2D

    _, onvol, il = _markeringen(d) if len(d) else (None, np.zeros(0, bool), np.zeros(0, bool))
    extra = []
    if onvol.any():
        tm = f" (t/m {tekst.maand_jaar(peildatum)})" if peildatum is not None else ""
        extra.append(Line2D([], [], color="#1d1d1b", ls="--", marker="o", mfc="white",
                            label=f"periode nog niet compleet{tm}"))
    if il.any():
        extra.append(Line2D([], [], color=_GRIJS_INLOOP, ls=":", marker=".",
                            label="inloop: opbouw zonder beginvoorraad"))
    return extra


def _kleine_veelvouden(d, *, titel, procent, wijzigingen=(), band=False, ylabel="", peildatum=None):
    """One small panel per team (team line in colour, the gemeente in grey in every panel)."""
    plt = pyplot()
    teams = [TOTAAL] + sorted(t for t in d["wijkteam"].unique() if t != TOTAAL)
    teams = [t for t in teams if t in set(d["wijkteam"])]
    n = len(teams)
    kol = 3 if n > 4 else max(1, n)
    rij = int(np.ceil(n / kol))
    fig, assen = plt.subplots(rij, kol, figsize=(10, 2.2 * rij + 0.6), sharex=True, sharey=True, squeeze=False)
    gem = d[d["wijkteam"] == TOTAAL].sort_values("periode_start")
    for ax, team in zip(assen.flat, teams):
        g = d[d["wijkteam"] == team].sort_values("periode_start")
        if team != TOTAAL and len(gem):
            ax.plot(gem["periode_start"], gem["waarde"], color="#7F7F7F", lw=1.2, ls="--", label="gemeente")
        kleur = "#1d1d1b" if team == TOTAAL else PALET[0]
        if band and g["ondergrens"].notna().any():
            ax.fill_between(g["periode_start"], g["ondergrens"], g["bovengrens"], color=kleur, alpha=0.15, lw=0)
        _lijn(ax, g, color=kleur, lw=2, marker="o", ms=3, label=_team(team))
        for w in wijzigingen:
            ax.axvline(pd.Timestamp(w.datum), color="#7F7F7F", ls=":", lw=1)
        ax.set_title("Gemeente" if team == TOTAAL else str(team), fontsize=10, fontweight="normal")
        _jaren_as(ax)
        nl_assen(ax, y="procent" if procent else "getal")
        ax.tick_params(labelsize=8, labelbottom=True)  # years under every panel (empty panels below)
    for ax in list(assen.flat)[n:]:
        ax.axis("off")
    if ylabel:
        for r in range(rij):
            assen[r, 0].set_ylabel(ylabel, fontsize=9)
    onder = " Stippellijn: gemeente." + (" Puntlijn: beleidswijziging." if wijzigingen else "")
    extra = _legenda_markeringen(assen.flat[0], d, peildatum)
    if extra:  # incomplete period / inloop: one legend for all panels
        fig.legend(handles=extra, loc="lower right", fontsize=8, frameon=False)
    fig.suptitle(titel, x=0.01, ha="left", fontweight="bold")
    fig.text(0.01, 0.005, "Eén paneel per team; lijn: het team." + onder, fontsize=8, color="#444")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def _alt_tijdreeks(d, titel, procent) -> str:
    euro = _alles_euro(d)
    gem = d[d["wijkteam"] == TOTAAL].dropna(subset=["waarde"]).sort_values("periode_start")
    delen = [f"{titel}, als kleine grafieken per team."]
    if len(gem) >= 2:
        a, z = gem.iloc[0], gem.iloc[-1]
        delen.append(f"De gemeente gaat van {_w(a['waarde'], procent, euro=euro)} ({tekst.periode_label(a['periode_start'], a['periode_eind'])}) "
                     f"naar {_w(z['waarde'], procent, euro=euro)} ({tekst.periode_label(z['periode_start'], z['periode_eind'])}).")
    laatste = d[(d["wijkteam"] != TOTAAL)].dropna(subset=["waarde"])
    if len(laatste):
        laatste = laatste[laatste["periode_start"] == laatste["periode_start"].max()].sort_values("waarde")
        if len(laatste) >= 2:
            lo, hi = laatste.iloc[0], laatste.iloc[-1]
            delen.append(f"In de laatste periode is {hi['wijkteam']} het hoogst ({_w(hi['waarde'], procent, euro=euro)}) "
                         f"en {lo['wijkteam']} het laagst ({_w(lo['waarde'], procent, euro=euro)}).")
    n_weg = int(d["onderdrukt"].sum()) if "onderdrukt" in d else 0
    if n_weg:
        delen.append(f"{n_weg} waarden zijn niet gepubliceerd.")
    return " ".join(delen)


def lijn_per_team(tabel, indicator, *, titel, config=None, procent=False, uitsplitsing="",
                  wijzigingen=(), teams=None, ylabel="", peildatum=None):
    """Small multiples: one panel per team with the gemeente as a reference line in each.

    (Ten lines in one chart need ten colours and a legend to decode; panels need neither.)
    An incomplete last period is drawn dashed with an open marker and an inloop grey and
    dotted (see :func:`_lijn`); ``peildatum`` names the data end in the legend.
    """
    d = _vrij(tabel, config)
    d = d[(d["indicator"] == indicator) & (d["uitsplitsing"] == uitsplitsing)]
    if teams is not None:
        d = d[d["wijkteam"].isin(list(teams) + [TOTAAL])]
    if d["waarde"].notna().sum() == 0:
        return _geen_data(titel)
    fig = _kleine_veelvouden(d, titel=titel, procent=procent, wijzigingen=wijzigingen, ylabel=ylabel,
                             peildatum=peildatum)
    fig.ma_procent = ["waarde", "ondergrens", "bovengrens"] if procent else []
    return _klaar(fig, _alt_tijdreeks(d, titel, procent), _gegevens(d, _TIDY_GEGEVENS))


def caseload_stromen(maand, *, config=None, wijkteam=TOTAAL, peildatum=None):
    """Caseload (line) with instroom and uitstroom (bars) per month for one team or the gemeente.

    Inloop months of caseload/uitstroom are grey; an incomplete last month is hatched."""
    plt = pyplot()
    d = _vrij(maand, config)
    d = d[(d["wijkteam"] == wijkteam) & (d["uitsplitsing"] == "")
          & d["indicator"].isin(["caseload", "instroom", "uitstroom"])]
    p = d.pivot_table(index="periode_start", columns="indicator", values="waarde", aggfunc="first")
    if p.empty:
        return _geen_data(f"Caseload {wijkteam}")
    fig, ax = plt.subplots()
    breedte = 12
    for naam, dx, kleur in (("instroom", -7, PALET[5]), ("uitstroom", 7, PALET[1])):
        if naam not in p:
            continue
        g = d[d["indicator"] == naam].sort_values("periode_start")
        goed, onvol, il = _markeringen(g)
        x = g["periode_start"] + pd.Timedelta(days=dx)
        kleuren = np.where(il, _GRIJS_INLOOP, kleur)
        ax.bar(x, g["waarde"], width=breedte, color=list(kleuren))
        ax.bar([], [], color=kleur, label=naam)  # legend entry in the series' own colour
        if onvol.any():
            ax.bar(x[onvol], g["waarde"][onvol], width=breedte, color="white", edgecolor=kleur, hatch="///")
    ax.set_ylabel("trajecten per maand")
    ax2 = ax.twinx()
    if "caseload" in p:
        _lijn(ax2, d[d["indicator"] == "caseload"], color=PALET[0], lw=2.2,
              label="caseload (open trajecten)")
    ax2.set_ylabel("open trajecten")
    ax2.grid(False)
    nl_assen(ax, y="getal")
    nl_assen(ax2, y="getal")
    naam = "gemeente" if wijkteam == TOTAAL else wijkteam
    ax.set_title(f"Caseload, instroom en uitstroom – {naam}")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(handles=h1 + h2 + _legenda_markeringen(ax, d, peildatum), loc="upper left", fontsize=8)
    fig.tight_layout()
    alt = f"Caseload, instroom en uitstroom per maand, {naam}."
    if "caseload" in p and p["caseload"].notna().sum() >= 2:
        c = p["caseload"].dropna()
        alt += (f" De caseload gaat van {tekst.getal(c.iloc[0])} open trajecten ({tekst.maand_jaar(c.index[0])}) "
                f"naar {tekst.getal(c.iloc[-1])} ({tekst.maand_jaar(c.index[-1])}).")
    for k in ("instroom", "uitstroom"):
        if k in p and p[k].notna().any():
            alt += f" Gemiddelde {k}: {tekst.getal(p[k].mean())} per maand."
    return _klaar(fig, alt, _gegevens(d, _TIDY_GEGEVENS | {"indicator": "indicator"}))


def doorlooptijd_verdeling(verdeling, *, termijn_dagen, titel, config=None):
    """Horizontal range plot per team: p10–p90 (thin), p25–p75 (thick), median (dot); legal term as a line."""
    plt = pyplot()
    d = _vrij(verdeling, config)
    d = d.dropna(subset=["mediaan"]) if "mediaan" in d else d.iloc[0:0]
    if d.empty:
        return _geen_data(titel)
    d = d.sort_values("mediaan")
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(d) + 1.4))
    y = np.arange(len(d))
    if {"p10", "p90"} <= set(d.columns):
        ax.hlines(y, d["p10"], d["p90"], color="#9bbcd8", lw=2)
    if {"p25", "p75"} <= set(d.columns):
        ax.hlines(y, d["p25"], d["p75"], color=PALET[0], lw=7)
    ax.plot(d["mediaan"], y, "o", color="#1d1d1b", ms=6, label="mediaan")
    ax.axvline(termijn_dagen, color=PALET[3], ls="--", lw=1.5, label=f"wettelijke termijn ({termijn_dagen} dagen)")
    ax.set_yticks(y, d["wijkteam"])
    ax.set_xlabel("dagen (dikke balk: middelste helft; dunne lijn: 10%–90%)")
    ax.set_title(titel)
    ax.legend(loc="lower right", fontsize=8)
    nl_assen(ax, x="getal")
    fig.tight_layout()
    teams = d[d["wijkteam"] != TOTAAL]
    alt = f"{titel}. Per team de mediaan met de middelste helft en 10%–90% van de doorlooptijden; termijn {termijn_dagen} dagen."
    if len(teams):
        lo, hi = teams.iloc[0], teams.iloc[-1]
        boven = teams.loc[teams["mediaan"] > termijn_dagen, "wijkteam"].tolist()
        alt += (f" Kortste mediaan: {lo['wijkteam']} ({tekst.getal(lo['mediaan'])} dagen); langste: {hi['wijkteam']} "
                f"({tekst.getal(hi['mediaan'])} dagen). "
                + (f"Mediaan boven de termijn: {', '.join(boven)}." if boven else "Geen team heeft een mediaan boven de termijn."))
    return _klaar(fig, alt, _gegevens(d, {"wijkteam": "team", "n": "aantal", "p10": "10%", "p25": "25%",
                                          "mediaan": "mediaan (dagen)", "p75": "75%", "p90": "90%"}))


def balk_per_team(tabel, indicator, *, titel, config=None, procent=True, norm=None, uitsplitsing="",
                  periode_start=None):
    """Bars per team for one period with the interval, the gemeente value and the norm as lines.

    ``periode_start``: the period to draw (default: the latest in the table).
    """
    plt = pyplot()
    euro = weergave.is_euro(indicator)
    d = _vrij(tabel, config)
    d = d[(d["indicator"] == indicator) & (d["uitsplitsing"] == uitsplitsing)]
    if len(d):
        periode_start = d["periode_start"].max() if periode_start is None else pd.Timestamp(periode_start)
        d = d[d["periode_start"] == periode_start]
    if d["waarde"].notna().sum() == 0:
        return _geen_data(titel)
    alle = d
    totaal = d.loc[d["wijkteam"] == TOTAAL, "waarde"]
    d = d[d["wijkteam"] != TOTAAL].sort_values("waarde")
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(d) + 1.6))
    y = np.arange(len(d))
    ax.barh(y, d["waarde"].fillna(0), color=[PALET[0] if pd.notna(v) else "#dddddd" for v in d["waarde"]])
    _intervalstrepen(ax, d, y)
    redenen = d["reden_onderdrukking"] if "reden_onderdrukking" in d else pd.Series("", index=d.index)
    for i, (v, r) in enumerate(zip(d["waarde"], redenen)):
        if pd.isna(v):
            ax.text(0, i, f"  niet gepubliceerd ({r or 'te klein aantal'})", va="center", fontsize=8, color="#444")
    if len(totaal) and pd.notna(totaal.iloc[0]):
        ax.axvline(totaal.iloc[0], color="#1d1d1b", lw=1.2, ls=":", label=f"gemeente ({_w(totaal.iloc[0], procent, euro=euro)})")
    if norm is not None:
        ax.axvline(norm, color=PALET[3], lw=1.5, ls="--", label=f"norm ({_w(norm, procent, euro=euro)})")
    ax.set_yticks(y, d["wijkteam"])
    ax.set_title(titel)
    nl_assen(ax, x="procent" if procent else "getal")
    if ax.get_legend_handles_labels()[0]:  # under the axis: never on the bars or the title
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.6 / (0.42 * len(d) + 1.6)), ncol=3, fontsize=8,
                  frameon=False)
    fig.tight_layout()
    gepubliceerd = d.dropna(subset=["waarde"])
    alt = f"Staafdiagram: {titel}, per team."
    if len(gepubliceerd):
        lo, hi = gepubliceerd.iloc[0], gepubliceerd.iloc[-1]
        alt += f" Hoogste: {hi['wijkteam']} ({_w(hi['waarde'], procent, euro=euro)}); laagste: {lo['wijkteam']} ({_w(lo['waarde'], procent, euro=euro)})."
    if len(totaal) and pd.notna(totaal.iloc[0]):
        alt += f" Gemeente: {_w(totaal.iloc[0], procent, euro=euro)}."
    if norm is not None:
        onder = gepubliceerd.loc[gepubliceerd["waarde"] < norm, "wijkteam"].tolist()
        alt += f" Norm {_w(norm, procent, euro=euro)}; " + (f"onder de norm: {', '.join(onder)}." if onder else "geen team onder de norm.")
    n_weg = int(d["waarde"].isna().sum())
    if n_weg:
        alt += f" {n_weg} team(s) niet gepubliceerd."
    fig.ma_procent = ["waarde", "ondergrens", "bovengrens"] if procent else []
    return _klaar(fig, alt, _gegevens(alle, _TIDY_GEGEVENS))


def kosten_maatwerk(kwartaal, *, config=None, peildatum=None):
    """Cost development of maatwerk Wmo and Jeugd (gemeente total) per quarter."""
    plt = pyplot()
    d = _vrij(kwartaal, config)
    d = d[(d["indicator"] == "kosten_maatwerk") & (d["wijkteam"] == TOTAAL)]
    d = d[d["uitsplitsing"].isin(["maatwerk_wmo", "maatwerk_jeugd"])]
    if d["waarde"].notna().sum() == 0:
        return _geen_data("Kosten maatwerk")
    fig, ax = plt.subplots()
    labels = {"maatwerk_wmo": "maatwerk Wmo", "maatwerk_jeugd": "jeugdhulp (maatwerk)"}
    alt = "Kostenontwikkeling maatwerk per kwartaal, gemeente."
    for i, (u, g) in enumerate(d.sort_values("periode_start").groupby("uitsplitsing")):
        _lijn(ax, g, marker="o", ms=3, label=labels.get(u, u), color=PALET[i])
        g = g.dropna(subset=["waarde"])
        if len(g) >= 2:
            alt += (f" {labels.get(u, u).capitalize()}: van {tekst.getal(g['waarde'].iloc[0])} euro "
                    f"({tekst.periode_label(g['periode_start'].iloc[0], g['periode_eind'].iloc[0])}) naar "
                    f"{tekst.getal(g['waarde'].iloc[-1])} euro ({tekst.periode_label(g['periode_start'].iloc[-1], g['periode_eind'].iloc[-1])}).")
    ax.set_title("Kostenontwikkeling maatwerk Wmo en Jeugd (per kwartaal)")
    ax.set_ylabel("euro per kwartaal")
    nl_assen(ax, y="getal")
    h, _ = ax.get_legend_handles_labels()
    ax.legend(handles=h + _legenda_markeringen(ax, d, peildatum), fontsize=8)
    fig.tight_layout()
    return _klaar(fig, alt, _gegevens(d, {"uitsplitsing": "soort", **_TIDY_GEGEVENS}))


def verschuiving(kwartaal, *, config=None, wijzigingen=()):
    """Share of lichte zorg per team over time (small multiples), policy changes marked.

    Give it half-year figures for teams: per quarter many team cells are too small to publish."""
    d = _vrij(kwartaal, config)
    d = d[(d["indicator"] == "aandeel_lichte_zorg") & (d["uitsplitsing"] == "")]
    if d["waarde"].notna().sum() == 0:
        return _geen_data("Aandeel lichte zorg")
    titel = "Aandeel lichte zorg in de inzet per halfjaar (band: 95%-betrouwbaarheidsinterval)"
    fig = _kleine_veelvouden(d, titel=titel, procent=True, wijzigingen=wijzigingen, band=True)
    fig.ma_procent = ["waarde", "ondergrens", "bovengrens"]
    return _klaar(fig, _alt_tijdreeks(d, "Aandeel lichte zorg in de inzet per halfjaar", True),
                  _gegevens(d, _TIDY_GEGEVENS))


def spc_grafiek(spc_tabel, indicator, wijkteam=TOTAAL, *, titel=None, procent=False, config=None):
    """NHS Making-Data-Count style chart: points, mean, process limits, signals coloured.

    Give it the released SPC table (:func:`openbaarmaking.vrijgeven_resultaten`): months that the
    monthly table withholds have no point, no limits and no signal.
    """
    plt = pyplot()
    d = _vrij(spc_tabel, config)
    d = d[(d["indicator"] == indicator) & (d["wijkteam"] == wijkteam)]
    if "uitsplitsing" in d:
        d = d[d["uitsplitsing"] == ""]
    d = d.sort_values("periode_start")
    naam = "gemeente" if wijkteam == TOTAAL else wijkteam
    titel = titel or f"SPC {weergave.indicatornaam(indicator).lower()} – {naam}"
    if d.empty or d["waarde"].notna().sum() == 0:
        return _geen_data(titel)
    fig, ax = plt.subplots(figsize=(9, 3.8))
    ax.plot(d["periode_start"], d["waarde"], color="#7F7F7F", lw=1, marker="o", ms=3.5, zorder=2)
    ax.step(d["periode_start"], d["middenlijn"], where="mid", color="#1d1d1b", lw=1.2, label="gemiddelde")
    ax.step(d["periode_start"], d["boven_procesgrens"], where="mid", color="#7F7F7F", ls="--", lw=1, label="procesgrenzen")
    ax.step(d["periode_start"], d["onder_procesgrens"], where="mid", color="#7F7F7F", ls="--", lw=1)
    kleur = {"verbetering": (PALET[0], "o"), "zorg": (PALET[3], "s"), "neutraal": (PALET[4], "D")}
    signalen = []
    for soort, (k, vorm) in kleur.items():
        sel = d[d["soort"] == soort]
        if len(sel):
            ax.plot(sel["periode_start"], sel["waarde"], vorm, color=k, ms=6, zorder=3, label=f"signaal: {soort}")
            signalen.append(f"{len(sel)} × {soort}")
    ax.set_title(titel)
    nl_assen(ax, x="maand", y="procent" if procent else "getal")
    ax.legend(fontsize=8, loc="lower left", bbox_to_anchor=(0, 1.02), ncol=4, frameon=False, borderaxespad=1.4)
    fig.tight_layout()
    m = d["middenlijn"].dropna()
    alt = f"SPC-grafiek per maand: {titel}."
    if len(m):
        alt += f" Laatste gemiddelde {_w(m.iloc[-1], procent, 1, euro=weergave.is_euro(indicator))}."
    alt += " Signalen van een speciale oorzaak: " + (", ".join(signalen) if signalen else "geen") + "."
    n_weg = int(d["waarde"].isna().sum())
    if n_weg:
        alt += f" {n_weg} maanden niet gepubliceerd."
    fig.ma_procent = ["waarde", "gemiddelde", "ondergrens", "bovengrens"] if procent else []
    return _klaar(fig, alt, _gegevens(d, {"periode_start": "maand", "waarde": "waarde", "middenlijn": "gemiddelde",
                                          "onder_procesgrens": "ondergrens", "boven_procesgrens": "bovengrens",
                                          "soort": "signaal", "reden_onderdrukking": "reden niet gepubliceerd"}))


def prognose(prognose_tabel, wijkteam=TOTAAL, *, titel=None, config=None):
    """Caseload observed and forecast with 80% and 95% prediction intervals."""
    plt = pyplot()
    d = _vrij(prognose_tabel, config)
    d = d[d["wijkteam"] == wijkteam].sort_values("periode_start")
    naam = "gemeente" if wijkteam == TOTAAL else wijkteam
    titel = titel or f"Prognose caseload – {naam}"
    if d.empty:
        return _geen_data(titel)
    fig, ax = plt.subplots(figsize=(9, 3.6))
    w = d[d["soort"] == "waarneming"]
    p = d[d["soort"] == "prognose"]
    ax.plot(w["periode_start"], w["caseload"], color="#1d1d1b", lw=1.6, label="waargenomen caseload")
    if len(p):
        ax.fill_between(p["periode_start"], p["ondergrens_95"], p["bovengrens_95"], color=PALET[0], alpha=0.15, lw=0, label="95%-voorspelinterval")
        ax.fill_between(p["periode_start"], p["ondergrens_80"], p["bovengrens_80"], color=PALET[0], alpha=0.3, lw=0, label="80%-voorspelinterval")
        ax.plot(p["periode_start"], p["caseload"], color=PALET[0], lw=2, ls="--", label="prognose")
    ax.set_title(titel)
    ax.set_ylabel("open trajecten")
    nl_assen(ax, y="getal")
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    alt = f"{titel}: waargenomen en voorspelde caseload per maand."
    wg = w.dropna(subset=["caseload"])
    if len(wg):
        alt += f" Laatst waargenomen: {tekst.getal(wg['caseload'].iloc[-1])} ({tekst.maand_jaar(wg['periode_start'].iloc[-1])})."
    if len(p):
        z = p.iloc[-1]
        alt += (f" Verwacht in {tekst.maand_jaar(z['periode_start'])}: {tekst.getal(z['caseload'])} "
                f"(95%: {tekst.getal(z['ondergrens_95'])} tot {tekst.getal(z['bovengrens_95'])}).")
    return _klaar(fig, alt, _gegevens(d, {"periode_start": "maand", "soort": "soort", "caseload": "caseload",
                                          "ondergrens_95": "ondergrens 95%", "bovengrens_95": "bovengrens 95%"}))


def funnel(funnel_tabel, indicator, *, titel=None, config=None, eenheid="team", referentie="gemeente",
           label_kolom="wijkteam"):
    """Funnel plot from :func:`vergelijking.funnel` output: teams by denominator, the gemeente
    value, and the 95% / 99.8% limits (widened for overdispersion when that was applied).

    ``eenheid``, ``referentie`` and ``label_kolom`` name what is compared (issue 15: the regio
    report draws gemeenten against the regio, labelled by the ``gemeente`` column)."""
    from monitoranalyse.analyse.vergelijking import funnel_grenzen

    plt = pyplot()
    d = _vrij(funnel_tabel, config)
    d = d[d["indicator"] == indicator]
    d = d.dropna(subset=["waarde", "noemer"]) if "waarde" in d else d.iloc[0:0]
    naam = weergave.indicatornaam(indicator)
    if d.empty:
        return _geen_data(titel or naam)
    d = d.sort_values("noemer")
    soort = str(d["type"].iloc[0]) if "type" in d else "proportie"
    procent = soort == "proportie"
    methode = str(d["methode_overspreiding"].iloc[0]) if "methode_overspreiding" in d else "geen"
    gecorrigeerd = not methode.startswith("geen") and "ondergrens_95_gecorrigeerd" in d
    doel = float(d["doel"].iloc[0])
    if procent and (doel <= 0 or doel >= 1 or d["waarde"].nunique() == 1):
        return _geen_data(titel or naam, f"alle {eenheid}s gelijk ({tekst.procent(doel)}), geen funnel nodig")
    fig, ax = plt.subplots(figsize=(8.5, 4.8))
    if procent and not gecorrigeerd:
        x = np.linspace(max(1.0, d["noemer"].min() * 0.6), d["noemer"].max() * 1.15, 200)
        g = funnel_grenzen("proportie", x, doel)
        lijnen = {k: g[k].to_numpy() for k in ("ondergrens_95", "bovengrens_95", "ondergrens_998", "bovengrens_998")}
    else:  # limits at the teams' own denominators (exactly those used for the positions)
        x = d["noemer"].to_numpy()
        suf = "_gecorrigeerd" if gecorrigeerd else ""
        lijnen = {k: d[k + suf].to_numpy() for k in ("ondergrens_95", "bovengrens_95", "ondergrens_998", "bovengrens_998")}
    for k, ls, label in (("95", "--", "95%-grens"), ("998", ":", "99,8%-grens")):
        ax.plot(x, lijnen[f"bovengrens_{k}"], color="#7F7F7F", ls=ls, lw=1, label=label)
        ax.plot(x, lijnen[f"ondergrens_{k}"], color="#7F7F7F", ls=ls, lw=1)
    ax.axhline(doel, color="#1d1d1b", lw=1.2, label=f"{referentie} ({_w(doel, procent, 1)})")
    pos = d["positie_gecorrigeerd"] if gecorrigeerd and "positie_gecorrigeerd" in d else d.get("positie")
    pos = pos.astype(str) if pos is not None else pd.Series("binnen", index=d.index)
    binnen = pos.str.startswith("binnen").to_numpy()
    ax.scatter(d.loc[binnen, "noemer"], d.loc[binnen, "waarde"], c=PALET[0], marker="o", s=40, zorder=3,
               label=f"{eenheid} binnen de grenzen")
    if (~binnen).any():
        ax.scatter(d.loc[~binnen, "noemer"], d.loc[~binnen, "waarde"], c=PALET[3], marker="D", s=48, zorder=3,
                   label=f"{eenheid} buiten de grenzen")
    teksten = [ax.text(r["noemer"], r["waarde"], str(r[label_kolom]).replace("Wijkteam ", ""), fontsize=8)
               for _, r in d.iterrows()]
    _labels_zonder_overlap(ax, teksten, d["noemer"], d["waarde"])
    ax.set_xlabel(f"aantal in de noemer (grootte van de {eenheid})" if eenheid == "gemeente"
                  else f"aantal in de noemer (grootte van het {eenheid})")
    extra = " – grenzen verbreed voor overspreiding" if gecorrigeerd else ""
    ax.set_title((titel or naam) + extra)
    nl_assen(ax, x="getal")
    # a narrow range of rates (per 1.000 inwoners) needs a decimal, or ticks repeat ("12, 12")
    smal = not procent and float(np.nanmax(list(lijnen.values())) - np.nanmin(list(lijnen.values()))) < 10
    nl_assen(ax, y="procent" if procent else "getal", decimalen=1 if smal else 0)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    jaar = ""
    if "periode_start" in d:
        jaar = " " + tekst.periode_label(d["periode_start"].iloc[0], d["periode_eind"].iloc[0]) if "periode_eind" in d else ""
    buiten = [f"{r[label_kolom]} {_w(r['waarde'], procent)} ligt {'boven' if 'boven' in str(p_) else 'onder'} de "
              f"{'99,8%' if '99,8' in str(p_) else '95%'}-grens"
              for (_, r), p_ in zip(d.iterrows(), pos) if not str(p_).startswith("binnen")]
    alt = f"Funnelplot {naam.lower()}{jaar}: {referentie} {_w(doel, procent, 1)}."
    alt += (" " + "; ".join(buiten) + f"; de andere {eenheid}s liggen binnen de grenzen."
            if buiten else f" Alle {eenheid}s liggen binnen de grenzen van toeval.")
    if gecorrigeerd:
        alt += f" De grenzen zijn verbreed omdat de {eenheid}s meer verschillen dan toeval verklaart."
    fig.ma_procent = ["waarde"] if procent else []
    return _klaar(fig, alt, _gegevens(d, {label_kolom: "team" if label_kolom == "wijkteam" else eenheid,
                                          "teller": "teller", "noemer": "noemer", "waarde": "waarde",
                                          "positie_gecorrigeerd" if gecorrigeerd else "positie": "positie"}))


def casemix(casemix_tabel, uitkomst, *, titel=None, config=None):
    """Observed/expected per team with exact Poisson interval, unadjusted ratio alongside."""
    from matplotlib.ticker import MaxNLocator

    plt = pyplot()
    d = _vrij(casemix_tabel, config)
    d = d[d["uitkomst"] == uitkomst]
    d = d.dropna(subset=["ratio"]) if "ratio" in d else d.iloc[0:0]
    titel = titel or uitkomst.replace("_", " ")
    if d.empty:
        return _geen_data(titel)
    d = d.sort_values("ratio")
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(d) + 1.8))
    y = np.arange(len(d))
    if {"ondergrens", "bovengrens"} <= set(d.columns):
        ax.hlines(y, d["ondergrens"], d["bovengrens"], color=PALET[0], lw=2)
    ax.plot(d["ratio"], y, "o", color=PALET[0], label="na correctie voor case-mix (W/V)")
    if "ratio_ongecorrigeerd" in d:
        ax.plot(d["ratio_ongecorrigeerd"], y, "x", color=PALET[1], ms=8, mew=2, label="zonder correctie")
    ax.axvline(1, color="#1d1d1b", lw=1)
    ax.set_yticks(y, d["wijkteam"])
    ax.set_xlabel("waargenomen / verwacht (1 = zoals verwacht)")
    ax.set_title(titel)
    # ticks at round steps (0,1 / 0,2 / 0,25 / 0,5) with as many decimals as the step needs
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    stap = np.diff(ax.get_xticks()[:2])[0] if len(ax.get_xticks()) > 1 else 0.1
    nl_assen(ax, x="getal", decimalen=int(max(0, -np.floor(np.log10(stap)) + (1 if round(stap / 10 ** np.floor(np.log10(stap)), 1) == 2.5 else 0))))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0, -1.1 / (0.42 * len(d) + 1.8)), ncol=2, frameon=False)
    fig.tight_layout()
    pos = d["positie"].astype(str) if "positie" in d else pd.Series("", index=d.index)
    boven = d.loc[pos.str.startswith("boven").to_numpy(), "wijkteam"].tolist()
    onder = d.loc[pos.str.startswith("onder").to_numpy(), "wijkteam"].tolist()
    alt = (f"{titel}: per team de verhouding waargenomen/verwacht na correctie voor de kenmerken van de cliënten. "
           + (f"Meer dan verwacht: {', '.join(boven)}. " if boven else "")
           + (f"Minder dan verwacht: {', '.join(onder)}. " if onder else "")
           + ("De andere teams liggen binnen de grenzen van toeval." if boven or onder else "Alle teams liggen binnen de grenzen van toeval."))
    return _klaar(fig, alt, _gegevens(d, {"wijkteam": "team", "n": "aantal", "waargenomen": "waargenomen",
                                          "verwacht": "verwacht", "ratio": "W/V", "ondergrens": "ondergrens",
                                          "bovengrens": "bovengrens", "ratio_ongecorrigeerd": "W/V zonder correctie"}))


def bollen(bollen_tabel, *, config=None):
    """Heatmap of rapportcijfers per team x dimension (bollen-model), with the all-teams mean."""
    plt = pyplot()
    import seaborn as sns

    d = _vrij(bollen_tabel, config)
    if d.empty or "gemiddelde" not in d:
        return _geen_data("Bollen-model")
    if "respondent" not in d:
        d = d.assign(respondent="alle")
    groepen = [r for r in ("medewerker", "client", "partner", "alle") if r in set(d["respondent"])]
    namen = {"medewerker": "medewerkers", "client": "cliënten", "partner": "partners", "alle": "alle respondenten"}
    teams = sorted(d["wijkteam"].unique())
    fig, assen = plt.subplots(1, len(groepen), figsize=(3.6 * len(groepen) + 1.5, 0.42 * len(teams) + 2.0),
                              sharey=True, squeeze=False)
    for i, (ax, r) in enumerate(zip(assen[0], groepen)):
        g = d[d["respondent"] == r]
        p = g.pivot_table(index="wijkteam", columns="dimensie", values="gemiddelde", aggfunc="first").reindex(teams)
        p = p[[c for c in ("hulp", "geld", "klant", "wijk", "team") if c in p.columns]]
        afw = g.pivot_table(index="wijkteam", columns="dimensie", values="afwijkend", aggfunc="first").reindex(
            index=p.index, columns=p.columns) if "afwijkend" in g else None
        label = p.map(lambda v: "•" if pd.isna(v) else tekst.getal(v, 1))
        if afw is not None:
            label = label.where(~afw.fillna(False).astype(bool), label + "*")
        sns.heatmap(p, annot=label, fmt="", cmap="RdBu", vmin=4, vmax=9, center=6.5, cbar=i == len(groepen) - 1,
                    cbar_kws={"label": "rapportcijfer"}, ax=ax, linewidths=0.5)
        ax.set_title(namen[r], fontsize=10)
        ax.set_xlabel("")
        ax.set_ylabel("")
    fig.suptitle("Bollen-model: rapportcijfer per dimensie (* = wijkt af van de andere teams, buiten toeval; "
                 "• = te weinig respondenten)",
                 x=0.01, ha="left", fontweight="bold", fontsize=10)
    fig.tight_layout()
    afwijkend = d[d.get("afwijkend", pd.Series(False, index=d.index)).fillna(False).astype(bool)] if "afwijkend" in d else d.iloc[0:0]
    alt = "Heatmap van de rapportcijfers per team en dimensie van het bollen-model, per groep respondenten."
    if len(afwijkend):
        alt += " Afwijkend van de andere teams: " + "; ".join(
            f"{r['wijkteam']}, {r['dimensie']} ({namen.get(r['respondent'], r['respondent'])}): {tekst.getal(r['gemiddelde'], 1)}"
            for _, r in afwijkend.iterrows()) + "."
    else:
        alt += " Geen team wijkt buiten toeval af."
    return _klaar(fig, alt, _gegevens(d, {"wijkteam": "team", "respondent": "respondenten", "dimensie": "dimensie",
                                          "n": "aantal", "gemiddelde": "rapportcijfer", "afwijkend": "wijkt af"}))


#: The four quadrants of the typology: (zwaar, zelf doen) -> name. The two axes follow
#: Radar/Stade (DOMAIN.md); the short names are ours, a plain-Dutch handle for each quadrant.
KWADRANTEN = {
    (True, True): "Specialist: zware problematiek, veel zelf",
    (True, False): "Regisseur: zware problematiek, verwijst vaak",
    (False, True): "Generalist: lichte problematiek, veel zelf",
    (False, False): "Loket: lichte problematiek, verwijst vaak",
}


def typologie(typ, *, config=None):
    """Team typology (Radar/Stade): severity of problems vs doing-or-referring, named quadrants."""
    plt = pyplot()
    d = _vrij(typ, config)
    xk = next((c for c in ("zwaarte", "as_zwaarte") if c in d), None)
    yk = next((c for c in ("doen_verwijzen", "verwijzen", "as_verwijzen") if c in d), None)
    if d.empty or xk is None or yk is None:
        return _geen_data("Typologie")
    d = d.dropna(subset=[xk, yk])
    if d.empty:
        return _geen_data("Typologie")
    fig, ax = plt.subplots(figsize=(8.5, 6))
    grens = max(1.0, float(np.nanmax(np.abs(d[[xk, yk]].to_numpy()))) * 1.25)
    ax.set_xlim(-grens, grens)
    ax.set_ylim(-grens, grens)
    ax.axhline(0, color="#7F7F7F", lw=1)
    ax.axvline(0, color="#7F7F7F", lw=1)
    for (zwaar, zelf), naam in KWADRANTEN.items():
        ax.text(0.98 * grens if zwaar else -0.98 * grens, 0.97 * grens if zelf else -0.97 * grens, naam,
                ha="right" if zwaar else "left", va="top" if zelf else "bottom", fontsize=9, color="#444",
                fontstyle="italic")
    ax.scatter(d[xk], d[yk], s=60, color=PALET[0], zorder=3)
    teksten = [ax.text(r[xk], r[yk], str(r["wijkteam"]).replace("Wijkteam ", ""), fontsize=9)
               for _, r in d.iterrows()]
    _labels_zonder_overlap(ax, teksten, d[xk], d[yk])
    ax.set_xlabel("Zwaarte van de problematiek (standaardscore; 0 = gemiddelde van de teams)\n"
                  "← lichter                                                    zwaarder →", fontsize=9)
    ax.set_ylabel("Doen of verwijzen (standaardscore)\n← verwijst vaker naar maatwerk      doet meer zelf →",
                  fontsize=9)
    ax.set_title("Typologie van de teams (naar Radar/Stade)")
    fig.tight_layout()
    per = {}
    for _, r in d.iterrows():
        per.setdefault(KWADRANTEN[(r[xk] >= 0, r[yk] >= 0)].split(":")[0], []).append(str(r["wijkteam"]))
    alt = ("Spreidingsdiagram: elk team naar zwaarte van de problematiek (horizontaal) en doen of verwijzen "
           "(verticaal), in vier kwadranten. " + "; ".join(f"{k}: {', '.join(v)}" for k, v in sorted(per.items())) + ".")
    return _klaar(fig, alt, _gegevens(d, {"wijkteam": "team", xk: "zwaarte (standaardscore)",
                                          yk: "doen/verwijzen (standaardscore)", "kwadrant": "kwadrant"}))


def zrm_per_domein(tabel, *, config=None, periode_start=None):
    """Mean ZRM change per domain (gemeente total, one period): one compact bar chart."""
    plt = pyplot()
    d = _vrij(tabel, config)
    d = d[(d["indicator"] == "zrm_verandering") & (d["wijkteam"] == TOTAAL) & (d["uitsplitsing"] != "")]
    titel = "Gemiddelde verandering van de ZRM-score per domein (eerste tot laatste meting)"
    if len(d):
        periode_start = d["periode_start"].max() if periode_start is None else pd.Timestamp(periode_start)
        d = d[d["periode_start"] == periode_start]
    if d["waarde"].notna().sum() == 0:
        return _geen_data(titel)
    d = d.sort_values("waarde")
    fig, ax = plt.subplots(figsize=(9, 0.36 * len(d) + 1.6))
    y = np.arange(len(d))
    kleur = [PALET[0] if v >= 0 else PALET[3] for v in d["waarde"].fillna(0)]
    ax.barh(y, d["waarde"].fillna(0), color=kleur)
    _intervalstrepen(ax, d, y)
    ax.axvline(0, color="#1d1d1b", lw=1)
    ax.set_yticks(y, [str(u).replace("_", " ") for u in d["uitsplitsing"]])
    ax.set_xlabel("verandering in punten op de schaal 1–5 (positief = zelfredzamer)")
    per = tekst.periode_label(d["periode_start"].iloc[0], d["periode_eind"].iloc[0])
    ax.set_title(f"{titel}, {per}", fontsize=11)
    nl_assen(ax, x="getal", decimalen=2)
    fig.tight_layout()
    g = d.dropna(subset=["waarde"])
    alt = f"Staafdiagram: {titel}, gemeente, {per}."
    if len(g):
        alt += (f" Grootste vooruitgang: {str(g['uitsplitsing'].iloc[-1]).replace('_', ' ')} "
                f"({tekst.getal(g['waarde'].iloc[-1], 2, teken=True)}); kleinste: "
                f"{str(g['uitsplitsing'].iloc[0]).replace('_', ' ')} ({tekst.getal(g['waarde'].iloc[0], 2, teken=True)}).")
    return _klaar(fig, alt, _gegevens(d, {"uitsplitsing": "domein", **_TIDY_GEGEVENS}))


#: Okabe-Ito colour-blind-safe palette (blue, orange, bluish green, vermillion,
#: reddish purple, sky blue, yellow, grey).
PALET = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#7F7F7F"]


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


# Public names for the other figure modules (issue 15, rapport/regiorapport.py): the same
# drawing rules (incomplete period dashed with an open marker, inloop grey and dotted).
tijdreeks_lijn = _lijn
legenda_onvolledig = _legenda_markeringen
figuur_klaar = _klaar
geen_gegevens = _geen_data
intervalstrepen = _intervalstrepen

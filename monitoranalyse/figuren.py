"""Stage 4c: the figures of the reports (matplotlib/seaborn, Dutch, colour-blind safe).

Every function takes tidy frames, passes them through :func:`render.vrijgeven`
first (so a figure can never show a suppressed cell) and returns the matplotlib
Figure. Titles, axis labels, month names and numbers are Dutch.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import render, tekst
from .contract import TOTAAL

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
]


def _plt():
    import matplotlib.pyplot as plt

    render.stijl()
    return plt


def _kleuren(teams):
    teams = list(teams)
    kleur = {t: render.PALET[i % (len(render.PALET) - 1)] for i, t in enumerate([t for t in teams if t != TOTAAL])}
    kleur[TOTAAL] = "#1d1d1b"
    return kleur


def _geen_data(titel: str):
    plt = _plt()
    fig, ax = plt.subplots(figsize=(9, 1.6))
    ax.axis("off")
    ax.text(0.0, 0.5, f"{titel}: geen (publiceerbare) gegevens.", fontsize=11, va="center")
    return fig


def _jaren_as(ax):
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.YearLocator())
    render.nl_assen(ax, x="jaar")


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


def lijn_per_team(tabel, indicator, *, titel, config=None, procent=False, uitsplitsing="",
                  wijzigingen=(), teams=None, ylabel="", peildatum=None):
    """One line per team (the gemeente level in black, thicker, labelled "gemeente") over time.

    An incomplete last period is drawn dashed with an open marker and an inloop grey and
    dotted (see :func:`_lijn`); ``peildatum`` names the data end in the legend."""
    plt = _plt()
    d = render.vrijgeven(tabel[(tabel["indicator"] == indicator) & (tabel["uitsplitsing"] == uitsplitsing)], config)
    if teams is not None:
        d = d[d["wijkteam"].isin(list(teams) + [TOTAAL])]
    if d["waarde"].notna().sum() == 0:
        return _geen_data(titel)
    fig, ax = plt.subplots()
    kleur = _kleuren(sorted(d["wijkteam"].unique()))
    for team, g in d.sort_values("periode_start").groupby("wijkteam"):
        _lijn(ax, g, label="gemeente" if team == TOTAAL else team, color=kleur[team],
              lw=2.6 if team == TOTAAL else 1.3, alpha=1 if team == TOTAAL else 0.85)
    for w in wijzigingen:
        ax.axvline(pd.Timestamp(w.datum), color="#7F7F7F", ls="--", lw=1)
        ax.annotate(w.label, (pd.Timestamp(w.datum), 1), xycoords=("data", "axes fraction"),
                    xytext=(3, -12), textcoords="offset points", fontsize=8, color="#555")
    ax.set_title(titel)
    ax.set_xlabel("")
    ax.set_ylabel(ylabel)
    render.nl_assen(ax, y="procent" if procent else "getal")
    h, _ = ax.get_legend_handles_labels()
    ax.legend(handles=h + _legenda_markeringen(ax, d, peildatum), loc="center left",
              bbox_to_anchor=(1.0, 0.5), fontsize=8)
    fig.tight_layout()
    return fig


def caseload_stromen(maand, *, config=None, wijkteam=TOTAAL, peildatum=None):
    """Caseload (line) with instroom and uitstroom (bars) per month for one team or the gemeente.

    Inloop months of caseload/uitstroom are grey; an incomplete last month is hatched."""
    plt = _plt()
    d = render.vrijgeven(maand[(maand["wijkteam"] == wijkteam) & (maand["uitsplitsing"] == "")
                               & maand["indicator"].isin(["caseload", "instroom", "uitstroom"])], config)
    p = d.pivot_table(index="periode_start", columns="indicator", values="waarde", aggfunc="first")
    if p.empty:
        return _geen_data(f"Caseload {wijkteam}")
    fig, ax = plt.subplots()
    breedte = 12
    for naam, dx, kleur in (("instroom", -7, render.PALET[5]), ("uitstroom", 7, render.PALET[1])):
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
        _lijn(ax2, d[d["indicator"] == "caseload"], color=render.PALET[0], lw=2.2,
              label="caseload (open trajecten)")
    ax2.set_ylabel("open trajecten")
    ax2.grid(False)
    render.nl_assen(ax, y="getal")
    render.nl_assen(ax2, y="getal")
    naam = "gemeente" if wijkteam == TOTAAL else wijkteam
    ax.set_title(f"Caseload, instroom en uitstroom – {naam}")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(handles=h1 + h2 + _legenda_markeringen(ax, d, peildatum), loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def doorlooptijd_verdeling(verdeling, *, termijn_dagen, titel, config=None):
    """Horizontal range plot per team: p10–p90 (thin), p25–p75 (thick), median (dot); legal term as a line."""
    plt = _plt()
    d = render.vrijgeven(verdeling, config)
    d = d.dropna(subset=["mediaan"]) if "mediaan" in d else d.iloc[0:0]
    if d.empty:
        return _geen_data(titel)
    d = d.sort_values("mediaan")
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(d) + 1.4))
    y = np.arange(len(d))
    if {"p10", "p90"} <= set(d.columns):
        ax.hlines(y, d["p10"], d["p90"], color="#9bbcd8", lw=2)
    if {"p25", "p75"} <= set(d.columns):
        ax.hlines(y, d["p25"], d["p75"], color=render.PALET[0], lw=7)
    ax.plot(d["mediaan"], y, "o", color="#1d1d1b", ms=6, label="mediaan")
    ax.axvline(termijn_dagen, color=render.PALET[3], ls="--", lw=1.5, label=f"wettelijke termijn ({termijn_dagen} dagen)")
    ax.set_yticks(y, d["wijkteam"])
    ax.set_xlabel("dagen (dikke balk: middelste helft; dunne lijn: 10%–90%)")
    ax.set_title(titel)
    ax.legend(loc="lower right", fontsize=8)
    render.nl_assen(ax, x="getal")
    fig.tight_layout()
    return fig


def balk_per_team(tabel, indicator, *, titel, config=None, procent=True, norm=None, uitsplitsing=""):
    """Bars per team for one period with the interval and the gemeente value/norm as lines."""
    plt = _plt()
    d = render.vrijgeven(tabel[(tabel["indicator"] == indicator) & (tabel["uitsplitsing"] == uitsplitsing)], config)
    if d["waarde"].notna().sum() == 0:
        return _geen_data(titel)
    totaal = d.loc[d["wijkteam"] == TOTAAL, "waarde"]
    d = d[d["wijkteam"] != TOTAAL].sort_values("waarde")
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(d) + 1.4))
    y = np.arange(len(d))
    ax.barh(y, d["waarde"].fillna(0), color=[render.PALET[0] if pd.notna(v) else "#dddddd" for v in d["waarde"]])
    fout = np.vstack([(d["waarde"] - d["ondergrens"]).clip(lower=0), (d["bovengrens"] - d["waarde"]).clip(lower=0)])
    ax.errorbar(d["waarde"], y, xerr=np.nan_to_num(fout), fmt="none", ecolor="#1d1d1b", lw=1, capsize=3)
    for i, v in enumerate(d["waarde"]):
        if pd.isna(v):
            ax.text(0, i, "  niet gepubliceerd (klein aantal)", va="center", fontsize=8, color="#555")
    if len(totaal) and pd.notna(totaal.iloc[0]):
        ax.axvline(totaal.iloc[0], color="#1d1d1b", lw=1.2, ls=":", label="gemeente")
    if norm is not None:
        ax.axvline(norm, color=render.PALET[3], lw=1.5, ls="--", label="norm")
    ax.set_yticks(y, d["wijkteam"])
    ax.set_title(titel)
    render.nl_assen(ax, x="procent" if procent else "getal")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def kosten_maatwerk(kwartaal, *, config=None, peildatum=None):
    """Cost development of maatwerk Wmo and Jeugd (gemeente total) per quarter."""
    plt = _plt()
    d = render.vrijgeven(kwartaal[(kwartaal["indicator"] == "kosten_maatwerk") & (kwartaal["wijkteam"] == TOTAAL)], config)
    d = d[d["uitsplitsing"].isin(["maatwerk_wmo", "maatwerk_jeugd"])]
    if d["waarde"].notna().sum() == 0:
        return _geen_data("Kosten maatwerk")
    fig, ax = plt.subplots()
    labels = {"maatwerk_wmo": "maatwerk Wmo", "maatwerk_jeugd": "jeugdhulp (maatwerk)"}
    for i, (u, g) in enumerate(d.sort_values("periode_start").groupby("uitsplitsing")):
        _lijn(ax, g, marker="o", ms=3, label=labels.get(u, u), color=render.PALET[i])
    ax.set_title("Kostenontwikkeling maatwerk Wmo en Jeugd (per kwartaal)")
    ax.set_ylabel("euro")
    render.nl_assen(ax, y="getal")
    h, _ = ax.get_legend_handles_labels()
    ax.legend(handles=h + _legenda_markeringen(ax, d, peildatum), fontsize=8)
    fig.tight_layout()
    return fig


def verschuiving(kwartaal, *, config=None, wijzigingen=()):
    """Share of lichte zorg per team over time (small multiples), policy changes marked.

    Give it half-year figures for teams: per quarter many team cells are too small to publish."""
    plt = _plt()
    d = render.vrijgeven(kwartaal[(kwartaal["indicator"] == "aandeel_lichte_zorg") & (kwartaal["uitsplitsing"] == "")], config)
    if d["waarde"].notna().sum() == 0:
        return _geen_data("Aandeel lichte zorg")
    teams = [TOTAAL] + sorted(t for t in d["wijkteam"].unique() if t != TOTAAL)
    n = len(teams)
    kol = 3
    rij = int(np.ceil(n / kol))
    fig, assen = plt.subplots(rij, kol, figsize=(10, 2.3 * rij), sharex=True, sharey=True, squeeze=False)
    for ax, team in zip(assen.flat, teams):
        g = d[d["wijkteam"] == team].sort_values("periode_start")
        ax.fill_between(g["periode_start"], g["ondergrens"], g["bovengrens"], color=render.PALET[2], alpha=0.2, lw=0)
        _lijn(ax, g, color=render.PALET[2] if team != TOTAAL else "#1d1d1b", lw=1.8)
        for w in wijzigingen:
            ax.axvline(pd.Timestamp(w.datum), color="#7F7F7F", ls="--", lw=1)
        ax.set_title("Gemeente" if team == TOTAAL else team, fontsize=10)
        _jaren_as(ax)
        render.nl_assen(ax, y="procent")
    for ax in list(assen.flat)[n:]:
        ax.axis("off")
    fig.suptitle("Aandeel lichte zorg in de inzet per halfjaar (band: 95%-betrouwbaarheidsinterval)", x=0.01,
                 ha="left", fontweight="bold")
    fig.tight_layout()
    return fig


def spc_grafiek(spc_tabel, indicator, wijkteam=TOTAAL, *, titel=None, procent=False, config=None):
    """NHS Making-Data-Count style chart: points, mean, process limits, signals coloured."""
    plt = _plt()
    d = spc_tabel[(spc_tabel["indicator"] == indicator) & (spc_tabel["wijkteam"] == wijkteam)]
    if "uitsplitsing" in d:
        d = d[d["uitsplitsing"] == ""]
    d = d.sort_values("periode_start")
    if d.empty:
        return _geen_data(titel or indicator)
    fig, ax = plt.subplots(figsize=(9, 3.6))
    ax.plot(d["periode_start"], d["waarde"], color="#7F7F7F", lw=1, marker="o", ms=3.5, zorder=2)
    ax.step(d["periode_start"], d["middenlijn"], where="mid", color="#1d1d1b", lw=1.2, label="gemiddelde")
    ax.step(d["periode_start"], d["boven_procesgrens"], where="mid", color="#7F7F7F", ls="--", lw=1, label="procesgrenzen")
    ax.step(d["periode_start"], d["onder_procesgrens"], where="mid", color="#7F7F7F", ls="--", lw=1)
    kleur = {"verbetering": render.PALET[0], "zorg": render.PALET[1], "neutraal": render.PALET[4]}
    for soort, k in kleur.items():
        s = d[d["soort"] == soort]
        if len(s):
            ax.plot(s["periode_start"], s["waarde"], "o", color=k, ms=6, zorder=3, label=f"signaal: {soort}")
    naam = "gemeente" if wijkteam == TOTAAL else wijkteam
    ax.set_title(titel or f"{indicator.replace('_', ' ')} – {naam}")
    render.nl_assen(ax, y="procent" if procent else "getal")
    ax.legend(fontsize=8, loc="upper left", ncol=3)
    fig.tight_layout()
    return fig


def prognose(prognose_tabel, wijkteam=TOTAAL, *, titel=None):
    """Caseload observed and forecast with 80% and 95% prediction intervals."""
    plt = _plt()
    d = prognose_tabel[prognose_tabel["wijkteam"] == wijkteam].sort_values("periode_start")
    if d.empty:
        return _geen_data(titel or "Prognose caseload")
    fig, ax = plt.subplots(figsize=(9, 3.6))
    w = d[d["soort"] == "waarneming"]
    p = d[d["soort"] == "prognose"]
    ax.plot(w["periode_start"], w["caseload"], color="#1d1d1b", lw=1.6, label="waargenomen caseload")
    if len(p):
        ax.fill_between(p["periode_start"], p["ondergrens_95"], p["bovengrens_95"], color=render.PALET[0], alpha=0.15, lw=0, label="95%-voorspelinterval")
        ax.fill_between(p["periode_start"], p["ondergrens_80"], p["bovengrens_80"], color=render.PALET[0], alpha=0.3, lw=0, label="80%-voorspelinterval")
        ax.plot(p["periode_start"], p["caseload"], color=render.PALET[0], lw=2, ls="--", label="prognose")
    naam = "gemeente" if wijkteam == TOTAAL else wijkteam
    ax.set_title(titel or f"Prognose caseload – {naam}")
    ax.set_ylabel("open trajecten")
    render.nl_assen(ax, y="getal")
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def funnel(funnel_tabel, indicator, *, titel=None, config=None):
    """Funnel plot from :func:`vergelijking.funnel` output: teams by denominator, the gemeente
    value, and the 95% / 99.8% limits (widened for overdispersion when that was applied)."""
    from .vergelijking import funnel_grenzen

    plt = _plt()
    d = render.vrijgeven(funnel_tabel[funnel_tabel["indicator"] == indicator], config)
    d = d.dropna(subset=["waarde", "noemer"]) if "waarde" in d else d.iloc[0:0]
    if d.empty:
        return _geen_data(titel or indicator)
    d = d.sort_values("noemer")
    soort = str(d["type"].iloc[0]) if "type" in d else "proportie"
    procent = soort == "proportie"
    methode = str(d["methode_overspreiding"].iloc[0]) if "methode_overspreiding" in d else "geen"
    gecorrigeerd = not methode.startswith("geen") and "ondergrens_95_gecorrigeerd" in d
    doel = float(d["doel"].iloc[0])
    if procent and (doel <= 0 or doel >= 1 or d["waarde"].nunique() == 1):
        return _geen_data(f"{titel or render.indicatornaam(indicator)} – alle teams gelijk ({tekst.procent(doel)}), "
                          "geen funnel nodig")
    fig, ax = plt.subplots(figsize=(8, 4.4))
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
    ax.axhline(doel, color="#1d1d1b", lw=1.2, label="gemeente")
    pos = d["positie_gecorrigeerd"] if gecorrigeerd and "positie_gecorrigeerd" in d else d.get("positie")
    kleur = np.where(pos.astype(str).str.startswith("binnen"), render.PALET[0], render.PALET[3]) if pos is not None else render.PALET[0]
    ax.scatter(d["noemer"], d["waarde"], c=kleur, s=40, zorder=3)
    for _, r in d.iterrows():
        ax.annotate(str(r["wijkteam"]).replace("Wijkteam ", ""), (r["noemer"], r["waarde"]), xytext=(4, 3),
                    textcoords="offset points", fontsize=8)
    ax.set_xlabel("aantal (noemer)")
    naam = render.indicatornaam(indicator)
    extra = " – grenzen verbreed voor overspreiding" if gecorrigeerd else ""
    ax.set_title((titel or naam) + extra)
    render.nl_assen(ax, x="getal", y="procent" if procent else "getal")
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    return fig


def casemix(casemix_tabel, uitkomst, *, titel=None, config=None):
    """Observed/expected per team with exact Poisson interval, unadjusted ratio alongside."""
    plt = _plt()
    d = render.vrijgeven(casemix_tabel[casemix_tabel["uitkomst"] == uitkomst], config)
    d = d.dropna(subset=["ratio"]) if "ratio" in d else d.iloc[0:0]
    if d.empty:
        return _geen_data(titel or uitkomst)
    d = d.sort_values("ratio")
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(d) + 1.5))
    y = np.arange(len(d))
    if {"ratio_ondergrens", "ratio_bovengrens"} <= set(d.columns):
        ax.hlines(y, d["ratio_ondergrens"], d["ratio_bovengrens"], color=render.PALET[0], lw=2)
    ax.plot(d["ratio"], y, "o", color=render.PALET[0], label="na correctie voor case-mix (W/V)")
    if "ratio_ongecorrigeerd" in d:
        ax.plot(d["ratio_ongecorrigeerd"], y, "x", color=render.PALET[1], label="zonder correctie")
    ax.axvline(1, color="#1d1d1b", lw=1)
    ax.set_yticks(y, d["wijkteam"])
    ax.set_xlabel("waargenomen / verwacht (1 = zoals verwacht)")
    ax.set_title(titel or uitkomst.replace("_", " "))
    render.nl_assen(ax, x="getal", decimalen=1)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def bollen(bollen_tabel, *, config=None):
    """Heatmap of rapportcijfers per team x dimension (bollen-model), with the all-teams mean."""
    plt = _plt()
    import seaborn as sns

    d = render.vrijgeven(bollen_tabel, config)
    if d.empty or "gemiddelde" not in d:
        return _geen_data("Bollen-model")
    if "respondent" not in d:
        d = d.assign(respondent="alle")
    groepen = [r for r in ("medewerker", "client", "partner", "alle") if r in set(d["respondent"])]
    namen = {"medewerker": "medewerkers", "client": "cliënten", "partner": "partners", "alle": "alle respondenten"}
    teams = sorted(d["wijkteam"].unique())
    fig, assen = plt.subplots(1, len(groepen), figsize=(3.6 * len(groepen) + 1.5, 0.42 * len(teams) + 1.8),
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
                 x=0.01, ha="left", fontweight="bold")
    fig.tight_layout()
    return fig


def typologie(typ, *, config=None):
    """Team typology (Radar/Stade): severity of problems vs doing-or-referring."""
    plt = _plt()
    d = render.vrijgeven(typ, config)
    xk = next((c for c in ("zwaarte", "as_zwaarte") if c in d), None)
    yk = next((c for c in ("doen_verwijzen", "verwijzen", "as_verwijzen") if c in d), None)
    if d.empty or xk is None or yk is None:
        return _geen_data("Typologie")
    fig, ax = plt.subplots(figsize=(7, 5))
    ax.scatter(d[xk], d[yk], s=60, color=render.PALET[0])
    for _, r in d.iterrows():
        ax.annotate(str(r["wijkteam"]).replace("Wijkteam ", ""), (r[xk], r[yk]), xytext=(5, 3), textcoords="offset points", fontsize=9)
    ax.axhline(0, color="#7F7F7F", lw=1)
    ax.axvline(0, color="#7F7F7F", lw=1)
    ax.set_xlabel("← lichtere problematiek      zwaardere problematiek →")
    ax.set_ylabel("← vooral verwijzen naar maatwerk      vooral zelf / lichte inzet →")
    ax.set_title("Typologie van de teams (naar Radar/Stade)")
    fig.tight_layout()
    return fig

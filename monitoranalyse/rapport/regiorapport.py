"""Stage 4: what the regio report shows (issue 15) — release, tables and figures.

The computation is :mod:`monitoranalyse.analyse.regio`; this module is its render boundary:

* :func:`vrijgeven_regio` releases every gemeente's WHOLE tidy table with
  :func:`openbaarmaking.vrijgeven` (so secondary suppression sees the teams behind a gemeente
  total, exactly as in the gemeente's own report) and keeps the gemeente level. Funnels
  follow that visibility (:func:`openbaarmaking.volg_onderdrukking`). The drempel is the
  highest of the gemeenten in the regio (:func:`regio_config`): a regio report never shows a
  number that one of its gemeenten would withhold.
* :func:`kerncijfers` — the key figures side by side; :func:`kerncijfers_figuur`,
  :func:`verschuiving_per_gemeente` (small multiples) and :func:`funnel` — figures with
  ``ma_alt`` and ``ma_gegevens`` like :mod:`monitoranalyse.rapport.figuren`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import pandas as pd

from monitoranalyse import tekst
from monitoranalyse.analyse.regio import REGIO_KERNCIJFERS, Regioresultaten, totalen
from monitoranalyse.contract import TOTAAL
from monitoranalyse.indicatoren.catalogus import indicatornaam
from monitoranalyse.rapport import figuren, openbaarmaking

__all__ = ["VrijgegevenRegio", "regio_config", "vrijgeven_regio", "kerncijfers", "kerncijfers_figuur",
           "verschuiving_per_gemeente", "funnel", "verschillen_tabel", "lichte_zorg_per_gemeente",
           "KERNCIJFERS_FIGUUR"]

#: Rates per 1.000 inwoners drawn side by side (the rest of the key figures is a table).
KERNCIJFERS_FIGUUR = ("bereik_meldingen", "bereik_clienten")


@dataclass
class VrijgegevenRegio:
    """The released counterparts of :class:`~monitoranalyse.analyse.regio.Regioresultaten`."""

    jaar: pd.DataFrame       # gemeente level, per jaar, released
    kwartaal: pd.DataFrame   # gemeente level, per kwartaal, released
    funnels: pd.DataFrame
    verschillen: pd.DataFrame
    trends: pd.DataFrame


def regio_config(rr: Regioresultaten):
    """The configuration of the regio report: the dataset's, with the HIGHEST drempel and
    rounding of the gemeenten in the regio (the strictest of their disclosure rules)."""
    cfg = copy.deepcopy(rr.md.config)
    per = [rr.md.config.voor_gemeente(g) for g in rr.gemeenten]
    cfg.openbaarmaking = dict(cfg.openbaarmaking,
                              drempel=max(c.drempel for c in per),
                              afronden_op=max(int(c.openbaarmaking.get("afronden_op", 0)) for c in per))
    cfg.lage_drempel_toegestaan = all(c.lage_drempel_toegestaan for c in per)
    return cfg


def _vrij_totalen(tabellen: dict[str, pd.DataFrame], cfg) -> pd.DataFrame:
    delen = [totalen(openbaarmaking.vrijgeven(t, cfg)) for t in tabellen.values() if len(t)]
    uit = pd.concat(delen, ignore_index=True) if delen else pd.DataFrame()
    return openbaarmaking.markeer(uit, cfg.drempel)


def vrijgeven_regio(rr: Regioresultaten) -> VrijgegevenRegio:
    """Release everything the regio report draws (see the module docstring)."""
    cfg = regio_config(rr)
    J = _vrij_totalen(rr.jaar, cfg)
    K = _vrij_totalen(rr.kwartaal, cfg)
    f = rr.funnels
    if f.empty:
        funnels = openbaarmaking.vrijgeven(f, cfg)
    else:
        funnels = openbaarmaking.volg_onderdrukking(
            f, J, config=cfg, sleutels=("indicator", "gemeente", "periode_start", "uitsplitsing"),
            waarden=("teller", "noemer", "waarde", "z", "z_gecorrigeerd"))
    v = rr.verschillen
    if len(v) and len(funnels):
        weg = funnels.loc[funnels["onderdrukt"].astype(bool), ["gemeente", "indicator"]]
        sleutel = list(zip(v["gemeente"], v["indicator"]))
        v = v[[s not in set(zip(weg["gemeente"], weg["indicator"])) for s in sleutel]]
    return VrijgegevenRegio(jaar=J, kwartaal=K, funnels=funnels,
                            verschillen=openbaarmaking.vrijgeven(v.reset_index(drop=True), cfg),
                            trends=openbaarmaking.vrijgeven(rr.trends, cfg))


def kerncijfers(jaar: pd.DataFrame, periode_start, codes: dict[str, str] = REGIO_KERNCIJFERS) -> pd.DataFrame:
    """The key figures side by side: one row per gemeente, one column per code (its label),
    for the year starting at ``periode_start``; withheld values stay empty."""
    d = jaar[(jaar["periode_start"] == periode_start) & (jaar["uitsplitsing"] == "")
             & jaar["indicator"].isin(list(codes))]
    breed = d.pivot_table(index="gemeente", columns="indicator", values="waarde", aggfunc="first", dropna=False)
    breed = breed.reindex(columns=[c for c in codes if c in breed.columns]).rename(columns=codes)
    breed.columns.name = None
    uit = breed.reset_index()
    uit.attrs.update(jaar.attrs)
    return uit


def _paneel_gegevens(d: pd.DataFrame) -> pd.DataFrame:
    kol = {"gemeente": "gemeente", "indicator": "indicator", "periode_start": "periode", "waarde": "waarde",
           "ondergrens": "ondergrens", "bovengrens": "bovengrens", "teller": "teller", "noemer": "noemer",
           "reden_onderdrukking": "reden niet gepubliceerd"}
    uit = d[[c for c in kol if c in d.columns]].rename(columns=kol).copy()
    if "indicator" in uit:
        uit["indicator"] = uit["indicator"].map(indicatornaam)
    uit.attrs.update(d.attrs)
    return uit


def kerncijfers_figuur(jaar: pd.DataFrame, periode_start, *, config=None, codes=KERNCIJFERS_FIGUUR):
    """Bars per gemeente (with the 95% interval) for each rate per 1.000 inwoners, one panel
    per indicator, the regio's pooled value as a dotted line."""
    plt = figuren.pyplot()
    d = openbaarmaking.vrijgeven(jaar, config)
    d = d[(d["periode_start"] == periode_start) & (d["uitsplitsing"] == "") & d["indicator"].isin(codes)]
    jaar_label = str(pd.Timestamp(periode_start).year)
    titel = f"Bereik per 1.000 inwoners per gemeente, {jaar_label}"
    if d["waarde"].notna().sum() == 0:
        return figuren.geen_gegevens(titel)
    codes = [c for c in codes if (d["indicator"] == c).any()]
    gemeenten = sorted(d["gemeente"].unique())
    fig, assen = plt.subplots(1, len(codes), figsize=(10, 0.5 * len(gemeenten) + 2.0), sharey=True, squeeze=False)
    alt = [f"Staafdiagram: {titel.lower()}."]
    for ax, code in zip(assen.flat, codes):
        g = d[d["indicator"] == code].set_index("gemeente").reindex(gemeenten).reset_index()
        y = np.arange(len(g))
        ax.barh(y, g["waarde"].fillna(0), color=[figuren.PALET[0] if pd.notna(v) else "#dddddd" for v in g["waarde"]])
        figuren.intervalstrepen(ax, g, y)
        for i, v in enumerate(g["waarde"]):
            if pd.isna(v):
                ax.text(0, i, "  niet gepubliceerd", va="center", fontsize=8, color="#444")
        ok = g.dropna(subset=["teller", "noemer"])
        if len(ok) and ok["noemer"].sum() > 0:
            regio = float((ok["teller"].sum() / ok["noemer"].sum()) * (ok["waarde"] / (ok["teller"] / ok["noemer"])).median())
            ax.axvline(regio, color="#1d1d1b", ls=":", lw=1.2, label=f"regio ({tekst.getal(regio, 1)})")
            ax.legend(loc="upper left", bbox_to_anchor=(0, -0.12), fontsize=8, frameon=False)
            alt.append(f"{indicatornaam(code)}: regio {tekst.getal(regio, 1)};")
        ax.set_yticks(y, g["gemeente"])
        ax.set_title(indicatornaam(code), fontsize=10)
        figuren.nl_assen(ax, x="getal")
        gep = g.dropna(subset=["waarde"]).sort_values("waarde")
        if len(gep) >= 2:
            alt.append(f"hoogste {gep.iloc[-1]['gemeente']} ({tekst.getal(gep.iloc[-1]['waarde'], 1)}), "
                       f"laagste {gep.iloc[0]['gemeente']} ({tekst.getal(gep.iloc[0]['waarde'], 1)}).")
    fig.suptitle(titel, x=0.01, ha="left", fontweight="bold")
    fig.tight_layout()
    return figuren.figuur_klaar(fig, " ".join(alt), _paneel_gegevens(d))


def verschuiving_per_gemeente(kwartaal: pd.DataFrame, *, config=None, peildatum=None, wijzigingen=(),
                              indicator: str = "aandeel_lichte_zorg", titel: str | None = None):
    """Small multiples: one panel per gemeente with its share of lichte zorg per kwartaal (and
    95% band); the other gemeenten thin and grey in every panel for comparison. An incomplete
    quarter is dashed with an open marker ("periode nog niet compleet"), an inloop grey and
    dotted (the gemeente reports' rules, :func:`figuren.tijdreeks_lijn`)."""
    plt = figuren.pyplot()
    d = openbaarmaking.vrijgeven(kwartaal, config)
    d = d[(d["indicator"] == indicator) & (d["uitsplitsing"] == "")].sort_values("periode_start")
    if titel is None:
        if len(d):
            titel = (f"{indicatornaam(indicator)} per kwartaal per gemeente, "
                     f"{tekst.periode_label(d['periode_start'].min(), d['periode_start'].min() + pd.offsets.QuarterEnd(0))}"
                     f" t/m {tekst.periode_label(d['periode_start'].max(), d['periode_eind'].max())}")
        else:
            titel = f"{indicatornaam(indicator)} per kwartaal per gemeente"
    if d["waarde"].notna().sum() == 0:
        return figuren.geen_gegevens(titel)
    gemeenten = sorted(d["gemeente"].unique())
    n = len(gemeenten)
    kol = 3 if n > 4 else max(1, n)
    rij = int(np.ceil(n / kol))
    fig, assen = plt.subplots(rij, kol, figsize=(10, 2.6 * rij + 0.8), sharex=True, sharey=True, squeeze=False)
    for ax, gem in zip(assen.flat, gemeenten):
        for ander in gemeenten:
            if ander != gem:
                a = d[(d["gemeente"] == ander)]
                ax.plot(a["periode_start"], a["waarde"], color="#bbbbbb", lw=0.9)
        g = d[d["gemeente"] == gem]
        if g["ondergrens"].notna().any():
            ax.fill_between(g["periode_start"], g["ondergrens"], g["bovengrens"], color=figuren.PALET[0], alpha=0.15, lw=0)
        figuren.tijdreeks_lijn(ax, g, color=figuren.PALET[0], lw=2, marker="o", ms=3, label=gem)
        gemeente_wijzigingen = [w for w in wijzigingen if getattr(w, "gemeente", None) in (None, gem)]
        for w in gemeente_wijzigingen:
            ax.axvline(pd.Timestamp(w.datum), color="#7F7F7F", ls=":", lw=1)
        ax.set_title(str(gem), fontsize=10, fontweight="normal")
        import matplotlib.dates as mdates

        ax.xaxis.set_major_locator(mdates.YearLocator())
        figuren.nl_assen(ax, x="jaar", y="procent")
        ax.tick_params(labelsize=8, labelbottom=True)
    for ax in list(assen.flat)[n:]:
        ax.axis("off")
    extra = figuren.legenda_onvolledig(assen.flat[0], d, peildatum)
    if extra:
        fig.legend(handles=extra, loc="lower right", fontsize=8, frameon=False)
    fig.suptitle(titel, x=0.01, ha="left", fontweight="bold")
    onder = "Eén paneel per gemeente; blauw: de gemeente met 95%-band; grijs: de andere gemeenten."
    if wijzigingen:
        onder += " Puntlijn: beleidswijziging van die gemeente."
    fig.text(0.01, 0.005, onder, fontsize=8, color="#444")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    alt = [f"{titel}, als kleine grafieken per gemeente."]
    for gem in gemeenten:
        g = d[(d["gemeente"] == gem)].dropna(subset=["waarde"])
        if len(g) >= 2:
            a, z = g.iloc[0], g.iloc[-1]
            alt.append(f"{gem} gaat van {tekst.procent(a['waarde'])} ({tekst.periode_label(a['periode_start'], a['periode_eind'])}) "
                       f"naar {tekst.procent(z['waarde'])} ({tekst.periode_label(z['periode_start'], z['periode_eind'])}"
                       f"{', nog niet compleet' if 'volledig' in g and not bool(z['volledig']) else ''}).")
    n_weg = int(d["onderdrukt"].sum()) if "onderdrukt" in d else 0
    if n_weg:
        alt.append(f"{n_weg} waarden zijn niet gepubliceerd.")
    fig.ma_procent = ["waarde", "ondergrens", "bovengrens"]
    return figuren.figuur_klaar(fig, " ".join(alt), _paneel_gegevens(d))


def funnel(funnels: pd.DataFrame, indicator: str, *, config=None, titel=None):
    """The funnel of one indicator across gemeenten (:func:`figuren.funnel`, gemeenten as units)."""
    return figuren.funnel(funnels, indicator, config=config, titel=titel, eenheid="gemeente",
                          referentie="regio", label_kolom="gemeente")


VERSCHILLEN_KOLOMMEN = {"gemeente": "gemeente", "indicator": "indicator", "waarde": "waarde", "doel": "regio",
                        "positie": "positie", "beoordeling": "beoordeling"}


def verschillen_tabel(verschillen: pd.DataFrame) -> pd.DataFrame:
    """"Which gemeente differs where" for display: indicator names, Dutch headers, one row
    per gemeente × indicator outside the limits (strongest first)."""
    if verschillen is None or verschillen.empty:
        return pd.DataFrame(columns=list(VERSCHILLEN_KOLOMMEN.values()))
    from monitoranalyse.rapport.inhoud import is_procent

    v = verschillen.copy()
    procent = [is_procent(c) for c in v["indicator"]]
    v["indicator"] = v["indicator"].map(indicatornaam)
    v["waarde"] = [tekst.procent(w) if p else tekst.getal(w, 1) for w, p in zip(v["waarde"], procent)]
    v["doel"] = [tekst.procent(w) if p else tekst.getal(w, 1) for w, p in zip(v["doel"], procent)]
    uit = v[list(VERSCHILLEN_KOLOMMEN)].rename(columns=VERSCHILLEN_KOLOMMEN)
    uit.attrs.update(verschillen.attrs)
    return uit


def lichte_zorg_per_gemeente(jaar: pd.DataFrame) -> str:
    """One line per gemeente: the yearly share of lichte zorg (the nbval check of the regio report)."""
    d = jaar[(jaar["indicator"] == "aandeel_lichte_zorg") & (jaar["uitsplitsing"] == "")
             & (jaar["wijkteam"] == TOTAAL)].sort_values("periode_start")
    regels = []
    for gem, g in d.groupby("gemeente", sort=True):
        delen = [f"{r.periode_start.year} {tekst.procent(r.waarde) if pd.notna(r.waarde) else '•'}"
                 for r in g.itertuples()]
        regels.append(f"{gem}: " + ", ".join(delen))
    return "\n".join(regels)

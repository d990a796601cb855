"""The section "Per wijk" (issue 15): released per-wijk figures as a table and on a map.

A module of its own (``figuren.py`` holds the team and time-series figures and is long
enough). Same contract as :mod:`monitoranalyse.rapport.figuren`: every function draws or
shows the RELEASED yearly table (:func:`monitoranalyse.rapport.openbaarmaking.vrijgeven`;
a table that carries the release mark is used as it is), so a map never colours a wijk
whose figure the table hides: a withheld wijk is drawn hatched with the legend entry
"onderdrukt (te weinig waarnemingen)". Every figure has a title with its year, an alt
text (``fig.ma_alt``) and the numbers behind it (``fig.ma_gegevens``).

The map is a choropleth drawn by geopandas (matplotlib) on the boundaries of the CBS
Wijk- en Buurtkaart format (RD New); no polygon code of our own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitoranalyse import tekst
from monitoranalyse.contract import TOTAAL, WIJK_PREFIX
from monitoranalyse.indicatoren import catalogus
from monitoranalyse.rapport import figuren
from monitoranalyse.rapport.openbaarmaking import vrijgeven

__all__ = ["KAART_INDICATOREN", "ONDERDRUKT_LABEL", "GEEN_GRENZEN", "wijk_rijen", "wijk_tabel", "kaart"]

#: The per-inwoner indicators drawn on a map (sizes of wijken differ: counts would mislead).
KAART_INDICATOREN: tuple[str, ...] = ("bereik_meldingen", "maatwerk_per_inwoners")
#: Legend entry of a withheld wijk.
ONDERDRUKT_LABEL = "onderdrukt (te weinig waarnemingen)"
#: The sentence shown when the dataset has no boundaries.
GEEN_GRENZEN = ("Er is geen kaart per wijk: de map met gegevens bevat geen wijkgrenzen. Zet er een bestand "
                "wijkgrenzen.geojson of wijkgrenzen.gpkg bij in het formaat van de CBS Wijk- en Buurtkaart "
                "(kolommen WK_CODE en WK_NAAM, geometrie in RD New, EPSG:28992), bijvoorbeeld een uitsnede "
                "van de kaart van het jaar van de gegevens.")
_KLEUR_GEEN = "#E6E6E6"


def _jaar(d: pd.DataFrame) -> str:
    return str(pd.Timestamp(d["periode_start"].iloc[0]).year) if len(d) else ""


def wijk_rijen(jaar: pd.DataFrame, indicator: str | None = None, *, config=None) -> pd.DataFrame:
    """The released wijk rows (``uitsplitsing`` ``wijk:<naam>``) of a yearly tidy table, with a
    column ``wijk``. ``jaar`` should hold one period (e.g. the last complete year)."""
    d = vrijgeven(jaar, config)
    d = d[(d["wijkteam"] == TOTAAL) & d["uitsplitsing"].astype(str).str.startswith(WIJK_PREFIX)]
    if indicator is not None:
        d = d[d["indicator"] == indicator]
    d = d.assign(wijk=d["uitsplitsing"].astype(str).str.slice(len(WIJK_PREFIX)))
    return d.sort_values(["indicator", "wijk"]).reset_index(drop=True)


def _opmaak(v: float, procent: bool, decimalen: int = 1) -> str:
    if pd.isna(v):
        return "•"
    return tekst.procent(v) if procent else tekst.getal(v, decimalen if abs(v) < 100 else 0)


def wijk_tabel(jaar: pd.DataFrame, *, config=None, indicatoren=None) -> pd.DataFrame:
    """One row per wijk, one column per indicator (Dutch name, Dutch formatting); a withheld
    figure shows as "•". Built from the released table only."""
    from monitoranalyse.indicatoren.wijken import WIJK_INDICATOREN

    d = wijk_rijen(jaar, config=config)
    codes = [c for c in (indicatoren or WIJK_INDICATOREN) if c in set(d["indicator"])]
    if d.empty or not codes:
        return pd.DataFrame(columns=["wijk"])
    uit = pd.DataFrame({"wijk": sorted(d["wijk"].unique())})
    for code in codes:
        ind = catalogus.indicator(code)
        g = d[d["indicator"] == code].set_index("wijk")["waarde"]
        zonder_eenheid = not ind.eenheid or ind.eenheid == "%" or ind.eenheid in ind.naam
        kop = ind.naam if zonder_eenheid else f"{ind.naam} ({ind.eenheid})"
        decimalen = 0 if ind.type in ("aantal", "mediaan") else 1
        uit[kop] = [_opmaak(g.get(w, np.nan), ind.eenheid == "%", decimalen) for w in uit["wijk"]]
    return uit


def kaart(jaar: pd.DataFrame, grenzen, indicator: str, *, config=None, gemeente: str = "", titel: str | None = None):
    """Choropleth of one per-inwoner indicator per wijk (one year).

    Parameters
    ----------
    jaar : DataFrame
        Yearly tidy table of ONE period (released here when it is not yet).
    grenzen : GeoDataFrame
        Boundaries with a column ``wijk`` (:func:`monitoranalyse.invoer.wijkgrenzen.koppel_wijkgrenzen`).
    indicator : str
        Catalog code (e.g. ``bereik_meldingen``).

    Returns
    -------
    matplotlib.figure.Figure
        Published wijken coloured by value (viridis, colour-blind safe, with a colour bar);
        withheld wijken hatched ("onderdrukt (te weinig waarnemingen)"); boundaries without
        a figure light grey ("geen gegevens"). ``ma_alt`` and ``ma_gegevens`` as every figure.
    """
    from matplotlib.patches import Patch

    plt = figuren.pyplot()
    ind = catalogus.indicator(indicator)
    d = wijk_rijen(jaar, indicator, config=config)
    periode = _jaar(d)
    titel = titel or f"{ind.naam} per wijk, {periode}"
    if grenzen is None or len(grenzen) == 0 or d.empty:
        return figuren.geen_gegevens(titel)
    g = grenzen.merge(d[["wijk", "waarde", "onderdrukt"]], on="wijk", how="left")
    onderdrukt = g["onderdrukt"].fillna(False).astype(bool)
    # only released values are coloured: a withheld row has waarde NaN already; the mask
    # makes sure nothing else is drawn for it
    g["waarde"] = g["waarde"].where(~onderdrukt)
    gekleurd = g[g["waarde"].notna()]
    fig, ax = plt.subplots(figsize=(8.5, 7))
    g[g["waarde"].isna() & ~onderdrukt].plot(ax=ax, color=_KLEUR_GEEN, edgecolor="white", linewidth=0.8)
    if len(gekleurd):
        gekleurd.plot(ax=ax, column="waarde", cmap="viridis", edgecolor="white", linewidth=0.8, legend=True,
                      legend_kwds={"label": ind.eenheid, "orientation": "horizontal", "shrink": 0.6, "pad": 0.02})
    if onderdrukt.any():
        g[onderdrukt].plot(ax=ax, facecolor="white", edgecolor="#555555", hatch="///", linewidth=0.8)
    for _, r in g.iterrows():
        p = r.geometry.representative_point()
        naam = r["wijk"] or r.get("WK_NAAM", "")
        ax.annotate(str(naam), (p.x, p.y), ha="center", va="center", fontsize=7,
                    color="black", bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.7))
    ax.set_axis_off()
    ax.set_title(f"{titel}" + (f" – {gemeente}" if gemeente else ""), fontsize=11, pad=22)
    handvatten = []
    if onderdrukt.any():
        handvatten.append(Patch(facecolor="white", edgecolor="#555555", hatch="///", label=ONDERDRUKT_LABEL))
    if (g["waarde"].isna() & ~onderdrukt).any():
        handvatten.append(Patch(facecolor=_KLEUR_GEEN, edgecolor="white", label="geen gegevens"))
    if handvatten:  # between title and map, so every map has the same width in the report
        ax.legend(handles=handvatten, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=len(handvatten),
                  fontsize=8, frameon=False, borderaxespad=0.2)
    fig.tight_layout()
    alt = f"Kaart van de wijken{' van ' + gemeente if gemeente else ''}: {ind.naam.lower()} per wijk, {periode}."
    if len(gekleurd):
        hi = gekleurd.loc[gekleurd["waarde"].idxmax()]
        lo = gekleurd.loc[gekleurd["waarde"].idxmin()]
        alt += (f" Hoogste: {hi['wijk']} ({_opmaak(hi['waarde'], False)} {ind.eenheid}); "
                f"laagste: {lo['wijk']} ({_opmaak(lo['waarde'], False)} {ind.eenheid}).")
    if onderdrukt.any():
        alt += f" {int(onderdrukt.sum())} wijk(en) niet gepubliceerd (gearceerd): {', '.join(sorted(g.loc[onderdrukt, 'wijk']))}."
    geen = g["waarde"].isna() & ~onderdrukt
    if geen.any():
        alt += f" Zonder gegevens (grijs): {', '.join(sorted(str(x or y) for x, y in zip(g.loc[geen, 'wijk'], g.loc[geen, 'WK_NAAM'])))}."
    fig.ma_alt = " ".join(alt.split())
    gegevens = d[["wijk", "waarde", "ondergrens", "bovengrens", "teller", "noemer", "reden_onderdrukking"]].rename(
        columns={"reden_onderdrukking": "reden niet gepubliceerd"})
    gegevens.attrs.update(d.attrs)
    fig.ma_gegevens = gegevens.reset_index(drop=True)
    return fig

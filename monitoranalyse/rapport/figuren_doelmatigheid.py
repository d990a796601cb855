"""Figures of the section "Doelmatigheid" (issue 14): begroting against realisatie.

Same contract as :mod:`monitoranalyse.rapport.figuren`: every function draws the RELEASED table
(:func:`monitoranalyse.rapport.openbaarmaking.vrijgeven`), returns a matplotlib figure with ``ma_alt`` (a
Dutch alt text that names the period) and ``ma_gegevens`` (the released rows drawn, shown
under the figure).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitoranalyse import tekst
from monitoranalyse.contract import POSTEN, TOTAAL
from monitoranalyse.rapport import figuren
from monitoranalyse.rapport.openbaarmaking import vrijgeven

__all__ = ["begroting_realisatie", "POSTNAMEN"]

#: Dutch labels of the budget posts.
POSTNAMEN = {
    "wijkteam": "wijkteam",
    "maatwerk_wmo": "maatwerk Wmo",
    "maatwerk_jeugd": "maatwerk Jeugd",
    "algemene_voorzieningen": "algemene voorzieningen",
    "overig": "overig",
}


def _figuur_zonder_gegevens(titel: str):
    figuren.stijl()
    return figuren.geen_gegevens(titel)


def begroting_realisatie(jaar: pd.DataFrame, *, config=None,
                         titel: str = "Begroting en realisatie per post"):
    """Begroot (light) against gerealiseerd (dark) per budget post and calendar year.

    Parameters
    ----------
    jaar : DataFrame
        Yearly tidy indicator table (indicator ``budgetrealisatie``; teller = gerealiseerd,
        noemer = begroot, uitsplitsing = post). Released here, so a withheld row is not drawn.
    config : MonitorConfig, optional
        Disclosure settings.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per post; above each year the realisatie in % of the begroting. An
        incomplete year is labelled "(onvolledig)".
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    figuren.stijl()
    d = vrijgeven(jaar, config)
    d = d[(d["indicator"] == "budgetrealisatie") & (d["wijkteam"] == TOTAAL)
          & d["uitsplitsing"].isin(POSTEN)]
    d = d.dropna(subset=["teller", "noemer"])
    if d.empty:
        return _figuur_zonder_gegevens(titel)
    posten = [p for p in POSTEN if p in set(d["uitsplitsing"])]
    fig, assen = plt.subplots(1, len(posten), figsize=(3.0 * len(posten) + 1, 3.6), squeeze=False)
    alt_delen = []
    for ax, post in zip(assen[0], posten):
        g = d[d["uitsplitsing"] == post].sort_values("periode_start")
        x = np.arange(len(g))
        jaren = g["periode_start"].dt.year.astype(str).where(g["volledig"].astype(bool),
                                                              g["periode_start"].dt.year.astype(str) + "*")
        # drawn in euro (the released amounts themselves); the axis shows millions
        ax.bar(x - 0.2, g["noemer"], width=0.4, color="#BFD3E6", label="begroot")
        ax.bar(x + 0.2, g["teller"], width=0.4, color=figuren.PALET[0], label="gerealiseerd")
        for xi, t, w in zip(x, g["teller"], g["waarde"]):
            ax.text(xi + 0.2, t, tekst.procent(w), ha="center", va="bottom", fontsize=7)
        ax.set_xticks(x, jaren, fontsize=8)
        ax.set_title(POSTNAMEN.get(post, post), fontsize=10)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: tekst.getal(v / 1e6, 1)))
        laatst = g.iloc[-1]
        alt_delen.append(f"{POSTNAMEN.get(post, post)} {laatst['periode_start'].year}: "
                         f"{tekst.getal(laatst['teller'])} euro gerealiseerd tegen "
                         f"{tekst.getal(laatst['noemer'])} euro begroot ({tekst.procent(laatst['waarde'])})")
    assen[0][0].set_ylabel("miljoen euro")
    assen[0][0].legend(fontsize=8, loc="lower left")
    eerste, laatste = d["periode_start"].min().year, d["periode_start"].max().year
    fig.suptitle(f"{titel}, {eerste}–{laatste}", fontsize=11)
    fig.tight_layout()
    onvolledig = sorted(set(d.loc[~d["volledig"].astype(bool), "periode_start"].dt.year))
    fig.ma_alt = (f"Staafdiagram per post: begroting en realisatie per jaar, {eerste} tot en met "
                  f"{laatste}, gemeente. " + "; ".join(alt_delen) + "."
                  + (f" Onvolledig jaar (met *): {', '.join(map(str, onvolledig))}." if onvolledig else ""))
    gegevens = d[["uitsplitsing", "periode_start", "noemer", "teller", "waarde"]].rename(columns={
        "uitsplitsing": "post", "periode_start": "jaar", "noemer": "begroot (euro)",
        "teller": "gerealiseerd (euro)", "waarde": "realisatie"})
    gegevens["post"] = gegevens["post"].map(POSTNAMEN)
    gegevens["jaar"] = gegevens["jaar"].dt.year.astype(str)
    fig.ma_gegevens = gegevens.reset_index(drop=True)
    fig.ma_procent = ["realisatie"]
    fig.ma_euro = ["begroot (euro)", "gerealiseerd (euro)"]
    return fig

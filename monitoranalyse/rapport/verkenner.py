"""An ipywidgets explorer for JupyterLab (``notebooks/verkenner.ipynb``).

The widget callbacks only call the plain functions :func:`opties`, :func:`selecteer`
and :func:`figuur`, which pytest exercises without a browser. Everything shown goes
through the render boundary (:func:`openbaarmaking.vrijgeven`), like the reports.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from monitoranalyse.contract import TOTAAL
from monitoranalyse.rapport import figuren
from monitoranalyse.rapport import openbaarmaking
from monitoranalyse.rapport import weergave

__all__ = ["Verkenner", "opties", "selecteer", "figuur"]


def opties(tabel: pd.DataFrame, gemeente: str | None = None) -> dict[str, list]:
    """Choices for the dropdowns: gemeenten, wijkteams (of the gemeente), indicators, periods."""
    from monitoranalyse.indicatoren.catalogus import INDICATOREN

    t = tabel if gemeente is None else tabel[tabel["gemeente"] == gemeente]
    codes = sorted(t["indicator"].unique())
    return {
        "gemeenten": sorted(tabel["gemeente"].unique()),
        "wijkteams": [TOTAAL] + sorted(w for w in t["wijkteam"].unique() if w != TOTAAL),
        "indicatoren": [(INDICATOREN[c].naam if c in INDICATOREN else c, c) for c in codes],
        "perioden": sorted(t["periode_start"].unique()),
    }


def selecteer(tabel, *, gemeente, wijkteam, indicator, van=None, tot=None, config=None, uitsplitsing="") -> pd.DataFrame:
    """The disclosure-controlled rows for one choice (the team and the gemeente total)."""
    # the gemeente's whole table is released (as in the reports), then narrowed down: a
    # subset released on its own could publish a cell that the whole table withholds
    vrij = openbaarmaking.vrijgeven(tabel[tabel["gemeente"] == gemeente], config)
    sel = vrij[(vrij["indicator"] == indicator) & vrij["wijkteam"].isin([wijkteam, TOTAAL])
               & (vrij["uitsplitsing"] == uitsplitsing)]
    if van is not None:
        sel = sel[sel["periode_start"] >= pd.Timestamp(van)]
    if tot is not None:
        sel = sel[sel["periode_start"] <= pd.Timestamp(tot)]
    return sel.sort_values(["wijkteam", "periode_start"]).reset_index(drop=True)


def figuur(selectie: pd.DataFrame, indicator: str):
    """Line chart of the selection with its interval band (team vs gemeente)."""
    from monitoranalyse.indicatoren.catalogus import INDICATOREN
    from monitoranalyse.rapport.figuren import _plt

    plt = _plt()
    ind = INDICATOREN.get(indicator)
    procent = ind is not None and ind.type == "proportie"
    fig, ax = plt.subplots(figsize=(9, 3.8))
    for i, (team, g) in enumerate(selectie.groupby("wijkteam", sort=False)):
        kleur = "#1d1d1b" if team == TOTAAL else figuren.PALET[0]
        ax.plot(g["periode_start"], g["waarde"], marker="o", ms=3, color=kleur,
                label="gemeente" if team == TOTAAL else team)
        if g["ondergrens"].notna().any():
            ax.fill_between(g["periode_start"], g["ondergrens"], g["bovengrens"], color=kleur, alpha=0.12, lw=0)
    ax.set_title(ind.naam if ind else indicator)
    figuren.nl_assen(ax, y="procent" if procent else "getal")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


@dataclass
class _Keuze:
    gemeente: str
    wijkteam: str
    indicator: str
    periode: str


class Verkenner:
    """``Verkenner(data).toon()`` in JupyterLab: choose gemeente, team, indicator and period."""

    def __init__(self, data=None, *, md=None):
        from monitoranalyse.invoer.laden import laad

        self.md = md if md is not None else laad(data)
        self._tabellen: dict[str, pd.DataFrame] = {}

    def tabel(self, periode: str) -> pd.DataFrame:
        from monitoranalyse.indicatoren import bereken

        if periode not in self._tabellen:
            self._tabellen[periode] = bereken(self.md, periode=periode)
        return self._tabellen[periode]

    def toon(self):
        import ipywidgets as w
        from IPython.display import display

        periode = w.Dropdown(options=["kwartaal", "maand", "jaar"], value="kwartaal", description="Periode")
        tabel = self.tabel(periode.value)
        o = opties(tabel)
        gemeente = w.Dropdown(options=o["gemeenten"], description="Gemeente")
        team = w.Dropdown(options=opties(tabel, gemeente.value)["wijkteams"], description="Wijkteam")
        indicator = w.Dropdown(options=o["indicatoren"], description="Indicator")
        uit = w.Output()

        def ververs(*_):
            t = self.tabel(periode.value)
            teams = opties(t, gemeente.value)["wijkteams"]
            if team.options != tuple(teams):
                team.options = teams
            sel = selecteer(t, gemeente=gemeente.value, wijkteam=team.value or TOTAAL,
                            indicator=indicator.value, config=self.md.config.voor_gemeente(gemeente.value))
            uit.clear_output(wait=True)
            with uit:
                fig = figuur(sel, indicator.value)
                display(fig)
                import matplotlib.pyplot as plt

                plt.close(fig)
                display(weergave.toon(sel, kolommen={
                    "wijkteam": "team", "periode_start": "periode", "teller": "teller", "noemer": "noemer",
                    "waarde": "waarde", "ondergrens": "ondergrens", "bovengrens": "bovengrens"}))

        for wdg in (periode, gemeente, team, indicator):
            wdg.observe(ververs, names="value")
        display(w.VBox([w.HBox([gemeente, team]), w.HBox([indicator, periode]), uit]))
        ververs()

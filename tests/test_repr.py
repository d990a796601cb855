"""Short summaries of Monitordata and Resultaten in the REPL and in JupyterLab (issue 13).

``md`` at the end of a cell used to print every table in full (the dataclass repr). Now it
shows gemeenten, teams, rows per table, the period covered and the quarantine count — and
never a row, an id or a free text: canary ids planted in every id column, in the quarantine
and in a toelichting must not appear. Expected counts are read from the tables themselves.
"""

from __future__ import annotations

import pandas as pd
import pytest

import monitoranalyse as ma
from conftest import ROMMELIG
from monitoranalyse.analyse import resultaten
from monitoranalyse.contract import TABELLEN

KANARIE = "KANARIE"


@pytest.fixture(scope="module")
def md():
    md = ma.laad(ROMMELIG)
    # a canary in every id column of every table, in the quarantine and in a toelichting
    for naam, tabel in TABELLEN.items():
        df = md.tabellen[naam]
        for k in tabel.kolommen:
            if k.type == "id" and k.naam in df.columns and len(df):
                df[k.naam] = KANARIE + df[k.naam].astype(str)
    if len(md.quarantaine):
        md.quarantaine.loc[md.quarantaine.index[0], "waarde"] = KANARIE + "Q"
    t = md.tabellen["toelichting"]
    if len(t):
        t.loc[t.index[0], "tekst"] = KANARIE + " tekst van een team"
    return md


def _waarden(md) -> set[str]:
    return {str(w) for naam, tabel in TABELLEN.items() for k in tabel.kolommen if k.type == "id"
            for w in md.tabellen[naam].get(k.naam, pd.Series(dtype=str)).dropna()}


def test_monitordata_kort_en_zonder_ids(md):
    tekst, html = repr(md), md._repr_html_()
    assert KANARIE not in tekst and KANARIE not in html
    assert not any(w in tekst or w in html for w in _waarden(md))
    assert len(tekst.splitlines()) <= 10  # a summary, not the tables
    # the figures come from the data
    assert "Oosterwaarde" in tekst and f"wijkteams        {len(md.wijkteams())}" in tekst
    assert f"trajecten {len(md.trajecten)}" in tekst
    in_q = int(md.herkomst["rijen_quarantaine"].sum())
    assert f"quarantaine      {in_q} rijen, {len(md.quarantaine)} problemen" in tekst
    assert "januari 2025 t/m december 2025" in tekst  # data_samples/README.md §8: rommelig has "melding in 2025"
    assert html.startswith("<table>") and "<th scope='row'" in html


@pytest.mark.traag
def test_resultaten_kort_en_zonder_ids(md):
    R = resultaten.bereken_resultaten(md, "Oosterwaarde")
    tekst, html = repr(R), R._repr_html_()
    assert KANARIE not in tekst and KANARIE not in html
    assert not any(w in tekst or w in html for w in _waarden(md))
    assert len(tekst.splitlines()) <= 10
    assert f"spc {len(R.spc)}" in tekst and f"signalen {len(R.signalen)}" in tekst
    assert f"wijkteams         {len(md.wijkteams('Oosterwaarde'))}" in tekst
    assert "Resultaten" in html

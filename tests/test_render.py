"""Unit tests of the render boundary (monitoranalyse.rapport.openbaarmaking, .weergave, .export): the release mark, analysis
outputs that follow a table's visibility, the figure HTML, the toelichting places, the
begrippenlijst links and the spreadsheet an auditor opens.

Expectations are hand calculations on tiny tables (stated per test) or the requirements
of issue 11 (cited).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from monitoranalyse.contract import INDICATOR_KOLOMMEN, TOTAAL
from monitoranalyse.rapport import export, figuren, openbaarmaking, weergave


def _tidy(rijen) -> pd.DataFrame:
    basis = {"gemeente": "G", "wijkteam": TOTAAL, "periode_start": pd.Timestamp("2024-01-01"),
             "periode_eind": pd.Timestamp("2024-12-31"), "indicator": "binnen_termijn_onderzoek",
             "uitsplitsing": "", "teller": np.nan, "noemer": np.nan, "waarde": np.nan,
             "ondergrens": np.nan, "bovengrens": np.nan, "methode": ""}
    return pd.DataFrame([{**basis, **r} for r in rijen])[list(INDICATOR_KOLOMMEN)]


def _teams():
    # hand: A 3 of 20 -> teller < 8 withheld ("te klein aantal"); the group {A, B, Totaal} then has
    # one withheld part, so B (40 of 50) is withheld as well (secondary); Totaal 43 of 70 stays.
    return _tidy([
        {"wijkteam": "A", "teller": 3.0, "noemer": 20.0, "waarde": 0.15, "ondergrens": 0.05, "bovengrens": 0.36},
        {"wijkteam": "B", "teller": 40.0, "noemer": 50.0, "waarde": 0.8, "ondergrens": 0.67, "bovengrens": 0.89},
        {"wijkteam": TOTAAL, "teller": 43.0, "noemer": 70.0, "waarde": 43 / 70, "ondergrens": 0.5, "bovengrens": 0.72},
    ])


def test_vrijgegeven_tabel_draagt_een_merk_dat_selecties_overleeft():
    vrij = openbaarmaking.vrijgeven(_teams())
    assert openbaarmaking.is_vrijgegeven(vrij)
    assert vrij["reden_onderdrukking"].tolist() == ["te klein aantal", "af te leiden uit andere cijfers", ""]
    deel = vrij[vrij["wijkteam"] != "A"][["wijkteam", "waarde", "onderdrukt"]].sort_values("waarde")
    assert openbaarmaking.is_vrijgegeven(deel)
    # released once, shown as it is: no second release that would forget the reasons
    assert openbaarmaking.vrijgeven(vrij) is vrij
    # a raw table, or one built from scratch, has no mark
    assert not openbaarmaking.is_vrijgegeven(_teams())
    assert not openbaarmaking.is_vrijgegeven(pd.DataFrame({"x": [1]}))


def test_toon_geeft_een_ruwe_tabel_eerst_vrij_en_noemt_de_redenen():
    html = weergave.toon(_teams(), kolommen={"wijkteam": "team", "waarde": "waarde"},
                       procent_kolommen=["waarde"]).data
    assert "15,0%" not in html and "80,0%" not in html  # A (primary) and B (secondary) hidden
    assert "61,4%" in html  # hand: 43/70
    assert "te klein aantal" in html and "af te leiden uit andere cijfers" in html
    assert "<th scope='col'>team</th>" in html


def test_volg_onderdrukking_geeft_een_analyse_de_zichtbaarheid_van_de_tabel():
    vrij = openbaarmaking.vrijgeven(_teams())
    spc = pd.DataFrame({"gemeente": "G", "wijkteam": ["A", "B", TOTAAL], "indicator": "binnen_termijn_onderzoek",
                        "uitsplitsing": "", "periode_start": pd.Timestamp("2024-01-01"),
                        "waarde": [0.15, 0.8, 43 / 70], "middenlijn": 0.6, "boven_procesgrens": [0.9, 0.8, 0.7]})
    uit = openbaarmaking.volg_onderdrukking(spc, vrij, waarden=("waarde", "middenlijn", "boven_procesgrens"))
    assert uit["onderdrukt"].tolist() == [True, True, False]
    assert uit["waarde"].isna().tolist() == [True, True, False]
    assert uit["boven_procesgrens"].isna().tolist() == [True, True, False]  # limit reveals the noemer
    assert uit["reden_onderdrukking"].tolist()[:2] == ["te klein aantal", "af te leiden uit andere cijfers"]
    assert openbaarmaking.is_vrijgegeven(uit)


def test_figuur_html_heeft_alt_tekst_en_de_cijfers():
    import matplotlib

    matplotlib.use("Agg")
    fig = figuren.balk_per_team(_teams(), "binnen_termijn_onderzoek", titel="Onderzoek binnen termijn", norm=0.9)
    html = weergave.figuur_html(fig).data
    alt = re.search(r"alt='([^']*)'", html).group(1)
    # generated from the data (hand: only the Totaal is published, 61% < norm 90%)
    assert "Onderzoek binnen termijn" in alt and "Gemeente: 61%" in alt and "2 team(s) niet gepubliceerd" in alt
    assert "<details" in html and "Cijfers bij deze figuur" in html
    assert "0,15" not in html and "15,0%" not in html  # the numbers table shows only released values
    assert html.count("<img") == 1 and "data:image/png;base64," in html


def test_toelichting_plaatsen_en_tekst_inert():
    toel = pd.DataFrame({
        "wijkteam": [None, "Team A", "Team A", "Team B"],
        "periode": ["2023", "2024", "2024-Q2", "2025"],
        "indicator": [None, None, "zrm_verbeterd", "trajectduur"],
        "tekst": ["Gemeentebreed.", "Team A algemeen.", "<b>ZRM</b> " + "x" * 2000, "Geen figuur."],
    })
    plaats = weergave.toelichting_plaatsen(toel, ["zrm_verbeterd"])
    assert dict(zip(plaats["tekst"].str[:10], plaats["plaats"])) == {
        "Gemeentebr": "gemeente", "Team A alg": "teams", "<b>ZRM</b>": "indicator:zrm_verbeterd",
        "Geen figuu": "teams"}
    bij = weergave.toelichtingen(toel, indicator="zrm_verbeterd").data
    assert "&lt;b&gt;ZRM&lt;/b&gt;" in bij and "<b>ZRM" not in bij  # escaped
    assert "…" in bij and len(bij) < weergave.TOELICHTING_MAX + 400  # cut
    assert "Team A, 2024-Q2" in bij  # team and period named
    teams = weergave.toelichtingen(toel, plaats="teams", indicatoren_bij_figuur=["zrm_verbeterd"]).data
    assert "Team A algemeen." in teams and "Geen figuur." in teams and "ZRM" not in teams
    assert teams.index("<h3>2024</h3>") < teams.index("<h3>2025</h3>")


def test_begrippen_uit_de_issue_staan_in_de_lijst_en_links_werken():
    # issue 11 §3: the terms that must be explained
    termen = ["betrouwbaarheidsinterval", "funnel", "overspreiding", "SPC en procesgrenzen", "case-mix en W/V",
              "HAC", "Mann-Kendall", "MAPE", "onderbroken tijdreeks", "drempel"]
    lijst = weergave.begrippenlijst().data
    for t in termen:
        link = weergave.begrip(t)
        anker = re.search(r"\(#(.+)\)", link).group(1)
        assert f"id='{anker}'" in lijst, t
    # every link in the notebooks points at an existing anchor
    from pathlib import Path

    bron = (Path(__file__).resolve().parents[1] / "notebooks" / "bouw_notebooks.py").read_text()
    for anker in set(re.findall(r"\(#(begrip-[a-z0-9-]+)\)", bron)):
        assert f"id='{anker}'" in lijst, anker
    with pytest.raises(KeyError):
        weergave.begrip("onbekend woord")


def test_indicatoren_xlsx_teruggelezen(tmp_path):
    # issue 11 §5: frozen header, autofilter, dates as dd-mm-jjjj, percent and euro formats, the Dutch
    # name beside the code, the reason in words, sheets definities and verantwoording, no formula
    from openpyxl import load_workbook

    t = pd.concat([_teams(), _tidy([
        {"indicator": "kosten_maatwerk", "uitsplitsing": "", "teller": 12345.0, "noemer": np.nan, "waarde": 12345.0},
        {"wijkteam": "=SOM(1;2)", "indicator": "caseload", "teller": 30.0, "waarde": 30.0},
    ])], ignore_index=True)
    herkomst = pd.DataFrame({"onderdeel": ["pakket", "invoer trajecten.csv"], "waarde": ["monitoranalyse 0.1", "sha256 abc"]})
    pad = export.schrijf_xlsx(t, tmp_path / "indicatoren.xlsx", herkomst=herkomst)
    wb = load_workbook(pad)
    assert wb.sheetnames == ["indicatoren", "definities", "verantwoording"]
    ws = wb["indicatoren"]
    kop = [c.value for c in ws[1]]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(kop)).column_letter}{len(t) + 1}"
    assert kop[kop.index("indicator") + 1] == "indicator_naam"
    rij = {k: c for k, c in zip(kop, ws[4])}  # the Totaal row of binnen_termijn_onderzoek
    assert rij["indicator_naam"].value == "Intake binnen zes weken"  # issue 10: named for what it measures
    assert rij["periode_start"].number_format == "DD-MM-YYYY" and rij["periode_start"].is_date
    assert rij["waarde"].number_format == "0.0%" and rij["waarde"].value == pytest.approx(43 / 70)
    kosten = {k: c for k, c in zip(kop, ws[5])}
    assert "€" in kosten["waarde"].number_format and kosten["waarde"].value == 12345
    a = {k: c.value for k, c in zip(kop, ws[2])}
    assert a["reden_onderdrukking"] == "te klein aantal" and a["waarde"] is None
    for rij in ws.iter_rows():
        for cel in rij:
            assert cel.data_type != "f"
    assert "'=SOM(1;2)" in [c.value for c in ws["B"]]
    defs = pd.DataFrame(wb["definities"].values)
    defs.columns = defs.iloc[0]
    defs = defs.iloc[1:]
    for kol in ("code", "naam", "omschrijving", "teller", "noemer", "methode", "doel", "richting", "gevoelig",
                "bron van de norm"):
        assert kol in defs.columns, kol
    btw = defs.set_index("code").loc["binnen_termijn_onderzoek"]
    assert btw["gevoelig"] == "nee" and "Wmo 2015 art. 2.3.2" in btw["bron van de norm"]
    verantw = [r[1] for r in wb["verantwoording"].iter_rows(min_row=2, values_only=True)]
    assert "sha256 abc" in verantw and "8" in verantw


def test_spc_signaal_op_verborgen_maand_zonder_waarde():
    # an SPC signal on a month the monthly table withholds keeps its place on the list but loses
    # its value (hand: team A's month is withheld (3 < 8), the Totaal's is published)
    maand = openbaarmaking.vrijgeven(_teams())
    sig = pd.DataFrame({"rang": [1, 2], "gemeente": "G", "wijkteam": ["A", TOTAAL],
                        "indicator": "binnen_termijn_onderzoek", "uitsplitsing": "", "soort_signaal": "spc",
                        "periode": "2024-01-01", "waarde": [0.15, 43 / 70], "referentie": [0.6, 0.6],
                        "zin": ["A: 15% in januari 2024 tegen 60%", "Gemeente: 61% in januari 2024"]})
    uit = openbaarmaking._signalen_vrij(sig, maand, None)
    assert "15%" not in uit.loc[0, "zin"] and "niet gepubliceerd (te klein aantal)" in uit.loc[0, "zin"]
    assert np.isnan(uit.loc[0, "waarde"]) and uit.loc[1, "waarde"] == pytest.approx(43 / 70)
    assert uit.loc[1, "zin"] == "Gemeente: 61% in januari 2024"


def test_csv_zonder_afrondingsruis_en_bedrag_houdt_zijn_komma(tmp_path):
    # A sum of amounts 789409.92 is stored as 789409.9199999999 (binary floats); an auditor
    # reading the csv should see 789409,92. An integral amount keeps ",0" (a bare 9-digit number
    # would be read by the privacy guard as a BSN, see test_vijandig).
    som = 789000.72 + 409.2
    assert repr(som) == "789409.9199999999"
    df = pd.DataFrame({"naam": ["a", "b", "c"], "bedrag": [som, 123456782.0, np.nan], "n": [1, 2, 3]})
    pad = export.schrijf_csv(df, tmp_path / "uit.csv", vrijgegeven=True)
    regels = pad.read_text(encoding="utf-8-sig").splitlines()
    assert regels == ["naam;bedrag;n", "a;789409,92;1", "b;123456782,0;2", "c;;3"]
    assert openbaarmaking.controleer_uitvoer(tmp_path, set()) == []

"""Issue 15: indicators per wijk, their disclosure, the map, the boundaries and CBS context.

Expectations are worked out by hand in the comments (tiny datasets), or read from real CBS
rows in tests/reference/kwb_wijken (see its SOURCE.txt).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT
from monitoranalyse import indicatoren as ind
from monitoranalyse.analyse.resultaten import kwaliteit_tabel, wijk_teams
from monitoranalyse.contract import INDICATOR_KOLOMMEN, TOTAAL
from monitoranalyse.invoer.monitordata import Monitordata
from monitoranalyse.invoer.wijkgrenzen import koppel_wijkgrenzen, lees_wijkgrenzen
from monitoranalyse.opendata import cbs
from monitoranalyse.rapport import kaart
from monitoranalyse.rapport.openbaarmaking import beveilig, vrijgeven

S = "string"
KWB = ROOT / "tests" / "reference" / "kwb_wijken" / "kwb_amersfoort_2021.csv"


def _d(waarden):
    return pd.to_datetime(pd.Series(waarden, dtype=object)).astype("datetime64[ns]")


def _md() -> Monitordata:
    """Seven trajecten; wijk of the client in the last column.

    ====  ========  =====  =======  ======  ======  =========
    id    gemeente  team   melding  intake  einde   wijk
    ====  ========  =====  =======  ======  ======  =========
    T1    A         Noord  01-10    02-21   03-31   Parkwijk
    T2    A         Noord  01-10    02-22   -       Parkwijk
    T3    A         Noord  03-31    04-05   06-30   Dorp
    T4    A         Zuid   02-01    02-11   05-10   Dorp
    T5    A         Zuid   02-15    -       -       Parkwijk
    T7    A         Zuid   06-01    -       -       (none)
    T6    B         Noord  01-05    01-25   02-28   Parkwijk
    ====  ========  =====  =======  ======  ======  =========

    Inzet (start 2024): T1 netwerk, T2 maatwerk_wmo, T3 maatwerk_jeugd, T4 maatwerk_wmo and
    wijkteam, T5 maatwerk_wmo, T6 eigen_kracht. Inwoners 2024: A Parkwijk 2000, A Dorp 500,
    B Parkwijk 400.
    """
    tr = pd.DataFrame({
        "traject_id": ["T1", "T2", "T3", "T4", "T5", "T7", "T6"],
        "client_id": ["C1", "C2", "C3", "C4", "C5", "C7", "C6"],
        "gemeente": ["A", "A", "A", "A", "A", "A", "B"],
        "wijkteam": ["Noord", "Noord", "Noord", "Zuid", "Zuid", "Zuid", "Noord"],
        "wijk": ["Parkwijk", "Parkwijk", "Dorp", "Dorp", "Parkwijk", None, "Parkwijk"],
        "datum_melding": _d(["2024-01-10", "2024-01-10", "2024-03-31", "2024-02-01", "2024-02-15",
                             "2024-06-01", "2024-01-05"]),
        "datum_intake": _d(["2024-02-21", "2024-02-22", "2024-04-05", "2024-02-11", None, None, "2024-01-25"]),
        "datum_plan": _d(["2024-03-01", "2024-04-15", None, "2024-02-20", None, None, "2024-02-01"]),
        "datum_einde": _d(["2024-03-31", None, "2024-06-30", "2024-05-10", None, None, "2024-02-28"]),
    }).astype({"traject_id": S, "client_id": S, "gemeente": S, "wijkteam": S, "wijk": S})
    inzet = pd.DataFrame({
        "inzet_id": ["I1", "I2", "I3", "I4", "I5", "I6", "I7"],
        "traject_id": ["T1", "T2", "T3", "T4", "T4", "T6", "T5"],
        "vorm": ["netwerk", "maatwerk_wmo", "maatwerk_jeugd", "maatwerk_wmo", "wijkteam", "eigen_kracht",
                 "maatwerk_wmo"],
        "datum_start": _d(["2024-01-20", "2024-03-01", "2024-05-01", "2024-03-10", "2024-02-15", "2024-01-20",
                           "2024-06-10"]),
        "kosten": np.nan, "beschikking": None, "datum_aanvraag": _d([None] * 7), "datum_beschikking": _d([None] * 7),
    }).astype({"inzet_id": S, "traject_id": S, "vorm": S, "beschikking": S})
    wijken = pd.DataFrame({"gemeente": ["A", "A", "B"], "wijk": ["Parkwijk", "Dorp", "Parkwijk"],
                           "jaar": [2024] * 3, "inwoners": [2000, 500, 400],
                           "wijkcode": ["WK999901", "WK999902", "WK999801"]}
                          ).astype({"gemeente": S, "wijk": S, "jaar": "Int64", "inwoners": "Int64", "wijkcode": S})
    return Monitordata(tabellen={"trajecten": tr, "inzet": inzet, "wijken": wijken})


def _waarde(t, gemeente, wijk, code, kol="waarde"):
    r = t[(t["gemeente"] == gemeente) & (t["uitsplitsing"] == f"wijk:{wijk}") & (t["indicator"] == code)]
    assert len(r) == 1, (gemeente, wijk, code, r)
    return float(r[kol].iloc[0])


def test_indicatoren_per_wijk_met_de_hand():
    t = ind.per_wijk(_md(), periode="jaar")
    assert set(t["wijkteam"]) == {TOTAAL}
    assert list(t.columns[:len(INDICATOR_KOLOMMEN)]) == list(INDICATOR_KOLOMMEN)
    # meldingen per 1.000 inwoners: A Parkwijk T1, T2, T5 = 3 / 2000 -> 1,5; A Dorp T3, T4 = 2 / 500 -> 4,0;
    # B Parkwijk T6 = 1 / 400 -> 2,5 (same wijk name, other gemeente: its own row)
    assert _waarde(t, "A", "Parkwijk", "bereik_meldingen") == pytest.approx(1.5)
    assert _waarde(t, "A", "Dorp", "bereik_meldingen") == pytest.approx(4.0)
    assert _waarde(t, "B", "Parkwijk", "bereik_meldingen") == pytest.approx(2.5)
    assert _waarde(t, "A", "Parkwijk", "bereik_clienten") == pytest.approx(1.5)
    # caseload at the end of 2024: open trajecten T2 and T5 live in Parkwijk (T7 has no wijk)
    assert _waarde(t, "A", "Parkwijk", "caseload") == 2
    # aandeel lichte zorg (inzet rows started in 2024): Parkwijk I1 netwerk of I1, I2, I7 -> 1/3;
    # Dorp I5 wijkteam of I3, I4, I5 -> 1/3
    assert (_waarde(t, "A", "Parkwijk", "aandeel_lichte_zorg", "teller"),
            _waarde(t, "A", "Parkwijk", "aandeel_lichte_zorg", "noemer")) == (1, 3)
    assert _waarde(t, "A", "Dorp", "aandeel_lichte_zorg") == pytest.approx(1 / 3)
    # trajecten with maatwerk starting in 2024 per 1.000 inwoners: Parkwijk T2, T5 -> 2/2000 = 1,0;
    # Dorp T3, T4 -> 2/500 = 4,0 (T4 counts once)
    assert _waarde(t, "A", "Parkwijk", "maatwerk_per_inwoners") == pytest.approx(1.0)
    assert _waarde(t, "A", "Dorp", "maatwerk_per_inwoners") == pytest.approx(4.0)
    # median melding -> intake: Parkwijk T1 42, T2 43 -> 42,5; Dorp T3 5, T4 10 -> 7,5
    assert _waarde(t, "A", "Parkwijk", "doorlooptijd_melding_intake") == pytest.approx(42.5)
    assert _waarde(t, "A", "Dorp", "doorlooptijd_melding_intake") == pytest.approx(7.5)


def test_maatwerk_per_inwoners_per_team():
    # team level (bevolking): A Noord 1000 inwoners, maatwerk started in 2024 by T2, T3 -> 2,0 per 1.000;
    # A Zuid 4000, T4 and T5 -> 0,5
    md = _md()
    md.tabellen["bevolking"] = pd.DataFrame({"gemeente": ["A", "A"], "wijkteam": ["Noord", "Zuid"],
                                             "jaar": [2024, 2024], "inwoners": [1000, 4000]}
                                            ).astype({"gemeente": S, "wijkteam": S, "jaar": "Int64", "inwoners": "Int64"})
    t = ind.bereken(md, periode="jaar", indicatoren=["maatwerk_per_inwoners"])
    w = t.set_index(["gemeente", "wijkteam"])["waarde"]
    assert w[("A", "Noord")] == pytest.approx(2.0)
    assert w[("A", "Zuid")] == pytest.approx(0.5)
    assert w[("A", TOTAAL)] == pytest.approx(4 / 5000 * 1000)


def _tidy(rijen, indicator="x") -> pd.DataFrame:
    basis = {"gemeente": "G", "periode_start": pd.Timestamp("2024-01-01"),
             "periode_eind": pd.Timestamp("2024-12-31"), "indicator": indicator, "noemer": np.nan,
             "ondergrens": np.nan, "bovengrens": np.nan, "methode": ""}
    return pd.DataFrame([{**basis, **r, "waarde": r["teller"]} for r in rijen])[list(INDICATOR_KOLOMMEN)]


def _bepaald(uit: pd.DataFrame, paren) -> list[str]:
    """Independent check: which suppressed rows are a linear combination of published rows
    (cells: the (team, wijk) pairs in ``paren``)."""
    cellen = sorted(paren)
    A = []
    for w, u in zip(uit["wijkteam"], uit["uitsplitsing"]):
        A.append([float((w == TOTAAL or w == t) and (not u.startswith("wijk:") or u[5:] == x)) for t, x in cellen])
    A = np.array(A)
    weg = uit["onderdrukt"].to_numpy()
    P = A[~weg]
    r = np.linalg.matrix_rank(P) if len(P) else 0
    return [f"{w}|{u}" for (w, u), a, z in zip(zip(uit["wijkteam"], uit["uitsplitsing"]), A, weg)
            if z and np.linalg.matrix_rank(np.vstack([P, a])) == r]


def test_wijk_in_een_team_niet_terug_te_rekenen_via_het_team():
    # team A serves X (3) and Y (20), team B serves Z (10) and W (40); totals A 23, B 50, G 73.
    # X is primary. The wijk line rule withholds Z (the smallest published wijk), but then
    # X = A - Y = 3 would still be known: the exact check must withhold more.
    paren = {("A", "X"), ("A", "Y"), ("B", "Z"), ("B", "W")}
    t = _tidy([
        {"wijkteam": "A", "uitsplitsing": "", "teller": 23.0},
        {"wijkteam": "B", "uitsplitsing": "", "teller": 50.0},
        {"wijkteam": TOTAAL, "uitsplitsing": "", "teller": 73.0},
        {"wijkteam": TOTAAL, "uitsplitsing": "wijk:X", "teller": 3.0},
        {"wijkteam": TOTAAL, "uitsplitsing": "wijk:Y", "teller": 20.0},
        {"wijkteam": TOTAAL, "uitsplitsing": "wijk:Z", "teller": 10.0},
        {"wijkteam": TOTAAL, "uitsplitsing": "wijk:W", "teller": 40.0},
    ])
    wt = pd.DataFrame([("G", a, b) for a, b in paren], columns=["gemeente", "wijkteam", "wijk"])
    uit = beveilig(t, drempel=8, typen={"x": "aantal"}, wijk_teams=wt)
    assert uit.loc[uit["uitsplitsing"] == "wijk:X", "onderdrukt"].all()
    assert _bepaald(uit, paren) == []
    # the team rows alone would not have protected X
    assert uit["onderdrukt"].sum() >= 3


def test_wijken_niet_gemengd_met_leeftijdsgroepen():
    # the gemeente's unsplit row 60 has two partitions: leeftijdsgroepen (0-17: 30, 18+: 30) and
    # wijken (X 5, Y 25, Z 30). X is primary; the wijk line needs a second wijk withheld (Y, the
    # smallest published wijk), not a leeftijdsgroep
    t = _tidy([
        {"wijkteam": TOTAAL, "uitsplitsing": "", "teller": 60.0},
        {"wijkteam": TOTAAL, "uitsplitsing": "0-17", "teller": 30.0},
        {"wijkteam": TOTAAL, "uitsplitsing": "18+", "teller": 30.0},
        {"wijkteam": TOTAAL, "uitsplitsing": "wijk:X", "teller": 5.0},
        {"wijkteam": TOTAAL, "uitsplitsing": "wijk:Y", "teller": 25.0},
        {"wijkteam": TOTAAL, "uitsplitsing": "wijk:Z", "teller": 30.0},
    ])
    uit = beveilig(t, drempel=8, typen={"x": "aantal"})
    assert uit.set_index("uitsplitsing")["onderdrukt"].to_dict() == {
        "": False, "0-17": False, "18+": False, "wijk:X": True, "wijk:Y": True, "wijk:Z": False}


def test_steekproef_voorbeelddata_wijken_beschermd():
    # the sample: every suppressed wijk row of Oosterwaarde's yearly table is not determined by the
    # published wijk, team and gemeente rows of the same indicator and year
    import monitoranalyse as ma

    md = ma.laad(ROOT / "data_samples" / "voorbeeld").voor_gemeente("Oosterwaarde")
    codes = ["maatwerk_per_inwoners", "aandeel_lichte_zorg"]
    jaar = ind.bereken(md, periode="jaar", indicatoren=codes)
    jaar = pd.concat([jaar[jaar["uitsplitsing"] == ""], ind.per_wijk(md, indicatoren=codes)], ignore_index=True)
    wt = wijk_teams(md)
    uit = beveilig(jaar, drempel=8, wijk_teams=wt)
    assert uit.loc[uit["uitsplitsing"].str.startswith("wijk:"), "onderdrukt"].any()
    paren = set(zip(wt["wijkteam"], wt["wijk"]))
    for _, groep in uit.groupby(["indicator", "periode_start"]):
        assert _bepaald(groep.reset_index(drop=True), paren) == []


def _grenzen(namen):
    import geopandas as gpd
    from shapely.geometry import box

    return gpd.GeoDataFrame({"WK_CODE": [f"WK9999{i:02d}" for i in range(len(namen))], "WK_NAAM": namen},
                            geometry=[box(i * 1000, 0, i * 1000 + 1000, 1000) for i in range(len(namen))],
                            crs="EPSG:28992")


def test_kaart_tekent_alleen_vrijgegeven_waarden():
    t = _tidy([
        {"wijkteam": TOTAAL, "uitsplitsing": "", "teller": 63.0},
        {"wijkteam": TOTAAL, "uitsplitsing": "wijk:X", "teller": 3.0},
        {"wijkteam": TOTAAL, "uitsplitsing": "wijk:Y", "teller": 20.0},
        {"wijkteam": TOTAAL, "uitsplitsing": "wijk:Z", "teller": 40.0},
    ], indicator="bereik_meldingen").assign(noemer=[3000.0, 1000.0, 1000.0, 1000.0])
    t["waarde"] = t["teller"] / t["noemer"] * 1000
    grenzen = _grenzen(["X", "Y", "Z", "Leeg"]).assign(wijk=["X", "Y", "Z", ""])
    fig = kaart.kaart(t, grenzen, "bereik_meldingen", gemeente="G")  # an UNRELEASED table goes in
    ax = fig.axes[0]
    getekend = np.concatenate([np.asarray(c.get_array()) for c in ax.collections if c.get_array() is not None])
    # X (3) is primary and Y (20) secondary: only Z (40 per 1.000) is coloured
    assert sorted(getekend.tolist()) == [40.0]
    assert any(c.get_hatch() == "///" for c in ax.collections)
    labels = [h.get_label() for h in ax.get_legend().legend_handles]
    assert kaart.ONDERDRUKT_LABEL in labels and "geen gegevens" in labels
    assert "2024" in ax.get_title("left") + ax.get_title() and "2024" in fig.ma_alt
    assert "gearceerd" in fig.ma_alt and "X" in fig.ma_alt
    g = fig.ma_gegevens.set_index("wijk")
    assert np.isnan(g.loc["X", "waarde"]) and np.isnan(g.loc["Y", "waarde"]) and g.loc["Z", "waarde"] == 40.0
    tabel = kaart.wijk_tabel(vrijgeven(t), indicatoren=["bereik_meldingen"])
    assert tabel.set_index("wijk").iloc[:, 0].to_dict() == {"X": "•", "Y": "•", "Z": "40,0"}


def test_ontbrekende_en_extra_wijken_in_de_kwaliteitstabel():
    md = _md()
    grenzen = _grenzen(["Parkwijk", "Nergenshuizen"])
    grenzen.loc[0, "WK_CODE"] = "WK999901"  # joined on the wijkcode of the table wijken
    grenzen.loc[0, "WK_NAAM"] = "Park-wijk (CBS-spelling)"
    grenzen.loc[1, "WK_CODE"] = "WK999977"
    gekoppeld, verschil = koppel_wijkgrenzen(md, "A", grenzen)
    assert gekoppeld["wijk"].tolist() == ["Parkwijk", ""]
    assert verschil.values.tolist() == [
        ["Dorp", "WK999902", "wijk in de data, niet in de wijkgrenzen"],
        ["Nergenshuizen", "WK999977", "wijk in de wijkgrenzen, niet in de data"],
    ]
    kw = kwaliteit_tabel(md, "A", wijkverschillen=verschil)
    rijen = kw[kw["tabel"] == "wijkgrenzen"]
    assert rijen["omschrijving"].tolist() == [
        "wijk in de data, niet in de wijkgrenzen: Dorp (WK999902)",
        "wijk in de wijkgrenzen, niet in de data: Nergenshuizen (WK999977)",
    ]


def test_voorbeelddata_wijkgrenzen():
    # the sample ships boundaries; Beekdal's have one wijk without data (voorbeelddata.EXTRA_GRENS)
    import monitoranalyse as ma
    from monitoranalyse.voorbeelddata import EXTRA_GRENS

    pad = ROOT / "data_samples" / "voorbeeld" / "wijkgrenzen.geojson"
    assert pad.stat().st_size < 20_000
    g = lees_wijkgrenzen(pad, "Beekdal")
    assert g.crs.to_epsg() == 28992 and {"WK_CODE", "WK_NAAM"} <= set(g.columns)
    md = ma.laad(ROOT / "data_samples" / "voorbeeld")
    _, verschil = koppel_wijkgrenzen(md, "Beekdal")
    assert verschil["wijk"].tolist() == [EXTRA_GRENS["wijk"]]
    _, verschil = koppel_wijkgrenzen(md, "Lindeveen")
    assert verschil.empty


def test_kwb_echte_cbs_rijen_en_koppeling():
    kwb = cbs.lees_kwb_wijken(KWB)
    # the gemeente row GM0307 is dropped; five wijken of 2021
    assert kwb["wijkcode"].tolist() == ["WK030701", "WK030702", "WK030703", "WK030704", "WK030706"]
    r = kwb.set_index("wijkcode")
    assert r.loc["WK030701", "cbs_inwoners"] == 5595
    # Stadskern: 55 jongeren met jeugdzorg in natura on 5595 inwoners -> 9,83 per 1.000
    assert r.loc["WK030701", "jeugdzorg_per_1000"] == pytest.approx(55 / 5595 * 1000)
    # Eemkwartier: the CBS cell is empty (suppressed) -> NaN, never 0
    assert np.isnan(r.loc["WK030704", "jeugdzorg_per_1000"])
    assert r.loc["WK030701", "aandeel_65_plus"] == pytest.approx(970 / 5595)
    eigen = pd.DataFrame({"wijk": ["Centrum", "Buiten"], "Meldingen per 1.000 inwoners": ["12,0", "•"]})
    wijken = pd.DataFrame({"gemeente": ["X", "X"], "wijk": ["Centrum", "Buiten"], "jaar": [2021, 2021],
                           "inwoners": [5600, 10], "wijkcode": ["wk030701", None]})
    ctx = cbs.wijk_context(eigen, wijken, kwb)
    assert ctx.loc[0, "wijkcode"] == "WK030701" and ctx.loc[0, "inwoners (CBS)"] == "5.595"
    assert ctx.loc[0, "jongeren met jeugdzorg per 1.000 inwoners (CBS)"] == "9,8"
    assert ctx.loc[0, "CBS-jaar"] == "2021"
    assert ctx.loc[1, "inwoners (CBS)"] == ""  # no wijkcode: no CBS figures, the wijk stays


def test_contract_wijken_laden(tmp_path):
    # the optional table wijken: a wrong wijkcode and an unknown gemeente are quarantined with a
    # Dutch message naming file, row, key and column
    import monitoranalyse as ma

    (tmp_path / "trajecten.csv").write_text(
        "traject_id,client_id,gemeente,wijkteam,datum_melding,wijk\nT0001,C0001,A,Noord,2024-01-10,Parkwijk\n",
        encoding="utf-8")
    (tmp_path / "wijken.csv").write_text(
        "gemeente;wijk;jaar;inwoners;wijkcode\nA;Parkwijk;2024;2000;WK036301\nA;Dorp;2024;500;36302\n"
        "Z;Elders;2024;10;\n", encoding="utf-8")
    md = ma.laad(tmp_path)
    assert md.tabellen["wijken"]["wijk"].tolist() == ["Parkwijk"]
    q = md.quarantaine[md.quarantaine["tabel"] == "wijken"]
    assert q["regel"].tolist() == ["onbekende_categorie", "onbekende_gemeente"]
    assert q["melding"].iloc[0].startswith("wijken.csv, rij 3 (gemeente A, wijk Dorp, jaar 2024), kolom wijkcode")

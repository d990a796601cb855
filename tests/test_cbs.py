"""Tests for monitoranalyse.opendata.cbs on the real CBS extracts in ../shared/data/cbs.

Expected values come from the raw CSV files (read here with plain pandas, independent
of the module), from CBS's own definitions (totals = sum of parts) and from hand
calculations written next to each assertion. No CBS data is stored in the project:
everything below reads ../shared through the ``cbs_dir`` fixture or writes to tmp_path.
"""

from __future__ import annotations

import json
import math
import re
import sys
import types

import numpy as np
import pandas as pd
import pytest

from monitoranalyse.contract import INDICATOR_KOLOMMEN, TOTAAL
from monitoranalyse.opendata import cbs

JEUGD = "jeugd_gemeente"
F_82968 = f"{JEUGD}/82968NED_trajecten_jeugdzorg_in_natura_regio_peildatum_2015-2020.csv"
F_82972 = f"{JEUGD}/82972NED_indicatoren_jeugdzorg_in_natura_gemeenten_2015-2020.csv"
F_85383 = "maatstaven/85383NED_gemeente_maatstaven_inwoners_bijstand_2023-2025.csv"


def _ruw(pad) -> pd.DataFrame:
    """The raw file as text, independent of the module under test."""
    return pd.read_csv(pad, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.fixture(scope="session")
def bestanden(cbs_dir):
    return sorted(cbs_dir.rglob("*NED*.csv"))


@pytest.fixture(scope="session")
def alle(cbs_dir):
    """Every extract read once (about 4 s on one core)."""
    return cbs.lees_map(cbs_dir)


@pytest.fixture(scope="session")
def maatstaven_alle(cbs_dir):
    """85383NED with both StatusCijfer rows kept."""
    return cbs.lees_statline(cbs_dir / F_85383, statuscijfer="alle")


# ---------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label, start, eind, voorlopig",
    [
        # hand calculation from the calendar; CBS half years are Jan-Jun / Jul-Dec
        ("31 maart 2015", "2015-03-31", "2015-03-31", False),
        ("30 juni 2021", "2021-06-30", "2021-06-30", False),
        ("2e halfjaar 2021", "2021-07-01", "2021-12-31", False),
        ("1e half jaar 2024", "2024-01-01", "2024-06-30", False),
        ("2021 1e halfjaar", "2021-01-01", "2021-06-30", False),
        ("1e kwartaal 2015", "2015-01-01", "2015-03-31", False),
        ("2021", "2021-01-01", "2021-12-31", False),
        ("2021*", "2021-01-01", "2021-12-31", True),
        ("2e halfjaar 2023*", "2023-07-01", "2023-12-31", True),
        ("30 juni 2024*", "2024-06-30", "2024-06-30", True),
        ("februari 2024", "2024-02-01", "2024-02-29", False),  # leap year
        ("2015JJ00", "2015-01-01", "2015-12-31", False),
        ("2015KW04", "2015-10-01", "2015-12-31", False),
        ("2016HJ02", "2016-07-01", "2016-12-31", False),
        ("2016MM02", "2016-02-01", "2016-02-29", False),
    ],
)
def test_parse_periode_vormen(label, start, eind, voorlopig):
    assert cbs.parse_periode(label) == (pd.Timestamp(start), pd.Timestamp(eind), voorlopig)


@pytest.mark.parametrize("label", ["3e halfjaar 2021", "zomer 2021", "31 juni 2021", "", "2021Q1"])
def test_parse_periode_onbekend_geeft_nederlandse_fout(label):
    with pytest.raises(ValueError, match="CBS-periode") as e:
        cbs.parse_periode(label)
    assert repr(label) in str(e.value) or label == ""


def test_parse_periode_dekt_elk_label_in_elk_bestand(bestanden):
    # Expected: every distinct Perioden value in the raw files parses, and its kind
    # follows from its wording (hand rule: a day number -> peildatum, "halfjaar" ->
    # six months, "kwartaal" -> three, a bare year -> twelve).
    labels = set()
    for pad in bestanden:
        labels |= set(_ruw(pad)["Perioden"].unique())
    assert len(labels) >= 40  # 44 distinct labels in the extracts (listed in SOURCE/STATS)
    for label in sorted(labels):
        start, eind, _ = cbs.parse_periode(label)
        maanden = (eind.year - start.year) * 12 + eind.month - start.month + 1
        if re.match(r"\d{1,2} [a-z]+ \d{4}$", label):
            assert start == eind, label
        elif "halfjaar" in label:
            assert maanden == 6 and start.day == 1 and eind == eind + pd.offsets.MonthEnd(0)
        elif "kwartaal" in label:
            assert maanden == 3
        else:
            assert re.fullmatch(r"\d{4}", label) and maanden == 12, label


# ---------------------------------------------------------------------------
# Regions
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "titel, naam, soort",
    [
        # region titles as they occur in the extracts (SOURCE.txt lists the suffixes)
        ("Utrecht (gemeente)", "Utrecht", "gemeente"),
        ("'s-Gravenhage (gemeente)", "'s-Gravenhage", "gemeente"),
        ("Utrecht (PV)", "Utrecht (PV)", "provincie"),
        ("Utrecht (CR)", "Utrecht (CR)", "corop"),
        ("Utrecht Stad (JZ)", "Utrecht Stad (JZ)", "jeugdregio"),
        ("Noord-Nederland (LD)", "Noord-Nederland (LD)", "landsdeel"),
        ("Nederland", "Nederland", "nederland"),
        ("Minder dan 20 000 inwoners", "Minder dan 20 000 inwoners", "gemeentegrootte"),
        ("250 000 inwoners of meer", "250 000 inwoners of meer", "gemeentegrootte"),
        ("20 000 tot 50 000 inwoners", "20 000 tot 50 000 inwoners", "gemeentegrootte"),
        ("Gemeentegrootte: 5 000 tot 10 000", "Gemeentegrootte: 5 000 tot 10 000", "gemeentegrootte"),
        ("Bergen (NH.)", "Bergen (NH.)", "gemeente"),
        ("Hengelo (O.)", "Hengelo (O.)", "gemeente"),
        ("  Amersfoort ", "Amersfoort", "gemeente"),
    ],
)
def test_regio_normalisatie_en_soort(titel, naam, soort):
    assert cbs.normaliseer_regio(titel) == naam
    assert cbs.regio_soort(titel) == soort


def test_geen_regio_is_zowel_gemeente_als_aggregaat(alle):
    gemeenten, aggregaten = set(), set()
    for df in alle.values():
        gemeenten |= set(df.loc[df["regio_soort"] == "gemeente", "gemeente"])
        aggregaten |= set(df.loc[df["regio_soort"] != "gemeente", "gemeente"])
    assert gemeenten.isdisjoint(aggregaten)
    # "(gemeente)" was stripped, so the gemeente and the province are different names
    assert {"Utrecht", "'s-Gravenhage", "Groningen"} <= gemeenten
    assert {"Utrecht (PV)", "Groningen (PV)", "Nederland"} <= aggregaten
    assert not any("(gemeente)" in g for g in gemeenten)


def test_aantallen_regiosoorten_82968(alle):
    # Expected: the Dutch administrative geography of 2015-2020 in this table --
    # 1 Nederland, 4 landsdelen, 12 provincies, 40 COROP-gebieden, 42 jeugdzorgregio's
    # (SOURCE.txt: 508 regions in total, so 508 - 99 = 409 gemeenten incl. defunct ones).
    df = alle["82968NED"]
    aantal = df.groupby("regio_soort")["regio"].nunique().to_dict()
    assert aantal == {
        "nederland": 1,
        "landsdeel": 4,
        "provincie": 12,
        "corop": 40,
        "jeugdregio": 42,
        "gemeente": 409,
    }


# ---------------------------------------------------------------------------
# Shape, missing values, known figures
# ---------------------------------------------------------------------------


def test_vorm_van_de_uitvoer(alle):
    df = alle["82968NED"]
    assert list(df.columns) == list(INDICATOR_KOLOMMEN) + list(cbs.CBS_KOLOMMEN)
    assert (df["wijkteam"] == TOTAAL).all()
    assert (df["methode"] == "CBS StatLine 82968NED").all()
    assert (df["uitsplitsing"] == "").all()  # RegioS x Perioden only
    assert df["indicator"].nunique() == 29  # 29 measures (SOURCE.txt)
    assert (df["eenheid"] == "aantal").all()
    # counts: teller = waarde, noemer NaN (contract: noemer is NaN for counts)
    assert df["teller"].equals(df["waarde"]) and df["noemer"].isna().all()
    assert not df.duplicated(["gemeente", "periode_start", "periode_eind", "indicator"]).any()
    # 508 regions x 13 peildata x 29 measures (SOURCE.txt); 6 604 raw rows x 29
    assert len(df) == 6604 * 29


def test_onderdrukte_cellen_blijven_nan_nooit_nul(bestanden, alle, maatstaven_alle):
    # Expected per file, from the raw text: #empty measure cells == #NaN and
    # #cells reading 0 == #zeros, so no empty cell turned into 0 (or vice versa).
    for pad in bestanden:
        ruw = _ruw(pad)
        df = alle[pad.name[:8]]
        maten = [k for k in ruw.columns if re.search(r"_\d+$", k)]
        maten = [k for k in maten if k not in df.attrs["tekstkolommen"]]
        cellen = ruw[maten]
        if "StatusCijfer" in ruw.columns:  # "beste" merges two status rows per cell
            df = maatstaven_alle
        leeg = int((cellen == "").sum().sum())
        nul = int(cellen.isin(["0", "0.0"]).sum().sum())
        assert int(df["waarde"].isna().sum()) == leeg, pad.name
        assert int((df["waarde"] == 0).sum()) == nul, pad.name
        assert leeg > 0  # every extract has suppressed cells (STATS: 14-70 %)


def test_symbolen_van_statline_en_cbsodata():
    # StatLine signs (CBS "verklaring van tekens"): "." unknown/secret, "x" secret,
    # "-" nihil (= 0), "" not delivered; untyped OData pads values with spaces.
    rijen = [
        {"ID": 0, "RegioS": "Amersfoort", "Perioden": "2021*", "Aantal_1": "      ."},
        {"ID": 1, "RegioS": "Amersfoort", "Perioden": "2020", "Aantal_1": "x"},
        {"ID": 2, "RegioS": "Amersfoort", "Perioden": "2019", "Aantal_1": "-"},
        {"ID": 3, "RegioS": "Amersfoort", "Perioden": "2018", "Aantal_1": "   1234"},
        {"ID": 4, "RegioS": "Amersfoort", "Perioden": "2017", "Aantal_1": "12,5"},
        {"ID": 5, "RegioS": "Amersfoort", "Perioden": "2016", "Aantal_1": None},
    ]
    df = cbs.lees_statline(rijen, tabel_id="99999NED").set_index("periode_start")
    w = df["waarde"]
    assert math.isnan(w["2021-01-01"]) and math.isnan(w["2020-01-01"]) and math.isnan(w["2016-01-01"])
    assert w["2019-01-01"] == 0 and w["2018-01-01"] == 1234 and w["2017-01-01"] == 12.5
    assert df["voorlopig"].to_dict() == {
        pd.Timestamp(f"{j}-01-01"): j == 2021 for j in range(2016, 2022)
    }
    assert df["eenheid"].iloc[0] == "onbekend (zie StatLine)"  # unknown table: no guess


def test_amersfoort_jeugdhulp_met_verblijf_82972(alle):
    # Known values (brief / StatLine 82972NED, column JongerenMetJeugdhMetVerblInNat_2):
    # Amersfoort 2015 = 12,2 %, 2018 = 8,5 %.
    df = alle["82972NED"]
    sel = df[
        (df["gemeente"] == "Amersfoort")
        & (df["indicator"] == "jeugdhulp_met_verblijf_pct")
        & (df["periodesoort"] == "jaar")
    ].set_index("periode_start")
    assert (sel["cbs_kolom"] == "JongerenMetJeugdhMetVerblInNat_2").all()
    assert sel.loc["2015-01-01", "waarde"] == pytest.approx(12.2)
    assert sel.loc["2018-01-01", "waarde"] == pytest.approx(8.5)
    assert (sel["eenheid"] == "procent").all() and sel["teller"].isna().all()
    # the file holds 1 kwartaal, 12 halfjaren and 6 years for Amersfoort (19 periods)
    per = df[(df["gemeente"] == "Amersfoort") & (df["indicator"] == "jeugdhulp_met_verblijf_pct")]
    assert per["periodesoort"].value_counts().to_dict() == {"halfjaar": 12, "jaar": 6, "kwartaal": 1}


def test_waarden_gelijk_aan_ruwe_bestand(cbs_dir, alle):
    # Spot check against the raw text: Nederland, 31 maart 2015, column _4 (wijkteam).
    ruw = _ruw(cbs_dir / F_82968)
    verwacht = float(
        ruw.loc[
            (ruw["RegioS"] == "Nederland") & (ruw["Perioden"] == "31 maart 2015"),
            "UitgevoerdDoorHetWijkOfBuurtteam_4",
        ].iloc[0]
    )
    assert verwacht == 14705.0  # as printed in the file's first data row
    df = alle["82968NED"]
    w = df.loc[
        (df["gemeente"] == "Nederland")
        & (df["periode_start"] == "2015-03-31")
        & (df["indicator"] == "jeugdhulp_zonder_verblijf_wijkteam"),
        "waarde",
    ]
    assert w.tolist() == [verwacht]


# ---------------------------------------------------------------------------
# Totals = sum of parts (CBS definitions), up to CBS rounding
# ---------------------------------------------------------------------------

# CBS rounds every published count independently to a multiple of 5, so each cell is
# off by at most 2,5: |totaal - som(k delen)| <= 2,5 * (k + 1). Tighter would fail on
# honest data; looser would let a wrong definition through (a missing part of a total
# of thousands would be far larger).
DEFINITIES_82968 = {
    # SOURCE.txt: _3 = _4 + _5 (zonder verblijf = wijkteam + niet door wijkteam)
    "jeugdhulp_zonder_verblijf": [
        "jeugdhulp_zonder_verblijf_wijkteam",
        "jeugdhulp_zonder_verblijf_niet_wijkteam",
    ],
    # _5 = _6 + _7 + _8
    "jeugdhulp_zonder_verblijf_niet_wijkteam": [
        "jeugdhulp_ambulant_locatie_aanbieder",
        "jeugdhulp_daghulp_locatie_aanbieder",
        "jeugdhulp_netwerk_jongere",
    ],
    # _9 = _10 + _11 + _12 + _13 (the met-verblijf subtypes)
    "jeugdhulp_met_verblijf": [
        "jeugdhulp_met_verblijf_pleegzorg",
        "jeugdhulp_met_verblijf_gezinsgericht",
        "jeugdhulp_met_verblijf_gesloten",
        "jeugdhulp_met_verblijf_ander",
    ],
    # _2 = _3 + _9 (jeugdhulp = zonder + met verblijf)
    "jeugdhulptrajecten": ["jeugdhulp_zonder_verblijf", "jeugdhulp_met_verblijf"],
}


@pytest.mark.parametrize("totaal", list(DEFINITIES_82968))
def test_totaal_is_som_van_delen_82968(alle, totaal):
    delen = DEFINITIES_82968[totaal]
    breed = alle["82968NED"].pivot_table(
        index=["gemeente", "periode_start"], columns="indicator", values="waarde"
    )
    compleet = breed[[totaal, *delen]].dropna()  # rows with a suppressed part cannot be checked
    assert len(compleet) > 1000
    verschil = (compleet[totaal] - compleet[delen].sum(axis=1)).abs()
    assert verschil.max() <= 2.5 * (len(delen) + 1)
    # and the check has teeth: leaving one part out breaks it badly
    zonder = (compleet[totaal] - compleet[delen[1:]].sum(axis=1)).abs()
    assert zonder.max() > 100


def test_totaal_is_som_van_delen_86060(alle):
    # 86060NED: clients by number of maatwerkvoorzieningen; Totaal = 1 + 2 + ... + "6 of meer"
    # (7 rounded cells -> tolerance 2,5 * 7 = 17,5).
    df = alle["86060NED"]
    breed = df[df["indicator"] == "clienten_met_maatwerkvoorzieningen"].pivot_table(
        index="gemeente", columns="uitsplitsing", values="waarde"
    )
    delen = [k for k in breed.columns if k != "Totaal"]
    assert len(delen) == 6
    compleet = breed.dropna()
    assert len(compleet) >= 50
    assert (compleet["Totaal"] - compleet[delen].sum(axis=1)).abs().max() <= 17.5


# ---------------------------------------------------------------------------
# Series breaks between table generations
# ---------------------------------------------------------------------------


def _opvolger_85094(cbs_dir) -> list[dict]:
    """A planted 2021+ generation in the shape cbsodata.get_data returns.

    85094NED is not among the extracts, so it is built from real 82968NED rows for two
    gemeenten with the periods moved three years on (2018 -> 2021). Only the table id
    and the dates matter for the break; the numbers are placeholders.
    """
    ruw = _ruw(cbs_dir / F_82968)
    ruw = ruw[ruw["RegioS"].isin(["Amersfoort", "Utrecht (gemeente)"])]
    ruw = ruw[ruw["Perioden"].str.contains("2018|2019")]
    ruw = ruw.assign(
        Perioden=ruw["Perioden"].str.replace("2018", "2021").str.replace("2019", "2022")
    )
    rijen = ruw.to_dict("records")
    for r in rijen:  # typed cbsodata gives floats and None
        for k, v in r.items():
            if re.search(r"_\d+$", k):
                r[k] = float(v) if v != "" else None
    return rijen


def test_reeksbreuk_gemarkeerd_en_geweigerd(cbs_dir, alle):
    oud = alle["82968NED"]
    nieuw = cbs.lees_statline(_opvolger_85094(cbs_dir), tabel_id="85094NED")
    assert oud["breuk_voor"].isna().all() and (oud["reeks"] == "82968NED").all()
    assert (nieuw["breuk_voor"] == pd.Timestamp("2021-01-01")).all()
    assert (nieuw["reeks"] == "85094NED").all()
    # same CBS keys -> same indicator codes in both generations
    assert set(nieuw["indicator"]) == set(oud["indicator"])

    samen = pd.concat([oud, nieuw], ignore_index=True)
    reeks = samen[(samen["gemeente"] == "Amersfoort") & (samen["indicator"] == "jeugdhulp_met_verblijf")]
    with pytest.raises(cbs.ReeksbreukFout, match="reeksbreuk vóór 2021-01-01") as e:
        cbs.controleer_reeks(reeks)
    assert "82968NED" in str(e.value) and "85094NED" in str(e.value)
    # each generation on its own is fine and is returned unchanged
    assert cbs.controleer_reeks(reeks[reeks["reeks"] == "82968NED"]) is not None
    cbs.controleer_reeks(nieuw)

    gemarkeerd = cbs.markeer_reeksbreuken(reeks)
    assert (gemarkeerd["segment"] == (gemarkeerd["periode_start"] >= "2021-01-01")).all()
    # the break is drawn once: at the first peildatum of the new series (30 juni 2021)
    assert gemarkeerd.loc[gemarkeerd["na_breuk"], "periode_start"].tolist() == [
        pd.Timestamp("2021-06-30")
    ]
    assert len(gemarkeerd) == len(reeks)  # nothing dropped, nothing stitched


def test_verschillende_tabellen_niet_mengen(alle):
    # 86050NED and 86061NED both carry WmoClienten_1 with uitsplitsing "Totaal" but
    # measure different things (all clients vs clients whose provision ended).
    samen = pd.concat([alle["86050NED"], alle["86061NED"]])
    sel = samen[(samen["gemeente"] == "Amersfoort") & (samen["indicator"] == "wmo_clienten")]
    sel = sel[(sel["uitsplitsing"] == "Totaal") & (sel["periodesoort"] == "halfjaar")]
    with pytest.raises(cbs.ReeksbreukFout, match="verschillende CBS-tabellen"):
        cbs.controleer_reeks(sel)


# ---------------------------------------------------------------------------
# Herindelingen and peer groups
# ---------------------------------------------------------------------------


def test_herindeling_geen_verzonnen_continuiteit(alle):
    # Aalburg merged into Altena on 1 January 2019 (Wet samenvoeging ... Altena):
    # Aalburg has values up to 31-12-2018, Altena from 30-06-2019; nothing in between.
    df = alle["82968NED"]
    df = df[df["indicator"] == "jeugdzorgtrajecten"]
    aalburg = df[(df["gemeente"] == "Aalburg") & df["waarde"].notna()]["periode_start"]
    altena = df[(df["gemeente"] == "Altena") & df["waarde"].notna()]["periode_start"]
    assert aalburg.max() == pd.Timestamp("2018-12-31")
    assert altena.min() == pd.Timestamp("2019-06-30")
    volledig = cbs.gemeenten_in_alle_perioden(df)
    assert "Aalburg" not in volledig and "Altena" not in volledig
    assert {"Amersfoort", "Utrecht", "'s-Gravenhage"} <= set(volledig)
    # check against a direct count on the raw rows: a gemeente is complete when it has
    # a value in all 13 peildata
    g = df[(df["regio_soort"] == "gemeente") & df["waarde"].notna()]
    direct = sorted(g.groupby("gemeente")["periode_start"].nunique().loc[lambda s: s == 13].index)
    assert volledig == direct and 300 < len(volledig) < 409


def test_vergelijkbare_gemeenten_hand():
    # Hand: |ln(120/100)| = 0,18 < |ln 2| = |ln 0,5| = 0,69 -> D first; B and C tie,
    # alphabetical order breaks the tie.
    uit = cbs.vergelijkbare_gemeenten(None, "A", inwoners={"A": 100, "B": 200, "C": 50, "D": 120}, n=2)
    assert uit["gemeente"].tolist() == ["D", "B"]
    assert uit["verhouding"].tolist() == pytest.approx([1.2, 2.0])
    assert uit["rang"].tolist() == [1, 2]
    with pytest.raises(ValueError, match="komt niet voor"):
        cbs.vergelijkbare_gemeenten(None, "Z", inwoners={"A": 1})


def test_vergelijkbare_gemeenten_85383(cbs_dir, alle):
    df = alle["85383NED"]
    uit = cbs.vergelijkbare_gemeenten(df, "Amersfoort", n=10)
    # Expected, independently from the raw file: InwonersTotaal_1 for 2024 Definitief
    # (the latest year with a value for Amersfoort; 2025 is still empty, SOURCE.txt),
    # gemeenten only (no suffix, not Nederland), closest by |ln ratio|.
    ruw = _ruw(cbs_dir / F_85383)
    r = ruw[(ruw["Perioden"] == "2024") & (ruw["StatusCijfer"] == "Definitief")]
    r = r[~r["RegioS"].str.contains(r"\((?:LD|PV|CR)\)$") & (r["RegioS"] != "Nederland")]
    r = r[r["InwonersTotaal_1"] != ""]
    inw = r.set_index("RegioS")["InwonersTotaal_1"].astype(float)
    x0 = inw.pop("Amersfoort")
    assert x0 == 161852.0
    afstand = np.abs(np.log(inw / x0)).sort_values(kind="stable")
    assert uit["gemeente"].tolist() == list(afstand.index[:10])
    assert uit.attrs["periode"] == pd.Timestamp("2024-01-01")
    assert "Amersfoort" not in uit["gemeente"].tolist()


def test_statuscijfer_beste_en_alle(cbs_dir, alle, maatstaven_alle):
    # 85383NED: Amersfoort 2024 is filled as Definitief only (SOURCE.txt caveat)
    beste = alle["85383NED"]
    alle_ = maatstaven_alle
    assert len(alle_) == 2 * len(beste)
    sel = beste[(beste["gemeente"] == "Amersfoort") & (beste["indicator"] == "inwoners")]
    rij = sel[sel["periode_start"] == "2024-01-01"].iloc[0]
    assert rij["waarde"] == 161852.0 and not rij["voorlopig"]
    assert "Regiocode_73" in beste.attrs["tekstkolommen"]  # text column left out
    with pytest.raises(ValueError, match="statuscijfer"):
        cbs.lees_statline(cbs_dir / F_85383, statuscijfer="nieuwste")


# ---------------------------------------------------------------------------
# cbsodata input, download (mocked: no network), fixture
# ---------------------------------------------------------------------------


def test_dataframe_invoer_gelijk_aan_csv_en_niet_gemuteerd(cbs_dir, alle):
    # cbsodata.get_data returns the same columns with titles as the CSV dump
    ruw = _ruw(cbs_dir / F_82972)
    kopie = ruw.copy()
    uit_df = cbs.lees_statline(ruw, tabel_id="82972NED")
    pd.testing.assert_frame_equal(ruw, kopie)  # input not mutated
    uit_csv = alle["82972NED"]
    pd.testing.assert_frame_equal(uit_df, uit_csv)
    with pytest.raises(ValueError, match="tabel_id"):
        cbs.lees_statline(ruw)


def test_download_met_nagebootste_cbsodata(monkeypatch, tmp_path):
    # cbsodata replaced by a stub with the documented signatures (get_data/get_meta/get_info)
    data = [
        {"ID": 0, "RegioS": "Amersfoort", "Perioden": "2023", "WmoClienten_1": 8000.0},
        {"ID": 1, "RegioS": "Amersfoort", "Perioden": "2024*", "WmoClienten_1": None},
    ]
    props = [{"Key": "WmoClienten_1", "Type": "Topic", "Unit": "aantal", "Title": "Wmo-cliënten"}]
    stub = types.SimpleNamespace(
        get_data=lambda t, typed=False, catalog_url=None: data,
        get_meta=lambda t, naam, catalog_url=None: props,
        get_info=lambda t, catalog_url=None: {"Title": "Wmo-cliënten; regio", "Period": "2023-2024"},
    )
    monkeypatch.setitem(sys.modules, "cbsodata", stub)
    pad = cbs.download("12345NED", tmp_path / "cbs")
    assert pad == tmp_path / "cbs" / "12345NED.csv"
    assert "Wmo-cliënten; regio" in (tmp_path / "cbs" / "12345NED_SOURCE.txt").read_text("utf-8")
    assert json.loads((tmp_path / "cbs" / "12345NED.DataProperties.json").read_text()) == props
    df = cbs.lees_statline(pad)
    assert df["eenheid"].tolist() == ["aantal", "aantal"]  # from DataProperties, not guessed
    assert df["waarde"].tolist()[0] == 8000.0 and math.isnan(df["waarde"].tolist()[1])
    assert df["voorlopig"].tolist() == [False, True]

    def kapot(*a, **k):
        raise ConnectionError("geen netwerk")

    monkeypatch.setitem(sys.modules, "cbsodata", types.SimpleNamespace(get_data=kapot))
    with pytest.raises(RuntimeError, match="downloaden van CBS-tabel 12345NED mislukt"):
        cbs.download("12345NED", tmp_path / "x")


def test_testfixture_klein_en_trouw(cbs_dir, alle, tmp_path):
    uit = cbs.maak_testfixture(cbs_dir, tmp_path / "cbs")
    klein = cbs.lees_map(uit)
    assert set(klein) == set(alle)  # every table present
    assert (uit / JEUGD / "SOURCE.txt").read_text("utf-8").startswith("AFGELEIDE TESTFIXTURE")
    for tabel, df in klein.items():
        gem = set(df.loc[df["regio_soort"] == "gemeente", "gemeente"])
        assert gem <= set(cbs.FIXTURE_GEMEENTEN), tabel
        assert set(df["regio_soort"]) <= {"gemeente", *cbs.FIXTURE_AGGREGATEN}
        # same periods, and the same numbers as the full table for the kept regions
        assert set(df["periode_start"]) == set(alle[tabel]["periode_start"]), tabel
        vol = alle[tabel][alle[tabel]["regio"].isin(df["regio"].unique())]
        pd.testing.assert_frame_equal(df.reset_index(drop=True), vol.reset_index(drop=True))
    assert len(klein["82968NED"]) < len(alle["82968NED"]) / 10
    assert sum(p.stat().st_size for p in uit.rglob("*.csv")) < 1_500_000

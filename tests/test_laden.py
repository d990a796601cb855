"""Tests for monitoranalyse.invoer.laden: dialects, quarantine rules, structural errors, accounting.

Every dataset here is built by hand in ``tmp_path``; the expected values are the planted
ones (stated next to each assertion), not values computed by the loader.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from monitoranalyse.contract import QUARANTAINE_KOLOMMEN, TOTAAL
from monitoranalyse.invoer.laden import MAX_PER_REGEL, is_bsn, laad, maskeer_bsn, verslag_validatie
from monitoranalyse.invoer.monitordata import InvoerFout

ROOT = Path(__file__).resolve().parents[1]

TRAJECT_KOP = (
    "traject_id;client_id;gemeente;wijkteam;datum_melding;datum_intake;datum_plan;datum_einde;"
    "leeftijd;problematiek;reden_einde;doelen_gesteld;doelen_behaald;tevredenheid"
)
TRAJECT_RIJEN = [
    "000123;C01;Lindeveen;Noord;01-03-2024;05-03-2024;10-03-2024;01-06-2024;34;meervoudig;doelen_behaald;3;2;7,5",
    "000124;C02;Lindeveen;Zuid;02-03-2024;;;;51;enkelvoudig;;2;2;8",
    "000125;C03;Oosterwold;Noord;03-03-2024;;;;70;;;;;",
    # nothing refers to 000126: the target of the trajecten rules (line 5)
    "000126;C04;Lindeveen;Zuid;04-03-2024;06-03-2024;11-03-2024;01-06-2024;40;enkelvoudig;afgeschaald;2;1;6",
]
INZET_KOP = "inzet_id;traject_id;vorm;datum_start;datum_einde;kosten;beschikking;datum_aanvraag;datum_beschikking"
INZET_RIJEN = [
    "I1;000123;maatwerk_wmo;01-04-2024;01-05-2024;1.234,56;ja;15-03-2024;20-03-2024",
    "I2;000124;netwerk;02-04-2024;;0,00;;;",
]
ZRM = "traject_id;datum;domein;score\n000123;05-03-2024;financien;2\n000123;05-03-2024;huisvesting;3\n"
FORMATIE = "gemeente;wijkteam;maand;fte\nLindeveen;Noord;2024-03;3,5\nOosterwold;Noord;2024-03;2\n"
BEVOLKING = "gemeente;wijkteam;jaar;inwoners\nLindeveen;Zuid;2024;12.345\n"
ENQUETE = "gemeente;wijkteam;jaar;respondent;dimensie;score\nLindeveen;Noord;2024;client;klant;8\n"
TOELICHTING = "gemeente;wijkteam;periode;tekst\nLindeveen;Noord;2024-Q1;Nieuwe teamleider\n"


def schrijf(map_: Path, naam: str, tekst: str, encoding: str = "utf-8") -> Path:
    map_.mkdir(parents=True, exist_ok=True)
    pad = map_ / naam
    pad.write_bytes(tekst.encode(encoding))
    return pad


def basis(map_: Path, traject_rijen=None, inzet_rijen=None, **vervang) -> Path:
    """A clean dataset with every table; ``vervang`` replaces a whole file's text."""
    tr = TRAJECT_RIJEN if traject_rijen is None else traject_rijen
    iz = INZET_RIJEN if inzet_rijen is None else inzet_rijen
    bestanden = {
        "trajecten.csv": "\n".join([TRAJECT_KOP, *tr]) + "\n",
        "inzet.csv": "\n".join([INZET_KOP, *iz]) + "\n",
        "zrm.csv": ZRM,
        "formatie.csv": FORMATIE,
        "bevolking.csv": BEVOLKING,
        "enquete.csv": ENQUETE,
        "toelichting.csv": TOELICHTING,
    }
    for naam, tekst in vervang.items():
        bestanden[naam.replace("_", ".")] = tekst
    for naam, tekst in bestanden.items():
        if tekst is not None:
            schrijf(map_, naam, tekst)
    return map_


def qset(md) -> set[tuple]:
    q = md.quarantaine
    return set(zip(q["tabel"], q["rij"].astype(int), q["kolom"], q["regel"]))


def rij(velden: str, **nieuw) -> str:
    """Change fields of a trajecten line by column name."""
    kop = TRAJECT_KOP.split(";")
    waarden = velden.split(";")
    for k, v in nieuw.items():
        waarden[kop.index(k)] = v
    return ";".join(waarden)


# ---------------------------------------------------------------------------
# clean data and types
# ---------------------------------------------------------------------------


def test_schone_dataset_geen_quarantaine_en_types(tmp_path):
    # planted: every table clean -> nothing in quarantine, every row used
    md = laad(basis(tmp_path))
    assert md.quarantaine.empty
    assert list(md.quarantaine.columns) == list(QUARANTAINE_KOLOMMEN)
    h = md.herkomst.set_index("tabel")
    assert h.loc["trajecten", "rijen_gelezen"] == 4 and h.loc["inzet", "rijen_gebruikt"] == 2
    t = md.trajecten
    # ids keep their leading zeros (planted "000123")
    assert t["traject_id"].tolist() == ["000123", "000124", "000125", "000126"]
    assert str(t["traject_id"].dtype) == "string"
    assert t["datum_melding"].dtype == "datetime64[ns]"
    assert str(t["leeftijd"].dtype) == "Int64"
    assert t["tevredenheid"].dtype == "float64"
    assert t["tevredenheid"].iloc[0] == 7.5  # "7,5"
    assert t["bronrij"].tolist() == [2, 3, 4, 5]  # header = 1
    # "1.234,56" in a ;-file: thousands dot + decimal comma
    assert md.inzet["kosten"].tolist() == [1234.56, 0.0]
    # maand "2024-03" -> first day of the month
    assert md.formatie["maand"].tolist() == [pd.Timestamp("2024-03-01")] * 2
    assert md.formatie["maand"].dtype == "datetime64[ns]"
    # "12.345" inwoners (geheel) in Dutch notation = 12345
    assert md.bevolking["inwoners"].tolist() == [12345]
    assert md.herkomst["sha256"].str.len().max() == 64


def test_afwezige_tabellen_zijn_leeg_met_contractkolommen(tmp_path):
    schrijf(tmp_path, "trajecten.csv", "\n".join([TRAJECT_KOP, *TRAJECT_RIJEN]) + "\n")
    md = laad(tmp_path)
    assert len(md.inzet) == 0 and "kosten" in md.inzet and "bronrij" in md.inzet
    assert md.inzet["datum_start"].dtype == "datetime64[ns]"
    h = md.herkomst.set_index("tabel")
    assert h.loc["zrm", "bestand"] == "" and h.loc["zrm", "rijen_gelezen"] == 0


# ---------------------------------------------------------------------------
# dialects
# ---------------------------------------------------------------------------


def test_komma_als_scheidingsteken_met_decimale_punt(tmp_path):
    # the same trajecten as the ;-file, written the English way
    kop = TRAJECT_KOP.replace(";", ",")
    rijen = [r.replace(";", ",").replace("7,5", "7.5") for r in TRAJECT_RIJEN]
    schrijf(tmp_path / "a", "trajecten.csv", "\n".join([kop, *rijen]) + "\n")
    basis(tmp_path / "b")
    a, b = laad(tmp_path / "a").trajecten, laad(tmp_path / "b").trajecten
    pd.testing.assert_frame_equal(a, b)


def test_getalnotaties(tmp_path):
    # hand-made: each value below with its intended number
    puntkomma = "inzet_id;traject_id;vorm;datum_start;kosten\n" + "\n".join(
        f"I{i};000123;netwerk;01-04-2024;{v}"
        for i, v in enumerate(["1.234,56", "12,5", "1.234", "1234", "€ 1.000,00", "2.5"])
    )
    basis(tmp_path / "nl", inzet_csv=puntkomma)
    k = laad(tmp_path / "nl").inzet["kosten"].tolist()
    # "1.234" is read as thousands in a Dutch-notation file; "2.5" is unambiguous
    assert k == [1234.56, 12.5, 1234.0, 1234.0, 1000.0, 2.5]

    komma = "inzet_id,traject_id,vorm,datum_start,kosten\n" + "\n".join(
        f"I{i},000123,netwerk,2024-04-01,{v}" for i, v in enumerate(["1234.56", "1.234", "7"])
    )
    basis(tmp_path / "en", inzet_csv=komma)
    # "1.234" in an English-notation file is one point two three four
    assert laad(tmp_path / "en").inzet["kosten"].tolist() == [1234.56, 1.234, 7.0]


@pytest.mark.parametrize(
    "tekst",
    ["05-03-2024", "5-3-2024", "05/03/2024", "2024-03-05", "2024-03-05 00:00:00",
     "2024-03-05T13:45", "05-03-2024 13:45"],
)
def test_datumnotaties(tmp_path, tekst):
    # every spelling means 5 March 2024 (dd-mm-jjjj, never mm-dd)
    r = rij(TRAJECT_RIJEN[0], datum_intake=tekst)
    md = laad(basis(tmp_path, [r, *TRAJECT_RIJEN[1:]]))
    assert md.quarantaine.empty
    assert md.trajecten["datum_intake"].iloc[0] == pd.Timestamp("2024-03-05")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_coderingen(tmp_path, encoding):
    # accented gemeente and team names survive every encoding; a BOM is not part of a name
    tekst = (
        "traject_id;client_id;gemeente;wijkteam;datum_melding\n"
        "1;C1;Súdwest-Fryslân;Één-Noord;01-02-2024\n"
    )
    schrijf(tmp_path, "trajecten.csv", tekst, encoding=encoding)
    md = laad(tmp_path)
    assert md.quarantaine.empty
    assert md.trajecten["gemeente"].iloc[0] == "Súdwest-Fryslân"
    assert md.trajecten["wijkteam"].iloc[0] == "Één-Noord"
    assert md.trajecten.columns[0] == "traject_id"


def test_xlsx_met_echte_datums_getallen_en_rijnummers(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["traject_id", "client_id", "gemeente", "wijkteam", "datum_melding", "leeftijd",
               "tevredenheid", "extra_kolom"])
    ws.append(["000123", "C1", "Lindeveen", "Noord", dt.datetime(2024, 3, 1), 34, 7.5, "x"])
    ws.append(["000124", "C2", "Lindeveen", "Noord", "02-03-2024", 40, "8,5", "y"])
    ws.append([None] * 8)  # an empty line is skipped, but keeps the numbering
    ws.append(["000125", "C3", "Lindeveen", "Noord", "31-02-2024", 41, 6, "z"])
    wb.save(tmp_path / "trajecten.xlsx")
    md = laad(tmp_path)
    t = md.trajecten
    assert t["traject_id"].tolist() == ["000123", "000124"]
    assert t["datum_melding"].tolist() == [pd.Timestamp("2024-03-01"), pd.Timestamp("2024-03-02")]
    assert t["tevredenheid"].tolist() == [7.5, 8.5]
    assert t["extra_kolom"].tolist() == ["x", "y"]  # extra columns are kept
    # 31-02 is no date; it sits on spreadsheet row 5 (header 1, blank row 4)
    assert qset(md) == {("trajecten", 5, "datum_melding", "ongeldige_datum")}
    assert md.herkomst.set_index("tabel").loc["trajecten", "rijen_leeg"] == 1


def test_parquet_getypeerde_kolommen(tmp_path):
    df = pd.DataFrame(
        {
            "traject_id": ["000123", "000124"],
            "client_id": ["C1", "C2"],
            "gemeente": ["Lindeveen"] * 2,
            "wijkteam": ["Noord"] * 2,
            "datum_melding": pd.to_datetime(["2024-03-01", "2024-03-02"]),
            "leeftijd": pd.array([34, None], dtype="Int64"),
            "tevredenheid": [7.5, 1.234],
        }
    )
    df.to_parquet(tmp_path / "trajecten.parquet")
    md = laad(tmp_path)
    assert md.quarantaine.empty
    t = md.trajecten
    assert t["traject_id"].tolist() == ["000123", "000124"]
    assert t["datum_melding"].iloc[1] == pd.Timestamp("2024-03-02")
    assert t["leeftijd"].isna().tolist() == [False, True]
    assert t["tevredenheid"].tolist() == [7.5, 1.234]  # a real float is never "thousands"


# ---------------------------------------------------------------------------
# quarantine rules: each planted problem gives exactly one row
# ---------------------------------------------------------------------------

T0 = TRAJECT_RIJEN[0]
T3 = TRAJECT_RIJEN[3]


@pytest.mark.parametrize(
    "wijziging, verwacht",
    [
        # trajecten line 2 = first data row
        ({"traject_rijen": [*TRAJECT_RIJEN[:3], rij(T3, datum_melding="")]},
         {("trajecten", 5, "datum_melding", "verplicht_leeg")}),
        ({"traject_rijen": [*TRAJECT_RIJEN[:3], rij(T3, datum_intake="2024-13-01")]},
         {("trajecten", 5, "datum_intake", "ongeldige_datum")}),
        ({"traject_rijen": [*TRAJECT_RIJEN[:3], rij(T3, leeftijd="vier")]},
         {("trajecten", 5, "leeftijd", "ongeldig_getal")}),
        ({"traject_rijen": [*TRAJECT_RIJEN[:3], rij(T3, leeftijd="34,5")]},
         {("trajecten", 5, "leeftijd", "ongeldig_getal")}),  # geheel: no fraction
        ({"traject_rijen": [*TRAJECT_RIJEN[:3], rij(T3, problematiek="zwaar")]},
         {("trajecten", 5, "problematiek", "onbekende_categorie")}),
        ({"traject_rijen": [*TRAJECT_RIJEN[:3], rij(T3, leeftijd="121")]},
         {("trajecten", 5, "leeftijd", "buiten_bereik")}),
        ({"traject_rijen": [*TRAJECT_RIJEN[:3], rij(T3, tevredenheid="0,5")]},
         {("trajecten", 5, "tevredenheid", "buiten_bereik")}),
        ({"traject_rijen": [*TRAJECT_RIJEN[:3], rij(T3, datum_einde="28-02-2024")]},
         {("trajecten", 5, "datum_einde", "einde_voor_start")}),
        ({"traject_rijen": [*TRAJECT_RIJEN[:3], rij(T3, datum_intake="29-02-2024")]},
         {("trajecten", 5, "datum_intake", "volgorde_datums")}),
        ({"traject_rijen": [*TRAJECT_RIJEN[:3], rij(T3, datum_plan="29-02-2024")]},
         {("trajecten", 5, "datum_plan", "volgorde_datums")}),
        # plan before intake, einde before plan (data_samples/README.md, section 4)
        ({"traject_rijen": [*TRAJECT_RIJEN[:3], rij(T3, datum_plan="05-03-2024")]},
         {("trajecten", 5, "datum_plan", "volgorde_datums")}),
        ({"traject_rijen": [*TRAJECT_RIJEN[:3], rij(T3, datum_einde="10-03-2024")]},
         {("trajecten", 5, "datum_einde", "volgorde_datums")}),
        # einde before melding is einde_voor_start only (not also einde before plan)
        ({"traject_rijen": [*TRAJECT_RIJEN[:3], rij(T3, datum_einde="01-01-2024")]},
         {("trajecten", 5, "datum_einde", "einde_voor_start")}),
        ({"traject_rijen": [*TRAJECT_RIJEN[:3], rij(T3, doelen_behaald="4")]},
         {("trajecten", 5, "doelen_behaald", "doelen_inconsistent")}),
        # Dubbel id: BOTH rows are quarantined, and the inzet row of 000124 loses its traject
        ({"traject_rijen": [*TRAJECT_RIJEN, rij(TRAJECT_RIJEN[1], client_id="C99")]},
         {("trajecten", 3, "traject_id", "dubbel_id"), ("trajecten", 6, "traject_id", "dubbel_id"),
          ("inzet", 3, "traject_id", "onbekend_traject")}),
        # inzet
        ({"inzet_rijen": [INZET_RIJEN[0], INZET_RIJEN[1].replace("0,00", "-120,00")]},
         {("inzet", 3, "kosten", "negatieve_kosten")}),
        ({"inzet_rijen": [INZET_RIJEN[0], INZET_RIJEN[1].replace("netwerk", "Netwerk ")]},
         set()),  # categories are matched after strip + lowercase
        ({"inzet_rijen": [INZET_RIJEN[0].replace("01-05-2024", "01-03-2024"), INZET_RIJEN[1]]},
         {("inzet", 2, "datum_einde", "einde_voor_start")}),
        ({"inzet_rijen": [INZET_RIJEN[0].replace("20-03-2024", "10-03-2024"), INZET_RIJEN[1]]},
         {("inzet", 2, "datum_beschikking", "volgorde_datums")}),
        ({"inzet_rijen": [INZET_RIJEN[0], INZET_RIJEN[1].replace("000124", "999999")]},
         {("inzet", 3, "traject_id", "onbekend_traject")}),
        ({"inzet_rijen": [INZET_RIJEN[0], INZET_RIJEN[1].replace("I2", "I1")]},
         {("inzet", 2, "inzet_id", "dubbel_id"), ("inzet", 3, "inzet_id", "dubbel_id")}),
        # zrm: composite key; the same date written twice differently is still a duplicate
        ({"zrm_csv": ZRM + "000123;2024-03-05;Financien;4\n"},
         {("zrm", 2, "traject_id+datum+domein", "dubbel_id"),
          ("zrm", 4, "traject_id+datum+domein", "dubbel_id")}),
        ({"zrm_csv": ZRM + "000123;05-03-2024;werk_opleiding;6\n"},
         {("zrm", 4, "score", "buiten_bereik")}),
        # team tables
        ({"formatie_csv": FORMATIE + "Lindeveen;West;2024-03;1\n"},
         {("formatie", 4, "wijkteam", "onbekend_wijkteam")}),
        ({"formatie_csv": FORMATIE + "Lindeveen;Zuid;maart;1\n"},
         {("formatie", 4, "maand", "ongeldige_maand")}),
        ({"formatie_csv": FORMATIE + "Lindeveen;Zuid;2024-03;-1\n"},
         {("formatie", 4, "fte", "buiten_bereik")}),
        ({"formatie_csv": FORMATIE + "Lindeveen;Noord;03-2024;1\n"},
         {("formatie", 2, "gemeente+wijkteam+maand", "dubbel_id"),
          ("formatie", 4, "gemeente+wijkteam+maand", "dubbel_id")}),
        ({"bevolking_csv": BEVOLKING + "Grootstad;Zuid;2024;10\n"},
         {("bevolking", 3, "gemeente", "onbekend_wijkteam")}),
        ({"enquete_csv": ENQUETE + "Lindeveen;Noord;2024;burger;klant;8\n"},
         {("enquete", 3, "respondent", "onbekende_categorie")}),
        ({"toelichting_csv": TOELICHTING + "Lindeveen;Noord;;tekst\n"},
         {("toelichting", 3, "periode", "verplicht_leeg")}),
    ],
)
def test_regels(tmp_path, wijziging, verwacht):
    md = laad(basis(tmp_path, **wijziging))
    assert qset(md) == verwacht
    # a quarantined record is never in the canonical table
    for tabel, r, _, _ in verwacht:
        assert r not in set(md.tabellen[tabel]["bronrij"])


def test_melding_is_een_volledige_zin(tmp_path):
    md = laad(basis(tmp_path, inzet_rijen=[INZET_RIJEN[0], INZET_RIJEN[1].replace("0,00", "-120,00")]))
    # the example of issue 1, word for word, plus the row's own key (issue 17: inzet_id I2 is
    # the planted id of line 3, so the user can find the row in the registration system)
    assert md.quarantaine["melding"].iloc[0] == (
        "inzet.csv, rij 3 (inzet_id I2), kolom kosten: waarde '-120,00' — kosten zijn negatief"
    )


# ---------------------------------------------------------------------------
# BSN
# ---------------------------------------------------------------------------


def test_bsn_elfproef():
    # 111222333: 9+8+7+12+10+8+9+6-3 = 66 = 6*11 -> BSN; 123456789: 147, not divisible by 11
    s = pd.Series(["111222333", "123456789", "123456782", "12345678", "0111222333", ""])
    assert is_bsn(s).tolist() == [True, False, True, False, False, False]
    assert maskeer_bsn("bsn 111222333 en 123456789") == "bsn *******33 en 123456789"


def test_bsn_wordt_geweigerd_en_nooit_getoond(tmp_path):
    r1 = rij(T0, client_id="111222333")  # valid 11-proef
    r2 = rij(TRAJECT_RIJEN[1], client_id="123456789")  # 9 digits, fails the 11-proef
    md = laad(basis(tmp_path, [r1, r2, *TRAJECT_RIJEN[2:]]))
    assert ("trajecten", 2, "client_id", "bsn") in qset(md)
    assert "123456789" in set(md.trajecten["client_id"])  # not a BSN: used
    tekst = verslag_validatie(md, details=True)
    assert "111222333" not in tekst
    assert "111222333" not in " ".join(md.quarantaine["waarde"]) + " ".join(md.quarantaine["melding"])
    assert "*******33" in tekst


# ---------------------------------------------------------------------------
# team tables and gemeente
# ---------------------------------------------------------------------------


def test_gemeente_afgeleid_en_toelichting_voor_alle_gemeenten(tmp_path):
    # Zuid only exists in Lindeveen -> derived; empty wijkteam + no gemeente -> every gemeente
    basis(
        tmp_path,
        bevolking_csv="wijkteam;jaar;inwoners\nZuid;2024;100\n",
        toelichting_csv="wijkteam;periode;tekst\n;2024;Algemeen\nZuid;2024;Zuid\n",
    )
    md = laad(tmp_path)
    assert md.quarantaine.empty
    assert md.bevolking["gemeente"].tolist() == ["Lindeveen"]
    t = md.toelichting.sort_values(["bronrij", "gemeente"])
    assert list(zip(t["gemeente"], t["wijkteam"], t["bronrij"])) == [
        ("Lindeveen", TOTAAL, 2), ("Oosterwold", TOTAAL, 2), ("Lindeveen", "Zuid", 3)
    ]
    # accounting counts source rows: 2 read, 2 used
    h = md.herkomst.set_index("tabel")
    assert (h.loc["toelichting", "rijen_gelezen"], h.loc["toelichting", "rijen_gebruikt"]) == (2, 2)


def test_dubbelzinnige_teamnaam_is_invoerfout(tmp_path):
    # Noord exists in Lindeveen and Oosterwold (planted in TRAJECT_RIJEN)
    basis(tmp_path, formatie_csv="wijkteam;maand;fte\nNoord;2024-03;1\n")
    with pytest.raises(InvoerFout, match="Noord.*meer gemeenten.*kolom 'gemeente'"):
        laad(tmp_path)


# ---------------------------------------------------------------------------
# accounting and report
# ---------------------------------------------------------------------------


def test_rijverantwoording_klopt_altijd(tmp_path):
    # row 2 has three problems, row 3 one, row 4 none -> 2 quarantined records, not 4
    r1 = rij(T0, leeftijd="abc", problematiek="x", datum_intake="1-1-1")
    r2 = rij(TRAJECT_RIJEN[1], datum_melding="")
    md = laad(basis(tmp_path, [r1, r2, *TRAJECT_RIJEN[2:]]))
    h = md.herkomst.set_index("tabel")
    assert (h.loc["trajecten", "rijen_quarantaine"], h.loc["trajecten", "rijen_gebruikt"]) == (2, 2)
    assert (h["rijen_gelezen"] == h["rijen_gebruikt"] + h["rijen_quarantaine"]).all()
    for naam, tabel in md.tabellen.items():
        assert tabel["bronrij"].nunique() == h.loc[naam, "rijen_gebruikt"]


def test_verslag_beperkt_per_regel(tmp_path):
    # MAX_PER_REGEL (50) rows are shown per rule without --details; 55 planted -> "… en 5 meer"
    rijen = [rij(T0, traject_id=f"{i:06d}", problematiek="zwaar") for i in range(MAX_PER_REGEL + 5)]
    basis(tmp_path, rijen, inzet_csv=None, zrm_csv=None, formatie_csv=None, bevolking_csv=None,
          enquete_csv=None, toelichting_csv=None)
    (tmp_path / "leesmij.txt").write_text("x")
    md = laad(tmp_path)
    kort, lang = verslag_validatie(md), verslag_validatie(md, details=True)
    assert "… en 5 meer" in kort
    assert sum("kolom problematiek" in r for r in kort.splitlines()) == MAX_PER_REGEL
    assert sum("kolom problematiek" in r for r in lang.splitlines()) == MAX_PER_REGEL + 5
    assert "leesmij.txt" in kort  # unknown files are mentioned
    assert "trajecten.csv" in kort and str(MAX_PER_REGEL + 5) in kort


# ---------------------------------------------------------------------------
# structural errors via the CLI: exit code 2, Dutch message, no traceback
# ---------------------------------------------------------------------------


def _structureel(map_: Path, soort: str) -> list[str]:
    if soort == "geen_trajecten":
        schrijf(map_, "inzet.csv", INZET_KOP + "\n")
        return ["geen bestand 'trajecten'", "inzet.csv"]
    if soort == "kolom_mist":
        schrijf(map_, "trajecten.csv", "traject_id;client_id;gemeente;wijkteam\n1;2;3;4\n")
        return ["trajecten.csv", "datum_melding", "Gevonden kolommen", "'wijkteam'"]
    if soort == "kapot_xlsx":
        schrijf(map_, "trajecten.xlsx", "dit is geen excel")
        return ["trajecten.xlsx", "kan niet gelezen worden"]
    if soort == "twee_bestanden":
        basis(map_)
        schrijf(map_, "trajecten.xlsx", "x")
        return ["trajecten.csv", "trajecten.xlsx", "meer dan één bestand"]
    if soort == "rafelige_csv":
        basis(map_, [TRAJECT_RIJEN[0] + ";teveel", *TRAJECT_RIJEN[1:]])
        return ["trajecten.csv", "regel 2", "meer velden dan de kopregel"]
    raise AssertionError(soort)


@pytest.mark.parametrize("soort", ["geen_trajecten", "kolom_mist"])
def test_structurele_fout_via_cli(tmp_path, soort):
    # a real process: exit code 2, the Dutch message, and no traceback
    verwacht = _structureel(tmp_path, soort)
    p = subprocess.run(
        [sys.executable, "-m", "monitoranalyse", "valideer", "--data", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr
    assert p.stderr.startswith("Fout: ")
    for stuk in verwacht:
        assert stuk in p.stderr, (stuk, p.stderr)


@pytest.mark.parametrize("soort", ["kapot_xlsx", "twee_bestanden", "rafelige_csv"])
def test_structurele_fout_via_cli_main(tmp_path, soort, capsys):
    # the same path as above (cli.main), in-process to keep the suite fast
    from monitoranalyse.cli import main

    verwacht = _structureel(tmp_path, soort)
    assert main(["valideer", "--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fout: ") and "Traceback" not in err
    for stuk in verwacht:
        assert stuk in err, (stuk, err)


def test_geen_map_is_invoerfout(tmp_path):
    with pytest.raises(InvoerFout, match="bestaat niet"):
        laad(tmp_path / "nergens")


def test_laden_muteert_niets_en_is_deterministisch(tmp_path):
    basis(tmp_path)
    a, b = laad(tmp_path), laad(tmp_path)
    for naam in a.tabellen:
        pd.testing.assert_frame_equal(a.tabellen[naam], b.tabellen[naam])
    assert np.array_equal(a.herkomst["sha256"], b.herkomst["sha256"])

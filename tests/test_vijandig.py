"""Hostile and broken input (issue 17): one test per bullet of the issue.

Every dataset is built by hand in ``tmp_path`` from the clean fixture of test_laden; the
expected outcome is the planted one (named next to each assertion). BSN examples are
checked by hand with the 11-proef (weights 9..2, -1):
  123456782: 9+16+21+24+25+24+21+16-2 = 154 = 14*11  -> BSN
  111222333: 9+8+7+12+10+8+9+6-3     =  66 =  6*11  -> BSN
  012345672 (written 12345672): 0+8+14+18+20+20+18+14-2 = 110 = 10*11 -> BSN
  123456789: 147, not divisible by 11 -> not a BSN
"""

from __future__ import annotations

import errno
import os
import re
import string

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_laden import T0, TOELICHTING, TRAJECT_KOP, TRAJECT_RIJEN, basis, qset, rij, schrijf

from monitoranalyse.cli import main
from monitoranalyse.invoer import bsn
from monitoranalyse.invoer.laden import DATUM_MAX, DATUM_MIN, ONTBREKEND, laad, verslag_validatie
from monitoranalyse.invoer.monitordata import InvoerFout, vertaal_os_fout
from monitoranalyse.rapport import openbaarmaking
from monitoranalyse.rapport.batch import veilige_mapnaam

GEFORMATTEERD = ["123 456 782", "111.222.333", "1234 56 782", "123-45-6782", "1234.56.782",
                 "123\u00a0456\u00a0782"]


def _bsn_uit(cijfers8: str) -> str | None:
    """Complete 8 digits to a 9-digit BSN (the check digit by the 11-proef), if one exists."""
    som = sum(int(c) * w for c, w in zip(cijfers8, range(9, 1, -1)))
    laatste = som % 11
    return cijfers8 + str(laatste) if laatste < 10 and som != 0 else None


# ---------------------------------------------------------------------------
# Privacy
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("notatie", GEFORMATTEERD)
def test_geformatteerd_bsn_in_toelichting_naar_quarantaine_en_gemaskeerd(tmp_path, notatie):
    # issue 17: "123 456 782", "111.222.333", "1234 56 782" in a toelichting were published
    toel = TOELICHTING + f"Lindeveen;Noord;2024-Q2;Gesprek met cliënt {notatie} gehad\n"
    md = laad(basis(tmp_path, toelichting_csv=toel))
    assert ("toelichting", 3, "tekst", "bsn") in qset(md)
    assert notatie not in md.toelichting["tekst"].str.cat(sep=" ")
    tekst = verslag_validatie(md, details=True)
    assert notatie not in tekst and "*******" in tekst
    assert notatie not in " ".join(md.quarantaine["waarde"]) + " ".join(md.quarantaine["melding"])


def test_bsn_zonder_voorloopnul_in_idkolom(tmp_path):
    # Excel turned 012345672 into 12345672 (8 digits): still a BSN in client_id
    md = laad(basis(tmp_path, [rij(T0, client_id="12345672"), *TRAJECT_RIJEN[1:]]))
    assert ("trajecten", 2, "client_id", "bsn") in qset(md)


@settings(max_examples=150, deadline=None)
@given(cijfers=st.text("0123456789", min_size=8, max_size=8),
       notatie=st.sampled_from(["", " ", ".", "-", "\u00a0"]),
       groepen=st.sampled_from([(3, 3, 3), (4, 2, 3), (3, 2, 4), (2, 3, 4)]),
       voor=st.sampled_from(["", "cliënt ", "bsn: ", "(", "2024-01-01 "]),
       na=st.sampled_from(["", ".", " gebeld", ")", ", zie dossier"]))
def test_detector_vindt_elke_notatie(cijfers, notatie, groepen, voor, na):
    # a generated BSN (check digit from the 11-proef) written in a common notation inside
    # free text is always found, masked, and refused by the output guard
    nummer = _bsn_uit(cijfers)
    if nummer is None:
        return
    if notatie:
        a, b, _ = groepen
        nummer = notatie.join([nummer[:a], nummer[a:a + b], nummer[a + b:]])
    tekst = f"{voor}{nummer}{na}"
    assert bsn.bevat_bsn(tekst)
    assert nummer not in bsn.maskeer(tekst)
    assert nummer.replace(notatie, "") not in bsn.maskeer(tekst).replace(notatie, "") or not notatie


@settings(max_examples=150, deadline=None)
@given(cijfers=st.text("0123456789", min_size=9, max_size=9))
def test_detector_alleen_elfproef(cijfers):
    # 9 digits are flagged exactly when they pass the 11-proef (reference: the definition)
    som = sum(int(c) * w for c, w in zip(cijfers, (9, 8, 7, 6, 5, 4, 3, 2, -1)))
    assert bsn.bevat_bsn(f"nummer {cijfers} ") == (som % 11 == 0 and som != 0)


def test_detector_geen_valse_treffers_op_gewone_getallen():
    # numbers in reports that must NOT count as BSN: decimals, dates, a sha256, an id with a prefix
    for tekst in ["duur 12.345678912 s", "0.123456789", "2024-01-01", "01-03-2024 tot 31-03-2024",
                  "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                  "T123456782", "€ 1.234.567,89"]:
        assert not bsn.bevat_bsn(tekst), tekst


@pytest.mark.parametrize("notatie", GEFORMATTEERD + ["12345672"])
def test_uitvoerwacht_vindt_geformatteerd_bsn(tmp_path, notatie):
    # the final guard uses the same detector: a formatted BSN in an HTML report is found
    (tmp_path / "monitor_gemeente.html").write_text(f"<p>Toelichting: cliënt {notatie} belde</p>")
    assert ("monitor_gemeente.html", "BSN-achtig getal") in openbaarmaking.controleer_uitvoer(tmp_path, set())


def test_toelichting_met_id_naar_quarantaine_rapport_blijft(tmp_path):
    # a toelichting naming traject id 000124 (planted in TRAJECT_RIJEN, line 3): rule id_in_tekst
    # on that toelichting row only; the other toelichting (line 2) is used
    toel = TOELICHTING + "Lindeveen;Zuid;2024-Q2;Traject 000124 liep vast\n"
    md = laad(basis(tmp_path, toelichting_csv=toel))
    assert qset(md) == {("toelichting", 3, "tekst", "id_in_tekst")}
    melding = md.quarantaine["melding"].iat[0]
    assert melding.startswith("toelichting.csv, rij 3 (")
    assert md.toelichting["tekst"].tolist() == ["Nieuwe teamleider"]


# ---------------------------------------------------------------------------
# Tracebacks and unclear errors (config: tests/test_config.py; --out: tests/test_batch_run.py)
# ---------------------------------------------------------------------------


def test_engelse_os_melding_vertaald_origineel_onder_details(tmp_path, capsys):
    # a parquet file that is not parquet: Dutch message; pyarrow's English text only with --details
    basis(tmp_path)
    (tmp_path / "zrm.csv").unlink()
    (tmp_path / "zrm.parquet").write_bytes(b"dit is geen parquet")
    assert main(["valideer", "--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "zrm.parquet kan niet gelezen worden als Parquet-bestand" in err
    assert "ArrowInvalid" not in err and "--details" in err
    assert main(["valideer", "--data", str(tmp_path), "--details"]) == 2
    assert "ArrowInvalid" in capsys.readouterr().err
    # the OS errors a user meets, in Dutch (errno -> text)
    assert vertaal_os_fout(PermissionError(errno.EACCES, "Permission denied")).startswith("geen toegang")
    assert vertaal_os_fout(OSError(errno.ENOSPC, "No space left on device")) == "de schijf is vol"


def test_quarantainemelding_noemt_sleutel_gemaskeerd(tmp_path):
    # the row's own key in every message; a BSN-like key is masked (planted: traject_id 111.222.333)
    r = rij(TRAJECT_RIJEN[1], leeftijd="abc")
    r2 = rij(TRAJECT_RIJEN[3], traject_id="111.222.333")
    md = laad(basis(tmp_path, [T0, r, TRAJECT_RIJEN[2], r2]))
    q = md.quarantaine[md.quarantaine["tabel"] == "trajecten"]
    m = dict(zip(q["rij"], q["melding"]))
    assert m[3].startswith("trajecten.csv, rij 3 (traject_id 000124), kolom leeftijd:")
    assert m[5].startswith("trajecten.csv, rij 5 (traject_id *******33), kolom traject_id:")
    assert "111.222.333" not in " ".join(md.quarantaine["melding"])


def test_zrm_sleutel_is_samengesteld(tmp_path):
    zrm = "traject_id;datum;domein;score\n000123;05-03-2024;financien;9\n"
    md = laad(basis(tmp_path, zrm_csv=zrm))
    (melding,) = md.quarantaine["melding"]
    assert "rij 2 (traject_id 000123, datum 05-03-2024, domein financien), kolom score" in melding


def test_utf16_csv_wordt_herkend(tmp_path, capsys):
    basis(tmp_path)
    tekst = (tmp_path / "trajecten.csv").read_text()
    (tmp_path / "trajecten.csv").write_bytes(tekst.encode("utf-16"))  # with BOM, as Excel writes it
    with pytest.raises(InvoerFout, match="trajecten.csv is opgeslagen als UTF-16"):
        laad(tmp_path)


def test_xlsx_opgeslagen_als_csv_wordt_herkend(tmp_path):
    basis(tmp_path)
    pd.DataFrame({"a": [1]}).to_excel(tmp_path / "x.xlsx", index=False)
    os.replace(tmp_path / "x.xlsx", tmp_path / "inzet.csv")
    with pytest.raises(InvoerFout, match=r"inzet.csv is geen tekstbestand maar een Excel-werkmap.*inzet.xlsx"):
        laad(tmp_path)


# ---------------------------------------------------------------------------
# Silent loss and collisions
# ---------------------------------------------------------------------------


def test_dubbele_kolomnaam_in_csv(tmp_path):
    # pandas would silently rename the second client_id to client_id.1
    kop = TRAJECT_KOP + ";client_id"
    basis(tmp_path, trajecten_csv="\n".join([kop, *(r + ";X" for r in TRAJECT_RIJEN)]) + "\n")
    with pytest.raises(InvoerFout, match=r"trajecten.csv: de kolom\(men\) 'client_id' staan meer dan eens"):
        laad(tmp_path)


@pytest.mark.parametrize("soort", ["map", "lus", "los"])
def test_map_of_symlinklus_als_tabel(tmp_path, soort):
    basis(tmp_path, inzet_csv=None)
    pad = tmp_path / "inzet.csv"
    if soort == "map":
        pad.mkdir()
        verwacht = "een map, geen bestand"
    elif soort == "lus":
        os.symlink(tmp_path / "inzet.csv", pad)  # points to itself
        verwacht = "een symbolische koppeling"
    else:
        os.symlink(tmp_path / "bestaat_niet.csv", pad)
        verwacht = "een symbolische koppeling"
    with pytest.raises(InvoerFout, match=f"inzet.csv in .* is {verwacht}"):
        laad(tmp_path)


@pytest.mark.parametrize("teken", ["NULL", "-", "N/A", "n.v.t.", "onbekend", "#N/B", "null"])
def test_ontbrekende_waarde_tokens(tmp_path, teken):
    # a team "NULL" or a gemeente "N/A" was accepted as a value (and got its own report)
    assert teken.lower() in ONTBREKEND
    md = laad(basis(tmp_path, [T0, rij(TRAJECT_RIJEN[1], gemeente=teken, leeftijd=teken), *TRAJECT_RIJEN[2:]]))
    assert ("trajecten", 3, "gemeente", "verplicht_leeg") in qset(md)
    assert teken not in md.gemeenten
    # in an optional column the token is simply "no value" (leeftijd of line 3 is not an error)
    assert ("trajecten", 3, "leeftijd", "ongeldig_getal") not in qset(md)


@pytest.mark.parametrize("teken", ["\x00", "\x07", "\u200b", "\x1b"])
def test_stuurteken_in_naam(tmp_path, teken):
    # a NUL in a name created a new gemeente
    md = laad(basis(tmp_path, [T0, rij(TRAJECT_RIJEN[1], gemeente=f"Linde{teken}veen"), *TRAJECT_RIJEN[2:]]))
    assert ("trajecten", 3, "gemeente", "stuurteken") in qset(md)
    assert md.gemeenten == ["Lindeveen", "Oosterwold"]
    # the message shows the character instead of printing it
    melding = md.quarantaine["melding"].iat[0]
    assert teken not in melding and re.search(r"Linde\\[xu][0-9a-f]+veen", melding)


@pytest.mark.parametrize("datum,regel", [("01-03-1900", "onwaarschijnlijke_datum"),
                                         ("2200-03-01", "onwaarschijnlijke_datum"),
                                         ("01-01-1990", None), ("2099-12-31", None)])
def test_onwaarschijnlijke_datum(tmp_path, datum, regel):
    # window DATUM_MIN..DATUM_MAX (1990-01-01 .. 2099-12-31, documented in data_samples/README.md);
    # the bounds themselves are accepted
    assert (DATUM_MIN, DATUM_MAX) == (pd.Timestamp("1990-01-01"), pd.Timestamp("2099-12-31"))
    r = rij(TRAJECT_RIJEN[1], datum_melding=datum)
    md = laad(basis(tmp_path, [T0, r, *TRAJECT_RIJEN[2:]], inzet_csv=None))
    if regel:
        assert ("trajecten", 3, "datum_melding", regel) in qset(md)
    else:
        assert md.quarantaine.empty


def test_mapnamen_uniek_voorbeelden_uit_issue(tmp_path):
    namen = ["A/B", "A_B", "A?B", "x" * 280, "Den Haag", "Den_Haag", "con", "..", ""]
    mappen = [veilige_mapnaam(n) for n in namen]
    assert len(set(mappen)) == len(namen)
    for m in mappen:  # every one is a valid folder name here
        (tmp_path / m).mkdir()
    assert veilige_mapnaam("Beekdal") == "Beekdal"  # a plain name stays readable


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=string.ascii_letters[:4] + "_/ ?.-é\x00", max_size=8), unique=True, max_size=8))
def test_mapnamen_uniek_eigenschap(namen):
    # distinct gemeente names never share a folder, and no folder name is hidden or has a slash
    mappen = [veilige_mapnaam(n) for n in namen]
    assert len(set(mappen)) == len(mappen)
    assert all("/" not in m and "\x00" not in m and not m.startswith(".") and 0 < len(m) <= 69 for m in mappen)


def test_analysefout_in_rapport_in_het_nederlands():
    # issue 17 ("English details leak into Dutch messages"): a library's English text of a failed
    # analysis step (seen on a 1-traject gemeente) is not shown in the report; our Dutch one is
    from monitoranalyse.analyse.resultaten import _reden_stap

    generiek = "niet te berekenen met deze gegevens (te weinig waarnemingen of een lege tabel)"
    assert _reden_stap(ValueError("zero-size array to reduction operation maximum which has no identity")) == generiek
    assert _reden_stap(KeyError("periode_start")) == generiek
    assert _reden_stap(ValueError("de enquête-tabel is leeg; een bollenprofiel kan niet")) == \
        "de enquête-tabel is leeg; een bollenprofiel kan niet"


def test_uitvoerwacht_celid_is_geen_bsn_maar_inhoud_wel(tmp_path):
    # A cell id is structure: nbformat gives new cells a random 8-hex id, and "12345672"
    # (8 digits, 11-proef with a leading 0 — the detector's own example) once stopped a clean
    # report in the suite. The same number in a cell's output must still be found.
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    assert bsn.bevat_bsn("12345672")
    nb = new_notebook(cells=[new_code_cell("x = 1")])
    nb.cells[0]["id"] = "12345672"
    nbformat.write(nb, str(tmp_path / "schoon.ipynb"))
    (tmp_path / "schoon.html").write_text('<div class="jp-Cell" id="cell-id=12345672"><p>1</p></div>')
    assert openbaarmaking.controleer_uitvoer(tmp_path, set()) == []
    nb.cells[0].outputs = [new_output("stream", name="stdout", text="cliënt 12345672\n")]
    nbformat.write(nb, str(tmp_path / "lek.ipynb"))
    (tmp_path / "lek.html").write_text('<div id="cell-id=abc"><p>cliënt 12345672</p></div>')
    assert sorted(openbaarmaking.controleer_uitvoer(tmp_path, set())) == [("lek.html", "BSN-achtig getal"), ("lek.ipynb", "BSN-achtig getal")]


def test_uitvoerwacht_bedragen_zijn_geen_bsn_maar_tekstcellen_wel(tmp_path):
    # Issue 16: a 9-digit euro total passes the 11-proef one time in eleven; in a run over 12
    # national gemeenten 6 reports were refused for an amount in indicatoren.xlsx. Numeric
    # workbook cells and amounts written with their unit are amounts, not BSNs; the same
    # number as text (an id column, a toelichting) is still found.
    from openpyxl import Workbook

    assert bsn.bevat_bsn("123456782") and bsn.bevat_bsn("123.456.782")
    wb = Workbook()
    wb.active.append(["kosten_maatwerk", 123456782.0, 12345672])
    wb.save(tmp_path / "indicatoren.xlsx")
    (tmp_path / "rapport.html").write_text("<p>van 123.456.782 euro naar € 123.456.782</p>", encoding="utf-8")
    assert openbaarmaking.controleer_uitvoer(tmp_path, set()) == []
    wb = Workbook()
    wb.active.append(["client", "123456782"])
    wb.save(tmp_path / "lek.xlsx")
    (tmp_path / "lek.html").write_text("<p>cliënt 123.456.782 belde</p>", encoding="utf-8")
    assert sorted(openbaarmaking.controleer_uitvoer(tmp_path, set())) == [
        ("lek.html", "BSN-achtig getal"), ("lek.xlsx", "BSN-achtig getal")]


def test_bedrag_in_een_tabelcel_staat_met_euroteken_en_wordt_niet_geweigerd(tmp_path):
    # Issue 16: the Amsterdam report (931k inwoners) was refused by the guard because a cost
    # total of 100 million or more stood as a bare "123.456.782" in a table cell of
    # monitor_gemeente (kosten table and the numbers under the cost figures), which passes the
    # 11-proef as a BSN with dots. Every table that shows a euro indicator now writes the unit in
    # the cell; a BSN in a non-amount cell of the same table is still found.
    import matplotlib

    matplotlib.use("Agg")
    from monitoranalyse.contract import INDICATOR_KOLOMMEN, TOTAAL
    from monitoranalyse.rapport import figuren, weergave

    assert bsn.bevat_bsn("123.456.782")
    basis = {"gemeente": "G", "periode_eind": pd.Timestamp("2024-12-31"), "uitsplitsing": "",
             "ondergrens": np.nan, "bovengrens": np.nan, "methode": "", "periode_start": pd.Timestamp("2024-01-01")}
    rijen = [{**basis, "wijkteam": w, "indicator": "teamkosten", "teller": t, "noemer": np.nan, "waarde": t}
             for w, t in (("Team A", 60_000_000.0), ("Team B", 63_456_782.0), (TOTAAL, 123_456_782.0))]
    rijen += [{**basis, "wijkteam": w, "indicator": "caseload", "teller": n, "noemer": np.nan, "waarde": n}
              for w, n in (("Team A", 400.0), ("Team B", 500.0), (TOTAAL, 900.0))]
    tabel = pd.DataFrame(rijen)[list(INDICATOR_KOLOMMEN)]
    # the three places an amount reaches a table cell: a tidy table, a key-figure table and the
    # numbers under a figure
    tidy = weergave.tabel_html(tabel)
    kern = weergave.toon(weergave.kerncijfers(tabel, {"teamkosten": "kosten wijkteam", "caseload": "caseload"}),
                         decimalen=0).data
    fig = weergave.figuur_html(figuren.balk_per_team(tabel, "teamkosten", titel="Teamkosten, 2024", procent=False)).data
    for html_ in (tidy, kern, fig):
        assert "€ 123.456.782" in html_
        assert "<td>123.456.782</td>" not in html_
    assert "<td>900</td>" in tidy and "<td>€ 900</td>" not in tidy  # a count keeps no unit
    (tmp_path / "monitor_gemeente.html").write_text(tidy + kern + fig, encoding="utf-8")
    assert openbaarmaking.controleer_uitvoer(tmp_path, set()) == []
    # the same number in a cell that is not an amount is still refused
    lek = tabel.assign(methode=np.where(tabel["wijkteam"] == "Team A", "123.456.782", ""))
    (tmp_path / "lek.html").write_text(weergave.tabel_html(lek), encoding="utf-8")
    assert openbaarmaking.controleer_uitvoer(tmp_path, set()) == [("lek.html", "BSN-achtig getal")]

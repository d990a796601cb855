"""The schema of monitor.toml (issue 17): every wrong type, unknown key and per-gemeente
section is refused at load with a Dutch message naming the file, the key and the expected
type (exit code 2, no traceback); the drempel is an integer >= 5 unless lowered explicitly.

Expected values: the cases are the ones reported in issue 17 (``[doelen] x = "hoog"``,
``termijnen = 42``, ``beleidswijziging = "2023-01-01"``, ``[gemeenten.X.openbaarmaking]
drempel = "acht"`` / ``-5``, ``[doelen] bestaat_niet = 0.5``, ``drempel = 0`` / ``true``); 5 is
the CBS minimum named in the issue.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_laden import basis

from conftest import ROOT, VOORBEELD
from monitoranalyse.analyse.resultaten import herkomst_tabel
from monitoranalyse.cli import main
from monitoranalyse.config import MINIMUM_DREMPEL, ConfigFout, lees_config
from monitoranalyse.invoer.laden import laad

FOUT = [
    ('[doelen]\nafschaling = "hoog"\n', r"\[doelen\] afschaling = 'hoog' \(tekst\); verwacht een getal"),
    ("termijnen = 42\n", r"termijnen = 42 \(een geheel getal\); verwacht een tabel"),
    ('beleidswijziging = "2023-01-01"\n', r"beleidswijziging = '2023-01-01' \(tekst\); verwacht een lijst van tabellen"),
    ('[gemeenten.Lindeveen.openbaarmaking]\ndrempel = "acht"\n',
     r"\[gemeenten.Lindeveen.openbaarmaking\] drempel = 'acht' \(tekst\); verwacht een geheel getal ≥ 5"),
    ("[gemeenten.Lindeveen.openbaarmaking]\ndrempel = -5\n",
     r"\[gemeenten.Lindeveen.openbaarmaking\] drempel = -5 .*verwacht een geheel getal ≥ 1"),
    ("[doelen]\nbestaat_niet = 0.5\n", r"\[doelen\] kent de sleutel 'bestaat_niet' niet"),
    ("[openbaarmaking]\ndrempel = 0\n", r"drempel = 0 .*verwacht een geheel getal ≥ 1"),
    ("[openbaarmaking]\ndrempel = true\n", r"drempel = true \(ja/nee \(true/false\)\); verwacht een geheel getal ≥ 5"),
    ('[openbaarmaking]\ndrempel = "8"\n', r"drempel = '8' \(tekst\); verwacht een geheel getal ≥ 5"),
    ("[openbaarmaking]\ndrempel = 4\n", r"drempel = 4 .*lage_drempel_toegestaan = true"),
    ("[openbaarmaking]\ndrempel = 8.5\n", r"drempel = 8.5 \(een getal\); verwacht een geheel getal"),
    ("[termijnen]\nplan = 4.2\n", r"\[termijnen\] plan = 4.2 \(een getal\); verwacht een geheel getal ≥ 0"),
    ("[periode]\nvan = 2021-01-01\n", r"\[periode\] van = .*verwacht een maand als tekst"),
    ('[periode]\nvan = "2025-01"\ntot = "2021-01"\n', r"van 2025-01 ligt na tot 2021-01"),
    ('[[beleidswijziging]]\ndatum = "1-1-2023"\nlabel = "x"\n', r"beleidswijziging\]\] nr. 1 datum = '1-1-2023'"),
    ("[[beleidswijziging]]\ndatum = 2023-01-01\n", r"nr. 1 mist 'label'"),
    ('[[gemeenten.Lindeveen.beleidswijziging]]\ndatum = 2023-01-01\nlabel = 5\n', r"label = 5 .*niet-lege tekst"),
    ("[gemeenten.Lindeveen]\nonbekend = 1\n", r"\[gemeenten.Lindeveen\]: onbekende sectie 'onbekend'"),
    ("[gemeenten]\nLindeveen = 3\n", r"gemeenten.Lindeveen = 3 .*verwacht een tabel"),
    ("[openbaarmaking]\nlage_drempel_toegestaan = 1\n", r"lage_drempel_toegestaan = 1 .*verwacht true of false"),
    ("[extra]\na = 1\n", r"onbekende sectie 'extra'"),
]


@pytest.mark.parametrize("toml,patroon", FOUT)
def test_schema_weigert_met_nederlandse_melding(tmp_path, toml, patroon):
    (tmp_path / "monitor.toml").write_text(toml)
    with pytest.raises(ConfigFout, match=patroon) as e:
        lees_config(tmp_path)
    assert str(tmp_path / "monitor.toml") in str(e.value)  # the file is named


def test_alle_fouten_in_een_keer(tmp_path):
    # three planted problems -> one message listing all three
    (tmp_path / "monitor.toml").write_text('[doelen]\nx = 1\n[termijnen]\nplan = "z"\n[openbaarmaking]\ndrempel = 2\n')
    with pytest.raises(ConfigFout, match="bevat 3 fout") as e:
        lees_config(tmp_path)
    assert str(e.value).count("\n  - ") == 3


def test_schema_fout_via_cli_exit_2_zonder_traceback(tmp_path):
    basis(tmp_path)
    (tmp_path / "monitor.toml").write_text('[gemeenten.Lindeveen.openbaarmaking]\ndrempel = "acht"\n')
    p = subprocess.run([sys.executable, "-m", "monitoranalyse", "valideer", "--data", str(tmp_path)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "monitor.toml" in p.stderr and "drempel = 'acht'" in p.stderr


def test_toml_syntaxfout_vertaald_origineel_met_details(tmp_path, capsys):
    basis(tmp_path)
    (tmp_path / "monitor.toml").write_text("[doelen]\nafschaling 0.3\n")
    assert main(["valideer", "--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "na een sleutel wordt '=' verwacht (regel 2, positie 12)" in err
    assert "Expected" not in err
    assert main(["valideer", "--data", str(tmp_path), "--details"]) == 2
    assert "Expected '=' after a key" in capsys.readouterr().err


def test_voorbeeldconfig_is_geldig():
    # the committed sample configuration passes the schema (and keeps its values)
    cfg = lees_config(VOORBEELD)
    assert cfg.drempel == 8 and cfg.voor_gemeente("Lindeveen").doelen["afschaling"] == 0.3


def test_lage_drempel_alleen_expliciet_en_in_verantwoording(tmp_path):
    # drempel 3 with the explicit setting: accepted, and the verantwoording (herkomst table shown
    # in every report) says so; without the setting it is refused (FOUT above)
    basis(tmp_path)
    (tmp_path / "monitor.toml").write_text("[openbaarmaking]\ndrempel = 3\nlage_drempel_toegestaan = true\n")
    md = laad(tmp_path)
    assert md.config.drempel == 3 and md.config.drempel_verlaagd
    h = dict(herkomst_tabel(md, {"gemeente": "Lindeveen"}).itertuples(index=False, name=None))
    assert h["openbaarmaking drempel"] == "3"
    assert "onder het CBS-minimum 5" in h["LET OP: verlaagde drempel"]
    # the default drempel is not flagged
    (tmp_path / "monitor.toml").unlink()
    h = dict(herkomst_tabel(laad(tmp_path), {"gemeente": "Lindeveen"}).itertuples(index=False, name=None))
    assert h["openbaarmaking drempel"] == "8" and "LET OP: verlaagde drempel" not in h


def test_lage_drempel_per_gemeente(tmp_path):
    (tmp_path / "monitor.toml").write_text(
        "[gemeenten.Lindeveen.openbaarmaking]\ndrempel = 2\nlage_drempel_toegestaan = true\n")
    cfg = lees_config(tmp_path)
    assert cfg.drempel == 8 and cfg.voor_gemeente("Lindeveen").drempel == 2
    assert cfg.voor_gemeente("Lindeveen").lage_drempel_toegestaan


@settings(max_examples=80, deadline=None)
@given(w=st.one_of(st.booleans(), st.integers(-10, 20), st.floats(allow_nan=True), st.text(max_size=4)))
def test_drempel_eigenschap(tmp_path_factory, w):
    # only an int >= MINIMUM_DREMPEL (5) is accepted without the explicit setting
    import tomllib

    map_ = tmp_path_factory.mktemp("c")
    waarde = {True: "true", False: "false"}.get(w, None) if isinstance(w, bool) else None
    if waarde is None:
        waarde = repr(w) if not isinstance(w, str) else '"' + w.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(w, float):
            waarde = {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(repr(w), repr(w))
    tekst = f"[openbaarmaking]\ndrempel = {waarde}\n"
    try:
        tomllib.loads(tekst)
    except tomllib.TOMLDecodeError:
        return  # not expressible as TOML
    (map_ / "monitor.toml").write_text(tekst)
    goed = isinstance(w, int) and not isinstance(w, bool) and w >= MINIMUM_DREMPEL
    if goed:
        assert lees_config(map_).drempel == w
    else:
        with pytest.raises(ConfigFout, match="drempel"):
            lees_config(map_)

"""Run-level robustness of ``monitoranalyse rapport`` (issue 17): --out checks, the private
work folder, stale leftovers, workers dying with the parent, signals, the index rebuilt from
disk, a failing index write, "all rows in quarantine", and silent kernels.

The notebooks are replaced (MONITORANALYSE_NOTEBOOKS) by three one-cell notebooks that only
print the gemeente (and sleep SLAAP seconds), so a run takes seconds; the analysis pipeline
itself still runs in the worker. The dataset is the hand-made one of test_laden (gemeenten
Lindeveen and Oosterwold). Expected outcomes are the requirements of the issue.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from test_laden import TRAJECT_RIJEN, basis, rij

from conftest import ROOT
from monitoranalyse.invoer.monitordata import InvoerFout
from monitoranalyse.rapport import batch
from monitoranalyse.rapport.batch import METADATA, NOTEBOOKS, WERKMAP_PREFIX, _schrijf_index, ruim_oude_resten_op

pytestmark = pytest.mark.traag


@pytest.fixture()
def mini_notebooks(tmp_path, monkeypatch) -> Path:
    map_ = tmp_path / "nb"
    map_.mkdir()
    for naam in NOTEBOOKS:
        nb = nbformat.v4.new_notebook()
        nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                       "language_info": {"name": "python"}}
        p = nbformat.v4.new_code_cell('gemeente = "x"\nwerkmap = None\ndata = None\nvan = None\ntot = None')
        p.metadata["tags"] = ["parameters"]
        nb.cells = [p, nbformat.v4.new_code_cell(
            'import os, time\ntime.sleep(float(os.environ.get("SLAAP", "0")))\nprint("rapport", gemeente)')]
        nbformat.write(nb, map_ / f"{naam}.ipynb")
    monkeypatch.setenv("MONITORANALYSE_NOTEBOOKS", str(map_))
    return map_


@pytest.fixture()
def data(tmp_path) -> Path:
    return basis(tmp_path / "data")


def _cli(*args, env=None, **kw):
    return subprocess.Popen([sys.executable, "-m", "monitoranalyse", "rapport", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, **(env or {})), **kw)


def _nakomelingen(pid: int) -> set[int]:
    """All descendants of ``pid`` (from /proc)."""
    kinderen: dict[int, list[int]] = {}
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                ppid = int((p / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kinderen.setdefault(ppid, []).append(int(p.name))
    uit, stapel = set(), [pid]
    while stapel:
        for k in kinderen.get(stapel.pop(), []):
            uit.add(k)
            stapel.append(k)
    return uit


def _leeft(pid: int) -> bool:
    try:
        toestand = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return toestand != "Z"


def _wacht_op(voorwaarde, seconden=120.0):
    eind = time.time() + seconden
    while time.time() < eind:
        if voorwaarde():
            return True
        time.sleep(0.2)
    return False


# ---------------------------------------------------------------------------
# --out, work folder, leftovers
# ---------------------------------------------------------------------------


def test_out_is_bestand_of_onbereikbaar_exit_2_voor_het_werk(tmp_path, capsys):
    from monitoranalyse.cli import main

    bestand = tmp_path / "rapporten.txt"
    bestand.write_text("x")
    # the data folder does not exist: the --out message comes first, so --out is checked before any work
    assert main(["rapport", "--data", str(tmp_path / "nergens"), "--out", str(bestand)]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and "bestaand bestand, geen map" in err and "Traceback" not in err
    assert main(["rapport", "--data", str(tmp_path / "nergens"), "--out", str(bestand / "sub")]) == 2
    err = capsys.readouterr().err
    assert "de map kan niet gemaakt worden: een deel van het pad is geen map" in err
    assert "Errno" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in a read-only folder")
def test_out_alleen_lezen(tmp_path, data):
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    with pytest.raises(InvoerFout, match="geen schrijfrechten"):
        batch.rapport(data, out)


def test_werkmap_prive_in_out_en_weg_na_fout_oude_resten_opgeruimd(tmp_path, data, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    # leftovers of a dead run (lock free) and of a live concurrent run (lock held here)
    dood = out / f"{WERKMAP_PREFIX}dood"
    dood.mkdir()
    (dood / "slot").write_text("")
    (dood / "monitordata.pkl").write_bytes(b"rijen")
    (out / ".Lindeveen.bezig.dood.ab12").mkdir()
    (out / ".Lindeveen.oud.12345").mkdir()  # the naming of earlier versions: also stale
    levend = out / f"{WERKMAP_PREFIX}levend"
    levend.mkdir()
    slot = open(levend / "slot", "w")
    fcntl.flock(slot, fcntl.LOCK_EX | fcntl.LOCK_NB)
    (out / ".Lindeveen.bezig.levend.cd34").mkdir()
    gezien = {}

    def kapotte_laad(map_, **kw):
        (w,) = [p for p in out.iterdir() if p.name.startswith(WERKMAP_PREFIX) and p != levend]
        gezien["modus"] = w.stat().st_mode & 0o777
        gezien["map"] = w
        raise InvoerFout("geplante fout bij het laden")

    monkeypatch.setattr("monitoranalyse.invoer.laden.laad", kapotte_laad)
    try:
        with pytest.raises(InvoerFout, match="geplante fout"):
            batch.rapport(data, out)
        # the work folder lived inside --out, private (0700), and is gone after the error
        assert gezien["modus"] == 0o700 and gezien["map"].parent == out
        assert not gezien["map"].exists()
        over = sorted(p.name for p in out.iterdir())
        assert over == sorted([levend.name, ".Lindeveen.bezig.levend.cd34"])
    finally:
        slot.close()
    # once the other run has ended, its leftovers count as stale too
    assert ruim_oude_resten_op(out) and not list(out.iterdir())


def test_alle_rijen_in_quarantaine(tmp_path, data, capsys):
    # Oosterwold has one traject (TRAJECT_RIJEN[2]); with a broken date it is quarantined
    from monitoranalyse.cli import main

    rijen = [TRAJECT_RIJEN[0], TRAJECT_RIJEN[1], rij(TRAJECT_RIJEN[2], datum_melding="31-02-2024"), TRAJECT_RIJEN[3]]
    basis(data, rijen)
    assert main(["rapport", "--data", str(data), "--out", str(tmp_path / "o"), "--gemeente", "Oosterwold"]) == 2
    err = capsys.readouterr().err
    assert "Alle 1 trajecten van gemeente 'Oosterwold' staan in quarantaine" in err
    assert "niet in de data" not in err
    # an unknown name still says so
    assert main(["rapport", "--data", str(data), "--out", str(tmp_path / "o"), "--gemeente", "Nergens"]) == 2
    assert "komt niet voor in de data" in capsys.readouterr().err
    # no usable trajecten at all (every datum_melding broken): said as such, not "0 gemeenten"
    basis(data, [rij(r, datum_melding="31-02-2024") for r in TRAJECT_RIJEN])
    assert main(["rapport", "--data", str(data), "--out", str(tmp_path / "o")]) == 2
    assert "alle 4 trajecten staan in quarantaine" in capsys.readouterr().err


# ---------------------------------------------------------------------------
# index.html from disk
# ---------------------------------------------------------------------------


def _oud_rapport(out: Path, gemeente: str, map_: str, gemaakt: str) -> None:
    (out / map_).mkdir(parents=True)
    (out / map_ / METADATA).write_text(json.dumps({"gemeente": gemeente, "gemaakt": gemaakt,
                                                   "notebooks": list(NOTEBOOKS)}))


def test_index_van_schijf_en_vorig_rapport_bij_mislukken(tmp_path):
    # disk full during Lindeveen's run: its previous report (1 March) stays and is linked with
    # its date; Oosterwold was made by an earlier run and is listed from disk
    out = tmp_path
    _oud_rapport(out, "Lindeveen", "Lindeveen", "2026-03-01T10:15:00+01:00")
    _oud_rapport(out, "Oosterwold", "Oosterwold", "2026-02-01T09:00:00+01:00")
    _schrijf_index(out, [{"gemeente": "Lindeveen", "status": "mislukt",
                          "reden": "schrijven of lezen mislukt: de schijf is vol"}], {"data": "x"})
    html = (out / "index.html").read_text()
    lind = html.split("<td>Lindeveen</td>")[1].split("</tr>")[0]
    assert "mislukt" in lind and "de schijf is vol" in lind
    assert "vorige rapport van 01-03-2026 10:15" in lind and "href='Lindeveen/monitor_gemeente.html'" in lind
    oost = html.split("<td>Oosterwold</td>")[1].split("</tr>")[0]
    assert "gelukt" in oost and "eerdere run (01-02-2026 09:00)" in oost


def test_index_gelukt_maar_niet_op_schijf_niet_als_gelukt(tmp_path):
    # a status "gelukt" whose folder is gone (e.g. removed meanwhile) is not listed as done
    _schrijf_index(tmp_path, [{"gemeente": "A/B", "status": "gelukt", "map": "A_B-x", "seconden": 1}], {})
    assert "A/B" not in (tmp_path / "index.html").read_text()


def test_index_schrijven_mislukt_status_per_gemeente_toch_getoond(tmp_path, data, mini_notebooks,
                                                               monkeypatch, capsys):
    def vol(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(batch, "_schrijf_index", vol)
    code = batch.rapport(data, tmp_path / "out", gemeenten=["Lindeveen"], parallel=1)
    uit = capsys.readouterr()
    assert code == 1
    assert "Lindeveen: gelukt" in uit.out
    assert "index.html kon niet geschreven worden: de schijf is vol" in uit.err


# ---------------------------------------------------------------------------
# processes: a complete CLI run, SIGKILL, SIGTERM
# ---------------------------------------------------------------------------


def test_cli_run_stil_en_netjes(tmp_path, data, mini_notebooks):
    out = tmp_path / "out"
    p = _cli("--data", str(data), "--out", str(out), "--parallel", "2")
    stdout, stderr = p.communicate(timeout=600)
    assert p.returncode == 0, stderr
    # no English kernel warnings ("IPKernelApp ... without encryption") on the terminal
    assert "IPKernelApp" not in stderr and "encryption" not in stderr, stderr
    assert sorted(p.name for p in out.iterdir()) == ["Lindeveen", "Oosterwold", "index.html"]
    index = (out / "index.html").read_text()
    assert index.count("class='ok'") == 2


def test_sigkill_workers_sterven_mee_resten_opgeruimd_bij_volgende_start(tmp_path, data, mini_notebooks):
    out = tmp_path / "out"
    p = _cli("--data", str(data), "--out", str(out), "--parallel", "2", env={"SLAAP": "40"})
    alle: set[int] = set()
    try:
        assert _wacht_op(lambda: out.is_dir() and any(".bezig." in q.name for q in out.iterdir())), \
            p.communicate(timeout=5)
        assert _wacht_op(lambda: len(_nakomelingen(p.pid)) >= 2)
        time.sleep(2)
        alle = _nakomelingen(p.pid)
        workers = {k for k in alle if Path(f"/proc/{k}/stat").exists()
                   and int(Path(f"/proc/{k}/stat").read_text().rsplit(")", 1)[1].split()[1]) == p.pid}
        assert workers
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=30)
        # the workers die with the parent (they would otherwise swap in a report later)
        assert _wacht_op(lambda: not any(_leeft(w) for w in workers), 30), [w for w in workers if _leeft(w)]
        assert not (out / "Lindeveen").exists() and not (out / "Oosterwold").exists()
        # leftovers of the killed run: the work folder with every input row, .bezig folders
        assert any(q.name.startswith(WERKMAP_PREFIX) for q in out.iterdir())
        # the next start removes them
        weg = ruim_oude_resten_op(out)
        assert any(n.startswith(WERKMAP_PREFIX) for n in weg) and any(".bezig." in n for n in weg)
        assert not [q for q in out.iterdir() if q.name.startswith(".")]
    finally:
        for k in alle | {p.pid}:  # our own processes only
            if _leeft(k):
                os.kill(k, signal.SIGKILL)


def test_sigterm_ruimt_op(tmp_path, data, mini_notebooks):
    out = tmp_path / "out"
    p = _cli("--data", str(data), "--out", str(out), "--parallel", "1", env={"SLAAP": "40"})
    alle: set[int] = set()
    try:
        assert _wacht_op(lambda: out.is_dir() and any(".bezig." in q.name for q in out.iterdir()))
        time.sleep(2)
        alle = _nakomelingen(p.pid)
        p.send_signal(signal.SIGTERM)
        _, stderr = p.communicate(timeout=60)
        assert p.returncode == 143 and "Gestopt" in stderr and "Traceback" not in stderr
        # work folder and half-made reports are gone, no report was swapped in
        assert not [q for q in out.iterdir() if q.name.startswith(".")]
        assert not (out / "Lindeveen").exists()
    finally:
        for k in alle | {p.pid}:
            if _leeft(k):
                os.kill(k, signal.SIGKILL)


def test_echte_notebooks_op_gemeente_met_een_traject(tmp_path, data):
    # issue 17: a gemeente with 1 traject (Oosterwold in the test_laden fixture) crashed the monitor
    # notebook; the real notebooks now run through for it (and for Lindeveen, 3 trajecten)
    out = tmp_path / "out"
    code = batch.rapport(data, out, parallel=2)
    assert code == 0
    for g in ("Lindeveen", "Oosterwold"):
        for n in NOTEBOOKS:
            html = (out / g / f"{n}.html").read_text()
            assert "Traceback" not in html and "Error:" not in html, (g, n)

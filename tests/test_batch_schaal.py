"""The batch at scale (issue 16): the dataset split once per gemeente, ``--alleen-gewijzigd``,
progress and time per stage, and ``--cluster`` against a Dask ``LocalCluster``.

Expectations come from the issue: a worker reads only its own gemeente and computes exactly
what it computed from the whole dataset; a rerun with unchanged data, parameters and code
skips every gemeente, a change in one gemeente's rows redoes that gemeente only; the same
tasks run on a Dask cluster of separate processes with the same failure semantics (one
failing gemeente does not stop the others, nothing is left behind). The fast runs use the
one-cell notebooks and the hand-made dataset of test_batch_run / test_laden.
"""

from __future__ import annotations

import json
import re
import shutil

import nbformat
import pandas as pd
import pytest
from test_batch_run import data, mini_notebooks  # noqa: F401 - fixtures
from test_laden import TRAJECT_RIJEN, basis, rij

from conftest import ROOT
from monitoranalyse.analyse.resultaten import kwaliteit_tabel
from monitoranalyse.invoer.laden import laad
from monitoranalyse.invoer.monitordata import InvoerFout
from monitoranalyse.rapport import batch
from monitoranalyse.rapport.batch import METADATA

pytestmark = pytest.mark.traag


# ---------------------------------------------------------------------------
# splitting
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("map_", ["voorbeeld", "rommelig"])
def test_deel_per_gemeente_is_wat_voor_gemeente_ziet(map_):
    md = laad(ROOT / "data_samples" / map_)
    delen = dict(md.per_gemeente())
    assert sorted(delen) == md.gemeenten
    for g, deel in delen.items():
        assert deel.gemeenten == [g]
        heel, apart = md.voor_gemeente(g), deel.voor_gemeente(g)
        for naam in md.tabellen:
            pd.testing.assert_frame_equal(heel.tabellen[naam], apart.tabellen[naam], obj=f"{g} {naam}")
        # the quality table (row accounting, quarantine per rule, rows of no gemeente) is the same
        pd.testing.assert_frame_equal(kwaliteit_tabel(md, g), kwaliteit_tabel(deel, g))
    # every table row lands in exactly one part (tables without a gemeente are in every part)
    for naam, df in md.tabellen.items():
        if "gemeente" in df.columns or "traject_id" in df.columns:
            assert sum(len(d.tabellen[naam]) for d in delen.values()) == len(df), naam


def test_deel_van_een_groep_gemeenten():
    md = laad(ROOT / "data_samples" / "voorbeeld")
    deel = md.deel(["Beekdal", "Oosterwaarde"])
    assert deel.gemeenten == ["Beekdal", "Oosterwaarde"]
    for g in deel.gemeenten:
        pd.testing.assert_frame_equal(md.voor_gemeente(g).trajecten, deel.voor_gemeente(g).trajecten)


def test_vingerafdruk_volgt_alleen_de_eigen_gegevens(tmp_path):
    def afdrukken(traject_rijen):
        md = laad(basis(tmp_path / f"d{len(list(tmp_path.iterdir()))}", traject_rijen=traject_rijen))
        return {g: d.vingerafdruk() for g, d in md.per_gemeente()}

    oud = afdrukken(TRAJECT_RIJEN)
    assert oud["Lindeveen"] != oud["Oosterwold"]
    assert afdrukken(TRAJECT_RIJEN) == oud  # deterministic
    # one of Oosterwold's rows changes: only Oosterwold's fingerprint changes
    anders = [rij(r, leeftijd="71") if ";Oosterwold;" in r else r for r in TRAJECT_RIJEN]
    nieuw = afdrukken(anders)
    assert nieuw["Lindeveen"] == oud["Lindeveen"] and nieuw["Oosterwold"] != oud["Oosterwold"]
    # Oosterwold's row moved to the top of the file: Lindeveen's rows get other row numbers
    # (bronrij) but are the same rows in the same order, so Lindeveen is not redone
    oost = [r for r in TRAJECT_RIJEN if ";Oosterwold;" in r]
    verschoven = afdrukken(oost + [r for r in TRAJECT_RIJEN if r not in oost])
    assert verschoven == oud


# ---------------------------------------------------------------------------
# --alleen-gewijzigd, progress, time per stage
# ---------------------------------------------------------------------------


def _meta(out, g):
    return json.loads((out / g / METADATA).read_text(encoding="utf-8"))


def test_alleen_gewijzigd_slaat_ongewijzigde_gemeenten_over(tmp_path, data, mini_notebooks, capsys):  # noqa: F811
    out = tmp_path / "out"
    assert batch.rapport(data, out, parallel=2) == 0
    eerst = capsys.readouterr().out
    # progress with an estimate, and the time per stage
    assert re.search(r"\[1/2\] (Lindeveen|Oosterwold): gelukt \(.* s\) — nog ongeveer", eerst), eerst
    assert "Tijd per stap (werkers opgeteld): laden en controleren" in eerst and "notebooks uitvoeren" in eerst
    m1 = {g: _meta(out, g) for g in ("Lindeveen", "Oosterwold")}
    assert all(m["vingerafdruk"] for m in m1.values())

    # unchanged: both skipped, the folders untouched
    inode = {g: (out / g).stat().st_ino for g in m1}
    assert batch.rapport(data, out, parallel=2, alleen_gewijzigd=True) == 0
    tweede = capsys.readouterr().out
    assert "0 gelukt, 0 mislukt, 2 ongewijzigd overgeslagen." in tweede, tweede
    assert {g: (out / g).stat().st_ino for g in m1} == inode
    assert {g: _meta(out, g) for g in m1} == m1
    assert (out / "index.html").read_text().count("ongewijzigd: gemaakt op") == 2

    # without the flag everything is made again
    assert batch.rapport(data, out, parallel=2) == 0
    assert all(_meta(out, g)["gemaakt"] >= m1[g]["gemaakt"] for g in m1)
    assert {g: (out / g).stat().st_ino for g in m1} != inode
    m2 = {g: _meta(out, g) for g in m1}
    assert {g: m["vingerafdruk"] for g, m in m2.items()} == {g: m["vingerafdruk"] for g, m in m1.items()}
    capsys.readouterr()

    # one of Oosterwold's rows changes: only Oosterwold is made again
    shutil.rmtree(data)
    basis(data, traject_rijen=[rij(r, leeftijd="71") if ";Oosterwold;" in r else r for r in TRAJECT_RIJEN])
    inode = {g: (out / g).stat().st_ino for g in m1}
    assert batch.rapport(data, out, parallel=2, alleen_gewijzigd=True) == 0
    derde = capsys.readouterr().out
    assert "1 gelukt, 0 mislukt, 1 ongewijzigd overgeslagen." in derde, derde
    assert (out / "Lindeveen").stat().st_ino == inode["Lindeveen"]
    assert (out / "Oosterwold").stat().st_ino != inode["Oosterwold"]
    assert _meta(out, "Oosterwold")["vingerafdruk"] != m2["Oosterwold"]["vingerafdruk"]

    # other parameters (a different window): everything is made again
    assert batch.rapport(data, out, parallel=2, alleen_gewijzigd=True, tot="2024-12") == 0
    assert "2 gelukt, 0 mislukt." in capsys.readouterr().out


def test_alleen_gewijzigd_na_mislukte_gemeente_probeert_opnieuw(tmp_path, data, mini_notebooks, capsys):  # noqa: F811
    out = tmp_path / "out"
    faal = nbformat.read(mini_notebooks / "samenvatting.ipynb", as_version=4)
    goed = nbformat.writes(faal)
    faal.cells.append(nbformat.v4.new_code_cell('if gemeente == "Oosterwold":\n    raise ValueError("geplant")'))
    nbformat.write(faal, mini_notebooks / "samenvatting.ipynb")
    assert batch.rapport(data, out, parallel=2) == 1
    assert not (out / "Oosterwold").exists()
    (mini_notebooks / "samenvatting.ipynb").write_text(goed, encoding="utf-8")
    capsys.readouterr()
    # the notebooks changed (MONITORANALYSE_NOTEBOOKS is part of the fingerprint): both again
    assert batch.rapport(data, out, parallel=2, alleen_gewijzigd=True) == 0
    assert "2 gelukt, 0 mislukt." in capsys.readouterr().out
    assert (out / "Oosterwold" / "samenvatting.html").is_file()


def test_voortgang_en_duur():
    assert batch._duur(42) == "42 s" and batch._duur(600) == "10 min" and batch._duur(5400) == "1 u 30 min"
    regel = batch._voortgang(1, 4, __import__("time").time() - 60, "Lindeveen: gelukt")
    assert regel.startswith("[1/4] Lindeveen: gelukt — nog ongeveer 3 min (klaar rond ")
    # weighted by size: a gemeente of 1000 trajecten done in 60 s of (1000 + 3 x 100) + 4 x 350 fixed
    werk = batch._werk({"Groot": 1000, "A": 100, "B": 100, "C": 100})
    assert werk == {"Groot": 1325.0, "A": 425.0, "B": 425.0, "C": 425.0}
    regel = batch._voortgang(1, 4, __import__("time").time() - 60, "Groot: gelukt", 1325 / 2600)
    assert "nog ongeveer 58 s" in regel or "nog ongeveer 57 s" in regel


def test_grootste_gemeente_eerst_en_ouder_laat_de_data_los(tmp_path, monkeypatch):
    # Largest first (a large gemeente that starts last keeps one worker busy after the others are
    # done), and the pool opens only after the parent dropped the dataset. The pool is replaced by
    # one that records what it gets and finishes nothing (each gemeente then reads as mislukt).
    from concurrent.futures import Future

    import gc
    from monitoranalyse.invoer.monitordata import Monitordata

    ingediend = []

    class Opnemer:
        def submit(self, functie, gemeente, *args):
            levend = [o for o in gc.get_objects() if isinstance(o, Monitordata)]
            ingediend.append((gemeente, len(levend)))
            f = Future()
            f.set_exception(RuntimeError("niet uitgevoerd in deze test"))
            return f

        def shutdown(self, **kw):
            pass

    # Oosterwold (4 trajecten) after Lindeveen (3) in the alphabet, before it by size
    extra = [rij(TRAJECT_RIJEN[2], traject_id=f"00013{i}", client_id=f"C1{i}") for i in range(3)]
    data = basis(tmp_path / "data", traject_rijen=TRAJECT_RIJEN + extra)
    monkeypatch.setattr(batch, "_open_pool", lambda parallel, cluster: (Opnemer(), None))
    gc.collect()
    al_levend = sum(isinstance(o, Monitordata) for o in gc.get_objects())  # other tests' fixtures
    batch.rapport(data, tmp_path / "uit", regio=False)
    assert laad(data).tabellen["trajecten"]["gemeente"].value_counts().to_dict() == {"Oosterwold": 4, "Lindeveen": 3}
    assert [g for g, _ in ingediend] == ["Oosterwold", "Lindeveen"]
    assert all(n <= al_levend for _, n in ingediend)  # none of this run's Monitordata alive in the parent


def test_tabellen_in_een_draad_tijdens_de_notebooks_en_een_fout_laat_de_gemeente_mislukken(
        tmp_path, data, mini_notebooks, monkeypatch):
    # The tables (csv/xlsx) are written in a thread while the kernel runs the notebooks. They
    # must be in the report and timed; a failure in the thread fails the gemeente (never a report
    # without its tables), and no half-made folder is left behind.
    import pickle

    werkmap = tmp_path / f"{batch.WERKMAP_PREFIX}test"
    werkmap.mkdir()
    with open(batch.deel_pad(werkmap, "Lindeveen"), "wb") as f:
        pickle.dump(laad(data).deel(["Lindeveen"]), f)
    goed, fout = tmp_path / "goed", tmp_path / "fout"
    goed.mkdir()
    fout.mkdir()
    s = batch.verwerk_gemeente("Lindeveen", str(werkmap), str(goed), {})
    assert s["status"] == "gelukt", s
    assert s["tijden"]["tabellen"] > 0
    assert {"indicatoren.csv", "indicatoren.xlsx", "signalen.csv"} <= {p.name for p in (goed / s["map"]).iterdir()}

    def kapot(res, map_):
        (map_ / "indicatoren.csv").write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(batch, "_schrijf_tabellen", kapot)
    s = batch.verwerk_gemeente("Lindeveen", str(werkmap), str(fout), {})
    assert s["status"] == "mislukt" and "schijf" in s["reden"].lower(), s
    assert list(fout.iterdir()) == []

def test_kernel_mag_langer_dan_60_s_starten(tmp_path, monkeypatch):
    # A national run lost a gemeente to papermill's default start_timeout of 60 s on a loaded
    # machine; the batch gives a kernel KERNEL_START_SECONDEN.
    import papermill

    gezien = {}

    def vang(*args, **kwargs):
        gezien.update(kwargs)
        raise RuntimeError("gestopt in de test")

    monkeypatch.setattr(papermill, "execute_notebook", vang)
    with pytest.raises(RuntimeError, match="gestopt in de test"):
        batch._voer_uit(tmp_path, "samenvatting", {}, tmp_path)
    assert gezien["start_timeout"] == batch.KERNEL_START_SECONDEN >= 180

# ---------------------------------------------------------------------------
# --cluster: a Dask LocalCluster of separate processes
# ---------------------------------------------------------------------------


@pytest.fixture()
def localcluster(mini_notebooks):  # noqa: F811 - the workers inherit MONITORANALYSE_NOTEBOOKS
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=50)
    try:
        yield cluster
    finally:
        cluster.close()


def test_cluster_maakt_dezelfde_rapporten(tmp_path, data, mini_notebooks, localcluster, capsys):  # noqa: F811
    faal = nbformat.read(mini_notebooks / "trendanalyse.ipynb", as_version=4)
    faal.cells.append(nbformat.v4.new_code_cell('if gemeente == "Oosterwold":\n    raise ValueError("geplant")'))
    nbformat.write(faal, mini_notebooks / "trendanalyse.ipynb")
    out = tmp_path / "out"
    code = batch.rapport(data, out, cluster=localcluster.scheduler_address)
    uitvoer = capsys.readouterr().out
    # one failing gemeente does not stop the other; exit code 1 names it
    assert code == 1, uitvoer
    assert "Oosterwold: MISLUKT — fout in notebook: ValueError: geplant" in uitvoer
    assert (out / "Lindeveen" / "trendanalyse.html").is_file()
    assert "rapport Lindeveen" in (out / "Lindeveen" / "samenvatting.ipynb").read_text()
    assert not (out / "Oosterwold").exists()
    # nothing left behind: no work folder, no half-made report
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    # the tasks ran on the cluster (the scheduler saw them), not in a local process pool
    sleutels = {str(t[0]) for t in localcluster.scheduler.transition_log}
    assert sum(s.startswith("verwerk_gemeente-") for s in sleutels) == 2, sleutels


def test_cluster_onbereikbaar_nederlandse_melding(tmp_path, data):  # noqa: F811
    pytest.importorskip("distributed")
    with pytest.raises(InvoerFout, match="geen Dask-scheduler bereikbaar"):
        batch.rapport(data, tmp_path / "out", cluster="tcp://127.0.0.1:9")


# ---------------------------------------------------------------------------
# one kernel per gemeente
# ---------------------------------------------------------------------------


def test_een_kernel_per_gemeente_leeg_tussen_de_notebooks(tmp_path, data, mini_notebooks):  # noqa: F811
    for nb_pad in mini_notebooks.glob("*.ipynb"):
        nb = nbformat.read(nb_pad, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(
            'print("kernel", os.getpid())\nprint("schoon", "geheim_van_vorige" not in globals())\n'
            'geheim_van_vorige = gemeente'))
        nbformat.write(nb, nb_pad)
    out = tmp_path / "out"
    assert batch.rapport(data, out, parallel=2) == 0
    pids = {}
    for g in ("Lindeveen", "Oosterwold"):
        for naam in batch.NOTEBOOKS:
            nb = nbformat.read(out / g / f"{naam}.ipynb", as_version=4)
            tekst = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
            # nothing of the previous notebook is left, and the cells are numbered from 1
            assert "schoon True" in tekst, (g, naam, tekst)
            assert [c.execution_count for c in nb.cells if c.cell_type == "code"][0] == 1
            pids.setdefault(g, set()).add(re.search(r"kernel (\d+)", tekst).group(1))
    # one kernel for the four notebooks of a gemeente, another one for the next gemeente
    assert all(len(p) == 1 for p in pids.values()), pids
    assert pids["Lindeveen"] != pids["Oosterwold"]


def test_cli_geeft_alleen_gewijzigd_en_cluster_door(monkeypatch):
    from monitoranalyse import cli

    gezien = {}
    monkeypatch.setattr(batch, "rapport", lambda **kw: gezien.update(kw) or 0)
    assert cli.main(["rapport", "--data", "d", "--out", "o", "--alleen-gewijzigd",
                     "--cluster", "tcp://planner:8786"]) == 0
    assert gezien["alleen_gewijzigd"] is True and gezien["cluster"] == "tcp://planner:8786"
    assert cli.main(["rapport", "--data", "d", "--out", "o"]) == 0
    assert gezien["alleen_gewijzigd"] is False and gezien["cluster"] is None

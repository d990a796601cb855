"""The package installs like a real package (issue 13): a built wheel, installed in a fresh
virtual environment, runs ``monitoranalyse rapport`` on the sample data.

The wheel is built from a copy of the sources (pyproject.toml, README.md, monitoranalyse/),
so nothing outside the package can help: no ``notebooks/`` folder beside it, no editable
install, and the run happens in an empty working directory without MONITORANALYSE_NOTEBOOKS
or PYTHONPATH. The notebooks and the nbconvert template must come from the wheel's package
data, and the notebook kernel must be the fresh environment's interpreter (a planted
``python3`` kernelspec that starts ``/bin/false`` is searched first and must not be used).
The wheel is installed with ``--no-deps``; the dependencies are those of the environment that runs
the tests, reached through a ``.pth`` file (a plain path line: that environment's own ``.pth``
files, among them the editable install of this checkout, are not processed). Resolving and
downloading ~100 dependencies took about 5 of this test's 7 minutes, and ``run.py`` resolves
the same list from ``pyproject.toml`` on every fresh checkout anyway; what this test adds is the
wheel, its package data and its entry point. nbconvert's own templates live in
``share/jupyter`` of an environment, so that folder of the test environment is on JUPYTER_PATH
(after the trap).
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, VOORBEELD

pytestmark = pytest.mark.traag


def _pip(python, *args, cwd):
    r = subprocess.run([str(python), "-m", "pip", "--disable-pip-version-check", *args],
                       cwd=cwd, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return r


@pytest.fixture(scope="module")
def wiel(tmp_path_factory):
    bron = tmp_path_factory.mktemp("bron")
    shutil.copy(ROOT / "pyproject.toml", bron)
    shutil.copy(ROOT / "README.md", bron)
    shutil.copytree(ROOT / "monitoranalyse", bron / "monitoranalyse",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    uit = tmp_path_factory.mktemp("wiel")
    _pip(sys.executable, "wheel", "--no-deps", "--quiet", "-w", str(uit), str(bron), cwd=bron)
    (pad,) = uit.glob("monitoranalyse-*.whl")
    return pad


def test_wiel_bevat_notebooks_en_sjabloon(wiel):
    namen = set(zipfile.ZipFile(wiel).namelist())
    for naam in ("monitor_gemeente", "trendanalyse", "teamvergelijking", "cbs_benchmark", "verkenner"):
        assert f"monitoranalyse/rapport/notebooks/{naam}.ipynb" in namen
    for bestand in ("conf.json", "index.html.j2"):
        assert f"monitoranalyse/rapport/sjabloon/rapport/{bestand}" in namen


def test_wiel_in_verse_omgeving_maakt_rapport(wiel, tmp_path):
    # a trap for the kernel: a "python3" kernelspec that is not a kernel, searched first
    vals = tmp_path / "jupyter" / "kernels" / "python3"
    vals.mkdir(parents=True)
    (vals / "kernel.json").write_text(json.dumps(
        {"argv": ["/bin/false", "{connection_file}"], "display_name": "vals", "language": "python"}))
    omgeving = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(omgeving)
    bin_ = omgeving / ("Scripts" if os.name == "nt" else "bin")
    python = bin_ / ("python.exe" if os.name == "nt" else "python")
    (naar,) = (omgeving / "lib").glob("python*/site-packages") if os.name != "nt" else [omgeving / "Lib" / "site-packages"]
    (naar / "_testomgeving.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    _pip(python, "install", "--quiet", "--no-deps", str(wiel), cwd=tmp_path)

    leeg = tmp_path / "leeg"
    leeg.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in {"MONITORANALYSE_NOTEBOOKS", "PYTHONPATH", "VIRTUAL_ENV"}}
    env["JUPYTER_PATH"] = os.pathsep.join([str(tmp_path / "jupyter"), str(Path(sys.prefix) / "share" / "jupyter")])
    env["PATH"] = f"{bin_}{os.pathsep}{env.get('PATH', '')}"
    # the package comes from the fresh environment's site-packages, not from this checkout
    r = subprocess.run([str(python), "-c", "import monitoranalyse; print(monitoranalyse.__file__)"],
                       cwd=leeg, env=env, capture_output=True, text=True, check=True)
    assert str(omgeving) in r.stdout and str(ROOT) not in r.stdout

    out = tmp_path / "rapporten"
    r = subprocess.run([str(bin_ / "monitoranalyse"), "rapport", "--data", str(VOORBEELD), "--out", str(out),
                        "--gemeente", "Oosterwaarde", "--parallel", "1"],
                       cwd=leeg, env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    map_ = out / "Oosterwaarde"
    for naam in ("monitor_gemeente", "trendanalyse", "teamvergelijking"):
        html = (map_ / f"{naam}.html").read_text(encoding="utf-8")
        assert ".ma-kader {" in html  # the packaged nbconvert template (its report style) was used
        assert "Oosterwaarde" in html
    assert (map_ / "indicatoren.xlsx").is_file()

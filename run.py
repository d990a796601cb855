#!/usr/bin/env python3
"""The two commands of the README, for a fresh machine with only Python 3.11+.

    python3 ./run.py rapport   # installs what it needs, makes the reports for the sample data
    python3 ./run.py test      # installs what it needs, runs the complete test suite

Both create (once) a virtual environment in ``.venv`` next to this file and install
the package from ``pyproject.toml`` into it; the install is repeated only when
``pyproject.toml`` changes. Extra arguments are passed on (to ``monitoranalyse rapport``
or to pytest). Only the standard library is used here, on purpose.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("MONITORANALYSE_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def _zeg(tekst: str) -> None:
    print(f"[run.py] {tekst}", flush=True)


def _installeer(extra: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 of nieuwer is nodig; dit is {sys.version.split()[0]}.")
    if not PY.exists():
        _zeg(f"virtuele omgeving maken in {VENV}")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    stempel = VENV / ".monitoranalyse-installatie"
    inhoud = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extra.encode()).hexdigest()
    if stempel.exists() and stempel.read_text() == inhoud:
        return
    _zeg("pakketten installeren (eenmalig, duurt een paar minuten)")
    pip = [str(PY), "-m", "pip", "--disable-pip-version-check"]
    subprocess.run(pip + ["install", "--quiet", "--upgrade", "pip"], check=True)
    doel = f"{ROOT}[{extra}]" if extra else str(ROOT)
    subprocess.run(pip + ["install", "--quiet", "-e", doel], check=True)
    stempel.write_text(inhoud)


def _chromium() -> None:
    """The browser test needs Debian's chromium; install it when we may (root, apt)."""
    if shutil.which("chromium") or shutil.which("chromium-browser"):
        return
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        _zeg("chromium ontbreekt: de browsertest wordt overgeslagen")
        return
    _zeg("chromium installeren voor de browsertest (apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    r = subprocess.run(["apt-get", "update", "-qq"], env=env)
    if r.returncode == 0:
        r = subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
            env=env,
            stdout=subprocess.DEVNULL,
        )
    if r.returncode != 0:
        _zeg("chromium kon niet worden geïnstalleerd: de browsertest wordt overgeslagen")


def rapport(args: list[str]) -> int:
    _installeer("")
    if not args:
        args = ["--data", str(ROOT / "data_samples" / "voorbeeld"), "--out", str(ROOT / "reports")]
    return subprocess.run([str(BIN / "monitoranalyse"), "rapport", *args], cwd=ROOT).returncode


def test(args: list[str]) -> int:
    _installeer("test")
    _chromium()
    cmd = [str(PY), "-m", "pytest", "-n", "2", "--dist", "loadfile", *args]
    code = subprocess.run(cmd, cwd=ROOT).returncode
    if code == 5:  # pytest: no tests collected
        print("0 passed, 1 failed: geen enkele test uitgevoerd", flush=True)
        return 1
    return code


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"rapport", "test"}:
        print(__doc__)
        return 2
    taak, rest = sys.argv[1], sys.argv[2:]
    return {"rapport": rapport, "test": test}[taak](rest)


if __name__ == "__main__":
    sys.exit(main())

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
    # The stamp names what was installed for which pyproject.toml; the "test" extra includes the
    # plain install, so "rapport" after "test" installs nothing (and "test" after "rapport" only
    # adds the test packages).
    stempel = VENV / ".monitoranalyse-installatie"
    basis = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    inhoud = f"{extra or 'basis'}:{basis}"
    gedaan = stempel.read_text().split() if stempel.exists() else []
    if inhoud in gedaan or f"test:{basis}" in gedaan:
        return
    _zeg("pakketten installeren (eenmalig, duurt een paar minuten)")
    pip = [str(PY), "-m", "pip", "--disable-pip-version-check"]
    subprocess.run(pip + ["install", "--quiet", "--upgrade", "pip"], check=True)
    doel = f"{ROOT}[{extra}]" if extra else str(ROOT)
    subprocess.run(pip + ["install", "--quiet", "-e", doel], check=True)
    stempel.write_text(inhoud)


def _chromium() -> None:
    """The browser tests need Debian's chromium and chromium-driver (Selenium runs axe-core in
    it); install them when we may (root, apt)."""
    nodig = [p for p, prog in (("chromium", "chromium"), ("chromium-driver", "chromedriver"))
             if not shutil.which(prog) and not (prog == "chromium" and shutil.which("chromium-browser"))]
    if not nodig:
        return
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        _zeg(f"{' en '.join(nodig)} ontbreekt: de browsertests worden overgeslagen")
        return
    _zeg(f"{' en '.join(nodig)} installeren voor de browsertests (apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    r = subprocess.run(["apt-get", "update", "-qq"], env=env)
    if r.returncode == 0:
        r = subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *nodig],
            env=env,
            stdout=subprocess.DEVNULL,
        )
    if r.returncode != 0:
        _zeg(f"{' en '.join(nodig)} kon niet worden geïnstalleerd: de browsertests worden overgeslagen")


def _axe_core() -> dict:
    """A current axe-core for the accessibility test, from the npm registry when npm is there.

    axe-selenium-python bundles axe-core too, but on Python 3.11 pip can only give its
    older release (axe-core 3.1, WCAG 2.0 rules); the npm package has the current rules
    (WCAG 2.1). Returns the environment for pytest (MONITORANALYSE_AXE_JS) or {}.
    """
    doel = VENV / "axe-core" / "package" / "axe.min.js"
    if not doel.exists() and shutil.which("npm"):
        import tarfile
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            r = subprocess.run(["npm", "pack", "axe-core@4", "--silent"], cwd=tmp, capture_output=True, text=True)
            pakket = next(Path(tmp).glob("axe-core-*.tgz"), None)
            if r.returncode == 0 and pakket is not None:
                with tarfile.open(pakket) as tar:
                    tar.extract("package/axe.min.js", VENV / "axe-core", filter="data")
    if doel.exists():
        return {"MONITORANALYSE_AXE_JS": str(doel)}
    _zeg("axe-core via npm niet beschikbaar: de toegankelijkheidstest gebruikt de versie uit axe-selenium-python")
    return {}


def rapport(args: list[str]) -> int:
    _installeer("")
    if not args:
        # the sample's three gemeenten also side by side in one regio report (issue 15), and the
        # monitor report as an accessible PDF (issue 18)
        args = ["--data", str(ROOT / "data_samples" / "voorbeeld"), "--out", str(ROOT / "reports"),
                "--regio", "Voorbeeldregio", "--pdf"]
    return subprocess.run([str(BIN / "monitoranalyse"), "rapport", *args], cwd=ROOT).returncode


def test(args: list[str]) -> int:
    _installeer("test")
    _chromium()
    env = dict(os.environ, **_axe_core())
    cmd = [str(PY), "-m", "pytest", "-n", "2", "--dist", "loadfile", *args]
    code = subprocess.run(cmd, cwd=ROOT, env=env).returncode
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

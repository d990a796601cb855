"""Project hygiene: dependency lists agree, README opens with the two commands, CI calls them."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT


def _naam(spec: str) -> str:
    return re.split(r"[<>=!~ \[;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _conda_pakketten() -> dict[str, str]:
    pakketten = {}
    in_deps = False
    for regel in (ROOT / "environment.yml").read_text().splitlines():
        if regel.startswith("dependencies:"):
            in_deps = True
            continue
        m = re.match(r"^  - ([A-Za-z0-9_.\-]+)(.*)$", regel)
        if in_deps and m and m.group(1) not in ("pip",):
            pakketten[m.group(1).lower()] = m.group(2).strip()
    return pakketten


def test_environment_yml_spiegelt_pyproject():
    # expected: every runtime + test dependency of pyproject.toml appears in environment.yml with the
    # same version bound, and environment.yml lists nothing else (python and pip aside).
    pp = _pyproject()["project"]
    specs = pp["dependencies"] + pp["optional-dependencies"]["test"]
    verwacht = {_naam(s): s[len(_naam(s)):].strip() for s in specs}
    conda = _conda_pakketten()
    conda.pop("python", None)
    assert conda == verwacht


def test_readme_begint_met_de_twee_commandos():
    regels = [r for r in (ROOT / "README.md").read_text().splitlines() if r.strip()]
    assert regels[:4] == ["```bash", "python3 ./run.py rapport", "python3 ./run.py test", "```"]


def test_ci_roept_het_testcommando_uit_de_readme():
    assert "python3 ./run.py test" in (ROOT / ".ci" / "run").read_text()


def test_rapporten_niet_in_git():
    regels = (ROOT / ".gitignore").read_text().splitlines()
    assert "/reports/*" in regels and "!/reports/README.md" in regels

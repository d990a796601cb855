"""Shared fixtures.

``reference_dir``: ``tests/reference``, the reference vectors of published tools that the
tests compare with (PHEindicatormethods, Stata via statsmodels, pyMannKendall, Lopez Bernal
et al.), copied from ../shared/reference with their SOURCE.txt, so every clone runs them.

``shared_dir``: the project's ../shared folder, for the CBS extracts (``cbs_dir``: 9 MB of
StatLine downloads, not copied into the repository). It is present on the developers'
machines and in CI, absent on a user's machine: tests that need it are skipped cleanly
there. MONITORANALYSE_SHARED overrides the path.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MONITORANALYSE_SHARED", ROOT.parent / "shared"))
VOORBEELD = ROOT / "data_samples" / "voorbeeld"
ROMMELIG = ROOT / "data_samples" / "rommelig"
REFERENCE = Path(__file__).resolve().parent / "reference"
#: The generated report notebooks (package data) and the folder of their builders.
NOTEBOOKS = ROOT / "monitoranalyse" / "rapport" / "notebooks"
BOUWERS = ROOT / "notebooks"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared niet aanwezig ({SHARED}); test op de CBS-extracten overgeslagen")
    return SHARED


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    return REFERENCE


@pytest.fixture(scope="session")
def cbs_dir(shared_dir) -> Path:
    return shared_dir / "data" / "cbs"

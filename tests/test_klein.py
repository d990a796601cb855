"""Tiny gemeenten through the whole pipeline (issue 17, "crashes on small or odd data").

A gemeente with 1 traject crashed the monitor notebook ("Length mismatch" in
doorlooptijd_verdeling) and a team named ``Wijkteam $x^$`` crashed matplotlib's mathtext.
Here tiny gemeenten (1, 2, 7, 8 and 20 trajecten; a team without any intake; no inzet, zrm or
enquête) are cut from the generated sample data, written as a dataset, loaded, analysed
(:func:`resultaten.bereken_resultaten`), written through the render boundary, and then EVERY code
cell of the three report notebooks is executed in-process on the result, with every figure
really drawn (savefig) and every table rendered to HTML. The property: no exception anywhere,
and the user's team name is drawn literally (no mathtext).
"""

from __future__ import annotations

import io
import pickle
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from conftest import ROOT  # noqa: E402
from monitoranalyse import voorbeelddata  # noqa: E402
from monitoranalyse.analyse import resultaten
from monitoranalyse.invoer.laden import laad  # noqa: E402
from monitoranalyse.rapport import batch, figuren

pytestmark = pytest.mark.traag

GEMEENTE = "Beekdal"
TEAM_WISKUNDE = "Wijkteam $x^$"  # invalid mathtext: raises ValueError when parsed


@pytest.fixture(scope="module")
def bron() -> dict[str, pd.DataFrame]:
    return voorbeelddata.genereer_tabellen(seed=5, schaal=0.05)


def _klein(bron, n: int, zonder: tuple[str, ...], team_zonder_intake: bool, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    tr = bron["trajecten"]
    tr = tr[tr["gemeente"] == GEMEENTE]
    tr = tr.iloc[np.sort(rng.choice(len(tr), size=min(n, len(tr)), replace=False))].copy()
    teams = sorted(tr["wijkteam"].unique())
    if team_zonder_intake:
        m = tr["wijkteam"] == teams[-1]
        tr.loc[m, ["datum_intake", "datum_plan"]] = pd.NaT
    ids = set(tr["traject_id"])
    t = {"trajecten": tr}
    for naam in ("inzet", "zrm"):
        t[naam] = bron[naam][bron[naam]["traject_id"].isin(ids)].copy()
    for naam in ("formatie", "enquete", "bevolking", "toelichting"):
        df = bron[naam]
        t[naam] = df[(df["gemeente"] == GEMEENTE) & (df["wijkteam"].isin(teams) | df["wijkteam"].isna())].copy()
    for naam in zonder:
        t[naam] = t[naam].iloc[0:0]
    # the first team gets a name that matplotlib would read as (broken) mathtext
    for df in t.values():
        if "wijkteam" in df.columns:
            df.loc[df["wijkteam"] == teams[0], "wijkteam"] = TEAM_WISKUNDE
    return t


def _cellen(naam: str) -> list[str]:
    nb = nbformat.read(ROOT / "notebooks" / f"{naam}.ipynb", as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]


def _toon(obj) -> None:
    """``display`` that really renders: figures are drawn, tables become HTML."""
    import matplotlib.figure

    if isinstance(obj, matplotlib.figure.Figure):
        obj.savefig(io.BytesIO(), format="png")
    elif hasattr(obj, "_repr_html_"):
        obj._repr_html_()
    else:
        repr(obj)


def _draai(t: dict, werk: Path) -> resultaten.Resultaten:
    map_ = voorbeelddata.schrijf_dataset(t, werk / "data")
    md = laad(map_)
    assert md.gemeenten == [GEMEENTE]
    res = resultaten.bereken_resultaten(md, GEMEENTE)
    batch._schrijf_tabellen(res, werk / "uit")  # the render boundary on tiny data
    werkmap = werk / "werk"
    werkmap.mkdir()
    with open(resultaten.cache_pad(werkmap, GEMEENTE), "wb") as f:
        pickle.dump(res, f)
    import matplotlib.pyplot as plt

    for nb in batch.NOTEBOOKS:
        ns = {"gemeente": GEMEENTE, "data": None, "werkmap": str(werkmap), "van": None, "tot": None}
        for i, bron_ in enumerate(_cellen(nb)):
            try:
                exec(compile(bron_, f"{nb}[{i}]", "exec"), ns)  # noqa: S102 - our own notebooks
            except Exception as e:  # pragma: no cover - the message names notebook and cell
                raise AssertionError(f"{nb}, cel {i} faalt op een kleine gemeente: {type(e).__name__}: {e}\n{bron_}") from e
            ns["display"] = _toon
        plt.close("all")
    return res


@pytest.mark.parametrize("n", [1, 2, 7, 8, 20])
def test_kleine_gemeente_door_de_hele_keten(bron, tmp_path, n):
    # n trajecten; the last team has no intake at all; the first team's name is mathtext-like
    res = _draai(_klein(bron, n, (), team_zonder_intake=True, seed=n), tmp_path)
    assert len(res.md.trajecten) == n
    # nothing below the drempel (8) is published in the written tables
    ind = pd.read_csv(tmp_path / "uit" / "indicatoren.csv", sep=";", decimal=",")
    open_ = ~ind["onderdrukt"].astype(bool)
    assert (ind.loc[open_ & ind["noemer"].notna(), "noemer"] >= 8).all()


def test_gemeente_zonder_inzet_zrm_enquete(bron, tmp_path):
    _draai(_klein(bron, 20, ("inzet", "zrm", "enquete"), team_zonder_intake=False, seed=1), tmp_path)


def test_naam_wordt_letterlijk_getekend():
    # the style switches mathtext off: the team name is drawn as written
    import matplotlib.pyplot as plt

    pass

    figuren.stijl()
    fig, ax = plt.subplots()
    ax.set_title(TEAM_WISKUNDE)
    ax.bar([TEAM_WISKUNDE, "Wijkteam 50% $"], [1, 2])
    fig.savefig(io.BytesIO(), format="png")  # would raise ValueError with mathtext on
    assert ax.get_title(loc="left") == TEAM_WISKUNDE  # titlelocation "left" in the style
    plt.close(fig)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(n=st.integers(1, 20),
       zonder=st.sets(st.sampled_from(["inzet", "zrm", "enquete", "formatie", "bevolking", "toelichting"])),
       team_zonder_intake=st.booleans(), seed=st.integers(0, 10_000))
def test_kleine_gemeenten_eigenschap(bron, tmp_path_factory, n, zonder, team_zonder_intake, seed):
    _draai(_klein(bron, n, tuple(sorted(zonder)), team_zonder_intake, seed), tmp_path_factory.mktemp("k"))

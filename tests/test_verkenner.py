"""The JupyterLab explorer: its widget callbacks only call these plain functions."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from conftest import VOORBEELD  # noqa: E402
from monitoranalyse.contract import TOTAAL  # noqa: E402
from monitoranalyse.indicatoren import bereken  # noqa: E402
from monitoranalyse.invoer.laden import laad  # noqa: E402
from monitoranalyse.rapport import verkenner  # noqa: E402


@pytest.fixture(scope="module")
def v():
    return verkenner.Verkenner(md=laad(VOORBEELD))


def test_opties_per_gemeente(v):
    o = verkenner.opties(v.tabel("kwartaal"), "Oosterwaarde")
    assert o["gemeenten"] == ["Beekdal", "Lindeveen", "Oosterwaarde"]
    # 4 teams in Oosterwaarde (data_samples/README.md) plus the gemeente total first
    assert o["wijkteams"][0] == TOTAAL and len(o["wijkteams"]) == 5
    assert ("Aandeel lichte zorg", "aandeel_lichte_zorg") in o["indicatoren"]


def test_selectie_is_vrijgegeven(v):
    t = v.tabel("maand")
    sel = verkenner.selecteer(t, gemeente="Oosterwaarde", wijkteam="Wijkteam Dorpen", indicator="instroom")
    assert set(sel["wijkteam"]) == {"Wijkteam Dorpen", TOTAAL}
    # monthly instroom of a small team is often below 8: those cells must be blanked and marked
    open_ = sel[~sel["onderdrukt"]]
    assert (open_["teller"] >= 8).all()
    assert sel["onderdrukt"].any() and sel.loc[sel["onderdrukt"], "waarde"].isna().all()


def test_figuur_en_widgets(v):
    t = v.tabel("kwartaal")
    sel = verkenner.selecteer(t, gemeente="Lindeveen", wijkteam="Wijkteam Zuid", indicator="binnen_termijn_onderzoek",
                              van="2023-01-01")
    assert sel["periode_start"].min().year == 2023
    fig = verkenner.figuur(sel, "binnen_termijn_onderzoek")
    assert fig.axes[0].get_title(loc="left") == "Intake binnen zes weken"  # catalog name (issue 10)
    v.toon()  # builds the widgets and runs the first refresh without a browser


def test_tabel_wordt_hergebruikt(v):
    assert v.tabel("jaar") is v.tabel("jaar")
    assert len(v.tabel("jaar")) == len(bereken(v.md, periode="jaar"))

"""The decisions behind the report notebooks (monitoranalyse.rapport.inhoud), issue 13 §3.

Expected values come from: the notebooks before issue 13 (the hand-made lists that these
functions replace: which key figures, which columns as percentages, which SPC charts, the top
10 of the signal list) — so the sample reports keep their content; hand-built tiny tables;
and, for the facts that nbval checks, the expected output stored in the check cells of
notebooks/bouw_notebooks.py on the sample data (Lindeveen: planted step in aandeel lichte
zorg at 2023-01-01, West with more maatwerk than its case-mix explains, Centrum with a
heavier case-mix; data_samples/README.md).
"""

from __future__ import annotations

import importlib.util
import warnings

import pandas as pd
import pytest

from conftest import BOUWERS, VOORBEELD
from monitoranalyse.config import MonitorConfig
from monitoranalyse.contract import TOTAAL
from monitoranalyse.indicatoren.catalogus import indicatornaam
from monitoranalyse.rapport import inhoud


def test_procent_uit_catalogustype_zoals_de_lijst_van_voor_issue_13():
    # the monitor notebook listed these by hand as percentage columns of the key figures
    hand = ["binnen_termijn_onderzoek", "onderzoek_binnen_termijn", "aandeel_lichte_zorg", "afschaling",
            "doelrealisatie", "zrm_verbeterd"]
    assert inhoud.procent_kolommen(inhoud.KERNCIJFERS) == [inhoud.KERNCIJFERS[k] for k in hand]
    # a name is no type: the count of maatwerk without beschikking is no percentage, its share is;
    # tevredenheid is a mean report mark, caseload per fte a ratio
    assert not inhoud.is_procent("maatwerk_zonder_beschikking")
    assert inhoud.is_procent("maatwerk_zonder_beschikking_aandeel")
    assert not inhoud.is_procent("tevredenheid") and not inhoud.is_procent("caseload_per_fte")
    # only headers present in the shown table
    assert inhoud.procent_kolommen(inhoud.KERNCIJFERS, ["instroom", "afgeschaald"]) == ["afgeschaald"]
    with pytest.raises(KeyError, match="Onbekende indicator"):
        inhoud.is_procent("aandeel_onbekend")


def test_norm_gemeente_wint_van_catalogus():
    # catalog: maatwerk zonder beschikking has norm 0 (catalogus.py); a gemeente's [doelen] wins
    assert inhoud.norm("maatwerk_zonder_beschikking", MonitorConfig()) == 0.0
    assert inhoud.norm("maatwerk_zonder_beschikking", MonitorConfig(doelen={"maatwerk_zonder_beschikking": 3.0})) == 3.0
    assert inhoud.norm("instroom", MonitorConfig()) is None


def test_termijn_indicator():
    met = pd.DataFrame({"indicator": ["binnen_termijn_onderzoek", "onderzoek_binnen_termijn"]})
    zonder = pd.DataFrame({"indicator": ["binnen_termijn_onderzoek", "instroom"]})
    assert inhoud.termijn_indicator(met) == "onderzoek_binnen_termijn"
    assert inhoud.termijn_indicator(zonder) == "binnen_termijn_onderzoek"


def _spc(rijen):
    return pd.DataFrame(rijen, columns=["wijkteam", "indicator", "regel"])


def test_spc_grafieken_drie_gemeente_en_hoogstens_vier_teams():
    spc = _spc([
        (TOTAAL, "instroom", "buiten_procesgrens"),  # a gemeente signal does not add a team chart
        ("Team A", "instroom", ""),
        ("Team B", "aandeel_lichte_zorg", "verschuiving"), ("Team B", "aandeel_lichte_zorg", "trend"),
        ("Team A", "uitstroom", "trend"),
        ("Team C", "instroom", "twee_van_drie"), ("Team D", "instroom", "trend"), ("Team E", "instroom", "trend"),
    ])
    g = inhoud.spc_grafieken(spc)
    assert [(x.indicator, x.wijkteam) for x in g[:3]] == [(c, TOTAAL) for c in inhoud.SPC_GEMEENTE]
    assert [x.procent for x in g[:3]] == [True, False, True]  # as the notebook had it by hand
    assert g[0].titel == f"SPC {indicatornaam('aandeel_lichte_zorg').lower()} – gemeente"
    # teams with a signal, (team, indicator) order, at most four
    assert [(x.wijkteam, x.indicator, x.procent, x.titel) for x in g[3:]] == [
        ("Team A", "uitstroom", False, None), ("Team B", "aandeel_lichte_zorg", True, None),
        ("Team C", "instroom", False, None), ("Team D", "instroom", False, None)]
    assert inhoud.spc_grafieken(_spc([])) == []


def test_signalenlijst_top_en_rest():
    sig = pd.DataFrame({"rang": range(1, 13), "wijkteam": [TOTAAL] + [f"Team {i}" for i in range(11)],
                        "indicator": ["instroom"] * 12, "zin": ["z"] * 12, "soorten": ["trend"] * 12})
    lijst, meer = inhoud.signalenlijst(sig)
    assert len(lijst) == 10 and meer == 2
    assert lijst["wijkteam"].iloc[0] == "gemeente" and lijst["indicator"].iloc[0] == indicatornaam("instroom")
    assert sig["wijkteam"].iloc[0] == TOTAAL  # input not changed
    assert inhoud.signalenlijst(sig.head(3))[1] == 0


def test_kwaliteit_delen():
    kw = pd.DataFrame({"tabel": ["trajecten", "inzet", "trajecten"], "omschrijving": [
        "rijverantwoording", "rijverantwoording", "datum ligt in de toekomst"], "regel": ["", "", "toekomst"]})
    acc, regels = inhoud.kwaliteit_delen(kw)
    assert list(acc["tabel"]) == ["trajecten", "inzet"] and list(regels["regel"]) == ["toekomst"]


def test_kerncijfers_per_team_gemeente_laatst_en_benoemd():
    rijen = []
    for team, n in (("Wijkteam Zuid", 40), (TOTAAL, 90), ("Wijkteam Noord", 50)):
        rijen.append({"gemeente": "G", "wijkteam": team, "periode_start": pd.Timestamp("2024-01-01"),
                      "periode_eind": pd.Timestamp("2024-12-31"), "indicator": "instroom", "uitsplitsing": "",
                      "teller": n, "noemer": float("nan"), "waarde": float(n), "ondergrens": float("nan"),
                      "bovengrens": float("nan"), "methode": "aantal", "volledig": True, "inloop": False})
    kern = inhoud.kerncijfers_per_team(pd.DataFrame(rijen), MonitorConfig())
    assert list(kern["wijkteam"]) == ["Wijkteam Noord", "Wijkteam Zuid", "gemeente"]
    assert list(kern["instroom"]) == [50, 40, 90]


# ---------------------------------------------------------------------------
# The facts of the nbval check cells, as pytest tests on the sample data
# ---------------------------------------------------------------------------


def _verwacht() -> dict[str, str]:
    """Expected output of each check cell, per notebook, from the builder (one source)."""
    spec = importlib.util.spec_from_file_location("bouw_notebooks", BOUWERS / "bouw_notebooks.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return {naam: next(c[2] for c in cellen if c[0] == "check")
            for naam, cellen in mod.NOTEBOOKS.items() if any(c[0] == "check" for c in cellen)}


@pytest.fixture(scope="module")
def lindeveen():
    import monitoranalyse as ma
    from monitoranalyse.analyse import resultaten

    warnings.filterwarnings("ignore")
    return resultaten.bereken_resultaten(ma.laad(VOORBEELD), "Lindeveen")


@pytest.mark.traag
def test_feiten_van_de_checkcellen(lindeveen):
    verwacht = _verwacht()
    R = lindeveen
    # the gemeente notebooks' check cells (the regio notebook's own check cell is about the regio;
    # nbval compares it on the sample)
    assert set(verwacht) == {"monitor_gemeente", "trendanalyse", "teamvergelijking", "regio"}
    from monitoranalyse.rapport import openbaarmaking

    J = openbaarmaking.vrijgeven_resultaten(R).indicatoren_jaar  # the notebook shows the released table
    assert verwacht["monitor_gemeente"].splitlines()[1] == inhoud.lichte_zorg_per_jaar(J)
    assert verwacht["trendanalyse"].splitlines() == inhoud.sprong_lichte_zorg(R.beleidseffecten)
    assert verwacht["teamvergelijking"].splitlines() == inhoud.casemix_maatwerk(R.casemix)
    # the monitor's first line: trajecten and teams of Lindeveen
    assert verwacht["monitor_gemeente"].splitlines()[0] == (
        f"Lindeveen: {len(R.md.trajecten)} trajecten, {R.md.trajecten['wijkteam'].nunique()} wijkteams")


@pytest.mark.traag
def test_bewaarde_vrijgave_gelijk_aan_nieuwe_en_niet_bij_andere_config(lindeveen):
    # Issue 16: the batch worker releases once and the notebooks draw that release from the
    # pickled results. It must be the release they would have made, and a changed config (here
    # the drempel) must not reuse it.
    import copy
    import dataclasses
    import pickle

    from monitoranalyse.rapport import openbaarmaking

    R = copy.copy(lindeveen)
    V_nieuw = openbaarmaking.vrijgeven_resultaten(R)
    openbaarmaking.bewaar_vrijgave(R)
    R2 = pickle.loads(pickle.dumps(R))
    V_bewaard = openbaarmaking.vrijgeven_resultaten(R2)
    assert V_bewaard is R2.vrijgave[1]
    for veld in dataclasses.fields(V_nieuw):
        pd.testing.assert_frame_equal(getattr(V_bewaard, veld.name), getattr(V_nieuw, veld.name))
    R2.md.config = dataclasses.replace(R2.config, openbaarmaking=dict(R2.config.openbaarmaking,
                                                                     drempel=R2.config.drempel + 20))
    V_strenger = openbaarmaking.vrijgeven_resultaten(R2)
    assert V_strenger is not R2.vrijgave[1]
    assert V_strenger.indicatoren_jaar["onderdrukt"].sum() > V_nieuw.indicatoren_jaar["onderdrukt"].sum()

"""Tests for monitoranalyse.opendata.benchmark and the notebook notebooks/cbs_benchmark.ipynb.

Everything runs on a small fixture derived at test time from the real CBS extracts in
../shared/data/cbs (``cbs_dir``; skipped when absent) with cbs.maak_testfixture. Expected
values come from the raw CSV files read here with plain pandas, from StatLine (values
quoted in the brief) and from hand calculations next to the assertions.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from monitoranalyse.opendata import benchmark as bm
from monitoranalyse.opendata import cbs

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
F_82968 = "jeugd_gemeente/82968NED_trajecten_jeugdzorg_in_natura_regio_peildatum_2015-2020.csv"
F_85383 = "maatstaven/85383NED_gemeente_maatstaven_inwoners_bijstand_2023-2025.csv"


def _ruw(pad) -> pd.DataFrame:
    return pd.read_csv(pad, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.fixture(scope="module")
def peers_verwacht(cbs_dir) -> list[str]:
    # Independent of the module: the 10 gemeenten closest to Amersfoort in
    # |ln(inwoners / 161 852)|, 85383NED InwonersTotaal_1, 2024 Definitief.
    r = _ruw(cbs_dir / F_85383)
    r = r[(r["Perioden"] == "2024") & (r["StatusCijfer"] == "Definitief") & (r["InwonersTotaal_1"] != "")]
    r = r[~r["RegioS"].str.contains(r"\((?:LD|PV|CR)\)$") & (r["RegioS"] != "Nederland")]
    inw = r.set_index("RegioS")["InwonersTotaal_1"].astype(float)
    x0 = inw.pop("Amersfoort")
    return list(np.abs(np.log(inw / x0)).sort_values(kind="stable").index[:10])


@pytest.fixture(scope="module")
def fixture_map(cbs_dir, peers_verwacht, tmp_path_factory) -> Path:
    """Fixture: Amersfoort, its 10 peers, the default gemeenten + a fake 2021+ successor.

    The successor 85094NED is not in the extracts: we plant one by relabelling the
    2018/2019 peildata of 82968NED as 2021/2022 (as tests/test_cbs.py does), so the
    benchmark meets a real reeksbreuk.
    """
    uit = tmp_path_factory.mktemp("cbs")
    cbs.maak_testfixture(cbs_dir, uit, gemeenten=[*cbs.FIXTURE_GEMEENTEN, *peers_verwacht])
    ruw = _ruw(uit / F_82968)
    ruw = ruw[ruw["Perioden"].str.contains("2018|2019")]
    ruw = ruw.assign(Perioden=ruw["Perioden"].str.replace("2018", "2021").str.replace("2019", "2022"))
    ruw.to_csv(uit / "jeugd_gemeente" / "85094NED_nep_opvolger.csv", sep=";", index=False, encoding="utf-8-sig")
    return uit


@pytest.fixture(scope="module")
def res(fixture_map):
    return bm.benchmark(fixture_map, "Amersfoort")


def test_peers_gelijk_aan_onafhankelijke_berekening(res, peers_verwacht):
    # all 10 closest gemeenten are in the fixture, so the peer group equals the one on
    # the full table (computed above from the raw file)
    assert res.in_cbs
    assert res.peers["gemeente"].tolist() == peers_verwacht
    assert "Amersfoort" not in res.peers["gemeente"].tolist()


def test_opgegeven_peers(fixture_map):
    # a given list wins over the computed peer group; "(gemeente)" suffix is normalised
    r = bm.benchmark(fixture_map, "Amersfoort", peers=["Utrecht (gemeente)", "Zwolle", "Amersfoort"])
    assert r.peers["gemeente"].tolist() == ["Utrecht", "Zwolle"]
    # both have met/zonder verblijf counts on all 13 peildata of 82968NED (raw file);
    # the wijkteam count (_4) is often suppressed for them, so that indicator has fewer
    d = r.reeksen[(r.reeksen["groep"] == "vergelijkbare gemeenten") & (r.reeksen["reeks"] == "82968NED")]
    assert (d.loc[d["indicator"] == "aandeel_jeugdhulp_met_verblijf", "n_gemeenten"] == 2).all()
    assert (d.loc[d["indicator"] == "aandeel_wijkteam", "n_gemeenten"] < 2).any()


def test_bekende_waarden_82972(res):
    # StatLine 82972NED JongerenMetJeugdhMetVerblInNat_2, Amersfoort: 2015 = 12,2 %, 2018 = 8,5 %
    d = res.reeksen
    d = d[(d["indicator"] == "jongeren_jeugdhulp_met_verblijf") & (d["groep"] == "gemeente")]
    w = d.set_index("periode_start")["waarde"]
    assert w[pd.Timestamp("2015-01-01")] == pytest.approx(12.2)
    assert w[pd.Timestamp("2018-01-01")] == pytest.approx(8.5)
    t = bm.tabel_reeks(res, "jongeren_jeugdhulp_met_verblijf").set_index("periode")
    assert t.loc["2015", "Amersfoort"] == "12,2%" and t.loc["2018", "Amersfoort"] == "8,5%"


def test_aandelen_uit_tellingen_82968(cbs_dir, res, peers_verwacht):
    # Hand: share met verblijf = _9 / _2 on the raw file, Amersfoort 31 december 2020;
    # peer value = sum(_9) / sum(_2) over the peers with both counts.
    r = _ruw(cbs_dir / F_82968)
    r = r[r["Perioden"] == "31 december 2020"].set_index("RegioS")
    num = pd.to_numeric(r["TotaalJeugdhulpMetVerblijf_9"], errors="coerce")
    den = pd.to_numeric(r["TotaalJeugdhulptrajectenInNatura_2"], errors="coerce")
    d = res.reeksen[(res.reeksen["indicator"] == "aandeel_jeugdhulp_met_verblijf")
                    & (res.reeksen["periode_start"] == "2020-12-31")].set_index("groep")
    assert d.loc["gemeente", "waarde"] == pytest.approx(num["Amersfoort"] / den["Amersfoort"])
    ok = [p for p in peers_verwacht if pd.notna(num.get(p)) and pd.notna(den.get(p))]
    assert d.loc["vergelijkbare gemeenten", "waarde"] == pytest.approx(num[ok].sum() / den[ok].sum())
    assert d.loc["vergelijkbare gemeenten", "n_gemeenten"] == len(ok)
    assert d.loc["Nederland", "waarde"] == pytest.approx(num["Nederland"] / den["Nederland"])


def test_geen_trend_over_reeksbreuk(res):
    # planted successor: 82968NED has 13 peildata, the fake 85094NED 4 (2021-2022)
    t = res.trends[(res.trends["indicator"] == "aandeel_wijkteam") & (res.trends["groep"] == "gemeente")]
    assert sorted(t["reeks"]) == ["82968NED", "85094NED"]
    oud, nieuw = t.set_index("reeks").loc["82968NED"], t.set_index("reeks").loc["85094NED"]
    assert oud["n_punten"] == 13 and oud["periode_tot"] == pd.Timestamp("2020-12-31")
    assert nieuw["n_punten"] == 4 and nieuw["richting"] == "te_weinig_gegevens"
    assert "te weinig gegevens" in nieuw["zin"]
    r = res.reeksen[(res.reeksen["indicator"] == "aandeel_wijkteam") & (res.reeksen["groep"] == "gemeente")]
    assert r.loc[r["na_breuk"], "periode_start"].tolist() == [pd.Timestamp("2021-06-30")]
    assert (r["segment"] == (r["periode_start"] >= "2021-01-01")).all()


def test_funnel_markeert_amersfoort(res, peers_verwacht):
    f = res.funnels
    for code in ("aandeel_jeugdhulp_met_verblijf", "jongeren_jeugdhulp_met_verblijf", "wmo_clienten_per_1000"):
        d = f[f["indicator"] == code]
        assert d["is_gemeente"].sum() == 1 and d.loc[d["is_gemeente"], "gemeente"].item() == "Amersfoort"
        assert set(d.loc[d["is_peer"], "gemeente"]) <= set(peers_verwacht)
        assert d["positie"].isin(["onder 99,8%", "onder 95%", "binnen", "boven 95%", "boven 99,8%"]).all()
    # the funnel of 82968NED uses the latest period of Amersfoort: the fake 2022 peildatum
    d = f[f["indicator"] == "aandeel_wijkteam"]
    assert set(d["periode_start"]) == {pd.Timestamp("2022-12-31")}
    # no counts in 82972NED -> mean/sd band, said in the method text
    assert f.loc[f["indicator"] == "jongeren_met_jeugdhulp", "methode_funnel"].iloc[0].startswith("gemiddelde ± z·sd")


def test_onderdrukt_blijft_leeg(res, fixture_map):
    # 86051NED has no Nederland row (SOURCE.txt): missing, not zero, not invented
    r = res.reeksen
    assert r[(r["indicator"] == "wmo_instroom_per_1000") & (r["groep"] == "Nederland")].empty
    assert any("geen landelijk cijfer" in m for m in res.meldingen)
    # Aalburg (merged 2019) has no values from 2019 on: a peer list with it pools nothing then
    p = bm.benchmark(fixture_map, "Amersfoort", peers=["Aalburg"])
    q = p.reeksen[(p.reeksen["indicator"] == "aandeel_wijkteam") & (p.reeksen["groep"] == "vergelijkbare gemeenten")]
    na = q[q["periode_start"] >= "2019-06-30"]
    assert na["waarde"].isna().all() and (na["n_gemeenten"] == 0).all()


def test_fictieve_gemeente(fixture_map):
    # Lindeveen is a fictional sample gemeente (data_samples): CBS cannot know it
    r = bm.benchmark(fixture_map, "Lindeveen")
    assert not r.in_cbs and r.peers.empty
    assert set(r.reeksen["groep"]) == {"Nederland"}
    assert not r.funnels["is_gemeente"].any()
    assert "komt niet voor in de CBS-gegevens" in r.meldingen[0]


def _outputs(nb: dict) -> str:
    tekst = []
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            assert o["output_type"] != "error", o
            tekst.append(json.dumps(o.get("data", {}), ensure_ascii=False) + "".join(o.get("text", "")))
    return "\n".join(tekst)


def _bouw():
    spec = importlib.util.spec_from_file_location("bouw_cbs", NOTEBOOKS / "bouw_cbs.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_notebook_is_gebouwd_uit_bouw_cbs():
    # the committed .ipynb must be exactly what the builder writes (stripped, fixed ids)
    assert (NOTEBOOKS / "cbs_benchmark.ipynb").read_text("utf-8") == _bouw().bouw()


def test_notebook_draait(fixture_map, tmp_path):
    pm = pytest.importorskip("papermill")
    uit = pm.execute_notebook(
        str(NOTEBOOKS / "cbs_benchmark.ipynb"), str(tmp_path / "amersfoort.ipynb"),
        parameters={"gemeente": "Amersfoort", "cbs": str(fixture_map), "werkmap": str(tmp_path / "werk")},
        kernel_name="python3", cwd=str(NOTEBOOKS), progress_bar=False)
    tekst = _outputs(uit)
    assert "CBS-benchmark – Amersfoort" in tekst
    assert "12,2%" in tekst and "8,5%" in tekst  # the key figure's table (82972NED)
    assert tekst.count("image/png") >= 10  # figures drawn (3 jeugd, 4 + 3 Wmo/82972, funnels)
    assert "Aandeel jeugdhulptrajecten met verblijf" in tekst
    assert list((tmp_path / "werk").glob("cbs_tabellen_*.pkl"))  # cache written


@pytest.mark.parametrize("parameters, melding", [
    ({"cbs": None}, "Er is geen map met CBS-gegevens opgegeven"),
    ({"gemeente": "Lindeveen"}, "komt niet voor in de CBS-gegevens"),
])
def test_notebook_nederlandse_melding(fixture_map, tmp_path, parameters, melding):
    pm = pytest.importorskip("papermill")
    p = {"cbs": str(fixture_map), **parameters}
    uit = pm.execute_notebook(str(NOTEBOOKS / "cbs_benchmark.ipynb"), str(tmp_path / "uit.ipynb"),
                              parameters=p, kernel_name="python3", cwd=str(NOTEBOOKS), progress_bar=False)
    assert melding in _outputs(uit)

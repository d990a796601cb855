"""The regio report (issue 15, part 3): gemeenten side by side.

Where the expectations come from:
- the funnel across gemeenten is the team funnel (Spiegelhalter 2005, FunnelPlotR's
  overdispersion; checked against reference vectors in test_vergelijking) with the gemeente as
  the unit: a planted gemeente-level effect must be flagged, and only it; on overdispersed null
  data at most the nominal 5% (95% limit) is flagged (measured, benchmarks/bench_regio_funnel.py);
- the generator's sample (voorbeelddata.genereer_tabellen) with a planted gemeente-level effect:
  half the inwoners in one gemeente doubles its meldingen per 1.000 inwoners;
- the disclosure rules of the gemeente reports hold in the regio report (same drempel or
  stricter, no withheld total drawn, no input id in any output file);
- monitor.toml's [regio] is checked with Dutch messages, like every other section.
"""

from __future__ import annotations

import json
import shutil
import warnings

import nbformat
import numpy as np
import pandas as pd
import pytest
from test_batch_run import data, mini_notebooks  # noqa: F401 - fixtures

from conftest import VOORBEELD
from monitoranalyse import cli, voorbeelddata
from monitoranalyse.analyse import regio
from monitoranalyse.config import ConfigFout, lees_config
from monitoranalyse.contract import TOTAAL
from monitoranalyse.invoer.monitordata import InvoerFout
from monitoranalyse.rapport import batch, openbaarmaking, regiorapport

warnings.filterwarnings("ignore")


def _regiotabel(rng, k=8, p0=0.75, sd=0.02, effect=0.0, geplant=3) -> pd.DataFrame:
    """Gemeente totals of ``aandeel_lichte_zorg`` for one year: k gemeenten of 300-2500
    trajecten with inzet, true shares p0 + N(0, sd) (overdispersed), ``effect`` added in one."""
    n = rng.integers(300, 2500, size=k)
    p = np.clip(p0 + rng.normal(0, sd, size=k), 0.01, 0.99)
    p[geplant] = min(p[geplant] + effect, 0.99)
    t = rng.binomial(n, p)
    return pd.DataFrame({
        "gemeente": [f"Gemeente {chr(65 + i)}" for i in range(k)], "wijkteam": TOTAAL,
        "periode_start": pd.Timestamp("2024-01-01"), "periode_eind": pd.Timestamp("2024-12-31"),
        "indicator": "aandeel_lichte_zorg", "uitsplitsing": "", "teller": t.astype(float),
        "noemer": n.astype(float), "waarde": t / n, "ondergrens": np.nan, "bovengrens": np.nan,
        "methode": "wilson", "statistiek": "proportie", "volledig": True, "inloop": False})


# ---------------------------------------------------------------------------
# the funnel across gemeenten
# ---------------------------------------------------------------------------


def test_geplant_gemeente_effect_wordt_gevonden_en_alleen_dat():
    # one of 8 gemeenten with +13 procentpunt lichte zorg (the size of Lindeveen's planted step);
    # one regio (the seed is fixed; in about 1 of 4 regios the planted gemeente stays inside the
    # limits, see the next test for the rates)
    rng = np.random.default_rng(2)
    f = regio.funnel_gemeenten(_regiotabel(rng, effect=0.13), "aandeel_lichte_zorg", regio="Testregio",
                               periode="alle")
    assert f["methode_overspreiding"].iloc[0] == "additief"  # 8 gemeenten: overdispersion estimated
    assert (f["regio"] == "Testregio").all() and (f["wijkteam"] == TOTAAL).all()
    v = regio.verschillen(f)
    assert v["gemeente"].tolist() == ["Gemeente D"]
    assert v["richting"].iloc[0] == "hoger" and v["beoordeling"].iloc[0] == "gunstig"
    assert "Gemeente D: aandeel lichte zorg" in v["zin"].iloc[0]


def test_geplant_effect_vaak_gevonden_nuldata_rustig():
    # 60 regios of 8 gemeenten each: the planted gemeente is found in most, the others stay quiet;
    # on null data (same true share, overdispersed) at most the nominal 5% is flagged
    rng = np.random.default_rng(2026)
    gevonden = vals_geplant = 0
    for _ in range(60):
        v = regio.verschillen(regio.funnel_gemeenten(_regiotabel(rng, effect=0.13), "aandeel_lichte_zorg",
                                                     periode="alle"))
        gevonden += int((v["gemeente"] == "Gemeente D").any())
        vals_geplant += int((v["gemeente"] != "Gemeente D").sum())
    assert gevonden >= 0.6 * 60  # measured 78% (benchmarks/bench_regio_funnel.py)
    assert vals_geplant <= 0.05 * 60 * 7
    vals = vals_998 = 0
    for _ in range(60):
        v = regio.verschillen(regio.funnel_gemeenten(_regiotabel(rng), "aandeel_lichte_zorg", periode="alle"))
        vals += len(v)
        vals_998 += int(v["positie"].str.contains("99,8").sum())
    # nominal 5% of 480 gemeenten = 24; the Monte-Carlo interval reaches 33
    assert vals <= 33, vals
    assert vals_998 <= 3, vals_998


@pytest.mark.parametrize("k", [3, 4])
def test_weinig_gemeenten_geen_correctie_en_dat_staat_erbij(k):
    f = regio.funnel_gemeenten(_regiotabel(np.random.default_rng(1), k=k, geplant=0), "aandeel_lichte_zorg",
                               periode="alle")
    assert (f["methode_overspreiding"] == "geen (te weinig teams)").all()
    assert f"Met {k} gemeenten is niet te schatten" in f["opmerking_overspreiding"].iloc[0]
    f5 = regio.funnel_gemeenten(_regiotabel(np.random.default_rng(1), k=5, geplant=0), "aandeel_lichte_zorg",
                                periode="alle")
    assert "Met 5 gemeenten is de schatting van de overspreiding onstabiel" in f5["opmerking_overspreiding"].iloc[0]


def test_gemeenschappelijk_laatste_jaar_is_in_elke_gemeente_volledig():
    t = pd.concat([_regiotabel(np.random.default_rng(3), k=2, geplant=0).assign(periode_start=pd.Timestamp(f"{j}-01-01"),
                                                                     periode_eind=pd.Timestamp(f"{j}-12-31"))
                   for j in (2023, 2024, 2025)], ignore_index=True)
    t.loc[(t["gemeente"] == "Gemeente B") & (t["periode_start"].dt.year == 2025), "volledig"] = False
    assert regio.gemeenschappelijk_laatste_jaar(t) == pd.Timestamp("2024-01-01")
    assert regio.gemeenschappelijk_laatste_jaar(t, "aandeel_lichte_zorg") == pd.Timestamp("2024-01-01")


# ---------------------------------------------------------------------------
# on the generator's data: a planted gemeente-level effect per 1.000 inwoners
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def md_geplant():
    from monitoranalyse.invoer.laden import laad

    tabellen = voorbeelddata.genereer_tabellen(seed=15, schaal=0.3)
    bev = tabellen["bevolking"]
    # half the inwoners in Oosterwaarde: the same meldingen are twice as many per 1.000 inwoners
    m = bev["gemeente"] == "Oosterwaarde"
    bev.loc[m, "inwoners"] = (bev.loc[m, "inwoners"] // 2).astype(bev["inwoners"].dtype)
    return tabellen, laad


@pytest.fixture(scope="module")
def rr_geplant(md_geplant, tmp_path_factory):
    tabellen, laad = md_geplant
    map_ = voorbeelddata.schrijf_dataset(tabellen, tmp_path_factory.mktemp("regio") / "data")
    shutil.copy(VOORBEELD / "monitor.toml", map_ / "monitor.toml")
    return regio.bereken_regio(laad(map_), "Testregio", None)


def test_generator_geplant_bereik_gevonden(rr_geplant):
    rr = rr_geplant
    assert rr.gemeenten == ["Beekdal", "Lindeveen", "Oosterwaarde"] and rr.laatste_jaar.year == 2025
    v = rr.verschillen[rr.verschillen["indicator"] == "bereik_meldingen"]
    sterkste = v.iloc[0]
    assert sterkste["gemeente"] == "Oosterwaarde" and sterkste["positie"] == "boven 99,8%"
    f = rr.funnels[(rr.funnels["indicator"] == "bereik_meldingen") & (rr.funnels["gemeente"] == "Oosterwaarde")]
    # about twice the rate of the other gemeenten (the planted factor)
    andere = rr.funnels[(rr.funnels["indicator"] == "bereik_meldingen") & (rr.funnels["gemeente"] != "Oosterwaarde")]
    assert 1.6 < f["waarde"].iloc[0] / andere["waarde"].mean() < 2.5
    # the trend of the shift to lichte zorg per gemeente, for the small multiples
    assert set(rr.trends["gemeente"]) == set(rr.gemeenten)


def test_regio_cijfers_gelijk_aan_gemeenterapport(rr_geplant):
    # the regio shows the gemeente's own figures (same computation, same window)
    from monitoranalyse import indicatoren as ind

    mdg = rr_geplant.md.voor_gemeente("Beekdal")
    eigen = ind.bereken(mdg, periode="jaar", van="2021-01", tot="2025-12", indicatoren=["aandeel_lichte_zorg"])
    eigen = eigen[eigen["wijkteam"] == TOTAAL].set_index("periode_start")["waarde"]
    regiojaar = regio.totalen(rr_geplant.jaar)
    r = regiojaar[(regiojaar["gemeente"] == "Beekdal") & (regiojaar["indicator"] == "aandeel_lichte_zorg")
                  & (regiojaar["uitsplitsing"] == "")].set_index("periode_start")["waarde"]
    pd.testing.assert_series_equal(r.sort_index(), eigen.sort_index(), check_names=False)


def test_openbaarmaking_regio_volgt_strengste_drempel(rr_geplant):
    import copy

    rr = copy.deepcopy(rr_geplant)
    rr.md.config.gemeenten = {"Lindeveen": {"openbaarmaking": {"drempel": 100000}}}
    assert regiorapport.regio_config(rr).drempel == 100000
    V = regiorapport.vrijgeven_regio(rr)
    # every figure about persons rests on fewer than 100000: no gemeente total, no funnel point,
    # no "differs" line (budget and formatie figures describe the organisation: never withheld)
    persoon = V.jaar[V.jaar["indicator"].isin([*regio.REGIO_KERNCIJFERS, *regio.REGIO_FUNNELS])]
    assert len(persoon) and persoon["waarde"].isna().all() and persoon["onderdrukt"].all()
    assert V.funnels["waarde"].isna().all() and V.funnels["z"].isna().all()
    assert V.verschillen.empty
    assert openbaarmaking.is_vrijgegeven(V.jaar) and openbaarmaking.is_vrijgegeven(V.funnels)
    fig = regiorapport.funnel(V.funnels, "aandeel_lichte_zorg", config=regiorapport.regio_config(rr))
    assert "geen (publiceerbare) gegevens" in fig.ma_alt


def test_figuren_hebben_alt_tekst_en_tabel(rr_geplant):
    rr = rr_geplant
    cfg = regiorapport.regio_config(rr)
    V = regiorapport.vrijgeven_regio(rr)
    figs = [regiorapport.kerncijfers_figuur(V.jaar, rr.laatste_jaar, config=cfg),
            regiorapport.verschuiving_per_gemeente(V.kwartaal, config=cfg),
            regiorapport.funnel(V.funnels, "bereik_meldingen", config=cfg)]
    for fig in figs:
        assert len(fig.ma_alt) > 60 and len(fig.ma_gegevens)
    assert "Oosterwaarde" in figs[1].ma_alt and "kleine grafieken per gemeente" in figs[1].ma_alt
    kern = regiorapport.kerncijfers(V.jaar, rr.laatste_jaar)
    assert kern["gemeente"].tolist() == rr.gemeenten
    assert "meldingen per 1.000 inwoners" in kern.columns


def test_onvolledig_kwartaal_gestippeld_met_open_rondje(rr_geplant):
    from matplotlib.lines import Line2D

    V = regiorapport.vrijgeven_regio(rr_geplant)
    k = V.kwartaal.copy()
    k.loc[k["periode_start"] == k["periode_start"].max(), "volledig"] = False
    fig = regiorapport.verschuiving_per_gemeente(openbaarmaking.markeer(k, 8))
    stippel = [l for ax in fig.axes for l in ax.get_lines() if l.get_linestyle() == "--"]
    open_ = [l for ax in fig.axes for l in ax.get_lines() if l.get_markerfacecolor() == "white"]
    assert len(stippel) >= 3 and len(open_) >= 3
    legenda = [h.get_label() for lg in fig.legends for h in lg.legend_handles if isinstance(h, Line2D)]
    assert any("periode nog niet compleet" in t for t in legenda)


# ---------------------------------------------------------------------------
# configuration and command line
# ---------------------------------------------------------------------------


def _toml(tmp_path, tekst: str):
    p = tmp_path / "monitor.toml"
    p.write_text(tekst, encoding="utf-8")
    return p


def test_config_regio_gelezen(tmp_path):
    cfg = lees_config(_toml(tmp_path, '[regio]\nnaam = "Jeugdregio Rivierenland"\n'
                                      'gemeenten = ["Lindeveen", "Beekdal"]\n'))
    assert cfg.regio == {"naam": "Jeugdregio Rivierenland", "gemeenten": ["Lindeveen", "Beekdal"]}
    assert cfg.voor_gemeente("Lindeveen").regio == {}
    assert lees_config(None).regio == {}


@pytest.mark.parametrize("tekst, melding", [
    ('[regio]\ngemeenten = ["A", "B"]\n', "[regio] mist 'naam'"),
    ('[regio]\nnaam = "R"\n', "[regio] mist 'gemeenten'"),
    ('[regio]\nnaam = "R"\ngemeenten = ["A"]\n', "minstens twee verschillende gemeenten"),
    ('[regio]\nnaam = "R"\ngemeenten = "A, B"\n', "verwacht een lijst van gemeentenamen"),
    ('[regio]\nnaam = ""\ngemeenten = ["A", "B"]\n', "[regio] naam"),
    ('[regio]\nnaam = "R"\ngemeenten = ["A", "B", "A"]\n', "noemt A meer dan eens"),
    ('[regio]\nnaam = "R"\ngemeenten = ["A", "B"]\nleden = 3\n', "[regio] kent de sleutel 'leden' niet"),
    ('regio = "R"\n', "verwacht een tabel [regio]"),
])
def test_config_regio_fouten_in_het_nederlands(tmp_path, tekst, melding):
    with pytest.raises(ConfigFout) as e:
        lees_config(_toml(tmp_path, tekst))
    assert melding in str(e.value) and "monitor.toml" in str(e.value)


def test_onbekende_gemeente_in_regio_duidelijke_fout(tmp_path, capsys):
    map_ = tmp_path / "data"
    shutil.copytree(VOORBEELD, map_)
    with open(map_ / "monitor.toml", "a", encoding="utf-8") as f:
        f.write('\n[regio]\nnaam = "Rivierenland"\ngemeenten = ["Lindeveen", "Beekdaal"]\n')
    code = cli.main(["rapport", "--data", str(map_), "--out", str(tmp_path / "out")])
    fout = capsys.readouterr().err
    assert code == 2
    assert "Regio 'Rivierenland': [regio] gemeenten in monitor.toml noemt een gemeente die niet in de data staat" in fout
    assert "Beekdaal" in fout and "Traceback" not in fout
    assert not (tmp_path / "out" / "Lindeveen").exists()  # stopped before any work


def test_regio_gemeenten_keuze(tmp_path):
    from monitoranalyse.invoer.laden import laad

    md = laad(VOORBEELD)
    assert regio.regio_gemeenten(md) == (regio.STANDAARD_REGIONAAM, ["Beekdal", "Lindeveen", "Oosterwaarde"])
    assert regio.regio_gemeenten(md, "R", ["Lindeveen", "Beekdal"]) == ("R", ["Lindeveen", "Beekdal"])
    with pytest.raises(InvoerFout, match="minstens twee gemeenten"):
        regio.regio_gemeenten(md, "R", ["Lindeveen"])
    md.config.regio = {"naam": "Uit toml", "gemeenten": ["Oosterwaarde", "Beekdal"]}
    assert regio.regio_gemeenten(md, None, ["Lindeveen"]) == ("Uit toml", ["Oosterwaarde", "Beekdal"])
    assert regio.regio_gemeenten(md, "Opdrachtregel")[0] == "Opdrachtregel"


def test_cli_regio_opties():
    p = cli._parser()
    assert p.parse_args(["rapport", "--data", "d", "--out", "o", "--regio", "R"]).regio == "R"
    a = p.parse_args(["rapport", "--data", "d", "--out", "o", "--geen-regio"])
    assert a.geen_regio and a.regio is None
    with pytest.raises(SystemExit):
        p.parse_args(["rapport", "--data", "d", "--out", "o", "--regio", "R", "--geen-regio"])


# ---------------------------------------------------------------------------
# the batch: the regio report fails on its own
# ---------------------------------------------------------------------------


def test_falend_regiorapport_stopt_gemeenten_niet(tmp_path, data, mini_notebooks, capsys):  # noqa: F811
    # the mini notebook set has no regio.ipynb: the regio report fails, the gemeenten do not
    out = tmp_path / "out"
    code = batch.rapport(data, out, parallel=2, regio="Testregio")
    uit = capsys.readouterr().out
    assert code == 1
    assert (out / "Lindeveen" / "monitor_gemeente.html").is_file()
    assert "regio Testregio: MISLUKT" in uit
    index = (out / "index.html").read_text()
    assert "Regiovergelijking" in index and "mislukt" in index.split("<h2>Per gemeente</h2>")[0]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_falende_gemeente_stopt_regio_niet_en_index_linkt_regio(tmp_path, data, mini_notebooks):  # noqa: F811
    nb = nbformat.read(mini_notebooks / "monitor_gemeente.ipynb", as_version=4)
    nb.cells[1].source = 'if gemeente == "Oosterwold":\n    raise ValueError("geplante fout")\nprint(gemeente)'
    nbformat.write(nb, mini_notebooks / "monitor_gemeente.ipynb")
    r = nbformat.v4.new_notebook()
    r.metadata = nb.metadata
    p = nbformat.v4.new_code_cell('regio = "x"\ngemeenten = None\nwerkmap = None\ndata = None\nvan = None\ntot = None')
    p.metadata["tags"] = ["parameters"]
    r.cells = [p, nbformat.v4.new_code_cell('print("regio", regio, gemeenten)')]
    nbformat.write(r, mini_notebooks / "regio.ipynb")
    out = tmp_path / "out"
    code = batch.rapport(data, out, parallel=2, regio="Testregio")
    assert code == 1  # Oosterwold failed
    map_ = out / batch.regio_mapnaam("Testregio")
    assert map_.name == "regio-Testregio"
    for b in ("regio.html", "regio.ipynb", "indicatoren.csv", "funnels.csv", "verschillen.csv", "herkomst.csv"):
        assert (map_ / b).is_file(), b
    meta = json.loads((map_ / batch.METADATA).read_text())
    assert meta["regio"] == "Testregio" and meta["gemeenten"] == ["Lindeveen", "Oosterwold"]
    index = (out / "index.html").read_text()
    assert "regio-Testregio/regio.html" in index and "geplante fout" in index
    # the regio folder is not listed as a gemeente
    assert "<td>Testregio</td>" not in index.split("<h2>Per gemeente</h2>")[1]

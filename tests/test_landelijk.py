"""The national synthetic set (issue 16 section 1): ``voorbeelddata --landelijk``.

The full set (342 gemeenten, millions of trajecten) is too big for the suite; these tests use
subsets (the smallest gemeenten, or a named role gemeente) and the design table, which covers
all 342 gemeenten without generating them.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

import monitoranalyse as ma
from monitoranalyse.cli import main
from monitoranalyse.voorbeelddata import (
    GEMEENTEN,
    GEPLANT,
    INWONERS_PER_TEAM,
    gemeentegroottes,
    genereer_landelijk,
    landelijke_opzet,
)

KLEIN = 5
#: The gemeente playing Oosterwaarde (teamkosten from the gemeente itself) next to the smallest.
ROL = "Oosterwaarde"


def _hashes(map_):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(map_.iterdir())}


@pytest.fixture(scope="module")
def klein(tmp_path_factory):
    out = tmp_path_factory.mktemp("landelijk")
    assert main(["voorbeelddata", "--landelijk", "--gemeenten", str(KLEIN), "--out", str(out)]) == 0
    return out / "landelijk"


def test_gemeentegroottes_uit_pakketdata():
    g = gemeentegroottes()
    # CBS 85383NED, 2024: 342 gemeenten, together the Dutch population on 1 January 2024
    assert len(g) == 342 and g["gemeente"].is_unique
    assert g["inwoners"].sum() == 17_942_942
    assert g.loc[g["gemeente"] == "Schiermonnikoog", "inwoners"].item() == 972
    assert "Utrecht (gemeente)" in set(g["gemeente"])


def test_opzet_alle_gemeenten_teams_naar_grootte():
    o = landelijke_opzet()
    assert len(o) == 342
    assert (o["teams"] >= 1).all()
    gewoon = o[o["rol"] == ""]
    verwacht = np.maximum(1, np.rint(gewoon["inwoners"] / INWONERS_PER_TEAM))
    assert (gewoon["teams"] == verwacht).all()
    # three gemeenten play the fictional ones, with their teams (and so their planted effects)
    rollen = o[o["rol"] != ""].set_index("rol")
    assert set(rollen.index) == set(GEMEENTEN)
    for rol, teams in GEMEENTEN.items():
        assert rollen.loc[rol, "teams"] == len(teams)


def test_deelverzameling_kleinste_gemeenten():
    o = landelijke_opzet(KLEIN)
    g = gemeentegroottes()
    assert sorted(o["inwoners"]) == sorted(g["inwoners"].nsmallest(KLEIN))
    with pytest.raises(ValueError, match="onbekende gemeente"):
        landelijke_opzet(namen=["Lindeveen"])


def test_inwoners_gelijk_aan_de_tabel(klein):
    b = pd.read_csv(klein / "bevolking.csv", dtype={"leeftijdsgroep": "str"})
    tot = b[b["leeftijdsgroep"].isna() & (b["jaar"] == 2024)].groupby("gemeente")["inwoners"].sum()
    tabel = gemeentegroottes().set_index("gemeente")["inwoners"]
    assert len(tot) == KLEIN
    assert (tot == tabel.loc[tot.index]).all()


def test_trajecten_naar_inwoners_en_unieke_ids(klein):
    tr = pd.read_csv(klein / "trajecten.csv", usecols=["traject_id", "client_id", "gemeente",
                                                       "datum_melding"])
    assert tr["traject_id"].is_unique
    # a client belongs to one gemeente (ids are numbered on over the gemeenten)
    assert tr.groupby("client_id")["gemeente"].nunique().max() == 1
    inw = gemeentegroottes().set_index("gemeente")["inwoners"]
    per_jaar = tr[tr["datum_melding"] >= "2021"].groupby("gemeente").size() / 5
    ratio = per_jaar / inw.loc[per_jaar.index]
    # the sample's ratio (~4.5% of the inwoners a year); the smallest gemeenten are noisy
    assert ratio.between(0.03, 0.06).all(), ratio


def test_zelfde_seed_zelfde_bytes(klein, tmp_path):
    tweede = genereer_landelijk(tmp_path, aantal=KLEIN)
    assert _hashes(tweede) == _hashes(klein)
    ander = genereer_landelijk(tmp_path / "ander", seed=7, aantal=KLEIN)
    assert _hashes(ander)["trajecten.csv"] != _hashes(klein)["trajecten.csv"]


def test_deelverzameling_laadt_zonder_quarantaine(klein):
    md = ma.laad(klein)
    assert md.trajecten["gemeente"].nunique() == KLEIN
    assert len(md.quarantaine) == 0, md.quarantaine.head()


def test_rolgemeente_draagt_geplant_effect(tmp_path):
    naam = landelijke_opzet().set_index("rol").loc[ROL, "gemeente"]
    klein = landelijke_opzet(1)["gemeente"].tolist()
    map_ = genereer_landelijk(tmp_path, namen=[naam, *klein])
    f = pd.read_csv(map_ / "formatie.csv")
    eigen = f[f["gemeente"] == naam]
    # Oosterwaarde's plant: the gemeente delivers its own teamkosten (79,500 per fte)
    tarief = GEPLANT["teamkosten_eigen"]["per_fte"]
    assert eigen["teamkosten"].notna().all()
    assert np.allclose(eigen["teamkosten"], (eigen["fte"] * tarief / 12).round(2))
    assert f.loc[f["gemeente"] != naam, "teamkosten"].isna().all()
    assert set(eigen["wijkteam"]) == {t for t, _ in GEMEENTEN[ROL]}
    toel = pd.read_excel(map_ / "toelichting.xlsx")
    assert set(toel["gemeente"]) == {naam}
    # Lindeveen's beleidswijziging is not in this subset: monitor.toml names no missing gemeente
    toml = (map_ / "monitor.toml").read_text(encoding="utf-8")
    assert "Lindeveen" not in toml and "beleidswijziging" not in toml


def test_rolgemeente_beekdal_overschrijdt_jeugd(tmp_path):
    # the Beekdal plant under a real name: maatwerk jeugd realised ~120% of the budget from 2023
    plant = GEPLANT["overschrijding_jeugd"]
    naam = landelijke_opzet().set_index("rol").loc[plant["gemeente"], "gemeente"]
    map_ = genereer_landelijk(tmp_path, namen=[naam])
    iz = pd.read_csv(map_ / "inzet.csv", usecols=["vorm", "datum_start", "kosten"])
    iz = iz[iz["vorm"] == plant["post"]]
    real = iz.groupby(iz["datum_start"].str[:4].astype(int))["kosten"].sum()
    b = pd.read_csv(map_ / "begroting.csv")
    b = b[(b["gemeente"] == naam) & (b["post"] == plant["post"])].set_index("jaar")["begroot"]
    verhouding = (real.loc[b.index] / b)
    assert verhouding.loc[verhouding.index >= plant["vanaf"]].between(1.12, 1.28).all(), verhouding
    assert verhouding.loc[verhouding.index < plant["vanaf"]].between(0.88, 1.12).all(), verhouding

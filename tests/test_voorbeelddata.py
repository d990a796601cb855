"""Tests of the sample-data generator (monitoranalyse.voorbeelddata).

Every planted effect is recomputed here with plain pandas / statsmodels on the
in-memory tables; no other monitoranalyse module is used, so a bug elsewhere cannot
hide a missing effect. Expected sizes come from GEPLANT (the documented plant).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from conftest import ROMMELIG, VOORBEELD
from monitoranalyse.contract import LICHTE_ZORG, MAATWERK, REGELS, TABELLEN
from monitoranalyse.voorbeelddata import (
    GEPLANT,
    MANIFEST_KOLOMMEN,
    genereer,
    genereer_tabellen,
)


@pytest.fixture(scope="module")
def tab():
    return genereer_tabellen(seed=2026)


def _trajecten_met_team(tab, gemeente, wijkteam=None):
    t = tab["trajecten"]
    sel = t["gemeente"] == gemeente
    if wijkteam is not None:
        sel &= t["wijkteam"] == wijkteam
    return t[sel]


# --- determinism ------------------------------------------------------------------------


def test_zelfde_seed_zelfde_tabellen(tab):
    # same seed -> identical frames (requirement: deterministic sample)
    tweede = genereer_tabellen(seed=2026)
    for naam in tab:
        pd.testing.assert_frame_equal(tab[naam], tweede[naam])


def test_andere_seed_andere_tabellen(tab):
    ander = genereer_tabellen(seed=2027)
    assert not tab["trajecten"].equals(ander["trajecten"])
    assert not tab["zrm"]["score"].equals(ander["zrm"]["score"])


# --- contract conformance ------------------------------------------------------------------


def test_kolommen_volgens_contract(tab):
    # contract.TABELLEN is the source of truth for names and order
    assert set(tab) == set(TABELLEN)
    for naam, tabel in TABELLEN.items():
        assert list(tab[naam].columns) == [k.naam for k in tabel.kolommen], naam
        for k in tabel.kolommen:
            x = tab[naam][k.naam]
            if k.verplicht:
                assert x.notna().all(), (naam, k.naam)
            if k.waarden is not None:
                assert set(x.dropna()) <= set(k.waarden), (naam, k.naam)
            if k.type in ("geheel", "getal"):
                w = x.dropna().astype(float)
                if k.minimum is not None:
                    assert (w >= k.minimum).all(), (naam, k.naam)
                if k.maximum is not None:
                    assert (w <= k.maximum).all(), (naam, k.naam)
        if tabel.sleutel:
            assert not tab[naam].duplicated(list(tabel.sleutel)).any(), naam


def test_teamtabellen_hebben_gemeente(tab):
    for naam in ("formatie", "enquete", "bevolking", "toelichting"):
        assert tab[naam]["gemeente"].notna().all()
    # team names repeat across gemeenten (the reason for the gemeente column)
    t = tab["trajecten"].drop_duplicates(["gemeente", "wijkteam"])
    assert t["wijkteam"].duplicated().any()


def test_referentiele_integriteit_en_volgorde(tab):
    t, inz, zrm = tab["trajecten"], tab["inzet"], tab["zrm"]
    assert inz["traject_id"].isin(t["traject_id"]).all()
    assert zrm["traject_id"].isin(t["traject_id"]).all()
    teams = set(zip(t["gemeente"], t["wijkteam"]))
    for naam in ("formatie", "enquete", "bevolking"):
        assert set(zip(tab[naam]["gemeente"], tab[naam]["wijkteam"])) <= teams
    # dates in a possible order; doelen consistent; no id looks like a BSN (letters)
    assert (t["datum_intake"].dropna() >= t.loc[t["datum_intake"].notna(), "datum_melding"]).all()
    assert (t["datum_plan"].dropna() >= t.loc[t["datum_plan"].notna(), "datum_intake"]).all()
    assert (t["datum_einde"].dropna() >= t.loc[t["datum_einde"].notna(), "datum_plan"]).all()
    assert (inz["datum_einde"].dropna() >= inz.loc[inz["datum_einde"].notna(), "datum_start"]).all()
    assert (t["doelen_behaald"].dropna() <= t.loc[t["doelen_behaald"].notna(), "doelen_gesteld"]).all()
    assert not t["traject_id"].str.fullmatch(r"\d{9}").any()
    assert (t["datum_melding"] <= pd.Timestamp(GEPLANT["periode"]["peildatum"])).all()


def test_realistische_omvang_en_proces(tab):
    t, inz = tab["trajecten"], tab["inzet"]
    # brief: ~10k trajecten at schaal 1; 10-15% open at the end; 1-4 inzet rows
    assert 9_000 <= len(t) <= 11_500
    assert 0.08 <= t["datum_einde"].isna().mean() <= 0.16
    per = inz.groupby("traject_id").size()
    assert per.min() >= 1 and per.max() <= 4
    # kosten only for maatwerk and algemene voorziening; iWmo 01-18 and iJw 40-55
    licht_zonder_kosten = ~inz["vorm"].isin(list(MAATWERK) + ["algemene_voorziening"])
    assert inz.loc[licht_zonder_kosten, "kosten"].isna().all()
    codes_wmo = inz.loc[inz["vorm"] == "maatwerk_wmo", "productcategorie"].astype(int)
    codes_jw = inz.loc[inz["vorm"] == "maatwerk_jeugd", "productcategorie"].astype(int)
    assert codes_wmo.between(1, 18).all() and codes_jw.between(40, 55).all()
    # beschikking: nearly all maatwerk 'ja', a few 'nee' (harde control)
    b = inz.loc[inz["vorm"].isin(MAATWERK), "beschikking"]
    assert 0.95 < (b == "ja").mean() < 1.0
    # Wmo beschikking mostly within 14 days (Wmo 2015 art. 2.3.5)
    w = inz[inz["vorm"] == "maatwerk_wmo"].dropna(subset=["datum_beschikking"])
    assert ((w["datum_beschikking"] - w["datum_aanvraag"]).dt.days <= 14).mean() > 0.8
    # seasonality: July/August meldingen below the yearly average
    m = t.loc[t["datum_melding"] >= "2021-01-01", "datum_melding"].dt.month.value_counts()
    assert m[[7, 8]].mean() < 0.85 * m.mean()


# --- planted effects ------------------------------------------------------------------------


def _aandeel_licht(tab, gemeente):
    inz = tab["inzet"].merge(tab["trajecten"][["traject_id", "gemeente"]], on="traject_id")
    inz = inz[(inz["gemeente"] == gemeente) & (inz["datum_start"] >= "2021-01-01")]
    return inz.assign(licht=inz["vorm"].isin(LICHTE_ZORG), jaar=inz["datum_start"].dt.year)


def test_lindeveen_sprong_bij_beleidswijziging(tab):
    # planted: +10 pp lichte zorg at 2023-01-01, flat before (GEPLANT["beleidswijziging"])
    p = GEPLANT["beleidswijziging"]
    inz = _aandeel_licht(tab, p["gemeente"])
    datum = pd.Timestamp(p["datum"])
    voor = inz[(inz["datum_start"] < datum)]
    na = inz[(inz["datum_start"] >= datum) & (inz["datum_start"] < datum + pd.DateOffset(years=2))]
    sprong = 100 * (na["licht"].mean() - voor["licht"].mean())
    assert abs(sprong - p["sprong_lichte_zorg_pp"]) < 4
    # flat before: 2021 vs 2022 within 3 pp
    j = voor.groupby("jaar")["licht"].mean()
    assert abs(j[2022] - j[2021]) < 0.03
    # afschaling rises
    t = _trajecten_met_team(tab, p["gemeente"]).dropna(subset=["datum_einde"])
    afg = t["reden_einde"] == "afgeschaald"
    assert afg[t["datum_plan"] >= datum].mean() - afg[t["datum_plan"] < datum].mean() > 0.07


def test_beekdal_geleidelijk_oosterwaarde_vlak(tab):
    # planted: Beekdal +2 pp/yr without a break; Oosterwaarde no trend (null gemeente)
    for gemeente, verwacht in (
        (GEPLANT["geleidelijke_stijging"]["gemeente"], GEPLANT["geleidelijke_stijging"]["lichte_zorg_pp_per_jaar"]),
        (GEPLANT["nulgemeente"]["gemeente"], 0.0),
    ):
        inz = _aandeel_licht(tab, gemeente)
        x = (inz["datum_start"] - pd.Timestamp("2021-01-01")).dt.days / 365.25
        helling = 100 * np.polyfit(x, inz["licht"].astype(float), 1)[0]
        assert abs(helling - verwacht) < 1.2, (gemeente, helling)


def test_zuid_is_traag(tab):
    # planted: Lindeveen Wijkteam Zuid median melding->intake ~30 vs ~14, ->plan ~58 vs ~31
    p = GEPLANT["traag_team"]
    t = _trajecten_met_team(tab, p["gemeente"])
    zuid = t["wijkteam"] == p["wijkteam"]
    intake = (t["datum_intake"] - t["datum_melding"]).dt.days
    plan = (t["datum_plan"] - t["datum_melding"]).dt.days
    assert intake[zuid].median() == pytest.approx(p["mediaan_melding_intake"], abs=3)
    assert intake[~zuid].median() == pytest.approx(p["mediaan_melding_intake_overig"], abs=2)
    assert plan[zuid].median() == pytest.approx(p["mediaan_melding_plan"], abs=4)
    assert plan[~zuid].median() == pytest.approx(p["mediaan_melding_plan_overig"], abs=3)
    binnen = intake.dropna() <= 42  # Wmo 2015 art. 2.3.2: zes weken
    assert binnen[zuid].mean() < binnen[~zuid].mean() - 0.15


@pytest.fixture(scope="module")
def casemix(tab):
    """Lindeveen trajecten (melding 2021+, plan before 2025-07) with case-mix covariates."""
    t, inz, zrm = tab["trajecten"], tab["inzet"], tab["zrm"]
    eerste = zrm.groupby("traject_id")["datum"].transform("min")
    start = zrm[zrm["datum"] == eerste].groupby("traject_id")["score"].mean().rename("zrm_start")
    met_mw = inz.loc[inz["vorm"].isin(MAATWERK), "traject_id"].unique()
    g = GEPLANT["veel_maatwerk"]["gemeente"]
    d = t[
        (t["gemeente"] == g)
        & (t["datum_melding"] >= "2021-01-01")
        & (t["datum_plan"] < "2025-07-01")
    ].join(start, on="traject_id")
    return pd.DataFrame(
        {
            "mw": d["traject_id"].isin(met_mw).astype(int),
            "west": (d["wijkteam"] == GEPLANT["veel_maatwerk"]["wijkteam"]).astype(int),
            "centrum": (d["wijkteam"] == GEPLANT["zware_casemix"]["wijkteam"]).astype(int),
            "leeftijd10": (d["leeftijd"].astype(float) - 40) / 10,
            "meervoudig": (d["problematiek"] == "meervoudig").astype(int),
            "zrm": d["zrm_start"].astype(float) - 3,
            "na_beleid": (d["datum_plan"] >= GEPLANT["beleidswijziging"]["datum"]).astype(int),
        }
    ).dropna()


def test_west_meer_maatwerk_dan_casemix_verklaart(casemix):
    # planted: OR 2.5 for Wijkteam West in the shared logistic model (statsmodels Logit)
    m = smf.logit("mw ~ west + centrum + leeftijd10 + meervoudig + zrm + na_beleid", casemix).fit(disp=0)
    lo, hi = np.exp(m.conf_int().loc["west"])
    assert lo > 1.5
    assert lo < GEPLANT["veel_maatwerk"]["odds_ratio"] < hi * 1.15
    # the documented model coefficients are recovered (GEPLANT["maatwerkmodel"])
    assert m.params["zrm"] == pytest.approx(GEPLANT["maatwerkmodel"]["zrm_start"], abs=0.3)
    assert m.params["meervoudig"] == pytest.approx(GEPLANT["maatwerkmodel"]["meervoudig"], abs=0.3)


def test_centrum_verschil_verdwijnt_na_casemixcorrectie(casemix):
    # planted: Centrum's heavier case-mix explains all of its extra maatwerk
    naief = smf.logit("mw ~ west + centrum", casemix).fit(disp=0)
    assert np.exp(naief.params["centrum"]) > 1.6
    m = smf.logit("mw ~ west + centrum + leeftijd10 + meervoudig + zrm + na_beleid", casemix).fit(disp=0)
    lo, hi = np.exp(m.conf_int().loc["centrum"])
    assert lo < 1.0 < hi
    assert abs(m.params["centrum"]) < 0.25
    # and the case-mix really is heavier
    c = casemix[casemix["centrum"] == 1]
    o = casemix[(casemix["centrum"] == 0) & (casemix["west"] == 0)]
    assert c["meervoudig"].mean() > o["meervoudig"].mean() + 0.15
    assert c["zrm"].mean() < o["zrm"].mean() - 0.2


def test_oost_caseload_per_fte_stijgt(tab):
    # planted: Oost instroom +30%/yr at constant fte -> caseload per fte keeps rising
    p = GEPLANT["groeiende_instroom"]
    t = _trajecten_met_team(tab, p["gemeente"])
    f = tab["formatie"]
    maanden = pd.period_range("2021-01", "2025-12", freq="M")
    hellingen = {}
    for team in t["wijkteam"].unique():
        tt = t[t["wijkteam"] == team]
        open_ = np.array(
            [
                ((tt["datum_melding"] <= m.end_time) & ~(tt["datum_einde"] < m.start_time)).sum()
                for m in maanden
            ]
        )
        fte = f[(f["gemeente"] == p["gemeente"]) & (f["wijkteam"] == team)].sort_values("maand")
        if team == p["wijkteam"]:
            assert fte["fte"].nunique() == 1  # constant formatie
        cl = open_ / fte["fte"].to_numpy()
        hellingen[team] = np.polyfit(np.arange(60) / 12, cl, 1)[0] / cl[:12].mean()
    oost = hellingen.pop(p["wijkteam"])
    assert oost > 0.2  # >20% of the 2021 level per year
    assert max(abs(v) for v in hellingen.values()) < 0.1
    # instroom growth: Poisson GLM of yearly meldingen on year (statsmodels)
    oost = t[(t["wijkteam"] == p["wijkteam"]) & (t["datum_melding"] >= "2021-01-01")]
    jaar = oost.groupby(oost["datum_melding"].dt.year).size().rename("n").reset_index()
    glm = smf.poisson("n ~ datum_melding", jaar).fit(disp=0)
    groei = np.exp(glm.params["datum_melding"]) - 1
    assert groei == pytest.approx(p["groei_per_jaar"], abs=0.08)


def test_beekdal_noord_lage_teamscore(tab):
    # planted: medewerkers of Beekdal Noord score dimension 'team' ~5.5 vs ~7.2
    p = GEPLANT["lage_teamscore"]
    e = tab["enquete"]
    e = e[(e["respondent"] == p["respondent"]) & (e["dimensie"] == p["dimensie"])]
    noord = (e["gemeente"] == p["gemeente"]) & (e["wijkteam"] == p["wijkteam"])
    assert e.loc[noord, "score"].mean() == pytest.approx(p["score"], abs=0.35)
    assert e.loc[~noord, "score"].mean() == pytest.approx(p["score_overig"], abs=0.35)


def test_zrm_meestal_verbeterd(tab):
    # brief: most trajecten improve between first and last ZRM, some equal, some worse
    z = tab["zrm"].groupby(["traject_id", "datum"])["score"].sum().reset_index()
    z = z.sort_values(["traject_id", "datum"]).groupby("traject_id")["score"].agg(["first", "last", "size"])
    z = z[z["size"] > 1]
    d = z["last"] - z["first"]
    assert (d > 0).mean() > 0.5 and 0.05 < (d < 0).mean() < 0.3 and (d == 0).mean() > 0.02


# --- files ---------------------------------------------------------------------------------


def _hashes(map):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(map.iterdir())}


@pytest.mark.traag
def test_vastgelegde_voorbeelddata_is_reproduceerbaar(tmp_path):
    # the committed data_samples equal what `monitoranalyse voorbeelddata` writes (seed 2026)
    genereer(tmp_path, seed=2026)
    for naam, map in (("voorbeeld", VOORBEELD), ("rommelig", ROMMELIG)):
        assert _hashes(tmp_path / naam) == _hashes(map), naam


def test_manifest_dekt_elke_regel():
    m = pd.read_csv(ROMMELIG / "verwacht_quarantaine.csv", dtype=str)
    assert list(m.columns) == list(MANIFEST_KOLOMMEN)
    assert set(m["regel"]) == set(REGELS)
    assert set(m["tabel"]) <= set(TABELLEN)
    assert not m.duplicated().any()


def test_manifest_wijst_de_juiste_rijen_aan():
    # independent check of a few manifest rows by reading the files as plain text
    m = pd.read_csv(ROMMELIG / "verwacht_quarantaine.csv", dtype=str)
    m["rij"] = m["rij"].astype(int)
    tr = pd.read_csv(ROMMELIG / "trajecten.csv", sep=";", encoding="cp1252", dtype=str,
                     keep_default_na=False)
    inz = pd.read_csv(ROMMELIG / "inzet.csv", sep=";", encoding="utf-8-sig", dtype=str,
                      keep_default_na=False)

    def waarde(df, rij, kolom):
        return df.loc[rij - 2, kolom]  # header = line 1

    for r in m[m["tabel"] == "trajecten"].itertuples():
        if r.regel == "verplicht_leeg":
            assert waarde(tr, r.rij, r.kolom) == ""
        if r.regel == "bsn":
            v = waarde(tr, r.rij, r.kolom)
            assert len(v) == 9 and sum(int(c) * w for c, w in zip(v, (9, 8, 7, 6, 5, 4, 3, 2, -1))) % 11 == 0
    dubbel = m[(m["tabel"] == "trajecten") & (m["regel"] == "dubbel_id")]["rij"]
    ids = tr.loc[dubbel - 2, "traject_id"]
    assert len(dubbel) == 2 and ids.nunique() == 1
    assert (tr["traject_id"] == ids.iloc[0]).sum() == 2
    # every inzet row of a quarantined traject is listed as onbekend_traject
    slecht = set(tr.loc[m.loc[m["tabel"] == "trajecten", "rij"] - 2, "traject_id"])
    verwacht = set(inz.index[inz["traject_id"].isin(slecht) | (inz["traject_id"] == "T9999999")] + 2)
    gelijst = set(m.loc[(m["tabel"] == "inzet") & (m["regel"] == "onbekend_traject"), "rij"])
    assert gelijst == verwacht
    neg = m[(m["tabel"] == "inzet") & (m["regel"] == "negatieve_kosten")]
    assert all(waarde(inz, r, "kosten").startswith("-") for r in neg["rij"])
    # the decimal-comma dialect is really there
    assert inz["kosten"].str.fullmatch(r"\d{1,3}(\.\d{3})+,\d{2}").any()
    assert (ROMMELIG / "inzet.csv").read_bytes().startswith(b"\xef\xbb\xbf")

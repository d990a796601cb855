"""Tests for monitoranalyse.rapport.openbaarmaking (disclosure control).

Expectations are hand calculations on tiny tables (stated per test) and properties
checked with hypothesis on random team tables with a Totaal.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitoranalyse.config import MonitorConfig
from monitoranalyse.contract import INDICATOR_KOLOMMEN, TOTAAL
from monitoranalyse.rapport.openbaarmaking import (
    REDEN_COMPLEMENT,
    REDEN_SECUNDAIR,
    beveilig,
    beveilig_config,
    veilig_voor_spreadsheet,
)

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as hs  # noqa: E402

PRIMAIR = "te klein aantal"


def _tabel(rijen, **vast) -> pd.DataFrame:
    basis = {
        "gemeente": "Lindeveen",
        "wijkteam": TOTAAL,
        "periode_start": "2024-01-01",
        "periode_eind": "2024-12-31",
        "indicator": "x",
        "uitsplitsing": "",
        "teller": np.nan,
        "noemer": np.nan,
        "waarde": np.nan,
        "ondergrens": np.nan,
        "bovengrens": np.nan,
        "methode": "",
    }
    basis.update(vast)
    return pd.DataFrame([{**basis, **r} for r in rijen])[list(INDICATOR_KOLOMMEN)]


def _teams(tellers: dict, typ_noemers: dict | None = None, **vast) -> pd.DataFrame:
    rijen = []
    for team, t in tellers.items():
        r = {"wijkteam": team, "teller": float(t), "waarde": float(t)}
        if typ_noemers:
            r["noemer"] = float(typ_noemers[team])
            r["waarde"] = t / typ_noemers[team]
        rijen.append(r)
    return _tabel(rijen, **vast)


def test_aantal_primair_en_secundair():
    # hand: A=3 < 8 primary; group {A,B,C,Totaal} then has one suppressed cell and a published
    # total, so the smallest published part B (20) is suppressed too; C and Totaal stay.
    t = _teams({"A": 3, "B": 20, "C": 40, TOTAAL: 63})
    voor = t.copy()
    uit = beveilig(t, typen={"x": "aantal"})
    pd.testing.assert_frame_equal(t, voor)  # input not mutated
    assert uit["onderdrukt"].tolist() == [True, True, False, False]
    assert uit["reden_onderdrukking"].tolist() == [PRIMAIR, REDEN_SECUNDAIR, "", ""]
    assert uit.loc[:1, ["teller", "noemer", "waarde", "ondergrens", "bovengrens"]].isna().all().all()
    assert uit["teller"].tolist()[2:] == [40.0, 63.0]
    assert list(uit.columns) == list(INDICATOR_KOLOMMEN) + ["onderdrukt", "reden_onderdrukking"]
    assert uit["wijkteam"].tolist() == ["A", "B", "C", TOTAAL]  # keys kept


def test_nul_is_ook_geheim_en_drempel_instelbaar():
    # CBS: 0-7 geheim; 0 is a small count as well. drempel=5 -> 5 published, 4 not (hand).
    uit = beveilig(_teams({"A": 0, "B": 50, TOTAAL: 50}), typen={"x": "aantal"})
    # A=0 primary, B secondary; Totaal published: only A+B=50 is known (hand)
    assert uit["onderdrukt"].tolist() == [True, True, False]
    uit = beveilig(_teams({"A": 4, "B": 5}), drempel=5, typen={"x": "aantal"})
    assert uit["onderdrukt"].tolist() == [True, False]  # no Totaal row: nothing to subtract from
    assert uit["reden_onderdrukking"][0] == "te klein aantal"


def test_enig_team_maakt_totaal_herleidbaar():
    # hand: one team + Totaal; the team is small, the Totaal equals it -> Totaal suppressed (secundair)
    # (a Totaal of 5 would be primary itself; 50 = a non-additive table, e.g. a traject counted
    # in more teams: the Totaal is the only published cell of the group and goes as well)
    t = _teams({"A": 5, TOTAAL: 50})
    uit = beveilig(t, typen={"x": "aantal"})
    assert uit["reden_onderdrukking"].tolist() == [PRIMAIR, REDEN_SECUNDAIR]


def test_proportie_complement():
    # hand: 15 of 18 -> complement 3 < 8 -> primary; 9/20 (complement 11) published.
    # Code "x" is not in the catalog -> gevoelig (strict): the complement rule applies.
    t = _teams({"A": 15, "B": 9, "C": 30, TOTAAL: 54}, {"A": 18, "B": 20, "C": 40, TOTAAL: 78})
    uit = beveilig(t, typen={"x": "proportie"})
    assert uit["reden_onderdrukking"].tolist() == [REDEN_COMPLEMENT, REDEN_SECUNDAIR, "", ""]


def test_complement_alleen_voor_gevoelige_indicatoren():
    # policy (DOMAIN.md): the complement rule only for gevoelig indicators. Hand: the same
    # table as above; not gevoelig -> A (15 of 18, complement 3) is published, nothing withheld.
    t = _teams({"A": 15, "B": 9, "C": 30, TOTAAL: 54}, {"A": 18, "B": 20, "C": 40, TOTAAL: 78})
    uit = beveilig(t, typen={"x": "proportie"}, gevoelig={"x": False})
    assert not uit["onderdrukt"].any()
    # small tellers and noemers stay protected for every indicator. Hand: A 5 of 30 -> teller
    # 5 < 8 primary; B 9 of 12 (complement 3) is not checked but is the smallest published
    # part of the team group, so it goes as secondary; C and Totaal stay.
    t = _teams({"A": 5, "B": 9, "C": 30, TOTAAL: 44}, {"A": 30, "B": 12, "C": 40, TOTAAL: 82})
    uit = beveilig(t, typen={"x": "proportie"}, gevoelig={"x": False})
    assert uit["reden_onderdrukking"].tolist() == [PRIMAIR, REDEN_SECUNDAIR, "", ""]


def test_catalogus_gevoeligheid_van_de_procesindicatoren():
    # the decisions named in the issue and DOMAIN.md: process indicators are not gevoelig,
    # maatwerk jeugd and ZRM verslechterd are; every proportion has its reasoning written down
    from monitoranalyse.indicatoren import INDICATOREN
    from monitoranalyse.indicatoren.catalogus import indicator

    for code in ("binnen_termijn_onderzoek", "registratie_volledig", "plan_binnen_termijn", "zrm_verbeterd"):
        assert indicator(code).gevoelig is False
    for code in ("toeleiding_maatwerk_jeugd", "zrm_verslechterd", "aandeel_maatwerk"):
        assert indicator(code).gevoelig is True
    assert all(len(i.gevoelig_reden) > 20 for i in INDICATOREN.values())


def test_delen_van_een_geheel():
    # ZRM verbeterd + gelijk + verslechterd = noemer (100). Hand: verslechterd 5 < 8 is
    # withheld; without the whole-rule 5 = 100 - 60 - 35 would follow from the other two, so
    # the smallest published part (gelijk, 35) is withheld too; verbeterd stays.
    rijen = [
        {"indicator": code, "teller": t, "noemer": 100.0, "waarde": t / 100}
        for code, t in (("zrm_verbeterd", 60.0), ("zrm_gelijk", 35.0), ("zrm_verslechterd", 5.0))
    ]
    uit = beveilig(_tabel(rijen))
    assert uit["onderdrukt"].tolist() == [False, True, True]
    assert uit["reden_onderdrukking"].tolist() == ["", REDEN_SECUNDAIR, PRIMAIR]
    # the vorm split of aandeel_vorm has no total row, but its noemer is the total. Hand:
    # netwerk 3 of 50 withheld (teller < 8) -> the smallest published part (wijkteam, 20)
    # goes too, otherwise 3 = 50 - 20 - 27; maatwerk_wmo stays.
    rijen = [
        {"indicator": "aandeel_vorm", "uitsplitsing": v, "teller": t, "noemer": 50.0, "waarde": t / 50}
        for v, t in (("netwerk", 3.0), ("wijkteam", 20.0), ("maatwerk_wmo", 27.0))
    ]
    uit = beveilig(_tabel(rijen))
    assert uit["onderdrukt"].tolist() == [True, True, False]


@pytest.mark.parametrize(
    "typ, teller, noemer, verwacht",
    [
        ("gemiddelde", 500.0, 5.0, True),  # 5 persons: mean of 5 people
        ("mediaan", np.nan, 8.0, False),  # 8 persons: published
        ("ratio", 7.0, 0.5, True),  # 7 events per 0.5 fte: teller < 8
        ("ratio", 9.0, 0.5, False),  # small exposure is no person count
        ("bedrag", 1e5, 3.0, True),  # cost of 3 trajecten
        ("bedrag", 1e5, np.nan, False),  # no noemer: not person-related (team cost)
        (None, 20.0, 5.0, True),  # unknown code: strict, noemer 5 < 8
        (None, 20.0, np.nan, False),
    ],
)
def test_primaire_regel_per_type(typ, teller, noemer, verwacht):
    # the table of rules in the module docstring (hand)
    t = _tabel([{"teller": teller, "noemer": noemer, "waarde": 1.0}])
    uit = beveilig(t, typen={} if typ is None else {"x": typ})
    assert uit["onderdrukt"].item() is verwacht or bool(uit["onderdrukt"].item()) == verwacht


def test_overlappende_groepen_teams_en_uitsplitsing():
    # hand (aantal):      v1   v2   ""
    #              A       3   30   33
    #              B      20   10   30
    #              Totaal 23   40   63
    # A/v1 primary; column v1 -> B/v1; row A -> A/v2; row B -> B/v2; then every line has 2.
    # The four suppressed cells form a cycle: A/v1 = a leaves a free (0..23), nothing recoverable.
    rijen = []
    waarden = {("A", "v1"): 3, ("A", "v2"): 30, ("B", "v1"): 20, ("B", "v2"): 10}
    for team in ("A", "B", TOTAAL):
        for s in ("v1", "v2"):
            v = waarden.get((team, s), waarden.get(("A", s), 0) + waarden.get(("B", s), 0))
            rijen.append({"wijkteam": team, "uitsplitsing": s, "teller": float(v)})
        rijen.append(
            {"wijkteam": team, "uitsplitsing": "", "teller": float(sum(r["teller"] for r in rijen[-2:]))}
        )
    uit = beveilig(_tabel(rijen), typen={"x": "aantal"})
    weg = set(map(tuple, uit.loc[uit["onderdrukt"], ["wijkteam", "uitsplitsing"]].to_numpy()))
    assert weg == {("A", "v1"), ("A", "v2"), ("B", "v1"), ("B", "v2")}


def test_groepen_per_gemeente_en_periode():
    # the same teams in another periode / gemeente are other groups (hand: nothing extra there)
    a = _teams({"A": 3, "B": 20, "C": 40, TOTAAL: 63})
    b = _teams({"A": 30, "B": 20, "C": 40, TOTAAL: 90}, periode_start="2023-01-01", periode_eind="2023-12-31")
    c = _teams({"A": 30, "B": 20, "C": 40, TOTAAL: 90}, gemeente="Anders")
    uit = beveilig(pd.concat([a, b, c], ignore_index=True), typen={"x": "aantal"})
    assert uit["onderdrukt"].sum() == 2


def test_afronden_op_vijf():
    # hand: 12 -> 10, 13 -> 15, 8 -> 10 (never below drempel), 63 -> 65; waarde of aantal = rounded
    t = _teams({"A": 12, "B": 13, "C": 8, TOTAAL: 33})
    t["waarde"] = t["teller"]
    uit = beveilig(t, afronden_op=5, typen={"x": "aantal"})
    assert uit["teller"].tolist() == [10.0, 15.0, 10.0, 35.0]
    assert uit["waarde"].tolist() == uit["teller"].tolist()
    # intervals recomputed on the rounded count: Byar for 10 (statistiek.byar_ci)
    from monitoranalyse.statistiek import poisson_ci

    lo, hi, _ = poisson_ci(10.0)
    assert uit["ondergrens"][0] == pytest.approx(float(lo)) and uit["methode"][0] == "Byar"
    # proportie as a percentage: 9/21 -> 10/20 = 50 %, scale kept (hand)
    p = _teams({"A": 9, "B": 40, TOTAAL: 49}, {"A": 21, "B": 60, TOTAAL: 81})
    p["waarde"] = 100 * p["teller"] / p["noemer"]
    uit = beveilig(p, afronden_op=5, typen={"x": "proportie"})
    assert uit["teller"].tolist() == [10.0, 40.0, 50.0]
    assert uit["noemer"].tolist() == [20.0, 60.0, 80.0]
    assert uit["waarde"][0] == pytest.approx(50.0)
    assert uit["methode"][0] == "Wilson"


def test_beveilig_config_met_gemeente_uitzondering():
    # drempel 10 in monitor.toml; Anders overrides to 5 (hand: 9 hidden in Lindeveen only)
    cfg = MonitorConfig(
        openbaarmaking={"drempel": 10, "afronden_op": 0},
        gemeenten={"Anders": {"openbaarmaking": {"drempel": 5}}},
    )
    a = _teams({"A": 9, "B": 20})
    b = _teams({"A": 9, "B": 20}, gemeente="Anders")
    tabel = pd.concat([a, b], ignore_index=True)
    uit = beveilig_config(tabel, cfg, typen={"x": "aantal"})
    assert uit["onderdrukt"].tolist() == [True, False, False, False]
    assert uit["reden_onderdrukking"][0] == "te klein aantal"
    assert uit.index.tolist() == tabel.index.tolist()


def test_ontbrekende_kolom_geeft_nederlandse_fout():
    with pytest.raises(ValueError, match="mist kolom"):
        beveilig(pd.DataFrame({"teller": [1]}))


def test_veilig_voor_spreadsheet():
    # OWASP CSV injection: = + - @ tab CR at the start -> apostrophe; numbers untouched
    df = pd.DataFrame(
        {
            "tekst": ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "gewoon", None],
            "obj": pd.Series(["=1", 2, None, "a", "b", "c", "d", "e"], dtype=object),
            "getal": [-1.0, 2, 3, 4, 5, 6, 7, 8],
            "cat": pd.Categorical(["=x", "y", "y", "y", "y", "y", "y", "y"]),
        }
    )
    voor = df.copy()
    uit = veilig_voor_spreadsheet(df)
    pd.testing.assert_frame_equal(df, voor)
    assert uit["tekst"].tolist()[:7] == ["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "gewoon"]
    assert pd.isna(uit["tekst"][7])
    assert uit["obj"].tolist()[:3] == ["'=1", 2, None]
    assert uit["getal"].tolist()[0] == -1.0
    assert uit["cat"][0] == "'=x"


# ---------------------------------------------------------------- property test

DREMPEL = 8


@hs.composite
def team_tabellen(draw):
    """Random tables of 1-5 teams x 0-3 uitsplitsingen with margins (Totaal and "")."""
    typ = draw(hs.sampled_from(["aantal", "proportie"]))
    teams = [f"T{i}" for i in range(draw(hs.integers(1, 5)))]
    splits = [f"s{i}" for i in range(draw(hs.integers(0, 3)))]
    cel = hs.integers(0, 40)
    rijen = []
    tel = {(t, s): draw(cel) for t in teams for s in splits or [""]}
    noem = {k: v + draw(cel) for k, v in tel.items()}
    for t in teams + [TOTAAL]:
        for s in (splits + [""]) if splits else [""]:
            tt = [t] if t != TOTAAL else teams
            ss = [s] if s != "" else (splits or [""])
            teller = sum(tel[(a, b)] for a in tt for b in ss)
            noemer = sum(noem[(a, b)] for a in tt for b in ss)
            rijen.append(
                {
                    "wijkteam": t,
                    "uitsplitsing": s,
                    "teller": float(teller),
                    "noemer": float(noemer) if typ == "proportie" else np.nan,
                    "waarde": teller / noemer if typ == "proportie" and noemer else float(teller),
                }
            )
    return typ, _tabel(rijen)


def _klein(x) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    return ~np.isnan(x) & (x < DREMPEL)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(team_tabellen())
def test_eigenschap_niets_herleidbaar(typ_tabel):
    typ, tabel = typ_tabel
    uit = beveilig(tabel, drempel=DREMPEL, typen={"x": typ})
    # same rows, same keys, same order
    assert len(uit) == len(tabel)
    assert uit["wijkteam"].tolist() == tabel["wijkteam"].tolist()
    assert uit["uitsplitsing"].tolist() == tabel["uitsplitsing"].tolist()
    # no published count in 0..drempel-1 (for proportions also not the complement)
    pub = uit[~uit["onderdrukt"]]
    assert not _klein(pub["teller"]).any()
    if typ == "proportie":
        assert not _klein(pub["noemer"]).any()
        assert not _klein(pub["noemer"] - pub["teller"]).any()
    # every additive group (line of the table incl. its margin): total minus the published
    # parts must never isolate exactly one suppressed cell; for proportions this covers
    # teller, noemer and the complement at once (all three are additive over the same cells)
    tabel = tabel.assign(onderdrukt=uit["onderdrukt"].to_numpy())
    for sleutel, totaalkol, totaal in (("uitsplitsing", "wijkteam", TOTAAL), ("wijkteam", "uitsplitsing", "")):
        for _, groep in tabel.groupby(sleutel):
            if (groep[totaalkol] == totaal).any() and len(groep) > 1:
                n_weg = int(groep["onderdrukt"].sum())
                assert n_weg != 1, groep
                if n_weg == 0:
                    continue
                # direct check: recompute from published values
                delen = groep[groep[totaalkol] != totaal]
                tot = groep[groep[totaalkol] == totaal]
                if not tot["onderdrukt"].any():
                    assert (~delen["onderdrukt"]).sum() <= len(delen) - 2
    # exact check on the whole table: no suppressed cell is determined by the linear system of
    # all line equations (e_j must not lie in the row space of the relations restricted to the
    # suppressed cells; numpy.linalg.matrix_rank)
    weg = np.flatnonzero(tabel["onderdrukt"].to_numpy())
    if len(weg):
        pos = {i: j for j, i in enumerate(weg)}
        relaties = []
        for sleutel, totaalkol, totaal in (("uitsplitsing", "wijkteam", TOTAAL), ("wijkteam", "uitsplitsing", "")):
            for _, groep in tabel.groupby(sleutel):
                if not (groep[totaalkol] == totaal).any() or len(groep) < 2:
                    continue
                rij = np.zeros(len(weg))
                for i in groep.index:
                    if i in pos:
                        rij[pos[i]] = -1.0 if groep.at[i, totaalkol] == totaal else 1.0
                relaties.append(rij)
        if relaties:
            a = np.array(relaties)
            rang = np.linalg.matrix_rank(a)
            for j in range(len(weg)):
                assert np.linalg.matrix_rank(np.vstack([a, np.eye(len(weg))[j]])) > rang, tabel



# ------------------------------------------------- property test with wijken (issue 15)


@hs.composite
def wijk_tabellen(draw):
    """Random gemeenten of 1-4 teams and 1-5 wijken; each team serves 1-3 wijken (a wijk may be
    served by two teams, or by none: then it is not in the table), some trajecten of a team have
    no wijk. Rows: the teams, the gemeente (Totaal) and the wijken (Totaal, "wijk:<naam>"); the
    cells team x wijk are never published."""
    typ = draw(hs.sampled_from(["aantal", "proportie"]))
    teams = [f"T{i}" for i in range(draw(hs.integers(1, 4)))]
    wijken = [f"W{i}" for i in range(draw(hs.integers(1, 5)))]
    paren = set()
    for t in teams:
        for w in draw(hs.lists(hs.sampled_from(wijken), min_size=1, max_size=3, unique=True)):
            paren.add((t, w))
        if draw(hs.booleans()):
            paren.add((t, ""))  # trajecten without a wijk
    cel = hs.integers(0, 30)
    tel = {p: draw(cel) for p in sorted(paren)}
    noem = {p: v + draw(cel) for p, v in tel.items()}

    def rij(wijkteam, uitsplitsing, cellen):
        t = float(sum(tel[c] for c in cellen))
        n = float(sum(noem[c] for c in cellen))
        return {"wijkteam": wijkteam, "uitsplitsing": uitsplitsing, "teller": t,
                "noemer": n if typ == "proportie" else np.nan,
                "waarde": (t / n if n else np.nan) if typ == "proportie" else t}

    rijen = [rij(t, "", [c for c in tel if c[0] == t]) for t in teams]
    rijen.append(rij(TOTAAL, "", list(tel)))
    for w in sorted({w for _, w in paren if w}):
        rijen.append(rij(TOTAAL, f"wijk:{w}", [c for c in tel if c[1] == w]))
    wijk_teams = pd.DataFrame([("Lindeveen", t, w) for t, w in sorted(paren)],
                              columns=["gemeente", "wijkteam", "wijk"])
    return typ, _tabel(rijen), wijk_teams, sorted(paren)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wijk_tabellen())
def test_eigenschap_wijken_niets_herleidbaar(typ_tabel):
    typ, tabel, wijk_teams, cellen = typ_tabel
    uit = beveilig(tabel, drempel=DREMPEL, typen={"x": typ}, wijk_teams=wijk_teams)
    assert uit["uitsplitsing"].tolist() == tabel["uitsplitsing"].tolist()
    pub = uit[~uit["onderdrukt"]]
    assert not _klein(pub["teller"]).any()
    if typ == "proportie":
        assert not _klein(pub["noemer"]).any()
        assert not _klein(pub["noemer"] - pub["teller"]).any()
    # exact: each row is a sum over the cells (team, wijk) that exist; a suppressed row must
    # not be a linear combination of the published rows (then an attacker who knows which team
    # serves which wijk could compute it from the team, wijk and gemeente figures)
    A = np.array([[float((w == TOTAAL or w == t) and (u == "" or u == f"wijk:{x}")) for t, x in cellen]
                  for w, u in zip(tabel["wijkteam"], tabel["uitsplitsing"])])
    weg = uit["onderdrukt"].to_numpy()
    P = A[~weg]
    rang = np.linalg.matrix_rank(P) if len(P) else 0
    for a in A[weg]:
        assert np.linalg.matrix_rank(np.vstack([P, a])) > rang, (tabel, uit["onderdrukt"].tolist())


def test_ingehouden_signaal_houdt_geen_cijfers_in_zijn_zin():
    # Found on a gemeente with one traject: the nader-onderzoek list blanked teller/noemer/waarde
    # of a withheld case-mix signal but kept its sentence "0% van de trajecten met maatwerk tegen
    # ... verwacht (O/E 0,00)", i.e. the withheld figure of one person, in csv and HTML.
    from monitoranalyse.rapport import openbaarmaking

    rij = {"rang": 1, "gemeente": "G", "indicator": "aandeel_maatwerk", "uitsplitsing": "", "soort_signaal": "casemix",
           "soorten": "x", "aantal_bewijzen": 1, "richting": "ongunstig", "periode": "2024", "referentie": 0.37}
    sig = pd.DataFrame([
        dict(rij, wijkteam="Team Klein", grootte=0.0, bewijs="O/E 0,00 (95%-BI 0,00–3,15)", teller=0.0, noemer=1.0,
             waarde=0.0, zin="Team Klein: 0% van de trajecten met maatwerk tegen 37% verwacht (O/E 0,00)"),
        dict(rij, wijkteam="Team Groot", grootte=0.2, bewijs="O/E 1,50", teller=55.0, noemer=100.0, waarde=0.55,
             zin="Team Groot: 55% van de trajecten met maatwerk tegen 37% verwacht")])
    maand = pd.DataFrame(columns=["wijkteam", "indicator", "periode_start", "onderdrukt", "uitsplitsing",
                                  "reden_onderdrukking"])
    v = openbaarmaking._signalen_vrij(sig, maand, MonitorConfig()).set_index("wijkteam")
    assert bool(v.at["Team Klein", "onderdrukt"])
    assert v.at["Team Klein", "zin"] == ("Team Klein: signaal bij aandeel maatwerk; de cijfers zelf zijn niet "
                                         "gepubliceerd (te klein aantal).")
    assert not any(c.isdigit() for c in v.at["Team Klein", "zin"] + v.at["Team Klein", "bewijs"])
    # a published signal keeps its sentence
    assert v.at["Team Groot", "zin"] == "Team Groot: 55% van de trajecten met maatwerk tegen 37% verwacht"

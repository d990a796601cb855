"""Indicators of the themes "resultaat" (ZRM, doelrealisatie, tevredenheid) and "medewerkers" (bollen-model).

Each function is registered in the catalog at import time (see ``_basis._indicator``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitoranalyse.contract import (
    ZRM_DOMEINEN,
)
from monitoranalyse.indicatoren._basis import (
    _Context,
    _DOEL_BELEVING,
    _DOEL_RESULTAAT,
    _GEEN_DAG,
    _af,
    _binnen,
    _categorie_codes,
    _dagen_int32,
    _gemiddelde,
    _gemiddelde_sommen,
    _getal,
    _indicator,
    _leeg,
    _proportie,
    _tekst,
)

__all__: list[str] = []  # indicators are reached through the catalog


# ------------------------------- Resultaat --------------------------------


def _zrm(c: _Context) -> dict:
    """ZRM per traject: first/last measurement and change over the common domains.

    Returns a dict of frames: ``traject`` (index pos; team, laatste, verschil) for
    trajecten with >= 2 measurement dates and >= 1 domain scored at both; ``eerste``
    (index pos; team, eerste, n_probleem) for every traject with a measurement; and
    ``domein`` (team, p, uitsplitsing, s1, s2, n): sums of the per-domain change,
    pre-aggregated per team, period of the last measurement and domain.

    Vectorised with dense arrays indexed by traject position (first score per
    traject x domain in an (n_trajecten, 13) float32 array), so no join or sort.
    """

    def maak():
        z = c.md.tabellen["zrm"]
        n_tr = len(c.melding)
        nD = len(ZRM_DOMEINEN)
        # compact per-row arrays (tens of millions of rows at municipal scale)
        begin, run_pos = c.runs(z["traject_id"])
        pos = np.repeat(run_pos.astype("int32"), np.diff(np.append(begin, len(z))))
        del begin, run_pos
        dom = _categorie_codes(z["domein"], ZRM_DOMEINEN).astype("int8")
        d = _dagen_int32(z["datum"])
        score = pd.Series(z["score"]).to_numpy(dtype="float32", na_value=np.nan)
        ok = (pos >= 0) & (dom >= 0) & (d != _GEEN_DAG) & ~np.isnan(score)
        if not ok.all():
            pos, dom, d, score = pos[ok], dom[ok], d[ok], score[ok]
        del ok
        # measurements = runs of equal (traject, datum); first/last date per traject
        nieuw = np.ones(len(pos), dtype=bool)
        nieuw[1:] = (pos[1:] != pos[:-1]) | (d[1:] != d[:-1])
        m_begin = np.flatnonzero(nieuw)
        del nieuw
        m_len = np.diff(np.append(m_begin, len(pos)))
        m_pos, m_d = pos[m_begin], d[m_begin]
        del m_begin
        eerste = np.full(n_tr, np.iinfo("int32").max, dtype="int32")
        laatste = np.full(n_tr, _GEEN_DAG, dtype="int32")
        np.minimum.at(eerste, m_pos, m_d)
        np.maximum.at(laatste, m_pos, m_d)
        is_f = np.repeat(m_d == eerste[m_pos], m_len)
        is_l = np.repeat((m_d == laatste[m_pos]) & (laatste[m_pos] > eerste[m_pos]), m_len)
        del m_len, m_pos, m_d
        # score per domain at the first measurement (dense n_trajecten x 13)
        start = np.full((n_tr, nD), np.nan, dtype="float32")
        fi = np.flatnonzero(is_f)
        del is_f
        start[pos[fi], dom[fi]] = score[fi]
        n_probleem = np.bincount(pos[fi], weights=(score[fi] <= 2), minlength=n_tr)
        del fi
        li = np.flatnonzero(is_l)
        del is_l
        l_pos, l_dom = pos[li], dom[li]
        verschil = score[li] - start[l_pos, l_dom]
        del li, start, pos, dom, d, score
        v = ~np.isnan(verschil)
        l_pos, l_dom, verschil = l_pos[v], l_dom[v], verschil[v].astype("float64")
        som = np.bincount(l_pos, weights=verschil, minlength=n_tr)
        n_gemeen = np.bincount(l_pos, minlength=n_tr)
        heeft = laatste != _GEEN_DAG
        eerste_f = np.where(heeft, eerste, np.nan)
        laatste_f = np.where(heeft, laatste, np.nan)
        paar = np.flatnonzero(n_gemeen > 0)
        traject = pd.DataFrame({"team": c.tr_team[paar], "laatste": laatste_f[paar],
                                "verschil": som[paar]}, index=paar)
        met = np.flatnonzero(heeft)
        eerst = pd.DataFrame({"team": c.tr_team[met], "eerste": eerste_f[met],
                              "n_probleem": n_probleem[met]}, index=met)
        # per-domain change, pre-aggregated per (team, period of last meting, domain)
        team = c.tr_team[l_pos]
        p = c.p(laatste_f[l_pos])
        m = _binnen(c, team, p)
        sleutel = ((team[m] * c.nP + p[m].astype("int64")) * nD + l_dom[m]).astype("int64")
        lengte = max(c.nT * c.nP * nD, 1)
        n = np.bincount(sleutel, minlength=lengte)
        s1 = np.bincount(sleutel, weights=verschil[m], minlength=lengte)
        s2 = np.bincount(sleutel, weights=verschil[m] ** 2, minlength=lengte)
        nz = np.flatnonzero(n)
        domein = pd.DataFrame({
            "team": nz // (c.nP * nD), "p": (nz // nD) % c.nP,
            "uitsplitsing": np.asarray(ZRM_DOMEINEN, dtype=object)[nz % nD],
            "s1": s1[nz], "s2": s2[nz], "n": n[nz].astype(float),
        })
        return {"traject": traject, "eerste": eerst, "domein": domein}

    return c.onthoud("zrm", maak)


def _zrm_richting(c, code, teken):
    t = _zrm(c)["traject"]
    v = t["verschil"].to_numpy()
    teller = {1: v > 0, 0: v == 0, -1: v < 0}[teken]
    return _af(c, _proportie(c, t["team"].to_numpy(), c.p(t["laatste"].to_numpy()), teller), code)


_ZRM_OMSCHR = ("Aandeel trajecten met minstens twee ZRM-metingen waarvan de totaalscore bij de "
               "laatste meting {} is dan bij de eerste, berekend over de domeinen die bij beide "
               "metingen gescoord zijn; toegerekend aan de periode van de laatste meting.")
for _code, _naam, _woord, _teken, _beter in (
    ("zrm_verbeterd", "ZRM verbeterd", "hoger", 1, "hoger"),
    ("zrm_gelijk", "ZRM gelijk gebleven", "gelijk", 0, None),
    ("zrm_verslechterd", "ZRM verslechterd", "lager", -1, "lager"),
):
    @_indicator(_code, _naam, "resultaat", "proportie", _beter, "%", _DOEL_RESULTAAT,
                dimensie="hulp", omschrijving=_ZRM_OMSCHR.format(_woord))
    def _zrm_ind(c, code, _t=_teken):
        return _zrm_richting(c, code, _t)


@_indicator("zrm_verandering", "ZRM verandering per domein", "resultaat", "gemiddelde", "hoger",
            "punten", _DOEL_RESULTAAT, dimensie="hulp",
            omschrijving="Gemiddelde verandering van de ZRM-score (laatste min eerste meting) per "
            "domein, over trajecten waarin het domein bij beide metingen gescoord is; "
            "uitsplitsing = domein; periode van de laatste meting.")
def _zrm_verandering(c, code):
    dl = _zrm(c)["domein"]
    a = _gemiddelde_sommen(c, dl["team"].to_numpy(), dl["p"].to_numpy(dtype=float),
                           dl["uitsplitsing"].to_numpy(), dl["s1"].to_numpy(),
                           dl["s2"].to_numpy(), dl["n"].to_numpy())
    return _af(c, a, code)


@_indicator("zrm_probleemdomeinen", "ZRM probleemdomeinen bij start", "resultaat", "gemiddelde",
            None, "domeinen", _DOEL_RESULTAAT, dimensie="hulp",
            omschrijving="Gemiddeld aantal domeinen met score 1 (acute problematiek) of 2 (niet "
            "zelfredzaam) bij de eerste ZRM-meting; periode van de eerste meting.")
def _zrm_probleem(c, code):
    e = _zrm(c)["eerste"]
    a = _gemiddelde(c, e["team"].to_numpy(), c.p(e["eerste"].to_numpy()),
                    e["n_probleem"].to_numpy())
    return _af(c, a, code)


@_indicator("doelrealisatie", "Doelrealisatie", "resultaat", "proportie", "hoger", "%",
            _DOEL_RESULTAAT, dimensie="hulp",
            omschrijving="Som van de behaalde doelen gedeeld door de som van de gestelde doelen "
            "van trajecten die in de periode zijn afgesloten (trajecten zonder gestelde doelen "
            "tellen niet mee). Het Wilson-interval behandelt doelen als onafhankelijk.")
def _doelrealisatie(c, code):
    tr = c.md.tabellen["trajecten"]
    gesteld, behaald = _getal(tr["doelen_gesteld"]), _getal(tr["doelen_behaald"])
    ok = (gesteld > 0) & ~np.isnan(behaald)
    teller, noemer = np.where(ok, behaald, 0.0), np.where(ok, gesteld, 0.0)
    return _af(c, _proportie(c, c.tr_team, c.p(c.einde), teller, noemer), code)


@_indicator("tevredenheid", "Tevredenheid cliënt", "resultaat", "gemiddelde", "hoger",
            "rapportcijfer", _DOEL_BELEVING, dimensie="klant",
            omschrijving="Gemiddeld rapportcijfer (1-10) voor tevredenheid van trajecten die in de "
            "periode zijn afgesloten, uit de registratie; t-interval. Dit is niet het wettelijke "
            "cliëntervaringsonderzoek (Wmo 2015 art. 2.5.1), dat een eigen steekproef en vragenlijst "
            "heeft.")
def _tevredenheid(c, code):
    x = _getal(c.md.tabellen["trajecten"]["tevredenheid"])
    return _af(c, _gemiddelde(c, c.tr_team, c.p(c.einde), x), code)


# ------------------------------ Medewerkers -------------------------------


@_indicator("rapportcijfer", "Rapportcijfer bollen-model", "medewerkers", "gemiddelde", "hoger",
            "rapportcijfer", "Het team functioneert goed op hulp, geld, klant, wijk en team",
            omschrijving="Gemiddeld rapportcijfer (1-10) uit de bollen-enquête per team per "
            "dimensie; uitsplitsing 'respondent:dimensie' en 'dimensie' (alle respondenten). "
            "Periode = het enquêtejaar. De Totaal-rij is het gemiddelde over alle antwoorden van "
            "alle teams van de gemeente.")
def _rapportcijfer(c, code):
    eq = c.md.tabellen["enquete"]
    if len(eq) == 0 or c.nP == 0:
        return _leeg()
    jaar = _getal(eq["jaar"])
    eerste = c.per["periode_start"].iloc[0].year
    laatste = c.per["periode_eind"].iloc[-1].year
    team = c.team_codes(eq)
    resp, dim = _tekst(eq["respondent"]), _tekst(eq["dimensie"])
    x = _getal(eq["score"])
    ok = (jaar >= eerste) & (jaar <= laatste) & (team >= 0) & ~np.isnan(x)
    # _gemiddelde works on period codes: use the year offset as "period" here
    c2 = _Context.__new__(_Context)
    c2.__dict__.update(c.__dict__)
    c2.nP = int(laatste - eerste + 1)
    p = jaar - eerste
    delen = [
        _gemiddelde(c2, team[ok], p[ok], x[ok], (resp + ":" + dim)[ok]),
        _gemiddelde(c2, team[ok], p[ok], x[ok], dim[ok]),
    ]
    a = pd.concat(delen, ignore_index=True)
    jaren = (a["p"].to_numpy() + eerste).astype("int64")
    a["periode_start"] = (jaren - 1970).astype("datetime64[Y]").astype("datetime64[ns]")
    a["periode_eind"] = ((jaren - 1969).astype("datetime64[Y]").astype("datetime64[D]")
                         - np.timedelta64(1, "D")).astype("datetime64[ns]")
    a["volledig"] = True
    return _af(c, a.drop(columns="p"), code)

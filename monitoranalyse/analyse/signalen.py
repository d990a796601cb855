"""The nader-onderzoek list: one ranked table of signals the rekenkamer starts from.

:func:`nader_onderzoek` gathers what the analysis stage found — teams outside the funnel
(:func:`monitoranalyse.analyse.vergelijking.funnel`), case-mix adjusted O/E outliers
(:func:`monitoranalyse.analyse.vergelijking.casemix_oe`), SPC signals (``spc.py``), trends
(``trend.py``) and bollen-model scores significantly below the other teams
(:func:`monitoranalyse.analyse.vergelijking.bollen_profiel`, Holm-corrected) — and merges them
into ONE row per team × indicator: the strongest evidence first, the rest in the same
sentence, in plain Dutch (no rule codes).

The typology (:func:`monitoranalyse.analyse.vergelijking.team_typologie`) does not enter the
list: it places teams relative to each other on two descriptive axes without a sampling
model or a "better" direction, so an extreme position is a description of the team's
work (heavy case-mix, doing much itself), not evidence that something is wrong.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from monitoranalyse import tekst
from monitoranalyse.contract import TOTAAL

__all__ = ["SIGNAAL_KOLOMMEN", "SOORTEN", "nader_onderzoek"]

#: Output columns of :func:`nader_onderzoek`.
SIGNAAL_KOLOMMEN: tuple[str, ...] = (
    "rang",
    "gemeente",
    "wijkteam",
    "indicator",
    "uitsplitsing",
    "soort_signaal",
    "soorten",
    "aantal_bewijzen",
    "richting",
    "grootte",
    "bewijs",
    "zin",
    "periode",
    "teller",
    "noemer",
    "waarde",
    "referentie",
)
SOORTEN: tuple[str, ...] = ("funnel", "funnel_na_overspreiding", "casemix", "spc", "trend",
                            "bollen")
#: Plain-Dutch names of the evidence kinds (column ``soorten``, the report's list).
SOORT_NAMEN: dict[str, str] = {
    "funnel": "teamvergelijking (funnel)",
    "funnel_na_overspreiding": "teamvergelijking (funnel, na correctie voor overspreiding)",
    "casemix": "vergelijking na correctie voor cliëntkenmerken",
    "spc": "procesbewaking (SPC)",
    "trend": "trend",
    "bollen": "bollen-enquête",
}
#: The case-mix outcomes answer the question of an indicator: their evidence joins it.
CASEMIX_INDICATOR = {"maatwerk": "aandeel_maatwerk",
                     "doorlooptijd_buiten_termijn": "binnen_termijn_onderzoek"}

#: Case-mix outcomes: Dutch description and the better direction (policy: fewer
#: specialist referrals, fewer late onderzoeken; ../shared/DOMAIN.md).
_CASEMIX = {
    "maatwerk": ("van de trajecten met maatwerk", "lager"),
    "doorlooptijd_buiten_termijn": (
        "van de trajecten met een intake later dan de termijn na de melding",
        "lager",
    ),
}
_Z95 = float(stats.norm.isf(0.025))


def _ind(catalogus, code):
    if catalogus is None:
        try:
            from monitoranalyse.indicatoren.catalogus import INDICATOREN

            catalogus = INDICATOREN
        except Exception:  # pragma: no cover - catalog module always present
            catalogus = {}
    return catalogus.get(code)


def _team(naam) -> str:
    naam = str(naam)
    if naam in ("", TOTAAL, "nan", "<NA>"):
        return "Gemeente"  # one word for the gemeente level in every report
    return naam if "team" in naam.lower() else f"Wijkteam {naam}"


def _periode(start, eind) -> str:
    try:
        if pd.isna(start) or pd.isna(eind):
            return ""
        return tekst.periode_label(start, eind)
    except Exception:
        return str(start)


def _fmt(waarde, type_, eenheid: str = "") -> str:
    if type_ == "proportie":
        w = float(waarde)
        return tekst.procent(w if w <= 1 else w / 100)
    if type_ == "oe":
        return tekst.getal(waarde, 2)
    s = tekst.getal(waarde, 0 if abs(float(waarde)) >= 10 else 1)
    return f"{s} {eenheid}".strip()


def _richting(positie: str, beter) -> str | None:
    if beter not in ("hoger", "lager") or positie in ("binnen", "onbekend"):
        return None
    hoog = positie.startswith("boven")
    return "gunstig" if hoog == (beter == "hoger") else "ongunstig"


def _buiten(positie: str, niveau: str) -> bool:
    if niveau == "99,8%":
        return positie.endswith("99,8%")
    return positie not in ("binnen", "onbekend")


def _grens_tekst(positie: str) -> str:
    kant, pct = positie.split(" ")
    return f"{kant} de {pct}-grens"


def _uit_funnels(funnels: pd.DataFrame, catalogus, niveau) -> list[dict]:
    rijen = []
    for r in funnels.to_dict("records"):
        ind = _ind(catalogus, r["indicator"])
        beter = r.get("beter") if isinstance(r.get("beter"), str) else getattr(ind, "beter", None)
        type_ = r.get("type") or getattr(ind, "type", None)
        gecorrigeerd = r.get("methode_overspreiding") in ("additief", "multiplicatief")
        positie = r["positie_gecorrigeerd"] if gecorrigeerd else r["positie"]
        if not _buiten(positie, niveau):
            continue
        richting = _richting(positie, beter)
        if richting is None:
            continue
        z = r["z_gecorrigeerd"] if gecorrigeerd else r["z"]
        phi = tekst.getal(r.get("phi"), 1)
        if gecorrigeerd:
            bewijs = (f"{_grens_tekst(positie)}; phi={phi}, ook na correctie voor overspreiding "
                      f"({r['methode_overspreiding']})")
            staart = ", ook na correctie voor overspreiding"
        else:
            bewijs = f"{_grens_tekst(positie)}; geen aantoonbare overspreiding (phi={phi})"
            staart = ""
        naam = getattr(ind, "naam", r["indicator"])
        eenheid = getattr(ind, "eenheid", "")
        stat = "mediaan " if type_ == "mediaan" else ("gemiddeld " if type_ == "gemiddelde" else "")
        zin = (f"{_team(r['wijkteam'])}: {naam} {stat}{_fmt(r['waarde'], type_, eenheid)} tegen "
               f"{_fmt(r['doel'], type_, eenheid)} gemeentebreed; {_grens_tekst(positie)}{staart}")
        kort = (f"in de teamvergelijking {_fmt(r['waarde'], type_, eenheid)} tegen "
                f"{_fmt(r['doel'], type_, eenheid)} gemeentebreed, {_grens_tekst(positie)}{staart}")
        rijen.append({
            "gemeente": r["gemeente"], "wijkteam": r["wijkteam"], "indicator": r["indicator"],
            "uitsplitsing": r.get("uitsplitsing", "") or "", "kort": kort,
            "soort_signaal": "funnel_na_overspreiding" if gecorrigeerd else "funnel",
            "richting": richting, "grootte": abs(float(z)), "bewijs": bewijs, "zin": zin,
            "periode": _periode(r.get("periode_start"), r.get("periode_eind")),
            "teller": r.get("teller"), "noemer": r.get("noemer"), "waarde": r["waarde"],
            "referentie": r["doel"],
        })
    return rijen


def _uit_casemix(casemix: pd.DataFrame, niveau) -> list[dict]:
    rijen = []
    for r in casemix.to_dict("records"):
        omschrijving, beter = _CASEMIX.get(r["uitkomst"], (r["uitkomst"], "lager"))
        gecorrigeerd = r.get("methode_overspreiding") in ("additief", "multiplicatief")
        positie = r["positie_gecorrigeerd"] if gecorrigeerd else r["positie"]
        if not _buiten(positie, niveau):
            continue
        richting = _richting(positie, beter)
        if richting is None:
            continue
        over = ", ook na correctie voor overspreiding" if gecorrigeerd else ""
        ongecorrigeerd = r.get("positie_ongecorrigeerd", "onbekend")
        bewijs = (f"O/E {tekst.getal(r['ratio'], 2)} (95%-BI {tekst.getal(r['ondergrens'], 2)}"
                  f"–{tekst.getal(r['bovengrens'], 2)}); {_grens_tekst(positie)} na correctie "
                  f"voor case-mix ({r.get('kenmerken', '')}){over}; "
                  f"zonder correctie: {ongecorrigeerd}")
        verwacht_aandeel = r["verwacht"] / r["n"] if r["n"] else np.nan
        zin = (f"{_team(r['wijkteam'])}: {tekst.procent(r['aandeel'])} {omschrijving} tegen "
               f"{tekst.procent(verwacht_aandeel)} verwacht op grond van de cliëntkenmerken "
               f"(O/E {tekst.getal(r['ratio'], 2)}); {_grens_tekst(positie)}{over}")
        z = float(r.get("z_gecorrigeerd", np.nan)) if gecorrigeerd else float(r["z"])
        if not np.isfinite(z):
            z = float(r["z"])
        kort = (f"{tekst.procent(r['aandeel'])} {omschrijving} tegen "
                f"{tekst.procent(verwacht_aandeel)} verwacht op grond van de cliëntkenmerken")
        rijen.append({
            "gemeente": r["gemeente"], "wijkteam": r["wijkteam"],
            "indicator": CASEMIX_INDICATOR.get(r["uitkomst"], r["uitkomst"]), "kort": kort,
            "uitsplitsing": "", "soort_signaal": "casemix", "richting": richting,
            "grootte": abs(z), "bewijs": bewijs, "zin": zin, "periode": r.get("periode", ""),
            "teller": r["waargenomen"], "noemer": r["verwacht"], "waarde": r["ratio"],
            "referentie": 1.0,
        })
    return rijen


def _regel_woorden(regel: str, boven: bool) -> str:
    """An SPC rule code in plain Dutch (monthly charts in the reports)."""
    kant = "boven" if boven else "onder"
    return {
        "buiten_procesgrens": "buiten de procesgrenzen",
        "trend": f"zeven maanden op rij {'stijgend' if boven else 'dalend'}",
        "twee_van_drie": f"twee van drie maanden ver {kant} het gemiddelde",
        "verschuiving": f"zeven maanden op rij {kant} het gemiddelde",
    }.get(regel, regel.replace("_", " "))


def _uit_spc(spc: pd.DataFrame, catalogus) -> list[dict]:
    """One evidence row per series and soort: the most extreme signal point (largest
    distance to the middenlijn in sigma), with every rule that fired in words."""
    rijen = []
    spc = spc[spc["soort"].isin(["zorg", "verbetering"])]
    if spc.empty:
        return rijen
    spc = spc.assign(uitsplitsing=spc["uitsplitsing"].fillna("") if "uitsplitsing" in spc else "")
    sleutel = ["gemeente", "wijkteam", "indicator", "uitsplitsing", "soort"]
    for _, g in spc.groupby(sleutel, sort=False, dropna=False):
        g = g.sort_values("periode_start")
        sigma = (g["boven_procesgrens"] - g["middenlijn"]) / 3
        sigma = sigma.where(np.isfinite(sigma) & (sigma > 0), (g["middenlijn"] - g["onder_procesgrens"]) / 3)
        z = ((g["waarde"] - g["middenlijn"]).abs() / sigma.where(sigma > 0)).astype(float)
        r = g.loc[z.idxmax()].to_dict() if z.notna().any() else g.iloc[-1].to_dict()
        grootte = float(z.max()) if z.notna().any() else np.nan
        boven = bool(r["waarde"] >= r["middenlijn"])
        regels = ", ".join(dict.fromkeys(_regel_woorden(str(x), boven) for x in g["regel"]))
        ind = _ind(catalogus, r["indicator"])
        type_ = getattr(ind, "type", None)
        eenheid = getattr(ind, "eenheid", "")
        naam = getattr(ind, "naam", r["indicator"])
        start = pd.Timestamp(r["periode_start"])
        bewijs = (f"procesbewaking (SPC): {regels}; sterkst in {tekst.maand_jaar(start)}: "
                  f"{_fmt(r['waarde'], type_, eenheid)} tegen een gemiddelde van "
                  f"{_fmt(r['middenlijn'], type_, eenheid)}")
        kort = (f"procesbewaking: {regels} ({_fmt(r['waarde'], type_, eenheid)} in "
                f"{tekst.maand_jaar(start)} tegen gemiddeld {_fmt(r['middenlijn'], type_, eenheid)})")
        zin = (f"{_team(r['wijkteam'])}: {naam} {_fmt(r['waarde'], type_, eenheid)} in "
               f"{tekst.maand_jaar(start)} tegen een gemiddelde van "
               f"{_fmt(r['middenlijn'], type_, eenheid)}; {regels}")
        rijen.append({
            "gemeente": r["gemeente"], "wijkteam": r["wijkteam"], "indicator": r["indicator"],
            "uitsplitsing": r["uitsplitsing"], "soort_signaal": "spc", "kort": kort,
            "richting": "ongunstig" if r["soort"] == "zorg" else "gunstig",
            "grootte": grootte, "bewijs": bewijs, "zin": zin,
            "periode": start.date().isoformat(), "teller": np.nan, "noemer": np.nan,
            "waarde": r["waarde"], "referentie": r["middenlijn"],
        })
    return rijen


_RESPONDENT = {"medewerker": "medewerkers", "client": "cliënten", "partner": "partners"}


def _uit_bollen(bollen: pd.DataFrame) -> list[dict]:
    """Teams whose rapportcijfer on a dimension differs significantly from the other
    teams after the correction ``bollen_profiel`` applied (Holm by default)."""
    rijen = []
    for r in bollen.to_dict("records"):
        if not bool(r.get("afwijkend")):
            continue
        lager = str(r.get("oordeel", "")).startswith("lager")
        resp = r.get("respondent")
        resp = resp if isinstance(resp, str) and resp else ""
        wie = f" door {_RESPONDENT.get(resp, resp)}" if resp else ""
        p = float(r.get("p_waarde", np.nan))
        grootte = float(stats.norm.isf(max(p, 1e-300) / 2)) if np.isfinite(p) else np.nan
        corr = str(r.get("correctie") or "Holm")
        corr = {"holm": "Holm", "fdr_bh": "Benjamini-Hochberg"}.get(corr, corr)
        gem, alle = r["gemiddelde"], r["gemiddelde_alle_teams"]
        kort = (f"bollen-enquête: dimensie {r['dimensie']}{wie} gemiddeld {tekst.getal(gem, 1)} "
                f"tegen {tekst.getal(alle, 1)} bij alle teams")
        zin = (f"{_team(r['wijkteam'])}: rapportcijfer voor {r['dimensie']}{wie} gemiddeld "
               f"{tekst.getal(gem, 1)} tegen {tekst.getal(alle, 1)} bij alle teams; "
               f"{'lager' if lager else 'hoger'} dan de andere teams, ook na correctie voor "
               f"het aantal vergelijkingen ({corr})")
        bewijs = (f"Welch-t-toets tegen de andere teams: p={tekst.getal(p, 4)}, na {corr}-correctie "
                  f"p={tekst.getal(r.get('p_gecorrigeerd'), 4)}; n={int(r['n'])}")
        rijen.append({
            "gemeente": r["gemeente"], "wijkteam": r["wijkteam"], "indicator": "rapportcijfer",
            "uitsplitsing": f"{resp}:{r['dimensie']}" if resp else str(r["dimensie"]),
            "soort_signaal": "bollen", "kort": kort,
            "richting": "ongunstig" if lager else "gunstig", "grootte": grootte,
            "bewijs": bewijs, "zin": zin, "periode": str(r.get("jaar", "")),
            "teller": np.nan, "noemer": float(r["n"]), "waarde": gem, "referentie": alle,
        })
    return rijen


def _helling(b, eenheid) -> str:
    """A signed slope in words: '+3,1 procentpunt', '+14,3%', '−35.437 euro'."""
    if b is None or not np.isfinite(b):
        return "–"
    if eenheid == "procentpunt":
        return tekst.procentpunt(b)
    if eenheid == "procent":
        return f"{tekst.getal(100 * b, 1, teken=True)}%"
    eenheid = eenheid if isinstance(eenheid, str) else ""
    dec = 0 if eenheid.startswith("euro") or abs(b) >= 100 else (1 if abs(b) >= 10 else 2)
    return f"{tekst.getal(b, dec, teken=True)} {eenheid}".rstrip()


def _uit_trends(trends: pd.DataFrame, catalogus) -> list[dict]:
    rijen = []
    for r in trends.to_dict("records"):
        if r.get("beoordeling") not in ("verslechtering", "verbetering"):
            continue
        lo, hi, b = r.get("ondergrens"), r.get("bovengrens"), r["helling_per_jaar"]
        se = (hi - lo) / (2 * _Z95) if lo is not None and hi is not None else np.nan
        if se is not None and np.isfinite(se) and se > 0:
            grootte = abs(b) / se
        elif r.get("p_waarde") is not None and np.isfinite(r["p_waarde"]):
            grootte = float(stats.norm.isf(max(r["p_waarde"], 1e-300) / 2))
        else:
            grootte = np.nan
        ind = _ind(catalogus, r["indicator"])
        naam = getattr(ind, "naam", r["indicator"])
        bewijs = (f"trend {r['richting']}: {tekst.getal(b, 3, teken=True)} per jaar "
                  f"(95%-BI {tekst.getal(lo, 3)} tot {tekst.getal(hi, 3)}), "
                  f"p={tekst.getal(r.get('p_waarde'), 3)}, {r.get('n_punten')} punten")
        zin = r.get("zin") if isinstance(r.get("zin"), str) and r.get("zin") else (
            f"{_team(r['wijkteam'])}: {naam} {r['richting']} "
            f"({tekst.getal(b, 3, teken=True)} per jaar); {r['beoordeling']}")
        kort = (f"trend {str(r['richting']).replace('_', ' ')} "
                f"({_helling(b, r.get('eenheid'))} per jaar, p={tekst.getal(r.get('p_waarde'), 3)})")
        rijen.append({
            "gemeente": r["gemeente"], "wijkteam": r["wijkteam"], "indicator": r["indicator"],
            "uitsplitsing": r.get("uitsplitsing", "") or "", "soort_signaal": "trend", "kort": kort,
            "richting": "ongunstig" if r["beoordeling"] == "verslechtering" else "gunstig",
            "grootte": float(grootte), "bewijs": bewijs, "zin": zin, "periode": "",
            "teller": np.nan, "noemer": float(r.get("n_punten") or np.nan),
            "waarde": b, "referentie": 0.0,
        })
    return rijen


def _samenvoegen(bew: pd.DataFrame) -> pd.DataFrame:
    """Evidence rows -> one row per team × indicator × uitsplitsing × richting."""
    kol = [k for k in SIGNAAL_KOLOMMEN if k != "rang"]
    if bew.empty:
        return pd.DataFrame(columns=kol)
    bew = bew.assign(uitsplitsing=bew["uitsplitsing"].fillna("").astype(str),
                     _g=pd.to_numeric(bew["grootte"], errors="coerce").fillna(-1.0))
    bew = bew.sort_values("_g", ascending=False, kind="stable")
    sleutel = ["gemeente", "wijkteam", "indicator", "uitsplitsing", "richting"]
    rijen = []
    for _, g in bew.groupby(sleutel, sort=False, dropna=False):
        eerste = g.iloc[0].to_dict()
        rest = g.iloc[1:]
        zin = str(eerste["zin"]).rstrip(".")
        if len(rest):
            zin += "; ook: " + "; ".join(dict.fromkeys(str(k) for k in rest["kort"]))
        eerste.update(
            zin=zin,
            bewijs=" | ".join(str(b) for b in g["bewijs"]),
            soorten=", ".join(dict.fromkeys(SOORT_NAMEN.get(k, k) for k in g["soort_signaal"])),
            aantal_bewijzen=len(g),
        )
        rijen.append({k: eerste.get(k) for k in kol})
    return pd.DataFrame(rijen, columns=kol)


def nader_onderzoek(
    *,
    funnels: pd.DataFrame | None = None,
    casemix: pd.DataFrame | None = None,
    spc_signalen: pd.DataFrame | None = None,
    trends: pd.DataFrame | None = None,
    bollen: pd.DataFrame | None = None,
    catalogus: dict | None = None,
    gunstig: bool = False,
    niveau: str = "99,8%",
) -> pd.DataFrame:
    """One ranked list of signals that warrant nader onderzoek: one row per team × indicator.

    Parameters
    ----------
    funnels : DataFrame, optional
        Output of :func:`monitoranalyse.analyse.vergelijking.funnel` (several indicators may be
        concatenated). A team counts when its position (after the overdispersion
        adjustment if one was applied) is beyond the ``niveau`` limit on the worse side.
        Teams that are outside only before the adjustment are not listed: their
        deviation is within the normal spread between teams.
    casemix : DataFrame, optional
        Output of :func:`monitoranalyse.analyse.vergelijking.casemix_oe` (several outcomes may be
        concatenated); judged on the O/E position (both outcomes: lower is better).
    spc_signalen : DataFrame, optional
        From ``spc.py``: gemeente, wijkteam, indicator, uitsplitsing, periode_start,
        waarde, middenlijn, onder_procesgrens, boven_procesgrens, regel, soort
        ("verbetering" | "zorg" | "neutraal"). Rows of one team/indicator/soort become
        one signal (latest period, rules listed).
    trends : DataFrame, optional
        From ``trend.py``: gemeente, wijkteam, indicator, uitsplitsing, n_punten,
        helling_per_jaar, ondergrens, bovengrens, p_waarde, richting, beoordeling
        ("verbetering" | "verslechtering" | "neutraal" | None), zin.
    bollen : DataFrame, optional
        Output of :func:`monitoranalyse.analyse.vergelijking.bollen_profiel` (optionally with a
        ``respondent`` column; several groups may be concatenated). A team enters when
        ``afwijkend`` (significant after the correction ``bollen_profiel`` applied, Holm
        by default); lower than the other teams is adverse. Indicator ``rapportcijfer``,
        uitsplitsing ``respondent:dimensie``.
    catalogus : dict, optional
        code -> Indicator (naam, type, beter, eenheid); default
        :data:`monitoranalyse.indicatoren.catalogus.INDICATOREN`. A funnel row's own ``beter``
        column takes precedence. Indicators without a direction are left out.
    gunstig : bool
        Also list favourable signals (default: only adverse ones).
    niveau : {"99,8%", "95%"}
        Funnel/case-mix limit a team must cross.

    Returns
    -------
    DataFrame
        One row per (gemeente, wijkteam, indicator, uitsplitsing, richting). Case-mix
        evidence joins the indicator it answers (:data:`CASEMIX_INDICATOR`: maatwerk ->
        ``aandeel_maatwerk``, onderzoek buiten termijn -> ``binnen_termijn_onderzoek``).
        Columns :data:`SIGNAAL_KOLOMMEN`: ``rang`` (1 = first to investigate),
        ``gemeente, wijkteam, indicator, uitsplitsing``, ``soort_signaal`` (the kind of
        the strongest evidence, one of :data:`SOORTEN`), ``soorten`` (all kinds, strongest
        first, in words: :data:`SOORT_NAMEN`), ``aantal_bewijzen``, ``richting``
        ("ongunstig" | "gunstig"), ``grootte`` (of the strongest evidence, see Notes),
        ``bewijs`` (all evidence in words, " | "-separated, strongest first), ``zin``
        (one Dutch sentence: the strongest evidence, then "ook: ..." for the rest), and
        the figures behind the strongest evidence:
        ``periode``, ``teller``, ``noemer``, ``waarde``, ``referentie`` (funnel: the
        gemeente value; casemix: teller = O, noemer = E, waarde = O/E, referentie = 1;
        spc: the middenlijn; trend: waarde = slope per year, referentie = 0,
        noemer = number of points).

    Notes
    -----
    ``grootte`` is a z-like effect size so that different signals can be ranked
    together: funnel/casemix: |z| (after the overdispersion adjustment if applied);
    spc: |waarde − middenlijn| / σ with σ = (boven_procesgrens − middenlijn)/3;
    trend: |slope| / SE with SE from the 95% interval (or from the p-value);
    bollen: the normal quantile of the (uncorrected) two-sided Welch p-value.
    SPC evidence is the most extreme signal point of the series (largest distance to the
    middenlijn in sigma), so the sentence never reads "57 tegen 57"; rules are named in
    words ("buiten de procesgrenzen", "zeven maanden op rij boven het gemiddelde").
    Rows are sorted adverse first, then by grootte (descending).
    """
    if niveau not in ("99,8%", "95%"):
        raise ValueError("niveau moet '99,8%' of '95%' zijn")
    rijen: list[dict] = []
    if funnels is not None and len(funnels):
        rijen += _uit_funnels(funnels, catalogus, niveau)
    if casemix is not None and len(casemix):
        rijen += _uit_casemix(casemix, niveau)
    if spc_signalen is not None and len(spc_signalen):
        rijen += _uit_spc(spc_signalen, catalogus)
    if trends is not None and len(trends):
        rijen += _uit_trends(trends, catalogus)
    if bollen is not None and len(bollen):
        rijen += _uit_bollen(bollen)
    bew = pd.DataFrame(rijen, columns=[k for k in SIGNAAL_KOLOMMEN
                                       if k not in ("rang", "soorten", "aantal_bewijzen")] + ["kort"])
    if not gunstig:
        bew = bew[bew["richting"] == "ongunstig"]
    uit = _samenvoegen(bew)
    uit = uit.assign(_o=(uit["richting"] != "ongunstig").astype(int))
    uit = uit.sort_values(["_o", "grootte"], ascending=[True, False], na_position="last")
    uit = uit.drop(columns="_o").reset_index(drop=True)
    uit.insert(0, "rang", np.arange(1, len(uit) + 1))
    for k in ("teller", "noemer", "waarde", "referentie", "grootte"):
        uit[k] = pd.to_numeric(uit[k], errors="coerce").astype(float)
    return uit

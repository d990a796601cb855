"""The nader-onderzoek list: one ranked table of signals the rekenkamer starts from.

:func:`nader_onderzoek` gathers what the analysis stage found — teams outside the funnel
(:func:`monitoranalyse.vergelijking.funnel`), case-mix adjusted O/E outliers
(:func:`monitoranalyse.vergelijking.casemix_oe`), SPC signals (``spc.py``) and trends
(``trend.py``) — into one tidy frame with a comparable effect size, the evidence in words,
a Dutch sentence per row and the figures behind it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from . import tekst
from .contract import TOTAAL

__all__ = ["SIGNAAL_KOLOMMEN", "SOORTEN", "nader_onderzoek"]

#: Output columns of :func:`nader_onderzoek`.
SIGNAAL_KOLOMMEN: tuple[str, ...] = (
    "rang",
    "gemeente",
    "wijkteam",
    "indicator",
    "uitsplitsing",
    "soort_signaal",
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
SOORTEN: tuple[str, ...] = ("funnel", "funnel_na_overspreiding", "casemix", "spc", "trend")

#: Case-mix outcomes: Dutch description and the better direction (policy: fewer
#: specialist referrals, fewer late onderzoeken; ../shared/DOMAIN.md).
_CASEMIX = {
    "maatwerk": ("van de trajecten met maatwerk", "lager"),
    "doorlooptijd_buiten_termijn": (
        "van de trajecten met onderzoek buiten de wettelijke termijn",
        "lager",
    ),
}
_Z95 = float(stats.norm.isf(0.025))


def _ind(catalogus, code):
    if catalogus is None:
        try:
            from .catalogus import INDICATOREN

            catalogus = INDICATOREN
        except Exception:  # pragma: no cover - catalog module always present
            catalogus = {}
    return catalogus.get(code)


def _team(naam) -> str:
    naam = str(naam)
    if naam in ("", TOTAAL, "nan", "<NA>"):
        return "Gemeente als geheel"
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
        rijen.append({
            "gemeente": r["gemeente"], "wijkteam": r["wijkteam"], "indicator": r["indicator"],
            "uitsplitsing": r.get("uitsplitsing", "") or "",
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
        rijen.append({
            "gemeente": r["gemeente"], "wijkteam": r["wijkteam"], "indicator": r["uitkomst"],
            "uitsplitsing": "", "soort_signaal": "casemix", "richting": richting,
            "grootte": abs(z), "bewijs": bewijs, "zin": zin, "periode": r.get("periode", ""),
            "teller": r["waargenomen"], "noemer": r["verwacht"], "waarde": r["ratio"],
            "referentie": 1.0,
        })
    return rijen


def _uit_spc(spc: pd.DataFrame, catalogus) -> list[dict]:
    rijen = []
    spc = spc[spc["soort"].isin(["zorg", "verbetering"])]
    if spc.empty:
        return rijen
    spc = spc.assign(uitsplitsing=spc["uitsplitsing"].fillna("") if "uitsplitsing" in spc else "")
    sleutel = ["gemeente", "wijkteam", "indicator", "uitsplitsing", "soort"]
    for _, g in spc.groupby(sleutel, sort=False, dropna=False):
        g = g.sort_values("periode_start")
        r = g.iloc[-1].to_dict()
        regels = ", ".join(dict.fromkeys(str(x) for x in g["regel"]))
        sigma = (r["boven_procesgrens"] - r["middenlijn"]) / 3
        if not np.isfinite(sigma) or sigma <= 0:
            sigma = (r["middenlijn"] - r["onder_procesgrens"]) / 3
        grootte = abs(r["waarde"] - r["middenlijn"]) / sigma if sigma and sigma > 0 else np.nan
        ind = _ind(catalogus, r["indicator"])
        type_ = getattr(ind, "type", None)
        eenheid = getattr(ind, "eenheid", "")
        naam = getattr(ind, "naam", r["indicator"])
        start = pd.Timestamp(r["periode_start"])
        bewijs = (f"SPC-signaal ({regels}); laatste in {tekst.maand_jaar(start)}: "
                  f"{_fmt(r['waarde'], type_, eenheid)} tegen middenlijn "
                  f"{_fmt(r['middenlijn'], type_, eenheid)}")
        zin = (f"{_team(r['wijkteam'])}: {naam} {_fmt(r['waarde'], type_, eenheid)} in "
               f"{tekst.maand_jaar(start)} tegen een gebruikelijk niveau van "
               f"{_fmt(r['middenlijn'], type_, eenheid)}; SPC-signaal ({regels})")
        rijen.append({
            "gemeente": r["gemeente"], "wijkteam": r["wijkteam"], "indicator": r["indicator"],
            "uitsplitsing": r["uitsplitsing"], "soort_signaal": "spc",
            "richting": "ongunstig" if r["soort"] == "zorg" else "gunstig",
            "grootte": float(grootte), "bewijs": bewijs, "zin": zin,
            "periode": start.date().isoformat(), "teller": np.nan, "noemer": np.nan,
            "waarde": r["waarde"], "referentie": r["middenlijn"],
        })
    return rijen


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
        rijen.append({
            "gemeente": r["gemeente"], "wijkteam": r["wijkteam"], "indicator": r["indicator"],
            "uitsplitsing": r.get("uitsplitsing", "") or "", "soort_signaal": "trend",
            "richting": "ongunstig" if r["beoordeling"] == "verslechtering" else "gunstig",
            "grootte": float(grootte), "bewijs": bewijs, "zin": zin, "periode": "",
            "teller": np.nan, "noemer": float(r.get("n_punten") or np.nan),
            "waarde": b, "referentie": 0.0,
        })
    return rijen


def nader_onderzoek(
    *,
    funnels: pd.DataFrame | None = None,
    casemix: pd.DataFrame | None = None,
    spc_signalen: pd.DataFrame | None = None,
    trends: pd.DataFrame | None = None,
    catalogus: dict | None = None,
    gunstig: bool = False,
    niveau: str = "99,8%",
) -> pd.DataFrame:
    """One ranked list of signals that warrant nader onderzoek.

    Parameters
    ----------
    funnels : DataFrame, optional
        Output of :func:`monitoranalyse.vergelijking.funnel` (several indicators may be
        concatenated). A team counts when its position (after the overdispersion
        adjustment if one was applied) is beyond the ``niveau`` limit on the worse side.
        Teams that are outside only before the adjustment are not listed: their
        deviation is within the normal spread between teams.
    casemix : DataFrame, optional
        Output of :func:`monitoranalyse.vergelijking.casemix_oe` (several outcomes may be
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
    catalogus : dict, optional
        code -> Indicator (naam, type, beter, eenheid); default
        :data:`monitoranalyse.catalogus.INDICATOREN`. A funnel row's own ``beter``
        column takes precedence. Indicators without a direction are left out.
    gunstig : bool
        Also list favourable signals (default: only adverse ones).
    niveau : {"99,8%", "95%"}
        Funnel/case-mix limit a team must cross.

    Returns
    -------
    DataFrame
        Columns :data:`SIGNAAL_KOLOMMEN`: ``rang`` (1 = first to investigate),
        ``gemeente, wijkteam, indicator, uitsplitsing``, ``soort_signaal`` (one of
        :data:`SOORTEN`), ``richting`` ("ongunstig" | "gunstig"), ``grootte``
        (absolute standardised deviation, see Notes), ``bewijs`` (the evidence in
        words), ``zin`` (a Dutch sentence for the report), and the figures behind it:
        ``periode``, ``teller``, ``noemer``, ``waarde``, ``referentie`` (funnel: the
        gemeente value; casemix: teller = O, noemer = E, waarde = O/E, referentie = 1;
        spc: the middenlijn; trend: waarde = slope per year, referentie = 0,
        noemer = number of points).

    Notes
    -----
    ``grootte`` is a z-like effect size so that different signals can be ranked
    together: funnel/casemix: |z| (after the overdispersion adjustment if applied);
    spc: |waarde − middenlijn| / σ with σ = (boven_procesgrens − middenlijn)/3;
    trend: |slope| / SE with SE from the 95% interval (or from the p-value).
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
    uit = pd.DataFrame(rijen, columns=[k for k in SIGNAAL_KOLOMMEN if k != "rang"])
    if not gunstig:
        uit = uit[uit["richting"] == "ongunstig"]
    uit = uit.assign(_o=(uit["richting"] != "ongunstig").astype(int))
    uit = uit.sort_values(["_o", "grootte"], ascending=[True, False], na_position="last")
    uit = uit.drop(columns="_o").reset_index(drop=True)
    uit.insert(0, "rang", np.arange(1, len(uit) + 1))
    for k in ("teller", "noemer", "waarde", "referentie", "grootte"):
        uit[k] = pd.to_numeric(uit[k], errors="coerce").astype(float)
    return uit

"""The build-up (inloop) of stock-based indicators when an export has no opening stock.

A registration export that starts at some date without the trajecten that were already
open on that date (no *beginvoorraad*) makes the caseload climb from zero during its
first months: not because the work grows, but because older trajecten are missing. The
same holds for every figure about trajecten that are *open* or that *end* in a period:
in the first months only the short trajecten that started inside the data can end.

Rule (documented in the README, "What the numbers mean"):

1. ``[periode] inloop_maanden`` in ``monitor.toml`` (per gemeente under
   ``[gemeenten.X.periode]``) wins: 0 = the export includes the opening stock.
2. Otherwise the opening stock is *detected*: an export with a beginvoorraad holds, for
   its first months, only the meldingen that were still open at the start of the
   regular period, so the instroom of the first three months is far below the usual
   level. When the mean monthly instroom of the first three months is below
   :data:`DREMPEL_BEGINVOORRAAD` (50%) of the median month, the export is taken to
   include the opening stock and there is no inloop.
3. Otherwise the inloop lasts until 95% of the trajecten that started before the data
   would have ended: the 95th percentile of the trajectduur (melding → einde),
   estimated with Kaplan-Meier (statsmodels ``SurvfuncRight``; still open trajecten are
   censored at the peildatum), in whole months, rounded up. When the Kaplan-Meier curve
   never falls to 5% (heavy censoring), the longest observed duration is used.

Rows of :data:`INLOOP_INDICATOREN` get ``inloop = True`` in the tidy table when the
figure is (partly) measured inside the inloop: stocks when the period ends before the
inloop is over; figures about trajecten ending in the period, and about inzet starting in
it, when the period starts before it is over. Flow indicators counted at the melding
(instroom, doorlooptijden, termijnen, toeleiding) are unaffected.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from monitoranalyse.indicatoren._basis import dagen

__all__ = ["INLOOP_INDICATOREN", "DREMPEL_BEGINVOORRAAD", "inloop"]

#: Indicators whose value during the inloop is an artefact of the missing opening stock:
#: stocks (open at the end of the period) and figures about trajecten that END in the
#: period (without the old trajecten only short ones can end, so their count, duration,
#: costs and outcome mix are biased).
_VOORRAAD = frozenset({"caseload", "caseload_per_fte", "open_zonder_plan",
                       "caseload_regisseur_mediaan", "caseload_regisseur_p90",
                       "caseload_boven_norm", "huishoudens_parallelle_trajecten",
                       "meer_regisseurs_per_huishouden"})
_EINDE = frozenset({"uitstroom", "trajectduur", "kosten_per_traject", "afschaling",
                    "doelrealisatie", "registratie_volledig", "tevredenheid", "zrm_verbeterd",
                    "zrm_gelijk", "zrm_verslechterd", "zrm_verandering",
                    "integrale_kosten_per_traject"})
#: Indicators about inzet starting in the period: inzet rows must belong to a traject in the
#: export (contract rule onbekend_traject), so the later, often heavier inzet of the
#: trajecten that began before the data is missing during the inloop.
_INZET = frozenset({"aandeel_lichte_zorg", "aandeel_maatwerk", "aandeel_vorm", "kosten_maatwerk",
                    "kosten_per_inwoner", "beschikking_binnen_termijn", "wachttijd_maatwerk",
                    "maatwerk_zonder_beschikking", "maatwerk_zonder_beschikking_aandeel",
                    "integrale_kosten_per_inwoner", "budgetrealisatie", "budgetafwijking",
                    "voorziening_kosten", "voorziening_clienten"})
INLOOP_INDICATOREN: frozenset[str] = _VOORRAAD | _EINDE | _INZET
#: Below this ratio (instroom of the first three months against the median month) the
#: export is taken to include the opening stock.
DREMPEL_BEGINVOORRAAD = 0.5
#: Share of the pre-data trajecten that may still be open when the inloop ends.
_OPEN_NA_INLOOP = 0.05
_DAGEN_PER_MAAND = 365.25 / 12


def _afgeleid(tr: pd.DataFrame, peil: float) -> tuple[int, str]:
    """Inloop in months derived from one gemeente's trajecten (rules 2 and 3)."""
    melding = dagen(tr["datum_melding"])
    ok = ~np.isnan(melding)
    if ok.sum() < 30 or np.isnan(peil):
        return 0, "te weinig trajecten om de inloop af te leiden"
    melding = melding[ok]
    maand = pd.Series(melding.astype("int64").astype("datetime64[D]").astype("datetime64[M]"))
    per_maand = maand.value_counts().sort_index()
    alle = pd.period_range(per_maand.index.min(), per_maand.index.max(), freq="M").to_timestamp()
    per_maand = per_maand.reindex(alle, fill_value=0)
    if len(per_maand) < 6:
        return 0, "te weinig maanden om de inloop af te leiden"
    begin = per_maand.iloc[:3].mean()
    gewoon = per_maand.iloc[3:].median()
    if gewoon > 0 and begin < DREMPEL_BEGINVOORRAAD * gewoon:
        return 0, "beginvoorraad in de data (lage instroom in de eerste maanden)"
    from statsmodels.duration.survfunc import SurvfuncRight

    einde = dagen(tr["datum_einde"])[ok]
    gesloten = ~np.isnan(einde)
    duur = np.where(gesloten, einde - melding, peil - melding)
    duur = np.clip(duur, 0.5, None)
    sf = SurvfuncRight(duur, gesloten.astype(float))
    if sf.surv_prob.min() <= _OPEN_NA_INLOOP:
        duur_dagen = float(sf.quantile(1 - _OPEN_NA_INLOOP))
    else:
        duur_dagen = float(duur.max())
    return int(math.ceil(duur_dagen / _DAGEN_PER_MAAND)), "afgeleid uit de trajectduur (95%-percentiel)"


def inloop(md) -> pd.DataFrame:
    """The inloop per gemeente.

    Parameters
    ----------
    md : Monitordata

    Returns
    -------
    DataFrame
        One row per gemeente: ``gemeente``, ``data_start`` (first day of the month of the
        first melding), ``inloop_maanden`` (int, 0 = no inloop), ``inloop_tot`` (first
        day after the inloop; stock rows of periods ending before it are marked) and
        ``bron`` (Dutch: "monitor.toml" or how it was derived).

    Notes
    -----
    See the module docstring for the rule. The peildatum is the data end of the whole
    dataset (:func:`monitoranalyse.indicatoren.peildatum`).
    """
    from monitoranalyse.indicatoren._basis import peil_dag

    tr = md.tabellen["trajecten"]
    peil = peil_dag(md)
    rijen = []
    for g, t in tr.groupby("gemeente", sort=True):
        melding = pd.to_datetime(t["datum_melding"])
        if melding.isna().all():
            continue
        start = melding.min().to_period("M").to_timestamp()
        ingesteld = md.config.voor_gemeente(str(g)).periode.get("inloop_maanden")
        if ingesteld is not None:
            maanden, bron = int(ingesteld), "monitor.toml"
        else:
            maanden, bron = _afgeleid(t, peil)
        rijen.append({"gemeente": str(g), "data_start": start, "inloop_maanden": maanden,
                      "inloop_tot": start + pd.DateOffset(months=maanden), "bron": bron})
    uit = pd.DataFrame(rijen, columns=["gemeente", "data_start", "inloop_maanden", "inloop_tot",
                                       "bron"])
    uit["inloop_maanden"] = uit["inloop_maanden"].astype("int64")
    return uit


def markeer(tabel: pd.DataFrame, md) -> pd.DataFrame:
    """Add the bool column ``inloop`` to a tidy table (see the module docstring)."""
    uit = tabel.copy()
    uit["inloop"] = False
    if uit.empty:
        return uit
    il = inloop(md)
    if il.empty or (il["inloop_maanden"] == 0).all():
        return uit
    tot = uit["gemeente"].astype(object).map(dict(zip(il["gemeente"], il["inloop_tot"])))
    tot = pd.to_datetime(tot)
    voorraad = uit["indicator"].isin(_VOORRAAD) & (uit["periode_eind"] < tot).fillna(False)
    einde = uit["indicator"].isin(_EINDE | _INZET) & (uit["periode_start"] < tot).fillna(False)
    uit["inloop"] = (voorraad | einde).astype(bool)
    return uit

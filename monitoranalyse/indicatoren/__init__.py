"""Stage 2: every monitor theme as one tidy indicator table.

:func:`bereken` turns a :class:`~monitoranalyse.invoer.monitordata.Monitordata` into ONE long
table with the columns :data:`~monitoranalyse.contract.INDICATOR_KOLOMMEN` (plus
``volledig``), one row per (gemeente, wijkteam, periode, indicator, uitsplitsing).
The gemeente total (``wijkteam == contract.TOTAAL``) is always computed from the
records themselves (pooled), never as a mean of team values.

Every indicator is a function ``f(md, perioden) -> tidy rows`` registered in the
catalog (:mod:`monitoranalyse.indicatoren.catalogus`) at import time, together with its Dutch
name, theme, statistic type, better direction, default norm, unit, policy goal and
definition. Intervals come from :mod:`monitoranalyse.statistiek`.

Conventions used by all indicators
----------------------------------
* Dates are handled as whole days. A traject is *open at the end of day e* when
  ``datum_melding <= e`` and (``datum_einde`` is empty or ``datum_einde > e``): a
  traject that ends on the last day of a period is not in that period's caseload.
* Flow indicators (instroom, doorlooptijden, ...) are attributed to the period of the
  event named in their definition (melding, intake, einde, start of inzet ...).
* ``peildatum`` (data end) is the latest date in trajecten, inzet (start, aanvraag,
  beschikking) and zrm. The last period is marked ``volledig = False`` when it ends
  after the peildatum (it holds fewer days of data than a full period).
* ``inloop``: in an export without opening stock, stock-based rows (caseload, ...)
  of the build-up months are marked ``inloop = True`` (rule in ``_inloop``).
* Terms (``md.config.termijnen``) may differ per gemeente (``[gemeenten.X.termijnen]``);
  they are applied per gemeente.

Layout: ``_basis`` (dates, periods, team codes, aggregation, registration) and one
module per theme (``uitvoering``, ``uitgaven``, ``resultaat`` incl. medewerkers,
``wachttijden``, ``control``); this package module holds the public API.

Implementation: all computations are vectorised over the records (numpy bincount /
pandas groupby on integer team and period codes); stocks such as caseload use an
interval sweep (+1 at the start, -1 at the end, cumulative sum over periods).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import numpy as np
import pandas as pd

from monitoranalyse.indicatoren import catalogus
from monitoranalyse.indicatoren.catalogus import INDICATOREN, indicator  # noqa: F401  (public re-export)
from monitoranalyse.contract import THEMAS, TOTAAL
from monitoranalyse.indicatoren._basis import (
    EXTRA_KOLOMMEN,
    GEEN_INTERVAL,
    binnen,
    Context,
    leeg,
    records,
    typen,
    peildatum,
    perioden,
)

# The theme modules register their indicators in the catalog on import; the import
# order is the catalog order.
from monitoranalyse.indicatoren import uitvoering, uitgaven, resultaat, wachttijden, control  # noqa: E402,F401,I001
# issue 14: doelmatigheid (costs, budget), bereik, voorzieningen, personeel and regie
from monitoranalyse.indicatoren import doelmatigheid, bereik, voorzieningen, personeel  # noqa: E402,F401,I001
from monitoranalyse.indicatoren.control import quarantaine_telling  # noqa: E402
from monitoranalyse.indicatoren.wijken import WIJK_INDICATOREN, wijk_data, wijkrijen  # noqa: E402
from monitoranalyse.indicatoren import _inloop  # noqa: E402
from monitoranalyse.indicatoren._inloop import INLOOP_INDICATOREN, inloop  # noqa: E402

__all__ = [
    "bereken",
    "indicator",
    "INDICATOREN",
    "perioden",
    "catalogus_overzicht",
    "doorlooptijd_verdeling",
    "quarantaine_telling",
    "peildatum",
    "inloop",
    "INLOOP_INDICATOREN",
    "EXTRA_KOLOMMEN",
    "GEEN_INTERVAL",
    "per_wijk",
    "WIJK_INDICATOREN",
]


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def _codes(indicatoren: Iterable[str] | None) -> list[str]:
    if indicatoren is None:
        return list(catalogus.codes())
    if isinstance(indicatoren, str):
        indicatoren = [indicatoren]
    codes = list(indicatoren)
    onbekend = [k for k in codes if not catalogus.bekend(k)]
    if onbekend:
        raise KeyError(
            f"Onbekende indicator(en) {', '.join(onbekend)}; bekend: {', '.join(catalogus.codes())}"
        )
    return codes


def _sorteer(df: pd.DataFrame) -> pd.DataFrame:
    sleutel = df.assign(_totaal=df["wijkteam"] == TOTAAL)
    sleutel = sleutel.sort_values(
        ["gemeente", "indicator", "uitsplitsing", "_totaal", "wijkteam", "periode_start"],
        kind="stable",
    )
    return sleutel.drop(columns="_totaal").reset_index(drop=True)


def _bereken(md, periode, indicatoren, van, tot, tijden: dict | None = None) -> pd.DataFrame:
    per = perioden(md, periode, van, tot)
    codes = _codes(indicatoren)
    if len(per) == 0 or len(md.tabellen["trajecten"]) == 0:
        return leeg()
    # intermediate results (caseload matrix, ZRM per traject, inzet) are shared by
    # the indicators of this run through one context, passed to each of them
    context = Context(md, per)
    delen = []
    for code in codes:
        t0 = time.perf_counter()
        delen.append(catalogus.indicator(code).functie(md, per, context))
        if tijden is not None:
            tijden[code] = time.perf_counter() - t0
    delen = [d for d in delen if len(d)]
    if not delen:
        return leeg()
    tabel = typen(pd.concat(delen, ignore_index=True))
    return _sorteer(typen(_inloop.markeer(tabel, md)))


def bereken(md, *, periode: str = "kwartaal", indicatoren: Iterable[str] | None = None,
            van=None, tot=None) -> pd.DataFrame:
    """Compute the tidy indicator table.

    Parameters
    ----------
    md : Monitordata
        Canonical tables (not modified) and configuration (terms per gemeente).
    periode : {"maand", "kwartaal", "halfjaar", "jaar"}
        Period granularity (``contract.PERIODES``). ``rapportcijfer`` always uses the
        survey year and ``quarantaine`` the whole range.
    indicatoren : iterable of str, optional
        Indicator codes (default: the whole catalog, in catalog order).
    van, tot : str or date, optional
        Keep the periods that lie wholly inside [van, tot] (see :func:`perioden`);
        ``tot="2024-06"`` includes June 2024. Events before ``van`` still count for
        stocks such as caseload.

    Returns
    -------
    DataFrame
        One row per (gemeente, wijkteam, periode, indicator, uitsplitsing), sorted by
        gemeente, indicator, uitsplitsing, wijkteam (Totaal last), periode_start:

        * ``gemeente``, ``wijkteam`` (string; ``"Totaal"`` = pooled gemeente total)
        * ``periode_start``, ``periode_eind`` (datetime64[ns], first and last day)
        * ``indicator`` (catalog code), ``uitsplitsing`` (string, "" = not split)
        * ``teller``, ``noemer`` (float; NaN where not applicable)
        * ``waarde`` (float; proportions as a fraction 0-1)
        * ``ondergrens``, ``bovengrens`` (float; 95% interval, NaN if none)
        * ``methode`` (string: Wilson, Exact Poisson, Byar, Student t,
          Verdelingsvrij (binomiaal), geen interval)
        * ``volledig`` (bool): False for a period that ends after the peildatum
        * ``inloop`` (bool): True for a stock-based row measured in the build-up of an
          export without opening stock (see :func:`inloop`); such rows are drawn
          marked and never fitted (trend, SPC baseline, forecast, funnel)

    Notes
    -----
    Definitions per indicator: ``catalogus_overzicht()`` (column ``omschrijving``).
    Intervals from :mod:`monitoranalyse.statistiek`.

    Examples
    --------
    ``md`` is the committed sample, ``md = monitoranalyse.laad("data_samples/voorbeeld")``
    (tests/test_doctests.py runs these examples on it):

    >>> tabel = bereken(md, periode="jaar", indicatoren=["caseload"])
    >>> tabel.columns[-4:].tolist()
    ['methode', 'statistiek', 'volledig', 'inloop']
    >>> lindeveen = tabel[(tabel["gemeente"] == "Lindeveen") & (tabel["wijkteam"] == "Totaal")]
    >>> lindeveen["waarde"].tolist()
    [520.0, 563.0, 538.0, 620.0, 597.0, 628.0]
    >>> lindeveen["statistiek"].unique().tolist()
    ['aantal']
    """
    return _bereken(md, periode, indicatoren, van, tot)


def per_wijk(md, *, periode: str = "jaar", indicatoren: Iterable[str] | None = None, van=None, tot=None
             ) -> pd.DataFrame:
    """The per-wijk rows of the tidy table (issue 15; see :mod:`monitoranalyse.indicatoren.wijken`).

    Parameters
    ----------
    md : Monitordata
        Canonical tables; uses ``trajecten.wijk`` and (for the per-1.000-inwoners figures)
        the optional table ``wijken``.
    periode, van, tot
        As in :func:`bereken`.
    indicatoren : iterable of str, optional
        Default :data:`WIJK_INDICATOREN`.

    Returns
    -------
    DataFrame
        Columns as :func:`bereken`; ``wijkteam == "Totaal"``, ``uitsplitsing == "wijk:<naam>"``.
        Empty without any wijk in trajecten. Per-inwoner indicators only for wijken with
        inwoners in the year the period starts.

    Examples
    --------
    >>> w = per_wijk(md, indicatoren=["caseload"])
    >>> sorted(w["uitsplitsing"].unique())[:2]
    ['wijk:Bloemenwijk', 'wijk:Bomenbuurt']
    """
    mdw = wijk_data(md)
    if len(mdw.tabellen["trajecten"]) == 0:
        return leeg()
    return wijkrijen(_bereken(mdw, periode, list(indicatoren or WIJK_INDICATOREN), van, tot, None))


def catalogus_overzicht(config=None) -> pd.DataFrame:
    """The "doelen -> indicatoren" overview of the catalog.

    Parameters
    ----------
    config : MonitorConfig, optional
        ``config.doelen`` overrides the catalog norms (use ``config.voor_gemeente(g)``
        for per-gemeente targets).

    Returns
    -------
    DataFrame
        One row per indicator, sorted by thema (order of contract.THEMAS), doel, code;
        columns ``thema, doel, code, naam, eenheid, beter, norm, norm_bron`` ("catalogus",
        "configuratie" or ""), ``type, dimensie, omschrijving``.
    """
    doelen = dict(getattr(config, "doelen", {}) or {})
    rijen = []
    for ind in map(catalogus.indicator, catalogus.codes()):
        norm, bron = ind.norm, "catalogus" if ind.norm is not None else ""
        if ind.code in doelen:
            norm, bron = float(doelen[ind.code]), "configuratie"
        rijen.append({
            "thema": ind.thema, "doel": ind.doel, "code": ind.code, "naam": ind.naam,
            "eenheid": ind.eenheid, "beter": ind.beter, "norm": norm, "norm_bron": bron,
            "type": ind.type, "dimensie": ind.dimensie, "omschrijving": ind.omschrijving,
        })
    uit = pd.DataFrame(rijen)
    uit["_t"] = uit["thema"].map({t: i for i, t in enumerate(THEMAS)})
    uit = uit.sort_values(["_t", "doel", "code"]).drop(columns="_t").reset_index(drop=True)
    for k in uit.columns:
        uit[k] = uit[k].astype("float64") if k == "norm" else uit[k].astype("string")
    return uit


def doorlooptijd_verdeling(md, *, periode: str | None = None, van=None, tot=None
                           ) -> pd.DataFrame:
    """Distribution of the doorlooptijden behind the medians, per team and gemeente.

    Parameters
    ----------
    md : Monitordata
    periode : str, optional
        None (default) = one row per team over all periods in [van, tot]; otherwise per
        period of that granularity.
    van, tot : optional, as in :func:`bereken`

    Returns
    -------
    DataFrame
        Columns ``gemeente, wijkteam`` (incl. Totaal, pooled), ``periode_start,
        periode_eind``, ``doorlooptijd`` ("melding_intake" with term onderzoek_wmo;
        "melding_plan" with term plan), ``n, p10, p25, mediaan, p75, p90`` (days,
        linear interpolation), ``termijn`` (days) and ``aandeel_boven_termijn``
        (share with doorlooptijd > termijn).
    """
    per = perioden(md, periode or "maand", van, tot)
    kol = ["gemeente", "wijkteam", "periode_start", "periode_eind", "doorlooptijd", "n", "p10",
           "p25", "mediaan", "p75", "p90", "termijn", "aandeel_boven_termijn"]
    if len(per) == 0:
        return pd.DataFrame(columns=kol)
    c = Context(md, per)
    delen = []
    for naam, datum, termijn in (("melding_intake", c.intake, "onderzoek_wmo"),
                                 ("melding_plan", c.plan, "plan")):
        term = c.termijn(termijn)[np.maximum(c.tr_team, 0)]
        p = c.p(datum)
        if periode is None:
            p = np.where(binnen(c, c.tr_team, p), 0.0, np.nan)
        x = datum - c.melding
        ok = ~np.isnan(x)
        R = records(c, c.tr_team[ok], p[ok], x=x[ok], boven=(x > term)[ok].astype(float),
                     term=term[ok])
        R = pd.concat([R, R.assign(eenheid=c.tot[R["eenheid"].to_numpy()])], ignore_index=True)
        if R.empty:  # no doorlooptijd in the window (e.g. 1 traject without intake): no rows
            continue
        g = R.groupby(["eenheid", "p"], sort=True)
        q = g["x"].quantile([0.1, 0.25, 0.5, 0.75, 0.9]).unstack()
        q.columns = ["p10", "p25", "mediaan", "p75", "p90"]
        q["n"] = g.size()
        q["aandeel_boven_termijn"] = g["boven"].mean()
        q["termijn"] = g["term"].max()
        q = q.reset_index()
        e = q["eenheid"].to_numpy()
        q["gemeente"] = c.eenheden["gemeente"].to_numpy()[e]
        q["wijkteam"] = c.eenheden["wijkteam"].to_numpy()[e]
        pp = q["p"].to_numpy()
        if periode is None:
            q["periode_start"] = per["periode_start"].iloc[0]
            q["periode_eind"] = per["periode_eind"].iloc[-1]
        else:
            q["periode_start"] = per["periode_start"].to_numpy()[pp]
            q["periode_eind"] = per["periode_eind"].to_numpy()[pp]
        q["doorlooptijd"] = naam
        delen.append(q[kol])
    if not delen:
        return pd.DataFrame(columns=kol)
    uit = pd.concat(delen, ignore_index=True)
    for k in ("gemeente", "wijkteam", "doorlooptijd"):
        uit[k] = uit[k].astype("string")
    uit["n"] = uit["n"].astype("int64")
    return uit.sort_values(["gemeente", "doorlooptijd", "wijkteam", "periode_start"]
                           ).reset_index(drop=True)

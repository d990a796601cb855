"""Indicators per wijk (issue 15): the area of the client instead of the team.

The monitors this package follows (BMC, Amersfoort) show their key figures per wijk on a
map. :func:`monitoranalyse.indicatoren.per_wijk` computes them as rows of the ONE tidy table: ``wijkteam`` is
``Totaal`` (the gemeente) and ``uitsplitsing`` is ``"wijk:<naam>"`` (contract
``WIJK_PREFIX``), so the wijk rows and the unsplit gemeente row of the same indicator and
period form one additive group for disclosure control (``rapport.openbaarmaking``).

How: the same indicator functions as for teams, on a copy of the data in which the
wijk of the client (``trajecten.wijk``) takes the place of the wijkteam and the optional
table ``wijken`` (inwoners per wijk and year) takes the place of ``bevolking``. So a wijk
figure is defined exactly as the team figure with the same code (one definition, one
interval method); trajecten without a wijk are left out of the wijk rows (they stay in
the gemeente total, so the wijk rows need not add up to it).

Why a wijk is not nested in a team: a wijk may be served by more than one team (in the
sample 14% of the wijken). The teams and the wijken are two partitions of the same
gemeente; disclosure control treats both (see ``openbaarmaking``).
"""

from __future__ import annotations

import pandas as pd

from monitoranalyse.contract import TOTAAL, WIJK_PREFIX

__all__ = ["WIJK_INDICATOREN", "wijk_data", "wijkrijen", "wijk_van", "is_wijk"]

#: The per-wijk indicators (issue 15), in the order the report shows them.
WIJK_INDICATOREN: tuple[str, ...] = (
    "bereik_meldingen",
    "bereik_clienten",
    "caseload",
    "aandeel_lichte_zorg",
    "maatwerk_per_inwoners",
    "doorlooptijd_melding_intake",
)
#: Team tables that mean nothing for a wijk (left empty in the wijk copy of the data).
_TEAMTABELLEN = ("formatie", "enquete", "personeel", "toelichting", "begroting")


def is_wijk(uitsplitsing) -> pd.Series:
    """Boolean Series: the rows whose ``uitsplitsing`` is a wijk."""
    return pd.Series(uitsplitsing).astype("string").fillna("").str.startswith(WIJK_PREFIX)


def wijk_van(uitsplitsing) -> pd.Series:
    """The wijk name of ``"wijk:<naam>"`` values (other values: empty string)."""
    s = pd.Series(uitsplitsing).astype("string").fillna("")
    return s.where(s.str.startswith(WIJK_PREFIX), "").str.slice(len(WIJK_PREFIX))


def wijk_data(md):
    """A copy of ``md`` with the wijk as 'team' and ``wijken`` as 'bevolking'."""
    from monitoranalyse.invoer.monitordata import Monitordata

    tr = md.tabellen["trajecten"]
    wijk = tr["wijk"].astype("string").str.strip() if "wijk" in tr.columns else pd.Series(pd.NA, index=tr.index)
    tr = tr[wijk.fillna("") != ""].copy()
    tr["wijkteam"] = wijk[tr.index].astype("string")
    ids = set(tr["traject_id"])
    nieuw = dict(md.tabellen, trajecten=tr.reset_index(drop=True))
    for naam in ("inzet", "zrm"):
        df = md.tabellen[naam]
        nieuw[naam] = df[df["traject_id"].isin(ids)].reset_index(drop=True)
    w = md.tabellen.get("wijken", pd.DataFrame())
    if len(w):
        bev = pd.DataFrame({"wijkteam": w["wijk"].astype("string").str.strip(), "jaar": w["jaar"],
                            "inwoners": w["inwoners"], "gemeente": w["gemeente"],
                            "leeftijdsgroep": pd.array([pd.NA] * len(w), dtype="string")})
    else:
        bev = md.tabellen["bevolking"].iloc[0:0]
    nieuw["bevolking"] = bev.reset_index(drop=True)
    for naam in _TEAMTABELLEN:
        if naam in nieuw:
            nieuw[naam] = nieuw[naam].iloc[0:0]
    return Monitordata(tabellen=nieuw, quarantaine=md.quarantaine, herkomst=md.herkomst,
                       config=md.config, map=md.map)


def wijkrijen(t: pd.DataFrame) -> pd.DataFrame:
    """The tidy table computed on :func:`wijk_data` turned into wijk rows: ``wijkteam`` Totaal,
    ``uitsplitsing`` ``"wijk:<naam>"``. The pooled 'Totaal' of the copy (only trajecten with a
    wijk; the real gemeente total comes from the team table) and leeftijdsgroep splits are
    dropped."""
    t = t[(t["wijkteam"] != TOTAAL) & (t["uitsplitsing"] == "")].copy()
    t["uitsplitsing"] = (WIJK_PREFIX + t["wijkteam"].astype(str)).astype("string")
    t["wijkteam"] = pd.Series(TOTAAL, index=t.index, dtype="string")
    return t.reset_index(drop=True)

"""Indicators of the theme "harde control": registratie, rechtmatigheid, quarantaine.

Each function is registered in the catalog at import time (see ``_basis._indicator``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitoranalyse.contract import (
    REGELS,
)
from monitoranalyse.indicatoren._basis import (
    _maatwerk_inzet,
    _DOEL_CONTROL,
    _aantal,
    _af,
    _getal,
    _indicator,
    _leeg,
    _proportie,
)

from monitoranalyse.indicatoren.resultaat import _zrm

__all__ = ["quarantaine_telling"]


# ------------------------------ Harde control -----------------------------


@_indicator("registratie_volledig", "Registratie volledig", "harde_control", "proportie", "hoger",
            "%", _DOEL_CONTROL,
            omschrijving="Aandeel van de in de periode afgesloten trajecten met een "
            "intakedatum, een plan van aanpak, een ZRM-beginmeting en gestelde doelen (> 0).")
def _registratie(c, code):
    tr = c.md.tabellen["trajecten"]
    heeft_zrm = np.zeros(len(c.melding), dtype=bool)
    heeft_zrm[_zrm(c)["eerste"].index.to_numpy()] = True
    volledig = (~np.isnan(c.intake) & ~np.isnan(c.plan) & heeft_zrm
                & (_getal(tr["doelen_gesteld"]) > 0))
    return _af(c, _proportie(c, c.tr_team, c.p(c.einde), volledig), code)


def _zonder_beschikking(c):
    iz, team, p = _maatwerk_inzet(c)
    return team, p, iz["beschikking"].to_numpy() != "ja"


@_indicator("maatwerk_zonder_beschikking", "Maatwerk zonder beschikking", "harde_control",
            "aantal", "lager", "inzetten", _DOEL_CONTROL, norm=0.0,
            omschrijving="Aantal maatwerkinzetten die in de periode startten met beschikking "
            "'nee' of zonder beschikking (rechtmatigheid).")
def _zonder_besch_aantal(c, code):
    if len(c.inzet()) == 0:  # no inzet table: no count of 0
        return _leeg()
    team, p, zonder = _zonder_beschikking(c)
    return _af(c, _aantal(c, team, p, gewicht=zonder.astype(float)), code)


@_indicator("maatwerk_zonder_beschikking_aandeel", "Aandeel maatwerk zonder beschikking",
            "harde_control", "proportie", "lager", "%", _DOEL_CONTROL, norm=0.0,
            omschrijving="Aandeel van de maatwerkinzetten die in de periode startten met "
            "beschikking 'nee' of zonder beschikking (rechtmatigheid).")
def _zonder_besch_aandeel(c, code):
    team, p, zonder = _zonder_beschikking(c)
    return _af(c, _proportie(c, team, p, zonder), code)


def quarantaine_telling(md, gemeente: str | None = None) -> pd.DataFrame:
    """Quarantine counts per table and rule, for the harde-control section.

    Parameters
    ----------
    md : Monitordata
    gemeente : str, optional
        Only the quarantined rows attributed to this gemeente (``quarantaine.gemeente``).

    Returns
    -------
    DataFrame
        One row per (tabel, regel), sorted, columns:

        * ``tabel``, ``regel``: table name and rule code (contract.REGELS)
        * ``omschrijving``: Dutch description of the rule
        * ``rijen``: number of distinct input records with this problem
        * ``meldingen``: number of problems (a record may have several per rule)
        * ``rijen_gelezen``: rows read from that table (from ``md.herkomst``; NaN if unknown)
    """
    q = md.quarantaine
    if gemeente is not None:
        q = q[q["gemeente"].fillna("").astype(str) == gemeente] if "gemeente" in q else q.iloc[:0]
    kol = ["tabel", "regel", "omschrijving", "rijen", "meldingen", "rijen_gelezen"]
    if len(q) == 0:
        return pd.DataFrame({k: pd.Series(dtype="string" if i < 3 else "float64")
                             for i, k in enumerate(kol)})
    q = q.assign(_rec=q["bestand"].astype("string").fillna("") + "#" + q["rij"].astype("string"))
    g = q.groupby(["tabel", "regel"], sort=True)
    uit = pd.DataFrame({"rijen": g["_rec"].nunique(), "meldingen": g.size()}).reset_index()
    uit["omschrijving"] = uit["regel"].map(REGELS)
    h = md.herkomst
    gelezen = (h.groupby("tabel")["rijen_gelezen"].sum() if len(h) else pd.Series(dtype=float))
    uit["rijen_gelezen"] = uit["tabel"].map(gelezen).astype("float64")
    uit[["rijen", "meldingen"]] = uit[["rijen", "meldingen"]].astype("float64")
    for k in ("tabel", "regel", "omschrijving"):
        uit[k] = uit[k].astype("string")
    return uit[kol]


@_indicator("quarantaine", "Rijen in quarantaine", "harde_control", "aantal", "lager", "rijen",
            _DOEL_CONTROL,
            omschrijving="Aantal invoerrijen dat bij het inlezen in quarantaine is geplaatst, per "
            "tabel en regel (uitsplitsing 'tabel:regel'); alleen op gemeenteniveau en over de "
            "hele looptijd. Een rij telt bij de gemeente van haar eigen kolom gemeente, anders bij "
            "die van haar traject; rijen die niet aan een gemeente toe te wijzen zijn, tellen "
            "hier niet mee (wel in de rijverantwoording).")
def _quarantaine(c, code):
    if c.nP == 0:
        return _leeg()
    delen = []
    for i, g in enumerate(c.gemeenten):
        q = quarantaine_telling(c.md, gemeente=g)
        if len(q) == 0:
            continue
        delen.append(pd.DataFrame({
            "eenheid": c.nT + i,
            "uitsplitsing": (q["tabel"] + ":" + q["regel"]).to_numpy(dtype=object),
            "teller": q["rijen"].to_numpy(),
            "noemer": np.nan,
            "periode_start": c.per["periode_start"].iloc[0],
            "periode_eind": c.per["periode_eind"].iloc[-1],
            "volledig": bool(c.per["volledig"].all()),
        }))
    if not delen:
        return _leeg()
    a = pd.concat(delen, ignore_index=True)
    a["waarde"] = a["teller"]
    return _af(c, a, code, interval=False)

"""The one check of a tidy indicator table, called first by every public analysis function.

As PHEindicatormethods validates all arguments before it computes anything, every function
that reads the tidy table (:func:`~monitoranalyse.analyse.trend.trend`,
:func:`~monitoranalyse.analyse.trend.onderbroken_tijdreeks`,
:func:`~monitoranalyse.analyse.trend.verschuiving`, :func:`~monitoranalyse.analyse.spc.spc`,
:func:`~monitoranalyse.analyse.vergelijking.funnel`,
:func:`~monitoranalyse.analyse.prognose.caseload_prognose`,
:func:`~monitoranalyse.rapport.openbaarmaking.beveilig`) calls :func:`controleer_tabel`
before it starts. All rules are checked; one :class:`ValueError` then lists every broken
rule, one plain Dutch sentence per rule, so a user fixes the table in one go.

The rules (:data:`REGELS`):

``kolommen``
    The columns the function needs are present.
``getal``
    ``teller``, ``noemer``, ``waarde``, ``ondergrens``, ``bovengrens`` hold numbers (or are
    empty).
``datum``
    ``periode_start`` and ``periode_eind`` hold dates (or are empty).
``statistiek``
    ``statistiek`` (when present) holds one of :data:`monitoranalyse.contract.STATISTIEK_TYPES`.
``negatief``
    ``noemer`` is never negative; ``teller`` is never negative for a count, proportion or
    ratio (a mean or an amount may be).
``teller_noemer``
    For a proportion the teller is not larger than the noemer.
``waar_onwaar``
    ``volledig`` and ``inloop`` (when present) are true/false.

The statistic type of a row is its ``statistiek`` column when the table has one (the output
of :func:`monitoranalyse.indicatoren.bereken` has), otherwise unknown: the type-dependent
rules then skip the row.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from monitoranalyse.contract import INDICATOR_KOLOMMEN, STATISTIEK_TYPES

__all__ = ["controleer_tabel", "REGELS", "REEKS_NODIG"]

#: Rule code -> what it checks (the module docstring has the details).
REGELS: dict[str, str] = {
    "kolommen": "de benodigde kolommen zijn aanwezig",
    "getal": "teller, noemer, waarde, ondergrens en bovengrens zijn getallen",
    "datum": "periode_start en periode_eind zijn datums",
    "statistiek": "statistiek is een bekend statistiektype",
    "negatief": "noemer (en teller bij aantallen, proporties en ratio's) is niet negatief",
    "teller_noemer": "bij een proportie is de teller niet groter dan de noemer",
    "waar_onwaar": "volledig en inloop zijn waar of onwaar",
}

#: Columns a time-series analysis needs (trend, onderbroken_tijdreeks, spc).
REEKS_NODIG: tuple[str, ...] = ("gemeente", "wijkteam", "indicator", "periode_start", "waarde")

_GETALLEN = ("teller", "noemer", "waarde", "ondergrens", "bovengrens")
_DATUMS = ("periode_start", "periode_eind")
_TELBAAR = ("aantal", "proportie", "ratio")


def _voorbeeld(tabel: pd.DataFrame, masker: pd.Series, kolom: str) -> str:
    """``(3 rijen, bijvoorbeeld 'abc' in rij 5)`` for the first offending row."""
    n = int(masker.sum())
    eerste = masker.to_numpy().nonzero()[0][0]
    waarde = tabel[kolom].iloc[eerste]
    toon = repr(waarde) if isinstance(waarde, str) else str(waarde)
    rijen = "1 rij" if n == 1 else f"{n} rijen"
    return f"({rijen}, bijvoorbeeld {toon} in rij {eerste + 1})"


def controleer_tabel(tabel, *, functie: str, nodig: Sequence[str] = INDICATOR_KOLOMMEN) -> None:
    """Check a tidy indicator table against every rule of :data:`REGELS`; raise once.

    Parameters
    ----------
    tabel : DataFrame
        The table handed to ``functie``. Not modified.
    functie : str
        Name of the calling function, used in the message (e.g. ``"trend"``).
    nodig : sequence of str
        Columns ``functie`` needs (default: all of ``contract.INDICATOR_KOLOMMEN``).

    Raises
    ------
    TypeError
        When ``tabel`` is not a DataFrame.
    ValueError
        When one or more rules are broken: the message names ``functie`` and has one Dutch
        sentence per broken rule.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"indicator": ["x", "x"], "statistiek": ["proportie", "proportie"],
    ...                   "teller": [3.0, 12.0], "noemer": [10.0, 10.0], "waarde": [0.3, "veel"]})
    >>> controleer_tabel(t, functie="funnel", nodig=("indicator", "gemeente"))
    Traceback (most recent call last):
    ...
    ValueError: De indicatortabel voor funnel() voldoet niet aan 3 regel(s):
      - De indicatortabel mist kolom(men): gemeente.
      - Kolom 'waarde' bevat waarden die geen getal zijn (1 rij, bijvoorbeeld 'veel' in rij 2).
      - Bij een proportie mag de teller niet groter zijn dan de noemer (1 rij, bijvoorbeeld 12.0 in rij 2).
    """
    if not isinstance(tabel, pd.DataFrame):
        raise TypeError(f"{functie}() verwacht een indicatortabel (pandas DataFrame), "
                        f"geen {type(tabel).__name__}.")
    fouten: list[str] = []
    ontbreekt = [k for k in nodig if k not in tabel.columns]
    if ontbreekt:
        fouten.append(f"De indicatortabel mist kolom(men): {', '.join(ontbreekt)}.")
    getallen: dict[str, pd.Series] = {}
    for k in _GETALLEN:
        if k not in tabel.columns:
            continue
        kol = tabel[k]
        if pd.api.types.is_bool_dtype(kol) or not pd.api.types.is_numeric_dtype(kol):
            omgezet = pd.to_numeric(kol.where(kol.notna(), None), errors="coerce")
            fout = kol.notna() & omgezet.isna()
            if fout.any():
                fouten.append(f"Kolom '{k}' bevat waarden die geen getal zijn {_voorbeeld(tabel, fout, k)}.")
            getallen[k] = omgezet
        else:
            getallen[k] = kol.astype("float64")
    for k in _DATUMS:
        if k not in tabel.columns or pd.api.types.is_datetime64_any_dtype(tabel[k]):
            continue
        kol = tabel[k]
        omgezet = pd.to_datetime(kol, errors="coerce", format="mixed")
        fout = kol.notna() & omgezet.isna()
        if fout.any():
            fouten.append(f"Kolom '{k}' bevat waarden die geen datum zijn {_voorbeeld(tabel, fout, k)}.")
    stat = None
    if "statistiek" in tabel.columns:
        stat = tabel["statistiek"].astype("string")
        onbekend = sorted(set(stat.dropna()) - set(STATISTIEK_TYPES))
        if onbekend:
            fouten.append(f"Kolom 'statistiek' bevat onbekende statistiektypen ({', '.join(onbekend)}); "
                          f"kies uit {', '.join(STATISTIEK_TYPES)}.")
    if "noemer" in getallen:
        fout = getallen["noemer"] < 0
        if fout.any():
            fouten.append(f"De noemer mag niet negatief zijn {_voorbeeld(tabel, fout, 'noemer')}.")
    if "teller" in getallen and stat is not None:
        fout = (getallen["teller"] < 0) & stat.isin(_TELBAAR).fillna(False).to_numpy()
        if fout.any():
            fouten.append("Bij een aantal, proportie of ratio mag de teller niet negatief zijn "
                          f"{_voorbeeld(tabel, fout, 'teller')}.")
    if {"teller", "noemer"} <= set(getallen) and stat is not None:
        fout = ((getallen["teller"] > getallen["noemer"]) & (stat == "proportie").fillna(False)).to_numpy()
        fout = pd.Series(fout, index=tabel.index)
        if fout.any():
            fouten.append("Bij een proportie mag de teller niet groter zijn dan de noemer "
                          f"{_voorbeeld(tabel, fout, 'teller')}.")
    for k in ("volledig", "inloop"):
        if k not in tabel.columns or pd.api.types.is_bool_dtype(tabel[k]):
            continue
        kol = tabel[k]
        fout = kol.notna() & ~kol.isin([True, False])
        if fout.any():
            fouten.append(f"Kolom '{k}' moet waar of onwaar zijn {_voorbeeld(tabel, fout, k)}.")
    if fouten:
        raise ValueError(f"De indicatortabel voor {functie}() voldoet niet aan {len(fouten)} regel(s):\n"
                         + "\n".join(f"  - {f}" for f in fouten))

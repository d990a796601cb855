"""Dutch number, date and sentence formatting, used by every stage that writes text.

One place for "1.234,5", "41%", "+3,1 procentpunt" and "maart 2024", so that reports,
sentences in the nader-onderzoek list and figure labels all speak the same Dutch.
(We do not rely on the OS locale: it is often not installed on servers.)
"""

from __future__ import annotations

import math

import pandas as pd

__all__ = [
    "vertaal_os_fout",
    "getal",
    "procent",
    "procentpunt",
    "maandnaam",
    "maand_jaar",
    "periode_label",
    "overzicht_tekst",
    "overzicht_html",
    "MAANDEN",
    "MAANDEN_KORT",
]

MAANDEN = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)
MAANDEN_KORT = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def _leeg(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA


def getal(x, decimalen: int = 0, teken: bool = False) -> str:
    """Format a number the Dutch way: ``getal(1234.5, 1) == '1.234,5'``.

    ``teken=True`` always shows the sign (``+3,1``). Missing values give ``'–'``.
    """
    if _leeg(x):
        return "–"
    s = f"{float(x):,.{decimalen}f}"  # 1,234.5
    s = s.replace(",", "_").replace(".", ",").replace("_", ".")
    if teken and float(x) > 0:
        s = "+" + s
    return s


def euro(x, decimalen: int = 0) -> str:
    """An amount with its unit: ``euro(123456782) == '€ 123.456.782'``, ``euro(-5) == '€ -5'``.

    Tables write amounts this way so that a reader sees the unit in the cell and the privacy
    guard (:func:`monitoranalyse.rapport.openbaarmaking.controleer_uitvoer`) can tell an
    amount of 100 million or more from a BSN written with dots (issue 16).
    """
    if _leeg(x):
        return "–"
    return f"€ {getal(x, decimalen)}"


def procent(fractie, decimalen: int = 0) -> str:
    """``procent(0.412) == '41%'``; input is a fraction (0-1)."""
    if _leeg(fractie):
        return "–"
    return f"{getal(100 * float(fractie), decimalen)}%"


def procentpunt(verschil_fractie, decimalen: int = 1) -> str:
    """``procentpunt(0.031) == '+3,1 procentpunt'``; input is a difference of fractions."""
    if _leeg(verschil_fractie):
        return "–"
    return f"{getal(100 * float(verschil_fractie), decimalen, teken=True)} procentpunt"


def maandnaam(maand: int, kort: bool = False) -> str:
    return (MAANDEN_KORT if kort else MAANDEN)[int(maand) - 1]


def maand_jaar(datum) -> str:
    """``maand_jaar('2024-03-01') == 'maart 2024'``."""
    d = pd.Timestamp(datum)
    return f"{maandnaam(d.month)} {d.year}"


def periode_label(start, eind) -> str:
    """A readable Dutch label for a period: '2024', '2024-K1', '2024-H2', 'mrt 2024'."""
    s, e = pd.Timestamp(start), pd.Timestamp(eind)
    maanden = (e.year - s.year) * 12 + e.month - s.month + 1
    if maanden == 12 and s.month == 1:
        return str(s.year)
    if maanden == 6 and s.month in (1, 7):
        return f"{s.year}-H{1 if s.month == 1 else 2}"
    if maanden == 3 and s.month in (1, 4, 7, 10):
        return f"{s.year}-K{(s.month - 1) // 3 + 1}"
    if maanden == 1:
        return f"{maandnaam(s.month, kort=True)} {s.year}"
    return f"{s.date().isoformat()} t/m {e.date().isoformat()}"


#: Dutch wording of the operating-system errors a user can run into (errno name -> text).
_OS_FOUTEN = {
    "EACCES": "geen toegang (de rechten op dit bestand of deze map staan het niet toe)",
    "EPERM": "geen toestemming van het besturingssysteem",
    "ENOENT": "bestaat niet",
    "EISDIR": "is een map, geen bestand",
    "ENOTDIR": "een deel van het pad is geen map",
    "ELOOP": "symbolische koppeling die (via een lus) naar zichzelf verwijst",
    "ENOSPC": "de schijf is vol",
    "EDQUOT": "het schijfquotum is op",
    "EROFS": "het bestandssysteem is alleen-lezen",
    "ENAMETOOLONG": "de naam is te lang voor het bestandssysteem",
    "EEXIST": "bestaat al",
    "EIO": "lees- of schrijffout van het opslagmedium",
    "EMFILE": "te veel open bestanden",
    "EBUSY": "is in gebruik",
    "ENOTEMPTY": "de map is niet leeg",
}


def vertaal_os_fout(e: OSError) -> str:
    """A Dutch description of an :class:`OSError` (the English original is not included).

    Examples
    --------
    >>> import errno
    >>> vertaal_os_fout(PermissionError(errno.EACCES, "Permission denied"))
    'geen toegang (de rechten op dit bestand of deze map staan het niet toe)'
    """
    import errno

    naam = errno.errorcode.get(e.errno or -1, "")
    return _OS_FOUTEN.get(naam, f"systeemfout {naam or type(e).__name__}")


def overzicht_tekst(titel: str, regels: list[tuple[str, str]]) -> str:
    """A short plain-text summary: a title, then ``label: waarde`` lines (for ``__repr__``)."""
    breedte = max((len(k) for k, _ in regels), default=0)
    return "\n".join([titel, *(f"  {k.ljust(breedte)}  {w}" for k, w in regels)])


def overzicht_html(titel: str, regels: list[tuple[str, str]]) -> str:
    """The same summary as a small HTML table (for ``_repr_html_`` in JupyterLab); escaped."""
    import html

    rijen = "".join(f"<tr><th scope='row' style='text-align:left'>{html.escape(k)}</th>"
                    f"<td style='text-align:left'>{html.escape(w)}</td></tr>" for k, w in regels)
    return f"<table><caption style='text-align:left'><b>{html.escape(titel)}</b></caption>{rijen}</table>"

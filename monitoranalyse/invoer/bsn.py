"""The one BSN detector, shared by the loader (quarantine rule ``bsn``) and the final
output guard (:func:`monitoranalyse.rapport.openbaarmaking.controleer_uitvoer`).

A burgerservicenummer is 9 digits that pass the 11-proef. People and spreadsheets
write it in several ways, and every one of them is recognised:

* ``123456782`` — plain;
* ``123 456 782``, ``111.222.333``, ``1234.56.782``, ``123-45-6782`` — groups of 1 to 4
  digits separated by one and the same space, dot, dash, non-breaking space or narrow
  non-breaking space (the separator may not change inside one number);
* ``12345672`` — 8 digits: Excel drops the leading zero of ``012345672`` when a column
  is stored as a number, so an 8-digit number is checked with a ``0`` in front
  (only as one unbroken group: a formatted number keeps its zero).

A candidate may not touch a letter or digit (``T123456782``, a sha256 hex string, and
the 9 decimals of ``0.123456789`` are not candidates), and a plain group preceded by
``<digit>.`` / ``<digit>,`` or followed by ``.<digit>`` / ``,<digit>`` is the decimal
part or integer part of a number, not a BSN.

The 11-proef (elfproef) for ``d1..d9``: ``9*d1 + 8*d2 + ... + 2*d8 - 1*d9`` is
divisible by 11 and not 0. A random 9-digit number passes with probability about
1/11, so the detector is deliberately on the safe side: it flags "looks like a BSN",
not "is a BSN". No maintained Python library does this search over free text
(``python-stdnum`` validates one value at a time, without notations inside text).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["elfproef", "vind_bsns", "bevat_bsn", "is_bsn", "is_bsn_reeks", "bevat_bsn_reeks", "maskeer"]

_GEWICHTEN = (9, 8, 7, 6, 5, 4, 3, 2, -1)
#: Separators allowed between the digit groups of one written number.
SCHEIDINGSTEKENS = " .-\u00a0\u202f"
# a run of digit groups joined by single separators
_RUN = re.compile(r"\d+(?:[ .\-\u00a0\u202f]\d+)*")
_GROEP = re.compile(r"\d+")
_LETTER_OF_CIJFER = re.compile(r"[0-9A-Za-z\u00c0-\u024f]")


def elfproef(cijfers: str) -> bool:
    """True when ``cijfers`` is exactly 9 ASCII digits that pass the 11-proef."""
    if len(cijfers) != 9 or not cijfers.isascii() or not cijfers.isdigit():
        return False
    som = sum(int(c) * w for c, w in zip(cijfers, _GEWICHTEN))
    return som % 11 == 0 and som != 0


def _als_bsn(cijfers: str) -> bool:
    """9 digits passing the 11-proef, or 8 digits that do with a leading 0."""
    if len(cijfers) == 8:
        return elfproef("0" + cijfers)
    return elfproef(cijfers)


def _raakt(tekst: str, i: int) -> bool:
    """Is position ``i`` a letter or digit (a candidate must not touch one)?"""
    return 0 <= i < len(tekst) and bool(_LETTER_OF_CIJFER.match(tekst[i]))


def _decimaal_buur(tekst: str, begin: int, eind: int) -> bool:
    """Is ``tekst[begin:eind]`` the integer or decimal part of a number (1.234567891)?"""
    voor = begin >= 2 and tekst[begin - 1] in ".," and tekst[begin - 2].isdigit()
    na = eind + 1 < len(tekst) and tekst[eind] in ".," and tekst[eind + 1].isdigit()
    return voor or na


def vind_bsns(tekst: str) -> list[tuple[int, int]]:
    """Spans ``(begin, eind)`` of every BSN-like number in ``tekst`` (see module notes).

    Parameters
    ----------
    tekst : str

    Returns
    -------
    list of (int, int)
        Non-overlapping spans, in order.

    Examples
    --------
    >>> [("x 123 456 782 y"[a:b]) for a, b in vind_bsns("x 123 456 782 y")]
    ['123 456 782']
    """
    if not isinstance(tekst, str) or not any(c.isdigit() for c in tekst):
        return []
    uit: list[tuple[int, int]] = []
    for m in _RUN.finditer(tekst):
        if m.end() - m.start() < 8:
            continue
        run = m.group(0)
        n_sep = run.count(" ") + run.count(".") + run.count("-") + run.count("\u00a0") + run.count("\u202f")
        if len(run) - n_sep < 8 or (len(run) - n_sep == 8 and n_sep):
            # no BSN in any notation: fewer than 8 digits, or 8 digits in more than one group (a
            # plain 8-digit BSN is one group, a grouped one has 9 digits). Most runs of a report
            # are short numbers and ISO dates; the output guard scans megabytes of them (issue 16).
            continue
        # groups with their positions, and the separator after each group
        groepen = [(g.start() + m.start(), g.end() + m.start()) for g in _GROEP.finditer(run)]
        scheiding = [tekst[e] for _, e in groepen[:-1]]
        bezet = [False] * len(groepen)
        # plain groups of 9 (or 8) digits
        for i, (b, e) in enumerate(groepen):
            if e - b in (8, 9) and not _raakt(tekst, b - 1) and not _raakt(tekst, e) \
                    and not _decimaal_buur(tekst, b, e) and _als_bsn(tekst[b:e]):
                uit.append((b, e))
                bezet[i] = True
        # written in groups: 2+ groups of 1-4 digits, one separator, 9 digits in total
        for i in range(len(groepen)):
            if bezet[i] or _raakt(tekst, groepen[i][0] - 1):
                continue
            n = 0
            for j in range(i, len(groepen)):
                b, e = groepen[j]
                if e - b > 4 or bezet[j] or (j > i and scheiding[j - 1] != scheiding[i]):
                    break
                n += e - b
                if n > 9:
                    break
                if n == 9 and j > i:
                    if not _raakt(tekst, e):
                        cijfers = "".join(tekst[bb:ee] for bb, ee in groepen[i:j + 1])
                        if elfproef(cijfers):
                            uit.append((groepen[i][0], e))
                            bezet[i:j + 1] = [True] * (j + 1 - i)
                    break
    return sorted(uit)


def bevat_bsn(tekst: str) -> bool:
    """Does ``tekst`` contain a BSN-like number in any notation?"""
    return bool(vind_bsns(tekst))


def is_bsn(waarde: str) -> bool:
    """Is the whole value a BSN in some notation (an id field holding a BSN)?

    ``" 123.456.782 "``, ``"123456782"`` and ``"12345672"`` (leading zero dropped) are;
    ``"T123456782"`` is not (an id with a prefix).
    """
    if not isinstance(waarde, str):
        return False
    w = waarde.strip()
    spans = vind_bsns(w)
    return len(spans) == 1 and spans[0] == (0, len(w))


def maskeer(tekst: str) -> str:
    """Replace every BSN-like number by ``*******`` + its last 2 digits (nothing else changes)."""
    if not isinstance(tekst, str):
        return tekst
    spans = vind_bsns(tekst)
    if not spans:
        return tekst
    delen, vorige = [], 0
    for b, e in spans:
        cijfers = re.sub(r"\D", "", tekst[b:e])
        delen += [tekst[vorige:b], "*******" + cijfers[-2:]]
        vorige = e
    delen.append(tekst[vorige:])
    return "".join(delen)


def _per_unieke_waarde(waarden: pd.Series, functie, geheel: bool) -> pd.Series:
    import pyarrow as pa
    import pyarrow.compute as pc

    # each distinct value once (ids repeat in zrm and inzet; names and texts repeat a lot);
    # the loader's text columns are categorical already (factorizing them again costs seconds)
    if isinstance(waarden.dtype, pd.CategoricalDtype):
        codes, uniek = waarden.cat.codes.to_numpy(), waarden.cat.categories
    else:
        codes, uniek = pd.factorize(waarden, use_na_sentinel=True)
    if len(uniek) == 0:
        return pd.Series(False, index=waarden.index)
    if isinstance(uniek.dtype, pd.StringDtype) and uniek.dtype.storage == "pyarrow":
        arr = pa.array(uniek)  # Arrow-backed already: no Python string per distinct value
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        arr = pc.fill_null(arr, "") if arr.null_count else arr
        tekst = None
    else:
        tekst = [u if isinstance(u, str) else "" for u in uniek.tolist()]
        arr = pa.array(tekst, type=pa.string())
    # vectorised pre-filter (pyarrow, RE2): a BSN needs at least 8 digits, and a digit that
    # does not follow a letter or digit; a whole value holds nothing but digits and separators.
    # It only narrows the candidates; every candidate is judged by ``functie``.
    # The cheapest test first, the digit count only over what is left (ids such as T0001234
    # fail the first test: their digits all follow a letter or digit).
    plek = np.flatnonzero(pc.match_substring_regex(arr, r"(^|[^0-9A-Za-z])[0-9]")
                          .to_numpy(zero_copy_only=False))
    rest = arr.take(pa.array(plek, type=pa.int64()))
    houd = pc.greater_equal(pc.count_substring_regex(rest, r"[0-9]"), 8)
    if geheel:
        houd = pc.and_(houd, pc.match_substring_regex(rest, "^[0-9 .\\-\u00a0\u202f]+$"))
    kandidaat = plek[houd.to_numpy(zero_copy_only=False).astype(bool)]
    oordeel = np.zeros(len(uniek) + 1, dtype=bool)  # last slot: missing values
    for i in kandidaat:
        oordeel[i] = functie(tekst[i] if tekst is not None else arr[i].as_py())
    return pd.Series(oordeel[codes], index=waarden.index)


def is_bsn_reeks(waarden: pd.Series) -> pd.Series:
    """:func:`is_bsn` per value of a Series (missing = False); each distinct value once."""
    return _per_unieke_waarde(waarden, is_bsn, True)


def bevat_bsn_reeks(waarden: pd.Series) -> pd.Series:
    """:func:`bevat_bsn` per value of a Series (missing = False); each distinct value once."""
    return _per_unieke_waarde(waarden, bevat_bsn, False)

"""CBS StatLine tables as tidy indicator frames.

Reads a StatLine/OData download (a CSV as in ``../shared/data/cbs`` or the result of
``cbsodata.get_data``) and returns the project's tidy indicator shape
(:data:`~monitoranalyse.contract.INDICATOR_KOLOMMEN`) with a few CBS-specific columns
(region type, provisional flag, table generation). Everything the user reads is Dutch.

What this module knows about CBS conventions (../shared/DOMAIN.md and the SOURCE.txt
files next to the extracts):

* Dimension keys arrive as titles: ``RegioS = "Utrecht (gemeente)"``, ``Perioden =
  "30 juni 2021"``. Regional aggregates carry a suffix: ``(LD)`` landsdeel, ``(PV)``
  provincie, ``(CR)`` COROP, ``(JZ)`` jeugdzorgregio; some tables also hold size
  classes (``"20 000 tot 50 000 inwoners"``). Gemeente names with a province
  abbreviation (``"Bergen (NH.)"``, ``"Hengelo (O.)"``) are gemeenten and stay as
  they are; only the ``" (gemeente)"`` suffix is dropped.
* Empty cells, ``"."``, ``"x"`` and ``"?"`` are suppressed, secret or not delivered:
  they become NaN, never zero. ``"-"`` is CBS's sign for *nihil* and becomes 0.
* ``"*"`` after a period (``"2023*"``) or ``StatusCijfer = "Voorlopig"`` marks a
  provisional figure (column ``voorlopig``).
* Jeugdzorg tables break series at 2020/2021 (new registration): 2015-2020 and 2021+
  are separate tables (82968NED -> 85094NED, ...). Every row carries its table
  generation in ``reeks`` and, for a generation that follows a break, the first date of
  the new series in ``breuk_voor``. :func:`controleer_reeks` refuses a selection that
  mixes generations; :func:`markeer_reeksbreuken` numbers the segments instead.
* Herindelingen: gemeenten that merged simply stop having values. Nothing here
  invents continuity; :func:`gemeenten_in_alle_perioden` lists the gemeenten that are
  present throughout.

No network is needed except by :func:`download`, which uses the maintained
``cbsodata`` client.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from monitoranalyse.contract import INDICATOR_KOLOMMEN, TOTAAL

__all__ = [
    "lees_statline",
    "lees_map",
    "parse_periode",
    "regio_soort",
    "normaliseer_regio",
    "gemeenten_in_alle_perioden",
    "vergelijkbare_gemeenten",
    "controleer_reeks",
    "markeer_reeksbreuken",
    "download",
    "maak_testfixture",
    "ReeksbreukFout",
    "KWB_BESTAND",
    "lees_kwb_wijken",
    "kwb_in_map",
    "wijk_context",
    "CBS_KOLOMMEN",
    "OPVOLGERS",
    "REGIOSOORTEN",
]

#: Extra columns after :data:`~monitoranalyse.contract.INDICATOR_KOLOMMEN`.
CBS_KOLOMMEN: tuple[str, ...] = (
    "regio",
    "regio_soort",
    "periodesoort",
    "tabel_id",
    "cbs_kolom",
    "eenheid",
    "voorlopig",
    "reeks",
    "breuk_voor",
)

#: Successor table -> (predecessor table, first day of the new series). Only pairs that
#: the SOURCE.txt of the extracts (or CBS) names as the same statistic in a new
#: generation after the 2020/2021 trend break.
OPVOLGERS: dict[str, tuple[str, str]] = {
    "85094NED": ("82968NED", "2021-01-01"),  # trajecten jeugdzorg in natura, peildatum
    "85098NED": ("82972NED", "2021-01-01"),  # indicatoren jeugdzorg in natura
    "85099NED": ("84134NED", "2021-01-01"),  # kerncijfers jeugdzorg
    "85096NED": ("82970NED", "2021-01-01"),  # jeugdhulptrajecten; verwijzer (NL)
}

#: Region suffixes of StatLine titles -> regio_soort.
_SUFFIXEN = {"PV": "provincie", "CR": "corop", "JZ": "jeugdregio", "LD": "landsdeel"}
REGIOSOORTEN: tuple[str, ...] = (
    "gemeente",
    "provincie",
    "jeugdregio",
    "landsdeel",
    "corop",
    "nederland",
    "gemeentegrootte",
    "stedelijkheid",
    "overig_aggregaat",
)

_REGIOKOLOMMEN = ("RegioS", "Regio", "Regios", "Gemeenten", "GemeentenEnRegios")
_PERIODEKOLOM = "Perioden"
_ONTBREKEND = {"", ".", "x", "X", "?", "nan", "NaN", "None", "<NA>"}
_MAANDEN = {
    m: i + 1
    for i, m in enumerate(
        (
            "januari", "februari", "maart", "april", "mei", "juni", "juli",
            "augustus", "september", "oktober", "november", "december",
        )
    )
}
_RANG = {"1e": 1, "2e": 2, "3e": 3, "4e": 4, "eerste": 1, "tweede": 2, "derde": 3, "vierde": 4}


class ReeksbreukFout(ValueError):
    """A selection mixes table generations (a trend break); message in Dutch."""


# ---------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------


def _dag(jaar: int, maand: int, dag: int) -> pd.Timestamp:
    return pd.Timestamp(_dt.date(jaar, maand, dag))


def _maand_eind(jaar: int, maand: int) -> pd.Timestamp:
    return (_dag(jaar, maand, 1) + pd.offsets.MonthEnd(0)).normalize()


def _deel(jaar: int, nummer: int, maanden: int, label: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    if not 1 <= nummer <= 12 // maanden:
        raise ValueError(f"Onbekende CBS-periode {label!r}: volgnummer {nummer} bestaat niet")
    eerste = (nummer - 1) * maanden + 1
    return _dag(jaar, eerste, 1), _maand_eind(jaar, eerste + maanden - 1)


def _parse(label) -> tuple[pd.Timestamp, pd.Timestamp, bool, str]:
    """Parse one label; returns (start, eind, voorlopig, periodesoort)."""
    if label is None or (isinstance(label, float) and math.isnan(label)):
        raise ValueError("Lege CBS-periode: het label ontbreekt")
    s = " ".join(str(label).split())
    voorlopig = False
    m = re.fullmatch(r"(.*?)\s*\(?(\*+|voorlopig|nader voorlopig)\)?", s, flags=re.I)
    if m and m.group(1):
        s, voorlopig = m.group(1), True
    t = s.lower()
    try:
        # OData period codes: 2015JJ00, 2015KW01, 2015HJ01, 2015MM03, 2015X000
        if m := re.fullmatch(r"(\d{4})(jj|kw|hj|mm|x0)(\d{2})", t):
            jaar, soort, nr = int(m.group(1)), m.group(2), int(m.group(3))
            if soort in ("jj", "x0") and nr == 0:
                return _dag(jaar, 1, 1), _dag(jaar, 12, 31), voorlopig, "jaar"
            maanden = {"kw": 3, "hj": 6, "mm": 1}.get(soort)
            if maanden is None:
                raise ValueError
            naam = {3: "kwartaal", 6: "halfjaar", 1: "maand"}[maanden]
            return (*_deel(jaar, nr, maanden, str(label)), voorlopig, naam)
        if m := re.fullmatch(r"\d{4}", t):
            jaar = int(t)
            return _dag(jaar, 1, 1), _dag(jaar, 12, 31), voorlopig, "jaar"
        # peildatum: "31 maart 2015"
        if m := re.fullmatch(r"(\d{1,2}) ([a-z]+) (\d{4})", t):
            if m.group(2) in _MAANDEN:
                d = _dag(int(m.group(3)), _MAANDEN[m.group(2)], int(m.group(1)))
                return d, d, voorlopig, "peildatum"
        # month: "maart 2015" / "2015 maart"
        if m := re.fullmatch(r"([a-z]+) (\d{4})|(\d{4}) ([a-z]+)", t):
            naam, jaar = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            if naam in _MAANDEN:
                return (*_deel(int(jaar), _MAANDEN[naam], 1, str(label)), voorlopig, "maand")
        # halfjaar / kwartaal, both word orders, "half jaar" with or without space
        deel = r"(1e|2e|3e|4e|eerste|tweede|derde|vierde) (half ?jaar|kwartaal)"
        if m := re.fullmatch(deel + r" (\d{4})", t):
            rang, soort, jaar = m.group(1), m.group(2), m.group(3)
        elif m := re.fullmatch(r"(\d{4}) " + deel, t):
            jaar, rang, soort = m.group(1), m.group(2), m.group(3)
        else:
            raise ValueError
        maanden = 3 if soort == "kwartaal" else 6
        naam = "kwartaal" if maanden == 3 else "halfjaar"
        return (*_deel(int(jaar), _RANG[rang], maanden, str(label)), voorlopig, naam)
    except ValueError as e:
        if str(e).startswith("Onbekende CBS-periode"):
            raise
        raise ValueError(
            f"Onbekende CBS-periode {str(label)!r}: verwacht bv. '2021', '2021*', "
            "'1e halfjaar 2021', '2e kwartaal 2021', '30 juni 2021', 'maart 2021' of '2021JJ00'"
        ) from None


def parse_periode(label: str) -> tuple[pd.Timestamp, pd.Timestamp, bool]:
    """Parse a StatLine period title or code.

    Parameters
    ----------
    label : str
        E.g. ``"31 maart 2015"`` (peildatum), ``"2e halfjaar 2021"``, ``"1e half jaar
        2024"``, ``"2021 1e halfjaar"``, ``"1e kwartaal 2015"``, ``"maart 2021"``,
        ``"2021"``, ``"2021*"`` or an OData code (``"2015JJ00"``, ``"2015KW02"``,
        ``"2015HJ01"``, ``"2015MM03"``).

    Returns
    -------
    start : Timestamp
        First day of the period (midnight).
    eind : Timestamp
        Last day of the period, inclusive (midnight). For a peildatum ``start == eind``.
    voorlopig : bool
        True when the label carries CBS's provisional marker ``*`` (or "voorlopig").

    Raises
    ------
    ValueError
        With a Dutch message naming the label when it is not a known form.

    Examples
    --------
    >>> parse_periode("2e halfjaar 2021")
    (Timestamp('2021-07-01 00:00:00'), Timestamp('2021-12-31 00:00:00'), False)
    >>> parse_periode("2023*")[2]
    True
    """
    start, eind, voorlopig, _ = _parse(label)
    return start, eind, voorlopig


# ---------------------------------------------------------------------------
# Regions
# ---------------------------------------------------------------------------


def normaliseer_regio(naam: str) -> str:
    """Normalise a StatLine region title.

    Whitespace is collapsed and the disambiguation suffix ``" (gemeente)"`` is
    dropped (``"Utrecht (gemeente)" -> "Utrecht"``). Aggregates keep their suffix so
    that ``"Utrecht (PV)"`` never collides with the gemeente; official gemeente names
    such as ``"Bergen (NH.)"`` are kept as they are.
    """
    s = " ".join(str(naam).split())
    return re.sub(r"\s*\(gemeente\)$", "", s, flags=re.I)


def regio_soort(naam: str) -> str:
    """Type of a StatLine region title.

    Returns one of :data:`REGIOSOORTEN`: ``"nederland"``; ``"landsdeel"`` ``(LD)``,
    ``"provincie"`` ``(PV)``, ``"corop"`` ``(CR)``, ``"jeugdregio"`` ``(JZ)``;
    ``"gemeentegrootte"`` for size classes (``"Minder dan 20 000 inwoners"``,
    ``"Gemeentegrootte: ..."``); ``"stedelijkheid"`` for ``"Stedelijkheid: ..."``;
    ``"overig_aggregaat"`` for another upper-case suffix such as ``"(GGD)"``; otherwise
    ``"gemeente"`` (including ``"Utrecht (gemeente)"`` and ``"Bergen (NH.)"``).
    """
    s = " ".join(str(naam).split())
    laag = s.lower()
    if laag in ("nederland", "nederland (land)"):
        return "nederland"
    if m := re.search(r"\(([A-Z]{2,4})\)$", s):
        return _SUFFIXEN.get(m.group(1), "overig_aggregaat")
    if laag.startswith("gemeentegrootte") or re.fullmatch(
        r"(minder dan [\d .]+|[\d .]+ tot [\d .]+|[\d .]+) inwoners( of meer)?", laag
    ):
        return "gemeentegrootte"
    if laag.startswith("stedelijkheid"):
        return "stedelijkheid"
    return "gemeente"


# ---------------------------------------------------------------------------
# Indicator codes and units
# ---------------------------------------------------------------------------

#: CBS measure key (without the ``_N`` suffix) -> stable indicator code. The same key
#: in a successor table gets the same code, so generations line up.
_CODES: dict[str, str] = {
    # 82968NED / 85094NED / 82967NED: trajecten op peildatum
    "TotaalJeugdzorgtrajectenInNatura": "jeugdzorgtrajecten",
    "TotaalJeugdhulptrajectenInNatura": "jeugdhulptrajecten",
    "TotaalJeugdhulpZonderVerblijf": "jeugdhulp_zonder_verblijf",
    "UitgevoerdDoorHetWijkOfBuurtteam": "jeugdhulp_zonder_verblijf_wijkteam",
    "TotaalNietUitgevoerd": "jeugdhulp_zonder_verblijf_niet_wijkteam",
    "AmbulanteJeugdhulpOpLocatieAanbieder": "jeugdhulp_ambulant_locatie_aanbieder",
    "DaghulpOpLocatieVanDeAanbieder": "jeugdhulp_daghulp_locatie_aanbieder",
    "JeugdhulpInHetNetwerkVanDeJongere": "jeugdhulp_netwerk_jongere",
    "TotaalJeugdhulpMetVerblijf": "jeugdhulp_met_verblijf",
    "Pleegzorg": "jeugdhulp_met_verblijf_pleegzorg",
    "Gezinsgericht": "jeugdhulp_met_verblijf_gezinsgericht",
    "GeslotenPlaatsing": "jeugdhulp_met_verblijf_gesloten",
    "AnderVerblijfBijJeugdhulpaanbieder": "jeugdhulp_met_verblijf_ander",
    "TotaalJeugdbeschermingstrajecten": "jeugdbeschermingstrajecten",
    "TotaalJeugdreclasseringstrajecten": "jeugdreclasseringstrajecten",
    # 82972NED / 85098NED: indicatoren (percentages)
    "JongerenMetJeugdhulpInNatura": "jongeren_met_jeugdhulp_pct",
    "JongerenMetJeugdhMetVerblInNat": "jeugdhulp_met_verblijf_pct",
    "JongerenMetJeugdbescherming": "jongeren_met_jeugdbescherming_pct",
    "JeugdbeschEnJeugdhMetVerblInNat": "jeugdbescherming_met_verblijf_pct",
    "JongerenMetJeugdreclassering": "jongeren_met_jeugdreclassering_pct",
    # 84134NED / 85099NED: kerncijfers
    "JongerenMetJeugdzorg": "jongeren_met_jeugdzorg",
    "JongerenMetJeugdzorgRelatief": "jongeren_met_jeugdzorg_pct",
    "Jeugdzorgtrajecten": "jeugdzorgtrajecten_periode",
    # 83454NED: kosten jeugdzorg
    "BegroteKosten": "jeugdzorg_kosten_begroot",
    "GerealiseerdeKosten": "jeugdzorg_kosten_gerealiseerd",
    "BegroteKostenPer1000Inwoners": "jeugdzorg_kosten_begroot_per_1000_inwoners",
    "GerealiseerdeKostenPer1000Inwoners": "jeugdzorg_kosten_gerealiseerd_per_1000_inwoners",
    # Wmo
    "WmoClienten": "wmo_clienten",
    "WmoClientenPer1000Inwoners": "wmo_clienten_per_1000_inwoners",
    "Stand": "wmo_clienten_stand",
    "Instroom": "wmo_instroom",
    "Uitstroom": "wmo_uitstroom",
    "BegroteUitgaven": "wmo_uitgaven_begroot",
    "GerealiseerdeUitgaven": "wmo_uitgaven_gerealiseerd",
    "BegroteUitgavenPer1000Inwoners": "wmo_uitgaven_begroot_per_1000_inwoners",
    "GerealiseerdeUitgavenPer1000Inwoners": "wmo_uitgaven_gerealiseerd_per_1000_inwoners",
    # 85383NED: maatstaven
    "InwonersTotaal": "inwoners",
    "InwonersJongerDan18": "inwoners_0_17",
}
#: Full keys that share a name with another column of the same table.
_CODES_VOLLEDIG: dict[tuple[str, str], str] = {
    ("86060NED", "ClientenMetMaatwerkvoorzieningen_1"): "clienten_met_maatwerkvoorzieningen",
    ("86060NED", "HuishoudensMetMaatwerkvoorzieningen_2"): "huishoudens_met_maatwerkvoorzieningen",
    ("86060NED", "ClientenMetMaatwerkvoorzieningen_3"): (
        "clienten_met_maatwerkvoorzieningen_per_1000_inwoners"
    ),
    ("86060NED", "HuishoudensMetMaatwerkvoorzieningen_4"): (
        "huishoudens_met_maatwerkvoorzieningen_per_1000_huishoudens"
    ),
}
_EENHEDEN_VOLLEDIG: dict[tuple[str, str], str] = {
    ("86060NED", "ClientenMetMaatwerkvoorzieningen_1"): "aantal",
    ("86060NED", "HuishoudensMetMaatwerkvoorzieningen_2"): "aantal",
    ("86060NED", "ClientenMetMaatwerkvoorzieningen_3"): "per 1 000 inwoners",
    ("86060NED", "HuishoudensMetMaatwerkvoorzieningen_4"): "per 1 000 huishoudens",
}
#: Tables whose measures are all counts of people or trajecten (rounded to 5 by CBS).
_AANTAL_TABELLEN = {
    "82966NED", "82967NED", "82968NED", "82970NED", "85094NED", "85095NED", "85096NED",
    "86050NED", "86051NED", "86061NED",
}
_PROCENT_TABELLEN = {"82972NED", "85098NED"}
_AANTAL_85383 = re.compile(
    r"(inwoners|uitwonende|minderheden|eenpersoons|eenouder|huishoudens|totaalbijstand|"
    r"algemenebijstand|bbz|ioaw|ioaz|adreslozen|overigadreslozen|eldersverzorgden|personen|"
    r"wajong|woningtotaal|woningmet|nietwoningmet|bedrijfsvestigingen)"
)


def _snake(naam: str) -> str:
    s = re.sub(
        r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)", "_", naam
    )
    return re.sub(r"[^a-z0-9]+", "_", s.lower()).strip("_")


def _kale_sleutel(sleutel: str) -> str:
    return re.sub(r"_\d+$", "", sleutel)


def _codes(tabel_id: str, sleutels: list[str]) -> dict[str, str]:
    codes = {}
    for k in sleutels:
        codes[k] = _CODES_VOLLEDIG.get((tabel_id, k)) or _CODES.get(_kale_sleutel(k)) or _snake(
            _kale_sleutel(k)
        )
    tel = pd.Series(list(codes.values())).value_counts()
    dubbel = set(tel[tel > 1].index)
    for k, c in codes.items():
        if c in dubbel:  # same name twice in one table (85383NED): keep the CBS number
            codes[k] = f"{c}_{k.rsplit('_', 1)[-1]}"
    return codes


def _eenheid(tabel_id: str, sleutel: str, meta: Mapping[str, dict]) -> str:
    if sleutel in meta and meta[sleutel].get("Unit"):
        return str(meta[sleutel]["Unit"]).strip()
    if (tabel_id, sleutel) in _EENHEDEN_VOLLEDIG:
        return _EENHEDEN_VOLLEDIG[(tabel_id, sleutel)]
    k = sleutel.lower()
    kaal = _kale_sleutel(sleutel)
    if tabel_id in _PROCENT_TABELLEN or kaal.endswith("Relatief"):
        return "procent"
    if re.match(r"(Begrote|Gerealiseerde)(Kosten|Uitgaven)", kaal):
        # Nederland 2017 Wmo: 4 597 228 and 269 -> x 1 000 euro; 269 euro per inwoner
        return "x 1 000 euro per 1 000 inwoners" if "per1000inwoners" in k else "x 1 000 euro"
    if "per1000inwoners" in k:
        return "per 1 000 inwoners"
    if tabel_id in _AANTAL_TABELLEN or tabel_id in {"84134NED", "85099NED"}:
        return "aantal"
    if tabel_id == "85383NED" and _AANTAL_85383.match(k):
        return "aantal"
    return "onbekend (zie StatLine)"


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def _naar_getallen(blok: pd.DataFrame) -> tuple[np.ndarray, list[bool]]:
    """Numbers from the measure columns (one vectorised pass over all cells).

    Returns the float matrix (n x m) and per column whether it holds text (e.g. a
    region code) instead of numbers.
    """
    n, m = blok.shape
    if n == 0 or m == 0:
        return np.empty((n, m)), [False] * m
    s = pd.Series(blok.to_numpy(dtype=object).ravel(order="F")).astype("str").fillna("").str.strip()
    s = s.where(~s.isin(_ONTBREKEND), "")
    s = s.where(s != "-", "0")  # CBS: "-" = nihil
    komma = s.str.contains(",", regex=False) & ~s.str.contains(".", regex=False)
    s = s.where(~komma, s.str.replace(",", ".", regex=False))
    leeg = (s == "").to_numpy()
    getal = pd.to_numeric(s.where(~leeg, None), errors="coerce").to_numpy(dtype="float64")
    tekst = (np.isnan(getal) & ~leeg).reshape((n, m), order="F").any(axis=0)
    return getal.reshape((n, m), order="F"), [bool(t) for t in tekst]


def _lees_csv(pad: Path) -> pd.DataFrame:
    with open(pad, encoding="utf-8-sig") as f:
        kop = f.readline()
    sep = ";" if kop.count(";") >= kop.count(",") else ","
    return pd.read_csv(pad, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _lees_meta(pad: Path, tabel_id: str) -> dict[str, dict]:
    for kandidaat in (
        pad.with_name(f"{tabel_id}.DataProperties.json"),
        pad.with_suffix(".DataProperties.json"),
    ):
        if kandidaat.exists():
            rijen = json.loads(kandidaat.read_text(encoding="utf-8"))
            return {r["Key"]: r for r in rijen if r.get("Key")}
    return {}


def lees_statline(
    bron,
    tabel_id: str | None = None,
    *,
    statuscijfer: str = "beste",
) -> pd.DataFrame:
    """Read one CBS StatLine table into the tidy indicator shape.

    Parameters
    ----------
    bron : str, Path, DataFrame or list of dict
        A StatLine/OData CSV (``;`` or ``,``, UTF-8 with or without BOM, as in
        ``../shared/data/cbs``), or what ``cbsodata.get_data(tabel_id)`` returns (a
        list of dicts, or a DataFrame made of it): dimension values as titles.
    tabel_id : str, optional
        CBS table id, e.g. ``"82968NED"``. Taken from the file name when omitted
        (``82968NED_....csv``); required for a DataFrame unless ``bron.attrs`` has it.
    statuscijfer : {"beste", "alle"}
        Only for tables with a ``StatusCijfer`` dimension (85383NED): ``"beste"`` keeps
        per cell the definitive figure when present, else the provisional one;
        ``"alle"`` keeps both rows (``voorlopig`` tells them apart).

    Returns
    -------
    DataFrame
        One row per (region, period, other dimensions, measure), sorted. Columns:

        - ``gemeente`` : str -- the normalised region name (aggregates keep their
          suffix, e.g. ``"Utrecht (PV)"``; ``"Utrecht (gemeente)"`` becomes ``"Utrecht"``).
        - ``wijkteam`` : str -- always :data:`~monitoranalyse.contract.TOTAAL`.
        - ``periode_start``, ``periode_eind`` : datetime64 -- first and last day
          (inclusive); equal for a peildatum.
        - ``indicator`` : str -- stable snake_case code from the CBS measure key
          (``TotaalJeugdhulpMetVerblijf_9 -> "jeugdhulp_met_verblijf"``).
        - ``uitsplitsing`` : str -- the values of the other dimensions joined by
          ``"; "`` (e.g. ``"Totaal exclusief verblijf en opvang"``), ``""`` if none.
        - ``teller`` : float -- equal to ``waarde`` for counts (eenheid ``"aantal"``),
          NaN otherwise; ``noemer`` : float -- NaN (CBS does not publish it).
        - ``waarde`` : float -- the figure; NaN when suppressed/secret/not delivered.
        - ``ondergrens``, ``bovengrens`` : float -- NaN (StatLine gives no interval).
        - ``methode`` : str -- ``"CBS StatLine <tabel_id>"``.
        - ``regio`` : str -- the original title; ``regio_soort`` : str -- see
          :func:`regio_soort`.
        - ``periodesoort`` : str -- ``peildatum``, ``maand``, ``kwartaal``, ``halfjaar``
          or ``jaar`` (a table can hold halfjaren *and* jaren: select one before a trend).
        - ``tabel_id`` : str; ``cbs_kolom`` : str -- the CBS measure key.
        - ``eenheid`` : str -- from ``<tabel_id>.DataProperties.json`` next to the file
          when present (written by :func:`download`), else from known tables
          (``aantal``, ``procent``, ``x 1 000 euro``, ``per 1 000 inwoners``, or
          ``"onbekend (zie StatLine)"``).
        - ``voorlopig`` : bool -- ``*`` in the period or ``StatusCijfer == "Voorlopig"``.
        - ``reeks`` : str -- the table generation (= ``tabel_id``).
        - ``breuk_voor`` : datetime64 -- for a table that continues an older one after
          a trend break (:data:`OPVOLGERS`) the first day of the new series, else NaT.

        ``attrs["tekstkolommen"]`` lists measure columns that held text (e.g.
        ``Regiocode_73``) and were left out.

    Raises
    ------
    ValueError
        Dutch message when the table id, the region or the period column is missing,
        or a period label is unknown.

    Notes
    -----
    Suppressed cells (empty, ``"."``, ``"x"``) are NaN, never 0; ``"-"`` (CBS: nihil)
    is 0. Counts are published rounded to multiples of 5, so sums of parts differ from
    totals by up to 2.5 per cell involved.
    """
    if statuscijfer not in ("beste", "alle"):
        raise ValueError(f"statuscijfer moet 'beste' of 'alle' zijn, niet {statuscijfer!r}")
    pad = None
    if isinstance(bron, (str, Path)):
        pad = Path(bron)
        if not pad.is_file():
            raise ValueError(f"CBS-bestand niet gevonden: {pad}")
        ruw = _lees_csv(pad)
        if tabel_id is None:
            m = re.match(r"(\d{5}[A-Z]{3})", pad.name)
            if not m:
                raise ValueError(
                    f"{pad.name}: tabelnummer niet af te leiden uit de bestandsnaam; "
                    "geef tabel_id op (bv. '82968NED')"
                )
            tabel_id = m.group(1)
    elif isinstance(bron, pd.DataFrame):
        ruw = bron.copy()
        tabel_id = tabel_id or bron.attrs.get("tabel_id")
    elif isinstance(bron, list):
        ruw = pd.DataFrame(bron)
    else:
        raise ValueError(
            f"lees_statline verwacht een pad, een DataFrame of de lijst van cbsodata.get_data, "
            f"niet {type(bron).__name__}"
        )
    if not tabel_id:
        raise ValueError("geef tabel_id op (bv. '82968NED'): het staat niet in de gegevens")
    tabel_id = str(tabel_id).strip().upper()
    meta = _lees_meta(pad, tabel_id) if pad is not None else {}
    naam = pad.name if pad is not None else tabel_id

    regiokol = next((k for k in _REGIOKOLOMMEN if k in ruw.columns), None)
    if regiokol is None:
        raise ValueError(
            f"{naam}: geen regiokolom gevonden (verwacht een van {', '.join(_REGIOKOLOMMEN)})"
        )
    if _PERIODEKOLOM not in ruw.columns:
        raise ValueError(f"{naam}: geen kolom 'Perioden' gevonden")
    if meta:
        maten = [k for k in ruw.columns if meta.get(k, {}).get("Type") == "Topic"]
    else:
        maten = [k for k in ruw.columns if re.search(r"_\d+$", str(k))]
    dims = [k for k in ruw.columns if k not in maten and k not in ("ID", regiokol, _PERIODEKOLOM)]
    if not maten:
        raise ValueError(f"{naam}: geen meetkolommen gevonden (CBS-sleutels eindigen op _1, _2, ...)")

    matrix, is_tekst = _naar_getallen(ruw[maten])
    tekst = [k for k, t in zip(maten, is_tekst) if t]
    getallen = {k: matrix[:, i] for i, (k, t) in enumerate(zip(maten, is_tekst)) if not t}
    maten = [k for k in maten if k in getallen]
    if not maten:
        raise ValueError(f"{naam}: geen numerieke meetkolommen (alleen tekst: {', '.join(tekst)})")

    def _tekst(kol) -> np.ndarray:
        return ruw[kol].astype("object").map(lambda v: " ".join(str(v).split())).to_numpy(object)

    regio = _tekst(regiokol)
    periode = _tekst(_PERIODEKOLOM)
    status_vl = np.zeros(len(ruw), dtype=bool)
    status = "StatusCijfer" in dims
    if status:
        status_vl = np.array(
            [t.lower().startswith("voorlopig") for t in _tekst("StatusCijfer")], dtype=bool
        )
        dims = [d for d in dims if d != "StatusCijfer"]
    if dims:
        delen = [_tekst(d) for d in dims]
        splits = np.array(["; ".join(t) for t in zip(*delen)], dtype=object)
    else:
        splits = np.full(len(ruw), "", dtype=object)
    waarden = np.column_stack([getallen[k] for k in maten]) if len(ruw) else np.empty((0, len(maten)))
    vl_cel = np.repeat(status_vl[:, None], len(maten), axis=1)

    if status and statuscijfer == "beste":
        # per cell: the definitive figure when filled, else the provisional one
        sleutel = pd.MultiIndex.from_arrays([regio, periode, splits])
        d = pd.DataFrame(waarden[~status_vl], index=sleutel[~status_vl])
        v = pd.DataFrame(waarden[status_vl], index=sleutel[status_vl])
        d = d[~d.index.duplicated()]
        v = v[~v.index.duplicated()]
        alle_sl = d.index.append(v.index).unique()
        dw = d.reindex(alle_sl).to_numpy()
        vw = v.reindex(alle_sl).to_numpy()
        vl_cel = np.isnan(dw) & ~np.isnan(vw)
        waarden = np.where(vl_cel, vw, dw)
        regio, periode, splits = (np.asarray(alle_sl.get_level_values(i), dtype=object) for i in range(3))

    n, m = waarden.shape
    rij = np.tile(np.arange(n), m)  # measure-major, like DataFrame.melt
    maat = np.repeat(np.arange(m), n)
    waarde = waarden.T.ravel()
    perioden = {p: _parse(p) for p in pd.unique(periode)}
    per = periode[rij]
    regios = {r: (normaliseer_regio(r), regio_soort(r)) for r in pd.unique(regio)}
    reg = regio[rij]
    codes = _codes(tabel_id, maten)
    eenheden = np.array([_eenheid(tabel_id, k, meta) for k in maten], dtype=object)
    breuk = OPVOLGERS.get(tabel_id)

    def _kol(mapping: dict, sleutels: np.ndarray, i: int):
        return np.array([mapping[k][i] for k in pd.unique(sleutels)], dtype=object)[
            pd.factorize(sleutels)[0]
        ]

    eenheid = eenheden[maat]
    uit = pd.DataFrame(
        {
            "gemeente": pd.array(_kol(regios, reg, 0), dtype="str"),
            "wijkteam": TOTAAL,
            "periode_start": pd.to_datetime(_kol(perioden, per, 0)).astype("datetime64[ns]"),
            "periode_eind": pd.to_datetime(_kol(perioden, per, 1)).astype("datetime64[ns]"),
            "indicator": pd.array(np.array([codes[k] for k in maten], dtype=object)[maat], dtype="str"),
            "uitsplitsing": pd.array(splits[rij], dtype="str"),
            "teller": np.where(eenheid == "aantal", waarde, np.nan),
            "noemer": np.nan,
            "waarde": waarde,
            "ondergrens": np.nan,
            "bovengrens": np.nan,
            "methode": f"CBS StatLine {tabel_id}",
            "regio": pd.array(reg, dtype="str"),
            "regio_soort": pd.array(_kol(regios, reg, 1), dtype="str"),
            "periodesoort": pd.array(_kol(perioden, per, 3), dtype="str"),
            "tabel_id": tabel_id,
            "cbs_kolom": pd.array(np.array(maten, dtype=object)[maat], dtype="str"),
            "eenheid": pd.array(eenheid, dtype="str"),
            "voorlopig": _kol(perioden, per, 2).astype(bool) | vl_cel.T.ravel(),
            "reeks": tabel_id,
            "breuk_voor": pd.Series(
                pd.Timestamp(breuk[1]) if breuk else pd.NaT, index=range(n * m)
            ).astype("datetime64[ns]"),
        },
        columns=list(INDICATOR_KOLOMMEN) + list(CBS_KOLOMMEN),
    )
    volgorde = np.lexsort(
        [
            pd.factorize(uit[k], sort=True)[0]
            for k in reversed(
                ("regio_soort", "gemeente", "indicator", "uitsplitsing", "periode_start", "periode_eind")
            )
        ]
    )
    uit = uit.take(volgorde).reset_index(drop=True)
    uit.attrs = {"tabel_id": tabel_id, "tekstkolommen": tekst, "bron": str(pad or "cbsodata")}
    return uit


def lees_map(map, patroon: str = "*NED*.csv") -> dict[str, pd.DataFrame]:
    """Read every StatLine CSV under ``map`` (recursively) with :func:`lees_statline`.

    Returns
    -------
    dict
        ``{tabel_id: DataFrame}`` in file-name order; columns as in :func:`lees_statline`.
    """
    uit = {}
    for pad in sorted(Path(map).rglob(patroon)):
        df = lees_statline(pad)
        uit[df.attrs["tabel_id"]] = df
    return uit


# ---------------------------------------------------------------------------
# Herindelingen and peer groups
# ---------------------------------------------------------------------------


def gemeenten_in_alle_perioden(df: pd.DataFrame, indicator: str | None = None) -> list[str]:
    """Gemeenten with a value in every period of ``df`` (optionally for one indicator).

    Gemeenten that merged (herindeling) stop having values and new gemeenten start
    later; both drop out here. Nothing is imputed or stitched together.

    Returns
    -------
    list of str
        Sorted gemeente names (``regio_soort == "gemeente"``) that have a non-missing
        ``waarde`` in each distinct (``periode_start``, ``periode_eind``) present.
    """
    d = df if indicator is None else df[df["indicator"] == indicator]
    if d.empty:
        return []
    perioden = d[["periode_start", "periode_eind"]].drop_duplicates()
    g = d[(d["regio_soort"] == "gemeente") & d["waarde"].notna()]
    aantal = g.drop_duplicates(["gemeente", "periode_start", "periode_eind"]).groupby("gemeente").size()
    return sorted(aantal[aantal == len(perioden)].index.astype(str))


def vergelijkbare_gemeenten(
    df: pd.DataFrame | None,
    gemeente: str,
    *,
    inwoners: Mapping[str, float] | pd.Series | None = None,
    n: int = 10,
    periode: str | pd.Timestamp | None = None,
    indicator: str = "inwoners",
) -> pd.DataFrame:
    """The ``n`` gemeenten closest in number of inwoners (a size-based peer group).

    Parameters
    ----------
    df : DataFrame or None
        Output of :func:`lees_statline` holding ``indicator`` (85383NED has
        ``inwoners`` per gemeente). Ignored when ``inwoners`` is given.
    gemeente : str
        The gemeente to find peers for (normalised name, e.g. ``"Amersfoort"``).
    inwoners : mapping or Series, optional
        ``{gemeente: inwoners}``, instead of ``df``.
    n : int
        Number of peers.
    periode : str or Timestamp, optional
        ``periode_start`` to use; default the latest period in which ``gemeente`` has a
        value (only gemeenten with a value in that period take part).
    indicator : str
        Indicator code holding the population.

    Returns
    -------
    DataFrame
        ``n`` rows (fewer if there are not enough gemeenten), closest first: ``gemeente``,
        ``inwoners``, ``verhouding`` (inwoners / inwoners of ``gemeente``), ``afstand``
        (``|ln verhouding|``), ``rang`` (1 = closest). ``attrs["periode"]`` holds the period.

    Notes
    -----
    Distance is ``|ln(x / x0)|``: a gemeente half as big counts as far away as one twice
    as big. CBS/VNG "vergelijkbare gemeenten" on waarstaatjegemeente.nl use size classes;
    this is the continuous counterpart. Our own code: no library offers it.
    """
    periode_gebruikt = None
    if inwoners is None:
        if df is None:
            raise ValueError("geef df (met inwoners per gemeente, bv. 85383NED) of inwoners op")
        d = df[(df["indicator"] == indicator) & (df["regio_soort"] == "gemeente")]
        d = d[d["uitsplitsing"] == ""] if (d["uitsplitsing"] == "").any() else d
        d = d[d["waarde"].notna()]
        if d.empty:
            raise ValueError(f"geen waarden voor indicator {indicator!r} per gemeente gevonden")
        if periode is None:
            eigen = d[d["gemeente"] == gemeente]
            if eigen.empty:
                raise ValueError(f"gemeente {gemeente!r} heeft geen {indicator} in deze gegevens")
            periode_gebruikt = eigen["periode_start"].max()
        else:
            periode_gebruikt = pd.Timestamp(periode)
        d = d[d["periode_start"] == periode_gebruikt]
        reeks = d.drop_duplicates("gemeente").set_index("gemeente")["waarde"]
    else:
        reeks = pd.Series(inwoners, dtype="float64").dropna()
    if gemeente not in reeks.index:
        raise ValueError(f"gemeente {gemeente!r} komt niet voor in de inwonertallen")
    x0 = float(reeks[gemeente])
    if not x0 > 0:
        raise ValueError(f"gemeente {gemeente!r} heeft geen positief aantal inwoners")
    anderen = reeks.drop(gemeente)
    anderen = anderen[anderen > 0]
    uit = pd.DataFrame(
        {"gemeente": anderen.index.astype(str), "inwoners": anderen.to_numpy(dtype=float)}
    )
    uit["verhouding"] = uit["inwoners"] / x0
    uit["afstand"] = np.abs(np.log(uit["verhouding"]))
    uit = uit.sort_values(["afstand", "gemeente"], kind="stable").head(n).reset_index(drop=True)
    uit["rang"] = np.arange(1, len(uit) + 1)
    uit.attrs["periode"] = periode_gebruikt
    return uit


# ---------------------------------------------------------------------------
# Trend breaks between table generations
# ---------------------------------------------------------------------------

_SLEUTEL = ("gemeente", "wijkteam", "indicator", "uitsplitsing", "periodesoort")


def controleer_reeks(df: pd.DataFrame, sleutel: Iterable[str] = _SLEUTEL) -> pd.DataFrame:
    """Refuse a selection in which one series comes from more than one table generation.

    Call this before fitting a trend or forecast on CBS figures. A series (one
    ``sleutel`` combination) that draws on two tables (``reeks``) crosses a trend break
    (e.g. 82968NED up to 2020, 85094NED from 2021) or mixes unrelated tables.

    Returns
    -------
    DataFrame
        ``df`` itself, unchanged, when every series has one ``reeks``.

    Raises
    ------
    ReeksbreukFout
        Dutch message naming the series, the tables and the break date.
    """
    kol = [k for k in sleutel if k in df.columns]
    if "reeks" not in df.columns:
        raise ReeksbreukFout("kolom 'reeks' ontbreekt: lees CBS-tabellen met lees_statline")
    aantal = df.groupby(kol, dropna=False)["reeks"].nunique()
    fout = aantal[aantal > 1]
    if fout.empty:
        return df
    regels = []
    for sl in list(fout.index)[:5]:
        sl = sl if isinstance(sl, tuple) else (sl,)
        masker = np.logical_and.reduce([df[k] == v for k, v in zip(kol, sl)])
        deel = df[masker]
        stukken = []
        for r, g in deel.groupby("reeks"):
            stukken.append(
                f"{r} ({g['periode_start'].min():%Y-%m-%d} t/m {g['periode_eind'].max():%Y-%m-%d})"
            )
        breuken = deel["breuk_voor"].dropna().unique() if "breuk_voor" in deel else []
        soort = (
            f"reeksbreuk vóór {pd.Timestamp(min(breuken)):%Y-%m-%d}"
            if len(breuken)
            else "verschillende CBS-tabellen"
        )
        regels.append(f"  - {', '.join(str(v) for v in sl if v != '')}: {' en '.join(stukken)}; {soort}")
    meer = f"\n  ... en nog {len(fout) - 5} reeksen" if len(fout) > 5 else ""
    raise ReeksbreukFout(
        "Een trend over een reeksbreuk heen is niet toegestaan: deze reeksen komen uit meer dan "
        "één CBS-tabel(generatie):\n" + "\n".join(regels) + meer + "\n"
        "Analyseer elke reeks apart (markeer_reeksbreuken geeft per reeks een segmentnummer)."
    )


def markeer_reeksbreuken(df: pd.DataFrame, sleutel: Iterable[str] = _SLEUTEL) -> pd.DataFrame:
    """Number the table generations within each series instead of refusing them.

    Returns
    -------
    DataFrame
        A copy of ``df`` sorted by series and ``periode_start``, with two extra columns:
        ``segment`` (int, 0 for the oldest generation of the series, 1 after the first
        break, ...) and ``na_breuk`` (bool, True on the first period of every segment
        after the first: draw the break there, fit nothing across it).
    """
    kol = [k for k in sleutel if k in df.columns]
    uit = df.sort_values([*kol, "periode_start"], kind="stable").copy()
    eerste = uit.groupby([*kol, "reeks"], dropna=False)["periode_start"].transform("min")
    uit["_eerste"] = eerste
    uit["segment"] = (
        uit.groupby(kol, dropna=False)["_eerste"].rank(method="dense").astype(int) - 1
    )
    uit["na_breuk"] = (uit["segment"] > 0) & (uit["periode_start"] == uit["_eerste"])
    return uit.drop(columns="_eerste").reset_index(drop=True)


# ---------------------------------------------------------------------------
# Download and test fixture
# ---------------------------------------------------------------------------


def download(tabel_id: str, out, *, catalog_url: str | None = None) -> Path:
    """Download a StatLine table with ``cbsodata`` and write it next to its metadata.

    Writes into ``out`` (created if needed):

    - ``<tabel_id>.csv`` -- ``cbsodata.get_data(tabel_id, typed=True)``, dimension
      values as titles, ``;``-separated, UTF-8 with BOM (the format of ../shared);
    - ``<tabel_id>.DataProperties.json`` -- ``cbsodata.get_meta(tabel_id,
      "DataProperties")`` (keys, titles, units; read back by :func:`lees_statline`);
    - ``<tabel_id>_SOURCE.txt`` -- title, table info, retrieval time, licence note.

    Returns
    -------
    Path
        The CSV file.

    Raises
    ------
    RuntimeError
        Dutch message when cbsodata is missing or the download fails (no network).
    """
    try:
        import cbsodata
    except ImportError as e:  # pragma: no cover - cbsodata is a dependency
        raise RuntimeError("het pakket 'cbsodata' is niet geïnstalleerd (pip install cbsodata)") from e
    tabel_id = str(tabel_id).strip()
    out = Path(out)
    try:
        data = cbsodata.get_data(tabel_id, typed=True, catalog_url=catalog_url)
        eigenschappen = cbsodata.get_meta(tabel_id, "DataProperties", catalog_url=catalog_url)
        info = cbsodata.get_info(tabel_id, catalog_url=catalog_url) or {}
    except Exception as e:  # requests/HTTP errors of every kind
        raise RuntimeError(f"downloaden van CBS-tabel {tabel_id} mislukt: {e}") from e
    out.mkdir(parents=True, exist_ok=True)
    csv = out / f"{tabel_id}.csv"
    pd.DataFrame(data).to_csv(csv, sep=";", index=False, encoding="utf-8-sig")
    (out / f"{tabel_id}.DataProperties.json").write_text(
        json.dumps(eigenschappen, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    try:
        versie = __import__("importlib.metadata").metadata.version("cbsodata")
    except Exception:  # pragma: no cover
        versie = "?"
    regels = [
        f"SOURCE — CBS StatLine {tabel_id}: {info.get('Title', '(titel onbekend)')}",
        "=" * 72,
        f"Opgehaald:   {_dt.datetime.now().isoformat(timespec='seconds')} met cbsodata {versie}",
        f"Catalogus:   {catalog_url or 'opendata.cbs.nl'}",
        f"Bestand:     {csv.name} ({len(data)} rijen); eenheden in {tabel_id}.DataProperties.json",
        f"Periode:     {info.get('Period', '?')}",
        f"Gewijzigd:   {info.get('Modified', '?')}",
        f"Status:      {info.get('Status', '?')}",
        f"Toelichting: {info.get('ShortDescription', '') or info.get('Summary', '')}".rstrip(),
        "Licentie:    CBS open data, CC BY 4.0 — vermeld 'Bron: CBS'.",
        "Lege cel = geheim/onderdrukt of niet geleverd; aantallen afgerond op veelvouden van 5;",
        "de laatste perioden zijn vaak voorlopig (*) en worden door CBS herzien.",
    ]
    (out / f"{tabel_id}_SOURCE.txt").write_text("\n".join(regels) + "\n", encoding="utf-8")
    return csv


#: Default gemeenten of :func:`maak_testfixture`: a mid-size and large gemeenten (one
#: with "(gemeente)" in its StatLine title), and Aalburg/Altena (herindeling 2019).
FIXTURE_GEMEENTEN: tuple[str, ...] = (
    "Amersfoort",
    "Utrecht",
    "'s-Gravenhage",
    "Zwolle",
    "Aalburg",
    "Altena",
)
FIXTURE_AGGREGATEN: tuple[str, ...] = ("nederland", "landsdeel", "provincie", "gemeentegrootte")


def maak_testfixture(
    cbs_map,
    out_map,
    gemeenten: Iterable[str] = FIXTURE_GEMEENTEN,
    aggregaten: Iterable[str] = FIXTURE_AGGREGATEN,
) -> Path:
    """Write a small copy of the CBS extracts: a few gemeenten + aggregates, all periods.

    Meant for tests (e.g. the notebook test), at test time, into a temporary folder:
    no CBS data is committed. Every ``*NED*.csv`` under ``cbs_map`` is filtered on its
    region column and written under the same relative path and name, in the same
    format (``;``, UTF-8 with BOM, all columns and periods), so :func:`lees_statline`
    and :func:`lees_map` read it like the original. ``SOURCE.txt`` files are copied
    with a line saying the folder is a derived subset.

    Parameters
    ----------
    gemeenten : iterable of str
        Normalised gemeente names to keep (``"Utrecht"`` keeps ``"Utrecht (gemeente)"``).
    aggregaten : iterable of str
        Region types (:func:`regio_soort`) to keep as well.

    Returns
    -------
    Path
        ``out_map``.

    Name note: not ``test_fixture``, so that pytest does not collect it as a test.
    """
    cbs_map, out_map = Path(cbs_map), Path(out_map)
    gem = {normaliseer_regio(g) for g in gemeenten}
    agg = set(aggregaten)
    for pad in sorted(cbs_map.rglob("*NED*.csv")):
        ruw = _lees_csv(pad)
        regiokol = next((k for k in _REGIOKOLOMMEN if k in ruw.columns), None)
        if regiokol is None:
            continue
        titels = ruw[regiokol].astype(str)
        uniek = titels.unique()
        houden = {
            t for t in uniek
            if (regio_soort(t) == "gemeente" and normaliseer_regio(t) in gem)
            or regio_soort(t) in agg
        }
        doel = out_map / pad.relative_to(cbs_map)
        doel.parent.mkdir(parents=True, exist_ok=True)
        ruw[titels.isin(houden)].to_csv(doel, sep=";", index=False, encoding="utf-8-sig")
    for bron in sorted(cbs_map.rglob("SOURCE.txt")):
        doel = out_map / bron.relative_to(cbs_map)
        doel.parent.mkdir(parents=True, exist_ok=True)
        doel.write_text(
            "AFGELEIDE TESTFIXTURE (monitoranalyse.opendata.cbs.maak_testfixture): alleen de gemeenten "
            f"{sorted(gem)} en de regiosoorten {sorted(agg)}.\n\n"
            + bron.read_text(encoding="utf-8"),
            encoding="utf-8",
        )
    return out_map


# ---------------------------------------------------------------------------
# Issue 15: CBS Kerncijfers wijken en buurten (KWB) as context per wijk
# ---------------------------------------------------------------------------

#: File name of a KWB extract in a dataset folder (CBS column names, one row per wijk/year).
KWB_BESTAND = "kwb_wijken.csv"  # one of contract.BIJBESTANDEN


def kwb_in_map(map_) -> Path | None:
    """The KWB extract (:data:`KWB_BESTAND`) of a dataset folder, or None."""
    if not map_:
        return None
    pad = Path(map_) / KWB_BESTAND
    return pad if pad.is_file() else None


def _kwb_getal(s: pd.Series) -> pd.Series:
    """CBS KWB cells: empty, ".", "x", "?" are suppressed/not delivered (NaN), "-" is nihil."""
    t = s.astype("string").str.strip()
    t = t.mask(t.isin([".", "x", "?", ""]).fillna(False).astype(bool))
    t = t.mask((t == "-").fillna(False).astype(bool), "0")
    return pd.to_numeric(t.str.replace(",", ".", regex=False), errors="coerce")


def lees_kwb_wijken(pad) -> pd.DataFrame:
    """Read a KWB extract (CBS short column names) as context figures per wijk and year.

    Accepts the CBS file as published and the extract in ``../shared/data/cbs/wijken``
    (KWB joined with jeugdzorg in natura per wijk): columns ``gwb_code_10`` (or
    ``gwb_code``), ``regio``, ``a_inw``, ``a_00_14``, ``a_15_24``, ``a_65_oo``,
    ``TotaalJongerenMetJeugdzorgInNatura_1`` (optional) and ``year`` (or ``jaar``). Rows
    that are not a wijk (``recs`` Land/Gemeente, codes not starting with WK) are dropped.

    Returns
    -------
    DataFrame
        ``wijkcode, cbs_wijknaam, jaar, cbs_inwoners, aandeel_0_14, aandeel_15_24,
        aandeel_65_plus`` (fractions of a_inw) and ``jeugdzorg_per_1000`` (jongeren met
        jeugdzorg in natura per 1.000 inwoners of the wijk: CBS counts young people up to
        23 years, KWB has no age band that matches, so the whole population is the base).
    """
    df = pd.read_csv(pad, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                     sep=None, engine="python")
    code = df["gwb_code_10"] if "gwb_code_10" in df.columns else df["gwb_code"]
    code = code.astype("string").str.strip().str.upper()
    houd = code.str.match(r"^WK\d{6}$").fillna(False)
    if "recs" in df.columns:
        houd &= df["recs"].astype("string").str.strip().str.lower().isin(["wijk"])
    df, code = df[houd.to_numpy()], code[houd]
    jaar = df["year"] if "year" in df.columns else df["jaar"]
    inw = _kwb_getal(df["a_inw"])
    uit = pd.DataFrame({
        "wijkcode": code.to_numpy(),
        "cbs_wijknaam": df["regio"].astype("string").str.strip().to_numpy() if "regio" in df else pd.NA,
        "jaar": pd.to_numeric(jaar, errors="coerce").astype("Int64").to_numpy(),
        "cbs_inwoners": inw.to_numpy(),
    })
    with np.errstate(divide="ignore", invalid="ignore"):
        for kol, naam in (("a_00_14", "aandeel_0_14"), ("a_15_24", "aandeel_15_24"), ("a_65_oo", "aandeel_65_plus")):
            uit[naam] = (_kwb_getal(df[kol]) / inw).to_numpy() if kol in df.columns else np.nan
        jz = "TotaalJongerenMetJeugdzorgInNatura_1"
        uit["jeugdzorg_per_1000"] = (_kwb_getal(df[jz]) / inw * 1000).to_numpy() if jz in df.columns else np.nan
    return uit.sort_values(["wijkcode", "jaar"]).reset_index(drop=True)


def wijk_context(eigen: pd.DataFrame, wijken: pd.DataFrame, kwb: pd.DataFrame, *, jaar: int | None = None
                 ) -> pd.DataFrame:
    """The team's own per-wijk figures beside CBS's figures for the same wijk.

    Parameters
    ----------
    eigen : DataFrame
        One row per wijk (column ``wijk``) with the team's own RELEASED figures (e.g.
        :func:`monitoranalyse.rapport.kaart.wijk_tabel`).
    wijken : DataFrame
        The contract table ``wijken`` (gemeente, wijk, jaar, inwoners, wijkcode): gives the
        wijkcode of each wijk (the join key).
    kwb : DataFrame
        :func:`lees_kwb_wijken`.
    jaar : int, optional
        KWB year; default the latest year in ``kwb`` for these wijkcodes.

    Returns
    -------
    DataFrame
        ``eigen`` with ``wijkcode``, ``CBS-jaar`` and the CBS columns (Dutch headers, Dutch
        formatting); wijken without a code or without a CBS row keep empty CBS cells.
    """
    codes = (wijken.dropna(subset=["wijkcode"]).assign(wijk=lambda d: d["wijk"].astype(str).str.strip(),
                                                       wijkcode=lambda d: d["wijkcode"].astype(str).str.strip().str.upper())
             .drop_duplicates("wijk")[["wijk", "wijkcode"]]) if "wijkcode" in wijken.columns else \
        pd.DataFrame(columns=["wijk", "wijkcode"])
    k = kwb[kwb["wijkcode"].isin(set(codes["wijkcode"]))]
    if jaar is None and len(k):
        jaar = int(k["jaar"].max())
    k = k[k["jaar"] == jaar] if jaar is not None else k.iloc[0:0]
    uit = eigen.merge(codes, on="wijk", how="left").merge(k, on="wijkcode", how="left")

    def fmt(v, procent=False):
        if pd.isna(v):
            return ""
        return (f"{v * 100:.0f}%" if procent else f"{v:,.1f}".replace(",", "X").replace(".", ",").replace("X", "."))

    uit["CBS-jaar"] = "" if jaar is None else str(jaar)
    uit["inwoners (CBS)"] = [fmt(v).removesuffix(",0") for v in uit["cbs_inwoners"]]
    uit["0-14 jaar (CBS)"] = [fmt(v, True) for v in uit["aandeel_0_14"]]
    uit["65+ (CBS)"] = [fmt(v, True) for v in uit["aandeel_65_plus"]]
    uit["jongeren met jeugdzorg per 1.000 inwoners (CBS)"] = [fmt(v) for v in uit["jeugdzorg_per_1000"]]
    weg = ["cbs_wijknaam", "jaar", "cbs_inwoners", "aandeel_0_14", "aandeel_15_24", "aandeel_65_plus",
           "jeugdzorg_per_1000"]
    return uit.drop(columns=[c for c in weg if c in uit.columns]).fillna({"wijkcode": ""})

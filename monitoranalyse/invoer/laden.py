"""Stage 1: load and validate a dataset folder into :class:`Monitordata`.

A dataset is a folder with one file per table, named after the table
(``trajecten.csv``, ``inzet.xlsx``, ``zrm.parquet``, ...). Only ``trajecten`` is
required. The dialect of each file is *detected*, never configured:

* separator ``;`` or ``,`` (counted on the header line);
* decimal comma with thousands dot (``1.234,56``) or decimal point (``1234.56``);
  unambiguous values are read as written, ambiguous ones (``1.234``) follow the
  dialect of the file (the majority of unambiguous numbers, else the separator:
  ``;`` means Dutch notation);
* dates ``dd-mm-jjjj`` / ``dd/mm/jjjj`` and ISO ``jjjj-mm-dd`` (optionally with a
  time part, which is dropped); Excel cells that are dates are used as dates;
* UTF-8 with or without BOM, else Windows-1252.

Everything is read as text first (ids keep their leading zeros), stripped, and then
converted per contract type. Per-column rules are checked with a pandera
``DataFrameSchema`` (``lazy=True``; its ``failure_cases`` become quarantine rows);
cross-row and cross-table rules with pandas. Every problem is one row in the
quarantine; a record with at least one problem is left out of the canonical tables,
so that ``rijen_gelezen == rijen_gebruikt + rijen_quarantaine`` per table.
Completely empty lines (e.g. ``;;;;`` at the end of an Excel export) are not records:
they are skipped and counted in the extra herkomst column ``rijen_leeg``.

Structural problems (no trajecten, a missing required column, an unreadable file,
two files for one table, an ambiguous team name) raise :class:`InvoerFout`.

Engines, chosen by measurement (issue 16; ``benchmarks/bench_laden.py`` on
``voorbeelddata --schaal 100``: 1.0 M trajecten, 1.9 M inzet, 27 M ZRM rows; the profile of
the row-wise loader: pandera's per-cell checks and the factorizing behind them ≈ 1/3 of the
time, reading + converting to text ≈ 1/3 — the ZRM parquet alone ≈ 30 s because its dates came
out of ``pd.read_parquet`` as 27 M ``datetime.date`` objects and were formatted back to text —
and ``DataFrame.duplicated`` on the ZRM key ≈ 15 %):

* The text frame is *categorical*: per column the codes into its distinct stripped texts, not
  a string per cell. Every per-cell rule and parse (missing-value tokens, control characters,
  BSN, dates, numbers, categories) runs once per distinct value — vectorised in Arrow where
  the semantics are provably the same (RE2 for the control-character class, ASCII lowering
  for ASCII values), Python only for the rare rest — and is spread over the rows by the codes.
  The 27 M ZRM rows have about 2.200 distinct dates and 13 domains. Messages, row numbers and
  the row accounting are unchanged (same rules, same order, same texts).
* CSV: pyarrow's multithreaded reader, every column dictionary-encoded, for plain UTF-8
  files (no quote character, NUL or bare CR, every line as many fields as the header). Any
  other file (quotes, Windows-1252, ragged lines) goes through the pandas C reader exactly as
  before, so the Dutch messages about a broken line are the same. The pandas reader with
  ``dtype=str`` made 28 M Python strings for the two big CSVs.
* Parquet: pyarrow reads text columns as dictionaries (``read_dictionary``) and encodes the
  others; the typed column the contract wants is rebuilt from the codes as
  ``pd.read_parquet`` would give it.
* Duplicate keys: one int64 key from per-column codes, duplicates found by sorting (an export
  sorted by its key needs no sort) — hashing 27 M keys (``duplicated``) cost more than a sort.
* Canonical text columns come from Arrow's dictionary cast (no Python object per row).
* pandera still runs the per-column rules (its ``failure_cases`` become quarantine rows): the
  checks it calls are the vectorised functions above. DuckDB/polars were not needed for the
  loader: what remained slow was per-cell Python work, not joins.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_
import pyarrow.compute as pc

from monitoranalyse.invoer import bsn as _bsn
from monitoranalyse.config import MonitorConfig, lees_config
from monitoranalyse.contract import (
    BIJBESTANDEN,
    LEEFTIJDSGROEP,
    WIJKCODE,
    EXTENSIES,
    HERKOMST_KOLOMMEN,
    QUARANTAINE_KOLOMMEN,
    REGELS,
    TABELLEN,
    ID_TOKEN,
    SLEUTEL_IN_MELDING,
    TOTAAL,
    Kolom,
    Tabel,
)
from monitoranalyse.invoer.monitordata import InvoerFout, Monitordata, vertaal_os_fout

__all__ = ["laad", "verslag_validatie", "is_bsn", "maskeer_bsn", "MAX_PER_REGEL", "ONTBREKEND",
           "DATUM_MIN", "DATUM_MAX"]

_log = logging.getLogger(__name__)

#: Without ``details`` the report lists at most this many problems per table and rule.
MAX_PER_REGEL = 50

#: Tables whose rows belong to a team and get a filled ``gemeente`` column.
_TEAMTABELLEN = ("formatie", "enquete", "bevolking", "toelichting", "personeel")
#: Processing order: trajecten first (other tables refer to it).
_VOLGORDE = ("trajecten", "inzet", "zrm", "formatie", "enquete", "bevolking", "personeel",
             "begroting", "wijken", "toelichting")
#: Euro columns: a negative value is ``negatieve_kosten`` (not ``buiten_bereik``).
_BEDRAGKOLOMMEN = ("kosten", "teamkosten", "begroot", "gerealiseerd")
#: Files in a dataset folder that are known but not tables.
_BEKENDE_BESTANDEN = {"monitor.toml", *BIJBESTANDEN}

# ---------------------------------------------------------------------------
# BSN: one detector for the loader and the output guard (monitoranalyse.invoer.bsn)
# ---------------------------------------------------------------------------


#: Which values are, as a whole, a BSN in any notation (Series of bool, same index).
is_bsn = _bsn.is_bsn_reeks
#: Replace every BSN-like number (any notation) by ``*******`` + its last 2 digits.
maskeer_bsn = _bsn.maskeer


#: Written-out "no value" in exports: treated as an empty cell (so a required column
#: with one of these gets ``verplicht_leeg``). Compared after stripping, case-insensitive.
ONTBREKEND = ("null", "none", "nan", "nat", "<na>", "na", "n/a", "n.a.", "n.v.t.", "nvt", "n.b.",
              "nb", "#n/b", "#n/a", "#nv", "-", "--", "?", "onbekend", "leeg", "(leeg)", "missing")

#: Dates outside this window are refused (``onwaarschijnlijke_datum``): a fixed window
#: (not relative to today) so that the same input always gives the same figures.
DATUM_MIN = pd.Timestamp("1990-01-01")
DATUM_MAX = pd.Timestamp("2099-12-31")

# control characters (C0/C1 except tab, line breaks inside quoted cells count too) and
# the invisible format characters that make two names look identical
_STUURTEKEN = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"


def _zichtbaar(tekst: str) -> str:
    """Control characters as ``\\xNN`` / ``\\uNNNN`` so a message shows what is there."""
    return re.sub(
        _STUURTEKEN + r"|[\n\r\t]",
        lambda m: f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 256 else f"\\u{ord(m.group(0)):04x}",
        tekst,
    )


# ---------------------------------------------------------------------------
# Reading files (everything as text)
# ---------------------------------------------------------------------------


@dataclass
class _Bestand:
    """One table file read as text."""

    tabel: str
    pad: Path
    ruw: pd.DataFrame  # all columns text ("" = missing), stripped, contract names
    bronrij: np.ndarray  # line number per row (header = 1)
    sha256: str
    scheiding: str | None  # csv separator, None for xlsx/parquet
    rijen_leeg: int = 0
    kolomnamen: list[str] = field(default_factory=list)  # as found in the file
    getypeerd: dict[str, pd.Series] = field(default_factory=dict)  # parquet: stored types

    @property
    def naam(self) -> str:
        return self.pad.name


def _normaliseer_kolomnaam(naam) -> str:
    n = str(naam).replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s\-]+", "_", n)


def _decodeer(data: bytes) -> tuple[str, str]:
    try:
        return "utf-8-sig", data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "cp1252", data.decode("cp1252", errors="replace")


def _eerste_regel(tekst: str) -> str:
    """The first non-blank line (as ``str.splitlines`` splits), looking only at a growing prefix."""
    n = 1 << 16
    while True:
        regels = tekst[:n].splitlines()
        heel = n >= len(tekst)
        # the last line of a prefix may be cut off: only a complete line counts
        for r in regels if heel else regels[:-1]:
            if r.strip():
                return r
        if heel:
            return ""
        n *= 8


def _scheidingsteken(tekst: str) -> str:
    kop = _eerste_regel(tekst)
    tellingen = {s: kop.count(s) for s in (";", ",", "\t")}
    beste = max(tellingen, key=tellingen.get)
    return beste if tellingen[beste] > 0 else ","


def _soort_bestand(pad: Path, data: bytes) -> None:
    """Refuse a .csv that is really something else, saying what it is."""
    kop = data[:8]
    if kop.startswith(b"PK\x03\x04"):
        raise InvoerFout(
            f"{pad.name} is geen tekstbestand maar een Excel-werkmap (.xlsx, een zip-bestand) met de "
            f"extensie .csv. Hernoem het naar {pad.stem}.xlsx, of sla het in Excel op als "
            "'CSV UTF-8 (door lijstscheidingsteken gescheiden)'."
        )
    if kop.startswith(b"\xd0\xcf\x11\xe0"):
        raise InvoerFout(
            f"{pad.name} is geen tekstbestand maar een oud Excel-bestand (.xls) met de extensie .csv. "
            "Sla het in Excel op als .xlsx of als 'CSV UTF-8'."
        )
    if kop.startswith(b"PAR1"):
        raise InvoerFout(
            f"{pad.name} is een Parquet-bestand met de extensie .csv. Hernoem het naar {pad.stem}.parquet."
        )
    proef = data[:4096]
    if proef.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        len(proef) >= 4 and proef.count(b"\x00") > len(proef) // 4
    ):
        raise InvoerFout(
            f"{pad.name} is opgeslagen als UTF-16 ('Unicode-tekst' in Excel); de kolomnamen zijn zo niet "
            "te lezen. Sla het bestand op als 'CSV UTF-8 (door lijstscheidingsteken gescheiden)' of "
            "als .xlsx."
        )


def _lees_csv(pad: Path, data: bytes) -> tuple[pd.DataFrame, str]:
    _soort_bestand(pad, data)
    codering, tekst = _decodeer(data)
    sep = _scheidingsteken(tekst)
    opties = dict(sep=sep, dtype=str, encoding=codering, encoding_errors="replace",
                  keep_default_na=False, na_filter=False)
    try:
        # the header as written: pandas would silently rename a second "client_id" to "client_id.1"
        kop = pd.read_csv(io.BytesIO(data), header=None, nrows=1, **opties)
        if codering == "utf-8-sig" and len(kop):
            df = _lees_csv_arrow(data, sep, [str(k) for k in kop.iloc[0].tolist()])
            if df is not None:
                return df, sep
        df = pd.read_csv(io.BytesIO(data), skip_blank_lines=False, **opties)
    except pd.errors.EmptyDataError:
        raise InvoerFout(f"{pad.name} is leeg: er staat geen kopregel met kolomnamen in.") from None
    except pd.errors.ParserError as e:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(e))
        if m:
            raise InvoerFout(
                f"{pad.name} kan niet gelezen worden: regel {m.group(2)} heeft {m.group(3)} velden "
                f"waar de kopregel er {m.group(1)} heeft (scheidingsteken '{sep}'). Controleer "
                "scheidingstekens en aanhalingstekens in die regel.",
                details=str(e),
            ) from None
        raise InvoerFout(
            f"{pad.name} kan niet gelezen worden als CSV (scheidingsteken '{sep}'): de opbouw van "
            "regels en aanhalingstekens klopt niet.",
            details=str(e),
        ) from None
    except (ValueError, UnicodeError, OverflowError) as e:
        raise InvoerFout(f"{pad.name} kan niet gelezen worden als CSV.", details=f"{type(e).__name__}: {e}") from None
    if not isinstance(df.index, pd.RangeIndex):
        # pandas turns surplus fields of the first data line(s) into an index
        raise InvoerFout(
            f"{pad.name} kan niet gelezen worden: regel 2 heeft meer velden dan de kopregel "
            f"({len(df.columns)} velden, scheidingsteken '{sep}'). Controleer scheidingstekens "
            "en aanhalingstekens in die regel."
        )
    namen = [str(k) for k in kop.iloc[0].tolist()] if len(kop) else []
    if len(namen) == len(df.columns):
        df = df.set_axis(namen, axis=1)
    return df.fillna(""), sep


def _lees_csv_arrow(data: bytes, sep: str, namen: list[str]) -> pd.DataFrame | None:
    """The fast path of :func:`_lees_csv`: pyarrow's multithreaded CSV reader, each column
    dictionary-encoded (categorical text). Only for files where it gives exactly what the pandas
    reader gives: UTF-8, no quote characters, no NUL, line ends ``\\n`` or ``\\r\\n``, and every
    line with as many fields as the header (pyarrow refuses anything else: ``None``, and the
    pandas reader, with its Dutch messages about the offending line, takes over).
    """
    import pyarrow.csv as pcsv

    if b'"' in data or b"\x00" in data or data.count(b"\r") != data.count(b"\r\n"):
        return None
    eerste = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    eerste = eerste.split(b"\n", 1)[0].removesuffix(b"\r")
    if eerste.decode("utf-8", errors="replace") != sep.join(namen):
        return None  # the header is not simply the first line
    velden = [f"k{i}" for i in range(len(namen))]
    try:
        tabel = pcsv.read_csv(
            io.BytesIO(data),
            read_options=pcsv.ReadOptions(column_names=velden, skip_rows=1),
            parse_options=pcsv.ParseOptions(delimiter=sep, quote_char=False, double_quote=False,
                                            escape_char=False, ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(column_types={v: pa_.string() for v in velden},
                                                strings_can_be_null=False),
        )
    except (pa_.ArrowInvalid, pa_.ArrowException):
        return None
    if not len(namen):
        return None
    # dictionary-encoded Arrow columns: _tekstkolom takes the codes and distinct values as they are
    kolommen = {i: pd.Series(pd.arrays.ArrowExtensionArray(pc.dictionary_encode(k.combine_chunks())))
                for i, k in enumerate(tabel.columns)}
    return pd.DataFrame(kolommen, copy=False).set_axis(namen, axis=1)


def _cel_als_tekst(v) -> str:
    if v is None:
        return ""
    if isinstance(v, _dt.datetime):
        if v.time() == _dt.time(0):
            return v.date().isoformat()
        return v.isoformat(sep=" ")
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        t = repr(v)
        # "1.234" would be ambiguous in a Dutch-notation file; "1.2340" is not.
        return t + "0" if re.fullmatch(r"-?\d{1,3}\.\d{3}", t) else t
    return str(v)


def _lees_xlsx(pad: Path, data: bytes) -> tuple[pd.DataFrame, np.ndarray]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - any failure means: not a readable workbook
        raise InvoerFout(
            f"{pad.name} kan niet gelezen worden als Excel-bestand (.xlsx): het bestand is beschadigd, "
            "beveiligd met een wachtwoord of geen xlsx.",
            details=f"{type(e).__name__}: {e}",
        ) from None
    try:
        ws = wb.worksheets[0]
        rijen = ws.iter_rows(values_only=True)
        kop = next(rijen, None)
        if kop is None:
            raise InvoerFout(f"{pad.name} is leeg: het eerste werkblad heeft geen kopregel.")
        n = len(kop)
        while n > 0 and kop[n - 1] is None:
            n -= 1
        kop = [_cel_als_tekst(k) for k in kop[:n]]
        waarden, nummers = [], []
        for i, rij in enumerate(rijen, start=2):
            cellen = [_cel_als_tekst(v) for v in rij[:n]]
            cellen += [""] * (n - len(cellen))
            waarden.append(cellen)
            nummers.append(i)
    finally:
        wb.close()
    df = pd.DataFrame(waarden, columns=kop, dtype="str") if waarden else pd.DataFrame(
        {k: pd.Series([], dtype="str") for k in kop}
    )
    return df, np.asarray(nummers, dtype=np.int64)


def _kolom_als_tekst(codes: np.ndarray, uniek: pd.Series) -> pd.Series:
    """A typed (parquet) column, given as codes into its distinct values, as categorical text:
    each distinct value is formatted once."""
    if isinstance(uniek.dtype, pd.DatetimeTZDtype):
        uniek = uniek.dt.tz_localize(None)
    uniek = pd.Index(uniek)
    if pd.api.types.is_datetime64_any_dtype(uniek):
        u = pd.DatetimeIndex(uniek)
        heeft_tijd = bool((u != u.normalize()).any())
        tekst = [x.isoformat(sep=" ") if heeft_tijd else x.date().isoformat() for x in u]
    elif pd.api.types.is_float_dtype(uniek) and len(uniek) and bool(
        np.all(np.isfinite(uniek)) and np.all(np.asarray(uniek) == np.round(uniek))
    ):
        tekst = [str(int(x)) for x in uniek]  # floats that are whole numbers (ids, counts)
    elif pd.api.types.is_string_dtype(uniek) and uniek.dtype != object:
        tekst = uniek  # text as stored (_cel_als_tekst(str) is the text)
    else:
        tekst = [_cel_als_tekst(x.item() if isinstance(x, np.generic) else x) for x in uniek]
    return _categorisch(codes, tekst)  # formatted texts may coincide: merged here


def _parquet_kolom(kolom: pa_.ChunkedArray) -> tuple[np.ndarray, pd.Series]:
    """One parquet column as codes (-1 = missing) into its distinct values, dictionary-encoded
    by Arrow; the distinct values converted to pandas as ``pd.read_parquet`` converts a column."""
    kolom = kolom.combine_chunks() if isinstance(kolom, pa_.ChunkedArray) else kolom
    if not pa_.types.is_dictionary(kolom.type):
        kolom = pc.dictionary_encode(kolom)
    indices = kolom.indices
    codes = (pc.fill_null(indices, -1) if indices.null_count else indices).to_numpy(zero_copy_only=False)
    uniek = kolom.dictionary.to_pandas()
    houd = ~uniek.isna().to_numpy()  # NaN in a float column is missing too (as pd.factorize)
    if not houd.all():
        nieuw = np.full(len(uniek) + 1, -1, dtype=np.int64)  # last slot: code -1 stays -1
        nieuw[:-1][houd] = np.arange(int(houd.sum()))
        codes = nieuw[codes]
        uniek = uniek[houd].reset_index(drop=True)
    return codes, uniek


def _lees_parquet(pad: Path, data: bytes) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """Text frame (categorical) plus the typed columns as they were stored (dates and numbers).

    Every column is dictionary-encoded by Arrow first, so each distinct value is formatted and
    parsed once (a 27-million-row ZRM file has a few thousand dates and 13 domains); the typed
    column is rebuilt from the codes as ``pd.read_parquet`` would give it (integers with a
    missing value become float64, as there).
    """
    import pyarrow.parquet as pq

    try:
        # text columns straight as dictionaries (parquet stores them so): no string per row
        schema = pq.read_schema(io.BytesIO(data))
        tekst_kolommen = [f.name for f in schema if pa_.types.is_string(f.type) or pa_.types.is_large_string(f.type)]
        tabel = pq.read_table(io.BytesIO(data), read_dictionary=tekst_kolommen)
    except Exception as e:  # noqa: BLE001
        raise InvoerFout(
            f"{pad.name} kan niet gelezen worden als Parquet-bestand: het bestand is beschadigd, "
            "onvolledig of geen Parquet.",
            details=f"{type(e).__name__}: {e}",
        ) from None
    # a stored pandas index is not a column of the table (pd.read_parquet restores it as index)
    meta = tabel.schema.pandas_metadata or {}
    index_kolommen = {k for k in meta.get("index_columns", []) if isinstance(k, str)}
    tekst, getypeerd = {}, {}
    for naam, kolom in zip(tabel.column_names, tabel.columns):
        if naam in index_kolommen:
            continue
        codes, uniek = _parquet_kolom(kolom)
        tekst[str(naam)] = _kolom_als_tekst(codes, uniek)
        if pd.api.types.is_datetime64_any_dtype(uniek) or (
            pd.api.types.is_numeric_dtype(uniek) and not pd.api.types.is_bool_dtype(uniek)
        ):
            # as pd.read_parquet: a missing value makes an integer column float64
            getypeerd[str(naam)] = pd.Series(
                pd.api.extensions.take(uniek.to_numpy(), codes, allow_fill=True)
                if isinstance(uniek.dtype, np.dtype) else uniek.array.take(codes, allow_fill=True)
            )
    return pd.DataFrame(tekst, copy=False), getypeerd


def _lees_bestand(tabel: Tabel, pad: Path) -> _Bestand:
    try:
        data = pad.read_bytes()
    except OSError as e:
        raise InvoerFout(
            f"{pad.name} kan niet geopend worden: {vertaal_os_fout(e)}.", details=f"{type(e).__name__}: {e}"
        ) from None
    sha = hashlib.sha256(data).hexdigest()
    ext = pad.suffix.lower()
    sep = None
    getypeerd: dict[str, pd.Series] = {}
    if ext == ".csv":
        df, sep = _lees_csv(pad, data)
        nummers = np.arange(2, len(df) + 2, dtype=np.int64)
    elif ext == ".xlsx":
        df, nummers = _lees_xlsx(pad, data)
    else:
        df, getypeerd = _lees_parquet(pad, data)
        nummers = np.arange(2, len(df) + 2, dtype=np.int64)

    gevonden = [str(k) for k in df.columns]
    namen = [_normaliseer_kolomnaam(k) for k in df.columns]
    contract = {k.naam for k in tabel.kolommen}
    # contract columns get their contract name; extra columns keep theirs
    nieuw = [n if n in contract else str(o).strip() for n, o in zip(namen, df.columns)]
    dubbel = sorted({n for n in nieuw if nieuw.count(n) > 1})
    if dubbel:
        raise InvoerFout(
            f"{pad.name}: de kolom(men) {', '.join(repr(_zichtbaar(d)) for d in dubbel)} staan meer dan "
            "eens in de kopregel. Welke bedoeld is, is niet te raden: verwijder of hernoem de dubbele kolom."
        )
    df = df.set_axis(nieuw, axis=1)
    ontbreekt = [k for k in tabel.verplichte_kolommen if k not in df.columns]
    if ontbreekt:
        wat = "de verplichte kolom" if len(ontbreekt) == 1 else "de verplichte kolommen"
        raise InvoerFout(
            f"{pad.name} mist {wat} {', '.join(repr(k) for k in ontbreekt)}. "
            f"Gevonden kolommen: {', '.join(repr(k) for k in gevonden) or '(geen)'}"
            + (f" (scheidingsteken '{sep}')." if sep else ".")
        )
    ruw = pd.DataFrame({k: _tekstkolom(df[k]) for k in df.columns}, index=pd.RangeIndex(len(df)),
                       copy=False)
    del df
    leeg = (ruw == "").all(axis=1).to_numpy() if len(ruw.columns) else np.ones(len(ruw), bool)
    if leeg.any():
        ruw = ruw.loc[~leeg].reset_index(drop=True)
    hernoem = dict(zip([str(k) for k in gevonden], nieuw))
    getypeerd = {
        hernoem[k]: v.loc[~leeg].reset_index(drop=True) for k, v in getypeerd.items() if k in hernoem
    }
    return _Bestand(
        tabel=tabel.naam,
        pad=pad,
        ruw=ruw,
        bronrij=nummers[~leeg],
        sha256=sha,
        scheiding=sep,
        rijen_leeg=int(leeg.sum()),
        kolomnamen=gevonden,
        getypeerd=getypeerd,
    )


def _arrow_tekst(x) -> pa_.Array:
    """Texts as one Arrow string array without nulls (missing = ""); zero-copy from an
    Arrow-backed ``str`` Index/Series, so a million distinct ids never become Python objects."""
    if isinstance(x, (pd.Index, pd.Series, pd.api.extensions.ExtensionArray)) \
            and isinstance(x.dtype, pd.StringDtype) and x.dtype.storage == "pyarrow":
        a = pa_.array(x)
    elif isinstance(x, (pa_.Array, pa_.ChunkedArray)):
        a = x
    else:
        a = pa_.array(np.asarray(x, dtype=object), type=pa_.string(), from_pandas=True)
    if isinstance(a, pa_.ChunkedArray):
        a = a.combine_chunks()
    if a.type != pa_.string():
        a = a.cast(pa_.string())
    return pc.fill_null(a, "") if a.null_count else a


def _categorisch(codes: np.ndarray, teksten, uniek: bool = False) -> pd.Series:
    """Categorical text column from codes (-1 = missing, becomes "") into ``teksten``.

    Texts that coincide are merged (``uniek``: the caller knows they are distinct), and "" is
    always a category (so ``== ""`` and ``fillna("")`` work on every column). The categories
    are an Arrow-backed ``str`` index."""
    t = _arrow_tekst(teksten)
    codes = np.asarray(codes)
    if uniek:
        leeg = np.flatnonzero(pc.equal(t, "").to_numpy(zero_copy_only=False))
        if len(leeg):
            plek_leeg = int(leeg[0])
        else:
            t = pa_.concat_arrays([t, pa_.array([""], type=pa_.string())])
            plek_leeg = len(t) - 1
        if len(codes) and codes.min() < 0:
            codes = np.where(codes < 0, plek_leeg, codes)
        woorden = t
    else:
        t = pa_.concat_arrays([t, pa_.array([""], type=pa_.string())])
        n = len(t)
        if len(codes) and codes.min() < 0:
            codes = np.where(codes < 0, n - 1, codes)
        d = pc.dictionary_encode(t)
        nieuw = d.indices.to_numpy(zero_copy_only=False)
        # only remap when texts coincided (27 M codes are not copied for nothing)
        if not np.array_equal(nieuw[:-1], np.arange(n - 1)):
            codes = nieuw[codes]
        woorden = d.dictionary
    codes = codes.astype(np.int32 if len(woorden) < 2**31 else np.int64, copy=False)
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(pd.array(woorden, dtype="str"))))


def _tekstkolom(s: pd.Series) -> pd.Series:
    """A column as read -> categorical text: stripped, written-out missing values (NULL, n.v.t.,
    ...) as "". Each distinct value is handled once; the frame holds codes, not 27 million strings."""
    uniek_bron = True  # are the distinct values below distinct texts?
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes, uniek = s.cat.codes.to_numpy(), s.cat.categories
    elif isinstance(s.dtype, pd.ArrowDtype) and pa_.types.is_dictionary(s.dtype.pyarrow_dtype):
        d = pa_.array(s)
        d = d.combine_chunks() if isinstance(d, pa_.ChunkedArray) else d
        codes, uniek = d.indices.to_numpy(zero_copy_only=False), d.dictionary
    else:
        codes, uniek = pd.factorize(s, use_na_sentinel=True)
        uniek_bron = False  # e.g. objects that become the same text
    a = _arrow_tekst(uniek)
    u = pd.Series(pd.array(a, dtype="str")).str.strip()
    u = _ontbrekend_is_leeg(u)
    # distinct values that stripping and the missing-value tokens left alone stay distinct
    # (from a dictionary or a factorization): no second dictionary encoding
    ongewijzigd = uniek_bron and pc.all(pc.equal(a, _arrow_tekst(u))).as_py() is not False
    return _categorisch(codes, u, uniek=ongewijzigd)


def _uniek_tekst(s: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Codes and the distinct texts (as a ``str`` Series) of a categorical text column."""
    return s.cat.codes.to_numpy(), pd.Series(pd.array(_arrow_tekst(s.cat.categories), dtype="str"))


def _per_uniek(s: pd.Series, functie) -> np.ndarray:
    """``functie`` (list of str -> bool array) evaluated once per distinct value of ``s``."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes, uniek = s.cat.codes.to_numpy(), s.cat.categories
    else:
        codes, uniek = pd.factorize(s, use_na_sentinel=True)
    oordeel = np.zeros(len(uniek) + 1, dtype=bool)  # last slot: missing values
    if len(uniek):
        oordeel[:-1] = functie([u if isinstance(u, str) else "" for u in uniek.tolist()])
    return oordeel[codes]


def _ontbrekend_is_leeg(s: pd.Series) -> pd.Series:
    """Written-out missing values (:data:`ONTBREKEND`: NULL, N/A, n.v.t., -, ...) become ""."""
    if s.empty:
        return s
    # vectorised (Arrow) for ASCII values, where str.lower is ASCII lowering; the few
    # non-ASCII short values with Python's str.lower, as before
    a = _arrow_tekst(s)
    kort = pc.less_equal(pc.utf8_length(a), 9)
    ascii_ = pc.string_is_ascii(a)
    leeg = pc.and_(pc.and_(kort, ascii_), pc.is_in(pc.ascii_lower(a), value_set=pa_.array(ONTBREKEND)))
    leeg = leeg.to_numpy(zero_copy_only=False).copy()
    tokens = set(ONTBREKEND)
    for i in np.flatnonzero(pc.and_(kort, pc.invert(ascii_)).to_numpy(zero_copy_only=False)):
        leeg[i] = a[i].as_py().lower() in tokens
    return s.mask(leeg, "") if leeg.any() else s


def _zoek_bestanden(map_: Path) -> tuple[dict[str, Path], list[str]]:
    """Map table name -> file; plus the names of files that are ignored."""
    gevonden: dict[str, list[Path]] = {}
    genegeerd = []
    try:
        inhoud = sorted(map_.iterdir())
    except OSError as e:
        raise InvoerFout(f"De map {map_} kan niet gelezen worden: {vertaal_os_fout(e)}.",
                         details=f"{type(e).__name__}: {e}") from None
    for p in inhoud:
        if p.name.startswith(".") or p.name.startswith("~$"):
            continue
        stam, ext = p.stem.lower(), p.suffix.lower()
        is_tabel = stam in TABELLEN and ext in EXTENSIES
        try:
            bestand = p.is_file()
            kapot = not bestand and p.is_symlink() and not p.exists()
        except OSError:  # e.g. a symlink loop on some platforms
            bestand, kapot = False, True
        if is_tabel and not bestand:
            if kapot:
                wat = "een symbolische koppeling die nergens heen wijst (of een lus vormt)"
            elif p.is_dir():
                wat = "een map, geen bestand"
            else:
                wat = "geen gewoon bestand"
            raise InvoerFout(
                f"{p.name} in {map_} is {wat}; de tabel '{stam}' kan zo niet gelezen worden. "
                "Zet er het bestand zelf neer (of verwijder het)."
            )
        if not bestand:
            continue
        if is_tabel:
            gevonden.setdefault(stam, []).append(p)
        elif p.name.lower() not in _BEKENDE_BESTANDEN:
            genegeerd.append(p.name)
    for tabel, paden in gevonden.items():
        if len(paden) > 1:
            raise InvoerFout(
                f"De tabel '{tabel}' staat in meer dan één bestand: "
                f"{', '.join(p.name for p in paden)}. Laat er één over in {map_}."
            )
    return {t: p[0] for t, p in gevonden.items()}, genegeerd


# ---------------------------------------------------------------------------
# Parsing text per contract type (vectorised)
# ---------------------------------------------------------------------------

_KOMMA_STIJL = r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?"
_PUNT_STIJL = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"


def _getal_tekst(s: pd.Series) -> pd.Series:
    """Drop spaces, non-breaking spaces and euro signs (only where present: fast path)."""
    vuil = ~s.str.fullmatch(r"[0-9.,+\-]*").fillna(True).astype(bool)
    if not vuil.any():
        return s
    s = s.copy()
    s[vuil] = s[vuil].str.replace("[\\s\u00a0€]", "", regex=True)
    return s


def _stijlen(s: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Cleaned text, and which values fit Dutch (1.234,5) resp. English (1,234.5) notation."""
    t = _getal_tekst(s)
    k = t.str.fullmatch(_KOMMA_STIJL).fillna(False).astype(bool)
    p = t.str.fullmatch(_PUNT_STIJL).fillna(False).astype(bool)
    return t, k, p


def _komma_dialect(stijlen: list[tuple[pd.Series, pd.Series, pd.Series, np.ndarray]], scheiding) -> bool:
    """True when the numbers of a file are written the Dutch way (1.234,56).

    Decided by the majority of unambiguous values; with none (only integers or
    ``1.234``-like values) by the separator: ``;`` means Dutch notation. The styles are those
    of the distinct values, each weighted by how often it occurs (``gewicht``).
    """
    komma = sum(int(w[(k & ~p).to_numpy()].sum()) for _, k, p, w in stijlen)
    punt = sum(int(w[(p & ~k).to_numpy()].sum()) for _, k, p, w in stijlen)
    if komma != punt:
        return komma > punt
    return scheiding == ";"


def _ontleed_getal(stijl: tuple[pd.Series, pd.Series, pd.Series], komma: bool) -> pd.Series:
    """Text -> float64 (NaN where empty or not a number)."""
    t, k, p = stijl
    gebruik_komma = k & (~p | komma)
    gebruik_punt = p & ~gebruik_komma
    uit = pd.Series(np.nan, index=t.index, dtype="float64")
    if gebruik_komma.any():
        v = t[gebruik_komma].str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        uit[gebruik_komma] = pd.to_numeric(v, errors="coerce").astype("float64")
    if gebruik_punt.any():
        v = t[gebruik_punt].str.replace(",", "", regex=False)
        uit[gebruik_punt] = pd.to_numeric(v, errors="coerce").astype("float64")
    return uit


_TIJD = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO = r"\d{4}-\d{2}-\d{2}" + _TIJD
_NL = r"\d{1,2}[-/]\d{1,2}[-/]\d{4}" + _TIJD


def _ontleed_datum(s: pd.Series) -> pd.Series:
    """Text -> datetime64[ns] (NaT where empty or not a valid date); time parts are dropped."""
    uit = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    iso = s.str.fullmatch(_ISO).fillna(False)
    nl = s.str.fullmatch(_NL).fillna(False)
    if iso.any():
        uit[iso] = pd.to_datetime(
            s[iso].str.slice(0, 10), format="%Y-%m-%d", errors="coerce"
        ).astype("datetime64[ns]")
    if nl.any():
        v = s[nl].str.replace("/", "-", regex=False)
        met_tijd = v.str.len() > 10
        if met_tijd.any():
            v[met_tijd] = v[met_tijd].str.extract(r"^(\S+)", expand=False)
        uit[nl] = pd.to_datetime(v, format="%d-%m-%Y", errors="coerce").astype("datetime64[ns]")
    return uit


def _ontleed_maand(s: pd.Series) -> pd.Series:
    """Text -> first day of the month (datetime64[ns]); accepts jjjj-mm, mm-jjjj and full dates."""
    uit = _ontleed_datum(s).dt.to_period("M").dt.to_timestamp().astype("datetime64[ns]")
    jm = s.str.fullmatch(r"\d{4}[-/]\d{1,2}").fillna(False)
    mj = s.str.fullmatch(r"\d{1,2}[-/]\d{4}").fillna(False)
    if jm.any():
        d = s[jm].str.split(r"[-/]", regex=True)
        uit[jm] = pd.to_datetime(
            d.str[0] + "-" + d.str[1].str.zfill(2) + "-01", format="%Y-%m-%d", errors="coerce"
        ).astype("datetime64[ns]")
    if mj.any():
        d = s[mj].str.split(r"[-/]", regex=True)
        uit[mj] = pd.to_datetime(
            d.str[1] + "-" + d.str[0].str.zfill(2) + "-01", format="%Y-%m-%d", errors="coerce"
        ).astype("datetime64[ns]")
    return uit


def _categorie(s: pd.Series) -> pd.Series:
    return s.str.strip().str.lower()


def _per_rij(uniek: pd.Series, codes: np.ndarray, index) -> pd.Series:
    """Values computed per distinct text, spread over the rows (``codes`` are never -1)."""
    return pd.Series(uniek.to_numpy()[codes], index=index)


class _Ontleder:
    """Parses each column of one file once; pandera checks and the conversion share it.

    The text frame is categorical, so every parse (dates, numbers, categories) runs over the
    distinct values of a column and is then spread over the rows by their codes.
    """

    def __init__(self, bestand: _Bestand, tabel: Tabel):
        self.ruw = bestand.ruw
        self.tabel = tabel
        self.getypeerd = bestand.getypeerd
        self._stijl = {}
        for k in tabel.kolommen:
            if k.type in ("getal", "geheel") and k.naam in self.ruw and k.naam not in bestand.getypeerd:
                codes, uniek = _uniek_tekst(self.ruw[k.naam])
                gewicht = np.bincount(codes, minlength=len(uniek))
                self._stijl[k.naam] = (*_stijlen(uniek), gewicht)
        self.komma = _komma_dialect(list(self._stijl.values()), bestand.scheiding)
        self._cache: dict[str, pd.Series] = {}

    def vergeet_getypeerd(self) -> None:
        """Drop the parsed dates and numbers (and the file's typed columns); the categorical
        values stay (:meth:`sleutelcodes` needs them)."""
        self._cache = {k: v for k, v in self._cache.items() if isinstance(v.dtype, pd.CategoricalDtype)}
        self.getypeerd = {}

    def sleutelcodes(self, kolom: str) -> np.ndarray | None:
        """Codes of a text/id/category column whose canonical value follows its code one to one
        (equal code = equal canonical value, "" = missing); None for other columns."""
        if kolom not in self.ruw or self.tabel.kolom(kolom).type not in ("id", "tekst", "categorie"):
            return None
        return self.waarde(kolom).cat.codes.to_numpy()

    def waarde(self, kolom: str) -> pd.Series:
        if kolom not in self._cache:
            k = self.tabel.kolom(kolom)
            s = self.ruw[kolom]
            codes, uniek = _uniek_tekst(s)
            t = self.getypeerd.get(kolom)
            if t is not None and k.type in ("datum", "maand") and pd.api.types.is_datetime64_any_dtype(t):
                t = t.dt.tz_localize(None) if isinstance(t.dtype, pd.DatetimeTZDtype) else t
                v = t.astype("datetime64[ns]").dt.normalize()
                if k.type == "maand":
                    v = v.dt.to_period("M").dt.to_timestamp().astype("datetime64[ns]")
            elif t is not None and k.type in ("getal", "geheel") and not pd.api.types.is_datetime64_any_dtype(t):
                v = t.astype("float64")
                v = v.where(np.isfinite(v))
                if k.type == "geheel":
                    v = v.where(v == np.round(v))
            elif k.type == "datum":
                v = _per_rij(_ontleed_datum(uniek), codes, s.index)
            elif k.type == "maand":
                v = _per_rij(_ontleed_maand(uniek), codes, s.index)
            elif k.type in ("getal", "geheel"):
                v = _ontleed_getal(self._stijl[kolom][:3], self.komma)
                v = v.where(np.isfinite(v))
                if k.type == "geheel":
                    v = v.where(v == np.round(v))
                v = _per_rij(v, codes, s.index)
            elif k.type == "categorie":
                v = _categorisch(codes, _categorie(uniek).tolist()).set_axis(s.index)
            else:
                v = s
            self._cache[kolom] = v
        return self._cache[kolom]


# ---------------------------------------------------------------------------
# Per-column rules: a pandera schema on the text frame
# ---------------------------------------------------------------------------


_STUURTEKEN_RE = re.compile(_STUURTEKEN)


#: :data:`_STUURTEKEN` in RE2 syntax (Arrow's regex engine); the same code points.
_STUURTEKEN_RE2 = (r"[\x00-\x08\x0b-\x1f\x7f-\x9f\x{200b}-\x{200f}\x{202a}-\x{202e}"
                   r"\x{2060}-\x{2064}\x{feff}]")


def _stuurteken(s: pd.Series) -> pd.Series:
    if isinstance(s.dtype, pd.CategoricalDtype):
        fout = pc.match_substring_regex(_arrow_tekst(s.cat.categories), _STUURTEKEN_RE2)
        return pd.Series(~fout.to_numpy(zero_copy_only=False)[s.cat.codes.to_numpy()], index=s.index)

    def oordeel(uniek: list[str]) -> np.ndarray:
        # fast path: one scan over all distinct values (joined by newlines, not in the class)
        if not _STUURTEKEN_RE.search("\n".join(uniek)):
            return np.zeros(len(uniek), dtype=bool)
        return np.array([bool(_STUURTEKEN_RE.search(w)) for w in uniek], dtype=bool)

    return pd.Series(~_per_uniek(s, oordeel), index=s.index)


def _datum_in_venster(v: pd.Series) -> pd.Series:
    return ~((v < DATUM_MIN) | (v > DATUM_MAX)).fillna(False)


def _checks(k: Kolom, o: _Ontleder) -> list[pa.Check]:
    c = k.naam
    leeg = lambda s: s == ""  # noqa: E731
    # the first failing check of a cell is the one reported: invisible characters first
    # (they would otherwise show up as a puzzling "unknown category" or a new gemeente)
    checks = [pa.Check(_stuurteken, name="stuurteken")]
    if k.verplicht:
        checks.append(pa.Check(lambda s: s != "", name="verplicht_leeg"))
    if k.type in ("id", "tekst"):
        # ids and names: any BSN notation anywhere in the value (a prefix such as
        # "C-123 456 782" does not hide it)
        checks.append(pa.Check(lambda s: ~_bsn.bevat_bsn_reeks(s), name="bsn"))
    elif k.type == "categorie":
        toegestaan = list(k.waarden or ())
        checks.append(
            pa.Check(lambda s: leeg(s) | o.waarde(c).isin(toegestaan), name="onbekende_categorie")
        )
    elif k.type == "datum":
        checks.append(pa.Check(lambda s: leeg(s) | o.waarde(c).notna(), name="ongeldige_datum"))
        checks.append(pa.Check(lambda s: _datum_in_venster(o.waarde(c)), name="onwaarschijnlijke_datum"))
    elif k.type == "maand":
        checks.append(pa.Check(lambda s: leeg(s) | o.waarde(c).notna(), name="ongeldige_maand"))
        checks.append(pa.Check(lambda s: _datum_in_venster(o.waarde(c)), name="onwaarschijnlijke_datum"))
    elif k.type in ("getal", "geheel"):
        checks.append(pa.Check(lambda s: leeg(s) | o.waarde(c).notna(), name="ongeldig_getal"))
        if k.minimum is not None:
            regel = "negatieve_kosten" if c in _BEDRAGKOLOMMEN else "buiten_bereik"
            checks.append(
                pa.Check(lambda s: ~(o.waarde(c) < k.minimum).fillna(False), name=regel)
            )
        if k.maximum is not None:
            checks.append(
                pa.Check(lambda s: ~(o.waarde(c) > k.maximum).fillna(False), name="buiten_bereik")
            )
    return checks


def _kolomregels(b: _Bestand, tabel: Tabel, o: _Ontleder) -> pd.DataFrame:
    """Per-column problems via pandera: columns pos, kolom, regel, extra."""
    kolommen = {
        k.naam: pa.Column(None, checks=_checks(k, o), nullable=True, required=False)
        for k in tabel.kolommen
        if k.naam in b.ruw.columns
    }
    contract = {k.naam for k in tabel.kolommen}
    for extra in b.ruw.columns:
        if extra not in contract:  # extra columns are kept: refuse BSN's there too
            kolommen[extra] = pa.Column(
                None,
                checks=[pa.Check(_stuurteken, name="stuurteken"),
                        pa.Check(lambda s: ~_bsn.bevat_bsn_reeks(s), name="bsn")],
                nullable=True,
            )
    schema = pa.DataFrameSchema(kolommen, strict=False, name=tabel.naam)
    try:
        schema.validate(b.ruw, lazy=True)
    except pa.errors.SchemaErrors as e:
        fc = e.failure_cases
        fc = fc[fc["index"].notna() & fc["check"].isin(list(REGELS))]
        fc = fc.sort_values(["index", "column", "check_number"], kind="stable")
        uit = pd.DataFrame(
            {
                "pos": fc["index"].astype("int64").to_numpy(),
                "kolom": fc["column"].astype(str).to_numpy(),
                "regel": fc["check"].astype(str).to_numpy(),
            }
        )
        # one problem per cell: the first failing rule in the order of the checks
        uit = uit.drop_duplicates(["pos", "kolom"], keep="first")
        uit["extra"] = ""
        return uit
    return _geen_problemen()


def _geen_problemen() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "pos": pd.Series([], dtype="int64"),
            "kolom": pd.Series([], dtype="str"),
            "regel": pd.Series([], dtype="str"),
            "extra": pd.Series([], dtype="str"),
        }
    )


def _probleem(mask, kolom: str, regel: str, extra=None) -> pd.DataFrame:
    mask = np.asarray(mask, dtype=bool)
    pos = np.flatnonzero(mask)
    if extra is None:
        ex = np.full(len(pos), "", dtype=object)
    else:
        ex = np.asarray(pd.Series(extra).to_numpy(dtype=object))[pos]
    return pd.DataFrame({"pos": pos, "kolom": kolom, "regel": regel, "extra": ex})


# ---------------------------------------------------------------------------
# Conversion to canonical types
# ---------------------------------------------------------------------------


def _als_string(s: pd.Series) -> pd.Series:
    """Categorical text -> pandas ``string`` (Arrow) with <NA> for "", without a Python object per row:
    Arrow's dictionary cast writes the strings straight from the codes."""
    woorden = _arrow_tekst(s.cat.categories)
    woorden = pc.if_else(pc.equal(woorden, ""), pa_.scalar(None, pa_.string()), woorden)
    arr = pa_.DictionaryArray.from_arrays(pa_.array(s.cat.codes.to_numpy()), woorden).cast(pa_.string())
    return pd.Series(pd.array(arr, dtype="string"), index=s.index)


def _canoniek(b: _Bestand, tabel: Tabel, o: _Ontleder) -> pd.DataFrame:
    kol = {}
    for k in tabel.kolommen:
        if k.naam not in b.ruw.columns:
            if k.type in ("datum", "maand"):
                kol[k.naam] = pd.Series(pd.NaT, index=b.ruw.index, dtype="datetime64[ns]")
            elif k.type == "geheel":
                kol[k.naam] = pd.Series(pd.NA, index=b.ruw.index, dtype="Int64")
            elif k.type == "getal":
                kol[k.naam] = pd.Series(np.nan, index=b.ruw.index, dtype="float64")
            else:
                kol[k.naam] = pd.Series(pd.NA, index=b.ruw.index, dtype="string")
            continue
        v = o.waarde(k.naam)
        if k.type == "geheel":
            v = v.round().astype("Int64")
        elif k.type == "getal":
            v = v.astype("float64")
        elif k.type in ("datum", "maand"):
            v = v.astype("datetime64[ns]")
        else:
            v = _als_string(v)
        kol[k.naam] = v
    for extra in b.ruw.columns:
        if extra not in kol:
            kol[extra] = _als_string(b.ruw[extra])
    kol["bronrij"] = pd.Series(b.bronrij, index=b.ruw.index, dtype="int64")
    return pd.DataFrame(kol, copy=False)  # the columns are fresh: no second copy of 27 M rows


# ---------------------------------------------------------------------------
# Cross-row and cross-table rules (pandas)
# ---------------------------------------------------------------------------


def _datum_tekst(s: pd.Series) -> pd.Series:
    return s.dt.strftime("%d-%m-%Y").fillna("")


def _volgorde(df: pd.DataFrame, vroeg: str, laat: str, regel: str, kolom: str) -> pd.DataFrame:
    if vroeg not in df or laat not in df:
        return _geen_problemen()
    fout = (df[laat] < df[vroeg]).fillna(False).to_numpy(dtype=bool)
    extra = pd.Series("", index=df.index, dtype=object)
    if fout.any():
        f = df[fout]
        extra[fout] = (
            " (" + kolom + " " + _datum_tekst(f[laat]) + " ligt vóór "
            + vroeg + " " + _datum_tekst(f[vroeg]) + ")"
        ).to_numpy(dtype=object)
    return _probleem(fout, kolom, regel, extra)


def _rijregels(naam: str, df: pd.DataFrame) -> list[pd.DataFrame]:
    p = []
    if naam == "trajecten":
        p.append(_volgorde(df, "datum_melding", "datum_einde", "einde_voor_start", "datum_einde"))
        p.append(_volgorde(df, "datum_melding", "datum_intake", "volgorde_datums", "datum_intake"))
        p.append(_volgorde(df, "datum_melding", "datum_plan", "volgorde_datums", "datum_plan"))
        # data_samples/README.md also names plan before intake and einde before plan
        p.append(_volgorde(df, "datum_intake", "datum_plan", "volgorde_datums", "datum_plan"))
        p.append(_volgorde(df, "datum_plan", "datum_einde", "volgorde_datums", "datum_einde"))
        p.append(_volgorde(df, "datum_melding", "datum_verslag", "volgorde_datums", "datum_verslag"))
        fout = (df["doelen_behaald"] > df["doelen_gesteld"]).fillna(False).to_numpy(dtype=bool)
        f = df[fout]
        extra = pd.Series("", index=df.index, dtype=object)
        extra[fout] = (
            " (" + f["doelen_behaald"].astype("string") + " behaald, "
            + f["doelen_gesteld"].astype("string") + " gesteld)"
        ).to_numpy(dtype=object)
        p.append(_probleem(fout, "doelen_behaald", "doelen_inconsistent", extra))
    elif naam == "bevolking" and "leeftijdsgroep" in df.columns:
        # issue 14: "a-b" or "a+" (bereik per leeftijdsgroep); anything else is not a group
        g = df["leeftijdsgroep"].astype("string")
        fout = (g.notna() & ~g.fillna("").str.match(LEEFTIJDSGROEP)).to_numpy(dtype=bool)
        p.append(_probleem(fout, "leeftijdsgroep", "onbekende_categorie",
                           [" (verwacht een leeftijdsgroep als 0-17, 18-64 of 65+)"] * len(df)))
    elif naam == "wijken" and "wijkcode" in df.columns:
        # issue 15: a CBS wijkcode (WK + 6 digits) joins CBS Kerncijfers wijken en buurten
        c = df["wijkcode"].astype("string").str.strip().str.upper()
        fout = (c.notna() & ~c.fillna("").str.match(WIJKCODE)).to_numpy(dtype=bool)
        p.append(_probleem(fout, "wijkcode", "onbekende_categorie",
                           [" (verwacht een CBS-wijkcode als WK036301)"] * len(df)))
    elif naam == "inzet":
        p.append(_volgorde(df, "datum_start", "datum_einde", "einde_voor_start", "datum_einde"))
        p.append(
            _volgorde(df, "datum_aanvraag", "datum_beschikking", "volgorde_datums",
                      "datum_beschikking")
        )
    return p


_DAG_NS = 86_400 * 10**9


def _sleutelcodes(s: pd.Series) -> np.ndarray:
    """Dense int64 codes >= 0 with equal codes for equal values (missing values share code 0)."""
    if s.dtype.kind == "M":
        # in place on one array: 27 M-row temporaries cost memory and page faults
        i8 = s.to_numpy().view("i8")
        nat = np.isnat(s.to_numpy())
        heeft_nat = bool(nat.any())
        geldig = i8[~nat] if heeft_nat else i8
        stap = 1 << 22
        alleen_dagen = len(geldig) > 0 and not any(
            (geldig[k:k + stap] % _DAG_NS).any() for k in range(0, len(geldig), stap))
        if alleen_dagen:  # dates: days since the first one, + 1 (0 = missing)
            c = i8 - geldig.min()
            c //= _DAG_NS
            c += 1
            if heeft_nat:
                c[nat] = 0
            return c
        return pd.factorize(i8)[0].astype(np.int64)
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        # Arrow's hash kernel; pd.factorize on an Arrow string column is several times slower
        arr = pa_.array(s)
        d = pc.dictionary_encode(arr.combine_chunks() if isinstance(arr, pa_.ChunkedArray) else arr)
        return pc.fill_null(d.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64) + 1
    return pd.factorize(s, use_na_sentinel=True)[0].astype(np.int64) + 1


def _gedeeld(sub: pd.DataFrame, codes: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Per row: does another row have the same values in all columns of ``sub``?

    ``DataFrame.duplicated(keep=False)`` done with dense integer codes per column (``codes``:
    ones the caller already has, e.g. of a categorical text column) combined into one int64
    key. Duplicates are found by sorting, not hashing: a hash table of 27 M random keys costs
    more than a sort, and an export sorted by its key (the usual case) needs no sort at all.
    """
    if len(sub) == 0 or len(sub.columns) == 0:
        return np.zeros(len(sub), dtype=bool)
    codes = codes or {}
    sleutel = None
    bereik = 1
    for kolom in sub.columns:
        if kolom in codes:
            c = codes[kolom].astype(np.int64)
            c += 1
        else:
            c = _sleutelcodes(sub[kolom])
        n = int(c.max()) + 1
        if sleutel is None:
            sleutel, bereik = c, n
            continue
        if bereik * n >= 2**62:  # would overflow: make the key dense first
            sleutel = pd.factorize(sleutel)[0].astype(np.int64)
            bereik = int(sleutel.max()) + 1
        sleutel *= n  # in place (sleutel is a fresh array of this function)
        sleutel += c
        del c
        bereik *= n
    gesorteerd = sleutel if bool(np.all(sleutel[1:] >= sleutel[:-1])) else np.sort(sleutel)
    gelijk = gesorteerd[1:] == gesorteerd[:-1]
    if not gelijk.any():
        return np.zeros(len(sub), dtype=bool)
    dubbel = np.unique(gesorteerd[1:][gelijk])
    plek = np.minimum(np.searchsorted(dubbel, sleutel), len(dubbel) - 1)
    return dubbel[plek] == sleutel


def _dubbel(df: pd.DataFrame, sleutel: tuple[str, ...], bronrij: np.ndarray,
            codes: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
    """All rows that share a complete key with another row (``codes``: see :func:`_gedeeld`)."""
    if not sleutel or any(k not in df for k in sleutel):
        return _geen_problemen()
    sub = df[list(sleutel)]
    if "leeftijdsgroep" in sub.columns:  # optional key part (bevolking): empty = all ages
        sub = sub.assign(leeftijdsgroep=sub["leeftijdsgroep"].astype("string").fillna(""))
    compleet = sub.notna().all(axis=1).to_numpy()
    dubbel = _gedeeld(sub, codes) & compleet
    if not dubbel.any():
        return _geen_problemen()
    groep = sub[dubbel].astype("string").agg("|".join, axis=1)
    rijen = pd.Series(bronrij[dubbel], index=groep.index)
    lijst = rijen.groupby(groep).transform(
        lambda r: ", ".join(str(x) for x in r.iloc[:5]) + (" …" if len(r) > 5 else "")
    )
    extra = pd.Series("", index=df.index, dtype=object)
    extra[dubbel] = (" (rijen " + lijst + ")").to_numpy()
    return _probleem(dubbel, "+".join(sleutel), "dubbel_id", extra)


# ---------------------------------------------------------------------------
# Team tables: gemeente
# ---------------------------------------------------------------------------


def _teams(trajecten: pd.DataFrame) -> pd.DataFrame:
    return trajecten[["gemeente", "wijkteam"]].dropna().drop_duplicates()


def _vul_gemeente(naam: str, b: _Bestand, df: pd.DataFrame, teams: pd.DataFrame) -> pd.DataFrame:
    """Fill ``gemeente`` (from the file, else derived from trajecten) and ``wijkteam`` TOTAAL."""
    df = df.copy()
    gemeenten = sorted(teams["gemeente"].unique().tolist())
    if naam == "toelichting":
        leeg_team = df["wijkteam"].isna() | (df["wijkteam"].str.lower() == TOTAAL.lower())
        df["wijkteam"] = df["wijkteam"].mask(leeg_team, TOTAAL)
    else:
        leeg_team = pd.Series(False, index=df.index)
    gem = df["gemeente"]
    af_te_leiden = gem.isna() & df["wijkteam"].notna() & ~leeg_team
    if af_te_leiden.any():
        per_team = teams.groupby("wijkteam")["gemeente"].agg(lambda g: sorted(g.tolist()))
        nodig = df.loc[af_te_leiden, "wijkteam"].unique().tolist()
        dubbelzinnig = {t: per_team[t] for t in nodig if t in per_team and len(per_team[t]) > 1}
        if dubbelzinnig:
            team, gems = next(iter(sorted(dubbelzinnig.items())))
            raise InvoerFout(
                f"{b.naam}: wijkteam '{team}' komt in meer gemeenten voor ({', '.join(gems)}), "
                f"dus de gemeente is niet af te leiden. Voeg aan {b.naam} een kolom 'gemeente' toe."
            )
        uniek = {t: g[0] for t, g in per_team.items() if len(g) == 1}
        gem = gem.mask(af_te_leiden, df["wijkteam"].map(uniek).astype("string"))
    df["gemeente"] = gem.astype("string")
    if naam == "toelichting":
        alle = df["gemeente"].isna() & leeg_team
        if alle.any() and gemeenten:
            los = df[alle]
            herhaald = los.loc[los.index.repeat(len(gemeenten))].copy()
            herhaald["gemeente"] = pd.array(gemeenten * len(los), dtype="string")
            df = pd.concat([df[~alle], herhaald]).sort_index(kind="stable")
    return df


def _onbekend_team(naam: str, df: pd.DataFrame, teams: pd.DataFrame, ruw: pd.DataFrame):
    """Problems for team rows whose gemeente+wijkteam does not occur in trajecten."""
    if len(df) == 0:
        return _geen_problemen()
    bekend_gem = set(teams["gemeente"])
    paren = set(zip(teams["gemeente"], teams["wijkteam"]))
    # df may have repeated index values (toelichting for all gemeenten): judge per row
    g = df["gemeente"].astype(object).where(df["gemeente"].notna(), None)
    w = df["wijkteam"].astype(object).where(df["wijkteam"].notna(), None)
    totaal = (w == TOTAAL).to_numpy()
    heeft_team = w.notna().to_numpy()
    gem_onbekend = np.array([x is not None and x not in bekend_gem for x in g], dtype=bool)
    paar_onbekend = np.array(
        [t is not None and (x, t) not in paren for x, t in zip(g, w)], dtype=bool
    )
    gem_uit_bestand = ruw["gemeente"].reindex(df.index).fillna("").to_numpy() != "" \
        if "gemeente" in ruw else np.zeros(len(df), bool)
    fout_gem = heeft_team & gem_onbekend & gem_uit_bestand
    fout_team = heeft_team & ~totaal & paar_onbekend & ~fout_gem
    pos = df.index.to_numpy()
    n = len(ruw)
    uit = []
    if fout_gem.any():
        m = np.zeros(n, bool)
        m[pos[fout_gem]] = True
        uit.append(_probleem(m, "gemeente", "onbekend_wijkteam", [" (gemeente onbekend in trajecten)"] * n))
    if fout_team.any():
        m = np.zeros(n, bool)
        m[pos[fout_team]] = True
        uit.append(_probleem(m, "wijkteam", "onbekend_wijkteam"))
    return pd.concat(uit) if uit else _geen_problemen()


def _onbekende_gemeente(df: pd.DataFrame, teams: pd.DataFrame) -> pd.DataFrame:
    """``onbekende_gemeente``: a gemeente-level row (begroting) whose gemeente has no
    (valid) trajecten; its budget could not be set against anything."""
    if len(df) == 0:
        return _geen_problemen()
    bekend = set(teams["gemeente"]) if teams is not None else set()
    g = df["gemeente"].astype(object)
    fout = np.array([not pd.isna(x) and x not in bekend for x in g], dtype=bool)
    return _probleem(fout, "gemeente", "onbekende_gemeente") if fout.any() else _geen_problemen()


# ---------------------------------------------------------------------------
# The loader
# ---------------------------------------------------------------------------


def _kort(tekst: str, n: int = 60) -> str:
    tekst = _zichtbaar(maskeer_bsn(tekst))
    return tekst if len(tekst) <= n else tekst[: n - 1] + "…"


def _neem_tekst(s: pd.Series, pos: np.ndarray) -> np.ndarray:
    """The texts of a (categorical) text column at positions ``pos``, as an object array."""
    return np.asarray(s.iloc[pos], dtype=object)


def _rijsleutel(naam: str, b: _Bestand, pos: np.ndarray) -> list[str]:
    """" (traject_id T123)" per position: the row's own key, masked, "" when empty."""
    kolommen = [k for k in SLEUTEL_IN_MELDING.get(naam, ()) if k in b.ruw.columns]
    if not kolommen or len(pos) == 0:
        return [""] * len(pos)
    delen = [_neem_tekst(b.ruw[k], pos) for k in kolommen]
    uit = []
    for waarden in zip(*delen):
        stukken = [f"{k} {_kort(str(w), 40)}" for k, w in zip(kolommen, waarden) if str(w) != ""]
        uit.append(f" ({', '.join(stukken)})" if stukken else "")
    return uit


def _quarantaine_rijen(naam: str, b: _Bestand, p: pd.DataFrame) -> pd.DataFrame:
    if p.empty:
        return pd.DataFrame({k: pd.Series([], dtype="str") for k in QUARANTAINE_KOLOMMEN}).astype(
            {"rij": "int64"}
        )
    # one problem per cell: the first rule found (column rules before row rules)
    p = p.drop_duplicates(["pos", "kolom"]).sort_values(["pos", "kolom"], kind="stable")
    pos = p["pos"].to_numpy()
    waarden = []
    for kolom, pp in zip(p["kolom"].to_numpy(), pos):
        delen = kolom.split("+")
        waarden.append("|".join(b.ruw[d].iat[pp] if d in b.ruw else "" for d in delen))
    waarde = pd.Series([maskeer_bsn(w) for w in waarden], dtype="str")
    rij = b.bronrij[pos]
    sleutel = _rijsleutel(naam, b, pos)
    omschrijving = p["regel"].map(REGELS).to_numpy()
    melding = [
        f"{b.naam}, rij {r}{s}, kolom {k}: "
        + (f"waarde '{_kort(w, 120)}'" if w != "" else "geen waarde")
        + f" — {o}{_zichtbaar(maskeer_bsn(str(e)))}"
        for r, s, k, w, o, e in zip(rij, sleutel, p["kolom"], waarde, omschrijving, p["extra"])
    ]
    # attribution to a gemeente: the row's own gemeente column, else (inzet, zrm) its
    # traject's (filled in by laad); "" = not (yet) attributable
    gemeente = (_neem_tekst(b.ruw["gemeente"], pos) if "gemeente" in b.ruw
                else np.full(len(pos), "", dtype=object))
    traject = (_neem_tekst(b.ruw["traject_id"], pos) if "traject_id" in b.ruw
               else np.full(len(pos), "", dtype=object))
    return pd.DataFrame(
        {
            "tabel": naam,
            "bestand": b.naam,
            "rij": rij.astype("int64"),
            "kolom": p["kolom"].to_numpy(),
            "waarde": waarde.to_numpy(),
            "regel": p["regel"].to_numpy(),
            "melding": melding,
            "gemeente": gemeente,
            "_traject": traject,
        }
    )


def _id_in_tekst(b: _Bestand, tabel: Tabel, ids: list[pd.Index]) -> pd.DataFrame:
    """``id_in_tekst``: free text that names an id of the input (the output guard would
    otherwise refuse the whole report; here only this row is left out). ``ids``: the distinct
    id values (>= 4 characters) per id column; each token of the text is looked up in them."""
    if not ids or b.ruw.empty:
        return _geen_problemen()
    typen = {k.naam: k.type for k in tabel.kolommen}
    uit = []
    token = re.compile(ID_TOKEN)
    bekend: dict[str, bool] = {}

    def is_id(t: str) -> bool:
        if t not in bekend:
            bekend[t] = any(t in idx for idx in ids)
        return bekend[t]

    for kolom in b.ruw.columns:
        if typen.get(kolom, "tekst") != "tekst":
            continue
        s = b.ruw[kolom]
        raak = np.array([any(is_id(t) for t in token.findall(w)) for w in s.to_numpy(dtype=object)],
                        dtype=bool)
        if raak.any():
            uit.append(_probleem(raak, kolom, "id_in_tekst"))
    return pd.concat(uit, ignore_index=True) if uit else _geen_problemen()


def _id_waarden(b: _Bestand, tabel: Tabel) -> list[pd.Index]:
    """Raw values (>= 4 characters, as the output guard compares them) of the id columns,
    one index of distinct values per column (a set of millions of ids would cost seconds)."""
    uit = []
    for k in tabel.kolommen:
        if k.type == "id" and k.naam in b.ruw.columns:
            codes, uniek = _uniek_tekst(b.ruw[k.naam])
            gebruikt = np.bincount(codes, minlength=len(uniek)) > 0
            u = uniek[gebruikt & (uniek.str.len() >= 4).to_numpy()]
            if len(u):
                uit.append(pd.Index(u.to_numpy()))
    return uit


def laad(map, *, config: MonitorConfig | None = None) -> Monitordata:
    """Load and validate a dataset folder.

    Parameters
    ----------
    map : str or Path
        Folder with one file per table (``trajecten.csv``, ``inzet.xlsx``, ...).
    config : MonitorConfig, optional
        Configuration; default: ``monitor.toml`` in ``map`` (or the legal defaults).

    Returns
    -------
    Monitordata
        ``tabellen``: canonical tables with the contract columns (ids/text/categories
        ``string``, dates and ``maand`` ``datetime64[ns]``, ``geheel`` ``Int64``,
        ``getal`` ``float64``), extra columns of the file (``string``) and ``bronrij``.
        ``quarantaine``: columns ``tabel, bestand, rij, kolom, waarde, regel, melding``;
        ``kolom`` is ``a+b`` for a composite key (dubbel_id), ``waarde`` then ``x|y``;
        BSN-like values are masked in ``waarde`` and ``melding``.
        ``herkomst``: ``tabel, bestand, sha256, rijen_gelezen, rijen_gebruikt,
        rijen_quarantaine`` (+ ``rijen_leeg``: skipped empty lines), one row per contract
        table (``bestand`` empty when the table was not supplied).

    Raises
    ------
    InvoerFout
        Structural problems, with a Dutch message.
    """
    map_ = Path(map)
    if not map_.is_dir():
        raise InvoerFout(f"De map {map_} bestaat niet (of is geen map).")
    cfg = config if config is not None else lees_config(map_)
    bestanden, _ = _zoek_bestanden(map_)
    if "trajecten" not in bestanden:
        aanwezig = ", ".join(sorted(p.name for p in map_.iterdir() if p.is_file())) or "(geen)"
        raise InvoerFout(
            f"In {map_} staat geen bestand 'trajecten' (.csv, .xlsx of .parquet); dat is de enige "
            f"verplichte tabel. Gevonden bestanden: {aanwezig}."
        )

    tabellen: dict[str, pd.DataFrame] = {}
    quarantaines, herkomst = [], []
    traject_gemeente: dict | pd.DataFrame = {}
    teams = None
    geldige_trajecten = pa_.array([], type=pa_.string())
    ids_invoer: list[pd.Index] = []
    for naam in _VOLGORDE:
        tabel = TABELLEN[naam]
        if naam not in bestanden:
            herkomst.append((naam, "", "", 0, 0, 0, 0))
            leeg = _Bestand(naam, Path(naam), pd.DataFrame(), np.zeros(0, np.int64), "", None)
            tabellen[naam] = _canoniek(leeg, tabel, _Ontleder(leeg, tabel))
            continue
        t0 = time.perf_counter()
        b = _lees_bestand(tabel, bestanden[naam])
        duur = time.perf_counter() - t0
        _log.debug("%s gelezen in %.2f s", b.naam, duur, extra={"stadium": "lezen", "seconden": duur})
        o = _Ontleder(b, tabel)
        problemen = [_kolomregels(b, tabel, o)]
        df = _canoniek(b, tabel, o)
        o.vergeet_getypeerd()  # the canonical table holds them now (memory: 27 M ZRM rows)
        b.getypeerd = {}
        problemen += _rijregels(naam, df)
        if naam in ("inzet", "zrm"):
            zonder_probleem = ~np.isin(
                np.arange(len(df)),
                problemen[0].loc[problemen[0]["kolom"] == "traject_id", "pos"].to_numpy(),
            )
            # per distinct traject_id (the canonical id is the stripped text, "" = missing)
            codes, uniek = _uniek_tekst(b.ruw["traject_id"])
            # (Arrow's is_in: pandas' isin on Arrow strings makes a Python list of the ids)
            bekend = pc.is_in(_arrow_tekst(uniek), value_set=geldige_trajecten).to_numpy(
                zero_copy_only=False)[codes]
            onbekend = df["traject_id"].notna().to_numpy() & zonder_probleem & ~bekend
            problemen.append(_probleem(onbekend, "traject_id", "onbekend_traject"))
        if naam in _TEAMTABELLEN:
            df = _vul_gemeente(naam, b, df, teams)
            problemen.append(_onbekend_team(naam, df, teams, b.ruw))
        if naam in ("begroting", "wijken"):
            problemen.append(_onbekende_gemeente(df, teams))
        if naam != "toelichting":
            # a text key column's canonical value is its categorical text: reuse its codes
            # (not for team tables: their gemeente may be filled in from trajecten)
            codes = {} if naam in _TEAMTABELLEN else {
                k: o.sleutelcodes(k) for k in tabel.sleutel if o.sleutelcodes(k) is not None
            }
            problemen.append(_dubbel(df, tabel.sleutel, b.bronrij, codes))
            ids_invoer += _id_waarden(b, tabel)
        else:
            problemen.append(_id_in_tekst(b, tabel, ids_invoer))
        p = pd.concat(problemen, ignore_index=True)
        fout = np.zeros(len(b.ruw), dtype=bool)
        fout[p["pos"].to_numpy(dtype=np.int64)] = True
        goed = (df[~fout[df.index.to_numpy()]] if fout.any() else df).reset_index(drop=True)
        tabellen[naam] = goed
        quarantaines.append(_quarantaine_rijen(naam, b, p))
        n_q = int(fout.sum())
        herkomst.append(
            (naam, b.naam, b.sha256, len(b.ruw), len(b.ruw) - n_q, n_q, b.rijen_leeg)
        )
        if naam == "trajecten":
            if {"traject_id", "gemeente"} <= set(b.ruw.columns):
                traject_gemeente = b.ruw[["traject_id", "gemeente"]]  # a dict when needed (below)
            teams = _teams(goed)
            geldige_trajecten = _arrow_tekst(goed["traject_id"].dropna().unique())
        del b, o, df, goed, p  # free this table's text frame before the next file is read

    q = pd.concat(quarantaines, ignore_index=True) if quarantaines else None
    if q is not None and not q.empty:
        if isinstance(traject_gemeente, pd.DataFrame):
            # the gemeente of a traject as the text had it (the last row of an id wins)
            nodig = set(q["_traject"])
            tg = traject_gemeente[traject_gemeente["traject_id"].isin(nodig).to_numpy()]
            traject_gemeente = dict(zip(tg["traject_id"].astype(object), tg["gemeente"].astype(object)))
        via_traject = q["_traject"].map(traject_gemeente).astype(object).fillna("")
        q["gemeente"] = q["gemeente"].where(q["gemeente"].fillna("") != "", via_traject).fillna("")
    if q is None or q.empty:
        q = pd.DataFrame({k: pd.Series([], dtype="str") for k in QUARANTAINE_KOLOMMEN})
        q["rij"] = q["rij"].astype("int64")
    q = q[list(QUARANTAINE_KOLOMMEN)].astype({c: "string" for c in QUARANTAINE_KOLOMMEN if c != "rij"})
    h = pd.DataFrame(herkomst, columns=list(HERKOMST_KOLOMMEN) + ["rijen_leeg"])
    h = h.astype({"tabel": "string", "bestand": "string", "sha256": "string"})
    return Monitordata(tabellen=tabellen, quarantaine=q, herkomst=h, config=cfg, map=str(map_))


# ---------------------------------------------------------------------------
# The validation report
# ---------------------------------------------------------------------------


def _n(x) -> str:
    return f"{int(x):,}".replace(",", ".")


def verslag_validatie(md: Monitordata, details: bool = False) -> str:
    """A Dutch text report of loading: row accounting, counts per rule, problems per table.

    Parameters
    ----------
    md : Monitordata
    details : bool
        False: at most :data:`MAX_PER_REGEL` problems per table and rule are listed
        ("… en N meer"); True: all of them.

    Returns
    -------
    str
    """
    h, q = md.herkomst, md.quarantaine
    regels = [f"Validatie van {md.map or 'de dataset'}", "", "Rijverantwoording (gelezen = gebruikt + quarantaine)"]
    kop = f"  {'tabel':<12} {'bestand':<22} {'gelezen':>10} {'gebruikt':>10} {'quarantaine':>12}"
    regels.append(kop)
    for r in h.itertuples(index=False):
        if pd.isna(r.bestand) or not r.bestand:
            regels.append(f"  {r.tabel:<12} (niet aangeleverd)")
            continue
        regel = (
            f"  {r.tabel:<12} {r.bestand:<22} {_n(r.rijen_gelezen):>10} "
            f"{_n(r.rijen_gebruikt):>10} {_n(r.rijen_quarantaine):>12}"
        )
        leeg = getattr(r, "rijen_leeg", 0)
        if leeg:
            regel += f"   ({_n(leeg)} lege regel(s) overgeslagen)"
        regels.append(regel)
    if md.map and Path(md.map).is_dir():
        try:
            _, genegeerd = _zoek_bestanden(Path(md.map))
        except InvoerFout:
            genegeerd = []
        if genegeerd:
            regels += ["", "Genegeerde bestanden (geen tabel van het contract): " + ", ".join(genegeerd)]

    regels += [""]
    if q.empty:
        regels.append("Geen problemen gevonden: er staan geen rijen in quarantaine.")
        return "\n".join(regels)

    regels.append(f"Problemen per regel ({_n(len(q))} in totaal)")
    telling = q.groupby("regel", sort=False).size()
    for regel in REGELS:
        if regel in telling.index:
            regels.append(f"  {regel:<20} {_n(telling[regel]):>8}  {REGELS[regel]}")

    regels += ["", "Quarantaine per tabel"]
    for naam in _VOLGORDE:
        qt = q[q["tabel"] == naam]
        if qt.empty:
            continue
        n_rijen = qt["rij"].nunique()
        regels.append("")
        regels.append(
            f"{naam} ({qt['bestand'].iat[0]}): {_n(n_rijen)} rij(en) in quarantaine, "
            f"{_n(len(qt))} probleem/problemen"
        )
        for regel in REGELS:
            qr = qt[qt["regel"] == regel]
            if qr.empty:
                continue
            regels.append(f"  {regel} ({_n(len(qr))}):")
            toon = qr if details else qr.head(MAX_PER_REGEL)
            for r in toon.itertuples(index=False):
                regels.append(f"    - {r.melding}")
            if len(qr) > len(toon):
                regels.append(f"    … en {_n(len(qr) - len(toon))} meer (gebruik --details voor alle)")
    return "\n".join(regels)

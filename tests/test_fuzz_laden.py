"""Fuzz test of the csv loader (issue 17): random bytes and random rows never give a
traceback, and the row accounting always holds.

Property (from the data contract, data_samples/README.md section 4): ``laad`` either raises
:class:`InvoerFout` (a structural problem, Dutch message) or returns a Monitordata in which,
per table, ``rijen_gelezen == rijen_gebruikt + rijen_quarantaine``, every used row is in the
canonical table once, and every quarantined row has at least one quarantine message.
No other exception is allowed, and no BSN in any notation survives into a canonical table.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_laden import INZET_KOP, TRAJECT_KOP, TRAJECT_RIJEN

from monitoranalyse.invoer import bsn
from monitoranalyse.invoer.laden import laad
from monitoranalyse.invoer.monitordata import InvoerFout

VELDEN = TRAJECT_KOP.split(";")
GEMEEN = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# values a messy export contains: valid ones, notations, missing tokens, control characters,
# BSN-like numbers in several notations, separators and quotes that break the structure
WAARDE = st.one_of(
    st.sampled_from(["", "000123", "C01", "Lindeveen", "Noord", "01-03-2024", "2024-03-01", "31-02-2024",
                     "01-03-1900", "2200-01-01", "34", "abc", "-1", "1.234,56", "7,5", "meervoudig",
                     "doelen_behaald", "NULL", "N/A", "n.v.t.", "-", "onbekend", "123 456 782", "111.222.333",
                     "12345672", "Linde\x00veen", "\u200bNoord", '"', ";", "=SOM(1;2)", "é", "Ω" * 50]),
    st.text(max_size=12),
    st.text(alphabet="0123456789 .-", min_size=1, max_size=12),
)


def _laad_en_controleer(map_: Path) -> str:
    """Check the property; returns what happened (for hypothesis' statistics)."""
    try:
        md = laad(map_)
    except InvoerFout as e:
        assert str(e)  # a message, in Dutch (not checked word for word here)
        return "structurele fout (InvoerFout)"
    h = md.herkomst.set_index("tabel")
    assert (h["rijen_gelezen"] == h["rijen_gebruikt"] + h["rijen_quarantaine"]).all()
    q = md.quarantaine
    for naam, tabel in md.tabellen.items():
        assert tabel["bronrij"].nunique() == h.loc[naam, "rijen_gebruikt"], naam
        assert q.loc[q["tabel"] == naam, "rij"].nunique() == h.loc[naam, "rijen_quarantaine"], naam
        assert not set(tabel["bronrij"]) & set(q.loc[q["tabel"] == naam, "rij"]), naam
        for kolom in tabel.columns:
            if tabel[kolom].dtype == "string":
                assert not bsn.bevat_bsn_reeks(tabel[kolom]).any(), (naam, kolom)
    return "geladen, met quarantaine" if len(q) else "geladen, zonder quarantaine"


def _map(bestanden: dict[str, bytes]) -> Path:
    map_ = Path(tempfile.mkdtemp(prefix="fuzz-"))
    for naam, data in bestanden.items():
        (map_ / naam).write_bytes(data)
    return map_


@GEMEEN
@given(data=st.binary(max_size=3000), met_kop=st.booleans())
def test_willekeurige_bytes(data, met_kop):
    kop = (TRAJECT_KOP + "\n").encode() if met_kop else b""
    map_ = _map({"trajecten.csv": kop + data})
    try:
        event(_laad_en_controleer(map_))
    finally:
        shutil.rmtree(map_)


@GEMEEN
@given(rijen=st.lists(st.lists(WAARDE, min_size=len(VELDEN), max_size=len(VELDEN)), max_size=25),
       inzet=st.lists(st.lists(WAARDE, min_size=9, max_size=9), max_size=8),
       codering=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
       scheiding=st.sampled_from([";", ","]))
def test_willekeurige_rijen(rijen, inzet, codering, scheiding):
    def csv(kop: str, rijen_) -> bytes:
        regels = [kop.replace(";", scheiding)] + [scheiding.join(r) for r in rijen_]
        return "\n".join(regels).encode(codering, errors="replace") + b"\n"

    # the clean rows first, so that inzet can refer to a valid traject
    map_ = _map({"trajecten.csv": csv(TRAJECT_KOP, [r.split(";") for r in TRAJECT_RIJEN] + rijen),
                 "inzet.csv": csv(INZET_KOP, inzet)})
    try:
        event(_laad_en_controleer(map_))
    finally:
        shutil.rmtree(map_)


def test_fuzz_vindt_ook_echte_quarantaine(tmp_path):
    # sanity check of the property above on one known case: it is not vacuous
    rij = TRAJECT_RIJEN[1].split(";")
    rij[1] = "123 456 782"
    (tmp_path / "trajecten.csv").write_text("\n".join([TRAJECT_KOP, TRAJECT_RIJEN[0], ";".join(rij)]) + "\n")
    md = laad(tmp_path)
    assert md.herkomst.set_index("tabel").loc["trajecten", "rijen_quarantaine"] == 1
    _laad_en_controleer(tmp_path)
    assert isinstance(md.trajecten, pd.DataFrame)

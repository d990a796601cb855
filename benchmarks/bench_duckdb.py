"""The DuckDB reference of issue 16: the same files as ``bench_laden.py``, basic checks and the
core indicators per team and quarter, as a data engineer would write it in one SQL script.

Usage::

    .venv/bin/python benchmarks/bench_duckdb.py /tmp/schaal100/voorbeeld
    .venv/bin/python benchmarks/bench_duckdb.py /tmp/schaal100/voorbeeld --herhaal 3

It is the yardstick for "how fast can reading + checking + aggregating these files be on this
machine", not a second implementation: it does far less than ``laad`` (no per-cell quarantine
messages, no BSN search, no dialect detection, no decimal commas or Dutch dates) and less than
``indicatoren.bereken`` (six indicators instead of the catalog, no intervals, no periods marked
incomplete). What it does:

* read ``trajecten.csv``, ``inzet.csv`` and ``formatie.csv`` as text (``all_varchar``) and ``zrm.parquet``;
* checks, each counted: required columns present, values that do not convert to their type
  (``TRY_CAST``), unknown categories, date order (einde before melding/start), duplicate keys,
  inzet/zrm rows whose traject is unknown, formatie rows of a team that trajecten does not
  know, ZRM scores outside 1-5;
* per gemeente, wijkteam and quarter: instroom (meldingen), uitstroom (afgesloten), lopend
  (caseload at the end of the quarter), mean doorlooptijd melding -> einde (days, closed in the
  quarter), share of new trajecten with maatwerk inzet (toeleiding maatwerk), maatwerk kosten
  (inzet starting in the quarter) and the share of closed trajecten whose ZRM total improved
  (first vs last measurement).

Prints the wall time per stage and the peak RSS (``ru_maxrss``, which includes DuckDB's own
memory: it runs in this process). ``--threads`` defaults to DuckDB's own choice (all cores).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from meten import mediaan_van_runs, meetwaarden, piek_mb  # noqa: E402
from monitoranalyse.contract import PROBLEMATIEK, REDENEN_EINDE, VORMEN, ZRM_DOMEINEN  # noqa: E402

VERPLICHT = {
    "trajecten": ("traject_id", "client_id", "gemeente", "wijkteam", "datum_melding"),
    "inzet": ("inzet_id", "traject_id", "vorm", "datum_start"),
    "zrm": ("traject_id", "datum", "domein", "score"),
}


def _lees(con, map_: Path) -> None:
    con.execute(f"""
        CREATE TABLE traj_ruw AS SELECT * FROM read_csv('{map_ / "trajecten.csv"}', header = true,
            all_varchar = true, auto_detect = true)""")
    con.execute(f"""
        CREATE TABLE inzet_ruw AS SELECT * FROM read_csv('{map_ / "inzet.csv"}', header = true,
            all_varchar = true, auto_detect = true)""")
    con.execute(f"CREATE TABLE zrm AS SELECT * FROM read_parquet('{map_ / 'zrm.parquet'}')")
    con.execute(f"""
        CREATE TABLE formatie AS SELECT * FROM read_csv('{map_ / "formatie.csv"}', header = true,
            all_varchar = true, auto_detect = true)""")


def _controleer(con) -> dict[str, int]:
    def lijst(waarden):
        return "(" + ", ".join(f"'{w}'" for w in waarden) + ")"

    for tabel, kolommen in VERPLICHT.items():
        naam = {"trajecten": "traj_ruw", "inzet": "inzet_ruw", "zrm": "zrm"}[tabel]
        aanwezig = {r[0] for r in con.execute(f"DESCRIBE {naam}").fetchall()}
        ontbreekt = set(kolommen) - aanwezig
        if ontbreekt:
            raise SystemExit(f"{tabel} mist verplichte kolommen: {sorted(ontbreekt)}")
    # typed tables: TRY_CAST, a failed conversion of a non-empty value is a problem
    con.execute("""
        CREATE TABLE trajecten AS SELECT
            traject_id, client_id, gemeente, wijkteam, problematiek, reden_einde,
            TRY_CAST(datum_melding AS DATE) AS datum_melding,
            TRY_CAST(datum_intake AS DATE) AS datum_intake,
            TRY_CAST(datum_plan AS DATE) AS datum_plan,
            TRY_CAST(datum_einde AS DATE) AS datum_einde,
            TRY_CAST(leeftijd AS INTEGER) AS leeftijd,
            TRY_CAST(doelen_gesteld AS INTEGER) AS doelen_gesteld,
            TRY_CAST(doelen_behaald AS INTEGER) AS doelen_behaald,
            TRY_CAST(tevredenheid AS DOUBLE) AS tevredenheid,
            datum_melding AS r_melding, datum_einde AS r_einde, leeftijd AS r_leeftijd
        FROM traj_ruw""")
    con.execute("""
        CREATE TABLE inzet AS SELECT
            inzet_id, traject_id, vorm, productcategorie, beschikking,
            TRY_CAST(datum_start AS DATE) AS datum_start,
            TRY_CAST(datum_einde AS DATE) AS datum_einde,
            TRY_CAST(kosten AS DOUBLE) AS kosten,
            datum_start AS r_start, kosten AS r_kosten
        FROM inzet_ruw""")
    con.execute("DROP TABLE traj_ruw; DROP TABLE inzet_ruw")
    q = {
        "trajecten_verplicht_leeg": """SELECT count(*) FROM trajecten WHERE coalesce(traject_id, '') = ''
            OR coalesce(client_id, '') = '' OR coalesce(gemeente, '') = '' OR coalesce(wijkteam, '') = ''
            OR coalesce(r_melding, '') = ''""",
        "trajecten_ongeldige_datum": """SELECT count(*) FROM trajecten WHERE (datum_melding IS NULL AND
            r_melding IS NOT NULL) OR (datum_einde IS NULL AND r_einde IS NOT NULL)""",
        "trajecten_ongeldig_getal": """SELECT count(*) FROM trajecten WHERE leeftijd IS NULL AND
            r_leeftijd IS NOT NULL OR leeftijd NOT BETWEEN 0 AND 120""",
        "trajecten_onbekende_categorie": f"""SELECT count(*) FROM trajecten WHERE
            (problematiek IS NOT NULL AND problematiek NOT IN {lijst(PROBLEMATIEK)}) OR
            (reden_einde IS NOT NULL AND reden_einde NOT IN {lijst(REDENEN_EINDE)})""",
        "trajecten_einde_voor_start": "SELECT count(*) FROM trajecten WHERE datum_einde < datum_melding",
        "trajecten_volgorde_datums": """SELECT count(*) FROM trajecten WHERE datum_intake < datum_melding
            OR datum_plan < datum_melding OR datum_plan < datum_intake OR datum_einde < datum_plan""",
        "trajecten_doelen_inconsistent": "SELECT count(*) FROM trajecten WHERE doelen_behaald > doelen_gesteld",
        "trajecten_dubbel_id": """SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM trajecten
            GROUP BY traject_id HAVING count(*) > 1)""",
        "inzet_ongeldig": """SELECT count(*) FROM inzet WHERE (datum_start IS NULL) OR
            (kosten IS NULL AND r_kosten IS NOT NULL) OR kosten < 0""",
        "inzet_onbekende_categorie": f"SELECT count(*) FROM inzet WHERE vorm NOT IN {lijst(VORMEN)}",
        "inzet_einde_voor_start": "SELECT count(*) FROM inzet WHERE datum_einde < datum_start",
        "inzet_dubbel_id": """SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM inzet
            GROUP BY inzet_id HAVING count(*) > 1)""",
        "inzet_onbekend_traject": """SELECT count(*) FROM inzet i ANTI JOIN trajecten t
            ON i.traject_id = t.traject_id""",
        "zrm_ongeldig": f"""SELECT count(*) FROM zrm WHERE score NOT BETWEEN 1 AND 5 OR datum IS NULL
            OR domein NOT IN {lijst(ZRM_DOMEINEN)}""",
        "zrm_dubbel": """SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM zrm
            GROUP BY traject_id, datum, domein HAVING count(*) > 1)""",
        "zrm_onbekend_traject": """SELECT count(*) FROM zrm z ANTI JOIN trajecten t
            ON z.traject_id = t.traject_id""",
        "formatie_onbekend_wijkteam": """SELECT count(*) FROM formatie f ANTI JOIN trajecten t
            ON f.gemeente = t.gemeente AND f.wijkteam = t.wijkteam""",
    }
    return {k: con.execute(sql).fetchone()[0] for k, sql in q.items()}


INDICATOREN = """
WITH kwartalen AS (
    SELECT DISTINCT date_trunc('quarter', datum_melding) AS kwartaal FROM trajecten
    WHERE datum_melding IS NOT NULL
),
teams AS (SELECT DISTINCT gemeente, wijkteam FROM trajecten),
raster AS (SELECT * FROM teams CROSS JOIN kwartalen),
instroom AS (
    SELECT gemeente, wijkteam, date_trunc('quarter', datum_melding) AS kwartaal, count(*) AS instroom
    FROM trajecten GROUP BY ALL
),
uitstroom AS (
    SELECT gemeente, wijkteam, date_trunc('quarter', datum_einde) AS kwartaal, count(*) AS uitstroom,
           avg(datum_einde - datum_melding) AS doorlooptijd_dagen
    FROM trajecten WHERE datum_einde IS NOT NULL GROUP BY ALL
),
lopend AS (
    SELECT r.gemeente, r.wijkteam, r.kwartaal, count(t.traject_id) AS lopend
    FROM raster r JOIN trajecten t ON t.gemeente = r.gemeente AND t.wijkteam = r.wijkteam
     AND t.datum_melding < r.kwartaal + INTERVAL 3 MONTH
     AND (t.datum_einde IS NULL OR t.datum_einde >= r.kwartaal + INTERVAL 3 MONTH)
    GROUP BY ALL
),
maatwerk_traject AS (
    SELECT DISTINCT traject_id FROM inzet WHERE vorm LIKE 'maatwerk%'
),
toeleiding AS (
    SELECT t.gemeente, t.wijkteam, date_trunc('quarter', t.datum_melding) AS kwartaal,
           avg(CASE WHEN m.traject_id IS NULL THEN 0 ELSE 1 END) AS toeleiding_maatwerk
    FROM trajecten t LEFT JOIN maatwerk_traject m USING (traject_id) GROUP BY ALL
),
kosten AS (
    SELECT t.gemeente, t.wijkteam, date_trunc('quarter', i.datum_start) AS kwartaal,
           sum(i.kosten) AS kosten_maatwerk
    FROM inzet i JOIN trajecten t USING (traject_id) WHERE i.vorm LIKE 'maatwerk%' GROUP BY ALL
),
zrm_totaal AS (
    SELECT traject_id, datum, sum(score) AS totaal FROM zrm GROUP BY ALL
),
zrm_verschil AS (
    SELECT traject_id, arg_max(totaal, datum) - arg_min(totaal, datum) AS verschil
    FROM zrm_totaal GROUP BY traject_id HAVING count(*) >= 2
),
zrm_verbeterd AS (
    SELECT t.gemeente, t.wijkteam, date_trunc('quarter', t.datum_einde) AS kwartaal,
           avg(CASE WHEN z.verschil > 0 THEN 1 ELSE 0 END) AS zrm_verbeterd
    FROM trajecten t JOIN zrm_verschil z USING (traject_id)
    WHERE t.datum_einde IS NOT NULL GROUP BY ALL
)
SELECT r.gemeente, r.wijkteam, r.kwartaal, i.instroom, u.uitstroom, l.lopend,
       u.doorlooptijd_dagen, tl.toeleiding_maatwerk, k.kosten_maatwerk, z.zrm_verbeterd
FROM raster r
LEFT JOIN instroom i USING (gemeente, wijkteam, kwartaal)
LEFT JOIN uitstroom u USING (gemeente, wijkteam, kwartaal)
LEFT JOIN lopend l USING (gemeente, wijkteam, kwartaal)
LEFT JOIN toeleiding tl USING (gemeente, wijkteam, kwartaal)
LEFT JOIN kosten k USING (gemeente, wijkteam, kwartaal)
LEFT JOIN zrm_verbeterd z USING (gemeente, wijkteam, kwartaal)
ORDER BY ALL
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="DuckDB-referentie: lezen, controles, kernindicatoren")
    ap.add_argument("map", type=Path)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--herhaal", type=int, default=1, help="aantal runs, elk in een eigen proces")
    args = ap.parse_args(argv)
    if args.herhaal > 1:
        rest = [str(args.map)] + (["--threads", str(args.threads)] if args.threads else [])
        return mediaan_van_runs(__file__, rest, args.herhaal)

    import duckdb

    con = duckdb.connect()
    if args.threads:
        con.execute(f"SET threads = {args.threads}")
    t0 = time.perf_counter()
    _lees(con, args.map)
    t_lees = time.perf_counter() - t0
    t0 = time.perf_counter()
    telling = _controleer(con)
    t_controle = time.perf_counter() - t0
    t0 = time.perf_counter()
    tabel = con.execute(INDICATOREN).df()
    t_ind = time.perf_counter() - t0
    totaal = t_lees + t_controle + t_ind
    n = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("trajecten", "inzet", "zrm")}
    print(", ".join(f"{k} {v:,}" for k, v in n.items()))
    print("controles: " + ", ".join(f"{k} {v:,}" for k, v in telling.items()))
    print(f"indicatortabel: {len(tabel):,} rijen (team x kwartaal), {tabel.shape[1] - 3} indicatoren")
    print(f"lezen:       {t_lees:6.1f} s")
    print(f"controles:   {t_controle:6.1f} s")
    print(f"indicatoren: {t_ind:6.1f} s")
    print(f"totaal:      {totaal:6.1f} s")
    print(f"piekgeheugen (ru_maxrss): {piek_mb():,.0f} MB")
    meetwaarden(lezen_s=t_lees, controles_s=t_controle, indicatoren_s=t_ind, totaal_s=totaal)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

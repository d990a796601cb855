"""``Monitordata``: what stage 1 (load + validate) hands to every later stage.

Kept in its own small module so that indicator and analysis code (and tests with
tiny hand-made fixtures) can build one without going through the file loader.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from monitoranalyse import tekst
from monitoranalyse.config import MonitorConfig
from monitoranalyse.contract import HERKOMST_KOLOMMEN, QUARANTAINE_KOLOMMEN, TABELLEN
from monitoranalyse.tekst import vertaal_os_fout  # noqa: F401  (lives in tekst: config needs it too)


class InvoerFout(Exception):
    """A structural problem with the input (missing file or column, unreadable file).

    The message is Dutch and complete; the CLI prints it without a traceback.
    ``details`` keeps the original (often English) message of the library or the
    operating system; the CLI shows it with ``--details``.
    """

    def __init__(self, bericht: str, details: str | None = None):
        super().__init__(bericht)
        self.details = details


@dataclass
class Monitordata:
    """Canonical tables + quarantine + provenance of one dataset.

    Attributes
    ----------
    tabellen : dict[str, DataFrame]
        Canonical, validated tables keyed by contract name (``trajecten``, ``inzet``,
        ...). Absent optional tables are empty frames with the contract columns.
        Types: ids and text as ``string``, dates as ``datetime64[ns]``, ``geheel`` as
        ``Int64``, ``getal`` as ``float64``, categories as ``string``. Every table has
        the extra column ``bronrij`` (line in the source file, header = 1). The team-level
        tables (formatie, enquete, bevolking, toelichting) always have a filled
        ``gemeente`` column after loading (derived from trajecten when absent).
    quarantaine : DataFrame
        One row per problem, columns :data:`~monitoranalyse.contract.QUARANTAINE_KOLOMMEN`.
    herkomst : DataFrame
        One row per table, columns :data:`~monitoranalyse.contract.HERKOMST_KOLOMMEN`;
        ``rijen_gelezen == rijen_gebruikt + rijen_quarantaine`` always holds.
    config : MonitorConfig
    """

    tabellen: dict[str, pd.DataFrame]
    quarantaine: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(QUARANTAINE_KOLOMMEN))
    )
    herkomst: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(HERKOMST_KOLOMMEN))
    )
    config: MonitorConfig = field(default_factory=MonitorConfig)
    map: str | None = None  # the dataset folder

    @property
    def quarantaine_gemeenten(self) -> dict[str, int]:
        """Quarantined trajecten rows per gemeente value as written in the file (so that a
        gemeente whose rows are ALL in quarantine can be told apart from an unknown one).

        Derived from the quarantine table (one source: its ``gemeente`` column), counting
        each source row once however many rules it broke.
        """
        q = self.quarantaine
        if q is None or q.empty or not {"tabel", "gemeente", "rij"} <= set(q.columns):
            return {}
        tr = q[(q["tabel"] == "trajecten") & q["gemeente"].notna() & (q["gemeente"] != "")]
        kol = ["bestand", "rij"] if "bestand" in tr.columns else ["rij"]
        telling = tr.drop_duplicates(kol).groupby("gemeente", sort=True).size()
        return {str(k): int(v) for k, v in telling.items()}

    def __post_init__(self):
        for naam, tabel in TABELLEN.items():
            if naam not in self.tabellen:
                kol = [k.naam for k in tabel.kolommen] + ["bronrij"]
                self.tabellen[naam] = pd.DataFrame(columns=kol)

    # convenient attribute access: md.trajecten, md.inzet, ...
    def __getattr__(self, naam: str) -> pd.DataFrame:
        if naam in TABELLEN and "tabellen" in self.__dict__:
            return self.__dict__["tabellen"][naam]
        raise AttributeError(naam)

    @property
    def gemeenten(self) -> list[str]:
        return sorted(self.tabellen["trajecten"]["gemeente"].dropna().unique().tolist())

    def wijkteams(self, gemeente: str | None = None) -> list[str]:
        t = self.tabellen["trajecten"]
        if gemeente is not None:
            t = t[t["gemeente"] == gemeente]
        return sorted(t["wijkteam"].dropna().unique().tolist())

    def voor_gemeente(self, gemeente: str) -> "Monitordata":
        """The same data restricted to one gemeente (config overrides applied)."""
        if gemeente not in self.gemeenten:
            raise InvoerFout(self.melding_onbekende_gemeente(gemeente))
        t = self.tabellen["trajecten"]
        tr = t[t["gemeente"] == gemeente]
        ids = set(tr["traject_id"])
        nieuw = {"trajecten": tr.reset_index(drop=True)}
        for naam, df in self.tabellen.items():
            if naam == "trajecten":
                continue
            if "traject_id" in df.columns:
                nieuw[naam] = df[df["traject_id"].isin(ids)].reset_index(drop=True)
            elif "gemeente" in df.columns:
                nieuw[naam] = df[df["gemeente"] == gemeente].reset_index(drop=True)
            else:
                nieuw[naam] = df
        return Monitordata(
            tabellen=nieuw,
            quarantaine=self.quarantaine,
            herkomst=self.herkomst,
            config=self.config.voor_gemeente(gemeente),
            map=self.map,
        )

    def _gemeente_per_rij(self) -> dict[str, pd.Series | None]:
        """Per table the gemeente of every row: its own ``gemeente`` (trajecten and the team-level
        tables), that of its traject (tables keyed by ``traject_id``), or None (a table that belongs
        to no gemeente: kept whole in every part). Same rule as :meth:`voor_gemeente`; raises
        ValueError when a traject id occurs twice (then :meth:`per_gemeente` filters per gemeente)."""
        tr = self.tabellen["trajecten"]
        ids = tr["traject_id"]
        if ids.duplicated().any():  # a traject id in two gemeenten: only voor_gemeente's filter is exact
            raise ValueError("traject_id is niet uniek")
        koppel = pd.Series(tr["gemeente"].to_numpy(), index=ids.to_numpy())
        uit = {}
        for naam, df in self.tabellen.items():
            if naam == "trajecten":
                uit[naam] = df["gemeente"]
            elif "traject_id" in df.columns:
                uit[naam] = df["traject_id"].map(koppel)
            elif "gemeente" in df.columns:
                uit[naam] = df["gemeente"]
            else:
                uit[naam] = None
        return uit

    def _quarantaine_gemeente(self) -> pd.Series:
        q = self.quarantaine
        return q["gemeente"].fillna("").astype(str) if "gemeente" in q else pd.Series("", index=q.index)

    def deel(self, gemeenten) -> "Monitordata":
        """The dataset restricted to some gemeenten, for the batch (issue 16): the tables as
        :meth:`voor_gemeente` restricts them, the quarantine rows of these gemeenten plus those
        that belong to no known gemeente (every gemeente's row accounting shows them), the
        provenance and config of the whole dataset. ``deel([g]).voor_gemeente(g)`` equals
        ``voor_gemeente(g)``, so a worker that gets only its part computes the same report."""
        return next(iter(self.per_gemeente(groepen={"_": list(gemeenten)})))[1]

    def per_gemeente(self, gemeenten=None, groepen: dict | None = None):
        """Yield ``(gemeente, deel)`` for each gemeente (default all), in one pass over every
        table (grouping, not one filter per gemeente: at 342 gemeenten and 27 M ZRM rows the
        difference is minutes). ``groepen`` {name: [gemeenten]} yields one part per group
        instead. See :meth:`deel`."""
        alle = self.gemeenten
        if groepen is None:
            groepen = {g: [g] for g in (gemeenten if gemeenten is not None else alle)}
        try:
            sleutels = self._gemeente_per_rij()
        except ValueError:
            sleutels = None
        qg = self._quarantaine_gemeente()
        q_los = ~qg.isin(alle)
        if sleutels is not None:
            posities = {naam: (s.groupby(s, sort=False, observed=True).indices if s is not None else None)
                        for naam, s in sleutels.items()}
        for naam_groep, leden in groepen.items():
            if sleutels is None:
                delen = [self.voor_gemeente(g) for g in leden]
                tabellen = {naam: pd.concat([d.tabellen[naam] for d in delen], ignore_index=True)
                            for naam in self.tabellen}
            else:
                tabellen = {}
                for naam, df in self.tabellen.items():
                    pos = posities[naam]
                    if pos is None:
                        tabellen[naam] = df
                        continue
                    rijen = [pos[g] for g in leden if g in pos]
                    rijen = np.sort(np.concatenate(rijen)) if rijen else np.array([], dtype=np.intp)
                    tabellen[naam] = df.take(rijen).reset_index(drop=True)
            q = self.quarantaine[qg.isin(leden) | q_los].reset_index(drop=True)
            yield naam_groep, Monitordata(tabellen=tabellen, quarantaine=q, herkomst=self.herkomst,
                                          config=self.config, map=self.map)

    def vingerafdruk(self) -> str:
        """A sha256 over the content of every table and the quarantine (issue 16: ``rapport
        --alleen-gewijzigd`` skips a gemeente whose part has the same fingerprint as its report).
        Row numbers in the file (``bronrij``, ``rij``) are left out: a row added to another
        gemeente above this one's rows does not change this gemeente's report, which never
        shows row numbers."""
        import hashlib

        h = hashlib.sha256()
        for naam in sorted(self.tabellen):
            df = self.tabellen[naam].drop(columns=["bronrij"], errors="ignore")
            h.update(f"{naam}:{len(df)}:{','.join(map(str, df.columns))}:{','.join(map(str, df.dtypes))}".encode())
            if len(df):
                h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
        q = self.quarantaine.drop(columns=["rij"], errors="ignore")
        h.update(f"quarantaine:{len(q)}".encode())
        if len(q):
            h.update(pd.util.hash_pandas_object(q.astype(str), index=False).to_numpy().tobytes())
        return h.hexdigest()

    def melding_onbekende_gemeente(self, gemeente: str) -> str:
        """Dutch message for a gemeente without usable trajecten: unknown, or all quarantined."""
        n = self.quarantaine_gemeenten.get(gemeente, 0)
        wel = ", ".join(self.gemeenten) or "(geen)"
        if n:
            return (
                f"Alle {n} trajecten van gemeente '{gemeente}' staan in quarantaine; er is niets om over "
                "te rapporteren. Bekijk de redenen met 'monitoranalyse valideer --data ... --details'. "
                f"Gemeenten met bruikbare trajecten: {wel}."
            )
        return f"Gemeente '{gemeente}' komt niet voor in de data; wel: {wel}"

    def samenvatting(self) -> list[tuple[str, str]]:
        """A short summary — gemeenten, teams, rows per table, meldingen period, quarantine —
        as ``(label, waarde)`` pairs; never a row, an id or a free text of the input.
        Shown by ``repr(md)`` and, in JupyterLab, as a small table (instead of every table
        in full)."""
        t = self.tabellen["trajecten"]
        gemeenten = self.gemeenten
        teams = t[["gemeente", "wijkteam"]].dropna().drop_duplicates()
        meldingen = pd.to_datetime(t.get("datum_melding", pd.Series(dtype="datetime64[ns]")), errors="coerce").dropna()
        regels = [
            ("gemeenten", f"{len(gemeenten)}: {', '.join(gemeenten)}" if len(gemeenten) <= 10 else str(len(gemeenten))),
            ("wijkteams", str(len(teams))),
        ]
        if len(meldingen):
            regels.append(("meldingen", f"{tekst.maand_jaar(meldingen.min())} t/m {tekst.maand_jaar(meldingen.max())}"))
        regels.append(("rijen per tabel", ", ".join(f"{naam} {tekst.getal(len(df))}" for naam, df in self.tabellen.items()
                                                   if len(df))))
        in_q = pd.to_numeric(self.herkomst.get("rijen_quarantaine", pd.Series(dtype=float)), errors="coerce").sum()
        regels.append(("quarantaine", f"{tekst.getal(in_q)} rijen, {tekst.getal(len(self.quarantaine))} problemen"))
        if self.map:
            regels.append(("map", str(self.map)))
        return regels

    def __repr__(self) -> str:
        return tekst.overzicht_tekst("Monitordata", self.samenvatting())

    def _repr_html_(self) -> str:
        return tekst.overzicht_html("Monitordata", self.samenvatting())

    def rijverantwoording(self) -> pd.DataFrame:
        """Row accounting per table: read = used + quarantined."""
        return self.herkomst[list(HERKOMST_KOLOMMEN)].copy()

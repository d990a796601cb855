"""``Monitordata``: what stage 1 (load + validate) hands to every later stage.

Kept in its own small module so that indicator and analysis code (and tests with
tiny hand-made fixtures) can build one without going through the file loader.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from monitoranalyse.config import MonitorConfig
from monitoranalyse.contract import HERKOMST_KOLOMMEN, QUARANTAINE_KOLOMMEN, TABELLEN


class InvoerFout(Exception):
    """A structural problem with the input (missing file or column, unreadable file).

    The message is Dutch and complete; the CLI prints it without a traceback.
    ``details`` keeps the original (often English) message of the library or the
    operating system; the CLI shows it with ``--details``.
    """

    def __init__(self, bericht: str, details: str | None = None):
        super().__init__(bericht)
        self.details = details


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
    #: quarantined trajecten rows per gemeente value as written in the file (so that a
    #: gemeente whose rows are ALL in quarantine can be told apart from an unknown one)
    quarantaine_gemeenten: dict[str, int] = field(default_factory=dict)

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

    def rijverantwoording(self) -> pd.DataFrame:
        """Row accounting per table: read = used + quarantined."""
        return self.herkomst[list(HERKOMST_KOLOMMEN)].copy()

"""The data contract: tables, columns, categories and quarantine rules.

This module is the single source of truth for what an input dataset looks like
(documented for users in ``data_samples/README.md``) and for the shape of the tidy
indicator table that every later stage reads and writes. Other modules import the
names defined here instead of repeating string literals.

Conventions
-----------
* Column names of the contract are Dutch and snake_case, exactly as users write them.
* ``bronrij`` is added by the loader to every canonical table: the line number of the
  record in its source file as a spreadsheet shows it (header = line 1, first data
  row = line 2). It lets every quarantine message and every figure be traced back.
* Ids are kept as strings (never numbers: leading zeros matter, and an id must never
  be summed or rounded).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# ---------------------------------------------------------------------------
# Vocabularies of the field
# ---------------------------------------------------------------------------

#: The 13 domains of the Zelfredzaamheid-Matrix 2017, in the order of the matrix.
ZRM_DOMEINEN: tuple[str, ...] = (
    "financien",
    "werk_opleiding",
    "tijdsbesteding",
    "huisvesting",
    "huiselijke_relaties",
    "geestelijke_gezondheid",
    "lichamelijke_gezondheid",
    "middelengebruik",
    "basale_adl",
    "instrumentele_adl",
    "sociaal_netwerk",
    "maatschappelijke_participatie",
    "justitie",
)

#: The zwaarte ladder of inzet, light to heavy (DOMAIN.md, "Vocabulary").
VORMEN: tuple[str, ...] = (
    "eigen_kracht",
    "netwerk",
    "algemene_voorziening",
    "wijkteam",
    "maatwerk_wmo",
    "maatwerk_jeugd",
)
#: "Lichte zorg" = the first four rungs; "specialistische zorg" = maatwerk.
LICHTE_ZORG: tuple[str, ...] = VORMEN[:4]
MAATWERK: tuple[str, ...] = VORMEN[4:]

REDENEN_EINDE: tuple[str, ...] = (
    "doelen_behaald",
    "afgeschaald",
    "overgedragen",
    "verhuisd",
    "overleden",
    "client_gestopt",
    "overig",
)
PROBLEMATIEK: tuple[str, ...] = ("enkelvoudig", "meervoudig")
RESPONDENTEN: tuple[str, ...] = ("medewerker", "client", "partner")
#: Bollen-model dimensions (De Visser).
DIMENSIES: tuple[str, ...] = ("hulp", "geld", "klant", "wijk", "team")
THEMAS: tuple[str, ...] = (
    "resultaat",
    "aantallen_uitgaven",
    "doelmatigheid",
    "uitvoering",
    "medewerkers",
    "harde_control",
)

#: Budget lines (posten) of the optional ``begroting`` table (issue 14).
POSTEN: tuple[str, ...] = (
    "wijkteam",
    "maatwerk_wmo",
    "maatwerk_jeugd",
    "algemene_voorzieningen",
    "overig",
)

#: Pattern of ``bevolking.leeftijdsgroep``: "a-b" (both inclusive) or "a+".
LEEFTIJDSGROEP = r"^\s*(\d{1,3})\s*(?:-\s*(\d{1,3})|(\+))\s*$"

#: Pattern of ``wijken.wijkcode``: a CBS wijkcode, "WK" + 4 digits gemeente + 2 digits wijk.
WIJKCODE = r"^WK\d{6}$"
#: Prefix of ``uitsplitsing`` for a figure of one wijk (issue 15): ``"wijk:Parkwijk"``.
WIJK_PREFIX = "wijk:"

#: Label used in the ``wijkteam`` column for the gemeente as a whole.
TOTAAL = "Totaal"

# ---------------------------------------------------------------------------
# Input tables
# ---------------------------------------------------------------------------

#: Column types used in :class:`Kolom`.
#: id: string id, may not look like a BSN; tekst: free text; categorie: one of ``waarden``;
#: datum: a date (ISO or dd-mm-jjjj); maand: jjjj-mm; geheel: integer; getal: decimal number.
TYPES = ("id", "tekst", "categorie", "datum", "maand", "geheel", "getal")


@dataclass(frozen=True)
class Kolom:
    naam: str
    type: str
    verplicht: bool = False
    waarden: tuple[str, ...] | None = None  # allowed values for type "categorie"
    minimum: float | None = None
    maximum: float | None = None
    omschrijving: str = ""


@dataclass(frozen=True)
class Tabel:
    naam: str
    kolommen: tuple[Kolom, ...]
    sleutel: tuple[str, ...] = ()  # columns that must be unique together
    omschrijving: str = ""
    #: optional tables may be absent from a dataset; trajecten is the only required one
    verplicht: bool = False

    @property
    def verplichte_kolommen(self) -> list[str]:
        return [k.naam for k in self.kolommen if k.verplicht]

    def kolom(self, naam: str) -> Kolom:
        for k in self.kolommen:
            if k.naam == naam:
                return k
        raise KeyError(naam)


def _k(naam, type, verplicht=False, waarden=None, minimum=None, maximum=None, omschrijving=""):
    return Kolom(naam, type, verplicht, waarden, minimum, maximum, omschrijving)


TABELLEN: dict[str, Tabel] = {
    t.naam: t
    for t in (
        Tabel(
            "trajecten",
            (
                _k("traject_id", "id", True, omschrijving="uniek id van het traject"),
                _k("client_id", "id", True, omschrijving="pseudoniem van de cliënt"),
                _k("gemeente", "tekst", True),
                _k("wijkteam", "tekst", True),
                _k("datum_melding", "datum", True),
                _k("huishouden_id", "id"),
                _k("wijk", "tekst"),
                _k("medewerker_id", "id"),
                _k("leeftijd", "geheel", minimum=0, maximum=120),
                _k("problematiek", "categorie", waarden=PROBLEMATIEK),
                _k("datum_intake", "datum"),
                _k("datum_plan", "datum", omschrijving="plan van aanpak"),
                _k("datum_einde", "datum", omschrijving="leeg = traject loopt nog"),
                _k("reden_einde", "categorie", waarden=REDENEN_EINDE),
                _k("doelen_gesteld", "geheel", minimum=0),
                _k("doelen_behaald", "geheel", minimum=0),
                _k("tevredenheid", "getal", minimum=1, maximum=10),
                _k("datum_verslag", "datum",
                   omschrijving="verslag van het onderzoek (Wmo 2015 art. 2.3.2 lid 8); optioneel"),
            ),
            sleutel=("traject_id",),
            omschrijving="één rij per ondersteuningstraject",
            verplicht=True,
        ),
        Tabel(
            "inzet",
            (
                _k("inzet_id", "id", True),
                _k("traject_id", "id", True),
                _k("vorm", "categorie", True, waarden=VORMEN),
                _k("datum_start", "datum", True),
                _k("datum_einde", "datum"),
                _k("productcategorie", "tekst", omschrijving="iWmo/iJw-code, bv. 02 of 45"),
                _k("kosten", "getal", minimum=0, omschrijving="euro"),
                _k("beschikking", "categorie", waarden=("ja", "nee")),
                _k("datum_aanvraag", "datum"),
                _k("datum_beschikking", "datum"),
            ),
            sleutel=("inzet_id",),
            omschrijving="één rij per ingezette vorm van ondersteuning",
        ),
        Tabel(
            "zrm",
            (
                _k("traject_id", "id", True),
                _k("datum", "datum", True),
                _k("domein", "categorie", True, waarden=ZRM_DOMEINEN),
                _k("score", "geheel", True, minimum=1, maximum=5),
            ),
            sleutel=("traject_id", "datum", "domein"),
            omschrijving="scores op de Zelfredzaamheid-Matrix (ZRM 2017)",
        ),
        Tabel(
            "formatie",
            (
                _k("wijkteam", "tekst", True),
                _k("maand", "maand", True),
                _k("fte", "getal", True, minimum=0),
                _k("gemeente", "tekst", omschrijving="nodig als teamnamen in meer gemeenten voorkomen"),
                _k("teamkosten", "getal", minimum=0,
                   omschrijving="kosten van het team zelf in de maand (euro), als de gemeente die "
                   "heeft; anders fte x [kosten] fte_tarief / 12"),
            ),
            sleutel=("gemeente", "wijkteam", "maand"),
            omschrijving="formatie (fte) per wijkteam per maand",
        ),
        Tabel(
            "enquete",
            (
                _k("wijkteam", "tekst", True),
                _k("jaar", "geheel", True, minimum=1990, maximum=2100),
                _k("respondent", "categorie", True, waarden=RESPONDENTEN),
                _k("dimensie", "categorie", True, waarden=DIMENSIES),
                _k("score", "getal", True, minimum=1, maximum=10),
                _k("gemeente", "tekst"),
            ),
            omschrijving="bollen-model enquête: één rij per antwoord (rapportcijfer 1-10)",
        ),
        Tabel(
            "bevolking",
            (
                _k("wijkteam", "tekst", True),
                _k("jaar", "geheel", True, minimum=1990, maximum=2100),
                _k("inwoners", "geheel", True, minimum=0),
                _k("gemeente", "tekst"),
                _k("leeftijdsgroep", "tekst",
                   omschrijving="optioneel (issue 14): leeftijdsgroep 'a-b' of 'a+' (bv. 0-17, "
                   "18-64, 65+); leeg = alle leeftijden"),
            ),
            sleutel=("gemeente", "wijkteam", "jaar", "leeftijdsgroep"),
            omschrijving="aantal inwoners in het werkgebied van het wijkteam",
        ),
        Tabel(
            "begroting",
            (
                _k("gemeente", "tekst", True),
                _k("jaar", "geheel", True, minimum=1990, maximum=2100),
                _k("post", "categorie", True, waarden=POSTEN),
                _k("begroot", "getal", True, minimum=0, omschrijving="euro"),
                _k("gerealiseerd", "getal", minimum=0,
                   omschrijving="euro; leeg = afgeleid (maatwerk uit inzet.kosten, wijkteam uit "
                   "de teamkosten)"),
            ),
            sleutel=("gemeente", "jaar", "post"),
            omschrijving="begroting en realisatie per gemeente, jaar en post (optioneel)",
        ),
        Tabel(
            "personeel",
            (
                _k("wijkteam", "tekst", True),
                _k("maand", "maand", True),
                _k("fte_bezet", "getal", minimum=0, omschrijving="bezetting in fte"),
                _k("verzuim_pct", "getal", minimum=0, maximum=100,
                   omschrijving="ziekteverzuim in procent van de bezetting in de maand"),
                _k("instroom_medewerkers", "geheel", minimum=0),
                _k("uitstroom_medewerkers", "geheel", minimum=0),
                _k("vacatures_fte", "getal", minimum=0, omschrijving="openstaande vacatures in fte"),
                _k("gemeente", "tekst"),
            ),
            sleutel=("gemeente", "wijkteam", "maand"),
            omschrijving="personeel van het wijkteam per maand (optioneel)",
        ),
        Tabel(
            "wijken",
            (
                _k("gemeente", "tekst", True),
                _k("wijk", "tekst", True, omschrijving="naam van de wijk zoals in trajecten.wijk"),
                _k("jaar", "geheel", True, minimum=1990, maximum=2100),
                _k("inwoners", "geheel", True, minimum=0),
                _k("wijkcode", "tekst",
                   omschrijving="optioneel: CBS-wijkcode WKxxxxxx (koppelt aan CBS Kerncijfers wijken "
                   "en buurten en aan de Wijk- en Buurtkaart)"),
            ),
            sleutel=("gemeente", "wijk", "jaar"),
            omschrijving="inwoners per wijk per jaar (optioneel, issue 15)",
        ),
        Tabel(
            "toelichting",
            (
                _k("wijkteam", "tekst", omschrijving="leeg = hele gemeente"),
                _k("periode", "tekst", True, omschrijving="jjjj, jjjj-Qn, jjjj-Hn of jjjj-mm"),
                _k("indicator", "tekst", omschrijving="indicatorcode (optioneel)"),
                _k("tekst", "tekst", True),
                _k("gemeente", "tekst"),
            ),
            omschrijving='"vertellen": de geschreven context bij de cijfers',
        ),
    )
}

#: Extensions the loader reads. Two files for one table (e.g. trajecten.csv and
#: trajecten.xlsx) is a structural error: the loader will not guess which one is meant.
EXTENSIES = (".csv", ".xlsx", ".parquet")
#: Files beside the tables that a report may use (issue 15): wijk boundaries and a CBS KWB
#: extract. They are no contract tables (no row accounting) but they are inputs: their sha256
#: is in the provenance of every report.
BIJBESTANDEN = ("wijkgrenzen.geojson", "wijkgrenzen.gpkg", "kwb_wijken.csv")

# ---------------------------------------------------------------------------
# Quarantine rules: code -> Dutch description. Codes are part of the API.
# ---------------------------------------------------------------------------

REGELS: dict[str, str] = {
    "verplicht_leeg": "verplichte waarde ontbreekt",
    "ongeldige_datum": "geen geldige datum (verwacht jjjj-mm-dd of dd-mm-jjjj)",
    "ongeldige_maand": "geen geldige maand (verwacht jjjj-mm)",
    "ongeldig_getal": "geen geldig getal",
    "onbekende_categorie": "waarde komt niet voor in de toegestane lijst",
    "buiten_bereik": "waarde ligt buiten het toegestane bereik",
    "negatieve_kosten": "kosten zijn negatief",
    "einde_voor_start": "einddatum ligt vóór de begindatum",
    "volgorde_datums": "datums staan in onmogelijke volgorde (bv. intake vóór melding)",
    "dubbel_id": "id komt meer dan eens voor",
    "onbekend_traject": "verwijst naar een traject dat niet (geldig) in trajecten staat",
    "onbekend_wijkteam": "wijkteam komt niet voor in trajecten",
    "doelen_inconsistent": "meer doelen behaald dan gesteld",
    "bsn": "waarde lijkt op een BSN (9 cijfers, ook met spaties/punten/streepjes of zonder voorloopnul, "
    "voldoet aan de 11-proef); BSN's worden geweigerd",
    "stuurteken": "waarde bevat een onzichtbaar stuurteken (bv. NUL of een zero-width-teken)",
    "onwaarschijnlijke_datum": "datum ligt buiten 1990-01-01 … 2099-12-31 (waarschijnlijk een tikfout)",
    "onbekende_gemeente": "gemeente komt niet voor in trajecten",
    "id_in_tekst": "tekst noemt een id uit de invoer (traject-, cliënt-, inzet-, huishouden- of medewerker-id)",
}

#: Tokens of text that the final output guard compares with the input ids (words of at
#: least 4 letters/digits). The loader uses the same pattern for ``id_in_tekst``.
ID_TOKEN = r"[A-Za-z0-9][A-Za-z0-9_\-]{3,}"

#: The columns that name a row in quarantine messages ("rij 15 (traject_id T123)"), per table:
#: the key where the table has one, else the columns that together identify the row.
SLEUTEL_IN_MELDING: dict[str, tuple[str, ...]] = {
    "trajecten": ("traject_id",),
    "inzet": ("inzet_id",),
    "zrm": ("traject_id", "datum", "domein"),
    "formatie": ("gemeente", "wijkteam", "maand"),
    "enquete": ("gemeente", "wijkteam", "jaar", "respondent", "dimensie"),
    "bevolking": ("gemeente", "wijkteam", "jaar", "leeftijdsgroep"),
    "toelichting": ("gemeente", "wijkteam", "periode", "indicator"),
    "begroting": ("gemeente", "jaar", "post"),
    "personeel": ("gemeente", "wijkteam", "maand"),
    "wijken": ("gemeente", "wijk", "jaar"),
}

#: Columns of the quarantine table held by ``Monitordata.quarantaine``. One row per
#: problem; a record with two problems has two rows but is quarantined once.
#: ``waarde`` holds the raw value and may be personal: the quarantine never leaves
#: the package, only its counts per table/regel do (``kwaliteit.csv``). ``gemeente`` is
#: the gemeente the row belongs to (its own gemeente column, else that of its traject;
#: empty when it cannot be attributed), so each report counts only its own rows.
QUARANTAINE_KOLOMMEN = ("tabel", "bestand", "rij", "kolom", "waarde", "regel", "melding",
                        "gemeente")

#: Columns of ``Monitordata.herkomst`` (provenance and row accounting per table).
HERKOMST_KOLOMMEN = (
    "tabel",
    "bestand",
    "sha256",
    "rijen_gelezen",
    "rijen_gebruikt",
    "rijen_quarantaine",
)

# ---------------------------------------------------------------------------
# The tidy indicator table (DESIGN.md)
# ---------------------------------------------------------------------------

#: Every indicator function, every analysis that reads indicators, and the render
#: boundary use exactly these columns (more may follow them).
#: ``uitsplitsing`` is "" when the indicator is not split, otherwise e.g. a vorm
#: ("maatwerk_wmo"), a ZRM domein, or "respondent:dimensie" for the enquête.
#: ``teller``/``noemer`` are NaN where they do not apply (noemer is NaN for counts).
INDICATOR_KOLOMMEN: tuple[str, ...] = (
    "gemeente",
    "wijkteam",
    "periode_start",
    "periode_eind",
    "indicator",
    "uitsplitsing",
    "teller",
    "noemer",
    "waarde",
    "ondergrens",
    "bovengrens",
    "methode",
)

#: Statistic types of an indicator (catalog ``Indicator.type`` and the tidy table's column
#: ``statistiek``); see :mod:`monitoranalyse.indicatoren.catalogus` for what each means.
STATISTIEK_TYPES: tuple[str, ...] = ("proportie", "aantal", "ratio", "gemiddelde", "mediaan", "bedrag")

#: Period granularities accepted everywhere a caller chooses one.
PERIODES = {"maand": "M", "kwartaal": "Q", "halfjaar": "6M", "jaar": "Y"}


@dataclass
class Beleidswijziging:
    datum: str  # ISO date
    label: str
    gemeente: str | None = None  # None = applies to every gemeente in the dataset
    extra: dict = field(default_factory=dict)


def in_basis(df):
    """Rows of a tidy table that an analysis may fit on: ``volledig`` not False and
    ``inloop`` not True (both columns optional). The one rule behind "no trend, SPC
    baseline, forecast or funnel uses an incomplete or build-up period"; returns a
    boolean Series aligned with ``df``."""
    import pandas as pd

    ok = pd.Series(True, index=df.index)
    if "volledig" in df.columns:
        ok &= ~(df["volledig"].astype("boolean").fillna(True) == False)  # noqa: E712
    if "inloop" in df.columns:
        ok &= ~df["inloop"].astype("boolean").fillna(False)
    return ok.astype(bool)

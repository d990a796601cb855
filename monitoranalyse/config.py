"""Per-gemeente configuration from ``monitor.toml`` with the legal defaults.

A dataset folder may hold a ``monitor.toml``. Everything in it is optional; what is
missing falls back to the defaults below, which follow ../shared/DOMAIN.md:

```toml
[termijnen]                  # in kalenderdagen
onderzoek_wmo = 42           # Wmo 2015 art. 2.3.2 lid 1: onderzoek binnen zes weken
beschikking_wmo = 14         # Wmo 2015 art. 2.3.5 lid 2: beschikking binnen twee weken
beschikking_jeugd = 56       # Awb art. 4:13: redelijke termijn, uiterlijk acht weken
eerste_gesprek_schulden = 28 # Wgs (tekst 2012) art. 4: eerste gesprek binnen vier weken
plan = 42                    # eigen norm: plan van aanpak binnen ... dagen na melding

[periode]                    # optioneel: de monitorperiode (jjjj-mm); eerdere meldingen tellen
van = "2021-01"              # wel mee voor de caseload (beginvoorraad), maar er worden geen
tot = "2025-12"              # cijfers over perioden buiten [van, tot] gerapporteerd
# inloop_maanden = 0         # 0: de export bevat de beginvoorraad; leeg: afgeleid uit de data

[openbaarmaking]
drempel = 8                  # aantallen kleiner dan dit worden niet getoond (CBS: 0-7 geheim)
afronden_op = 0              # 0 = niet afronden; 5 = afronden op veelvouden van 5 (CBS)

[[beleidswijziging]]
datum = 2023-01-01
label = "Start inzet voorliggend veld"
gemeente = "Lindeveen"       # optioneel: zonder gemeente geldt het voor alle gemeenten

[doelen]                     # normen/doelen per indicatorcode (overschrijven de catalogus)
binnen_termijn_onderzoek = 0.9
aandeel_lichte_zorg = 0.6

[kosten]
fte_tarief = 82000           # loonkosten per fte per jaar (euro); teamkosten = fte x tarief / 12

[medewerkers]
caseloadnorm_regisseur = 25  # eigen norm: open trajecten per regisseur (geen landelijke norm)

[gemeenten.Lindeveen.doelen] # per gemeente afwijkende keuzes; zelfde sleutels als hierboven
afschaling = 0.35

[regio]                      # optioneel: één extra rapport dat deze gemeenten naast elkaar zet
naam = "Jeugdregio Rivierenland"
gemeenten = ["Lindeveen", "Beekdal", "Oosterwaarde"]   # minstens twee, uit de data
```

The article numbering of the Wet gemeentelijke schuldhulpverlening changed in 2021;
the term is therefore configuration, not code.
"""

from __future__ import annotations

import copy
import datetime as _dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from monitoranalyse.contract import Beleidswijziging

STANDAARD_TERMIJNEN: dict[str, int] = {
    "onderzoek_wmo": 42,
    "beschikking_wmo": 14,
    "beschikking_jeugd": 56,
    "eerste_gesprek_schulden": 28,
    "plan": 42,
}
STANDAARD_OPENBAARMAKING: dict[str, int] = {"drempel": 8, "afronden_op": 0}
#: [kosten]: no default rate -- team costs are only computed from a configured rate or
#: from an explicit ``formatie.teamkosten`` column (no number from an assumption).
STANDAARD_KOSTEN: dict[str, float | None] = {"fte_tarief": None}
#: [medewerkers]: the caseload norm per regisseur (open trajecten). There is no national
#: norm; 25 is a round figure in the range gemeenten use (own norm, configurable).
STANDAARD_MEDEWERKERS: dict[str, float] = {"caseloadnorm_regisseur": 25}
#: The lowest drempel without an explicit choice: CBS never publishes counts below 5 in
#: its own minimum practice (cell counts 1-4 are always "geheim"). A lower drempel needs
#: ``lage_drempel_toegestaan = true`` in [openbaarmaking], and every report then says so.
MINIMUM_DREMPEL = 5


class ConfigFout(ValueError):
    """A problem in monitor.toml, with a Dutch message naming file, key and expected type.

    ``details`` keeps the original (English) message of the TOML parser, if any.
    """

    def __init__(self, bericht: str, details: str | None = None):
        super().__init__(bericht)
        self.details = details


@dataclass
class MonitorConfig:
    termijnen: dict[str, int] = field(default_factory=lambda: dict(STANDAARD_TERMIJNEN))
    openbaarmaking: dict[str, int] = field(
        default_factory=lambda: dict(STANDAARD_OPENBAARMAKING)
    )
    beleidswijzigingen: list[Beleidswijziging] = field(default_factory=list)
    doelen: dict[str, float] = field(default_factory=dict)
    #: monitor period {"van": "jjjj-mm", "tot": "jjjj-mm"}; CLI --van/--tot override it
    periode: dict[str, str] = field(default_factory=dict)
    #: [kosten] fte_tarief: loonkosten per fte per jaar (euro) or None
    kosten: dict = field(default_factory=lambda: dict(STANDAARD_KOSTEN))
    #: [medewerkers] caseloadnorm_regisseur
    medewerkers: dict = field(default_factory=lambda: dict(STANDAARD_MEDEWERKERS))
    #: raw per-gemeente overrides (already checked), applied by :meth:`voor_gemeente`
    gemeenten: dict[str, dict] = field(default_factory=dict)
    bron: str | None = None  # path of the toml file, for provenance
    #: explicit choice for a drempel below :data:`MINIMUM_DREMPEL` (printed in every report)
    lage_drempel_toegestaan: bool = False
    #: [regio] (issue 15): {"naam": str, "gemeenten": [str, ...]} or empty; the gemeenten are
    #: checked against the data by the batch (analyse.regio.regio_gemeenten)
    regio: dict = field(default_factory=dict)

    @property
    def drempel(self) -> int:
        return int(self.openbaarmaking["drempel"])

    @property
    def drempel_verlaagd(self) -> bool:
        """True when the drempel is below the minimum by explicit choice."""
        return self.drempel < MINIMUM_DREMPEL

    def voor_gemeente(self, gemeente: str) -> "MonitorConfig":
        """The configuration as it applies to one gemeente (overrides merged)."""
        cfg = copy.deepcopy(self)
        extra = self.gemeenten.get(gemeente, {})
        cfg.termijnen.update(extra.get("termijnen", {}))
        ob = dict(extra.get("openbaarmaking", {}))
        if "lage_drempel_toegestaan" in ob:
            cfg.lage_drempel_toegestaan = bool(ob.pop("lage_drempel_toegestaan"))
        cfg.openbaarmaking.update(ob)
        cfg.doelen.update({k: float(v) for k, v in extra.get("doelen", {}).items()})
        cfg.periode.update(extra.get("periode", {}))
        cfg.kosten.update({k: float(v) for k, v in extra.get("kosten", {}).items()})
        cfg.medewerkers.update({k: float(v) for k, v in extra.get("medewerkers", {}).items()})
        cfg.beleidswijzigingen = [
            b for b in self.beleidswijzigingen if b.gemeente in (None, gemeente)
        ] + [_beleid(b, gemeente) for b in extra.get("beleidswijziging", [])]
        cfg.gemeenten = {}
        cfg.regio = {}
        return cfg


def _beleid(raw: dict, gemeente: str | None) -> Beleidswijziging:
    """A checked [[beleidswijziging]] table -> Beleidswijziging."""
    datum = raw["datum"]
    if isinstance(datum, _dt.datetime):
        datum = datum.date()
    if isinstance(datum, str):
        datum = _dt.date.fromisoformat(datum)
    gem = raw.get("gemeente", gemeente)
    return Beleidswijziging(datum=datum.isoformat(), label=str(raw["label"]), gemeente=gem)


def _is_maand(w) -> bool:
    try:
        _dt.datetime.strptime(str(w), "%Y-%m")
        return True
    except ValueError:
        return False


# ---------------------------------------------------------------------------
# The schema of monitor.toml (hand-written: every message Dutch, naming key and type)
# ---------------------------------------------------------------------------


def _type_nl(w) -> str:
    if isinstance(w, bool):
        return "ja/nee (true/false)"
    if isinstance(w, int):
        return "een geheel getal"
    if isinstance(w, float):
        return "een getal"
    if isinstance(w, str):
        return "tekst"
    if isinstance(w, (_dt.datetime, _dt.date)):
        return "een datum"
    if isinstance(w, dict):
        return "een tabel [..]"
    if isinstance(w, list):
        return "een lijst"
    return type(w).__name__


def _toon(w) -> str:
    if isinstance(w, bool):
        return "true" if w else "false"
    if isinstance(w, dict):
        return "{…}"
    r = repr(w)
    return r if len(r) <= 60 else r[:59] + "…"


def _indicatorcodes() -> set[str]:
    # the catalog is filled by the time a configuration is read (import monitoranalyse
    # imports the indicator modules); config never imports the indicator stage itself
    from monitoranalyse.indicatoren import catalogus

    return set(catalogus.codes())


class _Controle:
    """Collects every problem of one file, so the user fixes them in one go."""

    def __init__(self, pad):
        self.pad = pad
        self.fouten: list[str] = []

    def fout(self, sleutel: str, waarde, verwacht: str) -> None:
        self.fouten.append(
            f"{sleutel} = {_toon(waarde)} ({_type_nl(waarde)}); verwacht {verwacht}"
        )

    def tabel(self, sleutel: str, w) -> bool:
        if isinstance(w, dict):
            return True
        self.fouten.append(f"{sleutel} = {_toon(w)} ({_type_nl(w)}); verwacht een tabel [{sleutel}] met sleutels")
        return False

    def onbekend(self, sectie: str, sleutel: str, bekend) -> None:
        toegestaan = ", ".join(sorted(bekend)) or "(geen)"
        if len(toegestaan) > 300:
            toegestaan = toegestaan[:299] + "…"
        self.fouten.append(f"[{sectie}] kent de sleutel '{sleutel}' niet; toegestaan: {toegestaan}")


def _geheel(w) -> bool:
    return isinstance(w, int) and not isinstance(w, bool)


def _controleer_sectie(c: _Controle, prefix: str, raw: dict, per_gemeente: bool) -> None:
    """Check one level of monitor.toml (the top, or a [gemeenten.X] section)."""
    bekend = {"termijnen", "openbaarmaking", "beleidswijziging", "doelen", "periode", "kosten",
              "medewerkers"}
    if not per_gemeente:
        bekend.update(("gemeenten", "regio"))
    for sectie in raw:
        if sectie not in bekend:
            waar = f"[{prefix}]" if prefix else "monitor.toml"
            c.fouten.append(
                f"{waar}: onbekende sectie '{sectie}'; toegestaan: {', '.join(sorted(bekend))}"
            )
    p = f"{prefix}." if prefix else ""

    if "termijnen" in raw and c.tabel(f"{p}termijnen", raw["termijnen"]):
        for k, w in raw["termijnen"].items():
            if k not in STANDAARD_TERMIJNEN:
                c.onbekend(f"{p}termijnen", k, STANDAARD_TERMIJNEN)
            elif not _geheel(w) or w < 0:
                c.fout(f"[{p}termijnen] {k}", w, "een geheel getal ≥ 0 (kalenderdagen)")

    if "openbaarmaking" in raw and c.tabel(f"{p}openbaarmaking", raw["openbaarmaking"]):
        ob = raw["openbaarmaking"]
        laag = ob.get("lage_drempel_toegestaan", False)
        for k, w in ob.items():
            if k == "lage_drempel_toegestaan":
                if not isinstance(w, bool):
                    c.fout(f"[{p}openbaarmaking] {k}", w, "true of false")
            elif k == "drempel":
                if not _geheel(w):
                    c.fout(f"[{p}openbaarmaking] drempel", w, f"een geheel getal ≥ {MINIMUM_DREMPEL}")
                elif w < 1:
                    c.fout(f"[{p}openbaarmaking] drempel", w,
                           "een geheel getal ≥ 1 (een drempel 0 beschermt niemand)")
                elif w < MINIMUM_DREMPEL and laag is not True:
                    c.fout(f"[{p}openbaarmaking] drempel", w,
                           f"een geheel getal ≥ {MINIMUM_DREMPEL} (CBS-minimum); een lagere drempel kan "
                           "alleen met 'lage_drempel_toegestaan = true' in dezelfde sectie, en staat dan "
                           "in de verantwoording van elk rapport")
            elif k == "afronden_op":
                if not _geheel(w) or w < 0:
                    c.fout(f"[{p}openbaarmaking] afronden_op", w, "een geheel getal ≥ 0 (0 = niet afronden)")
            else:
                c.onbekend(f"{p}openbaarmaking", k, [*STANDAARD_OPENBAARMAKING, "lage_drempel_toegestaan"])

    if "doelen" in raw and c.tabel(f"{p}doelen", raw["doelen"]):
        codes = _indicatorcodes()
        for k, w in raw["doelen"].items():
            if k not in codes:
                c.onbekend(f"{p}doelen", k, codes)
            elif isinstance(w, bool) or not isinstance(w, (int, float)) or w != w or w in (float("inf"), float("-inf")):
                c.fout(f"[{p}doelen] {k}", w, "een getal (bv. 0.9 voor 90%)")

    for sectie, standaard in (("kosten", STANDAARD_KOSTEN), ("medewerkers", STANDAARD_MEDEWERKERS)):
        if sectie in raw and c.tabel(f"{p}{sectie}", raw[sectie]):
            for k, w in raw[sectie].items():
                if k not in standaard:
                    c.onbekend(f"{p}{sectie}", k, standaard)
                elif isinstance(w, bool) or not isinstance(w, (int, float)) or not (0 < w < float("inf")):
                    c.fout(f"[{p}{sectie}] {k}", w, "een getal > 0")

    if "periode" in raw and c.tabel(f"{p}periode", raw["periode"]):
        for k, w in raw["periode"].items():
            if k == "inloop_maanden":  # months of build-up without opening stock (indicatoren._inloop)
                if isinstance(w, bool) or not isinstance(w, int) or w < 0:
                    c.fout(f"[{p}periode] {k}", w, "een geheel getal >= 0 (0 = de export bevat de beginvoorraad)")
            elif k not in ("van", "tot"):
                c.onbekend(f"{p}periode", k, ("van", "tot", "inloop_maanden"))
            elif not isinstance(w, str) or not _is_maand(w):
                c.fout(f"[{p}periode] {k}", w, 'een maand als tekst "jjjj-mm" (bv. "2021-01")')
        per = raw["periode"]
        if isinstance(per.get("van"), str) and isinstance(per.get("tot"), str) and _is_maand(per["van"]) \
                and _is_maand(per["tot"]) and per["van"] > per["tot"]:
            c.fouten.append(f"[{p}periode] van {per['van']} ligt na tot {per['tot']}")

    if "beleidswijziging" in raw:
        lijst = raw["beleidswijziging"]
        naam = f"{p}beleidswijziging"
        if not isinstance(lijst, list) or not all(isinstance(b, dict) for b in lijst):
            c.fout(naam, lijst, f"een lijst van tabellen [[{naam}]] met datum en label")
        else:
            for i, b in enumerate(lijst, start=1):
                waar = f"[[{naam}]] nr. {i}"
                for k in b:
                    if k not in ("datum", "label", "gemeente"):
                        c.onbekend(waar.strip("[]"), k, ("datum", "label", "gemeente"))
                for k in ("datum", "label"):
                    if k not in b:
                        c.fouten.append(f"{waar} mist '{k}' (nodig: datum en label)")
                d = b.get("datum")
                if d is not None:
                    goed = isinstance(d, _dt.date) and not isinstance(d, _dt.time)
                    if isinstance(d, str):
                        try:
                            _dt.date.fromisoformat(d)
                            goed = True
                        except ValueError:
                            goed = False
                    if not goed:
                        c.fout(f"{waar} datum", d, "een datum jjjj-mm-dd (bv. datum = 2023-01-01)")
                if "label" in b and (not isinstance(b["label"], str) or not b["label"].strip()):
                    c.fout(f"{waar} label", b["label"], "een niet-lege tekst")
                if "gemeente" in b and (not isinstance(b["gemeente"], str) or not b["gemeente"].strip()):
                    c.fout(f"{waar} gemeente", b["gemeente"], "de naam van een gemeente (tekst)")

    if not per_gemeente and "regio" in raw and c.tabel("regio", raw["regio"]):
        _controleer_regio(c, raw["regio"])

    if not per_gemeente and "gemeenten" in raw and c.tabel("gemeenten", raw["gemeenten"]):
        for gem, sectie in raw["gemeenten"].items():
            if c.tabel(f"gemeenten.{gem}", sectie):
                _controleer_sectie(c, f"gemeenten.{gem}", sectie, per_gemeente=True)


def _controleer_regio(c: _Controle, regio: dict) -> None:
    """[regio]: naam (non-empty text) and gemeenten (a list of at least two distinct names).
    Whether those gemeenten are in the data is checked when the data is there (the batch)."""
    for k in regio:
        if k not in ("naam", "gemeenten"):
            c.onbekend("regio", k, ("naam", "gemeenten"))
    naam = regio.get("naam")
    if naam is None:
        c.fouten.append("[regio] mist 'naam' (de naam van de regio, bv. naam = \"Jeugdregio Rivierenland\")")
    elif not isinstance(naam, str) or not naam.strip():
        c.fout("[regio] naam", naam, "een niet-lege tekst")
    lijst = regio.get("gemeenten")
    if lijst is None:
        c.fouten.append("[regio] mist 'gemeenten' (een lijst van minstens twee gemeenten, "
                        "bv. gemeenten = [\"Lindeveen\", \"Beekdal\"])")
    elif not isinstance(lijst, list) or not all(isinstance(g, str) and g.strip() for g in lijst):
        c.fout("[regio] gemeenten", lijst, 'een lijst van gemeentenamen als tekst, bv. ["Lindeveen", "Beekdal"]')
    elif len(set(lijst)) < 2:
        c.fout("[regio] gemeenten", lijst, "minstens twee verschillende gemeenten (een regio vergelijkt gemeenten)")
    elif len(set(lijst)) < len(lijst):
        dubbel = sorted({g for g in lijst if lijst.count(g) > 1})
        c.fouten.append(f"[regio] gemeenten noemt {', '.join(dubbel)} meer dan eens")


# tomllib's English messages (Python 3.11-3.13) -> Dutch
_TOML_NL = (
    ("Expected '=' after a key in a key/value pair", "na een sleutel wordt '=' verwacht"),
    ("Invalid value", "ongeldige waarde (staat tekst tussen aanhalingstekens?)"),
    ("Invalid statement", "ongeldige regel"),
    ("Cannot overwrite a value", "een sleutel staat er twee keer in"),
    ("Cannot declare", "een sectie of sleutel staat er twee keer in"),
    ("Unclosed array", "een lijst is niet afgesloten (']' ontbreekt)"),
    ("Unclosed inline table", "een tabel {…} is niet afgesloten ('}' ontbreekt)"),
    ("Unterminated string", "een tekst is niet afgesloten (aanhalingsteken ontbreekt)"),
    ("Expected newline or end of document after a statement", "na een waarde hoort een nieuwe regel"),
    ("Invalid initial character for a key part", "ongeldig teken aan het begin van een sleutel"),
    ("Expected ']' at the end of a table declaration", "']' ontbreekt aan het eind van een sectienaam"),
    ("Expected ']]' at the end of an array declaration", "']]' ontbreekt aan het eind van een sectienaam"),
    ("Invalid date or datetime", "ongeldige datum"),
    ("Illegal character", "ongeldig teken"),
)


def _vertaal_toml(e: Exception) -> str:
    import re

    tekst = str(e)
    waar = ""
    m = re.search(r"\(at line (\d+), column (\d+)\)", tekst)
    if m:
        waar = f" (regel {m.group(1)}, positie {m.group(2)})"
    elif "end of document" in tekst:
        waar = " (aan het eind van het bestand)"
    for en, nl in _TOML_NL:
        if tekst.startswith(en):
            return nl + waar
    return "de opbouw klopt niet" + waar


def lees_config(pad: str | Path | None) -> MonitorConfig:
    """Read and check ``monitor.toml`` (a file, or a dataset folder that may contain one).

    A missing file gives the defaults. The whole file is checked against the schema
    (every section, key and type, also in ``[gemeenten.X]`` sections); all problems
    are reported together in one :class:`ConfigFout` naming the file, the key and the
    expected type.
    """
    if pad is None:
        return MonitorConfig()
    pad = Path(pad)
    if pad.is_dir():
        pad = pad / "monitor.toml"
    if not pad.exists():
        return MonitorConfig()
    try:
        tekst = pad.read_bytes().decode("utf-8-sig")
        raw = tomllib.loads(tekst)
    except UnicodeDecodeError as e:
        raise ConfigFout(f"{pad}: het bestand is geen UTF-8-tekst; sla het op als UTF-8.",
                         details=str(e)) from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigFout(f"{pad}: geen geldige TOML: {_vertaal_toml(e)}.", details=str(e)) from None
    except OSError as e:
        from monitoranalyse.tekst import vertaal_os_fout

        raise ConfigFout(f"{pad} kan niet gelezen worden: {vertaal_os_fout(e)}.",
                         details=f"{type(e).__name__}: {e}") from None
    c = _Controle(pad)
    _controleer_sectie(c, "", raw, per_gemeente=False)
    if c.fouten:
        raise ConfigFout(
            f"{pad} bevat {len(c.fouten)} fout(en):\n" + "\n".join(f"  - {f}" for f in c.fouten)
        )
    cfg = MonitorConfig(bron=str(pad))
    cfg.termijnen.update(raw.get("termijnen", {}))
    ob = dict(raw.get("openbaarmaking", {}))
    cfg.lage_drempel_toegestaan = bool(ob.pop("lage_drempel_toegestaan", False))
    cfg.openbaarmaking.update(ob)
    cfg.doelen = {k: float(v) for k, v in raw.get("doelen", {}).items()}
    cfg.kosten.update({k: float(v) for k, v in raw.get("kosten", {}).items()})
    cfg.medewerkers.update({k: float(v) for k, v in raw.get("medewerkers", {}).items()})
    cfg.periode = {k: (v if k == "inloop_maanden" else str(v)) for k, v in raw.get("periode", {}).items()}
    cfg.beleidswijzigingen = [_beleid(b, None) for b in raw.get("beleidswijziging", [])]
    cfg.gemeenten = raw.get("gemeenten", {})
    if "regio" in raw:
        cfg.regio = {"naam": raw["regio"]["naam"].strip(),
                     "gemeenten": [g.strip() for g in raw["regio"]["gemeenten"]]}
    return cfg

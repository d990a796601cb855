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

[gemeenten.Lindeveen.doelen] # per gemeente afwijkende keuzes; zelfde sleutels als hierboven
afschaling = 0.35
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

from .contract import Beleidswijziging

STANDAARD_TERMIJNEN: dict[str, int] = {
    "onderzoek_wmo": 42,
    "beschikking_wmo": 14,
    "beschikking_jeugd": 56,
    "eerste_gesprek_schulden": 28,
    "plan": 42,
}
STANDAARD_OPENBAARMAKING: dict[str, int] = {"drempel": 8, "afronden_op": 0}


class ConfigFout(ValueError):
    """A problem in monitor.toml, with a Dutch message."""


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
    #: raw per-gemeente overrides, applied by :meth:`voor_gemeente`
    gemeenten: dict[str, dict] = field(default_factory=dict)
    bron: str | None = None  # path of the toml file, for provenance

    @property
    def drempel(self) -> int:
        return int(self.openbaarmaking["drempel"])

    def voor_gemeente(self, gemeente: str) -> "MonitorConfig":
        """The configuration as it applies to one gemeente (overrides merged)."""
        cfg = copy.deepcopy(self)
        extra = self.gemeenten.get(gemeente, {})
        cfg.termijnen.update(extra.get("termijnen", {}))
        cfg.openbaarmaking.update(extra.get("openbaarmaking", {}))
        cfg.doelen.update(extra.get("doelen", {}))
        cfg.periode.update(extra.get("periode", {}))
        cfg.beleidswijzigingen = [
            b for b in self.beleidswijzigingen if b.gemeente in (None, gemeente)
        ] + [_beleid(b, gemeente, cfg.bron) for b in extra.get("beleidswijziging", [])]
        cfg.gemeenten = {}
        return cfg


def _beleid(raw: dict, gemeente: str | None, bron) -> Beleidswijziging:
    try:
        datum = raw["datum"]
        label = str(raw["label"])
    except KeyError as e:
        raise ConfigFout(
            f"{bron}: een [[beleidswijziging]] mist '{e.args[0]}' (nodig: datum en label)"
        ) from None
    if isinstance(datum, _dt.datetime):
        datum = datum.date()
    if isinstance(datum, str):
        try:
            datum = _dt.date.fromisoformat(datum)
        except ValueError:
            raise ConfigFout(
                f"{bron}: beleidswijziging '{label}' heeft datum {datum!r}; verwacht jjjj-mm-dd"
            ) from None
    gem = raw.get("gemeente", gemeente)
    return Beleidswijziging(datum=datum.isoformat(), label=label, gemeente=gem)


def _is_maand(w) -> bool:
    try:
        _dt.datetime.strptime(str(w), "%Y-%m")
        return True
    except ValueError:
        return False


def lees_config(pad: str | Path | None) -> MonitorConfig:
    """Read ``monitor.toml`` (a file, or a dataset folder that may contain one).

    A missing file gives the defaults. A malformed file raises :class:`ConfigFout`
    with a Dutch message naming the file.
    """
    if pad is None:
        return MonitorConfig()
    pad = Path(pad)
    if pad.is_dir():
        pad = pad / "monitor.toml"
    if not pad.exists():
        return MonitorConfig()
    try:
        raw = tomllib.loads(pad.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigFout(f"{pad}: geen geldige TOML ({e})") from None
    bekend = {"termijnen", "openbaarmaking", "beleidswijziging", "doelen", "gemeenten", "periode"}
    onbekend = set(raw) - bekend
    if onbekend:
        raise ConfigFout(
            f"{pad}: onbekende sectie(s) {sorted(onbekend)}; toegestaan: {sorted(bekend)}"
        )
    cfg = MonitorConfig(bron=str(pad))
    for sectie, doel in (("termijnen", cfg.termijnen), ("openbaarmaking", cfg.openbaarmaking)):
        for sleutel, waarde in raw.get(sectie, {}).items():
            if sleutel not in doel:
                raise ConfigFout(
                    f"{pad}: [{sectie}] kent '{sleutel}' niet; bekend: {sorted(doel)}"
                )
            if not isinstance(waarde, int) or waarde < 0:
                raise ConfigFout(
                    f"{pad}: [{sectie}] {sleutel} = {waarde!r}; verwacht een geheel getal >= 0"
                )
            doel[sleutel] = waarde
    cfg.doelen = {k: float(v) for k, v in raw.get("doelen", {}).items()}
    for sleutel, waarde in raw.get("periode", {}).items():
        if sleutel == "inloop_maanden":  # months of build-up without opening stock (indicatoren._inloop)
            if not isinstance(waarde, int) or isinstance(waarde, bool) or waarde < 0:
                raise ConfigFout(f"{pad}: [periode] inloop_maanden = {waarde!r}; verwacht een geheel getal >= 0")
            cfg.periode[sleutel] = waarde
            continue
        if sleutel not in ("van", "tot") or not _is_maand(waarde):
            raise ConfigFout(
                f"{pad}: [periode] {sleutel} = {waarde!r}; verwacht van/tot als \"jjjj-mm\""
            )
        cfg.periode[sleutel] = str(waarde)
    cfg.beleidswijzigingen = [_beleid(b, None, pad) for b in raw.get("beleidswijziging", [])]
    cfg.gemeenten = raw.get("gemeenten", {})
    return cfg

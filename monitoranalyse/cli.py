"""Command line: ``monitoranalyse <opdracht>`` (also ``python -m monitoranalyse``).

Every user-facing text is Dutch. Known input problems (:class:`InvoerFout`,
:class:`ConfigFout`) end with a clear message and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from monitoranalyse.versie import __version__
from monitoranalyse.config import ConfigFout
from monitoranalyse.invoer.monitordata import InvoerFout


class _NLHelp(argparse.HelpFormatter):
    """argparse in Dutch: 'gebruik:' instead of 'usage:'."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix="gebruik: " if prefix is None else prefix)


_VERTALING = (
    ("the following arguments are required", "deze opties zijn verplicht"),
    ("unrecognized arguments", "onbekende opties"),
    ("invalid choice", "ongeldige keuze"),
    ("expected one argument", "verwacht één waarde"),
    ("invalid float value", "geen geldig getal"),
    ("invalid int value", "geen geldig geheel getal"),
    ("choose from", "kies uit"),
)


class _NLParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _NLHelp)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "opdrachten"
        self._optionals.title = "opties"
        self.add_argument("-h", "--help", action="help", help="toon deze hulptekst en stop")

    def error(self, message):
        for en, nl in _VERTALING:
            message = message.replace(en, nl)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _NLParser(
        prog="monitoranalyse",
        description="Monitor sociale (wijk)teams: valideren, voorbeelddata en rapporten.",
    )
    p.add_argument("--versie", action="version", version=f"monitoranalyse {__version__}",
                   help="toon het versienummer en stop")
    sub = p.add_subparsers(dest="opdracht", metavar="opdracht", required=True, parser_class=_NLParser)

    v = sub.add_parser("valideer", help="lees en controleer een dataset; toon de rijverantwoording")
    v.add_argument("--data", required=True, type=Path, help="map met de tabellen van de dataset")
    v.add_argument(
        "--details",
        action="store_true",
        help="toon álle rijen in quarantaine (standaard maximaal 50 per regel en tabel)",
    )

    g = sub.add_parser("voorbeelddata", help="maak synthetische voorbeelddata met geplante effecten")
    g.add_argument("--out", required=True, type=Path, help="doelmap")
    g.add_argument("--seed", type=int, default=2026, help="toevalszaad (standaard 2026)")
    g.add_argument(
        "--schaal", type=float, default=1.0, help="volume ten opzichte van het standaardvoorbeeld"
    )
    g.add_argument("--zonder-rommelig", action="store_true", help="geen rommelige variant maken")
    g.add_argument("--inloop", action="store_true",
                   help="ook MAP/inloop: dezelfde data zonder beginvoorraad, eindigend op 30 juni 2025")
    g.add_argument("--landelijk", action="store_true",
                   help="in plaats van het voorbeeld MAP/landelijk: alle 342 gemeenten met hun echte "
                        "inwonertal (CBS 2024); --schaal is dan het aantal meldingen per inwoner ten "
                        "opzichte van het voorbeeld")
    g.add_argument("--gemeenten", type=int, default=None, metavar="N",
                   help="met --landelijk: alleen de N kleinste gemeenten (voor tests)")

    r = sub.add_parser("rapport", help="maak de rapporten per gemeente")
    r.add_argument("--data", required=True, type=Path)
    r.add_argument("--out", required=True, type=Path)
    r.add_argument("--gemeente", nargs="*", default=None, metavar="NAAM")
    r.add_argument("--van", default=None, metavar="JJJJ-MM")
    r.add_argument("--tot", default=None, metavar="JJJJ-MM")
    r.add_argument("--parallel", type=int, default=2, metavar="N")
    r.add_argument("--cbs", type=Path, default=None, metavar="MAP", help="map met CBS-tabellen")
    r.add_argument("--pdf", action="store_true",
                   help="schrijf per gemeente ook monitor_<gemeente>.pdf (toegankelijke PDF, met chromium)")
    r.add_argument("--details", action="store_true",
                   help="toon bij een fout ook de oorspronkelijke (technische) melding")
    r.add_argument("--alleen-gewijzigd", action="store_true",
                   help="sla een gemeente over waarvan het rapport al bestaat en gemaakt is met dezelfde gegevens, "
                        "parameters en pakketversie (voor een maandelijkse herhaling voor veel gemeenten)")
    r.add_argument("--cluster", default=None, metavar="ADRES",
                   help="voer het werk per gemeente uit op een Dask-cluster (adres van de scheduler, bv. "
                        "tcp://10.0.0.5:8786); data en --out moeten voor elke werker op hetzelfde pad bereikbaar zijn")
    rg = r.add_mutually_exclusive_group()
    rg.add_argument("--regio", default=None, metavar="NAAM",
                    help="maak ook één regiorapport dat de gemeenten naast elkaar zet (de gemeenten uit [regio] in "
                         "monitor.toml, anders alle gemeenten van deze run); zonder deze optie alleen als "
                         "monitor.toml een [regio] heeft")
    rg.add_argument("--geen-regio", action="store_true",
                    help="geen regiorapport, ook niet als monitor.toml een [regio] heeft")

    c = sub.add_parser("cbs", help="download een CBS StatLine-tabel (internet nodig)")
    c.add_argument("--tabel", required=True, metavar="ID", help="tabelnummer, bv. 85094NED")
    c.add_argument("--out", required=True, type=Path, help="doelmap")
    return p


def _valideer(args) -> int:
    from monitoranalyse.invoer.laden import laad, verslag_validatie

    md = laad(args.data)
    print(verslag_validatie(md, details=args.details))
    return 0


def _voorbeelddata(args) -> int:
    from monitoranalyse.voorbeelddata import genereer, genereer_landelijk

    if args.landelijk:
        if args.inloop or args.zonder_rommelig:
            print("--inloop en --zonder-rommelig horen niet bij --landelijk (dat maakt geen "
                  "rommelige variant en geen inloop)", file=sys.stderr)
            return 2
        pad = genereer_landelijk(args.out, seed=args.seed, schaal=args.schaal, aantal=args.gemeenten)
        print(f"Landelijke voorbeelddata geschreven naar {pad}")
        return 0
    if args.gemeenten is not None:
        print("--gemeenten hoort bij --landelijk", file=sys.stderr)
        return 2
    pad = genereer(args.out, seed=args.seed, schaal=args.schaal, rommelig=not args.zonder_rommelig,
                   inloop=args.inloop)
    print(f"Voorbeelddata geschreven naar {pad}")
    return 0


def _rapport(args) -> int:
    from monitoranalyse.rapport.batch import rapport

    return rapport(
        data=args.data,
        out=args.out,
        gemeenten=args.gemeente,
        van=args.van,
        tot=args.tot,
        parallel=args.parallel,
        cbs=args.cbs,
        pdf=args.pdf,
        regio=False if args.geen_regio else args.regio,
        alleen_gewijzigd=args.alleen_gewijzigd,
        cluster=args.cluster,
    )


def _cbs(args) -> int:
    from monitoranalyse.opendata.cbs import download

    try:
        pad = download(args.tabel, args.out)
    except OSError as e:
        print(f"Fout: downloaden van CBS-tabel {args.tabel} is niet gelukt ({e}). Is er internet?", file=sys.stderr)
        return 2
    print(f"CBS-tabel {args.tabel} geschreven naar {pad}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    doe = {"valideer": _valideer, "voorbeelddata": _voorbeelddata, "rapport": _rapport, "cbs": _cbs}
    try:
        return doe[args.opdracht](args)
    except (InvoerFout, ConfigFout) as e:
        print(f"Fout: {e}", file=sys.stderr)
        details = getattr(e, "details", None)
        if details and getattr(args, "details", False):
            print(f"Details (oorspronkelijke melding): {details}", file=sys.stderr)
        elif details and hasattr(args, "details"):
            print("(Gebruik --details voor de oorspronkelijke, technische melding.)", file=sys.stderr)
        return 2
    except OSError as e:
        # an operating-system problem not foreseen above: Dutch, no traceback
        from monitoranalyse.invoer.monitordata import vertaal_os_fout

        naam = f" ({e.filename})" if getattr(e, "filename", None) else ""
        print(f"Fout: bestand of map{naam}: {vertaal_os_fout(e)}.", file=sys.stderr)
        if getattr(args, "details", False):
            print(f"Details (oorspronkelijke melding): {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Afgebroken.", file=sys.stderr)
        return 130

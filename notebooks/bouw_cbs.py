"""Source of the CBS benchmark notebook: ``python notebooks/bouw_cbs.py`` writes
``notebooks/cbs_benchmark.ipynb`` (outputs stripped, fixed cell ids, deterministic).

Edit HERE, not in the .ipynb. The notebook is thin: a ``parameters`` cell (papermill),
then calls into :mod:`monitoranalyse.opendata.benchmark` shown through :mod:`monitoranalyse.rapport.weergave`.
It never fails on missing data: without a CBS folder, with a folder that lacks a table,
or for a gemeente that CBS does not know (the fictional sample gemeenten), it shows a
Dutch message and whatever national picture there is.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

MAP = Path(__file__).resolve().parent
NAAM = "cbs_benchmark"

PARAMETERS = '''\
# Parameters (papermill vult deze in per gemeente)
gemeente = "Amersfoort"
cbs = None        # map met CBS StatLine-extracten (bv. ../shared/data/cbs)
werkmap = None    # optioneel: map voor een cache van de ingelezen tabellen
peers = None      # optioneel: eigen lijst van vergelijkbare gemeenten'''

START = '''\
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
from IPython.display import display

from monitoranalyse.opendata import benchmark
from monitoranalyse.rapport import figuren, weergave

warnings.filterwarnings("ignore")
figuren.stijl()


def toon_fig(fig):
    display(fig)
    plt.close(fig)


res, T, melding = None, {}, None
if cbs is None:
    melding = ("Er is geen map met CBS-gegevens opgegeven (parameter cbs). Deze benchmark heeft "
               "CBS StatLine-extracten nodig; geef bijvoorbeeld 'monitoranalyse rapport --cbs MAP' op.")
elif not Path(cbs).is_dir():
    melding = f"De map met CBS-gegevens bestaat niet: {cbs}."
else:
    T = benchmark.lees_cbs(cbs, werkmap)
    if not T:
        melding = f"In de map {cbs} staan geen CBS-tabellen (bestanden met een tabelnummer zoals 82968NED)."
    else:
        res = benchmark.benchmark(T, gemeente, peers=peers)'''

TITEL = '''\
display(weergave.kop(f"CBS-benchmark – {gemeente}", 1))
display(weergave.kader(
    "**Leeswijzer.** Deze benchmark zet de gemeente naast vergelijkbare gemeenten (naar inwonertal) en "
    "Nederland, met open data van het CBS (StatLine). Lege cellen (•) zijn door het CBS geheimgehouden "
    "of niet geleverd; een * betekent een voorlopig cijfer. Waar het CBS een reeks opnieuw is begonnen "
    "(nieuwe registratie vanaf 2021) staat een stippellijn 'reeksbreuk': over zo'n breuk wordt geen "
    "trend berekend. Bron: CBS."))
if melding:
    display(weergave.kader(melding))
elif res is not None:
    for m in res.meldingen:
        display(weergave.kader(m))'''

BESCHIKBAAR = '''\
if res is not None:
    display(weergave.toon(res.beschikbaarheid, kolommen={"tabel": "CBS-tabel", "onderwerp": "onderwerp",
                        "aanwezig": "aanwezig", "opmerking": "opmerking"}))'''

PEERS = '''\
if res is not None and res.in_cbs and not res.peers.empty:
    display(weergave.toon(res.peers, kolommen={"rang": "rang", "gemeente": "gemeente", "inwoners": "inwoners",
                        "verhouding": "inwoners t.o.v. " + res.gemeente, "bron": "bron"}, decimalen=2))
elif res is not None and res.in_cbs:
    display(weergave.kader("Geen vergelijkbare gemeenten te bepalen: inwonertallen ontbreken."))'''

KERN = '''\
if res is not None:
    display(weergave.toon(benchmark.kerntabel(res)))'''


def _onderdeel(codes: list[str], verblijf: bool = False) -> str:
    regels = ["if res is not None:"]
    if verblijf:
        regels.append("    toon_fig(benchmark.figuur_verblijf(res, T))")
    for code in codes:
        regels += [
            f'    toon_fig(benchmark.figuur_reeks(res, "{code}"))',
            f'    display(weergave.toon(benchmark.tabel_reeks(res, "{code}"), max_rijen=40))',
            f'    for zin in res.trends.loc[res.trends["indicator"] == "{code}", "zin"]:',
            "        display(weergave.kader(zin, 'toelichting'))",
        ]
    return "\n".join(regels)


FUNNELS = '''\
if res is not None:
    for ind in benchmark.INDICATOREN:
        if len(res.funnels) and (res.funnels["indicator"] == ind.code).any():
            toon_fig(benchmark.figuur_funnel(res, ind.code))
            display(weergave.kader(res.funnels.loc[res.funnels["indicator"] == ind.code, "methode_funnel"].iloc[0],
                                 "toelichting"))'''

VERANTWOORDING = '''\
display(weergave.kop("Verantwoording", 2))
display(weergave.kader(
    "Vergelijkbare gemeenten: de gemeenten die in inwonertal het dichtst bij deze gemeente liggen "
    "(|ln(inwoners/inwoners gemeente)|, CBS 85383NED). Groepswaarde: Σteller/Σnoemer over de "
    "vergelijkbare gemeenten met een cijfer; bij tabellen met alleen percentages het ongewogen gemiddelde. "
    "Trends: regressie met Newey-West-standaardfouten plus Mann-Kendall (monitoranalyse.analyse.trend), per "
    "CBS-reeks apart. Funnels: PHE-grenzen (95% en 99,8%) met correctie voor overspreiding volgens "
    "Spiegelhalter (2005); waar het CBS geen teller en noemer geeft: gemiddelde ± z·standaardafwijking. "
    "Wmo-cijfers per 1.000 inwoners gebruiken het inwonertal dat het CBS zelf hanteert (86050NED). "
    "Bron: CBS StatLine (CC BY 4.0)."))'''

CELLEN: list[tuple[str, str]] = [
    ("parameters", PARAMETERS),
    ("code", START),
    ("code", TITEL),
    ("md", "## Welke CBS-gegevens zijn gebruikt\nDe extracten zijn niet altijd volledig; hieronder staat wat er wel en niet in zit."),
    ("code", BESCHIKBAAR),
    ("md", "## Vergelijkbare gemeenten"),
    ("code", PEERS),
    ("md", "## Kerncijfers\nHet laatste cijfer per indicator voor de gemeente, de vergelijkbare gemeenten en Nederland, met de richting van de trend en de plaats in de funnel van alle gemeenten."),
    ("code", KERN),
    ("md", "## Jeugdhulp met en zonder verblijf\nLopende jeugdhulptrajecten op elke peildatum (CBS 82968NED; vanaf 2021 85094NED). Zwaar (met verblijf) tegenover licht, en het deel van de jeugdhulp zonder verblijf dat het wijk- of buurtteam zelf uitvoert."),
    ("code", _onderdeel(["aandeel_jeugdhulp_met_verblijf", "aandeel_wijkteam"], verblijf=True)),
    ("md", "## Jongeren met jeugdhulp\nIndicatoren jeugdzorg in natura (CBS 82972NED; vanaf 2021 85098NED). Het CBS publiceert hier alleen percentages."),
    ("code", _onderdeel(["jongeren_met_jeugdhulp", "jongeren_jeugdhulp_met_verblijf"])),
    ("md", "## Wmo-cliënten, instroom en uitstroom\nWmo-maatwerkvoorzieningen per 1.000 inwoners (CBS 86050NED) en de instroom en uitstroom van cliënten (CBS 86051NED), per jaar."),
    ("code", _onderdeel(["wmo_clienten_per_1000", "wmo_instroom_per_1000", "wmo_uitstroom_per_1000"])),
    ("md", "## De gemeente tussen alle gemeenten (funnels)\nElke stip is een gemeente in de meest recente periode; de gemeente zelf is blauw, de vergelijkbare gemeenten oranje. Buiten de grenzen valt meer af te wijken dan toeval verklaart: een reden voor een vraag, geen oordeel."),
    ("code", FUNNELS),
    ("code", VERANTWOORDING),
]


def bouw() -> str:
    """The notebook as JSON text (deterministic: fixed cell ids, no outputs)."""
    sys.path.insert(0, str(MAP))
    from bouw_notebooks import _nb  # one builder for all notebooks

    return nbformat.writes(_nb(CELLEN, prefix="cbs")) + "\n"


if __name__ == "__main__":
    (MAP / f"{NAAM}.ipynb").write_text(bouw(), encoding="utf-8")

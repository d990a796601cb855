"""Source of the report notebooks: ``python notebooks/bouw_notebooks.py`` writes the .ipynb files
into ``monitoranalyse/rapport/notebooks/`` (package data: the batch of an installed package
finds them there through ``importlib.resources``).

Why a builder (and not jupytext pairing): the notebooks are committed without outputs, and
reviewing a change in plain Python is easier than in notebook JSON; the builder also gives
every cell a fixed id (the output guard relies on it), stores the expected output of the
"check" cells that nbval compares, tags cells hidden in the HTML and shares the opening cells
between the three reports (one string, not three copies in three paired files). A paired
``py:percent`` file would need all of that as per-cell metadata comments in three places.
``tests/test_notebooks.py`` fails when the committed .ipynb files differ from what this
script produces, so edit HERE.

Every notebook is thin: a ``parameters`` cell (papermill), then calls into
``monitoranalyse`` and figures. Cells marked ``# NBVAL_CHECK_OUTPUT`` are checked by nbval.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

MAP = Path(__file__).resolve().parent
#: Where the generated notebooks go: package data of monitoranalyse.rapport.
DOEL = MAP.parent / "monitoranalyse" / "rapport" / "notebooks"

PARAMETERS = '''\
# Parameters (papermill vult deze in per gemeente)
gemeente = "Lindeveen"
data = "../../../data_samples/voorbeeld"  # the sample, seen from this folder in a checkout
werkmap = None
van = None
tot = None'''

START = '''\
import warnings

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from monitoranalyse import indicatoren, tekst
from monitoranalyse.analyse import resultaten, vergelijking
from monitoranalyse.indicatoren.catalogus import indicatornaam
from monitoranalyse.rapport import figuren, inhoud, openbaarmaking, weergave
from monitoranalyse.contract import TOTAAL

warnings.filterwarnings("ignore")
figuren.stijl()
R = resultaten.resultaten(gemeente, data=data, werkmap=werkmap, van=van, tot=tot)
cfg = R.config
V = openbaarmaking.vrijgeven_resultaten(R)  # everything shown below is this released data
K = V.indicatoren            # per kwartaal
M = V.indicatoren_maand      # per maand
J = V.indicatoren_jaar       # per jaar
# key figures, bar charts, funnels, case-mix and typology: the last COMPLETE calendar year
laatste_jaar = resultaten.laatste_volledige_periode(J)
jaar_label = str(laatste_jaar.year) if laatste_jaar is not None else "geen volledig jaar"
JL = J[(J.periode_start == laatste_jaar) & ~J["inloop"].astype(bool)]
peildatum = indicatoren.peildatum(R.md)
toel = R.md.toelichting


def toon_fig(fig):
    display(weergave.figuur_html(fig, cfg))
    plt.close(fig)'''

LEESWIJZER = '''\
display(weergave.kader(
    "**Leeswijzer.** Cijfers zijn berekend uit de registratie van de wijkteams. "
    "Percentages hebben een 95%-betrouwbaarheidsinterval (de band of streep bij een figuur). "
    "Onder elke figuur staan de cijfers erachter (klik op 'Cijfers bij deze figuur'). "
    "Een verschil tussen teams is pas een aanleiding voor nader onderzoek als het buiten de "
    "grenzen van toeval valt; zie het rapport Teamvergelijking. Vaktermen staan in de begrippenlijst onderaan. "
    f"Overzichten per team gaan over het laatste volledige kalenderjaar ({jaar_label}); "
    f"de gegevens lopen t/m {tekst.maand_jaar(peildatum)}. Een periode die nog niet compleet is, "
    "staat alleen in de tijdreeksen, gestippeld met een open rondje."))
display(weergave.leeswijzer_redenen(cfg))
il = R.inloop[R.inloop["inloop_maanden"] > 0] if len(R.inloop) else R.inloop
for _, r in il.iterrows():
    display(weergave.kader(
        f"**Opbouw (inloop).** De gegevens bevatten geen trajecten die al liepen vóór "
        f"{tekst.maand_jaar(r.data_start)}; daardoor bouwen de caseload en de cijfers over lopende en "
        f"afgesloten trajecten zich de eerste {r.inloop_maanden} maanden op vanaf nul, t/m "
        f"{tekst.maand_jaar(r.inloop_tot - pd.DateOffset(months=1))}. Die perioden zijn grijs getekend en "
        "tellen niet mee in trends, SPC, prognose en teamvergelijking."))
if R.fouten:
    display(weergave.kader("Niet alle analyses zijn gelukt: " + "; ".join(f"{k}: {v}" for k, v in R.fouten.items())))'''

BEGRIPPENLIJST = '''\
display(weergave.kop("Begrippenlijst", 2))
display(weergave.begrippenlijst())'''

VERANTWOORDING = '''\
display(weergave.kop("Verantwoording", 2))
display(weergave.kader(
    "Dit rapport is reproduceerbaar: dezelfde invoerbestanden (zie de sha256-kentekens) en "
    "dezelfde parameters geven dezelfde cijfers. Methoden: Wilson-interval voor percentages, "
    "exact Poisson/Byar voor aantallen, t-interval voor gemiddelden, verdelingsvrij interval voor medianen."))
display(weergave.toon(R.herkomst, cfg, max_rijen=100))'''


#: Issue 18: the samenvatting for the raad, first in the monitor report (in the title cell, so
#: the ids of the cells below do not move) and as its own page (samenvatting.html).
SAMENVATTING_IN_MONITOR = '''\
from IPython.display import HTML
from monitoranalyse.rapport import samenvatting as sv
S = sv.maak_samenvatting(R, V)  # released figures only; the rules are in the module docstring
display(HTML(sv.samenvatting_html(S, hier="monitor_gemeente.html")))'''

SAMENVATTING = [
    ("parameters", PARAMETERS),
    ("code", START),
    ("code", '''\
from IPython.display import HTML
from monitoranalyse.rapport import samenvatting as sv
S = sv.maak_samenvatting(R, V)  # released figures only; the rules are in the module docstring
display(weergave.kop(f"Samenvatting monitor sociale wijkteams – {gemeente}", 1))
display(weergave.kader(
    f"Voor de gemeenteraad: wat opvalt in de cijfers van de wijkteams over {jaar_label}. De gegevens lopen "
    f"t/m {tekst.maand_jaar(peildatum)}. Elke zin linkt naar de tabel of figuur waar het cijfer vandaan komt. "
    "Het volledige rapport staat in monitor_gemeente.html."))
display(HTML(sv.samenvatting_html(S, met_kop=False)))'''),
    ("code", BEGRIPPENLIJST),
]


#: Report titles (notebook metadata ``monitoranalyse.titel``; the HTML template puts it,
#: with the gemeente, in ``<title>``).
TITELS = {
    "samenvatting": "Samenvatting monitor sociale wijkteams",
    "monitor_gemeente": "Monitor sociale wijkteams",
    "trendanalyse": "Trendanalyse sociale wijkteams",
    "teamvergelijking": "Teamvergelijking sociale wijkteams",
    "verkenner": "Verkenner sociale wijkteams",
}


def _nb(cellen: list[tuple], prefix: str = "cel", titel: str = "") -> nbformat.NotebookNode:
    """Cells ``(soort, bron[, verwachte uitvoer])`` -> notebook; soort is "md", "code",
    "parameters" (papermill) or "check" (a key figure compared by nbval, hidden in HTML)."""
    nb = new_notebook()
    for soort, bron, *verwacht in cellen:
        if soort == "md":
            nb.cells.append(new_markdown_cell(bron))
        elif soort == "check":
            # a key figure that nbval compares on the sample data (stored output = expectation)
            cel = new_code_cell("# NBVAL_CHECK_OUTPUT\n" + bron)
            cel.outputs = [nbformat.v4.new_output("stream", name="stdout", text=verwacht[0])]
            cel.execution_count = 1  # nbval only compares cells that were "run"
            cel.metadata["tags"] = ["verbergen"]  # in the .ipynb for re-checking, not in the HTML report
            nb.cells.append(cel)
        else:
            cel = new_code_cell(bron)
            if soort == "parameters":
                cel.metadata["tags"] = ["parameters"]
            nb.cells.append(cel)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    if titel:
        nb.metadata["monitoranalyse"] = {"titel": titel}
    for i, c in enumerate(nb.cells):
        c["id"] = f"{prefix}-{i:02d}"
    return nb


#: Indicators with a figure in the monitor report: their toelichtingen are shown beside it.
BIJ_FIGUUR_MONITOR = '''\
# indicators with a figure below: a toelichting bound to one of them is shown beside that figure
BIJ_FIGUUR = ["zrm_verbeterd", "doelrealisatie", "zrm_verandering", "aandeel_lichte_zorg", "afschaling",
              "toeleiding_maatwerk_jeugd", "toeleiding_maatwerk_wmo", "inzet_netwerk_eigen_kracht",
              "kosten_maatwerk", "kosten_per_inwoner", "caseload", "caseload_per_fte",
              "doorlooptijd_melding_plan", "doorlooptijd_melding_intake", "binnen_termijn_onderzoek", "onderzoek_binnen_termijn",
              "wachttijd_maatwerk", "beschikking_binnen_termijn", "maatwerk_zonder_beschikking",
              "maatwerk_zonder_beschikking_aandeel", "registratie_volledig",
              # issue 14
              "budgetrealisatie", "budgetafwijking", "integrale_kosten_per_traject", "teamkosten",
              "teamkosten_per_inwoner", "integrale_kosten_per_inwoner", "bereik_meldingen", "bereik_clienten",
              "verzuim", "voorziening_clienten", "voorziening_kosten", "caseload_regisseur_mediaan",
              "meer_regisseurs_per_huishouden", "jeugd_verblijf_aandeel"]


def toelichting_bij(*codes):
    for code in codes:
        display(weergave.toelichtingen(toel, indicator=code, indicatoren_bij_figuur=BIJ_FIGUUR))


def norm(code):
    return inhoud.norm(code, cfg)'''

#: Issue 14: which voorzieningen (productcategorie), gemeente level, per year.
VOORZIENINGEN = '''\
from monitoranalyse.indicatoren.voorzieningen import productcategorie_naam
vz = J[(J.indicator == "voorziening_clienten") & (J.wijkteam == TOTAAL) & (J.uitsplitsing != "")]
if vz["waarde"].notna().any():
    display(weergave.kop("Maatwerk per productcategorie", 3))
    display(weergave.kader("Trajecten met maatwerk dat in het jaar startte, per productcategorie van de iWmo "
                         "(01–18) en iJw (31–55); 'onbekend' = lege of onbekende code. Zo is te zien of de "
                         "inzet verschuift, bijvoorbeeld in de jeugdhulp van ambulant (45) naar verblijf (43, 44)."))
    breed = vz.assign(jaar=vz.periode_start.dt.year.astype(str),
                      productcategorie=[f"{c} {productcategorie_naam(c)}" if c != "onbekend" else "onbekend"
                                        for c in vz.uitsplitsing])
    breed = breed.pivot_table(index="productcategorie", columns="jaar", values="waarde", aggfunc="first",
                              dropna=False).reset_index()
    breed.columns.name = None
    display(weergave.toon(breed, cfg, decimalen=0))
toelichting_bij("voorziening_clienten", "voorziening_kosten")
# the shift between ambulant and verblijf in the jeugdhulp, as a share with its trend
toon_fig(figuren.lijn_per_team(J, "jeugd_verblijf_aandeel", procent=True, config=cfg, peildatum=peildatum,
         titel="Aandeel jeugdhulp met verblijf (iJw 43, 44) in de trajecten met jeugdhulp, per jaar"))
toelichting_bij("jeugd_verblijf_aandeel")'''

#: Issue 14: the section Doelmatigheid (costs, budget, per traject, per inwoner).
DOELMATIGHEID = '''\
from monitoranalyse.rapport import figuren_doelmatigheid
toon_fig(figuren_doelmatigheid.begroting_realisatie(J, config=cfg))
toelichting_bij("budgetrealisatie", "budgetafwijking")
toon_fig(figuren.balk_per_team(JL, "integrale_kosten_per_traject", procent=False,
         titel=f"Integrale kosten (team en maatwerk) per afgesloten traject (euro), {jaar_label}", config=cfg))
toelichting_bij("integrale_kosten_per_traject")
KOSTEN = {"teamkosten": "kosten wijkteam (euro)", "teamkosten_per_inwoner": "team per inwoner",
          "kosten_per_inwoner": "maatwerk per inwoner", "integrale_kosten_per_inwoner": "totaal per inwoner",
          "integrale_kosten_per_traject": "per afgesloten traject"}
kosten = weergave.kerncijfers(JL, KOSTEN, cfg, periode_start=laatste_jaar)
if len(kosten):
    kosten["wijkteam"] = kosten["wijkteam"].replace(TOTAAL, "gemeente")
    display(weergave.kader(f"Kosten in {jaar_label}: het wijkteam, het maatwerk en samen, per inwoner van het werkgebied en per afgesloten traject (euro)."))
    display(weergave.toon(kosten, cfg, decimalen=0))
toon_fig(figuren.lijn_per_team(J, "integrale_kosten_per_inwoner", titel="Integrale kosten (team en maatwerk) per inwoner per jaar (euro)",
         config=cfg, peildatum=peildatum))
toelichting_bij("teamkosten", "teamkosten_per_inwoner", "integrale_kosten_per_inwoner")'''

#: Issue 14: bereik in "Uitvoering".
BEREIK = '''\
toon_fig(figuren.balk_per_team(JL, "bereik_meldingen", procent=False,
         titel=f"Bereik: meldingen per 1.000 inwoners van het werkgebied, {jaar_label}", config=cfg))
toelichting_bij("bereik_meldingen", "bereik_clienten")'''

#: Issue 14: personeel and the caseload distribution in "Medewerkers".
MEDEWERKERS = '''\
PERSONEEL = {"verzuim": "verzuim", "verloop": "verloop per jaar", "vacaturegraad": "vacatures",
             "bezettingsgraad": "bezetting / formatie", "caseload_regisseur_mediaan": "caseload per regisseur (mediaan)",
             "caseload_regisseur_p90": "caseload per regisseur (P90)", "caseload_boven_norm": "regisseurs boven de norm",
             "meer_regisseurs_per_huishouden": "huishoudens met meer regisseurs"}
pers = weergave.kerncijfers(JL, PERSONEEL, cfg, periode_start=laatste_jaar)
if len(pers):
    pers["wijkteam"] = pers["wijkteam"].replace(TOTAAL, "gemeente")
    display(weergave.kop(f"Personeel en caseload per regisseur – {jaar_label}", 3))
    display(weergave.kader(
        "Verzuim en verloop staan alleen bij teams met een bezetting van minstens de drempel in fte; "
        "vacatures en bezetting beschrijven formatieplaatsen, geen personen. De caseload per regisseur is een "
        "verdeling over de regisseurs van een team (mediaan en 90e percentiel: 10% van de regisseurs heeft meer), "
        f"met als norm {tekst.getal(cfg.medewerkers['caseloadnorm_regisseur'])} open trajecten; teams met minder "
        "regisseurs dan de drempel tonen geen verdeling. 'Huishoudens met meer regisseurs': van de huishoudens "
        "met twee of meer lopende trajecten het deel met meer dan één regisseur (één huishouden, één plan, één regisseur)."))
    display(weergave.toon(pers, cfg, decimalen=1, procent_kolommen=[PERSONEEL[k] for k in (
        "verzuim", "verloop", "vacaturegraad", "bezettingsgraad", "caseload_boven_norm",
        "meer_regisseurs_per_huishouden") if PERSONEEL[k] in pers.columns]))
toon_fig(figuren.lijn_per_team(J, "verzuim", titel="Ziekteverzuim per jaar", config=cfg, procent=True, peildatum=peildatum))
toelichting_bij("verzuim", "caseload_regisseur_mediaan", "meer_regisseurs_per_huishouden")'''

#: Issue 15: the section "Per wijk" (released per-wijk figures, maps, CBS context).
PER_WIJK = '''\
from monitoranalyse.rapport import kaart
from monitoranalyse.opendata import cbs
tabel_wijk = kaart.wijk_tabel(JL, config=cfg)
if tabel_wijk.empty:
    display(weergave.kader("Er zijn geen cijfers per wijk: de trajecten hebben geen kolom wijk (of die is leeg)."))
else:
    display(weergave.kader(
        f"Per woonwijk van de cliënt (trajecten.wijk), {jaar_label}; per 1.000 inwoners met de inwoners per wijk "
        "uit de tabel wijken. Een wijk is een klein gebied: een cijfer dat op te weinig trajecten rust, of dat uit "
        "de andere wijken, de teams en het gemeentetotaal terug te rekenen is, staat er niet (•; op de kaart gearceerd)."))
    display(weergave.toon(tabel_wijk, cfg, max_rijen=200))
    if R.wijkgrenzen is None:
        display(weergave.kader(kaart.GEEN_GRENZEN))
    else:
        for code in kaart.KAART_INDICATOREN:
            toon_fig(kaart.kaart(JL, R.wijkgrenzen, code, config=cfg, gemeente=gemeente))
    kwb_pad = cbs.kwb_in_map(R.md.map)
    if kwb_pad is not None:
        display(weergave.kop("Context uit CBS Kerncijfers wijken en buurten", 3))
        display(weergave.kader(
            "Naast de eigen cijfers: kenmerken van dezelfde wijk volgens CBS (gekoppeld op de CBS-wijkcode uit de "
            "tabel wijken). Een verband tussen de twee is een vraag voor het gesprek, geen verklaring."))
        eigen = tabel_wijk[["wijk"] + [k for k in tabel_wijk.columns if k.startswith("Meldingen")]]
        display(weergave.toon(cbs.wijk_context(eigen, R.md.tabellen["wijken"], cbs.lees_kwb_wijken(kwb_pad)),
                              cfg, max_rijen=200))
    else:
        display(weergave.kader(f"Geen CBS-context per wijk: zet een uitsnede van CBS Kerncijfers wijken en buurten "
                             f"als {cbs.KWB_BESTAND} in de map met gegevens om die naast de eigen cijfers te zien."))'''

MONITOR_GEMEENTE = [
    ("parameters", PARAMETERS),
    ("code", START),
    ("code", 'display(weergave.kop(f"Monitor sociale wijkteams – {gemeente}", 1))\n' + SAMENVATTING_IN_MONITOR
     + "\n" + LEESWIJZER),
    ("code", "from monitoranalyse import indicatoren\n" + BIJ_FIGUUR_MONITOR),
    # the gemeente's own words at the top ("tellen én vertellen")
    ("code", '''\
_gem = weergave.toelichtingen(toel, plaats="gemeente", indicatoren_bij_figuur=BIJ_FIGUUR)
if _gem.data:
    display(weergave.kop("Wat de gemeente erover zegt", 2))
    display(_gem)'''),
    ("code", '''\
display(weergave.kop(f"Kerncijfers per team – {jaar_label}", 2))
display(weergave.kader(f"Het laatste volledige kalenderjaar in de data ({jaar_label}), per wijkteam en voor de gemeente."))
display(inhoud.toon_kerncijfers(JL, cfg, periode_start=laatste_jaar))'''),
    ("md", "## Doelen en indicatoren\nWelk doel elke indicator dient, welke kant beter is en de norm die deze gemeente hanteert."),
    ("code", '''\
display(weergave.doelenboom(indicatoren.catalogus_overzicht(cfg)))'''),
    ("md", "## 1. Resultaat voor de inwoner\nZelfredzaamheid (ZRM, eerste tegen laatste meting), doelrealisatie en tevredenheid. De strepen bij de staven zijn het [95%-betrouwbaarheidsinterval](#begrip-betrouwbaarheidsinterval)."),
    ("code", '''\
toon_fig(figuren.balk_per_team(JL, "zrm_verbeterd",
         titel=f"Aandeel trajecten met verbeterde zelfredzaamheid (ZRM), {jaar_label}", config=cfg))
toelichting_bij("zrm_verbeterd")
toon_fig(figuren.zrm_per_domein(J, config=cfg))
toelichting_bij("zrm_verandering")
toon_fig(figuren.balk_per_team(JL, "doelrealisatie",
         titel=f"Doelrealisatie: behaalde doelen van gestelde doelen, {jaar_label}", config=cfg))
toelichting_bij("doelrealisatie")'''),
    ("md", "## 2. Aantallen en uitgaven\nDe verschuiving van specialistische zorg (maatwerk) naar lichte zorg, toeleiding naar maatwerk, inzet van netwerk en eigen kracht, afschaling en de kosten van maatwerk."),
    ("code", '''\
toon_fig(figuren.lijn_per_team(J, "aandeel_lichte_zorg", titel="Aandeel lichte zorg in de inzet per jaar",
         config=cfg, procent=True, wijzigingen=cfg.beleidswijzigingen, peildatum=peildatum))
toelichting_bij("aandeel_lichte_zorg")
for code, titel in (("toeleiding_maatwerk_jeugd", "Toeleiding naar maatwerk Jeugd: aandeel trajecten met jeugdhulp"),
                    ("toeleiding_maatwerk_wmo", "Toeleiding naar maatwerk Wmo: aandeel trajecten met Wmo-maatwerk"),
                    ("inzet_netwerk_eigen_kracht", "Inzet van sociaal netwerk of eigen kracht: aandeel trajecten")):
    toon_fig(figuren.balk_per_team(JL, code, titel=f"{titel}, {jaar_label}", config=cfg))
    toelichting_bij(code)
toon_fig(figuren.balk_per_team(JL, "afschaling",
         titel=f"Aandeel afgesloten trajecten afgeschaald naar een lichtere voorziening, {jaar_label}", config=cfg))
toelichting_bij("afschaling")
toon_fig(figuren.kosten_maatwerk(K, config=cfg, peildatum=peildatum))
toelichting_bij("kosten_maatwerk")
toon_fig(figuren.balk_per_team(JL, "kosten_per_inwoner", procent=False,
         titel=f"Kosten maatwerk per inwoner van het werkgebied (euro), {jaar_label}", config=cfg))
toelichting_bij("kosten_per_inwoner")'''),
    ("code", VOORZIENINGEN),
    ("md", "## Doelmatigheid\nWat kosten het wijkteam en het maatwerk samen, per afgesloten traject en per inwoner, en blijft de gemeente binnen de begroting? Teamkosten komen uit de formatie maal het loonkostentarief uit `monitor.toml`, of uit de teamkosten die de gemeente zelf levert."),
    ("code", DOELMATIGHEID),
    ("md", "## 3. Uitvoering\nCaseload met in- en uitstroom, de werkdruk per fte en de doorlooptijden tegen de wettelijke termijnen."),
    ("code", '''\
toon_fig(figuren.caseload_stromen(M, config=cfg, peildatum=peildatum))
toelichting_bij("caseload")
toon_fig(figuren.lijn_per_team(K, "caseload_per_fte", titel="Caseload per fte per kwartaal", config=cfg, peildatum=peildatum))
toelichting_bij("caseload_per_fte")
toon_fig(figuren.lijn_per_team(J, "doorlooptijd_melding_plan", titel="Doorlooptijd melding – plan van aanpak (mediaan, dagen) per jaar", config=cfg, peildatum=peildatum))
toelichting_bij("doorlooptijd_melding_plan")'''),
    ("code", '''\
if laatste_jaar is not None:
    verdeling = indicatoren.doorlooptijd_verdeling(R.md, van=laatste_jaar, tot=f"{laatste_jaar.year}-12")
    verdeling = verdeling[verdeling["doorlooptijd"] == "melding_intake"]
    toon_fig(figuren.doorlooptijd_verdeling(verdeling, termijn_dagen=cfg.termijnen["onderzoek_wmo"],
             titel=f"Doorlooptijd melding – intake, {jaar_label} (norm: zes weken)", config=cfg))
else:
    display(weergave.kader("De gegevens bevatten nog geen volledig kalenderjaar: de verdeling van de "
                         "doorlooptijd melding – intake volgt zodra er een volledig jaar is."))
toelichting_bij("doorlooptijd_melding_intake")
termijn_code = inhoud.termijn_indicator(JL)
toon_fig(figuren.balk_per_team(JL, termijn_code,
         titel=f"{indicatoren.INDICATOREN[termijn_code].naam}, {jaar_label}", config=cfg,
         norm=norm(termijn_code)))
toelichting_bij("onderzoek_binnen_termijn", "binnen_termijn_onderzoek")
toon_fig(figuren.balk_per_team(JL, "wachttijd_maatwerk", procent=False,
         titel=f"Wachttijd maatwerk in dagen (mediaan), {jaar_label}", config=cfg,
         norm=norm("wachttijd_maatwerk")))
toelichting_bij("wachttijd_maatwerk")'''),
    ("code", BEREIK),
    ("md", "## Per wijk\nDe belangrijkste cijfers per woonwijk van de cliënt: meldingen en nieuwe cliënten per 1.000 inwoners, caseload, aandeel lichte zorg, maatwerk per 1.000 inwoners en doorlooptijd, met een kaart per wijk en, als die er is, de context uit CBS-wijkcijfers."),
    ("code", PER_WIJK),
    ("md", "## 4. Medewerkers en bollen-model\nRapportcijfers uit de enquête onder medewerkers, cliënten en partners per dimensie van het bollen-model; verzuim, verloop, vacatures en bezetting; de caseload per regisseur als verdeling over de regisseurs van een team (nooit per persoon) en één huishouden, één regisseur."),
    ("code", '''\
toon_fig(figuren.bollen(V.bollen, config=cfg))'''),
    ("code", MEDEWERKERS),
    ("md", "## 5. Harde control en rechtmatigheid\nWordt maatwerk rechtmatig ingezet (met een beschikking, binnen de wettelijke termijn) en is de registratie volledig? Per team, met de gemeente en de wettelijke termijn of de norm van de gemeente als referentielijn."),
    ("code", '''\
toon_fig(figuren.balk_per_team(JL, "beschikking_binnen_termijn",
         titel=f"Beschikking binnen de wettelijke termijn (Wmo 2015 art. 2.3.5: twee weken), {jaar_label}", config=cfg,
         norm=norm("beschikking_binnen_termijn")))
toelichting_bij("beschikking_binnen_termijn")
toon_fig(figuren.balk_per_team(JL, "maatwerk_zonder_beschikking_aandeel",
         titel=f"Aandeel maatwerk zonder beschikking (norm: 0), {jaar_label}", config=cfg,
         norm=norm("maatwerk_zonder_beschikking_aandeel")))
toon_fig(figuren.balk_per_team(JL, "maatwerk_zonder_beschikking", procent=False,
         titel=f"Aantal maatwerkinzetten zonder beschikking (norm: 0), {jaar_label}", config=cfg,
         norm=norm("maatwerk_zonder_beschikking")))
toelichting_bij("maatwerk_zonder_beschikking", "maatwerk_zonder_beschikking_aandeel")
toon_fig(figuren.balk_per_team(JL, "registratie_volledig",
         titel=f"Volledig geregistreerde trajecten (intake, plan, ZRM-start en doelen), {jaar_label}", config=cfg,
         norm=norm("registratie_volledig")))
toelichting_bij("registratie_volledig")'''),
    ("code", '''\
display(weergave.kop(f"Rijverantwoording van de invoer – {gemeente}", 3))
display(weergave.kader("Alleen de rijen van deze gemeente. Rijen in quarantaine die bij geen enkele gemeente "
                     "horen, staan samen op de regel 'niet toe te wijzen'; de telling van de hele dataset "
                     "staat in index.html en in de uitvoer van 'monitoranalyse valideer'."))
acc, regels = inhoud.kwaliteit_delen(R.kwaliteit)
display(weergave.toon(acc, cfg, kolommen=inhoud.RIJVERANTWOORDING_KOLOMMEN))
if len(regels):
    display(weergave.toon(regels, cfg, kolommen=inhoud.REGELS_KOLOMMEN))
else:
    display(weergave.kader("Geen enkele rij is in quarantaine geplaatst: alle invoer is gebruikt."))'''),
    # the teams' own words, per period ("tellen én vertellen")
    ("code", '''\
_teams = weergave.toelichtingen(toel, plaats="teams", indicatoren_bij_figuur=BIJ_FIGUUR)
if _teams.data:
    display(weergave.kop("Wat de teams erover zeggen", 2))
    display(_teams)'''),
    # key figures checked by nbval on the sample data (Lindeveen; planted step at 2023-01-01)
    ("check", """\
print(f"{gemeente}: {len(R.md.trajecten)} trajecten, {R.md.trajecten['wijkteam'].nunique()} wijkteams")
print(inhoud.lichte_zorg_per_jaar(J))""",
     "Lindeveen: 5108 trajecten, 9 wijkteams\naandeel lichte zorg: 2021 72%, 2022 70%, 2023 81%, 2024 83%, 2025 82%\n"),
    ("code", BEGRIPPENLIJST),
    ("code", VERANTWOORDING),
]

TRENDANALYSE = [
    ("parameters", PARAMETERS),
    ("code", START),
    ("code", 'display(weergave.kop(f"Trendanalyse – {gemeente}", 1))\n' + LEESWIJZER),
    ("md", "## Van specialistische naar lichte zorg\nStijgt per team het aandeel lichte zorg en daalt de inzet van maatwerk? Per team de trend met een binomiaal model ([HAC](#begrip-hac)-standaardfouten) en de [Mann-Kendall](#begrip-mann-kendall)-toets als controle."),
    ("code", '''\
for zin in R.verschuiving.get("zin", []):
    display(weergave.kader(zin))
toon_fig(figuren.verschuiving(V.indicatoren_halfjaar, config=cfg, wijzigingen=cfg.beleidswijzigingen))
display(weergave.toelichtingen(toel, indicator="aandeel_lichte_zorg"))'''),
    ("md", "## Effect van beleidswijzigingen\n[Onderbroken tijdreeks](#begrip-onderbroken-tijdreeks) (gesegmenteerde regressie met seizoenscorrectie): de sprong in niveau en de verandering van de trend na elke beleidswijziging uit `monitor.toml`."),
    ("code", '''\
if R.beleidseffecten.empty:
    display(weergave.kader("Voor deze gemeente zijn geen beleidswijzigingen opgegeven in monitor.toml."))
else:
    be = R.beleidseffecten
    hoofd = be[be["indicator"].isin(["aandeel_lichte_zorg", "aandeel_maatwerk", "afschaling"])]
    for zin in hoofd.loc[hoofd["wijkteam"] == TOTAAL, "zin"]:
        display(weergave.kader(zin))
    display(weergave.toon(weergave.tabel_beleidseffecten(be), cfg, max_rijen=80))'''),
    ("check", """\
for zin in inhoud.sprong_lichte_zorg(R.beleidseffecten):
    print(zin)""",
     "sprong aandeel lichte zorg: +13 procentpunt, significant: True\n"),
    ("md", "## Trends per indicator en team"),
    ("code", '''\
display(weergave.kader("Per kwartaal; binomiaal/Poisson/lineair model met HAC-standaardfouten. Getoond: de gemeente "
                     "en alle significante trends per team (alle trends staan in trends.csv)."))
display(weergave.toon(weergave.tabel_trends(R.trends), cfg, max_rijen=150))'''),
    ("md", "## Statistische procesbeheersing (SPC)\nPer maand ([SPC en procesgrenzen](#begrip-spc-en-procesgrenzen)), in de stijl van NHS *Making Data Count*: een punt buiten de procesgrenzen, 7 punten op rij stijgend/dalend, 2 van 3 punten voorbij 2 sigma of 7 punten aan één kant van het gemiddelde zijn signalen van een speciale oorzaak."),
    ("code", '''\
for g in inhoud.spc_grafieken(V.spc):
    toon_fig(figuren.spc_grafiek(V.spc, g.indicator, g.wijkteam, procent=g.procent, config=cfg, titel=g.titel))'''),
    ("md", "## Prognose van de caseload\nPer team vergeleken op achtergehouden maanden: het voorraad-stroommodel (instroom en uitstroom met exponentiële afvlakking, ETS), de naïeve prognose (laatste caseload vasthouden), de seizoensnaïeve prognose en de Theta-methode. De prognose toont het model met de kleinste geschaalde fout (MASE); als geen model de naïeve prognose verslaat, staat dat erbij. Dekking: hoe vaak het 80%-interval de werkelijke caseload bevatte. Zie ook [MAPE](#begrip-mape)."),
    ("code", '''\
if not R.prognose.empty:
    toon_fig(figuren.prognose(V.prognose, TOTAAL, config=cfg))
    if "oordeel" in R.prognose:
        display(weergave.kader(str(R.prognose.loc[R.prognose["wijkteam"] == TOTAAL, "oordeel"].iloc[0])))
    teams = sorted(t for t in R.prognose["wijkteam"].unique() if t != TOTAAL)
    kol = [k for k in ("mape_backtest", "model", "mase_backtest", "mase_naief", "dekking_80") if k in R.prognose]
    fout = R.prognose.groupby("wijkteam")[kol].first().reset_index()
    display(weergave.toon(fout, cfg, kolommen={"wijkteam": "team", "mape_backtest": "MAPE terugtoets", "model": "model",
                        "mase_backtest": "MASE", "mase_naief": "MASE naïef", "dekking_80": "dekking 80%-interval"},
                        procent_kolommen=[k for k in ("mape_backtest", "dekking_80") if k in kol]))'''),
    ("code", BEGRIPPENLIJST),
    ("code", VERANTWOORDING),
]

TEAMVERGELIJKING = [
    ("parameters", PARAMETERS),
    ("code", START),
    ("code", 'display(weergave.kop(f"Teamvergelijking – {gemeente}", 1))\n' + LEESWIJZER),
    ("md", "## Waar is nader onderzoek aangewezen?\nPer team en indicator één regel: alle aanwijzingen (teamvergelijking, correctie voor cliëntkenmerken, procesbewaking, trend, bollen-enquête) samen, de sterkste eerst. Elk signaal is een vraag aan het team, geen oordeel."),
    ("code", '''\
if R.signalen.empty:
    display(weergave.kader("Geen signalen: alle teams vallen binnen de grenzen van toeval. Dat is geen bewijs "
                         "dat er geen verschillen zijn: onder elke funnel staat welk verschil met de aantallen "
                         "van een team niet te zien was."))
else:
    lijst, meer = inhoud.signalenlijst(V.signalen)
    display(weergave.toon(lijst, cfg, kolommen=inhoud.SIGNALEN_KOLOMMEN, max_rijen=inhoud.SIGNALEN_TOP))
    if meer:
        display(weergave.kader(f"En {meer} andere signalen in signalen.csv."))'''),
    ("check", """\
for zin in inhoud.casemix_maatwerk(R.casemix):
    print(zin)""",
     "meer maatwerk dan de case-mix verklaart: Wijkteam West\nmeer maatwerk, verklaard door case-mix: Wijkteam Centrum\n"),
    ("md", "## Funnelplots\nElk team tegen het gemeentelijk gemiddelde in een [funnelplot](#begrip-funnel), met 95%- en 99,8%-grenzen die breder zijn naarmate een team kleiner is. Als teams meer verschillen dan toeval verklaart ([overspreiding](#begrip-overspreiding)), worden de grenzen volgens Spiegelhalter (2005) verbreed."),
    ("code", '''\
for code in V.funnels["indicator"].unique() if not V.funnels.empty else []:
    f = V.funnels[V.funnels["indicator"] == code]
    jaar = str(pd.Timestamp(f["periode_start"].iloc[0]).year) if "periode_start" in f and len(f) else jaar_label
    toon_fig(figuren.funnel(V.funnels, code, config=cfg, titel=f"{indicatornaam(code)} ({jaar})"))
    opm = f.get("opmerking_overspreiding", pd.Series(dtype=str))
    if len(opm) and str(opm.iloc[0]):
        display(weergave.kader(str(opm.iloc[0])))
    if vergelijking.toelichting_binnen(f):
        display(weergave.kader(vergelijking.toelichting_binnen(f)))
    display(weergave.toelichtingen(toel, indicator=code))'''),
    ("md", "## Vergelijkbare zorg voor vergelijkbare problemen? (case-mix)\nPer team het waargenomen aantal tegen het verwachte aantal ([case-mix en W/V](#begrip-case-mix-en-w-v)) gegeven de kenmerken van de cliënten (leeftijd, problematiek, zelfredzaamheid bij de start)."),
    ("code", '''\
display(weergave.kader(f"Trajecten gemeld in de volledige jaren {R.vergelijkingsperiode}; de typologie hieronder gaat "
                     "over dezelfde trajecten. Eén jaar bevat te weinig trajecten per team voor deze vergelijking."))
for uitkomst in V.casemix["uitkomst"].unique() if not V.casemix.empty else []:
    toon_fig(figuren.casemix(V.casemix, uitkomst, config=cfg, titel=f"{indicatornaam(uitkomst)}: waargenomen/verwacht"))'''),
    ("md", "## Bollen-model en typologie"),
    ("code", '''\
toon_fig(figuren.bollen(V.bollen, config=cfg))
toon_fig(figuren.typologie(V.typologie, config=cfg))'''),
    ("code", BEGRIPPENLIJST),
    ("code", VERANTWOORDING),
]

VERKENNER = [
    ("md", "# Verkenner\nKies een gemeente, team, indicator en periode. De knoppen roepen functies uit `monitoranalyse.rapport.verkenner` aan; de figuur en tabel zijn dezelfde als in de rapporten (na openbaarmakingscontrole)."),
    ("parameters", 'data = "../../../data_samples/voorbeeld"  # the sample, seen from this folder in a checkout'),
    ("code", '''\
from monitoranalyse.rapport import verkenner
v = verkenner.Verkenner(data)
v.toon()'''),
]


NOTEBOOKS = {
    "samenvatting": SAMENVATTING,
    "monitor_gemeente": MONITOR_GEMEENTE,
    "trendanalyse": TRENDANALYSE,
    "teamvergelijking": TEAMVERGELIJKING,
    "verkenner": VERKENNER,
}


# ---------------------------------------------------------------------------
# Issue 15: the regio report (one extra report comparing the gemeenten of a dataset)
# ---------------------------------------------------------------------------

PARAMETERS_REGIO = """\
# Parameters (papermill vult deze in voor de regio)
regio = "Alle gemeenten"
gemeenten = None  # None: [regio] in monitor.toml, anders alle gemeenten van de dataset
data = "../../../data_samples/voorbeeld"  # the sample, seen from this folder in a checkout
werkmap = None
van = None
tot = None"""

START_REGIO = """\
import warnings

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from monitoranalyse import indicatoren, tekst
from monitoranalyse.analyse import regio as regioanalyse, vergelijking
from monitoranalyse.indicatoren.catalogus import indicatornaam
from monitoranalyse.rapport import figuren, inhoud, regiorapport, weergave

warnings.filterwarnings("ignore")
figuren.stijl()
RR = regioanalyse.regioresultaten(regio, gemeenten, data=data, werkmap=werkmap, van=van, tot=tot)
cfg = regiorapport.regio_config(RR)   # the strictest drempel of the gemeenten in the regio
V = regiorapport.vrijgeven_regio(RR)  # everything shown below is this released data
J, K = V.jaar, V.kwartaal             # gemeente level, per jaar / per kwartaal
laatste_jaar = RR.laatste_jaar
jaar_label = str(laatste_jaar.year) if laatste_jaar is not None else "geen volledig jaar"
peildatum = indicatoren.peildatum(RR.md)
namen = ", ".join(RR.gemeenten[:-1]) + " en " + RR.gemeenten[-1]


def toon_fig(fig):
    display(weergave.figuur_html(fig, cfg))
    plt.close(fig)"""

REGIO_LEESWIJZER = """\
display(weergave.kop(f"Regiovergelijking – {RR.naam}", 1))
display(weergave.kader(
    f"**Leeswijzer.** Dit rapport zet de gemeenten {namen} naast elkaar. Elke gemeente heeft daarnaast haar "
    "eigen rapporten (monitor, trendanalyse, teamvergelijking); de cijfers hier zijn dezelfde als daar. "
    "Om gemeenten van verschillende grootte te vergelijken staan aantallen per 1.000 inwoners en bedragen per "
    "inwoner van het werkgebied. Overzichten per gemeente gaan over het laatste kalenderjaar dat in alle "
    f"gemeenten volledig is ({jaar_label}); de gegevens lopen t/m {tekst.maand_jaar(peildatum)}. Een periode die "
    "nog niet compleet is, staat alleen in de tijdreeks, gestippeld met een open rondje. Een verschil tussen "
    "gemeenten is pas een aanleiding voor nader onderzoek als het buiten de grenzen van toeval valt, en ook "
    "dan is het een vraag, geen oordeel: gemeenten verschillen in bevolking en beleid."))
display(weergave.leeswijzer_redenen(cfg))
if RR.fouten:
    display(weergave.kader("Niet alle analyses zijn gelukt: " + "; ".join(f"{k}: {v}" for k, v in RR.fouten.items())))"""

REGIO_KERNCIJFERS = """\
display(weergave.kop(f"Kerncijfers per gemeente – {jaar_label}", 2))
display(weergave.kader(f"Per gemeente in {jaar_label}: bereik per 1.000 inwoners, kosten per inwoner (euro) en de "
                     "belangrijkste aandelen. Een leeg cijfer (•) is niet gepubliceerd (zie de leeswijzer)."))
if laatste_jaar is not None:
    kern = regiorapport.kerncijfers(J, laatste_jaar)
    display(weergave.toon(kern, cfg, decimalen=1, procent_kolommen=inhoud.procent_kolommen(
        regioanalyse.REGIO_KERNCIJFERS, kern.columns)))
    toon_fig(regiorapport.kerncijfers_figuur(J, laatste_jaar, config=cfg))
else:
    display(weergave.kader("De gegevens bevatten nog geen kalenderjaar dat in alle gemeenten volledig is."))"""

REGIO_VERSCHILLEN = """\
# the funnels' caveat once (fewer than five gemeenten: limits of chance alone), not under every funnel
opmerking = str(V.funnels["opmerking_overspreiding"].iloc[0]) if len(V.funnels) else ""
if opmerking:
    display(weergave.kader(opmerking))
if V.verschillen.empty:
    display(weergave.kader("Geen enkele gemeente ligt buiten de grenzen van toeval. Dat is geen bewijs dat er "
                         "geen verschillen zijn: onder elke funnel staat welk verschil met de aantallen van een "
                         "gemeente niet te zien was."))
else:
    display(weergave.toon(regiorapport.verschillen_tabel(V.verschillen), cfg, max_rijen=60))"""

REGIO_VERSCHUIVING = """\
toon_fig(regiorapport.verschuiving_per_gemeente(K, config=cfg, peildatum=peildatum,
                                                wijzigingen=RR.config.beleidswijzigingen))
for zin in (V.trends["zin"] if "zin" in V.trends else []):
    display(weergave.kader(zin))"""

REGIO_FUNNELS = """\
for code in V.funnels["indicator"].unique() if not V.funnels.empty else []:
    f = V.funnels[V.funnels["indicator"] == code]
    jaar = str(pd.Timestamp(f["periode_start"].iloc[0]).year)
    toon_fig(regiorapport.funnel(V.funnels, code, config=cfg, titel=f"{indicatornaam(code)} per gemeente ({jaar})"))
    opm = f["opmerking_overspreiding"] if "opmerking_overspreiding" in f else pd.Series(dtype=str)
    if len(opm) and str(opm.iloc[0]) and str(opm.iloc[0]) != opmerking:
        display(weergave.kader(str(opm.iloc[0])))
    binnen = vergelijking.toelichting_binnen(f.assign(wijkteam=f["gemeente"]))
    if binnen:
        display(weergave.kader(binnen))"""

REGIO_VERANTWOORDING = """\
display(weergave.kop("Verantwoording", 2))
display(weergave.kader(
    "Dit rapport is reproduceerbaar: dezelfde invoerbestanden (zie de sha256-kentekens) en dezelfde parameters "
    "geven dezelfde cijfers. De cijfers per gemeente zijn berekend zoals in het rapport van die gemeente (met haar "
    "eigen instellingen uit monitor.toml); getoond wordt alleen wat de strengste drempel van de gemeenten in de "
    "regio toelaat. Funnels: exacte grenzen van Spiegelhalter (2005), overspreiding additief (DerSimonian–Laird) "
    "vanaf vijf gemeenten, zonder winsoriseren."))
display(weergave.toon(RR.herkomst, cfg, max_rijen=100))"""

REGIO = [
    ("parameters", PARAMETERS_REGIO),
    ("code", START_REGIO),
    ("code", REGIO_LEESWIJZER),
    ("code", REGIO_KERNCIJFERS),
    ("md", "## Welke gemeente wijkt waar af?\nPer indicator en gemeente: ligt de gemeente buiten de 95%-grens van de [funnel](#begrip-funnel) rond de regio? De sterkste afwijking staat bovenaan. 'Gunstig' of 'ongunstig' volgt uit de richting die de catalogus beter noemt; bij bereik is er geen betere richting."),
    ("code", REGIO_VERSCHILLEN),
    ("md", "## Van specialistische naar lichte zorg, per gemeente\nHet aandeel lichte zorg in de inzet per kwartaal, één paneel per gemeente; de andere gemeenten staan grijs op de achtergrond. Per gemeente de trend met een binomiaal model ([HAC](#begrip-hac)-standaardfouten) over de volledige kwartalen."),
    ("code", REGIO_VERSCHUIVING),
    ("md", "## Funnelplots: de gemeenten tegen de regio\nElke gemeente tegen het regiogemiddelde, met 95%- en 99,8%-grenzen die breder zijn naarmate een gemeente kleiner is. Als gemeenten meer verschillen dan toeval verklaart ([overspreiding](#begrip-overspreiding)), worden de grenzen volgens Spiegelhalter (2005) verbreed; dat kan pas vanaf vijf gemeenten."),
    ("code", REGIO_FUNNELS),
    # key figures checked by nbval on the sample data (the three sample gemeenten)
    ("check", """\
print(f"{RR.naam}: {', '.join(RR.gemeenten)}")
print(regiorapport.lichte_zorg_per_gemeente(V.jaar))""",
     "Alle gemeenten: Beekdal, Lindeveen, Oosterwaarde\n"
     "Beekdal: 2021 74%, 2022 76%, 2023 77%, 2024 79%, 2025 81%\n"
     "Lindeveen: 2021 72%, 2022 70%, 2023 81%, 2024 83%, 2025 82%\n"
     "Oosterwaarde: 2021 75%, 2022 74%, 2023 74%, 2024 77%, 2025 75%\n"),
    ("code", BEGRIPPENLIJST),
    ("code", REGIO_VERANTWOORDING),
]
TITELS["regio"] = "Regiovergelijking sociale wijkteams"
NOTEBOOKS["regio"] = REGIO


def bouw() -> dict[str, str]:
    return {naam: nbformat.writes(_nb(cellen, titel=TITELS.get(naam, ""))) + "\n" for naam, cellen in NOTEBOOKS.items()}


if __name__ == "__main__":
    for naam, json_ in bouw().items():
        (DOEL / f"{naam}.ipynb").write_text(json_, encoding="utf-8")
        print(f"geschreven: {(DOEL / f'{naam}.ipynb').relative_to(MAP.parent)}")

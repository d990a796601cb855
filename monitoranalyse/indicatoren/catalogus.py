"""The indicator catalog: each indicator described once.

The catalog drives everything generic downstream: which statistic an indicator is
(so trend models and funnels pick the right family), which direction is better (so
SPC and the nader-onderzoek list call a change an improvement or a concern), the
default norm (overridable per gemeente in ``monitor.toml`` under ``[doelen]``), and
the Dutch name shown in reports and in the "doelen -> indicatoren" overview.

Statistic types (``Indicator.type``):

* ``proportie``  teller/noemer in [0, 1]; Wilson interval; binomial models; p-charts
* ``aantal``     a count (noemer NaN); exact Poisson / Byar interval; Poisson models
* ``ratio``      a rate teller/noemer with noemer an exposure (e.g. per fte, per inwoner)
* ``gemiddelde`` mean of values (teller = sum, noemer = n); t interval; OLS
* ``mediaan``    median of values (noemer = n); distribution-free interval
* ``bedrag``     euro total (teller = sum, noemer NaN or n); no interval

Sensitivity (``Indicator.gevoelig``, with the reasoning in ``Indicator.gevoelig_reden``):
a proportion is *gevoelig* when its complement (noemer - teller: the persons who do NOT
have the property) reveals a characteristic of a person, e.g. that a child gets jeugdhulp
or that someone's situation got worse. Only for those the complement rule of
:mod:`monitoranalyse.rapport.openbaarmaking` applies ("(bijna) iedereen of niemand in een kleine
groep"); process indicators that describe the organisation (onderzoek binnen termijn,
registratie volledig) are not gevoelig. Small tellers and noemers are protected for every
indicator. The decisions are in :data:`GEVOELIGHEID`; a code that is not listed there is
treated as gevoelig (strict).

Some indicators are parts of one whole (:data:`GEHELEN`): their tellers add up to the same
noemer, so one withheld part could be recomputed from the others. Disclosure control
treats each such set as an additive group.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Callable

from monitoranalyse.contract import STATISTIEK_TYPES

__all__ = ["Indicator", "indicator", "codes", "bekend", "indicatornaam", "registreer", "INDICATOREN",
           "STATISTIEK_TYPES", "GEVOELIGHEID", "GEHELEN", "GEHEEL_IN_UITSPLITSING", "NORMBRONNEN"]


@dataclass(frozen=True)
class Indicator:
    code: str
    naam: str  # Dutch name for reports
    thema: str  # one of contract.THEMAS
    dimensie: str | None  # bollen-model dimension (contract.DIMENSIES) or None
    type: str  # one of STATISTIEK_TYPES
    beter: str | None  # "hoger", "lager" or None (no direction)
    norm: float | None = None  # default norm/target, same unit as ``waarde``
    eenheid: str = ""  # e.g. "%", "dagen", "trajecten", "euro"
    doel: str = ""  # the policy goal the indicator serves ("doelen -> indicatoren")
    omschrijving: str = ""  # definition in plain Dutch, incl. legal basis where relevant
    functie: Callable | None = None  # computes it; filled by monitoranalyse.indicatoren
    gevoelig: bool = True  # the complement reveals a person characteristic (see GEVOELIGHEID)
    gevoelig_reden: str = ""  # the reasoning behind ``gevoelig``, in plain Dutch
    normbron: str = ""  # where the default norm comes from (law, convention), plain Dutch


_REGISTER: dict[str, Indicator] = {}
#: code -> Indicator, read-only, in registration order. Filled when the theme modules of
#: :mod:`monitoranalyse.indicatoren` are imported (``import monitoranalyse`` does that); this
#: module imports nothing of ``indicatoren``, so there is no import cycle. Look an indicator
#: up with :func:`indicator`.
INDICATOREN = MappingProxyType(_REGISTER)

_ORGANISATIE = "beschrijft het werk van de organisatie, geen kenmerk van de inwoner"
_GEEN_AANDEEL = "geen aandeel: de complementregel is niet van toepassing"

#: code -> (gevoelig, reasoning). Decided per indicator (DOMAIN.md, "Publishing numbers
#: about people"); only proportions are affected by the complement rule, the other types
#: are listed for the definitions sheet.
GEVOELIGHEID: dict[str, tuple[bool, str]] = {
    # process indicators: whether the team met a term or registered completely
    "binnen_termijn_onderzoek": (False, "Of het onderzoek op tijd was, " + _ORGANISATIE + "."),
    "plan_binnen_termijn": (False, "Of het plan op tijd was, " + _ORGANISATIE + "."),
    "beschikking_binnen_termijn": (False, "Of de beschikking op tijd was, " + _ORGANISATIE + "."),
    "registratie_volledig": (False, "Of het dossier volledig is geregistreerd, " + _ORGANISATIE + "."),
    "maatwerk_zonder_beschikking_aandeel": (
        False, "Of er een beschikking is (rechtmatigheid), " + _ORGANISATIE
        + "; dat iemand maatwerk krijgt staat al in de noemer."),
    "afschaling": (False, "Hoe het team afsluit (overdracht aan een lichtere voorziening) "
                   "beschrijft de werkwijze van het team, geen kenmerk van de inwoner."),
    "doelrealisatie": (False, "Telt doelen, geen personen: dat (bijna) alle doelen gehaald zijn "
                       "zegt over één inwoner niets gevoeligs."),
    "zrm_verbeterd": (False, "Verbetering is het resultaat van de hulp; de rest (gelijk of "
                      "slechter) wordt apart beschermd via 'ZRM verslechterd' en de regel voor "
                      "delen van één geheel."),
    # issue 14: the organisation (caseload of regisseurs, regie per huishouden)
    "caseload_boven_norm": (False, "Hoeveel regisseurs boven de caseloadnorm zitten " + _ORGANISATIE
                            + "; het is een verdeling over regisseurs, geen cijfer per persoon."),
    "meer_regisseurs_per_huishouden": (
        False, "Of een huishouden één of meer regisseurs heeft " + _ORGANISATIE
        + "; dat het huishouden parallelle trajecten heeft staat al in de noemer."),
    # person characteristics
    "huishoudens_parallelle_trajecten": (True, "Zegt welk huishouden meer dan één traject "
                                         "(meervoudige problematiek) heeft."),
    "zrm_verslechterd": (True, "Dat iemands zelfredzaamheid achteruit ging is een kenmerk van "
                         "die persoon."),
    "zrm_gelijk": (True, "Samen met 'ZRM verbeterd' bepaalt dit wie achteruit ging."),
    "aandeel_maatwerk": (True, "Zegt wie specialistische zorg (maatwerk Wmo of jeugdhulp) kreeg."),
    "aandeel_lichte_zorg": (True, "Het complement is de inzet van maatwerk: zegt wie "
                            "specialistische zorg kreeg."),
    "aandeel_vorm": (True, "Zegt welke vorm van zorg iemand kreeg (o.a. jeugdhulp, Wmo-maatwerk)."),
    "toeleiding_maatwerk_jeugd": (True, "Zegt welk kind jeugdhulp kreeg."),
    "toeleiding_maatwerk_wmo": (True, "Zegt wie een Wmo-maatwerkvoorziening kreeg."),
    "inzet_netwerk_eigen_kracht": (True, "Het complement zegt wie geen netwerk of eigen kracht "
                                   "kon inzetten: een kenmerk van de inwoner."),
}

#: Sets of indicator codes whose tellers add up to the same noemer (one whole).
GEHELEN: tuple[tuple[str, ...], ...] = (
    ("zrm_verbeterd", "zrm_gelijk", "zrm_verslechterd"),
    ("aandeel_lichte_zorg", "aandeel_maatwerk"),
)
#: Indicators whose uitsplitsing rows add up to the noemer (no total row needed: the
#: noemer is published in every row).
GEHEEL_IN_UITSPLITSING: tuple[str, ...] = ("aandeel_vorm",)

#: Where default norms come from (code -> plain Dutch source).
NORMBRONNEN: dict[str, str] = {
    "binnen_termijn_onderzoek": "Wmo 2015 art. 2.3.2 lid 1: onderzoek binnen zes weken na de melding",
    "beschikking_binnen_termijn": "Wmo 2015 art. 2.3.5 lid 2: beschikking binnen twee weken na de aanvraag",
    "maatwerk_zonder_beschikking": "Rechtmatigheid: maatwerk vraagt een beschikking (norm 0)",
    "maatwerk_zonder_beschikking_aandeel": "Rechtmatigheid: maatwerk vraagt een beschikking (norm 0)",
}


def registreer(ind: Indicator) -> Indicator:
    """Add an indicator to the catalog, filling ``gevoelig``/``normbron`` from the decisions above."""
    if ind.code in GEVOELIGHEID:
        g, reden = GEVOELIGHEID[ind.code]
        ind = replace(ind, gevoelig=g, gevoelig_reden=reden)
    elif ind.type != "proportie":
        ind = replace(ind, gevoelig=True, gevoelig_reden=_GEEN_AANDEEL)
    else:
        ind = replace(ind, gevoelig=True, gevoelig_reden="Niet apart beoordeeld: voor de zekerheid gevoelig.")
    if not ind.normbron and ind.code in NORMBRONNEN:
        ind = replace(ind, normbron=NORMBRONNEN[ind.code])
    elif not ind.normbron and ind.norm is not None:
        ind = replace(ind, normbron="Standaardnorm van monitoranalyse; per gemeente aan te passen in monitor.toml [doelen]")
    _REGISTER[ind.code] = ind
    return ind


def indicator(code: str) -> Indicator:
    """Look up an indicator: the one way to read the catalog by code.

    Parameters
    ----------
    code : str
        Indicator code, e.g. ``"caseload"``.

    Returns
    -------
    Indicator

    Raises
    ------
    KeyError
        For a code that is not in the catalog, with a Dutch message that names the code and
        the known codes (a mistyped code never passes silently).

    Examples
    --------
    >>> from monitoranalyse.indicatoren.catalogus import indicator
    >>> indicator("caseload").type
    'aantal'
    >>> indicator("casload")
    Traceback (most recent call last):
    ...
    KeyError: "Onbekende indicator 'casload'; bekend: ..."
    """
    try:
        return _REGISTER[code]
    except KeyError:
        bekend_ = ", ".join(sorted(_REGISTER)) or "(de catalogus is leeg: importeer monitoranalyse)"
        raise KeyError(f"Onbekende indicator '{code}'; bekend: {bekend_}") from None


def codes() -> tuple[str, ...]:
    """Every indicator code, in catalog order (the order of registration)."""
    return tuple(_REGISTER)


def bekend(code: str) -> bool:
    """Whether ``code`` is in the catalog (for callers that also accept codes outside it,
    such as the case-mix codes of :mod:`monitoranalyse.analyse.vergelijking`)."""
    return code in _REGISTER


def indicatornaam(code: str) -> str:
    """The Dutch name of an indicator code (the code itself when unknown)."""
    namen = {"maatwerk": "Inzet van maatwerk (case-mix)",
             "doorlooptijd_buiten_termijn": "Intake buiten de termijn (case-mix)"}
    return indicator(code).naam if bekend(code) else namen.get(code, code.replace("_", " "))

"""The package's layout: stage order, no cycles, no private names across modules, one catalog.

The rules are read from the source with the standard :mod:`ast` module (no import of the
package), so a violation is found even in a function that no test calls. Every import
counts, also the lazy ones inside functions. The allowed edges are documented in the
README ("Architecture"); this file is where they are enforced:

* **Stage order.** Each module has a layer (:data:`LAGEN`, longest matching prefix wins):

  ====  =====================================================================================
  0     ``contract``, ``versie``, ``stadium``, ``tekst``, ``statistiek``, ``config``, ``indicatoren.catalogus``
        (the vocabulary: data contract, formatting, intervals, configuration, the catalog's
        descriptions)
  1     ``invoer`` (load, validate), ``voorbeelddata`` (writes input)
  2     ``indicatoren`` (the tidy table)
  3     ``analyse``
  4     ``rapport``, ``opendata`` (both draw on analyse; the benchmark draws with ``rapport``)
  5     ``cli``, ``__main__`` and the package facade ``monitoranalyse/__init__``
  ====  =====================================================================================

  A module may import modules of its own layer or a lower one, never a higher one.
* **No cycles** in the graph of all imports (module level and lazy).
* **No private names across modules**: ``from x import _y`` and ``x._y`` (``x`` an imported
  module of the package) are errors; a module whose name starts with ``_`` (``_basis``) may
  be imported only by modules of its own folder.
* **One catalog lookup**: only ``indicatoren/catalogus.py`` touches the ``INDICATOREN``
  dict; everyone else calls :func:`monitoranalyse.indicatoren.catalogus.indicator` (which
  raises a Dutch error for a mistyped code), ``codes()`` or ``bekend()``.

Each rule is also run on a small fake package with one planted violation, so a checker that
silently stopped finding anything fails here too.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

PAKKET = Path(__file__).resolve().parents[1] / "monitoranalyse"

#: prefix (relative to the package) -> layer; the longest matching prefix wins.
LAGEN: dict[str, int] = {
    "contract": 0,
    "versie": 0,
    "stadium": 0,
    "tekst": 0,
    "statistiek": 0,
    "config": 0,
    "indicatoren.catalogus": 0,
    "invoer": 1,
    "voorbeelddata": 1,
    "indicatoren": 2,
    "analyse": 3,
    "rapport": 4,
    "opendata": 4,
    "cli": 5,
    "__main__": 5,
    "": 5,  # the package facade monitoranalyse/__init__
}
#: The one module that may touch the catalog dict.
CATALOGUS = "indicatoren.catalogus"


@dataclass(frozen=True)
class Import:
    van: str  # importing module (relative to the package, "" = the package itself)
    naar: str  # imported module
    naam: str | None  # the name imported from ``naar`` (None: the module itself)
    regel: int
    lui: bool  # inside a function (lazy)


def _module_naam(pad: Path, wortel: Path) -> str:
    delen = list(pad.relative_to(wortel).with_suffix("").parts)
    if delen[-1] == "__init__":
        delen = delen[:-1]
    return ".".join(delen)


def modules(wortel: Path) -> dict[str, Path]:
    """Module name (relative to the package, "" for its ``__init__``) -> file."""
    return {_module_naam(p, wortel): p for p in sorted(wortel.rglob("*.py"))}


def _relatief(naam: str, pakket: str) -> str | None:
    """``pakket.a.b`` -> ``a.b``; ``pakket`` -> ""; other packages -> None."""
    if naam == pakket:
        return ""
    if naam.startswith(pakket + "."):
        return naam[len(pakket) + 1:]
    return None


def _samen(*delen: str) -> str:
    return ".".join(d for d in delen if d)


def importen(wortel: Path) -> tuple[list[Import], list[tuple[str, int, str, str]]]:
    """Every import of the package in ``wortel`` and every ``module._private`` access.

    Returns
    -------
    (imports, attributen)
        ``attributen`` holds (module, line, imported module, private attribute) for each
        ``x._y`` where ``x`` is a name bound to a module of the package.
    """
    pakket = wortel.name
    mods = modules(wortel)
    uit: list[Import] = []
    attributen: list[tuple[str, int, str, str]] = []
    for van, pad in mods.items():
        boom = ast.parse(pad.read_text(encoding="utf-8"), filename=str(pad))
        is_init = pad.name == "__init__.py"
        lui_knopen: set[int] = set()
        for f in ast.walk(boom):
            if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lui_knopen.update(id(k) for k in ast.walk(f) if k is not f)
        gebonden: dict[str, str] = {}  # local name -> package module
        for knoop in ast.walk(boom):
            lui = id(knoop) in lui_knopen
            if isinstance(knoop, ast.Import):
                for a in knoop.names:
                    rel = _relatief(a.name, pakket)
                    if rel is None:
                        continue
                    uit.append(Import(van, rel, None, knoop.lineno, lui))
                    if a.asname:
                        gebonden[a.asname] = rel
            elif isinstance(knoop, ast.ImportFrom):
                if knoop.level:
                    basis = van.split(".") if van else []
                    if not is_init:
                        basis = basis[:-1]
                    basis = basis[: len(basis) - (knoop.level - 1)]
                    bron = _samen(".".join(basis), knoop.module or "")
                else:
                    bron = _relatief(knoop.module or "", pakket)
                    if bron is None:
                        continue
                for a in knoop.names:
                    sub = _samen(bron, a.name)
                    if sub in mods:  # a submodule
                        uit.append(Import(van, sub, None, knoop.lineno, lui))
                        gebonden[a.asname or a.name] = sub
                    else:
                        uit.append(Import(van, bron, a.name, knoop.lineno, lui))
        for knoop in ast.walk(boom):
            if (isinstance(knoop, ast.Attribute) and isinstance(knoop.value, ast.Name)
                    and knoop.value.id in gebonden and _privaat(knoop.attr)):
                attributen.append((van, knoop.lineno, gebonden[knoop.value.id], knoop.attr))
    return uit, attributen


def _privaat(naam: str) -> bool:
    return naam.startswith("_") and not (naam.startswith("__") and naam.endswith("__"))


def laag(module: str) -> int:
    beste = max((p for p in LAGEN if p == "" or module == p or module.startswith(p + ".")), key=len)
    return LAGEN[beste]


def _map(module: str, mods: dict[str, Path]) -> str:
    """The folder (package) a module lives in."""
    if module in mods and mods[module].name == "__init__.py":
        return module
    return module.rpartition(".")[0]


def laag_overtredingen(wortel: Path) -> list[str]:
    imps, _ = importen(wortel)
    return sorted({f"{i.van or wortel.name} (regel {i.regel}, laag {laag(i.van)}) importeert "
                   f"{i.naar or wortel.name} (laag {laag(i.naar)})"
                   for i in imps if laag(i.naar) > laag(i.van)})


def cycli(wortel: Path) -> list[list[str]]:
    """Strongly connected components with more than one module (or a self-import)."""
    imps, _ = importen(wortel)
    graaf: dict[str, set[str]] = {m: set() for m in modules(wortel)}
    for i in imps:
        if i.naar != i.van:
            graaf.setdefault(i.van, set()).add(i.naar)
    # Tarjan
    index: dict[str, int] = {}
    laag_: dict[str, int] = {}
    stapel: list[str] = []
    op_stapel: set[str] = set()
    uit: list[list[str]] = []
    teller = [0]

    def bezoek(v: str) -> None:
        index[v] = laag_[v] = teller[0]
        teller[0] += 1
        stapel.append(v)
        op_stapel.add(v)
        for w in sorted(graaf.get(v, ())):
            if w not in index:
                bezoek(w)
                laag_[v] = min(laag_[v], laag_[w])
            elif w in op_stapel:
                laag_[v] = min(laag_[v], index[w])
        if laag_[v] == index[v]:
            comp = []
            while True:
                w = stapel.pop()
                op_stapel.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                uit.append(sorted(comp))

    for v in sorted(graaf):
        if v not in index:
            bezoek(v)
    return uit


def prive_overtredingen(wortel: Path) -> list[str]:
    mods = modules(wortel)
    imps, attributen = importen(wortel)
    fout = set()
    for i in imps:
        if i.naam is not None and _privaat(i.naam):
            fout.add(f"{i.van} (regel {i.regel}) importeert {i.naam} uit {i.naar}")
        if any(_privaat(d) for d in i.naar.split(".")):
            thuis = i.naar.rpartition(".")[0]  # the folder of the private module
            if _map(i.van, mods) != thuis:
                fout.add(f"{i.van} (regel {i.regel}) importeert de interne module {i.naar}")
    for van, regel, mod, attr in attributen:
        fout.add(f"{van} (regel {regel}) gebruikt {mod}.{attr}")
    return sorted(fout)


def catalogus_overtredingen(wortel: Path) -> list[str]:
    """Modules other than the catalog that read the catalog dict ``INDICATOREN``.

    Found: ``from <...>catalogus import INDICATOREN`` (or from ``indicatoren``, which
    re-exports it) and ``<module>.INDICATOREN`` on a module of the package. The one
    exception is that re-export itself in ``indicatoren/__init__`` (for users and tests).
    A module's own constant that happens to be called ``INDICATOREN`` (the benchmark's)
    is not the catalog.
    """
    imps, _ = importen(wortel)
    fout = {f"{i.van} (regel {i.regel}) gebruikt INDICATOREN in plaats van catalogus.indicator()"
            for i in imps
            if i.naam == "INDICATOREN" and i.naar in (CATALOGUS, "indicatoren") and i.van != "indicatoren"}
    mods = modules(wortel)
    pakket = wortel.name
    for naam, pad in mods.items():
        if naam == CATALOGUS:
            continue
        boom = ast.parse(pad.read_text(encoding="utf-8"))
        modnamen = {a.asname or a.name for k in ast.walk(boom) if isinstance(k, ast.ImportFrom)
                    for a in k.names if _samen(_relatief(k.module or "", pakket) or "", a.name) in mods}
        modnamen |= {(a.asname or a.name.split(".")[0]) for k in ast.walk(boom)
                     if isinstance(k, ast.Import) for a in k.names}
        for k in ast.walk(boom):
            if (isinstance(k, ast.Attribute) and k.attr == "INDICATOREN"
                    and isinstance(k.value, (ast.Name, ast.Attribute))
                    and (not isinstance(k.value, ast.Name) or k.value.id in modnamen)):
                fout.add(f"{naam} (regel {k.lineno}) gebruikt INDICATOREN in plaats van catalogus.indicator()")
    return sorted(fout)


# ---------------------------------------------------------------------------
# The rules on the real package
# ---------------------------------------------------------------------------


def test_lagen_in_de_goede_richting():
    assert laag_overtredingen(PAKKET) == []


def test_geen_import_cycli():
    assert cycli(PAKKET) == []


def test_geen_prive_namen_van_andere_modules():
    assert prive_overtredingen(PAKKET) == []


def test_een_catalogus_opzoeking():
    assert catalogus_overtredingen(PAKKET) == []


def test_elke_module_heeft_een_laag():
    # every module is placed on purpose: a new stage folder must be added to LAGEN
    onbekend = [m for m in modules(PAKKET) if m and max(
        (p for p in LAGEN if p and (m == p or m.startswith(p + "."))), key=len, default=None) is None]
    assert onbekend == []


def test_stagemappen_noemen_hun_publieke_namen():
    # statsmodels tsa/api.py: a stage's public surface in one place
    for stage in ("invoer", "indicatoren", "analyse", "rapport", "opendata"):
        boom = ast.parse((PAKKET / stage / "__init__.py").read_text(encoding="utf-8"))
        namen = [t.id for k in boom.body if isinstance(k, (ast.Assign, ast.AnnAssign))
                 for t in (k.targets if isinstance(k, ast.Assign) else [k.target])
                 if isinstance(t, ast.Name)]
        assert "__all__" in namen, stage


def test_stagemappen_all_klopt():
    # every name in a stage's __all__ can be imported from it (lazy names included)
    import importlib

    for stage in ("invoer", "indicatoren", "analyse", "rapport", "opendata"):
        mod = importlib.import_module(f"monitoranalyse.{stage}")
        for naam in mod.__all__:
            assert getattr(mod, naam) is not None, f"{stage}.{naam}"
        assert set(mod.__all__) <= set(dir(mod)), stage


# ---------------------------------------------------------------------------
# The checker finds planted violations (a fake package in a temp folder)
# ---------------------------------------------------------------------------


def _nep_pakket(tmp_path: Path, bestanden: dict[str, str]) -> Path:
    wortel = tmp_path / "nep"
    for naam, tekst in {"__init__.py": "", "invoer/__init__.py": "", "analyse/__init__.py": "",
                        "indicatoren/__init__.py": "", **bestanden}.items():
        pad = wortel / naam
        pad.parent.mkdir(parents=True, exist_ok=True)
        pad.write_text(textwrap.dedent(tekst), encoding="utf-8")
    return wortel


def test_checker_vindt_import_omhoog(tmp_path):
    # planted: a layer-0 module imports the analysis stage lazily, inside a function
    w = _nep_pakket(tmp_path, {
        "contract.py": "def f():\n    from nep.analyse.trend import trend\n",
        "analyse/trend.py": "from nep import contract\n\ndef trend():\n    pass\n",
    })
    assert laag_overtredingen(w) == ["contract (regel 2, laag 0) importeert analyse.trend (laag 3)"]
    assert cycli(w) == [["analyse.trend", "contract"]]


def test_checker_vindt_cyclus_binnen_een_laag(tmp_path):
    # planted: two analysis modules import each other (relative import, one lazy)
    w = _nep_pakket(tmp_path, {
        "analyse/a.py": "from .b import g\n",
        "analyse/b.py": "def g():\n    from nep.analyse import a\n",
    })
    assert laag_overtredingen(w) == []
    assert cycli(w) == [["analyse.a", "analyse.b"]]


def test_checker_vindt_prive_namen(tmp_path):
    # planted: a private function, a private attribute, a private module from another folder
    w = _nep_pakket(tmp_path, {
        "indicatoren/_basis.py": "def _af():\n    pass\n\ndef af():\n    pass\n",
        "indicatoren/thema.py": "from ._basis import af\n",  # allowed: same folder, public name
        "analyse/trend.py": "from nep.indicatoren._basis import _af\n",
        "analyse/spc.py": "from nep.analyse import trend\nx = trend._geheim\n",
        "analyse/weg.py": "from nep.indicatoren import _basis\n",
    })
    assert prive_overtredingen(w) == [
        "analyse.spc (regel 2) gebruikt analyse.trend._geheim",
        "analyse.trend (regel 1) importeert _af uit indicatoren._basis",
        "analyse.trend (regel 1) importeert de interne module indicatoren._basis",
        "analyse.weg (regel 1) importeert de interne module indicatoren._basis",
    ]


def test_checker_vindt_tweede_catalogus_opzoeking(tmp_path):
    # planted: the catalog dict read directly (imported, and as a module attribute); a
    # module's own constant of the same name is not the catalog
    w = _nep_pakket(tmp_path, {
        "indicatoren/catalogus.py": "INDICATOREN = {}\n",
        "analyse/trend.py": ("from nep.indicatoren.catalogus import INDICATOREN\n"
                             "def t(c):\n    return INDICATOREN.get(c)\n"),
        "analyse/spc.py": "from nep.indicatoren import catalogus\nx = catalogus.INDICATOREN.get('a')\n",
        "analyse/eigen.py": "INDICATOREN = ('a', 'b')\nfor i in INDICATOREN:\n    pass\n",
    })
    assert catalogus_overtredingen(w) == [
        "analyse.spc (regel 2) gebruikt INDICATOREN in plaats van catalogus.indicator()",
        "analyse.trend (regel 1) gebruikt INDICATOREN in plaats van catalogus.indicator()",
    ]


@pytest.mark.parametrize("module,verwacht", [("indicatoren.catalogus", 0), ("indicatoren.uitgaven", 2),
                                             ("rapport", 4), ("", 5), ("invoer.laden", 1)])
def test_laag_langste_voorvoegsel(module, verwacht):
    assert laag(module) == verwacht



def test_oude_namen_van_basis_zijn_weg():
    # the temporary map of pre-issue-13 names is gone (no branch uses them any more)
    from monitoranalyse.indicatoren import _basis

    with pytest.raises(AttributeError):
        _basis._af

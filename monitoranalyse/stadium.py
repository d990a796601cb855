"""The lazy public surface of a stage folder (``invoer``, ``analyse``, ``rapport``, ``opendata``).

Each stage's ``__init__`` names its modules and public names in two tables and gets its
module-level ``__getattr__`` and ``__dir__`` (PEP 562) from :func:`lui_oppervlak`: a public
name is imported from its module on first use, so importing one module of a stage does not
import all of them (and cannot create an import cycle). The standard library has no helper
for this (``importlib.util.LazyLoader`` defers a whole module, not a table of names), so this
is our own code, in one place instead of four copies.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from importlib import import_module

__all__ = ["lui_oppervlak"]


def lui_oppervlak(pakket: str, modules: Sequence[str], publiek: Mapping[str, str]
                  ) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for the package ``pakket``.

    ``modules``: the stage's modules that are part of its surface; ``publiek``: public name ->
    the module of the stage that defines it. A name, once imported, is stored in the package's
    namespace (the next lookup does not come here again).
    """

    def __getattr__(naam: str):
        if naam in modules:
            return import_module(f"{pakket}.{naam}")
        if naam in publiek:
            waarde = getattr(import_module(f"{pakket}.{publiek[naam]}"), naam)
            setattr(sys.modules[pakket], naam, waarde)
            return waarde
        raise AttributeError(f"module {pakket!r} has no attribute {naam!r}")

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[pakket])) | set(modules) | set(publiek))

    return __getattr__, __dir__

"""The package version (its own module so every stage can name it without importing the
package facade)."""

__version__ = "0.1.0"


def code_vingerafdruk() -> str:
    """A sha256 over every file of the installed package (code, notebooks, templates, shipped
    data), so that ``rapport --alleen-gewijzigd`` (issue 16) also redoes reports after a code
    change that kept the version number (a development install, a local patch). Reads a few
    hundred small files: milliseconds. Compiled caches are left out."""
    import hashlib
    from pathlib import Path

    basis = Path(__file__).resolve().parent
    h = hashlib.sha256(__version__.encode())
    for pad in sorted(p for p in basis.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                      and p.suffix not in (".pyc", ".pyo") and not p.name.startswith(".")):
        h.update(str(pad.relative_to(basis)).encode())
        h.update(hashlib.sha256(pad.read_bytes()).digest())
    return h.hexdigest()

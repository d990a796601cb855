"""Wijk boundaries for the maps (issue 15), in the format of the CBS Wijk- en Buurtkaart.

A dataset folder may hold ``wijkgrenzen.geojson`` or ``wijkgrenzen.gpkg``: one feature per
wijk with ``WK_CODE`` (CBS wijkcode ``WKxxxxxx``), ``WK_NAAM`` and a polygon, as CBS
publishes them (CRS RD New, EPSG:28992; other CRSs are transformed). ``GM_NAAM`` (optional,
as in the CBS file) restricts a national file to one gemeente. Read with geopandas and
pyogrio (maintained GDAL bindings); no geometry code of our own.

Matching with the data: on the wijkcode when the table ``wijken`` gives one for the wijk,
otherwise on the name (``WK_NAAM`` = ``trajecten.wijk``, spaces around and case ignored).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from monitoranalyse.invoer.monitordata import InvoerFout

__all__ = ["GRENSBESTANDEN", "grensbestand", "lees_wijkgrenzen", "koppel_wijkgrenzen", "RD_NEW"]

#: File names looked for in the dataset folder, in this order.
GRENSBESTANDEN = ("wijkgrenzen.geojson", "wijkgrenzen.gpkg")
#: The CRS of the CBS Wijk- en Buurtkaart (Amersfoort / RD New).
RD_NEW = "EPSG:28992"
_NODIG = ("WK_CODE", "WK_NAAM")


def grensbestand(map_) -> Path | None:
    """The boundary file of a dataset folder, or None."""
    if map_ is None:
        return None
    for naam in GRENSBESTANDEN:
        p = Path(map_) / naam
        if p.is_file():
            return p
    return None


def lees_wijkgrenzen(pad, gemeente: str | None = None):
    """Read a boundary file (GeoJSON or GeoPackage) as a GeoDataFrame in RD New.

    Parameters
    ----------
    pad : path
        The file.
    gemeente : str, optional
        Keep the features with ``GM_NAAM == gemeente`` when the file has that column.

    Returns
    -------
    GeoDataFrame
        Columns ``WK_CODE, WK_NAAM, geometry`` (+ the other columns of the file), CRS EPSG:28992.

    Raises
    ------
    InvoerFout
        The file cannot be read, or lacks WK_CODE / WK_NAAM (Dutch message naming the file).
    """
    import geopandas as gpd

    pad = Path(pad)
    try:
        gdf = gpd.read_file(pad, engine="pyogrio")
    except Exception as e:  # noqa: BLE001 - any GDAL error becomes one Dutch message
        raise InvoerFout(f"{pad.name} kan niet gelezen worden als GeoJSON of GeoPackage: {e}",
                         details=f"{type(e).__name__}: {e}") from None
    ontbreekt = [k for k in _NODIG if k not in gdf.columns]
    if ontbreekt:
        raise InvoerFout(
            f"{pad.name} mist de kolom(men) {', '.join(ontbreekt)}; verwacht het formaat van de CBS "
            "Wijk- en Buurtkaart (WK_CODE, WK_NAAM en de geometrie).")
    if gdf.crs is None:
        gdf = gdf.set_crs(RD_NEW)
    elif gdf.crs.to_epsg() != 28992:
        gdf = gdf.to_crs(RD_NEW)
    if gemeente is not None and "GM_NAAM" in gdf.columns:
        gdf = gdf[gdf["GM_NAAM"].astype(str).str.strip() == gemeente]
    gdf = gdf[gdf.geometry.notna()].copy()
    gdf["WK_CODE"] = gdf["WK_CODE"].astype(str).str.strip().str.upper()
    gdf["WK_NAAM"] = gdf["WK_NAAM"].astype(str).str.strip()
    return gdf.reset_index(drop=True)


def _sleutel(s: pd.Series) -> pd.Series:
    return s.astype("string").str.strip().str.lower()


def koppel_wijkgrenzen(md, gemeente: str, grenzen=None):
    """Match the wijken of one gemeente's data with its boundaries.

    Parameters
    ----------
    md : Monitordata
        Data of (at least) that gemeente; uses ``trajecten.wijk`` and the table ``wijken``.
    gemeente : str
    grenzen : GeoDataFrame, optional
        Default: read from the dataset folder (``md.map``); None there = no boundaries.

    Returns
    -------
    (GeoDataFrame or None, DataFrame)
        The boundaries with a column ``wijk`` (the name in the data; empty when the feature
        matches no wijk of the data), and the mismatches: columns ``wijk, wijkcode, probleem``
        with probleem "wijk in de data, niet in de wijkgrenzen" or "wijk in de wijkgrenzen,
        niet in de data". (None, empty) without boundaries.
    """
    leeg = pd.DataFrame(columns=["wijk", "wijkcode", "probleem"])
    if grenzen is None:
        pad = grensbestand(md.map)
        if pad is None:
            return None, leeg
        grenzen = lees_wijkgrenzen(pad, gemeente)
    tr = md.tabellen["trajecten"]
    tr = tr[tr["gemeente"] == gemeente]
    data = set(tr["wijk"].dropna().astype(str).str.strip()) - {""} if "wijk" in tr.columns else set()
    w = md.tabellen.get("wijken", pd.DataFrame())
    w = w[w["gemeente"] == gemeente] if len(w) else w
    data |= set(w["wijk"].dropna().astype(str).str.strip()) if len(w) else set()
    code_van = {}
    if len(w) and "wijkcode" in w.columns:
        for naam, code in zip(w["wijk"].astype(str).str.strip(), w["wijkcode"]):
            if not pd.isna(code) and str(code).strip():
                code_van[naam] = str(code).strip().upper()
    naam_naar_data = {n.lower(): n for n in data}
    code_naar_data = {c: n for n, c in code_van.items()}
    gekoppeld = []
    for code, naam in zip(grenzen["WK_CODE"], grenzen["WK_NAAM"]):
        gekoppeld.append(code_naar_data.get(code) or naam_naar_data.get(str(naam).strip().lower(), ""))
    grenzen = grenzen.copy()
    grenzen["wijk"] = gekoppeld
    rijen = [(n, code_van.get(n, ""), "wijk in de data, niet in de wijkgrenzen")
             for n in sorted(data - set(gekoppeld))]
    los = grenzen[grenzen["wijk"] == ""]
    rijen += [(n, c, "wijk in de wijkgrenzen, niet in de data") for n, c in zip(los["WK_NAAM"], los["WK_CODE"])]
    return grenzen, pd.DataFrame(rijen, columns=["wijk", "wijkcode", "probleem"])

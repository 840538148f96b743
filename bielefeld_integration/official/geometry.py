"""The Kreise of Germany from the BKG shapefile (VG2500) and the map of NRW's Kreise.

:func:`read_kreise` turns the shapefile into a plain table of polygon rings (one row per
vertex, EPSG:25832 metres) for the official store; :func:`nrw_map` draws NRW's 53 Kreise
from that table with matplotlib, one highlighted Kreis outlined. Reading uses ``pyshp``.
"""

from __future__ import annotations

import itertools
import struct
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import shapefile
from matplotlib.collections import PolyCollection

from bielefeld_integration.errors import DataError

__all__ = ["NRW", "nrw_map", "read_kreise"]

#: Land code of North Rhine-Westphalia.
NRW = "05"
_POLYGON = 5


def read_kreise(path: str | Path) -> pd.DataFrame:
    """The Kreise of a VG2500 shapefile as rings of vertices.

    Returns
    -------
    pandas.DataFrame
        ``ags`` (5 digits), ``name`` (``GEN``), ``kind`` (``BEZ``: Kreis, Kreisfreie Stadt, …),
        ``ring`` (number of the ring within the Kreis), ``x``, ``y`` (EPSG:25832).

    Raises
    ------
    DataError
        Not a polygon shapefile, or without the fields ``AGS``, ``GEN`` and ``BEZ``.
    """
    path = Path(path)
    try:
        reader = shapefile.Reader(str(path), encoding="utf-8")
    except (shapefile.ShapefileException, OSError, struct.error) as exc:
        raise DataError(f"keine lesbare Shape-Datei ({exc})", file=path) from None
    with reader:
        if reader.shapeType != _POLYGON:
            raise DataError("erwartet werden Flächen (Polygone)", file=path)
        fields = {f[0] for f in reader.fields}
        if not {"AGS", "GEN", "BEZ"} <= fields:
            raise DataError("Felder AGS, GEN und BEZ fehlen", file=path)
        frames = []
        for shape_rec in reader.iterShapeRecords():
            rec, shape = shape_rec.record, shape_rec.shape
            ags = str(rec["AGS"]).strip()
            pts = np.asarray(shape.points, dtype=float)
            starts = [*shape.parts, len(pts)]
            for ring, (a, b) in enumerate(itertools.pairwise(starts)):
                frames.append(
                    pd.DataFrame(
                        {
                            "ags": ags,
                            "name": str(rec["GEN"]).strip(),
                            "kind": str(rec["BEZ"]).strip(),
                            "ring": ring,
                            "x": pts[a:b, 0],
                            "y": pts[a:b, 1],
                        }
                    )
                )
    out = pd.concat(frames, ignore_index=True)
    out["ring"] = out["ring"].astype("int64")
    return out


def nrw_map(
    kreise: pd.DataFrame,
    highlight: str = "05711",
    *,
    values: pd.Series | None = None,
    ax=None,
):
    """Draw NRW's Kreise with ``highlight`` outlined; return the matplotlib figure.

    Parameters
    ----------
    kreise
        The table of :func:`read_kreise` (all of Germany or NRW only).
    highlight
        AGS of the Kreis to outline (Bielefeld ``"05711"``).
    values
        Optional values per AGS for a choropleth (grey where missing); without values the
        Kreise are drawn in one light colour.
    """
    nrw = kreise[kreise["ags"].str.startswith(NRW)]
    if nrw.empty:
        raise DataError("keine Kreise Nordrhein-Westfalens in der Geometrie")
    if highlight not in set(nrw["ags"]):
        raise DataError(f"Kreis {highlight} nicht in der Geometrie")
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 5.6))
    else:
        fig = ax.figure
    rings, colours = [], []
    cmap = plt.get_cmap("Blues")
    lo = hi = None
    if values is not None and len(values.dropna()):
        lo, hi = float(values.min()), float(values.max())
    for (ags, _ring), part in nrw.groupby(["ags", "ring"], sort=True):
        rings.append(part[["x", "y"]].to_numpy())
        v = values.get(ags) if values is not None else None
        if v is None or pd.isna(v) or lo is None:
            colours.append("#dfe6ee" if values is None else "#eeeeee")
        else:
            colours.append(cmap(0.15 + 0.75 * ((v - lo) / (hi - lo) if hi > lo else 0.5)))
    ax.add_collection(PolyCollection(rings, facecolors=colours, edgecolors="white", linewidths=0.6))
    own = nrw[nrw["ags"] == highlight]
    outline = [p[["x", "y"]].to_numpy() for _, p in own.groupby("ring")]
    ax.add_collection(
        PolyCollection(outline, facecolors="none", edgecolors="#d95f02", linewidths=2.2)
    )
    cx, cy = own["x"].mean(), own["y"].mean()
    ax.annotate(
        own["name"].iloc[0],
        (cx, cy),
        xytext=(18, 14),
        textcoords="offset points",
        fontsize=10,
        color="#7a3300",
        arrowprops={"arrowstyle": "-", "color": "#7a3300", "lw": 0.8},
    )
    ax.set_xlim(nrw["x"].min() - 5_000, nrw["x"].max() + 5_000)
    ax.set_ylim(nrw["y"].min() - 5_000, nrw["y"].max() + 5_000)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return fig

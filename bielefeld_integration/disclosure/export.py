"""Export of the indicator table as CSV, XLSX or parquet — disclosure-controlled by default."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
from threadpoolctl import threadpool_limits

from bielefeld_integration.atomic import write_with
from bielefeld_integration.disclosure.indicator_table import PUBLISHED_COLUMNS, publishable
from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import area_label, areas
from bielefeld_integration.indicators.compute import COLUMNS
from bielefeld_integration.safe_text import neutralise_frame
from bielefeld_integration.symbols import SYMBOL_LEGEND

__all__ = ["AREA_NAME_COLUMN", "FORMATS", "export", "with_area_names", "write_table"]

#: Export formats.
FORMATS = ("csv", "xlsx", "parquet")
#: Column with the German name of the area, after ``area_code`` in every export.
AREA_NAME_COLUMN = "Gebiet"


def _areas() -> pd.DataFrame:
    """Codes and names of every area (the 72 Statistische Bezirke with their real names)."""
    a = areas()
    return pd.DataFrame(
        {
            "Ebene": a["area_level"].map(
                {
                    "stadt": "Stadt",
                    "stadtbezirk": "Stadtbezirk",
                    "stat_bezirk": "Statistischer Bezirk",
                }
            ),
            "area_code": a["area_code"],
            "Name": a["area_name"],
            "gehört zu": a["parent_code"],
        }
    )


def with_area_names(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with the column :data:`AREA_NAME_COLUMN` right after ``area_code``.

    The city and the Stadtbezirke by name, a Statistischer Bezirk by number and name as the
    city writes it (``"17 Vorwerk Schildesche"``). An unknown area key raises
    :class:`DataError`.
    """
    codes = table["area_code"].astype(str)
    names = {c: area_label(c) for c in codes.unique()}
    out = table.copy()
    out.insert(out.columns.get_loc("area_code") + 1, AREA_NAME_COLUMN, codes.map(names))
    return out


def write_table(table: pd.DataFrame, path: str | Path, fmt: str | None = None) -> Path:
    """Write a table (e.g. the published one) as CSV, XLSX or parquet, atomically.

    CSV: UTF-8 without BOM, comma-separated, header row, decimal point, empty field for a
    missing value (the reason is in the symbol columns). XLSX: sheet ``Indikatoren`` plus a
    sheet ``Zeichenerklärung`` (legend of the symbols) and a sheet ``Gebiete`` (code and name of
    every area, the 72 Statistische Bezirke included). Parquet: the same columns.
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise DataError(f"unbekanntes Exportformat {fmt!r}; erlaubt: {', '.join(FORMATS)}")
    if fmt in ("csv", "xlsx"):  # titles come from the catalogue: never a formula cell
        table = neutralise_frame(table)
    if fmt == "csv":
        return write_with(
            path, lambda p: table.to_csv(p, index=False, encoding="utf-8", lineterminator="\n")
        )
    if fmt == "parquet":
        return write_with(path, lambda p: table.to_parquet(p, index=False))

    def write_xlsx(p: Path) -> None:
        legend = pd.DataFrame(
            {"Zeichen": list(SYMBOL_LEGEND), "Bedeutung": list(SYMBOL_LEGEND.values())}
        )
        with pd.ExcelWriter(p, engine="openpyxl") as writer:
            table.to_excel(writer, sheet_name="Indikatoren", index=False)
            legend.to_excel(writer, sheet_name="Zeichenerklärung", index=False)
            _areas().to_excel(writer, sheet_name="Gebiete", index=False)

    return write_with(path, write_xlsx)


def export(
    df: pd.DataFrame,
    path: str | Path,
    fmt: str | None = None,
    *,
    unsuppressed: bool = False,
    threshold: int = 3,
) -> Path:
    """Export an indicator table, disclosure-controlled.

    Parameters
    ----------
    df : pandas.DataFrame
        An indicator table (``compute``), or an already published one (columns
        :data:`PUBLISHED_COLUMNS`, e.g. :func:`bielefeld_integration.store.published`),
        which is written as it is.
    path : str or Path
        Output file; written atomically.
    fmt : {"csv", "xlsx", "parquet"}, optional
        Default: from the file suffix.
    unsuppressed : bool, default False
        Export the values without disclosure control. **Internal use only**; emits a
        :class:`UserWarning`.
    threshold : int, default 3
        Smallest published count (see :func:`publishable`).

    Returns
    -------
    Path
        The written file: the columns of the table, with the area's German name
        (:data:`AREA_NAME_COLUMN`, :func:`with_area_names`) after ``area_code``.

    Examples
    --------
    >>> export(compute("2017"), "indikatoren_2017.csv")  # doctest: +SKIP
    """
    fmt = (fmt or Path(path).suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise DataError(f"unbekanntes Exportformat {fmt!r}; erlaubt: {', '.join(FORMATS)}")
    if unsuppressed:
        warnings.warn(
            "Export ohne Geheimhaltung (unsuppressed=True): nur für den internen Gebrauch",
            UserWarning,
            stacklevel=2,
        )
        table = df[COLUMNS].reset_index(drop=True)
    elif set(PUBLISHED_COLUMNS) <= set(df.columns):
        table = df[PUBLISHED_COLUMNS].reset_index(drop=True)
    else:
        with threadpool_limits(limits=1, user_api="blas"):
            table = publishable(df, threshold)
    return write_table(with_area_names(table), path, fmt)

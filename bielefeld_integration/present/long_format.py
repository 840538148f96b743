"""One download of the whole site: every published indicator value in long format.

``reports/indikatoren-alle-jahre.csv`` holds one row per indicator, period, area, group and
breakdown value of the published (disclosure-controlled) indicator table — the same table
every page takes its values from — for the periods that have a rendered report. Headers are
German, values are plain numbers (``.`` as decimal separator, no units in cells, rounded to
two decimals more than the pages show) and the column ``Zeichen`` carries the table symbol
(``.`` secret, ``/`` not reliable, ``x`` not meaningful, ``...`` later, ``–`` exactly zero);
where a symbol other than ``–`` stands, ``Wert`` is empty. The file is UTF-8 with byte-order
mark and ``;``-separated, like the downloads beside the charts and tables. ``Gebiet`` names
the area as the city writes it (a Statistischer Bezirk by number and name, e.g.
``17 Vorwerk Schildesche``); an unknown area key is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from bielefeld_integration import store, symbols
from bielefeld_integration.atomic import write_text_atomic
from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import area_label
from bielefeld_integration.indicators.catalogue import Catalogue, load_catalogue
from bielefeld_integration.present.chapter_data import published_indicators, shown_values
from bielefeld_integration.present.display import frame_to_csv
from bielefeld_integration.present.format import unit_decimals
from bielefeld_integration.present.labels import (
    BREAKDOWN_LABELS,
    TOTAL,
    breakdown_label,
    indicator_label,
    unit_label,
)
from bielefeld_integration.safe_text import neutralise_frame

__all__ = ["LONG_COLUMNS", "LONG_FILE", "long_table", "write_long_file"]

#: File name of the long-format download in the reports folder.
LONG_FILE = "indikatoren-alle-jahre.csv"

#: Columns of the long-format file.
LONG_COLUMNS = [
    "Berichtsjahr",
    "Kennung",
    "Indikator",
    "Gruppe",
    "Gliederung",
    "Ausprägung",
    "Gebietsebene",
    "Gebietsschlüssel",
    "Gebiet",
    "Wert",
    "Einheit",
    "Zeichen",
    "Stichtag",
]

_LEVELS = {
    "stadt": "Stadt",
    "stadtbezirk": "Stadtbezirk",
    "stat_bezirk": "Statistischer Bezirk",
}


def _age_label(value: str) -> str:
    """``"00-02"`` -> ``"0 bis 2 Jahre"``, ``"65+"`` -> ``"65 Jahre und älter"``."""
    if value.endswith("+") and value[:-1].isdigit():
        return f"{int(value[:-1])} Jahre und älter"
    low, sep, high = value.partition("-")
    if sep and low.isdigit() and high.isdigit():
        return f"{int(low)} bis {int(high)} Jahre"
    return value


def _breakdown_value(dim: str, value: str) -> str:
    if dim == "age_group":
        return _age_label(value)
    return breakdown_label(dim, value)


def _date(iso: str) -> str:
    """``"2017-12-31"`` -> ``"31.12.2017"`` (other text unchanged)."""
    parts = iso.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{parts[2]}.{parts[1]}.{parts[0]}"
    return iso


def long_table(
    published: pd.DataFrame,
    periods: Iterable[str] | None = None,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """The published indicator table in long format with German headers and labels.

    Parameters
    ----------
    published:
        The disclosure-controlled indicator table
        (:func:`~bielefeld_integration.present.chapter_data.published_indicators`).
    periods:
        Keep only these periods (default: all).
    catalogue:
        The indicator catalogue (default: the shipped one).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LONG_COLUMNS`, sorted by period, indicator, area, group and breakdown.
    """
    cat = catalogue or load_catalogue()
    df = published
    if periods is not None:
        df = df[df["period"].astype(str).isin({str(p) for p in periods})]
    df = df[df["indicator"].isin(list(cat))]
    df = df.sort_values(
        ["period", "indicator", "area_level", "area_code", "group", "breakdown", "breakdown_value"],
        kind="stable",
    )
    values = shown_values(df["value"], df["symbol"].astype(str))
    rows = []
    for r, value in zip(df.itertuples(index=False), values, strict=True):
        ind = cat[r.indicator]
        dim = str(r.breakdown)
        decimals = unit_decimals(ind.unit) + 2
        rows.append(
            (
                str(r.period),
                ind.id,
                ind.title,
                indicator_label(ind, str(r.group)),
                BREAKDOWN_LABELS.get(dim, dim) if dim != TOTAL else "insgesamt",
                _breakdown_value(dim, str(r.breakdown_value)),
                _LEVELS.get(str(r.area_level), str(r.area_level)),
                str(r.area_code),
                area_label(str(r.area_code)),
                float(np.round(value, decimals)) if np.isfinite(value) else np.nan,
                unit_label(ind),
                symbols.sign(str(r.symbol)) if str(r.symbol) else "",
                _date(str(r.reference_date or "")),
            )
        )
    return pd.DataFrame(rows, columns=LONG_COLUMNS)


def write_long_file(
    output_dir: str | Path, data_dir: str | Path, periods: Iterable[str]
) -> Path | None:
    """Write :data:`LONG_FILE` into the reports folder for the given (rendered) periods.

    Parameters
    ----------
    output_dir:
        The reports folder.
    data_dir:
        The processed store.
    periods:
        The periods with a rendered report.

    Returns
    -------
    Path or None
        The file written; ``None`` (and an old file removed) if the store has no published
        indicator table or no period is given.
    """
    target = Path(output_dir) / LONG_FILE
    wanted = [str(p) for p in periods]
    published = None
    if wanted and (Path(data_dir) / "indicators.parquet").is_file():
        try:
            published = published_indicators(str(store.data_dir(data_dir)))
        except DataError:  # no published table (yet): no file rather than unprotected values
            published = None
    if published is None:
        target.unlink(missing_ok=True)
        return None
    table = neutralise_frame(long_table(published, wanted))
    write_text_atomic(target, "\ufeff" + frame_to_csv(table))
    return target

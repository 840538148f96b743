"""Primary suppression and the checks shared by all table functions.

- :func:`suppress_counts`: counts ``0 < n < threshold`` (default 3, i.e. 1 and 2) in a
  tidy frame become ``.``; zeros are not secret and are shown as ``-``;
- :func:`mark_small_denominator`: rates whose denominator is too small are marked ``/``.

Primary suppression alone does not protect a table with totals (a hidden cell can be
recomputed by subtraction); see :mod:`bielefeld_integration.disclosure.table` and
:mod:`bielefeld_integration.disclosure.secondary`.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from bielefeld_integration.errors import DataError, DataErrors
from bielefeld_integration.symbols import NOT_AVAILABLE, SECRET, UNRELIABLE, ZERO

__all__ = ["check_threshold", "mark_small_denominator", "suppress_counts"]

LOG_COLUMNS = ["row", "column", "value", "reason"]


def primary_reason(threshold: int) -> str:
    """Reason text of a primary cell in a suppression log."""
    return f"primär: Fallzahl < {threshold}"


def check_threshold(threshold: int) -> None:
    """Refuse a threshold that is not a positive integer."""
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer)):
        raise ValueError(f"Schwellenwert muss eine ganze Zahl sein, nicht {threshold!r}")
    if threshold < 1:
        raise ValueError(f"Schwellenwert muss mindestens 1 sein, nicht {threshold}")


def cell_problems(
    values: np.ndarray, rows: pd.Index, columns: pd.Index, *, allow_missing: bool = False
) -> list[DataError]:
    """Missing, negative and fractional counts, one DataError per cell."""
    problems: list[DataError] = []
    if not allow_missing:
        for i, j in zip(*np.nonzero(np.isnan(values)), strict=True):
            problems.append(DataError(f"Zeile {rows[i]!r}: Fallzahl fehlt", column=str(columns[j])))
    with np.errstate(invalid="ignore"):
        negative = values < 0
        fractional = np.isfinite(values) & (values != np.round(values))
        infinite = np.isinf(values)
    for mask, what in (
        (negative, "negative Fallzahl"),
        (fractional, "Fallzahl ist keine ganze Zahl"),
        (infinite, "unendliche Fallzahl"),
    ):
        for i, j in zip(*np.nonzero(mask), strict=True):
            problems.append(
                DataError(f"Zeile {rows[i]!r}: {what} {values[i, j]}", column=str(columns[j]))
            )
    return problems


def to_float_frame(frame: pd.DataFrame) -> np.ndarray:
    try:
        return frame.astype("float64").to_numpy(copy=True)
    except (TypeError, ValueError) as exc:
        raise DataError(f"Tabelle enthält nicht-numerische Werte: {exc}") from None


def position(labels: pd.Index, label: Hashable, what: str) -> int:
    matches = np.flatnonzero(labels == label)
    if len(matches) == 0:
        raise DataError(f"{what} {label!r} fehlt in der Tabelle")
    if len(matches) > 1:
        raise DataError(f"{what} {label!r} kommt mehrfach vor")
    return int(matches[0])


def validate_table(
    table: pd.DataFrame, row_total: Hashable | None, col_total: Hashable | None
) -> tuple[np.ndarray, int | None, int | None]:
    if not isinstance(table, pd.DataFrame):
        raise TypeError("suppress_table erwartet einen pandas DataFrame")
    if table.empty:
        raise DataError("Tabelle ist leer")
    if not table.index.is_unique:
        raise DataError("Zeilenbeschriftungen der Tabelle sind nicht eindeutig")
    if not table.columns.is_unique:
        raise DataError("Spaltenbeschriftungen der Tabelle sind nicht eindeutig")
    tr = None if row_total is None else position(table.index, row_total, "Summenzeile")
    tc = None if col_total is None else position(table.columns, col_total, "Summenspalte")
    values = to_float_frame(table)
    problems = cell_problems(values, table.index, table.columns)
    if problems:
        raise problems[0] if len(problems) == 1 else DataErrors(problems)
    counts = values.astype(np.int64)

    if tr is not None:
        inner = np.delete(counts, tr, axis=0).sum(axis=0)
        for j in np.flatnonzero(inner != counts[tr]):
            problems.append(
                DataError(
                    f"Summenzeile {row_total!r} passt nicht: Summe der Zeilen {inner[j]}, "
                    f"Summenzeile {counts[tr, j]}",
                    column=str(table.columns[j]),
                )
            )
    if tc is not None:
        inner = np.delete(counts, tc, axis=1).sum(axis=1)
        for i in np.flatnonzero(inner != counts[:, tc]):
            problems.append(
                DataError(
                    f"Zeile {table.index[i]!r}: Summenspalte passt nicht: Summe der Spalten "
                    f"{inner[i]}, Summenspalte {counts[i, tc]}",
                    column=str(col_total),
                )
            )
    if problems:
        raise problems[0] if len(problems) == 1 else DataErrors(problems)
    return counts, tr, tc


def suppress_counts(
    df: pd.DataFrame, count_col: str = "count", threshold: int = 3
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Primary suppression of small counts in a tidy frame without totals.

    Parameters
    ----------
    df : pandas.DataFrame
        One count per row in ``count_col``.
    count_col : str, default "count"
        Name of the count column.
    threshold : int, default 3
        Counts with ``0 < n < threshold`` are suppressed.

    Returns
    -------
    frame : pandas.DataFrame
        A copy of ``df`` where suppressed counts are NaN (the column becomes float) and a
        ``symbol`` column holds ``"."`` (suppressed), ``"-"`` (zero), ``"..."`` (count was
        already missing) or ``""``. Non-empty symbols already present in a ``symbol``
        column (e.g. ``"/"``) are kept unless the row is suppressed.
    log : pandas.DataFrame
        ``row`` (index label), ``column``, ``value``, ``reason`` per suppressed row.

    Raises
    ------
    DataError
        If the column is missing or holds negative, fractional or non-numeric values.

    Notes
    -----
    If the frame can be summed to published totals, use :func:`suppress_table` instead:
    primary suppression alone does not protect against subtraction from totals.

    Examples
    --------
    >>> out, log = suppress_counts(pd.DataFrame({"count": [0, 2, 7]}))
    >>> out["symbol"].tolist(), log["value"].tolist()
    (['-', '.', ''], [2])
    """
    check_threshold(threshold)
    if count_col not in df.columns:
        raise DataError(f"Spalte {count_col!r} fehlt", column=count_col)
    try:
        values = pd.to_numeric(df[count_col], errors="raise").astype("float64").to_numpy()
    except (TypeError, ValueError) as exc:
        raise DataError(f"nicht-numerische Fallzahl: {exc}", column=count_col) from None
    problems = cell_problems(
        values.reshape(-1, 1), df.index, pd.Index([count_col]), allow_missing=True
    )
    if problems:
        raise problems[0] if len(problems) == 1 else DataErrors(problems)

    missing = np.isnan(values)
    secret = ~missing & (values > 0) & (values < threshold)
    symbols = np.full(len(values), "", dtype=object)
    if "symbol" in df.columns:
        old = df["symbol"].fillna("").astype(str).to_numpy(dtype=object)
        symbols[:] = old
    symbols[(symbols == "") & missing] = NOT_AVAILABLE
    symbols[(symbols == "") & (values == 0)] = ZERO
    symbols[secret] = SECRET

    out = df.copy()
    out[count_col] = np.where(secret, np.nan, values)
    out["symbol"] = pd.Series(symbols, index=df.index, dtype=object)
    log = pd.DataFrame(
        [
            {
                "row": df.index[k],
                "column": count_col,
                "value": int(values[k]),
                "reason": primary_reason(threshold),
            }
            for k in np.flatnonzero(secret)
        ],
        columns=LOG_COLUMNS,
    )
    return out, log


def mark_small_denominator(values: Any, denominators: Any, min_denominator: float | None) -> Any:
    """Mark values whose denominator is too small to be reliable with ``/``.

    Parameters
    ----------
    values : scalar, array-like or pandas Series
        The rates or shares; they only give the shape (and index) of the result.
    denominators : scalar, array-like or pandas Series
        Their denominators (aligned by label if both are Series).
    min_denominator : float or None
        Smallest denominator for which a value is published; ``None`` or 0 marks nothing.

    Returns
    -------
    str, ndarray of str or pandas Series of str
        ``"/"`` where ``denominator < min_denominator``, else ``""`` (also for a missing
        denominator).

    Examples
    --------
    >>> mark_small_denominator([12.5, 40.0], [8, 120], 20).tolist()
    ['/', '']
    >>> mark_small_denominator(50.0, 4, 20)
    '/'
    """
    if isinstance(values, pd.Series):
        if isinstance(denominators, pd.Series):
            den = denominators.reindex(values.index).astype("float64").to_numpy()
        else:
            den = np.broadcast_to(np.asarray(denominators, dtype="float64"), values.shape)
    else:
        den = np.broadcast_to(
            np.asarray(denominators, dtype="float64"), np.shape(np.asarray(values))
        )
    if min_denominator is None:
        small = np.zeros(den.shape, dtype=bool)
    else:
        with np.errstate(invalid="ignore"):
            small = den < min_denominator
    marks = np.where(small, UNRELIABLE, "").astype(object)
    if isinstance(values, pd.Series):
        return pd.Series(marks, index=values.index, dtype=object)
    if marks.ndim == 0:
        return str(marks[()])
    return marks

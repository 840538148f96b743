"""Statistical disclosure control for published tables: suppression, rounding, table symbols.

Everything the reports publish passes through this module (DESIGN section 7):

- counts ``0 < n < threshold`` (default 3, i.e. 1 and 2) are *primarily* suppressed and
  shown as ``.``; zeros are not secret and are shown as ``-``;
- in tables with totals, further cells are *secondarily* suppressed so that no suppressed
  cell can be recomputed from the published cells and the totals;
- optionally, published counts are rounded to multiples of 5 or 10;
- rates whose denominator is too small are marked ``/``.

Secondary suppression in a two-way table with a total row and a total column
-----------------------------------------------------------------------------
With both totals the table is a system of linear equations: every row (including the
total row) and every column (including the total column) adds up to its total. Think of
rows and columns as the nodes of a graph and of each suppressed cell (r, c) as an edge
between row node r and column node c. An attacker who knows all published cells can
determine a suppressed cell exactly if and only if its edge lies on no cycle of suppressed
cells (it is a "bridge"); in particular a line with exactly one suppressed cell gives that
cell away by subtraction. Conversely, if a suppressed cell lies on a cycle, adding +1 and
-1 alternately along the cycle gives another table with the same published cells and
totals, and because all suppressed cells are positive counts (zeros are never used as
complements), that other table is non-negative too: the cell's value is not determined.

The algorithm therefore takes the primary cells in table order and, for each one that is
not yet on a cycle, adds the cheapest path of further cells that closes a cycle through it
(Dijkstra on the row/column graph). "Cheapest" means, in this order: as few total cells as
possible (totals are used only when needed), the smallest sum of suppressed counts, the
fewest cells; ties are broken by table position, so the result is deterministic. A
consequence is that every row and column of the final pattern contains either no or at
least two suppressed cells.

With only a total row (or only a total column) each column (row) is one independent
equation; a line with exactly one suppressed cell gets the smallest further positive cell
of that line (inner cells before the total). Without totals only primary suppression is
needed. Hierarchical tables (several nested totals) are not supported: protect each
two-way sub-table or use τ-ARGUS/sdcTable.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from bielefeld_integration.errors import DataError, DataErrors
from bielefeld_integration.present.format import fmt_number
from bielefeld_integration.symbols import (
    NOT_AVAILABLE,
    NOT_MEANINGFUL,
    SECRET,
    SYMBOL_LEGEND,
    UNRELIABLE,
    ZERO,
)

# --------------------------------------------------------------------------- symbols
# the one definition of the table symbols and their legend is bielefeld_integration.symbols

__all__ = [
    "NOT_AVAILABLE",
    "NOT_MEANINGFUL",
    "SECRET",
    "SYMBOL_LEGEND",
    "UNRELIABLE",
    "ZERO",
    "SuppressionResult",
    "mark_small_denominator",
    "suppress_counts",
    "suppress_linked",
    "suppress_table",
]

_LOG_COLUMNS = ["row", "column", "value", "reason"]


def _primary_reason(threshold: int) -> str:
    return f"primär: Fallzahl < {threshold}"


def _secondary_reason(row: Hashable, column: Hashable) -> str:
    return f"sekundär: Schutz von Zelle ({row}, {column})"


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class SuppressionResult:
    """A protected table, ready to publish.

    Attributes
    ----------
    values : pandas.DataFrame
        Published counts as floats (rounded if requested), NaN where suppressed.
    symbols : pandas.DataFrame
        ``"."`` where suppressed, ``"-"`` where the count is exactly zero, ``""`` else.
    display : pandas.DataFrame
        Strings to print: German-formatted numbers (``"1.234"``) or the symbol.
    log : pandas.DataFrame
        One row per suppressed cell: ``row``, ``column``, ``value`` (the true count, keep
        it internal) and ``reason`` (``"primär: Fallzahl < 3"`` or
        ``"sekundär: Schutz von Zelle (r, c)"``).
    """

    values: pd.DataFrame
    symbols: pd.DataFrame
    display: pd.DataFrame
    log: pd.DataFrame

    @property
    def suppressed(self) -> pd.DataFrame:
        """Boolean frame, True where a cell is suppressed."""
        return self.symbols == SECRET


# --------------------------------------------------------------------------- validation


def _check_threshold(threshold: int) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer)):
        raise ValueError(f"Schwellenwert muss eine ganze Zahl sein, nicht {threshold!r}")
    if threshold < 1:
        raise ValueError(f"Schwellenwert muss mindestens 1 sein, nicht {threshold}")


def _cell_problems(
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


def _to_float_frame(frame: pd.DataFrame) -> np.ndarray:
    try:
        return frame.astype("float64").to_numpy(copy=True)
    except (TypeError, ValueError) as exc:
        raise DataError(f"Tabelle enthält nicht-numerische Werte: {exc}") from None


def _position(labels: pd.Index, label: Hashable, what: str) -> int:
    matches = np.flatnonzero(labels == label)
    if len(matches) == 0:
        raise DataError(f"{what} {label!r} fehlt in der Tabelle")
    if len(matches) > 1:
        raise DataError(f"{what} {label!r} kommt mehrfach vor")
    return int(matches[0])


def _validate_table(
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
    tr = None if row_total is None else _position(table.index, row_total, "Summenzeile")
    tc = None if col_total is None else _position(table.columns, col_total, "Summenspalte")
    values = _to_float_frame(table)
    problems = _cell_problems(values, table.index, table.columns)
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


# --------------------------------------------------------------------------- secondary


_Node = tuple[int, int]  # (0, row position) or (1, column position)
_Cost = tuple[int, int, int]  # (total cells, sum of counts, number of cells)


def _on_cycle(secret: np.ndarray, i: int, j: int) -> bool:
    """Is the suppressed cell (i, j) on a cycle of suppressed cells (row/column graph)?"""
    start, goal = (0, i), (1, j)
    seen = {start}
    queue: deque[_Node] = deque([start])
    while queue:
        kind, k = queue.popleft()
        if kind == 0:
            neighbours = [(1, b) for b in np.flatnonzero(secret[k]) if (k, b) != (i, j)]
        else:
            neighbours = [(0, a) for a in np.flatnonzero(secret[:, k]) if (a, k) != (i, j)]
        for node in neighbours:
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                queue.append(node)
    return False


def _cheapest_cycle_path(
    counts: np.ndarray, secret: np.ndarray, i: int, j: int, tr: int, tc: int
) -> list[tuple[int, int]]:
    """Cheapest set of cells that, with (i, j), closes a cycle (Dijkstra, row i -> column j)."""
    n_rows, n_cols = counts.shape
    start, goal = (0, i), (1, j)
    best: dict[_Node, _Cost] = {start: (0, 0, 0)}
    previous: dict[_Node, tuple[_Node, tuple[int, int]]] = {}
    heap: list[tuple[_Cost, _Node]] = [((0, 0, 0), start)]
    done: set[_Node] = set()
    while heap:
        cost, node = heapq.heappop(heap)
        if node in done:
            continue
        done.add(node)
        if node == goal:
            break
        kind, k = node
        if kind == 0:
            edges = [((k, b), (1, b)) for b in range(n_cols)]
        else:
            edges = [((a, k), (0, a)) for a in range(n_rows)]
        for cell, nxt in edges:
            if cell == (i, j) or nxt in done:
                continue
            a, b = cell
            if secret[a, b]:
                step: _Cost = (0, 0, 0)
            elif counts[a, b] > 0:
                step = (int(a == tr or b == tc), int(counts[a, b]), 1)
            else:
                continue  # zeros are published as "-" and never protect anything
            new = (cost[0] + step[0], cost[1] + step[1], cost[2] + step[2])
            if nxt not in best or new < best[nxt]:
                best[nxt] = new
                previous[nxt] = (node, cell)
                heapq.heappush(heap, (new, nxt))
    if goal not in done:  # cannot happen for consistent non-negative tables with totals
        raise RuntimeError(f"keine Komplementärzellen für Zelle ({i}, {j}) gefunden")
    path: list[tuple[int, int]] = []
    node = goal
    while node != start:
        node, cell = previous[node]
        path.append(cell)
    return path[::-1]


def _protect_two_way(
    counts: np.ndarray,
    secret: np.ndarray,
    tr: int,
    tc: int,
    record: Callable[[tuple[int, int], tuple[int, int]], None],
) -> None:
    for i, j in sorted(zip(*np.nonzero(secret), strict=True)):
        if _on_cycle(secret, int(i), int(j)):
            continue
        for a, b in _cheapest_cycle_path(counts, secret, int(i), int(j), tr, tc):
            if not secret[a, b]:
                secret[a, b] = True
                record((a, b), (int(i), int(j)))


def _protect_lines(
    counts: np.ndarray,
    secret: np.ndarray,
    total: int,
    axis: int,
    record: Callable[[tuple[int, int], tuple[int, int]], None],
) -> None:
    """One margin only: lines along ``axis`` (0 = columns, 1 = rows) are independent."""
    n_lines = counts.shape[1 - axis]
    for line in range(n_lines):
        cells = [(k, line) if axis == 0 else (line, k) for k in range(counts.shape[axis])]
        hidden = [c for c in cells if secret[c]]
        if len(hidden) != 1:
            continue
        candidates = [c for c in cells if not secret[c] and counts[c] > 0]
        if not candidates:  # cannot happen for consistent non-negative tables
            raise RuntimeError(f"keine Komplementärzelle für Zelle {hidden[0]} gefunden")
        pick = min(candidates, key=lambda c: (c[axis] == total, counts[c], c))
        secret[pick] = True
        record(pick, hidden[0])


# --------------------------------------------------------------------------- public API


def _round_half_up(values: np.ndarray, base: int) -> np.ndarray:
    return np.floor(values / base + 0.5) * base


def suppress_table(
    table: pd.DataFrame,
    threshold: int = 3,
    *,
    row_total: Hashable | None = None,
    col_total: Hashable | None = None,
    round_to: int | None = None,
) -> SuppressionResult:
    """Protect a two-way table of counts by primary and secondary cell suppression.

    Parameters
    ----------
    table : pandas.DataFrame
        Counts; index = rows, columns = categories. Optionally contains a total row and/or a
        total column (labelled ``row_total`` / ``col_total``), which must add up exactly.
    threshold : int, default 3
        Counts with ``0 < n < threshold`` are suppressed (totals included). Zeros are
        published as ``-``.
    row_total : label, optional
        Label of the total row (e.g. ``"Insgesamt"``) in ``table.index``.
    col_total : label, optional
        Label of the total column in ``table.columns``.
    round_to : int, optional
        Round published counts to multiples of this number (5 or 10), half up. A positive
        count that rounds to 0 is shown as ``0`` ("less than half the unit"), true zeros as
        ``-``. Rounded totals may differ from the sum of the rounded cells.

    Returns
    -------
    SuppressionResult
        ``values``, ``symbols``, ``display`` and ``log`` (see :class:`SuppressionResult`).

    Raises
    ------
    DataError
        If a count is missing, negative or fractional, a total label is missing, or the
        totals do not add up.

    Notes
    -----
    The pattern guarantees that every suppressed cell lies on a cycle of suppressed cells
    (see the module docstring), hence no suppressed cell can be recomputed, not even by
    combining several rows and columns, and every row and column has 0 or at least 2
    suppressed cells.

    Examples
    --------
    >>> t = pd.DataFrame(
    ...     {"A": [1, 4, 5], "B": [5, 6, 11], "C": [7, 0, 7], "Summe": [13, 10, 23]},
    ...     index=["r1", "r2", "Summe"],
    ... )
    >>> res = suppress_table(t, row_total="Summe", col_total="Summe")
    >>> res.display.to_dict("list")["A"], res.display.to_dict("list")["C"]
    (['.', '.', '5'], ['7', '-', '7'])
    >>> res.log["reason"].tolist()[0]
    'primär: Fallzahl < 3'
    """
    _check_threshold(threshold)
    if round_to is not None and (
        isinstance(round_to, bool) or not isinstance(round_to, (int, np.integer)) or round_to < 1
    ):
        raise ValueError(f"round_to muss eine positive ganze Zahl sein, nicht {round_to!r}")
    counts, tr, tc = _validate_table(table, row_total, col_total)
    rows, columns = table.index, table.columns

    secret = (counts > 0) & (counts < threshold)
    log: list[dict[str, Any]] = [
        {
            "row": rows[i],
            "column": columns[j],
            "value": int(counts[i, j]),
            "reason": _primary_reason(threshold),
        }
        for i, j in zip(*np.nonzero(secret), strict=True)
    ]

    def record(cell: tuple[int, int], protects: tuple[int, int]) -> None:
        a, b = cell
        log.append(
            {
                "row": rows[a],
                "column": columns[b],
                "value": int(counts[a, b]),
                "reason": _secondary_reason(rows[protects[0]], columns[protects[1]]),
            }
        )

    if tr is not None and tc is not None:
        _protect_two_way(counts, secret, tr, tc, record)
    elif tr is not None:
        _protect_lines(counts, secret, tr, 0, record)
    elif tc is not None:
        _protect_lines(counts, secret, tc, 1, record)

    published = counts.astype("float64")
    if round_to is not None:
        published = _round_half_up(published, int(round_to))
    published[secret] = np.nan

    symbols = np.full(counts.shape, "", dtype=object)
    symbols[counts == 0] = ZERO
    symbols[secret] = SECRET
    display = np.empty(counts.shape, dtype=object)
    for (i, j), symbol in np.ndenumerate(symbols):
        display[i, j] = symbol or fmt_number(published[i, j])

    def frame(data: np.ndarray, dtype: Any = None) -> pd.DataFrame:
        return pd.DataFrame(data, index=rows.copy(), columns=columns.copy(), dtype=dtype)

    return SuppressionResult(
        values=frame(published, "float64"),
        symbols=frame(symbols, object),
        display=frame(display, object),
        log=pd.DataFrame(log, columns=_LOG_COLUMNS),
    )


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
    _check_threshold(threshold)
    if count_col not in df.columns:
        raise DataError(f"Spalte {count_col!r} fehlt", column=count_col)
    try:
        values = pd.to_numeric(df[count_col], errors="raise").astype("float64").to_numpy()
    except (TypeError, ValueError) as exc:
        raise DataError(f"nicht-numerische Fallzahl: {exc}", column=count_col) from None
    problems = _cell_problems(
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
                "reason": _primary_reason(threshold),
            }
            for k in np.flatnonzero(secret)
        ],
        columns=_LOG_COLUMNS,
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


# --------------------------------------------------------------------------- linked counts


def _null_space_zero(matrix: np.ndarray) -> np.ndarray:
    """Columns j whose unknown is fixed by ``matrix @ x = b`` (e_j in the row space)."""
    n_cols = matrix.shape[1]
    if matrix.shape[0] == 0:
        return np.zeros(n_cols, dtype=bool)
    gram = matrix.T @ matrix  # same null space, smaller and symmetric
    eigenvalues, vectors = np.linalg.eigh(gram)
    tol = max(matrix.shape) * np.finfo(float).eps * max(float(eigenvalues[-1]), 1.0) * 1e3
    null = vectors[:, eigenvalues <= tol]  # columns span the null space
    if null.shape[1] == 0:
        return np.ones(n_cols, dtype=bool)
    return np.sqrt((null**2).sum(axis=1)) < 1e-6


def _determined(
    secret: np.ndarray,
    eq: np.ndarray,
    var: np.ndarray,
    coef: np.ndarray,
    n_eq: int,
    cache: dict[bytes, np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """Suppressed variables an attacker can compute exactly, and a component label per variable.

    Only equations with a suppressed variable matter; published variables are constants.
    The suppressed variables fall into independent components (connected through shared
    equations); in each, a variable is determined iff every solution of the homogeneous
    system has a zero in its position.
    """
    n_var = len(secret)
    det = np.zeros(n_var, dtype=bool)
    hidden = secret[var]
    e, v, c = eq[hidden], var[hidden], coef[hidden]
    if not len(e):
        return det, np.arange(n_var)
    label = np.arange(n_var)
    while True:
        eq_min = np.full(n_eq, n_var)
        np.minimum.at(eq_min, e, label[v])
        new = label.copy()
        np.minimum.at(new, v, eq_min[e])
        if np.array_equal(new, label):
            break
        label = new
    comp_of_entry = label[v]
    order = np.argsort(comp_of_entry, kind="stable")
    bounds = np.flatnonzero(np.diff(comp_of_entry[order])) + 1
    for chunk in np.split(order, bounds):
        cv, ce, cc = v[chunk], e[chunk], c[chunk]
        cols, col_pos = np.unique(cv, return_inverse=True)
        rows, row_pos = np.unique(ce, return_inverse=True)
        key = cols.tobytes() + b"|" + rows.tobytes()
        if key not in cache:  # unchanged components are not solved again
            matrix = np.zeros((len(rows), len(cols)))
            np.add.at(matrix, (row_pos, col_pos), cc)
            cache[key] = _null_space_zero(matrix)
        det[cols[cache[key]]] = True
    return det, label


def suppress_linked(
    values: Any,
    eq: Any,
    var: Any,
    coef: Any,
    *,
    total: Any = None,
    threshold: int = 3,
) -> tuple[np.ndarray, np.ndarray]:
    """Primary and secondary suppression of counts linked by additivity equations.

    The generalisation of :func:`suppress_table` to any set of linear relations between
    published counts (hierarchical, multi-dimensional and linked tables): each equation
    ``sum(coef * x) == 0`` says e.g. ``total - part_1 - ... - part_k == 0``.

    Parameters
    ----------
    values : array-like of float, shape (n_var,)
        The true non-negative counts of the variables.
    eq, var, coef : array-like, shape (n_entries,)
        The equations in sparse form: entry ``k`` puts coefficient ``coef[k]`` on variable
        ``var[k]`` in equation ``eq[k]`` (0-based ids).
    total : array-like of bool, shape (n_entries,), optional
        True where the variable is the total of the equation; totals are used as
        complements only after inner cells.
    threshold : int, default 3
        Counts ``0 < n < threshold`` are primarily suppressed.

    Returns
    -------
    primary, secondary : numpy.ndarray of bool, shape (n_var,)

    Notes
    -----
    1. While some equation contains exactly one suppressed variable (which would be given
       away by subtraction), add its cheapest published positive variable: inner cells
       before totals, then the smallest count, then the smallest variable id (so the
       result is deterministic). Zeros are never complements.
    2. Then check exactly which suppressed variables are still determined by combining
       several equations (linear algebra per connected component of suppressed variables,
       see the module docstring for why step 1 is not enough in two and more dimensions);
       for each determined variable (one per equation and round), add the cheapest published
       variable of one of its equations (of its component if its own equations are hidden
       completely) and continue with step 1.

    At the end no suppressed variable can be computed from the published ones, by any
    linear combination of the equations, unless no complement is left at all (then the
    variable stays as it is; this needs a pathological table).

    Examples
    --------
    >>> # total 9 = 2 + 3 + 4: the 2 alone would be given away by 9 - 3 - 4
    >>> p, s = suppress_linked([9, 2, 3, 4], [0, 0, 0, 0], [0, 1, 2, 3], [1, -1, -1, -1])
    >>> p.tolist(), s.tolist()
    ([False, True, False, False], [False, False, True, False])
    """
    _check_threshold(threshold)
    x = np.asarray(values, dtype="float64")
    e = np.asarray(eq, dtype=np.int64)
    v = np.asarray(var, dtype=np.int64)
    c = np.asarray(coef, dtype="float64")
    t = np.zeros(len(e), dtype=bool) if total is None else np.asarray(total, dtype=bool)
    n_eq = int(e.max()) + 1 if len(e) else 0
    positive = x > 0
    primary = positive & (x < threshold)
    secret = primary.copy()
    if not n_eq:
        return primary, np.zeros(len(x), dtype=bool)

    def cheapest(entries: np.ndarray) -> np.ndarray:
        """Per equation among ``entries``: the entry of its cheapest candidate."""
        order = np.lexsort((v[entries], x[v[entries]], t[entries], e[entries]))
        ordered = entries[order]
        first = np.r_[True, e[ordered][1:] != e[ordered][:-1]]
        return ordered[first]

    cache: dict[bytes, np.ndarray] = {}
    while True:
        while True:  # step 1: no equation with exactly one suppressed variable
            count = np.bincount(e, weights=secret[v], minlength=n_eq)
            single = count == 1
            candidates = np.flatnonzero(single[e] & ~secret[v] & positive[v])
            if not len(candidates):
                break
            secret[v[cheapest(candidates)]] = True
        determined, label = _determined(secret, e, v, c, n_eq, cache)
        if not determined.any():
            break
        added = False
        touched = np.zeros(n_eq, dtype=bool)  # equations that got a complement this round
        for target in np.flatnonzero(determined):
            mine = np.unique(e[v == target])
            if touched[mine].any():
                continue  # decide again after the next check
            candidates = np.flatnonzero(np.isin(e, mine) & ~secret[v] & positive[v])
            if not len(candidates):  # its lines are hidden completely: use its component
                wider = np.unique(e[label[v] == label[target]])
                candidates = np.flatnonzero(np.isin(e, wider) & ~secret[v] & positive[v])
            if len(candidates):
                best = candidates[np.lexsort((v[candidates], x[v[candidates]], t[candidates]))[0]]
                secret[v[best]] = True
                touched[e[v == v[best]]] = True
                added = True
        if not added:
            break
    return primary, secret & ~primary

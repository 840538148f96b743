"""Primary and secondary suppression of a two-way table with totals (:func:`suppress_table`).

Secondary suppression in a two-way table with a total row and a total column
-----------------------------------------------------------------------------
With both totals the table is a system of linear equations: every row (including the
total row) and every column (including the total column) adds up to its total. Think of
rows and columns as the nodes of a graph and of each suppressed cell (r, c) as an edge
between row node r and column node c. An attacker who knows all published cells can
determine a suppressed cell exactly if and only if its edge lies on no cycle of suppressed
cells (it is a "bridge"). The algorithm first closes, for each primary cell that is not yet
on a cycle, the cheapest cycle through it (Dijkstra on the row/column graph; "cheapest":
as few total cells as possible, then the smallest sum of counts, then the fewest cells).

A cycle only prevents *exact* recomputation: an attacker with a linear-programming solver
who knows that every hidden cell is at least 1 may still narrow a hidden 1 to ``[1, 2]``.
The pattern is therefore audited (:func:`bielefeld_integration.disclosure.audit.audit`) and
completed with further cells (:func:`bielefeld_integration.disclosure.secondary.protect`)
until every hidden cell's feasible interval is at least ``threshold`` wide.

With only a total row (or only a total column) each column (row) is one independent
equation, handled the same way; without totals only primary suppression is needed.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from bielefeld_integration.disclosure.primary import (
    LOG_COLUMNS,
    check_threshold,
    primary_reason,
    validate_table,
)
from bielefeld_integration.disclosure.secondary import protect
from bielefeld_integration.present.format import fmt_number
from bielefeld_integration.symbols import SECRET, ZERO

__all__ = ["SuppressionResult", "suppress_table"]


def _secondary_reason(row: Hashable, column: Hashable) -> str:
    return f"sekundär: Schutz von Zelle ({row}, {column})"


_AUDIT_REASON = "sekundär: Intervallprüfung"


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


def table_equations(
    shape: tuple[int, int], tr: int | None, tc: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Additivity equations of a two-way table, cells numbered row-major."""
    n_rows, n_cols = shape
    eq: list[int] = []
    var: list[int] = []
    coef: list[float] = []
    k = 0
    if tc is not None:
        for i in range(n_rows):
            for j in range(n_cols):
                eq.append(k)
                var.append(i * n_cols + j)
                coef.append(1.0 if j == tc else -1.0)
            k += 1
    if tr is not None:
        for j in range(n_cols):
            for i in range(n_rows):
                eq.append(k)
                var.append(i * n_cols + j)
                coef.append(1.0 if i == tr else -1.0)
            k += 1
    return np.array(eq, dtype=np.int64), np.array(var, dtype=np.int64), np.array(coef)


def _complete_by_audit(
    counts: np.ndarray,
    secret: np.ndarray,
    tr: int | None,
    tc: int | None,
    threshold: int,
    log: list[dict[str, Any]],
    rows: pd.Index,
    columns: pd.Index,
) -> None:
    """Add cells until every hidden cell's feasible interval is wide enough."""
    eq, var, coef = table_equations(counts.shape, tr, tc)
    x = counts.astype("float64").ravel()
    is_total = np.zeros(counts.shape, dtype=bool)
    if tr is not None:
        is_total[tr] = True
    if tc is not None:
        is_total[:, tc] = True
    cost = np.where(is_total.ravel(), x + x.sum() + 1.0, x)
    before = secret.ravel().copy()
    after, _ = protect(x, eq, var, coef, before, cost=cost, threshold=threshold)
    n_cols = counts.shape[1]
    for k in np.flatnonzero(after & ~before):
        i, j = divmod(int(k), n_cols)
        secret[i, j] = True
        log.append(
            {
                "row": rows[i],
                "column": columns[j],
                "value": int(counts[i, j]),
                "reason": _AUDIT_REASON,
            }
        )


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
    The pattern passes the interval audit (see the module docstring): for every suppressed
    cell, the values an attacker can derive from the published cells and the totals (with
    every hidden cell at least 1) span at least ``threshold``; in particular no suppressed
    cell can be recomputed and no hidden 1 or 2 can be narrowed to ``[1, 2]``. Log reasons
    of cells added by the audit are ``"sekundär: Intervallprüfung"``.

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
    check_threshold(threshold)
    if round_to is not None and (
        isinstance(round_to, bool) or not isinstance(round_to, (int, np.integer)) or round_to < 1
    ):
        raise ValueError(f"round_to muss eine positive ganze Zahl sein, nicht {round_to!r}")
    counts, tr, tc = validate_table(table, row_total, col_total)
    rows, columns = table.index, table.columns

    secret = (counts > 0) & (counts < threshold)
    log: list[dict[str, Any]] = [
        {
            "row": rows[i],
            "column": columns[j],
            "value": int(counts[i, j]),
            "reason": primary_reason(threshold),
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
    if tr is not None or tc is not None:
        _complete_by_audit(counts, secret, tr, tc, threshold, log, rows, columns)

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
        log=pd.DataFrame(log, columns=LOG_COLUMNS),
    )

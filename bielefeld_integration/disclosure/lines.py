"""Additivity lines between the quantities of an indicator table (see :mod:`.quantities`).

- :func:`partition_lines`: within one table, period and area, a quantity restricted to the
  codes ``S`` of a column is the sum of the quantities that differ only in that column and
  are restricted to the largest proper subsets of ``S``, when those are disjoint and cover
  ``S``;
- :func:`area_equations`: the Stadtbezirke add up to the city, the Statistische Bezirke to
  their Stadtbezirk.

Every line is kept only where it holds exactly on the true values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bielefeld_integration.indicators.schema import table_columns

__all__ = ["area_equations", "instantiate", "partition_lines", "stack_equations"]

#: (table, sum column, period offset, box, minus term or None)
Term = tuple


def _codes(table: str, column: str) -> tuple[str, ...] | None:
    return table_columns(table).get(column)


def partition_lines(terms: list[Term]) -> list[tuple[int, list[int]]]:
    """Term-level lines ``total = sum(parts)`` (indices into ``terms``), see module docstring."""
    groups: dict[tuple, dict[tuple[str, ...], int]] = {}
    columns: dict[tuple, set[str]] = {}
    for t in terms:
        if t[4] is None:
            columns.setdefault(t[:3], set()).update(c for c, _ in t[3] if not c.endswith("!"))
    for k, t in enumerate(terms):
        if t[4] is not None:
            continue
        universe, box = t[:3], dict(t[3])
        if any(len(v) == 0 for v in box.values()):
            continue
        for col in columns.get(universe, ()):
            if col in box:
                codes = box[col]
            else:
                full = _codes(t[0], col)
                if full is None:
                    continue
                codes = tuple(sorted(full))
            reduced = tuple((c, v) for c, v in t[3] if c != col)
            groups.setdefault((universe, reduced, col), {})[codes] = k
    lines = []
    for members in groups.values():
        if len(members) < 2:
            continue
        sets = {codes: frozenset(codes) for codes in members}
        for total, whole in sets.items():
            inner = [c for c, s in sets.items() if s < whole]
            maximal = [c for c in inner if not any(sets[c] < sets[o] for o in inner)]
            if len(maximal) < 2:
                continue
            union: set[str] = set()
            disjoint = True
            for c in maximal:
                if union & sets[c]:
                    disjoint = False
                    break
                union |= sets[c]
            if disjoint and union == whole:
                lines.append((members[total], [members[c] for c in sorted(maximal)]))
    return lines


def instantiate(entries: pd.DataFrame, vars_: pd.DataFrame, on: list[str], size: pd.Series):
    """Equations from line entries (``line``, key columns, ``coef``) that hold in the data."""
    hit = entries.merge(vars_, on=on, how="inner")
    keys = ["line", "speriod", "level", "code"]
    grouped = hit.groupby(keys, sort=True)
    found = grouped["var"].transform("size")
    need = hit["line"].map(size)
    hit = hit[found.to_numpy() == need.to_numpy()]
    if hit.empty:
        return hit
    resid = (hit["coef"] * hit["value"]).groupby([hit[k] for k in keys]).transform("sum")
    scale = hit["value"].abs().groupby([hit[k] for k in keys]).transform("max")
    return hit[(resid.abs() <= 1e-6 * np.maximum(1.0, scale)).to_numpy()]


def area_equations(
    values: np.ndarray, parent: np.ndarray, child: np.ndarray, line: np.ndarray
) -> pd.DataFrame:
    """``parent - sum(children) == 0`` per parent, where it holds in the data."""
    n_line = int(line.max()) + 1
    first = np.zeros(n_line, dtype=np.int64)
    first[line] = parent
    sums = np.bincount(line, weights=values[child], minlength=n_line)
    holds = np.abs(sums - values[first]) <= 1e-6 * np.maximum(1.0, np.abs(values[first]))
    keep = holds[line]
    ids = np.flatnonzero(holds)
    renumber = np.full(n_line, -1, dtype=np.int64)
    renumber[ids] = np.arange(len(ids))
    return pd.DataFrame(
        {
            "eq": np.r_[renumber[ids], renumber[line[keep]]],
            "var": np.r_[first[ids], child[keep]],
            "coef": np.r_[np.ones(len(ids)), -np.ones(int(keep.sum()))],
        }
    )


def stack_equations(entries: list[pd.DataFrame]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One numbering for all equations; duplicate equations are dropped."""
    offset = 0
    parts = []
    for e in entries:
        if e.empty:
            continue
        e = e.copy()
        e["eq"] = e["eq"].to_numpy() + offset
        offset = int(e["eq"].max()) + 1
        parts.append(e)
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), np.zeros(0)
    allx = pd.concat(parts, ignore_index=True)
    allx = allx.groupby(["eq", "var"], sort=True)["coef"].sum().reset_index()
    allx = allx[allx["coef"] != 0]
    # drop duplicate equations (the same line found twice)
    eqs = allx["eq"].to_numpy()
    bounds = np.flatnonzero(np.diff(eqs)) + 1
    pairs = list(zip(allx["var"].tolist(), allx["coef"].tolist(), strict=True))
    seen: set[tuple] = set()
    keep = np.zeros(len(allx), dtype=bool)
    for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, len(allx)], strict=True):
        sig = tuple(pairs[lo:hi])
        if sig not in seen:
            seen.add(sig)
            keep[lo:hi] = True
    allx = allx[keep]
    eq = pd.factorize(allx["eq"], sort=True)[0].astype(np.int64)
    return eq, allx["var"].to_numpy(dtype=np.int64), allx["coef"].to_numpy(dtype="float64")

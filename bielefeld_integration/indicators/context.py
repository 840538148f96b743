"""Data access of the indicator engine: tables stacked over periods, cached block sums.

:class:`Context` loads each processed table once per :func:`~.compute.compute` call (adding
the derived filter columns of :data:`~.schema.DERIVED_COLUMNS`), stacks a table over the
source periods of a side (the previous period for ``period: previous``) and sums the
weights of a side per group, period, area and breakdown value with ``numpy.bincount``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bielefeld_integration import store
from bielefeld_integration.errors import DataError
from bielefeld_integration.indicators.schema import DERIVED_COLUMNS, Filter, Side
from bielefeld_integration.periods import Period
from bielefeld_integration.tables import EVENT_TABLES

#: A loader: ``load(table, period) -> DataFrame`` (``None`` or DataError if not delivered).
Loader = Callable[[str, str], "pd.DataFrame | None"]


def source_period(period: str, offset: int) -> str:
    """The period a side reads: the period itself (``offset`` 0) or earlier ones (-1, ...)."""
    if offset > 0:
        raise ValueError(f"a side can only read earlier periods, not offset {offset}")
    p = Period.parse(period)
    for _ in range(-offset):
        p = p.previous
    return str(p)


def store_loader(data: str | Path | None) -> Loader:
    def load(table: str, period: str) -> pd.DataFrame | None:
        if not store.has_table(table, period, data):
            return None
        return store.load(table, period, data)

    return load


def positions(space: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Position of each label in ``space`` (all labels must occur in it)."""
    where = {label: i for i, label in enumerate(space.tolist())}
    return np.array([where[label] for label in labels.tolist()], dtype=np.int64)


class Stack:
    """One table stacked over a tuple of source periods, with factorised columns.

    Row ``i`` belongs to source period number ``period_index[i]`` (position in
    ``sources``); sources that were not delivered have no rows and are not ``available``.
    """

    def __init__(self, frames: list[pd.DataFrame | None], sources: tuple[str, ...]) -> None:
        self.sources = sources
        self.available = {s for s, f in zip(sources, frames, strict=True) if f is not None}
        parts = [f for f in frames if f is not None]
        self.df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        lengths = [0 if f is None else len(f) for f in frames]
        self.period_index = np.repeat(np.arange(len(sources)), lengths)
        self._columns: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._values: dict[str, np.ndarray] = {}
        self._masks: dict[Filter, np.ndarray] = {}

    def column(self, col: str) -> tuple[np.ndarray, np.ndarray]:
        """Integer codes per row and the sorted labels of a column."""
        if col not in self._columns:
            if self.df.empty:
                self._columns[col] = (np.zeros(0, dtype=np.int64), np.array([], dtype=object))
            else:
                codes, labels = pd.factorize(self.df[col].astype(str), sort=True)
                self._columns[col] = (codes.astype(np.int64), np.asarray(labels, dtype=object))
        return self._columns[col]

    def values(self, col: str) -> np.ndarray:
        if col not in self._values:
            self._values[col] = (
                self.df[col].to_numpy(dtype="float64") if not self.df.empty else np.zeros(0)
            )
        return self._values[col]

    def mask(self, flt: Filter) -> np.ndarray:
        if flt not in self._masks:
            mask = np.ones(len(self.df), dtype=bool)
            for col, values, negate in flt:
                codes, labels = self.column(col)
                hit = np.isin(labels, values)[codes] if len(labels) else mask[:0]
                mask &= ~hit if negate else hit
            self._masks[flt] = mask
        return self._masks[flt]

    def weights(self, side: Side) -> np.ndarray:
        w = self.values(side.sum) * self.mask(side.where)
        if side.minus is not None:
            w = w - self.values(side.minus.sum) * self.mask(side.minus.where)
        return w


class Context:
    """Caches loaded tables, stacks and block sums during one :func:`compute` call."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader
        self._frames: dict[tuple[str, str], pd.DataFrame | None] = {}
        self._stacks: dict[tuple[str, tuple[str, ...]], Stack] = {}
        self._sums: dict[Any, tuple[np.ndarray, np.ndarray]] = {}

    def frame(self, table: str, period: str) -> pd.DataFrame | None:
        key = (table, period)
        if key not in self._frames:
            try:
                df = self.loader(table, period)
            except (DataError, FileNotFoundError, KeyError):
                df = None
            if df is not None:
                df = df.copy()
                for name, per_table in DERIVED_COLUMNS.items():
                    if table in per_table and name not in df.columns:
                        df[name] = per_table[table].function(df)
            self._frames[key] = df
        return self._frames[key]

    def stack(self, side: Side, periods: tuple[str, ...]) -> Stack:
        sources = tuple(source_period(p, side.period_offset) for p in periods)
        key = (side.table, sources)
        if key not in self._stacks:
            frames = [self.frame(side.table, s) for s in sources]
            self._stacks[key] = Stack(frames, sources)
        return self._stacks[key]

    def missing(self, side: Side, periods: tuple[str, ...]) -> dict[str, str]:
        """Periods whose data for this side was not delivered -> flag.

        ``no_previous_period`` for a side that reads an earlier period, ``no_event`` for a
        table of :data:`~bielefeld_integration.tables.EVENT_TABLES` (no election that
        year), else ``missing_table``.
        """
        st = self.stack(side, periods)
        if side.period_offset:
            reason = "no_previous_period"
        elif side.table in EVENT_TABLES:
            reason = "no_event"
        else:
            reason = "missing_table"
        return {
            p: reason for p, s in zip(periods, st.sources, strict=True) if s not in st.available
        }

    def reference_date(self, side: Side, period: str) -> str:
        df = self.frame(side.table, source_period(period, side.period_offset))
        if df is None or "reference_date" not in df.columns or not len(df):
            return ""
        return str(df["reference_date"].astype(str).max())

    def labels(self, sides: list[Side], periods: tuple[str, ...], col: str) -> np.ndarray:
        """Sorted union of a column's labels over the tables of several sides."""
        found: set[str] = set()
        for side in sides:
            found.update(self.stack(side, periods).column(col)[1].tolist())
        return np.array(sorted(found), dtype=object)

    def sums(
        self,
        side: Side,
        members: tuple[tuple[str, Filter], ...],
        periods: tuple[str, ...],
        level: str,
        areas: np.ndarray,
        dim: str | None,
        dvals: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Weighted sums ``[group, period, area, dim value]`` and cell presence.

        A cell is present if the table has at least one row for it (whatever the filters);
        absent cells are 0 in the sums.
        """
        key = (side, members, periods, level, tuple(areas), dim, tuple(dvals))
        if key in self._sums:
            return self._sums[key]
        st = self.stack(side, periods)
        n_p, n_a, n_d = len(periods), len(areas), len(dvals)
        flat = st.period_index * (n_a * n_d)
        if level != "stadt":
            codes, labels = st.column(level)
            flat = flat + positions(areas, labels)[codes] * n_d
        if dim is not None:
            codes, labels = st.column(dim)
            flat = flat + positions(dvals, labels)[codes]
        size = n_p * n_a * n_d
        present = np.bincount(flat, minlength=size) > 0
        w = st.weights(side)
        out = np.empty((len(members), size))
        for g, (_label, flt) in enumerate(members):
            wg = w * st.mask(flt) if flt else w
            out[g] = np.bincount(flat, weights=wg, minlength=size)
        result = out.reshape(len(members), n_p, n_a, n_d), present.reshape(n_p, n_a, n_d)
        self._sums[key] = result
        return result

"""Evaluate the indicator catalogue for periods x areas x groups x breakdowns.

:func:`compute` reads the processed tables (through :func:`bielefeld_integration.store.load`
or an injected ``load(table, period)`` callable), evaluates every catalogue entry with the
model its ``kind`` names and returns one tidy table:

=================  =====  ==================================================================
column             type   meaning
=================  =====  ==================================================================
period             str    reporting year, ``"2017"``
indicator          str    catalogue id, ``"DEM-02"``
kind               str    evaluation model (share, rate, count, gap_pp, ...)
area_level         str    ``stadt``, ``stadtbezirk`` or ``stat_bezirk``
area_code          str    ``"05711000"``, ``"01"`` … ``"10"``, ``"0101"`` …
group              str    comparison group (``insgesamt``, ``auslaendisch``, ``mit`` …);
                          ``a-b`` for gaps and ratios between groups a and b
breakdown          str    ``insgesamt`` or the breakdown dimension (``sex``, ``age_group`` …)
breakdown_value    str    ``insgesamt`` or the code (``w``, ``18-24`` …)
value              float  the indicator value (kept even when the symbol is ``/``)
numerator          float  case number of the numerator (count, share, rate; group total X for
                          dissimilarity; area count for location quotients), else NaN
denominator        float  case number of the denominator (likewise), else NaN
unit               str    unit from the catalogue
symbol             str    ``""``; ``-`` exactly zero; ``/`` denominator below
                          ``min_denominator``; ``x`` no value (e.g. denominator 0);
                          ``...`` data not available (table not delivered, no previous period)
flags              str    comma-separated, sorted: ``break``, ``missing_table``,
                          ``no_previous_period``, ``provisional``, ``small_denominator``
reference_date     str    latest reference date of the numerator's data (ISO), ``""`` if none
=================  =====  ==================================================================

Non-spatial breakdowns are crossed with the city and the Stadtbezirke, not with the
Statistische Bezirke (small numbers). Everything is vectorised with ``groupby``; Python
loops run only over catalogue entries, groups and breakdown dimensions.

:func:`publishable` applies disclosure control, :func:`export` writes CSV, XLSX or parquet,
:func:`write_indicators` stores ``data/processed/indicators.parquet`` atomically.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bielefeld_integration import disclosure, store
from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import AREA_LEVELS, CITY_CODE
from bielefeld_integration.indicators import formulas
from bielefeld_integration.indicators.catalogue import (
    DERIVED_COLUMNS,
    Catalogue,
    Filter,
    Indicator,
    Side,
    load_catalogue,
)
from bielefeld_integration.periods import Period

#: A loader: ``load(table, period) -> DataFrame`` (``None`` or DataError if not delivered).
Loader = Callable[[str, str], "pd.DataFrame | None"]

TOTAL = "insgesamt"
KEYS = ["period", "group", "area_level", "area_code", "breakdown", "breakdown_value"]
#: Columns of the indicator table, in order.
COLUMNS = [
    "period",
    "indicator",
    "kind",
    "area_level",
    "area_code",
    "group",
    "breakdown",
    "breakdown_value",
    "value",
    "numerator",
    "denominator",
    "unit",
    "symbol",
    "flags",
    "reference_date",
]
_FLOAT_COLUMNS = ("value", "numerator", "denominator")
INDICATORS_FILE = "indicators.parquet"
#: Flags in the ``flags`` column (alphabetical, the order they are written in).
FLAGS = ("break", "missing_table", "no_previous_period", "provisional", "small_denominator")
_ZERO_KINDS = ("count", "share", "rate")
#: Kinds whose value gives away a suppressed numerator or denominator.
_REVEALING_KINDS = ("count", "share", "rate", "location_quotient")


# --------------------------------------------------------------------------- data access


def _shift(period: str, offset: int) -> str:
    return str(Period(Period.parse(period).year + offset))


def _store_loader(data: str | Path | None) -> Loader:
    def load(table: str, period: str) -> pd.DataFrame | None:
        if not store.has_table(table, period, data):
            return None
        return store.load(table, period, data)

    return load


def _positions(space: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Position of each label in ``space`` (all labels must occur in it)."""
    where = {label: i for i, label in enumerate(space.tolist())}
    return np.array([where[label] for label in labels.tolist()], dtype=np.int64)


class _Stack:
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


class _Context:
    """Caches loaded tables, stacks and block sums during one :func:`compute` call."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader
        self._frames: dict[tuple[str, str], pd.DataFrame | None] = {}
        self._stacks: dict[tuple[str, tuple[str, ...]], _Stack] = {}
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

    def stack(self, side: Side, periods: tuple[str, ...]) -> _Stack:
        sources = tuple(_shift(p, side.period_offset) for p in periods)
        key = (side.table, sources)
        if key not in self._stacks:
            frames = [self.frame(side.table, s) for s in sources]
            self._stacks[key] = _Stack(frames, sources)
        return self._stacks[key]

    def missing(self, side: Side, periods: tuple[str, ...]) -> dict[str, str]:
        """Periods whose data for this side was not delivered -> flag."""
        st = self.stack(side, periods)
        reason = "no_previous_period" if side.period_offset else "missing_table"
        return {
            p: reason for p, s in zip(periods, st.sources, strict=True) if s not in st.available
        }

    def reference_date(self, side: Side, period: str) -> str:
        df = self.frame(side.table, _shift(period, side.period_offset))
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
            flat = flat + _positions(areas, labels)[codes] * n_d
        if dim is not None:
            codes, labels = st.column(dim)
            flat = flat + _positions(dvals, labels)[codes]
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


# --------------------------------------------------------------------------- kinds


class _Block:
    """Results of one area level x breakdown dimension as dense arrays [g, p, a, d]."""

    def __init__(
        self,
        groups: list[str],
        level: str,
        areas: np.ndarray,
        dim: str | None,
        dvals: np.ndarray,
        value: np.ndarray,
        numerator: np.ndarray,
        denominator: np.ndarray,
        small: np.ndarray,
        present: np.ndarray,
    ) -> None:
        shape = (len(groups), value.shape[1], len(areas), len(dvals))
        self.groups = np.array(groups, dtype=object)
        self.level, self.areas, self.dim, self.dvals = level, areas, dim, dvals
        self.value = np.broadcast_to(value, shape)
        self.numerator = np.broadcast_to(numerator, shape)
        self.denominator = np.broadcast_to(denominator, shape)
        self.small = np.broadcast_to(small, shape)
        self.present = np.broadcast_to(present, shape)


def _merge_missing(*maps: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in maps:
        for p, reason in m.items():
            if out.get(p) != "missing_table":
                out[p] = reason
    return out


_UNGROUPED: tuple[tuple[str, Filter], ...] = ((TOTAL, ()),)
_NAN = np.array(np.nan)


def _small(denominator: np.ndarray, minimum: float | None) -> np.ndarray:
    marks = disclosure.mark_small_denominator(denominator, denominator, minimum)
    return np.asarray(marks) == disclosure.UNRELIABLE


def _blocks_of(ind: Indicator) -> list[tuple[str, str | None]]:
    """(area level, breakdown dimension) pairs; no dimensions at the finest level."""
    out = []
    for level in ind.levels:
        dims = (None, *ind.dims) if level != "stat_bezirk" else (None,)
        out.extend((level, dim) for dim in dims)
    return out


def _spaces(
    ctx: _Context, ind: Indicator, periods: tuple[str, ...], level: str, dim: str | None
) -> tuple[np.ndarray, np.ndarray]:
    sides = ind.sides()
    areas = (
        np.array([CITY_CODE], dtype=object)
        if level == "stadt"
        else ctx.labels(sides, periods, level)
    )
    dvals = np.array([TOTAL], dtype=object) if dim is None else ctx.labels(sides, periods, dim)
    return areas, dvals


def _quotient_blocks(
    ctx: _Context,
    ind: Indicator,
    num: Side,
    den: Side,
    periods: tuple[str, ...],
    *,
    grouped: bool = True,
) -> tuple[list[_Block], dict[str, str]]:
    members = ind.groups.members if grouped else _UNGROUPED
    den_members = _UNGROUPED if grouped and ind.groups.apply == "numerator" else members
    fn = formulas.share if ind.kind == "share" else formulas.rate
    blocks = []
    for level, dim in _blocks_of(ind):
        areas, dvals = _spaces(ctx, ind, periods, level, dim)
        n, n_present = ctx.sums(num, members, periods, level, areas, dim, dvals)
        d, d_present = ctx.sums(den, den_members, periods, level, areas, dim, dvals)
        d = np.broadcast_to(d, n.shape)
        blocks.append(
            _Block(
                [label for label, _ in members],
                level,
                areas,
                dim,
                dvals,
                fn(n, d, ind.multiplier),
                n,
                d,
                _small(d, ind.min_denominator),
                n_present | d_present,
            )
        )
    missing = _merge_missing(ctx.missing(num, periods), ctx.missing(den, periods))
    return blocks, missing


def _count(
    ctx: _Context, ind: Indicator, periods: tuple[str, ...]
) -> tuple[list[_Block], dict[str, str]]:
    assert ind.numerator is not None
    blocks = []
    for level, dim in _blocks_of(ind):
        areas, dvals = _spaces(ctx, ind, periods, level, dim)
        n, present = ctx.sums(ind.numerator, ind.groups.members, periods, level, areas, dim, dvals)
        labels = list(ind.groups.labels)
        blocks.append(_Block(labels, level, areas, dim, dvals, n, n, _NAN, np.False_, present))
    return blocks, ctx.missing(ind.numerator, periods)


def _share(
    ctx: _Context, ind: Indicator, periods: tuple[str, ...]
) -> tuple[list[_Block], dict[str, str]]:
    assert ind.numerator is not None and ind.denominator is not None
    return _quotient_blocks(ctx, ind, ind.numerator, ind.denominator, periods)


def _between_groups(
    ctx: _Context, ind: Indicator, periods: tuple[str, ...]
) -> tuple[list[_Block], dict[str, str]]:
    """gap_pp and ratio: group a against group b of the same quotient."""
    assert ind.numerator is not None and ind.denominator is not None and ind.compare
    base, missing = _quotient_blocks(ctx, ind, ind.numerator, ind.denominator, periods)
    labels = list(ind.groups.labels)
    a, b = labels.index(ind.compare[0]), labels.index(ind.compare[1])
    fn = formulas.gap_pp if ind.kind == "gap_pp" else formulas.ratio
    out = []
    for blk in base:
        out.append(
            _Block(
                [f"{ind.compare[0]}-{ind.compare[1]}"],
                blk.level,
                blk.areas,
                blk.dim,
                blk.dvals,
                fn(blk.value[a : a + 1], blk.value[b : b + 1]),
                _NAN,
                _NAN,
                blk.small[a : a + 1] | blk.small[b : b + 1],
                blk.present[a : a + 1] | blk.present[b : b + 1],
            )
        )
    return out, missing


def _representation(
    ctx: _Context, ind: Indicator, periods: tuple[str, ...]
) -> tuple[list[_Block], dict[str, str]]:
    assert ind.numerator is not None and ind.denominator is not None and ind.comparison
    target, miss_t = _quotient_blocks(ctx, ind, ind.numerator, ind.denominator, periods)
    comp_num, comp_den = ind.comparison
    ref, miss_r = _quotient_blocks(ctx, ind, comp_num, comp_den, periods, grouped=False)
    out = []
    for t, r in zip(target, ref, strict=True):
        out.append(
            _Block(
                list(t.groups),
                t.level,
                t.areas,
                t.dim,
                t.dvals,
                formulas.representation_index(t.value, r.value),
                _NAN,
                _NAN,
                t.small | r.small,
                t.present,
            )
        )
    return out, _merge_missing(miss_t, miss_r)


def _dissimilarity(
    ctx: _Context, ind: Indicator, periods: tuple[str, ...]
) -> tuple[list[_Block], dict[str, str]]:
    """Duncan's D over the units of ``unit_level``, for the city and each parent area."""
    assert ind.numerator is not None and ind.denominator is not None and ind.unit_level
    unit = ind.unit_level
    sides = [ind.numerator, ind.denominator]
    members = ind.groups.members
    units = ctx.labels(sides, periods, unit)
    none = np.array([TOTAL], dtype=object)
    x, _ = ctx.sums(ind.numerator, members, periods, unit, units, None, none)
    y, _ = ctx.sums(ind.denominator, members, periods, unit, units, None, none)
    x, y = x[..., 0], y[..., 0]  # [g, p, unit]
    blocks = []
    for parent in (level for level in ind.levels if level != unit):
        if parent == "stadt":
            parents = np.array([CITY_CODE], dtype=object)
            parent_of_unit = np.zeros(len(units), dtype=np.int64)
        else:
            mapping: dict[str, str] = {}
            for side in sides:
                st = ctx.stack(side, periods)
                u_codes, u_labels = st.column(unit)
                p_codes, p_labels = st.column(parent)
                mapping.update(zip(u_labels[u_codes], p_labels[p_codes], strict=True))
            parents = np.array(sorted(set(mapping.values())), dtype=object)
            parent_of_unit = _positions(
                parents, np.array([mapping[u] for u in units], dtype=object)
            )
        onehot = np.zeros((len(units), len(parents)))
        onehot[np.arange(len(units)), parent_of_unit] = 1.0
        big_x, big_y = x @ onehot, y @ onehot  # [g, p, parent]
        with np.errstate(divide="ignore", invalid="ignore"):
            term = np.abs(x / big_x[..., parent_of_unit] - y / big_y[..., parent_of_unit])
        term = np.where(np.isnan(term), 0.0, term)
        d = np.clip(0.5 * (term @ onehot), 0.0, 1.0)
        d = np.where((big_x > 0) & (big_y > 0), d, np.nan)
        small = _small(big_x, ind.min_denominator) | _small(big_y, ind.min_denominator)
        blocks.append(
            _Block(
                list(ind.groups.labels),
                parent,
                parents,
                None,
                none,
                d[..., None],
                big_x[..., None],
                big_y[..., None],
                small[..., None],
                np.True_,
            )
        )
    missing = _merge_missing(*(ctx.missing(s, periods) for s in sides))
    return blocks, missing


def _location_quotient(
    ctx: _Context, ind: Indicator, periods: tuple[str, ...]
) -> tuple[list[_Block], dict[str, str]]:
    assert ind.numerator is not None and ind.denominator is not None
    members = ind.groups.members
    city: dict[str | None, tuple[np.ndarray, np.ndarray]] = {}
    blocks = []
    for level, dim in _blocks_of(ind):
        areas, dvals = _spaces(ctx, ind, periods, level, dim)
        x, x_present = ctx.sums(ind.numerator, members, periods, level, areas, dim, dvals)
        t, t_present = ctx.sums(ind.denominator, members, periods, level, areas, dim, dvals)
        if level == "stadt":
            city[dim] = (x, t)
            continue
        big_x, big_t = city[dim]
        blocks.append(
            _Block(
                list(ind.groups.labels),
                level,
                areas,
                dim,
                dvals,
                formulas.location_quotient(x, t, big_x, big_t),
                x,
                t,
                _small(t, ind.min_denominator),
                x_present | t_present,
            )
        )
    missing = _merge_missing(
        ctx.missing(ind.numerator, periods), ctx.missing(ind.denominator, periods)
    )
    return blocks, missing


def _change(
    ctx: _Context, ind: Indicator, periods: tuple[str, ...]
) -> tuple[list[_Block], dict[str, str]]:
    """Change to the previous period of a count (no denominator) or a quotient."""
    assert ind.numerator is not None
    extended = tuple(sorted(set(periods) | {_shift(p, -1) for p in periods}))
    if ind.denominator is None:
        base, missing = _count(ctx, ind, extended)
    else:
        base, missing = _quotient_blocks(ctx, ind, ind.numerator, ind.denominator, extended)
    cur = [extended.index(p) for p in periods]
    prev = [extended.index(_shift(p, -1)) for p in periods]
    out = []
    for blk in base:
        value, before = blk.value[:, cur], blk.value[:, prev]
        if ind.change == "relative":
            changed = formulas.change_relative(value, before)
        elif ind.change == "pp":
            changed = formulas.change_pp(value, before)
        else:
            changed = value - before
        if ind.denominator is None:
            small = _small(np.abs(before), ind.min_denominator)
        else:
            small = blk.small[:, cur] | blk.small[:, prev]
        out.append(
            _Block(
                list(blk.groups),
                blk.level,
                blk.areas,
                blk.dim,
                blk.dvals,
                changed,
                _NAN,
                _NAN,
                small,
                blk.present[:, cur],
            )
        )
    out_missing = {p: r for p, r in missing.items() if p in periods}
    for p in periods:
        if p not in out_missing and _shift(p, -1) in missing:
            out_missing[p] = "no_previous_period"
    return out, out_missing


_KIND_FUNCTIONS: dict[
    str, Callable[[_Context, Indicator, tuple[str, ...]], tuple[list[_Block], dict[str, str]]]
] = {
    "count": _count,
    "share": _share,
    "rate": _share,
    "gap_pp": _between_groups,
    "ratio": _between_groups,
    "representation_index": _representation,
    "dissimilarity": _dissimilarity,
    "location_quotient": _location_quotient,
    "change": _change,
}


def _output_groups(ind: Indicator) -> list[str]:
    if ind.kind in ("gap_pp", "ratio") and ind.compare:
        return [f"{ind.compare[0]}-{ind.compare[1]}"]
    return list(ind.groups.labels)


def _evaluate(ctx: _Context, ind: Indicator, periods: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Evaluate one indicator into column arrays (plus internal ``_*`` columns)."""
    blocks, missing = _KIND_FUNCTIONS[ind.kind](ctx, ind, periods)
    period_arr = np.array(periods, dtype=object)
    keep_period = ~np.isin(period_arr, list(missing))
    dim_rank = {None: 0, **{d: i + 1 for i, d in enumerate(ind.dims)}}
    cols: dict[str, list[np.ndarray]] = {}

    def add(**arrays: np.ndarray) -> None:
        for k, v in arrays.items():
            cols.setdefault(k, []).append(v)

    for blk in blocks:
        present = blk.present & keep_period[None, :, None, None]
        g, p, a, d = np.nonzero(present)
        n = len(g)
        add(
            period=period_arr[p],
            group=blk.groups[g],
            _group_rank=g,
            area_level=np.full(n, blk.level, dtype=object),
            area_code=blk.areas[a],
            breakdown=np.full(n, blk.dim or TOTAL, dtype=object),
            _dim_rank=np.full(n, dim_rank[blk.dim]),
            breakdown_value=blk.dvals[d],
            value=np.asarray(blk.value[g, p, a, d], dtype="float64"),
            numerator=np.asarray(blk.numerator[g, p, a, d], dtype="float64"),
            denominator=np.asarray(blk.denominator[g, p, a, d], dtype="float64"),
            _small=np.asarray(blk.small[g, p, a, d], dtype=bool),
            _missing=np.full(n, "", dtype=object),
        )
    groups = _output_groups(ind)
    for p, reason in sorted(missing.items()):
        n = len(groups)
        add(
            period=np.full(n, p, dtype=object),
            group=np.array(groups, dtype=object),
            _group_rank=np.arange(n),
            area_level=np.full(n, "stadt", dtype=object),
            area_code=np.full(n, CITY_CODE, dtype=object),
            breakdown=np.full(n, TOTAL, dtype=object),
            _dim_rank=np.zeros(n, dtype=np.int64),
            breakdown_value=np.full(n, TOTAL, dtype=object),
            value=np.full(n, np.nan),
            numerator=np.full(n, np.nan),
            denominator=np.full(n, np.nan),
            _small=np.zeros(n, dtype=bool),
            _missing=np.full(n, reason, dtype=object),
        )
    out = {k: np.concatenate(v) if v else np.array([]) for k, v in cols.items()}
    n = len(out.get("period", ()))
    years = np.array([int(p) for p in out["period"]]) if n else np.zeros(0, dtype=int)
    num = ind.numerator
    dates = {p: (ctx.reference_date(num, p) if num and p not in missing else "") for p in periods}
    date_of = np.array([dates[p] for p in periods], dtype=object)
    out["reference_date"] = (
        date_of[np.searchsorted(period_arr, out["period"])] if n else date_of[:0]
    )
    out["_break"] = np.isin(years, ind.breaks)
    out["_provisional"] = np.isin(years, ind.provisional)
    out["indicator"] = np.full(n, ind.id, dtype=object)
    out["kind"] = np.full(n, ind.kind, dtype=object)
    out["unit"] = np.full(n, ind.unit, dtype=object)
    return out


def _finish(parts: list[dict[str, np.ndarray]], order: dict[str, int]) -> pd.DataFrame:
    parts = [p for p in parts if len(p.get("period", ()))]
    if not parts:
        return empty_table()
    cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    missing = cols["_missing"]
    value = cols["value"]
    small = cols["_small"] & ~np.isnan(value)  # no value at all: "x", not "/"
    flag_masks = {
        "break": cols["_break"],
        "missing_table": missing == "missing_table",
        "no_previous_period": missing == "no_previous_period",
        "provisional": cols["_provisional"],
        "small_denominator": small,
    }
    flags = np.full(len(missing), "", dtype=object)
    for name in FLAGS:
        hit = flag_masks[name]
        flags = np.where(hit, np.where(flags == "", name, flags + "," + name), flags)
    symbol = np.full(len(value), "", dtype=object)
    symbol[(value == 0) & np.isin(cols["kind"], _ZERO_KINDS)] = disclosure.ZERO
    symbol[small] = disclosure.UNRELIABLE
    symbol[np.isnan(value)] = disclosure.NOT_MEANINGFUL
    symbol[missing != ""] = disclosure.NOT_AVAILABLE
    cols["flags"], cols["symbol"] = flags, symbol
    keys = [
        cols["breakdown_value"].astype(str),
        (cols["breakdown_value"] != TOTAL).astype(int),
        cols["breakdown"].astype(str),
        cols["_dim_rank"],
        cols["group"].astype(str),
        cols["_group_rank"],
        cols["area_code"].astype(str),
        pd.Index(AREA_LEVELS).get_indexer(cols["area_level"]),
        cols["period"].astype(str),
        np.array([order[i] for i in cols["indicator"]]),
    ]
    idx = np.lexsort(keys)
    df = pd.DataFrame({c: cols[c][idx] for c in COLUMNS})
    return _typed(df)


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in COLUMNS:
        if col in _FLOAT_COLUMNS:
            out[col] = out[col].astype("float64")
        else:
            out[col] = out[col].fillna("").astype(str).astype("str")
    return out.reset_index(drop=True)


def empty_table() -> pd.DataFrame:
    """An indicator table without rows (all columns, right dtypes)."""
    return _typed(pd.DataFrame({c: pd.Series([], dtype="float64") for c in COLUMNS}))


# --------------------------------------------------------------------------- public API


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (str, int, Period)):
        return [value]
    return list(value)


def compute(
    periods: str | int | Period | Iterable[str | int | Period] | None = None,
    ids: str | Iterable[str] | None = None,
    *,
    data: str | Path | None = None,
    load: Loader | None = None,
    catalogue: Catalogue | str | Path | None = None,
) -> pd.DataFrame:
    """Evaluate the indicator catalogue.

    Parameters
    ----------
    periods : str, int or list, optional
        Reporting years such as ``"2017"``; default every period of the processed store.
        Required when ``load`` is given.
    ids : str or list of str, optional
        Indicator ids; default every computable indicator of the catalogue. Planned
        indicators (``status: geplant``) are skipped.
    data : str or Path, optional
        The processed store (default ``data/processed``); ignored when ``load`` is given.
    load : callable, optional
        ``load(table, period) -> DataFrame`` returning a processed table, or ``None`` (or
        raising :class:`DataError`) when it was not delivered. Use it to evaluate frames
        that are not in the store (tests, scenarios).
    catalogue : Catalogue, str or Path, optional
        Another catalogue (object or YAML path); default the package catalogue.

    Returns
    -------
    pandas.DataFrame
        The tidy indicator table (columns :data:`COLUMNS`, see the module docstring),
        deterministically sorted by catalogue order, period, area level, area code, group
        and breakdown.

    Raises
    ------
    DataError
        For an invalid period, an unknown id or an invalid catalogue.

    Examples
    --------
    >>> df = compute(["2016", "2017"], ["DEM-02", "REC-03"])  # doctest: +SKIP
    >>> df.query("area_level == 'stadt' and breakdown == 'insgesamt'")  # doctest: +SKIP
    """
    if catalogue is None or isinstance(catalogue, (str, Path)):
        catalogue = load_catalogue(catalogue)
    if load is None:
        plist = _as_list(periods) if periods is not None else store.periods(data)
        loader = _store_loader(data)
    else:
        if periods is None:
            raise DataError("compute(load=...) braucht die Berichtsjahre (periods)")
        plist = _as_list(periods)
        loader = load
    period_strs = tuple(sorted({str(Period.parse(p)) for p in plist}))
    wanted = _as_list(ids) if ids is not None else None
    if wanted is not None:
        unknown = [i for i in wanted if i not in catalogue]
        if unknown:
            raise DataError(
                f"unbekannte Indikatorkennung(en) {', '.join(map(repr, unknown))}; "
                f"bekannt: {', '.join(catalogue)}"
            )
    selected = [
        ind for ind in catalogue.values() if ind.computable and (wanted is None or ind.id in wanted)
    ]
    if not period_strs or not selected:
        return empty_table()
    ctx = _Context(loader)
    frames = [_evaluate(ctx, ind, period_strs) for ind in selected]
    order = {ind_id: i for i, ind_id in enumerate(catalogue)}
    return _finish(frames, order)


def _atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_indicators(df: pd.DataFrame, data: str | Path | None = None) -> Path:
    """Write the indicator table to ``<data>/indicators.parquet`` atomically.

    The file is written to a temporary name in the same folder and renamed, so a failed
    write never leaves a half-written file or destroys the previous table. The same frame
    gives a byte-identical file.

    Parameters
    ----------
    df : pandas.DataFrame
        The result of :func:`compute`.
    data : str or Path, optional
        The processed store (default ``data/processed``).

    Returns
    -------
    Path
        The written file.
    """
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise DataError(f"Indikatortabelle ohne Spalte(n) {', '.join(missing)}")
    table = _typed(df[COLUMNS].reset_index(drop=True))
    target = store.data_dir(data) / INDICATORS_FILE
    return _atomic_write(target, lambda p: table.to_parquet(p, index=False))


def _filter(
    df: pd.DataFrame,
    period: Any = None,
    ids: Any = None,
    area_level: Any = None,
) -> pd.DataFrame:
    if period is not None:
        wanted = [str(Period.parse(p)) for p in _as_list(period)]
        df = df[df["period"].isin(wanted)]
    if ids is not None:
        df = df[df["indicator"].isin([str(i) for i in _as_list(ids)])]
    if area_level is not None:
        levels = _as_list(area_level)
        bad = [lv for lv in levels if lv not in AREA_LEVELS]
        if bad:
            raise DataError(
                f"unbekannte Gebietsebene {bad[0]!r}; erlaubt: {', '.join(AREA_LEVELS)}"
            )
        df = df[df["area_level"].isin(levels)]
    return df.reset_index(drop=True)


def indicators_table(
    period: str | int | Iterable[str | int] | None = None,
    ids: str | Iterable[str] | None = None,
    area_level: str | Iterable[str] | None = None,
    data: str | Path | None = None,
) -> pd.DataFrame:
    """The indicator table for notebooks: stored if up to date, else computed.

    Reads ``<data>/indicators.parquet`` when it exists and covers exactly the periods of
    the processed store; otherwise computes the catalogue (without writing anything).

    Parameters
    ----------
    period : str, int or list, optional
        Keep only these reporting years (e.g. ``"2017"``).
    ids : str or list of str, optional
        Keep only these indicators (e.g. ``"DEM-02"``).
    area_level : str or list of str, optional
        ``"stadt"``, ``"stadtbezirk"`` or ``"stat_bezirk"``.
    data : str or Path, optional
        The processed store (default ``data/processed``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`. Values are *not* disclosure-controlled; use
        :func:`publishable` before publishing.

    Examples
    --------
    >>> indicators_table("2017", "DEM-02", "stadt")  # doctest: +SKIP
    """
    path = store.data_dir(data) / INDICATORS_FILE
    available = store.periods(data)
    df = None
    if path.is_file():
        stored = pd.read_parquet(path)
        if set(COLUMNS) <= set(stored.columns) and sorted(stored["period"].unique()) == available:
            df = stored[COLUMNS]
    if df is None:
        df = compute(data=data)
    return _filter(df, period, ids, area_level)


# --------------------------------------------------------------------------- disclosure, export


_CASE_COLUMNS = ("numerator", "denominator")
_ROW_KEY = [
    "period",
    "indicator",
    "area_level",
    "area_code",
    "group",
    "breakdown",
    "breakdown_value",
]


def _line_parts(out: pd.DataFrame) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Candidate additivity lines: ``(tag, part row, total row)`` arrays per line type.

    A line is identified by its tag and its total row: (a) the values of one breakdown sum
    to the row with breakdown ``insgesamt``; (b) the groups sum to the group
    ``insgesamt``; (c) the Stadtbezirke sum to the city, the Statistische Bezirke to their
    Stadtbezirk. Whether a line really holds is checked on the data later.
    """
    col = {k: out[k].to_numpy(dtype=object) for k in _ROW_KEY}
    keys = pd.MultiIndex.from_arrays([col[k] for k in _ROW_KEY])
    unique = ~keys.duplicated(keep=False)
    lookup = keys[unique]
    rows_of = np.flatnonzero(unique)

    def find(mask: np.ndarray, **replace: np.ndarray | str) -> tuple[np.ndarray, np.ndarray]:
        parts = np.flatnonzero(mask & unique)
        arrays = []
        for k in _ROW_KEY:
            r = replace.get(k)
            if r is None:
                arrays.append(col[k][parts])
            elif isinstance(r, str):
                arrays.append(np.full(len(parts), r, dtype=object))
            else:
                arrays.append(r[parts])
        pos = lookup.get_indexer(pd.MultiIndex.from_arrays(arrays))
        found = pos >= 0
        return parts[found], rows_of[pos[found]]

    level, code = col["area_level"], col["area_code"]
    lines = []
    p, t = find(col["breakdown"] != TOTAL, breakdown=TOTAL, breakdown_value=TOTAL)
    lines.append((col["breakdown"][p], p, t))  # one line per breakdown dimension
    p, t = find(col["group"] != TOTAL, group=TOTAL)
    lines.append((np.full(len(p), "group", dtype=object), p, t))
    p, t = find(level == "stadtbezirk", area_level="stadt", area_code=CITY_CODE)
    lines.append((np.full(len(p), "stadtbezirk", dtype=object), p, t))
    parent = np.array([str(c)[:2] for c in code], dtype=object)
    p, t = find(level == "stat_bezirk", area_level="stadtbezirk", area_code=parent)
    lines.append((np.full(len(p), "stat_bezirk", dtype=object), p, t))
    return lines


def _linked_counts(
    out: pd.DataFrame, threshold: int, secondary: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.DataFrame]:
    """Primary and secondary suppression of the case numbers of an indicator table.

    Returns boolean arrays ``[row, 0 = numerator / 1 = denominator]`` (primary, secondary),
    the variable of each cell (-1: none or zero) and the equations (``eq``, ``var``,
    ``coef``, ``total``) between the variables.
    """
    n = len(out)
    x = np.stack([out[c].to_numpy(dtype="float64") for c in _CASE_COLUMNS], axis=1)
    valid = ~np.isnan(x) & (x >= 0)
    # one variable per published quantity: the same count in the same period, area and
    # breakdown cell is published under several indicators, groups and columns
    cells = np.flatnonzero((valid & (x > 0)).ravel())
    rows = cells // 2
    var_keys = pd.DataFrame(
        {
            k: out[k].to_numpy(dtype=object)[rows]
            for k in ("period", "area_level", "area_code", "breakdown", "breakdown_value")
        }
    )
    var_keys["x"] = x.ravel()[cells]
    var_of_cell = np.full(2 * n, -1, dtype=np.int64)
    var_of_cell[cells] = var_keys.groupby(list(var_keys.columns), sort=False).ngroup().to_numpy()
    n_var = int(var_of_cell.max()) + 1 if len(cells) else 0
    values = np.zeros(n_var)
    values[var_of_cell[cells]] = x.ravel()[cells]

    eqs: list[pd.DataFrame] = []
    n_eq = 0
    if secondary and n:
        for tag, parts, totals in _line_parts(out):
            if not len(parts):
                continue
            line = pd.MultiIndex.from_arrays([tag, totals]).factorize()[0]
            n_line = int(line.max()) + 1
            first_total = np.zeros(n_line, dtype=np.int64)
            first_total[line] = totals
            for j in range(2):
                ok = valid[parts, j]
                complete = np.bincount(line, weights=~ok, minlength=n_line) == 0
                sums = np.bincount(line, weights=np.where(ok, x[parts, j], 0.0), minlength=n_line)
                xt = np.where(valid[first_total, j], x[first_total, j], -1.0)
                # exact counts: the parts must add up exactly (float sums of integers)
                holds = complete & (xt >= 0) & (np.abs(sums - xt) <= 1e-9 * np.maximum(1.0, xt))
                keep = holds[line]
                ids = np.flatnonzero(holds)
                renumber = np.full(n_line, -1, dtype=np.int64)
                renumber[ids] = np.arange(len(ids)) + n_eq
                n_keep = int(keep.sum())
                eqs.append(
                    pd.DataFrame(
                        {
                            "eq": np.r_[renumber[ids], renumber[line[keep]]],
                            "var": np.r_[
                                var_of_cell[first_total[ids] * 2 + j],
                                var_of_cell[parts[keep] * 2 + j],
                            ],
                            "coef": np.r_[np.ones(len(ids)), -np.ones(n_keep)],
                            "total": np.r_[np.ones(len(ids), bool), np.zeros(n_keep, bool)],
                        }
                    )
                )
                n_eq += len(ids)
    if eqs:
        entries = pd.concat(eqs, ignore_index=True)
        entries = entries[entries["var"] >= 0]  # zeros are published anyway
        entries = (
            entries.groupby(["eq", "var"], sort=True)
            .agg(coef=("coef", "sum"), total=("total", "max"))
            .reset_index()
        )
        entries = entries[entries["coef"] != 0]
    else:
        entries = pd.DataFrame({"eq": [], "var": [], "coef": [], "total": []})
    primary_var, secondary_var = disclosure.suppress_linked(
        values,
        entries["eq"].to_numpy(dtype=np.int64),
        entries["var"].to_numpy(dtype=np.int64),
        entries["coef"].to_numpy(dtype="float64"),
        total=entries["total"].to_numpy(dtype=bool),
        threshold=threshold,
    )
    has = var_of_cell >= 0
    primary = np.zeros(2 * n, dtype=bool)
    second = np.zeros(2 * n, dtype=bool)
    primary[has] = primary_var[var_of_cell[has]]
    second[has] = secondary_var[var_of_cell[has]]
    return primary.reshape(n, 2), second.reshape(n, 2), var_of_cell.reshape(n, 2), entries


def publishable(df: pd.DataFrame, threshold: int = 3, *, secondary: bool = True) -> pd.DataFrame:
    """Apply disclosure control to an indicator table.

    - counts (kind ``count``; numerator and denominator case numbers of every kind) with
      ``0 < n < threshold`` become NaN (primary suppression); a count indicator's value
      then gets the symbol ``.``; exact zeros keep ``-``;
    - secondary suppression: further case numbers become NaN so that no suppressed one can
      be recomputed from the published table (see below);
    - shares, rates and location quotients whose numerator or denominator is suppressed
      get ``.`` too (the value would reveal the count);
    - values with the symbol ``/`` (denominator below ``min_denominator``) or ``x`` become
      NaN;
    - every row changed here gets the flag ``suppressed``; rows whose case numbers are
      hidden only to protect other cells also get ``suppressed_secondary``.

    The tidy table contains its own totals, so a suppressed count could often be
    recomputed by subtraction. Within each period and indicator, these additivity lines are
    used wherever they hold exactly in the data (parts that overlap or do not add up are
    no line): (a) the values of a breakdown (``sex``: ``m``, ``w``) sum to the row with
    breakdown ``insgesamt``; (b) the groups sum to the group ``insgesamt``; (c) the
    Stadtbezirke sum to the city, the Statistische Bezirke to their Stadtbezirk; each for
    the numerator and the denominator (the value of a count is its numerator). The same
    count published in several places (same period, area and breakdown cell, same value,
    e.g. a population that is the denominator of several shares) is one quantity and is
    suppressed everywhere or nowhere. :func:`bielefeld_integration.disclosure.suppress_linked`
    then adds complements, smallest positive counts first, until no suppressed count can
    be computed from the published ones by any combination of the lines.

    Parameters
    ----------
    df : pandas.DataFrame
        An indicator table (:func:`compute`).
    threshold : int, default 3
        Smallest count that is published.
    secondary : bool, default True
        Also apply secondary suppression. ``False`` gives primary suppression only, which
        does not protect the small counts against subtraction from the totals.

    Returns
    -------
    pandas.DataFrame
        A copy with the same columns.
    """
    out = _typed(df[COLUMNS].reset_index(drop=True))
    symbol = out["symbol"].to_numpy(dtype=object).copy()
    value = out["value"].to_numpy(dtype="float64").copy()
    changed = np.zeros(len(out), dtype=bool)

    primary, second, _var, _eqs = _linked_counts(out, threshold, secondary)
    hidden_cells = primary | second
    for j, col in enumerate(_CASE_COLUMNS):
        x = out[col].to_numpy(dtype="float64").copy()
        x[hidden_cells[:, j]] = np.nan
        out[col] = x
    secret_case = hidden_cells.any(axis=1)
    reveals = secret_case & np.isin(out["kind"].to_numpy(), _REVEALING_KINDS)
    hide_secret = reveals & ~np.isin(symbol, [disclosure.NOT_AVAILABLE])
    value[hide_secret] = np.nan
    symbol[hide_secret & (symbol != disclosure.UNRELIABLE)] = disclosure.SECRET
    changed |= hide_secret
    hide_symbol = np.isin(symbol, [disclosure.UNRELIABLE, disclosure.NOT_MEANINGFUL]) & ~np.isnan(
        value
    )
    value[hide_symbol] = np.nan
    changed |= hide_symbol | secret_case
    out["value"] = value
    out["symbol"] = symbol
    flags = out["flags"].to_numpy(dtype=object)
    flags = np.where(changed, np.where(flags == "", "suppressed", flags + ",suppressed"), flags)
    only_secondary = second.any(axis=1) & ~primary.any(axis=1)
    flags = np.where(only_secondary, flags + ",suppressed_secondary", flags)
    out["flags"] = flags
    return _typed(out)


def suppression_log(df: pd.DataFrame, threshold: int = 3) -> pd.DataFrame:
    """Which case numbers :func:`publishable` suppresses, and why. **Internal use only.**

    Parameters
    ----------
    df : pandas.DataFrame
        An indicator table (:func:`compute`), not yet disclosure-controlled.
    threshold : int, default 3
        As for :func:`publishable`.

    Returns
    -------
    pandas.DataFrame
        One row per suppressed cell: the row key columns (``period``, ``indicator``,
        ``area_level``, ``area_code``, ``group``, ``breakdown``, ``breakdown_value``),
        ``column`` (``numerator`` or ``denominator``), ``value`` (the true count, keep it
        internal) and ``reason`` (``primary`` or ``secondary``).
    """
    out = _typed(df[COLUMNS].reset_index(drop=True))
    primary, second, _var, _eqs = _linked_counts(out, threshold, True)
    parts = []
    for j, col in enumerate(_CASE_COLUMNS):
        for reason, mask in (("primary", primary[:, j]), ("secondary", second[:, j])):
            sub = out.loc[mask, _ROW_KEY].copy()
            sub["column"] = col
            sub["value"] = out.loc[mask, col].to_numpy(dtype="float64")
            sub["reason"] = reason
            parts.append(sub)
    log = pd.concat(parts)
    return log.sort_index(kind="stable").reset_index(drop=True)


_FORMATS = ("csv", "xlsx", "parquet")


def export(
    df: pd.DataFrame,
    path: str | Path,
    fmt: str | None = None,
    *,
    unsuppressed: bool = False,
    threshold: int = 3,
) -> Path:
    """Export an indicator table as CSV, XLSX or parquet, disclosure-controlled.

    Parameters
    ----------
    df : pandas.DataFrame
        An indicator table (:func:`compute` or :func:`indicators_table`).
    path : str or Path
        Output file; written atomically (temporary file in the same folder, then rename).
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
        The written file.

    Notes
    -----
    CSV: UTF-8 without BOM, comma-separated, header row with the column names of
    :data:`COLUMNS`, decimal point, empty field for a missing value (the reason is in
    ``symbol``). XLSX: sheet ``Indikatoren`` with the same columns plus a sheet
    ``Zeichenerklärung`` (legend of the symbols). Parquet: the same schema as
    ``indicators.parquet``.

    Examples
    --------
    >>> export(compute("2017"), "indikatoren_2017.csv")  # doctest: +SKIP
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in _FORMATS:
        raise DataError(f"unbekanntes Exportformat {fmt!r}; erlaubt: {', '.join(_FORMATS)}")
    if unsuppressed:
        warnings.warn(
            "Export ohne Geheimhaltung (unsuppressed=True): nur für den internen Gebrauch",
            UserWarning,
            stacklevel=2,
        )
        table = _typed(df[COLUMNS].reset_index(drop=True))
    else:
        table = publishable(df, threshold)
    if fmt == "csv":
        return _atomic_write(
            path, lambda p: table.to_csv(p, index=False, encoding="utf-8", lineterminator="\n")
        )
    if fmt == "parquet":
        return _atomic_write(path, lambda p: table.to_parquet(p, index=False))

    def write_xlsx(p: Path) -> None:
        legend = pd.DataFrame(
            {
                "Zeichen": list(disclosure.SYMBOL_LEGEND),
                "Bedeutung": list(disclosure.SYMBOL_LEGEND.values()),
            }
        )
        with pd.ExcelWriter(p, engine="openpyxl") as writer:
            table.to_excel(writer, sheet_name="Indikatoren", index=False)
            legend.to_excel(writer, sheet_name="Zeichenerklärung", index=False)

    return _atomic_write(path, write_xlsx)


__all__ = [
    "COLUMNS",
    "FLAGS",
    "INDICATORS_FILE",
    "Loader",
    "compute",
    "empty_table",
    "export",
    "indicators_table",
    "publishable",
    "suppression_log",
    "write_indicators",
]

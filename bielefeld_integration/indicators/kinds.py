"""The evaluation models (``kind``) of the indicator engine.

Each kind function takes the :class:`~.context.Context`, an :class:`~.schema.Indicator` and
the periods and returns dense result blocks (one per area level x breakdown dimension,
arrays ``[group, period, area, breakdown value]``) plus the periods whose data is missing,
with the reason (``missing_table`` or ``no_previous_period``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from bielefeld_integration.geography import CITY_CODE
from bielefeld_integration.indicators import formulas
from bielefeld_integration.indicators.context import Context, positions, source_period
from bielefeld_integration.indicators.schema import Filter, Indicator, Side

TOTAL = "insgesamt"


class Block:
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


def merge_missing(*maps: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in maps:
        for p, reason in m.items():
            if out.get(p) != "missing_table":
                out[p] = reason
    return out


_UNGROUPED: tuple[tuple[str, Filter], ...] = ((TOTAL, ()),)
_NAN = np.array(np.nan)


def _small(denominator: np.ndarray, minimum: float | None) -> np.ndarray:
    """True where the denominator is below ``min_denominator`` (never for NaN)."""
    den = np.asarray(denominator, dtype="float64")
    if minimum is None:
        return np.zeros(den.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        return den < minimum


def _blocks_of(ind: Indicator) -> list[tuple[str, str | None]]:
    """(area level, breakdown dimension) pairs; no dimensions at the finest level."""
    out = []
    for level in ind.levels:
        dims = (None, *ind.dims) if level != "stat_bezirk" else (None,)
        out.extend((level, dim) for dim in dims)
    return out


def _spaces(
    ctx: Context, ind: Indicator, periods: tuple[str, ...], level: str, dim: str | None
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
    ctx: Context,
    ind: Indicator,
    num: Side,
    den: Side,
    periods: tuple[str, ...],
    *,
    grouped: bool = True,
) -> tuple[list[Block], dict[str, str]]:
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
            Block(
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
    missing = merge_missing(ctx.missing(num, periods), ctx.missing(den, periods))
    return blocks, missing


def _count(
    ctx: Context, ind: Indicator, periods: tuple[str, ...]
) -> tuple[list[Block], dict[str, str]]:
    assert ind.numerator is not None
    blocks = []
    for level, dim in _blocks_of(ind):
        areas, dvals = _spaces(ctx, ind, periods, level, dim)
        n, present = ctx.sums(ind.numerator, ind.groups.members, periods, level, areas, dim, dvals)
        labels = list(ind.groups.labels)
        blocks.append(Block(labels, level, areas, dim, dvals, n, n, _NAN, np.False_, present))
    return blocks, ctx.missing(ind.numerator, periods)


def _share(
    ctx: Context, ind: Indicator, periods: tuple[str, ...]
) -> tuple[list[Block], dict[str, str]]:
    assert ind.numerator is not None and ind.denominator is not None
    return _quotient_blocks(ctx, ind, ind.numerator, ind.denominator, periods)


def _between_groups(
    ctx: Context, ind: Indicator, periods: tuple[str, ...]
) -> tuple[list[Block], dict[str, str]]:
    """gap_pp and ratio: group a against group b of the same quotient."""
    assert ind.numerator is not None and ind.denominator is not None and ind.compare
    base, missing = _quotient_blocks(ctx, ind, ind.numerator, ind.denominator, periods)
    labels = list(ind.groups.labels)
    a, b = labels.index(ind.compare[0]), labels.index(ind.compare[1])
    fn = formulas.gap_pp if ind.kind == "gap_pp" else formulas.ratio
    out = []
    for blk in base:
        out.append(
            Block(
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
    ctx: Context, ind: Indicator, periods: tuple[str, ...]
) -> tuple[list[Block], dict[str, str]]:
    assert ind.numerator is not None and ind.denominator is not None and ind.comparison
    target, miss_t = _quotient_blocks(ctx, ind, ind.numerator, ind.denominator, periods)
    comp_num, comp_den = ind.comparison
    ref, miss_r = _quotient_blocks(ctx, ind, comp_num, comp_den, periods, grouped=False)
    out = []
    for t, r in zip(target, ref, strict=True):
        out.append(
            Block(
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
    return out, merge_missing(miss_t, miss_r)


def _dissimilarity(
    ctx: Context, ind: Indicator, periods: tuple[str, ...]
) -> tuple[list[Block], dict[str, str]]:
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
            parent_of_unit = positions(parents, np.array([mapping[u] for u in units], dtype=object))
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
            Block(
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
    missing = merge_missing(*(ctx.missing(s, periods) for s in sides))
    return blocks, missing


def _location_quotient(
    ctx: Context, ind: Indicator, periods: tuple[str, ...]
) -> tuple[list[Block], dict[str, str]]:
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
            Block(
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
    missing = merge_missing(
        ctx.missing(ind.numerator, periods), ctx.missing(ind.denominator, periods)
    )
    return blocks, missing


def _change(
    ctx: Context, ind: Indicator, periods: tuple[str, ...]
) -> tuple[list[Block], dict[str, str]]:
    """Change to the previous period of a count (no denominator) or a quotient."""
    assert ind.numerator is not None
    extended = tuple(sorted(set(periods) | {source_period(p, -1) for p in periods}))
    if ind.denominator is None:
        base, missing = _count(ctx, ind, extended)
    else:
        base, missing = _quotient_blocks(ctx, ind, ind.numerator, ind.denominator, extended)
    cur = [extended.index(p) for p in periods]
    prev = [extended.index(source_period(p, -1)) for p in periods]
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
            Block(
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
        if p not in out_missing and source_period(p, -1) in missing:
            out_missing[p] = "no_previous_period"
    return out, out_missing


KIND_FUNCTIONS: dict[
    str, Callable[[Context, Indicator, tuple[str, ...]], tuple[list[Block], dict[str, str]]]
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


def output_groups(ind: Indicator) -> list[str]:
    if ind.kind in ("gap_pp", "ratio") and ind.compare:
        return [f"{ind.compare[0]}-{ind.compare[1]}"]
    return list(ind.groups.labels)

"""The quantities an indicator table publishes, identified by their definition, and their lines.

Every case number in the indicator table (the ``numerator`` and ``denominator`` of counts,
shares, rates, location quotients and segregation indices) is the sum of a count column of
one processed table over the rows that match a filter: the indicator's term from the
catalogue, the comparison group, the breakdown cell and the area. Two cells with the same
definition are the same quantity, whatever indicator publishes them, and are suppressed
jointly.

A definition is normalised to a *box*: per column of the table the set of codes it keeps
(columns without a restriction are left out; derived columns such as ``mh`` or
``nationality_group`` are expressed by the columns they are computed from where that is
possible, so ``EU`` and the single EU states are comparable).

Additivity lines the attacker can write down, all verified on the true values:

- **areas**: the Stadtbezirke add up to the city, the Statistische Bezirke to their
  Stadtbezirk (same box);
- **partitions**: within one table, period and area, a quantity whose box restricts a
  column to the codes ``S`` equals the sum of the quantities with the same box except that
  column, restricted to the largest proper subsets of ``S`` when those are disjoint and
  cover ``S`` — groups and their total (also without an ``insgesamt`` row: EU states and
  the EU, residence statuses and their denominator), breakdown values and their total,
  numerators that split a denominator.

For values that are no case number (gaps, ratios, changes, representation and location
quotients, shares) the module lists the quantities they are computed from, so that a value
is hidden whenever one of them is.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from bielefeld_integration.disclosure.lines import (
    area_equations,
    instantiate,
    partition_lines,
    stack_equations,
)
from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import CITY_CODE
from bielefeld_integration.indicators.catalogue import Catalogue
from bielefeld_integration.indicators.schema import (
    DERIVED_COLUMNS,
    SPATIAL,
    Filter,
    Indicator,
    Side,
    table_columns,
)
from bielefeld_integration.periods import Period
from bielefeld_integration.tables import TABLES

__all__ = ["CASE_COLUMNS", "Quantities", "quantities"]

TOTAL = "insgesamt"
CASE_COLUMNS = ("numerator", "denominator")
#: Kinds whose numerator / denominator columns hold case numbers.
_CASE_KINDS = {
    "count": (True, False),
    "share": (True, True),
    "rate": (True, True),
    "location_quotient": (True, True),
    "dissimilarity": (True, True),
}
_HIDDEN_SYMBOLS = ("/", "...")

Box = tuple[tuple[str, tuple[str, ...]], ...]
#: (table, sum column, period offset, box, minus term or None)
Term = tuple


@dataclass(frozen=True)
class Quantities:
    """The published quantities of an indicator table and the equations between them.

    Attributes
    ----------
    values : numpy.ndarray of float, shape (n_var,)
        True value of each quantity.
    cell_var : numpy.ndarray of int, shape (n_rows, 2)
        Quantity of the numerator / denominator cell of each row (-1: no case number).
    shown : numpy.ndarray of bool, shape (n_rows, 2)
        Whether the row would show the cell (not for ``/`` and ``...`` rows).
    eq, var, coef : numpy.ndarray
        Additivity equations ``sum(coef * x) == 0`` in sparse form.
    nonneg : numpy.ndarray of bool, shape (n_var,)
        Quantities that cannot be negative (all but balances).
    cost : numpy.ndarray of float, shape (n_var,)
        Loss of hiding the quantity (larger for city totals and quantities shown often).
    source_row, source_var : numpy.ndarray of int
        Pairs (row, quantity): the row's value is computed from the quantity.
    period : numpy.ndarray of str, shape (n_var,)
        Period of the data each quantity counts (the row's period, or an earlier one for
        a term with ``period: previous``). Every equation links quantities of one period.
    """

    values: np.ndarray
    cell_var: np.ndarray
    shown: np.ndarray
    eq: np.ndarray
    var: np.ndarray
    coef: np.ndarray
    nonneg: np.ndarray
    cost: np.ndarray
    source_row: np.ndarray
    source_var: np.ndarray
    period: np.ndarray

    @property
    def published(self) -> np.ndarray:
        """Quantities shown in at least one cell."""
        out = np.zeros(len(self.values), dtype=bool)
        has = self.cell_var >= 0
        out[self.cell_var[has & self.shown]] = True
        return out


# --------------------------------------------------------------------------- definitions


def _codes(table: str, column: str) -> tuple[str, ...] | None:
    return table_columns(table).get(column)


@cache
def _derived_map(table: str, column: str) -> tuple[tuple[str, ...], dict] | None:
    """Base columns of a derived column and ``base codes -> derived code`` (if computable)."""
    per_table = DERIVED_COLUMNS.get(column, {})
    if table not in per_table or column in _real_columns(table):
        return None
    fn = per_table[table].function
    candidates = [
        c
        for c, codes in table_columns(table).items()
        if codes and c in _real_columns(table) and c not in SPATIAL
    ]
    for size in (1, 2):
        for cols in itertools.combinations(candidates, size):
            grid = list(itertools.product(*(table_columns(table)[c] for c in cols)))
            frame = pd.DataFrame(grid, columns=list(cols))
            try:
                result = fn(frame)
            except (KeyError, TypeError, ValueError):
                continue
            if result.isna().any():
                continue
            return cols, dict(zip(grid, result.astype(str), strict=True))
    return None


@cache
def _real_columns(table: str) -> frozenset[str]:
    return frozenset(TABLES[table].columns)


def _box(table: str, filters: tuple[Filter, ...]) -> Box:
    """Canonical box of the conjunction of ``filters`` on ``table``."""
    keep: dict[str, set[str]] = {}
    negated: dict[str, set[str]] = {}
    derived: list[tuple[str, set[str]]] = []
    for flt in filters:
        for col, values, negate in flt:
            universe = _codes(table, col)
            if negate:
                if universe is None:
                    negated.setdefault(col, set()).update(values)
                    continue
                values = tuple(v for v in universe if v not in values)
            chosen = set(values)
            if _derived_map(table, col) is not None:
                derived.append((col, chosen))
                continue
            keep[col] = keep[col] & chosen if col in keep else chosen
    for col, chosen in derived:
        mapped = _derived_map(table, col)
        assert mapped is not None
        cols, mapping = mapped
        allowed = [k for k, d in mapping.items() if d in chosen]
        if len(cols) == 1:
            (c,) = cols
            new = {k[0] for k in allowed}
            keep[c] = keep[c] & new if c in keep else new
            continue
        a, b = cols
        b_codes = keep.get(b, set(_codes(table, b) or ()))
        per_b = {bv: frozenset(k[0] for k in allowed if k[1] == bv) for bv in b_codes}
        nonempty = {bv: s for bv, s in per_b.items() if s}
        if len(set(nonempty.values())) <= 1:  # a product: a in A, b in B'
            a_set = set(next(iter(nonempty.values()))) if nonempty else set()
            keep[a] = keep[a] & a_set if a in keep else a_set
            keep[b] = set(nonempty)
        else:  # not a box in the base columns: keep the derived column itself
            keep[col] = keep[col] & chosen if col in keep else chosen
    out = []
    for col, chosen in keep.items():
        universe = _codes(table, col)
        if universe is not None and set(universe) <= chosen:
            continue
        out.append((col, tuple(sorted(chosen))))
    out.extend((f"{col}!", tuple(sorted(v))) for col, v in negated.items())
    return tuple(sorted(out))


def _term(side: Side, extra: tuple[Filter, ...]) -> Term:
    minus = None
    if side.minus is not None:
        minus = (side.minus.sum, _box(side.table, (side.minus.where, *extra)))
    return (side.table, side.sum, side.period_offset, _box(side.table, (side.where, *extra)), minus)


def _group_filter(ind: Indicator, group: str) -> Filter | None:
    for label, flt in ind.groups.members:
        if label == group:
            return flt
    return None


def _definitions(ind: Indicator, group: str, breakdown: str, value: str) -> dict:
    """Terms of one (indicator, group, breakdown cell): case cells and value sources.

    Returns ``{"numerator": term, "denominator": term, "sources": [(offset, term,
    area_override)]}`` with ``None`` where the kind has no such cell.
    """
    bd: tuple[Filter, ...] = ()
    if breakdown != TOTAL:
        bd = (((breakdown, (value,), False),),)
    out: dict = {"numerator": None, "denominator": None, "sources": []}
    num, den = ind.numerator, ind.denominator
    kind = ind.kind

    def quotient(label: str) -> tuple[Term | None, Term | None]:
        g = _group_filter(ind, label)
        if g is None or num is None:
            return None, None
        gd = g if ind.groups.apply == "both" else ()
        n = _term(num, (g, *bd))
        d = _term(den, (gd, *bd)) if den is not None else None
        return n, d

    if kind in ("count", "share", "rate"):
        n, d = quotient(group)
        out["numerator"] = n
        out["denominator"] = d if kind != "count" else None
        out["sources"] = [(0, t, None) for t in (n, d) if t is not None and kind != "count"]
        if kind == "count" and n is not None:
            out["sources"] = [(0, n, None)]
    elif kind == "location_quotient":
        g = _group_filter(ind, group)
        if g is not None and num is not None and den is not None:
            n, d = _term(num, (g, *bd)), _term(den, (g, *bd))
            out["numerator"], out["denominator"] = n, d
            out["sources"] = [(0, n, None), (0, d, None), (0, n, "city"), (0, d, "city")]
    elif kind == "dissimilarity":
        g = _group_filter(ind, group)
        if g is not None and num is not None and den is not None:
            out["numerator"], out["denominator"] = _term(num, (g,)), _term(den, (g,))
            out["sources"] = [(0, out["numerator"], None), (0, out["denominator"], None)]
    elif kind in ("gap_pp", "ratio") and ind.compare:
        for label in ind.compare:
            n, d = quotient(label)
            out["sources"] += [(0, t, None) for t in (n, d) if t is not None]
    elif kind == "representation_index":
        n, d = quotient(group)
        out["sources"] = [(0, t, None) for t in (n, d) if t is not None]
        if ind.comparison:
            out["sources"] += [(0, _term(s, bd), None) for s in ind.comparison]
    elif kind == "change":
        n, d = quotient(group)
        for offset in (0, -1):
            out["sources"] += [(offset, t, None) for t in (n, d) if t is not None]
    return out


def _has_case(kinds: np.ndarray, j: int) -> np.ndarray:
    """Rows whose kind has a case number in column ``j`` (0 numerator, 1 denominator)."""
    return np.array([_CASE_KINDS.get(k, (False, False))[j] for k in kinds], dtype=bool)


def _shift(period: str, offset: int) -> str:
    p = Period.parse(period)
    for _ in range(-offset):
        p = p.previous
    return str(p)


# --------------------------------------------------------------------------- public


_LEVEL_WEIGHT = {"stadt": 8.0, "stadtbezirk": 3.0, "stat_bezirk": 1.0}


def quantities(table: pd.DataFrame, catalogue: Catalogue) -> Quantities:
    """The quantities of an indicator table and the additivity equations between them.

    Parameters
    ----------
    table : pandas.DataFrame
        An indicator table (``compute``), unsuppressed.
    catalogue : Catalogue
        The catalogue the table was computed from.

    Returns
    -------
    Quantities
    """
    df = table.reset_index(drop=True)
    n = len(df)
    combo_cols = ["indicator", "group", "breakdown", "breakdown_value"]
    combo = df.groupby(combo_cols, sort=False).ngroup().to_numpy()
    firsts = df.drop_duplicates(combo_cols)[combo_cols].to_numpy(dtype=object)
    term_ids: dict[Term, int] = {}
    terms: list[Term] = []

    def tid(t: Term | None) -> int:
        if t is None:
            return -1
        if t not in term_ids:
            term_ids[t] = len(terms)
            terms.append(t)
        return term_ids[t]

    case_term = np.full((len(firsts), 2), -1, dtype=np.int64)
    src: list[tuple[int, int, int, bool]] = []  # combo, term, offset, city
    for k, (ind_id, group, breakdown, bvalue) in enumerate(firsts):
        ind = catalogue.get(ind_id)
        if ind is None:
            raise DataError(
                f"Indikator {ind_id!r} steht nicht im Katalog: ohne seine Definition ist "
                "keine Geheimhaltung möglich"
            )
        d = _definitions(ind, str(group), str(breakdown), str(bvalue))
        numerator, denominator = _CASE_KINDS.get(ind.kind, (False, False))
        if numerator:
            case_term[k, 0] = tid(d["numerator"])
        if denominator:
            case_term[k, 1] = tid(d["denominator"])
        for offset, t, area in d["sources"]:
            src.append((k, tid(t), offset, area == "city"))

    period = df["period"].to_numpy(dtype=object)
    level = df["area_level"].to_numpy(dtype=object)
    code = df["area_code"].to_numpy(dtype=object)
    x = np.stack([df[c].to_numpy(dtype="float64") for c in CASE_COLUMNS], axis=1)
    symbol = df["symbol"].to_numpy(dtype=object)
    offsets = np.array([t[2] for t in terms] + [0], dtype=np.int64)

    def shifted(p: np.ndarray, off: np.ndarray) -> np.ndarray:
        if not len(p):
            return np.empty(0, dtype=object)
        # factorise the two columns separately (a MultiIndex of 10^5 pairs is slow)
        p_codes, p_uniques = pd.factorize(p)
        o_codes, o_uniques = pd.factorize(np.asarray(off, dtype=np.int64))
        pairs, codes = np.unique(p_codes * len(o_uniques) + o_codes, return_inverse=True)
        done = np.array(
            [
                _shift(p_uniques[k // len(o_uniques)], int(o_uniques[k % len(o_uniques)]))
                for k in pairs
            ],
            dtype=object,
        )
        return done[codes.reshape(-1)]

    cells = []
    for j in range(2):
        t = case_term[combo, j]
        lost = (t < 0) & np.isfinite(x[:, j]) & _has_case(df["kind"].to_numpy(dtype=object), j)
        if lost.any():
            k = int(np.flatnonzero(lost)[0])
            raise DataError(
                f"Fallzahl ohne Definition im Katalog: {df.at[k, 'indicator']}, Gruppe "
                f"{df.at[k, 'group']!r}, Spalte {CASE_COLUMNS[j]}",
                row=k,
                column=CASE_COLUMNS[j],
            )
        ok = (t >= 0) & np.isfinite(x[:, j])
        rows = np.flatnonzero(ok)
        cells.append(
            pd.DataFrame(
                {
                    "row": rows,
                    "col": j,
                    "term": t[rows],
                    "speriod": shifted(period[rows], offsets[t[rows]]),
                    "level": level[rows],
                    "code": code[rows],
                    "value": x[rows, j],
                }
            )
        )
    cell = pd.concat(cells, ignore_index=True)
    cell["rv"] = np.round(cell["value"].to_numpy(), 6)
    key = ["term", "speriod", "level", "code", "rv"]
    cell["var"] = cell.groupby(key, sort=True).ngroup()
    vars_ = cell.drop_duplicates("var").sort_values("var")[["var", *key[:4], "value"]]
    values = vars_["value"].to_numpy(dtype="float64")
    n_var = len(values)

    cell_var = np.full((n, 2), -1, dtype=np.int64)
    cell_var[cell["row"].to_numpy(), cell["col"].to_numpy()] = cell["var"].to_numpy()
    shown = np.isfinite(x) & ~np.isin(symbol, _HIDDEN_SYMBOLS)[:, None]

    # value sources
    source_row = np.zeros(0, dtype=np.int64)
    source_var = np.zeros(0, dtype=np.int64)
    if src:
        s = pd.DataFrame(src, columns=["combo", "term", "offset", "city"])
        rows_of = pd.DataFrame({"row": np.arange(n), "combo": combo})
        s = s.merge(rows_of, on="combo")
        r = s["row"].to_numpy()
        total_off = s["offset"].to_numpy() + offsets[s["term"].to_numpy()]
        s["speriod"] = shifted(period[r], total_off)
        city = s["city"].to_numpy()
        s["level"] = np.where(city, "stadt", level[r])
        s["code"] = np.where(city, CITY_CODE, code[r])
        s = s.merge(vars_[["var", *key[:4]]], on=key[:4], how="inner")
        source_row = s["row"].to_numpy(dtype=np.int64)
        source_var = s["var"].to_numpy(dtype=np.int64)

    # lines: areas
    entries = []
    v_level = vars_["level"].to_numpy(dtype=object)
    v_code = vars_["code"].to_numpy(dtype=object)
    sub = v_level != "stadt"
    child = vars_[sub]
    parent_level = np.where(child["level"] == "stadtbezirk", "stadt", "stadtbezirk")
    parent_code = np.where(
        child["level"] == "stadtbezirk",
        CITY_CODE,
        np.array([str(c)[:2] for c in v_code[sub]], dtype=object),
    )
    parents = pd.DataFrame(
        {
            "term": child["term"].to_numpy(),
            "speriod": child["speriod"].to_numpy(),
            "level": parent_level,
            "code": parent_code,
        }
    ).merge(vars_[["var", *key[:4]]], on=key[:4], how="left")
    has_parent = parents["var"].notna().to_numpy()
    parent_var = parents["var"].to_numpy()[has_parent].astype(np.int64)
    child_var = child["var"].to_numpy()[has_parent].astype(np.int64)
    if len(child_var):
        line_of, _ = pd.factorize(parent_var, sort=True)
        eqs = area_equations(values, parent_var, child_var, line_of)
        entries.append(eqs)

    # lines: partitions
    part_lines = partition_lines(terms)
    if part_lines:
        rows = []
        for line, (total, parts) in enumerate(part_lines):
            rows.append((line, total, 1.0))
            rows.extend((line, p, -1.0) for p in parts)
        le = pd.DataFrame(rows, columns=["line", "term", "coef"])
        size = le.groupby("line").size()
        hit = instantiate(le, vars_, ["term"], size)
        if not hit.empty:
            eq_id = hit.groupby(["line", "speriod", "level", "code"], sort=True).ngroup()
            entries.append(
                pd.DataFrame(
                    {
                        "eq": eq_id.to_numpy(),
                        "var": hit["var"].to_numpy(),
                        "coef": hit["coef"].to_numpy(),
                    }
                )
            )
    eq, var, coef = stack_equations(entries)

    nonneg = np.array([terms[t][4] is None for t in vars_["term"]], dtype=bool) & (values >= 0)
    weight = np.zeros(n_var)
    n_cells = np.bincount(cell["var"], minlength=n_var).astype("float64")
    row_weight = (
        pd.Series(level).map(_LEVEL_WEIGHT).fillna(1.0).to_numpy()
        * np.where(df["breakdown"].to_numpy(dtype=object) == TOTAL, 2.0, 1.0)
        * np.where(df["group"].to_numpy(dtype=object) == TOTAL, 2.0, 1.0)
    )
    np.maximum.at(weight, cell["var"].to_numpy(), row_weight[cell["row"].to_numpy()])
    cost = weight * np.sqrt(n_cells) * (1.0 + 0.1 * np.log1p(np.abs(values)))
    return Quantities(
        values=values,
        cell_var=cell_var,
        shown=shown,
        eq=eq,
        var=var,
        coef=coef,
        nonneg=nonneg,
        cost=cost,
        source_row=source_row,
        source_var=source_var,
        period=vars_["speriod"].to_numpy(dtype=object),
    )

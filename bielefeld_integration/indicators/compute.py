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
Statistische Bezirke (small numbers). Everything is vectorised; Python loops run only over
catalogue entries, groups and breakdown dimensions. Data access is in
:mod:`~bielefeld_integration.indicators.context`, the evaluation models in
:mod:`~bielefeld_integration.indicators.kinds`; this module assembles the tidy table.

:func:`publishable` applies disclosure control, :func:`export` writes CSV, XLSX or parquet,
:func:`write_indicators` stores ``data/processed/indicators.parquet`` atomically.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bielefeld_integration import disclosure, store, symbols
from bielefeld_integration.atomic import write_with
from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import AREA_LEVELS, CITY_CODE
from bielefeld_integration.indicators.catalogue import (
    Catalogue,
    Indicator,
    load_catalogue,
)
from bielefeld_integration.indicators.context import Context, Loader, store_loader
from bielefeld_integration.indicators.kinds import KIND_FUNCTIONS, output_groups
from bielefeld_integration.periods import Period

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


def _evaluate(ctx: Context, ind: Indicator, periods: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Evaluate one indicator into column arrays (plus internal ``_*`` columns)."""
    blocks, missing = KIND_FUNCTIONS[ind.kind](ctx, ind, periods)
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
    groups = output_groups(ind)
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
    symbol[(value == 0) & np.isin(cols["kind"], _ZERO_KINDS)] = symbols.ZERO
    symbol[small] = symbols.UNRELIABLE
    symbol[np.isnan(value)] = symbols.NOT_MEANINGFUL
    symbol[missing != ""] = symbols.NOT_AVAILABLE
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
        loader = store_loader(data)
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
    ctx = Context(loader)
    frames = [_evaluate(ctx, ind, period_strs) for ind in selected]
    order = {ind_id: i for i, ind_id in enumerate(catalogue)}
    return _finish(frames, order)


#: The one atomic writer (0644); the name is kept for the export section below.
_atomic_write = write_with


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
    return write_with(target, lambda p: table.to_parquet(p, index=False))


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

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
                          ``min_denominator``; ``x`` not meaningful (no value, e.g.
                          denominator 0; no previous period for a change; no election
                          that year); ``.`` unknown (table never delivered for a past
                          period); ``...`` later (table not yet delivered for the latest
                          period)
flags              str    comma-separated, sorted: ``break``, ``missing_table``,
                          ``no_event``, ``no_previous_period``, ``provisional``,
                          ``small_denominator``
reference_date     str    latest reference date of the numerator's data (ISO), ``""`` if none
=================  =====  ==================================================================

Non-spatial breakdowns are crossed with the city and the Stadtbezirke, not with the
Statistische Bezirke (small numbers). Everything is vectorised; Python loops run only over
catalogue entries, groups and breakdown dimensions. Data access is in
:mod:`~bielefeld_integration.indicators.context`, the evaluation models in
:mod:`~bielefeld_integration.indicators.kinds`; this module assembles the tidy table.

:func:`write_indicators` stores ``data/processed/indicators.parquet`` atomically. Disclosure
control and the export are the next stage (:mod:`bielefeld_integration.disclosure`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bielefeld_integration import reads, store, symbols
from bielefeld_integration.atomic import write_with
from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import AREA_LEVELS, CITY_CODE
from bielefeld_integration.indicators.cache import IndicatorCache
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
FLAGS = (
    "break",
    "missing_table",
    "no_event",
    "no_previous_period",
    "provisional",
    "small_denominator",
)
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


def _finish(parts: list[dict[str, np.ndarray]], order: dict[str, int], latest: str) -> pd.DataFrame:
    """Assemble the evaluated indicators into the sorted table, with symbols and flags.

    ``latest`` is the latest period of the data: a table not delivered for it may still
    come (``...``); one not delivered for an earlier period is unknown (``.``, flagged
    ``missing_table``, so it is never taken for a hidden count).
    """
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
        "no_event": missing == "no_event",
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
    symbol[np.isin(missing, ["no_event", "no_previous_period"])] = symbols.NOT_MEANINGFUL
    not_delivered = missing == "missing_table"
    is_latest = cols["period"] == latest
    symbol[not_delivered & is_latest] = symbols.NOT_AVAILABLE
    symbol[not_delivered & ~is_latest] = symbols.SECRET
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
    cache: IndicatorCache | None = None,
) -> pd.DataFrame:
    """Evaluate the indicator catalogue.

    Parameters
    ----------
    periods : str, int or list, optional
        Reporting years such as ``"2017"``; default every period of the processed store.
        Required when ``load`` is given. A table missing in the latest period (of the
        store; with ``load``, of ``periods``) is shown as ``...`` (comes later), in an
        earlier period as ``.`` (unknown).
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
    cache : IndicatorCache, optional
        Reuse the rows of indicators whose inputs did not change
        (:mod:`~bielefeld_integration.indicators.cache`); the result is the same as
        without it. Ignored when ``load`` is given.

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
    known: list[str] = []
    if load is None:
        known = store.periods(data)
        plist = _as_list(periods) if periods is not None else known
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
    if cache is not None and load is None:
        ctx: Context = cache.context(loader)
        frames = [cache.evaluate(ctx, ind, period_strs, _evaluate) for ind in selected]
    else:
        ctx = Context(loader)
        frames = [_evaluate(ctx, ind, period_strs) for ind in selected]
    order = {ind_id: i for i, ind_id in enumerate(catalogue)}
    latest = max((*period_strs, *(str(Period.parse(p)) for p in known)), key=Period.parse)
    return _finish(frames, order, latest)


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
    """The stored indicator table (all values, internal).

    Reads ``<data>/indicators.parquet``. A table that is missing or does not cover exactly
    the periods of the processed store is an error (it is never recomputed silently: the
    published table would no longer match it).

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
        Columns :data:`COLUMNS`. Values are *not* disclosure-controlled; publish only
        :func:`bielefeld_integration.store.published`.

    Raises
    ------
    DataError
        If the stored table is missing or stale.

    Examples
    --------
    >>> indicators_table("2017", "DEM-02", "stadt")  # doctest: +SKIP
    """
    path = store.data_dir(data) / INDICATORS_FILE
    available = store.periods(data)
    df = None
    reads.read_file(path)  # also when missing, and whichever reader pandas picks
    if path.is_file():
        stored = pd.read_parquet(path)
        if set(COLUMNS) <= set(stored.columns) and sorted(stored["period"].unique()) == available:
            df = stored[COLUMNS]
    if df is None:
        raise DataError(
            "die Indikatortabelle fehlt oder ist veraltet (andere Berichtsjahre als die "
            "aufbereiteten Daten); `bielefeld-integration report` oder "
            "`bielefeld_integration.pipeline.prepare` ausführen",
            file=path,
        )
    return _filter(df, period, ids, area_level)


__all__ = [
    "COLUMNS",
    "FLAGS",
    "INDICATORS_FILE",
    "Loader",
    "compute",
    "empty_table",
    "indicators_table",
    "write_indicators",
]

"""Cache of evaluated indicators, keyed on exactly the processed tables each one reads.

:func:`~bielefeld_integration.indicators.compute.compute` evaluates the catalogue one
indicator at a time. With an :class:`IndicatorCache` it first looks up the rows of an
indicator under a key made of

- the code of the package (:func:`bielefeld_integration.incremental.code_fingerprint`,
  which covers the catalogue YAML) and the versions of Python and the libraries
  (:func:`~bielefeld_integration.incremental.dependency_versions`);
- the indicator's definition (its validated catalogue entry) and the evaluated periods;
- the SHA-256 of every processed table file the indicator reads, for every period it reads
  (the reporting periods, the previous period of a side with ``period: previous``, and for
  a change the period before that as well), or the note that a file is missing.

After one delivery file of one period changed, only the indicators that read that table
are evaluated again; the others are read from the cache. The evaluated rows go through the
same assembly (:func:`~bielefeld_integration.indicators.compute.compute` sorts, sets
symbols and flags), so ``indicators.parquet`` is byte-identical to a full computation.

An entry is written only when the tables the evaluation actually read (recorded by
:class:`TracingContext`) are among the declared ones, so a kind that reads more than its
sides say can never be served from a key that misses an input.

The cache lives in ``<data>/.stage-cache/indicators/<key>.npz`` (NumPy arrays, read without
pickle), written atomically. It can be deleted at any time; an unreadable or inconsistent
entry counts as missing and is evaluated again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from bielefeld_integration.incremental import (
    NpzEntries,
    code_fingerprint,
    dependency_versions,
    digest_parts,
)
from bielefeld_integration.indicators.context import Context, Loader, Stack, source_period
from bielefeld_integration.indicators.schema import Indicator, Side
from bielefeld_integration.manifest import sha256_of
from bielefeld_integration.periods import Period
from bielefeld_integration.store import data_dir

__all__ = ["CACHE_DIR", "IndicatorCache", "TracingContext", "inputs"]

#: Folder of the stage caches inside the processed store.
CACHE_DIR = ".stage-cache"
_LAYOUT = b"indicator-cache 1"
#: Evaluated columns and their kind: "s" text, "f" float, "i" integer, "b" boolean.
_COLUMNS = {
    "period": "s",
    "group": "s",
    "_group_rank": "i",
    "area_level": "s",
    "area_code": "s",
    "breakdown": "s",
    "_dim_rank": "i",
    "breakdown_value": "s",
    "value": "f",
    "numerator": "f",
    "denominator": "f",
    "_small": "b",
    "_missing": "s",
    "reference_date": "s",
    "_break": "b",
    "_provisional": "b",
    "indicator": "s",
    "kind": "s",
    "unit": "s",
}

#: NumPy dtype kind and type of each kind of column.
_KINDS = {"s": ("U", object), "f": ("f", np.float64), "i": ("i", np.int64), "b": ("b", np.bool_)}

Evaluated = dict[str, np.ndarray]


def inputs(ind: Indicator, periods: Iterable[str]) -> set[tuple[str, str]]:
    """The ``(table, period)`` pairs an indicator reads when evaluated for ``periods``.

    Every side reads its table in the period shifted by its ``period_offset``; a change
    is evaluated for each period and the one before it, so its sides read one period
    further back as well.
    """
    back = (0, -1) if ind.kind == "change" else (0,)
    return {
        (side.table, source_period(p, side.period_offset + k))
        for side in ind.sides()
        for p in periods
        for k in back
    }


class TracingContext(Context):
    """A :class:`~.context.Context` that records which ``(table, period)`` pairs are read."""

    def __init__(self, loader: Loader) -> None:
        super().__init__(loader)
        self.reads: set[tuple[str, str]] = set()

    def frame(self, table: str, period: str) -> pd.DataFrame | None:
        self.reads.add((table, period))
        return super().frame(table, period)

    def stack(self, side: Side, periods: tuple[str, ...]) -> Stack:
        # recorded here as well: a stack built for an earlier indicator loads no frame
        self.reads.update((side.table, source_period(p, side.period_offset)) for p in periods)
        return super().stack(side, periods)


class IndicatorCache(NpzEntries):
    """Evaluated indicators of one processed store, keyed on what each one reads.

    Parameters
    ----------
    data : str or Path, optional
        The processed store (default as in :func:`bielefeld_integration.store.data_dir`).
    read : bool, default True
        Whether entries are reused; ``False`` (``--force``) evaluates every indicator and
        only refreshes the cache.

    Attributes
    ----------
    evaluated, reused : int
        Indicators evaluated and indicators read from the cache so far.
    """

    def __init__(self, data: str | Path | None = None, *, read: bool = True) -> None:
        self.root = data_dir(data)
        super().__init__(self.root / CACHE_DIR / "indicators", read=read)
        self.evaluated = 0
        self.reused = 0
        self._digests: dict[tuple[str, str], str] = {}

    def context(self, loader: Loader) -> TracingContext:
        """The context to evaluate with (it records what each evaluation reads)."""
        return TracingContext(loader)

    def _digest(self, table: str, period: str) -> str:
        """SHA-256 of a processed table file, ``-`` if it (or its period) is missing."""
        pair = (table, period)
        if pair not in self._digests:
            folder = self.root / period
            path = folder / f"{table}.parquet"
            if path.is_file() and (folder / "provenance.json").is_file():
                self._digests[pair] = sha256_of(path)
            else:
                self._digests[pair] = "-"
        return self._digests[pair]

    def key(self, ind: Indicator, periods: tuple[str, ...]) -> str:
        """The cache key of ``ind`` evaluated for ``periods`` (see the module docstring)."""
        return digest_parts(
            _LAYOUT,
            code_fingerprint(),
            dependency_versions(),
            repr(ind),
            ",".join(periods),
            *[
                f"{table}\0{period}\0{self._digest(table, period)}"
                for table, period in sorted(inputs(ind, periods), key=_by_period)
            ],
        )

    def load(self, key: str) -> Evaluated | None:
        """The stored evaluation of ``key``, or ``None`` if missing or damaged."""
        stored = self._arrays(key)
        if stored is None or set(stored) != set(_COLUMNS):
            return None
        sizes = {len(stored[name]) for name in _COLUMNS}
        if len(sizes) != 1:
            return None
        out: Evaluated = {}
        for name, kind in _COLUMNS.items():
            arr = stored[name]
            stored_kind, dtype = _KINDS[kind]
            if arr.ndim != 1 or (arr.dtype.kind != stored_kind and len(arr)):
                return None
            out[name] = arr.astype(dtype)
        return out

    def store(self, key: str, evaluated: Evaluated) -> None:
        """Write the evaluation of ``key`` (atomically)."""
        arrays: dict[str, np.ndarray] = {}
        n = len(evaluated.get("period", ()))
        for name, kind in _COLUMNS.items():
            arr = evaluated[name] if n else np.zeros(0)
            if kind == "s":
                arrays[name] = np.asarray(arr, dtype=object).astype(str)
            else:
                arrays[name] = np.asarray(arr, dtype=_KINDS[kind][1])
        self._write(key, arrays)

    def evaluate(
        self,
        ctx: Context,
        ind: Indicator,
        periods: tuple[str, ...],
        evaluate: Callable[[Context, Indicator, tuple[str, ...]], Evaluated],
    ) -> Evaluated:
        """The rows of ``ind``: from the cache, else ``evaluate(ctx, ind, periods)``."""
        key = self.key(ind, periods)
        self._used.add(key)
        if self.read:
            found = self.load(key)
            if found is not None:
                self.reused += 1
                return found
        if isinstance(ctx, TracingContext):
            ctx.reads = set()
        result = evaluate(ctx, ind, periods)
        self.evaluated += 1
        # stored only if everything it read is in the key and it has exactly the known columns
        traced = isinstance(ctx, TracingContext) and ctx.reads <= inputs(ind, periods)
        known = set(result) == set(_COLUMNS) or not len(result.get("period", ()))
        if traced and known:
            self.store(key, result)
        return result


def _by_period(pair: tuple[str, str]) -> tuple[Period, str]:
    return Period.parse(pair[1]), pair[0]

"""The indicator cache: only indicators whose input tables changed are evaluated again.

(Named ``test_indicator_cache`` because ``tests/report`` has a ``test_cache`` module too.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from bielefeld_integration import store
from bielefeld_integration.indicators.cache import (
    CACHE_DIR,
    IndicatorCache,
    TracingContext,
    inputs,
)
from bielefeld_integration.indicators.catalogue import load_catalogue
from bielefeld_integration.indicators.compute import _evaluate, compute, write_indicators
from bielefeld_integration.indicators.context import store_loader


def _copy_store(demo_store: Path, target: Path) -> Path:
    shutil.copytree(demo_store, target)
    shutil.rmtree(target / CACHE_DIR, ignore_errors=True)
    return target


def _built(data: Path, cache: IndicatorCache | None = None) -> bytes:
    return write_indicators(compute(data=data, cache=cache), data).read_bytes()


def _change_count(data: Path, table: str, period: str) -> None:
    """Add one to the first count of a processed table (as a corrected delivery would)."""
    path = data / period / f"{table}.parquet"
    df = pd.read_parquet(path)
    df.loc[0, "count"] = df.loc[0, "count"] + 1
    df.to_parquet(path, index=False)


@pytest.fixture(scope="module")
def data(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _copy_store(demo_store, tmp_path_factory.mktemp("indicator-cache") / "store")


def test_cached_build_is_byte_identical_to_a_full_one(data: Path) -> None:
    full = _built(data)
    first = IndicatorCache(data)
    assert _built(data, first) == full
    n = len(load_catalogue().computable())
    assert (first.evaluated, first.reused) == (n, 0)
    again = IndicatorCache(data)
    assert _built(data, again) == full
    assert (again.evaluated, again.reused) == (0, n)
    forced = IndicatorCache(data, read=False)  # --force: evaluates all, same file
    assert _built(data, forced) == full
    assert (forced.evaluated, forced.reused) == (n, 0)


def test_a_changed_table_re_evaluates_only_the_indicators_that_read_it(
    demo_store: Path, tmp_path: Path
) -> None:
    data = _copy_store(demo_store, tmp_path / "store")
    _built(data, IndicatorCache(data))
    _change_count(data, "naturalisations", "2019")
    periods = tuple(store.periods(data))
    catalogue = load_catalogue().computable()
    readers = {i.id for i in catalogue if ("naturalisations", "2019") in inputs(i, periods)}
    assert 0 < len(readers) < len(catalogue)
    assert "DEM-02" not in readers  # the foreign population share reads population only

    cache = IndicatorCache(data)
    incremental = _built(data, cache)
    assert (cache.evaluated, cache.reused) == (len(readers), len(catalogue) - len(readers))
    assert incremental == _built(data)  # the same bytes as a full computation
    assert cache.prune() == len(readers)  # the entries of the old table are gone


def test_a_previous_period_is_an_input_of_changes_and_previous_year_terms(data: Path) -> None:
    periods = tuple(store.periods(data))
    catalogue = load_catalogue().computable()
    change = next(i for i in catalogue if i.kind == "change")
    assert any(p == "2013" for _, p in inputs(change, periods))
    previous = [i for i in catalogue if any(s.period_offset for s in i.sides())]
    assert previous, "the catalogue has terms of the previous period"
    for ind in previous:
        assert {p for _, p in inputs(ind, ("2017",))} >= {"2016"}


def test_every_table_an_indicator_reads_is_part_of_its_key(data: Path) -> None:
    periods = tuple(store.periods(data))
    for ind in load_catalogue().computable():
        ctx = TracingContext(store_loader(data))  # fresh: every read is recorded
        _evaluate(ctx, ind, periods)
        assert ctx.reads and ctx.reads <= inputs(ind, periods), ind.id


def test_damaged_or_foreign_entries_are_evaluated_again(data: Path) -> None:
    full = _built(data)
    _built(data, IndicatorCache(data))
    entries = sorted((data / CACHE_DIR / "indicators").glob("*.npz"))
    assert len(entries) == len(load_catalogue().computable())
    entries[0].write_bytes(b"kaputt")
    entries[1].write_bytes(entries[1].read_bytes()[:100])  # cut off, as by a crash
    shutil.copy(entries[3], entries[2])  # an entry under another key
    cache = IndicatorCache(data)
    assert _built(data, cache) == full
    assert cache.evaluated == 3
    assert IndicatorCache(data).load(entries[0].stem) is not None  # written again


def test_cache_is_not_used_with_an_injected_loader(data: Path) -> None:
    cache = IndicatorCache(data)
    loader = store_loader(data)
    df = compute(["2017"], ["DEM-02"], load=loader, cache=cache)
    assert len(df) and (cache.evaluated, cache.reused) == (0, 0)

"""The build: ingest -> indicators -> disclosure stage, once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bielefeld_integration import store
from bielefeld_integration.errors import DataError
from bielefeld_integration.pipeline import build_indicators


def test_demo_build_writes_indicators_and_the_published_table(demo_store: Path) -> None:
    assert (demo_store / store.INDICATORS_FILE).is_file()
    published = store.published(demo_store)
    truth = pd.read_parquet(demo_store / store.INDICATORS_FILE)
    assert len(published) == len(truth)
    assert sorted(published["period"].unique()) == store.periods(demo_store)


def test_build_indicators_needs_processed_periods(tmp_path: Path) -> None:
    indicators, report = build_indicators(tmp_path)  # an empty store: empty tables
    assert indicators.is_file() and report.path.is_file() and report.rows == 0
    with pytest.raises(DataError):
        store.load("population", "2017", tmp_path)

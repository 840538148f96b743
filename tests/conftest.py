"""Shared fixtures: one processed demo store per test session.

Tests that need processed data never depend on a store the user may or may not have built
(``data/processed``): they get a fresh one, ingested from the committed ``data/raw`` into a
temporary folder, with the indicator table computed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> Path:
    """A processed store of all demo periods (2014–2019) with ``indicators.parquet``."""
    from bielefeld_integration.indicators.compute import compute, write_indicators
    from bielefeld_integration.ingest import ingest_all

    data = tmp_path_factory.mktemp("demo-store")
    ingest_all(ROOT / "data" / "raw", data)
    write_indicators(compute(data=data), data)
    return data

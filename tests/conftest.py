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
    """A processed store of all demo periods (2014–2019): ``indicators.parquet`` and the
    disclosure stage's ``published.parquet`` (one build, :func:`pipeline.prepare`)."""
    from bielefeld_integration.pipeline import prepare

    data = tmp_path_factory.mktemp("demo-store")
    prepare(ROOT / "data" / "raw", data)
    return data

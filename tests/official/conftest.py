"""One ingested official store per test session (from the committed ``data/official``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bielefeld_integration.official.ingest import ingest_official

ROOT = Path(__file__).resolve().parents[2]
OFFICIAL = ROOT / "data" / "official"


@pytest.fixture(scope="session")
def official_store(tmp_path_factory) -> Path:
    """A processed store holding only ``official/`` (ingested once per session)."""
    data = tmp_path_factory.mktemp("official-store")
    ingest_official(OFFICIAL, data)
    return data


@pytest.fixture(scope="session")
def official_tables(official_store):
    from bielefeld_integration.official import compare
    from bielefeld_integration.official.ingest import load_official

    return {name: load_official(name, official_store) for name in compare.TABLES}

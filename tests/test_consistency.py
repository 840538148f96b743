"""Cross-file checks of one delivery."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from bielefeld_integration.consistency import check_delivery
from bielefeld_integration.errors import DataError
from bielefeld_integration.ingest import ingest_period

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
FILES = {"population": "reg_a.csv", "population_origin": "reg_b.csv", "daycare": "kjh.csv"}


def _pop(n_minor: int, n_adult: int) -> pd.DataFrame:
    rows = [
        ("0101", "01", "m", "00-02", "deutsch", "ohne", n_minor),
        ("0101", "01", "m", "25-44", "deutsch", "ohne", n_adult),
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "stat_bezirk",
            "stadtbezirk",
            "sex",
            "age_group",
            "citizenship",
            "migration_background",
            "count",
        ],
    )


def _origin(n_minor: int, n_adult: int) -> pd.DataFrame:
    rows = [
        ("01", "deutsch", "ohne", "Deutschland", "ja", n_minor),
        ("01", "deutsch", "ohne", "Deutschland", "nein", n_adult),
    ]
    return pd.DataFrame(
        rows,
        columns=["stadtbezirk", "citizenship", "migration_background", "origin", "minor", "count"],
    )


def _care(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        [("01", "unter 3", "ohne", "deutsch", n)],
        columns=["stadtbezirk", "age_group", "migration_background", "family_language", "count"],
    )


def test_consistent_delivery_has_no_problems():
    tables = {
        "population": _pop(100, 900),
        "population_origin": _origin(100, 900),
        "daycare": _care(40),
    }
    assert check_delivery(tables, FILES) == []


def test_register_extracts_that_disagree_are_reported_with_both_files():
    problems = check_delivery(
        {"population": _pop(100, 900), "population_origin": _origin(100, 901)}, FILES
    )
    assert len(problems) == 1
    msg = str(problems[0])
    assert msg.startswith("reg_b.csv") and "reg_a.csv" in msg and "900" in msg and "901" in msg


def test_more_children_in_daycare_than_living_in_the_district():
    # 100 children under 3 live in Stadtbezirk 01; 111 in day care exceed the 10 % tolerance
    tables = {"population": _pop(100, 900), "daycare": _care(111)}
    problems = check_delivery(tables, FILES)
    assert len(problems) == 1 and "111 in Betreuung" in str(problems[0])
    assert check_delivery({"population": _pop(100, 900), "daycare": _care(110)}, FILES) == []


def test_ingest_refuses_a_delivery_whose_files_disagree(tmp_path, disagreeing_register):
    raw = tmp_path / "raw"
    shutil.copytree(RAW / "2017", raw / "2017")
    disagreeing_register(raw / "2017")
    with pytest.raises(DataError, match="Registerauszüge passen nicht zusammen"):
        ingest_period("2017", raw, tmp_path / "processed")
    assert not (tmp_path / "processed" / "2017").exists()

"""The long-format download of all indicators: German area names."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import CITY_CODE
from bielefeld_integration.present.long_format import LONG_COLUMNS, long_table


def _published(level: str, code: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "period": "2017",
                "indicator": "DEM-01",
                "kind": "count",
                "area_level": level,
                "area_code": code,
                "group": "insgesamt",
                "breakdown": "insgesamt",
                "breakdown_value": "insgesamt",
                "value": 120.0,
                "numerator": 120.0,
                "denominator": math.nan,
                "unit": "Personen",
                "symbol": "",
                "flags": "",
                "reference_date": "2017-12-31",
            }
        ]
    )


@pytest.mark.parametrize(
    ("level", "code", "name"),
    [
        ("stadt", CITY_CODE, "Bielefeld"),
        ("stadtbezirk", "02", "Schildesche"),
        ("stat_bezirk", "0217", "17 Vorwerk Schildesche"),
    ],
)
def test_areas_are_named_as_the_city_writes_them(level: str, code: str, name: str) -> None:
    row = long_table(_published(level, code)).iloc[0]
    assert list(row.index) == LONG_COLUMNS
    assert row["Gebiet"] == name and row["Gebietsschlüssel"] == code


def test_an_unknown_area_key_is_refused_not_shown_as_its_key() -> None:
    with pytest.raises(DataError, match="9999"):
        long_table(_published("stat_bezirk", "9999"))

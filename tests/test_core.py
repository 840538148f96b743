"""Period, geography, DataError and the demo allocation helper."""

import pytest

from bielefeld_integration.demo.world import allocate
from bielefeld_integration.errors import DataError, DataErrors
from bielefeld_integration.geography import (
    CITY_CODE,
    STADTBEZIRKE,
    STAT_BEZIRKE,
    area_name,
    areas,
    check_district,
    stadtbezirk_of,
)
from bielefeld_integration.periods import Period


@pytest.mark.parametrize("text", ["2014", "2017", "2099", 2019])
def test_period_parses_years(text):
    assert str(Period.parse(text)) == str(text)


@pytest.mark.parametrize(
    "bad",
    [
        "../x",
        "2017; rm",
        "17",
        "20171",
        "2017 ",
        " 2017",
        "",
        "abcd",
        "1899",
        None,
        2017.0,
        True,
        "2017/18",
        "２０１７",
    ],
)
def test_period_refuses_anything_else(bad):
    with pytest.raises(DataError, match="Berichts"):
        Period.parse(bad)


def test_period_navigation_and_dates():
    p = Period.parse("2017")
    assert p.previous == Period(2016) and p.next == Period(2018)
    assert p.reference_date().isoformat() == "2017-12-31"
    assert p.reference_date("kjh").isoformat() == "2017-03-01"
    assert p.reference_date("employees").isoformat() == "2017-06-30"
    assert sorted([Period(2019), Period(2015)]) == [Period(2015), Period(2019)]
    with pytest.raises(ValueError):
        p.reference_date("weekly")


def test_geography_codes_are_strings_with_leading_zeros():
    assert CITY_CODE == "05711000"
    assert list(STADTBEZIRKE) == [f"{i:02d}" for i in range(1, 11)]
    assert STADTBEZIRKE["03"] == "Gadderbaum" and STADTBEZIRKE["06"] == "Jöllenbeck"
    assert len(STAT_BEZIRKE) == 72
    assert all(isinstance(c, str) and len(c) == 4 for c in STAT_BEZIRKE)
    assert {sb for _, sb in STAT_BEZIRKE.values()} == set(STADTBEZIRKE)
    assert all(code.startswith(sb) for code, (_, sb) in STAT_BEZIRKE.items())


def test_geography_lookups():
    assert stadtbezirk_of("0701") == "07"
    assert area_name("01") == "Mitte" and area_name(CITY_CODE) == "Bielefeld"
    assert check_district("10") == "10"
    for bad in ["1", 1, "11", "0101", None]:
        with pytest.raises(DataError):
            check_district(bad)
    with pytest.raises(DataError, match="9999"):
        stadtbezirk_of("9999")
    a = areas()
    assert a.area_level.value_counts().to_dict() == {
        "stat_bezirk": 72,
        "stadtbezirk": 10,
        "stadt": 1,
    }


def test_data_error_names_file_row_column():
    e = DataError("negative Anzahl -3", file="x.csv", row=7, column="Anzahl")
    assert str(e) == "x.csv, Zeile 7, Spalte »Anzahl«: negative Anzahl -3"
    assert isinstance(e, ValueError)
    many = DataErrors([e, DataError("leer", file="y.csv")])
    assert "x.csv, Zeile 7" in str(many) and "y.csv: leer" in str(many)


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (10, [1, 1, 1], [4, 3, 3]),
        (7, [0, 1, 0], [0, 7, 0]),
        (0, [1, 2], [0, 0]),
        (5, [0.5, 0.25, 0.25], [3, 1, 1]),
    ],
)
def test_allocate_is_exact(total, weights, expected):
    assert allocate(total, weights).tolist() == expected

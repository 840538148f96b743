"""Period, geography, DataError and the demo allocation helper."""

import csv
from collections import Counter
from pathlib import Path

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
    normalise_stat_bezirk,
    official_key,
    stadtbezirk_of,
    stat_bezirk_label,
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
    # the last two digits are the city's own numbers 01 … 72, in the city's order
    assert [c[2:] for c in STAT_BEZIRKE] == [f"{i:02d}" for i in range(1, 73)]


def test_geography_has_the_real_statistische_bezirke():
    assert STAT_BEZIRKE["0101"] == ("Alt- und Neustadt", "01")
    assert STAT_BEZIRKE["0217"] == ("Vorwerk Schildesche", "02")
    assert STAT_BEZIRKE["0327"] == ("Bethel", "03")
    assert STAT_BEZIRKE["0752"] == ("Baumheide (inkl. Halhof)", "07")
    assert STAT_BEZIRKE["1072"] == ("Windflöte", "10")
    per_district = Counter(sb for _, sb in STAT_BEZIRKE.values())
    assert per_district == {
        "01": 16,
        "02": 9,
        "03": 3,
        "04": 10,
        "05": 6,
        "06": 4,
        "07": 10,
        "08": 6,
        "09": 4,
        "10": 4,
    }


def test_geography_matches_the_city_open_data():
    """Names, numbers and Stadtbezirk agree with the city's own file, row by row."""
    path = Path("data/official/bielefeld-open-data/bielefeld_bev_struktur_2000bis2019.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = {
            (r["stat_id"], r["stat_name"], r["stad_name"], r["stad_id_k"])
            for r in csv.DictReader(fh, delimiter=";")
        }
    assert len(rows) == 72
    for key, name, district_name, district_short in rows:
        code = normalise_stat_bezirk(key)
        assert STAT_BEZIRKE[code][0] == name
        assert STADTBEZIRKE[stadtbezirk_of(code)] == district_name
        assert stadtbezirk_of(code) == f"{int(district_short) + 1:02d}"
        assert official_key(code) == key


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("0217", "0217"),
        ("17", "0217"),
        ("5", "0105"),
        ("05711000117", "0217"),
        ("5711000117", "0217"),  # household file: key without the leading zero
        (" 5711000972 ", "1072"),
    ],
)
def test_normalise_stat_bezirk_accepts_the_city_forms(given, code):
    assert normalise_stat_bezirk(given) == code


@pytest.mark.parametrize(
    "bad", ["0117", "73", "00", "05711000217", "5711000001x", "", None, 17, "1.7", "٠١"]
)
def test_normalise_stat_bezirk_refuses_anything_else(bad):
    with pytest.raises(DataError, match="Statistischer Bezirk"):
        normalise_stat_bezirk(bad)


def test_geography_lookups():
    assert stadtbezirk_of("0752") == "07"
    assert area_name("01") == "Mitte" and area_name(CITY_CODE) == "Bielefeld"
    assert area_name("0862") == "Stieghorst stb"
    assert stat_bezirk_label("0217") == "17 Vorwerk Schildesche"
    assert official_key("0101") == "05711000001"
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
    assert a.loc[a.area_code == "0217", "parent_code"].item() == "02"


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

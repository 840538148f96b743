"""Comparison series: label selection on hand-made frames and hand-checked real values."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from bielefeld_integration.errors import DataError
from bielefeld_integration.official import compare
from bielefeld_integration.official.compare import (
    INDICATORS,
    KREISFREIE_STAEDTE_NRW,
    REGIONS,
    age_bounds,
    select,
    select_ages,
)

RAW = Path(__file__).resolve().parents[2] / "data" / "official" / "regionalstatistik"


def _frame(rows, dims=("Nationalität", "Geschlecht", "measure")):
    cols = ["time", "region_code", "region_name", *dims, "value", "symbol"]
    return pd.DataFrame(rows, columns=cols)


SMALL = _frame(
    [
        ("2015-12-31", "05711", "Bielefeld", "Insgesamt", "Insgesamt", "Bevölkerung", 100.0, ""),
        (
            "2015-12-31",
            "05711",
            "Bielefeld",
            "Ausländer(innen)",
            "Insgesamt",
            "Bevölkerung",
            20.0,
            "",
        ),
        (
            "2015-12-31",
            "05711",
            "Bielefeld",
            "Ausländer(innen)",
            "weiblich",
            "Bevölkerung",
            9.0,
            "",
        ),
        ("2015-12-31", "05", "NRW", "Insgesamt", "Insgesamt", "Bevölkerung", 1000.0, ""),
        (
            "2015-12-31",
            "05",
            "NRW",
            "Ausländer(innen)",
            "Insgesamt",
            "Bevölkerung",
            float("nan"),
            ".",
        ),
        ("2015-12-31", "09162", "München", "Insgesamt", "Insgesamt", "Bevölkerung", 7.0, ""),
    ]
)


def test_select_matches_labels_whatever_the_columns_are_called():
    total = select(SMALL)
    assert total.to_dict() == {("05711", "2015"): 100.0, ("05", "2015"): 1000.0}
    foreign = select(SMALL, "Ausländer(innen)")
    assert foreign[("05711", "2015")] == 20.0 and math.isnan(foreign[("05", "2015")])
    renamed = SMALL.rename(columns={"Nationalität": "Merkmal_1", "Geschlecht": "unit"})
    assert select(renamed, "Ausländer(innen)", "weiblich").to_dict() == {("05711", "2015"): 9.0}
    assert ("09162", "2015") not in total  # only the regions of the comparison


def test_select_refuses_an_ambiguous_cell():
    doubled = pd.concat([SMALL, SMALL.iloc[[0]]], ignore_index=True)
    with pytest.raises(DataError, match="mehrdeutig"):
        select(doubled)


def test_age_groups_must_cover_the_range():
    ages = _frame(
        [
            ("2015-12-31", "05711", "B", "Insgesamt", "unter 15 Jahre", "x", 10.0, ""),
            ("2015-12-31", "05711", "B", "Insgesamt", "15 bis unter 65 Jahre", "x", 60.0, ""),
            ("2015-12-31", "05711", "B", "Insgesamt", "65 Jahre und mehr", "x", 30.0, ""),
            ("2015-12-31", "05711", "B", "Insgesamt", "Insgesamt", "x", 100.0, ""),
        ],
        dims=("Nationalität", "Altersgruppen", "measure"),
    )
    assert select_ages(ages, 0, 65).to_dict() == {("05711", "2015"): 70.0}
    assert select_ages(ages, 15, 200).to_dict() == {("05711", "2015"): 90.0}
    with pytest.raises(DataError, match="lückenlos"):
        select_ages(ages, 10, 65)
    assert age_bounds("90 Jahre und mehr") == (90, 200) and age_bounds("Insgesamt") is None


def test_regions_are_bielefeld_nrw_detmold_and_the_22_kreisfreie_staedte():
    assert len(KREISFREIE_STAEDTE_NRW) == 22
    assert list(REGIONS)[:3] == ["05711", "05", "057"] and len(REGIONS) == 24


def _bielefeld_2015_ages() -> dict[str, tuple[int, int]]:
    """Straight from the CSV, without the GENESIS reader: age -> (total, foreigners)."""
    out = {}
    with (RAW / "12411-03-03-4_00.csv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter=";"):
            if len(row) > 10 and row[1] == "05711":
                out[row[3]] = (int(row[4]), int(row[10]))
    return out


@pytest.fixture(scope="module")
def series(official_tables) -> pd.DataFrame:
    return compare.compute(official_tables)


def _value(series, ind, year, region="05711"):
    hit = series[(series.indicator == ind) & (series.year == year) & (series.region_code == region)]
    assert len(hit) == 1, (ind, year, region)
    return hit.iloc[0]


def test_hand_checked_bielefeld_values(series):
    ages = _bielefeld_2015_ages()
    lower = {
        a: 0 if a.startswith("unter") else int(a.split(" ")[0]) for a in ages if a != "Insgesamt"
    }
    under65 = sum(ages[a][0] for a, lo in lower.items() if lo < 65)
    foreign_15_65 = sum(ages[a][1] for a, lo in lower.items() if 15 <= lo < 65)
    expected = {
        ("auslaenderanteil", "2015"): 100 * 43_548 / 333_090,
        ("auslaenderanteil", "2010"): 100 * 38_585 / 323_270,
        ("einbuergerungsquote", "2016"): 100 * 456 / 43_548,
        ("auslaenderanteil_arbeitslose", "2016"): 100 * 5_210 / 15_152,
        ("sgb2_quote", "2015"): 100 * 36_373 / under65,
        ("sgb2_quote_auslaender", "2015"): 100 * 13_765 / 39_145,
        ("beschaeftigungsquote_auslaender", "2015"): 100 * 12_333 / foreign_15_65,
        ("asylblg_je_1000", "2015"): 1000 * 3_870 / 331_436,
        ("wanderungssaldo_ausland", "2015"): 1000 * (6_235 - 2_544) / 331_436,
        ("kita_auslaendische_herkunft", "2016"): 100 * 5_882 / 12_203,
    }
    assert under65 == 266_845 and foreign_15_65 == 34_123
    for (ind, year), value in expected.items():
        assert _value(series, ind, year).value == pytest.approx(value, rel=1e-12), ind


def test_series_only_where_the_tables_hold_both_parts(series):
    years = series[series.region_code == "05711"].groupby("indicator")["year"].agg(list)
    assert years["auslaenderanteil"] == ["2010", "2015"]
    assert years["einbuergerungsquote"] == ["2011", "2016"]  # foreigners of the previous year
    assert years["sgb2_quote"] == ["2010", "2015"]  # SGB II 2016 exists, population does not
    assert years["auslaenderanteil_arbeitslose"] == [str(y) for y in range(2001, 2017)]
    assert years["kita_auslaendische_herkunft"] == [str(y) for y in range(2011, 2017)]
    assert max(series.year) == "2016"  # nothing extrapolated
    assert set(series.indicator) == set(INDICATORS)
    assert series.groupby("indicator").region_code.nunique().eq(24).all()

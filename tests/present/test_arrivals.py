"""Family reunification and EU arrivals by nationality and sex, disclosure-controlled."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from scipy.optimize import linprog

from bielefeld_integration.errors import DataError
from bielefeld_integration.present.arrivals import (
    OTHERS,
    TOTAL_COLUMN,
    TOTAL_ROW,
    arrival_table,
    arrivals_by_nationality,
    arrivals_table,
)


def arrivals(counts: dict[tuple[str, str, str], int]) -> pd.DataFrame:
    rows = [
        {
            "half": "1",
            "channel": ch,
            "nationality": nat,
            "sex": sex,
            "age_group": "25-44",
            "stadtbezirk": "01",
            "count": n,
            "reference_date": "2017-12-31",
        }
        for (ch, nat, sex), n in counts.items()
    ]
    return pd.DataFrame(rows)


BIG = {
    ("familiennachzug", "Irak", "m"): 48,
    ("familiennachzug", "Irak", "w"): 107,
    ("familiennachzug", "Syrien", "m"): 44,
    ("familiennachzug", "Syrien", "w"): 78,
    ("familiennachzug", "Eritrea", "m"): 10,
    ("familiennachzug", "Eritrea", "w"): 12,
    ("eu", "Polen", "w"): 5,
    ("zuweisung", "Irak", "m"): 60,
}


def attack(counts: pd.DataFrame, hidden: list, cell) -> tuple[float, float]:
    """Smallest and largest value of a hidden cell consistent with everything published."""
    index = {c: i for i, c in enumerate(hidden)}
    rows = [r for r in counts.index if r != TOTAL_ROW]
    cols = [c for c in counts.columns if c != TOTAL_COLUMN]
    lines = [[(r, c) for c in cols] + [(r, TOTAL_COLUMN)] for r in [*rows, TOTAL_ROW]]
    lines += [[(r, c) for r in rows] + [(TOTAL_ROW, c)] for c in [*cols, TOTAL_COLUMN]]
    a_eq, b_eq = [], []
    for line in lines:  # parts minus total = 0
        coef = [0.0] * len(hidden)
        rest = 0.0
        for k, key in enumerate(line):
            sign = -1.0 if k == len(line) - 1 else 1.0
            if key in index:
                coef[index[key]] += sign
            else:
                rest -= sign * counts.loc[key]
        a_eq.append(coef)
        b_eq.append(rest)
    c = [0.0] * len(hidden)
    c[index[cell]] = 1.0
    bounds = [(1, None)] * len(hidden)
    low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds).fun
    high = -linprog([-v for v in c], A_eq=a_eq, b_eq=b_eq, bounds=bounds).fun
    return low, high


def test_counts_by_nationality_and_sex_with_totals():
    t = arrivals_by_nationality(arrivals(BIG), "familiennachzug", ["Irak", "Syrien"])
    assert list(t.index) == ["Irak", "Syrien", OTHERS, TOTAL_ROW]
    assert list(t.columns) == ["männlich", "weiblich", TOTAL_COLUMN]
    assert t.loc["Irak"].tolist() == [48, 107, 155]
    assert t.loc[OTHERS].tolist() == [10, 12, 22]
    assert t.loc[TOTAL_ROW].tolist() == [102, 197, 299]  # other channels are not counted


def test_table_shows_german_numbers_and_downloads_raw_numbers():
    table = arrival_table(arrivals(BIG), "familiennachzug", "2017")
    assert table.caption == (
        "Familiennachzug nach Staatsangehörigkeit und Geschlecht, 2017 (Personen)"
    )
    assert table.display.loc["Irak", "insgesamt"] == "155"
    assert list(table.data.columns) == [
        "Jahr",
        "Zugangsweg",
        "Staatsangehörigkeit",
        "Geschlecht",
        "Personen",
        "Zeichen",
    ]
    row = table.data[
        (table.data["Staatsangehörigkeit"] == "Irak") & (table.data["Geschlecht"] == "weiblich")
    ]
    assert row["Personen"].tolist() == [107] and row["Zeichen"].tolist() == [""]


def test_small_counts_are_hidden_and_cannot_be_recomputed():
    small = dict(BIG)
    small[("familiennachzug", "Syrien", "w")] = 2
    table = arrival_table(arrivals(small), "familiennachzug", "2017")
    shown = table.display
    assert shown.loc["Syrien", "weiblich"] == "."
    hidden = [
        (r, c) for r, c in itertools.product(shown.index, shown.columns) if shown.loc[r, c] == "."
    ]
    assert len(hidden) >= 4  # a hidden cell never stands alone in its row or column
    hidden_data = table.data[table.data["Zeichen"] == "."]
    assert hidden_data["Personen"].isna().all() and len(hidden_data) == len(hidden)
    # an attacker who knows the published cells, the sums and that hidden cells are >= 1
    # cannot narrow any hidden cell to an interval narrower than 3
    counts = arrivals_by_nationality(arrivals(small), "familiennachzug", ["Irak", "Syrien"])
    for cell in hidden:
        low, high = attack(counts, hidden, cell)
        assert high - low >= 3, (cell, low, high)


def test_exact_zero_is_a_dash_and_no_data_is_refused():
    table = arrival_table(arrivals(BIG), "eu", "2017")
    assert table.display.loc["Bulgarien", "männlich"] == "\u2013"
    with pytest.raises(DataError, match="fehlen Spalten"):
        arrivals_by_nationality(pd.DataFrame({"channel": []}), "eu", ["Polen"])
    with pytest.raises(ValueError, match="unknown channel"):
        arrival_table(arrivals(BIG), "zuweisung", "2017")


def test_demo_store_tables_for_every_period(demo_store):
    for period in ("2014", "2017", "2019"):
        for channel in ("familiennachzug", "eu"):
            table = arrivals_table(period, channel, str(demo_store))
            assert table is not None
            total = table.data[
                (table.data["Staatsangehörigkeit"] == TOTAL_ROW)
                & (table.data["Geschlecht"] == TOTAL_COLUMN)
            ]
            assert total["Personen"].iloc[0] > 0
    assert arrivals_table("2009", "eu", str(demo_store)) is None

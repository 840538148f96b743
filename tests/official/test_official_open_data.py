"""Readers of the city's open data: real codes, names, normalised keys, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from bielefeld_integration.errors import DataError
from bielefeld_integration.official.open_data import read_households, read_population_structure

CITY = Path(__file__).resolve().parents[2] / "data" / "official" / "bielefeld-open-data"
POP = CITY / "bielefeld_bev_struktur_2000bis2019.csv"


def test_population_structure_reads_all_years_and_districts():
    df = read_population_structure(POP)
    assert sorted(df.year.unique()) == list(range(2000, 2020))
    assert df.groupby("year")["count"].sum()[2016] == 336_352
    mitte = df[(df.year == 2016) & (df.stadtbezirk == "01")]["count"].sum()
    assert 75_000 < mitte < 85_000  # "Mitte (largest, ~81,600 inhabitants)"
    assert set(df.sex) == {"m", "w"} and set(df.age_band) == {"1", "2", "3", "4"}


def test_households_normalise_keys_without_leading_zero():
    df = read_households(CITY / "haushalte2009bis2020.csv")
    assert sorted(df.year.unique())[0] == 2009 and sorted(df.year.unique())[-1] == 2020
    first = df[(df.year == 2020) & (df.stat_bezirk == "0101")].iloc[0]
    assert first.households == 1984 and first.one_person == 1427
    assert df.stat_bezirk.nunique() == 72


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (";05711000001;", ";05711000099;", "Statistischer Bezirk"),
        (";Alt- und Neustadt;", ";Altstadt;", "Name passt nicht"),
        ("31122000;Mitte;0;", "31122000;Mitte;1;", "Stadtbezirk passt nicht"),
        (";1;1;147", ";1;1;14x", "ganze Zahl"),
        (";1;1;147", ";1;1;148", "gesamt ≠ männlich \\+ weiblich"),
    ],
)
def test_population_structure_refuses_wrong_rows(tmp_path, old, new, message):
    text = POP.read_text(encoding="utf-8-sig")
    assert old in text
    bad = tmp_path / "bev.csv"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8-sig")
    with pytest.raises(DataError, match=message) as info:
        read_population_structure(bad)
    assert str(bad) in str(info.value)

"""Family reunification and EU arrivals by nationality and sex: only published counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bielefeld_integration import store
from bielefeld_integration.errors import DataError
from bielefeld_integration.present.arrivals import (
    TOTAL_COLUMN,
    arrivals_by_nationality,
    arrivals_table,
    eu_table,
    family_table,
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


EU = {
    ("eu", "Polen", "m"): 396,
    ("eu", "Polen", "w"): 279,
    ("eu", "Griechenland", "m"): 283,
    ("eu", "Griechenland", "w"): 193,
    ("eu", "Bulgarien", "w"): 12,
    ("eu", "Rumänien", "m"): 100,
    ("familiennachzug", "Polen", "m"): 7,
}


def test_counts_of_the_named_states_by_sex_with_row_totals_only():
    t = arrivals_by_nationality(arrivals(EU), "eu", ["Polen", "Griechenland", "Bulgarien"])
    assert list(t.index) == ["Polen", "Griechenland", "Bulgarien"]
    assert list(t.columns) == ["männlich", "weiblich", TOTAL_COLUMN]
    assert t.loc["Polen"].tolist() == [396, 279, 675]  # other channels are not counted
    assert t.loc["Bulgarien"].tolist() == [0, 12, 12]
    with pytest.raises(DataError, match="fehlen Spalten"):
        arrivals_by_nationality(pd.DataFrame({"channel": []}), "eu", ["Polen"])


def test_eu_table_german_numbers_zero_as_dash_and_raw_download():
    table = eu_table(arrivals(EU), "2017")
    assert (
        table.caption
        == "Zuzüge aus EU-Staaten nach Staatsangehörigkeit und Geschlecht, 2017 (Personen)"
    )
    assert table.display.loc["Polen", "insgesamt"] == "675"
    assert table.display.loc["Bulgarien", "männlich"] == "\u2013"
    assert list(table.data.columns) == [
        "Jahr",
        "Zugangsweg",
        "Staatsangehörigkeit",
        "Geschlecht",
        "Personen",
        "Zeichen",
    ]
    zero = table.data[
        (table.data["Staatsangehörigkeit"] == "Bulgarien")
        & (table.data["Geschlecht"] == "männlich")
    ]
    assert zero["Personen"].tolist() == [0] and zero["Zeichen"].tolist() == ["\u2013"]
    assert "Rumänien" not in set(table.data["Staatsangehörigkeit"])  # no rest, no EU total


def test_eu_small_counts_are_hidden_with_a_partner_in_their_row():
    small = dict(EU)
    small[("eu", "Griechenland", "w")] = 2
    table = eu_table(arrivals(small), "2017")
    row = table.display.loc["Griechenland"].tolist()
    assert row.count(".") >= 2  # 2 hidden, and it cannot be recomputed from the row total
    hidden = table.data[table.data["Zeichen"] == "."]
    assert hidden["Personen"].isna().all() and not hidden.empty
    assert table.display.loc["Polen"].tolist() == ["396", "279", "675"]


def published_rows(cells: dict[tuple[str, str], tuple[float, str]]) -> pd.DataFrame:
    rows = []
    for (group, sex), (denominator, symbol) in cells.items():
        rows.append(
            {
                "period": "2017",
                "indicator": "FLU-02",
                "area_level": "stadt",
                "area_code": "05711000",
                "group": group,
                "breakdown": "insgesamt" if sex == "insgesamt" else "sex",
                "breakdown_value": sex,
                "denominator": np.nan if symbol not in ("", "-") else denominator,
                "denominator_symbol": symbol,
            }
        )
    return pd.DataFrame(rows)


def test_family_table_takes_the_published_counts_and_their_symbols():
    published = published_rows(
        {
            ("Irak", "m"): (48, ""),
            ("Irak", "w"): (107, ""),
            ("Irak", "insgesamt"): (155, ""),
            ("Syrien", "m"): (44, "."),
            ("Syrien", "w"): (78, "."),
            ("Syrien", "insgesamt"): (122, ""),
            ("sonstige", "w"): (0, "-"),
            ("sonstige", "m"): (9, "/"),
        }
    )
    table = family_table(published, "2017")
    shown = table.display
    assert shown.loc["Irak"].tolist() == ["48", "107", "155"]
    assert shown.loc["Syrien"].tolist() == [".", ".", "122"]
    assert shown.loc["übrige Staatsangehörigkeiten"].tolist() == ["/", "\u2013", "."]
    assert shown.loc["Insgesamt"].tolist() == [".", ".", "."]  # not published: not shown
    data = table.data.set_index(["Staatsangehörigkeit", "Geschlecht"])
    assert pd.isna(data.loc[("Syrien", "männlich"), "Personen"])  # the true 44 never leaks
    assert data.loc[("Syrien", "männlich"), "Zeichen"] == "."
    assert family_table(published, "2018") is None


def test_demo_store_tables_only_show_what_the_disclosure_stage_published(demo_store):
    published = store.published(demo_store)
    for period in ("2014", "2017", "2019"):
        family = arrivals_table(period, "familiennachzug", str(demo_store))
        rows = published[
            (published["indicator"] == "FLU-02")
            & (published["period"] == period)
            & (published["area_level"] == "stadt")
        ]
        visible = set(rows.loc[rows["denominator_symbol"] == "", "denominator"].astype(int))
        shown = family.data["Personen"].dropna().astype(int)
        assert set(shown[shown > 0]) <= visible
        eu = arrivals_table(period, "eu", str(demo_store))
        assert eu is not None and eu.data["Personen"].dropna().gt(0).any()
    assert arrivals_table("2009", "eu", str(demo_store)) is None
    with pytest.raises(ValueError, match="unknown channel"):
        arrivals_table("2017", "zuweisung", str(demo_store))

"""Key figures, comparison tables and map values of the comparison chapter."""

from __future__ import annotations

import pandas as pd
import pytest

from bielefeld_integration.official import compare, figures


def test_key_figures_are_the_real_last_values(official_tables):
    kf = figures.key_figures(official_tables).set_index("figure")
    assert kf.loc["Ausländerinnen und Ausländer", ["reference", "value"]].tolist() == [
        "31.12.2015",
        43_548,
    ]
    unemployed = kf[kf.table == "13211-01-03-4"]
    assert unemployed["value"].tolist() == [15_152, 5_210]
    assert set(unemployed["reference"]) == {"2016"}
    assert kf.loc["Einbürgerungen", "value"] == 456
    assert (
        figures.key_figures(official_tables, up_to=2014)
        .set_index("figure")
        .loc["Einbürgerungen", "value"]
        == 526
    )


def test_comparison_table_hand_made():
    rows = [
        ("x", code, "", "2015", 1.0, 1.0, value)
        for code, value in [
            ("05711", 30.0),
            ("05", 20.0),
            ("057", 10.0),
            ("05111", 40.0),
            ("05112", 25.0),
        ]
    ]
    s = pd.DataFrame(rows, columns=compare.COLUMNS)
    t = figures.comparison_table(s, "x").loc["2015"]
    assert (t.bielefeld, t.nrw, t.detmold) == (30.0, 20.0, 10.0)
    assert t.median_kfs == 30.0 and (t.min_kfs, t.max_kfs) == (25.0, 40.0)
    assert (t["rank"], t.n_kfs) == (2.0, 3)


def test_foreigner_share_of_every_kreis_of_nrw(official_tables):
    shares = figures.foreigner_share_by_kreis(official_tables)
    assert len(shares) == 53
    assert shares["05711"] == pytest.approx(100 * 43_548 / 333_090)
    assert shares.idxmax() == "05111"  # Düsseldorf


def test_last_years(official_tables):
    last = figures.last_years(compare.compute(official_tables))
    assert last["auslaenderanteil_arbeitslose"] == "2016" and last["asylblg_je_1000"] == "2015"

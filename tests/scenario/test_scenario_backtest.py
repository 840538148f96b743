"""The backtest on the tiny world."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bielefeld_integration import scenario as sc

# --- backtest ---------------------------------------------------------------------------------


def test_backtest_on_fixture_data(load: Callable) -> None:
    bt = sc.backtest(load)
    assert list(bt.columns) == [
        "need", "label", "year", "period", "comparison", "predicted", "low", "high",
        "observed", "abs_error", "rel_error", "in_range",
    ]  # fmt: skip
    assert set(bt["need"]) == {"kita", "seiteneinstieg", "kurs_eintritte", "unterbringung"}
    kita = bt[bt["need"] == "kita"]
    assert list(kita["period"]) == ["2016", "2017"]  # day care 01.03. of the following year
    assert set(kita["comparison"]) == {"Veränderung gegenüber 2015"}
    # newcomer pupils and course entries follow the 2014 rates exactly in the fixture world;
    # 2015 includes the carry-over from the arrivals of 2014
    pupils = bt[bt["need"] == "seiteneinstieg"].set_index("year")
    assert pupils.loc[2015, "observed"] == pytest.approx(12 + 12 + 12)
    np.testing.assert_allclose(pupils["abs_error"], 0, atol=1e-9)
    assert pupils["in_range"].all()
    courses = bt[bt["need"] == "kurs_eintritte"].set_index("year")
    assert courses.loc[2015, "observed"] == 150  # 0.5 * (0.5 * 500 + 0.5 * 100)
    np.testing.assert_allclose(courses["abs_error"], 0, atol=1e-9)
    # accommodation: change against 31.12.2014 incl. the decline of the stock of 2014
    acc = bt[bt["need"] == "unterbringung"].set_index("year")
    assert acc.loc[2015, "predicted"] == pytest.approx(0.5 * 500 + (0.85 - 1) * 101)
    assert acc.loc[2015, "observed"] == 336 - 101
    np.testing.assert_allclose(acc["abs_error"], 0, atol=1)
    assert (bt["abs_error"] == bt["predicted"] - bt["observed"]).all()
    table = sc.backtest_table(bt)
    assert {"Vorhersage", "Beobachtet", "Abweichung in %", "im Bereich"} <= set(table.columns)


def test_backtest_is_deterministic(load: Callable) -> None:
    pd.testing.assert_frame_equal(sc.backtest(load), sc.backtest(load))


def test_demo_backtest(demo_store: Path) -> None:
    bt = sc.backtest(data=demo_store)
    assert set(bt["need"]) == {"kita", "seiteneinstieg", "kurs_eintritte", "unterbringung"}
    assert bt["predicted"].notna().all() and bt["observed"].notna().all()
    assert (bt["low"] <= bt["predicted"] + 1e-9).all()

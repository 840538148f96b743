"""Loaders of the scenario model: the period guard and period texts."""

from __future__ import annotations

import pandas as pd
import pytest

from bielefeld_integration.errors import DataError
from bielefeld_integration.periods import Period
from bielefeld_integration.scenario import loading


def test_period_text() -> None:
    assert loading.period_text(["2016", "2014", "2015"]) == "2014–2016"
    assert loading.period_text(["2014", "2016"]) == "2014, 2016"
    assert loading.period_text(["2014", "2015"]) == "2014, 2015"
    assert loading.period_text([]) == "–"


def test_period_previous_and_shift() -> None:
    assert str(Period.parse("2017").previous) == "2016"
    assert str(Period.parse("2015").shift(2)) == "2017"
    assert str(Period.parse("2015").shift(-1)) == "2014"
    assert str(Period.parse("2015").shift(0)) == "2015"


def test_up_to_refuses_later_periods() -> None:
    calls = []

    def load(table: str, period: str) -> pd.DataFrame:
        calls.append(period)
        return pd.DataFrame({"count": [1]})

    guarded = loading.up_to(load, "2016")
    assert len(guarded("arrivals", "2016")) == 1
    with pytest.raises(DataError, match="nach dem Berichtsjahr 2016"):
        guarded("arrivals", "2017")
    assert calls == ["2016"]
    assert loading.try_load(guarded, "arrivals", "2018") is None

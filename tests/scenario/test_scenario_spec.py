"""The Scenario: validation of a programmatic scenario and the limit to a report period."""

from __future__ import annotations

import pytest

from bielefeld_integration import scenario as sc
from bielefeld_integration.errors import DataError

STORE = ["2014", "2015", "2016", "2017", "2018", "2019"]


def test_programmatic_scenario_is_validated() -> None:
    with pytest.raises(DataError, match="negative Zugänge"):
        sc.Scenario(name="x", title="x", horizon=1, arrivals={"eu": {"alle": (-1.0,)}})


def test_limit_keeps_a_scenario_within_the_period() -> None:
    scn = sc.load_scenario("medium")  # structure 2016–2018
    same, notes = sc.limit_to_period(scn, "2019", STORE)
    assert same == scn and notes == []


def test_limit_drops_later_reference_periods_and_says_so() -> None:
    limited, notes = sc.limit_to_period(sc.load_scenario("medium"), "2017", STORE)
    assert limited.reference_periods == ("2016", "2017")
    assert len(notes) == 1
    assert "bis zum Berichtsjahr 2017" in notes[0] and "Zugänge 2016, 2017" in notes[0]


def test_limit_falls_back_to_the_latest_periods_up_to_the_report() -> None:
    limited, notes = sc.limit_to_period(sc.load_scenario("medium"), "2014", STORE)
    assert limited.reference_periods == ("2014",)
    assert "Struktur der Zugänge 2014" in notes[0]
    limited, _ = sc.limit_to_period(sc.load_scenario("medium"), "2015", STORE)
    assert limited.reference_periods == ("2014", "2015")
    # the text names no year after the report period
    for note in notes:
        assert not any(str(y) in note for y in range(2015, 2030))


def test_limit_of_a_replay() -> None:
    high = sc.load_scenario("high")  # replays 2015 and 2016
    limited, notes = sc.limit_to_period(high, "2015", STORE)
    assert limited.replay_periods == ("2015",)
    assert limited.reference_periods == ("2015",)
    assert limited.horizon == high.horizon
    assert any("nur die Zugänge 2015" in n for n in notes)
    with pytest.raises(sc.ScenarioNotAvailable, match="Berichtsjahr 2014"):
        sc.limit_to_period(high, "2014", STORE)


def test_limit_uses_only_periods_in_the_store() -> None:
    scn = sc.scenario_from_dict(
        {"title": "t", "horizon": 1, "arrivals": {"eu": 1},
         "reference_periods": ["2012", "2014"], "rate_periods": ["2012", "2013"]}
    )  # fmt: skip
    limited, notes = sc.limit_to_period(scn, "2016", STORE)
    assert limited.reference_periods == ("2014",)
    assert limited.rate_periods == ("2014", "2015", "2016")
    assert len(notes) == 2
    with pytest.raises(DataError, match="keine aufbereiteten Daten bis zum Berichtsjahr 2013"):
        sc.limit_to_period(scn, "2013", STORE)

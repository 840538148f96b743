"""The projection: the hand-computed case, ranges, overrides, replays, determinism."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bielefeld_integration import scenario as sc

# --- projection: the hand-computed case -------------------------------------------------------


def test_project_hand_computed(tiny: pd.DataFrame, value: Callable) -> None:
    """Scenario tiny.yaml: zuweisung 100 / 0, familiennachzug 0 / 30, eu 60 / 60 in 2020 / 2021.

    Rates of 2014: kita 0.3 / 0.9, newcomer pupils 0.8 / 0.4 / 0.4, course take-up 0.5,
    accommodation: half the assigned persons enter, 85 % stay each year; assumptions: 20 % of
    EU adults eligible, half the course entries and half the newcomer pupils in the following
    year, 20 per course, 0.5 counselling cases per adult, nobody leaves Bielefeld.
    Structure: the 2014 arrivals (see BASE_ARRIVALS).
    """
    v = lambda need, year, area="stadt": value(tiny, need, year, area)  # noqa: E731
    # year 1 (2020): 100 assigned (80 adults, 15 aged 0-2, 5 aged 6-9) + 60 EU (50 adults)
    assert v("zugaenge", 2020) == pytest.approx(160)
    assert v("zugaenge_minderjaehrige", 2020) == pytest.approx(15 + 5 + 10)
    assert v("zugaenge_frauen", 2020) == pytest.approx(20)
    assert v("zugaenge_maenner", 2020) == pytest.approx(60 + 50)
    assert v("kinder_u3", 2020) == pytest.approx(15)
    assert v("kita_u3", 2020) == pytest.approx(0.3 * 15)  # 4.5
    assert v("kita_3_6", 2020) == pytest.approx(0)
    assert v("schueler_primar", 2020) == pytest.approx(5)
    assert v("schueler_sek1", 2020) == pytest.approx(10)
    # half of the 5 primary and 10 sek I children are counted in 2020, half in 2021
    assert v("seiteneinstieg_primar", 2020) == pytest.approx(0.8 * 0.5 * 5)  # 2
    assert v("seiteneinstieg", 2020) == pytest.approx(0.8 * 0.5 * 5 + 0.4 * 0.5 * 10)  # 4
    assert v("kurs_berechtigte", 2020) == pytest.approx(80 + 0.2 * 50)  # 90
    assert v("kurs_eintritte", 2020) == pytest.approx(0.5 * 0.5 * 90)  # 22.5
    assert v("kurse", 2020) == pytest.approx(22.5 / 20)
    assert v("unterbringung", 2020) == pytest.approx(0.5 * 100)  # 50
    # mean household: .35*1 + .15*2 + .15*3 + .15*4 + .20*6 = 2.9 persons
    assert v("wohnungen", 2020) == pytest.approx(50 / 2.9)
    assert v("wohnungen_1", 2020) == pytest.approx(50 / 2.9 * 0.35)
    assert v("wohnungen_5plus", 2020) == pytest.approx(50 / 2.9 * 0.20)
    assert v("beratung", 2020) == pytest.approx(0.5 * (80 + 50))  # 65

    # year 2 (2021): 30 family members + 60 EU; the 2020 cohort is one year older
    # the 15 children aged 0,1,2 (5 each) are now 1,2,3: 10 under 3, 5 aged 3-5 (+10 family)
    assert v("kinder_u3", 2021) == pytest.approx(10)
    assert v("kinder_3_6", 2021) == pytest.approx(5 + 10)
    assert v("kita", 2021) == pytest.approx(0.3 * 10 + 0.9 * 15)  # 16.5
    # 5 girls aged 6..9 (1.25 each) are now 7..10: 3.75 primary, 1.25 sek I;
    # 10 EU children 10..15 of 2020 are now 11..16: 8.33 sek I, 1.67 sek II; + 10 new EU 10..15
    assert v("schueler_primar", 2021) == pytest.approx(3.75)
    assert v("schueler_sek1", 2021) == pytest.approx(1.25 + 10 * 5 / 6 + 10)
    assert v("schueler_sek2", 2021) == pytest.approx(10 + 10 / 6)
    # primary: the rest of 2020; sek I: half of 2020's and half of 2021's 10 EU children;
    # sek II: half of the 10 family members aged 16-17
    assert v("seiteneinstieg_primar", 2021) == pytest.approx(0.8 * 0.5 * 5)  # 2
    assert v("seiteneinstieg_sek1", 2021) == pytest.approx(0.4 * (0.5 * 10 + 0.5 * 10))  # 4
    assert v("seiteneinstieg_sek2", 2021) == pytest.approx(0.4 * 0.5 * 10)  # 2
    # eligible 2021: 10 + 0.2 * 50 = 20; entries 0.5 * (0.5 * 20 + 0.5 * 90) = 27.5
    assert v("kurs_eintritte", 2021) == pytest.approx(27.5)
    # no new assignments; 85 % of the 50 accommodated persons are still there
    assert v("unterbringung", 2021) == pytest.approx(0.85 * 50)  # 42.5
    assert v("wohnungen", 2021) == pytest.approx(42.5 / 2.9)
    assert v("beratung", 2021) == pytest.approx(0.5 * (10 + 50))  # 30

    # districts: the assigned refugees go 75 % to 01 and 25 % to 02, EU arrivals all to 03
    assert v("kita_u3", 2020, "01") == pytest.approx(0.75 * 4.5)
    assert v("kita_u3", 2020, "02") == pytest.approx(0.25 * 4.5)
    assert v("beratung", 2020, "01") == pytest.approx(0.75 * 40)
    assert v("beratung", 2020, "03") == pytest.approx(25)
    assert v("beratung", 2020, "05") == pytest.approx(0)


def test_project_shape_and_district_sums(tiny: pd.DataFrame) -> None:
    assert list(tiny.columns) == sc.OUTPUT_COLUMNS
    assert set(tiny["stadtbezirk"]) == {"stadt", *[f"{i:02d}" for i in range(1, 11)]}
    assert set(tiny["need"]) == set(sc.NEEDS)
    assert len(tiny) == 2 * 11 * len(sc.NEEDS)
    assert tiny["year"].dtype == "int64"
    city = tiny[tiny["stadtbezirk"] == "stadt"].set_index(["year", "need"])["value"]
    districts = tiny[tiny["stadtbezirk"] != "stadt"].groupby(["year", "need"])["value"].sum()
    pd.testing.assert_series_equal(city.sort_index(), districts.sort_index(), check_names=False)
    assert tiny.attrs["scenario"] == "tiny"
    assert tiny.attrs["rates"]


def test_ranges_contain_point_value(tiny: pd.DataFrame, value: Callable) -> None:
    assert (tiny["low"] <= tiny["value"] + 1e-9).all()
    assert (tiny["value"] <= tiny["high"] + 1e-9).all()
    # rate-driven needs have a real range, pure counts of one reference year have none
    assert value(tiny, "kita_u3", 2020, col="low") < 4.5 < value(tiny, "kita_u3", 2020, col="high")
    assert value(tiny, "kinder_u3", 2020, col="low") == pytest.approx(15)


def test_ranges_with_several_reference_periods_contain_point_value(
    load: Callable, value: Callable, scenario_files: Path
) -> None:
    scn = sc.load_scenario(scenario_files / "tiny.yaml")
    scn = sc.Scenario(**{**scn.__dict__, "reference_periods": ("2013", "2014", "2015")})
    rates = sc.estimate_rates(["2014", "2015", "2016", "2017"], load)
    df = sc.project(scn, rates, load=load)
    assert (df["low"] <= df["value"] + 1e-9).all() and (df["value"] <= df["high"] + 1e-9).all()
    # 2013 had only assigned men: the structure variants widen the range of children
    assert value(df, "kinder_u3", 2020, col="low") == pytest.approx(0)
    assert value(df, "kinder_u3", 2020, col="high") > value(df, "kinder_u3", 2020)


def test_rate_overrides_and_assumptions_from_yaml(
    rates_2014: sc.Rates, load: Callable, value: Callable
) -> None:
    scn = sc.scenario_from_dict(
        {
            "title": "t",
            "horizon": 1,
            "start_year": 2030,
            "reference_periods": [2014],
            "arrivals": {"zuweisung": 100},
            "rates": {"kita_quote_u3": 1.0, "teilnehmende_je_kurs": {"value": 15, "low": 10,
                                                                      "high": 25}},
            "household_sizes": {1: 1.0},
            "district_shares": {"zuweisung": {"01": 0.5, 9: 0.5}},
        }
    )  # fmt: skip
    df = sc.project(scn, rates_2014, load=load)
    assert value(df, "kita_u3", 2030) == pytest.approx(15)
    assert value(df, "kita_u3", 2030, col="high") == pytest.approx(15)
    assert value(df, "kurse", 2030) == pytest.approx(0.5 * 0.5 * 80 / 15)
    # fewer participants per course -> more courses: the range is inverted correctly
    assert value(df, "kurse", 2030, col="high") >= 0.5 * 0.5 * 80 / 10 - 1e-9
    assert value(df, "wohnungen", 2030) == pytest.approx(50)  # all single households
    assert value(df, "zugaenge", 2030, "09") == pytest.approx(50)


def test_nationality_groups_use_their_own_structure(load: Callable) -> None:
    base = {"title": "t", "horizon": 1, "start_year": 2030, "reference_periods": ["2014"]}
    rates = sc.estimate_rates(["2014"], load)
    # Polish arrivals came only via the EU channel; for zuweisung the group has no data and
    # falls back to the whole channel, so a split by group changes nothing there
    split = sc.scenario_from_dict(
        {**base, "arrivals": {"zuweisung": 100}, "nationality_shares":
         {"zuweisung": {"Syrien": 0.6, "Polen": 0.4}}}
    )  # fmt: skip
    whole = sc.scenario_from_dict({**base, "arrivals": {"zuweisung": 100}})
    a = sc.project(split, rates, load=load)
    b = sc.project(whole, rates, load=load)
    np.testing.assert_allclose(a["value"], b["value"])
    assert split.arrivals["zuweisung"] == {"Syrien": (60.0,), "Polen": (40.0,)}


def test_replay_uses_observed_arrivals(
    rates_2014: sc.Rates, load: Callable, value: Callable
) -> None:
    scn = sc.Scenario(
        name="r", title="r", horizon=3, start_year=2030, replay_periods=("2015", "2016"),
        reference_periods=("2015",), replay_factor=0.5,
    )  # fmt: skip
    df = sc.project(scn, rates_2014, load=load)
    # 2015: 5 * 190 persons, 2016: 2 * 190, then nothing; halved
    assert value(df, "zugaenge", 2030) == pytest.approx(0.5 * 5 * 190)
    assert value(df, "zugaenge", 2031) == pytest.approx(0.5 * 2 * 190)
    assert value(df, "zugaenge", 2032) == pytest.approx(0)
    assert value(df, "kinder_u3", 2032) > 0  # the stock stays


def test_determinism(load: Callable, scenario_files: Path) -> None:
    scn = sc.load_scenario(scenario_files / "tiny.yaml")
    a = sc.run(scn, load=load)
    b = sc.run(sc.load_scenario(scenario_files / "tiny.yaml"), load=load)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs == b.attrs


def test_default_start_year_follows_rate_periods(rates_2014: sc.Rates, load: Callable) -> None:
    scn = sc.scenario_from_dict(
        {"title": "t", "horizon": 1, "reference_periods": ["2014"], "arrivals": {"eu": 1}}
    )
    assert set(sc.project(scn, rates_2014, load=load)["year"]) == {2015}


def test_run_up_to_reads_no_later_period(load: Callable) -> None:
    asked: list[str] = []

    def recording(table: str, period: str) -> pd.DataFrame:
        asked.append(str(period))
        return load(table, period)

    scn = sc.scenario_from_dict(
        {"title": "t", "horizon": 2, "arrivals": {"eu": 10},
         "reference_periods": ["2015", "2016"]}
    )  # fmt: skip
    periods = ["2013", "2014", "2015", "2016", "2017"]
    df = sc.run(scn, load=recording, rate_periods=periods, up_to="2014")
    assert asked and max(asked) <= "2014"
    assert df.attrs["reference_periods"] == ["2013", "2014"]
    assert df.attrs["rate_periods"] == ["2013", "2014"]
    assert df["year"].min() == 2015
    assert "bis zum Berichtsjahr 2014" in df.attrs["notes"][0]
    # without the limit the later periods are used
    free = sc.run(scn, load=load, rate_periods=periods)
    assert free.attrs["reference_periods"] == ["2015", "2016"] and free.attrs["notes"] == []


def test_demo_medium_up_to_2018(demo_store: Path, value: Callable) -> None:
    df = sc.run("medium", data=demo_store, up_to="2018")
    assert (df["low"] <= df["value"] + 1e-9).all() and (df["value"] <= df["high"] + 1e-9).all()
    assert df["year"].min() == 2019  # the year after the report period
    assert value(df, "zugaenge", 2019) == pytest.approx(1000 + 300 + 1400)
    assert value(df, "kita", 2023) > 0
    assert df.attrs["rate_periods"] == ["2014", "2015", "2016", "2017", "2018"]
    assert df.attrs["notes"] == []
    high = sc.run("high", data=demo_store, up_to="2018")
    assert value(high, "zugaenge", 2019) > value(df, "zugaenge", 2019)
    # the whole store: rates up to 2019, first scenario year 2020
    assert sc.run("low", data=demo_store)["year"].min() == 2020


@pytest.mark.parametrize("period", ["2014", "2017"])
def test_demo_scenarios_use_no_later_period(demo_store: Path, period: str) -> None:
    for name in ("low", "medium"):
        df = sc.run(name, data=demo_store, up_to=period)
        used = [*df.attrs["reference_periods"], *df.attrs["rate_periods"]]
        assert used and max(used) <= period, (name, used)
    with pytest.raises(sc.ScenarioNotAvailable):
        sc.run("high", data=demo_store, up_to="2014")

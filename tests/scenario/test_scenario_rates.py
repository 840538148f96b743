"""Rates of the scenario model: estimated by hand in the tiny world, ranges, caps."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from bielefeld_integration import scenario as sc
from bielefeld_integration.errors import DataError
from bielefeld_integration.scenario.rates import capped as capped_rate

# --- rates ------------------------------------------------------------------------------------


def test_rates_hand_computed(rates_2014: sc.Rates) -> None:
    r = rates_2014
    assert r["kita_quote_u3"].value == pytest.approx(30 / 100)  # population 31.12.2013
    assert r["kita_quote_3_6"].value == pytest.approx(90 / 100)
    # half of the newcomers of school age counted in the year after arrival; 2013: none
    assert r["seiteneinstieg_primar"].value == pytest.approx(2 / (0.5 * 5))
    assert r["seiteneinstieg_sek1"].value == pytest.approx(2 / (0.5 * 10))
    assert r["seiteneinstieg_sek2"].value == pytest.approx(2 / (0.5 * 10))
    # eligible 2014: 80 + 10 + 0.2 * 50 = 100, 2013: 80 -> 45 / (0.5 * 100 + 0.5 * 80)
    assert r["kurs_teilnahme"].value == pytest.approx(45 / 90)
    # one year with the stock of the year before: retention assumed, (101 - 0.85 * 60) / 100
    assert r["unterbringung_verbleib"].value == 0.85
    assert "Annahme" in r["unterbringung_verbleib"].source
    assert r["unterbringung_quote"].value == pytest.approx(0.5)
    assert r["teilnehmende_je_kurs"].value == 20
    assert "Annahme" in r["verbleib"].source
    assert "2014" in r["kita_quote_u3"].source


def test_rate_range_single_period_is_poisson_interval(rates_2014: sc.Rates) -> None:
    # one period: value ± 1.96 * sqrt(numerator) / denominator
    r = rates_2014["kita_quote_u3"]
    half = 1.96 * math.sqrt(30) / 100
    assert r.low == pytest.approx(0.3 - half)
    assert r.high == pytest.approx(0.3 + half)


def test_rate_range_covers_yearly_values(load: Callable) -> None:
    rates = sc.estimate_rates(["2014", "2015", "2016", "2017"], load)
    for r in rates:
        assert r.low <= r.value <= r.high, r.name
        for v in r.per_period.values():
            assert r.low <= v + 1e-12 and v <= r.high + 1e-12, r.name
    # the kita rate was pooled: sum of numerators / sum of denominators
    u3 = rates["kita_quote_u3"]
    assert set(u3.per_period) == {"2014", "2015", "2016", "2017"}
    assert u3.value == pytest.approx((30 + 30 + 36 + 39) / (100 + 100 + 180 + 120))


def test_accommodation_rates_least_squares(load: Callable) -> None:
    # four years with the stock of the year before: p and r fitted together
    rates = sc.estimate_rates(["2014", "2015", "2016", "2017"], load)
    assert rates["unterbringung_quote"].value == pytest.approx(0.5, abs=0.01)
    assert rates["unterbringung_verbleib"].value == pytest.approx(0.85, abs=0.01)
    assert "Kleinste Quadrate" in rates["unterbringung_verbleib"].source
    r = rates["unterbringung_verbleib"]
    assert r.low <= r.value <= r.high <= 1


def test_accommodation_rates_without_previous_stock(load: Callable) -> None:
    def no_2013(table: str, period: str) -> pd.DataFrame:
        if table == "accommodation" and str(period) == "2013":
            raise DataError("nicht geliefert")
        return load(table, period)

    # 101 persons per (100 assigned in 2014 + 0.85 * 80 assigned in 2013)
    rates = sc.estimate_rates(["2014"], no_2013)
    assert rates["unterbringung_quote"].value == pytest.approx(101 / (100 + 0.85 * 80))
    assert "überschätzt" in rates["unterbringung_quote"].source
    # a given retention is used for the entry share
    fixed = sc.estimate_rates(["2014"], load, fixed={"unterbringung_verbleib": (0.5, 0.5, 0.5)})
    assert fixed["unterbringung_quote"].value == pytest.approx((101 - 0.5 * 60) / 100)
    # a given entry share gives the retention: (101 - 0.5 * 100) / 60
    given = sc.estimate_rates(["2014"], load, fixed={"unterbringung_quote": (0.5, 0.5, 0.5)})
    assert given["unterbringung_verbleib"].value == pytest.approx(51 / 60)
    # a retention above 1 is capped
    capped = sc.estimate_rates(["2014"], load, fixed={"unterbringung_quote": (0.2, 0.2, 0.2)})
    assert capped["unterbringung_verbleib"].value == 1.0


def test_rates_fixed_values_are_used_in_estimation(load: Callable) -> None:
    # with every EU adult eligible: 2014 eligible 140, 2013 80 -> 45 / 110
    rates = sc.estimate_rates(["2014"], load, fixed={"kurs_anteil_eu": (1.0, 1.0, 1.0)})
    assert rates["kurs_teilnahme"].value == pytest.approx(45 / 110)
    assert rates["kurs_anteil_eu"].source.startswith("vorgegeben")


def test_rates_missing_table_gives_clear_error(load: Callable) -> None:
    def no_courses(table: str, period: str) -> pd.DataFrame:
        if table == "integration_courses":
            raise DataError("nicht geliefert")
        return load(table, period)

    with pytest.raises(DataError, match=r"kurs_teilnahme.*rates:"):
        sc.estimate_rates(["2014"], no_courses)
    rates = sc.estimate_rates(["2014"], no_courses, fixed={"kurs_teilnahme": (0.4, 0.3, 0.5)})
    assert rates["kurs_teilnahme"].value == 0.4


def test_rates_table_is_german(rates_2014: sc.Rates) -> None:
    table = sc.rates_table(rates_2014)
    assert {"Kennzahl", "Wert", "untere Grenze", "obere Grenze", "Quelle"} <= set(table.columns)
    assert "haushalte_5plus" in set(table["Kennzahl"])


def test_capped_keeps_shares_within_100_percent() -> None:
    rate = sc.Rate("unterbringung_quote", 1.059, 0.9, 1.2, "Quelle", {"2015": 1.2, "2016": 0.9})
    capped = capped_rate(rate)
    assert (capped.value, capped.low, capped.high) == (1.0, 0.9, 1.0)
    assert capped.per_period == {"2015": 1.0, "2016": 0.9}
    assert capped.source.endswith("Schätzwerte über 100 % auf 100 % begrenzt")
    # within bounds or without a maximum: unchanged
    fine = sc.Rate("unterbringung_quote", 0.5, 0.4, 0.6, "Quelle")
    assert capped_rate(fine) is fine
    per_person = sc.Rate("seiteneinstieg_sek2", 1.4, 1.2, 1.6, "Quelle")
    assert capped_rate(per_person) is per_person


def test_estimated_share_above_one_is_capped(load: Callable) -> None:
    def crowded(table: str, period: str) -> pd.DataFrame:
        df = load(table, period)
        if table == "accommodation" and str(period) == "2014":
            df = df.assign(count=df["count"] * 10)
        return df

    rates = sc.estimate_rates(["2014"], crowded)
    quote = rates["unterbringung_quote"]
    assert quote.value == quote.high == 1.0
    assert "begrenzt" in quote.source


def test_rate_sources_name_no_tables(rates_2014: sc.Rates) -> None:
    tables = ("daycare", "population", "arrivals", "newcomer_pupils", "accommodation")
    for r in rates_2014:
        assert not any(t in r.source for t in tables), r.source
        assert "rates:" not in r.source
    table = sc.rates_table(rates_2014)
    assert not table["Quelle"].str.contains("household_sizes").any()


def test_demo_shares_never_exceed_100_percent(demo_store: Path) -> None:
    periods = ["2014", "2015", "2016", "2017", "2018", "2019"]
    for i in range(len(periods)):
        rates = sc.estimate_rates(periods[: i + 1], data=demo_store)
        for r in rates:
            if r.spec.unit == "Anteil":
                assert 0 <= r.low <= r.value <= r.high <= 1, (periods[i], r.name, r.high)

"""Tables, charts and texts of the chapter "Szenarien" (present/scenario_view.py)."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from bielefeld_integration import scenario as sc
from bielefeld_integration.geography import STADTBEZIRKE
from bielefeld_integration.present import scenario_view as view
from bielefeld_integration.present.display import chart_bundle, table_bundle

matplotlib.use("Agg")

YEARS = (2020, 2021)


def _rates() -> list[dict]:
    return [
        {
            "name": "kita_quote_u3",
            "label": "Betreuungsquote unter 3 Jahren",
            "value": 0.25,
            "low": 0.2,
            "high": 0.3,
            "unit": "Anteil",
            "source": "KJH-Statistik, 2016–2018",
            "definition": "…",
        },
        {
            "name": "teilnehmende_je_kurs",
            "label": "Teilnehmende je Integrationskurs",
            "value": 20.0,
            "low": 18.0,
            "high": 22.0,
            "unit": "Personen",
            "source": "Annahme",
            "definition": "…",
        },
        {
            "name": "beratung_je_erwachsenem",
            "label": "Beratungsfälle je erwachsenem Neuzugang",
            "value": 0.5,
            "low": 0.4,
            "high": 0.7,
            "unit": "Fälle je Person",
            "source": "vorgegeben im Szenario",
            "definition": "…",
        },
    ]


@pytest.fixture
def small() -> pd.DataFrame:
    """A projection-shaped frame: city = 1000 × (need index + 1) × year step, districts 10 %."""
    rows = []
    for y_i, year in enumerate(YEARS):
        for n_i, need in enumerate(sc.NEEDS):
            city = 1000.0 * (n_i + 1) * (y_i + 1)
            for area in ["stadt", *STADTBEZIRKE]:
                value = city if area == "stadt" else city * (0.05 + 0.01 * int(area))
                rows.append(
                    {
                        "year": year,
                        "stadtbezirk": area,
                        "need": need,
                        "value": value,
                        "low": 0.8 * value,
                        "high": 1.25 * value,
                        "unit": sc.NEEDS[need].unit,
                    }
                )
    df = pd.DataFrame(rows)
    df.attrs = {
        "scenario": "test",
        "title": "Testszenario",
        "description": "Zum Testen.",
        "reference_periods": ["2016", "2017", "2018"],
        "rate_periods": ["2014", "2015", "2016", "2017", "2018", "2019"],
        "rates": _rates(),
        "arrivals": {
            "zuweisung": {"asylherkunft": [700.0, 630.0], "uebrige_drittstaaten": [300.0, 270.0]},
            "eu": {"alle": [1400.0, 1400.0]},
        },
    }
    return df


def test_years_and_arrivals(small: pd.DataFrame) -> None:
    assert view.years(small) == list(YEARS)
    table = view.arrivals_table(small)
    assert list(table.columns) == ["Zugangsweg", "2020", "2021"]
    assert table["Zugangsweg"].tolist() == [
        "Zuweisung Geflüchteter (Hauptasylherkunftsländer)",
        "Zuweisung Geflüchteter (übrige Drittstaaten)",
        "EU-Zuwanderung",
    ]
    assert table["2021"].tolist() == [630.0, 270.0, 1400.0]


def test_assumptions_markdown_lists_arrivals_per_channel(small: pd.DataFrame) -> None:
    text = view.assumptions_markdown(small)
    assert "**Testszenario**" in text
    assert "- EU-Zuwanderung: 1.400, 1.400 Personen (zusammen 2.800)" in text
    assert "(2020–2021)" in text
    assert "wie 2016–2018" in text and "Berichtsjahren 2014–2019" in text


def test_city_frame_and_chart(small: pd.DataFrame) -> None:
    data = view.city_frame(small, ["kita", "unterbringung"])
    assert data["need"].tolist() == ["kita", "kita", "unterbringung", "unterbringung"]
    assert (data["low"] <= data["value"]).all() and (data["value"] <= data["high"]).all()
    fig, shown, alt = view.city_chart(small)
    assert list(shown.columns) == [
        "Jahr", "Bedarf", "Einheit", "Wert", "untere Grenze", "obere Grenze",
    ]  # fmt: skip
    assert set(shown["Bedarf"]) == {sc.NEEDS[n].label for n in view.CITY_NEEDS}
    assert alt.startswith("Liniendiagramme") and "Spanne" in alt
    kita = 1000 * (list(sc.NEEDS).index("kita") + 1)
    assert f"{kita:,}".replace(",", ".") in alt
    _bundle, meta = chart_bundle(fig, alt=alt, data=shown, name="bedarf-stadt")
    assert meta["image/svg+xml"]["alt"] == alt


def test_district_frame_first_year(small: pd.DataFrame) -> None:
    data = view.district_frame(small, ["kita"])
    assert data.attrs["year"] == 2020
    assert list(data.index) == list(STADTBEZIRKE)
    kita = 1000 * (list(sc.NEEDS).index("kita") + 1)
    assert data.loc["10", "kita_value"] == pytest.approx(kita * 0.15)
    assert data.loc["10", "name"] == "Senne"
    fig, shown, alt = view.district_chart(small)
    assert "am meisten in Senne" in alt and "am wenigsten in Mitte" in alt
    assert list(shown.columns) == [
        "Jahr", "Stadtbezirk", "Bedarf", "Einheit", "Wert", "untere Grenze", "obere Grenze",
    ]  # fmt: skip
    assert len(shown) == len(STADTBEZIRKE) * len(view.DISTRICT_NEEDS)
    assert shown["Stadtbezirk"].iloc[-1] == "10 Senne"
    matplotlib.pyplot.close(fig)


def test_planner_table_formats_value_and_range(small: pd.DataFrame) -> None:
    table, data = view.planner_table(small, needs=["zugaenge", "kita"])
    assert list(table.columns) == ["Bedarf", "Einheit", "2020", "2021"]
    assert table.loc[0, "2020"] == "1.000 (800–1.250)"
    assert table.loc[1, "Einheit"] == "Plätze, Bestand Jahresende"
    assert list(data.columns)[:3] == ["Jahr", "Gebiet", "Bedarf"]
    assert len(data) == 4
    table_bundle(table, caption="Test", name="planung", data=data)


def test_rates_view_formats_shares_as_percent(small: pd.DataFrame) -> None:
    table = view.rates_view(small)
    assert table.loc[0, "Wert"] == "25,0 %"
    assert table.loc[0, "Spanne"] == "20,0 % bis 30,0 %"
    assert table.loc[1, "Wert"] == "20"
    assert table.loc[2, "Wert"] == "0,50"
    assert table.loc[2, "Herkunft"] == "vorgegeben im Szenario"
    assert "2016–2018" in table.loc[0, "Herkunft"]
    data = view.rates_data(small)
    assert list(data.columns)[:2] == ["Kennzahl", "Wert"]
    assert data.loc[0, "Kennzahl"] == "Betreuungsquote unter 3 Jahren"
    assert "kita_quote_u3" not in data.to_csv()


def test_rates_view_without_range_says_so(small: pd.DataFrame) -> None:
    small.attrs["rates"][1].update(low=20.0, high=20.0)
    assert view.rates_view(small).loc[1, "Spanne"] == "ohne Spanne"


def test_range_cell_only_for_real_ranges() -> None:
    assert view.range_cell(1000, 800, 1250) == "1.000 (800–1.250)"
    assert view.range_cell(2700, 2700, 2700) == "2.700"
    # a range narrower than the printed precision is no range
    assert view.range_cell(2700.2, 2699.9, 2700.4) == "2.700"
    assert view.range_cell(12.4, 11.6, 12.4) == "12"
    assert view.range_cell(4.5, 3.5, 5.5) == "5 (4–6)"


def _bt() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "need": ["kita", "seiteneinstieg"],
            "label": ["Kita", "Seiteneinstieg"],
            "year": [2015, 2016],
            "period": ["2016", "2016"],
            "comparison": ["Veränderung gegenüber 2015", "Jahreswert"],
            "predicted": [110.0, 50.0],
            "low": [90.0, 40.0],
            "high": [120.0, 60.0],
            "observed": [100.0, 100.0],
            "abs_error": [10.0, -50.0],
            "rel_error": [0.1, -0.5],
            "in_range": [True, False],
        }
    )


def test_backtest_markdown_says_how_large_the_errors_are() -> None:
    text = view.backtest_markdown(_bt())
    assert "im Mittel um **30 %**" in text
    assert "bis zu 50 %" in text
    assert "»Seiteneinstieg« 2016" in text
    assert "1 von 2" in text
    table = view.backtest_view(_bt())
    assert table.loc[1, "Abweichung in %"] == "-50,0"
    assert table.loc[0, "Vorhersage"] == "110 (90–120)"
    assert table.loc[1, "im Bereich"] == "nein"
    assert view.backtest_data(_bt())["Abweichung in %"].tolist() == [10.0, -50.0]


def test_backtest_empty_before_replayed_years(tmp_path: Path) -> None:
    assert "keine Rückrechnung" in view.backtest_markdown(view.run_backtest("2014", tmp_path))


def test_run_scenario_limits_to_the_period(demo_store: Path) -> None:
    df = view.run_scenario("medium", "2017", demo_store)
    assert max(df.attrs["reference_periods"]) == "2017"
    assert max(df.attrs["rate_periods"]) == "2017"
    assert view.years(df)[0] == 2018
    text = view.assumptions_markdown(df)
    assert "wie 2016, 2017" in text and "bis zum Berichtsjahr 2017" in text
    assert "2018" not in text.split("Alters-, Geschlechts-")[1]

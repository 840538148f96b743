"""The report chapter "Szenarien": view helpers, the chapter notebook and the CLI command."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from bielefeld_integration import cli
from bielefeld_integration import scenario as sc
from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import STADTBEZIRKE
from bielefeld_integration.present import scenario_view as view
from bielefeld_integration.present.display import chart_bundle, table_bundle

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "09_szenarien.ipynb"
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
            "source": "vorgegeben (/irgendwo/lang/medium.yaml)",
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
    assert set(shown["need"]) == set(view.CITY_NEEDS)
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
    fig, _data, alt = view.district_chart(small)
    assert "am meisten in Senne" in alt and "am wenigsten in Mitte" in alt
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
    assert table.loc[2, "Herkunft"] == "vorgegeben (medium.yaml)"
    assert "2016–2018" in table.loc[0, "Herkunft"]
    assert view.rates_data(small).loc[2, "Quelle"] == "vorgegeben (medium.yaml)"


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


def test_rate_periods_up_to_period(tmp_path: Path) -> None:
    for p in ("2015", "2016", "2017", "2018"):
        (tmp_path / p).mkdir()
        (tmp_path / p / "provenance.json").write_text("{}", encoding="utf-8")
    assert view.rate_periods("2017", tmp_path) == ["2015", "2016", "2017"]
    with pytest.raises(DataError, match="keine aufbereiteten Daten bis 2014"):
        view.rate_periods("2014", tmp_path)
    with pytest.raises(DataError):
        view.rate_periods("17", tmp_path)


def test_notebook_parameters_and_no_outputs() -> None:
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    names = [line.split(":")[0] for line in params[0].source.splitlines()]
    assert names == ["period", "data_dir", "scenario"]
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None
            assert len(cell.source.splitlines()) <= 10


@pytest.mark.slow
def test_chapter_notebook_runs(tmp_path: Path, demo_store: Path) -> None:
    import nbformat
    import papermill

    out = tmp_path / "09_szenarien.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"period": "2019", "data_dir": str(demo_store), "scenario": "medium"},
        kernel_name="python3",
        cwd=str(tmp_path),
        progress_bar=False,
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    names = [
        o.data["application/vnd.bielefeld-integration.data+json"]["name"]
        for o in outputs
        if "application/vnd.bielefeld-integration.data+json" in o.get("data", {})
    ]
    assert names == [
        "bedarf-stadt",
        "bedarf-bezirke",
        "bedarf-planung",
        "kennzahlen",
        "rueckrechnung",
    ]


def test_cli_scenario_writes_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture, demo_store: Path
) -> None:
    target = tmp_path / "s.csv"
    args = ["scenario", "--preset", "high", "--output", str(target), "--data", str(demo_store)]
    assert cli.main(args) == 0
    assert target.is_file()
    assert target.read_text(encoding="utf-8").startswith("Jahr;Gebiet;Bedarf")
    assert str(target) in capsys.readouterr().out


def test_cli_scenario_invalid_preset(capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["scenario", "--preset", "gibtesnicht"]) == 2
    err = capsys.readouterr().err
    assert "unbekanntes Szenario 'gibtesnicht'" in err

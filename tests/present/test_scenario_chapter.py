"""The chapter "Szenarien": the chapter object, what its page shows, and its notebook."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import matplotlib
import nbformat
import pandas as pd
import pytest
from IPython.display import Markdown

import bielefeld_integration
from bielefeld_integration import store
from bielefeld_integration.present.display import DATA_MIMETYPE
from bielefeld_integration.present.scenario_chapter import NOT_AVAILABLE, ScenarioChapter

matplotlib.use("Agg")

NOTEBOOK = Path(bielefeld_integration.__file__).parent / "notebooks" / "09_szenarien.ipynb"
SHOWN = ["bedarf-stadt", "bedarf-bezirke", "bedarf-planung", "kennzahlen", "rueckrechnung"]
#: Words only a developer would understand: file and table names, fields, commands.
INTERNAL = [
    "household_sizes", ".yaml", "data_dir", "bielefeld-integration", "rates:", "daycare",
    "population", "arrivals", "newcomer_pupils", "integration_courses", "accommodation",
    "measure_id", "Szenario-Datei (`",
]  # fmt: skip
STORE_LOAD = store.load
ENGLISH_HEADERS = {"year", "need", "value", "low", "high", "unit", "label", "name", "measure_id"}


class Page:
    """What a chapter displayed: Markdown texts, tables/charts (HTML, alt text, CSV)."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.csv: dict[str, str] = {}
        self.loaded: list[str] = []

    def display(self, obj, raw: bool = False, metadata: dict | None = None) -> None:
        if isinstance(obj, Markdown):
            self.texts.append(obj.data)
            return
        assert raw and isinstance(obj, dict)
        self.texts.append(obj.get("text/html", ""))
        for meta in (metadata or {}).values():
            self.texts.append(meta.get("alt", ""))
        data = obj[DATA_MIMETYPE]
        self.csv[data["name"]] = data["csv"]

    @property
    def text(self) -> str:
        return "\n".join([*self.texts, *self.csv.values()])


def show_page(monkeypatch, period: str, data: Path, scenario: str = "medium") -> Page:
    """Run every show_* method of the chapter as the notebook does; record what it shows."""
    import IPython.display

    page = Page()
    monkeypatch.setattr(IPython.display, "display", page.display)

    def recording(table, p, data=None):
        page.loaded.append(str(p))
        return STORE_LOAD(table, p, data=data)

    monkeypatch.setattr(store, "load", recording)
    sc = ScenarioChapter(period, str(data), scenario)
    for method in (
        sc.show_assumptions,
        sc.show_key_figures,
        sc.show_city_chart,
        sc.show_district_chart,
        sc.show_needs_table,
        sc.show_rates_table,
        sc.show_backtest,
    ):
        method()
    return page


@pytest.fixture(scope="module")
def pages(demo_store: Path) -> dict[str, Page]:
    """The pages of 2014, 2017 and 2019 with the default scenario."""
    with pytest.MonkeyPatch.context() as mp:
        return {p: show_page(mp, p, demo_store) for p in ("2014", "2017", "2019")}


@pytest.mark.parametrize("period", ["2014", "2017"])
def test_page_reads_no_period_after_its_own(pages: dict[str, Page], period: str) -> None:
    page = pages[period]
    assert page.loaded, "the chapter read nothing"
    assert max(page.loaded) <= period
    # the structure of the arrivals is that of years up to the report period
    wie = re.search(r"Bezirksstruktur der Zugänge wie ([\d–, ]+);", page.text)
    assert wie is not None
    assert max(re.findall(r"\d{4}", wie.group(1))) <= period
    assert f"bis zum Berichtsjahr {period}" in page.text


def test_page_2019_uses_the_preset_as_written(pages: dict[str, Page]) -> None:
    assert "Zugänge wie 2016–2018" in pages["2019"].text
    assert "bis zum Berichtsjahr" not in pages["2019"].text
    assert list(pages["2019"].csv) == SHOWN


@pytest.mark.parametrize("period", ["2014", "2017", "2019"])
def test_no_share_above_100_percent(pages: dict[str, Page], period: str) -> None:
    rates = pd.read_csv(
        pd.io.common.StringIO(pages[period].csv["kennzahlen"].lstrip("\ufeff")), sep=";"
    )
    shares = rates[rates["Einheit"] == "Anteil"]
    assert len(shares) > 0
    assert (shares[["Wert", "untere Grenze", "obere Grenze"]] <= 1).all().all()
    for text in pages[period].texts:
        for cell in re.findall(r"<td[^>]*>([^<]*%[^<]*)</td>", text):
            for number in re.findall(r"(\d+(?:,\d+)?) %", cell):
                assert float(number.replace(",", ".")) <= 100, cell


@pytest.mark.parametrize("period", ["2014", "2017", "2019"])
def test_no_degenerate_range(pages: dict[str, Page], period: str) -> None:
    text = pages[period].text
    assert not re.search(r"\(([\d.,]+)–\1\)", text), "Spanne ohne Breite"
    assert not re.search(r"Spanne ([\d.,]+) bis \1\b", text)
    assert not re.search(r">([\d.,]+ ?%?) bis \1<", text)


@pytest.mark.parametrize("period", ["2014", "2017", "2019"])
def test_page_has_no_internal_words(pages: dict[str, Page], period: str) -> None:
    page = pages[period]
    for word in INTERNAL:
        assert word not in page.text, word
    # no identifiers (snake_case) anywhere a reader or a spreadsheet sees
    assert not re.findall(r"\b[a-z]+_[a-z_]+\b", page.text)
    for name, csv in page.csv.items():
        header = csv.lstrip("\ufeff").splitlines()[0].split(";")
        assert not ENGLISH_HEADERS & set(header), (name, header)


def test_scenario_not_available_says_why(monkeypatch, demo_store: Path) -> None:
    page = show_page(monkeypatch, "2014", demo_store, scenario="high")
    assert "Für das Berichtsjahr 2014 lässt es sich daher nicht rechnen" in page.texts[0]
    assert page.texts.count(NOT_AVAILABLE) == 5
    assert max(page.loaded, default="2014") <= "2014"


# --- the notebook ---------------------------------------------------------------------------


def _code_cells() -> list:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    return [c for c in nb.cells if c.cell_type == "code"]


def test_notebook_parameters_are_typed_literals_with_german_help() -> None:
    params = [c for c in _code_cells() if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    lines = params[0].source.splitlines()
    assert [line.split(":")[0] for line in lines] == ["period", "data_dir", "scenario"]
    for node, line in zip(ast.parse(params[0].source).body, lines, strict=True):
        assert isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Constant)
        help_text = line.split("#", 1)[1]
        assert help_text.strip() and "=" not in help_text


def test_notebook_is_stored_without_outputs() -> None:
    for cell in _code_cells():
        assert cell.outputs == [] and cell.execution_count is None


def test_notebook_uses_only_the_chapter_object() -> None:
    """Besides parameters, import and constructor, every code cell calls sc.show_*()."""
    cells = [c for c in _code_cells() if "parameters" not in c.metadata.get("tags", [])]
    setup, *shows = cells
    assert "sc = ScenarioChapter(period, data_dir, scenario)" in setup.source
    for cell in cells:
        assert len(cell.source.splitlines()) <= 15
        assert "display(" not in cell.source and "Markdown" not in cell.source
    called = []
    for cell in shows:
        for node in ast.parse(cell.source).body:
            assert isinstance(node, ast.Expr) and isinstance(node.value, ast.Call), cell.source
            func = node.value.func
            assert isinstance(func, ast.Attribute) and func.value.id == "sc", cell.source
            assert func.attr.startswith("show_") and not node.value.args
            called.append(func.attr)
    assert len(called) == len(set(called))
    assert set(called) == {m for m in dir(ScenarioChapter) if m.startswith("show_")}


def test_notebook_markdown_has_no_internal_words() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for word in INTERNAL:
        assert word not in text, word
    assert "`" not in text


@pytest.mark.slow
@pytest.mark.parametrize("period", ["2014", "2019"])
def test_chapter_notebook_runs(tmp_path: Path, demo_store: Path, period: str) -> None:
    import papermill

    out = tmp_path / "09_szenarien.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"period": period, "data_dir": str(demo_store), "scenario": "medium"},
        kernel_name="python3",
        cwd=str(tmp_path),
        progress_bar=False,
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    names = [o.data[DATA_MIMETYPE]["name"] for o in outputs if DATA_MIMETYPE in o.get("data", {})]
    assert names == (SHOWN if period == "2019" else SHOWN[:-1])

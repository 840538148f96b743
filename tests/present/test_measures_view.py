"""The chapter view of "Umsetzung der Maßnahmen" and its notebook."""

from __future__ import annotations

import ast
import io
import json
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import openpyxl
import pandas as pd
import pytest

from bielefeld_integration import measures as m
from bielefeld_integration.demo import measures as demo
from bielefeld_integration.indicators.catalogue import load_catalogue
from bielefeld_integration.present import measures_indicators as mi
from bielefeld_integration.present import measures_view as mv
from bielefeld_integration.report.resources import NOTEBOOKS_DIR

NOTEBOOK = NOTEBOOKS_DIR / "08_massnahmen.ipynb"
CITY = "05711000"


def _write_period(root: Path, year: int) -> None:
    folder = root / str(year)
    folder.mkdir(parents=True)
    (folder / "provenance.json").write_text("{}", encoding="utf-8")
    path = folder / "massnahmen.csv"
    path.write_bytes(demo.deliveries(year)[0].content)
    reg = m.load_register(path, period=year)
    reg.assign(reference_date=f"{year}-06-30").to_parquet(folder / "measures.parquet")


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("store")
    for year in (2017, 2018):
        _write_period(root, year)
    (root / "2016").mkdir()
    (root / "2016" / "provenance.json").write_text("{}", encoding="utf-8")
    return root


class Shown:
    """What the chapter displayed: Markdown texts and tables (caption, table, data)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(mv, "Chapter", FakeChapter)
        self.markdown: list[str] = []
        self.tables: dict[str, tuple[str, pd.DataFrame, pd.DataFrame | None]] = {}
        self.charts: list[str] = []
        monkeypatch.setattr(mv, "display", lambda obj: self.markdown.append(obj.data))
        monkeypatch.setattr(mv, "show_table", self.table)
        monkeypatch.setattr(mv, "show_chart", self.chart)

    def table(self, df, *, caption, name, data=None, xlsx=None) -> None:
        self.tables[name] = (caption, df, data)

    def chart(self, fig, *, alt, data, name) -> None:
        plt.close(fig)
        self.charts.append(name)

    @property
    def text(self) -> str:
        return "\n".join(self.markdown)


def show_all(mc: mv.MeasuresChapter) -> None:
    for name in [n for n in dir(mc) if n.startswith("show_")]:
        getattr(mc, name)()


def test_period_without_register_shows_only_the_notice(store_dir, monkeypatch):
    shown = Shown(monkeypatch)
    mc = mv.MeasuresChapter("2016", str(store_dir))
    show_all(mc)
    assert len(shown.markdown) == 1 and not shown.tables and not shown.charts
    assert "kein Maßnahmenregister" in shown.text and "2017, 2018" in shown.text


def test_first_register_year(store_dir, monkeypatch):
    shown = Shown(monkeypatch)
    mc = mv.MeasuresChapter("2017", str(store_dir))
    assert mc.previous_period == "2016" and mc.previous is None
    show_all(mc)
    text = shown.text
    assert "## Zusammenfassung 2017" in text and "Stand: 30.06.2017" in text
    for goal in m.GOALS.values():
        assert goal in text
    assert "Für 2016 liegt kein Register vor" in text
    assert "veraenderungen" not in shown.tables
    assert {"kennzahlen", "art-der-stelle", "verantwortliche-stelle", "herkunft"} <= set(
        shown.tables
    )
    kinds = shown.tables["art-der-stelle"][1]
    assert list(kinds.index) == [m.BODY_TYPE_LABELS[t] for t in m.BODY_TYPES]
    assert shown.charts == ["abdeckung-grafik"]


def test_second_year_shows_changes_and_german_downloads(store_dir, monkeypatch):
    shown = Shown(monkeypatch)
    show_all(mv.MeasuresChapter("2018", str(store_dir)))
    assert "## Veränderungen seit dem Vorjahr" in shown.text
    assert "Gegenüber dem Register 2017" in shown.text
    assert shown.tables["veraenderungen"][0] == "Maßnahmen 2018 nach Veränderung gegenüber 2017"
    english = {"measure_id", "year", "title", "need", "body", "participants", "period"}
    for name, (_, df, data) in shown.tables.items():
        headers = {*map(str, df.columns), *map(str, df.index.names)}
        if data is not None:
            headers |= {*map(str, data.columns), *map(str, data.index.names)}
        assert not headers & english, (name, headers & english)
        assert "..." not in df.to_string(), name
    register = shown.tables["register"][1]
    assert register["Teilnehmende"].isin([".", "–"]).any()


def test_register_xlsx_keeps_suppression(store_dir):
    mc = mv.MeasuresChapter("2018", str(store_dir))
    content = m.register_xlsx(mc.published)
    assert content == m.register_xlsx(mc.published)
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "ID")
    col = header.index("Teilnehmende")
    values = [r[col] for r in rows[rows.index(header) + 1 :]]
    assert all(v is None or v == "." or v == 0 or v >= 3 for v in values)


class FakeChapter:
    """Stands in for the indicator chapter view: the published table and headline groups."""

    def __init__(self, period: str, data_dir: str = "") -> None:
        rows = [
            ("2016", "SPR-01", "insgesamt", 24.0, ""),
            ("2018", "ARB-01", "insgesamt", 56.0, ""),
            ("2018", "SPR-01", "insgesamt", 25.5, ""),
            ("2016", "SPR-01", "nichtdeutsch", 50.0, ""),
            ("2018", "SPR-01", "nichtdeutsch", 52.9, ""),
            ("2016", "KITA-01", "insgesamt", 20.0, ""),
            ("2018", "KITA-01", "insgesamt", float("nan"), "."),
        ]
        self.table = pd.DataFrame(rows, columns=["period", "indicator", "group", "value", "symbol"])
        self.table = self.table.assign(
            area_code=CITY, breakdown="insgesamt", breakdown_value="insgesamt", unit="%"
        )
        by_sex = pd.DataFrame(
            {"period": "2018", "indicator": "ARB-01", "group": "insgesamt", "value": [53.2, 58.6]}
        ).assign(symbol="", area_code=CITY, breakdown="sex", breakdown_value=["w", "m"], unit="%")
        self.table = pd.concat([self.table, by_sex], ignore_index=True)

    def headline_group(self, indicator: str) -> str:
        return "nichtdeutsch" if indicator == "SPR-01" else "insgesamt"

    def indicators_table(self, indicators) -> pd.DataFrame:
        return self.table[self.table["indicator"].isin(list(indicators))]


def test_indicator_values_name_their_group(store_dir, monkeypatch):
    monkeypatch.setattr(mv, "Chapter", FakeChapter)
    shown = Shown(monkeypatch)
    mc = mv.MeasuresChapter("2018", str(store_dir))
    view = mc.indicator_changes
    spr = view[view["indicator"] == "SPR-01"]
    assert len(spr) and (spr["group"] == "nichtdeutsch").all()
    assert not view.duplicated(["measure_id", "indicator"]).any()
    mc.show_indicators()
    caption, table, data = shown.tables["indikatoren"]
    row = table[table["Indikator"].str.startswith("SPR-01")].iloc[0]
    assert row["Indikator"].endswith(": Kinder mit nichtdeutscher Familiensprache")
    assert row["Gruppe"] == "Kinder mit nichtdeutscher Familiensprache"
    assert row["Wert im Berichtsjahr"] == "52,9 %" and row["Einheit"] == "%"
    kita = table[table["Indikator"].str.startswith("KITA-01")].iloc[0]
    assert kita["Gruppe"] == "insgesamt" and kita["Wert im Berichtsjahr"] == "."
    assert kita["Indikator"] == f"KITA-01 {load_catalogue()['KITA-01'].title}"
    assert "Maßnahme (ID)" in data.columns and "Zeichen im Berichtsjahr" in data.columns
    assert m.IMPACT_CAVEAT in shown.text and "keine Wirkungsmessung" in caption


def test_goal_4_indicators_by_sex(store_dir, monkeypatch):
    monkeypatch.setattr(mv, "Chapter", FakeChapter)
    shown = Shown(monkeypatch)
    mc = mv.MeasuresChapter("2018", str(store_dir))
    assert len(mc.goal4_measures) and all("4" in g for g in mc.goal4_measures["goals"])
    mc.show_women()
    assert "## Frauen und Mädchen (Schwerpunktziel 4)" in shown.text
    assert m.GOALS[4] in shown.text
    assert "ARB-01" in {i for v in mc.goal4_measures["indicators"] for i in m.split_list(v)}
    caption, table, data = shown.tables["geschlecht"]
    assert list(table.columns) == ["Gruppe", "Einheit", "weiblich", "männlich", "insgesamt"]
    row = table.iloc[0]
    assert (row["weiblich"], row["männlich"], row["insgesamt"]) == ("53,2 %", "58,6 %", "56,0 %")
    assert {"Wert weiblich", "Zeichen weiblich", "Berichtsjahr"} <= set(data.columns)
    assert "nach Geschlecht" in caption


def test_indicator_formats():
    assert mi.fmt_indicator(1234, "Personen") == "1.234"
    assert mi.fmt_indicator(5.0, "%", "/") == "/"
    assert mi.fmt_indicator(float("nan"), "%") == "."
    assert mi.fmt_indicator_change(2.47, "je 100 Kinder", True) == "+2,5 Prozentpunkte"
    assert mi.fmt_indicator_change(0.0, "Anzahl", True) == "0"
    assert mi.fmt_indicator_change(1.0, "%", False) == "x"
    assert mi.value_label("XYZ-99", "insgesamt", load_catalogue()) == "XYZ-99"
    assert mi.group_text("SPR-01", None, load_catalogue()) == "insgesamt"


# --------------------------------------------------------------------------- notebook


def test_notebook_is_narration_and_calls_of_the_chapter_view():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata.get("tags") == ["parameters"]
    assert code[0].source.splitlines()[0].startswith('period: str = "')
    calls = []
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        assert len(cell.source.strip().splitlines()) <= 15
        assert "display" not in cell.source and "Markdown" not in cell.source
    for cell in code[1:]:
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.ImportFrom):
                assert node.module == "bielefeld_integration.present.measures_view"
                assert [a.name for a in node.names] == ["MeasuresChapter"]
            elif isinstance(node, ast.Assign):
                assert ast.unparse(node) == "mc = MeasuresChapter(period, data_dir)"
            else:
                assert isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
                func = node.value.func
                assert isinstance(func, ast.Attribute) and func.value.id == "mc"
                calls.append(func.attr)
    public = {n for n in dir(mv.MeasuresChapter) if n.startswith("show_")}
    assert set(calls) == public and len(calls) == len(public)


def _execute(period: str, tmp_path: Path, data: Path) -> list[dict]:
    import papermill

    out = tmp_path / f"massnahmen-{period}.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"period": period, "data_dir": str(data)},
        kernel_name="python3",
        progress_bar=False,
    )
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    outputs = [o for c in cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    return outputs


def _text(outputs: list[dict], mime: str) -> list[str]:
    return ["".join(o["data"][mime]) for o in outputs if mime in o.get("data", {})]


@pytest.mark.slow
def test_notebook_runs_on_demo_store(tmp_path: Path, demo_store: Path) -> None:
    out17 = _execute("2017", tmp_path, demo_store)
    md17 = "\n".join(_text(out17, "text/markdown"))
    assert m.IMPACT_CAVEAT in md17 and m.GOALS[4] in md17
    assert "Verantwortlich sind städtische Ämter und Einrichtungen" in md17
    html17 = _text(out17, "text/html")
    register = [t for t in html17 if "Maßnahmenregister 2017</caption>" in t]
    assert len(register) == 1 and register[0].count("<tr>") - 1 >= 60
    assert "Veränderungen seit dem Vorjahr" not in md17
    # unknown participant counts are ".", never "..." (that sign means "comes later")
    assert ">...</td>" not in register[0] and ">.</td>" in register[0]

    out19 = _execute("2019", tmp_path, demo_store)
    md19 = "\n".join(_text(out19, "text/markdown"))
    assert "Veränderungen seit dem Vorjahr" in md19 and "Register 2018" in md19
    assert any("nach Veränderung gegenüber 2018" in t for t in _text(out19, "text/html"))


@pytest.mark.slow
def test_notebook_without_register_shows_no_tables(tmp_path: Path, demo_store: Path) -> None:
    outputs = _execute("2015", tmp_path, demo_store)
    assert not _text(outputs, "text/html") and not _text(outputs, "image/png")
    assert any("kein Maßnahmenregister" in t for t in _text(outputs, "text/markdown"))

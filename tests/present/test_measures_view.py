"""Tests of the chapter "Umsetzung der Maßnahmen": view functions and the notebook."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from bielefeld_integration import measures as m
from bielefeld_integration.present import measures_view as mv

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "08_massnahmen.ipynb"
BILDUNG, ARBEIT, GESUNDHEIT = m.FIELDS[0], m.FIELDS[1], m.FIELDS[3]


def _measure(ident: str, **kw) -> dict:
    rec = {
        "measure_id": ident,
        "title": f"Maßnahme {ident}",
        "description": "",
        "body": "Jugendamt",
        "body_type": "städtisch",
        "field": BILDUNG,
        "goals": "1",
        "target_groups": "Kinder",
        "origin": "im Konzept benannt",
        "status": "laufend",
        "start": "2016-01-01",
        "end": None,
        "as_of": "2019-06-30",
        "participants": 10,
        "budget_eur": 1000.0,
        "funding": "Stadt",
        "indicators": "",
    }
    rec.update(kw)
    return rec


def _register(*recs: dict) -> pd.DataFrame:
    df = pd.DataFrame(list(recs), columns=m.COLUMNS)
    df["participants"] = pd.array(df["participants"], dtype="Int64")
    df["budget_eur"] = df["budget_eur"].astype("float64")
    return df


@pytest.fixture
def reg() -> pd.DataFrame:
    return _register(
        _measure("A", goals="1;2", indicators="KITA-01", participants=2, budget_eur=500.0),
        _measure(
            "B", field=ARBEIT, goals="1", participants=40, start="2019-03-01", indicators="ARB-01"
        ),
        _measure(
            "C",
            field=GESUNDHEIT,
            goals="2;4",
            participants=None,
            budget_eur=None,
            status="abgeschlossen",
            start="2019-02-01",
        ),
        _measure("D", field=GESUNDHEIT, goals="4", participants=0, budget_eur=250.5),
    )


@pytest.fixture
def prev() -> pd.DataFrame:
    return _register(
        _measure("A", as_of="2018-06-30"),
        _measure("C", field=GESUNDHEIT, goals="2;4", as_of="2018-06-30"),
        _measure("X", as_of="2018-06-30"),
    )


def test_previous_period_and_data_path() -> None:
    assert mv.previous_period("2019") == "2018"
    assert mv.data_path("") is None
    assert mv.data_path("/x") == Path("/x")


def test_new_ids_with_and_without_previous(reg, prev) -> None:
    assert mv.new_ids(reg, prev, "2019") == ["B", "D"]
    assert mv.new_ids(reg, None, "2019") == ["B", "C"]  # begun in 2019


def test_key_figures_use_publishable_register(reg, prev) -> None:
    data = mv.key_figures_data(reg, prev, "2019")
    values = dict(zip(data["Kennzahl"], data["Wert"], strict=True))
    assert values["Maßnahmen im Register"] == 4
    assert values["darunter laufend oder geplant"] == 3
    assert values["neue Maßnahmen"] == 2
    # A (2) is suppressed, C unknown, D zero: 40 + 0
    assert values["Teilnehmende (Summe der veröffentlichten Angaben)"] == 40
    assert values["Maßnahmen ohne veröffentlichte Teilnehmendenzahl"] == 2
    assert values["Budget (EUR, Summe der Angaben)"] == pytest.approx(1750.5)
    shown = mv.format_key_figures(data)
    assert shown.loc["Budget (EUR, Summe der Angaben)", "Wert"] == "1.751"
    assert "**4 Maßnahmen**" in mv.key_figures_text(data, prev, "2019")


def test_coverage_data_and_format(reg) -> None:
    cov = mv.coverage_data(reg)
    assert cov.loc["Bildung", "Potenziale erschließen"] == 1
    assert cov.loc["Bildung", "Kultursensible Angebote"] == 1
    assert cov.loc["Gesundheit", "Frauen und Mädchen, Gleichberechtigung"] == 2
    assert cov.loc["Gesundheit", "Insgesamt"] == 2
    assert cov.loc["Insgesamt", "Potenziale erschließen"] == 2
    assert cov.loc["Insgesamt", "Insgesamt"] == 4
    text = mv.format_counts(cov)
    assert text.loc["Wohnen und Sozialraum", "Potenziale erschließen"] == "-"
    assert text.loc["Gesundheit", "Frauen und Mädchen, Gleichberechtigung"] == "2"
    alt = mv.coverage_alt(cov)
    assert "Gesundheit × Frauen und Mädchen, Gleichberechtigung mit 2 Maßnahmen" in alt
    assert "insgesamt 4 Maßnahmen" in alt


def test_coverage_chart_has_numbers_in_cells(reg) -> None:
    import matplotlib.pyplot as plt

    fig = mv.coverage_chart(mv.coverage_data(reg), "2019", "2019-06-30")
    texts = [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)
    assert len(texts) == 6 * 4
    assert texts.count("2") == 1 and texts.count("0") == 24 - 5


def test_changes(reg, prev) -> None:
    counts = mv.change_counts(reg, prev)
    assert counts["Maßnahmen"].tolist() == [2, 1, 1, 1]  # neu B,D; fortg. A; beendet C; X
    assert "2 Maßnahmen neu aufgenommen" in mv.change_text(counts, "2019")
    status = mv.status_changes_table(reg, prev)
    assert status.index.tolist() == ["C"]
    assert status.loc["C", "Status"] == "abgeschlossen"
    assert mv.ended_table(reg, prev).index.tolist() == ["C", "X"]
    assert mv.new_measures_table(reg, ["B"]).loc["B", "Beginn"] == "01.03.2019"


def test_gap_tables(reg) -> None:
    g = m.gaps(m.active(reg), {"KITA-01", "ARB-01", "SOZ-01"}, {"SOZ-01": GESUNDHEIT})
    missing = mv.gaps_without_indicator(g)
    # active: A, B, D; Gesundheit only has D (no indicator), goal 4 only D
    assert missing["Ziel bzw. Handlungsfeld"].tolist() == [
        "Gesundheit",
        "4: Frauen und Mädchen, Gleichberechtigung",
    ]
    assert missing["Maßnahmen"].tolist() == [1, 1]
    un = mv.unaddressed_table(g, {"SOZ-01": "Gesundheitsindikator"})
    assert un.to_dict("records") == [
        {
            "Indikator": "SOZ-01",
            "Bezeichnung": "Gesundheitsindikator",
            "Handlungsfeld": "Gesundheit",
        }
    ]


def test_indicator_changes_prefers_total_group(reg) -> None:
    ind = pd.DataFrame(
        {
            "period": ["2015", "2016", "2019", "2016", "2019", "2019"],
            "indicator": ["KITA-01"] * 5 + ["ARB-01"],
            "area_level": "stadt",
            "group": ["insgesamt", "insgesamt", "insgesamt", "mit", "mit", "deutsch"],
            "value": [20.0, 22.0, 25.5, 10.0, 12.0, 7.0],
            "unit": ["%"] * 5 + ["je 100"],
            "symbol": "",
        }
    )
    view = mv.indicator_changes(reg, ind, "2019")
    assert view[["measure_id", "indicator", "group"]].values.tolist() == [
        ["A", "KITA-01", "insgesamt"],
        ["B", "ARB-01", "deutsch"],
    ]
    assert view.loc[0, "base_period"] == "2016" and view.loc[0, "change"] == pytest.approx(3.5)
    table = mv.format_indicator_changes(view, {"KITA-01": "Betreuungsquote"})
    assert table.loc["A", "Veränderung"] == "+3,5 Prozentpunkte"
    assert table.loc["A", "Wert Ausgangsjahr"] == "22,0 %"
    assert table.loc["A", "Indikator"] == "KITA-01 Betreuungsquote"
    assert table.loc["B", "Veränderung"] == "..."  # base period is the current one


def test_fmt_indicator_units() -> None:
    assert mv.fmt_indicator(1234, "Personen") == "1.234"
    assert mv.fmt_indicator(-160.0, "Personen", signed=True) == "-160"
    assert mv.fmt_indicator(2.47, "je 100 Kinder", signed=True) == "+2,5"
    assert mv.fmt_indicator(0.0, "je 100", signed=True) == "0,0"
    assert mv.fmt_indicator(0.456, "Index (0 bis 1)") == "0,46"
    assert mv.fmt_indicator(5.0, "%", "/") == "/"
    assert mv.fmt_indicator(float("nan"), "%") == "..."


def test_register_table_suppresses_participants(reg) -> None:
    pub = mv.public_register(reg)
    table = mv.register_table(pub)
    assert table["Teilnehmende"].tolist() == [".", "40", ".", "-"]
    assert table.loc["D", "Budget (EUR)"] == "251"
    assert table.loc["A", "Schwerpunktziele"] == "1, 2"
    data = mv.register_data(pub)
    assert "Teilnehmende" in data.columns and pd.isna(data.loc[0, "Teilnehmende"])
    assert (data["Teilnehmende"] != 2).all()


def test_caveat_and_no_register_text() -> None:
    assert m.IMPACT_CAVEAT in mv.caveat_markdown()
    text = mv.no_register_text("2015", ["2017", "2018"])
    assert "kein Maßnahmenregister" in text and "2017, 2018" in text


def test_notebook_cells_are_short_and_without_outputs() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    params = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(params) == 1
    assert "".join(params[0]["source"]).splitlines() == [
        'period: str = "2019"  # Berichtsjahr, vier Ziffern',
        'data_dir: str = ""  # Ordner der aufbereiteten Daten; leer heißt Standard',
    ]
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
            assert len("".join(cell["source"]).splitlines()) <= 10


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
    outputs = [
        o
        for c in json.loads(out.read_text(encoding="utf-8"))["cells"]
        for o in c.get("outputs", [])
    ]
    assert not [o for o in outputs if o["output_type"] == "error"]
    return outputs


def _text(outputs: list[dict], mime: str) -> list[str]:
    return ["".join(o["data"][mime]) for o in outputs if mime in o.get("data", {})]


@pytest.mark.slow
def test_notebook_runs_on_demo_store(tmp_path: Path, demo_store: Path) -> None:
    caveat = m.IMPACT_CAVEAT
    out17 = _execute("2017", tmp_path, demo_store)
    assert any(caveat in t for t in _text(out17, "text/markdown"))
    register = [t for t in _text(out17, "text/html") if "Maßnahmenregister 2017</caption>" in t]
    assert len(register) == 1 and register[0].count("<tr>") - 1 >= 60
    assert not any("Veränderungen seit dem Vorjahr" in t for t in _text(out17, "text/markdown"))
    assert any(
        o["data"].get("image/png") and o["metadata"]["image/png"]["alt"]
        for o in out17
        if "data" in o
    )

    out19 = _execute("2019", tmp_path, demo_store)
    md19 = _text(out19, "text/markdown")
    assert any(caveat in t for t in md19)
    assert any("Veränderungen seit dem Vorjahr" in t and "Register 2018" in t for t in md19)
    assert any("nach Veränderung gegenüber 2018" in t for t in _text(out19, "text/html"))


@pytest.mark.slow
def test_notebook_without_register_shows_no_tables(tmp_path: Path, demo_store: Path) -> None:
    outputs = _execute("2015", tmp_path, demo_store)
    assert not _text(outputs, "text/html") and not _text(outputs, "image/png")
    assert any("kein Maßnahmenregister" in t for t in _text(outputs, "text/markdown"))


def test_register_xlsx_is_deterministic_and_keeps_suppression():
    import io

    import openpyxl

    from bielefeld_integration.demo import measures as demo_measures

    content = next(d.content for d in demo_measures.deliveries(2019) if d.file == "massnahmen.csv")
    path = Path(tempfile.mkdtemp()) / "massnahmen.csv"
    path.write_bytes(content)
    pub = mv.public_register(m.load_register(path))
    first, second = mv.register_xlsx(pub), mv.register_xlsx(pub)
    assert first == second
    ws = openpyxl.load_workbook(io.BytesIO(first)).active
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "ID")
    col = header.index("Teilnehmende")
    published = [r[col] for r in rows[rows.index(header) + 1 :]]
    assert all(v is None or v >= 3 for v in published if not isinstance(v, str))

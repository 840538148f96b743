"""Measures register reader: good and bad rows, CSV and XLSX, all problems at once."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from measures_testdata import CATALOGUE, DATA, GOOD_ROW, HEADER, fixture_register, write_csv

from bielefeld_integration import measures as m
from bielefeld_integration.errors import DataError, DataErrors


@pytest.fixture
def reg() -> pd.DataFrame:
    return fixture_register()


# --------------------------------------------------------------------------- loader, good


def test_good_register_values(reg):
    assert list(reg.columns) == m.COLUMNS
    assert reg["measure_id"].tolist() == ["T-01", "T-02", "T-03", "T-04", "T-05"]
    t1, t2, t3, t4, t5 = (reg.iloc[i] for i in range(5))
    assert t1["description"] == "Offenes Sprachcafé; wöchentlich"  # quoted ';' in text
    assert t1["budget_eur"] == 12500.5
    assert t1["start"] == "2016-02-01" and pd.isna(t1["end"])
    assert t1["goals"] == "1;2" and t1["indicators"] == ""
    assert t2["participants"] == 1250 and t2["budget_eur"] == 100000.0
    assert t2["target_groups"] == "Geflüchtete;Arbeitsuchende"
    assert t2["funding"] == "Jobcenter;Agentur für Arbeit"
    assert t2["indicators"] == "ARB-05;ARB-02"
    assert t3["goals"] == "1;4"  # sorted, spaces ignored
    assert t3["start"] == "2010-08-01" and t3["description"] == ""
    assert t4["field"] == "Ausbildung/Qualifizierung/Beruf/Arbeitsmarkt"  # canonical spelling
    assert t4["end"] == "2018-03-31"  # MM.JJJJ as end = last day of month
    assert t4["status"] == "abgeschlossen" and math.isnan(t4["budget_eur"])
    assert pd.isna(t5["participants"]) and t5["body_type"] == "kommunal gefördert"
    assert (reg["as_of"] == "2018-06-30").all()
    assert str(reg["participants"].dtype) == "Int64" and reg["budget_eur"].dtype == "float64"


def test_split_helpers(reg):
    assert m.split_list(reg.at[1, "indicators"]) == ("ARB-05", "ARB-02")
    assert m.split_goals(reg.at[2, "goals"]) == (1, 4)
    assert m.split_list(("a", " b ")) == ("a", "b") and m.split_list(float("nan")) == ()


def test_controlled_values_tolerate_case_and_spacing(tmp_path):
    row = dict(
        GOOD_ROW,
        **{
            "Art der Stelle": "Kommunal Gefördert",
            "Status": "Laufend",
            "Zielgruppen": "kinder,  Eltern",
            "Indikatoren": "kita-01",
            "Finanzierung": "stadt, land nrw",
        },
    )
    out = m.load_register(write_csv(tmp_path / "r.csv", [row]))
    rec = out.iloc[0]
    assert rec["body_type"] == "kommunal gefördert" and rec["status"] == "laufend"
    assert rec["target_groups"] == "Kinder;Eltern"  # canonical order of TARGET_GROUPS
    assert rec["funding"] == "Stadt;Land NRW" and rec["indicators"] == "KITA-01"


def test_column_order_is_free_and_cp1252_is_read(tmp_path):
    header = list(reversed(HEADER))
    path = tmp_path / "r.csv"
    text = "\r\n".join([";".join(header), ";".join(GOOD_ROW[h] for h in header)]) + "\r\n"
    path.write_bytes(text.encode("cp1252"))
    out = m.load_register(path)
    assert out.iloc[0]["title"] == "Testmaßnahme" and out.iloc[0]["participants"] == 10


# --------------------------------------------------------------------------- loader, bad


BAD_CASES = [
    ("Handlungsfeld", "Bildung", "unbekanntes Handlungsfeld 'Bildung'"),
    ("Schwerpunktziele", "1,5", "unbekanntes Schwerpunktziel '5'"),
    ("Schwerpunktziele", "1,,2", "unbekanntes Schwerpunktziel leerer Eintrag"),
    ("Art der Stelle", "Verein", "unbekannte Art der Stelle 'Verein'"),
    ("Status", "läuft", "unbekannter Status 'läuft'"),
    ("Herkunft", "alt", "unbekannte Herkunft 'alt'"),
    ("Zielgruppen", "Kinder, Senioren", "unbekannte Zielgruppe 'Senioren'"),
    ("Finanzierung", "Lotto", "unbekannte Finanzierungsquelle 'Lotto'"),
    ("Indikatoren", "XYZ-99", "unbekannte Indikator-ID 'XYZ-99'"),
    ("Indikatoren", "Kita 1", "keine Indikator-ID 'Kita 1'"),
    ("Ende", "01.2016", "Ende 01.2016 liegt vor dem Beginn 02.2016"),
    ("Beginn", "31.02.2017", "kein gültiges Datum '31.02.2017'"),
    ("Beginn", "2017-02-01", "erwartet TT.MM.JJJJ oder MM.JJJJ"),
    ("Stand", "", "Pflichtangabe fehlt"),
    ("Teilnehmende", "-5", "negative Teilnehmendenzahl -5"),
    ("Teilnehmende", "12,5", "keine ganze Zahl"),
    ("Teilnehmende", "ca. 50", "keine ganze Zahl"),
    ("Budget (EUR)", "12,500.00", "kein Betrag im deutschen Zahlenformat"),
    ("Budget (EUR)", "12.50", "kein Betrag im deutschen Zahlenformat"),
    ("Budget (EUR)", "-300", "negatives Budget"),
    ("Titel", "", "Pflichtangabe fehlt"),
    ("ID", " ", "Pflichtangabe fehlt"),
    ("Zielgruppen", "", "Pflichtangabe fehlt"),
]


@pytest.mark.parametrize(("header", "value", "expected"), BAD_CASES)
def test_each_kind_of_bad_cell(tmp_path, header, value, expected):
    rows = [GOOD_ROW, {**GOOD_ROW, "ID": "X-02", header: value}]
    with pytest.raises(DataErrors) as info:
        m.load_register(write_csv(tmp_path / "r.csv", rows), known_indicators=CATALOGUE)
    errors = info.value.errors
    assert len(errors) == 1, str(info.value)
    err = errors[0]
    assert expected in err.problem
    assert err.row == 3 and err.column == header
    assert isinstance(err, DataError) and err.file.endswith("r.csv")


@pytest.mark.parametrize(
    ("changes", "column", "expected"),
    [
        ({"Status": "abgeschlossen"}, "Ende", "Pflichtangabe fehlt bei Status 'abgeschlossen'"),
        ({"Status": "eingestellt", "Ende": "12.2018"}, "Status", "liegt nach dem Stand"),
        ({"Beginn": "01.09.2018"}, "Status", "Status 'laufend', aber Beginn 01.09.2018"),
        ({"Stand": "30.06.2017"}, "Stand", "gehört nicht zum Berichtsjahr 2018"),
    ],
)
def test_inconsistent_rows(tmp_path, changes, column, expected):
    path = write_csv(tmp_path / "r.csv", [dict(GOOD_ROW, **changes)])
    with pytest.raises(DataErrors) as info:
        m.load_register(path, period="2018")
    (err,) = info.value.errors
    assert err.column == column and expected in err.problem and err.row == 2


def test_planned_measure_may_start_after_stand(tmp_path):
    row = dict(GOOD_ROW, Status="geplant", Beginn="01.09.2018", Teilnehmende="")
    out = m.load_register(write_csv(tmp_path / "r.csv", [row]), period=2018)
    assert out.iloc[0]["status"] == "geplant" and pd.isna(out.iloc[0]["participants"])


def test_duplicate_id_names_both_lines(tmp_path):
    path = write_csv(tmp_path / "r.csv", [GOOD_ROW, GOOD_ROW])
    with pytest.raises(DataErrors) as info:
        m.load_register(path)
    (err,) = info.value.errors
    assert err.row == 3 and err.column == "ID" and "zuerst in Zeile 2" in err.problem


def test_broken_register_reports_every_row_at_once():
    path = DATA / "register_broken.csv"
    with pytest.raises(DataErrors) as info:
        m.load_register(path, known_indicators=CATALOGUE | {"KITA-01"}, period="2018")
    errors = info.value.errors
    lines = sorted(e.row for e in errors)
    assert lines == list(range(4, 15)), str(info.value)  # eleven kinds, one per line
    text = str(info.value)
    assert text.startswith(f"Maßnahmenregister {path}: 11 Problem(e) gefunden:")
    for line in range(4, 15):
        assert f"Zeile {line}," in text
    by_line = {e.row: e for e in errors}
    assert by_line[4].column == "Handlungsfeld"
    assert by_line[5].column == "Schwerpunktziele"
    assert by_line[6].column == "Art der Stelle"
    assert by_line[7].column == "Status"
    assert by_line[8].column == "Indikatoren" and "XYZ-99" in by_line[8].problem
    assert by_line[9].column == "Ende"
    assert by_line[10].column == "ID" and "doppelt" in by_line[10].problem
    assert by_line[11].column == "Beginn"
    assert by_line[12].column == "Teilnehmende"
    assert by_line[13].column == "Budget (EUR)"
    assert by_line[14].column == "Titel"
    assert 3 not in by_line and 15 not in by_line


def test_without_catalogue_only_the_form_of_ids_is_checked(tmp_path):
    row = dict(GOOD_ROW, Indikatoren="XYZ-99")
    out = m.load_register(write_csv(tmp_path / "r.csv", [row]), known_indicators=None)
    assert out.iloc[0]["indicators"] == "XYZ-99"


def test_header_problems_are_reported_together(tmp_path):
    header = [h for h in HEADER if h not in ("Status", "Stand")] + ["Bemerkung"]
    path = write_csv(tmp_path / "r.csv", [GOOD_ROW], header=header)
    with pytest.raises(DataErrors) as info:
        m.load_register(path)
    text = str(info.value)
    assert "unerwartete Spalte 'Bemerkung'" in text
    assert "Spalte(n) fehlen: Status, Stand" in text


def test_wrong_delimiter_and_wrong_cell_count(tmp_path):
    comma = tmp_path / "comma.csv"
    comma.write_text(",".join(HEADER) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="Semikolon"):
        m.load_register(comma)
    short = tmp_path / "short.csv"
    short.write_text(";".join(HEADER) + "\nX-01;nur zwei\n", encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        m.load_register(short)
    assert info.value.errors[0].row == 2 and "2 Felder statt 17" in str(info.value)


@pytest.mark.parametrize("content", [b"", b"# nur ein Kommentar\n"])
def test_empty_files(tmp_path, content):
    path = tmp_path / "r.csv"
    path.write_bytes(content)
    with pytest.raises(DataError):
        m.load_register(path)


def test_header_only_and_unknown_format(tmp_path):
    path = write_csv(tmp_path / "r.csv", [])
    with pytest.raises(DataError, match="keine Datenzeilen"):
        m.load_register(path)
    with pytest.raises(DataError, match="Dateiformat"):
        m.load_register(tmp_path / "r.ods")


# --------------------------------------------------------------------------- xlsx


def _xlsx_from_csv(csv_path: Path, xlsx_path: Path, *, excel_types: bool) -> Path:
    """The CSV fixture as the clerk's Excel sheet (with real dates/numbers if requested)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["# Kommentarzeile"])
    lines = [
        ln for ln in csv_path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")
    ]
    import csv

    rows = list(csv.reader(lines, delimiter=";"))
    ws.append(rows[0])
    for row in rows[1:]:
        cells: list[object] = []
        for header, value in zip(rows[0], row, strict=True):
            if not excel_types or value == "":
                cells.append(value or None)
            elif header in ("Beginn", "Stand") and value.count(".") == 2:
                d, mth, y = (int(p) for p in value.split("."))
                cells.append(dt.datetime(y, mth, d))
            elif header == "Teilnehmende":
                cells.append(int(value.replace(".", "")))
            elif header == "Budget (EUR)":
                cells.append(float(value.replace(".", "").replace(",", ".")))
            elif header == "Schwerpunktziele" and value.replace(" ", "") == "1,2":
                cells.append(1.2)  # what German Excel makes of "1,2"
            else:
                cells.append(value)
        ws.append(cells)
    wb.save(xlsx_path)
    return xlsx_path


@pytest.mark.parametrize("excel_types", [False, True])
def test_xlsx_loads_the_same_as_csv(tmp_path, reg, excel_types):
    path = _xlsx_from_csv(
        DATA / "register_2018.csv", tmp_path / "massnahmen.xlsx", excel_types=excel_types
    )
    out = m.load_register(path, known_indicators=CATALOGUE, period=2018)
    pd.testing.assert_frame_equal(out, reg)


def test_xlsx_errors_name_the_excel_row(tmp_path):
    path = _xlsx_from_csv(DATA / "register_broken.csv", tmp_path / "b.xlsx", excel_types=False)
    with pytest.raises(DataErrors) as info:
        m.load_register(path, known_indicators=CATALOGUE | {"KITA-01"})
    # Excel: row 1 comment, row 2 header, rows 4..14 broken as in the CSV
    assert sorted(e.row for e in info.value.errors) == list(range(4, 15))


def test_broken_xlsx_is_a_data_error(tmp_path):
    path = tmp_path / "kaputt.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DataError, match="keine lesbare Excel-Datei"):
        m.load_register(path)

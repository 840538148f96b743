"""Measures register: loader (good and bad rows, CSV and XLSX), summaries, demo register."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from bielefeld_integration import measures as m
from bielefeld_integration.demo import SYNTHETIC_NOTE
from bielefeld_integration.demo import measures as demo
from bielefeld_integration.errors import DataError, DataErrors

DATA = Path(__file__).parent / "data" / "measures"
HEADER = list(m.HEADERS)
CATALOGUE = {"ARB-01", "ARB-02", "ARB-05", "SPR-01", "KITA-01", "WOH-01", "FLU-03"}

GOOD_ROW = {
    "ID": "X-01",
    "Titel": "Testmaßnahme",
    "Kurzbeschreibung": "",
    "Verantwortliche Stelle": "Jugendamt",
    "Art der Stelle": "städtisch",
    "Handlungsfeld": "Betreuung/Erziehung/Bildung",
    "Schwerpunktziele": "1",
    "Zielgruppen": "Kinder",
    "Herkunft": "neu initiiert",
    "Status": "laufend",
    "Beginn": "02.2016",
    "Ende": "",
    "Stand": "30.06.2018",
    "Teilnehmende": "10",
    "Budget (EUR)": "1.000",
    "Finanzierung": "Stadt",
    "Indikatoren": "",
}


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    lines = [";".join(header)] + [";".join(r.get(h, "") for h in header) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def reg() -> pd.DataFrame:
    return m.load_register(DATA / "register_2018.csv", known_indicators=CATALOGUE, period=2018)


@pytest.fixture
def previous() -> pd.DataFrame:
    return m.load_register(DATA / "register_2017.csv", period="2017")


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


# --------------------------------------------------------------------------- summaries


def test_coverage_matrix(reg):
    cov = m.coverage_matrix(reg)
    assert list(cov.index) == m.FIELDS and list(cov.columns) == [1, 2, 3, 4]
    expected = {
        "Betreuung/Erziehung/Bildung": [1, 0, 0, 1],
        "Ausbildung/Qualifizierung/Beruf/Arbeitsmarkt": [1, 0, 0, 1],
        "Kultur/Freizeit/Sport/Erwachsenenbildung": [1, 1, 0, 0],
        "Gesundheit/besondere Lebenslagen": [0, 0, 0, 0],
        "Soziales Umfeld/Wohnen/Stadtentwicklung": [0, 0, 0, 0],
        "Willkommenskultur/Interkulturelle Orientierung öffentlicher Institutionen": [0, 0, 1, 0],
    }
    for field, counts in expected.items():
        assert cov.loc[field].tolist() == counts
    full = m.coverage_matrix(reg, totals=True)
    assert full["Insgesamt"].tolist() == [1, 2, 1, 0, 0, 1, 5]
    assert full.loc["Insgesamt"].tolist() == [3, 1, 1, 2, 5]


def test_by_body(reg):
    bt = m.by_body(reg, level="body_type")
    assert bt["body_type"].tolist() == m.BODY_TYPES
    assert bt["measures"].tolist() == [2, 1, 1, 1]
    assert bt["participants"].tolist() == [122, 57, 1250, pd.NA]
    assert bt["participants_missing"].tolist() == [0, 0, 0, 1]
    assert bt.loc[0, "budget_eur"] == 50500.5 and math.isnan(bt.loc[1, "budget_eur"])
    assert bt["budget_missing"].tolist() == [0, 1, 0, 0]
    bodies = m.by_body(reg)
    assert bodies["body"].tolist()[:2] == [
        "Kommunales Integrationszentrum (KI)",
        "Stadtbibliothek Bielefeld",
    ]
    assert bodies["participants"].tolist()[:2] == [2, 120]
    with pytest.raises(ValueError):
        m.by_body(reg, level="district")  # type: ignore[arg-type]


def test_totals_by_funding(reg):
    t = m.totals(reg).set_index("funding")
    assert t.index.tolist() == [
        "Stadt",
        "Land NRW",
        "EU/ESF",
        "Jobcenter",
        "Agentur für Arbeit",
        "Insgesamt",
    ]
    assert t.loc["Stadt"].to_dict() == {
        "measures": 3,
        "measures_cofunded": 2,
        "participants": 122,
        "participants_missing": 1,
        "budget_eur": 88500.5,
        "budget_sole_eur": 12500.5,
    }
    assert t.loc["Land NRW", "budget_eur"] == 76000.0
    assert math.isnan(t.loc["Land NRW", "budget_sole_eur"])
    assert math.isnan(t.loc["EU/ESF", "budget_eur"]) and t.loc["EU/ESF", "participants"] == 57
    assert t.loc["Jobcenter", "participants"] == 1250
    total = t.loc["Insgesamt"]
    assert total["measures"] == 5 and total["measures_cofunded"] == 3
    assert total["participants"] == 1429 and total["participants_missing"] == 1
    assert total["budget_eur"] == 188500.5


def test_key_figures(reg):
    k = m.key_figures(reg)
    assert k["measures"] == 5 and k["laufend"] == 4 and k["abgeschlossen"] == 1
    assert k["neu initiiert"] == 2 and k["with_indicator"] == 3
    assert k["participants"] == 1429 and k["budget_eur"] == 188500.5
    assert k["as_of"] == "2018-06-30"
    assert m.active(reg)["measure_id"].tolist() == ["T-01", "T-02", "T-03", "T-05"]


def test_changes(reg, previous):
    ch = m.changes(reg, previous)
    got = dict(zip(ch["measure_id"], ch["change"], strict=True))
    assert got == {
        "T-05": "neu",
        "T-01": "fortgeführt",
        "T-02": "fortgeführt",
        "T-03": "fortgeführt",
        "T-04": "beendet",
        "T-06": "nicht mehr im Register",
    }
    assert ch["change"].tolist() == [
        "neu",
        "fortgeführt",
        "fortgeführt",
        "fortgeführt",
        "beendet",
        "nicht mehr im Register",
    ]
    row = ch.set_index("measure_id")
    assert row.loc["T-04", "status_previous"] == "laufend"
    assert row.loc["T-04", "status"] == "abgeschlossen" and row.loc["T-04", "status_changed"]
    assert not row.loc["T-01", "status_changed"]
    assert row.loc["T-02", "participants_previous"] == 1400
    assert row.loc["T-02", "participants"] == 1250
    assert pd.isna(row.loc["T-06", "status"]) and pd.isna(row.loc["T-05", "status_previous"])
    assert row.loc["T-06", "title"] == "Notunterkünfte in Turnhallen"
    assert row.loc["T-01", "budget_previous_eur"] == 12000.0


def test_gaps(reg):
    fields = {
        "KITA-01": "Betreuung/Erziehung/Bildung",
        "SPR-01": "Betreuung/Erziehung/Bildung",
        "WOH-01": "Soziales Umfeld/Wohnen/Stadtentwicklung",
        "ARB-01": "Arbeit",
    }
    ids = ["ARB-01", "ARB-05", "SPR-01", "KITA-01", "WOH-01"]
    g = m.gaps(reg, ids, fields)
    assert g.fields_without_indicator == [
        "Kultur/Freizeit/Sport/Erwachsenenbildung",
        "Willkommenskultur/Interkulturelle Orientierung öffentlicher Institutionen",
    ]
    assert g.goals_without_indicator == [2, 3]
    assert g.indicators_without_measure == ["KITA-01", "WOH-01"]
    f = g.fields.set_index("field")
    assert f.loc["Ausbildung/Qualifizierung/Beruf/Arbeitsmarkt", "indicators"] == "ARB-01;ARB-05"
    assert f.loc["Ausbildung/Qualifizierung/Beruf/Arbeitsmarkt", "measures"] == 2
    assert f.loc["Betreuung/Erziehung/Bildung", "catalogue_indicators"] == "KITA-01;SPR-01"
    assert not f.loc["Gesundheit/besondere Lebenslagen", "gap"]  # no measures, no gap
    assert g.unaddressed.set_index("indicator").loc["WOH-01", "indicator_field"] == (
        "Soziales Umfeld/Wohnen/Stadtentwicklung"
    )
    assert g.unknown.to_dict("records") == [{"indicator": "ARB-02", "measures": "T-02"}]


def _indicator_table() -> pd.DataFrame:
    """A small indicator table in the layout of ``indicators.compute``."""
    city, total = "05711000", "insgesamt"
    rows = [
        ("2015", "SPR-01", "stadt", city, total, total, total, 20.0, ""),
        ("2016", "SPR-01", "stadt", city, total, total, total, 21.0, ""),
        ("2017", "SPR-01", "stadt", city, total, total, total, 22.0, ""),
        ("2018", "SPR-01", "stadt", city, total, total, total, 19.0, ""),
        ("2018", "SPR-01", "stadtbezirk", "01", total, total, total, 35.0, ""),  # ignored
        ("2018", "SPR-01", "stadt", city, total, "sex", "w", 18.0, ""),  # ignored
        ("2015", "ARB-05", "stadt", city, total, total, total, math.nan, "..."),
        ("2016", "ARB-05", "stadt", city, total, total, total, 500.0, "/"),
        ("2018", "ARB-05", "stadt", city, total, total, total, 800.0, ""),
        ("2019", "ARB-05", "stadt", city, total, total, total, 900.0, ""),  # after the period
    ]
    cols = [
        "period",
        "indicator",
        "area_level",
        "area_code",
        "group",
        "breakdown",
        "breakdown_value",
        "value",
        "symbol",
    ]
    return pd.DataFrame(rows, columns=cols).assign(unit="%")


def test_indicator_view(reg):
    view = m.indicator_view(reg, _indicator_table())
    assert view["period"].unique().tolist() == ["2018"]
    assert list(view.columns) == [
        "measure_id",
        "title",
        "status",
        "start_year",
        "indicator",
        "group",
        "unit",
        "base_period",
        "base_value",
        "base_symbol",
        "period",
        "value",
        "symbol",
        "change",
    ]
    v = view.set_index(["measure_id", "indicator"])
    t3 = v.loc[("T-03", "SPR-01")]  # start 2010: first available year 2015
    assert (t3["base_period"], t3["base_value"], t3["value"], t3["change"]) == (
        "2015",
        20.0,
        19.0,
        -1.0,
    )
    t2 = v.loc[("T-02", "ARB-05")]  # start 2015 has no value: first year with one is 2016
    assert (t2["base_period"], t2["base_value"], t2["value"], t2["change"]) == (
        "2016",
        500.0,
        800.0,
        300.0,
    )
    assert t2["base_symbol"] == "/" and t2["group"] == "insgesamt" and t2["unit"] == "%"
    assert math.isnan(v.loc[("T-02", "ARB-02"), "value"])  # no values for ARB-02
    assert math.isnan(v.loc[("T-04", "ARB-01"), "base_value"])
    assert view["measure_id"].tolist() == ["T-02", "T-02", "T-03", "T-04"]  # register order
    assert "Wirkungsmessung" in m.IMPACT_CAVEAT


def test_indicator_view_start_year_and_period(reg):
    reg2 = reg.assign(start=reg["start"].where(reg["measure_id"] != "T-03", "2017-01-01"))
    v = m.indicator_view(reg2, _indicator_table(), period=2017).set_index(
        ["measure_id", "indicator"]
    )
    t3 = v.loc[("T-03", "SPR-01")]
    assert t3["base_period"] == "2017" and t3["value"] == 22.0
    assert math.isnan(t3["change"])  # base year = current year: no change shown
    unlinked = m.indicator_view(reg, _indicator_table(), include_unlinked=True)
    assert {"T-01", "T-05"} <= set(unlinked["measure_id"])


def test_indicator_view_groups_filters_and_ambiguity(reg):
    ind = _indicator_table()
    by_sex = pd.concat(
        [ind.assign(sex="insgesamt"), ind.assign(sex="w", value=0.0)], ignore_index=True
    )
    with pytest.raises(DataError, match="mehrere Werte"):
        m.indicator_view(reg, by_sex)
    out = m.indicator_view(reg, by_sex, filters={"sex": "insgesamt"})
    pd.testing.assert_frame_equal(out, m.indicator_view(reg, ind))
    with pytest.raises(DataError, match="unbekannte Spalte"):
        m.indicator_view(reg, ind, filters={"sex": "w"})
    with pytest.raises(DataError, match="ohne Spalte"):
        m.indicator_view(reg, ind.drop(columns="value"))
    two = pd.concat([ind, ind.assign(group="auslaendisch", value=ind["value"] * 2)])
    both = m.indicator_view(reg, two)
    assert len(both) == 6  # SPR-01 and ARB-05 in two groups, ARB-02 and ARB-01 without data
    only = m.indicator_view(reg, two, groups=["auslaendisch"])
    assert only.set_index(["measure_id", "indicator"]).loc[("T-03", "SPR-01"), "value"] == 38.0
    legacy = ind[ind["breakdown"] == "insgesamt"].rename(columns={"indicator": "indicator_id"})
    legacy = legacy.drop(
        columns=["area_code", "breakdown", "breakdown_value", "symbol", "group", "unit"]
    )
    plain = m.indicator_view(reg, legacy)  # city rows found through area_level
    assert list(plain.columns) == [
        "measure_id",
        "title",
        "status",
        "start_year",
        "indicator",
        "base_period",
        "base_value",
        "period",
        "value",
        "change",
    ]


def test_catalogue_helpers():
    ids = m.catalogue_ids()
    if ids is None:
        pytest.skip("no indicator catalogue")
    fields = m.catalogue_fields()
    assert set(fields) == ids
    assert fields.get("KITA-01", m.FIELDS[0]) == m.FIELDS[0]
    assert set(m.CATALOGUE_FIELD_CODES.values()) == set(m.FIELDS)


# --------------------------------------------------------------------------- publication


def test_publishable_suppresses_small_participant_counts(reg):
    pub, log = m.publishable(reg)
    sym = dict(zip(pub["measure_id"], pub["participants_symbol"], strict=True))
    assert sym == {"T-01": "", "T-02": "", "T-03": ".", "T-04": "", "T-05": "..."}
    assert math.isnan(pub.loc[2, "participants"]) and pub.loc[0, "participants"] == 120
    assert log.to_dict("records") == [
        {
            "measure_id": "T-03",
            "column": "participants",
            "value": 2,
            "reason": "primär: Fallzahl < 3",
        }
    ]
    assert pub["budget_eur"].tolist()[:3] == [12500.5, 100000.0, 38000.0]  # budgets stay
    # sums for publication leave the suppressed count out
    bt = m.by_body(pub, level="body_type").set_index("body_type")
    assert bt.loc["städtisch", "participants"] == 120
    assert bt.loc["städtisch", "participants_missing"] == 1
    assert m.totals(pub).set_index("funding").loc["Insgesamt", "participants"] == 1427
    # and the published export shows the symbol
    text = m.register_csv(pub)
    assert "\nT-03;Rucksack KiTa;;" in text and ";30.06.2018;.;38.000;" in text


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_round_trip_and_deterministic(tmp_path, reg, suffix):
    a = m.export_register(reg, tmp_path / f"a{suffix}", comment="Test")
    b = m.export_register(reg, tmp_path / f"b{suffix}", comment="Test")
    assert a.read_bytes() == b.read_bytes()
    if suffix == ".xlsx":  # fixed zip timestamps: same bytes also on another day
        assert {i.date_time for i in zipfile.ZipFile(a).infolist()} == {(1980, 1, 1, 0, 0, 0)}
    back = m.load_register(a, known_indicators=CATALOGUE, period=2018)
    pd.testing.assert_frame_equal(back, reg)
    assert not list(tmp_path.glob(".*.tmp"))


def test_export_csv_format(tmp_path, reg):
    raw = m.export_register(reg, tmp_path / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfID;Titel;")  # BOM: Excel opens UTF-8 correctly
    text = raw.decode("utf-8-sig")
    assert ";12.500,50;" in text and ";1250;100.000;" in text and ";31.03.2018;" in text
    with pytest.raises(ValueError):
        m.export_register(reg, tmp_path / "r.ods")


def test_measures_table_spec_fits_ingest(tmp_path):
    from bielefeld_integration.sources.measures import LOADERS
    from bielefeld_integration.tables import Table

    table = Table(**m.MEASURES_TABLE_SPEC)
    path = tmp_path / "massnahmen.csv"
    path.write_bytes(demo.deliveries(2018)[0].content)
    df = LOADERS["measures"](path, reference_date="2018-06-30")
    out = table.schema.validate(df, lazy=True)
    assert list(out[table.column_names].columns) == [*m.COLUMNS, "reference_date"]
    with pytest.raises(DataError, match="Stichtag"):
        LOADERS["measures"](path, reference_date="2018-06-01")


def test_ingest_path_reads_the_demo_register(tmp_path, monkeypatch):
    from bielefeld_integration import sources, tables

    monkeypatch.setitem(tables.TABLES, "measures", tables.Table(**m.MEASURES_TABLE_SPEC))
    path = tmp_path / "massnahmen.csv"
    path.write_bytes(demo.deliveries(2019)[0].content)
    df = sources.load_file("measures", path, reference_date="2019-06-30")
    assert len(df) == len(demo.register(2019)) and (df["reference_date"] == "2019-06-30").all()


# --------------------------------------------------------------------------- demo


@pytest.fixture(scope="module")
def demo_regs(tmp_path_factory) -> dict[int, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("demo")
    out = {}
    for year in demo.YEARS:
        (d,) = demo.deliveries(year)
        path = folder / f"{year}.csv"
        path.write_bytes(d.content)
        known = m.catalogue_ids()
        out[year] = m.load_register(path, known_indicators=known, period=year)
    return out


def test_demo_2017_coverage(demo_regs):
    r = demo_regs[2017]
    assert len(r) >= 60
    assert set(r["field"]) == set(m.FIELDS)
    assert set(r["body_type"]) == set(m.BODY_TYPES)
    assert {g for v in r["goals"] for g in m.split_goals(v)} == {1, 2, 3, 4}
    assert set(r["origin"]) == set(m.ORIGINS)
    assert (r["indicators"] == "").sum() >= 5  # some measures without indicator
    assert (r["as_of"] == "2017-06-30").all()
    assert r["participants"].isin([1, 2]).any()  # something for disclosure control
    assert r["participants"].isna().any() and r["budget_eur"].isna().any()
    # the catalogue has no health indicator: the demo shows that gap
    g = m.gaps(r, {i for v in r["indicators"] for i in m.split_list(v)})
    assert g.fields_without_indicator == ["Gesundheit/besondere Lebenslagen"]


def test_demo_periods_change(demo_regs):
    for year in (2018, 2019):
        assert (demo_regs[year]["as_of"] == f"{year}-06-30").all()
    ch = m.changes(demo_regs[2019], demo_regs[2018])
    counts = ch["change"].value_counts()
    assert counts["neu"] >= 3 and counts["beendet"] >= 3
    assert counts["nicht mehr im Register"] >= 1
    assert ch["status_changed"].sum() >= 3
    ch18 = m.changes(demo_regs[2018], demo_regs[2017]).set_index("measure_id")
    assert (ch18["status_previous"].eq("geplant") & ch18["status"].eq("laufend")).any()


def test_demo_deliveries_are_deterministic_and_marked_synthetic():
    for year in range(2014, 2017):
        assert demo.deliveries(year) == []
    for year in demo.YEARS:
        (a,), (b,) = demo.deliveries(year), demo.deliveries(year)
        assert a.content == b.content
        assert a.file == "massnahmen.csv" and a.domain == "measures"
        assert a.reference_date == f"{year}-06-30"
        first = a.content.decode("utf-8").splitlines()[0]
        assert first.startswith("# ") and SYNTHETIC_NOTE in first


def test_demo_bytes_do_not_depend_on_the_process():
    code = (
        "import hashlib; from bielefeld_integration.demo import measures as d; "
        "print(hashlib.sha256(d.deliveries(2019)[0].content).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert digests == {hashlib.sha256(demo.deliveries(2019)[0].content).hexdigest()}


def test_demo_indicator_ids_are_plausible_catalogue_ids(demo_regs):
    ids = {i for r in demo_regs.values() for v in r["indicators"] for i in m.split_list(v)}
    likely = {
        "DEM-02",
        "REC-03",
        "FLU-01",
        "FLU-02",
        "FLU-03",
        "KITA-01",
        "KITA-02",
        "KITA-03",
        "SPR-01",
        "SPR-02",
        "SCH-02",
        "SCH-03",
        "SCH-04",
        "AUS-01",
        "ARB-01",
        "ARB-02",
        "ARB-05",
        "SOZ-01",
        "WOH-01",
        "IKO-01",
        "PAR-01",
        "PAR-02",
    }
    assert ids <= likely
    known = m.catalogue_ids()
    if known is not None:
        assert ids <= known


def test_docstring_examples():
    import doctest

    result = doctest.testmod(m, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 1

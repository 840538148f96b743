"""The GENESIS reader on small hand-made files, one per layout, and on plausible files it
must refuse (ambiguous region, time or width) instead of returning a wrong frame."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest
from genesis_testdata import DATA, one

from bielefeld_integration.errors import DataError
from bielefeld_integration.sources.genesis import check_invariant, read_genesis

# --------------------------------------------------------------------------- layouts


def test_time_in_the_column_headers() -> None:
    df = read_genesis(DATA / "time_in_header.csv")  # ISO-8859-1, LF
    assert list(df.columns) == [
        "time", "region_code", "region_name", "Nationalität", "measure", "unit", "value",
        "symbol",
    ]  # fmt: skip
    assert len(df) == 4 * 4
    bi = dict(region_code="05711", time="2015-12-31")
    assert one(df, **bi, Nationalität="Insgesamt")["value"] == 333090
    assert one(df, **bi, Nationalität="Ausländer(innen)")["value"] == 43548
    secret = one(df, region_code="05711", time="2016-12-31", Nationalität="Ausländer(innen)")
    assert math.isnan(secret["value"]) and secret["symbol"] == "."
    assert set(df["measure"]) == {"Bevölkerungsstand"}  # from the title line "… (Anzahl)"
    assert set(df["unit"]) == {"Anzahl"}
    assert one(df, region_code="057", **{"time": "2016-12-31", "Nationalität": "Insgesamt"})[
        "region_name"
    ] == ("Detmold, Regierungsbezirk")


def test_time_in_the_column_headers_under_a_stichtag_row() -> None:
    df = read_genesis(DATA / "time_in_header_stichtag.csv")  # UTF-8, CRLF, Stand in the note
    assert df.attrs["time_label"] == "Stichtag"
    assert sorted(set(df["time"])) == ["2022-12-31", "2023-12-31"]
    assert one(df, region_code="05711", time="2022-12-31")["value"] == 338332
    assert one(df, region_code="05754", time="2023-12-31")["value"] == 372100
    assert set(df["measure"]) == {"Bevölkerungsstand"}


def test_gemeinde_level_eight_digit_keys() -> None:
    df = read_genesis(DATA / "gemeinde_level.csv")
    assert df["region_code"].tolist() == ["05", "05754", "05754008", "05711000"]
    assert one(df, region_code="05711000")["value"] == 331605
    assert one(df, region_code="05754008")["region_name"] == "Gütersloh, Stadt"


def test_two_value_columns_with_the_same_header_are_both_kept() -> None:
    df = read_genesis(DATA / "same_header_twice.csv")
    assert df["header_occurrence"].tolist() == ["1", "2"]
    assert df["value"].tolist() == [456, 457]
    assert set(df["measure"]) == {"Einbürgerungen"}


def test_flat_region_variable_not_first() -> None:
    df = read_genesis(DATA / "flat_region_second.csv")
    assert df["region_code"].tolist() == ["05711", "05711", "05"]
    assert df["region_name"].tolist()[2] == "Nordrhein-Westfalen"
    assert "Merkmal_1" not in df.columns
    assert one(df, region_code="05711", Geschlecht_code="")["value"] == 331605
    assert one(df, region_code="05711", Geschlecht="weiblich")["value"] == 170594


def test_flat_old_form_region_variable_not_first() -> None:
    df = read_genesis(DATA / "flat_old_region_second.csv")
    assert set(df["region_code"]) == {"05711000"}
    assert one(df, Geschlecht="weiblich")["value"] == 175183
    assert df.attrs["family"] == "flat_old"


def test_flat_english_export() -> None:
    df = read_genesis(DATA / "flat_english.csv")  # English labels, decimal point, CRLF
    assert df["region_code"].tolist() == ["05", "05", "DG"]
    assert df["region_name"].tolist()[2] == "Germany"
    assert set(df["time"]) == {"2023"}
    assert one(df, region_code="05", Citizenship="Foreigners")["value"] == 2501.3
    assert one(df, region_code="DG")["Citizenship_code"] == ""
    assert set(df["unit"]) == {"thousands"}
    assert df.attrs["time_label"] == "Year"


def test_names_only_table_gets_keys_from_the_gazetteer() -> None:
    df = read_genesis(DATA / "no_region_code.csv")
    assert df["region_code"].tolist() == ["05", "057", "05711"]


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("name", "line", "fragment"),
    [
        ("bad_code_label_without_region.csv", 6, "Österreich"),
        ("bad_flat_no_region.csv", 2, "keine Regionsvariable"),
        ("bad_unknown_region_name.csv", 7, "»Neustadt«"),
    ],
)
def test_plausible_files_without_a_sure_region_are_refused(
    name: str, line: int, fragment: str
) -> None:
    with pytest.raises(DataError) as info:
        read_genesis(DATA / name)
    assert info.value.row == line
    assert fragment in str(info.value)
    assert str(DATA / name) in str(info.value)


HEAD = (
    "GENESIS-Tabelle: 12511-01-01-4\nEinbürgerungen;;;;\n"
    ";;;Einbürgerungen;Einbürgerungen\n;;;Kontinente;Kontinente\n"
    ";;;Insgesamt;Afrika\n;;;Anzahl;Anzahl\n"
)
FOOT = "__________\nStand: 01.01.2024 / 00:00:00\n"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        # region column missing: a code column that is no region key
        (HEAD + "2016;Afrika;Insgesamt;456;48\n" + FOOT, 7, "Regionsname »Afrika«"),
        (HEAD + "2016;121;Albanien;456;48\n" + FOOT, 7, "passt nicht zu einem Regionalschlüssel"),
        # a Land key with a name that is not the Land's
        (HEAD + "2016;05;Bielefeld;456;48\n" + FOOT, 7, "»05;Bielefeld«"),
        # header narrower or wider than the data rows
        (HEAD + "2016;05711;Bielefeld;456;48;12\n" + FOOT, 7, "3 Zellen"[1:]),
        (HEAD + "2016;05711;Bielefeld;456\n" + FOOT, 7, "nur 4 von 5 Zellen"),
        # one data row with a different number of cells
        (HEAD + "2016;05711;Bielefeld;456;48\n2016;05754;Gütersloh;1;2;3\n" + FOOT, 8, "Zellen"),
        # unknown symbols
        (HEAD + "2016;05711;Bielefeld;456;k.A.\n" + FOOT, 7, "»k.A.«"),
        (HEAD + "2016;05711;Bielefeld;456;?\n" + FOOT, 7, "»?«"),
        # time in two places, or in a header row mixed with text
        (
            "GENESIS-Tabelle: 1\nT;;;\n;;;;2015;2016\n;;;;Anzahl;Anzahl\n"
            "2015;05711;Bielefeld;x;1;2\n" + FOOT,
            3,
            "Zeitangabe doppelt",
        ),
        (
            "GENESIS-Tabelle: 1\nT;;;\n;;2015;2016;Veränderung\n;;Anzahl;Anzahl;Prozent\n"
            "05711;Bielefeld;1;2;3\n" + FOOT,
            3,
            "Zeitangaben",
        ),
        (
            "GENESIS-Tabelle: 1\nT;;;\n;;Geburtsjahr;Geburtsjahr\n;;1950;1951\n;;Anzahl;Anzahl\n"
            "05711;Bielefeld;1;2\n" + FOOT,
            3,
            "»Geburtsjahr«",
        ),
        # no time at all
        (HEAD + "05711;Bielefeld;Insgesamt;456;48\n" + FOOT, 7, "keine Zeitangabe"),
        # a thousands point in a German table cannot be told from a decimal point
        (HEAD + "2016;05711;Bielefeld;1.234;48\n" + FOOT, 7, "»1.234«"),
        # data rows after blank lines and a short line taken for the footer
        (
            HEAD + "2016;05711;Bielefeld;456;48\n\nHinweis:\n2016;05754;Gütersloh;1;2\n" + FOOT,
            10,
            "nach dem Tabellenende",
        ),
        # a value column without any header cell looks like a key column
        (
            "GENESIS-Tabelle: 1\nT;;;\n;;;;Einbürgerungen\n;;;;Anzahl\n"
            "2016;05711;Bielefeld;5;6\n" + FOOT,
            5,
            "Zahl »5« in der Schlüsselspalte 4",
        ),
        # a data row that begins with an empty cell (its region key missing)
        (HEAD + "2016;05711;Bielefeld;456;48\n;;Gütersloh;1;2\n" + FOOT, 8, "Spaltenkopfzeile"),
    ],
)
def test_ambiguous_classic_tables_are_refused(text: str, line: int, fragment: str) -> None:
    with pytest.raises(DataError) as info:
        read_genesis(io.StringIO(text))
    assert info.value.row == line, str(info.value)
    assert fragment in str(info.value)


FLAT_HEAD = (
    "statistics_code;statistics_label;time_code;time_label;time;"
    "1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label;"
    "2_variable_code;2_variable_label;2_variable_attribute_code;2_variable_attribute_label;"
    "value;value_unit;value_variable_code;value_variable_label\n"
)


def _flat_row(v1: str, v2: str, value: str = "1", time: str = "2024-12-31") -> str:
    return f"12411;Bev;STAG;Stichtag;{time};{v1};{v2};{value};Anzahl;BEVSTD;Bev\n"


KREIS = "KREISE;Kreise;05711;Bielefeld"
SEX = "GES;Geschlecht;GESW;weiblich"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        (FLAT_HEAD + _flat_row(SEX, "ALT;Alter;A1;jung"), 2, "keine Regionsvariable"),
        (FLAT_HEAD + _flat_row(KREIS, "GEMEIN;Gemeinden;05711000;Bielefeld"), 2, "2 Regions"),
        (FLAT_HEAD + _flat_row(KREIS, SEX) + _flat_row(SEX, KREIS), 3, "nicht in jeder Zeile"),
        (FLAT_HEAD + _flat_row("KREISE;Kreise;Bielefeld;Bielefeld", SEX), 2, "»Bielefeld«"),
        (FLAT_HEAD + _flat_row(KREIS, SEX, value="k.A."), 2, "»k.A.«"),
        (FLAT_HEAD + _flat_row(KREIS, SEX, time="2024 Q4"), 2, "Zeitangabe"),
        (FLAT_HEAD + _flat_row(KREIS, SEX).replace("\n", ";x\n"), 2, "Zellen"),
    ],
)
def test_ambiguous_flat_files_are_refused(text: str, line: int, fragment: str) -> None:
    with pytest.raises(DataError) as info:
        read_genesis(io.StringIO(text))
    assert info.value.row == line, str(info.value)
    assert fragment in str(info.value)


def test_same_classification_name_on_two_levels_gives_two_columns() -> None:
    text = (
        "GENESIS-Tabelle: 1\nT;;;;\n"
        ";;;Zuzüge;Zuzüge;Zuzüge;Zuzüge\n;;;Geschlecht;Geschlecht;Geschlecht;Geschlecht\n"
        ";;;männlich;männlich;weiblich;weiblich\n;;;Geschlecht;Geschlecht;Geschlecht;Geschlecht\n"
        ";;;Insgesamt;weiblich;Insgesamt;weiblich\n;;;Anzahl;Anzahl;Anzahl;Anzahl\n"
        "2016;05711;Bielefeld;1;2;3;4\n" + FOOT
    )
    df = read_genesis(io.StringIO(text))
    assert df["Geschlecht"].tolist() == ["männlich", "männlich", "weiblich", "weiblich"]
    assert df["Geschlecht_2"].tolist() == ["Insgesamt", "weiblich", "Insgesamt", "weiblich"]
    assert df["value"].tolist() == [1, 2, 3, 4]


def test_the_invariant_is_checked_on_every_frame() -> None:
    frame = pd.DataFrame(
        {
            "time": ["2016", "2016", "2016"],
            "region_code": ["05711", "", "05754"],
            "value": [1.0, 2.0, float("nan")],
            "symbol": ["", "", ""],
        }
    )
    with pytest.raises(DataError, match="ohne Regionalschlüssel") as info:
        check_invariant(frame, np.array([7, 8, 9]), "t.csv")
    assert info.value.row == 8
    frame.loc[1, "region_code"] = "05"
    with pytest.raises(DataError, match="weder Zahl noch Tabellenzeichen") as info:
        check_invariant(frame, np.array([7, 8, 9]), "t.csv")
    assert info.value.row == 9
    frame.loc[2, "symbol"] = "."
    frame.loc[0, "time"] = "31.12.2016"
    with pytest.raises(DataError, match="Zeitangabe") as info:
        check_invariant(frame, np.array([7, 8, 9]), "t.csv")
    assert info.value.row == 7
    frame.loc[0, "time"] = "2016-12-31"
    check_invariant(frame, np.array([7, 8, 9]), "t.csv")


def test_genesis_online_copyright_line_with_stand() -> None:
    text = HEAD + "2016;05711;Bielefeld;456;48\n__________\n"
    text += "© Statistisches Bundesamt (Destatis), 2024 | Stand: 05.11.2024 / 21:40:52\n"
    df = read_genesis(io.StringIO(text))
    assert df.attrs["stand"] == "2024-11-05T21:40:52"
    assert df.attrs["copyright"] == "© Statistisches Bundesamt (Destatis), 2024"


def test_a_header_row_of_words_with_slashes_is_no_unit_row() -> None:
    text = (
        "GENESIS-Tabelle: 1\nT;;;\nSchüler (Anzahl);;;\n"
        ";;;Schüler/-innen;Lehrer/-innen\n2016;05711;Bielefeld;456;48\n" + FOOT
    )
    df = read_genesis(io.StringIO(text))
    assert df["Spaltenmerkmal_1"].tolist() == ["Schüler/-innen", "Lehrer/-innen"]
    assert set(df["unit"]) == {"Anzahl"} and set(df["measure"]) == {"Schüler"}


@pytest.mark.parametrize(
    ("rows", "statistic", "measures"),
    [
        # statistic, measure, attributes without a name row, unit (three label rows)
        (
            ";;;Fortschreibung des Bevölkerungsstandes;Fortschreibung des Bevölkerungsstandes\n"
            ";;;Bevölkerungsstand;Bevölkerungsstand\n;;;männlich;weiblich\n;;;Anzahl;Anzahl\n",
            "Fortschreibung des Bevölkerungsstandes",
            {"Bevölkerungsstand"},
        ),
        # measure and attributes only (two label rows): the measure is no statistic
        (
            ";;;Bevölkerungsstand;Bevölkerungsstand\n;;;männlich;weiblich\n;;;Anzahl;Anzahl\n",
            "",
            {"Bevölkerungsstand"},
        ),
    ],
)
def test_itnrw_statistic_row_is_recognised_by_its_name(
    rows: str, statistic: str, measures: set[str]
) -> None:
    text = "Tabelle: 12411-03i\nBevölkerung - Stichtag;;;\n" + rows
    text += "31.12.2024;05711;  Bielefeld, krfr. Stadt;160000;170000\n" + FOOT
    df = read_genesis(io.StringIO(text))
    assert df.attrs["statistic"] == statistic
    assert set(df["measure"]) == measures
    assert df["Geschlecht"].tolist() == ["männlich", "weiblich"]


def test_national_table_region_from_the_title() -> None:
    df = read_genesis(DATA / "national_title_region.csv")  # GENESIS-Online, cp1252, CRLF
    assert set(df["region_code"]) == {"DG"} and set(df["region_name"]) == {"Deutschland"}
    assert df.attrs["time_label"] == "Jahr"
    assert one(df, time="2007", Altersjahre="16 Jahre")["value"] == 2.5
    assert set(df["measure"]) == {"Lebendgeborene je 1000 Frauen"}
    assert set(df["unit"]) == {"Anzahl"}
    assert df.attrs["stand"] == "2010-04-10T21:25:57"


def test_a_region_in_the_title_of_a_regional_table_is_not_used() -> None:
    text = (DATA / "national_title_region.csv").read_bytes().decode("cp1252")
    text = text.replace("Deutschland, Jahre", "Kreise, Jahre")
    with pytest.raises(DataError, match="»15 Jahre«"):
        read_genesis(io.StringIO(text))


def test_unnamed_header_rows_named_from_the_title() -> None:
    df = read_genesis(DATA / "kreise_unnamed_header_rows.csv")
    assert list(df.columns[3:5]) == ["Kraftstoffarten", "Emissionsgruppen"]
    bi = dict(region_code="05711", time="2022-01-01")
    assert one(df, **bi, Kraftstoffarten="Benzin", Emissionsgruppen="Insgesamt")["value"] == 98000
    assert one(df, region_code="01001", Kraftstoffarten="Insgesamt")["value"] == 45488
    assert set(df["measure"]) == {"Personenkraftwagen"}
    assert df.attrs["footnotes"] == ["Quelle: Kraftfahrt-Bundesamt, Flensburg"]


def test_unit_thousand_is_no_year() -> None:
    text = (
        "GENESIS-Tabelle: 12211-9001\nBevölkerung;;;\n;;;Bevölkerung;Bevölkerung\n"
        ";;;männlich;weiblich\n;;;1000;1000\n2016;05711;Bielefeld;160,5;170,1\n" + FOOT
    )
    df = read_genesis(io.StringIO(text))
    assert set(df["time"]) == {"2016"} and set(df["unit"]) == {"1000"}
    assert df["value"].tolist() == [160.5, 170.1]


def test_impossible_dates_are_no_time() -> None:
    with pytest.raises(DataError, match=r"»31\.02\.2024«"):
        read_genesis(io.StringIO(FLAT_HEAD + _flat_row(KREIS, SEX, time="31.02.2024")))

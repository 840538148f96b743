"""Tests of the GENESIS reader (classic table CSV and flat CSV)."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd
import pytest
from genesis_testdata import DATA, SAMPLES, one

from bielefeld_integration.errors import DataError
from bielefeld_integration.sources.genesis import read_genesis

EINBUERGERUNGEN = "regio_12511-01-01-4_einbuergerungen_latin1.csv"
WANDERUNGEN = "regio_12711-01-03-4_wanderungen_2015.csv"
ITNRW_DICHTE = "itnrw_12411-15i_flaeche_bevoelkerung_dichte_2024_latin1.csv"
FFCSV = "ffcsv_12411-01-01-4_bevoelkerung_kreise_2024_de.csv"
FFCSV_OLD = "ffcsv_OLDFORMAT_12411-01-01-4_bevoelkerung_2022_de.csv"

CORE_COLUMNS = ["time", "region_code", "region_name"]
TAIL_COLUMNS = ["measure", "unit", "value", "symbol"]


def sample(name: str) -> Path:
    return SAMPLES / name


def check_types(df: pd.DataFrame) -> None:
    assert df["value"].dtype == "float64"
    for column in df.columns.drop("value"):
        assert pd.api.types.is_string_dtype(df[column]), column
        assert not df[column].isna().any(), column
    assert list(df.columns[:3]) == CORE_COLUMNS
    assert list(df.columns[-2:]) == ["value", "symbol"]


# --------------------------------------------------------------------------- real samples


def test_sample_naturalisations_bielefeld_2016() -> None:
    df = read_genesis(sample(EINBUERGERUNGEN))
    check_types(df)
    assert df.attrs["family"] == "classic"
    assert df.attrs["table_code"] == "12511-01-01-4"
    assert df.attrs["title"].startswith("Einbürgerungen von Ausländern nach Kontinenten")
    assert df.attrs["stand"] == "2018-02-27T13:00:56"
    assert df.attrs["footnotes"][0].startswith('zu "gesamte Tabelle":')
    assert df.attrs["copyright"].startswith("© Statistische Ämter des Bundes und der Länder")
    dim = "Kontinente (einschl. staatenlos etc.)"
    assert list(df.columns) == [*CORE_COLUMNS, dim, *TAIL_COLUMNS]
    # 3156 data rows of 7 cells, six years stacked in the first column
    assert len(df) == 3156 * 7
    assert sorted(df["time"].unique()) == ["2011", "2012", "2013", "2014", "2015", "2016"]
    bi = df[(df["time"] == "2016") & (df["region_code"] == "05711")]
    assert set(bi["region_name"]) == {"Bielefeld, Kreisfreie Stadt"}
    assert set(bi["measure"]) == {"Einbürgerungen von Ausländern"}
    assert set(bi["unit"]) == {"Anzahl"}
    got = dict(zip(bi[dim], bi["value"], strict=True))
    assert got["Insgesamt"] == 456
    assert got["Afrika"] == 48
    assert got["Amerika"] == 11
    assert got["Asien"] == 116
    assert got["Europa"] == 280
    assert got["Staatenlos, unbekannt, ungeklärt, ohne Angabe"] == 1
    oceania = one(bi, **{dim: "Australien und Ozeanien"})
    assert math.isnan(oceania["value"]) and oceania["symbol"] == "-"
    assert sum(v for k, v in got.items() if k != "Insgesamt" and not math.isnan(v)) == 456
    # region codes exactly as published, names without indentation
    assert one(df, time="2016", region_code="DG", **{dim: "Insgesamt"})["value"] == 110383
    assert one(df, time="2016", region_code="01", **{dim: "Insgesamt"})["region_name"] == (
        "Schleswig-Holstein"
    )
    assert {"", "-", "."} <= set(df["symbol"])
    assert df.loc[df["symbol"] != "", "value"].isna().all()


def test_sample_migration_lone_time_line_and_row_dimension() -> None:
    df = read_genesis(sample(WANDERUNGEN))
    check_types(df)
    assert df.attrs["table_code"] == "12711-01-03-4"
    assert list(df.columns) == [*CORE_COLUMNS, "Altersgruppen", "Geschlecht", *TAIL_COLUMNS]
    assert set(df["time"]) == {"2015"}
    assert len(df) == 3682 * 6
    total = dict(Altersgruppen="Insgesamt", Geschlecht="Insgesamt", region_code="05711")
    arrivals = one(df, measure="Zuzüge über die Gemeindegrenzen", **total)
    departures = one(df, measure="Fortzüge über die Gemeindegrenzen", **total)
    assert arrivals["value"] == 19827 and arrivals["symbol"] == ""
    assert departures["value"] == 16331
    assert arrivals["region_name"] == "Bielefeld, Kreisfreie Stadt"
    assert arrivals["unit"] == "Anzahl"
    # the footnote with quotes inside and the copyright are in attrs, not in the data
    assert "Sachsen-Anhalt 31.12.2010" in df.attrs["footnotes"][0]
    assert df.attrs["stand"] == "2017-10-10T13:17:45"


def test_sample_itnrw_density_decimal_commas_and_units() -> None:
    df = read_genesis(sample(ITNRW_DICHTE))
    check_types(df)
    assert df.attrs["table_code"] == "12411-15i"
    assert df.attrs["copyright"].startswith("© IT.NRW")
    bi = df[df["region_code"] == "05711"].set_index("unit")
    assert set(bi["time"]) == {"2024-12-31"}
    assert bi.loc["Anzahl", "value"] == 331605
    assert bi.loc["qkm", "value"] == 258.83
    assert bi.loc["EW pro qkm", "value"] == 1281.2
    assert bi.loc["EW pro qkm", "measure"] == "Bevölkerungsdichte"
    assert bi.loc["Anzahl", "measure"].startswith("Bevölkerungsstand")
    assert bi.loc["qkm", "statistic"].startswith("Flächenerhebung")
    assert one(df, region_code="05", unit="Anzahl")["region_name"] == "Nordrhein-Westfalen"
    assert len(df["region_code"].unique()) == 444


def test_sample_flat_current_form() -> None:
    df = read_genesis(sample(FFCSV))
    check_types(df)
    assert df.attrs["family"] == "flat"
    assert df.attrs["table_code"] == "12411-01-01-4"
    assert df.attrs["statistic"] == "Fortschreibung des Bevölkerungsstandes"
    assert df.attrs["time_label"] == "Stichtag"
    assert list(df.columns) == [
        *CORE_COLUMNS, "Geschlecht", "Geschlecht_code", "measure", "measure_code", "unit",
        "value", "symbol",
    ]  # fmt: skip
    assert len(df) == 1467  # every data line, nothing dropped or summed
    bi = df[df["region_code"] == "05711"]
    assert set(bi["time"]) == {"2024-12-31"}
    total = one(bi, Geschlecht_code="")
    assert total["Geschlecht"] == "Insgesamt" and total["value"] == 331605
    assert one(bi, Geschlecht_code="GESM")["value"] == 161011
    assert one(bi, Geschlecht_code="GESW")["value"] == 170594
    assert total["measure"] == "Bevölkerungsstand" and total["measure_code"] == "BEVSTD"
    assert total["unit"] == "Anzahl"


def test_sample_flat_old_form() -> None:
    df = read_genesis(sample(FFCSV_OLD))
    check_types(df)
    assert df.attrs["family"] == "flat_old"
    assert len(df) == 1614
    total = one(df, region_code="05711", Geschlecht="Insgesamt")
    assert total["time"] == "2022-12-31"
    assert total["value"] == 338332
    assert total["region_name"] == "Bielefeld, kreisfreie Stadt"  # indentation stripped
    assert total["Geschlecht_code"] == "" and total["measure_code"] == "BEVSTD"
    assert one(df, region_code="01", Geschlecht="Insgesamt")["region_name"] == (
        "Schleswig-Holstein"
    )


# --------------------------------------------------------------------------- own fixtures


def test_lone_time_line() -> None:
    df = read_genesis(DATA / "lone_time_line.csv")
    check_types(df)
    assert set(df["time"]) == {"2015"}
    assert list(df.columns) == [*CORE_COLUMNS, "Altersgruppen", "Geschlecht", *TAIL_COLUMNS]
    assert one(df, Altersgruppen="Insgesamt", Geschlecht="weiblich")["value"] == 9242
    assert one(df, Altersgruppen="unter 18 Jahre", Geschlecht="männlich")["value"] == 1643
    assert df.attrs["title_lines"] == [
        "Zu- und Fortzüge nach Geschlecht und Altersgruppen",
        "Wanderungsstatistik",
    ]


def test_stacked_periods_as_time_lines() -> None:
    df = read_genesis(DATA / "stacked_periods.csv")
    check_types(df)
    assert len(df) == 8
    assert one(df, time="2015", region_code="05711", Geschlecht="männlich")["value"] == 10585
    assert one(df, time="2016", region_code="05711", Geschlecht="weiblich")["value"] == 8000
    assert one(df, time="2016", region_code="05", Geschlecht="männlich")["value"] == 110


def test_stacked_periods_in_time_column_with_dates() -> None:
    df = read_genesis(DATA / "stacked_time_column.csv")
    assert sorted(df["time"].unique()) == ["2015-12-31", "2016-12-31"]
    assert one(df, time="2016-12-31", region_code="05711", Geschlecht="weiblich")["value"] == (
        171000
    )
    assert df.attrs["statistic"] == ""


def test_code_label_row_dimension_without_total_row() -> None:
    df = read_genesis(DATA / "code_label_dimension.csv")
    check_types(df)
    assert list(df.columns) == [
        *CORE_COLUMNS, "Staatsangehörigkeit", "Staatsangehörigkeit_code", *TAIL_COLUMNS,
    ]  # fmt: skip
    assert df["Staatsangehörigkeit_code"].tolist() == ["121", "134", "475"]
    assert df["Staatsangehörigkeit"].tolist() == ["Albanien", "Griechenland", "Syrien"]
    assert df["value"].tolist()[:2] == [455, 3010]
    syria = one(df, Staatsangehörigkeit_code="475")
    assert math.isnan(syria["value"]) and syria["symbol"] == "."
    assert set(df["region_code"]) == {"05711"}
    assert set(df["measure"]) == {"Ausländer"}
    assert df.attrs["statistic"] == "Ausländerzentralregister"
    assert df.attrs["stand"] == "2025-06-02T09:01:02"


def test_no_region_code_column() -> None:
    df = read_genesis(DATA / "no_region_code.csv")
    check_types(df)
    # names only: the keys come from the gazetteer, every name is known exactly once
    assert df["region_code"].tolist() == ["05", "057", "05711"]
    assert df["region_name"].tolist() == [
        "Nordrhein-Westfalen",
        "Detmold, Regierungsbezirk",
        "Bielefeld, krfr. Stadt",
    ]
    assert one(df, region_name="Bielefeld, krfr. Stadt")["value"] == 331605
    assert set(df["measure"]) == {"Bevölkerungsstand"}
    assert "statistic" not in df.columns  # constant: in attrs only
    assert df.attrs["statistic"] == "Fortschreibung des Bevölkerungsstandes"


def test_quoted_semicolon_in_header() -> None:
    df = read_genesis(DATA / "quoted_semicolon_header.csv")
    assert set(df["measure"]) == {"Gestorbene; Sterbefälle"}
    assert one(df, Geschlecht="weiblich")["value"] == 1900
    assert len(df) == 2


def test_tab_and_blank_line_in_quoted_footnote() -> None:
    df = read_genesis(DATA / "tab_footnote.csv")
    assert len(df) == 1 and df["value"].tolist() == [456]
    (note,) = df.attrs["footnotes"]
    assert note == (
        'zu "Einbürgerungen":\n2016:\tohne Angaben; vorläufig\n\n'
        "Nordrhein-Westfalen: Gebietsstand 01.01.2016"
    )
    assert df.attrs["stand"] == "2024-03-05T10:15:00"


def test_decimal_commas() -> None:
    df = read_genesis(DATA / "decimal_comma.csv")
    bi = df[df["region_code"] == "05711"]
    assert bi["value"].tolist() == [331605, 258.83, 1281.2]
    assert bi["unit"].tolist() == ["Anzahl", "qkm", "EW pro qkm"]
    assert one(df, region_code="05754", unit="qkm")["value"] == 968.0
    assert "statistic" in df.columns  # the statistic differs between the columns


def test_integers_stay_exact() -> None:
    df = read_genesis(DATA / "stacked_time_column.csv")
    assert one(df, time="2015-12-31", region_code="05", Geschlecht="weiblich")["value"] == (
        9_000_000
    )


def test_value_flags_and_symbols() -> None:
    df = read_genesis(DATA / "value_flags.csv")
    got = dict(zip(df["Geschlecht"], zip(df["value"], df["symbol"], strict=True), strict=True))
    assert got["Insgesamt"] == (-1234.0, "p")
    assert got["männlich"] == (45.0, "()")
    for label, symbol in (("weiblich", "/"), ("divers", "..."), ("ohne Angabe", "x")):
        value, sym = got[label]
        assert math.isnan(value) and sym == symbol
    assert df.attrs["stand"] == "2024-03-05"


def test_duplicate_looking_headers() -> None:
    df = read_genesis(DATA / "duplicate_headers.csv")
    assert len(df) == 6
    assert one(df, measure="Zuzüge", Geschlecht="Insgesamt")["value"] == 19827
    assert one(df, measure="Fortzüge", Geschlecht="Insgesamt")["value"] == 16331
    assert one(df, measure="Fortzüge", Geschlecht="weiblich")["value"] == 7823


def test_crlf_line_ends() -> None:
    assert b"\r\n" in (DATA / "crlf.csv").read_bytes()
    df = read_genesis(DATA / "crlf.csv")
    assert df["value"].tolist() == [456, 48]
    assert df["Kontinente"].tolist() == ["Insgesamt", "Afrika"]
    assert not any("\r" in v for v in df["unit"])
    assert df.attrs["stand"] == "2024-03-05T10:15:00"


def test_iso_8859_1() -> None:
    raw = (DATA / "latin1.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    df = read_genesis(DATA / "latin1.csv")
    assert "Staatenlos, unbekannt, ungeklärt" in set(df["Kontinente"])
    assert one(df, region_code="09162", Kontinente="Insgesamt")["region_name"] == (
        "München, Landeshauptstadt, Kreisfreie Stadt"
    )
    assert (
        one(df, region_code="09162", Kontinente="Staatenlos, unbekannt, ungeklärt")["symbol"] == "x"
    )
    assert df.attrs["encoding"] in {"cp1252", "iso-8859-1"}


def test_utf8_with_bom() -> None:
    assert (DATA / "utf8_bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    df = read_genesis(DATA / "utf8_bom.csv")
    assert df.attrs["table_code"] == "12511-01-01-4"
    assert df.attrs["encoding"] == "utf-8-sig"
    assert one(df, Kontinente="Europa")["value"] == 280


def test_flat_quality_column_and_decimal_point() -> None:
    df = read_genesis(DATA / "flat_value_q.csv")
    check_types(df)
    assert df.attrs["family"] == "flat"
    assert df.attrs["statistic_code"] == "1000A"
    bi = df[df["region_code"] == "057110000000"]  # 12-digit key kept as published
    assert one(bi, measure_code="FLC001")[["value", "symbol"]].tolist() == [258.83, "e"]
    assert one(bi, measure_code="PRS018")[["value", "unit"]].tolist() == [329782, "Anzahl"]
    assert one(bi, measure_code="PRS017")["symbol"] == "()"
    secret = one(df, region_name="Lindberg")
    assert math.isnan(secret["value"]) and secret["symbol"] == "."


def test_flat_total_kept_as_row() -> None:
    df = read_genesis(DATA / "flat_total.csv")
    assert len(df) == 4
    total = one(df, Geschlecht_code="", measure_code="BEVSTD")
    assert total["Geschlecht"] == "Insgesamt" and total["value"] == 331605
    parts = df[(df["Geschlecht_code"] != "") & (df["measure_code"] == "BEVSTD")]
    assert parts["value"].sum() == 331605
    assert one(df, measure_code="BEVDICHTE")["value"] == 1281.2  # decimal comma


def test_flat_old_form_several_measures() -> None:
    df = read_genesis(DATA / "flat_old.csv")
    check_types(df)
    assert df.attrs["family"] == "flat_old"
    assert len(df) == 6  # 3 rows x 2 measures
    assert set(df["time"]) == {"2022-12-31"}
    nrw = one(df, region_code="05", measure_code="BEVZUW")
    assert nrw["value"] == -0.5 and nrw["unit"] == "Prozent"
    assert nrw["measure"] == "Bevoelkerungszuwachs"
    bi = one(df, region_code="05711", Geschlecht_code="", measure_code="BEVSTD")
    assert bi["region_name"] == "Bielefeld, kreisfreie Stadt" and bi["value"] == 338332
    assert (
        one(df, region_code="05711", Geschlecht_code="GESW", measure_code="BEVZUW")["symbol"]
        == "..."
    )


def test_buffers_bytes_and_text() -> None:
    raw = (DATA / "latin1.csv").read_bytes()
    from_bytes = read_genesis(io.BytesIO(raw))
    from_text = read_genesis(io.StringIO(raw.decode("latin-1")))
    from_path = read_genesis(str(DATA / "latin1.csv"))
    pd.testing.assert_frame_equal(from_bytes, from_path)
    pd.testing.assert_frame_equal(from_text, from_path)
    assert from_bytes.attrs["source"] == "<Puffer>"


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("name", "line", "fragment"),
    [
        ("bad_not_genesis.csv", 1, "keine GENESIS-Tabelle erkannt"),
        ("bad_empty.csv", None, "leer"),
        ("bad_header_only.csv", 5, "keine Datenzeilen"),
        ("bad_truncated.csv", 9, "abgeschnitten"),
        ("bad_truncated_line_end.csv", 9, "abgeschnitten"),
        ("bad_garbage_value.csv", 9, "»zwölf«"),
        ("bad_flat_truncated.csv", 3, "abgeschnitten"),
        ("bad_flat_garbage.csv", 2, "»331.605,0«"),
    ],
)
def test_bad_input_raises_data_error(name: str, line: int | None, fragment: str) -> None:
    path = DATA / name
    with pytest.raises(DataError) as info:
        read_genesis(path)
    message = str(info.value)
    assert str(path) in message
    assert fragment in message
    if line is not None:
        assert f"Zeile {line}" in message
        assert info.value.row == line


def test_garbage_value_names_the_column() -> None:
    with pytest.raises(DataError) as info:
        read_genesis(DATA / "bad_garbage_value.csv")
    assert info.value.column == "Einbürgerungen / Kontinente / Afrika / Anzahl"


def _classic(body: str, footer: str = "__________\nStand: 01.01.2024 / 00:00:00\n") -> str:
    head = (
        "GENESIS-Tabelle: 12511-01-01-4\nEinbürgerungen;;;;\n"
        ";;;Einbürgerungen;Einbürgerungen\n;;;Kontinente;Kontinente\n"
        ";;;Insgesamt;Afrika\n;;;Anzahl;Anzahl\n"
    )
    return head + body + footer


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (_classic("2016;05711;Bielefeld;456;\n"), "leere Zelle"),
        (_classic("2016;05711;Bielefeld;456;48;99\n"), "Zellen"),
        (_classic("2016;05711;Bielefeld;4,5;4.5\n"), "Dezimaltrennzeichen"),
        (_classic("05711;Bielefeld;x;456;48\n"), "keine Zeitangabe"),
        (_classic("2016;05711;Bielefeld;456;48\n2016;05711;Bielefeld;456;48\n"), "doppelt"),
        (_classic("2016;05711;Bielefeld;456;48\n", footer=""), "ohne Fußzeile"),
        ("GENESIS-Tabelle: 1\nTitel;;\n", "keine Spaltenköpfe"),
        ("GENESIS-Tabelle: 1\nT;;;\n;;;1995;1996\nCO2;C1;Erz.;1;2\n__________\n", "Regionsspalte"),
        ("statistics_code;statistics_label;time\n", "unvollständig"),
    ],
)
def test_bad_content_in_buffers(text: str, fragment: str) -> None:
    with pytest.raises(DataError, match=fragment):
        read_genesis(io.StringIO(text))


def test_flat_without_final_line_end_is_refused() -> None:
    text = (DATA / "flat_total.csv").read_bytes().decode("utf-8-sig").rstrip("\n")
    with pytest.raises(DataError, match="Zeilenumbruch"):
        read_genesis(io.StringIO(text))

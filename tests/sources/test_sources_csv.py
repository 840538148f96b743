"""The shared CSV reading of the office deliveries: counts, quotes, field limits, fuzzing."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from bielefeld_integration.errors import DataError
from bielefeld_integration.ingest import load_file
from bielefeld_integration.sources._csv import csv_rows, parse_count, read_table
from bielefeld_integration.tables import check_coverage

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw" / "2017"
F = Path("lieferung.csv")


@pytest.mark.parametrize(
    ("text", "value"),
    [("0", 0), ("7", 7), ("1234", 1234), ("1.234", 1234), ("12.345.678", 12345678), ("-", 0)],
)
def test_counts_written_as_the_format_defines(text, value):
    assert parse_count(text, F, 3, "Anzahl") == value
    assert parse_count(f" {text} ", F, 3, "Anzahl") == value


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("12.5", "keine ganze Zahl"),  # was read as 125
        ("1.2.3", "keine ganze Zahl"),  # was read as 123
        ("1.23", "keine ganze Zahl"),
        ("1234.567", "keine ganze Zahl"),
        (".123", "keine ganze Zahl"),
        ("12,5", "keine ganze Zahl"),
        ("1²", "keine ganze Zahl"),  # crashed int()
        ("١٢", "keine ganze Zahl"),
        ("１２", "keine ganze Zahl"),
        ("10^25", "keine ganze Zahl"),
        ("1e3", "keine ganze Zahl"),
        ("+12", "keine ganze Zahl"),
        ("0x1F", "keine ganze Zahl"),
        ("1 234", "keine ganze Zahl"),
        ("NaN", "keine ganze Zahl"),
        ("--", "keine ganze Zahl"),
        ("-5", "negative Anzahl -5"),
        ("-1.000", "negative Anzahl -1.000"),
        ("", "Anzahl fehlt"),  # was read as 0
        ("   ", "Anzahl fehlt"),
        ("10000000000000000000000000", "unplausibel große Anzahl"),  # crashed int64
    ],
)
def test_counts_not_written_as_the_format_defines_are_refused(text, fragment):
    with pytest.raises(DataError) as info:
        parse_count(text, F, 3, "Anzahl")
    message = str(info.value)
    assert fragment in message and "Zeile 3" in message and "»Anzahl«" in message


def test_count_limit_is_configurable(monkeypatch):
    monkeypatch.setenv("BIELEFELD_MAX_COUNT", "100")
    assert parse_count("100", F, 1, "n") == 100
    with pytest.raises(DataError, match="unplausibel große Anzahl '101'"):
        parse_count("101", F, 1, "n")


def test_long_values_are_cut_in_messages():
    with pytest.raises(DataError) as info:
        parse_count("x" * 5000, F, 1, "n")
    assert len(str(info.value)) < 300 and "5000 Zeichen" in str(info.value)


def test_rows_carry_their_line_numbers():
    rows = list(csv_rows(["a;b", '"x;y";z', "c;d"], F, first_line=5))
    assert rows == [(5, ["a", "b"]), (6, ["x;y", "z"]), (7, ["c", "d"])]


def test_stray_quote_is_refused_at_its_line():
    with pytest.raises(DataError, match="Zeile 6: Anführungszeichen ohne Gegenstück"):
        list(csv_rows(["a;b", '"x;y', "c;d"], F, first_line=5))


def test_field_limit(monkeypatch):
    monkeypatch.setenv("BIELEFELD_MAX_FIELD_CHARS", "10")
    list(csv_rows(["a;" + "x" * 10], F, first_line=1))
    with pytest.raises(DataError, match="Zeile 2: Feld ist zu lang: 11 Zeichen"):
        list(csv_rows(["a;b", "a;" + "x" * 11], F, first_line=1))


def test_cell_limit(tmp_path, monkeypatch):
    path = tmp_path / "a.csv"
    path.write_text("Bezirk;Anzahl\n" + "".join(f"{i};1\n" for i in range(20)), encoding="utf-8")
    columns = {"Bezirk": "area", "Anzahl": "count"}
    assert len(read_table(path, columns)) == 20
    monkeypatch.setenv("BIELEFELD_MAX_CELLS", "30")
    with pytest.raises(DataError, match="mehr als 30 Zellen"):
        read_table(path, columns)


def test_file_limit(tmp_path, monkeypatch):
    path = tmp_path / "a.csv"
    path.write_text("Bezirk;Anzahl\n1;2\n", encoding="utf-8")
    monkeypatch.setenv("BIELEFELD_MAX_FILE_BYTES", "10")
    with pytest.raises(DataError, match="Datei ist zu groß"):
        read_table(path, {"Bezirk": "area", "Anzahl": "count"})


def test_header_of_a_foreign_file_is_not_printed_in_full(tmp_path):
    path = tmp_path / "a.csv"
    secret = "root:x:0:0:root:/root:/bin/bash;" * 20
    path.write_text(secret + "\n1;2\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_table(path, {"Bezirk": "area", "Anzahl": "count"})
    assert "fehlen: Bezirk, Anzahl" in str(info.value)
    assert len(str(info.value)) < len(str(path)) + 250


MANIFEST = yaml.safe_load((RAW / "sources.yaml").read_text(encoding="utf-8"))
TOKENS = [b"", b";", b'"', b"\n", b"\r", b"-", b".", b"12.5", b"\xff", b"\x00", b"1\xc2\xb2"]
TOKENS += [b"9" * 30, b"=1+1", b"1e5", b" ", b"\xe2\x80\x8b", b"NaN", b"-0", b"\xef\xbb\xbf"]


def _mutate(content: bytes, rng: random.Random) -> bytes:
    b = bytearray(content)
    for _ in range(rng.randint(1, 3)):
        pos = rng.randrange(len(b))
        op = rng.random()
        if op < 0.4:
            b[pos : pos + rng.randint(1, 5)] = rng.choice(TOKENS)
        elif op < 0.6:
            del b[pos : pos + rng.randint(1, 50)]
        elif op < 0.8:
            ends = [k for k, c in enumerate(b) if c == 10]
            if ends:
                b = b[: rng.choice(ends) + 1]
        else:
            b[pos:pos] = rng.choice(TOKENS)
    return bytes(b)


@pytest.mark.parametrize("entry", MANIFEST["files"], ids=lambda e: e["domain"])
def test_mutated_deliveries_give_data_errors_or_tables_never_crashes(entry, tmp_path):
    """Random damage (seeded) to every demo delivery: a table or a DataError, nothing else."""
    rng = random.Random(entry["file"])
    content = (RAW / entry["file"]).read_bytes()
    path = tmp_path / entry["file"]
    refused = 0
    for _ in range(12):
        path.write_bytes(_mutate(content, rng))
        try:
            df = load_file(entry["domain"], path, reference_date=entry["reference_date"])
        except DataError:
            refused += 1
            continue
        assert not df.empty
        check_coverage(entry["domain"], df)
    assert refused >= 1

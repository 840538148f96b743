"""Ingest: the corpus of broken deliveries, atomic writes, provenance, the demo data."""

from __future__ import annotations

import filecmp
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from bielefeld_integration import cli
from bielefeld_integration.demo import generate
from bielefeld_integration.errors import DataError
from bielefeld_integration.ingest import available_periods, ingest_all, ingest_period
from bielefeld_integration.store import load, periods, provenance
from bielefeld_integration.tables import TABLES

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
BAD = ROOT / "tests" / "data" / "bad"

#: case -> fragments the error message must contain (besides the file name)
CASES: dict[str, list[str]] = {
    "wrong_encoding": ["UTF-16", "Kodierung"],
    "wrong_delimiter": ["Trennzeichen", "Zeile 2"],
    "missing_column": ["fehlen", "Familiensprache"],
    "unknown_district": ["Stadtbezirk", "'11'", "Zeile 3"],
    "negative_count": ["negative Anzahl -5", "Zeile 4", "Kinder"],
    "duplicate_keys": ["doppelter Schlüssel", "Zeile 5"],
    "parts_not_summing": ["Summe", "Zeile 13"],
    "truncated_file": ["mitten in einer Zeile"],
    "empty_file": ["leer"],
    "hash_mismatch": ["Prüfsumme"],
    "manifest_wrong_period": ["Berichtsjahr '2016'"],
    "genesis_cut_in_middle": ["abgeschnitten", "Zeile"],
    "not_genesis": ["keine GENESIS-Tabelle"],
    "manifest_missing_field": ["sha256", "fehlen"],
    "unknown_domain": ["unbekannter Bereich 'kitas'"],
    "file_missing": ["nicht geliefert"],
    "bad_reference_date": ["Stichtag", "01.03.2017"],
    "binary_file": ["Binärdatei"],
    "unknown_label": ["unter 7 Jahre", "Altersgruppe", "Zeile 3"],
    "non_numeric_count": ["keine ganze Zahl", "zwölf", "Zeile 6"],
    "genesis_wrong_year": ["2016", "2017"],
    "redelivery_broken_content": ["negative Anzahl -12"],
    "measures_end_before_start": ["Ende", "vor dem Beginn", "Zeile 3"],
    "unexpected_column": ["unerwartete Spalte", "Bemerkung"],
    # counts not written the way the delivery format defines them (each was read as a
    # wrong number or crashed the reader before)
    "count_decimal_point": ["keine ganze Zahl", "'12.5'", "Zeile 6", "Kinder"],
    "count_two_dots": ["keine ganze Zahl", "'1.2.3'", "Zeile 6"],
    "count_superscript": ["keine ganze Zahl", "'1²'", "Zeile 6"],
    "count_power": ["keine ganze Zahl", "'10^25'", "Zeile 6"],
    "count_huge": ["unplausibel große Anzahl", "Zeile 6", "BIELEFELD_MAX_COUNT"],
    "count_exponent": ["keine ganze Zahl", "'1e3'", "Zeile 6"],
    "count_empty": ["Anzahl fehlt", "leeres Feld", "Zeile 6", "Kinder"],
    "count_decimal_comma": ["keine ganze Zahl", "'12,5'", "Zeile 6"],
    "count_plus_sign": ["keine ganze Zahl", "'+12'", "Zeile 6"],
    "count_arabic_digits": ["keine ganze Zahl", "Zeile 6"],
    "count_fullwidth_digits": ["keine ganze Zahl", "Zeile 6"],
    "stray_quote": ["Anführungszeichen ohne Gegenstück", "Zeile"],
    "field_too_long": ["Feld ist zu lang", "Zeile 5"],
    # files cut at a line end: every row is fine, rows are missing
    "truncated_school_entry": ["unvollständig", "73 von 180", "stadtbezirk=06"],
    "truncated_unemployed": ["unvollständig", "stadtbezirk=03"],
    "truncated_integration_courses": ["unvollständig", "24 von 40", "course_type"],
    "reference_date_2099": ["Stichtag 2099-03-01", "nicht im Berichtsjahr 2017"],
    "manifest_files_empty": ["keine Dateien", "leer"],
    "manifest_wrong_format": ["Format 'genesis_flat'", "'daycare'", "city_csv"],
    "measures_start_1800": ["unplausibles Datum 1800-08-01", "»start«", "HF1-01"],
    "measures_end_9999": ["unplausibles Datum 9999-12-31", "»end«", "HF1-02"],
    "manifest_deep": ["verschachtelt", "BIELEFELD_MAX_YAML_DEPTH"],
    "manifest_alias_bomb": ["Verweise", "BIELEFELD_MAX_YAML_ALIASES"],
}


def test_corpus_is_complete():
    on_disk = {p.name for p in BAD.iterdir() if p.is_dir()}
    assert on_disk == set(CASES)
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_delivery_gives_data_error(case, tmp_path):
    raw = BAD / case
    with pytest.raises(DataError) as info:
        ingest_period("2017", raw, tmp_path / "processed")
    message = str(info.value)
    text = (raw / "2017" / "sources.yaml").read_text(encoding="utf-8")
    named = [*re.findall(r"file: (\S+)", text), "sources.yaml"]  # hostile YAML: no parser
    assert any(n in message for n in named), message
    for fragment in CASES[case]:
        assert fragment in message, f"{fragment!r} fehlt in: {message}"
    assert not (tmp_path / "processed" / "2017").exists()


def test_corpus_hashes_match_content_except_the_hash_case():
    """A re-delivery with an updated hash must be caught by validation, not by the hash."""
    for case in CASES:
        if case in ("hash_mismatch", "file_missing", "manifest_missing_field") or case in (
            "manifest_files_empty",
            "manifest_deep",
            "manifest_alias_bomb",
        ):
            continue
        folder = BAD / case / "2017"
        entry = yaml.safe_load((folder / "sources.yaml").read_text(encoding="utf-8"))["files"][0]
        digest = hashlib.sha256((folder / entry["file"]).read_bytes()).hexdigest()
        assert digest == entry["sha256"], case


def test_unknown_period_is_refused(tmp_path):
    with pytest.raises(DataError, match="keine Lieferung für Berichtsjahr 2031"):
        ingest_period("2031", RAW, tmp_path)
    with pytest.raises(DataError, match="Berichtszeitraum"):
        ingest_period("../2017", RAW, tmp_path)


def test_cli_prints_plain_message_and_exits_nonzero(capsys):
    code = cli.main(
        [
            "ingest",
            "--period",
            "2017",
            "--raw",
            str(BAD / "negative_count"),
            "--data",
            "/nonexistent/never-written",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("Fehler: ") and "negative Anzahl -5" in err
    assert "Traceback" not in err


def _copy_period(src: Path, dst: Path, period: str) -> Path:
    shutil.copytree(src / period, dst / period)
    return dst / period


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("processed")
    ingest_all(RAW, data)
    return data


def test_demo_ingests_every_period(demo_store):
    assert periods(demo_store) == ["2014", "2015", "2016", "2017", "2018", "2019"]
    assert available_periods(RAW) == periods(demo_store)
    prov = provenance("2017", demo_store)
    assert prov["synthetic"] is True
    assert {i["domain"] for i in prov["inputs"]} == set(prov["tables"])
    assert all(len(i["sha256"]) == 64 for i in prov["inputs"])
    # every table of the registry is delivered in 2017, except the election (2014 only)
    assert set(prov["tables"]) == set(TABLES) - {"election"}
    pop = load("population", "2017", demo_store)
    assert pop["stat_bezirk"].map(len).eq(4).all() and pop["count"].dtype == "int64"


def test_failed_ingest_leaves_processed_data_byte_identical(demo_store, tmp_path):
    data = tmp_path / "processed"
    shutil.copytree(demo_store, data)
    before = {p: p.read_bytes() for p in (data / "2017").iterdir()}
    raw = tmp_path / "raw"
    folder = _copy_period(RAW, raw, "2017")
    target = folder / "jugendamt_kjh_kindertagesbetreuung_2017.csv"
    # a broken re-delivery whose manifest hash was updated to match
    target.write_bytes(target.read_bytes().replace(b";01;", b";99;", 1))
    manifest = yaml.safe_load((folder / "sources.yaml").read_text(encoding="utf-8"))
    for e in manifest["files"]:
        if e["file"] == target.name:
            e["sha256"] = hashlib.sha256(target.read_bytes()).hexdigest()
    (folder / "sources.yaml").write_text(
        yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8"
    )
    with pytest.raises(DataError, match="99"):
        ingest_period("2017", raw, data)
    after = {p: p.read_bytes() for p in (data / "2017").iterdir()}
    assert after == before
    assert sorted(p.name for p in data.iterdir()) == sorted(p.name for p in demo_store.iterdir())


def test_ingest_reports_all_problems_at_once(tmp_path):
    raw = tmp_path / "raw"
    folder = _copy_period(RAW, raw, "2017")
    (folder / "ki_engagement_2017.csv").write_bytes(b"")
    (folder / "schulamt_schulabgaenger_2017.csv").unlink()
    with pytest.raises(DataError) as info:
        ingest_period("2017", raw, tmp_path / "out")
    msg = str(info.value)
    assert "2 Problem(e)" in msg
    assert "ki_engagement_2017.csv" in msg and "schulamt_schulabgaenger_2017.csv" in msg


def test_ingest_is_deterministic(demo_store, tmp_path):
    ingest_period("2016", RAW, tmp_path)
    cmp = filecmp.dircmp(demo_store / "2016", tmp_path / "2016")
    assert not cmp.diff_files and not cmp.left_only and not cmp.right_only
    # and really equal byte for byte
    for name in cmp.common_files:
        assert (demo_store / "2016" / name).read_bytes() == (tmp_path / "2016" / name).read_bytes()


def test_demo_data_regenerates_byte_identical(tmp_path):
    """`make demo-data` reproduces the committed deliveries exactly."""
    subprocess.run(
        [sys.executable, "-m", "bielefeld_integration.demo", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    committed = sorted(p.relative_to(RAW) for p in RAW.rglob("*") if p.is_file())
    fresh = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert fresh == committed
    for rel in committed:
        assert (RAW / rel).read_bytes() == (tmp_path / rel).read_bytes(), rel


def test_demo_data_is_marked_synthetic_and_small():
    size = sum(p.stat().st_size for p in RAW.rglob("*") if p.is_file())
    assert size < 15 * 1024 * 1024
    for period in available_periods(RAW):
        doc = yaml.safe_load((RAW / period / "sources.yaml").read_text(encoding="utf-8"))
        assert doc["synthetic"] is True and "SYNTHETISCH" in doc["note"]
        assert (RAW / period / "SYNTHETISCH.txt").is_file()
        for e in doc["files"]:
            assert set(e) == {"file", "format", "domain", "reference_date", "origin", "sha256"}


def test_generate_writes_into_any_folder(tmp_path):
    written = generate(tmp_path, [2019])
    assert written and all(p.is_file() for p in written)
    df = pd.read_csv(tmp_path / "2019" / "SYNTHETISCH.txt", header=None, sep="\t")
    assert "SYNTHETISCHE DEMODATEN" in df.iloc[0, 0]


def test_next_ingest_cleans_up_after_a_killed_one(demo_store, tmp_path):
    data = tmp_path / "processed"
    shutil.copytree(demo_store, data)
    (data / ".2017.k1ll3d.tmp").mkdir()
    (data / ".2017.k1ll3d.tmp" / "population.parquet").write_bytes(b"halb")
    # killed between the two renames of a swap: the period is only in .2016.old
    os.replace(data / "2016", data / ".2016.old")
    ingest_period("2018", RAW, data)
    names = sorted(p.name for p in data.iterdir() if p.name != ".lock")
    assert names == sorted(p.name for p in demo_store.iterdir() if p.name != ".lock")
    assert (data / "2016" / "provenance.json").is_file()


def test_second_ingest_into_the_same_store_waits_then_stops(tmp_path, hold_folder):
    data = tmp_path / "processed"
    hold_folder(data)
    code = cli.main(["ingest", "--period", "2017", "--data", str(data)])
    assert code == 2
    assert not (data / "2017").exists()


def test_killed_ingest_never_loses_or_mixes_a_period(demo_store, tmp_path, killed_ingest):
    """SIGKILL at several moments of an ingest: the period stays complete and readable."""
    data = tmp_path / "processed"
    shutil.copytree(demo_store, data)
    expected = sorted(p.name for p in (data / "2017").iterdir())
    for delay in (0.5, 1.0, 1.5, 2.0, 2.5, 3.0):
        killed_ingest("2017", RAW, data, delay)
        assert sorted(p.name for p in (data / "2017").iterdir()) == expected
        assert provenance("2017", data)["period"] == "2017"
        assert len(load("population", "2017", data)) > 0
    ingest_period("2016", RAW, data)  # the next run cleans up after the killed ones
    assert not [p.name for p in data.iterdir() if p.name.endswith((".tmp", ".old"))]

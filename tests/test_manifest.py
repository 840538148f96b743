"""The manifest of a delivery: hostile or careless manifests are refused."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
import yaml

from bielefeld_integration.errors import DataError
from bielefeld_integration.ingest import ingest_period
from bielefeld_integration.manifest import read_manifest
from bielefeld_integration.periods import Period

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
KJH = "jugendamt_kjh_kindertagesbetreuung_2017.csv"


@pytest.fixture
def delivery(tmp_path) -> Path:
    """A copy of the complete 2017 demo delivery."""
    folder = tmp_path / "raw" / "2017"
    shutil.copytree(RAW / "2017", folder)
    return folder


def _edit(folder: Path, change) -> None:
    path = folder / "sources.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _entry(doc: dict, file: str) -> dict:
    return next(e for e in doc["files"] if e["file"] == file)


def _refused(folder: Path, tmp_path: Path) -> str:
    with pytest.raises(DataError) as info:
        ingest_period("2017", folder.parent, tmp_path / "processed")
    assert not (tmp_path / "processed" / "2017").exists()
    return str(info.value)


def test_the_demo_manifest_is_accepted(delivery):
    doc, entries = read_manifest(delivery, Period.parse("2017"))
    assert doc["period"] == "2017" and len(entries) == 23


def test_symlink_to_etc_passwd_is_refused_and_not_printed(delivery, tmp_path):
    target = Path("/etc/passwd")
    link = delivery / "passwd.csv"
    os.symlink(target, link)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()

    def change(doc):
        e = _entry(doc, KJH)
        e.update(file="passwd.csv", sha256=digest)

    _edit(delivery, change)
    message = _refused(delivery, tmp_path)
    assert "passwd.csv" in message and "symbolischer Verweis" in message
    first = target.read_text(encoding="utf-8").splitlines()[0]
    assert "root:" not in message and first not in message


def test_symlink_to_a_file_inside_the_folder_is_refused_too(delivery, tmp_path):
    (delivery / "copy.csv").symlink_to(delivery / KJH)
    _edit(delivery, lambda doc: _entry(doc, KJH).update(file="copy.csv"))
    assert "symbolischer Verweis" in _refused(delivery, tmp_path)


def test_a_folder_or_a_path_is_not_a_delivered_file(delivery, tmp_path):
    (delivery / "sub.csv").mkdir()
    _edit(delivery, lambda doc: _entry(doc, KJH).update(file="sub.csv"))
    assert "keine gewöhnliche Datei" in _refused(delivery, tmp_path)
    _edit(delivery, lambda doc: _entry(doc, "sub.csv").update(file="../2017/" + KJH))
    assert "Dateiname mit Pfad" in _refused(delivery, tmp_path)


def test_a_left_out_domain_is_named(delivery, tmp_path):
    _edit(delivery, lambda doc: doc["files"].remove(_entry(doc, KJH)))
    message = _refused(delivery, tmp_path)
    assert "fehlen im Manifest: daycare" in message


def test_optional_domains_may_be_left_out(delivery, tmp_path):
    _edit(delivery, lambda doc: doc["files"].remove(_entry(doc, "massnahmen.csv")))
    assert ingest_period("2017", delivery.parent, tmp_path / "p").is_dir()


def test_a_domain_listed_twice_is_refused(delivery, tmp_path):
    shutil.copy(delivery / KJH, delivery / "zweite.csv")

    def change(doc):
        doc["files"].append({**_entry(doc, KJH), "file": "zweite.csv"})

    _edit(delivery, change)
    assert "Bereich 'daycare' doppelt" in _refused(delivery, tmp_path)


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("format", "ba_csv", "passt nicht zum Bereich 'daycare'"),
        ("format", "", "fehlen: format"),
        ("file", KJH.replace(".csv", ".xlsx"), "verlangt eine Datei auf .csv"),
        ("reference_date", "2099-03-01", "nicht im Berichtsjahr 2017"),
        ("reference_date", "2016-12-31", "nicht im Berichtsjahr 2017"),
        ("reference_date", "2017-02-30", "kein Datum"),
        ("reference_date", "20170301", "kein Datum"),
        ("sha256", "abc", "64 Hexziffern"),
        ("origin", "x" * 600, "zu lang"),
        ("origin", ["a", "b"], "muss ein Text sein"),
        ("domain", "../../etc", "unbekannter Bereich"),
    ],
)
def test_bad_entries(delivery, tmp_path, field, value, fragment):
    _edit(delivery, lambda doc: _entry(doc, KJH).__setitem__(field, value))
    assert fragment in _refused(delivery, tmp_path)


def test_unknown_entry_field_is_refused(delivery, tmp_path):
    _edit(delivery, lambda doc: _entry(doc, KJH).__setitem__("skript", "x"))
    assert "unbekannte(s) Feld(er): skript" in _refused(delivery, tmp_path)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda doc: doc.__setitem__("files", []), "keine Dateien"),
        (lambda doc: doc.__setitem__("files", "alle"), "Liste »files«"),
        (lambda doc: doc.__setitem__("synthetic", "ja"), "true oder false"),
        (lambda doc: doc.__setitem__("note", "x" * 3000), "höchstens 2000 Zeichen"),
        (lambda doc: doc.__setitem__("period", "2016"), "Berichtsjahr '2016'"),
    ],
)
def test_bad_manifest_documents(delivery, tmp_path, change, fragment):
    _edit(delivery, change)
    assert fragment in _refused(delivery, tmp_path)


def test_empty_manifest_never_replaces_processed_data(delivery, tmp_path):
    data = tmp_path / "processed"
    ingest_period("2017", delivery.parent, data)
    before = {p.name: p.read_bytes() for p in (data / "2017").iterdir()}
    _edit(delivery, lambda doc: doc.__setitem__("files", []))
    with pytest.raises(DataError, match="keine Dateien"):
        ingest_period("2017", delivery.parent, data)
    assert {p.name: p.read_bytes() for p in (data / "2017").iterdir()} == before


def test_manifest_that_is_a_symlink_is_refused(delivery, tmp_path):
    real = tmp_path / "elsewhere.yaml"
    shutil.move(delivery / "sources.yaml", real)
    (delivery / "sources.yaml").symlink_to(real)
    assert "symbolischer Verweis" in _refused(delivery, tmp_path)

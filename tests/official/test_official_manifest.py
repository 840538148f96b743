"""The manifest of data/official: complete, licences verbatim, checksums enforced."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bielefeld_integration.errors import DataError
from bielefeld_integration.official.manifest import check_files, load_manifest, sha256_of

OFFICIAL = Path(__file__).resolve().parents[2] / "data" / "official"

LICENCE_TEXTS = {
    "dl-de/by-2-0": {"© Statistische Ämter des Bundes und der Länder", "© GeoBasis-DE / BKG"},
    "CC BY-SA 4.0": {"© Stadt Bielefeld, Presseamt/Statistikstelle (CC BY-SA 4.0)"},
}


def test_every_shipped_file_has_an_entry_with_its_checksum():
    entries = load_manifest(OFFICIAL)
    check_files(entries, OFFICIAL)  # raises on any difference
    files = {e.file for e in entries}
    assert len([f for f in files if f.startswith("regionalstatistik/")]) == 11
    assert len([f for f in files if f.startswith("geometry/")]) == 5
    assert len([f for f in files if f.startswith("bielefeld-open-data/")]) == 4


def test_licence_attribution_is_verbatim_and_sources_name_the_commit():
    for e in load_manifest(OFFICIAL):
        assert e.attribution in LICENCE_TEXTS[e.licence], e.file
        assert len(e.commit) == 40 and e.repository.count("/") == 1
        if e.kind == "genesis":
            assert e.attribution == "© Statistische Ämter des Bundes und der Länder"
            assert e.path == f"src/{Path(e.file).name}"
            assert e.source_note.startswith("Amtliche Daten: Regionaldatenbank Deutschland")
        if e.kind == "geometry":
            assert e.attribution == "© GeoBasis-DE / BKG"


def test_table_codes_match_the_file_headers():
    for e in load_manifest(OFFICIAL):
        if e.kind == "genesis":
            first = (OFFICIAL / e.file).read_bytes().split(b"\n", 1)[0].decode("latin-1")
            assert first.strip() == f"GENESIS-Tabelle: {e.table}"


@pytest.fixture
def copy(tmp_path) -> Path:
    target = tmp_path / "official"
    shutil.copytree(OFFICIAL, target)
    return target


def test_changed_file_is_refused_with_both_checksums(copy):
    path = copy / "regionalstatistik" / "13211-01-03-4_00.csv"
    expected = sha256_of(path)
    path.write_bytes(path.read_bytes().replace(b"5210", b"5211", 1))
    with pytest.raises(DataError, match="Prüfsumme") as info:
        check_files(load_manifest(copy), copy)
    assert expected in str(info.value) and sha256_of(path) in str(info.value)
    assert "13211-01-03-4_00.csv" in str(info.value)


def test_missing_and_unlisted_files_are_refused(copy):
    extra = copy / "regionalstatistik" / "99999-01-01-4.csv"
    extra.write_text("GENESIS-Tabelle: 99999-01-01-4\n", encoding="utf-8")
    with pytest.raises(DataError, match="ohne Eintrag"):
        check_files(load_manifest(copy), copy)
    extra.unlink()
    (copy / "geometry" / "VG2500_KRS.dbf").unlink()
    with pytest.raises(DataError, match="fehlt"):
        check_files(load_manifest(copy), copy)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["files"][0].pop("attribution"), "es fehlen attribution"),
        (lambda d: d["files"][0].update(sha256="abc"), "64 Hexadezimalziffern"),
        (lambda d: d["files"][0].update(kind="excel"), "kind"),
        (lambda d: d["files"][1].update(file=d["files"][0]["file"]), "zweimal"),
        (lambda d: d["files"][0].update(file="../secret.csv"), "unterhalb"),
        (lambda d: d["files"][0]["source"].pop("commit"), "source braucht"),
    ],
)
def test_malformed_manifest_entries_are_refused(copy, change, message):
    path = copy / "manifest.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError, match=message):
        load_manifest(copy)

"""Limits on input size: refused early, with a German message, configurable."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from bielefeld_integration.errors import DataError
from bielefeld_integration.limits import (
    Limits,
    check_cells,
    check_field,
    check_file_size,
    check_xlsx,
    limits,
    load_yaml,
)


def test_defaults_and_environment(monkeypatch):
    assert limits() == Limits()
    monkeypatch.setenv("BIELEFELD_MAX_FILE_BYTES", "1_000")
    monkeypatch.setenv("BIELEFELD_MAX_YAML_DEPTH", "7")
    assert limits().max_file_bytes == 1000 and limits().max_yaml_depth == 7
    monkeypatch.setenv("BIELEFELD_MAX_CELLS", "viele")
    with pytest.raises(DataError, match=r"BIELEFELD_MAX_CELLS.*keine positive ganze Zahl"):
        limits()


def test_file_size(tmp_path, monkeypatch):
    path = tmp_path / "a.csv"
    path.write_bytes(b"x" * 2000)
    assert check_file_size(path) == 2000
    monkeypatch.setenv("BIELEFELD_MAX_FILE_BYTES", "1000")
    with pytest.raises(DataError, match=r"zu groß: 2\.000 Bytes.*höchstens 1\.000"):
        check_file_size(path)


def test_cells_and_field(tmp_path, monkeypatch):
    monkeypatch.setenv("BIELEFELD_MAX_CELLS", "10")
    check_cells(10, tmp_path)
    with pytest.raises(DataError, match="mehr als 10 Zellen"):
        check_cells(11, tmp_path)
    check_field("x" * 10_000, tmp_path, 3)
    with pytest.raises(DataError, match=r"Zeile 3.*Feld ist zu lang: 10\.006 Zeichen") as info:
        check_field("geheim" + "x" * 10_000, tmp_path, 3)
    assert "geheim" not in str(info.value)


def test_yaml_depth_aliases_and_expansion(tmp_path):
    assert load_yaml("a: [1, 2]") == {"a": [1, 2]}
    assert load_yaml("") is None
    with pytest.raises(DataError, match="tiefer als 50 Ebenen"):
        load_yaml("a: " + "[" * 5000 + "]" * 5000)
    with pytest.raises(DataError, match="tiefer als 50 Ebenen"):
        load_yaml("".join(f"{' ' * i}k:\n" for i in range(60)))
    laughs = ["a0: &a0 " + "x" * 100]
    laughs += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    with pytest.raises(DataError, match="mehr als 20 Verweise"):
        load_yaml("\n".join(laughs))
    # few aliases, but each one repeats a long string: refused by the written-out size
    few = ["l0: &l0 " + "x" * 90_000]
    few += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 4) + "]" for i in range(1, 5)]
    with pytest.raises(DataError, match="ausgeschrieben"):
        load_yaml("\n".join(few))


def test_yaml_errors_are_data_errors_without_content(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("geheim: [1, 2\nb: 3\n", encoding="utf-8")
    with pytest.raises(DataError, match="kein gültiges YAML") as info:
        load_yaml(path)
    assert "geheim" not in str(info.value) and str(path) in str(info.value)
    path.write_bytes(b"a: \xff\xfe")
    with pytest.raises(DataError, match="nicht in UTF-8"):
        load_yaml(path)
    with pytest.raises(DataError, match="kein gültiges YAML"):
        load_yaml("!!python/object/apply:os.system ['true']")


def test_yaml_file_size(tmp_path, monkeypatch):
    monkeypatch.setenv("BIELEFELD_MAX_YAML_BYTES", "100")
    path = tmp_path / "x.yaml"
    path.write_text("a: " + "x" * 200, encoding="utf-8")
    with pytest.raises(DataError, match="YAML-Datei ist zu groß"):
        load_yaml(path)


def _zip_bomb(path: Path, size: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * size)


def test_xlsx_unpacked_size(tmp_path, monkeypatch):
    path = tmp_path / "m.xlsx"
    _zip_bomb(path, 5_000_000)
    assert path.stat().st_size < 50_000
    check_xlsx(path)
    monkeypatch.setenv("BIELEFELD_MAX_XLSX_UNPACKED", "1000000")
    with pytest.raises(DataError, match=r"entpackt zu 5\.000\.000 Bytes"):
        check_xlsx(path)
    (tmp_path / "not.xlsx").write_bytes(b"kein zip")
    check_xlsx(tmp_path / "not.xlsx")  # left to the reader, which reports it

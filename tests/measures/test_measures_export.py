"""Export of the measures register in its delivery format: round trip, bytes, atomic."""

from __future__ import annotations

import stat
import zipfile

import pandas as pd
import pytest
from measures_testdata import CATALOGUE, fixture_register

from bielefeld_integration import measures as m


@pytest.fixture
def reg() -> pd.DataFrame:
    return fixture_register()


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


def test_export_is_written_readable_for_others(tmp_path, reg):
    path = m.export_register(reg, tmp_path / "r.xlsx")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644

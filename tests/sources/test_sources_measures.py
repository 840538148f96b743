"""Loader of the measures register for ingest (``sources/measures.py``)."""

from __future__ import annotations

import csv
import io

import pytest

from bielefeld_integration import measures as m
from bielefeld_integration import tables
from bielefeld_integration.demo import measures as demo
from bielefeld_integration.errors import DataError
from bielefeld_integration.ingest import load_file
from bielefeld_integration.sources.measures import LOADERS
from bielefeld_integration.tables import Table


def test_measures_table_spec_fits_ingest(tmp_path):
    table = Table(**m.MEASURES_TABLE_SPEC)
    path = tmp_path / "massnahmen.csv"
    path.write_bytes(demo.deliveries(2018)[0].content)
    df = LOADERS["measures"](path, reference_date="2018-06-30")
    out = table.schema.validate(df, lazy=True)
    assert list(out[table.column_names].columns) == [*m.COLUMNS, "reference_date"]
    with pytest.raises(DataError, match="Stichtag"):
        LOADERS["measures"](path, reference_date="2018-06-01")


def test_ingest_path_reads_the_demo_register(tmp_path, monkeypatch):
    monkeypatch.setitem(tables.TABLES, "measures", tables.Table(**m.MEASURES_TABLE_SPEC))
    path = tmp_path / "massnahmen.csv"
    path.write_bytes(demo.deliveries(2019)[0].content)
    df = load_file("measures", path, reference_date="2019-06-30")
    assert len(df) == len(demo.register(2019)) and (df["reference_date"] == "2019-06-30").all()


def test_loader_checks_only_the_form_of_indicator_ids(tmp_path):
    """Whether an id exists in the catalogue is checked at ingest, not by the loader."""
    comment, *lines = demo.deliveries(2018)[0].content.decode("utf-8").splitlines(keepends=True)
    rows = list(csv.reader(lines, delimiter=";"))
    rows[1][rows[0].index("Indikatoren")] = "XYZ-99"
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows(rows)
    path = tmp_path / "massnahmen.csv"
    path.write_text(comment + buf.getvalue(), encoding="utf-8")
    df = LOADERS["measures"](path, reference_date="2018-06-30")
    assert df.loc[0, "indicators"] == "XYZ-99"

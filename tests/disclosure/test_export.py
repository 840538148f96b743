"""Export of the indicator table: disclosure-controlled CSV, XLSX and parquet."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from bielefeld_integration import store
from bielefeld_integration.disclosure.export import AREA_NAME_COLUMN, export, with_area_names
from bielefeld_integration.disclosure.indicator_table import PUBLISHED_COLUMNS
from bielefeld_integration.errors import DataError
from bielefeld_integration.indicators.compute import COLUMNS

_AT = PUBLISHED_COLUMNS.index("area_code") + 1
EXPORT_COLUMNS = [*PUBLISHED_COLUMNS[:_AT], AREA_NAME_COLUMN, *PUBLISHED_COLUMNS[_AT:]]


@pytest.fixture(scope="module")
def truth(demo_store: Path) -> pd.DataFrame:
    df = pd.read_parquet(demo_store / store.INDICATORS_FILE)
    return df[df["period"] == "2017"].reset_index(drop=True)


def test_export_of_the_published_table_writes_it_as_it_is(demo_store: Path, tmp_path: Path) -> None:
    published = store.published(demo_store)
    path = export(published, tmp_path / "ind.csv")
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(EXPORT_COLUMNS)
    assert not text.startswith("\ufeff") and "\r" not in text
    back = pd.read_csv(path, keep_default_na=False, dtype=str)
    assert len(back) == len(published)
    assert (back.loc[back["numerator_symbol"] == ".", "numerator"] == "").all()


def test_export_suppresses_an_unsuppressed_table(truth: pd.DataFrame, tmp_path: Path) -> None:
    p = export(truth, tmp_path / "out.bin", "parquet")
    back = pd.read_parquet(p)
    assert list(back.columns) == EXPORT_COLUMNS
    assert (back["numerator_symbol"] == ".").any()
    small = (back["numerator"] > 0) & (back["numerator"] < 3)
    assert not small.any()


def test_export_xlsx_has_a_legend(truth: pd.DataFrame, tmp_path: Path) -> None:
    x = export(truth, tmp_path / "ind.xlsx")
    sheets = pd.read_excel(x, sheet_name=None)
    assert list(sheets) == ["Indikatoren", "Zeichenerklärung", "Gebiete"]
    names = pd.read_excel(x, sheet_name="Gebiete", dtype=str).set_index("area_code")["Name"]
    assert names["0217"] == "Vorwerk Schildesche" and len(names) == 83
    assert list(sheets["Indikatoren"].columns) == EXPORT_COLUMNS
    assert len(sheets["Indikatoren"]) == len(truth)


def test_export_unsuppressed_warns(truth: pd.DataFrame, tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="intern"):
        path = export(truth, tmp_path / "intern.parquet", unsuppressed=True)
    pd.testing.assert_frame_equal(pd.read_parquet(path), with_area_names(truth[COLUMNS]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        export(truth, tmp_path / "public.parquet")


def test_export_unknown_format(truth: pd.DataFrame, tmp_path: Path) -> None:
    with pytest.raises(DataError, match="Exportformat"):
        export(truth, tmp_path / "ind.ods")
    assert not list(tmp_path.iterdir())


def test_every_export_names_the_areas_in_german(demo_store: Path, tmp_path: Path) -> None:
    # the CSV had area keys only: every row now names its area, the 72 Statistische
    # Bezirke by number and real name as the city writes them, never by the key "0217"
    published = store.published(demo_store)
    for fmt in ("csv", "parquet"):
        path = export(published, tmp_path / f"ind.{fmt}")
        back = (
            pd.read_csv(path, dtype=str, keep_default_na=False)
            if fmt == "csv"
            else pd.read_parquet(path)
        )
        names = back.drop_duplicates("area_code").set_index("area_code")[AREA_NAME_COLUMN]
        assert names["05711000"] == "Bielefeld" and names["02"] == "Schildesche"
        assert names["0217"] == "17 Vorwerk Schildesche"
        stat = back.loc[back["area_level"] == "stat_bezirk", ["area_code", AREA_NAME_COLUMN]]
        assert stat["area_code"].nunique() == 72
        assert (stat[AREA_NAME_COLUMN].str[:2] == stat["area_code"].str[2:]).all()
        assert (back[AREA_NAME_COLUMN] != "").all()


def test_an_unknown_area_key_is_refused(truth: pd.DataFrame, tmp_path: Path) -> None:
    bad = truth.head(3).assign(area_code="9999")
    with pytest.warns(UserWarning, match="intern"), pytest.raises(DataError, match="9999"):
        export(bad, tmp_path / "bad.csv", unsuppressed=True)

"""Ingest of data/official: the Bielefeld check values of PROVENANCE.md, atomic, refusals."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from bielefeld_integration.errors import DataError
from bielefeld_integration.official.compare import select
from bielefeld_integration.official.ingest import (
    ingest_official,
    load_official,
    official_provenance,
)
from bielefeld_integration.store import periods

OFFICIAL = Path(__file__).resolve().parents[2] / "data" / "official"
B = ["05711"]


def _one(df: pd.DataFrame, *labels: str, year: str, ignore=()) -> float:
    return float(select(df, *labels, ignore=ignore, regions=B)[("05711", year)])


def test_every_table_is_written_and_marked_official(official_store):
    doc = official_provenance(official_store)
    assert doc["official"] is True and doc["synthetic"] is False
    names = set(doc["tables"])
    assert len([n for n in names if doc["tables"][n]["files"][0]["kind"] == "genesis"]) == 11
    for name in names - {"bielefeld_population_metadata", "bielefeld_households_metadata"}:
        assert (official_store / "official" / f"{name}.parquet").is_file(), name
    # never mixed with the demo: the official store is no period
    assert periods(official_store) == []
    df = load_official("unemployed", official_store)
    assert df.attrs["official"] and df.attrs["table"] == "13211-01-03-4"
    assert "© Statistische Ämter des Bundes und der Länder" in df.attrs["source_note"]


@pytest.mark.parametrize(
    ("name", "labels", "year", "expected", "ignore"),
    [
        ("population_by_age_to_2010", ("unter 3 Jahre",), "2010", 8995, ()),
        ("population_by_age_to_2010", ("unter 3 Jahre", "Ausländer(innen)"), "2010", 757, ()),
        ("population_by_age", (), "2015", 333_090, ()),
        ("population_by_age", ("Ausländer(innen)",), "2015", 43_548, ()),
        ("population_average", (), "2015", 331_436, ()),
        ("naturalisations", (), "2016", 456, ()),
        ("naturalisations", ("Europa",), "2016", 280, ()),
        ("migration", ("Ausländer(innen)", "Zuzüge über die Gemeindegrenzen"), "2015", 9518, ()),
        ("employees_residence", (), "2015", 116_295, ()),
        ("employees_residence", ("Ausländer(innen)",), "2015", 12_333, ()),
        ("unemployed", (), "2016", 15_152, ("Arbeitslose",)),
        ("unemployed", ("Ausländer",), "2016", 5_210, ("Arbeitslose",)),
        ("sgb2", ("Personen in Bedarfsgemeinschaften nach dem SGB II",), "2016", 38_994, ()),
        ("asylum_benefits", (), "2015", 3_870, ()),
        ("daycare", ("Tageseinrichtung", "Betreute Kinder"), "2016", 11_501, ()),
        (
            "daycare",
            ("Tageseinrichtung", "Kinder, Herkunft mind. 1 Elternteil ausländisch"),
            "2016",
            5_602,
            (),
        ),
        ("school_leavers", (), "2015", 4_309, ()),
        ("school_leavers", ("ohne Hauptschulabschluss",), "2015", 265, ()),
    ],
)
def test_bielefeld_check_values_of_provenance(official_store, name, labels, year, expected, ignore):
    assert _one(load_official(name, official_store), *labels, year=year, ignore=ignore) == expected


def test_city_open_data_and_geometry(official_store):
    pop = load_official("bielefeld_population", official_store)
    assert pop.loc[pop.year == 2019, "count"].sum() == 339_842
    assert pop.stat_bezirk.nunique() == 72 and pop.stat_bezirk.str.len().eq(4).all()
    households = load_official("bielefeld_households", official_store)
    assert households.stat_bezirk.nunique() == 72  # keys without leading zero, normalised
    kreise = load_official("kreise", official_store)
    nrw = kreise[kreise.ags.str.startswith("05")].drop_duplicates("ags")
    assert len(nrw) == 53 and "Bielefeld" in set(nrw.name)
    assert len(nrw[nrw.kind == "Kreisfreie Stadt"]) == 22


def test_ingest_is_deterministic(official_store, tmp_path):
    ingest_official(OFFICIAL, tmp_path)
    for path in sorted((official_store / "official").iterdir()):
        assert (tmp_path / "official" / path.name).read_bytes() == path.read_bytes(), path.name


def test_hash_mismatch_refuses_and_keeps_earlier_output(tmp_path):
    official = tmp_path / "official-src"
    shutil.copytree(OFFICIAL, official)
    data = tmp_path / "data"
    (data / "official").mkdir(parents=True)
    earlier = data / "official" / "provenance.json"
    earlier.write_text(json.dumps({"official": True, "tables": {}}), encoding="utf-8")
    path = official / "regionalstatistik" / "22221-01-01-4_00.csv"
    path.write_bytes(path.read_bytes() + b"\n")
    with pytest.raises(DataError, match="Prüfsumme"):
        ingest_official(official, data)
    assert json.loads(earlier.read_text(encoding="utf-8")) == {"official": True, "tables": {}}
    assert sorted(p.name for p in (data / "official").iterdir()) == ["provenance.json"]


def test_load_official_refuses_what_is_not_there(tmp_path, official_store):
    with pytest.raises(DataError, match="keine amtlichen Tabellen"):
        load_official("unemployed", tmp_path)
    with pytest.raises(DataError, match="unbekannte amtliche Tabelle"):
        load_official("population", official_store)


def test_unchanged_tables_are_not_ingested_again(official_store):
    assert ingest_official(OFFICIAL, official_store) == []
    doc = official_provenance(official_store)
    assert len(doc["key"]) == 64 and "unemployed" in doc["written"]

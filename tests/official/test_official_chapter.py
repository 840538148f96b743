"""The chapter "Bielefeld im Vergleich": texts, and the notebook rendered by the runner."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bielefeld_integration.ingest import ingest_period
from bielefeld_integration.official.chapter import (
    ComparisonChapter,
    end_note,
    fmt_indicator,
    indicator_sentence,
)
from bielefeld_integration.official.compare import INDICATORS
from bielefeld_integration.report.chapters import ChapterSpec
from bielefeld_integration.report.runner import render_period
from bielefeld_integration.report.site import data_kind

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "11_vergleich.ipynb"


def test_end_note_never_promises_a_value_after_the_series():
    assert "kein amtlicher Wert vor" in end_note("2016", "2017")
    assert "weder geschätzt noch fortgeschrieben" in end_note("2015", "2019")
    assert "kein amtlicher Wert" not in end_note("2016", "2016")


def test_indicator_sentence_and_formats():
    ind = INDICATORS["auslaenderanteil_arbeitslose"]
    table = pd.DataFrame(
        {
            "bielefeld": [32.38, 34.38],
            "nrw": [25.0, 28.02],
            "detmold": [21.9, 25.34],
            "median_kfs": [30.0, 32.3],
            "rank": [5.0, 7.0],
            "n_kfs": [22, 22],
        },
        index=pd.Index(["2015", "2016"], name="year"),
    )
    assert indicator_sentence(ind, table) == (
        "2016 lag der Wert in Bielefeld bei 34,4 %, in Nordrhein-Westfalen bei 28,0 % und im "
        "Regierungsbezirk Detmold bei 25,3 %. Unter den 22 kreisfreien Städten "
        "Nordrhein-Westfalens hatte Bielefeld den 7.-höchsten Wert (Median 32,3 %)."
    )
    assert fmt_indicator(11.676, INDICATORS["asylblg_je_1000"]) == "11,7"


def test_chapter_tables_use_german_numbers(official_store):
    ch = ComparisonChapter("2017", official_store)
    kf = ch.key_figures().set_index("Kennzahl")
    assert kf.loc["Ausländerinnen und Ausländer", "Bielefeld"] == "43.548"
    table = ch.indicator_table("auslaenderanteil_arbeitslose").set_index("Jahr")
    assert table.loc["2016", "Bielefeld"] == "34,4 %"
    assert table.loc["2016", "Rang Bielefelds"] == "7 von 22"
    assert ch.source("13211-01-03-4") == (
        "Amtliche Daten: Regionaldatenbank Deutschland, Tabelle 13211-01-03-4; © Statistische "
        "Ämter des Bundes und der Länder, Datenlizenz Deutschland – Namensnennung – Version 2.0 "
        "(dl-de/by-2-0)"
    )


@pytest.fixture(scope="module")
def store(official_store, tmp_path_factory) -> Path:
    """The official store plus the demo period 2017 (for the page's provenance)."""
    data = tmp_path_factory.mktemp("vergleich-store")
    (data / "official").symlink_to(official_store / "official", target_is_directory=True)
    ingest_period("2017", ROOT / "data" / "raw", data)
    return data


@pytest.mark.slow
def test_notebook_renders_the_real_values(store, tmp_path):
    chapters = (ChapterSpec("index", NOTEBOOK, "Bielefeld im Vergleich"),)
    site = render_period(
        "2017", chapters=chapters, output_dir=tmp_path, data_dir=store, workers=1, progress=False
    )
    html = (site / "index.html").read_text(encoding="utf-8")
    for text in [
        "Amtliche Daten",
        "43.548",  # foreigners on 31.12.2015
        "5.210",  # unemployed foreigners 2016
        "© Statistische Ämter des Bundes und der Länder",
        "© GeoBasis-DE / BKG",
        "Tabelle 13211-01-03-4",
        "Für das Berichtsjahr 2017 liegt kein amtlicher Wert vor",
        "Karte der 53 Kreise",
    ]:
        assert text in html, text
    # registered under its slug, the page is marked official, not synthetic
    assert data_kind(ChapterSpec("vergleich", NOTEBOOK, "x"), {"synthetic": True}) == "amtlich"
    data = sorted(p.name for p in (site / "data").iterdir())
    assert "index-karte-nrw.csv" in data and "index-eckwerte-amtlich.csv" in data
    for name in data:  # downloads have German headers, no identifiers
        header = (site / "data" / name).read_text(encoding="utf-8-sig").splitlines()[0]
        assert "_" not in header and not {"year", "value", "table"} & set(header.split(";"))

"""What every page says about its data (synthetic or official), the editorial text in the page
context, the technical provenance only on the methods page, and the site index."""

from __future__ import annotations

from pathlib import Path

import pytest

from bielefeld_integration.report.chapters import CHAPTERS, ChapterSpec
from bielefeld_integration.report.site import (
    LONG_FILE,
    build_site_index,
    data_kind,
    page_context,
    provenance_context,
)

PROVENANCE = {"synthetic": True, "inputs": [{"file": "raw/2017/a_b.csv", "sha256": "ab" * 32}]}


def context(chapter: ChapterSpec, provenance=PROVENANCE, district=None):
    return page_context(
        period="2017",
        chapter=chapter,
        district=district,
        chapters=CHAPTERS,
        districts=["01"],
        periods=["2017"],
        provenance=provenance_context(provenance, [("period", '"2017"'), ("data_dir", '"x"')]),
        generated="Erzeugt am 01.01.2026 um 00:00 Uhr.",
    )


def test_data_kind_of_pages():
    synthetic = provenance_context(PROVENANCE, [])
    real = provenance_context({"inputs": []}, [])
    assert data_kind(CHAPTERS[1], synthetic) == "synthetisch"
    assert data_kind(CHAPTERS[1], real) == ""
    official = ChapterSpec("vergleich", "30_vergleich.ipynb", "Bielefeld im Vergleich")
    assert data_kind(official, synthetic) == "amtlich"


def test_parameters_get_german_names():
    prov = provenance_context(None, [("period", '"2017"'), ("district", '"01"'), ("x", "1")])
    assert prov["parameters"] == [("Berichtsjahr", '"2017"'), ("Stadtbezirk", '"01"'), ("x", "1")]


def test_editorial_text_and_its_hash_reach_the_pages(tmp_path, monkeypatch):
    monkeypatch.setenv("BIELEFELD_TEXTS_DIR", str(tmp_path))
    assert context(CHAPTERS[1])["editorial_html"] == ""
    (tmp_path / "2017").mkdir()
    (tmp_path / "2017" / "01_bevoelkerung.md").write_text("Die Lage.", encoding="utf-8")
    page = context(CHAPTERS[1])
    assert '<h2 id="einordnung">Einordnung</h2>' in page["editorial_html"]
    assert "Die Lage." in page["editorial_html"]
    assert context(CHAPTERS[2])["editorial_html"] == ""
    methods = next(c for c in CHAPTERS if c.slug == "methoden")
    listed = context(methods)["editorials"]
    assert [e["file"] for e in listed] == ["01_bevoelkerung.md"]
    assert len(listed[0]["sha256"]) == 64
    # only the methods page carries the technical provenance; the others link to it
    assert context(methods)["technical"] and not page["technical"]
    assert page["methods_href"] == "methoden.html"
    district = context(CHAPTERS[-1], district="01")
    assert district["methods_href"] == "../methoden.html"


def period_page(root: Path, period: str, kind: str) -> None:
    (root / period).mkdir(parents=True)
    body = f'<body class="bi-page" data-bi-daten="{kind}">'
    (root / period / "index.html").write_text(f"<html>{body}</body></html>", encoding="utf-8")


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (
            {"2017": "synthetisch", "2018": "synthetisch"},
            "Alle Berichte auf dieser Website beruhen",
        ),
        ({"2017": "synthetisch", "2018": ""}, "Der Bericht zum Berichtsjahr 2017 beruht"),
        ({"2016": "synthetisch", "2017": "synthetisch", "2018": ""}, "2016 und 2017 beruhen"),
    ],
)
def test_site_index_says_which_periods_are_synthetic_at_the_top(tmp_path, kinds, expected):
    for period, kind in kinds.items():
        period_page(tmp_path, period, kind)
    html = build_site_index(tmp_path).read_text(encoding="utf-8")
    assert expected in html
    assert html.index("synthetischen Demodaten") < html.index("<h1")


def test_site_index_without_synthetic_periods_has_no_notice_and_links_the_long_file(tmp_path):
    period_page(tmp_path, "2017", "")
    html = build_site_index(tmp_path).read_text(encoding="utf-8")
    assert "synthetisch" not in html and LONG_FILE not in html
    (tmp_path / LONG_FILE).write_text("Berichtsjahr;Wert\n2017;1\n", encoding="utf-8")
    html = build_site_index(tmp_path).read_text(encoding="utf-8")
    assert f'<a href="{LONG_FILE}" download type="text/csv">' in html
    assert "Alle Indikatoren aller Berichtsjahre (CSV, 1 kB)" in html

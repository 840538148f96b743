"""The real report: every chapter notebook rendered on the demo data, checked and browsed.

This is the end-to-end test of the publication: it ingests the demo deliveries into a
temporary store, computes the indicators, renders the latest and one earlier period with
all chapters and the ten district profiles, checks the HTML, and opens every page of the
latest period in headless Chromium (offline: any request to another host fails the test).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bielefeld_integration.geography import STADTBEZIRKE
from bielefeld_integration.report import htmlcheck
from bielefeld_integration.report.chapters import CHAPTERS
from bielefeld_integration.report.resources import NOTEBOOKS_DIR
from bielefeld_integration.report.runner import render_all

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory, demo_store) -> Path:
    out = tmp_path_factory.mktemp("reports")
    render_all(
        ["2018", "2019"],
        notebooks_dir=NOTEBOOKS_DIR,
        output_dir=out,
        data_dir=demo_store,
        progress=False,
    )
    return out


def test_every_chapter_and_district_profile_is_published(site):
    latest = site / "2019"
    assert (site / "index.html").is_file()
    for chapter in CHAPTERS:
        if chapter.per_district:
            for code in STADTBEZIRKE:
                assert (latest / "bezirke" / f"{code}.html").is_file()
        elif chapter.slug == "index":
            assert (latest / "index.html").is_file()
        else:
            assert (latest / f"{chapter.slug}.html").is_file(), chapter.slug
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "2019/index.html" in index and "2018/index.html" in index


def test_html_checks_pass(site):
    assert htmlcheck.check_site(site) == []


def test_pages_show_german_numbers_and_the_synthetic_note(site):
    overview = (site / "2019" / "index.html").read_text(encoding="utf-8")
    assert "Demodaten" in overview or "synthetisch" in overview.lower()
    assert re.search(r"\d{1,3}(\.\d{3})+", overview), "keine Tausenderpunkte"
    assert re.search(r"\d+,\d %", overview), "keine Prozentangaben mit Dezimalkomma"
    profile = (site / "2019" / "bezirke" / "07.html").read_text(encoding="utf-8")
    assert "Heepen" in profile
    methods = (site / "2019" / "methoden.html").read_text(encoding="utf-8")
    assert "SHA-256" in methods and "WOH-01" in methods


def test_chart_data_is_published_as_csv(site):
    csvs = list((site / "2019" / "data").glob("*.csv"))
    assert len(csvs) > 30
    overview = (site / "2019" / "index.html").read_text(encoding="utf-8")
    assert 'href="data/' in overview
    # the measures register is also offered as an Excel file
    measures = (site / "2019" / "massnahmen.html").read_text(encoding="utf-8")
    assert 'href="data/massnahmen-register.xlsx"' in measures
    assert (site / "2019" / "data" / "massnahmen-register.xlsx").stat().st_size > 5000


def test_every_page_opens_in_chromium_without_requests_or_errors(site):
    from test_report_browser import CHROMIUM, CHROMIUM_ARGS, _unavailable, visit

    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} fehlt (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    pages = htmlcheck.site_pages(site / "2019")
    assert len(pages) >= 21
    problems = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            for path in pages:
                found = visit(browser, path)
                bad = {kind: items for kind, items in found.items() if items}
                if bad:
                    problems[str(path.relative_to(site))] = bad
        finally:
            browser.close()
    assert problems == {}


def test_rendering_the_real_report_twice_gives_identical_pages(site, demo_store, tmp_path_factory):
    """Same data and parameters: byte-identical pages apart from the generation-time line."""
    generated = re.compile(r'^.*class="bi-generated".*$\n?', re.MULTILINE)
    again = tmp_path_factory.mktemp("reports-again")
    render_all(
        ["2019"],
        notebooks_dir=NOTEBOOKS_DIR,
        output_dir=again,
        data_dir=demo_store,
        progress=False,
    )
    first = sorted(p.relative_to(site / "2019") for p in (site / "2019").rglob("*") if p.is_file())
    second = sorted(
        p.relative_to(again / "2019") for p in (again / "2019").rglob("*") if p.is_file()
    )
    assert first == second
    for rel in first:
        a = (site / "2019" / rel).read_bytes()
        b = (again / "2019" / rel).read_bytes()
        if rel.suffix == ".html":
            ta, tb = a.decode("utf-8"), b.decode("utf-8")
            assert len(generated.findall(ta)) == 1, rel
            # the period navigation differs (the first site also has 2018): compare the rest
            nav = re.compile(r'<li><a href="(\.\./)+2018/[^"]*">2018</a></li>\n?')
            assert nav.sub("", generated.sub("", ta)) == nav.sub("", generated.sub("", tb)), rel
        else:
            assert a == b, rel

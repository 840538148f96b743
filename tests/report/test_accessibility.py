"""A report a city can publish: every page of a demo period in headless Chromium.

- **Accessibility** (BITV 2.0 = WCAG 2.1 AA): every page of the latest period and the site
  index pass an axe-core audit (``tests/report/vendor/axe.min.js``, axe-core 4.12, MPL-2.0,
  taken from the npm registry's package) with the WCAG 2.0/2.1 A and AA rules and no
  violation; tables have a caption and header scopes, charts a title and a description.
- **No identifiers, no English** in the visible text (and the charts' titles and
  descriptions) of every public page; technical provenance only in the methods page's
  section "Technische Herkunftsangaben".
- **Layout**: at a narrow window nothing runs off the page (wide tables scroll in their
  column), no number is separated from its ``%``.
- **Notice** on synthetic data at the top of every page and of the site index.
- **Long-format download** of the site: parses to numbers, holds every published indicator
  of every rendered period.

The site is rendered like ``test_report_site.py`` (same periods and store), so the build
cache makes the second render cheap. Needs Debian's Chromium at ``/usr/bin/chromium``;
without it the tests fail, they are never skipped.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest

from bielefeld_integration import store
from bielefeld_integration.present.long_format import LONG_COLUMNS, LONG_FILE
from bielefeld_integration.report.resources import NOTEBOOKS_DIR
from bielefeld_integration.report.runner import render_all

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PERIODS = ["2018", "2019"]
LATEST = PERIODS[-1]

#: Visible text plus the titles and descriptions of the charts (what a screen reader reads),
#: without the technical provenance of the methods page.
VISIBLE_TEXT_JS = """
() => {
  const technical = document.querySelector('.bi-technical');
  if (technical) technical.remove();
  const charts = Array.from(document.querySelectorAll('svg title, svg desc'))
    .map(e => e.textContent);
  return document.body.innerText + '\\n' + charts.join('\\n');
}
"""

#: Words that only a developer would understand: table and column names of the store,
#: stored codes, file names, command lines, English headers.
IDENTIFIER_WORDS = re.compile(
    r"\b(?:residence|unemployed|sgb2|daycare|household_sizes|data_dir|arrivals|population"
    r"|measure_id|indicator|breakdown|area_code|area_level|need|year|value|period|district"
    r"|auslaendisch|persoenlich|familiaer|drittstaat|zuweisung|familiennachzug"
    r"|asylverfahren|folgeverfahren|eu_freizuegigkeit|nan|None|True|False)\b"
    r"|\b[\w-]+\.(?:yaml|yml|parquet|ipynb|py|json)\b"
    r"|(?:^|\s)--[a-z][a-z-]+|bielefeld-integration (?:report|ingest|indicators|scenario|texte)"
)
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


@pytest.fixture(scope="module")
def site(tmp_path_factory, demo_store) -> Path:
    out = tmp_path_factory.mktemp("reports")
    render_all(
        PERIODS,
        notebooks_dir=NOTEBOOKS_DIR,
        output_dir=out,
        data_dir=demo_store,
        progress=False,
    )
    return out


@pytest.fixture(scope="module")
def pages(site) -> list[Path]:
    found = [site / "index.html", *sorted((site / LATEST).rglob("*.html"))]
    assert len(found) >= 20
    return found


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():  # a failure, never a skip: the pages must be checked
        pytest.fail(f"{CHROMIUM} fehlt (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield instance
        finally:
            instance.close()


def axe_violations(browser, path: Path) -> list[str]:
    page = browser.new_page()
    try:
        page.goto(path.as_uri())
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations']})",
            AXE_TAGS,
        )
    finally:
        page.close()
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
    ]


def visible_text(browser, path: Path) -> str:
    page = browser.new_page()
    try:
        page.goto(path.as_uri())
        return page.evaluate(VISIBLE_TEXT_JS)
    finally:
        page.close()


def test_axe_finds_no_violation_on_any_page(browser, pages, site):
    found = {str(p.relative_to(site)): v for p in pages if (v := axe_violations(browser, p))}
    assert found == {}


def test_the_axe_check_can_fail(browser, tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><head><title>x</title></head><body><main><h1>T</h1>"
        '<img src="data:,"><p style="color:#aaa;background:#fff">blass</p>'
        "<a href='#'></a></main></body></html>",
        encoding="utf-8",
    )
    ids = {v.split(" ")[0] for v in axe_violations(browser, bad)}
    assert {"html-has-lang", "image-alt", "color-contrast", "link-name"} <= ids


def test_public_pages_have_no_identifiers_and_no_english(browser, pages, site):
    found = {}
    for path in pages:
        text = visible_text(browser, path)
        hits = set(IDENTIFIER_WORDS.findall(text))
        if path.name != "methoden.html":  # the methods page names the delivered files
            hits |= set(SNAKE_CASE.findall(text))
        if hits:
            found[str(path.relative_to(site))] = sorted(h.strip() for h in hits)
    assert found == {}


def test_the_identifier_check_can_fail():
    text = "Personen (daycare) aus residence; siehe medium.yaml und household_sizes"
    hits = set(IDENTIFIER_WORDS.findall(text)) | set(SNAKE_CASE.findall(text))
    assert {"daycare", "residence", "medium.yaml", "household_sizes"} <= hits
    assert not IDENTIFIER_WORDS.findall("Die Zahl der Zuzüge sank um 3,5 % auf 1.234 Personen.")


def test_tables_have_captions_and_scopes_and_charts_title_and_description(pages):
    for path in pages:
        html = path.read_text(encoding="utf-8")
        for table in re.findall(r"<table\b.*?</table>", html, re.DOTALL):
            assert "<caption" in table, path
            for th in re.findall(r"<th\b[^>]*>", table):
                assert "scope=" in th, (path, th)
        for svg in re.findall(r"<svg\b[^>]*>.*?</svg>", html, re.DOTALL):
            assert 'role="img"' in svg and "<title" in svg and "<desc" in svg, path


def test_nothing_runs_off_a_narrow_page_and_percent_stays_with_its_number(browser, pages):
    narrow = []
    for path in pages:
        page = browser.new_page(viewport={"width": 700, "height": 900})
        try:
            page.goto(path.as_uri())
            width = page.evaluate("() => document.documentElement.scrollWidth")
        finally:
            page.close()
        if width > 700:
            narrow.append((path.name, width))
        html = path.read_text(encoding="utf-8")
        content = html[html.index("<body") :]
        if "<!--bi:content-->" in html:  # chapter pages; the site index has no marks
            content = html[html.index("<!--bi:content-->") : html.index("<!--bi:content-end-->")]
        content = re.sub(r"<svg\b.*?</svg>|<[^>]+>", "", content, flags=re.DOTALL)
        assert not re.search(r"\d %", content), path
    assert narrow == []


def test_notice_on_the_data_at_the_top_of_every_page_and_the_site_index(pages):
    kinds = set()
    for path in pages:
        html = path.read_text(encoding="utf-8")
        # chapters built only from official tables say so; every other page is demo data
        official = 'data-bi-daten="amtlich"' in html
        kinds.add(official)
        notice = html.find(f'class="bi-notice {"bi-official" if official else "bi-synthetic"}"')
        assert 0 < notice < html.index("<h1"), path
        assert ("amtlichen Daten" if official else "synthetischen Demodaten") in html
    assert False in kinds


def test_long_file_has_every_published_indicator_of_every_period_as_numbers(site, demo_store):
    raw = (site / LONG_FILE).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert list(rows[0]) == LONG_COLUMNS
    frame = pd.DataFrame(rows)
    values = frame["Wert"].replace("", None)
    assert pd.to_numeric(values.dropna(), errors="raise").notna().all()
    symbol = frame["Zeichen"]
    assert (values.isna() == ~symbol.isin(["", "\u2013"])).all()
    published = store.published(demo_store)
    published = published[published["period"].astype(str).isin(PERIODS)]
    expected = set(zip(published["indicator"], published["period"].astype(str), strict=True))
    found = set(zip(frame["Kennung"], frame["Berichtsjahr"], strict=True))
    assert expected == found
    assert len(frame) == len(published)
    index = (site / "index.html").read_text(encoding="utf-8")
    assert f'href="{LONG_FILE}"' in index


def test_downloads_have_german_headers_and_numbers(site):
    files = sorted((site / LATEST / "data").glob("*.csv"))
    assert files
    for path in files:
        frame = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
        for header in frame.columns:
            assert not IDENTIFIER_WORDS.search(header), (path.name, header)
            assert not SNAKE_CASE.search(header), (path.name, header)
        if "Wert" in frame.columns:
            values = frame["Wert"].replace("", None).dropna()
            assert pd.to_numeric(values, errors="coerce").notna().all(), path.name

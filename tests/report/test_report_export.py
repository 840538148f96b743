"""The published HTML: checks of ``report.htmlcheck`` on a rendered test site, the checks
themselves (the presentation helpers that feed the pages are tested in ``tests/present``).

``build_test_site`` is also used by ``test_report_browser.py``; the site is rendered once per test
session.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib
import nbformat
import pandas as pd
import pytest

from bielefeld_integration.report import htmlcheck
from bielefeld_integration.report.chapters import ChapterSpec
from bielefeld_integration.report.site import SYMBOLS

matplotlib.use("Agg")

NOTEBOOKS = Path(__file__).resolve().parents[1] / "data" / "notebooks"
SITE_CHAPTERS = (
    ChapterSpec("index", "00_ueberblick.ipynb", "Überblick"),
    ChapterSpec("bevoelkerung", "01_bevoelkerung.ipynb", "Bevölkerung und Zuwanderung"),
    ChapterSpec("bezirk", "20_bezirksprofil.ipynb", "Bezirksprofil", per_district=True),
)
SITE_DISTRICTS = ("01", "06", "07")
SHA = "0123456789abcdef" * 4


def build_test_site(base: Path) -> Path:
    """Render the test site (two periods) into ``base/reports`` once; return that folder."""
    from bielefeld_integration.report.runner import render_all

    reports = base / "reports"
    if (reports / "index.html").is_file():
        return reports
    data = base / "data"
    (data / "2017").mkdir(parents=True, exist_ok=True)
    provenance = {
        "period": "2017",
        "package_version": "0.1.0",
        "synthetic": True,
        "inputs": [
            {
                "file": "raw/2017/einwohner_2017.csv",
                "sha256": SHA,
                "domain": "population",
                "format": "register_csv",
                "reference_date": "2017-12-31",
                "origin": "Melderegister (Demo)",
            }
        ],
        "tables": {},
    }
    (data / "2017" / "provenance.json").write_text(json.dumps(provenance), encoding="utf-8")
    render_all(
        ["2016", "2017"],
        chapters=SITE_CHAPTERS,
        notebooks_dir=NOTEBOOKS,
        output_dir=reports,
        data_dir=data,
        districts=SITE_DISTRICTS,
        workers=2,
        progress=False,
    )
    return reports


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_test_site(tmp_path_factory.getbasetemp() / "report-site")


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def code_of(notebook: str) -> list[str]:
    nb = nbformat.read(NOTEBOOKS / notebook, as_version=4)
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


# --- the rendered site ----------------------------------------------------------------------


@pytest.mark.slow
def test_site_structure(site):
    for period in ("2016", "2017"):
        folder = site / period
        assert (folder / "index.html").is_file()
        assert (folder / "bevoelkerung.html").is_file()
        assert sorted(p.name for p in (folder / "bezirke").iterdir()) == [
            f"{code}.html" for code in SITE_DISTRICTS
        ]
        assert (folder / "data" / "index-anteil.csv").is_file()
        assert (folder / "data" / "bezirk-06-anteil.csv").is_file()
    assert (site / "index.html").is_file()


@pytest.mark.slow
def test_every_page_passes_all_checks(site):
    pages = htmlcheck.site_pages(site)
    assert len(pages) == 1 + 2 * (2 + len(SITE_DISTRICTS))
    assert htmlcheck.check_site(site) == []


@pytest.mark.slow
def test_no_code_of_the_notebooks_is_visible(site):
    sources = {
        "index.html": code_of("00_ueberblick.ipynb"),
        "bevoelkerung.html": code_of("01_bevoelkerung.ipynb"),
    }
    for path in htmlcheck.site_pages(site / "2017"):
        code = sources.get(path.name, code_of("20_bezirksprofil.ipynb"))
        page = htmlcheck.parse_html(read(path))
        assert htmlcheck.check_no_code(page, code) == [], path
    index = read(site / "2017" / "index.html")
    assert "Ordner der aufbereiteten Daten" not in index  # parameters cell
    assert "# Parameters" not in index and "injected-parameters" not in index
    assert "WARNUNG_DIE_NICHT_ERSCHEINEN_DARF" not in index  # stderr / warnings dropped
    assert "Berichtsjahr 2017" in index  # stdout stays


@pytest.mark.slow
def test_pages_are_self_contained(site):
    for path in htmlcheck.site_pages(site):
        html = read(path)
        assert "<script" not in html, path  # no require.js, MathJax, Mermaid, widgets
        assert "cdnjs" not in html and "unpkg" not in html and "jsdelivr" not in html
        assert '<link rel="stylesheet"' not in html
        for src in re.findall(r'<img[^>]*\ssrc="([^"]*)"', html):
            assert src.startswith("data:image/"), path


@pytest.mark.slow
def test_german_language_and_titles(site):
    html = read(site / "2017" / "bezirke" / "06.html")
    assert '<html lang="de">' in html
    assert (
        "<title>Bezirksprofil Jöllenbeck (06) – Berichtsjahr 2017 – "
        "Integrationsmonitoring Bielefeld</title>" in html
    )


@pytest.mark.slow
def test_charts_have_alt_text_and_csv_download(site):
    html = read(site / "2017" / "index.html")
    # charts are inline SVG: the alt text is the chart's <desc>
    assert '-desc">Balkendiagramm: Der Anteil stieg bis 2017 auf 15,4 %.</desc>' in html
    assert htmlcheck.PLACEHOLDER_ALT not in html
    assert '<a download="" href="data/index-anteil.csv"' in html
    assert "Daten zu dieser Grafik (CSV)</a>" in html
    assert '<a download="" href="data/index-einwohner.csv"' in html
    assert "Daten zu dieser Tabelle (CSV)</a>" in html
    district = read(site / "2017" / "bezirke" / "07.html")
    assert 'href="../data/bezirk-07-anteil.csv"' in district
    assert "Balkendiagramm für Heepen" in district

    raw = (site / "2017" / "data" / "index-anteil.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with byte-order mark
    assert raw.decode("utf-8-sig").splitlines() == [
        "jahr;anteil",
        "2013;12.1",
        "2014;12.9",
        "2015;14.2",
        "2016;15.0",
        "2017;15.4",
    ]
    frame = pd.read_csv(site / "2017" / "data" / "bevoelkerung-verlauf.csv", sep=";", dtype=str)
    assert list(frame.columns) == ["jahr", "anteil"]  # named index became a column
    table = (site / "2017" / "data" / "index-einwohner.csv").read_text(encoding="utf-8-sig")
    assert table.splitlines() == ["Stadtbezirk;Anzahl", "Mitte;1.234", "Jöllenbeck;."]


@pytest.mark.slow
def test_table_of_contents_links_to_headings_with_umlauts(site):
    html = read(site / "2017" / "index.html")
    page = htmlcheck.parse_html(html)
    toc = html[html.index('id="bi-toc-title"') : html.index('id="bi-nav-chapters"')]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc)
    titles = [title for _, title in links]
    assert titles == [
        "Überblick",
        "Bevölkerung und Zuwanderung",
        "Übersicht der Größen",
        "Übersicht der Größen",
        "Zeichenerklärung",
        "Herkunft der Daten",
    ]
    anchors = [anchor for anchor, _ in links]
    assert len(set(anchors)) == len(anchors)  # the duplicate heading got its own id
    for anchor in anchors:
        assert htmlcheck._id_matches(anchor, page.ids), anchor


@pytest.mark.slow
def test_navigation_between_chapters_districts_and_periods(site):
    html = read(site / "2017" / "index.html")
    for href in (
        'href="bevoelkerung.html"',
        'href="bezirke/01.html"',
        'href="bezirke/06.html"',
        'href="../2016/index.html"',
        'href="../index.html"',
    ):
        assert href in html, href
    assert '<a aria-current="page" href="index.html">Überblick</a>' in html
    district = read(site / "2017" / "bezirke" / "06.html")
    assert 'href="../bevoelkerung.html"' in district
    assert '<a aria-current="page" href="06.html">06 Jöllenbeck</a>' in district
    assert 'href="../../2016/index.html"' in district
    assert 'href="../../index.html"' in district
    index = read(site / "index.html")
    assert index.index('href="2017/index.html"') < index.index('href="2016/index.html"')
    assert 'href="2017/bezirke/06.html"' in index


@pytest.mark.slow
def test_legend_and_provenance_footer(site):
    html = read(site / "2017" / "bezirke" / "01.html")
    for symbol, meaning in SYMBOLS:
        assert f"<dt>{symbol}</dt><dd>{meaning}</dd>" in html
    from importlib.metadata import version

    assert f"bielefeld-integration {version('bielefeld-integration')}" in html
    # technical provenance (parameters, files, checksums) is only on the methods page
    assert "data_dir" not in html and SHA not in html and "einwohner_2017.csv" not in html
    assert "Die Zahlen beruhen auf 1 Lieferung" in html
    assert "synthetischen Demodaten" in html
    # the notice stands at the top of the content, not only in the footer
    assert html.index('class="bi-notice bi-synthetic"') < html.index("<!--bi:content-->")
    assert 'data-bi-daten="synthetisch"' in html
    assert html.count('class="bi-generated"') == 1
    old = read(site / "2016" / "bezirke" / "01.html")
    assert "synthetischen" not in old and "kein Herkunftsnachweis" in old


# --- the checks themselves catch what they should -------------------------------------------

GOOD_PAGE = """<!DOCTYPE html><html lang="de"><head><style>body {{ color: black; }}</style></head>
<body><h1 id="titel">Titel</h1><a href="#titel">oben</a>{body}</body></html>"""


@pytest.mark.parametrize(
    ("body", "check", "problem"),
    [
        ('<script src="https://cdn.example/x.js"></script>', "offline", "loads from a host"),
        ('<link rel="stylesheet" href="//cdn.example/x.css">', "offline", "loads from a host"),
        ('<img src="http://example.org/a.png" alt="x">', "offline", "loads from a host"),
        ("<style>@import 'https://fonts.example/f.css';</style>", "offline", "CSS loads"),
        ('<div style="background: url(https://x.example/a.png)"></div>', "offline", "CSS"),
        ('<img src="data:image/png;base64,AA">', "images", "without alt"),
        ('<img src="data:image/png;base64,AA" alt=" ">', "images", "without alt"),
        (f'<img src="data:," alt="{htmlcheck.PLACEHOLDER_ALT}">', "images", "placeholder"),
        ("<pre>In [3]: x</pre>", "no_code", "prompt"),
        ('<div class="jp-InputArea-editor">x = 1</div>', "no_code", "code input"),
        ('<div class="jp-Cell celltag_injected-parameters"></div>', "no_code", "parameters"),
        ('<a href="#nirgends">x</a>', "links", "no target"),
        ('<a href="fehlt.html">x</a>', "links", "does not exist"),
        ('<a href="../../etc/passwd">x</a>', "links", "out of the site"),
        ('<a href="ziel.html#nirgends">x</a>', "links", "no anchor"),
    ],
)
def test_checks_find_problems(tmp_path, body, check, problem):
    (tmp_path / "ziel.html").write_text('<html lang="de"><h2 id="da">x</h2></html>')
    path = tmp_path / "seite.html"
    path.write_text(GOOD_PAGE.format(body=body), encoding="utf-8")
    page = htmlcheck.parse_html(read(path))
    found = {
        "offline": htmlcheck.check_offline(page),
        "images": htmlcheck.check_images(page),
        "no_code": htmlcheck.check_no_code(page),
        "links": htmlcheck.check_links(page, path, tmp_path),
    }[check]
    assert any(problem in p for p in found), found


def test_checks_accept_a_good_page(tmp_path):
    (tmp_path / "ziel.html").write_text('<html lang="de"><h2 id="Bevölkerung">x</h2></html>')
    body = (
        '<a href="ziel.html#Bev%C3%B6lkerung">a</a><a href="ziel.html#Bevölkerung">b</a>'
        '<a href="https://www.bielefeld.de">extern</a><img src="data:image/png;base64,AA" '
        'alt="Balkendiagramm">'
    )
    path = tmp_path / "seite.html"
    path.write_text(GOOD_PAGE.format(body=body), encoding="utf-8")
    assert htmlcheck.check_page(path, root=tmp_path, code=["x = compute_something(1)"]) == []
    assert htmlcheck.check_lang(htmlcheck.parse_html('<html lang="en"></html>')) != []
    visible = htmlcheck.parse_html("<p>x = compute_something(1)</p>")
    assert htmlcheck.check_no_code(visible, ["x = compute_something(1)"]) != []


# --- preparing an executed notebook for export (no kernel needed) ---------------------------


def executed_notebook(outputs, tags=()):
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    cell = new_code_cell("x = 1", outputs=outputs)
    cell.metadata["tags"] = list(tags)
    return new_notebook(cells=[new_markdown_cell("# Titel"), cell])


def test_prepare_drops_stderr_object_reprs_and_empty_cells(tmp_path):
    from nbformat.v4 import new_output

    from bielefeld_integration.report.export import prepare_notebook

    nb = executed_notebook(
        [
            new_output("stream", name="stderr", text="UserWarning: ..."),
            new_output("execute_result", data={"text/plain": "<matplotlib.legend.Legend at 0x7f>"}),
            new_output("execute_result", data={"text/plain": "Text(0.5, 1.0, 'Titel')"}),
        ]
    )
    prepare_notebook(nb, page_id="p", csv_dir=tmp_path, csv_href_prefix="data/", title="T")
    assert [cell.cell_type for cell in nb.cells] == ["markdown"]
    assert nb.metadata["title"] == "T"

    nb = executed_notebook([new_output("stream", name="stdout", text="42\n")], ["remove-output"])
    prepare_notebook(nb, page_id="p", csv_dir=tmp_path, csv_href_prefix="data/", title="T")
    assert len(nb.cells) == 1


def test_prepare_joins_a_print_that_arrived_in_chunks(tmp_path):
    """One print may reach the notebook as several stream messages; the page must not differ."""
    from nbformat.v4 import new_output

    from bielefeld_integration.report.export import prepare_notebook

    chunked = executed_notebook(
        [
            new_output("stream", name="stdout", text="Stadtbezirk 01 Mitte"),
            new_output("stream", name="stderr", text="Warnung"),
            new_output("stream", name="stdout", text="\n"),
        ]
    )
    whole = executed_notebook([new_output("stream", name="stdout", text="Stadtbezirk 01 Mitte\n")])
    for nb in (chunked, whole):
        prepare_notebook(nb, page_id="p", csv_dir=tmp_path, csv_href_prefix="data/", title="T")
    assert chunked.cells[1].outputs == whole.cells[1].outputs


def test_prepare_writes_csv_and_refuses_duplicates_and_missing_alt(tmp_path):
    from nbformat.v4 import new_output

    from bielefeld_integration.present.display import DATA_MIMETYPE
    from bielefeld_integration.report.export import ExportError, prepare_notebook

    def chart_output(name, alt="Balken"):
        return new_output(
            "display_data",
            data={"image/png": "iVBORw0KGgo=", DATA_MIMETYPE: {"name": name, "csv": "a\n1\n"}},
            metadata={"image/png": {"alt": alt}},
        )

    nb = executed_notebook([chart_output("eins")])
    written = prepare_notebook(
        nb, page_id="bezirk-01", csv_dir=tmp_path, csv_href_prefix="../data/", title="T"
    )
    assert [p.name for p in written] == ["bezirk-01-eins.csv"]
    output = nb.cells[1].outputs[0]
    assert output.metadata["bielefeld_integration"]["href"] == "../data/bezirk-01-eins.csv"
    assert DATA_MIMETYPE not in output.data

    nb = executed_notebook([chart_output("eins"), chart_output("eins")])
    with pytest.raises(ExportError, match="schon"):
        prepare_notebook(nb, page_id="p", csv_dir=tmp_path, csv_href_prefix="data/", title="T")
    nb = executed_notebook([chart_output("zwei", alt="")])
    with pytest.raises(ExportError, match=r"Zelle 2.*ohne Alternativtext"):
        prepare_notebook(nb, page_id="p", csv_dir=tmp_path, csv_href_prefix="data/", title="T")

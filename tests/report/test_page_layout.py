"""Last touches on a page's content: editorial text, scrolling tables, no wraps."""

from __future__ import annotations

from bielefeld_integration.report.page_layout import (
    CONTENT_END,
    CONTENT_START,
    arrange,
    insert_editorial,
    keep_together,
    wrap_tables,
)

CELL = '<div class="jp-Cell jp-MarkdownCell">{}</div>'
EDITORIAL = '<section class="bi-editorial"><h2 id="einordnung">Einordnung</h2><p>Text</p></section>'


def test_editorial_comes_after_the_cell_with_the_title():
    content = CELL.format("<h1>Titel</h1><p>Einleitung</p>") + CELL.format("<h2>Teil</h2>")
    out = insert_editorial(content, EDITORIAL)
    assert out.index("Einleitung") < out.index("Einordnung") < out.index("Teil")


def test_editorial_first_without_a_title_and_nothing_without_a_text():
    content = CELL.format("<p>x</p>")
    assert insert_editorial(content, EDITORIAL).startswith(EDITORIAL)
    assert insert_editorial(content, "") == content


def test_tables_scroll_in_a_named_focusable_region():
    out = wrap_tables(
        '<p>a</p><table class="bi-table"><caption>Zugänge &amp; Anteil</caption>'
        "<tr><td>1</td></tr></table>"
    )
    assert out.startswith("<p>a</p>")
    assert '<div class="bi-table-scroll" role="region" tabindex="0"' in out
    assert 'aria-label="Tabelle: Zugänge &amp; Anteil"' in out
    assert out.endswith("</table></div>")
    assert 'aria-label="Tabelle"' in wrap_tables("<table><tr><td>1</td></tr></table>")


def test_percent_and_codes_never_wrap_outside_svg_and_attributes():
    html = (
        '<p title="SPR-01 12 %">SPR-01 liegt bei 12,5 % (KITA-01: 3 %)</p>'
        "<svg><text>SPR-01 12 %</text></svg><style>.a { x: 1 %; }</style>"
    )
    out = keep_together(html)
    assert '<p title="SPR-01 12 %">' in out
    assert '<span class="bi-nowrap">SPR-01</span> liegt bei 12,5\u00a0%' in out
    assert '<span class="bi-nowrap">KITA-01</span>: 3\u00a0%' in out
    assert "<svg><text>SPR-01 12 %</text></svg><style>.a { x: 1 %; }</style>" in out


def test_arrange_touches_only_the_content():
    page = (
        f"<head><title>SPR-01 5 %</title></head><body>{CONTENT_START}"
        + CELL.format("<h1>T</h1>")
        + f"<p>5 %</p>{CONTENT_END}<footer>5 %</footer></body>"
    )
    out = arrange(page, {"editorial_html": EDITORIAL})
    assert "<title>SPR-01 5 %</title>" in out and "<footer>5 %</footer>" in out
    assert "<p>5\u00a0%</p>" in out and "Einordnung" in out
    assert arrange("<p>ohne Marken</p>", {}) == "<p>ohne Marken</p>"


def test_a_markdown_table_gets_the_heading_of_its_section_as_caption_and_scopes():
    content = (
        '<h2 id="z">Zeichen<a class="anchor-link" href="#z">¶</a></h2><p>x</p>'
        "<table>\n<thead>\n<tr>\n<th>Zeichen</th>\n<th>Bedeutung</th>\n</tr>\n</thead>"
        "<tbody><tr><td>.</td><td>geheim</td></tr></tbody></table>"
    )
    out = wrap_tables(content)
    assert "<table><caption>Zeichen</caption>" in out
    assert '<th scope="col">Zeichen</th>' in out and "<th>" not in out
    assert 'aria-label="Tabelle: Zeichen"' in out
    # a generated table keeps its own caption
    own = '<h2>A</h2><table class="bi-table"><caption>Eigene</caption></table>'
    assert wrap_tables(own).count("<caption>") == 1

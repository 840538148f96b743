"""Last touches on the content of an exported page: editorial text, scrolling tables, no wraps.

:func:`arrange` is applied to the HTML of a page between the template's content marks
(``<!--bi:content-->`` … ``<!--bi:content-end-->``), before the table of contents is built:

- the section "Einordnung" (:func:`bielefeld_integration.editorial.editorial_html`, in the
  page context as ``editorial_html``) is placed at the top of the chapter, after the cell with
  the page's ``<h1>`` (or first, if there is none);
- every ``<table>`` gets a wrapper that scrolls sideways inside its column
  (``overflow-x: auto``); the wrapper is a named, keyboard-focusable region, as WCAG asks of a
  scrolling area;
- a number and its ``%`` sign are joined by a no-break space, and indicator codes such as
  ``SPR-01`` are kept on one line (``<span class="bi-nowrap">``). Text inside ``<svg>``,
  ``<style>`` and tags (attributes) is never touched.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["arrange", "insert_editorial", "keep_together", "wrap_tables"]

CONTENT_START = "<!--bi:content-->"
CONTENT_END = "<!--bi:content-end-->"

_H1_RE = re.compile(r"<h1[\s>]", re.IGNORECASE)
_CELL_RE = re.compile(r'<div\s+class="jp-Cell[\s"]')
_TABLE_RE = re.compile(r"<table\b.*?</table>", re.DOTALL | re.IGNORECASE)
_CAPTION_RE = re.compile(r"<caption[^>]*>(.*?)</caption>", re.DOTALL | re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]+>")
_HEADING_RE = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.DOTALL | re.IGNORECASE)
_ANCHOR_RE = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.DOTALL)
_PROTECTED_RE = re.compile(r"(<svg\b.*?</svg>|<style\b.*?</style>)", re.DOTALL | re.IGNORECASE)
_TEXT_RE = re.compile(r">([^<]+)<")
_PERCENT_RE = re.compile(r"(?<=\d) (?=%)")
_CODE_RE = re.compile(r"\b[A-Z]{2,4}-\d{2}[a-z]?\b")


def insert_editorial(content: str, editorial: str) -> str:
    """``content`` with the editorial section after the cell holding the first ``<h1>``."""
    if not editorial:
        return content
    h1 = _H1_RE.search(content)
    if h1 is None:
        return editorial + "\n" + content
    next_cell = _CELL_RE.search(content, h1.end())
    at = next_cell.start() if next_cell else len(content)
    return content[:at] + editorial + "\n" + content[at:]


def _text(html: str) -> str:
    return " ".join(html_lib.unescape(_TAG_RE.sub("", html)).split())


def _complete_table(table: str, heading: str) -> str:
    """A table written in Markdown gets what the generated tables have: header scopes and,
    if it has none, a caption (the heading of its section)."""
    table = re.sub(r"<th>", '<th scope="col">', table) if "<thead" in table else table
    if not _CAPTION_RE.search(table) and heading:
        opening = re.match(r"<table\b[^>]*>", table, re.IGNORECASE)
        if opening:
            at = opening.end()
            table = f"{table[:at]}<caption>{html_lib.escape(heading)}</caption>{table[at:]}"
    return table


def wrap_tables(content: str) -> str:
    """Every table inside a region that scrolls sideways (named after the table's caption).

    A table without a caption (one written in Markdown) is captioned with the heading of its
    section, and the cells of its header row get ``scope="col"``.
    """
    headings = [
        (m.start(), _text(_ANCHOR_RE.sub("", m.group(2)))) for m in _HEADING_RE.finditer(content)
    ]

    def wrap(match: re.Match[str]) -> str:
        before = [text for at, text in headings if at < match.start()]
        table = _complete_table(match.group(0), before[-1] if before else "")
        caption = _CAPTION_RE.search(table)
        name = _text(caption.group(1)) if caption else ""
        label = html_lib.escape(f"Tabelle: {name}" if name else "Tabelle", quote=True)
        return (
            f'<div class="bi-table-scroll" role="region" tabindex="0" aria-label="{label}">'
            f"{table}</div>"
        )

    return _TABLE_RE.sub(wrap, content)


def _keep_text(text: str) -> str:
    text = _PERCENT_RE.sub("\u00a0", text)
    return _CODE_RE.sub(lambda m: f'<span class="bi-nowrap">{m.group(0)}</span>', text)


def keep_together(content: str) -> str:
    """No line break between a number and ``%``, nor inside an indicator code."""
    parts = _PROTECTED_RE.split(content)
    for i in range(0, len(parts), 2):  # even parts are outside <svg>/<style>
        parts[i] = _TEXT_RE.sub(lambda m: ">" + _keep_text(m.group(1)) + "<", parts[i])
    return "".join(parts)


def arrange(page: str, context: Mapping[str, Any]) -> str:
    """Apply :func:`insert_editorial`, :func:`wrap_tables` and :func:`keep_together` to the
    content of an exported page (the rest of the page is left as it is)."""
    start = page.find(CONTENT_START)
    end = page.find(CONTENT_END)
    if start < 0 or end < start:
        return page
    start += len(CONTENT_START)
    content = page[start:end]
    content = insert_editorial(content, str(context.get("editorial_html") or ""))
    content = keep_together(wrap_tables(content))
    return page[:start] + content + page[end:]

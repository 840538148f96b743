"""Text that users control, made safe for where it ends up: HTML pages and spreadsheets.

Titles in the indicator catalogue, scenario files, the measures register and manifests
are written by people and may contain anything. Two places would otherwise execute it:

- **HTML pages.** Markdown is rendered to HTML, and Markdown lets raw HTML through.
  :func:`sanitize_html` keeps the elements and attributes a report page uses (headings,
  lists, tables, links, embedded images) and drops everything else: ``<script>``, event
  handlers such as ``onerror``, ``javascript:`` and ``data:`` links, ``<iframe>``, styles.
  The exporter uses it as nbconvert's ``clean_html`` filter.
- **Spreadsheets.** Excel and LibreOffice treat a cell that starts with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return as a formula (CSV injection, OWASP).
  :func:`neutralise_cell` puts an apostrophe in front of such text; numbers, text that is
  just a number (``-3,5``) and the table sign ``-`` stay as they are.
  :func:`neutralise_frame` does this for every text cell and column name of a table
  before it is written as CSV or XLSX.
"""

from __future__ import annotations

import re
from typing import Any

import bleach
import pandas as pd

__all__ = [
    "FORMULA_PREFIXES",
    "neutralise_cell",
    "neutralise_frame",
    "neutralise_rows",
    "sanitize_html",
]

#: First characters that make a spreadsheet read a text cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Text that is only a number (German or English notation, optional sign or percent).
_NUMBER = re.compile(r"[+-]?\d[\d.,\u202f\u00a0 ]*%?")


def neutralise_cell(value: Any) -> Any:
    """``value`` made safe as a spreadsheet cell.

    Examples
    --------
    >>> neutralise_cell('=HYPERLINK("http://x","Klick")')
    '\\'=HYPERLINK("http://x","Klick")'
    >>> neutralise_cell("-3,5"), neutralise_cell(-3.5), neutralise_cell("Mitte")
    ('-3,5', -3.5, 'Mitte')
    """
    if not isinstance(value, str):
        return value
    if "\r" in value:  # a lone CR is not quoted by every CSV writer and starts a new row
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        if value.startswith("\n"):
            return "'" + value
    if not value.startswith(FORMULA_PREFIXES):
        return value
    if _NUMBER.fullmatch(value) or value in ("-", "+"):  # a number, a table sign
        return value
    return "'" + value


def neutralise_rows(rows: Any) -> list[list[Any]]:
    """Every cell of ``rows`` (an iterable of rows) through :func:`neutralise_cell`."""
    return [[neutralise_cell(v) for v in row] for row in rows]


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells and column names are safe in a spreadsheet.

    Numeric columns are left untouched (numbers stay numbers); in text and object
    columns every string is passed through :func:`neutralise_cell`.
    """
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            continue
        if isinstance(s.dtype, pd.CategoricalDtype):
            out[col] = s.cat.rename_categories([neutralise_cell(c) for c in s.cat.categories])
            continue
        if s.map(
            lambda v: isinstance(v, str) and (v.startswith(FORMULA_PREFIXES) or "\r" in v)
        ).any():
            out[col] = s.map(neutralise_cell)
    out.columns = [neutralise_cell(c) for c in out.columns]
    out.index = out.index.map(neutralise_cell) if out.index.dtype == object else out.index
    return out


# --- HTML -------------------------------------------------------------------------------------

_TAGS = frozenset(
    {
        *("h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span", "section"),
        *("a", "abbr", "b", "strong", "i", "em", "code", "pre", "kbd", "samp", "blockquote"),
        *("sup", "sub", "small", "mark", "del", "ins", "s", "u", "q", "cite", "time"),
        *("ul", "ol", "li", "dl", "dt", "dd", "details", "summary", "figure", "figcaption"),
        *("table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col"),
        "img",
    }
)
_GLOBAL_ATTRS = ("class", "id", "title", "lang", "role", "aria-label", "aria-hidden")
_ATTRS = {
    "a": ("href", "download", "type", "rel"),
    "img": ("src", "alt", "width", "height"),
    "th": ("colspan", "rowspan", "scope", "headers"),
    "td": ("colspan", "rowspan", "headers"),
    "col": ("span",),
    "colgroup": ("span",),
    "ol": ("start", "reversed"),
    "time": ("datetime",),
    "abbr": (),
}
_IMAGE_DATA = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*")
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_SAFE_HREF = re.compile(r"(https?:|mailto:|#|\.{0,2}/|[\w.-]+(?:[/#?]|$))", re.IGNORECASE)


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in _GLOBAL_ATTRS or name.startswith("aria-"):
        return True
    if name not in _ATTRS.get(tag, ()):
        return False
    if tag == "img" and name == "src":
        return bool(_IMAGE_DATA.fullmatch(value.strip()))
    if tag == "a" and name == "href":
        return bool(_SAFE_HREF.match(value.strip()))
    return True


def sanitize_html(html: str | bytes) -> str:
    """``html`` with only the elements and attributes of a report page left.

    Kept: headings, paragraphs, lists, tables, quotes, inline formatting, links to
    ``http(s)``, ``mailto``, relative targets and anchors, and images embedded as
    ``data:image/…;base64``. Dropped: scripts, styles, frames, forms, event handlers
    (``onerror=…``), ``javascript:``/``data:`` links and every unknown element, whose
    text is escaped and so shown as text. Usable as nbconvert's ``clean_html`` filter.

    Examples
    --------
    >>> sanitize_html('Anteil <img src="x" onerror="alert(1)">')
    'Anteil '
    >>> sanitize_html('<a href="javascript:alert(1)">Klick</a>')
    '<a>Klick</a>'
    """
    text = html.decode("utf-8") if isinstance(html, bytes) else str(html)
    clean = bleach.clean(
        text,
        tags=_TAGS,
        attributes=_allowed_attribute,
        protocols={"http", "https", "mailto", "data"},
        strip=False,
        strip_comments=True,
    )
    return _IMG_WITHOUT_SRC.sub("", clean)  # an image whose source was dropped shows nothing

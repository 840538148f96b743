"""Export an executed notebook to a published HTML page (nbconvert, in-process).

The page is made with nbconvert's :class:`~nbconvert.HTMLExporter` and the project's own
template (``report/template``, extending ``lab``):

- no code input and no prompts; the ``parameters`` and ``injected-parameters`` cells, stderr
  streams (warnings) and cells tagged ``remove-cell`` are dropped; outputs of cells tagged
  ``remove-output`` are dropped, and so are text-only object reprs such as
  ``<matplotlib.legend.Legend at 0x7f...>`` (a cell ending in ``ax.legend()``);
- no external resource at all (no require.js, MathJax, Mermaid or widget scripts; all CSS
  inline; images as data URIs);
- ``<html lang="de">``; every image has the alt text from its output metadata (an image
  without alt text is an error, not a placeholder);
- the data bundles of :func:`~bielefeld_integration.present.display.show_chart` and
  :func:`~bielefeld_integration.present.display.show_table` are written as CSV files and
  linked next to the chart or table;
- a table of contents built from the headings, with unique ``id`` anchors.
"""

from __future__ import annotations

import base64
import html as html_lib
import re
import unicodedata
from pathlib import Path
from typing import Any

from nbformat import NotebookNode

from bielefeld_integration.atomic import write_bytes_atomic, write_text_atomic
from bielefeld_integration.present.display import DATA_MIMETYPE, PLACEHOLDER_ALT
from bielefeld_integration.report.errors import ReportError
from bielefeld_integration.report.page_layout import arrange
from bielefeld_integration.report.resources import TEMPLATE_DIR
from bielefeld_integration.safe_text import sanitize_html

#: Cells with one of these tags are not published.
REMOVE_CELL_TAGS = frozenset(
    {"parameters", "injected-parameters", "papermill-error-cell-tag", "remove-cell", "remove_cell"}
)
#: Outputs of cells with one of these tags are not published.
REMOVE_OUTPUT_TAGS = frozenset({"remove-output", "remove_output"})

IMAGE_MIMETYPES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")

#: Text of the download link of a chart's / a table's data.
CSV_LABELS = {
    "chart": "Daten zu dieser Grafik (CSV)",
    "table": "Daten zu dieser Tabelle (CSV)",
}

#: Entries appended to every table of contents (sections of the page template).
FIXED_TOC_ENTRIES = (("zeichenerklaerung", "Zeichenerklärung"), ("herkunft", "Herkunft der Daten"))

CONTENT_START = "<!--bi:content-->"
CONTENT_END = "<!--bi:content-end-->"
TOC_PLACEHOLDER = "<!--bi:toc-->"

_HEADING_RE = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>", re.DOTALL | re.IGNORECASE)
_ID_ATTR_RE = re.compile(r'\sid="([^"]*)"')
_TAG_RE = re.compile(r"<[^>]+>")
_ANCHOR_LINK_RE = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.DOTALL)


class ExportError(ReportError):
    """A notebook ran, but its output cannot be published (e.g. an image without alt text)."""


def make_exporter() -> Any:
    """The configured :class:`nbconvert.HTMLExporter` with the report template.

    Returns
    -------
    nbconvert.HTMLExporter
        Reusable for many notebooks (create it once per process: it is not free).
    """
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.embed_images = True
    config.HTMLExporter.language_code = "de"
    config.HTMLExporter.theme = "light"
    # Markdown (catalogue and scenario titles, register, editorial text) and HTML outputs
    # pass through the report's own allowlist: no script, event handler or javascript: URL
    config.HTMLExporter.sanitize_html = True
    # nothing may point to a CDN, even if a block of the template changes one day
    for trait in ("require_js_url", "mathjax_url", "mermaid_js_url", "jquery_url"):
        setattr(config.HTMLExporter, trait, "")
    config.HTMLExporter.jupyter_widgets_base_url = ""
    config.HTMLExporter.widget_renderer_url = ""
    exporter = HTMLExporter(
        config=config,
        template_name=TEMPLATE_DIR.name,
        extra_template_basedirs=[str(TEMPLATE_DIR.parent)],
    )
    exporter.register_filter("clean_html", sanitize_html)
    return exporter


_OBJECT_REPR_RE = re.compile(
    r"<[^<>\n]* at 0x[0-9a-fA-F]+>"  # anything with a memory address
    r"|^\[?<[A-Za-z_][\w.]*[ >][^\n]*>\]?$"  # <BarContainer object of 5 artists>
    r"|^(Text|Annotation)\(",  # the value of ax.set_title(...), ax.annotate(...)
)


def _is_object_repr(data: dict[str, Any]) -> bool:
    """A text-only result like ``<matplotlib.legend.Legend at 0x7f...>`` (the value of a
    cell's last expression, e.g. ``ax.legend()``): meaningless to readers, and the memory
    address would make every render differ."""
    if set(data) != {"text/plain"}:
        return False
    text = data["text/plain"]
    text = "".join(text) if isinstance(text, list) else str(text)
    return bool(_OBJECT_REPR_RE.search(text))


def _coalesce_streams(outputs: list) -> list:
    """Join consecutive stdout chunks into one output.

    A kernel may send one ``print`` as several stream messages, depending on timing; joined,
    the page is the same whichever way the text arrived.
    """
    joined: list = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (
            output.output_type == "stream"
            and previous is not None
            and previous.output_type == "stream"
            and previous.get("name") == output.get("name")
        ):
            text = previous.get("text", "") + output.get("text", "")
            joined[-1] = NotebookNode({**previous, "text": text})
            continue
        joined.append(output)
    return joined


def _is_clean_exit(output: NotebookNode) -> bool:
    return (
        output.output_type == "error"
        and output.get("ename") == "SystemExit"
        and str(output.get("evalue", "")) in ("", "0")
    )


def _cell_label(source_index: int | None) -> str:
    return f"Zelle {source_index + 1}" if source_index is not None else "einer Zelle"


def _alt_of(output: NotebookNode, mime: str) -> str:
    metadata = output.get("metadata") or {}
    value = (metadata.get(mime) or {}).get("alt") or metadata.get("alt") or ""
    return str(value).strip()


def prepare_notebook(
    nb: NotebookNode,
    *,
    page_id: str,
    csv_dir: Path,
    csv_href_prefix: str,
    title: str,
    source_index: Any = None,
) -> list[Path]:
    """Make an executed notebook ready for export; write the CSV files of its charts/tables.

    Parameters
    ----------
    nb:
        The executed notebook (changed in place).
    page_id:
        Prefix of the CSV file names (``"bevoelkerung"``, ``"bezirk-07"``).
    csv_dir:
        Folder the CSV files are written to (``<period>/data``).
    csv_href_prefix:
        Link from the page to ``csv_dir`` (``"data/"`` or ``"../data/"``).
    title:
        Content of ``<title>``.
    source_index:
        Function mapping a cell index of ``nb`` to its index in the notebook file
        (for error messages); default: identity.

    Returns
    -------
    list of Path
        The CSV files written.

    Raises
    ------
    ExportError
        For an image without alt text or a data name used twice on the page.
    """
    index_of = source_index or (lambda i: i)
    written: dict[str, Path] = {}
    kept = []
    for i, cell in enumerate(nb.cells):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & REMOVE_CELL_TAGS:
            continue
        if cell.cell_type == "code":
            outputs = [] if tags & REMOVE_OUTPUT_TAGS else list(cell.get("outputs", []))
            published = []
            for output in outputs:
                if output.output_type == "stream" and output.get("name") == "stderr":
                    continue
                if _is_clean_exit(output):
                    continue  # sys.exit(0) ends a report early (papermill semantics)
                if output.output_type in ("display_data", "execute_result"):
                    data = output.get("data", {})
                    if _is_object_repr(data):
                        continue
                    for mime in IMAGE_MIMETYPES:
                        if mime in data:
                            alt = _alt_of(output, mime)
                            if not alt or alt == PLACEHOLDER_ALT:
                                raise ExportError(
                                    f"{_cell_label(index_of(i))} zeigt eine Grafik ohne "
                                    "Alternativtext; Grafiken bitte mit show_chart(fig, alt=..., "
                                    "data=..., name=...) ausgeben"
                                )
                    if DATA_MIMETYPE in data:
                        _attach_csv(output, written, page_id, csv_dir, csv_href_prefix, i, index_of)
                published.append(output)
            published = _coalesce_streams(published)
            if not published:
                continue
            cell.outputs = published
        kept.append(cell)
    nb.cells = kept
    nb.metadata["title"] = title
    return list(written.values())


def _attach_csv(
    output: NotebookNode,
    written: dict[str, Path],
    page_id: str,
    csv_dir: Path,
    href_prefix: str,
    cell_index: int,
    index_of: Any,
) -> None:
    bundle = output.data.pop(DATA_MIMETYPE)
    name = str(bundle.get("name", ""))
    kind = str(bundle.get("kind", "chart"))
    csv_text = bundle.get("csv")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,59}", name) or not isinstance(csv_text, str):
        raise ExportError(f"{_cell_label(index_of(cell_index))}: ungültiges Datenpaket {name!r}")
    if name in written:
        raise ExportError(
            f"{_cell_label(index_of(cell_index))}: der Name {name!r} wird auf dieser Seite "
            "schon für eine andere Grafik oder Tabelle verwendet"
        )
    filename = f"{page_id}-{name}.csv"
    path = csv_dir / filename
    csv_dir.mkdir(parents=True, exist_ok=True)
    # UTF-8 with byte-order mark: spreadsheet programs then read umlauts correctly
    write_text_atomic(path, "\ufeff" + csv_text)
    written[name] = path
    output.metadata["bielefeld_integration"] = {
        "href": href_prefix + filename,
        "label": CSV_LABELS.get(kind, CSV_LABELS["chart"]),
    }
    xlsx = bundle.get("xlsx")
    if isinstance(xlsx, str):
        xlsx_name = f"{page_id}-{name}.xlsx"
        write_bytes_atomic(csv_dir / xlsx_name, base64.b64decode(xlsx))
        output.metadata["bielefeld_integration"].update(
            xlsx_href=href_prefix + xlsx_name, xlsx_label="als Excel-Datei (XLSX)"
        )


def slugify(text: str) -> str:
    """An ASCII anchor id for a heading text (``"Frühe Bildung"`` -> ``"fruehe-bildung"``)."""
    replaced = text.translate(
        str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
    )
    ascii_text = unicodedata.normalize("NFKD", replaced).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "abschnitt"


def _heading_text(inner: str) -> str:
    text = _TAG_RE.sub("", _ANCHOR_LINK_RE.sub("", inner))
    return " ".join(html_lib.unescape(text).split())


def finalize_html(page: str, *, toc_levels: int = 3) -> str:
    """Give every heading of the content a unique id and fill in the table of contents.

    Parameters
    ----------
    page:
        HTML from the exporter (with the template's markers).
    toc_levels:
        Deepest heading level listed in the table of contents.

    Returns
    -------
    str
        The final HTML.
    """
    start = page.find(CONTENT_START)
    end = page.find(CONTENT_END)
    if start < 0 or end < start:
        raise ExportError("die Seitenvorlage hat keine Inhaltsmarken (template defekt)")
    used_ids = {html_lib.unescape(m) for m in _ID_ATTR_RE.findall(page[:start] + page[end:])}
    entries: list[tuple[int, str, str]] = []

    def fix(match: re.Match[str]) -> str:
        level, attrs, inner = int(match.group(1)), match.group(2) or "", match.group(3)
        text = _heading_text(inner)
        found = _ID_ATTR_RE.search(attrs)
        old_id = html_lib.unescape(found.group(1)) if found else ""
        new_id = old_id or slugify(text)
        base, n = new_id, 2
        while new_id in used_ids:
            new_id = f"{base}-{n}"
            n += 1
        used_ids.add(new_id)
        if new_id != old_id:
            escaped = html_lib.escape(new_id, quote=True)
            attrs = _ID_ATTR_RE.sub("", attrs) + f' id="{escaped}"'
            if old_id:
                inner = inner.replace(
                    f'href="#{html_lib.escape(old_id, quote=True)}"', f'href="#{escaped}"'
                )
        if level <= toc_levels and text:
            entries.append((level, new_id, text))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    content = _HEADING_RE.sub(fix, page[start:end])
    items = [
        f'<li class="bi-toc-l{level}"><a href="#{html_lib.escape(anchor, quote=True)}">'
        f"{html_lib.escape(text)}</a></li>"
        for level, anchor, text in entries
    ]
    items += [
        f'<li class="bi-toc-l1"><a href="#{anchor}">{html_lib.escape(text)}</a></li>'
        for anchor, text in FIXED_TOC_ENTRIES
    ]
    toc = "<ol>\n" + "\n".join(items) + "\n</ol>"
    head = page[:start].replace(TOC_PLACEHOLDER, toc, 1)
    return head + content + page[end:]


def export_page(
    exporter: Any,
    nb: NotebookNode,
    *,
    context: dict[str, Any],
    notebook_dir: str,
) -> str:
    """Render a prepared notebook with the report template.

    Parameters
    ----------
    exporter:
        From :func:`make_exporter`.
    nb:
        Notebook after :func:`prepare_notebook`.
    context:
        ``resources["bi"]`` of the template (see :func:`.site.page_context`).
    notebook_dir:
        Folder of the notebook; images referenced from markdown are embedded from there.

    Returns
    -------
    str
        The complete HTML page.
    """
    resources = {"bi": context, "metadata": {"name": context["page_title"], "path": notebook_dir}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return finalize_html(arrange(body, context))

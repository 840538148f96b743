"""Show charts and tables in report notebooks, with alt text and downloadable data.

Notebooks never write files. :func:`show_chart` and :func:`show_table` put everything the
published page needs into the display output:

- the chart as SVG with its text kept as text (deterministic bytes), carrying its own
  ``<title>`` (the headline) and ``<desc>`` (the alt text: what the chart shows) and
  ``role="img"``, so the report can put it inline into the page as it is; its ids are
  prefixed with the chart's name, so several charts on one page never share an id,
- the alt text and title also in the output metadata (``metadata["image/svg+xml"]``),
- or the HTML table,
- the data behind the chart/table as CSV text under the MIME type :data:`DATA_MIMETYPE`.

When the report is exported (``bielefeld_integration.report``), the CSV is written to
``reports/<period>/data/<page>-<name>.csv`` and a link "Daten zu dieser Grafik (CSV)" (or
"Daten zu dieser Tabelle (CSV)") is placed next to the chart/table. The CSV files are
UTF-8 (with byte-order mark, so that spreadsheet programs detect the encoding), separated by
``;``, with ``.`` as decimal separator (machine-readable, not German number formatting) and
at most 10 significant digits (no binary noise such as ``15.499999999999998``).
"""

from __future__ import annotations

import base64
import html
import io
import re
import struct
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from bielefeld_integration.present.charts import DPI
from bielefeld_integration.safe_text import neutralise_frame

#: MIME type of a published chart.
SVG_MIMETYPE = "image/svg+xml"

#: MIME type of the data bundle that travels with a chart or table.
DATA_MIMETYPE = "application/vnd.bielefeld-integration.data+json"

#: nbconvert's placeholder for images without alt text; never acceptable as alt text.
PLACEHOLDER_ALT = "No description has been provided for this image"

#: Factor by which the PNG is shown smaller than its pixel size (sharp on HiDPI screens).
DISPLAY_SCALE = 96 / DPI

_NAME_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")
_NUMERIC_CELL_RE = re.compile(
    r"[+\-\u2212\u2013]?\s?\d[\d.]*(,\d+)?(\s?(%|‰|Prozentpunkte|Pp\.?))?|[-.–/x…]|\.\.\."
)


def _check_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME_RE.fullmatch(name):
        raise ValueError(
            f"ungültiger Name {name!r}: erlaubt sind Kleinbuchstaben, Ziffern, '-' und '_' "
            "(höchstens 60 Zeichen), z. B. 'anteil-auslaender'"
        )
    return name


def _check_text(value: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} darf nicht leer sein")
    if value.strip() == PLACEHOLDER_ALT:
        raise ValueError(f"{what} muss beschreiben, was zu sehen ist, nicht {PLACEHOLDER_ALT!r}")
    return value.strip()


def frame_to_csv(frame: pd.DataFrame) -> str:
    """The CSV text of a frame as published: ``;``-separated, ``.`` decimals, LF line ends.

    A named index (or MultiIndex) becomes leading columns; an unnamed index is dropped.

    Parameters
    ----------
    frame:
        The data.

    Returns
    -------
    str
        CSV text with header line.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, not {type(frame).__name__}")
    if any(n is not None for n in frame.index.names):
        frame = frame.reset_index()
    columns = [
        " – ".join(str(p) for p in c) if isinstance(c, tuple) else str(c) for c in frame.columns
    ]
    out = frame.copy()
    out.columns = columns
    for i in range(out.shape[1]):
        if pd.api.types.is_float_dtype(out.iloc[:, i]):  # no binary noise: 10 significant digits
            out.isetitem(i, out.iloc[:, i].map(lambda v: float(f"{v:.10g}")))
    # text starting with = + - @ would be a formula in a spreadsheet program
    return neutralise_frame(out).to_csv(sep=";", index=False, lineterminator="\n")


def _png_size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def figure_png(fig: Figure) -> bytes:
    """Render a figure as PNG with deterministic bytes (no software/date metadata).

    Parameters
    ----------
    fig:
        The matplotlib figure.

    Returns
    -------
    bytes
        The PNG file.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
    return buffer.getvalue()


_SVG_HEAD_RE = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_SVG_METADATA_RE = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_SVG_SIZE_RE = re.compile(r'\swidth="([\d.]+)pt" height="([\d.]+)pt"')
_SVG_ID_RE = re.compile(r'\bid="([^"]+)"')
_SVG_REF_RE = re.compile(r'(href="#|url\(#)([^")]+)')


def figure_svg(fig: Figure, *, name: str, title: str, description: str) -> str:
    """Render a figure as inline-ready SVG: text as text, title and description, stable ids.

    The SVG has no XML prologue and no metadata (no date, no software version), carries
    ``role="img"``, a ``<title>`` and a ``<desc>`` referenced by ``aria-labelledby``, and
    all its ids start with ``bi-<name>-``. Rendering the same figure twice gives the same
    text.

    Parameters
    ----------
    fig:
        The figure.
    name:
        The chart's name, unique on its page (prefix of every id).
    title:
        The headline of the chart.
    description:
        What the chart shows (the alt text).

    Returns
    -------
    str
        The ``<svg>`` element.
    """
    buffer = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "bielefeld-integration"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = _SVG_METADATA_RE.sub("", _SVG_HEAD_RE.sub("", buffer.getvalue(), count=1), count=1)
    prefix = f"bi-{name}-"
    svg = _SVG_ID_RE.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = _SVG_REF_RE.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)

    def size(match: re.Match[str]) -> str:
        width, height = (round(float(v) * 4 / 3) for v in match.groups())
        return f' width="{width}" height="{height}"'

    svg = _SVG_SIZE_RE.sub(size, svg, count=1)
    # matplotlib's global "*{...}" rule would style the whole page once inline
    svg = svg.replace("*{stroke-linejoin", f"#{prefix}figure_1 *{{stroke-linejoin", 1)
    esc = html.escape
    labels = f"{prefix}title {prefix}desc"
    svg = svg.replace(
        "<svg ",
        f'<svg class="bi-svg" role="img" aria-labelledby="{labels}" ',
        1,
    )
    head_end = svg.index(">") + 1
    accessible = (
        f'\n <title id="{prefix}title">{esc(title)}</title>'
        f'\n <desc id="{prefix}desc">{esc(description)}</desc>'
    )
    return svg[:head_end] + accessible + svg[head_end:]


def chart_bundle(
    fig: Figure, *, alt: str, data: pd.DataFrame, name: str, title: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The display bundle and metadata of a chart (what :func:`show_chart` displays).

    Parameters
    ----------
    fig:
        The figure.
    alt:
        Alternative text: what the chart shows (trend, key values), not its title.
    data:
        The data shown in the chart.
    name:
        Short file-name part of the CSV (``a-z``, ``0-9``, ``-``, ``_``), unique per page.
    title:
        The headline; default the one :func:`~bielefeld_integration.present.charts.new_chart`
        put on the figure.

    Returns
    -------
    (dict, dict)
        The MIME bundle (``image/svg+xml``, ``text/plain`` and the data) and its metadata,
        for ``IPython.display.display(..., raw=True)``.
    """
    alt = _check_text(alt, "Der Alternativtext (alt) einer Grafik")
    name = _check_name(name)
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, not {type(fig).__name__}")
    headline = (title or fig.get_label() or "").strip() or alt.split(".")[0]
    csv = frame_to_csv(data)
    svg = figure_svg(fig, name=name, title=headline, description=alt)
    bundle = {
        SVG_MIMETYPE: svg,
        "text/plain": f"<Grafik: {alt}>",
        DATA_MIMETYPE: {"name": name, "kind": "chart", "csv": csv},
    }
    metadata = {SVG_MIMETYPE: {"alt": alt, "title": headline}}
    return bundle, metadata


def show_chart(
    fig: Figure, *, alt: str, data: pd.DataFrame, name: str, title: str | None = None
) -> None:
    """Display a chart as SVG with title and description and attach its data as CSV.

    The figure is closed afterwards, so Jupyter does not show it a second time.

    Parameters
    ----------
    fig:
        The figure, best created with :func:`bielefeld_integration.present.charts.new_chart`.
    alt:
        Description for screen readers: say what the chart shows (e.g. "Liniendiagramm:
        Der Anteil stieg von 12,1 % (2013) auf 15,4 % (2017)."). Must not be empty.
    data:
        The data shown, published as ``data/<page>-<name>.csv`` (German headers, numbers
        without units, a column ``Zeichen`` for table symbols).
    name:
        Short name of the chart, unique on its page (``a-z``, ``0-9``, ``-``, ``_``).
    title:
        The headline; default the one of :func:`~.charts.new_chart`.

    Raises
    ------
    ValueError
        If ``alt`` is empty or ``name`` is not a valid file-name part.
    """
    from IPython.display import display

    try:
        bundle, metadata = chart_bundle(fig, alt=alt, data=data, name=name, title=title)
    finally:
        plt.close(fig)
    display(bundle, raw=True, metadata=metadata)


def _is_numeric_cell(text: str) -> bool:
    return bool(_NUMERIC_CELL_RE.fullmatch(text.strip()))


def _cell_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def table_html(df: pd.DataFrame, caption: str) -> str:
    """HTML of an already formatted table, with caption and row headers.

    A named index becomes the row-header column(s); otherwise the first column is used
    as row header. Columns whose cells all look like numbers or table symbols are
    right-aligned (class ``num``), header included.

    Parameters
    ----------
    df:
        The formatted table (cells are shown with ``str()``).
    caption:
        The caption (German), e.g. ``"Tabelle 1: Einwohner nach Stadtbezirk, 31.12.2017"``.

    Returns
    -------
    str
        A ``<table class="bi-table">`` element.
    """
    frame = df.reset_index() if any(n is not None for n in df.index.names) else df
    n_header_cols = max(1, sum(n is not None for n in df.index.names))
    rows = [[_cell_text(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    numeric = [
        i >= n_header_cols
        and any(row[i].strip() for row in rows)
        and all(_is_numeric_cell(row[i]) for row in rows if row[i].strip())
        for i in range(len(frame.columns))
    ]
    esc = html.escape
    num = ' class="num"'
    lines = ['<table class="bi-table">', f"<caption>{esc(caption)}</caption>", "<thead><tr>"]
    for i, col in enumerate(frame.columns):
        label = " – ".join(str(p) for p in col) if isinstance(col, tuple) else str(col)
        lines.append(f'<th scope="col"{num if numeric[i] else ""}>{esc(label)}</th>')
    lines.append("</tr></thead>")
    lines.append("<tbody>")
    for row in rows:
        cells = []
        for i, text in enumerate(row):
            if i < n_header_cols:
                cells.append(f'<th scope="row">{esc(text)}</th>')
            else:
                cells.append(f"<td{num if numeric[i] else ''}>{esc(text)}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</tbody>")
    lines.append("</table>")
    return "\n".join(lines)


def table_bundle(
    df: pd.DataFrame,
    *,
    caption: str,
    name: str,
    data: pd.DataFrame | None = None,
    xlsx: bytes | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The display bundle and metadata of a table (what :func:`show_table` displays).

    Parameters
    ----------
    df, caption, name, data, xlsx:
        See :func:`show_table`.

    Returns
    -------
    (dict, dict)
        The MIME bundle and its metadata.
    """
    caption = _check_text(caption, "Die Tabellenüberschrift (caption)")
    name = _check_name(name)
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, not {type(df).__name__}")
    csv = frame_to_csv(df if data is None else data)
    bundle = {
        "text/html": table_html(df, caption),
        "text/plain": f"{caption}\n{df.to_string()}",
        DATA_MIMETYPE: {"name": name, "kind": "table", "csv": csv},
    }
    if xlsx is not None:
        bundle[DATA_MIMETYPE]["xlsx"] = base64.b64encode(xlsx).decode("ascii")
    return bundle, {}


def show_table(
    df: pd.DataFrame,
    *,
    caption: str,
    name: str,
    data: pd.DataFrame | None = None,
    xlsx: bytes | None = None,
) -> None:
    """Display an already formatted table and attach its data for a CSV download.

    Parameters
    ----------
    df:
        The table as it is to be read: cells already formatted as German text
        (``"1.234"``, ``"12,3 %"``) and disclosure symbols applied (``"."``, ``"/"``).
    caption:
        Caption of the table (German, non-empty).
    name:
        Short name of the table, unique on its page (``a-z``, ``0-9``, ``-``, ``_``);
        the data is published as ``data/<page>-<name>.csv``.
    data:
        Optional machine-readable version of the table (unformatted numbers, but with the
        same disclosure control applied) for the CSV; default: ``df`` itself.
    xlsx:
        Optional Excel workbook (bytes, deterministic) published next to the CSV as
        ``data/<page>-<name>.xlsx``, e.g. the measures register.
    """
    from IPython.display import display

    bundle, metadata = table_bundle(df, caption=caption, name=name, data=data, xlsx=xlsx)
    display(bundle, raw=True, metadata=metadata)

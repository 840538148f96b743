"""The house chart style of the reports.

Every published chart follows the same rules (DESIGN 7): a headline title that says what the
chart shows, a subtitle with measure, area, reference date and source, a colour-blind-safe
palette (Okabe–Ito), readable fonts and German number formatting on the axes, independent
of the operating system's locale.

Typical use in a report notebook::

    from bielefeld_integration.present.charts import new_chart, subtitle, format_axis
    from bielefeld_integration.present.display import show_chart

    fig, ax = new_chart(
        "Der Anteil ausländischer Kinder in Kitas steigt",
        subtitle("Anteil an allen Kindern in %", "Stadt Bielefeld", "01.03.2017", "KJH-Statistik"),
    )
    ax.bar(frame["jahr"], frame["anteil"])
    format_axis(ax, "y", percent=True)
    show_chart(fig, alt="Balkendiagramm: ...", data=frame, name="kita-anteil")

Charts are published as SVG with the text kept as text (``svg.fonttype = "none"``): crisp
at any size, searchable and read by screen readers. Layout uses DejaVu Sans, which ships
with matplotlib, so a chart is laid out identically on every machine; ids are salted with a
fixed ``svg.hashsalt`` and no date is written, so the same chart gives the same bytes.

Tick labels (:func:`tick_labels`) get as many decimals as the ticks need and never two
equal labels on one axis; :func:`format_axis` also writes the unit on the axis.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal

import matplotlib as mpl
import matplotlib.pyplot as plt
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator

from bielefeld_integration.present.format import fmt_number

#: Okabe–Ito palette (colour-blind safe), ordered for contrast on white; yellow comes last.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#000000",  # black
    "#F0E442",  # yellow
)

#: Colour for context series (e.g. "all other districts") next to a highlighted one.
CONTEXT_GREY = "#8C8C8C"
#: Colour of text and axes.
TEXT_COLOUR = "#222222"
#: Colour of the subtitle.
SUBTITLE_COLOUR = "#4D4D4D"

#: Font used for all text (bundled with matplotlib, hence identical everywhere).
FONT_FAMILY = "DejaVu Sans"
#: Font size of the headline title and of the subtitle (points).
TITLE_SIZE = 13.0
SUBTITLE_SIZE = 9.5
#: Default figure size in inches (width, height).
FIGSIZE: tuple[float, float] = (8.0, 4.5)
#: Resolution of the published PNG (pixels per inch); shown at 2/3 size for sharp HiDPI output.
DPI = 144

#: matplotlib settings of the house style.
HOUSE_RC: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT_FAMILY, "Arial", "Helvetica", "sans-serif"],
    "font.size": 10.5,
    "text.color": TEXT_COLOUR,
    "axes.labelcolor": TEXT_COLOUR,
    "axes.edgecolor": "#595959",
    "axes.labelsize": 10.5,
    "axes.titlesize": 10.5,
    "axes.titlelocation": "left",
    "axes.prop_cycle": cycler(color=list(PALETTE)),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "axes.formatter.use_locale": False,
    "axes.unicode_minus": True,
    "grid.color": "#D9D9D9",
    "grid.linewidth": 0.8,
    "xtick.color": "#595959",
    "ytick.color": "#595959",
    "xtick.labelcolor": TEXT_COLOUR,
    "ytick.labelcolor": TEXT_COLOUR,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.frameon": False,
    "legend.fontsize": 10,
    "lines.linewidth": 2.2,
    "figure.figsize": FIGSIZE,
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.dpi": DPI,
    "svg.hashsalt": "bielefeld-integration",
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
}


def apply_house_style() -> None:
    """Set the house style globally for this session (``matplotlib.rcParams``).

    :func:`new_chart` calls it, so a notebook normally never needs to.
    """
    mpl.rcParams.update(HOUSE_RC)


@contextmanager
def house_style() -> Iterator[None]:
    """Context manager with the house style, for figures made outside :func:`new_chart`."""
    with mpl.rc_context(HOUSE_RC):
        yield


_DATE_RE = re.compile(r"\d{2}\.\d{2}\.\d{4}")


def _fmt_date(value: dt.date | str) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def subtitle(
    measure: str,
    area: str,
    reference_date: dt.date | str,
    source: str,
) -> str:
    """The statistical subtitle of a chart: measure, area, reference date, source.

    Parameters
    ----------
    measure:
        What is measured and its unit, e.g. ``"Anteil an allen Einwohnern in %"``.
    area:
        The area, e.g. ``"Stadt Bielefeld"`` or ``"Stadtbezirke"``.
    reference_date:
        Reference date (``datetime.date`` is shown as ``31.12.2017``) or a period text
        such as ``"2013–2017"`` or ``"Schuljahr 2017/18"``.
    source:
        The source, e.g. ``"Melderegister der Stadt Bielefeld"``.

    Returns
    -------
    str
        E.g. ``"Anteil in % · Stadt Bielefeld · Stand 31.12.2017 · Quelle: Melderegister"``.

    Examples
    --------
    >>> subtitle("Anteil in %", "Stadt Bielefeld", dt.date(2017, 12, 31), "Melderegister")
    'Anteil in % · Stadt Bielefeld · Stand 31.12.2017 · Quelle: Melderegister'
    """
    parts = {"measure": measure, "area": area, "source": source}
    for key, text in parts.items():
        if not str(text).strip():
            raise ValueError(f"subtitle needs a non-empty {key}")
    date_text = _fmt_date(reference_date).strip()
    if not date_text:
        raise ValueError("subtitle needs a reference date")
    if isinstance(reference_date, dt.date) or _DATE_RE.fullmatch(date_text):
        date_text = f"Stand {date_text}"
    return f"{measure} · {area} · {date_text} · Quelle: {source}"


def _wrap(text: str, fontsize: float, width_in: float, factor: float) -> list[str]:
    chars = max(20, int(width_in * 72 / (fontsize * factor)))
    return textwrap.wrap(text, chars) or [text]


def set_titles(fig: Figure, title: str, subtitle_text: str) -> None:
    """Put the headline title and the statistical subtitle at the top of a figure.

    Both are left-aligned in a band at the top of the figure; the axes are laid out
    (constrained layout) below that band. Long texts are wrapped.

    Parameters
    ----------
    fig:
        The figure (with constrained layout, as :func:`new_chart` creates it).
    title:
        Headline that states the message of the chart.
    subtitle_text:
        Measure, area, reference date and source (see :func:`subtitle`).
    """
    if not title.strip():
        raise ValueError("a chart needs a headline title")
    if not subtitle_text.strip():
        raise ValueError("a chart needs a subtitle with measure, area, date and source")
    width_in, height_in = fig.get_size_inches()
    margin_in = 0.12
    title_lines = _wrap(title.strip(), TITLE_SIZE, width_in - 2 * margin_in, 0.62)
    sub_lines = _wrap(subtitle_text.strip(), SUBTITLE_SIZE, width_in - 2 * margin_in, 0.55)
    top_in = margin_in
    x = margin_in / width_in
    fig.text(
        x,
        1 - top_in / height_in,
        "\n".join(title_lines),
        ha="left",
        va="top",
        fontsize=TITLE_SIZE,
        fontweight="bold",
        color=TEXT_COLOUR,
    )
    top_in += len(title_lines) * TITLE_SIZE * 1.25 / 72 + 0.06
    fig.text(
        x,
        1 - top_in / height_in,
        "\n".join(sub_lines),
        ha="left",
        va="top",
        fontsize=SUBTITLE_SIZE,
        color=SUBTITLE_COLOUR,
    )
    top_in += len(sub_lines) * SUBTITLE_SIZE * 1.25 / 72 + 0.12
    fig.set_label(title.strip())  # the chart's <title> in the SVG
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        engine.set(rect=(0, 0, 1, 1 - top_in / height_in))
    else:
        fig.subplots_adjust(top=1 - (top_in + 0.1) / height_in)


def new_chart(
    title: str,
    subtitle_text: str,
    *,
    figsize: tuple[float, float] = FIGSIZE,
    nrows: int = 1,
    ncols: int = 1,
    **subplots_kw: Any,
) -> tuple[Figure, Any]:
    """Create a figure in the house style with headline title and subtitle.

    Parameters
    ----------
    title:
        Headline that states the message (``"Jede dritte Einwohnerin ... "``).
    subtitle_text:
        Measure, area, reference date and source, best built with :func:`subtitle`.
    figsize:
        Figure size in inches.
    nrows, ncols:
        Grid of axes, as in :func:`matplotlib.pyplot.subplots`; title and subtitle
        sit above all of them.
    **subplots_kw:
        Further arguments for :func:`matplotlib.pyplot.subplots` (``sharey`` ...).

    Returns
    -------
    (Figure, Axes or array of Axes)
        As :func:`matplotlib.pyplot.subplots` returns them.
    """
    apply_house_style()
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, layout="constrained", **subplots_kw)
    set_titles(fig, title, subtitle_text)
    return fig, axes


#: Most decimals a tick label gets (more only when needed to keep labels distinct).
MAX_TICK_DECIMALS = 6


def needed_decimals(values: Iterable[float], limit: int = MAX_TICK_DECIMALS) -> int:
    """The fewest decimals (at most ``limit``) that show every value exactly.

    Examples
    --------
    >>> needed_decimals([0.0, 0.5, 1.0]), needed_decimals([0.218, 0.22]), needed_decimals([10, 20])
    (1, 3, 0)
    """
    finite = [float(v) for v in values if math.isfinite(v)]
    for decimals in range(limit + 1):
        scale = 10**decimals
        if all(abs(v * scale - round(v * scale)) < 1e-6 * max(1.0, abs(v * scale)) for v in finite):
            return decimals
    return limit


def tick_labels(
    values: Sequence[float], decimals: int | None = None, suffix: str = ""
) -> list[str]:
    """German tick labels of one axis: never two equal labels.

    The decimals are the fewest that show every tick exactly (or ``decimals`` if given);
    if two ticks would still get the same label, more decimals are used until all labels
    differ.

    Examples
    --------
    >>> tick_labels([1.7, 1.75, 1.8])
    ['1,70', '1,75', '1,80']
    >>> tick_labels([0.218, 0.22, 0.222], decimals=1)
    ['0,218', '0,220', '0,222']
    """
    finite = [float(v) for v in values if math.isfinite(v)]
    d = needed_decimals(finite) if decimals is None else decimals
    while True:
        shown = [fmt_number(v, d) for v in finite]
        if len(set(shown)) == len(shown) or d >= 12:
            break
        d += 1
    labels = iter(shown)
    return ["" if not math.isfinite(v) else next(labels) + suffix for v in map(float, values)]


class GermanNumberFormatter(Formatter):
    """Tick formatter with decimal comma and thousands dot (``1.234,5``).

    All ticks of an axis get the same number of decimals (:func:`tick_labels`): the fewest
    that show every tick exactly, or ``decimals`` if given, and more where two labels
    would otherwise be equal.

    Parameters
    ----------
    decimals:
        Fixed number of decimals (raised if labels would repeat), or ``None``.
    suffix:
        Text appended to each label, e.g. ``" %"``.
    """

    def __init__(self, decimals: int | None = None, suffix: str = ""):
        self.decimals = decimals
        self.suffix = suffix
        self._labels: dict[float, str] = {}

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        labels = tick_labels(values, self.decimals, self.suffix)
        self._labels = dict(zip(map(float, values), labels, strict=True))
        return labels

    def __call__(self, x: float, pos: int | None = None) -> str:
        if not math.isfinite(x):
            return ""
        if float(x) in self._labels:
            return self._labels[float(x)]
        return tick_labels([x], self.decimals, self.suffix)[0]


def format_axis(
    ax: Axes,
    axis: Literal["x", "y"] = "y",
    *,
    decimals: int | None = None,
    percent: bool = False,
    suffix: str = "",
    unit: str = "",
    integer: bool = False,
) -> None:
    """Give an axis German tick labels (decimal comma, thousands dot) and its unit.

    Parameters
    ----------
    ax:
        The axes.
    axis:
        ``"x"`` or ``"y"``.
    decimals:
        Decimals of the labels; ``None`` chooses the fewest that show all ticks. Labels
        never repeat: more decimals are used where needed.
    percent:
        Append ``" %"`` (values are already in percent, e.g. ``12.5``).
    suffix:
        Any other text to append (ignored if ``percent``).
    unit:
        The unit written as axis label (e.g. ``"%"``, ``"Personen"``).
    integer:
        Ticks only at whole numbers (counts).
    """
    formatter = GermanNumberFormatter(decimals, " %" if percent else suffix)
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10], integer=integer))
    target.set_major_formatter(formatter)
    if unit:
        target.set_label_text(unit)


def axis_tick_labels(ax: Axes, axis: Literal["x", "y"] = "y") -> list[str]:
    """The tick labels of an axis as drawn (for checks: they must all differ)."""
    ax.figure.canvas.draw()
    target = ax.yaxis if axis == "y" else ax.xaxis
    lo, hi = sorted(ax.get_ylim() if axis == "y" else ax.get_xlim())
    ticks = [t for t in target.get_majorticklocs() if lo - 1e-9 <= t <= hi + 1e-9]
    labels = target.get_major_formatter().format_ticks(ticks)
    return [label for label in labels if label]


def close(fig: Figure) -> None:
    """Close a figure so that Jupyter does not display it a second time."""
    plt.close(fig)

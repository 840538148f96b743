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

The font is DejaVu Sans, which ships with matplotlib, so a chart renders identically on
every machine (a requirement for byte-identical reports).
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal

import matplotlib as mpl
import matplotlib.pyplot as plt
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter

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
    "font.sans-serif": [FONT_FAMILY],
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
    "svg.fonttype": "path",
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
    if isinstance(reference_date, dt.date) or date_text[:1].isdigit():
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


class GermanNumberFormatter(Formatter):
    """Tick formatter with decimal comma and thousands dot (``1.234,5``).

    All ticks of an axis get the same number of decimals: the fewest that show every
    tick exactly (at most ``max_decimals``), unless ``decimals`` fixes it.

    Parameters
    ----------
    decimals:
        Fixed number of decimals, or ``None`` to choose from the tick values.
    suffix:
        Text appended to each label, e.g. ``" %"``.
    max_decimals:
        Upper bound when the decimals are chosen automatically.
    """

    def __init__(self, decimals: int | None = None, suffix: str = "", max_decimals: int = 3):
        self.decimals = decimals
        self.suffix = suffix
        self.max_decimals = max_decimals
        self._auto_decimals = 0

    @staticmethod
    def _needed_decimals(values: Sequence[float], limit: int) -> int:
        for decimals in range(limit + 1):
            if all(abs(v * 10**decimals - round(v * 10**decimals)) < 1e-6 for v in values):
                return decimals
        return limit

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        finite = [float(v) for v in values if math.isfinite(v)]
        self._auto_decimals = self._needed_decimals(finite, self.max_decimals)
        return [self(v, i) for i, v in enumerate(values)]

    def __call__(self, x: float, pos: int | None = None) -> str:
        decimals = self.decimals if self.decimals is not None else self._auto_decimals
        if not math.isfinite(x):
            return ""
        return fmt_number(x, decimals) + self.suffix


def format_axis(
    ax: Axes,
    axis: Literal["x", "y"] = "y",
    *,
    decimals: int | None = None,
    percent: bool = False,
    suffix: str = "",
) -> None:
    """Give an axis German tick labels (decimal comma, thousands dot).

    Parameters
    ----------
    ax:
        The axes.
    axis:
        ``"x"`` or ``"y"``.
    decimals:
        Fixed number of decimals; ``None`` chooses the fewest that show all ticks.
    percent:
        Append ``" %"`` (values are already in percent, e.g. ``12.5``).
    suffix:
        Any other text to append (ignored if ``percent``).
    """
    formatter = GermanNumberFormatter(decimals, " %" if percent else suffix)
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(formatter)


def close(fig: Figure) -> None:
    """Close a figure so that Jupyter does not display it a second time."""
    plt.close(fig)

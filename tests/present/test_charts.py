"""The house chart style: subtitles, palette and tick labels that never repeat."""

from __future__ import annotations

import datetime as dt

import matplotlib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bielefeld_integration.present.charts import (
    PALETTE,
    GermanNumberFormatter,
    axis_tick_labels,
    format_axis,
    needed_decimals,
    new_chart,
    subtitle,
    tick_labels,
)

matplotlib.use("Agg")


def test_german_tick_labels():
    assert GermanNumberFormatter().format_ticks([0, 0.5, 1.0]) == ["0,0", "0,5", "1,0"]
    assert GermanNumberFormatter().format_ticks([0, 1000, 2000]) == ["0", "1.000", "2.000"]
    assert GermanNumberFormatter(suffix=" %").format_ticks([10, 20]) == ["10 %", "20 %"]
    assert GermanNumberFormatter(decimals=1)(-1234.56) == "-1.234,6"


def test_tick_labels_hand_computed():
    # the two broken axes of the 2017 pages
    assert tick_labels([0.218, 0.22, 0.222, 0.224, 0.226, 0.228]) == [
        "0,218",
        "0,220",
        "0,222",
        "0,224",
        "0,226",
        "0,228",
    ]
    assert tick_labels([1.7, 1.75, 1.8, 1.85, 1.9, 1.95]) == [
        "1,70",
        "1,75",
        "1,80",
        "1,85",
        "1,90",
        "1,95",
    ]
    # a fixed number of decimals is raised where labels would repeat
    assert tick_labels([0.218, 0.22], decimals=1) == ["0,218", "0,220"]
    assert tick_labels([10.0, 20.0], decimals=1) == ["10,0", "20,0"]
    assert tick_labels([0.0, 2.5, 5.0], suffix=" %") == ["0,0 %", "2,5 %", "5,0 %"]
    assert needed_decimals([1, 2, 3]) == 0 and needed_decimals([0.25]) == 2


@settings(max_examples=200, deadline=None)
@given(
    lo=st.floats(-1e6, 1e6, allow_nan=False),
    span=st.floats(1e-6, 1e6, allow_nan=False),
    n=st.integers(2, 8),
)
def test_tick_labels_never_repeat(lo: float, span: float, n: int) -> None:
    ticks = [lo + span * i / (n - 1) for i in range(n)]
    if len({round(t, 9) for t in ticks}) < n:
        return  # ticks closer than the float resolution
    labels = tick_labels(ticks)
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize(
    "values",
    [
        [0.218, 0.228],  # Dissimilaritätsindex 2017
        [1.71, 1.93],  # Einbürgerungsquote I
        [15.4, 15.5],
        [2900, 2930],
        [0.0, 0.004],
    ],
)
def test_drawn_axes_have_distinct_labels_and_unit(values):
    _fig, ax = new_chart("T", subtitle("Wert", "Stadt", "2017", "Q"))
    ax.plot(["2016", "2017"], values)
    format_axis(ax, "y", unit="%")
    labels = axis_tick_labels(ax, "y")
    assert len(labels) >= 2 and len(set(labels)) == len(labels)
    assert ax.get_ylabel() == "%"


def test_subtitle_and_palette():
    assert subtitle("Anteil in %", "Stadt Bielefeld", dt.date(2017, 12, 31), "Melderegister") == (
        "Anteil in % · Stadt Bielefeld · Stand 31.12.2017 · Quelle: Melderegister"
    )
    assert subtitle("Anzahl", "Stadtbezirke", "2013–2017", "IT.NRW").endswith("Quelle: IT.NRW")
    assert PALETTE[:3] == ("#0072B2", "#E69F00", "#009E73")  # Okabe–Ito
    with pytest.raises(ValueError, match="source"):
        subtitle("Anteil", "Stadt", "2017", " ")

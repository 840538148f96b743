"""Every trend and district chart of the demo: distinct tick labels, units, marks, CSV."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from bielefeld_integration.present.charts import axis_tick_labels
from bielefeld_integration.present.display import chart_bundle
from bielefeld_integration.present.views import Chapter

matplotlib.use("Agg")

#: Words that assert a trend; a headline states values, not a fixed story.
TREND_WORDS = ("steigt", "sinkt", "gehen", "zurück", "wächst", "nimmt zu", "nimmt ab")


@pytest.fixture(scope="module")
def chapter(demo_store: Path) -> Chapter:
    return Chapter("2017", str(demo_store))


@pytest.fixture(scope="module")
def district(demo_store: Path) -> Chapter:
    return Chapter("2017", str(demo_store), district="07")


def _check_csv(data: pd.DataFrame) -> None:
    csv = data.to_csv(sep=";", index=False)
    parsed = pd.read_csv(io.StringIO(csv), sep=";", dtype={"Jahr": str, "Zeichen": str})
    assert "Wert" in parsed and "Zeichen" in parsed and "Einheit" in parsed
    assert pd.api.types.is_numeric_dtype(parsed["Wert"])  # numbers, not formatted text
    # every value is either a number or stands beside its sign
    empty = parsed["Wert"].isna()
    assert parsed.loc[empty, "Zeichen"].notna().all()


@pytest.mark.filterwarnings("error::UserWarning")  # e.g. a layout that collapsed
def test_every_trend_chart_has_distinct_ticks_unit_and_a_neutral_headline(chapter):
    checked = 0
    for ind in chapter.catalogue.computable():
        if chapter.rows(ind.id, group=None).empty:
            continue
        chart = chapter.trend_chart(ind.id)
        ax = chart.figure.axes[0]
        labels = axis_tick_labels(ax, "y")
        assert len(labels) == len(set(labels)), (ind.id, labels)
        assert ax.get_ylabel() == chapter.unit(ind.id)
        assert not any(w in chart.title for w in TREND_WORDS), chart.title
        assert chart.alt.startswith("Liniendiagramm: ")
        _check_csv(chart.data)
        plt.close(chart.figure)
        checked += 1
    assert checked >= 50


@pytest.mark.filterwarnings("error::UserWarning")
def test_every_district_chart_is_zero_based_with_marks_for_hidden_values(district):
    checked = 0
    for ind in district.catalogue.computable():
        if "stadtbezirk" not in ind.levels:
            continue
        for group in ind.groups.labels[:1] if ind.kind not in ("gap_pp", "ratio") else []:
            if district.district_data(ind.id, group).empty:
                continue
            chart = district.district_chart(ind.id, group=group)
            ax = chart.figure.axes[0]
            labels = axis_tick_labels(ax, "x")
            assert len(labels) == len(set(labels)), (ind.id, labels)
            assert ax.get_xlabel() == district.unit(ind.id)
            lo, _ = ax.get_xlim()
            assert lo <= 0  # bars start at zero
            data = district.district_data(ind.id, group)
            texts = [t.get_text().strip() for t in ax.texts]
            for sign in data.loc[data["Wert"].isna(), "Zeichen"]:
                assert sign in texts  # hidden values are marked, not drawn as empty bars
            _check_csv(chart.data)
            plt.close(chart.figure)
            checked += 1
    assert checked >= 20


def test_demo_charts_render_to_identical_svg(chapter):
    first = chapter.trend_chart("DEM-02")
    second = chapter.trend_chart("DEM-02")
    a, _ = chart_bundle(first.figure, alt=first.alt, data=first.data, name="dem02")
    b, _ = chart_bundle(second.figure, alt=second.alt, data=second.data, name="dem02")
    assert a["image/svg+xml"] == b["image/svg+xml"]
    assert first.title.startswith("Ausländeranteil – 2017: ") and "%" in first.title

"""Charts and tables in notebooks: inline SVG with title and description, HTML tables, CSV."""

from __future__ import annotations

import datetime as dt
import re

import matplotlib
import pandas as pd
import pytest

from bielefeld_integration.present.display import (
    DATA_MIMETYPE,
    SVG_MIMETYPE,
    chart_bundle,
    figure_svg,
    frame_to_csv,
    show_chart,
    show_table,
)

matplotlib.use("Agg")


def chart():
    from bielefeld_integration.present.charts import format_axis, new_chart, subtitle

    fig, ax = new_chart(
        "Der Anteil 2017: 15,3 %",
        subtitle("Anteil in %", "Stadt Bielefeld", dt.date(2017, 12, 31), "Testdaten"),
    )
    ax.bar(["2016", "2017"], [12.5, 15.25])
    format_axis(ax, "y", percent=True, unit="%")
    return fig


def test_chart_bundle_is_deterministic_svg_with_title_desc_and_data():
    data = pd.DataFrame({"Jahr": ["2016", "2017"], "Anteil": [12.5, 15.25]})
    first, meta = chart_bundle(chart(), alt="Balken: 12,5 % und 15,3 %", data=data, name="a-1")
    second, _ = chart_bundle(chart(), alt="Balken: 12,5 % und 15,3 %", data=data, name="a-1")
    svg = first[SVG_MIMETYPE]
    assert svg == second[SVG_MIMETYPE]  # rendered twice: byte-identical
    assert svg.startswith("<svg ") and 'role="img"' in svg
    assert 'aria-labelledby="bi-a-1-title bi-a-1-desc"' in svg
    assert '<title id="bi-a-1-title">Der Anteil 2017: 15,3 %</title>' in svg
    assert '<desc id="bi-a-1-desc">Balken: 12,5 % und 15,3 %</desc>' in svg
    # text stays text (searchable), no date, no software version, no XML prologue
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "Der Anteil 2017: 15,3 %" in texts and "15 %" in texts and "%" in texts
    assert "<?xml" not in svg and "dc:date" not in svg and "Matplotlib" not in svg
    assert meta[SVG_MIMETYPE] == {"alt": "Balken: 12,5 % und 15,3 %", "title": texts[-2]}
    assert first[DATA_MIMETYPE] == {
        "name": "a-1",
        "kind": "chart",
        "csv": "Jahr;Anteil\n2016;12.5\n2017;15.25\n",
    }


def test_svg_ids_are_prefixed_and_references_resolve():
    svg = figure_svg(chart(), name="zwei", title="T", description="D")
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids and all(i.startswith("bi-zwei-") for i in ids)
    assert len(ids) == len(set(ids))
    refs = re.findall(r'(?:href="#|url\(#)([^")]+)', svg)
    assert refs and set(refs) <= set(ids)
    other = figure_svg(chart(), name="drei", title="T", description="D")
    assert not set(ids) & set(re.findall(r'\bid="([^"]+)"', other))
    # matplotlib's global style rule is scoped to the chart
    assert "*{stroke" not in svg.replace("#bi-zwei-figure_1 *{stroke", "")


def test_svg_escapes_title_and_description():
    svg = figure_svg(chart(), name="x", title="<b>&", description='"<script>"')
    assert "<b>" not in svg and "<script>" not in svg
    assert "&lt;b&gt;&amp;" in svg


@pytest.mark.parametrize("alt", ["", "   ", "No description has been provided for this image"])
def test_chart_without_real_alt_text_raises(alt):
    with pytest.raises(ValueError, match="Alternativtext"):
        chart_bundle(chart(), alt=alt, data=pd.DataFrame({"a": [1]}), name="a")


@pytest.mark.parametrize("name", ["", "Mit Leerzeichen", "../x", "ä", "x" * 61])
def test_chart_name_must_be_a_file_name_part(name):
    with pytest.raises(ValueError, match="ungültiger Name"):
        chart_bundle(chart(), alt="x", data=pd.DataFrame({"a": [1]}), name=name)


def test_show_chart_displays_svg_with_metadata_and_closes_figure(monkeypatch):
    import IPython.display
    import matplotlib.pyplot as plt

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append((a, k)))
    fig = chart()
    show_chart(fig, alt="Zwei Balken", data=pd.DataFrame({"a": [1]}), name="zwei")
    ((args, kwargs),) = shown
    assert kwargs["raw"] is True and kwargs["metadata"][SVG_MIMETYPE]["alt"] == "Zwei Balken"
    assert set(args[0]) == {SVG_MIMETYPE, "text/plain", DATA_MIMETYPE}
    assert not plt.fignum_exists(fig.number)


def test_show_table_escapes_and_aligns_numbers(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append(a[0]))
    table = pd.DataFrame({"Bezirk": ["<Mitte>", "Senne"], "Anteil": ["12,5 %", "/"]})
    raw = pd.DataFrame({"Bezirk": ["<Mitte>", "Senne"], "Anteil": [12.5, None]})
    show_table(table, caption="Anteil & Zahl", name="anteil", data=raw)
    html = shown[0]["text/html"]
    assert "<caption>Anteil &amp; Zahl</caption>" in html
    assert '<th scope="row">&lt;Mitte&gt;</th><td class="num">12,5 %</td>' in html
    assert '<td class="num">/</td>' in html
    assert shown[0][DATA_MIMETYPE]["csv"] == "Bezirk;Anteil\n<Mitte>;12.5\nSenne;\n"
    with pytest.raises(ValueError, match="caption"):
        show_table(table, caption=" ", name="x")


def test_csv_has_sensible_precision():
    frame = pd.DataFrame({"Wert": [0.1 + 0.2, 15.499999999999998, 1234567.0, 2.0]})
    assert frame_to_csv(frame) == "Wert\n0.3\n15.5\n1234567.0\n2.0\n"

"""Indicator charts of the chapters: the trend over the periods and the Stadtbezirke.

Headlines are derived from the data ("Ausländeranteil 2017: 15,5 % (2013: 12,1 %)") or are
neutral; they never assert a trend as fixed text. Axes carry the unit, bars start at zero,
a value hidden by a table symbol is marked with its sign instead of being drawn as an
empty bar or silently left out; the alt text says what the chart shows, and the CSV
download has German headers, numbers and a ``Zeichen`` column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from bielefeld_integration import symbols
from bielefeld_integration.geography import CITY_CODE, STADTBEZIRKE
from bielefeld_integration.present.chapter_data import ChapterData, shown_values
from bielefeld_integration.present.charts import (
    PALETTE,
    TEXT_COLOUR,
    format_axis,
    new_chart,
    subtitle,
)
from bielefeld_integration.present.display import show_chart
from bielefeld_integration.present.format import fmt_quantity, fmt_value, is_missing
from bielefeld_integration.present.labels import TOTAL, group_label, indicator_label


@dataclass
class Chart:
    """A finished chart: figure, headline, alt text and the data for the download."""

    figure: Figure
    title: str
    alt: str
    data: pd.DataFrame


def _mark_symbols_on_line(ax, xs: list[int], values: np.ndarray, signs: list[str]) -> None:
    for x, v, s in zip(xs, values, signs, strict=True):
        if s and np.isnan(v):
            ax.annotate(
                s,
                (x, 0.02),
                xycoords=("data", "axes fraction"),
                ha="center",
                va="bottom",
                fontsize=10,
                color=TEXT_COLOUR,
            )


class ChartViews(ChapterData):
    """Chart methods of :class:`~bielefeld_integration.present.views.Chapter`."""

    def trend_data(self, ind_id: str, groups: Sequence[str] | None = None) -> pd.DataFrame:
        """Values of an indicator per period (rows) and group (columns) for the page's area.

        Values hidden by a symbol are NaN; columns are the groups' labels.
        """
        df = self.rows(ind_id, group=None)
        if groups:
            df = df[df["group"].isin(groups)]
        df = df.assign(value=shown_values(df["value"], df["symbol"]))
        wide = df.pivot_table(
            index="period",
            columns="group",
            values="value",
            aggfunc="first",
            sort=True,
            dropna=False,
        )
        order = [g for g in (groups or df["group"].unique()) if g in wide.columns]
        ind = self.catalogue[ind_id]
        wide = wide[order].rename(columns=lambda g: group_label(g, ind))
        wide.index.name = "Jahr"
        return wide

    def trend_chart(
        self, ind_id: str, *, groups: Sequence[str] | None = None, title: str | None = None
    ) -> Chart:
        """Line chart of an indicator over the periods, one line per group."""
        ind = self.catalogue[ind_id]
        rows = self.rows(ind_id, group=None)
        if groups:
            rows = rows[rows["group"].isin(groups)]
        order = list(groups) if groups else list(dict.fromkeys(rows["group"]))
        order = [g for g in order if g in set(rows["group"])]
        years = sorted(rows["period"].unique())
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else self.period
        if title is None:
            title = self._trend_headline(ind_id, order, rows)
        sub = subtitle(self._measure(ind_id), self.area_name, span, self.source(ind_id))
        legend_rows = 0 if len(order) <= 4 else -(-len(order) // 3)
        fig, ax = new_chart(title, sub, figsize=(8.0, 4.5 + 0.22 * legend_rows))
        parts = []
        positions = list(range(len(years)))  # every period gets its place, with or without value
        ax.set_xticks(positions, years)
        ax.set_xlim(-0.4, len(years) - 0.6)
        for i, g in enumerate(order):
            r = rows[rows["group"] == g].set_index("period").reindex(years)
            gap = symbols.sign(symbols.NOT_AVAILABLE)
            signs = [symbols.sign(s) if isinstance(s, str) else gap for s in r["symbol"]]
            values = shown_values(r["value"], r["symbol"].fillna(symbols.NOT_AVAILABLE))
            label = group_label(g, ind) if g != TOTAL else ind.title
            ax.plot(
                positions,
                values,
                marker="o",
                label=label,
                color=PALETTE[i % len(PALETTE)],
                linestyle=("-", "--", ":")[(i // len(PALETTE)) % 3],
            )
            _mark_symbols_on_line(ax, positions, values, signs)
            last = fmt_value(values[-1], ind.unit, "" if signs[-1] == "–" else signs[-1])
            parts.append(f"{label} {years[-1]}: {last}")
        format_axis(ax, "y", unit=self.unit(ind_id), integer=ind.unit in ("Personen", "Anzahl"))
        shown = rows.loc[rows["symbol"].isin(["", symbols.ZERO]), "value"]
        if len(shown) and shown.min() >= 0:
            # from zero: a change of 0,218 to 0,228 must not look like a steep rise
            ax.set_ylim(0, float(shown.max()) * 1.12 or 1)
        if legend_rows:  # many groups: the legend below the chart, three columns
            ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3)
        elif len(order) > 1:
            ax.legend(frameon=False)
        alt = (
            f"Liniendiagramm: {indicator_label(ind, order[0]) if len(order) == 1 else ind.title}, "
            f"{self.area_name}, {span}. " + "; ".join(parts) + "."
        )
        data = self.download_frame(rows, self.area_name)
        return Chart(fig, title, alt, data)

    def _measure(self, ind_id: str, group: str = TOTAL) -> str:
        """What a chart measures, with its unit: "Ausländeranteil in %"."""
        unit = self.unit(ind_id)
        label = indicator_label(self.catalogue[ind_id], group)
        if unit in ("%", "Personen", "Prozentpunkte"):
            return f"{label} in {unit}"
        return f"{label}, Einheit: {unit}"

    def _trend_headline(self, ind_id: str, groups: list[str], rows: pd.DataFrame) -> str:
        ind = self.catalogue[ind_id]
        if len(groups) != 1:
            return f"{ind.title}, {self.area_name}"
        r = rows[rows["group"] == groups[0]].sort_values("period")
        label = indicator_label(ind, groups[0])
        shown = r[r["symbol"].isin(["", symbols.ZERO])]
        if shown.empty:
            return label
        last = shown.iloc[-1]
        text = f"{label} – {last['period']}: {fmt_quantity(last['value'], ind.unit)}"
        first = shown.iloc[0]
        if first["period"] != last["period"]:
            text += f" ({first['period']}: {fmt_quantity(first['value'], ind.unit)})"
        return text

    def district_data(self, ind_id: str, group: str = TOTAL) -> pd.DataFrame:
        """Values of an indicator per Stadtbezirk for the page's period.

        Columns ``Stadtbezirk``, ``Schlüssel``, ``Wert`` (NaN where a symbol stands) and
        ``Zeichen`` (the printed sign).
        """
        d = self.level_rows(ind_id, "stadtbezirk", group)
        out = pd.DataFrame(
            {
                "Stadtbezirk": [STADTBEZIRKE[c] for c in d["area_code"]],
                "Schlüssel": d["area_code"].to_numpy(),
                "Wert": shown_values(d["value"], d["symbol"]),
                "Zeichen": [symbols.sign(s) for s in d["symbol"]],
            }
        ).sort_values("Schlüssel", ignore_index=True)
        return out

    def district_chart(self, ind_id: str, *, group: str = TOTAL, title: str | None = None) -> Chart:
        """Horizontal bars per Stadtbezirk (from zero) with the city value as a line."""
        ind = self.catalogue[ind_id]
        label = indicator_label(ind, group)
        data = self.district_data(ind_id, group)
        city, city_symbol, _ = self.value(ind_id, group=group, area_code=CITY_CODE)
        city_text = fmt_quantity(city, ind.unit, city_symbol)
        valid = data.dropna(subset=["Wert"])
        if title is None:
            if len(valid) > 1:
                hi, lo = valid.loc[valid["Wert"].idxmax()], valid.loc[valid["Wert"].idxmin()]
                title = (
                    f"{label} – {self.period}: von {fmt_quantity(lo['Wert'], ind.unit)} in "
                    f"{lo['Stadtbezirk']} bis {fmt_quantity(hi['Wert'], ind.unit)} in "
                    f"{hi['Stadtbezirk']}"
                )
            else:
                title = f"{label} – {self.period} nach Stadtbezirken"
        sub = subtitle(
            self._measure(ind_id, group),
            "Stadtbezirke",
            self.reference_date(ind_id),
            self.source(ind_id),
        )
        fig, ax = new_chart(title, sub, figsize=(8, 5))
        ordered = data.iloc[::-1].reset_index(drop=True)
        colors = [PALETTE[1] if c == self.district else PALETTE[0] for c in ordered["Schlüssel"]]
        ax.barh(ordered["Stadtbezirk"], ordered["Wert"].fillna(0), color=colors)
        for y, (value, sign) in enumerate(zip(ordered["Wert"], ordered["Zeichen"], strict=True)):
            if np.isnan(value):  # hidden: its sign at the axis, not an empty bar read as zero
                ax.text(0, y, f" {sign or '...'}", va="center", ha="left", color=TEXT_COLOUR)
        if not is_missing(city) and not city_symbol:
            ax.axvline(city, color="#333333", linewidth=1, linestyle="--")
            ax.text(city, len(ordered) - 0.4, f" Stadt: {city_text}", fontsize=9, va="bottom")
        lo = min(0.0, float(np.nanmin(data["Wert"]))) if len(valid) else 0.0
        hi = max(0.0, float(np.nanmax(data["Wert"]))) if len(valid) else 1.0
        if not is_missing(city) and not city_symbol:
            lo, hi = min(lo, city), max(hi, city)
        ax.set_xlim(lo - 0.05 * (hi - lo) if lo < 0 else 0, hi + 0.08 * (hi - lo or 1))
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        format_axis(ax, "x", unit=self.unit(ind_id), integer=ind.unit in ("Personen", "Anzahl"))
        if len(valid):
            hi_row, lo_row = valid.loc[valid["Wert"].idxmax()], valid.loc[valid["Wert"].idxmin()]
            extremes = (
                f"Höchster Wert in {hi_row['Stadtbezirk']} "
                f"({fmt_quantity(hi_row['Wert'], ind.unit)}), niedrigster in "
                f"{lo_row['Stadtbezirk']} ({fmt_quantity(lo_row['Wert'], ind.unit)})"
            )
        else:
            extremes = "Keine veröffentlichbaren Werte"
        hidden = data.loc[data["Wert"].isna(), "Stadtbezirk"].tolist()
        note = f"; nicht veröffentlicht: {', '.join(hidden)}" if hidden else ""
        alt = (
            f"Balkendiagramm: {label} je Stadtbezirk {self.period}. {extremes}{note}; "
            f"Stadt Bielefeld insgesamt {city_text}."
        )
        table = self.indicator_table(ind_id)
        rows = table[
            (table["period"] == self.period)
            & (table["group"] == group)
            & (table["breakdown"] == TOTAL)
            & (table["area_code"].isin([CITY_CODE, *data["Schlüssel"]]))
            & (table["area_level"].isin(["stadt", "stadtbezirk"]))
        ]
        return Chart(fig, title, alt, self.download_frame(rows))

    def show_trend(
        self,
        ind_id: str,
        *,
        groups: Sequence[str] | None = None,
        title: str | None = None,
        name: str,
    ) -> None:
        """Display :meth:`trend_chart` (headline from the data unless ``title`` is given)."""
        chart = self.trend_chart(ind_id, groups=groups, title=title)
        show_chart(chart.figure, alt=chart.alt, data=chart.data, name=name, title=chart.title)

    def show_districts(
        self, ind_id: str, *, group: str = TOTAL, title: str | None = None, name: str
    ) -> None:
        """Display :meth:`district_chart` (headline from the data unless ``title`` is given)."""
        chart = self.district_chart(ind_id, group=group, title=title)
        show_chart(chart.figure, alt=chart.alt, data=chart.data, name=name, title=chart.title)


__all__ = ["Chart", "ChartViews"]

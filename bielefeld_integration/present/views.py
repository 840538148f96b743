"""Building blocks of the report chapters: dashboards, trends, district comparisons.

A chapter notebook creates one :class:`Chapter` from its parameters and calls its methods;
every number shown comes from the indicator table (disclosure control applied by
:func:`bielefeld_integration.indicators.compute.publishable`) and is formatted in German.

>>> ch = Chapter("2017")  # doctest: +SKIP
>>> ch.show_dashboard(["DEM-02"], caption="Kennzahlen", name="kennzahlen")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from bielefeld_integration import store
from bielefeld_integration.disclosure import suppress_table
from bielefeld_integration.geography import CITY_CODE, STADTBEZIRKE, STAT_BEZIRKE
from bielefeld_integration.indicators.catalogue import Catalogue, load_catalogue, targets
from bielefeld_integration.indicators.compute import indicators_table, publishable
from bielefeld_integration.periods import Period
from bielefeld_integration.present.format import (
    fmt_date,
    fmt_number,
    fmt_pp,
    fmt_value,
    is_missing,
)

TOTAL = "insgesamt"
LOWER_IS_BETTER = "higher_worse"

#: Readable German names of the comparison groups used in the catalogue.
GROUP_LABELS: dict[str, str] = {
    TOTAL: "Insgesamt",
    "deutsch": "Deutsche",
    "auslaendisch": "Ausländer/-innen",
    "ohne": "ohne Migrationshintergrund",
    "mit": "mit Migrationshintergrund",
    "persoenlich": "persönlicher Migrationshintergrund",
    "familiaer": "familiärer Migrationshintergrund",
    "eu": "EU-Staatsangehörige",
    "drittstaat": "Drittstaatsangehörige",
    "nichtdeutsch": "nichtdeutsche Familiensprache",
    "asylverfahren": "im Asylverfahren",
    "folgeverfahren": "im Folgeverfahren",
    "duldung": "mit Duldung",
    "offen": "Schutzstatus offen",
    "anerkannt": "Schutzstatus anerkannt",
    "abgelehnt": "Schutzstatus abgelehnt",
    "zuweisung": "Zuweisung",
    "familiennachzug": "Familiennachzug",
    "sonstige": "sonstige",
    "beschaeftigte": "Beschäftigte",
    "auszubildende": "Auszubildende",
    "neueinstellungen": "Neueinstellungen",
    "ehrenamtliche": "Ehrenamtliche",
    "mso_registriert": "Migrantenselbstorganisationen, registriert",
    "mso_gefoerdert": "Migrantenselbstorganisationen, gefördert",
    "unbefristet": "unbefristeter Aufenthaltstitel",
    "befristet": "befristeter Aufenthaltstitel",
    "eu_freizuegigkeit": "EU-Freizügigkeit",
    "schutz": "Schutzberechtigte (humanitärer Titel)",
    "unter 4": "unter 4 Jahre Aufenthalt",
    "4 bis unter 8": "4 bis unter 8 Jahre Aufenthalt",
    "8 bis unter 10": "8 bis unter 10 Jahre Aufenthalt",
    "10 und mehr": "10 und mehr Jahre Aufenthalt",
    "primar": "Primarstufe",
    "sek1": "Sekundarstufe I",
    "sek2": "Sekundarstufe II / Berufskolleg",
    "allgemein": "allgemeiner Integrationskurs",
    "jugend": "Jugendintegrationskurs",
    "eltern_frauen": "Eltern- und Frauenintegrationskurs",
    "alphabetisierung": "Alphabetisierungskurs",
}

#: Headline indicators of the overview, one or two per field.
HEADLINE = [
    "DEM-01",
    "DEM-02",
    "DEM-03",
    "REC-03",
    "FLU-01",
    "FLU-02",
    "KITA-01",
    "KITA-02",
    "SPR-01",
    "SCH-02",
    "SCH-03",
    "ARB-01",
    "ARB-02",
    "SOZ-01",
    "WOH-01",
    "IKO-01",
]


def group_label(group: str) -> str:
    """German label of a comparison group code."""
    if "-" in group and group not in GROUP_LABELS:
        a, b = group.split("-", 1)
        return f"Abstand {group_label(a)} zu {group_label(b)}"
    return GROUP_LABELS.get(group, group)


def _stamp(data: str | None) -> tuple:
    """What identifies the state of a store: its periods and the indicator table's mtime."""
    path = store.data_dir(data) / "indicators.parquet"
    return (tuple(store.periods(data)), path.stat().st_mtime_ns if path.is_file() else 0)


@lru_cache(maxsize=4)
def _tables(data_dir: str, stamp: tuple) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The raw and the publishable indicator table of a store (cached per process).

    Report workers keep their kernel between notebooks, so the (costly) secondary
    suppression runs once per worker and store state, not once per page.
    """
    raw = indicators_table(data=data_dir)
    return raw, publishable(raw)


def published_indicators(data_dir: str = "") -> pd.DataFrame:
    """The disclosure-controlled indicator table of all periods of a store (cached).

    Every page must take its indicator values from this one table: suppression looks at
    the whole table (city, districts, breakdowns), so suppressing a part of it separately
    could publish a cell that the whole-table suppression hides.
    """
    data = data_dir or None
    return _tables(str(store.data_dir(data)), _stamp(data))[1]


@dataclass
class Chapter:
    """The data of one report page: period, optional district and the indicator table.

    Parameters
    ----------
    period:
        The reporting year of the page, e.g. ``"2017"``.
    data_dir:
        The processed store; ``""`` for the default.
    district:
        A Stadtbezirk code for district profiles, else ``""``.
    """

    period: str
    data_dir: str = ""
    district: str = ""

    def __post_init__(self) -> None:
        self.period = str(Period.parse(self.period))
        if self.district and self.district not in STADTBEZIRKE:
            raise ValueError(f"unbekannter Stadtbezirk {self.district!r}")

    # ----------------------------------------------------------------------- data
    @property
    def data(self) -> str | None:
        """The store folder (``None`` for the default)."""
        return self.data_dir or None

    @cached_property
    def catalogue(self) -> Catalogue:
        """The indicator catalogue."""
        return load_catalogue()

    @cached_property
    def periods(self) -> list[str]:
        """The periods of the store up to and including this page's period."""
        return [p for p in store.periods(self.data) if p <= self.period]

    @cached_property
    def raw_table(self) -> pd.DataFrame:
        """The indicator table up to this period WITHOUT disclosure control (internal)."""
        raw, _ = _tables(str(store.data_dir(self.data)), _stamp(self.data))
        return raw[raw["period"].isin(self.periods)]

    @cached_property
    def table(self) -> pd.DataFrame:
        """Publishable indicator table (disclosure control applied) up to this period.

        Disclosure control works period by period (every additivity line lies within one
        period), so the suppressed table of all periods, computed once per process and
        store, is simply cut to the periods of this page.
        """
        _, published = _tables(str(store.data_dir(self.data)), _stamp(self.data))
        return published[published["period"].isin(self.periods)]

    @cached_property
    def targets(self) -> pd.DataFrame:
        """Targets (illustrative in the demo configuration)."""
        return targets(catalogue=self.catalogue)

    @property
    def area_code(self) -> str:
        """The area of this page: the district or the city."""
        return self.district or CITY_CODE

    @property
    def area_name(self) -> str:
        """German name of the page's area."""
        return f"Stadtbezirk {STADTBEZIRKE[self.district]}" if self.district else "Stadt Bielefeld"

    def rows(
        self,
        indicator: str,
        *,
        area_code: str | None = None,
        group: str | None = TOTAL,
        breakdown: str = TOTAL,
        period: str | None = None,
    ) -> pd.DataFrame:
        """Rows of one indicator (all periods unless ``period``), filtered."""
        df = self.table
        mask = (df["indicator"] == indicator) & (df["breakdown"] == breakdown)
        mask &= df["area_code"] == (area_code or self.area_code)
        if group is not None:
            mask &= df["group"] == group
        if period is not None:
            mask &= df["period"] == period
        return df[mask]

    def value(
        self,
        indicator: str,
        *,
        group: str = TOTAL,
        period: str | None = None,
        area_code: str | None = None,
    ) -> tuple[float, str, str]:
        """``(value, symbol, unit)`` of one cell; NaN and ``"..."`` when not delivered."""
        r = self.rows(indicator, group=group, period=period or self.period, area_code=area_code)
        if r.empty:
            unit = self.catalogue[indicator].unit if indicator in self.catalogue else ""
            return float("nan"), "...", unit
        row = r.iloc[0]
        return float(row["value"]), str(row["symbol"]), str(row["unit"])

    def fmt(
        self,
        indicator: str,
        *,
        group: str = TOTAL,
        period: str | None = None,
        area_code: str | None = None,
    ) -> str:
        """One cell formatted in German (symbols passed through)."""
        value, symbol, unit = self.value(indicator, group=group, period=period, area_code=area_code)
        return fmt_value(value, unit, symbol)

    def headline_group(self, indicator: str) -> str:
        """The group shown when an indicator appears as one number.

        The group of its target where one is set, else the total, else the first group.
        """
        t = self.targets
        if not t.empty and (t["indicator"] == indicator).any():
            return str(t.loc[t["indicator"] == indicator, "group"].iloc[0])
        groups = self.table.loc[self.table["indicator"] == indicator, "group"].unique()
        return TOTAL if TOTAL in groups or len(groups) == 0 else str(groups[0])

    # ----------------------------------------------------------------------- dashboard
    def _headline(self, ids: Sequence[str]):
        """For each known indicator: (indicator, title, value, symbol, unit, before, bsym)."""
        prev = str(Period.parse(self.period).previous)
        for ind_id in ids:
            if ind_id not in self.catalogue:
                continue
            ind = self.catalogue[ind_id]
            g = self.headline_group(ind_id)
            value, symbol, unit = self.value(ind_id, group=g)
            before, bsym, _ = self.value(ind_id, group=g, period=prev)
            title = ind.title + ("" if g == TOTAL else f" ({group_label(g)})")
            yield ind, g, title, value, symbol, unit, before, bsym

    def dashboard(self, ids: Sequence[str] = HEADLINE) -> pd.DataFrame:
        """Value, change to the previous period and target status of each indicator.

        Returns a frame of German text cells: Indikator, Titel, Wert, Vorjahr, Veränderung,
        Ziel.
        """
        rows = [
            {
                "Indikator": ind.id,
                "Titel": title,
                "Wert": fmt_value(value, unit, symbol),
                "Vorjahr": fmt_value(before, unit, bsym),
                "Veränderung": self._change_text(value, before, unit, symbol or bsym),
                "Ziel": self._target_text(ind.id, g, value),
            }
            for ind, g, title, value, symbol, unit, before, bsym in self._headline(ids)
        ]
        return pd.DataFrame(rows)

    @staticmethod
    def _change_text(value: float, before: float, unit: str, symbol: str) -> str:
        if symbol or is_missing(value) or is_missing(before):
            return "x"
        diff = value - before
        if unit == "%":
            return fmt_pp(diff)
        if unit not in ("Personen", "Anzahl"):
            decimals = 2 if abs(value) < 10 else 1
            return ("+" if diff > 0 else "") + fmt_number(diff, decimals)
        pct = 100 * diff / before if before else float("nan")
        sign = "+" if diff > 0 else ""
        tail = "" if is_missing(pct) else f" ({sign}{fmt_number(pct, 1)} %)"
        return f"{sign}{fmt_number(diff)}{tail}"

    def _target_text(self, ind_id: str, group: str, value: float) -> str:
        t = self.targets
        if t.empty:
            return ""
        hit = t[(t["indicator"] == ind_id) & (t["group"].isin([group, TOTAL]))]
        if hit.empty:
            return ""
        row = hit.iloc[0]
        polarity = self.catalogue[ind_id].polarity
        target = float(row["value"])
        unit = self.catalogue[ind_id].unit
        text = f"{fmt_value(target, unit)} bis {int(row['year'])}"
        if not is_missing(value):
            reached = value <= target if polarity == LOWER_IS_BETTER else value >= target
            text += " – erreicht" if reached else " – noch nicht erreicht"
        if bool(row.get("illustrative", False)):
            text += " (illustrativ)"
        return text

    def show_dashboard(self, ids: Sequence[str] = HEADLINE, *, caption: str, name: str) -> None:
        """Display :meth:`dashboard` as a table with CSV download."""
        self.show_table_of(self.dashboard(ids), caption=caption, name=name)

    # ----------------------------------------------------------------------- sentences
    def summary(self, ids: Sequence[str] = HEADLINE) -> list[str]:
        """Short German sentences on what rose and what fell since the previous period."""
        out = []
        for _ind, _g, title, value, symbol, unit, before, bsym in self._headline(ids):
            if symbol or bsym or is_missing(value) or is_missing(before):
                continue
            now, then = fmt_value(value, unit), fmt_value(before, unit)
            if now == then:
                out.append(f"{title}: nahezu unverändert bei {now}.")
                continue
            verb = "stieg" if value > before else "sank"
            out.append(
                f"{title} {verb} von {then} auf {now} "
                f"({self._change_text(value, before, unit, '')})."
            )
        return out

    def show_summary(self, ids: Sequence[str] = HEADLINE) -> None:
        """Display :meth:`summary` as a Markdown list."""
        from IPython.display import Markdown, display

        lines = self.summary(ids)
        if not lines:
            display(Markdown("*Für den Vergleich mit dem Vorjahr liegen keine Daten vor.*"))
            return
        display(Markdown("\n".join(f"- {s}" for s in lines)))

    def refugee_key_figures(self) -> str:
        """The key figures of the implementation report for this period, as German text.

        Persons in the asylum procedure, in a follow-up procedure and with a Duldung at
        31.12., refugees assigned and family-reunification arrivals in the year with the
        share of minors (the figures the 2016–2017 report named).
        """
        asyl = self.fmt("FLU-01", group="asylverfahren")
        folge = self.fmt("FLU-01", group="folgeverfahren")
        duldung = self.fmt("FLU-01", group="duldung")
        assigned = self.fmt("FLU-05", group="zuweisung")
        family = self.fmt("FLU-05", group="familiennachzug")
        minors = self.fmt("FLU-02")
        return (
            f"Zum 31.12.{self.period} befanden sich {asyl} Personen im laufenden Asylverfahren "
            f"und {folge} im Folgeverfahren; {duldung} Personen hatten eine Duldung. "
            f"Im Jahr {self.period} wurden der Stadt {assigned} Geflüchtete zugewiesen, und "
            f"{family} Personen kamen über den Familiennachzug – davon {minors} minderjährig."
        )

    def show_text(self, text: str) -> None:
        """Display German Markdown text (for generated sentences)."""
        from IPython.display import Markdown, display

        display(Markdown(text))

    def describe(self, ind_id: str) -> str:
        """One Markdown paragraph: definition, source, reference date of an indicator."""
        ind = self.catalogue[ind_id]
        ref = (
            f" Entspricht im Länder-Monitoring: {ind.reference.rstrip('.')}."
            if ind.reference
            else ""
        )
        return (
            f"**{ind.id} {ind.title}.** {ind.definition} Quelle: {ind.source}; "
            f"Stichtag: {ind.reference_date.rstrip('.')}.{ref}"
        )

    def show_description(self, ids: Sequence[str]) -> None:
        """Display the definitions of several indicators."""
        self.show_text("\n\n".join(self.describe(i) for i in ids if i in self.catalogue))

    # ----------------------------------------------------------------------- charts
    def reference_date(self, ind_id: str) -> str:
        """The reference date of an indicator in this period, e.g. ``"31.12.2017"``."""
        ref = self.catalogue[ind_id].reference_date.split(" ")[0]
        return f"{ref}{self.period}" if ref.endswith(".") else f"{ref} {self.period}"

    def _source(self, ind_id: str) -> str:
        return self.catalogue[ind_id].source.split(";")[0]

    def trend_data(self, ind_id: str, groups: Sequence[str] | None = None) -> pd.DataFrame:
        """Values of an indicator per period (rows) and group (columns) for the page's area."""
        df = self.rows(ind_id, group=None)
        if groups:
            df = df[df["group"].isin(groups)]
        wide = df.pivot_table(
            index="period", columns="group", values="value", aggfunc="first", sort=True
        )
        order = [g for g in (groups or df["group"].unique()) if g in wide.columns]
        wide = wide[order].rename(columns=group_label)
        wide.index.name = "Jahr"
        return wide

    def show_trend(
        self, ind_id: str, *, groups: Sequence[str] | None = None, title: str, name: str
    ) -> None:
        """Line chart of an indicator over the periods, one line per group."""
        from bielefeld_integration.present.charts import format_axis, new_chart, subtitle
        from bielefeld_integration.present.display import show_chart

        ind = self.catalogue[ind_id]
        data = self.trend_data(ind_id, groups)
        sub = subtitle(
            f"{ind.title} in {ind.unit}",
            self.area_name,
            f"{data.index[0]}–{data.index[-1]}" if len(data) else self.period,
            self._source(ind_id),
        )
        fig, ax = new_chart(title, sub)
        for col in data.columns:
            ax.plot(data.index, data[col], marker="o", label=col)
        decimals = 0 if ind.unit in ("Personen", "Anzahl") else 1
        format_axis(ax, "y", decimals=decimals)
        if len(data.columns) > 1:
            ax.legend(frameon=False)
        last = data.iloc[-1] if len(data) else pd.Series(dtype=float)
        parts = [f"{c} {fmt_value(v, ind.unit)}" for c, v in last.items()]
        alt = (
            f"Liniendiagramm: {ind.title}, {self.area_name}, "
            f"{', '.join(data.index)}. Zuletzt ({data.index[-1] if len(data) else ''}): "
            f"{'; '.join(parts)}."
        )
        show_chart(fig, alt=alt, data=data, name=name)

    def district_data(self, ind_id: str, group: str = TOTAL) -> pd.DataFrame:
        """Values of an indicator per Stadtbezirk for the page's period, with the city value."""
        df = self.table
        d = df[
            (df["indicator"] == ind_id)
            & (df["period"] == self.period)
            & (df["group"] == group)
            & (df["breakdown"] == TOTAL)
            & (df["area_level"] == "stadtbezirk")
        ]
        out = pd.DataFrame(
            {
                "Stadtbezirk": [STADTBEZIRKE[c] for c in d["area_code"]],
                "Schlüssel": d["area_code"].to_numpy(),
                "Wert": d["value"].to_numpy(),
                "Zeichen": d["symbol"].to_numpy(),
            }
        ).sort_values("Schlüssel", ignore_index=True)
        return out

    def show_districts(self, ind_id: str, *, group: str = TOTAL, title: str, name: str) -> None:
        """Horizontal bar chart per Stadtbezirk with the city value as a line."""
        from bielefeld_integration.present.charts import PALETTE, format_axis, new_chart, subtitle
        from bielefeld_integration.present.display import show_chart

        ind = self.catalogue[ind_id]
        data = self.district_data(ind_id, group)
        city, _, _ = self.value(ind_id, group=group, area_code=CITY_CODE)
        sub = subtitle(
            f"{ind.title} in {ind.unit}" + ("" if group == TOTAL else f", {group_label(group)}"),
            "Stadtbezirke",
            self.reference_date(ind_id),
            self._source(ind_id),
        )
        fig, ax = new_chart(title, sub, figsize=(8, 5))
        ordered = data.iloc[::-1]
        colors = [PALETTE[1] if c == self.district else PALETTE[0] for c in ordered["Schlüssel"]]
        ax.barh(ordered["Stadtbezirk"], ordered["Wert"].fillna(0), color=colors)
        if not is_missing(city):
            ax.axvline(city, color="#333333", linewidth=1, linestyle="--")
            ax.text(
                city,
                len(ordered) - 0.4,
                f" Stadt: {fmt_value(city, ind.unit)}",
                fontsize=9,
                va="bottom",
            )
        format_axis(ax, "x", decimals=0 if ind.unit in ("Personen", "Anzahl") else 1)
        valid = data.dropna(subset=["Wert"])
        if len(valid):
            hi, lo = valid.loc[valid["Wert"].idxmax()], valid.loc[valid["Wert"].idxmin()]
            extremes = (
                f"Höchster Wert in {hi['Stadtbezirk']} ({fmt_value(hi['Wert'], ind.unit)}), "
                f"niedrigster in {lo['Stadtbezirk']} ({fmt_value(lo['Wert'], ind.unit)})"
            )
        else:
            extremes = "Keine veröffentlichbaren Werte"
        alt = (
            f"Balkendiagramm: {ind.title} je Stadtbezirk {self.period}. {extremes}; "
            f"Stadt insgesamt {fmt_value(city, ind.unit)}."
        )
        table = data.assign(
            Wert=[np.nan if s else v for v, s in zip(data["Wert"], data["Zeichen"], strict=True)]
        )
        show_chart(fig, alt=alt, data=table.set_index("Schlüssel"), name=name)

    # ----------------------------------------------------------------------- tables
    def group_table(self, ids: Sequence[str], *, area_code: str | None = None) -> pd.DataFrame:
        """Indicators by comparison group for the page's period, formatted in German.

        Indicators that share the same groups (e.g. insgesamt / Deutsche / Ausländer) are
        shown side by side, one column per group; otherwise one row per indicator and group
        with the values of this and the previous period.
        """
        prev = str(Period.parse(self.period).previous)
        parts = []
        for ind_id in ids:
            if ind_id not in self.catalogue:
                continue
            r = self.rows(ind_id, group=None, period=self.period, area_code=area_code)
            parts.append((self.catalogue[ind_id], self._protect_total(ind_id, r)))
        group_sets = {frozenset(r["group"]) for _, r in parts}
        if len(group_sets) == 1:
            rows = []
            for ind, r in parts:
                row = {"Indikator": f"{ind.id} {ind.title}", "Einheit": ind.unit}
                for g, v, sym in zip(r["group"], r["value"], r["symbol"], strict=True):
                    row[group_label(g)] = fmt_value(v, ind.unit, sym)
                rows.append(row)
            return pd.DataFrame(rows)
        rows = []
        for ind, r in parts:
            for g, v, sym in zip(r["group"], r["value"], r["symbol"], strict=True):
                before, bsym, _ = self.value(ind.id, group=g, period=prev, area_code=area_code)
                rows.append(
                    {
                        "Indikator": f"{ind.id} {ind.title}",
                        "Gruppe": group_label(g),
                        "Einheit": ind.unit,
                        self.period: fmt_value(v, ind.unit, sym),
                        prev: fmt_value(before, ind.unit, bsym),
                    }
                )
        return pd.DataFrame(rows)

    def _protect_total(self, ind_id: str, rows: pd.DataFrame) -> pd.DataFrame:
        """Secondary suppression for counts published beside their total.

        When a count indicator shows its groups and their total ("insgesamt") in one line,
        a single suppressed group could be recomputed by subtraction; the cells to hide
        are chosen by :func:`bielefeld_integration.disclosure.suppress_table` on the
        unsuppressed counts.
        """
        if self.catalogue[ind_id].kind != "count" or TOTAL not in set(rows["group"]):
            return rows
        if not (rows["symbol"] == ".").any():
            return rows
        raw = self.raw_table.loc[rows.index]
        line = pd.DataFrame([raw["value"].to_numpy()], columns=raw["group"].to_list())
        result = suppress_table(line.fillna(0), col_total=TOTAL)
        out = rows.copy()
        hidden = result.symbols.iloc[0].to_numpy() == "."
        out.loc[hidden, "value"] = np.nan
        out.loc[hidden, "symbol"] = "."
        return out

    def show_group_table(self, ids: Sequence[str], *, caption: str, name: str) -> None:
        """Display :meth:`group_table`."""
        self.show_table_of(self.group_table(ids), caption=caption, name=name)

    def district_profile(self, ids: Sequence[str] = HEADLINE) -> pd.DataFrame:
        """Key indicators of the page's district beside the city value (formatted)."""
        rows = []
        for ind_id in ids:
            if ind_id not in self.catalogue:
                continue
            g = self.headline_group(ind_id)
            if self.rows(ind_id, group=g, period=self.period).empty:
                continue
            ind = self.catalogue[ind_id]
            rows.append(
                {
                    "Indikator": f"{ind_id} {ind.title}"
                    + ("" if g == TOTAL else f" ({group_label(g)})"),
                    self.area_name: self.fmt(ind_id, group=g),
                    "Stadt Bielefeld": self.fmt(ind_id, group=g, area_code=CITY_CODE),
                }
            )
        return pd.DataFrame(rows)

    def stat_bezirk_table(self, ind_id: str, group: str = TOTAL) -> pd.DataFrame:
        """An indicator for the Statistische Bezirke of the page's district (formatted)."""
        df = self.table
        d = df[
            (df["indicator"] == ind_id)
            & (df["period"] == self.period)
            & (df["group"] == group)
            & (df["breakdown"] == TOTAL)
            & (df["area_level"] == "stat_bezirk")
        ]
        if self.district:
            d = d[d["area_code"].str.startswith(self.district)]
        unit = self.catalogue[ind_id].unit
        return pd.DataFrame(
            {
                "Statistischer Bezirk": [f"{c} {STAT_BEZIRKE[c][0]}" for c in d["area_code"]],
                self.catalogue[ind_id].title: [
                    fmt_value(v, unit, s) for v, s in zip(d["value"], d["symbol"], strict=True)
                ],
            }
        )

    # ----------------------------------------------------------------------- methods
    def catalogue_table(self) -> pd.DataFrame:
        """The catalogue as a German table: id, title, definition, unit, source, reference."""
        rows = [
            {
                "Kennung": ind.id,
                "Titel": ind.title,
                "Handlungsfeld": self.catalogue.handlungsfelder.get(
                    ind.handlungsfeld, ind.handlungsfeld
                ),
                "Definition": ind.definition,
                "Einheit": ind.unit,
                "Vergleichsgruppen": ", ".join(group_label(g) for g in ind.groups.labels)
                if hasattr(ind.groups, "labels")
                else "",
                "Quelle": ind.source,
                "Stichtag": ind.reference_date,
                "Länder-Monitoring/Referenz": ind.reference or "",
                "Mindestnenner": ""
                if ind.min_denominator is None
                else fmt_number(ind.min_denominator),
                "Brüche": ", ".join(str(b) for b in ind.breaks),
            }
            for ind in self.catalogue.values()
        ]
        return pd.DataFrame(rows)

    def provenance_table(self) -> pd.DataFrame:
        """The inputs of this period with origin, reference date and sha256."""
        prov = store.provenance(self.period, self.data)
        return pd.DataFrame(
            [
                {
                    "Datei": i["file"],
                    "Bereich": i["domain"],
                    "Format": i["format"],
                    "Stichtag": fmt_date(i["reference_date"]),
                    "Herkunft": i["origin"],
                    "SHA-256": i["sha256"],
                }
                for i in prov["inputs"]
            ]
        )

    def provenance_note(self) -> str:
        """German sentence on package version and synthetic data."""
        prov = store.provenance(self.period, self.data)
        synthetic = (
            " **Die Eingangsdaten sind synthetische Demodaten, keine amtlichen Zahlen.**"
            if prov.get("synthetic")
            else ""
        )
        return (
            f"Aufbereitet mit bielefeld-integration {prov['package_version']} aus "
            f"{len(prov['inputs'])} Lieferungen.{synthetic}"
        )

    def show_table_of(self, df: pd.DataFrame, *, caption: str, name: str) -> None:
        """Display an already formatted frame with CSV download."""
        from bielefeld_integration.present.display import show_table

        show_table(df, caption=caption, name=name)

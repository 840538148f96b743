"""The overview of a period: indicator dashboard, change sentences, key figures, definitions.

Every value is named with its one label (:func:`.labels.indicator_label`: indicator and
group) and shown with its unit; sentences come from :mod:`.sentences`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pandas as pd

from bielefeld_integration import symbols
from bielefeld_integration.indicators.catalogue import Indicator
from bielefeld_integration.present.chapter_data import ChapterData
from bielefeld_integration.present.display import show_table
from bielefeld_integration.present.format import (
    display_unit,
    fmt_number,
    fmt_pp,
    fmt_quantity,
    fmt_value,
    is_missing,
    unit_decimals,
)
from bielefeld_integration.present.labels import TOTAL, indicator_label
from bielefeld_integration.present.sentences import change_sentence

LOWER_IS_BETTER = "higher_worse"

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

Headline = tuple[Indicator, str, float, str, float, str]


def change_text(value: float, before: float, unit: str, symbol: str = "") -> str:
    """The change to the previous period as table text: ``+0,7 Prozentpunkte``, ``+300 (+9,4 %)``.

    ``x`` (not meaningful) when one of the values is missing or hidden.
    """
    if symbol or is_missing(value) or is_missing(before):
        return symbols.sign(symbols.NOT_MEANINGFUL)
    diff = value - before
    shown = display_unit(unit)
    if shown in ("%", "Prozentpunkte"):
        return fmt_pp(diff)
    if shown not in ("Personen", "Anzahl"):
        text = fmt_number(diff, unit_decimals(unit))
        return ("+" if diff > 0 and not text.strip("0,") == "" else "") + text
    pct = 100 * diff / before if before else float("nan")
    sign = "+" if diff > 0 else ""
    tail = "" if is_missing(pct) else f" ({sign}{fmt_number(pct, 1)} %)"
    return f"{sign}{fmt_number(diff)}{tail}"


class DashboardViews(ChapterData):
    """Overview methods of :class:`~bielefeld_integration.present.views.Chapter`."""

    def _headline(self, ids: Sequence[str]) -> Iterator[Headline]:
        """For each known indicator: (indicator, group, value, symbol, before, bsym)."""
        for ind_id in ids:
            if ind_id not in self.catalogue:
                continue
            ind = self.catalogue[ind_id]
            g = self.headline_group(ind_id)
            value, symbol, _ = self.value(ind_id, group=g)
            before, bsym, _ = self.value(ind_id, group=g, period=self.previous)
            yield ind, g, value, symbol, before, bsym

    def dashboard(self, ids: Sequence[str] = HEADLINE) -> pd.DataFrame:
        """Value, change to the previous period and target status of each indicator.

        Returns a frame of German text cells: Kennung, Indikator (with group), Einheit,
        the period, the previous period, Veränderung, Ziel.
        """
        rows = [
            {
                "Kennung": ind.id,
                "Indikator": indicator_label(ind, g),
                "Einheit": self.unit(ind.id),
                self.period: fmt_value(value, ind.unit, symbol),
                self.previous: fmt_value(before, ind.unit, bsym),
                "Veränderung": change_text(value, before, ind.unit, symbol or bsym),
                "Ziel": self._target_text(ind.id, g, value),
            }
            for ind, g, value, symbol, before, bsym in self._headline(ids)
        ]
        return pd.DataFrame(rows)

    def dashboard_data(self, ids: Sequence[str] = HEADLINE) -> pd.DataFrame:
        """The dashboard's values for the CSV download (numbers, units and signs apart)."""
        parts = []
        for ind, g, *_ in self._headline(ids):
            rows = self.rows(ind.id, group=g)
            parts.append(rows[rows["period"].isin([self.period, self.previous])])
        if not parts:
            return self.download_frame(self.empty_rows())
        return self.download_frame(pd.concat(parts), self.area_name)

    def _target_text(self, ind_id: str, group: str, value: float) -> str:
        t = self.targets
        if t.empty:
            return ""
        hit = t[(t["indicator"] == ind_id) & (t["group"] == group)]
        if hit.empty:
            return ""
        row = hit.iloc[0]
        polarity = self.catalogue[ind_id].polarity
        target = float(row["value"])
        unit = self.catalogue[ind_id].unit
        text = f"{fmt_quantity(target, unit)} bis {int(row['year'])}"
        if not is_missing(value):
            reached = value <= target if polarity == LOWER_IS_BETTER else value >= target
            text += " – erreicht" if reached else " – noch nicht erreicht"
        if bool(row.get("illustrative", False)):
            text += " (illustrativ)"
        return text

    def show_dashboard(self, ids: Sequence[str] = HEADLINE, *, caption: str, name: str) -> None:
        """Display :meth:`dashboard` as a table with CSV download."""
        show_table(self.dashboard(ids), caption=caption, name=name, data=self.dashboard_data(ids))

    # ----------------------------------------------------------------------- sentences
    def summary(self, ids: Sequence[str] = HEADLINE) -> list[str]:
        """German sentences on what rose and what fell since the previous period."""
        out = []
        for ind, g, value, symbol, before, bsym in self._headline(ids):
            if symbol or bsym or is_missing(value) or is_missing(before):
                continue
            out.append(change_sentence(ind, g, value, before, self.period, self.previous))
        return out

    def show_summary(self, ids: Sequence[str] = HEADLINE) -> None:
        """Display :meth:`summary` as a Markdown list."""
        lines = self.summary(ids)
        if not lines:
            self.show_text("*Für den Vergleich mit dem Vorjahr liegen keine Daten vor.*")
            return
        self.show_text("\n".join(f"- {s}" for s in lines))

    def refugee_key_figures(self) -> str:
        """The key figures of the implementation report for this period, as German text.

        Persons in the asylum procedure, in a follow-up procedure and with a Duldung at
        31.12., refugees assigned and family-reunification arrivals in the year with the
        share of minors (the figures the 2016–2017 report named). A figure hidden by a
        table symbol is named as not published.
        """

        period = self.period

        def shown(ind: str, group: str = TOTAL) -> tuple[float, str] | None:
            value, symbol, _ = self.value(ind, group=group)
            if symbol and symbol != symbols.ZERO:
                return None
            return (0.0 if symbol else value), symbol

        def hidden(what: str, ind: str, group: str = TOTAL) -> str:
            _, symbol, _ = self.value(ind, group=group)
            return f"{what} ist nicht veröffentlicht ({symbols.sign(symbol)})."

        sentences = []
        stocks = [
            (
                "asylverfahren",
                "im laufenden Asylverfahren",
                "Die Zahl der Personen im Asylverfahren",
            ),
            ("folgeverfahren", "im Folgeverfahren", "Die Zahl der Personen im Folgeverfahren"),
            ("duldung", "mit Duldung", "Die Zahl der Personen mit Duldung"),
        ]
        known = [(g, where) for g, where, _ in stocks if shown("FLU-01", g) is not None]
        if known:
            parts = [
                f"{fmt_quantity(self.value('FLU-01', group=g)[0], 'Personen')} {where}"
                for g, where in known
            ]
            listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " und " + parts[-1]
            verb = "war" if len(parts) == 1 and parts[0].startswith("1 Person ") else "waren"
            sentences.append(f"Am 31.12.{period} {verb} in Bielefeld {listed} gemeldet.")
        sentences += [
            hidden(what, "FLU-01", g) for g, where, what in stocks if (g, where) not in known
        ]

        assigned = shown("FLU-05", "zuweisung")
        if assigned is None:
            sentences.append(
                hidden(
                    f"Die Zahl der im Jahr {period} zugewiesenen Geflüchteten",
                    "FLU-05",
                    "zuweisung",
                )
            )
        else:
            text = fmt_quantity(assigned[0], "Personen")
            verb = "wurde" if text == "1 Person" else "wurden"
            sentences.append(
                f"Im Jahr {period} {verb} der Stadt {text} als Geflüchtete zugewiesen."
            )

        family = shown("FLU-05", "familiennachzug")
        if family is None:
            sentences.append(
                hidden(
                    f"Die Zahl der Zuzüge im Familiennachzug {period}", "FLU-05", "familiennachzug"
                )
            )
        else:
            text = fmt_quantity(family[0], "Personen")
            verb = "kam" if text == "1 Person" else "kamen"
            sentences.append(f"Über den Familiennachzug {verb} {text}.")
        minors = shown("FLU-02")
        if minors is None:
            sentences.append(hidden("Der Anteil der Minderjährigen am Familiennachzug", "FLU-02"))
        else:
            sentences.append(
                f"Der Anteil der Minderjährigen am Familiennachzug betrug "
                f"{fmt_quantity(minors[0], '%')}."
            )
        return " ".join(sentences)

    def show_text(self, text: str) -> None:
        """Display German Markdown text (for generated sentences)."""
        from IPython.display import Markdown, display

        display(Markdown(text))

    def describe(self, ind_id: str) -> str:
        """One Markdown paragraph: definition, unit, source, reference date of an indicator."""
        ind = self.catalogue[ind_id]
        ref = (
            f" Entspricht im Länder-Monitoring: {ind.reference.rstrip('.')}."
            if ind.reference
            else ""
        )
        return (
            f"**{ind.id} {ind.title}.** {ind.definition} Einheit: {self.unit(ind_id)}. "
            f"Quelle: {ind.source}; Stichtag: {ind.reference_date.rstrip('.')}.{ref}"
        )

    def show_description(self, ids: Sequence[str]) -> None:
        """Display the definitions of several indicators."""
        self.show_text("\n\n".join(self.describe(i) for i in ids if i in self.catalogue))


__all__ = ["HEADLINE", "DashboardViews", "change_text"]

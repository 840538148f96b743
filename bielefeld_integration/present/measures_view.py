"""The chapter view of "Umsetzung der Maßnahmen": one object, one ``show_*`` call per section.

The chapter notebook ``08_massnahmen.ipynb`` creates a :class:`MeasuresChapter` from its
parameters and calls its ``show_*`` methods; it computes nothing itself::

    mc = MeasuresChapter(period, data_dir)
    mc.show_summary()

Every section writes its own heading, so a period without register shows only the notice
of :meth:`MeasuresChapter.show_notice`. Participant counts come from the published
register (:func:`bielefeld_integration.measures.publish.publish_register`); indicator values
only from the published (suppressed) indicator table that every page uses, in the group the
overview shows for the indicator, and labelled with it.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd
from IPython.display import Markdown, display

from bielefeld_integration import measures as m
from bielefeld_integration import store
from bielefeld_integration.indicators.catalogue import Catalogue, load_catalogue
from bielefeld_integration.measures import links
from bielefeld_integration.measures.publish import publish_register
from bielefeld_integration.periods import Period
from bielefeld_integration.present import measures_tables as mt
from bielefeld_integration.present.display import show_chart, show_table
from bielefeld_integration.present.format import fmt_number
from bielefeld_integration.present.measures_indicators import (
    indicator_changes_data,
    indicator_changes_table,
    sex_data,
    sex_table,
)
from bielefeld_integration.present.views import Chapter

#: Note on disclosure control printed under the key figures.
DISCLOSURE_NOTE = (
    "Teilnehmendenzahlen unter 3 werden nicht veröffentlicht; sie stehen wie unbekannte "
    "Angaben als „.“. Summen enthalten nur veröffentlichte Angaben. Budgets unterliegen "
    "keiner Geheimhaltung."
)


# --------------------------------------------------------------------------- chapter


class MeasuresChapter:
    """The chapter "Umsetzung der Maßnahmen" of one reporting year.

    Parameters
    ----------
    period : str
        The reporting year, e.g. ``"2017"``.
    data_dir : str, default ""
        The processed store; ``""`` for the default.
    """

    def __init__(self, period: str, data_dir: str = "") -> None:
        self.period = str(Period.parse(period))
        self.previous_period = str(Period.parse(period).previous)
        self.data_dir = str(data_dir).strip()

    # ----------------------------------------------------------------------- data
    @property
    def data(self) -> str | None:
        """The store folder (``None`` for the default)."""
        return self.data_dir or None

    def _stored_register(self, period: str) -> pd.DataFrame | None:
        if period not in store.periods(self.data, upto=period) or not store.has_table(
            "measures", period, self.data
        ):
            return None
        table = store.load("measures", period, self.data)
        return table.drop(columns="reference_date", errors="ignore")

    @cached_property
    def register(self) -> pd.DataFrame | None:
        """The register of this period from the store (internal: true counts)."""
        return self._stored_register(self.period)

    @cached_property
    def previous(self) -> pd.DataFrame | None:
        """The register of the previous period, ``None`` if there is none."""
        return self._stored_register(self.previous_period)

    @cached_property
    def published(self) -> pd.DataFrame:
        """The register for publication (small participant counts suppressed)."""
        return publish_register(self.register).register

    @cached_property
    def register_periods(self) -> list[str]:
        """The reporting years of the store that have a register (later ones included)."""
        return [p for p in store.periods(self.data) if store.has_table("measures", p, self.data)]

    @cached_property
    def summary(self) -> m.PeriodSummary:
        """The period summary of the register."""
        return m.period_summary(self.register)

    @cached_property
    def new_ids(self) -> list[str]:
        """Ids of the new measures of this period."""
        return m.new_measure_ids(self.register, self.previous, self.period)

    @cached_property
    def changes(self) -> pd.DataFrame | None:
        """Changes against the previous register (``None`` without previous register)."""
        if self.previous is None:
            return None
        return m.changes(self.published, publish_register(self.previous).register)

    @cached_property
    def catalogue(self) -> Catalogue:
        """The indicator catalogue."""
        return load_catalogue()

    @cached_property
    def titles(self) -> dict[str, str]:
        """Indicator id -> title in the catalogue."""
        return links.indicator_titles()

    @cached_property
    def chapter(self) -> Chapter:
        """The indicator view of this period: published values and headline groups."""
        return Chapter(self.period, self.data_dir)

    @cached_property
    def indicator_changes(self) -> pd.DataFrame:
        """Each measure's indicators, in the group the overview shows, from published values."""
        chapter = self.chapter
        linked = [i for v in self.register["indicators"] for i in m.split_list(v)]
        view = m.indicator_view(self.register, chapter.indicators_table(linked), period=self.period)
        if view.empty or "group" not in view.columns:
            return view.reset_index(drop=True)
        wanted = {i: chapter.headline_group(i) for i in view["indicator"].unique()}
        shown = view["group"].isna() | (view["group"] == view["indicator"].map(wanted))
        view = view[shown].drop_duplicates(["measure_id", "indicator"])
        return view.reset_index(drop=True)

    @cached_property
    def goal4_measures(self) -> pd.DataFrame:
        """The measures that serve focus goal 4 (women and girls, gender equality)."""
        reg = self.register
        return reg[reg["goals"].map(lambda v: 4 in m.split_goals(v))].reset_index(drop=True)

    @cached_property
    def goal4_by_sex(self) -> pd.DataFrame:
        """The indicators of the goal-4 measures for women and men (published values)."""
        ids = [i for v in self.goal4_measures["indicators"] for i in m.split_list(v)]
        return m.by_sex(self.chapter.indicators_table(ids), ids, period=self.period)

    # ----------------------------------------------------------------------- display
    @staticmethod
    def _markdown(text: str) -> None:
        display(Markdown(text))

    def show_notice(self) -> None:
        """For a period without register: say so, and for which years there is one."""
        if self.register is not None:
            return
        known = ", ".join(self.register_periods) or "keines"
        self._markdown(
            f"Für das Berichtsjahr {self.period} liegt kein Maßnahmenregister vor. Register "
            f"gibt es für die Berichtsjahre: {known}. Dieses Kapitel enthält deshalb keine "
            "Tabellen."
        )

    def show_summary(self) -> None:
        """The period summary in the terms of the implementation report."""
        if self.register is None:
            return
        n_new = len(self.new_ids) if self.previous is not None else None
        text = mt.summary_text(self.summary, self.period, n_new, self.previous_period)
        self._markdown(f"## Zusammenfassung {self.period}\n\n{text}")

    def show_goals(self) -> None:
        """The four focus goals written out, with their number of measures."""
        if self.register is None:
            return
        self._markdown(
            "## Die vier Schwerpunktziele\n\nDas Konzept „Diversität, Partizipation und "
            "Integration“ verfolgt vier Schwerpunktziele. Jede Maßnahme dient einem oder "
            "mehreren davon und wird bei jedem dieser Ziele gezählt.\n\n"
            + mt.goals_markdown(self.register)
        )

    def show_key_figures(self) -> None:
        """Key figures of the register as text and table."""
        if self.register is None:
            return
        data = mt.key_figures_data(self.published, self.summary, len(self.new_ids))
        self._markdown("## Kennzahlen")
        show_table(
            mt.format_key_figures(data),
            caption=f"Kennzahlen des Maßnahmenregisters {self.period}",
            name="kennzahlen",
            data=data,
        )
        self._markdown(DISCLOSURE_NOTE)

    def show_bodies(self) -> None:
        """Measures by kind of body and by responsible body."""
        if self.register is None:
            return
        self._markdown(
            "## Maßnahmen nach verantwortlicher Stelle\n\nDas Register umfasst Angebote "
            "städtischer Ämter und Einrichtungen, der REGE mbH, des Jobcenters und "
            "kommunal geförderte Maßnahmen anderer Träger."
        )
        for level, caption, name in (
            ("body_type", "Maßnahmen nach Art der Stelle", "art-der-stelle"),
            ("body", "Maßnahmen nach verantwortlicher Stelle", "verantwortliche-stelle"),
        ):
            data = mt.bodies_data(self.published, level)
            show_table(
                mt.format_bodies(data),
                caption=f"{caption}, Register {self.period}",
                name=name,
                data=data,
            )

    def show_origin(self) -> None:
        """Measures named in the concept and newly initiated, per Handlungsfeld."""
        if self.register is None:
            return
        s = self.summary
        self._markdown(
            "## Im Konzept benannt oder neu initiiert\n\n"
            f"{mt.measures_verb(s.named_in_concept, 'ist', 'sind')} im Konzept benannt, "
            f"{mt.measures_verb(s.newly_initiated, 'wurde', 'wurden')} seitdem neu initiiert."
        )
        data = mt.origin_data(self.register)
        show_table(
            mt.format_counts(data),
            caption=f"Maßnahmen nach Handlungsfeld und Herkunft, Register {self.period}",
            name="herkunft",
            data=data,
        )

    def show_coverage(self) -> None:
        """Measures per Handlungsfeld and focus goal: heatmap and table."""
        if self.register is None:
            return
        self._markdown(
            "## Handlungsfelder und Schwerpunktziele\n\nEine Maßnahme, die mehreren "
            "Schwerpunktzielen dient, wird bei jedem dieser Ziele gezählt; die Spalte "
            "„Insgesamt“ zählt jede Maßnahme einmal."
        )
        coverage = mt.coverage_data(self.register)
        fig = mt.coverage_chart(coverage, self.summary.as_of)
        show_chart(fig, alt=mt.coverage_alt(coverage), data=coverage, name="abdeckung-grafik")
        show_table(
            mt.format_counts(coverage),
            caption=f"Maßnahmen nach Handlungsfeld und Schwerpunktziel, Register {self.period}",
            name="abdeckung",
            data=coverage,
        )

    def show_new(self) -> None:
        """The new measures of the period."""
        if self.register is None:
            return
        text = mt.new_text(
            len(self.new_ids), self.previous is not None, self.period, self.previous_period
        )
        self._markdown(f"## Neue Maßnahmen\n\n{text}")
        if self.new_ids:
            show_table(
                mt.new_measures_table(self.register, self.new_ids),
                caption=f"Neue Maßnahmen im Register {self.period}",
                name="neue-massnahmen",
            )

    def show_changes(self) -> None:
        """Changes since the previous register (or why there are none)."""
        if self.register is None:
            return
        if self.changes is None:
            self._markdown(
                f"Für {self.previous_period} liegt kein Register vor; Veränderungen gegenüber "
                "dem Vorjahr werden deshalb nicht ausgewiesen."
            )
            return
        counts = mt.change_counts(self.changes)
        text = mt.change_text(counts, self.previous_period)
        self._markdown(f"## Veränderungen seit dem Vorjahr\n\n{text}")
        show_table(
            counts.set_index("Veränderung"),
            caption=f"Maßnahmen {self.period} nach Veränderung gegenüber {self.previous_period}",
            name="veraenderungen",
        )
        show_table(
            mt.status_changes_table(self.changes),
            caption="Maßnahmen mit geändertem Status",
            name="statuswechsel",
        )
        show_table(
            mt.ended_table(self.changes),
            caption="Beendete und nicht mehr geführte Maßnahmen",
            name="beendet",
        )

    def show_gaps(self) -> None:
        """Goals and fields without indicator, and indicators without measure."""
        if self.register is None:
            return
        gaps = m.gaps(m.active(self.register), links.catalogue_ids(), links.catalogue_fields())
        missing = mt.gaps_without_indicator(gaps)
        none = "\n\nKeine: Jedes Ziel und Handlungsfeld mit Maßnahmen hat einen Indikator."
        self._markdown(
            "## Lücken zwischen Maßnahmen und Indikatoren\n\nBetrachtet werden die laufenden "
            "und geplanten Maßnahmen.\n\n### Schwerpunktziele und Handlungsfelder mit "
            "Maßnahmen, aber ohne Indikator" + ("" if len(missing) else none)
        )
        if len(missing):
            show_table(
                missing.assign(Maßnahmen=[mt.count_cell(v) for v in missing["Maßnahmen"]]),
                caption="Schwerpunktziele und Handlungsfelder mit Maßnahmen, aber ohne Indikator",
                name="ohne-indikator",
                data=missing,
            )
        unaddressed = mt.unaddressed_table(gaps, self.titles)
        n = len(unaddressed)
        self._markdown(
            "### Indikatoren, die keine Maßnahme nennt\n\n"
            f"{fmt_number(n)} {'Indikator' if n == 1 else 'Indikatoren'} des Katalogs "
            f"{'wird' if n == 1 else 'werden'} von keiner laufenden oder geplanten Maßnahme "
            "genannt."
        )
        if n:
            show_table(
                unaddressed,
                caption="Indikatoren, die keine Maßnahme nennt",
                name="ohne-massnahme",
            )

    def show_indicators(self) -> None:
        """Each measure's indicators at its start and now, with the caveat."""
        if self.register is None:
            return
        caveat = f"> **Wichtiger Hinweis:** {m.IMPACT_CAVEAT}"
        self._markdown(
            "## Maßnahmen und ihre Indikatoren\n\nJe Maßnahme die Werte der genannten "
            "Indikatoren für die Stadt Bielefeld im Ausgangsjahr (Beginn der Maßnahme oder "
            "erstes Jahr mit Daten) und im Berichtsjahr. Gezeigt wird je Indikator dieselbe "
            "Gruppe wie im Überblick; die Spalte „Gruppe“ nennt sie.\n\n" + caveat
        )
        view = self.indicator_changes
        show_table(
            indicator_changes_table(view, self.catalogue),
            caption=(
                f"Maßnahmen und Entwicklung ihrer Indikatoren bis {self.period} "
                "(keine Wirkungsmessung)"
            ),
            name="indikatoren",
            data=indicator_changes_data(view, self.catalogue),
        )

    def show_women(self) -> None:
        """Focus goal 4: its measures' indicators for women and men."""
        if self.register is None:
            return
        n = len(self.goal4_measures)
        text = (
            f"## Frauen und Mädchen (Schwerpunktziel 4)\n\n"
            f"{mt.measures_verb(n, 'dient', 'dienen')} dem vierten Schwerpunktziel "
            f"„{m.GOALS[4]}“."
        )
        table = self.goal4_by_sex
        if n and len(table):
            text += (
                " Die Tabelle zeigt die Indikatoren, die diese Maßnahmen nennen, für Frauen und "
                "Männer getrennt, soweit die Daten eine Gliederung nach Geschlecht haben."
            )
        elif n:
            text += " Für die Indikatoren dieser Maßnahmen liegen keine Werte nach Geschlecht vor."
        self._markdown(text)
        if n and len(table):
            show_table(
                sex_table(table, self.catalogue),
                caption=f"Indikatoren der Maßnahmen zu Schwerpunktziel 4 nach Geschlecht, "
                f"Stadt Bielefeld {self.period}",
                name="geschlecht",
                data=sex_data(table, self.catalogue, self.period),
            )

    def show_register(self) -> None:
        """The published register as appendix, with CSV and XLSX download."""
        if self.register is None:
            return
        pub = self.published
        self._markdown(
            f"## Anhang: Maßnahmenregister {self.period}\n\nAlle "
            f"{mt.count_text(len(pub), 'Maßnahme', 'Maßnahmen')} des Registers. Die Tabelle "
            "steht als CSV- und als Excel-Datei (im Lieferformat des Registers) zum "
            "Herunterladen bereit; Teilnehmendenzahlen unter 3 sind auch dort gesperrt."
        )
        show_table(
            mt.register_table(pub),
            caption=f"Maßnahmenregister {self.period}",
            name="register",
            data=mt.register_data(pub),
            xlsx=m.register_xlsx(pub),
        )


__all__ = ["MeasuresChapter"]

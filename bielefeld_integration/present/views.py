"""The one presentation API of the chapter notebooks: :class:`Chapter`.

A chapter notebook creates one :class:`Chapter` from its parameters and calls its
``show_*`` methods; every number shown comes from the published (disclosure-controlled)
indicator table, is named with its indicator, group and unit, and is formatted in German.
The methods live in small modules by job:

- :mod:`.chapter_data` — the page's data: published table, cells, labels, CSV rows;
- :mod:`.dashboard` — dashboard, change sentences, key figures, definitions;
- :mod:`.indicator_charts` — trend and Stadtbezirk charts (SVG, headlines from the data);
- :mod:`.tables` — group tables, district profile, Statistische Bezirke, methods tables.

>>> ch = Chapter("2017")  # doctest: +SKIP
>>> ch.show_dashboard(["DEM-02"], caption="Kennzahlen", name="kennzahlen")  # doctest: +SKIP
"""

from __future__ import annotations

from bielefeld_integration.present import arrivals
from bielefeld_integration.present.chapter_data import published_indicators
from bielefeld_integration.present.dashboard import HEADLINE, DashboardViews
from bielefeld_integration.present.indicator_charts import ChartViews
from bielefeld_integration.present.labels import GROUP_LABELS, group_label, indicator_label
from bielefeld_integration.present.tables import TableViews


class Chapter(DashboardViews, ChartViews, TableViews):
    """The data and the presentation methods of one report page.

    Parameters
    ----------
    period:
        The reporting year of the page, e.g. ``"2017"``.
    data_dir:
        The processed store; ``""`` for the default.
    district:
        A Stadtbezirk code for district profiles, else ``""``.
    """

    def show_arrivals_by_nationality(self, channel: str, *, name: str) -> None:
        """Arrivals of one channel by nationality and sex, disclosure-controlled
        (:func:`.arrivals.show_arrivals_by_nationality`): ``"familiennachzug"`` (Irak,
        Syrien) or ``"eu"`` (Polen, Griechenland, Bulgarien)."""
        arrivals.show_arrivals_by_nationality(self.period, channel, name=name, data=self.data)


__all__ = [
    "GROUP_LABELS",
    "HEADLINE",
    "Chapter",
    "group_label",
    "indicator_label",
    "published_indicators",
]

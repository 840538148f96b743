"""The report chapter "Szenarien" as one object with ``show_*`` methods.

The chapter notebook ``notebooks/09_szenarien.ipynb`` creates one :class:`ScenarioChapter`
from its parameters and calls its methods, one per cell; each method displays German
Markdown, a chart (:func:`~bielefeld_integration.present.display.show_chart`) or a table
(:func:`~bielefeld_integration.present.display.show_table`) with its data for download.
The notebook computes nothing itself.

>>> sc = ScenarioChapter("2017", "")  # doctest: +SKIP
>>> sc.show_assumptions()  # doctest: +SKIP
>>> sc.show_needs_table()  # doctest: +SKIP

A page uses only data up to its own period: the projection is made with
``scenario.run(..., up_to=period)`` and the backtest reads no later period.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from bielefeld_integration.periods import Period
from bielefeld_integration.present import scenario_view as view
from bielefeld_integration.present.display import show_chart, show_table
from bielefeld_integration.scenario import ScenarioNotAvailable

#: Shown instead of a chart or table when the scenario cannot be computed for the period.
NOT_AVAILABLE = "*Für dieses Berichtsjahr lässt sich das Szenario nicht rechnen (siehe oben).*"


def show_markdown(text: str) -> None:
    """Display German Markdown text in the notebook."""
    from IPython.display import Markdown, display

    display(Markdown(text))


class ScenarioChapter:
    """The chapter "Szenarien" of one report period.

    Parameters
    ----------
    period:
        The report period, e.g. ``"2017"``; no data of a later period is used.
    data_dir:
        The processed store; empty: the default store.
    scenario:
        A preset name (``"low"``, ``"medium"``, ``"high"``) or the path of a scenario file.
    """

    def __init__(self, period: str, data_dir: str = "", scenario: str = "medium") -> None:
        self.period = str(Period.parse(period))
        self.data_dir = data_dir or None
        self.scenario = scenario

    @cached_property
    def _result(self) -> tuple[pd.DataFrame | None, str]:
        try:
            return view.run_scenario(self.scenario, self.period, self.data_dir), ""
        except ScenarioNotAvailable as exc:
            return None, str(exc)

    @property
    def projection(self) -> pd.DataFrame | None:
        """The projected needs (see :func:`bielefeld_integration.scenario.project`).

        ``None`` if the scenario needs years after the report period (then
        :attr:`unavailable` says why).
        """
        return self._result[0]

    @property
    def unavailable(self) -> str:
        """German reason why the scenario cannot be computed; empty if it can."""
        return self._result[1]

    @cached_property
    def backtest(self) -> pd.DataFrame:
        """The backtest with data up to the report period (may be empty)."""
        return view.run_backtest(self.period, self.data_dir)

    def _df(self) -> pd.DataFrame | None:
        if self.projection is None:
            show_markdown(NOT_AVAILABLE)
        return self.projection

    def show_assumptions(self) -> None:
        """The scenario's title, description, arrivals per year and what the page uses."""
        if self.projection is None:
            show_markdown(self.unavailable)
            return
        show_markdown(view.assumptions_markdown(self.projection))

    def show_key_figures(self) -> None:
        """Key needs of the city in the first and last scenario year, with ranges."""
        if (df := self._df()) is not None:
            show_markdown(view.headline_markdown(df))

    def show_city_chart(self) -> None:
        """Small multiples of the city's needs by year with their range as a band."""
        if (df := self._df()) is not None:
            fig, data, alt = view.city_chart(df)
            show_chart(fig, alt=alt, data=data, name="bedarf-stadt")

    def show_district_chart(self) -> None:
        """The needs of the first scenario year per Stadtbezirk with their range."""
        if (df := self._df()) is not None:
            fig, data, alt = view.district_chart(df)
            show_chart(fig, alt=alt, data=data, name="bedarf-bezirke")

    def show_needs_table(self) -> None:
        """The planners' table: each need by scenario year, value with range."""
        if (df := self._df()) is not None:
            table, data = view.planner_table(df)
            caption = f"Zusätzlicher Bedarf in Bielefeld, {df.attrs['title']}"
            show_table(table, caption=caption, name="bedarf-planung", data=data)

    def show_rates_table(self) -> None:
        """The rates of the model: value, range, unit and where they come from."""
        if (df := self._df()) is not None:
            show_table(
                view.rates_view(df),
                caption="Kennzahlen des Szenarios",
                name="kennzahlen",
                data=view.rates_data(df),
            )

    def show_backtest(self) -> None:
        """How large the errors of the model were for the arrivals of 2015 and 2016."""
        bt = self.backtest
        show_markdown(view.backtest_markdown(bt))
        if not bt.empty:
            show_table(
                view.backtest_view(bt),
                caption="Rückrechnung: Vorhersage und Beobachtung",
                name="rueckrechnung",
                data=view.backtest_data(bt),
            )

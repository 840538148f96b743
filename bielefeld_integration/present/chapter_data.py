"""The data of one report page: the published indicator table, cut to the page.

:class:`ChapterData` is the base of :class:`~bielefeld_integration.present.views.Chapter`:
period, optional district, the disclosure-controlled indicator table up to the page's
period, single cells with their symbol and unit, and the one label of every value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from bielefeld_integration import reads, store, symbols
from bielefeld_integration.disclosure.rule import describe_rule
from bielefeld_integration.geography import CITY_CODE, STADTBEZIRKE, stat_bezirk_label
from bielefeld_integration.indicators.catalogue import Catalogue, load_catalogue, targets
from bielefeld_integration.periods import Period
from bielefeld_integration.present.format import fmt_quantity, fmt_value, unit_decimals
from bielefeld_integration.present.labels import TOTAL, group_label, indicator_label, unit_label


def _stamp(data: str | None) -> tuple:
    """What identifies the state of a store: its periods and the published table's mtime."""
    path = store.data_dir(data) / store.PUBLISHED_FILE
    with reads.paused():  # a key of the in-process cache, not something a page shows
        known = tuple(store.periods(data))
    return (known, path.stat().st_mtime_ns if path.is_file() else 0)


@lru_cache(maxsize=4)
def _published(data_dir: str, stamp: tuple) -> pd.DataFrame:
    """The published indicator table of a store (read once per process and store state)."""
    return store.read_published_table(data_dir)


def published_indicators(data_dir: str = "") -> pd.DataFrame:
    """The disclosure-controlled indicator table of all periods of a store (cached).

    Every page takes its indicator values from this one table, written once per build by
    the disclosure stage (:func:`bielefeld_integration.store.published`); nothing a page
    shows is computed from unsuppressed values. The caller depends on every row (see
    :mod:`bielefeld_integration.reads`).
    """
    data = data_dir or None
    reads.read_published(store.data_dir(data), "*")
    return _published(str(store.data_dir(data)), _stamp(data))


def shown_values(values: pd.Series, signs: pd.Series) -> np.ndarray:
    """Values as they may be drawn or downloaded: NaN wherever a symbol stands (not ``–``)."""
    hidden = signs.isin([s for s in symbols.CODES if s != symbols.ZERO]).to_numpy()
    return np.where(hidden, np.nan, values.to_numpy(dtype="float64"))


@dataclass
class ChapterData:
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

    @property
    def data(self) -> str | None:
        """The store folder (``None`` for the default)."""
        return self.data_dir or None

    @property
    def previous(self) -> str:
        """The previous reporting year."""
        return str(Period.parse(self.period).previous)

    @cached_property
    def catalogue(self) -> Catalogue:
        """The indicator catalogue."""
        return load_catalogue()

    @cached_property
    def periods(self) -> list[str]:
        """The periods of the store up to and including this page's period."""
        return store.periods(self.data, upto=self.period)

    @cached_property
    def _upto(self) -> pd.DataFrame:
        data = self.data
        published = _published(str(store.data_dir(data)), _stamp(data))
        return published[published["period"].isin(self.periods)]

    @cached_property
    def _by_indicator(self) -> dict[str, pd.DataFrame]:
        return {str(k): v for k, v in self._upto.groupby("indicator", sort=False)}

    @property
    def table(self) -> pd.DataFrame:
        """The published indicator table (disclosure control applied) up to this period.

        The page then depends on every indicator; :meth:`indicator_table` narrows that to one.
        """
        reads.read_published(store.data_dir(self.data), "*", self.period)
        return self._upto

    @table.setter
    def table(self, frame: pd.DataFrame) -> None:
        """Show another table on this page (for checks and explorations in a notebook)."""
        self.__dict__["_upto"] = frame
        self.__dict__.pop("_by_indicator", None)

    def indicator_table(self, indicator: str) -> pd.DataFrame:
        """The published rows of one indicator up to this period (the page depends on them)."""
        reads.read_published(store.data_dir(self.data), indicator, self.period)
        found = self._by_indicator.get(indicator)
        return self._upto.iloc[:0] if found is None else found

    def indicators_table(self, indicators: Iterable[str]) -> pd.DataFrame:
        """The published rows of several indicators up to this period (in table order)."""
        wanted = sorted(set(indicators))
        for indicator in wanted:
            reads.read_published(store.data_dir(self.data), indicator, self.period)
        return self._upto[self._upto["indicator"].isin(wanted)]

    def empty_rows(self) -> pd.DataFrame:
        """No rows, with the columns and types of the published table."""
        return self._upto.iloc[:0]

    @cached_property
    def targets(self) -> pd.DataFrame:
        """Targets (illustrative in the demo configuration)."""
        return targets(catalogue=self.catalogue)

    def disclosure_rule(self) -> str:
        """The disclosure rule and its limits in German (Markdown), for the methods page."""
        return describe_rule()

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
        df = self.indicator_table(indicator)
        mask = df["breakdown"] == breakdown
        mask &= df["area_code"] == (area_code or self.area_code)
        if group is not None:
            mask &= df["group"] == group
        if period is not None:
            mask &= df["period"] == period
        return df[mask]

    def level_rows(self, indicator: str, level: str, group: str = TOTAL) -> pd.DataFrame:
        """Rows of one indicator for the page's period at every area of ``level``.

        ``level`` is an ``area_level`` of the table (``"stadtbezirk"``, ``"stat_bezirk"``);
        only the total breakdown.
        """
        df = self.indicator_table(indicator)
        return df[
            (df["period"] == self.period)
            & (df["group"] == group)
            & (df["breakdown"] == TOTAL)
            & (df["area_level"] == level)
        ]

    def value(
        self,
        indicator: str,
        *,
        group: str = TOTAL,
        period: str | None = None,
        area_code: str | None = None,
    ) -> tuple[float, str, str]:
        """``(value, symbol, unit)`` of one cell.

        A period without data has only city rows: an area without a row takes the city row's
        symbol (``x`` no election, ``.`` never delivered, ``...`` comes later); without any
        row the cell is NaN and ``"..."``.
        """
        when = period or self.period
        r = self.rows(indicator, group=group, period=when, area_code=area_code)
        if r.empty:
            unit = self.catalogue[indicator].unit if indicator in self.catalogue else ""
            city = self.rows(indicator, group=group, period=when, area_code=CITY_CODE)
            no_data = city[city["value"].isna() & (city["symbol"] != "")]
            if not no_data.empty:
                return float("nan"), str(no_data["symbol"].iloc[0]), unit
            return float("nan"), symbols.NOT_AVAILABLE, unit
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
        """One cell formatted in German (table form: symbols as their signs)."""
        value, symbol, unit = self.value(indicator, group=group, period=period, area_code=area_code)
        return fmt_value(value, unit, symbol)

    def quantity(
        self,
        indicator: str,
        *,
        group: str = TOTAL,
        period: str | None = None,
        area_code: str | None = None,
    ) -> str:
        """One cell with its unit, for sentences (``"2.900 Personen"``, ``"18,3 %"``)."""
        value, symbol, unit = self.value(indicator, group=group, period=period, area_code=area_code)
        return fmt_quantity(value, unit, symbol)

    def label(self, indicator: str, group: str = TOTAL) -> str:
        """The one label of an indicator value for a group (see :func:`.labels.indicator_label`)."""
        return indicator_label(self.catalogue[indicator], group)

    def unit(self, indicator: str) -> str:
        """The unit of an indicator as shown (rates "je 100" as ``%``)."""
        return unit_label(self.catalogue[indicator])

    def headline_group(self, indicator: str) -> str:
        """The group shown when an indicator appears as one number.

        The group of its target where one is set, else the total, else the first group.
        """
        t = self.targets
        if not t.empty and (t["indicator"] == indicator).any():
            return str(t.loc[t["indicator"] == indicator, "group"].iloc[0])
        groups = self.indicator_table(indicator)["group"].unique()
        return TOTAL if TOTAL in groups or len(groups) == 0 else str(groups[0])

    def reference_date(self, ind_id: str) -> str:
        """The reference date of an indicator in this period, e.g. ``"31.12.2017"``."""
        ref = self.catalogue[ind_id].reference_date.split(" ")[0]
        return f"{ref}{self.period}" if ref.endswith(".") else f"{ref} {self.period}"

    def source(self, ind_id: str) -> str:
        """The (first) source of an indicator, for chart subtitles."""
        return self.catalogue[ind_id].source.split(";")[0]

    def download_frame(self, rows: pd.DataFrame, area: str | None = None) -> pd.DataFrame:
        """Machine-readable rows for a CSV download: German headers, numbers, a symbol column.

        Columns: ``Jahr``, ``Kennung``, ``Indikator`` (title), ``Gruppe`` (its label),
        ``Gebiet``, ``Wert`` (rounded to two more decimals than shown; empty where a
        symbol stands), ``Einheit`` and ``Zeichen`` (the printed sign).
        """
        out = []
        for r in rows.itertuples(index=False):
            ind = self.catalogue[r.indicator]
            decimals = unit_decimals(ind.unit) + 2
            value = shown_values(pd.Series([r.value]), pd.Series([r.symbol]))[0]
            out.append(
                {
                    "Jahr": r.period,
                    "Kennung": ind.id,
                    "Indikator": ind.title,
                    "Gruppe": group_label(r.group, ind),
                    "Gebiet": area or _area_name(r.area_level, r.area_code),
                    "Wert": np.round(value, decimals),
                    "Einheit": unit_label(ind),
                    "Zeichen": symbols.sign(r.symbol),
                }
            )
        columns = ["Jahr", "Kennung", "Indikator", "Gruppe", "Gebiet", "Wert", "Einheit", "Zeichen"]
        return pd.DataFrame(out, columns=columns)


def _area_name(level: str, code: str) -> str:
    if level == "stadt":
        return "Stadt Bielefeld"
    if level == "stadtbezirk":
        return f"Stadtbezirk {STADTBEZIRKE.get(code, code)}"
    return f"Statistischer Bezirk {stat_bezirk_label(code)}"


__all__ = ["ChapterData", "published_indicators", "shown_values"]

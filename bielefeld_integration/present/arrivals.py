"""Arrivals by nationality and sex: family reunification and EU arrivals (implementation report).

The implementation report of the integration concept asks for the family reunification of
people from Iraq and Syria and for the arrivals from the EU states Poland, Greece and
Bulgaria, by sex. Only counts that disclosure control lets through are shown:

- **Family reunification** is part of the indicator catalogue (``FLU-02``: its denominator
  is the number of arrivals in family reunification by nationality — Irak, Syrien, sonstige —
  and sex). The table takes exactly these counts, with their symbols, from the published
  indicator table of the disclosure stage (:func:`~bielefeld_integration.present.
  chapter_data.published_indicators`): a count hidden there is hidden here, so the page can
  never give away a cell the whole-table suppression protects.
- **EU arrivals by nationality** are not in the catalogue. They are summed from the processed
  ``arrivals`` table to a table nationality × sex with the row total and protected with
  :func:`bielefeld_integration.disclosure.suppress_table` (primary suppression of 1 and 2,
  secondary suppression until the interval audit passes). The table has no row for the
  other EU states and no total: the EU total by sex belongs to the published table
  (``FLU-05``), which may hide it, and the rows here must not add up to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bielefeld_integration import store, symbols
from bielefeld_integration.disclosure import suppress_table
from bielefeld_integration.errors import DataError
from bielefeld_integration.periods import Period
from bielefeld_integration.present.chapter_data import ChapterData
from bielefeld_integration.present.display import show_table
from bielefeld_integration.present.format import fmt_number

__all__ = [
    "CHANNELS",
    "ArrivalTable",
    "arrivals_by_nationality",
    "arrivals_table",
    "eu_table",
    "family_table",
    "show_arrivals_by_nationality",
]

#: The channels shown: title and the nationalities the implementation report names.
CHANNELS: dict[str, tuple[str, tuple[str, ...]]] = {
    "familiennachzug": ("Familiennachzug", ("Irak", "Syrien")),
    "eu": ("Zuzüge aus EU-Staaten", ("Polen", "Griechenland", "Bulgarien")),
}
#: The indicator whose denominator is family reunification by nationality and sex.
FAMILY_INDICATOR = "FLU-02"
#: Rows of the family table: group code of the indicator -> row label.
FAMILY_ROWS = {
    "Irak": "Irak",
    "Syrien": "Syrien",
    "sonstige": "übrige Staatsangehörigkeiten",
    "insgesamt": "Insgesamt",
}
SEX_COLUMNS = {"m": "männlich", "w": "weiblich"}
TOTAL_COLUMN = "insgesamt"
ROW_HEADER = "Staatsangehörigkeit"


@dataclass(frozen=True)
class ArrivalTable:
    """A protected arrivals table as shown (``display``) and downloaded (``data``)."""

    caption: str
    display: pd.DataFrame
    data: pd.DataFrame


def _caption(channel: str, period: str) -> str:
    return f"{CHANNELS[channel][0]} nach Staatsangehörigkeit und Geschlecht, {period} (Personen)"


def _table(channel: str, period: str, values: pd.DataFrame, signs: pd.DataFrame) -> ArrivalTable:
    """Display and download of a table of counts (NaN where hidden) and printed signs."""
    display = pd.DataFrame(index=values.index, columns=values.columns, dtype=object)
    rows = []
    for row in values.index:
        for column in values.columns:
            value, sign = float(values.loc[row, column]), str(signs.loc[row, column])
            if np.isnan(value):
                sign = sign or symbols.sign(symbols.SECRET)
                shown = sign
            elif value == 0:
                sign = shown = symbols.sign(symbols.ZERO)
            else:
                shown = fmt_number(value)
            display.loc[row, column] = shown
            rows.append(
                {
                    "Jahr": period,
                    "Zugangsweg": CHANNELS[channel][0],
                    ROW_HEADER: row,
                    "Geschlecht": column,
                    "Personen": None if np.isnan(value) else int(value),
                    "Zeichen": sign,
                }
            )
    display.index.name = ROW_HEADER
    data = pd.DataFrame(rows)
    data["Personen"] = data["Personen"].astype("Int64")
    return ArrivalTable(_caption(channel, period), display, data)


def family_table(published: pd.DataFrame, period: str) -> ArrivalTable | None:
    """Family reunification by nationality and sex: the published counts of ``FLU-02``.

    Parameters
    ----------
    published:
        The published indicator table.
    period:
        The period.

    Returns
    -------
    ArrivalTable or None
        ``None`` if the published table has no such rows for the period.
    """
    rows = published[
        (published["indicator"] == FAMILY_INDICATOR)
        & (published["period"].astype(str) == period)
        & (published["area_level"] == "stadt")
        & (published["breakdown"].isin(["insgesamt", "sex"]))
        & (published["group"].isin(list(FAMILY_ROWS)))
    ]
    if rows.empty:
        return None
    columns = [*SEX_COLUMNS.values(), TOTAL_COLUMN]
    index = list(FAMILY_ROWS.values())
    values = pd.DataFrame(np.nan, index=index, columns=columns)
    signs = pd.DataFrame(symbols.sign(symbols.SECRET), index=index, columns=columns)
    for r in rows.itertuples(index=False):
        column = TOTAL_COLUMN if r.breakdown == "insgesamt" else SEX_COLUMNS.get(r.breakdown_value)
        if column is None:
            continue
        row = FAMILY_ROWS[r.group]
        code = str(r.denominator_symbol or "")
        signs.loc[row, column] = symbols.sign(code) if code else ""
        if code in ("", symbols.ZERO) and pd.notna(r.denominator):
            values.loc[row, column] = float(r.denominator)
    return _table("familiennachzug", period, values, signs)


def arrivals_by_nationality(
    arrivals: pd.DataFrame, channel: str, nationalities: Sequence[str]
) -> pd.DataFrame:
    """Counts of one channel for the named nationalities by sex, with row totals (internal).

    Raises
    ------
    DataError
        If the table lacks a needed column or a sex other than ``m``/``w`` appears.
    """
    needed = {"channel", "nationality", "sex", "count"}
    missing = sorted(needed - set(arrivals.columns))
    if missing:
        raise DataError(f"der Tabelle arrivals fehlen Spalten: {', '.join(missing)}")
    part = arrivals[arrivals["channel"].astype(str) == channel]
    sexes = set(part["sex"].astype(str))
    if not sexes <= set(SEX_COLUMNS):
        raise DataError(f"unbekanntes Geschlecht in arrivals: {sorted(sexes - set(SEX_COLUMNS))}")
    part = part[part["nationality"].astype(str).isin(list(nationalities))]
    counts = (
        part.assign(row=part["nationality"].astype(str), sex=part["sex"].astype(str))
        .groupby(["row", "sex"])["count"]
        .sum()
        .unstack("sex")
        .reindex(index=list(nationalities), columns=list(SEX_COLUMNS))
        .fillna(0)
        .astype("int64")
    )
    counts.columns = [SEX_COLUMNS[c] for c in counts.columns]
    counts[TOTAL_COLUMN] = counts.sum(axis=1)
    counts.index.name = ROW_HEADER
    return counts


def eu_table(arrivals: pd.DataFrame, period: str) -> ArrivalTable:
    """EU arrivals from Poland, Greece and Bulgaria by sex, protected by suppression."""
    counts = arrivals_by_nationality(arrivals, "eu", CHANNELS["eu"][1])
    result = suppress_table(counts, col_total=TOTAL_COLUMN)
    signs = result.symbols.map(lambda code: symbols.sign(code) if code else "")
    return _table("eu", period, result.values.astype(float), signs)


def arrivals_table(period: str, channel: str, data: str | None = None) -> ArrivalTable | None:
    """The protected table of one channel for a period of the store (``None`` without data).

    Parameters
    ----------
    period:
        The period.
    channel:
        A key of :data:`CHANNELS`.
    data:
        The processed store (default: the standard folder).
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; known: {', '.join(CHANNELS)}")
    label = str(Period.parse(period))
    if channel == "familiennachzug":
        table = ChapterData(label, data or "").indicators_table([FAMILY_INDICATOR])
        return family_table(table, label)
    if not store.has_table("arrivals", label, data):
        return None
    return eu_table(store.load("arrivals", label, data), label)


def show_arrivals_by_nationality(
    period: str, channel: str, *, name: str, data: str | None = None
) -> None:
    """Show the arrivals of one channel by nationality and sex, with their CSV download.

    Parameters
    ----------
    period:
        The page's period.
    channel:
        ``"familiennachzug"`` (Irak, Syrien) or ``"eu"`` (Polen, Griechenland, Bulgarien).
    name:
        Name of the table on the page (for the download file).
    data:
        The processed store.
    """
    table = arrivals_table(period, channel, data)
    if table is None:
        from IPython.display import Markdown, display

        title = CHANNELS[channel][0]
        display(
            Markdown(f"Für {period} fehlt die Lieferung zu »{title}« nach Staatsangehörigkeit.")
        )
        return
    show_table(table.display, caption=table.caption, name=name, data=table.data)

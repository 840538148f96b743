"""Arrivals by nationality and sex: family reunification and EU arrivals (implementation report).

The implementation report of the integration concept asks for the family reunification of
people from Iraq and Syria and for the arrivals from the EU states Poland, Greece and
Bulgaria. Both come from the processed ``arrivals`` table (foreigners office / social
services extract: one row per half-year, channel, nationality, sex, age group and
Stadtbezirk). For one channel and period the counts are summed to a two-way table

    rows:    the named nationalities, "übrige Staatsangehörigkeiten", "Insgesamt"
    columns: männlich, weiblich, insgesamt

and protected with :func:`bielefeld_integration.disclosure.suppress_table` (primary
suppression of counts 1 and 2, secondary suppression until the interval audit passes). Only
the protected table is shown and downloaded: hidden cells carry their symbol ``.`` and no
number. The row "übrige Staatsangehörigkeiten" keeps the table additive, so that the totals
(which other pages publish as well) give nothing away.
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
from bielefeld_integration.present.display import show_table

__all__ = [
    "CHANNELS",
    "ArrivalTable",
    "arrival_table",
    "arrivals_by_nationality",
    "arrivals_table",
    "show_arrivals_by_nationality",
]

#: The channels shown, with the nationalities the implementation report names.
CHANNELS: dict[str, tuple[str, tuple[str, ...]]] = {
    "familiennachzug": ("Familiennachzug", ("Irak", "Syrien")),
    "eu": ("Zuzüge aus EU-Staaten", ("Polen", "Griechenland", "Bulgarien")),
}
OTHERS = "übrige Staatsangehörigkeiten"
TOTAL_ROW = "Insgesamt"
SEX_COLUMNS = {"m": "männlich", "w": "weiblich"}
TOTAL_COLUMN = "insgesamt"


def arrivals_by_nationality(
    arrivals: pd.DataFrame, channel: str, nationalities: Sequence[str]
) -> pd.DataFrame:
    """Counts of one channel by nationality and sex, with totals (unprotected, internal).

    Parameters
    ----------
    arrivals:
        The processed ``arrivals`` table of one period.
    channel:
        ``"familiennachzug"``, ``"eu"``, ...
    nationalities:
        The nationalities shown in their own row; all others form :data:`OTHERS`.

    Returns
    -------
    pandas.DataFrame
        Index: the nationalities, :data:`OTHERS`, :data:`TOTAL_ROW`; columns ``männlich``,
        ``weiblich``, ``insgesamt``; integer counts.

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
    row = (
        part["nationality"]
        .astype(str)
        .where(part["nationality"].astype(str).isin(list(nationalities)), OTHERS)
    )
    counts = (
        part.assign(row=row, sex=part["sex"].astype(str))
        .groupby(["row", "sex"])["count"]
        .sum()
        .unstack("sex")
        .reindex(index=[*nationalities, OTHERS], columns=list(SEX_COLUMNS))
        .fillna(0)
        .astype("int64")
    )
    counts.columns = [SEX_COLUMNS[c] for c in counts.columns]
    counts[TOTAL_COLUMN] = counts.sum(axis=1)
    counts.loc[TOTAL_ROW] = counts.sum(axis=0)
    counts.index.name = "Staatsangehörigkeit"
    return counts


@dataclass(frozen=True)
class ArrivalTable:
    """A protected arrivals table as shown (``display``) and downloaded (``data``)."""

    caption: str
    display: pd.DataFrame
    data: pd.DataFrame


def arrival_table(arrivals: pd.DataFrame, channel: str, period: str) -> ArrivalTable:
    """The protected table of one channel and period, formatted in German.

    Parameters
    ----------
    arrivals:
        The processed ``arrivals`` table of the period.
    channel:
        A key of :data:`CHANNELS`.
    period:
        The period (for the caption and the download).
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; known: {', '.join(CHANNELS)}")
    title, nationalities = CHANNELS[channel]
    counts = arrivals_by_nationality(arrivals, channel, nationalities)
    result = suppress_table(counts, row_total=TOTAL_ROW, col_total=TOTAL_COLUMN)
    # the printed signs of the legend (exact zero is "–", not the stored code "-")
    display = result.display.map(lambda v: symbols.sign(v) if v in symbols.CODES else v)
    display.index.name = counts.index.name
    rows = []
    for nationality in counts.index:
        for column in counts.columns:
            value = result.values.loc[nationality, column]
            sign = symbols.sign(str(result.symbols.loc[nationality, column]))
            rows.append(
                {
                    "Jahr": period,
                    "Zugangsweg": title,
                    "Staatsangehörigkeit": nationality,
                    "Geschlecht": column,
                    "Personen": None if np.isnan(value) or sign not in ("", "\u2013") else value,
                    "Zeichen": sign,
                }
            )
    data = pd.DataFrame(rows)
    data["Personen"] = data["Personen"].astype("Int64")
    caption = f"{title} nach Staatsangehörigkeit und Geschlecht, {period} (Personen)"
    return ArrivalTable(caption, display, data)


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
    label = str(Period.parse(period))
    if not store.has_table("arrivals", label, data):
        return None
    return arrival_table(store.load("arrivals", label, data), channel, label)


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

"""Structure of the arrivals: age/sex shares and distribution over the Stadtbezirke.

Taken per channel (and nationality group) from the ``arrivals`` table of the scenario's
reference periods, pooled and per period; the per-period variants widen the needs' range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import STADTBEZIRKE
from bielefeld_integration.periods import Period
from bielefeld_integration.scenario.definitions import (
    MIN_STRUCTURE_PERSONS,
    NATIONALITY_GROUPS,
    SEXES,
)
from bielefeld_integration.scenario.loading import Loader, default_load, period_text
from bielefeld_integration.tables import ARRIVAL_AGE_GROUPS

POOLED = "gepoolt"


@dataclass(frozen=True)
class Structure:
    """Observed age/sex structure and district distribution of arrivals per channel.

    Built from the ``arrivals`` table of some reference periods by
    :func:`estimate_structure`. A *variant* is either :data:`POOLED` (all periods together)
    or one period; the per-period variants give the range of the needs.
    """

    arrivals: pd.DataFrame  # period, channel, nationality, sex, age_group, stadtbezirk, count
    periods: tuple[str, ...]
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def variants(self) -> list[str]:
        """``[POOLED, period, ...]``; only the pooled variant for a single period."""
        return [POOLED, *self.periods] if len(self.periods) > 1 else [POOLED]

    def _rows(self, channel: str, variant: str) -> pd.DataFrame:
        key = ("rows", channel, variant)
        if key not in self._cache:
            a = self.arrivals
            sel = a["channel"] == channel
            if variant != POOLED:
                sel &= a["period"] == variant
            self._cache[key] = a[sel]
        return self._cache[key]

    def age_sex(self, channel: str, group: str = "alle", variant: str = POOLED) -> np.ndarray:
        """Shares by sex (rows ``m``, ``w``) and arrival age group (columns); sum 1.

        Falls back from the group to the whole channel, and from a single period to the
        pooled periods, when fewer than :data:`MIN_STRUCTURE_PERSONS` arrivals are there.
        """
        key = ("age_sex", channel, group, variant)
        if key not in self._cache:
            self._cache[key] = self._age_sex(channel, group, variant)
        return self._cache[key].copy()

    def _age_sex(self, channel: str, group: str, variant: str) -> np.ndarray:
        for v in dict.fromkeys([variant, POOLED]):
            rows = self._rows(channel, v)
            for g in dict.fromkeys([group, "alle"]):
                nats = NATIONALITY_GROUPS.get(g, [g])
                sub = rows[rows["nationality"].isin(nats)]
                total = float(sub["count"].sum())
                if total >= MIN_STRUCTURE_PERSONS or (g == "alle" and v == POOLED and total > 0):
                    tab = (
                        sub.groupby(["sex", "age_group"])["count"]
                        .sum()
                        .reindex(pd.MultiIndex.from_product([SEXES, ARRIVAL_AGE_GROUPS]))
                        .fillna(0.0)
                        .to_numpy(dtype=float)
                        .reshape(len(SEXES), len(ARRIVAL_AGE_GROUPS))
                    )
                    return tab / total
        raise DataError(
            f"keine Neuzugänge über den Zugangsweg {channel!r} in den Referenzjahren "
            f"{period_text(self.periods)}; bitte »age_structure.{channel}« im Szenario angeben"
        )

    def sex_by_age(self, channel: str, variant: str = POOLED) -> np.ndarray:
        """Share of each sex within each age group (rows ``m``, ``w``); 0.5 where no data."""
        rows = self._rows(channel, variant)
        tab = (
            rows.groupby(["sex", "age_group"])["count"]
            .sum()
            .reindex(pd.MultiIndex.from_product([SEXES, ARRIVAL_AGE_GROUPS]))
            .fillna(0.0)
            .to_numpy(dtype=float)
            .reshape(len(SEXES), len(ARRIVAL_AGE_GROUPS))
        )
        total = tab.sum(axis=0)
        return np.where(total > 0, tab / np.where(total > 0, total, 1.0), 0.5)

    def districts(self, channel: str, variant: str = POOLED) -> np.ndarray:
        """Share of the channel's arrivals per Stadtbezirk (order of ``STADTBEZIRKE``)."""
        for v in dict.fromkeys([variant, POOLED]):
            rows = self._rows(channel, v)
            total = float(rows["count"].sum())
            if total >= MIN_STRUCTURE_PERSONS or (v == POOLED and total > 0):
                tab = rows.groupby("stadtbezirk")["count"].sum().reindex(list(STADTBEZIRKE))
                return tab.fillna(0.0).to_numpy(dtype=float) / total
        raise DataError(
            f"keine Neuzugänge über den Zugangsweg {channel!r} in den Referenzjahren "
            f"{period_text(self.periods)}; bitte »district_shares.{channel}« im Szenario angeben"
        )


def estimate_structure(
    reference_periods: Sequence[str | int],
    load: Loader | None = None,
    *,
    data: str | Path | None = None,
) -> Structure:
    """The age/sex structure and district distribution of arrivals in some periods.

    Parameters
    ----------
    reference_periods:
        Periods whose ``arrivals`` are pooled (e.g. ``["2015", "2016"]`` for a refugee wave).
    load, data:
        As in :func:`estimate_rates`.

    Returns
    -------
    Structure
    """
    load = load or default_load(data)
    periods = [str(Period.parse(p)) for p in reference_periods]
    if not periods:
        raise DataError("keine Referenzjahre für die Struktur der Neuzugänge angegeben")
    frames = []
    for p in periods:
        df = load("arrivals", p)
        frames.append(df.assign(period=p))
    arr = pd.concat(frames, ignore_index=True)
    keep = ["period", "channel", "nationality", "sex", "age_group", "stadtbezirk", "count"]
    arr = arr[keep].astype({"count": float})
    return Structure(arr, tuple(periods))

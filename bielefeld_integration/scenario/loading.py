"""How the scenario model reads the processed store.

The model never opens files itself: it calls a *loader* ``load(table, period)`` that
returns one processed table of one period (by default :func:`bielefeld_integration.store.load`).
Tests inject a loader over hand-made tables; a report page injects :func:`up_to`, a loader
that refuses every period after the report's own, so that nothing from a later year can
slip into the page.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from bielefeld_integration import store
from bielefeld_integration.errors import DataError
from bielefeld_integration.periods import Period

#: A callable that returns one processed table of one period (like :func:`store.load`).
Loader = Callable[[str, str], pd.DataFrame]


def default_load(data: str | Path | None) -> Loader:
    """The loader over the processed store ``data`` (default ``data/processed``)."""
    return functools.partial(store.load, data=data)


def try_load(load: Loader, table: str, period: str | Period) -> pd.DataFrame | None:
    """``load(table, period)``, or ``None`` if the table is missing (a :class:`DataError`)."""
    try:
        return load(table, str(period))
    except DataError:
        return None


def up_to(load: Loader, period: str | Period) -> Loader:
    """A loader that refuses every period after ``period`` (no look-ahead on a report page).

    Asking for a later period raises :class:`DataError`, which the model treats like a
    table that was not delivered.
    """
    last = Period.parse(period)

    def guarded(table: str, p: str) -> pd.DataFrame:
        if Period.parse(p) > last:
            raise DataError(f"{p} liegt nach dem Berichtsjahr {last}")
        return load(table, p)

    return guarded


def period_text(periods: Sequence[str]) -> str:
    """German list of periods: ``"2014–2017"`` for three or more consecutive years.

    >>> period_text(["2016", "2014", "2015"]), period_text(["2014", "2016"]), period_text([])
    ('2014–2016', '2014, 2016', '–')
    """
    ps = sorted(Period.parse(p) for p in periods)
    if not ps:
        return "–"
    consecutive = all(b == a.next for a, b in itertools.pairwise(ps))
    if len(ps) > 2 and consecutive:
        return f"{ps[0]}–{ps[-1]}"
    return ", ".join(str(p) for p in ps)

"""Indicator definitions and formulas.

- :mod:`.catalogue` loads and validates ``catalogue.yaml`` (the indicator definitions);
- :mod:`.formulas` holds the pure formulas (share, rate, gap, dissimilarity, ...);
- :mod:`.compute` evaluates the catalogue into the tidy indicator table
  (:func:`compute_indicators` is :func:`.compute.compute`).

Disclosure control and the export of the table are the next stage
(:mod:`bielefeld_integration.disclosure`); the published table is
:func:`bielefeld_integration.store.published`.

The package itself is callable, so that ``bielefeld_integration.indicators(period="2017")``
returns the indicator table (see :func:`indicators_table`).
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pandas as pd

from bielefeld_integration.indicators.catalogue import (
    Catalogue,
    Indicator,
    load_catalogue,
    read_catalogue,
    targets,
    validate_catalogue,
)
from bielefeld_integration.indicators.compute import (
    COLUMNS,
    indicators_table,
    write_indicators,
)
from bielefeld_integration.indicators.compute import compute as compute_indicators

__all__ = [
    "COLUMNS",
    "Catalogue",
    "Indicator",
    "compute_indicators",
    "indicators_table",
    "load_catalogue",
    "read_catalogue",
    "targets",
    "validate_catalogue",
    "write_indicators",
]


class _CallableModule(types.ModuleType):
    """Makes ``bielefeld_integration.indicators(...)`` a shortcut for :func:`indicators_table`."""

    def __call__(
        self,
        period: Any = None,
        ids: Any = None,
        area_level: Any = None,
        data: str | Path | None = None,
    ) -> pd.DataFrame:
        return indicators_table(period, ids, area_level, data)


sys.modules[__name__].__class__ = _CallableModule

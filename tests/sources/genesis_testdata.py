"""Shared test data and helpers of the GENESIS reader tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: Hand-made GENESIS layouts.
DATA = Path(__file__).resolve().parents[1] / "data" / "genesis"
#: Real exports, vendored with their licence notes.
SAMPLES = DATA / "samples"


def one(df: pd.DataFrame, **where: str) -> pd.Series:
    """The single row matching all ``column=value`` conditions."""
    mask = pd.Series(True, index=df.index)
    for column, value in where.items():
        mask &= df[column] == value
    hit = df[mask]
    assert len(hit) == 1, f"{len(hit)} rows for {where}"
    return hit.iloc[0]

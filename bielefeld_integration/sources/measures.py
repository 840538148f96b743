"""Loader of the measures register (``massnahmen.csv`` / ``massnahmen.xlsx``) for ingest.

The register format and its checks live in :mod:`bielefeld_integration.measures`; this
module only adapts :func:`~bielefeld_integration.measures.load_register` to the loader
interface of :mod:`bielefeld_integration.sources`. Like every loader it knows nothing
about indicators: it checks the form of the indicator ids, and ingest checks them against
the catalogue afterwards (:func:`bielefeld_integration.measures.links.check_register_links`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.measures import load_register


def load_measures(path: Path, *, reference_date: str) -> pd.DataFrame:
    """Read a measures register delivery into the processed table ``measures``.

    Parameters
    ----------
    path : Path
        ``massnahmen.csv`` or ``massnahmen.xlsx``.
    reference_date : str
        The Stand of the register from the manifest (ISO, e.g. ``"2017-06-30"``); its year
        is the reporting period, and no entry may have a later ``Stand``.

    Returns
    -------
    pandas.DataFrame
        The register (see :mod:`bielefeld_integration.measures`) plus ``reference_date``.

    Raises
    ------
    DataError
        With every problem of the file (see :func:`~bielefeld_integration.measures.load_register`).
    """
    reg = load_register(path, period=reference_date[:4])
    later = reg[reg["as_of"] > reference_date]
    if len(later):
        ids = ", ".join(later["measure_id"].head(5))
        raise DataError(
            f"Stand von {len(later)} Maßnahme(n) liegt nach dem Stichtag {reference_date} "
            f"des Manifests ({ids})",
            file=path,
            column="Stand",
        )
    reg["reference_date"] = reference_date
    return reg


LOADERS = {"measures": load_measures}

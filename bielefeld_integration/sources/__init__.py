"""Readers for the delivery formats.

Each module in this package knows one kind of delivery (a file format of one office) and
nothing about indicators. A module publishes its loaders in a module-level dict
``LOADERS = {"<table name>": function}``; every function has the signature
``load(path: Path, *, reference_date: str) -> pandas.DataFrame`` and returns the processed
table of that name (see :mod:`bielefeld_integration.tables`), raising
:class:`~bielefeld_integration.errors.DataError` with file, line and column for bad input.

:func:`loaders` collects them from all modules of the package. :data:`FORMATS` says which
``format`` a manifest entry may name for each table; ingest refuses any other.
Reading one file and validating it against its table is
:func:`bielefeld_integration.ingest.load_file` (the sources know nothing of the table schemas).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from functools import cache

import pandas as pd

Loader = Callable[..., pd.DataFrame]

_GENESIS = ("genesis_classic", "genesis_flat")  # the reader recognises both forms itself

#: The delivery formats (manifest field ``format``) each table's loader reads.
FORMATS: dict[str, tuple[str, ...]] = {
    "population": ("register_csv",),
    "population_origin": ("register_csv",),
    "residence": ("foreigners_office_csv",),
    "arrivals": ("arrivals_csv",),
    "population_official": _GENESIS,
    "naturalisations": _GENESIS,
    "protection_seekers": _GENESIS,
    "migration": _GENESIS,
    "pupils": _GENESIS,
    "employees_workplace": _GENESIS,
    "daycare_facilities": _GENESIS,
    "daycare": ("city_csv",),
    "school_entry": ("city_csv",),
    "school_leavers": ("city_csv",),
    "newcomer_pupils": ("city_csv",),
    "accommodation": ("city_csv",),
    "city_staff": ("city_csv",),
    "election": ("city_csv",),
    "engagement": ("city_csv",),
    "unemployed": ("ba_csv",),
    "sgb2": ("ba_csv",),
    "employees": ("ba_csv",),
    "integration_courses": ("bamf_csv",),
    "measures": ("csv", "xlsx"),
}


def file_suffix(fmt: str) -> str:
    """The file name ending a delivery of format ``fmt`` must have (``.csv`` or ``.xlsx``)."""
    return ".xlsx" if fmt == "xlsx" else ".csv"


@cache
def loaders() -> dict[str, Loader]:
    """All loaders of this package by the table they produce."""
    found: dict[str, Loader] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for table, fn in getattr(module, "LOADERS", {}).items():
            if table in found:
                raise RuntimeError(f"two loaders for table {table!r}")
            found[table] = fn
    return found

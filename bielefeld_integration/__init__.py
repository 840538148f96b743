"""Integration monitoring of the city of Bielefeld.

The public API for notebook users::

    import bielefeld_integration as bi
    bi.periods()                       # ['2014', ..., '2019']
    pop = bi.load("population", "2017")
    ind = bi.indicators(period="2017", ids=["DEM-02"])   # all values (internal)
    pub = bi.published()                                 # disclosure-controlled, to publish

Everything a report shows comes from these functions and the modules below them.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from bielefeld_integration import indicators
from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import CITY_CODE, STADTBEZIRKE
from bielefeld_integration.periods import Period
from bielefeld_integration.store import load, periods, provenance, published

try:
    __version__ = version("bielefeld-integration")
except PackageNotFoundError:  # pragma: no cover
    __version__ = "0+unknown"

__all__ = [
    "CITY_CODE",
    "STADTBEZIRKE",
    "DataError",
    "Period",
    "__version__",
    "indicators",
    "load",
    "periods",
    "provenance",
    "published",
]

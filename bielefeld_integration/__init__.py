"""Integration monitoring of the city of Bielefeld.

The public API for notebook users::

    import bielefeld_integration as bi
    bi.periods()                       # ['2014', ..., '2019']
    pop = bi.load("population", "2017")
    ind = bi.indicators(period="2017", ids=["DEM-02"])   # all values (internal)
    pub = bi.published()                                 # disclosure-controlled, to publish

Everything a report shows comes from these functions and the modules below them.

The indicator layer (``bi.indicators``) is loaded on first use, so that
``bielefeld_integration.tables`` or ``bielefeld_integration.sources`` can be imported without
pulling it in.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import CITY_CODE, STADTBEZIRKE
from bielefeld_integration.periods import Period
from bielefeld_integration.store import load, periods, provenance, published

#: Public names loaded on first access: name -> (module, attribute or None for the module).
_LAZY: dict[str, tuple[str, str | None]] = {
    "indicators": ("bielefeld_integration.indicators", None),
}


def __getattr__(name: str) -> Any:
    """Load the public names of the heavier layers on first access (PEP 562)."""
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


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

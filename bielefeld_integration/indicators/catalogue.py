"""Load and validate the indicator catalogue (``catalogue.yaml``).

The catalogue is data: statisticians edit the YAML, this module reads it into frozen
:class:`Indicator` objects and refuses anything the engine could not evaluate. Every entry
describes its numerator and denominator *declaratively* as a table of
:data:`bielefeld_integration.tables.TABLES`, a filter and the count column to sum::

    numerator:   {table: population, where: {citizenship: auslaendisch}}
    denominator: {table: population}

Filter values are a single code, a list of codes or ``{not: [codes]}``; every column and
code is checked against the table's schema. Besides the real columns a few *derived*
columns can be used in filters and breakdowns (:data:`DERIVED_COLUMNS`):

``mh``
    migration background ``mit`` / ``ohne`` (register: personal or familial = ``mit``).
``nationality_group``
    ``eu`` / ``drittstaat`` (``deutsch`` for Germans in ``population_origin``).
``minor``
    ``ja`` / ``nein`` (under 18) from the age group.

The ``kind`` says how numerator and denominator are combined (see
:mod:`bielefeld_integration.indicators.compute`). Problems are reported as one
:class:`~bielefeld_integration.errors.DataError` per entry and field, e.g.
``catalogue.yaml: Indikator DEM-02, Feld »numerator.where.citizenship«: ...``.

The module is split along its seams: :mod:`.schema` (codes, derived columns, data classes),
:mod:`.fields` (field parsers), :mod:`.validate` (:func:`validate_catalogue`); this module
reads the YAML file (:func:`read_catalogue`, cached :func:`load_catalogue`) and the targets.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from bielefeld_integration import reads
from bielefeld_integration.errors import DataError
from bielefeld_integration.indicators.schema import (
    DERIVED_COLUMNS,
    FIELD_CODES,
    KINDS,
    POLARITIES,
    REQUIRED_FIELDS,
    SPATIAL,
    Catalogue,
    Derived,
    Filter,
    Groups,
    Indicator,
    Side,
    table_columns,
)
from bielefeld_integration.indicators.validate import validate_catalogue
from bielefeld_integration.limits import load_yaml

#: The catalogue shipped with the package.
CATALOGUE_PATH = Path(__file__).with_name("catalogue.yaml")


def read_catalogue(path: str | Path) -> Catalogue:
    """Read and validate a catalogue YAML file (no caching).

    Raises
    ------
    DataError
        If the file is missing, is not valid YAML or fails validation.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"Indikatorkatalog nicht lesbar: {exc.strerror}", file=path) from None
    doc = load_yaml(text, path=path)  # limits on size, depth and aliases; DataError
    cat = validate_catalogue(doc, source=path.name)
    cat.path = path
    return cat


@lru_cache(maxsize=8)
def _cached(path: str, mtime_ns: int) -> Catalogue:
    return read_catalogue(path)


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """The validated indicator catalogue (cached until the file changes).

    Parameters
    ----------
    path : str or Path, optional
        A catalogue file; default the one shipped with the package.

    Returns
    -------
    Catalogue
        Mapping ``id -> Indicator`` in file order.

    Raises
    ------
    DataError
        If the catalogue is invalid (the message names entry id and field).

    Examples
    --------
    >>> cat = load_catalogue()
    >>> cat["DEM-02"].kind, cat["DEM-02"].unit
    ('share', '%')
    """
    p = Path(path) if path is not None else CATALOGUE_PATH
    if path is not None:
        reads.read_file(p)  # a page that uses another catalogue depends on it (cached below)
    try:
        mtime = p.stat().st_mtime_ns
    except OSError:
        return read_catalogue(p)  # raises the DataError
    return _cached(str(p.resolve()), mtime)


#: Settings of the package, among them the (illustrative) targets.
CONFIG_PATH = Path(__file__).resolve().parents[1] / "config.yaml"
_TARGET_COLUMNS = ["indicator", "group", "value", "year", "illustrative", "note", "origin"]


def _output_groups(ind: Indicator) -> list[str]:
    if ind.compare:
        return [f"{ind.compare[0]}-{ind.compare[1]}"]
    return list(ind.groups.labels)


def targets(config: str | Path | None = None, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """Targets of the indicators: council targets from the catalogue plus the config file.

    The city has not set any targets yet. ``bielefeld_integration/config.yaml`` carries a
    few demo targets in its ``targets:`` section, each marked ``illustrative: true``
    ("illustrativ, kein Ratsbeschluss"); reports must say so wherever they show them.

    Parameters
    ----------
    config : str or Path, optional
        A YAML file with a ``targets:`` list; default ``bielefeld_integration/config.yaml``
        (a missing file means no targets).
    catalogue : Catalogue, optional
        Default :func:`load_catalogue`.

    Returns
    -------
    pandas.DataFrame
        ``indicator``, ``group``, ``value`` (float), ``year`` (int), ``illustrative``
        (bool), ``note``, ``origin`` (``katalog`` or ``config``).

    Raises
    ------
    DataError
        For an unknown indicator or group, or a target without numeric value and year.
    """
    cat = catalogue if catalogue is not None else load_catalogue()
    rows = []
    for ind in cat.values():
        if ind.target:
            rows.append(
                {
                    "indicator": ind.id,
                    "group": str(ind.target.get("group", _output_groups(ind)[0])),
                    "value": float(ind.target["value"]),
                    "year": int(ind.target["year"]),
                    "illustrative": bool(ind.target.get("illustrative", False)),
                    "note": str(ind.target.get("note", "")),
                    "origin": "katalog",
                }
            )
    path = Path(config) if config is not None else CONFIG_PATH
    doc: Any = {}
    if path.is_file():
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise DataError(f"kein gültiges YAML: {exc}", file=path) from None
    entries = (doc.get("targets") or []) if isinstance(doc, Mapping) else []
    if not isinstance(entries, list):
        raise DataError("targets muss eine Liste sein", file=path)
    for i, t in enumerate(entries, start=1):
        where = f"Zielwert Nr. {i}"
        if not isinstance(t, Mapping) or t.get("indicator") not in cat:
            found = t.get("indicator") if isinstance(t, Mapping) else t
            raise DataError(f"{where}: unbekannter Indikator {found!r}", file=path)
        ind = cat[t["indicator"]]
        group = str(t.get("group", _output_groups(ind)[0]))
        if group not in _output_groups(ind):
            raise DataError(
                f"{where} ({ind.id}): unbekannte Gruppe {group!r}; "
                f"erlaubt: {', '.join(_output_groups(ind))}",
                file=path,
            )
        try:
            value, year = float(t["value"]), int(t["year"])
        except (KeyError, TypeError, ValueError):
            raise DataError(f"{where} ({ind.id}): value und year erforderlich", file=path) from None
        rows.append(
            {
                "indicator": ind.id,
                "group": group,
                "value": value,
                "year": year,
                "illustrative": bool(t.get("illustrative", False)),
                "note": str(t.get("note", "")),
                "origin": "config",
            }
        )
    return pd.DataFrame(rows, columns=_TARGET_COLUMNS).astype(
        {"value": "float64", "year": "int64", "illustrative": bool}
    )


__all__ = [
    "CATALOGUE_PATH",
    "DERIVED_COLUMNS",
    "FIELD_CODES",
    "KINDS",
    "POLARITIES",
    "REQUIRED_FIELDS",
    "SPATIAL",
    "Catalogue",
    "Derived",
    "Filter",
    "Groups",
    "Indicator",
    "Side",
    "load_catalogue",
    "read_catalogue",
    "table_columns",
    "targets",
    "validate_catalogue",
]

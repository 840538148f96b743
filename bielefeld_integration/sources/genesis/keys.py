"""Key columns of classic tables: time, region and row dimensions.

A data row is ``[time;]region code;region name;[row dimension(s);]values``::

    2016;05711;      Bielefeld, Kreisfreie Stadt;456;48;...        time, code, name
    05711;      Bielefeld, Kreisfreie Stadt;unter 18 Jahre;1643;... code, name, dimension
    31.12.2024;05711;  Bielefeld, krfr. Stadt;121;  Albanien;455    code + label dimension
    31.12.2024;    Bielefeld, krfr. Stadt;331605                    names only (IT.NRW)

The time is the first key column when every row holds a year or date there; otherwise it
comes from a lone time line (``2015;;;``) or from the column headers, never from two places.
The region must be established for every row: a code column whose codes and names fit (see
:mod:`~bielefeld_integration.sources.genesis.regions`), a name column whose every name
is found exactly once in the gazetteer, or — in national GENESIS-Online tables without any
region column — the one region the title names (``Deutschland;;;`` as a title line, and
``…: Deutschland, Jahre, …`` in the first line). Anything else is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from bielefeld_integration.errors import DataError
from bielefeld_integration.sources.genesis.records import parse_time
from bielefeld_integration.sources.genesis.regions import (
    is_region_key,
    region_code_for_name,
    region_key_problem,
)

__all__ = ["KeyColumns", "is_code_column", "read_keys"]

_CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._\-]*$")
_NUMBER_RE = re.compile(r"^-?\d+(?:[.,]\d+)?$")


@dataclass
class KeyColumns:
    """Time, region and row dimensions of each data row (arrays of ``str``)."""

    time: np.ndarray | None
    region_code: np.ndarray
    region_name: np.ndarray
    row_dims: list[tuple[np.ndarray | None, np.ndarray]]  # (codes or None, labels)


def is_code_column(col: np.ndarray) -> bool:
    """A column of classification codes: no blanks inside, digits or capitals only."""
    filled = [v for v in col if v]
    return bool(filled) and all(
        _CODE_RE.match(v) and (any(ch.isdigit() for ch in v) or v.isupper()) for v in filled
    )


def read_keys(
    keys: np.ndarray,
    lines: np.ndarray,
    *,
    line_times: list[str | None],
    source: str,
    title_region: tuple[str, str] | None = None,
) -> KeyColumns:
    """Interpret the stripped key cells ``keys`` (rows x key columns).

    ``line_times`` holds, per row, the time of the lone time line above it (or None).
    The caller checks the time against the column headers. ``title_region`` is the one
    region the title names for the whole table (see
    :func:`~bielefeld_integration.sources.genesis.regions.region_from_title`); it is used
    only when no key column holds regions.
    """
    n_key = keys.shape[1]
    pos = 0
    time: np.ndarray | None = None
    col0 = [parse_time(v) for v in keys[:, 0]]
    if all(t is not None for t in col0):
        if any(t is not None for t in line_times):
            raise DataError(
                "Zeitangabe doppelt: sowohl als Zeitzeile als auch in der ersten Spalte",
                file=source,
                row=int(lines[0]),
            )
        time = np.array(col0, dtype=object)
        pos = 1
    elif any(t is not None for t in line_times):
        missing = [int(ln) for ln, t in zip(lines, line_times, strict=True) if t is None]
        if missing:
            raise DataError(
                "Datenzeile vor der ersten Zeitzeile – Zeitbezug unklar",
                file=source,
                row=missing[0],
            )
        time = np.array(line_times, dtype=object)

    if pos >= n_key:
        raise DataError(
            "keine Regionsspalte: nach der Zeit folgen gleich die Werte",
            file=source,
            row=int(lines[0]),
        )
    col = keys[:, pos]
    keyed = np.array([is_region_key(v) for v in col])
    if keyed.all():
        if pos + 1 >= n_key:
            raise DataError(
                "Regionalschlüssel ohne Regionsnamen – Tabelle nicht sicher lesbar",
                file=source,
                row=int(lines[0]),
            )
        names = keys[:, pos + 1]
        checked: dict[tuple[str, str], str | None] = {}
        for i, pair in enumerate(zip(col, names, strict=True)):
            if pair not in checked:
                checked[pair] = region_key_problem(*pair)
            if checked[pair] is not None:
                raise DataError(
                    f"keine Regionsspalte erkannt: {checked[pair]}", file=source, row=int(lines[i])
                )
        region_code, region_name = col.astype(object), names.astype(object)
        pos += 2
    elif (
        title_region is not None
        and not keyed.any()
        and not any(region_code_for_name(v) for v in set(col))
    ):  # one region for the whole table, named in the title: all key columns are dimensions
        region_code = np.full(len(col), title_region[0], dtype=object)
        region_name = np.full(len(col), title_region[1], dtype=object)
    elif keyed.any() or is_code_column(col):
        i = int(np.flatnonzero(~keyed)[0]) if keyed.any() else 0
        raise DataError(
            f"keine Regionsspalte erkannt: die Schlüsselspalte {pos + 1} enthält »{col[i]}«, "
            "keinen Regionalschlüssel",
            file=source,
            row=int(lines[i]),
        )
    else:  # names only: every name must be known exactly once
        found: dict[str, str] = {}
        for i, name in enumerate(col):
            if name not in found:
                code = region_code_for_name(name)
                if code is None:
                    raise DataError(
                        f"Tabelle ohne Regionalschlüssel: der Regionsname »{name}« ist nicht "
                        "eindeutig einem Regionalschlüssel zuzuordnen – bitte mit Schlüssel "
                        "exportieren",
                        file=source,
                        row=int(lines[i]),
                    )
                found[name] = code
        region_code = np.array([found[v] for v in col], dtype=object)
        region_name = col.astype(object)
        pos += 1

    row_dims: list[tuple[np.ndarray | None, np.ndarray]] = []
    while pos < n_key:
        col = keys[:, pos]
        if pos + 1 < n_key and is_code_column(col) and not is_code_column(keys[:, pos + 1]):
            row_dims.append((col.astype(object), keys[:, pos + 1].astype(object)))
            pos += 2
        else:
            numbers = [i for i, v in enumerate(col) if _NUMBER_RE.match(v)]
            if len(numbers) == len(col) or (pos == n_key - 1 and numbers):
                i = numbers[0]
                raise DataError(
                    f"Zahl »{col[i]}« in der Schlüsselspalte {pos + 1} (ohne Spaltenkopf) – "
                    "Wertspalte ohne Kopf oder Merkmal? Tabelle nicht sicher lesbar",
                    file=source,
                    row=int(lines[i]),
                )
            row_dims.append((None, col.astype(object)))
            pos += 1
    return KeyColumns(time, region_code, region_name, row_dims)

"""Bytes to records: input, encoding, CSV records and the small cell parsers.

Both CSV families of GENESIS are semicolon separated with ``"`` as quote character; a quoted
field may span several lines (the footnotes of classic tables). A *record* is one CSV record
with the 1-based line on which it starts, so every error can name the line a user sees in
an editor::

    1  GENESIS-Tabelle: 12511-01-01-4          -> _Record(line=1, cells=[...])
    ...
    12 "zu ""gesamte Tabelle"":                 -> _Record(line=12, cells=["zu ...\\n..."])
    13 alle Länder (2011-2016): ..."
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from bielefeld_integration.errors import DataError

BOM = "\ufeff"

#: Times as published: ``2016``, ``31.12.2015``, ISO ``2015-12-31``, school year ``2015/16``
#: (years 1800-2099 only: ``1000`` is the unit "thousands", not a year).
_YEAR = r"(?:18|19|20)\d{2}"
_TIME_RE = re.compile(
    rf"^(?:(?P<year>{_YEAR})"
    rf"|(?P<d>\d{{2}})\.(?P<m>\d{{2}})\.(?P<y>{_YEAR})"
    rf"|(?P<iso>{_YEAR}-\d{{2}}-\d{{2}})"
    rf"|(?P<school>{_YEAR}/\d{{2}}))$"
)
#: The parsed forms (what :func:`parse_time` returns): the reader's output invariant.
PARSED_TIME_RE = re.compile(r"^(?:\d{4}|\d{4}-\d{2}-\d{2}|\d{4}/\d{2})$")
_STAND_RE = re.compile(
    r"^(?:Stand|Status|As of)\s*:\s*(\d{2})\.(\d{2})\.(\d{4})"
    r"(?:\s*/\s*(\d{2}:\d{2}(?::\d{2})?))?\s*$"
)

#: The fixed columns of the reader's output; every other column is a dimension.
STANDARD_COLUMNS = frozenset({
    "time", "region_code", "region_name", "statistic", "statistic_code",
    "measure", "measure_code", "unit", "value", "symbol",
})  # fmt: skip


@dataclass(slots=True)
class Record:
    """One CSV record: the line where it starts and its cells."""

    line: int
    cells: list[str]
    blank: bool = field(init=False)

    def __post_init__(self) -> None:
        self.blank = not any(c.strip() for c in self.cells)


def read_input(obj: str | os.PathLike[str] | IO[str] | IO[bytes]) -> tuple[bytes | str, str]:
    """The raw content and a name for messages (the path, or ``"<Puffer>"``)."""
    if isinstance(obj, (str, os.PathLike)):
        path = Path(obj)
        try:
            return path.read_bytes(), str(path)
        except OSError as exc:
            raise DataError(f"Datei nicht lesbar: {exc.strerror}", file=path) from None
    if hasattr(obj, "read"):
        name = getattr(obj, "name", None)
        source = str(name) if isinstance(name, (str, os.PathLike)) else "<Puffer>"
        data = obj.read()
        if not isinstance(data, (bytes, bytearray, str)):
            raise DataError("Puffer liefert weder Text noch Bytes", file=source)
        return (bytes(data) if isinstance(data, bytearray) else data), source
    raise TypeError(f"read_genesis erwartet einen Pfad oder einen Puffer, nicht {type(obj)!r}")


def decode(raw: bytes | str, source: str) -> tuple[str, str]:
    """Text and encoding: UTF-8 (with or without BOM), else cp1252, else ISO-8859-1."""
    if isinstance(raw, str):
        return raw.removeprefix(BOM), "text"
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise DataError(
                f"Datei beginnt mit UTF-8-BOM, enthält aber ungültiges UTF-8 (Byte {exc.start})",
                file=source,
            ) from None
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "iso-8859-1"


def split_records(text: str, source: str) -> list[Record]:
    """The CSV records of ``text`` (``;``-separated, ``"``-quoted, LF or CRLF)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    out: list[Record] = []
    start = 1
    try:
        for cells in reader:
            out.append(Record(start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(f"CSV nicht lesbar: {exc}", file=source, row=start) from None
    return out


def parse_time(text: str) -> str | None:
    """``"2016"``, ``"2015-12-31"`` (from ``31.12.2015`` or ISO) or ``"2015/16"``; else None.

    >>> parse_time("31.12.2015"), parse_time(" 2016 "), parse_time("Insgesamt")
    ('2015-12-31', '2016', None)
    >>> parse_time("1000"), parse_time("31.02.2015")
    (None, None)
    """
    m = _TIME_RE.match(text.strip())
    if not m:
        return None
    if m["year"] or m["school"]:
        return m["year"] or m["school"]
    iso = f"{m['y']}-{m['m']}-{m['d']}" if m["y"] else m["iso"]
    try:
        date.fromisoformat(iso)
    except ValueError:
        return None  # 31.02.2015 is no date
    return iso


def parse_stand(text: str) -> str | None:
    """ISO time of a ``Stand: 27.02.2018 / 13:00:56`` line, else None."""
    m = _STAND_RE.match(text.strip())
    if not m:
        return None
    day, month, year, clock = m.groups()
    if clock is None:
        return f"{year}-{month}-{day}"
    if clock.count(":") == 1:
        clock += ":00"
    return f"{year}-{month}-{day}T{clock}"


def trim(cells: list[str]) -> list[str]:
    """``cells`` without trailing empty cells."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def unique_name(name: str, used: set[str]) -> str:
    """A column name not yet in ``used`` (and not a reserved column); adds it to ``used``."""
    name = name.strip() or "Merkmal"
    if name in STANDARD_COLUMNS:
        name = f"{name} (Merkmal)"
    candidate, n = name, 2
    while candidate in used or f"{candidate}_code" in used:
        candidate = f"{name}_{n}"
        n += 1
    used.add(candidate)
    return candidate


def check_unique(df: pd.DataFrame, lines: np.ndarray, source: str) -> None:
    """DataError if two cells have the same key (all columns but ``value`` and ``symbol``)."""
    keys = [c for c in df.columns if c not in ("value", "symbol")]
    dup = df.duplicated(keys)
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        key = ", ".join(f"{k}={df[k].iloc[i]!r}" for k in keys if df[k].iloc[i] != "")
        raise DataError(
            f"dieselbe Zelle kommt doppelt vor ({key}) – Tabelle nicht eindeutig lesbar",
            file=source,
            row=int(lines[i]),
        )


def string_columns(df: pd.DataFrame) -> pd.DataFrame:
    """All columns but ``value`` as ``str`` (in place; returns ``df``)."""
    for name, col in df.items():
        if name != "value":
            df[name] = col.astype("str")
    return df

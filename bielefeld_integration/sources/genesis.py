"""Reader for exports of GENESIS-Online, the Regionaldatenbank and the Landesdatenbank NRW.

One public function, :func:`read_genesis`, reads both CSV families of these databases
(the classic table CSV and the flat CSV "ffcsv", in its current English-keyed and its older
German-keyed form) into one tidy frame with one row per data cell. The module knows the file
formats and nothing about indicators.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from bielefeld_integration.errors import DataError

__all__ = ["SYMBOLS", "read_genesis"]

#: Table symbols that stand in a value cell instead of a number (DIN 55301 and GENESIS).
SYMBOLS: dict[str, str] = {
    "-": "nichts vorhanden (genau null)",
    ".": "Zahlenwert unbekannt oder geheim zu halten",
    "x": "Tabellenfach gesperrt, weil Aussage nicht sinnvoll",
    "/": "keine Angaben, da Zahlenwert nicht sicher genug",
    "...": "Angabe fällt später an",
    "…": "Angabe fällt später an",
    "()": "Aussagewert eingeschränkt",
    "|": "grundsätzliche Änderung innerhalb einer Reihe",
}
#: Quality flags that may follow a number (``"123 p"``) or stand in a quality column.
_FLAGS = "pres"

_BOM = "\ufeff"
_TABLE_LINE_RE = re.compile(r"^\s*(?:GENESIS-)?Tabelle\s*:\s*(\S.*?)\s*$", re.IGNORECASE)
_TIME_RE = re.compile(
    r"^(?:(?P<year>\d{4})"
    r"|(?P<d>\d{2})\.(?P<m>\d{2})\.(?P<y>\d{4})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})"
    r"|(?P<school>\d{4}/\d{2}))$"
)
_REGION_CODE_RE = re.compile(r"^(?:DG|\d{2}|\d{3}|\d{5}|\d{8}|\d{9}|\d{12})$")
_CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._\-]*$")
_STAND_RE = re.compile(
    r"^Stand:\s*(\d{2})\.(\d{2})\.(\d{4})(?:\s*/\s*(\d{2}:\d{2}(?::\d{2})?))?\s*$"
)
_VALUE_RE = (
    r"^(?P<open>\()?(?P<num>-?\d+(?:[.,]\d+)?)(?P<close>\))?(?:\s*(?P<flag>[" + _FLAGS + r"]))?$"
)
_NUMBER_RE = r"-?\d+(?:[.,]\d+)?"
_TABLE_CODE_IN_NAME_RE = re.compile(
    r"(?<![0-9A-Za-z-])(\d{3,5}[A-Z]?(?:-\d{1,4}[a-z]?){1,4})(?![0-9A-Za-z-])"
)
_GERMAN_NACH_RE = re.compile(r"\bnach\s+(.+?)(?:\s+-\s+|\s*;|$)")

#: Variable codes of the regional classifications in flat files.
_REGION_VARIABLES = {"DINSG", "DLAND", "LAND", "REGBEZ", "KREISE", "GEMEIN", "GEMEIND", "GVB"}

_RESERVED = {
    "time", "region_code", "region_name", "statistic", "statistic_code",
    "measure", "measure_code", "unit", "value", "symbol",
}  # fmt: skip


# --------------------------------------------------------------------------- public API


def read_genesis(path_or_buffer: str | os.PathLike[str] | IO[str] | IO[bytes]) -> pd.DataFrame:
    """Read a GENESIS export (classic table CSV or flat CSV) into a tidy frame.

    Reads exports of GENESIS-Online, the Regionaldatenbank Deutschland and the
    Landesdatenbank NRW. The family is recognised from the first line: ``GENESIS-Tabelle: …``
    or ``Tabelle: …`` (classic), ``statistics_code;…`` (flat, current form) or
    ``Statistik_Code;…`` (flat, older form). The encoding is detected (UTF-8 with or without
    BOM, otherwise ISO-8859-1/cp1252), LF and CRLF line ends are both accepted.

    Parameters
    ----------
    path_or_buffer
        Path of the file, or an open binary or text buffer.

    Returns
    -------
    pandas.DataFrame
        One row per data cell, in file order. Columns, in this order:

        ``time``
            ``"2016"`` for years, ISO ``"2015-12-31"`` for dates (``31.12.2015`` in the file),
            school years as published (``"2015/16"``).
        ``region_code``, ``region_name``
            The region key exactly as published (``"05711"``, ``"DG"``, ``"05"``) and the
            name without its indentation; ``""`` where the table has no such column.
        ``statistic`` (and ``statistic_code`` in flat files)
            Only when the statistic differs between cells (e.g. IT.NRW tables that combine
            two statistics); otherwise it is in ``attrs["statistic"]``.
        one column per further dimension
            *Classic:* each row-dimension column, named from the title (``"… nach Geschlecht
            und Altersgruppen"``) or ``"Merkmal_1"``, … when the title does not tell; a
            code + label pair (``121;  Albanien``) gives ``<name>`` (label) and
            ``<name>_code``. Each classification in the column headers gives a column named
            after the classification (``"Geschlecht"``) holding the attribute label
            (``"weiblich"``); cells of columns not broken down by it hold ``""``.
            *Flat:* each non-regional variable gives ``<variable label>`` (attribute label,
            stripped) and ``<variable label>_code`` (attribute code). A total is kept as a
            row with code ``""`` and label ``"Insgesamt"``; nothing is summed or dropped.
        ``measure``
            The value variable: the top column-header level of classic tables (below the
            statistic level in IT.NRW tables), ``value_variable_label`` or the label part of
            ``CODE__Label__unit`` in flat files.
        ``measure_code``
            Flat files only: ``value_variable_code`` or the code part of the column name.
        ``unit``
            ``"Anzahl"``, ``"qkm"``, … (last column-header row of classic tables).
        ``value``
            float; NaN where the cell holds a symbol. Decimal commas are parsed.
        ``symbol``
            ``""`` or the table symbol (``-``, ``.``, ``x``, ``/``, ``...``, ``()``, ``|``)
            or quality flag (``p``, ``r``, ``e``, ``s``, flat ``value_q``); a number in
            parentheses gives ``"()"`` and keeps its value. If a cell has both a symbol and a
            quality flag they are joined with a blank (``". e"``).

        ``df.attrs`` holds ``family`` (``"classic"``, ``"flat"`` or ``"flat_old"``),
        ``table_code`` (classic: from the first line; flat: from the file name where it
        contains one, else ``""``), ``title`` (classic title lines joined; flat: statistic
        label), ``title_lines``, ``statistic``, ``footnotes`` (list of str), ``copyright``,
        ``stand`` (ISO ``"2018-02-27T13:00:56"``, ``""`` if absent), ``time_label``
        (flat: ``"Stichtag"``, ``"Jahr"``; classic: ``""``), ``source`` and ``encoding``.

    Raises
    ------
    DataError
        If the file is not a GENESIS export, is empty, has a header but no data rows, is cut
        off (a row with fewer cells than the header, no footer in a classic table, no line
        end after the last flat row), holds a value cell that is neither a number nor a known
        symbol (the message names line and column), holds mixed decimal marks or repeats
        the key of a cell.

    Notes
    -----
    In classic tables the column-header rows above the unit row are read as
    ``measure, (classification, attribute)*``; with an even number of such rows (IT.NRW)
    the top row is the statistic. The first key column is the time if it holds years or
    dates, otherwise a lone time line (``2015;;;;``) above or between the blocks sets it.
    After the time, a column of region keys followed by a text column gives region code and
    name; a lone text column gives the region name (tables without region codes).
    Not read (a clear DataError instead): classic tables with the time in the column
    headers (GENESIS-Online's default layout for national tables) and classic tables
    without a footer (``__________`` / ``©`` / ``Stand:``), which is how a file cut off at a
    line end looks.

    Examples
    --------
    >>> import io
    >>> text = (
    ...     "GENESIS-Tabelle: 12511-01-01-4\\n"
    ...     "Einbürgerungen nach Kontinenten;;;;\\n"
    ...     ";;;Einbürgerungen;Einbürgerungen\\n"
    ...     ";;;Kontinente;Kontinente\\n"
    ...     ";;;Insgesamt;Ozeanien\\n"
    ...     ";;;Anzahl;Anzahl\\n"
    ...     "2016;05711;      Bielefeld, Kreisfreie Stadt;456;-\\n"
    ...     "__________\\n"
    ...     "Stand: 27.02.2018 / 13:00:56\\n"
    ... )
    >>> df = read_genesis(io.StringIO(text))
    >>> df.loc[0, ["time", "region_code", "region_name", "measure", "unit"]].tolist()
    ['2016', '05711', 'Bielefeld, Kreisfreie Stadt', 'Einbürgerungen', 'Anzahl']
    >>> df["Kontinente"].tolist(), df["value"].tolist(), df["symbol"].tolist()
    (['Insgesamt', 'Ozeanien'], [456.0, nan], ['', '-'])
    >>> df.attrs["table_code"], df.attrs["stand"]
    ('12511-01-01-4', '2018-02-27T13:00:56')
    """
    raw, source = _read_input(path_or_buffer)
    text, encoding = _decode(raw, source)
    if not text.strip():
        raise DataError("Datei ist leer – keine GENESIS-Tabelle", file=source)
    records = _records(text, source)
    first = next(r for r in records if not r.blank)
    head = first.cells[0].strip()
    if head.lower() == "statistics_code":
        df = _read_flat(records, first, source, old=False)
    elif head.lower() == "statistik_code":
        df = _read_flat(records, first, source, old=True)
    elif _TABLE_LINE_RE.match(head):
        df = _read_classic(records, first, source)
    else:
        shown = "".join(ch if ch.isprintable() else "?" for ch in ";".join(first.cells))
        if len(shown) > 60:
            shown = shown[:57] + "..."
        raise DataError(
            f"keine GENESIS-Tabelle erkannt: die erste Zeile »{shown}« ist weder eine "
            "Tabellenkennung (»GENESIS-Tabelle: …« / »Tabelle: …«) noch der Kopf einer "
            "Flat-CSV (»statistics_code;…« / »Statistik_Code;…«)",
            file=source,
            row=first.line,
        )
    if df.attrs.get("family", "").startswith("flat") and not text.endswith(("\n", "\r")):
        raise DataError(
            "die letzte Zeile endet ohne Zeilenumbruch – die Datei ist vermutlich abgeschnitten",
            file=source,
            row=records[-1].line,
        )
    df.attrs["source"] = source
    df.attrs["encoding"] = encoding
    return df


# --------------------------------------------------------------------------- input


@dataclass(slots=True)
class _Record:
    line: int  # 1-based line where the record starts
    cells: list[str]
    blank: bool = field(init=False)

    def __post_init__(self) -> None:
        self.blank = not any(c.strip() for c in self.cells)


def _read_input(obj: str | os.PathLike[str] | IO[str] | IO[bytes]) -> tuple[bytes | str, str]:
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


def _decode(raw: bytes | str, source: str) -> tuple[str, str]:
    if isinstance(raw, str):
        return raw.removeprefix(_BOM), "text"
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


def _records(text: str, source: str) -> list[_Record]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    out: list[_Record] = []
    start = 1
    try:
        for cells in reader:
            out.append(_Record(start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(f"CSV nicht lesbar: {exc}", file=source, row=start) from None
    return out


# --------------------------------------------------------------------------- cells


def _parse_time(text: str) -> str | None:
    m = _TIME_RE.match(text.strip())
    if not m:
        return None
    if m["year"]:
        return m["year"]
    if m["y"]:
        return f"{m['y']}-{m['m']}-{m['d']}"
    return m["iso"] or m["school"]


def _parse_stand(text: str) -> str | None:
    m = _STAND_RE.match(text.strip())
    if not m:
        return None
    day, month, year, clock = m.groups()
    if clock is None:
        return f"{year}-{month}-{day}"
    if clock.count(":") == 1:
        clock += ":00"
    return f"{year}-{month}-{day}T{clock}"


def _parse_values(
    cells: np.ndarray, where: _Where, *, allow_empty: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Parse value cells into (float values, symbols).

    ``where(i)`` gives ``(line, column)`` of cell ``i`` for error messages; ``allow_empty``
    marks cells that may be empty (a flat row whose quality column carries the symbol).
    Plain numbers and bare symbols take a vectorised path; only the rest (numbers with a
    flag or in parentheses, and bad cells) go through the full pattern.
    """
    s = pd.Series(cells, dtype="str").str.strip()
    plain = s.str.fullmatch(_NUMBER_RE).to_numpy(dtype=bool)
    bare = s.isin([*SYMBOLS, "X"]).to_numpy(dtype=bool)
    num = s.where(plain, "")
    sym = s.where(bare, "").str.replace("X", "x", regex=False)
    flags = pd.Series("", index=s.index, dtype="str")
    rest = ~(plain | bare)
    if allow_empty is not None:
        rest &= ~((s == "").to_numpy(dtype=bool) & allow_empty)
    if rest.any():
        parts = s[rest].str.extract(_VALUE_RE)
        ok = parts["num"].notna() & (parts["open"].notna() == parts["close"].notna())
        if not ok.all():
            bad = parts.index[~ok.to_numpy(dtype=bool)]
            line, column = where(int(bad[0]))
            cell = s.iloc[bad[0]]
            more = f" (und {len(bad) - 1} weitere Zelle(n))" if len(bad) > 1 else ""
            what = f"»{cell}«" if cell else "eine leere Zelle"
            raise DataError(
                f"Wertzelle {what} ist weder eine Zahl noch ein bekanntes Tabellenzeichen "
                f"({' '.join(SYMBOLS)}){more}",
                file=where.source,
                row=line,
                column=column,
            )
        num[rest] = parts["num"]
        sym[rest] = parts["open"].notna().map({True: "()", False: ""})
        flags[rest] = parts["flag"].fillna("")
    has_comma = num.str.contains(",", regex=False).to_numpy(dtype=bool)
    has_dot = num.str.contains(".", regex=False).to_numpy(dtype=bool)
    if has_comma.any() and has_dot.any():
        i = int(np.flatnonzero(has_dot)[0])
        line, column = where(i)
        raise DataError(
            f"uneinheitliches Dezimaltrennzeichen: »{s.iloc[i]}« mit Punkt, andere Zellen mit "
            "Komma",
            file=where.source,
            row=line,
            column=column,
        )
    values = pd.to_numeric(num.str.replace(",", ".", regex=False).replace("", np.nan))
    symbols = (sym + " " + flags).str.strip()
    return values.to_numpy(dtype="float64", na_value=np.nan), symbols.to_numpy(dtype=object)


class _Where:
    """Maps a flat cell index to (line, column) for error messages."""

    def __init__(self, source: str, lines: Sequence[int], columns: Sequence[str]) -> None:
        self.source = source
        self.lines = lines
        self.columns = columns

    def __call__(self, i: int) -> tuple[int, str]:
        n = len(self.columns)
        return self.lines[i // n], self.columns[i % n]


def _unique_name(name: str, used: set[str]) -> str:
    name = name.strip() or "Merkmal"
    if name in _RESERVED:
        name = f"{name} (Merkmal)"
    candidate, n = name, 2
    while candidate in used or f"{candidate}_code" in used:
        candidate = f"{name}_{n}"
        n += 1
    used.add(candidate)
    return candidate


def _check_unique(df: pd.DataFrame, keys: list[str], lines: np.ndarray, source: str) -> None:
    dup = df.duplicated(keys)
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        key = ", ".join(f"{k}={df[k].iloc[i]!r}" for k in keys if df[k].iloc[i] != "")
        raise DataError(
            f"dieselbe Zelle kommt doppelt vor ({key}) – Tabelle nicht eindeutig lesbar",
            file=source,
            row=int(lines[i]),
        )


# --------------------------------------------------------------------------- classic


def _is_header_row(cells: list[str]) -> bool:
    return bool(cells) and not cells[0].strip() and any(c.strip() for c in cells)


def _time_line(cells: list[str]) -> str | None:
    """The time of a lone time line such as ``2015;;;;``, else None."""
    if not cells or any(c.strip() for c in cells[1:]):
        return None
    return _parse_time(cells[0])


def _trim(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def _footer_text(cells: list[str]) -> str:
    return ";".join(_trim(cells)).strip()


def _title_dimensions(title_lines: list[str]) -> list[str]:
    """Classifications named in a title: ``"… nach Geschlecht und Altersgruppen"``."""
    for line in title_lines:
        m = _GERMAN_NACH_RE.search(line)
        if m:
            names = re.split(r",\s*|\s+und\s+", m.group(1))
            return [re.sub(r"\s*\([^)]*\)", "", n).strip() for n in names if n.strip()]
    return []


def _same_concept(a: str, b: str) -> bool:
    a = re.sub(r"\s*\([^)]*\)", "", a).casefold().strip()
    b = re.sub(r"\s*\([^)]*\)", "", b).casefold().strip()
    n = min(6, len(a), len(b))
    return n > 0 and a[:n] == b[:n]


def _read_classic(records: list[_Record], first: _Record, source: str) -> pd.DataFrame:
    table_code = _TABLE_LINE_RE.match(first.cells[0].strip()).group(1)  # type: ignore[union-attr]
    start = records.index(first) + 1

    # --- title block: up to the first column-header row
    title_lines: list[str] = []
    time_now: str | None = None
    i = start
    while i < len(records) and not _is_header_row(records[i].cells):
        rec = records[i]
        if rec.blank:
            i += 1
            continue
        if rec.cells[0].startswith("___"):
            break
        t = _time_line(rec.cells)
        if t is not None:
            time_now = t
        else:
            title_lines.append(" ".join(c.strip() for c in rec.cells if c.strip()))
        i += 1
        if i - start > 15:
            break
    if i >= len(records) or not _is_header_row(records[i].cells):
        raise DataError(
            "keine GENESIS-Tabelle erkannt: nach der Tabellenkennung folgen keine "
            "Spaltenköpfe (Zeilen, die mit leeren Zellen beginnen)",
            file=source,
            row=records[min(i, len(records) - 1)].line,
        )

    # --- column-header rows
    header: list[_Record] = []
    while i < len(records) and _is_header_row(records[i].cells):
        header.append(records[i])
        i += 1
    if len(header) > 6:
        raise DataError(
            f"{len(header)} Spaltenkopfzeilen – mehr als in GENESIS-Tabellen üblich; "
            "Daten ohne Zeit- und Regionsspalten?",
            file=source,
            row=header[0].line,
        )
    n_key = min(next(j for j, c in enumerate(r.cells) if c.strip()) for r in header)
    n_cols = max(len(_trim(r.cells)) for r in header)
    levels = [
        [(r.cells[j].strip() if j < len(r.cells) else "") for j in range(n_key, n_cols)]
        for r in header
    ]
    header_keys = [tuple(c.strip() for c in _trim(r.cells)) for r in header]
    if n_key == 0:
        raise DataError("Spaltenköpfe ohne Schlüsselspalten", file=source, row=header[0].line)

    # --- data rows, up to the footer
    rows: list[list[str]] = []
    row_lines: list[int] = []
    row_times: list[str | None] = []
    time_lines_seen = time_now is not None
    footer_start: int | None = None
    blank_before = False
    while i < len(records):
        rec = records[i]
        cells = rec.cells
        if rec.blank:
            blank_before = True
            i += 1
            continue
        head = cells[0].strip()
        if head.startswith("___") or head.startswith("©") or _parse_stand(head) is not None:
            footer_start = i
            break
        t = _time_line(cells)
        if t is not None:
            time_now, time_lines_seen = t, True
            blank_before = False
            i += 1
            continue
        if _is_header_row(cells):
            if tuple(c.strip() for c in _trim(cells)) not in header_keys:
                raise DataError(
                    "unerwartete Spaltenkopfzeile mitten in den Daten (weicht vom Tabellenkopf ab)",
                    file=source,
                    row=rec.line,
                )
            i += 1
            continue
        if blank_before and len(cells) < n_cols:
            footer_start = i  # footnotes after blank lines without a separator line
            break
        if len(cells) > n_cols and any(c.strip() for c in cells[n_cols:]):
            raise DataError(
                f"Datenzeile hat {len(_trim(cells))} Zellen, der Tabellenkopf nur {n_cols}",
                file=source,
                row=rec.line,
            )
        if len(cells) < n_cols:
            raise DataError(
                f"Datenzeile hat nur {len(cells)} von {n_cols} Zellen – die Datei ist "
                "abgeschnitten oder beschädigt",
                file=source,
                row=rec.line,
            )
        rows.append(cells[:n_cols])
        row_lines.append(rec.line)
        row_times.append(time_now)
        blank_before = False
        i += 1
    if not rows:
        raise DataError(
            "Tabellenkopf gefunden, aber keine Datenzeilen", file=source, row=header[-1].line
        )
    if footer_start is None:
        raise DataError(
            "die Tabelle endet ohne Fußzeile (»__________«, »©…«, »Stand: …«) – die Datei ist "
            "vermutlich abgeschnitten",
            file=source,
            row=row_lines[-1],
        )

    # --- footer
    footnotes: list[str] = []
    copyright_lines: list[str] = []
    stand = ""
    for rec in records[footer_start:]:
        if rec.blank:
            continue
        text = _footer_text(rec.cells)
        if text.startswith("___") and not text.strip("_"):
            continue
        parsed = _parse_stand(text)
        if parsed is not None:
            stand = parsed
        elif text.startswith("©"):
            copyright_lines.append(text)
        else:
            footnotes.append(text)

    # --- key columns
    data = np.array(rows, dtype=object)
    keys = np.char.strip(data[:, :n_key].astype(str))
    lines_arr = np.asarray(row_lines)
    pos = 0
    col0_times = [_parse_time(v) for v in keys[:, 0]]
    if all(t is not None for t in col0_times):
        if time_lines_seen:
            raise DataError(
                "Zeitangabe doppelt: sowohl als Zeitzeile als auch in der ersten Spalte",
                file=source,
                row=row_lines[0],
            )
        times = np.array(col0_times, dtype=object)
        pos = 1
    elif time_lines_seen:
        missing = [ln for ln, t in zip(row_lines, row_times, strict=True) if t is None]
        if missing:
            raise DataError(
                "Datenzeile vor der ersten Zeitzeile – Zeitbezug unklar",
                file=source,
                row=missing[0],
            )
        times = np.array(row_times, dtype=object)
    else:
        bad = next(k for k, t in enumerate(col0_times) if t is None)
        if any(any(lv) and all(_parse_time(x) for x in lv if x) for lv in levels):
            raise DataError(
                "die Zeit steht in den Spaltenköpfen – dieses Layout wird nicht gelesen; bitte "
                "die Tabelle mit der Zeit in der ersten Spalte (Vorspalte) exportieren",
                file=source,
                row=header[0].line,
            )
        raise DataError(
            "keine Zeitangabe gefunden: weder eine Zeitzeile (z. B. »2015;;;«) noch eine "
            f"Zeitspalte (erste Spalte enthält »{keys[bad, 0]}«)",
            file=source,
            row=row_lines[bad],
        )

    n = len(rows)
    region_code = np.full(n, "", dtype=object)
    region_name = np.full(n, "", dtype=object)
    if pos < n_key:
        col = keys[:, pos]
        if pos + 1 < n_key and all(_REGION_CODE_RE.match(v) for v in col):
            region_code = col.astype(object)
            region_name = keys[:, pos + 1].astype(object)
            pos += 2
        elif not _is_code_column(col):
            region_name = col.astype(object)
            pos += 1

    # row dimensions: code + label pairs or single label columns
    row_dims: list[tuple[np.ndarray | None, np.ndarray]] = []
    while pos < n_key:
        col = keys[:, pos]
        if pos + 1 < n_key and _is_code_column(col) and not _is_code_column(keys[:, pos + 1]):
            row_dims.append((col.astype(object), keys[:, pos + 1].astype(object)))
            pos += 2
        else:
            row_dims.append((None, col.astype(object)))
            pos += 1

    # --- column-header levels
    if len(levels) >= 2:
        unit_level, label_levels = levels[-1], levels[:-1]
    else:
        unit_level, label_levels = [""] * (n_cols - n_key), levels
    statistic_level: list[str] | None = None
    if len(label_levels) % 2 == 0:
        statistic_level, label_levels = label_levels[0], label_levels[1:]
    measure_level = label_levels[0]
    pairs = [(label_levels[j], label_levels[j + 1]) for j in range(1, len(label_levels), 2)]

    used: set[str] = set()
    col_dims: dict[str, list[str]] = {}
    n_val = n_cols - n_key
    for names, attrs in pairs:
        for c in range(n_val):
            if not attrs[c] and not names[c]:
                continue
            name = names[c] or "Merkmal"
            if name not in col_dims:
                col_dims[name] = [""] * n_val
            col_dims[name][c] = attrs[c]
    col_dim_names = list(col_dims)

    # names of row dimensions: from the title, less the classifications in the header
    title = " ".join(title_lines)
    named = [
        d
        for d in _title_dimensions(title_lines)
        if not any(_same_concept(d, c) for c in col_dim_names)
    ]
    if len(named) != len(row_dims):
        named = [f"Merkmal_{k + 1}" for k in range(len(row_dims))]

    paths = [
        tuple(lv[c] for lv in levels) + ((statistic_level[c],) if statistic_level else ())
        for c in range(n_val)
    ]
    if len(set(paths)) != len(paths):
        dup = next(p for p in paths if paths.count(p) > 1)
        raise DataError(
            f"zwei Wertspalten mit gleichem Spaltenkopf »{' / '.join(x for x in dup if x)}«",
            file=source,
            row=header[0].line,
        )
    col_labels = [
        " / ".join(dict.fromkeys(x for x in p if x)) or f"Spalte {n_key + c + 1}"
        for c, p in enumerate(paths)
    ]

    # --- values
    where = _Where(source, row_lines, col_labels)
    values, symbols = _parse_values(data[:, n_key:].reshape(-1), where)

    # --- assemble the long frame (row-major: all cells of a data row together)
    out: dict[str, np.ndarray] = {}
    out["time"] = np.repeat(times, n_val)
    out["region_code"] = np.repeat(region_code, n_val)
    out["region_name"] = np.repeat(region_name, n_val)
    for name in ("time", "region_code", "region_name"):
        used.add(name)
    stat_values = sorted(set(statistic_level)) if statistic_level else []
    if len(stat_values) > 1:
        out["statistic"] = np.tile(np.array(statistic_level, dtype=object), n)
    for (codes, labels), name in zip(row_dims, named, strict=True):
        col_name = _unique_name(name, used)
        out[col_name] = np.repeat(labels, n_val)
        if codes is not None:
            out[f"{col_name}_code"] = np.repeat(codes, n_val)
    for name in col_dim_names:
        out[_unique_name(name, used)] = np.tile(np.array(col_dims[name], dtype=object), n)
    out["measure"] = np.tile(np.array(measure_level, dtype=object), n)
    out["unit"] = np.tile(np.array(unit_level, dtype=object), n)
    out["value"] = values
    out["symbol"] = symbols
    df = pd.DataFrame(out)
    for name, col in df.items():
        if name != "value":
            df[name] = col.astype("str")

    key_cols = [c for c in df.columns if c not in ("value", "symbol")]
    _check_unique(df, key_cols, np.repeat(lines_arr, n_val), source)

    df.attrs.update(
        family="classic",
        table_code=table_code,
        title=title,
        title_lines=title_lines,
        statistic=" / ".join(stat_values),
        footnotes=footnotes,
        copyright="\n".join(copyright_lines),
        stand=stand,
        time_label="",
    )
    return df


def _is_code_column(col: np.ndarray) -> bool:
    """A column of classification codes: no blanks inside, digits or capitals only."""
    filled = [v for v in col if v]
    return bool(filled) and all(
        _CODE_RE.match(v) and (any(ch.isdigit() for ch in v) or v.isupper()) for v in filled
    )


# --------------------------------------------------------------------------- flat

_FLAT_KEYS = {
    False: {
        "statistic_code": "statistics_code",
        "statistic": "statistics_label",
        "time_code": "time_code",
        "time_label": "time_label",
        "time": "time",
        "var": re.compile(r"^(\d+)_variable_(code|label|attribute_code|attribute_label)$"),
    },
    True: {
        "statistic_code": "statistik_code",
        "statistic": "statistik_label",
        "time_code": "zeit_code",
        "time_label": "zeit_label",
        "time": "zeit",
        "var": re.compile(
            r"^(\d+)_(merkmal_code|merkmal_label|auspraegung_code|auspraegung_label)$"
        ),
    },
}
_VAR_PARTS = {
    "code": "code",
    "label": "label",
    "attribute_code": "attr_code",
    "attribute_label": "attr_label",
    "merkmal_code": "code",
    "merkmal_label": "label",
    "auspraegung_code": "attr_code",
    "auspraegung_label": "attr_label",
}


def _read_flat(records: list[_Record], first: _Record, source: str, *, old: bool) -> pd.DataFrame:
    family = "flat_old" if old else "flat"
    header = [c.strip().removeprefix(_BOM) for c in first.cells]
    lower = [h.lower() for h in header]
    spec = _FLAT_KEYS[old]
    idx = {h: j for j, h in enumerate(lower)}
    missing = [spec[k] for k in ("statistic_code", "statistic", "time") if spec[k] not in idx]
    if not old:
        missing += [k for k in ("value", "value_unit", "value_variable_code",
                                "value_variable_label") if k not in idx]  # fmt: skip
    if missing:
        raise DataError(
            f"Kopf einer GENESIS-Flat-CSV unvollständig, es fehlt: {', '.join(missing)}",
            file=source,
            row=first.line,
        )

    # variables: position -> {"code": j, "label": j, "attr_code": j, "attr_label": j}
    variables: dict[int, dict[str, int]] = {}
    known = {idx[spec[k]] for k in ("statistic_code", "statistic", "time_code", "time_label",
                                     "time") if spec[k] in idx}  # fmt: skip
    for j, h in enumerate(lower):
        m = spec["var"].match(h)  # type: ignore[union-attr]
        if m:
            variables.setdefault(int(m.group(1)), {})[_VAR_PARTS[m.group(2)]] = j
            known.add(j)
    for number, parts in variables.items():
        if set(parts) != {"code", "label", "attr_code", "attr_label"}:
            raise DataError(
                f"Merkmal {number} im Kopf unvollständig (Code, Label, Ausprägung Code/Label)",
                file=source,
                row=first.line,
            )

    # measures
    measures: list[tuple[int, str, str, str, int | None]] = []  # col, code, label, unit, q col
    if old:
        for j, h in enumerate(header):
            if j in known or h.endswith("__q"):
                continue
            parts = h.split("__")
            if len(parts) >= 3:
                q = header.index(h + "__q") if h + "__q" in header else None
                measures.append((j, parts[0], parts[1], "__".join(parts[2:]), q))
                known.add(j)
                if q is not None:
                    known.add(q)
        if not measures:
            raise DataError(
                "keine Wertspalte (»CODE__Label__Einheit«) im Kopf der Flat-CSV",
                file=source,
                row=first.line,
            )
    else:
        known |= {idx[k] for k in ("value", "value_unit", "value_variable_code",
                                   "value_variable_label", "value_q") if k in idx}  # fmt: skip
    extra = [j for j in range(len(header)) if j not in known and header[j]]

    # rows
    n_cols = len(header)
    body = [r for r in records[records.index(first) + 1 :] if not r.blank]
    if not body:
        raise DataError("Kopfzeile gefunden, aber keine Datenzeilen", file=source, row=first.line)
    rows: list[list[str]] = []
    for rec in body:
        cells = rec.cells
        if len(cells) < n_cols:
            raise DataError(
                f"Datenzeile hat nur {len(cells)} von {n_cols} Zellen – die Datei ist "
                "abgeschnitten oder beschädigt",
                file=source,
                row=rec.line,
            )
        if len(cells) > n_cols and any(c.strip() for c in cells[n_cols:]):
            raise DataError(
                f"Datenzeile hat {len(_trim(cells))} Zellen, der Kopf nur {n_cols}",
                file=source,
                row=rec.line,
            )
        rows.append(cells[:n_cols])
    data = np.array(rows, dtype=object)
    lines = np.array([r.line for r in body])

    def col(j: int) -> np.ndarray:
        return np.char.strip(data[:, j].astype(str)).astype(object)

    # time
    raw_time = col(idx[spec["time"]])
    cache: dict[str, str | None] = {}
    times = np.empty(len(raw_time), dtype=object)
    for k, t in enumerate(raw_time):
        if t not in cache:
            cache[t] = _parse_time(t)
        if cache[t] is None:
            raise DataError(
                f"unbekannte Zeitangabe »{t}«",
                file=source,
                row=int(lines[k]),
                column=header[idx[spec["time"]]],
            )
        times[k] = cache[t]

    # region variable
    region_var: int | None = None
    for number in sorted(variables):
        codes = set(col(variables[number]["code"]))
        if len(codes) == 1 and _is_region_variable(
            codes.pop(), col(variables[number]["label"]), col(variables[number]["attr_code"])
        ):
            region_var = number
            break

    out: dict[str, np.ndarray] = {"time": times}
    used = {"time", "region_code", "region_name"}
    if region_var is not None:
        out["region_code"] = col(variables[region_var]["attr_code"])
        out["region_name"] = col(variables[region_var]["attr_label"])
    else:
        out["region_code"] = np.full(len(rows), "", dtype=object)
        out["region_name"] = np.full(len(rows), "", dtype=object)

    stat_codes = col(idx[spec["statistic_code"]])
    stat_labels = col(idx[spec["statistic"]])
    if len(set(stat_codes)) > 1:
        out["statistic"] = stat_labels
        out["statistic_code"] = stat_codes
        used |= {"statistic", "statistic_code"}

    for number in sorted(variables):
        if number == region_var:
            continue
        parts = variables[number]
        labels = col(parts["label"])
        if len(set(col(parts["code"]))) == 1:
            name = _unique_name(str(labels[0]) or str(col(parts["code"])[0]), used)
        else:  # different variables at this position: say which one in an extra column
            name = _unique_name(f"Merkmal_{number}", used)
            out[f"{name}_variable"] = labels
        out[name] = col(parts["attr_label"])
        out[f"{name}_code"] = col(parts["attr_code"])
    for j in extra:
        out[_unique_name(header[j], used)] = col(j)

    where_lines = lines
    if old:
        n_m = len(measures)
        cells = np.column_stack([data[:, m[0]] for m in measures]).reshape(-1)
        q_cols = [
            col(m[4]) if m[4] is not None else np.full(len(rows), "", dtype=object)
            for m in measures
        ]
        quality = np.column_stack(q_cols).reshape(-1)
        out = {k: np.repeat(v, n_m) for k, v in out.items()}
        out["measure"] = np.tile(np.array([m[2] for m in measures], dtype=object), len(rows))
        out["measure_code"] = np.tile(np.array([m[1] for m in measures], dtype=object), len(rows))
        out["unit"] = np.tile(np.array([m[3] for m in measures], dtype=object), len(rows))
        where = _Where(source, lines.tolist(), [header[m[0]] for m in measures])
        where_lines = np.repeat(lines, n_m)
    else:
        cells = data[:, idx["value"]]
        quality = col(idx["value_q"]) if "value_q" in idx else np.full(len(rows), "", object)
        out["measure"] = col(idx["value_variable_label"])
        out["measure_code"] = col(idx["value_variable_code"])
        out["unit"] = col(idx["value_unit"])
        where = _Where(source, lines.tolist(), [header[idx["value"]]])

    quality = np.array([q.strip() for q in quality], dtype=object)
    values, symbols = _parse_values(cells, where, allow_empty=quality != "")
    joined = np.where(
        quality == "", symbols, np.where(symbols == "", quality, symbols + " " + quality)
    )
    out["value"] = values
    out["symbol"] = joined
    order = ["time", "region_code", "region_name"] + [
        k for k in out if k not in ("time", "region_code", "region_name")
    ]
    df = pd.DataFrame({k: out[k] for k in order})
    for name, column in df.items():
        if name != "value":
            df[name] = column.astype("str")

    key_cols = [c for c in df.columns if c not in ("value", "symbol")]
    _check_unique(df, key_cols, where_lines, source)

    time_labels = sorted(set(col(idx[spec["time_label"]]))) if spec["time_label"] in idx else []
    statistic = " / ".join(sorted(set(stat_labels)))
    name_match = _TABLE_CODE_IN_NAME_RE.search(Path(source).name)
    table_code = name_match.group(1) if name_match else ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", table_code):
        table_code = ""
    df.attrs.update(
        family=family,
        table_code=table_code,
        title=statistic,
        title_lines=[statistic] if statistic else [],
        statistic=statistic,
        statistic_code=" / ".join(sorted(set(stat_codes))),
        footnotes=[],
        copyright="",
        stand="",
        time_label=" / ".join(time_labels),
    )
    return df


def _is_region_variable(code: str, labels: np.ndarray, attr_codes: np.ndarray) -> bool:
    """A regional classification: a known variable code, or region keys with a region label."""
    code = code.upper()
    if code in _REGION_VARIABLES or code.startswith("GEO"):
        return True
    if not all(_REGION_CODE_RE.match(c) for c in attr_codes):
        return False
    label = str(labels[0]).casefold() if len(labels) else ""
    return any(w in label for w in ("kreise", "gemeinden", "bundesländer", "regierungsbez"))

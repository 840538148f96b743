"""Classic table CSV ("Tabelle als CSV") of GENESIS, the Regionaldatenbank and IT.NRW.

A classic table is a title block, column-header rows, data rows and a footer::

    GENESIS-Tabelle: 12511-01-01-4                          table line
    Einbürgerungen von Ausländern nach Kontinenten;;;;       title lines
    Einbürgerungsstatistik;;;;
    [2015;;;;]                                              lone time line (optional)
    ;;;Einbürgerungen;Einbürgerungen                         header rows: begin with
    ;;;Kontinente;Kontinente                                   one empty cell per key
    ;;;Insgesamt;Afrika                                        column
    ;;;Anzahl;Anzahl
    2016;05711;      Bielefeld, Kreisfreie Stadt;456;48      data rows
    __________                                              footer: separator, quoted
    "zu ""gesamte Tabelle"": ..."                             multi-line notes, ©, Stand
    Stand: 27.02.2018 / 13:00:56

Several periods may be stacked: a time column, or a lone time line (and a repeat of the
header) before each block. The header rows are interpreted by
:mod:`~bielefeld_integration.sources.genesis.headers`, the key columns by
:mod:`~bielefeld_integration.sources.genesis.keys`. Every data row must have exactly as many
cells as the header is wide.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.sources.genesis.headers import dimension_names, read_header
from bielefeld_integration.sources.genesis.keys import read_keys
from bielefeld_integration.sources.genesis.records import (
    Record,
    check_unique,
    parse_stand,
    parse_time,
    string_columns,
    trim,
    unique_name,
)
from bielefeld_integration.sources.genesis.regions import is_region_key, region_from_title
from bielefeld_integration.sources.genesis.symbols import Where, parse_values

__all__ = ["TABLE_LINE_RE", "read_classic"]

TABLE_LINE_RE = re.compile(r"^\s*(?:GENESIS-)?(?:Tabelle|Table)\s*:\s*(\S.*?)\s*$", re.IGNORECASE)


def _is_header_row(cells: list[str]) -> bool:
    return bool(cells) and not cells[0].strip() and any(c.strip() for c in cells)


def _time_line(cells: list[str]) -> str | None:
    """The time of a lone time line such as ``2015;;;;``, else None."""
    if not cells or "".join(cells[1:]).strip():
        return None
    return parse_time(cells[0])


def _is_footer(head: str) -> bool:
    return head.startswith(("___", "©", '"©')) or parse_stand(head) is not None


def read_classic(
    records: list[Record], first: Record, source: str
) -> tuple[pd.DataFrame, np.ndarray]:
    """Read a classic table; returns the frame and the line of each of its rows."""
    table_code = TABLE_LINE_RE.match(first.cells[0].strip()).group(1)  # type: ignore[union-attr]
    itnrw = not first.cells[0].strip().upper().startswith("GENESIS")
    english = "TABLE" in first.cells[0].upper().replace("TABELLE", "")
    start = records.index(first) + 1

    # --- title block: up to the first column-header row
    title_lines: list[str] = []
    time_now: str | None = None
    i = start
    while i < len(records) and not _is_header_row(records[i].cells) and i - start <= 15:
        rec = records[i]
        i += 1
        if rec.blank:
            continue
        if rec.cells[0].startswith("___"):
            break
        t = _time_line(rec.cells)
        if t is not None:
            time_now = t
        else:
            title_lines.append(" ".join(c.strip() for c in rec.cells if c.strip()))
    if i >= len(records) or not _is_header_row(records[i].cells):
        raise DataError(
            "keine GENESIS-Tabelle erkannt: nach der Tabellenkennung folgen keine "
            "Spaltenköpfe (Zeilen, die mit leeren Zellen beginnen)",
            file=source,
            row=records[min(i, len(records) - 1)].line,
        )

    # --- column-header rows
    header: list[Record] = []
    while i < len(records) and _is_header_row(records[i].cells):
        header.append(records[i])
        i += 1
    if len(header) > 8:
        raise DataError(
            f"{len(header)} Spaltenkopfzeilen – mehr als in GENESIS-Tabellen üblich; "
            "Daten ohne Zeit- und Regionsspalten?",
            file=source,
            row=header[0].line,
        )
    n_key = min(next(j for j, c in enumerate(r.cells) if c.strip()) for r in header)
    n_cols = max(len(trim(r.cells)) for r in header)
    levels = [
        [(r.cells[j].strip() if j < len(r.cells) else "") for j in range(n_key, n_cols)]
        for r in header
    ]
    header_keys = [tuple(c.strip() for c in trim(r.cells)) for r in header]

    # --- data rows, up to the footer
    rows: list[list[str]] = []
    row_lines: list[int] = []
    row_times: list[str | None] = []
    footer_start: int | None = None
    blank_before = False
    while i < len(records):
        rec = records[i]
        cells = rec.cells
        i += 1
        if rec.blank:
            blank_before = True
            continue
        if _is_footer(cells[0].strip()):
            footer_start = i - 1
            break
        t = _time_line(cells)
        if t is not None:
            time_now, blank_before = t, False
            continue
        if _is_header_row(cells):
            if tuple(c.strip() for c in trim(cells)) not in header_keys:
                raise DataError(
                    "unerwartete Spaltenkopfzeile mitten in den Daten (weicht vom Tabellenkopf "
                    "ab, oder eine Datenzeile beginnt mit einer leeren Zelle)",
                    file=source,
                    row=rec.line,
                )
            continue
        if blank_before and len(cells) < n_cols:
            footer_start = i - 1  # footnotes after blank lines without a separator line
            break
        if len(cells) > n_cols and any(c.strip() for c in cells[n_cols:]):
            raise DataError(
                f"Datenzeile hat {len(trim(cells))} Zellen, der Tabellenkopf nur {n_cols}",
                file=source,
                row=rec.line,
            )
        if len(cells) < n_cols:
            raise DataError(
                f"Datenzeile hat nur {len(cells)} von {n_cols} Zellen – die Datei ist "
                "abgeschnitten oder beschädigt, oder der Tabellenkopf passt nicht zu den Zeilen",
                file=source,
                row=rec.line,
            )
        rows.append(cells[:n_cols])
        row_lines.append(rec.line)
        row_times.append(time_now)
        blank_before = False
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
    for rec in records[footer_start:]:  # nothing in the footer may look like a data row
        filled = [c.strip() for c in rec.cells if c.strip()]
        if len(filled) > 1 and (parse_time(filled[0]) or is_region_key(filled[0])):
            raise DataError(
                "Datenzeile nach dem Tabellenende (Fußzeile) – Tabelle unvollständig lesbar",
                file=source,
                row=rec.line,
            )
    footnotes, copyright_lines, stand = _footer(records[footer_start:])

    # --- header and key columns
    col = read_header(levels, title_lines, itnrw=itnrw, source=source, line=header[0].line)
    data = np.array(rows, dtype=object)
    lines = np.asarray(row_lines)
    keys = read_keys(
        np.char.strip(data[:, :n_key].astype(str)),
        lines,
        line_times=row_times,
        source=source,
        title_region=region_from_title(title_lines),
    )
    if keys.time is not None and col.time is not None:
        raise DataError(
            "Zeitangabe doppelt: in den Spaltenköpfen und in den Zeilen",
            file=source,
            row=header[0].line,
        )
    if keys.time is None and col.time is None:
        raise DataError(
            "keine Zeitangabe gefunden: weder eine Zeitspalte noch eine Zeitzeile (z. B. "
            "»2015;;;«) noch Jahre oder Stichtage in den Spaltenköpfen "
            f"(erste Spalte enthält »{str(data[0, 0]).strip()}«)",
            file=source,
            row=row_lines[0],
        )

    # --- values and the long frame (row-major: all cells of a data row together)
    n, n_val = len(rows), n_cols - n_key
    values, symbols = parse_values(
        data[:, n_key:].reshape(-1), Where(source, row_lines, col.labels), german=not english
    )
    out: dict[str, np.ndarray] = {}
    used = {"time", "region_code", "region_name"}

    def per_row(a: object) -> np.ndarray:  # one entry per data row -> one per cell
        return np.repeat(np.asarray(a, dtype=object), n_val)

    def per_col(a: object) -> np.ndarray:  # one entry per value column -> one per cell
        return np.tile(np.asarray(a, dtype=object), n)

    out["time"] = per_row(keys.time) if keys.time is not None else per_col(col.time)
    out["region_code"] = per_row(keys.region_code)
    out["region_name"] = per_row(keys.region_name)
    stat_values = sorted(set(col.statistic)) if col.statistic else []
    if len(stat_values) > 1:
        out["statistic"] = per_col(col.statistic)
        used.add("statistic")
    named, renamed = dimension_names(title_lines, list(col.dims), len(keys.row_dims))
    for (codes, labels), name in zip(keys.row_dims, named, strict=True):
        col_name = unique_name(name, used)
        out[col_name] = per_row(labels)
        if codes is not None:
            out[f"{col_name}_code"] = per_row(codes)
    for name, attrs in col.dims.items():
        out[unique_name(renamed.get(name, name), used)] = per_col(attrs)
    if col.occurrence is not None:
        out[unique_name("header_occurrence", used)] = per_col(col.occurrence)
    out["measure"] = per_col(col.measure)
    out["unit"] = per_col(col.unit)
    out["value"] = values
    out["symbol"] = symbols
    df = string_columns(pd.DataFrame(out))
    cell_lines = np.repeat(lines, n_val)
    check_unique(df, cell_lines, source)
    df.attrs.update(
        family="classic",
        table_code=table_code,
        title=" ".join(title_lines),
        title_lines=title_lines,
        statistic=" / ".join(stat_values),
        footnotes=footnotes,
        copyright="\n".join(copyright_lines),
        stand=stand,
        time_label=col.time_label,
    )
    return df, cell_lines


def _footer(records: list[Record]) -> tuple[list[str], list[str], str]:
    """Footnotes, copyright lines and ``Stand`` (ISO) of the footer records."""
    footnotes: list[str] = []
    copyright_lines: list[str] = []
    stand = ""
    for rec in records:
        if rec.blank:
            continue
        text = ";".join(trim(rec.cells)).strip()
        if text.startswith("___") and not text.strip("_"):
            continue
        parsed = parse_stand(text)
        if parsed is not None:
            stand = parsed
        elif text.startswith("©"):  # GENESIS-Online: "© Destatis, 2024 | Stand: 05.11.2024"
            head, _, tail = text.rpartition("|")
            stand = parse_stand(tail) or stand
            copyright_lines.append(head.strip() if parse_stand(tail) else text)
        else:
            footnotes.append(text)
    return footnotes, copyright_lines, stand

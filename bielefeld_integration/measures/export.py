"""Write the measures register in its delivery format (CSV or Excel), deterministically.

The files have the delivery format (German headers, ``TT.MM.JJJJ`` dates, German numbers
in the CSV, real dates and numbers in the XLSX), so
:func:`~bielefeld_integration.measures.reader.load_register` reads them back unchanged.
Every file is written through :mod:`bielefeld_integration.atomic`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.styles import Font

from bielefeld_integration.atomic import write_bytes_atomic
from bielefeld_integration.measures.cells import is_empty
from bielefeld_integration.measures.vocabulary import COLUMNS, HEADERS, split_list
from bielefeld_integration.safe_text import neutralise_cell


def _fmt_budget(value: Any) -> str:
    if is_empty(value) or pd.isna(value):
        return ""
    value = float(value)
    cents = round(value * 100)
    whole, frac = divmod(cents, 100)
    text = f"{whole:,}".replace(",", ".")
    return f"{text},{frac:02d}" if frac else text


def _fmt_iso(value: Any) -> str:
    if is_empty(value) or value is pd.NA:
        return ""
    return dt.date.fromisoformat(str(value)).strftime("%d.%m.%Y")


def _participants_cells(reg: pd.DataFrame) -> list[Any]:
    symbols = reg["participants_symbol"] if "participants_symbol" in reg.columns else None
    out: list[Any] = []
    for i, v in enumerate(reg["participants"]):
        sym = "" if symbols is None else str(symbols.iloc[i])
        if sym == ".":
            out.append(".")
        elif pd.isna(v):
            out.append(None)
        else:
            out.append(round(float(v)))
    return out


def _export_rows(reg: pd.DataFrame) -> Iterator[dict[str, Any]]:
    parts = _participants_cells(reg)
    for i, rec in enumerate(reg[COLUMNS].itertuples(index=False)):
        row = rec._asdict()
        yield {
            "ID": row["measure_id"],
            "Titel": row["title"],
            "Kurzbeschreibung": "" if is_empty(row["description"]) else row["description"],
            "Verantwortliche Stelle": row["body"],
            "Art der Stelle": row["body_type"],
            "Handlungsfeld": row["field"],
            "Schwerpunktziele": ",".join(split_list(row["goals"])),
            "Zielgruppen": ", ".join(split_list(row["target_groups"])),
            "Herkunft": row["origin"],
            "Status": row["status"],
            "Beginn": row["start"],
            "Ende": None if is_empty(row["end"]) or row["end"] is pd.NA else row["end"],
            "Stand": row["as_of"],
            "Teilnehmende": parts[i],
            "Budget (EUR)": None if pd.isna(row["budget_eur"]) else float(row["budget_eur"]),
            "Finanzierung": ", ".join(split_list(row["funding"])),
            "Indikatoren": ", ".join(split_list(row["indicators"])),
        }


def register_csv(reg: pd.DataFrame, *, comment: str | None = None) -> str:
    """The register as CSV text in the delivery format (``;``, German headers and numbers).

    Parameters
    ----------
    reg : pandas.DataFrame
        A register (or the register of
        :func:`~bielefeld_integration.measures.publish.publish_register`: suppressed and
        unknown counts become ``.``).
    comment : str, optional
        A first line ``# <comment>`` (e.g. the marker of synthetic data).

    Returns
    -------
    str
        Lines separated by ``\\n``; :func:`load_register` reads it back unchanged.
    """
    buf = io.StringIO()
    if comment:
        buf.write(f"# {comment}\n")
    writer = csv.writer(buf, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(list(HEADERS))
    for row in _export_rows(reg):
        cells = []
        for header, value in row.items():
            if header in ("Beginn", "Ende", "Stand"):
                cells.append(_fmt_iso(value))
            elif header == "Budget (EUR)":
                cells.append(_fmt_budget(value))
            else:
                cells.append("" if value is None else str(value))
        writer.writerow([neutralise_cell(c) for c in cells])  # no formula cells
    return buf.getvalue()


def register_xlsx(reg: pd.DataFrame, comment: str | None = None) -> bytes:
    """The register as an Excel workbook in the delivery format (same bytes on every run)."""
    return _xlsx_bytes(reg, comment)


def _xlsx_bytes(reg: pd.DataFrame, comment: str | None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Maßnahmen"
    if comment:
        ws.append([f"# {comment}"])
    ws.append(list(HEADERS))
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for row in _export_rows(reg):
        values = []
        for header, value in row.items():
            if header in ("Beginn", "Ende", "Stand"):
                values.append(dt.date.fromisoformat(value) if value else None)
            else:
                values.append(neutralise_cell(value))  # text, never a formula
        ws.append(values)
        r = ws.max_row
        for c, header in enumerate(HEADERS, start=1):
            cell = ws.cell(row=r, column=c)
            if header in ("Beginn", "Ende", "Stand"):
                cell.number_format = "DD.MM.YYYY"
            elif header == "Budget (EUR)":
                cell.number_format = "#,##0.00"
            elif header != "Teilnehmende":
                cell.number_format = "@"
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    widths = {
        "ID": 10,
        "Titel": 50,
        "Kurzbeschreibung": 60,
        "Verantwortliche Stelle": 30,
        "Handlungsfeld": 40,
        "Zielgruppen": 30,
        "Finanzierung": 20,
    }
    for c, header in enumerate(HEADERS, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = widths.get(header, 14)
    fixed = dt.datetime(2000, 1, 1)
    if len(reg):
        as_of = dt.date.fromisoformat(str(reg["as_of"].max()))
        fixed = dt.datetime(as_of.year, as_of.month, as_of.day)
    wb.properties.created = wb.properties.modified = fixed
    wb.properties.creator = "Kommunales Integrationszentrum"
    raw = io.BytesIO()
    wb.save(raw)
    # repack with fixed timestamps so that the same register gives the same bytes
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>",
                    b'<dcterms:modified xsi:type="dcterms:W3CDTF">'
                    + fixed.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                    + b"</dcterms:modified>",
                    data,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, data)
    return out.getvalue()


def export_register(reg: pd.DataFrame, path: str | Path, *, comment: str | None = None) -> Path:
    """Write the register as ``.csv`` (UTF-8 with BOM for Excel, ``;``) or ``.xlsx``.

    The files have the delivery format (German headers, ``TT.MM.JJJJ`` dates, German
    numbers in the CSV, real dates and numbers in the XLSX), so :func:`load_register`
    reads them back unchanged. The write is atomic and the bytes are deterministic.

    Parameters
    ----------
    reg : pandas.DataFrame
        A register; for publication the register of
        :func:`~bielefeld_integration.measures.publish.publish_register` (suppressed and
        unknown participant counts are written as ``.``).
    path : str or Path
        Target file; the suffix (``.csv`` or ``.xlsx``) selects the format.
    comment : str, optional
        A first line/row ``# <comment>``.

    Returns
    -------
    Path
        The written file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        content = register_csv(reg, comment=comment).encode("utf-8-sig")
    elif suffix == ".xlsx":
        content = _xlsx_bytes(reg, comment)
    else:
        raise ValueError(f"unsupported export format {path.suffix!r} (use .csv or .xlsx)")
    write_bytes_atomic(path, content)
    return path

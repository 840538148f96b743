"""Writers for the delivery formats of the demo files.

Small helpers that turn rows into the bytes an office really sends: semicolon CSVs of the
city's offices (German headers, cp1252 or UTF-8, a ``#`` line marking synthetic data), the
CSV export of the Bundesagentur für Arbeit (preamble before the header, thousands dots),
GENESIS classic tables (title records, column-header rows, footer) and the older
German-keyed GENESIS flat CSV.
"""

from __future__ import annotations

from collections.abc import Sequence

from bielefeld_integration.demo import SYNTHETIC_NOTE

#: The marker line of every synthetic city CSV (skipped by the loaders as a comment).
COMMENT = f"# {SYNTHETIC_NOTE}"

#: Bielefeld and some neighbours for the GENESIS tables: code, indented name, size factor.
REGIONS: list[tuple[str, str, float]] = [
    ("05", "Nordrhein-Westfalen", 52.7),
    ("057", "  Detmold, Regierungsbezirk", 6.1),
    ("05711", "    Bielefeld, Kreisfreie Stadt", 1.0),
    ("05754", "    Gütersloh, Kreis", 1.08),
    ("05758", "    Herford, Kreis", 0.75),
    ("05766", "    Lippe, Kreis", 1.03),
]


def thousands(n: int) -> str:
    """A whole number with German thousands dots (``13456`` -> ``"13.456"``)."""
    return f"{n:,}".replace(",", ".")


def encode(lines: Sequence[str], *, encoding: str, crlf: bool = False, bom: bool = False) -> bytes:
    """Join lines (each ending with a line break) and encode them."""
    text = ("\r\n" if crlf else "\n").join(lines) + ("\r\n" if crlf else "\n")
    data = text.encode(encoding)
    return b"\xef\xbb\xbf" + data if bom else data


def city_csv(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    encoding: str = "utf-8",
    bom: bool = False,
    crlf: bool = False,
    comments: Sequence[str] = (),
) -> bytes:
    """A semicolon CSV of a city office with the synthetic-data comment as first line.

    ``comments`` are further ``#`` lines between that comment and the header (e.g. the
    office and extract an export names).
    """
    lines = [COMMENT, *(f"# {c}" for c in comments), ";".join(header)]
    lines += [";".join(str(c) for c in row) for row in rows]
    return encode(lines, encoding=encoding, crlf=crlf, bom=bom)


def ba_export(
    title: str,
    preamble: Sequence[str],
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    footer: Sequence[str] = (),
) -> bytes:
    """A CSV export of the Statistik der Bundesagentur für Arbeit (cp1252, CRLF).

    The title (marked synthetic), the line ``Statistik der Bundesagentur für Arbeit``, the
    preamble lines (region, reference date) and a blank line precede the header.
    """
    lines = [f"{title} – SYNTHETISCHE DEMODATEN", "Statistik der Bundesagentur für Arbeit"]
    lines += [*preamble, "", ";".join(header)]
    lines += [";".join(str(c) for c in row) for row in rows]
    if footer:
        lines += ["", *footer]
    return encode(lines, encoding="cp1252", crlf=True)


def genesis_head(
    heading: str,
    title: Sequence[str],
    col_headers: Sequence[Sequence[str]],
    *,
    lead: int,
) -> list[str]:
    """The lines above the data rows of a GENESIS classic table.

    ``heading`` is the first line (``GENESIS-Tabelle: <code>`` or, in the Landesdatenbank,
    ``Tabelle: <code>``); each title record is padded with ``;`` to the width of the table;
    each column-header row (one cell per value column) is prefixed by ``lead`` empty cells
    for time, region code, region name and row dimensions.
    """
    pad = ";" * (lead + len(col_headers[0]) - 1)
    lines = [heading]
    lines += [f"{t}{pad}" for t in title]
    lines += [";" * lead + ";".join(h) for h in col_headers]
    return lines


def genesis_footer(
    footnote: str, copyright_line: str, stand: str, *, blank_before: bool = False
) -> list[str]:
    """The lines below the data rows of a GENESIS classic table.

    A rule, the footnote as one quoted (multi-line) cell, the copyright line as given and
    ``Stand: <stand>``; ``blank_before`` puts an empty line before the rule.
    """
    note = footnote.replace('"', '""')
    lines = ["__________", f'"{note}"', copyright_line, f"Stand: {stand}"]
    return ["", *lines] if blank_before else lines


def genesis_classic(
    *,
    code: str,
    title: Sequence[str],
    col_headers: Sequence[Sequence[str]],
    rows: Sequence[Sequence[object]],
    lead: int,
    footnote: str,
    stand: str,
    year: int,
    encoding: str = "iso-8859-1",
    crlf: bool = False,
) -> bytes:
    """A GENESIS classic table CSV (Regionaldatenbank style).

    ``title`` are the title records after the ``GENESIS-Tabelle:`` line (padded with ``;``),
    ``col_headers`` the column-header rows for the value columns (prefixed by ``lead`` empty
    cells for time, region code, region name and row dimensions), ``rows`` the data rows.
    """
    lines = genesis_head(f"GENESIS-Tabelle: {code}", title, col_headers, lead=lead)
    lines += [";".join(str(c) for c in row) for row in rows]
    lines += genesis_footer(
        footnote,
        f'"© Statistische Ämter des Bundes und der Länder, Deutschland, {year}.\n'
        "Dieses Werk ist lizenziert unter der Datenlizenz Deutschland\n"
        '- Namensnennung - Version 2.0."',
        stand,
    )
    return encode(lines, encoding=encoding, crlf=crlf)


def genesis_flat_old(
    *,
    code: str,
    label: str,
    time_code: str,
    time_label: str,
    dims: Sequence[tuple[str, str]],
    measures: Sequence[str],
    rows: Sequence[tuple[str, Sequence[tuple[str, str]], Sequence[object]]],
) -> bytes:
    """The older German-keyed GENESIS flat CSV (UTF-8, one column per measure).

    ``dims`` are the (code, label) pairs of the variables, ``measures`` the measure columns
    (``CODE__Label__unit``), ``rows`` (time, attribute (code, label) per variable, values).
    """
    head = ["Statistik_Code", "Statistik_Label", "Zeit_Code", "Zeit_Label", "Zeit"]
    for i in range(1, len(dims) + 1):
        head += [
            f"{i}_Merkmal_Code",
            f"{i}_Merkmal_Label",
            f"{i}_Auspraegung_Code",
            f"{i}_Auspraegung_Label",
        ]
    lines = [";".join([*head, *measures])]
    for time, attrs, values in rows:
        cells = [code, label, time_code, time_label, time]
        for (dcode, dlabel), (acode, alabel) in zip(dims, attrs, strict=True):
            cells += [dcode, dlabel, acode, alabel]
        cells += [str(v) for v in values]
        lines.append(";".join(cells))
    return encode(lines, encoding="utf-8")


def german_date(iso: str) -> str:
    """``"2016-03-01"`` -> ``"01.03.2016"``."""
    y, m, d = iso.split("-")
    return f"{d}.{m}.{y}"

"""Reader for exports of GENESIS-Online, the Regionaldatenbank and the Landesdatenbank NRW.

One public function, :func:`read_genesis`, reads both CSV families of these databases into
one tidy frame with one row per data cell, or refuses with a :class:`DataError`. It never
returns a frame it is not sure of: every row it returns has a region key, a parsed time and
a number or a symbol (checked at the end, whatever the layout).

Modules, one job each:

- :mod:`.records`: bytes to CSV records (encoding, line ends, quoted multi-line fields)
- :mod:`.detect`: which family a file belongs to
- :mod:`.classic`: classic table CSV (title, header, data rows, footer)
- :mod:`.headers`: the column headers of classic tables (time, measure, classifications, unit)
- :mod:`.keys`: the key columns of classic tables (time, region, row dimensions)
- :mod:`.flat`: flat CSV ("ffcsv"), current and older form
- :mod:`.regions`: region keys, regional variables, the gazetteer of region names
- :mod:`.symbols`: value cells (numbers, table symbols, quality flags)
"""

from __future__ import annotations

import os
from typing import IO

import numpy as np
import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.sources.genesis.classic import read_classic
from bielefeld_integration.sources.genesis.detect import detect_family
from bielefeld_integration.sources.genesis.flat import read_flat
from bielefeld_integration.sources.genesis.records import (
    PARSED_TIME_RE,
    STANDARD_COLUMNS,
    decode,
    read_input,
    split_records,
)
from bielefeld_integration.sources.genesis.symbols import SYMBOLS

__all__ = ["STANDARD_COLUMNS", "SYMBOLS", "check_invariant", "read_genesis"]


def read_genesis(path_or_buffer: str | os.PathLike[str] | IO[str] | IO[bytes]) -> pd.DataFrame:
    """Read a GENESIS export (classic table CSV or flat CSV) into a tidy frame.

    Reads exports of GENESIS-Online, the Regionaldatenbank Deutschland and the
    Landesdatenbank NRW, in German or English. The family is recognised from the first
    line: ``GENESIS-Tabelle: …`` or ``Tabelle: …`` (classic), ``statistics_code;…`` (flat,
    current form) or ``Statistik_Code;…`` (flat, older form). The encoding is detected
    (UTF-8 with or without BOM, otherwise cp1252/ISO-8859-1), LF and CRLF are both accepted.

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
            school years as published (``"2015/16"``) — from a time column, a lone time
            line or the column headers.
        ``region_code``, ``region_name``
            The region key exactly as published (``"05711"``, ``"DG"``, ``"05"``,
            ``"05711000"``) and the name without its indentation. In a table of names only
            the key comes from the gazetteer of region names (see
            :func:`~bielefeld_integration.sources.genesis.regions.region_code_for_name`); a
            national GENESIS-Online table without a region column takes the one region its
            title names (``Deutschland`` -> ``"DG"``, see
            :func:`~bielefeld_integration.sources.genesis.regions.region_from_title`).
        ``statistic`` (and ``statistic_code`` in flat files)
            Only when the statistic differs between cells (IT.NRW tables that combine two
            statistics); otherwise it is in ``attrs["statistic"]``.
        one column per further dimension
            *Classic:* each row-dimension column, named from the title (``"… nach
            Geschlecht und Altersgruppen"``) or ``"Merkmal_1"``, …; a code + label pair
            (``121;  Albanien``) gives ``<name>`` (label) and ``<name>_code``. Each
            classification in the column headers gives a column named after it
            (``"Geschlecht"``) holding the attribute (``"weiblich"``), ``""`` in columns not
            broken down by it; attribute rows without a name row are named from their values,
            from the title, or ``"Spaltenmerkmal_1"``, …. Two value columns with the same header get
            ``header_occurrence`` (``"1"``, ``"2"``).
            *Flat:* each non-regional variable gives ``<variable label>`` (attribute label)
            and ``<variable label>_code``. A total is a row with code ``""`` and label
            ``"Insgesamt"``; nothing is summed or dropped.
        ``measure`` (and ``measure_code`` in flat files)
            The value variable.
        ``unit``
            ``"Anzahl"``, ``"qkm"``, … (``""`` where the file does not say).
        ``value``
            float; NaN where the cell holds a symbol. Decimal commas are parsed.
        ``symbol``
            ``""`` or the table symbol (``-``, ``.``, ``x``, ``/``, ``...``, ``()``, ``|``)
            or quality flag (``p``, ``r``, ``e``, ``s``, flat ``value_q``); a number in
            parentheses gives ``"()"`` and keeps its value.

        ``df.attrs`` holds ``family`` (``"classic"``, ``"flat"`` or ``"flat_old"``),
        ``table_code``, ``title``, ``title_lines``, ``statistic``, ``footnotes`` (list of
        str), ``copyright``, ``stand`` (ISO ``"2018-02-27T13:00:56"`` or ``""``),
        ``time_label``, ``source`` and ``encoding``.

    Raises
    ------
    DataError
        Naming file, line and what could not be understood: not a GENESIS export, empty,
        header without data, cut off, a row wider or narrower than the header, a value cell
        that is neither a number nor a known symbol, no time or time in two places, no
        region key that can be established (no region column, a code column that is not
        one of regions, names not in the gazetteer, no or two regional variables in a flat
        file), mixed decimal marks, or two cells with the same key.

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
    raw, source = read_input(path_or_buffer)
    text, encoding = decode(raw, source)
    if not text.strip():
        raise DataError("Datei ist leer – keine GENESIS-Tabelle", file=source)
    records = split_records(text, source)
    family, first = detect_family(records, source)
    if family == "flat":
        df, lines = read_flat(records, first, source)
        if not text.endswith(("\n", "\r")):
            raise DataError(
                "die letzte Zeile endet ohne Zeilenumbruch – die Datei ist vermutlich "
                "abgeschnitten",
                file=source,
                row=records[-1].line,
            )
    else:
        df, lines = read_classic(records, first, source)
    check_invariant(df, lines, source)
    df.attrs["source"] = source
    df.attrs["encoding"] = encoding
    return df


def check_invariant(df: pd.DataFrame, lines: np.ndarray, source: str) -> None:
    """DataError unless every row has a region key, a parsed time and a number or symbol.

    ``lines`` gives the file line of each row of ``df`` for the message.
    """
    problems = {
        "ohne Regionalschlüssel": (df["region_code"].str.strip() == "").to_numpy(),
        "ohne lesbare Zeitangabe": ~df["time"].str.fullmatch(PARSED_TIME_RE).to_numpy(bool),
        "weder Zahl noch Tabellenzeichen": (
            df["value"].isna() & (df["symbol"].str.strip() == "")
        ).to_numpy(),
    }
    for what, bad in problems.items():
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise DataError(
                f"Zelle {what} ({int(bad.sum())} Zelle(n)) – Tabelle nicht sicher lesbar",
                file=source,
                row=int(lines[i]),
            )

"""Column headers of classic tables: which header row is time, measure, classification, unit.

The 1-4 (rarely more) header rows above the data each begin with as many empty cells as the
table has key columns. From the top, a header may hold (each row optional):

- the **time** (every cell a year or date), sometimes under a constant ``Stichtag`` row::

      ;;;31.12.2015;31.12.2015;31.12.2016;31.12.2016

- the **statistic** (IT.NRW tables, first line ``Tabelle:``; recognised by its name:
  ``…statistik``, ``…erhebung``, ``Fortschreibung …``, ``…register``), then the **measure**::

      ;;;Fortschreibung des Bevölkerungsstandes;Flächenerhebung ...
      ;;;Bevölkerungsstand;Bodenfläche (Katasterfläche) in qkm

  When the measure is the last title line with its unit (``Bevölkerungsstand (Anzahl)``),
  there is no measure row.
- **classifications**: a *name row* holding one classification name (``Geschlecht``) above
  its *attribute row* (``Insgesamt;männlich;weiblich``), or an attribute row alone. An
  empty cell means the column is not broken down by that classification (a total); it
  gives ``""``. Attribute rows without a name row are named from their values
  (``Geschlecht``, ``Nationalität``) or ``Spaltenmerkmal_1``, ….
- the **unit** (``Anzahl;qkm;EW pro qkm``), always the last row.

Each value column keeps its full header path; two columns with the same path are kept
both and told apart by ``header_occurrence`` (``"1"``, ``"2"``).

The row dimensions (key columns after the region) are named from the title: in
``Bevölkerung nach Geschlecht, Nationalität und Altersgruppen`` with ``Geschlecht`` and
``Nationalität`` in the header, the one row dimension is ``Altersgruppen``; when the title
does not tell, they are ``Merkmal_1``, ….
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bielefeld_integration.errors import DataError
from bielefeld_integration.sources.genesis.records import parse_time

__all__ = [
    "ColumnHeader",
    "dimension_names",
    "is_unit",
    "read_header",
    "split_measure_line",
    "title_dimensions",
]

_UNIT_RE = re.compile(
    r"^(?:Anzahl|Prozent|%|qkm|km²|km2|ha|EUR|Euro|DM|Jahre|Monate|Tage|Stunden|Std\.|kg|t"
    r"|Tonnen|m²|m³|cbm|kWh|MWh|GWh|TJ|number|percent|sq km|years"
    r"|(?:Tsd\.|Tausend|Mill\.|Mio\.|Mrd\.|1000|1 000)(?:\s+\S+)?"
    r"|\S+(?:\s+\S+)?\s+(?:pro|je|per)\s+\S+(?:\s+\S+)?|[^\s/]{1,4}/[^\s/]{1,5})$"
)
_NACH_RE = re.compile(r"\b(?:nach|by)\s+(.+?)(?:\s+-\s+|\s*;|$)")
_MEASURE_LINE_RE = re.compile(r"^(?P<measure>.*\S)\s*\((?P<unit>[^()]+)\)$")
#: What the name of a statistic looks like (the top header row of IT.NRW tables).
_STATISTIC_RE = re.compile(
    r"statistik|erhebung|fortschreibung|register|zensus|zählung|rechnung|bericht", re.IGNORECASE
)
#: Words in a GENESIS-Online title that name the region or the time, not a classification.
_NOT_DIMENSIONS = {
    "deutschland", "bundesländer", "länder", "kreise", "kreise und krfr. städte", "gemeinden",
    "regierungsbezirke", "jahre", "jahr", "stichtag", "monate", "quartale", "halbjahre",
    "schuljahr", "berichtsjahr", "germany", "years", "reference date",
}  # fmt: skip
_TIME_NAMES = {"stichtag", "jahr", "jahre", "zeit", "berichtsjahr", "berichtszeitraum",
               "schuljahr", "reference date", "year", "time"}  # fmt: skip
_TOTALS = {"insgesamt", "zusammen", "total", "gesamt"}
_VOCABULARY = {
    "Geschlecht": ({"männlich", "weiblich", "divers", "ohne angabe", "male", "female"}),
    "Nationalität": (
        {"deutsche", "deutsch", "ausländer", "ausländer(innen)", "ausländer/-innen",
         "ausländerinnen und ausländer", "nichtdeutsche", "germans", "foreigners"}
    ),
}  # fmt: skip


def is_unit(text: str) -> bool:
    """A unit as in the last header row: ``Anzahl``, ``qkm``, ``EW pro qkm``, ``Tsd. EUR``."""
    return bool(_UNIT_RE.match(text.strip()))


def split_measure_line(line: str) -> tuple[str, str] | None:
    """``("Bevölkerungsstand", "Anzahl")`` from a title line ``Bevölkerungsstand (Anzahl)``."""
    m = _MEASURE_LINE_RE.match(line.strip())
    if m and is_unit(m["unit"]):
        return m["measure"], m["unit"].strip()
    return None


@dataclass
class ColumnHeader:
    """What the header says about each value column (lists have one entry per column)."""

    time: list[str] | None
    statistic: list[str] | None
    measure: list[str]
    unit: list[str]
    dims: dict[str, list[str]] = field(default_factory=dict)
    occurrence: list[str] | None = None
    time_label: str = ""
    labels: list[str] = field(default_factory=list)  # the full path, for messages


def _is_time_level(level: list[str]) -> bool:
    return all(c and parse_time(c) is not None for c in level)


def _is_name_row(level: list[str], below: list[str] | None) -> bool:
    """Classification names above their attribute row (the same columns filled).

    One name (``Geschlecht``), or several side by side (``Geschlecht;Geschlecht;
    Nationalität;Nationalität``) when none of them is a total or a known attribute.
    """
    if below is None or level == below:
        return False
    names = {c for c in level if c}
    if not names or {n.casefold() for n in names} & _TOTALS:
        return False
    if len(names) > 1 and _vocabulary_name(level) is not None:
        return False
    return all(bool(a) == bool(b) for a, b in zip(level, below, strict=True))


def _vocabulary_name(level: list[str]) -> str | None:
    values = {c.casefold() for c in level if c} - _TOTALS
    for name, words in _VOCABULARY.items():
        if values and values <= words:
            return name
    return None


def read_header(
    levels: list[list[str]], title_lines: list[str], *, itnrw: bool, source: str, line: int
) -> ColumnHeader:
    """Interpret the header rows ``levels`` (value columns only, cells stripped)."""
    n = len(levels[0])
    levels = [lv for lv in levels if any(lv)]
    labels = [" / ".join(dict.fromkeys(lv[c] for lv in levels if lv[c])) for c in range(n)]

    # time: a row of years or dates over every column, maybe under a "Stichtag" row
    time: list[str] | None = None
    time_label = ""
    rows = list(levels)
    time_rows = [k for k, lv in enumerate(rows) if _is_time_level(lv)]
    partial = [
        k for k, lv in enumerate(rows) if k not in time_rows and any(parse_time(c) for c in lv if c)
    ]
    if len(time_rows) > 1 or partial:
        raise DataError(
            "Zeitangaben in mehreren oder lückenhaften Spaltenkopfzeilen – Zeitbezug der "
            "Wertspalten unklar",
            file=source,
            row=line,
        )
    if time_rows:
        k = time_rows[0]
        time = [parse_time(c) or "" for c in rows[k]]
        del rows[k]
        above = rows[k - 1] if k > 0 else None
        if above is not None and len(set(above)) == 1 and above[0]:
            if above[0].casefold() not in _TIME_NAMES:  # years as attributes, e.g. Geburtsjahr?
                raise DataError(
                    f"Jahreszahlen oder Daten unter dem Spaltenkopf »{above[0]}« – ob das die "
                    "Zeit ist oder ein Merkmal, ist nicht sicher",
                    file=source,
                    row=line,
                )
            time_label = above[0]
            del rows[k - 1]

    # unit: the last row, when every cell is a unit; else from the measure title line
    unit = [""] * n
    if rows and all(c and is_unit(c) for c in rows[-1]):
        unit = rows.pop()
    measure_line = split_measure_line(title_lines[-1]) if title_lines else None
    if measure_line is not None and not any(unit):
        unit = [measure_line[1]] * n

    statistic: list[str] | None = None
    if measure_line is not None:
        measure = [measure_line[0]] * n
    elif rows:
        if itnrw and len(rows) >= 2 and all(_STATISTIC_RE.search(c) for c in rows[0]):
            statistic = rows.pop(0)
        measure = rows.pop(0)
    else:
        measure = [""] * n

    dims: dict[str, list[str]] = {}
    unnamed = 0
    k = 0
    while k < len(rows):
        below = rows[k + 1] if k + 1 < len(rows) else None
        if below is not None and _is_name_row(rows[k], below):
            before = set(dims)
            for c, name in enumerate(rows[k]):
                if name:
                    key, m = name, 2
                    while key in before:  # the same classification name on two levels
                        key, m = f"{name}_{m}", m + 1
                    dims.setdefault(key, [""] * n)[c] = below[c]
            k += 2
            continue
        name = _vocabulary_name(rows[k]) or ""
        if not name or name in dims:
            unnamed += 1
            name = f"Spaltenmerkmal_{unnamed}"
        dims[name] = list(rows[k])
        k += 1

    # two columns with the same full path: keep both, numbered
    paths = [tuple(lv[c] for lv in levels) for c in range(n)]
    occurrence: list[str] | None = None
    if len(set(paths)) != len(paths):
        seen: dict[tuple[str, ...], int] = {}
        occurrence = []
        for p in paths:
            seen[p] = seen.get(p, 0) + 1
            occurrence.append(str(seen[p]))
    return ColumnHeader(
        time=time,
        statistic=statistic,
        measure=measure,
        unit=unit,
        dims=dims,
        occurrence=occurrence,
        time_label=time_label,
        labels=labels,
    )


def title_dimensions(title_lines: list[str]) -> list[str]:
    """Classifications named in the title, without region and time.

    Regionaldatenbank and IT.NRW: ``"… nach Geschlecht und Altersgruppen"``; GENESIS-Online:
    ``"Personenkraftwagen: Kreise, Stichtag, Kraftstoffarten, Emissionsgruppen"``.

    >>> title_dimensions(["Bevölkerung nach Geschlecht, Nationalität", "und Altersgruppen (17)"])
    ['Geschlecht', 'Nationalität', 'Altersgruppen']
    >>> title_dimensions(["Geburtenziffern: Deutschland, Jahre, Altersjahre", "Statistik"])
    ['Altersjahre']
    """
    title = ""
    for line in title_lines:  # a line continues the title when it starts in lower case
        open_paren = title.count("(") > title.count(")")
        glue = " " if open_paren or title.endswith(",") or line[:1].islower() else "; "
        title = f"{title}{glue}{line}" if title else line
    title = re.sub(r"\s*\([^()]*\)", "", title)
    m = _NACH_RE.search(title)
    if m:
        names = re.split(r",\s*|\s+und\s+|\s+and\s+", m.group(1))
    else:
        head = title.split("; ")[0]
        names = head.partition(":")[2].split(",") if ":" in head else []
    return [n.strip() for n in names if n.strip() and n.strip().casefold() not in _NOT_DIMENSIONS]


def _same_concept(a: str, b: str) -> bool:
    a = re.sub(r"\s*\([^)]*\)", "", a).casefold().strip()
    b = re.sub(r"\s*\([^)]*\)", "", b).casefold().strip()
    n = min(6, len(a), len(b))
    return n > 0 and a[:n] == b[:n]


def dimension_names(
    title_lines: list[str], column_dims: list[str], n_rows: int
) -> tuple[list[str], dict[str, str]]:
    """Names of the ``n_rows`` row dimensions, and new names of unnamed column dimensions.

    The classifications of the title, less those named in the header, name the row
    dimensions (``"Merkmal_1"``, … when the count differs) or, in a table without row
    dimensions, the header rows that had no name (``Spaltenmerkmal_1`` -> ``Kraftstoffarten``).
    """
    unnamed = [c for c in column_dims if c.startswith("Spaltenmerkmal_")]
    named = [
        d
        for d in title_dimensions(title_lines)
        if not any(_same_concept(d, c) for c in column_dims if c not in unnamed)
    ]
    if n_rows == 0 and unnamed and len(named) == len(unnamed):
        return [], dict(zip(unnamed, named, strict=True))
    if len(named) == n_rows + len(unnamed) and n_rows:
        return named[:n_rows], dict(zip(unnamed, named[n_rows:], strict=True))
    if len(named) == n_rows:
        return named, {}
    return [f"Merkmal_{k + 1}" for k in range(n_rows)], {}

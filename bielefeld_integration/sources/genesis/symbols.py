"""Value cells: numbers, table symbols and quality flags.

A value cell of a GENESIS export holds a number (decimal comma in German, point in English
exports, never a thousands separator), a table symbol instead of a number, or a number with a
quality flag::

    456       -> (456.0, "")
    258,83    -> (258.83, "")
    -         -> (nan, "-")       nothing, exactly zero
    .         -> (nan, ".")       unknown or secret
    (45)      -> (45.0, "()")     limited reliability, value kept
    -1234 p   -> (-1234.0, "p")   provisional
    zwölf     -> DataError naming line and column

Anything else is refused: a reader that is not sure does not guess.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from bielefeld_integration.errors import DataError

__all__ = ["FLAGS", "SYMBOLS", "Where", "parse_values"]

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
FLAGS = "pres"

_NUMBER_RE = r"-?\d+(?:[.,]\d+)?"
_VALUE_RE = (
    r"^(?P<open>\()?(?P<num>-?\d+(?:[.,]\d+)?)(?P<close>\))?(?:\s*(?P<flag>[" + FLAGS + r"]))?$"
)


class Where:
    """Maps a flat cell index to ``(line, column)`` for error messages."""

    def __init__(self, source: str, lines: Sequence[int], columns: Sequence[str]) -> None:
        self.source = source
        self.lines = lines
        self.columns = columns

    def __call__(self, i: int) -> tuple[int, str]:
        n = len(self.columns)
        return int(self.lines[i // n]), self.columns[i % n]


def parse_values(
    cells: np.ndarray, where: Where, *, allow_empty: np.ndarray | None = None, german: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Parse value cells into ``(float values, symbols)``.

    ``where(i)`` gives ``(line, column)`` of cell ``i`` for error messages; ``allow_empty``
    marks cells that may be empty (a flat row whose quality column carries the symbol).
    With ``german`` (classic German tables, decimal comma) a number such as ``1.234`` is
    refused: a thousands point and a decimal point cannot be told apart.
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
    grouped = num.str.fullmatch(r"-?\d{1,3}\.\d{3}").to_numpy(dtype=bool)
    if german and grouped.any():
        i = int(np.flatnonzero(grouped)[0])
        line, column = where(i)
        raise DataError(
            f"»{s.iloc[i]}« in einer deutschen Tabelle: Tausenderpunkt oder Dezimalpunkt? "
            "Der Wert ist nicht sicher lesbar",
            file=where.source,
            row=line,
            column=column,
        )
    values = pd.to_numeric(num.str.replace(",", ".", regex=False).replace("", np.nan))
    symbols = (sym + " " + flags).str.strip()
    return values.to_numpy(dtype="float64", na_value=np.nan), symbols.to_numpy(dtype=object)

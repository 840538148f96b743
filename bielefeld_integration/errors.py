"""The one error type for problems with input data."""

from __future__ import annotations

from pathlib import Path


class DataError(ValueError):
    """A problem with input data: the message says where and what.

    Parameters
    ----------
    message:
        What is wrong, ideally with what was expected and what was found.
    file:
        The file the problem was found in.
    row:
        The 1-based line (or row) number in that file, where known.
    column:
        The column name, where known.

    Examples
    --------
    >>> str(DataError("negative count -3", file="a.csv", row=7, column="Anzahl"))
    'a.csv, Zeile 7, Spalte »Anzahl«: negative count -3'
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.problem = message
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"Zeile {self.row}")
        if self.column:
            where.append(f"Spalte »{self.column}«")
        return f"{', '.join(where)}: {self.problem}" if where else self.problem


class DataErrors(DataError):
    """Several data problems collected at once (e.g. by ingest or a register check)."""

    def __init__(self, errors: list[DataError], *, header: str = "") -> None:
        self.errors = list(errors)
        lines = [header or f"{len(self.errors)} Problem(e) in den Eingangsdaten:"]
        lines += [f"  - {e}" for e in self.errors]
        ValueError.__init__(self, "\n".join(lines))
        self.problem = "\n".join(lines)
        self.file = self.row = self.column = None

    def __str__(self) -> str:
        return self.problem

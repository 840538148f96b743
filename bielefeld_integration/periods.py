"""Reporting periods: parse and validate ``"2017"``, reference dates, previous period."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering

from bielefeld_integration.errors import DataError

_PERIOD_RE = re.compile(r"(19|20)\d\d")

#: Reference dates by kind of figure (DESIGN 4.1).
REFERENCE_DATES: dict[str, tuple[int, int]] = {
    "stock": (12, 31),  # register, AZR, Schutzsuchende, SGB II
    "kjh": (3, 1),  # day care statistics, 01.03.
    "employees": (6, 30),  # BA employees, 30.06.
    "school_year": (10, 15),  # school statistics, autumn reference date
}


@total_ordering
@dataclass(frozen=True, slots=True)
class Period:
    """A reporting year such as ``"2017"``.

    Periods end up in file paths and notebook parameters, so anything that is not
    four digits between 1900 and 2099 is refused.

    Examples
    --------
    >>> p = Period.parse("2017")
    >>> p.previous, p.reference_date().isoformat()
    (Period('2016'), '2017-12-31')
    """

    year: int

    @classmethod
    def parse(cls, value: str | int | Period) -> Period:
        """Parse ``"2017"`` (or 2017) into a Period; raise DataError for anything else."""
        if isinstance(value, Period):
            return value
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise DataError(f"Berichtszeitraum muss ein Jahr wie '2017' sein, nicht {value!r}")
        text = str(value)
        if not _PERIOD_RE.fullmatch(text):
            raise DataError(
                f"ungültiger Berichtszeitraum {text!r}: erwartet wird ein Jahr mit vier "
                "Ziffern wie '2017'"
            )
        return cls(int(text))

    def __str__(self) -> str:
        return f"{self.year:04d}"

    def __repr__(self) -> str:
        return f"Period('{self}')"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.year < other.year

    @property
    def previous(self) -> Period:
        """The period one year earlier."""
        return Period(self.year - 1)

    @property
    def next(self) -> Period:
        """The period one year later."""
        return Period(self.year + 1)

    def shift(self, years: int) -> Period:
        """The period ``years`` years later (earlier if negative).

        Examples
        --------
        >>> Period(2015).shift(2), Period(2015).shift(-1)
        (Period('2017'), Period('2014'))
        """
        return Period(self.year + years)

    def reference_date(self, kind: str = "stock") -> dt.date:
        """The reference date (Stichtag) of a kind of figure in this period."""
        try:
            month, day = REFERENCE_DATES[kind]
        except KeyError:
            raise ValueError(
                f"unknown reference-date kind {kind!r}; known: {sorted(REFERENCE_DATES)}"
            ) from None
        return dt.date(self.year, month, day)


def parse_period(value: str | int | Period) -> Period:
    """Shortcut for :meth:`Period.parse`."""
    return Period.parse(value)

"""German number and date formatting for reports, independent of the OS locale.

All functions format with Babel (CLDR data) and the fixed locale ``de_DE``; the process
locale (``LC_ALL``, ``LANG``, ``locale.setlocale``) is never consulted, so a report looks
the same on a developer laptop, in a container with only the C locale and in CI.

Conventions
-----------
- Thousands separator ``.``, decimal comma: ``1.234.567``, ``1.234,5``.
- Rounding is commercial rounding (kaufmännisch, half away from zero, DIN 1333) on the
  decimal value that is shown by Python for a float: ``2.5 -> "3"``, ``0.125 -> "0,13"``,
  ``1.005 -> "1,01"``, ``-2.5 -> "-3"``. A value that rounds to zero is shown without a
  sign (``-0.04 -> "0,0"``).
- The minus sign is the ASCII hyphen-minus ``-`` (U+002D), not the typographic minus
  U+2212, so that a full-text search in a published report finds ``-0,4``.
- Percent and percentage points are separated from the number by a plain space:
  ``12,3 %``, ``+1,2 Prozentpunkte`` (as in the tables of the statistical offices).
- A missing value (``None``, ``NaN``, ``pd.NA``, ``NaT``) without a table symbol is shown
  as ``...`` (DIN 55301 "Angabe fällt später an", written with three ASCII dots like
  :data:`bielefeld_integration.symbols.NOT_AVAILABLE`).
- Table symbols are printed with their sign from :mod:`bielefeld_integration.symbols`
  (the exact zero as ``–``), the one definition behind every page's legend.
- Rates "je 100" (``je 100``, ``je 100 Kinder``) are shown as percent (``18,3 %``): the
  statistical offices publish Betreuungs-, Beschäftigungs- and SGB-II-Quoten in percent.
  :func:`display_unit` gives the unit as shown, :func:`fmt_quantity` a value with its unit.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

from bielefeld_integration import symbols
from bielefeld_integration.errors import DataError

#: The one locale used for every number and date.
LOCALE = "de_DE"

#: Minus sign used in all output (ASCII, searchable).
MINUS = "-"

#: Text shown for a missing value that has no table symbol.
NOT_AVAILABLE_TEXT = symbols.NOT_AVAILABLE

#: Table symbol codes understood by :func:`fmt_value` (printed as their signs).
TABLE_SYMBOLS: frozenset[str] = symbols.CODES

_DECIMAL_CONTEXT = decimal.Context(prec=80, rounding=ROUND_HALF_UP)

__all__ = [
    "LOCALE",
    "MINUS",
    "NOT_AVAILABLE_TEXT",
    "TABLE_SYMBOLS",
    "UNITS",
    "display_unit",
    "fmt_change_pct",
    "fmt_date",
    "fmt_int",
    "fmt_number",
    "fmt_percent",
    "fmt_pp",
    "fmt_quantity",
    "fmt_value",
    "is_missing",
]


def is_missing(x: Any) -> bool:
    """True for ``None``, ``NaN``, ``pd.NA`` and ``NaT``.

    Examples
    --------
    >>> is_missing(float("nan")), is_missing(None), is_missing(0)
    (True, True, False)
    """
    if x is None:
        return True
    try:
        result = pd.isna(x)
    except (TypeError, ValueError):
        return False
    return isinstance(result, (bool, np.bool_)) and bool(result)


def _to_decimal(x: Any, decimals: int) -> Decimal:
    """Round ``x`` half away from zero to ``decimals`` places, as a Decimal without sign at 0."""
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"Nachkommastellen müssen eine ganze Zahl >= 0 sein, nicht {decimals!r}")
    if isinstance(x, bool):
        raise TypeError(f"Wahrheitswert {x!r} ist keine Zahl")
    if isinstance(x, Decimal):
        value = x
    elif isinstance(x, int) or (hasattr(x, "dtype") and getattr(x.dtype, "kind", "") in "iu"):
        value = Decimal(int(x))
    elif isinstance(x, Real) or hasattr(x, "__float__"):
        f = float(x)
        if math.isinf(f):
            raise ValueError(f"unendlicher Wert {x!r} kann nicht formatiert werden")
        value = Decimal(repr(f))  # shortest repr: 1.005 -> Decimal("1.005")
    else:
        raise TypeError(f"{x!r} ist keine Zahl")
    rounded = value.quantize(Decimal(1).scaleb(-decimals), context=_DECIMAL_CONTEXT)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0,0"
    return rounded


def _format_decimal(value: Decimal, decimals: int) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    text = format_decimal(value, format=pattern, locale=LOCALE, decimal_quantization=True)
    return text.replace("\u2212", MINUS)


def fmt_number(x: Any, decimals: int = 0) -> str:
    """Format a number the German way with a fixed number of decimals.

    Parameters
    ----------
    x : int, float, Decimal or numpy scalar
        The number; missing values give ``"..."``.
    decimals : int, default 0
        Number of decimals shown (always exactly this many).

    Returns
    -------
    str
        E.g. ``"1.234"``, ``"1.234,5"``, ``"-0,4"``.

    Raises
    ------
    ValueError
        For infinite values or negative ``decimals``.

    Examples
    --------
    >>> fmt_number(1234)
    '1.234'
    >>> fmt_number(1234.5, 1)
    '1.234,5'
    >>> fmt_number(2.5)
    '3'
    """
    if is_missing(x):
        return NOT_AVAILABLE_TEXT
    return _format_decimal(_to_decimal(x, decimals), decimals)


def fmt_int(x: Any) -> str:
    """Format a count without decimals; same as ``fmt_number(x, 0)``.

    Examples
    --------
    >>> fmt_int(1234567)
    '1.234.567'
    """
    return fmt_number(x, 0)


def fmt_percent(x: Any, decimals: int = 1) -> str:
    """Format a value that is already in percent: ``12.3 -> "12,3 %"``.

    Parameters
    ----------
    x : number
        Value in percent (not a fraction: pass 12.3, not 0.123).
    decimals : int, default 1
        Number of decimals.

    Returns
    -------
    str
        Number, a plain space and ``%``; ``"..."`` if missing.

    Examples
    --------
    >>> fmt_percent(12.34)
    '12,3 %'
    """
    if is_missing(x):
        return NOT_AVAILABLE_TEXT
    return f"{fmt_number(x, decimals)} %"


def _signed(x: Any, decimals: int) -> str:
    value = _to_decimal(x, decimals)
    text = _format_decimal(value, decimals)
    return f"+{text}" if value > 0 else text


def fmt_pp(x: Any, decimals: int = 1) -> str:
    """Format a difference in percentage points with an explicit sign.

    Parameters
    ----------
    x : number
        Difference in percentage points.
    decimals : int, default 1
        Number of decimals.

    Returns
    -------
    str
        ``"+1,2 Prozentpunkte"``, ``"-0,4 Prozentpunkte"``, ``"0,0 Prozentpunkte"`` (no sign
        when the rounded value is zero), ``"+1 Prozentpunkt"`` (singular for exactly one
        without decimals); ``"..."`` if missing.

    Examples
    --------
    >>> fmt_pp(1.23)
    '+1,2 Prozentpunkte'
    >>> fmt_pp(-0.4)
    '-0,4 Prozentpunkte'
    """
    if is_missing(x):
        return NOT_AVAILABLE_TEXT
    text = _signed(x, decimals)
    unit = "Prozentpunkt" if decimals == 0 and abs(_to_decimal(x, 0)) == 1 else "Prozentpunkte"
    return f"{text} {unit}"


def fmt_change_pct(x: Any, decimals: int = 1) -> str:
    """Format a relative change in percent with an explicit sign: ``3.4 -> "+3,4 %"``.

    Parameters
    ----------
    x : number
        Change in percent.
    decimals : int, default 1
        Number of decimals.

    Returns
    -------
    str
        ``"+3,4 %"``, ``"-12,0 %"``, ``"0,0 %"``; ``"..."`` if missing.

    Examples
    --------
    >>> fmt_change_pct(3.44)
    '+3,4 %'
    """
    if is_missing(x):
        return NOT_AVAILABLE_TEXT
    return f"{_signed(x, decimals)} %"


def fmt_date(value: dt.date | dt.datetime | str | None) -> str:
    """Format a date as ``TT.MM.JJJJ``.

    Parameters
    ----------
    value : date, datetime, pandas Timestamp or ISO string
        E.g. ``date(2017, 12, 31)`` or ``"2017-12-31"``; missing values give ``"..."``.

    Returns
    -------
    str
        E.g. ``"31.12.2017"``.

    Raises
    ------
    DataError
        If a string is not an ISO date.

    Examples
    --------
    >>> fmt_date("2017-12-31")
    '31.12.2017'
    """
    if is_missing(value):
        return NOT_AVAILABLE_TEXT
    if isinstance(value, str):
        text = value.strip()
        try:
            parsed: dt.date = dt.date.fromisoformat(text)
        except ValueError:
            try:
                parsed = dt.datetime.fromisoformat(text).date()
            except ValueError:
                raise DataError(
                    f"ungültiges Datum {value!r}: erwartet wird ein ISO-Datum wie '2017-12-31'"
                ) from None
        value = parsed
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise TypeError(f"{value!r} ist kein Datum")
    return format_date(value, "dd.MM.yyyy", locale=LOCALE)


#: Units understood by :func:`fmt_value`: unit -> (formatter, default decimals).
_UNIT_FORMATS: dict[str, tuple[Callable[[Any, int], str], int]] = {
    "Anzahl": (fmt_number, 0),
    "Personen": (fmt_number, 0),
    "%": (fmt_percent, 1),
    "Prozentpunkte": (fmt_pp, 1),
    "je 1.000": (fmt_number, 1),
    "je 100": (fmt_number, 1),
    "Plätze je 100": (fmt_number, 1),
    "Index": (fmt_number, 2),
    "Quotient": (fmt_number, 2),
    "Verhältnis": (fmt_number, 2),
}

#: The units :func:`fmt_value` knows (e.g. for validating the indicator catalogue).
UNITS: tuple[str, ...] = tuple(_UNIT_FORMATS)


def _is_per_hundred(unit: str) -> bool:
    return unit == "je 100" or unit.startswith("je 100 ")


def display_unit(unit: str) -> str:
    """The unit as shown to readers: rates "je 100" become ``%``.

    Examples
    --------
    >>> display_unit("je 100 Kinder"), display_unit("%"), display_unit("je 1.000 Schüler/-innen")
    ('%', '%', 'je 1.000 Schüler/-innen')
    """
    return "%" if _is_per_hundred(unit) else unit


def _unit_format(unit: str) -> tuple[Callable[[Any, int], str], int]:
    if _is_per_hundred(unit):
        return fmt_percent, 1
    # a unit may name its reference population: "je 1.000 Ausländer/-innen", "Index (0 bis 1)"
    keys = [k for k in _UNIT_FORMATS if unit == k or unit.startswith(k + " ")]
    if not keys:
        raise ValueError(f"unbekannte Einheit {unit!r}; bekannt: {', '.join(UNITS)}")
    return _UNIT_FORMATS[max(keys, key=len)]


def unit_decimals(unit: str) -> int:
    """The number of decimals a value of this unit is shown with (``Personen``: 0, ``%``: 1)."""
    return _unit_format(unit)[1]


def fmt_value(value: Any, unit: str, symbol: str = "", decimals: int | None = None) -> str:
    """Format an indicator value according to its unit, or show its table symbol.

    Parameters
    ----------
    value : number or None
        The value.
    unit : str
        One of :data:`UNITS`: ``"Anzahl"``/``"Personen"`` (no decimals), ``"%"`` and rates
        ``"je 100 …"`` (1 decimal, ``"12,3 %"``), ``"Prozentpunkte"`` (signed, 1 decimal),
        ``"je 1.000"`` (1 decimal), ``"Index"`` (2 decimals).
    symbol : str, default ""
        A table symbol (code or sign, see :mod:`bielefeld_integration.symbols`); when given
        its printed sign is returned and the value is ignored.
    decimals : int, optional
        Overrides the unit's default number of decimals.

    Returns
    -------
    str
        The formatted value; ``"..."`` for a missing value without symbol.

    Raises
    ------
    ValueError
        For an unknown unit or symbol.

    Examples
    --------
    >>> fmt_value(1234, "Anzahl"), fmt_value(12.34, "%"), fmt_value(1.5, "Prozentpunkte")
    ('1.234', '12,3 %', '+1,5 Prozentpunkte')
    >>> fmt_value(18.34, "je 100 Kinder")
    '18,3 %'
    >>> fmt_value(2, "Anzahl", symbol="."), fmt_value(0, "Anzahl", symbol="-")
    ('.', '–')
    """
    if symbol:
        return symbols.sign(symbol)
    formatter, default_decimals = _unit_format(unit)
    if is_missing(value):
        return NOT_AVAILABLE_TEXT
    return formatter(value, default_decimals if decimals is None else decimals)


def _persons(text: str, value: Any) -> str:
    return f"{text} {'Person' if text == '1' else 'Personen'}"


def fmt_quantity(value: Any, unit: str, symbol: str = "", decimals: int | None = None) -> str:
    """A value with its unit, as it stands in a sentence: ``"18,3 %"``, ``"1.234 Personen"``.

    Counts of persons get ``Person``/``Personen`` (number agreement), rates per 1.000 and
    places per 100 their unit; ``Anzahl`` and dimensionless units (index, quotient,
    ratio) are shown as the number alone, since the indicator's name says what it is.
    A symbol is returned as its sign.

    Examples
    --------
    >>> fmt_quantity(1, "Personen"), fmt_quantity(1234, "Personen")
    ('1 Person', '1.234 Personen')
    >>> fmt_quantity(30.54, "je 1.000 Ausländer/-innen")
    '30,5 je 1.000 Ausländer/-innen'
    >>> fmt_quantity(95.1, "Plätze je 100 Kinder"), fmt_quantity(18.34, "je 100 Kinder")
    ('95,1 Plätze je 100 Kinder', '18,3 %')
    """
    text = fmt_value(value, unit, symbol, decimals)
    if symbol or text == NOT_AVAILABLE_TEXT:
        return text
    shown = display_unit(unit)
    if shown == "Personen":
        return _persons(text, value)
    if shown.startswith(("je ", "Plätze ")):
        return f"{text} {shown}"
    return text

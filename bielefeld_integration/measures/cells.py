"""Parsers of single register cells: controlled values, dates, counts, budgets.

Each parser takes what a CSV or Excel cell holds and returns the canonical value or raises
``ValueError`` with a German reason, which :class:`~bielefeld_integration.measures.rows.RowParser`
turns into a :class:`~bielefeld_integration.errors.DataError` naming line and column.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import numpy as np

from bielefeld_integration.measures.vocabulary import (
    BODY_TYPES,
    FIELDS,
    FUNDING_SOURCES,
    ORIGINS,
    STATUSES,
    TARGET_GROUPS,
)

_DATE_DAY_RE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_DATE_MONTH_RE = re.compile(r"(\d{1,2})\.(\d{4})")
_GERMAN_NUMBER_RE = re.compile(r"-?(\d{1,3}(\.\d{3})+|\d+)(,\d{1,2})?")
_COUNT_RE = re.compile(r"-?(\d{1,3}(\.\d{3})+|\d+)")


def norm(text: str) -> str:
    """Normalise text for matching: NFC, collapsed spaces, no spaces around '/', casefold."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s*/\s*", "/", text).casefold()


def lookup(values: Iterable[str]) -> dict[str, str]:
    """Normalised spelling -> canonical spelling of a list of controlled values."""
    return {norm(v): v for v in values}


FIELD_LOOKUP = lookup(FIELDS)
BODY_TYPE_LOOKUP = lookup(BODY_TYPES)
ORIGIN_LOOKUP = lookup(ORIGINS)
STATUS_LOOKUP = lookup(STATUSES)
GROUP_LOOKUP = lookup(TARGET_GROUPS)
FUNDING_LOOKUP = lookup(FUNDING_SOURCES)


def is_empty(value: Any) -> bool:
    """Whether a cell is empty (None, NaN or blank text)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def clean_text(value: Any) -> str:
    """A cell as clean text (NFC, collapsed whitespace); numbers without '.0'."""
    if is_empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(value))).strip()


def last_day(year: int, month: int) -> dt.date:
    """The last day of a month."""
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def parse_date(value: Any, *, end: bool = False) -> dt.date:
    """Parse ``TT.MM.JJJJ`` / ``MM.JJJJ`` text or an Excel date; ValueError with a reason."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = clean_text(value)
    m = _DATE_DAY_RE.fullmatch(text)
    try:
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        m = _DATE_MONTH_RE.fullmatch(text)
        if m:
            year, month = int(m[2]), int(m[1])
            return last_day(year, month) if end else dt.date(year, month, 1)
    except ValueError:
        raise ValueError(f"kein gültiges Datum {text!r}") from None
    raise ValueError(f"kein Datum {text!r} (erwartet TT.MM.JJJJ oder MM.JJJJ)")


def parse_count(value: Any) -> int:
    """Parse a participant count: whole number >= 0, German thousands dots allowed."""
    if isinstance(value, bool):
        raise ValueError(f"keine ganze Zahl: {value!r}")
    if isinstance(value, (int, np.integer)):
        n = int(value)
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"keine ganze Zahl: {clean_text(value)!r}")
        n = int(value)
    else:
        text = clean_text(value).replace(" ", "")
        if not _COUNT_RE.fullmatch(text):
            raise ValueError(f"keine ganze Zahl: {clean_text(value)!r}")
        n = int(text.replace(".", ""))
    if n < 0:
        raise ValueError(f"negative Teilnehmendenzahl {n}")
    return n


def parse_budget(value: Any) -> float:
    """Parse a budget in German number format (``12.500`` or ``12.500,50``), >= 0."""
    if isinstance(value, bool):
        raise ValueError(f"kein Betrag: {value!r}")
    if isinstance(value, (int, float, np.integer, np.floating)):
        amount = float(value)
        if not math.isfinite(amount):
            raise ValueError(f"kein Betrag: {value!r}")
    else:
        text = clean_text(value)
        compact = re.sub(r"(€|EUR)$", "", text.replace("\u00a0", "").replace(" ", "")).strip()
        if not _GERMAN_NUMBER_RE.fullmatch(compact):
            raise ValueError(
                f"kein Betrag im deutschen Zahlenformat: {text!r} (erwartet z. B. 12.500 "
                "oder 12.500,50)"
            )
        amount = float(compact.replace(".", "").replace(",", "."))
    if amount < 0:
        raise ValueError(f"negatives Budget {clean_text(value)!r}")
    return amount


def goal_text(value: Any) -> str:
    """Goals cell as text; undo Excel's conversion of ``1,3`` into the number 1.3."""
    if isinstance(value, float) and not value.is_integer():
        return repr(value).replace(".", ",")
    return clean_text(value)


def split_cell(text: str) -> list[str]:
    """The comma-separated parts of a list cell, stripped."""
    return [p.strip() for p in text.split(",")]

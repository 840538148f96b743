"""German formatting: numbers, percent, percentage points, dates, units and symbols."""

from __future__ import annotations

import datetime as dt
import doctest
import locale
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bielefeld_integration.errors import DataError
from bielefeld_integration.present import format as fmt
from bielefeld_integration.present.format import (
    UNITS,
    fmt_change_pct,
    fmt_date,
    fmt_int,
    fmt_number,
    fmt_percent,
    fmt_pp,
    fmt_value,
)


def test_docstring_examples() -> None:
    result = doctest.testmod(fmt, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 10
    assert result.failed == 0


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, 0, "0"),
        (7, 0, "7"),
        (999, 0, "999"),
        (1234, 0, "1.234"),
        (1234.5, 1, "1.234,5"),
        (1_234_567, 0, "1.234.567"),
        (1_234_567.891, 2, "1.234.567,89"),
        (333_509, 0, "333.509"),
        (12.3, 1, "12,3"),
        (12, 1, "12,0"),
        (0.5, 2, "0,50"),
        (-1234.5, 1, "-1.234,5"),
        (-0.4, 1, "-0,4"),
        (10**12, 0, "1.000.000.000.000"),
        (np.int64(52_300), 0, "52.300"),
        (np.float64(15.7057), 1, "15,7"),
        (Decimal("2.345"), 2, "2,35"),
    ],
)
def test_fmt_number(value: object, decimals: int, expected: str) -> None:
    assert fmt_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        # commercial rounding, half away from zero (babel alone would round half to even)
        (0.5, 0, "1"),
        (1.5, 0, "2"),
        (2.5, 0, "3"),
        (-2.5, 0, "-3"),
        (0.125, 2, "0,13"),
        (0.25, 1, "0,3"),
        (0.35, 1, "0,4"),
        (-0.35, 1, "-0,4"),
        # decimal value as written, not the binary float just below it
        (1.005, 2, "1,01"),
        (2.675, 2, "2,68"),
        (1234.45, 1, "1.234,5"),
        (999.5, 0, "1.000"),
        (999_999.95, 1, "1.000.000,0"),
    ],
)
def test_rounding_half_cases(value: float, decimals: int, expected: str) -> None:
    assert fmt_number(value, decimals) == expected


def test_no_negative_zero() -> None:
    assert fmt_number(-0.04, 1) == "0,0"
    assert fmt_number(-0.0) == "0"
    assert fmt_number(-0.4) == "0"


def test_minus_is_ascii() -> None:
    for text in (fmt_number(-5), fmt_pp(-1.2), fmt_change_pct(-3), fmt_percent(-2)):
        assert "\u2212" not in text
        assert text.startswith("-")


def test_missing_values() -> None:
    for missing in (None, float("nan"), np.nan, pd.NA, pd.NaT):
        assert fmt_number(missing) == "..."
        assert fmt_percent(missing) == "..."
        assert fmt_pp(missing) == "..."
        assert fmt_change_pct(missing) == "..."
    assert fmt_date(None) == "..."
    assert fmt_date(pd.NaT) == "..."


def test_bad_numbers() -> None:
    with pytest.raises(ValueError):
        fmt_number(float("inf"))
    with pytest.raises(ValueError):
        fmt_number(1.0, -1)
    with pytest.raises(TypeError):
        fmt_number("12")
    with pytest.raises(TypeError):
        fmt_number(True)


def test_fmt_int() -> None:
    assert fmt_int(1_234_567) == "1.234.567"
    assert fmt_int(1234.5) == "1.235"
    assert fmt_int(np.int32(-4000)) == "-4.000"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_integers_roundtrip(n: int) -> None:
    text = fmt_int(n)
    assert int(text.replace(".", "")) == n
    groups = text.lstrip("-").split(".")
    assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(0, 4))
def test_decimals_are_exact(x: float, decimals: int) -> None:
    text = fmt_number(x, decimals)
    if decimals:
        assert "," in text and len(text.split(",")[1]) == decimals
    else:
        assert "," not in text
    parsed = float(text.replace(".", "").replace(",", "."))
    assert abs(parsed - x) <= 0.5 * 10**-decimals + 1e-6 * max(1.0, abs(x))


# --------------------------------------------------------------------------- percent and change


def test_fmt_percent() -> None:
    assert fmt_percent(12.3) == "12,3 %"
    assert fmt_percent(12.345, 2) == "12,35 %"
    assert fmt_percent(100) == "100,0 %"
    assert fmt_percent(7, 0) == "7 %"
    assert fmt_percent(-1.25) == "-1,3 %"


def test_fmt_pp() -> None:
    assert fmt_pp(1.2) == "+1,2 Prozentpunkte"
    assert fmt_pp(-0.4) == "-0,4 Prozentpunkte"
    assert fmt_pp(0) == "0,0 Prozentpunkte"
    assert fmt_pp(0.04) == "0,0 Prozentpunkte"  # rounds to zero: no sign
    assert fmt_pp(-0.04) == "0,0 Prozentpunkte"
    assert fmt_pp(12.25) == "+12,3 Prozentpunkte"
    assert fmt_pp(1, 0) == "+1 Prozentpunkt"
    assert fmt_pp(-1.2, 0) == "-1 Prozentpunkt"
    assert fmt_pp(2, 0) == "+2 Prozentpunkte"


def test_fmt_change_pct() -> None:
    assert fmt_change_pct(3.4) == "+3,4 %"
    assert fmt_change_pct(-12) == "-12,0 %"
    assert fmt_change_pct(0.0) == "0,0 %"
    assert fmt_change_pct(1234.56) == "+1.234,6 %"
    assert fmt_change_pct(2.25, 0) == "+2 %"


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2017, 12, 31), "31.12.2017"),
        (dt.date(2018, 3, 1), "01.03.2018"),
        (dt.datetime(2017, 6, 30, 23, 59), "30.06.2017"),
        (pd.Timestamp("2016-10-15"), "15.10.2016"),
        ("2017-12-31", "31.12.2017"),
        (" 2017-03-01 ", "01.03.2017"),
        ("2017-03-01T12:00:00", "01.03.2017"),
    ],
)
def test_fmt_date(value: object, expected: str) -> None:
    assert fmt_date(value) == expected  # type: ignore[arg-type]


def test_fmt_date_bad() -> None:
    with pytest.raises(DataError, match="ISO-Datum"):
        fmt_date("31.12.2017")
    with pytest.raises(DataError):
        fmt_date("2017-02-30")
    with pytest.raises(TypeError):
        fmt_date(2017)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- units and symbols


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1234, "Anzahl", "1.234"),
        (52_300.0, "Personen", "52.300"),
        (12.34, "%", "12,3 %"),
        (-0.44, "Prozentpunkte", "-0,4 Prozentpunkte"),
        (1.25, "Prozentpunkte", "+1,3 Prozentpunkte"),
        (30.4878, "je 1.000", "30,5"),
        (87.5, "Index", "87,50"),
        (0.3456, "Index", "0,35"),
    ],
)
def test_fmt_value_units(value: float, unit: str, expected: str) -> None:
    assert fmt_value(value, unit) == expected


def test_fmt_value_symbols_and_missing() -> None:
    printed = {"-": "\u2013", ".": ".", "/": "/", "x": "x", "...": "..."}
    for code, sign in printed.items():
        assert fmt_value(2, "Anzahl", symbol=code) == sign
        assert fmt_value(np.nan, "%", symbol=code) == sign
        assert fmt_value(np.nan, "%", symbol=sign) == sign
    assert fmt_value(np.nan, "%") == "..."
    assert fmt_value(None, "Anzahl") == "..."
    assert fmt_value(0, "Anzahl") == "0"
    with pytest.raises(ValueError, match="Tabellenzeichen"):
        fmt_value(1, "Anzahl", symbol="*")


def test_fmt_value_decimals_override_and_unknown_unit() -> None:
    assert fmt_value(12.345, "%", decimals=2) == "12,35 %"
    assert fmt_value(1234.5, "Anzahl", decimals=1) == "1.234,5"
    assert set(UNITS) == {
        "Anzahl",
        "Personen",
        "%",
        "Prozentpunkte",
        "je 1.000",
        "je 100",
        "Plätze je 100",
        "Index",
        "Quotient",
        "Verhältnis",
    }
    # a unit may name its reference population after a known unit
    assert fmt_value(12.34, "je 1.000 Ausländer/-innen") == "12,3"
    assert fmt_value(0.2345, "Index (0 bis 1)") == "0,23"
    with pytest.raises(ValueError, match="Einheit"):
        fmt_value(1, "Euro")


# --------------------------------------------------------------------------- locale independence

SAMPLES = [
    lambda: fmt_number(1_234_567.891, 2),
    lambda: fmt_percent(12.3),
    lambda: fmt_pp(-0.4),
    lambda: fmt_change_pct(3.4),
    lambda: fmt_date("2017-12-31"),
    lambda: fmt_value(87.5, "Index"),
]
EXPECTED = ["1.234.567,89", "12,3 %", "-0,4 Prozentpunkte", "+3,4 %", "31.12.2017", "87,50"]


def test_independent_of_process_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    # every locale the machine has among these (C and POSIX always exist); English and
    # German conventions of localeconv() are also faked in the next test
    saved = locale.setlocale(locale.LC_ALL)
    tried = []
    try:
        for name in ("C", "POSIX", "C.UTF-8", "en_US.UTF-8", "de_DE.UTF-8"):
            try:
                locale.setlocale(locale.LC_ALL, name)
            except locale.Error:
                continue
            tried.append(name)
            for var in ("LC_ALL", "LC_NUMERIC", "LC_TIME", "LANG", "LANGUAGE"):
                monkeypatch.setenv(var, name)
            assert [sample() for sample in SAMPLES] == EXPECTED, name
    finally:
        locale.setlocale(locale.LC_ALL, saved)
    assert "C" in tried


def test_does_not_read_localeconv(monkeypatch: pytest.MonkeyPatch) -> None:
    english = {**locale.localeconv(), "decimal_point": ".", "thousands_sep": ",", "grouping": [3]}
    monkeypatch.setattr(locale, "localeconv", lambda: english)
    monkeypatch.setattr(locale, "getlocale", lambda *a: ("en_US", "UTF-8"))
    assert [sample() for sample in SAMPLES] == EXPECTED

"""The one definition of the table symbols and their legend."""

from __future__ import annotations

import pytest

from bielefeld_integration import disclosure, symbols
from bielefeld_integration.present import format as fmt
from bielefeld_integration.report import site


def test_symbols_and_signs_are_the_official_ones() -> None:
    assert [(s.code, s.sign) for s in symbols.SYMBOLS] == [
        ("-", "\u2013"),
        (".", "."),
        ("/", "/"),
        ("x", "x"),
        ("...", "..."),
    ]
    meanings = dict(symbols.LEGEND)
    assert meanings["\u2013"] == "genau null (nichts vorhanden)"
    assert meanings["."] == "Zahlenwert unbekannt oder geheim zu halten"
    assert meanings["x"] == "Tabellenfach gesperrt, weil Aussage nicht sinnvoll"
    assert meanings["..."] == "Angabe fällt später an"
    assert meanings["/"] == "keine Angabe, da Zahlenwert nicht sicher genug"


def test_every_user_of_symbols_takes_them_from_the_one_definition() -> None:
    assert disclosure.SYMBOL_LEGEND is symbols.SYMBOL_LEGEND
    assert (disclosure.ZERO, disclosure.SECRET, disclosure.UNRELIABLE) == ("-", ".", "/")
    assert fmt.TABLE_SYMBOLS == symbols.CODES
    assert site.SYMBOLS == symbols.LEGEND  # the legend of every page
    # a printed cell is exactly the sign the legend explains
    for s in symbols.SYMBOLS:
        assert fmt.fmt_value(1, "Anzahl", s.code) == s.sign
        assert fmt.fmt_value(1, "Anzahl", s.sign) == s.sign
        assert s.sign in dict(symbols.LEGEND)


def test_lookup_sign_code_and_unknown() -> None:
    assert symbols.sign("-") == "\u2013" and symbols.code("\u2013") == "-"
    assert symbols.sign("") == "" and symbols.code("") == ""
    with pytest.raises(ValueError, match="Tabellenzeichen"):
        symbols.lookup("*")
    assert symbols.legend_markdown().count("\n") == len(symbols.SYMBOLS) - 1

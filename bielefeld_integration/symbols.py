"""The table symbols of the official statistics (formerly DIN 55301): the one definition.

Every part of the package that marks a cell (indicator computation, disclosure control)
or prints one (tables, charts, CSV downloads, the legend "Zeichenerklärung" of every page)
takes the symbols from here, so a page's legend and its cells cannot disagree.

A symbol has a *code*, the ASCII text stored in the processed tables and the ``symbol``
columns (``-``, ``.``, ``/``, ``x``, ``...``), and a *sign*, the character printed on a
page and in the downloads (the exact zero is the dash ``–``, U+2013, as in the tables of
the statistical offices; all other signs equal their codes).

=====  ====  ==========================================================
code   sign  meaning (legend)
=====  ====  ==========================================================
``-``  –     genau null (nichts vorhanden)
``.``  .     Zahlenwert unbekannt oder geheim zu halten
``/``  /     keine Angabe, da Zahlenwert nicht sicher genug
``x``  x     Tabellenfach gesperrt, weil Aussage nicht sinnvoll
``...`` ...  Angabe fällt später an
=====  ====  ==========================================================
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Symbol:
    """One table symbol: stored code, printed sign and its meaning for the legend."""

    code: str
    sign: str
    meaning: str


#: Exactly zero, nothing ("nichts vorhanden").
ZERO = "-"
#: Suppressed for confidentiality, or unknown.
SECRET = "."
#: Not reliable enough to be published (e.g. small denominator).
UNRELIABLE = "/"
#: Not meaningful / not applicable.
NOT_MEANINGFUL = "x"
#: Not (yet) available: the figure comes later.
NOT_AVAILABLE = "..."

#: All symbols in the order of the legend.
SYMBOLS: tuple[Symbol, ...] = (
    Symbol(ZERO, "\u2013", "genau null (nichts vorhanden)"),
    Symbol(SECRET, ".", "Zahlenwert unbekannt oder geheim zu halten"),
    Symbol(UNRELIABLE, "/", "keine Angabe, da Zahlenwert nicht sicher genug"),
    Symbol(NOT_MEANINGFUL, "x", "Tabellenfach gesperrt, weil Aussage nicht sinnvoll"),
    Symbol(NOT_AVAILABLE, "...", "Angabe fällt später an"),
)

_BY_KEY: dict[str, Symbol] = {s.code: s for s in SYMBOLS} | {s.sign: s for s in SYMBOLS}

#: The stored codes.
CODES: frozenset[str] = frozenset(s.code for s in SYMBOLS)
#: The printed signs.
SIGNS: frozenset[str] = frozenset(s.sign for s in SYMBOLS)

#: Legend keyed by code (for code that works on stored tables).
SYMBOL_LEGEND: dict[str, str] = {s.code: s.meaning for s in SYMBOLS}

#: The legend as printed on every page: ``(sign, meaning)`` pairs.
LEGEND: tuple[tuple[str, str], ...] = tuple((s.sign, s.meaning) for s in SYMBOLS)


def lookup(symbol: str) -> Symbol:
    """The :class:`Symbol` of a code or sign.

    Raises
    ------
    ValueError
        For a text that is neither a code nor a sign.

    Examples
    --------
    >>> lookup("-").sign
    '–'
    """
    try:
        return _BY_KEY[symbol]
    except KeyError:
        allowed = ", ".join(s.sign for s in SYMBOLS)
        raise ValueError(f"unbekanntes Tabellenzeichen {symbol!r}; erlaubt: {allowed}") from None


def sign(symbol: str) -> str:
    """The printed sign of a code (or sign); ``""`` stays ``""``.

    Examples
    --------
    >>> sign("-"), sign("."), sign("")
    ('–', '.', '')
    """
    return lookup(symbol).sign if symbol else ""


def code(symbol: str) -> str:
    """The stored code of a sign (or code); ``""`` stays ``""``."""
    return lookup(symbol).code if symbol else ""


def legend_markdown() -> str:
    """The legend as a Markdown definition list (for pages outside the HTML template)."""
    lines = [f"- `{s.sign}` {s.meaning}" for s in SYMBOLS]
    return "\n".join(lines)


__all__ = [
    "CODES",
    "LEGEND",
    "NOT_AVAILABLE",
    "NOT_MEANINGFUL",
    "SECRET",
    "SIGNS",
    "SYMBOLS",
    "SYMBOL_LEGEND",
    "UNRELIABLE",
    "ZERO",
    "Symbol",
    "code",
    "legend_markdown",
    "lookup",
    "sign",
]

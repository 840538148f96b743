"""Disclosure control of the indicator table: :func:`publishable`, :func:`suppression_log`.

1. The case numbers of the table become quantities identified by their definition
   (:mod:`bielefeld_integration.disclosure.quantities`), with the additivity lines between
   them taken from the catalogue.
2. Quantities ``0 < n < threshold`` are primary; :func:`bielefeld_integration.disclosure.
   secondary.protect` adds complements, cheapest first (small areas and fine breakdowns
   before city totals, quantities shown rarely before those shown often), until the
   interval audit passes.
3. Every cell of a hidden quantity becomes ``.``, everywhere it is published; every value
   computed from a hidden quantity (share, rate, gap, ratio, change, representation or
   location quotient) becomes ``.`` too. A value shown as ``/`` (denominator too small)
   publishes neither its numerator nor its denominator.

The published table has one marker for every hidden cell: it never says whether a cell
is small itself or hidden to protect another one. Which cells are primary is only in the
internal :func:`suppression_log`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from bielefeld_integration.disclosure.audit import AuditResult, audit
from bielefeld_integration.disclosure.cache import AuditCache, protect_by_period
from bielefeld_integration.disclosure.quantities import CASE_COLUMNS, Quantities, quantities
from bielefeld_integration.disclosure.secondary import check_threshold
from bielefeld_integration.indicators.catalogue import Catalogue, load_catalogue
from bielefeld_integration.indicators.compute import COLUMNS
from bielefeld_integration.symbols import NOT_AVAILABLE, NOT_MEANINGFUL, SECRET, UNRELIABLE, ZERO

__all__ = [
    "PUBLISHED_COLUMNS",
    "Protection",
    "attack",
    "protect_indicators",
    "publishable",
    "revealing_values",
    "suppression_log",
]

#: Columns of the published indicator table: the indicator table's columns plus the
#: symbols of the two case-number columns (``.`` hidden or unknown, ``/`` not shown with a
#: value whose denominator is too small, ``-`` zero, ``x`` no case number, ``...`` later).
#: A ``.`` of a row flagged ``missing_table`` is unknown (never delivered), not hidden.
PUBLISHED_COLUMNS = [*COLUMNS, "numerator_symbol", "denominator_symbol"]

_ROW_KEY = ["period", "indicator", "area_level", "area_code", "group", "breakdown"]
_ROW_KEY.append("breakdown_value")
#: Flags that only describe the data (never the disclosure pattern).
_DATA_FLAGS = (
    "break",
    "missing_table",
    "no_event",
    "no_previous_period",
    "provisional",
    "small_denominator",
)
#: Row symbols of rows without data that a case-number cell takes over.
_NO_DATA = (NOT_AVAILABLE, NOT_MEANINGFUL)


@dataclass(frozen=True)
class Protection:
    """The result of protecting an indicator table (internal: contains the true pattern).

    Attributes
    ----------
    table : pandas.DataFrame
        The unsuppressed input (row order as given).
    quantities : Quantities
        Quantities and equations.
    primary, secret : numpy.ndarray of bool
        Per quantity: primary cells; all hidden cells.
    audit : AuditResult
        The final interval audit.
    """

    table: pd.DataFrame
    quantities: Quantities
    primary: np.ndarray
    secret: np.ndarray
    audit: AuditResult

    @property
    def secondary(self) -> np.ndarray:
        """Quantities hidden only to protect others."""
        return self.secret & ~self.primary


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    out = df[COLUMNS].reset_index(drop=True).copy()
    for col in ("value", *CASE_COLUMNS):
        out[col] = out[col].astype("float64")
    for col in COLUMNS:
        if col not in ("value", *CASE_COLUMNS):
            out[col] = out[col].fillna("").astype(str)
    return out


def protect_indicators(
    df: pd.DataFrame,
    threshold: int = 3,
    *,
    catalogue: Catalogue | None = None,
    cache: AuditCache | None = None,
) -> Protection:
    """Choose the hidden quantities of an indicator table (primary and secondary).

    Parameters
    ----------
    df : pandas.DataFrame
        An indicator table (``compute``), unsuppressed.
    threshold : int, default 3
        Smallest published count and protection level of the interval audit.
    catalogue : Catalogue, optional
        The catalogue the table was computed from (default: the package catalogue).
    cache : AuditCache, optional
        Reuse the result of every period whose problem did not change; the periods are
        solved separately either way (:mod:`bielefeld_integration.disclosure.cache`).

    Returns
    -------
    Protection
    """
    check_threshold(threshold)
    table = _typed(df)
    cat = catalogue if catalogue is not None else load_catalogue()
    q = quantities(table, cat)
    published = q.published
    # small counts are primary even where no row shows them (e.g. only beside a "/"):
    # the lines could still give them away
    primary = (q.values > 0) & (q.values < threshold)
    secret, result = protect_by_period(
        q,
        primary,
        unshown=~published & ~primary,
        eligible=published & q.nonneg,
        threshold=threshold,
        cache=cache,
    )
    return Protection(table, q, primary, secret, result)


def apply(protection: Protection) -> pd.DataFrame:
    """The published table of a :class:`Protection` (columns :data:`PUBLISHED_COLUMNS`)."""
    out = protection.table.copy()
    q = protection.quantities
    n = len(out)
    symbol = out["symbol"].to_numpy(dtype=object).copy()
    value = out["value"].to_numpy(dtype="float64").copy()
    # rows of a table never delivered (unknown, ".") have no case numbers to hide
    unknown = (symbol == SECRET) & np.isnan(value)

    hidden_cell = np.zeros((n, 2), dtype=bool)
    has = q.cell_var >= 0
    hidden_cell[has] = protection.secret[q.cell_var[has]]
    for j, col in enumerate(CASE_COLUMNS):
        x = out[col].to_numpy(dtype="float64").copy()
        cell_symbol = np.full(n, "", dtype=object)
        missing = np.isnan(x)
        # no case number: the row's own reason ("...", "x", unknown "."), else "x"
        # (the value has none, e.g. a change or the denominator of a count)
        cell_symbol[missing] = NOT_MEANINGFUL
        takes_over = missing & (np.isin(symbol, _NO_DATA) | unknown)
        cell_symbol[takes_over] = symbol[takes_over]
        cell_symbol[~missing & (x == 0)] = ZERO
        not_shown = ~missing & ~q.shown[:, j]
        cell_symbol[not_shown] = np.where(
            symbol[not_shown] == NOT_AVAILABLE, NOT_AVAILABLE, UNRELIABLE
        )
        cell_symbol[hidden_cell[:, j]] = SECRET
        x[hidden_cell[:, j] | not_shown] = np.nan
        out[col] = x
        out[f"{col}_symbol"] = cell_symbol

    # values computed from a hidden quantity are hidden with it
    derived = np.zeros(n, dtype=bool)
    hit = protection.secret[q.source_var]
    derived[q.source_row[hit]] = True
    derived |= hidden_cell.any(axis=1) & np.isin(
        out["kind"].to_numpy(dtype=object), ["count", "share", "rate", "location_quotient"]
    )
    # a row without a value ("...", "x", unknown ".") hides nothing: it stays as it is
    hide = derived & ~np.isnan(value)
    value[hide] = np.nan
    symbol[hide & (symbol != UNRELIABLE)] = SECRET
    # values not reliable or not meaningful carry no number
    value[np.isin(symbol, [UNRELIABLE, NOT_MEANINGFUL])] = np.nan
    out["value"] = value
    out["symbol"] = symbol
    flags = out["flags"].to_numpy(dtype=object)
    out["flags"] = [
        ",".join(f for f in str(fl).split(",") if f in _DATA_FLAGS) if fl else "" for fl in flags
    ]
    return out[PUBLISHED_COLUMNS].reset_index(drop=True)


def publishable(
    df: pd.DataFrame, threshold: int = 3, *, catalogue: Catalogue | None = None
) -> pd.DataFrame:
    """Apply disclosure control to an indicator table.

    Parameters
    ----------
    df : pandas.DataFrame
        An indicator table (``compute``), unsuppressed.
    threshold : int, default 3
        Smallest published count; every hidden count keeps a feasible interval at least
        this wide against an attacker with a linear-programming solver.
    catalogue : Catalogue, optional
        The catalogue the table was computed from (default: the package catalogue).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PUBLISHED_COLUMNS`, rows as in ``df``; hidden cells are NaN with the
        symbol ``.``.
    """
    return apply(protect_indicators(df, threshold, catalogue=catalogue))


def suppression_log(protection: Protection) -> pd.DataFrame:
    """Which case numbers are hidden, and why. **Internal use only** (true values).

    Returns
    -------
    pandas.DataFrame
        One row per hidden cell: the row key (``period`` … ``breakdown_value``), ``column``
        (``numerator`` / ``denominator``), ``value`` (the true count), ``reason``
        (``primary`` or ``secondary``) and ``quantity`` (the id of the quantity, the same
        for every cell of one definition).
    """
    q = protection.quantities
    parts = []
    for j, col in enumerate(CASE_COLUMNS):
        var = q.cell_var[:, j]
        rows = np.flatnonzero((var >= 0) & np.isin(var, np.flatnonzero(protection.secret)))
        sub = protection.table.loc[rows, _ROW_KEY].copy()
        sub["column"] = col
        sub["value"] = protection.table[col].to_numpy(dtype="float64")[rows]
        sub["reason"] = np.where(protection.primary[var[rows]], "primary", "secondary")
        sub["quantity"] = var[rows]
        parts.append(sub)
    log = pd.concat(parts)
    return log.sort_index(kind="stable").reset_index(drop=True)


def attack(
    truth: pd.DataFrame,
    published: pd.DataFrame,
    threshold: int = 3,
    *,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """Attack a published indicator table with a linear-programming solver. **Internal.**

    The attacker knows every value ``published`` shows, every definition of the catalogue
    (hence every additivity line) and that each ``.`` is at least 1; the true values of
    ``truth`` are used only to set up the lines (as the attacker's model) and to report.

    Parameters
    ----------
    truth : pandas.DataFrame
        The unsuppressed indicator table the published one was made from.
    published : pandas.DataFrame
        The published table (columns :data:`PUBLISHED_COLUMNS`, same rows).
    threshold : int, default 3
        Protection level.
    catalogue : Catalogue, optional
        Default: the package catalogue.

    Returns
    -------
    pandas.DataFrame
        One row per hidden quantity: ``quantity``, ``value`` (true), ``lower``, ``upper``
        (exact feasible interval) and ``protected``.

    Raises
    ------
    ValueError
        If a quantity is shown in one cell and hidden in another (the table contradicts
        itself).
    """
    q = quantities(_typed(truth), catalogue if catalogue is not None else load_catalogue())
    shown = np.zeros(len(q.values), dtype=bool)
    hidden = np.zeros(len(q.values), dtype=bool)
    pub = published.reset_index(drop=True)
    for j, col in enumerate(CASE_COLUMNS):
        var = q.cell_var[:, j]
        has = var >= 0
        shown[var[has & pub[col].notna().to_numpy()]] = True
        hidden[var[has & (pub[f"{col}_symbol"].to_numpy(dtype=object) == SECRET)]] = True
    if (shown & hidden).any():
        raise ValueError("eine Fallzahl ist an einer Stelle gezeigt und an einer anderen gesperrt")
    result = audit(
        q.values,
        q.eq,
        q.var,
        q.coef,
        hidden,
        unshown=~shown & ~hidden,
        nonneg=q.nonneg,
        threshold=threshold,
        exact=True,
    )
    ids = np.flatnonzero(hidden)
    return pd.DataFrame(
        {
            "quantity": ids,
            "value": q.values[ids],
            "lower": result.lower[ids],
            "upper": result.upper[ids],
            "protected": result.protected[ids],
        }
    )


def revealing_values(truth: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Rows whose published value is computed from a hidden quantity (should be none)."""
    q = quantities(_typed(truth), load_catalogue())
    pub = published.reset_index(drop=True)
    hidden = np.zeros(len(q.values), dtype=bool)
    for j, col in enumerate(CASE_COLUMNS):
        var = q.cell_var[:, j]
        hidden[var[(var >= 0) & (pub[f"{col}_symbol"].to_numpy(dtype=object) == SECRET)]] = True
    bad = q.source_row[hidden[q.source_var] & pub["value"].notna().to_numpy()[q.source_row]]
    return pub.loc[np.unique(bad)]

"""Statistical disclosure control: everything the package publishes passes through here.

The rule (DESIGN section 7, described in German for the methods page by
:func:`describe_rule`):

- counts ``0 < n < threshold`` (default 3, i.e. 1 and 2) are *primarily* suppressed and
  shown as ``.``; zeros are not secret and are shown as ``-``;
- further cells are *secondarily* suppressed until an attacker who knows everything that is
  published, every additivity relation between the cells and that each hidden cell is at
  least 1 cannot narrow any hidden cell to an interval narrower than ``threshold``
  (checked with a linear-programming solver, :mod:`.audit`);
- rates whose denominator is too small are marked ``/``; values derived from a hidden
  count are hidden with it.

Modules (one job each):

- :mod:`.primary` — primary suppression of tidy frames, ``/`` marks, input checks;
- :mod:`.table` — :func:`suppress_table` for two-way tables with totals;
- :mod:`.audit` — the interval audit (:func:`.audit.audit`) (HiGHS through ``highspy``);
- :mod:`.secondary` — complementary cells until the audit passes (:func:`protect`);
- :mod:`.rule` — the German description of the rule and its limits.

The indicator table is protected by :mod:`.quantities` (the published quantities and their
additivity lines, from the catalogue), :mod:`.indicator_table` (:func:`publishable`),
:mod:`.cache` (one problem per period, each solved once per content), :mod:`.stage`
(writes ``published.parquet`` once per build) and :mod:`.export`; import them
from their modules (they depend on the indicator engine, which itself uses the symbols
re-exported here).
"""

from __future__ import annotations

from bielefeld_integration.disclosure.audit import AuditResult
from bielefeld_integration.disclosure.primary import mark_small_denominator, suppress_counts
from bielefeld_integration.disclosure.rule import describe_rule
from bielefeld_integration.disclosure.secondary import protect, suppress_linked
from bielefeld_integration.disclosure.table import SuppressionResult, suppress_table
from bielefeld_integration.symbols import (
    NOT_AVAILABLE,
    NOT_MEANINGFUL,
    SECRET,
    SYMBOL_LEGEND,
    UNRELIABLE,
    ZERO,
)

__all__ = [
    "NOT_AVAILABLE",
    "NOT_MEANINGFUL",
    "SECRET",
    "SYMBOL_LEGEND",
    "UNRELIABLE",
    "ZERO",
    "AuditResult",
    "SuppressionResult",
    "describe_rule",
    "mark_small_denominator",
    "protect",
    "suppress_counts",
    "suppress_linked",
    "suppress_table",
]

"""The measures register (Maßnahmenregister) of the implementation report.

The Kommunales Integrationszentrum (KI) keeps, per reporting period, a register of the
offers and measures of the city's offices and institutions, of REGE mbH, of the Jobcenter
and of municipally funded measures of other bodies (DESIGN section 6). The package is cut
along the seams of the work on it:

======================================  ====================================================
module                                  job
======================================  ====================================================
:mod:`~.vocabulary`                     fields, goals, body types, statuses, headers, labels
:mod:`~.schema`                         pandera schema, the processed table ``measures``
:mod:`~.cells`, :mod:`~.rows`           parsers of one cell and of one row
:mod:`~.reader`                         :func:`load_register` (CSV/XLSX, every problem at once)
:mod:`~.summaries`                      coverage, bodies, funding, origin, period summary
:mod:`~.changes`                        changes between two periods, new measures
:mod:`~.gaps`                           goals/fields without indicator, and back
:mod:`~.indicator_values`               each measure's indicators, at the start and now
:mod:`~.export`                         CSV/XLSX in the delivery format (atomic writes)
:mod:`~.publish`                        small participant counts suppressed for publication
:mod:`~.links`                          the register against the indicator catalogue
======================================  ====================================================

This package namespace re-exports the public names of the lower modules, which import
nothing above :mod:`bielefeld_integration.tables` (the table registry imports the schema
from here). :mod:`~.publish` (uses :mod:`bielefeld_integration.disclosure`) and
:mod:`~.links` (uses the indicator catalogue) sit above that and are imported by name:
``from bielefeld_integration.measures.publish import publish_register`` and
``from bielefeld_integration.measures.links import catalogue_ids``.
"""

from __future__ import annotations

from bielefeld_integration.measures.changes import (
    CHANGE_CATEGORIES,
    changes,
    new_measure_ids,
)
from bielefeld_integration.measures.export import export_register, register_csv, register_xlsx
from bielefeld_integration.measures.gaps import RegisterGaps, gaps
from bielefeld_integration.measures.indicator_values import SEX_CODES, by_sex, indicator_view
from bielefeld_integration.measures.reader import load_register
from bielefeld_integration.measures.schema import (
    MEASURE_COLUMNS,
    MEASURES_TABLE_SPEC,
    REGISTER_SCHEMA,
)
from bielefeld_integration.measures.summaries import (
    PeriodSummary,
    active,
    by_body,
    by_origin,
    coverage_matrix,
    key_figures,
    period_summary,
    totals,
)
from bielefeld_integration.measures.vocabulary import (
    ACTIVE_STATUSES,
    BODY_TYPE_LABELS,
    BODY_TYPES,
    CATALOGUE_FIELD_CODES,
    COLUMN_LABELS,
    COLUMNS,
    ENDED_STATUSES,
    FIELD_SHORT,
    FIELDS,
    FUNDING_SOURCES,
    GERMAN_HEADERS,
    GOAL_SHORT,
    GOALS,
    HEADERS,
    IMPACT_CAVEAT,
    ORIGINS,
    STATUSES,
    TARGET_GROUPS,
    goals_in_words,
    split_goals,
    split_list,
)

__all__ = [
    "ACTIVE_STATUSES",
    "BODY_TYPES",
    "BODY_TYPE_LABELS",
    "CATALOGUE_FIELD_CODES",
    "CHANGE_CATEGORIES",
    "COLUMNS",
    "COLUMN_LABELS",
    "ENDED_STATUSES",
    "FIELDS",
    "FIELD_SHORT",
    "FUNDING_SOURCES",
    "GERMAN_HEADERS",
    "GOALS",
    "GOAL_SHORT",
    "HEADERS",
    "IMPACT_CAVEAT",
    "MEASURES_TABLE_SPEC",
    "MEASURE_COLUMNS",
    "ORIGINS",
    "REGISTER_SCHEMA",
    "SEX_CODES",
    "STATUSES",
    "TARGET_GROUPS",
    "PeriodSummary",
    "RegisterGaps",
    "active",
    "by_body",
    "by_origin",
    "by_sex",
    "changes",
    "coverage_matrix",
    "export_register",
    "gaps",
    "goals_in_words",
    "indicator_view",
    "key_figures",
    "load_register",
    "new_measure_ids",
    "period_summary",
    "register_csv",
    "register_xlsx",
    "split_goals",
    "split_list",
    "totals",
]

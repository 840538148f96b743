"""Schema of the tidy measures register and of the processed table ``measures``.

:data:`MEASURES_TABLE_SPEC` is what :mod:`bielefeld_integration.tables` registers as the
table ``measures``; so this module (like the vocabulary it uses) must stay free of the
indicator layer: whether the indicator ids of the register exist in the catalogue is
checked in :mod:`bielefeld_integration.measures.links`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandera.pandas as pa

from bielefeld_integration.measures.vocabulary import (
    BODY_TYPES,
    FIELDS,
    FUNDING_SOURCES,
    INDICATOR_ID_PATTERN,
    ISO_DATE_PATTERN,
    ORIGINS,
    STATUSES,
    TARGET_GROUPS,
)


def _nonempty() -> pa.Check:
    return pa.Check.str_length(min_value=1)


def _list_of(values: Iterable[str]) -> pa.Check:
    allowed = set(values)
    return pa.Check(
        lambda s: s.map(lambda v: bool(v) and all(p in allowed for p in str(v).split(";"))),
        element_wise=False,
        error="';'-getrennte Liste erlaubter Werte",
    )


#: The pandera columns of the tidy register (without ``reference_date``).
MEASURE_COLUMNS: dict[str, pa.Column] = {
    "measure_id": pa.Column(str, _nonempty()),
    "title": pa.Column(str, _nonempty()),
    "description": pa.Column(str),
    "body": pa.Column(str, _nonempty()),
    "body_type": pa.Column(str, pa.Check.isin(BODY_TYPES)),
    "field": pa.Column(str, pa.Check.isin(FIELDS)),
    "goals": pa.Column(str, pa.Check.str_matches(r"^[1-4](;[1-4])*$")),
    "target_groups": pa.Column(str, _list_of(TARGET_GROUPS)),
    "origin": pa.Column(str, pa.Check.isin(ORIGINS)),
    "status": pa.Column(str, pa.Check.isin(STATUSES)),
    "start": pa.Column(str, pa.Check.str_matches(ISO_DATE_PATTERN)),
    "end": pa.Column(str, pa.Check.str_matches(ISO_DATE_PATTERN), nullable=True),
    "as_of": pa.Column(str, pa.Check.str_matches(ISO_DATE_PATTERN)),
    "participants": pa.Column("Int64", pa.Check.ge(0), nullable=True),
    "budget_eur": pa.Column("float64", pa.Check.ge(0), nullable=True),
    "funding": pa.Column(str, _list_of(FUNDING_SOURCES)),
    "indicators": pa.Column(
        str, pa.Check.str_matches(rf"^({INDICATOR_ID_PATTERN}(;{INDICATOR_ID_PATTERN})*)?$")
    ),
}

#: Schema of the frame :func:`load_register` returns.
REGISTER_SCHEMA = pa.DataFrameSchema(
    MEASURE_COLUMNS, strict=True, unique=["measure_id"], name="measures"
)

#: Keyword arguments for ``tables.Table(**MEASURES_TABLE_SPEC)``: the processed table
#: ``measures`` (the register plus ``reference_date``; no count columns, because
#: ``participants`` may be empty).
MEASURES_TABLE_SPEC: dict[str, Any] = {
    "name": "measures",
    "description": (
        "Maßnahmenregister zum Umsetzungsbericht: Angebote und Maßnahmen städtischer Ämter "
        "und Einrichtungen, der REGE mbH, des Jobcenters und kommunal geförderter Träger nach "
        "Handlungsfeld, Schwerpunktziel, Status, Teilnehmenden, Budget und Indikatorbezug (KI)"
    ),
    "reference": "Stand des Registers (30.06.)",
    "keys": ["measure_id"],
    "counts": [],
    "columns": MEASURE_COLUMNS,
}

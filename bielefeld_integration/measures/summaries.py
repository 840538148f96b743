"""Summaries of a measures register: coverage, bodies, funding, origin, key figures.

All functions take a tidy register (:func:`bielefeld_integration.measures.load_register`).
For publication pass the register returned by
:func:`bielefeld_integration.measures.publish.publish_register`: sums of participants then
add up published values only, so no suppressed count can be recovered by subtraction; the
``participants_missing`` columns say how many measures a sum leaves out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from bielefeld_integration.measures.vocabulary import (
    ACTIVE_STATUSES,
    BODY_TYPES,
    ENDED_STATUSES,
    FIELDS,
    FUNDING_SOURCES,
    GOALS,
    ORIGINS,
    STATUSES,
    split_goals,
    split_list,
)


def active(reg: pd.DataFrame) -> pd.DataFrame:
    """The measures with status ``geplant`` or ``laufend``."""
    return reg[reg["status"].isin(ACTIVE_STATUSES)].reset_index(drop=True)


def participant_counts(reg: pd.DataFrame) -> pd.Series:
    """The participant counts of a register as float (NaN where unknown or suppressed)."""
    return pd.to_numeric(reg["participants"], errors="coerce").astype("float64")


def _int_or_na(value: float) -> Any:
    return pd.NA if pd.isna(value) else round(value)


def coverage_matrix(reg: pd.DataFrame, *, totals: bool = False) -> pd.DataFrame:
    """Number of measures per Handlungsfeld and focus goal.

    A measure that serves several goals is counted under each of them.

    Parameters
    ----------
    reg : pandas.DataFrame
        A register as returned by :func:`load_register`.
    totals : bool, default False
        Add a column ``"Insgesamt"`` (distinct measures per field) and a row
        ``"Insgesamt"`` (measures per goal; the corner is the number of measures).

    Returns
    -------
    pandas.DataFrame
        Index: the six :data:`FIELDS` (always all, in order); columns: the goals ``1``–``4``
        (labels in :data:`GOAL_SHORT`); int64 counts.

    Examples
    --------
    >>> coverage_matrix(reg).loc["Betreuung/Erziehung/Bildung", 1]  # doctest: +SKIP
    9
    """
    out = pd.DataFrame(
        0,
        index=pd.Index(FIELDS, name="field"),
        columns=pd.Index(list(GOALS), name="goal"),
        dtype="int64",
    )
    for field, goals in zip(reg["field"], reg["goals"], strict=True):
        for g in split_goals(goals):
            out.loc[field, g] += 1
    if totals:
        per_field = reg.groupby("field").size().reindex(FIELDS, fill_value=0)
        out["Insgesamt"] = per_field.to_numpy(dtype="int64")
        out.loc["Insgesamt"] = [*out[list(GOALS)].sum().tolist(), len(reg)]
    return out


def by_body(reg: pd.DataFrame, level: Literal["body", "body_type"] = "body") -> pd.DataFrame:
    """Measures, participants and budget by body type and responsible body.

    Parameters
    ----------
    reg : pandas.DataFrame
        A register; for publication pass ``publish_register(reg).register`` (sums of
        published values only, see module docstring).
    level : {"body", "body_type"}, default "body"
        ``"body"`` gives one row per body, ``"body_type"`` one per body type.

    Returns
    -------
    pandas.DataFrame
        Columns ``body_type``, (``body``,) ``measures``, ``participants`` (Int64 sum of the
        known counts, NA if none is known), ``participants_missing`` (measures without a
        count), ``budget_eur`` (sum of known budgets, NaN if none), ``budget_missing``;
        body types in the order of :data:`BODY_TYPES`, bodies alphabetically.
    """
    if level not in ("body", "body_type"):
        raise ValueError(f"level must be 'body' or 'body_type', not {level!r}")
    keys = ["body_type"] if level == "body_type" else ["body_type", "body"]
    work = reg[keys].copy()
    work["participants"] = participant_counts(reg)
    work["budget_eur"] = pd.to_numeric(reg["budget_eur"], errors="coerce")
    g = work.groupby(keys, sort=False)
    out = pd.DataFrame(
        {
            "measures": g.size(),
            "participants": g["participants"].sum(min_count=1),
            "participants_missing": g["participants"].apply(lambda s: int(s.isna().sum())),
            "budget_eur": g["budget_eur"].sum(min_count=1),
            "budget_missing": g["budget_eur"].apply(lambda s: int(s.isna().sum())),
        }
    ).reset_index()
    out["participants"] = pd.array([_int_or_na(v) for v in out["participants"]], dtype="Int64")
    out["_order"] = out["body_type"].map({t: i for i, t in enumerate(BODY_TYPES)})
    out = out.sort_values(["_order", *keys[1:]], kind="stable").drop(columns="_order")
    for col in ("measures", "participants_missing", "budget_missing"):
        out[col] = out[col].astype("int64")
    return out.reset_index(drop=True)


def totals(reg: pd.DataFrame) -> pd.DataFrame:
    """Measures, participants and budget by funding source, with a total row.

    A co-funded measure (several sources) is counted under each of its sources with its
    whole participants and budget, because the register does not split budgets; hence the
    source rows do not add up to the total row ``"Insgesamt"``, which counts every measure
    once. ``budget_sole_eur`` is the budget of the measures financed by that source alone
    (these do add up, together with the co-funded measures).

    Parameters
    ----------
    reg : pandas.DataFrame
        A register; for publication pass ``publish_register(reg).register``.

    Returns
    -------
    pandas.DataFrame
        Columns ``funding``, ``measures``, ``measures_cofunded``, ``participants`` (Int64),
        ``participants_missing``, ``budget_eur``, ``budget_sole_eur``; sources in the
        order of :data:`FUNDING_SOURCES` (only those that occur), then ``"Insgesamt"``.
    """
    part = participant_counts(reg).to_numpy()
    budget = pd.to_numeric(reg["budget_eur"], errors="coerce").to_numpy(dtype="float64")
    sources = [split_list(v) for v in reg["funding"]]

    def row(label: str, mask: np.ndarray, sole: np.ndarray) -> dict[str, Any]:
        p, b = part[mask], budget[mask]
        return {
            "funding": label,
            "measures": int(mask.sum()),
            "measures_cofunded": int((mask & ~sole).sum()),
            "participants": _int_or_na(np.nansum(p)) if (~np.isnan(p)).any() else pd.NA,
            "participants_missing": int(np.isnan(p).sum()),
            "budget_eur": float(np.nansum(b)) if (~np.isnan(b)).any() else math.nan,
            "budget_sole_eur": float(np.nansum(budget[mask & sole]))
            if (~np.isnan(budget[mask & sole])).any()
            else math.nan,
        }

    single = np.array([len(s) == 1 for s in sources], dtype=bool)
    rows = []
    for src in FUNDING_SOURCES:
        mask = np.array([src in s for s in sources], dtype=bool)
        if mask.any():
            rows.append(row(src, mask, single))
    total = row("Insgesamt", np.ones(len(reg), dtype=bool), np.ones(len(reg), dtype=bool))
    total["measures_cofunded"] = int((~single).sum())
    total["budget_sole_eur"] = math.nan  # not meaningful for the total
    rows.append(total)
    out = pd.DataFrame(rows)
    out["participants"] = pd.array(list(out["participants"]), dtype="Int64")
    return out


def key_figures(reg: pd.DataFrame) -> pd.Series:
    """Key figures of a register for the report text.

    Returns
    -------
    pandas.Series
        ``measures``, one entry per status (``geplant``, ``laufend``, ``abgeschlossen``,
        ``eingestellt``), ``neu initiiert``, ``with_indicator`` (measures naming at least
        one indicator), ``participants`` (sum of known counts), ``budget_eur`` (sum of known
        budgets), ``as_of`` (latest Stand, ISO).
    """
    status = reg["status"].value_counts()
    data: dict[str, Any] = {"measures": len(reg)}
    for s in STATUSES:
        data[s] = int(status.get(s, 0))
    data["neu initiiert"] = int((reg["origin"] == "neu initiiert").sum())
    data["with_indicator"] = int(reg["indicators"].map(lambda v: bool(split_list(v))).sum())
    data["participants"] = int(np.nansum(participant_counts(reg)))
    data["budget_eur"] = float(np.nansum(pd.to_numeric(reg["budget_eur"], errors="coerce")))
    data["as_of"] = str(reg["as_of"].max()) if len(reg) else ""
    return pd.Series(data, dtype=object)


def by_origin(reg: pd.DataFrame, *, totals: bool = False) -> pd.DataFrame:
    """Number of measures per Handlungsfeld named in the concept and newly initiated.

    Parameters
    ----------
    reg : pandas.DataFrame
        A register.
    totals : bool, default False
        Add a column and a row ``"Insgesamt"``.

    Returns
    -------
    pandas.DataFrame
        Index: the six :data:`FIELDS` (always all, in order); columns: the :data:`ORIGINS`
        (``"im Konzept benannt"``, ``"neu initiiert"``); int64 counts.
    """
    out = (
        pd.crosstab(reg["field"], reg["origin"])
        .reindex(index=FIELDS, columns=ORIGINS, fill_value=0)
        .astype("int64")
    )
    out.index.name, out.columns.name = "field", "origin"
    if totals:
        out["Insgesamt"] = out.sum(axis=1)
        out.loc["Insgesamt"] = out.sum(axis=0)
    return out


@dataclass(frozen=True)
class PeriodSummary:
    """The figures of a register in the terms of the implementation report.

    Attributes
    ----------
    as_of : str
        Latest Stand of the register (ISO date).
    measures : int
        Measures in the register.
    by_body_type : dict
        Body type (:data:`BODY_TYPES`, all four, in order) -> number of measures.
    named_in_concept, newly_initiated : int
        Measures named in the concept / initiated since.
    new_by_field : dict
        Handlungsfeld -> number of newly initiated measures, most first (fields without
        new measures left out; ties in the order of :data:`FIELDS`).
    active, ended : int
        Measures planned or running / completed or discontinued.
    with_indicator : int
        Measures that name at least one indicator.
    """

    as_of: str
    measures: int
    by_body_type: dict[str, int]
    named_in_concept: int
    newly_initiated: int
    new_by_field: dict[str, int]
    active: int
    ended: int
    with_indicator: int


def period_summary(reg: pd.DataFrame) -> PeriodSummary:
    """Summarise a register in the terms of the implementation report.

    Examples
    --------
    >>> reg = pd.DataFrame({"body_type": ["REGE mbH"], "origin": ["neu initiiert"],
    ...     "field": [FIELDS[1]], "status": ["laufend"], "indicators": ["ARB-01"],
    ...     "as_of": ["2017-06-30"]})
    >>> s = period_summary(reg)
    >>> s.by_body_type["REGE mbH"], s.newly_initiated, list(s.new_by_field)
    (1, 1, ['Ausbildung/Qualifizierung/Beruf/Arbeitsmarkt'])
    """
    body = reg["body_type"].value_counts()
    new = reg.loc[reg["origin"] == "neu initiiert", "field"].value_counts()
    new_by_field = sorted(
        ((f, int(new[f])) for f in FIELDS if new.get(f, 0) > 0),
        key=lambda item: (-item[1], FIELDS.index(item[0])),
    )
    return PeriodSummary(
        as_of=str(reg["as_of"].max()) if len(reg) else "",
        measures=len(reg),
        by_body_type={t: int(body.get(t, 0)) for t in BODY_TYPES},
        named_in_concept=int((reg["origin"] == "im Konzept benannt").sum()),
        newly_initiated=int((reg["origin"] == "neu initiiert").sum()),
        new_by_field=dict(new_by_field),
        active=int(reg["status"].isin(ACTIVE_STATUSES).sum()),
        ended=int(reg["status"].isin(ENDED_STATUSES).sum()),
        with_indicator=int(reg["indicators"].map(lambda v: bool(split_list(v))).sum()),
    )

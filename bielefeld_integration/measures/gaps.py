"""Gaps between measures and indicators: goals and fields without indicator, and back.

The catalogue's ids are passed in (see :func:`bielefeld_integration.measures.links.catalogue_ids`),
so this module does not depend on the indicator layer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from bielefeld_integration.measures.vocabulary import (
    FIELDS,
    GOAL_SHORT,
    GOALS,
    split_goals,
    split_list,
)


@dataclass(frozen=True)
class RegisterGaps:
    """Result of :func:`gaps`.

    Attributes
    ----------
    fields : pandas.DataFrame
        Per Handlungsfeld: ``field``, ``measures``, ``measures_with_indicator``,
        ``indicators`` (``;``-joined catalogue ids named by its measures),
        ``catalogue_indicators`` (ids the catalogue assigns to this field, if known) and
        ``gap`` (measures but no indicator named).
    goals : pandas.DataFrame
        The same per focus goal (``goal``, ``goal_label``; no ``catalogue_indicators``).
    unaddressed : pandas.DataFrame
        Catalogue indicators that no measure names: ``indicator``, ``indicator_field``.
    unknown : pandas.DataFrame
        Ids named by measures but not in the catalogue: ``indicator``, ``measures``.
    """

    fields: pd.DataFrame
    goals: pd.DataFrame
    unaddressed: pd.DataFrame
    unknown: pd.DataFrame

    @property
    def fields_without_indicator(self) -> list[str]:
        """Handlungsfelder with measures but no indicator."""
        return self.fields.loc[self.fields["gap"], "field"].tolist()

    @property
    def goals_without_indicator(self) -> list[int]:
        """Focus goals with measures but no indicator."""
        return self.goals.loc[self.goals["gap"], "goal"].tolist()

    @property
    def indicators_without_measure(self) -> list[str]:
        """Catalogue indicators that no measure addresses."""
        return self.unaddressed["indicator"].tolist()


def gaps(
    reg: pd.DataFrame,
    catalogue_ids: Iterable[str],
    indicator_fields: Mapping[str, str] | None = None,
) -> RegisterGaps:
    """Goals and fields with measures but no indicator, and indicators with no measure.

    Parameters
    ----------
    reg : pandas.DataFrame
        A register (pass :func:`active` ``(reg)`` to look at running measures only).
    catalogue_ids : iterable of str
        The ids of the indicator catalogue
        (:func:`bielefeld_integration.measures.links.catalogue_ids`).
    indicator_fields : mapping, optional
        Indicator id -> its field in the catalogue. Shown for unaddressed indicators; where
        the field is one of the six :data:`FIELDS`, it also fills ``catalogue_indicators``.

    Returns
    -------
    RegisterGaps
        See there; ``.fields_without_indicator``, ``.goals_without_indicator`` and
        ``.indicators_without_measure`` give the plain lists.
    """
    catalogue = sorted(set(catalogue_ids))
    known = set(catalogue)
    fields_map = dict(indicator_fields or {})
    linked = [[i for i in split_list(v) if i in known] for v in reg["indicators"]]
    named = [split_list(v) for v in reg["indicators"]]

    def summary(mask: np.ndarray) -> dict[str, Any]:
        ids = sorted({i for m, ls in zip(mask, linked, strict=True) if m for i in ls})
        n = int(mask.sum())
        with_ind = int(sum(1 for m, ls in zip(mask, linked, strict=True) if m and ls))
        return {
            "measures": n,
            "measures_with_indicator": with_ind,
            "indicators": ";".join(ids),
            "gap": bool(n > 0 and with_ind == 0),
        }

    field_rows = []
    for field in FIELDS:
        rec = {"field": field, **summary((reg["field"] == field).to_numpy())}
        rec["catalogue_indicators"] = ";".join(i for i in catalogue if fields_map.get(i) == field)
        field_rows.append(rec)
    goal_lists = [split_goals(v) for v in reg["goals"]]
    goal_rows = [
        {
            "goal": g,
            "goal_label": GOAL_SHORT[g],
            **summary(np.array([g in gs for gs in goal_lists], dtype=bool)),
        }
        for g in GOALS
    ]
    addressed = {i for ls in linked for i in ls}
    unaddressed = pd.DataFrame(
        [
            {"indicator": i, "indicator_field": fields_map.get(i, "")}
            for i in catalogue
            if i not in addressed
        ],
        columns=["indicator", "indicator_field"],
    )
    unknown_ids: dict[str, list[str]] = {}
    for ident, ids in zip(reg["measure_id"], named, strict=True):
        for i in ids:
            if i not in known:
                unknown_ids.setdefault(i, []).append(str(ident))
    unknown = pd.DataFrame(
        [{"indicator": i, "measures": ";".join(m)} for i, m in sorted(unknown_ids.items())],
        columns=["indicator", "measures"],
    )
    fields_df = pd.DataFrame(field_rows)[
        [
            "field",
            "measures",
            "measures_with_indicator",
            "indicators",
            "catalogue_indicators",
            "gap",
        ]
    ]
    return RegisterGaps(fields_df, pd.DataFrame(goal_rows), unaddressed, unknown)

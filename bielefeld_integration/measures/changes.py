"""What changed between the registers of two periods, and which measures are new."""

from __future__ import annotations

import math

import pandas as pd

from bielefeld_integration.measures.vocabulary import ACTIVE_STATUSES, ENDED_STATUSES
from bielefeld_integration.periods import Period

#: Categories of :func:`changes`, in report order.
CHANGE_CATEGORIES: list[str] = ["neu", "fortgeführt", "beendet", "nicht mehr im Register"]


def changes(reg: pd.DataFrame, previous_reg: pd.DataFrame) -> pd.DataFrame:
    """What changed since the previous period's register.

    Categories (:data:`CHANGE_CATEGORIES`):

    - ``neu``: the id is in the current register only;
    - ``fortgeführt``: in both, and not newly ended;
    - ``beendet``: in both, previously active (``geplant``/``laufend``) and now
      ``abgeschlossen`` or ``eingestellt``;
    - ``nicht mehr im Register``: in the previous register only (ended earlier or dropped).

    Parameters
    ----------
    reg, previous_reg : pandas.DataFrame
        The registers of the current and the previous period.

    Returns
    -------
    pandas.DataFrame
        One row per measure of either register: ``measure_id``, ``title``, ``field``,
        ``body``, ``change``, ``status_previous``, ``status``, ``status_changed``,
        ``participants_previous``, ``participants``, ``budget_previous_eur``,
        ``budget_eur``; sorted by category, then id.
    """
    cols = ["measure_id", "title", "field", "body", "status", "participants", "budget_eur"]
    cur = reg[cols].set_index("measure_id")
    prev = previous_reg[cols].set_index("measure_id")
    ids = list(dict.fromkeys([*cur.index, *prev.index]))
    rows = []
    for ident in ids:
        in_cur, in_prev = ident in cur.index, ident in prev.index
        base = cur.loc[ident] if in_cur else prev.loc[ident]
        s_prev = prev.at[ident, "status"] if in_prev else None
        s_cur = cur.at[ident, "status"] if in_cur else None
        if not in_prev:
            change = "neu"
        elif not in_cur:
            change = "nicht mehr im Register"
        elif s_cur in ENDED_STATUSES and s_prev in ACTIVE_STATUSES:
            change = "beendet"
        else:
            change = "fortgeführt"
        rows.append(
            {
                "measure_id": ident,
                "title": base["title"],
                "field": base["field"],
                "body": base["body"],
                "change": change,
                "status_previous": s_prev,
                "status": s_cur,
                "status_changed": bool(in_cur and in_prev and s_cur != s_prev),
                "participants_previous": prev.at[ident, "participants"] if in_prev else pd.NA,
                "participants": cur.at[ident, "participants"] if in_cur else pd.NA,
                "budget_previous_eur": prev.at[ident, "budget_eur"] if in_prev else math.nan,
                "budget_eur": cur.at[ident, "budget_eur"] if in_cur else math.nan,
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "measure_id",
            "title",
            "field",
            "body",
            "change",
            "status_previous",
            "status",
            "status_changed",
            "participants_previous",
            "participants",
            "budget_previous_eur",
            "budget_eur",
        ],
    )
    for col in ("participants_previous", "participants"):
        out[col] = pd.array(
            [pd.NA if pd.isna(v) else round(float(v)) for v in out[col]], dtype="Int64"
        )
    for col in ("budget_previous_eur", "budget_eur"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    out["_order"] = out["change"].map({c: i for i, c in enumerate(CHANGE_CATEGORIES)})
    out = out.sort_values(["_order", "measure_id"], kind="stable").drop(columns="_order")
    return out.reset_index(drop=True)


def new_measure_ids(
    reg: pd.DataFrame, previous_reg: pd.DataFrame | None, period: str | int | Period
) -> list[str]:
    """Ids of the new measures of a period, in register order.

    New are the measures not in the previous period's register; without a previous
    register, the measures that began in ``period``.

    Parameters
    ----------
    reg : pandas.DataFrame
        The register of ``period``.
    previous_reg : pandas.DataFrame or None
        The register of the period before (``None`` if there is none).
    period : str, int or Period
        The reporting year of ``reg``.
    """
    if previous_reg is not None:
        known = set(previous_reg["measure_id"])
        return [i for i in reg["measure_id"] if i not in known]
    year = str(Period.parse(period))
    return [i for i, s in zip(reg["measure_id"], reg["start"], strict=True) if str(s)[:4] == year]

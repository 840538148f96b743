"""Disclosure control of the measures register: small participant counts are not published.

Budgets are not confidential. Participant counts below the threshold (default 3) are
suppressed in everything published: :func:`publish_register` returns the register for
publication and a log. Sums of participants
(:func:`~bielefeld_integration.measures.summaries.by_body`,
:func:`~bielefeld_integration.measures.summaries.totals`,
:func:`~bielefeld_integration.measures.summaries.key_figures`) must then be computed from
the published register: they add up published values only, so no suppressed count can be
recovered by subtraction.

A suppressed count and an unknown count get the same symbol (``.``: "Zahlenwert unbekannt
oder geheim zu halten"), so a reader cannot tell them apart; an exact zero is shown as
zero with the zero symbol.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from bielefeld_integration.disclosure import SECRET, ZERO, suppress_counts
from bielefeld_integration.measures.summaries import participant_counts


class PublishedRegister(NamedTuple):
    """Result of :func:`publish_register`.

    Attributes
    ----------
    register : pandas.DataFrame
        A copy of the register with ``participants`` as float (NaN where suppressed or
        unknown) and ``participants_symbol``: the secret symbol (``.``) where suppressed or
        unknown, the zero symbol where the count is exactly zero, ``""`` otherwise.
    log : pandas.DataFrame
        ``measure_id``, ``column``, ``value`` (the true count – internal only), ``reason``.
    """

    register: pd.DataFrame
    log: pd.DataFrame


def publish_register(reg: pd.DataFrame, threshold: int = 3) -> PublishedRegister:
    """The register for publication: participant counts below ``threshold`` suppressed.

    Parameters
    ----------
    reg : pandas.DataFrame
        A register (:func:`~bielefeld_integration.measures.reader.load_register`).
    threshold : int, default 3
        Counts ``0 < n < threshold`` are suppressed.

    Returns
    -------
    PublishedRegister
        ``.register`` for everything published, ``.log`` for internal review.

    Examples
    --------
    >>> reg = pd.DataFrame({"measure_id": ["A", "B", "C", "D"],
    ...     "participants": pd.array([2, 40, None, 0], dtype="Int64")})
    >>> pub = publish_register(reg).register
    >>> pub["participants_symbol"].tolist() == [SECRET, "", SECRET, ZERO]
    True
    """
    work = reg.reset_index(drop=True)
    counts = participant_counts(work)
    out, log = suppress_counts(
        work.assign(participants=counts).drop(columns=["participants_symbol"], errors="ignore"),
        "participants",
        threshold,
    )
    out = out.drop(columns="symbol")
    published = out["participants"]
    out["participants_symbol"] = np.select(
        [published.isna(), published == 0], [SECRET, ZERO], default=""
    ).astype(object)
    log = log.assign(measure_id=[work.at[i, "measure_id"] for i in log["row"]])
    log = log[["measure_id", "column", "value", "reason"]].reset_index(drop=True)
    return PublishedRegister(out, log)


__all__ = ["PublishedRegister", "publish_register"]

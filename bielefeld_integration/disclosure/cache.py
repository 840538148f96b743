"""Disclosure control period by period, each period's audit cached on its exact input.

**Does the problem decompose by period?** The quantities of the indicator table
(:mod:`.quantities`) are identified by their definition *and the period of the data they
count*. Every additivity line is written within one period: an area line links a parent
area with its children of the same term and period, a partition line is instantiated per
line, period and area (:mod:`.lines`). No line links a year with another year; the
catalogue has no time-series sums. Changes between years and terms with
``period: previous`` (e.g. the Einbürgerungsquote over the previous year's population)
are no lines: such a row *reads* a quantity of the earlier period, and is hidden whenever
that quantity is (``source_var`` in :func:`.quantities.quantities`), but the quantity
itself belongs to the earlier period's problem. Hence the LP problem is the direct product
of one problem per period: an attacker's feasible interval of a quantity depends only on
the published cells and lines of its own period, and the audit of one period proves the
same as the audit of the whole table.

:func:`protect_by_period` therefore runs :func:`.secondary.protect` (complements and
audit) separately for each period's quantities. If an equation ever linked quantities of
two periods, those periods are solved together (a *block* is the union of the linked
periods), so the split never cuts a line. The greedy choice of complements inside a block
is the same as in a joint run (it is deterministic and ordered by variable ids, which keep
their order within a block), and every block's own audit must pass. The full build (with
``--force`` or without a cache) goes through the same split, so a build from the cache is
byte-identical to a full one.

What a period's problem depends on is not only its own rows: a quantity of 2016 is also
shown by the 2017 rows that read the previous year, which changes its cost. So the cache
is keyed on the period's complete problem — values, equations, primary and unshown cells,
eligible complements, costs, the threshold, the package code and the versions of Python
and the libraries — not on the rows of one period. A changed delivery of one year
re-audits that year and any year whose problem it touches; the other years are read from
``<data>/.stage-cache/disclosure/<key>.npz`` (NumPy arrays without pickle, written
atomically). The folder can be deleted at any time; a damaged entry counts as missing.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from bielefeld_integration.disclosure.audit import AuditResult
from bielefeld_integration.disclosure.quantities import Quantities
from bielefeld_integration.disclosure.secondary import protect
from bielefeld_integration.incremental import (
    NpzEntries,
    code_fingerprint,
    dependency_versions,
    update_digest,
)
from bielefeld_integration.periods import Period
from bielefeld_integration.store import data_dir

__all__ = ["CACHE_DIR", "AuditCache", "blocks", "protect_by_period"]

#: Folder of the stage caches inside the processed store.
CACHE_DIR = ".stage-cache"
_LAYOUT = b"disclosure-cache 1"
_RESULTS = {"secret": "b", "lower": "f", "upper": "f", "protected": "b"}


def blocks(q: Quantities) -> list[tuple[tuple[str, ...], np.ndarray]]:
    """The independent problems of ``q``: per period, periods linked by a line together.

    Returns ``(periods, quantity ids)`` pairs, oldest period first; the ids are sorted.
    """
    period = np.asarray(q.period, dtype=object)
    names = sorted(set(period.tolist()), key=Period.parse)
    parent = {p: p for p in names}

    def root(p: str) -> str:
        while parent[p] != p:
            p = parent[p]
        return p

    if len(q.eq):
        pairs = pd.DataFrame({"eq": q.eq, "period": period[q.var]}).drop_duplicates()
        linked = pairs[pairs.duplicated("eq", keep=False)]
        for _, members in linked.groupby("eq")["period"]:
            first, *rest = members.tolist()
            for other in rest:
                a, b = root(first), root(other)
                if a != b:
                    parent[max(a, b, key=Period.parse)] = min(a, b, key=Period.parse)
    grouped: dict[str, list[str]] = {}
    for p in names:
        grouped.setdefault(root(p), []).append(p)
    return [
        (tuple(members), np.flatnonzero(np.isin(period, members)))
        for members in sorted(grouped.values(), key=lambda m: Period.parse(m[0]))
    ]


class AuditCache(NpzEntries):
    """Results of the per-period problems of one processed store.

    Parameters
    ----------
    data : str or Path, optional
        The processed store (default as in :func:`bielefeld_integration.store.data_dir`).
    read : bool, default True
        Whether results are reused; ``False`` (``--force``) solves every period and only
        refreshes the cache.

    Attributes
    ----------
    audited, reused : int
        Periods (blocks) solved and periods read from the cache so far.
    """

    def __init__(self, data: str | Path | None = None, *, read: bool = True) -> None:
        super().__init__(data_dir(data) / CACHE_DIR / "disclosure", read=read)
        self.audited = 0
        self.reused = 0

    @staticmethod
    def key(arrays: dict[str, np.ndarray], threshold: int) -> str:
        """Key of one problem: its arrays, the threshold, the code and the library versions."""
        h = hashlib.sha256()
        update_digest(h, _LAYOUT, code_fingerprint(), dependency_versions(), str(int(threshold)))
        for name in sorted(arrays):
            update_digest(h, name, arrays[name].dtype.str, arrays[name].tobytes())
        return h.hexdigest()

    def load(self, key: str, n: int) -> tuple[np.ndarray, AuditResult] | None:
        """The stored result of ``key`` for ``n`` quantities, or ``None`` (missing, damaged)."""
        stored = self._arrays(key)
        if stored is None or set(stored) != {*_RESULTS, "lp_count"}:
            return None
        for name, kind in _RESULTS.items():
            if stored[name].shape != (n,) or stored[name].dtype.kind != kind:
                return None
        if stored["lp_count"].shape != () or stored["lp_count"].dtype.kind != "i":
            return None
        result = AuditResult(
            lower=stored["lower"].astype("float64"),
            upper=stored["upper"].astype("float64"),
            protected=stored["protected"].astype(bool),
            lp_count=int(stored["lp_count"]),
        )
        return stored["secret"].astype(bool), result

    def store(self, key: str, secret: np.ndarray, result: AuditResult) -> None:
        """Write the result of ``key`` (atomically)."""
        arrays = {
            "secret": np.asarray(secret, dtype=bool),
            "lower": np.asarray(result.lower, dtype="float64"),
            "upper": np.asarray(result.upper, dtype="float64"),
            "protected": np.asarray(result.protected, dtype=bool),
            "lp_count": np.array(int(result.lp_count), dtype=np.int64),
        }
        self._write(key, arrays)

    def solve(
        self, problem: dict[str, np.ndarray], threshold: int
    ) -> tuple[np.ndarray, AuditResult]:
        """:func:`.secondary.protect` of one block, from the cache if it was solved before."""
        key = self.key(problem, threshold)
        self._used.add(key)
        if self.read:
            found = self.load(key, len(problem["values"]))
            if found is not None:
                self.reused += 1
                return found
        secret, result = _solve(problem, threshold)
        self.audited += 1
        self.store(key, secret, result)
        return secret, result


def _solve(problem: dict[str, np.ndarray], threshold: int) -> tuple[np.ndarray, AuditResult]:
    return protect(
        problem["values"],
        problem["eq"],
        problem["var"],
        problem["coef"],
        problem["primary"],
        cost=problem["cost"],
        unshown=problem["unshown"],
        nonneg=problem["nonneg"],
        eligible=problem["eligible"],
        threshold=threshold,
    )


def _canonical_equations(
    eq: np.ndarray, var: np.ndarray, coef: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The equations numbered by their content (sorted ``(vars, coefs)``), entries sorted.

    The numbering the quantities come with depends on the iteration order of Python sets
    (it changes from one process to the next); the result of :func:`.secondary.protect`
    does not, but the cache key would. Numbered by content, the same problem has the same
    arrays in every process.
    """
    order = np.lexsort((var, eq))
    eq, var, coef = eq[order], var[order], coef[order]
    bounds = np.flatnonzero(np.diff(eq)) + 1
    starts, stops = np.r_[0, bounds], np.r_[bounds, len(eq)]
    if not len(eq):
        starts = stops = np.zeros(0, dtype=np.int64)
    vs, cs = var.tolist(), coef.tolist()
    signatures = [(vs[a:b], cs[a:b]) for a, b in zip(starts, stops, strict=True)]
    rank = np.empty(len(signatures), dtype=np.int64)
    rank[sorted(range(len(signatures)), key=signatures.__getitem__)] = np.arange(len(signatures))
    new_eq = np.repeat(rank, stops - starts)
    order = np.lexsort((var, new_eq))
    return new_eq[order], var[order], coef[order]


def _problem(
    q: Quantities,
    ids: np.ndarray,
    primary: np.ndarray,
    unshown: np.ndarray,
    eligible: np.ndarray,
) -> dict[str, np.ndarray]:
    """The arrays of the block with quantities ``ids`` (local, order-preserving ids)."""
    local = np.full(len(q.values), -1, dtype=np.int64)
    local[ids] = np.arange(len(ids))
    mine = local[q.var] >= 0
    eq, var, coef = _canonical_equations(
        np.asarray(q.eq[mine], dtype=np.int64),
        local[q.var[mine]],
        np.asarray(q.coef[mine], dtype="float64"),
    )
    return {
        "values": np.ascontiguousarray(q.values[ids], dtype="float64"),
        "eq": np.ascontiguousarray(eq, dtype=np.int64),
        "var": np.ascontiguousarray(var, dtype=np.int64),
        "coef": np.ascontiguousarray(coef, dtype="float64"),
        "primary": np.ascontiguousarray(primary[ids], dtype=bool),
        "cost": np.ascontiguousarray(q.cost[ids], dtype="float64"),
        "unshown": np.ascontiguousarray(unshown[ids], dtype=bool),
        "nonneg": np.ascontiguousarray(q.nonneg[ids], dtype=bool),
        "eligible": np.ascontiguousarray(eligible[ids], dtype=bool),
    }


def protect_by_period(
    q: Quantities,
    primary: np.ndarray,
    *,
    unshown: np.ndarray,
    eligible: np.ndarray,
    threshold: int,
    cache: AuditCache | None = None,
) -> tuple[np.ndarray, AuditResult]:
    """:func:`.secondary.protect` of the quantities ``q``, one period (block) at a time.

    Parameters
    ----------
    q : Quantities
        The quantities and equations of an indicator table.
    primary, unshown, eligible : numpy.ndarray of bool
        Per quantity, as for :func:`.secondary.protect`.
    threshold : int
        Protection level.
    cache : AuditCache, optional
        Reuse the result of a block whose problem did not change.

    Returns
    -------
    secret : numpy.ndarray of bool
        Hidden quantities (primary and complements).
    result : AuditResult
        The audits of all blocks, put together.
    """
    n = len(q.values)
    secret = np.zeros(n, dtype=bool)
    lower = np.full(n, np.nan)
    upper = np.full(n, np.nan)
    protected = np.zeros(n, dtype=bool)
    lps = 0
    for _, ids in blocks(q):
        problem = _problem(q, ids, primary, unshown, eligible)
        if cache is None:
            s, r = _solve(problem, threshold)
        else:
            s, r = cache.solve(problem, threshold)
        secret[ids], lower[ids], upper[ids], protected[ids] = s, r.lower, r.upper, r.protected
        lps += r.lp_count
    return secret, AuditResult(lower, upper, protected, lps)

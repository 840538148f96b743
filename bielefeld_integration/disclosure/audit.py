"""Interval audit: what an attacker with a linear-programming solver learns about hidden cells.

The attacker knows every published cell, the additivity equations between the cells
(``sum(coef * x) == 0`` per equation) and that a hidden cell is a positive count (zeros
are published as ``-``, so every ``.`` is at least 1). For every hidden cell he minimises
and maximises its value over all tables that agree with what is published; the result is
the *feasible interval* ``[lower, upper]`` of the cell. A cell is protected when the
interval is at least ``threshold`` wide and does not lie inside ``[1, threshold - 1]``.

The problems are solved with HiGHS (``highspy``; one solver instance per component whose
objective alone changes between the problems, so each re-solve starts from the previous
basis — about twenty times faster than :func:`scipy.optimize.linprog`), separately for every
connected component of unknown cells (cells linked through shared equations), so the work
grows with the size of the components, not of the whole table. Most intervals are proved
wide enough without solving an LP of their own: every solution of an LP is a feasible
table (and so is the true table), and a cell that takes two values at least ``threshold``
apart in the tables seen so far is protected. Per component, the sum of the unproven cells
is pushed up and down, then every cell still unproven is pushed towards the side it lacks
room on, all at once; only the cells left after that get two LPs of their own. Which cells
are protected does not depend on these shortcuts: a cell that is not protected always gets
its exact interval. Components without a cell left to prove are skipped.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

__all__ = ["AuditResult", "audit", "components"]

_TOL = 1e-6
#: Components with at most this many unproven cells go straight to the per-cell problems.
_FEW = 8
#: Objectives that push every still unproven cell of a component towards its open side.
_PUSHES = 4


@dataclass(frozen=True)
class AuditResult:
    """Feasible intervals of hidden cells.

    Attributes
    ----------
    lower, upper : numpy.ndarray of float
        Per variable: the attacker's bounds (``upper`` may be ``inf``). For a protected cell
        audited with ``exact=False`` these are bounds seen in feasible tables (inside the
        true interval), enough to prove protection. NaN for cells that are not hidden.
    protected : numpy.ndarray of bool
        True for hidden cells whose interval is wide enough, False for hidden cells that
        are not protected and for cells that are not hidden.
    lp_count : int
        Number of linear programs solved.
    """

    lower: np.ndarray
    upper: np.ndarray
    protected: np.ndarray
    lp_count: int

    @property
    def failing(self) -> np.ndarray:
        """Ids of hidden cells that are not protected."""
        return np.flatnonzero(~self.protected & ~np.isnan(self.lower))


def _wide(lo: np.ndarray, hi: np.ndarray, threshold: float) -> np.ndarray:
    """Protection rule: width >= threshold and not inside [1, threshold - 1]."""
    with np.errstate(invalid="ignore"):
        width_ok = hi - lo >= threshold - _TOL
        inside_small = (lo >= 1 - _TOL) & (hi <= threshold - 1 + _TOL)
    return width_ok & ~inside_small


def components(
    unknown: np.ndarray, eq: np.ndarray, var: np.ndarray, n_eq: int
) -> tuple[np.ndarray, np.ndarray]:
    """Connected components of unknown variables linked by shared equations.

    Returns a component label per variable (``-1`` for known variables) and per equation
    (``-1`` for equations without unknowns).
    """
    n_var = len(unknown)
    var_label = np.full(n_var, -1, dtype=np.int64)
    eq_label = np.full(n_eq, -1, dtype=np.int64)
    keep = unknown[var]
    e, v = eq[keep], var[keep]
    if not len(e):
        var_label[unknown] = np.flatnonzero(unknown)
        return var_label, eq_label
    graph = sparse.coo_matrix(
        (np.ones(len(e)), (v, n_var + e)), shape=(n_var + n_eq, n_var + n_eq)
    ).tocsr()
    _, labels = sparse.csgraph.connected_components(graph, directed=False)
    var_label[unknown] = labels[:n_var][unknown]
    touched = np.zeros(n_eq, dtype=bool)
    touched[e] = True
    eq_label[touched] = labels[n_var:][touched]
    return var_label, eq_label


_BANNER_SHOWN = False


def _new_highs() -> highspy.Highs:
    """A HiGHS instance; the first one of the process is created with stdout silenced.

    HiGHS prints its banner from C++ when the first instance is created, before any option
    can be set; the command line and the report logs should not show it.
    """
    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        return highspy.Highs()
    _BANNER_SHOWN = True
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError, AttributeError):
        return highspy.Highs()
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


class _Model:
    """One component's LP in a reusable HiGHS instance (only the objective changes)."""

    def __init__(self, a_eq: sparse.csc_matrix, b_eq: np.ndarray, lower: np.ndarray) -> None:
        n_rows, n_cols = a_eq.shape
        self.n = n_cols
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n_cols, n_rows
        lp.col_cost_ = np.zeros(n_cols)
        lp.col_lower_ = np.where(np.isinf(lower), -highspy.kHighsInf, lower)
        lp.col_upper_ = np.full(n_cols, highspy.kHighsInf)
        lp.row_lower_ = lp.row_upper_ = np.asarray(b_eq, dtype="float64")
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = a_eq.indptr.astype(np.int32)
        lp.a_matrix_.index_ = a_eq.indices.astype(np.int32)
        lp.a_matrix_.value_ = a_eq.data.astype("float64")
        self.h = _new_highs()
        self.h.setOptionValue("output_flag", False)
        # only the objective changes between solves: the primal simplex restarts from the
        # previous optimal basis, which stays feasible (three times faster than the default)
        self.h.setOptionValue("simplex_strategy", 4)
        self.h.setOptionValue("presolve", "off")
        self.h.passModel(lp)
        self.cost = np.zeros(n_cols)

    def solve(self, cost: np.ndarray) -> tuple[str, np.ndarray]:
        """``("optimal", x)``, ``("unbounded", x)`` or raise for an infeasible system."""
        changed = np.flatnonzero(cost != self.cost)
        if len(changed):
            self.h.changeColsCost(len(changed), changed.astype(np.int32), cost[changed])
            self.cost = cost.copy()
        self.h.run()
        status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            return "optimal", np.asarray(self.h.getSolution().col_value)
        if status in (
            highspy.HighsModelStatus.kUnbounded,
            highspy.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            return "unbounded", np.empty(0)
        raise RuntimeError(
            f"Geheimhaltungsprüfung: LP nicht lösbar ({self.h.modelStatusToString(status)})"
        )


def _component(
    a_eq: sparse.csc_matrix,
    b_eq: np.ndarray,
    lower: np.ndarray,
    targets: np.ndarray,
    threshold: float,
    exact: bool,
    truth: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Intervals of the target columns of one component (local column ids)."""
    model = _Model(a_eq, b_eq, lower)
    n = model.n
    lo = np.full(n, np.inf)
    hi = np.full(n, -np.inf)
    lps = 0

    def seen(x: np.ndarray) -> None:
        np.minimum(lo, x, out=lo)
        np.maximum(hi, x, out=hi)

    # two objectives that push many cells at once: the sum of all targets up and down
    # (random signs were tried too: they prove too few cells to pay for their LPs)
    objectives = [np.ones(len(targets)), -np.ones(len(targets))]
    if len(targets) <= _FEW:
        objectives = []
    if truth is not None:
        seen(truth)  # the true table is feasible: a free first point
    for weights in objectives:
        cost = np.zeros(n)
        cost[targets] = weights
        status, x = model.solve(cost)
        lps += 1
        if status == "optimal":
            seen(x)
    # then push all unproven cells at once, each away from the side it lacks room on,
    # while that proves a good share of them
    for _ in range(_PUSHES if len(targets) > _FEW else 0):
        open_ = targets[~_wide(lo[targets], hi[targets], threshold)]
        if len(open_) <= _FEW:
            break
        cost = np.zeros(n)
        mid = truth[open_] if truth is not None else (lo[open_] + hi[open_]) / 2
        cost[open_] = np.where(hi[open_] - mid <= mid - lo[open_], -1.0, 1.0)
        status, x = model.solve(cost)
        lps += 1
        if status != "optimal":
            break
        seen(x)
        if (~_wide(lo[open_], hi[open_], threshold)).sum() > 0.75 * len(open_):
            break
    for j in targets:
        if not exact and _wide(lo[j : j + 1], hi[j : j + 1], threshold)[0]:
            continue
        for sign in (1.0, -1.0):
            c = np.zeros(n)
            c[j] = sign
            status, x = model.solve(c)
            lps += 1
            if status == "optimal":
                seen(x)
                if sign > 0:
                    lo[j] = x[j]
                else:
                    hi[j] = x[j]
            elif sign > 0:
                lo[j] = -np.inf
            else:
                hi[j] = np.inf
            if not exact and _wide(lo[j : j + 1], hi[j : j + 1], threshold)[0]:
                break
    return lo[targets], hi[targets], lps


def audit(
    values: np.ndarray,
    eq: np.ndarray,
    var: np.ndarray,
    coef: np.ndarray,
    hidden: np.ndarray,
    *,
    unshown: np.ndarray | None = None,
    nonneg: np.ndarray | None = None,
    threshold: int = 3,
    exact: bool = False,
    cache: dict[bytes, tuple[np.ndarray, np.ndarray]] | None = None,
    proven: np.ndarray | None = None,
) -> AuditResult:
    """Feasible interval of every hidden cell, given everything that is published.

    Parameters
    ----------
    values : array of float, shape (n_var,)
        The true values (only the published ones are used, as the attacker's constants).
    eq, var, coef : arrays, shape (n_entries,)
        The equations ``sum(coef * x) == 0`` in sparse form (entry ``k`` puts ``coef[k]``
        on variable ``var[k]`` in equation ``eq[k]``).
    hidden : array of bool, shape (n_var,)
        Cells shown as ``.`` (suppressed).
    unshown : array of bool, optional
        Cells that are not published but not secret either (the attacker does not know
        them; they are not audited). Default: none.
    nonneg : array of bool, optional
        Quantities that cannot be negative (default: all). The attacker's lower bound is 1
        for a hidden one (zeros are published), 0 for an unshown one, none for the others
        (balances).
    threshold : int, default 3
        Protection level.
    exact : bool, default False
        Compute the exact interval of every hidden cell (two LPs each) instead of stopping
        as soon as protection is proved.
    cache : dict, optional
        Results per component, reused while a component and its constants do not change.
    proven : array of bool, optional
        Hidden cells already proved protected by an audit of a pattern with fewer hidden
        cells; they are not audited again. (Hiding one more cell turns a constant into an
        unknown, so the feasible interval of every other hidden cell can only grow.)

    Returns
    -------
    AuditResult

    Examples
    --------
    >>> # 9 = a + b + 4 with a, b hidden: a, b in [1, 4] -> protected (width 3)
    >>> r = audit(np.array([9.0, 2, 3, 4]), np.zeros(4, int), np.arange(4),
    ...           np.array([1.0, -1, -1, -1]), np.array([False, True, True, False]))
    >>> r.protected.tolist()
    [False, True, True, False]
    """
    x = np.asarray(values, dtype="float64")
    e = np.asarray(eq, dtype=np.int64)
    v = np.asarray(var, dtype=np.int64)
    c = np.asarray(coef, dtype="float64")
    hid = np.asarray(hidden, dtype=bool)
    uns = np.zeros(len(x), dtype=bool) if unshown is None else np.asarray(unshown, dtype=bool)
    uns = uns & ~hid
    lb = np.where(hid, 1.0, 0.0)
    if nonneg is not None:
        lb = np.where(np.asarray(nonneg, dtype=bool), lb, -np.inf)
    unknown = hid | uns
    n_eq = int(e.max()) + 1 if len(e) else 0
    lo_out = np.full(len(x), np.nan)
    hi_out = np.full(len(x), np.nan)
    lo_out[hid] = lb[hid]
    hi_out[hid] = np.inf  # a cell in no equation is bounded only below
    lps = 0
    done = np.zeros(len(x), dtype=bool) if proven is None else np.asarray(proven, dtype=bool) & hid
    if n_eq and hid.any():
        known_part = np.bincount(e, weights=np.where(unknown[v], 0.0, c * x[v]), minlength=n_eq)
        var_label, _ = components(unknown, e, v, n_eq)
        # only components with a hidden cell still to prove are looked at
        open_comp = np.zeros(int(var_label.max()) + 1, dtype=bool)
        open_comp[var_label[hid & ~done & (var_label >= 0)]] = True
        entry_comp = np.where(unknown[v], var_label[v], -1)
        entry_comp[entry_comp >= 0] = np.where(
            open_comp[entry_comp[entry_comp >= 0]], entry_comp[entry_comp >= 0], -1
        )
        order = np.argsort(entry_comp, kind="stable")
        order = order[entry_comp[order] >= 0]
        bounds_at = np.flatnonzero(np.diff(entry_comp[order])) + 1
        for chunk in np.split(order, bounds_at) if len(order) else []:
            cv, ce, cc = v[chunk], e[chunk], c[chunk]
            cols, col_pos = np.unique(cv, return_inverse=True)
            rows, row_pos = np.unique(ce, return_inverse=True)
            targets = np.flatnonzero(hid[cols] & ~done[cols])
            if not len(targets):
                continue
            b = -known_part[rows]
            key = b"".join(
                (cols.tobytes(), rows.tobytes(), np.round(b, 6).tobytes(), hid[cols].tobytes())
            )
            if cache is not None and not exact and key in cache:
                lo, hi = cache[key]
            else:
                a_eq = sparse.csc_matrix((cc, (row_pos, col_pos)), shape=(len(rows), len(cols)))
                lo, hi, n_lp = _component(a_eq, b, lb[cols], targets, threshold, exact, x[cols])
                lps += n_lp
                if cache is not None and not exact:
                    cache[key] = (lo, hi)
            lo_out[cols[targets]] = lo
            hi_out[cols[targets]] = hi
    protected = np.zeros(len(x), dtype=bool)
    protected[hid] = _wide(lo_out[hid], hi_out[hid], threshold) | done[hid]
    return AuditResult(lo_out, hi_out, protected, lps)

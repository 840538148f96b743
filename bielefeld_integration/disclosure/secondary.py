"""Secondary suppression that passes its own interval audit.

:func:`protect` is the engine behind every table the package publishes: it takes the
primary cells and the additivity equations between all cells and adds complementary cells
until :func:`bielefeld_integration.disclosure.audit.audit` proves every hidden cell's
feasible interval wide enough.

1. While an equation has exactly one unknown cell and that cell is hidden, it could be
   recomputed by subtraction: add the cheapest published positive cell of that equation.
2. Audit the cells not yet proved protected (HiGHS). For each cell that is not protected,
   unless every one of its equations already got a complement in this round, add the
   cheapest published positive cell of one of its equations (of its component when its
   own equations are hidden completely). Continue with 1. Cells proved protected stay
   protected: hiding more cells only widens the attacker's intervals.

"Cheapest" is the caller's cost per cell (default: the value, i.e. the smallest count);
ties are broken by the variable id, so the result is deterministic. Zeros are never
complements (they are published as ``-`` and the attacker knows them anyway).
"""

from __future__ import annotations

import numpy as np

from bielefeld_integration.disclosure.audit import AuditResult, audit, components

__all__ = ["check_threshold", "protect", "suppress_linked"]


def check_threshold(threshold: int) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer)):
        raise ValueError(f"Schwellenwert muss eine ganze Zahl sein, nicht {threshold!r}")
    if threshold < 1:
        raise ValueError(f"Schwellenwert muss mindestens 1 sein, nicht {threshold}")


class _Lines:
    """Per equation: what :func:`protect` step 1 needs, updated as cells are hidden.

    If all unknown cells of an equation enter with the same sign, their sum ``H`` is known,
    and a hidden cell can range at most over ``H - sum of the others' lower bounds``
    minus its own lower bound. (With a single hidden cell this is plain subtraction.)
    Equations with unknowns of both signs or with a quantity that can be negative are
    left to the audit. The counts are kept per equation and updated from the entries of
    each newly hidden cell, so a round costs the size of its changes, not of the table.
    """

    def __init__(
        self,
        x: np.ndarray,
        e: np.ndarray,
        v: np.ndarray,
        c: np.ndarray,
        secret: np.ndarray,
        unshown: np.ndarray,
        nonneg: np.ndarray,
        n_eq: int,
    ) -> None:
        self.e, self.c = e, c
        self.cx = c * x[v]
        self.absc = np.abs(c)
        self.free_entry = ~nonneg[v]
        u = (secret | unshown)[v]
        lower = np.where(secret, 1.0, 0.0)
        self.n_pos = np.bincount(e, weights=u & (c > 0), minlength=n_eq)
        self.n_neg = np.bincount(e, weights=u & (c < 0), minlength=n_eq)
        self.signed = np.bincount(e, weights=np.where(u, self.cx, 0.0), minlength=n_eq)
        self.lb_sum = np.bincount(e, weights=np.where(u, self.absc * lower[v], 0.0), minlength=n_eq)
        self.n_free = np.bincount(e, weights=u & self.free_entry, minlength=n_eq)
        self.n_secret = np.bincount(e, weights=secret[v], minlength=n_eq)

    def hide(self, entries: np.ndarray) -> None:
        """Account for the entries of cells that were published and are now hidden."""
        ee, c = self.e[entries], self.c[entries]
        np.add.at(self.n_pos, ee, c > 0)
        np.add.at(self.n_neg, ee, c < 0)
        np.add.at(self.signed, ee, self.cx[entries])
        np.add.at(self.lb_sum, ee, self.absc[entries])
        np.add.at(self.n_free, ee, self.free_entry[entries])
        np.add.at(self.n_secret, ee, 1.0)

    def narrow(self, threshold: int) -> np.ndarray:
        """Equations that alone narrow one of their hidden cells below ``threshold``."""
        one_sided = (
            ((self.n_pos == 0) | (self.n_neg == 0)) & (self.n_free == 0) & (self.n_secret > 0)
        )
        room = np.abs(self.signed) - self.lb_sum
        alone = (self.n_pos + self.n_neg) == 1  # a single unknown is given away by subtraction
        return one_sided & (alone | (room < threshold - 1e-9))


def protect(
    values: np.ndarray,
    eq: np.ndarray,
    var: np.ndarray,
    coef: np.ndarray,
    primary: np.ndarray,
    *,
    cost: np.ndarray | None = None,
    unshown: np.ndarray | None = None,
    nonneg: np.ndarray | None = None,
    eligible: np.ndarray | None = None,
    threshold: int = 3,
) -> tuple[np.ndarray, AuditResult]:
    """Add complementary cells to ``primary`` until the interval audit passes.

    Parameters
    ----------
    values : array of float, shape (n_var,)
        True values of the cells.
    eq, var, coef : arrays, shape (n_entries,)
        Additivity equations ``sum(coef * x) == 0`` in sparse form.
    primary : array of bool
        Cells that must be hidden.
    cost : array of float, optional
        Loss of publishing a cell less (default: its value).
    unshown : array of bool, optional
        Cells that are not published but not secret (never complements).
    nonneg : array of bool, optional
        Quantities that cannot be negative (see :func:`audit`).
    eligible : array of bool, optional
        Cells that may be complements (default: every positive cell).
    threshold : int, default 3
        Protection level.

    Returns
    -------
    secret : numpy.ndarray of bool
        Primary and complementary cells.
    result : AuditResult
        The final audit (``result.failing`` is empty unless no complement was left).
    """
    check_threshold(threshold)
    x = np.asarray(values, dtype="float64")
    e = np.asarray(eq, dtype=np.int64)
    v = np.asarray(var, dtype=np.int64)
    c = np.asarray(coef, dtype="float64")
    n_var = len(x)
    uns = np.zeros(n_var, dtype=bool) if unshown is None else np.asarray(unshown, dtype=bool)
    weight = x.copy() if cost is None else np.asarray(cost, dtype="float64")
    ok = (x > 0) & ~uns
    if eligible is not None:
        ok &= np.asarray(eligible, dtype=bool)
    secret = np.asarray(primary, dtype=bool) & ~uns
    n_eq = int(e.max()) + 1 if len(e) else 0
    lb_nonneg = np.ones(n_var, dtype=bool) if nonneg is None else np.asarray(nonneg, dtype=bool)
    cache: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}
    proven = np.zeros(n_var, dtype=bool)
    by_var = np.argsort(v, kind="stable")
    starts = np.searchsorted(v[by_var], np.arange(n_var + 1))
    by_eq = np.argsort(e, kind="stable")
    eq_starts = np.searchsorted(e[by_eq], np.arange(n_eq + 1))

    def entries_of(eqs: np.ndarray) -> np.ndarray:
        """Entries of the equations ``eqs``, equation by equation (vectorised slices)."""
        eqs = np.asarray(eqs, dtype=np.int64)
        first, stop = eq_starts[eqs], eq_starts[eqs + 1]
        size = stop - first
        total = int(size.sum())
        if not total:
            return np.zeros(0, dtype=np.int64)
        begin = np.repeat(np.cumsum(size) - size, size)
        return by_eq[np.repeat(first, size) + np.arange(total) - begin]

    def eqs_of(j: int) -> np.ndarray:
        return e[by_var[starts[j] : starts[j + 1]]]

    def entries_of_vars(js: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Entries of the variables ``js`` and, per entry, its position in ``js``."""
        first, size = starts[js], starts[js + 1] - starts[js]
        owner = np.repeat(np.arange(len(js)), size)
        begin = np.repeat(np.cumsum(size) - size, size)
        return by_var[np.repeat(first, size) + np.arange(len(owner)) - begin], owner

    def effective(js: np.ndarray, n_secret: np.ndarray) -> np.ndarray:
        """Cost of the cells ``js``, raised for every equation it would be the only hidden
        cell in (``n_secret``: hidden cells per equation)."""
        ent, owner = entries_of_vars(js)
        lonely = np.bincount(owner, weights=n_secret[e[ent]] == 0, minlength=len(js))
        small = x[js] < 2 * threshold
        return weight[js] * (1.0 + lonely) * np.where(small, 4.0, 1.0)

    def cheapest(entries: np.ndarray, n_secret: np.ndarray) -> int:
        cand = v[entries]
        return int(cand[np.lexsort((cand, effective(cand, n_secret)))[0]])

    lines = _Lines(x, e, v, c, secret, uns, lb_nonneg, n_eq) if n_eq else None

    def hide(js: np.ndarray) -> None:
        js = np.unique(js)
        secret[js] = True
        if lines is not None:
            lines.hide(entries_of_vars(js)[0])

    while True:
        while lines is not None:  # step 1: no equation alone narrows a hidden cell
            entries = entries_of(np.flatnonzero(lines.narrow(threshold)))
            entries = entries[~secret[v[entries]] & ~uns[v[entries]] & ok[v[entries]]]
            if not len(entries):
                break
            eff = effective(v[entries], lines.n_secret)
            order = np.lexsort((v[entries], eff, e[entries]))
            ordered = entries[order]
            first = np.r_[True, e[ordered][1:] != e[ordered][:-1]]
            hide(v[ordered[first]])
        result = audit(
            x,
            e,
            v,
            c,
            secret,
            unshown=uns,
            nonneg=nonneg,
            threshold=threshold,
            cache=cache,
            proven=proven,
        )
        proven = result.protected.copy()
        failing = result.failing
        if not len(failing):
            return secret, result
        added = False
        touched = np.zeros(n_eq, dtype=bool)
        label = None
        n_secret = lines.n_secret.copy() if lines is not None else np.zeros(0)
        for target in failing:
            mine = eqs_of(int(target))
            if touched[mine].all():  # every line of it already got a complement
                continue
            entries = entries_of(mine)
            entries = entries[~secret[v[entries]] & ok[v[entries]]]
            if not len(entries):
                if label is None:
                    label, _ = components(secret | uns, e, v, n_eq)
                    by_label = np.argsort(label[v], kind="stable")
                    label_starts = np.searchsorted(
                        label[v][by_label], np.arange(int(label.max()) + 2)
                    )
                lab = label[target]
                wider = np.unique(e[by_label[label_starts[lab] : label_starts[lab + 1]]])
                entries = entries_of(wider)
                entries = entries[~secret[v[entries]] & ok[v[entries]]]
            if len(entries):
                best = cheapest(entries, n_secret)
                hide(np.array([best]))
                touched[eqs_of(best)] = True
                added = True
        if not added:
            return secret, result


def suppress_linked(
    values: np.ndarray,
    eq: np.ndarray,
    var: np.ndarray,
    coef: np.ndarray,
    *,
    total: np.ndarray | None = None,
    threshold: int = 3,
) -> tuple[np.ndarray, np.ndarray]:
    """Primary and secondary suppression of counts linked by additivity equations.

    Parameters
    ----------
    values : array-like of float, shape (n_var,)
        The true non-negative counts.
    eq, var, coef : array-like, shape (n_entries,)
        Equations ``sum(coef * x) == 0`` in sparse form, e.g. ``total - part_1 - ... == 0``.
    total : array-like of bool, shape (n_entries,), optional
        True where the variable is the total of the equation; totals are used as
        complements only after inner cells (their cost is raised).
    threshold : int, default 3
        Counts ``0 < n < threshold`` are primary; every hidden count gets a feasible
        interval at least ``threshold`` wide.

    Returns
    -------
    primary, secondary : numpy.ndarray of bool, shape (n_var,)

    Examples
    --------
    >>> # total 9 = 2 + 3 + 4: hiding 2 and 3 leaves both in [1, 4]
    >>> p, s = suppress_linked(
    ...     [9, 2, 3, 4], [0, 0, 0, 0], [0, 1, 2, 3], [1, -1, -1, -1], total=[1, 0, 0, 0]
    ... )
    >>> p.tolist(), s.tolist()
    ([False, True, False, False], [False, False, True, False])
    """
    check_threshold(threshold)
    x = np.asarray(values, dtype="float64")
    e = np.asarray(eq, dtype=np.int64)
    v = np.asarray(var, dtype=np.int64)
    primary = (x > 0) & (x < threshold)
    cost = x.copy()
    if total is not None and len(v):
        is_total = np.zeros(len(x), dtype=bool)
        is_total[v[np.asarray(total, dtype=bool)]] = True
        cost = np.where(is_total, cost + x.sum() + 1.0, cost)
    secret, _ = protect(
        x, e, v, np.asarray(coef, dtype="float64"), primary, cost=cost, threshold=threshold
    )
    return primary, secret & ~primary

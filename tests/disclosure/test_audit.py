"""The interval audit on hand tables whose feasible intervals are known.

The tables are the classic small examples of cell suppression (a 2×3 and a 3×3 table with
both margins, e.g. in Willenborg & de Waal, *Elements of Statistical Disclosure Control*,
and the τ-ARGUS manual): four hidden cells on a rectangle can all move by ``t`` and ``-t``
alternately, so each interval is the range of ``t`` that keeps every hidden cell at least 1.
"""

from __future__ import annotations

import numpy as np
import pytest

from bielefeld_integration.disclosure.audit import audit, components
from bielefeld_integration.disclosure.secondary import protect
from bielefeld_integration.disclosure.table import table_equations


def with_margins(inner: list[list[int]]) -> np.ndarray:
    a = np.array(inner, dtype=float)
    a = np.hstack([a, a.sum(axis=1, keepdims=True)])
    return np.vstack([a, a.sum(axis=0, keepdims=True)])


def run(table: np.ndarray, hidden_cells: list[tuple[int, int]], **kwargs):
    n_rows, n_cols = table.shape
    eq, var, coef = table_equations(table.shape, n_rows - 1, n_cols - 1)
    hidden = np.zeros(table.size, dtype=bool)
    for i, j in hidden_cells:
        hidden[i * n_cols + j] = True
    result = audit(table.ravel(), eq, var, coef, hidden, exact=True, **kwargs)
    cells = [i * n_cols + j for i, j in hidden_cells]
    return result, cells


def test_2x3_rectangle_has_the_known_intervals() -> None:
    #        c1  c2  c3 | T
    # r1     20  50  10 | 80
    # r2      8  19  22 | 49
    table = with_margins([[20, 50, 10], [8, 19, 22]])
    hidden = [(0, 0), (0, 2), (1, 0), (1, 2)]
    result, cells = run(table, hidden)
    # r1c1 = 20 + t, r1c3 = 10 - t, r2c1 = 8 - t, r2c3 = 22 + t, all >= 1: t in [-19, 7]
    np.testing.assert_allclose(result.lower[cells], [1, 3, 1, 3])
    np.testing.assert_allclose(result.upper[cells], [27, 29, 27, 29])
    assert result.protected[cells].all()


def test_3x3_rectangle_has_the_known_intervals() -> None:
    table = with_margins([[3, 9, 4], [6, 2, 5], [7, 8, 1]])
    hidden = [(0, 0), (0, 1), (1, 0), (1, 1)]
    result, cells = run(table, hidden)
    # x00 + t, x01 - t, x10 - t, x11 + t >= 1: t in [-1, 5]
    np.testing.assert_allclose(result.lower[cells], [2, 4, 1, 1])
    np.testing.assert_allclose(result.upper[cells], [8, 10, 7, 7])
    assert result.protected[cells].all()


def test_a_cycle_of_small_cells_is_not_enough() -> None:
    # a hidden 1 on a cycle cannot be computed exactly, but the attacker narrows it to [1, 2]
    table = with_margins([[1, 2, 9], [2, 5, 7], [6, 4, 8]])
    hidden = [(0, 0), (0, 1), (1, 0), (1, 1)]
    result, cells = run(table, hidden)
    # x00 + t, x01 - t, x10 - t, x11 + t >= 1: t in [0, 1]
    np.testing.assert_allclose(result.lower[cells], [1, 1, 1, 5])
    np.testing.assert_allclose(result.upper[cells], [2, 2, 2, 6])
    assert not result.protected[cells].any()
    assert set(result.failing) == set(cells)


def test_a_single_hidden_cell_in_a_line_is_recomputed() -> None:
    table = with_margins([[1, 5], [7, 9]])
    result, cells = run(table, [(0, 0)])
    assert result.lower[cells[0]] == result.upper[cells[0]] == 1
    assert not result.protected[cells[0]]


def test_3x3_minimal_pattern_found_by_protect() -> None:
    # one primary cell; protect finds a pattern that passes the audit with 3 complements
    table = with_margins([[2, 9, 10], [8, 12, 7], [11, 6, 13]])
    n_rows, n_cols = table.shape
    eq, var, coef = table_equations(table.shape, n_rows - 1, n_cols - 1)
    primary = np.zeros(table.size, dtype=bool)
    primary[0] = True
    secret, result = protect(table.ravel(), eq, var, coef, primary)
    assert not len(result.failing)
    assert secret.sum() == 4  # the minimal pattern: a rectangle through the primary cell
    check = audit(table.ravel(), eq, var, coef, secret, exact=True)
    assert check.protected[secret].all()


def test_unshown_cells_are_unknown_but_not_audited() -> None:
    # 9 = a + b + c with b hidden and c not shown: b in [1, 7]
    values = np.array([9.0, 2, 3, 4])
    eq, var, coef = np.zeros(4, int), np.arange(4), np.array([1.0, -1, -1, -1])
    hidden = np.array([False, False, True, False])
    unshown = np.array([False, False, False, True])
    r = audit(values, eq, var, coef, hidden, unshown=unshown, exact=True)
    assert (r.lower[2], r.upper[2]) == (1.0, 7.0)
    assert np.isnan(r.lower[3])


def test_balances_may_be_negative() -> None:
    # a balance (nonneg False) hidden with its only partner: unbounded both ways
    values = np.array([0.0, 2, -2])
    eq, var, coef = np.zeros(3, int), np.arange(3), np.array([1.0, -1, -1])
    hidden = np.array([False, True, True])
    r = audit(values, eq, var, coef, hidden, nonneg=np.array([True, True, False]), exact=True)
    assert r.upper[1] == np.inf and r.protected[1]


def test_components_are_independent() -> None:
    unknown = np.array([True, True, False, True, True])
    eq = np.array([0, 0, 0, 1, 1])
    var = np.array([0, 1, 2, 3, 4])
    label, eq_label = components(unknown, eq, var, 2)
    assert label[0] == label[1] != label[3] == label[4]
    assert label[2] == -1 and eq_label[0] != eq_label[1]


@pytest.mark.parametrize("threshold", [2, 3, 5])
def test_protection_level_is_the_threshold(threshold: int) -> None:
    table = with_margins([[20, 50, 10], [8, 19, 22]])
    n_rows, n_cols = table.shape
    eq, var, coef = table_equations(table.shape, n_rows - 1, n_cols - 1)
    primary = np.zeros(table.size, dtype=bool)
    primary[n_cols + 0] = True  # the 8
    secret, _ = protect(table.ravel(), eq, var, coef, primary, threshold=threshold)
    check = audit(table.ravel(), eq, var, coef, secret, threshold=threshold, exact=True)
    assert (check.upper - check.lower)[secret].min() >= threshold


@pytest.mark.parametrize("seed", range(12))
def test_shortcuts_decide_as_the_exact_intervals(seed: int) -> None:
    # large random tables with many hidden cells take every path of the audit (the sum
    # objectives, the pushes of all open cells, the per-cell LPs): which cells are
    # protected must not depend on them
    rng = np.random.default_rng(seed)
    inner = rng.integers(0, 9, size=(7, 6)).tolist()
    table = with_margins(inner)
    n_rows, n_cols = table.shape
    eq, var, coef = table_equations(table.shape, n_rows - 1, n_cols - 1)
    hidden = (table.ravel() > 0) & (rng.random(table.size) < 0.45)
    quick = audit(table.ravel(), eq, var, coef, hidden, threshold=3)
    exact = audit(table.ravel(), eq, var, coef, hidden, threshold=3, exact=True)
    assert hidden.sum() > 8
    assert quick.protected.tolist() == exact.protected.tolist()
    assert quick.failing.tolist() == exact.failing.tolist()
    # bounds seen without the exact LPs lie inside the exact interval
    seen = hidden & quick.protected
    assert (quick.lower[seen] >= exact.lower[seen] - 1e-6).all()
    assert (quick.upper[seen] <= exact.upper[seen] + 1e-6).all()

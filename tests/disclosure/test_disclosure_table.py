"""Disclosure control: hand examples and an attacker that tries to undo the suppression."""

from __future__ import annotations

import doctest
import importlib
from collections import deque

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bielefeld_integration.disclosure import (
    NOT_AVAILABLE,
    NOT_MEANINGFUL,
    SECRET,
    SYMBOL_LEGEND,
    UNRELIABLE,
    ZERO,
    SuppressionResult,
    mark_small_denominator,
    suppress_counts,
    suppress_table,
)
from bielefeld_integration.disclosure.audit import audit
from bielefeld_integration.disclosure.table import table_equations
from bielefeld_integration.errors import DataError
from bielefeld_integration.present import format as fmt

TOTAL = "Insgesamt"


def with_totals(inner: np.ndarray, row_total: bool = True, col_total: bool = True) -> pd.DataFrame:
    """Frame of inner counts plus the requested totals (labelled ``Insgesamt``)."""
    n_rows, n_cols = inner.shape
    df = pd.DataFrame(
        inner,
        index=[f"r{i}" for i in range(n_rows)],
        columns=[f"c{j}" for j in range(n_cols)],
    )
    if col_total:
        df[TOTAL] = df.sum(axis=1)
    if row_total:
        df.loc[TOTAL] = df.sum(axis=0)
    return df.astype("int64")


# --------------------------------------------------------------------------- symbols


def test_symbols_and_legend() -> None:
    assert (ZERO, SECRET, UNRELIABLE, NOT_MEANINGFUL, NOT_AVAILABLE) == ("-", ".", "/", "x", "...")
    assert SYMBOL_LEGEND[SECRET] == "Zahlenwert unbekannt oder geheim zu halten"
    assert set(SYMBOL_LEGEND) == {ZERO, SECRET, UNRELIABLE, NOT_MEANINGFUL, NOT_AVAILABLE}
    assert all(text.strip() for text in SYMBOL_LEGEND.values())
    # the formatter passes exactly these symbols through
    assert set(SYMBOL_LEGEND) == fmt.TABLE_SYMBOLS
    assert fmt.NOT_AVAILABLE_TEXT == NOT_AVAILABLE


@pytest.mark.parametrize("module", ["audit", "primary", "rule", "secondary", "table"])
def test_docstring_examples(module: str) -> None:
    mod = importlib.import_module(f"bielefeld_integration.disclosure.{module}")
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 1
    assert result.failed == 0


# --------------------------------------------------------------------------- hand examples


def test_two_way_hand_example() -> None:
    #          A   B   C | Summe
    #   r1     1   5   7 |   13
    #   r2     4   6   0 |   10
    #   Summe  5  11   7 |   23
    # (r1, A) = 1 is primary. Closing a cycle through it without totals:
    # r1 -B(5)- r2 -A(4): cost 5 + 6 + 4 = 15 via (r1,B), (r2,B), (r2,A); the way over C is
    # impossible because (r2, C) = 0 and zeros are never used as complements.
    t = pd.DataFrame(
        {"A": [1, 4, 5], "B": [5, 6, 11], "C": [7, 0, 7], "Summe": [13, 10, 23]},
        index=["r1", "r2", "Summe"],
    )
    res = suppress_table(t, row_total="Summe", col_total="Summe")
    assert isinstance(res, SuppressionResult)
    expected = pd.DataFrame(
        {
            "A": [".", ".", "5"],
            "B": [".", ".", "11"],
            "C": ["7", "-", "7"],
            "Summe": ["13", "10", "23"],
        },
        index=["r1", "r2", "Summe"],
    )
    pd.testing.assert_frame_equal(res.display, expected, check_dtype=False)
    assert res.symbols.loc["r2", "C"] == ZERO
    assert res.values.loc["r2", "C"] == 0.0
    assert res.values.loc[["r1", "r2"], ["A", "B"]].isna().all().all()
    assert res.values.loc["Summe", "Summe"] == 23.0
    assert res.log.columns.tolist() == ["row", "column", "value", "reason"]
    assert res.log.to_dict("records") == [
        {"row": "r1", "column": "A", "value": 1, "reason": "primär: Fallzahl < 3"},
        {"row": "r1", "column": "B", "value": 5, "reason": "sekundär: Schutz von Zelle (r1, A)"},
        {"row": "r2", "column": "B", "value": 6, "reason": "sekundär: Schutz von Zelle (r1, A)"},
        {"row": "r2", "column": "A", "value": 4, "reason": "sekundär: Schutz von Zelle (r1, A)"},
    ]
    assert res.suppressed.sum().sum() == 4


def test_smallest_complements_are_chosen() -> None:
    #        A   B   C   D
    #  r1    2  50   9  40
    #  r2   30  60   8  70
    #  r3   20  10  90  80
    # cycle through (r1, A) = 2: via C (9) and (r2, C) = 8, (r2, A) = 30 -> 47
    # cheaper than via C and r3 (9 + 90 + 20 = 119) or via B/D.
    inner = np.array([[2, 50, 9, 40], [30, 60, 8, 70], [20, 10, 90, 80]])
    res = suppress_table(with_totals(inner), row_total=TOTAL, col_total=TOTAL)
    hidden = {(r, c) for r, c in zip(*np.nonzero(res.suppressed.to_numpy()), strict=True)}
    assert hidden == {(0, 0), (0, 2), (1, 2), (1, 0)}


def test_two_primaries_protect_each_other() -> None:
    # primaries (r0, c0) = 1 and (r1, c1) = 2 need a rectangle with (r0, c1) and (r1, c0)
    inner = np.array([[1, 9, 30], [8, 2, 30], [40, 40, 40]])
    res = suppress_table(with_totals(inner), row_total=TOTAL, col_total=TOTAL)
    hidden = {(int(r), int(c)) for r, c in zip(*np.nonzero(res.suppressed.to_numpy()), strict=True)}
    assert hidden == {(0, 0), (1, 1), (0, 1), (1, 0)}
    assert (res.log["reason"] == "primär: Fallzahl < 3").sum() == 2


def test_totals_used_only_when_needed() -> None:
    # one inner row: the total row repeats it, so totals must be used
    t = pd.DataFrame({"A": [1, 1], "B": [5, 5], TOTAL: [6, 6]}, index=["r1", TOTAL])
    res = suppress_table(t, row_total=TOTAL, col_total=TOTAL)
    # (r1, A) and (Insgesamt, A) are primary; the cycle closes over column B
    assert res.display.to_dict("index") == {
        "r1": {"A": ".", "B": ".", TOTAL: "6"},
        TOTAL: {"A": ".", "B": ".", TOTAL: "6"},
    }
    # a normal table: no total suppressed
    inner = np.array([[1, 7, 8], [6, 9, 12], [10, 11, 13]])
    res = suppress_table(with_totals(inner), row_total=TOTAL, col_total=TOTAL)
    assert not res.suppressed[TOTAL].any()
    assert not res.suppressed.loc[TOTAL].any()


def test_total_itself_small_is_primary() -> None:
    # a row with total 2 (cells 1 and 1) and a column total of 1
    inner = np.array([[1, 1, 0], [5, 6, 20], [7, 9, 30]])
    res = suppress_table(with_totals(inner), row_total=TOTAL, col_total=TOTAL)
    assert res.symbols.loc["r0", TOTAL] == SECRET
    primaries = res.log[res.log["reason"].str.startswith("primär")]
    assert set(zip(primaries["row"], primaries["column"], strict=True)) == {
        ("r0", "c0"),
        ("r0", "c1"),
        ("r0", TOTAL),
    }
    assert_protected(with_totals(inner), res, TOTAL, TOTAL)


def test_zeros_are_dash_not_secret() -> None:
    inner = np.array([[0, 10], [12, 0]])
    res = suppress_table(with_totals(inner), row_total=TOTAL, col_total=TOTAL)
    assert res.display.loc["r0", "c0"] == "-"
    assert res.display.loc["r1", "c1"] == "-"
    assert res.symbols.loc["r0", "c0"] == ZERO
    assert res.values.loc["r0", "c0"] == 0.0
    assert res.log.empty
    assert not res.suppressed.any().any()


def test_only_total_column_rows_are_lines() -> None:
    #   r0: 1 0 9 | 10  -> primary 1, smallest other positive inner cell: 9 (not the total 10)
    #   r1: 5 4 7 | 16  -> untouched
    #   r2: 2 0 0 |  2  -> primary 2, and the total 2 is primary too: already two
    t = with_totals(np.array([[1, 0, 9], [5, 4, 7], [2, 0, 0]]), row_total=False)
    res = suppress_table(t, col_total=TOTAL)
    assert res.display.loc["r0"].tolist() == [".", "-", ".", "10"]
    assert res.display.loc["r1"].tolist() == ["5", "4", "7", "16"]
    assert res.display.loc["r2"].tolist() == [".", "-", "-", "."]
    assert res.log["reason"].tolist() == [
        "primär: Fallzahl < 3",
        "primär: Fallzahl < 3",
        "primär: Fallzahl < 3",
        "sekundär: Schutz von Zelle (r0, c0)",
    ]


def test_only_total_row_columns_are_lines() -> None:
    t = with_totals(np.array([[1, 5], [8, 6], [3, 7]]), col_total=False)
    res = suppress_table(t, row_total=TOTAL)
    # column c0: the primary 1 with only the 3 hidden would lie in [1, 3] (1 + 3 = 12 - 8);
    # the audit hides the 8 too, so the 1 lies anywhere in [1, 10]
    assert res.display["c0"].tolist() == [".", ".", ".", "12"]
    assert res.display["c1"].tolist() == ["5", "6", "7", "18"]


def test_no_totals_primary_only() -> None:
    t = pd.DataFrame({"a": [1, 50], "b": [2, 0]}, index=["x", "y"])
    res = suppress_table(t)
    assert res.display.to_dict("list") == {"a": [".", "50"], "b": [".", "-"]}
    assert len(res.log) == 2


def test_threshold_parameter() -> None:
    t = pd.DataFrame({"a": [3, 4, 5]})
    assert suppress_table(t, threshold=5).display["a"].tolist() == [".", ".", "5"]
    assert suppress_table(t, threshold=1).display["a"].tolist() == ["3", "4", "5"]
    res = suppress_table(t, threshold=5)
    assert res.log["reason"].unique().tolist() == ["primär: Fallzahl < 5"]
    with pytest.raises(ValueError):
        suppress_table(t, threshold=0)


def test_display_is_german() -> None:
    t = pd.DataFrame({"a": [1234, 1], "b": [2, 567_890]})
    res = suppress_table(t)
    assert res.display["a"].tolist() == ["1.234", "."]
    assert res.display["b"].tolist() == [".", "567.890"]


def test_rounding() -> None:
    #   7 -> 5, 12 -> 10, 13 -> 15, 4 -> 5, 0 stays "-", 1 is suppressed
    t = pd.DataFrame({"a": [7, 12, 13], "b": [4, 0, 1]})
    res = suppress_table(t, round_to=5)
    assert res.display["a"].tolist() == ["5", "10", "15"]
    assert res.display["b"].tolist() == ["5", "-", "."]
    # to 10: 3 -> 0 shown as "0" (positive but below half the unit), true zero as "-"
    t = pd.DataFrame({"a": [3, 0, 25, 1_234]})
    res = suppress_table(t, round_to=10)
    assert res.display["a"].tolist() == ["0", "-", "30", "1.230"]
    assert res.values["a"].tolist() == [0.0, 0.0, 30.0, 1230.0]
    assert res.symbols["a"].tolist() == ["", "-", "", ""]
    with pytest.raises(ValueError):
        suppress_table(t, round_to=0)


def test_rounding_with_suppression_keeps_pattern() -> None:
    t = with_totals(np.array([[1, 17, 23], [14, 26, 31]]))
    plain = suppress_table(t, row_total=TOTAL, col_total=TOTAL)
    rounded = suppress_table(t, row_total=TOTAL, col_total=TOTAL, round_to=10)
    pd.testing.assert_frame_equal(plain.symbols, rounded.symbols)
    published = rounded.values.to_numpy()
    published = published[~np.isnan(published)]
    assert (published % 10 == 0).all()


def test_input_not_modified_and_deterministic() -> None:
    t = with_totals(np.array([[1, 3, 4], [3, 1, 4], [4, 4, 1]]))
    before = t.copy()
    a = suppress_table(t, row_total=TOTAL, col_total=TOTAL)
    b = suppress_table(t, row_total=TOTAL, col_total=TOTAL)
    pd.testing.assert_frame_equal(t, before)
    pd.testing.assert_frame_equal(a.display, b.display)
    pd.testing.assert_frame_equal(a.log, b.log)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("frame", "kwargs", "message"),
    [
        (pd.DataFrame({"a": [1, -2]}), {}, "negative Fallzahl"),
        (pd.DataFrame({"a": [1.5, 2]}), {}, "keine ganze Zahl"),
        (pd.DataFrame({"a": [1, None]}), {}, "fehlt"),
        (pd.DataFrame({"a": ["x", "y"]}), {}, "nicht-numerisch"),
        (pd.DataFrame({"a": [1, 2]}), {"row_total": "Summe"}, "Summenzeile 'Summe' fehlt"),
        (pd.DataFrame({"a": [1, 2]}), {"col_total": "Summe"}, "Summenspalte 'Summe' fehlt"),
        (pd.DataFrame({"a": [1, 2, 4]}, index=["x", "y", "S"]), {"row_total": "S"}, "passt nicht"),
        (pd.DataFrame({"a": [1], "S": [2]}), {"col_total": "S"}, "passt nicht"),
        (pd.DataFrame(), {}, "leer"),
        (pd.DataFrame({"a": [1, 2]}, index=["x", "x"]), {}, "nicht eindeutig"),
    ],
)
def test_bad_tables_raise_data_error(frame: pd.DataFrame, kwargs: dict, message: str) -> None:
    with pytest.raises(DataError, match=message):
        suppress_table(frame, **kwargs)


def test_bad_cell_names_row_and_column() -> None:
    frame = pd.DataFrame({"Anzahl": [1, -2]}, index=["Mitte", "Senne"])
    with pytest.raises(DataError) as info:
        suppress_table(frame)
    assert "Senne" in str(info.value) and "Anzahl" in str(info.value)


# --------------------------------------------------------------------------- suppress_counts


def test_suppress_counts() -> None:
    df = pd.DataFrame(
        {"bezirk": ["01", "02", "03", "04", "05"], "count": [0, 1, 2, 3, None]},
        index=[10, 11, 12, 13, 14],
    )
    out, log = suppress_counts(df)
    assert out["symbol"].tolist() == ["-", ".", ".", "", "..."]
    assert out["count"].tolist()[0] == 0.0
    assert np.isnan(out["count"].tolist()[1]) and np.isnan(out["count"].tolist()[2])
    assert out["count"].tolist()[3] == 3.0
    assert out["bezirk"].tolist() == df["bezirk"].tolist()
    assert log.to_dict("records") == [
        {"row": 11, "column": "count", "value": 1, "reason": "primär: Fallzahl < 3"},
        {"row": 12, "column": "count", "value": 2, "reason": "primär: Fallzahl < 3"},
    ]
    assert df["count"].tolist()[1] == 1  # input untouched


def test_suppress_counts_options_and_errors() -> None:
    df = pd.DataFrame({"n": [4, 9, 12], "symbol": ["/", "", ""]})
    out, log = suppress_counts(df, count_col="n", threshold=10)
    assert out["symbol"].tolist() == [".", ".", ""]  # "." wins over "/"
    assert len(log) == 2
    out, _ = suppress_counts(df, count_col="n", threshold=3)
    assert out["symbol"].tolist() == ["/", "", ""]  # existing symbol kept
    with pytest.raises(DataError, match="fehlt"):
        suppress_counts(df, count_col="Anzahl")
    with pytest.raises(DataError, match="negative"):
        suppress_counts(pd.DataFrame({"count": [1, -1]}))
    with pytest.raises(DataError):
        suppress_counts(pd.DataFrame({"count": ["a", "b"]}))


# --------------------------------------------------------------------------- small denominators


def test_mark_small_denominator() -> None:
    assert mark_small_denominator(12.0, 5, 20) == "/"
    assert mark_small_denominator(12.0, 20, 20) == ""
    marks = mark_small_denominator(np.array([1.0, 2.0, 3.0]), np.array([19, 20, np.nan]), 20)
    assert marks.tolist() == ["/", "", ""]
    values = pd.Series([50.0, 10.0], index=["01", "02"])
    dens = pd.Series([100, 4], index=["01", "02"])
    out = mark_small_denominator(values, dens, 20)
    assert isinstance(out, pd.Series)
    assert out.to_dict() == {"01": "", "02": "/"}
    assert mark_small_denominator(values, dens, None).tolist() == ["", ""]
    assert mark_small_denominator([1.0, 2.0], 3, 5).tolist() == ["/", "/"]


# --------------------------------------------------------------------------- the attacker


def constraint_lines(
    shape: tuple[int, int], tr: int | None, tc: int | None
) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """All additivity relations: (inner cells of the line, the total cell of the line)."""
    n_rows, n_cols = shape
    lines = []
    if tc is not None:
        for i in range(n_rows):
            lines.append(([(i, j) for j in range(n_cols) if j != tc], (i, tc)))
    if tr is not None:
        for j in range(n_cols):
            lines.append(([(i, j) for i in range(n_rows) if i != tr], (tr, j)))
    return lines


def attack(published: np.ndarray, tr: int | None, tc: int | None) -> dict[tuple[int, int], float]:
    """Solve every line with exactly one unknown, repeatedly; return what was recovered."""
    known = published.copy()
    recovered: dict[tuple[int, int], float] = {}
    lines = constraint_lines(known.shape, tr, tc)
    changed = True
    while changed:
        changed = False
        for inner, total in lines:
            cells = [*inner, total]
            unknown = [c for c in cells if np.isnan(known[c])]
            if len(unknown) != 1:
                continue
            (cell,) = unknown
            inner_known = sum(known[c] for c in inner if c != cell)
            value = inner_known if cell == total else known[total] - inner_known
            known[cell] = value
            recovered[cell] = value
            changed = True
    return recovered


def find_cycle(hidden: set[tuple[int, int]], cell: tuple[int, int]) -> list[tuple[int, int]] | None:
    """A cycle of hidden cells through ``cell`` (row/column graph), as a list of cells."""
    i, j = cell
    start, goal = ("r", i), ("c", j)
    prev: dict[tuple[str, int], tuple[tuple[str, int], tuple[int, int]]] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        kind, k = queue.popleft()
        if kind == "r":
            steps = [((k, b), ("c", b)) for (a, b) in hidden if a == k]
        else:
            steps = [((a, k), ("r", a)) for (a, b) in hidden if b == k]
        for edge, node in sorted(steps):
            if edge == cell or node in seen:
                continue
            seen.add(node)
            prev[node] = ((kind, k), edge)
            if node == goal:
                path = [cell]
                while node != start:
                    node, edge = prev[node]
                    path.append(edge)
                return path
            queue.append(node)
    return None


def assert_protected(
    table: pd.DataFrame, res: SuppressionResult, row_total: str | None, col_total: str | None
) -> None:
    """Every property a protected table must have (unrounded results)."""
    true = table.to_numpy(dtype="float64")
    published = res.values.to_numpy(dtype="float64")
    hidden_mask = np.isnan(published)
    hidden = {(int(a), int(b)) for a, b in zip(*np.nonzero(hidden_mask), strict=True)}
    tr = None if row_total is None else table.index.get_loc(row_total)
    tc = None if col_total is None else table.columns.get_loc(col_total)

    # consistency of the three frames
    assert ((res.symbols.to_numpy() == SECRET) == hidden_mask).all()

    # an LP attacker (every hidden cell >= 1) leaves each hidden cell an interval >= 3 wide
    if hidden and (tr is not None or tc is not None):
        eq, var, coef = table_equations(true.shape, tr, tc)
        result = audit(true.ravel(), eq, var, coef, hidden_mask.ravel(), exact=True)
        widths = (result.upper - result.lower)[hidden_mask.ravel()]
        assert (widths >= 3 - 1e-6).all(), f"intervals narrower than 3: {widths}"
        assert (result.lower[hidden_mask.ravel()] >= 1 - 1e-6).all()
    assert (res.display.to_numpy()[hidden_mask] == SECRET).all()
    assert set(zip(res.log["row"], res.log["column"], strict=True)) == {
        (table.index[a], table.columns[b]) for a, b in hidden
    }
    np.testing.assert_array_equal(published[~hidden_mask], true[~hidden_mask])

    # every primary cell is suppressed, nothing published below the threshold but zeros
    primary = (true > 0) & (true < 3)
    assert not (primary & ~hidden_mask).any()
    visible = published[~hidden_mask]
    assert ((visible == 0) | (visible >= 3)).all()
    # zeros are shown as "-", never suppressed
    assert (res.display.to_numpy()[true == 0] == ZERO).all()
    assert not (hidden_mask & (true == 0)).any()

    # every line holds 0 or at least 2 suppressed cells
    for inner, total in constraint_lines(true.shape, tr, tc):
        n_hidden = sum(hidden_mask[c] for c in [*inner, total])
        assert n_hidden != 1, f"line {[*inner, total]} has exactly one suppressed cell"

    # the attacker recovers nothing
    assert attack(published, tr, tc) == {}

    # linear algebra: no suppressed cell is fixed by the system of all additivity relations
    # (a cell is determined iff every solution of the homogeneous system is 0 in it)
    cells = sorted(hidden)
    lines = constraint_lines(true.shape, tr, tc)
    if cells and lines:
        matrix = np.zeros((len(lines), len(cells)))
        for row, (inner, total) in enumerate(lines):
            for col, c in enumerate(cells):
                matrix[row, col] = 1.0 if c in inner else (-1.0 if c == total else 0.0)
        _, singular, vt = np.linalg.svd(matrix)
        rank = int((singular > 1e-9).sum())
        null_space = vt[rank:].T
        determined = [c for k, c in enumerate(cells) if np.linalg.norm(null_space[k]) < 1e-9]
        assert determined == [], f"cells {determined} are determined by the totals"

    # interval argument: for every suppressed cell there are two other non-negative tables
    # that agree with everything published and with all totals, in which the cell is one
    # smaller and one larger -> its value is not determined.
    for cell in hidden:
        if tr is not None and tc is not None:
            cycle = find_cycle(hidden, cell)
            assert cycle is not None, f"cell {cell} lies on no cycle of suppressed cells"
            # the cycle alternates row and column nodes; flip the sign on every step, and
            # flip once more for cells in exactly one total line (they enter with -1)
            changes = [(c, (1 if k % 2 == 0 else -1)) for k, c in enumerate(cycle)]
            changes = [(c, s * (-1 if (c[0] == tr) != (c[1] == tc) else 1)) for c, s in changes]
        else:
            # one margin: each line is one equation; shift against another hidden cell in it
            lines = [[*inner, total] for inner, total in constraint_lines(true.shape, tr, tc)]
            if not lines:
                continue  # no totals: nothing to recompute from
            line = next(line for line in lines if cell in line)
            other = next(c for c in line if c != cell and hidden_mask[c])
            total_cell = line[-1]
            same_side = (cell == total_cell) == (other == total_cell)
            changes = [(cell, 1), (other, -1 if same_side else 1)]
        for direction in (1, -1):
            alt = true.copy()
            for c, s in changes:
                alt[c] += direction * s
            assert alt[cell] != true[cell]
            assert (alt >= 0).all()
            np.testing.assert_array_equal(alt[~hidden_mask], true[~hidden_mask])
            for inner, total in constraint_lines(true.shape, tr, tc):
                assert sum(alt[c] for c in inner) == alt[total]


small_counts = st.sampled_from([0, 0, 1, 1, 2, 2, 3, 4, 5, 7, 12, 30])


@st.composite
def tables(draw: st.DrawFn) -> tuple[pd.DataFrame, str | None, str | None]:
    n_rows = draw(st.integers(min_value=1, max_value=6))
    n_cols = draw(st.integers(min_value=1, max_value=6))
    inner = np.array(
        draw(st.lists(small_counts, min_size=n_rows * n_cols, max_size=n_rows * n_cols))
    ).reshape(n_rows, n_cols)
    margins = draw(st.sampled_from(["both", "both", "row", "col", "none"]))
    row_total = margins in ("both", "row")
    col_total = margins in ("both", "col")
    frame = with_totals(inner, row_total=row_total, col_total=col_total)
    return frame, (TOTAL if row_total else None), (TOTAL if col_total else None)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_random_tables_are_protected(case: tuple[pd.DataFrame, str | None, str | None]) -> None:
    table, row_total, col_total = case
    res = suppress_table(table, row_total=row_total, col_total=col_total)
    assert_protected(table, res, row_total, col_total)


def test_seeded_larger_tables_are_protected() -> None:
    rng = np.random.default_rng(20170)
    suppressed_somewhere = 0
    for _ in range(150):
        n_rows, n_cols = rng.integers(2, 14), rng.integers(2, 9)
        inner = rng.choice([0, 1, 2, 3, 4, 6, 9, 15, 40], size=(n_rows, n_cols))
        table = with_totals(inner)
        res = suppress_table(table, row_total=TOTAL, col_total=TOTAL)
        assert_protected(table, res, TOTAL, TOTAL)
        suppressed_somewhere += int(res.log["reason"].str.startswith("sekundär").any())
    assert suppressed_somewhere > 100  # the test really exercised secondary suppression


def test_attacker_catches_naive_suppression() -> None:
    # sanity check of the attacker itself: primary suppression alone is undone
    table = with_totals(np.array([[1, 5], [7, 9]]))
    published = table.to_numpy(dtype="float64")
    published[0, 0] = np.nan
    assert attack(published, 2, 2) == {(0, 0): 1.0}

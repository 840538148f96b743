"""Secondary suppression of the indicator table: hand examples and an attacker.

The attacker knows everything :func:`publishable` publishes and which counts add up: the
breakdown lines (parts of a breakdown = row ``insgesamt``), the group lines (groups = group
``insgesamt``) and the area lines (Stadtbezirke = city, Statistische Bezirke = their
Stadtbezirk), for case numbers of counts, shares and rates. He also recognises the same
count published twice (same period, area, breakdown cell and value). He solves every line
with exactly one unknown, again and again, and finally tries every linear combination.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from bielefeld_integration.indicators.compute import (
    COLUMNS,
    publishable,
    suppression_log,
)

CITY = "05711000"
T = "insgesamt"
CASES = ("numerator", "denominator")


# --------------------------------------------------------------------------- helpers


def table(rows: list[dict]) -> pd.DataFrame:
    """An indicator table from short row dicts (count indicator ``C`` by default)."""
    full = []
    for r in rows:
        kind = r.get("kind", "count")
        num = float(r["n"])
        den = float(r["d"]) if "d" in r else math.nan
        value = num if kind == "count" else (num / den * 100 if den else math.nan)
        full.append(
            {
                "period": r.get("period", "2017"),
                "indicator": r.get("indicator", "C"),
                "kind": kind,
                "area_level": r.get("level", "stadt"),
                "area_code": r.get("area", CITY),
                "group": r.get("group", T),
                "breakdown": r.get("breakdown", T),
                "breakdown_value": r.get("bv", T),
                "value": value,
                "numerator": num,
                "denominator": den,
                "unit": "Anzahl" if kind == "count" else "%",
                "symbol": "-" if num == 0 else "",
                "flags": "",
                "reference_date": "2017-12-31",
            }
        )
    return pd.DataFrame(full, columns=COLUMNS)


def _lines(truth: pd.DataFrame) -> list[tuple[np.ndarray, np.ndarray]]:
    """All lines (cell ids, coefficients) that hold in the true table; cell = 2 * row + col."""
    t = truth.reset_index(drop=True)
    key = ["period", "indicator", "area_level", "area_code", "group", "breakdown"]
    rows = {tuple(r): i for i, r in enumerate(t[[*key, "breakdown_value"]].itertuples(index=False))}
    x = t[list(CASES)].to_numpy(dtype="float64")
    candidates: dict[tuple, list[int]] = {}
    for i, r in enumerate(t.itertuples(index=False)):
        if r.breakdown != T:
            tot = rows.get((r.period, r.indicator, r.area_level, r.area_code, r.group, T, T))
            candidates.setdefault(("a", tot, r.breakdown), []).append(i)
        if r.group != T:
            tot = rows.get(
                (
                    r.period,
                    r.indicator,
                    r.area_level,
                    r.area_code,
                    T,
                    r.breakdown,
                    r.breakdown_value,
                )
            )
            candidates.setdefault(("b", tot), []).append(i)
        if r.area_level in ("stadtbezirk", "stat_bezirk"):
            parent = (
                ("stadt", CITY)
                if r.area_level == "stadtbezirk"
                else (
                    "stadtbezirk",
                    r.area_code[:2],
                )
            )
            tot = rows.get(
                (r.period, r.indicator, *parent, r.group, r.breakdown, r.breakdown_value)
            )
            candidates.setdefault(("c", tot, r.area_level), []).append(i)
    out = []
    for (_, tot, *_rest), parts in candidates.items():
        if tot is None:
            continue
        for j in range(2):
            values = x[parts, j]
            if np.isnan(x[tot, j]) or np.isnan(values).any() or values.sum() != x[tot, j]:
                continue
            cells = np.array([2 * tot + j] + [2 * p + j for p in parts])
            out.append((cells, np.r_[1.0, -np.ones(len(parts))]))
    return out


def _same_quantity(truth: pd.DataFrame) -> np.ndarray:
    """Class id per cell: cells showing the same count (same period, area, breakdown cell)."""
    t = truth.reset_index(drop=True)
    x = t[list(CASES)].to_numpy(dtype="float64").ravel()
    keys = pd.DataFrame(
        {
            c: np.repeat(t[c].to_numpy(dtype=object), 2)
            for c in ("period", "area_level", "area_code", "breakdown", "breakdown_value")
        }
    )
    keys["x"] = x
    cls = keys.groupby(list(keys.columns), sort=False, dropna=False).ngroup().to_numpy().copy()
    cls[np.isnan(x)] = -1 - np.arange(int(np.isnan(x).sum()))  # missing cells: alone
    return cls


def attack(truth: pd.DataFrame, pub: pd.DataFrame) -> set[int]:
    """Hidden cells (2 * row + col) the attacker computes by repeated subtraction."""
    x = truth[list(CASES)].to_numpy(dtype="float64").ravel()
    shown = pub[list(CASES)].to_numpy(dtype="float64").ravel()
    hidden = np.isnan(shown) & ~np.isnan(x)
    known = ~hidden
    cls = _same_quantity(truth)
    lines = _lines(truth)
    if lines:
        line_of = np.concatenate([np.full(len(c), k) for k, (c, _) in enumerate(lines)])
        cells = np.concatenate([c for c, _ in lines])
    else:
        line_of = cells = np.zeros(0, dtype=int)
    while True:
        before = known.copy()
        # the same count published elsewhere
        known_cls = np.unique(cls[known])
        known |= np.isin(cls, known_cls)
        # lines with exactly one unknown cell
        unknown = np.bincount(line_of, weights=~known[cells], minlength=len(lines))
        solvable = np.isin(line_of, np.flatnonzero(unknown == 1)) & ~known[cells]
        known[cells[solvable]] = True
        if np.array_equal(before, known):
            break
    return set(np.flatnonzero(known & hidden).tolist())


def determined_by_algebra(truth: pd.DataFrame, pub: pd.DataFrame) -> set[int]:
    """Hidden cells fixed by some linear combination of all lines and identities."""
    x = truth[list(CASES)].to_numpy(dtype="float64").ravel()
    shown = pub[list(CASES)].to_numpy(dtype="float64").ravel()
    hidden = np.flatnonzero(np.isnan(shown) & ~np.isnan(x))
    if not len(hidden):
        return set()
    col = {c: k for k, c in enumerate(hidden)}
    eqs = []
    for cells, coef in _lines(truth):
        row = np.zeros(len(hidden))
        for c, a in zip(cells, coef, strict=True):
            if c in col:
                row[col[c]] += a
        eqs.append(row)
    cls = _same_quantity(truth)
    for c in hidden:  # identities with another cell of the same count
        for other in np.flatnonzero(cls == cls[c]):
            if other != c:
                row = np.zeros(len(hidden))
                row[col[c]] += 1
                if other in col:
                    row[col[other]] -= 1
                eqs.append(row)
    a = np.array(eqs) if eqs else np.zeros((0, len(hidden)))
    if not len(a):
        return set()
    _u, s, vt = np.linalg.svd(a, full_matrices=True)
    rank = int((s > 1e-9 * max(a.shape)).sum())
    null = vt[rank:]
    fixed = np.sqrt((null**2).sum(axis=0)) < 1e-8 if len(null) else np.ones(len(hidden), bool)
    return {int(hidden[k]) for k in np.flatnonzero(fixed)}


def published_small(pub: pd.DataFrame, threshold: int = 3) -> int:
    cases = pub[list(CASES)].to_numpy(dtype="float64").ravel()
    counts = pub.loc[pub["kind"] == "count", "value"].to_numpy(dtype="float64")
    both = np.r_[cases, counts]
    return int(((both > 0) & (both < threshold)).sum())


def shown(pub: pd.DataFrame, col: str = "numerator", **where: str) -> float:
    mask = np.ones(len(pub), dtype=bool)
    names = {"level": "area_level", "area": "area_code", "bv": "breakdown_value"}
    for k, v in where.items():
        mask &= (pub[names.get(k, k)] == v).to_numpy()
    assert mask.sum() == 1, where
    return float(pub.loc[mask, col].iloc[0])


# --------------------------------------------------------------------------- hand examples


def test_breakdown_line_gets_a_complement() -> None:
    df = table(
        [
            {"n": 10},
            {"n": 2, "breakdown": "sex", "bv": "m"},
            {"n": 8, "breakdown": "sex", "bv": "w"},
        ]
    )
    primary_only = publishable(df, secondary=False)
    assert shown(primary_only, bv="w") == 8  # 10 - 8 gives the 2 away
    assert attack(df, primary_only)
    pub = publishable(df)
    assert math.isnan(shown(pub, bv="m")) and math.isnan(shown(pub, bv="w"))
    assert shown(pub, bv=T) == 10
    w = pub[pub["breakdown_value"] == "w"].iloc[0]
    assert w.symbol == "." and w["flags"] == "suppressed,suppressed_secondary"
    m = pub[pub["breakdown_value"] == "m"].iloc[0]
    assert m.symbol == "." and m["flags"] == "suppressed"
    assert not attack(df, pub) and not determined_by_algebra(df, pub)


def test_group_line_takes_the_smallest_complement() -> None:
    df = table(
        [
            {"group": T, "n": 20},
            {"group": "a", "n": 2},
            {"group": "b", "n": 11},
            {"group": "c", "n": 7},
        ]
    )
    pub = publishable(df)
    assert [math.isnan(shown(pub, group=g)) for g in (T, "a", "b", "c")] == [
        False,
        True,
        False,
        True,
    ]
    assert not attack(df, pub) and not determined_by_algebra(df, pub)


def test_groups_that_do_not_add_up_are_no_line() -> None:
    # overlapping groups: 2 + 18 + 5 != 20, nobody can subtract
    df = table(
        [
            {"group": T, "n": 20},
            {"group": "a", "n": 2},
            {"group": "b", "n": 18},
            {"group": "c", "n": 5},
        ]
    )
    pub = publishable(df)
    assert [math.isnan(shown(pub, group=g)) for g in (T, "a", "b", "c")] == [
        False,
        True,
        False,
        False,
    ]
    assert "suppressed_secondary" not in "".join(pub["flags"])


def test_area_lines_city_and_stadtbezirk() -> None:
    df = table(
        [
            {"n": 100},
            {"level": "stadtbezirk", "area": "01", "n": 30},
            {"level": "stadtbezirk", "area": "02", "n": 40},
            {"level": "stadtbezirk", "area": "03", "n": 30},
            {"level": "stat_bezirk", "area": "0101", "n": 2},
            {"level": "stat_bezirk", "area": "0102", "n": 10},
            {"level": "stat_bezirk", "area": "0103", "n": 18},
        ]
    )
    pub = publishable(df)
    hidden = {
        a
        for a in ("05711000", "01", "02", "03", "0101", "0102", "0103")
        if math.isnan(shown(pub, area=a))
    }
    assert hidden == {"0101", "0102"}  # Stadtbezirk 01 = 30 stays, it protects nothing
    assert not attack(df, pub) and not determined_by_algebra(df, pub)


def test_small_stadtbezirk_is_protected_in_the_city_line() -> None:
    df = table(
        [
            {"n": 50},
            {"level": "stadtbezirk", "area": "01", "n": 1},
            {"level": "stadtbezirk", "area": "02", "n": 9},
            {"level": "stadtbezirk", "area": "03", "n": 40},
        ]
    )
    pub = publishable(df)
    assert math.isnan(shown(pub, area="01")) and math.isnan(shown(pub, area="02"))
    assert shown(pub, area=CITY) == 50 and shown(pub, area="03") == 40
    assert not attack(df, pub)


def test_shares_protect_numerators_and_denominators() -> None:
    # a share by sex: numerators 2 + 5 = 7, denominators 40 + 60 = 100
    df = table(
        [
            {"kind": "share", "indicator": "S", "n": 7, "d": 100},
            {"kind": "share", "indicator": "S", "n": 2, "d": 40, "breakdown": "sex", "bv": "m"},
            {"kind": "share", "indicator": "S", "n": 5, "d": 60, "breakdown": "sex", "bv": "w"},
        ]
    )
    pub = publishable(df)
    w = pub[pub["breakdown_value"] == "w"].iloc[0]
    assert math.isnan(w.numerator) and math.isnan(w.value) and w.symbol == "."
    assert w.denominator == 60  # the denominators are no secret
    assert "suppressed_secondary" in w["flags"]
    assert not attack(df, pub) and not determined_by_algebra(df, pub)


def test_the_same_count_is_hidden_everywhere() -> None:
    # the population of 01 (30) is the denominator of a share and a count of its own
    df = table(
        [
            {"indicator": "P", "n": 100},
            {"indicator": "P", "level": "stadtbezirk", "area": "01", "n": 30},
            {"indicator": "P", "level": "stadtbezirk", "area": "02", "n": 70},
            {"indicator": "S", "kind": "share", "n": 12, "d": 100},
            {
                "indicator": "S",
                "kind": "share",
                "level": "stadtbezirk",
                "area": "01",
                "n": 2,
                "d": 30,
            },
            {
                "indicator": "S",
                "kind": "share",
                "level": "stadtbezirk",
                "area": "02",
                "n": 10,
                "d": 70,
            },
        ]
    )
    pub = publishable(df)
    assert not attack(df, pub) and not determined_by_algebra(df, pub)
    assert published_small(pub) == 0


def test_secondary_can_be_switched_off_and_is_logged() -> None:
    df = table(
        [
            {"n": 10},
            {"n": 2, "breakdown": "sex", "bv": "m"},
            {"n": 8, "breakdown": "sex", "bv": "w"},
        ]
    )
    assert "suppressed_secondary" not in "".join(publishable(df, secondary=False)["flags"])
    log = suppression_log(df)
    assert log[["breakdown_value", "column", "value", "reason"]].to_dict("records") == [
        {"breakdown_value": "m", "column": "numerator", "value": 2.0, "reason": "primary"},
        {"breakdown_value": "w", "column": "numerator", "value": 8.0, "reason": "secondary"},
    ]


def test_deterministic() -> None:
    df = table(
        [{"group": T, "n": 20}]
        + [{"group": g, "n": 5} for g in "abc"]
        + [{"group": "d", "n": 1}, {"group": "e", "n": 4}]
    )
    a, b = publishable(df), publishable(df)
    pd.testing.assert_frame_equal(a, b)
    # ties are broken by table position: the first 5 is the complement... or the 4
    assert math.isnan(shown(a, group="e")) and not math.isnan(shown(a, group="a"))


# --------------------------------------------------------------------------- random tables


def synthetic(seed: int) -> pd.DataFrame:
    """A city, 3 Stadtbezirke, groups a/b and sex m/w; random small inner counts."""
    rng = np.random.default_rng(seed)
    inner = rng.integers(0, 7, size=(3, 2, 2))  # [area, group, sex]
    inner[rng.random(inner.shape) < 0.2] = 0
    rows = []
    areas = [("stadt", CITY, inner.sum(axis=0))] + [
        ("stadtbezirk", f"{k + 1:02d}", inner[k]) for k in range(3)
    ]
    for level, code, cube in areas:
        for g, gname in [(None, T), (0, "a"), (1, "b")]:
            part = cube.sum(axis=0) if g is None else cube[g]
            rows.append({"level": level, "area": code, "group": gname, "n": int(part.sum())})
            for s, sname in enumerate(("m", "w")):
                rows.append(
                    {
                        "level": level,
                        "area": code,
                        "group": gname,
                        "n": int(part[s]),
                        "breakdown": "sex",
                        "bv": sname,
                    }
                )
    return table(rows)


@pytest.mark.parametrize("seed", range(60))
def test_attacker_recovers_nothing_on_random_tables(seed: int) -> None:
    df = synthetic(seed)
    pub = publishable(df)
    assert published_small(pub) == 0
    assert not attack(df, pub)
    assert not determined_by_algebra(df, pub)


def test_random_tables_need_secondary_suppression() -> None:
    # the attacker is not toothless: primary suppression alone is broken on most tables
    broken = sum(
        bool(attack(synthetic(s), publishable(synthetic(s), secondary=False))) for s in range(40)
    )
    assert broken >= 20


# --------------------------------------------------------------------------- demo table


@pytest.fixture(scope="module")
def demo_table(demo_store) -> pd.DataFrame:
    return pd.read_parquet(demo_store / "indicators.parquet")


def test_demo_table_is_protected(demo_table: pd.DataFrame) -> None:
    # its running time is measured by `make bench` (benchmarks/run.py), never asserted here
    pub = publishable(demo_table)
    assert published_small(pub) == 0
    assert not attack(demo_table, pub)
    flags = pub["flags"]
    assert flags.str.contains("suppressed_secondary").sum() > 0
    # the primary pattern is unchanged: every small count is still hidden as before
    primary = publishable(demo_table, secondary=False)
    for col in CASES:
        was_hidden = primary[col].isna() & demo_table[col].notna().to_numpy()
        assert pub.loc[was_hidden, col].isna().all()

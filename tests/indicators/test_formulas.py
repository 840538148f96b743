"""Indicator formulas: hand-computed values and properties."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bielefeld_integration.errors import DataError
from bielefeld_integration.indicators import formulas
from bielefeld_integration.indicators.formulas import (
    change_pp,
    change_relative,
    dissimilarity,
    gap_pp,
    index_to_base,
    location_quotient,
    rate,
    ratio,
    representation_index,
    share,
    target_attainment,
)

counts = st.integers(min_value=0, max_value=10_000)
area_counts = st.lists(counts, min_size=1, max_size=30)


def test_docstring_examples() -> None:
    result = doctest.testmod(formulas, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 11
    assert result.failed == 0


# --------------------------------------------------------------------------- hand values


def test_share_hand() -> None:
    # 52,300 foreigners of 333,000 inhabitants: 52300 / 333000 * 100 = 15.7057...
    assert share(52_300, 333_000) == pytest.approx(15.705705705705706)
    # 3 of 4 = 0.75 -> 75 %
    assert share(3, 4) == 75.0
    # per-mille share: 3 / 4 * 1000 = 750
    assert share(3, 4, multiplier=1000) == 750.0


def test_rate_hand() -> None:
    # 1,250 naturalisations / 41,000 foreigners * 1000 = 30.487804878...
    assert rate(1_250, 41_000) == pytest.approx(30.48780487804878)
    # per 100: 45 / 180 * 100 = 25
    assert rate(45, 180, multiplier=100) == 25.0


def test_gap_pp_hand() -> None:
    # unemployment 14.8 % (foreigners) - 6.1 % (Germans) = 8.7 pp
    assert gap_pp(14.8, 6.1) == pytest.approx(8.7)
    assert gap_pp(6.1, 14.8) == pytest.approx(-8.7)


def test_ratio_hand() -> None:
    # 14.8 / 6.1 = 2.42622950819...
    assert ratio(14.8, 6.1) == pytest.approx(2.4262295081967213)
    assert ratio(0, 5) == 0.0


def test_representation_index_hand() -> None:
    # 18 % of city staff vs 36 % in the population 18-<65: 100 * 18 / 36 = 50
    assert representation_index(18.0, 36.0) == 50.0
    # equal shares -> 100 = proportional
    assert representation_index(24.5, 24.5) == 100.0


def test_dissimilarity_hand() -> None:
    # x = (10, 20, 70), X = 100 -> (0.1, 0.2, 0.7)
    # y = (40, 40, 20), Y = 100 -> (0.4, 0.4, 0.2)
    # |diff| = 0.3 + 0.2 + 0.5 = 1.0 -> D = 0.5
    assert dissimilarity([10, 20, 70], [40, 40, 20]) == pytest.approx(0.5)
    # x = (1, 3), X = 4 -> (0.25, 0.75); y = (3, 1) -> (0.75, 0.25)
    # |diff| = 0.5 + 0.5 = 1 -> D = 0.5
    assert dissimilarity(np.array([1, 3]), np.array([3, 1])) == pytest.approx(0.5)
    # x = (2, 2, 0), X = 4 -> (0.5, 0.5, 0); y = (0, 5, 5), Y = 10 -> (0, 0.5, 0.5)
    # |diff| = 0.5 + 0 + 0.5 = 1 -> D = 0.5
    assert dissimilarity([2, 2, 0], [0, 5, 5]) == pytest.approx(0.5)


def test_dissimilarity_series_matched_by_label() -> None:
    x = pd.Series({"01": 10, "02": 20, "03": 70})
    y = pd.Series({"03": 20, "01": 40, "02": 40})  # other order, same areas
    assert dissimilarity(x, y) == pytest.approx(0.5)


def test_dissimilarity_nan_and_errors() -> None:
    assert math.isnan(dissimilarity([0, 0], [1, 2]))  # X = 0
    assert math.isnan(dissimilarity([1, 2], [0, 0]))  # Y = 0
    assert math.isnan(dissimilarity([], []))
    assert math.isnan(dissimilarity([1, np.nan], [1, 2]))
    with pytest.raises(DataError, match="gleich lange"):
        dissimilarity([1, 2, 3], [1, 2])
    with pytest.raises(DataError, match="negative"):
        dissimilarity([1, -2], [1, 2])
    with pytest.raises(DataError, match="dieselben Gebiete"):
        dissimilarity(pd.Series({"01": 1, "02": 2}), pd.Series({"01": 1, "03": 2}))


def test_change_hand() -> None:
    # 14.5 % - 13.0 % = 1.5 pp
    assert change_pp(14.5, 13.0) == pytest.approx(1.5)
    # (115 - 100) / 100 * 100 = 15 %
    assert change_relative(115, 100) == pytest.approx(15.0)
    # (80 - 100) / 100 * 100 = -20 %
    assert change_relative(80, 100) == pytest.approx(-20.0)


def test_index_to_base_hand() -> None:
    s = pd.Series([320_000, 328_000, 336_000], index=["2015", "2016", "2017"])
    # 328000 / 320000 * 100 = 102.5; 336000 / 320000 * 100 = 105
    assert index_to_base(s, "2015").tolist() == pytest.approx([100.0, 102.5, 105.0])
    # base 2016: 320000 / 328000 * 100 = 97.5609756...
    assert index_to_base(s, "2016")["2015"] == pytest.approx(97.5609756097561)


def test_index_to_base_frame_and_errors() -> None:
    df = pd.DataFrame({"a": [2, 3], "b": [0, 5]}, index=["2016", "2017"])
    out = index_to_base(df, "2016")
    # a: 3 / 2 * 100 = 150; b: base 0 -> NaN everywhere
    assert out["a"].tolist() == [100.0, 150.0]
    assert out["b"].isna().all()
    with pytest.raises(DataError, match="fehlt"):
        index_to_base(df["a"], "2010")
    with pytest.raises(DataError, match="mehrfach"):
        index_to_base(pd.Series([1, 2], index=["2016", "2016"]), "2016")


def test_target_attainment_hand() -> None:
    # baseline 20 %, target 30 %, now 24 %: (24 - 20) / (30 - 20) * 100 = 40 %
    assert target_attainment(24.0, 20.0, 30.0) == pytest.approx(40.0)
    # decrease target: baseline 12, target 8, now 11: (11 - 12) / (8 - 12) * 100 = 25 %
    assert target_attainment(11.0, 12.0, 8.0) == pytest.approx(25.0)
    # away from the target: (18 - 20) / (30 - 20) * 100 = -20 %
    assert target_attainment(18.0, 20.0, 30.0) == pytest.approx(-20.0)
    # beyond the target: (35 - 20) / 10 * 100 = 150 %
    assert target_attainment(35.0, 20.0, 30.0) == pytest.approx(150.0)
    assert math.isnan(target_attainment(25.0, 20.0, 20.0))


def test_location_quotient_hand() -> None:
    # area: 450 / 1500 = 0.3; city: 50000 / 333000 = 0.15015...; LQ = 0.3 / 0.15015 = 1.998
    assert location_quotient(450, 1_500, 50_000, 333_000) == pytest.approx(1.998)
    # same share as the city -> 1
    assert location_quotient(15, 100, 150, 1_000) == pytest.approx(1.0)
    assert math.isnan(location_quotient(1, 0, 10, 100))  # empty area
    assert math.isnan(location_quotient(1, 10, 0, 100))  # group absent in the city
    assert math.isnan(location_quotient(1, 10, 10, 0))


# --------------------------------------------------------------------------- shapes, NaN


def test_scalar_in_float_out() -> None:
    for value in (share(1, 3), rate(np.int64(1), np.int64(3)), ratio(1.0, 2), gap_pp(1, 2)):
        assert type(value) is float


def test_series_keep_index() -> None:
    part = pd.Series([1, 2, 0], index=["01", "02", "03"])
    total = pd.Series([4, 0, 0], index=["01", "02", "03"])
    out = share(part, total)
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["01", "02", "03"]
    assert out["01"] == 25.0
    assert out.iloc[1:].isna().all()
    assert not np.isinf(out).any()


def test_array_in_array_out() -> None:
    out = rate(np.array([[1, 2], [3, 4]]), np.array([[1000, 0], [0, 2000]]))
    assert isinstance(out, np.ndarray)
    assert out.shape == (2, 2)
    assert out[0, 0] == 1.0 and out[1, 1] == 2.0
    assert np.isnan(out[0, 1]) and np.isnan(out[1, 0])


def test_missing_inputs_give_nan() -> None:
    assert math.isnan(share(None, 10))
    assert math.isnan(share(pd.NA, 10))
    nullable = pd.Series([1, pd.NA], dtype="Int64")
    assert share(nullable, 10).isna().tolist() == [False, True]


@pytest.mark.parametrize(
    ("func", "args"),
    [
        (share, (5, 0)),
        (share, (0, 0)),
        (rate, (5, 0)),
        (ratio, (-5, 0)),
        (representation_index, (5.0, 0.0)),
        (change_relative, (5, 0)),
        (target_attainment, (5, 3, 3)),
        (location_quotient, (1, 0, 1, 1)),
    ],
)
def test_division_by_zero_is_nan(func: object, args: tuple[float, ...]) -> None:
    assert math.isnan(func(*args))  # type: ignore[operator]


# --------------------------------------------------------------------------- properties


@given(st.data())
def test_dissimilarity_in_unit_interval(data: st.DataObject) -> None:
    x = data.draw(area_counts)
    y = data.draw(st.lists(counts, min_size=len(x), max_size=len(x)))
    d = dissimilarity(x, y)
    if sum(x) == 0 or sum(y) == 0:
        assert math.isnan(d)
    else:
        assert 0.0 <= d <= 1.0


@given(area_counts, st.integers(min_value=1, max_value=50))
def test_dissimilarity_zero_for_proportional(x: list[int], k: int) -> None:
    assume(sum(x) > 0)
    assert dissimilarity(x, [k * v for v in x]) == pytest.approx(0.0, abs=1e-12)


@given(st.data())
def test_dissimilarity_symmetric(data: st.DataObject) -> None:
    x = data.draw(area_counts)
    y = data.draw(st.lists(counts, min_size=len(x), max_size=len(x)))
    assume(sum(x) > 0 and sum(y) > 0)
    assert dissimilarity(x, y) == pytest.approx(dissimilarity(y, x), abs=1e-12)


@given(
    st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=15),
    st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=15),
)
def test_dissimilarity_one_for_separated_groups(xs: list[int], ys: list[int]) -> None:
    # group x lives only in the first areas, group y only in the last areas
    x = xs + [0] * len(ys)
    y = [0] * len(xs) + ys
    assert dissimilarity(x, y) == pytest.approx(1.0)


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(finite, finite)
def test_gap_antisymmetric(a: float, b: float) -> None:
    assert gap_pp(a, b) == -gap_pp(b, a)


@given(st.lists(counts, min_size=1, max_size=20))
def test_shares_of_partition_sum_to_100(parts: list[int]) -> None:
    total = sum(parts)
    assume(total > 0)
    shares = share(np.array(parts), total)
    assert shares.sum() == pytest.approx(100.0)
    assert (shares >= 0).all()


@settings(max_examples=50)
@given(st.lists(st.integers(min_value=-1000, max_value=1000), min_size=1, max_size=10))
def test_zero_denominator_is_nan(numerators: list[int]) -> None:
    zeros = np.zeros(len(numerators))
    assert np.isnan(rate(np.array(numerators), zeros)).all()
    assert np.isnan(share(pd.Series(numerators), pd.Series(zeros))).all()
    for n in numerators:
        assert math.isnan(share(n, 0)) and math.isnan(rate(n, 0))


@given(finite, finite.filter(lambda v: abs(v) >= 1e-3))
def test_change_relative_consistent_with_ratio(value: float, previous: float) -> None:
    assert change_relative(value, previous) == pytest.approx(
        (ratio(value, previous) - 1) * 100, rel=1e-9, abs=1e-6
    )

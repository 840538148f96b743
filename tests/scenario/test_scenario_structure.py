"""Structure of the arrivals: age/sex shares, district shares, fallbacks."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from bielefeld_integration import scenario as sc
from bielefeld_integration.errors import DataError
from bielefeld_integration.geography import STADTBEZIRKE
from bielefeld_integration.tables import ARRIVAL_AGE_GROUPS


def test_age_sex_and_districts_of_the_tiny_world(load: Callable) -> None:
    st = sc.estimate_structure(["2014"], load)
    assert st.variants == ["gepoolt"]
    shares = st.age_sex("zuweisung")
    assert shares.shape == (2, len(ARRIVAL_AGE_GROUPS))
    assert shares.sum() == pytest.approx(1.0)
    # 60 of 100 assigned persons are men aged 25-44
    assert shares[0, ARRIVAL_AGE_GROUPS.index("25-44")] == pytest.approx(0.6)
    districts = st.districts("zuweisung")
    assert districts[list(STADTBEZIRKE).index("01")] == pytest.approx(0.75)
    assert districts.sum() == pytest.approx(1.0)


def test_variants_per_period_and_fallbacks(load: Callable) -> None:
    st = sc.estimate_structure(["2013", "2014"], load)
    assert st.variants == ["gepoolt", "2013", "2014"]
    # 2013 had no EU arrivals: the single period falls back to the pooled structure
    np.testing.assert_allclose(st.age_sex("eu", variant="2013"), st.age_sex("eu"))
    # a nationality group without arrivals in the channel falls back to the channel
    np.testing.assert_allclose(st.age_sex("zuweisung", "Polen"), st.age_sex("zuweisung"))


def test_missing_channel_asks_for_a_structure(load: Callable) -> None:
    st = sc.estimate_structure(["2013"], load)
    with pytest.raises(DataError, match=r"age_structure\.eu"):
        st.age_sex("eu")
    with pytest.raises(DataError, match=r"district_shares\.eu"):
        st.districts("eu")
    with pytest.raises(DataError, match="keine Referenzjahre"):
        sc.estimate_structure([], load)

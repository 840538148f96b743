"""The disclosure stage on the whole demo store: published.parquet against an LP attacker.

The attacker takes everything ``published.parquet`` shows — every period, every area,
group, breakdown and indicator — writes down every additivity line the catalogue implies,
knows that each ``.`` is at least 1, and minimises and maximises every hidden quantity.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bielefeld_integration import store
from bielefeld_integration.disclosure.indicator_table import (
    PUBLISHED_COLUMNS,
    attack,
    revealing_values,
)
from bielefeld_integration.disclosure.stage import LOG_FILE, publish
from bielefeld_integration.errors import DataError


@pytest.fixture(scope="module")
def demo(demo_store: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    truth = pd.read_parquet(demo_store / store.INDICATORS_FILE)
    return truth, store.published(demo_store)


@pytest.fixture(scope="module")
def attacked(demo: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    truth, published = demo
    return attack(truth, published)


def test_published_table_has_the_rows_of_the_indicator_table(demo, demo_store: Path) -> None:
    truth, published = demo
    assert list(published.columns) == PUBLISHED_COLUMNS
    keys = ["period", "indicator", "area_level", "area_code", "group", "breakdown"]
    keys.append("breakdown_value")
    pd.testing.assert_frame_equal(truth[keys], published[keys])
    assert sorted(set(published["period"])) == store.periods(demo_store)


def test_something_is_hidden_in_every_period(demo) -> None:
    _, published = demo
    hidden = published[published["numerator_symbol"] == "."]
    assert set(hidden["period"]) == set(published["period"])


def test_lp_attack_recovers_nothing_in_any_period(attacked: pd.DataFrame) -> None:
    assert len(attacked) > 500
    width = attacked["upper"] - attacked["lower"]
    assert (width >= 3 - 1e-6).all(), attacked[width < 3]
    narrowed = (attacked["lower"] >= 1 - 1e-6) & (attacked["upper"] <= 2 + 1e-6)
    assert not narrowed.any()
    assert attacked["protected"].all()
    # the attacker's model is right: each true value lies in its interval
    v = attacked["value"]
    assert ((attacked["lower"] <= v + 1e-6) & (v <= attacked["upper"] + 1e-6)).all()


def test_the_small_counts_are_among_the_hidden(attacked: pd.DataFrame, demo) -> None:
    _, published = demo
    assert ((attacked["value"] > 0) & (attacked["value"] < 3)).sum() > 50
    for col in ("numerator", "denominator"):
        x = published[col]
        assert not ((x > 0) & (x < 3)).any()
    counts = published.loc[published["kind"] == "count", "value"]
    assert not ((counts > 0) & (counts < 3)).any()


def test_derived_values_never_reveal_a_hidden_count(demo) -> None:
    truth, published = demo
    assert revealing_values(truth, published).empty
    shares = published[published["kind"].isin(["share", "rate"])]
    assert (shares["symbol"] == ".").any()  # values hidden with their counts


def test_one_marker_and_no_flag_gives_the_pattern_away(demo) -> None:
    _, published = demo
    assert not published["flags"].str.contains("suppress").any()
    for col in ("symbol", "numerator_symbol", "denominator_symbol"):
        assert set(published[col]) <= {"", ".", "-", "/", "x", "..."}
    slash = published["symbol"] == "/"
    assert published.loc[slash, ["value", "numerator", "denominator"]].isna().all().all()


def test_stage_is_deterministic_and_keeps_its_log_internal(
    demo_store: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "store"
    copy.mkdir()
    shutil.copy(demo_store / store.INDICATORS_FILE, copy / store.INDICATORS_FILE)
    report = publish(copy)
    assert report.unprotected == 0 and report.primary > 0 and report.secondary > 0
    assert (copy / store.PUBLISHED_FILE).read_bytes() == (
        demo_store / store.PUBLISHED_FILE
    ).read_bytes()
    log = pd.read_parquet(copy / LOG_FILE)
    assert set(log["reason"]) == {"primary", "secondary"}
    # hidden cells are counted from the protection, not from the "." signs (a table never
    # delivered for a past period is "." too, but hides no count)
    assert report.hidden_cells == len(log)
    assert (copy / store.PUBLISHED_FILE).stat().st_mode & 0o777 == 0o644


def test_stale_or_missing_published_table_is_refused(demo_store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "store"
    copy.mkdir()
    with pytest.raises(DataError, match="keine veröffentlichte"):
        store.published(copy)
    with pytest.raises(DataError, match="keine Indikatortabelle"):
        publish(copy)
    truth = pd.read_parquet(demo_store / store.INDICATORS_FILE)
    shutil.copy(demo_store / store.PUBLISHED_FILE, copy / store.PUBLISHED_FILE)
    truth.assign(unit="anders").to_parquet(copy / store.INDICATORS_FILE, index=False)
    with pytest.raises(DataError, match="veraltet"):
        store.published(copy)


def test_values_of_published_cells_are_the_true_values(demo) -> None:
    truth, published = demo
    for col in ("value", "numerator", "denominator"):
        shown = published[col].notna().to_numpy()
        np.testing.assert_array_equal(
            published[col].to_numpy()[shown], truth[col].to_numpy(dtype="float64")[shown]
        )

"""Disclosure control per period, with the result of each period's problem cached.

(Named ``test_disclosure_cache`` because ``tests/report`` has a ``test_cache`` module too.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bielefeld_integration import store
from bielefeld_integration.disclosure.cache import CACHE_DIR, blocks, protect_by_period
from bielefeld_integration.disclosure.indicator_table import (
    Protection,
    attack,
    protect_indicators,
    revealing_values,
)
from bielefeld_integration.disclosure.quantities import Quantities
from bielefeld_integration.disclosure.secondary import protect
from bielefeld_integration.disclosure.stage import LOG_FILE, publish
from bielefeld_integration.pipeline import build_stages

OUTPUTS = (Path(store.PUBLISHED_FILE), LOG_FILE)


def _outputs(data: Path) -> dict[Path, bytes]:
    return {name: (data / name).read_bytes() for name in OUTPUTS}


def _indicator_store(demo_store: Path, target: Path) -> Path:
    target.mkdir()
    shutil.copy(demo_store / store.INDICATORS_FILE, target / store.INDICATORS_FILE)
    return target


@pytest.fixture(scope="module")
def protection(demo_store: Path) -> Protection:
    return protect_indicators(pd.read_parquet(demo_store / store.INDICATORS_FILE))


def test_no_line_links_two_periods(protection: Protection, demo_store: Path) -> None:
    q = protection.quantities
    linked = pd.DataFrame({"eq": q.eq, "period": q.period[q.var]}).groupby("eq")["period"]
    assert linked.nunique().max() == 1
    found = blocks(q)
    assert [periods for periods, _ in found] == [(p,) for p in store.periods(demo_store)]
    ids = np.concatenate([ids for _, ids in found])
    assert sorted(ids.tolist()) == list(range(len(q.values)))


def test_period_by_period_equals_one_joint_problem(protection: Protection) -> None:
    q = protection.quantities
    published = q.published
    primary = (q.values > 0) & (q.values < 3)
    joint, result = protect(
        q.values,
        q.eq,
        q.var,
        q.coef,
        primary,
        cost=q.cost,
        unshown=~published & ~primary,
        nonneg=q.nonneg,
        eligible=published & q.nonneg,
        threshold=3,
    )
    np.testing.assert_array_equal(protection.secret, joint)
    np.testing.assert_array_equal(protection.audit.protected, result.protected)
    assert not len(protection.audit.failing)


def test_periods_linked_by_a_line_are_solved_together() -> None:
    # 2016: a = b + c is linked to the 2017 quantity d by a (constructed) line; 2018 alone
    values = np.array([9.0, 2, 7, 9, 5])
    q = Quantities(
        values=values,
        cell_var=np.zeros((0, 2), dtype=np.int64),
        shown=np.zeros((0, 2), dtype=bool),
        eq=np.array([0, 0, 0, 1, 1]),
        var=np.array([0, 1, 2, 0, 3]),
        coef=np.array([1.0, -1, -1, 1, -1]),
        nonneg=np.ones(5, dtype=bool),
        cost=values.copy(),
        source_row=np.zeros(0, dtype=np.int64),
        source_var=np.zeros(0, dtype=np.int64),
        period=np.array(["2016", "2016", "2016", "2017", "2018"], dtype=object),
    )
    found = blocks(q)
    assert [(p, ids.tolist()) for p, ids in found] == [
        (("2016", "2017"), [0, 1, 2, 3]),
        (("2018",), [4]),
    ]
    primary = (values > 0) & (values < 3)
    secret, result = protect_by_period(
        q,
        primary,
        unshown=np.zeros(5, dtype=bool),
        eligible=np.ones(5, dtype=bool),
        threshold=3,
    )
    joint, _ = protect(values, q.eq, q.var, q.coef, primary, cost=q.cost, threshold=3)
    np.testing.assert_array_equal(secret, joint)
    assert secret[1] and secret.sum() >= 2 and not len(result.failing)


def test_cached_stage_is_byte_identical_and_force_solves_every_period(
    demo_store: Path, tmp_path: Path
) -> None:
    data = _indicator_store(demo_store, tmp_path / "store")
    first = publish(data)
    n = len(store.periods(demo_store))
    assert (first.periods_audited, first.periods_reused) == (n, 0)
    full = _outputs(data)
    assert full[OUTPUTS[0]] == (demo_store / store.PUBLISHED_FILE).read_bytes()
    again = publish(data)
    assert (again.periods_audited, again.periods_reused) == (0, n)
    assert _outputs(data) == full
    assert (again.primary, again.secondary, again.hidden_cells) == (
        first.primary,
        first.secondary,
        first.hidden_cells,
    )
    forced = publish(data, force=True)
    assert (forced.periods_audited, forced.periods_reused) == (n, 0)
    assert _outputs(data) == full


def _publish_in_process(data: Path, seed: str, *extra: str) -> str:
    code = (
        "import sys\n"
        "from bielefeld_integration.disclosure.stage import publish\n"
        "r = publish(sys.argv[1], force=len(sys.argv) > 2)\n"
        "print(r.periods_audited, r.periods_reused)\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", code, str(data), *extra],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_cache_keys_are_the_same_in_every_process(demo_store: Path, tmp_path: Path) -> None:
    # the quantities number their lines in the order of Python sets, which differs between
    # processes with other hash seeds; the key must not
    data = _indicator_store(demo_store, tmp_path / "store")
    n = len(store.periods(demo_store))
    assert _publish_in_process(data, "1", "--force") == f"{n} 0"
    full = _outputs(data)
    assert _publish_in_process(data, "2") == f"0 {n}"
    assert _outputs(data) == full


def test_damaged_entry_is_solved_again(demo_store: Path, tmp_path: Path) -> None:
    data = _indicator_store(demo_store, tmp_path / "store")
    publish(data)
    full = _outputs(data)
    entries = sorted((data / CACHE_DIR / "disclosure").glob("*.npz"))
    entries[0].write_bytes(entries[0].read_bytes()[:50])
    report = publish(data)
    assert (report.periods_audited, report.periods_reused) == (1, len(entries) - 1)
    assert _outputs(data) == full
    shutil.rmtree(data / CACHE_DIR)  # the cache may be deleted at any time
    assert publish(data).periods_audited == len(entries)
    assert _outputs(data) == full


def test_changed_delivery_re_audits_its_period_and_the_result_withstands_the_attack(
    demo_store: Path, tmp_path: Path
) -> None:
    data = tmp_path / "store"
    shutil.copytree(demo_store, data)
    path = data / "2019" / "population.parquet"
    df = pd.read_parquet(path)
    df.loc[0, "count"] += 1
    df.to_parquet(path, index=False)

    stages = build_stages(data)
    assert (stages.disclosure.periods_audited, stages.disclosure.periods_reused) == (1, 5)
    assert 0 < stages.evaluated < stages.evaluated + stages.reused
    assert stages.summary().endswith("Geheimhaltung: 1 Berichtsjahr neu geprüft, 5 wiederverwendet")
    incremental = _outputs(data)
    indicators = (data / store.INDICATORS_FILE).read_bytes()
    build_stages(data, force=True)
    assert _outputs(data) == incremental
    assert (data / store.INDICATORS_FILE).read_bytes() == indicators

    truth = pd.read_parquet(data / store.INDICATORS_FILE)
    published = store.published(data)
    attacked = attack(truth, published)
    assert len(attacked) > 500 and attacked["protected"].all()
    assert (attacked["upper"] - attacked["lower"] >= 3 - 1e-6).all()
    assert revealing_values(truth, published).empty

"""Benchmark of the indicator engine (:func:`bielefeld_integration.indicators.compute.compute`).

Two cases:

1. **demo**: every computable indicator for every period of the processed demo store and
   all areas (city, 10 Stadtbezirke, 72 Statistische Bezirke), reading the parquet files
   (cold) and with the tables already in memory (warm). Target: < 2 s.
2. **scaled**: a synthetic city with ``--areas`` Statistische Bezirke (default 400, in the
   10 Stadtbezirke) and ``--periods`` reporting years (default 20), built by replicating
   and perturbing the tables of one demo period (or, without a store, the test fixtures).

For both cases the **disclosure stage** (primary and secondary suppression with the LP
interval audit, :func:`bielefeld_integration.disclosure.indicator_table.publishable`, one
BLAS thread) is timed once, with the number of hidden quantities, so that ``indicators
--all`` with suppression can be compared with the computation alone.

Time is the CPU time of the process (``time.process_time``; the best of ``--repeat`` runs
for the computation), so that runs on a busy machine can be compared; peak memory is measured in a
separate run with :mod:`tracemalloc` (Python and numpy allocations) and reported together
with the process's maximum resident set size.

Usage::

    .venv/bin/python benchmarks/bench_indicators.py [--data DIR] [--areas 400] [--periods 20]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from threadpoolctl import threadpool_limits  # noqa: E402

from bielefeld_integration import store  # noqa: E402
from bielefeld_integration.disclosure.indicator_table import (  # noqa: E402
    apply,
    protect_indicators,
)
from bielefeld_integration.indicators.catalogue import load_catalogue  # noqa: E402
from bielefeld_integration.indicators.compute import compute  # noqa: E402
from bielefeld_integration.tables import TABLES  # noqa: E402

FIXTURES = ROOT / "tests" / "data" / "indicators"
Frames = dict[tuple[str, str], pd.DataFrame]


def _best_of(fn: Callable[[], pd.DataFrame], repeat: int) -> tuple[float, pd.DataFrame]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.process_time()
        out = fn()
        best = min(best, time.process_time() - t0)
    assert out is not None
    return best, out


def _peak_mib(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def _loader(frames: Frames) -> Callable[[str, str], pd.DataFrame | None]:
    def load(table: str, period: str) -> pd.DataFrame | None:
        return frames.get((table, period))

    return load


def _read_store(data: Path, periods: list[str]) -> Frames:
    frames: Frames = {}
    for p in periods:
        for table in TABLES:
            if store.has_table(table, p, data):
                frames[(table, p)] = store.load(table, p, data)
    return frames


def _read_fixtures() -> tuple[Frames, str]:
    frames: Frames = {}
    for csv in sorted((FIXTURES / "2016").glob("*.csv")):
        spec = TABLES[csv.stem]
        df = pd.read_csv(csv, dtype={c: str for c in spec.columns}, keep_default_na=False)
        for c in spec.counts:
            df[c] = df[c].astype("int64")
        df["reference_date"] = "2016-12-31"
        frames[(csv.stem, "2016")] = df
    return frames, "2016"


def synthetic(base: Frames, base_period: str, n_areas: int, n_periods: int) -> Frames:
    """Replicate and perturb one period's tables: ``n_areas`` Stat. Bezirke, ``n_periods`` years.

    Tables with Statistische Bezirke get ``n_areas`` of them (distributed over the existing
    Stadtbezirke, codes ``<SB><nn>``); every count is multiplied by a log-normal factor
    (sigma 0.1) per period and rounded. Periods are ``2000``, ``2001``, ...
    """
    rng = np.random.default_rng(20170)
    years = [str(2000 + i) for i in range(n_periods)]
    out: Frames = {}
    for (table, period), df in base.items():
        if period != base_period:
            continue
        spec = TABLES[table]
        if "stat_bezirk" in df.columns:
            units = sorted(df["stat_bezirk"].unique())
            copies = []
            for k in range(-(-n_areas // len(units))):
                part = df.copy()
                part["_unit"] = part["stat_bezirk"].map({u: i for i, u in enumerate(units)})
                part["_unit"] += k * len(units)
                copies.append(part)
            big = pd.concat(copies, ignore_index=True)
            big = big[big["_unit"] < n_areas]
            # renumber within each Stadtbezirk: <SB><nn> (nn may exceed 99 -> 3 digits)
            big["_n"] = big.groupby("stadtbezirk")["_unit"].rank(method="dense").astype(int)
            big["stat_bezirk"] = big["stadtbezirk"] + big["_n"].map("{:02d}".format)
            df = big.drop(columns=["_unit", "_n"])
        for year in years:
            part = df.copy()
            for c in spec.counts:
                factor = rng.lognormal(0.0, 0.1, len(part))
                part[c] = np.rint(part[c].to_numpy() * factor).astype("int64")
            part["reference_date"] = part["reference_date"].str.replace(
                base_period, year, regex=False
            )
            out[(table, year)] = part.reset_index(drop=True)
    return out


def _disclosure(label: str, df: pd.DataFrame, compute_seconds: float) -> None:
    """Time the disclosure stage once and print it beside the computation."""
    with threadpool_limits(limits=1, user_api="blas"):
        t0 = time.process_time()
        protection = protect_indicators(df)
        apply(protection)
        t = time.process_time() - t0
    line = f"  disclosure stage, {label}"
    print(f"{line:<44} {len(df):>8} {t:>8.3f}")
    print(
        f"    hidden quantities: {int(protection.primary.sum())} primary, "
        f"{int(protection.secondary.sum())} secondary; not protected after the audit: "
        f"{len(protection.audit.failing)}; with suppression / without: "
        f"{(compute_seconds + t) / compute_seconds:.1f}x"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="processed store")
    parser.add_argument("--areas", type=int, default=400)
    parser.add_argument("--periods", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--no-scaled-disclosure", action="store_true", help="skip the stage on the scaled data"
    )
    args = parser.parse_args(argv)

    n_ind = len(load_catalogue().computable())
    periods = store.periods(args.data)
    print(f"indicator engine benchmark: {n_ind} computable indicators")
    print(f"{'case':<44} {'rows':>8} {'cpu s':>8} {'peak MiB':>9}")

    if periods:
        t, df = _best_of(lambda: compute(periods, data=args.data), args.repeat)
        peak = _peak_mib(lambda: compute(periods, data=args.data))
        label = f"demo cold, {len(periods)} periods, 83 areas (parquet)"
        print(f"{label:<44} {len(df):>8} {t:>8.3f} {peak:>9.1f}")
        frames = _read_store(args.data, periods)
        load = _loader(frames)
        t, df = _best_of(lambda: compute(periods, load=load), args.repeat)
        peak = _peak_mib(lambda: compute(periods, load=load))
        label = f"demo warm, {len(periods)} periods (tables in memory)"
        print(f"{label:<44} {len(df):>8} {t:>8.3f} {peak:>9.1f}")
        _disclosure("demo", df, t)
        base_period = "2017" if "2017" in periods else periods[-1]
    else:
        print("(no processed store: scaling the test fixtures instead)")
        frames, base_period = _read_fixtures()

    big = synthetic(frames, base_period, args.areas, args.periods)
    big_periods = sorted({p for _, p in big})
    load = _loader(big)
    t, df = _best_of(lambda: compute(big_periods, load=load), args.repeat)
    peak = _peak_mib(lambda: compute(big_periods, load=load))
    n_input = sum(len(v) for v in big.values())
    label = f"scaled, {args.periods} periods, {args.areas} Stat. Bezirke"
    print(f"{label:<44} {len(df):>8} {t:>8.3f} {peak:>9.1f}")
    print(f"  (scaled input: {n_input:,} table rows)")
    if not args.no_scaled_disclosure:
        _disclosure("scaled", df, t)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max resident set size of the process: {maxrss:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

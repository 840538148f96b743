"""`make bench`: ingest, indicator and report benchmarks on the demo data.

Prints wall-clock times: ingest, the indicator engine, and the report build (full, no-op,
one changed delivery, and the naive papermill + nbconvert CLI way, with the page counts and
ratios; see ``bench_build.py``). Timings are measured here, never asserted in tests.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"


def bench_ingest() -> Path:
    from bielefeld_integration.ingest import ingest_all

    data = Path(tempfile.mkdtemp(prefix="bench-processed-"))
    start = time.perf_counter()
    ingest_all(ROOT / "data" / "raw", data)
    print(f"ingest --all (6 Berichtsjahre): {time.perf_counter() - start:.1f} s")
    return data


def main() -> int:
    data = bench_ingest()
    from bielefeld_integration.pipeline import build_indicators

    _, stage = build_indicators(data)  # indicators.parquet + published.parquet
    print(f"disclosure stage (demo store, once per build): {stage.seconds:.1f} s")
    steps = [
        [sys.executable, str(BENCH / "bench_indicators.py"), "--data", str(data)],
        [sys.executable, str(BENCH / "bench_build.py")],
    ]
    for cmd in steps:
        if not Path(cmd[1]).is_file():
            continue
        print(
            f"\n$ {' '.join(Path(c).name if c.startswith('/') else c for c in cmd[1:])}", flush=True
        )
        rc = subprocess.call(cmd, cwd=ROOT)
        if rc:
            return rc
    return 0


if __name__ == "__main__":
    sys.exit(main())

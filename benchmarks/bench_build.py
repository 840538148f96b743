"""Benchmark of incremental builds: full, no-op, one changed delivery, and the naive way.

Runs ``bielefeld-integration report --all`` as a user would, on a copy of the demo
deliveries in a temporary folder:

1. **full**: empty processed store and build cache, every page executed;
2. **no-op**: the same command again, nothing changed;
3. **one change**: one delivery file of the latest period edited (its manifest hash
   updated), so that period is ingested again and its pages (and only those) re-executed;
4. **naive**: ``papermill`` + ``jupyter nbconvert`` per page, one process each, for the
   pages of the latest period (the full site would take many minutes); its time per page is
   compared with the full build's.

Prints seconds, the page counts from the command's final line and the ratios. The package
is run from a snapshot of its code taken at the start (``PYTHONPATH``), so that edits in
the checkout during the benchmark do not count as changes (the build keys include the code).

Usage::

    .venv/bin/python benchmarks/bench_build.py [--skip-naive]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SUMMARY_RE = re.compile(r"(\d+) Seiten? neu berechnet, (\d+) wiederverwendet")


def report(raw: Path, data: Path, out: Path, *extra: str) -> tuple[float, int, int]:
    """Run ``report --all``; return seconds, pages executed and pages reused."""
    command = [str(BIN / "bielefeld-integration"), "report", "--all"]
    command += ["--raw", str(raw), "--data", str(data), "--output", str(out), *extra]
    started = time.perf_counter()
    env = dict(
        os.environ,
        BIELEFELD_OFFICIAL_DIR=str(ROOT / "data" / "official"),
        PYTHONPATH=str(raw.parent / "code"),
    )
    done = subprocess.run(command, capture_output=True, text=True, cwd=raw.parent, env=env)
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"report failed with exit code {done.returncode}")
    match = SUMMARY_RE.search(done.stdout)
    if not match:
        raise SystemExit(f"no page counts in the output:\n{done.stdout}")
    return seconds, int(match.group(1)), int(match.group(2))


def change_one_delivery(raw: Path) -> str:
    """Edit the measures register of the latest period and update its manifest hash."""
    period = max(p.name for p in raw.iterdir() if (p / "sources.yaml").is_file())
    path = raw / period / "massnahmen.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Elternbegleiterinnen", "Elternbegleiterinnen (neu)", 1))
    manifest = raw / period / "sources.yaml"
    doc = manifest.read_text(encoding="utf-8")
    entries = yaml.safe_load(doc)
    files = entries["files"] if isinstance(entries, dict) else entries
    old = next(e["sha256"] for e in files if e["file"] == path.name)
    new = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest.write_text(doc.replace(old, new), encoding="utf-8")
    return f"{period}/{path.name}"


def naive(data: Path, period: str, out: Path, code: Path) -> tuple[float, int]:
    """papermill + nbconvert CLI per page of one period; return seconds and pages."""
    # the same snapshot of the code as the builds, here and in the kernels
    sys.path[:0] = [str(code), str(ROOT / "benchmarks")]
    os.environ["PYTHONPATH"] = str(code)
    os.environ["BIELEFELD_OFFICIAL_DIR"] = str(ROOT / "data" / "official")
    from bench_report import run_naive

    from bielefeld_integration.geography import STADTBEZIRKE
    from bielefeld_integration.report.chapters import CHAPTERS
    from bielefeld_integration.report.resources import NOTEBOOKS_DIR

    districts = list(STADTBEZIRKE)
    pages = sum(len(districts) if c.per_district else 1 for c in CHAPTERS)
    seconds = run_naive(CHAPTERS, [period], districts, NOTEBOOKS_DIR, data, out)
    return seconds, pages


def main(argv: list[str] | None = None) -> int:
    """Run the four measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = Path(tmp)
        raw, data, out = work / "raw", work / "processed", work / "reports"
        shutil.copytree(ROOT / "data" / "raw", raw)
        shutil.copytree(
            ROOT / "bielefeld_integration",
            work / "code" / "bielefeld_integration",
            ignore=shutil.ignore_patterns("__pycache__"),
        )

        full, executed, reused = report(raw, data, out)
        total = executed + reused
        print(f"full build:      {full:7.1f} s  ({executed} Seiten neu, {reused} wiederverwendet)")
        noop, executed, reused = report(raw, data, out)
        print(f"no-op rebuild:   {noop:7.1f} s  ({executed} Seiten neu, {reused} wiederverwendet)")
        changed = change_one_delivery(raw)
        one, executed, reused = report(raw, data, out)
        print(
            f"one change:      {one:7.1f} s  ({executed} Seiten neu, {reused} wiederverwendet; "
            f"geändert: {changed})"
        )
        print(f"ratios: no-op/full {noop / full:.2f}, one change/full {one / full:.2f}")
        if args.skip_naive:
            return 0
        period = changed.split("/")[0]
        seconds, pages = naive(data, period, work / "naive", work / "code")
        per_page_full = full / total
        print(
            f"naive ({pages} Seiten von {period}): {seconds:7.1f} s "
            f"({seconds / pages:.2f} s je Seite; full build {per_page_full:.2f} s je Seite, "
            f"{seconds / pages / per_page_full:.1f}-mal so schnell; "
            f"hochgerechnet auf {total} Seiten {seconds / pages * total:.0f} s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of incremental builds: full, no-op, changed deliveries, and the naive way.

Runs ``bielefeld-integration report --all`` as a user would, on a copy of the demo
deliveries in a temporary folder:

1. **first build** of every year but the newest: empty store and caches;
2. **new year**: the newest year's deliveries arrive: its pages are executed, the older
   pages only get the new navigation (laid out anew from their stored runs);
3. **no-op**: the same command again, nothing changed;
4. **register changed**: one measure renamed in the register of the latest period (its
   manifest hash updated): one file ingested again, the pages that read the register
   re-executed;
5. **count changed**: one count of the latest period's volunteering delivery changed: one
   file ingested, the indicators that read it recomputed, that year's disclosure re-checked,
   and the pages that show those indicators re-executed;
6. **full build** (``--force``) into another folder: the reference for the ratios, and its
   files must be byte-identical to the incremental site;
7. **naive**: ``papermill`` + ``jupyter nbconvert`` per page, one process each, for twelve
   pages of the latest period (the full site would take many minutes); its time per page is
   compared with the full build's.

Prints seconds, the stage lines and page counts of the command's output, the pages that
were executed, and the ratios. The package is run from a snapshot of its code taken at the
start (``PYTHONPATH``), so that edits in the checkout during the benchmark do not count as
changes (the build keys include the code).

Usage::

    .venv/bin/python benchmarks/bench_build.py [--skip-naive]
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SUMMARY_RE = re.compile(r"(\d+) Seiten? neu berechnet, (\d+) wiederverwendet")


def report(raw: Path, data: Path, out: Path, *extra: str) -> tuple[float, int, int, str]:
    """Run ``report --all``; return seconds, pages executed and reused, and what it printed."""
    command = [str(BIN / "bielefeld-integration"), "report", "--all"]
    command += ["--raw", str(raw), "--data", str(data), "--output", str(out), *extra]
    started = time.perf_counter()
    env = dict(
        os.environ,
        BIELEFELD_OFFICIAL_DIR=str(ROOT / "data" / "official"),
        SOURCE_DATE_EPOCH="1700000000",  # one generation time: the builds can be compared
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
    return seconds, int(match.group(1)), int(match.group(2)), done.stdout


def _rehash(raw: Path, path: Path, old_bytes: bytes) -> None:
    """Put the new SHA-256 of ``path`` into its period's manifest."""
    manifest = path.parent / "sources.yaml"
    old = hashlib.sha256(old_bytes).hexdigest()
    new = hashlib.sha256(path.read_bytes()).hexdigest()
    doc = manifest.read_text(encoding="utf-8")
    if old not in doc:
        raise SystemExit(f"{path.name} is not in {manifest}")
    manifest.write_text(doc.replace(old, new), encoding="utf-8")


def latest(raw: Path) -> str:
    return max(p.name for p in raw.iterdir() if (p / "sources.yaml").is_file())


def change_register(raw: Path) -> str:
    """Rename one measure in the register of the latest period; update its manifest hash."""
    path = raw / latest(raw) / "massnahmen.csv"
    before = path.read_bytes()
    text = before.decode("utf-8")
    path.write_text(text.replace("Elternbegleiterinnen", "Elternbegleiterinnen (neu)", 1))
    _rehash(raw, path, before)
    return f"{path.parent.name}/{path.name}"


def change_count(raw: Path) -> str:
    """Add one registered volunteer in the latest period's delivery; update its hash."""
    period = latest(raw)
    path = raw / period / f"ki_engagement_{period}.csv"
    before = path.read_bytes()
    text = before.decode("utf-8")
    found = re.search(r"(Registrierte Ehrenamtliche[^;]*);(\d+)", text)
    if not found:
        raise SystemExit(f"no count of volunteers in {path}")
    changed = f"{found.group(1)};{int(found.group(2)) + 1}"
    path.write_bytes(text.replace(found.group(0), changed, 1).encode("utf-8"))
    _rehash(raw, path, before)
    return f"{period}/{path.name}"


def stage_lines(printed: str) -> list[str]:
    """The command's lines on ingest, indicators, disclosure and executed pages."""
    keep = ("Lieferungen", "Indikatoren", "Geheimhaltung", "Neu berechnet")
    return [line.strip() for line in printed.splitlines() if line.strip().startswith(keep)]


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "_failed" not in p.parts
    }


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

    districts = list(STADTBEZIRKE)[:2]  # twelve pages: every chapter, two district profiles
    pages = sum(len(districts) if c.per_district else 1 for c in CHAPTERS)
    seconds = run_naive(CHAPTERS, [period], districts, NOTEBOOKS_DIR, data, out)
    return seconds, pages


def main(argv: list[str] | None = None) -> int:
    """Run the measurements and print them."""
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

        newest = latest(raw)
        shutil.move(raw / newest, work / newest)  # the newest year has not arrived yet
        first, executed, reused, _ = report(raw, data, out)
        print(f"first build, {len(list(raw.iterdir()))} years: {first:7.1f} s  ({executed} Seiten)")
        shutil.move(work / newest, raw / newest)
        times: dict[str, float] = {}
        seconds, executed, reused, printed = report(raw, data, out)
        times["new year"] = seconds
        print(
            f"{'new year ' + newest + ':':18} {seconds:7.1f} s  ({executed} Seiten neu, "
            f"{reused} wiederverwendet)"
        )
        for line in stage_lines(printed):
            print(f"    {line}")
        noop, executed, reused, _ = report(raw, data, out)
        times["no-op"] = noop
        print(
            f"no-op rebuild:     {noop:7.1f} s  ({executed} Seiten neu, {reused} wiederverwendet)"
        )
        changes = (("register changed", change_register), ("count changed", change_count))
        for name, change in changes:
            changed = change(raw)
            seconds, executed, reused, printed = report(raw, data, out)
            times[name] = seconds
            print(
                f"{name + ':':18} {seconds:7.1f} s  ({executed} Seiten neu, {reused} "
                f"wiederverwendet; geändert: {changed})"
            )
            for line in stage_lines(printed):
                print(f"    {line}")
        incremental = snapshot(out)
        full, executed, _, _ = report(raw, data, work / "full", "--force")
        total = executed
        same = snapshot(work / "full") == incremental
        print(
            f"full build (--force): {full:7.1f} s  ({executed} Seiten); "
            f"{'byte-identical' if same else 'DIFFERENT'} to the incremental site"
        )
        print(
            "ratios to the full build: "
            + ", ".join(f"{k} {v / full:.3f}" for k, v in times.items())
        )
        if not same:
            fresh = snapshot(work / "full")
            differ = sorted(
                name
                for name in set(fresh) | set(incremental)
                if fresh.get(name) != incremental.get(name)
            )
            print(f"{len(differ)} files differ: {', '.join(differ[:20])}")
            first = next((n for n in differ if n in fresh and n in incremental), None)
            if first:
                a = incremental[first].decode("utf-8", "replace").splitlines()
                b = fresh[first].decode("utf-8", "replace").splitlines()
                diff = difflib.unified_diff(a, b, "incremental", "full", n=1, lineterm="")
                print("\n".join(line[:300] for line in list(diff)[:40]))
            return 1
        if args.skip_naive:
            return 0
        period = latest(raw)
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

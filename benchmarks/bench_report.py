"""Benchmark: the report runner against the naive way of rendering, in the same run.

The naive way is what the papermill and nbconvert documentation suggest: per page one
``papermill`` CLI call (new interpreter, new kernel, fresh imports) and one
``jupyter nbconvert --to html`` CLI call, one after another. The runner uses a pool of worker
processes, each keeping one kernel alive for many notebooks, and exports in-process.

Both render the same chapters for the same periods into temporary folders; the script
prints both wall-clock times and the ratio.

Usage::

    python benchmarks/bench_report.py                       # test notebooks, 2 periods
    python benchmarks/bench_report.py --notebooks notebooks --chapters default \\
        --data-dir data/processed --periods 2016 2017

``--chapters`` is ``default`` (the full report, ``report.chapters.CHAPTERS``), ``test``
(the three test chapters of ``tests/data/notebooks``) or a list
``slug=notebook.ipynb[,slug=notebook.ipynb:bezirk,...]`` where ``:bezirk`` marks the
per-district chapter.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_NOTEBOOKS = ROOT / "tests" / "data" / "notebooks"
BIN = Path(sys.executable).parent


def parse_chapters(spec: str, notebooks: Path):
    """Chapter list from ``--chapters``."""
    from bielefeld_integration.report.chapters import CHAPTERS, ChapterSpec

    if spec == "default":
        return CHAPTERS
    if spec == "test":
        spec = (
            "index=00_ueberblick.ipynb,bevoelkerung=01_bevoelkerung.ipynb,"
            "bezirk=20_bezirksprofil.ipynb:bezirk"
        )
    chapters = []
    for item in spec.split(","):
        slug, _, notebook = item.strip().partition("=")
        notebook, _, flag = notebook.partition(":")
        chapters.append(
            ChapterSpec(slug, notebook, slug.capitalize(), per_district=flag == "bezirk")
        )
    return tuple(chapters)


def pages(chapters, districts):
    """(chapter, district) of every page of one period."""
    return [
        (chapter, code)
        for chapter in chapters
        for code in (districts if chapter.per_district else [None])
    ]


def run_naive(chapters, periods, districts, notebooks: Path, data_dir: Path, out: Path) -> float:
    """papermill CLI + nbconvert CLI per page, sequentially; returns seconds."""
    from bielefeld_integration.report.parameters import inspect_parameters

    declares_data_dir = {
        c.notebook: "data_dir" in inspect_parameters(notebooks / c.notebook) for c in chapters
    }
    env = dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION="1")
    started = time.perf_counter()
    for period in periods:
        for chapter, district in pages(chapters, districts):
            target = out / period / (chapter.page_id(district) + ".ipynb")
            target.parent.mkdir(parents=True, exist_ok=True)
            command = [
                str(BIN / "papermill"),
                str(notebooks / chapter.notebook),
                str(target),
                "-k",
                "python3",
                "--cwd",
                str(notebooks),
                "--no-progress-bar",
                "-r",
                "period",
                period,
            ]
            if district:
                command += ["-r", "district", district]
            if declares_data_dir[chapter.notebook]:
                command += ["-r", "data_dir", str(data_dir.resolve())]
            subprocess.run(command, check=True, capture_output=True, env=env)
            subprocess.run(
                [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(target)],
                check=True,
                capture_output=True,
                env=env,
            )
    return time.perf_counter() - started


def run_runner(chapters, periods, districts, notebooks, data_dir, out, workers) -> float:
    """The project's runner (all periods in one pool); returns seconds."""
    from bielefeld_integration.report.runner import render_all

    started = time.perf_counter()
    render_all(
        periods,
        chapters=chapters,
        notebooks_dir=notebooks,
        output_dir=out,
        data_dir=data_dir,
        districts=districts,
        workers=workers,
        progress=False,
    )
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", type=Path, default=TEST_NOTEBOOKS)
    parser.add_argument("--chapters", default=None, help="default | test | slug=nb,...")
    parser.add_argument("--periods", nargs="+", default=["2016", "2017"])
    parser.add_argument("--districts", nargs="*", default=None, help="default: all ten")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data" / "processed")
    parser.add_argument("--workers", type=int, default=None, help="default: CPU cores")
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args(argv)

    from bielefeld_integration.geography import STADTBEZIRKE
    from bielefeld_integration.report.runner import default_workers

    spec = args.chapters or ("test" if args.notebooks.resolve() == TEST_NOTEBOOKS else "default")
    chapters = parse_chapters(spec, args.notebooks)
    districts = args.districts if args.districts is not None else list(STADTBEZIRKE)
    n_pages = len(pages(chapters, districts)) * len(args.periods)
    workers = args.workers or default_workers()
    print(
        f"{n_pages} pages ({len(pages(chapters, districts))} per period, periods "
        f"{' '.join(args.periods)}), notebooks {args.notebooks}, {workers} worker(s), "
        f"{os.cpu_count()} CPU(s)"
    )
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        tmp_path = Path(tmp)
        runner = run_runner(
            chapters,
            args.periods,
            districts,
            args.notebooks,
            args.data_dir,
            tmp_path / "runner",
            args.workers,
        )
        print(f"runner: {runner:8.1f} s  ({runner / n_pages:.2f} s per page)")
        if args.skip_naive:
            return 0
        naive = run_naive(
            chapters, args.periods, districts, args.notebooks, args.data_dir, tmp_path / "naive"
        )
        print(f"naive:  {naive:8.1f} s  ({naive / n_pages:.2f} s per page)")
        print(f"ratio:  {naive / runner:8.1f} x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())

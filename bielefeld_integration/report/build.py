"""Execute the planned pages of a report run: from the build cache or in a pool of kernels.

:func:`run_plans` restores every page the build cache (:mod:`.cache`) holds, lays out anew
the pages whose stored run is still right but whose surroundings changed, executes the
other notebooks in a pool of worker processes (:mod:`._worker`, one kept-alive kernel each)
with a progress bar, stores what was made, and publishes each period (one atomic swap of its
folder) as soon as all its pages are done.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from bielefeld_integration.atomic import write_text_atomic
from bielefeld_integration.lock import swap_in
from bielefeld_integration.report import _worker
from bielefeld_integration.report.cache import PageCache, Rendered
from bielefeld_integration.report.errors import ReportError
from bielefeld_integration.report.plan import FAILED_DIR, PeriodPlan
from bielefeld_integration.report.site import PAGES_FILE

__all__ = ["default_workers", "run_plans", "start_pool"]


def default_workers() -> int:
    """Number of worker processes by default: the CPU cores available to this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _publish(plan: PeriodPlan) -> Path:
    """Swap the finished temporary folder in place of ``reports/<period>`` (renames only)."""
    write_text_atomic(  # pages in reading order, for the site index
        plan.tmp_dir / PAGES_FILE, json.dumps(plan.pages, ensure_ascii=False, indent=1) + "\n"
    )
    for folder in [plan.tmp_dir, *[p for p in plan.tmp_dir.rglob("*") if p.is_dir()]]:
        folder.chmod(0o755)
    for file in plan.tmp_dir.rglob("*"):
        if file.is_file():
            file.chmod(0o644)
    swap_in(plan.tmp_dir, plan.final_dir)  # one atomic exchange: the period is never missing
    failed = plan.final_dir.parent / FAILED_DIR
    shutil.rmtree(failed / plan.period, ignore_errors=True)
    if failed.is_dir() and not any(failed.iterdir()):
        failed.rmdir()
    return plan.final_dir


def _mp_context() -> multiprocessing.context.BaseContext:
    """Start method of the workers.

    ``forkserver`` where available: a clean server process (no threads, no kernel sockets of
    the caller, e.g. when the runner is called from Jupyter) imports papermill and nbconvert
    once, and every worker is forked from it without importing them again. Elsewhere
    ``spawn``.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["bielefeld_integration.report._worker"])
        return context
    return multiprocessing.get_context("spawn")  # pragma: no cover - not on Linux


def start_pool(n_workers: int, cwd: Path, start_timeout: float) -> ProcessPoolExecutor:
    """Start the worker processes; each boots its kernel while the caller keeps validating."""
    pool = ProcessPoolExecutor(
        max_workers=n_workers,
        mp_context=_mp_context(),
        initializer=_worker.warm_up,
        initargs=(str(cwd.resolve()), float(start_timeout)),
    )
    for _ in range(n_workers):
        pool.submit(_worker.noop)
    return pool


def run_plans(
    plans: list[PeriodPlan],
    start_pool: Callable[[int], ProcessPoolExecutor],
    *,
    cache: PageCache,
    force: bool,
    workers: int,
    progress: bool,
    published: Rendered,
) -> Rendered:
    """Execute the pages not in the cache; publish each period when it is complete."""
    keys = cache.restore_plans(plans, force=force)
    published.reused = sum(len(p.results) for p in plans)
    total = sum(len(p.jobs) for p in plans)
    relayout = {i for i, pending in keys.items() if pending.executed is not None}
    for plan in plans:
        if len(plan.results) == len(plan.jobs):
            published.append(_publish(plan))
    if not keys:
        return published
    pending_by_plan = {id(p): len(p.jobs) - len(p.results) for p in plans}
    description = (
        f"Bericht {plans[0].period}" if len(plans) == 1 else f"Berichte ({len(plans)} Jahre)"
    )
    bar = tqdm(
        total=total,
        initial=published.reused,
        desc=description,
        unit="Seite",
        disable=not progress,
        postfix=f"{published.reused} wiederverwendet",
    )
    pool = None
    try:
        pool = start_pool(min(workers, len(keys)))
        futures: dict[Future[dict[str, Any]], tuple[PeriodPlan, dict[str, Any]]] = {}
        for plan in plans:
            for job in plan.jobs:
                pending = keys.get(id(job))
                if pending is None:
                    continue
                if pending.executed is not None:  # only the layout changed
                    future = pool.submit(_worker.export_job, job, str(pending.executed))
                else:
                    job["executed_path"] = str(cache.incoming(pending.recipe))
                    future = pool.submit(_worker.run_job, job)
                futures[future] = (plan, job)
        remaining = set(futures)
        while remaining:
            done, remaining = wait(remaining, return_when=FIRST_COMPLETED)
            for future in done:
                plan, job = futures[future]
                try:
                    result = future.result()
                except BrokenProcessPool:
                    raise ReportError(
                        "Ein Arbeitsprozess des Berichtslaufs ist unerwartet beendet worden "
                        "(zu wenig Speicher?). Es wurde nichts veröffentlicht."
                    ) from None
                pending = keys[id(job)]
                if id(job) in relayout:  # the downloads are the stored run's
                    csv = (pending.run_result or {}).get("csv", [])
                    result = {**result, "csv": list(csv), "cached": True}
                cache.store(pending, job, result)
                if id(job) in relayout:
                    published.reused += 1
                    published.relaid += 1
                else:
                    published.executed += 1
                    published.executed_pages.append(f"{plan.period}/{result['page']}")
                plan.results.append(result)
                bar.set_postfix_str(
                    f"{published.executed} neu, {published.reused} wiederverwendet", refresh=False
                )
                bar.update(1)
                pending_by_plan[id(plan)] -= 1
                if pending_by_plan[id(plan)] == 0:
                    published.append(_publish(plan))
        return published
    finally:
        bar.close()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

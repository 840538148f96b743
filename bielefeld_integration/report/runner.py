"""Render the report notebooks of one or more periods into ``reports/<period>/``.

The runner

1. validates everything before a notebook runs: the period, the district codes, the chapter
   list, the notebooks, and every parameter it will inject against the notebook's
   ``parameters`` cell as papermill reads it (:mod:`.parameters`): unknown names, undeclared
   or wrong types raise :class:`ParameterError` (papermill itself would only warn);
2. plans one job per page (:mod:`.plan`), takes every page whose content key is in the build
   cache from there (:mod:`.cache`), and executes the other jobs in a pool of worker
   processes (default: one per CPU core), each keeping one ``python3`` kernel alive for many
   notebooks (see :mod:`.build` and :mod:`._worker`), with a per-cell timeout and a
   progress bar;
3. exports each page in the worker with nbconvert and the project template;
4. renders a period into a temporary folder next to ``reports/<period>`` and swaps it in with
   renames only when every page succeeded. On failure nothing is published, the previous
   report stays as it was, and the failed notebook is kept in
   ``reports/_failed/<period>/<notebook>.ipynb`` with papermill's error banner;
5. writes the long-format download of all indicators of the rendered periods
   (``reports/indikatoren-alle-jahre.csv``, :mod:`bielefeld_integration.present.long_format`)
   and rewrites the site index ``reports/index.html``.

Parameters are passed as Python values (never guessed from text): periods and area codes
are strings (``"2017"``, ``"01"``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bielefeld_integration import store
from bielefeld_integration.geography import STADTBEZIRKE, check_district
from bielefeld_integration.lock import clean_stale, folder_lock, recover
from bielefeld_integration.periods import Period
from bielefeld_integration.present.long_format import LONG_FILE, write_long_file
from bielefeld_integration.report.build import default_workers, run_plans, start_pool
from bielefeld_integration.report.cache import PageCache, Rendered
from bielefeld_integration.report.chapters import CHAPTERS, ChapterSpec, check_chapters
from bielefeld_integration.report.errors import NotebookFailedError, ParameterError, ReportError
from bielefeld_integration.report.parameters import inspect_parameters, validate_parameters
from bielefeld_integration.report.plan import (
    RUNNER_PARAMETERS,
    Declared,
    PeriodPlan,
    injected_parameters,
    plan_period,
)
from bielefeld_integration.report.resources import NOTEBOOKS_DIR
from bielefeld_integration.report.site import (
    build_site_index,
    periods_in,
    read_provenance,
)

#: Default folder of the processed data (``<data_dir>/<period>/provenance.json``).
DEFAULT_DATA_DIR = "data/processed"

__all__ = [
    "DEFAULT_DATA_DIR",
    "NotebookFailedError",
    "ParameterError",
    "ReportError",
    "build_site_index",
    "default_workers",
    "inspect_parameters",
    "render_all",
    "render_period",
    "validate_parameters",
]


def _render(periods: Sequence[str | Period], **kwargs: Any) -> Rendered:
    """:func:`_render_unlocked` holding the locks of the output and the data folder.

    A second report into the same folder, or an ingest into the data being rendered, waits
    briefly and then stops with a message (:func:`bielefeld_integration.lock.folder_lock`).
    Leftovers of a killed run (half-swapped or temporary period folders) are cleaned first.
    """
    out, data = Path(kwargs["output_dir"]), Path(kwargs["data_dir"])
    with ExitStack() as locks:
        locks.enter_context(folder_lock(out, what="Bericht"))
        if data.is_dir():
            locks.enter_context(folder_lock(data, what="Bericht"))
        recover(out)
        clean_stale(out)
        return _render_unlocked(periods, **kwargs)


def _render_unlocked(
    periods: Sequence[str | Period],
    *,
    chapters: Sequence[ChapterSpec],
    notebooks_dir: str | Path,
    output_dir: str | Path,
    data_dir: str | Path,
    workers: int | None,
    timeout: float,
    start_timeout: float,
    districts: Sequence[str] | None,
    parameters: Mapping[str, Any] | None,
    progress: bool,
    force: bool,
    prune: bool = False,
) -> Rendered:
    if workers is not None and workers < 1:
        raise ValueError("workers must be at least 1")
    if timeout <= 0 or start_timeout <= 0:
        raise ValueError("timeouts must be positive")
    # cheap checks first: nothing is started for a mistyped period or district
    names = [str(Period.parse(p)) for p in periods]
    if len(set(names)) != len(names):
        raise ParameterError(f"Berichtsjahre doppelt angegeben: {names}")
    if not names:
        raise ParameterError("kein Berichtsjahr angegeben")
    chapters = list(chapters)
    check_chapters(chapters)
    codes = list(STADTBEZIRKE) if districts is None else [check_district(c) for c in districts]
    if len(set(codes)) != len(codes):
        raise ParameterError(f"Stadtbezirke doppelt angegeben: {codes}")
    if not codes and any(c.per_district for c in chapters):
        raise ParameterError("keine Stadtbezirke für das Bezirksprofil angegeben")
    parameters = dict(parameters or {})
    reserved = sorted(set(parameters) & set(RUNNER_PARAMETERS))
    if reserved:
        raise ParameterError(
            f"{', '.join(reserved)} setzt der Runner selbst; bitte nicht in 'parameters' angeben"
        )
    nb_dir = Path(notebooks_dir)
    if not nb_dir.is_dir():
        raise ParameterError("Ordner der Notebooks nicht gefunden", file=nb_dir)
    missing = [c.notebook for c in chapters if not (nb_dir / c.notebook).is_file()]
    if missing:
        raise ParameterError(f"Notebooks fehlen: {', '.join(missing)}", file=nb_dir)
    for name in names:
        read_provenance(data_dir, name)
    declared = _declarations(
        chapters,
        period=names[0],
        district=codes[0] if codes else "01",
        notebooks_dir=nb_dir,
        data_dir=Path(data_dir),
        parameters=parameters,
    )
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    plans: list[PeriodPlan] = []
    try:
        nav_periods = set(periods_in(out)) | set(names)
        for name in names:
            plans.append(
                plan_period(
                    name,
                    chapters=chapters,
                    notebooks_dir=nb_dir,
                    output_dir=out,
                    data_dir=Path(data_dir),
                    districts=codes,
                    parameters=parameters,
                    timeout=timeout,
                    start_timeout=start_timeout,
                    nav_periods=nav_periods,
                    declared=declared,
                )
            )
    except BaseException:
        for plan in plans:
            shutil.rmtree(plan.tmp_dir, ignore_errors=True)
        raise
    published = Rendered()
    cache = PageCache(data_dir)
    succeeded = False
    try:
        rendered = run_plans(
            plans,
            lambda n: start_pool(n, nb_dir, start_timeout),
            cache=cache,
            force=force,
            workers=workers or default_workers(),
            progress=progress,
            published=published,
        )
        succeeded = True
        return rendered
    finally:
        for plan in plans:
            if plan.tmp_dir.exists():
                shutil.rmtree(plan.tmp_dir, ignore_errors=True)
        if published:
            shown = periods_in(out)
            cache.derived_file(  # made again only when the published values changed
                out / LONG_FILE,
                [cache.digest(("file", str(Path(data_dir) / store.PUBLISHED_FILE))), *shown],
                lambda: write_long_file(out, data_dir, shown),
            )
            build_site_index(out)
        if succeeded and prune:  # every page of the site was built or reused: the rest is stale
            cache.prune()


def _declarations(
    chapters: Sequence[ChapterSpec],
    *,
    period: str,
    district: str,
    notebooks_dir: Path,
    data_dir: Path,
    parameters: Mapping[str, Any],
) -> dict[Path, Declared]:
    """Each notebook's declared parameters, checked against what the runner will inject.

    Runs before any folder, process or kernel is created, so a mistyped parameter costs
    nothing.
    """
    declared: dict[Path, Declared] = {}
    for chapter in chapters:
        notebook = notebooks_dir / chapter.notebook
        if notebook not in declared:
            declared[notebook] = inspect_parameters(notebook)
        injected_parameters(
            period=period,
            chapter=chapter,
            district=district if chapter.per_district else None,
            notebook=notebook,
            declared=declared[notebook],
            data_dir=data_dir,
            parameters=parameters,
        )
    return declared


def render_period(
    period: str | Period,
    *,
    chapters: Sequence[ChapterSpec] = CHAPTERS,
    notebooks_dir: str | Path = NOTEBOOKS_DIR,
    output_dir: str | Path = "reports",
    data_dir: str | Path = DEFAULT_DATA_DIR,
    workers: int | None = None,
    timeout: float = 600,
    start_timeout: float = 60,
    districts: Sequence[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    progress: bool = True,
    force: bool = False,
) -> Path:
    """Render every chapter of one period into ``<output_dir>/<period>/``.

    Parameters
    ----------
    period:
        The reporting period, ``"2017"`` (a :class:`~bielefeld_integration.periods.Period`
        or an int is accepted too; anything else raises :class:`DataError`).
    chapters:
        The chapters to render (default: the full report, :data:`CHAPTERS`).
    notebooks_dir:
        Folder of the chapter notebooks (default: those shipped with the package);
        notebooks run with this as working directory.
    output_dir:
        Root of the published site.
    data_dir:
        Folder of the processed data. Injected as ``data_dir`` (absolute path) into notebooks
        that declare it; ``<data_dir>/<period>/provenance.json`` feeds the provenance footer.
    workers:
        Number of worker processes (each with one kernel); default: CPU cores.
    timeout:
        Seconds one cell may run before the notebook fails.
    start_timeout:
        Seconds a kernel may take to start.
    districts:
        Stadtbezirk codes that get a district profile (default: all ten).
    parameters:
        Further notebook parameters (name -> Python value), validated against every
        notebook's parameters cell (so only names all chapters declare are possible).
    progress:
        Show a progress bar (tqdm) on stderr.
    force:
        Execute every notebook even if its page is in the build cache (:mod:`.cache`);
        the results are stored in the cache as usual.

    Returns
    -------
    Path
        The published period folder.

    Raises
    ------
    DataError
        Invalid period, district code or ``provenance.json``;
        :class:`ParameterError` (a DataError) for parameters that do not fit a notebook.
    NotebookFailedError
        A notebook failed (message: notebook, cell, error; the notebook is kept).
    ReportError
        Any other failure of the run. In every failure case nothing is published.
    """
    return _render(
        [period],
        chapters=chapters,
        notebooks_dir=notebooks_dir,
        output_dir=output_dir,
        data_dir=data_dir,
        workers=workers,
        timeout=timeout,
        start_timeout=start_timeout,
        districts=districts,
        parameters=parameters,
        progress=progress,
        force=force,
    )[0]


def render_all(
    periods: Iterable[str | Period],
    *,
    chapters: Sequence[ChapterSpec] = CHAPTERS,
    notebooks_dir: str | Path = NOTEBOOKS_DIR,
    output_dir: str | Path = "reports",
    data_dir: str | Path = DEFAULT_DATA_DIR,
    workers: int | None = None,
    timeout: float = 600,
    start_timeout: float = 60,
    districts: Sequence[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    progress: bool = True,
    force: bool = False,
    prune: bool = False,
) -> Rendered:
    """Render several periods with one pool of kernels; each period is published on its own.

    All periods are validated before any notebook runs. The navigation of every page links
    to all periods rendered now and those already in ``output_dir``. If a notebook fails, the
    run stops: periods completed before stay published, the others keep their previous
    report.

    Parameters
    ----------
    periods:
        The periods, e.g. ``["2016", "2017"]``.
    chapters, notebooks_dir, output_dir, data_dir, workers, timeout, start_timeout, \
districts, parameters, progress, force:
        As for :func:`render_period`.
    prune:
        Remove from the build cache every page this run did not use (give it when the run
        builds the whole site, as ``report --all`` does; else the other pages would have to
        be executed again next time).

    Returns
    -------
    Rendered
        The published period folders (a list, in the order they were completed) with the
        number of pages executed (``executed``) and reused from the cache (``reused``).
    """
    return _render(
        list(periods),
        chapters=chapters,
        notebooks_dir=notebooks_dir,
        output_dir=output_dir,
        data_dir=data_dir,
        workers=workers,
        timeout=timeout,
        start_timeout=start_timeout,
        districts=districts,
        parameters=parameters,
        progress=progress,
        force=force,
        prune=prune,
    )

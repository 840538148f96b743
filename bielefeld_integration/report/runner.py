"""Render the report notebooks of one or more periods into ``reports/<period>/``.

The runner

1. validates everything before a notebook runs: the period, the district codes, the chapter
   list, the notebooks, and every parameter it will inject against the notebook's
   ``parameters`` cell (:func:`papermill.inspect_notebook`): unknown names, undeclared or
   wrong types raise :class:`ParameterError` (papermill itself would only warn);
2. executes the notebooks in a pool of worker processes (default: one per CPU core), each
   keeping one ``python3`` kernel alive for many notebooks (see :mod:`._worker`), with a
   per-cell timeout and a progress bar;
3. exports each page in-process with nbconvert and the project template;
4. renders a period into a temporary folder next to ``reports/<period>`` and swaps it in with
   renames only when every page succeeded. On failure nothing is published, the previous
   report stays as it was, and the failed notebook is kept in
   ``reports/_failed/<period>/<notebook>.ipynb`` with papermill's error banner;
5. rewrites the site index ``reports/index.html``.

Parameters are passed as Python values (never guessed from text): periods and area codes
are strings (``"2017"``, ``"01"``).
"""

from __future__ import annotations

import ast
import io
import json
import logging
import multiprocessing
import os
import re
import shutil
import tempfile
import tokenize
import uuid
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bielefeld_integration.geography import STADTBEZIRKE, check_district
from bielefeld_integration.periods import Period
from bielefeld_integration.report.chapters import CHAPTERS, Chapter, check_chapters
from bielefeld_integration.report.errors import NotebookFailedError, ParameterError, ReportError
from bielefeld_integration.report.site import (
    PAGES_FILE,
    SITE_TITLE,
    build_site_index,
    generated_line,
    page_context,
    periods_in,
    provenance_context,
    read_provenance,
)

#: Default folder of the processed data (``<data_dir>/<period>/provenance.json``).
DEFAULT_DATA_DIR = "data/processed"
#: Folder inside the output folder where failed notebooks are kept.
FAILED_DIR = "_failed"
#: Parameters the runner sets itself; they cannot be given in ``parameters``.
RUNNER_PARAMETERS = ("period", "district", "data_dir")

__all__ = [
    "DEFAULT_DATA_DIR",
    "NotebookFailedError",
    "ParameterError",
    "ReportError",
    "build_site_index",
    "render_all",
    "render_period",
    "validate_parameters",
]

_SIMPLE_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "list": (list,),
    "dict": (dict,),
    "tuple": (tuple,),
    "None": (type(None),),
    "NoneType": (type(None),),
}
_TYPE_RE = re.compile(r"(?:typing\.)?(\w+)(?:\[(.*)\])?")


def _parse_type(text: str) -> list[tuple[str, str]]:
    """``"Optional[list[str]]"`` -> ``[("list", "str"), ("None", "")]``; raise on unknown."""
    text = text.strip()
    union = _split_top(text, "|")
    if len(union) > 1:
        return [part for piece in union for part in _parse_type(piece)]
    match = _TYPE_RE.fullmatch(text)
    if not match:
        raise ValueError(text)
    name, inner = match.group(1), (match.group(2) or "").strip()
    if name == "Optional":
        return [*_parse_type(inner), ("None", "")]
    if name == "Union":
        return [part for piece in _split_top(inner) for part in _parse_type(piece)]
    name = {"List": "list", "Dict": "dict", "Tuple": "tuple"}.get(name, name)
    if name not in _SIMPLE_TYPES:
        raise ValueError(text)
    return [(name, inner)]


def _split_top(text: str, separator: str = ",") -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        if char == separator and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += char == "["
        depth -= char == "]"
        current += char
    return [*parts, current]


def _value_fits(value: Any, type_text: str) -> bool:
    for name, inner in _parse_type(type_text):
        kinds = _SIMPLE_TYPES[name]
        if isinstance(value, bool) and bool not in kinds:
            continue
        if not isinstance(value, kinds):
            continue
        if name == "list" and inner and "[" not in inner and "," not in inner:
            if not all(_value_fits(v, inner) for v in value):
                continue
        return True
    return False


def _declared_type(declaration: Mapping[str, Any]) -> str | None:
    """The declared type of a parameter: its annotation, else the type of its literal default."""
    type_name = str(declaration.get("inferred_type_name") or "None").strip()
    if type_name and type_name != "None":
        return type_name
    try:
        default = ast.literal_eval(str(declaration.get("default", "")))
    except (ValueError, SyntaxError):
        return None
    if default is None:
        return None
    return type(default).__name__ if type(default).__name__ in _SIMPLE_TYPES else None


def validate_parameters(
    notebook: str | Path,
    parameters: Mapping[str, Any],
    *,
    declared: Mapping[str, Mapping[str, Any]] | None = None,
) -> None:
    """Check parameters against a notebook's ``parameters`` cell, before it is executed.

    Parameters
    ----------
    notebook:
        Path of the notebook.
    parameters:
        Name -> value of every parameter that will be injected.
    declared:
        Result of :func:`papermill.inspect_notebook` for the notebook (read if omitted).

    Raises
    ------
    ParameterError
        If the notebook has no ``parameters`` cell, a name is not declared there, a declared
        type is unknown or not supported, or a value does not have the declared type.
    """
    path = Path(notebook)
    if declared is None:
        declared = inspect_parameters(path)
    problems = []
    for name, value in parameters.items():
        declaration = declared.get(name)
        if declaration is None:
            known = ", ".join(sorted(declared)) or "keine"
            problems.append(
                f"unbekannter Parameter {name!r} (die Parameterzelle deklariert: {known})"
            )
            continue
        type_text = _declared_type(declaration)
        if type_text is None:
            problems.append(
                f"Parameter {name!r} hat keine erkennbare Typangabe; bitte z. B. "
                f"'{name}: str = \"...\"  # Erklärung' schreiben"
            )
            continue
        try:
            fits = _value_fits(value, type_text)
        except ValueError:
            problems.append(
                f"Parameter {name!r}: Typ {type_text!r} wird nicht unterstützt "
                "(erlaubt: str, int, float, bool, list, dict, Optional[...])"
            )
            continue
        if not fits:
            problems.append(
                f"Parameter {name!r} muss vom Typ {type_text} sein, übergeben wurde "
                f"{value!r} ({type(value).__name__})"
            )
    if problems:
        raise ParameterError("; ".join(problems), file=path)


def inspect_parameters(notebook: str | Path) -> dict[str, dict[str, Any]]:
    """The declared parameters of a notebook (:func:`papermill.inspect_notebook`).

    Raises
    ------
    ParameterError
        If the notebook cannot be read or has no cell tagged ``parameters``.
    """
    import nbformat
    import papermill

    path = Path(notebook)
    try:
        nb = nbformat.read(str(path), as_version=4)
    except FileNotFoundError:
        raise ParameterError("Notebook nicht gefunden", file=path) from None
    except Exception as exc:
        raise ParameterError(f"Notebook nicht lesbar: {exc}", file=path) from None
    if not any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells):
        raise ParameterError(
            "keine Zelle mit dem Tag 'parameters': die Parameter müssen in einer eigenen, "
            "so markierten Zelle stehen",
            file=path,
        )
    papermill_log = logging.getLogger("papermill")
    level = papermill_log.level
    papermill_log.setLevel(logging.ERROR)  # its "Unable to parse line" is handled below
    try:
        declared = dict(papermill.inspect_notebook(str(path)))
    finally:
        papermill_log.setLevel(level)
    cell = next(c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", []))
    # papermill's line regex misses some valid declarations (e.g. an "=" in the help
    # comment: 'data_dir: str = ""  # leer = Standard'); Python's parser does not
    for name, declaration in _declarations_from_source(cell.source).items():
        declared.setdefault(name, declaration)
    return declared


def _declarations_from_source(source: str) -> dict[str, dict[str, Any]]:
    """Parameters declared in a parameters cell, read with :mod:`ast` (papermill's format)."""
    try:
        tree = ast.parse(source)
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (SyntaxError, tokenize.TokenError):
        return {}
    comments = {
        tok.start[0]: tok.string.lstrip("#").strip()
        for tok in tokens
        if tok.type == tokenize.COMMENT
    }
    found: dict[str, dict[str, Any]] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            name, annotation = node.target.id, ast.unparse(node.annotation)
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            name, annotation = node.targets[0].id, "None"
        else:
            continue
        found[name] = {
            "name": name,
            "inferred_type_name": annotation,
            "default": ast.get_source_segment(source, node.value) or "",
            "help": comments.get(node.end_lineno or node.lineno, ""),
        }
    return found


def default_workers() -> int:
    """Number of worker processes by default: the CPU cores available to this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _shown_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@dataclass
class _PeriodPlan:
    period: str
    final_dir: Path
    tmp_dir: Path
    jobs: list[dict[str, Any]]
    pages: list[dict[str, str]]
    results: list[dict[str, Any]] = field(default_factory=list)


def _plan_period(
    period_value: str | Period,
    *,
    chapters: Sequence[Chapter],
    notebooks_dir: Path,
    output_dir: Path,
    data_dir: Path,
    districts: Sequence[str] | None,
    parameters: Mapping[str, Any],
    timeout: float,
    start_timeout: float,
    nav_periods: Iterable[str],
    declared_cache: dict[Path, dict[str, dict[str, Any]]],
) -> _PeriodPlan:
    """Validate everything for one period and build its jobs (no execution yet)."""
    period = str(Period.parse(period_value))
    chapters = list(chapters)
    check_chapters(chapters)
    codes = list(STADTBEZIRKE) if districts is None else [check_district(c) for c in districts]
    has_district_chapter = any(c.per_district for c in chapters)
    provenance = read_provenance(data_dir, period)
    generated = generated_line()
    nav_codes = codes if has_district_chapter else []
    all_periods = set(nav_periods) | {period}

    work_dir = Path(tempfile.mkdtemp(prefix=f".{period}.tmp-", dir=output_dir))
    plan = _PeriodPlan(period, output_dir / period, work_dir, [], [])
    try:
        for chapter in chapters:
            notebook = notebooks_dir / chapter.notebook
            if notebook not in declared_cache:
                declared_cache[notebook] = inspect_parameters(notebook)
            declared = declared_cache[notebook]
            for code in codes if chapter.per_district else [None]:
                plan.jobs.append(
                    _job(
                        period=period,
                        chapter=chapter,
                        district=code,
                        notebook=notebook,
                        declared=declared,
                        chapters=chapters,
                        nav_codes=nav_codes,
                        all_periods=all_periods,
                        provenance=provenance,
                        generated=generated,
                        data_dir=data_dir,
                        output_dir=output_dir,
                        tmp_dir=work_dir,
                        parameters=parameters,
                        timeout=timeout,
                        start_timeout=start_timeout,
                    )
                )
                plan.pages.append(
                    {"path": chapter.page_path(code), "title": chapter.page_title(code)}
                )
    except BaseException:
        shutil.rmtree(work_dir, ignore_errors=True)
        raise
    return plan


def _injected_parameters(
    *,
    period: str,
    chapter: Chapter,
    district: str | None,
    notebook: Path,
    declared: Mapping[str, Mapping[str, Any]],
    data_dir: Path,
    parameters: Mapping[str, Any],
) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    """The parameters injected into one page's notebook (validated) and how they are shown."""
    injected: dict[str, Any] = {"period": period}
    shown: list[tuple[str, Any]] = [("period", period)]
    if "period" not in declared:
        raise ParameterError(
            "die Parameterzelle deklariert keinen Parameter 'period'", file=notebook
        )
    if chapter.per_district:
        if "district" not in declared:
            raise ParameterError(
                "das Bezirksprofil braucht einen Parameter 'district' in der Parameterzelle",
                file=notebook,
            )
        injected["district"] = district
        shown.append(("district", district or ""))
    if "data_dir" in declared:
        injected["data_dir"] = str(data_dir.resolve())
        shown.append(("data_dir", _shown_path(data_dir)))
    for name, value in parameters.items():
        injected[name] = value
        shown.append((name, value))
    validate_parameters(notebook, injected, declared=declared)
    return injected, shown


def _quick_check(
    chapters: Sequence[Chapter],
    *,
    period: str,
    district: str,
    notebooks_dir: Path,
    data_dir: Path,
    parameters: Mapping[str, Any],
) -> None:
    """Validate the parameters against the cells as Python reads them, before any process starts.

    Catches typical mistakes at once; the authoritative check against
    :func:`papermill.inspect_notebook` follows in a worker process (where papermill is
    already imported) before any notebook is executed.
    """
    for chapter in chapters:
        notebook = notebooks_dir / chapter.notebook
        try:
            content = json.loads(notebook.read_text(encoding="utf-8"))
            cells = content["cells"]
            cell = next(c for c in cells if "parameters" in c.get("metadata", {}).get("tags", []))
        except (OSError, ValueError, KeyError, TypeError, StopIteration):
            continue  # reported precisely by the full check
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        _injected_parameters(
            period=period,
            chapter=chapter,
            district=district if chapter.per_district else None,
            notebook=notebook,
            declared=_declarations_from_source(source),
            data_dir=data_dir,
            parameters=parameters,
        )


def _job(
    *,
    period: str,
    chapter: Chapter,
    district: str | None,
    notebook: Path,
    declared: dict[str, dict[str, Any]],
    chapters: Sequence[Chapter],
    nav_codes: Sequence[str],
    all_periods: set[str],
    provenance: dict[str, Any] | None,
    generated: str,
    data_dir: Path,
    output_dir: Path,
    tmp_dir: Path,
    parameters: Mapping[str, Any],
    timeout: float,
    start_timeout: float,
) -> dict[str, Any]:
    injected, shown = _injected_parameters(
        period=period,
        chapter=chapter,
        district=district,
        notebook=notebook,
        declared=declared,
        data_dir=data_dir,
        parameters=parameters,
    )
    page = chapter.page_path(district)
    stem = notebook.stem + (f"-{district}" if district else "")
    failed_path = output_dir / FAILED_DIR / period / f"{stem}.ipynb"
    shown_values = [(name, _shown_value(value)) for name, value in shown]
    context = page_context(
        period=period,
        chapter=chapter,
        district=district,
        chapters=chapters,
        districts=nav_codes,
        periods=all_periods,
        provenance=provenance_context(provenance, shown_values),
        generated=generated,
    )
    return {
        "notebook_path": str(notebook.resolve()),
        "notebook_name": notebook.name,
        "cwd": str(notebook.parent.resolve()),
        "parameters": injected,
        "shown_parameters": [(name, value) for name, value in shown],
        "default_parameters": {name: d.get("default") for name, d in declared.items()},
        "page": page,
        "page_id": chapter.page_id(district),
        "html_path": str((tmp_dir / page).resolve()),
        "html_title": f"{chapter.page_title(district)} – Berichtsjahr {period} – {SITE_TITLE}",
        "csv_dir": str((tmp_dir / "data").resolve()),
        "csv_href_prefix": "../" * page.count("/") + "data/",
        "context": context,
        "failed_path": str(failed_path.resolve()),
        "failed_path_shown": _shown_path(failed_path),
        "timeout": float(timeout),
        "start_timeout": float(start_timeout),
    }


def _publish(plan: _PeriodPlan) -> Path:
    """Swap the finished temporary folder in place of ``reports/<period>`` (renames only)."""
    (plan.tmp_dir / PAGES_FILE).write_text(  # pages in reading order, for the site index
        json.dumps(plan.pages, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    for folder in [plan.tmp_dir, *[p for p in plan.tmp_dir.rglob("*") if p.is_dir()]]:
        folder.chmod(0o755)
    for file in plan.tmp_dir.rglob("*"):
        if file.is_file():
            file.chmod(0o644)
    old = None
    if plan.final_dir.exists():
        old = plan.final_dir.with_name(f".{plan.period}.old-{uuid.uuid4().hex[:8]}")
        os.rename(plan.final_dir, old)
    os.rename(plan.tmp_dir, plan.final_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
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


def _start_pool(n_workers: int, cwd: Path, start_timeout: float) -> ProcessPoolExecutor:
    """Start the worker processes; each boots its kernel while the caller keeps validating."""
    from bielefeld_integration.report._jobs import noop, warm_up

    pool = ProcessPoolExecutor(
        max_workers=n_workers,
        mp_context=_mp_context(),
        initializer=warm_up,
        initargs=(str(cwd.resolve()), float(start_timeout)),
    )
    for _ in range(n_workers):
        pool.submit(noop)
    return pool


def _run_plans(
    plans: list[_PeriodPlan], pool: ProcessPoolExecutor, *, progress: bool, published: list[Path]
) -> list[Path]:
    """Execute the jobs of all plans in the pool; publish each period when it is complete."""
    from tqdm.auto import tqdm

    from bielefeld_integration.report._jobs import run_job

    total = sum(len(p.jobs) for p in plans)
    pending_by_plan = {id(p): len(p.jobs) for p in plans}
    description = (
        f"Bericht {plans[0].period}" if len(plans) == 1 else f"Berichte ({len(plans)} Jahre)"
    )
    bar = tqdm(total=total, desc=description, unit="Seite", disable=not progress)
    try:
        futures: dict[Future[dict[str, Any]], _PeriodPlan] = {}
        for plan in plans:
            for job in plan.jobs:
                futures[pool.submit(run_job, job)] = plan
        remaining = set(futures)
        while remaining:
            done, remaining = wait(remaining, return_when=FIRST_COMPLETED)
            for future in done:
                plan = futures[future]
                try:
                    plan.results.append(future.result())
                except BrokenProcessPool:
                    raise ReportError(
                        "Ein Arbeitsprozess des Berichtslaufs ist unerwartet beendet worden "
                        "(zu wenig Speicher?). Es wurde nichts veröffentlicht."
                    ) from None
                bar.update(1)
                pending_by_plan[id(plan)] -= 1
                if pending_by_plan[id(plan)] == 0:
                    published.append(_publish(plan))
        return published
    finally:
        bar.close()


def _inspect_in_pool(
    pool: ProcessPoolExecutor, notebooks: list[Path]
) -> dict[Path, dict[str, dict[str, Any]]]:
    """Inspect the notebooks' parameters cells in a worker (papermill is imported there)."""
    from bielefeld_integration.report._jobs import inspect_notebooks

    unique = sorted({str(path) for path in notebooks})
    try:
        found = pool.submit(inspect_notebooks, unique).result()
    except BrokenProcessPool:
        raise ReportError("Die Arbeitsprozesse des Berichtslaufs sind nicht gestartet") from None
    declared = {}
    for path in unique:
        status, value = found[path]
        if status != "ok":
            raise ParameterError(value, file=path)
        declared[Path(path)] = value
    return declared


def _render(
    periods: Sequence[str | Period],
    *,
    chapters: Sequence[Chapter],
    notebooks_dir: str | Path,
    output_dir: str | Path,
    data_dir: str | Path,
    workers: int | None,
    timeout: float,
    start_timeout: float,
    districts: Sequence[str] | None,
    parameters: Mapping[str, Any] | None,
    progress: bool,
) -> list[Path]:
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
    _quick_check(
        chapters,
        period=names[0],
        district=codes[0] if codes else "01",
        notebooks_dir=nb_dir,
        data_dir=Path(data_dir),
        parameters=parameters,
    )
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    pages = sum(len(codes) if c.per_district else 1 for c in chapters)
    n_workers = max(1, min(workers or default_workers(), pages * len(names)))

    # the workers boot their kernels while the notebooks' parameters are validated
    pool = _start_pool(n_workers, nb_dir, start_timeout)
    plans: list[_PeriodPlan] = []
    try:
        nav_periods = set(periods_in(out)) | set(names)
        declared_cache = _inspect_in_pool(pool, [nb_dir / c.notebook for c in chapters])
        for name in names:
            plans.append(
                _plan_period(
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
                    declared_cache=declared_cache,
                )
            )
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        for plan in plans:
            shutil.rmtree(plan.tmp_dir, ignore_errors=True)
        raise
    published: list[Path] = []
    try:
        return _run_plans(plans, pool, progress=progress, published=published)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        for plan in plans:
            if plan.tmp_dir.exists():
                shutil.rmtree(plan.tmp_dir, ignore_errors=True)
        if published:
            build_site_index(out)


def render_period(
    period: str | Period,
    *,
    chapters: Sequence[Chapter] = CHAPTERS,
    notebooks_dir: str | Path = "notebooks",
    output_dir: str | Path = "reports",
    data_dir: str | Path = DEFAULT_DATA_DIR,
    workers: int | None = None,
    timeout: float = 600,
    start_timeout: float = 60,
    districts: Sequence[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    progress: bool = True,
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
        Folder of the chapter notebooks; notebooks run with this as working directory.
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
    )[0]


def render_all(
    periods: Iterable[str | Period],
    *,
    chapters: Sequence[Chapter] = CHAPTERS,
    notebooks_dir: str | Path = "notebooks",
    output_dir: str | Path = "reports",
    data_dir: str | Path = DEFAULT_DATA_DIR,
    workers: int | None = None,
    timeout: float = 600,
    start_timeout: float = 60,
    districts: Sequence[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    progress: bool = True,
) -> list[Path]:
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
districts, parameters, progress:
        As for :func:`render_period`.

    Returns
    -------
    list of Path
        The published period folders, in the order they were completed.
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
    )

"""Plan a report run: validate everything for a period and describe each page as a job.

Nothing here executes a notebook. A job is a plain dict (picklable) that the worker
processes (:mod:`._worker`) execute and export; it carries the notebook, the validated
parameters, the page context of the template and the target paths inside the period's
temporary folder.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bielefeld_integration.geography import STADTBEZIRKE, check_district
from bielefeld_integration.periods import Period
from bielefeld_integration.report.chapters import ChapterSpec, check_chapters
from bielefeld_integration.report.errors import ParameterError
from bielefeld_integration.report.parameters import validate_parameters
from bielefeld_integration.report.site import (
    SITE_TITLE,
    generated_line,
    page_context,
    provenance_context,
    read_provenance,
)

#: Folder inside the output folder where failed notebooks are kept.
FAILED_DIR = "_failed"
#: Parameters the runner sets itself; they cannot be given in ``parameters``.
RUNNER_PARAMETERS = ("period", "district", "data_dir")

Declared = Mapping[str, Mapping[str, Any]]


@dataclass
class PeriodPlan:
    """The jobs of one period and where its pages are written before they are published."""

    period: str
    final_dir: Path
    tmp_dir: Path
    jobs: list[dict[str, Any]]
    pages: list[dict[str, str]]
    results: list[dict[str, Any]] = field(default_factory=list)


def shown_path(path: Path) -> str:
    """A path as the user should read it: relative to the working directory where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def injected_parameters(
    *,
    period: str,
    chapter: ChapterSpec,
    district: str | None,
    notebook: Path,
    declared: Declared,
    data_dir: Path,
    parameters: Mapping[str, Any],
) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    """The parameters injected into one page's notebook (validated) and how they are shown.

    Raises
    ------
    ParameterError
        The notebook lacks ``period`` (or ``district`` for the district chapter), or a value
        does not fit its declaration.
    """
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
        shown.append(("data_dir", shown_path(data_dir)))
    for name, value in parameters.items():
        injected[name] = value
        shown.append((name, value))
    validate_parameters(notebook, injected, declared=declared)
    return injected, shown


def plan_period(
    period_value: str | Period,
    *,
    chapters: Sequence[ChapterSpec],
    notebooks_dir: Path,
    output_dir: Path,
    data_dir: Path,
    districts: Sequence[str] | None,
    parameters: Mapping[str, Any],
    timeout: float,
    start_timeout: float,
    nav_periods: Iterable[str],
    declared: Mapping[Path, Declared],
) -> PeriodPlan:
    """Validate everything for one period and build its jobs (no execution yet).

    Creates the period's temporary folder ``<output_dir>/.<period>.tmp-*``; it is removed
    again if planning fails.
    """
    period = str(Period.parse(period_value))
    chapters = list(chapters)
    check_chapters(chapters)
    codes = list(STADTBEZIRKE) if districts is None else [check_district(c) for c in districts]
    provenance = read_provenance(data_dir, period)
    shared = {
        "chapters": chapters,
        "nav_codes": codes if any(c.per_district for c in chapters) else [],
        "all_periods": set(nav_periods) | {period},
        "provenance": provenance,
        "generated": generated_line(),
        "data_dir": data_dir,
        "output_dir": output_dir,
        "parameters": parameters,
        "timeout": timeout,
        "start_timeout": start_timeout,
    }
    work_dir = Path(tempfile.mkdtemp(prefix=f".{period}.tmp-", dir=output_dir))
    plan = PeriodPlan(period, output_dir / period, work_dir, [], [])
    try:
        for chapter in chapters:
            notebook = notebooks_dir / chapter.notebook
            for code in codes if chapter.per_district else [None]:
                plan.jobs.append(
                    _job(
                        period=period,
                        chapter=chapter,
                        district=code,
                        notebook=notebook,
                        declared=declared[notebook],
                        tmp_dir=work_dir,
                        **shared,
                    )
                )
                plan.pages.append(
                    {"path": chapter.page_path(code), "title": chapter.page_title(code)}
                )
    except BaseException:
        shutil.rmtree(work_dir, ignore_errors=True)
        raise
    return plan


def _job(
    *,
    period: str,
    chapter: ChapterSpec,
    district: str | None,
    notebook: Path,
    declared: Declared,
    chapters: Sequence[ChapterSpec],
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
    injected, shown = injected_parameters(
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
    shown_values = [(name, json.dumps(value, ensure_ascii=False)) for name, value in shown]
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
        "shown_parameters": list(shown),
        "default_parameters": {name: d.get("default") for name, d in declared.items()},
        "page": page,
        "page_id": chapter.page_id(district),
        "html_path": str((tmp_dir / page).resolve()),
        "html_title": f"{chapter.page_title(district)} – Berichtsjahr {period} – {SITE_TITLE}",
        "csv_dir": str((tmp_dir / "data").resolve()),
        "csv_href_prefix": "../" * page.count("/") + "data/",
        "context": context,
        "failed_path": str(failed_path.resolve()),
        "failed_path_shown": shown_path(failed_path),
        "timeout": float(timeout),
        "start_timeout": float(start_timeout),
    }

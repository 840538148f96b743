"""Entry points the runner submits to its worker processes.

They live in this light module so that the runner (the caller's process) does not import
papermill, nbconvert and jupyter_client just to name them; the workers have them imported
already (see :mod:`._worker`, preloaded by the forkserver).
"""

from __future__ import annotations

from typing import Any


def warm_up(cwd: str, start_timeout: float) -> None:
    """Pool initializer: see :func:`._worker.warm_up`."""
    from bielefeld_integration.report._worker import warm_up as _warm_up

    _warm_up(cwd, start_timeout)


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Execute and export one page: see :func:`._worker.run_job`."""
    from bielefeld_integration.report._worker import run_job as _run_job

    return _run_job(job)


def inspect_notebooks(paths: list[str]) -> dict[str, tuple[str, Any]]:
    """Declared parameters of several notebooks.

    Returns
    -------
    dict
        path -> ``("ok", declarations)`` or ``("error", message)``.
    """
    from bielefeld_integration.report.errors import ParameterError
    from bielefeld_integration.report.runner import inspect_parameters

    result: dict[str, tuple[str, Any]] = {}
    for path in paths:
        try:
            result[path] = ("ok", inspect_parameters(path))
        except ParameterError as exc:
            result[path] = ("error", exc.problem)
    return result


def noop() -> None:
    """Submitted once per worker so that the pool starts (and warms up) all workers."""

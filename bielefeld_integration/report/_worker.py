"""Worker-process side of the runner: one kept-alive kernel executes many notebooks.

Each worker process of the runner's pool starts one IPython kernel (``python3``, IPC
transport, no history database) the first time it gets a job and keeps it for all further
jobs. Before each notebook the kernel is reset (see :mod:`._kernel`), so a notebook sees an
empty namespace and an execution counter starting at 1, but pandas and matplotlib are
already imported. This removes what dominates the naive way of rendering (a new Python
interpreter, a new kernel and fresh imports for every notebook).

Per job the worker

1. loads the notebook and parameterises it with papermill's own ``parameterize_notebook``
   (standard ``injected-parameters`` cell, parameters in ``metadata.papermill``),
2. executes it with papermill's ``PapermillNotebookClient`` / ``NotebookExecutionManager``
   on the kept kernel (per-cell timeout; cell metadata and timings as papermill records them),
3. on an error keeps the executed notebook with papermill's error banner
   (``raise_for_execution_errors``) and raises :class:`NotebookFailedError`; the kernel is
   then replaced, so a timed-out cell cannot disturb the next notebook,
4. on success exports the page in-process (``HTMLExporter``) and writes HTML and CSV files.
"""

from __future__ import annotations

import ast
import json
import logging
import multiprocessing.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# jsonschema (imported by nbformat) imports rfc3987_syntax for its optional "iri" format
# check, and that package compiles a grammar at import time (~1.7 s of CPU in every process).
# Worker processes never check IRIs, so they skip it; jsonschema handles the ImportError.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]

import nbformat  # noqa: E402
import papermill  # noqa: E402 - imported once per pool (forkserver preload)
import papermill.clientwrap  # noqa: E402
import papermill.parameterize  # noqa: E402
from jupyter_client.manager import AsyncKernelManager  # noqa: E402
from jupyter_core.utils import run_sync  # noqa: E402
from nbclient.exceptions import CellTimeoutError, DeadKernelError  # noqa: E402
from papermill.clientwrap import PapermillNotebookClient  # noqa: E402
from papermill.engines import NotebookExecutionManager  # noqa: E402
from papermill.exceptions import PapermillExecutionError  # noqa: E402
from papermill.execute import raise_for_execution_errors  # noqa: E402
from papermill.parameterize import parameterize_notebook  # noqa: E402
from papermill.utils import find_first_tagged_cell_index  # noqa: E402

from bielefeld_integration.atomic import write_text_atomic  # noqa: E402
from bielefeld_integration.lock import die_with_parent  # noqa: E402
from bielefeld_integration.report.errors import NotebookFailedError, ReportError  # noqa: E402
from bielefeld_integration.report.export import (  # noqa: E402
    export_page,
    make_exporter,
    prepare_notebook,
)

#: The kernel every notebook runs in (the project's environment, installed by ``make``).
KERNEL_NAME = "python3"

_LOG = logging.getLogger("bielefeld_integration.report")
_STATE: dict[str, Any] = {}


def _kernel_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # no debugger warning on stderr
    env.pop("MPLBACKEND", None)  # the kernel chooses its inline backend itself
    # the workers already run in parallel, one per core: numerical libraries that start a
    # thread per core in every kernel would only fight over the same cores
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    return env


def _start_kernel(cwd: str, start_timeout: float) -> None:
    kernel_dir = tempfile.mkdtemp(prefix="bi-kernel-")
    log_path = os.path.join(kernel_dir, "kernel.log")
    log_file = open(log_path, "wb")
    km = AsyncKernelManager(
        kernel_name=KERNEL_NAME,
        transport="ipc",  # no TCP ports: no port races between parallel kernels
        ip=os.path.join(kernel_dir, "ipc"),
        connection_file=os.path.join(kernel_dir, "kernel.json"),
    )
    _STATE.update(km=km, kc=None, dir=kernel_dir, log=log_file, log_path=log_path)
    try:
        run_sync(km.start_kernel)(
            extra_arguments=["--HistoryManager.enabled=False"],
            cwd=cwd,
            env=_kernel_env(),
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
        kc = km.client()
        kc.start_channels()
        _STATE["kc"] = kc
        run_sync(kc.wait_for_ready)(timeout=start_timeout)
    except Exception as exc:
        _stop_kernel()
        raise ReportError(
            f"Der Kernel {KERNEL_NAME!r} konnte nicht gestartet werden (Zeitlimit "
            f"{start_timeout:g} s): {exc}. Ist die Umgebung mit 'make' eingerichtet "
            "(ipykernel und die Kernelspec python3 installiert)?"
        ) from None


def _stop_kernel() -> None:
    kc, km = _STATE.get("kc"), _STATE.get("km")
    try:
        if kc is not None:
            kc.stop_channels()
        if km is not None and km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)
    except Exception:
        _LOG.debug("kernel shutdown failed", exc_info=True)
    log_file = _STATE.get("log")
    if log_file is not None:
        log_file.close()
    if _STATE.get("dir"):
        shutil.rmtree(_STATE["dir"], ignore_errors=True)
    for key in ("km", "kc", "dir", "log", "log_path"):
        _STATE.pop(key, None)


def _kernel_log_tail(limit: int = 1500) -> str:
    path = _STATE.get("log_path")
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace") if path else ""
    except OSError:
        return ""
    return text[-limit:].strip()


def warm_up(cwd: str, start_timeout: float) -> None:
    """Pool initializer: start the kernel and prepare the exporter before the first job.

    The kernel boots and imports matplotlib while this process imports papermill and
    nbconvert and builds the exporter. Errors are kept and raised by the first job (an
    initializer that raises would break the whole pool without a useful message).
    """
    _LOG.debug("worker %s: warm-up", os.getpid())
    die_with_parent()  # a killed report leaves no worker behind (its kernel follows it)
    try:
        _ensure_kernel(cwd, start_timeout)
        msg_id = _STATE["kc"].execute(_reset_code(cwd), store_history=False, allow_stdin=False)
        _get_exporter()
        _wait_for_reply(msg_id, start_timeout)
        _LOG.debug("worker %s: ready", os.getpid())
    except Exception as exc:
        _STATE["warm_up_error"] = exc
        _stop_kernel()


def noop() -> None:
    """Submitted once per worker so that the pool starts (and warms up) every worker."""


def _wait_for_reply(msg_id: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ReportError("Der Kernel hat beim Vorbereiten nicht geantwortet")
        reply = run_sync(_STATE["kc"].get_shell_msg)(timeout=remaining)
        if reply.get("parent_header", {}).get("msg_id") == msg_id:
            if reply["content"].get("status") != "ok":
                raise ReportError(
                    "Der Kernel konnte nicht vorbereitet werden: "
                    f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}"
                )
            return


def _ensure_kernel(cwd: str, start_timeout: float) -> None:
    if not _STATE.get("finalizer"):
        # runs when the worker process ends normally (also for spawn/forkserver workers)
        _STATE["finalizer"] = multiprocessing.util.Finalize(None, _stop_kernel, exitpriority=10)
    km = _STATE.get("km")
    if km is None or not _kernel_alive():
        if km is not None:
            _stop_kernel()
        _start_kernel(cwd, start_timeout)


def _kernel_alive() -> bool:
    try:
        return bool(run_sync(_STATE["km"].is_alive)())
    except Exception:
        return False


def _reset_code(cwd: str) -> str:
    return (
        "from bielefeld_integration.report import _kernel as __bi_kernel\n"
        f"__bi_kernel.reset({cwd!r})\n"
    )


def _reset_kernel(cwd: str, timeout: float) -> None:
    code = _reset_code(cwd)
    errors: list[str] = []

    def hook(msg: dict[str, Any]) -> None:
        if msg.get("msg_type") == "error":
            errors.append(f"{msg['content'].get('ename')}: {msg['content'].get('evalue')}")

    reply = run_sync(_STATE["kc"].execute_interactive)(
        code, store_history=False, timeout=timeout, output_hook=hook, allow_stdin=False
    )
    if reply["content"].get("status") != "ok":
        raise ReportError(
            "Der Kernel konnte nicht zurückgesetzt werden: " + ("; ".join(errors) or "unbekannt")
        )


def _fetch_reads(timeout: float) -> list[list[str]]:
    """What the notebook just executed read (see :mod:`bielefeld_integration.reads`)."""
    reply = run_sync(_STATE["kc"].execute_interactive)(
        "from bielefeld_integration.report import _kernel as __bi_kernel",
        store_history=False,
        timeout=timeout,
        allow_stdin=False,
        user_expressions={"reads": "__bi_kernel.reads_json()"},
    )
    found = reply["content"].get("user_expressions", {}).get("reads", {})
    if reply["content"].get("status") != "ok" or found.get("status") != "ok":
        raise ReportError("Der Kernel hat nicht gemeldet, welche Daten die Seite gelesen hat")
    text = ast.literal_eval(found["data"]["text/plain"])
    return [list(map(str, item)) for item in json.loads(text)]


def _get_exporter() -> Any:
    if "exporter" not in _STATE:
        _STATE["exporter"] = make_exporter()
    return _STATE["exporter"]


def load_notebook(path: str | Path, defaults: dict[str, str] | None = None) -> Any:
    """Read a notebook as papermill does, but give cells without id a stable one.

    nbformat would give such cells (notebooks older than format 4.5) random ids, which would
    make two renders of the same notebook differ.
    """
    nb = nbformat.read(str(path), as_version=4)
    if nb.nbformat_minor < 5:
        nb.nbformat_minor = 5
        for i, cell in enumerate(nb.cells):
            cell["id"] = cell.get("id") or f"cell-{i}"
    nb.metadata["papermill"] = {
        "default_parameters": dict(defaults or {}),
        "parameters": {},
        "environment_variables": {},
        "version": _papermill_version(),
    }
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
        cell.metadata["papermill"] = {}
    return nb


def _papermill_version() -> str:
    return papermill.__version__


def _source_index_mapper(nb: Any) -> Any:

    injected = find_first_tagged_cell_index(nb, "injected-parameters")

    def source_index(i: int) -> int | None:
        if injected < 0 or i < injected:
            return i
        if i == injected:
            return None
        return i - 1

    return source_index


def _mark_unfinished_cell(nb: Any, nb_man: Any, ename: str, evalue: str) -> None:
    """Record a timeout / dead kernel in the cell that was running, as papermill would."""
    started = [
        cell
        for cell in nb.cells
        if cell.cell_type == "code" and cell.metadata.get("papermill", {}).get("start_time")
    ]
    if not started:
        return
    cell = started[-1]
    nb_man.cell_exception(cell)
    error = nbformat.v4.new_output(
        "error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]
    )
    cell.outputs = [*cell.get("outputs", []), error]


def _execute(nb: Any, job: dict[str, Any]) -> Any:
    """Execute a parameterised notebook on the kept kernel; raise NotebookFailedError."""

    failed_path = job["failed_path"]
    nb.metadata.papermill["input_path"] = job["notebook_path"]
    nb.metadata.papermill["output_path"] = failed_path
    nb_man = NotebookExecutionManager(
        nb, output_path=None, progress_bar=False, autosave_cell_every=0
    )
    nb_man.notebook_start()
    client = PapermillNotebookClient(
        nb_man,
        km=_STATE["km"],
        kernel_name=KERNEL_NAME,
        timeout=job["timeout"],
        startup_timeout=job["start_timeout"],
        interrupt_on_timeout=False,
        log=_LOG,
    )
    client.kc = _STATE["kc"]
    replace_kernel = False
    try:
        client.execute()
    except CellTimeoutError:
        replace_kernel = True
        _mark_unfinished_cell(
            nb,
            nb_man,
            "CellTimeoutError",
            f"Zeitlimit von {job['timeout']:g} s für eine Zelle überschritten",
        )
    except DeadKernelError as exc:
        replace_kernel = True
        tail = _kernel_log_tail()
        _mark_unfinished_cell(
            nb, nb_man, "DeadKernelError", f"Der Kernel ist abgestürzt ({exc}). {tail}".strip()
        )
    finally:
        nb_man.notebook_complete()
    source_index = _source_index_mapper(nb)  # before papermill inserts its banner cells
    try:
        if nb.metadata.papermill.get("exception") or any(
            output.get("output_type") == "error"
            for cell in nb.cells
            for output in cell.get("outputs", [])
        ):
            Path(failed_path).parent.mkdir(parents=True, exist_ok=True)
        raise_for_execution_errors(nb, failed_path)
    except PapermillExecutionError as exc:
        replace_kernel = True
        raise _failure(job, exc, source_index(exc.cell_index)) from None
    finally:
        if replace_kernel:
            _stop_kernel()
    return nb


def _describe(job: dict[str, Any]) -> str:
    params = ", ".join(f"{k}={v!r}" for k, v in job["shown_parameters"])
    return f"Notebook {job['notebook_name']} ({params})"


def _failure(job: dict[str, Any], exc: Any, index: int | None) -> NotebookFailedError:
    where = f"in Zelle {index + 1}" if index is not None else "in der Parameterzelle"
    if exc.exec_count:
        where += f" (In [{exc.exec_count}])"
    first_line = next((line for line in str(exc.source).splitlines() if line.strip()), "")
    message = f"{_describe(job)} ist {where} fehlgeschlagen: {exc.ename}: {exc.evalue}"
    if first_line:
        message += f"\n  Zelle beginnt mit: {first_line.strip()[:120]}"
    message += f"\n  Das ausgeführte Notebook liegt zur Prüfung in {job['failed_path_shown']}"
    return NotebookFailedError(
        message,
        notebook=job["notebook_name"],
        cell_index=index,
        ename=str(exc.ename),
        evalue=str(exc.evalue),
        failed_path=job["failed_path"],
    )


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Execute and export one page (runs in a worker process).

    Parameters
    ----------
    job:
        Built by the runner: notebook path and name, parameters, page context, target
        paths, timeouts.

    Returns
    -------
    dict
        ``page`` (path relative to the period folder), ``title``, ``csv`` (file names),
        ``seconds``, ``execute_seconds`` and ``reads`` (what the notebook read, see
        :mod:`bielefeld_integration.reads`).
    """

    started = time.perf_counter()
    cwd = job["cwd"]
    error = _STATE.pop("warm_up_error", None)
    if error is not None:
        raise error
    _ensure_kernel(cwd, job["start_timeout"])
    nb = load_notebook(job["notebook_path"], job.get("default_parameters"))
    nb = parameterize_notebook(
        nb, dict(job["parameters"]), kernel_name=KERNEL_NAME, language="python"
    )
    try:
        _reset_kernel(cwd, job["start_timeout"])
    except Exception:
        _stop_kernel()
        _ensure_kernel(cwd, job["start_timeout"])
        _reset_kernel(cwd, job["start_timeout"])
    executed = time.perf_counter()
    nb = _execute(nb, job)
    executed = time.perf_counter() - executed
    page_reads = _fetch_reads(job["start_timeout"])
    try:
        csv_files = prepare_notebook(
            nb,
            page_id=job["page_id"],
            csv_dir=Path(job["csv_dir"]),
            csv_href_prefix=job["csv_href_prefix"],
            title=job["html_title"],
            source_index=_source_index_mapper(nb),
        )
    except ReportError as exc:
        raise ReportError(f"{_describe(job)}: {exc}") from None
    _write_page(job, nb)
    if job.get("executed_path"):  # kept by the build cache: a new layout needs no new run
        write_text_atomic(job["executed_path"], nbformat.writes(nb))
    return {
        "page": job["page"],
        "title": job["context"]["page_title"],
        "csv": [p.name for p in csv_files],
        "seconds": time.perf_counter() - started,
        "execute_seconds": executed,
        "reads": page_reads,
    }


def _write_page(job: dict[str, Any], nb: Any) -> None:
    """Export a prepared notebook with the job's page context and write its HTML page."""
    try:
        page = export_page(_get_exporter(), nb, context=job["context"], notebook_dir=job["cwd"])
    except ReportError as exc:
        raise ReportError(f"{_describe(job)}: {exc}") from None
    write_text_atomic(job["html_path"], page)


def export_job(job: dict[str, Any], executed_path: str) -> dict[str, Any]:
    """Lay out an already executed page anew (runs in a worker process, no kernel needed).

    For a page whose notebook and data are unchanged but whose surroundings changed (the
    navigation after a new period, an editorial text): the executed notebook ``executed_path``
    (after :func:`.export.prepare_notebook`, kept by the build cache, downloads already in
    place) is exported with the job's context.

    Returns
    -------
    dict
        As :func:`run_job` (``execute_seconds`` is 0).
    """
    started = time.perf_counter()
    _write_page(job, nbformat.read(executed_path, as_version=4))
    return {
        "page": job["page"],
        "title": job["context"]["page_title"],
        "seconds": time.perf_counter() - started,
        "execute_seconds": 0.0,
    }

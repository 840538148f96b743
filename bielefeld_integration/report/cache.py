"""Build cache of the report pages: execute a notebook only when something it read changed.

A page is made of a *run* (the executed notebook and its downloads) and a *layout* (the
template around it). Three keys decide what is reused:

- the **recipe key** (SHA-256) of a run covers the notebook's bytes and the injected
  parameters, the page's name and title, the template files, the package version, a
  fingerprint of the package's code, the versions of Python and the libraries (a new
  matplotlib may draw a chart differently) and the package's environment variables the kernel
  inherits (``BIELEFELD_OFFICIAL_DIR``, the ``BIELEFELD_MAX_*`` limits, …; see
  :func:`kernel_environment`);
- the **trace** lists what the notebook read when it last ran (recorded in the kernel, see
  :mod:`bielefeld_integration.reads`): processed tables of its period and of the earlier
  periods a time series shows, provenance records, official tables, the rows of exactly the
  indicators it shows in the published table up to its own period, the list of periods up
  to its own, and any other file it opened. The **run key** is the recipe key plus the
  current content of every read of the trace;
- the **page key** is the run key plus the layout: the template context (navigation, the
  period's provenance as the page shows it; not the generation time) and the chapter's
  editorial text (``texts/<period>/<chapter>.md``, :mod:`bielefeld_integration.editorial`).

A notebook reads the same data as long as its recipe and that data are unchanged (it is
deterministic), so an unchanged run key means an unchanged run. A page whose page key is
stored is copied from the cache (HTML and CSV/XLSX downloads). A page whose run is stored
but whose layout changed (a new period in the navigation, a new editorial text) is exported
anew from the stored executed notebook, without a kernel. Only the others are executed, and
their run, trace and page are stored. Keys are content-based, never time-based.

The cache lives beside the processed data (``<data>/.report-cache/``): ``traces/`` holds one
trace per recipe, ``runs/`` and ``pages/`` one entry per key. Entries are written
atomically (a finished entry is renamed into place); the cache may be deleted at any time,
and :meth:`PageCache.prune` removes what the last build of the whole site did not use.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bielefeld_integration.atomic import write_bytes_atomic, write_text_atomic
from bielefeld_integration.editorial import texts_dir
from bielefeld_integration.incremental import (
    code_fingerprint,
    dependency_versions,
    digest_parts,
    tree_digest,
)
from bielefeld_integration.report.plan import PeriodPlan
from bielefeld_integration.report.read_digests import ReadDigests
from bielefeld_integration.report.resources import TEMPLATE_DIR
from bielefeld_integration.report.site import package_version

#: Environment variables of the package that cannot change what a notebook computes: how
#: long to wait for a lock, tracebacks on errors, the CLI's default output folder, and the
#: folder of editorial texts (their content is part of the page's layout, not of the run).
ENV_WITHOUT_EFFECT = frozenset(
    {"BIELEFELD_LOCK_WAIT", "BIELEFELD_DEBUG", "BIELEFELD_REPORTS_DIR", "BIELEFELD_TEXTS_DIR"}
)

#: Folder of the cache inside the processed store.
CACHE_DIR = ".report-cache"
#: Bump when the layout of a cache entry or the meaning of a key changes.
CACHE_FORMAT = "3"
_RESULT = "result.json"
_NOTEBOOK = "executed.ipynb"


@dataclass(frozen=True)
class Pending:
    """A page the cache could not restore, and what it needs.

    Attributes
    ----------
    recipe:
        The recipe key of its run (:meth:`PageCache.recipe`).
    layout:
        The key of its layout (:meth:`PageCache.layout`).
    executed:
        The stored executed notebook when only the layout changed (export it anew), else
        ``None`` (execute the notebook).
    reads:
        The trace of that stored run.
    run_result:
        What the stored run recorded (its download files).
    """

    recipe: str
    layout: str
    executed: Path | None = None
    reads: list[list[str]] | None = None
    run_result: dict[str, Any] | None = None


__all__ = [
    "CACHE_DIR",
    "ENV_WITHOUT_EFFECT",
    "PageCache",
    "Pending",
    "Rendered",
    "kernel_environment",
]


class Rendered(list):
    """The published period folders (in order of completion) and how their pages were made.

    Attributes
    ----------
    executed:
        Pages whose notebook was executed in this run.
    reused:
        Pages copied unchanged from the build cache.
    executed_pages:
        The executed pages as ``<period>/<page>``, e.g. ``"2019/massnahmen.html"``.
    relaid:
        Of the reused pages, those whose stored run was laid out anew (a new navigation or
        editorial text) instead of being copied.
    """

    def __init__(self, paths: Iterable[Path] = (), executed: int = 0, reused: int = 0):
        super().__init__(paths)
        self.executed = executed
        self.reused = reused
        self.executed_pages: list[str] = []
        self.relaid = 0

    def summary(self) -> str:
        """``"3 Seiten neu berechnet, 123 wiederverwendet"`` (and how many were laid out anew)."""
        noun = "Seite" if self.executed == 1 else "Seiten"
        text = f"{self.executed} {noun} neu berechnet, {self.reused} wiederverwendet"
        if self.relaid:
            text += f", davon {self.relaid} mit neuer Navigation oder Einordnung neu gesetzt"
        return text


class PageCache:
    """Recipe keys, traces and stored pages for one report run.

    Parameters
    ----------
    data_dir:
        The processed store; the cache lives in ``<data_dir>/.report-cache/``.
    """

    def __init__(self, data_dir: str | Path) -> None:
        self.data_dir = Path(data_dir)
        self.root = self.data_dir / CACHE_DIR
        # entries a crashed run left half-written (a failed store only costs a rebuild)
        for stale in self.root.glob("*/*/.*.tmp") if self.root.is_dir() else []:
            shutil.rmtree(stale, ignore_errors=True)
        shutil.rmtree(self.root / ".incoming", ignore_errors=True)  # runs a crash left behind
        self._static = digest_parts(
            CACHE_FORMAT,
            package_version(),
            code_fingerprint(),
            dependency_versions(),
            tree_digest(TEMPLATE_DIR),
        )
        self._reads = ReadDigests()
        #: Recipe keys and page keys used in this run (kept by :meth:`prune`).
        self.used: set[str] = set()

    # --- keys -------------------------------------------------------------------------------

    def recipe(self, job: Mapping[str, Any]) -> str:
        """The recipe key of one page's run: what decides the executed notebook, but not
        the data it reads and not its layout (navigation, editorial text)."""
        parameters = {k: v for k, v in job["parameters"].items() if k != "data_dir"}
        described = json.dumps(
            {
                "page": job["page"],
                "page_id": job["page_id"],
                "title": job["html_title"],
                "parameters": parameters,
                "csv_href_prefix": job["csv_href_prefix"],
                "data_dir": str(Path(job["parameters"].get("data_dir") or self.data_dir)),
                "environment": kernel_environment(),
            },
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )
        notebook = Path(job["notebook_path"])
        return digest_parts(self._static, notebook.read_bytes(), described)

    def layout(self, job: Mapping[str, Any]) -> str:
        """The key of a page's layout: the template context (navigation, provenance as the
        page shows it; not the generation time) and the chapter's editorial text."""
        period = str(job["parameters"]["period"])
        context = {k: v for k, v in job["context"].items() if k != "generated"}
        notebook = Path(job["notebook_path"])
        editorial = texts_dir() / period / f"{notebook.stem}.md"
        text = editorial.read_bytes() if editorial.is_file() else b"no text"
        described = json.dumps(context, ensure_ascii=False, sort_keys=True, default=str)
        return digest_parts(self._static, described, text)

    def run_key(self, recipe: str, page_reads: Iterable[Iterable[str]]) -> str:
        """The run key: the recipe and the current content of every read of the trace."""
        parts: list[str] = [recipe]
        for item in page_reads:
            read = tuple(map(str, item))
            parts += [json.dumps(read, ensure_ascii=False), self.digest(read)]
        return digest_parts(*parts)

    def digest(self, read: tuple[str, ...]) -> str:
        """The current content of one read (see :class:`.read_digests.ReadDigests`)."""
        return self._reads.digest(read)

    # --- traces and entries -----------------------------------------------------------------

    def _trace_path(self, recipe: str) -> Path:
        return self.root / "traces" / recipe[:2] / f"{recipe}.json"

    def trace(self, recipe: str) -> list[list[str]] | None:
        """The reads recorded when the page of this recipe last ran (None: never, or damaged)."""
        try:
            found = json.loads(self._trace_path(recipe).read_text(encoding="utf-8"))
            page_reads = found["reads"]
            if not all(isinstance(r, list) and len(r) >= 2 for r in page_reads):
                return None
            return [list(map(str, r)) for r in page_reads]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def restore_plans(self, plans: Iterable[PeriodPlan], *, force: bool) -> dict[int, Pending]:
        """Restore every page whose page key is stored; say what the others need.

        Restored pages are appended to their plan's ``results``. The result maps
        ``id(job)`` of every other page to its :class:`Pending`: a new layout of a stored run
        (``executed`` set) or a run of the notebook. With ``force`` nothing is restored.
        """
        pending: dict[int, Pending] = {}
        for plan in plans:
            for job in plan.jobs:
                recipe, layout = self.recipe(job), self.layout(job)
                self.used.add(recipe)
                page_reads = None if force else self.trace(recipe)
                if page_reads is None:
                    pending[id(job)] = Pending(recipe, layout)
                    continue
                run = self.run_key(recipe, page_reads)
                page = _page_key(run, layout)
                result = self.restore(page, job)
                if result is not None:
                    self.used |= {run, page}
                    plan.results.append(result)
                    continue
                executed = self._entry("runs", run)
                stored = self._restore_files(executed, job)
                if stored is not None and (executed / _NOTEBOOK).is_file():
                    self.used.add(run)
                    pending[id(job)] = Pending(
                        recipe, layout, executed / _NOTEBOOK, page_reads, stored
                    )
                else:
                    pending[id(job)] = Pending(recipe, layout)
        return pending

    def incoming(self, recipe: str) -> Path:
        """Where a worker writes the executed notebook of a run before it is stored."""
        return self.root / ".incoming" / f"{recipe}.ipynb"

    def _entry(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / key

    def _restore_files(self, entry: Path, job: Mapping[str, Any]) -> dict[str, Any] | None:
        """Copy a stored entry's downloads into the job's folder; return its result, or None."""
        if not entry.is_dir():
            return None
        try:
            result = json.loads((entry / _RESULT).read_text(encoding="utf-8"))
            if not isinstance(result, dict):
                raise OSError("damaged entry")
            csv_dir = Path(job["csv_dir"])
            csv_dir.mkdir(parents=True, exist_ok=True)
            for name in result.get("files", []):
                shutil.copyfile(entry / "data" / name, csv_dir / name)
        except (OSError, TypeError, ValueError):
            shutil.rmtree(entry, ignore_errors=True)  # damaged: made and stored anew
            return None
        return result

    def restore(self, key: str, job: Mapping[str, Any]) -> dict[str, Any] | None:
        """Copy a stored page into the job's target folder; return its result, or None."""
        entry = self._entry("pages", key)
        result = self._restore_files(entry, job)
        if result is None:
            return None
        html = Path(job["html_path"])
        html.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(entry / "page.html", html)
        except OSError:
            shutil.rmtree(entry, ignore_errors=True)
            return None
        return {**result, "cached": True}

    def store(self, pending: Pending, job: Mapping[str, Any], result: Mapping[str, Any]) -> None:
        """Keep a made page, and for an executed notebook its run and trace (atomic).

        ``result["csv"]`` names the page's downloads. For a run, ``result["reads"]`` is the
        trace the worker fetched from the kernel and the job's ``executed_path`` the executed
        notebook.
        """
        executed = pending.executed is None
        page_reads = result.get("reads", []) if executed else pending.reads
        page_reads = [list(map(str, r)) for r in page_reads or []]
        run = self.run_key(pending.recipe, page_reads)
        page = _page_key(run, pending.layout)
        self.used |= {pending.recipe, run, page}
        stored = {"page": result["page"], "title": result["title"], "csv": list(result["csv"])}
        try:
            self._store_entry(self._entry("pages", page), job, stored, {"page.html": "html_path"})
            # without an executed notebook the page is kept, its run and trace are not
            if executed and Path(job.get("executed_path") or "").is_file():
                self._store_entry(
                    self._entry("runs", run), job, stored, {_NOTEBOOK: "executed_path"}
                )
                write_text_atomic(
                    self._trace_path(pending.recipe),
                    json.dumps({"reads": page_reads, "key": run}, ensure_ascii=False, indent=0),
                )
        except OSError:
            pass  # the cache is an optimisation: a failed store only costs a later rebuild
        finally:
            if executed and job.get("executed_path"):
                Path(job["executed_path"]).unlink(missing_ok=True)

    def _store_entry(
        self,
        entry: Path,
        job: Mapping[str, Any],
        stored: dict[str, Any],
        copies: Mapping[str, str],
    ) -> None:
        """Write one entry: ``copies`` maps entry file names to the job's path fields.

        A complete entry under the same key is kept; a damaged one is replaced.
        """
        if entry.exists():
            if _complete(entry, copies):
                return
            shutil.rmtree(entry, ignore_errors=True)
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{entry.name[:12]}.", suffix=".tmp", dir=entry.parent))
        try:
            for name, field in copies.items():
                shutil.copyfile(job[field], tmp / name)
            (tmp / "data").mkdir()
            names = sorted(_page_files(job, stored))
            for name in names:
                shutil.copyfile(Path(job["csv_dir"]) / name, tmp / "data" / name)
            content = json.dumps({**stored, "files": names}, ensure_ascii=False)
            (tmp / _RESULT).write_text(content, encoding="utf-8")
            os.rename(tmp, entry)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def derived_file(
        self, target: Path, parts: Iterable[str], make: Callable[[], Path | None]
    ) -> None:
        """Copy ``target`` from the cache if it was made from the same ``parts``, else make it.

        For files of the site made from the store rather than by a notebook (the long-format
        download of every published value). ``make`` writes ``target`` and returns it, or
        ``None`` when there is nothing to write.
        """
        key = digest_parts(self._static, "derived", target.name, *parts)
        entry = self.root / "files" / key[:2] / key
        self.used.add(key)
        if entry.is_file():
            try:
                write_bytes_atomic(target, entry.read_bytes())
                return
            except OSError:
                entry.unlink(missing_ok=True)
        made = make()
        if made is not None:
            try:
                write_bytes_atomic(entry, Path(made).read_bytes())
            except OSError:
                pass  # only an optimisation

    def prune(self) -> int:
        """Remove every trace and entry this run did not use; return how many were removed.

        Call it only after a build of the whole site (every period), else the pages of the
        other periods would have to be executed again next time. Folders of other cache
        layouts are removed.
        """
        removed = 0
        if not self.root.is_dir():
            return 0
        for folder in sorted(self.root.iterdir()):
            if folder.name not in ("traces", "runs", "pages", "files"):
                if not folder.name.startswith("."):
                    shutil.rmtree(folder, ignore_errors=True)
                    removed += 1
                continue
            for item in sorted(folder.glob("*/*")):
                name = item.stem if folder.name == "traces" else item.name
                if name in self.used or item.name.startswith("."):
                    continue
                if item.is_dir():
                    shutil.rmtree(item, ignore_errors=True)
                else:
                    item.unlink(missing_ok=True)
                removed += 1
        return removed


def kernel_environment() -> dict[str, str]:
    """The package's environment variables a notebook's kernel inherits and may act on.

    A notebook that reads official tables finds them through ``BIELEFELD_OFFICIAL_DIR``, and
    the ``BIELEFELD_MAX_*`` limits decide whether a file is refused; the trace of an earlier
    run would not show that such a variable now points elsewhere, so they are part of the
    recipe. Only :data:`ENV_WITHOUT_EFFECT` is left out.
    """
    return {
        name: value
        for name, value in sorted(os.environ.items())
        if name.startswith("BIELEFELD_") and name not in ENV_WITHOUT_EFFECT
    }


def _complete(entry: Path, names: Iterable[str]) -> bool:
    """Whether a stored entry has its result, its named files and every download it lists."""
    try:
        result = json.loads((entry / _RESULT).read_text(encoding="utf-8"))
        files = [*names, *(f"data/{name}" for name in result["files"])]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return all((entry / name).is_file() for name in files)


def _page_key(run: str, layout: str) -> str:
    """The page key: a run laid out with one layout."""
    return digest_parts(run, layout)


def _page_files(job: Mapping[str, Any], result: Mapping[str, Any]) -> set[str]:
    """The download files of one page: its CSVs and the XLSX files beside them."""
    prefix = f"{job['page_id']}-"
    csv_dir = Path(job["csv_dir"])
    names = set(result.get("csv", []))
    if csv_dir.is_dir():
        names |= {p.name for p in csv_dir.iterdir() if p.name.startswith(prefix)}
    return {n for n in names if (csv_dir / n).is_file()}

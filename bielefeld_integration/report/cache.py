"""Build cache of the report pages: re-execute a notebook only when something it read changed.

A page is reused when neither its recipe nor any data it read has changed since it was built:

- the **recipe key** (SHA-256) covers the notebook's bytes and the injected parameters, the
  page context of the template (navigation, the period's provenance as the page shows it;
  not the generation time), the chapter's editorial text of the period
  (``texts/<period>/<chapter>.md``, see :mod:`bielefeld_integration.editorial`), the
  template files, the package version and a fingerprint of the package's code;
- the **trace** lists what the notebook read when it last ran (recorded in the kernel, see
  :mod:`bielefeld_integration.reads`): processed tables of its period and of the earlier
  periods a time series shows, provenance records, official tables, the rows of exactly the
  indicators it shows in the published table, up to its own period, and any other file it
  opened;
- the **page key** is the recipe key plus the current content of every read of the trace.

A notebook reads the same data as long as its recipe and that data are unchanged (it is
deterministic), so an unchanged page key means an unchanged page: it is copied from the
cache (HTML and CSV/XLSX downloads) instead of executed. Otherwise the notebook runs, and the
page, its new trace and its new page key are stored. Keys are content-based, never
time-based.

The cache lives beside the processed data (``<data>/.report-cache/``): ``traces/`` holds one
trace per recipe, the other folders one entry per page key. Entries are written atomically
(a finished entry is renamed into place); the cache may be deleted at any time, and
:meth:`PageCache.prune` removes what the last complete build did not use.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from bielefeld_integration import store
from bielefeld_integration.atomic import write_text_atomic
from bielefeld_integration.editorial import texts_dir
from bielefeld_integration.errors import DataError
from bielefeld_integration.incremental import code_fingerprint
from bielefeld_integration.report.plan import PeriodPlan
from bielefeld_integration.report.resources import TEMPLATE_DIR
from bielefeld_integration.report.site import package_version

#: Folder of the cache inside the processed store.
CACHE_DIR = ".report-cache"
#: Bump when the layout of a cache entry or the meaning of a key changes.
CACHE_FORMAT = "2"
_RESULT = "result.json"

__all__ = ["CACHE_DIR", "PageCache", "Rendered"]


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def _tree_digest(root: Path, pattern: str = "*") -> str:
    """Hash of the names and bytes of the files below ``root`` (empty if it does not exist)."""
    if not root.is_dir():
        return _digest("missing")
    parts: list[bytes | str] = []
    for path in sorted(p for p in root.rglob(pattern) if p.is_file()):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue  # temporary and cache files
        parts += [path.relative_to(root).as_posix(), path.read_bytes()]
    return _digest(*parts)


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
    """

    def __init__(self, paths: Iterable[Path] = (), executed: int = 0, reused: int = 0):
        super().__init__(paths)
        self.executed = executed
        self.reused = reused
        self.executed_pages: list[str] = []

    def summary(self) -> str:
        """``"3 Seiten neu berechnet, 123 wiederverwendet"``."""
        noun = "Seite" if self.executed == 1 else "Seiten"
        return f"{self.executed} {noun} neu berechnet, {self.reused} wiederverwendet"


class PageCache:
    """Recipe keys, traces and stored pages for one report run.

    Parameters
    ----------
    data_dir:
        The processed store; the cache lives in ``<data_dir>/.report-cache/``.
    periods:
        The periods rendered in this run.
    """

    def __init__(self, data_dir: str | Path, periods: Iterable[str] = ()) -> None:
        self.data_dir = Path(data_dir)
        self.root = self.data_dir / CACHE_DIR
        # entries a crashed run left half-written (a failed store only costs a rebuild)
        for stale in self.root.glob("*/.*.tmp") if self.root.is_dir() else []:
            shutil.rmtree(stale, ignore_errors=True)
        self._static = _digest(
            CACHE_FORMAT, package_version(), code_fingerprint(), _tree_digest(TEMPLATE_DIR)
        )
        self._digests: dict[tuple[str, ...], str] = {}
        self._published: dict[str, dict[tuple[str, str], str]] = {}
        #: Recipe keys and page keys used in this run (kept by :meth:`prune`).
        self.used: set[str] = set()

    # --- keys -------------------------------------------------------------------------------

    def recipe(self, job: Mapping[str, Any]) -> str:
        """The recipe key of one page (everything but the data it reads)."""
        period = str(job["parameters"]["period"])
        context = {k: v for k, v in job["context"].items() if k != "generated"}
        parameters = {k: v for k, v in job["parameters"].items() if k != "data_dir"}
        described = json.dumps(
            {
                "page": job["page"],
                "page_id": job["page_id"],
                "title": job["html_title"],
                "parameters": parameters,
                "context": context,
                "csv_href_prefix": job["csv_href_prefix"],
                "data_dir": str(Path(job["parameters"].get("data_dir") or self.data_dir)),
            },
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )
        notebook = Path(job["notebook_path"])
        editorial = texts_dir() / period / f"{notebook.stem}.md"
        text = editorial.read_bytes() if editorial.is_file() else b"no text"
        return _digest(self._static, notebook.read_bytes(), text, described)

    def page_key(self, recipe: str, page_reads: Iterable[Iterable[str]]) -> str:
        """The page key: the recipe and the current content of every read of the trace."""
        parts: list[str] = [recipe]
        for item in page_reads:
            read = tuple(map(str, item))
            parts += [json.dumps(read, ensure_ascii=False), self.digest(read)]
        return _digest(*parts)

    def digest(self, read: tuple[str, ...]) -> str:
        """The current content of one read (see :mod:`bielefeld_integration.reads`)."""
        if read not in self._digests:
            self._digests[read] = self._compute(read)
        return self._digests[read]

    def _compute(self, read: tuple[str, ...]) -> str:
        kind, path, *rest = read
        target = Path(path)
        if kind == "file":
            if target.is_file():
                return hashlib.sha256(target.read_bytes()).hexdigest()
            return "folder" if target.is_dir() else "missing"
        if kind == "exists":
            return "file" if target.is_file() else "folder" if target.is_dir() else "missing"
        if kind == "list":
            if not target.is_dir():
                return "missing"
            names = sorted(p.name for p in target.iterdir() if not p.name.startswith("."))
            return _digest(*names)
        if kind == "periods":
            return _digest(*store.periods(target))
        if kind == "published" and len(rest) == 2:
            indicator, upto = rest
            slices = self._published_slices(path)
            chosen = sorted(
                (key, value)
                for key, value in slices.items()
                if (indicator == "*" or key[0] == indicator) and (not upto or key[1] <= upto)
            )
            return _digest(*[f"{ind}|{period}|{value}" for (ind, period), value in chosen])
        return _digest("unknown read", *read)  # never equal to a stored digest of a known read

    def _published_slices(self, store_dir: str) -> dict[tuple[str, str], str]:
        """(indicator, period) -> hash of those rows of a store's published table."""
        if store_dir not in self._published:
            try:
                table = store.read_published_table(store_dir)
            except DataError:
                self._published[store_dir] = {("", ""): "missing"}
                return self._published[store_dir]
            columns = ",".join(map(str, table.columns))
            slices = {}
            grouped = table.groupby(["indicator", table["period"].astype(str)], sort=True)
            for (indicator, period), rows in grouped:
                values = pd.util.hash_pandas_object(rows.reset_index(drop=True), index=True)
                slices[(str(indicator), str(period))] = _digest(
                    columns, values.to_numpy().tobytes()
                )
            self._published[store_dir] = slices
        return self._published[store_dir]

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

    def restore_plans(self, plans: Iterable[PeriodPlan], *, force: bool) -> dict[int, str]:
        """Restore every page whose page key is stored; return the recipes of the others.

        The result maps ``id(job)`` to the job's recipe key; restored pages are appended to
        their plan's ``results``. With ``force`` nothing is restored.
        """
        recipes: dict[int, str] = {}
        for plan in plans:
            for job in plan.jobs:
                recipe = self.recipe(job)
                self.used.add(recipe)
                page_reads = None if force else self.trace(recipe)
                result = None
                if page_reads is not None:
                    key = self.page_key(recipe, page_reads)
                    result = self.restore(key, job)
                    if result is not None:
                        self.used.add(key)
                if result is None:
                    recipes[id(job)] = recipe
                else:
                    plan.results.append(result)
        return recipes

    def restore(self, key: str, job: Mapping[str, Any]) -> dict[str, Any] | None:
        """Copy a stored page into the job's target folder; return its result, or None."""
        entry = self.root / key[:2] / key
        if not entry.is_dir():
            return None
        try:
            result = json.loads((entry / _RESULT).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            result = None
        html = Path(job["html_path"])
        csv_dir = Path(job["csv_dir"])
        html.parent.mkdir(parents=True, exist_ok=True)
        csv_dir.mkdir(parents=True, exist_ok=True)
        try:
            if not isinstance(result, dict):
                raise OSError("damaged entry")
            shutil.copyfile(entry / "page.html", html)
            for name in result.get("files", []):
                shutil.copyfile(entry / "data" / name, csv_dir / name)
        except (OSError, TypeError):
            shutil.rmtree(entry, ignore_errors=True)  # damaged: executed and stored anew
            return None
        return {**result, "cached": True}

    def store(self, recipe: str, job: Mapping[str, Any], result: Mapping[str, Any]) -> None:
        """Keep an executed page and its trace (atomic, never partial).

        ``result["reads"]`` is the trace the worker fetched from the kernel.
        """
        page_reads = [list(map(str, r)) for r in result.get("reads", [])]
        key = self.page_key(recipe, page_reads)
        self.used |= {recipe, key}
        entry = self.root / key[:2] / key
        try:
            if not entry.exists():
                self._store_entry(entry, key, job, result)
            write_text_atomic(
                self._trace_path(recipe),
                json.dumps({"reads": page_reads, "key": key}, ensure_ascii=False, indent=0),
            )
        except OSError:
            pass  # the cache is an optimisation: a failed store only costs a later rebuild

    def _store_entry(
        self, entry: Path, key: str, job: Mapping[str, Any], result: Mapping[str, Any]
    ) -> None:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{key[:12]}.", suffix=".tmp", dir=entry.parent))
        try:
            shutil.copyfile(job["html_path"], tmp / "page.html")
            (tmp / "data").mkdir()
            names = sorted(_page_files(job, result))
            for name in names:
                shutil.copyfile(Path(job["csv_dir"]) / name, tmp / "data" / name)
            stored = {
                "page": result["page"],
                "title": result["title"],
                "csv": list(result.get("csv", [])),
                "files": names,
            }
            (tmp / _RESULT).write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
            os.rename(tmp, entry)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def prune(self) -> int:
        """Remove every trace and entry this run did not use; return how many were removed.

        Call it only after a build of the whole site (every period), else the pages of the
        other periods would have to be executed again next time.
        """
        removed = 0
        if not self.root.is_dir():
            return 0
        for folder in sorted(self.root.iterdir()):
            if not folder.is_dir():
                continue
            if folder.name == "traces":
                for trace in sorted(folder.glob("*/*.json")):
                    if trace.stem not in self.used:
                        trace.unlink(missing_ok=True)
                        removed += 1
                continue
            for entry in sorted(folder.iterdir()):
                if entry.name not in self.used and not entry.name.startswith("."):
                    shutil.rmtree(entry, ignore_errors=True)
                    removed += 1
        return removed


def _page_files(job: Mapping[str, Any], result: Mapping[str, Any]) -> set[str]:
    """The download files of one page: its CSVs and the XLSX files beside them."""
    prefix = f"{job['page_id']}-"
    csv_dir = Path(job["csv_dir"])
    names = set(result.get("csv", []))
    if csv_dir.is_dir():
        names |= {p.name for p in csv_dir.iterdir() if p.name.startswith(prefix)}
    return {n for n in names if (csv_dir / n).is_file()}



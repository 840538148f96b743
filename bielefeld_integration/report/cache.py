"""Build cache of the report pages: re-execute a notebook only when something it reads changed.

Every page gets a key, the SHA-256 of everything that decides its content:

- the notebook's bytes and the injected parameters,
- the page context of the template (navigation, provenance of the period; not the
  generation time),
- the processed inputs of its period *and every earlier period* (a time-series page shows
  them all): the bytes of every file in ``<data>/<period>/`` for those periods, the rows of
  those periods in the store's period-wide tables (``published.parquet``,
  ``indicators.parquet``, …) and the official tables (``<data>/official/``),
- the chapter's editorial text of the period (``texts/<period>/<chapter>.md``, see
  :mod:`bielefeld_integration.editorial`),
- the template files, the package version and a fingerprint of the package's code (so that a
  changed presentation function in a checkout invalidates the pages, too).

The key is content-based, never time-based. A page whose key is in the cache is copied from
there (its HTML and its CSV/XLSX downloads); otherwise the notebook is executed and the result
stored. The cache lives beside the processed data (``<data>/.report-cache/``), is written
atomically (a finished entry is renamed into place) and may be deleted at any time.
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

from bielefeld_integration.editorial import texts_dir
from bielefeld_integration.incremental import code_fingerprint
from bielefeld_integration.periods import Period
from bielefeld_integration.report.plan import PeriodPlan
from bielefeld_integration.report.resources import TEMPLATE_DIR
from bielefeld_integration.report.site import package_version

#: Folder of the cache inside the processed store.
CACHE_DIR = ".report-cache"
#: Bump when the layout of a cache entry or the meaning of a key changes.
CACHE_FORMAT = "1"
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
    """

    def __init__(self, paths: Iterable[Path] = (), executed: int = 0, reused: int = 0):
        super().__init__(paths)
        self.executed = executed
        self.reused = reused

    def summary(self) -> str:
        """``"3 Seiten neu berechnet, 123 wiederverwendet"``."""
        noun = "Seite" if self.executed == 1 else "Seiten"
        return f"{self.executed} {noun} neu berechnet, {self.reused} wiederverwendet"


class PageCache:
    """Page keys and stored pages for one report run.

    Parameters
    ----------
    data_dir:
        The processed store; the cache lives in ``<data_dir>/.report-cache/``.
    periods:
        The periods rendered in this run (their input hashes are computed once).
    """

    def __init__(self, data_dir: str | Path, periods: Iterable[str]) -> None:
        self.data_dir = Path(data_dir)
        self.root = self.data_dir / CACHE_DIR
        # entries a crashed run left half-written (a failed store only costs a rebuild)
        for stale in self.root.glob("*/.*.tmp") if self.root.is_dir() else []:
            shutil.rmtree(stale, ignore_errors=True)
        self._inputs = self._input_digests(sorted(periods))
        self._static = _digest(
            CACHE_FORMAT,
            package_version(),
            code_fingerprint(),
            _tree_digest(TEMPLATE_DIR),
            self._official(),
        )

    # --- keys -------------------------------------------------------------------------------

    def _official(self) -> str:
        return _tree_digest(self.data_dir / "official")

    def _input_digests(self, periods: list[str]) -> dict[str, str]:
        """period -> hash of the processed inputs of that period and all earlier ones."""
        if not periods or not self.data_dir.is_dir():
            return {
                period: _digest("no store", _tree_digest(texts_dir() / period))
                for period in periods
            }
        latest = max(Period.parse(p) for p in periods)
        stored = sorted(
            p.name
            for p in self.data_dir.iterdir()
            if p.is_dir() and not p.name.startswith(".") and _is_period(p.name)
        )
        per_period = {name: _tree_digest(self.data_dir / name) for name in stored}
        slices = self._table_slices(str(latest))
        result = {}
        for period in periods:
            upto = [name for name in stored if name <= period]
            result[period] = _digest(
                *[f"{name}:{per_period[name]}" for name in upto],
                *[
                    f"{table}:{slices[table].get(name, '')}"
                    for table in sorted(slices)
                    for name in upto
                ],
            )
        return result

    def _table_slices(self, latest: str) -> dict[str, dict[str, str]]:
        """For each period-wide table of the store: period -> hash of that period's rows."""
        found: dict[str, dict[str, str]] = {}
        for path in sorted(self.data_dir.glob("*.parquet")):
            df = pd.read_parquet(path)
            if "period" not in df.columns:
                found[path.name] = {"": _digest(path.read_bytes())}
                continue
            hashes = {}
            for period, rows in df.groupby(df["period"].astype(str), sort=True):
                if period <= latest:
                    values = pd.util.hash_pandas_object(rows.reset_index(drop=True), index=True)
                    hashes[str(period)] = _digest(
                        ",".join(map(str, rows.columns)), values.to_numpy().tobytes()
                    )
            found[path.name] = hashes
        return found

    def key(self, job: Mapping[str, Any]) -> str:
        """The key of one page (see the module docstring for what goes into it)."""
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
            },
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )
        notebook = Path(job["notebook_path"])
        editorial = texts_dir() / period / f"{notebook.stem}.md"
        text = editorial.read_bytes() if editorial.is_file() else b"no text"
        return _digest(self._static, self._inputs[period], notebook.read_bytes(), text, described)

    # --- entries ----------------------------------------------------------------------------

    def restore_plans(self, plans: Iterable[PeriodPlan], *, force: bool) -> dict[int, str]:
        """Restore every page whose key is stored; return the keys of the pages to execute.

        The result maps ``id(job)`` to the job's key; restored pages are appended to their
        plan's ``results``. With ``force`` nothing is restored.
        """
        keys: dict[int, str] = {}
        for plan in plans:
            for job in plan.jobs:
                key = self.key(job)
                result = None if force else self.restore(key, job)
                if result is None:
                    keys[id(job)] = key
                else:
                    plan.results.append(result)
        return keys

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

    def store(self, key: str, job: Mapping[str, Any], result: Mapping[str, Any]) -> None:
        """Keep an executed page (HTML and downloads) under its key; atomic, never partial."""
        entry = self.root / key[:2] / key
        if entry.exists():
            return
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
        except OSError:
            pass  # the cache is an optimisation: a failed store only costs a later rebuild
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def _page_files(job: Mapping[str, Any], result: Mapping[str, Any]) -> set[str]:
    """The download files of one page: its CSVs and the XLSX files beside them."""
    prefix = f"{job['page_id']}-"
    csv_dir = Path(job["csv_dir"])
    names = set(result.get("csv", []))
    if csv_dir.is_dir():
        names |= {p.name for p in csv_dir.iterdir() if p.name.startswith(prefix)}
    return {n for n in names if (csv_dir / n).is_file()}


def _is_period(name: str) -> bool:
    try:
        Period.parse(name)
    except ValueError:
        return False
    return True

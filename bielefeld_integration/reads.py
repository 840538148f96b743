"""What a report page read: the dependency trace that keys the page in the build cache.

While a notebook runs in a report kernel, every read of data is recorded as a small list
of strings (a *read*):

``["file", path]``
    the bytes of a file (a processed table, ``provenance.json``, an official table, a
    scenario file, an editorial text, …);
``["summary", path]``
    only version, synthetic flag and number of inputs of a ``provenance.json``
    (:func:`bielefeld_integration.store.provenance_summary`);
``["exists", path]``
    only whether a file exists (:func:`bielefeld_integration.store.has_table`);
``["list", path]``
    the names in a folder;
``["periods", store, period]``
    the processed periods of a store up to ``period`` (``""``: all;
    :func:`bielefeld_integration.store.periods`);
``["published", store, indicator, period]``
    the rows of one indicator (``"*"``: of all indicators) of the published table up to and
    including ``period`` (``""``: every period).

Two mechanisms record them. The data functions record what they return
(:mod:`bielefeld_integration.store`, the official tables, the page's view of the published
table). An audit hook (:func:`sys.addaudithook`) records every file Python opens for
reading and every folder it lists, outside the Python installation and the package itself;
it catches reads that bypass the data functions. (Parquet files are read by Arrow's own
file system, invisible to the hook, so every parquet read goes through a data function.)
The published and the internal indicator table are only ever recorded by the data
functions, row-precisely: a page that shows three indicators depends on those three.

Paths are absolute. The build cache (:mod:`bielefeld_integration.report.cache`) hashes the
current content of every read of a page; when none changed, the stored page is still right.
Recording costs nothing when no trace is active (outside report kernels).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = [
    "IGNORED_FILES",
    "paused",
    "read_file",
    "read_published",
    "record",
    "recorded",
    "recorded_json",
    "start",
    "stop",
]

#: Store files only recorded row-precisely by the data functions, never by the audit hook.
IGNORED_FILES = frozenset({"published.parquet", "indicators.parquet"})

_STATE: dict[str, Any] = {"active": False, "reads": {}, "hook": False, "skip": ()}


def _skipped_prefixes() -> tuple[str, ...]:
    """Folders whose files are code, not data (changes there are in the code fingerprint)."""
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    package = Path(__file__).resolve().parent
    prefixes |= {str(package), os.path.abspath(str(package))}
    prefixes |= {"/proc", "/dev", "/sys"}
    return tuple(os.path.join(os.path.abspath(p), "") for p in prefixes if p)


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _STATE["active"]:
        return
    if event == "open":
        path, mode = args[0], args[1]
        if isinstance(path, int) or path is None:
            return
        if mode is not None and any(c in str(mode) for c in "wax+"):
            return  # writes (downloads, caches) are outputs, not inputs
        kind = "file"
    elif event in ("os.listdir", "os.scandir"):
        path = args[0]
        if path is None or isinstance(path, int):
            path = "."
        kind = "list"
    else:
        return
    try:
        name = os.path.abspath(os.fsdecode(path))
    except (TypeError, ValueError):
        return
    if name.startswith(_STATE["skip"]):
        return
    if kind == "file" and os.path.basename(name) in IGNORED_FILES:
        return
    if (kind, name) not in _STATE["reads"]:
        # whether it existed: a file that existed and is gone when the notebook has run was
        # the page's own temporary file (e.g. of the XLSX writer), not an input
        _STATE["reads"][(kind, name)] = os.path.exists(name)


def start() -> None:
    """Begin a new trace (called before each notebook in a report kernel)."""
    if not _STATE["hook"]:
        _STATE["skip"] = _skipped_prefixes()
        sys.addaudithook(_hook)
        _STATE["hook"] = True
    _STATE["reads"] = {}
    _STATE["active"] = True


@contextmanager
def paused() -> Iterator[None]:
    """Record nothing inside (for a data function that records a narrower read itself)."""
    active = _STATE["active"]
    _STATE["active"] = False
    try:
        yield
    finally:
        _STATE["active"] = active


def stop() -> None:
    """End the trace (recording stops; :func:`recorded` still returns it)."""
    _STATE["active"] = False


def record(kind: str, *parts: str | os.PathLike[str]) -> None:
    """Record one read (no-op when no trace is active).

    Parameters
    ----------
    kind:
        ``"file"``, ``"exists"``, ``"list"``, ``"periods"`` or ``"published"``.
    parts:
        Its arguments; the first is a path and is made absolute.
    """
    if not _STATE["active"]:
        return
    first, *rest = parts
    key = (kind, os.path.abspath(os.fspath(first)), *map(str, rest))
    _STATE["reads"].setdefault(key, None)


def read_file(path: str | os.PathLike[str]) -> None:
    """Record that the bytes of ``path`` were read."""
    record("file", path)


def read_published(store: str | os.PathLike[str], indicator: str, period: str = "") -> None:
    """Record the rows of ``indicator`` (``"*"``: all) up to ``period`` of a store's table."""
    record("published", store, indicator, period)


def recorded() -> list[list[str]]:
    """The reads of the current (or last) trace, sorted (without the page's temporary files)."""
    return sorted(
        list(key)
        for key, existed in _STATE["reads"].items()
        if not (existed and not os.path.exists(key[1]))
    )


def recorded_json() -> str:
    """:func:`recorded` as JSON (fetched from the kernel by the report runner)."""
    return json.dumps(recorded(), ensure_ascii=False)

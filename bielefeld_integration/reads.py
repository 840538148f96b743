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
``["tree", path]``
    the names and bytes of every file below a folder (an Arrow dataset read from a folder);
``["periods", store, period]``
    the processed periods of a store up to ``period`` (``""``: all;
    :func:`bielefeld_integration.store.periods`);
``["published", store, indicator, period]``
    the rows of one indicator (``"*"``: of all indicators) of the published table up to and
    including ``period`` (``""``: every period).

Four mechanisms record them:

- The data functions record what they return (:mod:`bielefeld_integration.store`, the
  official tables, the page's view of the published table). They record narrowly: a page
  that shows three indicators of the published table depends on the rows of those three,
  and a data function that reads more than it returns reads inside :func:`paused`.
- An audit hook (:func:`sys.addaudithook`) records every file Python opens for reading and
  every folder it lists, outside the Python installation and the package itself; it
  catches reads that bypass the data functions (a notebook cell's ``open``,
  ``pd.read_csv`` or ``sqlite3.connect``).
- ``os.stat`` is wrapped while a trace is active, so that asking whether a missing file
  exists (``Path.exists()``, ``os.path.isfile()``) is recorded as ``exists``: the answer
  changes when the file arrives.
- Arrow opens files with its own C++ file system, past the audit hook. So the Arrow readers
  a notebook may call directly or through pandas (``pd.read_parquet``,
  ``pyarrow.parquet.read_table``, ``ParquetFile``, ``pyarrow.dataset.dataset``, Arrow's CSV,
  JSON, ORC, Feather and IPC readers, :data:`ARROW_READERS`) are wrapped while a trace
  is active and record the path they are given (a folder as a ``tree``).

A notebook cell that reads the published table's file itself depends on all of it.

Paths are absolute. The build cache (:mod:`bielefeld_integration.report.cache`) hashes the
current content of every read of a page; when none changed, the stored page is still right.
Recording costs nothing when no trace is active (outside report kernels).
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = [
    "ARROW_READERS",
    "paused",
    "read_file",
    "read_published",
    "record",
    "recorded",
    "recorded_json",
    "start",
    "stop",
]

#: Arrow readers that open files past the audit hook: (module, attribute, position of the
#: path among the arguments, its keyword). Wrapped by :func:`start` in a report kernel.
ARROW_READERS: tuple[tuple[str, str, int, str], ...] = (
    ("pyarrow.parquet", "read_table", 0, "source"),
    ("pyarrow.parquet", "read_pandas", 0, "source"),
    ("pyarrow.parquet", "read_schema", 0, "where"),
    ("pyarrow.parquet", "read_metadata", 0, "where"),
    ("pyarrow.parquet", "ParquetFile.__init__", 1, "source"),
    ("pyarrow.parquet", "ParquetDataset.__init__", 1, "path_or_paths"),
    ("pyarrow.dataset", "dataset", 0, "source"),
    ("pyarrow.feather", "read_table", 0, "source"),
    ("pyarrow.feather", "read_feather", 0, "source"),
    ("pyarrow.csv", "read_csv", 0, "input_file"),
    ("pyarrow.csv", "open_csv", 0, "input_file"),
    ("pyarrow.json", "read_json", 0, "input_file"),
    ("pyarrow.orc", "read_table", 0, "source"),
    ("pyarrow.orc", "ORCFile.__init__", 1, "source"),
    ("pyarrow.ipc", "open_file", 0, "source"),
    ("pyarrow.ipc", "open_stream", 0, "source"),
    ("pyarrow", "memory_map", 0, "path"),
    ("pyarrow", "input_stream", 0, "source"),
)

_STATE: dict[str, Any] = {"active": False, "reads": {}, "hook": False, "skip": ()}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_stat = os.stat  # the real one: os.stat is wrapped while a trace may be active


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
        path, mode, flags = args
        if isinstance(path, int) or path is None:
            return
        if mode is not None and any(c in str(mode) for c in "wax+"):
            return  # writes (downloads, caches) are outputs, not inputs
        if isinstance(flags, int) and flags & _WRITE_FLAGS:
            return  # the same through os.open (temporary files, atomic writes)
        kind = "file"
    elif event in ("os.listdir", "os.scandir"):
        path = args[0]
        if path is None or isinstance(path, int):
            path = "."
        kind = "list"
    elif event == "sqlite3.connect":  # SQLite opens its file in C, past the "open" event
        path = args[0]
        if not isinstance(path, str | bytes | os.PathLike) or os.fsdecode(path) == ":memory:":
            return
        kind = "file"
    else:
        return
    _note(kind, path)


def _exists(name: str) -> bool:
    try:
        _stat(name)
    except (OSError, ValueError):
        return False
    return True


def _note(kind: str, path: Any, existed: bool | None = None) -> None:
    """Record that a file (or folder) was read, unless it is code of Python or the package."""
    try:
        name = os.path.abspath(os.fsdecode(path))
    except (TypeError, ValueError):
        return
    if name.startswith(_STATE["skip"]):
        return
    if (kind, name) not in _STATE["reads"]:
        # whether it existed then: see recorded()
        _STATE["reads"][(kind, name)] = _exists(name) if existed is None else existed


def _recording_stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
    """``os.stat`` that records a question about a missing path (``Path.exists()``,
    ``os.path.isfile()``, …): the answer changes when the file arrives. A path that exists
    is not recorded; a page that reads it is recorded by the read."""
    try:
        return _stat(path, *args, **kwargs)
    except (FileNotFoundError, NotADirectoryError):
        if _STATE["active"] and not isinstance(path, int) and kwargs.get("dir_fd") is None:
            _note("exists", path, existed=False)
        raise


def _note_source(source: Any) -> None:
    """Record the path an Arrow reader was given (a folder as a ``tree``; remote URIs and
    open files are not paths: an open file was recorded by the hook when it was opened)."""
    if isinstance(source, list | tuple):
        for item in source:
            _note_source(item)
        return
    if not isinstance(source, str | os.PathLike):
        return
    try:
        text = os.fsdecode(source)
    except (TypeError, ValueError):
        return
    if text.startswith("file://"):
        text = text[len("file://") :]
    elif "://" in text:
        return
    try:
        folder = stat.S_ISDIR(_stat(text).st_mode)
    except (OSError, ValueError):
        folder = False
    _note("tree" if folder else "file", text)


def _recording(reader: Callable[..., Any], position: int, keyword: str) -> Callable[..., Any]:
    @functools.wraps(reader)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _STATE["active"]:
            _note_source(args[position] if len(args) > position else kwargs.get(keyword))
        return reader(*args, **kwargs)

    wrapper.__recording__ = True  # type: ignore[attr-defined]
    return wrapper


def _wrap_arrow_readers() -> None:
    for module_name, attribute, position, keyword in ARROW_READERS:
        try:
            owner: Any = importlib.import_module(module_name)
        except ImportError:  # an Arrow build without this format cannot read it either
            continue
        *classes, name = attribute.split(".")
        for cls in classes:
            owner = getattr(owner, cls)
        reader = getattr(owner, name)
        if not getattr(reader, "__recording__", False):
            setattr(owner, name, _recording(reader, position, keyword))


def start() -> None:
    """Begin a new trace (called before each notebook in a report kernel)."""
    if not _STATE["hook"]:
        _STATE["skip"] = _skipped_prefixes()
        sys.addaudithook(_hook)
        _wrap_arrow_readers()
        # the stand-in supports what os.stat supports (shutil and os ask these sets)
        for supported in (os.supports_dir_fd, os.supports_fd, os.supports_follow_symlinks):
            if _stat in supported:
                supported.add(_recording_stat)
        os.stat = _recording_stat
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
        ``"file"``, ``"exists"``, ``"list"``, ``"tree"``, ``"periods"`` or ``"published"``.
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
    """The reads of the current (or last) trace, sorted.

    Without the page's own files: a path noted by the hook, an Arrow reader or ``os.stat``
    that existed then and is gone when the notebook has run was its temporary file (e.g. of
    the XLSX writer); one that was missing then and exists now, a file it made itself.
    """
    return sorted(
        list(key)
        for key, existed in _STATE["reads"].items()
        if existed is None or existed == _exists(key[1])
    )


def recorded_json() -> str:
    """:func:`recorded` as JSON (fetched from the kernel by the report runner)."""
    return json.dumps(recorded(), ensure_ascii=False)

"""Per-file ingest cache: a delivery file that did not change is not read again.

Ingest reads every file of a delivery with its loader, validates it and checks its
coverage and dates (:func:`bielefeld_integration.ingest.check_period`). That result depends
only on

- the bytes of the file (the manifest's ``sha256``, which ingest verifies against the
  bytes before anything is read, :func:`bielefeld_integration.manifest.delivered_file`),
  its name, table (``domain``), ``format`` and ``reference_date``, and the reporting year;
- the code that reads it: the package's code and data files
  (:func:`bielefeld_integration.incremental.code_fingerprint`), the Python version and the
  versions of the package's direct dependencies (pandas, pyarrow, pandera, openpyxl, …);
- the size limits in force (:func:`bielefeld_integration.limits.limits`, changeable by
  environment variables).

:func:`entry_key` hashes all of these into one key. The loaded table is kept as
``<data>/.ingest-cache/<key[:2]>/<key>.parquet``, written by the same parquet writer as the
processed tables, beside a small ``<key>.json`` with the SHA-256 of the parquet bytes. A
table is only cached if writing it back from the cached copy gives the same bytes as
writing it directly, so a processed period built from the cache is byte-identical to one
built from scratch. Reader metadata in ``DataFrame.attrs`` (German column names, line maps)
is used only by the loader's own checks and is not cached: the checks across the files of
a delivery (:mod:`bielefeld_integration.consistency`) read only the columns.

Files that fail to load are never cached, so a bad file gives the same error every time.
Every entry is written atomically (:mod:`bielefeld_integration.atomic`); an entry that is
damaged or incomplete (a crash between the two files) is ignored and rebuilt. The cache is
only a help: failing to write it never fails an ingest, and the whole folder can be deleted
at any time. :func:`prune` removes the entries no current manifest refers to.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import astuple
from functools import cache
from pathlib import Path

import pandas as pd

from bielefeld_integration.atomic import write_bytes_atomic, write_text_atomic
from bielefeld_integration.errors import DataError
from bielefeld_integration.incremental import code_fingerprint, dependency_versions, digest_parts
from bielefeld_integration.limits import limits
from bielefeld_integration.manifest import MANIFEST, ManifestEntry, read_manifest
from bielefeld_integration.periods import Period
from bielefeld_integration.store import data_dir, raw_dir

__all__ = [
    "CACHE_DIR",
    "IngestCache",
    "entry_key",
    "loader_version",
    "parquet_bytes",
    "prune",
    "referenced_keys",
]

#: Folder of the cache inside the processed store.
CACHE_DIR = ".ingest-cache"
#: Changed whenever the layout of an entry changes (old entries are then simply unused).
_LAYOUT = b"ingest-cache 1"
#: Temporary files of interrupted writes older than this are removed by :func:`prune`.
_STALE_SECONDS = 3600.0


def parquet_bytes(df: pd.DataFrame) -> bytes:
    """The parquet file of a processed table, exactly as ingest writes it.

    Reader metadata in ``df.attrs`` is not part of the table. The same inputs always give
    the same bytes.
    """
    df = df.copy()
    df.attrs = {}  # reader metadata (footnotes, line maps) is not part of the processed table
    buffer = io.BytesIO()
    df.to_parquet(buffer, index=False, engine="pyarrow", compression="zstd")
    return buffer.getvalue()


@cache
def loader_version() -> str:
    """Hash of everything besides the file that a loaded table depends on, except the limits.

    The package's code and data files, the Python version and the installed versions of
    the libraries (:func:`~bielefeld_integration.incremental.dependency_versions`).
    """
    h = hashlib.sha256(_LAYOUT + b"\0" + code_fingerprint().encode())
    h.update(dependency_versions().encode())
    return h.hexdigest()


def entry_key(entry: ManifestEntry, period: str | int | Period) -> str:
    """The cache key of one delivery file of ``period`` (64 hex digits).

    The SHA-256 of the file's sha256 from the manifest, its name, table, format and
    reference date, the reporting year, :func:`loader_version` and the limits in force.
    Ingest verifies the manifest's sha256 against the bytes before it uses the key.
    """
    parts = [
        loader_version(),
        repr(astuple(limits())),
        str(Period.parse(period)),
        entry.sha256,
        entry.file,
        entry.domain,
        entry.format,
        entry.reference_date,
    ]
    return digest_parts(*parts)


class IngestCache:
    """The per-file cache of one processed store, and what one run did with it.

    Parameters
    ----------
    data:
        The processed store (default as in :func:`bielefeld_integration.store.data_dir`);
        the cache is its folder ``.ingest-cache``.
    reuse:
        ``False`` (``--force``): read every file again; the results are still stored.

    Attributes
    ----------
    read : int
        Files read by their loader in this run.
    reused : int
        Files taken from the cache in this run.
    """

    def __init__(self, data: str | Path | None = None, *, reuse: bool = True) -> None:
        self.root = data_dir(data) / CACHE_DIR
        self.reuse = reuse
        self.read = 0
        self.reused = 0

    def _paths(self, key: str) -> tuple[Path, Path]:
        folder = self.root / key[:2]
        return folder / f"{key}.parquet", folder / f"{key}.json"

    def get(self, key: str) -> pd.DataFrame | None:
        """The cached table of ``key``, or None if there is none or it is damaged."""
        table, meta = self._paths(key)
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            content = table.read_bytes()
            if not isinstance(info, dict) or info.get("sha256") != _sha256(content):
                raise ValueError("damaged entry")
            return pd.read_parquet(io.BytesIO(content), engine="pyarrow")
        except FileNotFoundError:
            return None
        except Exception:  # damaged in any way: ignore it, it is rebuilt on this run
            for path in (meta, table):
                with suppress(OSError):
                    path.unlink(missing_ok=True)
            return None

    def put(self, key: str, df: pd.DataFrame) -> bool:
        """Store the table of ``key``; True if it was stored.

        A table is not stored if its cached copy would not write back to the same parquet
        bytes (then it is simply read again next time), nor if the cache cannot be
        written (full or read-only disk): the cache never fails an ingest.
        """
        try:
            content = parquet_bytes(df)
            again = parquet_bytes(pd.read_parquet(io.BytesIO(content), engine="pyarrow"))
        except Exception:  # not storable (mixed types): ingest reports it when writing
            return False
        if again != content:
            return False
        table, meta = self._paths(key)
        info = {
            "sha256": _sha256(content),
            "rows": len(df),
            "columns": [str(c) for c in df.columns],
        }
        try:
            write_bytes_atomic(table, content)
            write_text_atomic(meta, json.dumps(info, ensure_ascii=False, sort_keys=True) + "\n")
        except OSError:
            return False
        return True

    def fetch(self, key: str, load: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """The table of ``key`` from the cache, or ``load()`` (then stored) and counted.

        Errors of ``load`` propagate unchanged; nothing is stored then.
        """
        if self.reuse:
            cached = self.get(key)
            if cached is not None:
                self.reused += 1
                return cached
        df = load()
        self.read += 1
        self.put(key, df)
        return df

    def summary(self) -> str:
        """``"1 Datei neu eingelesen, 13 wiederverwendet"``."""
        noun = "Datei" if self.read == 1 else "Dateien"
        return f"{self.read} {noun} neu eingelesen, {self.reused} wiederverwendet"


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def referenced_keys(raw: str | Path | None = None) -> set[str] | None:
    """The keys of every file named by a current manifest in the raw folder.

    None if a manifest cannot be read (then nothing may be pruned: the entries of that
    period would be lost).
    """
    root = raw_dir(raw)
    if not root.is_dir():
        return None
    keys: set[str] = set()
    for folder in sorted(root.iterdir()):
        if not (folder / MANIFEST).is_file():
            continue
        try:
            period = Period.parse(folder.name)
        except DataError:
            continue  # not a delivery folder (ingest does not read it either)
        try:
            _, entries = read_manifest(folder, period)
            keys.update(entry_key(e, period) for e in entries)
        except DataError:
            return None
    return keys


def prune(data: str | Path | None, keep_keys: Iterable[str]) -> list[Path]:
    """Remove every cache entry whose key is not in ``keep_keys``; return what was removed.

    Also removed: temporary files of writes interrupted more than an hour ago, files that
    are not cache entries, and empty subfolders. Removing too much is harmless (the entry
    is rebuilt when needed).
    """
    root = data_dir(data) / CACHE_DIR
    if not root.is_dir():
        return []
    keep = set(keep_keys)
    removed: list[Path] = []
    now = time.time()
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink()):
        for path in sorted(folder.iterdir()):
            try:
                if path.is_dir():
                    continue  # nothing the cache writes; left alone
                if path.name.startswith("."):
                    if now - path.lstat().st_mtime <= _STALE_SECONDS:
                        continue  # another run may be writing it just now
                elif path.stem in keep and path.suffix in (".parquet", ".json"):
                    continue
                path.unlink()
            except OSError:  # gone meanwhile or not removable: the cache never fails a run
                continue
            removed.append(path)
        with suppress(OSError):
            folder.rmdir()  # only if empty
    return removed

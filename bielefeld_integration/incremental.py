"""Content keys of the build stages before the report: skip a stage whose inputs did not change.

A stage's key is the SHA-256 of everything it reads, of the package's code
(:func:`code_fingerprint`) and of the versions of Python and the libraries
(:func:`dependency_versions`):

- **ingest of a period**: the manifest ``data/raw/<period>/sources.yaml`` and the bytes of
  every file in the delivery folder (when it changed, the per-file cache of
  :mod:`bielefeld_integration.ingest_cache` reads only the changed files again);
- **indicators (and what is derived from them)**: every processed period folder and the
  processed official tables (not the stages' own outputs such as ``internal/``).

After a stage has run, its key is recorded in ``<data>/.build-stamps.json`` (written
atomically). The next run skips the stage when the recorded key equals the current one and
the stage's outputs exist. The keys depend only on content, never on file times; deleting
the stamps file is always safe (everything is simply built again).

The module also holds what every build cache shares: :func:`digest_parts` and
:func:`update_digest` (length-prefixed SHA-256 of a list of parts), :func:`tree_digest` (the
files below a folder), :func:`dependency_versions` and :class:`NpzEntries` (the entry folder
of the indicator and disclosure caches).
"""

from __future__ import annotations

import hashlib
import json
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import astuple
from functools import cache
from importlib.metadata import PackageNotFoundError, requires, version
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from bielefeld_integration.atomic import write_text_atomic, write_with
from bielefeld_integration.limits import limits
from bielefeld_integration.periods import Period
from bielefeld_integration.store import data_dir, raw_dir

__all__ = [
    "STAMPS_FILE",
    "NpzEntries",
    "Stamps",
    "code_fingerprint",
    "dependency_versions",
    "digest_parts",
    "indicators_key",
    "ingest_key",
    "tree_digest",
    "update_digest",
]

#: File of the recorded stage keys inside the processed store.
STAMPS_FILE = ".build-stamps.json"
#: Libraries that are not direct dependencies but whose version can change a result
#: (numerics under pandas and the solvers; the template engine under nbconvert).
_TRANSITIVE = ("numpy", "jinja2")


@cache
def code_fingerprint() -> str:
    """Hash of the package version and its code and data files (Python, YAML, templates, CSS).

    Part of every build key, so that changed code in a checkout (where the version number
    stays the same) never reuses an output built by the old code.
    """
    root = Path(str(files("bielefeld_integration")))
    try:
        h = hashlib.sha256(version("bielefeld-integration").encode())
    except PackageNotFoundError:  # pragma: no cover - the package is always installed
        h = hashlib.sha256(b"unknown version")
    for suffix in ("*.py", "*.yaml", "*.j2", "*.css", "*.json"):
        for path in sorted(root.rglob(suffix)):
            if "__pycache__" not in path.parts:
                update_digest(h, path.relative_to(root).as_posix(), path.read_bytes())
    return h.hexdigest()


@cache
def dependency_versions() -> str:
    """The Python version and the installed versions of the libraries results depend on.

    The package's direct dependencies (from its installed metadata, extras left out) and
    :data:`_TRANSITIVE`. Part of the keys of the ingest, indicator, disclosure and page
    caches: after a library update, nothing made by the old version is reused.
    """
    try:
        declared = requires("bielefeld-integration") or []
    except PackageNotFoundError:  # pragma: no cover - the package is always installed
        declared = []
    names = sorted(
        {_requirement_name(r) for r in declared if "extra ==" not in r} | set(_TRANSITIVE)
    )
    found = [f"python {sys.version_info[0]}.{sys.version_info[1]}"]
    for name in names:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} -")
    return "\n".join(found)


def _requirement_name(requirement: str) -> str:
    """``"pandas>=3; python_version>'3'"`` -> ``"pandas"``."""
    name = requirement.split(";")[0].strip()
    for stop in "<>=!~[ (":
        name = name.split(stop)[0]
    return name.strip().lower()


def update_digest(h: Any, *parts: bytes | str) -> None:
    """Feed ``parts`` into the hash ``h``, each prefixed with its length (so that no two
    different lists of parts feed the same bytes). Strings count as UTF-8."""
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)


def digest_parts(*parts: bytes | str) -> str:
    """SHA-256 (hex) of ``parts`` as :func:`update_digest` feeds them."""
    h = hashlib.sha256()
    update_digest(h, *parts)
    return h.hexdigest()


def _tree_parts(root: Path) -> Iterator[bytes | str]:
    """Relative name and bytes of every file below ``root``, in name order; names starting
    with a dot (temporary, lock and cache files) do not count."""
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root)
        if not any(part.startswith(".") for part in relative.parts):
            yield relative.as_posix()
            yield path.read_bytes()


def tree_digest(root: Path) -> str:
    """SHA-256 of the names and bytes of the files below ``root`` ("missing" if no folder)."""
    if not root.is_dir():
        return digest_parts("missing")
    return digest_parts(*_tree_parts(root))


def ingest_key(period: str | Period, raw: str | Path | None = None) -> str:
    """Key of the ingest of one period: its delivery folder (manifest included), the code,
    the library versions and the limits in force (a lower limit may refuse a file)."""
    return digest_parts(
        "ingest",
        code_fingerprint(),
        dependency_versions(),
        repr(astuple(limits())),
        *_tree_parts(raw_dir(raw) / str(Period.parse(period))),
    )


def indicators_key(data: str | Path | None = None) -> str:
    """Key of the indicator stage: every processed period folder, the official tables, the
    code and the library versions."""
    root = data_dir(data)
    h = hashlib.sha256()
    update_digest(h, "indicators", code_fingerprint(), dependency_versions())
    inputs = (
        [p for p in root.iterdir() if p.is_dir() and _is_input(p.name)] if root.is_dir() else []
    )
    for folder in sorted(inputs):
        update_digest(h, folder.name, *_tree_parts(folder))
    return h.hexdigest()


def _is_input(name: str) -> bool:
    """A processed period folder or the official tables (not the stages' own outputs)."""
    if name == "official":
        return True
    try:
        Period.parse(name)
    except ValueError:
        return False
    return True


class Stamps:
    """The recorded stage keys of one processed store.

    Parameters
    ----------
    data:
        The processed store (default as in :func:`bielefeld_integration.store.data_dir`).
    """

    def __init__(self, data: str | Path | None = None) -> None:
        self.path = data_dir(data) / STAMPS_FILE
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            loaded = {}
        self._keys: dict[str, str] = loaded if isinstance(loaded, dict) else {}

    def fresh(self, stage: str, key: str, outputs: Iterable[Path]) -> bool:
        """True if ``stage`` last ran with ``key`` and all its ``outputs`` exist."""
        return self._keys.get(stage) == key and all(Path(p).exists() for p in outputs)

    def record(self, stage: str, key: str) -> None:
        """Record that ``stage`` ran successfully with ``key`` (written at once, atomically)."""
        self._keys[stage] = key
        write_text_atomic(self.path, json.dumps(self._keys, indent=1, sort_keys=True) + "\n")

    def forget(self) -> None:
        """Drop every recorded key (``--force``)."""
        self._keys = {}
        self.path.unlink(missing_ok=True)


class NpzEntries:
    """A folder of cache entries ``<key>.npz``, as the indicator and disclosure caches keep
    them: NumPy arrays read without pickle, written atomically, each holding its own key (an
    entry copied under another name counts as missing).

    Parameters
    ----------
    folder:
        The folder of the entries (made when the first entry is written).
    read:
        Whether entries are reused; ``False`` (``--force``) only writes them.
    """

    def __init__(self, folder: Path, *, read: bool = True) -> None:
        self.folder = folder
        self.read = read
        #: Keys used since this object was created (kept by :meth:`prune`).
        self._used: set[str] = set()

    def path(self, key: str) -> Path:
        """File of the entry with ``key``."""
        return self.folder / f"{key}.npz"

    def _arrays(self, key: str) -> dict[str, np.ndarray] | None:
        """The arrays stored under ``key``, or ``None`` if missing, damaged or foreign."""
        try:
            with np.load(self.path(key), allow_pickle=False) as npz:
                stored = {name: npz[name] for name in npz.files}
        except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile):
            return None
        if "_key" not in stored or str(stored.pop("_key")) != key:
            return None
        return stored

    def _write(self, key: str, arrays: dict[str, np.ndarray]) -> None:
        """Store ``arrays`` under ``key`` (atomically)."""
        self.folder.mkdir(parents=True, exist_ok=True)

        def write(tmp: Path) -> None:
            with open(tmp, "wb") as fh:
                np.savez(fh, _key=np.array(key), **arrays)

        write_with(self.path(key), write)

    def prune(self) -> int:
        """Delete the entries not used since this object was created; return how many."""
        removed = 0
        if self.folder.is_dir():
            for path in sorted(self.folder.glob("*.npz")):
                if path.stem not in self._used:
                    path.unlink(missing_ok=True)
                    removed += 1
        return removed

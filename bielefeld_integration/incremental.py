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
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable
from dataclasses import astuple
from functools import cache
from importlib.metadata import PackageNotFoundError, requires, version
from importlib.resources import files
from pathlib import Path
from typing import Any

from bielefeld_integration.atomic import write_text_atomic
from bielefeld_integration.limits import limits
from bielefeld_integration.periods import Period
from bielefeld_integration.store import data_dir, raw_dir

__all__ = [
    "STAMPS_FILE",
    "Stamps",
    "code_fingerprint",
    "dependency_versions",
    "indicators_key",
    "ingest_key",
    "prune_entries",
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
                name = path.relative_to(root).as_posix().encode("utf-8")
                content = path.read_bytes()
                h.update(len(name).to_bytes(8, "big") + name)
                h.update(len(content).to_bytes(8, "big") + content)
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


def _hash_files(h: Any, root: Path) -> None:
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue  # temporary, lock and cache files
        name = relative.as_posix().encode("utf-8")
        content = path.read_bytes()
        h.update(len(name).to_bytes(8, "big") + name)
        h.update(len(content).to_bytes(8, "big") + content)


def ingest_key(period: str | Period, raw: str | Path | None = None) -> str:
    """Key of the ingest of one period: its delivery folder (manifest included), the code,
    the library versions and the limits in force (a lower limit may refuse a file)."""
    h = hashlib.sha256(b"ingest\0" + code_fingerprint().encode())
    h.update(f"\0{dependency_versions()}\0{astuple(limits())!r}\0".encode())
    _hash_files(h, raw_dir(raw) / str(Period.parse(period)))
    return h.hexdigest()


def indicators_key(data: str | Path | None = None) -> str:
    """Key of the indicator stage: every processed period folder, the official tables, the
    code and the library versions."""
    root = data_dir(data)
    h = hashlib.sha256(b"indicators\0" + code_fingerprint().encode())
    h.update(f"\0{dependency_versions()}\0".encode())
    inputs = (
        [p for p in root.iterdir() if p.is_dir() and _is_input(p.name)] if root.is_dir() else []
    )
    for folder in sorted(inputs):
        h.update(folder.name.encode("utf-8") + b"\0")
        _hash_files(h, folder)
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


def prune_entries(folder: Path, pattern: str, used: Iterable[str]) -> int:
    """Delete the cache entries ``folder/<pattern>`` whose stem is not in ``used``.

    Returns how many were deleted. Shared by the stage caches, which prune what a build did
    not use.
    """
    keep = set(used)
    removed = 0
    if folder.is_dir():
        for path in sorted(folder.glob(pattern)):
            if path.stem not in keep:
                path.unlink(missing_ok=True)
                removed += 1
    return removed

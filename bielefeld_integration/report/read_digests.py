"""The current content of what a report page read: one digest per read of its trace.

A trace (:mod:`bielefeld_integration.reads`) lists reads such as ``("file", path)``,
``("exists", path)``, ``("list", folder)``, ``("summary", provenance.json)``,
``("tree", folder)``, ``("periods", store, upto)`` and ``("published", store, indicator,
upto)``. The digest of a read is what the page would see now: a file's SHA-256, whether a
path exists, the visible names in a folder, the names and bytes of every file below a
folder, the provenance summary, the list of periods up to ``upto``, or the rows
of one indicator in the published table up to ``upto`` (hashed per indicator and period,
so a change in 2018 leaves the pages of 2017 alone). A read of an unknown kind never
equals a stored digest. Each digest is computed once per run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from bielefeld_integration import store
from bielefeld_integration.errors import DataError
from bielefeld_integration.incremental import digest_parts, tree_digest
from bielefeld_integration.manifest import sha256_of

__all__ = ["ReadDigests"]


class ReadDigests:
    """Digests of the reads of traces, each computed once."""

    def __init__(self) -> None:
        self._digests: dict[tuple[str, ...], str] = {}
        self._published: dict[str, dict[tuple[str, str], str]] = {}

    def digest(self, read: tuple[str, ...]) -> str:
        """The current content of one read (see the module docstring)."""
        if read not in self._digests:
            self._digests[read] = self._compute(read)
        return self._digests[read]

    def _compute(self, read: tuple[str, ...]) -> str:
        kind, path, *rest = read
        target = Path(path)
        if kind == "file":
            if target.is_file():
                return sha256_of(target)
            return "folder" if target.is_dir() else "missing"
        if kind == "exists":
            return "file" if target.is_file() else "folder" if target.is_dir() else "missing"
        if kind == "list":
            if not target.is_dir():
                return "missing"
            names = sorted(p.name for p in target.iterdir() if not p.name.startswith("."))
            return digest_parts(*names)
        if kind == "tree":
            return tree_digest(target) if target.is_dir() else self._compute(("file", path))
        if kind == "summary":
            try:
                record = json.loads(target.read_text(encoding="utf-8"))
                summary = store.summarize_provenance(record)
            except (OSError, ValueError, AttributeError):
                return "missing"
            return digest_parts(json.dumps(summary, sort_keys=True))
        if kind == "periods":
            upto = rest[0] if rest and rest[0] else None
            try:
                return digest_parts(*store.periods(target, upto=upto))
            except DataError:
                return "unknown period"
        if kind == "published" and len(rest) == 2:
            indicator, upto = rest
            slices = self._published_slices(path)
            chosen = sorted(
                (key, value)
                for key, value in slices.items()
                if (indicator == "*" or key[0] == indicator) and (not upto or key[1] <= upto)
            )
            return digest_parts(*[f"{ind}|{period}|{value}" for (ind, period), value in chosen])
        return digest_parts("unknown read", *read)  # never equal to a stored digest of a known read

    def _published_slices(self, store_dir: str) -> dict[tuple[str, str], str]:
        """(indicator, period) -> hash of those rows of a store's published table."""
        if store_dir not in self._published:
            try:
                table = store.read_published_table(store_dir)
            except DataError:
                self._published[store_dir] = {("", ""): "missing"}
                return self._published[store_dir]
            columns = ",".join(map(str, table.columns))
            # one hash per row (vectorised), then the rows of each slice in table order
            rows = pd.util.hash_pandas_object(table, index=False).to_numpy()
            grouped = table.groupby(["indicator", table["period"].astype(str)], sort=True)
            self._published[store_dir] = {
                (str(indicator), str(period)): digest_parts(columns, rows[positions].tobytes())
                for (indicator, period), positions in grouped.indices.items()
            }
        return self._published[store_dir]

"""The disclosure stage: indicator table -> ``published.parquet``, once per build.

:func:`publish` reads ``<data>/indicators.parquet``, protects it
(:func:`bielefeld_integration.disclosure.indicator_table.protect_indicators`) with one BLAS
thread (multi-threaded BLAS only slows the many small problems down) and writes

- ``<data>/published.parquet`` — the published indicator table, the only table anything
  publishes (read it with :func:`bielefeld_integration.store.published`); its parquet
  metadata records the threshold and the SHA-256 of the indicator table it was made from,
  so a stale file is recognised;
- ``<data>/internal/suppression_log.parquet`` — which cells are hidden and why, with the
  true values. **Internal**: never published, never read by the reports.

Both files are written atomically; the same indicator table gives byte-identical files.
Each period's problem is solved once per content and its result kept in
``<data>/.stage-cache/disclosure/`` (:mod:`bielefeld_integration.disclosure.cache`), so a
changed delivery of one year re-audits only the years whose problem changed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from threadpoolctl import threadpool_limits

from bielefeld_integration import store
from bielefeld_integration.atomic import write_with
from bielefeld_integration.disclosure.cache import AuditCache
from bielefeld_integration.disclosure.indicator_table import (
    apply,
    protect_indicators,
    suppression_log,
)
from bielefeld_integration.errors import DataError
from bielefeld_integration.manifest import sha256_of

__all__ = ["LOG_FILE", "StageReport", "publish"]

#: The internal log of the hidden cells (relative to the store).
LOG_FILE = Path("internal") / "suppression_log.parquet"


@dataclass(frozen=True)
class StageReport:
    """What the disclosure stage did.

    Attributes
    ----------
    path : Path
        The written ``published.parquet``.
    rows : int
        Rows of the published table.
    primary, secondary : int
        Hidden quantities (a quantity is one definition, shown in one or more cells).
    hidden_cells : int
        Hidden case-number cells of the published table.
    unprotected : int
        Hidden quantities the audit could not protect (0 unless no complement was left).
    seconds : float
        Wall-clock time of the stage.
    periods_audited, periods_reused : int
        Periods whose problem was solved, and periods whose result came from the cache
        (:mod:`bielefeld_integration.disclosure.cache`; periods linked by a line count
        once).
    """

    path: Path
    rows: int
    primary: int
    secondary: int
    hidden_cells: int
    unprotected: int
    seconds: float
    periods_audited: int = 0
    periods_reused: int = 0


def _write_parquet(path: Path, df: pd.DataFrame, metadata: dict[str, str]) -> Path:
    table = pa.Table.from_pandas(df, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta.update({k.encode(): v.encode() for k, v in metadata.items()})
    table = table.replace_schema_metadata(meta)
    return write_with(path, lambda p: pq.write_table(table, p))


def publish(
    data: str | Path | None = None, threshold: int = 3, *, force: bool = False
) -> StageReport:
    """Run the disclosure stage on a processed store.

    Parameters
    ----------
    data : str or Path, optional
        The processed store (default: see :func:`bielefeld_integration.store.data_dir`).
    threshold : int, default 3
        Smallest published count and protection level.
    force : bool, default False
        Solve every period again instead of reusing the results of periods whose problem
        did not change (the files written are the same either way).

    Returns
    -------
    StageReport

    Raises
    ------
    DataError
        If the store has no indicator table.
    """
    start = time.perf_counter()
    root = store.data_dir(data)
    source = root / store.INDICATORS_FILE
    if not source.is_file():
        raise DataError(
            "keine Indikatortabelle zum Veröffentlichen; zuerst die Indikatoren berechnen "
            "(`bielefeld-integration report` oder `pipeline.prepare`)",
            file=source,
        )
    table = pd.read_parquet(source)
    cache = AuditCache(root, read=not force)
    with threadpool_limits(limits=1, user_api="blas"):
        protection = protect_indicators(table, threshold, cache=cache)
    cache.prune()
    published = apply(protection)
    metadata = {
        store.PUBLISHED_SOURCE_KEY: sha256_of(source),
        "bielefeld_integration.threshold": str(threshold),
    }
    path = _write_parquet(root / store.PUBLISHED_FILE, published, metadata)
    log = suppression_log(protection)
    _write_parquet(
        root / LOG_FILE, log, {store.PUBLISHED_SOURCE_KEY: metadata[store.PUBLISHED_SOURCE_KEY]}
    )
    # from the protection, not from the "." signs: a never delivered table is "." too
    q = protection.quantities
    hidden_cells = int(protection.secret[q.cell_var[q.cell_var >= 0]].sum())
    return StageReport(
        path=path,
        rows=len(published),
        primary=int(protection.primary.sum()),
        secondary=int(protection.secondary.sum()),
        hidden_cells=hidden_cells,
        unprotected=len(protection.audit.failing),
        seconds=time.perf_counter() - start,
        periods_audited=cache.audited,
        periods_reused=cache.reused,
    )

"""The build of the processed store, stage by stage: ingest -> indicators -> disclosure.

The official tables of ``data/official/`` are ingested alongside (into
``data/processed/official/``, only when they or their readers changed).

::

    data/raw/<period>/  --ingest-->  data/processed/<period>/*.parquet
                        --compute-->  data/processed/indicators.parquet   (internal)
                        --disclosure stage-->  data/processed/published.parquet

:func:`prepare` runs all three; :func:`build_indicators` the last two (when the processed
tables are already there). The disclosure stage runs exactly once per build; everything
that publishes reads ``published.parquet`` (:func:`bielefeld_integration.store.published`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bielefeld_integration.disclosure.stage import StageReport, publish
from bielefeld_integration.indicators.compute import compute, write_indicators
from bielefeld_integration.ingest import ingest_all
from bielefeld_integration.official.ingest import ingest_official
from bielefeld_integration.periods import Period

__all__ = ["BuildReport", "build_indicators", "prepare"]


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote.

    Attributes
    ----------
    periods : list of Path
        The processed period folders written by ingest (empty if ingest did not run).
    indicators : Path
        ``indicators.parquet``.
    disclosure : StageReport
        The result of the disclosure stage (``disclosure.path`` is ``published.parquet``).
    """

    periods: list[Path]
    indicators: Path
    disclosure: StageReport


def build_indicators(
    data_dir: str | Path | None = None, *, threshold: int = 3
) -> tuple[Path, StageReport]:
    """Compute the indicator table of the whole store and run the disclosure stage.

    Returns the path of ``indicators.parquet`` and the report of the disclosure stage.
    """
    indicators = write_indicators(compute(data=data_dir), data_dir)
    return indicators, publish(data_dir, threshold)


def prepare(
    raw_dir: str | Path | None,
    data_dir: str | Path | None,
    periods: Iterable[str | int | Period] | None = None,
    *,
    progress: bool = False,
    threshold: int = 3,
    official_dir: str | Path | None = None,
) -> BuildReport:
    """Ingest the deliveries, compute the indicators and write the published table.

    Parameters
    ----------
    raw_dir : str or Path, optional
        The raw deliveries (default ``data/raw``).
    data_dir : str or Path, optional
        The processed store (default ``data/processed``).
    periods : list, optional
        Periods to ingest (default: every period in ``raw_dir``). The indicators and the
        published table always cover every period of the store.
    progress : bool, default False
        Show a progress bar while ingesting.
    threshold : int, default 3
        Smallest published count.
    official_dir : str or Path, optional
        The real official tables (default ``data/official``), ingested into
        ``<data_dir>/official/`` apart from the demo periods.

    Returns
    -------
    BuildReport

    Raises
    ------
    DataError
        For a bad delivery (nothing already processed is replaced then).

    Examples
    --------
    >>> prepare("data/raw", "data/processed")  # doctest: +SKIP
    """
    selected = None if periods is None else [str(Period.parse(p)) for p in periods]
    written = ingest_all(raw_dir, data_dir, periods=selected, progress=progress)
    ingest_official(official_dir, data_dir)  # data/official -> <data>/official, when changed
    indicators, stage = build_indicators(data_dir, threshold=threshold)
    return BuildReport(list(written), indicators, stage)

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
from bielefeld_integration.indicators.cache import IndicatorCache
from bielefeld_integration.indicators.compute import compute, write_indicators
from bielefeld_integration.ingest import ingest_all
from bielefeld_integration.official.ingest import ingest_official
from bielefeld_integration.periods import Period

__all__ = ["BuildReport", "StagesReport", "build_indicators", "build_stages", "prepare"]


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


@dataclass(frozen=True)
class StagesReport:
    """What the indicator and disclosure stages did.

    Attributes
    ----------
    indicators : Path
        ``indicators.parquet``.
    evaluated, reused : int
        Indicators evaluated, and indicators whose rows came from the stage cache.
    disclosure : StageReport
        The result of the disclosure stage (with the periods audited and reused).
    """

    indicators: Path
    evaluated: int
    reused: int
    disclosure: StageReport

    def summary(self) -> str:
        """One German line, e.g. ``Indikatoren: 12 neu berechnet, 45 wiederverwendet; …``."""
        audited, reused = self.disclosure.periods_audited, self.disclosure.periods_reused
        years = "Berichtsjahr" if audited == 1 else "Berichtsjahre"
        return (
            f"Indikatoren: {self.evaluated} neu berechnet, {self.reused} wiederverwendet; "
            f"Geheimhaltung: {audited} {years} neu geprüft, {reused} wiederverwendet"
        )


def build_stages(
    data_dir: str | Path | None = None, *, threshold: int = 3, force: bool = False
) -> StagesReport:
    """Compute the indicator table of the whole store and run the disclosure stage.

    Indicators whose input tables did not change and periods whose disclosure problem did
    not change are taken from ``<data>/.stage-cache/``
    (:mod:`bielefeld_integration.indicators.cache`,
    :mod:`bielefeld_integration.disclosure.cache`); the files written are byte-identical
    to a full computation. ``force`` computes everything again (and refreshes the cache).
    """
    cache = IndicatorCache(data_dir, read=not force)
    indicators = write_indicators(compute(data=data_dir, cache=cache), data_dir)
    cache.prune()
    stage = publish(data_dir, threshold, force=force)
    return StagesReport(indicators, cache.evaluated, cache.reused, stage)


def build_indicators(
    data_dir: str | Path | None = None, *, threshold: int = 3, force: bool = False
) -> tuple[Path, StageReport]:
    """Compute the indicator table of the whole store and run the disclosure stage.

    Returns the path of ``indicators.parquet`` and the report of the disclosure stage
    (see :func:`build_stages`).
    """
    stages = build_stages(data_dir, threshold=threshold, force=force)
    return stages.indicators, stages.disclosure


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

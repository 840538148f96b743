"""Content keys of the build stages: ingest and indicators run only when their inputs changed."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

from bielefeld_integration import cli, incremental
from bielefeld_integration.disclosure.cache import AuditCache
from bielefeld_integration.incremental import (
    STAMPS_FILE,
    Stamps,
    code_fingerprint,
    dependency_versions,
    indicators_key,
    ingest_key,
)
from bielefeld_integration.indicators.cache import IndicatorCache
from bielefeld_integration.indicators.catalogue import load_catalogue
from bielefeld_integration.ingest_cache import loader_version
from bielefeld_integration.report import runner
from bielefeld_integration.report.cache import PageCache

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def test_ingest_key_follows_the_delivery_content(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW / "2017", raw / "2017")
    before = ingest_key("2017", raw)
    assert ingest_key("2017", raw) == before  # content, not time
    (raw / "2017" / "massnahmen.csv").touch()
    assert ingest_key("2017", raw) == before
    with (raw / "2017" / "massnahmen.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert ingest_key("2017", raw) != before


def test_indicators_key_follows_the_processed_store(tmp_path):
    (tmp_path / "2017").mkdir()
    (tmp_path / "2017" / "population.parquet").write_bytes(b"a")
    before = indicators_key(tmp_path)
    (tmp_path / ".2017.tmp").mkdir()  # temporary folders do not count
    (tmp_path / "indicators.parquet").write_bytes(b"output")  # nor the stage's own outputs
    (tmp_path / "internal").mkdir()
    (tmp_path / "internal" / "suppression_log.parquet").write_bytes(b"log")
    assert indicators_key(tmp_path) == before
    (tmp_path / "2017" / "population.parquet").write_bytes(b"b")
    assert indicators_key(tmp_path) != before
    assert len(code_fingerprint()) == 64


def test_stamps_are_recorded_atomically_and_may_be_lost(tmp_path):
    out = tmp_path / "indicators.parquet"
    stamps = Stamps(tmp_path)
    assert not stamps.fresh("indicators", "k", [])
    stamps.record("indicators", "k")
    assert Stamps(tmp_path).fresh("indicators", "k", [])
    assert not Stamps(tmp_path).fresh("indicators", "k", [out])  # output missing
    assert not Stamps(tmp_path).fresh("indicators", "other", [])
    (tmp_path / STAMPS_FILE).write_text("{kaputt", encoding="utf-8")
    assert not Stamps(tmp_path).fresh("indicators", "k", [])
    stamps.forget()
    assert not (tmp_path / STAMPS_FILE).exists()


@pytest.mark.slow
def test_report_runs_only_the_stages_whose_inputs_changed(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    monkeypatch.setattr(runner, "render_all", lambda *a, **k: runner.Rendered(executed=0))
    args = ["report", "--period", "2017", "--raw", str(raw), "--data", str(tmp_path / "data")]
    args += ["--output", str(tmp_path / "reports")]
    assert cli.main(args) == 0
    first = capsys.readouterr().out
    assert "Lieferungen einlesen" in first and "Indikatoren berechnen" in first
    assert cli.main(args) == 0
    again = capsys.readouterr().out
    assert "Lieferungen unverändert" in again and "Indikatoren unverändert" in again

    # one changed delivery file (manifest hash updated): that period again, then indicators
    path = raw / "2017" / "massnahmen.csv"
    old = hashlib.sha256(path.read_bytes()).hexdigest()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Elternbegleiterinnen", "Elternbegleiter", 1), encoding="utf-8")
    new = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = raw / "2017" / "sources.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    assert cli.main(args) == 0
    changed = capsys.readouterr().out
    assert "(2017)" in changed and "Indikatoren berechnen" in changed
    assert "Lieferungen eingelesen: 1 Datei neu eingelesen, 22 wiederverwendet." in changed
    # no indicator reads the measures register: nothing is evaluated or audited again
    assert (
        "Indikatoren: 0 neu berechnet, 57 wiederverwendet; "
        "Geheimhaltung: 0 Berichtsjahre neu geprüft, 1 wiederverwendet"
    ) in changed

    assert cli.main([*args, "--force"]) == 0
    forced = capsys.readouterr().out
    assert "Indikatoren berechnen" in forced
    assert "Lieferungen eingelesen: 23 Dateien neu eingelesen, 0 wiederverwendet." in forced
    assert (
        "Indikatoren: 57 neu berechnet, 0 wiederverwendet; "
        "Geheimhaltung: 1 Berichtsjahr neu geprüft, 0 wiederverwendet"
    ) in forced


@pytest.mark.slow
def test_report_after_ingest_does_not_ingest_again(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(runner, "render_all", lambda *a, **k: runner.Rendered(executed=0))
    folders = ["--raw", str(RAW), "--data", str(tmp_path / "data")]
    assert cli.main(["ingest", "--period", "2017", *folders]) == 0
    capsys.readouterr()
    assert cli.main(["report", "--period", "2017", *folders, "--output", str(tmp_path)]) == 0
    assert "Lieferungen unverändert" in capsys.readouterr().out


@pytest.fixture
def other_matplotlib(monkeypatch):
    """The installed matplotlib reports another version, as after an update."""
    real = incremental.version

    def version(name: str) -> str:
        return "0.0.1" if name == "matplotlib" else real(name)

    def switch() -> None:
        monkeypatch.setattr(incremental, "version", version)
        dependency_versions.cache_clear()
        loader_version.cache_clear()

    yield switch
    monkeypatch.undo()
    dependency_versions.cache_clear()
    loader_version.cache_clear()


def test_a_library_update_changes_every_build_key(tmp_path, other_matplotlib, page_job):
    listed = dict(line.split(" ", 1) for line in dependency_versions().splitlines())
    assert {"python", "pandas", "pyarrow", "matplotlib", "nbconvert", "numpy", "jinja2"} <= set(
        listed
    )
    assert "-" not in listed.values() and "pytest" not in listed  # installed; no test extras
    shutil.copytree(RAW / "2017", tmp_path / "raw" / "2017")
    (tmp_path / "2017").mkdir()
    (tmp_path / "2017" / "population.parquet").write_bytes(b"a")
    indicator = load_catalogue().computable()[0]
    arrays = {"value": np.arange(3.0)}

    def keys() -> list[str]:
        return [
            ingest_key("2017", tmp_path / "raw"),
            indicators_key(tmp_path),
            loader_version(),
            IndicatorCache(tmp_path).key(indicator, ("2017",)),
            AuditCache.key(arrays, 3),
            PageCache(tmp_path).recipe(page_job),
        ]

    before = keys()
    assert keys() == before
    other_matplotlib()
    assert "matplotlib 0.0.1" in dependency_versions()
    after = keys()
    assert [a != b for a, b in zip(before, after, strict=True)] == [True] * len(before)

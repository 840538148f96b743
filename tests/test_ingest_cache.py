"""The per-file ingest cache: unchanged delivery files are not read again, never with a
different result than reading them."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from bielefeld_integration import cli
from bielefeld_integration.errors import DataError, DataErrors
from bielefeld_integration.ingest import check_period, ingest_all, ingest_period
from bielefeld_integration.ingest_cache import (
    CACHE_DIR,
    IngestCache,
    entry_key,
    prune,
    referenced_keys,
)
from bielefeld_integration.manifest import read_manifest
from bielefeld_integration.periods import Period

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
PERIOD = "2017"
MEASURES = "massnahmen.csv"


def _copy(raw: Path, *periods: str) -> Path:
    for p in periods:
        shutil.copytree(RAW / p, raw / p)
    return raw


def _n_files(raw: Path, period: str = PERIOD) -> int:
    return len(read_manifest(raw / period, Period.parse(period))[1])


def _redeliver(raw: Path, name: str, old: str, new: str, period: str = PERIOD) -> None:
    """Change one delivered file and update its hash in the manifest (a re-delivery)."""
    folder = raw / period
    path = folder / name
    content = path.read_bytes()
    assert old.encode() in content
    path.write_bytes(content.replace(old.encode(), new.encode(), 1))
    before = hashlib.sha256(content).hexdigest()
    after = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = folder / "sources.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(before, after), encoding="utf-8"
    )


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _entries(data: Path) -> list[Path]:
    return sorted((data / CACHE_DIR).rglob("*.parquet"))


def test_a_period_from_the_cache_is_byte_identical_to_a_fresh_ingest(tmp_path):
    raw = _copy(tmp_path / "raw", PERIOD)
    n = _n_files(raw)
    data = tmp_path / "data"
    first = IngestCache(data)
    ingest_period(PERIOD, raw, data, cache=first)
    assert (first.read, first.reused) == (n, 0)
    assert len(_entries(data)) == n
    fresh = _contents(data / PERIOD)

    again = IngestCache(data)
    ingest_period(PERIOD, raw, data, cache=again)
    assert (again.read, again.reused) == (0, n)
    assert again.summary() == f"0 Dateien neu eingelesen, {n} wiederverwendet"
    assert _contents(data / PERIOD) == fresh

    # and identical to a store that never had a cache
    other = tmp_path / "other"
    ingest_period(PERIOD, raw, other, cache=IngestCache(other, reuse=False))
    assert _contents(other / PERIOD) == fresh


def test_a_changed_file_is_read_again_and_the_others_are_reused(tmp_path):
    raw = _copy(tmp_path / "raw", PERIOD)
    n = _n_files(raw)
    data = tmp_path / "data"
    ingest_period(PERIOD, raw, data)
    _redeliver(raw, MEASURES, "Elternbegleiterinnen", "Elternbegleiter")

    run = IngestCache(data)
    ingest_period(PERIOD, raw, data, cache=run)
    assert (run.read, run.reused) == (1, n - 1)
    assert run.summary() == f"1 Datei neu eingelesen, {n - 1} wiederverwendet"

    scratch = tmp_path / "scratch"
    ingest_period(PERIOD, raw, scratch, cache=IngestCache(scratch, reuse=False))
    assert _contents(data / PERIOD) == _contents(scratch / PERIOD)


def test_damaged_or_incomplete_entries_are_ignored_and_rebuilt(tmp_path):
    raw = _copy(tmp_path / "raw", PERIOD)
    n = _n_files(raw)
    data = tmp_path / "data"
    ingest_period(PERIOD, raw, data)
    fresh = _contents(data / PERIOD)
    a, b, c, d = _entries(data)[:4]
    a.write_bytes(a.read_bytes()[:-100])  # truncated table
    b.with_suffix(".json").unlink()  # killed between the two files of an entry
    c.with_suffix(".json").write_text("{kaputt", encoding="utf-8")
    content = bytearray(d.read_bytes())  # one flipped byte in the data
    content[len(content) // 2] ^= 0xFF
    d.write_bytes(bytes(content))

    run = IngestCache(data)
    ingest_period(PERIOD, raw, data, cache=run)
    assert (run.read, run.reused) == (4, n - 4)
    assert _contents(data / PERIOD) == fresh
    repaired = IngestCache(data)
    ingest_period(PERIOD, raw, data, cache=repaired)
    assert (repaired.read, repaired.reused) == (0, n)

    shutil.rmtree(data / CACHE_DIR)  # deleting the whole cache is always allowed
    run = IngestCache(data)
    ingest_period(PERIOD, raw, data, cache=run)
    assert (run.read, run.reused) == (n, 0)
    assert _contents(data / PERIOD) == fresh


def test_force_reads_every_file_again(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli, "ingest_official", lambda *a, **k: False)  # not the subject here
    raw = _copy(tmp_path / "raw", PERIOD)
    n = _n_files(raw)
    folders = ["--period", PERIOD, "--raw", str(raw), "--data", str(tmp_path / "data")]
    assert cli.main(["ingest", *folders]) == 0
    assert f"{n} Dateien neu eingelesen, 0 wiederverwendet" in capsys.readouterr().out
    assert cli.main(["ingest", *folders]) == 0
    assert f"0 Dateien neu eingelesen, {n} wiederverwendet" in capsys.readouterr().out
    assert cli.main(["ingest", *folders, "--force"]) == 0
    assert f"{n} Dateien neu eingelesen, 0 wiederverwendet" in capsys.readouterr().out


def _problems(exc: DataError) -> list[tuple[str | None, int | None, str | None, str]]:
    errors = exc.errors if isinstance(exc, DataErrors) else [exc]
    return [(e.file, e.row, e.column, str(e)) for e in errors]


def test_a_bad_file_gives_the_same_error_and_leaves_earlier_outputs(tmp_path):
    raw = _copy(tmp_path / "raw", PERIOD)
    data = tmp_path / "data"
    ingest_period(PERIOD, raw, data)
    before = _contents(data / PERIOD)
    entries = _entries(data)
    # a negative count in one file, read again; the other files come from the cache
    _redeliver(raw, "jugendamt_kjh_kindertagesbetreuung_2017.csv", ";01;", ";99;")
    with pytest.raises(DataError) as uncached:
        check_period(PERIOD, raw)
    run = IngestCache(data)
    with pytest.raises(DataError) as cached:
        ingest_period(PERIOD, raw, data, cache=run)
    assert run.reused == _n_files(raw) - 1 and run.read == 0  # the bad file was not counted
    assert _problems(cached.value) == _problems(uncached.value)
    assert str(cached.value) == str(uncached.value) and "99" in str(cached.value)
    assert _contents(data / PERIOD) == before
    assert _entries(data) == entries  # nothing cached for the bad file

    with pytest.raises(DataError) as again:  # and the same error the next time
        ingest_period(PERIOD, raw, data)
    assert str(again.value) == str(uncached.value)


def test_problems_across_files_are_the_same_when_the_tables_come_from_the_cache(
    tmp_path, disagreeing_register
):
    """The checks across files run on every table, whether read or taken from the cache;
    their messages name the same file, row and column."""
    raw = _copy(tmp_path / "raw", PERIOD)
    folder = raw / PERIOD
    disagreeing_register(folder)
    _redeliver(raw, MEASURES, ";KITA-01\n", ";XX-99\n")  # an id the catalogue does not know
    with pytest.raises(DataError) as uncached:
        check_period(PERIOD, raw)
    expected = _problems(uncached.value)
    assert any("Registerauszüge passen nicht zusammen" in p[3] for p in expected)
    assert any(p[2] == "Indikatoren" and "XX-99" in p[3] for p in expected)

    data = tmp_path / "data"
    n = _n_files(raw)
    for reused in (0, n):  # first every file read (and cached), then every file cached
        run = IngestCache(data)
        with pytest.raises(DataError) as info:
            ingest_period(PERIOD, raw, data, cache=run)
        assert run.reused == reused and run.read == n - reused
        assert _problems(info.value) == expected
        assert str(info.value) == str(uncached.value)
    assert not (data / PERIOD).exists()


def test_prune_keeps_only_what_a_current_manifest_names(tmp_path):
    raw = _copy(tmp_path / "raw", "2016", PERIOD)
    data = tmp_path / "data"
    ingest_all(raw, data)
    n = _n_files(raw, "2016") + _n_files(raw, PERIOD)
    assert len(_entries(data)) == n
    keys = referenced_keys(raw)
    assert keys is not None and {p.stem for p in _entries(data)} == keys

    # a re-delivered file of 2017: its old entry goes, 2016 (not ingested now) stays
    _redeliver(raw, MEASURES, "Elternbegleiterinnen", "Elternbegleiter")
    assert len({p.stem for p in _entries(data)} - referenced_keys(raw)) == 1
    ingest_all(raw, data, periods=[PERIOD])
    assert {p.stem for p in _entries(data)} == referenced_keys(raw)
    assert len(_entries(data)) == n

    # leftovers of interrupted writes: removed only when old; stray files removed
    shard = _entries(data)[0].parent
    stale, recent, stray = shard / ".x.parquet.a.tmp", shard / ".y.parquet.b.tmp", shard / "z"
    for path in (stale, recent, stray):
        path.write_bytes(b"halb")
    os.utime(stale, (0, 0))
    removed = prune(data, referenced_keys(raw))
    assert sorted(removed) == sorted([stale, stray])
    assert recent.exists() and len(_entries(data)) == n

    # everything not kept is removed, and empty folders with it
    recent.unlink()
    assert len(prune(data, set())) == 2 * n
    assert not any((data / CACHE_DIR).iterdir())


def test_nothing_is_pruned_while_a_manifest_cannot_be_read(tmp_path):
    raw = _copy(tmp_path / "raw", "2016", PERIOD)
    data = tmp_path / "data"
    ingest_all(raw, data)
    n = len(_entries(data))
    (raw / "2016" / "sources.yaml").write_text("period: '2016'\nfiles: 3\n", encoding="utf-8")
    assert referenced_keys(raw) is None
    _redeliver(raw, MEASURES, "Elternbegleiterinnen", "Elternbegleiter")
    ingest_all(raw, data, periods=[PERIOD])
    assert len(_entries(data)) == n + 1  # the entries of 2016 and the old measures file kept


def test_the_key_follows_everything_the_loaded_table_depends_on(monkeypatch):
    _, entries = read_manifest(RAW / PERIOD, Period.parse(PERIOD))
    entry = entries[0]
    key = entry_key(entry, PERIOD)
    assert key == entry_key(entry, Period.parse(PERIOD)) and len(key) == 64
    changed = [
        entry_key(type(entry)(**{**vars(entry), field: value}), PERIOD)
        for field, value in [
            ("sha256", "0" * 64),
            ("file", "andere.csv"),
            ("domain", "other"),
            ("format", "other"),
            ("reference_date", "2017-06-30"),
        ]
    ]
    changed.append(entry_key(entry, "2018"))
    monkeypatch.setenv("BIELEFELD_MAX_CELLS", "1000")  # the limits in force, too
    changed.append(entry_key(entry, PERIOD))
    assert len({key, *changed}) == len(changed) + 1
    monkeypatch.delenv("BIELEFELD_MAX_CELLS")
    assert entry_key(type(entry)(**{**vars(entry), "origin": "anders"}), PERIOD) == key


def test_only_tables_that_write_back_to_the_same_bytes_are_stored(tmp_path):
    files = IngestCache(tmp_path)
    assert files.put("a" * 64, pd.DataFrame({"n": [1, 2]}))
    assert files.get("a" * 64).equals(pd.DataFrame({"n": [1, 2]}))
    # numbers kept as Python objects come back as int64: the copy would write other bytes
    assert not files.put("b" * 64, pd.DataFrame({"n": pd.Series([1, 2], dtype=object)}))
    assert not files.put("c" * 64, pd.DataFrame({"n": [1, "x"]}))  # not storable at all
    assert files.get("b" * 64) is None and files.get("c" * 64) is None
    assert len(_entries(tmp_path)) == 1


def test_a_killed_ingest_leaves_a_cache_the_next_run_can_use(tmp_path, killed_ingest):
    raw = _copy(tmp_path / "raw", PERIOD)
    n = _n_files(raw)
    fresh = tmp_path / "fresh"
    ingest_period(PERIOD, raw, fresh, cache=IngestCache(fresh, reuse=False))
    data = tmp_path / "data"
    for delay in (1.0, 1.5, 2.0, 2.5):
        killed_ingest(PERIOD, raw, data, delay)
        shutil.rmtree(data / PERIOD, ignore_errors=True)
    run = IngestCache(data)
    ingest_period(PERIOD, raw, data, cache=run)
    assert run.read + run.reused == n
    assert _contents(data / PERIOD) == _contents(fresh / PERIOD)

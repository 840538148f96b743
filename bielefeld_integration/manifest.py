"""The manifest ``sources.yaml`` of a delivery folder and the files it names.

A manifest says, for one reporting year, which file holds which table (``domain``), in
which ``format``, with which reference date, from which office and with which sha256. It
is checked strictly, because a careless or hostile manifest could otherwise replace a
processed period by an empty one or make the pipeline read files outside the delivery:

- parsed by :func:`~bielefeld_integration.limits.load_yaml` (limits on size, depth and
  aliases), every field a short single-line text;
- at least one file, each table at most once, with a ``format`` its loader reads
  (:data:`~bielefeld_integration.sources.FORMATS`) and the matching file name ending;
- reference dates inside the reporting year;
- every file a regular file directly in the delivery folder (no symbolic link, no path).

Messages name the manifest and the entry, never the content of a delivered file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from bielefeld_integration.errors import DataError, DataErrors
from bielefeld_integration.limits import check_file_size, load_yaml
from bielefeld_integration.periods import Period
from bielefeld_integration.sources import FORMATS, file_suffix, loaders
from bielefeld_integration.tables import OPTIONAL_TABLES, TABLES

MANIFEST = "sources.yaml"
MANIFEST_FIELDS = ("file", "format", "domain", "reference_date", "origin", "sha256")
#: Longest text allowed in a manifest field (``note`` may be longer: :data:`MAX_NOTE`).
MAX_FIELD = 500
MAX_NOTE = 2000
_SHA256 = re.compile(r"[0-9a-f]{64}")

__all__ = [
    "MANIFEST",
    "ManifestEntry",
    "delivered_file",
    "missing_domains",
    "read_manifest",
    "sha256_of",
]


@dataclass(frozen=True)
class ManifestEntry:
    """One file of a delivery as described in ``sources.yaml``."""

    file: str
    format: str
    domain: str
    reference_date: str
    origin: str
    sha256: str


def sha256_of(path: Path) -> str:
    """The sha256 hex digest of a file."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _regular_file(path: Path, what: str) -> None:
    """DataError unless ``path`` is a regular file (a symbolic link is refused)."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        raise DataError(f"{what} nicht geliefert", file=path) from None
    except OSError as exc:
        raise DataError(f"{what} nicht lesbar: {exc.strerror}", file=path) from None
    if stat.S_ISLNK(st.st_mode):
        raise DataError(
            f"{what} ist ein symbolischer Verweis; erwartet wird eine gewöhnliche Datei im "
            "Lieferordner (Verweise werden nicht verfolgt)",
            file=path,
        )
    if not stat.S_ISREG(st.st_mode):
        raise DataError(f"{what} ist keine gewöhnliche Datei", file=path)


def _text(item: dict, name: str, where: str, path: Path, limit: int = MAX_FIELD) -> str:
    value = item.get(name)
    if isinstance(value, (dict, list, bool)) or value is None:
        raise DataError(f"{where}: Feld »{name}« muss ein Text sein", file=path)
    text = str(value)
    if len(text) > limit:
        raise DataError(
            f"{where}: Feld »{name}« ist zu lang ({len(text)} Zeichen, höchstens {limit})",
            file=path,
        )
    if any(c in text for c in "\n\r\x00") and name != "origin":
        raise DataError(f"{where}: Feld »{name}« muss einzeilig sein", file=path)
    return text.replace("\n", " ").replace("\r", " ")


def _entry(item: object, i: int, period: Period, path: Path) -> ManifestEntry:
    where = f"Eintrag {i}"
    if not isinstance(item, dict):
        raise DataError(f"{where}: kein Schlüssel-Wert-Eintrag", file=path)
    missing = [f for f in MANIFEST_FIELDS if item.get(f) in (None, "")]
    if missing:
        raise DataError(f"{where}: Feld(er) fehlen: {', '.join(missing)}", file=path)
    unknown = sorted(str(k)[:40] for k in item if k not in MANIFEST_FIELDS)
    if unknown:
        raise DataError(f"{where}: unbekannte(s) Feld(er): {', '.join(unknown)}", file=path)
    entry = ManifestEntry(**{f: _text(item, f, where, path) for f in MANIFEST_FIELDS})
    where = f"{where} ({entry.file})"
    if Path(entry.file).name != entry.file or entry.file in (".", "..") or "\\" in entry.file:
        raise DataError(f"{where}: Dateiname mit Pfad; erlaubt ist nur ein Dateiname", file=path)
    if entry.domain not in TABLES or entry.domain not in loaders():
        raise DataError(f"{where}: unbekannter Bereich {entry.domain!r}", file=path)
    accepted = FORMATS.get(entry.domain, ())
    if entry.format not in accepted:
        raise DataError(
            f"{where}: Format {entry.format!r} passt nicht zum Bereich {entry.domain!r} "
            f"(erwartet: {' oder '.join(accepted)})",
            file=path,
        )
    if not entry.file.lower().endswith(file_suffix(entry.format)):
        raise DataError(
            f"{where}: Format {entry.format!r} verlangt eine Datei auf {file_suffix(entry.format)}",
            file=path,
        )
    if not _SHA256.fullmatch(entry.sha256):
        raise DataError(f"{where}: sha256 ist keine Prüfsumme aus 64 Hexziffern", file=path)
    try:
        date = dt.date.fromisoformat(entry.reference_date)
        if not re.fullmatch(r"\d{4}-\d\d-\d\d", entry.reference_date):
            raise ValueError
    except ValueError:
        raise DataError(
            f"{where}: Stichtag {entry.reference_date!r} ist kein Datum JJJJ-MM-TT", file=path
        ) from None
    if str(date.year) != str(period):
        raise DataError(
            f"{where}: Stichtag {entry.reference_date} liegt nicht im Berichtsjahr {period}",
            file=path,
        )
    return entry


def read_manifest(folder: Path, period: Period) -> tuple[dict, list[ManifestEntry]]:
    """Read and check ``sources.yaml`` of a delivery folder; DataError on any problem.

    Returns the document (``period``, ``synthetic``, ``note``, ``files``) and its entries.
    All problems of the entries are reported at once.
    """
    path = folder / MANIFEST
    _regular_file(path, "Manifest sources.yaml")
    doc = load_yaml(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("files"), list):
        raise DataError("Manifest braucht eine Liste »files«", file=path)
    if str(doc.get("period", ""))[:20] != str(period):
        shown = str(doc.get("period"))[:20]
        raise DataError(f"Manifest gehört zu Berichtsjahr {shown!r}, Ordner zu {period}", file=path)
    if not doc["files"]:
        raise DataError(
            "Manifest nennt keine Dateien (»files« ist leer); eine leere Lieferung ersetzt "
            "keine aufbereiteten Daten",
            file=path,
        )
    if not isinstance(doc.get("synthetic", False), bool):
        raise DataError("Feld »synthetic« muss true oder false sein", file=path)
    note = doc.get("note", "")
    if not isinstance(note, str) or len(note) > MAX_NOTE:
        raise DataError(
            f"Feld »note« muss ein Text mit höchstens {MAX_NOTE} Zeichen sein", file=path
        )
    errors: list[DataError] = []
    entries: list[ManifestEntry] = []
    seen: dict[str, str] = {}
    files: set[str] = set()
    for i, item in enumerate(doc["files"], start=1):
        try:
            entry = _entry(item, i, period, path)
        except DataError as exc:
            errors.append(exc)
            continue
        if entry.domain in seen:
            errors.append(
                DataError(
                    f"Eintrag {i} ({entry.file}): Bereich {entry.domain!r} doppelt "
                    f"(schon in {seen[entry.domain]})",
                    file=path,
                )
            )
            continue
        if entry.file in files:
            errors.append(DataError(f"Eintrag {i}: Datei {entry.file} doppelt", file=path))
            continue
        seen[entry.domain] = entry.file
        files.add(entry.file)
        entries.append(entry)
    if errors:
        raise DataErrors(errors, header=f"Manifest {path} ist fehlerhaft:")
    return {"period": str(period), "synthetic": doc.get("synthetic", False), "note": note}, entries


def missing_domains(entries: list[ManifestEntry], path: Path) -> list[DataError]:
    """A DataError naming the required tables (all but :data:`OPTIONAL_TABLES`) not listed."""
    listed = {e.domain for e in entries}
    missing = [n for n in sorted(TABLES) if n not in OPTIONAL_TABLES and n not in listed]
    if not missing:
        return []
    return [
        DataError(
            f"Bereich(e) fehlen im Manifest: {', '.join(missing)}; jede Lieferung muss "
            "sie enthalten (sonst fehlten ihre Tabellen im Berichtsjahr)",
            file=path,
        )
    ]


def delivered_file(folder: Path, entry: ManifestEntry) -> Path:
    """The checked path of an entry's file: regular, inside ``folder``, within the limits,
    with the sha256 the manifest states."""
    path = folder / entry.file
    _regular_file(path, "im Manifest genannte Datei")
    if path.resolve().parent != folder.resolve():
        raise DataError("Datei liegt nicht im Lieferordner", file=path)
    check_file_size(path)
    digest = sha256_of(path)
    if digest != entry.sha256:
        raise DataError(
            f"Prüfsumme stimmt nicht: Manifest {entry.sha256[:12]}…, Datei {digest[:12]}… "
            "(Datei verändert oder unvollständig übertragen)",
            file=path,
        )
    return path

"""The manifest of the real public tables: ``data/official/manifest.yaml``.

Every file below ``data/official/`` that the package uses has one entry: where it lies,
what kind of file it is, which processed table it becomes, the table code and title, its
source (publisher, repository, path, commit), its licence with the attribution text the
licence requires, and its sha256. :func:`load_manifest` validates the entries and
:func:`check_files` compares the checksums; a file that differs from its entry, a missing
file and a data file without an entry are all :class:`DataError` — nothing unlisted is
ever published as official.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bielefeld_integration.errors import DataError
from bielefeld_integration.official.paths import official_dir

__all__ = [
    "KINDS",
    "MANIFEST_FILE",
    "OfficialEntry",
    "check_files",
    "load_manifest",
    "sha256_of",
    "source_line",
]

MANIFEST_FILE = "manifest.yaml"
#: Kinds of files: GENESIS tables, city open data, their metadata, parts of a shapefile.
KINDS = ("genesis", "open_data", "metadata", "geometry")
#: Files in the official folder that are documentation, not data.
_DOCUMENTS = {MANIFEST_FILE, "PROVENANCE.md", "README.md"}
_REQUIRED = ("file", "kind", "name", "table", "title", "source", "licence", "attribution", "sha256")
_SOURCE_KEYS = ("publisher", "repository", "path", "commit")


@dataclass(frozen=True)
class OfficialEntry:
    """One file of ``data/official/`` as the manifest describes it."""

    file: str
    kind: str
    name: str
    table: str
    title: str
    publisher: str
    repository: str
    path: str
    commit: str
    licence: str
    attribution: str
    sha256: str

    @property
    def source_note(self) -> str:
        """German source line for charts and tables, with the licence's attribution.

        >>> e = OfficialEntry("a.csv", "genesis", "x", "12411-03-03-4", "T",
        ...     "Regionaldatenbank Deutschland", "r", "p", "c", "dl-de/by-2-0",
        ...     "© Statistische Ämter des Bundes und der Länder", "0" * 64)
        >>> e.source_note
        'Amtliche Daten: Regionaldatenbank Deutschland, Tabelle 12411-03-03-4; © Statistische Ämter des Bundes und der Länder, Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)'
        """  # noqa: E501
        licence = _LICENCE_NAMES.get(self.licence, self.licence)
        what = f"Tabelle {self.table}" if self.kind == "genesis" else self.title
        text = f"Amtliche Daten: {self.publisher}, {what}; {self.attribution}"
        if self.licence != "CC BY-SA 4.0":  # the city's attribution already names its licence
            text += f", {licence}"
        return text


_LICENCE_NAMES = {
    "dl-de/by-2-0": "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)",
}


def source_line(entries: list[OfficialEntry]) -> str:
    """One German source line for several files, tables of one publisher grouped.

    >>> e = [OfficialEntry("a", "genesis", "x", code, "T", "Regionaldatenbank Deutschland",
    ...     "r", "p", "c", "dl-de/by-2-0", "© Statistische Ämter des Bundes und der Länder",
    ...     "0" * 64) for code in ("13211-01-03-4", "12411-03-03-4")]
    >>> source_line(e)
    'Amtliche Daten: Regionaldatenbank Deutschland, Tabellen 13211-01-03-4, 12411-03-03-4; © Statistische Ämter des Bundes und der Länder, Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)'
    """  # noqa: E501
    groups: dict[tuple[str, str, str], list[OfficialEntry]] = {}
    for e in entries:
        groups.setdefault((e.publisher, e.attribution, e.licence), []).append(e)
    parts = []
    for (publisher, attribution, licence), group in groups.items():
        codes = list(dict.fromkeys(e.table for e in group if e.kind == "genesis"))
        titles = list(dict.fromkeys(e.title for e in group if e.kind != "genesis"))
        what = []
        if codes:
            what.append(("Tabelle " if len(codes) == 1 else "Tabellen ") + ", ".join(codes))
        what += titles
        text = f"{publisher}, {', '.join(what)}; {attribution}"
        if licence != "CC BY-SA 4.0":
            text += f", {_LICENCE_NAMES.get(licence, licence)}"
        parts.append(text)
    return "Amtliche Daten: " + "; ".join(parts)


def sha256_of(path: str | Path) -> str:
    """The sha256 of a file as 64 lower-case hex digits."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _entry(raw: object, i: int, path: Path) -> OfficialEntry:
    where = f"Eintrag {i + 1}"
    if not isinstance(raw, dict):
        raise DataError(f"{where}: erwartet wird ein Eintrag mit Schlüsseln", file=path)
    missing = [k for k in _REQUIRED if k not in raw]
    if missing:
        raise DataError(f"{where}: es fehlen {', '.join(missing)}", file=path)
    source = raw["source"]
    if not isinstance(source, dict) or any(k not in source for k in _SOURCE_KEYS):
        raise DataError(f"{where}: source braucht {', '.join(_SOURCE_KEYS)}", file=path)
    values = {k: raw[k] for k in _REQUIRED if k != "source"} | {k: source[k] for k in _SOURCE_KEYS}
    for key, value in values.items():
        if not isinstance(value, str) or not value.strip():
            raise DataError(f"{where}: {key} muss ein nicht leerer Text sein", file=path)
    if values["kind"] not in KINDS:
        raise DataError(f"{where}: kind {values['kind']!r} ist nicht {', '.join(KINDS)}", file=path)
    if not re.fullmatch(r"[0-9a-f]{64}", values["sha256"]):
        raise DataError(f"{where}: sha256 muss aus 64 Hexadezimalziffern bestehen", file=path)
    file = values["file"]
    if file.startswith("/") or ".." in Path(file).parts:
        raise DataError(f"{where}: file muss ein Pfad unterhalb von data/official sein", file=path)
    if not re.fullmatch(r"[a-z][a-z0-9_]*", values["name"]):
        raise DataError(f"{where}: name {values['name']!r} ist kein Tabellenname", file=path)
    return OfficialEntry(**values)


def load_manifest(official: str | Path | None = None) -> list[OfficialEntry]:
    """Read and validate ``manifest.yaml`` of the official folder.

    Raises
    ------
    DataError
        Missing or malformed file, missing keys, an unknown kind, a malformed checksum,
        a file listed twice or two data tables with the same name.
    """
    path = official_dir(official) / MANIFEST_FILE
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError("Manifest der amtlichen Tabellen fehlt", file=path) from None
    except yaml.YAMLError as exc:
        raise DataError(f"kein gültiges YAML: {exc}", file=path) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("files"), list):
        raise DataError("erwartet wird eine Liste »files«", file=path)
    entries = [_entry(raw, i, path) for i, raw in enumerate(doc["files"])]
    seen: set[str] = set()
    names: set[str] = set()
    for e in entries:
        if e.file in seen:
            raise DataError(f"{e.file} steht zweimal im Manifest", file=path)
        seen.add(e.file)
        if e.kind != "geometry":  # the parts of one shapefile share their name
            if e.name in names:
                raise DataError(f"Tabellenname {e.name!r} steht zweimal im Manifest", file=path)
            names.add(e.name)
    return entries


def check_files(entries: list[OfficialEntry], official: str | Path | None = None) -> None:
    """Compare every listed file with its checksum and refuse unlisted data files.

    Raises
    ------
    DataError
        A listed file is missing or its sha256 differs (the message gives both), or a file
        in the folder has no manifest entry.
    """
    root = official_dir(official)
    for e in entries:
        path = root / e.file
        if not path.is_file():
            raise DataError("Datei aus dem Manifest fehlt", file=path)
        found = sha256_of(path)
        if found != e.sha256:
            raise DataError(
                f"Prüfsumme stimmt nicht: Manifest {e.sha256}, Datei {found}. Die Datei wurde "
                "verändert oder ersetzt; nach einem neuen Download den Eintrag in "
                f"{MANIFEST_FILE} anpassen",
                file=path,
            )
    listed = {e.file for e in entries}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel in _DOCUMENTS or path.name.startswith("."):
            continue
        if rel not in listed:
            raise DataError(
                f"Datei ohne Eintrag in {MANIFEST_FILE}: ohne Quelle, Lizenz und Prüfsumme "
                "wird sie nicht als amtliche Tabelle verwendet",
                file=path,
            )

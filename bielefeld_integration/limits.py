"""Limits on the size of inputs: refuse oversized deliveries early, before parsing them.

A delivery is checked against these limits before a reader touches its content, so a
huge or hostile file (a YAML manifest whose aliases expand to gigabytes, an xlsx that
unpacks to gigabytes, a CSV with a field of a million characters) is refused within
milliseconds with a German message instead of exhausting memory.

Every limit can be changed with an environment variable (read at each check, so a test
or a session can set it):

=================================  ==============================  ===============
variable                           what                            default
=================================  ==============================  ===============
``BIELEFELD_MAX_FILE_BYTES``       size of one delivered file      50 000 000
``BIELEFELD_MAX_CELLS``            cells of one table file         5 000 000
``BIELEFELD_MAX_FIELD_CHARS``      characters of one cell          10 000
``BIELEFELD_MAX_COUNT``            largest plausible count         1 000 000 000
``BIELEFELD_MAX_YAML_BYTES``       size of a YAML file             1 000 000
``BIELEFELD_MAX_YAML_DEPTH``       nesting depth of a YAML file    50
``BIELEFELD_MAX_YAML_ALIASES``     aliases (``*name``) in a YAML   20
``BIELEFELD_MAX_YAML_NODES``       values of a YAML, aliases       100 000
                                   expanded
``BIELEFELD_MAX_XLSX_UNPACKED``    unpacked size of an xlsx        200 000 000
=================================  ==============================  ===============
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from bielefeld_integration.errors import DataError

__all__ = [
    "Limits",
    "check_cells",
    "check_field",
    "check_file_size",
    "check_xlsx",
    "limits",
    "load_yaml",
]

_ENV = "BIELEFELD_"


@dataclass(frozen=True)
class Limits:
    """The limits in force (see the module docstring for the variables and defaults)."""

    max_file_bytes: int = 50_000_000
    max_cells: int = 5_000_000
    max_field_chars: int = 10_000
    max_count: int = 1_000_000_000
    max_yaml_bytes: int = 1_000_000
    max_yaml_depth: int = 50
    max_yaml_aliases: int = 20
    max_yaml_nodes: int = 100_000
    max_xlsx_unpacked: int = 200_000_000


def limits() -> Limits:
    """The limits of :class:`Limits`, each overridden by its ``BIELEFELD_MAX_…`` variable.

    Raises
    ------
    DataError
        If a variable is set but is not a positive whole number.
    """
    values = {}
    for f in fields(Limits):
        name = _ENV + f.name.upper()
        text = os.environ.get(name)
        if text is None or not text.strip():
            continue
        try:
            value = int(text.strip().replace("_", ""))
        except ValueError:
            value = 0
        if value <= 0:
            raise DataError(f"Umgebungsvariable {name}={text!r} ist keine positive ganze Zahl")
        values[f.name] = value
    return Limits(**values)


def _size(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def check_file_size(path: Path, what: str = "Datei") -> int:
    """The size of ``path`` in bytes; DataError if it exceeds ``max_file_bytes``."""
    size = path.stat().st_size
    limit = limits().max_file_bytes
    if size > limit:
        raise DataError(
            f"{what} ist zu groß: {_size(size)} Bytes, erlaubt sind höchstens {_size(limit)} "
            "(Grenze änderbar mit BIELEFELD_MAX_FILE_BYTES)",
            file=path,
        )
    return size


def check_cells(n: int, path: Path) -> None:
    """DataError if a table file has more than ``max_cells`` cells."""
    limit = limits().max_cells
    if n > limit:
        raise DataError(
            f"Tabelle ist zu groß: mehr als {_size(limit)} Zellen "
            "(Grenze änderbar mit BIELEFELD_MAX_CELLS)",
            file=path,
        )


def check_field(value: str, path: Path, row: int | None, column: str | None = None) -> None:
    """DataError if one cell is longer than ``max_field_chars`` (the cell is not printed)."""
    limit = limits().max_field_chars
    if len(value) > limit:
        raise DataError(
            f"Feld ist zu lang: {_size(len(value))} Zeichen, erlaubt sind höchstens "
            f"{_size(limit)} (fehlendes Anführungszeichen? Grenze änderbar mit "
            "BIELEFELD_MAX_FIELD_CHARS)",
            file=path,
            row=row,
            column=column,
        )


def check_xlsx(path: Path) -> None:
    """Refuse an xlsx whose entries would unpack to more than ``max_xlsx_unpacked`` bytes.

    The sizes come from the zip directory (``infolist``), so nothing is unpacked; a file
    that is no zip archive at all is left to the reader, which reports it.
    """
    limit = limits().max_xlsx_unpacked
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError):
        return
    total = sum(max(i.file_size, 0) for i in infos)
    if total > limit or len(infos) > 10_000:
        raise DataError(
            f"Excel-Datei entpackt zu {_size(total)} Bytes in {len(infos)} Teilen, erlaubt "
            f"sind höchstens {_size(limit)} Bytes (Grenze änderbar mit "
            "BIELEFELD_MAX_XLSX_UNPACKED)",
            file=path,
        )


class _LimitedLoader(yaml.SafeLoader):
    """A safe YAML loader that counts aliases and nesting depth while composing."""

    def __init__(self, stream: str, lim: Limits, path: Path | None) -> None:
        super().__init__(stream)
        self._limits = lim
        self._path = path
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > self._limits.max_yaml_aliases:
                raise DataError(
                    f"YAML-Datei enthält mehr als {self._limits.max_yaml_aliases} Verweise "
                    "(Aliase »*name«); erlaubt sind so viele nicht (Grenze änderbar mit "
                    "BIELEFELD_MAX_YAML_ALIASES)",
                    file=self._path,
                )
        self._depth += 1
        try:
            if self._depth > self._limits.max_yaml_depth:
                raise DataError(
                    f"YAML-Datei ist tiefer als {self._limits.max_yaml_depth} Ebenen "
                    "verschachtelt (Grenze änderbar mit BIELEFELD_MAX_YAML_DEPTH)",
                    file=self._path,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _expanded_size(root: yaml.Node) -> int:
    """Number of values in the document with every alias written out (weighted by length).

    A scalar counts ``1 + len(value) // 100``, so a long string repeated by aliases counts
    as what it becomes when written out. Shared nodes are weighed once (memo by ``id``).
    """
    memo: dict[int, int] = {}

    def weigh(node: yaml.Node) -> int:
        key = id(node)
        if key in memo:
            return memo[key]
        if isinstance(node, yaml.ScalarNode):
            w = 1 + len(node.value) // 100
        elif isinstance(node, yaml.SequenceNode):
            w = 1 + sum(weigh(c) for c in node.value)
        else:
            w = 1 + sum(weigh(k) + weigh(v) for k, v in node.value)
        memo[key] = w
        return w

    return weigh(root)


def load_yaml(source: str | Path, *, path: Path | None = None) -> Any:
    """Parse YAML safely within the limits on size, nesting depth and aliases.

    Parameters
    ----------
    source:
        A path to a YAML file, or YAML text (then ``path`` names it in messages).
    path:
        The file the text came from, for error messages.

    Raises
    ------
    DataError
        For a file that is too large, too deep, has too many aliases, is not UTF-8 or is
        not valid YAML. The message never repeats the file's content.
    """
    lim = limits()
    if isinstance(source, Path):
        path = source
        size = source.stat().st_size
        if size > lim.max_yaml_bytes:
            raise DataError(
                f"YAML-Datei ist zu groß: {_size(size)} Bytes, erlaubt sind höchstens "
                f"{_size(lim.max_yaml_bytes)} (Grenze änderbar mit BIELEFELD_MAX_YAML_BYTES)",
                file=path,
            )
        try:
            text = source.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise DataError("YAML-Datei ist nicht in UTF-8 kodiert", file=path) from None
    else:
        text = source
        if len(text) > lim.max_yaml_bytes:
            raise DataError(
                f"YAML-Text ist zu lang: {_size(len(text))} Zeichen, erlaubt sind höchstens "
                f"{_size(lim.max_yaml_bytes)}",
                file=path,
            )
    loader = _LimitedLoader(text, lim, path)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        weight = _expanded_size(node)
        if weight > lim.max_yaml_nodes:
            raise DataError(
                f"YAML-Datei ergibt ausgeschrieben {_size(weight)} Werte, erlaubt sind "
                f"höchstens {_size(lim.max_yaml_nodes)} (Verweise vervielfachen den Inhalt; "
                "Grenze änderbar mit BIELEFELD_MAX_YAML_NODES)",
                file=path,
            )
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise DataError(f"kein gültiges YAML: {exc.problem}", file=path, row=line) from None
    except yaml.YAMLError as exc:
        raise DataError(f"kein gültiges YAML: {type(exc).__name__}", file=path) from None
    except RecursionError:
        raise DataError("YAML-Datei ist zu tief verschachtelt", file=path) from None
    finally:
        loader.dispose()

"""Notebook parameters: read a ``parameters`` cell with papermill, check values before a run.

The declarations are read by papermill itself (:func:`papermill.inspect_notebook`). Two
things papermill only warns about are errors here, because a report must not run with
parameters it did not understand:

- a line of the ``parameters`` cell papermill cannot parse (e.g. an ``=`` in the help
  comment: write ``# leer heißt Standard``, not ``# leer = Standard``);
- a value whose type does not fit the declaration (``period: str = "2019"`` gets ``2017``).

A parameters cell in the house style::

    period: str = "2019"  # Berichtsjahr, vier Ziffern
    data_dir: str = ""  # Ordner der aufbereiteten Daten; leer heißt Standard
"""

from __future__ import annotations

import ast
import logging
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat
import papermill

from bielefeld_integration.report.errors import ParameterError

__all__ = ["PARAMETERS_TAG", "inspect_parameters", "parameters_cell", "validate_parameters"]

#: Tag of the cell that declares a notebook's parameters (papermill's convention).
PARAMETERS_TAG = "parameters"

_SIMPLE_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "list": (list,),
    "dict": (dict,),
    "tuple": (tuple,),
    "None": (type(None),),
    "NoneType": (type(None),),
}
_TYPE_RE = re.compile(r"(?:typing\.)?(\w+)(?:\[(.*)\])?")


def parameters_cell(nb: Any) -> Any | None:
    """The first cell tagged ``parameters`` of a notebook node, or None."""
    for cell in nb.cells:
        if PARAMETERS_TAG in cell.get("metadata", {}).get("tags", []):
            return cell
    return None


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _papermill_warnings() -> Iterator[list[str]]:
    """Collect the warnings papermill logs (instead of printing them) while inspecting."""
    logger = logging.getLogger("papermill")
    handler = _Collect()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def inspect_parameters(notebook: str | Path) -> dict[str, dict[str, Any]]:
    """The declared parameters of a notebook, as :func:`papermill.inspect_notebook` reads them.

    Parameters
    ----------
    notebook:
        Path of the notebook.

    Returns
    -------
    dict
        name -> ``{"name", "inferred_type_name", "default", "help"}`` (papermill's fields).

    Raises
    ------
    ParameterError
        If the notebook cannot be read, has no cell tagged ``parameters``, or papermill
        cannot parse a line of that cell.
    """
    path = Path(notebook)
    try:
        nb = nbformat.read(str(path), as_version=4)
    except FileNotFoundError:
        raise ParameterError("Notebook nicht gefunden", file=path) from None
    except Exception as exc:
        raise ParameterError(f"Notebook nicht lesbar: {exc}", file=path) from None
    if parameters_cell(nb) is None:
        raise ParameterError(
            "keine Zelle mit dem Tag 'parameters': die Parameter müssen in einer eigenen, "
            "so markierten Zelle stehen",
            file=path,
        )
    with _papermill_warnings() as warnings:
        try:
            declared = dict(papermill.inspect_notebook(str(path)))
        except ValueError as exc:  # e.g. no kernelspec in the notebook's metadata
            raise ParameterError(
                f"papermill kann das Notebook nicht lesen: {exc}", file=path
            ) from None
    if warnings:
        raise ParameterError(
            "papermill kann die Parameterzelle nicht lesen ("
            + "; ".join(warnings)
            + "); je Zeile genau eine Zuweisung 'name: typ = wert  # Erklärung', "
            "ohne '=' im Kommentar",
            file=path,
        )
    return {name: dict(value) for name, value in declared.items()}


def _parse_type(text: str) -> list[tuple[str, str]]:
    """``"Optional[list[str]]"`` -> ``[("list", "str"), ("None", "")]``; raise on unknown."""
    text = text.strip()
    union = _split_top(text, "|")
    if len(union) > 1:
        return [part for piece in union for part in _parse_type(piece)]
    match = _TYPE_RE.fullmatch(text)
    if not match:
        raise ValueError(text)
    name, inner = match.group(1), (match.group(2) or "").strip()
    if name == "Optional":
        return [*_parse_type(inner), ("None", "")]
    if name == "Union":
        return [part for piece in _split_top(inner) for part in _parse_type(piece)]
    name = {"List": "list", "Dict": "dict", "Tuple": "tuple"}.get(name, name)
    if name not in _SIMPLE_TYPES:
        raise ValueError(text)
    return [(name, inner)]


def _split_top(text: str, separator: str = ",") -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        if char == separator and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += char == "["
        depth -= char == "]"
        current += char
    return [*parts, current]


def _value_fits(value: Any, type_text: str) -> bool:
    for name, inner in _parse_type(type_text):
        kinds = _SIMPLE_TYPES[name]
        if isinstance(value, bool) and bool not in kinds:
            continue
        if not isinstance(value, kinds):
            continue
        if name == "list" and inner and "[" not in inner and "," not in inner:
            if not all(_value_fits(v, inner) for v in value):
                continue
        return True
    return False


def _declared_type(declaration: Mapping[str, Any]) -> str | None:
    """The declared type of a parameter: its annotation, else the type of its literal default."""
    type_name = str(declaration.get("inferred_type_name") or "None").strip()
    if type_name and type_name != "None":
        return type_name
    try:
        default = ast.literal_eval(str(declaration.get("default", "")))
    except (ValueError, SyntaxError):
        return None
    if default is None:
        return None
    return type(default).__name__ if type(default).__name__ in _SIMPLE_TYPES else None


def validate_parameters(
    notebook: str | Path,
    parameters: Mapping[str, Any],
    *,
    declared: Mapping[str, Mapping[str, Any]] | None = None,
) -> None:
    """Check parameters against a notebook's ``parameters`` cell, before it is executed.

    Parameters
    ----------
    notebook:
        Path of the notebook.
    parameters:
        Name -> value of every parameter that will be injected.
    declared:
        Result of :func:`inspect_parameters` for the notebook (read if omitted).

    Raises
    ------
    ParameterError
        If a name is not declared in the ``parameters`` cell, a declared type is unknown or
        not supported, or a value does not have the declared type.
    """
    path = Path(notebook)
    if declared is None:
        declared = inspect_parameters(path)
    problems = []
    for name, value in parameters.items():
        declaration = declared.get(name)
        if declaration is None:
            known = ", ".join(sorted(declared)) or "keine"
            problems.append(
                f"unbekannter Parameter {name!r} (die Parameterzelle deklariert: {known})"
            )
            continue
        type_text = _declared_type(declaration)
        if type_text is None:
            problems.append(
                f"Parameter {name!r} hat keine erkennbare Typangabe; bitte z. B. "
                f"'{name}: str = \"...\"  # Erklärung' schreiben"
            )
            continue
        try:
            fits = _value_fits(value, type_text)
        except ValueError:
            problems.append(
                f"Parameter {name!r}: Typ {type_text!r} wird nicht unterstützt "
                "(erlaubt: str, int, float, bool, list, dict, Optional[...])"
            )
            continue
        if not fits:
            problems.append(
                f"Parameter {name!r} muss vom Typ {type_text} sein, übergeben wurde "
                f"{value!r} ({type(value).__name__})"
            )
    if problems:
        raise ParameterError("; ".join(problems), file=path)

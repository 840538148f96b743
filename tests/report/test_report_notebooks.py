"""The chapter notebooks are the source of the chapters: their structure is checked here.

A chapter notebook holds narration (Markdown) and calls of one presentation API, nothing
else: a ``parameters`` cell with typed literals and German help comments, then the import of
the chapter view, its construction, and calls of its ``show_*`` methods. No outputs are
stored. Everything a page shows is computed in the library, where it is unit-tested.
"""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import nbformat
import pytest

from bielefeld_integration.report.chapters import CHAPTERS
from bielefeld_integration.report.parameters import inspect_parameters, parameters_cell
from bielefeld_integration.report.resources import NOTEBOOKS_DIR

CHAPTER_NOTEBOOKS = sorted({c.notebook for c in CHAPTERS})
#: The one presentation API of the chapters: module and class of the chapter view.
VIEW_MODULE = "bielefeld_integration.present.views"
VIEW_CLASS = "Chapter"
#: Chapters with a chapter view of their own (same shape: one class with ``show_*`` methods).
OWN_API = {
    "08_massnahmen.ipynb": ("bielefeld_integration.present.measures_view", "MeasuresChapter"),
    "09_szenarien.ipynb": ("bielefeld_integration.present.scenario_chapter", "ScenarioChapter"),
    "11_vergleich.ipynb": ("bielefeld_integration.official.chapter", "ComparisonChapter"),
}
MAX_CELL_LINES = 15
ENGLISH_WORDS = {"the", "of", "year", "folder", "data", "default", "empty", "district", "or"}


def read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS_DIR / name, as_version=4)


def code_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if c.cell_type == "code"]


def test_every_chapter_notebook_is_shipped_with_the_package():
    assert CHAPTER_NOTEBOOKS and all((NOTEBOOKS_DIR / n).is_file() for n in CHAPTER_NOTEBOOKS)
    assert set(OWN_API) <= set(CHAPTER_NOTEBOOKS)


def test_no_generator_overwrites_the_notebooks():
    root = Path(__file__).resolve().parents[2]
    assert not (root / "tools" / "build_notebooks.py").exists()


@pytest.mark.parametrize("name", CHAPTER_NOTEBOOKS)
def test_first_code_cell_declares_typed_parameters_with_german_help(name):
    nb = read(name)
    first = code_cells(nb)[0]
    assert first is parameters_cell(nb), "the first code cell must carry the tag 'parameters'"
    tree = ast.parse(first.source)
    comments = {
        tok.start[0]: tok.string
        for tok in tokenize.generate_tokens(io.StringIO(first.source).readline)
        if tok.type == tokenize.COMMENT
    }
    for node in tree.body:
        assert isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name), (
            f"{name}: only 'name: typ = wert  # Erklärung' in the parameters cell"
        )
        assert isinstance(node.annotation, ast.Name)
        kind = {"str": str, "int": int, "float": float, "bool": bool}[node.annotation.id]
        assert isinstance(node.value, ast.Constant) and type(node.value.value) is kind
        assert node.lineno in comments, f"{name}: {node.target.id} has no help comment"
    declared = inspect_parameters(NOTEBOOKS_DIR / name)  # as papermill reads it
    assert list(declared) == [n.target.id for n in tree.body]
    for declaration in declared.values():
        words = set(declaration["help"].lower().replace(",", " ").split())
        assert declaration["help"] and not words & ENGLISH_WORDS, declaration


@pytest.mark.parametrize("name", [*CHAPTER_NOTEBOOKS, "explore.ipynb"])
def test_stored_without_outputs_and_with_short_cells(name):
    for cell in code_cells(read(name)):
        assert cell.outputs == [] and cell.execution_count is None, name
        lines = cell.source.strip().splitlines()
        assert len(lines) <= MAX_CELL_LINES, f"{name}: a cell of {len(lines)} lines"


class _Shapes:
    """Checks that every statement of a chapter's code cells has an allowed shape."""

    def __init__(self, name: str, parameters: set[str]):
        self.name = name
        self.module, self.view_class = OWN_API.get(name, (VIEW_MODULE, VIEW_CLASS))
        self.parameters = parameters
        self.view_names: set[str] = set()
        self.class_names: set[str] = set()

    def fail(self, node: ast.AST, why: str) -> None:
        pytest.fail(f"{self.name}: {why}: {ast.unparse(node)!r}")

    def statement(self, node: ast.stmt) -> None:
        if isinstance(node, ast.ImportFrom):
            if node.module != self.module or [a.name for a in node.names] != [self.view_class]:
                self.fail(node, f"only 'from {self.module} import {self.view_class}' is imported")
            self.class_names.add(node.names[0].asname or self.view_class)
        elif isinstance(node, ast.Assign):
            target, value = node.targets[0], node.value
            if not (
                len(node.targets) == 1
                and isinstance(target, ast.Name)
                and isinstance(value, ast.Call)
                and isinstance(value.func, ast.Name)
                and value.func.id in self.class_names
            ):
                self.fail(node, "the only assignment is the construction of the chapter view")
            for arg in [*value.args, *(k.value for k in value.keywords)]:
                self.argument(arg)
            self.view_names.add(target.id)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            call = node.value
            if not (
                isinstance(call.func, ast.Attribute)
                and isinstance(call.func.value, ast.Name)
                and call.func.value.id in self.view_names
                and call.func.attr.startswith("show_")
            ):
                self.fail(node, "a statement is a call of a show_* method of the chapter view")
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                self.argument(arg)
        else:
            self.fail(node, "statement not allowed in a chapter notebook (no computing code)")

    def argument(self, node: ast.expr) -> None:
        if isinstance(node, ast.Constant):
            return
        if isinstance(node, ast.List | ast.Tuple):
            for item in node.elts:
                self.argument(item)
        elif isinstance(node, ast.Name) and node.id in self.parameters:
            return
        elif isinstance(node, ast.JoinedStr):
            for part in node.values:
                self.argument(part.value if isinstance(part, ast.FormattedValue) else part)
        elif isinstance(node, ast.Attribute) and self._on_view(node.value):
            return
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if not self._on_view(node.func.value):
                self.fail(node, "only methods of the chapter view are called")
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                self.argument(arg)
        else:
            self.fail(node, "arguments are literals, parameters or values of the chapter view")

    def _on_view(self, node: ast.expr) -> bool:
        return isinstance(node, ast.Name) and node.id in self.view_names


@pytest.mark.parametrize("name", CHAPTER_NOTEBOOKS)
def test_chapter_code_only_constructs_the_view_and_calls_its_show_methods(name):
    nb = read(name)
    cells = code_cells(nb)
    shapes = _Shapes(name, set(inspect_parameters(NOTEBOOKS_DIR / name)))
    for cell in cells[1:]:
        for node in ast.parse(cell.source).body:
            shapes.statement(node)
    assert shapes.view_names, f"{name} never constructs the chapter view"


@pytest.mark.parametrize("name", CHAPTER_NOTEBOOKS)
def test_one_presentation_api_per_chapter(name):
    module, view_class = OWN_API.get(name, (VIEW_MODULE, VIEW_CLASS))
    imported = set()
    for cell in code_cells(read(name))[1:]:
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.ImportFrom):
                imported |= {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                imported |= {a.name for a in node.names}
    # no display(Markdown), no figure tuples, no second helper module: the view only
    assert imported == {f"{module}.{view_class}"}, imported


def test_the_shapes_check_can_fail():
    shapes = _Shapes("x.ipynb", {"period"})
    shapes.statement(ast.parse(f"from {VIEW_MODULE} import {VIEW_CLASS}").body[0])
    shapes.statement(ast.parse("ch = Chapter(period)").body[0])
    shapes.statement(ast.parse('ch.show_trend("DEM-02", groups=["a"], title=f"{ch.x}")').body[0])
    for bad in [
        "import pandas as pd",
        "x = ch.table()",
        "ch.table().sum()",
        "ch.show_trend(len([1, 2]))",
        "for c in ch.codes: ch.show_trend(c)",
        "ch.show_trend(2 * 3)",
    ]:
        with pytest.raises(pytest.fail.Exception):
            shapes.statement(ast.parse(bad).body[0])

"""Architecture rules of the package, checked on its source (no module is imported).

- the module import graph (top-level imports) has no cycle;
- data flows one way: sources -> indicators -> disclosure -> present -> report;
- imports inside function bodies only for optional heavy libraries (allow-list);
- no module over 500 lines unless its docstring has a ``Size:`` line that says why;
- ``tables`` and ``sources`` can be imported without the indicator layer.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

PACKAGE = "bielefeld_integration"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE

#: Layer -> layers it must never import (top-level or inside functions).
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "sources": ("indicators", "disclosure", "present", "report"),
    "indicators": ("present", "report", "sources"),
    "present": ("report",),
    "disclosure": ("present", "report"),
}

#: Known layering exceptions outside this clean-up, each with its reason (remove when fixed).
LAYER_EXCEPTIONS: dict[tuple[str, str], str] = {
    (
        "bielefeld_integration.disclosure.table",
        "bielefeld_integration.present.format",
    ): "fmt_number in a suppression reason; the number format belongs below both layers",
}

#: Libraries that may be imported inside a function: optional or heavy, needed only by the
#: function that imports them (display helpers in a notebook, the HTML export, the browser).
INNER_IMPORT_ALLOWED: tuple[str, ...] = (
    "IPython",  # display helpers run only in a notebook kernel
    "matplotlib",  # kernel reset between report pages
    "jinja2",  # site templates, only when a site is written
    "nbconvert",  # HTML export, only when a report is rendered
    "traitlets",  # configuration of the nbconvert exporter
    "playwright",  # browser checks
    "importlib",  # PEP 562 lazy attribute access of a package's public API
)

MAX_LINES = 500


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    is_package: bool
    tree: ast.Module


@cache
def modules() -> dict[str, Module]:
    found: dict[str, Module] = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        name = ".".join(parts)
        found[name] = Module(name, path, is_package, ast.parse(path.read_text(encoding="utf-8")))
    return found


def _imported_names(module: Module, node: ast.Import | ast.ImportFrom) -> list[str]:
    """Fully qualified names an import statement refers to (candidate modules)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = module.name.split(".") if module.is_package else module.name.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    return [f"{prefix}.{alias.name}" for alias in node.names] + [prefix]


def _resolve(name: str) -> str | None:
    """The package module a dotted name lives in (None outside the package)."""
    if name != PACKAGE and not name.startswith(PACKAGE + "."):
        return None
    known = modules()
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def _targets(module: Module, node: ast.Import | ast.ImportFrom) -> set[str]:
    names = _imported_names(module, node)
    if isinstance(node, ast.ImportFrom):
        # ``from pkg import sub`` imports pkg.sub when it is a module, else pkg itself
        prefix = names[-1]
        names = [n if n in modules() else prefix for n in names[:-1]]
    found = {r for n in names if (r := _resolve(n)) and r != module.name}
    # importing a.b.c runs a/__init__ and a/b/__init__ first (except the importer's own parents)
    own = _ancestors(module.name) | {module.name}
    return {a for t in found for a in _ancestors(t) | {t} if a not in own}


def _ancestors(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported (module body, also in if/try blocks)."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If | ast.Try | ast.With):
            for field in ("body", "orelse", "finalbody", "handlers"):
                for child in getattr(node, field, []):
                    if isinstance(child, ast.ExceptHandler):
                        pending.extend(child.body)
                    else:
                        pending.append(child)
    return found


def _is_type_checking(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


@cache
def graph() -> dict[str, frozenset[str]]:
    edges: dict[str, frozenset[str]] = {}
    for module in modules().values():
        body = [n for n in module.tree.body if not _is_type_checking(n)]
        nodes = _top_level_imports(ast.Module(body=body, type_ignores=[]))
        edges[module.name] = frozenset(t for node in nodes for t in _targets(module, node))
    return edges


def _function_imports() -> list[tuple[str, str, int, str]]:
    found = []
    for module in modules().values():
        for fn in ast.walk(module.tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom):
                    names = ["." * node.level + (node.module or "")]
                else:
                    continue
                for name in names:
                    found.append((module.name, fn.name, node.lineno, name))
    return found


def _layer(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else None


def _cycle(edges: dict[str, frozenset[str]]) -> list[str] | None:
    """One import cycle of the graph, or None."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_graph_sees_the_package():
    edges = graph()
    assert len(edges) > 50
    assert "bielefeld_integration.store" in edges["bielefeld_integration.ingest"]
    assert "bielefeld_integration.tables" in edges["bielefeld_integration.store"]


def test_cycle_finder_finds_a_cycle():
    edges = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset()}
    assert _cycle(edges) == ["a", "b", "c", "a"]
    assert _cycle({"a": frozenset({"b"}), "b": frozenset()}) is None


def test_no_import_cycle():
    cycle = _cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_layers_import_one_way():
    wrong = []
    for module in modules().values():
        layer = _layer(module.name)
        if layer not in FORBIDDEN:
            continue
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in _targets(module, node):
                if (module.name, target) in LAYER_EXCEPTIONS:
                    continue
                if target == f"{PACKAGE}.{_layer(target)}" and any(
                    m == module.name and t.startswith(target + ".") for m, t in LAYER_EXCEPTIONS
                ):
                    continue  # the parent package of an excepted import
                if _layer(target) in FORBIDDEN[layer]:
                    wrong.append(f"{module.name}:{node.lineno} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_imports_inside_functions_only_for_optional_heavy_libraries():
    wrong = [
        f"{mod}.{fn}:{line} imports {name}"
        for mod, fn, line, name in _function_imports()
        if name.split(".")[0] not in INNER_IMPORT_ALLOWED
    ]
    assert not wrong, "\n".join(wrong)


def test_no_package_module_imported_inside_a_function():
    own = [
        f"{mod}.{fn}:{line} imports {name}"
        for mod, fn, line, name in _function_imports()
        if name.startswith((PACKAGE, "."))
    ]
    assert not own, "\n".join(own)


def _size_reason(module: Module) -> str | None:
    doc = ast.get_docstring(module.tree) or ""
    for line in doc.splitlines():
        if line.strip().startswith("Size:") and len(line.strip()) > len("Size:") + 10:
            return line.strip()
    return None


def test_large_modules_say_why():
    too_long = []
    for module in modules().values():
        lines = len(module.path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and _size_reason(module) is None:
            too_long.append(f"{module.path.relative_to(ROOT.parent)}: {lines} lines")
    assert not too_long, "over 500 lines without a 'Size:' line in the docstring:\n" + "\n".join(
        too_long
    )


@pytest.mark.parametrize("name", ["tables", "sources"])
def test_lower_layers_import_without_the_indicator_layer(name):
    code = (
        f"import sys, {PACKAGE}.{name}\n"
        f"bad = sorted(m for m in sys.modules if m.startswith('{PACKAGE}.') "
        "and m.split('.')[1] in ('indicators', 'disclosure', 'present', 'report'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"{PACKAGE}.{name} pulls in {out}"


def test_public_api_still_reachable_from_the_package():
    code = (
        f"import {PACKAGE} as bi\n"
        "assert callable(bi.load) and callable(bi.periods) and callable(bi.published)\n"
        "assert callable(bi.indicators) and bi.indicators.compute_indicators\n"
        f"from {PACKAGE} import indicators, Period, DataError\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

"""The measures package keeps data flowing one way: no cycle with tables and the catalogue.

``tables`` registers the table ``measures`` from ``measures/schema.py``; the indicator
catalogue validates against ``tables``. So importing ``tables`` (or the register's
vocabulary, schema, reader and summaries, or the ingest loader) must not import the
indicator layer, and no module of the package may dodge a cycle with an import inside a
function or an ``except ImportError``.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import bielefeld_integration.measures as measures_pkg

PACKAGE = Path(measures_pkg.__file__).parent

# Import a module in a fresh interpreter without running the package's own __init__
# (which imports the indicator layer for notebook users), and list what got imported.
_PROBE = """
import importlib, importlib.util, json, sys, types
spec = importlib.util.find_spec("bielefeld_integration")
pkg = types.ModuleType("bielefeld_integration")
pkg.__path__ = list(spec.submodule_search_locations)
sys.modules["bielefeld_integration"] = pkg
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(m for m in sys.modules if m.startswith("bielefeld_integration"))))
"""


def _imported_by(module: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, module], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize(
    "module",
    [
        "bielefeld_integration.tables",
        "bielefeld_integration.measures",
        "bielefeld_integration.measures.schema",
        "bielefeld_integration.measures.reader",
        "bielefeld_integration.sources.measures",
    ],
)
def test_lower_layers_do_not_import_the_indicator_layer(module):
    loaded = _imported_by(module)
    assert module in loaded
    assert not [m for m in loaded if m.startswith("bielefeld_integration.indicators")], loaded
    assert "bielefeld_integration.measures.links" not in loaded


def test_vocabulary_and_schema_import_nothing_above_them():
    loaded = set(_imported_by("bielefeld_integration.measures.schema"))
    assert not {m for m in loaded if m.startswith(("bielefeld_integration.present",))}
    assert "bielefeld_integration.disclosure" not in loaded


def test_links_sit_above_catalogue_and_register():
    loaded = _imported_by("bielefeld_integration.measures.links")
    assert "bielefeld_integration.indicators.catalogue" in loaded
    assert "bielefeld_integration.tables" in loaded


def _modules() -> list[Path]:
    return sorted(PACKAGE.glob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.name)
def test_no_import_inside_functions_and_no_import_error_dodge(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for func in ast.walk(tree):
        if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inner = [n for n in ast.walk(func) if isinstance(n, (ast.Import, ast.ImportFrom))]
            assert not inner, f"{path.name}: import inside {func.name}()"
    for handler in (n for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler)):
        name = ast.unparse(handler.type) if handler.type is not None else ""
        assert "ImportError" not in name, f"{path.name}: except ImportError"


def test_every_module_is_small():
    for path in _modules():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 500, f"{path.name} has {lines} lines"


def test_public_names_stay_importable_from_the_package():
    for name in measures_pkg.__all__:
        assert hasattr(measures_pkg, name), name
    assert not hasattr(measures_pkg, "publishable")  # one name per concept: publish_register


def test_docstring_examples():
    import doctest
    import importlib

    attempted = 0
    for path in _modules():
        module = importlib.import_module(f"bielefeld_integration.measures.{path.stem}")
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, path.name
        attempted += result.attempted
    assert attempted >= 4

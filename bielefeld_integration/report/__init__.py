"""Render the parameterised report notebooks of a period into a static German HTML site.

Public API (imported lazily, so that the kernel-side helpers stay cheap to import):

- :func:`render_period`, :func:`render_all`, :func:`build_site_index` (``report.runner``)
- :class:`ChapterSpec`, :data:`CHAPTERS` (``report.chapters``)
- :class:`ReportError`, :class:`NotebookFailedError`, :class:`ParameterError`
"""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "render_period": "runner",
    "render_all": "runner",
    "build_site_index": "site",
    "validate_parameters": "parameters",
    "inspect_parameters": "parameters",
    "ReportError": "errors",
    "NotebookFailedError": "errors",
    "ParameterError": "errors",
    "ChapterSpec": "chapters",
    "CHAPTERS": "chapters",
    "DISTRICT_CHAPTER": "chapters",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)

"""Errors of the report runner. Messages are German: the CLI prints them as they are."""

from __future__ import annotations

from bielefeld_integration.errors import DataError


class ReportError(RuntimeError):
    """Rendering a report failed; nothing was published and the previous report is intact."""


class ParameterError(DataError):
    """Notebook parameters that do not fit the notebook's ``parameters`` cell.

    Raised before any notebook is executed: unknown names, wrong types, missing
    declarations, invalid periods or district codes.
    """


class NotebookFailedError(ReportError):
    """A notebook raised an error (or timed out) while it was executed.

    Attributes
    ----------
    notebook:
        File name of the notebook (``"02_gefluechtete.ipynb"``).
    cell_index:
        0-based index of the failing cell in the notebook file (as stored, without the
        injected-parameters cell), or ``None`` if unknown.
    ename, evalue:
        Name and message of the exception.
    failed_path:
        Where the executed notebook (with papermill's error banner) was kept.
    """

    def __init__(
        self,
        message: str,
        *,
        notebook: str,
        cell_index: int | None,
        ename: str,
        evalue: str,
        failed_path: str | None,
    ) -> None:
        super().__init__(message)
        self.notebook = notebook
        self.cell_index = cell_index
        self.ename = ename
        self.evalue = evalue
        self.failed_path = failed_path

    def __reduce__(self):  # pickled across worker processes
        return (
            _rebuild_failed,
            (
                str(self),
                self.notebook,
                self.cell_index,
                self.ename,
                self.evalue,
                self.failed_path,
            ),
        )


def _rebuild_failed(
    message: str,
    notebook: str,
    cell_index: int | None,
    ename: str,
    evalue: str,
    failed_path: str | None,
) -> NotebookFailedError:
    return NotebookFailedError(
        message,
        notebook=notebook,
        cell_index=cell_index,
        ename=ename,
        evalue=evalue,
        failed_path=failed_path,
    )

"""Files shipped inside the package: the chapter notebooks and the nbconvert template.

They are package data, found with :mod:`importlib.resources`, so the report runs the same
from a checkout (editable install) and from a wheel installed anywhere. In a checkout the
notebooks live in ``bielefeld_integration/notebooks/`` (``notebooks/`` at the top of the
repository is a link to that folder, for JupyterLab).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["NOTEBOOKS_DIR", "TEMPLATE_DIR", "package_folder"]


def package_folder(*parts: str) -> Path:
    """A folder of package data as a file-system path.

    Parameters
    ----------
    parts:
        Path below the ``bielefeld_integration`` package, e.g. ``("notebooks",)``.

    Raises
    ------
    RuntimeError
        If the package is not installed as plain files (e.g. imported from a zip archive):
        papermill and nbconvert need real folders.
    """
    resource = files("bielefeld_integration").joinpath(*parts)
    path = Path(str(resource))
    if not path.is_dir():
        raise RuntimeError(
            f"Paketdaten {'/'.join(parts)} nicht gefunden: das Paket muss als Dateien "
            "installiert sein (pip install), nicht als Archiv"
        )
    return path


#: The chapter notebooks (the source of the report's chapters).
NOTEBOOKS_DIR = package_folder("notebooks")
#: Folder of the nbconvert template (and the shared CSS and macros).
TEMPLATE_DIR = package_folder("report", "template")

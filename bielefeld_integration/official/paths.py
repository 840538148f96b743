"""Where the official tables live: ``data/official/`` below the working directory.

Like the other data folders of the package (see :mod:`bielefeld_integration.store`), the
default never depends on where the package is installed: an explicit folder, else
``$BIELEFELD_OFFICIAL_DIR``, else ``./data/official``. The ingested official tables go to
``<processed store>/official/``.
"""

from __future__ import annotations

import os
from pathlib import Path

from bielefeld_integration.store import data_dir

__all__ = ["official_dir", "processed_official_dir"]


def official_dir(official: str | Path | None = None) -> Path:
    """The real tables: ``official``, else ``$BIELEFELD_OFFICIAL_DIR``, else ``./data/official``."""
    if official not in (None, ""):
        return Path(official)
    return Path(os.environ.get("BIELEFELD_OFFICIAL_DIR") or Path("data") / "official")


def processed_official_dir(data: str | Path | None = None) -> Path:
    """``<processed store>/official``: the ingested official tables, apart from the demo periods."""
    return data_dir(data) / "official"

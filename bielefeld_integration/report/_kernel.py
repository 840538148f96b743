"""Code that runs inside a reused report kernel between two notebooks.

The runner keeps one IPython kernel alive per worker process and executes many notebooks in
it, one after another. Before each notebook the runner calls :func:`reset`, which gives the
notebook (nearly) the state of a fresh kernel:

- the user namespace is emptied and the execution counter starts again at 1
  (``InteractiveShell.reset(new_session=True)``, what ``%reset -f`` does plus a new counter),
- the working directory is set to the notebooks folder,
- all matplotlib figures are closed and ``rcParams`` restored to the kernel's start values,
- warning filters and pandas options are restored,
- a new trace of what the notebook reads begins (:mod:`bielefeld_integration.reads`); the
  runner fetches it with :func:`reads_json` when the notebook has run.

What is *not* reset: modules stay imported (that is the point: pandas and matplotlib are
imported once per worker, not once per notebook). A notebook that changes a module's global
state other than the ones above would leak it into the next notebook.

This module must stay cheap to import: it is imported inside the kernel.
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import Any

from bielefeld_integration import reads

_STATE: dict[str, Any] = {}


def _snapshot() -> None:
    import matplotlib as mpl
    import matplotlib.pyplot

    _STATE["rc"] = mpl.rcParams.copy()
    _STATE["warnings"] = list(warnings.filters)


def reset(cwd: str) -> None:
    """Reset the kernel's state for the next notebook (called by the runner).

    Parameters
    ----------
    cwd:
        The working directory for the next notebook (the notebooks folder).
    """
    from IPython import get_ipython

    shell = get_ipython()
    if "rc" not in _STATE:
        _snapshot()
    if shell is not None:
        shell.reset(new_session=True)
    os.chdir(cwd)
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    plt.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mpl.rcParams.update(_STATE["rc"])
    warnings.filters[:] = _STATE["warnings"]
    pandas = sys.modules.get("pandas")
    if pandas is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pandas.reset_option("all")
    reads.start()


def reads_json() -> str:
    """What the last notebook read, as JSON (see :mod:`bielefeld_integration.reads`)."""
    reads.stop()
    return reads.recorded_json()

"""Pieces of the command line that make every failure a clear German message.

- :class:`GermanArgumentParser`: argparse with German error messages and help headings.
- :func:`positive_int`: an argument type for counts such as ``--workers`` (at least 1).
- :func:`check_output_file`: an ``--output`` that names a folder (or a file in a folder
  that does not exist) is refused before anything is computed.
- :func:`command_locks`: ``report`` holds the locks of its data and output folder for the
  whole run, so an ``ingest`` or a second ``report`` cannot change what it is rendering.
- :func:`describe_failure`: the exit code and message for any exception: ``2`` for bad
  input (:class:`~bielefeld_integration.errors.DataError`, a wrong path), ``1`` for
  everything else (a full or read-only disk, missing rights, an internal error). No
  traceback is printed unless ``BIELEFELD_DEBUG=1`` is set.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys
import traceback
from contextlib import ExitStack
from pathlib import Path
from typing import NoReturn

from bielefeld_integration.errors import DataError
from bielefeld_integration.lock import folder_lock
from bielefeld_integration.store import data_dir

__all__ = [
    "GermanArgumentParser",
    "check_output_file",
    "command_locks",
    "describe_failure",
    "positive_int",
    "translate_argparse",
]

#: argparse's messages (Python 3.11–3.13) and their German wording.
_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"the following arguments are required: (.+)"), r"diese Angaben fehlen: \1"),
    (re.compile(r"one of the arguments (.+) is required"), r"eine dieser Angaben ist nötig: \1"),
    (re.compile(r"not allowed with argument (.+)"), r"nicht zusammen mit \1 möglich"),
    (
        re.compile(r"invalid choice: (.+?) \(choose from (.+)\)"),
        r"ungültiger Wert \1 (möglich: \2)",
    ),
    (re.compile(r"invalid int value: (.+)"), r"keine ganze Zahl: \1"),
    (re.compile(r"invalid float value: (.+)"), r"keine Zahl: \1"),
    (re.compile(r"invalid (\w+) value: (.+)"), r"ungültiger Wert: \2"),
    (re.compile(r"expected one argument"), "erwartet einen Wert"),
    (re.compile(r"expected at least one argument"), "erwartet mindestens einen Wert"),
    (re.compile(r"ignored explicit argument (.+)"), r"Wert \1 ist hier nicht erlaubt"),
    (re.compile(r"unrecognized arguments: (.+)"), r"unbekannte Angaben: \1"),
    (re.compile(r"ambiguous option: (\S+) could match (.+)"), r"mehrdeutige Angabe \1: \2?"),
]
_ARGUMENT = re.compile(r"^argument ([^:]+): ")
_HEADINGS = [
    ("usage: ", "Aufruf: "),
    ("positional arguments:", "Befehle und Argumente:"),
    ("options:", "Optionen:"),
    ("optional arguments:", "Optionen:"),
    ("show this help message and exit", "diese Hilfe zeigen und beenden"),
]


def translate_argparse(message: str) -> str:
    """An argparse error message in German (unknown messages are kept as they are).

    Examples
    --------
    >>> translate_argparse("argument --workers: invalid int value: 'x'")
    "Angabe --workers: keine ganze Zahl: 'x'"
    >>> translate_argparse("the following arguments are required: command")
    'diese Angaben fehlen: command'
    """
    prefix = ""
    m = _ARGUMENT.match(message)
    if m:
        prefix = f"Angabe {m.group(1)}: "
        message = message[m.end() :]
    for pattern, german in _MESSAGES:
        if pattern.search(message):
            message = pattern.sub(german, message, count=1)
            break
    return prefix + message


class GermanArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors and help headings are German.

    Errors end the program with exit code 2 after printing the usage line and
    ``<prog>: Fehler: <message>``. Sub-parsers created with ``add_subparsers`` are of
    the same class.
    """

    def error(self, message: str) -> NoReturn:
        """Print the usage and the German message; exit with code 2."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: Fehler: {translate_argparse(message)}\n")

    def format_usage(self) -> str:
        return _german_headings(super().format_usage())

    def format_help(self) -> str:
        return _german_headings(super().format_help())


def _german_headings(text: str) -> str:
    for english, german in _HEADINGS:
        text = text.replace(english, german)
    return text


def positive_int(text: str) -> int:
    """An argument type: a whole number of at least 1 (e.g. ``--workers``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"keine ganze Zahl: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"muss mindestens 1 sein, nicht {value}")
    return value


def check_output_file(path: str | Path, *, suffixes: tuple[str, ...] = ()) -> Path:
    """``path`` as the target file of an export, or DataError before any work is done.

    Refused: an existing folder, a file in a folder that does not exist, and (if
    ``suffixes`` is given) a file name with another ending.
    """
    path = Path(path)
    if path.is_dir():
        raise DataError(
            "--output ist ein Ordner; bitte einen Dateinamen angeben, z. B. "
            f"{path / ('indikatoren' + (suffixes[0] if suffixes else '.csv'))}",
            file=path,
        )
    if not path.parent.is_dir():
        raise DataError("der Ordner für --output existiert nicht", file=path.parent)
    if suffixes and path.suffix.lower() not in suffixes:
        raise DataError(
            f"--output braucht die Endung {' oder '.join(suffixes)}, nicht "
            f"»{path.suffix or '(keine)'}«",
            file=path,
        )
    return path


def command_locks(args: argparse.Namespace) -> ExitStack:
    """The folder locks a command holds while it runs (enter the returned stack).

    ``report`` locks the processed store (``--data``) and the output folder (``--output``):
    a concurrent ``ingest`` or ``report`` waits and then stops with exit code 2 instead of
    changing the data under pages being rendered. Other commands lock where they write
    (``ingest`` inside :func:`~bielefeld_integration.ingest.ingest_period`).
    """
    stack = ExitStack()
    if getattr(args, "command", None) == "report":
        try:
            stack.enter_context(folder_lock(data_dir(args.data), what="Bericht"))
            stack.enter_context(folder_lock(args.output, what="Bericht"))
        except BaseException:
            stack.close()
            raise
    return stack


_INPUT_ERRNOS = {errno.EISDIR, errno.ENOTDIR, errno.ENOENT, errno.ENAMETOOLONG, errno.EEXIST}
_OS_MESSAGES = {
    errno.ENOSPC: "kein Speicherplatz mehr auf dem Datenträger",
    errno.EDQUOT: "Speicherkontingent (Quota) erschöpft",
    errno.EROFS: "der Datenträger ist schreibgeschützt",
    errno.EACCES: "keine Berechtigung",
    errno.EPERM: "keine Berechtigung",
    errno.EISDIR: "ist ein Ordner, erwartet wird eine Datei",
    errno.ENOTDIR: "ein Teil des Pfads ist kein Ordner",
    errno.ENOENT: "nicht gefunden",
    errno.ENAMETOOLONG: "Pfad ist zu lang",
    errno.EEXIST: "existiert schon",
    errno.EIO: "Ein-/Ausgabefehler des Datenträgers",
    errno.EMFILE: "zu viele offene Dateien",
}


def describe_failure(exc: BaseException) -> tuple[int, str]:
    """The exit code and the German message for an exception that ends a command.

    ``2`` for bad input (a :class:`DataError`, a path that is a folder or does not
    exist), ``1`` for failures of the environment (full or read-only disk, missing
    rights) and internal errors; ``130`` for an interrupt by the user.
    """
    if isinstance(exc, KeyboardInterrupt):
        return 130, "abgebrochen"
    if isinstance(exc, DataError):
        return 2, f"Fehler: {exc}"
    if isinstance(exc, OSError) and exc.errno in _OS_MESSAGES:
        what = _OS_MESSAGES[exc.errno]
        where = exc.filename if exc.filename is not None else ""
        text = f"{where}: {what}" if where else what
        code = 2 if exc.errno in _INPUT_ERRNOS else 1
        verb = "Fehler" if code == 2 else "Fehler beim Lesen oder Schreiben"
        return code, f"{verb}: {text}"
    if isinstance(exc, MemoryError):
        return 1, "Fehler: zu wenig Arbeitsspeicher für diese Eingabe"
    if isinstance(exc, RecursionError):
        return 1, "Fehler: Eingabe zu tief verschachtelt"
    detail = str(exc).splitlines()[0][:200] if str(exc) else ""
    return 1, (
        f"Interner Fehler ({type(exc).__name__}{': ' + detail if detail else ''}). "
        "Bitte mit dem Aufruf melden; BIELEFELD_DEBUG=1 zeigt den vollständigen Verlauf."
    )


def report_failure(exc: BaseException) -> int:
    """Print the message of :func:`describe_failure` (and with ``BIELEFELD_DEBUG=1`` the
    traceback) to stderr; return the exit code."""
    code, message = describe_failure(exc)
    if os.environ.get("BIELEFELD_DEBUG"):
        traceback.print_exception(exc, file=sys.stderr)
    print(message, file=sys.stderr)
    return code

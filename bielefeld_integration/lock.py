"""Locks and crash safety for the folders the package writes (processed store, reports).

- :func:`folder_lock` holds an ``fcntl.flock`` lock on ``<folder>/.lock`` for the time
  of a run: a second ``ingest`` or ``report`` on the same folder waits a little
  (``BIELEFELD_LOCK_WAIT`` seconds, default 10) and then stops with a German message. The
  lock is re-entrant within one process (``report`` ingests under its own lock) and is
  released by the kernel when the process dies, so a killed run never leaves it stuck.
  The lock file is removed at the end (a waiting run notices and locks the new file), so
  a finished run leaves nothing behind.
- :func:`swap_in` puts a finished folder in place of the published one. On Linux both
  are exchanged in one atomic step (``renameat2(RENAME_EXCHANGE)``); elsewhere two
  renames are used and :func:`recover` (called at the start of every run) puts the old
  folder back if a run was killed between them. A period is never lost.
- :func:`clean_stale` removes the temporary folders of killed runs (under the lock, so
  no running process owns them).
- :func:`die_with_parent` makes a worker process (and its kernel) end when the run that
  started it ends, so no orphan keeps writing into an abandoned folder.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import multiprocessing
import os
import re
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from bielefeld_integration.errors import DataError

__all__ = [
    "FolderBusy",
    "clean_stale",
    "die_with_parent",
    "folder_lock",
    "recover",
    "swap_in",
]

LOCK_NAME = ".lock"
#: Suffix of the folder that holds the previous version during a two-rename swap.
OLD_SUFFIX = ".old"
#: Suffix of the temporary folders a run builds its output in.
TMP_SUFFIX = ".tmp"
_OLD_NAME = re.compile(r"\.(.+?)\.old(?:-[0-9A-Za-z]+)?")
#: Temporary folders: ``.<name>.<random>.tmp`` (ingest) or ``.<name>.tmp-<random>`` (report).
_TMP_NAME = re.compile(r"\..+(?:\.tmp|\.tmp-[0-9A-Za-z_]+)")


class FolderBusy(DataError):
    """Another run holds the lock of a folder (exit code 2 on the command line)."""


_held: dict[Path, tuple[int, int]] = {}  # folder -> (fd, depth), re-entrant per process


def _wait_seconds() -> float:
    text = os.environ.get("BIELEFELD_LOCK_WAIT", "").strip()
    try:
        return max(0.0, float(text)) if text else 10.0
    except ValueError:
        return 10.0


@contextmanager
def folder_lock(
    folder: str | Path, *, what: str = "Lauf", wait: float | None = None
) -> Iterator[Path]:
    """Hold the exclusive lock of ``folder`` (created if missing) while the block runs.

    Parameters
    ----------
    folder:
        The folder to lock (the processed store or a report output folder).
    what:
        What the caller does, for the message (``"Einlesen"``, ``"Bericht"``).
    wait:
        Seconds to wait for another run to finish (default ``BIELEFELD_LOCK_WAIT`` or 10).

    Raises
    ------
    FolderBusy
        If another process still holds the lock after ``wait`` seconds.
    """
    folder = Path(folder).resolve()
    if folder in _held:
        fd, depth = _held[folder]
        _held[folder] = (fd, depth + 1)
        try:
            yield folder
        finally:
            fd, depth = _held[folder]
            _held[folder] = (fd, depth - 1)
        return
    created = not folder.exists()
    deadline = time.monotonic() + (_wait_seconds() if wait is None else wait)
    fd = _acquire(folder, what, deadline)
    _held[folder] = (fd, 1)
    try:
        yield folder
    finally:
        del _held[folder]
        # remove the lock file while still holding it: a waiting process then finds its
        # file gone and starts over (see _acquire); nothing is left in the folder
        (folder / LOCK_NAME).unlink(missing_ok=True)
        if created:
            with suppress(OSError):
                folder.rmdir()  # only if the run wrote nothing into a folder it created
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _acquire(folder: Path, what: str, deadline: float) -> int:
    """Open ``folder/.lock`` and lock it; the descriptor, or FolderBusy after ``deadline``."""
    path = folder / LOCK_NAME
    while True:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise FolderBusy(
                            f"der Ordner wird gerade von einem anderen Lauf benutzt"
                            f"{_owner(fd)}; {what} abgebrochen. Bitte warten, bis er fertig "
                            "ist, und dann neu starten (Wartezeit einstellbar mit "
                            "BIELEFELD_LOCK_WAIT)",
                            file=folder,
                        ) from None
                    time.sleep(0.1)
            if _same_file(fd, path):
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the holder removed the file while we waited: lock the new one


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def _owner(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode().strip()
    except OSError:  # pragma: no cover - unreadable lock file
        return ""
    return f" (Prozess {pid})" if pid.isdigit() else ""


def is_locked(folder: str | Path) -> bool:
    """Whether this process holds the lock of ``folder``."""
    return Path(folder).resolve() in _held


# --- publishing a folder ----------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap_in(new: str | Path, target: str | Path) -> None:
    """Put folder ``new`` in the place of folder ``target`` without a moment of absence.

    With an existing ``target`` both are exchanged atomically where the system allows it
    and the old version is deleted afterwards; otherwise ``target`` is renamed to
    ``.<name>.old`` first, which :func:`recover` undoes if the process dies in between.
    """
    new, target = Path(new), Path(target)
    if not target.exists():
        os.replace(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # now holds the previous version
        return
    old = target.with_name(f".{target.name}{OLD_SUFFIX}")
    shutil.rmtree(old, ignore_errors=True)
    os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def recover(root: str | Path) -> list[Path]:
    """Undo the half-done swaps of killed runs in ``root``; return the folders restored.

    A ``.<name>.old`` (or ``.<name>.old-<suffix>``) folder whose ``<name>`` is missing is
    renamed back; one whose ``<name>`` exists is a leftover and is removed.
    """
    root = Path(root)
    restored: list[Path] = []
    if not root.is_dir():
        return restored
    for old in sorted(root.iterdir()):
        m = _OLD_NAME.fullmatch(old.name)
        if not m or not old.is_dir() or old.is_symlink():
            continue
        target = root / m.group(1)
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(old, target)
            restored.append(target)
    return restored


def clean_stale(root: str | Path) -> list[Path]:
    """Remove the temporary folders and files of killed runs in ``root``.

    Matched are ``.<name>.<random>.tmp`` (ingest, atomic file writes) and
    ``.<name>.tmp-<random>`` (report periods).

    Call it only while holding :func:`folder_lock` of ``root``: then no other run can own
    them.
    """
    root = Path(root)
    removed = []
    if not root.is_dir():
        return removed
    for tmp in sorted(root.iterdir()):
        if not _TMP_NAME.fullmatch(tmp.name):
            continue
        if tmp.is_dir() and not tmp.is_symlink():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)
        removed.append(tmp)
    return removed


# --- worker processes -------------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int | None = None) -> bool:
    """End the calling worker process (and its children) when the run that started it ends.

    Call it first thing in a worker process (e.g. in the ``initializer`` of a process pool).
    Two mechanisms, because a pool worker's parent is not always the run itself:

    - Linux ``PR_SET_PDEATHSIG``: SIGKILL when the parent process ends;
    - for a ``multiprocessing`` worker (``forkserver`` or ``spawn``), whose parent may be the
      fork server, a daemon thread waits for the process that created the worker
      (:func:`multiprocessing.parent_process`) and then kills the worker's own child
      processes (e.g. its Jupyter kernel) and the worker. Without it a worker would outlive
      a killed run: the fork server only ends when all workers have ended.

    ``parent_pid`` is the pid of the process that started the worker; if that one has
    already gone when this runs, the worker ends at once. Returns whether either mechanism
    is in place.
    """
    ok = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            ok = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):  # pragma: no cover - no libc
            ok = False
    if parent_pid is not None and os.getppid() != parent_pid:
        _kill_self_and_children()  # pragma: no cover - parent already gone
    creator = multiprocessing.parent_process()
    if creator is not None and not _watching:
        _watching.append(creator.pid)
        threading.Thread(
            target=_watch, args=(creator,), name="bi-die-with-parent", daemon=True
        ).start()
        ok = True
    return ok


_watching: list[int | None] = []


def _watch(creator: multiprocessing.process.BaseProcess) -> None:
    creator.join()  # returns when the creating process has ended (its sentinel closes)
    _kill_self_and_children()


def _kill_self_and_children() -> None:
    me = os.getpid()
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == me:
            with suppress(OSError):
                os.kill(int(entry.name), signal.SIGKILL)
    os.kill(me, signal.SIGKILL)

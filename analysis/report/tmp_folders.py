"""The folders a report build's helper processes need in the temporary folder: a notebook
kernel's (its sockets and connection file, :mod:`analysis.report.kernel`) and the browser's
(its profile and page, :mod:`analysis.report.export`). Nothing with data goes there.

Each is a new folder, mode 0700, named ``PREFIX<pid>-XXXXXXXX`` (the build's process id, then
8 random characters as ``mkdtemp`` makes them), and holds a lock file on which the build, and
the process it hands the folder to, hold an exclusive ``flock`` while they may use it. A build
removes its folders when it is done with them, on Ctrl-C and ``kill`` too. A build killed
outright (``kill -9``, the machine out of memory) cannot: the next build removes them
(:func:`remove_dead_folders`), and only what is provably a dead build's: this user's folders
with the prefix whose lock no process holds, or, with no lock file yet (killed between making
the folder and its lock), whose build's process is gone.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import stat
import tempfile

#: The kinds of folder (their prefix) and the name of each one's lock file.
KERNEL_PREFIX, KERNEL_LOCK = "kvalitet-kernel-", "kernel.lock"
BROWSER_PREFIX, BROWSER_LOCK = "kvalitet-browser-", "browser.lock"
KINDS = {KERNEL_PREFIX: KERNEL_LOCK, BROWSER_PREFIX: BROWSER_LOCK}


def make_folder(prefix: str, base: str, lock_name: str) -> tuple[str, int]:
    """A new folder ``base/PREFIX<pid>-XXXXXXXX`` (0700) and the descriptor that holds the lock on
    its ``lock_name`` (close it only after the folder is removed)."""
    while True:
        folder = os.path.join(base, f"{prefix}{os.getpid()}-{secrets.token_hex(4)}")
        try:
            os.mkdir(folder, 0o700)
            break
        except FileExistsError:
            continue  # (another name, as mkdtemp draws one)
    lock = None
    try:
        # the lock is taken under another name and then linked to lock_name: a folder has its
        # lock file only once it is held, so another build never finds this one's free
        new = os.path.join(folder, f".{lock_name}")
        lock = os.open(new, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        fcntl.flock(lock, fcntl.LOCK_EX)
        os.link(new, os.path.join(folder, lock_name))
        os.unlink(new)
    except BaseException:
        # removed here, whatever stopped it (no descriptor or inode left, a file system without
        # hard links or locks, Ctrl-C); by name, file by file (shutil.rmtree needs descriptors,
        # and they may be what ran out)
        with contextlib.suppress(OSError):  # (what failed is what is raised)
            for name in (f".{lock_name}", lock_name):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(folder, name))
            os.rmdir(folder)
        if lock is not None:
            os.close(lock)
        raise
    return folder, lock


def remove_dead_builds_folders() -> list[str]:
    """Remove the folders of every kind (:data:`KINDS`) that dead builds left in the temporary
    folder and in ``/tmp`` (where a kernel's go when the temporary folder is too deep for its
    sockets); their paths."""
    removed = []
    for base in dict.fromkeys((tempfile.gettempdir(), "/tmp")):
        for prefix, lock_name in KINDS.items():
            removed += [os.path.join(base, name) for name in remove_dead_folders(base, prefix, lock_name)]
    return removed


def remove_dead_folders(base: str, prefix: str, lock_name: str) -> list[str]:
    """Remove this user's folders ``PREFIX…`` in ``base`` that a dead build left (see the module
    docstring); their names."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(base):
            if entry.name.startswith(prefix):
                with contextlib.suppress(OSError):  # (another build removed it, or it is not ours)
                    if _remove_if_dead(entry, prefix, lock_name):
                        removed.append(entry.name)
    return removed


def _remove_if_dead(entry: os.DirEntry, prefix: str, lock_name: str) -> bool:
    info = entry.stat(follow_symlinks=False)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        return False
    try:
        lock = os.open(os.path.join(entry.path, lock_name), os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        # no lock file: a folder being made (never removed while its build lives), or one its
        # build was killed in the moment between making it and its lock
        if _alive(_owner(entry.name, prefix)):
            return False
        shutil.rmtree(entry.path, ignore_errors=True)
        return True
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # (held: BlockingIOError, kept)
        shutil.rmtree(entry.path, ignore_errors=True)
        return True
    finally:
        os.close(lock)


def _owner(name: str, prefix: str) -> int | None:
    """The process id a folder's name gives its build (None: a name of another form)."""
    pid = name[len(prefix) :].partition("-")[0]
    return int(pid) if pid.isdigit() and pid[0] != "0" else None


def _alive(pid: int | None) -> bool:
    """Whether process ``pid`` may be running (an unknown one counts as running: kept)."""
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # (another user's process: there)
    return True

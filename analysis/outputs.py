"""Writing outputs: never over what kvalitet did not write, all or nothing, crash-safe, one run
at a time, and formula-safe.

Every command that writes (``ingest``, ``report``, ``flags|integration|survey|wellbeing --out``,
``synth``, ``fetch``) writes through :class:`OutputFolder` (a folder replaced as a whole) or
:class:`OutputFiles` (one file, or several that belong together), and every CSV and XLSX
writer passes its table through :func:`formula_safe` / :func:`excel_writer`.

**Ownership.** A folder is kvalitet's own only when it holds the marker :data:`MARKER`, which
kvalitet writes into every output folder last, naming the kind of output and every file it
wrote. A folder is replaced only when it is missing, empty, or carries that marker for the same
kind and holds no file the marker does not list; anything else is refused, naming the foreign
files (``manifest.json`` alone proves nothing). An output that is an input, lies inside an input
folder, or (a folder output) holds an input, is refused before anything is read.

**One run at a time.** A run takes an exclusive ``flock`` on ``.NAME.kvalitet-lock`` beside the
output for as long as it works on it (the report: the whole build). A second run into the same
output stops at once: "another kvalitet run (process N) is writing OUT; wait for it to finish
and run again". The holder removes the lock file while still holding it; a run that locked a
file that was removed or replaced meanwhile locks again, so two runs never both hold it.
NOTE: a limit: on an NFS share mounted with ``nolock`` or ``local_lock=flock|all`` an ``flock``
holds on one machine only, so runs on two machines do not see each other's (README, "Outputs are
safe"); the swap still moves whole folders.

**Private temporary files.** Everything is written into ``.NAME.kvalitet-tmp-XXXXXXXX`` beside
the output (mode 0700, same file system, so the final renames are atomic) and removed when the
run ends. A killed run leaves it behind; the next run into the same output removes it after
taking the lock (so it cannot be a living run's), completing an interrupted commit first. A
folder the run made for the output to go in (an ``--out`` in folders that do not exist yet) is
removed again, when empty, if the output was not written.

**Crash-safe swap** (the official output is complete at every instant):

* A folder is built in ``TMP/out`` and exchanged with the official folder in one atomic step
  (Linux ``renameat2(RENAME_EXCHANGE)``): the official name holds the old or the new output,
  never neither; the old output lands in ``TMP`` and is removed with it. The first output is
  renamed into place (``RENAME_NOREPLACE``).
* Where the file system cannot exchange, two renames are used (official -> ``TMP/old``,
  ``TMP/out`` -> official). A run killed between them leaves ``TMP/old``; the next start puts it
  back before anything else, so the last good output is the official one again.
* Files are written in ``TMP`` and renamed over their targets. Several files that belong
  together (survey's items, indices and changes) are committed with a journal: once every file
  is complete, ``TMP/commit.json`` lists them (flushed to disk) and the renames follow; a run
  killed during the renames is rolled forward by the next start. Before the journal exists
  nothing official has changed; after it, the new set is complete.

**Write failures.** A full disk, a quota, a read-only file system or a folder without write
permission gives :class:`analysis.errors.OutputError` "could not write FILE: no space left (free
space and run again); nothing was changed": only ``TMP`` was written before the swap, and the
swap needs no space. Files are flushed to disk (``fsync``) before the swap.

**Formula safety.** A text cell that a spreadsheet would read as a formula (starting with ``=``,
``+``, ``-``, ``@``, tab or carriage return; OWASP's CSV-injection rule) is written with a leading
``'`` in CSV, and as a text cell in XLSX (xlsxwriter never turns strings into formulas, numbers
or links). Numbers stay numbers: a negative number, or text that is exactly a number, is not
touched.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import os
import re
import secrets
import shutil
import signal
import stat
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import paths, written
from analysis.errors import OutputError, shown

if TYPE_CHECKING:  # loaded where a table is written (the CLI starts without pandas)
    import pandas as pd

#: The marker kvalitet writes into every output folder it owns.
MARKER = ".kvalitet-output.json"
_LOCK = ".kvalitet-lock"
_TMP = ".kvalitet-tmp-"
_JOURNAL = "commit.json"


# --- paths: inputs and outputs -------------------------------------------------------------


def _real(path: Path) -> Path:
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError):
        return Path(os.path.abspath(path))


def input_problem(out: Path, inputs: Iterable[Path | str], folder: bool = False) -> str | None:
    """Why ``out`` may not be written because of ``inputs`` (it is one, is inside an input
    folder, or, for a ``folder`` output that is replaced as a whole, holds one), else None."""
    target = _real(Path(out))
    for given in inputs:
        source = _real(Path(given))
        same = target == source
        if not same and os.path.exists(out) and os.path.exists(given):
            with contextlib.suppress(OSError):
                same = os.path.samefile(out, given)  # a hard link is the same file
        if same:
            return f"--out {shown(out)} is an input ({shown(given)}); give another --out, the input is not overwritten"
        if source in target.parents:
            return (
                f"--out {shown(out)} is inside the input folder {shown(given)}; write outputs outside the data folder"
            )
        if folder and target in source.parents:
            return (
                f"the input {shown(given)} is inside --out {shown(out)}, which is replaced as a whole; "
                "give another --out"
            )
    return None


def raw_data_problem(out: Path) -> str | None:
    """Why a table may not be written at ``out`` (a file): it would go into a raw-data folder
    (the default ``data/raw``, or one with a provenance manifest), where the next ``ingest`` or
    ``report`` would read it as data, and where its name could be a raw file's. Else None."""
    target = _real(Path(out))
    raw = paths.raw_folder_of(target)
    default = _real(paths.RAW)
    if raw is None and default in target.parents:
        raw = default
    if raw is None:
        return None
    return f"--out {shown(out)} is inside the raw-data folder {shown(raw)}, which is read as data; write outputs outside it"


def _listing(folder: Path) -> tuple[set[str], set[str]]:
    """Files (and symbolic links) and folders under ``folder``, relative, symbolic links not followed."""
    files, dirs = set(), set()
    for root, subdirs, names in os.walk(folder, followlinks=False):
        rel = Path(root).relative_to(folder)
        for d in list(subdirs):
            if os.path.islink(os.path.join(root, d)):
                names.append(d)
                subdirs.remove(d)
            else:
                dirs.add((rel / d).as_posix())
        files.update((rel / n).as_posix() for n in names)
    return files, dirs


def _read_marker(folder: Path) -> dict | None:
    path = folder / MARKER
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > 10_000_000:
            return None  # never open a FIFO or a device named like the marker
        marker = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if (
        not isinstance(marker, dict)
        or marker.get("written_by") != "kvalitet"
        or not isinstance(marker.get("files"), list)
    ):
        return None
    return marker


def folder_problem(out: Path, kind: str) -> str | None:
    """Why the folder ``out`` may not be replaced by a new ``kind`` output, or None when it may
    (missing, empty, or kvalitet's own ``kind`` output holding nothing else)."""
    out = Path(out)
    if not os.path.lexists(out):
        return None
    if out.is_symlink():
        return f"--out {shown(out)} is a symbolic link; give the folder it points to"
    if not out.is_dir():
        return f"--out {shown(out)} is a file; give a folder for the {kind}"
    if not any(out.iterdir()):
        return None
    marker = _read_marker(out)
    if marker is None:
        return (
            f"--out {shown(out)} holds other files and is not an earlier {kind} (kvalitet's marker "
            f"{MARKER} is missing); the {kind} replaces its folder as a whole, so give a new or empty folder"
        )
    if marker.get("kind") != kind:
        return (
            f"--out {shown(out)} holds an earlier {shown(marker.get('kind'))}, not an earlier {kind}; "
            "give another folder"
        )
    files, dirs = _listing(out)
    listed = {str(f) for f in marker["files"]} | {MARKER}
    implied = {p.as_posix() for f in listed for p in Path(f).parents if p.as_posix() != "."}
    foreign = sorted((files - listed) | (dirs - implied))
    # a foreign folder is named once, not with every file inside it
    foreign = [f for f in foreign if not any(f.startswith(d + "/") for d in foreign)]
    if foreign:
        names = ", ".join(shown(f) for f in foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        return (
            f"--out {shown(out)} is an earlier {kind} but holds files kvalitet did not write: {names}; "
            f"the {kind} replaces its folder as a whole, so move them out or give another --out"
        )
    return None


# --- write failures --------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where an output goes, as a write failure names it: ``note`` follows its path, and
    ``elsewhere`` says how to write it somewhere else."""

    note: str = ""
    elsewhere: str = "choose another --out"


#: An output the command line names (``--out``, or its default).
GIVEN_OUT = Place()

_REASONS = {
    errno.ENOSPC: ("no space left", "free space and run again"),
    errno.EDQUOT: ("the disk quota is used up", "free space and run again"),
    errno.EFBIG: (
        "the file is larger than this file system or the file-size limit allows",
        "free space or raise the limit, and run again",
    ),
    errno.EROFS: ("the folder is on a read-only file system", "{elsewhere}"),
    errno.EACCES: ("no permission to write there", "check the folder's permissions or {elsewhere}"),
    errno.EPERM: ("no permission to write there", "check the folder's permissions or {elsewhere}"),
    errno.ENOENT: ("the folder does not exist", "create it or {elsewhere}"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "{elsewhere}"),
    errno.ENAMETOOLONG: ("the name is too long", "{elsewhere}, with a shorter name"),
}
#: The outputs this process has put in place (folders swapped in, file sets past their commit
#: point): a Ctrl-C or kill held back over a swap is handled after it, and the message then
#: says what was written, not that nothing was replaced.
REPLACED: list[Path] = []

#: Errors that are about writing wherever they happen (reading never gives them).
_ALWAYS_WRITE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS}
_ERRNO_TEXT = re.compile(r"\[?errno (\d+)\]?", re.I)


def os_error_in(err: BaseException) -> OSError | None:
    """The OSError behind ``err``: itself, its cause or context, or one in its arguments
    (xlsxwriter wraps it in FileCreateError; pyarrow's have no errno but say it in the text)."""
    seen = set()
    todo = [err]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, OSError):
            if e.errno is None:
                m = _ERRNO_TEXT.search(str(e))
                if m:
                    return OSError(int(m.group(1)), os.strerror(int(m.group(1))), e.filename)
                if "No space left" in str(e):
                    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), e.filename)
            return e
        todo.extend([e.__cause__, e.__context__, *(a for a in getattr(e, "args", ()) if isinstance(a, BaseException))])
    return None


def cannot_write(path: Path, err: BaseException, place: Place = GIVEN_OUT) -> OutputError | None:
    """ "could not write PATH: reason (what to do); nothing was changed" for an ``err`` known to
    be about writing ``path``; None when its cause is not one a person can act on."""
    os_err = os_error_in(err)
    if os_err is None or os_err.errno not in _REASONS:
        return None
    reason, hint = _REASONS[os_err.errno]
    note = f" ({place.note})" if place.note else ""
    hint = hint.format(elsewhere=place.elsewhere)
    return OutputError(f"could not write {shown(path)}{note}: {reason} ({hint}); nothing was changed")


def write_error(
    target: Path, err: BaseException, staging: Path | None = None, place: Place = GIVEN_OUT
) -> OutputError | None:
    """``err`` as :func:`cannot_write` ``target``, or None when it is not about writing
    ``target``. A file in ``staging`` is named by its place in ``target``."""
    os_err = os_error_in(err)
    if os_err is None or os_err.errno not in _REASONS:
        return None
    name = Path(os_err.filename) if isinstance(os_err.filename, (str, os.PathLike)) and os_err.filename else None
    about_output = os_err.errno in _ALWAYS_WRITE
    shown_target = Path(target)
    if name is not None:
        tmp_root = Path(target).parent
        try:
            rel = Path(os.path.abspath(name)).relative_to(os.path.abspath(tmp_root))
        except ValueError:
            rel = None
        if rel is not None and rel.parts and rel.parts[0].startswith(f".{Path(target).name}{_TMP}"):
            about_output = True
            inner = rel.parts[2:] if len(rel.parts) > 2 and rel.parts[1] == "out" else ()
            shown_target = Path(target).joinpath(*inner) if inner else Path(target)
        elif staging is not None and _inside(name, staging):
            about_output = True
        elif rel is not None and (not rel.parts or rel.parts[0] in (Path(target).name, _Lock.name(Path(target)))):
            # the folder the output goes in, the output's own name, or its lock: another file
            # in that folder (an input beside the output) is not the output's
            about_output = True
    if not about_output:
        return None
    return cannot_write(shown_target, os_err, place)


def _inside(path: Path, folder: Path) -> bool:
    try:
        Path(os.path.abspath(path)).relative_to(os.path.abspath(folder))
        return True
    except ValueError:
        return False


# --- the lock ----------------------------------------------------------------------------------


@contextlib.contextmanager
def signals_held():
    """Ctrl-C (SIGINT) and a kill (SIGTERM) held back for the block and delivered after it.

    Python runs its signal handlers in the main thread only, whichever thread the signal
    reaches (numpy's BLAS threads, a kernel's threads), so a thread's signal mask cannot hold
    them back: in the main thread the handlers are swapped for one that only notes the signal,
    and the signals noted are raised again once the handlers are back. In another thread
    nothing is needed: no handler runs there."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    previous = {}
    for number in (signal.SIGINT, signal.SIGTERM):
        handler = signal.getsignal(number)
        if handler is not None:  # None: a handler not set from Python, left alone
            previous[number] = signal.signal(number, lambda signum, frame: noted.append(signum))
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for number in noted:
            signal.raise_signal(number)


def lock_file(path: Path, *, wait: bool, mode: int = 0o600) -> int:
    """A descriptor of the lock file ``path`` (made if missing) holding an exclusive ``flock``.
    When another process holds it: wait for it, or (not ``wait``) :class:`BlockingIOError` at
    once, whose ``filename`` is what the holder wrote into the file (its process id).

    A holder may remove its lock file while still holding it (and then the folder it made for
    it): a process that locked a file removed or replaced meanwhile locks the file now at
    ``path`` instead, so two processes never both hold it."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                raise BlockingIOError(errno.EWOULDBLOCK, "locked", holder) from None
            try:
                now = os.stat(path, follow_symlinks=False)
            except FileNotFoundError:
                now = None
        except BaseException:  # busy, or Ctrl-C while waiting
            os.close(fd)
            raise
        mine = os.fstat(fd)
        if now is not None and (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino):
            return fd
        os.close(fd)  # the previous holder removed it meanwhile: lock the new one


def make_folders(folder: Path) -> list[Path]:
    """Make ``folder`` and every missing folder above it; the folders this call made,
    innermost first (a folder another process makes meanwhile is not among them)."""
    missing = []
    while not os.path.lexists(folder):
        missing.append(folder)
        folder = folder.parent
    made = []
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            continue
        made.append(path)
    return made[::-1]


def remove_made_folders(made: list[Path]) -> None:
    """Remove the folders :func:`make_folders` made, innermost first, as far as they are empty:
    a failed run leaves no folder of its own behind, and never one that holds anything."""
    for folder in made:
        try:
            folder.rmdir()
        except OSError:
            return


class _Lock:
    """An exclusive ``flock`` on ``.NAME.kvalitet-lock`` beside ``target`` (see the module
    docstring); :class:`OutputError` at once when another run holds it."""

    def __init__(self, target: Path):
        self.target = target
        self.path = target.parent / self.name(target)
        self.fd: int | None = None

    @staticmethod
    def name(target: Path) -> str:
        return f".{target.name}{_LOCK}"

    def acquire(self) -> None:
        # Ctrl-C or a kill is held back while the lock is taken: delivered in between, it could
        # leave a lock file this run created but had not yet recorded as its own, and so never
        # removed (delivered after, it finds the lock recorded, and the caller's close removes it)
        with signals_held():
            self._acquire()

    def _acquire(self) -> None:
        try:
            fd = lock_file(self.path, wait=False)
        except BlockingIOError as busy:
            raise OutputError(_busy_message(self.target, str(busy.filename or ""))) from None
        self.fd = fd
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)  # for the other run's message
        except OSError:
            pass  # a full disk: the lock holds all the same, the message names no process

    def release(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.path)  # while still holding it (see acquire)
        os.close(self.fd)
        self.fd = None


def _busy_message(target: Path, holder: str) -> str:
    process = f" (process {holder})" if holder.isdigit() else ""
    return f"another kvalitet run{process} is writing {shown(target)}; wait for it to finish and run again"


def busy(target: Path) -> str | None:
    """What a run into ``target`` is told when another run holds its lock now (None: free),
    looked at without taking the lock or making anything: for a long run (the report) to be
    told at once, not after all its work; the lock it takes to write is what decides."""
    try:
        fd = os.open(target.parent / _Lock.name(target), os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:  # (no lock file: no run holds it)
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # (let go at once, with the descriptor)
    except BlockingIOError:
        return _busy_message(target, os.pread(fd, 32, 0).decode("ascii", "replace").strip())
    except OSError:
        return None
    finally:
        os.close(fd)
    return None


# --- private temporary folders and recovery -----------------------------------------------------


def _make_private(target: Path, hold: Callable[[Path | None], None]) -> Path:
    """A new folder beside ``target``, mode 0700 (as ``mkdtemp``), for everything this run
    writes. NOTE: ``hold`` is given each name before the folder is made (and None when the name
    turns out to be taken), so that an interrupt (Ctrl-C, ``kill``) just after it is made finds
    it in the run's hands and removes it; with ``mkdtemp`` the folder existed before the run knew
    its name, and a ``kill`` then left it behind (seen once in CI). A taken name is never used:
    another is drawn, as ``mkdtemp`` does."""
    while True:
        path = target.parent / f".{target.name}{_TMP}{secrets.token_hex(4)}"  # (mkdtemp's length)
        hold(path)
        try:
            path.mkdir(mode=0o700)
            return path
        except FileExistsError:
            hold(None)


def _recover(target: Path) -> list[str]:
    """Under the lock: finish or undo what a killed run left beside ``target``, then remove its
    temporary folder. Returns notes for the person."""
    notes: list[str] = []
    prefix = f".{target.name}{_TMP}"
    try:
        stale = [p for p in target.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return notes
    for folder in stale:
        if folder.is_symlink() or not folder.is_dir():
            continue
        journal = folder / _JOURNAL
        old = folder / "old"
        if journal.is_file():
            done = _roll_forward(journal, folder)
            if done:
                notes.append(
                    f"completed the interrupted writing of {', '.join(shown(p) for p in done)} "
                    "(a run was stopped while replacing them)"
                )
        elif old.is_dir() and not old.is_symlink() and not os.path.lexists(target):
            os.rename(old, target)
            notes.append(f"put back the earlier {shown(target)} (a run was stopped while replacing it)")
        shutil.rmtree(folder, ignore_errors=True)
    return notes


def _roll_forward(journal: Path, folder: Path) -> list[str]:
    try:
        pairs = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    done = []
    for temp_name, target in pairs:
        temp = folder / Path(temp_name).name  # only files in this folder
        if temp.is_file() and Path(target).parent == folder.parent:
            os.replace(temp, target)
            done.append(target)
    return done


def _fsync_tree(folder: Path) -> None:
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            if os.path.islink(path):
                continue
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# --- atomic renames ------------------------------------------------------------------------------

_RENAME_NOREPLACE, _RENAME_EXCHANGE = 1, 2
_AT_FDCWD = -100
#: False where renameat2 is missing or refused (then the two-rename swap with recovery is used).
EXCHANGE = True

try:
    _renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
except (OSError, AttributeError):  # pragma: no cover - not Linux/glibc
    _renameat2 = None


def _rename2(src: Path, dst: Path, flags: int) -> bool:
    """renameat2(src, dst, flags); False when the system or file system cannot."""
    if _renameat2 is None or not EXCHANGE:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(dst))


def _swap_in(new: Path, target: Path, private: Path) -> None:
    """Make ``new`` the official ``target`` (see "Crash-safe swap" in the module docstring)."""
    if not os.path.lexists(target):
        try:
            if not _rename2(new, target, _RENAME_NOREPLACE):
                os.rename(new, target)
            return
        except FileExistsError:
            pass  # an empty folder appeared meanwhile (checked before): exchange with it
    if _rename2(new, target, _RENAME_EXCHANGE):
        return
    os.rename(target, private / "old")
    os.rename(new, target)


# --- the two ways to write ---------------------------------------------------------------------


class OutputFolder:
    """A folder output replaced as a whole (``ingest``, ``report``).

    ::

        with OutputFolder(out, "report", inputs=[data_dir]) as staged:
            write everything into staged.path (private scratch files into staged.scratch)
        # here the new folder is the official one, or an exception left the old one in place

    or, inside an existing try/finally: ``staged = OutputFolder(...).open()`` …
    ``staged.commit()`` … ``staged.close()`` (always; removes the temporary folder and the lock).
    Refusals, a busy output and write failures raise :class:`analysis.errors.OutputError`.
    """

    def __init__(self, target: Path | str, kind: str, inputs: Iterable[Path | str] = (), place: Place = GIVEN_OUT):
        self.target = Path(os.path.abspath(target))
        self.kind = kind
        self.inputs = list(inputs)
        self.place = place
        self.notes: list[str] = []
        self._lock: _Lock | None = None
        self._private: Path | None = None
        #: the folders above the output this run made: removed again unless it is committed
        self._made: list[Path] = []
        self._committed = False

    @property
    def path(self) -> Path:
        """The folder that becomes the output."""
        assert self._private is not None, "open() first"
        return self._private / "out"

    @property
    def scratch(self) -> Path:
        """Private working space of this run (0700 via its parent), removed with it."""
        assert self._private is not None, "open() first"
        return self._private / "scratch"

    def open(self) -> OutputFolder:
        problem = input_problem(self.target, self.inputs, folder=True) or folder_problem(self.target, self.kind)
        if problem:
            raise OutputError(problem)
        try:
            while True:
                self._made = make_folders(self.target.parent)
                self._lock = _Lock(self.target)
                try:
                    self._lock.acquire()
                    break
                except FileNotFoundError:
                    if os.path.lexists(self.target.parent):
                        raise
                    # a run that failed removed the folder it had made meanwhile: make it again
            self.notes = _recover(self.target)
            problem = folder_problem(self.target, self.kind)  # again, under the lock
            if problem:
                raise OutputError(problem)
            _make_private(self.target, self._hold)
            self.path.mkdir()
            self.scratch.mkdir()
        except OutputError:
            self.close()
            raise
        except OSError as err:
            self.close()
            raise self.failed(err) from None
        except BaseException:  # Ctrl-C or a kill while opening: the lock and folder go too
            self.close()
            raise
        return self

    def commit(self) -> Path:
        """Write the marker and swap the new folder in (atomic; see the module docstring)."""
        try:
            files, _ = _listing(self.path)
            marker = {"written_by": "kvalitet", "kind": self.kind, "files": sorted(files)}
            (self.path / MARKER).write_text(json.dumps(marker, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            _fsync_tree(self.path)
            problem = folder_problem(self.target, self.kind)  # a file put there during the run
            if problem:
                raise OutputError(problem)
            os.chmod(self.path, 0o777 & ~_umask())
            # a Ctrl-C or kill is held back over the swap: on a file system that cannot exchange it
            # is two renames, and one handled between them removed the private folder, and with
            # it the earlier output it held (a second reader, 2026-12-05); after it, the output
            # is recorded as replaced before the signal is handled
            with signals_held():
                _swap_in(self.path, self.target, self._private)
                self._committed = True
                REPLACED.append(self.target)
            _fsync_dir(self.target.parent)
        except OSError as err:
            raise self.failed(err) from None
        return self.target

    def _hold(self, private: Path | None) -> None:
        """The run's private folder, known before it exists (see :func:`_make_private`)."""
        self._private = private

    def close(self) -> None:
        if self._private is not None:
            shutil.rmtree(self._private, ignore_errors=True)
            self._private = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        if not self._committed:
            remove_made_folders(self._made)
        self._made = []

    def failed(self, err: BaseException) -> BaseException:
        """``err`` as the "could not write" :class:`OutputError` when it is about this output
        (a full disk, a read-only folder), else ``err`` itself."""
        return write_error(self.target, err, self._private, self.place) or err

    def __enter__(self) -> OutputFolder:
        return self.open()

    def __exit__(self, kind, err, tb) -> None:
        try:
            if err is None:
                self.commit()
            elif isinstance(err, Exception):
                mapped = self.failed(err)
                if mapped is not err:
                    raise mapped from None
        finally:
            self.close()


class OutputFiles:
    """One file, or several that belong together, written all or nothing.

    ::

        with OutputFiles([out, out_indices, out_changes], inputs=paths) as temps:
            write each table to its temporary path in temps (same suffix as the target)

    A target that is an input, or inside an input folder, or a folder, is refused.
    """

    def __init__(self, targets: Iterable[Path | str], inputs: Iterable[Path | str] = ()):
        self.targets = [Path(os.path.abspath(t)) for t in targets]
        if len({t.parent for t in self.targets}) != 1:
            raise ValueError("the files of one output must be in one folder")
        self.inputs = list(inputs)
        self.notes: list[str] = []
        self._lock: _Lock | None = None
        self._private: Path | None = None
        self._committed = False  # the journal is written: the set must be completed, not removed
        self.temps: list[Path] = []

    def open(self) -> list[Path]:
        for target in self.targets:
            problem = input_problem(target, self.inputs)
            if problem is None and os.path.isdir(target):
                problem = f"--out {shown(target)} is a folder; give a file name"
            if problem:
                raise OutputError(problem)
        try:
            self._lock = _Lock(self.targets[0])
            self._lock.acquire()
            self.notes = _recover(self.targets[0])
            _make_private(self.targets[0], self._hold)
        except OutputError:
            self.close()
            raise
        except OSError as err:
            self.close()
            raise write_error(self.targets[0], err) or err from None
        except BaseException:  # Ctrl-C or a kill while opening: the lock and folder go too
            self.close()
            raise
        self.temps = [self._private / f"{i}-{t.name}" for i, t in enumerate(self.targets)]
        return self.temps

    def commit(self) -> list[Path]:
        try:
            for temp in self.temps:
                if not temp.is_file():
                    raise FileNotFoundError(errno.ENOENT, "not written", str(temp))
                fd = os.open(temp, os.O_RDONLY | os.O_NOFOLLOW)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            if len(self.targets) > 1:
                # the commit point: from here on the new set is complete (rolled forward if stopped)
                journal = self._private / _JOURNAL
                with open(journal, "w", encoding="utf-8") as fh:
                    json.dump([[t.name, str(target)] for t, target in zip(self.temps, self.targets)], fh)
                    fh.flush()
                    os.fsync(fh.fileno())
                self._committed = True
            for temp, target in zip(self.temps, self.targets):
                os.replace(temp, target)
                REPLACED.append(target)
            _fsync_dir(self.targets[0].parent)
            written.remember(self.targets)  # a later --out writes over them only as they are now
        except OSError as err:
            if self._committed:
                # past the commit point a rename failed (it needs no space: hardly ever): the
                # journal stays, and the next run into this output completes the set
                raise OutputError(
                    f"could not finish replacing {', '.join(shown(t) for t in self.targets)} "
                    f"({err.strerror or err}); the next kvalitet run into {shown(self.targets[0])} "
                    "completes them"
                ) from None
            raise write_error(self.targets[0], err, self._private) or err from None
        self._committed = False
        return self.targets

    def _hold(self, private: Path | None) -> None:
        """The run's private folder, known before it exists (see :func:`_make_private`)."""
        self._private = private

    def close(self) -> None:
        if self._private is not None and not self._committed:
            shutil.rmtree(self._private, ignore_errors=True)
        self._private = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> list[Path]:
        return self.open()

    def __exit__(self, kind, err, tb) -> None:
        try:
            if err is None:
                self.commit()
            elif isinstance(err, Exception):
                # name the file that failed (the temporary file stands for its target)
                failed = os_error_in(err)
                name = str(failed.filename) if failed is not None and failed.filename else None
                target = next((t for tmp, t in zip(self.temps, self.targets) if str(tmp) == name), self.targets[0])
                mapped = write_error(target, err, self._private)
                if mapped is not None:
                    raise mapped from None
        finally:
            self.close()


# --- formula safety ------------------------------------------------------------------------------

#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$")


def formula_safe_text(value: object) -> object:
    """A text that would start a formula, prefixed with ``'``; anything else as it is (numbers,
    and text that is exactly a number such as ``-1.5``, stay as they are)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` for a CSV file: every text cell and column name that would start a formula is
    prefixed with ``'`` (see :func:`formula_safe_text`); number columns are not touched."""
    import pandas as pd

    out = frame.copy(deep=False)
    for column in out.columns:
        values = out[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            if values.cat.categories.dtype == object or pd.api.types.is_string_dtype(values.cat.categories):
                cats = values.cat.categories
                safe = [formula_safe_text(c) for c in cats]
                if safe != list(cats):
                    out[column] = values.cat.rename_categories(dict(zip(cats, safe)))
            continue
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            text = values.map(formula_safe_text, na_action="ignore")
            if not text.equals(values):
                out[column] = text.astype(values.dtype) if values.dtype != object else text
    out.columns = [formula_safe_text(c) for c in out.columns]
    return out


#: xlsxwriter never turns a string into a formula, a number or a link.
XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}


def excel_writer(path: Path) -> pd.ExcelWriter:
    """A pandas ExcelWriter (xlsxwriter) whose text cells are always text (see
    :data:`XLSX_OPTIONS`): a name like ``=HYPERLINK(…)`` is shown, never run."""
    import pandas as pd

    return pd.ExcelWriter(path, engine="xlsxwriter", engine_kwargs={"options": dict(XLSX_OPTIONS)})

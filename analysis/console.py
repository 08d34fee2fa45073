"""What a person sees on the terminal when something goes wrong: one line, never a traceback.

* An unexpected error (a bug, or a fault the code did not foresee) is one line naming the
  command, the error and where it happened, and the path of a private log file that holds the
  full traceback:

      kvalitet report: unexpected error: RecursionError: maximum recursion depth exceeded
      (at dbh.py:61); the details are in /home/me/.local/state/kvalitet/error-20250101-101010-4242.log
      (please send that file to the maintainers)

* Logs and kept files (a failed notebook) go to a private folder: ``$KVALITET_STATE_DIR``, else
  ``$XDG_STATE_HOME/kvalitet``, else ``~/.local/state/kvalitet``; created with mode 0700, never a
  symbolic link, never another user's. Files in it are created new (``O_EXCL``, no symbolic
  links followed, mode 0600) under unique names; the oldest beyond :data:`KEEP_FILES` are removed.
  Nothing with data goes to the shared temporary folder.
* Everything printed goes through :class:`SafeStream`: control characters, bidi overrides and
  undecodable bytes from file names or data are escaped (see :func:`analysis.errors.shown`), so
  a file name cannot drive the terminal, and printing never fails on a byte that is not UTF-8.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import sys
import tempfile
import traceback
from pathlib import Path

#: Log files and kept notebooks in the private folder; older ones are removed.
KEEP_FILES = 50

# Printed text keeps newlines (the program's own line breaks) and tabs; everything else that
# is not printable on one line is escaped. Kept as a regex: every line printed passes here.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    from analysis.errors import _escape_char

    return _escape_char(match.group())


class SafeStream:
    """A text stream that escapes what a terminal must not receive (see the module docstring)."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(_UNSAFE.sub(_escape, text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def state_dir() -> Path:
    """The private folder for logs and kept files (created 0700; see the module docstring)."""
    if os.environ.get("KVALITET_STATE_DIR"):
        folder = Path(os.environ["KVALITET_STATE_DIR"])
    elif os.environ.get("XDG_STATE_HOME"):
        folder = Path(os.environ["XDG_STATE_HOME"]) / "kvalitet"
    else:
        folder = Path.home() / ".local" / "state" / "kvalitet"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            raise PermissionError(f"{folder} is not a private folder of this user")
        if stat.S_IMODE(info.st_mode) != 0o700:
            os.chmod(folder, 0o700)
        return folder
    except OSError:
        # NOTE: a folder of its own in the temporary area (mkdtemp: 0700, a new unique name)
        return Path(tempfile.mkdtemp(prefix="kvalitet-state-"))


#: The user's fingerprint key (:func:`fingerprint_key`): in a folder of its own in the state
#: folder, which the pruning of logs and kept files does not touch.
KEY_DIR, KEY_FILE = "keys", "fingerprint.key"


def fingerprint_key() -> bytes:
    """A random key of this user's, made once and kept in the private state folder (mode 0600):
    what the report publishes as its fingerprint is keyed with it
    (:func:`analysis.report.build.report_fingerprint`). Unkeyed, that fingerprint is a sha256 over
    the inputs' sha256 and what the report publishes, so a small respondent file's answers could
    be tried against it (an attack, 2026-12-04); the derived stage's fingerprints likewise
    (:func:`analysis.pipeline.keyed`). Kept outside the stages, which stay byte for byte the same
    for the same inputs and key. Where it cannot be kept, a new key for this run: the report is
    then never found up to date, and never keyed with nothing."""
    import secrets

    try:
        folder = state_dir() / KEY_DIR
        folder.mkdir(mode=0o700, exist_ok=True)
        key = folder / KEY_FILE
        if not key.exists():
            # written whole under another name, then linked: two first runs at once keep one key
            fd, temp = private_file_in(folder, "new", ".key")
            with os.fdopen(fd, "wb") as out:
                out.write(secrets.token_bytes(32))
            try:
                os.link(temp, key)
            except FileExistsError:
                pass  # (the other run's key is the one)
            finally:
                temp.unlink(missing_ok=True)
        fd = os.open(key, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as src:
            value = src.read()
        if len(value) == 32:
            return value
    except OSError:
        pass  # (as below: a key for this run)
    return secrets.token_bytes(32)


def private_file(prefix: str, suffix: str) -> tuple[int, Path]:
    """A new file in :func:`state_dir` (``O_EXCL``, no symbolic link followed, mode 0600):
    its descriptor, open for writing, and its path."""
    folder = state_dir()
    _prune(folder)
    return private_file_in(folder, prefix, suffix)


def private_file_in(folder: Path, prefix: str, suffix: str) -> tuple[int, Path]:
    """A new file in ``folder``, as :func:`private_file` makes one."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for attempt in range(100):
        path = folder / f"{prefix}-{stamp}-{os.getpid()}{f'-{attempt}' if attempt else ''}{suffix}"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except FileExistsError:
            continue
        return fd, path
    raise FileExistsError(f"no free name for {prefix} files in {folder}")


def _prune(folder: Path) -> None:
    try:
        files = sorted(
            (p for p in folder.iterdir() if p.is_file() and not p.is_symlink()), key=lambda p: p.stat().st_mtime
        )
    except OSError:
        return
    for old in files[: max(0, len(files) - KEEP_FILES + 1)]:
        old.unlink(missing_ok=True)


def write_log(command: str, err: BaseException) -> Path | None:
    """The full traceback of ``err`` in a new private log file; None when even that fails."""
    try:
        fd, path = private_file("error", ".log")
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(f"kvalitet {command}: {' '.join(sys.argv)}\n")
            fh.write(f"python {sys.version.split()[0]}, {dt.datetime.now().isoformat(timespec='seconds')}\n\n")
            fh.write("".join(traceback.format_exception(type(err), err, err.__traceback__)))
        return path
    except Exception:  # noqa: BLE001 - a full disk must not turn the message into a traceback
        return None


def where(err: BaseException) -> str:
    """``file.py:line`` of the innermost frame of ``err``, or ""."""
    frames = traceback.extract_tb(err.__traceback__) if err.__traceback__ else []
    return f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""


def unexpected_line(command: str, err: BaseException) -> str:
    """The one line printed for an unexpected error, with a private log of the traceback."""
    from analysis.errors import shown

    log = write_log(command, err)
    text = str(err).splitlines()[0] if str(err) else ""
    text = text if len(text) <= 200 else text[:199] + "…"
    place = f" (at {where(err)})" if where(err) else ""
    details = (
        f"the details are in {shown(log)} (please send that file to the maintainers)"
        if log
        else "no log could be written (please report what you ran to the maintainers)"
    )
    return f"kvalitet {command}: unexpected error: {type(err).__name__}: {shown(text)}{place}; {details}"

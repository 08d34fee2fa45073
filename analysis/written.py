"""The files kvalitet wrote, remembered: a later run writes over such a file only while it is as
kvalitet left it.

``--out FILE`` names a file that may be there already. It may be kvalitet's table of the run
before (written over: that is what a second run is for), or the adviser's own work: a workbook
of notes saved under that name, kvalitet's table with a column of comments added, a sheet pasted
into a larger workbook. No look at the file's columns tells these apart for sure (an adviser's
added column may bear a name kvalitet writes too; a second reader, 2026-12-03, found both ways
round). What is sure is whether the file is still the one kvalitet wrote: each file is recorded
as it is committed (:class:`analysis.outputs.OutputFiles`), by its size, modification time and
inode, and a file is written over only when it still matches its record. Saved again from
Excel, edited, or written by another program, it does not, and it is left alone.

The record is a small JSON file in the private state folder (:func:`analysis.console.state_dir`,
in a folder of its own, which the pruning of logs does not touch), shared by every run of the
user and locked while it changes. Files that are gone or changed are dropped from it as it is
written. Where it cannot be read or written, nothing is recorded: a later run then refuses to
write over the file, it never writes over one it cannot vouch for.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterable
from pathlib import Path

#: The record's folder in the state folder, and its file.
RECORD_DIR, RECORD_FILE = "outputs", "written.json"


def _record() -> Path:
    from analysis.console import state_dir

    folder = state_dir() / RECORD_DIR
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder / RECORD_FILE


def _identity(path: Path) -> list[int] | None:
    """What tells the file as written from the same name written again by anyone: size,
    modification time (ns) and inode; None for a file that is not there."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ino]


def _load(record: Path) -> dict[str, list[int]]:
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remember(files: Iterable[Path]) -> None:
    """Record ``files`` as kvalitet wrote them, just now (and drop what no longer matches)."""
    with contextlib.suppress(OSError):
        record = _record()
        with open(record.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            known = {path: ident for path, ident in _load(record).items() if _identity(Path(path)) == ident}
            for file in files:
                ident = _identity(Path(file))
                if ident is not None:
                    known[os.path.realpath(file)] = ident
            temp = record.with_suffix(f".{os.getpid()}.tmp")
            temp.write_text(json.dumps(known, sort_keys=True), encoding="utf-8")
            os.replace(temp, record)


def unchanged_since_written(path: Path) -> bool:
    """Whether ``path`` is a file kvalitet wrote and nobody has changed since."""
    try:
        known = _load(_record()).get(os.path.realpath(path))
    except OSError:
        return False
    return known is not None and known == _identity(path)

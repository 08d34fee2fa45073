"""When a raw file was retrieved, as the best evidence at hand says it.

The raw folder's provenance manifest (``MANIFEST.json``, :mod:`analysis.readers.raw_manifest`)
dates each file it lists. An adviser's own folder of downloaded files has none: the files then
say what they can themselves, best first:

1. the file's content: a DBH-API JSON response's status object carries the API's delivery time
   (``leveringstid``), which is when the table was retrieved;
2. the file's name: a download named ``…_hentet_2026-09-22…`` (Samordna opptak's national file)
   says its retrieval date.

Nothing is made up: a file neither dates stays undated ("hentedato ukjent"; the report's "Om
tallene" says how to record the date). NOTE: never the file system's modification time. The
report is reproducible byte for byte from the same inputs and code, and an mtime is not one of
the inputs: a copy, a git checkout or a re-download of identical content moves it, so two builds
of the same files would print different source lines; and the report's fingerprint (the files'
sha256) does not see it, so a rebuild would keep a stale one.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import NamedTuple

from analysis.errors import InputError

#: How a date was known (``FileDate.basis``): the words said beside it are the report's
#: (``analysis.charts.common.Source``).
RETRIEVED = "retrieved"  # the manifest, or the file's content, records the retrieval
NAMED = "named"  # the file's name says when it was retrieved

#: "hentet_2026-09-22", "hentet 2026-09-22", "retrieved-2026-09-22", "downloaded_2026-09-22"
_NAMED_DATE = re.compile(r"(?:hentet|retrieved|downloaded|lastet_?ned)[ _-]?(\d{4}-\d{2}-\d{2})", re.IGNORECASE)


class FileDate(NamedTuple):
    """A file's date (ISO ``YYYY-MM-DD``) and how it is known (:data:`RETRIEVED`, :data:`NAMED`)."""

    date: str
    basis: str = RETRIEVED


def own_date(path: Path) -> FileDate | None:
    """The best date the file's content or name gives (module docstring, 1–2); None when neither
    gives one."""
    return _content_date(path) or _named_date(path)


def _content_date(path: Path) -> FileDate | None:
    if path.suffix.lower() != ".json":
        return None
    from analysis.readers.dbh import load_dbh_json

    try:
        status, _ = load_dbh_json(path)
    except (InputError, OSError, ValueError):
        return None  # not a DBH-API response; its reader said what is wrong with it
    delivered = str((status or {}).get("leveringstid") or "")
    # "2026-09-23 20:17:31": the API's own clock; the date is what the report says
    return FileDate(delivered[:10], RETRIEVED) if _is_date(delivered[:10]) else None


def _named_date(path: Path) -> FileDate | None:
    found = _NAMED_DATE.search(path.name)
    return FileDate(found.group(1), NAMED) if found and _is_date(found.group(1)) else None


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10

"""Writing an output folder as a whole: built aside, swapped in by renames, never over a stranger.

``kvalitet ingest`` and ``kvalitet report`` both replace their output folder in one step, so a
failed run leaves the earlier output intact. Because the folder is replaced as a whole, it must
be new, empty, or one this product wrote (``--out ~`` must never delete a home folder).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path


def manifest_has(folder: Path, name: str, *keys: str) -> bool:
    """True when ``folder/name`` is a JSON object holding every key in ``keys``."""
    try:
        manifest = json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and all(k in manifest for k in keys)


def replace_problem(out_dir: Path, is_ours: Callable[[Path], bool], what: str) -> str | None:
    """Why ``out_dir`` may not be replaced by a new ``what``, or None when it may."""
    if not out_dir.exists():
        return None
    if not out_dir.is_dir():
        return f"--out {out_dir} is a file; give a folder for the {what}"
    if any(out_dir.iterdir()) and not is_ours(out_dir):
        return (f"--out {out_dir} holds other files and is not an earlier {what}; the {what} replaces "
                "its folder as a whole, so give a new or empty folder")
    return None


def swap_folder(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with renames only, so no one sees half a folder."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)

"""The raw folder's provenance manifest (``data/raw/MANIFEST.json``): where each raw file came
from, by which query, retrieved when. Read without the contracts (no pandas, no pandera): the
report notebooks read it for the retrieval dates they print under every chart."""

from __future__ import annotations

from pathlib import Path

from analysis.errors import InputError
from analysis.readers.base import check_not_special
from analysis.readers.safe_json import load_json


def raw_manifest_entries(manifest: Path) -> list:
    """The file entries of the raw folder's provenance manifest (``data/raw/MANIFEST.json``);
    none when it is missing or cannot be read. It is documentation, not data: a damaged
    manifest loses the queries and retrieval dates (their absence is said where they are
    shown), never the data. Read with the hostile-content checks of every JSON input."""
    try:
        check_not_special(manifest)
        data = load_json(manifest, manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError, InputError):
        return []
    files = data.get("files", []) if isinstance(data, dict) else data
    return files if isinstance(files, list) else []

"""The report's provenance manifest: inputs with their hashes, settings, package versions,
git commit. The only place with timestamps.

A source is named by what identifies it, its path in the data folder with its size and sha256,
and the settings file by its name and sha256 (:func:`analysis.paths.published_name`): never by
the adviser's folders, which are in no published file, so that the same inputs and code give
the same manifest from any folder (but for its two times)."""

from __future__ import annotations

import subprocess
from collections.abc import Collection
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from analysis import paths
from analysis.ingest import sha256
from analysis.paths import published_name

MANIFEST_NAME = "manifest.json"
#: Packages whose versions go into the manifest.
PACKAGES = (
    "kvalitet",
    "pandas",
    "pandera",
    "numpy",
    "scipy",
    "pyarrow",
    "plotly",
    "kaleido",
    "papermill",
    "jupytext",
    "nbformat",
    "ipykernel",
    "openpyxl",
    "xlsxwriter",
    "duckdb",
)


def git_commit() -> dict:
    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(["git", "-C", str(paths.ROOT), *args], capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return None
        return out.stdout.strip() if out.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain")
    return {"commit": commit, "dirty": bool(status) if status is not None else None}


def package_versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


#: The manifest's word for an input whose size and checksum are not published.
PERSONAL_NOTE = "respondent-level data: its size and sha256 are not published (they would give a small file's answers)"


#: The manifest's word for a file of the data folder that no stage reads.
UNREAD_NOTE = (
    "read as no data: its size and sha256 are not published (a copy of a respondent file would give its answers)"
)


def input_files(data_dir: Path, personal: Collection[str] = (), described: Collection[str] | None = None) -> list[dict]:
    """Every file of ``data_dir`` with its size and sha256, but those in ``personal`` (paths
    relative to ``data_dir``: :func:`analysis.disclosure.personal_inputs`), named only; and,
    where ``described`` is given (:func:`analysis.disclosure.described_inputs`: what a published
    manifest may describe), every file not in it named only too. A hidden file or folder is
    not looked into, as the readers never do (:func:`analysis.ingest.raw_files`: the tools'
    own): the data folder kept in git had its ``.git/objects/d5/c635…`` listed, each the SHA-1
    of a version of a file, a respondent file's too, which gave its answers by the same tries
    as its sha256 (found on a second reading of the manifest, 2026-12-05)."""
    out: list[dict] = []
    for p in sorted(data_dir.rglob("*")):
        name = p.relative_to(data_dir).as_posix()
        if p.is_file() and not any(part.startswith(".") for part in name.split("/")):
            if name in personal:
                out.append({"file": name, "note": PERSONAL_NOTE})
            elif described is not None and name not in described:
                out.append({"file": name, "note": UNREAD_NOTE})
            else:
                out.append({"file": name, "bytes": p.stat().st_size, "sha256": sha256(p)})
    return out


def settings_file(config: str | None) -> dict:
    """The settings file by its name and sha256 (:func:`analysis.paths.published_name`: its
    folder is the adviser's own, and the sha256 says which file it was)."""
    path = Path(config) if config else paths.DEFAULT_CONFIG
    if not path.is_file():
        return {"file": published_name(path), "sha256": None, "note": "not found: the built-in defaults were used"}
    return {"file": published_name(path), "sha256": sha256(path)}

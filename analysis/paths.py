"""Where things are: what ships with the code, and where an adviser's data and report go.

The stages of the pipeline are visible here: raw -> validated -> derived -> report.

* **Shipped with the code** — the notebooks, the default settings and the reference tables.
  In a checkout they are the top-level folders ``notebooks/``, ``config/`` and
  ``data/reference/``; an installed wheel carries the same files as the package data
  ``analysis.notebooks``, ``analysis.config`` and ``analysis.reference`` (mapped in
  ``pyproject.toml``), found through :mod:`importlib.resources`.
* **The adviser's** — the raw-data folder and the report. In a checkout they are the
  checkout's ``data/raw`` and ``build/report`` (as the Makefile and the README use them);
  installed, they are ``data/raw`` and ``build/report`` in the working directory. Every command
  takes ``--data DIR`` (and ``report`` ``--out DIR``) for any other place.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

#: The folder that holds the ``analysis`` package: a checkout's root, or site-packages.
ROOT = Path(__file__).resolve().parent.parent
#: True when running from a checkout (a clone, or an editable install of one).
CHECKOUT = (ROOT / "pyproject.toml").is_file() and (ROOT / "notebooks").is_dir()


def _shipped(package: str, folder: str) -> Path:
    """A folder of files shipped with the code: the checkout's own, else the installed package's
    (``analysis/<package>`` in site-packages)."""
    if CHECKOUT:
        return ROOT / folder
    return Path(str(files("analysis"))) / package


_HOME = ROOT if CHECKOUT else Path.cwd()

DATA = _HOME / "data"
RAW = DATA / "raw"  # immutable inputs, each with provenance in RAW / "MANIFEST.json"
VALIDATED = DATA / "validated"  # `kvalitet ingest`: validated Parquet per source
DERIVED = DATA / "derived"  # metrics tables
BUILD = _HOME / "build"
REPORT = BUILD / "report"
NOTEBOOKS = _shipped("notebooks", "notebooks")
CONFIG_DIR = _shipped("config", "config")
DEFAULT_CONFIG = CONFIG_DIR / "kvalitet.toml"
REFERENCE = _shipped("reference", "data/reference")  # look-up tables the readers need (institution names)
RAW_MANIFEST_NAME = "MANIFEST.json"
#: How far up from a raw file its provenance manifest is looked for (data/raw/dbh_api/x.json).
RAW_MANIFEST_DEPTH = 3


def raw_folder_of(path: Path) -> Path | None:
    """The raw-data folder ``path`` lies in: the nearest of its folder and the two above that
    holds a provenance manifest (:data:`RAW_MANIFEST_NAME`), else None."""
    folder = path.parent
    for _ in range(RAW_MANIFEST_DEPTH):
        if (folder / RAW_MANIFEST_NAME).is_file():
            return folder
        if folder.parent == folder:
            break
        folder = folder.parent
    return None


# --- the adviser's places in what is published ------------------------------------------------


def published_name(path: Path | str) -> str:
    """A file or folder of the adviser's as a published file names it: by its name alone
    (``kvalitet.toml``, ``raw``). The folder it is in is the adviser's own (``/home/ola/…``) and
    says nothing about the numbers: written out, it handed the adviser's home folder to a
    committee with the report, and gave the same inputs and code other bytes from another folder.
    A file is identified by its sha256 beside this name."""
    return Path(path).name


def published_note(note: str, data_dir: Path, settings_file: str | None = None) -> str:
    """A note from reading the data (a reader's warning, a derived step's note) as a published
    file gives it: a file in the data folder named by its path there, as the report's sources and
    the notes made from rows (their ``source_file``) name it. The readers give the full path, for the
    terminal (a file to open); in the report, the notebooks and the stages' manifests the data
    folder is the adviser's own and says nothing. So is the settings file's folder
    (``settings_file``, :attr:`analysis.settings.Settings.source`): a derived step's note names
    the file where a setting is written ("survey: kvalitet.toml: survey.indices.…"), which gave
    the adviser's home folder in a published report."""
    if settings_file:
        note = note.replace(f"{settings_file}:", f"{published_name(settings_file)}:")
    folder = f"{data_dir}{os.sep}"
    if not note.startswith(folder):
        return note
    # by its path in the data folder (``dbh_api/x.json``), as the validated rows and the sources
    # name it: two files of one name in two subfolders stay two
    file, colon, rest = note[len(folder) :].partition(":")
    return f"{Path(file).as_posix()}{colon}{rest}"

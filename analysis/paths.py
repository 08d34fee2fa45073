"""Project paths, anchored at the repository root, never at the working directory.

The stages of the pipeline are visible here: raw -> validated -> derived -> report.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RAW = DATA / "raw"  # immutable inputs, each with provenance in RAW / "MANIFEST.json"
VALIDATED = DATA / "validated"  # `kvalitet ingest`: validated Parquet per source
DERIVED = DATA / "derived"  # metrics tables
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"
REPORT = BUILD / "report"
CONFIG_DIR = ROOT / "config"
DEFAULT_CONFIG = CONFIG_DIR / "kvalitet.toml"
RAW_MANIFEST_NAME = "MANIFEST.json"

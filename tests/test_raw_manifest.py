"""Every raw file carries its provenance, and the manifest matches the files byte for byte."""

import hashlib
import json
from pathlib import Path

import pytest

from analysis import paths
from analysis.ingest import raw_files

MANIFEST = json.loads((paths.RAW / paths.RAW_MANIFEST_NAME).read_text(encoding="utf-8"))
REQUIRED_FIELDS = {"file", "sha256", "bytes", "source", "owner", "retrieved", "licence", "what"}


def test_every_raw_data_file_is_in_the_manifest_and_nothing_else():
    on_disk = {p.relative_to(paths.RAW).as_posix() for p in raw_files(paths.RAW)}
    listed = {e["file"] for e in MANIFEST["files"]}
    assert on_disk == listed


def test_every_entry_has_source_retrieval_date_and_licence():
    for entry in MANIFEST["files"]:
        missing = REQUIRED_FIELDS - set(entry)
        assert not missing, f"{entry['file']}: missing {missing}"
        assert all(str(entry[k]).strip() for k in REQUIRED_FIELDS), entry["file"]


def test_checksums_match_the_files_unchanged():
    for entry in MANIFEST["files"]:
        data = (paths.RAW / entry["file"]).read_bytes()
        assert len(data) == entry["bytes"], entry["file"]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file"]


def test_the_files_the_issue_names_are_on_board():
    listed = {e["file"] for e in MANIFEST["files"]}
    for name in [
        "dbh_api/dbh_api_t123_1150.json",
        "dbh_api/dbh_api_t210_1150.json",
        "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv",
        "dbh_national/dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv",
        "dbh_national/dbh_t123_alle_institusjoner_query.json",
        "samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv",
        "samordna_national/so_sokertall_programnivaa_2021-2026_hentet_2026-09-22_utdrag.json",
        "studiebarometeret_2025_portal_index_sample.csv",
        "studiebarometeret_2025_portal_items_sample.csv",
        "studiebarometeret_index_history_sample.csv",
        "studiebarometeret_2025_portal_dbh_facts_sample.csv",
        "shot_headline_figures_national.csv",
        "seed_hovedopptak_andel_kvinner_2007_2018.csv",
        "seed_studiebarometeret_2017_integrering.csv",
    ]:
        assert name in listed


def test_manifest_entries_are_in_file_order():
    """``kvalitet fetch`` writes the manifest back sorted by file: hand-made entries keep the
    same order, so a fetch changes only its own entries."""
    files = [e["file"] for e in MANIFEST["files"]]
    assert files == sorted(files)


def test_the_national_export_is_the_shared_file_byte_for_byte():
    shared = Path("/work/shared/data/raw/dbh_national")
    if not shared.is_dir():
        pytest.skip("the shared folder is not on this machine")
    for original in shared.iterdir():
        assert (paths.RAW / "dbh_national" / original.name).read_bytes() == original.read_bytes()

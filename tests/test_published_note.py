"""A published note names the adviser's files as the report's sources and the validated rows do:
by their path in the data folder, never by the folders above it (``analysis.paths.published_note``)."""

from __future__ import annotations

from pathlib import Path

from analysis.paths import published_note


def test_a_file_in_a_subfolder_keeps_its_subfolder_and_no_folder_above_the_data_folder(tmp_path):
    data = tmp_path / "home" / "ola" / "raw"
    # two files of one name in two subfolders are two files in what is published, as in the sources
    first = published_note(f"{data / 'dbh_api' / 'x.json'}:3:aar: 20x5 — not a year", data)
    second = published_note(f"{data / 'dbh_2024' / 'x.json'}:3:aar: 20x5 — not a year", data)
    assert first == "dbh_api/x.json:3:aar: 20x5 — not a year"
    assert second == "dbh_2024/x.json:3:aar: 20x5 — not a year"
    assert published_note(f"{data / 'sb.csv'}: 12 rows", data) == "sb.csv: 12 rows"
    for note in (first, second):
        assert str(tmp_path) not in note and "ola" not in note


def test_the_settings_file_is_named_by_its_name_and_other_notes_stay_as_they_are(tmp_path):
    settings = Path("/home/ola/kvalitet/kvalitet.toml")
    note = published_note(f"survey: {settings}: survey.indices.x names an item the data lacks", tmp_path, str(settings))
    assert note == "survey: kvalitet.toml: survey.indices.x names an item the data lacks"
    assert published_note("no file named here", tmp_path) == "no file named here"

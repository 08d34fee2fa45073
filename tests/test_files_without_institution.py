"""Two DBH table-123 files that name no institution (no Institusjonskode column, none in the query
or the file name) cannot be told apart from one institution's rows: read together, their
departments were added up into one faculty and one "(unknown)" institution, without a word
(a bad-input hunt, 2026-12-04: NTNU's and UiB's autumn 2021 files, each downloaded with an
institution filter and without the code column, gave one institution of 55 941 students).

The rows are the national export's (``dbh_national/``), as an adviser downloads one
institution's table: filtered to the institution, the year, autumn and category S, and without
the two institution columns. Every expected number was added up by hand from those lines.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.cli import main

NATIONAL = paths.RAW / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"
COLUMNS = ["Avdelingskode", "Avdelingsnavn", "Årstall", "Semester", "Studentkategori"]
COUNTS = ["Antall totalt", "Antall kvinner", "Antall menn"]


def one_institution(path: Path, institution: str, departments: str = "") -> Path:
    """The national file's autumn-2021 category-S rows of ``institution`` (those whose
    Avdelingskode starts with ``departments``), without Institusjonskode and Institusjonsnavn."""
    with NATIONAL.open(encoding="utf-8", newline="") as f:
        rows = [
            r
            for r in csv.DictReader(f, delimiter=";")
            if r["Institusjonskode"] == institution
            and (r["Årstall"], r["Semester"], r["Studentkategori"]) == ("2021", "3", "S")
            and r["Avdelingskode"].startswith(departments)
        ]
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow(COLUMNS + COUNTS)
        out.writerows([r[c] for c in COLUMNS + COUNTS] for r in rows)
    return path


@pytest.fixture
def two_institutions(tmp_path):
    """NTNU's file, and UiB's rows of its faculty 260 (no department code NTNU has too)."""
    folder = tmp_path / "raw"
    folder.mkdir()
    ntnu = one_institution(folder / "registrerte_studenter_ntnu.csv", "1150")
    uib = one_institution(folder / "registrerte_studenter_uib.csv", "1120", "260")
    return ntnu, uib


def lines(capsys) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return captured.out + captured.err


def test_two_files_without_an_institution_are_refused_not_added_together(two_institutions, tmp_path, capsys):
    ntnu, uib = two_institutions
    out = tmp_path / "flags.csv"
    assert main(["flags", str(ntnu), str(uib), "--level", "institution", "--out", str(out)]) == 1
    text = lines(capsys)
    assert not out.exists()
    assert (
        f"{uib.name}:-:Institusjonskode: (empty) — no institution code (no Institusjonskode column, and none "
        f"in the query or the file name), as in {ntnu.name}: the product cannot tell whether the two are one "
        "institution's rows or two institutions', and would add them together "
        "(put each file's institution code in its name, like dbh_t123_1150.csv, "
        "or download the table grouped by Institusjonskode)"
    ) in text, text
    assert main(["validate", str(ntnu), str(uib)]) == 1
    assert "no institution code" in lines(capsys)


def test_the_same_files_with_their_codes_in_the_names_are_two_institutions(two_institutions, tmp_path, capsys):
    ntnu, uib = two_institutions
    ntnu_named, uib_named = ntnu.with_name("dbh_t123_1150.csv"), uib.with_name("dbh_t123_1120.csv")
    ntnu.rename(ntnu_named)
    uib.rename(uib_named)
    out = tmp_path / "flags.csv"
    assert main(["flags", str(ntnu_named), str(uib_named), "--level", "institution", "--out", str(out)]) == 0
    lines(capsys)
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = {r["Institusjonskode"]: r for r in csv.DictReader(f, delimiter=";")}
    # NTNU, autumn 2021, S: the 50 lines add up to 44 167 students (one suppressed cell of 6)
    assert rows["1150"]["Antall i alt"] == "44167"
    # UiB's faculty 260, autumn 2021, S: 260000 533, 260210 403, 260220 1 142, 260250 343,
    # 260260 293, 260420 324, 260470 261, 260600 789 = 4 088 students
    assert rows["1120"]["Antall i alt"] == "4088"
    assert set(rows) == {"1150", "1120"}


def test_one_file_given_twice_without_an_institution_is_still_read_once(tmp_path, capsys):
    folder = tmp_path / "raw"
    folder.mkdir()
    ntnu = one_institution(folder / "registrerte_studenter.csv", "1150")
    copy = folder / "registrerte_studenter (1).csv"
    shutil.copy(ntnu, copy)
    out = tmp_path / "flags.csv"
    assert main(["flags", str(ntnu), str(copy), "--level", "institution", "--out", str(out)]) == 0
    lines(capsys)
    with out.open(encoding="utf-8-sig", newline="") as f:
        (row,) = list(csv.DictReader(f, delimiter=";"))
    assert row["Antall i alt"] == "44167"

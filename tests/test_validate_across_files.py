"""``kvalitet validate`` refuses files that are each valid but disagree with one another, as
``ingest`` and ``flags`` do (a bad-input hunt, 2026-12-03: validate said ok for two DBH exports
whose overlapping year had different counts, which ingest and flags refused)."""

from __future__ import annotations

import re

from analysis.cli import main

T123_CSV = "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv"


def overlapping_exports(real_file, folder):
    """The real table-123 export cut in two that overlap in 2022: a_123.csv 2019–2022, b_123.csv
    2022–2025, with b's 2022 row of unit 000000 edited from 127 students (82 women) to 128 (83).
    Each is named with its table: a CSV of the count tables' layout whose name says none is
    read as 123 with a warning (110, 112 and 132 have the same columns)."""
    header, *lines = real_file(T123_CSV).read_text(encoding="utf-8").splitlines()
    early = [line for line in lines if line.split(",")[3] in {"2019", "2020", "2021", "2022"}]
    late = [line for line in lines if line.split(",")[3] in {"2022", "2023", "2024", "2025"}]
    # by hand: the file starts with unit 000000, 2019 … 2025; in a_123.csv its 2022 row is row 5
    # (header row 1, 2019 row 2), in b_123.csv row 2
    assert early[3] == late[0] == "1150,000000,000,2022,127,82,45"
    late[0] = "1150,000000,000,2022,128,83,45"
    folder.mkdir()
    (folder / "a_123.csv").write_text("\n".join([header, *early]) + "\n", encoding="utf-8")
    (folder / "b_123.csv").write_text("\n".join([header, *late]) + "\n", encoding="utf-8")
    return folder


EXPECTED = (
    "b_123.csv:2:Antall totalt: 128 — the same unit and year (000000, 2022, registered, unstated, unstated) has "
    "different numbers in a_123.csv row 5 with 127 (keep only one of the two files, or correct the wrong one)"
)


def test_validate_refuses_two_exports_whose_overlapping_year_disagrees(tmp_path, real_file, capsys):
    folder = overlapping_exports(real_file, tmp_path / "raw")
    rc = main(["validate", str(folder)])
    out, err = capsys.readouterr()
    assert rc == 1
    assert EXPECTED in out.splitlines()
    assert "1 of 2 files invalid" in err
    assert "Traceback" not in out + err


def test_flags_refuses_them_with_the_same_words(tmp_path, real_file, capsys):
    folder = overlapping_exports(real_file, tmp_path / "raw")
    rc = main(["flags", str(folder)])
    out, err = capsys.readouterr()
    assert rc == 1
    assert EXPECTED in err.splitlines()


def test_validate_says_ok_when_the_overlap_agrees(tmp_path, real_file, capsys):
    header, *lines = real_file(T123_CSV).read_text(encoding="utf-8").splitlines()
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "a_123.csv").write_text("\n".join([header, *lines[:150]]) + "\n", encoding="utf-8")
    (folder / "b_123.csv").write_text("\n".join([header, *lines[100:]]) + "\n", encoding="utf-8")
    assert main(["validate", str(folder)]) == 0


def test_validate_says_nothing_is_ok_before_the_files_disagree(tmp_path, real_file, capsys):
    # an adviser read "a_123.csv: ok", "b_123.csv: ok", then the error across the two: each line said
    # ok before the check across files had run. Each file's line now says that it reads; the
    # problem across files follows them, and the verdict (stderr) is the run's exit code in words.
    folder = overlapping_exports(real_file, tmp_path / "raw")
    rc, (out, err) = main(["validate", str(folder)]), capsys.readouterr()
    assert rc == 1
    # by hand: the rows of each file are its lines below the header; the three masked cells of
    # the real file (README: 271750/2021, 271720/2022, 271740/2025) fall two in each
    a_rows, b_rows = (
        len((folder / name).read_text(encoding="utf-8").splitlines()) - 1 for name in ("a_123.csv", "b_123.csv")
    )
    assert out.splitlines() == [
        f"{folder / 'a_123.csv'}: reads — dbh-123-csv, {a_rows} rows, 2 suppressed cells",
        f"{folder / 'b_123.csv'}: reads — dbh-123-csv, {b_rows} rows, 2 suppressed cells",
        EXPECTED,
    ]
    assert err.splitlines() == ["1 of 2 files invalid"]
    assert re.search(r"\bok\b", (out + err).replace(str(folder), "FOLDER")) is None


def test_validate_says_the_set_is_valid_only_after_checking_it_as_a_whole(tmp_path, real_file, capsys):
    header, *lines = real_file(T123_CSV).read_text(encoding="utf-8").splitlines()
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "a_123.csv").write_text("\n".join([header, *lines[:150]]) + "\n", encoding="utf-8")
    (folder / "b_123.csv").write_text("\n".join([header, *lines[100:]]) + "\n", encoding="utf-8")
    rc, (out, err) = main(["validate", str(folder)]), capsys.readouterr()
    assert rc == 0
    assert [line.split(" — ")[0] for line in out.splitlines()] == [
        f"{folder / 'a_123.csv'}: reads",
        f"{folder / 'b_123.csv'}: reads",
        # lines 101–150 are in both files: b_123.csv's 50 are read once, from a_123.csv (as ingest says)
        "note: b_123.csv:-:-: 50",
    ]
    assert err.splitlines() == ["all 2 files valid, each on its own and with one another"]

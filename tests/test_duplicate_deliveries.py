"""A respondent file, or respondents, delivered twice is an error naming both files
(analysis/deliveries.py), in every command that reads respondent files and in ingest.

The issue's case: the same file under two names turned n = 3 into n = 6 and published its mean.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.cli import main

ITEMS = ["underv_engasj_18", "underv_gkrav_13", "miljo_sosial_13"]


def write(path: Path, rows: list[tuple], header: tuple[str, ...] = ("studprog_kod", "aar", *ITEMS)) -> Path:
    path.write_text(";".join(header) + "\n" + "".join(";".join(map(str, r)) + "\n" for r in rows), encoding="utf-8")
    return path


SMALL = [("MLREAL", 2024, 2, 3, 4), ("MLREAL", 2024, 5, 5, 1), ("MLREAL", 2024, 1, 2, 3)]  # n = 3
OTHERS = [("MTDT", 2024, 4, 4, 4), ("MTDT", 2024, 3, 2, 5), ("MLREAL", 2024, 4, 1, 2)]


def commands(files: list[Path], tmp_path: Path) -> list[list[str]]:
    folder = files[0].parent
    return [
        ["survey", *map(str, files)],
        ["integration", *map(str, files)],
        ["validate", *map(str, files)],
        ["ingest", "--data", str(folder), "--out", str(tmp_path / "validated")],
        ["survey", str(folder), "--out", str(tmp_path / "s.csv")],
    ]


def run_all(files, tmp_path, capsys) -> list[str]:
    texts = []
    for args in commands(files, tmp_path):
        assert main(args) == 1, args
        captured = capsys.readouterr()
        assert "Traceback" not in captured.out + captured.err
        texts.append(captured.out + captured.err)
    assert not (tmp_path / "validated").exists() and not (tmp_path / "s.csv").exists(), "nothing was written"
    return texts


def test_the_same_file_under_two_names_is_an_error_naming_both(tmp_path, capsys):
    data = tmp_path / "in"
    data.mkdir()
    first = write(data / "sb_2024.csv", SMALL)
    second = data / "sb_2024 (kopi).csv"
    shutil.copy(first, second)
    for text in run_all([first, second], tmp_path, capsys):
        (line,) = [line for line in text.splitlines() if "the same respondent file as" in line]
        # named in the order the command meets them (a folder: sorted by name)
        one, other = (second, first) if line.startswith(str(second)) else (first, second)
        assert line.startswith(f"{one}:-:-: 'sha256 ")
        assert line.endswith(
            f"— the same respondent file as {other} (the same content under two names); its "
            "respondents would be counted twice (give only one of the two files)"
        )


def test_the_same_respondents_in_a_second_file_are_an_error_naming_both(tmp_path, capsys):
    data = tmp_path / "in"
    data.mkdir()
    first = write(data / "a.csv", SMALL)
    second = write(data / "b.csv", OTHERS[:2] + SMALL)  # MLREAL's three respondents again, among others
    for text in run_all([first, second], tmp_path, capsys):
        assert (
            f"{second}:4:-: '3 respondents' — the same respondents as in {first} (programme MLREAL, 2024: "
            "rows 4, 5, 6 here are identical, answer for answer, to rows 2, 3, 4 there)"
        ) in text, text


def test_the_same_respondent_id_in_two_files_is_an_error_naming_the_id(tmp_path, capsys):
    data = tmp_path / "in"
    data.mkdir()
    header = ("respondent_id", "studprog_kod", "aar", *ITEMS)
    first = write(data / "a.csv", [(101, *SMALL[0]), (102, *SMALL[1])], header)
    # another answer, but the same respondent 102 in the same year
    second = write(data / "b.csv", [(102, *OTHERS[0]), (103, *OTHERS[1])], header)
    for text in run_all([first, second], tmp_path, capsys):
        assert (
            f"{second}:2:respondent_id: '102' — respondent id 102 (2024) is also in {first} row 3; they would be "
            "counted twice"
        ) in text, text


def test_the_same_respondent_id_twice_in_one_file_is_an_error_naming_both_rows(tmp_path, capsys):
    """A bad-input hunt: rows appended again under the same ids were counted twice (n 40 became
    80, exit 0); the check ran only across files. The same id in another year is no repeat."""
    data = tmp_path / "in"
    data.mkdir()
    header = ("respondent_id", "studprog_kod", "aar", *ITEMS)
    rows = [(101, *SMALL[0]), (102, *SMALL[1]), (103, *SMALL[2]), (102, *OTHERS[1]), (101, "MLREAL", 2023, 1, 2, 3)]
    file = write(data / "sb.csv", rows, header)
    for args in commands([file], tmp_path)[:3]:
        assert main(args) == 1, args
        captured = capsys.readouterr()
        assert (
            f"{file}:5:respondent_id: '102' — respondent id 102 (2024) is also in row 3 of this file; they would "
            "be counted twice"
        ) in captured.out + captured.err, args
    once = write(data / "sb.csv", [r for i, r in enumerate(rows) if i != 3], header)
    assert main(["survey", str(once)]) == 0


def test_different_people_different_years_or_programmes_are_not_repeats(tmp_path, capsys):
    data = tmp_path / "in"
    data.mkdir()
    header = ("respondent_id", "studprog_kod", "aar", *ITEMS)
    # identical answers, but the ids say they are different respondents
    write(data / "a.csv", [(1, *SMALL[0]), (2, *SMALL[1])], header)
    write(data / "b.csv", [(3, *SMALL[0]), (4, *SMALL[1])], header)
    assert main(["survey", str(data)]) == 0
    other = tmp_path / "other"
    other.mkdir()
    write(other / "2023.csv", [(p, 2023, *a) for p, _, *a in SMALL])  # the same answers a year earlier
    write(other / "2024.csv", SMALL)
    write(other / "mtdt.csv", [("MTDT", 2024, *a) for _, _, *a in SMALL])  # another programme
    assert main(["survey", str(other)]) == 0
    # one pair that answered alike among many in the same programme and year is not a repeat
    alike = tmp_path / "alike"
    alike.mkdir()
    write(alike / "a.csv", [("MLREAL", 2024, 5, 5, 5)] + [("MLREAL", 2024, 1 + i % 5, 2, 3) for i in range(9)])
    write(alike / "b.csv", [("MLREAL", 2024, 5, 5, 5)] + [("MLREAL", 2024, 4, 1 + i % 5, 1) for i in range(9)])
    assert main(["survey", str(alike)]) == 0
    capsys.readouterr()


def test_a_repeat_across_formats_is_found_too(tmp_path, capsys):
    """The same respondents as CSV and as Parquet (another export of the same delivery)."""
    data = tmp_path / "in"
    data.mkdir()
    first = write(data / "a.csv", SMALL)
    columns = list(zip(*SMALL))
    pq.write_table(
        pa.table(
            {
                "studprog_kod": list(columns[0]),
                "aar": pa.array(columns[1], pa.int16()),
                **{item: pa.array(columns[2 + i], pa.int16()) for i, item in enumerate(ITEMS)},
            }
        ),
        data / "b.parquet",
    )
    assert main(["survey", str(data)]) == 1
    err = capsys.readouterr().err
    assert f"{data / 'b.parquet'}:1:-: '3 respondents' — the same respondents as in {first}" in err, err


@pytest.mark.parametrize("published", ["survey", "ingest"])
def test_n_3_is_never_published_as_6(tmp_path, published, capsys):
    """The issue's case end to end: with the copy refused, nothing reaches an output."""
    data = tmp_path / "in"
    data.mkdir()
    write(data / "a.csv", SMALL)
    shutil.copy(data / "a.csv", data / "b.csv")
    out = tmp_path / "out.csv" if published == "survey" else tmp_path / "validated"
    args = (
        ["survey", str(data), "--out", str(out)]
        if published == "survey"
        else ["ingest", "--data", str(data), "--out", str(out)]
    )
    assert main(args) == 1
    assert not out.exists()
    capsys.readouterr()


def test_a_copy_saved_again_from_excel_whose_programme_codes_lost_their_zeros_is_a_repeat(tmp_path, capsys):
    """Programme 001001 in the delivery is 1001 in its copy saved again from Excel (a CSV's
    number column loses its leading zeros). The two were compared only within a programme ×
    year both files hold, so the copy's respondents were counted again: n 3 became 6 (a
    bad-input hunt, 2026-12-03: an institution's 213 became 426). Codes of digits are compared
    without their leading zeros; the message gives both spellings."""
    data = tmp_path / "in"
    data.mkdir()
    delivered = [("001001", 2024, *answers) for _, _, *answers in SMALL]
    first = write(data / "a.csv", delivered)
    second = write(data / "b.csv", [("1001", 2024, *answers) for _, _, *answers in SMALL])
    for text in run_all([first, second], tmp_path, capsys):
        assert (
            f"{second}:2:-: '3 respondents' — the same respondents as in {first} (programme 1001 (001001 there), "
            "2024: rows 2, 3, 4 here are identical, answer for answer, to rows 2, 3, 4 there)"
        ) in text, text
    # the same answers under two programmes whose codes differ otherwise are no repeat
    other = tmp_path / "other"
    other.mkdir()
    write(other / "a.csv", delivered)
    write(other / "b.csv", [("1002", 2024, *answers) for _, _, *answers in SMALL])
    assert main(["survey", str(other)]) == 0
    capsys.readouterr()

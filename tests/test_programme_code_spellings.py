"""A DBH programme code of digits written two ways in one institution (001001 in one export,
1001 in the next year's, saved again from Excel) is refused, naming both spellings and rows.

Before (a bad-input hunt, 2026-12-03): two programmes; 2025's 1001 was flagged '1 year in a
row' instead of 3, without a trend, exit 0."""

from __future__ import annotations

from analysis.cli import main

HEADER = (
    "Institusjonskode;Studieprogramkode;Studieprogramnavn;Årstall;Semester;Antall totalt;Antall kvinner;Antall menn\n"
)


def test_a_programme_code_written_two_ways_is_refused(tmp_path, capsys):
    data = tmp_path / "raw"
    data.mkdir()
    (data / "dbh_t123_1150_2023_2024.csv").write_text(
        HEADER + "1150;001001;Datateknologi;2023;3;100;20;80\n1150;001001;Datateknologi;2024;3;110;22;88\n",
        encoding="utf-8",
    )
    (data / "dbh_t123_1150_2025.csv").write_text(
        HEADER + "1150;1001;Datateknologi;2025;3;120;24;96\n", encoding="utf-8"
    )
    out = tmp_path / "flags.csv"
    assert main(["flags", str(data), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert (
        "dbh_t123_1150_2025.csv:2:-: '1001' — the same programme code as 001001 in dbh_t123_1150_2023_2024.csv row 2"
    ) in err
    assert not out.exists()


def test_codes_of_two_institutions_or_codes_that_differ_are_two_programmes(tmp_path, capsys):
    data = tmp_path / "raw"
    data.mkdir()
    (data / "dbh_t123_2023.csv").write_text(
        HEADER + "1150;001001;Datateknologi;2023;3;100;20;80\n1110;1001;Datateknologi;2023;3;90;30;60\n"
        "1150;001002;Kybernetikk;2023;3;80;20;60\n",
        encoding="utf-8",
    )
    assert main(["flags", str(data), "--out", str(tmp_path / "flags.csv")]) == 0
    capsys.readouterr()


def test_a_programme_code_in_other_letter_case_is_refused(tmp_path, capsys):
    """MTDT as DBH writes it in 2023–2024, mtdt in 2025 (an export tool lower-cased it): before
    (a bad-input hunt, 2026-12-04), two programmes, 2025 a programme of its own, exit 0."""
    data = tmp_path / "raw"
    data.mkdir()
    (data / "dbh_t123_1150_2023_2024.csv").write_text(
        HEADER + "1150;MTDT;Datateknologi;2023;3;100;20;80\n1150;MTDT;Datateknologi;2024;3;110;22;88\n",
        encoding="utf-8",
    )
    (data / "dbh_t123_1150_2025.csv").write_text(
        HEADER + "1150;mtdt;Datateknologi;2025;3;120;24;96\n", encoding="utf-8"
    )
    out = tmp_path / "flags.csv"
    assert main(["flags", str(data), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert (
        "dbh_t123_1150_2025.csv:2:-: 'mtdt' — the same programme code as MTDT in dbh_t123_1150_2023_2024.csv row 2, "
        "written in other letter case: it would count as two programmes"
    ) in err
    assert "DBH writes programme codes in capitals (MTDT)" in err
    assert not out.exists()


def test_letter_case_is_compared_within_one_institution_only(tmp_path, capsys):
    """MTDT of NTNU (1150) and mtdt of another institution (1110) are two programmes."""
    data = tmp_path / "raw"
    data.mkdir()
    (data / "dbh_t123_2023.csv").write_text(
        HEADER + "1150;MTDT;Datateknologi;2023;3;100;20;80\n1110;mtdt;Datateknologi;2023;3;90;30;60\n",
        encoding="utf-8",
    )
    assert main(["flags", str(data), "--out", str(tmp_path / "flags.csv")]) == 0
    capsys.readouterr()


def test_a_code_with_a_brace_is_named_not_a_traceback():
    """A final read (2026-12-04): the hint was made with str.format over text holding the code,
    so 'A{X}' and 'a{x}' raised KeyError instead of naming the two spellings."""
    from analysis.programme_codes import CodeAt, spelling_problems

    [problem] = spelling_problems(
        [CodeAt("1150", "A{X}", "a.csv", 2, None), CodeAt("1150", "a{x}", "b.csv", 3, None)], "DBH does", "two"
    )
    assert (problem.file, problem.row, problem.value) == ("b.csv", 3, "a{x}")
    assert "the same programme code as A{X} in a.csv row 2, written in other letter case" in problem.message

"""A DBH export grouped by a variable the reader does not read (Nivåkode) has rows that differ
only there: the error names that column, not a missing Semester column (a bad-input hunt,
2026-12-03: the hint sent the adviser to download the table with Semester and Studentkategori,
which would not have helped)."""

from __future__ import annotations

import pytest

from analysis.errors import InputError
from analysis.readers import read_path


def test_rows_that_differ_only_in_a_column_not_read_name_that_column(tmp_path):
    path = tmp_path / "dbh_t123_1150.csv"
    path.write_text(
        "Institusjonskode;Avdelingskode;Avdelingsnavn;Årstall;Nivåkode;Antall totalt;Antall kvinner;Antall menn\n"
        "1150;194650;Institutt for fysikk;2024;HN;300;90;210\n"
        "1150;194650;Institutt for fysikk;2024;M2;50;20;30\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "Antall totalt", 50)
    assert problem.hint == (
        "the file has a column the product does not read (Nivåkode): rows that differ only there look alike; "
        "download the table without grouping by it"
    )


def test_without_such_a_column_the_hint_still_names_semester(tmp_path):
    path = tmp_path / "dbh_t123_1150.csv"
    path.write_text(
        "Institusjonskode;Avdelingskode;Avdelingsnavn;Årstall;Antall totalt;Antall kvinner;Antall menn\n"
        "1150;194650;Institutt for fysikk;2024;300;90;210\n"
        "1150;194650;Institutt for fysikk;2024;280;80;200\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_path(path)
    assert "the file has no Semester or Studentkategori column" in err.value.problems[0].hint


def test_a_column_not_read_that_is_alike_in_the_colliding_rows_is_not_named(tmp_path):
    """An extra column with one value (a filter column the adviser kept, "Hentet" the date of
    the download) does not split the rows: the hint names it only where the rows of one key
    differ in it, as for Samordna's key figures (before: "rows that differ only there", of a
    column alike in both rows, and the adviser sent to download without it)."""
    path = tmp_path / "dbh_t123_1150.csv"
    path.write_text(
        "Institusjonskode;Avdelingskode;Årstall;Semester;Studentkategori;Hentet;Nivåkode;Antall totalt;"
        "Antall kvinner;Antall menn\n"
        "1150;194650;2024;3;S;2025-10-01;HN;300;90;210\n"
        "1150;194650;2024;3;S;2025-10-01;M2;50;20;30\n"
        "1150;194660;2024;3;S;2025-10-01;HN;120;60;60\n"
        "1150;194660;2024;3;S;2025-10-01;HN;121;60;61\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_path(path)
    hints = {p.row: p.hint for p in err.value.problems}
    assert hints == {
        3: "the file has a column the product does not read (Nivåkode): rows that differ only there look alike; "
        "download the table without grouping by it",
        # Nivåkode is HN in both rows of 194660: one of them is wrong
        5: "keep one row per key: remove the wrong row",
    }


def test_only_a_column_alike_in_every_collision_leaves_the_usual_hint(tmp_path):
    path = tmp_path / "dbh_t123_1150.csv"
    path.write_text(
        "Institusjonskode;Avdelingskode;Årstall;Semester;Studentkategori;Hentet;Antall totalt;Antall kvinner;"
        "Antall menn\n"
        "1150;194660;2024;3;S;2025-10-01;120;60;60\n"
        "1150;194660;2024;3;S;2025-10-01;121;60;61\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "Antall totalt", 121)
    assert "Hentet" not in problem.hint
    assert problem.hint == "keep one row per key: remove the wrong row"


def test_of_three_rows_with_one_key_each_is_said_against_the_row_it_is_compared_with(tmp_path):
    """Each colliding row is named against the first row of its key ("as row 2"): the hint names a
    column not read only where those two rows differ in it. Row 3 is HN as row 2 is, so Nivåkode
    does not split them (before: Nivåkode was named for it too, because row 4 of the same key is M2)."""
    path = tmp_path / "dbh_t123_1150.csv"
    path.write_text(
        "Institusjonskode;Avdelingskode;Årstall;Semester;Studentkategori;Nivåkode;Antall totalt;Antall kvinner;"
        "Antall menn\n"
        "1150;194650;2024;3;S;HN;300;90;210\n"
        "1150;194650;2024;3;S;HN;301;90;211\n"
        "1150;194650;2024;3;S;M2;50;20;30\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_path(path)
    hints = {p.row: p.hint for p in err.value.problems}
    assert hints == {
        3: "keep one row per key: remove the wrong row",
        4: "the file has a column the product does not read (Nivåkode): rows that differ only there look alike; "
        "download the table without grouping by it",
    }

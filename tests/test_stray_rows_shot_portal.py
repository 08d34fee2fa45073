"""A total row typed into a SHoT or Studiebarometeret portal table is named as one, by the rule
DBH's and Samordna's tables use (``analysis.readers.base.stray_rows``): before, a SHoT row
with "Totalt" as its indicator or a portal row "Snitt alle programmer" was read as one more
indicator or programme (a helper's hunt, 2026-12-03).

Provenance: each file is the real file of ``shared/data/raw`` named in the test (the SHoT
headline figures, transcribed from press releases; the portal samples, from the
studiebarometeret.no page JSON as NMBU-sammenligning cached it), with one line added below it,
made from a real line of the same file as the test says. The expected line is the real file's
line count + 1, counted by hand (``wc -l``): SHoT 30 lines, portal index 41, history 97,
items 66, DBH facts 4.
"""

from __future__ import annotations

import pytest

from analysis.cli import main

TOTAL = "(delete it: the product adds up the rows itself)"


def validate_with(tmp_path, real_file, capsys, name: str, added: str) -> tuple[int, list[str], str]:
    lines = real_file(name).read_text(encoding="utf-8").splitlines()
    path = tmp_path / name
    path.write_text("\n".join([*lines, added]) + "\n", encoding="utf-8")
    rc = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return rc, out.splitlines(), str(path)


@pytest.mark.parametrize(
    ("name", "added", "expected"),
    [
        # SHoT line 19 ("2022,alvorlige_psykiske_symptomplager,alle,35,…") with its indicator "Totalt"
        (
            "shot_headline_figures_national.csv",
            "2022,Totalt,alle,35,,",
            "31:indikator: 'Totalt' — a total row below the table",
        ),
        # portal index line 2 (NMBU 1173_m-ba, undervisning) as a programme average
        (
            "studiebarometeret_2025_portal_index_sample.csv",
            "2025,1173_snitt,1173,Snitt alle programmer,Master,13,23.2,undervisning,Undervisning,3.8,3.7,"
            "Av alle Bygg og anlegg,",
            "42:programnavn: 'Snitt alle programmer' — an average row below the table",
        ),
        # history line 2 ("1173_m-ba,2022,undervisning,3.5") with its programme "Totalt"
        (
            "studiebarometeret_index_history_sample.csv",
            "Totalt,2022,undervisning,3.5",
            "98:sb_id: 'Totalt' — a total row below the table",
        ),
        (
            "studiebarometeret_index_history_sample.csv",
            ",2022,undervisning,3.5",
            None,  # a programme missing: a row of the table lacking a value, not a total
        ),
        # DBH facts line 2 (NTNU Kybernetikk og robotikk) summed into "Sum NTNU"
        (
            "studiebarometeret_2025_portal_dbh_facts_sample.csv",
            "2025,1150_sum,Sum NTNU,300,40.0,2000,30,70,100,300,NOR",
            "5:programnavn: 'Sum NTNU' — a total row below the table",
        ),
    ],
)
def test_a_total_row_below_a_shot_or_portal_table_is_named(tmp_path, real_file, capsys, name, added, expected):
    rc, out, path = validate_with(tmp_path, real_file, capsys, name, added)
    assert rc == 1
    if expected is None:
        assert out == [f"{path}:98:sb_id: (empty) — value is missing (fill in the value or remove the row)"]
    else:
        assert out == [f"{path}:{expected} {TOTAL}"]


def test_shots_group_alle_is_all_students_not_a_total(real_file):
    """``alle`` in SHoT's gruppe is the figure for all students (22 of the file's 29 rows)."""
    from analysis.readers import read_path

    result = read_path(real_file("shot_headline_figures_national.csv"))
    assert result.rows == 29
    assert (result.frame["group"] == "alle").sum() == 22


@pytest.mark.parametrize(
    "programme", ["Total Quality Management - master", "Sum-programmet", "Total kvalitetsledelse", "Snittberegning"]
)
def test_a_programme_whose_name_begins_with_a_total_word_is_read(tmp_path, real_file, capsys, programme):
    """A second reader (2026-12-03): a programme named "Total Quality Management" was refused as a
    total row, with the advice to delete it. A total word followed by words is a name; a total
    row has the word alone, or numbers, a code or "alle …" after it (the cases above). Line 2
    of the real portal index sample (NMBU 1173_m-ba) with its programme renamed: 41 rows read."""
    from analysis.readers import read_path

    lines = real_file("studiebarometeret_2025_portal_index_sample.csv").read_text(encoding="utf-8").splitlines()
    added = lines[1].replace("1173_m-ba", "1173_tqm").replace("Byggeteknikk og arkitektur (master 5 år)", programme)
    path = tmp_path / "studiebarometeret_2025_portal_index_sample.csv"
    path.write_text("\n".join([*lines, added]) + "\n", encoding="utf-8")
    result = read_path(path)
    assert result.rows == 41
    assert programme in set(result.frame["programme_name"])


# Excel's AutoSum below a SHoT or portal table (a helper's check, 2026-12-03): the figure columns
# summed, every key and name cell empty. It was named as "value is missing" on each key cell and
# "above 100 %" or "not between 1 and 5" on the sum, as if it were a row of the table. A share
# or a mean score summed is a sum all the same. The sums are those of the real files' columns,
# added by hand (SHoT verdi_pct over the 29 rows; the history's values), or any number: a sum
# row is one by its shape.
SUM = "a total row below the table: it has figures but no key (a sum, as Excel's AutoSum adds)"


@pytest.mark.parametrize(
    ("name", "added", "line", "filled"),
    [
        ("shot_headline_figures_national.csv", ",,,635,,", 31, "635"),
        # the share column formatted as percent in Excel, as the sum shows it
        ("shot_headline_figures_national.csv", ",,,635 %,,", 31, "635 %"),
        ("studiebarometeret_index_history_sample.csv", ",,,350.4", 98, "350.4"),
        # respondents, response rate, value and field average summed over the 40 rows
        ("studiebarometeret_2025_portal_index_sample.csv", ",,,,,520,1000,,,150.2,148,,", 42, "520, 1000, 150.2, 148"),
        ("studiebarometeret_2025_portal_items_sample.csv", ",,,,150.5", 67, "150.5"),
        # the facts' studiepoeng and full-time share, which the product does not read, summed too
        (
            "studiebarometeret_2025_portal_dbh_facts_sample.csv",
            ",,,204,117.2,1406,59,141,200,600,",
            5,
            "204, 117.2, 1406, 59, 141, 200, 600",
        ),
    ],
)
def test_an_autosum_row_below_a_shot_or_portal_table_is_named_as_a_sum(
    tmp_path, real_file, capsys, name, added, line, filled
):
    rc, out, path = validate_with(tmp_path, real_file, capsys, name, added)
    assert rc == 1
    assert out == [f"{path}:{line}:-: '{filled}' — {SUM} {TOTAL}"]


def test_shots_group_alle_first_in_a_row_is_not_a_total(tmp_path, real_file):
    """An adviser moved SHoT's gruppe column to the front: every row's first cell is then "alle"
    (all students), which the test for a total row on the first filled cell took for a total:
    the file was refused, with the advice to delete 22 of its 29 rows."""
    import csv

    from analysis.readers import read_path

    with real_file("shot_headline_figures_national.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    path = tmp_path / "shot_headline_figures_national.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([[r[2], *r[:2], *r[3:]] for r in rows])
    result = read_path(path)
    assert result.rows == 29
    assert (result.frame["group"] == "alle").sum() == 22


def test_a_shot_row_whose_first_filled_cell_is_alle_is_a_row_lacking_values(tmp_path, real_file, capsys):
    """Line 19 of the real file with its year and indicator emptied: "alle" is its first filled
    cell, and the row is a row of the table lacking two values, not a total."""
    rc, out, path = validate_with(tmp_path, real_file, capsys, "shot_headline_figures_national.csv", ",,alle,35,,")
    assert rc == 1
    assert out == [
        f"{path}:31:aar: (empty) — value is missing (fill in the value or remove the row)",
        f"{path}:31:indikator: (empty) — value is missing (fill in the value or remove the row)",
    ]


@pytest.mark.parametrize(
    ("name", "added", "line", "what"),
    [
        # SHoT's verdi_pct: shares of students, in percent (the 29 rows' sum, by hand)
        ("shot_headline_figures_national.csv", ",,,635,,", 31, "'635'"),
        # the items' value: mean scores on 1–5 (any sum: the shape decides)
        ("studiebarometeret_2025_portal_items_sample.csv", ",,,,150.5", 67, "'150.5'"),
    ],
)
def test_a_summed_column_of_shares_or_means_is_not_called_counts(tmp_path, real_file, capsys, name, added, line, what):
    """A second reader (2026-12-03): the sum row's message said "it has counts but no key" below
    SHoT's shares and the portal's mean scores, where nothing is a count. It says "figures",
    which is true of counts, shares and means alike."""
    rc, out, path = validate_with(tmp_path, real_file, capsys, name, added)
    assert rc == 1
    assert out == [
        f"{path}:{line}:-: {what} — a total row below the table: it has figures but no key (a sum, as Excel's "
        f"AutoSum adds) {TOTAL}"
    ]
    assert "counts" not in out[0]

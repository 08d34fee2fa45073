"""A note, the header again or a total row in the seed's two tables is named by the stray-row
rule every table reader uses (``analysis.readers.base.stray_rows``, on the column naming the
row's programme or institution), no longer by a rule of the seed reader's own (a helper's hunt,
2026-12-03: a "Kilde: …" line below the admission table was read as a programme without
figures, exit 0 with a warning of cells "without a figure").

Provenance: the real files ``shared/data/raw/seed_hovedopptak_andel_kvinner_2007_2018.csv``
(6 lines) and ``shared/data/raw/seed_studiebarometeret_2017_integrering.csv`` (11 lines),
transcribed from the NTNU LMU meeting of 28.11.2018, with the line the test names added below
(line 7 and line 12).
"""

from __future__ import annotations

import pytest

from analysis.cli import main

ADMISSION = "seed_hovedopptak_andel_kvinner_2007_2018.csv"
INTEGRATION = "seed_studiebarometeret_2017_integrering.csv"


@pytest.mark.parametrize(
    ("name", "added", "expected"),
    [
        (ADMISSION, "Kilde: LMU 28.11.2018;;;;", "7:-: 'Kilde: LMU 28.11.2018' — a note below the table (delete it)"),
        (
            ADMISSION,
            "Studieprogram;2007;2016;2017;2018",
            "7:-: 'Studieprogram' — the header again below the table (two exports pasted together? keep one "
            "header, and each row once)",
        ),
        (
            INTEGRATION,
            "Kilde: NOKUT Studiebarometeret 2017;;;",
            "12:-: 'Kilde: NOKUT Studiebarometeret 2017' — a note below the table (delete it)",
        ),
        (
            INTEGRATION,
            "Masterstudenter;Snitt alle;3,5;3,2",
            "12:Institusjon: 'Snitt alle' — an average row below the table (delete it: the product adds up the rows "
            "itself)",
        ),
    ],
)
def test_a_stray_row_below_a_seed_table_is_named(tmp_path, real_file, capsys, name, added, expected):
    lines = real_file(name).read_text(encoding="utf-8").splitlines()
    path = tmp_path / name
    path.write_text("\n".join([*lines, added]) + "\n", encoding="utf-8")
    rc = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert rc == 1
    assert out.splitlines() == [f"{path}:{expected}"]


def test_an_autosum_row_below_the_integration_extract_is_named_as_a_sum(tmp_path, real_file, capsys):
    """Excel's AutoSum below the two score columns (a helper's hunt, 2026-12-03): it was named as
    "value is missing" on Nivå and Institusjon and "not between 1 and 5" on each sum. The sums are
    the real columns' (10 rows), added by hand; any number would do: a sum row is one by its shape."""
    lines = real_file(INTEGRATION).read_text(encoding="utf-8").splitlines()
    path = tmp_path / INTEGRATION
    path.write_text("\n".join([*lines, ";;39,3;37,8"]) + "\n", encoding="utf-8")
    rc = main(["validate", str(path)])
    out, _ = capsys.readouterr()
    assert rc == 1
    assert out.splitlines() == [
        f"{path}:12:-: '39,3, 37,8' — a total row below the table: it has figures but no key (a sum, as Excel's "
        "AutoSum adds) (delete it: the product adds up the rows itself)"
    ]


@pytest.mark.parametrize("programme", ["Nanoteknologi;;;;", "Nanoteknologi"])
def test_a_programme_without_figures_below_a_note_is_not_told_to_be_deleted_as_a_note(
    tmp_path, real_file, capsys, programme
):
    """A programme whose shares are all blank (unknown: no admission those years), written below
    the "Kilde: …" line, with Excel's separators or a text editor's none: its line is one of its
    first cell alone below a note, as "Små celler er skjermet" is. Named "a note below the table
    (delete it)", the adviser deleted a row of the table (a second reader, 2026-12-05): the file
    is still refused, and the line said as what it may be, either."""
    lines = real_file(ADMISSION).read_text(encoding="utf-8").splitlines()
    path = tmp_path / ADMISSION
    path.write_text("\n".join([*lines, "Kilde: LMU 28.11.2018;;;;", programme]) + "\n", encoding="utf-8")
    rc = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert rc == 1
    assert out.splitlines() == [
        f"{path}:7:-: 'Kilde: LMU 28.11.2018' — a note below the table (delete it)",
        f"{path}:8:-: 'Nanoteknologi' — a line of its first cell alone below a note: a note, or a row of the table "
        "without figures (delete it if it is a note; if it is a row of the table, move it above the notes)",
    ]

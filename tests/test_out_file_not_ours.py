"""``--out FILE`` never writes over a file kvalitet did not write, or one changed since.

An output folder is protected by kvalitet's marker; a single file was not: ``kvalitet flags
data/raw --out notater.xlsx`` replaced the adviser's own workbook of notes, exit 0. Now a file
that is there, is not empty, and is not a file kvalitet wrote and nobody changed since
(:mod:`analysis.written`) is refused before anything is read: exit 2, the file named, its bytes
the same. Writing again over kvalitet's own unchanged table (a second run) stays allowed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import paths
from analysis.cli import main
from tests.conftest import cli_in_process

SEED = paths.RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv"


def cli(capsys, *args) -> tuple[int, str]:
    rc, _, err = cli_in_process(capsys, *args)
    return rc, err


def advisers_workbook(path: Path) -> bytes:
    """A workbook an adviser keeps: a sheet of notes, no kvalitet columns."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Fakultet", "Merknad"])
    sheet.append(["Fakultet for naturvitenskap", "Følg opp rekruttering til kjemi"])
    book.save(path)
    return path.read_bytes()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_a_file_of_the_advisers_is_not_written_over(tmp_path, capsys, suffix):
    out = tmp_path / f"notater{suffix}"
    if suffix == ".xlsx":
        before = advisers_workbook(out)
    elif suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.table({"studprog_kod": ["MLREAL"], "aar": [2024]}), out)
        before = out.read_bytes()
    else:
        before = "Fakultet;Merknad\nNV;Følg opp\n".encode()
        out.write_bytes(before)
    rc, err = cli(capsys, "flags", SEED, "--out", out)
    assert rc == 2
    assert (
        f"--out {out}" in err
        and "it is not a file kvalitet wrote, or it was changed since" in err
        and "new file name" in err
    )
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no lock or temporary left


def test_kvalitets_own_table_and_an_empty_file_are_written_and_a_changed_table_is_not(tmp_path, capsys):
    out = tmp_path / "flagg.csv"
    out.touch()  # an empty file holds nothing to lose
    assert cli(capsys, "flags", SEED, "--out", out)[0] == 0
    first = out.read_bytes()
    assert first  # written
    assert cli(capsys, "flags", SEED, "--out", out)[0] == 0  # a second run replaces its own table
    assert out.read_bytes() == first
    # saved again (Excel keeps the table, the file is another): not kvalitet's as it left it
    out.write_bytes(first.replace(b"\n", b"\r\n", 1))
    rc, err = cli(capsys, "flags", SEED, "--out", out)
    assert rc == 2 and "or it was changed since" in err
    assert out.read_bytes() == first.replace(b"\n", b"\r\n", 1)


@pytest.fixture
def respondents(tmp_path, capsys) -> Path:
    path = tmp_path / "respondenter.parquet"
    assert main(["synth", "--respondents", "150", "--programmes", "2", "--years", "2", "--out", str(path)]) == 0
    capsys.readouterr()
    return path


def test_survey_does_not_write_over_a_file_beside_its_out(tmp_path, capsys, respondents):
    """survey --out s.csv writes s_indices.csv and s_changes.csv beside it; one of those may be
    the adviser's."""
    mine = tmp_path / "s_indices.csv"
    mine.write_text("Indeks;Merknad\nLæringsmiljø;se møtereferat\n", encoding="utf-8")
    before = mine.read_bytes()
    rc, err = cli(capsys, "survey", respondents, "--out", tmp_path / "s.csv")
    assert rc == 2
    assert f"{mine} (written for --out {tmp_path / 's.csv'}) is there" in err
    assert mine.read_bytes() == before
    assert not (tmp_path / "s.csv").exists() and not (tmp_path / "s_changes.csv").exists()


def test_survey_into_a_folder_does_not_write_over_a_file_of_that_name(tmp_path, capsys, respondents):
    folder = tmp_path / "ut"
    folder.mkdir()
    mine = folder / "survey_changes.parquet"
    mine.write_bytes(b"not a table")
    rc, err = cli(capsys, "survey", respondents, "--out", folder)
    assert rc == 2 and f"{mine} (written for --out {folder})" in err
    assert mine.read_bytes() == b"not a table"
    assert sorted(p.name for p in folder.iterdir()) == ["survey_changes.parquet"]
    mine.unlink()
    assert cli(capsys, "survey", respondents, "--out", folder)[0] == 0  # into its own files again
    assert cli(capsys, "survey", respondents, "--out", folder)[0] == 0


def test_synth_writes_over_its_own_file_only(tmp_path, capsys, respondents):
    """Made-up respondents cannot be told from real ones: a real respondents file given as
    synth's --out would be replaced without a trace. Its own file, unchanged, is written over."""
    assert cli(capsys, "synth", "--respondents", "10", "--out", respondents)[0] == 0
    real = tmp_path / "ekte.csv"
    real.write_text("studprog_kod;aar;underv_engasj_18\nMLREAL;2024;4\n", encoding="utf-8")
    rc, err = cli(capsys, "synth", "--respondents", "10", "--out", real)
    assert rc == 2 and f"--out {real} is there, and it is not a file kvalitet wrote" in err
    assert real.read_text(encoding="utf-8") == "studprog_kod;aar;underv_engasj_18\nMLREAL;2024;4\n"


def test_a_workbook_with_a_pasted_kvalitet_sheet_is_the_advisers(tmp_path, capsys):
    """An adviser pastes kvalitet's flags table into a workbook of notes: one sheet is
    kvalitet's, the other is not; the workbook was written over, the notes lost (a second
    reader, 2026-12-03)."""
    from openpyxl import Workbook, load_workbook

    flags = tmp_path / "flagg.xlsx"
    assert cli(capsys, "flags", SEED, "--out", flags)[0] == 0
    pasted = [list(r) for r in load_workbook(flags).active.iter_rows(values_only=True)]
    book = Workbook()
    book.active.title = "Mine notater"
    book.active.append(["Møte", "Merknad"])
    book.active.append(["LMU 12.3.", "Følg opp Kybernetikk"])
    copy = book.create_sheet("Kopi fra kvalitet")
    for row in pasted:
        copy.append(row)
    out = tmp_path / "notater.xlsx"
    book.save(out)
    before = out.read_bytes()
    rc, err = cli(capsys, "flags", SEED, "--out", out)
    assert rc == 2 and "it is not a file kvalitet wrote, or it was changed since" in err
    assert out.read_bytes() == before


def test_a_kvalitet_csv_with_a_column_of_the_advisers_is_the_advisers(tmp_path, capsys):
    """A flags CSV with a "Kommentar" column the adviser added is no longer kvalitet's alone."""
    out = tmp_path / "flagg.csv"
    assert cli(capsys, "flags", SEED, "--out", out)[0] == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    out.write_text(
        "\ufeff" + "\n".join([lines[0] + ";Kommentar"] + [line + ";tiltak avtalt" for line in lines[1:]]) + "\n",
        encoding="utf-8",
    )
    before = out.read_bytes()
    rc, err = cli(capsys, "flags", SEED, "--out", out)
    assert rc == 2 and f"--out {out} is there, and it is not a file kvalitet wrote, or it was changed since" in err
    assert out.read_bytes() == before


def test_a_column_named_as_one_of_kvalitets_is_still_the_advisers(tmp_path, capsys):
    """A second reader, 2026-12-03: a column "Merknad" (a word kvalitet's labels have too) added
    to a flags CSV passed a check of the columns, and the notes were written over. What counts
    is whether the file is as kvalitet wrote it."""
    out = tmp_path / "flagg.csv"
    assert cli(capsys, "flags", SEED, "--out", out)[0] == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    out.write_text(
        "\ufeff" + "\n".join([lines[0] + ";Merknad"] + [x + ";sjekk" for x in lines[1:]]) + "\n", encoding="utf-8"
    )
    before = out.read_bytes()
    assert cli(capsys, "flags", SEED, "--out", out)[0] == 2
    assert out.read_bytes() == before


def test_without_a_readable_record_nothing_is_written_over(tmp_path, capsys, private_state_dir):
    """The record of written files lost or damaged: kvalitet cannot vouch for the file, and
    leaves it (a later run refuses; it never writes over what it cannot vouch for)."""
    out = tmp_path / "flagg.csv"
    assert cli(capsys, "flags", SEED, "--out", out)[0] == 0
    record = private_state_dir / "outputs" / "written.json"
    assert str(out) in record.read_text(encoding="utf-8")
    record.write_text("{not json", encoding="utf-8")
    before = out.read_bytes()
    assert cli(capsys, "flags", SEED, "--out", out)[0] == 2
    assert out.read_bytes() == before
    # the run that writes anew records again, and a run after it writes over its own file
    out.unlink()
    assert cli(capsys, "flags", SEED, "--out", out)[0] == 0
    assert cli(capsys, "flags", SEED, "--out", out)[0] == 0

"""Odd and hostile inputs never give a traceback, a hang or a silent wrong number (issue 10).

Each case builds its input here: hostile JSON (a 5,000-digit number, 100,000-deep nesting,
repeated keys, NaN), special files (FIFO, device), control characters and undecodable bytes
in file names, a fraction in a percent column, and a bug inside a command.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from pathlib import Path

import pytest

from analysis import paths
from analysis.cli import main
from analysis.errors import InputError
from analysis.readers.safe_json import load_json

STATUS = {"status": {"tabell_id": "123", "antall": "1", "returkode": "0", "melding": ""}}
ROW = (
    '{"Institusjonskode": "1150", "Årstall": "2020", "Avdelingskode": "220540", '
    '"Antall totalt": "196", "Antall kvinner": "82", "Antall menn": "114"}'
)


def dbh(rows: list[str]) -> str:
    """A DBH-API table-123 response with the status object first and ``rows`` as JSON text."""
    return "[" + ", ".join([json.dumps(STATUS)] + rows) + "]"


HOSTILE_JSON = {
    # name: (text, row, column, value shown, words of the message)
    "huge-number": (
        dbh([ROW, ROW.replace('"196"', "9" * 5000)]),
        2,
        "Antall totalt",
        "'9999999999",
        "a number with 5000 characters",
    ),
    "deep": (
        dbh([ROW, '{"Årstall": ' + "[" * 100_000 + "]" * 100_000 + "}"]),
        2,
        "Årstall",
        "'[[[[",
        "nested more than 64 levels deep",
    ),
    "repeated-key": (
        dbh([ROW, ROW.replace('"Antall menn": "114"', '"Antall kvinner": "114"')]),
        2,
        "Antall kvinner",
        "'Antall kvinner'",
        "appears twice in the same object",
    ),
    "nan": (dbh([ROW.replace('"82"', "NaN")]), 1, "Antall kvinner", "'NaN'", "NaN is not a value JSON allows"),
    "infinity": (dbh([ROW.replace('"82"', "-Infinity")]), 1, "Antall kvinner", "'-Infinity'", "not a value JSON"),
    "overflow": (dbh([ROW.replace('"82"', "1e999")]), 1, "Antall kvinner", "'1e999'", "would become infinity"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_JSON))
def test_hostile_json_is_a_clear_file_row_column_error(case, tmp_path, capsys):
    text, row, column, value, words = HOSTILE_JSON[case]
    (tmp_path / "raw").mkdir()
    path = tmp_path / "raw" / "dbh_api_t123_1150.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_json(path, text)
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (row, column)
    line = str(problem)
    assert line.startswith(f"{path}:{row}:{column}: {value}") and words in line, line
    # every command that reads it says the same, in one line, with no traceback
    for args in (
        ["validate", str(path)],
        ["ingest", "--data", str(path.parent), "--out", str(tmp_path / "v")],
        ["flags", str(path)],
    ):
        rc = main(args)
        out = capsys.readouterr()
        assert rc == 1
        assert "Traceback" not in out.out + out.err and "unexpected" not in out.out + out.err
        assert f"{path}:{row}:{column}: {value}" in out.out + out.err, (args, out)


def test_hostile_json_through_the_report_is_a_clear_error(tmp_path, capsys):
    data = tmp_path / "raw"
    data.mkdir()
    (data / "dbh_api_t123_1150.json").write_text(HOSTILE_JSON["deep"][0], encoding="utf-8")
    (data / "dbh_api_t123_1151.json").write_text(HOSTILE_JSON["huge-number"][0], encoding="utf-8")
    assert main(["report", "--no-static", "--data", str(data), "--out", str(tmp_path / "r")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "unexpected" not in err
    assert "dbh_api_t123_1150.json:2:Årstall:" in err and "dbh_api_t123_1151.json:2:Antall totalt:" in err
    assert not (tmp_path / "r").exists()


def test_ordinary_json_reads_as_before():
    text = dbh([ROW])
    assert load_json("x.json", text) == json.loads(text)
    with pytest.raises(json.JSONDecodeError):
        load_json("x.json", text[:-5])  # a truncated download: the reader says where it breaks


# --- special files ----------------------------------------------------------------------------------


def test_a_fifo_is_refused_without_being_opened(tmp_path, run_cli):
    fifo = tmp_path / "svar.csv"
    os.mkfifo(fifo)
    good = tmp_path / "seed.csv"
    shutil.copy(paths.RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv", good)
    # nobody writes to the pipe: opening it for reading would wait for ever (timeout = hang)
    rc, out, err = run_cli(["validate", fifo, good], timeout=60)
    assert rc == 1
    assert f"{fifo}:-:-: 'named pipe (FIFO)' — is not a regular file, so it is not read" in out
    assert f"{good}: reads" in out
    for args in (["flags", fifo], ["survey", fifo], ["validate", "/dev/zero"], ["flags", good, "--config", fifo]):
        rc, out, err = run_cli(args, timeout=60)
        assert rc in (1, 2) and "Traceback" not in out + err, args
        assert "is not a regular file" in out + err, (args, out, err)
    # inside a folder a FIFO is not a data file: ingest reads the rest
    rc, out, err = run_cli(["ingest", "--data", tmp_path, "--out", tmp_path.parent / "v"], timeout=120)
    assert rc == 0, err


# --- names that would break the message line or drive the terminal -----------------------------------


def test_control_characters_in_file_names_are_escaped_in_every_message(tmp_path, capsys):
    name = "svar\n2024\x1b[31m\u202eвсё\x07.csv"
    bad = tmp_path / name
    bad.write_text("Studieprogram;2017\nA;abc\n", encoding="utf-8")
    good = tmp_path / "ok\tfil.csv"
    shutil.copy(paths.RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv", good)
    for args in (
        ["validate", str(tmp_path)],
        ["ingest", "--data", str(tmp_path), "--out", str(tmp_path.parent / "v")],
        ["flags", str(bad)],
        ["flags", str(good), "--out", str(tmp_path.parent / "a\nb.csv")],
    ):
        main(args)
        out = capsys.readouterr()
        text = out.out + out.err
        assert (
            "\x1b" not in text and "\u202e" not in text and "\x07" not in text and "\t" not in text.replace("\n", "")
        ), args
        for line in text.splitlines():
            if "svar" in line:
                assert "svar\\n2024\\x1b[31m\\u202eвсё\\x07.csv" in line, line
    main(["validate", str(bad)])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{tmp_path}/svar\\n2024\\x1b[31m\\u202eвсё\\x07.csv:2:2017: 'abc'")


def test_a_file_name_that_is_not_utf8_is_shown_not_a_crash(tmp_path, run_cli):
    bad = Path(os.fsdecode(bytes(tmp_path) + b"/svar\xff\xfe.csv"))
    bad.write_text("Studieprogram;2017\nA;abc\n", encoding="utf-8")
    rc, out, err = run_cli(["validate", tmp_path])
    assert rc == 1 and "Traceback" not in out + err
    assert "svar\\xff\\xfe.csv:2:2017: 'abc'" in out


# --- a fraction in a percent column --------------------------------------------------------------


def test_a_fraction_in_a_percent_column_is_a_warning_naming_the_cell(tmp_path, capsys):
    table = tmp_path / "opptak.csv"
    table.write_text(
        "Studieprogram;2017;2018\nKomtek;0.13;39 %\nElsys;24 %;0,25\nDatateknologi;0,5 %;1\n", encoding="utf-8"
    )
    assert main(["validate", str(table)]) == 0
    out = capsys.readouterr().out
    warnings = [line.strip() for line in out.splitlines() if "looks like a fraction" in line]
    assert warnings == [
        f"warning: {table}:2:2017: '0.13' — looks like a fraction (13 %?) in a column of percentages; "
        "read as 0.13 % (write the share as a percentage (13 %), or leave it if 0.13 % is meant)",
        f"warning: {table}:3:2018: '0,25' — looks like a fraction (25 %?) in a column of percentages; "
        "read as 0,25 % (write the share as a percentage (25 %), or leave it if 0,25 % is meant)",
    ]  # "0,5 %" has its sign and "1" is a whole percent: no warning
    assert main(["flags", str(table)]) == 0
    assert f"{table}:2:2017: '0.13' — looks like a fraction" in capsys.readouterr().err


# --- no traceback, ever --------------------------------------------------------------------------


def _one_line_with_a_private_log(err: str, command: str, error: str, state: Path) -> Path:
    assert "Traceback" not in err
    line = next(line for line in err.splitlines() if "unexpected error" in line)
    assert line.startswith(f"kvalitet {command}: unexpected error: {error}")
    log = Path(re.search(r"the details are in (\S+) \(please send", line).group(1))
    assert log.parent == state and stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert "Traceback" in log.read_text(encoding="utf-8")
    return log


def test_a_bug_in_a_command_is_one_line_and_a_private_log(monkeypatch, capsys, private_state_dir):
    import analysis.metrics.gender as gender
    import analysis.synth as synth

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(gender, "gender_flags", broken)
    assert main(["flags", str(paths.RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv")]) == 1
    _one_line_with_a_private_log(
        capsys.readouterr().err, "flags", "ZeroDivisionError: division by zero", private_state_dir
    )

    def deep(*args, **kwargs):
        return deep()

    # (the command imports the generator when it runs: patched where it is defined)
    monkeypatch.setattr(synth, "generate_respondents", deep)
    assert main(["synth", "--out", str(private_state_dir.parent / "r.parquet")]) == 1
    _one_line_with_a_private_log(capsys.readouterr().err, "synth", "RecursionError", private_state_dir)


def test_a_bug_while_reading_a_file_names_the_file_and_the_log(monkeypatch, capsys, private_state_dir):
    import analysis.readers.seed as seed

    monkeypatch.setattr(seed, "parse_percent", lambda text: 1 / 0)
    path = paths.RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv"
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "Traceback" not in out
    line = out.strip()
    assert line.startswith(
        f"{path}:-:-: 'ZeroDivisionError' — could not be read: unexpected error at test_hostile_inputs.py:"
    )
    assert f"the details are in {private_state_dir}" in line


def odd_inputs(tmp_path: Path) -> dict[str, Path]:
    """Paths no command may answer with a traceback or an 'unexpected error'."""
    made = {}
    made["name too long"] = tmp_path / ("a" * 300 + ".csv")
    made["missing"] = tmp_path / "missing.csv"
    made["empty"] = tmp_path / "empty.csv"
    made["empty"].write_bytes(b"")
    made["binary"] = tmp_path / "image.csv"
    made["binary"].write_bytes(bytes(range(256)) * 4)
    made["zip named csv"] = tmp_path / "book.csv"
    made["zip named csv"].write_bytes(b"PK\x03\x04" + b"\0" * 100)
    made["broken xlsx"] = tmp_path / "book.xlsx"
    made["broken xlsx"].write_bytes(b"PK\x03\x04" + b"\0" * 100)
    made["symlink loop"] = tmp_path / "loop.csv"
    made["symlink loop"].symlink_to(tmp_path / "loop.csv")
    made["json scalar"] = tmp_path / "scalar.json"
    made["json scalar"].write_text("123", encoding="utf-8")
    made["json string"] = tmp_path / "string.json"
    made["json string"].write_text('"\\ud800"', encoding="utf-8")
    made["lone surrogate key"] = tmp_path / "surrogate.json"
    made["lone surrogate key"].write_text('[{"\\ud800": "1"}]', encoding="utf-8")
    made["header only"] = tmp_path / "header.csv"
    made["header only"].write_text("studprog_kod;aar;underv_engasj_18\n", encoding="utf-8")
    made["device"] = Path("/dev/null")
    return made


def test_odd_inputs_never_give_a_traceback_or_an_unexpected_error(tmp_path, capsys):
    for what, path in odd_inputs(tmp_path).items():
        for command in ("validate", "flags", "integration", "survey", "wellbeing"):
            rc = main([command, str(path)])
            captured = capsys.readouterr()
            text = captured.out + captured.err
            assert rc in (1, 2), (what, command, text)
            assert "Traceback" not in text and "unexpected error" not in text, (what, command, text)


def test_a_folder_of_odd_inputs_never_gives_a_traceback(tmp_path, capsys):
    folder = tmp_path / "raw"
    folder.mkdir()
    odd_inputs(folder)
    os.mkfifo(folder / "pipe.csv")
    for args in (
        ["validate", str(folder)],
        ["ingest", "--data", str(folder), "--out", str(tmp_path / "v")],
        ["survey", str(folder)],
        ["flags", str(folder)],
    ):
        rc = main(args)
        captured = capsys.readouterr()
        text = captured.out + captured.err
        assert rc == 1, (args, text)
        assert "Traceback" not in text and "unexpected error" not in text, (args, text)
    assert not (tmp_path / "v").exists()


def test_what_looks_like_data_in_a_folder_but_is_not_read_is_named(tmp_path, capsys):
    """A bad-input hunt: a link that leads nowhere, links pointing at each other and a table
    saved as .xls were left out of a folder without a word (exit 0), and Excel's lock file of an
    open workbook made the whole folder fail. They are named now, each
    with what to do; the folder's other files are read as before, and documentation is not named."""
    import shutil

    from analysis import paths
    from analysis.cli import main
    from analysis.ingest import read_datasets

    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(paths.RAW / "shot_headline_figures_national.csv", folder)
    (folder / "borte.csv").symlink_to(folder / "finnes_ikke.csv")
    (folder / "a.csv").symlink_to(folder / "b.csv")
    (folder / "b.csv").symlink_to(folder / "a.csv")
    (folder / "gammel.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    (folder / "LESMEG.md").write_text("notater\n", encoding="utf-8")
    (folder / "~$svar.xlsx").write_bytes(b"\x05kari" + b"\x20" * 50)  # Excel's lock file: the workbook is open
    assert main(["validate", str(folder)]) == 0
    err = capsys.readouterr().err
    for name in ("borte.csv", "a.csv", "b.csv"):
        assert f"note: {folder / name}:-:-: '→ " in err and "a link that leads nowhere" in err
    assert f"note: {folder / 'gammel.xls'}:-:-: '.xls' — a table in a format that is not read (save it as .xlsx" in err
    assert "LESMEG" not in err
    assert f"note: {folder / '~$svar.xlsx'}:-:-: (empty) — Excel's lock file" in err
    notes = [str(n) for n in read_datasets(folder).notes]
    assert sum("leads nowhere" in n for n in notes) == 3 and sum("gammel.xls" in n for n in notes) == 1


def test_a_link_that_leads_nowhere_says_its_whole_target_with_the_file_s_name(tmp_path, capsys):
    """The terminal said a long link target cut at 60 characters ("→ /home/ola/Nedlastinger/
    kvalitetsmelding/…"): the file's name, at the end, the one part the adviser needs to find
    the file, was what was cut. A target is a path to look for: said whole, as the problem's
    file is (a cell's long text is still cut: its start says which it is)."""
    from analysis.cli import main
    from analysis.errors import MAX_VALUE_CHARS, Problem

    folder = tmp_path / "data"
    folder.mkdir()
    target = tmp_path / "Nedlastinger" / "kvalitetsmelding 2026" / "studiebarometeret" / "sb_respondenter_2025.csv"
    assert len(str(target)) > MAX_VALUE_CHARS
    (folder / "sb.csv").symlink_to(target)
    shutil.copy(paths.RAW / "shot_headline_figures_national.csv", folder)
    assert main(["validate", str(folder)]) == 0
    err = capsys.readouterr().err
    assert f"note: {folder / 'sb.csv'}:-:-: '→ {target}' — a link that leads nowhere" in err, err
    cell = "x" * (MAX_VALUE_CHARS + 10)
    assert f"'{cell[: MAX_VALUE_CHARS - 1]}…'" in str(Problem("f.csv", 2, "c", cell, "m", "h"))

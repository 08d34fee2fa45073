"""What every command does the same way: expand paths, print problems, guard against crashes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.errors import InputError, OutputError, Problem, caused_by_interrupt, shown

if TYPE_CHECKING:  # the readers load pandas: imported where a file is read, not to build the CLI
    from analysis.readers import ReadResult


def expand(paths: Iterable[str]) -> list[Path]:
    """Files as given; a folder stands for the data files inside it."""
    out: list[Path] = []
    for p in map(Path, paths):
        try:
            folder = p.is_dir()
        except OSError:  # a name too long for the system: read as a file, which says so
            folder = False
        if folder:
            from analysis.ingest import raw_files, unread_files

            # the same files `ingest` reads (the raw folder's provenance manifest is
            # documentation, not data); what looks like data but is not read is named
            out.extend(raw_files(p))
            for note in unread_files(p):
                print(f"note: {note}", file=sys.stderr)
        else:
            out.append(p)
    return out


def print_problems(problems: Iterable[Problem], stream=None) -> None:
    stream = stream or sys.stderr
    for p in problems:
        print(str(p), file=stream)


def unexpected(path: Path | str, err: BaseException) -> Problem:
    """A bug must still reach the adviser as a message, not a traceback: one line, and the
    traceback in a private log file (:mod:`analysis.console`)."""
    from analysis.console import where, write_log

    log = write_log(f"(reading {path})", err)
    origin = f" at {where(err)}" if where(err) else ""
    text = str(err).splitlines()[0] if str(err) else ""
    return Problem(
        str(path),
        None,
        None,
        type(err).__name__,
        f"could not be read: unexpected error{origin}: {text[:200]}",
        "please report this file to the maintainers" + (f"; the details are in {log}" if log else ""),
    )


def read_files(
    paths: list[Path], kind: str | None = None, read: Callable | None = None
) -> tuple[list[ReadResult], list[Problem]]:
    """Read every path (with ``read``, default :func:`read_path`); problems of all files are
    collected, never the first only."""
    from analysis.readers import read_path

    results, problems = [], []
    for path in paths:
        try:
            results.append(read(path) if read is not None else read_path(path, kind))
        except InputError as err:
            problems.extend(err.problems)
        except Exception as err:  # turned into a message, never swallowed
            if caused_by_interrupt(err):
                raise  # a wrapped interrupt stops the run (cli._main), it is no problem of the file
            problems.append(unexpected(path, err))
    return results, problems


def guarded(run: Callable) -> Callable:
    """Wrap a command's run(): input problems -> exit 1 with messages, bugs -> a message too.
    The command is named after its module (``analysis.commands.flags`` -> ``kvalitet flags``)."""
    command = f"kvalitet {run.__module__.rsplit('.', 1)[-1]}"

    def wrapper(args) -> int:
        usage = sheet_usage(args)
        if usage:
            print(f"{command}: {usage}", file=sys.stderr)
            return 2
        try:
            return run(args)
        except InputError as err:
            print_problems(err.problems)
            print(f"{command}: nothing was written", file=sys.stderr)
            return 1
        except OutputError as err:
            print(f"{command}: {err}", file=sys.stderr)
            return 1
        except BrokenPipeError:
            raise  # the output's reader went away (`| head`): not a bug to report (cli._main)
        except Exception as err:
            if caused_by_interrupt(err):
                raise  # a wrapped interrupt: cli._main ends the run as interrupted (exit 130)
            from analysis.console import unexpected_line

            print(unexpected_line(command.removeprefix("kvalitet "), err), file=sys.stderr)
            print(f"{command}: nothing was written", file=sys.stderr)
            return 1

    return wrapper


def keep_datasets(
    results: list[ReadResult], wanted: set[str], given: list[str], what: str
) -> tuple[list[ReadResult], list[Problem]]:
    """The results a command can use.

    A file named on the command line that is not one of ``wanted`` is a problem (the adviser
    meant it); a file found inside a named folder is skipped with a note on stderr, so
    ``kvalitet flags data/raw`` works on a folder that also holds survey files.
    """
    named = {Path(os.path.realpath(p)) for p in given if not os.path.isdir(p)}
    kept, problems, skipped = [], [], []
    for r in results:
        if r.dataset in wanted:
            kept.append(r)
        elif Path(os.path.realpath(r.path)) in named:
            problems.append(
                Problem(str(r.path), None, None, r.kind, f"not {what}", f"give {what}; this file is {r.kind}")
            )
        else:
            skipped.append(r.path.name)
    if skipped:
        files = "1 file that is" if len(skipped) == 1 else f"{len(skipped)} files that are"
        print(f"skipped {files} not {what}: {', '.join(map(shown, skipped))}", file=sys.stderr)
    return kept, problems


def open_respondents(path: Path):
    """A respondent-level file opened for reading column by column (its answers are read while
    they are counted or checked, so a national file never sits in memory whole); any other
    file is read as usual."""
    from analysis.readers import detect_kind, read_path
    from analysis.readers.survey_raw import KIND, open_survey_respondents

    return open_survey_respondents(path) if detect_kind(path) == KIND else read_path(path)


def read_inputs(paths: list[str], wanted: set[str], what: str, read: Callable | None = None) -> list[ReadResult]:
    """The validated inputs of a metric command: every file once (a folder = its data files),
    only the ``wanted`` datasets, warnings printed. Raises :class:`InputError` with every problem.

    ``read`` reads one file (default :func:`read_path`); it may return anything with ``path``,
    ``kind``, ``dataset`` and ``warnings`` (``survey`` opens respondent files without reading
    their answers yet)."""
    from analysis.commands.metric_output import unique_files

    files = unique_files(expand(paths))
    if not files:
        raise InputError(
            [
                Problem(
                    " ".join(paths),
                    None,
                    None,
                    None,
                    "no data files found",
                    "give files, or folders with .csv, .json, .xlsx or .parquet files",
                )
            ]
        )
    results, problems = read_files(files, read=read)
    results, other = keep_datasets(results, wanted, paths, what)
    problems += other
    if not problems and not results:
        problems.append(Problem(" ".join(paths), None, None, None, f"no {what} among the files", f"give {what}"))
    if problems:
        raise InputError(problems)
    from analysis.deliveries import check_deliveries

    check_deliveries(results)  # a respondent file or respondent delivered twice
    print_problems([w for r in results for w in r.warnings])
    return results


def inputs(args) -> list[Path]:
    """What a command reads (its paths, ``--data``, ``--config``): an output may be none of
    them, nor lie inside one (see :func:`analysis.outputs.input_problem`)."""
    given = [Path(p) for p in getattr(args, "paths", None) or []]
    for option in ("data", "config"):
        if getattr(args, option, None) is not None:
            given.append(Path(getattr(args, option)))
    return given


def add_sheet_argument(parser) -> None:
    """``--sheet NAME``: which worksheet of an Excel workbook to read (see
    :mod:`analysis.readers.xlsx`; the CLI applies it to every file the command reads)."""
    parser.add_argument(
        "--sheet", metavar="NAME", help="read this worksheet of Excel files (default: the only visible sheet with data)"
    )


def sheet_usage(args) -> str | None:
    """A usage message when ``--sheet NAME`` is given and no file the command reads is an Excel
    workbook, else None (also when none of the files is there: the command says so).

    NOTE: refused, not a note: without a workbook the option does nothing, and a person who
    typed it believes a sheet was chosen (often the CSV export was given in place of the
    workbook). As a tool refuses an option that cannot apply (git: "--follow requires exactly
    one pathspec"), with exit 2 before anything is read, as every other usage error here."""
    sheet = getattr(args, "sheet", None)
    if sheet is None:
        return None
    from analysis.ingest import raw_files
    from analysis.readers.base import is_xlsx

    given = getattr(args, "paths", None) or [args.data]  # the paths given, or the raw folder (ingest, report)
    files: list[Path] = []
    for p in map(Path, given):
        if os.path.isdir(p):
            try:
                files.extend(raw_files(p))
            except InputError:
                return None  # a folder that cannot be read: the command says so, as without --sheet
        elif os.path.isfile(p):  # (not a FIFO or device: never opened to learn what it is)
            files.append(p)
    if not files or any(is_xlsx(f) for f in files):
        return None
    read = "the file read is not" if len(files) == 1 else f"none of the {len(files)} files read is"
    return (
        f"--sheet {shown(sheet)} chooses a worksheet of an Excel workbook, but {read} one "
        "(CSV, JSON or Parquet); leave --sheet out, or give the workbook"
    )


def settings_or_usage(config: Path | None, command: str):
    """The settings from ``--config`` (or the default file); None after a usage message when the
    file cannot be read, so the command exits 2."""
    from analysis.readers.base import check_not_special
    from analysis.settings import SettingsError, load_settings

    try:
        if config is not None:
            check_not_special(config)  # a FIFO given as --config would wait for ever
    except InputError as err:  # said as the settings file's other whole-file problems are
        print(f"kvalitet {command}: {replace(err.problems[0], hint='give the settings file')}", file=sys.stderr)
        return None
    try:
        return load_settings(config)
    except SettingsError as err:
        print(f"kvalitet {command}: {err}", file=sys.stderr)
        return None

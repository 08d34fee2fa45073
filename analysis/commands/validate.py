"""``kvalitet validate PATH… [--kind KIND]``: check files, write nothing."""

from __future__ import annotations

import sys
from functools import partial
from typing import TYPE_CHECKING

from analysis.commands.common import add_sheet_argument, expand, guarded, open_respondents, print_problems, read_files
from analysis.errors import InputError, shown
from analysis.readers.kinds import KINDS

if TYPE_CHECKING:  # (the readers are imported when the command runs: the CLI starts fast)
    from analysis.readers.survey_raw import RespondentFile


def register(sub) -> None:
    p = sub.add_parser(
        "validate",
        help="check input files and report every problem (writes nothing)",
        description="Detect each file's kind from its content and validate it. Prints one line per "
        "file that reads ('reads — KIND, N rows'); for an invalid file every problem as "
        "FILE:ROW:COLUMN: VALUE — what is wrong (what to do); then the problems of files that read but "
        "disagree with one another; last (on stderr) whether all files are valid. Exit 0 all valid, "
        "1 any invalid, 2 usage.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders of files")
    p.add_argument("--kind", choices=sorted(KINDS), help="read every file as this kind")
    add_sheet_argument(p)
    p.set_defaults(func=guarded(run))


def run(args) -> int:
    from analysis.charts.labels import counted
    from analysis.deliveries import check_deliveries
    from analysis.ingest import combine_gender, frames_by_dataset
    from analysis.metrics.survey_counts import programme_spellings
    from analysis.readers import ReadResult

    files = expand(args.paths)
    if not files:
        print("kvalitet validate: no data files found in " + " ".join(map(shown, args.paths)), file=sys.stderr)
        return 1
    invalid = 0
    valid = []
    # each respondent file (as counted) and its groups' keys, for the checks across files
    # (programme codes), by the id of what it was read as: with --kind and without
    groups: dict[int, tuple[RespondentFile, dict[str, list]]] = {}
    for path in files:
        results, problems = read_files([path], read=partial(_check, kind=args.kind, groups=groups))
        if problems:
            invalid += 1
            print_problems(problems, sys.stdout)
            continue
        r = results[0]
        valid.append(r)
        extra = f", {counted(r.suppressed, 'suppressed_cell', 'en')}" if r.suppressed else ""
        warn = f", {counted(len(r.warnings), 'warning', 'en')}" if r.warnings else ""
        # "reads", not "ok": the checks across files come after every file has been read, and a
        # file that reads may still disagree with another (an adviser read "ok, ok" above an error)
        print(f"{shown(path)}: reads — {r.kind}, {counted(r.rows, 'row', 'en')}{extra}{warn}")
        for w in r.warnings:
            print(f"  warning: {w}")
    try:
        check_deliveries(valid)  # a respondent file or respondent delivered twice
    except InputError as err:
        print_problems(err.problems, sys.stdout)
        invalid += len({p.file for p in err.problems})
    # a programme code written two ways in two files (one saved again from Excel): survey and
    # ingest refuse them, so validate does too (it said "all valid" above their refusal)
    counted_files = [groups[id(r)] for r in valid if id(r) in groups]
    spellings = programme_spellings([f for f, _ in counted_files], [keys for _, keys in counted_files])
    if spellings:
        print_problems(spellings, sys.stdout)
        invalid += len({p.file for p in spellings})
    # files that are each valid may still disagree with one another (the same unit and year with
    # other numbers, a programme code written two ways): ingest and flags refuse them, so validate
    # does too, with the very check they use
    gender = frames_by_dataset([r for r in valid if isinstance(r, ReadResult)]).get("gender")
    if gender:
        try:
            _, notes = combine_gender(gender)
        except InputError as err:
            print_problems(err.problems, sys.stdout)
            invalid += len({p.file for p in err.problems})
        else:
            # what ingest says of the files together (rows read once, a file of no institution
            # beside files of institutions), said here too
            for note in notes:
                print(f"note: {note}")
    if invalid:
        print(f"{invalid} of {len(files)} files invalid", file=sys.stderr)
    elif len(files) == 1:
        print("1 file valid", file=sys.stderr)
    else:
        print(f"all {len(files)} files valid, each on its own and with one another", file=sys.stderr)
    return 1 if invalid else 0


def _check(path, kind: str | None, groups: dict[int, tuple[RespondentFile, dict[str, list]]]):
    """The file read (as ``kind``, or as detected) and, if respondent-level, every cell checked
    as it is counted (raises InputError); the file as counted and its groups' keys go into
    ``groups`` under the id of what was read, with ``kind`` as without (with --kind the check
    across files was skipped: MTDT and mtdt in two files were 'all 2 files valid')."""
    from analysis.metrics.survey_counts import count_groups, respondent_files
    from analysis.readers import read_path
    from analysis.readers.survey_raw import KIND, RespondentFile

    if kind is None:
        # a respondent-level file is checked column by column as it is read (the same checks;
        # memory stays flat however many respondents it has)
        opened = open_respondents(path)
        if isinstance(opened, RespondentFile):
            groups[id(opened)] = (opened, count_groups([opened], opened.items, {}, 0).keys)
        return opened
    result = read_path(path, kind)
    if result.kind == KIND:
        # the validated frame counted as the file it was read from (named and numbered so)
        [file] = respondent_files(result.frame)
        groups[id(result)] = (file, count_groups([file], file.items, {}, 0).keys)
    return result

"""Stage raw -> validated: read every file in a raw folder and write validated Parquet.

``kvalitet ingest`` writes one Parquet file per dataset plus ``manifest.json`` (every input's
sha256 and rows). It writes atomically: everything is built in a private temporary folder next
to the output and swapped in only when every input was valid, so a bad input leaves the earlier
output intact (:mod:`analysis.outputs`).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.deliveries import check_deliveries
from analysis.errors import InputError, PathValue, Problem, missing_path
from analysis.outputs import MARKER
from analysis.paths import published_name, published_note
from analysis.programme_codes import CodeAt, spelling_key, spelling_problems
from analysis.readers import ReadResult, read_path
from analysis.readers.base import unreadable
from analysis.readers.detect import OTHER_TABLES, SUFFIXES
from analysis.readers.institution_names import DOWNLOAD_WITH_CODES, INSTITUTION_NAMES, uncoded_name
from analysis.readers.survey_raw import DATASET as RESPONDENTS
from analysis.words import counted, percent
from schemas.gender import OBSERVATION_KEY

#: When two files hold the same observation (the DBH JSON response and its CSV conversion), the
#: one earlier in this list is kept.
SOURCE_PREFERENCE = [
    *(f"dbh-{table}-{fmt}" for table in (123, 110, 112, 132, 379) for fmt in ("json", "csv")),
    "samordna-keyfigures",
    "samordna-sample",
    "seed-admission",
]

#: What makes two rows the same observation. The semester, the student category and the filter
#: of the download are part of it: a file that adds the categories together ("all") is another
#: measure than one that splits them, and one of Nivåkode HN than one of all levels, so the two
#: are never compared, let alone de-duplicated.
GENDER_KEY = OBSERVATION_KEY
GENDER_VALUES = ["total", "women", "men", "share_women_given_pct", "suppressed"]


@dataclass
class Datasets:
    """Validated frames by dataset name, and what was read to make them."""

    frames: dict[str, pd.DataFrame]
    results: list[ReadResult]
    notes: list[Problem] = field(default_factory=list)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]

    def get(self, name: str, default=None):
        return self.frames.get(name, default)

    def __contains__(self, name: str) -> bool:
        return name in self.frames


#: How Excel names the lock file of a workbook it has open (``~$items.xlsx`` beside ``items.xlsx``).
EXCEL_LOCK = "~$"


def _own_output_folder(folder: Path | str) -> bool:
    """Whether ``folder`` is one kvalitet wrote (validated or derived data, a report): it holds
    kvalitet's marker. Such a folder inside a data folder is not read, and a note says so."""
    return os.path.isfile(os.path.join(folder, MARKER))


def _entries(raw_dir: Path) -> list[Path]:
    """Everything under ``raw_dir`` but hidden files and folders, in a stable order; links to
    folders are not followed. A folder that cannot be read is an :class:`InputError` (every one
    at once): its files would otherwise be left out without a word."""
    entries: list[Path] = []
    problems: list[Problem] = []

    def cannot_open(err: OSError) -> None:
        folder = err.filename if err.filename is not None else raw_dir
        reason = "no permission" if isinstance(err, PermissionError) else err.strerror or str(err)
        problems.append(
            Problem(str(folder), None, None, None, f"cannot be read ({reason})", "check the folder's permissions")
        )

    for folder, dirs, files in os.walk(raw_dir, onerror=cannot_open):
        if not os.access(folder, os.X_OK):  # its names can be listed, its files not opened
            cannot_open(PermissionError(errno.EACCES, os.strerror(errno.EACCES), folder))
            dirs.clear()
            continue
        # NOTE: hidden files and folders are the tools' own (a fetch's private staging folder
        # left by a killed run, editors' lock files): never data, and not looked into
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        entries.extend(Path(folder, name) for name in (*dirs, *files) if not name.startswith("."))
        # kvalitet's own outputs (the validated and derived stages, a report) are listed, not
        # read: their Parquet and CSV files are no raw data (--data data, flags data)
        # (os.path: False for a folder that cannot be opened, which the walk then names)
        dirs[:] = [d for d in dirs if not _own_output_folder(os.path.join(folder, d))]
    if problems:
        raise InputError(problems)
    return sorted(entries)


def raw_files(raw_dir: Path) -> list[Path]:
    """Data files under ``raw_dir`` in a stable order (documentation files are skipped)."""
    return [
        p
        for p in _entries(raw_dir)
        if p.is_file()
        and p.suffix.lower() in SUFFIXES
        and p.name != paths.RAW_MANIFEST_NAME
        and not p.name.startswith(EXCEL_LOCK)
    ]


#: A note's message for a link in the data folder whose file is not there (its value: "→ TARGET").
LINK_NOWHERE = "a link that leads nowhere (its file is gone, or links point at each other): not read"


def published_problem(problem: Problem, raw_dir: Path) -> str:
    """A problem from reading the raw folder as a published file gives it
    (:func:`analysis.paths.published_note`): a file by its name, and where a link that leads
    nowhere led by its name too. The terminal names both by their paths (a file to look for);
    published, a link's target (``/home/ola/Nedlastinger/…``) gave the adviser's folder."""
    if problem.message == LINK_NOWHERE:
        target = str(problem.value).removeprefix("→ ")
        problem = replace(problem, value=PathValue(f"→ {published_name(target)}"))
    return published_note(str(problem), raw_dir)


def unread_files(raw_dir: Path) -> list[Problem]:
    """What :func:`raw_files` leaves out that looks like data, one note each: a link that leads
    nowhere (its file is gone, or links point at each other) and a table in a format that is
    not read (:data:`OTHER_TABLES`). Documentation (README, notes) is left out without one."""
    notes = []
    for p in _entries(raw_dir):
        if p.is_symlink() and not p.exists():
            notes.append(
                Problem(
                    str(p),
                    None,
                    None,
                    PathValue(f"→ {os.readlink(p)}"),
                    LINK_NOWHERE,
                    "put the file itself in the folder, or remove the link",
                )
            )
        elif p.name.startswith(EXCEL_LOCK):
            notes.append(
                Problem(
                    str(p),
                    None,
                    None,
                    None,
                    "Excel's lock file (the workbook beside it is open in Excel): not read",
                    "nothing to do; it goes when the workbook is closed",
                )
            )
        elif _own_output_folder(p):
            notes.append(
                Problem(
                    str(p),
                    None,
                    None,
                    None,
                    "kvalitet's own output (validated or derived data, a report): not read",
                    "nothing to do; the raw files are read",
                )
            )
        elif p.suffix.lower() in OTHER_TABLES and p.is_file():
            notes.append(
                Problem(
                    str(p), None, None, p.suffix, "a table in a format that is not read", OTHER_TABLES[p.suffix.lower()]
                )
            )
    return notes


def read_all(files: list[Path]) -> list[ReadResult]:
    """Read every file; collect every file's problems before raising, so one run shows all."""
    results, problems = [], []
    for path in files:
        try:
            results.append(read_path(path))
        except InputError as err:
            problems.extend(err.problems)
    if problems:
        raise InputError(problems)
    return results


def combine_gender(frames: list[pd.DataFrame]) -> tuple[pd.DataFrame, list[Problem]]:
    """One table of gender observations from several files, each observation once.

    The same unit × year × measure (with its semester and student category) delivered twice with
    the same numbers (the DBH-API JSON and its CSV copy) is read once, from the file earlier in :data:`SOURCE_PREFERENCE`, with a note
    per file; a share of women in one file and a count in another that agree within the share's
    rounding (:func:`_share_and_count`) are read once, from the count (the exact figure), with a note
    per pair of files; delivered with different numbers it is an error naming both rows, because a faculty
    sum would otherwise count it twice or pick one silently. Departments without an institution
    code from two files, or of two names DBH's table gives no code, are an error too
    (:func:`_files_without_institution`); from one file beside other files with codes, a warning
    (:func:`_file_without_institution_beside_coded`).
    """
    # a reader may name the file's own header of a value column (``Antall totalt`` for ``total``)
    headers = {f["source_file"].iloc[0]: f.attrs.get("headers", {}) for f in frames if len(f)}
    df = pd.concat(frames, ignore_index=True)
    df.attrs = {}  # the combined table is no one file's
    for column in GENDER_KEY:
        if column not in df:
            df[column] = pd.NA  # a frame from a source without that dimension
    spellings = _code_spellings(df)
    if spellings:
        raise InputError(spellings)
    rank = df["source_kind"].map({k: i for i, k in enumerate(SOURCE_PREFERENCE)}).fillna(len(SOURCE_PREFERENCE))
    df = df.assign(_rank=rank).sort_values(["_rank", "source_file", "source_row"], kind="stable")
    df = df.drop(columns="_rank").reset_index(drop=True)
    key = df[GENDER_KEY].astype("string").fillna("\x00")
    # (rows whose institution's name got no code are told apart by the name)
    groups = [key[c] for c in GENDER_KEY] + [uncoded_name(df).astype("string").fillna("\x00")]
    pos = pd.Series(np.arange(len(df)), index=df.index)
    first_pos = pos.groupby(groups, sort=False).transform("first")
    # a share of one file and a count of another (40,0 % and 799 of 2000) are compared with the
    # count, and where they agree the count is read, whichever file is preferred: it holds the
    # exact figure (39.95 %, below 40 %), the share only its rounding
    first_count = pos.where(_count_only(df)).groupby(groups, sort=False).transform("first")
    to_count = _share_only(df).to_numpy()[first_pos.to_numpy()] & first_count.notna().to_numpy()
    ref = np.where(to_count, first_count.fillna(-1).to_numpy(), first_pos.to_numpy()).astype(np.int64)
    dup = pos.to_numpy() != ref
    notes: list[Problem] = []
    if dup.any():
        later = df.loc[dup]
        first = df.iloc[ref[dup]].set_index(later.index)
        values_l = later[GENDER_VALUES].astype("string").fillna("\x00")
        values_f = first[GENDER_VALUES].astype("string").fillna("\x00")
        differs = values_l.ne(values_f)
        conflicting = later.index[differs.any(axis=1).to_numpy()]
        # a share of one file and a count of another (41,3 % and 31 of 75) are the same figure
        # when the count, rounded as the share was, gives the share: read once, as a repeat
        verdicts = _share_and_count(later.loc[conflicting], first.loc[conflicting])
        agreeing = verdicts.index[(verdicts == AGREE).to_numpy()]
        conflicting = conflicting.difference(agreeing)
        # rows that repeat an earlier one with the same values are read once and add nothing
        unnamed = _files_without_institution(df, df.index.isin(later.index.difference(conflicting)))
        problems = list(unnamed)
        for idx in conflicting:
            if unnamed and pd.isna(later.at[idx, "institution_code"]):
                # two such files' "different numbers" for one department are two institutions':
                # said once above, not as "keep only one of the two files"
                continue
            # said at the row of the file later in the order of preference, naming the other
            here, there = later.loc[idx], first.loc[idx]
            if ref[idx] > idx:  # (the index is the position in the order of preference)
                here, there = there, here
            what = ", ".join(
                str(here[c])
                for c in ("unit_code", "year", "measure", "semester", "student_category", "measure_filter")
                if pd.notna(here[c])
            )
            verdict = verdicts.get(idx)
            if isinstance(verdict, str):  # a share against a count: each said in words
                col = "women" if pd.notna(here["women"]) else "share_women_given_pct"
                message = (
                    f"the same unit and year ({what}) is {_in_words(here, there)} here and {_in_words(there, here)} in "
                    f"{there['source_file']} row {int(there['source_row'])}: {_why(verdict, here, there)}"
                )
            else:
                col = differs.columns[differs.loc[idx].to_numpy()][0]
                message = (
                    f"the same unit and year ({what}) has different numbers in {there['source_file']} "
                    f"row {int(there['source_row'])} with {there[col]}"
                )
            problems.append(
                Problem(
                    str(here["source_file"]),
                    int(here["source_row"]),
                    headers.get(here["source_file"], {}).get(col, col),
                    here[col],
                    message,
                    "keep only one of the two files, or correct the wrong one",
                )
            )
        if problems:
            raise InputError(problems)
        same = later.index.difference(agreeing)
        for (file, preferred), n in (
            later.loc[same].groupby([later.loc[same, "source_file"], first.loc[same, "source_file"]]).size().items()
        ):
            notes.append(
                Problem(
                    str(file),
                    None,
                    None,
                    int(n),
                    (f"{n} rows repeat rows" if n != 1 else "1 row repeats a row")
                    + f" of a preferred file ({preferred}) with the same values; read once",
                    "nothing to do: counted once, from the preferred file",
                )
            )
        # one note per file of shares and file of counts, as for the repeats above, with the
        # first shown (the later row of an agreeing pair is the share, the one kept the count)
        files = pd.DataFrame({"share": later.loc[agreeing, "source_file"], "count": first.loc[agreeing, "source_file"]})
        for (file, counts), rows in files.groupby(["share", "count"], sort=False, observed=True):
            idx = rows.index[0]
            n = len(rows)
            notes.append(
                Problem(
                    str(file),
                    int(later.at[idx, "source_row"]),
                    None,
                    n,
                    f"{counted(n, 'row', 'en')} {'gives' if n == 1 else 'give'} as a share of women what {counts} "
                    f"gives as a count, the same within the share's rounding (first shown: "
                    f"{_in_words(later.loc[idx], first.loc[idx])} here, {_in_words(first.loc[idx], later.loc[idx])} in row "
                    f"{int(first.at[idx, 'source_row'])}); read once, from the count, the exact figure",
                    "nothing to do: counted once, from the count",
                )
            )
        df = df.loc[~dup]
    elif unnamed := _files_without_institution(df, dup):
        raise InputError(unnamed)
    df = df.sort_values(["source_kind", "source_file", "source_row"], kind="stable").reset_index(drop=True)
    return df, notes + _file_without_institution_beside_coded(df)


#: How a share of one file and a count of another for the same unit × year × measure compare
#: (:func:`_share_and_count`): the same figure, or why not.
AGREE, TOTALS_DIFFER, ROUNDING_UNKNOWN, BEYOND_ROUNDING = "agree", "totals differ", "rounding unknown", "beyond"


def _share_only(df: pd.DataFrame) -> pd.Series:
    """Rows that give a share of women only (Samordna's 41,3 %)."""
    return (df["share_women_given_pct"].notna() & df["women"].isna() & ~df["suppressed"].astype(bool)).astype(bool)


def _count_only(df: pd.DataFrame) -> pd.Series:
    """Rows that give a count of women of a total above 0 (31 of 75), no share."""
    counts = df["women"].notna() & df["share_women_given_pct"].isna() & ~df["suppressed"].astype(bool)
    return (counts & df["total"].fillna(0).gt(0)).astype(bool)


def _share_and_count(row: pd.DataFrame, other: pd.DataFrame) -> pd.Series:
    """For pairs of rows of one unit × year × measure (``row`` and ``other``, one index), where
    one gives a share only and the other a count: :data:`AGREE` when the count's exact share is
    within the given share's rounding (its decimals: 41,3 % is 41.25 % to 41.35 %, ends
    included) and a total the share row has is the count's; else why not. Missing for any other
    pair (two counts, two shares, a suppressed row), whose different numbers are said as they are.

    The comparison is exact, in whole numbers: with the share written ``g / 10**d`` %, the count
    ``w`` of ``t`` is within it when ``|200 · 10**d · w − 2 · t · g| ≤ t`` (Python's integers, in
    object arrays: no overflow at any number of decimals)."""
    verdicts = pd.Series(pd.NA, index=row.index, dtype="object")
    row_share, row_count = _share_only(row), _count_only(row)
    pair = ((row_share & _count_only(other)) | (row_count & _share_only(other))).to_numpy()
    if not pair.any():
        return verdicts
    columns = ["share_women_given_pct", "share_women_given_decimals", "women", "total"]
    share_here = row_share[pair].to_numpy()
    # (reindexed: a table of the seed's shares alone has no decimals column)
    a, b = row.loc[pair].reindex(columns=columns), other.loc[pair].reindex(columns=columns)
    share = pd.DataFrame({c: a[c].where(share_here, b[c]) for c in columns})
    count = pd.DataFrame({c: b[c].where(share_here, a[c]) for c in columns})
    decimals = share["share_women_given_decimals"]
    known = decimals.notna().to_numpy()
    places = decimals.fillna(0).astype(np.int64).to_numpy()
    # the share as the source wrote it, in units of its last decimal (41,3 % -> 413)
    given = np.rint(share["share_women_given_pct"].astype(float).to_numpy() * 10.0**places).astype(np.int64)
    women = count["women"].to_numpy(dtype=object)
    total = count["total"].to_numpy(dtype=object)
    scale = np.array(10, dtype=object) ** places.astype(object)
    within = np.abs(200 * scale * women - 2 * total * given.astype(object)) <= total
    totals_differ = (share["total"].notna() & share["total"].ne(count["total"])).fillna(False).to_numpy()
    verdict = np.where(
        totals_differ,
        TOTALS_DIFFER,
        np.where(~known, ROUNDING_UNKNOWN, np.where(within.astype(bool), AGREE, BEYOND_ROUNDING)),
    )
    verdicts.loc[share.index] = verdict
    return verdicts


def _in_words(row: pd.Series, other: pd.Series) -> str:
    """A share or a count of women (``row``, compared with the share or count ``other``) in words, for a message: ``27.0 % women of 37`` (the share as
    the source wrote it; 2 decimals where its decimals are not known: 41.33 %, not the float's
    41.333333333333336) and ``10 women of 37 = 27.03 %`` (the count's exact share with one
    decimal more than the share it is compared with, and more where it would round onto a whole
    percentage: :func:`analysis.words.percent`, which side of a threshold it lies)."""
    decimals = row.get("share_women_given_decimals")
    if pd.notna(row["share_women_given_pct"]):
        pct = float(row["share_women_given_pct"])
        of = f" of {int(row['total'])}" if pd.notna(row["total"]) else ""
        shown = f"{pct:.{int(decimals)}f} %" if pd.notna(decimals) else _percent(pct / 100, 2)
        return f"{shown} women{of}"
    women, total = int(row["women"]), int(row["total"])
    given = other.get("share_women_given_decimals")
    return f"{women} {'woman' if women == 1 else 'women'} of {total} = {_percent(women / total, int(given) + 1 if pd.notna(given) else 2)}"


def _percent(share: float, decimals: int) -> str:
    return str(percent(pd.Series([share]), decimals).iloc[0])


def _why(verdict: str, here: pd.Series, there: pd.Series) -> str:
    """Why a share and a count of one unit and year are not read as one figure."""
    if verdict == TOTALS_DIFFER:
        return f"the totals differ ({int(here['total'])} here, {int(there['total'])} there)"
    if verdict == ROUNDING_UNKNOWN:
        return (
            "the share's rounding is not known (the file does not say how many decimals it was written "
            "with), so the two cannot be matched"
        )
    return "the two disagree beyond the share's rounding"


def _uncoded_sources(rows: pd.DataFrame) -> list[tuple[str, str | None, pd.DataFrame]]:
    """Department rows without an institution code, by where they come from: (file, institution
    name, rows), in the rows' order. A file that names its institutions (``Institusjonsnavn``)
    and has no code column got its codes from the names; its rows without one are those of a
    name DBH's table of names does not give one code (Universitetet i Innlandet, so named in
    2025, after the table's last year), one source per name. A file without names is one source."""
    names = rows["institution_name"].astype("string")
    groups = rows.groupby([rows["source_file"].astype("string"), names.fillna("\x00")], sort=False)
    return [(str(file), None if name == "\x00" else str(name), part) for (file, name), part in groups]


def _files_without_institution(df: pd.DataFrame, repeated: np.ndarray) -> list[Problem]:
    """Department rows with no institution code (no Institusjonskode column, none in the query or
    the file name, no code DBH's table gives their institution's name) from two or more sources:
    they are all counted as one institution, "(unknown)", so the faculty and institution sums,
    the years in a row and the trend would add the second to the first without a word (a
    bad-input hunt, 2026-12-04: NTNU's and UiB's files, each downloaded with an institution
    filter). Rows that name two different institutions are refused too: named apart, they are
    still summed under one "(unknown)". A source is a file without names, or one name of a file
    with names (:func:`_uncoded_sources`). ``repeated``: rows that repeat an earlier row with the
    same values (a file given twice), which are read once and so add nothing. One problem per
    source after the first."""
    rows = df[(df["level"] == "department") & df["institution_code"].isna() & ~repeated]
    sources = _uncoded_sources(rows)
    if len(sources) < 2:
        return []
    first_file, first_name, _ = sources[0]
    first = (
        f"'{first_name}' in {first_file} has none either"
        if first_name is not None
        else f"{first_file}'s department rows have none either (no Institusjonskode column, and none in the "
        "query or the file name)"
    )
    problems = []
    for file, name, part in sources[1:]:
        if name is None:
            problems.append(
                Problem(
                    file,
                    None,
                    "Institusjonskode",
                    None,
                    "no institution code (no Institusjonskode column, and none in the query or the file name), "
                    f"as in {first_file}: the product cannot tell whether the two are one institution's rows or two "
                    "institutions', and would add them together",
                    "put each file's institution code in its name, like dbh_t123_1150.csv, "
                    "or download the table grouped by Institusjonskode",
                )
            )
        else:
            problems.append(
                Problem(
                    file,
                    int(part["source_row"].min()),
                    "Institusjonsnavn",
                    name,
                    "no institution code: DBH's table of institution names "
                    f"({INSTITUTION_NAMES.name}) gives this name no single code, and {first}: "
                    "the two would be counted as one institution, '(unknown)', and added together",
                    DOWNLOAD_WITH_CODES,
                )
            )
    return problems


def _file_without_institution_beside_coded(df: pd.DataFrame) -> list[Problem]:
    """A warning for the department rows without an institution code (of one file, or of one
    name in a file with names: two or more are an error before this,
    :func:`_files_without_institution`), beside OTHER files whose department rows have codes:
    its rows are counted under no institution ("(unknown)"), so its institution's years in the
    other files are cut in two (the years in a row, the trend), without a word (a bad-input hunt,
    2026-12-04: NTNU's table-123 response renamed and its query left behind, read with the
    national export). Codes in the same file do not count: the rows of one file with names,
    one of them unknown to DBH's table, are said by the reader's warning on the name. Where its
    department codes are all found at exactly one institution in the other files, the warning
    names that institution; the code is never given to the rows: the same codes may be another
    institution's."""
    departments = df[df["level"] == "department"]
    without = departments["institution_code"].isna().to_numpy()
    if not without.any():
        return []
    [(file, name, uncoded)] = _uncoded_sources(departments[without])
    coded = departments[~without & (departments["source_file"] != file).to_numpy()]
    if coded.empty:
        return []
    # NOTE: compared in the years the other files have too: an institution's departments change
    # (NTNU's 2023–2025 response has two departments the national export, ending 2022, lacks)
    rows = uncoded[uncoded["year"].isin(coded["year"]).to_numpy()]
    own = set(rows["department_code"].dropna())
    matches = [
        code
        for code, units in coded.groupby("institution_code")["department_code"]
        if own and own <= set(units.dropna())
    ]
    suggestion = ""
    example = "dbh_t123_1150.csv"
    if len(matches) == 1:
        (code,) = matches
        names = coded.loc[coded["institution_code"] == code, "institution_name"].dropna()
        found = f"{names.iloc[0]} ({code})" if len(names) else code
        years = f"{rows['year'].min()}–{rows['year'].max()}"
        found_in = coded.loc[coded["institution_code"] == code, "source_file"].iloc[0]
        suggestion = (
            f"; its departments of {years}, the years the other files have too, are all {found}'s in {found_in}"
        )
        example = f"dbh_t123_{code}.csv"
    apart = f"they are counted under no institution, apart from their institution's rows in the other files{suggestion}"
    if name is not None:
        return [
            Problem(
                file,
                int(uncoded["source_row"].min()),
                "Institusjonsnavn",
                name,
                f"its {len(uncoded)} department rows of this name have no institution code (DBH's table of "
                f"institution names, {INSTITUTION_NAMES.name}, gives this name no single code), beside files "
                f"with codes: {apart}",
                DOWNLOAD_WITH_CODES,
            )
        ]
    return [
        Problem(
            file,
            None,
            "Institusjonskode",
            None,
            f"its {len(uncoded)} department rows have no institution code (no Institusjonskode column, "
            f"and none in the query or the file name), beside files with codes: {apart}",
            f"give the institution code in the file name, like {example}, or download the table grouped "
            "by Institusjonskode",
        )
    ]


def _code_spellings(df: pd.DataFrame) -> list[Problem]:
    """A programme code written two ways in one institution (``001001`` in one file, ``1001`` in
    a file saved again from Excel; ``MA0001`` and ``ma0001``) would be two programmes: the later
    years would start a new run of flagged years and a new trend, without a word (bad-input
    hunts, 2026-12-03 and -04). An error naming both spellings, one row of each (the one rule:
    :func:`analysis.programme_codes.spelling_problems`)."""
    programmes = df[(df["level"] == "programme") & df["unit_code"].notna()]
    if programmes.empty:
        return []
    codes = programmes["unit_code"].astype("string")
    # the rule asked once per distinct code, not per row (the national table)
    key = codes.map({c: spelling_key(c) for c in codes.unique()})
    institution = programmes["institution_code"].astype("string").fillna("")
    # only the codes written more than one way are gone through one by one (a loop over every
    # institution × code took 0.04 s of each stage on the national table, and found nothing)
    several = (programmes.groupby([institution, key])["unit_code"].transform("nunique") > 1).to_numpy()
    rows = programmes[several]
    return spelling_problems(
        (
            CodeAt(i, str(c), str(f), int(r), None)
            for i, c, f, r in zip(institution[several], rows["unit_code"], rows["source_file"], rows["source_row"])
        ),
        "DBH does",
        "with the years flagged in a row and the trend cut in two",
    )


def check_raw_folder(raw_dir: Path) -> None:
    """Refuse ``raw_dir`` as :func:`raw_folder_problem` says (an :class:`InputError`), before
    anything is read."""
    problem = raw_folder_problem(raw_dir)
    if problem:
        raise InputError([problem])


def raw_folder_problem(raw_dir: Path) -> Problem | None:
    """Why ``raw_dir`` (``--data``) is not a raw-data folder: it is not there, or it is the
    folder above one (``--data data`` for ``data/raw``; ``kvalitet fetch --data DIR`` writes to
    DIR/raw). Read as raw data, the folder above would give its stage folders' Parquet files
    (validated/, derived/) as raw files, each refused as a kind it is not."""
    if not raw_dir.is_dir():
        value, where = missing_path(raw_dir, "folder")
        return Problem(
            str(raw_dir),
            None,
            None,
            value,
            "folder not found" if not raw_dir.exists() else "is a file, not a folder",
            f"{where}; give the folder that holds the raw files (like data/raw)"
            if not raw_dir.exists()
            else "give the folder that holds the raw files (like data/raw)",
        )
    if (raw_dir / "raw").is_dir():
        return Problem(
            str(raw_dir),
            None,
            None,
            None,
            "is the folder above the raw-data folder raw/",
            f"give --data {raw_dir / 'raw'}",
        )
    return None


def read_datasets(raw_dir: Path | None = None) -> Datasets:
    """Every dataset from the files in ``raw_dir`` (default ``data/raw``), validated."""
    raw_dir = Path(raw_dir or paths.RAW)
    check_raw_folder(raw_dir)
    files = raw_files(raw_dir)
    if not files:
        raise InputError(
            [
                Problem(
                    str(raw_dir),
                    None,
                    None,
                    None,
                    "no data files in the folder",
                    "put .csv, .json, .xlsx or .parquet files there",
                )
            ]
        )
    results = [_named_in_folder(r, raw_dir) for r in read_all(files)]
    check_deliveries(results)  # a respondent file or respondent delivered twice is an error
    notes: list[Problem] = unread_files(raw_dir)
    frames: dict[str, pd.DataFrame] = {}
    for name, parts in frames_by_dataset(results).items():
        if name == "gender":
            frames[name], combine_notes = combine_gender(parts)
            notes.extend(combine_notes)
        elif name == RESPONDENTS:
            # its rows are counted file by file again (the derived survey step)
            from analysis.readers.survey_raw import respondents_together

            frames[name] = respondents_together(parts)
        else:
            frames[name] = pd.concat(parts, ignore_index=True)
    return Datasets(frames, results, notes)


def _named_in_folder(result: ReadResult, raw_dir: Path) -> ReadResult:
    """The file's rows named by its path relative to the raw folder (``source_file``), as the
    validated stage's manifest and MANIFEST.json name it: unique where two subfolders each hold
    a file of one name (2024/x.csv and 2025/x.csv; by its bare name, each row's source was dated
    as the other file), and the same wherever the folder is moved (the stage stays up to date).
    The readers name a file as they were given it (``kvalitet flags PATH``)."""
    name = result.path.relative_to(raw_dir).as_posix()
    return replace(
        result,
        frame=_named(result.frame, name),
        also={dataset: _named(frame, name) for dataset, frame in result.also.items()},
    )


def _named(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    if "source_file" not in frame.columns:
        return frame
    column = frame["source_file"]
    if isinstance(column.dtype, pd.CategoricalDtype):  # the respondents' (millions of rows)
        codes = (column.cat.codes >= 0).astype("int8") - 1  # 0: the file, -1: no file (missing)
        named = pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype([name]))
        return frame.assign(source_file=pd.Series(named, index=frame.index))
    return frame.assign(source_file=column.astype("object").where(column.isna(), name).astype(column.dtype))


def frames_by_dataset(results: list[ReadResult]) -> dict[str, list[pd.DataFrame]]:
    """Every file's validated frames by the dataset they belong to (a file's own, and those it
    gives as well: :attr:`ReadResult.also`), in the order of the files."""
    by_dataset: dict[str, list[pd.DataFrame]] = {}
    for r in results:
        by_dataset.setdefault(r.dataset, []).append(r.frame)
        for name, frame in r.also.items():
            by_dataset.setdefault(name, []).append(frame)
    return by_dataset


def sha256(path: Path) -> str:
    """The file's checksum; :class:`InputError` when it cannot be read (the same words as a
    reader's: the pipeline takes it before any reader runs)."""
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError as err:
        raise unreadable(path, err) from None
    return h.hexdigest()


#: The kind of output ``kvalitet ingest`` writes (named in its folder's marker).
VALIDATED_KIND = "validated data"


def write_validated_into(datasets: Datasets, raw_dir: Path, folder: Path, fingerprint: str | None = None) -> None:
    """The validated stage's files, written into ``folder`` (a private staging folder).

    The manifest names every input with its sha256, rows and warnings, and for every dataset
    the inputs it was made from (its lineage: a derived table re-runs when these change);
    ``fingerprint`` identifies the inputs and code the stage was made from
    (:mod:`analysis.pipeline`)."""
    for name, frame in sorted(datasets.frames.items()):
        frame.to_parquet(folder / f"{name}.parquet", index=False)
    manifest = {
        "stage": "validated",
        "fingerprint": fingerprint,
        "inputs": [
            {
                "file": r.path.relative_to(raw_dir).as_posix(),
                "kind": r.kind,
                "dataset": r.dataset,
                "rows": r.rows,
                "suppressed": r.suppressed,
                "sha256": sha256(r.path),
                "warnings": [published_note(str(w), raw_dir) for w in r.warnings],
            }
            for r in datasets.results
        ],
        "datasets": {
            name: {
                "rows": len(f),
                "sources": sorted(sha256(r.path) for r in datasets.results if name == r.dataset or name in r.also),
            }
            for name, f in sorted(datasets.frames.items())
        },
        # a file by its name, not by the adviser's folder (paths.published_note): the stage is
        # up to date wherever the raw folder is moved, and gives the same bytes from any folder
        "notes": [published_problem(n, raw_dir) for n in datasets.notes],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

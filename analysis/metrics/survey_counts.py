"""The one pass over the respondents: every cell checked and counted per group.

Everything published follows from counts (:mod:`analysis.metrics.survey_tables`): per *group*
(institution × faculty × programme × year, the finest unit of every output) and item, how many
respondents gave each answer 1–5, "vet ikke", a blank, or something that is not an answer; per
group and index, ``n``, Σ and Σ² of the respondents' index values. A faculty's or institution's
counts are its groups' counts added up.

How, at national scale (3 M respondents × 60 items on 2 cores) and in flat memory: every
respondent's group is numbered once from the key columns; then the items are read one column at
a time and a Parquet row group at a time, each cell turned into one small code
(:func:`analysis.metrics.survey.answer_codes`), and one ``np.bincount`` over
``group × CODES + code`` counts every code of every group in one pass. An index is computed from
its items as they are read (an index's items are read one after the other, by one thread), so
only its running sums per respondent are held. Two threads count columns at once
(:class:`_Counter`). The answers are never in memory together, and no pandas object is made
(:mod:`analysis.arrays`).

The counts are also the check of every cell: a cell that is not an answer, or a key that is
empty or not a year, is named with its row (``FILE:ROW:COLUMN: VALUE``), every problem of every
file is listed, and nothing is counted from a file with a problem.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from analysis.arrays import blank_of
from analysis.errors import InputError, Problem, listed_past_the_limit
from analysis.metrics.survey import (
    ANSWERS,
    BLANK,
    CODES,
    DONT_KNOW,
    DONT_KNOW_CELL,
    NOT_AN_ANSWER,
    answer_codes,
    respondent_index,
)
from analysis.parsing import INVISIBLE_HINT, invisible_inside, lost_zeros, short_code, whole_number_text
from analysis.programme_codes import CodeAt, spelling_problems
from analysis.readers.base import total_cell, total_row_problem
from analysis.readers.survey_raw import (
    FACULTY_KEY,
    INSTITUTION_KEY,
    KEYS,
    UNIT_KEYS,
    RespondentFile,
    cell_numbers,
    chunk_values,
    open_survey_respondents,
)
from schemas.survey_layout import FIRST_YEAR, LAST_YEAR, PROGRAMME_KEY, SOURCE_FILE, SOURCE_ROW, YEAR_KEY

if TYPE_CHECKING:  # (pandas and pandera are imported where a frame is made: this module is the fast path)
    from pandera.typing.pandas import DataFrame

    from schemas.studiebarometeret import SurveyRespondents
    from schemas.survey_results import SurveyFiles

#: The codes counted per group and item: answers 1–5 and "vet ikke" (blanks are counted per
#: item only; a cell that is not an answer stops the file).
COUNTED = [*ANSWERS, DONT_KNOW_CELL]
#: At most this many cells are listed per column; the rest are counted in one line.
MAX_PROBLEMS_PER_COLUMN = 50

#: Respondents per block when an index's sums are counted (a few MB of temporaries per block).
_SUMS_BLOCK = 1 << 18

#: The codes an answer may be, in the hints' words: the scale and NOKUT's code for "vet ikke"
#: (:data:`~analysis.metrics.survey.ANSWERS`, :data:`~analysis.metrics.survey.DONT_KNOW`).
_SCALE = f"{ANSWERS[0]}–{ANSWERS[-1]}"
_ANSWER_HINT = f"answers are {_SCALE}, {DONT_KNOW} (vet ikke) or blank; check the export or the column"
_YEAR = re.compile(r"\d{4}")  # (decimal zeros are dropped first: key_text)
#: DBH's code widths (institution 0211, faculty 040): a code of fewer digits lost its leading
#: zeros (a CSV saved again from Excel, a number column; :func:`analysis.parsing.lost_zeros`)
#: or is mistyped, and would be a unit of its own, apart from the same unit written in full in
#: another file or year (and its respondents never recognised as the same when the file is
#: delivered twice): either way the cell is refused.
_CODE_WIDTH = {INSTITUTION_KEY: 4, FACULTY_KEY: 3}


@dataclass
class GroupCounts:
    """What the respondents of every group gave, for the items and indices asked about."""

    #: key -> per group its code (stripped text) or year (int); None where the group's file has
    #: no such column
    keys: dict[str, list]
    #: groups × items × COUNTED (answers 1–5, "vet ikke"): uint16 or int32 (:func:`_count_type`)
    answers: np.ndarray
    #: groups × indices: respondents with an index value, and Σ and Σ² of their values times
    #: the index's ``index_scale`` (whole numbers, exact within the bounds of :func:`index_scale`)
    index_n: np.ndarray
    index_sum: np.ndarray
    index_squares: np.ndarray
    #: groups × indices: respondents who answered some of the index's items their file has but
    #: not all (what
    #: the index and its items, set side by side, say something about: ``linked_cells``)
    index_partial: np.ndarray
    #: per index, the whole number its values are multiplied by in ``index_sum`` and ``index_squares``
    index_scale: np.ndarray
    #: per file, what a reader notes (dont_know, blank, …)
    notes: list[dict] = field(default_factory=list)
    #: groups × indices: respondents who answered every item of the index their file has, where
    #: their file lacks one that another file of their institution and year has (None: none
    #: does). The index weighs their answers by one over fewer items than those of the other
    #: file, so beside the items they are as those who skipped one (``linked_cells``, rule 7)
    index_short: np.ndarray | None = None
    #: per institution code (None: files without ``institusjonskode``), the item columns of the
    #: files with its respondents
    institution_items: dict[str | None, frozenset[str]] = field(default_factory=dict)


def count_groups(
    files: list[RespondentFile], items: list[str], indices: dict[str, tuple[str, ...]], max_missing: int
) -> GroupCounts:
    """Check and count every file's answers per group (see the module's docstring).

    Args:
        files: opened respondent files (or frames adapted to one).
        items: the items to count, in output order (an item a file lacks counts nothing there).
        indices: index name -> its items (an item a file lacks is missing for its respondents).
        max_missing: ``survey.index_max_missing``.

    Raises:
        InputError: every problem of every file (cells that are not answers, empty codes,
            years that are not survey years), each naming file, row, column and value.
    """
    parts, problems = [], []
    for file in files:
        try:
            parts.append(_count_file(file, items, indices, max_missing))
        except InputError as err:
            problems.extend(err.problems)
    if problems:
        raise InputError(problems)
    problems = programme_spellings(files, [part["keys"] for part in parts])
    if problems:
        raise InputError(problems)
    return GroupCounts(
        keys={k: [v for part in parts for v in part["keys"][k]] for k in KEYS},
        answers=_stacked([part["answers"] for part in parts]),
        index_n=_stacked([part["index"][0] for part in parts]),
        index_sum=_stacked([part["index"][1] for part in parts]),
        index_squares=_stacked([part["index"][2] for part in parts]),
        index_partial=_stacked([part["index"][3] for part in parts]),
        index_scale=np.array([index_scale(len(members), max_missing) for members in indices.values()], dtype=float),
        notes=[part["notes"] for part in parts],
        index_short=_short_of_items(files, parts, indices),
        institution_items=_institution_items(files, parts),
    )


def _institution_items(files: list[RespondentFile], parts: list[dict]) -> dict[str | None, frozenset[str]]:
    """Per institution code, the item columns of the files with its respondents (a file's
    institutions: its groups')."""
    out: dict[str | None, set[str]] = {}
    for file, part in zip(files, parts):
        for institution in set(part["keys"][INSTITUTION_KEY]):
            out.setdefault(institution, set()).update(file.items)
    return {institution: frozenset(items) for institution, items in out.items()}


def _short_of_items(
    files: list[RespondentFile], parts: list[dict], indices: dict[str, tuple[str, ...]]
) -> np.ndarray | None:
    """Per group × index, the respondents who answered every item of the index their file has,
    where another file with respondents of the same institution and year has an item of it
    that their file lacks (:attr:`GroupCounts.index_short`); None where no group has such. Two
    files of one year and institution that ask different items (a faculty's file without one
    of them): a respondent of the file with two of the three items adds its answers s to the
    items and s/2 to the index, one of the other file s and s/3, so the items and the index of
    the hidden units under a shown parent set those apart, each group once (an attack,
    2026-12-05: a hidden programme's index of two respondents from its faculty)."""
    if len(files) < 2:
        return None  # one file asks the same items of everyone
    has = [[frozenset(m for m in members if m in file.items) for members in indices.values()] for file in files]
    places = [list(zip(part["keys"][INSTITUTION_KEY], part["keys"][YEAR_KEY])) for part in parts]
    asked: dict[tuple, list[frozenset]] = {}
    for of_file, at in zip(has, places):
        for place in set(at):
            union = asked.setdefault(place, [frozenset()] * len(of_file))
            asked[place] = [a | b for a, b in zip(union, of_file)]
    # per file, its places' rows (a few), then each group's as its place's
    short_at = [
        {place: [a < b for a, b in zip(of_file, asked[place])] for place in set(at)} for of_file, at in zip(has, places)
    ]
    if not any(any(row) for of_file in short_at for row in of_file.values()):
        return None  # (as nearly always: every file of a place asks the same items)
    short = []
    for part, at, rows in zip(parts, places, short_at):
        order = list(rows)
        position = {place: k for k, place in enumerate(order)}
        table = np.array([rows[place] for place in order], dtype=bool).reshape(len(order), len(indices))
        short.append(part["index"][4] * table[np.fromiter((position[p] for p in at), dtype=np.int64, count=len(at))])
    return _stacked(short)


def programme_spellings(files: Sequence[RespondentFile], keys: Sequence[dict[str, list]]) -> list[Problem]:
    """A programme code written two ways in one institution in one run (``001001`` and ``1001``:
    a file saved again from Excel lost the leading zeros; ``MA0001`` and ``ma0001``: an export
    tool lower-cased it) would be two programmes, and the programme's year-on-year changes would
    be lost without a word: an error naming both spellings (the one rule:
    :func:`analysis.programme_codes.spelling_problems`). ``keys``: each file's groups' keys
    (:attr:`GroupCounts.keys` of the file), so that ``kvalitet validate``, which counts file by
    file, asks the same."""
    return spelling_problems(
        (
            CodeAt(institution, code, str(file.path), None, file.keys.get(PROGRAMME_KEY, PROGRAMME_KEY))
            for file, of_file in zip(files, keys)
            for institution, code in zip(of_file[INSTITUTION_KEY], of_file[PROGRAMME_KEY])
        ),
        "NOKUT delivers it",
        "and its changes from year to year would be lost",
    )


def index_scale(n_items: int, max_missing: int) -> int:
    """The whole number an index's values are multiplied by before they are added up: the
    least common multiple of the numbers of items a respondent with a value can have answered.
    A value is (sum of answers) / answered, so scaled it is a whole number, and so are the Σ
    and Σ² of a unit's scaled values: exact in float64 (below 2^53: e.g. 3 M respondents of a
    five-item index, scale ≤ 60, stay below 10^12), in any order of adding. Exact sums matter:
    a cell whose respondents all have the same value, 10/3, has the sd 0 exactly (and no Welch
    test), not 5e-8 and a "significant" change. An index whose multiple passes _EXACT_SCALE
    (e.g. 17 items with up to 7 missing: the multiple of 10 … 17 is 12 252 240) has no
    whole-number form worth keeping: 1, its values added up as they are. Then, and in a unit of
    more than 2^53 / (25 × scale²) respondents, a cell whose values are all the same may get an
    sd of ~1e-8 instead of 0 (the indices of Studiebarometeret have at most six items)."""
    valued = _answered_with_value(n_items, max_missing)
    scale = math.lcm(*valued.tolist()) if len(valued) else 1
    return scale if scale <= _EXACT_SCALE else 1


def _answered_with_value(n_items: int, max_missing: int) -> np.ndarray:
    """The numbers of items answered that give a respondent a value (:func:`respondent_index`)."""
    answered = np.arange(n_items + 1)
    return answered[~np.isnan(respondent_index(np.ones(n_items + 1), answered, n_items, max_missing))]


#: The largest :func:`index_scale` (the multiple of 1 … 16 is 720 720, of 1 … 17 twelve million).
#: A scaled value is at most 5 × the scale, so a unit's Σ² stays below 2^53 (exact) up to
#: 2^53 / (25 × scale²) respondents: 10^11 for a five-item index (scale ≤ 60), ~700 at 720 720
_EXACT_SCALE = 1 << 20


def _stacked(parts: list[np.ndarray]) -> np.ndarray:
    """The files' group tables one under the other; one file's as it is (a national table is
    ~30 MB: no copy of it beside it)."""
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _count_file(file: RespondentFile, items: list[str], indices: dict[str, tuple[str, ...]], max_missing: int) -> dict:
    group, keys, problems = respondent_groups(file)
    groups = len(keys[PROGRAMME_KEY])
    counted_as = _count_type(group, groups)
    # (the counter turns ``group`` into its counting base in place: no second 3 M-long array)
    counter = _Counter(file, group, groups, items, indices, max_missing, counted_as, check_only=bool(problems))
    del group
    problems += counter.run(_tasks(file, items, indices))
    # a total row (a Parquet file's "Totalt" programme: a CSV's is refused as it is opened) is
    # said once, at its word: not also as its summed answers that are none ("12") or its other
    # keys left empty
    totals = [p for p in problems if p.column in KEYS and total_cell(key_text(p.value), names_the_row=True)]
    if totals:
        rows = {p.row for p in totals}
        problems = totals + [p for p in problems if p.row not in rows]
    if problems:
        problems.sort(key=lambda p: (p.row if p.row is not None else -1, p.column or ""))
        raise InputError(problems)
    answers = counter.answers
    own = [items.index(i) for i in items if i in file.items]
    dont_know = answers[:, own, -1].sum(axis=0)
    return {
        "keys": keys,
        "answers": answers,
        "index": counter.index,
        "notes": {
            "format": file.fmt,
            "items": list(file.items),
            "unit_columns": [k for k in UNIT_KEYS if k in file.keys],
            "dont_know": int(dont_know.sum()),
            "dont_know_by_item": {items[j]: int(n) for j, n in zip(own, dont_know)},
            "blank": int(counter.blank.sum()),
            "ignored_columns": list(file.ignored),
            **file.notes,
        },
    }


class _Task(NamedTuple):
    """Columns one thread reads, checks and counts in order, and the indices (by position) whose
    items are all among them."""

    columns: list[str]
    indices: list[int]


def _tasks(file: RespondentFile, items: list[str], indices: dict[str, tuple[str, ...]]) -> list[_Task]:
    """The file's columns as tasks: an index's items in one task (its running sums are then one
    thread's, and live only while that task runs; indices that share an item share a task),
    every other item a task of its own. Columns in the order of the indices, then the items."""
    order = list(
        dict.fromkeys(
            [
                *(m for members in indices.values() for m in members if m in file.items),
                *(i for i in items if i in file.items),
            ]
        )
    )
    joined: list[tuple[set[str], list[int]]] = []  # per task: its columns, its indices
    for j, members in enumerate(indices.values()):
        columns, positions = {m for m in members if m in file.items}, [j]
        for task in [task for task in joined if task[0] & columns]:
            joined.remove(task)
            columns |= task[0]
            positions = task[1] + positions
        joined.append((columns, positions))
    tasks = [_Task([c for c in order if c in columns], positions) for columns, positions in joined if columns]
    tasks.sort(key=lambda task: order.index(task.columns[0]))
    in_a_task = {c for task in tasks for c in task.columns}
    return tasks + [_Task([c], []) for c in order if c not in in_a_task]


class _Counter:
    """One file's counts, filled by tasks (:func:`_tasks`) that run in two threads.

    NOTE: two threads earn ~1 s at 3 M respondents: reading and counting the 60 columns took
    3.9, 3.2 and 3.5 s against 5.6, 4.4 and 3.8 s with one reader thread feeding one counting
    thread (three pairs, in turn): Arrow decodes and numpy codes and adds without the GIL, so one
    task reads while the other counts (``np.bincount`` holds the GIL, and is the short part).
    Their memory costs nothing extra only with one glibc arena for all threads
    (``commands/survey._return_freed_memory``). Tasks share nothing they write: each fills its
    own columns of ``answers`` and ``index``, and an index's running sums are its task's."""

    #: threads counting at once (this machine's cores; more only wait for the GIL)
    THREADS = 2

    def __init__(self, file, group, groups, items, indices, max_missing, counted_as, *, check_only: bool):
        self.file, self.items, self.max_missing = file, items, max_missing
        self.groups = groups
        base = group  # group × CODES (in place): a cell's counting key is then base + its code
        base *= CODES
        self.base = base
        # per group × item: answers 1–5 and "vet ikke" (a count is at most the group's
        # respondents: ``counted_as``, :func:`_count_type`)
        self.answers = np.zeros((groups, len(items), len(COUNTED)), dtype=counted_as)
        self.blank = np.zeros(len(items), dtype=np.int64)
        self.index = np.zeros((5, groups, len(indices)))
        self.indices = list(indices.values())
        # set when a cell is not an answer: the tasks then only check, so that all are listed
        self.failed = threading.Event()
        if check_only:
            self.failed.set()
        # set when the run is given up (an unreadable file, Ctrl-C): the tasks stop at their next piece
        self.stop = threading.Event()

    def run(self, tasks: list[_Task]) -> list[Problem]:
        """Run the tasks, two at a time; their problems, in task order."""
        if len(tasks) < 2:
            return [p for task in tasks for p in self.count(*task)]
        pool = ThreadPoolExecutor(max_workers=self.THREADS, thread_name_prefix="count")
        try:
            found = [pool.submit(self.count, *task) for task in tasks]
            return [p for future in found for p in future.result()]
        finally:  # a Ctrl-C or an unreadable file: the tasks running stop, the others are dropped
            self.stop.set()
            pool.shutdown(wait=True, cancel_futures=True)

    def count(self, columns: list[str], positions: list[int]) -> list[Problem]:
        """Check and count the task's columns, in order; its indices' sums when complete. A
        task that fails (an unreadable file) stops the others at their next piece."""
        try:
            return self._count(columns, positions)
        except BaseException:
            self.stop.set()
            raise

    def _count(self, columns: list[str], positions: list[int]) -> list[Problem]:
        file = self.file.reopened()  # Arrow's file reader is not made for two threads at once
        running = {j: _Index(self.indices[j], file) for j in positions}
        problems: list[Problem] = []
        key = np.empty(0, dtype=np.int64)  # a cell's counting key, in bincount's own type (no copy per call)
        for item in columns:
            table = np.zeros(self.groups * CODES, dtype=np.int64)
            bad: list[tuple[int, object]] = []  # (row position, value) of the first cells that are not answers
            bad_count = 0
            # a piece (a Parquet row group) at a time: the temporaries are a piece long
            for start, chunk, codes in _pieces(file, item, self.stop):
                where = np.flatnonzero(codes == NOT_AN_ANSWER)
                bad_count += where.size
                bad += [
                    (start + int(k), chunk[int(k)].as_py()) for k in where[: MAX_PROBLEMS_PER_COLUMN + 1 - len(bad)]
                ]
                if bad:
                    self.failed.set()
                if self.failed.is_set():
                    continue  # every cell is still checked, so that all problems are listed
                if len(key) < len(codes):
                    key = np.empty(len(codes), dtype=np.int64)
                cells = key[: len(codes)]
                np.add(self.base[start : start + len(codes)], codes, out=cells)
                table += np.bincount(cells, minlength=table.size)
                for state in running.values():
                    state.add(item, codes, start)
            if self.stop.is_set():
                return problems  # the run is given up: what this task found is not used
            problems += _not_answers(file, item, bad, bad_count)
            if self.failed.is_set():
                continue
            counted = table.reshape(self.groups, CODES)
            if item in self.items:
                j = self.items.index(item)
                self.answers[:, j] = counted[:, COUNTED]
                self.blank[j] = counted[:, BLANK].sum()
            for j, state in running.items():
                if state.done(item):
                    self.index[:, :, j] = state.sums(self.base, self.groups, self.max_missing)
        return problems


def _pieces(file: RespondentFile, name: str, stop: threading.Event) -> Iterator[tuple[int, Any, np.ndarray]]:
    """A column a piece (a Parquet row group's chunk) at a time: the position of the piece's
    first row, its cells as a one-chunk column, their answer codes. Ends early, before the next
    piece is read, when ``stop`` is set."""
    import pyarrow as pa

    start = 0
    for piece in range(len(file.pieces)):
        if stop.is_set():
            return
        for chunk in file.read([name], piece).column(0).chunks:
            cells = pa.chunked_array([chunk])
            yield start, cells, answer_codes(*cell_numbers(cells))
            start += len(chunk)


class _Index:
    """One index while its items are read: per respondent, how many of its items it answered
    and the sum of those answers (the two numbers its index value depends on)."""

    def __init__(self, members: tuple[str, ...], file: RespondentFile):
        self.members = members
        self.left = {m for m in members if m in file.items}  # an item the file lacks: missing
        self.present = len(self.left)
        self.rows = file.rows
        self.total: np.ndarray | None = None
        self.answered: np.ndarray | None = None

    def add(self, item: str, codes: np.ndarray, start: int) -> None:
        """Add an item's answers for the respondents from ``start`` on."""
        if item not in self.left:
            return
        if self.total is None or self.answered is None:  # the index's first item
            self.total, self.answered = np.zeros(self.rows, np.int16), np.zeros(self.rows, np.int8)
        answered = (codes >= ANSWERS[0]) & (codes <= ANSWERS[-1])
        stop = start + len(codes)
        # (codes × answered, and adding the bools as int8: ~4× faster than np.where and a cast)
        np.add(self.total[start:stop], codes * answered, out=self.total[start:stop])
        np.add(self.answered[start:stop], answered, out=self.answered[start:stop], casting="unsafe")

    def done(self, item: str) -> bool:
        """Note that ``item`` was read; True when it was the index's last item."""
        if item not in self.left:
            return False
        self.left.discard(item)
        return not self.left

    def sums(self, base: np.ndarray, groups: int, max_missing: int) -> np.ndarray:
        """Per group: respondents with an index value, Σ and Σ² of their values times
        :func:`index_scale` (whole numbers), the respondents who answered some of the index's
        items in the file but not all, and those who answered all of them.

        A respondent's value is the sum of its answers over how many it answered, ``a``
        (:func:`respondent_index`), so per group and ``a`` the respondents, the Σ and the Σ² of
        their sums of answers (whole numbers) give everything: Σ scale·value = Σ_a (Σ sums)·scale/a
        and Σ (scale·value)² = Σ_a (Σ sums²)·(scale/a)², over the ``a`` the index rule gives a
        value. Three ``bincount`` over groups × ``a``, a block of respondents at a time (a few
        MB), and the rule applied to the few ``a``, not to millions of respondents."""
        assert self.total is not None and self.answered is not None, "sums() before the index's items were added"
        per = len(self.members) + 1  # answered 0 … all the index's items
        cells = groups * per
        respondents, sums, squares = np.zeros(cells), np.zeros(cells), np.zeros(cells)
        for lo in range(0, self.rows, _SUMS_BLOCK):
            hi = lo + _SUMS_BLOCK
            key = np.floor_divide(base[lo:hi], CODES, dtype=np.int64)  # the respondents' groups
            key *= per
            key += self.answered[lo:hi]
            total = self.total[lo:hi].astype(np.float64)
            respondents += np.bincount(key, minlength=cells)
            sums += np.bincount(key, weights=total, minlength=cells)
            total *= total
            squares += np.bincount(key, weights=total, minlength=cells)
        self.total = self.answered = None
        valued = _answered_with_value(len(self.members), max_missing)
        weight = index_scale(len(self.members), max_missing) / valued  # scale × value per unit of sum
        # (those who skipped one of the items the file has: a respondent of a file without one
        # of the items answered all the others, and the figure that cancels them is then the
        # items' Σ less the number of items *in the file* × the index's Σ)
        partial = respondents.reshape(groups, per)[:, 1 : self.present].sum(axis=1)
        complete = respondents.reshape(groups, per)[:, self.present]
        respondents, sums, squares = (x.reshape(groups, per)[:, valued] for x in (respondents, sums, squares))
        return np.stack([respondents.sum(axis=1), sums @ weight, squares @ (weight * weight), partial, complete])


def _count_type(group: np.ndarray, groups: int) -> type:
    """The type of a group's answer counts: 16 bits when no group has 65 536 respondents (a
    programme × year never has), else 32. NOTE: the counts of 3 M respondents × 60 items are
    then 14 MB, not 28, in the stage whose peak is the command's (counting)."""
    size = np.zeros(groups, dtype=np.int64)
    for lo in range(0, len(group), _SUMS_BLOCK):  # (bincount takes int64: a block at a time)
        size += np.bincount(group[lo : lo + _SUMS_BLOCK], minlength=groups)
    return np.uint16 if size.max(initial=0) < 1 << 16 else np.int32


#: What a program writes for a missing answer (R's NA, SPSS's #NULL! in Excel, pandas' nan),
#: compared without case: refused with how to export a blank, never read as one (a guess).
MISSING_MARKS = frozenset({"na", "n/a", "nan", "null", "#null!", "#n/a", "none"})


def _not_an_answer(value: object) -> tuple[str, str]:
    """What is wrong with a cell that is not an answer, and what to do. Words ("Vet ikke",
    "Helt enig") are an answer's label: the file was exported with value labels (SPSS and
    NOKUT's tools offer both), and the codes are what is counted."""
    if isinstance(value, str) and value.strip().casefold() in MISSING_MARKS:
        return (
            "not a valid answer: a mark for a missing answer",
            'leave a missing answer blank: in R write.csv(…, na = ""); from SPSS export to CSV, not Excel',
        )
    if isinstance(value, str) and any(c.isalpha() for c in value):
        return (
            "not a valid answer: an answer's label, not its code",
            f"export the data with values, not value labels: {_SCALE}, and {DONT_KNOW} for vet ikke",
        )
    return "not a valid answer", _ANSWER_HINT


def _not_answers(file: RespondentFile, item: str, bad: list[tuple[int, object]], count: int) -> list[Problem]:
    """A column's cells that are not answers, by row: ``bad``, the first (row position, value)
    pairs, at most MAX_PROBLEMS_PER_COLUMN listed; ``count``, how many there are."""
    problems = [
        Problem(str(file.path), file.row(pos), item, value, *_not_an_answer(value))
        for pos, value in bad[:MAX_PROBLEMS_PER_COLUMN]
    ]
    if count > MAX_PROBLEMS_PER_COLUMN:
        pos, value = bad[MAX_PROBLEMS_PER_COLUMN]
        what, hint = _not_an_answer(value)
        more = count - MAX_PROBLEMS_PER_COLUMN - 1
        if more and hint == _ANSWER_HINT:
            hint = "is this the right column? " + hint
        first = Problem(str(file.path), file.row(pos), item, value, what, hint)
        problems.append(listed_past_the_limit(first, more, "in this column with invalid answers"))
    return problems


# --------------------------------------------------------------------------------------------
# Groups: every respondent numbered by its institution × faculty × programme × year


def respondent_groups(file: RespondentFile) -> tuple[np.ndarray, dict[str, list], list[Problem]]:
    """Every respondent's group (int32), the groups' keys (codes stripped, years as int; None
    for a key the file lacks) and the problems in the key columns (empty codes, bad years).

    Groups are numbered in the order of their keys (institution, faculty, programme, year)."""
    problems: list[Problem] = []
    group = np.zeros(file.rows, dtype=np.int32)
    steps = []  # per key present: its values, and the (group so far, value) pairs that occur
    for key in KEYS:
        if key in file.keys:
            column = file.read([file.keys[key]]).column(0)
            ids, values, bad, count, lost = _key_ids(key, column)
            problems += _key_problems(file, key, column, bad, count, lost)
            del column
            group, occurring = _pairs(group, ids, len(values))
            steps.append((key, values, occurring))
    # a group's number stands for a pair (earlier number, value): undone from the last key back
    keys: dict[str, list] = {k: [None] * (int(group.max(initial=-1)) + 1) for k in KEYS}
    number = np.arange(len(keys[PROGRAMME_KEY]))
    for key, values, occurring in reversed(steps):
        pair = occurring[number]
        keys[key] = [values[i] for i in pair % len(values)]
        number = pair // len(values)
    return group, keys, problems


def _key_ids(key: str, column) -> tuple[np.ndarray, list, np.ndarray, int, list[tuple[int, int]]]:
    """A key column as ids (positions in its sorted distinct cleaned values), the values, the
    positions of the first bad cells (their id is 0, so that counting can go on to list
    problems: :data:`MAX_PROBLEMS_PER_COLUMN` and the first past it), how many bad cells there
    are, and for each code that lost its leading zeros its first position and how many rows
    have it (these cells are bad too, but said once per code: a re-saved file has the code in
    every row; the others are named as mistyped).

    Each chunk (Parquet row group) keeps its own dictionary: its few codes are cleaned and
    mapped, and its rows take their ids from that small table (no unified copy of the column)."""
    chunks = [_as_dictionary(chunk) for chunk in column.chunks]
    lost = sorted(_lost_zeros(key, column, chunks)) if key in _CODE_WIDTH else []
    lost_id = {code: -2 - k for k, code in enumerate(lost)}  # -1: any other bad cell
    cleaned = [[clean_key(key, word) for word in words] for words, _ in chunks]
    values: list[Any] = sorted({c for words in cleaned for c in words if c is not None})
    id_of = {v: k for k, v in enumerate(values)}
    per_row = np.empty(len(column), dtype=np.int32)
    start = 0
    for chunk, (words, indices), clean in zip(column.chunks, chunks, cleaned):
        word_ids = [lost_id.get(key_text(w), -1) if c is None else id_of[c] for w, c in zip(words, clean)]
        ids = np.array([*word_ids, -1], dtype=np.int32)  # the last: a null cell
        blank = blank_of(chunk)
        if blank is not None:
            indices = np.where(blank, len(words), indices)
        ids.take(indices, out=per_row[start : start + len(chunk)])
        start += len(chunk)
    bad = np.flatnonzero(per_row == -1)
    lost_rows = np.flatnonzero(per_row < -1)
    _, first, rows = np.unique(per_row[lost_rows], return_index=True, return_counts=True)
    # (np.unique sorts the ids -2, -3, … from the last code: put back in the order of the rows)
    said = sorted(zip(lost_rows[first].tolist(), rows.tolist()))
    np.maximum(per_row, 0, out=per_row)
    return per_row, values or [None], bad[: MAX_PROBLEMS_PER_COLUMN + 1], len(bad), said


def _lost_zeros(key: str, column, chunks: list[tuple[list, np.ndarray]]) -> set[str]:
    """The codes of a DBH code column that lost their leading zeros (the rule:
    :func:`analysis.parsing.lost_zeros`), from how many rows have each of its distinct codes
    (one ``np.bincount`` per chunk over the chunk's dictionary positions)."""
    rows_of: dict[str, int] = {}
    for chunk, (words, indices) in zip(column.chunks, chunks):
        blank = blank_of(chunk)
        rows = np.bincount(indices if blank is None else indices[~blank], minlength=len(words))
        for word, n in zip(words, rows.tolist()):
            if n:
                text = key_text(word)
                rows_of[text] = rows_of.get(text, 0) + n
    return lost_zeros(rows_of, _CODE_WIDTH[key])


def _as_dictionary(chunk) -> tuple[list, np.ndarray]:
    """A key column's chunk as its distinct values and each row's position among them (a null
    row's position is any). A Parquet text column is read as a dictionary already; a column of
    whole numbers of at most 16 bits (the year, int16) is looked up in a table of its span; a
    wider one (a code stored as int64, 5 000 000 000) is encoded by Arrow, as it was (a second
    reader: its offsets overflowed int32).

    NOTE: the year's numbers without Arrow's compute module (``dictionary_encode``): that module's
    import and the encoding took ~0.05 s at 3 M respondents, in the one-threaded start of
    ``kvalitet survey`` (the groups, before the counting)."""
    import pyarrow as pa

    if pa.types.is_dictionary(chunk.type):
        return chunk.dictionary.to_pylist(), chunk_values(chunk.indices)
    if pa.types.is_integer(chunk.type) and chunk.type.bit_width <= 16 and not chunk.null_count and len(chunk):
        number = chunk_values(chunk)
        low = int(number.min())
        span = int(number.max()) - low + 1
        if span <= 1 << 16:
            offset = np.subtract(number, low, dtype=np.int32)
            seen = np.zeros(span, dtype=bool)
            seen[offset] = True
            position = np.cumsum(seen, dtype=np.int32) - 1
            return (np.flatnonzero(seen) + low).tolist(), position.take(offset, out=offset)
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(chunk)
    return encoded.dictionary.to_pylist(), chunk_values(encoded.indices)


def key_text(value: object) -> str:
    """A key cell as stripped text (a whole number stored as a float as the whole number, be it
    a float or its text): the one spelling of a code, here and where the integration scores look
    up this pass's decisions (:mod:`analysis.metrics.integration`)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # NOTE: a code column with blanks saved from pandas or R is a float column, written to CSV
    # as 1110.0 and 80.0 (80: faculty 080 without its zeros): the code it holds, as in a
    # Parquet file of the same floats, not a unit of its own beside 1110 (a real-file hunt,
    # 2026-12-04: 1110.0 and 80.0 were an institution and a faculty apart, without a word)
    return "" if value is None else whole_number_text(str(value), grouped=False)


def _short(key: str, text: str) -> bool:
    """A DBH institution or faculty code of digits only, shorter than DBH writes it."""
    return key in _CODE_WIDTH and short_code(text, _CODE_WIDTH[key])


def clean_key(key: str, value: object) -> object:
    """A key cell cleaned: a code as stripped text (leading zeros kept), a year as int; None
    when it is empty, a DBH code too short (:func:`_short`), a total row's word or not a survey year."""
    text = key_text(value)
    if total_cell(text, names_the_row=True):
        return None  # a "Totalt" row is no unit (a CSV's is refused as it is opened; a Parquet file's here)
    if key != YEAR_KEY:
        return None if _short(key, text) or invisible_inside(text) else text or None
    return int(text) if _YEAR.fullmatch(text) and FIRST_YEAR <= int(text) <= LAST_YEAR else None


def _key_problems(
    file: RespondentFile, key: str, column, bad: np.ndarray, count: int, lost: list[tuple[int, int]]
) -> list[Problem]:
    """The problems of a key column: a code that lost its leading zeros once, at its first row
    (``lost``: its position and how many rows have it; a re-saved file has it in every row),
    then the other bad cells (``bad``, the first of ``count``) cell by cell, at most
    :data:`MAX_PROBLEMS_PER_COLUMN`, the first past them counting the rest
    (:func:`~analysis.errors.listed_past_the_limit`)."""
    problems: list[Problem] = []
    for position, rows in lost:
        problem = _key_problem(file, key, column, position, lost=True)
        if rows > 1:
            problem = replace(problem, message=f"{problem.message}; {rows} rows of this column have it")
        problems.append(problem)
    problems += [_key_problem(file, key, column, pos, lost=False) for pos in bad[:MAX_PROBLEMS_PER_COLUMN]]
    if count > MAX_PROBLEMS_PER_COLUMN:
        first = _key_problem(file, key, column, bad[MAX_PROBLEMS_PER_COLUMN], lost=False)
        what = f"whose {'year' if key == YEAR_KEY else 'code'} in this column cannot be read"
        problems.append(listed_past_the_limit(first, count - MAX_PROBLEMS_PER_COLUMN - 1, what))
    return problems


def _key_problem(file: RespondentFile, key: str, column, position: int, lost: bool) -> Problem:
    value = column[int(position)].as_py()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = key_text(value)
    if total_cell(text, names_the_row=True):
        last = int(position) == file.rows - 1
        return total_row_problem(
            file.path, file.row(position), key, text, "below the table" if last else "in the table"
        )
    if key != YEAR_KEY and (what := invisible_inside(text)) is not None:
        return Problem(str(file.path), file.row(position), key, text, what, INVISIBLE_HINT)
    if key != YEAR_KEY and _short(key, text):
        width = _CODE_WIDTH[key]
        full = text.zfill(width)
        if lost:
            what = f": its leading zeros are lost ({full}?), and it would count as a unit apart from {full}"
            hint = f"keep codes as text so leading zeros stay (in Excel: format the column as text); write {full}"
        else:
            # no other row of the file has it written in full: a digit missing, not a lost zero
            # (lost zeros are decided per file, so "of this file": another file may have it)
            what = f", and no other row of this file has {full}: the code is mistyped"
            hint = f"write the unit's code as DBH writes it, with {width} digits"
        return Problem(
            str(file.path),
            file.row(position),
            key,
            text,
            f"a DBH code of {width} digits written with {len(text)}{what}",
            hint,
        )
    if key == YEAR_KEY:
        return Problem(
            str(file.path),
            file.row(position),
            key,
            value,
            f"not a survey year ({FIRST_YEAR}–{LAST_YEAR})",
            "write the year with four digits, e.g. 2025",
        )
    return Problem(
        str(file.path),
        file.row(position),
        key,
        None,
        "the code is missing",
        "every respondent needs a programme key and a year; fill it in or remove the row",
    )


def _pairs(first: np.ndarray, second: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Number the pairs (first, second) densely in sorted order (int32, in ``first``'s place when
    the pairs fit in 32 bits); also the pairs that occur, as ``first × size + second``, by number."""
    pair = first if (int(first.max(initial=0)) + 1) * size < 2**31 else first.astype(np.int64)
    pair *= size
    pair += second
    seen = np.zeros(int(pair.max(initial=0)) + 1, dtype=bool)
    seen[pair] = True
    number = np.cumsum(seen, dtype=np.int32) - 1
    occurring = np.flatnonzero(seen)
    if pair.dtype == np.int32:
        return number.take(pair, out=pair), occurring
    return number.take(pair), occurring


# --------------------------------------------------------------------------------------------
# The whole file as a frame (ingest, the notebooks), and a frame as a file


def read_survey_respondents(path: Path | str):
    """Read a respondent-level file (Parquet, CSV or XLSX) into a validated frame (ingest, the
    notebooks; ``kvalitet survey`` counts a file without making one).

    Returns:
        A ``ReadResult`` whose frame satisfies ``SurveyRespondents``: the unit columns present
        (categorical of text), ``studprog_kod`` (str), ``aar`` (Int16) and one nullable ``Int16``
        column per item (1–5, 9999 "vet ikke"), in file order. ``notes`` holds ``dont_know`` (number of 9999 answers),
        ``dont_know_by_item``, ``blank``, ``items``, ``unit_columns``, ``ignored_columns`` and
        ``format``.

    Raises:
        InputError: every problem found, each naming file, row, column and value.
    """
    return respondent_frame(open_survey_respondents(path))


def respondent_frame(file: RespondentFile):
    """The file's respondents as a validated ``SurveyRespondents`` frame in a ``ReadResult``:
    every cell checked by counting first (problems raised as :func:`count_groups` does), then
    the answers as nullable Int16 (1–5, 9999 "vet ikke"; a blank missing), in file order."""
    import pandas as pd

    from analysis.readers.base import ReadResult, validate
    from schemas.studiebarometeret import SurveyRespondents

    notes = count_groups([file], list(file.items), {}, 0).notes[0]
    group, keys, _ = respondent_groups(file)
    columns: dict[str, Any] = {}
    for key in (*UNIT_KEYS, PROGRAMME_KEY):
        if key in file.keys:
            categories = sorted(set(keys[key]))
            codes = np.array(
                [categories.index(v) for v in keys[key]]
                if len(categories) < 64
                else pd.Index(categories).get_indexer(keys[key]),
                dtype=np.int32,
            )
            # NOTE: institution and faculty codes repeat over millions of rows but take a few
            # hundred values: categorical saves ~40 MB per column at 3 M rows
            columns[key] = pd.Categorical.from_codes(codes[group], categories=pd.Index(categories, dtype="str"))
    columns[PROGRAMME_KEY] = pd.Series(columns[PROGRAMME_KEY]).astype("str")
    columns[YEAR_KEY] = pd.array(np.asarray(keys[YEAR_KEY], dtype=np.int16)[group], dtype="Int16")
    for item in file.items:
        codes = answer_codes(*cell_numbers(file.read([item]).column(0)))
        answer = (codes >= ANSWERS[0]) & (codes <= ANSWERS[-1])
        dont_know = codes == DONT_KNOW_CELL
        values = np.where(answer, codes, np.where(dont_know, DONT_KNOW, 0)).astype(np.int16)
        columns[item] = pd.arrays.IntegerArray(values, ~(answer | dont_know))
    rows = np.asarray(file.lines) if file.lines is not None else np.arange(1, file.rows + 1)
    # each row's file and row, as every validated dataset keeps them: respondents are counted
    # file by file again from the frame (:func:`respondent_files`), and a problem names them
    columns[SOURCE_FILE] = pd.Categorical.from_codes(
        np.zeros(file.rows, dtype=np.int8), categories=pd.Index([str(file.path)], dtype="str")
    )
    columns[SOURCE_ROW] = pd.array(rows, dtype="Int64")
    frame = validate(SurveyRespondents, pd.DataFrame(columns), file.path, pd.Series(rows))
    return ReadResult(file.path, file.kind, file.dataset, frame, file.warnings, notes)


def respondents_from_frame(frame, name: str = "(respondents)", lines=None) -> RespondentFile:
    """A validated ``SurveyRespondents`` frame, counted like one file named ``name`` whose rows
    are numbered ``lines`` (by position; default: as in a CSV file, the header row 1)."""
    import pyarrow as pa

    from schemas.survey_layout import item_columns

    keys = {k: k for k in KEYS if k in frame.columns}
    items = item_columns(frame.columns)
    table = pa.Table.from_pandas(frame[[*keys, *items]], preserve_index=False)
    if lines is None:
        lines = np.arange(2, len(frame) + 2)
    # a validated frame keeps "vet ikke" as 9999, so its cells read as a file's do
    return RespondentFile(Path(name), "frame", keys, items, len(frame), table=table, lines=lines)


def respondent_files(frame) -> list[RespondentFile]:
    """A validated ``SurveyRespondents`` frame counted as the files its rows come from: one
    :class:`RespondentFile` per ``source_file`` (in the order of the rows), named by it, its
    rows numbered by ``source_row``, so that what ``kvalitet survey a b`` counts file by file is
    counted alike from the frame of both (the validated stage), and a problem names the file
    and row the adviser can open. A column the file did not have is left out of its part: in
    the frame of several files it is missing in every row of that file (a unit column a file has
    is filled in every row, or the file is refused when read), and a unit column a file lacks
    gives its year no rollup of that level (``survey_tables.Units.of``), where a missing code is
    an error. (An item column every cell of which was blank in the file is taken as lacked too:
    the frame cannot tell the two apart.) A frame without ``source_file`` (made by hand) is one
    file, ``(respondents)``."""
    parts = respondent_parts(frame)
    if parts is None:
        return [respondents_from_frame(frame)]
    lines = frame[SOURCE_ROW].to_numpy(dtype=np.int64, na_value=0) if SOURCE_ROW in frame.columns else None
    whole = respondents_from_frame(frame, lines=lines)
    files = []
    for name, at, lacked in parts:
        # the rows of one file are one run in a frame of files put together: a slice, no copy
        one_run = at[-1] - at[0] + 1 == len(at)
        table = whole.table.slice(int(at[0]), len(at)) if one_run else whole.table.take(at)
        files.append(
            RespondentFile(
                Path(name),
                "frame",
                {k: v for k, v in whole.keys.items() if k not in lacked},
                [item for item in whole.items if item not in lacked],
                len(at),
                table=table.drop_columns(lacked),
                lines=whole.lines[at],
            )
        )
    return files


def respondent_parts(frame) -> list[tuple[str, np.ndarray, list[str]]] | None:
    """Per ``source_file`` of a validated respondents frame, in the order of the rows: its name,
    its rows' positions and the unit and item columns it lacks (missing in every row of it: see
    :func:`respondent_files`). None for a frame without ``source_file``; rows without one are
    one part, ``(respondents)``."""
    import pandas as pd

    if SOURCE_FILE not in frame.columns:
        return None
    from schemas.survey_layout import item_columns

    number, names = pd.factorize(frame[SOURCE_FILE], sort=False)  # in the order of the rows; −1: none
    number = number + 1  # 0: rows without a file named
    files = len(names) + 1
    columns = [k for k in UNIT_KEYS if k in frame.columns] + item_columns(frame.columns)
    # per column, the files with a value in it (a column at a time: no table of every cell)
    given = {c: np.bincount(number[frame[c].notna().to_numpy()], minlength=files) > 0 for c in columns}
    parts = []
    for k in np.flatnonzero(np.bincount(number, minlength=files)):
        at = np.flatnonzero(number == k)
        name = str(names[k - 1]) if k else "(respondents)"
        parts.append((name, at, [c for c in columns if not given[c][k]]))
    return sorted(parts, key=lambda part: part[1][0])


def respondent_files_by_year(respondents: DataFrame[SurveyRespondents]) -> DataFrame[SurveyFiles] | None:
    """The respondent files of each institution and survey year of a validated
    ``SurveyRespondents`` frame (``schemas.survey_results.SurveyFiles``): what a survey table's
    source line dates a year's numbers by — the files it was counted from, not every file read
    (a chart of 2025 said the range of the 2024 and 2025 files' dates). Files are named as the
    rows name them (the validated stage: relative to the raw folder). None for a frame without
    ``source_file`` (made by hand)."""
    import pandas as pd

    from schemas.survey_results import SurveyFiles

    if SOURCE_FILE not in respondents.columns:
        return None
    keys = [c for c in (INSTITUTION_KEY, YEAR_KEY) if c in respondents.columns]
    groups = respondents.groupby([*keys, SOURCE_FILE], observed=True, dropna=False, sort=True).size().reset_index()
    codes = groups[INSTITUTION_KEY] if INSTITUTION_KEY in groups else pd.Series(None, index=groups.index, dtype=object)
    # a file without the code column has it missing in every row: missing here too, not "nan"
    code = [None if pd.isna(c) else clean_key(INSTITUTION_KEY, c) for c in codes]
    files = pd.DataFrame(
        {
            "institution_code": pd.Series(code, dtype="string"),
            "year": pd.to_numeric(groups[YEAR_KEY], errors="coerce").astype("Int64"),
            "source_file": groups[SOURCE_FILE].astype(str).astype("string"),
        }
    ).drop_duplicates(ignore_index=True)
    return SurveyFiles.validate(files, lazy=True)

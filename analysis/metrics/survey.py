"""Studiebarometeret aggregates from respondent-level data.

Per unit × year × item: ``n`` valid answers (1–5; "vet ikke" 9999 and blanks are missing and
never enter a mean), ``mean``, ``sd`` and a t-based 95 % interval of the mean; ``suppressed``
when ``n`` is below the minimum (then nothing but ``n`` is shown), ``few_respondents`` when it
is below the warning level. Indices per configuration: a respondent's index is the mean of its
answered items when at most ``index_max_missing`` of the index's items are missing; a unit's
index is the mean of its respondents' indices. Year-on-year change (year − 1) with Welch's
t-test. Units: programme (``studprog_kod``), and faculty and institution rollups when the data
carries ``fakultetskode`` / ``institusjonskode``.

Design for national scale (3 M respondents × 60 items on 2 cores): the answers are never melted
to one row per answer, and need not even be in memory together. The input is either a validated
frame or a :class:`~analysis.readers.survey_raw.RespondentScan` (a file read column by column,
which is what ``kvalitet survey`` passes), or several of them (years delivered as separate
files). Every respondent gets one integer group code (institution × faculty × programme ×
year) from the key columns alone; then each item column, as it arrives (int8, 0 = missing), is
counted with one ``np.bincount`` over ``group * 6 + answer``: the counts of each value 0–5 in
every group. From those counts n, Σx and Σx² — and so mean and sd — follow exactly in integer
arithmetic, and the counts of the finest groups add up to faculty and institution counts
without another pass over the respondents (one sparse membership product). When the
respondents come sorted by group, two items share one bincount (``group * 36 + a * 6 + b``).
A respondent's index depends only on (answered items, sum of answers), kept per respondent in
one small integer per index, so one bincount per index over group × that pair gives n, Σ and
Σ² of the respondents' indices. Text columns of the outputs are categorical.

Choices where the issue was silent: "year-on-year" compares with year − 1 exactly (a unit
without respondents in year − 1 has no change row); ``n`` is kept on suppressed rows (it says
why the cell is empty, and shows no answer); an index item missing from the data counts as
missing for every respondent; with min_n = 1 a single answer shows a mean but no sd or CI.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals
import pyarrow as pa_arrow
import pyarrow.compute as pc
from pandera.typing.pandas import DataFrame
from scipy import sparse
from scipy.special import stdtr, stdtrit

from analysis import disclosure
from analysis.errors import InputError
from analysis.settings import LIKERT_MAX, Settings, SurveySettings
from schemas.studiebarometeret import PROGRAMME_KEY, YEAR_KEY, SurveyRespondents, item_columns
from schemas.survey_results import SurveyChanges, SurveyIndexResults, SurveyItemResults

INSTITUTION_KEY = "institusjonskode"
FACULTY_KEY = "fakultetskode"

_VALUES = np.arange(1, LIKERT_MAX + 1, dtype=np.int64)  # the answer values 1–5
_BINS = LIKERT_MAX + 1  # answer 0 (missing) … 5


@dataclass(frozen=True)
class SurveyResults:
    """The validated aggregate tables, and notes on what the configuration could not use."""

    items: pd.DataFrame  # SurveyItemResults
    indices: pd.DataFrame  # SurveyIndexResults
    changes: pd.DataFrame  # SurveyChanges
    notes: dict[str, object] = field(default_factory=dict)


class RespondentColumns(Protocol):
    """Validated respondent-level answers that can be read column by column.

    :class:`analysis.readers.survey_raw.RespondentScan` is one (a file, read as it is
    counted); a :class:`SurveyRespondents` frame is adapted to one.
    """

    @property
    def keys(self) -> pd.DataFrame:
        """The key columns, one row per respondent (``studprog_kod``, ``aar`` and the unit
        columns present)."""

    @property
    def items(self) -> list[str]:
        """The item columns, in file order."""

    def scan(self, consume: Callable[[list[tuple[str, np.ndarray]], int], None] | None) -> dict:
        """Hand every item column to ``consume(batch, start)`` in batches of ``(item,
        answers)`` for the rows from position ``start`` on, answers as int8 with 0 for missing
        (possibly from two threads at once, never for the same item at once); ``None`` only
        checks the answers. Raises :class:`~analysis.errors.InputError` for invalid ones."""


Respondents = DataFrame[SurveyRespondents] | RespondentColumns


def survey_aggregates(
    respondents: Respondents | Sequence[Respondents],
    *,
    settings: Settings | SurveySettings,
    validate: bool = True,
    changes: bool = True,
) -> SurveyResults:
    """Aggregate validated respondent-level answers per unit × year × item and index.

    Args:
        respondents: a frame satisfying ``schemas.studiebarometeret.SurveyRespondents`` (as
            :func:`analysis.readers.survey_raw.read_survey_respondents` returns it), or a
            :class:`RespondentColumns` such as an opened file
            (:func:`analysis.readers.survey_raw.open_survey_respondents`, read while it is
            counted), or several of these (e.g. one file per survey year). ``institusjonskode``
            and ``fakultetskode`` give rollups when every part has them; an item a part lacks
            is missing for its respondents.
        settings: minimum n, warning level, index rule and index items; default
            ``config/kvalitet.toml`` over the defaults in ``analysis.settings``.
        validate: check the outputs against their pandera contracts (on by default).
        changes: also compute year-on-year changes (off gives an empty ``changes`` table;
            the benchmark times them separately because DuckDB's reference query has none).

    Returns:
        :class:`SurveyResults` with ``items`` (SurveyItemResults), ``indices``
        (SurveyIndexResults) and ``changes`` (SurveyChanges), rows ordered by level, unit,
        year and item/index in configuration order.

    Raises:
        analysis.errors.InputError: an opened file turns out to hold invalid answers (nothing
            is returned).
    """
    survey = _survey_settings(settings)
    sources = _sources(respondents)
    items = list(dict.fromkeys(item for source in sources for item in source.items))
    if not items:
        raise ValueError("no item columns: item columns are named by NOKUT variable names (underv_engasj_18)")
    notes: dict[str, object] = {}
    indices = _usable_indices(survey, items, notes)
    keys = _combined_keys(sources, notes)

    groups = _Groups.of(keys)
    del keys
    _return_freed_memory()  # what reading the keys and grouping them left behind
    item_counts, index_sums = _count(sources, items, indices, groups, survey)
    levels = groups.levels()
    groups.code = None  # 4 bytes per respondent, not needed for the outputs
    _return_freed_memory()
    # every level's units in one table (programmes, then faculties, then institutions), so each
    # output is built once, not per level and then copied together
    units = _Level.stack(levels)

    item_stats = _Stats.stack([_stats_from_counts(level.add_up(item_counts)) for level in levels])
    del item_counts
    # what may be published is decided in one place (analysis.disclosure), for every cell
    parents = disclosure.unit_parents(units.table)
    item_hidden = _hidden(units, parents, item_stats, survey)
    items_frame = _cells(units, items, item_stats, survey, "item", item_hidden)
    index_frame, index_stats = _empty(SurveyIndexResults), None
    if indices:
        index_stats = _Stats.stack([_stats_from_sums(*(level.add_up(a) for a in index_sums)) for level in levels])
        index_hidden = _hidden(units, parents, index_stats, survey)
        index_frame = _cells(units, list(indices), index_stats, survey, "index_name", index_hidden)
    change_frames = []
    if changes:
        change_frames.append(_changes(units, items, item_stats, "item", item_hidden))
        if index_stats is not None:
            change_frames.append(_changes(units, list(indices), index_stats, "index", index_hidden))
    changes_frame = _by_level(_concat(change_frames), levels) if change_frames else _empty(SurveyChanges)
    if validate:
        items_frame = SurveyItemResults.validate(items_frame, lazy=True, inplace=True)
        index_frame = SurveyIndexResults.validate(index_frame, lazy=True, inplace=True)
        changes_frame = SurveyChanges.validate(changes_frame, lazy=True, inplace=True)
    notes["levels"] = [level.name for level in levels]
    return SurveyResults(items_frame, index_frame, changes_frame, notes)


@dataclass
class _FrameColumns:
    """A validated respondent frame read column by column."""

    frame: pd.DataFrame

    @cached_property
    def keys(self) -> pd.DataFrame:  # selected once: a selection copies the key columns
        return self.frame[[k for k in (INSTITUTION_KEY, FACULTY_KEY, PROGRAMME_KEY, YEAR_KEY) if k in self.frame]]

    @cached_property
    def items(self) -> list[str]:
        return item_columns(self.frame.columns)

    def scan(self, consume: Callable[[list[tuple[str, np.ndarray]], int], None] | None) -> dict:
        if consume is None:
            return {}  # a validated frame: nothing to check
        items = self.items
        for k in range(0, len(items), 2):
            consume([(item, _answers(self.frame[item])) for item in items[k : k + 2]], 0)
        return {}


def _sources(respondents) -> list[RespondentColumns]:
    parts = respondents if isinstance(respondents, (list, tuple)) else [respondents]
    if not parts:
        raise ValueError("no respondents given")
    sources = []
    for part in parts:
        source = _FrameColumns(part) if isinstance(part, pd.DataFrame) else part
        for key in (PROGRAMME_KEY, YEAR_KEY):
            if key not in source.keys.columns:
                raise ValueError(f"the respondent data has no {key} column")
        sources.append(source)
    return sources


def _combined_keys(sources: list[RespondentColumns], notes: dict) -> pd.DataFrame:
    """The key columns of all parts, one row per respondent, in part order.

    A rollup needs the unit code of every respondent: a unit column is kept only if every part
    has it (the others are named in the notes). Code columns that are categorical in every part
    stay categorical (a national file has millions of rows but a few thousand codes).
    """
    frames = [source.keys for source in sources]
    units = [u for u in (INSTITUTION_KEY, FACULTY_KEY) if any(u in f for f in frames)]
    kept = [u for u in units if all(u in f for f in frames)]
    if len(kept) < len(units):
        notes["unit_columns_not_in_every_file"] = [u for u in units if u not in kept]
    if INSTITUTION_KEY in units and INSTITUTION_KEY not in kept and FACULTY_KEY in kept:
        # faculty codes are only unique within an institution: without it in every file, the
        # faculties of different institutions would be added together
        kept.remove(FACULTY_KEY)
        notes["no_faculty_rollup"] = "institusjonskode is not in every file, and faculty codes need it"
    columns = [*kept, PROGRAMME_KEY, YEAR_KEY]
    if len(frames) == 1:
        return frames[0][columns]
    combined = {}
    for name in columns:
        parts = [f[name] for f in frames]
        if all(isinstance(p.dtype, pd.CategoricalDtype) for p in parts) and \
                len({p.cat.categories.dtype for p in parts}) == 1:
            combined[name] = pd.Series(union_categoricals([p.array for p in parts]))
        elif name == YEAR_KEY:
            combined[name] = pd.Series(pd.array(np.concatenate([p.to_numpy(dtype=np.int64) for p in parts]),
                                                dtype="Int16"))
        else:
            combined[name] = pd.Series(np.concatenate([p.astype(object).to_numpy() for p in parts]), dtype=object)
    return pd.DataFrame(combined, copy=False)


def _return_freed_memory() -> None:
    """Hand freed memory back to the operating system between the stages (keys, counting,
    outputs): chunks freed by the reading threads stay in malloc's per-thread arenas and in
    Arrow's pool otherwise, and the next stage's peak adds to them (≈ 60 MB at 3 M
    respondents)."""
    pa_arrow.default_memory_pool().release_unused()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to do


def _survey_settings(settings: Settings | SurveySettings) -> SurveySettings:
    survey = settings.survey if isinstance(settings, Settings) else settings
    if survey.min_n < 1 or survey.warn_n < survey.min_n or survey.index_max_missing < 0:
        raise ValueError("survey settings need 1 <= min_n <= warn_n and index_max_missing >= 0")
    return survey


def _usable_indices(survey: SurveySettings, items: list[str], notes: dict) -> dict[str, tuple[str, ...]]:
    """Configured indices with at least one item in the data.

    An item of an index that is not a column of the data counts as missing for every
    respondent (the index rule then decides); an index with none of its items is left out and
    named in the notes.
    """
    present = set(items)
    usable, left_out, partly = {}, [], {}
    for name, members in survey.indices.items():
        if not any(m in present for m in members):
            left_out.append(name)
            continue
        usable[name] = tuple(members)
        absent = [m for m in members if m not in present]
        if absent:
            partly[name] = absent
    if left_out:
        notes["indices_without_items"] = left_out
    if partly:
        notes["index_items_not_in_data"] = partly
    return usable


# --------------------------------------------------------------------------------------------
# Groups


@dataclass
class _Level:
    """One aggregation level: its units × years, and which finest group belongs to which."""

    name: str
    table: pd.DataFrame  # level, institution_code, faculty_code, unit_code, year — one row per unit × year
    parent: np.ndarray | None  # finest group -> row of table (None: the same groups)

    @staticmethod
    def stack(levels: list[_Level]) -> _Level:
        """The units of several levels as one table, in level order (no finest groups)."""
        return _Level("+".join(lv.name for lv in levels),
                      pd.concat([lv.table for lv in levels], ignore_index=True), None)

    def categorical(self, column: str, index: np.ndarray) -> pd.Categorical:
        """``table[column][index]`` as a categorical; the categories are computed once."""
        cache = self.__dict__.setdefault("_categories", {})
        if column not in cache:
            cache[column] = _category_codes(self.table[column])
        codes, categories = cache[column]
        return pd.Categorical.from_codes(codes[index], categories=categories)

    def add_up(self, per_group: np.ndarray) -> np.ndarray:
        """Sum an array over finest groups (axis 0) into this level's rows."""
        if self.parent is None:
            return per_group
        # a 0/1 membership matrix times the counts: one sparse product for all items at once
        groups = self.parent.size
        membership = sparse.csr_matrix((np.ones(groups, dtype=per_group.dtype), (self.parent, np.arange(groups))),
                                       shape=(len(self.table), groups))
        flat = per_group.reshape(groups, -1)
        return np.asarray(membership @ flat).reshape((len(self.table),) + per_group.shape[1:])


@dataclass
class _Groups:
    """Every respondent's finest group (institution × faculty × programme × year)."""

    code: np.ndarray  # int32 per respondent
    table: pd.DataFrame  # one row per finest group: the key columns present

    @classmethod
    def of(cls, respondents: pd.DataFrame) -> _Groups:
        keys = [k for k in (INSTITUTION_KEY, FACULTY_KEY, PROGRAMME_KEY, YEAR_KEY) if k in respondents.columns]
        n = len(respondents)
        # NOTE: deliveries are usually sorted by year and programme. Grouping only the first
        # row of each run of equal keys makes the factorisation cost scale with the number of
        # runs, not of respondents; an unsorted file just has more runs.
        starts = np.zeros(n, dtype=bool)
        if n:
            starts[0] = True
        for key in keys:
            series = respondents[key]
            if n < 2:
                continue
            if isinstance(series.dtype, pd.CategoricalDtype):
                codes = series.cat.codes.to_numpy()
                starts[1:] |= codes[1:] != codes[:-1]
            else:
                column = _arrow(series)
                differs = pc.not_equal(column.slice(1), column.slice(0, n - 1))
                starts[1:] |= differs.to_numpy(zero_copy_only=False).astype(bool, copy=False)
        heads = np.flatnonzero(starts)
        run = np.cumsum(starts) - 1
        runs = pd.DataFrame({k: np.asarray(respondents[k].iloc[heads], dtype=object) if k != YEAR_KEY
                             else respondents[k].iloc[heads].to_numpy() for k in keys})
        runs[YEAR_KEY] = runs[YEAR_KEY].astype("int64")
        # Groups are numbered in order of first appearance: a file sorted by any of its keys
        # (year then programme, or programme then year) then has non-decreasing group codes,
        # which the counting uses (see _Counter). The output order comes from the levels.
        group_of_run = runs.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
        table = runs.assign(_g=group_of_run).drop_duplicates("_g").sort_values("_g").drop(columns="_g")
        code = group_of_run.astype(np.int32)[run]  # int32: 12 MB at 3 M respondents
        del run
        return cls(code, table.reset_index(drop=True))

    def levels(self) -> list[_Level]:
        t = self.table
        inst = t[INSTITUTION_KEY] if INSTITUTION_KEY in t else pd.Series([None] * len(t), dtype="object")
        out = []
        specs = [("programme", PROGRAMME_KEY)]
        if FACULTY_KEY in t:
            specs.append(("faculty", FACULTY_KEY))
        if INSTITUTION_KEY in t:
            specs.append(("institution", INSTITUTION_KEY))
        faculty = t[FACULTY_KEY].astype(object).to_numpy() if FACULTY_KEY in t else np.full(len(t), None, dtype=object)
        for name, unit_key in specs:
            # a programme is placed in its faculty (the disclosure pass needs the hierarchy)
            frame = pd.DataFrame({"level": name, "institution_code": inst.astype(object).to_numpy(),
                                  "faculty_code": faculty if name != "institution" else None,
                                  "unit_code": t[unit_key].astype(object).to_numpy(),
                                  "year": t[YEAR_KEY].to_numpy()})
            keys = ["level", "institution_code", "faculty_code", "unit_code", "year"]
            grouped = frame.groupby(keys, sort=True, dropna=False)
            parent = grouped.ngroup().to_numpy()
            table = frame.iloc[grouped.head(1).index].assign(_p=parent[grouped.head(1).index])
            table = table.sort_values("_p").drop(columns="_p").reset_index(drop=True)
            same = len(table) == len(t) and np.array_equal(parent, np.arange(len(t)))
            out.append(_Level(name, table, None if same else parent))
        return out


def _arrow(series: pd.Series) -> pa_arrow.Array:
    array = pa_arrow.array(series.array if not isinstance(series.dtype, np.dtype) else series.to_numpy())
    return array.combine_chunks() if isinstance(array, pa_arrow.ChunkedArray) else array


# --------------------------------------------------------------------------------------------
# Counting (the only pass over the respondents)


def _answers(column: pd.Series) -> np.ndarray:
    """Answers as int8 with 0 for missing, without per-cell Python."""
    array = column.array
    if isinstance(array, pd.arrays.IntegerArray):
        # NOTE: the masked array's own buffers (private in pandas) are 4× faster than
        # to_numpy(na_value=0) at 3 M rows; masked slots may hold any value, hence the multiply.
        values = np.multiply(array._data, ~array._mask, dtype=np.int8)  # noqa: SLF001
    else:
        values = column.to_numpy(dtype=np.int8, na_value=0)
    if values.size and (values.min() < 0 or values.max() > LIKERT_MAX):
        raise ValueError(f"column {column.name} holds values outside 1–{LIKERT_MAX}: validate the respondents first")
    return values


#: Largest count table (groups × bins) for counting two items in one pass; above it the table
#: no longer fits in cache and one item per pass is faster.
_PAIR_BINS_MAX = 4_000_000
#: Rows summed at a time for the indices (bounds the temporaries at national scale).
_CHUNK_ROWS = 1 << 20


class _IndexState:
    """One index's (answered items, sum of answers) per respondent of one part, packed in one
    small integer ``answered × width + sum`` (width = 5k + 1 for k items): the two numbers that
    decide the respondent's index value, in 2 bytes instead of an answer matrix."""

    def __init__(self, n_items: int, max_missing: int, rows: int):
        self.n_items = n_items
        self.max_missing = max_missing
        self.width = LIKERT_MAX * n_items + 1
        self.combos = (n_items + 1) * self.width
        self.dtype = np.int16 if self.combos <= np.iinfo(np.int16).max else np.int32
        self.packed = np.zeros(rows, dtype=self.dtype)
        self._lock = threading.Lock()  # items of one index may be counted in two threads

    def add(self, answers: np.ndarray, start: int) -> None:
        step = np.multiply(answers > 0, self.width, dtype=self.dtype)
        step += answers
        with self._lock:
            self.packed[start : start + answers.size] += step

    def sums(self, code: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per group: respondents with an index value, Σ index and Σ index².

        Only the (answered, sum) pairs that carry an index — something answered, at most
        ``max_missing`` items missing — get a bin (bin 0 takes the rest), so the count table
        stays groups × a few hundred; the index of a pair is sum / answered, and Σ and Σ²
        follow from the counts without summing millions of floats.
        """
        answered = np.arange(self.n_items + 1)
        usable = answered[(answered > 0) & (self.n_items - answered <= self.max_missing)]
        totals = np.arange(self.width)
        bin_of = np.zeros(self.combos, dtype=np.int32)
        score = np.empty(usable.size * self.width)
        for u, a in enumerate(usable):
            bin_of[a * self.width + totals] = 1 + u * self.width + totals
            score[u * self.width + totals] = totals / a
        bins = usable.size * self.width + 1
        n = np.zeros(n_groups, dtype=np.int64)
        total = np.zeros(n_groups)
        squares = np.zeros(n_groups)
        # a chunk of rows at a time, each over the groups it holds: small temporaries
        for start in range(0, code.size, _CHUNK_ROWS):
            chunk = code[start : start + _CHUNK_ROWS]
            low, high = int(chunk.min()), int(chunk.max())
            key = np.multiply(chunk - low, bins, dtype=np.int64)
            key += bin_of.take(self.packed[start : start + _CHUNK_ROWS])
            table = np.bincount(key, minlength=(high - low + 1) * bins).reshape(-1, bins)[:, 1:]
            n[low : high + 1] += table.sum(axis=1)
            total[low : high + 1] += table @ score
            squares[low : high + 1] += table @ (score * score)
        return n, total, squares


@dataclass
class _IndexSums:
    """Per finest group × index: respondents with an index value, Σ and Σ² of their values
    (additive over parts: a respondent is in one part)."""

    n: np.ndarray
    s: np.ndarray
    ss: np.ndarray

    @classmethod
    def zeros(cls, n_groups: int, n_indices: int) -> _IndexSums:
        return cls(np.zeros((n_groups, n_indices), dtype=np.int64), np.zeros((n_groups, n_indices)),
                   np.zeros((n_groups, n_indices)))


class _Counter:
    """Counts the answers of one part (``code``: its respondents' groups) as its columns
    arrive, chunk by chunk; called from the part's reading threads.

    An index is summed as soon as the last of its items has been counted for every row of the
    part, in the thread that counted it, so the index sums overlap the reading of later
    columns and each index's per-respondent state lives only while its items are read.
    """

    def __init__(self, code: np.ndarray, n_groups: int, counts: np.ndarray, position: dict[str, int],
                 indices: dict[str, tuple[str, ...]], items: list[str], max_missing: int, index_sums: _IndexSums):
        self.code, self.n_groups = code, n_groups
        self.counts, self.position = counts, position
        # NOTE: when respondents come sorted by group (the usual delivery order) two items are
        # counted in one bincount over group·36 + a·6 + b: half the passes over the rows, and
        # the active part of the count table stays in cache. Unsorted input counts one item
        # per pass.
        self.pairs = (code.size > 1 and n_groups * _BINS * _BINS <= _PAIR_BINS_MAX
                      and bool(np.all(code[1:] >= code[:-1])))
        self._local = threading.local()
        self._base: dict[tuple[int, int], tuple[int, int, np.ndarray]] = {}
        # the indices this part can feed: their items that the part has, still to be counted
        present = set(items)
        self.index_column = {name: j for j, name in enumerate(indices)}
        self.remaining = {name: left for name, members in indices.items()
                          if (left := {m for m in members if m in present})}
        self.member_of: dict[str, list[str]] = {}
        for name, left in self.remaining.items():
            for m in left:
                self.member_of.setdefault(m, []).append(name)
        self.n_members = {name: len(members) for name, members in indices.items()}
        self.max_missing = max_missing
        self.states: dict[str, _IndexState] = {}
        self.index_sums = index_sums
        self.rows_done: dict[str, int] = {}
        self._lock = threading.Lock()

    def _chunk(self, start: int, size: int) -> tuple[int, int, np.ndarray]:
        """The chunk's lowest and highest group, and its group codes times 36 counted from the
        lowest: the same for every item pair of the chunk, so computed once."""
        cached = self._base.get((start, size))
        if cached is None:
            code = self.code[start : start + size]
            # only the groups of this chunk get a count table (with sorted codes, a slice of them)
            low, high = (int(code[0]), int(code[-1])) if self.pairs else (int(code.min()), int(code.max()))
            base = np.subtract(code, low)
            base *= _BINS * _BINS if self.pairs else _BINS
            cached = self._base[(start, size)] = (low, high, base)
        return cached

    def _key(self, size: int) -> np.ndarray:
        key = getattr(self._local, "key", None)
        if key is None or key.size < size:
            key = self._local.key = np.empty(size, dtype=np.int64)
        return key[:size]

    def __call__(self, batch: list[tuple[str, np.ndarray]], start: int) -> None:
        size = batch[0][1].size
        low, high, base = self._chunk(start, size)
        key = self._key(size)
        g = high - low + 1
        if len(batch) == 2 and self.pairs:
            (first, a), (second, b) = batch
            pair = np.multiply(a, np.int8(_BINS), dtype=np.int8)
            pair += b
            np.add(base, pair, out=key)
            table = np.bincount(key, minlength=g * _BINS * _BINS).reshape(g, _BINS, _BINS)
            self.counts[low : high + 1, self.position[first], :] += table.sum(axis=2)[:, 1:]
            self.counts[low : high + 1, self.position[second], :] += table.sum(axis=1)[:, 1:]
        else:
            for item, answers in batch:
                if self.pairs:  # a lone last item of a sorted part: its base counts pairs
                    np.floor_divide(base, _BINS, out=key)
                    key += answers
                else:
                    np.add(base, answers, out=key)
                table = np.bincount(key, minlength=g * _BINS).reshape(g, _BINS)
                self.counts[low : high + 1, self.position[item], :] += table[:, 1:]
        for item, answers in batch:
            for name in self.member_of.get(item, ()):
                self._state(name).add(answers, start)
            self._done(item, size)

    def _state(self, name: str) -> _IndexState:
        with self._lock:
            if name not in self.states:
                self.states[name] = _IndexState(self.n_members[name], self.max_missing, self.code.size)
            return self.states[name]

    def _done(self, item: str, size: int) -> None:
        """Count the rows of ``item``; sum the indices whose items are now all counted."""
        complete = []
        with self._lock:
            self.rows_done[item] = self.rows_done.get(item, 0) + size
            if self.rows_done[item] == self.code.size:
                for name in self.member_of.get(item, ()):
                    self.remaining[name].discard(item)
                    if not self.remaining[name]:
                        complete.append(name)
        for name in complete:
            n, s, ss = self.states.pop(name).sums(self.code, self.n_groups)
            j = self.index_column[name]
            self.index_sums.n[:, j] += n  # one thread per index: columns do not collide
            self.index_sums.s[:, j] += s
            self.index_sums.ss[:, j] += ss


def _count(sources: list[RespondentColumns], items: list[str], indices: dict[str, tuple[str, ...]],
           groups: _Groups, survey: SurveySettings) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Answer counts per finest group × item × value (1–5), and per group × index the
    respondents' index n, Σ and Σ². Reads every part's answers once."""
    n_groups = len(groups.table)
    # int32: a group's count of one answer value never nears 2^31, and the table is half the size
    counts = np.zeros((n_groups, len(items), LIKERT_MAX), dtype=np.int32)
    position = {item: j for j, item in enumerate(items)}
    index_sums = _IndexSums.zeros(n_groups, len(indices))
    problems: list = []
    offset = 0
    for source in sources:
        rows = len(source.keys)
        try:
            if problems or rows == 0:
                # after a bad file the others are only checked, so that every file's problems
                # are listed together (nothing is returned anyway)
                source.scan(None)
            else:
                counter = _Counter(groups.code[offset : offset + rows], n_groups, counts, position,
                                   indices, source.items, survey.index_max_missing, index_sums)
                source.scan(counter)
                if counter.states or any(counter.remaining.values()):
                    raise RuntimeError("an index was left unsummed: a part did not hand over every row of its items")
        except InputError as err:
            problems.extend(err.problems)
        offset += rows
    if problems:
        raise InputError(problems)
    return counts, (index_sums.n, index_sums.s, index_sums.ss)


# --------------------------------------------------------------------------------------------
# Statistics


@dataclass
class _Stats:
    n: np.ndarray  # int64 [units, names]
    mean: np.ndarray  # float64, NaN where n == 0
    sd: np.ndarray  # float64, NaN where n < 2

    @staticmethod
    def stack(parts: list[_Stats]) -> _Stats:
        if len(parts) == 1:
            return parts[0]
        return _Stats(*(np.concatenate([getattr(p, f) for p in parts]) for f in ("n", "mean", "sd")))


def _stats_from_counts(counts: np.ndarray) -> _Stats:
    """n, mean and sd from counts of each answer value, exactly (integer sums)."""
    n = counts.sum(axis=-1)
    s = counts @ _VALUES
    ss = counts @ (_VALUES * _VALUES)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s / n
        # (n Σx² − (Σx)²) / (n (n − 1)): the numerator is an exact integer, so no cancellation
        var = (n * ss - s * s) / (n * (n - 1.0))
    var[n < 2] = np.nan
    return _Stats(n, mean, np.sqrt(var))


def _stats_from_sums(n: np.ndarray, s: np.ndarray, ss: np.ndarray) -> _Stats:
    """n, mean and sd of respondents' index values from n, Σx and Σx² (floats)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s / n
        # values lie in 1–5, so Σx² − (Σx)²/n loses at most ~1e-12 relative (no large offset)
        var = np.maximum(ss - s * mean, 0.0) / (n - 1.0)
    var[n < 2] = np.nan
    return _Stats(n, mean, np.sqrt(var))


def welch_p(mean_a: np.ndarray, sd_a: np.ndarray, n_a: np.ndarray, mean_b: np.ndarray, sd_b: np.ndarray,
            n_b: np.ndarray) -> np.ndarray:
    """Two-sided p-value of Welch's t-test from means, sds and counts (as
    ``scipy.stats.ttest_ind_from_stats(..., equal_var=False)``; scipy.stats itself costs 0.7 s
    and 45 MB to import, the t distribution from scipy.special does not). NaN where the
    variances are both zero or a group has fewer than two answers."""
    with np.errstate(invalid="ignore", divide="ignore"):
        var_a = sd_a * sd_a / n_a
        var_b = sd_b * sd_b / n_b
        t = (mean_a - mean_b) / np.sqrt(var_a + var_b)
        df = (var_a + var_b) ** 2 / (var_a * var_a / (n_a - 1) + var_b * var_b / (n_b - 1))
        return 2.0 * stdtr(df, -np.abs(t))


def _t_quantile(df: np.ndarray, level: float) -> np.ndarray:
    """Two-sided t critical value for the confidence level, computed once per distinct df."""
    flat = np.maximum(df.ravel(), 0)
    present = np.flatnonzero(np.bincount(flat)) if flat.size else np.array([], dtype=np.int64)
    table = np.full(int(flat.max()) + 1 if flat.size else 1, np.nan)
    usable = present[present >= 1]
    table[usable] = stdtrit(usable, 0.5 + level / 2)
    quantiles = table[flat].reshape(df.shape)
    quantiles[df < 1] = np.nan
    return quantiles


# --------------------------------------------------------------------------------------------
# Output frames


def _category_codes(values) -> tuple[np.ndarray, np.ndarray]:
    """Text values as (codes, sorted categories), codes in the smallest integer type (so that
    indexing them for a million output rows makes a small array). Missing values (no
    institution column) get code -1: a missing entry, not a category."""
    values = pd.Series(values).astype(object)
    categories, codes = np.unique(values.fillna("").to_numpy(dtype=str), return_inverse=True)
    if values.isna().any():
        missing = values.isna().to_numpy()
        keep = categories != ""
        codes = np.where(missing, -1, (np.cumsum(keep) - 1)[codes])
        categories = categories[keep]
    small = np.int8 if len(categories) < 2**7 else np.int16 if len(categories) < 2**15 else np.int32
    return codes.astype(small), categories


def _strings(values, index: np.ndarray) -> pd.Categorical:
    """A categorical column of ``values[index]`` (compact: one small integer per row)."""
    codes, categories = _category_codes(values)
    return pd.Categorical.from_codes(codes[index], categories=categories)


def _floats(values: np.ndarray, hide: np.ndarray) -> pd.arrays.FloatingArray:
    return pd.arrays.FloatingArray(np.where(hide, 0.0, values), hide | np.isnan(values))


def _hidden(units: _Level, parents: np.ndarray, st: _Stats, survey: SurveySettings) -> np.ndarray:
    """Why each unit × name cell is hidden (``analysis.disclosure``), as a units × names array."""
    count, k = st.n.shape
    unit_rank, _ = _category_codes(units.table["unit_code"])  # ties broken by unit code
    reason = disclosure.suppression(st.n.ravel(), disclosure.cell_parents(parents, k),
                                    np.repeat(unit_rank, k), survey.min_n)
    return reason.reshape(count, k)


def _cells(level: _Level, names: list[str], st: _Stats, survey: SurveySettings, name_column: str,
           reason: np.ndarray) -> pd.DataFrame:
    """One row per unit × year × name (unit-major), emptied where the disclosure pass hides it."""
    units, k = st.n.shape
    unit_index = np.repeat(np.arange(units, dtype=np.int32), k)
    name_index = np.tile(np.arange(k, dtype=np.int32), units)
    n = st.n.ravel()
    reason = reason.ravel()
    suppressed = reason != ""
    half = _t_quantile(n - 1, survey.confidence_level)
    half *= st.sd.ravel()
    half /= np.sqrt(np.maximum(n, 1))
    mean = st.mean.ravel()
    return pd.DataFrame({
        "level": level.categorical("level", unit_index),
        "institution_code": level.categorical("institution_code", unit_index),
        "faculty_code": level.categorical("faculty_code", unit_index),
        "unit_code": level.categorical("unit_code", unit_index),
        "year": pd.array(level.table["year"].to_numpy(dtype=np.int16)[unit_index], dtype="Int16"),
        name_column: _strings(names, name_index),
        "n": pd.array(n, dtype="Int32"),
        "mean": _floats(mean, suppressed),
        "sd": _floats(st.sd.ravel(), suppressed),
        "ci_low": _floats(mean - half, suppressed),
        "ci_high": _floats(mean + half, suppressed),
        "suppressed": suppressed,
        "suppression": pd.Categorical(reason, categories=["", disclosure.PRIMARY, disclosure.SECONDARY]),
        "few_respondents": ~suppressed & (n > 0) & (n < survey.warn_n),
    }, copy=False)  # the columns are new arrays: no need for pandas to copy them again


def _changes(level: _Level, names: list[str], st: _Stats, kind: str, reason: np.ndarray) -> pd.DataFrame:
    """Change from year − 1 per unit × name, with Welch's t-test; empty unless both years are
    shown (``analysis.disclosure.change_shown``)."""
    table = level.table
    key = table.assign(row=np.arange(len(table)))
    previous = key.assign(year=key["year"] + 1).rename(columns={"row": "previous_row"})
    pairs = key.merge(previous, on=["level", "institution_code", "faculty_code", "unit_code", "year"], how="inner")
    current_row = pairs["row"].to_numpy()
    previous_row = pairs["previous_row"].to_numpy()
    k = len(names)
    unit_index = np.repeat(current_row, k)
    prev_index = np.repeat(previous_row, k)
    name_index = np.tile(np.arange(k), len(current_row))
    n2 = st.n[unit_index, name_index]
    n1 = st.n[prev_index, name_index]
    shown2 = reason[unit_index, name_index] == ""
    shown1 = reason[prev_index, name_index] == ""
    m2 = np.where(shown2, st.mean[unit_index, name_index], np.nan)
    m1 = np.where(shown1, st.mean[prev_index, name_index], np.nan)
    s2 = st.sd[unit_index, name_index]
    s1 = st.sd[prev_index, name_index]
    both = disclosure.change_shown(shown2, shown1)
    p = np.full(n2.shape, np.nan)
    if both.any():
        with np.errstate(invalid="ignore", divide="ignore"):
            p[both] = welch_p(m2[both], s2[both], n2[both], m1[both], s1[both], n1[both])
    change = m2 - m1
    years = table["year"].to_numpy()
    return pd.DataFrame({
        "level": level.categorical("level", unit_index),
        "institution_code": level.categorical("institution_code", unit_index),
        "faculty_code": level.categorical("faculty_code", unit_index),
        "unit_code": level.categorical("unit_code", unit_index),
        "kind": _strings([kind], np.zeros(n2.size, dtype=np.int64)),
        "name": _strings(names, name_index),
        "year": pd.array(years[unit_index], dtype="Int16"),
        "previous_year": pd.array(years[prev_index], dtype="Int16"),
        "n": pd.array(n2, dtype="Int32"),
        "n_previous": pd.array(n1, dtype="Int32"),
        "mean": _floats(m2, ~shown2),
        "mean_previous": _floats(m1, ~shown1),
        "change": _floats(change, ~both),
        "p_value": _floats(p, ~both),
    }, copy=False)


def _by_level(frame: pd.DataFrame, levels: list[_Level]) -> pd.DataFrame:
    """Rows in level order (programme, faculty, institution), keeping the order within a level."""
    rank = {level.name: i for i, level in enumerate(levels)}
    order = np.argsort(frame["level"].map(rank).to_numpy(dtype=np.int64), kind="stable")
    return frame.take(order).reset_index(drop=True)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate keeping categorical columns categorical (pd.concat falls back to text when
    the categories differ)."""
    if len(frames) == 1:
        return frames[0]
    columns = {}
    for name in frames[0].columns:
        parts = [f[name] for f in frames]
        if isinstance(parts[0].dtype, pd.CategoricalDtype):
            columns[name] = union_categoricals([p.array for p in parts])
        else:
            columns[name] = pd.concat(parts, ignore_index=True).array
    return pd.DataFrame(columns, copy=False)


def _empty(model) -> pd.DataFrame:
    schema = model.to_schema()
    return pd.DataFrame({name: pd.Series(dtype="category" if "categor" in str(col.dtype).lower() else str(col.dtype))
                         for name, col in schema.columns.items()})

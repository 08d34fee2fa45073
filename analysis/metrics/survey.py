"""Studiebarometeret aggregates from respondent-level data.

Per unit × year × item: ``n`` valid answers (1–5; "vet ikke" 9999 and blanks are missing and
never enter a mean), ``mean``, ``sd`` and a t-based 95 % interval of the mean; ``suppressed``
when ``n`` is below the minimum (then nothing but ``n`` is shown), ``few_respondents`` when it
is below the warning level. Indices per configuration: a respondent's index is the mean of its
answered items when at most ``index_max_missing`` of the index's items are missing; a unit's
index is the mean of its respondents' indices. Year-on-year change (year − 1) with Welch's
t-test. Units: programme (``studprog_kod``), and faculty and institution rollups when the data
carries ``fakultetskode`` / ``institusjonskode``.

Design for national scale (3 M respondents × 60 items on 2 cores): the respondent frame stays
wide (one nullable Int8 column per item) and is never melted to one row per answer. Every
respondent gets one integer group code (institution × faculty × programme × year); per item one
``np.bincount`` over ``group * 6 + answer`` counts the answers of each value 0–5 in every group.
From those counts n, Σx and Σx² — and so mean and sd — follow exactly in integer arithmetic,
and the counts of the finest groups add up to faculty and institution counts without another
pass over the respondents (one sparse membership product). When the respondents come sorted by
group, two items share one bincount (``group * 36 + a * 6 + b``). A respondent's index depends
only on (answered items, sum of answers), so one bincount per index over group × that pair
gives n, Σ and Σ² of the respondents' indices. Text columns of the outputs are categorical.

Choices where the issue was silent: "year-on-year" compares with year − 1 exactly (a unit
without respondents in year − 1 has no change row); ``n`` is kept on suppressed rows (it says
why the cell is empty, and shows no answer); an index item missing from the data counts as
missing for every respondent; with min_n = 1 a single answer shows a mean but no sd or CI.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals
import pyarrow as pa_arrow
import pyarrow.compute as pc
from pandera.typing.pandas import DataFrame
from scipy import sparse, stats

from analysis.settings import CONFIDENCE_LEVEL, LIKERT_MAX, Settings, SurveySettings, load_settings
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


def survey_aggregates(
    respondents: DataFrame[SurveyRespondents],
    *,
    settings: Settings | SurveySettings | None = None,
    validate: bool = True,
    changes: bool = True,
) -> SurveyResults:
    """Aggregate validated respondent-level answers per unit × year × item and index.

    Args:
        respondents: a frame satisfying ``schemas.studiebarometeret.SurveyRespondents`` (as
            :func:`analysis.readers.survey_raw.read_survey_respondents` returns it), optionally
            with ``institusjonskode`` and ``fakultetskode``.
        settings: minimum n, warning level, index rule and index items; default
            ``config/kvalitet.toml`` over the defaults in ``analysis.settings``.
        validate: check the outputs against their pandera contracts (on by default).
        changes: also compute year-on-year changes (off gives an empty ``changes`` table;
            the benchmark times them separately because DuckDB's reference query has none).

    Returns:
        :class:`SurveyResults` with ``items`` (SurveyItemResults), ``indices``
        (SurveyIndexResults) and ``changes`` (SurveyChanges), rows ordered by level, unit,
        year and item/index in configuration order.
    """
    survey = _survey_settings(settings)
    items = item_columns(respondents.columns)
    if not items:
        raise ValueError("no item columns: item columns are named by NOKUT variable names (underv_engasj_18)")
    for key in (PROGRAMME_KEY, YEAR_KEY):
        if key not in respondents.columns:
            raise ValueError(f"the respondent frame has no {key} column")
    notes: dict[str, object] = {}
    indices = _usable_indices(survey, items, notes)

    groups = _Groups.of(respondents)
    item_counts, index_sums = _count(respondents, items, indices, groups, survey)
    levels = groups.levels()

    item_frames, index_frames, change_frames = [], [], []
    for level in levels:
        counts = level.add_up(item_counts)
        item_stats = _stats_from_counts(counts)
        item_frames.append(_cells(level, items, item_stats, survey, "item"))
        index_stats = None
        if indices:
            index_stats = _stats_from_sums(*(level.add_up(a) for a in index_sums))
            index_frames.append(_cells(level, list(indices), index_stats, survey, "index_name"))
        if changes:
            change_frames.append(_changes(level, items, item_stats, survey, "item"))
        if changes and index_stats is not None:
            change_frames.append(_changes(level, list(indices), index_stats, survey, "index"))

    items_frame = _concat(item_frames)
    index_frame = _concat(index_frames) if index_frames else _empty(SurveyIndexResults)
    changes_frame = _concat(change_frames) if change_frames else _empty(SurveyChanges)
    if validate:
        items_frame = SurveyItemResults.validate(items_frame, lazy=True, inplace=True)
        index_frame = SurveyIndexResults.validate(index_frame, lazy=True, inplace=True)
        changes_frame = SurveyChanges.validate(changes_frame, lazy=True, inplace=True)
    notes["levels"] = [level.name for level in levels]
    return SurveyResults(items_frame, index_frame, changes_frame, notes)


def _survey_settings(settings: Settings | SurveySettings | None) -> SurveySettings:
    if settings is None:
        settings = load_settings()
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
    table: pd.DataFrame  # institution_code, unit_code, year — one row per unit × year
    parent: np.ndarray | None  # finest group -> row of table (None: the same groups)

    def categorical(self, column: str, index: np.ndarray) -> pd.Categorical:
        """``table[column][index]`` as a categorical; the categories are computed once."""
        cache = self.__dict__.setdefault("_categories", {})
        if column not in cache:
            values = self.table[column].astype(object)
            missing = values.isna().to_numpy()
            categories, codes = np.unique(values.fillna("").to_numpy(dtype=str), return_inverse=True)
            if missing.any():
                keep = categories != ""
                codes = np.where(missing, -1, (np.cumsum(keep) - 1)[codes])
                categories = categories[keep]
            cache[column] = (codes.astype(np.int64), categories)
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

    code: np.ndarray  # int64 per respondent
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
        group_of_run = runs.groupby(keys, sort=True, dropna=False).ngroup().to_numpy()
        table = runs.assign(_g=group_of_run).drop_duplicates("_g").sort_values("_g").drop(columns="_g")
        code = group_of_run.astype(np.int64)[run]
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
        for name, unit_key in specs:
            frame = pd.DataFrame({"institution_code": inst.astype(object).to_numpy(),
                                  "unit_code": t[unit_key].astype(object).to_numpy(),
                                  "year": t[YEAR_KEY].to_numpy()})
            keys = ["institution_code", "unit_code", "year"]
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


def _count(respondents: pd.DataFrame, items: list[str], indices: dict[str, tuple[str, ...]],
           groups: _Groups, survey: SurveySettings) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Answer counts per finest group × item × value (1–5), and per group × index the
    respondents' index n, Σ and Σ²."""
    n_groups = len(groups.table)
    code = groups.code
    key = np.empty_like(code)
    counts = np.empty((n_groups, len(items), LIKERT_MAX), dtype=np.int64)
    n_rows = len(respondents)
    total = {name: np.zeros(n_rows, dtype=np.int16) for name in indices}
    answered = {name: np.zeros(n_rows, dtype=np.int8) for name in indices}
    member_of: dict[str, list[str]] = {}
    for name, members in indices.items():
        for m in members:
            member_of.setdefault(m, []).append(name)
    # NOTE: when respondents come sorted by group (the usual delivery order) two items are
    # counted in one bincount over group·36 + a·6 + b: half the passes over 3 M rows, and the
    # active part of the count table stays in cache. Unsorted input counts one item per pass.
    pairs = n_rows > 1 and n_groups * _BINS * _BINS <= _PAIR_BINS_MAX and bool(np.all(code[1:] >= code[:-1]))
    step = 2 if pairs else 1
    group36 = code * (_BINS * _BINS) if pairs else None
    group6 = code * _BINS if not pairs or len(items) % 2 else None
    for k in range(0, len(items), step):
        chunk = items[k : k + step]
        values = [_answers(respondents[item]) for item in chunk]
        if len(chunk) == 2:
            pair = np.multiply(values[0], np.int8(_BINS), dtype=np.int8)
            pair += values[1]
            np.add(group36, pair, out=key)
            table = np.bincount(key, minlength=n_groups * _BINS * _BINS).reshape(n_groups, _BINS, _BINS)
            counts[:, k, :] = table.sum(axis=2)[:, 1:]
            counts[:, k + 1, :] = table.sum(axis=1)[:, 1:]
        else:
            np.add(group6, values[0], out=key)
            counts[:, k, :] = np.bincount(key, minlength=n_groups * _BINS).reshape(n_groups, _BINS)[:, 1:]
        for item, answers in zip(chunk, values):
            for name in member_of.get(item, ()):
                total[name] += answers
                answered[name] += answers > 0
        del values

    n_idx = np.zeros((n_groups, len(indices)), dtype=np.int64)
    s_idx = np.zeros((n_groups, len(indices)), dtype=np.float64)
    ss_idx = np.zeros((n_groups, len(indices)), dtype=np.float64)
    for j, (name, members) in enumerate(indices.items()):
        _index_sums(code, total.pop(name), answered.pop(name), len(members), survey.index_max_missing,
                    n_groups, key, n_idx[:, j], s_idx[:, j], ss_idx[:, j])
    return counts, (n_idx, s_idx, ss_idx)


def _index_sums(code: np.ndarray, total: np.ndarray, answered: np.ndarray, n_items: int, max_missing: int,
                n_groups: int, key: np.ndarray, n_out: np.ndarray, s_out: np.ndarray, ss_out: np.ndarray) -> None:
    """Per group: respondents with an index value, Σ index and Σ index².

    A respondent's (answered items, sum of answers) pair takes few values (at most
    (k+1)(5k+1) for k items), so one integer bincount over group × pair counts them all; the
    index of a pair is sum / answered, and Σ and Σ² follow from the counts without summing
    3 M floats. Pairs with nothing answered or too many missing items carry no index.
    """
    width = LIKERT_MAX * n_items + 1
    combos = (n_items + 1) * width
    pair = answered.astype(np.int16) * np.int16(width)
    pair += total
    np.multiply(code, combos, out=key)
    key += pair
    table = np.bincount(key, minlength=n_groups * combos).reshape(n_groups, n_items + 1, width)
    answered_values = np.arange(n_items + 1)
    usable = (answered_values > 0) & (n_items - answered_values <= max_missing)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.arange(width)[None, :] / answered_values[:, None]  # [answered, total]
    score[~usable, :] = 0.0
    table = table[:, usable, :]
    score = score[usable, :]
    n_out[:] = table.sum(axis=(1, 2))
    s_out[:] = (table * score).sum(axis=(1, 2))
    ss_out[:] = (table * (score * score)).sum(axis=(1, 2))


# --------------------------------------------------------------------------------------------
# Statistics


@dataclass
class _Stats:
    n: np.ndarray  # int64 [units, names]
    mean: np.ndarray  # float64, NaN where n == 0
    sd: np.ndarray  # float64, NaN where n < 2


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


def _t_quantile(df: np.ndarray) -> np.ndarray:
    """Two-sided t critical value for the confidence level, computed once per distinct df."""
    flat = np.maximum(df.ravel(), 0)
    present = np.flatnonzero(np.bincount(flat)) if flat.size else np.array([], dtype=np.int64)
    table = np.full(int(flat.max()) + 1 if flat.size else 1, np.nan)
    usable = present[present >= 1]
    table[usable] = stats.t.ppf(0.5 + CONFIDENCE_LEVEL / 2, usable)
    quantiles = table[flat].reshape(df.shape)
    quantiles[df < 1] = np.nan
    return quantiles


# --------------------------------------------------------------------------------------------
# Output frames


def _strings(values, index: np.ndarray) -> pd.Categorical:
    """A categorical column of ``values[index]`` (compact: one small integer per row).

    Missing values (no institution column) become missing entries, not a category.
    """
    values = pd.Series(values).astype(object)
    categories, codes = np.unique(values.fillna("").to_numpy(dtype=str), return_inverse=True)
    codes = codes.astype(np.int64)
    if values.isna().any():
        missing = values.isna().to_numpy()
        keep = categories != ""
        remap = np.cumsum(keep) - 1
        codes = np.where(missing, -1, remap[codes])
        categories = categories[keep]
    return pd.Categorical.from_codes(codes[index], categories=categories)


def _floats(values: np.ndarray, hide: np.ndarray) -> pd.arrays.FloatingArray:
    return pd.arrays.FloatingArray(np.where(hide, 0.0, values), hide | np.isnan(values))


def _cells(level: _Level, names: list[str], st: _Stats, survey: SurveySettings, name_column: str) -> pd.DataFrame:
    """One row per unit × year × name (unit-major), with suppression applied."""
    units, k = st.n.shape
    unit_index = np.repeat(np.arange(units), k)
    name_index = np.tile(np.arange(k), units)
    n = st.n.ravel()
    suppressed = n < survey.min_n
    half = _t_quantile(n - 1) * st.sd.ravel() / np.sqrt(np.maximum(n, 1))
    mean = st.mean.ravel()
    return pd.DataFrame({
        "level": _strings([level.name], np.zeros(units * k, dtype=np.int64)),
        "institution_code": level.categorical("institution_code", unit_index),
        "unit_code": level.categorical("unit_code", unit_index),
        "year": pd.array(level.table["year"].to_numpy()[unit_index], dtype="Int16"),
        name_column: _strings(names, name_index),
        "n": pd.array(n, dtype="Int32"),
        "mean": _floats(mean, suppressed),
        "sd": _floats(st.sd.ravel(), suppressed),
        "ci_low": _floats(mean - half, suppressed),
        "ci_high": _floats(mean + half, suppressed),
        "suppressed": suppressed,
        "few_respondents": ~suppressed & (n < survey.warn_n),
    })


def _changes(level: _Level, names: list[str], st: _Stats, survey: SurveySettings, kind: str) -> pd.DataFrame:
    """Change from year − 1 per unit × name, with Welch's t-test; empty where a year is suppressed."""
    table = level.table
    key = table.assign(row=np.arange(len(table)))
    previous = key.assign(year=key["year"] + 1).rename(columns={"row": "previous_row"})
    pairs = key.merge(previous, on=["institution_code", "unit_code", "year"], how="inner")
    current_row = pairs["row"].to_numpy()
    previous_row = pairs["previous_row"].to_numpy()
    k = len(names)
    unit_index = np.repeat(current_row, k)
    prev_index = np.repeat(previous_row, k)
    name_index = np.tile(np.arange(k), len(current_row))
    n2 = st.n[unit_index, name_index]
    n1 = st.n[prev_index, name_index]
    shown2 = n2 >= survey.min_n
    shown1 = n1 >= survey.min_n
    m2 = np.where(shown2, st.mean[unit_index, name_index], np.nan)
    m1 = np.where(shown1, st.mean[prev_index, name_index], np.nan)
    s2 = st.sd[unit_index, name_index]
    s1 = st.sd[prev_index, name_index]
    both = shown2 & shown1
    p = np.full(n2.shape, np.nan)
    if both.any():
        with np.errstate(invalid="ignore", divide="ignore"):
            p[both] = stats.ttest_ind_from_stats(m2[both], s2[both], n2[both], m1[both], s1[both], n1[both],
                                                 equal_var=False).pvalue
    change = m2 - m1
    years = table["year"].to_numpy()
    return pd.DataFrame({
        "level": _strings([level.name], np.zeros(n2.size, dtype=np.int64)),
        "institution_code": level.categorical("institution_code", unit_index),
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
    })


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

"""The survey's output tables, laid out from the counts of each group's answers.

Three tables (contracts in ``schemas/survey_results.py``), one row per

* ``items``: unit × year × item — ``n``, mean, sd, confidence interval and the distribution
  (count and % of each answer 1–5, "vet ikke" counted apart);
* ``indices``: unit × year × index — ``n`` respondents with an index value, mean, sd, interval;
* ``changes``: unit × item or index × year, from year − 1 — change, Welch p, BH-adjusted p and
  the significance mark.

Units are stacked in level order (programmes, faculties, institutions), each level sorted by
institution, faculty, unit and year; items and indices keep the configuration's order. A unit
has rows for the items (indices) of its institution's files (:func:`_not_asked`). What a
number means is defined in :mod:`analysis.metrics.survey`, what may be shown in
:mod:`analysis.disclosure`; this module only lays out rows. It builds a table a batch of units
at a time (:meth:`SurveyTables.batches`), so a national table is written without being held
whole; :meth:`SurveyTables.frame` gives the whole table as a validated frame.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pyarrow as pa

from analysis import disclosure
from analysis.arrays import array_of, dictionary_of, strings_of
from analysis.errors import closest
from analysis.metrics.survey import (
    ANSWERS,
    TQuantiles,
    answer_sums,
    benjamini_hochberg,
    confidence_interval,
    mean_and_sd,
    survey_settings,
    welch_p,
)
from analysis.metrics.survey_counts import GroupCounts, count_groups, respondent_files
from analysis.readers.survey_raw import FACULTY_KEY, INSTITUTION_KEY, RespondentFile
from analysis.settings import Settings, SurveySettings
from schemas.survey_layout import PROGRAMME_KEY, YEAR_KEY

LEVELS = disclosure.LEVELS
REASONS = disclosure.REASONS
#: Rows of an output batch: small enough to keep a national table out of memory (two tables are
#: written at once, a batch each: 1 << 16 rows took ~20 MB more at 3 M respondents), large
#: enough that the per-batch work is negligible.
BATCH_ROWS = 1 << 14
#: Cells decided per pass of the disclosure rule (a few items at a time, see ``Cells.of``).
DISCLOSURE_CELLS = 1 << 17
#: Cells of the group × count table added up at a time (:meth:`Units.add_up`): a few MB.
_ADD_UP_CELLS = 1 << 20


@dataclass(frozen=True)
class SurveyResults:
    """The validated output tables, and notes on what the configuration or data could not use."""

    items: object  # DataFrame[SurveyItemResults]
    indices: object  # DataFrame[SurveyIndexResults]
    changes: object  # DataFrame[SurveyChanges]
    notes: dict[str, object] = field(default_factory=dict)


def survey_aggregates(
    respondents: object | Sequence[object], *, settings: Settings | SurveySettings, validate: bool = True
) -> SurveyResults:
    """Items, indices and year-on-year changes per unit × year, as validated frames.

    Args:
        respondents: a frame satisfying ``schemas.studiebarometeret.SurveyRespondents``, an
            opened file (:func:`analysis.readers.survey_raw.open_survey_respondents`, read as it
            is counted), or several of these (e.g. one file per survey year). A frame with
            ``source_file`` is counted as the files its rows come from
            (:func:`~analysis.metrics.survey_counts.respondent_files`). An item a file
            lacks is missing for its respondents; a unit column a file lacks gives no rollup
            in the file's institution's years, and the files without ``institusjonskode`` are
            counted apart, in no institution (:func:`_rollups`).
        settings: ``min_n``, ``warn_n``, ``index_max_missing``, ``confidence_level`` and the
            indices.
        validate: check the frames against their contracts (``schemas/survey_results.py``).

    Returns:
        :class:`SurveyResults` with ``items``, ``indices`` and ``changes``, rows in level order
        (programme, faculty, institution), then unit, year and item/index in configuration order.

    Raises:
        analysis.errors.InputError: an opened file holds cells that are not answers, or bad
            keys; every problem of every file is listed, and nothing is returned.
    """
    tables = survey_tables(respondents, settings=survey_settings(settings))
    items, indices, changes = (tables.frame(name, validate=validate) for name in ("items", "indices", "changes"))
    return SurveyResults(items, indices, changes, tables.notes)


def survey_tables(respondents: object | Sequence[object], *, settings: SurveySettings) -> SurveyTables:
    """Count the respondents (see :func:`survey_aggregates`) and lay
    out the results. Raises ``InputError`` for a file with problems."""
    parts = respondents if isinstance(respondents, (list, tuple)) else [respondents]
    if not parts:
        raise ValueError("no respondents given")
    # a frame of several files (the validated stage's) is counted file by file, as the files are
    files = [
        file for part in parts for file in ([part] if isinstance(part, RespondentFile) else respondent_files(part))
    ]
    items = list(dict.fromkeys(item for file in files for item in file.items))
    if not items:
        raise ValueError("no item columns: item columns are named by NOKUT variable names (underv_engasj_18)")
    notes: dict[str, object] = {}
    indices = _usable_indices(settings, items, notes)
    counts = count_groups(files, items, indices, settings.index_max_missing)
    units = Units.of(counts, notes)
    # per unit × item: the counts of answers 1–5 and of "vet ikke"; per unit × index: n, Σ, Σ²
    answers = units.add_up(counts.answers)
    index_n, index_sum, index_squares, index_partial = (
        units.add_up(a) for a in (counts.index_n, counts.index_sum, counts.index_squares, counts.index_partial)
    )
    index_short = None if counts.index_short is None else units.add_up(counts.index_short)
    notes["reading"] = counts.notes
    index_scale = counts.index_scale
    institution_items = counts.institution_items
    del counts  # the groups' counts are not needed any more
    item_cells, index_cells = linked_cells(
        units,
        items,
        indices,
        settings,
        counts=answers,
        sums=(index_n, index_sum, index_squares),
        scale=index_scale,
        partial=index_partial,
        short=index_short,
    )
    notes["levels"] = units.levels
    changed = _index_items_changed(_index_items(units, item_cells, indices))
    if changed:
        notes["index_items_changed"] = changed
    tables = SurveyTables(units, item_cells, index_cells, settings, notes, changed)
    tables.not_asked = _not_asked(units, items, indices, institution_items)
    return tables


def _not_asked(
    units: Units, items: list[str], indices: dict[str, tuple[str, ...]], asked: dict[str | None, frozenset[str]]
) -> dict[str, np.ndarray]:
    """Per table (``items``, ``indices``), units × names: True where no file with the unit's
    institution's respondents has the item (or any item of the index), so that its rows are not
    written: an item only another institution's files ask would give this one's units rows of
    n 0, rows a run of this institution's files alone has not. Units without an institution
    code (of the files without ``institusjonskode``, None) are such an institution too: theirs
    are the items of those files. Empty (every row written) when every institution's files
    have every item, as nearly always."""
    every = set(items)
    short = {code: of for code, of in asked.items() if not every <= of}
    if not short:
        return {}
    rows = {
        name: np.zeros((len(units), len(names)), dtype=bool) for name, names in (("items", items), ("indices", indices))
    }
    for code, of in short.items():
        at = units.institution == code
        rows["items"][at] = [item not in of for item in items]
        rows["indices"][at] = [not of & set(members) for members in indices.values()]
    return rows


def _index_items(units: Units, items: Cells, indices: dict[str, tuple[str, ...]]) -> dict[tuple, dict[str, tuple]]:
    """Per institution and survey year, per index: the index's items with answers (1–5) there
    that year. An item without any was not asked (a question new that year, or dropped, or a
    column the year's file lacks), or only "vet ikke" was answered: either way it is in no index
    value, so the index of a year with other items is another measure. Each institution's own
    questionnaire decides (in a run of several, one that dropped an item is not measured by
    another's); programmes without an institution code are one place (None) a year. Read from
    the programmes' ``n``, which are published, hidden cells' too (their "vet ikke" counts are
    not: an item with a few "vet ikke" and no answer is not told apart from one not asked)."""
    programmes = np.flatnonzero(units.level == 0)
    answered = items.n[programmes] > 0  # programmes × items
    rows: dict[tuple, list[int]] = {}
    for k, place in enumerate(zip(units.institution[programmes].tolist(), units.year[programmes].tolist())):
        rows.setdefault(place, []).append(k)
    position = {item: k for k, item in enumerate(items.names)}
    by_place = {}
    for place, at in rows.items():
        asked = np.any(answered[at], axis=0)
        by_place[place] = {
            name: tuple(m for m in members if m in position and asked[position[m]]) for name, members in indices.items()
        }
    return by_place


def _index_items_changed(by_place: dict[tuple, dict[str, tuple]]) -> dict[str, list]:
    """Per index, each institution and year whose items differ from its year before's:
    (institution, year before, its items, year, its items). The index's change between the two
    is not shown (:meth:`SurveyTables._changes`). A year without any of the index's items has no
    index value to compare: not a change of items."""
    changed: dict[str, list] = {}
    for (institution, year), items in sorted(by_place.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        before = by_place.get((institution, year - 1))
        for name, now in items.items():
            if before is not None and before[name] and now and before[name] != now:
                changed.setdefault(name, []).append((institution, year - 1, before[name], year, now))
    return changed


def linked_cells(
    units: Units,
    items: list[str],
    indices: dict[str, tuple[str, ...]],
    settings: SurveySettings,
    *,
    counts: np.ndarray,
    sums: tuple[np.ndarray, np.ndarray, np.ndarray],
    scale: np.ndarray,
    partial: np.ndarray,
    short: np.ndarray | None = None,
) -> tuple[Cells, Cells]:
    """The items' and the indices' cells, what may be shown decided for both tables together.

    An index is the mean of its items, respondent by respondent, so the two tables give each
    other away in a unit × year: where its respondents answered every item of an index, the
    index's Σ is the items' Σ over their number. A shown index and the other items then give a
    hidden item's Σ (its mean, even its answers), and shown items give a hidden index's. Two
    rules close that (``analysis.disclosure``, rule 6):

    * an index is hidden where one of its items with answers is (an item without answers
      is in no index value);
    * a hidden index keeps one of its items hidden: where none is, the one with the fewest
      answers (ties: the index's order) is hidden, as ``secondary``.

    And where respondents skipped some of an index's items (``partial``: units × indices), the
    items' Σ less the number of items × the index's Σ is a figure about them alone (rule 7):
    known in a unit where the index and all its items are shown, and for the hidden units under
    a shown parent together (the parent's less its shown children's). Rules 2–4 decide, with
    the units' counts of such respondents as n and a minimum of 1, which units' figures must
    stay unknown so that none is one hidden unit's (a unit with none hides nothing: its figure
    is 0); a unit whose figure must go and is still known hides an item as a hidden index does.
    (An attack found a hidden programme of one respondent who answered one item and so had no
    index value: its answer was its faculty's figure.) A minimum of 1, not ``min_n``: the
    figure of a shown unit with one such respondent is that respondent's, and stays (README,
    "Not guarded"). With ``min_n`` here, and the figures of shown units with 1 to min_n − 1
    such respondents hidden too, 60 % of index cells with answers were hidden instead of 34 %
    on a synthetic 300 k file (2026-12-04: 43 % have that few), by an item or by the index
    alone, and an attacker who knows the answer patterns still got a hidden cell of one
    (``tests/test_disclosure_linked.py``, the cases marked open).

    Where two files of an institution's year ask different items of an index (``short``: units
    × indices, the respondents who answered every item their file has, where another file has
    one more), the respondents of the file with fewer count as such respondents too, in a second
    figure: the items' Σ less the number of items the institution's year has × the index's Σ.
    Rule 7 then keeps both figures from being one hidden unit's (an attack, 2026-12-05: a hidden
    programme of two respondents whose file lacked one of three items, beside hidden programmes
    of the other file, gave its index, as the faculty's index and items less the shown
    programmes' weighed the two files' respondents by 1/2 and 1/3).

    Each table's own rules then protect what the other made it hide, and may hide more: the
    passes repeat until neither adds a cell. Cells only ever get added to what is forced hidden,
    so the passes settle (at worst when every cell is hidden)."""
    item_cells = Cells.of(units, items, settings, counts=counts)
    position = {item: k for k, item in enumerate(items)}
    members = [np.array([position[m] for m in names if m in position], dtype=np.int64) for names in indices.values()]
    index_hide = np.zeros((len(units), len(indices)), dtype=bool)
    item_hide = np.zeros(item_cells.n.shape, dtype=bool)
    while True:
        # what hides a figure, or an index: a hidden cell with answers (a cell with n 0 is a
        # published 0, hidden or not: an attack recovered a hidden programme's figure through a
        # sibling whose only hidden cells, its index and one item, had none)
        item_unknown = item_cells.hidden & (item_cells.n > 0)
        # an index is hidden where one of its items is unknown: an item nobody answered (hidden
        # for its few "vet ikke", or a question not asked that year) is in no index value. Hiding
        # the index there made a year's cells depend on the other years in the run (the 2025
        # report, with a question new in 2025, hid other 2024 cells than the 2024 report, and
        # the two reports together gave a hidden programme's answers: an attack, 2026-12-04)
        for j, columns in enumerate(members):
            index_hide[:, j] |= item_unknown[:, columns].any(axis=1)
        # (an index cell without values has nothing to hide)
        index_cells = Cells.of(units, list(indices), settings, sums=sums, scale=scale, hide=index_hide & (sums[0] > 0))
        unknown = index_cells.hidden & (sums[0] > 0)
        for j, columns in enumerate(members):
            unknown[:, j] |= item_unknown[:, columns].any(axis=1)
        # rule 7: which units' figures about the respondents who skipped items must stay unknown
        # (and, where files ask different items, about those of the files with fewer)
        kept = np.zeros(partial.shape, dtype=np.int8)
        for skipped in (partial,) if short is None else (partial, partial + short):
            kept = np.maximum(
                kept,
                disclosure.suppression_codes(
                    skipped.ravel().astype(np.int64),
                    disclosure.cell_parents(units.parent_unit, len(members)),
                    np.repeat(units.code_dictionaries["unit_code"][0], len(members)),
                    1,
                    hide=(unknown & (skipped > 0)).ravel(),
                    primary=False,
                ).reshape(partial.shape),
            )
        more = np.zeros_like(item_hide)
        for j, columns in enumerate(members):  # a hidden index (or figure) keeps one of its items hidden
            need = (index_cells.hidden[:, j] & (sums[0][:, j] > 0)) | (kept[:, j] > 0)
            bare = np.flatnonzero(need & ~item_unknown[:, columns].any(axis=1))
            if len(bare):
                n = item_cells.n[np.ix_(bare, columns)]
                fewest = np.where(n > 0, n, np.iinfo(np.int64).max).argmin(axis=1)  # (stable: the index's order)
                more[bare, columns[fewest]] = True
        # (only cells not yet forced: each pass forces at least one more, so the passes end even
        # if a forced cell were not hidden; that would be a bug, and the rule checks then fail)
        more &= ~item_hide
        if not more.any():
            return item_cells, index_cells
        item_hide |= more
        item_cells.decide(units, settings, np.flatnonzero(more.any(axis=0)), item_hide)


def _usable_indices(survey: SurveySettings, items: list[str], notes: dict) -> dict[str, tuple[str, ...]]:
    """Configured indices with at least one item in the data (an index item the data lacks is
    missing for every respondent; an index with none of its items is left out, and named)."""
    present = set(items)
    usable = {name: tuple(members) for name, members in survey.indices.items() if present & set(members)}
    left_out = [name for name in survey.indices if name not in usable]
    # each absent item with the data's closest item name (a typo, or the name another survey
    # year gives the question: underv_engasj_19 for underv_engasj_18), None when none is close
    partly = {
        name: {m: closest(m, items, cutoff=0.8) for m in members if m not in present}
        for name, members in usable.items()
        if not set(members) <= present
    }
    if left_out:
        notes["indices_without_items"] = left_out
    if partly:
        notes["index_items_not_in_data"] = partly
    return usable


@dataclass
class Units:
    """Every unit × year of every level, stacked in level order, and which groups each adds up."""

    level: np.ndarray  # index into LEVELS
    institution: np.ndarray  # object: code or None
    faculty: np.ndarray  # object: code or None (a programme's faculty; a faculty's own code)
    code: np.ndarray  # object: the unit's own code
    year: np.ndarray  # int16
    #: per level: group -> unit row, −1 for a group of a year without the level
    parents: list[np.ndarray]
    levels: list[str]

    def __len__(self) -> int:
        return len(self.code)

    @classmethod
    def of(cls, counts: GroupCounts, notes: dict) -> Units:
        """The units of the groups' keys, their rollups decided per institution × year
        (:func:`_rollups`, the one place): an institution's year adds up into the institution,
        and into faculties when every file with its respondents that year has
        ``fakultetskode``; the files of a year without ``institusjonskode`` are a place of their
        own, of no institution, with faculties when every one of them has ``fakultetskode``.
        What one place's files hold or lack changes no other place's units. A group of a place
        without a level adds up into no unit of it (its parent there is −1)."""
        keys = counts.keys
        groups = len(keys[PROGRAMME_KEY])
        year = np.asarray(keys[YEAR_KEY], dtype=np.int64)
        places = list(zip(keys[INSTITUTION_KEY], keys[YEAR_KEY]))
        rollups = _rollups(keys)
        _rollup_notes(keys, rollups, notes)
        # per group, whether its place has the institution level, and the faculty level
        by_institution, by_faculty = (
            np.fromiter((rollups[place][k] for place in places), dtype=bool, count=groups) for k in (0, 1)
        )
        institution = [code if rolled else None for code, rolled in zip(keys[INSTITUTION_KEY], by_institution)]
        faculty = [code if rolled else None for code, rolled in zip(keys[FACULTY_KEY], by_faculty)]
        # every code as its rank among its key's sorted codes, −1 for none (sorts first)
        (i, institutions), (f, faculties), (p, programmes) = (
            _ranks(values) for values in (institution, faculty, keys[PROGRAMME_KEY])
        )
        none, every_group = np.full(groups, -1), np.ones(groups, dtype=bool)
        # per level, each group's unit: its institution, faculty, own code (and those codes), and
        # the groups that add up into one of the level's units
        at_level: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, list, np.ndarray]] = {
            "programme": (i, f, p, programmes, every_group)
        }
        if by_faculty.any():
            at_level["faculty"] = (i, f, f, faculties, by_faculty)
        if by_institution.any():
            at_level["institution"] = (i, none, i, institutions, by_institution)
        columns: list[list[np.ndarray]] = [[], [], [], [], []]
        parents = []
        for level, (institution_rank, faculty_rank, code_rank, codes, rolled) in at_level.items():
            # the distinct units, sorted by institution, faculty, code and year
            place = np.stack([institution_rank, faculty_rank, code_rank, year], axis=1)
            units, unit_of_group = _distinct_rows(place[rolled])
            parent = np.full(groups, -1, dtype=np.int64)
            parent[rolled] = unit_of_group + sum(len(c) for c in columns[0])
            parents.append(parent)
            unit_columns: list[np.ndarray] = [
                np.full(len(units), LEVELS.index(level), dtype=np.int8),
                _codes(institutions, units[:, 0]),
                _codes(faculties, units[:, 1]),
                _codes(codes, units[:, 2]),
                units[:, 3].astype(np.int16),
            ]
            for column, values in zip(columns, unit_columns):
                column.append(values)
        levels, institution_codes, faculty_codes, unit_codes, years = (np.concatenate(c) for c in columns)
        return cls(levels, institution_codes, faculty_codes, unit_codes, years, parents, list(at_level))

    def add_up(self, per_group: np.ndarray) -> np.ndarray:
        """Per unit, the sum over its groups (a rollup pools its respondents): counts as int32
        at least (a group's may be 16-bit; a faculty's may not fit), sums as float64."""
        out = np.zeros((len(self),) + per_group.shape[1:], dtype=np.result_type(per_group.dtype, np.int32))
        for parent in self.parents:
            start = int(parent[0]) if len(parent) else 0
            if start >= 0 and np.array_equal(parent, np.arange(start, start + len(parent))):
                # each group its own unit, in order (the programmes of one file): NOTE a slice, not
                # fancy indexing (which copies the rows out and back, in a 28 MB temporary at 3 M
                # respondents): 0.017 against 0.12 s on the first call
                out[start : start + len(parent)] += per_group
                continue
            own = per_group
            if (parent < 0).any():  # groups of a year without the level add up into none of its units
                own, parent = per_group[parent >= 0], parent[parent >= 0]
            if len(np.unique(parent)) == len(parent):  # each group its own unit (programmes)
                out[parent] += own
                continue
            if own.dtype.kind == "f" or own.ndim < 2:  # index sums: in group order, as ever
                np.add.at(out, parent, own)
                continue
            # answer counts: np.add.at is ~10× slower on a national table; here the groups are
            # sorted by unit and each unit's run is summed at once (integers add up alike in any
            # order), a block of columns at a time (no copy of the whole table)
            order = np.argsort(parent, kind="stable")
            units, first = np.unique(parent[order], return_index=True)
            groups, into = own.reshape(len(parent), -1), out.reshape(len(out), -1)
            step = max(1, _ADD_UP_CELLS // max(1, len(order)))
            for lo in range(0, groups.shape[1] if len(order) else 0, step):
                into[units, lo : lo + step] += np.add.reduceat(
                    groups[order, lo : lo + step], first, axis=0, dtype=into.dtype
                )
        return out

    @cached_property
    def parent_unit(self) -> np.ndarray:
        """Each unit's parent unit row, −1 for none: the hierarchy the disclosure pass protects
        (worked out once for the items' and the indices' cells)."""
        return disclosure.unit_parents(self.place()) if len(self) else np.zeros(0, dtype=np.int64)

    def place(self) -> dict[str, np.ndarray]:
        """The units' columns as :func:`analysis.disclosure.unit_parents` takes them."""
        return {
            "year": self.year,
            "institution_code": self.institution,
            "faculty_code": self.faculty,
            "unit_code": self.code,
            "level": np.asarray(LEVELS, dtype=object)[self.level],
        }

    @cached_property
    def code_dictionaries(self) -> dict[str, tuple[np.ndarray, pa.Array]]:
        """Per code column, each unit's position in the sorted distinct codes and those codes
        (made once; the output tables are made in two threads at once, so before them)."""
        return {
            name: _dictionary(values)
            for name, values in (
                ("institution_code", self.institution),
                ("faculty_code", self.faculty),
                ("unit_code", self.code),
            )
        }

    def columns(self, rows: np.ndarray) -> dict[str, pa.Array]:
        """The unit columns of the output rows of unit ``rows``."""
        out = {"level": dictionary_of(self.level[rows], strings_of(list(LEVELS)))}
        for name, (codes, dictionary) in self.code_dictionaries.items():
            index = codes[rows]
            out[name] = dictionary_of(index, dictionary, index < 0)
        out["year"] = array_of(self.year[rows])
        return out


#: A place whose rollups are decided together: (institution code, survey year), None for the
#: files of that year without ``institusjonskode``
Place = tuple[str | None, int]


def _rollups(keys: dict[str, list]) -> dict[Place, tuple[bool, bool]]:
    """Per institution × year, whether its groups add up into an institution, and into
    faculties: the one rule of the hierarchy (README, "The hierarchy is built…"). A rollup needs
    every respondent's code, so an institution's year has faculties when every file with its
    respondents that year has ``fakultetskode`` (a group without a faculty code is of a file
    without the column: an empty code is refused), and what another institution's files lack
    takes nothing from it. The files of a year without ``institusjonskode`` are a place of their
    own (None): no institution, and faculties when every one of them has ``fakultetskode``, as
    in a run of those files alone (there a faculty code may pool several institutions' faculties
    of one code, as a programme code their programmes). Before, such a file took the institution
    and faculty levels of its year from every institution, and X's programmes lost the
    complements they have in a run of X's files alone: the two runs together gave a hidden
    programme's answers (a second reader's attack, 2026-12-05)."""
    faculty: dict[Place, bool] = {}
    for place, code in zip(zip(keys[INSTITUTION_KEY], keys[YEAR_KEY]), keys[FACULTY_KEY]):
        faculty[place] = faculty.get(place, True) and code is not None
    return {place: (place[0] is not None, has) for place, has in faculty.items()}


def _rollup_notes(keys: dict[str, list], rollups: dict[Place, tuple[bool, bool]], notes: dict) -> None:
    """What the places' rollups leave out, for the notes (``survey_notes.note_lines``), where
    some file of the run has the unit column: the years with files without
    ``institusjonskode`` (``unit_columns_not_in_every_file``), and per year the places without
    faculties (``faculty_column_not_in_every_file_of``: institution codes, None for the files
    without ``institusjonskode``) and whether another place of the year keeps its own
    (``faculties_kept_beside``)."""
    given = {k for k in (INSTITUTION_KEY, FACULTY_KEY) if any(v is not None for v in keys[k])}
    if INSTITUTION_KEY in given:
        apart = sorted({y for i, y in rollups if i is None})
        if apart:
            notes["unit_columns_not_in_every_file"] = {INSTITUTION_KEY: apart}
    if FACULTY_KEY not in given:
        return
    lacking = sorted((y, i is not None, i or "") for (i, y), (_, faculty) in rollups.items() if not faculty)
    if not lacking:
        return
    years = list(dict.fromkeys(y for y, _, _ in lacking))
    notes["faculty_column_not_in_every_file_of"] = {y: [i or None for at, _, i in lacking if at == y] for y in years}
    # the years of those where an institution keeps its faculties: said there, and only there
    # (a run of one institution's files has no other to keep)
    kept = sorted({y for (i, y), (_, faculty) in rollups.items() if faculty and i is not None} & set(years))
    if kept:
        notes["faculties_kept_beside"] = kept


def _pairs_across_missing_unit_columns(u: Units, paired: set[int]) -> list[tuple[int, int]]:
    """(now, year − 1) of one programme where its institution has no faculties in one of the two
    years: an institution's year's rollups are its own (:meth:`Units.of`), so a programme of a
    year whose institution's files lack fakultetskode has no faculty, where last year it had one. Within its institution a
    programme code is one programme: paired (``paired``: the rows paired already) one to one,
    where exactly one programme of last year has its code and institution and no other
    programme of this year claims it. Never between an institution's programme and one of the
    files without institusjonskode (no institution, None: a place of its own, :func:`_rollups`):
    a programme code is unique only within an institution, and those files may pool several
    institutions' programmes of one code (a second reader: two institutions' changes measured
    against their pooled mean). Only programmes can be such units: a rollup exists only in a
    place with its column."""
    programme = u.level == LEVELS.index("programme")
    # a place's programmes all have their faculty codes or none has (_rollups):
    # every programme with one, or none, and there is nothing to look for
    without = u.faculty[programme] == None  # noqa: E711 — elementwise, in numpy
    if without.all() or not without.any():
        return []
    rows = np.flatnonzero(programme).tolist()
    # the institutions and years whose programmes have faculty codes
    coded = {(u.institution[r], int(u.year[r])) for r in rows if u.faculty[r] is not None}
    last_year: dict[tuple, list[int]] = {}
    for row in rows:
        last_year.setdefault((u.institution[row], u.code[row], int(u.year[row]) + 1), []).append(row)

    def same(row: int, before: int) -> bool:
        place = (u.institution[row], int(u.year[row]))
        return (
            u.faculty[row] == u.faculty[before]
            or place not in coded
            or (u.institution[before], int(u.year[before])) not in coded
        )

    used = {now - 1 for now in paired}  # the year before of a unit paired already (its adjacent row)
    claims: dict[int, list[int]] = {}
    for row in rows:
        if row not in paired:
            candidates = [
                b for b in last_year.get((u.institution[row], u.code[row], int(u.year[row])), []) if same(row, b)
            ]
            if len(candidates) == 1 and candidates[0] not in used:
                claims.setdefault(candidates[0], []).append(row)
    return sorted((now[0], before) for before, now in claims.items() if len(now) == 1)


def _ranks(values: list) -> tuple[np.ndarray, list]:
    """Codes (or None) as their rank among the sorted distinct codes (−1 for None), and those
    codes."""
    distinct = sorted({v for v in values if v is not None})
    rank = {code: k for k, code in enumerate(distinct)}
    return np.fromiter((rank.get(v, -1) for v in values), dtype=np.int64, count=len(values)), distinct


def _distinct_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of an integer table, sorted by its columns in order, and each row's
    position among them (as ``np.unique(rows, axis=0, return_inverse=True)``, ~10× faster)."""
    order = np.lexsort(rows.T[::-1])
    ordered = rows[order]
    new = np.ones(len(rows), dtype=bool)
    new[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    position = np.empty(len(rows), dtype=np.int64)
    position[order] = np.cumsum(new) - 1
    return ordered[new], position


def _codes(distinct: list, ranks: np.ndarray) -> np.ndarray:
    """Ranks back to their codes (an object array; None for −1)."""
    return np.asarray([None, *distinct], dtype=object)[ranks + 1]


def _dictionary(values: np.ndarray) -> tuple[np.ndarray, pa.Array]:
    """Codes as (position in the sorted distinct codes, −1 for none; the distinct codes)."""
    position, distinct = _ranks(list(values))
    return position.astype(np.int32), strings_of(distinct)


@dataclass
class Cells:
    """One result per unit × name (item or index): its respondents, why it is hidden, and what
    its mean and sd are made of (the answer counts, or an index's Σ and Σ²)."""

    names: list[str]
    n: np.ndarray  # units × names
    reason: np.ndarray  # index into REASONS
    counts: np.ndarray | None = None  # units × names × (answers 1–5, "vet ikke")
    #: an index's Σ and Σ² of its respondents' values times ``scale`` (units × names, whole
    #: numbers: ``survey_counts.index_scale``); None for items (the counts)
    sums: tuple[np.ndarray, np.ndarray] | None = None
    #: per name, what the values in ``sums`` are multiplied by
    scale: np.ndarray | None = None

    @classmethod
    def of(
        cls,
        units: Units,
        names: list[str],
        settings: SurveySettings,
        *,
        counts: np.ndarray | None = None,
        sums: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
        scale: np.ndarray | None = None,
        hide: np.ndarray | None = None,
    ) -> Cells:
        """The cells of items (``counts``: units × names × answers 1–5 and "vet ikke") or of
        indices (``sums``: n, Σ and Σ² per unit × name of the values times ``scale``, per
        name), with what may be shown decided; ``hide``: units × names, cells a linked table
        needs hidden (:func:`linked_cells`)."""
        if counts is not None:
            n = counts[..., : len(ANSWERS)].sum(axis=-1)
            index_sums = None
        else:
            assert sums is not None, "Cells.of() needs the counts or the sums"
            n, index_sums = np.asarray(sums[0], dtype=np.int64), (sums[1], sums[2])
        cells = cls(names, n, np.zeros(n.shape, dtype=np.int8), counts, index_sums, scale)
        cells.decide(units, settings, np.arange(len(names)), hide)
        return cells

    def decide(self, units: Units, settings: SurveySettings, columns: np.ndarray, hide: np.ndarray | None) -> None:
        """Decide what may be shown of the cells of the names at ``columns`` (again), with the
        cells ``hide`` (units × all names, or None) hidden first."""
        # what may be published is decided in one place, for every cell
        parent = units.parent_unit
        rank, _ = units.code_dictionaries["unit_code"]  # ties between equally small cells: by unit code
        # NOTE: a cell's parents all have its own item or index, so the names are decided a few
        # at a time: the same decision, without the pass's arrays for millions of cells at once
        step = max(1, DISCLOSURE_CELLS // max(1, len(units)))
        for lo in range(0, len(columns), step):
            part = columns[lo : lo + step]
            n = self.n[:, part]
            k = len(part)
            # with answer counts, the "vet ikke" answers count as answers for who is protected
            answered = n + self.counts[:, part, -1] if self.counts is not None else None
            self.reason[:, part] = disclosure.suppression_codes(
                n.ravel(),
                disclosure.cell_parents(parent, k),
                np.repeat(rank, k),
                settings.min_n,
                answered.ravel() if answered is not None else None,
                hide[:, part].ravel() if hide is not None else None,
            ).reshape(n.shape)

    @property
    def hidden(self) -> np.ndarray:
        """units × names: True where the cell is hidden."""
        return self.reason > 0

    def mean_and_sd(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The mean and sd of the cells of unit ``rows`` (rows × names), made when a batch is
        laid out: the whole table's would be ~20 MB more at 3 M respondents, held while every
        table is written."""
        if self.sums is None:
            assert self.counts is not None
            n, total, squares = answer_sums(self.counts[rows, :, : len(ANSWERS)])
        else:
            n, total, squares = self.n[rows], self.sums[0][rows], self.sums[1][rows]
        mean, sd = mean_and_sd(n, total, squares)
        if self.scale is not None:  # from the scaled sums (whole numbers: see index_scale) to the values
            mean, sd = mean / self.scale, sd / self.scale
        return mean, sd


@dataclass
class SurveyTables:
    """The three output tables, built a batch of units at a time."""

    units: Units
    items: Cells
    indices: Cells
    settings: SurveySettings
    notes: dict[str, object] = field(default_factory=dict)
    #: per index, where its items differ from the year before's (:func:`_index_items_changed`):
    #: its change is not shown there
    index_items_changed: dict[str, list] = field(default_factory=dict)
    #: per table, units × names where no file of the unit's institution has the item or index
    #: (:func:`_not_asked`): rows not written; empty: every row written
    not_asked: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._pairs = self._year_pairs()
        # the t quantile of every cell's df, once for all batches (see TQuantiles)
        self._t = TQuantiles([self.items.n - 1, self.indices.n - 1], self.settings.confidence_level)
        self.units.code_dictionaries  # noqa: B018 — made here, before the tables are made in threads

    def batches(self, name: str) -> Iterator[pa.Table]:
        """The table ``items``, ``indices`` or ``changes`` in batches of rows, in order; at least
        one batch (an empty table has its columns too)."""
        none = np.zeros(0, dtype=np.int64)
        if name == "changes":
            yield self._changes("item", self.items, none, none)
            now, before = self._pairs
            for level in range(len(LEVELS)):
                at = self.units.level[now] == level
                for kind, cells in (("item", self.items), ("index", self.indices)):
                    for part in _parts(np.flatnonzero(at), len(cells.names)):
                        yield self._changes(kind, cells, now[part], before[part])
            return
        cells = self.items if name == "items" else self.indices
        yield self._cells(name, cells, none)
        for part in _parts(np.arange(len(self.units)), len(cells.names)):
            yield self._cells(name, cells, part)

    def frame(self, name: str, *, validate: bool = True):
        """The whole table as a frame; validated against its contract unless ``validate`` is off."""
        import pandas as pd

        from schemas.survey_results import SurveyChanges, SurveyIndexResults, SurveyItemResults

        table = pa.concat_tables(self.batches(name))
        types: dict[pa.DataType, pd.api.extensions.ExtensionDtype] = {
            pa.int16(): pd.Int16Dtype(),
            pa.int32(): pd.Int32Dtype(),
            pa.float64(): pd.Float64Dtype(),
        }
        if name == "changes":  # its one boolean, ``significant``, is missing where there is no test
            types[pa.bool_()] = pd.BooleanDtype()
        frame = table.to_pandas(types_mapper=types.get)
        if validate:
            model = {"items": SurveyItemResults, "indices": SurveyIndexResults, "changes": SurveyChanges}[name]
            frame = model.validate(frame, lazy=True, inplace=True)
        return frame

    # ----------------------------------------------------------------------------------------

    def _cells(self, name: str, cells: Cells, rows: np.ndarray) -> pa.Table:
        k = len(cells.names)
        unit = np.repeat(rows, k)
        n = cells.n[rows].ravel()
        mean, sd = (x.ravel() for x in cells.mean_and_sd(rows))
        reason = cells.reason[rows].ravel()
        hidden = reason > 0
        low, high = confidence_interval(mean, sd, n, self.settings.confidence_level, self._t)
        columns = self.units.columns(unit)
        columns["item" if name == "items" else "index_name"] = _names(cells.names, len(rows))
        columns |= {
            "n": array_of(n.astype(np.int32)),
            "mean": _floats(mean, hidden),
            "sd": _floats(sd, hidden),
            "ci_low": _floats(low, hidden),
            "ci_high": _floats(high, hidden),
            "suppressed": array_of(hidden),
            "suppression": dictionary_of(reason, strings_of(list(REASONS))),
            "few_respondents": array_of(~hidden & disclosure.few_respondents(n, self.settings)),
        }
        if cells.counts is not None:
            counts = cells.counts[rows].reshape(-1, len(ANSWERS) + 1)
            with np.errstate(invalid="ignore", divide="ignore"):
                for j, answer in enumerate(ANSWERS):
                    columns[f"count_{answer}"] = _counts(counts[:, j], hidden)
                for j, answer in enumerate(ANSWERS):
                    columns[f"pct_{answer}"] = _floats(100.0 * counts[:, j] / n, hidden)
                dont_know = counts[:, -1]
                columns["dont_know"] = _counts(dont_know, hidden)
                columns["dont_know_pct"] = _floats(100.0 * dont_know / (n + dont_know), hidden)
        return self._asked(_table(columns), name, rows)

    def _asked(self, table: pa.Table, name: str, rows: np.ndarray) -> pa.Table:
        """``table``'s rows of unit ``rows`` × the table's names, without those no file of the
        unit's institution asks (:attr:`not_asked`)."""
        not_asked = self.not_asked.get(name)
        if not_asked is None or not len(rows):
            return table
        keep = ~not_asked[rows].ravel()
        return table if keep.all() else table.filter(pa.array(keep))

    def _year_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Rows (now, year − 1) of the same unit, in unit order. A unit's years are adjacent
        rows, in order (:meth:`Units.of` sorts each level by institution, faculty, code, year),
        but for a programme whose two years do not both have its faculty or institution code
        (:func:`_pairs_across_missing_unit_columns`)."""
        u = self.units
        same_unit = np.ones(max(len(u) - 1, 0), dtype=bool)
        for column in (u.level, u.institution, u.faculty, u.code):
            same_unit &= column[1:] == column[:-1]  # (None equals None in an object array)
        now = np.flatnonzero(same_unit & (np.diff(u.year.astype(np.int64)) == 1)) + 1
        across = _pairs_across_missing_unit_columns(u, set(now.tolist()))
        if not across:
            return now, now - 1
        pairs = sorted([*zip(now.tolist(), (now - 1).tolist(), strict=True), *across])
        return np.array([a for a, _ in pairs], dtype=np.int64), np.array([b for _, b in pairs], dtype=np.int64)

    def _changes(self, kind: str, cells: Cells, now: np.ndarray, before: np.ndarray) -> pa.Table:
        k = len(cells.names)
        n2, n1 = cells.n[now], cells.n[before]
        shown2, shown1 = cells.reason[now] == 0, cells.reason[before] == 0
        (mean2, sd2), (mean1, sd1) = cells.mean_and_sd(now), cells.mean_and_sd(before)
        m2 = np.where(shown2, mean2, np.nan)
        m1 = np.where(shown1, mean1, np.nan)
        both = disclosure.change_shown(shown2, shown1)
        # an index is the same measure in both years only with the same items asked
        changed = ~self._same_index_items(now) if kind == "index" else np.zeros(both.shape, dtype=bool)
        both &= ~changed
        p = np.full(both.shape, np.nan)  # a test only where the change is shown
        p[both] = welch_p(m2[both], sd2[both], n2[both], m1[both], sd1[both], n1[both])
        # one family of tests per row: one unit's items (or indices) in one year
        adjusted = benjamini_hochberg(p)
        untested = ~both.ravel() | np.isnan(adjusted.ravel())
        columns = self.units.columns(np.repeat(now, k))
        year = columns.pop("year")
        columns["kind"] = dictionary_of(np.zeros(n2.size, np.int8), strings_of([kind]))
        columns["name"] = _names(cells.names, len(now))
        columns |= {
            "year": year,
            "previous_year": array_of(self.units.year[np.repeat(before, k)]),
            "n": array_of(n2.ravel().astype(np.int32)),
            "n_previous": array_of(n1.ravel().astype(np.int32)),
            "mean": _floats(m2.ravel(), ~shown2.ravel()),
            "mean_previous": _floats(m1.ravel(), ~shown1.ravel()),
            "change": _floats((m2 - m1).ravel(), ~both.ravel()),
            "p_value": _floats(p.ravel(), ~both.ravel()),
            "p_adjusted": _floats(adjusted.ravel(), untested),
            # no test, no mark: a hidden change is unknown, never "not significant"
            "significant": array_of((adjusted < 1 - self.settings.confidence_level).ravel(), untested),
            # the index's items differ between the years: no change, whether or not both are shown
            # (as the SHoT table marks a changed definition)
            "definition_changed": array_of(changed.ravel()),
        }
        return self._asked(_table(columns), "items" if kind == "item" else "indices", now)

    def _same_index_items(self, now: np.ndarray) -> np.ndarray:
        """rows × indices: False where the index's items at the row's institution and year differ
        from the year before's (:attr:`index_items_changed`)."""
        names = self.indices.names
        same = np.ones((len(now), len(names)), dtype=bool)
        institution, year = self.units.institution[now], self.units.year[now]
        for name, places in self.index_items_changed.items():
            for place, _, _, place_year, _ in places:
                same[(institution == place) & (year == place_year), names.index(name)] = False
        return same


def _parts(rows: np.ndarray, names: int) -> Iterator[np.ndarray]:
    """``rows`` in parts of about BATCH_ROWS output rows (``names`` rows each)."""
    if names:
        step = max(1, BATCH_ROWS // names)
        for lo in range(0, len(rows), step):
            yield rows[lo : lo + step]


def _names(names: list[str], units: int) -> pa.Array:
    index = np.tile(np.arange(len(names), dtype=np.int16), units)
    return dictionary_of(index, strings_of(names))


def _floats(values: np.ndarray, hidden: np.ndarray) -> pa.Array:
    """Values with nulls where hidden or not a number."""
    return array_of(values.astype(np.float64, copy=False), hidden | np.isnan(values))


def _counts(values: np.ndarray, hidden: np.ndarray) -> pa.Array:
    return array_of(values.astype(np.int32), hidden)


def _table(columns: dict[str, pa.Array]) -> pa.Table:
    return pa.Table.from_arrays(list(columns.values()), names=list(columns))

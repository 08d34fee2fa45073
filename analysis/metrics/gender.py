"""Gender-imbalance flags: which units have less than 40 % of the under-represented gender.

Policy (NTNU, diversity and gender equality 2018–2021): a study programme with *less than*
40 % of the under-represented gender shall act. Either gender can be under-represented.

Definitions, as implemented here:

- **Under-represented gender**: the gender with the smaller count (or share). Equal counts
  are ``none``. Shares given only as percentages (the seed, Samordna opptak) are taken as the
  share of women, and men as the rest (100 − p).
- **Flagged** exactly when the under-represented share is *below* the threshold, compared
  exactly: ``under × q < p × total`` for a threshold ``p/q`` with integer counts, and as
  ``Fraction(str(percent))`` for given percentages. 40 % exactly is ``ok``.
- **students_needed**: the smallest ``k`` with ``(u + k) / (total + k) ≥ threshold`` (the
  other gender's count unchanged), i.e. ``k = max(0, ⌈(p·total − q·u) / (q − p)⌉)``.
  Empty where only shares are known. Where the counts are an interval (suppressed
  departments inside a faculty) ``k`` falls as the under-represented count rises, so
  :func:`~analysis.metrics.students_needed.students_needed_range` gives the fewest (at the interval's highest count of that
  gender) and the most (at its lowest); a unit flagged from an interval needs a number in that
  range.
- **Measure**: the measure *with* its semester, student category and the filter of its
  download ("registered students, autumn, category S, Nivåkode HN": a column the reader does
  not read with one value in every row, :func:`analysis.readers.base.measure_filter`). Units
  are compared, summed and followed over years only within one measure; a source that adds the
  categories together (``all``) is another measure, and so is a file of one table with another
  filter.
- **Suppressed** cells are ``unknown`` with a reason, never 0: a small cell DBH masks in open
  data, or a unit that reported no gender split (``analysis.readers.dbh``). A row with one
  gender masked beside the other's count (DBH table 379 adds its total from women and men, each
  a cell written 0 where it holds 1 or 2: 0 women beside 7 men) is judged on the interval it
  says, its masked students beyond its total (below): 0 to 2 women of 7 to 9 students is
  ``flagged`` (2/9 is below), 0 to 2 of 3 to 5 ``unknown`` (2/5 is 40 %, not below); its women
  and men are not shown, and its reason says the interval; a department beside such
  programmes whose own total less theirs may be all in their masked cells shows the interval
  of their totals, not its own (:func:`_judged_by_parts`). A department's row
  of the student categories added (``all``) beside its rows of one category, one of which is
  suppressed, is judged as a sum is (below): on the interval its category rows leave, its own
  counts not shown; shown, it less the other categories gave the suppressed one back. Where
  the two disagree (a category with more women or men than all of them: DBH revised a figure
  between downloads), its counts are not shown either, women anywhere from 0 to its total, and
  the reason says so. Fewer than 3 students of the added row that no category row counts (DBH
  writes a category of 1 or 2 students as 0) are a suppressed category of their own there.
  Where a department's programmes (their rows of the categories added, all exact and all its
  students) give its categories added exactly, its largest shown category is judged on the
  interval the suppressed one leaves instead (``suppressed_inside`` ``category_beside``), and its
  own row of them added keeps its counts: the programmes' sum less the shown categories gave
  the suppressed one back (:func:`_judged_beside_its_programmes`).
  The flags say which, once: ``suppression`` the unit's own cell the source masked (and why),
  ``suppressed_inside`` masked cells inside a unit judged on an interval (and what they are),
  never both; ``reason`` says why a unit is ``unknown`` in the report's words, in English
  (:mod:`analysis.gender_reasons`).
- **Aggregates** (``faculty``: the first three digits of Avdelingskode, :mod:`analysis.org_units`;
  ``institution``) sum the department rows. Department ``000000`` is "unspecified sub-unit",
  *not* a total: it is a unit of its own (faculty ``000``, not counted among the faculties in
  the report's findings) and counts towards the institution. Where departments
  inside are suppressed, the number of women is an interval
  ``[known women, known women + suppressed students]`` (and men the complement within the
  suppressed part). The unit is ``flagged`` or ``ok`` only if every integer number of women in
  that interval gives the same answer, otherwise ``unknown``. Because the under-represented
  gender can switch inside the interval, the under-represented count ``min(w, m)`` is a tent
  function of the number of women: its least value is at an end of the interval
  (``min(women_low, men_low)``) and its greatest where the two counts cross
  (``min(women_high, men_high, ⌊(women_low + men_high)/2⌋)``). The outcome is decided iff both
  extremes give the same answer (flagging is monotone in the under-represented count).
- **Units with no student shown** (total 0) are ``unknown``, never 0 % and never "no
  students": DBH writes a total of 1 or 2 as 0 (:data:`~analysis.readers.dbh_cells.SMALLEST_SHOWN`),
  so such a row holds 0 to 2 students, suppressed (the reason says so): its women and men, and
  their bounds, are missing, not 0. A total a reader added from cells written 0 holds 2 more for
  each (the observations' ``total_high``: table 379's women and men each written 0 hold 0 to 4,
  a gender written 0 beside 7 of the other 7 to 9), said once by the reader; a total the source
  gives is 0 to 2 where it is 0. Inside a sum such a row is a masked unit: the sum's
  students are ``total`` to ``total_high`` (the rows' students beyond their totals added), its
  women and men each up to that many more too (of either gender); the least under-represented
  share is the least count of ``total_high`` (the others all of the other gender), and the unit
  is ``flagged`` only where every total from ``total`` to ``total_high`` has every count of
  women below (:func:`_decided`).
- **ci_low/ci_high**: Wilson score interval at ``confidence_level`` for the under-represented
  share, where the counts are exact. It treats one year's intake as a draw from the programme's recruitment;
  **borderline** is true when that interval contains the threshold. A share given as a
  percentage the source rounded to ``d`` decimals (Samordna's "40,0 %", known from how it was
  written) is judged as given — 40,0 % is ``ok`` — and is **borderline** when its rounding
  interval (± half a unit of the last decimal) holds the threshold: the true share may be
  39.95 %, below. Where the decimals are not known, borderline is unknown.
- **consecutive_years_flagged**: the number of consecutive calendar years, ending at this row,
  in which the unit (same level, measure and source) was flagged; 0 when judged ``ok``, and
  unknown (missing) where the row is ``unknown``: that year may be below the threshold, so 0 would
  say what is not known. A missing year or an ``unknown`` year breaks the run, and so does a
  **break in the series**: an institution's own series is followed only from the last merger
  into it (:mod:`analysis.series_breaks`), so the count restarts at the merger year.
- **Field benchmark** (the student parliament asked that balance be judged against the
  field): for every programme, the share of *its* under-represented gender among all students
  (applicants, …) of the programmes of the same field in the data, in the same year, measure
  (with semester and category) and DBH table — the programme itself included. The field is the
  NUS *faggruppe*, the 2nd and 3rd digit of the programme's NUS code (DBH table 347 or a
  ``NUS-kode`` column), pooled over levels (bachelor and master of one field are one field).
  The share is added up from counts (Σ women / Σ total over the programmes whose women and men
  are both known); only where no programme of the group has counts, from given percentages
  weighted by their totals (``field_basis`` says which). ``field_distance_pp`` is the
  programme's under-represented share minus the field's share of that gender, in percentage
  points: negative means the programme has fewer of that gender than its field. With data for
  one institution only, the "field" is that institution's programmes; ``field_institutions``
  says how many institutions the benchmark covers.
- **trend**: least-squares slope, in percentage points per year, of the share of *this row's*
  under-represented gender over the unit's years within the trend window ending at this year
  (``GenderSettings.trend_window_years``) and since the last break in its series (as for
  ``consecutive_years_flagged``); at least two years needed. ``flat`` when the
  slope is below ``GenderSettings.trend_flat_pp`` in absolute value (and a slope of 0 always),
  else ``rising`` / ``falling``. Rising means the under-represented gender is catching up.
  A year enters with its share as far as it is known: exact, given, or the interval of a sum
  with suppressed units inside (``women_low``–``women_high`` of ``total_high``, the share of men
  the rest: :func:`~analysis.metrics.students_needed.share_of_women_bounds`); a year of which
  nothing is shown (0–100 %: its own cell masked, or all of it) is left out. The slope is linear
  in the shares, ``Σ wᵢ·yᵢ`` with ``wᵢ = (xᵢ − x̄) / Σ(x − x̄)²``, so the least slope the intervals
  leave takes each year's low end where ``wᵢ > 0`` and its high end where ``wᵢ < 0`` (the most
  the other way round): ``trend_pp_low``/``trend_pp_high``. The word is given only where every
  slope of that range has it (``rising`` where the least is, ``falling`` where the most is,
  ``flat`` where neither end is rising or falling), and ``trend_pp_per_year`` only where the range
  is one slope.
- **series_break_year** / **series_break_merged**: where a row's series (for the two columns
  above) starts at a merger, that merger's year and the institutions merged in then
  (:func:`analysis.series_breaks.series_start`); empty where the series starts at no break.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TypeVar

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import DataFrame

from analysis.errors import validate_frame
from analysis.gender_reasons import REASON_COLUMNS, reason_words
from analysis.ingest import combine_gender
from analysis.metrics.levels import AGGREGATE_LEVELS
from analysis.metrics.students_needed import as_threshold, share_of_women_bounds, students_needed
from analysis.metrics.unit_names import attach_names, nearest
from analysis.org_units import faculty_of
from analysis.readers.dbh_cells import SMALLEST_SHOWN
from analysis.readers.dbh_query import ALL, JOINED, UNSTATED
from analysis.series_breaks import series_start
from analysis.settings import GenderSettings
from schemas.flags import GenderFlags
from schemas.gender import (
    DepartmentNames,
    FacultyNames,
    GenderObservations,
    InstitutionNames,
    ProgrammeCatalogue,
)

UNKNOWN_INSTITUTION = "(unknown)"
_NO_CODE = "\x00"

#: What a measure is: the measure with its semester, student category and the filter of its
#: download (``measure_filter``: "Nivåkode HN"); the last three may be missing.
MEASURE_KEY = ["measure", "semester", "student_category", "measure_filter"]
_MISSING_MEASURE_PARTS = MEASURE_KEY[1:]
#: Key of one unit's time series in the output.
UNIT_KEY = ["level", "institution_code", "unit_code", *MEASURE_KEY, "source_kind"]
#: The field benchmark's figures of a field (module docstring); each programme row also gets its
#: own ``field_underrepresented_share`` and ``field_distance_pp`` from them.
FIELD_FIGURES = ["field_basis", "field_programmes", "field_institutions", "field_total", "field_share_women"]


def _joined(rows: pd.DataFrame, keys: list[str], column: str) -> pd.Series:
    """The distinct values of ``column`` per group, sorted and joined with "; ".

    Most groups have one value (one source file), taken with a fast ``first``; only groups with
    several are joined in Python.
    """
    distinct = rows[[*keys, column]].dropna(subset=[column]).drop_duplicates().sort_values(column)
    g = distinct.groupby(keys)[column]
    out = g.first()
    several = g.size() > 1
    if several.any():
        multi = distinct.set_index(keys).loc[several[several].index]
        out.loc[several[several].index] = multi.groupby(keys)[column].agg("; ".join)
    return out


def _unit_rows(obs: pd.DataFrame, catalogue: pd.DataFrame | None = None) -> tuple[pd.DataFrame, list[str], pd.Series]:
    """The observations with what a unit is judged on (its counts, or a given percentage), the
    columns of a unit, and which rows are departments with counts (summed to other levels).
    ``catalogue``: DBH table 347, the department of a programme its row does not name."""
    obs = obs.copy()
    obs["part_of"], obs["part_of_institution"] = _programme_departments(obs, catalogue)
    obs["faculty_code"] = obs["faculty_code"].fillna(faculty_of(obs["unit_code"].where(obs["level"] == "department")))
    suppressed = obs["suppressed"].astype(bool)
    # Counts are usable when both genders are given, or the source suppressed them; a total
    # with only a percentage of women (Samordna opptak) is judged on the percentage.
    counted = obs["total"].notna() & (suppressed | (obs["women"].notna() & obs["men"].notna()))
    obs["by_counts"] = counted
    # a suppressed row's women and men are missing (the contract): a sum skips them
    obs["known_women"] = obs["women"]
    obs["known_men"] = obs["men"]
    obs["suppressed_units"] = suppressed.astype("int64")
    # a suppressed row's students of a gender not known: all of them, or none where one gender
    # is masked beside the other's count (table 379), whose masked students are beyond its total
    shown = obs["women"].fillna(0) + obs["men"].fillna(0)
    obs["suppressed_total"] = (obs["total"] - shown).where(suppressed, 0)
    # the most students a row may hold: what its reader says (a total it added from cells
    # written 0, schemas.gender.GenderObservations), else a total of 0 holds up to 2 (DBH
    # writes 1 or 2 as 0) and another total is as given
    own = obs["total"].where(~(counted & obs["total"].eq(0)), SMALLEST_SHOWN - 1)
    said = obs["total_high"] if "total_high" in obs else pd.Series(pd.NA, index=obs.index, dtype="Int64")
    # the students a reader's cells written 0 of a gender may hold beyond the total it added from
    # them: a whole beside such parts shows no total of its own (:func:`_judged_by_parts`)
    obs["cells_beyond"] = (said - obs["total"]).fillna(0).astype("int64")
    obs["total_high"] = said.fillna(own)
    obs["given_pct"] = obs["share_women_given_pct"]
    # how far the source rounded a given percentage (missing: not known; a frame made without it)
    obs["given_decimals"] = obs.get("share_women_given_decimals", pd.Series(pd.NA, index=obs.index, dtype="Int64"))
    obs["aggregated"] = False
    obs["categories_disagree"] = False
    obs["hidden_inside"] = None  # what a row judged on the interval its parts leave has inside
    _categories_added_as_their_sum(obs, counted)

    cols = [
        "level",
        "institution_code",
        "institution_name",
        "unit_code",
        "unit_name",
        "faculty_code",
        "department_code",
        "department_name",
        "nus_code",
        "year",
        *MEASURE_KEY,
        "source_kind",
        "total",
        "total_high",
        "known_women",
        "known_men",
        "suppressed_units",
        "suppressed_total",
        "given_pct",
        "given_decimals",
        "source_file",
        "aggregated",
        "by_counts",
        "suppression",
        "categories_disagree",
        "hidden_inside",
    ]
    departments = (obs["level"] == "department") & counted
    return obs, cols, departments


#: The levels whose row of the student categories added (``all``) judged on an interval has
#: student categories suppressed inside (:func:`_categories_added_as_their_sum`), not departments
#: (a sum's); a department's row of one category, its programmes
CATEGORIES_INSIDE = ("department", "programme")


#: Student categories that are not one category: the categories added together, or not known.
_NOT_ONE_CATEGORY = (ALL, UNSTATED)


def _one_category(category: pd.Series) -> pd.Series:
    """The rows of one student category: not all of them added, not unknown, nor some of them
    added (a query filtered on several, ``P+S``: :data:`~analysis.readers.dbh_query.JOINED`)."""
    some = category.str.contains(JOINED, regex=False).fillna(False).astype(bool)
    return category.notna() & ~category.isin(_NOT_ONE_CATEGORY) & ~some


#: A department's rows of one year and measure but for its category.
_CATEGORY_SPLIT = ["institution_code", "unit_code", "year", "measure", "semester", "measure_filter"]


#: What a row of the values of a dimension added is split into, by the dimension: the column
#: whose values are the parts, and what is suppressed inside such a row (``suppressed_inside``).
#: A download without ``Semester`` counts the semesters its query kept added ("spring+autumn",
#: ``all``), one without a filter every value of it (an attack, 2026-12-05: 210630's spring and
#: autumn added, 303 women of 505, less its spring, 300 of 500, gave the autumn DBH masked as 3
#: women; its download without ``Nivåkode`` less its B3 download the masked M2 likewise).
_SPLITS = ("student_category", "semester", "measure_filter")
#: The key of a row's parts by the dimension they split (every other column of the measure).
_SPLIT_KEYS = {
    dimension: [c for c in [*_CATEGORY_SPLIT, "student_category"] if c != dimension] for dimension in _SPLITS
}
#: ``suppressed_inside`` of a row judged on the interval the parts of a dimension leave.
_SPLIT_INSIDE = {"student_category": "student_category", "semester": "semester", "measure_filter": "filter_value"}
#: Between a filter's column and its value in ``measure_filter`` ("Nivåkode B3"), and between
#: the filters of a download of several (:func:`analysis.readers.base.measure_filter`).
_FILTER_VALUE = " "
_FILTERS = ", "


def _sums_and_parts(values: pd.Series, rows: pd.Series) -> list[tuple[pd.Series, pd.Series]]:
    """Each row of the values of a dimension added (among ``rows``) and its parts: for a student
    category or a semester, all of them added (``all``: the rows of one) and some of them added
    (``P+S``, "spring+autumn": the ones it names; a query filtered on several, grouped without
    the column: "P+S" less S gave a masked P back, a second reader, 2026-12-05); for a filter
    (``measure_filter``), no filter: the rows filtered on one value of one column, each column's
    values apart; and likewise a download of some filters beside ones of those and one more
    (a reader, 2026-12-05: "Nivåkode B3" less "Nivåkode B3, Statsborgerskap Norsk" gave a
    masked "Nivåkode B3, Statsborgerskap Utenlandsk" back)."""
    if values.name == "measure_filter":
        filters = values.map(lambda v: frozenset() if pd.isna(v) else frozenset(str(v).split(_FILTERS)))
        splits = []
        for kept in filters[rows].unique():
            more = filters.map(
                lambda f, kept=kept: next(iter(f - kept)) if len(f) == len(kept) + 1 and kept < f else None
            )
            column = more.astype("string").str.split(_FILTER_VALUE, n=1).str[0]
            whole = filters.map(lambda f, kept=kept: f == kept).astype(bool)
            splits += [(whole, column == c) for c in column[rows].dropna().unique()]
        return splits
    one = _one_category(values)
    some = values[rows & ~one & ~values.isin(_NOT_ONE_CATEGORY)].dropna().unique()
    return [(values == ALL, one), *((values == c, one & values.isin(c.split(JOINED))) for c in some)]


def _added_as_their_sum(obs: pd.DataFrame, wholes: pd.Series, rows: pd.Series, dimension: str) -> None:
    """The rule of :func:`_categories_added_as_their_sum` with the values of ``dimension`` (one of
    :data:`_SPLITS`) as the parts: each of ``wholes`` of the values added, beside ``rows`` of
    those values one by one, the rest of its measure the same, one of them masked (or judged on
    an interval, or leaving fewer than :data:`~analysis.readers.dbh_cells.SMALLEST_SHOWN` of its
    students in no part), judged on the interval they leave. A row another dimension's parts
    already put on an interval keeps it (it is not exact: less these parts it gives no part
    back). In place."""
    values = obs[dimension].astype("string").rename(dimension)
    key = obs[_SPLIT_KEYS[dimension]].astype("string").fillna(_NO_CODE)
    inside = _SPLIT_INSIDE[dimension]
    other = obs["aggregated"].astype(bool) & (obs["hidden_inside"] != inside).fillna(True).astype(bool)
    for added, parts in _sums_and_parts(values, rows):
        whole = wholes & added.fillna(False).astype(bool)
        if dimension != "student_category":
            whole &= ~other
        part = rows & parts.fillna(False).astype(bool)
        _judged_by_parts(obs, wholes=whole, parts=part, whole_key=key, part_key=key, inside=inside)


def _categories_added_as_their_sum(obs: pd.DataFrame, counted: pd.Series) -> None:
    """A department's (or a programme's) row with the student categories added (``all``) where
    a row of one of them is suppressed in the data: judged, as a faculty is, on the interval its category rows
    leave (``known_women`` the sum of the categories shown, ``suppressed_total`` the rest of its
    total), its own exact counts not shown. Shown, the added row less the categories shown
    gives the suppressed one back (an attack, 2026-12-05: 210630, autumn 2020, category P of 5
    students, masked by DBH; S 2204 women, all 2208: P had 4), and a faculty's or an
    institution's sum of such rows likewise. The same rule with the semesters as the parts (a row
    of a download without ``Semester``, its query keeping several), and with the values of a
    filter (a download without it beside one of each value): :func:`_added_as_their_sum`.

    Students of the added row that no category row counts (its total above the categories'
    total, nothing masked) are a hidden group too, judged the same way (one suppressed category
    more). DBH writes a category of 1 or 2 students as 0 students (``analysis.readers.dbh``), so
    the added row less the categories shown gave that category back: 210810, autumn 2019, all
    1097 (641 women, 456 men), S 1095 (639, 456), P "0": P was 2 women (an attack, 2026-12-05; 23
    department rows of NTNU 2019–2021, each 1 or 2 students). A rest of fewer than
    :data:`~analysis.readers.dbh_cells.SMALLEST_SHOWN` students is guarded whatever it is (such a
    category, or a revision between the downloads: the data do not say). A larger rest is not a
    cell DBH hid (it shows such a category's total, masking its genders in a row of its own) but
    a revision or a category outside the export, and is shown (deciding on its women and men
    would read what it hides). Its number of students is not hidden: the added total less the
    categories' is DBH's own two figures, as a masked category's total is shown. In place, on
    ``_unit_rows``' frame.

    Then a department's row beside rows of its programmes (DBH table 123 grouped by
    ``Studieprogramkode``, each programme with its department: its own ``Avdelingskode``, else
    table 347's, as the flags show it) of the same measure and category, one of them suppressed
    or judged on an interval: the same rule,
    the programmes its parts (an attack, 2026-12-05: a department of 20 women and 40 men less
    its shown programme of 18 and 32 gave the masked programme of 10 as 2 women). A row its
    categories already put on an interval keeps it. The parts of a department's row of the
    categories added are its programmes' rows of the categories added, and where a programme has
    none, its rows of one category (the department less them gave a masked one back too). Last,
    a department beside masked programmes it cannot be compared with (placed in no department,
    or its own institution not known), or with a masked category beside such programmes, shows
    no figures: :func:`_withheld_beside_unplaced`."""
    category = obs["student_category"].astype("string")
    rows = obs["level"].isin(CATEGORIES_INSIDE) & counted
    shown = ~obs["suppressed"].astype(bool)
    key = obs[_CATEGORY_SPLIT].astype("string").fillna(_NO_CODE)
    level = obs["level"]
    # a programme's row of the categories added first: judged so, it is no exact part of its
    # department's below (a programme of a DBH table by ``Studieprogramkode`` has its categories
    # as a department does)
    for unit_level in reversed(CATEGORIES_INSIDE):
        at = rows & (level == unit_level)
        # the categories, then the semesters and the filters of the download as the parts, until
        # no row more is judged on an interval (a row of the semesters added judged so is a part
        # of its row of the categories added, and the other way round)
        judged = -1
        while judged != int(obs["aggregated"].sum()):
            judged = int(obs["aggregated"].sum())
            for split in _SPLITS:
                _added_as_their_sum(obs, at & shown, at, split)
        if unit_level == "programme":
            # a department's categories beside the exact sum of its programmes: one of them judged
            # on an interval, the department's row of them all added kept (its programmes show
            # it); a row of some of them added is judged on the interval they leave (kept, "A+S"
            # less A gave S back, and the programmes less S and A the masked P: a second reader,
            # 2026-12-05)
            beside = _judged_beside_its_programmes(obs, key=key, counted=counted)
            rows &= ~(beside & (category == ALL).fillna(False).astype(bool))
    whole_key, part_key = _department_and_programme_keys(obs)
    wholes = (level == "department") & counted & shown & ~obs["aggregated"].astype(bool)
    programmes = (level == "programme") & counted & obs["part_of"].notna()
    added, one = _programmes_adding_up(obs, programmes, key)
    # a table without student categories (DBH 379: none is given) has its department and
    # programme rows of no category, parts of one another as those of one category are
    not_added = (category != ALL).fillna(True).astype(bool)
    for whole, part, keyed in (
        (wholes & (category == ALL), added | one, part_key.assign(student_category=ALL)),
        (wholes & not_added, programmes & not_added, part_key),
    ):
        _judged_by_parts(obs, wholes=whole, parts=part, whole_key=whole_key, part_key=keyed, inside="programme")
    _withheld_beside_unplaced(obs, wholes=wholes, whole_key=whole_key, part_key=part_key, counted=counted)


def _department_and_programme_keys(obs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The key of each row as a whole (its own unit, year, measure and category) and as a part
    (a programme's: its department's unit and institution), missing parts a sentinel."""
    split = [*_CATEGORY_SPLIT, "student_category"]
    whole_key = obs[split].astype("string").fillna(_NO_CODE)
    # a row without an institution (grouped by Avdelingskode or Studieprogramkode, the institution
    # a filter of the query) is the one institution the folder's rows hold, where they hold one
    # (a second reader's gap, 2026-12-05: a department's row without one was compared with none
    # of the programmes table 347 places in it, and less them gave a masked one back)
    institutions = pd.concat([obs["institution_code"], obs["part_of_institution"]]).dropna().astype("string").unique()
    if len(institutions) == 1:
        whole_key["institution_code"] = whole_key["institution_code"].replace(_NO_CODE, institutions[0])
    part_key = whole_key.assign(
        unit_code=obs["part_of"].astype("string").fillna(_NO_CODE),
        institution_code=obs["part_of_institution"].astype("string").fillna(whole_key["institution_code"]),
    )
    return whole_key, part_key


def _programmes_adding_up(obs: pd.DataFrame, programmes: pd.Series, key: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The programme rows (of ``programmes``) that add up to their department's row of the
    categories added: their rows of the categories added, and the rows of one category of a
    programme without one (the categories add up to it)."""
    category = obs["student_category"].astype("string")
    added = programmes & (category == ALL)
    with_added = pd.MultiIndex.from_frame(key.loc[added])
    one = programmes & _one_category(category)
    one &= ~pd.MultiIndex.from_frame(key).isin(with_added)
    return added, one


#: What a department's row of one student category judged on an interval is judged for
#: (:func:`_judged_beside_its_programmes`): masked categories beside it, of a department whose
#: programmes show all its categories added.
BESIDE_INSIDE = "category_beside"


def _judged_beside_its_programmes(obs: pd.DataFrame, *, key: pd.DataFrame, counted: pd.Series) -> pd.Series:
    """A department's rows by student category, one of them masked (or fewer than
    :data:`~analysis.readers.dbh_cells.SMALLEST_SHOWN` students no category row counts), beside its
    programmes' rows with the categories added (or, where a programme has none, its rows of one
    category), every one exact and all its students: the programmes' sum is the department's
    categories added, exactly, and less the categories shown it gave the masked one back (an
    attack, 2026-12-05: S 20 women and 35 men, P of 5 masked, programmes 13 and 37, 7 and 3: P was
    0 women). The sum is DBH's own figures of programmes it shows: it cannot be hidden, as a
    department's row of the categories added is (:func:`_judged_by_parts`). So the department's
    largest shown category (the fewest women and men it hides, to the least share of its own) is
    judged on the interval the rest leaves, as a part is: its women from the sum's less the other
    shown categories' and all the masked students to that with none of them taken off; the
    masked category's total is DBH's own, so that is the least a width can be. One shown category on an
    interval is enough (the sum less the others shown is the masked and it together), and one
    only: two, each from the others' exact counts, gave the others back. Its ``suppressed_units``
    are the masked categories beside it (:data:`BESIDE_INSIDE`). The department's row of the
    categories added (if any) keeps its counts: its programmes show them.

    Returns the department rows (every category, and theirs added) of the unit, year and measure
    so judged, which the row of the categories added is not judged against. In place."""
    category = obs["student_category"].astype("string")
    level = obs["level"]
    fired = pd.Series(False, index=obs.index)
    whole_key, part_key = _department_and_programme_keys(obs)
    programmes = (level == "programme") & counted & obs["part_of"].notna()
    added, one = _programmes_adding_up(obs, programmes, key)
    categories = (level == "department") & counted & _one_category(category)
    if not (categories.any() and (added | one).any()):
        return fired
    unit = whole_key.assign(student_category=ALL)
    columns = list(unit.columns)
    mine = _parts_by_key(obs, categories, unit)
    # the whole: its programmes added up, exact where none is masked or judged on an interval
    whole = _programmes_that_may_be_its(obs, added | one, part_key.assign(student_category=ALL), mine.index)
    both = mine.join(whole[whole["parts"] > 0], how="inner", rsuffix="_whole")
    masked_students = both["total"] - both["known_women"] - both["known_men"]
    rest = both["total_whole"] - both["total"]  # the students no category row counts
    masked = both["suppressed_units"] + ((rest > 0) & (rest < SMALLEST_SHOWN))
    agree = (both["known_women"] <= both["known_women_whole"]) & (both["known_men"] <= both["known_men_whole"])
    hit = (both["suppressed_units_whole"] == 0) & (masked > 0) & (rest >= 0) & (rest < SMALLEST_SHOWN) & agree
    both = both[hit].assign(masked=masked[hit], hidden=masked_students[hit] + rest[hit])
    if both.empty:
        return fired
    # the largest shown category of each such department (its category code breaks a tie)
    shown = categories & ~obs["suppressed"].astype(bool) & ~obs["aggregated"].astype(bool)
    candidates = unit.loc[shown].assign(_total=obs.loc[shown, "total"], _category=category[shown])
    candidates = candidates.sort_values(["_total", "_category"], ascending=[False, True], kind="stable")
    largest = candidates.groupby(columns, sort=False).head(1)
    chosen = largest.join(both, on=columns, how="inner")
    if chosen.empty:
        return fired
    own_w = obs.loc[chosen.index, "known_women"].astype("int64")
    own_m = obs.loc[chosen.index, "known_men"].astype("int64")
    # less the other shown categories and the students masked or no category counts
    low_w = (chosen["known_women_whole"] - (chosen["known_women"] - own_w) - chosen["hidden"]).clip(lower=0)
    low_m = (chosen["known_men_whole"] - (chosen["known_men"] - own_m) - chosen["hidden"]).clip(lower=0)
    # an interval without the row's own counts: the files disagree (DBH revised a figure between
    # the downloads), and the sum less the categories is not the masked one; left as it is
    holds = (low_w <= own_w) & (low_m <= own_m)
    chosen, low_w, low_m = chosen[holds], low_w[holds], low_m[holds]
    if chosen.empty:
        return fired
    rows = chosen.index
    obs.loc[rows, "known_women"] = low_w
    obs.loc[rows, "known_men"] = low_m
    obs.loc[rows, "suppressed_units"] = chosen["masked"]
    obs.loc[rows, "suppressed_total"] = chosen["_total"] - low_w - low_m
    obs.loc[rows, "aggregated"] = True
    obs.loc[rows, "hidden_inside"] = BESIDE_INSIDE
    done = pd.MultiIndex.from_frame(chosen[columns])
    fired[:] = (level == "department").to_numpy() & pd.MultiIndex.from_frame(unit).isin(done)
    return fired


def _programmes_that_may_be_its(
    obs: pd.DataFrame, programmes: pd.Series, part_key: pd.DataFrame, departments: pd.Index
) -> pd.DataFrame:
    """The ``programmes`` added up (:func:`_parts_by_key`) for each of ``departments`` (a
    department's key as a whole, of the categories added): those placed in its code at its
    institution, and those placed in its code at an institution not known; for a department whose
    own institution is not known, those placed in its code at any. In a folder of several
    institutions (:func:`_department_and_programme_keys` takes a row without one as the one the
    folder holds) one of the two files may name none (fetched for both at once, grouped without
    ``Institusjonskode``), and whoever has table 347 places them: compared with none, the
    programmes' sum less the department's shown categories gave the masked one back (a second
    reader, 2026-12-05: 271720's S beside its MTA and MTB of no institution, P 0 women of 5).
    Programmes of its code at another institution counted as its are more than its students, and
    nothing is judged by them; as :func:`_withheld_beside_unplaced` takes those that may be its."""
    unknown = part_key["institution_code"] == _NO_CODE
    anywhere = part_key.drop(columns="institution_code")
    at_any = pd.MultiIndex.from_frame(departments.to_frame(index=False).drop(columns="institution_code"))
    placed = _parts_by_key(obs, programmes & ~unknown, part_key).reindex(departments).fillna(0)
    not_known = _parts_by_key(obs, programmes & unknown, anywhere).reindex(at_any).fillna(0)
    theirs = placed + not_known.to_numpy()
    any_of_its_code = _parts_by_key(obs, programmes, anywhere).reindex(at_any).fillna(0)
    own_not_known = departments.get_level_values("institution_code") == _NO_CODE
    theirs.loc[own_not_known] = any_of_its_code.loc[own_not_known].to_numpy()
    return theirs.astype("int64")


def _parts_by_key(obs: pd.DataFrame, parts: pd.Series, part_key: pd.DataFrame) -> pd.DataFrame:
    """The ``parts`` added up by ``part_key``: their known women and men (a masked part's none),
    masked parts (a part judged on an interval: those inside it), total, the most students they
    may hold (``total_high``; ``cells_beyond`` of it in cells of a gender written 0, a total a
    reader added from them: :func:`_unit_rows`), and how many parts."""
    figures = ["known_women", "known_men", "suppressed_units", "total", "total_high", "cells_beyond"]
    split = obs.loc[parts, figures].fillna(0).astype("int64")
    return split.assign(parts=1).join(part_key.loc[parts]).groupby(list(part_key.columns)).sum()


#: What a department's row is withheld for, inside (:func:`_withheld_beside_unplaced`): masked
#: programmes that may be its parts, which it cannot be compared with.
UNPLACED_INSIDE = "unplaced_programme"
#: ... and masked student categories beside it, where programmes that may be its (shown, placed
#: in no department) may add up to its categories added.
UNPLACED_BESIDE = "category_beside_unplaced"
#: A programme's category as the parts of a department's row of the categories added see it: any.
_ANY_CATEGORY = "\x01"


#: Counts of rows, as a column or an array.
_Counts = TypeVar("_Counts", pd.Series, np.ndarray)


def _hidden_rest(rest: _Counts, beyond: _Counts) -> _Counts:
    """Where the students of a whole that none of its parts counts (``rest``: its total less
    theirs) are a hidden group: fewer than :data:`~analysis.readers.dbh_cells.SMALLEST_SHOWN`, or no
    more than the parts' cells written 0 may hold beyond their totals (``beyond``, their
    ``total_high`` less ``total``: a programme written as 0 students holds 1 or 2, table 379's of
    women and men each written 0 up to 4; the whole less the others gave them back). One rule of
    :func:`_judged_by_parts` and :func:`_withheld_beside_unplaced`."""
    return (rest < SMALLEST_SHOWN) | (rest <= beyond)


def _withheld_beside_unplaced(
    obs: pd.DataFrame, *, wholes: pd.Series, whole_key: pd.DataFrame, part_key: pd.DataFrame, counted: pd.Series
) -> None:
    """A department's row (of ``wholes``) beside a masked programme row (DBH masked it, wrote it as
    0 students, or its categories put it on an interval) of the same year, measure, semester, filter and category
    (any, for the department's row of the categories added) that may be one of its parts but is
    not compared with it: a programme its row and table 347 place in no department (347 not in the
    folder, or its code at several institutions there), at the department's institution or with
    either's not known; or one placed in the department's code, where the department's institution
    or the programme's is not known (a folder of several institutions:
    :func:`_categories_added_as_their_sum` takes a row without one as the one institution the
    folder holds). Whoever has table 347 places it: the
    department less its shown programmes gave it back (a second reader's gaps, 2026-12-05).

    Where the programmes that are or may be its parts leave fewer than
    :data:`~analysis.readers.dbh_cells.SMALLEST_SHOWN` of its students (they may be all of it), such a
    row shows no figures of its own: women anywhere from 0 to its total (an interval as a
    contradicted row's, :func:`_judged_by_parts`), and ``suppressed_inside`` says why
    (:data:`UNPLACED_INSIDE`: the reason says to put table 347 in the folder and name each file's
    institution). Where they leave more, no subset of them is all of it, and it keeps its figures
    (as a row with a larger rest beside its parts does), unless their cells written 0 may hold
    that rest (a total of 0, or a 379 total of women and men added: masked too), and where those
    are a reader's cells of a gender its total is the interval theirs leave (as in
    :func:`_judged_by_parts`: 74 less MTA's 50 and two unplaced programmes' 10 men each gave
    their 4 women written 0, 2 each). Its ``suppressed_units`` are those masked
    programmes. The department's other rows of that year and measure (its student categories,
    and their row added) are withheld with it: shown, they add up to it, or it less them gives
    one of them back.

    The same rule with the department's rows of one category added up as one whole more, beside
    the programmes of any category (:func:`_categories_beside_unplaced`), and a masked category of
    its own as what is inside: whoever has table 347 adds the programmes up to its categories
    added, and less the shown categories got the masked one (S 20 women of 55 beside P of 5
    masked, MTA and MTB 20 of 60 placed nowhere: P was 0 women; open until 2026-12-05; the reason
    says :data:`UNPLACED_BESIDE`), and where nothing of its own is masked, less a shown programme
    a masked one (S and P added up to 20 of 60, less MTA's 18); the interval of the programmes'
    totals is a department row's own only (its categories added up are no row). Not guarded: its
    categories all shown beside programmes placed in it, one masked (README). In place."""
    programmes = (obs["level"] == "programme") & counted
    place = obs["part_of"].astype("string").fillna(_NO_CODE)
    # masked: by DBH, judged on an interval, or of cells written 0 (a total of 0, a 379 total)
    beyond = (obs["total_high"] - obs["total"]).fillna(0).astype("int64")
    masked = programmes & (obs["suppressed"].astype(bool) | obs["aggregated"].astype(bool) | (beyond > 0))
    wholes = wholes & ~obs["categories_disagree"].astype(bool)
    categories = _categories_beside_unplaced(obs, whole_key, counted)
    if not (programmes.any() and (masked.any() or (categories["inside"] > 0).any())):
        return
    measure = ["year", "measure", "semester", "measure_filter", "category"]
    figures = ["total", "beyond", "masked", "parts", "cells"]
    # each programme once with its category, and once with any (for a row of the categories added)
    theirs = whole_key.loc[programmes, measure[:-1]].assign(
        category=whole_key.loc[programmes, "student_category"],
        institution=part_key.loc[programmes, "institution_code"],
        place=place[programmes],
        total=obs.loc[programmes, "total"].astype("int64"),
        masked=masked[programmes].astype("int64"),
        beyond=beyond[programmes],
        cells=obs.loc[programmes, "cells_beyond"].astype("int64"),
        parts=1,
    )
    theirs = pd.concat([theirs, theirs.assign(category=_ANY_CATEGORY)], ignore_index=True)
    # the wholes: each department row (of its category; of any, for its row of the categories
    # added), and each department's rows of one category added up (of any), with what is masked
    # among them (``inside``)
    category = whole_key.loc[wholes, "student_category"]
    rows = whole_key.loc[wholes, _CATEGORY_SPLIT].assign(
        category=category.where(category != ALL, _ANY_CATEGORY),
        total=obs.loc[wholes, "total"].astype("int64"),
        inside=0,
        row=obs.index[wholes],
    )
    mine = pd.concat([rows, categories], ignore_index=True)
    mine = mine.assign(institution=mine["institution_code"], department=mine["unit_code"], nowhere=_NO_CODE)

    def summed(rows: pd.DataFrame, keys: list[str], on: list[str], where: pd.Series) -> pd.DataFrame:
        sums = rows.groupby([*measure, *keys])[figures].sum()
        found = mine.loc[where, [*measure, *on]].join(sums, on=[*measure, *on])
        return found[figures].reindex(mine.index).fillna(0).astype("int64")

    unplaced = theirs[theirs["place"] == _NO_CODE]
    placed = theirs[theirs["place"] != _NO_CODE]
    unknown = mine["institution"] == _NO_CODE
    every = pd.Series(True, index=mine.index)
    may = (
        # not placed: at its institution, at none known, or any where its own is not known
        summed(unplaced, ["institution"], ["institution"], ~unknown)
        + summed(unplaced, ["institution"], ["nowhere"], ~unknown)
        + summed(unplaced, [], [], unknown)
        # placed in its code at an institution, where its own is not known
        + summed(placed[placed["institution"] != _NO_CODE], ["place"], ["department"], unknown)
        # placed in its code at an institution not known, where its own is known (a second
        # reader of this rule, 2026-12-05: a programme's row by Avdelingskode without its
        # institution, in a folder of two, was compared with no department of its code)
        + summed(placed[placed["institution"] == _NO_CODE], ["place"], ["department"], ~unknown)
    )
    compared = summed(placed, ["place", "institution"], ["department", "institution"], every)
    rest = mine["total"] - may["total"] - compared["total"]
    # the students no programme counts are a hidden group (:func:`_hidden_rest`)
    most = may["beyond"] + compared["beyond"]
    hit = ((may["masked"] > 0) | (mine["inside"] > 0)) & _hidden_rest(rest, most) & (may["parts"] > 0)
    if not hit.any():
        return
    # and its total the interval theirs leave, where the rest may be all in their cells of a
    # gender written 0 (_judged_by_parts): less them, it gave those back to whoever places them
    # (a department's own row: its categories added up are no row of the flags)
    held = hit & mine["row"].notna() & (may["cells"] + compared["cells"] > 0) & (rest >= 0) & (rest <= most)
    if held.any():
        shown = (may["total"] + compared["total"])[held]
        own = mine.loc[held, "row"].astype("int64").to_numpy()
        obs.loc[own, "total_high"] = (shown + most[held]).to_numpy()
        obs.loc[own, "total"] = shown.to_numpy()
    # and the department's other rows of that year and measure (its categories, and theirs
    # added): shown, they add up to the withheld one, or it less them gives a withheld category
    # (a second reader of this rule, 2026-12-05: S and P shown beside the withheld row of the
    # categories added were its 20 women of 60, less MTA's 18 the masked MTB's 2). What is masked:
    # programmes that may be its (said first), else its categories beside them
    key = pd.MultiIndex.from_frame(mine[_CATEGORY_SPLIT])
    units = may["masked"].where(hit, 0).groupby(key).max()
    beside = mine["inside"].where(hit, 0).groupby(key).max()
    kind = pd.Series(UNPLACED_INSIDE, index=units.index).where(units > 0, UNPLACED_BESIDE)
    units = units.where(units > 0, beside)
    group = pd.MultiIndex.from_frame(whole_key[_CATEGORY_SPLIT])
    department = (obs["level"] == "department") & counted & ~obs["suppressed"].astype(bool)
    department &= ~obs["categories_disagree"].astype(bool) & group.isin(units.index[units > 0])
    rows_withheld = obs.index[department]
    inside = kind.reindex(group[department]).to_numpy()
    masked_units = units.reindex(group[department]).to_numpy()
    # a programme's masked row the department was judged by already is one of those it has inside
    before = obs.loc[rows_withheld, "suppressed_units"]
    before = before.where((obs.loc[rows_withheld, "hidden_inside"] == "programme") & (inside == UNPLACED_INSIDE), 0)
    obs.loc[rows_withheld, "suppressed_units"] = before.to_numpy() + masked_units
    obs.loc[rows_withheld, "known_women"] = 0
    obs.loc[rows_withheld, "known_men"] = 0
    obs.loc[rows_withheld, "suppressed_total"] = obs.loc[rows_withheld, "total"]
    obs.loc[rows_withheld, "aggregated"] = True
    obs.loc[rows_withheld, "hidden_inside"] = inside


def _categories_beside_unplaced(obs: pd.DataFrame, whole_key: pd.DataFrame, counted: pd.Series) -> pd.DataFrame:
    """Each department's rows of one student category (of a year and measure) added up, as a
    whole of :func:`_withheld_beside_unplaced` beside the programmes of any category: its total,
    and ``inside`` the rows among them not shown exactly (DBH masked them, or they are judged on
    an interval), else 1 where its row of the categories added is not (fewer than
    :data:`~analysis.readers.dbh_cells.SMALLEST_SHOWN` students no category row counts). A department
    with no row shown exactly has nothing a sum gives back; one judged beside its programmes
    (:data:`BESIDE_INSIDE`) has their sum in its interval already."""
    department = (obs["level"] == "department") & counted & ~obs["categories_disagree"].astype(bool)
    category = obs["student_category"].astype("string")
    one = department & _one_category(category)
    exact = department & ~obs["suppressed"].astype(bool) & ~obs["aggregated"].astype(bool)
    rows = pd.DataFrame(
        {
            "total": obs["total"].where(one, 0).fillna(0).astype("int64"),
            "one": one,
            "masked": one & ~exact,
            "added_masked": department & (category == ALL).fillna(False).astype(bool) & ~exact,
            "exact": exact,
            "beside": department & (obs["hidden_inside"] == BESIDE_INSIDE).fillna(False).astype(bool),
        }
    )
    split = whole_key[_CATEGORY_SPLIT]
    groups = (
        rows[department]
        .join(split)
        .groupby(_CATEGORY_SPLIT)
        .agg(
            total=("total", "sum"),
            one=("one", "any"),
            masked=("masked", "sum"),
            added_masked=("added_masked", "any"),
            exact=("exact", "any"),
            beside=("beside", "any"),
        )
    )
    groups = groups[groups["one"] & groups["exact"] & ~groups["beside"]]
    inside = groups["masked"].where(groups["masked"] > 0, groups["added_masked"].astype("int64"))
    return (
        groups[["total"]]
        .assign(inside=inside.astype("int64"), category=_ANY_CATEGORY)
        .reset_index()
        .astype({c: "string" for c in _CATEGORY_SPLIT})
    )


def _judged_by_parts(
    obs: pd.DataFrame,
    *,
    wholes: pd.Series,
    parts: pd.Series,
    whole_key: pd.DataFrame,
    part_key: pd.DataFrame,
    inside: str,
) -> None:
    """Each of ``wholes`` whose ``parts`` (the rows of the same ``*_key``) have one suppressed or
    judged on an interval, or leave fewer than :data:`~analysis.readers.dbh_cells.SMALLEST_SHOWN` of
    its students in no part (or no more than the parts' cells written 0 may hold beyond their
    totals, their ``total_high``: a table 379 programme of women and men each written 0 holds 0
    to 4): judged on the interval its parts leave
    (:func:`_categories_added_as_their_sum`); ``inside`` names what its parts are. Where the
    rest may be all in the parts' cells of a gender written 0 (a total a reader added from them),
    its total is the interval their totals leave too, not its own."""
    if not (wholes.any() and parts.any()):
        return
    columns = list(whole_key.columns)
    per_unit = _parts_by_key(obs, parts, part_key)
    # each whole's parts, in the wholes' order (a left merge keeps it)
    mine = whole_key.loc[wholes].merge(per_unit, how="left", left_on=columns, right_index=True)
    known_w = mine["known_women"].fillna(0).to_numpy(dtype="int64")
    known_m = mine["known_men"].fillna(0).to_numpy(dtype="int64")
    masked = mine["suppressed_units"].fillna(0).to_numpy(dtype="int64")
    women = obs.loc[wholes, "women"].to_numpy(dtype="int64")
    men = obs.loc[wholes, "men"].to_numpy(dtype="int64")
    total = obs.loc[wholes, "total"].to_numpy(dtype="int64")
    # students no part counts (a whole with parts beside it): a hidden group, where fewer than
    # DBH shows, or no more than the parts' cells written 0 may hold beyond their totals (table
    # 379's programme of women and men each written 0: 0 to 4, and the whole less the others
    # gave its 3 or 4 back)
    has_parts = mine["parts"].fillna(0).to_numpy(dtype="int64") > 0
    rest = total - mine["total"].fillna(0).to_numpy(dtype="int64")
    beyond = (mine["total_high"] - mine["total"]).fillna(0).to_numpy(dtype="int64")
    uncounted = has_parts & (rest > 0) & _hidden_rest(rest, beyond)
    masked = masked + uncounted
    hit = masked > 0
    # Files that disagree (a part with more women or more men than the whole: DBH revised a
    # figure between the two downloads) bound nothing by the parts; the whole's own counts are
    # still not shown (less the parts shown they give the suppressed one back but for the
    # revision): women anywhere from 0 to its total, and the reason says why.
    disagree = hit & ((known_w > women) | (known_m > men))
    known_w, known_m = np.where(disagree, 0, known_w), np.where(disagree, 0, known_m)
    rows = obs.index[wholes][hit]
    obs.loc[rows, "known_women"] = known_w[hit]
    obs.loc[rows, "known_men"] = known_m[hit]
    obs.loc[rows, "suppressed_units"] = masked[hit]
    obs.loc[rows, "suppressed_total"] = total[hit] - known_w[hit] - known_m[hit]
    # judged on the interval, as a sum is (its own cell is not suppressed: no "masked" status)
    obs.loc[rows, "aggregated"] = True
    obs.loc[rows, "hidden_inside"] = inside
    obs.loc[obs.index[wholes][disagree], "categories_disagree"] = True
    # A rest the parts' cells of a gender written 0 may hold whole, beyond the totals a reader
    # added from them (table 379: a programme of women written 0 beside 10 men has a total of 10):
    # the whole's own total less its parts' gave those women back (an attack, 2026-12-05: 62 less
    # 50 and 10, 2 women; less 58 and a programme of both written 0, 4: 2 and 2). Its total is the
    # interval its parts' totals leave, as their sum's is (its total DBH's own where no part is so
    # added: a category's or programme's total of 0, 1 or 2 students of either gender, shown).
    cells = mine["cells_beyond"].fillna(0).to_numpy(dtype="int64")
    held = hit & ~disagree & (cells > 0) & (rest >= 0) & (rest <= beyond)
    if held.any():
        rows = obs.index[wholes][held]
        own_beyond = (obs.loc[rows, "total_high"] - obs.loc[rows, "total"]).to_numpy(dtype="int64")
        parts_total = mine["total"].fillna(0).to_numpy(dtype="int64")[held]
        obs.loc[rows, "total"] = parts_total
        obs.loc[rows, "total_high"] = parts_total + beyond[held] + own_beyond
        obs.loc[rows, "cells_beyond"] += cells[held]
        obs.loc[rows, "suppressed_total"] = parts_total - known_w[held] - known_m[held]


def _programme_departments(obs: pd.DataFrame, catalogue: pd.DataFrame | None) -> tuple[pd.Series, pd.Series]:
    """Each programme row's department: its own, else the one table 347 gives it, as its name
    is found (:func:`analysis.metrics.unit_names.attach_names`: the nearest year), which the
    published flags show; missing for other rows. A programme neither names is part of no
    department (the flags name none for it either); a department beside it, where it is masked
    and may be inside, shows no figures of its own (:func:`_withheld_beside_unplaced`: less its
    other programmes it gave it back to whoever knows its department from elsewhere).

    And the institution of that department: the row's own; for a row that names no institution
    (DBH's table by ``Studieprogramkode`` alone, the institution a filter of the query) the one
    table 347 gives its programme code at, where it gives the code at one institution only (a
    grouping hunt, 2026-12-05: looked up by institution and code, such a programme was part of no
    department, and its department less its shown programmes gave a masked one back)."""
    programme = obs["level"] == "programme"
    department = obs["department_code"].where(programme)
    institution = obs["institution_code"].where(programme)
    unnamed = programme & department.isna()
    if catalogue is None or catalogue.empty or not unnamed.any():
        return department, institution
    want = obs.loc[unnamed, ["institution_code", "unit_code", "year"]].rename(columns={"unit_code": "programme_code"})
    found = nearest(want, catalogue, ["institution_code", "programme_code"], ["department_code"])
    department = department.fillna(found["department_code"].reindex(obs.index))
    no_institution = unnamed & department.isna() & institution.isna()
    if no_institution.any():
        institutions = (
            catalogue.dropna(subset=["institution_code"]).groupby("programme_code")["institution_code"].nunique()
        )
        at_one = catalogue[catalogue["programme_code"].isin(institutions.index[institutions == 1])]
        want = obs.loc[no_institution, ["unit_code", "year"]].rename(columns={"unit_code": "programme_code"})
        found = nearest(want, at_one, ["programme_code"], ["department_code", "institution_code"])
        department = department.fillna(found["department_code"].reindex(obs.index))
        institution = institution.fillna(found["institution_code"].reindex(obs.index))
    return department, institution


def _units(obs: pd.DataFrame, level: str, catalogue: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per unit to judge: department rows aggregated to ``level``, others as given.

    Columns: the unit's identity, ``total``, ``known_women``/``known_men`` (sums over
    departments with exact counts), ``suppressed_units``/``suppressed_total`` and
    ``given_pct``. ``catalogue``: as :func:`_unit_rows` takes it.
    """
    rows, cols, departments = _unit_rows(obs, catalogue)
    if level == "department":
        return rows[cols]
    return pd.concat([_summed(rows, departments, level), rows.loc[~departments, cols]], ignore_index=True)


def _all_units(obs: pd.DataFrame, catalogue: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`_units` of every level at once: the rows as given (departments, programmes) once,
    and the departments summed to each other level.

    The rows as given come first, as in the department level's units: where two rows name the
    same institution differently, the unit names pick the same spelling as that level does."""
    rows, cols, departments = _unit_rows(obs, catalogue)
    summed = [_summed(rows, departments, level) for level in AGGREGATE_LEVELS if level != "department"]
    return pd.concat([rows[cols], *summed], ignore_index=True)


def _summed(obs: pd.DataFrame, departments: pd.Series, level: str) -> pd.DataFrame:
    """The department rows with exact or suppressed counts (``departments``) summed to ``level``
    (faculty or institution)."""
    # group keys must not be missing (an institution code may be): a sentinel stands in for it,
    # so grouping's default (a row with a missing key is left out) leaves nothing out
    sentinel = ["institution_code", *_MISSING_MEASURE_PARTS]
    rows = obs.loc[departments].assign(**{c: obs.loc[departments, c].fillna(_NO_CODE) for c in sentinel})
    # a row of 0 students inside is a masked unit of 0 to 2 (its own flags say so by its total):
    # the sum's total is an interval, up to ``total_high`` (module docstring)
    # (a masked row beside its other gender's count is one masked unit already)
    rows["suppressed_units"] += ((rows["total_high"] > rows["total"]) & (rows["suppressed_units"] == 0)).astype("int64")
    keys = ["institution_code", "year", *MEASURE_KEY] + (["faculty_code"] if level == "faculty" else [])
    sums = rows.groupby(keys).agg(
        total=("total", "sum"),
        total_high=("total_high", "sum"),
        known_women=("known_women", "sum"),
        known_men=("known_men", "sum"),
        suppressed_units=("suppressed_units", "sum"),
        suppressed_total=("suppressed_total", "sum"),
        # a row inside whose categories contradict it: its whole total is in the sum's interval,
        # not only its masked category's students (the sum's words say so)
        categories_disagree=("categories_disagree", "any"),
    )
    texts = rows.groupby(keys).agg(institution_name=("institution_name", "first"))
    for column in ("source_kind", "source_file"):
        texts[column] = _joined(rows, keys, column)
    agg = sums.join(texts).reset_index()
    for column in sentinel:
        agg[column] = agg[column].where(agg[column] != _NO_CODE)
    agg["level"] = level
    if level == "faculty":
        agg["unit_code"] = agg["faculty_code"]
    else:
        agg["unit_code"] = agg["institution_code"].fillna(UNKNOWN_INSTITUTION)
    agg["aggregated"] = True
    agg["by_counts"] = True
    # what a sum does not have is missing: an institution's faculty, a department's code and
    # name, a percentage, a suppression reason, and its own name (attach_names names a unit)
    return agg


def _wilson(successes: np.ndarray, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    # the normal quantile; scipy.stats costs 0.7 s to import, scipy.special 0.35 s (imported
    # here so that reading files does not pay it)
    from scipy.special import ndtri

    z = ndtri(0.5 + level / 2)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    # With no successes the lower bound is 0, in floating point sometimes just below it (0 of
    # 21 at 95 %). The upper bound stays below 1: the share here is at most a half.
    return np.maximum(centre - half, 0), centre + half


def _judge_given_pct(pct: float, threshold: Fraction) -> tuple[str, str]:
    """Status and under-represented gender for a share of women given as a percentage."""
    # str() gives the shortest decimal that round-trips: 40.0 -> "40.0" -> exactly 40.
    women = Fraction(str(pct)) / 100
    under_share = min(women, 1 - women)
    status = "flagged" if under_share < threshold else "ok"
    under = "women" if women < Fraction(1, 2) else ("men" if women > Fraction(1, 2) else "none")
    return status, under


def _rounding_holds(pct: float, decimals: int, threshold: Fraction) -> bool:
    """Whether a percentage of women written with ``decimals`` decimals may be on either side of
    the threshold: some share that rounds to it is below and some is not. The true share lies
    strictly within half a unit of the last decimal (an end rounds one way or the other by the
    rule the source used: 37.5 % is written "38 %" rounded half up or to even, so "37 %" is below
    a threshold of 37.5 %, not borderline)."""
    women = Fraction(str(pct)) / 100
    half = Fraction(1, 2 * 10**decimals) / 100
    low, high = women - half, women + half
    # the under-represented share min(w, 1 − w) over the open interval (low, high): its lower
    # bound, not reached, at an end; its upper bound at an end, or a half, reached, inside
    least = min(low, 1 - high)
    most = min(high, 1 - low, Fraction(1, 2))
    half_inside = low < Fraction(1, 2) < high
    at_or_above = threshold < most or (half_inside and threshold <= Fraction(1, 2))
    return least < threshold and at_or_above


def _decided(
    wl: np.ndarray, ml: np.ndarray, S: np.ndarray, T: np.ndarray, E: np.ndarray, threshold: Fraction
) -> tuple[np.ndarray, np.ndarray]:
    """Whether every possible count is flagged, and whether every one is ok, of units of ``T``
    students and up to ``E`` more (masked cells beyond their totals: 0 to 2 each), women at least ``wl`` and men
    at least ``ml``, the other ``S`` (and the ``E``) of either gender. 40 % exactly is not below.

    The least under-represented share is ``min(wl, ml) / (T + E)`` (the ``E`` all of the other
    gender: adding to the greater count only lowers the share); the greatest at a total
    ``T + e`` is the tent's top (module docstring) over it, ``e`` from 0 to ``E``: each is
    checked (a unit's ``E`` is a few students: 2 for each cell written 0)."""
    p, q = threshold.numerator, threshold.denominator
    least = np.minimum(wl, ml)
    all_ok = least * q >= p * (T + E)
    all_flagged = np.ones(len(T), dtype=bool)
    for e in range(int(E.max(initial=0)) + 1):
        at = e <= E
        most = np.minimum(np.minimum(wl + S + e, ml + S + e), (wl + ml + S + e) // 2)
        all_flagged &= ~at | (most * q < p * (T + e))
    return all_flagged, all_ok


def _judge(units: pd.DataFrame, threshold: Fraction, confidence_level: float) -> pd.DataFrame:
    """Status, shares, students needed and confidence interval for every unit (vectorised)."""
    out = units.copy()
    by_counts = out["by_counts"].to_numpy(dtype=bool)
    n = len(out)

    T = out["total"].fillna(0).astype("int64").to_numpy()
    # students masked cells may hold beyond the total (0 to 2 each): up to ``total_high``
    E = (out["total_high"].fillna(out["total"]).fillna(0).astype("int64").to_numpy() - T) * by_counts
    wl = out["known_women"].fillna(0).astype("int64").to_numpy()
    ml = out["known_men"].fillna(0).astype("int64").to_numpy()
    S = out["suppressed_total"].astype("int64").to_numpy()
    wh, mh = wl + S + E, ml + S + E
    empty = out["total"].eq(0).fillna(False).to_numpy(dtype=bool)
    # a total of 0 is 0 to 2 students DBH masked (:data:`~analysis.readers.dbh_cells.SMALLEST_SHOWN`):
    # its women and men are not 0 but unknown, and no bound of them is shown
    exact = by_counts & (S == 0) & (E == 0) & ~empty
    own_suppressed = by_counts & ~out["aggregated"].to_numpy() & (out["suppressed_units"].to_numpy() > 0)

    all_flagged, all_ok = _decided(wl, ml, S, T, E, threshold)
    least = np.minimum(wl, ml)  # the under-represented count, exact where the counts are
    status = np.select([by_counts & all_flagged, by_counts & all_ok], ["flagged", "ok"], "unknown")

    under = np.empty(n, dtype=object)  # an object array starts as None: under-represented not known
    under[by_counts & (wh < ml)] = "women"
    under[by_counts & (mh < wl)] = "men"
    under[exact & (wl == ml)] = "none"

    # shares given only as percentages: women p %, men 100 − p %
    pct = out["given_pct"].to_numpy(dtype=float, na_value=np.nan)
    given = ~by_counts & ~np.isnan(pct)
    if given.any():
        # Exact comparison (Fractions have no vectorised form), once per distinct percentage:
        # a national admissions table repeats a few hundred percentages (one decimal) many times.
        distinct, position = np.unique(pct[given], return_inverse=True)
        judged_pct = [_judge_given_pct(v, threshold) for v in distinct.tolist()]
        status[given] = [judged_pct[i][0] for i in position]
        under[given] = [judged_pct[i][1] for i in position]

    # the shares, from exact counts or a given percentage, of a unit with students; 1 stands in
    # for an empty unit's total 0 (its shares are not shown)
    per_total = np.where(T == 0, 1, T)
    has_share = (exact | given) & ~empty
    share_women = np.where(given, pct / 100, wl / per_total)
    share_men = np.where(given, 1 - pct / 100, ml / per_total)
    under_share = np.where(given, np.minimum(pct, 100 - pct) / 100, least / per_total)
    # students needed: with exact counts the smallest k of the docstring; where every possible
    # count already reaches the threshold, 0 (the same formula on the least count gives 0)
    needed = students_needed(T, least, threshold)
    needed_known = (exact | by_counts & all_ok) & ~empty

    ci_low, ci_high = _wilson(least, per_total, confidence_level)
    ci_known = exact & ~empty
    thr = float(threshold)

    n_sup = out["suppressed_units"].to_numpy()
    # what is suppressed inside: a row's parts (:func:`_categories_added_as_their_sum`), a sum's departments
    inside = out["hidden_inside"].astype("object").where(out["hidden_inside"].notna(), "department").to_numpy()
    # The one rule of what the source suppressed, written as two columns the report reads and
    # never works out again: the unit's own cell (``suppression``, why), or cells inside a unit
    # judged on an interval (``suppressed_inside``, what they are); never both
    # (``schemas.flags.GenderFlags``)
    out["suppression"] = out["suppression"].where(own_suppressed)
    out["suppressed_inside"] = np.where((n_sup > 0) & ~own_suppressed, inside, None)
    # a row whose own masked students may be of either gender is not judged; one whose masked
    # gender is beside the other's count (table 379: 0 to 2 women beside 7 men) is, on that interval
    unsplit = own_suppressed & (S > 0)
    status[unsplit] = "unknown"
    no_gender = ~by_counts & ~given
    status[no_gender] = "unknown"
    # not "no students": DBH writes 1 or 2 students as 0 (analysis.readers.dbh_cells.SMALLEST_SHOWN)
    status[empty] = "unknown"
    under[empty | unsplit] = None

    # masked arrays: a value where it is known, missing elsewhere
    out["total_high"] = pd.arrays.IntegerArray(T + E, out["total"].isna().to_numpy())
    out["women"] = pd.arrays.IntegerArray(wl, ~exact)
    out["men"] = pd.arrays.IntegerArray(ml, ~exact)
    out["women_low"] = pd.arrays.IntegerArray(wl, ~by_counts | empty)
    out["women_high"] = pd.arrays.IntegerArray(wh, ~by_counts | empty)
    out["share_women"] = pd.arrays.FloatingArray(share_women, ~has_share)
    out["share_basis"] = np.where(by_counts, "counts", "given_pct")
    out["underrepresented"] = under
    out["underrepresented_share"] = pd.arrays.FloatingArray(under_share, ~has_share)
    out["threshold"] = thr
    out["status"] = status
    out["students_needed"] = pd.arrays.IntegerArray(needed, ~needed_known)
    # why a unit is unknown, in the words the report gives it (one text: analysis.gender_reasons)
    unknown = status == "unknown"
    reason = np.empty(n, dtype=object)  # None: no reason (the status is decided)
    reason[unknown] = [reason_words(row, "en") for row in out.loc[unknown, REASON_COLUMNS].to_dict("records")]
    out["reason"] = reason
    out["ci_low"] = pd.arrays.FloatingArray(ci_low, ~ci_known)
    out["ci_high"] = pd.arrays.FloatingArray(ci_high, ~ci_known)
    borderline = (ci_low <= thr) & (thr <= ci_high)
    decimals = out["given_decimals"].to_numpy(dtype=float, na_value=np.nan)
    rounded = given & ~np.isnan(decimals) & ~empty
    if rounded.any():
        # exact, once per distinct (percentage, decimals): the share as written, ± half a unit
        # of its last decimal, holds the threshold (of either gender: the under-represented share)
        pairs = list(zip(pct[rounded].tolist(), decimals[rounded].astype(int).tolist()))
        holds = {pair: _rounding_holds(*pair, threshold) for pair in set(pairs)}
        borderline[rounded] = [holds[pair] for pair in pairs]
    out["borderline"] = pd.arrays.BooleanArray(borderline, ~(ci_known | rounded))
    out["share_men"] = pd.arrays.FloatingArray(share_men, ~has_share)
    return out


def _consecutive_flagged(df: pd.DataFrame) -> pd.Series:
    """Consecutive calendar years flagged, ending at each row (0 when ok, missing when unknown)."""
    flagged = df["status"].eq("flagged")
    g = df.groupby("_unit")
    prev_flagged = g["status"].shift(1).eq("flagged")
    prev_year = g["year"].shift(1)
    continues = flagged & prev_flagged & (df["year"] - prev_year).eq(1)
    run = (~continues).cumsum()
    length = df.groupby(run).cumcount() + 1
    # (a year that cannot be judged has no count: it may be the run's next year, or none)
    return length.where(flagged, 0).astype("Int64").mask(df["status"].eq("unknown"))


def _trend(df: pd.DataFrame, window: int, flat: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Slope (pp/year) of this row's under-represented share over the trend window, the least and
    the most slope the years' shares leave (module docstring), and a word decided over them."""
    trended = df["underrepresented"].isin(["women", "men"]).to_numpy()
    rows = df.loc[trended, ["_unit", "year", "underrepresented"]].assign(row=np.flatnonzero(trended))
    # each year's share as far as it is known: a point (counts, a given percentage) or the
    # interval its bounds leave (one rule for them: share_of_women_bounds); men are the rest
    bound_low, bound_high = share_of_women_bounds(df)
    women_low = df["share_women"].fillna(bound_low)
    women_high = df["share_women"].fillna(bound_high)
    men_low = df["share_men"].fillna(1 - bound_high)
    men_high = df["share_men"].fillna(1 - bound_low)
    # a year of which nothing is shown (its own cell masked: anywhere from 0 to 100 %) is left
    # out, as a year without a share always was
    told = women_low.notna() & ~((women_low == 0) & (women_high == 1)).fillna(False)
    hist = pd.DataFrame(
        {"_unit": df["_unit"], "year": df["year"], "wl": women_low, "wh": women_high, "ml": men_low, "mh": men_high}
    )[told.to_numpy(dtype=bool)]
    m = rows.merge(hist, on="_unit", suffixes=("", "_h"))
    m = m[(m["year_h"] <= m["year"]) & (m["year_h"] > m["year"] - window)]
    women = (m["underrepresented"] == "women").to_numpy()
    y_low = np.where(women, m["wl"].astype(float), m["ml"].astype(float)) * 100
    y_high = np.where(women, m["wh"].astype(float), m["mh"].astype(float)) * 100
    x = (m["year_h"] - m["year"]).astype(float).to_numpy()
    # least squares is linear in the shares: slope = Σ w·y with w = (n·x − Σx) / (n·Σx² − (Σx)²),
    # so its least value takes each year's low end where w > 0 and its high end where w < 0
    g = pd.DataFrame({"row": m["row"].to_numpy(), "n": 1.0, "x": x, "xx": x * x}).groupby("row")
    n, sx, sxx = (g[c].transform("sum").to_numpy() for c in ("n", "x", "xx"))
    den = n * sxx - sx**2
    with np.errstate(divide="ignore", invalid="ignore"):
        w = (n * x - sx) / den
    up = w > 0
    parts = pd.DataFrame(
        {
            "row": m["row"].to_numpy(),
            "low": w * np.where(up, y_low, y_high),
            "high": w * np.where(up, y_high, y_low),
            "one": den == 0,
        }
    ).groupby("row")
    low = np.full(len(df), np.nan)
    high = np.full(len(df), np.nan)
    sums = parts[["low", "high"]].sum()
    # a year alone (x = 0) gives 0 / 0: no slope (NaN), and no word
    alone = parts["one"].any()
    low[sums.index] = sums["low"].where(~alone).round(6)
    high[sums.index] = sums["high"].where(~alone).round(6)
    # the slope where the shares leave one; else only its range
    slope = np.where(low == high, low, np.nan)
    # rising or falling by at least the flat limit; any other slope is flat (0 even at a limit of
    # 0); a word only where every slope of the range has it
    rising = (low >= flat) & (low > 0)
    falling = (high <= -flat) & (high < 0)
    flat_all = ~((high >= flat) & (high > 0)) & ~((low <= -flat) & (low < 0)) & ~np.isnan(low)
    word = np.select([rising, falling, flat_all], ["rising", "falling", "flat"], None)
    return slope, low, high, word


def _source_table(kinds: pd.Series) -> pd.Series:
    """The DBH table (or other source) a row comes from, whatever its file format:
    ``dbh-123-json`` and ``dbh-123-csv`` are one table."""
    return kinds.astype("str").str.replace(r"-(json|csv)$", "", regex=True)


def _field_benchmark(flags: pd.DataFrame) -> pd.DataFrame:
    """The field benchmark columns for programme rows (module docstring); other rows missing."""
    keys = ["field_code", "year", *MEASURE_KEY, "_table"]
    programme = (flags["level"] == "programme") & flags["field_code"].notna()
    rows = flags.loc[
        programme,
        ["field_code", "year", *MEASURE_KEY, "institution_code", "total", "women", "share_women", "share_basis"],
    ].copy()
    rows["_table"] = _source_table(flags.loc[programme, "source_kind"])
    for column in _MISSING_MEASURE_PARTS:
        rows[column] = rows[column].fillna(_NO_CODE)  # a group key must not be missing
    total = rows["total"].astype("Float64")
    exact = rows["women"].notna() & (total > 0).fillna(False)
    given = ~exact & (rows["share_basis"] == "given_pct") & rows["share_women"].notna() & (total > 0).fillna(False)
    # per row what it adds to its field (a row of the other kind adds nothing); both kinds have
    # a total above 0, so nothing below is missing
    rows["_n"] = exact.astype(int)
    rows["_T"] = total.where(exact, 0).astype("int64")
    rows["_W"] = rows["women"].where(exact, 0).astype("int64")
    rows["_inst"] = rows["institution_code"].where(exact)
    rows["_gn"] = given.astype(int)
    rows["_gT"] = total.where(given, 0).astype(float)
    rows["_gW"] = (rows["share_women"] * total).where(given, 0).astype(float)
    rows["_ginst"] = rows["institution_code"].where(given)
    stats = rows.groupby(keys).agg(
        n=("_n", "sum"),
        T=("_T", "sum"),
        W=("_W", "sum"),
        inst=("_inst", "nunique"),
        gn=("_gn", "sum"),
        gT=("_gT", "sum"),
        gW=("_gW", "sum"),
        ginst=("_ginst", "nunique"),
    )
    by_counts = stats["n"] > 0
    stats["field_basis"] = np.where(by_counts, "counts", np.where(stats["gn"] > 0, "given_pct", None))
    stats["field_programmes"] = np.where(by_counts, stats["n"], stats["gn"])
    stats["field_institutions"] = np.where(by_counts, stats["inst"], stats["ginst"])
    stats["field_total"] = np.where(by_counts, stats["T"], np.round(stats["gT"]))
    with np.errstate(divide="ignore", invalid="ignore"):
        stats["field_share_women"] = np.where(by_counts, stats["W"] / stats["T"], stats["gW"] / stats["gT"])
    benchmarked = stats.loc[stats["field_basis"].notna(), FIELD_FIGURES]
    # each programme row gets its field's figures; other rows (and a field without figures) none
    out = rows[keys].reset_index(names="_row").merge(benchmarked.reset_index(), on=keys).set_index("_row")
    out = out.reindex(flags.index)[FIELD_FIGURES]
    under = flags["underrepresented"]
    share_w = out["field_share_women"]
    field_under = share_w.where(under == "women", (1 - share_w).where(under == "men"))
    out["field_underrepresented_share"] = field_under
    out["field_distance_pp"] = ((flags["underrepresented_share"].astype("Float64") - field_under) * 100).round(6)
    return out


@pa.check_output(GenderFlags.to_schema(), lazy=True)
def gender_flags(
    observations: DataFrame[GenderObservations],
    *,
    faculties: DataFrame[FacultyNames] | None = None,
    programmes: DataFrame[ProgrammeCatalogue] | None = None,
    departments: DataFrame[DepartmentNames] | None = None,
    institutions: DataFrame[InstitutionNames] | None = None,
    level: str = "department",
    settings: GenderSettings,
    breaks: pd.DataFrame | None = None,
) -> DataFrame[GenderFlags]:
    """Flag every unit × year × measure where the under-represented gender is below the threshold.

    Args:
        observations: gender counts and shares satisfying ``schemas.gender.GenderObservations``
            (DBH department and programme rows with counts and ``suppressed``; programme rows
            with only ``share_women_given_pct``; any mix of measures).
        faculties: DBH table 210 (``schemas.gender.FacultyNames``), for faculty names.
        programmes: DBH table 347 (``schemas.gender.ProgrammeCatalogue``): programme names,
            departments, levels and NUS codes (the field of the field benchmark).
        departments: DBH table 457 (``schemas.gender.DepartmentNames``): department names by year.
        institutions: DBH table 211 (``schemas.gender.InstitutionNames``): institution names.
        level: what department rows are summed to: ``department`` (as they are), ``faculty``
            (first three digits of Avdelingskode) or ``institution``. Programme rows always
            stay programme rows.
        settings: the policy threshold (an exact fraction: 2/5 = 40 %), the trend window and
            the confidence level, as resolved once by the entry point.
        breaks: the breaks in institutions' series (:func:`analysis.series_breaks.series_breaks`,
            resolved once by the entry point); None: no series is broken.

    Names come from the observations first, then from the name tables
    (:mod:`analysis.metrics.unit_names`); a unit without a name is shown by its code.

    Returns:
        One row per unit × year × measure (with semester and student category) × source kind
        (``schemas.flags.GenderFlags``).

    Raises:
        InputError: the observations or a name table break their contract, or the same
            observation appears twice with different numbers.
        ValueError: unknown level or a threshold outside (0, 1).
    """
    _check_level(level)
    obs, tables = _prepared(
        observations, faculties=faculties, programmes=programmes, departments=departments, institutions=institutions
    )
    return _gender_flags(obs, tables, level=level, settings=settings, breaks=breaks)


def _check_level(level: str) -> None:
    if level not in AGGREGATE_LEVELS:
        raise ValueError(f"level must be one of {', '.join(AGGREGATE_LEVELS)}, got {level!r}")


_NAME_MODELS = {
    "faculties": FacultyNames,
    "programmes": ProgrammeCatalogue,
    "departments": DepartmentNames,
    "institutions": InstitutionNames,
}


def _prepared(observations: pd.DataFrame, **names: pd.DataFrame | None) -> tuple[pd.DataFrame, dict]:
    """The observations checked against their contract and read once, and the name tables
    checked: what every level's flags are computed from."""
    obs = validate_frame(observations, GenderObservations, "(gender observations)")
    # The same observation from two files would be counted twice in a faculty sum: read once,
    # and refuse two files that disagree (one rule for ingest and metrics: analysis.ingest).
    obs, _notes = combine_gender([obs])
    unknown = set(names) - set(_NAME_MODELS)
    if unknown:
        raise TypeError(f"unknown name tables {sorted(unknown)}; known: {', '.join(_NAME_MODELS)}")
    tables = {}
    for key, model in _NAME_MODELS.items():
        frame = names.get(key)
        tables[key] = validate_frame(frame, model, f"({key})") if frame is not None else None
    return obs, tables


def _gender_flags(
    obs: pd.DataFrame, tables: dict, *, level: str, settings: GenderSettings, breaks: pd.DataFrame | None = None
) -> pd.DataFrame:
    """:func:`gender_flags` on prepared observations (:func:`_prepared`) and without its output
    check: the rules live here, undecorated, so that mutation testing reaches them (mutmut skips
    decorated functions)."""
    return _flags(_units(obs, level, tables["programmes"]), obs, tables, settings=settings, breaks=breaks)


def _flags(
    units: pd.DataFrame, obs: pd.DataFrame, tables: dict, *, settings: GenderSettings, breaks: pd.DataFrame | None
) -> pd.DataFrame:
    """The units judged, named, benchmarked, sorted and followed over the years."""
    threshold = as_threshold(settings.threshold)
    judged = _judge(units, threshold, settings.confidence_level)
    judged = attach_names(judged, observations=obs, **tables)
    judged = pd.concat([judged, _field_benchmark(judged)], axis=1)

    judged = judged.sort_values(
        ["level", "institution_code", "unit_code", *MEASURE_KEY, "source_kind", "year"],
        na_position="first",
    ).reset_index(drop=True)
    # a series is followed over the years within one stretch between breaks (a merger): the run
    # of years and the trend below restart at a break as at a new unit; the output says which
    # break a row's stretch starts after, for a reader of the restart
    judged["series_break_year"], judged["series_break_merged"] = series_start(judged, breaks)
    judged["_unit"] = judged.groupby([*UNIT_KEY, "series_break_year"], dropna=False).ngroup()
    judged["consecutive_years_flagged"] = _consecutive_flagged(judged)
    judged["trend_pp_per_year"], judged["trend_pp_low"], judged["trend_pp_high"], judged["trend"] = _trend(
        judged, settings.trend_window_years, settings.trend_flat_pp
    )
    # a row without it (none is made so today) has no contradicting row inside
    judged["categories_disagree"] = judged["categories_disagree"].astype("boolean").fillna(False).astype(bool)
    return judged[list(GenderFlags.to_schema().columns)]


@pa.check_output(GenderFlags.to_schema(), lazy=True)
def gender_flags_all_levels(
    observations: DataFrame[GenderObservations],
    settings: GenderSettings,
    breaks: pd.DataFrame | None = None,
    **names: DataFrame | None,
) -> DataFrame[GenderFlags]:
    """Flags at programme, department, faculty and institution level in one frame (the derived
    table the report reads). ``names``: the name tables :func:`gender_flags` takes
    (``faculties``, ``programmes``, ``departments``, ``institutions``); ``breaks`` as there.

    The same as :func:`gender_flags` at each level, with the inputs checked and read once
    (a third of the derived stage's time on the national table)."""
    return _all_levels(*_prepared(observations, **names), settings=settings, breaks=breaks)


def _all_levels(
    obs: pd.DataFrame, tables: dict, *, settings: GenderSettings, breaks: pd.DataFrame | None = None
) -> pd.DataFrame:
    # every level's units judged together: the rows as given once (a level at a time judged and
    # named the programmes three times over, and kept them once)
    return _flags(_all_units(obs, tables["programmes"]), obs, tables, settings=settings, breaks=breaks)

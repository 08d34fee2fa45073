"""What may be published: the one place that decides which survey results are shown.

Studiebarometeret answers are personal data. A result for fewer respondents than
``survey.min_n`` is not shown, and it must not be *derivable* from what is shown either: a
faculty's sum is the sum of its programmes', so a faculty and all but one of its programmes give
the hidden one by subtraction. This module applies both rules to every survey cell on its way
out (items, indices, distributions; programme, faculty, institution) and to the year-on-year
changes, and nothing else in the product decides suppression.

The method (complementary suppression on a hierarchy, after the practice of statistical
offices; cf. τ-Argus and R's sdcTable), in seven rules:

1. *Primary*: hide every cell with 0 < n < min_n, and every cell answered by fewer than min_n
   people in all (its "vet ikke" answers counted: a lone "vet ikke" is an answer too); where the
   "vet ikke" answers are published, also a cell without any answer (were only cells with some
   "vet ikke" hidden, a hidden cell without valid answers would say "at least one"). A hidden
   cell without valid answers is labelled *primary* whichever rule hid it: "secondary" at n 0
   would say that min_n or more answered it.
2. A visible parent may not have exactly one hidden child, and the hidden children together —
   counted down to the respondents that stay hidden below them — must reach min_n; where the
   "vet ikke" counts are published, so must the hidden children's respondents together ("vet
   ikke" counted), when they have some; and hidden children without valid answers (at most
   min_n − 1 "vet ikke" each, by rule 1) are not the only hidden ones where their total less
   the others' most would give one of them at least one: k of them with more than
   (k − 1)·(min_n − 1) together. Where one hidden child's hidden part is, or holds, a single
   respondent's cell, the others must reach min_n without it: that respondent knows their own
   answers (a *singleton*, as τ-Argus calls it).
3. A hidden parent must keep at least one hidden child (else it is the sum of the visible ones).
4. Where rule 2 or 3 fails, hide the visible child with the fewest respondents (ties: by code),
   or, when no child is visible, the parent itself; repeat until every parent passes.
5. A change between two years is shown only when both years are shown.
6. An index and its items give each other away (an index is the mean of its items, respondent
   by respondent): an index is hidden where one of its items with answers is, and a hidden index
   keeps one of its items hidden (``analysis.metrics.survey_tables.linked_cells`` applies both rules with
   these, until neither table hides more).
7. Where some respondents skipped items of an index, the index and its items set side by side
   (Σ of the items less the number of items × Σ of the index) give a figure about those
   respondents alone, in every unit where both are shown, and so for the hidden units under a
   shown parent together. Rules 2–4 keep that figure from being narrowed to one hidden unit
   (with the units' counts of such respondents as n, and a minimum of 1: at least two hidden
   units that have some); where a unit's figure must go, one of its items is hidden (and by
   rule 6 its index): ``linked_cells`` again. Where two files of an institution's year ask
   different items of the index, those who answered every item of the file with fewer are
   counted too, in a second figure against the items the year has (the index weighs their
   answers by one over fewer items). The figure itself, of a shown unit or of the
   hidden units together, stays derivable (README, "Not guarded"): on synthetic data 28 % of
   programme × index cells are shown with 1 to min_n − 1 such respondents, and hiding the
   figure there (this rule with min_n, primary too) hid 60 % of index cells with answers
   instead of 34 %, and left other figures of fewer than min_n derivable; it was not done.

The hierarchy is a year's own: each year's rollups are decided from that year's respondent
files alone (``analysis.metrics.survey_tables.Units.of``), and every rule works within a year, so
a year is hidden alike in every run that holds it. Within a year it is an institution's own: its
faculties are decided from the files with its respondents, and every rule works within one
institution's tree, so its cells are hidden alike in a run of its files and beside another
institution's. The files of a year without ``institusjonskode`` are a place of their own, of no
institution, decided from those files alone (before, they took the year's institution and
faculties from every institution, and X's programmes lost the complements of X's own run: an
attack, 2026-12-05). (Rollups decided for the whole run let a new
year's file without ``fakultetskode`` take the previous year's faculties away, and the previous
year got other complements than in its own report: the faculty from one report less the
programmes shown in the other gave a hidden programme, an attack on 2026-12-04.)

Why this suffices: with the equations *parent = Σ children* as the attacker's only relations,
the published cells determine a hidden cell, or the sum of hidden cells, only through a visible
parent whose hidden descendants can be "peeled" down (rules 2 and 3 block both); a hidden parent
reveals only *parent − hidden children*, which is the sum of its visible children, already
shown. What these equations do not cover is named in the README ("Not guarded"): an index with
missing items beside all its items (its weights, one over the number answered, differ between
respondents and between units, so it separates what the items' equations leave together), and
hidden answers that are all alike. Every rule reads only
what is published (n): a rule that read the hidden answers would give them away by what it hid. ``tests/test_disclosure.py`` checks this the way an attacker would: it publishes random
hierarchies through the real output path and solves the linear system of published values.

Every additive statistic of a cell (n·mean, Σx², the count of each answer) obeys the same
equations, so hiding the cell hides all of them. The rules take ``n`` as known to anyone (it says
why the cell is empty and reveals no answer), so they read it and nothing else; ``kvalitet
survey``'s tables keep it. The report shows no ``n`` of a hidden cell all the same
(:func:`analysis.report.parts.hidden_n_emptied`): a margin these rules do not count on. The
"få svarende" mark is ``few_respondents``: shown, but with fewer than ``survey.warn_n`` answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from analysis.settings import SurveySettings

if TYPE_CHECKING:  # pandas is loaded where a frame is protected: `kvalitet survey` runs without it
    import pandas as pd
    from pandera.typing.pandas import DataFrame

    from schemas.survey_results import PortalSetAside, SurveyFiles

#: Levels of the hierarchy, children before parents.
LEVELS = ("programme", "faculty", "institution")
PRIMARY, SECONDARY = "primary", "secondary"
#: Why a cell is hidden, by code: 0 shown, 1 primary, 2 secondary (:func:`suppression_codes`).
REASONS = ("", PRIMARY, SECONDARY)
#: Columns that place a cell in the hierarchy (a programme belongs to its faculty, a faculty to
#: its institution; faculty codes are only unique within an institution).
PLACE = ("year", "institution_code", "faculty_code", "unit_code", "level")


def _counts(n) -> np.ndarray:
    """``n`` as an array of numbers, NaN where unknown (None, NaN, pandas' NA): NaN is neither
    below nor at least any threshold, so an unknown n is never hidden nor "få svarende". A
    numeric array (a national survey table: millions of cells) is taken as it is, without pandas."""
    if isinstance(n, np.ndarray) and n.dtype != object:
        return n
    import pandas as pd

    # counts are whole numbers ("Int64" refuses 2.5); pandas ≥ 3 gives NaN for NA in to_numpy
    return pd.array(n, dtype="Int64").to_numpy()


def below_minimum(n, min_n: int) -> np.ndarray:
    """Rule 1: a result on fewer than ``min_n`` answers (but some) is hidden. An unknown n
    (an aggregated extract that does not give it) is not below anything."""
    n = _counts(n)
    return (n > 0) & (n < min_n)


def few_respondents(n, settings: SurveySettings) -> np.ndarray:
    """The "få svarende" mark: shown, but on fewer than ``warn_n`` answers."""
    n = _counts(n)
    return (n >= settings.min_n) & (n < settings.warn_n)


def unit_parents(units: Any, by: Sequence[str] = ("year",)) -> np.ndarray:
    """For every row of a table of units, the row of its parent unit (same ``by``), or −1.

    ``units`` has the columns of :data:`PLACE` (a frame, or a mapping of column name to array).
    A programme's parent is its faculty's row when the table has one, else its institution's; a
    faculty's parent is its institution's. A missing code matches a missing code. A parent that
    is not in the table gives no equation (−1).
    """
    by = list(by)
    rows = list(zip(*(_values(units[c]) for c in (*by, "institution_code", "faculty_code", "unit_code", "level"))))
    row_of: dict[tuple, int] = {}
    for r, (*key, institution, _, unit, level) in enumerate(rows):
        row_of.setdefault((*key, institution, level, unit), r)
    parent = np.full(len(rows), -1)  # int64
    for r, (*key, institution, faculty, _, level) in enumerate(rows):
        to_institution = row_of.get((*key, institution, "institution", institution), -1)
        if level == "programme":
            parent[r] = row_of.get((*key, institution, "faculty", faculty), to_institution)
        elif level == "faculty":
            parent[r] = to_institution
    return parent


def _values(column: Any) -> list:
    """A column's values, None where missing (None, NaN, pandas' NA)."""
    values = list(column)
    missing = column.isna().tolist() if hasattr(column, "isna") else [v is None or v != v for v in values]
    return [None if gone else v for v, gone in zip(values, missing)]


def cell_parents(unit_parent: np.ndarray, names: int) -> np.ndarray:
    """Parents of the cells of a units × names table (flattened unit-major): cell (u, j) has
    the parent (parent of u, j) — the hierarchy is the same for every item and index."""
    rows = np.repeat(unit_parent, names)
    return np.where(rows >= 0, rows * names + np.tile(np.arange(names), len(unit_parent)), -1)


def suppression(
    n: np.ndarray,
    parent: np.ndarray,
    codes: np.ndarray,
    min_n: int,
    answered: np.ndarray | None = None,
    hide: np.ndarray | None = None,
) -> np.ndarray:
    """Why each cell is hidden: ``primary``, ``secondary`` or "" (shown), by the rules above
    (:func:`suppression_codes`, the reasons as words)."""
    return np.asarray(REASONS)[suppression_codes(n, parent, codes, min_n, answered, hide)]


def suppression_codes(
    n: np.ndarray,
    parent: np.ndarray,
    codes: np.ndarray,
    min_n: int,
    answered: np.ndarray | None = None,
    hide: np.ndarray | None = None,
    *,
    primary: bool = True,
) -> np.ndarray:
    """Why each cell is hidden, by the rules above, as an index into :data:`REASONS` (int8):
    0 shown, 1 ``primary``, 2 ``secondary``.

    Args:
        n: respondents (valid answers) per cell.
        answered: respondents who answered at all, "vet ikke" included (None: ``n``). A cell
            whose published figures include the "vet ikke" count is protected by this number
            too; the secondary rules count valid answers, the smaller and so the stricter.
        parent: the row of each cell's parent, −1 for none (:func:`unit_parents`, :func:`cell_parents`).
        codes: per cell, what breaks ties between equally small cells (the unit code, or its
            rank as an integer).
        min_n: the minimum number of respondents for a result to be shown.
        hide: cells a linked table needs hidden (None: none), hidden as ``secondary`` before
            the rules run: an index and its items give each other away
            (:func:`analysis.metrics.survey_tables.linked_cells`).
        primary: False for cells that are not published themselves but follow from what is
            (rule 7): none is hidden for its own n, only ``hide`` and what rules 2–4 add.
    """
    n = np.asarray(n)
    m = len(n)
    reason = np.zeros(m, dtype=np.int8)
    hidden = below_minimum(n, min_n) if primary else np.zeros(m, dtype=bool)
    if answered is not None:
        answered = np.asarray(answered)
    if answered is not None and primary:
        # (a cell with answers and too few answered at all has too few answers: rule 1 already)
        hidden |= (n == 0) & (answered < min_n)
    reason[hidden] = 1
    if hide is not None:
        reason[hide & ~hidden] = 2
        hidden |= hide
    child = np.flatnonzero(parent >= 0)
    order = hiding_order(child, parent, n, np.asarray(codes))
    # each round hides at least one more cell, so the rules settle within m + 1 rounds; a bug
    # that keeps adding nothing new fails below instead of hanging the command
    for _ in range(m + 1):
        hid = child[hidden[child]]
        # (every hidden child counts, one nobody answered too: which hidden cells had "vet ikke"
        # answers is not published, and a rule that read it would give it away by what it hides)
        count_all = np.bincount(parent[hid], minlength=m)
        # the respondents that stay hidden below a hidden cell: those hidden below its hidden
        # children, or its own when it has none (what an attacker can narrow a hidden sum down
        # to); a pass per level counts them down from the programmes (a shown cell's is not read)
        ends = n
        # and whether one of those ends is a single respondent (who knows their own answers):
        # counted down the same way, so that a hidden faculty of programmes of 1 and 4 holds one
        # as a programme of 1 does (its respondent got the other hidden faculty's and the 4's 9
        # together as the institution less its shown faculties less their own, min_n 10)
        alone = n == 1
        for _ in LEVELS:
            alone = np.where(count_all > 0, np.bincount(parent[hid], weights=alone[hid], minlength=m) > 0, n == 1)
            ends = np.where(count_all > 0, np.bincount(parent[hid], weights=ends[hid], minlength=m), n)
        # a hidden child without valid answers (only "vet ikke") hides no part of a mean: for the
        # means only the hidden children with answers count; for the "vet ikke" counts, all
        with_answers = hid[n[hid] > 0]
        count = np.bincount(parent[with_answers], minlength=m)
        below = np.bincount(parent[with_answers], weights=ends[with_answers], minlength=m)
        # rule 3; a cell without children fails it too, but has no child to hide: nothing is
        # added for it (nor for a parent without valid answers: its children have none either)
        lone = hidden & (count == 0)
        # a hidden child whose hidden part is one respondent is known to that respondent (their own
        # answers): the others must reach min_n without it (an attack, 2026-12-04: of hidden
        # programmes of 1 and 4 under a shown faculty, the one respondent got the four's result
        # as the faculty less its shown programmes less their own; a "singleton" in τ-Argus).
        # Read: only the published n
        single = np.bincount(parent[with_answers], weights=alone[with_answers], minlength=m) > 0
        short = (below < min_n) | single & (below - 1 < min_n)
        exposed = ~hidden & ((count_all == 1) | (count > 0) & ((count == 1) | short))  # rule 2
        if answered is not None:
            # rule 2 for the "vet ikke" counts: hidden children with no valid answer (only "vet
            # ikke") have theirs published together, as the parent's less its shown children's;
            # those too must be min_n respondents or none (a second reader, 2026-12-03: two hidden
            # programmes' 2 "vet ikke" under a shown faculty). The rule reads only that total,
            # which the published counts give anyway: what it hides tells nothing they do not
            pool = np.bincount(parent[hid], weights=answered[hid], minlength=m)
            exposed |= ~hidden & (count_all > 0) & (pool > 0) & (pool < min_n)
            # and not those alone: a hidden child without valid answers is hidden because fewer
            # than min_n answered it (rule 1), so its "vet ikke" are published to be at most
            # min_n − 1, and their total less the others' most gives each one at least (an
            # attack, 2026-12-03: two such programmes, 8 "vet ikke" under a shown faculty, were
            # 4 each, all they had). Hidden children with answers among them (whose "vet ikke"
            # nothing bounds, two by rule 2) leave no such floor, nor does a total the others
            # could hold alone: a floor is there only when the pool exceeds what all but one can
            # hold, (k − 1)·(min_n − 1) (three such programmes with 6 together: none has to have
            # any; a second reader found the rule hiding whole faculties for them). Read: only
            # the n published and the pool, which the published counts give
            floor = pool > (count_all - 1) * (min_n - 1)
            exposed |= ~hidden & (count_all > count) & (count == 0) & floor
        failing = lone | exposed
        candidates = order[failing[parent[order]] & ~hidden[order] & (n[order] > 0)]  # with answers (an unknown n: not)
        first = candidates[np.unique(parent[candidates], return_index=True)[1]]
        add = np.zeros(m, dtype=bool)
        add[first] = True
        # rule 4: an exposed parent with no child left to hide goes itself
        add[np.setdiff1d(np.flatnonzero(exposed), parent[first])] = True
        if not add.any():  # every parent passes (or a lone one has no child with answers to hide)
            # a hidden cell without valid answers is "primary" whatever hid it (0 valid answers
            # are fewer than min_n): "secondary" beside n 0 said that min_n or more answered it
            # ("vet ikke"), and with its children "primary" at n 0, each at most min_n − 1, two
            # such children had at least one each (a second reader, 2026-12-03)
            reason[(reason == 2) & (n == 0)] = 1
            return reason
        hidden |= add
        reason[add] = 2
    raise RuntimeError("disclosure control did not settle: a bug in suppression_codes()")


def hiding_order(child: np.ndarray, parent: np.ndarray, n: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """The cells ``child`` in the order they are hidden in (rule 4): by parent, then fewest
    respondents first, then by code (as ``np.lexsort((codes, n, parent))`` of the children)."""
    keys = [parent[child], n[child], codes[child]]
    # NOTE: three integer keys as one: sorted ~3× faster than by np.lexsort (~0.3 s of
    # ``kvalitet survey`` at 3 M respondents), when they are whole numbers ≥ 0 that fit together
    # in 62 bits; else (an unknown n, text codes) by np.lexsort
    if all(key.dtype.kind in "iu" for key in keys) and all(key.min(initial=0) >= 0 for key in keys):
        spans = [int(key.max(initial=0)) + 1 for key in keys]
        if spans[0] * spans[1] * spans[2] < 1 << 62:
            first, second, third = (key.astype(np.int64) for key in keys)
            return child[np.argsort((first * spans[1] + second) * spans[2] + third, kind="stable")]
    return child[np.lexsort(keys[::-1])]


def protect_cells(
    cells: pd.DataFrame, *, names: str, statistics: Sequence[str], settings: SurveySettings
) -> pd.DataFrame:
    """The cells with ``suppressed`` (bool), ``suppression`` (primary / secondary / empty) and
    ``few_respondents`` set, and every statistic emptied where suppressed.

    Args:
        cells: one row per unit × year × ``names`` with the columns of :data:`PLACE` and ``n``
            (``faculty_code`` on programme rows names the programme's faculty).
        names: the column naming the variable (``item``, ``index_name``, ``score``).
        statistics: the columns to empty in a suppressed cell (mean, sd, interval, counts).
        settings: ``min_n`` and ``warn_n``.
    """
    import pandas as pd

    n = _counts(cells["n"])  # an unknown n: NaN, below no minimum and never a candidate to hide
    parent = unit_parents(cells, by=("year", names))
    reason = suppression(n, parent, cells["unit_code"].astype(str).to_numpy(), settings.min_n)
    hidden = reason != ""
    out = cells.copy()
    for column in statistics:
        out[column] = out[column].mask(hidden)
    out["suppressed"] = hidden
    out["suppression"] = pd.Categorical(reason, categories=list(REASONS))
    out["few_respondents"] = ~hidden & few_respondents(n, settings)
    return out


def change_shown(shown_now: np.ndarray, shown_before: np.ndarray) -> np.ndarray:
    """Rule 5: a change is shown only when both years are (a change of a hidden cell, added to
    the shown year, would give the hidden one away)."""
    return np.asarray(shown_now, dtype=bool) & np.asarray(shown_before, dtype=bool)


def protect_changes(changes: pd.DataFrame, cells: pd.DataFrame, *, names: str, key: Sequence[str]) -> pd.DataFrame:
    """Changes (columns ``key``, ``name``, ``year``, ``previous_year``, ``mean``,
    ``mean_previous``, ``change``, ``p_value``) emptied by rule 5 against the protected cells."""
    key = list(key)
    shown = cells.loc[~cells["suppressed"], [*key, "year", names]]
    shown = shown.astype(object).rename(columns={names: "name"})
    look = changes[[*key, "name", "year", "previous_year"]].astype(object)
    # joined on the columns both have: the key, the name and the year (now, then the previous)
    now = look.merge(shown, how="left", indicator=True)["_merge"].eq("both").to_numpy()
    before = (
        look.drop(columns="year")
        .rename(columns={"previous_year": "year"})
        .merge(shown, how="left", indicator=True)["_merge"]
        .eq("both")
        .to_numpy()
    )
    out = changes.copy()
    out["mean"] = out["mean"].mask(~now)
    out["mean_previous"] = out["mean_previous"].mask(~before)
    both = change_shown(now, before)
    for column in ("change", "p_value"):
        out[column] = out[column].mask(~both)
    return out


def protect_portal(
    portal_index: pd.DataFrame, settings: SurveySettings, facts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The portal's index view by the product's own rule: a programme's values are hidden when
    it has fewer respondents than ``min_n`` (the portal's own threshold is not published, and a
    value it showed must not pass the product's minimum), and marked "få svarende" by the
    portal's warning or below ``warn_n``; a hidden row's ``respondents`` and
    ``response_rate_pct`` are hidden with its value. The portal's figures have no parent cells here, so
    rule 1 is the whole pass. A programme and year ``facts`` (the portal's DBH facts) give too
    few respondents is hidden too, as in the time series and the item view
    (:func:`protect_portal_years`): else the index view shows the year they hide."""
    import pandas as pd

    out = portal_index.copy()
    hidden = below_minimum(out["respondents"], settings.min_n)
    if facts is not None:
        few = pd.MultiIndex.from_frame(_too_few_in_facts(facts, settings))
        hidden = hidden | pd.MultiIndex.from_frame(out[PORTAL_KEY]).isin(few)
    out["value"] = out["value"].mask(hidden)
    out["suppressed"] = hidden
    out["few_respondents"] = ~hidden & (
        few_respondents(out["respondents"], settings) | out["few_respondents_warning"].to_numpy(dtype=bool)
    )
    # a hidden row shows no count either, as the respondent tables' (its "3 respondenter,
    # svarprosent 20,8 %" was in the chart's subtitle and the survey table)
    for count in ("respondents", "response_rate_pct"):
        if count in out:  # a table made by hand may have no response rate
            out[count] = out[count].mask(hidden)
    return out


def _too_few_in_facts(facts: pd.DataFrame, settings: SurveySettings) -> pd.DataFrame:
    """The programmes and years (:data:`PORTAL_KEY`) the portal's DBH facts give fewer than
    ``settings.min_n`` respondents: hidden in every portal view (rule 1)."""
    return facts.loc[below_minimum(facts["respondents"], settings.min_n), PORTAL_KEY]


#: Kinds of input file that hold personal answers (``analysis.readers``' kinds): respondent-level
#: Studiebarometeret data.
PERSONAL_KINDS = frozenset({"sb-respondents"})


def personal_inputs(validated_manifest: dict) -> set[str]:
    """The input files (as the validated stage's manifest names them, relative to the raw
    folder) whose size and checksum a published file must not carry: they hold personal
    answers. A checksum is a function of the answers alone once the rest of a file is known
    (its header, codes and n are in the survey tables, its layout is the export's), so a small
    file's answers are found by trying each: a file of one respondent and four items in 7⁴ tries
    (an attack on the report's manifest, 2026-12-04), and its size counts its "vet ikke" (9999,
    4 bytes against an answer's 1)."""
    return {
        str(entry["file"])
        for entry in validated_manifest.get("inputs", [])
        if isinstance(entry, dict) and entry.get("kind") in PERSONAL_KINDS
    }


def described_inputs(validated_manifest: dict) -> set[str]:
    """The files of the data folder (relative to it) a published file may give with their size
    and sha256: those a stage read as data of a kind without personal answers (not
    :func:`personal_inputs`), and the folder's provenance manifest (``MANIFEST.json``, whose
    dates the report reads). Any other file is named only: a file no stage reads may be a copy
    of a respondent file (a backup, ``….csv.bak``; NOKUT's delivery in another format beside
    the export), whose checksum gave the answers of its hidden respondent by the tries above (an
    attack on the report's manifest, 2026-12-05)."""
    from analysis.paths import RAW_MANIFEST_NAME

    return {
        str(entry["file"])
        for entry in validated_manifest.get("inputs", [])
        if isinstance(entry, dict) and "file" in entry and entry.get("kind") not in PERSONAL_KINDS
    } | {RAW_MANIFEST_NAME}


def personal_datasets(validated_manifest: dict) -> set[str]:
    """The validated datasets fed by :func:`personal_inputs`: a published file gives no row count
    of theirs, nor of such an input. Their rows are respondents, so a respondent file of one
    programme's year gives its n, which the survey tables hide for a hidden cell (an attack on
    notebook 01's table of files read, 2026-12-04), and all of them every year's together, the
    institution's shown years' n less which gives a hidden year's."""
    personal = personal_inputs(validated_manifest)
    return {
        str(entry["dataset"])
        for entry in validated_manifest.get("inputs", [])
        if isinstance(entry, dict) and str(entry.get("file")) in personal and "dataset" in entry
    }


#: A programme and survey year in the portal's tables (its ``sb_id`` is the programme's key).
PORTAL_KEY = ["sb_id", "survey_year"]


def protect_portal_years(
    portal_table: pd.DataFrame,
    protected_index: pd.DataFrame,
    facts: pd.DataFrame | None = None,
    settings: SurveySettings | None = None,
) -> pd.DataFrame:
    """A portal table of one programme and year per row (the time series, the item view) with
    the index view's decisions (:func:`protect_portal`): a programme and year hidden there is
    hidden here too. They are the same respondents' answers, so an item or a year of the time
    series would show what the index view hides (the 2025 point of a programme with 4
    respondents, say).

    ``facts`` (the portal's DBH facts: ``sb_id``, ``survey_year``, ``respondents``) give a
    programme's respondents for years the index view may not cover: a programme and year with
    fewer than ``settings.min_n`` there is hidden too, by rule 1 (the facts are published beside
    the time series, so its point of 3 respondents was shown with its n; an attack, 2026-12-04).
    A year neither covers keeps the portal's own figure: its number of respondents is not in the
    portal's time series or item view, and the portal published it under its own minimum."""
    import pandas as pd

    keys = [protected_index.loc[protected_index["suppressed"].astype(bool), PORTAL_KEY]]
    if facts is not None and settings is not None:
        keys.append(_too_few_in_facts(facts, settings))
    hidden = pd.MultiIndex.from_frame(pd.concat(keys, ignore_index=True))
    out = portal_table.copy()
    mask = pd.MultiIndex.from_frame(out[PORTAL_KEY]).isin(hidden)
    out["value"] = out["value"].mask(mask)
    out["suppressed"] = mask
    return out


#: The portal's programmes and years set aside for NOKUT's respondent files of the same
#: institution and year (:func:`portal_set_aside`): ``sb_id``, ``institution_code``, ``survey_year``
#: (with each its ``programme_name``: a name, no figure).
SET_ASIDE = ["sb_id", "institution_code", "survey_year"]


def portal_set_aside(
    portal: dict[str, pd.DataFrame], survey_files: DataFrame[SurveyFiles] | None
) -> tuple[dict[str, pd.DataFrame], DataFrame[PortalSetAside]]:
    """One source per institution × year: the portal's tables (``portal_index``,
    ``portal_items``, ``portal_history``, ``portal_dbh_facts``) without their rows of an
    institution and year that NOKUT's respondent files cover (``survey_files``, the survey
    step's :class:`~schemas.survey_results.SurveyFiles`), and the programmes and years so left
    out (:data:`SET_ASIDE`, held to :class:`~schemas.survey_results.PortalSetAside`).

    The portal's figures and the respondent tables are two counts of the same answers, each
    protected apart: the respondent tables hide a programme's index of 4 with an index value
    while the portal showed NOKUT's 3.9 of its 6 respondents (an attack, 2026-12-05). A
    respondent file without ``institusjonskode`` covers its year for every institution (the
    report counts its rows as the report institution's in a year without rows of its own,
    ``analysis.report.data``; in any year they may be any institution's). A programme's institution is the index
    view's ``institution_code``, else the ``sb_id``'s leading code (``1150_maar-trondheim``).
    Years and institutions the files do not cover keep the portal's figures.

    A row set aside keeps the programme's name as the portal's files of that year give it (the
    index view's ``programme_name``, else the DBH facts'), and nothing else of them: the report
    names by it the programme whose other years the portal's time series still shows (it was
    titled by its ``sb_id`` where the index view's every row of it was set aside)."""
    import pandas as pd

    from schemas.survey_results import PortalSetAside

    none = pd.DataFrame({"sb_id": [], "institution_code": [], "survey_year": [], "programme_name": []}).astype(
        {"sb_id": "string", "institution_code": "string", "survey_year": "Int64", "programme_name": "string"}
    )
    if survey_files is None or survey_files.empty:
        return dict(portal), PortalSetAside.validate(none, lazy=True)
    years = survey_files["year"].astype("Int64")
    every = set(years[survey_files["institution_code"].isna()].dropna().astype(int))
    covered = {
        (str(code), int(year))
        for code, year in zip(survey_files["institution_code"], years, strict=True)
        if not pd.isna(code) and not pd.isna(year)
    }
    index = portal.get("portal_index")
    known = (
        {}
        if index is None
        else dict(zip(index["sb_id"].astype(str), index["institution_code"].astype(str), strict=True))
    )
    out, aside = {}, []
    named: dict[tuple[str, int], str] = {}
    for name, frame in portal.items():
        sb_id = frame["sb_id"].astype(str)
        code = sb_id.map(lambda s: known.get(s, s.split("_", 1)[0]))
        year = frame["survey_year"].astype(int)
        drop = pd.Series(
            [y in every or (c, y) in covered for c, y in zip(code, year, strict=True)], index=frame.index, dtype=bool
        )
        out[name] = frame[~drop].reset_index(drop=True)
        aside.append(pd.DataFrame({"sb_id": sb_id[drop], "institution_code": code[drop], "survey_year": year[drop]}))
    for source in ("portal_dbh_facts", "portal_index"):  # the index view's name over the facts'
        if source in portal and "programme_name" in portal[source]:
            titled = portal[source].dropna(subset=["programme_name"])
            named |= {
                (str(s), int(y)): str(title)
                for s, y, title in zip(titled["sb_id"], titled["survey_year"], titled["programme_name"], strict=True)
                if str(title).strip()
            }
    left = pd.concat([none[SET_ASIDE], *aside], ignore_index=True).drop_duplicates()
    left["programme_name"] = [named.get((s, int(y))) for s, y in zip(left["sb_id"], left["survey_year"], strict=True)]
    left = left.astype(none.dtypes.to_dict())
    return out, PortalSetAside.validate(left.sort_values(SET_ASIDE, ignore_index=True), lazy=True)

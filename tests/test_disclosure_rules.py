"""analysis.disclosure's public functions on small tables worked out by hand (issue 13: the
survivors of ``make mutate`` in analysis/disclosure.py).

The rules are the module's five lines: (1) hide 0 < n < min_n; (2) a visible parent may not
have exactly one hidden child, and its hidden children must reach min_n together; (3) a hidden
parent keeps a hidden child; (4) else hide the visible child with the fewest respondents (ties:
by code), or the parent when none is visible; (5) a change is shown only when both years are.
The "få svarende" mark is min_n ≤ n < warn_n on a shown cell.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.disclosure import (
    PRIMARY,
    SECONDARY,
    below_minimum,
    cell_parents,
    change_shown,
    few_respondents,
    protect_cells,
    protect_changes,
    protect_portal,
    protect_portal_years,
    suppression,
    suppression_codes,
    unit_parents,
)
from analysis.settings import SurveySettings

SURVEY = SurveySettings(min_n=5, warn_n=10)


def test_below_minimum_and_few_respondents_at_their_boundaries():
    n = pd.array([0, 1, 4, 5, 9, 10, 11, None], dtype="Int64")
    # 0 answers: nothing to protect; 1–4 hidden; 5 is not below 5; unknown n is below nothing
    assert below_minimum(n, 5).tolist() == [False, True, True, False, False, False, False, False]
    # "få svarende": shown (n ≥ 5) and n < 10; 10 is not below 10; unknown n is not known to be few
    assert few_respondents(n, SURVEY).tolist() == [False, False, False, True, True, False, False, False]
    assert few_respondents(n, SURVEY).dtype == bool and below_minimum(n, 5).dtype == bool


def table(rows: list[tuple]) -> pd.DataFrame:
    """(level, institution, faculty, unit, n) rows of year 2024, one item."""
    df = pd.DataFrame(rows, columns=["level", "institution_code", "faculty_code", "unit_code", "n"])
    df.insert(0, "year", 2024)
    df["item"] = "underv_engasj_18"
    df["n"] = df["n"].astype("Int64")
    df["mean"] = 3.0
    return df


# institution 1150 (row 0) with faculty 110 (row 1: programmes A, B, C) and faculty 120 (row 2:
# programme D); programme E of institution 1150 has no faculty row (its faculty 130 is not in
# the table) and hangs from the institution; programme X of institution 9999 has no parent at all
HIERARCHY = [
    ("institution", "1150", None, "1150", 40),
    ("faculty", "1150", "110", "110", 20),
    ("faculty", "1150", "120", "120", 10),
    ("programme", "1150", "110", "A", 3),
    ("programme", "1150", "110", "B", 8),
    ("programme", "1150", "110", "C", 9),
    ("programme", "1150", "120", "D", 10),
    ("programme", "1150", "130", "E", 10),
    ("programme", "9999", "110", "X", 7),
]


def test_unit_parents_finds_the_faculty_else_the_institution_else_none():
    parents = unit_parents(table(HIERARCHY))
    assert parents.dtype == np.int64
    assert parents.tolist() == [-1, 0, 0, 1, 1, 1, 2, 0, -1]


def test_unit_parents_without_institution_codes():
    # no institution column in the data: the codes are missing, and a programme still finds its
    # faculty (missing matches missing); a faculty has no institution row to hang from
    rows = [
        ("faculty", None, "110", "110", 12),
        ("programme", None, "110", "A", 6),
        ("programme", None, "110", "B", 6),
        ("programme", None, "120", "C", 6),
    ]
    assert unit_parents(table(rows)).tolist() == [-1, 0, 0, -1]


def test_cell_parents_repeat_the_hierarchy_for_every_name():
    # units 0 <- 1 <- 2, two names: cell (u, j) is u * 2 + j
    assert cell_parents(np.array([-1, 0, 1]), 2).tolist() == [-1, -1, 0, 1, 2, 3]


def test_protect_cells_by_the_five_rules():
    cells = protect_cells(table(HIERARCHY), names="item", statistics=["mean"], settings=SURVEY)
    reason = dict(zip(cells["unit_code"], cells["suppression"].astype(str)))
    # A (3 < 5): primary. Faculty 110 is shown with one hidden child, so its smallest visible
    # child B (8, before C's 9) goes too: A + B = 11 ≥ 5 hidden below 110. Everything else is
    # shown: 1150's children 110, 120 and E are visible; X (7) has no parent.
    assert reason == {
        "1150": "",
        "110": "",
        "120": "",
        "A": PRIMARY,
        "B": SECONDARY,
        "C": "",
        "D": "",
        "E": "",
        "X": "",
    }
    hidden = dict(zip(cells["unit_code"], cells["suppressed"]))
    assert [u for u, h in hidden.items() if h] == ["A", "B"]
    assert cells.loc[cells["suppressed"], "mean"].isna().all()
    assert (cells.loc[~cells["suppressed"], "mean"] == 3.0).all()
    assert cells["n"].tolist() == [40, 20, 10, 3, 8, 9, 10, 10, 7]  # n stays published
    # "få svarende": shown with 5 ≤ n < 10: C (9) and X (7); not D, E or 120 (10), not A or B (hidden)
    few = dict(zip(cells["unit_code"], cells["few_respondents"]))
    assert [u for u, f in few.items() if f] == ["C", "X"]


def test_protect_cells_hides_a_parent_with_no_visible_child_left():
    # faculty 110 (n 8) has programmes of 6, 0 and 2 answers: the 2 is hidden (primary); the
    # faculty may not have one hidden child, and the smallest visible child with answers is the
    # 6 (the 0 has nothing to hide), so it goes too; the faculty stays shown: its hidden
    # children hold 2 + 6 = 8 ≥ 5.
    rows = [
        ("faculty", "1150", "110", "110", 8),
        ("programme", "1150", "110", "A", 6),
        ("programme", "1150", "110", "B", 0),
        ("programme", "1150", "110", "C", 2),
    ]
    cells = protect_cells(table(rows), names="item", statistics=["mean"], settings=SURVEY)
    assert cells["suppression"].astype(str).tolist() == ["", SECONDARY, "", PRIMARY]
    # a faculty of 4 with a programme of 4: both below 5, both hidden by rule 1
    rows = [("faculty", "1150", "110", "110", 4), ("programme", "1150", "110", "A", 4)]
    cells = protect_cells(table(rows), names="item", statistics=["mean"], settings=SURVEY)
    assert cells["suppression"].astype(str).tolist() == [PRIMARY, PRIMARY]


def test_protect_cells_on_an_empty_table():
    cells = protect_cells(table(HIERARCHY).iloc[:0], names="item", statistics=["mean"], settings=SURVEY)
    assert len(cells) == 0 and {"suppressed", "suppression", "few_respondents"} <= set(cells.columns)


def test_change_shown_needs_both_years():
    assert change_shown([True, True, False, False], [True, False, True, False]).tolist() == [True, False, False, False]


def test_protect_changes_empties_a_change_unless_both_years_are_shown():
    cells = pd.concat(
        [
            table([("programme", "1150", "110", "A", 3), ("programme", "1150", "110", "B", 8)]),
            table([("programme", "1150", "110", "A", 6), ("programme", "1150", "110", "B", 8)]).assign(year=2025),
        ],
        ignore_index=True,
    )
    cells["suppressed"] = [True, False, False, False]  # A hidden in 2024 (n 3)
    key = ["level", "institution_code", "faculty_code", "unit_code"]
    changes = pd.DataFrame(
        {
            "level": "programme",
            "institution_code": "1150",
            "faculty_code": "110",
            "unit_code": ["A", "B", "C"],
            "name": "underv_engasj_18",
            "year": 2025,
            "previous_year": 2024,
            "mean": [3.5, 4.0, 2.0],
            "mean_previous": [3.0, 3.5, 2.5],
            "change": [0.5, 0.5, -0.5],
            "p_value": [0.2, 0.3, 0.4],
        }
    )
    out = protect_changes(changes, cells, names="item", key=key).set_index("unit_code")
    # A: 2025 shown, 2024 hidden: its mean stays, the previous mean, change and p-value go
    assert out.loc["A", "mean"] == 3.5
    assert (
        pd.isna(out.loc["A", "mean_previous"]) and pd.isna(out.loc["A", "change"]) and pd.isna(out.loc["A", "p_value"])
    )
    # B: both years shown: everything stays
    assert out.loc["B", ["mean", "mean_previous", "change", "p_value"]].tolist() == [4.0, 3.5, 0.5, 0.3]
    # C: in neither year's shown cells: nothing is shown
    assert out.loc["C", ["mean", "mean_previous", "change", "p_value"]].isna().all()


def test_protect_portal_hides_below_min_n_and_marks_few_by_warn_n_or_the_portals_warning():
    portal = pd.DataFrame(
        {
            "respondents": pd.array([4, 5, 9, 10, 12, None], dtype="Int64"),
            "value": [4.1, 3.9, 3.5, 3.2, 4.4, 3.0],
            "few_respondents_warning": [True, False, False, False, True, False],
        }
    )
    out = protect_portal(portal, SURVEY)
    # 4 < 5: hidden (and then not "few": nothing is shown); unknown respondents: not hidden
    assert out["suppressed"].tolist() == [True, False, False, False, False, False]
    assert out["value"].isna().tolist() == [True, False, False, False, False, False]
    assert out["value"].tolist()[1:] == [3.9, 3.5, 3.2, 4.4, 3.0]
    # a hidden row shows no count either (the last was not known)
    assert out["respondents"].isna().tolist() == [True, False, False, False, False, True]
    # few: 5 and 9 (< 10), and 12 by the portal's own warning; 10 and the unknown are not
    assert out["few_respondents"].tolist() == [False, True, True, False, True, False]
    assert list(portal.columns) == ["respondents", "value", "few_respondents_warning"]  # input untouched


def test_a_lone_vet_ikke_is_an_answer_too(tmp_path):
    """A programme whose only respondent answered "vet ikke" has n = 0 valid answers, but its
    "vet ikke" count would say what that one person answered: it is hidden like any cell with
    fewer than min_n respondents, and so is what its faculty would give away by subtraction."""
    from analysis.cli import main

    rows = (
        ["A;2024;9999"]  # 1 respondent: "vet ikke"
        + ["B;2024;4"] * 6
        + ["C;2024;3"] * 7
    )  # 6 and 7 respondents: shown
    data = tmp_path / "sb.csv"
    data.write_text("studprog_kod;aar;overord_altialt_13\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out.parquet"
    assert main(["survey", str(data), "--out", str(out)]) == 0
    items = pd.read_parquet(out).set_index(["level", "unit_code"])
    a = items.loc[("programme", "A")]
    assert a["n"] == 0 and bool(a["suppressed"]) and a["suppression"] == "primary"
    assert pd.isna(a["dont_know"]) and pd.isna(a["dont_know_pct"])
    # the institution's "vet ikke" count is 1, all of it A's: a second programme is hidden (or the
    # institution), so the count cannot be read off by subtraction
    shown = items[~items["suppressed"].astype(bool)]
    assert not (shown["dont_know"].fillna(0).gt(0)).any()


def test_a_hidden_faculty_counts_only_the_respondents_hidden_below_it():
    """Rule 2 at the institution, counted down through hidden faculties (make mutate: the
    count-down loop and the depth of the hierarchy). A faculty's n here is larger than the sum of
    its programmes in the table (respondents of programmes the table does not list), so what an
    attacker can narrow a hidden faculty down to, its hidden programmes, is smaller than its n::

        1150 (100)
        ├── 110 (30) ── A (2)
        ├── 120 (30) ── C (2)
        └── 130 (40) ─┬ D (20)
                      └ E (20)

    By hand: A and C are below 5 (primary). 110 is shown with one hidden child and no visible
    child to hide, so 110 itself goes (rule 4); likewise 120. Now 1150 is shown with two hidden
    faculties, but counted down they hide only A + C = 2 + 2 = 4 < 5 respondents (their n, 60,
    would wrongly pass), so 1150's smallest visible child, 130, goes. 130 hidden must keep a
    hidden programme (rule 3): D and E tie at 20, D goes by code. Then 1150 hides 2 + 2 + 20 =
    24 ≥ 5 below it: done. E and the institution stay shown.
    """
    rows = [
        ("institution", "1150", None, "1150", 100),
        ("faculty", "1150", "110", "110", 30),
        ("faculty", "1150", "120", "120", 30),
        ("faculty", "1150", "130", "130", 40),
        ("programme", "1150", "110", "A", 2),
        ("programme", "1150", "120", "C", 2),
        ("programme", "1150", "130", "D", 20),
        ("programme", "1150", "130", "E", 20),
    ]
    cells = protect_cells(table(rows), names="item", statistics=["mean"], settings=SURVEY)
    assert dict(zip(cells["unit_code"], cells["suppression"].astype(str))) == {
        "1150": "",
        "110": SECONDARY,
        "120": SECONDARY,
        "130": SECONDARY,
        "A": PRIMARY,
        "C": PRIMARY,
        "D": SECONDARY,
        "E": "",
    }


def test_each_item_has_its_own_hierarchy():
    """The parent of a programme's cell is its faculty's cell *of the same item*: one item's
    suppression does not move into another's (make mutate: the parents looked up by year only).

        faculty 110: item a: A 6, B 6, C 8    item b: A 3, B 8, C 9

    By hand, item by item: in item a every programme has ≥ 5 answers, nothing is hidden. In item
    b, A (3) is primary; 110 would give it away, so the smallest visible programme, B (8), goes
    too: A + B = 11 ≥ 5. (Mixed into one hierarchy, item a's A (6) would be hidden instead.)
    """
    rows = [
        ("faculty", "1150", "110", "110", 20),
        ("programme", "1150", "110", "A", 6),
        ("programme", "1150", "110", "B", 6),
        ("programme", "1150", "110", "C", 8),
    ]
    item_a = table(rows).assign(item="a")
    item_b = table(rows).assign(item="b", n=pd.array([20, 3, 8, 9], dtype="Int64"))
    cells = protect_cells(
        pd.concat([item_a, item_b], ignore_index=True), names="item", statistics=["mean"], settings=SURVEY
    )
    reason = dict(zip(zip(cells["item"], cells["unit_code"]), cells["suppression"].astype(str)))
    assert reason == {
        ("a", "110"): "",
        ("a", "A"): "",
        ("a", "B"): "",
        ("a", "C"): "",
        ("b", "110"): "",
        ("b", "A"): PRIMARY,
        ("b", "B"): SECONDARY,
        ("b", "C"): "",
    }


def test_an_unknown_n_is_neither_hidden_nor_few():
    """A cell whose n the extract does not give (missing) is below nothing (rule 1 needs a known
    n below min_n) and not marked "få svarende"; it has no known respondents to protect, so it is
    not hidden to protect a sibling either: faculty 110 (12) with A (6), B (6) and C (unknown)
    hides nothing."""
    rows = [
        ("faculty", "1150", "110", "110", 12),
        ("programme", "1150", "110", "A", 6),
        ("programme", "1150", "110", "B", 6),
        ("programme", "1150", "110", "C", None),
    ]
    cells = protect_cells(table(rows), names="item", statistics=["mean"], settings=SURVEY)
    assert cells["suppressed"].tolist() == [False, False, False, False]
    assert cells["few_respondents"].tolist() == [False, True, True, False]  # 6 < 10; unknown: not known to be few
    assert cells["n"].isna().tolist() == [False, False, False, True]  # n stays unknown, not 0


def test_the_suppression_column_always_has_its_three_values():
    """``suppression`` is a categorical of "", primary and secondary in that order also when a
    table has no secondary (or no hidden) cell, so that tables of several years or files stack
    into one column of the same type."""
    cells = protect_cells(
        table([("programme", "1150", "110", "A", 3)]), names="item", statistics=["mean"], settings=SURVEY
    )
    assert list(cells["suppression"].cat.categories) == ["", PRIMARY, SECONDARY]
    shown = protect_cells(
        table([("programme", "1150", "110", "A", 30)]), names="item", statistics=["mean"], settings=SURVEY
    )
    assert list(shown["suppression"].cat.categories) == ["", PRIMARY, SECONDARY]


def test_change_shown_gives_booleans_from_flags_given_as_0_and_1():
    """Rule 5 on flags given as 0/1 (as a CSV or an integer column has them): the answer is a
    boolean array, so its negation (``~``) is the "hide" mask — on integers ``~1`` is −2, true."""
    both = change_shown(np.array([1, 1, 0, 0]), np.array([1, 0, 1, 0]))
    assert both.dtype == bool
    assert (~both).tolist() == [False, True, True, True]
    both = change_shown(np.array([True, True, False, False]), np.array([1, 0, 1, 0]))
    assert both.dtype == bool and (~both).tolist() == [False, True, True, True]


def test_a_faculty_hidden_without_a_hidden_programme_still_counts_its_own_respondents():
    """While a faculty just hidden has no hidden programme yet, it hides its own respondents
    from the institution (make mutate: the count-down applied to a hidden cell without hidden
    children)::

        1150 (100)
        ├── 110 (3)   (no programme rows)
        ├── 120 (10) ─┬ P (5)
        │             └ Q (5)
        └── 130 (87)  (no programme rows)

    By hand: 110 (3) is primary. 1150 would give it away, so its smallest visible faculty, 120
    (10), goes. 120 hidden must keep a hidden programme: P and Q tie at 5, P goes by code. The
    institution then hides 3 + 5 = 8 ≥ 5 (and, the round before, 3 + 10): 130 and Q stay shown.
    """
    rows = [
        ("institution", "1150", None, "1150", 100),
        ("faculty", "1150", "110", "110", 3),
        ("faculty", "1150", "120", "120", 10),
        ("faculty", "1150", "130", "130", 87),
        ("programme", "1150", "120", "P", 5),
        ("programme", "1150", "120", "Q", 5),
    ]
    cells = protect_cells(table(rows), names="item", statistics=["mean"], settings=SURVEY)
    assert dict(zip(cells["unit_code"], cells["suppression"].astype(str))) == {
        "1150": "",
        "110": PRIMARY,
        "120": SECONDARY,
        "130": "",
        "P": SECONDARY,
        "Q": "",
    }


def test_a_lone_vet_ikke_child_takes_a_sibling_with_it():
    """A visible parent with exactly one hidden child, whose only answers are "vet ikke" (n 0,
    answered 1), would give that child's "vet ikke" count away: rule 2 counts hidden children
    with and without valid answers (make mutate: the count of all hidden children)::

        faculty 0 (n 13, answered 14)
        ├── A (n 0, answered 1)
        ├── B (n 6)
        └── C (n 7)

    By hand: A is primary (1 answer in all < 5). The faculty has one hidden child: the smallest
    visible child with answers, B (6), goes. Now B is the only hidden child with valid answers
    (the faculty's mean would give B's away): C (7) goes too. Then 6 + 7 = 13 ≥ 5: done.
    """
    n = np.array([13, 0, 6, 7])
    answered = np.array([14, 1, 6, 7])
    reason = suppression(n, np.array([-1, 0, 0, 0]), np.array(["0", "A", "B", "C"]), 5, answered=answered)
    assert reason.tolist() == ["", PRIMARY, SECONDARY, SECONDARY]


def test_counts_given_as_python_objects_or_all_unknown():
    """n as an object array (None for unknown) or as a list where every n is unknown (None, or
    pandas' NA in an object column): the unknown ones are neither hidden nor "få svarende", the
    known ones by their number (make mutate: which inputs are taken as they are, and the whole-number
    type the others are read as)."""
    n = np.array([None, 0, 3, 5], dtype=object)
    # unknown: nothing; 0: nothing to protect; 3 < 5: hidden; 5: shown, and 5 ≤ 5 < 10: few
    assert below_minimum(n, 5).tolist() == [False, False, True, False]
    assert few_respondents(n, SURVEY).tolist() == [False, False, False, True]
    for unknown in ([None, None], [pd.NA, pd.NA]):
        assert below_minimum(unknown, 5).tolist() == [False, False]
        assert few_respondents(unknown, SURVEY).tolist() == [False, False]


def test_counts_as_floats_with_nan_for_unknown():
    """A float array (an extract's n column with NaN for unknown) is compared as it is."""
    n = np.array([np.nan, 2.0, 7.0, 12.0])
    # NaN: below and above nothing; 2 < 5 hidden; 7 shown and few (5 ≤ 7 < 10); 12 neither
    assert below_minimum(n, 5).tolist() == [False, True, False, False]
    assert few_respondents(n, SURVEY).tolist() == [False, False, True, False]


def test_hidden_children_exactly_at_the_minimum_together_protect_each_other():
    """Rule 2's boundary: a shown parent's hidden children must hold at least min_n respondents
    together — exactly min_n is enough::

        faculty 110 (20) ─┬ A (2)
                          ├ B (3)
                          └ C (15)

    By hand: A (2) and B (3) are below 5 (primary). 110 has two hidden children holding
    2 + 3 = 5 ≥ 5: an attacker gets only A + B = 5 from 110 − C, so C stays shown."""
    n = np.array([20, 2, 3, 15])
    reason = suppression(n, np.array([-1, 0, 0, 0]), np.array(["110", "A", "B", "C"]), 5)
    assert reason.tolist() == ["", PRIMARY, PRIMARY, ""]


def test_hidden_children_one_short_of_the_minimum_take_a_sibling():
    """The same one respondent short: A (2) and B (2) hold 2 + 2 = 4 < 5 together, so the
    smallest visible child, C (15), goes too (then 2 + 2 + 15 = 19 ≥ 5)."""
    n = np.array([19, 2, 2, 15])
    reason = suppression(n, np.array([-1, 0, 0, 0]), np.array(["110", "A", "B", "C"]), 5)
    assert reason.tolist() == ["", PRIMARY, PRIMARY, SECONDARY]


def test_a_single_respondent_is_a_hidden_child_with_answers():
    """A programme of one respondent hides part of its faculty's mean like any other::

        faculty 110 (18) ─┬ A (1)
                          ├ B (8)
                          └ C (9)

    By hand: A (1) is primary; 110 has one hidden child, so the smallest visible one, B (8), goes;
    now two hidden children with answers hold 1 + 8 = 9 ≥ 5: C stays shown."""
    n = np.array([18, 1, 8, 9])
    reason = suppression(n, np.array([-1, 0, 0, 0]), np.array(["110", "A", "B", "C"]), 5)
    assert reason.tolist() == ["", PRIMARY, SECONDARY, ""]


def test_a_single_respondent_hidden_beside_others_needs_min_n_others():
    """Rule 2's guard against the one respondent of a hidden child (who knows their own
    answers), at its boundary (min_n 5)::

        faculty 110 ─┬ A (1)       hidden (primary)
                     ├ B (4 or 5)  hidden (primary at 4; secondary at 5, as A's only sibling)
                     └ C (15)

    By hand: with B 4, A and B hold 5 = min_n together, but A's respondent gets B (4) as 110
    less C less their own: C goes too. With B 5, A's respondent gets B's 5, a result of min_n:
    C stays shown. Two hidden children of 2 and 3 hold no single respondent: C stays shown
    (``test_hidden_children_exactly_at_the_minimum_together_protect_each_other``)."""
    codes = np.array(["110", "A", "B", "C"])
    tree = np.array([-1, 0, 0, 0])
    assert suppression(np.array([20, 1, 4, 15]), tree, codes, 5).tolist() == ["", PRIMARY, PRIMARY, SECONDARY]
    assert suppression(np.array([21, 1, 5, 15]), tree, codes, 5).tolist() == ["", PRIMARY, SECONDARY, ""]
    # a level up: a hidden faculty whose hidden part is one respondent is such a child too.
    #   institution 1 (35) ─┬ faculty 110 (1)  ─ A (1)
    #                       ├ faculty 120 (4)  ─ D (4)
    #                       └ faculty 130 (30) ─ E (30)
    # By hand: 110, 120, A and D are primary; 110 and 120 hold 1 + 4 = 5 together, but A's
    # respondent gets 120 as 1 less 130 less their own: 130 goes, and with it E (rule 3)
    tree = np.array([-1, 0, 0, 0, 1, 2, 3])
    codes = np.array(["1", "110", "120", "130", "A", "D", "E"])
    assert suppression(np.array([35, 1, 4, 30, 1, 4, 30]), tree, codes, 5).tolist() == [
        "",
        *[PRIMARY] * 2,
        SECONDARY,
        *[PRIMARY] * 2,
        SECONDARY,
    ]


def test_a_single_respondent_two_levels_down_needs_min_n_others_too():
    """The single-respondent guard where the one respondent's programme is under a hidden
    faculty with another hidden programme (min_n 10)::

        institution 1 (100) ─┬ faculty 110 (5)  ─┬ A (1)
                             │                   └ B (4)
                             ├ faculty 120 (5)  ── D (5)
                             └ faculty 130 (90) ── E (90)

    By hand: 110, 120, A, B and D are primary (below 10); 110 and 120 hold 5 + 5 = 10 together,
    but A's respondent gets B and D together, 9 respondents, as 1 less 130 less their own
    answers: 130 goes, and E with it (rule 3). Where A, B and D were 1's own children the rule
    hid E already (the last line); it missed the single respondent one level further down."""
    tree = np.array([-1, 0, 0, 0, 1, 1, 2, 3])
    codes = np.array(["1", "110", "120", "130", "A", "B", "D", "E"])
    reason = suppression(np.array([100, 5, 5, 90, 1, 4, 5, 90]), tree, codes, 10)
    assert reason.tolist() == ["", *[PRIMARY] * 2, SECONDARY, *[PRIMARY] * 3, SECONDARY]
    flat = suppression(np.array([100, 1, 4, 5, 90]), np.array([-1, 0, 0, 0, 0]), codes[[0, 4, 5, 6, 7]], 10)
    assert flat.tolist() == ["", *[PRIMARY] * 3, SECONDARY]


def test_few_valid_answers_are_hidden_whatever_the_vet_ikke_answers():
    """Rule 1 on both counts: A has 3 valid answers (and 3 "vet ikke", 6 in all). 6 answers in all
    do not make 3 valid ones publishable: A is hidden, and B (the smallest visible) with it.

        faculty 110 (n 20, answered 23) ─┬ A (n 3, answered 6)
                                         ├ B (n 8)
                                         └ C (n 9)
    """
    n = np.array([20, 3, 8, 9])
    answered = np.array([23, 6, 8, 9])
    reason = suppression(n, np.array([-1, 0, 0, 0]), np.array(["110", "A", "B", "C"]), 5, answered=answered)
    assert reason.tolist() == ["", PRIMARY, SECONDARY, ""]


def test_unit_parents_of_arrays_with_missing_codes_as_none_or_nan():
    """The survey's units come as a mapping of arrays, where a missing code may be None or NaN
    (two NaN are not equal to each other): both are missing, and a missing code matches a missing
    code (make mutate: how a value is found missing without pandas).

    Rows: 0 institution 1150; 1 faculty 110 without institution code (None); 2 programme A of
    faculty 110 without institution code (NaN) → row 1; 3 faculty 120 of 1150 → row 0;
    4 programme B of 1150 with a missing faculty code (NaN) → no faculty row of that, so its
    institution, row 0. Row 1's institution (missing) has no row: −1.
    """
    nan = float("nan")
    units = {
        "year": np.array([2024, 2024, 2024, 2024, 2024]),
        "institution_code": np.array(["1150", None, nan, "1150", "1150"], dtype=object),
        "faculty_code": np.array([None, "110", "110", "120", float("nan")], dtype=object),
        "unit_code": np.array(["1150", "110", "A", "120", "B"], dtype=object),
        "level": np.array(["institution", "faculty", "programme", "faculty", "programme"], dtype=object),
    }
    assert unit_parents(units).tolist() == [-1, -1, 1, 0, 0]


def test_unit_parents_of_a_frame_with_pandas_missing_codes():
    """Codes in pandas' nullable string type, whose missing value is pandas' NA (neither None nor
    unequal to itself): a programme without institution code still finds its faculty."""
    rows = [
        ("faculty", None, "110", "110", 12),
        ("programme", None, "110", "A", 6),
        ("programme", None, "120", "C", 6),
    ]
    units = table(rows).astype({"institution_code": "string", "faculty_code": "string", "unit_code": "string"})
    assert units["institution_code"].isna().all()
    # A's faculty 110 is row 0; C's faculty 120 is not in the table, nor any institution: −1
    assert unit_parents(units).tolist() == [-1, 0, -1]


def test_protect_portal_gives_booleans_from_warnings_given_as_0_and_1():
    """The portal's own "få svarende" warning as 0/1 (a CSV column): the marks are booleans."""
    portal = pd.DataFrame(
        {
            "respondents": pd.array([12, 20], dtype="Int64"),
            "value": [4.4, 3.0],
            "few_respondents_warning": [1, 0],
        }
    )
    out = protect_portal(portal, SURVEY)
    # 12 and 20 are not below 10: only the first, by the portal's warning, is "few"
    assert out["few_respondents"].dtype == bool
    assert out["few_respondents"].tolist() == [True, False]


def test_an_unknown_n_is_not_hidden_to_protect_a_sibling():
    """A cell of unknown n has no known respondents, so it cannot hide a sibling's: with only it
    left to hide, the parent goes instead (rule 4)::

        faculty 110 (20) ─┬ A (3)
                          └ B (unknown)

    By hand: A (3) is primary; 110 has one hidden child and no visible child with answers, so
    110 itself is hidden; B stays shown (and not "få svarende": its n is unknown)."""
    rows = [
        ("faculty", "1150", "110", "110", 20),
        ("programme", "1150", "110", "A", 3),
        ("programme", "1150", "110", "B", None),
    ]
    cells = protect_cells(table(rows), names="item", statistics=["mean"], settings=SURVEY)
    assert cells["suppression"].astype(str).tolist() == [SECONDARY, PRIMARY, ""]
    assert cells["few_respondents"].tolist() == [False, False, False]


def test_protect_changes_looks_at_each_items_own_cells():
    """Rule 5 per item: programme A's item ``a`` is hidden in 2024 and its item ``b`` shown, both
    shown in 2025. The change of ``a`` goes (its 2024 mean would follow from 2025's and the
    change); the change of ``b`` stays."""
    year_2024 = pd.concat([table([("programme", "1150", "110", "A", 3)]).assign(item=i) for i in ("a", "b")])
    year_2025 = pd.concat([table([("programme", "1150", "110", "A", 8)]).assign(item=i) for i in ("a", "b")])
    cells = pd.concat([year_2024, year_2025.assign(year=2025)], ignore_index=True)
    cells["suppressed"] = [True, False, False, False]  # 2024 a hidden, 2024 b shown, 2025 both shown
    key = ["level", "institution_code", "faculty_code", "unit_code"]
    changes = pd.DataFrame(
        {
            "level": "programme",
            "institution_code": "1150",
            "faculty_code": "110",
            "unit_code": "A",
            "name": ["a", "b"],
            "year": 2025,
            "previous_year": 2024,
            "mean": [3.5, 4.0],
            "mean_previous": [3.0, 3.5],
            "change": [0.5, 0.5],
            "p_value": [0.2, 0.3],
        }
    )
    out = protect_changes(changes, cells, names="item", key=key).set_index("name")
    assert out.loc["a", "mean"] == 3.5
    assert out.loc["a", ["mean_previous", "change", "p_value"]].isna().all()
    assert out.loc["b", ["mean", "mean_previous", "change", "p_value"]].tolist() == [4.0, 3.5, 0.5, 0.3]


def test_protect_portal_years_hides_a_programme_and_year_the_index_view_hides():
    """The time series and the item view are the same respondents' results as the index view:
    a programme and year hidden there (4 respondents < 5) is hidden in them, every index and
    item of it; a year the index view does not cover (2023: no respondents known) keeps the
    portal's figure."""
    index = protect_portal(
        pd.DataFrame(
            {
                "sb_id": ["A", "A", "B"],
                "survey_year": pd.array([2025, 2025, 2025], dtype="Int64"),
                "respondents": pd.array([4, 4, 27], dtype="Int64"),
                "value": [3.9, 4.1, 3.5],
                "few_respondents_warning": [False, False, False],
            }
        ),
        SURVEY,
    )
    history = pd.DataFrame(
        {
            "sb_id": ["A", "A", "A", "B", "B"],
            "survey_year": pd.array([2023, 2025, 2025, 2023, 2025], dtype="Int64"),
            "dimension_key": ["undervisning", "undervisning", "organisering", "undervisning", "undervisning"],
            "value": [3.7, 3.9, 3.4, 3.6, 3.5],
        }
    )
    out = protect_portal_years(history, index)
    assert out["suppressed"].tolist() == [False, True, True, False, False]
    assert out["value"].isna().tolist() == [False, True, True, False, False]
    assert out["value"].tolist()[3:] == [3.6, 3.5] and out["value"].iloc[0] == 3.7
    assert "suppressed" not in history.columns  # input untouched


def test_a_figure_that_is_not_published_is_hidden_only_to_protect_another():
    """Rule 7's table (``suppression_codes(..., primary=False)``): its cells are not published
    themselves, so none is hidden for its own n; only the cells asked for (``hide``) and what
    rules 2–4 add for them. The same table with and without rule 1, min_n 5::

        faculty 110 (12) ─┬ A (1)
                          ├ B (5)
                          └ C (6)

    By hand: with rule 1, A (1 < 5) is primary, and 110 may not have one hidden child: the
    smallest visible, B (5), goes; A + B = 6 ≥ 5, so C stays. Without it, nothing is hidden.
    Asked to hide A, A is secondary and B goes with it as before."""
    n = np.array([12, 1, 5, 6])
    parent = np.array([-1, 0, 0, 0])
    codes = np.array(["110", "A", "B", "C"])
    assert suppression_codes(n, parent, codes, 5).tolist() == [0, 1, 2, 0]
    assert suppression_codes(n, parent, codes, 5, primary=False).tolist() == [0, 0, 0, 0]
    hide = np.array([False, True, False, False])
    assert suppression_codes(n, parent, codes, 5, hide=hide, primary=False).tolist() == [0, 2, 2, 0]


def test_without_rule_1_a_cell_of_only_vet_ikke_is_not_hidden_either():
    """Rule 1's second half (a cell without valid answers but answered by fewer than min_n, its
    "vet ikke" counted) is rule 1 too: without it (``primary=False``) A, answered once and
    with n 0, stays shown. With it, A is primary; 110's one hidden child takes B (5), and as A
    has no valid answers, B would be the only hidden child with answers (110 − C gives it): C
    goes too::

        faculty 110 (n 11, answered 12) ─┬ A (n 0, answered 1)
                                         ├ B (n 5)
                                         └ C (n 6)
    """
    n = np.array([11, 0, 5, 6])
    answered = np.array([12, 1, 5, 6])
    parent = np.array([-1, 0, 0, 0])
    codes = np.array(["110", "A", "B", "C"])
    assert suppression_codes(n, parent, codes, 5, answered).tolist() == [0, 1, 2, 2]
    assert suppression_codes(n, parent, codes, 5, answered, primary=False).tolist() == [0, 0, 0, 0]


def test_hidden_programmes_with_only_vet_ikke_are_not_given_together_by_their_faculty():
    """A second reader's attack, 2026-12-03 (min_n 5): A has ten answers; B and C one "vet
    ikke" each (n 0, answered 1: hidden by rule 1). With A and the faculty shown, the faculty's
    "vet ikke" count less A's was B's and C's together: 2 of 2 respondents. Rule 2 for the
    counts: the hidden children's respondents together (their "vet ikke" counted), 2 < 5, so the
    parent may not show them: A, the one child with answers, goes (secondary); then the faculty
    has one hidden child with answers (A) and no child left to hide, so it goes itself (rule 4),
    and so does the institution above it, by hand::

        institution 1150 (n 10, answered 12) ── faculty 600 (n 10, answered 12) ─┬ A (n 10)
                                                                                  ├ B (n 0, answered 1)
                                                                                  └ C (n 0, answered 1)
    """
    n = np.array([10, 10, 10, 0, 0])
    answered = np.array([12, 12, 10, 1, 1])
    parent = np.array([-1, 0, 1, 1, 1])
    codes = np.array(["1150", "600", "A", "B", "C"])
    assert suppression(n, parent, codes, 5, answered).tolist() == [SECONDARY, SECONDARY, SECONDARY, PRIMARY, PRIMARY]
    # without the "vet ikke" counts published (answered not given), B and C hide no part of
    # a mean, and A and its parents stay
    assert suppression(n, parent, codes, 5).tolist() == ["", "", "", "", ""]
    # five or more of them together is not enough either: B and C are hidden for fewer than 5
    # answering (at most 4 "vet ikke" each), so the faculty's 5 less A's 0 gives each at least
    # one (5 − 4), what rule 1 hides them for; beside them only a hidden child with answers
    # (whose "vet ikke" nothing bounds) leaves no floor: A goes, and with it, as above, the rest
    enough = np.array([15, 15, 10, 2, 3])
    assert suppression(n, parent, codes, 5, enough).tolist() == [SECONDARY, SECONDARY, SECONDARY, PRIMARY, PRIMARY]
    # two hidden children with answers beside them: the faculty stays, and so do B and C hidden
    n = np.array([40, 40, 10, 6, 7, 17, 0, 0])
    answered = np.array([45, 45, 10, 6, 7, 17, 2, 3])
    parent = np.array([-1, 0, 1, 1, 1, 1, 1, 1])
    codes = np.array(["1150", "600", "A", "D", "E", "F", "B", "C"])
    shown, second, first = "", SECONDARY, PRIMARY
    assert suppression(n, parent, codes, 5, answered).tolist() == [shown] * 3 + [second] * 2 + [shown] + [first] * 2


def vet_ikke_floors(items: pd.DataFrame, min_n: int) -> dict[str, int]:
    """The attacker of the "vet ikke" counts: under every shown parent, the hidden children's
    "vet ikke" together (the parent's less its shown children's), and each hidden child's most
    as published (one without valid answers is hidden for fewer than ``min_n`` answering it at
    all, rule 1: at most ``min_n`` − 1; one with answers: no bound). Returns the hidden cells
    whose count this narrows to at least one, with that floor."""
    floors = {}
    rows = items.reset_index(drop=True)
    for _, parent in rows[~rows["suppressed"]].iterrows():
        if parent["level"] == "programme":
            continue
        child_level = "programme" if parent["level"] == "faculty" else "faculty"
        children = rows[
            (rows["level"] == child_level) & (rows["item"] == parent["item"]) & (rows["year"] == parent["year"])
        ]
        if parent["level"] == "faculty":
            children = children[children["faculty_code"] == parent["unit_code"]]
        hidden = children[children["suppressed"]]
        pool = parent["dont_know"] - children.loc[~children["suppressed"], "dont_know"].sum()
        most = [
            min_n - 1 if n == 0 and why == PRIMARY else np.inf for n, why in zip(hidden["n"], hidden["suppression"])
        ]
        for k, (_, child) in enumerate(hidden.iterrows()):
            floor = pool - sum(m for j, m in enumerate(most) if j != k)
            if floor > 0:
                floors[f"{child['unit_code']} {child['item']} {child['year']}"] = int(floor)
    return floors


def one_item_survey(tmp_path, rows: list[str]) -> pd.DataFrame:
    """``kvalitet survey`` on respondent rows "institution;faculty;programme;year;answer" of one
    item (in no index); its items table as published (suppressed as bool, suppression as text)."""
    from analysis.cli import main

    data = tmp_path / "sb.csv"
    header = "institusjonskode;fakultetskode;studprog_kod;aar;tilbveil_student_18\n"
    data.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out.parquet"
    assert main(["survey", str(data), "--out", str(out)]) == 0
    items = pd.read_parquet(out)
    items["suppressed"] = items["suppressed"].astype(bool)
    items["suppression"] = items["suppression"].astype(str)
    return items


def test_hidden_programmes_with_only_vet_ikke_are_not_bounded_into_view(tmp_path):
    """An attack, 2026-12-03 (min_n 5): programmes A and B each have 4 respondents, all of them
    "vet ikke" on the item (n 0, answered 4: hidden by rule 1), beside C (9 answers and 1 "vet
    ikke") and D (12 answers) in faculty 600. The faculty's "vet ikke" were 9: less C's 1 and
    D's 0, A's and B's together are 8 (5 or more, which rule 2 asked for). But a cell without
    valid answers is hidden only when fewer than 5 answered it at all, so each has at most 4:
    8 = 4 + 4, A's and B's results exactly (every respondent "vet ikke"). No hidden cell's
    "vet ikke" may be narrowed below what rule 1 says of it."""

    rows = (
        ["1150;600;A;2024;9999"] * 4
        + ["1150;600;B;2024;9999"] * 4
        + [f"1150;600;C;2024;{1 + k % 5}" for k in range(9)]
        + ["1150;600;C;2024;9999"]
        + [f"1150;600;D;2024;{1 + k % 4}" for k in range(12)]
    )
    items = one_item_survey(tmp_path, rows)
    a = items[items["unit_code"] == "A"].iloc[0]
    assert a["n"] == 0 and a["suppressed"] and a["suppression"] == "primary"
    # the attack has teeth: on the faculty's 9 beside C and D shown, it gives A and B 4 each
    before = items.copy()
    shown = before["unit_code"].isin(["C", "D", "600", "1150"])
    before.loc[shown, ["suppressed", "suppression"]] = [False, ""]
    before.loc[before["unit_code"] == "C", "dont_know"] = 1
    before.loc[before["unit_code"] == "D", "dont_know"] = 0
    before.loc[before["unit_code"].isin(["600", "1150"]), "dont_know"] = 9
    assert vet_ikke_floors(before, 5) == {"A tilbveil_student_18 2024": 4, "B tilbveil_student_18 2024": 4}
    assert vet_ikke_floors(items, 5) == {}


def test_hidden_vet_ikke_programmes_that_give_no_floor_hide_nothing_more(tmp_path):
    """Three programmes A, B, E with 2 "vet ikke" each and no valid answer (hidden by rule 1,
    at most 4 each as published) under faculty 600 beside C and D: the faculty's "vet ikke" less
    C's and D's leaves 6 for the three, and 6 − 4 − 4 < 1, so no count of theirs is narrowed
    (by hand: a floor needs more than (3 − 1)·4 = 8). Nothing else is hidden for them: C and D
    and the faculty stay shown. (The rule hid two siblings here before, and where a faculty had
    only such programmes, whole faculties above it: a second reader, 2026-12-03.)"""

    rows = (
        ["1150;600;A;2024;9999"] * 2
        + ["1150;600;B;2024;9999"] * 2
        + ["1150;600;E;2024;9999"] * 2
        + [f"1150;600;C;2024;{1 + k % 5}" for k in range(9)]
        + ["1150;600;C;2024;9999"]
        + [f"1150;600;D;2024;{1 + k % 4}" for k in range(12)]
    )
    items = one_item_survey(tmp_path, rows)
    hidden = dict(zip(items["unit_code"], items["suppression"].where(items["suppressed"], "")))
    assert hidden == {"A": "primary", "B": "primary", "E": "primary", "C": "", "D": "", "600": "", "1150": ""}
    assert vet_ikke_floors(items, 5) == {}


def test_a_faculty_hidden_for_its_vet_ikke_programmes_does_not_say_how_many_answered_it(tmp_path):
    """A second reader, 2026-12-03 (min_n 5): faculty 600's only programmes A and B have 3
    respondents each, all "vet ikke" (n 0; hidden: fewer than 5 answered). The faculty, 6
    answered, is hidden too (its 6 less nothing shown would give A and B together). Labelled
    "secondary" beside its n of 0, it said that 5 or more answered it, and with A and B at most 4
    each (rule 1), each had at least one "vet ikke". Every hidden cell without valid answers is
    now "primary": 0 valid answers are fewer than 5, and the label says nothing of the rest."""

    rows = (
        ["1150;600;A;2024;9999"] * 3
        + ["1150;600;B;2024;9999"] * 3
        + [f"1150;700;C;2024;{1 + k % 5}" for k in range(10)]
        + [f"1150;700;D;2024;{1 + k % 4}" for k in range(12)]
        + [f"1150;800;E;2024;{1 + k % 5}" for k in range(10)]
        + [f"1150;800;F;2024;{1 + k % 4}" for k in range(12)]
    )
    items = one_item_survey(tmp_path, rows)
    faculty = items[(items["level"] == "faculty") & (items["unit_code"] == "600")].iloc[0]
    assert faculty["n"] == 0 and faculty["suppressed"]
    hidden_without_answers = items[items["suppressed"] & (items["n"] == 0)]
    assert set(hidden_without_answers["unit_code"]) >= {"A", "B", "600"}
    assert set(hidden_without_answers["suppression"]) == {"primary"}

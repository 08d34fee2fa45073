"""Nothing hidden can be recovered: the disclosure pass tested the way an attacker would use it.

The attacker knows the hierarchy (a faculty is the sum of its programmes, an institution of its
faculties) and every published cell. Every survey result is a sum over programmes, so the
unknowns are the programmes' sums of answers; each published cell is one linear equation over
them. A hidden cell is recovered exactly when its row (the indicator of its programmes) lies in
the row space of the published equations — checked here with a rank computation, independent of
the rules in ``analysis.disclosure``.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from analysis.cli import main
from analysis.disclosure import PRIMARY, SECONDARY, hiding_order, suppression

MIN_N = 5


def hide(n: list[int], parent: list[int], min_n: int = MIN_N) -> list[str]:
    return list(suppression(np.array(n), np.array(parent), np.arange(len(n)), min_n))


# --- the rules, case by case (cells: 0 institution, 1–2 faculties, 3–6 programmes) ---------

TREE = [-1, 0, 0, 1, 1, 2, 2]


def test_a_single_small_programme_takes_its_smallest_sibling_with_it():
    # faculty 1 = 3 (n 2) + 4 (n 48): 4 would give 3 away, so 4 is hidden too
    assert hide([100, 50, 50, 2, 48, 30, 20], TREE) == ["", "", "", PRIMARY, SECONDARY, "", ""]


def test_two_hidden_programmes_that_together_have_too_few_respondents_take_a_third():
    tree = [-1, 0, 0, 0]  # one faculty, three programmes
    assert hide([30, 2, 2, 26], tree) == ["", PRIMARY, PRIMARY, SECONDARY]
    assert hide([30, 3, 2, 25], tree) == ["", PRIMARY, PRIMARY, ""]  # 3 + 2 = 5 = min_n: enough


def test_exactly_min_n_is_shown_and_one_less_is_not():
    tree = [-1, 0, 0]
    assert hide([10, 5, 5], tree) == ["", "", ""]
    assert hide([9, 4, 5], tree) == ["", PRIMARY, SECONDARY]


def test_a_parent_whose_children_are_all_hidden_and_too_few_is_hidden_itself():
    assert hide([4, 2, 2], [-1, 0, 0]) == [PRIMARY, PRIMARY, PRIMARY]
    assert hide([6, 6], [-1, 0]) == ["", ""]  # an only child equal to its parent hides nothing
    assert hide([6, 3], [-1, 0]) == [SECONDARY, PRIMARY]  # the only child: the parent is it


def test_a_hidden_faculty_keeps_a_hidden_programme_and_the_hidden_sum_reaches_min_n():
    # faculty 1 (n 3) is hidden; faculty 2 is hidden with it (it alone would give 1 away); then
    # faculty 2 must keep a hidden programme (else it is the sum of 5 and 6), and programmes 3,
    # 4 (2 + 1) and the one hidden in faculty 2 must together reach 5: the 1-respondent hidden
    # programme 6 is not enough, so 5 goes as well.
    reasons = hide([100, 3, 97, 2, 1, 96, 1], TREE)
    assert reasons == ["", PRIMARY, SECONDARY, PRIMARY, PRIMARY, SECONDARY, PRIMARY]


def test_cells_without_answers_have_nothing_to_hide_and_protect_nothing():
    assert hide([20, 0, 20], [-1, 0, 0]) == ["", "", ""]


def with_dont_know(n: list[int], dont_know: list[int], parent: list[int]) -> list[str]:
    """The rules where a cell's "vet ikke" count is published too (the items' tables)."""
    return list(suppression(np.array(n), np.array(parent), np.arange(len(n)), MIN_N, np.array(n) + np.array(dont_know)))


def test_a_cell_without_answers_is_hidden_with_or_without_a_vet_ikke():
    """A helper's attack (2026-12-02): a cell without valid answers was hidden only when it had a
    "vet ikke", so a hidden one said "at least one", and the faculty's "vet ikke" less the shown
    programmes' gave each hidden one's (two hidden cells, 2 in all: 1 each). Now every such cell
    with fewer than min_n "vet ikke" is hidden, none included, and which of them had one is not
    known. The rules read only what is published (n): a rule that read the hidden "vet ikke"
    counts would give them away by what it hides."""
    tree = [-1, 0, 0, 0, 0]
    # the two hidden cells together are still 2 respondents ("vet ikke" counted), and the
    # faculty's "vet ikke" less the shown programmes' would give their 2 (a second reader,
    # 2026-12-03): rule 2 for the counts hides the smallest shown sibling with answers, and then
    # the next, so that the hidden cells with answers are two and 40 respondents
    assert with_dont_know([40, 0, 0, 20, 20], [3, 1, 1, 1, 0], tree) == ["", PRIMARY, PRIMARY, SECONDARY, SECONDARY]
    assert with_dont_know([40, 0, 0, 20, 20], [1, 0, 1, 0, 0], tree) == ["", PRIMARY, PRIMARY, SECONDARY, SECONDARY]
    # min_n "vet ikke" and no valid answer: shown (its count is published)
    assert with_dont_know([20, 0, 20], [5, 5, 0], [-1, 0, 0]) == ["", "", ""]
    # a lone hidden cell without answers still takes a sibling (its "vet ikke" would be the
    # parent's less the shown ones), and then the parent goes, as with any lone hidden child
    assert with_dont_know([20, 0, 20], [1, 1, 0], [-1, 0, 0]) == [SECONDARY, PRIMARY, SECONDARY]


def test_a_lone_cell_without_answers_takes_its_siblings_whether_or_not_it_had_a_vet_ikke():
    """Why a hidden cell with n 0 still takes complements, though it has no mean (a suspected
    over-suppression, checked 2026-12-04)::

        faculty P (n 45, 1 "vet ikke") ─┬ A (n 0; 3 respondents, other items)
                                        ├ B (n 20)
                                        └ C (n 25)

    One "vet ikke" in P, A's or B's: two files alike in every published figure but the hidden
    "vet ikke" counts. By hand, in both: A is primary (fewer than 5 answered it, none
    included), P's one hidden child takes B (20, the smallest), B alone with answers takes C
    (25); 45 then, with A, B and C's "vet ikke" together the faculty's 1. Were no complement
    taken for a lone hidden cell without any "vet ikke" (only for one with 1–4: the parent less
    its shown children would give those), B and C would be hidden only where A had one: P's 1
    less nothing shown would be A's exactly, one respondent's "vet ikke" (README, rule 5:
    hidden only with some, it would say "at least one"); where B had it, B shown with its 1
    gives A's 0. On a synthetic 300 k file that rule would have shown 221 of 361 975 hidden item
    cells with answers and 44 of 59 392 index cells."""
    tree = [-1, 0, 0, 0]
    a_had_it = with_dont_know([45, 0, 20, 25], [1, 1, 0, 0], tree)
    b_had_it = with_dont_know([45, 0, 20, 25], [1, 0, 1, 0], tree)
    assert a_had_it == b_had_it == ["", PRIMARY, SECONDARY, SECONDARY]


def test_whole_number_keys_are_sorted_as_one_key_not_by_lexsort(monkeypatch):
    # the fast path is the point of hiding_order (the order is np.lexsort's either way)
    def no_lexsort(*args, **kwargs):
        raise AssertionError("np.lexsort used for whole-number keys")

    monkeypatch.setattr(np, "lexsort", no_lexsort)
    parent, n = np.array([-1, 0, 0, 0, -1, 4]), np.array([9, 5, 2, 2, 7, 7], dtype=np.uint16)
    child = np.flatnonzero(parent >= 0)
    assert hiding_order(child, parent, n, np.array([0, 3, 9, 4, 1, 2], dtype=np.int32)).tolist() == [3, 2, 1, 5]


def test_a_cell_a_linked_table_needs_hidden_is_secondary_and_protected_like_any_other():
    # rule 6 hands the pass cells to hide (``hide``): programme 1 (n 10) is forced hidden, as
    # secondary; alone under the faculty it would be the faculty less the others, so the next
    # smallest sibling (2, n 10, by code) goes too. A forced cell that is below the minimum
    # anyway stays primary.
    tree = np.array([-1, 0, 0, 0])
    forced = np.array([False, True, False, False])
    got = suppression(np.array([30, 10, 10, 10]), tree, np.arange(4), MIN_N, None, forced)
    assert got.tolist() == ["", SECONDARY, SECONDARY, ""]
    got = suppression(np.array([30, 3, 17, 10]), tree, np.arange(4), MIN_N, None, np.array([False, True, False, True]))
    assert got.tolist() == ["", PRIMARY, "", SECONDARY]


def test_the_hiding_order_is_by_parent_then_fewest_then_code_whichever_way_it_is_sorted():
    # parent 0: children 1 (n 5, code 3), 2 (n 2, code 9), 3 (n 2, code 4) → 3, 2, 1 (fewest
    # first, the tie by code); parent 4: child 5 → 5. As integers (one combined key), as text
    # codes and with an unknown n (NaN: last among its siblings), and with a span too large to
    # combine, the same order
    parent = np.array([-1, 0, 0, 0, -1, 4])
    n = np.array([9, 5, 2, 2, 7, 7])
    codes = np.array([0, 3, 9, 4, 1, 2])
    child = np.flatnonzero(parent >= 0)
    assert hiding_order(child, parent, n, codes).tolist() == [3, 2, 1, 5]
    assert hiding_order(child, parent, n, np.array(["a", "d", "j", "e", "b", "c"])).tolist() == [3, 2, 1, 5]
    assert hiding_order(child, parent, n.astype(float), codes).tolist() == [3, 2, 1, 5]
    assert hiding_order(child, parent, np.array([9, np.nan, 2, 2, 7, 7]), codes).tolist() == [3, 2, 1, 5]
    assert hiding_order(child, parent, n * (1 << 40), codes * (1 << 20)).tolist() == [3, 2, 1, 5]
    # one key near 2⁶⁰ (parent codes far apart, as whole numbers): exact in int64, where a float
    # would round the codes 1000 and 1001 together
    big = 1 << 40
    assert hiding_order(
        np.array([1, 2, 3]), np.array([-1, big, big, big]), np.array([0, 5, 5, 1023]), np.array([0, 1001, 1000, 0])
    ).tolist() == [2, 1, 3]
    # (parents far apart: one key would overflow 64 bits, so np.lexsort)
    far = np.where(parent >= 0, parent * (1 << 45), -1)
    assert hiding_order(child, far, n, codes * (1 << 10)).tolist() == [3, 2, 1, 5]
    # random cells: always np.lexsort's order (ties in every key: in their given order)
    rng = np.random.default_rng(7)
    for size in (1, 10, 500):
        parent = rng.integers(-1, size // 3 + 1, size)
        n = rng.integers(0, 6, size)
        codes = rng.integers(0, 4, size).astype(np.int32)
        child = np.flatnonzero(parent >= 0)
        expected = child[np.lexsort((codes[child], n[child], parent[child]))]
        np.testing.assert_array_equal(hiding_order(child, parent, n, codes), expected)
        np.testing.assert_array_equal(hiding_order(child, parent, n, codes.astype(str)), expected)


# --- the attacker ------------------------------------------------------------------------------


def recovered(published: list[set[str]], programmes: list[str], target: set[str]) -> bool:
    """Is the sum over ``target`` programmes determined by the published cells (each a set of
    programmes whose sum is known)?"""
    index = {p: i for i, p in enumerate(programmes)}

    def row(cell: set[str]) -> np.ndarray:
        v = np.zeros(len(programmes))
        for p in cell:
            v[index[p]] = 1.0
        return v

    if not published:
        return False
    a = np.array([row(c) for c in published])
    return np.linalg.matrix_rank(np.vstack([a, row(target)])) == np.linalg.matrix_rank(a)


def attack(items: pd.DataFrame, min_n: int) -> list[str]:
    """Every hidden cell, and every group of fewer than ``min_n`` respondents, that the
    published cells of one release give away."""
    leaks = []
    for (year, item), tree in items.groupby(["year", "item"], observed=True):
        tree = tree.astype({"n": int})
        prog = tree[tree["level"] == "programme"]
        answered = prog[prog["n"] > 0]
        names = {f"{p.faculty_code}/{p.unit_code}" for p in answered.itertuples()}

        # the programmes a cell adds up (an empty programme adds nothing and is known to be 0)
        def members(r, names=names, answered=answered) -> set[str]:
            if r.level == "programme":
                return {f"{r.faculty_code}/{r.unit_code}"} & names
            if r.level == "faculty":
                return {
                    f"{p.faculty_code}/{p.unit_code}" for p in answered.itertuples() if p.faculty_code == r.unit_code
                }
            return set(names)

        programmes = sorted(names)
        shown = [members(r) for r in tree.itertuples() if r.mean == r.mean and r.n > 0]  # mean not NaN
        for r in tree.itertuples():
            if r.suppressed and r.n > 0 and recovered(shown, programmes, members(r)):
                leaks.append(f"{year} {item} {r.level} {r.unit_code} (n {r.n}) is recovered")
        n_of = {f"{p.faculty_code}/{p.unit_code}": p.n for p in answered.itertuples()}
        hidden = [
            p
            for p in programmes
            if tree.loc[
                (tree["level"] == "programme")
                & ((tree["faculty_code"].astype(str) + "/" + tree["unit_code"].astype(str)) == p),
                "suppressed",
            ].any()
        ]
        for size in range(2, len(hidden) + 1):
            for group in itertools.combinations(hidden, size):
                if sum(n_of[p] for p in group) < min_n and recovered(shown, programmes, set(group)):
                    leaks.append(
                        f"{year} {item}: programmes {group} with {sum(n_of[p] for p in group)} "
                        "respondents together are recovered"
                    )
    return leaks


ANSWER = st.sampled_from([1, 2, 3, 4, 5, 9999])


@st.composite
def hierarchies(draw):
    """Respondent-level data for one institution: 1–3 faculties of 1–4 programmes with 0–12
    respondents each (many small ones), one or two years."""
    rows = []
    for year in draw(st.sampled_from([[2024], [2023, 2024]])):
        for f in range(draw(st.integers(1, 3))):
            for p in range(draw(st.integers(1, 4))):
                for _ in range(draw(st.integers(0, 12))):
                    rows.append(
                        {
                            "institusjonskode": "1150",
                            "fakultetskode": f"{600 + f}",
                            "studprog_kod": f"P{f}{p}",
                            "aar": year,
                            "underv_engasj_18": draw(ANSWER),
                            "underv_formidl_18": draw(ANSWER),
                        }
                    )
    if not rows:
        rows.append(
            {
                "institusjonskode": "1150",
                "fakultetskode": "600",
                "studprog_kod": "P00",
                "aar": 2024,
                "underv_engasj_18": 3,
                "underv_formidl_18": 4,
            }
        )
    return pd.DataFrame(rows)


def published(tmp_path_factory, respondents: pd.DataFrame, min_n: int) -> Path:
    """``respondents`` published through ``kvalitet survey --out`` (the real output path) with
    ``min_n`` (and ``warn_n``) set: the items table's path (the machine format: every column,
    exact values; the other tables beside it)."""
    folder = tmp_path_factory.mktemp("sb")
    data = folder / "respondenter.csv"
    respondents.to_csv(data, index=False)
    config = folder / "k.toml"
    config.write_text(f"[survey]\nmin_n = {min_n}\nwarn_n = {min_n}\n", encoding="utf-8")
    out = folder / "out.parquet"
    assert main(["survey", str(data), "--config", str(config), "--out", str(out)]) == 0
    return out


@hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(respondents=hierarchies(), min_n=st.integers(2, 6))
def test_no_hidden_result_can_be_recovered_from_the_published_tables(tmp_path_factory, respondents, min_n):
    """Published through ``kvalitet survey --out`` (the real output path), read back, attacked."""
    out = published(tmp_path_factory, respondents, min_n)
    items = pd.read_parquet(out)
    assert not attack(items, min_n)
    # nothing below the minimum is shown, and a change only where both years are shown
    assert items.loc[items["n"].between(1, min_n - 1), "mean"].isna().all()
    changes = pd.read_parquet(out.with_name("out_changes.parquet"))
    shown = items.loc[items["mean"].notna()].set_index(["level", "faculty_code", "unit_code", "year", "item"]).index
    for c in changes[changes["change"].notna()].itertuples():
        assert (c.level, c.faculty_code, c.unit_code, c.year, c.name) in shown
        assert (c.level, c.faculty_code, c.unit_code, c.previous_year, c.name) in shown


def test_the_attacker_finds_what_primary_suppression_alone_leaves_open():
    """The attack is not toothless: with only cells below the minimum hidden (what the product
    did before), the faculty minus its shown programme gives the hidden one."""
    items = pd.DataFrame(
        {
            "year": 2024,
            "item": "underv_engasj_18",
            "level": ["faculty", "programme", "programme"],
            "faculty_code": ["600", "600", "600"],
            "unit_code": ["600", "A", "B"],
            "n": [12, 2, 10],
            "mean": [3.0, np.nan, 3.2],
            "suppressed": [False, True, False],
        }
    )
    assert attack(items, MIN_N) == ["2024 underv_engasj_18 programme A (n 2) is recovered"]


# --- the respondent as attacker: a hidden programme of one knows its own answers --------------


def insider_attack(items: pd.DataFrame, min_n: int) -> list[str]:
    """:func:`attack` by a respondent who is the only one of a hidden programme (or the only one
    hidden below a hidden faculty: a cell whose hidden part is one respondent): the attacker
    knows that cell's sum, their own answer, besides every published cell. Every other hidden
    cell of fewer than ``min_n``, and every group of other hidden programmes of fewer than
    ``min_n`` together, that this gives away (statistical offices call such a cell a
    *singleton*: τ-Argus and sdcTable protect the others from it)."""
    leaks = []
    for (year, item), tree in items.groupby(["year", "item"], observed=True):
        tree = tree.astype({"n": int})
        prog = tree[(tree["level"] == "programme") & (tree["n"] > 0)]
        key = {r.Index: f"{r.faculty_code}/{r.unit_code}" for r in prog.itertuples()}
        programmes = sorted(key.values())
        n_of = {key[r.Index]: r.n for r in prog.itertuples()}
        hidden = sorted(key[r.Index] for r in prog.itertuples() if r.suppressed)

        def members(r, programmes=programmes) -> set[str]:
            if r.level == "programme":
                return {f"{r.faculty_code}/{r.unit_code}"} & set(programmes)
            if r.level == "faculty":
                return {p for p in programmes if p.split("/")[0] == r.unit_code}
            return set(programmes)

        shown = [members(r) for r in tree.itertuples() if r.mean == r.mean and r.n > 0]
        for me in (p for p in hidden if n_of[p] == 1):
            known = [*shown, {me}]
            others = [p for p in hidden if p != me]
            for size in range(1, len(others) + 1):
                for group in itertools.combinations(others, size):
                    together = sum(n_of[p] for p in group)
                    if together < min_n and recovered(known, programmes, set(group)):
                        leaks.append(
                            f"{year} {item}: the one respondent of {me} gets {' + '.join(group)} "
                            f"({together} respondents)"
                        )
    return leaks


def test_the_one_respondent_of_a_hidden_programme_does_not_get_its_hidden_sibling(tmp_path):
    """An attack on the published tables, 2026-12-04::

        faculty 271 (31) ─┬ A (20)   shown
                          ├ B (6)    shown
                          ├ H1 (1)   hidden
                          └ H2 (4)   hidden

    H1 and H2 together hold 1 + 4 = 5 = min_n, so rule 2 as it stood was met, and no outsider
    can split 271 − A − B between them. But H1's one respondent knows H1's answers (their own):
    271 − A − B − own = H2, the result of 4 respondents, and its distribution too (the counts
    obey the same sums). By hand, with H1's answer 5 and H2's 1, 2, 2, 1: 31 · 3.1935… − 20 · 3.5
    − 6 · 3 = 11, less 5 is 6 = H2's sum. The hidden children less one respondent must be
    ``min_n`` too where one of them is a single respondent: B (6), the smallest shown, goes."""
    rows = [
        {"institusjonskode": "1150", "fakultetskode": "271", "studprog_kod": p, "aar": 2025, "underv_engasj_18": a}
        for p, answers in (("A", [4] * 10 + [3] * 10), ("B", [3] * 6), ("H1", [5]), ("H2", [1, 2, 2, 1]))
        for a in answers
    ]
    data = tmp_path / "respondenter.csv"
    pd.DataFrame(rows).to_csv(data, index=False)
    config = tmp_path / "k.toml"
    config.write_text("[survey]\nmin_n = 5\nwarn_n = 5\n", encoding="utf-8")
    out = tmp_path / "out.parquet"
    assert main(["survey", str(data), "--config", str(config), "--out", str(out)]) == 0
    items = pd.read_parquet(out)
    assert not insider_attack(items, 5)
    assert not attack(items, 5)
    programmes = items[items["level"] == "programme"].set_index("unit_code")
    assert programmes["suppression"].astype(str).to_dict() == {
        "A": "",
        "B": SECONDARY,
        "H1": PRIMARY,
        "H2": PRIMARY,
    }


def test_the_insider_attack_finds_what_the_rule_before_left_open():
    """The attack is not toothless: the cells as the rules left them before (H1 and H2 hidden,
    A and B shown) give H2 to H1's respondent."""
    items = pd.DataFrame(
        {
            "year": 2025,
            "item": "underv_engasj_18",
            "level": ["faculty", "programme", "programme", "programme", "programme"],
            "faculty_code": ["271"] * 5,
            "unit_code": ["271", "A", "B", "H1", "H2"],
            "n": [31, 20, 6, 1, 4],
            "mean": [99 / 31, 3.5, 3.0, np.nan, np.nan],
            "suppressed": [False, False, False, True, True],
        }
    )
    assert insider_attack(items, MIN_N) == [
        "2025 underv_engasj_18: the one respondent of 271/H1 gets 271/H2 (4 respondents)"
    ]


@hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(respondents=hierarchies(), min_n=st.integers(2, 6))
def test_no_hidden_result_is_given_to_the_one_respondent_of_a_hidden_programme(tmp_path_factory, respondents, min_n):
    """:func:`insider_attack` on random hierarchies published through ``kvalitet survey``."""
    assert not insider_attack(pd.read_parquet(published(tmp_path_factory, respondents, min_n)), min_n)

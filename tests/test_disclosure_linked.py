"""An index and its items give each other away; the attacker here uses that too.

An index is the mean of its items, respondent by respondent. Where every respondent of a
programme answered every item of the index, the index's Σ is the items' Σ over their number:
one more linear equation per published index cell, over the same unknowns as the items' (each
programme's Σ of each item). The attacker solves the items' and the index's published cells
together (a rank computation, as in ``test_disclosure.py``), independent of the rules in
``analysis.disclosure`` and ``analysis.metrics.survey_tables.linked_cells``.

The cases that found the leak (a helper's attack on the published tables, 2026-12-02) are here
as they were: a shown index gave a hidden item's answers, and shown items gave a hidden index.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from analysis.cli import main

ITEMS = ("tilbveil_antall_16", "tilbveil_konstru_13", "tilbveil_fagdisk_18")
INDEX = "tilbakemeldinger"


def publish(
    folder, respondents: pd.DataFrame | dict[str, pd.DataFrame], min_n: int, max_missing: int = 1
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``kvalitet survey`` on the respondents (the real output path; several files: file name ->
    its respondents), its items and indices read back."""
    files = respondents if isinstance(respondents, dict) else {"respondenter.csv": respondents}
    for name, frame in files.items():
        frame.to_csv(folder / name, index=False)
    config = folder / "k.toml"
    config.write_text(
        f"[survey]\nmin_n = {min_n}\nwarn_n = {min_n}\nindex_max_missing = {max_missing}\n"
        f"[survey.indices]\n{INDEX} = {list(ITEMS)!r}\n".replace("'", '"'),
        encoding="utf-8",
    )
    out = folder / "out.parquet"
    assert main(["survey", *(str(folder / name) for name in files), "--config", str(config), "--out", str(out)]) == 0
    return pd.read_parquet(out), pd.read_parquet(out.with_name("out_indices.parquet"))


def rows(programme: str, answers: list[tuple], faculty: str = "600", year: int = 2024) -> list[dict]:
    return [
        {"institusjonskode": "1150", "fakultetskode": faculty, "studprog_kod": programme, "aar": year}
        | dict(zip(ITEMS, a, strict=True))
        for a in answers
    ]


def linked_attack(
    items: pd.DataFrame,
    indices: pd.DataFrame,
    complete: set[str],
    present: tuple[str, ...] | dict[str, tuple[str, ...]] = ITEMS,
    below: int | None = None,
    groups: bool = False,
) -> list[str]:
    """Every hidden item or index cell (with answers) that the published items and index give
    away (``below``: only those with fewer respondents than that, the cells the policy keeps
    from being derivable); with ``groups`` (and ``below``), also every group of two or more
    hidden programme cells of one item or the index, of fewer than ``below`` respondents
    together, whose sum they give away (the hidden programmes under a faculty together are
    such a group: a faculty less its shown programmes). Unknowns: x[programme, item] (Σ of its
    answers) and y[programme] (the index's Σ). A published item cell is Σ x over its programmes, an index cell Σ y;
    and for a programme whose respondents all answered every item (``complete``: the attacker
    is told, as the published n make it likely), y × the number of its items = Σ x over its
    items (``present``: those the data has, or per programme those its file has). A cell with n
    0 is known to be 0."""
    leaks = []
    for year, tree in items.groupby("year"):
        index_tree = indices[indices["year"] == year]
        programmes = sorted(
            {f"{r.faculty_code}/{r.unit_code}" for r in tree.itertuples() if r.level == "programme" and r.n > 0}
        )
        where = {(p, item): k for k, (p, item) in enumerate((p, i) for p in programmes for i in (*ITEMS, INDEX))}

        def members(r, programmes=programmes) -> list[str]:
            if r.level == "programme":
                return [f"{r.faculty_code}/{r.unit_code}"]
            if r.level == "faculty":
                return [p for p in programmes if p.split("/")[0] == r.unit_code]
            return programmes

        def equation(r, name: str, where=where, members=members) -> np.ndarray:
            v = np.zeros(len(where))
            for p in members(r):
                if (p, name) in where:
                    v[where[p, name]] = 1.0
            return v

        links = []
        for p in programmes:
            if p.split("/")[1] in complete:
                asked = present[p.split("/")[1]] if isinstance(present, dict) else present
                link = np.zeros(len(where))
                link[where[p, INDEX]] = len(asked)
                for item in asked:
                    link[where[p, item]] = -1.0
                links.append(link)
        cells = [(r, r.item) for r in tree.itertuples()] + [(r, INDEX) for r in index_tree.itertuples()]
        # a cell without answers is a published 0 (its n), hidden or not
        known = np.array(links + [equation(r, name) for r, name in cells if r.n == 0 or r.mean == r.mean])
        if not len(known):
            continue
        rank = np.linalg.matrix_rank(known)
        for r, name in cells:
            if below is not None and r.n >= below:
                continue
            if r.suppressed and r.n > 0 and np.linalg.matrix_rank(np.vstack([known, equation(r, name)])) == rank:
                leaks.append(f"{year} {name} {r.level} {r.unit_code} (n {r.n}) is recovered")
        if groups and below is not None:
            hidden = [
                (f"{r.faculty_code}/{r.unit_code}", name, r.n)
                for r, name in cells
                if r.level == "programme" and r.suppressed and r.n > 0
            ]
            for name in (*ITEMS, INDEX):
                mine = [(p, n) for p, nm, n in hidden if nm == name]
                for size in range(2, len(mine) + 1):
                    for group in itertools.combinations(mine, size):
                        if sum(n for _, n in group) >= below:
                            continue
                        together = np.zeros(len(where))
                        for p, _ in group:
                            together[where[p, name]] = 1.0
                        if np.linalg.matrix_rank(np.vstack([known, together])) == rank:
                            who = " + ".join(f"{p.split('/')[1]} (n {n})" for p, n in group)
                            leaks.append(f"{year} {name} {who} together are recovered")
    return leaks


ANSWER = st.integers(1, 5)


@st.composite
def programmes(draw, blanks_allowed: bool = True):
    """1–2 faculties of 1–4 programmes with 0–9 respondents each (many small ones); in some
    programmes every respondent answers every item, in the others some leave items blank
    (none with ``blanks_allowed`` false). The respondents, and the programmes that are complete."""
    out, complete = [], set()
    for f in range(draw(st.integers(1, 2))):
        for p in range(draw(st.integers(1, 4))):
            blanks = blanks_allowed and draw(st.booleans())
            answer = st.one_of(ANSWER, st.none()) if blanks else ANSWER
            answers = [tuple(draw(answer) for _ in ITEMS) for _ in range(draw(st.integers(0, 9)))]
            out += rows(f"P{f}{p}", answers, faculty=f"{600 + f}")
            if all(None not in a for a in answers):
                complete.add(f"P{f}{p}")
    return pd.DataFrame(out or rows("P00", [(3, 4, 5)])), complete


@hsettings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(data=programmes(), min_n=st.integers(2, 6))
def test_no_result_of_too_few_respondents_is_recovered_from_the_two_tables_together(tmp_path_factory, data, min_n):
    """No hidden cell of fewer than ``min_n`` respondents is recovered. A hidden cell of more may
    be (a cell hidden with nobody to protect in it: ``test_a_hidden_index_of_many_…``); a small
    cell recovered through it fails here. This checks single cells; the next test checks groups
    where every item is answered. A second reader (2026-12-03) got a larger hidden cell back
    and, through it, the hidden programmes under a faculty together, 3 respondents, which is the
    rule-7 figure of README's first "Not guarded" entry (1 case in 2 000 random ones with
    skipped items, none with every item answered)."""
    respondents, complete = data
    items, indices = publish(tmp_path_factory.mktemp("sb"), respondents, min_n)
    assert not linked_attack(items, indices, complete, below=min_n)


@hsettings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(data=programmes(blanks_allowed=False), min_n=st.integers(2, 6))
# two programmes of one respondent each under a faculty of twelve: rule 2's own case, every run
@example(
    data=(
        pd.DataFrame(rows("P00", [(1, 2, 3)] * 10) + rows("P01", [(4, 4, 4)]) + rows("P02", [(5, 5, 5)])),
        {"P00", "P01", "P02"},
    ),
    min_n=5,
)
def test_no_group_of_too_few_respondents_is_recovered_where_every_item_is_answered(tmp_path_factory, data, min_n):
    """Where nobody skips an item (no rule-7 figure to narrow them, README "Not guarded"), no
    group of hidden programmes of fewer than ``min_n`` respondents together is given away
    either: not one programme, and not two or three small ones whose sum the faculty, its shown
    programmes and the index leave over. This is rule 2 (a complement of ``min_n`` or more, or
    none) checked by an attacker who also knows the index is the items' mean."""
    respondents, complete = data
    items, indices = publish(tmp_path_factory.mktemp("sb"), respondents, min_n)
    assert not linked_attack(items, indices, complete, below=min_n, groups=True)


def test_a_hidden_index_of_many_may_be_derivable_but_the_small_cell_it_sits_over_is_not(tmp_path):
    """Mutation testing's clean run, 2026-12-03 (hypothesis, min_n 2): P02's six respondents
    answered one item each, so P02 has no index value (n 0) and its fagdisk one answer (hidden).
    Rule 7 hides the faculty's fagdisk, and so rule 6 the faculty's index (n 11); rule 3 hides
    P00's and P01's index and antall. But P00 and P01 answered every item: their antall
    together is the faculty's less P02's, with their konstru and fagdisk that gives their index
    together, which is the faculty's (P02 adds nothing). So the faculty's index is hidden and
    derivable: a "–" where the number could be worked out, and a number of 11 respondents. The
    hidden cell of one, P02's fagdisk, stays unknown. (The stricter claim, that no hidden cell
    at all is derivable, does not hold here: README, "Not guarded".)"""
    frame = pd.DataFrame(
        rows("P00", [(1, 1, 1)] * 6)
        + rows("P01", [(1, 1, 1)] * 5)
        + rows(
            "P02",
            [(None, 1, None), (None, None, None), (1, None, None), (None, None, 1), (1, None, None), (None, 1, None)],
        )
    )
    items, indices = publish(tmp_path, frame, min_n=2)
    cell = items.set_index(["unit_code", "item"])
    assert cell.loc[("P02", ITEMS[2]), "n"] == 1 and cell.loc[("P02", ITEMS[2]), "suppression"] == "primary"
    assert not linked_attack(items, indices, {"P00", "P01"}, below=2)
    # what the attacker does get: the faculty's (and the institution's) index, of 11 respondents
    assert linked_attack(items, indices, {"P00", "P01"}) == [
        "2024 tilbakemeldinger faculty 600 (n 11) is recovered",
        "2024 tilbakemeldinger institution 1150 (n 11) is recovered",
    ]


def test_the_linked_attacker_finds_what_the_tables_protected_apart_leave_open():
    """The attack is not toothless: the tables as they were published before the link was
    protected (each table's own rules only; a helper's case 2, 2026-12-02): P1's hidden
    fagdisk (2 answers) took P2's as its complement, and P2's index, shown, gave P2's fagdisk
    back (every P2 respondent answered every item), so the faculty gave P1's."""
    cell = {"year": 2024, "faculty_code": "600"}
    items = pd.DataFrame(
        [
            cell | {"level": "programme", "unit_code": "P1", "item": item, "n": n, "mean": m, "suppressed": m != m}
            for item, n, m in zip(ITEMS, (6, 6, 2), (1.8, 2.2, np.nan), strict=True)
        ]
        + [
            cell | {"level": "programme", "unit_code": "P2", "item": item, "n": 6, "mean": m, "suppressed": m != m}
            for item, m in zip(ITEMS, (2.5, 4.0, np.nan), strict=True)
        ]
        + [
            cell | {"level": level, "unit_code": code, "item": item, "n": 30, "mean": 3.0, "suppressed": False}
            for level, code in (("programme", "P3"), ("faculty", "600"))
            for item in ITEMS
        ]
    )
    indices = pd.DataFrame(
        [
            cell | {"level": "programme", "unit_code": "P1", "n": 6, "mean": 2.0, "suppressed": False},
            cell | {"level": "programme", "unit_code": "P2", "n": 6, "mean": 2.94, "suppressed": False},
            cell | {"level": "programme", "unit_code": "P3", "n": 30, "mean": 3.0, "suppressed": False},
            cell | {"level": "faculty", "unit_code": "600", "n": 42, "mean": 3.0, "suppressed": False},
        ]
    )
    assert linked_attack(items, indices, complete={"P2", "P3"}) == [
        "2024 tilbveil_fagdisk_18 programme P1 (n 2) is recovered",
        "2024 tilbveil_fagdisk_18 programme P2 (n 6) is recovered",
    ]


def test_a_hidden_programme_without_index_values_is_not_given_by_its_faculty(tmp_path):
    """A helper's attack, 2026-12-03: P12's one respondent answered one item (4) and so had no
    index value (index n 0, published). Every other respondent answered every item, so the
    faculty's items less three times its index was P12's answer: 22 + 19 + 21 − 3 × 19.333 = 4.
    The figure about those who skipped items (rule 7) now stays unknown where it would be one
    hidden programme's."""
    complete = {
        "P10": [(a % 5 + 1, (a * 2) % 5 + 1, (a * 3 + 1) % 5 + 1) for a in range(20)],
        "P11": [(2, 5, 1)],
        "P13": [(1, 3, 4), (2, 2, 5), (5, 1, 3), (4, 4, 2), (3, 5, 1), (2, 3, 3)],
    }
    frame = pd.DataFrame(
        [r for unit, answers in complete.items() for r in rows(unit, answers)] + rows("P12", [(None, 4, None)])
    )
    items, indices = publish(tmp_path, frame, min_n=5)
    assert indices.set_index("unit_code").loc["P12", "n"] == 0
    assert items.set_index(["unit_code", "item"]).loc[("P12", ITEMS[1]), "suppression"] == "primary"
    assert not linked_attack(items, indices, set(complete))
    # the faculty's figure is unknown: an item and the index are hidden there
    faculty = items[items["level"] == "faculty"]
    assert faculty["suppressed"].any() and indices.set_index("level").loc["faculty", "suppressed"]


def test_a_sibling_whose_hidden_cells_have_no_answers_does_not_hide_a_figure(tmp_path):
    """A second reader's attack on rule 7, 2026-12-03 (index_max_missing 0, min_n 2): P01's
    two respondents answered antall and konstru only, so its fagdisk (n 0, hidden: nobody
    answered) and its index (n 0) are published zeros, and its figure is known: 5 + 7 + 0 −
    3 × 0 = 12. P02's respondents answered every item (n 6, 6, 6, index 6): its figure is 0.
    Rule 7 counted P01 as hidden (a hidden cell) beside P00, so it let the faculty's figure,
    40 + 32 + 19 − 3 × 20.667 = 29, stand; less 12, that was P00's alone: 17, the answers of
    its three respondents who skipped an item (2 + 2, 4, 4 + 5). A cell with n 0 now hides no
    figure, and P01 keeps an item with answers hidden."""
    frame = pd.DataFrame(
        rows("P00", [(2, 2, None), (None, None, 4), (4, 5, None), (2, 3, 4)])
        + rows("P01", [(4, 3, None), (1, 4, None)])
        + rows("P02", [(5, 4, 1), (5, 2, 1), (4, 1, 1), (4, 2, 2), (4, 1, 3), (5, 5, 3)])
    )
    items, indices = publish(tmp_path, frame, min_n=2, max_missing=0)
    cells = items.set_index(["unit_code", "item"])
    assert indices.set_index("unit_code").loc["P01", "n"] == 0 and cells.loc[("P01", ITEMS[2]), "n"] == 0
    assert not indices.set_index("level").loc["faculty", "suppressed"]
    # P01's figure is unknown now: one of its items with answers is hidden
    assert (cells.loc["P01"]["suppressed"] & (cells.loc["P01"]["n"] > 0)).any()
    assert not linked_attack(items, indices, {"P02"})


def test_an_index_item_the_file_lacks_does_not_switch_the_figure_off(tmp_path):
    """A second reader's attack, 2026-12-03: the file has no fagdisk column, so every respondent
    "skipped" it and every unit had respondents who skipped items; the figure's rule saw two
    hidden units with such respondents everywhere and hid nothing. But the figure that cancels
    those who answered both items the file has is antall + konstru − 2 × index: P1 (two
    respondents, both items) adds 0 and P2's one respondent answered antall alone (3, no index
    value), so the faculty's figure, less the shown P0's 0, was 3. Those who skipped are now
    counted against the items the file has."""
    complete = {"P0": [(a % 5 + 1, (a * 2) % 5 + 1, None) for a in range(12)], "P1": [(2, 4, None), (5, 3, None)]}
    frame = pd.DataFrame(
        [r for unit, answers in complete.items() for r in rows(unit, answers)] + rows("P2", [(3, None, None)])
    ).drop(columns=[ITEMS[2]])
    items, indices = publish(tmp_path, frame, min_n=5)
    assert items.set_index(["unit_code", "item"]).loc[("P2", ITEMS[0]), "suppression"] == "primary"
    assert not linked_attack(items, indices, set(complete), present=ITEMS[:2])


def test_a_file_without_one_of_the_index_items_does_not_give_a_hidden_programmes_index(tmp_path):
    """An attack on two files of one year (2026-12-05): a.csv asks all three items, b.csv has no
    fagdisk column. Everyone answered every item their file asks, so no respondent "skipped" one
    and rule 7 saw nothing; but a respondent of b.csv adds its answers s to the items and s/2 to
    the index, one of a.csv s and s/3. Under faculty 600, P3 (b.csv, 12) is shown, H1 (b.csv, 2),
    H2 (a.csv, 2) and P0 (a.csv, 12, hidden as their complement) are not. The faculty less P3:
    antall 81 − 35 = 46, konstru 82 − 35 = 47, fagdisk 41 (P3 has none): the three together
    s_H1 + s_rest = 134; the index 81⅔ − 35 = 46⅔ = s_H1/2 + s_rest/3. So s_H1/6 = 46⅔ − 134/3
    = 2: H1's index Σ is 6, the mean of its two respondents' values (3.0), a hidden cell of 2."""
    fagdisk = [(a % 5 + 1, (a * 2) % 5 + 1, (a * 3) % 5 + 1) for a in range(12)]
    a = pd.DataFrame(rows("P0", fagdisk) + rows("H2", [(2, 4, 5), (5, 3, 1)]))
    without = [((a + 1) % 5 + 1, (a * 3) % 5 + 1, None) for a in range(12)]
    b = pd.DataFrame(rows("H1", [(4, 1, None), (2, 5, None)]) + rows("P3", without)).drop(columns=[ITEMS[2]])
    items, indices = publish(tmp_path, {"a.csv": a, "b.csv": b}, min_n=5)
    h1 = indices.set_index("unit_code").loc["H1"]
    assert h1["n"] == 2 and h1["suppression"] == "primary"
    present = {"P0": ITEMS, "H2": ITEMS, "H1": ITEMS[:2], "P3": ITEMS[:2]}
    assert not linked_attack(items, indices, set(present), present=present, below=5)


@pytest.mark.xfail(strict=True, raises=AssertionError, reason='README "Not guarded", first entry: two files')
def test_two_files_of_other_items_do_not_give_a_hidden_item_where_its_hidden_sets_differ(tmp_path):
    """Open (README, "Not guarded", first entry), the random two-file search of 2026-12-05 after
    the fix above (min_n 3): under faculty 600, b.csv's P00 (7) and P01 (1) answered antall and
    konstru, a.csv's P02 (6) all three. Antall is hidden in P00 and P01, konstru in P01 and P02,
    the index in all three: the faculty less the shown cells gives P01 + P02's konstru, and the
    index, weighing P00's and P01's answers by 1/2 and P02's by 1/3, gives P01's konstru / 2 +
    P02's / 3 besides; together, P01's one answer. Rule 7's figures are of the hidden
    programmes together (two in each), so they see nothing to guard."""
    a = pd.DataFrame(
        rows("P02", [(2, 1, 3), (3, 4, 5), (1, 4, 1), (3, 3, 1), (2, 1, 2), (2, 4, 2)])
        + rows("P10", [(5, 2, 4), (2, 2, 5), (1, 4, 5)], faculty="601")
    )
    b_answers = [(4, 4, None), (2, 4, None), (3, 5, None), (4, 2, None), (2, 1, None), (4, 5, None), (4, 5, None)]
    b = pd.DataFrame(rows("P00", b_answers) + rows("P01", [(5, 3, None)])).drop(columns=[ITEMS[2]])
    items, indices = publish(tmp_path, {"a.csv": a, "b.csv": b}, min_n=3)
    present = {"P00": ITEMS[:2], "P01": ITEMS[:2], "P02": ITEMS, "P10": ITEMS}
    assert not linked_attack(items, indices, set(present), present=present, below=3)


@pytest.mark.xfail(strict=True, raises=AssertionError, reason='README "Not guarded", first entry: two files')
def test_two_files_of_other_items_do_not_give_a_hidden_programmes_index_from_its_institution(tmp_path):
    """Open (README, "Not guarded", first entry), a second reader's random two-file search
    (2026-12-05, after the fix above; min_n 3): a.csv asks antall and konstru, b.csv all three.
    Faculty 600 has P00 (a, 7), P01 (b, 8), P02 (a, 7), faculty 601 P10 (b, 5) and P11 (a, 1).
    Every index cell but the institution's is hidden, both faculties' antall and konstru are
    shown. Rule 7's second figure, at the institution, sees two hidden faculties with
    respondents of a.csv (14 and 1) and guards nothing; but faculty 600's part of that figure
    is not unknown with its index: its a.csv programmes' antall and konstru are its items less
    P01's, all shown (64 − 19 + 21 + 23 = 89). The institution's index Σ (83.5) less 89/2, less
    a third of P01's antall and konstru (41), of the institution's fagdisk (38, all of b.csv)
    and of faculty 601's antall and konstru (20 + 16) is P11's antall and konstru over 6:
    2/3, so 4, and its index, a hidden cell of one respondent, 2.0."""
    a = pd.DataFrame(
        rows("P00", [(2, 4, None), (4, 2, None), (1, 5, None), (4, 3, None), (4, 2, None), (2, 1, None), (4, 4, None)])
        + rows(
            "P02", [(5, 3, None), (4, 2, None), (3, 1, None), (3, 5, None), (4, 3, None), (1, 5, None), (4, 4, None)]
        )
        + rows("P11", [(3, 1, None)], faculty="601")
    ).drop(columns=[ITEMS[2]])
    b = pd.DataFrame(
        rows("P01", [(2, 3, 4), (4, 3, 4), (2, 4, 3), (2, 1, 2), (1, 1, 3), (2, 4, 1), (1, 2, 4), (5, 4, 5)])
        + rows("P10", [(2, 2, 5), (1, 4, 2), (4, 3, 1), (5, 4, 3), (5, 2, 1)], faculty="601")
    )
    items, indices = publish(tmp_path, {"a.csv": a, "b.csv": b}, min_n=3)
    p11 = indices.set_index("unit_code").loc["P11"]
    assert p11["n"] == 1 and p11["suppression"] == "primary"
    present = {"P00": ITEMS[:2], "P02": ITEMS[:2], "P11": ITEMS[:2], "P01": ITEMS, "P10": ITEMS}
    assert not linked_attack(items, indices, set(present), present=present, below=3)


def test_a_shown_index_never_gives_a_hidden_item_of_its_programme(tmp_path):
    """The helper's case 1: six respondents answer two items alike (3, 3); two of them also the
    third (5 and 4). The third item (2 answers) is hidden; the index (6 respondents) was shown,
    3.1667: its Σ 19 less the four (3 + 3) / 2 = 3 gave the two answers, 5 and 4."""
    answers = [(3, 3, 5), (3, 3, 4)] + [(3, 3, None)] * 4
    items, indices = publish(tmp_path, pd.DataFrame(rows("P1", answers)), min_n=5)
    third = items[items["item"] == ITEMS[2]].iloc[0]
    assert third["suppression"] == "primary"
    index = indices.iloc[0]
    assert index["n"] == 6 and index["suppressed"] and index["suppression"] == "secondary"
    assert pd.isna(index["mean"]) and pd.isna(index["sd"])


def test_a_hidden_index_keeps_one_of_its_items_hidden(tmp_path):
    """The helper's case 3: P1's index has two respondents (hidden) and P2's was hidden to
    protect it, while all of P2's items (every P2 respondent answering all three) were shown
    and gave P2's index, so the faculty's gave P1's. A hidden index now keeps its item with the
    fewest answers (ties: the index's order) hidden, and the items' rules protect that one."""
    p1 = [(3, 4, 2), (5, 5, 4)] + [(2, None, None)] * 3 + [(None, 4, None)] * 3 + [(None, None, 3)] * 3
    p2 = [(1, 2, 3), (2, 3, 4), (3, 2, 5), (4, 3, 3), (2, 2, 4), (3, 3, 3)]
    p3 = [(a % 5 + 1, (a * 2) % 5 + 1, (a * 3) % 5 + 1) for a in range(20)]
    frame = pd.DataFrame(rows("P1", p1) + rows("P2", p2) + rows("P3", p3))
    items, indices = publish(tmp_path, frame, min_n=5)
    index = indices[indices["level"] == "programme"].set_index("unit_code")
    assert index.loc["P1", "suppression"] == "primary" and index.loc["P2", "suppression"] == "secondary"
    programme_items = items[items["level"] == "programme"]
    for unit in ("P1", "P2"):
        hidden = programme_items[(programme_items["unit_code"] == unit) & programme_items["suppressed"]]
        assert list(hidden["item"]) == [ITEMS[0]], unit  # all three have 5 or 6 answers: the first
        assert (hidden["suppression"] == "secondary").all()


def test_next_years_report_hides_last_years_cells_as_last_years_report_did(tmp_path):
    """A helper's attack, 2026-12-04, on two reports an adviser publishes: the 2024 report (the
    2024 file, which has no fagdisk column: NOKUT added the question in 2025) and the 2025 report
    (the 2024 and 2025 files), which shows 2024 again (the previous year of every change, and
    the survey sheet). In the 2025 run fagdisk is an item of every year, and every 2024 cell of
    it (n 0, nobody asked) is hidden; that hid tilbakemeldinger in every 2024 unit, and each
    unit then hid its item with the fewest answers: P3's antall (11, one blank), P2's konstru
    (9). Under faculty 271, antall had P1 (3, primary) and P3 hidden, and P2 (10) shown; the 2024
    report hid P1 and P2 (the smallest sibling) and showed P3. Both show the faculty, so P1's
    answers were the faculty's counts of answers 1–5 less P2's (2025 report) less P3's (2024
    report): (6, 4, 4, 5, 5) − (2, 2, 2, 2, 2) − (2, 2, 2, 3, 2) = (2, 0, 0, 0, 1), P1's three
    answers 1, 1 and 5. A cell without answers now hides no index (it hides nothing of it), so
    2024 is decided alike in both runs."""
    a, b = ITEMS[0], ITEMS[1]
    p1 = [(1, 2), (1, None), (5, 4)]  # 3 respondents: antall 1, 1, 5 (the hidden answers)
    p2 = [(k % 5 + 1, (k * 2) % 5 + 1) for k in range(10)]
    p2[0] = (p2[0][0], None)  # P2: konstru 9 answers, antall 10
    p3 = [((k * 3) % 5 + 1, (k + 2) % 5 + 1) for k in range(12)]
    p3[0] = (None, p3[0][1])  # P3: antall 11 answers, konstru 12
    q = [((k * 2) % 5 + 1, k % 5 + 1) for k in range(20)]
    units = {("271", "P1"): p1, ("271", "P2"): p2, ("271", "P3"): p3, ("250", "Q1"): q, ("250", "Q2"): q}

    def year(y: int, with_fagdisk: bool) -> pd.DataFrame:
        frame = pd.DataFrame(
            [r for (f, p), answers in units.items() for r in rows(p, [(*x, 3) for x in answers], faculty=f, year=y)]
        )
        return frame if with_fagdisk else frame.drop(columns=[ITEMS[2]])

    (tmp_path / "r2024").mkdir()
    (tmp_path / "r2025").mkdir()
    report_2024, _ = publish(tmp_path / "r2024", year(2024, False), min_n=5)
    report_2025, _ = publish(tmp_path / "r2025", pd.concat([year(2024, False), year(2025, True)]), min_n=5)
    counts = [f"count_{k}" for k in range(1, 6)]

    def shown(table: pd.DataFrame, unit: str, item: str) -> pd.Series | None:
        row = table[(table["year"] == 2024) & (table["unit_code"] == unit) & (table["item"] == item)].iloc[0]
        return None if row["suppressed"] else row[counts].astype(int)

    # the attacker: the faculty's counts less every programme either report shows
    for item in (a, b):
        faculty = shown(report_2024, "271", item)
        if faculty is None:
            faculty = shown(report_2025, "271", item)
        if faculty is None:
            continue
        hidden = []
        for unit in ("P1", "P2", "P3"):
            got = next((c for c in (shown(r, unit, item) for r in (report_2024, report_2025)) if c is not None), None)
            if got is None:
                hidden.append(unit)
            else:
                faculty = faculty - got.to_numpy()
        assert hidden != ["P1"], f"{item}: P1's answers are the faculty's less the rest: {faculty.tolist()}"


def test_next_years_file_without_a_unit_column_leaves_last_years_rollups_as_they_were(tmp_path):
    """A helper's attack, 2026-12-04: the 2025 file has no fakultetskode (or institusjonskode).
    The rollups were decided for the whole run (a column in every file or no level at all), so
    the 2025 report lost 2024's faculties too, and 2024 was hidden another way than in the 2024
    report: under the institution alone, Q1 (6) was P1's complement and P2 (10) shown, where the
    2024 report, with faculty 271, hid P1 (3) and P2 and showed P3 (12) and the faculty. The
    faculty's counts (2024 report) less P2's (2025 report) less P3's gave P1's three answers.
    A year's rollups are now decided from that year's files alone."""
    item = "overord_altialt_13"
    answers = {
        ("271", "P1"): [1, 4, 5],
        ("271", "P2"): [2, 3, 3, 4, 5, 1, 2, 3, 4, 5],
        ("271", "P3"): [k % 5 + 1 for k in range(12)],
        ("250", "Q1"): [1, 2, 3, 4, 5, 3],
        ("250", "Q2"): [k % 5 + 1 for k in range(20)],
    }
    (tmp_path / "k.toml").write_text("[survey]\nmin_n = 5\nwarn_n = 5\n", encoding="utf-8")
    counts = [f"count_{k}" for k in range(1, 6)]

    def year_file(year: int, without: str | None) -> str:
        frame = pd.DataFrame(
            [
                {"institusjonskode": "1150", "fakultetskode": f, "studprog_kod": p, "aar": year, item: a}
                for (f, p), given in answers.items()
                for a in given
            ]
        )
        path = tmp_path / f"sb_{year}_{without}.csv"
        (frame.drop(columns=[without]) if without else frame).to_csv(path, index=False)
        return str(path)

    def report(name: str, files: list[str]) -> pd.DataFrame:
        out = tmp_path / name / "out.parquet"
        out.parent.mkdir()
        assert main(["survey", *files, "--config", str(tmp_path / "k.toml"), "--out", str(out)]) == 0
        table = pd.read_parquet(out)
        return table[table["year"] == 2024].set_index(["level", "unit_code"]).sort_index()

    for without in ("fakultetskode", "institusjonskode"):
        report_2024 = report(f"r2024_{without}", [year_file(2024, None)])
        report_2025 = report(f"r2025_{without}", [year_file(2024, None), year_file(2025, without)])
        # 2024 is hidden alike in both reports: by hand, P1 (3) primary and P2, the smallest of its
        # siblings, secondary; the rest shown
        pd.testing.assert_series_equal(report_2024["suppression"], report_2025["suppression"], check_categorical=False)
        assert report_2025.loc[("programme", "P2"), "suppression"] == "secondary"

        def shown(unit: tuple[str, str], reports=(report_2024, report_2025)) -> np.ndarray | None:
            for table in reports:
                if unit in table.index and not table.loc[unit, "suppressed"]:
                    return table.loc[unit, counts].astype(int).to_numpy()
            return None

        # the attacker: a parent's counts (from either report) less every child either shows
        for parent, children in (
            (("faculty", "271"), ["P1", "P2", "P3"]),
            (("institution", "1150"), [p for _, p in answers]),
        ):
            rest = shown(parent)
            if rest is None:
                continue
            hidden = []
            for child in children:
                got = shown(("programme", child))
                if got is None:
                    hidden.append(child)
                else:
                    rest = rest - got
            assert len(hidden) != 1, f"{without}: {hidden}'s answers are {parent} less the rest: {rest.tolist()}"


def pattern_attack(
    respondents: pd.DataFrame, items: pd.DataFrame, indices: pd.DataFrame, min_n: int, max_missing: int = 1
) -> list[str]:
    """What the published items and index give away about fewer than ``min_n`` respondents,
    to an attacker who knows each programme's answer patterns (which items each respondent
    answered) and how many respondents have each: the per-item n and the index's n give them
    away where a programme has few patterns, and this attacker is told them outright.

    Unknowns: per programme × pattern × answered item, the Σ of that pattern's answers to the
    item. A published item cell is the Σ of those over its programmes and the patterns with the
    item; a published index cell the Σ over its programmes and the patterns with an index value
    (``max_missing`` or fewer items skipped) of the pattern's answers over its number of answers
    (a respondent's index value is the mean of its answers). Recovered are: a hidden item or
    index cell of fewer than ``min_n`` respondents; and a figure (any combination of their
    sums) about the respondents who skipped an item, those who answered every item, or those
    of one pattern, of up to three programmes of a year together, when they are fewer than
    ``min_n``. A cell with n 0 holds no unknown (a published 0)."""
    leaks = []
    for year, frame in respondents.groupby("aar"):
        answered = frame[list(ITEMS)].notna().to_numpy()
        keys = [f"{f}/{p}" for f, p in zip(frame["fakultetskode"], frame["studprog_kod"], strict=True)]
        # per (programme, pattern): its respondents
        patterns: dict[tuple[str, tuple[bool, ...]], int] = {}
        for key, row in zip(keys, answered, strict=True):
            if row.any():
                patterns[key, tuple(row)] = patterns.get((key, tuple(row)), 0) + 1
        where = {
            (p, k, i): c
            for c, (p, k, i) in enumerate((p, k, i) for p, k in patterns for i in range(len(ITEMS)) if k[i])
        }
        valued = {k: sum(k) >= len(ITEMS) - max_missing for _, k in patterns}

        def cell(level: str, faculty: str, unit: str, name: str, where=where, valued=valued) -> np.ndarray:
            v = np.zeros(len(where))
            for (p, k, i), c in where.items():
                if level == "programme" and p != f"{faculty}/{unit}" or level == "faculty" and p.split("/")[0] != unit:
                    continue
                if name == INDEX:
                    v[c] = 1.0 / sum(k) if valued[k] else 0.0
                elif name == ITEMS[i]:
                    v[c] = 1.0
            return v

        cells = [(r, r.item) for r in items[items["year"] == year].itertuples()]
        cells += [(r, INDEX) for r in indices[indices["year"] == year].itertuples()]
        known = np.array([cell(r.level, r.faculty_code, r.unit_code, name) for r, name in cells if r.mean == r.mean])
        known = known[np.abs(known).sum(axis=1) > 0] if len(known) else np.zeros((0, len(where)))
        rank = np.linalg.matrix_rank(known) if len(known) else 0
        for r, name in cells:
            if r.suppressed and 0 < r.n < min_n:
                target = cell(r.level, r.faculty_code, r.unit_code, name)
                if np.linalg.matrix_rank(np.vstack([known, target])) == rank:
                    leaks.append(f"{year} {name} {r.level} {r.unit_code} (n {r.n}) is recovered")
        programmes = sorted({p for p, _ in patterns})
        kinds = [("skipped an item", lambda k: not all(k)), ("answered every item", all)] + [
            (f"answered {''.join('x' if a else '-' for a in pattern)}", lambda k, pattern=pattern: k == pattern)
            for pattern in sorted({k for _, k in patterns if not all(k)})
        ]
        for size in (1, 2, 3):
            for group in itertools.combinations(programmes, size):
                for kind, belongs in kinds:
                    mine = [(p, k) for p, k in patterns if p in group and belongs(k)]
                    count = sum(patterns[pk] for pk in mine)
                    if not 0 < count < min_n:
                        continue
                    columns = [c for (p, k, _), c in where.items() if (p, k) in mine]
                    their = np.eye(len(where))[columns]
                    # a figure about them alone is a combination of the published cells that is
                    # one of their sums only: the published rows and theirs share a dimension
                    if rank + len(columns) > np.linalg.matrix_rank(np.vstack([known, their])):
                        who = " + ".join(p.split("/")[1] for p in group)
                        leaks.append(f"{year} {who}: a figure about the {count} who {kind} is recovered")
    return leaks


# Open (README, "Not guarded", first entry): the first two cases below are what the answer-pattern
# attack gets from the published tables today (the third was, until the singleton guard of
# rule 2 hid P01's fagdisk too: closed for that file, not the attack in general). Hiding the figure wherever it is about 1 to
# min_n − 1 respondents (rule 7 with min_n, as a primary rule) was measured on 2026-12-04: 60 %
# of the index cells with answers hidden instead of 34 % on a synthetic 300 k file, and the
# second and third cases still leaked; it was not landed. When a guard is, these fail as XPASS:
# drop the mark.
OPEN = pytest.mark.xfail(strict=True, raises=AssertionError, reason='README "Not guarded", first entry')


@OPEN
def test_a_shown_programme_does_not_give_the_answers_of_its_one_respondent_who_skipped_an_item(tmp_path):
    """P1 has six respondents (min_n 5); five answered all three items, one answered antall 4
    and konstru 2 and skipped fagdisk. Every cell has 5 or 6 answers and is shown: the items'
    Σ 19, 18 and 18 (fagdisk n 5), the index's Σ 4 + 3 + 4 + 10/3 + 2 + 3 = 19⅓ (n 6). The
    five who answered everything add 3 × their index value to the items, the one who skipped
    adds 2 × its value, so 19 + 18 + 18 − 3 × 19⅓ = −3 is minus that one's value: 3, from
    answers that add up to 6. One respondent's answers, though P1 has more than min_n."""
    answers = [(3, 4, 5), (2, 3, 4), (4, 4, 4), (5, 3, 2), (1, 2, 3), (4, 2, None)]
    respondents = pd.DataFrame(rows("P1", answers))
    items, indices = publish(tmp_path, respondents, min_n=5)
    assert not pattern_attack(respondents, items, indices, min_n=5)


@OPEN
def test_a_shown_programme_does_not_give_the_answers_of_its_few_who_answered_every_item(tmp_path):
    """P1 has eight respondents (min_n 5): two answered all three items, three skipped fagdisk,
    three skipped konstru; so antall has 8 answers, konstru and fagdisk 5 each, the index 8
    values, all shown (Σ 24, 17, 16 and 25.5). One who answered all three adds its answers s to
    the items and s/3 to the index, one who answered two adds s and s/2: 3 × items − 6 × index
    counts the former once and the latter not at all. 3 × 57 − 6 × 25.5 = 18, the two's
    answers (3 + 4 + 5 and 2 + 2 + 2). The figure about the six who skipped (items − 3 × index
    = −13.5) is of six, as many as min_n allows: rule 7 with min_n would let this stand."""
    none = None
    answers = [(3, 4, 5), (2, 2, 2), (4, 4, none), (1, 2, none), (5, 5, none), (3, none, 1), (2, none, 4), (4, none, 4)]
    respondents = pd.DataFrame(rows("P1", answers))
    items, indices = publish(tmp_path, respondents, min_n=5)
    assert not pattern_attack(respondents, items, indices, min_n=5)


def test_a_hidden_item_of_one_respondent_is_not_given_by_programmes_whose_respondents_skipped_alike(tmp_path):
    """The answer-pattern attack on random files (2026-12-04, min_n 2): under faculty 600, P01's
    two respondents answered every item, P02's two and P03's three answered two items each (the
    published n give that: P02 antall 2, konstru 1, fagdisk 1 and index 2 is four answers of
    two respondents with an index value; P03 6 answers of 3). P02's konstru (n 1) is hidden;
    P01's konstru and the three programmes' indices are hidden with it. By hand from what is
    shown: konstru, the faculty's 47 less P00's 27 and P03's 7: P01 + P02 = 13; fagdisk, 23
    less 12 and 3: P02 + P03 = 8; the index, 44 less P00's 20⅔: P01 + P02 + P03 = 23⅓. P01's
    index Σ is its items' over 3, P02's and P03's their items' over 2, so 23⅓ = (8 + k01 + 3)/3
    + (5 + k02 + 9 + 7 + 8)/2 with k01 = 13 − k02: 22.5 + k02/6 = 23⅓, k02 = 5, the hidden answer.
    Rule 6 keeps each hidden index's own items from giving it; the index's weights (1/3, 1/2)
    differ between the hidden programmes, and that separates them. Rule 7, even with min_n,
    sees P02 + P03 together (5 who skipped) and lets the figure stand. Since 2026-12-04 P01's
    fagdisk is hidden too (rule 2's singleton guard: P02's and P03's fagdisk are one respondent
    each, and each would get the other's as the faculty less P00 less their own), and the
    fagdisk complement P02 + P03 is no longer published: the attack finds nothing here. The
    weighting that separated them is open as before (README, "Not guarded")."""
    none = None
    respondents = pd.DataFrame(
        rows("P00", [(4, 5, 3), (5, 4, 3), (4, 5, 1), (4, 5, 1), (4, 4, 3), (2, 4, 1)])
        + rows("P01", [(5, 3, 1), (3, 5, 2)])
        + rows("P02", [(4, none, 5), (1, 5, none)])
        + rows("P03", [(none, 1, 3), (4, 1, none), (5, 5, none)])
        + rows("P10", [(1, 1, 5), (1, 1, 4), (1, 1, 4), (1, 5, 1)], faculty="601")
    )
    items, indices = publish(tmp_path, respondents, min_n=2)
    assert items.set_index(["unit_code", "item"]).loc[("P02", ITEMS[1]), "suppression"] == "primary"
    assert not pattern_attack(respondents, items, indices, min_n=2)


@pytest.mark.xfail(
    strict=True, raises=AssertionError, reason='README "Not guarded", the one respondent of a hidden cell'
)
def test_the_one_respondent_of_a_hidden_programme_does_not_get_another_through_the_index(tmp_path):
    """An attack on random files as the one respondent of a hidden programme (2026-12-04, min_n
    2; such a case in 5 of 600 random files with min_n 3–5, against 58 of the 600 before rule
    2's single-respondent guard). Under faculty 600: P00 (2 respondents, every
    item) hidden to protect the others, P01 (3) shown, P02 (1: konstru 3, fagdisk 1, index 2)
    and P03 (1: antall 2 only, no index value). Rule 2's single-respondent guard holds in each
    table: antall's hidden P00 + P03 less P03's one is P00's 2 = min_n, konstru's, fagdisk's and
    the index's P00 + P02 less P02's one the same. But P02's respondent, from the faculty less
    P01 less their own: P00's konstru 9, fagdisk 4 and index Σ 6; P00 answered every item (its
    published n), so its antall is 3 × 6 − 9 − 4 = 5, and antall's 15 − 8 − 5 = 2 is P03's one
    answer. A hidden cell of min_n or more that one table gives its singleton is a complement in
    another; hiding a third child wherever a singleton is hidden beside one other (rule 2's
    "at least two" without the singleton) closes this, and hid 40.7 % of index cells with answers
    instead of 34.9 % on the synthetic 300 k file (29.9 % of item cells instead of 28.3 %): not
    landed. When a guard is, this fails as XPASS: drop the mark."""
    none = None
    respondents = pd.DataFrame(
        rows("P00", [(1, 5, 2), (4, 4, 2)])
        + rows("P01", [(2, 2, 1), (4, 1, 3), (2, 4, 2)])
        + rows("P02", [(none, 3, 1)])
        + rows("P03", [(2, none, none)])
    )
    items, indices = publish(tmp_path, respondents, min_n=2)
    antall, konstru, fagdisk = (items[items["item"] == item].set_index("unit_code") for item in ITEMS)
    index = indices.set_index("unit_code")
    assert antall.loc["P03", "suppressed"] and antall.loc["P03", "n"] == 1

    def total(cells: pd.DataFrame, unit: str) -> float:
        return float(cells.loc[unit, "n"] * cells.loc[unit, "mean"])

    def p00(cells: pd.DataFrame, own: float) -> float:  # the faculty less P01 less P02's own answer
        return total(cells, "600") - total(cells, "P01") - own

    p00_antall = 3 * p00(index, (3 + 1) / 2) - p00(konstru, 3) - p00(fagdisk, 1)
    p03 = total(antall, "600") - total(antall, "P01") - p00_antall
    assert not np.isclose(p03, 2)

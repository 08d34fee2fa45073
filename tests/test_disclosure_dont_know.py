"""The "vet ikke" counts attacked as the means are in ``test_disclosure.py``.

An item cell publishes its "vet ikke" count (``dont_know``) beside its mean, and a parent's is
the sum of its children's, as its answers are: one more linear equation per published cell, over
the programmes' counts. A hidden programme's count, or the count of a group of hidden programmes,
that the published counts determine is a result of those respondents (rule 1 and 5 of
``analysis.disclosure``: a cell answered by fewer than ``min_n`` in all, "vet ikke" counted, is
not shown); found by the rank computation of ``test_disclosure.recovered``, by an outsider and by
the one respondent of a hidden programme (who knows their own answer, "vet ikke" too). Random
hierarchies of many small programmes with many "vet ikke" (3 to 7 answers in 10), so that
programmes with "vet ikke" alone are common: none gave a count away (2026-12-05), and without
rule 2's guard of the "vet ikke" pool the attack finds two such programmes' count together.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.test_disclosure import published, recovered

ITEMS = ("underv_engasj_18", "underv_formidl_18")
DONT_KNOW = 9999


def dont_know_attack(items: pd.DataFrame, min_n: int, answered: dict[tuple[str, str], int]) -> list[str]:
    """Every hidden programme, and every group of hidden programmes under one release, whose
    "vet ikke" count the published counts give away, where it (they together) had fewer than
    ``min_n`` respondents who answered at all (``answered``: (faculty/programme, item) -> valid
    answers and "vet ikke" together, from the respondents); and the same for the one respondent
    of a hidden programme, who knows that programme's count (their own answer)."""
    leaks = []
    for (year, item), tree in items.groupby(["year", "item"], observed=True):
        prog = tree[tree["level"] == "programme"]
        name = {r.Index: f"{r.faculty_code}/{r.unit_code}" for r in prog.itertuples()}
        programmes = sorted(name.values())

        def members(r, programmes=programmes) -> set[str]:
            if r.level == "programme":
                return {f"{r.faculty_code}/{r.unit_code}"}
            if r.level == "faculty":
                return {p for p in programmes if p.split("/")[0] == r.unit_code}
            return set(programmes)

        shown = [members(r) for r in tree.itertuples() if not pd.isna(r.dont_know)]
        hidden = [name[r.Index] for r in prog.itertuples() if pd.isna(r.dont_know)]
        few = {p: answered.get((p, item), 0) for p in programmes}
        for size in range(1, len(hidden) + 1):
            for group in itertools.combinations(hidden, size):
                if 0 < sum(few[p] for p in group) < min_n and recovered(shown, programmes, set(group)):
                    leaks.append(f"{year} {item}: the 'vet ikke' of {' + '.join(group)} is recovered")
        for me in (p for p in hidden if few[p] == 1):
            others = [p for p in hidden if p != me]
            for size in range(1, len(others) + 1):
                for group in itertools.combinations(others, size):
                    if 0 < sum(few[p] for p in group) < min_n and recovered([*shown, {me}], programmes, set(group)):
                        leaks.append(f"{year} {item}: the one respondent of {me} gets the 'vet ikke' of {group}")
    return leaks


@st.composite
def hierarchies(draw):
    """One institution, one year: 1–3 faculties of 1–4 programmes with 0–12 respondents each,
    most of them few, answering "vet ikke" at a rate of 3/10 to 7/10."""
    rate = draw(st.sampled_from([0.3, 0.5, 0.7]))
    answer = st.integers(0, 9).map(lambda k: DONT_KNOW if k < 10 * rate else 1 + k % 5)
    rows = [
        {"institusjonskode": "1150", "fakultetskode": f"{600 + f}", "studprog_kod": f"P{f}{p}", "aar": 2024}
        | {item: draw(answer) for item in ITEMS}
        for f in range(draw(st.integers(1, 3)))
        for p in range(draw(st.integers(1, 4)))
        for _ in range(draw(st.sampled_from([0, 1, 2, 2, 3, 4, 6, 9, 12])))
    ]
    first = {"institusjonskode": "1150", "fakultetskode": "600", "studprog_kod": "P00", "aar": 2024}
    return pd.DataFrame(rows or [first | dict.fromkeys(ITEMS, DONT_KNOW)])


#: Faculty 600: A (10 answers 1–5 and 2 "vet ikke"), B and C (2 "vet ikke" each, nothing else).
TWO_WITH_VET_IKKE_ALONE = pd.DataFrame(
    [
        {"institusjonskode": "1150", "fakultetskode": "600", "studprog_kod": p, "aar": 2024, ITEMS[0]: a, ITEMS[1]: 3}
        for p, answers in (("A", [3] * 10 + [DONT_KNOW] * 2), ("B", [DONT_KNOW] * 2), ("C", [DONT_KNOW] * 2))
        for a in answers
    ]
)


def answered_of(respondents: pd.DataFrame) -> dict[tuple[str, str], int]:
    """(faculty/programme, item) -> respondents who gave it an answer, "vet ikke" included."""
    out = {}
    for (faculty, programme), rows in respondents.groupby(["fakultetskode", "studprog_kod"]):
        for item in ITEMS:
            out[f"{faculty}/{programme}", item] = int(rows[item].notna().sum())
    return out


@hsettings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(respondents=hierarchies(), min_n=st.integers(2, 6))
@example(respondents=TWO_WITH_VET_IKKE_ALONE, min_n=5)
def test_no_vet_ikke_count_of_too_few_is_recovered_from_the_published_tables(tmp_path_factory, respondents, min_n):
    """Published through ``kvalitet survey --out`` (the real output path), read back, attacked.
    Random hierarchies seldom have every hidden programme of a faculty without valid answers
    (one small programme with an answer among them and their count is not one group's): the
    example is such a faculty, whose count rule 2 guards (without it, 600 less A gave B and C's
    4 "vet ikke" together)."""
    out = published(tmp_path_factory, respondents, min_n)
    assert not dont_know_attack(pd.read_parquet(out), min_n, answered_of(respondents))


def test_the_vet_ikke_attack_finds_a_count_a_faculty_less_its_shown_programme_gives():
    """The attack is not toothless: faculty 600's 3 "vet ikke" less A's shown 1 give B's 2, B
    hidden with "vet ikke" alone (2 < 5 answered at all), were A shown beside it; and where B had
    one respondent and C, hidden too, four (5 together: no outsider parts them), B's respondent
    gets C's count as the faculty less A less their own."""
    items = pd.DataFrame(
        {
            "year": 2024,
            "item": ITEMS[0],
            "level": ["faculty", "programme", "programme"],
            "faculty_code": ["600"] * 3,
            "unit_code": ["600", "A", "B"],
            "dont_know": [3, 1, np.nan],
        }
    )
    answered = {("600/A", ITEMS[0]): 12, ("600/B", ITEMS[0]): 2}
    assert dont_know_attack(items, 5, answered) == [f"2024 {ITEMS[0]}: the 'vet ikke' of 600/B is recovered"]
    insider = pd.concat([items, items.iloc[[2]].assign(unit_code="C")], ignore_index=True)
    answered |= {("600/B", ITEMS[0]): 1, ("600/C", ITEMS[0]): 4}
    assert dont_know_attack(insider, 5, answered) == [
        f"2024 {ITEMS[0]}: the one respondent of 600/B gets the 'vet ikke' of ('600/C',)"
    ]

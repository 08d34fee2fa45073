"""The words of a unit judged on an interval, in full, in both languages (analysis.gender_reasons).

Each reason of a unit judged on an interval has a ``_decided`` twin that ends, in place of what
the undecided one says of its answer, with "the status is the same across the whole interval":
the module writes that end once. These strings are written out here by hand, whole, from the
policy in the docstring of :mod:`analysis.metrics.gender` (a sum's women are an interval of
``[known women, known women + suppressed students]``; a unit whose parts contradict it has its
women anywhere from 0 to its total; the status is decided iff every number of women in the
interval gives the same one), so that a change in how the texts are put together that changes
one character of what an adviser reads fails here.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.gender_reasons import REASON_COLUMNS, reason_words
from analysis.metrics.gender import gender_flags_all_levels
from analysis.settings import GenderSettings
from tests.test_rule_boundaries import counts, observations, suppressed


def interval_row(
    inside: str, units: int, low: int, high: int, total: int, status: str, *, disagree: bool, hidden: int = 0
) -> dict:
    """A gender flags row judged on an interval: ``units`` parts of kind ``inside`` masked, holding
    ``hidden`` students, women between ``low`` and ``high`` of ``total``."""
    row = dict.fromkeys(REASON_COLUMNS)
    row.update(
        total=total,
        status=status,
        suppressed_inside=inside,
        suppressed_units=units,
        suppressed_total=hidden,
        categories_disagree=disagree,
        women_low=low,
        women_high=high,
    )
    return row


CASES = [
    # faculty 110: its two departments masked, 3 and 12 students: women 0–15 of 15; the smaller
    # count can be 0 (flagged) or 7 (7/15 = 46.7 %: ok): undecided
    (
        "interval",
        interval_row("department", 2, 0, 15, 15, "unknown", disagree=False, hidden=15),
        "2 skjermede enheter med 15 studenter inni: kvinner mellom 0 og 15 av 15, og svaret avhenger av de "
        "skjermede tallene",
        "2 suppressed units with 15 students inside: women between 0 and 15 of 15, and the answer depends on the "
        "suppressed counts",
    ),
    # faculty 120: 10 women and 90 men shown, a department of 5 masked: women 10–15 of 105, at
    # most 15/105 = 14.3 % < 40 %: flagged whatever the 5 are
    (
        "interval decided",
        interval_row("department", 1, 10, 15, 105, "flagged", disagree=False, hidden=5),
        "1 skjermet enhet med 5 studenter inni: kvinner mellom 10 og 15 av 105; statusen er den samme i hele "
        "intervallet",
        "1 suppressed unit with 5 students inside: women between 10 and 15 of 105; the status is the same across "
        "the whole interval",
    ),
    # a department's row of all categories (3211) beside category rows that add up to more, one
    # masked: women anywhere in 0–3211, the smaller count 0 (flagged) to 1605 (ok): undecided
    (
        "categories disagree",
        interval_row("student_category", 1, 0, 3211, 3211, "unknown", disagree=True),
        "tallene for alle studentkategorier sammen stemmer ikke med tallene for hver kategori (en kategori har "
        "flere kvinner eller menn enn alle til sammen; DBH har trolig revidert tallene mellom nedlastingene), og "
        "1 skjermet studentkategori: kvinner mellom 0 og 3211 av 3211, og svaret er ukjent",
        "the figures of all student categories together do not agree with those of each category (a category has "
        "more women or men than all of them together; DBH probably revised the figures between the downloads), "
        "and 1 suppressed student category: women between 0 and 3211 of 3211, and the answer is not known",
    ),
    # women anywhere in 0 to the total decide the status only for a total of 1 (the smaller
    # count is 0 whatever: flagged)
    (
        "categories disagree decided",
        interval_row("student_category", 1, 0, 1, 1, "flagged", disagree=True),
        "tallene for alle studentkategorier sammen stemmer ikke med tallene for hver kategori (en kategori har "
        "flere kvinner eller menn enn alle til sammen; DBH har trolig revidert tallene mellom nedlastingene), og "
        "1 skjermet studentkategori: kvinner mellom 0 og 1 av 1; statusen er den samme i hele intervallet",
        "the figures of all student categories together do not agree with those of each category (a category has "
        "more women or men than all of them together; DBH probably revised the figures between the downloads), "
        "and 1 suppressed student category: women between 0 and 1 of 1; the status is the same across the whole "
        "interval",
    ),
    # 210630's spring and autumn added (303 women of 505) beside its spring (300 of 500) and its
    # masked autumn (5): women 300–305, at least 300/505 = 59.4 % (ok, the smaller count men
    # 200–205 of 505: 39.6 %–40.6 %): undecided
    (
        "semesters",
        interval_row("semester", 1, 300, 305, 505, "unknown", disagree=False, hidden=5),
        "1 skjermet semester med 5 studenter inni: kvinner mellom 300 og 305 av 505, og svaret avhenger av de "
        "skjermede tallene",
        "1 suppressed semester with 5 students inside: women between 300 and 305 of 505, and the answer depends on "
        "the suppressed counts",
    ),
    # a row of the semesters added beside two semesters masked, 3 and 12 students: women 0–15
    (
        "semesters plural",
        interval_row("semester", 2, 0, 15, 15, "unknown", disagree=False, hidden=15),
        "2 skjermede semestre med 15 studenter inni: kvinner mellom 0 og 15 av 15, og svaret avhenger av de "
        "skjermede tallene",
        "2 suppressed semesters with 15 students inside: women between 0 and 15 of 15, and the answer depends on "
        "the suppressed counts",
    ),
    # a row of the semesters added whose spring has more women than it: women anywhere in 0–505
    (
        "semesters disagree",
        interval_row("semester", 1, 0, 505, 505, "unknown", disagree=True),
        "tallene for semestrene sammen stemmer ikke med tallene for hvert semester (et semester har flere kvinner "
        "eller menn enn alle til sammen; DBH har trolig revidert tallene mellom nedlastingene), og 1 skjermet "
        "semester: kvinner mellom 0 og 505 av 505, og svaret er ukjent",
        "the figures of the semesters together do not agree with those of each semester (a semester has more "
        "women or men than all of them together; DBH probably revised the figures between the downloads), and 1 "
        "suppressed semester: women between 0 and 505 of 505, and the answer is not known",
    ),
    # 210630 without a filter (303 women of 505) beside its Nivåkode B3 (300 of 500) and its
    # masked M2 (5): women 300–305 of 505, undecided
    (
        "filter values",
        interval_row("filter_value", 1, 300, 305, 505, "unknown", disagree=False, hidden=5),
        "1 skjermet filterverdi med 5 studenter inni: kvinner mellom 300 og 305 av 505, og svaret avhenger av de "
        "skjermede tallene",
        "1 suppressed filter value with 5 students inside: women between 300 and 305 of 505, and the answer "
        "depends on the suppressed counts",
    ),
    (
        "filter values plural",
        interval_row("filter_value", 2, 0, 15, 15, "unknown", disagree=False, hidden=15),
        "2 skjermede filterverdier med 15 studenter inni: kvinner mellom 0 og 15 av 15, og svaret avhenger av de "
        "skjermede tallene",
        "2 suppressed filter values with 15 students inside: women between 0 and 15 of 15, and the answer depends "
        "on the suppressed counts",
    ),
    (
        "filter values disagree",
        interval_row("filter_value", 1, 0, 505, 505, "unknown", disagree=True),
        "tallene uten filteret stemmer ikke med tallene for hver verdi av det (en verdi har flere kvinner eller "
        "menn enn alle til sammen; DBH har trolig revidert tallene mellom nedlastingene), og 1 skjermet "
        "filterverdi: kvinner mellom 0 og 505 av 505, og svaret er ukjent",
        "the figures without the filter do not agree with those of each of its values (a value has more women or "
        "men than all of them together; DBH probably revised the figures between the downloads), and 1 "
        "suppressed filter value: women between 0 and 505 of 505, and the answer is not known",
    ),
    # a department of 25 women and 35 men beside a programme of 30 women and 20 men and a masked
    # one: women anywhere in 0–60, undecided
    (
        "programmes disagree",
        interval_row("programme", 1, 0, 60, 60, "unknown", disagree=True),
        "tallene for enheten stemmer ikke med tallene for hvert studieprogram (et studieprogram har flere kvinner "
        "eller menn enn enheten; DBH har trolig revidert tallene mellom nedlastingene), og 1 skjermet "
        "studieprogram: kvinner mellom 0 og 60 av 60, og svaret er ukjent",
        "the unit's figures do not agree with those of each study programme (a programme has more women or men "
        "than the unit; DBH probably revised the figures between the downloads), and 1 suppressed study "
        "programme: women between 0 and 60 of 60, and the answer is not known",
    ),
    (
        "programmes disagree decided",
        interval_row("programme", 2, 0, 1, 1, "flagged", disagree=True),
        "tallene for enheten stemmer ikke med tallene for hvert studieprogram (et studieprogram har flere kvinner "
        "eller menn enn enheten; DBH har trolig revidert tallene mellom nedlastingene), og 2 skjermede "
        "studieprogrammer: kvinner mellom 0 og 1 av 1; statusen er den samme i hele intervallet",
        "the unit's figures do not agree with those of each study programme (a programme has more women or men "
        "than the unit; DBH probably revised the figures between the downloads), and 2 suppressed study "
        "programmes: women between 0 and 1 of 1; the status is the same across the whole interval",
    ),
    # faculty 210 of that department alone: women 0–3211 of 3211, undecided
    (
        "disagree inside",
        interval_row("department", 1, 0, 3211, 3211, "unknown", disagree=True),
        "for minst én enhet inni stemmer ikke enhetens tall med tallene for delene (studentkategoriene eller "
        "studieprogrammene; DBH har trolig revidert tallene mellom nedlastingene; enhetens kvinner kan være hvor "
        "som helst i totalen), og 1 skjermet enhet: kvinner mellom 0 og 3211 av 3211, og svaret er ukjent",
        "for at least one unit inside, its figures do not agree with those of its parts (student categories or "
        "study programmes; DBH probably revised the figures between the downloads; that unit's women may be "
        "anywhere in its total), and 1 suppressed unit: women between 0 and 3211 of 3211, and the answer is not "
        "known",
    ),
    # a department's category S of 55 beside its category P of 5 masked, its programmes giving all
    # its categories added (60, with 25 women): S's women 20–25 of 55, the smaller count 20
    # (36.4 %: flagged) to 25 (45.5 %: ok): undecided
    (
        "categories beside",
        interval_row("category_beside", 1, 20, 25, 55, "unknown", disagree=False, hidden=5),
        "1 skjermet studentkategori med 5 studenter ved siden av i samme enhet, og studieprogrammenes tall gir "
        "enhetens tall for alle studentkategorier sammen (minus denne kategorien ville de gitt det skjermede "
        "tallet): kvinner mellom 20 og 25 av 55, og svaret avhenger av de skjermede tallene",
        "1 suppressed student category with 5 students beside it in the same unit, and the study programmes' "
        "figures give the unit's figures of all student categories together (less this category they would give "
        "the masked figure): women between 20 and 25 of 55, and the answer depends on the suppressed counts",
    ),
    # and with 20 women in the programmes: 15–20 of 55, at most 20/55 = 36.4 % < 40 %: flagged
    (
        "categories beside decided",
        interval_row("category_beside", 1, 15, 20, 55, "flagged", disagree=False, hidden=5),
        "1 skjermet studentkategori med 5 studenter ved siden av i samme enhet, og studieprogrammenes tall gir "
        "enhetens tall for alle studentkategorier sammen (minus denne kategorien ville de gitt det skjermede "
        "tallet): kvinner mellom 15 og 20 av 55; statusen er den samme i hele intervallet",
        "1 suppressed student category with 5 students beside it in the same unit, and the study programmes' "
        "figures give the unit's figures of all student categories together (less this category they would give "
        "the masked figure): women between 15 and 20 of 55; the status is the same across the whole interval",
    ),
    # department 271720 (20 women of 60) beside programmes placed in no department (no table 347),
    # MTB of 10 masked among them: its own figures withheld, women anywhere from 0 to its 60
    (
        "unplaced",
        interval_row("unplaced_programme", 1, 0, 60, 60, "unknown", disagree=False, hidden=60),
        "1 skjermet studieprogram ved siden av enheten kan ikke plasseres i eller utenfor den (tabell 347 gir "
        "ikke ett institutt, eller institusjonen er ukjent), og enheten minus de andre studieprogrammene ville "
        "gitt det skjermede tallet: kvinnene blant 60 studenter er ukjent, mellom 0 og 60 av 60, og svaret er "
        "ukjent (legg DBH-tabell 347 i datamappen, og gi hver fil institusjonskoden)",
        "1 suppressed study programme beside the unit cannot be placed in it or outside it (table 347 gives no "
        "one department, or the institution is not known), and the unit less the other study programmes would "
        "give the masked figure: the women of 60 students are not known, between 0 and 60 of 60, and the answer "
        "is not known (put DBH table 347 in the data folder, and give each file its institution code)",
    ),
    # its category S of 55 beside its masked category P of 5, and programmes placed in no
    # department (all shown) that may add up to S and P: S withheld, women anywhere from 0 to 55
    (
        "unplaced beside",
        interval_row("category_beside_unplaced", 1, 0, 55, 55, "unknown", disagree=False, hidden=55),
        "1 skjermet studentkategori ved siden av i samme enhet, og studieprogrammer som ikke kan plasseres i eller "
        "utenfor enheten (tabell 347 gir ikke ett institutt, eller institusjonen er ukjent), kan gi enhetens tall "
        "for alle studentkategorier sammen (minus de viste kategoriene ville de gitt det skjermede tallet): "
        "kvinnene blant 55 studenter er ukjent, mellom 0 og 55 av 55, og svaret er ukjent (legg DBH-tabell 347 i "
        "datamappen, og gi hver fil institusjonskoden)",
        "1 suppressed student category beside it in the same unit, and study programmes that cannot be placed in "
        "the unit or outside it (table 347 gives no one department, or the institution is not known) may give the "
        "unit's figures of all student categories together (less the categories shown they would give the masked "
        "figure): the women of 55 students are not known, between 0 and 55 of 55, and the answer is not known (put "
        "DBH table 347 in the data folder, and give each file its institution code)",
    ),
    # and with a department of 100 women and 9000 men beside it: women 100–3311 of 12311, at most
    # 3311/12311 = 26.9 % < 40 %: flagged whatever
    (
        "disagree inside decided",
        interval_row("department", 1, 100, 3311, 12311, "flagged", disagree=True),
        "for minst én enhet inni stemmer ikke enhetens tall med tallene for delene (studentkategoriene eller "
        "studieprogrammene; DBH har trolig revidert tallene mellom nedlastingene; enhetens kvinner kan være hvor "
        "som helst i totalen), og 1 skjermet enhet: kvinner mellom 100 og 3311 av 12311; statusen er den samme i "
        "hele intervallet",
        "for at least one unit inside, its figures do not agree with those of its parts (student categories or "
        "study programmes; DBH probably revised the figures between the downloads; that unit's women may be "
        "anywhere in its total), and 1 suppressed unit: women between 100 and 3311 of 12311; the status is the "
        "same across the whole interval",
    ),
]


@pytest.mark.parametrize(
    ("row", "lang", "words"),
    [(row, lang, words) for _, row, nb, en in CASES for lang, words in (("nb", nb), ("en", en))],
    ids=[f"{case} ({lang})" for case, *_ in CASES for lang in ("nb", "en")],
)
def test_a_unit_judged_on_an_interval_is_worded_in_full(row, lang, words):
    assert reason_words(row, lang) == words


def test_the_flags_of_the_metric_are_worded_so():
    """The same words of the metric's own flags rows: faculties 110 (open) and 120 (decided) of
    the cases above, department 210630 whose categories disagree (open), and faculty 210 with it
    and department 210100 inside (decided). The flags' English ``reason`` is written for a unit
    whose status is unknown only; the report words every row judged on an interval."""
    autumn = dict(semester="autumn")
    rows = [
        suppressed(3, unit_code="110200"),
        suppressed(12, unit_code="110100"),
        counts(10, 90, unit_code="120100"),
        suppressed(5, unit_code="120200"),
        suppressed(5, unit_code="210630", student_category="P", **autumn),
        counts(2204, 1004, unit_code="210630", student_category="S", **autumn),
        counts(2208, 1003, unit_code="210630", student_category="all", **autumn),
        counts(100, 9000, unit_code="210100", student_category="all", **autumn),
    ]
    obs = observations(rows)
    obs["measure_filter"] = None
    flags = gender_flags_all_levels(obs, GenderSettings())
    texts = {case: (nb, en) for case, _, nb, en in CASES}
    for level, unit, category, case in (
        ("faculty", "110", None, "interval"),
        ("faculty", "120", None, "interval decided"),
        ("department", "210630", "all", "categories disagree"),
        ("faculty", "210", "all", "disagree inside decided"),
    ):
        mine = (flags["level"] == level) & (flags["unit_code"] == unit)
        mine &= flags["student_category"].isna() if category is None else flags["student_category"] == category
        (index,) = flags.index[mine]
        flag = flags.loc[index]
        nb, en = texts[case]
        assert (reason_words(flag, "nb"), reason_words(flag, "en")) == (nb, en), case
        if flag["status"] == "unknown":
            assert flag["reason"] == en, case
        else:
            assert pd.isna(flag["reason"]), case


def test_a_category_beside_a_masked_one_of_the_metric_is_worded_so():
    """Department 271720's category S beside its masked category P of 5 and its programmes MTA
    and MTB with the categories added: S is judged on the interval P leaves. S 20 women and 35
    men, the programmes 20 women and 40 men (13 and 37, 7 and 3): 15 to 20 women of 55, flagged
    whatever (the decided case above); S 22 and 33, the programmes 25 and 35 (18 and 32, 7 and
    3): 20 to 25 of 55, undecided."""
    autumn = dict(semester="autumn")
    for s, mta, case in (
        ((20, 35), (13, 37), "categories beside decided"),
        ((22, 33), (18, 32), "categories beside"),
    ):
        programme = dict(level="programme", department_code="271720", student_category="all", **autumn)
        rows = [
            counts(*s, unit_code="271720", student_category="S", **autumn),
            suppressed(5, unit_code="271720", student_category="P", **autumn),
            counts(*mta, unit_code="MTA", **programme),
            counts(7, 3, unit_code="MTB", **programme),
        ]
        obs = observations(rows)
        obs["measure_filter"] = None
        flags = gender_flags_all_levels(obs, GenderSettings())
        mine = (flags["level"] == "department") & (flags["student_category"] == "S")
        (index,) = flags.index[mine]
        flag = flags.loc[index]
        nb, en = {case: (nb, en) for case, _, nb, en in CASES}[case]
        assert (reason_words(flag, "nb"), reason_words(flag, "en")) == (nb, en), case
        if flag["status"] == "unknown":
            assert flag["reason"] == en, case
        else:
            assert pd.isna(flag["reason"]), case


def test_a_sum_with_a_row_of_0_students_inside_is_worded_with_its_ranges():
    """A faculty of a department of 40 women and 60 men and one DBH writes as 0 students (0 to
    2): its students 100 to 102, its women 40 to 42 (40 of 100 is 40 %, 40 of 102 below: not
    known); and a faculty of two rows of 0 only, 0 to 4 students. Written by hand from the policy
    (the gender docstring: a row of 0 holds 0 to 2 students, a masked unit inside a sum)."""
    rows = [
        counts(0, 0, unit_code="271520", year=2023),
        counts(40, 60, unit_code="271530", year=2023),
        counts(0, 0, unit_code="272420", year=2023),
        counts(0, 0, unit_code="272425", year=2023),
    ]
    obs = observations(rows)
    obs["measure_filter"] = None
    flags = gender_flags_all_levels(obs, GenderSettings()).query("level == 'faculty'").set_index("unit_code")
    assert reason_words(flags.loc["271"], "nb") == (
        "1 skjermet enhet med 0–2 studenter inni: kvinner mellom 40 og 42 av 100–102, og svaret avhenger av de "
        "skjermede tallene"
    )
    assert flags.loc["271", "reason"] == (
        "1 suppressed unit with 0–2 students inside: women between 40 and 42 of 100–102, and the answer depends on "
        "the suppressed counts"
    )
    assert reason_words(flags.loc["272"], "nb") == "0–4 studenter: DBH viser færre enn 3 studenter som 0 (skjermet)"
    assert flags.loc["272", "reason"] == "0–4 students: DBH shows fewer than 3 students as 0 (suppressed)"


def test_a_category_beside_unplaced_programmes_of_the_metric_is_worded_so():
    """Department 271720's category S (20 women and 35 men) beside its masked category P of 5 and
    programmes MTA and MTB with the categories added (13 and 37, 7 and 3) that name no department
    (no table 347): S is withheld, 0 to 55 women (the "unplaced beside" case above); and the
    department's row of 60 beside MTA shown and MTB masked, placed nowhere: 0 to 60 ("unplaced")."""
    autumn = dict(semester="autumn")
    programme = dict(level="programme", student_category="all", **autumn)
    texts = {case: (nb, en) for case, _, nb, en in CASES}
    for rows, category, case in (
        (
            [
                counts(20, 35, unit_code="271720", student_category="S", **autumn),
                suppressed(5, unit_code="271720", student_category="P", **autumn),
                counts(13, 37, unit_code="MTA", **programme),
                counts(7, 3, unit_code="MTB", **programme),
            ],
            "S",
            "unplaced beside",
        ),
        (
            [
                counts(20, 40, unit_code="271720", student_category="all", **autumn),
                counts(18, 32, unit_code="MTA", **programme),
                suppressed(10, unit_code="MTB", **programme),
            ],
            "all",
            "unplaced",
        ),
    ):
        obs = observations(rows)
        obs["measure_filter"] = None
        flags = gender_flags_all_levels(obs, GenderSettings())
        mine = (flags["level"] == "department") & (flags["student_category"] == category)
        (index,) = flags.index[mine]
        flag = flags.loc[index]
        assert (reason_words(flag, "nb"), reason_words(flag, "en")) == texts[case], case
        assert flag["reason"] == texts[case][1], case

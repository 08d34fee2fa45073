"""What the source suppressed is said once, by the gender flags, and read by the report.

A unit's own cell the source masked (DBH's small cell, or no gender split) is not an interval;
a unit judged on masked cells inside it (a sum of departments, a row of the student categories
added beside its categories or programmes) is. The flags stage writes which: ``suppression``
(why its own cell) or ``suppressed_inside`` (what is inside), never both
(``schemas.flags.SUPPRESSED_BY_SOURCE``). Before, "Om tallene", the reason words and notebook
01's list of masked cells each worked it out again, and agreed only on the departments DBH's
table 123 by department gives: a masked study programme was left out of notebook 01's list, and a
masked row of a whole institution was worded as an interval of one masked unit inside itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis import paths, pipeline
from analysis.charts.labels import LABELS, label
from analysis.errors import InputError, validate_frame
from analysis.metrics.gender import gender_flags_all_levels
from analysis.report.about import suppression_rule
from analysis.report.notebook import suppressed_cells
from analysis.report.tables import reason_words
from analysis.settings import GenderSettings, load_settings
from analysis.words import counted
from schemas.common import SUPPRESSED_INSIDE
from schemas.flags import GenderFlags
from tests.test_rule_boundaries import counts, observation, observations, suppressed


@pytest.fixture(scope="module")
def flags() -> pd.DataFrame:
    """Faculty 110 of NTNU in 2022: department 110100 with 30 women and 50 men, department
    110200 masked (9 students); a study programme P1 of no department masked (7 students); and
    a source's row of a whole institution, 0999, masked (12 students)."""
    return gender_flags_all_levels(
        observations(
            [
                counts(30, 50, unit_code="110100"),
                suppressed(9, unit_code="110200"),
                suppressed(7, level="programme", unit_code="P1", unit_name="P1"),
                suppressed(12, level="institution", institution_code="0999", unit_code="0999"),
            ]
        ),
        GenderSettings(),
    )


def row(flags: pd.DataFrame, level: str, unit: str) -> pd.Series:
    (index,) = flags.index[(flags["level"] == level) & (flags["unit_code"] == unit)]
    return flags.loc[index]


def test_the_flags_say_whose_own_cell_the_source_masked_and_what_is_masked_inside(flags):
    own = flags.loc[flags["suppression"].notna(), ["level", "unit_code"]]
    assert set(map(tuple, own.to_numpy())) == {("department", "110200"), ("programme", "P1"), ("institution", "0999")}
    inside = flags.loc[flags["suppressed_inside"].notna(), ["level", "unit_code", "suppressed_inside"]]
    # faculty 110 and institution 1150 are sums with department 110200 inside
    assert set(map(tuple, inside.to_numpy())) == {
        ("faculty", "110", "department"),
        ("institution", "1150", "department"),
    }


def test_notebook_01_lists_every_unit_whose_own_cell_the_source_masked(flags):
    """Before, only departments: the masked programme and institution were left out."""
    listed = suppressed_cells(SimpleNamespace(flags=flags), "nb")
    assert sorted(listed["Kode"]) == ["0999", "110200", "P1"]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_masked_row_of_a_whole_institution_is_worded_as_masked_not_as_an_interval(flags, lang):
    """Before: "1 skjermet enhet med 12 studenter inni: kvinner mellom 0 og 12 av 12" (the level
    alone said whether a row's own cell was masked)."""
    for level, unit, total in (("institution", "0999", 12), ("programme", "P1", 7), ("department", "110200", 9)):
        words = reason_words(row(flags, level, unit), lang)
        assert words == label("reason_suppressed", lang, total=counted(total, "student", lang)), (unit, words)


def test_om_tallene_tells_an_interval_for_the_sums_alone(flags):
    """The masked institution row and programme are no interval; the faculty and the
    institution 1150 (sums with a masked department inside) are."""
    rule = suppression_rule(flags, 2022, "en")
    words = label("about_gender_inside_faculty", "en"), label("about_gender_inside_institution", "en")
    expected = label(
        "about_gender_interval_sums", "en", sums=f" {label('about_gender_or', 'en')} ".join(words), added=""
    )
    assert expected in rule
    for level in ("department", "programme"):
        assert label(f"about_gender_inside_{level}", "en") not in rule


@pytest.mark.parametrize(
    "change",
    [
        # a unit's own cell and cells inside it at once
        {"suppressed_inside": "department"},
        # suppressed units that are neither
        {"suppression": None},
        # a reason without a suppressed unit
        {"suppressed_units": 0},
    ],
)
def test_the_contract_refuses_flags_that_say_two_things_of_what_is_masked(flags, change):
    broken = flags.copy()
    index = row(flags, "department", "110200").name
    for column, value in change.items():
        broken.loc[index, column] = value
    with pytest.raises(InputError, match="suppressed units that are neither"):
        validate_frame(broken, GenderFlags, "flags.parquet", table=True)


@pytest.fixture
def raw(tmp_path) -> Path:
    folder = tmp_path / "data" / "raw"
    folder.mkdir(parents=True)
    for name in ("dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv", "dbh_t210_ntnu_fakultetskoder.csv"):
        shutil.copy(paths.RAW / name, folder / name)
    return folder


@pytest.mark.parametrize("column", ["suppressed_inside", "suppression", "suppressed_units"])
def test_the_report_refuses_a_flags_table_without_what_the_source_suppressed(raw, column):
    """A flags table of an older version (or made by hand) without the columns was read as
    "nothing suppressed": "Om tallene" told no interval and notebook 01 listed no masked cell."""
    from analysis.report.data import load_report_data

    settings = load_settings()
    stages = pipeline.run(raw, settings, progress=lambda line: None)
    table = stages.derived / "gender_flags.parquet"
    flags = pd.read_parquet(table)
    assert flags["suppressed_inside"].notna().any() and flags["suppression"].notna().any()
    flags.drop(columns=column).to_parquet(table, index=False)
    with pytest.raises(InputError) as err:
        load_report_data(raw, None, "1150", settings=settings)
    (problem,) = err.value.problems
    assert (problem.file, problem.column, problem.message) == (str(table), column, "required column is missing")


def test_the_flags_reason_is_the_report_s_english_words_for_every_kind_of_unknown_unit():
    """Before, the metric wrote its own English reasons beside the report's labels, and they had
    drifted: "counts suppressed by the source (…): women and men unknown" where the report said
    "women and men suppressed by the source (…)", "1 suppressed department … the outcome differs
    within that range" where it said "1 suppressed unit … the answer depends on the suppressed
    counts". Now one text (analysis.gender_reasons), for every kind of unknown unit."""
    rows = [
        counts(0, 0, unit_code="170100"),  # total 0: 0 to 2 students
        suppressed(3, unit_code="110200"),  # a small cell
        suppressed(12, unit_code="110100", suppression="no_gender_split"),
        # faculty 110: both departments hidden, an interval; a share of nobody
        observation(level="programme", unit_code="X", total=100, women=40),
        # a department's categories contradicting its row of them all, one category masked, and
        # faculty 210's sum with it inside
        suppressed(5, unit_code="210630", semester="autumn", student_category="P"),
        counts(2204, 1004, unit_code="210630", semester="autumn", student_category="S"),
        counts(2208, 1003, unit_code="210630", semester="autumn", student_category="all"),
    ]
    obs = observations(rows)
    obs["measure_filter"] = None
    flags = gender_flags_all_levels(obs, GenderSettings())
    unknown = flags[flags["status"] == "unknown"]
    keys = {
        key
        for key, texts in LABELS.items()
        if key.startswith("reason_")
        for reason in unknown["reason"]
        if reason.startswith(texts["en"].split("{")[0]) and texts["en"].split("{")[0]
    }
    # every kind: empty, small cell, no split, an interval, a row's categories disagreeing, a sum
    # with such a row inside, no counts or share (an interval begins with its count: no prefix)
    assert {
        "reason_empty",
        "reason_suppressed",
        "reason_no_split",
        "reason_categories_disagree",
        "reason_disagree_inside",
        "reason_no_gender",
    } <= keys, keys
    assert unknown["reason"].str.contains("suppressed units with 15 students inside").any()
    # the words, as the policy docstring gives them, for the rows whose figures are worked out by
    # hand: 3 and 12 students masked in faculty 110's two departments (0 to 15 women of 15), and
    # a total of 0 (0 to 2 students, never "no students")
    reasons = unknown.set_index("unit_code")["reason"]
    assert reasons["110200"] == "women and men suppressed by the source (small cell, 3 students)"
    assert reasons["110100"] == "the source reports no gender split for this unit (12 students): women and men unknown"
    assert reasons["170100"] == "0–2 students: DBH shows fewer than 3 students as 0 (suppressed)"
    assert reasons["110"] == (
        "2 suppressed units with 15 students inside: women between 0 and 15 of 15, and the answer depends on the "
        "suppressed counts"
    )


def department_beside_programmes(masked: int, shown: tuple[int, int], department: tuple[int, int]) -> pd.DataFrame:
    """The flags of department 170100 (autumn 2022, category S: ``department`` women and men)
    beside its programme MTA (``shown``) and ``masked`` programmes DBH masked (10 students
    each), all naming the department (DBH table 123 by Studieprogramkode)."""
    where = dict(year=2022, semester="autumn", student_category="S")
    rows = [
        counts(*department, unit_code="170100", **where),
        counts(*shown, level="programme", unit_code="MTA", department_code="170100", **where),
    ]
    rows += [
        suppressed(10, level="programme", unit_code=f"MT{k}", department_code="170100", **where) for k in range(masked)
    ]
    obs = observations(rows)
    obs["measure_filter"] = None
    return gender_flags_all_levels(obs, GenderSettings())


@pytest.mark.parametrize(
    ("masked", "shown", "department", "nb", "en"),
    [
        # one masked programme: women between 18 and 28 of 60, the answer open
        (
            1,
            (18, 32),
            (20, 40),
            "1 skjermet studieprogram med 10 studenter inni: kvinner mellom 18 og 28 av 60, og svaret avhenger",
            "1 suppressed study programme with 10 students inside: women between 18 and 28 of 60, and the answer",
        ),
        # two: women between 30 and 50 of 100
        (
            2,
            (30, 50),
            (40, 60),
            "2 skjermede studieprogrammer med 20 studenter inni: kvinner mellom 30 og 50 av 100",
            "2 suppressed study programmes with 20 students inside: women between 30 and 50 of 100",
        ),
        # the shown programme has more women than the department: its parts disagree with it
        (
            1,
            (30, 20),
            (25, 35),
            "DBH har trolig revidert tallene mellom nedlastingene), og 1 skjermet studieprogram: kvinner mellom 0 og "
            "60 av 60",
            "DBH probably revised the figures between the downloads), and 1 suppressed study programme: women "
            "between 0 and 60 of 60",
        ),
    ],
)
def test_masked_study_programmes_inside_a_department_are_named_study_programmes(masked, shown, department, nb, en):
    """Where the hidden parts are study programmes the words said "1 skjermet enhet" / "1
    suppressed unit" (and, since the flags' English reason is the report's words, so did the
    reason, where the metric's own text had said "1 suppressed study programme"): they name
    the programmes, in number."""
    flags = department_beside_programmes(masked, shown, department)
    unit = row(flags, "department", "170100")
    assert unit["suppressed_inside"] == "programme" and unit["status"] == "unknown"
    assert nb in reason_words(unit, "nb")
    assert en in reason_words(unit, "en")
    assert en in unit["reason"]
    # the faculty summing the department has a department inside, a unit: unchanged
    assert counted(masked, "suppressed_unit", "nb") in reason_words(row(flags, "faculty", "170"), "nb")


@pytest.mark.parametrize("inside", SUPPRESSED_INSIDE)
def test_every_kind_of_masked_part_has_its_noun_in_both_languages(inside):
    """What a flags row may say is inside (schemas.common.SUPPRESSED_INSIDE) has words: a value
    added there without a noun would fail as the reason is written, not read as a unit."""
    unit = {
        "total": 60,
        "status": "unknown",
        "suppression": None,
        "suppressed_inside": inside,
        "suppressed_units": 2,
        "suppressed_total": 10,
        "categories_disagree": False,
        "women_low": 20,
        "women_high": 30,
        "share_women": None,
    }
    words = {lang: reason_words(pd.Series(unit), lang) for lang in ("nb", "en")}
    assert words["nb"].startswith("2 skjermede ") and words["en"].startswith("2 suppressed "), words
    assert all("10 " in text and "20" in text and "30" in text and "60" in text for text in words.values()), words


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_om_tallene_says_a_department_beside_a_masked_programme_is_an_interval_by_its_programmes(lang):
    """A department judged on the interval its programmes leave (one masked) was told in "Om
    tallene" as a row of the student categories added with a masked category inside: the rule
    read the level, where the flags say what is inside (``suppressed_inside``: programme)."""
    flags = department_beside_programmes(1, (18, 32), (20, 40))
    rule = suppression_rule(flags, 2022, lang)
    department = label("about_gender_inside_department", lang)
    assert label("about_gender_interval_programmes", lang, parts=department) in rule, rule
    # no student category is masked: neither the categories' sentence nor its half of "both"
    assert "studentkategori" not in rule and "student categor" not in rule, rule
    assert label("about_gender_interval_judged", lang) in rule

""" "Om tallene": the report's last section says which rule made each kind of number, with the
values of the settings the report was made with, and lists every source once with its date.

A committee reads the report without the code: before, the rules (40 % exactly is not below
40 %, a masked cell is unknown, how the trend is called) stood only in the code and the README.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pandas as pd
import pytest

from analysis import paths
from analysis.charts.labels import confidence_levels
from analysis.report.about import ABOUT_LIST, about_section
from analysis.report.data import load_report_data


@pytest.fixture(scope="module")
def data():
    return load_report_data(paths.RAW, None, "1150")


def rules_of(blocks: list[dict]) -> list[str]:
    return next(b["items"] for b in blocks if b.get("id") == ABOUT_LIST)


def test_the_gender_rules_carry_the_threshold_and_trend_settings(data):
    gender = replace(data.settings.gender, threshold=Fraction(375, 1000), trend_window_years=4, trend_flat_pp=0.5)
    blocks = about_section(replace(data, settings=replace(data.settings, gender=gender)), "nb")
    rules = rules_of(blocks)
    assert rules[0] == (
        "Skjev kjønnsbalanse: det underrepresenterte kjønnet er under 37,5 % av kvinnene og mennene i enheten. "
        "37,5 % er ikke under 37,5 %: andelen sammenlignes eksakt med terskelen, ikke avrundet."
    )
    assert any("når 37,5 %, med det andre kjønnet uendret" in r for r in rules)
    assert any("over de siste 4 årene til og med rapportåret; mindre enn 0,5 prosentpoeng per år" in r for r in rules)
    assert any("ukjente, ikke 0" in r for r in rules)


def test_the_gender_rules_say_what_borderline_means_at_the_confidence_level_set(data):
    """The workbook's "Grensetilfelle" column was explained nowhere; the rule names the interval
    at the confidence level of the settings (0.9 here: "90 %") and the rounded shares."""
    gender = replace(data.settings.gender, confidence_level=0.9)
    rules = rules_of(about_section(replace(data, settings=replace(data.settings, gender=gender)), "nb"))
    [rule] = [r for r in rules if r.startswith("«Grensetilfelle»")]
    assert "et 90 % konfidensintervall (Wilson)" in rule and "avrundet andel (Samordna opptak: «40,0 %»)" in rule


@pytest.mark.parametrize(
    ("threshold", "lang", "example"),
    [
        (Fraction(35, 100), "nb", "avrundet andel (Samordna opptak: «35,0 %»), at avrundingen skjuler hvilken side"),
        (Fraction(35, 100), "en", 'rounded share (Samordna opptak: "35.0 %"), the rounding hides which side'),
        (Fraction(375, 1000), "nb", "avrundet andel (Samordna opptak: «37,5 %»)"),
    ],
    ids=["35 % nb", "35 % en", "37,5 % nb"],
)
def test_the_borderline_rule_s_rounded_share_is_the_threshold_set(data, threshold, lang, example):
    """A share Samordna rounds to one decimal hides which side of the threshold it is on only
    where it reads as the threshold: at a threshold of 35 % the rule's example said «40,0 %» (the
    shipped threshold written a second time, in the label), a share that is plainly above it."""
    gender = replace(data.settings.gender, threshold=threshold)
    rules = rules_of(about_section(replace(data, settings=replace(data.settings, gender=gender)), lang))
    [rule] = [r for r in rules if r.startswith(("«Grensetilfelle»", '"Borderline"'))]
    assert example in rule


def test_the_embedded_report_tells_each_part_it_has_and_every_source_once(data):
    """The embedded data has the gender tables, NOKUT's portal, the 2017 integration extract and
    SHoT: each part's rule is there, the portal's as NOKUT's own figures (no respondent data, so
    no rule about hiding results computed here)."""
    blocks = about_section(data, "nb")
    rules = rules_of(blocks)
    # NOKUT's means, hidden and marked by the product's own minimum (config/kvalitet.toml: 5, 10)
    assert any(
        r.startswith("Studiebarometeret.no: snittene er NOKUTs egne. Et studieprogram med færre enn 5 svarende")
        and "med færre enn 10" in r
        for r in rules
    )
    assert not any(r.startswith(("Et resultat med færre enn", "En indeks er")) for r in rules)
    assert any("uvektede snittet av faglig integrering og sosial integrering" in r for r in rules)
    assert any(r.startswith("SHoT:") for r in rules)
    sources = blocks[-1]["text"]
    assert sources.startswith("Kilder: ")
    # each source once, though the gender tables and the appendix both read DBH table 123
    assert sources.count("tabell 123 Registrerte studenter, hentet 2026-09-23") == 1
    for source in ("Samordna opptak", "NTNU LMU 28.11.2018", "studiebarometeret.no", "SHoT (Sit/Sammen"):
        assert source in sources


def test_english_and_without_parts(data):
    english = rules_of(about_section(data, "en"))
    assert english[0].startswith("Gender imbalance: the under-represented gender is below 40 %")
    bare = replace(data, integration=None, survey=None, portal_index=None, portal_history=None, wellbeing=None)
    rules = rules_of(about_section(bare, "nb"))
    assert not any(r.startswith(("Studiebarometeret", "Integrering", "SHoT")) for r in rules)


def test_the_workbook_notes_carry_the_rules(data, tmp_path):
    """The workbook travels without the report: its notes sheet has the rules under "Om tallene"."""
    from openpyxl import load_workbook

    from analysis.report.content import report_content
    from analysis.report.workbook import write_report_tables

    content = report_content(data, "nb")
    (tmp_path / "tables").mkdir()
    book, _ = write_report_tables(
        content.tables,
        tmp_path,
        tmp_path / "tables",
        "nb",
        threshold=data.threshold,
        levels=confidence_levels(data.settings),
        section_years=content.section_years,
        title=content.title,
        blocks=content.blocks,
    )
    sheet = load_workbook(book)["Merknader"]
    rows = [(r[0], r[1]) for r in sheet.iter_rows(values_only=True) if r[0] == "Om tallene"]
    assert any(
        str(note).startswith("Skjev kjønnsbalanse: det underrepresenterte kjønnet er under 40 %") for _, note in rows
    )
    assert any(str(note).startswith("Kilder: DBH (HK-dir)") for _, note in rows)


@pytest.fixture(scope="module")
def respondent_data(tmp_path_factory):
    """The embedded report's data with a small synthetic respondent file whose integration items
    are set (one item per score): the integration rows of 2025 are then programmes, those of
    2017 the extract's institutions."""
    import shutil

    from analysis.settings import load_settings
    from analysis.synth import generate_respondents, write_respondents

    folder = tmp_path_factory.mktemp("about")
    raw = folder / "raw"
    raw.mkdir()
    shutil.copytree(paths.RAW / "dbh_api", raw / "dbh_api")
    for name in (
        "studiebarometeret_variabler_2021_2025_fra_oslomet_maler.csv",
        "seed_studiebarometeret_2017_integrering.csv",
    ):
        shutil.copy(paths.RAW / name, raw / name)
    write_respondents(generate_respondents(1500, n_items=8, n_programmes=30, n_years=1, seed=5), raw / "sb.csv")
    config = folder / "kvalitet.toml"
    config.write_text(
        '[integration.scores]\nacademic = ["underv_engasj_18"]\nsocial = ["tilbveil_student_18"]\n', encoding="utf-8"
    )
    return load_report_data(raw, 2025, "1150", settings=load_settings(config))


def test_the_integration_rule_says_what_was_ranked(data, respondent_data):
    """ "Om tallene" said the integration ranks were computed "blant institusjonene" (among the
    institutions) whatever was ranked; respondent-level data ranks programmes (a row per
    programme, its code in ``unit_code``), the 2017 extract institutions, each source on its own.
    The rule now says which, by the rows the report shows (up to the report year)."""
    from analysis.report.integration_section import integration_section

    _blocks, _figures, _year, ranked = integration_section(respondent_data, "nb")
    ranked = ranked[ranked["rank"].notna()]
    programme_rows = ranked["unit_code"].notna()
    # what was ranked, from the rows themselves: programmes in 2025, the extract's institutions in 2017
    assert set(ranked.loc[programme_rows, "year"]) == {2025}
    assert set(ranked.loc[~programme_rows, "year"]) == {2017}

    def rule(d, lang: str) -> str:
        [r] = [r for r in rules_of(about_section(d, lang)) if r.startswith(("Integrering", "Integration"))]
        return r

    assert "regnet blant institusjonene i sammenligningsgruppen" in rule(data, "nb")  # the extract alone
    both = rule(respondent_data, "nb")
    assert "regnet blant institusjonene (uttrekket, snitt per institusjon) og blant studieprogrammene" in both
    assert "among the institutions (the extract, means per institution) and among the programmes" in rule(
        respondent_data, "en"
    )
    programmes_only = replace(respondent_data, integration=respondent_data.integration.query("year == 2025"))
    assert "regnet blant studieprogrammene i sammenligningsgruppen" in rule(programmes_only, "nb")
    assert "among the programmes of the comparison group" in rule(programmes_only, "en")
    assert "institusjonene" not in rule(programmes_only, "nb").split("Plassen")[1]


def test_a_score_the_settings_name_themselves_is_said_by_that_name(tmp_path, respondent_data):
    """[integration.scores] may name a score anything ("tilhorighet", a proxy of the adviser's
    own); the integration section's note of which items each score is the mean of looked the
    name up as a label and stopped the report with a KeyError. It is said by the settings' name,
    as "Om tallene" says it, with the question in the language's quotation marks."""
    from analysis.report.integration_section import integration_section
    from analysis.settings import load_settings

    config = tmp_path / "kvalitet.toml"
    config.write_text(
        '[integration]\ncombine = ["academic", "tilhorighet"]\n'
        '[integration.scores]\nacademic = ["underv_engasj_18"]\ntilhorighet = ["tilbveil_student_18"]\n',
        encoding="utf-8",
    )
    own = replace(respondent_data, settings=load_settings(config))
    for lang, item, rule in (
        ("nb", "tilhorighet: tilbveil_student_18 («", "snittet av faglig integrering og tilhorighet"),
        ("en", 'tilhorighet: tilbveil_student_18 ("', "mean of academic integration and tilhorighet"),
    ):
        blocks, _figures, _year, _ranked = integration_section(own, lang)
        assert any(item in b.get("text", "") for b in blocks), lang
        assert any(rule in r for r in rules_of(about_section(own, lang)))
    english = " ".join(b.get("text", "") for b in integration_section(own, "en")[0])
    assert "«" not in english and "»" not in english


def test_the_integration_rule_states_how_many_best_the_chart_draws(data):
    """[integration] chart_best is a setting the report is made with, as the minimum of
    respondents is: "Om tallene" states it (3 here) beside the chart's row limit."""
    integration = replace(data.settings.integration, chart_best=3)
    rules = rules_of(about_section(replace(data, settings=replace(data.settings, integration=integration)), "nb"))
    [rule] = [r for r in rules if r.startswith("Integrering")]
    assert "de 3 beste og gruppens median" in rule and "(16 rader)" in rule


def test_the_trend_rule_in_english_says_one_percentage_point_in_the_singular(data):
    # the shipped trend_flat_pp = 1.0 read "less than 1 percentage points a year"
    for flat, words in ((1.0, "less than 1 percentage point a year"), (0.5, "less than 0.5 percentage points a year")):
        gender = replace(data.settings.gender, trend_flat_pp=flat)
        rules = rules_of(about_section(replace(data, settings=replace(data.settings, gender=gender)), "en"))
        assert any(words in r for r in rules), flat


def test_the_integration_introduction_claims_no_more_than_the_chosen_items_ask(data, respondent_data):
    """The settings here make "faglig integrering" of underv_engasj_18 (engaging teaching) and
    "sosial integrering" of tilbveil_student_18, as an adviser picks proxies in a year without
    integration items: the section's introduction said the scores were of "god faglig og sosial
    integrering mellom norske og internasjonale studenter", which these items do not ask. It now
    says they are of the items the settings choose (the note after it names them); the 2017
    extract's introduction, whose items asked exactly that, is as before."""
    from analysis.report.integration_section import integration_section

    claim = {"nb": "mellom norske og internasjonale studenter", "en": "between Norwegian and international students"}
    chosen = {
        "nb": "Gjennomsnitt (1–5) av spørsmålene innstillingene velger for faglig integrering og sosial integrering",
        "en": "Mean (1–5) of the items the settings choose for academic integration and social integration",
    }
    for lang in ("nb", "en"):
        blocks, _figures, year, _ranked = integration_section(respondent_data, lang)
        assert year == 2025
        texts = [b.get("text", "") for b in blocks]
        assert not [t for t in texts if claim[lang] in t], texts
        assert any(t.startswith(chosen[lang]) for t in texts), texts
        assert any("underv_engasj_18" in t for t in texts)  # the items note, after it
        extract = [b.get("text", "") for b in integration_section(data, lang)[0]]
        assert any(claim[lang] in t for t in extract), extract


@pytest.fixture(scope="module")
def academic_combined(respondent_data, tmp_path_factory):
    """:func:`respondent_data`'s files with ``combine = ["academic"]``: the combined score is
    academic alone, social (tilbveil_student_18) is still computed, drawn and in the table."""
    import shutil

    from analysis.settings import load_settings

    folder = tmp_path_factory.mktemp("academic_combined")
    raw = folder / "raw"
    shutil.copytree(respondent_data.data_dir, raw)
    config = folder / "kvalitet.toml"
    config.write_text(
        '[integration]\ncombine = ["academic"]\n'
        '[integration.scores]\nacademic = ["underv_engasj_18"]\nsocial = ["tilbveil_student_18"]\n',
        encoding="utf-8",
    )
    return load_report_data(raw, 2025, "1150", settings=load_settings(config))


def test_the_integration_text_says_what_a_score_outside_the_combined_one_is_of(academic_combined):
    """With the combined score of academic alone, social is still shown (its bars, its column),
    but the introduction named academic only and called the combined score "their mean", and the
    items note, which the introduction points to, named no item of social: the reader of the
    social bars learnt nowhere that they are tilbveil_student_18. Each shown score is named with
    its items; the combined one says what it is the mean of."""
    from analysis.report.integration_section import integration_section

    blocks, figures, year, ranked = integration_section(academic_combined, "nb")
    assert year == 2025
    assert ranked.loc[ranked["year"] == 2025, "social"].notna().any(), "social is shown"
    texts = [b.get("text", "") for b in blocks]
    intro = next(t for t in texts if t.startswith("Gjennomsnitt (1–5)"))
    assert "for faglig integrering og sosial integrering" in intro, intro
    assert "samlet (snittet av faglig integrering)" in intro, intro
    assert any("sosial integrering: tilbveil_student_18" in t for t in texts), texts


def _programme_flags_with_a_masked_category():
    """DBH table 123 grouped by ``Studieprogramkode`` (autumn 2024): category P of a programme
    masked, its categories added shown; the gender metric's flags of them."""
    from analysis.metrics.gender import gender_flags_all_levels
    from analysis.settings import GenderSettings
    from tests.test_rule_boundaries import counts, observations, suppressed

    prog = dict(level="programme", unit_name="Datateknologi", semester="autumn", year=2024, institution_code="1150")
    obs = observations(
        [
            suppressed(3, unit_code="MTDT", student_category="P", **prog),
            counts(10, 8, unit_code="MTDT", student_category="S", **prog),
            counts(12, 9, unit_code="MTDT", student_category="all", **prog),
        ]
    )
    obs["measure_filter"] = None
    return gender_flags_all_levels(obs, settings=GenderSettings())


def _suppression_rule(data, flags, lang="nb") -> str:
    """The rule on masked figures of a report of ``flags``."""
    rules = rules_of(about_section(replace(data, flags=flags.reset_index(drop=True)), lang))
    [rule] = [r for r in rules if "ukjente, ikke 0" in r or "unknown, not 0" in r]
    return rule


def test_the_rule_on_masked_figures_names_the_levels_that_have_them_inside(data):
    """The rule said "et institutts tall for alle studentkategorier" whatever the data held: a
    report of programmes of DBH's table by programme code, whose categories are masked, read
    that departments' were. It names what the flags hold: sums with masked units inside
    (faculties, the institution), rows of the categories added with a masked category inside
    (departments, programmes), or none of them."""
    import pandas as pd

    flags = data.flags
    inside = (flags["suppressed_units"] > 0) & flags["suppression"].isna()
    assert set(flags.loc[inside, "level"]) == {"department", "faculty", "institution"}  # the embedded data
    real = _suppression_rule(data, flags)
    assert "Har et fakultet eller en institusjon skjermede tall inni seg" in real
    assert "det samme gjelder et institutts tall for alle studentkategorier" in real
    assert "studieprogram" not in real

    programmes = _programme_flags_with_a_masked_category()
    both = _suppression_rule(data, pd.concat([flags, programmes], ignore_index=True))
    assert "det samme gjelder et institutts eller et studieprograms tall for alle studentkategorier" in both
    english = _suppression_rule(data, pd.concat([flags, programmes], ignore_index=True), "en")
    assert "so is a department's or a study programme's figure of all student categories together" in english

    alone = _suppression_rule(data, programmes)
    assert "fakultet" not in alone and "institutts" not in alone
    assert "et studieprograms tall for alle studentkategorier sammen et intervall" in alone

    no_departments = _suppression_rule(data, flags[~(inside & (flags["level"] == "department"))])
    assert "Har et fakultet eller en institusjon skjermede tall inni seg" in no_departments
    assert "studentkategori" not in no_departments

    faculties_only = flags[~(inside & flags["level"].isin(["department", "institution"]))]
    assert "Har et fakultet skjermede tall inni seg" in _suppression_rule(data, faculties_only)

    none = _suppression_rule(data, flags[~inside])
    assert "intervall" not in none and none.endswith("er ukjente, ikke 0.")


@pytest.mark.parametrize(
    ("threshold", "lang"),
    [
        (Fraction(40, 100), "nb"),
        (Fraction(375, 1000), "nb"),
        # two decimals ending in 5: «37,5 %» (one decimal, 37.45–37.55 %, the ends excluded) is
        # below for certain, and «37,6 %» above: no share of one decimal is borderline
        (Fraction(3755, 10000), "nb"),
        (Fraction(3755, 10000), "en"),
        (Fraction(12345, 1000000), "nb"),
        # a threshold made in code without an end as a decimal (1/3)
        (Fraction(1, 3), "nb"),
    ],
)
def test_the_borderline_rule_s_example_is_a_share_the_flags_call_borderline(data, threshold, lang):
    """The rule's example of a rounded share must be one the flags mark «Grensetilfelle»: the
    share as written, with its decimals, given to the flags at the threshold set (the policy:
    borderline where the share's rounding, ± half a unit of its last decimal, holds the
    threshold). At 37.55 % it said «37,5 %», which the flags judge flagged, not borderline."""
    import re

    from analysis.metrics.gender import gender_flags
    from analysis.settings import GenderSettings
    from tests.test_rule_boundaries import observation, observations

    gender = replace(data.settings.gender, threshold=threshold)
    rules = rules_of(about_section(replace(data, settings=replace(data.settings, gender=gender)), lang))
    [rule] = [r for r in rules if r.startswith(("«Grensetilfelle»", '"Borderline"'))]
    [shown] = re.findall(r"Samordna opptak: [«\"]([\d.,]+) %", rule)
    written = shown.replace(",", ".")
    decimals = len(written.partition(".")[2])
    assert decimals >= 1  # as Samordna writes a share: one decimal at least
    frame = observations(
        [observation(level="programme", unit_code="A", total=2503, share_women_given_pct=float(written))]
    )
    frame["share_women_given_decimals"] = pd.array([decimals], dtype="Int64")
    flags = gender_flags(frame, settings=GenderSettings(threshold=threshold))
    assert bool(flags.loc[flags["unit_code"] == "A", "borderline"].iloc[0]), shown


def _sources_under_the_figures(data, lang: str) -> set[str]:
    """Each source named under a chart of the report, as its caption names it."""
    import re

    from analysis.report.content import report_content
    from analysis.report.parts import source_caption

    return {
        source
        for figure in report_content(data, lang).figures
        for source in re.sub(r"^(Kilder?|Sources?): ", "", source_caption(figure.figure)).rstrip(".").split("; ")
        if source
    }


def test_every_source_under_a_chart_is_in_the_sources_of_the_report(data, tmp_path):
    """ "Om tallene" lists every source the report's parts read: the portal's time series
    (studiebarometeret.no, tidsserie), drawn under each programme's index view and, where NOKUT's
    respondent files set aside the year's index view, by itself, was named under its charts and
    missing from the list (where the index view was set aside, no portal source was listed at all)."""
    from analysis.report.about import sources_text
    from tests.test_portal_set_aside_names import data_folder

    set_aside = load_report_data(data_folder(tmp_path), 2025, "1150")
    for report in (data, set_aside):
        assert report.portal_history is not None and not report.portal_history.empty
        for lang in ("nb", "en"):
            under = _sources_under_the_figures(report, lang)
            assert any("tidsserie" in s or "time series" in s for s in under), under
            listed = sources_text(report, lang)
            assert listed is not None
            assert {s for s in under if s not in listed} == set(), listed

""" "Om tallene": how the report's numbers were made, as the report's last section.

A committee reads a share or a mean without the code behind it; the report says, in one place,
which rule made each kind of number. Every rule is written from the settings the numbers were
computed with (:attr:`ReportData.settings`, resolved once at the entry): a threshold of 37.5 %
in ``config/kvalitet.toml`` reads "37,5 %" here as in the follow-up list. A rule is told only
for the parts the report has (no survey rules in a report without survey data), and the
sources of every part are listed together with their retrieval dates.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from analysis.charts.integration import MAX_ROWS
from analysis.charts.labels import best_words, ci_level, label, noun, pct, score_words
from analysis.metrics.gender import BESIDE_INSIDE, CATEGORIES_INSIDE, UNPLACED_BESIDE, UNPLACED_INSIDE
from analysis.metrics.integration import ranked_units
from analysis.report import document as doc
from analysis.report.data import ReportData, sources_for, sources_sentence
from analysis.report.parts import up_to_report_year
from analysis.words import joined, year_runs
from schemas.common import SUPPRESSED_INSIDE

#: The id of the list of rules (the workbook's notes sheet carries it, as it travels alone).
ABOUT_LIST = "about-list"


def _has(frame: pd.DataFrame | None) -> bool:
    return frame is not None and not frame.empty


def _percent(value: float, lang: str) -> str:
    """A setting given in percent (``trend_flat_pp = 1.0``) as the report writes a percentage."""
    return pct(Fraction(str(value)) / 100, lang)


def _whole_or_not(value: float) -> int | float:
    """A setting as a count for :func:`noun`: 1.0 is one (singular), 0.5 and 1.5 are not."""
    return int(value) if float(value).is_integer() else value


#: The levels that are sums of units (a masked unit inside gives an interval), and those whose
#: row of the student categories added has a masked category inside, in the order named.
_SUMS = ("faculty", "institution")


def suppression_rule(flags: pd.DataFrame, year: int, lang: str) -> str:
    """The rule on masked figures, as true of the report's flags (its years up to ``year``): a
    masked figure is unknown, and an interval is told only for the levels that have masked
    figures inside in the data, by their names: a faculty or an institution (a sum of units),
    a department or a study programme (its row of the student categories added,
    :func:`analysis.metrics.gender._categories_added_as_their_sum`)."""
    shown = up_to_report_year(flags, year)
    # a row judged on the masked figures inside it, as the metric says, and what they are (a
    # unit's own masked cell is not an interval: schemas.flags.SUPPRESSED_BY_SOURCE, required
    # where the flags are read): a sum's units, a row's student categories or its programmes
    inside = shown["suppressed_inside"]
    levels = {
        kind: set(shown.loc[(inside.isin(parts) & shown["level"].isin(order)).to_numpy(dtype=bool), "level"])
        for kind, parts, order in (
            ("sums", SUPPRESSED_INSIDE, _SUMS),
            ("added", ["student_category"], CATEGORIES_INSIDE),
            ("parts", ["programme"], CATEGORIES_INSIDE),
            ("unplaced", [UNPLACED_INSIDE], CATEGORIES_INSIDE),
            ("unplaced_beside", [UNPLACED_BESIDE], CATEGORIES_INSIDE),
            ("beside", [BESIDE_INSIDE], CATEGORIES_INSIDE),
        )
    }
    words = {
        kind: f" {label('about_gender_or', lang)} ".join(
            label(f"about_gender_inside_{level}", lang) for level in order if level in levels[kind]
        )
        for kind, order in (
            ("sums", _SUMS),
            ("added", CATEGORIES_INSIDE),
            ("parts", CATEGORIES_INSIDE),
            ("unplaced", CATEGORIES_INSIDE),
            ("unplaced_beside", CATEGORIES_INSIDE),
            ("beside", CATEGORIES_INSIDE),
        )
    }
    rule = [label("about_gender_suppressed", lang)]
    if words["sums"] or words["added"]:
        which = "both" if words["sums"] and words["added"] else "sums" if words["sums"] else "categories"
        rule.append(label(f"about_gender_interval_{which}", lang, sums=words["sums"], added=words["added"]))
    if words["parts"]:
        # a department beside its programmes' rows (DBH table 123 by Studieprogramkode), one masked
        rule.append(label("about_gender_interval_programmes", lang, parts=words["parts"]))
    if words["unplaced"]:
        # a department beside masked programmes it cannot be compared with: no figure of its own
        rule.append(label("about_gender_interval_unplaced", lang, parts=words["unplaced"]))
    if words["unplaced_beside"]:
        # ... or beside a masked category of its own, programmes it cannot be compared with adding up to it
        rule.append(label("about_gender_interval_unplaced_beside", lang, parts=words["unplaced_beside"]))
    if words["beside"]:
        # a department's category beside a masked one, its programmes giving all its categories added
        rule.append(label("about_gender_interval_beside", lang, parts=words["beside"]))
    if len(rule) > 1:
        rule.append(label("about_gender_interval_judged", lang))
    return " ".join(rule)


def _rounded_example_decimals(threshold: Fraction) -> int:
    """The decimals of the borderline rule's example of a rounded share, the threshold written
    so: as Samordna writes a share (one decimal) and as many as the threshold has, so that the
    flags call the example borderline (its rounding, ± half a unit of its last decimal, holds
    the threshold). At a threshold of 37.55 % one decimal wrote «37,5 %», 37.45–37.55 % with
    the ends excluded: below for certain, flagged and not borderline (a helper's task,
    2026-12-05). A threshold without an end as a decimal (1/3, made in code) is never at an end
    of a rounding: two decimals, as :func:`~analysis.charts.labels.pct` writes it."""
    percent = threshold * 100
    for decimals in range(1, 11):
        if (percent * 10**decimals).denominator == 1:
            return decimals
    return 2


def gender_rules(data: ReportData, lang: str) -> list[str]:
    gender = data.settings.gender
    threshold = pct(gender.threshold, lang)
    return [
        label("about_gender_threshold", lang, pct=threshold),
        label("about_gender_measure", lang),
        suppression_rule(data.flags, data.year, lang),
        label("about_gender_needed", lang, pct=threshold),
        label(
            "about_gender_borderline",
            lang,
            level=ci_level(gender.confidence_level, lang),
            rounded=pct(gender.threshold, lang, digits=_rounded_example_decimals(gender.threshold)),
        ),
        label(
            "about_gender_trend",
            lang,
            window=gender.trend_window_years,
            flat=_percent(gender.trend_flat_pp, lang),
            # "1 percentage point", "0.5 percentage points": the setting 1.0 is one point
            points=noun(_whole_or_not(gender.trend_flat_pp), "percentage_point", lang),
        ),
    ]


def survey_rules(data: ReportData, lang: str) -> list[str]:
    """The rules of results computed here from respondent-level data (the items; the index rule
    where indices are configured), and of NOKUT's portal figures where the report has them: the
    two may stand side by side (a portal download beside a raw-data delivery)."""
    survey = data.settings.survey
    rules = []
    if _has(data.survey) or _has(data.survey_indices):  # respondent-level data
        rules += [
            label("about_survey_answers", lang),
            label("about_survey_hidden", lang, min_n=survey.min_n, warn_n=survey.warn_n),
        ]
        if _has(data.survey_indices):
            rules.append(label("about_survey_index", lang, missing=survey.index_max_missing))
        rules.append(
            label(
                "about_survey_changes",
                lang,
                level=ci_level(survey.confidence_level, lang),
                alpha=pct(1 - Fraction(str(survey.confidence_level)), lang),
            )
        )
    if _has(data.portal_index) or _has(data.portal_history):
        # hidden and marked by the product's own minimum (disclosure.protect_portal), not NOKUT's
        rules.append(label("about_survey_portal", lang, min_n=survey.min_n, warn_n=survey.warn_n))
    # the report's years only: a later year the respondent files cover is not the report's
    aside = up_to_report_year(pd.DataFrame({"survey_year": list(data.portal_set_aside_years)}), data.year)
    if len(aside):
        years = year_runs([int(y) for y in aside["survey_year"]])
        rules.append(label("about_survey_portal_set_aside", lang, years=years, institution=data.institution_short))
    return rules


def integration_rules(data: ReportData, lang: str) -> list[str]:
    scores = data.integration
    if scores is None or scores.empty:
        return []
    names = [score_words(name, lang) for name in data.settings.integration.combine]
    # the units the report's table and chart rank (its rows up to the report year): said
    # "blant institusjonene" where respondent-level data ranked programmes
    kinds = ranked_units(up_to_report_year(scores, data.year)) or ranked_units(scores)
    units = label(f"ranked_units_{'both' if len(kinds) > 1 else kinds[0]}", lang)
    # the chart's setting is stated as the survey's minimum is: a reader of a cut chart asks why
    # these units ([integration] chart_best)
    best = best_words(data.settings.integration.chart_best, lang)
    return [label("about_integration", lang, scores=joined(names, lang), units=units, best=best, rows=MAX_ROWS)]


def wellbeing_rules(data: ReportData, lang: str) -> list[str]:
    return [label("about_wellbeing", lang)] if _has(data.wellbeing) else []


def sources_text(data: ReportData, lang: str) -> str | None:
    """Every source the report's parts read, once each, with its retrieval date; where one is
    undated (or some of its files are), said once here how the adviser records the date (the
    source lines under the charts only say "hentedato ukjent")."""
    sources = [
        source
        # the portal's time series beside its index view: drawn by itself where NOKUT's respondent
        # files set the year's index view aside (its charts named it, this list did not)
        for frame in (data.flags, data.integration, data.survey, data.portal_index, data.portal_history, data.wellbeing)
        if frame is not None and not frame.empty
        for source in sources_for(frame, data.retrieved, lang)
    ]
    if not sources:
        return None
    text = sources_sentence(sources, lang)
    undated = any(s.retrieved is None or s.undated for s in sources)
    return f"{text} {label('about_retrieved_unknown', lang)}" if undated else text


def about_section(data: ReportData, lang: str) -> list[dict]:
    """The blocks of "Om tallene": a heading, the rules of the parts the report has, the sources."""
    rules = (
        (gender_rules(data, lang) if _has(data.flags) else [])
        + survey_rules(data, lang)
        + integration_rules(data, lang)
        + wellbeing_rules(data, lang)
    )
    sources = sources_text(data, lang)
    if not rules and sources is None:
        return []
    blocks = [doc.heading(label("heading_about", lang), 2, "about"), doc.paragraph(label("about_intro", lang))]
    if rules:
        blocks.append(doc.bullets(rules, ABOUT_LIST))
    if sources is not None:
        blocks.append(doc.paragraph(sources, "note"))
    return blocks

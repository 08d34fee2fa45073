"""The report's key findings (the report year's, and the latest of earlier years), and the note
on years after the report year that the report leaves out."""

from __future__ import annotations

import pandas as pd

from analysis.charts.labels import (
    MEASURE_COLUMNS,
    change_words,
    counted,
    label,
    measure_words_of,
    noun,
    number,
    pct,
    previous_wave_words,
    thresholds_of,
    value_label,
)
from analysis.charts.survey import portal_marks
from analysis.metrics.wellbeing import NATIONAL_GROUP_WORDS
from analysis.org_units import not_all_departments
from analysis.report.data import ReportData, latest_year, source_short
from analysis.report.gender_section import share_cell, unknown_units
from analysis.report.integration_section import comparison_group_text, integration_scores, integration_sentence
from analysis.report.parts import own_scope, years_of
from analysis.report.survey_section import survey_finding
from analysis.report.tables import reason_words
from analysis.report.wellbeing_section import HEADLINE_INDICATOR
from analysis.words import year_runs


def unit_noun(rows: pd.DataFrame, level: str) -> str:
    """The noun the findings count ``rows`` of ``level`` by: the level's own ("institutter"), or,
    where DBH's department level holds faculties' own units or the unspecified sub-unit
    (:mod:`analysis.org_units`: no departments, though counted at that level), "enheter på
    instituttnivå": "34 av 47 institutter" counted nine units that are not institutes."""
    if level == "department" and not_all_departments(rows["unit_code"]):
        return "department_level"
    return level


def own_unit_findings(data: ReportData, lang: str) -> list[str]:
    """The report's own unit as a whole in the report year (the institution; in a faculty
    report the faculty), one sentence per measure: below the threshold or not, with its share
    as the follow-up list prints it, or why it cannot be judged. (Counted among "n av m
    enheter" it was not said at all: HVL's and UiB's whole were below 40 % and only the
    follow-up list's "Hele institusjonen" row said so; a faculty report counted its faculty as
    "1 av 1 fakultet".)"""
    flags = data.flags
    rows = flags[(flags["year"] == data.year) & (flags["level"] == data.own_level)]
    if data.faculty:
        rows = rows[rows["unit_code"] == data.faculty]
    if rows.empty:
        return []
    thresholds = thresholds_of(data.threshold)
    # the report's own name for it, as its title ("NTNU", DBH's name where none is known; the
    # faculty's name from DBH table 210)
    name = data.faculty_name if data.faculty else data.institution_short
    out = []
    for _, row in rows.iterrows():
        measure = measure_words_of(row, lang)
        if row["status"] in ("flagged", "ok") and row.get("underrepresented") in ("women", "men"):
            verdict = label(f"finding_institution_{row['status']}", lang, pct=pct(data.threshold, lang))
            share = share_cell(row, "underrepresented_share", lang, thresholds)
            gender = label(row["underrepresented"], lang)
            out.append(
                label(
                    "finding_institution",
                    lang,
                    name=name,
                    share=share,
                    gender=gender,
                    measure=measure,
                    year=data.year,
                    verdict=verdict,
                )
            )
        elif row["status"] == "unknown" and not (pd.notna(row.get("total")) and row["total"] == 0):
            # an empty unit has nothing to judge; a total not known (NA) is not 0
            reason = reason_words(row, lang)
            out.append(
                label("finding_institution_unknown", lang, name=name, year=data.year, measure=measure, reason=reason)
            )
    return out


def key_findings(data: ReportData, lang: str) -> tuple[list[str], list[str]]:
    """(findings for the report year, latest findings from earlier years). Each sentence
    states its year and, where it is not the institution's own figure, its scope."""
    now: list[str] = []
    earlier: list[str] = []
    flags = data.flags
    threshold = pct(data.threshold, lang)
    if not flags.empty:
        now += own_unit_findings(data, lang)
        # the units below the report's own, counted (the own unit is said of itself above)
        this = flags[(flags["year"] == data.year) & (flags["level"] != data.own_level)]
        # one sentence per measure as counted: semester and student category (autumn
        # registrations and spring ones are different counts of different students). Not one
        # per file: the flags hold one version of each measure, one source per unit and year
        # (data.one_version_per_measure); split by file, Samordna's national excerpt and its
        # programme sample made two sentences about one count ("12 av 15" and "6 av 6").
        keys = [*(c for c in MEASURE_COLUMNS if c in this.columns), "level"]
        for key, rows in this.groupby(keys, sort=True, dropna=False):
            parts = dict(zip(keys, key, strict=True))
            level = parts["level"]
            judged = rows["status"].isin(["flagged", "ok"])
            measure_text = measure_words_of(parts, lang)
            if judged.any():
                total = int(judged.sum())
                units = noun(total, unit_noun(rows, level), lang)  # "1 av 1 fakultet"
                flagged = int((rows["status"] == "flagged").sum())
                now.append(
                    label(
                        "finding_flagged",
                        lang,
                        n=flagged,
                        total=total,
                        units=units,
                        have=noun(flagged, "have", lang),  # "1 of 1 faculty has"
                        pct=threshold,
                        measure=measure_text,
                        year=data.year,
                    )
                )
            unknown = unknown_units(rows, data.year)
            if len(unknown):
                units = noun(len(unknown), unit_noun(unknown, level), lang)
                now.append(
                    label("finding_unknown", lang, n=len(unknown), units=units, year=data.year, measure=measure_text)
                )
    index = data.portal_index
    if index is not None and not index.empty:
        yr = latest_year(index, "survey_year", upto=data.year)
        rows = index[index["survey_year"] == yr].dropna(subset=["value", "field_average"])
        # a suppressed result does not count: the same marks the chart shows
        suppressed, _few = portal_marks(rows, data.survey_min_n, data.survey_warn_n)
        rows = rows[~suppressed]
        if yr is not None and len(rows):
            below = int((rows["value"] < rows["field_average"]).sum())
            text = label(
                "finding_portal",
                lang,
                year=yr,
                scope=own_scope(data, lang),
                below=below,
                are=noun(below, "are", lang),  # "1 of 32 index values … is below"
                total=counted(len(rows), "index_value", lang),
                programmes=counted(rows["sb_id"].nunique(), "programme", lang),
            )
            (now if yr == data.year else earlier).append(text)
    survey = survey_finding(data, lang)
    if survey is not None:
        text, yr = survey
        (now if yr == data.year else earlier).append(text)
    scores, own, group = integration_scores(data, lang)
    if scores is not None:
        yr = latest_year(scores, upto=data.year)
        for level, rows in scores[scores["year"] == yr].groupby("level", sort=True):
            text = integration_sentence(rows, own, yr, level, comparison_group_text(rows, group, lang), lang)
            if text:
                (now if yr == data.year else earlier).append(text)
    wb = data.wellbeing
    if wb is not None and not wb.empty:
        # all students nationally, the group the SHoT metric gives them under whatever the
        # spelling ("alle", "Alle", "Kvinner og menn", "Totalt": national_group), and not a
        # national group with more to it ("Alle 18-24", an age group: its figure was the headline)
        rows = wb[
            (wb["group"] == NATIONAL_GROUP_WORDS["all"])
            & (wb["indicator"] == HEADLINE_INDICATOR)
            & (wb["year"] <= data.year)
            & ~wb["conflicting"].astype(bool)
        ].sort_values("year")
        if not rows.empty:
            r = rows.iloc[-1]
            text = label(
                "finding_wellbeing",
                lang,
                year=int(r["year"]),
                scope=label("scope_national", lang),
                indicator=value_label("ind", r["indicator"], lang).lower(),
                value=number(r["value_pct"], lang, 1),
                change=change_words(r, lang) + previous_wave_words(r, lang),
            )
            (now if int(r["year"]) == data.year else earlier).append(text)
    return now, earlier


def later_years_note(data: ReportData, lang: str) -> str | None:
    """The note that the data hold years after the report year, naming them and what they count
    (the measure as counted and its source, or the survey), since the report leaves them out;
    None where they hold none."""
    items = []
    flags = data.flags
    later = flags[flags["year"] > data.year] if not flags.empty else flags
    if not later.empty:
        keys = [c for c in MEASURE_COLUMNS if c in later.columns]
        for key, part in later.groupby(keys, sort=True, dropna=False):
            parts = dict(zip(keys, key, strict=True))
            what = measure_words_of(parts, lang)
            kinds = "; ".join(sorted(set(part["source_kind"].astype(str))))
            items.append(f"{what} ({source_short(kinds, lang)}): {year_runs(part['year'].astype(int).tolist())}")
    surveys = (
        ("what_integration", (data.integration,)),
        # (the portal's time series is cut at the report year where the data are loaded)
        ("what_survey", (data.survey, data.survey_indices, data.portal_index)),
        ("what_wellbeing", (data.wellbeing,)),
    )
    for what, frames in surveys:
        years = []
        for frame in frames:
            found = years_of(frame)
            if found is not None:
                years += [int(y) for y in found[found > data.year]]
        if years:
            items.append(f"{label(what, lang)}: {year_runs(years)}")
    if not items:
        return None
    return label("later_years_left_out", lang, year=data.year, items="; ".join(items))


def without_faculty_note(data: ReportData, lang: str) -> str | None:
    """In a faculty report, the note naming what it leaves out because the source does not say
    which faculty a programme belongs to: each measure as counted with its source, and the
    studiebarometeret.no extract, by programmes and years up to the report year. None in an
    institution's report, or where nothing was left out."""
    items = []
    flags = data.without_faculty
    if data.faculty and flags is not None and not flags.empty:
        flags = flags[flags["year"] <= data.year]
        keys = [c for c in MEASURE_COLUMNS if c in flags.columns]
        for key, part in flags.groupby(keys, sort=True, dropna=False):
            what = measure_words_of(dict(zip(keys, key, strict=True)), lang)
            kinds = "; ".join(sorted(set(part["source_kind"].astype(str))))
            programmes = counted(part["unit_code"].nunique(), "programme", lang)
            items.append(
                f"{what} ({source_short(kinds, lang)}): {programmes}, {year_runs(part['year'].astype(int).tolist())}"
            )
    portal = data.portal_without_faculty
    if data.faculty and portal is not None and not portal.empty:
        portal = portal[portal["survey_year"] <= data.year]
        if not portal.empty:
            programmes = counted(portal["sb_id"].nunique(), "programme", lang)
            years = year_runs(portal["survey_year"].astype(int).tolist())
            items.append(f"{label('what_portal', lang)}: {programmes}, {years}")
    if not items:
        return None
    return label("without_faculty_left_out", lang, items="; ".join(items), institution=data.institution_short)

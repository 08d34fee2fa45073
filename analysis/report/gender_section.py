"""The report's gender sections: the follow-up list of units under the threshold and the
units that cannot be judged (grouped by faculty, students needed), the gender-balance charts,
and the appendix of flagged-of-judged units per year."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

from analysis.charts import (
    gender_share_bars,
    gender_trend,
)
from analysis.charts.labels import (
    MEASURE_COLUMNS,
    count_range,
    counted,
    interval_text,
    label,
    level_text,
    measure_words_of,
    pct,
    share_text,
    thresholds_of,
)
from analysis.metrics.students_needed import share_of_women_bounds, students_needed_range
from analysis.report import document as doc
from analysis.report.data import ReportData, latest_year, source_short, sources_for
from analysis.report.parts import (
    ReportFigure,
    chart_scope,
    measure_words,
    no_data_text,
    own_scope,
    report_figure,
    slug,
    sources_line,
    unit_with_code,
    year_runs,
)
from analysis.report.tables import faculty_words, reason_words, trend_words, unit_words
from analysis.series_breaks import breaks_at_start, breaks_in, merged_names

#: NOTE: the field benchmark of a programme — the national share of the under-represented
#: gender in the same field (NUS code) — comes from the gender metric when the programme-level
#: DBH readers deliver it. This is the one place the report looks for it: when the flags have
#: this column, the follow-up list, the gender tables and the workbook show it ("Fagfeltet
#: nasjonalt"); when they do not, nothing is shown and nothing is guessed.
FIELD_BENCHMARK = "field_underrepresented_share"


#: The follow-up list's order of levels within a faculty.
LEVEL_ORDER = {"institution": 0, "faculty": 1, "department": 2, "programme": 3}


def ordered_units(rows: pd.DataFrame) -> pd.DataFrame:
    """Grouped by faculty (the institution as a whole first, units without a faculty last),
    then level, measure, most students needed first."""
    if rows.empty:
        return rows
    fac = rows["faculty_code"].astype("string")
    group = np.where(rows["level"] == "institution", 0, np.where(fac.notna(), 1, 2))
    out = rows.assign(_g=group, _f=fac.fillna(""), _l=rows["level"].map(LEVEL_ORDER))
    keys = [
        ("_g", True),
        ("_f", True),
        ("_l", True),
        ("measure", True),
        ("students_needed", False),
        ("underrepresented_share", True),
        ("unit_code", True),
    ]
    keys = [(k, a) for k, a in keys if k in out.columns]
    out = out.sort_values([k for k, _ in keys], ascending=[a for _, a in keys], na_position="last", kind="stable")
    return out.drop(columns=["_g", "_f", "_l"]).reset_index(drop=True)


#: The follow-up table's students needed as two numbers (the workbook's and the notebook's
#: columns, which a spreadsheet sorts and sums): the fewest and the most over a unit's interval,
#: both the exact number where the counts are known (the report's own table writes the same range
#: as text, "700–715": :func:`needed_cells`, from the same metric function).
NEEDED_RANGE = ("students_needed_fewest", "students_needed_most")


def followup_units(flags: pd.DataFrame, year: int, threshold: Fraction) -> pd.DataFrame:
    """The units flagged in ``year`` exactly (every measure and level), ordered for the list:
    by faculty, then level, then most students needed. All flag columns are kept, and the
    students needed as a range (:data:`NEEDED_RANGE`, from the ``threshold`` the flags were
    computed with): a unit flagged from an interval has no exact number, but has these."""
    if flags.empty:
        return flags.assign(**{c: pd.array([], dtype="Int64") for c in NEEDED_RANGE})
    rows = ordered_units(flags[(flags["year"] == year) & (flags["status"] == "flagged")])
    fewest, most = students_needed_range(rows, threshold)
    return rows.assign(**dict(zip(NEEDED_RANGE, (fewest.astype("Int64"), most.astype("Int64")), strict=True)))


def unknown_units(flags: pd.DataFrame, year: int) -> pd.DataFrame:
    """Units with students in ``year`` whose status could not be decided (suppressed counts, or
    suppressed departments that leave the outcome open). Empty units (no students) are not
    listed: there is nothing to judge or follow up."""
    if flags.empty:
        return flags.copy()
    rows = flags[(flags["year"] == year) & (flags["status"] == "unknown")]
    rows = rows[~rows["total"].eq(0).fillna(False).astype(bool)]
    return ordered_units(rows)


def share_cell(row: pd.Series, column: str, lang: str, thresholds: tuple[float, ...]) -> str:
    """A share as the tables print it; where the share is an interval (suppressed departments
    inside a faculty) the interval, read from the same columns the chart draws."""
    value = row.get(column)
    if pd.notna(value):
        return share_text(value, lang, thresholds)
    # the bounds from the one place every table and chart takes them (the most students the unit
    # may hold: rows of 0 students inside hold more)
    low, high = (bound.iloc[0] for bound in share_of_women_bounds(row.to_frame().T))
    if column in ("share_women", "underrepresented_share") and pd.notna(low) and pd.notna(high):
        lo, hi = float(low), float(high)
        if column == "underrepresented_share":
            if row.get("underrepresented") == "men":
                lo, hi = 1 - hi, 1 - lo
            elif row.get("underrepresented") != "women":
                return "–"
        return interval_text(lo, hi, lang, thresholds)
    return "–"


def needed_cells(rows: pd.DataFrame, threshold: Fraction) -> pd.Series:
    """The follow-up list's "Antall som trengs" per row: the number; for a unit flagged from an
    interval (suppressed departments inside it) the fewest and the most over that interval
    ("1860–1875", :func:`analysis.metrics.students_needed.students_needed_range`); "–" where the source
    gives only a share."""
    fewest, most = students_needed_range(rows, threshold)
    cells = [_count_cell(n) for n in rows["students_needed"]]
    for i, (n, lo, hi) in enumerate(zip(rows["students_needed"], fewest, most, strict=True)):
        if pd.isna(n) and pd.notna(lo) and pd.notna(hi):
            cells[i] = count_range(int(lo), int(hi))
    return pd.Series(cells, index=rows.index, dtype="object")


def followup_block(rows: pd.DataFrame, lang: str, threshold: Fraction, *, caption: str, source: str) -> dict:
    """The follow-up list as a table block: one group row per faculty, one row per unit."""
    thresholds = thresholds_of(threshold)
    needed = needed_cells(rows, threshold)
    benchmark = FIELD_BENCHMARK in rows.columns
    columns = [
        label("col_unit_with_code", lang),
        label("col_level", lang),
        label("col_measure", lang),
        label("col_underrepresented_and_share", lang),
        # the share's base: 0,0 % of 6 first-choice applicants and of 600 read alike without it
        label("col_total", lang),
    ]
    numeric = [False, False, False, False, True]
    if benchmark:
        columns.append(label("col_field_benchmark", lang))
        numeric.append(True)
    columns += [
        label("col_students_needed", lang),
        label("col_years_flagged", lang),
        label("col_trend", lang),
        label("source", lang),
    ]
    numeric += [True, True, False, False]
    out, group = [], None
    for (_, row), needed_text in zip(rows.iterrows(), needed, strict=True):
        g = faculty_words(row, lang)
        if g != group:
            out.append(doc.group_row(g))
            group = g
        gender = row.get("underrepresented")
        # the under-represented gender with *its* share: "menn 26,2 %"
        gender_text = label(gender, lang) if gender in ("women", "men") else "–"
        cells = [
            unit_with_code(row, lang),
            level_text(row["level"], [row["unit_code"]], lang),
            measure_words(row, lang),
            f"{gender_text} {share_cell(row, 'underrepresented_share', lang, thresholds)}",
            _total_cell(row),
        ]
        if benchmark:
            cells.append(share_text(row.get(FIELD_BENCHMARK), lang))
        cells += [
            needed_text,
            str(int(row["consecutive_years_flagged"])),
            trend_words(row.get("trend"), gender, lang, row.get("trend_pp_low"), row.get("trend_pp_high")),
            source_short(row["source_kind"], lang),
        ]
        out.append(doc.cells_row(cells))
    return doc.table("followup", columns, out, numeric, caption=caption, source=source)


def _count_cell(value: object) -> str:
    """A count in a table cell: "–" where it is unknown (a share without counts, a suppressed
    part), never 0."""
    return "–" if value is None or pd.isna(value) else str(int(value))


def _total_cell(row: pd.Series) -> str:
    """A unit's students in a table cell: a range ("6487–6493") where rows of 0 students inside
    it (0 to 2 each: DBH writes 1 or 2 as 0) may hold more than its total (``total_high``), as its
    reason words it; the count otherwise (:func:`_count_cell`)."""
    total, high = row.get("total"), row.get("total_high")
    if total is None or high is None or pd.isna(total) or pd.isna(high) or int(high) == int(total):
        return _count_cell(total)
    return count_range(int(total), int(high))


def unknown_block(rows: pd.DataFrame, lang: str, *, caption: str, source: str) -> dict:
    columns = [
        label("col_unit_with_code", lang),
        label("col_level", lang),
        label("col_measure", lang),
        label("col_total", lang),
        label("col_reason", lang),
        label("source", lang),
    ]
    out, group = [], None
    for _, row in rows.iterrows():
        g = faculty_words(row, lang)
        if g != group:
            out.append(doc.group_row(g))
            group = g
        out.append(
            doc.cells_row(
                [
                    unit_with_code(row, lang),
                    level_text(row["level"], [row["unit_code"]], lang),
                    measure_words(row, lang),
                    _total_cell(row),
                    reason_words(row, lang),
                    source_short(row["source_kind"], lang),
                ]
            )
        )
    return doc.table("unknown", columns, out, [False, False, False, True, False, False], caption=caption, source=source)


def policy_sentence(data: ReportData, lang: str) -> str:
    """What the threshold obliges, as the follow-up list introduces it: the policy named in the
    settings (``[gender] policy``), or, with none named, only that the threshold is the settings'."""
    policy = data.policy_name(lang)
    return label("policy_duty", lang, policy=policy) if policy else label("policy_none", lang)


def policy_line(data: ReportData, lang: str, scope: str) -> str:
    """The policy and its threshold in one line, for the gender notebook's printout."""
    policy, threshold = data.policy_name(lang), pct(data.threshold, lang)
    if policy:
        return label("nb_gender_policy", lang, scope=scope, pct=threshold, policy=policy)
    return label("nb_gender_threshold", lang, scope=scope, pct=threshold)


def no_gender_year_text(data: ReportData, lang: str) -> str:
    """The line of the follow-up list and the gender section when the gender data have nothing
    of the report year: their latest earlier year, or, where all they have is after it (a report
    for a year before the institution's data, --allow-empty), those years, as other sections say
    it (:func:`no_data_text`): "siste år med data: 2022" in a 1985 report read as if 2022 were
    before it."""
    scope = own_scope(data, lang)
    last = latest_year(data.flags, upto=data.year)
    if last is None:
        return no_data_text("what_gender", scope, data, lang, (data.flags, "year"))
    return label("no_gender_year", lang, scope=scope, year=data.year, last=last)


def followup_section(data: ReportData, lang: str, followup: pd.DataFrame, unknown: pd.DataFrame) -> list[dict]:
    year, scope = data.year, own_scope(data, lang)
    blocks = [doc.heading(label("heading_followup", lang, year=year, scope=scope), 2, "followup")]
    flags = data.flags
    if flags.empty:
        return blocks + [doc.paragraph(label("no_gender_data", lang, scope=scope))]
    this_year = flags[flags["year"] == year]
    if this_year.empty:
        return blocks + [doc.paragraph(no_gender_year_text(data, lang))]
    blocks.append(
        doc.paragraph(
            label(
                "followup_intro",
                lang,
                policy=policy_sentence(data, lang),
                pct=pct(data.threshold, lang),
                year=year,
                window=data.settings.gender.trend_window_years,
            )
        )
    )
    # a merger inside the institution's series: said where "years in a row" and the trend are
    blocks += [doc.paragraph(note, "note") for note in break_notes(data, lang)]
    if followup.empty:
        judged = int(this_year["status"].isin(["flagged", "ok"]).sum())
        blocks.append(doc.paragraph(label("followup_none", lang, year=year, n=counted(judged, "unit", lang))))
    else:
        caption = label(
            "followup_caption", lang, year=year, scope=chart_scope(data, lang), pct=pct(data.threshold, lang)
        )
        blocks.append(
            followup_block(followup, lang, data.threshold, caption=caption, source=sources_line(followup, data, lang))
        )
        if FIELD_BENCHMARK in followup.columns:
            blocks.append(doc.paragraph(label("followup_benchmark", lang), "note"))
            if followup[FIELD_BENCHMARK].isna().all():
                # the field needs each programme's NUS code (DBH table 347): say why the column
                # is empty rather than leave "–" unexplained
                blocks.append(doc.paragraph(label("followup_benchmark_missing", lang), "note"))
        # (the range followup_units gives every flagged unit: none known where the table has
        # "–", two numbers where it has a range)
        fewest, most = (followup[c] for c in NEEDED_RANGE)
        if fewest.isna().any():
            # "–" in a column of counts is explained, never left to read as "none needed"
            blocks.append(doc.paragraph(label("followup_needed_unknown", lang), "note"))
        if (fewest != most).fillna(False).any():
            # a range says why it is not one number
            blocks.append(doc.paragraph(label("followup_needed_range", lang), "note"))
        if _has_unnamed(followup, lang):
            blocks.append(doc.paragraph(label("unit_unnamed_note", lang), "note"))
    if not unknown.empty:
        blocks.append(doc.heading(label("heading_unknown", lang, year=year, scope=scope), 3, "unknown"))
        blocks.append(doc.paragraph(label("unknown_intro", lang, year=year)))
        caption = label("unknown_caption", lang, year=year, scope=chart_scope(data, lang))
        blocks.append(unknown_block(unknown, lang, caption=caption, source=sources_line(unknown, data, lang)))
        if _has_unnamed(unknown, lang):
            blocks.append(doc.paragraph(label("unit_unnamed_note", lang), "note"))
    return blocks


def break_notes(data: ReportData, lang: str) -> list[str]:
    """One line per merger inside the institution's series up to the report year
    (:mod:`analysis.series_breaks`): from when, and the institutions merged in by name and code."""
    if data.flags.empty:
        return []
    upto = data.flags[data.flags["year"] <= data.year]
    formed = [
        label("series_formed_note", lang, year=year, name=data.institution_short, merged=merged)
        for (_, year), merged in merged_names(breaks_at_start(upto, data.breaks_merged_seen), lang).items()
    ]
    inside = breaks_in(upto, data.breaks)
    notes = [
        label("series_break_note", lang, year=year, name=data.institution_short, merged=merged)
        for (_, year), merged in merged_names(inside, lang).items()
    ]
    if notes:
        # "years in a row" and the trend of the report year count from the last break only: said
        # once, of it, not of each earlier break as well (UiT: 2009, 2014 and 2016)
        notes[-1] += " " + label("series_break_counted", lang, year=int(inside["year"].max()))
    return formed + notes


def _has_unnamed(rows: pd.DataFrame, lang: str) -> bool:
    """Whether a listed unit has no name in any source (the reader is told why and what to fetch)."""
    return any(unit_words(row, lang) == label("unit_unnamed", lang) for _, row in rows.iterrows())


def gender_section_figures(data: ReportData, lang: str) -> tuple[list[ReportFigure], list[ReportFigure]]:
    """(figures of the gender section, figures of the appendix). Bars for the report year;
    trends up to it; a programme series that ended before the report year goes to the
    appendix."""
    flags = data.flags
    now: list[ReportFigure] = []
    history: list[ReportFigure] = []
    if flags.empty:
        return now, history
    registered = flags[flags["measure"].astype("string").str.startswith("registered").fillna(False)]
    for level, name in (("faculty", "kjonn_fakultet"), ("department", "kjonn_institutt")):
        rows = registered[(registered["level"] == level) & (registered["year"] == data.year)]
        if rows.empty:
            continue
        # every unit of the year, whichever file it came from: the flags hold one version of the
        # measure and one source per unit and year (data.one_version_per_measure); keeping only
        # the first source kind would drop units another file gives (or a faculty summed from two)
        fig = gender_share_bars(
            rows,
            year=data.year,
            level=level,
            scope=chart_scope(data, lang),
            sources=sources_for(rows, data.retrieved, lang),
            lang=lang,
            threshold=data.threshold,
            policy=data.policy,
        )
        judged = rows["status"].isin(["flagged", "ok"])
        now.append(
            report_figure(
                name,
                "gender",
                fig,
                lang,
                label(
                    "alt_gender_bars",
                    lang,
                    flagged=int((rows["status"] == "flagged").sum()),
                    total=counted(int(judged.sum()), "unit", lang),
                ),
            )
        )
    faculty = registered[(registered["level"] == "faculty") & (registered["year"] <= data.year)]
    if not faculty.empty and (faculty["year"] == data.year).any():
        now.append(
            report_figure(
                "kjonn_fakultet_utvikling",
                "gender",
                gender_trend(
                    faculty,
                    scope=chart_scope(data, lang),
                    sources=sources_for(faculty, data.retrieved, lang),
                    lang=lang,
                    threshold=data.threshold,
                    breaks=data.breaks,
                ),
                lang,
            )
        )
    programmes = flags[(flags["level"] == "programme") & (flags["year"] <= data.year)]
    # one chart per measure, not per file: a measure's programmes may come from two files of one
    # source (Samordna's national excerpt and its programme sample; one_version_per_measure keeps
    # one source per unit and year). The name keeps the first source kind, as it was for one file.
    for measure, rows in programmes.groupby("measure", sort=True):
        kind = sorted(set(rows["source_kind"].astype(str)))[0]
        fig = gender_trend(
            rows,
            scope=chart_scope(data, lang),
            sources=sources_for(rows, data.retrieved, lang),
            lang=lang,
            threshold=data.threshold,
            breaks=data.breaks,
        )
        item = report_figure(f"kjonn_program_{slug(measure)}_{slug(kind)}", "gender", fig, lang)
        if (rows["year"] == data.year).any():
            now.append(item)
        else:
            item.section = "appendix"
            history.append(item)
    return now, history


def not_a_faculty_note(data: ReportData, lang: str) -> str | None:
    """The note beside the faculty chart where the report year has DBH's unspecified sub-unit:
    left out of the faculties (:func:`analysis.report.data.without_unspecified_faculty`), said
    with its students and where it is counted, so that no student goes missing unexplained."""
    rows = data.not_a_faculty
    if rows is None or rows.empty:
        return None
    rows = rows[
        (rows["year"] == data.year) & rows["measure"].astype("string").str.startswith("registered").fillna(False)
    ]
    if rows.empty:
        return None
    row = rows.iloc[0]
    departments = data.flags[
        (data.flags["level"] == "department")
        & (data.flags["year"] == data.year)
        & (data.flags["faculty_code"] == row["unit_code"])
        & (data.flags["measure"] == row["measure"])
    ]
    where = (
        label("not_a_faculty_where_department", lang, code=", ".join(sorted(departments["unit_code"].astype(str))))
        if len(departments)
        else label("not_a_faculty_where_institution", lang)
    )
    return label(
        "not_a_faculty_note",
        lang,
        name=unit_words(row, lang),
        students=counted(int(row["total"]), "student", lang),
        year=data.year,
        where=where,
    )


#: Year columns of the appendix table at most: a page's width (every year stays in the workbook).
HISTORY_COLUMNS = 12


def history_blocks(data: ReportData, lang: str) -> list[dict]:
    """Flagged of judged units per year, measure and level (up to the report year; a faculty
    report's faculty level, the faculty itself, by its status each year), and under
    it, where the columns skip years (a long series shows the years that have data), a note
    naming the years the data do not hold: 2007 beside 2016 reads as the year before without it.
    A series longer than :data:`HISTORY_COLUMNS` shows its last years with data, and a note names
    the earlier ones, so that the table is not read as the whole series."""
    flags, year = data.flags, data.year
    rows = flags[(flags["year"] <= year) & (flags["level"] != "institution")]
    if rows.empty:
        return []
    with_data = sorted(int(y) for y in rows["year"].unique())
    years = list(range(with_data[0], with_data[-1] + 1))
    if len(years) > HISTORY_COLUMNS:  # a long series: the last years that have data
        years = with_data[-HISTORY_COLUMNS:]
    earlier = [y for y in with_data if y < years[0]]  # cut off: they are in the workbook
    out = []
    # one line per measure as counted and level, whatever files its rows came from: the flags
    # hold one version of each measure (data.one_version_per_measure), and Samordna's national
    # excerpt and its programme sample are one count split over two files, not two measures
    keys = [*(c for c in MEASURE_COLUMNS if c in rows.columns), "level"]
    for key, part in rows.groupby(keys, sort=True, dropna=False):
        parts = dict(zip(keys, key, strict=True))
        kinds = "; ".join(sorted(set(part["source_kind"].astype(str))))
        cells = [
            f"{measure_words_of(parts, lang)}, "
            f"{level_text(parts['level'], part['unit_code'], lang)} ({source_short(kinds, lang)})"
        ]
        # NOTE: counted per year in one pass, not by a filter of the flags frame (~50 columns)
        # per year and series: history_blocks' CPU on the real data 0.09-0.15 -> 0.025 s
        by_year = part["year"]
        if data.faculty is not None and parts["level"] == "faculty":
            # NOTE: a faculty report's faculty level is the faculty itself: "1 av 1" counted it as
            # if it were one of a group. Its status each year, in the report's words for it
            status_in = part.groupby(by_year)["status"].first()
            cells += [label(f"status_{status_in[y]}", lang) if y in status_in.index else "–" for y in years]
            out.append(doc.cells_row(cells))
            continue
        judged_in = part["status"].isin(["flagged", "ok"]).groupby(by_year).sum()
        flagged_in = (part["status"] == "flagged").groupby(by_year).sum()
        for y in years:
            judged = int(judged_in.get(y, 0))
            cells.append(label("n_of_m", lang, n=int(flagged_in.get(y, 0)), m=judged) if judged else "–")
        out.append(doc.cells_row(cells))
    blocks = [
        doc.table(
            "history",
            [label("col_measure_level", lang)] + [str(y) for y in years],
            out,
            [False] + [True] * len(years),
            caption=label("heading_history_table", lang, scope=chart_scope(data, lang)),
            source=sources_line(rows, data, lang),
        )
    ]
    missing = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    if missing:
        blocks.append(doc.paragraph(label("history_years_missing", lang, years=year_runs(missing)), "note"))
    if earlier:
        blocks.append(
            doc.paragraph(label("history_years_earlier", lang, n=len(years), years=year_runs(earlier)), "note")
        )
    return blocks

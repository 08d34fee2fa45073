"""The report's Studiebarometeret section: NOKUT's portal indices, or, from respondent data,
the indices of the institution and its faculties (a faculty report's: the institution and the
faculty) with n, mean, interval and the change from the year before (every
value the disclosure pass's: a hidden cell is "–" and its reason)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.charts import (
    portal_history_chart,
    portal_index_chart,
    survey_distribution_chart,
    survey_items_chart,
)
from analysis.charts.labels import (
    ci_level,
    counted,
    label,
    noun,
    number,
    significance_level,
    value_label,
)
from analysis.metrics.unit_names import names_as_of
from analysis.report import document as doc
from analysis.report.data import ReportData, latest_year, sources_for
from analysis.report.parts import (
    ReportFigure,
    figure_blocks,
    hidden_n_emptied,
    no_data_text,
    own_scope,
    report_figure,
    slug,
    sources_line,
)
from analysis.settings import SCORE_DIGITS


def survey_section(data: ReportData, lang: str) -> tuple[list[dict], list[ReportFigure], int | None]:
    """(outline blocks with the figures in place, figures, the section's year): the portal's
    index view and, with respondent-level data, the indices, answer distributions and item
    means (:func:`respondent_survey_blocks`)."""
    scope = own_scope(data, lang)
    index, survey = data.portal_index, data.survey
    years = [
        y
        for y in (
            latest_year(index, "survey_year", upto=data.year) if index is not None else None,
            latest_year(survey, upto=data.year) if survey is not None else None,
            # the portal's time series, drawn by itself where no index view of its years is left
            latest_year(data.portal_history, "survey_year", upto=data.year)
            if data.portal_history is not None
            else None,
        )
        if y is not None
    ]
    if not years:
        return (
            [
                doc.heading(label("heading_survey_none", lang, scope=scope), 2, "survey"),
                doc.paragraph(
                    no_data_text("what_survey", scope, data, lang, (index, "survey_year"), (survey, "year")),
                    doc.NO_DATA,
                ),
            ],
            [],
            None,
        )
    yr = max(years)
    blocks = [doc.heading(label("heading_survey", lang, year=yr, scope=scope), 2, "survey")]
    if yr < data.year:
        blocks.append(doc.paragraph(label("older_data", lang, year=yr, report_year=data.year), "note"))
    figures: list[ReportFigure] = []
    if index is not None and not index.empty:
        blocks.append(doc.paragraph(label("survey_intro", lang)))
        pyear = latest_year(index, "survey_year", upto=data.year)
        rows = index[index["survey_year"] == pyear]
        names = data.portal_names(pyear)
        portal: list[ReportFigure] = []
        for sb_id in sorted(rows["sb_id"].unique()):
            prog = rows[rows["sb_id"] == sb_id]
            portal.append(
                report_figure(
                    f"studiebarometeret_{slug(sb_id)}",
                    "survey",
                    portal_index_chart(
                        rows,
                        sb_id=sb_id,
                        institution=data.institution_short,
                        survey_year=pyear,
                        sources=sources_for(prog, data.retrieved, lang),
                        lang=lang,
                        min_n=data.survey_min_n,
                        warn_n=data.survey_warn_n,
                    ),
                    lang,
                )
            )
            hist = data.portal_history
            if hist is not None and (hist["sb_id"] == sb_id).any():
                h = hist[hist["sb_id"] == sb_id]  # up to the report year (load_report_data)
                portal.append(
                    report_figure(
                        f"studiebarometeret_tidsserie_{slug(sb_id)}",
                        "survey",
                        portal_history_chart(
                            h,
                            sb_id=sb_id,
                            programme_name=names.get(sb_id, sb_id),
                            institution=data.institution_short,
                            sources=sources_for(h, data.retrieved, lang),
                            lang=lang,
                        ),
                        lang,
                    )
                )
        blocks += figure_blocks(portal)
        figures += portal
    # the time series of a programme with no index view of that year, as notebook 04 draws every
    # programme's: where NOKUT's respondent files cover the year, its index view was set aside
    # (disclosure.portal_set_aside) and the series holds the portal's other years only
    drawn = (
        set(index.loc[index["survey_year"] == latest_year(index, "survey_year", upto=data.year), "sb_id"])
        if index is not None and not index.empty
        else set()
    )
    hist = data.portal_history
    alone = sorted(set(hist["sb_id"]) - drawn) if hist is not None else []
    if alone and hist is not None:
        names = data.portal_names(data.year)
        series = [
            report_figure(
                f"studiebarometeret_tidsserie_{slug(sb_id)}",
                "survey",
                portal_history_chart(
                    hist[hist["sb_id"] == sb_id],
                    sb_id=sb_id,
                    programme_name=names.get(sb_id, sb_id),
                    institution=data.institution_short,
                    sources=sources_for(hist[hist["sb_id"] == sb_id], data.retrieved, lang),
                    lang=lang,
                ),
                lang,
            )
            for sb_id in alone
        ]
        blocks += [doc.paragraph(label("survey_history_intro", lang)), *figure_blocks(series)]
        figures += series
    if survey is not None and not survey.empty:
        respondent_blocks, respondent_figures = respondent_survey_blocks(data, lang)
        blocks += respondent_blocks
        figures += respondent_figures
    return blocks, figures, yr


#: The units the report shows survey results for. NOTE: one row or chart per programme does not
#: scale to a whole institution; an institution's report shows the institution and its
#: faculties, the notebook and its explorer the programmes. A faculty report's index table shows
#: the institution (for comparison) and the faculty, not the faculty's programmes: a programme's
#: index beside its items gives away the answers of a lone respondent who skipped an item
#: (README, *Not guarded*, the first entry; a second reader's attack on a faculty report that
#: showed them, 2026-12-04, got two respondents' answer sums exactly, none from the faculties'
#: cells), and no report shows an index below the faculty.
SURVEY_LEVELS = {"institution": 0, "faculty": 1}


def faculty_names_of(flags: pd.DataFrame, year: int) -> dict[str, str]:
    """Faculty code -> name from the gender data (DBH table 210, through the gender metric): the
    name of the latest year not after ``year``, else of the earliest year after it. Empty
    without gender data: the survey's faculties are then named by their code."""
    return names_as_of(flags, "faculty_code", "faculty_name", year)


def survey_unit_name(level: str, code: str, data: ReportData, faculties: dict[str, str]) -> str:
    """A survey unit's name: the institution's short name, a faculty's name from
    :func:`faculty_names_of` (its code where none is known); a programme's code (no source
    names the survey's programme codes)."""
    if level == "institution":
        return data.institution_short
    return faculties.get(code, code) if level == "faculty" else code


def named_survey_rows(survey: pd.DataFrame, data: ReportData) -> pd.DataFrame:
    """The survey table of respondent-level data with the names a reader needs beside the
    codes: ``unit_name`` after ``unit_code`` (each row's faculty named as in its own year) and
    ``question`` after ``item`` (the question's text from NOKUT's variable list, where it has
    the item). The ``n`` of a suppressed cell is emptied, as in the index table: the report
    shows no number of a hidden cell (the derived table keeps it)."""
    faculties = {int(y): faculty_names_of(data.flags, int(y)) for y in survey["year"].dropna().unique()}
    names = [
        survey_unit_name(str(level), str(code), data, faculties.get(int(y), {}) if pd.notna(y) else {})
        for level, code, y in zip(survey["level"], survey["unit_code"], survey["year"], strict=True)
    ]
    questions = item_questions(data, width=None)
    out = hidden_n_emptied(survey)
    out.insert(list(out.columns).index("unit_code") + 1, "unit_name", names)
    if "item" in out.columns:
        text = out["item"].astype(str).map(questions)
        out.insert(list(out.columns).index("item") + 1, "question", text.astype("string"))
    return out


def survey_unit_words(level: str, code: str, name: str, lang: str) -> str:
    """ "NTNU (hele institusjonen)", "Fakultet for ingeniørvitenskap (271)", or where no name is
    known the code said as what it is, "fakultet 010": a bare "010" in a chart's title ("NTNU:
    010 – spørsmål") and the index table's group rows read as a number, not a faculty."""
    if level == "institution":
        return label("survey_unit_institution", lang, institution=name)
    return f"{name} ({code})" if name and name != code else f"{value_label('level', level, lang)} {code}"


def _is_top_unit(rows: pd.DataFrame, data: ReportData) -> pd.Series:
    """The report's own unit among survey rows: the institution, or in a faculty report the
    faculty (the unit of the finding and the answer distribution)."""
    level, code = rows["level"].astype(str), rows["unit_code"].astype(str)
    own = level == data.own_level
    return own & (code == data.faculty) if data.faculty else own


def survey_index_rows(data: ReportData, year: int) -> pd.DataFrame:
    """The report's index table for ``year``: the indices of the institution and its faculties
    (in a faculty report: the institution and the faculty, :data:`SURVEY_LEVELS`), each with its change from the year before as the
    survey table computed it (``previous_year``, ``mean_previous``, ``change``, ``p_value``,
    ``p_adjusted``, ``significant``, ``definition_changed``: the index's items differ between
    the two years, and so no change is shown) and its unit's name (``unit_name``).

    Every value is the disclosure pass's: nothing is recomputed. The ``n`` of a suppressed cell
    is emptied as well, since the report shows no number of a hidden cell (the derived table
    keeps it; so does :func:`named_survey_rows`); ``significant`` is missing where no change is shown or it has no test. Rows: the institution
    first, then the faculties by code, the indices in the
    configuration's order.
    """
    indices = data.survey_indices
    if indices is None or indices.empty:
        return pd.DataFrame()
    levels = SURVEY_LEVELS
    changes = data.survey_changes
    if data.faculty:
        # the institution's rows as its own report has them (for_faculty keeps them apart: the
        # faculty's data are the faculty's units)
        indices = _with_rows(indices, data.institution_survey_indices)
        changes = _with_rows(changes, data.institution_survey_changes)
    rows = indices[(indices["year"] == year) & indices["level"].astype(str).isin(levels)]
    rows = rows.astype({"level": str, "unit_code": str, "index_name": str}).reset_index(drop=True)
    change_columns = [
        "previous_year",
        "mean_previous",
        "change",
        "p_value",
        "p_adjusted",
        "significant",
        "definition_changed",
    ]
    if changes is not None and not changes.empty:
        # the institution's and faculties' rows only, as ``rows``: a programme delivered under two
        # faculties has a row under each (one unit code twice), which the merge would refuse
        found = changes[
            (changes["kind"].astype(str) == "index")
            & (changes["year"] == year)
            & changes["level"].astype(str).isin(levels)
        ]
        found = found.astype({"level": str, "unit_code": str, "name": str}).rename(columns={"name": "index_name"})
        rows = rows.merge(
            found[["level", "unit_code", "index_name", *change_columns]],
            on=["level", "unit_code", "index_name"],
            how="left",
            validate="one_to_one",
        )
    else:
        rows = rows.assign(
            previous_year=pd.NA,
            mean_previous=np.nan,
            change=np.nan,
            p_value=np.nan,
            p_adjusted=np.nan,
            significant=pd.NA,
            definition_changed=pd.NA,
        )
    rows = hidden_n_emptied(rows)
    rows["significant"] = rows["significant"].astype("boolean")  # missing as the survey table has it
    rows["definition_changed"] = rows["definition_changed"].astype("boolean")  # missing: no year before
    faculties = faculty_names_of(data.flags, year)
    rows["unit_name"] = [
        survey_unit_name(level, code, data, faculties)
        for level, code in zip(rows["level"], rows["unit_code"], strict=True)
    ]
    order = rows["level"].map(levels)
    return (
        rows.assign(_o=order).sort_values(["_o", "unit_code"], kind="stable").drop(columns="_o").reset_index(drop=True)
    )


def _with_rows(frame: pd.DataFrame | None, more: pd.DataFrame | None) -> pd.DataFrame | None:
    """``frame`` with the rows of ``more`` before it (either may be missing)."""
    parts = [f for f in (more, frame) if f is not None and not f.empty]
    if not parts:
        return frame
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def _score(value: object, lang: str) -> str:
    return number(value, lang, SCORE_DIGITS)


def mean_ci_text(row: pd.Series, lang: str) -> str:
    """ "3,67 (3,62–3,72)"; "–" where no mean is shown."""
    if bool(row["suppressed"]) or pd.isna(row["mean"]):
        return "–"
    if pd.isna(row["ci_low"]) or pd.isna(row["ci_high"]):
        return _score(row["mean"], lang)
    return f"{_score(row['mean'], lang)} ({_score(row['ci_low'], lang)}–{_score(row['ci_high'], lang)})"


def change_text(change: object, lang: str) -> str:
    """A change on the 1–5 scale with its sign: "+0,12", "−0,05", "0,00"; "–" where none is shown."""
    if pd.isna(change):
        return "–"
    value = round(float(change), SCORE_DIGITS)
    if value == 0:
        return _score(0, lang)
    return ("+" if value > 0 else "−") + _score(abs(value), lang)


def significance_words(row: pd.Series, lang: str) -> str:
    """ "signifikant økning" / "signifikant nedgang" / "ikke signifikant", from the survey
    table's own Benjamini–Hochberg mark; "–" where no change is shown or it has no test (the
    mark is then missing: unknown, not "ikke signifikant")."""
    if pd.isna(row["change"]) or pd.isna(row["significant"]):
        return "–"
    if bool(row["significant"]):
        return label("sig_up" if float(row["change"]) > 0 else "sig_down", lang)
    return label("sig_none", lang)


def survey_mark(row: pd.Series, lang: str) -> str:
    """Why a cell is empty or to be read with care: suppressed (the footnote says why),
    no answers, few respondents; and why its change is empty where both years are shown: the
    index's items differ between them ("definisjon endret", as the table's column says; a "–"
    alone reads as a hidden cell)."""
    if bool(row["suppressed"]):
        return label(f"suppressed_{row['suppression']}_mark", lang)
    if pd.notna(row["n"]) and int(row["n"]) == 0:
        return label("no_answers", lang)
    marks = [label("few_respondents", lang)] if bool(row["few_respondents"]) else []
    changed = row.get("definition_changed")  # (missing: no year before)
    if pd.notna(changed) and bool(changed):
        marks.append(label("definition_changed", lang))
    return "; ".join(marks)


def survey_index_block(
    rows: pd.DataFrame, year: int, lang: str, *, units: str, source: str, confidence_level: float
) -> dict:
    """The index table: one group row per unit, one row per index; its intervals are said at
    ``confidence_level``, the one they were computed with (``survey.confidence_level``)."""
    level = ci_level(confidence_level, lang)
    columns = [
        label("col_index", lang),
        label("col_n", lang),
        label("col_mean_ci", lang, level=level),
        label("col_change_from", lang, prev=year - 1),
        label("col_significance", lang),
        label("col_note", lang),
    ]
    out, group = [], None
    for _, row in rows.iterrows():
        g = survey_unit_words(row["level"], row["unit_code"], row["unit_name"], lang)
        if g != group:
            out.append(doc.group_row(g))
            group = g
        out.append(
            doc.cells_row(
                [
                    value_label("dim", row["index_name"], lang),
                    "–" if pd.isna(row["n"]) else str(int(row["n"])),
                    mean_ci_text(row, lang),
                    change_text(row["change"], lang),
                    significance_words(row, lang),
                    survey_mark(row, lang),
                ]
            )
        )
    return doc.table(
        "survey-indices",
        columns,
        out,
        [False, True, True, True, False, False],
        caption=label("survey_index_caption", lang, year=year, units=units, prev=year - 1, level=level),
        source=source,
    )


def survey_finding(data: ReportData, lang: str) -> tuple[str, int] | None:
    """(the sentence, its survey year): how many of the report unit's indices rose or fell
    significantly (Benjamini–Hochberg, the survey table's mark) since the year before, among
    those whose change may be shown. None where no change is shown."""
    year = latest_year(data.survey_indices, upto=data.year)
    if year is None:
        return None
    rows = survey_index_rows(data, year)
    rows = rows[_is_top_unit(rows, data) & rows["change"].notna()]
    if rows.empty:
        return None
    # a shown change without a test (no mark) is not counted as a significant rise or fall
    significant = rows["significant"].fillna(False).astype(bool)
    up, down = int((significant & (rows["change"] > 0)).sum()), int((significant & (rows["change"] < 0)).sum())
    return label(
        "finding_survey" if up or down else "finding_survey_none",
        lang,
        year=year,
        scope=own_scope(data, lang),
        up=up,
        down=down,
        total=counted(len(rows), "index", lang),
        prev=int(rows["previous_year"].iloc[0]),
    ), year


def respondent_survey_blocks(data: ReportData, lang: str) -> tuple[list[dict], list[ReportFigure]]:
    """With respondent-level data, for its latest year not after the report year: the index
    table of the institution and its faculties (in a faculty report: the institution and the
    faculty; :func:`survey_index_rows`), the answer distribution of the report unit's
    items, and the item means of each unit with a result that may be shown. Units by name."""
    survey = data.survey
    year = latest_year(survey, upto=data.year)
    if survey is None or year is None:
        return [], []
    blocks = [doc.paragraph(label("survey_respondents_intro", lang, min_n=data.survey_min_n))]
    rows = survey_index_rows(data, year)
    if not rows.empty:
        if not data.faculty:
            units = label("survey_units_institution", lang, institution=data.institution_short)
        else:
            # "with NTNU for comparison" only where the table has NTNU's rows: a year whose files
            # have fakultetskode but no institusjonskode has faculties and no institution
            compared = (rows["level"] == "institution").any()
            units = label(
                "survey_units_faculty" if compared else "survey_units_faculty_alone",
                lang,
                faculty=f"{data.faculty_name} ({data.faculty})",
                institution=data.institution_short,
            )
        conf = data.settings.survey
        blocks += [
            doc.heading(label("heading_survey_indices", lang, year=year, units=units), 3, "survey-indices"),
            survey_index_block(
                rows,
                year,
                lang,
                units=units,
                source=sources_line(survey[survey["year"] == year], data, lang, kind="sb-respondents"),
                confidence_level=conf.confidence_level,
            ),
            doc.paragraph(
                label(
                    "survey_index_note",
                    lang,
                    max_missing=conf.index_max_missing,
                    are=noun(conf.index_max_missing, "are", lang),  # "at most 1 is missing"
                    prev=year - 1,
                    alpha=significance_level(conf.confidence_level, lang),
                    warn_n=conf.warn_n,
                ),
                "note",
            ),
        ]
        if rows["suppressed"].astype(bool).any():
            blocks.append(doc.paragraph(label("survey_suppressed_note", lang, min_n=conf.min_n), "note"))
        if rows["previous_year"].isna().all():
            # the year before of the other place: one of the two years is of the rows of no
            # institution (files without institusjonskode), which stand in for the institution's
            # only in a year without its own, and a change of theirs only between two such years
            # (report.data); "the data has no results from 2024" was untrue there
            def place(of_year: int) -> set:
                return set(survey.loc[survey["year"] == of_year, "institution_code"].astype("string").fillna(""))

            apart = bool(place(year - 1)) and place(year - 1) != place(year)
            blocks.append(
                doc.paragraph(
                    label("survey_previous_apart" if apart else "survey_no_previous", lang, prev=year - 1, year=year),
                    "note",
                )
            )

    items = survey[(survey["year"] == year) & survey["level"].astype(str).isin(SURVEY_LEVELS)]
    if items.empty and rows.empty:
        # files without institusjonskode and fakultetskode have programmes only, which this
        # section does not show: the section ended after its introduction, without a word
        blocks.append(doc.paragraph(label("survey_programmes_only", lang, year=year), "note"))
    items = items.astype({"level": str, "unit_code": str, "item": str})
    questions = item_questions(data)
    faculties = faculty_names_of(data.flags, year)

    def unit_of(level: str, code: str) -> str:
        return survey_unit_words(level, code, survey_unit_name(level, code, data, faculties), lang)

    def chart_unit_of(level: str, code: str) -> str:
        """The unit after the institution in a chart's title ("Studiebarometeret 2025, NTNU:
        hele institusjonen"), not the institution twice."""
        return label("survey_unit_whole", lang) if level == "institution" else unit_of(level, code)

    top = items[_is_top_unit(items, data)]
    distribution: list[ReportFigure] = []
    for code in sorted(top["unit_code"].unique()):
        part = top[top["unit_code"] == code]
        if part["suppressed"].astype(bool).all():
            continue  # nothing of it may be shown: the table says so
        unit = unit_of(str(part["level"].iloc[0]), code)
        fig = survey_distribution_chart(
            part,
            unit_code=code,
            year=year,
            institution=data.institution_short,
            unit_name=chart_unit_of(str(part["level"].iloc[0]), code),
            item_labels=questions,
            groups=data.settings.survey.indices,
            sources=sources_for(part, data.retrieved, lang, kind="sb-respondents"),
            lang=lang,
        )
        bars = [t for t in fig.data if t.type == "bar"]
        if not bars:
            continue  # none of its items is in a configured index
        distribution.append(
            report_figure(
                f"svarfordeling_{slug(code)}",
                "survey",
                fig,
                lang,
                label("alt_distribution", lang, n=counted(len(bars[0].y), "item", lang)),
            )
        )
        blocks.append(
            doc.heading(label("heading_survey_distribution", lang, year=year, unit=unit), 3, "survey-distribution")
        )
        blocks += figure_blocks(distribution[-1:])

    units = items.drop_duplicates(["level", "unit_code"])[["level", "unit_code"]]
    units = units.assign(_o=units["level"].map(SURVEY_LEVELS)).sort_values(["_o", "unit_code"])
    means: list[ReportFigure] = []
    for level, code in zip(units["level"], units["unit_code"], strict=True):
        part = items[(items["level"] == level) & (items["unit_code"] == code)]
        if part["suppressed"].astype(bool).all():
            continue  # a chart of "skjermet" only; the index table names the unit and why
        means.append(
            report_figure(
                f"sporsmal_{slug(level)}_{slug(code)}",
                "survey",
                survey_items_chart(
                    part,
                    unit_code=code,
                    year=year,
                    institution=data.institution_short,
                    item_labels=questions,
                    unit_name=chart_unit_of(level, code),
                    sources=sources_for(part, data.retrieved, lang, kind="sb-respondents"),
                    lang=lang,
                    confidence_level=data.settings.survey.confidence_level,
                ),
                lang,
            )
        )
    if means:
        blocks.append(doc.heading(label("heading_survey_items", lang, year=year), 3, "survey-items"))
        blocks += figure_blocks(means)
    return blocks, distribution + means


def item_questions(data: ReportData, width: int | None = 60) -> dict[str, str]:
    """NOKUT variable name -> question text (latest survey year that has it), shortened to
    ``width`` characters (None: whole)."""
    variables = data.reference.get("survey_variables")
    if variables is None or variables.empty:
        return {}
    latest = variables.sort_values("year", kind="stable").drop_duplicates("variable", keep="last")
    return {
        v: (q if width is None or len(q) <= width else q[: width - 1] + "…")
        for v, q in zip(latest["variable"], latest["question"].astype(str), strict=True)
    }

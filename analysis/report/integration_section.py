"""The report's integration section: the institution among its comparison group, from the
integration scores (its latest year not after the report year)."""

from __future__ import annotations

import pandas as pd

from analysis.charts import (
    integration_ranking,
)
from analysis.charts.integration import is_hidden
from analysis.charts.labels import (
    counted,
    gap_words,
    label,
    score_words,
    value_label,
)
from analysis.institutions import is_institution
from analysis.metrics.integration import is_programme
from analysis.metrics.ranking import rank_in_group
from analysis.report import document as doc
from analysis.report.data import ReportData, latest_year, sources_for
from analysis.report.parts import (
    ReportFigure,
    chart_scope,
    hidden_n_emptied,
    no_data_text,
    own_scope,
    report_figure,
    slug,
    up_to_report_year,
)
from analysis.words import joined


def integration_scores(data: ReportData, lang: str = "nb") -> tuple[pd.DataFrame | None, str | None, tuple[str, ...]]:
    """The integration rows ranked within the comparison group, the own institution's name (one
    name in its every row: the report's short name, however the data writes it), and the
    configured group (empty: every institution in the data). Another institution that
    respondent data key by DBH code is named as the data or the reference tables name it
    (:attr:`ReportData.institution_names`), else said to be a DBH code
    ("institusjon med DBH-kode 0203"), never a bare number."""
    scores = data.integration
    if scores is None or scores.empty:
        return None, None, ()
    # one name for the own institution in every row: an extract names it ("NTNU"), respondent
    # files key its programmes by DBH code ("1150"); with the name chosen from one and the rows
    # of the other, the programmes' chart said "studieprogrammer ved 1150", marked none of them
    # as the institution's own, and the table said NTNU in 2017 and 1150 in 2025
    is_own = is_institution(scores["institution"], data.institution, (*data.own_names, data.institution_short))
    scores = scores.assign(institution=scores["institution"].mask(is_own, data.institution_short))
    own = data.institution_short if is_own.any() else None
    group = tuple(data.settings.integration.comparison_group)
    if group:
        # a peer group lists the others; the report ranks its own institution among them
        members = group + tuple(n for n in (own,) if n and n.casefold() not in {g.casefold() for g in group})
        scores = rank_in_group(scores, members)
    # after the ranking, which matches a configured group's codes too: "MTDT0026 (1110)" was a
    # programme of institution 1110, Universitetet i Oslo, which DBH's tables name
    keyed = (scores["source"].astype("string") == "respondents").fillna(False) & ~is_own
    codes = scores["institution"].astype("string")
    named = codes.map(lambda c: data.institution_names.get(c) or label("institution_by_code", lang, code=c))
    scores = scores.assign(institution=scores["institution"].mask(keyed & codes.notna(), named))
    return scores, own, group


def comparison_group_text(rows: pd.DataFrame, group: tuple[str, ...], lang: str) -> str:
    institutions = rows["institution"].dropna().unique()
    if not group and len(rows) and is_programme(rows).all() and len(institutions) == 1:
        # respondent-level data: one institution's programmes, ranked among themselves
        return label("scope_comparison_programmes", lang, institution=institutions[0])
    if group:
        members = rows.loc[rows["in_comparison_group"].astype(bool), "institution"].dropna().unique()
        # none of them in the year's data: the group as the settings name it, not "sammenligningsgruppe: "
        return label("scope_comparison_group", lang, members=", ".join(sorted(members) or group))
    return label("scope_comparison_all", lang)


def _n_text(rows: pd.DataFrame, lang: str) -> str:
    n = pd.to_numeric(rows["n"], errors="coerce")
    if n.notna().any():
        known = f"{int(n.min())}–{int(n.max())}" if n.min() != n.max() else int(n.min())
        return label("n_known", lang, n=counted(known, "answer", lang))
    return label("n_unknown", lang)


def _n_unknown_note(table: pd.DataFrame, lang: str) -> str:
    """The note that says why the integration table's count of answers is empty in some rows:
    the source gave no count (the 2017 extract gives means only). An unknown count stays an
    empty cell of a column of numbers in the workbook (numbers stay numbers, for sorting and
    sums); this note, under the section's heading, travels with it to the workbook's notes
    sheet, as the follow-up list's "–" notes do. "" where every row has its count."""
    missing = table[pd.to_numeric(table["n"], errors="coerce").isna()]
    if missing.empty:
        return ""
    years = ", ".join(str(y) for y in sorted({int(y) for y in missing["year"].dropna()}))
    return label("integration_n_unknown", lang, column=label("col_n", lang), years=years)


def _intro(data: ReportData, rows: pd.DataFrame, group_text: str, lang: str) -> str:
    """What the section's scores are, for one year's ``rows``. The 2017 extract's are NOKUT's
    integration items ("god faglig og sosial integrering mellom norske og internasjonale
    studenter"); respondent data's are of the items the settings choose, which may be proxies
    (the learning environment among all students): said so, not with the 2017 items' claim
    (an NTNU report with ``miljo_fag_13`` as its academic score said it measured integration
    between Norwegian and international students)."""
    if (rows["source_kind"].astype("string") == "sb-respondents").any():
        names = [score_words(name, lang) for name in _scores_shown(data)]
        combined = [score_words(name, lang) for name in data.settings.integration.combine]
        return label(
            "integration_intro_items",
            lang,
            scores=joined(names, lang),
            combined=joined(combined, lang),
            group=group_text,
        )
    return label("integration_intro", lang, group=group_text)


#: The scores the section shows besides the combined one, a column of its table and a bar of its
#: chart each (``analysis.report.tables``, ``analysis.charts.integration.SERIES``)
SHOWN_SCORES = ("academic", "social")


def _scores_shown(data: ReportData) -> list[str]:
    """The scores of respondent data the section shows, in the order it names them: those the
    combined score is the mean of, and academic and social where the settings give them items
    though the combined score leaves them out (``combine = ["academic"]``: social is still
    computed, drawn and in the table, and the text said nothing of what it is of)."""
    integration = data.settings.integration
    return list(dict.fromkeys([*integration.combine, *(s for s in SHOWN_SCORES if s in integration.scores)]))


def _items_note(data: ReportData, year: int, lang: str) -> str:
    """Which items each score of respondent data is the mean of, with each item's question
    (NOKUT's variable list, where it has the item): scores of respondent data are of the items
    the settings choose, which the report did not say (an NTNU report with `miljo_fag_13`, "det
    faglige miljøet blant studentene", as the academic score, 2026-12-04); the introduction
    (:func:`_intro`) points here."""
    from analysis.report.survey_section import item_questions

    questions = item_questions(data, width=None)
    parts = []
    for score in _scores_shown(data):
        items = data.settings.integration.scores.get(score, ())
        named = ", ".join(
            label("integration_item_question", lang, item=i, question=questions[i]) if i in questions else i
            for i in items
        )
        parts.append(f"{score_words(score, lang)}: {named}")
    return label("integration_items_note", lang, year=year, items="; ".join(parts))


def integration_section(
    data: ReportData, lang: str
) -> tuple[list[dict], list[ReportFigure], int | None, pd.DataFrame | None]:
    """(outline blocks, figures, survey year, scores ranked within the comparison group as the
    report publishes them: up to the report year, no n of a hidden row, :func:`published`)."""
    scores, own, group = integration_scores(data, lang)
    yr = latest_year(scores, upto=data.year) if scores is not None else None
    if yr is None:
        scope = label("scope_comparison_all", lang)
        return (
            [
                doc.heading(label("heading_integration_none", lang, scope=scope), 2, "integration"),
                doc.paragraph(
                    no_data_text("what_integration", own_scope(data, lang), data, lang, (scores, "year")), doc.NO_DATA
                ),
            ],
            [],
            None,
            published(scores, data.year),
        )
    rows = scores[scores["year"] == yr]
    group_text = comparison_group_text(rows, group, lang)
    blocks = [doc.heading(label("heading_integration", lang, year=yr, scope=group_text), 2, "integration")]
    if yr < data.year:
        blocks.append(doc.paragraph(label("older_data", lang, year=yr, report_year=data.year), "note"))
    blocks.append(doc.paragraph(_intro(data, rows, group_text, lang)))
    if (rows["source_kind"].astype("string") == "seed-integration").any():
        # an institution that is not in the extract is not "shown" by it (the note would say so)
        note = "integration_extract_note" if own else "integration_extract_absent"
        blocks.append(doc.paragraph(label(note, lang, institution=own or data.institution_short), "note"))
    if (rows["source_kind"].astype("string") == "sb-respondents").any():
        blocks.append(doc.paragraph(_items_note(data, yr, lang), "note"))
    unknown_n = _n_unknown_note(up_to_report_year(scores, data.year), lang)
    if unknown_n:
        blocks.append(doc.paragraph(unknown_n, "note"))
    # what a cut chart leaves out is said on the chart only (its note, under the subtitle): the
    # PNG travels alone and needs it; a paragraph of it here said it twice on the page and in Word
    figures = []
    for level in sorted(rows["level"].unique()):
        part = rows[rows["level"] == level]
        # ranked and shown, as the chart counts them (chart_rows): a hidden row is never drawn
        ranked = int((part["rank"].notna().to_numpy(dtype=bool) & ~is_hidden(part)).sum())
        if not ranked:
            # a ranking of none is no chart (it drew the own units, no best and no median, under
            # "the median of 0 ranked"): the section says why there is nothing to rank
            blocks.append(doc.paragraph(nothing_ranked(part, group, yr, level, lang), "note"))
            continue
        subtitle = label(
            "integration_subtitle",
            lang,
            ranked=counted(ranked, "ranked", lang),
            group=group_text,
            n=_n_text(hidden_n_emptied(part), lang),
        )
        fig = integration_ranking(
            rows,
            year=yr,
            level=level,
            highlight=own,
            subtitle=subtitle,
            scope=chart_scope(data, lang, institutions=True),
            sources=sources_for(part, data.retrieved, lang),
            best=data.settings.integration.chart_best,
            own_units=faculty_programmes(data),
            own_name=chart_scope(data, lang),
            lang=lang,
        )
        figures.append(
            report_figure(
                f"integrering_{slug(level)}",
                "integration",
                fig,
                lang,
                integration_sentence(part, own, yr, level, group_text, lang),
            )
        )
    return blocks, figures, yr, published(scores, data.year)


def nothing_ranked(part: pd.DataFrame, group: tuple[str, ...], yr: int, level: str, lang: str) -> str:
    """Why no unit of ``part`` (one level's rows) is ranked: every unit is hidden for too few
    answers, none is in the configured comparison ``group``, every one in it is hidden, or none
    in it has a combined score. Membership is of every row, hidden or shown: a group whose units
    are in the data, all hidden, is no group absent from the data (the table lists them)."""
    hidden = pd.Series(is_hidden(part), part.index)
    in_group = (
        part["in_comparison_group"].astype("boolean").fillna(False).astype(bool)
        if "in_comparison_group" in part
        else pd.Series(True, part.index)
    )
    if hidden.all():
        reason = label("integration_none_ranked_hidden", lang, hidden=counted(len(part), "suppressed_unit", lang))
    elif not in_group.any():
        reason = label("integration_none_ranked_outside", lang, members=", ".join(group))
    elif (hidden | ~in_group).all():
        hidden_in_group = int((hidden & in_group).sum())
        reason = label(
            "integration_none_ranked_group_hidden", lang, hidden=counted(hidden_in_group, "suppressed_unit", lang)
        )
    else:
        reason = label("integration_none_ranked_unscored", lang)
    return label("integration_none_ranked", lang, year=yr, level=value_label("level", level, lang), reason=reason)


def faculty_programmes(data: ReportData) -> set[str] | None:
    """The programme codes of the faculty a faculty report is for (its survey tables'
    programmes, :func:`~analysis.report.data.for_faculty`): the integration chart's own units
    there. None in an institution's report: every unit of the institution is its own."""
    if not data.faculty:
        return None
    survey = data.survey
    if survey is None or "unit_code" not in survey:
        return set()
    programmes = survey[survey["level"].astype("string") == "programme"]
    return set(programmes["unit_code"].dropna().astype(str))


def published(scores: pd.DataFrame | None, year: int) -> pd.DataFrame | None:
    """The integration rows as every view of the report shows them (its table, the workbook's
    sheet, notebook 03's table): up to the report ``year``, and no n of a hidden row
    (:func:`~analysis.report.parts.hidden_n_emptied`). Notebook 03 showed the rows as ranked,
    with every year and the n of hidden rows (an attack on the executed notebook, 2026-12-04)."""
    return None if scores is None else hidden_n_emptied(up_to_report_year(scores, year))


def integration_sentence(rows: pd.DataFrame, own: str | None, yr: int, level: str, group_text: str, lang: str) -> str:
    # the institution's own rank: a row of the institution itself, never one of its programmes
    # (respondent-level data ranks programmes: the first of them is no rank of the institution's)
    mine = rows[(rows["institution"] == own) & rows["rank"].notna() & ~is_programme(rows)] if own else rows.iloc[:0]
    if mine.empty:
        return ""
    r = mine.iloc[0]
    return label(
        "finding_integration",
        lang,
        year=yr,
        level=value_label("level", level, lang),
        institution=own,
        rank=int(r["rank"]),
        total=int(r["units_ranked"]),
        group=group_text,
        gap_best=gap_words(r["gap_to_best"], "best", lang),
        gap_median=gap_words(r["gap_to_median"], "median", lang),
    )

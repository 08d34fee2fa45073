"""Helpers that keep the notebooks thin: plotly renderer set-up, the data-quality summary and
the ipywidgets explorers for the adviser (shown only in an interactive kernel)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.io as pio

from analysis.charts import (
    gender_share_bars,
    gender_trend,
    portal_history_chart,
    portal_index_chart,
    survey_items_chart,
)
from analysis.charts.labels import label, thresholds_of, value_label
from analysis.disclosure import personal_datasets, personal_inputs
from analysis.metrics.unit_names import portal_programme_names
from analysis.paths import published_note
from analysis.report import skip_slow_optional_imports
from analysis.report.data import ReportData, latest_year, sources_for
from analysis.report.survey_section import faculty_names_of, item_questions, survey_unit_words

skip_slow_optional_imports()  # before setup() touches plotly's renderers (1.6 s per kernel)


#: The most rows a notebook shows of a table (an institution's programmes over the years fit).
ROWS_SHOWN = 1000


def setup() -> None:
    """Figures go into the notebook as plotly JSON: JupyterLab draws them interactively (its
    plotly extension), and executed notebooks stay small (no plotly.js copy per notebook).

    A table a notebook shows is shown whole: every row, every column and each cell's whole text.
    pandas' display limits (60 rows, 20 columns, 50 characters) cut notebook 04's table of the
    portal's changes (64 rows) and notebook 03's integration table of respondent data (587 rows)
    to their first and last rows around a "...", without a word of what was left out.

    Up to :data:`ROWS_SHOWN` rows: a national respondent file's integration table (4 362 rows,
    1 500 programmes of 30 institutions over 3 years) made notebook 03 5.6 MB instead of 0.65 MB,
    its table alone 1.9 MB of HTML and 1.8 MB of text, more than an adviser scrolls; a longer
    table shows its first and last rows and :func:`people` says where the whole table is."""
    pio.renderers.default = "plotly_mimetype"
    pd.set_option(
        "display.max_rows",
        ROWS_SHOWN,
        "display.min_rows",
        ROWS_SHOWN,
        "display.max_columns",
        None,
        "display.max_colwidth",
        None,
    )


def people(
    frame: pd.DataFrame | None, table: str, lang: str = "nb", threshold=None, levels: dict[str, float] | None = None
) -> pd.DataFrame:
    """A machine table as an adviser reads it in the notebook: the columns of the report's
    ``table`` ("followup", "unknown", "gender", "integration", "wellbeing", "portal",
    "portal_change", "files"), headers and words in ``lang`` (the same view as the workbook's
    sheet), numbers written as the report writes them and "–" where a value is missing
    (:func:`analysis.report.tables.display_frame`). ``levels``: the settings' confidence levels
    (:func:`analysis.charts.labels.confidence_levels`), for a table with an interval ("gender")."""
    from analysis.report import tables as t

    columns = {
        "followup": t.FOLLOWUP,
        "unknown": t.UNKNOWN,
        "gender": t.GENDER,
        "integration": t.INTEGRATION,
        "wellbeing": t.WELLBEING,
        "portal": t.PORTAL,
        "portal_change": t.PORTAL_CHANGE,
        "files": t.FILES_READ,
    }[table]
    shown = t.display_frame(t.people_table(frame, columns, lang, thresholds_of(threshold), levels), lang)
    if len(shown) > ROWS_SHOWN:
        # the notebook shows its first and last rows (setup()): said, with where the rest is
        print(label("nb_table_cut", lang, rows=len(shown), shown=ROWS_SHOWN // 2))
    return shown


def read_summary(data: ReportData, lang: str = "nb") -> pd.DataFrame:
    """One row per file read (from the validated stage's manifest): kind, dataset, rows,
    suppressed cells ("–" for a file whose reader has no such cells), warnings."""
    personal = personal_inputs(data.validated)  # their rows are respondents: "–"
    rows = [
        {
            "file": Path(i["file"]).name,
            "kind": i["kind"],
            "dataset": i["dataset"],
            "rows": None if str(i["file"]) in personal else i["rows"],
            "suppressed": i.get("suppressed"),
            "warnings": len(i.get("warnings", [])),
        }
        for i in data.validated.get("inputs", [])
    ]
    frame = pd.DataFrame(rows, columns=["file", "kind", "dataset", "rows", "suppressed", "warnings"])
    frame = frame.sort_values(["dataset", "file"], kind="stable").reset_index(drop=True)
    return people(frame, "files", lang)


def dataset_rows(data: ReportData, lang: str = "nb") -> pd.Series:
    """Rows per validated dataset, the datasets named in ``lang``; "–" for a dataset of
    respondents (:func:`~analysis.disclosure.personal_datasets`)."""
    personal = personal_datasets(data.validated)
    return pd.Series(
        {
            value_label("dataset", name, lang): "–" if name in personal else int(info["rows"])
            for name, info in sorted(data.validated.get("datasets", {}).items())
        },
        name=label("nb_rows", lang),
        dtype="object",
    )


def suppressed_cells(data: ReportData, lang: str = "nb") -> pd.DataFrame:
    """Units whose own women/men counts the source suppressed (unknown, never 0; ``suppression``,
    schemas.flags.SUPPRESSED_BY_SOURCE), as the report's list of units that cannot be judged
    shows them: a study programme too (DBH table 123 by Studieprogramkode), which a list of the
    departments alone left out while the report said it was masked."""
    flags = data.flags
    if flags.empty:
        return pd.DataFrame()
    # (a row of one gender masked beside the other's count judged on its interval is judged)
    own = flags["suppression"].notna() & (flags["status"] == "unknown")
    return people(flags.loc[own].reset_index(drop=True), "unknown", lang)


#: Notebook 04 charts the items of at most this many programmes (each chart has every item);
#: the survey table (the report's workbook, ``kvalitet survey``) has them all.
PROGRAMME_CHARTS = 10


def programme_item_charts(data: ReportData, lang: str = "nb", limit: int = PROGRAMME_CHARTS) -> tuple[list, str]:
    """Notebook 04's item charts of the programmes in the respondent data, for its latest year
    not after the report year: the first ``limit`` by code of the programmes with a result that
    may be shown (one whose every cell is hidden gets no chart of "skjermet" only, as in the
    report), and the sentence saying how many of how many are charted and how many have only
    hidden results. It charted the first 10 codes and said nothing of the others."""
    survey = data.survey
    year = latest_year(survey, upto=data.year)
    if survey is None or year is None:
        return [], label("nb_no_respondents", lang)
    programmes = survey[(survey["year"] == year) & (survey["level"].astype(str) == "programme")]
    # a programme is its code within its faculty: one delivered under two faculties has rows
    # under each, and picked by its code alone both faculties' means shared each item's row
    faculty = programmes["faculty_code"].astype("string").fillna("")
    unit = [faculty, programmes["unit_code"].astype("string")]
    all_hidden = programmes["suppressed"].astype("boolean").fillna(True).groupby(unit).all()
    shown = sorted(all_hidden.index[~all_hidden.to_numpy(dtype=bool)], key=lambda fc: (fc[1], fc[0]))
    several = {c for c, n in pd.Series([c for _, c in all_hidden.index]).value_counts().items() if n > 1}
    faculties = faculty_names_of(data.flags, year)
    questions = item_questions(data)
    figures = []
    for fac, code in shown[:limit]:
        part = programmes[((faculty == fac) & (programmes["unit_code"] == code)).to_numpy()]
        name = (
            f"{code}, {survey_unit_words('faculty', fac, faculties.get(fac, fac), lang)}" if code in several else code
        )
        figures.append(
            survey_items_chart(
                part,
                unit_code=code,
                year=year,
                institution=data.institution_short,
                sources=sources_for(programmes, data.retrieved, lang, kind="sb-respondents"),
                lang=lang,
                item_labels=questions,
                unit_name=name,
                confidence_level=data.settings.survey.confidence_level,
            )
        )
    note = label("nb_programme_charts", lang, shown=len(figures), total=len(shown), year=year)
    if all_hidden.any():
        note += " " + label("nb_programmes_hidden", lang, n=int(all_hidden.sum()))
    return figures, note


def warning_lines(data: ReportData, lang: str) -> list[str]:
    """Notebook 01's printout of :func:`all_warnings`: under the heading the report gives them
    (in Norwegian: "tekniske meldinger, på engelsk", since they are the product's error
    interface, in English by design; the notebook printed them in a Norwegian run without a
    word of why), one bullet each; or that there are none."""
    warnings = all_warnings(data)
    if not warnings:
        return [label("nb_no_warnings", lang)]
    return [label("notes", lang), *(f"• {w}" for w in warnings)]


def all_warnings(data: ReportData) -> list[str]:
    """Every file's warnings and the notes from reading the data, each as the report gives its
    notes (:func:`~analysis.paths.published_note`: a file by its name, not its path). A
    respondent file's (:func:`~analysis.disclosure.personal_inputs`) are one line saying there
    are some: a reader's note names the file's rows and counts them ("1 rows of sheet 'svar' are
    hidden in Excel"), and its rows are respondents (an attack on notebook 01, 2026-12-05: the
    one respondent of a programme the survey tables hide)."""
    from analysis.errors import Problem

    personal = personal_inputs(data.validated)
    out = []
    for i in data.validated.get("inputs", []):
        warnings = i.get("warnings", [])
        if str(i.get("file")) in personal and warnings:
            hint = f"kvalitet validate {i['file']} prints them, in the data folder"
            out.append(str(Problem(str(i["file"]), None, None, None, RESPONDENT_NOTES, hint)))
        else:
            out += [published_note(str(w), data.data_dir) for w in warnings]
    return out + list(data.warnings)


#: The line notebook 01 gives for the notes from reading a respondent file (:func:`all_warnings`).
RESPONDENT_NOTES = "notes from reading respondent-level data are not published: they name and count its rows"


def gender_explorer(data: ReportData, lang: str = "nb"):
    """Choose measure, level, faculty, unit and year; see the bars for the year and the trend
    of the chosen unit."""
    import ipywidgets as w
    from IPython.display import display

    from analysis.report.parts import chart_scope  # the report's parts only when the explorer runs

    flags = data.flags
    scope = chart_scope(data, lang)
    out = w.Output()
    measure = w.Dropdown(
        description=label("col_measure", lang),
        options=[(value_label("measure", m, lang), m) for m in sorted(flags["measure"].unique())],
    )
    level = w.Dropdown(description=label("col_level", lang))
    faculty = w.Dropdown(description=label("col_faculty", lang))
    unit = w.Dropdown(description=label("col_unit", lang))
    year = w.Dropdown(description=label("year", lang))

    def subset() -> pd.DataFrame:
        rows = flags[(flags["measure"] == measure.value) & (flags["level"] == level.value)]
        if faculty.value:
            rows = rows[rows["faculty_code"] == faculty.value]
        return rows

    busy = {"on": False}  # options are being reset: draw once at the end, not per change

    def choose_first(widget) -> None:
        values = [v[1] if isinstance(v, tuple) else v for v in widget.options]
        if widget.value not in values:
            widget.value = values[0] if values else None

    def refresh_options(*_):
        busy["on"] = True
        rows = flags[flags["measure"] == measure.value]
        level.options = [(value_label("level", v, lang), v) for v in sorted(rows["level"].unique())]
        choose_first(level)
        busy["on"] = False
        refresh_units()

    def refresh_units(*_):
        if busy["on"]:
            return
        busy["on"] = True
        rows = flags[(flags["measure"] == measure.value) & (flags["level"] == level.value)]
        facs = rows.dropna(subset=["faculty_code"]).drop_duplicates("faculty_code")
        faculty_now = faculty.value
        faculty.options = [(label("all_option", lang), None)] + [
            (f"{c} {n}", c) for c, n in zip(facs["faculty_code"], facs["faculty_name"].fillna(""), strict=True)
        ]
        faculty.value = faculty_now if faculty_now in set(facs["faculty_code"]) else None
        sub = subset()
        units = sub.drop_duplicates("unit_code")
        unit.options = [(str(n), c) for c, n in zip(units["unit_code"], units["unit_name"], strict=True)]
        choose_first(unit)
        year.options = [int(y) for y in sorted(sub["year"].unique(), reverse=True)]
        choose_first(year)
        busy["on"] = False
        draw()

    def draw(*_):
        if busy["on"]:
            return
        out.clear_output(wait=True)
        sub = subset()
        with out:
            if sub.empty:
                print(label("no_data", lang))
                return
            src = sources_for(sub, data.retrieved, lang)
            if year.value is not None:
                gender_share_bars(
                    sub,
                    year=int(year.value),
                    level=level.value,
                    scope=scope,
                    sources=src,
                    lang=lang,
                    threshold=data.threshold,
                    policy=data.policy,
                ).show()
            if unit.value is not None:
                gender_trend(
                    sub,
                    unit_codes=[unit.value],
                    scope=scope,
                    sources=src,
                    lang=lang,
                    threshold=data.threshold,
                    breaks=data.breaks,
                ).show()

    measure.observe(refresh_options, "value")
    level.observe(refresh_units, "value")
    faculty.observe(refresh_units, "value")
    unit.observe(draw, "value")
    year.observe(draw, "value")
    refresh_options()
    display(w.VBox([w.HBox([measure, level]), w.HBox([faculty, unit, year]), out]))


def portal_explorer(data: ReportData, lang: str = "nb"):
    """Choose a programme and a survey year; see its indices and the portal's time series."""
    import ipywidgets as w
    from IPython.display import display

    from analysis.report.parts import up_to_report_year  # the report's parts only when the explorer runs

    # the years the report speaks of, as its time series (data.portal_history) and the notebook's
    # charts: a later year the download holds is not offered
    index = up_to_report_year(data.portal_index, data.year)
    if index is None or index.empty:
        print(label("no_data", lang))
        return
    out = w.Output()
    names = data.portal_names(data.year)
    programme = w.Dropdown(
        description=label("col_programme", lang),
        options=[(names.get(s, s), s) for s in index["sb_id"].drop_duplicates()],
    )
    year = w.Dropdown(
        description=label("year", lang), options=[int(y) for y in sorted(index["survey_year"].unique(), reverse=True)]
    )

    def draw(*_):
        out.clear_output(wait=True)
        with out:
            rows = index[index["sb_id"] == programme.value]
            portal_index_chart(
                rows,
                sb_id=programme.value,
                institution=data.institution_short,
                survey_year=int(year.value),
                sources=sources_for(rows, data.retrieved, lang),
                lang=lang,
                min_n=data.survey_min_n,
                warn_n=data.survey_warn_n,
            ).show()
            hist = data.portal_history
            if hist is not None and (hist["sb_id"] == programme.value).any():
                h = hist[hist["sb_id"] == programme.value]
                portal_history_chart(
                    h,
                    sb_id=programme.value,
                    programme_name=names.get(programme.value, programme.value),
                    institution=data.institution_short,
                    sources=sources_for(h, data.retrieved, lang),
                    lang=lang,
                ).show()

    programme.observe(draw, "value")
    year.observe(draw, "value")
    draw()
    display(w.VBox([w.HBox([programme, year]), out]))


def year_on_year(
    history: pd.DataFrame | None,
    index: pd.DataFrame | None,
    year: int | None = None,
    set_aside: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Change from the year before per programme × index in the portal's time series (empty
    where either year was withheld, and where the series has no row for the year before: a
    change over a gap of years is not "the year before"'s), each programme named as the portal
    charts name it (:func:`~analysis.metrics.unit_names.portal_programme_names` of the portal
    ``index`` and the rows ``set_aside`` for respondent files, as of ``year``)."""
    if history is None or history.empty:
        return pd.DataFrame()
    names = portal_programme_names(index, year, set_aside)
    h = history.sort_values(["sb_id", "dimension_key", "survey_year"], kind="stable")
    key = ["sb_id", "dimension_key", "survey_year"]
    before = h[key + ["value"]].assign(survey_year=h["survey_year"] + 1).drop_duplicates(key)
    prev = h[key].merge(before, on=key, how="left")["value"].to_numpy()
    return h.assign(programme_name=[names.get(s, s) for s in h["sb_id"]], previous=prev, change=h["value"] - prev)[
        ["programme_name", "sb_id", "dimension_key", "survey_year", "value", "previous", "change"]
    ].reset_index(drop=True)

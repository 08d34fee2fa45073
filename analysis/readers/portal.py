"""Studiebarometeret as the portal (studiebarometeret.no) shows it, and NOKUT's variable list.

The portal publishes per programme: the eight index values with the field average
("Av alle …"), n and response rate, a "få svarende" warning, item means, a time series
(empty where the portal withheld a year for too few answers) and DBH background facts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.errors import InputError, Problem
from analysis.parsing import (
    ALL_FRACTIONS,
    ALL_FRACTIONS_HINT,
    ParseError,
    looks_like_fraction,
    only_fractions,
    parse_count,
    parse_decimal,
    parse_percent,
    parse_year,
)
from analysis.readers.base import (
    Col,
    ReadResult,
    check_duplicates,
    figure_columns,
    parse_columns,
    passed_over_among,
    read_text_table,
    unread_column_warnings,
    validate,
    without_stray_rows,
)
from analysis.words import counted
from schemas.studiebarometeret import PortalDbhFacts, PortalHistory, PortalIndex, PortalItems, SurveyVariables


def _score(text: str) -> float:
    value = parse_decimal(text)
    if not 1 <= value <= 5:
        raise ParseError("a mean score must be between 1 and 5", "check the value on the portal")
    return float(value)


def _pct(text: str) -> float:
    return float(parse_percent(text))


def _fractions(path: Path, text: pd.Series, rows: pd.Series) -> list[Problem]:
    """One warning for a percent column's cells that look like fractions ("0,18": far more
    likely 18 % than 0.18 %; :func:`analysis.parsing.looks_like_fraction`): how many, and the
    first. They are read as written (a real 0.5 % stays possible)."""
    looks = [i for i, t in text.items() if t is not None and str(t).strip() and _looks_like_fraction(str(t))]
    if not looks:
        return []
    first = looks[0]
    values = [(str(t), _percent_or_none(str(t))) for t in text if t is not None and str(t).strip()]
    shares = sum(1 for _, v in values if v)
    ones = sum(1 for t, v in values if v == 1 and "%" not in t)
    if only_fractions(len(looks), shares, ones):
        raise InputError(
            [
                Problem(
                    str(path),
                    int(rows[first]),
                    str(text.name),
                    str(text[first]),
                    ALL_FRACTIONS.format(count=len(looks)).replace("in the table", "in the column"),
                    ALL_FRACTIONS_HINT,
                )
            ]
        )
    return [
        Problem(
            str(path),
            int(rows[first]),
            str(text.name),
            str(text[first]),
            f"{counted(len(looks), 'cell', 'en')} with a fraction in a column of percentages (first shown here): read as "
            f"{str(text[first]).strip()} %",
            "write the share as a percentage (18 % for 0,18), or leave it if that many percent is meant",
        )
    ]


def _percent_or_none(text: str):
    """The cell as a percentage, None when it is none (the column's parser names it)."""
    try:
        return parse_percent(text)
    except ParseError:
        return None


def _looks_like_fraction(text: str) -> bool:
    percent = _percent_or_none(text)
    return percent is not None and looks_like_fraction(text, percent)


def _yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in ("ja", "yes", "true", "1"):
        return True
    if value in ("nei", "no", "false", "0"):
        return False
    raise ParseError("expected ja or nei", "write ja or nei")


def _read(
    path: Path,
    cols: list[Col],
    key: list[str],
    kind: str,
    dataset: str,
    model,
    dtypes: dict[str, str],
    names: tuple[str, ...] = (),
    not_names: tuple[str, ...] = (),
    passed_over: tuple[str, ...] = (),
) -> ReadResult:
    """One table by ``cols`` (``names``: its columns that name its units, where a total row
    would show; ``not_names``: columns whose values are data however they read:
    :func:`analysis.readers.base.without_stray_rows`; ``passed_over``: the format's columns not
    read, for a stated reason). Any other column is a warning naming it
    (:func:`analysis.readers.base.unread_column_warnings`)."""
    # a "Snitt" programme or a SHoT indicator "Totalt" would otherwise be read as one more unit
    table = read_text_table(path)
    figures = figure_columns(cols, table.header, (parse_count, _pct, _score))
    table = without_stray_rows(path, table, names, figures, not_names)
    text = table.frame()
    parsed, labels = parse_columns(path, text, table.lines, cols, table.header_line)
    unread = unread_column_warnings(path, text, labels, passed_over_among(passed_over))
    row_of = pd.Series(table.lines, index=parsed.index)
    values = [c.name for c in cols if c.name not in key]
    fractions = [
        w for c in cols if c.parse is _pct and c.name in parsed for w in _fractions(path, text[labels[c.name]], row_of)
    ]
    parsed, warnings = check_duplicates(path, parsed, key, values, row_of, labels)
    warnings = unread + fractions + warnings
    frame = pd.DataFrame(
        {"source_file": path.name, "source_row": row_of.loc[parsed.index].astype("Int64")}, index=parsed.index
    )
    for col in cols:
        if col.name in parsed:
            frame[col.name] = pd.array(parsed[col.name].tolist(), dtype=dtypes.get(col.name, "str"))
    frame = frame.reset_index(drop=True)
    frame = validate(model, frame, path, frame["source_row"].tolist(), labels)
    return ReadResult(path, kind, dataset, frame, warnings)


INDEX_COLUMNS = [
    Col("survey_year", "survey_year", parse_year),
    Col("sb_id", "sb_id"),
    Col("institution_code", "institusjonskode"),
    Col("programme_name", "programnavn"),
    Col("study_level", "nivaa"),
    Col("respondents", "respondents", parse_count),
    Col("response_rate_pct", "response_rate_pct", _pct, nullable=True),
    Col("dimension_key", "dimension_key"),
    Col("dimension_label", "dimension_label_portal"),
    Col("value", "value", _score, nullable=True),
    Col("field_average", "field_average", _score, nullable=True),
    Col("field_average_label", "field_average_label", nullable=True),
    Col("warning", "warning", nullable=True),
]
_NUM = {
    "survey_year": "Int64",
    "respondents": "Int64",
    "response_rate_pct": "Float64",
    "value": "Float64",
    "field_average": "Float64",
    "students_total": "Int64",
    "share_women_pct": "Float64",
    "share_men_pct": "Float64",
    "year": "Int64",
    "is_index": "bool",
}


#: The words of the portal's few-respondents warning ("NB: få svarende (Resultatene må tolkes
#: med forsiktighet, pga. få respondenter.)").
FEW_RESPONDENTS_WORDS = "få svarende"
#: A warning cell that says there is none: no warning, not one in words the reader does not know.
_NO_WARNING = re.compile(r"NA|-|–|—", re.IGNORECASE)


def read_portal_index(path: Path) -> ReadResult:
    result = _read(
        path,
        INDEX_COLUMNS,
        ["survey_year", "sb_id", "dimension_key"],
        "sb-portal-index",
        "portal_index",
        PortalIndex.to_schema().remove_columns(["few_respondents_warning"]),
        _NUM,
        names=("sb_id", "programnavn"),
    )
    frame = result.frame
    # NOTE: the portal's "få svarende" warning is kept as the portal's own judgement, whatever
    # the product's own minimum-n settings say.
    text = frame.pop("warning").fillna("").str.strip()
    # "NA" (R's write.csv) or a dash is a cell with no warning, not a warning in other words
    text = text.mask(text.str.fullmatch(_NO_WARNING), "")
    known = text.str.contains(FEW_RESPONDENTS_WORDS, case=False)
    # a warning in other words (the English portal, whose wording no source at hand gives) is
    # read as the portal's mark, the cautious reading, and said once per text: read as no
    # warning, the report showed the values unmarked
    other = (text != "") & ~known
    seen: set[str] = set()
    for i in frame.index[other.to_numpy(dtype=bool)]:
        if text[i] in seen:
            continue
        seen.add(text[i])
        result.warnings.append(
            Problem(
                str(path),
                int(frame["source_row"][i]),
                "warning",
                text[i],
                f"a portal warning in words the product does not know (it knows '{FEW_RESPONDENTS_WORDS}'): "
                "read as the portal's few-respondents mark",
                "check the programme on studiebarometeret.no; the Norwegian page (norsk) gives the words the "
                "product knows",
            )
        )
    frame["few_respondents_warning"] = known | other
    result.frame = PortalIndex.validate(frame)
    return result


ITEMS_COLUMNS = [
    Col("survey_year", "survey_year", parse_year),
    Col("sb_id", "sb_id"),
    Col("dimension_key", "dimension_key"),
    Col("item_text", "item_text_nb"),
    Col("value", "value", _score, nullable=True),
]


def read_portal_items(path: Path) -> ReadResult:
    return _read(
        path,
        ITEMS_COLUMNS,
        ["survey_year", "sb_id", "dimension_key", "item_text"],
        "sb-portal-items",
        "portal_items",
        PortalItems,
        _NUM,
        names=("sb_id",),  # not the item's text: "Totalt sett …" may begin a question
    )


HISTORY_COLUMNS = [
    Col("sb_id", "sb_id"),
    Col("survey_year", "survey_year", parse_year),
    Col("dimension_key", "dimension_key"),
    Col("value", "value", _score, nullable=True),
]


def read_portal_history(path: Path) -> ReadResult:
    try:
        return _read(
            path,
            HISTORY_COLUMNS,
            ["sb_id", "survey_year", "dimension_key"],
            "sb-portal-history",
            "portal_history",
            PortalHistory,
            _NUM,
            names=("sb_id",),
        )
    except InputError:
        items = _items_without_their_text(path)
        if items:
            raise InputError(items) from None
        raise


def _items_without_their_text(path: Path) -> list[Problem]:
    """The portal's items file with its item_text_nb column deleted has the time series' columns
    and is read as one: its questions, several to an index, were refused as rows with "the same
    key … but a different value", one problem a row (a bad-input hunt, 2026-12-03). It is said to
    be the items file lacking that column when the header lacks nothing else of the items' and
    most keys (programme, year, index) have several values: a time series with a wrong row has
    one such key, an items file one for each index with more than one question. Empty
    otherwise."""
    from analysis.parsing import normalise_header
    from analysis.readers.detect import missing_column_problems, missing_columns

    table = read_text_table(path)
    found = missing_columns("sb-portal-items", table.header)
    if found is None or [normalise_header(h) for h in found[0]] != ["item text nb"]:
        return []
    at = {normalise_header(h): i for i, h in enumerate(table.header)}
    values: dict[tuple[str, ...], set[str]] = {}
    for row in table.rows:
        key = tuple(row[at[c]].strip() for c in ("sb id", "survey year", "dimension key"))
        values.setdefault(key, set()).add(row[at["value"]].strip())
    several = sum(1 for v in values.values() if len(v) > 1)
    if several < 2 or 2 * several < len(values):
        return []
    why = (
        f": {several} of its {len(values)} keys (sb_id, survey_year, dimension_key) have several values, one for "
        "each question, where the time series has one"
    )
    return missing_column_problems(path, table.header_line, "sb-portal-items", found[0], table.header, why)


DBH_FACTS_COLUMNS = [
    Col("survey_year", "survey_year", parse_year),
    Col("sb_id", "sb_id"),
    Col("programme_name", "programnavn"),
    Col("respondents", "respondents", parse_count),
    Col("response_rate_pct", "response_rate_pct", _pct, nullable=True),
    Col("students_total", "antall_studenter_totalt", parse_count, nullable=True),
    Col("share_women_pct", "andel_kvinner_pct", _pct, nullable=True),
    Col("share_men_pct", "andel_menn_pct", _pct, nullable=True),
]

#: The portal's other DBH facts, passed over (no figure or chart uses them), not named as unread.
DBH_FACTS_PASSED_OVER = ("andel_av_heltid_pct", "studiepoeng", "undervisningssprak")


def read_portal_dbh_facts(path: Path) -> ReadResult:
    return _read(
        path,
        DBH_FACTS_COLUMNS,
        ["survey_year", "sb_id"],
        "sb-portal-dbh-facts",
        "portal_dbh_facts",
        PortalDbhFacts,
        _NUM,
        names=("sb_id", "programnavn"),
        passed_over=DBH_FACTS_PASSED_OVER,
    )


VARIABLES_COLUMNS = [
    Col("year", "aar", parse_year),
    Col("block", "blokk"),
    Col("question", "sporsmalstekst"),
    Col("variable", "variabel"),
    Col("is_index", "er_indeks", _yes_no),
]


#: Columns of NOKUT's variable list passed over for a stated reason, not named as unread.
VARIABLES_PASSED_OVER = (
    "ingress",  # the lead-in a block of questions shares; each question's own text is read
    "kildefil",  # the report template the row was taken from: the list's provenance, not a variable's
)


def read_survey_variables(path: Path) -> ReadResult:
    return _read(
        path,
        VARIABLES_COLUMNS,
        ["year", "variable"],
        "sb-variables",
        "survey_variables",
        SurveyVariables,
        _NUM,
        passed_over=VARIABLES_PASSED_OVER,
    )

"""Samordna opptak key figures (hovedopptak søkertall) per programme and year.

Two layouts:

- **The key-figure table** (kind ``samordna-keyfigures``), as Samordna opptak publishes its
  national søkertall: one record per programme × key figure, with ``Institusjon``,
  ``Studie- kode``, ``Studienavn``, ``Studie- sted``, ``Utdannings- type``, ``Nøkkeltall`` and
  one column per year. Read as a JSON list of records (as downloaded) or as the same table saved
  from Excel (``;``, UTF-8 with or without BOM, or Windows-1252). Header spellings vary
  (``Studie- kode`` = ``Studiekode``). Rows are the CSV line (header = 1) or the JSON record
  number (1 = the first record).
- **The programme-level sample** in shared/ (``samordna-sample``): one row per programme × year.

Key figures, by the label the national file uses, and the measure each number keeps:

================================  ==========================  ===================================
label                             measure                     value
================================  ==========================  ===================================
Alle søkere                       applicants                  count (``"1 468"``)
Førstevalgssøkere                 first_choice_applicants     count
Studieplasser                     places                      count (capacity; no gender share)
Førstevalgssøkere (kvinner)       first_choice_applicants     share of women, ``"28,6 %"``
Antall kvalifiserte               qualified                   count
Antall tilbud                     offers                      count
================================  ==========================  ===================================

These six are every label in the national file 2021–2026 (sampled across the whole file, and the
six its reference user NMBU-sammenligning reads); an unknown label is an error, never skipped.
A "… (kvinner)" row gives the women's share (cells with ``%``) or count (whole numbers) of the
measure on its own total row: *first-choice applicants*, not admitted or registered students.
Whole numbers of 100 or less only, read as counts, are said in a warning: they may be
percentages that lost their % sign (:func:`_whole_percents`).

Empty cells: ``null`` (JSON) or an empty cell (CSV) means the programme was not offered that
year; ``NA``/``NA %``/``-``/``–``/``.`` means the figure is not available. Neither becomes a row (never 0);
both are counted in the notes, and the ``NA`` cells are also a warning. The sample reads a
figure so marked the same way (:func:`marked_not_available`, one rule for both readers).

Institution codes: the file names institutions but gives no DBH ``Institusjonskode``. The code
is looked up by name (:func:`analysis.readers.institution_names.institution_codes`, the lookup
DBH exports with names but no codes use too): a name takes the code of DBH's latest year for it;
a name with no match, or with several codes in that year, keeps its name and gets no code, with
a warning: a code is never guessed.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import InputError, Problem, file_problem, listed_past_the_limit, listed_up_to
from analysis.parsing import (
    ALL_FRACTIONS,
    ALL_FRACTIONS_HINT,
    MAX_COUNT,
    ParseError,
    decimals_written,
    looks_like_fraction,
    normalise_header,
    only_fractions,
    parse_count,
    parse_decimal,
    parse_percent,
    parse_year,
    whole_number_text,
)
from analysis.readers.base import (
    Col,
    ReadResult,
    check_duplicates,
    converted_problems,
    differing_within_key,
    figure_columns,
    in_file_order,
    is_xlsx,
    measure_filter,
    parse_columns,
    passed_over_among,
    read_text,
    read_text_table,
    records_table,
    unread_column_warnings,
    unread_grouping_hint,
    validate,
    without_stray_rows,
)
from analysis.readers.institution_names import institution_codes
from analysis.readers.safe_json import decode_error
from analysis.words import counted
from schemas.admissions import AdmissionFigures
from schemas.common import MEASURES
from schemas.gender import GenderObservations

KIND = "samordna-keyfigures"

#: Key-figure labels (lower case, single spaces) -> measure.
KEY_FIGURES: dict[str, str] = {
    # the labels of Samordna opptak's national søkertall table
    "alle søkere": "applicants",
    "førstevalgssøkere": "first_choice_applicants",
    "studieplasser": "places",
    "antall kvalifiserte": "qualified",
    "antall tilbud": "offers",
    # shorter spellings of the same figures in advisers' own tables
    "søkere": "applicants",
    "førstevalg": "first_choice_applicants",
    "kvalifiserte": "qualified",
    "kvalifiserte søkere": "qualified",
    "tilbud": "offers",
    "tilbud om studieplass": "offers",
}
#: Each measure's label as the national file writes it (for messages).
TOTAL_LABEL = {
    "applicants": "Alle søkere",
    "first_choice_applicants": "Førstevalgssøkere",
    "places": "Studieplasser",
    "qualified": "Antall kvalifiserte",
    "offers": "Antall tilbud",
}
_WOMEN = re.compile(r"^(?P<base>.+?)\s*\(?\bkvinner\)?\s*(?:%|andel)?$")

KEYFIGURE_COLUMNS = [
    Col("institution_name", "Institusjon"),
    Col("programme_code", "Studiekode"),
    Col("programme_name", "Studienavn"),
    Col("campus", "Studiested", required=False, nullable=True),
    Col("study_type", "Utdanningstype", required=False, nullable=True),
    Col("key_figure", "Nøkkeltall"),
]
_YEAR_HEADER = re.compile(r"\s*(?:19|20)\d\d\s*")
_YEAR_IN_HEADER = re.compile(r"(?:19|20)\d\d")
_SPACES = "[ \u00a0\u202f\u2009]"
_COUNT = re.compile(rf"[0-9]{{1,3}}(?:{_SPACES}[0-9]{{3}})+|[0-9]+")
_PERCENT = re.compile(rf"(?P<num>[0-9]+(?:[.,][0-9]+)?){_SPACES}*(?P<sign>%?)")
_NOT_AVAILABLE = re.compile(rf"NA(?:{_SPACES}*%)?|-|–|\.", re.IGNORECASE)
#: Problems of one kind listed row by row before the rest are counted in one line.
MAX_LISTED = 20
FRACTION = "looks like a fraction in a percent column: read as that many percent"
FRACTION_HINT = "write the share in percent (13 % for 0.13) if that is what is meant"


# --- reading the table -----------------------------------------------------------------------


class _Table:
    """The key-figure table as text: canonical meta columns, the year columns as in the file,
    the row of every record as a person finds it, and the word for that row."""

    def __init__(
        self,
        meta: pd.DataFrame,
        years: pd.DataFrame,
        rows: np.ndarray,
        labels: dict[str, str],
        row_word: str,
        unread: list[Problem],
        unread_text: pd.DataFrame,
        measure_filter: str | None = None,
    ):
        self.meta, self.years, self.rows, self.labels, self.row_word = meta, years, rows, labels, row_word
        self.measure_filter = measure_filter  # what the export was filtered on (a column of one value)
        self.unread = unread  # a warning for each column the table has beside those read
        self.unread_text = unread_text  # those columns' cells, by their names as the warnings give them


def _is_json(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n")[:1] in ("[", "{")


def _split(path: Path, frame: pd.DataFrame, rows: np.ndarray, header_line: int, row_word: str) -> _Table:
    """``rows``: each row's line or record number; ``header_line``: where a column's problem is named."""
    years = [h for h in frame.columns if _YEAR_HEADER.fullmatch(str(h))]
    if not years:
        raise InputError(
            [
                Problem(
                    str(path),
                    header_line,
                    None,
                    ", ".join(map(str, frame.columns)),
                    "no year columns (e.g. 2024) after Nøkkeltall",
                    "export the key figures with one column per year",
                )
            ]
        )
    meta_headers = [h for h in frame.columns if h not in years]
    # a year column whose header is more than its year ("2024/2025", "2025 (foreløpig)", "H2025")
    # is not read as one: refused, never its figures left out
    odd = [h for h in meta_headers if _YEAR_IN_HEADER.search(str(h))]
    if odd:
        raise InputError(
            [
                Problem(
                    str(path),
                    header_line,
                    str(h),
                    str(h),
                    "a column named by a year, but not by the year alone: its figures would not be read",
                    "name each year column by its four-digit year only (2025)",
                )
                for h in odd
            ]
        )
    # the year columns hold the figures, read without parse_columns: a '#N/A' or a date there
    # is as wrong a figure as in a column it resolves, and said with its problems
    in_years = converted_problems(frame, years)
    try:
        meta, labels = parse_columns(path, frame[meta_headers], rows.tolist(), KEYFIGURE_COLUMNS, header_line)
    except InputError as err:
        raise InputError(in_file_order(in_years + err.problems, frame.columns)) from None
    if in_years:
        raise InputError(in_years)
    # a column of one value is a filter of the export: the figures are that subset's
    filter_text, filters = measure_filter(frame[meta_headers], labels, meta[["institution_name", "programme_code"]])
    unread = unread_column_warnings(path, frame[meta_headers], labels, read_as_filter=filters)
    unread_text = frame[meta_headers].rename(columns=str)[[str(p.column) for p in unread]]
    return _Table(meta, frame[years], rows, labels, row_word, unread, unread_text, filter_text)


def _read_csv(path: Path) -> _Table:
    table = read_text_table(path)
    # an AutoSum row below the year columns is a sum, not a key figure without its programme
    table = without_stray_rows(path, table, counts=figure_columns(KEYFIGURE_COLUMNS, table.header, ()))
    return _split(path, table.frame(), np.asarray(table.lines, dtype="int64"), table.header_line, "line")


_DUPLICATE_KEYS = "\x00duplicate keys"


def _keep_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object as a dict that remembers a key given twice (json keeps the last silently)."""
    record = dict(pairs)
    if len(record) != len(pairs):
        record[_DUPLICATE_KEYS] = sorted(k for k, n in Counter(k for k, _ in pairs).items() if n > 1)
    return record


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not a value JSON allows")


def _read_json(path: Path, text: str) -> _Table:
    try:
        # numbers are kept as their text (read exactly later, however many digits they have)
        data = json.loads(
            text,
            object_pairs_hook=_keep_duplicate_keys,
            parse_int=str,
            parse_float=str,
            parse_constant=_refuse_constant,
        )
    except json.JSONDecodeError as err:
        start = text.find("[")
        record = text.count("{", start, err.pos) if 0 <= start < err.pos else None
        raise InputError(
            [
                Problem(
                    str(path),
                    record,
                    None,
                    text[max(0, err.pos - 20) : err.pos + 20],
                    decode_error(text, err) + f" (line {err.lineno}, character {err.colno} of the file)",
                    "download the søkertall table again",
                )
            ]
        ) from None
    except RecursionError:
        raise file_problem(
            path, None, "the JSON is nested too deeply to be a key-figure table", "download the søkertall table again"
        ) from None
    except ValueError as err:
        raise file_problem(path, None, f"not valid JSON: {err}", "download the søkertall table again") from None
    if not isinstance(data, list) or not data:
        raise file_problem(
            path,
            type(data).__name__,
            "the key-figure table is a JSON list of records",
            "download the søkertall table again",
        )
    first = data[0] if isinstance(data[0], dict) else {}
    keys = [k for k in first if k != _DUPLICATE_KEYS]
    wanted = set(keys)
    problems: list[Problem] = []
    for number, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            problems.append(
                Problem(
                    str(path),
                    number,
                    None,
                    json.dumps(record, ensure_ascii=False)[:60],
                    "a record must be a JSON object",
                    "download the søkertall table again",
                )
            )
            continue
        for key in record.get(_DUPLICATE_KEYS, []):
            problems.append(
                Problem(
                    str(path),
                    number,
                    key,
                    record[key],
                    "the key appears twice in this record",
                    "download the søkertall table again; an edited file must keep each key once",
                )
            )
        missing = [k for k in keys if k not in record]
        if missing:
            problems.append(
                Problem(
                    str(path),
                    number,
                    ", ".join(missing),
                    None,
                    f"incomplete record: it has no {', '.join(missing)} (record 1 has {', '.join(keys)})",
                    "download the søkertall table again; every record has the same fields",
                )
            )
        for key, value in record.items():
            if key == _DUPLICATE_KEYS:
                continue
            if key not in wanted:
                problems.append(
                    Problem(
                        str(path),
                        number,
                        key,
                        value,
                        "a field record 1 does not have",
                        "download the søkertall table again; every record has the same fields",
                    )
                )
            elif value is not None and not isinstance(value, str):
                problems.append(
                    Problem(
                        str(path),
                        number,
                        key,
                        json.dumps(value, ensure_ascii=False)[:60],
                        "expected text, a number or null",
                        "download the søkertall table again",
                    )
                )
    if problems:
        raise InputError(_capped(problems))
    frame = pd.DataFrame.from_records(data, columns=keys).astype(object)
    frame = frame.where(frame.notna(), None)
    # a total row or a sum in the records, as in a CSV's rows (:func:`_read_csv`)
    without_stray_rows(
        path,
        records_table(keys, frame.itertuples(index=False, name=None)),
        counts=figure_columns(KEYFIGURE_COLUMNS, keys, ()),
    )
    return _split(path, frame, np.arange(1, len(frame) + 1, dtype="int64"), 1, "record")


def _capped(problems: list[Problem]) -> list[Problem]:
    """The records' problems as every reader lists them past its limit (:func:`listed_up_to`): the
    first past the limit named by its record, field and value, counting the others."""
    return listed_up_to(problems, MAX_LISTED, "in the records", unit="problem")


# --- key figures and values ------------------------------------------------------------------


def _label_measure(label: str) -> tuple[str | None, bool]:
    """(measure or None, is a "(kvinner)" row) of a key-figure label."""
    norm = re.sub(r"\s+", " ", label.strip().lower())
    women = _WOMEN.match(norm)
    base = women.group("base").strip() if women else norm
    return KEY_FIGURES.get(base), women is not None


def _first_rows(
    path: Path, rows: np.ndarray, mask: np.ndarray, column, values, message: str, hint: str
) -> list[Problem]:
    """One problem per row of ``mask`` (the first :data:`MAX_LISTED`), then a count of the rest.
    ``column`` is one header, or the header of every row."""
    at = np.flatnonzero(mask)
    columns = np.broadcast_to(np.asarray(column, dtype=object), mask.shape)
    shown = [Problem(str(path), int(rows[i]), columns[i], values[i], message, hint) for i in at[: MAX_LISTED + 1]]
    if len(at) > MAX_LISTED:  # the first past the limit named by its row and value, the rest counted
        shown[MAX_LISTED] = listed_past_the_limit(shown[MAX_LISTED], len(at) - MAX_LISTED - 1, "with the same problem")
    return shown


def _parse_problems(path: Path, cells: pd.DataFrame, parse) -> list[Problem]:
    """The precise reason for every cell that fails the fast check (the strict parser says why)."""
    problems = []
    for cell in cells.itertuples():
        try:
            parse(cell.text)
        except ParseError as err:
            problems.append(Problem(str(path), int(cell.row), cell.column, cell.text, err.message, err.hint))
        else:  # the fast check refused what the parser reads: keep the parser's word, never drop
            problems.append(
                Problem(str(path), int(cell.row), cell.column, cell.text, "not a number", "check the export")
            )
    return problems


def _counts(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(value, ok) for count cells: ``"1 468"`` with any thousands space, or ``"1468"``."""
    ok = text.str.fullmatch(_COUNT.pattern).fillna(False).astype(bool)
    digits = text.where(ok, "0").str.replace(_SPACES, "", regex=True)
    ok &= digits.str.len() <= len(str(MAX_COUNT))
    value = pd.to_numeric(digits.where(ok, "0")).astype("float64")
    ok &= value <= MAX_COUNT
    return value.where(ok), ok


def _percents(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(value, ok, has % sign) for percentage cells: ``"28,6 %"``, ``"33%"``, ``"40"``."""
    parts = text.str.extract(f"^{_PERCENT.pattern}$")
    ok = parts["num"].notna() & (parts["num"].str.len() <= 30)
    value = pd.to_numeric(parts["num"].where(ok).str.replace(",", ".", regex=False)).astype("float64")
    ok &= value <= 100
    return value.where(ok), ok, parts["sign"].eq("%")


def _cells(path: Path, table: _Table) -> tuple[pd.DataFrame, list[Problem], list[Problem], dict]:
    """Every key-figure cell with a value, tidy: row, column, year, measure, women, unit, value.

    Returns the cells, the problems, the warnings and counts for the notes.
    """
    meta, rows = table.meta, table.rows
    labels = meta["key_figure"]
    resolved = {label: _label_measure(label) for label in labels.unique()}
    measure = labels.map(lambda label: resolved[label][0]).to_numpy(dtype=object)
    women = labels.map(lambda label: resolved[label][1]).to_numpy(dtype=bool)
    label_col = table.labels["key_figure"]
    problems: list[Problem] = []
    for label, (m, w) in resolved.items():
        where = (labels == label).to_numpy()
        if m is None:
            problems += _first_rows(
                path,
                rows,
                where,
                label_col,
                labels.to_numpy(),
                "unknown key figure",
                "known: " + ", ".join(TOTAL_LABEL.values()) + ", each but Studieplasser "
                "also as '… (kvinner)'; shorter: Søkere, Kvalifiserte, Tilbud",
            )
        elif w and m not in MEASURES:
            problems += _first_rows(
                path,
                rows,
                where,
                label_col,
                labels.to_numpy(),
                "a share of women is not defined for this key figure",
                "give women for applicants, first-choice applicants, qualified or offers",
            )
    problems += _missing_totals(path, table, measure, women)

    n, headers = len(meta), list(table.years.columns)
    text = pd.Series(table.years.to_numpy(dtype=object).ravel(), dtype=object)
    pos = np.repeat(np.arange(n), len(headers))
    cells = pd.DataFrame(
        {
            "pos": pos,
            "row": rows[pos],
            "column": np.tile(np.array(headers, dtype=object), n),
            "text": text.fillna("").astype(str).str.strip(),
        }
    )
    empty = (cells["text"] == "").to_numpy()
    not_available = marked_not_available(cells["text"])
    counts = {
        "records": n,
        "cells": len(cells),
        "not_offered": int(empty.sum()),
        "not_available": int(not_available.sum()),
    }
    warnings = _not_available_warning(path, cells["row"], cells["column"], cells["text"], not_available)
    # an empty cell is one programme not offered that year; a year empty in every record of
    # several programmes is the download's (a column left empty), said, not read without a word
    # as no programme offered (one programme's download is empty before its first year)
    programmes = (meta["institution_name"].fillna("") + "\x00" + meta["programme_code"].fillna("")).nunique()
    blank_years = [h for h, blank in zip(headers, empty.reshape(n, len(headers)).all(axis=0), strict=True) if blank]
    for header in blank_years if programmes > 1 else []:
        warnings.append(
            Problem(
                str(path),
                None,
                header,
                None,
                f"no record has a figure for {str(header).strip()}: read as a year no programme was offered",
                "download the table again if the year's figures are published; else nothing to do",
            )
        )
    cells = cells[~empty & ~not_available & pd.notna(measure[cells["pos"]])].reset_index(drop=True)
    cells["measure"] = measure[cells["pos"]]
    cells["women"] = women[cells["pos"]]

    # a "(kvinner)" row holds percentages if any of its cells has a % sign or is not a whole
    # number; otherwise it holds counts of women. A total's 612.0 (a float column's value) is
    # 612, as every count is read; a "(kvinner)" row's 28,0 stays a share written with a decimal
    whole = cells["text"].where(cells["women"], cells["text"].map(whole_number_text))
    count_value, count_ok = _counts(whole)
    pct_value, pct_ok, has_sign = _percents(cells["text"])
    row_has_sign = has_sign.groupby(cells["pos"]).transform("any").astype(bool)
    row_all_whole = count_ok.groupby(cells["pos"]).transform("all").astype(bool)
    percent_row = cells["women"] & (row_has_sign | ~row_all_whole)
    cells["unit"] = np.where(percent_row, "percent", "count")
    cells["value"] = np.where(percent_row, pct_value, count_value)
    bad_count = ~percent_row & ~count_ok
    bad_pct = percent_row & ~pct_ok
    # the first bad cells in file order, counts and shares alike; the first past the limit named
    # by its row and value, counting the rest (it counted every bad cell, the listed among them,
    # once there were more than 20 of both kinds together, and listed up to 20 of each)
    bad = bad_count | bad_pct
    found = [
        _parse_problems(path, cells.loc[[at]], parse_percent if bad_pct[at] else parse_count)[0]
        for at in cells.index[bad.to_numpy()][: MAX_LISTED + 1]
    ]
    if len(found) > MAX_LISTED:
        found[MAX_LISTED] = listed_past_the_limit(
            found[MAX_LISTED], int(bad.sum()) - MAX_LISTED - 1, "that are not numbers", unit="cell"
        )
    problems += found
    # issue 10: 0.13 in a percent row is read as 0.13 %, and was almost certainly meant as 13 %
    # (the one rule, analysis.parsing.looks_like_fraction, cell by cell: key figures are few)
    fraction = percent_row & pd.Series(
        [ok and looks_like_fraction(t, Fraction(v)) for t, v, ok in zip(cells["text"], pct_value, pct_ok, strict=True)],
        index=cells.index,
    )
    shares = percent_row & pct_ok & (cells["value"] != 0)
    ones = shares & ~has_sign & (cells["value"] == 1)
    if only_fractions(int(fraction.sum()), int(shares.sum()), int(ones.sum())):
        first = int(np.flatnonzero(fraction.to_numpy(dtype=bool))[0])
        problems.append(
            Problem(
                str(path),
                int(cells.at[first, "row"]),
                cells.at[first, "column"],
                cells.at[first, "text"],
                ALL_FRACTIONS.format(count=int(fraction.sum())),
                ALL_FRACTIONS_HINT,
            )
        )
    warnings += _first_rows(
        path,
        cells["row"].to_numpy(),
        fraction.to_numpy(dtype=bool),
        cells["column"].to_numpy(),
        cells["text"].to_numpy(),
        FRACTION,
        FRACTION_HINT,
    )
    cells["year"] = cells["column"].str.strip().astype("int64")
    return cells, problems, warnings, counts


def _missing_totals(path: Path, table: _Table, measure: np.ndarray, women: np.ndarray) -> list[Problem]:
    """A "(kvinner)" row needs its programme's total row: the share is a share *of* that row."""
    meta = table.meta
    key = (
        meta["institution_name"].fillna("")
        + "\x00"
        + meta["programme_code"].fillna("")
        + "\x00"
        + pd.Series(measure, index=meta.index).fillna("").astype(str)
    )
    has_total = set(key[~women])
    gender_measure = pd.Series(measure, index=meta.index).isin(MEASURES).to_numpy()
    lonely = women & gender_measure & ~key.isin(has_total).to_numpy()
    problems = []
    for i in np.flatnonzero(lonely)[: MAX_LISTED + 1]:
        total = TOTAL_LABEL.get(measure[i], measure[i])
        problems.append(
            Problem(
                str(path),
                int(table.rows[i]),
                table.labels["key_figure"],
                meta["key_figure"].iat[i],
                f"no '{total}' row for programme {meta['programme_code'].iat[i]} "
                f"({meta['institution_name'].iat[i]}): the women's figure has no total to be a part of",
                "export the table again with every key figure of the programme, or remove this row",
            )
        )
    if lonely.sum() > MAX_LISTED:  # the first past the limit named by its row and value, the rest counted
        problems[MAX_LISTED] = listed_past_the_limit(
            problems[MAX_LISTED], int(lonely.sum()) - MAX_LISTED - 1, "with a '(kvinner)' figure and no total"
        )
    return problems


# --- the reader ------------------------------------------------------------------------------


def read_keyfigures(path: Path) -> ReadResult:
    """The key-figure table (JSON as downloaded, or CSV saved from Excel) as gender observations
    (each "(kvinner)" row with its total) and, in ``also["admissions"]``, every number of the
    table with its measure."""
    path = Path(path)
    if is_xlsx(path):  # the table saved from Excel as a workbook: read as the same table
        table = _read_csv(path)
    else:
        text, _ = read_text(path)
        table = _read_json(path, text) if _is_json(text) else _read_csv(path)
    cells, problems, warnings, counts = _cells(path, table)
    if problems:
        raise InputError(problems)
    warnings = table.unread + warnings
    meta = table.meta.iloc[cells["pos"].to_numpy()].reset_index(drop=True)
    # A code is a code: Excel may show "194 109"; the space is not part of it.
    meta["programme_code"] = meta["programme_code"].str.replace(_SPACES, "", regex=True)
    cells = pd.concat([cells, meta], axis=1)
    key = ["institution_name", "programme_code", "year", "measure", "women"]
    try:
        cells, repeats = check_duplicates(
            path,
            cells,
            key,
            ["value"],
            cells["row"],
            {
                "institution_name": table.labels["institution_name"],
                "programme_code": table.labels["programme_code"],
                "measure": table.labels["key_figure"],
                "women": "kvinner",
            },
            value_column=cells["column"],
        )
    except InputError as err:
        # a column not read that splits the rows (an admission type: "Hovedopptak" and "Lokalt
        # opptak" rows of one programme) is the cause: neither row is wrong
        # named only where rows of one programme and key figure differ in it: the same "Hentet"
        # date in both rows does not split them, and one of the two figures is then wrong
        same_key = table.meta[["institution_name", "programme_code", "key_figure"]]
        differ = differing_within_key(table.unread_text, same_key)
        unread = [str(c) for c in differ.columns if differ[c].any()]
        if not unread:
            raise
        hint = unread_grouping_hint(
            unread, "keep the rows of one value of {it} (e.g. Hovedopptak), or export the table without {it}"
        )
        raise InputError([replace(p, hint=hint) for p in err.problems]) from None
    warnings += repeats
    codes, unmatched = institution_codes(
        path, table.meta["institution_name"], table.rows, table.labels["institution_name"]
    )
    warnings += unmatched
    code_of = dict(zip(table.meta["institution_name"], codes))
    cells["institution_code"] = cells["institution_name"].map(code_of).astype("str")

    gender = _gender(path, cells, table.row_word)
    warnings += _whole_percents(path, gender, table.row_word)
    frame = pd.DataFrame(
        {
            "source_kind": KIND,
            "source_file": path.name,
            "source_row": gender["row"].astype("Int64"),
            "institution_code": gender["institution_code"],
            "institution_name": gender["institution_name"].astype("str"),
            "level": "programme",
            "unit_code": gender["programme_code"].astype("str"),
            "unit_name": gender["programme_name"].astype("str"),
            "faculty_code": pd.Series(pd.NA, index=gender.index, dtype="str"),
            "year": gender["year"].astype("Int64"),
            "measure": gender["measure"],
            "measure_filter": table.measure_filter,
            "total": gender["total"].round().astype("Int64"),
            "women": gender["value"].where(gender["unit"] == "count").round().astype("Int64"),
            "men": (gender["total"] - gender["value"]).where(gender["unit"] == "count").round().astype("Int64"),
            "share_women_given_pct": gender["value"].where(gender["unit"] == "percent").astype("Float64"),
            "share_women_given_decimals": _decimals(path, gender["text"]).where(gender["unit"] == "percent"),
            "suppressed": False,
        }
    ).reset_index(drop=True)
    frame = _validated(GenderObservations, frame, path, {"unit_code": table.labels["programme_code"]})
    admissions = _validated(
        AdmissionFigures,
        pd.DataFrame(
            {
                "source_file": path.name,
                "source_row": cells["row"].astype("Int64"),
                "institution_code": cells["institution_code"],
                "institution_name": cells["institution_name"].astype("str"),
                "programme_code": cells["programme_code"].astype("str"),
                "programme_name": cells["programme_name"].astype("str"),
                "campus": cells["campus"].astype("str"),
                "study_type": cells["study_type"].astype("str"),
                "year": cells["year"].astype("Int64"),
                "key_figure": table.meta["key_figure"].iloc[cells["pos"].to_numpy()].to_numpy(),
                "measure": cells["measure"],
                "women": cells["women"].astype(bool),
                "unit": cells["unit"],
                "value": cells["value"].astype("float64"),
            }
        ).reset_index(drop=True),
        path,
        {},
    )
    notes = {
        **counts,
        "key_figures": int(len(admissions)),
        "programmes": int(cells["programme_code"].nunique()),
        "institutions_without_code": sorted(n for n, c in code_of.items() if pd.isna(c)),
    }
    return ReadResult(path, KIND, "gender", frame, warnings, notes, also={"admissions": admissions})


def _gender(path: Path, cells: pd.DataFrame, row_word: str) -> pd.DataFrame:
    """Each women's figure beside its total of the same programme, year and measure."""
    key = ["institution_name", "programme_code", "year", "measure"]
    totals = cells.loc[~cells["women"], key + ["value", "row"]].rename(columns={"value": "total", "row": "total_row"})
    gender = cells[cells["women"]].merge(totals, on=key, how="left")
    problems: list[Problem] = []
    # a share stands on its own when that year's total is not available; a count does not
    no_total = (gender["unit"] == "count") & gender["total"].isna()
    without_total: list[Problem] = []
    for r in gender[no_total].itertuples():
        without_total.append(
            Problem(
                str(path),
                int(r.row),
                r.column,
                r.text,
                f"a count of women for {r.year}, but the total row has no figure that year",
                "fill in the total or remove the count",
            )
        )
    problems += listed_up_to(without_total, MAX_LISTED, "with a count of women and no total that year", unit="cell")
    over = (gender["unit"] == "count") & (gender["value"] > gender["total"])
    more_women: list[Problem] = []
    for r in gender[over].itertuples():
        more_women.append(
            Problem(
                str(path),
                int(r.row),
                r.column,
                r.value,
                f"more women than the total ({r.total:g} on {row_word} {int(r.total_row)})",
                "check the export: women ≤ total",
            )
        )
    problems += listed_up_to(more_women, MAX_LISTED, "with more women than the total", unit="cell")
    if problems:
        raise InputError(problems)
    return gender


def _whole_percents(path: Path, gender: pd.DataFrame, row_word: str) -> list[Problem]:
    """A warning where every "(kvinner)" row read as counts of women (whole numbers, no % sign)
    could be percentages that lost their sign (typed in from Samordna's pages, or a column
    formatted as a number): each figure 100 or less. Read as counts, Pedagogikk's 78,4 % of 245
    written 78 was 31.8 % women, flagging women instead of men, without a word (a bad-input
    hunt, 2026-12-04). A figure above 100 can only be a count, and then the file's are counts."""
    counts = gender[gender["unit"] == "count"]
    if counts.empty or bool((counts["value"] > 100).any()):
        return []
    ordered = counts.sort_values(["row", "year"], kind="stable")
    # the figure shown is the first of a total above 0: 0 women of 0 applicants has no share
    with_total = ordered[ordered["total"] > 0]
    first = (with_total if len(with_total) else ordered).iloc[0]
    share = f": {100 * first['value'] / first['total']:.1f} %" if first["total"] > 0 else ""
    return [
        Problem(
            str(path),
            int(first["row"]),
            first["column"],
            first["text"],
            f"{counted(len(counts), 'cell', 'en')} of the '(kvinner)' rows "
            f"{'is a whole number' if len(counts) == 1 else 'are whole numbers'} without a % sign, read as "
            f"counts of women ({first['value']:g} of {first['total']:g} on {row_word} {int(first['total_row'])}"
            f"{share}), though each is 100 or less and may be a percentage that lost its % sign",
            f"write a percentage with its % sign ({first['value']:g} %); counts of women need nothing",
        )
    ]


def _decimals(path: Path, shares: pd.Series) -> pd.Series:
    """The decimals each share was written with (:func:`analysis.parsing.decimals_written`). In a
    workbook only where the share has its % sign: a number shown as a percentage is read with
    the decimals its format shows (0.28 in the format 0.0 % is "28,0 %", one decimal, as in a
    CSV saved from it: :func:`analysis.readers.xlsx._shown_rows`), and a text is as it was
    typed. A number without one (the format General, or a % the format writes as text) holds the
    number, not what was written (a formula's 28.378378378378379; Excel shows 40,0 % from 40 in
    the format 0.0 "%"): its decimals are unknown. A share taken as rounded to whole percentages
    would agree with counts it does not (ingest's share against count)."""
    written = shares.map(decimals_written).astype("Int64")
    if is_xlsx(path):
        return written.where(shares.astype("string").str.contains("%", regex=False).fillna(False).astype(bool))
    return written


def _validated(model, frame: pd.DataFrame, path: Path, labels: dict[str, str]) -> pd.DataFrame:
    """``validate`` that never lets a failure pass without a problem to show."""
    try:
        return validate(model, frame, path, frame["source_row"].tolist(), labels)
    except InputError as err:
        if err.problems:
            raise
        raise file_problem(
            path,
            None,
            f"the table fails a check of {model.__name__}",
            "this is a bug in the reader; please report this file",
        ) from None


# --- the programme-level sample ----------------------------------------------------------------

SAMPLE_COLUMNS = [
    Col("institution_name", "institusjon"),
    Col("programme_code", "studiekode"),
    Col("campus", "studiested", nullable=True),
    Col("study_type", "type", nullable=True),
    Col("programme_name", "programnavn_beskrivende"),
    Col("year", "aar", parse_year),
    Col("applicants", "alle_sokere", parse_count, nullable=True),
    Col("first_choice_applicants", "forstevalgssokere", parse_count, nullable=True),
    Col("places", "studieplasser", parse_count, nullable=True),
    Col(
        "share_women_pct",
        "forstevalgssokere_kvinner_pct",
        parse_percent,
        nullable=True,
        filled_somewhere="it is the sample's only gender figure, and a row without it is left out",
    ),
    Col("qualified", "antall_kvalifiserte", parse_count, nullable=True),
    Col("offers", "antall_tilbud", parse_count, nullable=True),
    Col("cutoff_first_time", "poenggrense_forstegangsvitnemal", parse_decimal, nullable=True),
    Col("cutoff_ordinary", "poenggrense_ordinaer", parse_decimal, nullable=True),
]


#: Columns of the sample passed over for a stated reason (:func:`unread_column_warnings` names
#: any other): its source's bookkeeping, not figures.
SAMPLE_PASSED_OVER = passed_over_among(
    (
        "entry_id",  # the row's key in NMBU-sammenligning, the file's source
        "programnavn_verifisert",  # whether that name was checked (ja/nei); the name is read either way
    )
)


def read_sample(path: Path) -> ReadResult:
    table = read_text_table(path)
    figures = figure_columns(SAMPLE_COLUMNS, table.header, (parse_count, parse_percent, parse_decimal))
    table = without_stray_rows(path, table, counts=figures)
    text = table.frame()
    # a figure Samordna marks not available is read as empty (unknown), as the key-figure table
    # reads it; a key (the year, the programme) is never unknown
    unknowable = {normalise_header(c.header) for c in SAMPLE_COLUMNS if c.nullable and c.parse is not None}
    marked = pd.DataFrame(
        {h: marked_not_available(text[h]) if normalise_header(h) in unknowable else False for h in text.columns},
        index=text.index,
    )
    mask = marked.to_numpy(dtype=bool)
    # cell by cell in the file's order (row by row), for the first one shown
    not_available = _not_available_warning(
        path,
        pd.Series(np.repeat(table.lines, len(text.columns))),
        pd.Series(np.tile(np.array(text.columns, dtype=object), len(text))),
        pd.Series(text.to_numpy(dtype=object).ravel()),
        mask.ravel(),
    )
    parsed, labels = parse_columns(path, text.mask(marked, ""), table.lines, SAMPLE_COLUMNS, table.header_line)
    unread = unread_column_warnings(path, text, labels, SAMPLE_PASSED_OVER)
    row_of = pd.Series(table.lines, index=parsed.index)
    values = [c.name for c in SAMPLE_COLUMNS[5:]]
    parsed, warnings = check_duplicates(
        path, parsed, ["institution_name", "programme_code", "year"], values, row_of, labels
    )
    warnings = unread + not_available + warnings
    row_of = row_of.loc[parsed.index]
    fractions = _fraction_warnings(
        path,
        text.loc[parsed.index, labels["share_women_pct"]],
        parsed["share_women_pct"],
        row_of,
        labels["share_women_pct"],
    )
    shares = parsed["share_women_pct"].dropna()
    signs = text.loc[shares.index, labels["share_women_pct"]].astype(str).str.contains("%")
    looks = [p for p in fractions if p.row is not None]
    ones = int(((shares == 1) & ~signs).sum())
    if fractions and only_fractions(_counted(fractions), int((shares != 0).sum()), ones):
        raise InputError(
            [
                replace(
                    looks[0],
                    message=ALL_FRACTIONS.format(count=_counted(fractions)),
                    hint=ALL_FRACTIONS_HINT,
                )
            ]
        )
    warnings += fractions
    codes, unmatched = institution_codes(
        path, parsed["institution_name"], row_of.to_numpy(), labels["institution_name"]
    )
    warnings += unmatched
    has_share = parsed["share_women_pct"].notna()
    g = parsed[has_share]
    frame = pd.DataFrame(
        {
            "source_kind": "samordna-sample",
            "source_file": path.name,
            "source_row": row_of[has_share].astype("Int64"),
            "institution_code": codes[has_share],
            "institution_name": g["institution_name"].astype("str"),
            "level": "programme",
            "unit_code": g["programme_code"].astype("str"),
            "unit_name": g["programme_name"].astype("str"),
            "faculty_code": pd.Series(pd.NA, index=g.index, dtype="str"),
            "year": g["year"].astype("Int64"),
            "measure": "first_choice_applicants",
            "total": g["first_choice_applicants"].astype("Int64"),
            "women": pd.Series(pd.NA, index=g.index, dtype="Int64"),
            "men": pd.Series(pd.NA, index=g.index, dtype="Int64"),
            "share_women_given_pct": g["share_women_pct"].map(float).astype("Float64"),
            "share_women_given_decimals": _decimals(path, text.loc[g.index, labels["share_women_pct"]]),
            "suppressed": False,
        }
    ).reset_index(drop=True)
    frame = validate(
        GenderObservations,
        frame,
        path,
        frame["source_row"].tolist(),
        {"unit_code": labels["programme_code"], "share_women_given_pct": labels["share_women_pct"]},
    )
    missing_share = int((~has_share).sum())
    if missing_share:
        warnings.append(
            Problem(
                str(path),
                None,
                labels["share_women_pct"],
                missing_share,
                "rows without a share of women are left out of the gender tables",
                "nothing to do unless the share should be there",
            )
        )
    notes = {"programmes": int(parsed["programme_code"].nunique()), "not_available": int(mask.sum())}
    return ReadResult(path, "samordna-sample", "gender", frame, warnings, notes)


def marked_not_available(text: pd.Series) -> np.ndarray:
    """Cells Samordna marks as a figure it does not have (``NA``, ``NA %``, ``-``, ``–``, ``.``): unknown,
    never 0 and never a refusal, in both Samordna readers (the sample refused the "NA" its
    source, the key-figure table, writes)."""
    return text.fillna("").astype(str).str.strip().str.fullmatch(_NOT_AVAILABLE.pattern, case=False).to_numpy(bool)


def _not_available_warning(
    path: Path, rows: pd.Series, columns: pd.Series, text: pd.Series, mask: np.ndarray
) -> list[Problem]:
    """The one warning for the cells ``mask`` marks not available: their number, the first shown
    (``rows``, ``columns``, ``text``: each cell's, in the file's order)."""
    if not mask.any():
        return []
    first = int(np.flatnonzero(mask)[0])
    return [
        Problem(
            str(path),
            int(rows.iat[first]),
            columns.iat[first],
            text.iat[first],
            f"{counted(int(mask.sum()), 'cell', 'en')} marked as not available (first shown here): "
            "read as missing, not 0",
            "nothing to do; the source has no figure there",
        )
    ]


def _counted(listed: list[Problem]) -> int:
    """How many rows :func:`_first_rows` stands for: those listed, and the count of the rest."""
    shown = [p for p in listed if p.row is not None]
    rest = [p.value for p in listed if p.row is None]
    return len(shown) + sum(int(v) for v in rest if isinstance(v, (int, np.integer)))


def _fraction_warnings(path: Path, text: pd.Series, value: pd.Series, rows: pd.Series, column: str) -> list[Problem]:
    """A share written like a fraction (``0.13`` in a percent column) is read as that many
    percent, with a warning naming the cell."""
    text = text.fillna("").astype(str).str.strip()
    # the one rule (analysis.parsing.looks_like_fraction), cell by cell: shares are few
    looks = pd.Series(
        [
            x is not None and not pd.isna(x) and looks_like_fraction(t, Fraction(x))
            for t, x in zip(text, value, strict=True)
        ],
        index=text.index,
    )
    return _first_rows(
        path, rows.to_numpy(), looks.to_numpy(dtype=bool), column, text.to_numpy(), FRACTION, FRACTION_HINT
    )

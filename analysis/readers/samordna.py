"""Samordna opptak key figures (hovedopptak søkertall) per programme and year.

Two layouts: the key-figure export (Institusjon, Studiekode, Studienavn, Studiested,
Utdanningstype, Nøkkeltall, then one column per year; header spelling varies, e.g.
``Studie- kode``), and the programme-level sample in shared/ (one row per programme × year).

Both feed the ``gender`` dataset with the share of women among first-choice applicants —
*first-choice applicants*, not admitted or registered students; the measure says so.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.errors import InputError, Problem
from analysis.parsing import ParseError, parse_count, parse_decimal, parse_percent, parse_year
from analysis.readers.base import Col, ReadResult, check_duplicates, parse_columns, read_text_table, validate
from schemas.common import MEASURES
from schemas.gender import GenderObservations

# Key figures in the export, by their normalised name -> (measure, kind of value).
# "(kvinner)" rows give the women's share (or count) of the measure named before it.
KEY_FIGURES: dict[str, str] = {
    "søkere": "applicants",
    "alle søkere": "applicants",
    "førstevalgssøkere": "first_choice_applicants",
    "førstevalg": "first_choice_applicants",
    "kvalifiserte": "qualified",
    "kvalifiserte søkere": "qualified",
    "tilbud": "offers",
    "tilbud om studieplass": "offers",
    "møtt": "admitted",
    "ja-svar": "admitted",
    "studieplasser": "places",
    "poenggrense ordinær": "cutoff_ordinary",
    "poenggrense førstegangsvitnemål": "cutoff_first_time",
    "poenggrense førstegang": "cutoff_first_time",
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


def _number(text: str) -> float:
    s = text.strip()
    return float(parse_count(s)) if re.fullmatch(r"[\d \u00a0\u202f\u2009]+", s) else float(parse_decimal(s))


def read_keyfigures(path: Path) -> ReadResult:
    table = read_text_table(path)
    df = table.frame()
    rows = table.lines
    year_headers = [h for h in df.columns if re.fullmatch(r"\s*(19|20)\d\d\s*", str(h))]
    if not year_headers:
        raise InputError([Problem(str(path), 1, None, ", ".join(df.columns),
                                  "no year columns (e.g. 2024) after Nøkkeltall",
                                  "export the key figures with one column per year")])
    meta, labels = parse_columns(path, df, rows, KEYFIGURE_COLUMNS)
    problems: list[Problem] = []
    records = []
    for pos, idx in enumerate(df.index):
        line = rows[pos]
        name = meta.at[idx, "key_figure"].strip()
        norm = re.sub(r"\s+", " ", name.lower())
        women = _WOMEN.match(norm)
        base = women.group("base").strip() if women else norm
        measure = KEY_FIGURES.get(base)
        if women and measure is not None and measure not in MEASURES:
            problems.append(Problem(str(path), line, labels["key_figure"], name,
                                    "a share of women is not defined for this key figure",
                                    "give women for applicants, first-choice applicants, qualified, offers or admitted"))
            continue
        if measure is None:
            problems.append(Problem(str(path), line, labels["key_figure"], name, "unknown key figure",
                                    "known: " + ", ".join(sorted(set(KEY_FIGURES))) + " (and '… (kvinner)')"))
            continue
        for header in year_headers:
            cell = str(df.at[idx, header] if df.at[idx, header] is not None else "").strip()
            if cell in ("", "-", "–", "."):
                continue  # no figure that year: missing, not zero
            try:
                if women and cell.endswith("%"):
                    value, is_share = float(parse_percent(cell)), True
                elif women:
                    value, is_share = float(parse_count(cell)), False
                elif measure.startswith("cutoff"):
                    value = float(parse_decimal(cell))
                    is_share = False
                    if value < 0:
                        continue  # NOTE: SO writes -1 when there was no such round
                else:
                    value, is_share = float(parse_count(cell)), False
            except ParseError as err:
                problems.append(Problem(str(path), line, header.strip(), cell, err.message, err.hint))
                continue
            records.append({
                "row": line, "column": header.strip(), "institution_name": meta.at[idx, "institution_name"],
                "programme_code": meta.at[idx, "programme_code"],
                "programme_name": meta.at[idx, "programme_name"],
                "year": int(header), "measure": measure, "women": bool(women),
                "is_share": is_share, "value": value,
            })
    if problems:
        raise InputError(problems)
    long = pd.DataFrame(records)
    if long.empty:
        raise InputError([Problem(str(path), None, None, None, "no key figures with values",
                                  "export the key figures again")])
    key = ["institution_name", "programme_code", "year", "measure"]
    row_of = long["row"]
    long, warnings = check_duplicates(path, long, key + ["women"], ["value"], row_of,
                                      {"institution_name": labels["institution_name"],
                                       "programme_code": labels["programme_code"],
                                       "measure": labels["key_figure"], "women": "kvinner"},
                                      value_column=long["column"])
    totals = long[~long["women"]]
    women_rows = long[long["women"]]
    gender = women_rows.merge(
        totals[key + ["value", "programme_name", "row"]].rename(
            columns={"value": "total", "programme_name": "_n", "row": "total_row"}),
        on=key, how="left")
    over = ~gender["is_share"] & (gender["value"] > gender["total"])
    if over.any():
        raise InputError([
            Problem(str(path), int(r.row), r.column, r.value,
                    f"more women than the total ({r.total:g} on line {int(r.total_row)})",
                    "check the export: women ≤ total")
            for r in gender[over].itertuples()])
    frame = pd.DataFrame({
        "source_kind": "samordna-keyfigures",
        "source_file": path.name,
        "source_row": gender["row"].astype("Int64"),
        "institution_code": pd.Series(pd.NA, index=gender.index, dtype="str"),
        "institution_name": gender["institution_name"].astype("str"),
        "level": "programme",
        "unit_code": gender["programme_code"].astype("str"),
        "unit_name": gender["programme_name"].astype("str"),
        "faculty_code": pd.Series(pd.NA, index=gender.index, dtype="str"),
        "year": gender["year"].astype("Int64"),
        "measure": gender["measure"],
        "total": gender["total"].round().astype("Int64"),
        "women": gender["value"].where(~gender["is_share"]).round().astype("Int64"),
        "men": (gender["total"] - gender["value"]).where(~gender["is_share"]).round().astype("Int64"),
        "share_women_given_pct": gender["value"].where(gender["is_share"]).astype("Float64"),
        "suppressed": False,
    })
    frame = validate(GenderObservations, frame.reset_index(drop=True), path,
                     frame["source_row"].tolist(), {"unit_code": labels["programme_code"]})
    notes = {"key_figures": int(len(long)), "admissions": _admissions(long, path.name)}
    return ReadResult(path, "samordna-keyfigures", "gender", frame, warnings, notes)


def _admissions(long: pd.DataFrame, file: str) -> pd.DataFrame:
    """All key figures (not only gender) in a tidy table, for the admission overview."""
    out = long.rename(columns={"row": "source_row"}).copy()
    out.insert(0, "source_file", file)
    return out


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
    Col("share_women_pct", "forstevalgssokere_kvinner_pct", parse_percent, nullable=True),
    Col("qualified", "antall_kvalifiserte", parse_count, nullable=True),
    Col("offers", "antall_tilbud", parse_count, nullable=True),
    Col("cutoff_first_time", "poenggrense_forstegangsvitnemal", parse_decimal, nullable=True),
    Col("cutoff_ordinary", "poenggrense_ordinaer", parse_decimal, nullable=True),
]


def read_sample(path: Path) -> ReadResult:
    table = read_text_table(path)
    parsed, labels = parse_columns(path, table.frame(), table.lines, SAMPLE_COLUMNS)
    row_of = pd.Series(table.lines, index=parsed.index)
    values = [c.name for c in SAMPLE_COLUMNS[5:]]
    parsed, warnings = check_duplicates(path, parsed, ["institution_name", "programme_code", "year"],
                                        values, row_of, labels)
    row_of = row_of.loc[parsed.index]
    has_share = parsed["share_women_pct"].notna()
    g = parsed[has_share]
    frame = pd.DataFrame({
        "source_kind": "samordna-sample",
        "source_file": path.name,
        "source_row": row_of[has_share].astype("Int64"),
        "institution_code": pd.Series(pd.NA, index=g.index, dtype="str"),
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
        "suppressed": False,
    }).reset_index(drop=True)
    frame = validate(GenderObservations, frame, path, frame["source_row"].tolist(),
                     {"unit_code": labels["programme_code"], "share_women_given_pct": labels["share_women_pct"]})
    missing_share = int((~has_share).sum())
    if missing_share:
        warnings.append(Problem(str(path), None, labels["share_women_pct"], missing_share,
                                "rows without a share of women are left out of the gender tables",
                                "nothing to do unless the share should be there"))
    return ReadResult(path, "samordna-sample", "gender", frame, warnings,
                      {"programmes": int(parsed["programme_code"].nunique())})

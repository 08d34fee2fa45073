"""Breaks in an institution's time series (*brudd i tidsserien*): institution mergers.

When institutions merge, the one they merge into counts their students from the merger on: NTNU's
autumn students rose from about 24 000 (2015) to 40 000 (2016) when Høgskolen i Sør-Trøndelag,
Høgskolen i Gjøvik and Høgskolen i Ålesund joined it on 1 January 2016. Its series before and
after are series of different institutions.

Rule, as implemented here:

- **A break** is a year from which an institution (the *successor*) includes one that merged
  into it. Mergers come from the list shipped with the package (:data:`MERGERS`, each row with its
  source in words, checked against DBH's national table 123 by ``tests/test_series_breaks.py``)
  and from DBH table 211 *Institusjon* where an adviser supplies it with ``Institusjonskode
  (sammenslått)`` (the code merged into) and ``Gyldig til`` (the last term the merged institution
  existed): the break is the year of the first term after ``Gyldig til`` (``20153``, autumn
  2015: 2016; ``20131``, spring 2013: 2013, whose autumn already counts the successor). Table
  211's row replaces the shipped row of the same merged institution.
- **Which series break**: the successor's own series at institution level (its total of all
  departments). A department's or programme's series is that unit's, whose code DBH changes
  when the unit changes; the merged institutions' series simply end.
- **What a break does**: a series is followed over years only within one stretch between breaks
  (:func:`series_start`): "years in a row below the threshold" and the trend restart at the
  break year, as they do after a year that cannot be judged; charts of the series mark the
  break ("Sammenslåing 2016") and the report names the institutions merged in.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.words import joined

#: Mergers of Norwegian higher-education institutions, one row per merged institution (written
#: by hand from the sources in its ``Kilde`` column; data/reference/README.md).
MERGERS = paths.REFERENCE / "dbh_sammenslaainger.csv"

#: The columns of a breaks table: the successor's code, the break year, the merged institution.
BREAK_COLUMNS = ["institution_code", "year", "merged_code", "merged_name", "source"]

#: The levels whose series break at a merger (module docstring).
BROKEN_LEVELS = ("institution",)

#: The semester code of autumn in DBH's five-digit validity codes (20153 = autumn 2015).
_AUTUMN = "3"


def shipped_mergers(table: Path = MERGERS) -> pd.DataFrame:
    """The shipped list of mergers as a breaks table (:data:`BREAK_COLUMNS`)."""
    df = pd.read_csv(table, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")
    return pd.DataFrame(
        {
            "institution_code": df["Sammenslått inn i"],
            "year": df["Fra år"].astype("int64"),
            "merged_code": df["Institusjonskode"],
            "merged_name": df["Institusjonsnavn"],
            "source": df["Kilde"],
        }
    )


def _from_table_211(institutions: pd.DataFrame) -> pd.DataFrame:
    """The mergers DBH table 211 states: rows with a code merged into (another institution's)
    and a last valid term."""
    if "merged_into" not in institutions:
        return pd.DataFrame(columns=BREAK_COLUMNS)
    into, valid_to = institutions["merged_into"], institutions["valid_to"]
    merged = institutions[
        into.notna() & (into != institutions["institution_code"]) & valid_to.notna() & (valid_to != "99999")
    ]
    valid_to = merged["valid_to"].astype(str)
    year = valid_to.str[:4].astype("int64") + (valid_to.str[4] == _AUTUMN).astype("int64")
    return pd.DataFrame(
        {
            "institution_code": merged["merged_into"].astype(str),
            "year": year,
            "merged_code": merged["institution_code"].astype(str),
            "merged_name": merged["institution_name"].astype(str),
            "source": "DBH tabell 211 (" + merged["source_file"].astype(str) + ")",
        }
    )


def series_breaks(institutions: pd.DataFrame | None = None, table: Path = MERGERS) -> pd.DataFrame:
    """Every merger known (module docstring): the shipped list, and DBH table 211's
    (``schemas.gender.InstitutionNames``) where given, which wins for the same merged
    institution. One row per merged institution, sorted by successor and year."""
    shipped = shipped_mergers(table)
    if institutions is not None and len(institutions):
        given = _from_table_211(institutions)
        shipped = pd.concat([shipped[~shipped["merged_code"].isin(given["merged_code"])], given])
    out = shipped.drop_duplicates("merged_code", keep="last")
    return out.sort_values(["institution_code", "year", "merged_code"]).reset_index(drop=True)[BREAK_COLUMNS]


#: How the institutions merged in at one break are listed in a flag row's ``series_break_merged``
#: (machine text, in no language: the tables for people join them in words, :func:`merged_list`).
MERGED_SEPARATOR = "; "


def series_start(rows: pd.DataFrame, breaks: pd.DataFrame | None) -> tuple[pd.Series, pd.Series]:
    """The break each row's series starts after: the year of its institution's last break up to
    and including the row's year, and the institutions merged in that year ("Høgskolen i Gjøvik
    (0261); Høgskolen i Sør-Trøndelag (0222); …", sorted, joined by :data:`MERGED_SEPARATOR`), for
    rows of :data:`BROKEN_LEVELS`; missing where the row's series starts at no break. The year is
    also the stretch between breaks a row is in: a series is followed over years only among rows
    of one such year (missing: before the first break)."""
    year = pd.Series(pd.NA, index=rows.index, dtype="Int64")
    merged = pd.Series(None, index=rows.index, dtype="object")
    if breaks is None or breaks.empty:
        return year, merged
    listed = {key: MERGED_SEPARATOR.join(names) for key, names in _merged_in(breaks).items()}
    broken = rows["level"].isin(BROKEN_LEVELS).to_numpy()
    for code, part in breaks.groupby("institution_code"):
        mine = broken & (rows["institution_code"] == code).to_numpy()
        if not mine.any():
            continue
        years = np.array(sorted(set(part["year"])), dtype="int64")
        at = np.searchsorted(years, rows.loc[mine, "year"].to_numpy(dtype="int64"), side="right") - 1
        started = np.where(at >= 0, years[np.maximum(at, 0)], -1)
        index = rows.index[mine]
        year[index] = pd.array([y if y >= 0 else pd.NA for y in started], dtype="Int64")
        merged[index] = [listed.get((str(code), int(y))) if y >= 0 else None for y in started]
    return year, merged


def _merged_in(breaks: pd.DataFrame) -> dict[tuple[str, int], list[str]]:
    """Per (successor, break year) the institutions merged in, "Name (code)", sorted."""
    out: dict[tuple[str, int], list[str]] = {}
    columns = ["institution_code", "year", "merged_name", "merged_code"]
    for code, year, name, merged in breaks[columns].itertuples(index=False):
        out.setdefault((str(code), int(year)), []).append(f"{name} ({merged})")
    return {key: sorted(names) for key, names in out.items()}


def merged_list(merged: str) -> list[str]:
    """The institutions of a flag row's ``series_break_merged`` (:func:`series_start`)."""
    return merged.split(MERGED_SEPARATOR)


def breaks_in(rows: pd.DataFrame, breaks: pd.DataFrame | None) -> pd.DataFrame:
    """The breaks inside the series of ``rows`` (flag rows): those of an institution whose series
    at a :data:`BROKEN_LEVELS` level has a year before the break and one from it on."""
    if breaks is None or breaks.empty or rows.empty:
        return pd.DataFrame(columns=BREAK_COLUMNS)
    series = rows[rows["level"].isin(BROKEN_LEVELS)]
    span = series.groupby("institution_code")["year"].agg(["min", "max"])
    inside = breaks.join(span, on="institution_code", how="inner")
    inside = inside[(inside["min"] < inside["year"]) & (inside["year"] <= inside["max"])]
    return inside[BREAK_COLUMNS].reset_index(drop=True)


def merged_seen_before(breaks: pd.DataFrame | None, flags: pd.DataFrame) -> pd.DataFrame | None:
    """The breaks whose merged institution ``flags`` (every institution's rows) show under its own
    code before the break year: where a series starting at such a break is the merger's making,
    and the earlier figures are under the merged institutions' codes (:func:`breaks_at_start`)."""
    if breaks is None or flags.empty:
        return breaks
    own = flags[flags["level"].isin(BROKEN_LEVELS)]
    first = breaks["merged_code"].map(own.groupby("institution_code")["year"].min())
    return breaks[(first < breaks["year"]).fillna(False).astype(bool)].reset_index(drop=True)


def breaks_at_start(rows: pd.DataFrame, breaks: pd.DataFrame | None) -> pd.DataFrame:
    """The breaks where the series of ``rows`` begins: an institution the merger made (HVL in
    2017 of three colleges), whose series has no year before it. Not a break inside its series,
    but why the series starts there, and where the merged institutions' earlier figures are.
    ``breaks``: those the data show the merged institutions of before (:func:`merged_seen_before`):
    a series that merely starts at a merger year (NTNU fetched from 2016) was not formed by it."""
    if breaks is None or breaks.empty or rows.empty:
        return pd.DataFrame(columns=BREAK_COLUMNS)
    series = rows[rows["level"].isin(BROKEN_LEVELS)]
    start = series.groupby("institution_code")["year"].min().rename("min")
    formed = breaks.join(start, on="institution_code", how="inner")
    return formed.loc[formed["min"] == formed["year"], BREAK_COLUMNS].reset_index(drop=True)


def merged_names(breaks: pd.DataFrame, lang: str) -> dict[tuple[str, int], str]:
    """Per (successor, year) the institutions merged in, by name with code, in one phrase:
    "Høgskolen i Gjøvik (0261), Høgskolen i Sør-Trøndelag (0222) og Høgskolen i Ålesund (0237)"."""
    return {key: joined(names, lang) for key, names in _merged_in(breaks).items()}

"""SHoT well-being indicators by wave: change between waves, definition changes, conflicts.

Definitions, as implemented here:

- **Wave**: a survey year. The *previous wave* of a row is the latest earlier year in which the
  same indicator and group appear (extra surveys such as 2021 and 2023 count as waves).
- **change_pp** = value − previous wave's value, in percentage points.
- **Definition part** of ``definition_note``: the notes in the SHoT table are written
  "definition; remark (comment)". The definition part is the text with every parenthesis
  removed, cut at the first ``;``, lower-cased, with quotes and whitespace normalised:
  ``"HSCL-25; tall ved lansering 2018 (senere gjengitt som 32 i 2021-presse)"`` -> ``hscl-25``.
  A definition part that starts with "samme" ("the same …", e.g. "samme 3 ledd som 2018")
  declares the definition unchanged from the previous wave.
- **definition_changed** is true when the definition part differs from the previous wave's,
  false when equal (or declared the same), and missing when either note is empty, there is no
  previous wave, or the previous wave's figures conflict.
- **Conflicting figures**: the same indicator × group × wave given more than once with a
  different value or definition part — in the national file, 2010 serious psychological
  distress is 18 % "as given in SHoT 2022" and 16 % "as given at the 2018 launch". Both rows
  are kept (neither report is chosen over the other), marked ``conflicting`` with
  ``versions`` = 2, and the next wave's ``change_pp`` and ``definition_changed`` against them
  are left missing, with a ``note`` that names the conflicting values. Rows repeating the same
  value and definition are not a conflict (the previous value is then that value).
- **scope** from ``group``: ``alle``/``kvinner``/``menn`` (and English all/women/men) are
  national figures; a named place is an ``institution`` when it names a university or
  university college (a word like *universitet*/*høgskole* or a known abbreviation such as
  NTNU, UiO, OsloMet), else a ``region`` (e.g. "Bergen (Sammen)", a student-welfare area).
- **national_value_pct** / **difference_to_national_pp**: for region and institution rows, the
  national figure (group ``alle``) of the same indicator and wave, when it is a single value.
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import DataFrame

from analysis.errors import validate_frame
from schemas.shot import ShotIndicators
from schemas.wellbeing import WellbeingIndicators

NATIONAL_GROUPS = {"alle": "all", "all": "all", "kvinner": "women", "women": "women", "menn": "men", "men": "men"}
NATIONAL_ALL = "alle"
_INSTITUTION_WORDS = re.compile(
    r"universitet|høgskole|høgskule|høyskole|høyskule|akademi|handelshøyskole|politihøgskole", re.IGNORECASE
)
#: Norwegian universities and university colleges by their usual abbreviations.
INSTITUTION_ABBREVIATIONS = {
    "NTNU",
    "UIO",
    "UIB",
    "UIT",
    "UIA",
    "UIS",
    "NMBU",
    "OSLOMET",
    "USN",
    "HVL",
    "NHH",
    "NORD",
    "HIØ",
    "HIMOLDE",
    "HIM",
    "INN",
    "NIH",
    "NMH",
    "KHIO",
    "AHO",
    "BI",
    "VID",
    "MF",
    "DMMH",
    "SH",
    "PHS",
    "HVO",
    "NLA",
    "KRISTIANIA",
    "FIH",
}
_SAME = re.compile(r"^samme\b")


def definition_part(notes: pd.Series) -> pd.Series:
    """The definition in a ``definition_note``: parentheses removed, cut at the first ``;``.

    >>> definition_part(pd.Series(["HSCL-25; tall ved lansering 2018 (senere 32)"])).tolist()
    ['hscl-25']
    """
    text = notes.astype("str")
    while True:  # nested parentheses, innermost first, until none is left
        inner = text.str.replace(r"\([^()]*\)", " ", regex=True)
        if inner.equals(text):
            break
        text = inner
    text = text.str.split(";", n=1).str[0]
    text = text.str.replace(r"[‘’´`]", "'", regex=True).str.replace(r"[“”]", '"', regex=True)
    text = text.str.replace(r"\s+", " ", regex=True).str.strip(" ,.").str.lower()
    return text.where(text.str.len() > 0)


def scope_of(groups: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """``(scope, place, gender)`` for every group name."""
    key = groups.str.strip().str.lower()
    gender = key.map(NATIONAL_GROUPS)
    national = gender.notna()
    first_word = groups.str.strip().str.split(r"[\s(,]", n=1, regex=True).str[0].str.upper()
    institution = groups.str.contains(_INSTITUTION_WORDS) | first_word.isin(INSTITUTION_ABBREVIATIONS)
    scope = pd.Series("region", index=groups.index, dtype="str")
    scope[institution] = "institution"
    scope[national] = "national"
    place = groups.where(~national)
    return scope, place, gender.fillna("all")


def _wave_summary(df: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator × group × wave: the value if single, and whether figures conflict."""
    g = df.groupby(["indicator", "group", "year"], sort=True)
    summary = g.agg(
        versions=("value_pct", "size"),
        n_values=("value_pct", "nunique"),
        n_definitions=("definition", lambda s: s.nunique(dropna=False)),
        value=("value_pct", "first"),
        definition=("definition", "first"),
        values_text=("value_pct", lambda s: " / ".join(f"{v:g}" for v in sorted(set(s)))),
    ).reset_index()
    summary["conflicting"] = (summary["n_values"] > 1) | (summary["n_definitions"] > 1)
    summary["single_value"] = summary["value"].where(summary["n_values"] == 1)
    summary["single_definition"] = summary["definition"].where(summary["n_definitions"] == 1)
    return summary


@pa.check_output(WellbeingIndicators.to_schema(), lazy=True)
def wellbeing_indicators(shot: DataFrame[ShotIndicators]) -> DataFrame[WellbeingIndicators]:
    """SHoT indicators per indicator × group × wave with change, definition changes and conflicts.

    Args:
        shot: SHoT indicator rows (``schemas.shot.ShotIndicators``).

    Returns:
        One row per input row (``schemas.wellbeing.WellbeingIndicators``), sorted by indicator,
        group and wave.

    Raises:
        InputError: the SHoT table breaks its contract.
    """
    # the same source row read twice (a file given twice) is one figure, not a conflict
    df = validate_frame(shot, ShotIndicators, "(SHoT table)").drop_duplicates(subset=["source_file", "source_row"])
    return _by_wave(df.copy())


def _by_wave(df: pd.DataFrame) -> pd.DataFrame:
    """The work of :func:`wellbeing_indicators` on validated rows. (Kept out of the decorated
    function because mutmut does not mutate decorated functions: ``make mutate``.)"""
    df["definition"] = definition_part(df["definition_note"])
    df["declared_same"] = df["definition"].fillna("").str.contains(_SAME)
    df["scope"], df["place"], df["gender"] = scope_of(df["group"])

    waves = _wave_summary(df)
    waves["previous_year"] = waves.groupby(["indicator", "group"])["year"].shift(1)
    prev = waves[
        ["indicator", "group", "year", "versions", "conflicting", "single_value", "single_definition", "values_text"]
    ].rename(
        columns={
            "year": "previous_year",
            "versions": "prev_versions",
            "conflicting": "prev_conflicting",
            "single_value": "previous_value_pct",
            "single_definition": "previous_definition",
            "values_text": "prev_values_text",
        }
    )
    df = df.merge(
        waves[["indicator", "group", "year", "versions", "conflicting", "previous_year", "values_text"]],
        on=["indicator", "group", "year"],
        how="left",
    )
    df["previous_year"] = df["previous_year"].astype("Int64")
    df = df.merge(prev, on=["indicator", "group", "previous_year"], how="left")

    df["change_pp"] = (df["value_pct"].astype("Float64") - df["previous_value_pct"].astype("Float64")).round(6)
    # no change against a wave with conflicting figures, also when they agree on the value but
    # not on the definition: which of the two measures the next wave continues is not known
    df.loc[df["prev_conflicting"].fillna(False).astype(bool).to_numpy(), "change_pp"] = pd.NA
    same = df["definition"] == df["previous_definition"]
    changed = pd.Series(~same, dtype="boolean")
    unknown = df["definition"].isna() | df["previous_definition"].isna()
    changed[unknown.to_numpy()] = pd.NA
    changed[(df["declared_same"] & df["previous_year"].notna()).to_numpy()] = False
    changed[df["prev_conflicting"].fillna(False).astype(bool).to_numpy()] = pd.NA
    df["definition_changed"] = changed.to_numpy()

    notes = pd.Series(pd.NA, index=df.index, dtype="str")
    this_conflict = df["conflicting"].astype(bool)
    notes[this_conflict] = (
        "this wave has "
        + df["versions"].astype(str)
        + " figures from different reports ("
        + df["values_text"]
        + "); all are kept"
    )
    prev_conflict = df["prev_conflicting"].fillna(False).astype(bool)
    prev_note = (
        "no change computed: "
        + df["previous_year"].astype("string")
        + " has conflicting figures ("
        + df["prev_values_text"].astype("string")
        + ") from different reports"
    )
    notes[prev_conflict] = (notes[prev_conflict].fillna("") + "; " + prev_note[prev_conflict]).str.lstrip("; ")
    df["note"] = notes

    national = waves.loc[
        (waves["group"].str.strip().str.lower() == NATIONAL_ALL), ["indicator", "year", "single_value"]
    ]
    national = national.rename(columns={"single_value": "national_value_pct"})
    df = df.merge(national, on=["indicator", "year"], how="left")
    df.loc[df["scope"] == "national", "national_value_pct"] = pd.NA
    df["difference_to_national_pp"] = (
        df["value_pct"].astype("Float64") - df["national_value_pct"].astype("Float64")
    ).round(6)

    df = df.sort_values(["indicator", "group", "year", "source_file", "source_row"], kind="stable")
    return df[list(WellbeingIndicators.to_schema().columns)].reset_index(drop=True)

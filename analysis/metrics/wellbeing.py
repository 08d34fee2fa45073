"""SHoT well-being indicators by wave: change between waves, definition changes, conflicts.

Definitions, as implemented here:

- **Wave**: a survey year. The *previous wave* of a row is the latest earlier year in which the
  same indicator and group appear (extra surveys such as 2021 and 2023 count as waves).
- **change_pp** = value − previous wave's value, in percentage points, rounded to 6 decimals
  (float noise: 25.3 − 23.1 is 2.2, not 2.1999999999999993); so is **difference_to_national_pp**.
- **Definition part** of ``definition_note``: the notes in the SHoT table are written
  "definition; remark (comment)". The definition part is the text with every parenthesis
  removed, cut at the first ``;``, lower-cased, with quotes and whitespace normalised:
  ``"HSCL-25; tall ved lansering 2018 (senere gjengitt som 32 i 2021-presse)"`` -> ``hscl-25``.
  A definition part that starts with "samme" ("the same …", e.g. "samme 3 ledd som 2018")
  declares the definition unchanged from the previous wave.
- **Remark part**: the text after the first ``;``, as the source wrote it (whitespace
  normalised; its brackets kept: "NTNU-nyhet oppgir 48", "senere gjengitt som 32" are what a
  reader of the change needs): ``"HSCL-25; tilleggsundersøkelse under pandemien (NTNU-nyhet oppgir
  48)"`` -> ``tilleggsundersøkelse under pandemien (NTNU-nyhet oppgir 48)``. **previous_remark**
  is the previous wave's, where its figures share one: what kind of wave a change is measured
  against (2021 was an extra survey during the pandemic, whose 45 % the next wave is 10 points
  below) is said beside the change.
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
  national figures, as is a group of only these words ("Alle kvinner"; "Kvinner og menn", both
  genders, is all students; "Totalt", SSB's and SHoT's column head, too), and are given under
  the one word ``alle``, ``kvinner`` or ``menn`` whatever their spelling, so that "alle" in one
  wave and "Alle" in the next are one group with a change (what else the group holds stays:
  "Kvinner 18-24" is ``kvinner 18-24``, an age group, not all women); a named place is an ``institution`` when it names a university or
  university college (:func:`analysis.institutions.names_an_institution`: a word like
  *universitet*/*høgskole*, a name DBH gives an institution, or a known abbreviation written as
  one, such as NTNU, UiO, OsloMet), else a ``region`` (e.g. "Bergen (Sammen)", a student-welfare
  area). A
  place with a gender after it ("NTNU, kvinner", "Bergen (Sammen) – menn") is that gender's
  figure for the place.
- **national_value_pct** / **difference_to_national_pp**: for region and institution rows, the
  national figure of the same indicator, wave and gender (group ``alle``, ``kvinner`` or
  ``menn``), when it is a single value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import DataFrame

from analysis.errors import InputError, Problem, validate_frame
from analysis.institutions import names_an_institution, names_one_of
from schemas.shot import ShotIndicators
from schemas.wellbeing import WellbeingIndicators

#: The words of a group of all students nationally, or of one gender nationally. "Totalt"
#: ("Total") is how SSB's and SHoT's tables head the all-students column: read as a place it
#: was a region named "Totalt", compared with the national figure.
NATIONAL_GROUPS = {
    "alle": "all",
    "all": "all",
    "totalt": "all",
    "total": "all",
    "kvinner": "women",
    "women": "women",
    "menn": "men",
    "men": "men",
}
#: The group a national figure is given under, by its gender (the labels translate them).
NATIONAL_GROUP_WORDS = {"all": "alle", "women": "kvinner", "men": "menn"}


def national_group(groups: pd.Series, gender: pd.Series) -> pd.Series:
    """The group a national figure is given under: the one word of its gender (``alle``,
    ``kvinner``, ``menn``) whatever the spelling, followed by what the group holds besides the
    words where it has a number (:func:`national_gender` reads only the words): "Kvinner 18-24"
    is women aged 18 to 24, ``kvinner 18-24``, not all women (as ``kvinner`` they were one group,
    two figures in a wave a conflict and the age group a change from all women's previous wave);
    a mark without a number ("Alle*", "Kvinner.") names no other group.

    >>> national_group(
    ...     pd.Series(["Totalt", "Alle kvinner", "Kvinner (18–24)", "Alle*"]), pd.Series(["all", "women", "women", "all"])
    ... ).tolist()
    ['alle', 'kvinner', 'kvinner 18–24', 'alle']
    """
    rest = groups.str.replace(r"[^\W\d_]+", " ", regex=True).str.strip(" ()[],.;:").str.replace(r"\s+", " ", regex=True)
    word = gender.map(NATIONAL_GROUP_WORDS)
    return word.where(~rest.str.contains(r"\d"), word + " " + rest)


_SAME = re.compile(r"^samme\b")


def definition_part(notes: pd.Series) -> pd.Series:
    """The definition in a ``definition_note``: parentheses removed, cut at the first ``;``.

    >>> definition_part(pd.Series(["HSCL-25; tall ved lansering 2018 (senere 32)"])).tolist()
    ['hscl-25']
    """
    text = _without_brackets(notes).str.partition(";")[0]
    text = text.str.replace(r"[‘’´`]", "'", regex=True).str.replace(r"[“”]", '"', regex=True)
    text = text.str.replace(r"\s+", " ", regex=True).str.strip(" ,.").str.lower()
    return text.where(text.str.len() > 0)


def remark_part(notes: pd.Series) -> pd.Series:
    """The remark in a ``definition_note``: after the first ``;``, as written; missing where
    there is none.

    >>> remark_part(pd.Series(["HSCL-25; tilleggsundersøkelse (NTNU oppgir 48)", "HSCL-25", None])).tolist()
    ['tilleggsundersøkelse (NTNU oppgir 48)', None, None]
    """
    text = notes.astype("str").str.partition(";")[2]
    text = text.str.replace(r"\s+", " ", regex=True).str.strip(" ,.;")
    return text.where(notes.notna() & (text.str.len() > 0)).astype(object).where(lambda t: t.notna(), None)


def _without_brackets(notes: pd.Series) -> pd.Series:
    """``notes`` as text with every parenthesis and what it holds removed (nested ones too)."""
    text = notes.astype("str")
    while True:  # nested parentheses, innermost first, until none is left
        inner = text.str.replace(r"\([^()]*\)", " ", regex=True)
        if inner.equals(text):
            return text
        text = inner


def _top_level(text: str) -> list[str]:
    """``text`` split at each ``;`` outside brackets ("samme 3 ledd (TV2 oppgir 54,4; 2018: 23,6)"
    is one part), as :func:`definition_part` reads the definition before the first."""
    parts, depth, start = [], 0, 0
    for at, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ";" and depth <= 0:
            parts.append(text[start:at])
            start = at + 1
    return [*parts, text[start:]]


def without_others_remarks(notes: pd.Series, own_names: Iterable[str], *, definitions: bool = True) -> pd.Series:
    """``notes`` ("definition; remark (comment)") without the remarks after the definition, and
    the comments in brackets in them, that name another institution than the one of
    ``own_names``: a note on the national figure that quotes one institution's news ("NTNU-nyhet
    oppgir 48") is that institution's remark, not another institution's report's. The definition
    (before the first ``;`` outside brackets) is kept whole; a remark naming one of ``own_names``
    (as a word, case-insensitive: "UiT-tall" names UiT, "1130 svar" is no name) is kept. Notes
    that are remarks only (``previous_remark``, :func:`remark_part`): ``definitions=False``.

    >>> without_others_remarks(
    ...     pd.Series(["HSCL-25; tilleggsundersøkelse under pandemien (NTNU-nyhet oppgir 48)"]), ["UiT"]
    ... ).tolist()
    ['HSCL-25; tilleggsundersøkelse under pandemien']
    """
    own = tuple(own_names)

    def others(text: str) -> bool:
        return names_an_institution(text) and not names_one_of(text, own)

    def kept(note: str) -> str:
        definition, *remarks = _top_level(note) if definitions else ["", *_top_level(note)]
        remarks = [re.sub(r"\s*\([^()]*\)", lambda m: "" if others(m.group(0)) else m.group(0), r) for r in remarks]
        # a remark that was only another's bracket goes with it ("x; (NTNU oppgir 48)": not "x;")
        kept = [r for r in remarks if r.strip() and not others(r)]
        # a remark that was all another institution's leaves no remark, not an empty one
        return ";".join([definition, *kept] if definitions else kept).strip() or None

    return notes.map(kept, na_action="ignore").astype(notes.dtype)


#: A place's group with a gender after it ("NTNU, kvinner", "Bergen (Sammen) – menn", "UiO
#: (kvinner)"): a report's table by studiested and gender written out row by row.
_PLACE_GENDER = re.compile(
    r"^\s*(?P<place>.+?)\s*(?:[,–—-]\s*|\(\s*|\s)(?P<gender>(?:kvinner|menn|women|men)(?:\s+(?:og|and)\s+(?:kvinner|menn|women|men))?)\s*\)?\s*$",
    re.IGNORECASE,
)


def national_gender(groups: pd.Series) -> pd.Series:
    """``all``, ``women`` or ``men`` for a group of only the words for all students and a
    gender ("alle", "Kvinner", "Alle kvinner", "Kvinner og menn"); missing for a place. Both
    genders, or none, are all students: "Kvinner og menn" is not the men of a place called
    "Kvinner og"."""
    words = groups.str.lower().str.findall(r"[^\W\d_]+")

    def one(ws: list[str]) -> str | None:
        if not ws or any(w not in NATIONAL_GROUPS and w not in ("og", "and") for w in ws):
            return None
        genders = {NATIONAL_GROUPS[w] for w in ws if w in NATIONAL_GROUPS} - {"all"}
        return genders.pop() if len(genders) == 1 else "all"

    return words.map(one)


def scope_of(groups: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """``(scope, place, gender)`` for every group name."""
    gender = national_gender(groups)
    national = gender.notna()
    # a place with its gender is that gender's figure for the place, not all students'
    split = groups.str.extract(_PLACE_GENDER)
    split.loc[national] = pd.NA
    named = split["place"].fillna(groups)
    gender = gender.fillna(national_gender(split["gender"].fillna("")))
    institution = named.astype(str).map(names_an_institution).astype(bool)
    scope = pd.Series("region", index=groups.index)
    scope[institution] = "institution"
    scope[national] = "national"
    place = named.where(~national)
    return scope, place, gender.fillna("all")


def _wave_summary(df: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator × group × wave: the value if single, and whether figures conflict."""
    g = df.groupby(["indicator", "group", "year"])
    summary = g.agg(
        versions=("value_pct", "size"),
        n_values=("value_pct", "nunique"),
        # unique() keeps a missing definition as one of them (nunique would drop it)
        n_definitions=("definition", lambda s: len(s.unique())),
        value=("value_pct", "first"),
        definition=("definition", "first"),
        n_remarks=("remark", lambda s: len(s.unique())),
        remark=("remark", "first"),
        values_text=("value_pct", lambda s: " / ".join(f"{v:g}" for v in sorted(set(s)))),
    ).reset_index()
    summary["conflicting"] = (summary["n_values"] > 1) | (summary["n_definitions"] > 1)
    summary["single_value"] = summary["value"].where(summary["n_values"] == 1)
    summary["single_definition"] = summary["definition"].where(summary["n_definitions"] == 1)
    summary["single_remark"] = summary["remark"].where(summary["n_remarks"] == 1)
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
    return _by_wave(validate_frame(shot, ShotIndicators, "(SHoT table)"))


def _check_one_row_per_source_row(df: pd.DataFrame) -> None:
    """Two different files of the same name (``a/shot.csv``, ``b/shot.csv``) give different
    rows under one file name and row number: every figure is traced to its source by that, so
    the two cannot be told apart — refused, naming the first such row of each file name."""
    # the later row of each such pair: the earlier one has the same file name and row number
    clash = df[df.duplicated(["source_file", "source_row"])]
    if clash.empty:
        return
    first = clash.sort_values("source_row").drop_duplicates("source_file")
    raise InputError(
        [
            Problem(
                str(file),
                int(row),
                None,
                None,
                "two different files of this name were given: their rows cannot be told apart",
                "rename one of the files, or give only one (each figure is traced to its file by name)",
            )
            for file, row in zip(first["source_file"], first["source_row"])
        ]
    )


def _by_wave(df: pd.DataFrame) -> pd.DataFrame:
    """The work of :func:`wellbeing_indicators` on validated rows. (Kept out of the decorated
    function because mutmut does not mutate decorated functions: ``make mutate``.)"""
    # the same source row read twice (a file given twice) is one figure, not a conflict. Alike in
    # every column, not only in source file and row: two files of the same name in different
    # folders share those, and neither is dropped in silence
    df = df.drop_duplicates()
    _check_one_row_per_source_row(df)
    df["definition"] = definition_part(df["definition_note"])
    df["remark"] = remark_part(df["definition_note"])
    df["declared_same"] = df["definition"].str.contains(_SAME)  # a missing definition: False
    df["scope"], df["place"], df["gender"] = scope_of(df["group"])
    # a national group by the one word the rest of the product uses for it ("alle", "kvinner",
    # "menn"): as written ("Alle" in one wave, "alle" in the next, "Totalt"), the waves were two
    # groups, and the later one had no previous wave ("første bølge") and no change
    is_national = df["scope"] == "national"
    df.loc[is_national, "group"] = national_group(df.loc[is_national, "group"], df.loc[is_national, "gender"])

    waves = _wave_summary(df)
    waves["previous_year"] = waves.groupby(["indicator", "group"])["year"].shift(1)
    prev = waves[
        [
            "indicator",
            "group",
            "year",
            "conflicting",
            "single_value",
            "single_definition",
            "single_remark",
            "values_text",
        ]
    ].rename(
        columns={
            "year": "previous_year",
            "conflicting": "prev_conflicting",
            "single_value": "previous_value_pct",
            "single_definition": "previous_definition",
            "single_remark": "previous_remark",
            "values_text": "prev_values_text",
        }
    )
    # merges on the columns the frames share: indicator, group and year (every row has its
    # wave), then indicator, group and previous_year
    df = df.merge(waves[["indicator", "group", "year", "versions", "conflicting", "previous_year", "values_text"]])
    df = df.merge(prev, how="left")
    # missing where there is no previous wave: no conflict to report there
    prev_conflict = df["prev_conflicting"].eq(True)

    # no change against a wave with conflicting figures, also when they agree on the value but
    # not on the definition: which of the two measures the next wave continues is not known
    df["change_pp"] = (df["value_pct"] - df["previous_value_pct"]).round(6).mask(prev_conflict)
    # True, False or missing: the output contract makes it a boolean column
    changed = df["definition"] != df["previous_definition"]
    changed = changed.mask(df["definition"].isna() | df["previous_definition"].isna())
    changed = changed.mask(df["declared_same"] & df["previous_year"].notna(), False)
    df["definition_changed"] = changed.mask(prev_conflict)

    this_note = (
        "this wave has "
        + df["versions"].astype(str)
        + " figures from different reports ("
        + df["values_text"]
        + "); all are kept"
    ).where(df["conflicting"])
    prev_note = (
        "no change computed: "
        + df["previous_year"].astype(str)
        + " has conflicting figures ("
        + df["prev_values_text"]
        + ") from different reports"
    ).where(prev_conflict)
    # both sentences when there are both, else the one there is
    df["note"] = (this_note + "; " + prev_note).fillna(this_note).fillna(prev_note)

    # each place's figure against the national one of its gender (alle, kvinner or menn; not a
    # national group with more to it, such as an age group "kvinner 18-24")
    waves["gender"] = waves["group"].map({word: gender for gender, word in NATIONAL_GROUP_WORDS.items()})
    national = waves.loc[waves["gender"].notna(), ["indicator", "year", "gender", "single_value"]]
    # (one group per gender by national_group; a figure only where its wave agrees, never a row twice)
    national = (
        national.groupby(["indicator", "year", "gender"])["single_value"]
        .agg(lambda v: v.iloc[0] if v.nunique(dropna=False) == 1 else float("nan"))
        .rename("national_value_pct")
        .reset_index()
    )
    df = df.merge(national, how="left")  # on indicator, year and gender
    df["national_value_pct"] = df["national_value_pct"].mask(df["scope"] == "national")
    df["difference_to_national_pp"] = (df["value_pct"] - df["national_value_pct"]).round(6)

    df = df.sort_values(["indicator", "group", "year", "source_file", "source_row"])
    return df[list(WellbeingIndicators.to_schema().columns)].reset_index(drop=True)

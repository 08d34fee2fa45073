"""Integration of international students: scores, rank and gap to the best.

The committee's question was "what do the ones that succeed do?", so every unit is shown with
its rank and its distance to the best in the same level and year.

Definitions, as implemented here:

- **Scores** are configuration (``[integration.scores]`` in ``config/kvalitet.toml``): score
  name -> item names, because later survey years ask other questions. ``integration_score`` is
  the unweighted mean of the scores in ``[integration] combine`` (default academic and social);
  missing when any of them is missing.
- **Aggregated extract** (the seed's 2017 table): one row per institution × level × year,
  already a mean per score. A score whose configured items are all columns of the extract is
  the mean of those columns; otherwise the extract's column named like the score is used (the
  extract's ``academic``/``social``). The extract has no ``n``: nothing is suppressed, whether
  it has few respondents is unknown (``few_respondents`` missing, not false), and its
  mean is the mean of the *listed* institutions (the seed lists NTNU and the best ones only).
- **Respondent-level data**: a respondent's score is the mean of its answered items, missing
  when more than ``survey.index_max_missing`` items are missing ("vet ikke", 9999 in the
  validated frame, is missing: :func:`analysis.metrics.survey.scale_answers`). A programme's
  score is the mean of its respondents' scores and ``n`` the smallest number of respondents
  behind any combined score. A programme with ``n`` below ``survey.min_n`` is suppressed (no
  score shown, not ranked); below ``survey.warn_n`` it is marked ``few_respondents``. A programme is suppressed as well where the survey tables
  (:mod:`analysis.disclosure`'s one pass) hide one of its score's items for it: a score of
  one item is that item's mean, and beside its faculty's mean it would give away the
  programme the survey tables protect by hiding this one (its codes are looked up as the
  survey tables spell them: stripped, 1150.0 as 1150). Units are programmes (``studprog_kod``); ``level`` comes
  from a ``level`` column when the data has one, else ``all``. The survey tables know no
  level: a programme with respondents at two levels is one cell there, and its level rows
  add up to it as programmes to their faculty, so :mod:`analysis.disclosure`'s rules 2–4 keep
  a complement among them (3 bachelor respondents hidden, 10 master shown: 13 · P − 10 ·
  master gave the three away).
- **Comparison group** (``[integration] comparison_group``): the institutions a unit is ranked
  among, by name or DBH code (matched, case-insensitively, against the institution and the
  unit name). Empty: every institution in the data. Units outside the group keep their scores
  but get no rank (``in_comparison_group`` false); ``comparison_group`` names the group
  (``all`` or the members joined by "; "), so every rank says what it is a rank among.
- **rank**: 1 = best within source, level and year among the group; ties share the best rank
  of the tie (``method='min'``). Scores are rounded to 10 decimals before ranking so that float
  noise (2.3 + 2.2 vs 2.4 + 2.1) never breaks a tie.
- **Gaps** are *this unit's score minus the reference*, in scale points (1–5), so the sign says
  the direction: negative = below. ``gap_to_best`` = score − best (0 for the best, never
  positive); ``gap_to_median`` = score − median of the ranked units; ``gap_to_mean`` = score −
  mean of the ranked units. NTNU bachelor 2017: 2.45 − 4.5 = −2.05 to the best, 2.45 − 4.0 =
  −1.55 to the median. (Until 2026 ``gap_to_best`` and ``gap_to_mean`` were reference − score:
  positive meant below, which read as the opposite.)
"""

from __future__ import annotations

from collections.abc import Collection
from typing import cast

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import DataFrame

from analysis import disclosure
from analysis.errors import InputError, Problem, closest, validate_frame
from analysis.metrics.ranking import in_group, rank_in_group
from analysis.metrics.survey import scale_answers
from analysis.settings import PUBLISHED_INTEGRATION_SOURCE, Settings, SurveySettings
from analysis.words import counted
from schemas.integration_scores import IntegrationScores
from schemas.studiebarometeret import IntegrationExtract, SurveyRespondents
from schemas.survey_layout import INSTITUTION_KEY, PROGRAMME_KEY, YEAR_KEY
from schemas.survey_results import SurveyItemResults

#: Without configuration: the extract's own columns.
DEFAULT_SCORES: dict[str, tuple[str, ...]] = {"academic": ("academic",), "social": ("social",)}


def _config_problem(message: str, value: object = None) -> Problem:
    return Problem(
        "[integration] in the configuration",
        None,
        None,
        value,
        message,
        "list the item names of each score under [integration.scores] in config/kvalitet.toml",
    )


def _score_columns(scores: dict[str, tuple[str, ...]], combine: tuple[str, ...]) -> list[str]:
    missing = [c for c in combine if c not in scores]
    if missing:
        raise InputError([_config_problem("combine names a score that has no items", ", ".join(missing))])
    return list(dict.fromkeys([*combine, *scores]))


def _from_extract(
    extract: pd.DataFrame, scores: dict[str, tuple[str, ...]], combine: tuple[str, ...], survey: SurveySettings
) -> pd.DataFrame:
    ext = validate_frame(extract, IntegrationExtract, "(integration extract)")
    names = _score_columns(scores, combine)
    out = pd.DataFrame(
        {
            "source": PUBLISHED_INTEGRATION_SOURCE,
            "level": ext["level"],
            "institution": ext["institution"],
            "unit_code": pd.NA,  # an extract has institutions, not programmes
            "unit_name": ext["institution"],
            "year": ext["year"],
            "n": ext["n"],
        }
    )
    problems = []
    for name in names:
        items = list(scores[name])
        if items and all(i in ext.columns for i in items):
            out[name] = ext[items].astype("Float64").mean(axis=1, skipna=False)
        elif name in ext.columns:
            out[name] = ext[name].astype("Float64")
        else:
            problems.append(
                _config_problem(
                    f"score {name!r}: the extract has none of its items and no column named {name!r}", ", ".join(items)
                )
            )
    if problems:
        raise InputError(problems)
    out["suppressed"] = disclosure.below_minimum(out["n"], survey.min_n)
    # an extract without n is not "få svarende", nor is it not: unknown (the workbook's cell
    # stays empty, where "nei" claimed more than the source gives)
    few = pd.array(disclosure.few_respondents(out["n"], survey), dtype="boolean")
    few[out["n"].isna().to_numpy()] = pd.NA
    out["few_respondents"] = few
    return out


def _from_respondents(
    respondents: pd.DataFrame,
    scores: dict[str, tuple[str, ...]],
    combine: tuple[str, ...],
    survey: SurveySettings,
    survey_items: pd.DataFrame | None = None,
) -> pd.DataFrame:
    resp = validate_frame(respondents, SurveyRespondents, "(respondents)")
    names = _score_columns(scores, combine)
    missing = sorted({i for n in names for i in scores[n] if i not in resp.columns})
    if missing:
        raise InputError(
            [
                _config_problem(
                    "the respondent data has no column for these configured items; later survey years ask other "
                    "questions",
                    ", ".join(missing),
                )
            ]
        )
    level = resp["level"].astype("str") if "level" in resp.columns else pd.Series("all", index=resp.index)
    institution = _institutions(resp)
    keys = pd.DataFrame(
        {
            "level": level,
            "institution": institution,
            "unit_code": _codes(resp[PROGRAMME_KEY]),
            "year": resp[YEAR_KEY].astype("Int64"),
        }
    )
    per_respondent = {}
    for name in names:
        # float64, not float32: two programmes with the same mean (65/21 from other answers) must
        # get the same number, or float32 rounding (~1e-7) would break their tie in the rank
        answers = scale_answers(resp[list(scores[name])])
        n_missing = answers.isna().sum(axis=1)
        # a respondent with no answers at all gets no mean either way (the mean of nothing is missing)
        ok = n_missing <= survey.index_max_missing
        per_respondent[name] = answers.mean(axis=1).where(ok)
    frame = pd.concat([keys, pd.DataFrame(per_respondent)], axis=1)
    grouped = frame.groupby(["level", "institution", "unit_code", "year"], dropna=False)
    means = grouped[names].mean()
    counts = grouped[names].count()
    out = means.reset_index()
    n = counts[list(combine)].min(axis=1).to_numpy()
    out["n"] = n
    out["source"] = "respondents"
    out["unit_name"] = out["unit_code"]
    if survey_items is None:  # not given by the pipeline's survey step: the same pass, here
        from analysis.metrics.survey_tables import survey_aggregates

        survey_items = cast(pd.DataFrame, survey_aggregates(resp, settings=survey).items)
    for name in names:
        # a score of its own (one not combined too) is never shown on fewer answers than the
        # minimum either, nor where the survey tables hide one of its items: a one-item score
        # is that item's mean
        hidden = _hidden_in_survey(out, list(scores[name]), survey_items).to_numpy()
        out[name] = out[name].mask(_protected(out, counts[name].to_numpy(), hidden, survey.min_n))
    combined = _hidden_in_survey(out, [i for name in combine for i in scores[name]], survey_items).to_numpy()
    out["suppressed"] = _protected(out, n, combined, survey.min_n)
    out["few_respondents"] = disclosure.few_respondents(out["n"], survey) & ~out["suppressed"]
    return out


def _codes(column: pd.Series) -> pd.Series:
    """A code column spelt as the survey tables key it (``survey_counts.key_text``: 'P3 ' is
    P3, 1150.0 is 1150), so that a programme is found among their decisions: spelt otherwise,
    a programme they hide to protect a sibling was shown here (an attack, 2026-12-04)."""
    from analysis.metrics.survey_counts import key_text

    text = {value: key_text(value) for value in column.dropna().unique()}
    return column.map(text).astype("string")


def _institutions(resp: pd.DataFrame) -> pd.Series | object:
    """Each respondent's institution code as the survey tables key its programme: its own, none
    for a respondent of a file without ``institusjonskode`` (the survey tables count such files
    apart, in no institution: ``survey_tables._rollups``). Keyed otherwise here, a programme
    they hide was not found among their decisions, and one programme code of two files, one unit
    there, was two here."""
    if INSTITUTION_KEY not in resp.columns:
        return pd.NA
    return _codes(resp[INSTITUTION_KEY])


def _protected(out: pd.DataFrame, n: np.ndarray, hide: np.ndarray, min_n: int) -> np.ndarray:
    """Which rows of ``out`` are hidden, with ``n`` answers each and ``hide`` the rows the
    survey tables hide: :mod:`analysis.disclosure`'s rules 1–4, with each programme × year as
    the parent of its rows. The survey tables know no level, so a programme whose respondents
    the data splits into levels is one cell there, shown, and its level rows add up to it as
    programmes to their faculty: the programme less its levels shown would give a hidden one
    (an attack, 2026-12-04: 3 bachelor and 10 master respondents, 13 · P − 10 · master). A
    programme of one level is its own row's only child, which changes nothing."""
    programme = out.groupby(["institution", "unit_code", "year"], dropna=False, sort=False).ngroup().to_numpy()
    rows, programmes = len(out), int(programme.max(initial=-1)) + 1
    n = np.asarray(n, dtype=np.int64)
    cells = np.concatenate([n, np.bincount(programme, weights=n, minlength=programmes).astype(np.int64)])
    parent = np.concatenate([rows + programme, np.full(programmes, -1)])
    codes = np.concatenate([out["level"].astype(str).to_numpy(dtype=str), np.full(programmes, "")])
    # a programme the survey tables hide is hidden with every row of it (``hide`` is per programme)
    hidden = np.concatenate([hide, np.bincount(programme, weights=hide, minlength=programmes) > 0])
    reason = disclosure.suppression_codes(cells, parent, codes, min_n, hide=hidden)
    return reason[:rows] != 0


def _hidden_in_survey(out: pd.DataFrame, items: list[str], survey_items: pd.DataFrame) -> pd.Series:
    """Programme rows of ``out`` (institution, ``unit_code``, year) for which the survey
    tables hide one of ``items``: the disclosure pass decided it for those very answers (its
    rules 2–4 hide a programme to protect another), and the integration score must not undo
    it. A programme delivered under two faculties is one row here and two units there: hidden
    where either is."""
    rows = survey_items[
        (survey_items["level"].astype("string") == "programme")
        & survey_items["suppressed"].astype(bool)
        & survey_items["item"].astype("string").isin(items)
    ]

    def key(institution: pd.Series, unit: pd.Series, year: pd.Series) -> pd.Series:
        return (
            institution.astype("string").fillna("")
            + "|"
            + unit.astype("string").fillna("")
            + "|"
            + year.astype("Int64").astype("string").fillna("")
        )

    hidden = key(rows["institution_code"], rows["unit_code"], rows["year"])
    institution = out["institution"] if "institution" in out else pd.Series(pd.NA, index=out.index)
    return key(institution, out["unit_code"], out["year"]).isin(set(hidden)).astype(bool)


def members_not_in_data(scores: pd.DataFrame, members: Collection[str]) -> dict[str, str | None]:
    """The comparison-group members that match no row of ``scores`` (as :func:`in_group`
    matches), each with the closest institution or unit name of the data (None: none close): a
    misspelt member is left out of the ranking, and a group of such members ranks nothing."""
    names = sorted(
        {str(v).strip() for c in ("institution", "unit_name") if c in scores for v in scores[c].dropna().unique()}
    )
    return {str(m).strip(): closest(str(m).strip(), names) for m in members if not in_group(scores, [m]).any()}


def comparison_group_notes(scores: pd.DataFrame, settings: Settings) -> list[str]:
    """:func:`members_not_in_data` in words, one line per member, naming the setting where it is
    written (``kvalitet integration`` prints them; the derived stage keeps them for the report)."""
    config = settings.source or "(built-in settings)"
    lines = []
    for member, closest_name in members_not_in_data(scores, settings.integration.comparison_group).items():
        hint = f"did you mean {closest_name}?" if closest_name else "write names as the data writes them, or DBH codes"
        lines.append(
            f"{config}: integration.comparison_group: {member!r} is no institution or unit of the data; not in "
            f"the ranking ({hint})"
        )
    if settings.integration.comparison_group:
        # a programme of a file without institusjonskode (:func:`_institutions`) is in no
        # institution of the group: out of the ranking, said, not left out without a word
        unplaced = scores[
            (scores["source"] == "respondents")
            & scores["institution"].isna()
            & ~in_group(scores, settings.integration.comparison_group)
        ]
        for year, rows in unplaced.groupby("year"):
            lines.append(
                f"{config}: integration.comparison_group: {counted(len(rows), 'programme', 'en')} of {year} "
                f"without an institution code (their files of {year} have no institusjonskode column): not in "
                f"the ranking (give every file of {year} the column)"
            )
    return lines


@pa.check_output(IntegrationScores.to_schema(), lazy=True)
def integration_scores(
    extract: DataFrame[IntegrationExtract] | None = None,
    respondents: DataFrame[SurveyRespondents] | None = None,
    *,
    settings: Settings,
    survey_items: DataFrame[SurveyItemResults] | None = None,
) -> DataFrame[IntegrationScores]:
    """Integration scores with rank and gaps, from an aggregated extract and/or respondents.

    Args:
        extract: an aggregated extract (``schemas.studiebarometeret.IntegrationExtract``), e.g.
            the seed's 2017 internationalisation table.
        respondents: respondent-level Studiebarometeret data
            (``schemas.studiebarometeret.SurveyRespondents``).
        settings: scores, combination and survey thresholds, resolved once by the entry point.
        survey_items: the survey items table of the same respondents (the pipeline's survey
            step), whose disclosure decisions the programme scores keep; computed here from
            ``respondents`` when not given.

    Returns:
        One row per unit × level × year and source (``schemas.integration_scores.IntegrationScores``).

    Raises:
        InputError: an input breaks its contract, or the configured items are not in the data.
        ValueError: neither input given.
    """
    return _integration_table(extract, respondents, settings, survey_items)


def _integration_table(
    extract: pd.DataFrame | None,
    respondents: pd.DataFrame | None,
    settings: Settings,
    survey_items: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """:func:`integration_scores` without its output check: the rules live here, undecorated,
    so that mutation testing reaches them (mutmut skips decorated functions). Column dtypes are
    the output contract's business (``IntegrationScores`` coerces): the steps compute values."""
    if extract is None and respondents is None:
        raise ValueError("give an integration extract, respondent-level data, or both")
    scores = dict(settings.integration.scores) or dict(DEFAULT_SCORES)
    combine = tuple(settings.integration.combine)
    if not combine:
        raise InputError([_config_problem("combine is empty: name the scores that make up integration_score")])
    parts, problems = [], []

    def collect(build, *args) -> None:  # every input's problems are listed, not the first's only
        try:
            parts.append(build(*args))
        except InputError as err:
            problems.extend(err.problems)

    if extract is not None:
        collect(_from_extract, extract, scores, combine, settings.survey)
    if respondents is not None:
        collect(_from_respondents, respondents, scores, combine, settings.survey, survey_items)
    if problems:
        raise InputError(problems)
    df = pd.concat(parts, ignore_index=True)
    df["integration_score"] = df[list(combine)].astype("Float64").mean(axis=1, skipna=False)
    hidden = df["suppressed"].to_numpy()
    df.loc[hidden, [*dict.fromkeys([*combine, *scores]), "integration_score"]] = pd.NA
    df["scores_used"] = "+".join(combine)
    for name in ("academic", "social"):
        if name not in df.columns:
            df[name] = pd.NA
    df = rank_in_group(df, settings.integration.comparison_group)
    # several columns: pandas sorts stably (a lexsort) and puts missing ranks last by default
    df = df.sort_values(["source", "level", "year", "rank", "unit_name"])
    front = list(IntegrationScores.to_schema().columns)
    extra = [c for c in df.columns if c not in front]
    return df[front + extra].reset_index(drop=True)


def is_programme(rows: pd.DataFrame) -> pd.Series:
    """Rows of a programme (respondent-level data: the row has its programme's code), not of an
    institution (an extract's rows: the unit is the institution, no code)."""
    return rows["unit_code"].notna() if "unit_code" in rows else pd.Series(False, index=rows.index)


def ranked_units(rows: pd.DataFrame) -> tuple[str, ...]:
    """What the ranks of ``rows`` are ranks among, by :func:`is_programme` (the rule the chart and
    the table name their units by): ``("institutions",)`` for an extract's rows,
    ``("programmes",)`` for respondent-level data's, both where the rows hold both sources (each
    source is ranked on its own, :func:`~analysis.metrics.ranking.rank_in_group`)."""
    programme = is_programme(rows)
    return tuple(
        kind for kind, present in (("institutions", (~programme).any()), ("programmes", programme.any())) if present
    )

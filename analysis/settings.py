"""Every threshold and setting of the product, in one place.

Defaults live here; a TOML file (``config/kvalitet.toml`` or ``--config``) may override the
survey and integration settings. Code elsewhere imports from this module and never repeats a
number.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from analysis import paths

# NOTE: NTNU's policy for diversity and gender equality 2018–2021: a programme with "less than
# 40 % of the under-represented gender" must act. Kept as an exact fraction so that 40 % exactly
# is never "below" because of float error.
GENDER_THRESHOLD = Fraction(40, 100)

# Studiebarometeret answers: 1–5 are scores; NOKUT codes "vet ikke / ikke relevant" as 9999.
LIKERT_MIN, LIKERT_MAX = 1, 5
DONT_KNOW_CODE = 9999

# NOTE: NOKUT does not publish the exact "få svarende" threshold (DOMAIN.md). Below MIN_N a
# result is never shown; below WARN_N it is shown with a few-respondents mark.
SURVEY_MIN_N = 5
SURVEY_WARN_N = 10

# A respondent's index is missing when more than this many of its items are missing
# (NOKUT's common rule: at most 1 of 4 missing).
INDEX_MAX_MISSING = 1

CONFIDENCE_LEVEL = 0.95

# Trend of the under-represented share in the gender flags: least-squares slope over the unit's
# years within this many calendar years ending at the row's year; below TREND_FLAT_PP
# percentage points per year (in absolute value) the trend is called "flat".
GENDER_TREND_WINDOW_YEARS = 5
GENDER_TREND_FLAT_PP = 1.0

# NOTE: HK-dir's DBH-API has moved host before (api.nsd.no/dbhapitjener ->
# dbh-data.dataporten-api.no -> dbh.hkdir.no/api); `[dbh] base_url` in the settings file or the
# environment variable KVALITET_DBH_URL (analysis.fetch.dbh.base_url) follows the next move.
DBH_BASE_URL = "https://dbh.hkdir.no/api/"


@dataclass(frozen=True)
class SurveySettings:
    min_n: int = SURVEY_MIN_N
    warn_n: int = SURVEY_WARN_N
    index_max_missing: int = INDEX_MAX_MISSING
    # index name -> NOKUT item variable names
    indices: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class IntegrationSettings:
    # score name ("academic", "social") -> item names (respondent-level variable names, or the
    # column headers of an aggregated extract)
    scores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # which scores make up integration_score
    combine: tuple[str, ...] = ("academic", "social")


@dataclass(frozen=True)
class DbhSettings:
    # where `kvalitet fetch` sends its queries (…/Tabeller/hentJSONTabellData is added)
    base_url: str = DBH_BASE_URL


@dataclass(frozen=True)
class Settings:
    gender_threshold: Fraction = GENDER_THRESHOLD
    survey: SurveySettings = field(default_factory=SurveySettings)
    integration: IntegrationSettings = field(default_factory=IntegrationSettings)
    dbh: DbhSettings = field(default_factory=DbhSettings)


def _threshold(value: object) -> Fraction:
    """A threshold given as percent (40, "40", "37.5") becomes an exact fraction (2/5)."""
    frac = Fraction(str(value))
    if not 0 < frac < 100:
        raise ValueError(f"threshold must be a percentage between 0 and 100, got {value!r}")
    return frac / 100


def load_settings(path: Path | None = None) -> Settings:
    """Read settings from a TOML file (default ``config/kvalitet.toml``) over the defaults.

    Without the default file the built-in defaults apply; a file given by name must exist (a
    mistyped ``--config`` must not silently give the defaults).
    """
    if path is not None and not Path(path).is_file():
        raise FileNotFoundError(f"no such settings file: {path}")
    path = Path(path) if path is not None else paths.DEFAULT_CONFIG
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    gender = data.get("gender", {})
    survey = data.get("survey", {})
    integ = data.get("integration", {})
    dbh = data.get("dbh", {})
    return Settings(
        gender_threshold=_threshold(gender["threshold_pct"])
        if "threshold_pct" in gender
        else GENDER_THRESHOLD,
        survey=SurveySettings(
            min_n=int(survey.get("min_n", SURVEY_MIN_N)),
            warn_n=int(survey.get("warn_n", SURVEY_WARN_N)),
            index_max_missing=int(survey.get("index_max_missing", INDEX_MAX_MISSING)),
            indices={k: tuple(v) for k, v in survey.get("indices", {}).items()},
        ),
        integration=IntegrationSettings(
            scores={k: tuple(v) for k, v in integ.get("scores", {}).items()},
            combine=tuple(integ.get("combine", ("academic", "social"))),
        ),
        dbh=DbhSettings(base_url=str(dbh.get("base_url", DBH_BASE_URL))),
    )

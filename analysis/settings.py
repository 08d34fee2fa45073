"""Every threshold and setting of the product, read and checked once, at the entry point.

A command (or a notebook's parameters cell) calls :func:`load_settings` once and hands the
:class:`Settings` object down; metrics and charts take their thresholds from it and have no
defaults of their own, so a report never mixes two thresholds. The defaults are the dataclass
defaults below; ``config/kvalitet.toml`` documents them and ``--config FILE`` overrides them.

A settings file is checked as strictly as a data file: an unknown key is an error naming the
closest known key, every value has a type and a range, and the message names the file, the line
and column of the key and the key (``FILE:LINE:COLUMN: 'key = value' — key: …``), as a data file's
problem is named at its row; a file that cannot be read as TOML is named at its line and column.
"""

from __future__ import annotations

import codecs
import hashlib
import math
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from fractions import Fraction
from pathlib import Path

from analysis import paths
from analysis.errors import Problem, closest, missing_path
from analysis.words import quoted

# Studiebarometeret answers: 1–5 are scores; NOKUT codes "vet ikke / ikke relevant" as 9999.
# These are definitions of the survey, not settings.
LIKERT_MIN, LIKERT_MAX = 1, 5
DONT_KNOW_CODE = 9999
# A mean on the 1–5 scale the report computes (a survey index, its interval and change, the
# combined integration score): two decimals, because an index usually moves by a few
# hundredths from one year to the next, which one decimal hides.
SCORE_DIGITS = 2
# NOKUT publishes its means with one decimal (the portal's indices, the 2017 integration
# extract: "2,3"): they are shown so everywhere (page, Word, workbook, CSV), since "2,30" claims
# a precision the source does not have. The data keep the number as read.
PUBLISHED_SCORE_DIGITS = 1
# The integration rows whose scores NOKUT published (its extract: the ``source`` column of
# analysis.metrics.integration). Scores from respondent-level data are the report's own means,
# shown with SCORE_DIGITS: with one decimal 3,45 and 3,35 showed as "3,5" and "3,4" beside a
# combined "3,40".
PUBLISHED_INTEGRATION_SOURCE = "extract"


def integration_score_digits(sources: Iterable[object]) -> int:
    """Decimals of the academic and social scores of integration rows from ``sources`` (their
    ``source`` values; none given: the extract's): NOKUT's one only when every row is its
    published extract."""
    published = all(s == PUBLISHED_INTEGRATION_SOURCE for s in sources)
    return PUBLISHED_SCORE_DIGITS if published else SCORE_DIGITS


#: The key, in a setting's field metadata, of a setting that says only how a result is presented
#: (how a chart draws it, which words the report cites it with), not what it is: nothing in
#: ``analysis/metrics`` reads it, and the derived stage's fingerprints leave it out
#: (:func:`decides_numbers`), so changing it rebuilds the report (whose fingerprint has the
#: settings file's sha256) but re-runs no derived step. Before, ``[integration] chart_best``
#: re-ran the integration step, and ``[gender] policy`` the gender step, though no number changed.
PRESENTATION_ONLY = "presentation_only"


#: The most of the comparison group's best units the integration chart may draw: more leave too
#: little of its bounded height (``analysis.charts.integration.MAX_ROWS``) for the own units.
CHART_BEST_MAX = 10


@dataclass(frozen=True)
class GenderSettings:
    # NOTE: NTNU's policy for diversity and gender equality 2018–2021: a programme with "less
    # than 40 % of the under-represented gender" must act. Kept as an exact fraction so that
    # 40 % exactly is never "below" because of float error.
    threshold: Fraction = Fraction(40, 100)
    # Trend of the under-represented share: least-squares slope over the unit's years within
    # this many calendar years ending at the row's year; below trend_flat_pp percentage points
    # per year (in absolute value) the trend is called "flat".
    trend_window_years: int = 5
    trend_flat_pp: float = 1.0
    confidence_level: float = 0.95
    # The institution's own policy the threshold comes from, by name, as the report cites it
    # ("Etter {policy} skal disse sette inn tiltak"). Empty: the report names no policy and
    # says only that the threshold is the settings' (a threshold is not a duty by itself).
    # The policy settings are the report's words, not its numbers: no derived step reads them.
    policy: str = field(default="", metadata={PRESENTATION_ONLY: True})
    # The DBH code of the institution whose policy ``policy`` is ("1150"). A report of another
    # institution names no policy: NTNU's duty cited in UiT's report (the shipped file's policy
    # with --institution 1130) told UiT's units to act under NTNU's policy. Required with a
    # policy (:func:`parse_settings`); empty only where no policy is named.
    policy_institution: str = field(default="", metadata={PRESENTATION_ONLY: True})
    # The policy's name in English, as an English report (--lang en) cites it ("NTNU's policy for
    # diversity and gender equality 2018–2021"). Empty: an English report cites ``policy`` as
    # the title it is, in quotes (a Norwegian name read as English words was "Under NTNUs
    # politikk … they shall take measures").
    policy_en: str = field(default="", metadata={PRESENTATION_ONLY: True})

    def policy_of(self, institution: str) -> str:
        """The policy a report of ``institution`` cites: ``policy``, or "" where it is another's."""
        if self.policy_institution and self.policy_institution != str(institution):
            return ""
        return self.policy

    def policy_name(self, institution: str, lang: str) -> str:
        """The name a report of ``institution`` in ``lang`` cites its policy by: ``policy``, in
        English ``policy_en`` or else ``policy`` in quotes (once: a name written in quotes keeps
        its own); "" where it cites none (:meth:`policy_of`)."""
        policy = self.policy_of(institution)
        if not policy or lang != "en":
            return policy
        return self.policy_en or quoted(policy)


@dataclass(frozen=True)
class SurveySettings:
    # NOTE: NOKUT does not publish the exact "få svarende" threshold (DOMAIN.md). Below min_n a
    # result is never shown (nor derivable: analysis.disclosure); below warn_n it is shown with
    # a few-respondents mark.
    min_n: int = 5
    warn_n: int = 10
    # A respondent's index is missing when more than this many of its items are missing
    # (NOKUT's common rule: at most 1 of 4 missing).
    index_max_missing: int = 1
    confidence_level: float = 0.95
    # index name -> NOKUT item variable names
    indices: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class IntegrationSettings:
    # score name ("academic", "social") -> item names (respondent-level variable names, or the
    # column headers of an aggregated extract)
    scores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # which scores make up integration_score
    combine: tuple[str, ...] = ("academic", "social")
    # institutions a unit is ranked among (names or DBH codes); empty: every institution in
    # the data
    comparison_group: tuple[str, ...] = ()
    # how many of the comparison group's best units the integration chart draws beside the own
    # units and the group's median, once the group is too large to draw whole
    # (analysis.charts.integration.chart_rows); the full ranking is in the workbook and CSV.
    # How the chart draws the scores, not the scores: no derived step depends on it
    chart_best: int = field(default=5, metadata={PRESENTATION_ONLY: True})


@dataclass(frozen=True)
class DbhSettings:
    # NOTE: HK-dir's DBH-API has moved host before (api.nsd.no/dbhapitjener ->
    # dbh-data.dataporten-api.no -> dbh.hkdir.no/api); the environment variable
    # KVALITET_DBH_URL (analysis.fetch.dbh.base_url) follows the next move for one run.
    # `kvalitet fetch` adds Tabeller/hentJSONTabellData to it.
    base_url: str = "https://dbh.hkdir.no/api/"


#: The longest a report notebook's cell may be given (:class:`ReportSettings`): a day.
CELL_TIMEOUT_MAX_S = 24 * 3600


@dataclass(frozen=True)
class ReportSettings:
    # NOTE: a cell of a report notebook that hangs (waits for a file, the network or a lock that
    # never comes) held the build for ever, until Ctrl-C. Each cell may run this many seconds;
    # one that runs longer is stopped and the build fails naming the notebook and the cell, the
    # earlier report left as it was. Generous: the slowest cell of the shipped notebooks takes
    # a few seconds on the national files, a respondent file of millions of rows a minute.
    cell_timeout_s: int = 600


def decides_numbers(section: GenderSettings | SurveySettings | IntegrationSettings | DbhSettings) -> dict[str, object]:
    """The settings of ``section`` (a settings dataclass) that decide derived numbers: every
    field but those marked :data:`PRESENTATION_ONLY`. A new setting counts unless marked, so a
    forgotten mark re-runs a step for nothing rather than keeping numbers computed otherwise."""
    return {f.name: getattr(section, f.name) for f in fields(section) if not f.metadata.get(PRESENTATION_ONLY)}


@dataclass(frozen=True)
class Settings:
    gender: GenderSettings = field(default_factory=GenderSettings)
    survey: SurveySettings = field(default_factory=SurveySettings)
    integration: IntegrationSettings = field(default_factory=IntegrationSettings)
    dbh: DbhSettings = field(default_factory=DbhSettings)
    report: ReportSettings = field(default_factory=ReportSettings)
    #: the file the settings were read from (None: the built-in defaults) and its sha256
    source: str | None = None
    source_sha256: str | None = None

    @property
    def gender_threshold(self) -> Fraction:
        return self.gender.threshold


class SettingsError(ValueError):
    """A settings file that cannot be used, said as every input problem is,
    ``FILE:LINE:COLUMN: VALUE — what is wrong (what to do)`` (:class:`analysis.errors.Problem`),
    with ``-`` where no place in the file is known. A setting that is wrong is named by its key
    (``— gender.threshold_pct: must be …``), at the line that writes it (the line as VALUE);
    ``where`` is its path of TOML keys. A problem of the file as a whole (key ``-``: missing, a
    folder, unreadable, not UTF-8, not TOML) has no key."""

    def __init__(
        self,
        file: Path | str,
        key: str,
        message: str,
        hint: str,
        *,
        line: int | None = None,
        column: int | None = None,
        value: object = None,
        where: tuple[str, ...] | None = None,
    ):
        self.file, self.key, self.message, self.hint = str(file), key, message, hint
        self.line, self.column, self.value = line, column, value
        self.where = where if where is not None else tuple(key.split(".")) if key != "-" else ()
        what = message if key == "-" else f"{key}: {message}"
        super().__init__(str(Problem(self.file, line, None if column is None else str(column), value, what, hint)))

    def at_key(self, text: str) -> SettingsError:
        """This error at the line and column of its key in ``text`` (the settings file as read),
        with that line as its value; as it is when the key is not written in the file."""
        at = _key_offsets(text).get(self.where) if self.where else None
        if at is None:
            return self
        line, column = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        return SettingsError(
            self.file,
            self.key,
            self.message,
            self.hint,
            line=line,
            column=column,
            value=_line_text(text, line),
            where=self.where,
        )


def _line_text(text: str, line: int) -> str | None:
    """Line ``line`` (from 1, counted by "\n" as tomllib counts) of ``text``, as an editor shows it."""
    lines = text.split("\n")
    return lines[line - 1].rstrip("\r") if line <= len(lines) else None


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _key_offsets(text: str) -> dict[tuple[str, ...], int]:
    """Where each key of the TOML ``text`` is first written: its path of keys (``("gender",
    "threshold_pct")``) -> the offset in ``text`` of its last part. A key is found as a
    ``key = value`` line under its ``[table]`` header, as a part of a dotted or quoted key
    (``gender.threshold_pct``, ``"min_n"``), inside an inline table, or as a header
    (``[survey.indices]`` places ``survey.indices``). Keys in an array's tables are no settings
    and are passed over, as are strings and comments that look like a key.

    tomllib does not say where a key is, so a setting it read is found here in the text it
    read; ``text`` is valid TOML (tomllib read it), and what cannot be followed is left out."""
    places: dict[tuple[str, ...], int] = {}
    n = len(text)

    def blank(i: int) -> int:  # past spaces, line ends and comments
        while i < n and (text[i] in " \t\r\n" or text[i] == "#"):
            i = text.find("\n", i) if text[i] == "#" else i + 1
            i = n if i < 0 else i
        return i

    def string_end(i: int) -> int:  # past the string that starts at i
        quote = text[i]
        escapes = quote == '"'
        if text.startswith(quote * 3, i):
            j = i + 3
            while not text.startswith(quote * 3, j):
                j += 2 if escapes and text[j] == "\\" else 1
            while j < n and text[j] == quote:  # up to two quotes of the string before the closing three
                j += 1
            return j
        j = i + 1
        while text[j] != quote:
            j += 2 if escapes and text[j] == "\\" else 1
        return j + 1

    def key(i: int, path: tuple[str, ...], record: bool) -> tuple[tuple[str, ...], int]:
        while True:
            i = blank(i)
            start = i
            if text[i] in "\"'":
                i = string_end(start)
                part = tomllib.loads("k = " + text[start:i])["k"]  # its escapes read as TOML reads them
            else:
                bare = _BARE_KEY.match(text, i)
                if bare is None:
                    raise ValueError(start)
                part, i = bare.group(), bare.end()
            path = (*path, part)
            if record:
                places.setdefault(path, start)
            i = blank(i)
            if text[i] != ".":
                return path, i
            i += 1

    def value(i: int, path: tuple[str, ...], record: bool) -> int:  # past the value that starts at i
        if text[i] in "\"'":
            return string_end(i)
        if text[i] in "[{":
            inline_table, close = text[i] == "{", "}" if text[i] == "{" else "]"
            i = blank(i + 1)
            while text[i] != close:
                before = i
                if inline_table:
                    sub, i = key(i, path, record)
                    i = value(blank(i + 1), sub, record)  # (i + 1: past "=")
                else:
                    i = value(i, path, False)
                i = blank(i)
                i = blank(i + 1) if text[i] == "," else i
                if i == before:
                    raise ValueError(i)
            return i + 1
        while i < n and text[i] not in ",]}#\r\n":  # a number, a date, true or false
            i += 1
        return i

    table: tuple[str, ...] = ()
    i = blank(0)
    try:
        while i < n:
            if text[i] == "[":
                brackets = 2 if text.startswith("[[", i) else 1
                table, i = key(i + brackets, (), True)
                i += brackets
            else:
                path, i = key(i, table, True)
                i = value(blank(i + 1), path, True)  # (i + 1: past "=")
            i = blank(i)
    except (IndexError, ValueError, tomllib.TOMLDecodeError):
        pass  # not followed to the end: the keys found so far
    return places


#: Where tomllib says a syntax error is (Python 3.11 has it in the message only).
_TOML_AT = re.compile(r" \(at line (\d+), column (\d+)\)$")
_TOML_AT_END = " (at end of document)"


def _toml_error(path: Path, text: str, err: tomllib.TOMLDecodeError) -> SettingsError:
    """A TOML syntax error at its line and column, with that line as the value."""
    said = str(err)
    lines = text.split("\n")  # (tomllib counts lines by "\n")
    at = _TOML_AT.search(said)
    if at:
        line, column = int(at[1]), int(at[2])
    elif said.endswith(_TOML_AT_END):  # a table or string left open: the error is at the end
        line, column = len(lines), len(lines[-1]) + 1
    else:
        line = column = None
    what = _TOML_AT.sub("", said).removesuffix(_TOML_AT_END)
    value = _line_text(text, line) if line is not None else None
    return SettingsError(
        path, "-", f"not valid TOML: {what}", "correct the syntax there", line=line, column=column, value=value
    )


def _not_utf8(path: Path, raw: bytes, err: UnicodeDecodeError) -> SettingsError:
    """Text that is not UTF-8, at the line and column of its first byte that is not."""
    start = raw.rfind(b"\n", 0, err.start) + 1
    line = raw.count(b"\n", 0, err.start) + 1
    column = len(raw[start : err.start].decode("utf-8", errors="replace")) + 1
    return SettingsError(
        path,
        "-",
        "not UTF-8 text",
        "save the settings file as UTF-8",
        line=line,
        column=column,
        value=raw[err.start : err.end],
    )


# --- checking one value ------------------------------------------------------------------


def _whole(low: int, high: int | None = None) -> object:
    def check(value: object) -> int:
        # NOTE: TOML's true is a bool, and bool is an int in Python: refuse it explicitly, or
        # "min_n = true" would publish single answers.
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"must be a whole number, got {value!r}")
        if value < low:
            raise ValueError(f"must be at least {low}, got {value}")
        if high is not None and value > high:
            raise ValueError(f"must be at most {high}, got {value}")
        return value

    return check


def _number(low: float, high: float) -> object:
    def check(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"must be a number, got {value!r}")
        if value < low or value > high:
            raise ValueError(f"must be in [{low}, {high}], got {value}")
        return float(value)

    return check


#: The gender threshold's bounds in percent, both allowed: the one rule of a threshold, from a
#: settings file, ``kvalitet flags --threshold`` (:func:`threshold_share`) or a
#: :class:`GenderSettings` made in code (``analysis.metrics.students_needed.as_threshold``).
#: Above 50 % every unit would be flagged: the under-represented gender is at most half.
THRESHOLD_PCT_MIN, THRESHOLD_PCT_MAX = 1, 50


def is_threshold_share(share: Fraction) -> bool:
    """Whether ``share`` (2/5 for 40 %) is a threshold :data:`THRESHOLD_PCT_MIN` to
    :data:`THRESHOLD_PCT_MAX` % allows."""
    return Fraction(THRESHOLD_PCT_MIN, 100) <= share <= Fraction(THRESHOLD_PCT_MAX, 100)


def threshold_share(pct: Fraction, written: object) -> Fraction:
    """The gender threshold as a share, from its percentage ``pct`` (``written`` as the adviser
    wrote it); ValueError saying what is allowed. The rule of ``[gender] threshold_pct`` and
    ``kvalitet flags --threshold`` (:func:`is_threshold_share`).

    NOTE: a value below 1 is refused, not read: it is a share written as a fraction (0.4 for
    40 %), and read as 0.4 % it would flag no unit at all, silently."""
    if not is_threshold_share(pct / 100):
        if 0 < pct < 1 and "%" not in str(written):  # ("0.5 %" is a percentage as written)
            meant = f"{float(pct * 100):g}"
            raise ValueError(f"is in percent: {written} means {written} %; write {meant} for {meant} %")
        raise ValueError(f"must be a percentage from {THRESHOLD_PCT_MIN} to {THRESHOLD_PCT_MAX}, got {written}")
    return pct / 100


def _threshold_pct(value: object) -> Fraction:
    _number(-math.inf, math.inf)(value)
    # str() gives the decimal as written (37.5 -> "37.5"): exact, never 0.37499…
    return threshold_share(Fraction(str(value)), value)


def _title(value: object) -> str:
    """A name for running text: one line, at most :data:`TITLE_CHARS` characters, or empty."""
    if not isinstance(value, str):
        raise ValueError(f'must be a name in quotes, like "NTNUs politikk for mangfold og likestilling", got {value!r}')
    if any(c in value for c in "\r\n"):
        raise ValueError("must be one line (it is quoted in a sentence)")
    if len(value.strip()) > TITLE_CHARS:
        raise ValueError(
            f"must be at most {TITLE_CHARS} characters (it is quoted in a sentence), got {len(value.strip())}"
        )
    return value.strip()


def _institution_code(value: object) -> str:
    """A DBH institution code in quotes, four digits ("1150", "0238"), or empty for none."""
    if not isinstance(value, str) or not re.fullmatch(r"(\d{4})?", value.strip()):
        raise ValueError(f'must be a DBH institution code of four digits in quotes, like "1150", or "", got {value!r}')
    return value.strip()


#: Characters of a name quoted in running text at most (a policy's title, not its text).
TITLE_CHARS = 160


def _names(value: object, *, allow_empty: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f'must be a list of names in quotes, like ["a", "b"], got {value!r}')
    if not value and not allow_empty:
        raise ValueError("must name at least one")
    return tuple(v.strip() for v in value)


class _ListError(ValueError):
    """A list of a table of lists that is refused: ``name`` is its key in the table."""

    def __init__(self, name: str, err: ValueError):
        self.name = name
        super().__init__(f"{name}: {err}")


def _name_lists(value: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise ValueError(f'must be a table of name = ["item", …], got {value!r}')
    out = {}
    for name, items in value.items():
        try:
            out[name] = _names(items)
        except ValueError as err:
            raise _ListError(name, err) from None
    return out


def _url(value: object) -> str:
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise ValueError(f"must be an http(s) address in quotes, got {value!r}")
    return value if value.endswith("/") else value + "/"


#: section -> key -> (field name in the section's dataclass, how to read the value)
SCHEMA: dict[str, dict[str, tuple[str, object]]] = {
    "gender": {
        "threshold_pct": ("threshold", _threshold_pct),
        "trend_window_years": ("trend_window_years", _whole(2)),
        "trend_flat_pp": ("trend_flat_pp", _number(0, 100)),
        "confidence_level": ("confidence_level", _number(0.5, 0.999)),
        "policy": ("policy", _title),
        "policy_institution": ("policy_institution", _institution_code),
        "policy_en": ("policy_en", _title),
    },
    "survey": {
        "min_n": ("min_n", _whole(1)),
        "warn_n": ("warn_n", _whole(1)),
        "index_max_missing": ("index_max_missing", _whole(0)),
        "confidence_level": ("confidence_level", _number(0.5, 0.999)),
        "indices": ("indices", _name_lists),
    },
    "integration": {
        "scores": ("scores", _name_lists),
        "combine": ("combine", _names),
        "comparison_group": ("comparison_group", lambda v: _names(v, allow_empty=True)),
        "chart_best": ("chart_best", _whole(1, CHART_BEST_MAX)),
    },
    "dbh": {
        "base_url": ("base_url", _url),
    },
    "report": {
        "cell_timeout_s": ("cell_timeout_s", _whole(1, CELL_TIMEOUT_MAX_S)),
    },
}
_SECTION_TYPES = {
    "gender": GenderSettings,
    "survey": SurveySettings,
    "integration": IntegrationSettings,
    "dbh": DbhSettings,
    "report": ReportSettings,
}
_ALL_KEYS = [f"{s}.{k}" for s, keys in SCHEMA.items() for k in keys]


def _did_you_mean(key: str, known: list[str]) -> str:
    close = closest(key, known)
    return f"did you mean {close}?" if close else f"known keys: {', '.join(known)}"


def _section(file: str, name: str, table: object) -> object:
    if not isinstance(table, dict):
        raise SettingsError(
            file, name, f"must be a [{name}] section, got {table!r}", "write it as a [section] table", where=(name,)
        )
    values = {}
    for key, raw in table.items():
        if key not in SCHEMA[name]:
            others = [k for k in _ALL_KEYS if k.endswith(f".{key}")]
            hint = f"did you mean {others[0]}?" if others else _did_you_mean(key, list(SCHEMA[name]))
            raise SettingsError(file, f"{name}.{key}", "unknown setting", hint, where=(name, key))
        attr, read = SCHEMA[name][key]
        try:
            values[attr] = read(raw)
        except ValueError as err:
            # a refused list of a table ([survey.indices] undervisning = []) is placed at its own line
            where = (name, key, err.name) if isinstance(err, _ListError) else (name, key)
            raise SettingsError(file, f"{name}.{key}", str(err), "correct the value", where=where) from None
    return _SECTION_TYPES[name](**values)


def parse_settings(data: dict, file: str = "(settings)") -> Settings:
    """Settings from parsed TOML; every key known, typed and in range, else :class:`SettingsError`."""
    for name in data:
        if name not in SCHEMA:
            # a setting above every [section] header (or with its header deleted) belongs to none
            home = [s for s, keys in SCHEMA.items() if name in keys]
            if home:
                raise SettingsError(
                    file,
                    name,
                    "is outside its section",
                    "put it under " + " or ".join(f"[{s}]" for s in home),
                    where=(name,),
                )
            raise SettingsError(file, name, "unknown section", _did_you_mean(name, list(SCHEMA)), where=(name,))
    sections = {name: _section(file, name, data.get(name, {})) for name in SCHEMA}
    survey: SurveySettings = sections["survey"]
    if survey.warn_n < survey.min_n:
        if "warn_n" not in data.get("survey", {}):
            # min_n raised above the default warn_n: the key to change is not in the file
            raise SettingsError(
                file,
                "survey.min_n",
                f"{survey.min_n} is above survey.warn_n, {survey.warn_n} by default",
                f"set warn_n = {survey.min_n} or more under [survey] too",
            )
        raise SettingsError(
            file,
            "survey.warn_n",
            f"must be at least min_n ({survey.min_n}), got {survey.warn_n}",
            "the few-respondents mark starts at or above the minimum",
        )
    gender: GenderSettings = sections["gender"]
    if gender.policy and not gender.policy_institution:
        # NOTE: a policy is one institution's; cited in every report (a file from before
        # policy_institution, or with it left empty) it told UiT's units to act under NTNU's
        raise SettingsError(
            file,
            "gender.policy",
            "names a policy but not the institution it is of",
            'add policy_institution = "CODE" under [gender], the DBH code of that institution '
            '("1150" for NTNU), or set policy = ""',
        )
    if gender.policy_en and not gender.policy:
        # an English name of no policy would be cited in English reports alone
        raise SettingsError(
            file,
            "gender.policy_en",
            "names a policy in English but policy is empty",
            'give the policy\'s own name as policy = "…" under [gender] too, or set policy_en = ""',
        )
    integ: IntegrationSettings = sections["integration"]
    missing = [c for c in integ.combine if integ.scores and c not in integ.scores]
    if missing:
        raise SettingsError(
            file,
            "integration.combine",
            f"names scores that are not defined: {', '.join(missing)}",
            f"define them under [integration.scores] or use {', '.join(integ.scores)}",
            # combine left at its default: the scores written are where the names are missing
            where=("integration", "combine" if "combine" in data.get("integration", {}) else "scores"),
        )
    return Settings(**sections)


def load_settings(path: Path | str | None = None) -> Settings:
    """Read settings from a TOML file (default ``config/kvalitet.toml``) over the defaults.

    Without the default file the built-in defaults apply; a file given by name must exist (a
    mistyped ``--config`` must not silently give the defaults).

    Raises:
        SettingsError: the file is missing (when named), unreadable, not TOML, or has an
            unknown key or a value of the wrong type or range.
    """
    if path is not None and Path(path).is_dir():
        raise SettingsError(path, "-", "a folder, not a settings file", "give the file, like config/kvalitet.toml")
    if path is not None and not Path(path).is_file():
        value, where = missing_path(path)
        raise SettingsError(
            path, "-", "no such settings file", f"{where}; check the path given to --config", value=value
        )
    path = Path(path) if path is not None else paths.DEFAULT_CONFIG
    if not path.exists():
        return Settings()
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise SettingsError(path, "-", f"cannot be read: {err.strerror}", "check the file's permissions") from None
    try:
        # Windows Notepad (before 2019) and PowerShell save UTF-8 with a byte-order mark, which
        # TOML does not allow ("Invalid statement at line 1, column 1"): taken off before the
        # text is decoded, so that a bad byte's line and column are counted as an editor shows them
        body = raw.removeprefix(codecs.BOM_UTF8)
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise _not_utf8(path, body, err) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise _toml_error(path, text, err) from None
    try:
        settings = parse_settings(data, str(path))
    except SettingsError as err:
        raise err.at_key(text) from None
    return Settings(
        gender=settings.gender,
        survey=settings.survey,
        integration=settings.integration,
        dbh=settings.dbh,
        report=settings.report,
        source=str(path),
        source_sha256=hashlib.sha256(raw).hexdigest(),
    )

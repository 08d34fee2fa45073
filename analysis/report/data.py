"""Everything the report is written from, computed once from a raw-data folder.

:func:`load_report_data` reads the raw files (:func:`analysis.ingest.read_datasets`), runs
the metrics, and keeps only the report institution's rows. Notebooks and the report-charts
notebook call it; it writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import cast

import pandas as pd
from pandera.typing.pandas import DataFrame

from analysis import paths
from analysis.charts.common import Source
from analysis.charts.labels import label
from analysis.errors import InputError, Problem, validate_frame
from analysis.institutions import SHORT_NAMES, is_institution, names_of
from analysis.metrics.unit_names import portal_programme_names
from analysis.metrics.wellbeing import without_others_remarks
from analysis.org_units import UNSPECIFIED_FACULTY
from analysis.paths import published_note
from analysis.readers.file_dates import NAMED, FileDate, own_date
from analysis.series_breaks import merged_seen_before
from analysis.settings import Settings, load_settings
from analysis.words import noun, year_runs
from schemas.flags import suppressed_by_source
from schemas.survey_results import PortalSetAside, SurveyFiles

#: Which publisher and table a source kind comes from (label key of the publisher, table text).
#: source kind -> (publisher label, table label); both texts in nb and en in charts/labels.py
#: The DBH tables whose rows carry their source kind into the derived tables: the count tables
#: and 379 (gender), and 210 (faculties); each as JSON and CSV. (A programme table of 379 was
#: shown as "dbh-379-csv" in the tables for people: a bad-input hunt, 2026-12-03.)
DBH_SOURCE_TABLES = (110, 112, 123, 132, 210, 379)
SOURCE_KINDS: dict[str, tuple[str, str]] = {
    **{f"dbh-{t}-{fmt}": ("src_dbh", f"srctable_dbh{t}") for t in DBH_SOURCE_TABLES for fmt in ("json", "csv")},
    "samordna-keyfigures": ("src_samordna", "srctable_samordna"),
    "samordna-sample": ("src_samordna", "srctable_samordna"),
    "seed-admission": ("src_seed", "srctable_seed_admission"),
    "seed-integration": ("src_nokut", "srctable_seed_integration"),
    "sb-portal-index": ("src_nokut", "srctable_portal_index"),
    "sb-portal-history": ("src_nokut", "srctable_portal_history"),
    "sb-portal-items": ("src_nokut", "srctable_portal_items"),
    "sb-portal-dbh-facts": ("src_nokut", "srctable_portal_dbh_facts"),
    "sb-respondents": ("src_nokut", "srctable_respondents"),
    "shot-indicators": ("src_shot", "srctable_shot"),
}


#: A short name of each source kind for one-line source cells (label keys in charts/labels.py).
SOURCE_SHORT: dict[str, str] = {
    **{f"dbh-{t}-{fmt}": f"srcshort_dbh{t}" for t in DBH_SOURCE_TABLES for fmt in ("json", "csv")},
    "samordna-keyfigures": "srcshort_samordna",
    "samordna-sample": "srcshort_samordna",
    "seed-admission": "srcshort_seed",
    "seed-integration": "srcshort_seed_integration",
    "sb-portal-index": "srcshort_portal",
    "sb-portal-history": "srcshort_portal",
    "sb-portal-items": "srcshort_portal",
    "sb-portal-dbh-facts": "srcshort_portal",
    "sb-respondents": "srcshort_respondents",
    "shot-indicators": "srcshort_shot",
}


def source_short(kind: object, lang: str) -> str:
    """``dbh-123-json`` -> "DBH 123"; several kinds joined by "; " each get theirs; an unknown
    kind is shown as it is."""
    out = []
    for one in str(kind).split("; "):
        out.append(label(SOURCE_SHORT[one], lang) if one in SOURCE_SHORT else one)
    return "; ".join(dict.fromkeys(out))


def source_labels(kind: str, lang: str) -> tuple[str, str]:
    """Publisher and table of a source kind in ``lang`` (an unknown kind: no publisher, the
    kind itself as the table)."""
    if kind not in SOURCE_KINDS:
        return "", kind
    publisher, table = SOURCE_KINDS[kind]
    return label(publisher, lang), label(table, lang)


@dataclass
class ReportData:
    """The report's numbers for one institution and year, with where they came from."""

    year: int
    institution: str
    institution_short: str
    data_dir: Path
    validated: dict  # the validated stage's manifest: every file read, its rows and warnings
    reference: dict[str, pd.DataFrame]  # look-up tables shown as they are (question texts)
    flags: pd.DataFrame
    integration: pd.DataFrame | None
    survey: pd.DataFrame | None
    wellbeing: pd.DataFrame | None
    portal_index: pd.DataFrame | None
    portal_history: pd.DataFrame | None
    # the settings every number was computed with, resolved once at the entry point (charts
    # draw the same threshold and hide by the same minimum)
    settings: Settings
    survey_indices: pd.DataFrame | None = None
    survey_changes: pd.DataFrame | None = None
    # a faculty report: the institution's own rows (level institution) of ``survey_indices`` and
    # ``survey_changes``, the values the institution's report shows; the index table shows
    # them above the faculty for comparison (:func:`for_faculty`)
    institution_survey_indices: pd.DataFrame | None = None
    institution_survey_changes: pd.DataFrame | None = None
    # file (relative to the raw folder) -> its date and how known (:func:`retrieval_dates`)
    retrieved: dict[str, FileDate] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # how the report year was chosen: "requested" (--year), "registered" (the latest year of the
    # institution's registered-student counts), "gender" (of any of its gender data), "own"
    # (of its survey data) or "national" (no data of its own; only with allow_empty)
    year_basis: str = "requested"
    # the report is for one faculty of the institution (--faculty CODE): its code and name
    faculty: str | None = None
    faculty_name: str | None = None
    # the institution has data of its own (gender, Studiebarometeret or portal); False only in a
    # report asked for explicitly with allow_empty
    has_own_data: bool = True
    # the mergers into the institution (analysis.series_breaks), as the derived stage resolved
    # them for its flags: the charts and notes mark them where its series holds one
    breaks: pd.DataFrame | None = None
    # of those, the ones whose merged institutions the data show under their own codes before the
    # merger (:func:`analysis.series_breaks.merged_seen_before`): only a series starting at one of
    # these was formed by the merger (HVL 2017); NTNU's fetched from 2016 merely starts there
    breaks_merged_seen: pd.DataFrame | None = None
    # the faculty-level rows of DBH's unspecified sub-unit, kept out of ``flags`` (no faculty:
    # :func:`without_unspecified_faculty`); the gender section says where its students are
    not_a_faculty: pd.DataFrame | None = None
    # a faculty report: the rows left out of it because their source does not say which faculty
    # a programme belongs to (Samordna's programme figures, the seed's admissions; the
    # studiebarometeret.no extract): the report says what it leaves out (for_faculty)
    without_faculty: pd.DataFrame | None = None
    portal_without_faculty: pd.DataFrame | None = None
    # the report institution's portal programmes and years NOKUT's respondent files cover, whose
    # portal figures the derived stage left out (:func:`analysis.disclosure.portal_set_aside`):
    # programme, year and name only (the portal charts name a programme by it)
    portal_set_aside: pd.DataFrame | None = None
    # DBH institution code -> name, of every institution the data or the reference tables name
    # (:func:`known_institution_names`): other institutions' rows keyed by code are named by it
    institution_names: dict[str, str] = field(default_factory=dict)
    # every name the report institution goes by (:func:`analysis.institutions.names_of`), its
    # data's own among them: to know its rows and the texts that name it
    own_names: tuple[str, ...] = ()

    @property
    def portal_set_aside_years(self) -> tuple[int, ...]:
        """The survey years of :attr:`portal_set_aside`, in order."""
        aside = self.portal_set_aside
        return tuple(sorted({int(y) for y in aside["survey_year"]})) if aside is not None else ()

    def portal_names(self, year: int | None) -> dict[str, str]:
        """Portal programme -> name as of ``year``, as every view of the report names it
        (:func:`~analysis.metrics.unit_names.portal_programme_names` of the index view and the
        rows set aside)."""
        return portal_programme_names(self.portal_index, year, self.portal_set_aside)

    @property
    def threshold(self) -> Fraction:
        return self.settings.gender.threshold

    @property
    def policy(self) -> str:
        """The policy this report cites: none where the settings' policy is another institution's."""
        return self.settings.gender.policy_of(self.institution)

    @property
    def own_level(self) -> str:
        """The level of the report's own unit: the institution's, or in a faculty report the faculty's."""
        return "faculty" if self.faculty else "institution"

    def policy_name(self, lang: str) -> str:
        """The policy's name as this report cites it in ``lang`` (:meth:`analysis.settings.GenderSettings.policy_name`)."""
        return self.settings.gender.policy_name(self.institution, lang)

    @property
    def survey_min_n(self) -> int:
        return self.settings.survey.min_n

    @property
    def survey_warn_n(self) -> int:
        return self.settings.survey.warn_n

    def sources(self, frame: pd.DataFrame, lang: str) -> list[Source]:
        """The sources of a frame's rows, from its ``source_kind``/``source_file`` provenance."""
        return sources_for(frame, self.retrieved, lang)


def retrieval_dates(data_dir: Path, validated: dict) -> dict[str, FileDate]:
    """File -> its date, for every file read into the report: as the raw folder's manifest
    records its retrieval, else as the file itself says it (an adviser's own folder of downloads
    has no manifest: :func:`analysis.readers.file_dates.own_date`).

    A file is its path relative to the raw folder (``2025/x.csv``), as the manifests and the rows'
    ``source_file`` name it: by its bare name, two files of one name in two subfolders were each
    dated as one of them."""
    from analysis.readers.raw_manifest import raw_manifest_entries

    manifest = data_dir / paths.RAW_MANIFEST_NAME
    files = raw_manifest_entries(manifest) if manifest.exists() else []
    dates = {
        _in_folder(f.get("file")): FileDate(str(f["retrieved"]))
        for f in files
        if isinstance(f, dict) and f.get("retrieved")
    }
    for entry in validated.get("inputs", []):
        name = _in_folder(entry.get("file")) if isinstance(entry, dict) else ""
        if name and name not in dates:
            found = own_date(data_dir / name)
            if found is not None:
                dates[name] = found
    return dates


def _in_folder(file: object) -> str:
    """A file's path relative to the raw folder as one text (``dbh_api/x.json``), however a
    manifest wrote it (``./dbh_api/x.json``)."""
    return Path(str(file or "")).as_posix() if file else ""


def sources_for(
    frame: pd.DataFrame, retrieved: dict[str, FileDate], lang: str, kind: str | None = None
) -> list[Source]:
    """One :class:`Source` per (kind, file) in the frame's provenance, in a stable order.

    A faculty or institution row added up from several files carries their kinds and files
    joined by "; ": each kind is named with what is known of the files' dates (:func:`dated`).
    """
    if frame is None or frame.empty:
        return [Source(source_labels(kind, lang)[0] if kind in SOURCE_KINDS else label("src_dbh", lang), "", None)]
    kinds = frame["source_kind"] if "source_kind" in frame else pd.Series(kind, index=frame.index)
    files = frame["source_file"] if "source_file" in frame else pd.Series(None, index=frame.index, dtype="object")
    pairs = pd.DataFrame({"kind": kinds.astype("string"), "file": files.astype("string")}).drop_duplicates()
    pairs = pairs.sort_values(["kind", "file"], na_position="last")
    out: list[Source] = []
    for k, f in zip(pairs["kind"], pairs["file"], strict=True):
        names = str(f).split("; ") if pd.notna(f) else []
        for one in str(k).split("; "):
            publisher, table = source_labels(one, lang)
            src = Source(publisher or label("src_dbh", lang), table, **dated(names, retrieved))
            if src not in out:
                out.append(src)
    return out


def dated(files: list[str], retrieved: dict[str, FileDate]) -> dict:
    """What is known of the dates of ``files`` (:class:`Source`'s date fields): the latest, the
    earliest where they differ, how they are known, and how many files are dated and not. A
    date of some of the files is never said as the date of all (a row of a dated and an undated
    file said "hentet 2026-09-23", as if both were)."""
    files = list(dict.fromkeys(_in_folder(n) for n in files))
    known = sorted(d for d in (retrieved.get(n) for n in files) if d)
    if not known:
        return {"retrieved": None}
    bases = {d.basis for d in known}
    return {
        "retrieved": known[-1].date,
        "earliest": known[0].date if known[0].date != known[-1].date else None,
        "dated_by": bases.pop() if len(bases) == 1 else "partly_named",
        "dated": len(known),
        "undated": len(files) - len(known),
        "named": sum(d.basis == NAMED for d in known),
    }


def sources_sentence(sources: list[Source], lang: str) -> str:
    """ "Kilde: …." for one source, "Kilder: …; …." for several (each once, in order)."""
    texts = list(dict.fromkeys(s.text(lang) for s in sources))
    return label("sources_line", lang, word=noun(len(texts), "source", lang).capitalize(), sources="; ".join(texts))


#: The integration table's ``source`` (which input a row was computed from) -> its source kind:
#: the aggregated extract is read only as the seed's 2017 extract (``analysis.readers.kinds``).
INTEGRATION_SOURCE_KINDS = {"extract": "seed-integration", "respondents": "sb-respondents"}


def files_of_kind(validated: dict, kind: str) -> str | None:
    """The files of source kind ``kind`` the validated stage read, as a row that is added up from
    several names them ("a.csv; b.csv"); None for none."""
    files = sorted(str(f["file"]) for f in validated.get("inputs", []) if isinstance(f, dict) and f.get("kind") == kind)
    return "; ".join(files) or None


def respondent_files_of_rows(
    frame: pd.DataFrame, files: DataFrame[SurveyFiles] | None, institution: str, every: str | None
) -> pd.Series:
    """Each survey table row's respondent files, as a row added up from several names them
    ("a.csv; b.csv"): those of its institution (of any, for a row without one) in its year and,
    for a change, its previous year (``files``: the survey step's ``survey_files``). A chart of
    2025 is dated as the files 2025 was counted from, not as every respondent file read (it said
    the range of the 2024 and 2025 files' dates, the 2024 file's being no date of its numbers).
    ``every`` (every respondent file read) where the stage has no ``survey_files`` or a row's year
    is in none of them: a date of more files than the row's, never of fewer."""
    if files is None or files.empty or "year" not in frame:
        return pd.Series(every, index=frame.index, dtype="object")
    own = files[(files["institution_code"] == institution).fillna(False)]
    by_year: dict[bool, dict[int, set[str]]] = {
        any_institution: {int(str(y)): {str(f) for f in of} for y, of in chosen.groupby("year")["source_file"]}
        for any_institution, chosen in ((False, own), (True, files))
    }
    without_code = (
        frame["institution_code"].isna() if "institution_code" in frame else pd.Series(True, index=frame.index)
    )

    def years(column: str) -> list[int | None]:
        values = (
            frame[column].astype("Int64") if column in frame else pd.Series(pd.NA, index=frame.index, dtype="Int64")
        )
        return [None if pd.isna(v) else int(v) for v in values]

    def named(any_institution: bool, *of_years: int | None) -> str | None:
        found = [by_year[any_institution].get(y) for y in of_years if y is not None]
        if not found or any(f is None for f in found):
            return every
        return "; ".join(sorted(set().union(*(f for f in found if f is not None))))

    keys = list(zip(without_code.tolist(), years("year"), years("previous_year"), strict=True))
    names = {key: named(*key) for key in dict.fromkeys(keys)}
    return pd.Series([names[key] for key in keys], index=frame.index, dtype="object")


def _with_kind(frame: pd.DataFrame | None, kind: str) -> pd.DataFrame | None:
    if frame is None:
        return None
    return frame if "source_kind" in frame else frame.assign(source_kind=kind)


#: Sources whose rows name no institution, and whose institution is known from the document
#: they come from. NOTE: the seed's admission table is from NTNU's learning-environment
#: committee (LMU, 28.11.2018), so its programmes are NTNU's.
SOURCE_OWNER = {"seed-admission": "1150"}


def own_rows(frame: pd.DataFrame, institution: str) -> pd.Series:
    """Rows of the report institution: by code where the source gives one; by name where it
    gives only a name; rows with neither only where the source's owner is known
    (:data:`SOURCE_OWNER`)."""
    index = frame.index
    code = (
        frame["institution_code"].astype("string")
        if "institution_code" in frame
        else pd.Series(pd.NA, index=index, dtype="string")
    )
    name = (
        frame["institution_name"].astype("string")
        if "institution_name" in frame
        else pd.Series(pd.NA, index=index, dtype="string")
    )
    kind = (
        frame["source_kind"].astype("string")
        if "source_kind" in frame
        else pd.Series(pd.NA, index=index, dtype="string")
    )
    by_code = (code == institution).fillna(False)
    by_name = code.isna() & is_institution(name, institution, names_of(institution))
    by_owner = code.isna() & name.isna() & (kind.map(SOURCE_OWNER) == institution).fillna(False)
    return (by_code | by_name | by_owner).astype(bool)


def latest_year(frame: pd.DataFrame | None, column: str = "year", upto: int | None = None) -> int | None:
    """The latest year in ``frame`` not after ``upto``."""
    if frame is None or frame.empty:
        return None
    years = pd.to_numeric(frame[column], errors="coerce").dropna().astype(int)
    if upto is not None:
        years = years[years <= upto]
    return int(years.max()) if len(years) else None


#: The problem when the report institution has none of its own data (a mistyped code).
NO_OWN_DATA = "no gender, Studiebarometeret or portal data for this institution"
NO_OWN_DATA_HINT = (
    "check --institution (a DBH code such as 1150) and the data folder; give --allow-empty "
    "for a report of the figures that are not per institution (SHoT, the integration extract)"
)


#: Preference among the versions of one measure when several are at hand: the autumn count
#: (DBH's reference semester for registered students) before spring, and students with a study
#: right (category S) before all categories together, before the other categories alone.
SEMESTER_PREFERENCE = ("autumn", "spring", "summer")
CATEGORY_PREFERENCE = ("S", "all", "unstated", "P", "A")


def one_version_per_measure(flags: pd.DataFrame) -> pd.DataFrame:
    """One count per measure, unit and year: one semester and student category per measure,
    and one source per unit and year.

    A report shows one count per unit and year. DBH table 123 comes per semester and student
    category, and adding or mixing them would count students twice or join different counts
    into one line: per measure the version (semester, category) that reaches the latest year is
    kept (the report year rests on it); between versions that reach the same year, the
    preferred semester and category (:data:`SEMESTER_PREFERENCE`, :data:`CATEGORY_PREFERENCE`),
    then the one not filtered (``measure_filter``: a download of one Nivåkode counts a part).
    Within that version, a unit and year that two sources both give (Samordna's national
    key-figure file and a programme sample; the national DBH export and an institution's own API
    response) is taken from the source that reaches the latest year, then the one with more
    units, so every unit keeps its rows. Every chart and table names the version it shows.
    """
    if flags.empty or "semester" not in flags.columns:
        return flags

    def rank(values: pd.Series, order: tuple[str, ...]) -> pd.Series:
        return values.astype("string").map({v: i for i, v in enumerate(order)}).fillna(len(order)).astype(int)

    # (flags from before the filter was part of the measure have no measure_filter column)
    version = [c for c in ("semester", "student_category", "measure_filter") if c in flags.columns]
    text = flags[["measure", "source_kind", *version]].astype("string").fillna("")
    versions = (
        text.assign(year=flags["year"])
        .groupby(["measure", *version], sort=True)["year"]
        .max()
        .rename("last")
        .reset_index()
    )
    versions["semester_rank"] = rank(versions["semester"].replace("", pd.NA), SEMESTER_PREFERENCE)
    versions["category_rank"] = rank(versions["student_category"].replace("", pd.NA), CATEGORY_PREFERENCE)
    # the whole count before a filtered one (a download of one Nivåkode): a part of the students
    versions["filter_rank"] = (versions["measure_filter"] != "").astype(int) if "measure_filter" in version else 0
    chosen = versions.sort_values(
        ["measure", "last", "semester_rank", "category_rank", "filter_rank"],
        ascending=[True, False, True, True, True],
        kind="stable",
    ).drop_duplicates("measure")[["measure", *version]]
    keep = text.merge(chosen.assign(_keep=True), on=["measure", *version], how="left")["_keep"]
    rows = flags[keep.fillna(False).to_numpy(dtype=bool)]
    # the sources of each measure, best first: the latest year, then the most units
    sources = (
        rows.groupby(["measure", "source_kind"], sort=True, observed=True)
        .agg(last=("year", "max"), units=("unit_code", "nunique"))
        .reset_index()
        .sort_values(["measure", "last", "units", "source_kind"], ascending=[True, False, False, True], kind="stable")
    )
    sources["source_rank"] = sources.groupby("measure").cumcount()
    rows = rows.merge(sources[["measure", "source_kind", "source_rank"]], on=["measure", "source_kind"], how="left")
    rows = (
        rows.sort_values("source_rank", kind="stable")
        .drop_duplicates(["measure", "level", "unit_code", "year"], keep="first")
        .drop(columns="source_rank")
    )
    return rows.sort_index(kind="stable").reset_index(drop=True)


def without_unspecified_faculty(flags: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the flags without, the rows of) DBH's unspecified sub-unit at the faculty level.

    The gender metric sums departments by the first three digits of their codes, so department
    000000 becomes a "faculty" 000 (:mod:`analysis.org_units`: no faculty). The report shows it
    where it is a unit, at the department level (000000) and in the institution's total, and
    nowhere among the faculties: one rule here, so the faculty chart, its trend, the follow-up
    list, the findings' "n av m fakulteter", the appendix and the tables agree (the chart drew
    it as a ninth faculty beside "5 av 8 fakulteter"; a 2024 report listed it for follow-up
    twice, as a faculty and as a department)."""
    if flags.empty:
        return flags, flags
    unspecified = ((flags["level"] == "faculty") & (flags["unit_code"] == UNSPECIFIED_FACULTY)).to_numpy(dtype=bool)
    return flags[~unspecified].reset_index(drop=True), flags[unspecified].reset_index(drop=True)


def load_report_data(
    data_dir: Path | str | None = None,
    year: int | None = None,
    institution: str = "1150",
    config: Path | str | None = None,
    settings: Settings | None = None,
    *,
    faculty: str | None = None,
    allow_empty: bool = False,
    retrieved: dict[str, FileDate] | None = None,
) -> ReportData:
    """The report's numbers for one institution, read from the derived stage.

    The stages are brought up to date first (:func:`analysis.pipeline.run`: nothing is
    recomputed when the raw files, the settings and the code are unchanged), so a notebook
    opened on its own in JupyterLab reads the same tables as the report build.

    Args:
        data_dir: the raw-data folder (default ``data/raw``); its stages sit beside it.
        year: the report year; default see :func:`default_report_year`. Sections whose
            sources have no data for this year say so and show their latest earlier year.
        institution: DBH institution code of the report institution.
        config: settings file (default ``config/kvalitet.toml``), read when ``settings`` is
            not given.
        settings: the settings, when the entry point has read them already.
        faculty: a faculty code (``271``): the report for that faculty only (see
            :func:`for_faculty`).
        allow_empty: build a report for an institution with no data of its own (national
            figures only) instead of refusing it.
        retrieved: the sources' dates, when the entry point has read them already
            (:func:`retrieval_dates`); read from the data folder when not given.

    Raises:
        analysis.errors.InputError: a raw file is invalid; the institution has no data of its
            own (unless ``allow_empty``); the faculty is not in its data.
        analysis.settings.SettingsError: the settings file is invalid.
    """
    from analysis import pipeline

    conf = settings if settings is not None else load_settings(Path(config) if config else None)
    stages, tables, validated = pipeline.run_and_read(data_dir, conf)
    if "survey_files" in tables:  # the derived stage's table, held to its contract as it is read
        path = stages.derived / "survey_files.parquet"
        tables["survey_files"] = validate_frame(tables["survey_files"], SurveyFiles, str(path), table=True)
    if "portal_set_aside" in tables:  # the derived stage's table, held to its contract as it is read
        path = stages.derived / "portal_set_aside.parquet"
        tables["portal_set_aside"] = validate_frame(tables["portal_set_aside"], PortalSetAside, str(path), table=True)
    if "gender_flags" in tables:  # what the source suppressed, as the report reads it: never a default
        path = stages.derived / "gender_flags.parquet"
        tables["gender_flags"] = validate_frame(tables["gender_flags"], suppressed_by_source(), str(path), table=True)
    if retrieved is None:
        retrieved = retrieval_dates(stages.raw, validated)
    data = _for_institution(tables, validated, stages.raw, year, institution, conf, retrieved)
    if not data.has_own_data and not allow_empty:
        raise InputError([Problem(str(data.data_dir), None, None, institution, NO_OWN_DATA, NO_OWN_DATA_HINT)])
    if year is not None and data.has_own_data and not allow_empty:
        # a report for a year the institution's own data do not reach would be all "no data"
        own = [y for y in (*_years(data.flags), *_years(data.survey), *_years(data.portal_index, "survey_year"))]
        if own and not min(own) <= year <= max(own):
            raise InputError(
                [
                    Problem(
                        str(data.data_dir),
                        None,
                        "--year",
                        year,
                        f"no data of institution {institution} for {year}: its own data run from {min(own)} to {max(own)}",
                        "give a year in that range (or --allow-empty for a report of national figures only)",
                    )
                ]
            )
    if faculty is not None:
        data = for_faculty(data, faculty)
    return data


def _for_institution(
    tables: dict[str, pd.DataFrame],
    validated: dict,
    data_dir: Path,
    year: int | None,
    institution: str,
    conf: Settings,
    retrieved: dict[str, FileDate],
) -> ReportData:
    """The derived tables narrowed to the report institution, and the report year settled."""
    warnings = [published_note(str(n), data_dir, conf.source) for n in validated.get("notes", [])]
    flags = tables.get("gender_flags", pd.DataFrame())
    every_institution = flags
    data_name = None
    own_names = names_of(institution)
    if not flags.empty:
        mine = flags[own_rows(flags, institution)]
        # the institution's name as its own data give it (DBH's name columns), for a title
        # where no short name is known
        named = mine["institution_name"].dropna() if "institution_name" in mine else pd.Series(dtype="string")
        data_name = str(named.mode().iloc[0]) if len(named) else None
        own_names = names_of(institution, mine)
        flags = mine.drop(columns="institution_name").reset_index(drop=True)
        flags = one_version_per_measure(flags)
    flags, not_a_faculty = without_unspecified_faculty(flags)

    integration = tables.get("integration")
    if integration is not None:
        # each row names the input it was computed from: with the extract and respondent data
        # both given, the table holds rows of each
        integration = integration.assign(source_kind=integration["source"].map(INTEGRATION_SOURCE_KINDS))
        # the scores keep no file of their own: the files of their kind read into this report, so
        # that the source line is dated as the file's manifest dates it (it said "hentedato
        # ukjent" under the 2017 extract, whose retrieval date the raw manifest gives)
        files = {kind: files_of_kind(validated, kind) for kind in INTEGRATION_SOURCE_KINDS.values()}
        integration["source_file"] = integration["source_kind"].map(files)

    # held to its contract as it was read (load_report_data)
    survey_files = cast("DataFrame[SurveyFiles] | None", tables.get("survey_files"))

    # the survey years of the institution's own rows, decided once for every survey table: the
    # years of its respondent files, and of its rows in any of the tables
    own_years: set[int] = set()
    if survey_files is not None:
        of_files = survey_files[(survey_files["institution_code"] == institution).fillna(False)]
        own_years |= set(of_files["year"].dropna().astype(int))
    for name in ("survey_items", "survey_indices", "survey_changes"):
        frame = tables.get(name)
        if frame is not None and {"institution_code", "year"} <= set(frame.columns):
            own = (frame["institution_code"].astype("string") == institution).fillna(False)
            own_years |= set(frame.loc[own, "year"].dropna().astype(int))

    def own_survey(name: str) -> pd.DataFrame | None:
        frame = tables.get(name)
        if frame is None:
            return None
        if "institution_code" in frame:
            code = frame["institution_code"].astype("string")
            own = (code == institution).fillna(False)
            # the rows of no institution (of files without institusjonskode) stand in for the
            # institution's only in the years it has none of its own (:data:`own_years`, the
            # same for every table), and a change only where neither of its two years is one:
            # beside its own they are counted apart (``survey_tables._rollups``), may be
            # anyone's, and its faculty 210 and theirs are two units of one code (the index
            # table refused them, a traceback; with the years chosen table by table, it gave
            # the institution's faculty the change of theirs, a second reader, 2026-12-05)
            stand_in = code.isna()
            for column in ("year", "previous_year"):
                if column in frame:
                    stand_in &= ~frame[column].isin(own_years).fillna(False)
            frame = frame[own | stand_in]
        frame = frame.reset_index(drop=True)
        if "source_file" not in frame:
            # the survey tables keep no file either: each row's respondent files (a respondent
            # file dated by its name said "hentedato ukjent")
            frame = frame.assign(
                source_file=respondent_files_of_rows(
                    frame, survey_files, institution, files_of_kind(validated, "sb-respondents")
                )
            )
        return _with_kind(frame, "sb-respondents")

    survey = own_survey("survey_items")
    wellbeing = _with_kind(tables.get("wellbeing"), "shot-indicators")
    if wellbeing is not None:
        # the source's remarks on national figures that name another institution are that
        # institution's ("NTNU-nyhet oppgir 48" was quoted in UiT's report): not in this one
        wellbeing = wellbeing.assign(
            definition_note=without_others_remarks(wellbeing["definition_note"], own_names),
            previous_remark=without_others_remarks(wellbeing["previous_remark"], own_names, definitions=False),
        )

    portal_index = _with_kind(tables.get("portal_index"), "sb-portal-index")
    if portal_index is not None:
        portal_index = portal_index[portal_index["institution_code"] == institution].reset_index(drop=True)
    aside = tables.get("portal_set_aside")
    aside = aside[aside["institution_code"] == institution].reset_index(drop=True) if aside is not None else None
    portal_history = _with_kind(tables.get("portal_history"), "sb-portal-history")
    if portal_history is not None and portal_index is not None:
        # the institution's programmes: of the index view, and those whose years the respondent
        # files cover (their other years are the portal's still)
        own_ids = set(portal_index["sb_id"]) | (set(aside["sb_id"]) if aside is not None else set())
        portal_history = portal_history[portal_history["sb_id"].isin(own_ids)].reset_index(drop=True)

    has_own = not flags.empty or any(f is not None and not f.empty for f in (survey, portal_index))
    basis = "requested"
    if year is None:
        year, basis = default_report_year(flags, survey, portal_index, wellbeing, integration)
        if year is None:
            raise InputError(
                [
                    Problem(
                        str(data_dir),
                        None,
                        None,
                        institution,
                        "no data for this institution",
                        "check --institution (a DBH code such as 1150) and the data folder",
                    )
                ]
            )
    if portal_history is not None:
        # the portal's time series as every view of the report shows it (the report's chart,
        # notebook 04, its explorer and its table of changes): up to the report year, not every
        # year the download happens to hold
        portal_history = portal_history[portal_history["survey_year"] <= int(year)].reset_index(drop=True)
    own_breaks = _own_breaks(tables.get("series_breaks"), institution)
    return ReportData(
        year_basis=basis,
        has_own_data=has_own,
        year=int(year),
        institution=institution,
        institution_short=SHORT_NAMES.get(institution) or data_name or institution,
        data_dir=data_dir,
        validated=validated,
        reference={name: tables[name] for name in ("survey_variables",) if name in tables},
        flags=flags,
        integration=integration,
        survey=survey,
        wellbeing=wellbeing,
        portal_index=portal_index,
        portal_history=portal_history,
        portal_set_aside=aside,
        settings=conf,
        survey_indices=own_survey("survey_indices"),
        survey_changes=own_survey("survey_changes"),
        retrieved=retrieved,
        warnings=warnings,
        breaks=own_breaks,
        breaks_merged_seen=merged_seen_before(own_breaks, every_institution),
        not_a_faculty=not_a_faculty,
        institution_names=known_institution_names(every_institution, int(year)),
        own_names=own_names,
    )


def known_institution_names(flags: pd.DataFrame, year: int) -> dict[str, str]:
    """DBH institution code -> name: as the gender data name it (DBH's name columns and table
    211, every institution's rows, not the report institution's alone; the name of the latest
    year not after ``year``), else as DBH's national table 123 named it
    (``data/reference/dbh_institusjonsnavn.csv``), else not at all."""
    from analysis.metrics.unit_names import names_as_of
    from analysis.readers.institution_names import names_of_codes

    named = names_as_of(flags, "institution_code", "institution_name", year) if "institution_name" in flags else {}
    return {**names_of_codes(), **named}


def _own_breaks(breaks: pd.DataFrame | None, institution: str) -> pd.DataFrame | None:
    """The breaks in the institution's own series (mergers into it)."""
    if breaks is None:
        return None
    return breaks[breaks["institution_code"] == institution].reset_index(drop=True)


def _years(frame: pd.DataFrame | None, column: str = "year") -> list[int]:
    if frame is None or frame.empty or column not in frame:
        return []
    return [int(y) for y in pd.to_numeric(frame[column], errors="coerce").dropna().unique()]


def default_report_year(
    flags: pd.DataFrame,
    survey: pd.DataFrame | None,
    portal_index: pd.DataFrame | None,
    wellbeing: pd.DataFrame | None,
    integration: pd.DataFrame | None,
) -> tuple[int | None, str]:
    """The report year when none is asked for, and on what it rests.

    The latest year of the institution's **registered-student counts** (DBH table 123): they
    are its complete gender-balance data, every unit, counted after the semester started.
    Applicant figures do not set the year: Samordna opptak's 2026 round is for study start in
    autumn 2026, a year the institution has not yet counted, and a sample covers a few
    programmes (the issue this answers: a 2026 title on 2025 counts). Without registration
    counts: the latest year of any own gender data, then of its own survey data; with no data
    of its own, the latest national figure (only reached when such a report is asked for).
    """
    if not flags.empty:
        registered = flags[flags["measure"].astype("string").str.startswith("registered").fillna(False)]
        yr = latest_year(registered)
        if yr is not None:
            return yr, "registered"
        return latest_year(flags), "gender"
    own = [y for y in (latest_year(survey), latest_year(portal_index, "survey_year")) if y is not None]
    if own:
        return max(own), "own"
    national = [y for y in (latest_year(wellbeing), latest_year(integration)) if y is not None]
    return (max(national), "national") if national else (None, "national")


def for_faculty(data: ReportData, code: str) -> ReportData:
    """The report data of one faculty: its units' gender flags (the faculty, its departments
    and its programmes; the institution row is left out) and its survey results (and the
    institution's survey indices beside them, for comparison). Sources that
    do not say which faculty a row belongs to (the Studiebarometeret portal extract, Samordna's
    programme sample) have nothing for a faculty report, and its sections say so. Integration and
    SHoT are institution and national figures and stay, labelled with their scope.

    Raises:
        InputError: ``code`` is not a faculty in the institution's gender data.
    """
    from dataclasses import replace

    from analysis.metrics.unit_names import names_as_of

    flags = data.flags
    # the faculties: not DBH's unspecified sub-unit, whose "faculty" 000 is none
    # (:func:`without_unspecified_faculty`); "--faculty 000" made a faculty report of it
    known = flags
    if not flags.empty:
        faculties = flags[flags["faculty_code"] != UNSPECIFIED_FACULTY].dropna(subset=["faculty_code"])
        # each faculty by its name as of the report year (the one rule, names_as_of): a faculty
        # renamed since kept its first name in the list of the report year's faculties and in
        # its report's title; a faculty no row names has none
        named = names_as_of(faculties, "faculty_code", "faculty_name", data.year)
        codes = sorted(set(faculties["faculty_code"]))
        known = pd.DataFrame({"faculty_code": codes, "faculty_name": [named.get(c) for c in codes]})

    def refused(what: str, hint: str) -> InputError:
        return InputError([Problem(str(data.data_dir), None, "faculty", code, what, hint)])

    if flags.empty or code not in set(known["faculty_code"]):
        raise refused(
            f"{code} is DBH's unspecified sub-unit, not a faculty"
            if code == UNSPECIFIED_FACULTY
            else f"no faculty {code} in the gender data of institution {data.institution}",
            _faculty_choices(known, flags, data.year) if not flags.empty else "check --faculty and --institution",
        )

    def of_faculty(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        """Survey rows of the faculty: its programmes (by their faculty_code) and the faculty row."""
        if frame is None:
            return None
        if "faculty_code" in frame.columns:
            keep = (frame["faculty_code"].astype("string") == code).fillna(False)
        else:
            keep = (frame["level"].astype("string") == "faculty") & (frame["unit_code"].astype("string") == code)
        return frame[keep].reset_index(drop=True)

    def of_institution(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        """The institution's own survey rows, as the derived stage wrote them: one disclosure
        pass over every unit, so the faculty report hides what the institution's report hides."""
        if frame is None:
            return None
        return frame[(frame["level"].astype("string") == "institution").fillna(False)].reset_index(drop=True)

    names = known.loc[known["faculty_code"] == code, "faculty_name"].dropna()
    mine = flags[(flags["faculty_code"] == code) & (flags["level"] != "institution")].reset_index(drop=True)
    survey = of_faculty(data.survey)
    years = [*_years(mine), *_years(survey)]
    if data.year not in years:
        # a faculty gone before the report year (UiT's 255 ran to 2009): its report would say
        # "no data" in every section, as an institution's for a year it has none of
        raise refused(
            f"faculty {code} has no data for {data.year}: its data are of {year_runs(years)}",
            f"give --year {max(years)} or another year of its data, or a faculty of {data.year}: "
            + _faculty_list(known, flags, data.year, current=True),
        )

    return replace(
        data,
        flags=mine,
        survey=survey,
        survey_indices=of_faculty(data.survey_indices),
        survey_changes=of_faculty(data.survey_changes),
        institution_survey_indices=of_institution(data.survey_indices),
        institution_survey_changes=of_institution(data.survey_changes),
        portal_index=None,
        portal_history=None,
        not_a_faculty=None,
        without_faculty=flags[(flags["level"] != "institution") & flags["faculty_code"].isna()].reset_index(drop=True),
        portal_without_faculty=data.portal_index,
        faculty=code,
        faculty_name=str(names.iloc[0]) if len(names) else code,
    )


def _faculty_list(known: pd.DataFrame, flags: pd.DataFrame, year: int, *, current: bool) -> str:
    """The faculties with gender data of ``year`` (``current``), "510 Det helsevitenskapelige
    fakultet, …", or the others, each with the years of its data ("255 Det medisinske fakultet
    (1997–2009)"), by code; a faculty no file names by its code alone ("610", never "610 nan")."""

    years = flags.dropna(subset=["faculty_code"]).groupby("faculty_code")["year"].agg(lambda y: sorted(set(y)))
    out = []
    for c, n in zip(known["faculty_code"], known["faculty_name"], strict=True):
        if (year in years[c]) != current:
            continue
        named = f"{c} {n}" if pd.notna(n) else str(c)
        out.append(named if current else f"{named} ({year_runs(years[c])})")
    return ", ".join(out)


def _faculty_choices(known: pd.DataFrame, flags: pd.DataFrame, year: int) -> str:
    """What to give ``--faculty``: the faculties of the report year first; those of other years
    after, with their years and how to have one (``--year``). UiT's list began with 17
    faculties gone by 2009 before its 7 of 2022."""
    now = _faculty_list(known, flags, year, current=True)
    other = _faculty_list(known, flags, year, current=False)
    choices = f"give one of the faculties of {year}: {now}" if now else f"no faculty has data for {year}"
    return f"{choices}; or one of other years with --year in its years: {other}" if other else choices

"""Everything the report is written from, computed once from a raw-data folder.

:func:`load_report_data` reads the raw files (:func:`analysis.ingest.read_datasets`), runs
the metrics, and keeps only the report institution's rows. Notebooks and the report-charts
notebook call it; it writes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.charts.common import Source
from analysis.charts.labels import label
from analysis.errors import InputError, Problem
from analysis.settings import Settings, load_settings

#: Institutions the product knows by code. NOTE: the Samordna opptak sample and the 2017
#: integration extract name institutions instead of giving DBH codes, so the report needs the
#: names to find "its" rows there. Add a line for another institution.
INSTITUTIONS: dict[str, dict[str, tuple[str, ...] | str]] = {
    "1150": {
        "short": "NTNU",
        "names": ("NTNU", "Norges teknisk-naturvitenskapelige universitet"),
    },
    "1173": {
        "short": "NMBU",
        "names": ("NMBU", "Norges miljø- og biovitenskapelige universitet"),
    },
}

#: Which publisher and table a source kind comes from (label key of the publisher, table text).
#: source kind -> (publisher label, table label); both texts in nb and en in charts/labels.py
SOURCE_KINDS: dict[str, tuple[str, str]] = {
    "dbh-123-json": ("src_dbh", "srctable_dbh123"),
    "dbh-123-csv": ("src_dbh", "srctable_dbh123"),
    "dbh-210-json": ("src_dbh", "srctable_dbh210"),
    "dbh-210-csv": ("src_dbh", "srctable_dbh210"),
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
    retrieved: dict[str, str] = field(default_factory=dict)  # file name -> retrieval date
    warnings: list[str] = field(default_factory=list)

    @property
    def threshold(self) -> Fraction:
        return self.settings.gender.threshold

    @property
    def survey_min_n(self) -> int:
        return self.settings.survey.min_n

    @property
    def survey_warn_n(self) -> int:
        return self.settings.survey.warn_n

    def sources(self, frame: pd.DataFrame, lang: str) -> list[Source]:
        """The sources of a frame's rows, from its ``source_kind``/``source_file`` provenance."""
        return sources_for(frame, self.retrieved, lang)


def _retrieval_dates(data_dir: Path) -> dict[str, str]:
    manifest = data_dir / paths.RAW_MANIFEST_NAME
    if not manifest.exists():
        return {}
    data = json.loads(manifest.read_text(encoding="utf-8"))
    files = data.get("files", []) if isinstance(data, dict) else data
    return {
        Path(str(f.get("file", ""))).name: str(f["retrieved"])
        for f in files
        if isinstance(f, dict) and f.get("retrieved")
    }


def sources_for(frame: pd.DataFrame, retrieved: dict[str, str], lang: str, kind: str | None = None) -> list[Source]:
    """One :class:`Source` per (kind, file) in the frame's provenance, in a stable order.

    A faculty or institution row added up from several files carries their kinds and files
    joined by "; ": each kind is named, dated by the latest retrieval among the row's files.
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
        dates = sorted(d for d in (retrieved.get(Path(n).name) for n in names) if d)
        for one in str(k).split("; "):
            publisher, table = source_labels(one, lang)
            src = Source(publisher or label("src_dbh", lang), table, dates[-1] if dates else None)
            if src not in out:
                out.append(src)
    return out


def _with_kind(frame: pd.DataFrame | None, kind: str) -> pd.DataFrame | None:
    if frame is None:
        return None
    return frame if "source_kind" in frame else frame.assign(source_kind=kind)


def institution_names(code: str) -> tuple[str, ...]:
    known = INSTITUTIONS.get(code, {})
    return tuple(known.get("names", ())) + (code,)


#: Sources whose rows name no institution, and whose institution is known from the document
#: they come from. NOTE: the seed's admission table is from NTNU's learning-environment
#: committee (LMU, 28.11.2018), so its programmes are NTNU's.
SOURCE_OWNER = {"seed-admission": "1150"}


def own_rows(frame: pd.DataFrame, institution: str) -> pd.Series:
    """Rows of the report institution: by code where the source gives one; by name where it
    gives only a name; rows with neither only where the source's owner is known
    (:data:`SOURCE_OWNER`)."""
    names = set(institution_names(institution))
    index = frame.index
    code = frame["institution_code"].astype("string") if "institution_code" in frame else pd.Series(pd.NA, index=index, dtype="string")
    name = frame["institution_name"].astype("string") if "institution_name" in frame else pd.Series(pd.NA, index=index, dtype="string")
    kind = frame["source_kind"].astype("string") if "source_kind" in frame else pd.Series(pd.NA, index=index, dtype="string")
    by_code = (code == institution).fillna(False)
    by_name = code.isna() & name.isin(names).fillna(False)
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


#: The warning when the report institution has none of its own data (a mistyped code).
NO_OWN_DATA = ("no gender, Studiebarometeret or portal data for this institution: the report shows only "
               "figures that are not per institution (SHoT, the integration extract)")


def load_report_data(
    data_dir: Path | str | None = None,
    year: int | None = None,
    institution: str = "1150",
    config: Path | str | None = None,
    settings: Settings | None = None,
) -> ReportData:
    """The report's numbers for one institution, read from the derived stage.

    The stages are brought up to date first (:func:`analysis.pipeline.run`: nothing is
    recomputed when the raw files, the settings and the code are unchanged), so a notebook
    opened on its own in JupyterLab reads the same tables as the report build.

    Args:
        data_dir: the raw-data folder (default ``data/raw``); its stages sit beside it.
        year: the report year; default the latest year in the institution's data.
            Each section uses its latest year not after this one (sources differ).
        institution: DBH institution code of the report institution.
        config: settings file (default ``config/kvalitet.toml``), read when ``settings`` is
            not given.
        settings: the settings, when the entry point has read them already.

    Raises:
        analysis.errors.InputError: a raw file is invalid.
        analysis.settings.SettingsError: the settings file is invalid.
    """
    from analysis import pipeline

    conf = settings if settings is not None else load_settings(Path(config) if config else None)
    stages, tables, validated = pipeline.run_and_read(data_dir, conf)
    return _for_institution(tables, validated, stages.raw, year, institution, conf)


def _for_institution(tables: dict[str, pd.DataFrame], validated: dict, data_dir: Path, year: int | None,
                     institution: str, conf: Settings) -> ReportData:
    """The derived tables narrowed to the report institution, and the report year settled."""
    warnings = [str(n) for n in validated.get("notes", [])]
    flags = tables.get("gender_flags", pd.DataFrame())
    if not flags.empty:
        flags = flags[own_rows(flags, institution)].drop(columns="institution_name").reset_index(drop=True)

    integration = tables.get("integration")
    if integration is not None:
        has_extract = "integration_extract" in validated.get("datasets", {})
        integration = _with_kind(integration, "seed-integration" if has_extract else "sb-respondents")

    def own_survey(name: str) -> pd.DataFrame | None:
        frame = tables.get(name)
        if frame is None:
            return None
        if "institution_code" in frame:
            code = frame["institution_code"].astype("string")
            frame = frame[(code == institution).fillna(False) | code.isna()]
        return _with_kind(frame.reset_index(drop=True), "sb-respondents")

    survey = own_survey("survey_items")
    wellbeing = _with_kind(tables.get("wellbeing"), "shot-indicators")

    portal_index = _with_kind(tables.get("portal_index"), "sb-portal-index")
    if portal_index is not None:
        portal_index = portal_index[portal_index["institution_code"] == institution].reset_index(drop=True)
    portal_history = _with_kind(tables.get("portal_history"), "sb-portal-history")
    if portal_history is not None and portal_index is not None:
        portal_history = portal_history[portal_history["sb_id"].isin(portal_index["sb_id"])].reset_index(drop=True)

    own_years = [
        latest_year(flags),
        latest_year(survey),
        latest_year(portal_index, "survey_year"),
    ]
    own_years = [y for y in own_years if y is not None]
    if not own_years:
        # a mistyped code must not pass for a report: say that nothing in it is the institution's
        warnings.append(str(Problem(
            str(data_dir), None, None, institution,
            NO_OWN_DATA,
            "check --institution (a DBH code such as 1150) and the data folder")))
    if year is None:
        # the latest year in the institution's own data; national SHoT figures only if
        # there is nothing else
        year = max(own_years) if own_years else (latest_year(wellbeing) or latest_year(integration))
        if year is None:
            raise InputError([Problem(str(data_dir), None, None, institution, "no data for this institution",
                                      "check --institution (a DBH code such as 1150) and the data folder")])
    return ReportData(
        year=int(year),
        institution=institution,
        institution_short=str(INSTITUTIONS.get(institution, {}).get("short", institution)),
        data_dir=data_dir,
        validated=validated,
        reference={name: tables[name] for name in ("survey_variables",) if name in tables},
        flags=flags,
        integration=integration,
        survey=survey,
        wellbeing=wellbeing,
        portal_index=portal_index,
        portal_history=portal_history,
        settings=conf,
        survey_indices=own_survey("survey_indices"),
        survey_changes=own_survey("survey_changes"),
        retrieved=_retrieval_dates(data_dir),
        warnings=warnings,
    )

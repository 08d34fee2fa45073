"""The stages in order: raw → validated → derived. Each reads the previous one's files.

========== ======================= ===========================================================
stage      folder                  what
========== ======================= ===========================================================
raw        ``data/raw``            files as downloaded (``kvalitet fetch`` or by hand), never
                                   changed; provenance in ``data/raw/MANIFEST.json``
validated  ``data/validated``      one Parquet file per dataset, every row checked against its
                                   contract and de-duplicated once (:mod:`analysis.ingest`)
derived    ``data/derived``        the published tables: gender flags at every level, integration
                                   scores, survey aggregates (after :mod:`analysis.disclosure`),
                                   well-being indicators, the portal's figures; read by the
                                   notebooks and the report, which never read raw files
========== ======================= ===========================================================

Like a step in Our World in Data's ETL, a stage re-runs only when what it depends on changed:
each stage's ``manifest.json`` keeps a fingerprint of its inputs (the sha256 of every raw file,
the settings it uses, the code's own fingerprint) and each derived table keeps its own, so a new
SHoT file re-runs the well-being table and nothing else. ``force`` rebuilds everything.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.charts.labels import counted, label
from analysis.errors import InputError
from analysis.outputs import (
    GIVEN_OUT,
    OutputFolder,
    Place,
    cannot_write,
    lock_file,
    make_folders,
    remove_made_folders,
)
from analysis.paths import published_name, published_note
from analysis.settings import Settings, decides_numbers
from schemas.datasets import NAME_TABLES

MANIFEST = "manifest.json"
#: The kind of output the derived stage is (named in its folder's marker).
DERIVED_KIND = "derived data"
LOCK = ".kvalitet-stages.lock"
#: The source folders whose code decides the numbers (the report's own code is fingerprinted by
#: the report build).
CODE_FOLDERS = ("analysis", "schemas")

Progress = Callable[[str], None]
#: The language of the stages' progress lines outside a report build: `kvalitet ingest` and
#: `kvalitet derive` have no --lang, and every other line they print (and the files' problems)
#: is English; `kvalitet report` passes its --lang.
STAGE_LANG = "en"


@dataclass(frozen=True)
class Stages:
    """The three folders of one data set."""

    raw: Path
    validated: Path
    derived: Path

    @classmethod
    def of(cls, raw: Path | str | None = None) -> Stages:
        """The stage folders of a raw folder: beside it when it is named ``raw`` (the
        ``data/raw`` layout), else in a ``NAME.kvalitet`` folder beside it."""
        raw = Path(raw or paths.RAW).resolve()
        home = raw.parent if raw.name == "raw" else raw.with_name(f"{raw.name}.kvalitet")
        return cls(raw, home / "validated", home / "derived")

    def place(self, folder: Path) -> Place:
        """How a write failure names ``folder``: in the stages' own place beside the data there
        is no --out to change (``kvalitet ingest --out`` gives the validated stage another)."""
        own = Stages.of(self.raw)
        return BESIDE_DATA if folder in (own.validated, own.derived) else GIVEN_OUT


#: Where the stages are written when nothing else is given (a write failure there says so).
BESIDE_DATA = Place(
    "the stage folder beside the data",
    "copy the data folder to a place you can write and give that as --data",
)


def fingerprint(*parts: object) -> str:
    """A sha256 over JSON-able parts (stable: keys sorted)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def keyed(plain: str, key: bytes) -> str:
    """``plain`` (a fingerprint over the inputs' sha256) keyed with the user's private key
    (:func:`analysis.console.fingerprint_key`), for a fingerprint written where it may be shared:
    the report's, the derived stage's. Unkeyed, one over a respondent file's sha256 gives a small
    file's answers by trying each (an attack on the report's manifest, and on the derived stage's,
    2026-12-04); keyed, it can be made again only with the key."""
    return hmac.new(key, plain.encode(), "sha256").hexdigest()


def code_fingerprint(folders: Sequence[str] = CODE_FOLDERS, root: Path = paths.ROOT) -> str:
    """The sha256 of the product's source files: new code re-runs the stages."""
    h = hashlib.sha256()
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    # the reference tables shipped with the code are read like code (institution names, the
    # mergers that break a series): a changed table re-runs the stages that read it
    for path in sorted(paths.REFERENCE.glob("*.csv")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def read_manifest(folder: Path) -> dict:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


# --- raw -> validated ---------------------------------------------------------------------------


def validated_fingerprint(raw: Path, code: str) -> str:
    from analysis.ingest import raw_files, sha256

    files, problems = [], []
    for p in raw_files(raw) if raw.is_dir() else []:
        try:
            files.append((p.relative_to(raw).as_posix(), sha256(p)))
        except InputError as err:
            problems.extend(err.problems)  # every unreadable file at once, as the readers do
    if problems:
        raise InputError(problems)
    return fingerprint("validated", code, files)


def validate_stage(
    stages: Stages,
    *,
    code: str,
    force: bool,
    progress: Progress,
    before_rebuild: Callable[[], None] | None = None,
    lang: str = STAGE_LANG,
) -> dict:
    """Read and check every raw file into ``validated`` unless it is up to date; its manifest.
    ``before_rebuild`` is called when it is not, before the files are read. ``lang``: of the
    progress lines."""
    from analysis.ingest import VALIDATED_KIND, read_datasets, write_validated_into

    wanted = validated_fingerprint(stages.raw, code)
    # opened first: a run killed mid-swap is put right (the last good output back) before
    # anything is judged up to date or read
    staged = OutputFolder(
        stages.validated, VALIDATED_KIND, inputs=[stages.raw], place=stages.place(stages.validated)
    ).open()
    try:
        for note in staged.notes:
            progress(label("stage_note", lang, note=note))
        manifest = read_manifest(stages.validated)
        if not force and manifest.get("fingerprint") == wanted:
            progress(label("stage_validated_up_to_date", lang, path=stages.validated))
            return manifest
        if before_rebuild is not None:
            before_rebuild()
        datasets = read_datasets(stages.raw)
        for r in datasets.results:
            extra = (
                label("stage_read_suppressed", lang, n=counted(r.suppressed, "suppressed_cell", lang))
                if r.suppressed
                else ""
            )
            path = r.path.relative_to(stages.raw)
            progress(
                label("stage_read", lang, path=path, kind=r.kind, rows=counted(r.rows, "row", lang), suppressed=extra)
            )
            for w in r.warnings:
                progress(label("stage_warning", lang, warning=w))
        for note in datasets.notes:
            progress(label("stage_note", lang, note=note))
        try:
            write_validated_into(datasets, stages.raw, staged.path, fingerprint=wanted)
            staged.commit()
        except OSError as err:
            raise staged.failed(err) from None
    finally:
        staged.close()
    progress(
        label("stage_validated_wrote", lang, n=counted(len(datasets.frames), "dataset", lang), path=stages.validated)
    )
    return read_manifest(stages.validated)


# --- validated -> derived -------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One derived table (or a few from one computation): what it reads and how it is made."""

    name: str
    #: validated datasets read; the step runs when all of ``needs`` are there (any one of them
    #: when ``any_of``)
    needs: tuple[str, ...]
    uses: tuple[str, ...] = ()  # further datasets read when present (names, faculties)
    #: settings sections the numbers depend on (their settings that only say how the report
    #: presents them, a chart's drawing or a policy's name, are not:
    #: :func:`analysis.settings.decides_numbers`)
    settings: tuple[str, ...] = ()
    any_of: bool = False
    #: earlier steps whose derived tables this step reads when they were made (listed before it
    #: in :data:`STEPS`); their fingerprints are part of this step's
    after: tuple[str, ...] = ()

    def runs_on(self, datasets: dict) -> bool:
        present = [n in datasets for n in self.needs]
        return any(present) if self.any_of else all(present)


def _gender(frames: dict[str, pd.DataFrame], settings: Settings, raw: Path | None) -> Derived:
    from analysis.metrics.gender import gender_flags_all_levels
    from analysis.series_breaks import series_breaks

    names = {name: frames.get(name) for name in NAME_TABLES}
    # the breaks in institutions' series, resolved once: the flags follow a series within them,
    # and the report marks them where it shows the series (its derived table)
    breaks = series_breaks(names["institutions"])
    return Derived(
        {
            "gender_flags": gender_flags_all_levels(frames["gender"], settings.gender, breaks, **names),
            "series_breaks": breaks,
        }
    )


@dataclass
class Derived:
    """What a derived step makes: its tables by name, and its notes (one line each: what the
    settings or the data kept from being computed or shown, e.g. a configured index item the data
    lacks). The notes are kept in the stage's manifest beside the tables, so that the report
    shows them whether the step ran now or earlier."""

    tables: dict[str, pd.DataFrame]
    notes: list[str] = field(default_factory=list)


class StepSkipped(Exception):
    """A derived step that has nothing to compute from its inputs, and why (one line)."""


def _integration(frames: dict[str, pd.DataFrame], settings: Settings, raw: Path | None) -> Derived:
    from analysis.metrics.integration import comparison_group_notes, integration_scores

    extract, respondents = frames.get("integration_extract"), frames.get("survey_respondents")
    if respondents is not None:
        respondents = as_found(respondents, raw)
    # the survey step's items table: the programme scores keep its disclosure decisions
    survey_items = frames.get("survey_items")
    try:
        scores = integration_scores(extract, respondents, settings=settings, survey_items=survey_items)
    except InputError as err:
        # respondent data without the configured integration items (later survey years ask
        # other questions): the extract alone still gives the scores; without one there are
        # none, and the report says why instead of failing as a whole
        if respondents is None:
            raise
        if extract is None:
            raise StepSkipped(f"integration: {err.problems[0]}") from None
        scores = integration_scores(extract, None, settings=settings)
    return Derived(
        {"integration": scores}, [f"integration: {line}" for line in comparison_group_notes(scores, settings)]
    )


def _survey(frames: dict[str, pd.DataFrame], settings: Settings, raw: Path | None) -> Derived:
    from analysis.metrics.survey_counts import respondent_files_by_year
    from analysis.metrics.survey_notes import note_lines
    from analysis.metrics.survey_tables import survey_aggregates

    respondents = frames["survey_respondents"]
    results = survey_aggregates(as_found(respondents, raw), settings=settings)
    tables = {"survey_items": results.items, "survey_indices": results.indices, "survey_changes": results.changes}
    # the rows name their files as the validated stage does (relative to the raw folder), as
    # the table is published
    files = respondent_files_by_year(respondents)
    if files is not None:
        tables["survey_files"] = files
    return Derived(tables, [f"survey: {line}" for line in note_lines(results.notes, settings.source)])


def _wellbeing(frames: dict[str, pd.DataFrame], settings: Settings, raw: Path | None) -> Derived:
    from analysis.metrics.wellbeing import wellbeing_indicators

    return Derived({"wellbeing": wellbeing_indicators(frames["shot"])})


def _portal(frames: dict[str, pd.DataFrame], settings: Settings, raw: Path | None) -> Derived:
    from analysis.disclosure import portal_set_aside, protect_portal, protect_portal_years

    # one source per institution × year: where NOKUT's respondent files cover it, the survey
    # step's tables are its figures and the portal's rows of it are in no table
    portal = {
        n: frames[n] for n in ("portal_index", "portal_items", "portal_history", "portal_dbh_facts") if n in frames
    }
    frames, aside = portal_set_aside(portal, frames.get("survey_files"))
    facts = frames.get("portal_dbh_facts")
    index = protect_portal(frames["portal_index"], settings.survey, facts)
    out = {"portal_index": index}
    # the time series and the item view hold the same respondents' results: hidden where the
    # index view is hidden (else a chart of the years shows the year the index view hides), and
    # where the DBH facts give that programme and year too few respondents
    for name in ("portal_history", "portal_items"):
        if name in frames:
            out[name] = protect_portal_years(frames[name], index, facts, settings.survey)
    if "portal_dbh_facts" in frames:  # DBH's facts of the programme (students, applicants): no answers
        out["portal_dbh_facts"] = frames["portal_dbh_facts"]
    if not aside.empty:  # the report says which institution's years are the respondent files'
        out["portal_set_aside"] = aside
    return Derived(out)


def _reference(frames: dict[str, pd.DataFrame], settings: Settings, raw: Path | None) -> Derived:
    """Look-up tables the report shows as they are (question texts, names)."""
    return Derived({name: frame for name, frame in frames.items()})


#: The derived tables, each a function of validated datasets (and settings; and the raw folder
#: their rows' files are named relative to, where a step names a file to the adviser).
STEPS: dict[Step, Callable[[dict, Settings, Path | None], Derived]] = {
    Step("gender", needs=("gender",), uses=NAME_TABLES, settings=("gender",)): _gender,
    Step("survey", needs=("survey_respondents",), settings=("survey",)): _survey,
    Step(
        "integration",
        needs=("integration_extract", "survey_respondents"),
        any_of=True,
        settings=("integration", "survey"),
        after=("survey",),
    ): _integration,
    Step("wellbeing", needs=("shot",)): _wellbeing,
    Step(
        "portal",
        needs=("portal_index",),
        uses=("portal_history", "portal_items", "portal_dbh_facts"),
        settings=("survey",),
        after=("survey",),
    ): _portal,
    Step("reference", needs=("survey_variables",)): _reference,
}


def settings_used(step: Step, settings: Settings) -> dict[str, str]:
    """The settings ``step`` uses, as its fingerprint holds them and the derived stage's manifest
    records them: each section it depends on by the sha256 of that section's settings that
    decide numbers (:func:`analysis.settings.decides_numbers`). A step kept as it was used the
    same; a settings file changed only where the report reads it (``chart_best``) keeps them,
    so the manifest names no settings the tables were not made with."""
    return {section: fingerprint(decides_numbers(getattr(settings, section))) for section in step.settings}


def _step_fingerprint(step: Step, validated: dict, settings: Settings, code: str, earlier: dict[str, str]) -> str:
    lineage = {
        name: validated["datasets"][name] for name in (*step.needs, *step.uses) if name in validated.get("datasets", {})
    }
    # the files' names too: the derived tables name each row's file (source_file), by which the
    # report dates its source; a file renamed to carry its date ("…_hentet_2026-09-22.csv") kept
    # its old name there, so its date was not found
    names = sorted(
        str(i.get("file"))
        for i in validated.get("inputs", [])
        if isinstance(i, dict) and i.get("dataset") in (*step.needs, *step.uses)
    )
    chosen = settings_used(step, settings)
    before = {name: earlier[name] for name in step.after if name in earlier}
    # and the settings file's name as published: the stage's manifest and a step's notes name it
    # ("survey: kvalitet.toml: survey.indices.…"); renamed with its content unchanged, the stage
    # was up to date and kept the old name in both
    return fingerprint("derived", step.name, code, lineage, names, chosen, before, settings_name(settings))


def settings_name(settings: Settings) -> str | None:
    """The settings file as the derived stage publishes it: by its name (None: the built-in
    settings)."""
    return published_name(settings.source) if settings.source else None


def derive_stage(
    stages: Stages,
    validated: dict,
    settings: Settings,
    *,
    code: str,
    force: bool,
    progress: Progress,
    before_rebuild: Callable[[], None] | None = None,
    lang: str = STAGE_LANG,
) -> dict:
    """Compute every derived table whose inputs changed; keep the others as they are.
    ``before_rebuild`` is called when one changed, before it is computed. ``lang``: of the
    progress lines."""
    from analysis.console import fingerprint_key

    datasets = validated.get("datasets", {})
    # the derived stage is the aggregate one, shared with others: its fingerprints are keyed
    key = fingerprint_key()
    old = read_manifest(stages.derived)
    old_steps = old.get("steps", {}) if not force else {}
    plan: dict[Step, str] = {}
    for step in STEPS:  # in order: a step's fingerprint holds those of the steps it reads after
        if step.runs_on(datasets):
            plan[step] = keyed(
                _step_fingerprint(step, validated, settings, code, {s.name: fp for s, fp in plan.items()}), key
            )
    if set(old_steps) == {s.name for s in plan} and all(
        old_steps[s.name].get("fingerprint") == fp for s, fp in plan.items()
    ):
        progress(label("stage_derived_up_to_date", lang, path=stages.derived))
        return old
    if before_rebuild is not None:
        before_rebuild()
    with OutputFolder(stages.derived, DERIVED_KIND, inputs=[stages.raw], place=stages.place(stages.derived)) as staged:
        tmp = staged.path
        steps = {}
        for step, fp in plan.items():
            before = old_steps.get(step.name, {})
            if before.get("fingerprint") == fp and all((stages.derived / t).exists() for t in before.get("tables", [])):
                for table in before["tables"]:
                    shutil.copy2(stages.derived / table, tmp / table)
                steps[step.name] = before
                continue
            progress(label("stage_derived_step", lang, step=label(f"step_{step.name}", lang)))
            frames = {name: _read_validated(stages, name) for name in (*step.needs, *step.uses) if name in datasets}
            # an earlier step's tables, as this run staged them (made or kept above)
            for table in (t for name in step.after for t in steps.get(name, {}).get("tables", [])):
                frames[Path(table).stem] = pd.read_parquet(tmp / table)
            try:
                made = STEPS[step](frames, settings, stages.raw)
            except StepSkipped as skipped:
                # the step has nothing it can compute from these inputs: no table, and the
                # reason goes to the report (its section says why), not a failed build
                progress(label("stage_derived_skipped", lang, step=label(f"step_{step.name}", lang), reason=skipped))
                reason = published_note(str(skipped), stages.raw, settings.source)
                steps[step.name] = {
                    "fingerprint": fp,
                    "settings": settings_used(step, settings),
                    "tables": [],
                    "rows": {},
                    "skipped": reason,
                }
                continue
            for note in made.notes:
                progress(label("stage_note", lang, note=note))
            written = []
            for name, frame in sorted(made.tables.items()):
                frame.to_parquet(tmp / f"{name}.parquet", index=False)
                written.append(f"{name}.parquet")
            steps[step.name] = {
                "fingerprint": fp,
                "settings": settings_used(step, settings),
                "tables": written,
                "rows": {n: len(f) for n, f in sorted(made.tables.items())},
                # the notes as published (the terminal had them with the files' paths above)
                **(
                    {"notes": [published_note(n, stages.raw, settings.source) for n in made.notes]}
                    if made.notes
                    else {}
                ),
            }
        manifest = {
            "stage": "derived",
            "validated": keyed(str(validated["fingerprint"]), key) if validated.get("fingerprint") else None,
            # the settings file by its name (in every step's fingerprint: renamed, the steps run
            # again); what each step used of it is the step's own "settings". The file's sha256
            # is not the stage's to say: a change only the report reads keeps the stage as it is
            # (the report's manifest names the file's sha256). Its folder is the adviser's own.
            "settings": {"file": settings_name(settings)},
            "steps": steps,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    progress(
        label(
            "stage_derived_wrote",
            lang,
            n=counted(sum(len(s["tables"]) for s in steps.values()), "table", lang),
            path=stages.derived,
        )
    )
    return manifest


def _read_validated(stages: Stages, name: str) -> pd.DataFrame:
    """A validated dataset as the stage holds it (a row's ``source_file`` relative to the raw
    folder: the stage stays up to date when the folder is moved)."""
    return pd.read_parquet(stages.validated / f"{name}.parquet")


def as_found(respondents: pd.DataFrame, raw: Path | None) -> pd.DataFrame:
    """Validated respondent rows as a derived step checks them again, file by file (the survey
    step counts them as ``kvalitet survey`` counts the files): each row's file by its full path,
    where the adviser finds it, so that a problem names a file to open (as they are without
    ``raw``: a step called on frames of its own)."""
    if raw is None or "source_file" not in respondents.columns:
        return respondents
    named = respondents.copy(deep=False)
    named["source_file"] = named["source_file"].cat.rename_categories(lambda file: str(raw / file))
    return named


@contextlib.contextmanager
def locked(stages: Stages) -> Iterator[None]:
    """One run at a time on a data set's stages: a second run (another report, a notebook)
    waits until the first has brought them up to date, and then finds them so.

    A run that made the stage folder (``NAME.kvalitet`` beside the data) and leaves nothing in
    it but the lock (it failed on the raw files) removes the lock and the folder again: a
    failed run adds no folder beside the adviser's data."""
    home = stages.validated.parent
    lock = home / LOCK
    made: list[Path] = []
    try:
        while True:
            made = make_folders(home)
            try:
                fd = lock_file(lock, wait=True, mode=0o666)  # (as the umask allows)
                break
            except FileNotFoundError:
                if os.path.lexists(home):
                    raise
                # a run that had made the folder and failed removed it meanwhile: make it again
    except OSError as err:
        remove_made_folders(made)
        raise cannot_write(Path(err.filename or lock), err, BESIDE_DATA) or err from None
    try:
        yield
    finally:
        try:
            # NOTE: the lock file is removed while this run still holds it: a run waiting for
            # it then finds it gone and locks a new one (outputs.lock_file). Removed after
            # letting go, it could be taken from under a run that had just locked it, and a
            # third run would lock a new file beside it: two runs at once.
            if made and os.listdir(home) == [LOCK]:
                os.unlink(lock)
                remove_made_folders(made)
        except OSError:
            pass  # the folder stays, as it did before
        finally:
            os.close(fd)  # lets go of the lock


def run(
    raw: Path | str | None,
    settings: Settings,
    *,
    force: bool = False,
    progress: Progress = print,
    before_rebuild: Callable[[], None] | None = None,
    lang: str = STAGE_LANG,
) -> Stages:
    """Bring the validated and derived stages of ``raw`` up to date; the stage folders.

    ``before_rebuild`` is called before a stage is rebuilt (once or twice): the report build
    then knows a new report will be made, and starts its browser while the stages are made.
    ``lang``: of the progress lines (the report build's language)."""
    stages = Stages.of(raw)
    from analysis.ingest import check_raw_folder

    check_raw_folder(stages.raw)
    with locked(stages):
        _up_to_date(stages, settings, force, progress, before_rebuild, lang)
    return stages


def _up_to_date(
    stages: Stages,
    settings: Settings,
    force: bool,
    progress: Progress,
    before_rebuild: Callable[[], None] | None = None,
    lang: str = STAGE_LANG,
) -> None:
    code = code_fingerprint()
    validated = validate_stage(
        stages, code=code, force=force, progress=progress, before_rebuild=before_rebuild, lang=lang
    )
    derive_stage(
        stages, validated, settings, code=code, force=force, progress=progress, before_rebuild=before_rebuild, lang=lang
    )


def run_and_read(raw: Path | str | None, settings: Settings) -> tuple[Stages, dict[str, pd.DataFrame], dict]:
    """:func:`run`, then every derived table and the validated stage's manifest, read while no
    other run can replace them."""
    stages = Stages.of(raw)
    from analysis.ingest import check_raw_folder

    check_raw_folder(stages.raw)
    with locked(stages):
        _up_to_date(stages, settings, False, lambda line: None)
        validated = read_manifest(stages.validated)
        # a skipped derived step's reason, and a step's notes, travel with the stage's notes
        # (the report shows them)
        steps = read_manifest(stages.derived).get("steps", {}).values()
        derived = [note for s in steps for note in ([s["skipped"]] if s.get("skipped") else s.get("notes", []))]
        validated = {**validated, "notes": [*validated.get("notes", []), *derived]}
        return stages, read_derived(stages), validated


def read_derived(stages: Stages) -> dict[str, pd.DataFrame]:
    """Every derived table by name (what the notebooks and the report read)."""
    manifest = read_manifest(stages.derived)
    return {
        Path(t).stem: pd.read_parquet(stages.derived / t)
        for step in manifest.get("steps", {}).values()
        for t in step.get("tables", [])
    }

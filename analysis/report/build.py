"""``kvalitet report``: execute the notebooks and assemble the quality report.

Steps (each printed as it runs):

1. check the raw data (an invalid file stops the build with the usual file/row/column list);
2. convert ``notebooks/NN_*.py`` (jupytext percent) to ``.ipynb`` in a temporary folder and
   execute each with papermill, parameters injected (the report-charts notebook writes the
   figure JSON and the tables);
3. write PNG (300 dpi at A4 text width) and SVG per chart (kaleido, one browser session for
   all), the tables for people (``kvalitetsmelding.xlsx``, ``tables/*.csv``), the Word
   document ``kvalitetsmelding.docx`` and ``index.html`` from the same outline, and
   ``manifest.json``.

Everything is built in a private temporary folder next to the output and swapped in at the end
(:class:`analysis.outputs.OutputFolder`: never over a folder kvalitet did not write, crash-safe,
one build at a time), so a failed or killed build leaves the earlier report as it was.
Timestamps appear only in the manifest.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.charts.labels import confidence_levels, counted, label
from analysis.console import fingerprint_key
from analysis.disclosure import described_inputs, personal_inputs
from analysis.errors import OutputError, ReportError
from analysis.ingest import sha256
from analysis.outputs import OutputFolder, busy, folder_problem, signals_held
from analysis.paths import published_name
from analysis.readers.file_dates import FileDate
from analysis.report.content import CONTENT_FILE, FIGURES_DIR, TABLES_DIR
from analysis.report.export import StaticExporter, export_record, exported_any
from analysis.report.html import render_index
from analysis.report.notebooks import execute_notebooks
from analysis.report.provenance import (
    MANIFEST_NAME,
    git_commit,
    input_files,
    package_versions,
    settings_file,
)
from analysis.report.tmp_folders import remove_dead_builds_folders
from analysis.report.word import WORD_NAME, WordDraft
from analysis.report.workbook import WORKBOOK_NAME, write_report_tables
from analysis.settings import Settings, load_settings

__all__ = ["REPORT_KIND", "ReportError", "build_report", "check_out_dir"]

#: The notebook that lays out the report (content.json, figures, tables); it runs first.
CHARTS_NOTEBOOK = "06_rapportfigurer"

#: The kind of output ``kvalitet report`` writes (named in its folder's marker).
REPORT_KIND = "report"


def check_out_dir(out_dir: Path) -> None:
    """The report replaces its folder as a whole: refuse a file or a folder with other files.

    Raises:
        ReportError: ``out_dir`` is a file, or a folder that is not an earlier report.
    """
    problem = folder_problem(out_dir, REPORT_KIND)
    if problem:
        raise ReportError(problem)


def report_fingerprint(
    stages, settings: Settings, parameters: dict, notebook_dir: Path, retrieved: dict[str, FileDate] | None = None
) -> str:
    """What a report is made from: the derived tables, the settings, the code and notebooks,
    the parameters, the files of the data folder its manifest lists, and the sources' dates
    (``retrieved``, as the build read them once: :func:`analysis.report.data.retrieval_dates`;
    read here when not given). The same fingerprint means the same report (nothing to rebuild)."""
    from analysis import pipeline
    from analysis.report.data import retrieval_dates

    derived = pipeline.read_manifest(stages.derived)
    validated = pipeline.read_manifest(stages.validated)
    # every file of the data folder as the manifest lists it (its documentation too, which no
    # stage reads): the stages' fingerprints see the data files' contents alone, and the data
    # folder is named by its name only, so another folder with the same data and another
    # README.md found the report up to date, its manifest listing the other folder's files
    inputs = input_files(stages.raw, personal_inputs(validated))
    notebooks_hash = [(p.name, sha256(p)) for p in sorted(notebook_dir.glob("*.py"))]
    # the sources' dates are printed under every chart and come from MANIFEST.json and the files'
    # names, neither of which the inputs' sha256 sees: a date recorded or corrected there (as
    # "Om tallene" asks) left the report as it was, "Rapporten er oppdatert"
    if retrieved is None:
        retrieved = retrieval_dates(stages.raw, validated)
    dates = sorted((name, *date) for name, date in retrieved.items())
    plain = pipeline.fingerprint(
        "report",
        derived.get("steps"),
        derived.get("validated"),
        settings.source_sha256,
        pipeline.code_fingerprint(),
        notebooks_hash,
        parameters,
        dates,
        inputs,
    )
    # the stages' fingerprints are sha256 over the inputs' sha256, the respondent files' too, and
    # over what the report publishes: published as it is, this one gives a small respondent
    # file's answers by trying each (README, the report). Keyed with the user's private key
    # (analysis.console.fingerprint_key), it can be made again only with that key
    return pipeline.keyed(plain, fingerprint_key())


def _manifest_of(out_dir: Path) -> dict | None:
    """The manifest of the report in ``out_dir`` as its build wrote it; None when there is none
    or it is not one (unreadable, not JSON, not an object)."""
    try:
        manifest = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def up_to_date(out_dir: Path, wanted: str, pictures: bool = False) -> bool:
    """The report in ``out_dir`` was made from the same inputs and is intact, and, where
    ``pictures`` are wanted (a browser to export them is there), has them: a report whose static
    export failed (the browser did not start, crashed, did not answer) was up to date for every
    build after it, which said "Rapporten er oppdatert" and never tried again."""
    manifest = _manifest_of(out_dir)
    if manifest is None or manifest.get("fingerprint") != wanted:
        return False
    if pictures and not exported_any(manifest.get("static_export")) and manifest.get("figures") != 0:
        return False
    outputs = manifest.get("outputs", [])
    return all((out_dir / o["file"]).is_file() and sha256(out_dir / o["file"]) == o["sha256"] for o in outputs)


def pictures_missing(out_dir: Path, lang: str) -> str | None:
    """What an up-to-date report lacks of its pictures, as its manifest's ``static_export``
    records it (:func:`analysis.report.export.export_record`): a report some of whose pictures
    failed is up to date (it is not built again for each run), and said only "up to date", the
    adviser never heard of them again after the build that failed them. None when none failed."""
    manifest = _manifest_of(out_dir)
    record = manifest.get("static_export") if manifest is not None else None
    if not isinstance(record, dict) or not isinstance(record.get("failed"), int) or record["failed"] <= 0:
        return None
    of = record["failed"] + (record["exported"] if isinstance(record.get("exported"), int) else 0)
    return label("pictures_missing", lang, n=record["failed"], of=of)


def build_report(
    year: int | None = None,
    institution: str = "1150",
    lang: str = "nb",
    data_dir: Path | str | None = None,
    out_dir: Path | str | None = None,
    progress: Callable[[str], None] = print,
    static: bool = True,
    notebook_dir: Path = paths.NOTEBOOKS,
    settings: Settings | None = None,
    force: bool = False,
    faculty: str | None = None,
    allow_empty: bool = False,
) -> Path:
    """Build the quality report into ``out_dir`` (default ``build/report``).

    The stages are brought up to date first (:mod:`analysis.pipeline`); when they, the
    settings, the code, the notebooks and the parameters are what the report in ``out_dir`` was
    made from, and its files are intact, nothing is rebuilt.

    Args:
        year: report year; default the latest year of the institution's registered students
            (see :func:`analysis.report.data.default_report_year`).
        institution: DBH institution code.
        lang: "nb" or "en": the report, the Word document, the workbook, the progress lines and
            the notebooks' printouts.
        data_dir: raw-data folder in the layout of ``data/raw`` (default ``data/raw``).
        out_dir: where the report goes; replaced only when the build succeeds.
        progress: called with one whole line of progress text at a time (never two at once).
        static: export PNG/SVG (needs Chrome/Chromium); tests of the data outputs skip it.
        settings: threshold, survey minimum n, indices (default: ``config/kvalitet.toml``);
            every notebook reads the same file.
        force: rebuild every stage and the report even when nothing changed.
        faculty: a faculty code: the same report for that faculty only.
        allow_empty: build a report for an institution without data of its own (national
            figures only) instead of stopping.

    Returns:
        ``out_dir``.

    Raises:
        analysis.errors.InputError: a raw file is invalid, the institution has no data of its
            own (without ``allow_empty``), or the faculty is not in its data (nothing is
            replaced).
        ReportError: a notebook failed (nothing is replaced).
        analysis.errors.OutputError: another build is writing ``out_dir``, or it could not be
            written (disk full, read-only; nothing is replaced).
    """
    from analysis import pipeline
    from analysis.report.data import load_report_data, retrieval_dates

    if lang not in ("nb", "en"):
        raise ValueError(f"lang must be 'nb' or 'en', got {lang!r}")
    started = dt.datetime.now(dt.UTC)
    settings = settings if settings is not None else load_settings()
    data_dir = Path(data_dir or paths.RAW).resolve()
    out_dir = Path(out_dir or paths.REPORT).resolve()
    check_out_dir(out_dir)
    # another run writing --out now: told at once, not after the stages and the data are read
    # (its lock, taken to write the report, still decides)
    running = busy(out_dir)
    if running:
        raise OutputError(running)
    progress = one_line_at_a_time(progress)
    # the kernels' and the browser's folders a build killed outright (kill -9) left in the
    # temporary folder: only those whose build (and kernel or browser) is gone
    removed = remove_dead_builds_folders()
    if removed:
        names = ", ".join(sorted(Path(p).name for p in removed))
        progress(label("progress_removed_dead", lang, n=counted(len(removed), "folder", lang), names=names))
    progress(label("progress_reading", lang, path=data_dir))
    # the browser for the static export: started as soon as a new report is sure to be made
    # (--force, or a stage is rebuilt), so that its start overlaps the stages, which keep one
    # core busy, not the notebooks, which keep both; closed however the build ends
    exporter = StaticExporter(progress, lang) if static else None
    try:
        if exporter is not None and force:
            exporter.start()  # (in the try: a Ctrl-C right after its start closes it too)
        stages = pipeline.run(
            data_dir,
            settings,
            force=force,
            progress=progress,
            before_rebuild=exporter.start if exporter else None,
            lang=lang,
        )
        # the notebooks run in a folder of their own: a settings file named relative to the
        # adviser's folder (--config kvalitet.toml) was not found there
        config_path = str(Path(settings.source).resolve()) if settings.source else None
        parameters = {
            "year": year,
            "institution": institution,
            "lang": lang,
            "data_dir": str(data_dir),
            "config": config_path,
            "out_dir": None,
            "interactive": False,
            "faculty": faculty,
            "allow_empty": allow_empty,
        }
        # the parameters as the manifest and the executed notebooks publish them: the adviser's
        # folders and settings file by their names (paths.published_name), so that the same
        # inputs give the same report from any folder, and the report names no home folder
        data_name = published_name(data_dir)
        config_name = pipeline.settings_name(settings)  # (as the derived stage names it)
        published = {**parameters, "data_dir": data_name, "config": config_name}
        # the sources' dates, read once: the fingerprint and the report's data are made from them
        retrieved = retrieval_dates(stages.raw, pipeline.read_manifest(stages.validated))
        wanted = report_fingerprint(stages, settings, {**published, "static": static}, notebook_dir, retrieved)
        # with a browser, a report without its pictures is built again: one whose export failed,
        # or one built before a browser was installed (or BROWSER_PATH set)
        pictures = exporter is not None and exporter.browser is not None
        if not force and up_to_date(out_dir, wanted, pictures=pictures):
            progress(label("progress_up_to_date", lang, path=out_dir))
            missing = pictures_missing(out_dir, lang)
            if missing:
                progress(label("progress_note", lang, note=missing))
            return out_dir
        # read once before anything starts: an invalid input, an institution without data or an
        # unknown faculty stops here
        data = load_report_data(
            data_dir,
            year,
            institution,
            settings=settings,
            faculty=faculty,
            allow_empty=allow_empty,
            retrieved=retrieved,
        )
        # the output is locked for the whole build; tmp (what becomes the report) and private (this
        # build's scratch files) are in one private folder (0700) beside it, removed at the end
        config_inputs = [Path(settings.source)] if settings.source else []
        staged = OutputFolder(out_dir, REPORT_KIND, inputs=[data_dir] + config_inputs).open()
        tmp, private = staged.path, staged.scratch
        try:
            for note in staged.notes:
                progress(label("progress_note", lang, note=note))
            if exporter is not None:
                exporter.start()  # (if a stage was rebuilt, it is running already)
            parameters["out_dir"] = str(tmp)
            content_file = tmp / CONTENT_FILE
            charts: dict = {}  # what the charts notebook wrote: its content and figures
            charts_lock = threading.Lock()  # notebooks finish in worker threads

            def read_charts() -> None:
                with charts_lock:
                    _read_charts()

            def _read_charts() -> None:
                if charts or not content_file.exists():
                    return
                charts["content"] = json.loads(content_file.read_text(encoding="utf-8"))
                charts["figures"] = {
                    f["name"]: (tmp / FIGURES_DIR / f"{f['name']}.json").read_text(encoding="utf-8")
                    for f in charts["content"]["figures"]
                }
                if exporter is not None:
                    # the static export runs in the browser while the other notebooks still run
                    exporter.submit(charts["figures"], tmp)

            # the charts notebook first, and its figures to the browser as soon as it is done
            executed = execute_notebooks(
                parameters,
                tmp / "notebooks",
                progress,
                notebook_dir,
                lang,
                work=private,
                first=CHARTS_NOTEBOOK,
                # (only once the charts notebook is done: another notebook done while it writes
                # would read its content.json half written)
                on_done=lambda py: read_charts() if py.stem == CHARTS_NOTEBOOK else None,
                # the executed copies name the report folder, not this build's scratch copy of
                # it, and the data folder and settings file, all by their names
                renamed={
                    str(tmp): published_name(out_dir),
                    str(data_dir): data_name,
                    **({config_path: config_name} if config_path and config_name else {}),
                },
                cell_timeout_s=settings.report.cell_timeout_s,
                settings_file=settings.source,
            )
            read_charts()
            if not charts:
                raise ReportError(f"the report-charts notebook wrote no {CONTENT_FILE}")
            content, figures = charts["content"], charts["figures"]
            progress(
                label(
                    "progress_counts",
                    lang,
                    figures=counted(len(figures), "figure", lang),
                    tables=counted(len(content["tables"]), "table", lang),
                )
            )

            progress(label("progress_word", lang))
            # the workbook needs no figure: written while the browser still exports them
            tables = {name: pd.read_parquet(tmp / TABLES_DIR / f"{name}.parquet") for name in content["tables"]}
            title = content["title"]
            write_report_tables(
                tables,
                tmp,
                tmp / TABLES_DIR,
                lang,
                threshold=data.threshold,
                levels=confidence_levels(data.settings),
                section_years=content["section_years"],
                title=title,
                blocks=content["blocks"],
            )
            # the Word document too, all but its pictures (which the browser may still be exporting)
            word = WordDraft(content["blocks"], lang, title=title, warnings=content["warnings"])
            static_files = exporter.result() if exporter else {}
            word.save(tmp / WORD_NAME, (tmp / FIGURES_DIR) if static_files else None)

            page = render_index(
                title=title,
                lang=lang,
                blocks=content["blocks"],
                figure_json=figures,
                static_files=static_files,
                warnings=content["warnings"],
                downloads=[WORD_NAME, WORKBOOK_NAME, MANIFEST_NAME]
                + sorted(p.relative_to(tmp).as_posix() for p in (tmp / TABLES_DIR).glob("*.csv"))
                + [f"notebooks/{p.name}" for p in executed],
            )
            (tmp / "index.html").write_text(page, encoding="utf-8")

            outputs = sorted(p for p in tmp.rglob("*") if p.is_file())
            validated = pipeline.read_manifest(stages.validated)
            manifest = {
                "parameters": {
                    **{k: v for k, v in published.items() if k != "out_dir"},
                    "year": content["year"],
                    "year_basis": data.year_basis,
                    "year_requested": year,
                    "out_dir": published_name(out_dir),
                },
                "fingerprint": wanted,
                # a file no stage reads (a copy of a respondent file, say) by its name alone
                "inputs": input_files(data_dir, personal_inputs(validated), described_inputs(validated)),
                # the settings the numbers were computed with (threshold, survey minimum n, indices)
                "settings_file": settings_file(settings.source),
                "outputs": [{"file": p.relative_to(tmp).as_posix(), "sha256": sha256(p)} for p in outputs],
                "notebooks": [p.name for p in executed],
                "figures": len(figures),
                # tried or not; if tried, how many pictures were exported and how many failed
                "static_export": export_record(len(figures), static_files if pictures else None),
                "packages": package_versions(),
                "python": platform.python_version(),
                "git": git_commit(),
                "started_at": started.isoformat(timespec="seconds"),
                "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            }
            (tmp / MANIFEST_NAME).write_text(
                json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            staged.commit()
        except Exception as err:
            failed = staged.failed(err)  # a full disk or read-only folder: "could not write …"
            if failed is not err:
                raise failed from None
            raise
        finally:
            with signals_held():  # (a second Ctrl-C or kill is held back until it is done)
                staged.close()
        progress(label("progress_written", lang, path=out_dir))
        return out_dir
    finally:
        if exporter is not None:
            with signals_held():
                exporter.close()


def one_line_at_a_time(progress: Callable[[str], None]) -> Callable[[str], None]:
    """``progress`` made safe for the notebook threads: each call prints its line whole, one
    line per call (a text with line breaks is split, never interleaved with another)."""
    import threading

    lock = threading.Lock()

    def say(text: str) -> None:
        with lock:
            for line in str(text).splitlines() or [""]:
                progress(line)

    return say


if __name__ == "__main__":  # pragma: no cover
    sys.exit(0 if build_report() else 1)

"""``kvalitet report``: execute the notebooks and assemble the quality report.

Steps (each printed as it runs):

1. check the raw data (an invalid file stops the build with the usual file/row/column list);
2. convert ``notebooks/NN_*.py`` (jupytext percent) to ``.ipynb`` in a temporary folder and
   execute each with papermill, parameters injected (the report-charts notebook writes the
   figure JSON and the tables);
3. write ``index.html`` (self-contained), PNG (300 dpi at A4 text width) and SVG per chart
   (kaleido, one browser session for all), ``kvalitetsmelding.xlsx``, and ``manifest.json``.

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
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.charts.labels import label
from analysis.errors import ReportError
from analysis.ingest import sha256
from analysis.outputs import OutputFolder, folder_problem
from analysis.report.content import CONTENT_FILE, FIGURES_DIR, TABLES_DIR
from analysis.report.data import INSTITUTIONS
from analysis.report.export import StaticExporter
from analysis.report.html import render_index
from analysis.report.notebooks import execute_notebooks
from analysis.report.provenance import (
    MANIFEST_NAME,
    git_commit,
    input_files,
    package_versions,
    settings_file,
)
from analysis.report.workbook import WORKBOOK_NAME, write_workbook

__all__ = ["REPORT_KIND", "ReportError", "build_report", "check_out_dir"]

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


def build_report(
    year: int | None = None,
    institution: str = "1150",
    lang: str = "nb",
    data_dir: Path | str | None = None,
    out_dir: Path | str | None = None,
    progress: Callable[[str], None] = print,
    static: bool = True,
    notebook_dir: Path = paths.NOTEBOOKS,
    config: Path | str | None = None,
) -> Path:
    """Build the quality report into ``out_dir`` (default ``build/report``).

    Args:
        year: report year; default the latest year in the institution's data.
        institution: DBH institution code.
        lang: "nb" or "en" for chart labels and report text.
        data_dir: raw-data folder in the layout of ``data/raw`` (default ``data/raw``).
        out_dir: where the report goes; replaced only when the build succeeds.
        progress: called with one line of progress text at a time.
        static: export PNG/SVG (needs Chrome/Chromium); tests of the data outputs skip it.
        config: settings file (default ``config/kvalitet.toml``): threshold, survey minimum n,
            indices; every notebook uses the same.

    Returns:
        ``out_dir``.

    Raises:
        analysis.errors.InputError: a raw file is invalid (nothing is replaced).
        ReportError: a notebook failed (nothing is replaced).
        analysis.errors.OutputError: another build is writing ``out_dir``, or it could not be
            written (disk full, read-only; nothing is replaced).
    """
    from analysis.report.data import NO_OWN_DATA, load_report_data

    if lang not in ("nb", "en"):
        raise ValueError(f"lang must be 'nb' or 'en', got {lang!r}")
    started = dt.datetime.now(dt.UTC)
    data_dir = Path(data_dir or paths.RAW).resolve()
    out_dir = Path(out_dir or paths.REPORT).resolve()
    check_out_dir(out_dir)
    progress(f"Leser og validerer {data_dir} …")
    # the output is locked for the whole build; tmp (what becomes the report) and private (this
    # build's scratch files) are in one private folder (0700) beside it, removed at the end
    staged = OutputFolder(out_dir, REPORT_KIND, inputs=[data_dir] + ([Path(config)] if config else [])).open()
    tmp, private = staged.path, staged.scratch
    exporter: StaticExporter | None = None
    try:
        for note in staged.notes:
            progress(f"Merknad: {note}")
        # the browser for the static export starts now, while the data is read and the
        # notebooks run (inside the try: a build that stops early stops the browser too)
        exporter = StaticExporter(progress) if static else None
        # read, validated and computed once for all notebooks (an invalid input stops here
        # with the file/row/column list)
        data_cache = private / "report-data.pickle"
        config = str(Path(config).resolve()) if config is not None else None
        data = load_report_data(data_dir, year, institution, config=config, cache=data_cache)
        for warning in data.warnings:
            if NO_OWN_DATA in warning:
                progress(f"Advarsel: {warning}")
        parameters = {
            "year": year,
            "institution": institution,
            "lang": lang,
            "data_dir": str(data_dir),
            "config": config,
            "data_cache": str(data_cache),
            "out_dir": str(tmp),
            "interactive": False,
        }
        executed = execute_notebooks(parameters, tmp / "notebooks", progress, notebook_dir, work=private)
        content_file = tmp / CONTENT_FILE
        if not content_file.exists():
            raise ReportError(f"the report-charts notebook wrote no {CONTENT_FILE}")
        content = json.loads(content_file.read_text(encoding="utf-8"))
        figures = {f["name"]: (tmp / FIGURES_DIR / f"{f['name']}.json").read_text(encoding="utf-8")
                   for f in content["figures"]}
        progress(f"{len(figures)} figurer, {len(content['tables'])} tabeller")

        static_files = exporter.export(figures, tmp) if exporter else {}
        tables = {name: pd.read_parquet(tmp / TABLES_DIR / f"{name}.parquet") for name in content["tables"]}
        flagged = pd.read_parquet(tmp / TABLES_DIR / "flagged.parquet")
        write_workbook(tables, tmp / WORKBOOK_NAME, lang)

        short = str(INSTITUTIONS.get(institution, {}).get("short", institution))
        title = label("report_title", lang, year=content["year"], institution=short)
        page = render_index(
            title=title, lang=lang, findings=content["findings"], flagged=flagged,
            figures=content["figures"], figure_json=figures, static_files=static_files,
            warnings=content["warnings"],
            downloads=[WORKBOOK_NAME, MANIFEST_NAME]
            + sorted(p.relative_to(tmp).as_posix() for p in (tmp / TABLES_DIR).glob("*.csv"))
            + [f"notebooks/{p.name}" for p in executed],
        )
        (tmp / "index.html").write_text(page, encoding="utf-8")

        outputs = sorted(p for p in tmp.rglob("*") if p.is_file())
        manifest = {
            "parameters": {**{k: v for k, v in parameters.items() if k not in ("out_dir", "data_cache")},
                           "year": content["year"],
                           "year_requested": year, "out_dir": str(out_dir)},
            "inputs": input_files(data_dir),
            # the settings the numbers were computed with (threshold, survey minimum n, indices)
            "settings_file": settings_file(config),
            "outputs": [{"file": p.relative_to(tmp).as_posix(), "sha256": sha256(p)} for p in outputs],
            "notebooks": [p.name for p in executed],
            "figures": len(figures),
            "static_export": bool(static_files),
            "packages": package_versions(),
            "python": platform.python_version(),
            "git": git_commit(),
            "started_at": started.isoformat(timespec="seconds"),
            "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        (tmp / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        staged.commit()
    except Exception as err:
        failed = staged.failed(err)  # a full disk or read-only folder: "could not write …"
        if failed is not err:
            raise failed from None
        raise
    finally:
        staged.close()
        if exporter is not None:
            exporter.close()
    progress(f"Rapporten er skrevet til {out_dir}")
    return out_dir


if __name__ == "__main__":  # pragma: no cover
    sys.exit(0 if build_report() else 1)

"""``kvalitet report``: execute the notebooks and assemble the quality report.

Steps (each printed as it runs):

1. check the raw data (an invalid file stops the build with the usual file/row/column list);
2. convert ``notebooks/NN_*.py`` (jupytext percent) to ``.ipynb`` in a temporary folder and
   execute each with papermill, parameters injected (the report-charts notebook writes the
   figure JSON and the tables);
3. write ``index.html`` (self-contained), PNG (300 dpi at A4 text width) and SVG per chart
   (kaleido, one browser session for all), ``kvalitetsmelding.xlsx``, and ``manifest.json``.

Everything is built in a temporary folder next to the output and swapped in at the end, so a
failed build leaves the earlier report as it was. Timestamps appear only in the manifest.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.charts import theme
from analysis.charts.labels import label
from analysis.ingest import sha256
from analysis.outputs import manifest_has, replace_problem, swap_folder
from analysis.report.content import CONTENT_FILE, FIGURES_DIR, TABLES_DIR
from analysis.report.data import INSTITUTIONS
from analysis.report.html import render_index

NOTEBOOK_GLOB = "[0-9][0-9]_*.py"
WORKBOOK_NAME = "kvalitetsmelding.xlsx"
MANIFEST_NAME = "manifest.json"
#: Tables in the workbook, one sheet each, in this order.
WORKBOOK_SHEETS = ("flags", "integration", "survey", "wellbeing")
#: Fixed workbook properties so the same tables give the same file.
WORKBOOK_CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
#: Packages whose versions go into the manifest.
PACKAGES = (
    "kvalitet", "pandas", "pandera", "numpy", "scipy", "pyarrow", "plotly", "kaleido", "papermill",
    "jupytext", "nbformat", "ipykernel", "openpyxl", "xlsxwriter", "duckdb",
)
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
BROWSER_HELP = (
    "No Chrome/Chromium found for the static chart files (PNG/SVG); index.html, the tables and "
    "the workbook are still built. Install one: Debian/Ubuntu `sudo apt-get install chromium`; "
    "other systems: `kaleido_get_chrome` (downloads Chrome for kaleido) or set BROWSER_PATH to a "
    "Chrome/Chromium executable."
)


class ReportError(Exception):
    """The report could not be built; the message says why and what to do."""


def notebooks(notebook_dir: Path = paths.NOTEBOOKS) -> list[Path]:
    """The report notebooks in execution order."""
    return sorted(notebook_dir.glob(NOTEBOOK_GLOB))


def find_browser() -> str | None:
    """A Chrome/Chromium executable: ``BROWSER_PATH``, else the first on ``PATH``."""
    env = os.environ.get("BROWSER_PATH")
    if env and Path(env).exists():
        return env
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _to_ipynb(py: Path, out: Path) -> Path:
    import jupytext
    import nbformat

    nb = jupytext.read(py)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata.setdefault("language_info", {"name": "python"})
    target = out / f"{py.stem}.ipynb"
    nbformat.write(nb, target)
    return target


TIMING_KEYS = ("start_time", "end_time", "duration")


def _strip_timestamps(path: Path) -> None:
    """Timestamps live only in the manifest: drop papermill's and the kernel's timing metadata
    from an executed notebook."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for meta in [nb.metadata.get("papermill", {})] + [c.metadata.get("papermill", {}) for c in nb.cells]:
        for key in TIMING_KEYS:
            meta.pop(key, None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


#: Notebooks executed at the same time (each in its own kernel). Two fit a 2-core machine.
PARALLEL_NOTEBOOKS = 2


def execute_notebooks(
    parameters: dict, out_dir: Path, progress: Callable[[str], None], notebook_dir: Path = paths.NOTEBOOKS
) -> list[Path]:
    """Execute every notebook with ``parameters``; executed copies go to ``out_dir``.

    Notebooks are independent (each reads the data itself), so they run
    :data:`PARALLEL_NOTEBOOKS` at a time; the first failure stops the build.
    """
    from concurrent.futures import ThreadPoolExecutor

    from analysis.report import skip_slow_optional_imports

    skip_slow_optional_imports()
    import papermill as pm

    sources = notebooks(notebook_dir)
    if not sources:
        raise ReportError(f"no notebooks matching {NOTEBOOK_GLOB} in {notebook_dir}")
    out_dir.mkdir(parents=True, exist_ok=True)
    # the kernel must import this checkout's `analysis`, installed or not
    env_path = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(paths.ROOT), env_path) if p)

    def run(i: int, py: Path, work: Path) -> Path:
        progress(f"[{i}/{len(sources)}] {py.stem} …")
        started = time.perf_counter()
        source = _to_ipynb(py, work)
        target = out_dir / source.name
        try:
            pm.execute_notebook(
                str(source), str(target), parameters=parameters, kernel_name="python3",
                progress_bar=False, cwd=str(paths.ROOT), log_output=False,
            )
        except pm.PapermillExecutionError as err:
            # the build folder is removed on failure: keep the failed notebook where it can be read
            kept = Path(tempfile.gettempdir()) / f"kvalitet-failed-{target.name}"
            shutil.copyfile(target, kept)
            raise ReportError(
                f"notebook {py.name} failed in cell {err.exec_count}: {err.ename}: {err.evalue}\n"
                f"(the executed notebook with the error is {kept})"
            ) from None
        _strip_timestamps(target)
        progress(f"      {py.stem} ferdig ({time.perf_counter() - started:.1f} s)")
        return target

    try:
        with tempfile.TemporaryDirectory(prefix="kvalitet-nb-") as work, \
                ThreadPoolExecutor(max_workers=PARALLEL_NOTEBOOKS) as pool:
            futures = [pool.submit(run, i, py, Path(work)) for i, py in enumerate(sources, 1)]
            executed = [f.result() for f in futures]
    finally:
        if env_path is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = env_path
    return executed


class StaticExporter:
    """PNG (print resolution) and SVG per figure through kaleido, one browser for all.

    The browser is started (and warmed up with a blank figure) in a background thread when the
    exporter is made, so its start overlaps reading the data and running the notebooks;
    :meth:`export` hands it the figures and waits. A browser that is missing, fails to start or
    stops answering never stops the build: the report is still written, with HTML and tables,
    and the progress says why there are no PNG/SVG files.
    """

    #: Seconds to wait for the browser to start, or for the export, before giving up on it.
    TIMEOUT_S = 300

    def __init__(self, progress: Callable[[str], None]):
        import queue
        import threading

        self.progress = progress
        self.browser = find_browser()
        self._jobs: queue.Queue[list[dict] | None] = queue.Queue()
        self._ready = threading.Event()  # warmed up, or failed
        self._exported = threading.Event()  # the export finished, or failed
        self._failure: str | None = None
        self._errors: object = None
        self._thread: threading.Thread | None = None
        if self.browser is not None:
            self._thread = threading.Thread(target=asyncio.run, args=(self._serve(),), name="kaleido", daemon=True)
            self._thread.start()

    async def _serve(self) -> None:
        try:
            import kaleido
            import plotly.graph_objects as go

            async with kaleido.Kaleido(path=self.browser, mathjax=False, n=1) as browser:
                with tempfile.TemporaryDirectory(prefix="kvalitet-warmup-") as warm:
                    # the first figure loads plotly.js into the page: do it before it is needed
                    await browser.write_fig_from_object(
                        [{"fig": go.Figure(), "path": str(Path(warm) / "warmup.png"), "opts": {"format": "png"}}])
                self._ready.set()
                specs = await asyncio.to_thread(self._jobs.get)
                if specs is not None:
                    self._errors = await browser.write_fig_from_object(specs)
                    self._exported.set()
        except Exception as err:  # noqa: BLE001 — reported by export(), the build goes on
            self._failure = f"{type(err).__name__}: {err}"
        finally:
            self._ready.set()
            self._exported.set()

    def export(self, figures: dict[str, str], out_dir: Path) -> dict[str, list[str]]:
        """Write every figure; returns figure name -> relative file paths written."""
        if self.browser is None:
            self.progress(BROWSER_HELP)
            return {}
        import plotly.io as pio

        specs = []
        written: dict[str, list[str]] = {}
        for name, text in figures.items():
            fig = pio.from_json(text)
            for fmt, opts in (("png", {"scale": theme.EXPORT_SCALE}), ("svg", {})):
                rel = f"{FIGURES_DIR}/{name}.{fmt}"
                specs.append({"fig": fig, "path": str(out_dir / rel), "opts": {"format": fmt, **opts}})
                written.setdefault(name, []).append(rel)
        self.progress(f"Eksporterer {len(figures)} figurer som PNG og SVG med {self.browser} …")
        if not self._ready.wait(self.TIMEOUT_S):
            self._failure = f"the browser did not start within {self.TIMEOUT_S} s"
        if self._failure is None:
            self._jobs.put(specs)
            if not self._exported.wait(self.TIMEOUT_S):
                self._failure = f"no answer from the browser within {self.TIMEOUT_S} s"
        if self._failure is not None:
            self.progress(f"Static export failed ({self._failure}). {BROWSER_HELP}")
            return {}
        if self._errors:
            self.progress(f"Static export: {len(self._errors)} file(s) failed: {self._errors[0]!r}")
        return {n: [p for p in rels if (out_dir / p).exists()] for n, rels in written.items()}

    def close(self) -> None:
        """Let the browser go (it closes in its thread; a build that failed early stops it too)."""
        if self._thread is not None and self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join(30)


def write_workbook(tables: dict[str, pd.DataFrame], path: Path, lang: str) -> Path:
    """One formatted sheet per table: bold frozen header, filters, widths, percent shares."""
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        book = writer.book
        book.set_properties({
            "title": label("report_title", lang, year="", institution="").strip(" :"),
            "author": "kvalitet",
            "created": WORKBOOK_CREATED.replace(tzinfo=None),
        })
        header = book.add_format({"bold": True, "bg_color": "#F3F3F3", "border": 1, "text_wrap": True})
        percent = book.add_format({"num_format": "0.0%"})
        for sheet in WORKBOOK_SHEETS:
            frame = tables.get(sheet, pd.DataFrame())
            frame = frame.drop(columns=[c for c in ("source_row",) if c in frame.columns])
            frame.to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.sheets[sheet]
            for col, name in enumerate(frame.columns):
                ws.write(0, col, name, header)
                values = frame[name].astype("string").str.len()
                width = min(60, max(len(str(name)), int(values.max()) if values.notna().any() else 0) + 2)
                is_share = name.startswith("share_") or name in ("underrepresented_share", "threshold", "ci_low", "ci_high")
                ws.set_column(col, col, width, percent if is_share and pd.api.types.is_float_dtype(frame[name]) else None)
            ws.freeze_panes(1, 0)
            if len(frame.columns):
                ws.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
    return path


def _git_commit() -> dict:
    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(["git", "-C", str(paths.ROOT), *args], capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return None
        return out.stdout.strip() if out.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain")
    return {"commit": commit, "dirty": bool(status) if status is not None else None}


def _versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def _inputs(data_dir: Path) -> list[dict]:
    return [
        {"file": p.relative_to(data_dir).as_posix(), "bytes": p.stat().st_size, "sha256": sha256(p)}
        for p in sorted(data_dir.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    ]


def _settings_file(config: str | None) -> dict:
    path = Path(config) if config else paths.DEFAULT_CONFIG
    if not path.is_file():
        return {"file": str(path), "sha256": None, "note": "not found: the built-in defaults were used"}
    return {"file": str(path), "sha256": sha256(path)}


def check_out_dir(out_dir: Path) -> None:
    """The report replaces its folder as a whole: refuse a file or a folder with other files.

    Raises:
        ReportError: ``out_dir`` is a file, or a folder that is not an earlier report.
    """
    problem = replace_problem(out_dir, lambda d: manifest_has(d, MANIFEST_NAME, "notebooks", "outputs"), "report")
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
    """
    from analysis.report.data import NO_OWN_DATA, load_report_data

    if lang not in ("nb", "en"):
        raise ValueError(f"lang must be 'nb' or 'en', got {lang!r}")
    started = dt.datetime.now(dt.UTC)
    data_dir = Path(data_dir or paths.RAW).resolve()
    out_dir = Path(out_dir or paths.REPORT).resolve()
    check_out_dir(out_dir)
    progress(f"Leser og validerer {data_dir} …")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-build-", dir=out_dir.parent))
    private: Path | None = None
    exporter: StaticExporter | None = None
    try:
        private = Path(tempfile.mkdtemp(prefix="kvalitet-report-data-"))
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
        executed = execute_notebooks(parameters, tmp / "notebooks", progress, notebook_dir)
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
            "inputs": _inputs(data_dir),
            # the settings the numbers were computed with (threshold, survey minimum n, indices)
            "settings_file": _settings_file(config),
            "outputs": [{"file": p.relative_to(tmp).as_posix(), "sha256": sha256(p)} for p in outputs],
            "notebooks": [p.name for p in executed],
            "figures": len(figures),
            "static_export": bool(static_files),
            "packages": _versions(),
            "python": platform.python_version(),
            "git": _git_commit(),
            "started_at": started.isoformat(timespec="seconds"),
            "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        (tmp / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        swap_folder(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if private is not None:
            shutil.rmtree(private, ignore_errors=True)
        if exporter is not None:
            exporter.close()
    progress(f"Rapporten er skrevet til {out_dir}")
    return out_dir


if __name__ == "__main__":  # pragma: no cover
    sys.exit(0 if build_report() else 1)

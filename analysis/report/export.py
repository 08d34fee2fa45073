"""Static chart files: PNG (print resolution) and SVG through kaleido and a Chrome/Chromium."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from analysis.charts import theme
from analysis.charts.labels import counted, label
from analysis.report.content import FIGURES_DIR
from analysis.report.tmp_folders import BROWSER_LOCK, BROWSER_PREFIX, make_folder, remove_dead_folders

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
#: What to do without a browser, in English (the report says it in its language:
#: label "browser_missing").
BROWSER_HELP = label("browser_missing", "en")


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


def one_page_kaleido(lock: int | None = None, folder: str | None = None):
    """kaleido's browser (``kaleido.Kaleido``, used as it documents) that draws every figure in
    the page it has loaded once.

    kaleido reloads its page after every figure, so that the next starts from a fresh page:
    plotly.js (4.6 MB) is parsed again each time, ~0.3 s of the ~0.45 s a picture took. Its
    drawing function needs no fresh page: each figure is drawn by ``Plotly.toImage`` into a
    plot of its own, removed when it is drawn (``kaleido_scopes.plotly``). The report's 36 pictures: 4.7 s against 16.5 s, the
    PNG files byte for byte the same and the SVG files the same but for plotly's random element
    ids (which differ between any two runs);
    ``test_export_in_one_page_draws_what_kaleido_draws_in_a_fresh_page`` checks both against
    kaleido's own reloading export. A figure that fails to draw leaves its plot in the page
    (plotly removes it only when it is drawn): memory, not pictures; the next figures are drawn
    the same (checked with two broken figures among good ones).

    The override is of kaleido's one method that returns a tab to its queue (``tabs_ready``,
    kaleido 1.5; the test fails if the method is gone). A kaleido whose queue is named otherwise
    (1.0 had ``_tabs_ready``) gets its own method back: reloaded pages, never a lost tab.

    ``lock``: a descriptor the browser's process (choreographer's wrapper, which lives as long as
    the browser) inherits and so holds: the lock of the browser's private ``folder``
    (:mod:`analysis.report.tmp_folders`), free only once the build and its browser are gone.
    ``folder`` is the browser's temporary folder too (``TMPDIR``): Chromium killed (hung and
    stopped) left its ``org.chromium.Chromium.XXXXXX`` files in the shared one.
    """
    import kaleido

    class OnePageKaleido(kaleido.Kaleido):
        def __init__(self, **kwargs) -> None:
            super().__init__(**kwargs)
            impl = getattr(self, "_browser_impl", None)  # (choreographer 1.x: how it starts it)
            if lock is not None and impl is not None:
                popen_args = impl.get_popen_args

                def with_lock():
                    args = dict(popen_args())
                    args["pass_fds"] = (*args.get("pass_fds", ()), lock)
                    return args

                impl.get_popen_args = with_lock
            if folder is not None and impl is not None:
                popen_env = impl.get_env

                def in_folder():
                    return {**popen_env(), "TMPDIR": folder}

                impl.get_env = in_folder

        async def _return_kaleido_tab(self, tab) -> None:
            queue = getattr(self, "tabs_ready", None)
            if queue is None:
                await super()._return_kaleido_tab(tab)
            else:
                await queue.put(tab)

    return OnePageKaleido


#: How a whole picture of each format begins and ends: a PNG with its signature and its last
#: chunk (IEND and its checksum), an SVG with its opening and closing tags.
PICTURE_ENDS = {".png": b"IEND\xaeB`\x82", ".svg": b"</svg>"}
PICTURE_STARTS = {".png": b"\x89PNG\r\n\x1a\n", ".svg": b"<svg"}


def _whole(path: Path) -> bool:
    """Is ``path`` a whole picture of its format (begun and ended as the format is)?"""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    start, end = PICTURE_STARTS.get(path.suffix), PICTURE_ENDS.get(path.suffix)
    return start is not None and data.lstrip().startswith(start) and data.rstrip().endswith(end)


#: A tag of an SVG as a browser's XMLSerializer writes it (``<`` and ``>`` are escaped in text and
#: in attribute values), and one attribute in it.
_TAG = re.compile(r"<[^>]+>")
_START_TAG = re.compile(r'<([\w:-]+)((?:\s+[\w:-]+="[^"]*")*)\s*(/?>)')
_ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')
#: A reference to an element in an attribute or a style (``href="#x"`` is another).
_URL = re.compile(r"""url\(['"]?#[^'")]*""")


def reproducible_svg(svg: str) -> str:
    """``svg`` as plotly.js drew it, in the same bytes for the same figure: its random element
    ids numbered in the order they first appear, each element's attributes in order of name.

    plotly names the elements it refers to (clip paths, hatch patterns, gradients) after the
    plot's random id (the ``U`` of ``<defs id="defs-U">``, in ``clipUxy``, ``legendU``,
    ``pU-…``) and each trace's random id (class ``traceT``, ``-T`` in ``pU-legend-T``), six hex
    digits new in every drawing (``Lib.randstr``). Each is replaced by its number (six digits:
    the same shape) only where it is a name: in ``id`` and ``class`` values and in references
    (``url(#…)``, ``href="#…"``), never in text or other attribute values. An element's
    attributes come in the order plotly first set them, which two drawings of the same legend
    do not always share (one of the report's 18 charts, in one build of two).
    """
    layout = re.search(r'<defs id="defs-([0-9a-f]{6})"', svg)
    if layout is None:
        return svg
    found = [layout.group(1)]
    for tag in _TAG.findall(svg):
        for name, value in _ATTRIBUTE.findall(tag):
            if name == "class":
                found += re.findall(r"(?<!\S)trace([0-9a-f]{6})(?!\S)", value)
            elif name == "id":
                found += re.findall(r"(?<=-)[0-9a-f]{6}(?![^-])", value)
    number = {token: f"{i:06d}" for i, token in enumerate(dict.fromkeys(found))}
    token = re.compile("|".join(number))

    def named(value: str) -> str:
        return token.sub(lambda m: number[m.group(0)], value)

    def attribute(name: str, value: str) -> str:
        if name in ("id", "class") or (name.endswith("href") and value.startswith("#")):
            value = named(value)
        else:
            value = _URL.sub(lambda r: named(r.group(0)), value)
        return f' {name}="{value}"'

    def element(tag: re.Match[str]) -> str:
        text = tag.group(0)
        # only a start tag read whole (its name and double-quoted attributes): a declaration,
        # a comment or a tag written otherwise is left as it is, never rebuilt without a part
        whole = _START_TAG.fullmatch(text)
        if whole is None:
            return text
        attributes = sorted(_ATTRIBUTE.findall(whole.group(2)))
        return f"<{whole.group(1)}" + "".join(attribute(*a) for a in attributes) + whole.group(3)

    return _TAG.sub(element, svg)


#: The picture files of each figure: PNG (print resolution, the Word document's) and SVG.
PICTURE_FORMATS = ("png", "svg")


def export_record(figures: int, static_files: dict[str, list[str]] | None) -> dict[str, int] | bool:
    """What the static export did, as the report's manifest records it: False when it was not
    tried (``--no-static``, no browser: ``static_files`` None), else how many picture files were
    exported and how many failed (not exported: the browser failed, or a drawing was cut short)
    of ``figures`` figures' PNG and SVG. It said ``true`` when every picture had failed: the
    figure names came back with no file each."""
    if static_files is None:
        return False
    exported = sum(len(files) for files in static_files.values())
    return {"exported": exported, "failed": figures * len(PICTURE_FORMATS) - exported}


def exported_any(record: object) -> bool:
    """A manifest's ``static_export`` (:func:`export_record`) says some picture was exported."""
    return isinstance(record, dict) and isinstance(record.get("exported"), int) and record["exported"] > 0


class StaticExporter:
    """PNG (print resolution) and SVG per figure through kaleido, one browser for all.

    The browser is started (and warmed up with a blank figure) in a background thread by
    :meth:`start`, so that its start overlaps the build's other work (the report build starts it
    as soon as a new report is sure to be made); :meth:`export` hands it the figures (starting
    it, if it is not yet) and waits. A browser that is missing, fails to start or stops
    answering never stops the build: the report is still written, with HTML and tables, and the
    progress says why there are no PNG/SVG files.

    A browser that hangs is given up in bounded time: one not started and warmed up within
    :data:`START_TIMEOUT_S`, or one that draws no picture for :data:`STALL_TIMEOUT_S`, is
    stopped (its process group killed: it runs in a session of its own), and the progress says
    which and what to do. Everything it writes outside the report (its profile, the page it
    draws in) is in a private folder of the temporary folder (``kvalitet-browser-…``,
    :mod:`analysis.report.tmp_folders`), removed when it closes, or by the next build when this
    one was killed outright.
    """

    #: Seconds for the browser to start and draw a first (blank) figure: ~3 s on two busy cores.
    START_TIMEOUT_S = 30
    #: Seconds without a picture drawn before the browser is taken for hung (a picture: ~0.15 s).
    STALL_TIMEOUT_S = 20
    #: Seconds for the export's thread to end once its browser is stopped.
    CLOSE_TIMEOUT_S = 2

    def __init__(self, progress: Callable[[str], None], lang: str = "en"):
        import queue

        self.progress = progress
        self.lang = lang
        self.browser = find_browser()
        self._jobs: queue.Queue[list[dict] | None] = queue.Queue()
        self._ready = threading.Event()  # warmed up, or failed
        self._exported = threading.Event()  # the export finished, or failed
        self._failure: str | None = None
        self._errors: object = None
        self._thread: threading.Thread | None = None
        self._started_at = 0.0
        self._submitted = False
        self._submitted_at = 0.0
        self._kaleido: object = None  # (the browser, once made: its process to stop)
        self._folder: str | None = None  # (its private folder, and the lock held on it)
        self._lock_fd: int | None = None
        self._folder_lock = threading.Lock()
        self._closed = False

    def start(self) -> None:
        """Start the browser in the background (once; nothing without a browser)."""
        if self.browser is not None and self._thread is None:
            # choreographer's log would print a line of its own on the build's terminal ("Wait
            # expired, Browser is being closed by watchdog." when a hung browser is stopped):
            # what happened is said by the build's own progress
            for name in ("choreographer", "kaleido"):
                logging.getLogger(name).setLevel(logging.CRITICAL + 1)
            self._started_at = time.monotonic()
            self._thread = threading.Thread(target=asyncio.run, args=(self._serve(),), name="kaleido", daemon=True)
            self._thread.start()

    async def _serve(self) -> None:
        try:
            import plotly.graph_objects as go
            from kaleido import PageGenerator

            remove_dead_folders(tempfile.gettempdir(), BROWSER_PREFIX, BROWSER_LOCK)  # (killed builds')
            with self._folder_lock:
                if self._closed:  # (closed before it got here: no browser is started)
                    return
                folder, self._lock_fd = make_folder(BROWSER_PREFIX, tempfile.gettempdir(), BROWSER_LOCK)
                self._folder = folder
            lock = self._lock_fd
            # the page it draws in, and its profile, in its own folder (kaleido and choreographer
            # make theirs in the temporary folder, named ``tmp…`` as anyone's: a killed build's
            # could not be told from another program's)
            page = Path(folder) / "index.html"
            page.write_text(PageGenerator(mathjax=False).generate_index(), encoding="utf-8")
            self._kaleido = browser = one_page_kaleido(lock, folder)(
                path=self.browser, page_generator=str(page), n=1, tmp_dir=folder
            )
            async with browser:
                # the first figure loads plotly.js into the page: do it before it is needed
                await browser.write_fig_from_object(
                    [{"fig": go.Figure(), "path": str(Path(folder) / "warmup.png"), "opts": {"format": "png"}}]
                )
                self._ready.set()
                specs = await asyncio.to_thread(self._jobs.get)
                if specs is not None:
                    self._errors = await browser.write_fig_from_object(specs)
                    self._exported.set()
        except Exception as err:  # noqa: BLE001 — reported by export(), the build goes on
            # no wrapped interrupt can be among these (caused_by_interrupt): this runs in its own
            # thread, and Python runs the Ctrl-C and kill handlers in the main thread only
            if self._failure is None:
                self._failure = label("export_failure_error", self.lang, error=f"{type(err).__name__}: {err}")
        except asyncio.CancelledError:
            # kaleido cancels its drawings when the browser closes under it (it crashed or was
            # killed): the export stopped, it did not finish (a build once put the empty files
            # kaleido had claimed for the pictures into the Word document, 2026-12-03)
            if self._failure is None:
                self._failure = label("export_failure_closed", self.lang)
        finally:
            self._ready.set()
            self._exported.set()
            self._remove_folder()

    def _remove_folder(self) -> None:
        """Remove the browser's folder, then let its lock go (once: from its thread when it ends,
        or from :meth:`close` when that thread is stuck after its browser was stopped)."""
        with self._folder_lock:
            if self._folder is not None:
                shutil.rmtree(self._folder, ignore_errors=True)
                self._folder = None
            if self._lock_fd is not None:
                os.close(self._lock_fd)  # (after: the folder is never unlocked while it is there)
                self._lock_fd = None

    def _stop_browser(self) -> None:
        """Kill the browser's processes: its wrapper, Chromium and Chromium's children, all in
        the session the wrapper leads (choreographer starts it in a new one)."""
        process = getattr(self._kaleido, "subprocess", None)
        if process is not None and process.poll() is None:
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)

    def _give_up(self, failure: str) -> None:
        """The browser hung: say so, and stop it (the export thread then ends, as for a crash)."""
        if self._failure is None:
            self._failure = label("export_failure_stopped", self.lang, reason=failure)
        self._stop_browser()

    def export(self, figures: dict[str, str], out_dir: Path) -> dict[str, list[str]]:
        """Write every figure; returns figure name -> relative file paths written."""
        self.submit(figures, out_dir)
        return self.result()

    def submit(self, figures: dict[str, str], out_dir: Path) -> None:
        """Hand the figures to the browser and return at once (:meth:`result` waits): the
        report build submits them as soon as the charts notebook has written them."""
        self._written: dict[str, list[str]] = {}
        self._out_dir = out_dir
        if self.browser is None:
            return
        self.start()
        import json

        specs = []
        for name, text in figures.items():
            # the figure as plotly.js reads it: kaleido takes the dict as it is (a plotly Figure
            # made from it, ~0.3 s for the report's figures, gave the same PNG bytes)
            fig = json.loads(text)
            for fmt, opts in zip(PICTURE_FORMATS, ({"scale": theme.EXPORT_SCALE}, {}), strict=True):
                rel = f"{FIGURES_DIR}/{name}.{fmt}"
                specs.append({"fig": fig, "path": str(out_dir / rel), "opts": {"format": fmt, **opts}})
                self._written.setdefault(name, []).append(rel)
        self.progress(
            label("progress_export", self.lang, n=counted(len(figures), "figure", self.lang), browser=self.browser)
        )
        # (the start is timed from when it began: the build starts the browser early)
        if not self._ready.wait(max(0.0, self._started_at + self.START_TIMEOUT_S - time.monotonic())):
            self._give_up(label("export_failure_no_start", self.lang, seconds=self.START_TIMEOUT_S))
        if self._failure is None:
            self._jobs.put(specs)
            self._submitted = True
            self._submitted_at = time.monotonic()

    def _drawn(self) -> int:
        """How many of the submitted pictures have been written (kaleido claims a picture's file
        empty, and writes it whole once drawn)."""
        count = 0
        for rels in self._written.values():
            for rel in rels:
                with contextlib.suppress(OSError):
                    count += (self._out_dir / rel).stat().st_size > 0
        return count

    def result(self) -> dict[str, list[str]]:
        """Wait for the submitted export; figure name -> relative file paths written (none when
        the browser is missing or failed: the report is written without static files)."""
        if self.browser is None:
            self.progress(label("browser_missing", self.lang))
            return {}
        if self._failure is None:
            # waited for as long as pictures keep coming; a browser that draws none for
            # STALL_TIMEOUT_S is taken for hung (timed from the submission while it has drawn
            # none, else from now: the build writes the workbook between the two, and when the
            # last of the pictures drawn meanwhile came is not known)
            drawn = self._drawn()
            since = time.monotonic() if drawn else self._submitted_at
            while not self._exported.wait(0.25):
                now, count = time.monotonic(), self._drawn()
                if count != drawn:
                    drawn, since = count, now
                elif now - since > self.STALL_TIMEOUT_S:
                    self._give_up(label("export_failure_no_answer", self.lang, seconds=self.STALL_TIMEOUT_S))
                    self._exported.wait(self.CLOSE_TIMEOUT_S)  # (its thread sees it closed)
                    break
        if self._failure is not None:
            for rels in self._written.values():  # none of its pictures: some may be cut short
                for rel in rels:
                    (self._out_dir / rel).unlink(missing_ok=True)
            self.progress(
                label(
                    "progress_export_failed",
                    self.lang,
                    reason=self._failure,
                    help=label("browser_failed", self.lang, browser=self.browser),
                )
            )
            return {}
        # only whole pictures: kaleido claims a picture's file (empty) before it draws it, and a
        # drawing that fails or is cut short may leave it so
        broken = sorted(rel for rels in self._written.values() for rel in rels if not _whole(self._out_dir / rel))
        for rel in broken:
            (self._out_dir / rel).unlink(missing_ok=True)
        # the same figure gives the same SVG bytes (plotly's ids are new in every drawing)
        for svg in (self._out_dir / rel for rels in self._written.values() for rel in rels):
            if svg.suffix == ".svg" and svg.exists():
                svg.write_bytes(reproducible_svg(svg.read_bytes().decode("utf-8")).encode("utf-8"))
        if self._errors or broken:
            first = repr(self._errors[0]) if self._errors else broken[0]
            self.progress(
                label(
                    "progress_export_partly",
                    self.lang,
                    n=counted(max(len(self._errors), len(broken)), "file", self.lang),
                    first=first,
                )
            )
        return {n: [p for p in rels if (self._out_dir / p).exists()] for n, rels in self._written.items()}

    def close(self) -> None:
        """Let the browser go: stopped at once, whatever it is doing (nothing needs it any more,
        and everything it wrote is in its folder, removed when its thread ends). Asked to close
        (CDP ``Browser.close``), it now and then did not within 10 s on two busy cores, and a
        build stopped by Ctrl-C waited for it."""
        if self._thread is None or not self._thread.is_alive():
            return
        with self._folder_lock:
            self._closed = True
        self._stop_browser()
        self._jobs.put(None)  # (its thread, if it waits for figures, ends)
        self._thread.join(self.CLOSE_TIMEOUT_S)
        if self._thread.is_alive():
            # (kaleido, its browser stopped while it started, may wait on it for good: the
            # thread is a daemon; its folder is removed here once the browser is gone)
            self._stop_browser()
            process = getattr(self._kaleido, "subprocess", None)
            deadline = time.monotonic() + self.CLOSE_TIMEOUT_S
            while process is not None and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            if process is None or process.poll() is not None:
                self._remove_folder()

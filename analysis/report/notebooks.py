"""Executing the report notebooks: jupytext percent files run by papermill, parameters
injected, timestamps stripped so the executed copies are reproducible."""

from __future__ import annotations

import errno
import logging
import os
import queue
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from pathlib import Path

from analysis import paths
from analysis.charts.labels import NOTEBOOK_TEXT, label
from analysis.errors import ReportError
from analysis.outputs import signals_held
from analysis.words import DEFAULT_LANG

NOTEBOOK_GLOB = "[0-9][0-9]_*.py"
#: The language the notebooks' text is written in (their markdown cells, as JupyterLab shows them)
NOTEBOOK_LANG = DEFAULT_LANG


def notebooks(notebook_dir: Path = paths.NOTEBOOKS) -> list[Path]:
    """The report notebooks in execution order."""
    return sorted(notebook_dir.glob(NOTEBOOK_GLOB))


def to_ipynb(py: Path, out: Path, lang: str = DEFAULT_LANG) -> Path:
    """``py`` as a notebook in ``out``, its text in ``lang``: a markdown cell that names its
    words (``label="md_…"`` in its metadata) gets them in ``lang`` from
    :data:`~analysis.charts.labels.NOTEBOOK_TEXT`, as the notebook's printouts and charts get
    theirs from the labels. In the notebooks' own language (Norwegian, what JupyterLab shows)
    the cell keeps its text, the one place that text is written: an edit made in JupyterLab is
    in the report."""
    import jupytext
    import nbformat

    nb = jupytext.read(py)
    for cell in nb.cells:
        if lang != NOTEBOOK_LANG and cell.cell_type == "markdown" and "label" in cell.metadata:
            cell.source = NOTEBOOK_TEXT[cell.metadata["label"]][lang]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata.setdefault("language_info", {"name": "python"})
    target = out / f"{py.stem}.ipynb"
    nbformat.write(nb, target)
    return target


TIMING_KEYS = ("start_time", "end_time", "duration")
SCRATCH_KEYS = ("input_path", "output_path")


def make_reproducible(path: Path, renamed: Mapping[str, str] | None = None) -> None:
    """An executed notebook that differs from another build's only where the results do:
    timestamps live only in the manifest (papermill's and the kernel's timing metadata are
    dropped), so do the paths of the build's scratch copies (papermill's input and output path,
    gone when the build ends), the cells are numbered by position (jupytext and papermill
    give every cell a random id; nbformat 4.5 wants one), and a cell's printed lines are one
    output per stream: the kernel sends them in as many pieces as its flushes fell, which vary
    with the machine's load (a fresh-clone CI run, 2026-12-04: "… skrevet til …" one piece in
    one build, two in the other, and the two executed notebooks differed).

    ``renamed`` maps a folder the notebook ran with to the one it is published as (the build's
    private scratch folder, a new random name each build and gone after it, to the report
    folder it becomes): named wherever the notebook names it (the injected ``out_dir``, what a
    cell printed), so the copy names a folder that exists and two builds' copies are equal; the
    report build also names the adviser's data folder and settings file by their names. The
    longest path is renamed first: a path inside another (a settings file in the data folder)
    is named as itself, not as a part of the other."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for old, new in sorted((renamed or {}).items(), key=lambda item: -len(item[0])):
        nb = _renamed(nb, _literal_forms(old, new))
    for key in SCRATCH_KEYS:
        nb.metadata.get("papermill", {}).pop(key, None)
    for meta in [nb.metadata.get("papermill", {})] + [c.metadata.get("papermill", {}) for c in nb.cells]:
        for key in TIMING_KEYS:
            meta.pop(key, None)
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        cell.id = f"cell-{i}"
        if "outputs" in cell:
            cell.outputs = coalesced_streams(cell.outputs)
    nbformat.write(nb, path)


def _renamed(node, forms: list[tuple[str, str]]):
    """``node`` (a notebook, or any part of one) with each text of ``forms`` (a path and what it
    is published as, in each form a notebook may hold it: :func:`_literal_forms`) replaced."""
    if isinstance(node, str):
        for before, after in forms:
            node = node.replace(before, after)
        return node
    if isinstance(node, dict):
        # (in place: an nbformat NotebookNode stays one, and its keys are never paths)
        for key, value in node.items():
            node[key] = _renamed(value, forms)
        return node
    if isinstance(node, list):
        return [_renamed(value, forms) for value in node]
    return node


def _literal_forms(old: str, new: str) -> list[tuple[str, str]]:
    """``old`` and ``new`` as they are, as a Python string literal writes them (a backslash
    doubled: ``repr`` in a cell's output), and as papermill's injected parameter cell writes them
    (:meth:`papermill.translators.PythonTranslator.translate_str`, the quotes taken off), where
    every letter beyond ASCII is escaped too (``"/home/ola/r\\xe5data"``): a folder named with
    æ, ø or å was in the executed copies in full, the data folder and the build's scratch folder."""
    from papermill.translators import PythonTranslator

    def injected(text: str) -> str:
        return PythonTranslator.translate_str(text)[1:-1]

    def doubled(text: str) -> str:
        return text.replace("\\", "\\\\")

    return [(old, new), (doubled(old), doubled(new)), (injected(old), injected(new))]


def coalesced_streams(outputs: list) -> list:
    """``outputs`` with each run of stream outputs of one stream (stdout, stderr) as one."""
    merged: list = []
    for output in outputs:
        last = merged[-1] if merged else None
        if (
            last is not None
            and output.get("output_type") == last.get("output_type") == "stream"
            and output.get("name") == last.get("name")
        ):
            last["text"] = _text(last["text"]) + _text(output["text"])
        else:
            merged.append(output)
    return merged


def _text(text: str | list[str]) -> str:
    """A stream's text, which a notebook file may hold as one string or as its lines."""
    return text if isinstance(text, str) else "".join(text)


#: Notebooks executed at the same time (each worker with its own kernel). Two fit a 2-core machine.
PARALLEL_NOTEBOOKS = 2


def kernel_config():
    """How the kernels are started: over IPC sockets, each kernel's in a private folder of its
    own (:class:`analysis.report.kernel.NotebookKernel`: mode 0700, removed when the kernel
    stops), where pyzmq has IPC; else over TCP with transport encryption (CurveZMQ keys the
    kernel manager provisions). Either way the kernels talk only to this build, and ipykernel
    has no reason for its "running over TCP without encryption" warning (printed once per
    notebook before).

    NOTE: not TCP where IPC is to be had: jupyter_client finds free ports by binding port 0 and
    closing it, and the kernel binds them later; another process could take one in between,
    and with two builds at once (pytest-xdist) a kernel now and then died at its start
    ("Address already in use", "Kernel died before replying to kernel_info"). A kernel's own
    folder leaves nothing to take."""
    import zmq
    from traitlets.config import Config

    config = Config()
    if zmq.has("ipc"):
        config.KernelManager.transport = "ipc"
    else:  # pragma: no cover - a libzmq built without IPC
        config.KernelManager.transport_encryption = "required"
    return config


def execute_notebooks(
    parameters: dict,
    out_dir: Path,
    progress: Callable[[str], None],
    notebook_dir: Path = paths.NOTEBOOKS,
    lang: str = "nb",
    work: Path | None = None,
    first: str | None = None,
    on_done: Callable[[Path], None] | None = None,
    renamed: Mapping[str, str] | None = None,
    cell_timeout_s: int | None = None,
    settings_file: str | None = None,
) -> list[Path]:
    """Execute every notebook with ``parameters``; executed copies go to ``out_dir``, in
    notebook order.

    ``first`` (a notebook's name without suffix) starts before the others, and ``on_done`` is
    called with each notebook's source as soon as it has run (not once the run has stopped: a
    notebook failed, Ctrl-C): the report build starts the
    static export of the charts notebook's figures while the other notebooks still run.
    ``renamed``: folders named in ``parameters`` as the executed copies name them
    (:func:`make_reproducible`). ``cell_timeout_s``: the most seconds a cell may run (the
    settings' ``report.cell_timeout_s``; None: no limit): a cell that runs longer is stopped with
    its kernel (:class:`CellWatch`), and the build fails naming the notebook and the cell;
    ``settings_file``: where that limit is set, for the message.

    Notebooks are independent (each reads the data itself), so they run
    :data:`PARALLEL_NOTEBOOKS` at a time, each worker's in one kernel, each notebook in a fresh
    session of it (:class:`analysis.report.kernel.NotebookKernel`); the first failure stops the
    build. The converted
    notebooks are written to ``work`` (the build's private scratch folder; default a new
    private temporary folder). A notebook that fails is kept in the private state folder
    (:func:`keep_failed`); a notebook that fails because the disk is full or read-only raises
    that :class:`OSError`, so the build reports it as such.
    """
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from analysis.report import skip_slow_optional_imports

    skip_slow_optional_imports()
    import papermill as pm
    from nbclient.exceptions import DeadKernelError
    from papermill.iorw import local_file_io_cwd

    from analysis.report.kernel import NotebookKernel

    sources = notebooks(notebook_dir)
    if not sources:
        raise ReportError(f"no notebooks matching {NOTEBOOK_GLOB} in {notebook_dir}")
    out_dir.mkdir(parents=True, exist_ok=True)
    # the kernel must import this checkout's `analysis`, installed or not
    env_path = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(paths.ROOT), env_path) if p)
    config = kernel_config()
    # papermill's log (nbclient's through it) would print lines of its own on the build's
    # terminal ("Kernel died while waiting for execute reply." above the build's message): what
    # went wrong is said by the build's own message, naming the notebook
    papermill_log = logging.getLogger("papermill")
    log_level = papermill_log.level
    papermill_log.setLevel(logging.CRITICAL + 1)

    # NOTE: what it earns: one kernel per worker, not per notebook: a kernel's start (~0.45
    # CPU s) and the notebooks' imports (pandas, plotly, the report code: ~0.8 CPU s) are paid
    # twice, not six times; each notebook after the first starts a fresh session in it
    # (:class:`NotebookKernel`), so its executed copy is as a new kernel's. `kvalitet report
    # --force` against one kernel per notebook, 5 pairs in turn (load 2–3): CPU 0.79, wall 0.84
    def new_kernel() -> NotebookKernel:
        # (a manager starts one kernel: one that was stopped has closed its sockets' context)
        return NotebookKernel(kernel_name="python3", config=config)

    kernels: queue.SimpleQueue[NotebookKernel] = queue.SimpleQueue()
    for _ in range(PARALLEL_NOTEBOOKS):
        kernels.put(new_kernel())
    # set once the run stops (a notebook failed, Ctrl-C, a kill): a notebook that finishes after
    # that is not handed on (a second reader, 2026-12-04: after Ctrl-C the charts notebook, left
    # to finish, still started the static export, and said so)
    stopped = threading.Event()
    # the kernels running a notebook now: killed at once when the build is stopped (Ctrl-C,
    # kill), where the run waited for their notebooks to finish (4-9 s for the charts notebook,
    # and a second Ctrl-C meanwhile left their folders behind)
    running: set[NotebookKernel] = set()
    running_lock = threading.Lock()

    def run(i: int, py: Path, work: Path) -> Path:
        progress(f"[{i}/{len(sources)}] {py.stem} …")
        started = time.perf_counter()
        source = to_ipynb(py, work, parameters.get("lang", DEFAULT_LANG))
        target = out_dir / source.name
        kernel = kernels.get()  # a worker's own: two workers, two kernels
        watch = None
        try:
            if not kernel.fresh_session():  # it died after its last notebook: stopped
                kernel = new_kernel()
            with running_lock:
                if stopped.is_set():  # (stopped meanwhile: not started)
                    raise ReportError(f"notebook {py.name}: not run, the build was stopped")
                running.add(kernel)
            watch = CellWatch(kernel, cell_timeout_s, source)
            pm.execute_notebook(
                str(source),
                str(target),
                km=kernel,  # started by nbclient for the first notebook, kept for the next
                parameters=parameters,
                kernel_name="python3",
                # written once at the end, not after every cell: the charts notebook carries
                # every figure's JSON, and the build reads the executed copy only when it is done
                request_save_on_cell_execute=False,
                progress_bar=False,
                # the kernel starts in the project folder (nbclient's run path), the build's own
                # folder is left alone: papermill's cwd= would chdir this process, and two
                # notebooks at once could restore each other's folder out of order
                resources={"metadata": {"path": str(paths.ROOT)}},
                log_output=False,
                config=config,
                # the kernel's own log (not the notebook's output or errors, which come back as
                # messages): jupyter_client interrupts a kernel before shutting it down, and a
                # kernel caught mid-message logs "KeyboardInterrupt caught in kernel" on our stderr
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                # (asked as each cell is sent to the kernel: its clock starts, the last one's stops)
                timeout_func=watch.started,
            )
        except pm.PapermillExecutionError as err:
            write_failure = _write_failure(err)
            if write_failure is not None:
                raise write_failure from None
            # the build folder is removed on failure: keep the failed notebook where it can be read
            kept = keep_failed(target)
            raise ReportError(
                f"notebook {py.name} failed in cell {err.exec_count}: {err.ename}: {err.evalue}\n"
                + (
                    f"(the executed notebook with the error is {kept})"
                    if kept
                    else "(the executed notebook with the error could not be kept)"
                )
            ) from None
        except DeadKernelError:
            kernel.close_clients()
            kernel.stop()
            kernel = new_kernel()  # for a notebook the other worker may still start
            if watch is not None and watch.stopped is not None:  # killed by the watch: it hung
                raise ReportError(watch.message(py.name, settings_file)) from None
            raise ReportError(
                f"notebook {py.name}: its kernel stopped while a cell ran; the machine may be out of "
                "memory, or the notebook ended its own process (close other programs and build again; "
                "run the notebook in JupyterLab to see which cell)"
            ) from None
        except BaseException:
            kernel.close_clients()
            kernel.stop()  # not trusted with another notebook
            kernel = new_kernel()
            raise
        finally:
            if watch is not None:
                watch.done()
            with running_lock:
                running.discard(kernel)
            kernel.close_clients()
            kernels.put(kernel)
        make_reproducible(target, renamed)
        progress(
            label(
                "progress_notebook_done",
                lang,
                name=py.stem,
                seconds=f"{time.perf_counter() - started:.1f}".replace(".", "," if lang == "nb" else "."),
            )
        )
        if on_done is not None and not stopped.is_set():
            on_done(py)
        return target

    try:
        with (
            # papermill keeps the folder its file reads and writes move to as one setting of the
            # process, which each notebook's run sets to the current folder and puts back after:
            # two runs in two threads put back each other's, and a read then moved this process
            # to the folder of an earlier build in it (a slow-suite run, 2026-12-04: the build
            # went to /work/main and back). Set here for the whole run, every setting and putting
            # back is this process's own folder, where it already is
            local_file_io_cwd(),
            nullcontext(str(work))
            if work is not None
            else tempfile.TemporaryDirectory(prefix="kvalitet-nb-") as folder,
        ):
            pool = ThreadPoolExecutor(max_workers=PARALLEL_NOTEBOOKS)
            try:
                numbered = list(enumerate(sources, 1))
                start_order = sorted(numbered, key=lambda item: item[1].stem != first)  # stable: the rest in order
                futures = {py: pool.submit(run, i, py, Path(folder)) for i, py in start_order}
                executed = [futures[py].result() for py in sources]
            except BaseException as err:
                if not isinstance(err, Exception):  # Ctrl-C or kill: the running notebooks too
                    with running_lock:
                        stopped.set()
                        for kernel in running:
                            kernel.kill_now()
                raise
            finally:
                # (a second Ctrl-C or kill meanwhile is held back until this is done: it cut the
                # clean-up short, and the kernels' folders were left)
                with signals_held():
                    stopped.set()
                    # after a failed notebook or Ctrl-C the notebooks not yet started are not
                    # started (the run stops at once, not after all of them); after a failed one
                    # those running finish (after Ctrl-C they were killed above), and the kernels
                    # are stopped, before the folder they run in is removed
                    pool.shutdown(wait=True, cancel_futures=True)
                    while not kernels.empty():
                        kernels.get().stop()
    finally:
        papermill_log.setLevel(log_level)
        if env_path is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = env_path
    return executed


class CellWatch:
    """The time limit of the cells of one notebook run in ``kernel``: each cell may run
    ``seconds`` (None: no limit) from when it is sent to the kernel (:meth:`started`, nbclient's
    ``timeout_func``); the kernel of a cell that runs longer is killed, which nbclient finds as
    a kernel that died (DeadKernelError), and :attr:`stopped` is that cell.

    NOTE: killed, not left to nbclient's own timeout: that one stops waiting but leaves the cell
    running in the kernel and a task of its own pending ("Task was destroyed but it is
    pending!" on the build's terminal), and without a notebook written; an interrupt (its
    interrupt_on_timeout) does not stop a cell hung in C code. A killed kernel stops whatever it
    runs, and the build already stops cleanly for a kernel that died."""

    def __init__(self, kernel, seconds: int | None, notebook: Path) -> None:
        import threading

        import nbformat

        self.kernel = kernel
        self.seconds = seconds
        #: each code cell's number in the notebook (``notebook``, before papermill adds its cell
        #: of the parameters' values), by the cell's id: the cell as JupyterLab shows the notebook
        code = [cell for cell in nbformat.read(notebook, as_version=4).cells if cell.cell_type == "code"]
        self.numbers = {cell.get("id"): number for number, cell in enumerate(code, 1)}
        #: the cell whose time ran out, once one has
        self.stopped = None
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._cell = None

    def started(self, cell) -> int | None:
        """``cell`` is sent to the kernel now: its clock starts (the one before it stops). Returns
        no time limit for nbclient to keep: the watch keeps it."""
        import threading

        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._cell = cell
            if self.seconds is not None:
                self._timer = threading.Timer(self.seconds, self._expired, args=(cell,))
                self._timer.daemon = True
                self._timer.start()
        return None

    def _expired(self, cell) -> None:
        with self._lock:
            if cell is not self._cell or self.stopped is not None:  # (done meanwhile)
                return
            self.stopped = cell
            self._cell = None
        self.kernel.kill_now()

    def done(self) -> None:
        """The notebook has stopped running: no clock runs on."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._cell = None

    def message(self, notebook: str, settings_file: str | None) -> str:
        """What the build says of the cell :attr:`stopped` in ``notebook``: the notebook, the
        cell by its number among the notebook's code cells and by its first line, and what to do
        (``settings_file``: where the limit is set; None: the built-in settings)."""
        cell = self.stopped
        number = self.numbers.get(cell.get("id")) if cell is not None else None
        lines = [line.strip() for line in str(getattr(cell, "source", "")).splitlines() if line.strip()]
        which = f"code cell {number}" if number else "a cell"
        if lines:
            which += f" ({lines[0][:60]}{'…' if len(lines[0]) > 60 or len(lines) > 1 else ''})"
        where = f"in {settings_file}" if settings_file else "in the settings file (--config FILE)"
        return (
            f"notebook {notebook}: {which} ran for more than {self.seconds} s and was stopped "
            f"(report.cell_timeout_s): a cell that hangs waits for something that does not come (a file, the "
            f"network); run the notebook in JupyterLab to see what; if it only needs longer, raise "
            f"cell_timeout_s under [report] {where}"
        )


#: Errors of a notebook cell that mean the output could not be written (not a bug in the cell).
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS}


def _write_failure(err) -> OSError | None:
    """The OSError behind a notebook cell that failed because the disk is full or read-only."""
    found = re.search(r"errno (\d+)", f"{err.ename}: {err.evalue}", re.I)
    if not found or int(found.group(1)) not in _WRITE_ERRNOS:
        return None
    name = re.search(r": '(.+)'\s*$", str(err.evalue))
    code = int(found.group(1))
    return OSError(code, os.strerror(code), name.group(1) if name else None)


def keep_failed(notebook: Path) -> Path | None:
    """A copy of a failed notebook in the private state folder (:mod:`analysis.console`: a
    new file, mode 0600, no symbolic link followed on either side), or None when it cannot be
    kept. It may hold data, so it never goes to the shared temporary folder."""
    from analysis.console import private_file

    try:
        source = os.open(notebook, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        fd, kept = private_file("failed", f"-{notebook.name}")
        with os.fdopen(fd, "wb") as out, os.fdopen(source, "rb", closefd=False) as src:
            shutil.copyfileobj(src, out)
        return kept
    except OSError:
        return None
    finally:
        os.close(source)

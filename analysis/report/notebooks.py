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
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

from analysis import paths
from analysis.charts.labels import label
from analysis.errors import ReportError

NOTEBOOK_GLOB = "[0-9][0-9]_*.py"


def notebooks(notebook_dir: Path = paths.NOTEBOOKS) -> list[Path]:
    """The report notebooks in execution order."""
    return sorted(notebook_dir.glob(NOTEBOOK_GLOB))


def to_ipynb(py: Path, out: Path) -> Path:
    import jupytext
    import nbformat

    nb = jupytext.read(py)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata.setdefault("language_info", {"name": "python"})
    target = out / f"{py.stem}.ipynb"
    nbformat.write(nb, target)
    return target


TIMING_KEYS = ("start_time", "end_time", "duration")
SCRATCH_KEYS = ("input_path", "output_path")


def make_reproducible(path: Path) -> None:
    """An executed notebook that differs from another build's only where the results do:
    timestamps live only in the manifest (papermill's and the kernel's timing metadata are
    dropped), so do the paths of the build's scratch copies (papermill's input and output path,
    gone when the build ends), the cells are numbered by position (jupytext and papermill
    give every cell a random id; nbformat 4.5 wants one), and a cell's printed lines are one
    output per stream: the kernel sends them in as many pieces as its flushes fell, which vary
    with the machine's load (a fresh-clone CI run, 2026-12-04: "… skrevet til …" one piece in
    one build, two in the other, and the two executed notebooks differed)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
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

#: How every notebook kernel is started: its own log quiet (jupyter_client interrupts a kernel
#: before shutting it down, and a kernel caught mid-message logs "KeyboardInterrupt caught in
#: kernel" on our stderr; the notebook's output and errors come back as messages), and IPython's
#: history in memory, as nbclient starts the kernels it starts itself.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
KERNEL_HISTORY = "--HistoryManager.hist_file=:memory:"
#: Seconds a kernel may take for the warm-up (the imports take ~1 s; a kernel that takes longer
#: is not trusted with a notebook and is replaced).
WARM_UP_TIMEOUT_S = 120
#: Seconds between two looks, during the warm-up, at whether the build still wants the kernel
#: and the kernel still runs.
WARM_UP_POLL_S = 0.1


def notebook_imports(sources: list[Path]) -> list[str]:
    """The modules the notebooks import (``import X``, ``from X import …`` at a cell's top
    level), each once, in the order the notebooks name them: read from the notebooks
    themselves, so the kernels' warm-up (:class:`Kernels`) imports what they import."""
    import ast

    modules: list[str] = []
    for py in sources:
        try:
            tree = ast.parse(py.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, SyntaxError):
            continue  # (not imported ahead: the notebook's own run says what is wrong with it)
        for node in tree.body:
            if isinstance(node, ast.Import):
                modules += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules.append(node.module)
    return list(dict.fromkeys(modules))


class Kernels:
    """The notebook workers' kernels (:data:`PARALLEL_NOTEBOOKS`), started and the notebooks'
    modules imported in them in the background from :meth:`start`, so that this overlaps the
    stages, which keep one core busy (the report build calls it as soon as a new report is
    sure to be made, as it starts the browser).

    A worker :meth:`take` s a kernel (waiting for the warm-up) and :meth:`give` s it back;
    :meth:`close` stops them all (after a start under way). A kernel whose start or warm-up fails
    is stopped and replaced by one not started: the notebook then starts it itself, and its run
    says what is wrong (an import that fails, a kernel that cannot start), as without the
    warm-up. Each notebook still runs in a fresh session
    (:meth:`analysis.report.kernel.NotebookKernel.fresh_session`): the imported modules are all
    it finds, as a notebook that follows another in the same kernel finds them.
    """

    def __init__(self, notebook_dir: Path = paths.NOTEBOOKS):
        import threading

        self.notebook_dir = notebook_dir
        self._ready: queue.SimpleQueue = queue.SimpleQueue()
        self._made: list = []  # every kernel made here: stopped by close()
        self._starter: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = threading.Event()

    def new(self):
        """A kernel manager not started (nbclient starts it for the notebook); a manager
        starts one kernel: one that was stopped has closed its sockets' context."""
        from analysis.report.kernel import NotebookKernel

        kernel = NotebookKernel(kernel_name="python3", config=kernel_config())
        with self._lock:
            self._made.append(kernel)
        return kernel

    def start(self) -> None:
        """Start the kernels and their warm-up in the background (once)."""
        import threading

        with self._lock:
            if self._starter is not None or self._closed.is_set():
                return
            # jupyter_client imported here, in the caller's thread: imported by two threads at
            # once, it met its own modules half made (a circular import) in one of them
            import analysis.report.kernel  # noqa: F401

            code = warm_up_code(notebook_imports(notebooks(self.notebook_dir)))
            self._starter = threading.Thread(target=self._start_all, args=(code,), name="kernels", daemon=True)
        self._starter.start()

    def _start_all(self, code: str) -> None:
        import asyncio

        kernels = [self.new() for _ in range(PARALLEL_NOTEBOOKS)]
        try:
            warm = asyncio.run(self._warm_up(kernels, code))
        except Exception:  # noqa: BLE001 — as a failed warm-up below
            warm = [False] * len(kernels)
        for kernel, ready in zip(kernels, warm, strict=True):
            if not ready:
                kernel.stop()
                kernel = self.new()
            self._ready.put(kernel)

    async def _warm_up(self, kernels: list, code: str) -> list[bool]:
        import asyncio

        return list(await asyncio.gather(*(self._warm_up_one(kernel, code) for kernel in kernels)))

    async def _warm_up_one(self, kernel, code: str) -> bool:
        try:
            if self._closed.is_set():
                return False
            await kernel.start_kernel(extra_arguments=[*KERNEL_ARGUMENTS, KERNEL_HISTORY], cwd=str(paths.ROOT))
            return await self._unless_stopped(kernel, kernel.ran_quietly(code, timeout=WARM_UP_TIMEOUT_S))
        except Exception:  # noqa: BLE001 — the notebook starts its kernel itself and says why it cannot
            # (no wrapped interrupt among these: Ctrl-C and kill are handled in the main thread)
            return False

    async def _unless_stopped(self, kernel, warm_up) -> bool:
        """The warm-up's result; False as soon as :meth:`close` is called or the kernel dies. A
        second reader, 2026-12-04: a notebook's import that ended the kernel's process (a native
        extension that crashes does) left the warm-up waiting out its 120 s for a reply that
        never came, and the build with it; close() (Ctrl-C, a kill, a bad input in a stage)
        waited for the imports to finish before the build could stop."""
        import asyncio
        import contextlib

        task = asyncio.ensure_future(warm_up)
        while not task.done():
            if self._closed.is_set() or not await kernel.is_alive():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task  # (its client closed)
                return False
            await asyncio.wait({task}, timeout=WARM_UP_POLL_S)
        return bool(task.result())

    def take(self):
        """A kernel for one worker: warmed up, or not started."""
        self.start()
        return self._ready.get()

    def give(self, kernel) -> None:
        self._ready.put(kernel)

    def close(self) -> None:
        """Stop every kernel (a warm-up under way is given up, a start under way finishes first:
        nothing is left running)."""
        self._closed.set()
        if self._starter is not None:
            self._starter.join()
        with self._lock:
            made, self._made = self._made, []
        for kernel in made:
            kernel.stop()


def warm_up_code(modules: list[str]) -> str:
    """What a kernel runs before its first notebook: the notebooks' modules imported (jsonschema's
    slow optional checker left out first, as :mod:`analysis.report.notebook` does), nothing left
    in the namespace (the notebook's fresh session empties it anyway)."""
    return (
        "def _warm_up():\n"
        "    import importlib\n\n"
        "    from analysis.report import skip_slow_optional_imports\n\n"
        "    skip_slow_optional_imports()\n"
        f"    for module in {modules!r}:\n"
        "        importlib.import_module(module)\n\n\n"
        "_warm_up()\n"
        "del _warm_up\n"
    )


def kernel_config():
    """How the kernels are started: with transport encryption (CurveZMQ keys the kernel manager
    provisions) where pyzmq has it, else over IPC sockets in a private folder. Either way the
    kernels talk only to this build, and ipykernel has no reason for its "running over TCP
    without encryption" warning (printed once per notebook before)."""
    import tempfile

    import zmq
    from traitlets.config import Config

    config = Config()
    if zmq.has("curve"):
        config.KernelManager.transport_encryption = "required"
    else:  # pragma: no cover - pyzmq wheels have curve
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = str(Path(tempfile.mkdtemp(prefix="kvalitet-kernel-")) / "kernel")
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
    kernels: Kernels | None = None,
) -> list[Path]:
    """Execute every notebook with ``parameters``; executed copies go to ``out_dir``, in
        notebook order.

        ``first`` (a notebook's name without suffix) starts before the others, and ``on_done`` is
        called with each notebook's source as soon as it has run (not once the run has stopped:
        a notebook failed, Ctrl-C): the report build starts the
        static export of the charts notebook's figures while the other notebooks still run.
    ``kernels``: the workers' kernels, started early by the caller (who closes them); default
        started here, and stopped at the end.

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

    sources = notebooks(notebook_dir)
    if not sources:
        raise ReportError(f"no notebooks matching {NOTEBOOK_GLOB} in {notebook_dir}")
    out_dir.mkdir(parents=True, exist_ok=True)
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
    own_kernels = kernels is None
    kernels = kernels if kernels is not None else Kernels(notebook_dir)
    # set once the run stops (a notebook failed, Ctrl-C, a kill): a notebook that finishes after
    # that is not handed on (a second reader, 2026-12-04: after Ctrl-C the charts notebook, left
    # to finish, still started the static export and the workbook, ~7 s under load)
    stopped = threading.Event()

    def run(i: int, py: Path, work: Path) -> Path:
        progress(f"[{i}/{len(sources)}] {py.stem} …")
        started = time.perf_counter()
        source = to_ipynb(py, work)
        target = out_dir / source.name
        kernel = kernels.take()  # a worker's own: two workers, two kernels
        try:
            if not kernel.fresh_session():  # it died after its last notebook: stopped
                kernel = kernels.new()
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
                extra_arguments=KERNEL_ARGUMENTS,  # (nbclient adds KERNEL_HISTORY)
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
            kernel = kernels.new()  # for a notebook the other worker may still start
            raise ReportError(
                f"notebook {py.name}: its kernel stopped while a cell ran; the machine may be out of "
                "memory, or the notebook ended its own process (close other programs and build again; "
                "run the notebook in JupyterLab to see which cell)"
            ) from None
        except BaseException:
            kernel.close_clients()
            kernel.stop()  # not trusted with another notebook
            kernel = kernels.new()
            raise
        finally:
            kernel.close_clients()
            kernels.give(kernel)
        make_reproducible(target)
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
            finally:
                stopped.set()
                # after a failed notebook or Ctrl-C the notebooks not yet started are not started
                # (the run stops at once, not after all of them); those running finish, and the
                # kernels are stopped, before the folder they run in is removed
                pool.shutdown(wait=True, cancel_futures=True)
                if own_kernels:
                    kernels.close()
    finally:
        papermill_log.setLevel(log_level)
    return executed


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

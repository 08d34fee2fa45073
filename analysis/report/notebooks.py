"""Executing the report notebooks: jupytext percent files run by papermill, parameters
injected, timestamps stripped so the executed copies are reproducible."""

from __future__ import annotations

import asyncio
import errno
import os
import queue
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
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


def strip_timestamps(path: Path) -> None:
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


#: What a kernel imports before its notebook is given to it: the report code every notebook
#: imports first (with pandas, pyarrow and plotly under it, about 1 s of a notebook's run).
WARM_UP = "import analysis.report.notebook, analysis.report.content, analysis.report.data, analysis.charts"
#: The kernel's own log off (not the notebook's output or errors, which come back as messages):
#: jupyter_client interrupts a kernel before shutting it down, and a kernel caught mid-message
#: logs "KeyboardInterrupt caught in kernel" on our stderr.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
KERNEL_START_TIMEOUT = 120


class KernelPool:
    """Kernels started ahead of the notebooks that will run in them.

    A notebook cannot start before its kernel has started (about 0.75 s here) and imported the
    report code (about 1 s more). The report build asks for the kernels as soon as it knows it
    will run the notebooks, before the stages are computed, so that this start-up runs on the
    second core while the stages run on the first; while notebooks run, the next notebooks'
    kernels start beside them. ``ahead`` kernels are started at a time, as many as notebooks run
    at a time.

    Every notebook gets a fresh kernel of its own: nothing is carried from one notebook to the
    next. The warm-up only imports modules (:data:`WARM_UP`), silently and outside the kernel's
    history, so the executed notebooks are the same, byte for byte, as in a kernel started for
    them. A kernel that fails to start fails its notebook, with the error, when the notebook asks
    for it.

    Use as a context manager (or call :meth:`close`): the kernels not handed out are stopped.
    """

    def __init__(self, count: int, ahead: int = 2) -> None:
        self._wanted = count  # kernels still to start
        self._ahead = ahead
        self._starting: list[Future] = []  # kernel managers being started, in start order
        self._launched: list = []  # every kernel manager whose process was started
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._executor: ThreadPoolExecutor | None = None
        self._env = {
            **os.environ,
            # the kernel must import this checkout's `analysis`, installed or not
            "PYTHONPATH": os.pathsep.join(p for p in (str(paths.ROOT), os.environ.get("PYTHONPATH")) if p),
        }

    def start(self) -> None:
        """Start the first kernels now (when started already: nothing)."""
        with self._lock:
            if self._executor is None and not self._closed.is_set():
                self._executor = ThreadPoolExecutor(max_workers=self._ahead, thread_name_prefix="kernel")
                for _ in range(min(self._ahead, self._wanted)):
                    self._start_one()

    def _start_one(self) -> None:  # with the lock held
        assert self._executor is not None
        self._wanted -= 1
        self._starting.append(self._executor.submit(self._start_kernel))

    def _start_kernel(self):
        from jupyter_client.manager import AsyncKernelManager

        # asynchronous: the notebook client (nbclient, under papermill) talks to its kernel
        # through an asynchronous client; this thread only starts and warms the kernel
        km = AsyncKernelManager(kernel_name="python3", config=kernel_config())
        try:
            asyncio.run(self._start_and_warm(km))
        except BaseException:
            _stop(km, now=True)
            raise
        return km

    async def _start_and_warm(self, km) -> None:
        await km.start_kernel(extra_arguments=KERNEL_ARGUMENTS, cwd=str(paths.ROOT), env=self._env)
        with self._lock:
            self._launched.append(km)
        client = km.client()
        client.start_channels()
        try:
            # fails at once when the kernel dies (or close() stops it)
            await client.wait_for_ready(timeout=KERNEL_START_TIMEOUT)
            warm_up = client.execute(WARM_UP, silent=True, store_history=False)
            # the reply's status is not checked: an import that fails here fails again in the
            # notebook's first cell, which reports it with the cell
            while not self._closed.is_set():
                try:
                    reply = await client.get_shell_msg(timeout=0.2)
                except queue.Empty:
                    if not await km.is_alive():
                        raise RuntimeError("the kernel died while it started") from None
                    continue
                if reply["parent_header"].get("msg_id") == warm_up:
                    return
        finally:
            client.stop_channels()

    def take(self):
        """The next started kernel's manager (waits until it is ready); the next kernel starts."""
        self.start()
        with self._lock:
            if not self._starting:
                raise RuntimeError("more kernels taken than the pool was made for")
            future = self._starting.pop(0)
            if self._wanted > 0 and not self._closed.is_set():
                self._start_one()
        km = future.result()
        with self._lock:
            self._launched.remove(km)
        return km

    def close(self) -> None:
        """Stop every kernel not handed out, at once: none of them has run anything of a
        notebook's, so there is nothing to let finish."""
        self._closed.set()
        with self._lock:
            launched, self._launched = self._launched, []
        for km in launched:
            _stop(km, now=True)
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            late, self._launched = self._launched, []  # started while the others were stopped
        for km in late:
            _stop(km, now=True)

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _stop(km, now: bool = False) -> None:
    """Shut a kernel down from any thread (each call has an event loop of its own); ``now``:
    kill it instead of asking it to finish."""
    if km.has_kernel:
        asyncio.run(km.shutdown_kernel(now=now))


def execute_notebooks(
    parameters: dict,
    out_dir: Path,
    progress: Callable[[str], None],
    notebook_dir: Path = paths.NOTEBOOKS,
    lang: str = "nb",
    work: Path | None = None,
    first: str | None = None,
    on_done: Callable[[Path], None] | None = None,
    kernels: KernelPool | None = None,
) -> list[Path]:
    """Execute every notebook with ``parameters``; executed copies go to ``out_dir``, in
    notebook order.

    ``first`` (a notebook's name without suffix) starts before the others, and ``on_done`` is
    called with each notebook's source as soon as it has run: the report build starts the
    static export of the charts notebook's figures while the other notebooks still run.

    Notebooks are independent (each reads the data itself), so they run
    :data:`PARALLEL_NOTEBOOKS` at a time, each in a kernel of its own from ``kernels`` (a
    :class:`KernelPool` made for as many notebooks; default one started here); the first failure
    stops the build. The converted notebooks are written to ``work`` (the build's private scratch
    folder; default a new private temporary folder). A notebook that fails is kept in the private
    state folder (:func:`keep_failed`); a notebook that fails because the disk is full or
    read-only raises that :class:`OSError`, so the build reports it as such.
    """
    from analysis.report import skip_slow_optional_imports

    skip_slow_optional_imports()
    import papermill as pm

    sources = notebooks(notebook_dir)
    if not sources:
        raise ReportError(f"no notebooks matching {NOTEBOOK_GLOB} in {notebook_dir}")
    out_dir.mkdir(parents=True, exist_ok=True)
    config = kernel_config()

    def run(i: int, py: Path, work: Path, pool: KernelPool) -> Path:
        progress(f"[{i}/{len(sources)}] {py.stem} …")
        started = time.perf_counter()
        source = to_ipynb(py, work)
        target = out_dir / source.name
        km = pool.take()
        try:
            pm.execute_notebook(
                str(source),
                str(target),
                parameters=parameters,
                kernel_name="python3",
                km=km,
                progress_bar=False,
                cwd=str(paths.ROOT),
                log_output=False,
                config=config,
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
        finally:
            _stop(km)  # asked to finish: its files are written
        strip_timestamps(target)
        progress(
            label(
                "progress_notebook_done",
                lang,
                name=py.stem,
                seconds=f"{time.perf_counter() - started:.1f}".replace(".", "," if lang == "nb" else "."),
            )
        )
        if on_done is not None:
            on_done(py)
        return target

    with (
        nullcontext(str(work)) if work is not None else tempfile.TemporaryDirectory(prefix="kvalitet-nb-") as folder,
        nullcontext(kernels) if kernels is not None else KernelPool(len(sources), PARALLEL_NOTEBOOKS) as pool,
        ThreadPoolExecutor(max_workers=PARALLEL_NOTEBOOKS) as executor,
    ):
        numbered = list(enumerate(sources, 1))
        start_order = sorted(numbered, key=lambda item: item[1].stem != first)  # stable: the rest in order
        futures = {py: executor.submit(run, i, py, Path(folder), pool) for i, py in start_order}
        return [futures[py].result() for py in sources]


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

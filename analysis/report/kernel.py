"""The kernel the report notebooks share: one per worker of the build, each notebook in a fresh
session (:func:`analysis.report.notebooks.execute_notebooks`). Imported when notebooks run, not
when the build finds the report up to date (jupyter_client: ~0.1 s)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import tempfile
import threading
from typing import Any

from jupyter_client.manager import AsyncKernelManager

from analysis.report.tmp_folders import KERNEL_LOCK, KERNEL_PREFIX, make_folder, remove_dead_folders

#: The longest Unix socket path the kernels' sockets may have: ``sun_path`` holds 108 bytes on
#: Linux and 104 on macOS, the closing NUL included.
SOCKET_PATH_MAX = 103

#: A kernel's private folder: ``kvalitet-kernel-``, the build's process id, ``-`` and 8 random
#: characters (:mod:`analysis.report.tmp_folders`).
FOLDER_PREFIX = KERNEL_PREFIX

#: The lock its build holds on a kernel's folder while the kernel may run: a folder whose lock
#: no process holds is a killed build's, removed when the next kernel starts.
LOCK_NAME = KERNEL_LOCK

#: What a kernel's socket paths begin with in its folder (jupyter_client adds ``-1`` … ``-5``).
SOCKET_NAME = "kernel"


class NotebookKernel(AsyncKernelManager):
    """A kernel that runs notebooks one after another, each as if in a new kernel.

    Before every notebook but the first, :meth:`fresh_session` empties the user namespace and
    counts cells from 1 again (IPython's ``reset``, as ``%reset`` does), and forgets where
    warnings were shown (Python shows a warning once per place and process). Modules stay
    imported, which is the point; what a notebook sets in a module (plotly's renderer) stays
    set for the next, so each notebook sets what it needs itself (``notebook.setup()``).
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._clients: list = []
        #: The kernel's private folder (IPC transport), while it has one, and the lock held on it.
        self.folder: str | None = None
        self._lock: int | None = None
        #: Set by :meth:`kill_now`: a kernel launched after it is killed at once.
        self._killed = False
        self._kill_lock = threading.Lock()

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        # NOTE: over IPC each kernel's sockets (and its connection file) are in a new folder of
        # its own, mode 0700. jupyter_client names a kernel's IPC sockets ``{ip}-1`` … ``{ip}-5``,
        # taking the first numbers whose files do not exist yet, and the kernel creates them only
        # when it binds: two kernels sharing one ``ip`` and starting side by side were given the
        # same paths, the second bound over the first's, and the first's client "didn't respond
        # in 60 seconds" (an earlier attempt at IPC, reverted). In a folder of its own no other
        # kernel or process can be handed or take its addresses between their choice and the
        # kernel's bind, the race TCP had (ports found free, closed, bound later by the kernel:
        # "Address already in use" when two builds ran at once), and no other user can connect.
        if self.transport == "ipc" and self.folder is None:  # (a restart keeps its folder)
            self.folder, self._lock = _private_folder()
            self.ip = os.path.join(self.folder, SOCKET_NAME)
            self.connection_file = os.path.join(self.folder, f"{SOCKET_NAME}.json")
        if self._lock is not None:
            # the kernel holds the folder's lock too: after a kill of the build its kernel runs on
            # for up to a second (until ipykernel sees its parent gone), and a folder removed
            # under a kernel still starting was made again by it, with a connection file of its own
            kw["pass_fds"] = (*kw.get("pass_fds", ()), self._lock)
        return await super()._async_pre_start_kernel(**kw)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        await super()._async_launch_kernel(kernel_cmd, **kw)
        # a kernel still being launched when the build was stopped had no process to kill: it
        # is killed now, and its notebook not run (it ran to its end, 4-12 s after a Ctrl-C)
        with self._kill_lock:
            if self._killed:
                self._kill_group()

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            self._remove_folder()

    def _remove_folder(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)  # (gone already: nothing to do)
            self.folder = None
        if self._lock is not None:
            os.close(self._lock)  # (after: the folder is never unlocked while it is there)
            self._lock = None

    def client(self, **kwargs):
        """A client, closed by :meth:`close_clients` (nbclient closes the clients only of
        kernels it started itself)."""
        kc = super().client(**kwargs)
        self._clients.append(kc)
        return kc

    def close_clients(self) -> None:
        while self._clients:
            self._clients.pop().stop_channels()

    def fresh_session(self) -> bool:
        """The kernel as a new one (nothing to do before it has run a notebook): True. False for
        a kernel that died after its notebook was done (the system out of memory, a notebook's
        last cell ending the process), or does not answer: it is stopped, and the next notebook
        needs a new manager (a stopped one has closed its sockets' context). A second reader,
        2026-12-04: the next notebook waited 60 s for the dead kernel and the build failed,
        where it used to start in a kernel of its own."""
        return not self.has_kernel or asyncio.run(self._fresh_or_stopped())

    async def _fresh_or_stopped(self) -> bool:
        if await self.is_alive() and await self._ran_quietly(FRESH_SESSION):
            return True
        await self.shutdown_kernel(now=True)
        return False

    async def _ran_quietly(self, code: str) -> bool:
        """Whether ``code`` ran without an error. A kernel that answers at all does so in
        milliseconds: 10 s without a reply is a kernel not to be trusted with a notebook."""
        kc = self.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=10)
            reply = await kc.execute_interactive(
                code, silent=True, store_history=False, timeout=10, output_hook=lambda _: None
            )  # (its status is what counts: a traceback on the build's terminal would not)
        except (RuntimeError, TimeoutError):  # (not ready in time, or died; no reply in time)
            return False
        finally:
            self.close_clients()
        return bool(reply["content"]["status"] == "ok")

    def kill_now(self) -> None:
        """Kill the kernel's processes at once, from any thread: the build was stopped (Ctrl-C,
        ``kill``), and the notebook it runs is not wanted. The thread running that notebook then
        finds its kernel dead and stops it as any dead kernel (:meth:`stop`: its folder goes).
        jupyter_client starts a kernel in a session of its own: its process group is the kernel
        and what it started. A kernel not yet launched is killed as soon as it is."""
        with self._kill_lock:
            self._killed = True
            self._kill_group()

    def _kill_group(self) -> None:
        process = getattr(self.provisioner, "process", None)
        if process is not None and process.poll() is None:
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)

    def stop(self) -> None:
        """Stopped at once: the results of its notebooks are all back (a graceful shutdown
        waited ~1 s for the kernel to tear pandas and plotly down, 0.12 s stopped at once)."""
        try:
            if self.has_kernel:
                asyncio.run(self._stop_now())
        finally:
            self._remove_folder()  # also a kernel whose start failed (no kernel to shut down)

    async def _stop_now(self) -> None:
        await self.shutdown_kernel(now=True)


#: What :meth:`NotebookKernel.fresh_session` runs: the warnings filters set anew (which makes
#: Python forget where each warning was shown), then IPython's reset (the namespace, so last).
FRESH_SESSION = """\
import warnings
filters = warnings.filters[:]
warnings.resetwarnings()
warnings.filters[:] = filters
get_ipython().reset(new_session=True)
"""


def _private_folder() -> tuple[str, int]:
    """A new folder, mode 0700, in the temporary folder, or in ``/tmp`` where a socket path in
    the temporary folder would be longer than a Unix socket's address can be (a deep ``$TMPDIR``,
    e.g. pytest's ``tmp_path``: the kernel could not bind); and the descriptor holding its lock
    (:data:`LOCK_NAME`). Killed builds' folders there are removed first
    (:mod:`analysis.report.tmp_folders`)."""
    # (the longest socket is ``kernel-5``: a new folder's are numbered 1 to 5; the process id is
    # at most 7 digits, Linux's pid_max)
    longest = os.path.join(tempfile.gettempdir(), FOLDER_PREFIX + "9" * 7 + "-" + "x" * 8, f"{SOCKET_NAME}-5")
    base = tempfile.gettempdir() if len(os.fsencode(longest)) <= SOCKET_PATH_MAX else "/tmp"
    remove_dead_folders(base, FOLDER_PREFIX, LOCK_NAME)
    return make_folder(FOLDER_PREFIX, base, LOCK_NAME)

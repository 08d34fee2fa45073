"""The report's notebook kernels: each one's addresses are its own from the moment they are
chosen (no other kernel or process can be handed or take them before the kernel binds them),
no other user can connect, and nothing of a kernel is left once it has stopped (a killed
build's, once the next kernel has started)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
from contextlib import nullcontext
from pathlib import Path

import pytest
from conftest import wait_until_unlocked

from analysis import paths
from analysis.errors import ReportError
from analysis.report import kernel as kernel_module
from analysis.report.kernel import NotebookKernel
from analysis.report.notebooks import execute_notebooks, kernel_config

pytestmark = pytest.mark.slow  # (they start kernels)

NOBODY = 65534


async def _answers(km: NotebookKernel) -> bool:
    """Whether the kernel answers (kernel_info) within 60 s."""
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=60)
        return True
    except RuntimeError:  # ("Kernel died before replying", "didn't respond in 60 seconds")
        return False
    finally:
        km.close_clients()


def _permissions(folder: Path) -> int:
    """Who may read, write and enter ``folder`` (jupyter_client also sets the sticky bit on the
    folder of a connection file it writes: only its owner may remove the file)."""
    return folder.stat().st_mode & 0o777


def _addresses(km: NotebookKernel) -> list[str]:
    """The kernel's five socket addresses as the manager gave them to it."""
    info = km.get_connection_info()
    ports = [info[f"{name}_port"] for name in ("shell", "iopub", "stdin", "control", "hb")]
    if info["transport"] == "tcp":
        return [f"tcp://{info['ip']}:{port}" for port in ports]
    return [f"ipc://{info['ip']}-{port}" for port in ports]


def test_kernels_started_side_by_side_each_get_addresses_of_their_own():
    """Two kernels started at once, as the build's two workers start theirs: jupyter_client
    numbers IPC sockets by which files exist, so two kernels sharing one path prefix were given
    the same five (an earlier attempt at IPC: the second bound over the first, whose client
    "didn't respond in 60 seconds"). Each answers, in a private folder of its own that is gone
    once it has stopped."""
    kernels = [NotebookKernel(kernel_name="python3", config=kernel_config()) for _ in range(2)]

    async def start_both() -> list[bool]:
        await asyncio.gather(*(km.start_kernel() for km in kernels))
        return [await _answers(km) for km in kernels]

    try:
        answered = asyncio.run(start_both())
        first, second = (set(_addresses(km)) for km in kernels)
        folders = [Path(km.folder) for km in kernels if km.folder is not None]
        modes = [_permissions(folder) for folder in folders]
        owners = [folder.stat().st_uid for folder in folders]
    finally:
        for km in kernels:
            km.stop()
    assert answered == [True, True]
    assert len(first) == len(second) == 5 and not first & second
    assert len(set(folders)) == 2 and modes == [0o700, 0o700] and owners == [os.getuid()] * 2
    for addresses, folder in zip((first, second), folders):
        assert all(address.startswith(f"ipc://{folder}{os.sep}") for address in addresses)
    assert not any(folder.exists() for folder in folders)


class _TakenBeforeItBinds(NotebookKernel):
    """A kernel started as the build starts one, but between the choice of its addresses and
    its launch another user's process takes every one of them it can, and holds them while the
    kernel starts: what another build on the machine could do by chance (over TCP it asks the
    system for a free port, and is handed one this kernel was given)."""

    taken: list[str]

    async def _async_launch_kernel(self, kernel_cmd, **kw) -> None:
        self.taken, self._release = _take_as_another_user(_addresses(self))
        await super()._async_launch_kernel(kernel_cmd, **kw)


def _take_as_another_user(addresses: list[str]):
    """A child process, as the user nobody, binds every address it can; returns those it bound
    and a function that ends the child (it holds them until then)."""
    results_r, results_w = os.pipe()
    hold_r, hold_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # (the child: only system calls, then _exit; no pytest, no threads)
        status = 1
        try:
            os.close(results_r)
            os.close(hold_w)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            held, taken = [], []
            for address in addresses:
                transport, where = address.split("://")
                try:
                    if transport == "tcp":
                        host, port = where.rsplit(":", 1)
                        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                        sock.bind((host, int(port)))
                    else:
                        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                        sock.bind(where)
                    sock.listen()
                except OSError:
                    continue
                held.append(sock)
                taken.append(address)
            os.write(results_w, json.dumps(taken).encode() + b"\n")
            os.read(hold_r, 1)  # until the kernel has started (or died)
            status = 0
        finally:
            os._exit(status)
    os.close(results_w)
    os.close(hold_r)
    with os.fdopen(results_r) as results:
        taken = json.loads(results.readline())

    def release() -> None:
        os.close(hold_w)
        os.waitpid(pid, 0)

    return taken, release


@pytest.mark.skipif(not hasattr(os, "fork") or os.geteuid() != 0, reason="needs root to act as another user")
def test_no_other_user_can_take_a_kernels_addresses_before_it_binds_them():
    """The flaky start seen in CI with two builds at once ("Address already in use", "Kernel
    died before replying to kernel_info"), made certain: every address is taken between its
    choice and the kernel's bind. Over TCP all five can be (the kernel then dies at its start);
    in a private folder none can, and the kernel answers."""
    km = _TakenBeforeItBinds(kernel_name="python3", config=kernel_config())
    try:

        async def start() -> bool:
            try:
                await km.start_kernel()  # (returns once the process is started: it binds later)
                return await _answers(km)
            finally:
                km._release()

        answered = asyncio.run(start())
    finally:
        km.stop()
    assert answered  # (over TCP: "Kernel died before replying to kernel_info")
    assert km.taken == []


def test_a_kernel_starts_when_the_temporary_folder_is_too_deep_for_a_socket(tmp_path, monkeypatch):
    """A Unix socket's path has at most ~104 bytes; under a deeper temporary folder the kernel
    could not bind its sockets, so its folder is made in /tmp instead (still its own, 0700)."""
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    km = NotebookKernel(kernel_name="python3", config=kernel_config())
    try:
        asyncio.run(km.start_kernel())
        answered = asyncio.run(_answers(km))
        assert km.folder is not None
        folder = Path(km.folder)
        mode = _permissions(folder)
    finally:
        km.stop()
    assert answered
    assert folder.parent == Path("/tmp") and folder.name.startswith(kernel_module.FOLDER_PREFIX)
    assert mode == 0o700
    assert not folder.exists()


#: A cell that writes down its kernel's folder as the kernel itself sees it (its connection file)
#: and the folder's permissions, for the test to check after the build.
RECORD_FOLDER = """\
import json, os, pathlib
from ipykernel import get_connection_file
folder = pathlib.Path(get_connection_file()).parent
pathlib.Path(out_dir, "{name}.json").write_text(json.dumps({{
    "folder": str(folder),
    "mode": os.stat(folder).st_mode & 0o777,
    "sockets": sorted(p.name for p in folder.iterdir() if p.is_socket()),
}}))
"""


@pytest.mark.parametrize("first_fails", [False, True], ids=["built", "a notebook failed"])
def test_the_kernels_folders_are_private_and_gone_after_the_build(tmp_path, monkeypatch, socket_tmp, first_fails):
    """Each notebook's kernel runs in a folder of its own, 0700, in the temporary folder; once
    the notebooks have run (or one has failed) nothing of the kernels is left there."""
    shared = socket_tmp
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    folder = tmp_path / "notebooks"
    folder.mkdir()
    parameters = '# %% tags=["parameters"]\nout_dir = None\n\n'
    for name, fails in (("01_first", first_fails), ("02_second", False)):
        cells = "# %%\n" + RECORD_FOLDER.format(name=name)
        if fails:
            cells += "raise ValueError('first fails')\n"
        (folder / f"{name}.py").write_text(parameters + cells, encoding="utf-8")
    failure = pytest.raises(ReportError, match=r"notebook 01_first\.py failed") if first_fails else nullcontext()
    with failure:
        execute_notebooks({"out_dir": str(tmp_path)}, tmp_path / "executed", lambda _: None, notebook_dir=folder)
    seen = [json.loads((tmp_path / f"{name}.json").read_text()) for name in ("01_first", "02_second")]
    left = sorted(p.name for p in shared.iterdir())
    folders = {Path(s["folder"]) for s in seen}
    assert len(folders) == 2  # two workers, two kernels
    assert all(f.parent == shared and f.name.startswith(kernel_module.FOLDER_PREFIX) for f in folders)
    assert [s["mode"] for s in seen] == [0o700, 0o700]
    assert all(s["sockets"] == [f"{kernel_module.SOCKET_NAME}-{n}" for n in range(1, 6)] for s in seen)
    assert left == []


#: A build's kernel in a process of its own: started and ready, its folder printed, stopped when told.
HOLD_A_KERNEL = """\
import asyncio, sys
from analysis.report.kernel import NotebookKernel
from analysis.report.notebooks import kernel_config
km = NotebookKernel(kernel_name="python3", config=kernel_config())
async def start():
    await km.start_kernel()
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=60)
    km.close_clients()
asyncio.run(start())
print(km.folder, flush=True)
sys.stdin.read()
km.stop()
"""


def test_a_killed_builds_kernel_folders_are_removed_when_the_next_kernel_starts(monkeypatch, socket_tmp):
    """A build killed outright (``kill -9``) cannot remove its kernels' folders; the next kernel
    started removes them, and only them: a running build's kernel folders (another process's,
    or this one's) are left alone."""
    shared = socket_tmp
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    env = dict(os.environ, TMPDIR=str(shared), PYTHONPATH=str(paths.ROOT))
    builds = [
        subprocess.Popen(
            [sys.executable, "-c", HOLD_A_KERNEL], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    kernels = [NotebookKernel(kernel_name="python3", config=kernel_config()) for _ in range(2)]
    try:
        killed, running = (Path(build.stdout.readline().strip()) for build in builds)
        builds[0].kill()
        builds[0].wait()
        wait_until_unlocked(killed / kernel_module.LOCK_NAME)  # (its kernel ends: it saw its build gone)
        asyncio.run(kernels[0].start_kernel())
        own = Path(kernels[0].folder or "")
        asyncio.run(kernels[1].start_kernel())  # (after this process's first)
        left = {path: path.exists() for path in (killed, running, own)}
        answers = [asyncio.run(_answers(km)) for km in kernels]
    finally:
        for km in kernels:
            km.stop()
        for build in builds:
            build.communicate("")
    assert left == {killed: False, running: True, own: True}
    assert answers == [True, True]


#: A kernel's folder made when no file descriptor is left: the folder needs none, its lock file
#: does (EMFILE), as a full disk's inodes, a file system without hard links or locks would fail it.
NO_DESCRIPTOR_LEFT = """\
import errno, os, resource, tempfile
from analysis.report.kernel import _private_folder
tempfile.gettempdir()  # (found while it can open a file to try it)
resource.setrlimit(resource.RLIMIT_NOFILE, (64, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
held = []
while True:
    try:
        held.append(os.open(os.devnull, os.O_RDONLY))
    except OSError:
        break
try:
    _private_folder()
except OSError as err:
    print(errno.errorcode[err.errno])
"""


def test_a_kernel_folder_whose_lock_cannot_be_taken_is_not_left_behind(socket_tmp):
    """A folder without its lock file is never removed by another build's start (it may be
    one being made); one whose lock file could not be made is removed by the start that failed."""
    env = dict(os.environ, TMPDIR=str(socket_tmp), PYTHONPATH=str(paths.ROOT))
    run = subprocess.run([sys.executable, "-c", NO_DESCRIPTOR_LEFT], env=env, capture_output=True, text=True)
    left = sorted(p.name for p in socket_tmp.iterdir())
    assert (run.returncode, run.stdout, run.stderr) == (0, "EMFILE\n", "")  # (failed where meant to)
    assert left == []

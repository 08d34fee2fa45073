"""``kvalitet``: the command line of the quality-report suite.

Exit codes: 0 success, 1 invalid input (every problem printed as
``FILE:ROW:COLUMN: VALUE — what is wrong (what to do)``), an output that could not be written
(``could not write FILE: … ; nothing was changed``) or an unexpected error (one line and a
private log, see :mod:`analysis.console`), 2 usage (or a system the commands do not run on:
Windows outside WSL), 130 interrupted by Ctrl-C (SIGINT) and 143 stopped by ``kill`` (SIGTERM),
128 + the signal's number as shells report it (the earlier output kept, what the run made
removed), 141 its output's reader went away (``… | head``). No command prints a traceback.

Building the parser loads no data library: each command imports pandas, pyarrow and the rest
inside its ``run()``, so ``--help``, ``--version`` and usage errors answer at once
(``tests/test_cli_startup.py`` keeps it so).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import sys
from collections.abc import Callable

#: The exit code of an interrupted run (Ctrl-C): 128 + SIGINT, as shells report it.
EXIT_INTERRUPTED = 130
#: The exit code of a run stopped by ``kill`` (SIGTERM): 128 + SIGTERM.
EXIT_TERMINATED = 143
#: The signal that stopped the run, when it was SIGTERM (the handler notes it; Ctrl-C's is
#: Python's own). Set anew for each run of :func:`main`.
_stopped_by: list[int] = []
#: The exit code when the reader of the output went away (``kvalitet validate … | head``):
#: 128 + SIGPIPE, as shells report a program the closed pipe stopped. Not 0: a command that
#: was writing files stopped before it finished (its files are not replaced).
EXIT_BROKEN_PIPE = 141

#: Sub-command modules in analysis/commands, in the order ``--help`` lists them.
COMMANDS = ["fetch", "validate", "ingest", "derive", "flags", "integration", "survey", "wellbeing", "report", "synth"]


def build_parser() -> argparse.ArgumentParser:
    from analysis import __version__

    parser = argparse.ArgumentParser(
        prog="kvalitet",
        description="Analytics for the annual quality report: Studiebarometeret, SHoT, gender balance.",
    )
    parser.add_argument("--version", action="version", version=f"kvalitet {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"analysis.commands.{name}")
        except ModuleNotFoundError as err:
            if err.name == f"analysis.commands.{name}":
                continue  # command not part of this build
            raise
        module.register(sub)
    return parser


def command() -> int:
    """The ``kvalitet`` script and ``python -m analysis``: :func:`main`, and a quick end.

    NOTE: what it earns: after the command, the interpreter's last garbage collections walk
    every object the libraries made, ~0.2 s of ``kvalitet survey`` at 3 M respondents (0.24 →
    0.04 s from the last line printed to the process's end). Frozen (``gc.freeze``), they are
    skipped, and the process's end frees them all the same. What that gives up: a cycle of
    objects that is garbage when the command ends is not collected, so a finalizer in it does
    not run; every file, lock, browser and kernel is closed by the command itself before it
    returns (``with`` blocks and ``finally``), none by a finalizer. Only here, not in
    :func:`main`: tests call main() many times in one process, where a frozen cycle is never
    collected."""
    import gc

    code = main()
    gc.freeze()
    return code


def main(argv: list[str] | None = None) -> int:
    """Run one command; its exit code (see the module docstring). Tests call this in-process;
    the ``kvalitet`` script and ``python -m analysis`` (``analysis/__main__.py``) exit with it."""
    # `kill` (SIGTERM) stops a run like Ctrl-C: temporary files removed, the lock released,
    # the earlier output kept (a kill -9 is repaired at the next start instead). Everything
    # from the handler on is inside the try, so an interrupt at any moment, even during the
    # first imports, ends in the one-line message and not a traceback.
    terminate = None
    streams = sys.stdout, sys.stderr
    _stopped_by.clear()
    try:
        terminate = _on_sigterm()
        from analysis.console import SafeStream

        sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)
        return _main(argv)
    except KeyboardInterrupt:
        return _interrupted()
    finally:
        sys.stdout, sys.stderr = streams
        if terminate is not None:
            _restore_sigterm(terminate)
        try:
            sys.stdout.flush()
        except (BrokenPipeError, OSError):
            # ``kvalitet … | head``: the reader has gone; what is left goes nowhere (else the
            # interpreter's own flush at exit prints "Exception ignored … BrokenPipeError")
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), streams[0].fileno())


def _platform_problem() -> str | None:
    """Why no command runs here, or None. The commands lock their outputs and the record of
    written files with POSIX file locks (``fcntl``), and the report's notebook kernels talk over
    Unix sockets in private folders: Windows has neither, and a command started there would stop
    with an ImportError half-way. ``--help`` and ``--version`` still answer."""
    try:
        import fcntl  # noqa: F401 - only whether it is there
    except ImportError:
        return (
            f"does not run on this system ({sys.platform}): it needs POSIX file locks (fcntl) and Unix "
            "sockets (on Windows, run it in WSL, the Windows Subsystem for Linux, with Ubuntu; see README)"
        )
    return None


def _interrupted() -> int:
    # what was put in place before the signal was handled (one held back over a swap comes
    # after it); ``analysis.outputs`` not loaded: nothing was written
    outputs = sys.modules.get("analysis.outputs")
    replaced = list(dict.fromkeys(outputs.REPLACED)) if outputs is not None else []
    if replaced:
        names = ", ".join(str(path) for path in replaced)
        print(f"kvalitet: interrupted after {names} was written (whole); nothing else was replaced", file=sys.stderr)
    else:
        print("kvalitet: interrupted; nothing was replaced", file=sys.stderr)
    return EXIT_TERMINATED if _stopped_by else EXIT_INTERRUPTED


def _restore_sigterm(previous: signal.Handlers | Callable | int | None) -> None:
    """Put back the SIGTERM handler main() replaced. ``signal.signal`` first runs a pending
    handler: a ``kill`` that came during the cleanup raises here; the run has already stopped,
    so it is not raised again (three tries: a fourth kill in that instant leaves ours in place,
    which only an in-process caller would notice)."""
    for _ in range(3):
        try:
            signal.signal(signal.SIGTERM, previous)
            return
        except KeyboardInterrupt:
            continue


def _on_sigterm():
    """Turn SIGTERM into KeyboardInterrupt; the handler it replaces (None off the main thread)."""

    def interrupt(signum, frame):
        if not _stopped_by:
            _stopped_by.append(signum)
        raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread
        return None


def _main(argv: list[str] | None) -> int:
    command = "(start)"
    outputs = sys.modules.get("analysis.outputs")
    if outputs is not None:  # an earlier command in this process (a test, a notebook)
        outputs.REPLACED.clear()
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        command = getattr(args, "command", None) or command
        if not getattr(args, "func", None):
            parser.print_help(sys.stderr)
            return 2
        unsupported = _platform_problem()
        if unsupported:
            print(f"kvalitet {command}: {unsupported}", file=sys.stderr)
            return 2
        from analysis.readers.xlsx import sheet_choice

        with sheet_choice(getattr(args, "sheet", None)):
            return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return _interrupted()
    except BrokenPipeError:
        # nothing to say: the reader of the output has gone, and stderr is often the same pipe
        return EXIT_BROKEN_PIPE
    except SystemExit:
        raise
    except BaseException as err:  # noqa: BLE001 - no traceback, ever: one line and a private log
        from analysis.errors import OutputError, caused_by_interrupt

        if caused_by_interrupt(err):
            return _interrupted()
        from analysis.console import unexpected_line

        if isinstance(err, OutputError):
            print(f"kvalitet {command}: {err}", file=sys.stderr)
            return 1
        print(unexpected_line(command, err), file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""``kvalitet``: the command line of the quality-report suite.

Exit codes: 0 success, 1 invalid input (every problem printed as
``FILE:ROW:COLUMN: VALUE — what is wrong (what to do)``), an output that could not be written
(``could not write FILE: … ; nothing was changed``) or an unexpected error (one line and a
private log, see :mod:`analysis.console`), 2 usage. No command prints a traceback.

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


def main(argv: list[str] | None = None) -> int:
    from analysis.console import SafeStream

    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)
    # `kill` (SIGTERM) stops a run like Ctrl-C: temporary files removed, the lock released,
    # the earlier output kept (a kill -9 is repaired at the next start instead)
    terminate = _on_sigterm()
    try:
        return _main(argv)
    finally:
        if terminate is not None:
            signal.signal(signal.SIGTERM, terminate)
        try:
            sys.stdout.flush()
        except (BrokenPipeError, OSError):
            # ``kvalitet … | head``: the reader has gone; what is left goes nowhere (else the
            # interpreter's own flush at exit prints "Exception ignored … BrokenPipeError")
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), streams[0].fileno())
        sys.stdout, sys.stderr = streams


def _on_sigterm():
    """Turn SIGTERM into KeyboardInterrupt; the handler it replaces (None off the main thread)."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread
        return None


def _main(argv: list[str] | None) -> int:
    from analysis.console import unexpected_line
    from analysis.errors import OutputError

    command = "(start)"
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        command = getattr(args, "command", None) or command
        if not getattr(args, "func", None):
            parser.print_help(sys.stderr)
            return 2
        from analysis.readers.xlsx import sheet_choice

        with sheet_choice(getattr(args, "sheet", None)):
            return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("kvalitet: interrupted; nothing was replaced", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OutputError as err:
        print(f"kvalitet {command}: {err}", file=sys.stderr)
        return 1
    except SystemExit:
        raise
    except BaseException as err:  # noqa: BLE001 - no traceback, ever: one line and a private log
        print(unexpected_line(command, err), file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

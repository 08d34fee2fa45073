"""``kvalitet``: the command line of the quality-report suite.

Exit codes: 0 success, 1 invalid input (every problem printed as
``FILE:ROW:COLUMN: VALUE — what is wrong (what to do)``), 2 usage.

Building the parser loads no data library: each command imports pandas, pyarrow and the rest
inside its ``run()``, so ``--help``, ``--version`` and usage errors answer at once
(``tests/test_cli_startup.py`` keeps it so).
"""

from __future__ import annotations

import argparse
import importlib
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
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("kvalitet: interrupted; nothing was replaced", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

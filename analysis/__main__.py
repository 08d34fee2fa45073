"""``python -m analysis``: the ``kvalitet`` command (the same :func:`analysis.cli.command`)."""

import contextlib
import os
import sys

from analysis.cli import EXIT_INTERRUPTED, EXIT_TERMINATED, command

code = command()
if code in (EXIT_INTERRUPTED, EXIT_TERMINATED):
    # Under ``python -m`` an interrupt caught inside code CPython compiled from a string (a
    # dataclass or namedtuple being built during a lazy import) still marks the run as "ended
    # by Ctrl-C", and the interpreter then ends itself by SIGINT (status -2) after our message
    # instead of exiting 130 or 143 (the installed ``kvalitet`` script is not affected). main()'s
    # cleanup has run: the lock, the temporary folders and every notebook started have been
    # dealt with in its ``finally`` blocks; leave with the documented code.
    for stream in (sys.stderr, sys.stdout):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
sys.exit(code)

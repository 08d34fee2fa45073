"""``kvalitet ingest [--data DIR] [--out DIR]``: raw -> validated Parquet + manifest."""

from __future__ import annotations

import sys
from pathlib import Path

from analysis import paths
from analysis.commands.common import add_sheet_argument, guarded
from analysis.errors import shown
from analysis.ingest import VALIDATED_KIND, read_datasets, write_validated_into
from analysis.outputs import OutputFolder, input_problem


def register(sub) -> None:
    p = sub.add_parser("ingest", help="read every raw file and write validated Parquet (all or nothing)")
    p.add_argument("--data", type=Path, default=paths.RAW, metavar="DIR", help="raw folder (default data/raw)")
    p.add_argument("--out", type=Path, default=paths.VALIDATED, metavar="DIR",
                   help="output folder (default data/validated)")
    add_sheet_argument(p)
    p.set_defaults(func=guarded(run))


def run(args) -> int:
    usage = input_problem(args.out, [args.data], folder=True)
    if usage:
        print(f"kvalitet ingest: {usage}", file=sys.stderr)
        return 2
    # the output is locked for the whole run: a second ingest into it stops at once
    with OutputFolder(args.out, VALIDATED_KIND, inputs=[args.data]) as staged:
        for note in staged.notes:
            print(f"  note: {note}")
        datasets = read_datasets(args.data)
        for r in datasets.results:
            extra = f", {r.suppressed} suppressed cells" if r.suppressed else ""
            print(f"read {shown(r.path.relative_to(args.data))}: {r.kind}, {r.rows} rows{extra}")
            for w in r.warnings:
                print(f"  warning: {w}")
        for note in datasets.notes:
            print(f"  note: {note}")
        write_validated_into(datasets, Path(args.data), staged.path)
    out = Path(args.out)
    for name, frame in sorted(datasets.frames.items()):
        print(f"wrote {shown(out / (name + '.parquet'))}: {len(frame)} rows")
    print(f"wrote {shown(out / 'manifest.json')}")
    return 0

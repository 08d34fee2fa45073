"""``kvalitet ingest [--data DIR] [--out DIR]``: raw -> validated Parquet + manifest."""

from __future__ import annotations

import sys
from pathlib import Path

from analysis import paths
from analysis.commands.common import add_sheet_argument, guarded


def register(sub) -> None:
    p = sub.add_parser("ingest", help="read every raw file and write validated Parquet (all or nothing)")
    p.add_argument("--data", type=Path, default=paths.RAW, metavar="DIR", help="raw folder (default data/raw)")
    p.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="output folder (default: validated/ beside the raw folder, e.g. data/validated)",
    )
    add_sheet_argument(p)
    p.set_defaults(func=guarded(run))


def run(args) -> int:
    from analysis import pipeline
    from analysis.errors import shown
    from analysis.outputs import input_problem

    stages = pipeline.Stages.of(args.data)
    if args.out is not None:
        stages = pipeline.Stages(stages.raw, Path(args.out).resolve(), stages.derived)
    usage = input_problem(stages.validated, [args.data], folder=True)
    if usage:
        print(f"kvalitet ingest: {usage}", file=sys.stderr)
        return 2
    manifest = pipeline.validate_stage(stages, code=pipeline.code_fingerprint(), force=True, progress=print)
    for name, info in sorted(manifest.get("datasets", {}).items()):
        print(f"wrote {shown(stages.validated / (name + '.parquet'))}: {info['rows']} rows")
    print(f"wrote {shown(stages.validated / pipeline.MANIFEST)}")
    return 0

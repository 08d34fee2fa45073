"""``kvalitet ingest [--data DIR] [--out DIR]``: raw -> validated Parquet + manifest."""

from __future__ import annotations

from pathlib import Path

from analysis import paths
from analysis.commands.common import guarded


def register(sub) -> None:
    p = sub.add_parser("ingest", help="read every raw file and write validated Parquet (all or nothing)")
    p.add_argument("--data", type=Path, default=paths.RAW, metavar="DIR", help="raw folder (default data/raw)")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="output folder (default: validated/ beside the raw folder, e.g. data/validated)")
    p.set_defaults(func=guarded(run))


def run(args) -> int:
    from analysis import pipeline

    stages = pipeline.Stages.of(args.data)
    if args.out is not None:
        stages = pipeline.Stages(stages.raw, Path(args.out).resolve(), stages.derived)
    manifest = pipeline.validate_stage(stages, code=pipeline.code_fingerprint(), force=True, progress=print)
    for name, info in sorted(manifest.get("datasets", {}).items()):
        print(f"wrote {stages.validated / (name + '.parquet')}: {info['rows']} rows")
    print(f"wrote {stages.validated / pipeline.MANIFEST}")
    return 0

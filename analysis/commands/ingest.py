"""``kvalitet ingest [--data DIR] [--out DIR]``: raw -> validated Parquet + manifest."""

from __future__ import annotations

from pathlib import Path

from analysis import paths
from analysis.commands.common import guarded
from analysis.ingest import read_datasets, write_validated


def register(sub) -> None:
    p = sub.add_parser("ingest", help="read every raw file and write validated Parquet (all or nothing)")
    p.add_argument("--data", type=Path, default=paths.RAW, metavar="DIR", help="raw folder (default data/raw)")
    p.add_argument("--out", type=Path, default=paths.VALIDATED, metavar="DIR",
                   help="output folder (default data/validated)")
    p.set_defaults(func=guarded(run))


def run(args) -> int:
    datasets = read_datasets(args.data)
    for r in datasets.results:
        extra = f", {r.suppressed} suppressed cells" if r.suppressed else ""
        print(f"read {r.path.relative_to(args.data)}: {r.kind}, {r.rows} rows{extra}")
        for w in r.warnings:
            print(f"  warning: {w}")
    for note in datasets.notes:
        print(f"  note: {note}")
    out = write_validated(datasets, Path(args.data), args.out)
    for name, frame in sorted(datasets.frames.items()):
        print(f"wrote {out / (name + '.parquet')}: {len(frame)} rows")
    print(f"wrote {out / 'manifest.json'}")
    return 0

"""``kvalitet derive [--data DIR] [--config FILE] [--force]``: bring the validated and derived
stages up to date (what ``kvalitet report`` does first), for use without the report."""

from __future__ import annotations

from pathlib import Path

from analysis import paths
from analysis.commands.common import guarded, settings_or_usage


def register(sub) -> None:
    p = sub.add_parser(
        "derive",
        help="raw -> validated -> derived tables (flags, integration, survey, well-being); only what changed",
        description="Run the stages for a raw folder: validated Parquet beside it (validated/) and the "
        "derived tables the report reads (derived/). A stage whose inputs, settings and code are "
        "unchanged is not run again.",
    )
    p.add_argument("--data", type=Path, default=paths.RAW, metavar="DIR", help="raw folder (default data/raw)")
    p.add_argument("--config", type=Path, metavar="FILE", help="settings file (default config/kvalitet.toml)")
    p.add_argument("--force", action="store_true", help="run every stage again")
    p.set_defaults(func=guarded(run))


def run(args) -> int:
    from analysis import pipeline

    settings = settings_or_usage(args.config, "derive")
    if settings is None:
        return 2
    stages = pipeline.run(args.data, settings, force=args.force, progress=print)
    for name in sorted(pipeline.read_derived(stages)):
        print(f"  {stages.derived / (name + '.parquet')}")
    return 0

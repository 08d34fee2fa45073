"""``kvalitet report``: build the annual quality report from a raw-data folder."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from analysis import paths


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report",
        help="build the quality report (HTML, PNG/SVG, Excel, executed notebooks)",
        description=(
            "Execute the notebooks and write the report to --out: index.html (works offline), "
            "PNG and SVG per chart, an Excel workbook, the executed notebooks and manifest.json. "
            "The earlier report is replaced only when the build succeeds."
        ),
    )
    parser.add_argument(
        "--year",
        type=int,
        default=None,
        help="report year (default: the latest year with the institution's registered "
        "students, DBH table 123; else of its other gender or survey data)",
    )
    parser.add_argument(
        "--institution", default="1150", metavar="CODE", help="DBH institution code (default: 1150, NTNU)"
    )
    parser.add_argument(
        "--lang", choices=["nb", "en"], default="nb", help="language of charts and report text (default: nb)"
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=paths.RAW,
        metavar="DIR",
        help=f"raw-data folder in the layout of data/raw (default: {paths.RAW})",
    )
    parser.add_argument(
        "--out", type=Path, default=paths.REPORT, metavar="DIR", help=f"output folder (default: {paths.REPORT})"
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="settings file: gender threshold, survey minimum n, indices (default config/kvalitet.toml)",
    )
    parser.add_argument(
        "--faculty", metavar="CODE", help="the same report for one faculty (a three-digit faculty code such as 271)"
    )
    parser.add_argument(
        "--allow-empty",
        action="store_true",
        help="build a report for an institution with no data of its own (national figures "
        "and comparisons only) instead of stopping with exit 1",
    )
    parser.add_argument("--no-static", action="store_true", help="skip the PNG/SVG export (no browser needed)")
    parser.add_argument(
        "--force", action="store_true", help="rebuild every stage and the report even when nothing changed"
    )
    from analysis.commands.common import add_sheet_argument

    add_sheet_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from analysis.errors import InputError, OutputError, ReportError, shown
    from analysis.outputs import input_problem, write_error
    from analysis.report.build import build_report

    if not args.institution.isdigit():
        print(f"kvalitet report: --institution must be a DBH code like 1150, got {args.institution!r}", file=sys.stderr)
        return 2
    if not Path(args.data).is_dir():
        print(f"kvalitet report: data folder not found: {shown(args.data)} (give --data DIR)", file=sys.stderr)
        return 2
    from analysis.commands.common import sheet_usage

    usage = sheet_usage(args)
    if usage:
        print(f"kvalitet report: {usage}", file=sys.stderr)
        return 2
    usage = input_problem(args.out, [args.data] + ([args.config] if args.config else []), folder=True)
    if usage:
        print(f"kvalitet report: {usage}", file=sys.stderr)
        return 2
    from analysis.commands.common import settings_or_usage

    settings = settings_or_usage(args.config, "report")
    if settings is None:
        return 2
    if args.faculty is not None and not (args.faculty.isdigit() and len(args.faculty) == 3):
        print(
            f"kvalitet report: --faculty must be a three-digit faculty code like 271, got {args.faculty!r}",
            file=sys.stderr,
        )
        return 2
    from analysis.charts.labels import label

    lang = args.lang
    started = time.perf_counter()
    try:
        out = build_report(
            year=args.year,
            institution=args.institution,
            lang=lang,
            data_dir=args.data,
            out_dir=args.out,
            progress=lambda line: print(line, flush=True),
            static=not args.no_static,
            settings=settings,
            force=args.force,
            faculty=args.faculty,
            allow_empty=args.allow_empty,
        )
    except InputError as err:
        print(err, file=sys.stderr)
        print(label("report_not_built", lang), file=sys.stderr)
        return 1
    except ReportError as err:
        print(f"kvalitet report: {err}", file=sys.stderr)
        print(label("report_not_built", lang), file=sys.stderr)
        return 1
    except OutputError as err:  # busy, refused, or the disk is full or read-only
        print(f"kvalitet report: {err}", file=sys.stderr)
        print(label("report_not_built", lang), file=sys.stderr)
        return 1
    except OSError as err:
        failed = write_error(args.out, err)
        if failed is None:
            raise  # not about the output: an unexpected error (one line and a log, by the CLI)
        print(f"kvalitet report: {failed}", file=sys.stderr)
        print(label("report_not_built", lang), file=sys.stderr)
        return 1
    seconds = f"{time.perf_counter() - started:.0f}"
    print(label("progress_done", lang, seconds=seconds, path=shown(out / "index.html")))
    return 0

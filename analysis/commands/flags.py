"""``kvalitet flags PATH… [--threshold 40] [--level …] [--institution CODE] [--out FILE]``: gender-imbalance flags."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.commands.common import add_sheet_argument, guarded, inputs, print_problems, read_inputs, settings_or_usage
from analysis.commands.metric_output import add_table_output_arguments, check_out_path, write_or_print
from analysis.errors import InputError, Problem
from analysis.metrics.levels import AGGREGATE_LEVELS
from analysis.parsing import ParseError, parse_percent
from analysis.words import percent

if TYPE_CHECKING:  # pandas and the metric load when the command runs, not to build the CLI
    import pandas as pd


def _threshold_pct(text: str) -> Fraction:
    from analysis.settings import threshold_share  # not to build the parser (tests/test_cli_startup.py)

    try:
        value = parse_percent(text)
    except ParseError as err:
        raise argparse.ArgumentTypeError(f"{text!r}: {err.message} ({err.hint})") from None
    try:
        return threshold_share(value, text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"{text!r}: {err}") from None


def register(sub) -> None:
    p = sub.add_parser(
        "flags",
        help="flag units where the under-represented gender is below the threshold (setting gender.threshold_pct)",
        description="Read gender counts or shares (DBH tables 123, 110, 112, 132 and 379 as JSON or "
        "CSV, Samordna opptak key figures, the seed's admission table; DBH tables 210, 347, 457 and "
        "211 for faculty, programme, department and institution names) and say for every unit × "
        "year × measure (with its semester and student category) whether the under-represented "
        "gender is below the threshold, and for every programme how far it is from its field. "
        "A share at the threshold exactly is not below it. Suppressed counts give 'unknown', never 0.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders of files")
    p.add_argument(
        "--threshold",
        type=_threshold_pct,
        metavar="PCT",
        help="threshold in percent (default: the setting gender.threshold_pct of --config)",
    )
    p.add_argument(
        "--level",
        choices=AGGREGATE_LEVELS,
        default="department",
        help="sum DBH department rows to this level (programme rows stay programmes)",
    )
    p.add_argument(
        "--institution",
        metavar="CODE",
        help="only this institution's rows (a DBH code like 1130), e.g. of the national DBH file; the "
        "fields a programme is compared with are still the whole data's",
    )
    p.add_argument("--config", type=Path, metavar="FILE", help="settings file (default config/kvalitet.toml)")
    add_table_output_arguments(p)
    add_sheet_argument(p)
    p.set_defaults(func=guarded(run))


def run(args) -> int:
    import pandas as pd

    from analysis.ingest import combine_gender
    from analysis.metrics.gender import gender_flags
    from analysis.series_breaks import series_breaks
    from schemas.datasets import NAME_TABLES

    usage = check_out_path(args.out, inputs(args))
    if args.institution is not None and not args.institution.isdigit():
        usage = f"--institution must be a DBH code like 1130, got {args.institution!r}"
    if usage:
        print(f"kvalitet flags: {usage}", file=sys.stderr)
        return 2
    settings = settings_or_usage(args.config, "flags")
    if settings is None:
        return 2
    gender = replace(settings.gender, threshold=args.threshold) if args.threshold else settings.gender
    # an input problem is printed, and nothing written, by guarded()
    results = read_inputs(
        args.paths,
        {"gender", *NAME_TABLES},
        "a gender table (DBH table 123, 110, 112, 132 or 379, Samordna opptak key figures, an admission "
        "table) or a DBH name table (210, 347, 457, 211)",
    )
    observations = [r.frame for r in results if r.dataset == "gender"]
    if not observations:
        raise InputError(
            [
                Problem(
                    " ".join(args.paths),
                    None,
                    None,
                    None,
                    "no gender table among the files",
                    "give DBH table 123, Samordna opptak key figures or the admission table",
                )
            ]
        )
    obs, notes = combine_gender(observations)
    print_problems(notes)
    names = {}
    for dataset in NAME_TABLES:
        frames = [r.frame for r in results if r.dataset == dataset]
        names[dataset] = pd.concat(frames, ignore_index=True) if frames else None
    breaks = series_breaks(names["institutions"])  # the mergers, once: shipped list and table 211
    flags = gender_flags(obs, **names, level=args.level, settings=gender, breaks=breaks)
    if args.institution is not None:
        # after the flags: a programme's field is every institution's programmes of the field
        from analysis.report.data import own_rows

        mine = own_rows(flags, args.institution)
        if not mine.any():
            codes = sorted(flags["institution_code"].dropna().astype(str).unique())
            shown = ", ".join(codes[:12]) + (f" and {len(codes) - 12} more" if len(codes) > 12 else "")
            print(
                f"kvalitet flags: --institution {args.institution}: the files have no rows of this institution "
                f"(they have {shown or 'no institution codes'}; give one of those, or add the institution's files)",
                file=sys.stderr,
            )
            return 2
        flags = flags[mine].reset_index(drop=True)
    counts = flags["status"].value_counts()
    return write_or_print(
        flags,
        args.out,
        "flags",
        readable,
        f" ({counts.get('flagged', 0)} flagged, {counts.get('ok', 0)} ok, {counts.get('unknown', 0)} unknown)",
        inputs=inputs(args),
        lang=args.lang,
        threshold=gender.threshold,
        levels={"gender": gender.confidence_level},
    )


def readable(flags: pd.DataFrame) -> pd.DataFrame:
    """The columns an adviser reads first, shares as percentages; the institution where the
    table holds more than one (a national file: its departments' codes, "000000" the
    unspecified sub-unit of every institution, repeat from institution to institution)."""
    import pandas as pd

    institution = {}
    if flags["institution_code"].nunique() > 1:
        institution = {"institution": flags["institution_short_name"].fillna(flags["institution_code"]).fillna("")}
    # the filter of a download is part of the measure: two filters' rows would look alike without it
    filters = {"filter": flags["measure_filter"].fillna("")} if flags["measure_filter"].notna().any() else {}
    return pd.DataFrame(
        {
            "level": flags["level"],
            **institution,
            "unit": flags["unit_code"],
            "name": flags["unit_name"],
            "year": flags["year"],
            "measure": flags["measure"],
            "semester": flags["semester"].fillna(""),
            "category": flags["student_category"].fillna(""),
            **filters,
            "women": _women_share(flags),
            "under-repr.": flags["underrepresented"].fillna("?"),
            "share": percent(flags["underrepresented_share"]),
            "status": flags["status"],
            "needed": flags["students_needed"].astype("string").fillna(""),
            "years flagged": flags["consecutive_years_flagged"].astype("string").fillna(""),
            "trend": flags["trend"].fillna(""),
            "field": percent(flags["field_underrepresented_share"]),
            "vs field": _signed_pp(flags["field_distance_pp"]),
            "reason": flags["reason"].fillna(""),
        }
    )


def _signed_pp(values: pd.Series) -> pd.Series:
    """Percentage points with their sign ("-12.3 pp", "+4.0 pp"); missing stays empty."""
    rounded = values.astype("Float64").round(1)
    text = rounded.map(lambda v: f"{v:+.1f} pp", na_action="ignore")
    return text.astype("string").fillna("")


def _women_share(flags: pd.DataFrame) -> pd.Series:
    """The share of women, or its range where suppressed departments leave it open."""
    exact = percent(flags["share_women"])
    from analysis.metrics.students_needed import share_of_women_bounds

    low, high = (percent(bound) for bound in share_of_women_bounds(flags))
    interval = flags["share_women"].isna() & flags["women_low"].notna() & (flags["total"] > 0).fillna(False)
    return exact.where(~interval, low.str.removesuffix(" %") + "–" + high)

"""``kvalitet wellbeing PATH… [--out FILE]``: SHoT indicators by wave with change and definition breaks."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from analysis.commands.common import add_sheet_argument, guarded, inputs, read_inputs
from analysis.commands.metric_output import add_table_output_arguments, check_out_path, write_or_print

if TYPE_CHECKING:  # pandas and the metric load when the command runs, not to build the CLI
    import pandas as pd


def register(sub) -> None:
    p = sub.add_parser(
        "wellbeing",
        help="SHoT indicators by wave: change, definition changes, national comparison",
        description="Read SHoT indicator tables and give every indicator × group × wave with the "
        "change from the previous wave and a mark where the definition changed. Conflicting "
        "figures for the same wave (from different reports) are all kept and marked.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders of files")
    add_table_output_arguments(p)
    add_sheet_argument(p)
    p.set_defaults(func=guarded(run))


def run(args) -> int:
    import pandas as pd

    from analysis.metrics.wellbeing import wellbeing_indicators

    usage = check_out_path(args.out, inputs(args))
    if usage:
        print(f"kvalitet wellbeing: {usage}", file=sys.stderr)
        return 2
    # an input problem is printed, and nothing written, by guarded()
    frames = [
        r.frame for r in read_inputs(args.paths, {"shot"}, "a SHoT indicator table (year, indicator, group, value)")
    ]
    table = wellbeing_indicators(pd.concat(frames, ignore_index=True))
    conflicts = int(table["conflicting"].sum())
    if conflicts:
        print(
            f"kvalitet wellbeing: {conflicts} rows give conflicting figures for the same indicator, group and "
            "wave; all are kept and marked 'conflicting' (see the note column)",
            file=sys.stderr,
        )
    return write_or_print(table, args.out, "wellbeing", readable, inputs=inputs(args), lang=args.lang)


def readable(table: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        {
            "indicator": table["indicator"],
            "group": table["group"],
            "scope": table["scope"],
            "year": table["year"],
            "value %": table["value_pct"],
            "change pp": table["change_pp"].astype("string").fillna(""),
            "definition changed": table["definition_changed"].map({True: "yes", False: "no"}).fillna("?"),
            "vs national pp": table["difference_to_national_pp"].astype("string").fillna(""),
            "note": table["note"].fillna(""),
        }
    )

"""``kvalitet integration PATH… [--config FILE] [--out FILE]``: integration scores, rank, gap to best."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.commands.common import add_sheet_argument, guarded, inputs, read_inputs, settings_or_usage
from analysis.commands.metric_output import add_table_output_arguments, check_out_path, write_or_print

if TYPE_CHECKING:  # pandas and the metric load when the command runs, not to build the CLI
    import pandas as pd


def register(sub) -> None:
    p = sub.add_parser(
        "integration",
        help="integration of international students: score, rank and gap to the best",
        description="Read an aggregated integration extract (like the seed's 2017 table) and/or "
        "respondent-level Studiebarometeret data, and rank institutions or programmes by the mean "
        "of the configured scores (academic and social by default) within level and year. Which "
        "items make up each score is set under [integration.scores] in the configuration.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders of files")
    p.add_argument("--config", type=Path, metavar="FILE", help="settings file (default config/kvalitet.toml)")
    add_table_output_arguments(p)
    add_sheet_argument(p)
    p.set_defaults(func=guarded(run))


def run(args) -> int:
    import pandas as pd

    from analysis.metrics.integration import comparison_group_notes, integration_scores
    from analysis.readers.survey_raw import respondents_together

    usage = check_out_path(args.out, inputs(args))
    if usage:
        print(f"kvalitet integration: {usage}", file=sys.stderr)
        return 2
    settings = settings_or_usage(args.config, "integration")
    if settings is None:
        return 2
    # an input problem is printed, and nothing written, by guarded()
    results = read_inputs(
        args.paths,
        {"integration_extract", "survey_respondents"},
        "integration data (an extract or respondent-level Studiebarometeret data)",
    )
    extracts = [r.frame for r in results if r.dataset == "integration_extract"]
    respondents = [r.frame for r in results if r.dataset == "survey_respondents"]
    scores = integration_scores(
        pd.concat(extracts, ignore_index=True) if extracts else None,
        respondents_together(respondents) if respondents else None,
        settings=settings,
    )
    for line in comparison_group_notes(scores, settings):
        print(f"kvalitet integration: note: {line}", file=sys.stderr)
    return write_or_print(scores, args.out, "integration", readable, inputs=inputs(args), lang=args.lang)


def readable(scores: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    from analysis.metrics.integration import is_programme
    from analysis.readers.institution_names import names_of_codes

    def shown(column: str) -> pd.Series:
        # (+ 0.0: a gap that rounds to nothing from below is 0.0, not "-0.0")
        return scores[column].round(2) + 0.0

    units = {"unit": scores["unit_name"]}
    programme = is_programme(scores)
    if programme.any():
        # respondent data key a programme's institution by its DBH code: named as DBH's national
        # table names it (the code where it names none), so that programmes of several
        # institutions are told apart
        names = names_of_codes()
        institution = scores["institution"].astype("string")
        units["institution"] = institution.map(lambda code: names.get(code, code), na_action="ignore").where(
            programme, ""
        )
    return pd.DataFrame(
        {
            "level": scores["level"],
            "year": scores["year"],
            "rank": scores["rank"].astype("string").fillna("–"),
            **units,
            "academic": shown("academic"),
            "social": shown("social"),
            "score": shown("integration_score"),
            # score − reference: negative is below
            "vs best": shown("gap_to_best"),
            "vs median": shown("gap_to_median"),
            "vs mean": shown("gap_to_mean"),
            "group": scores["comparison_group"],
            "n": scores["n"].astype("string").fillna(""),
            # too few answers here, or hidden where the survey tables hide it to protect another unit
            "note": scores["suppressed"].map(
                {True: "not shown: too few answers, or would give another away", False: ""}
            ),
        }
    )

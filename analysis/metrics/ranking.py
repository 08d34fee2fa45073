"""Rank and gaps of integration scores within a comparison group (the rule is in
:mod:`analysis.metrics.integration`'s docstring: comparison group, rank, gaps).

Kept apart from :mod:`analysis.metrics.integration` so that the report can rank its own
institution among a configured group without importing pandera and the schemas.
"""

# NOTE: importing analysis.metrics.integration (pandera, the schemas) cost notebooks 03 and 06
# ~0.3 s CPU each, for this one function (06 as a script: 2.57 -> 2.30 s CPU, median of 3).

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

#: Decimals a score is rounded to before ranking: float noise (2.3 + 2.2 vs 2.4 + 2.1) never
#: breaks a tie.
RANK_DECIMALS = 10

#: ``comparison_group`` of a ranking among every institution in the data.
ALL_INSTITUTIONS = "all"


def in_group(scores: pd.DataFrame, members: Collection[str] | None) -> pd.Series:
    """Rows whose institution (name or code) or unit name is one of ``members``
    (ignoring case, spacing and the kind of dash), or whose institution code DBH names as a member (the report names
    respondent data's codes so: "Universitetet i Oslo" for 1110, and a group copied from it matched
    nothing); every row when ``members`` is empty."""
    from analysis.readers.institution_names import codes_of_names, name_key

    if not members:
        return pd.Series(True, index=scores.index)
    # compared as DBH's names are (case, spacing, the kind of dash): "OsloMet - storbyuniversitetet"
    # in a group is DBH's "OsloMet – storbyuniversitetet" in the data
    wanted = set(name_key(pd.Series([str(m) for m in members], dtype="string")))
    hit = pd.Series(False, index=scores.index)
    for column in ("institution", "unit_name"):
        if column in scores:
            hit |= (name_key(scores[column]).isin(wanted) & scores[column].notna()).astype(bool)
    if "institution" in scores:
        # the institution column only: a programme whose code is the same digits is no institution
        hit |= scores["institution"].astype("string").str.strip().isin(codes_of_names(str(m) for m in members))
    return hit.astype(bool)


def rank_in_group(scores: pd.DataFrame, members: Collection[str] | None = None) -> pd.DataFrame:
    """Rank, units ranked and the three gaps within source × level × year among ``members``
    (the rule: :mod:`analysis.metrics.integration`'s docstring); rows outside the group get no
    rank and no gaps.

    The report calls this again with its own institution added to a configured group (a peer
    group lists the others), so the rule is written once.
    """
    df = scores.copy()
    score = df["integration_score"].astype("Float64").round(RANK_DECIMALS)
    df["integration_score"] = score
    member = in_group(df, members)
    ranked = score.where(member)
    group = ranked.groupby([df["source"], df["level"], df["year"]])  # never missing (validated inputs)
    df["rank"] = group.rank(method="min", ascending=False).astype("Int64")
    df["units_ranked"] = group.transform("count").astype("Int64").where(ranked.notna())
    df["gap_to_best"] = (ranked - group.transform("max")).round(RANK_DECIMALS)
    df["gap_to_median"] = (ranked - group.transform("median")).round(RANK_DECIMALS)
    df["gap_to_mean"] = (ranked - group.transform("mean")).round(RANK_DECIMALS)
    df["in_comparison_group"] = member
    df["comparison_group"] = "; ".join(dict.fromkeys(str(m).strip() for m in members)) if members else ALL_INSTITUTIONS
    return df

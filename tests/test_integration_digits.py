"""Integration scores are written with the precision of whoever computed them: NOKUT's extract
with the one decimal it publishes ("2,3"), the report's own means of respondent-level data with
two, as every mean the report computes (analysis.settings.SCORE_DIGITS). A respondent mean of
3,45 shown as "3,5" beside a combined score of "3,40" reads as a wrong sum."""

from __future__ import annotations

import csv

import pandas as pd

from analysis.charts.common import Source
from analysis.charts.integration import integration_ranking
from analysis.report.tables import INTEGRATION, people_table, write_csv_for_people

SRC = Source("NOKUT", "Studiebarometeret", "2026-01-01")


def scores(source: str, academic: list[float], social: list[float]) -> pd.DataFrame:
    combined = [(a + s) / 2 for a, s in zip(academic, social, strict=True)]
    return pd.DataFrame(
        {
            "source": [source] * 2,
            "level": ["master"] * 2,
            "institution": ["A", "B"],
            "year": [2024, 2024],
            "academic": academic,
            "social": social,
            "integration_score": combined,
            "rank": [1, 2],
            "units_ranked": [2, 2],
        }
    )


# respondent means: 69/20 = 3,45 and 67/20 = 3,35 (combined 3,40); 61/20 = 3,05 and 3 (3,025)
RESPONDENTS = scores("respondents", [69 / 20, 61 / 20], [67 / 20, 3.0])
# the 2017 extract's own numbers (master, NTNU and Kunsthøgskolen): 2,3 and 2,2; 4,4 and 4,1
EXTRACT = scores("extract", [4.4, 2.3], [4.1, 2.2])


def test_the_chart_writes_respondent_means_with_two_decimals_and_the_extract_with_one():
    fig = integration_ranking(RESPONDENTS, year=2024, level="master", highlight=None, sources=SRC, best=5)
    academic, social, _ = fig.data
    assert list(academic.text) == ["3,45", "3,05"] and list(social.text) == ["3,35", "3,00"]
    assert ":.2f}" in academic.hovertemplate
    fig = integration_ranking(EXTRACT, year=2024, level="master", highlight=None, sources=SRC, best=5)
    academic, social, _ = fig.data
    assert list(academic.text) == ["4,4", "2,3"] and list(social.text) == ["4,1", "2,2"]


def test_the_csv_writes_respondent_means_with_two_decimals_and_the_extract_with_one(tmp_path):
    def shown(frame: pd.DataFrame) -> list[tuple[str, str]]:
        path = write_csv_for_people(people_table(frame, INTEGRATION, "nb"), tmp_path / "t.csv", "nb")
        with path.open(encoding="utf-8-sig") as f:
            return [(r["Faglig integrering"], r["Sosial integrering"]) for r in csv.DictReader(f, delimiter=";")]

    assert shown(RESPONDENTS) == [("3,45", "3,35"), ("3,05", "3,00")]
    assert shown(EXTRACT) == [("4,4", "4,1"), ("2,3", "2,2")]
    # a table holding both: two decimals, the precision of the computed rows (the extract's lose none)
    both = pd.concat([EXTRACT, RESPONDENTS], ignore_index=True)
    assert shown(both) == [("4,40", "4,10"), ("2,30", "2,20"), ("3,45", "3,35"), ("3,05", "3,00")]

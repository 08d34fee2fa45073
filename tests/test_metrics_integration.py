"""Integration scores: rank 1 is the best, ties share a rank, the gap to the best is obvious.

Expected values are derived by hand from the seed's 2017 extract in DOMAIN.md.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.errors import InputError
from analysis.metrics.integration import integration_scores
from analysis.settings import IntegrationSettings, Settings, SurveySettings, load_settings

VARIABLES = Path("/work/shared/data/raw/studiebarometeret_variabler_2021_2025_fra_oslomet_maler.csv")

SEED_2017 = [  # level, institution, academic, social (DOMAIN.md)
    ("master", "NTNU", 2.3, 2.2),
    ("master", "Kunsthøgskolen", 4.4, 4.1),
    ("master", "Politihøgskolen", 3.8, 4.2),
    ("master", "Steinerhøgskolen", 5.0, 5.0),
    ("master", "Høgskolen i Østfold", 4.3, 3.5),
    ("bachelor", "NTNU", 2.4, 2.5),
    ("bachelor", "Kunsthøgskolen", 4.0, 3.5),
    ("bachelor", "Musikkteaterhøgskolen", 4.5, 4.5),
    ("bachelor", "Norges dansehøgskole", 4.6, 4.3),
    ("bachelor", "Steinerhøgskolen", 4.0, 4.0),
]


def extract(rows=SEED_2017, year: int = 2017) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_file": "seed_studiebarometeret_2017_integrering.csv",
            "source_row": range(2, len(rows) + 2),
            "level": [r[0] for r in rows],
            "institution": [r[1] for r in rows],
            "year": year,
            "academic": [r[2] for r in rows],
            "social": [r[3] for r in rows],
            "n": pd.array([None] * len(rows), dtype="Int64"),
        }
    )


def unit(scores: pd.DataFrame, level: str, name: str) -> pd.Series:
    hit = scores[(scores["level"] == level) & (scores["unit_name"] == name)]
    assert len(hit) == 1
    return hit.iloc[0]


DEFAULTS = Settings()  # no configuration file: the extract's academic and social columns


def test_master_steinerhogskolen_is_best_and_ntnu_fifth_with_gap_2_75():
    scores = integration_scores(extract(), settings=DEFAULTS)
    steiner = unit(scores, "master", "Steinerhøgskolen")
    # (5.0 + 5.0) / 2 = 5.0, the highest of 2.25, 4.25, 4.0, 5.0, 3.9
    assert steiner["integration_score"] == pytest.approx(5.0)
    assert steiner["rank"] == 1
    assert steiner["gap_to_best"] == pytest.approx(0.0)
    ntnu = unit(scores, "master", "NTNU")
    # (2.3 + 2.2) / 2 = 2.25, lowest of five -> rank 5; gaps are score − reference, so a unit
    # below says so by its sign: 2.25 − 5.0 = −2.75
    assert ntnu["integration_score"] == pytest.approx(2.25)
    assert ntnu["rank"] == 5
    assert ntnu["gap_to_best"] == pytest.approx(-2.75)
    # mean of the five listed: (2.25 + 4.25 + 4.0 + 5.0 + 3.9) / 5 = 3.88; 2.25 − 3.88 = −1.63
    assert ntnu["gap_to_mean"] == pytest.approx(-1.63)
    # median of 2.25, 3.9, 4.0, 4.25, 5.0 is 4.0; 2.25 − 4.0 = −1.75
    assert ntnu["gap_to_median"] == pytest.approx(-1.75)
    # the best is above the mean: 5.0 − 3.88 = +1.12
    assert steiner["gap_to_mean"] == pytest.approx(1.12)


def test_bachelor_ntnu_fifth_with_gap_2_05():
    scores = integration_scores(extract(), settings=DEFAULTS)
    ntnu = unit(scores, "bachelor", "NTNU")
    # (2.4 + 2.5) / 2 = 2.45; best is Musikkteaterhøgskolen (4.5 + 4.5) / 2 = 4.5; 2.45 − 4.5 = −2.05
    assert ntnu["integration_score"] == pytest.approx(2.45)
    assert ntnu["rank"] == 5
    assert ntnu["gap_to_best"] == pytest.approx(-2.05)
    # scores 4.5, 4.45, 4.0, 3.75, 2.45: mean 19.15 / 5 = 3.83, median 4.0 (Steinerhøgskolen)
    # -> 2.45 − 3.83 = −1.38 (the "+1.38" of the issue, now with the sign of "below")
    assert ntnu["gap_to_mean"] == pytest.approx(-1.38)
    assert ntnu["gap_to_median"] == pytest.approx(-1.55)
    assert ntnu["comparison_group"] == "all" and bool(ntnu["in_comparison_group"])
    assert unit(scores, "bachelor", "Musikkteaterhøgskolen")["rank"] == 1
    # Norges dansehøgskole (4.6 + 4.3) / 2 = 4.45 is second, ahead of Steinerhøgskolen 4.0
    assert unit(scores, "bachelor", "Norges dansehøgskole")["rank"] == 2
    assert unit(scores, "bachelor", "Steinerhøgskolen")["rank"] == 3


def test_a_configured_comparison_group_ranks_only_its_members():
    """[integration] comparison_group: NTNU among Kunsthøgskolen and Steinerhøgskolen only."""
    group = ("Kunsthøgskolen", "steinerhøgskolen", "NTNU")  # matched case-insensitively
    settings = Settings(integration=IntegrationSettings(comparison_group=group))
    scores = integration_scores(extract(), settings=settings)
    ntnu = unit(scores, "bachelor", "NTNU")
    # bachelor members: Steinerhøgskolen 4.0, Kunsthøgskolen 3.75, NTNU 2.45 -> NTNU 3rd of 3;
    # 2.45 − 4.0 = −1.55 to the best; the median of three is Kunsthøgskolen's 3.75: −1.30
    assert (ntnu["rank"], ntnu["units_ranked"]) == (3, 3)
    assert ntnu["gap_to_best"] == pytest.approx(-1.55)
    assert ntnu["gap_to_median"] == pytest.approx(-1.30)
    assert ntnu["comparison_group"] == "Kunsthøgskolen; steinerhøgskolen; NTNU"
    outside = unit(scores, "bachelor", "Musikkteaterhøgskolen")
    assert not outside["in_comparison_group"] and pd.isna(outside["rank"]) and pd.isna(outside["gap_to_best"])
    assert outside["integration_score"] == pytest.approx(4.5), "a unit outside the group keeps its score"


def test_ties_share_the_best_rank_even_with_float_noise():
    rows = [("master", "A", 2.3, 2.2), ("master", "B", 2.4, 2.1), ("master", "C", 2.0, 2.0)]
    scores = integration_scores(extract(rows), settings=DEFAULTS)
    # A and B both have (4.5) / 2 = 2.25 -> both rank 1, C ranks 3 (method 'min')
    assert unit(scores, "master", "A")["rank"] == 1
    assert unit(scores, "master", "B")["rank"] == 1
    assert unit(scores, "master", "C")["rank"] == 3


def test_ranks_are_within_level_and_year():
    both = pd.concat([extract(), extract(year=2018)], ignore_index=True)
    both["source_row"] = range(2, len(both) + 2)
    scores = integration_scores(both, settings=DEFAULTS)
    assert set(scores.loc[scores["unit_name"] == "NTNU", "rank"]) == {5}
    assert len(scores) == 20


def test_combine_only_one_score():
    settings = Settings(integration=IntegrationSettings(combine=("social",)))
    scores = integration_scores(extract(), settings=settings)
    # social only: master Politihøgskolen 4.2 is second after Steinerhøgskolen 5.0
    assert unit(scores, "master", "Politihøgskolen")["rank"] == 2
    assert unit(scores, "master", "NTNU")["gap_to_best"] == pytest.approx(2.2 - 5.0)


def test_the_default_configuration_file_reads_the_extract():
    settings = load_settings(paths.DEFAULT_CONFIG)
    assert settings.integration.scores == {"academic": ("academic",), "social": ("social",)}
    assert unit(integration_scores(extract(), settings=settings), "master", "NTNU")["rank"] == 5


@pytest.mark.skipif(not VARIABLES.exists(), reason="shared raw data not available")
def test_configured_survey_indices_are_nokut_2025_variables():
    with VARIABLES.open(encoding="utf-8") as f:
        names_2025 = {r["variabel"] for r in csv.DictReader(f) if r["aar"] == "2025"}
    settings = load_settings(paths.DEFAULT_CONFIG)
    assert set(settings.survey.indices) == {
        "undervisning",
        "tilbakemeldinger",
        "vurderingsformer",
        "laeringsmiljo",
        "organisering",
        "yrkesrelevans",
        "engasjement",
        "helhetsvurdering",
    }
    for index, items in settings.survey.indices.items():
        assert items and set(items) <= names_2025, index
    assert settings.survey.indices["laeringsmiljo"] == ("miljo_sosial_13", "miljo_fag_13", "miljo_studans_15")
    assert (settings.survey.min_n, settings.survey.warn_n, settings.survey.index_max_missing) == (5, 10, 1)


# --- respondent-level data ------------------------------------------------------------------------

RESPONDENT_SETTINGS = Settings(
    survey=SurveySettings(min_n=5, warn_n=10, index_max_missing=1),
    integration=IntegrationSettings(
        scores={"academic": ("miljo_fag_13", "miljo_studans_15"), "social": ("miljo_sosial_13",)}
    ),
)


def respondents(rows: list[tuple]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["studprog_kod", "miljo_fag_13", "miljo_studans_15", "miljo_sosial_13"])
    df["aar"] = pd.array([2025] * len(df), dtype="Int16")
    for c in ["miljo_fag_13", "miljo_studans_15", "miljo_sosial_13"]:
        df[c] = pd.array(df[c], dtype="Int16")  # (9999: "vet ikke", as the validated frame keeps it)
    return df


def test_respondent_scores_means_and_suppression():
    rows = (
        # programme A, 6 respondents; the last one answered only one academic item and said "vet
        # ikke" (9999) to the other, which is no answer -> its academic score is that one item
        [("A", 4, 4, 5)] * 5
        + [("A", 2, 9999, 3)]
        # programme B, 4 respondents: below the minimum of 5 -> nothing shown
        + [("B", 5, 5, 5)] * 4
        # programme C, 5 respondents, one with both academic items missing (> 1 missing) -> 4 academic
        + [("C", 3, 3, 3)] * 4
        + [("C", None, 9999, 1)]
    )
    scores = integration_scores(respondents=respondents(rows), settings=RESPONDENT_SETTINGS)
    a = scores[scores["unit_code"] == "A"].iloc[0]
    # academic: five respondents at (4+4)/2 = 4, one at 2 -> (5·4 + 2)/6 = 22/6 = 3.6667
    # social: (5·5 + 3)/6 = 28/6 = 4.6667; integration = (22/6 + 28/6)/2 = 50/12 = 4.1667
    assert a["academic"] == pytest.approx(22 / 6)
    assert a["social"] == pytest.approx(28 / 6)
    assert a["integration_score"] == pytest.approx(50 / 12)
    assert a["n"] == 6 and bool(a["few_respondents"]) is True and not a["suppressed"]
    b = scores[scores["unit_code"] == "B"].iloc[0]
    assert b["suppressed"] and pd.isna(b["integration_score"]) and pd.isna(b["academic"]) and pd.isna(b["rank"])
    c = scores[scores["unit_code"] == "C"].iloc[0]
    # academic n = 4 (one respondent missing both items) < 5 -> the programme is suppressed
    assert c["n"] == 4 and c["suppressed"] and pd.isna(c["social"])
    assert a["rank"] == 1


def test_no_score_is_shown_below_the_minimum():
    rows = [("P", 1 + i % 5, 1 + i % 5, 1 + i % 5) for i in range(4)]
    scores = integration_scores(respondents=respondents(rows), settings=RESPONDENT_SETTINGS)
    shown = scores[["academic", "social", "integration_score"]].notna().any(axis=1)
    assert not (shown & (scores["n"] < 5)).any()


def test_configured_items_missing_from_the_data_are_reported():
    settings = Settings(
        integration=IntegrationSettings(scores={"academic": ("intfaglig_17",), "social": ("miljo_sosial_13",)})
    )
    with pytest.raises(InputError) as err:
        integration_scores(respondents=respondents([("A", 4, 4, 4)] * 5), settings=settings)
    assert "intfaglig_17" in str(err.value)


def test_neither_input_is_a_usage_error():
    with pytest.raises(ValueError):
        integration_scores(settings=DEFAULTS)


def test_an_extract_without_n_is_neither_few_respondents_nor_not(tmp_path):
    """The extract gives no number of answers: shown (nothing to hide it by), and whether it
    has few respondents is unknown. The workbook's "Få svarende" said "nei" for every row."""
    import openpyxl

    from analysis.cli import main

    scores = integration_scores(extract(), settings=DEFAULTS)
    assert scores["n"].isna().all()
    assert not scores["suppressed"].any()
    assert scores["few_respondents"].isna().all()
    out = tmp_path / "integrering.xlsx"
    assert main(["integration", str(paths.RAW / "seed_studiebarometeret_2017_integrering.csv"), "--out", str(out)]) == 0
    sheet = openpyxl.load_workbook(out).worksheets[0]
    header = [c.value for c in sheet[1]]
    few = header.index("Få svarende")
    cells = [row[few] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert cells and all(c is None for c in cells), cells


def test_a_group_member_named_as_dbh_names_an_institution_matches_its_code():
    """The report names another institution's programmes by the institution's DBH name
    ("Universitetet i Oslo" for respondent data's code 1110); a comparison group that copied the
    name matched no row (respondent data key institutions by code): "'Universitetet i Oslo' is
    no institution or unit of the data", its programmes out of the ranking. A member that DBH's
    table names a code (data/reference/dbh_institusjonsnavn.csv: Universitetet i Oslo;1110)
    matches the rows of that institution code, never a programme whose code is the same digits."""
    from analysis.metrics.integration import members_not_in_data
    from analysis.metrics.ranking import in_group

    scores = pd.DataFrame(
        {
            "institution": ["1110", "1110", "1120", "1120"],
            # programme codes that are digits: one equals UiO's institution code
            "unit_name": ["MTDT0026", "1120", "1110", "MTDT0027"],
        }
    )
    for member in ("Universitetet i Oslo", "universitetet  i OSLO"):
        assert in_group(scores, [member]).tolist() == [True, True, False, False]
        assert members_not_in_data(scores, [member]) == {}
    assert in_group(scores, ["1110"]).tolist() == [True, True, True, False]  # a code: unit names too, as before
    assert list(members_not_in_data(scores, ["Universitetet i Osloo"])) == ["Universitetet i Osloo"]


def test_a_comparison_group_member_is_the_institution_whatever_its_dash_and_spacing():
    """Samordna writes "OsloMet - storbyuniversitetet", DBH "OsloMet – storbyuniversitetet": a
    group copied from one matched no row of the other (its rows out of the ranking), while the
    report's own rows and DBH's name table already compared names so."""
    from analysis.metrics.ranking import in_group

    scores = pd.DataFrame({"institution": ["OsloMet – storbyuniversitetet", "NTNU", None], "unit_name": [None] * 3})
    assert in_group(scores, ["OsloMet - storbyuniversitetet"]).tolist() == [True, False, False]
    assert in_group(scores, ["oslomet –  Storbyuniversitetet "]).tolist() == [True, False, False]


def test_the_integration_command_names_the_institution_of_each_programme(tmp_path, capsys):
    """``kvalitet integration`` on respondent data of two institutions printed each programme by
    its code alone: the two institutions' programmes were not told apart. Each row now says its
    institution as DBH's national table names the code (1110: Universitetet i Oslo), the code
    where it names none; and a gap that rounds to nothing from below reads 0.0, not -0.0."""
    from analysis.cli import main
    from analysis.commands.integration import readable
    from analysis.readers.institution_names import names_of_codes

    assert names_of_codes()["1110"] == "Universitetet i Oslo" and "9991" not in names_of_codes()
    header = "institusjonskode;studprog_kod;aar;miljo_fag_13;miljo_studans_15;miljo_sosial_13"
    rows = [f"1110;BIO;2025;4;4;{s}" for s in (5, 5, 4, 4, 4)] + [f"9991;KJEMI;2025;3;3;{s}" for s in (3, 3, 2, 2, 2)]
    data = tmp_path / "respondenter.csv"
    data.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    config = tmp_path / "kvalitet.toml"
    config.write_text(
        '[integration.scores]\nacademic = ["miljo_fag_13", "miljo_studans_15"]\nsocial = ["miljo_sosial_13"]\n',
        encoding="utf-8",
    )
    assert main(["integration", str(data), "--config", str(config)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "institution" in lines[0].split()
    bio, kjemi = (next(line for line in lines if code in line.split()) for code in ("BIO", "KJEMI"))
    assert "Universitetet i Oslo" in bio and "9991" in kjemi.split()

    scores = integration_scores(respondents=respondents([("A", 4, 4, 4)] * 5), settings=RESPONDENT_SETTINGS)
    shown = readable(scores.assign(gap_to_mean=-0.001))
    assert str(shown["vs mean"].iloc[0]) == "0.0"

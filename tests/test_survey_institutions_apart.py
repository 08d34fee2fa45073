"""An institution's survey tables are its own files' (README, "The hierarchy is built year by
year…"): every row of institution X — its programmes, faculties and its own, items, indices and
changes — is the same in a run over X's files alone and in a run over X's and Y's, whatever Y's
files hold. Rollups are decided per institution × year, disclosure works within an
institution's tree, and the changes' tests are adjusted per unit and year.

Before, the faculty level was decided per year for the whole run: one file of Y's without
``fakultetskode`` took X's faculties away too, and X's programmes got other complements than in
a run of X's files alone, two tables an adviser could both publish.

The files come from :func:`analysis.synth.generate_respondents` (the generator ``kvalitet
synth`` writes), given X's and Y's institution codes; each institution's years in files of
their own, some without ``fakultetskode``, and with as many items as the institution asks (an
item only Y's files have gave X rows of n 0, rows the run of X's files alone has not). Both use
the same programme and faculty codes, as two institutions may.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from analysis.cli import main
from analysis.metrics.integration import integration_scores
from analysis.settings import IntegrationSettings, Settings, SurveySettings
from analysis.synth import generate_respondents

X, Y = "1150", "0194"
#: overord, underv and tilbveil: whole index blocks (synth's order); with 5, the second index
#: has none of its items, with 13 a block no index has
ITEMS = 9
TABLES = ("items", "indices", "changes")


def institution_files(
    folder,
    code: str | None,
    seed: int,
    n: int,
    programmes: int,
    years: int,
    without: set[int],
    items: int = ITEMS,
    ids: bool = False,
) -> list:
    """``code``'s respondents (synthetic, from ``seed``; ``items`` item columns), one CSV per
    survey year; the years in ``without`` without ``fakultetskode``; with ``code`` None, files
    without ``institusjonskode``; with ``ids``, a respondent id column (two files' respondents
    who answered alike are two, not one delivered twice)."""
    table = generate_respondents(n, items, programmes, years, seed=seed)
    if code is None:
        table = table.drop_columns(["institusjonskode"])
    else:
        table = table.set_column(0, "institusjonskode", pa.array([code] * table.num_rows, pa.string()))
    frame = table.to_pandas()
    if ids:
        frame.insert(0, "respondent_id", [f"{code or 'none'}-{seed}-{k}" for k in range(len(frame))])
    paths = []
    for year, of_year in frame.groupby("aar"):
        path = folder / f"sb_{code or 'none'}_{year}.csv"
        (of_year.drop(columns="fakultetskode") if year in without else of_year).to_csv(path, index=False, sep=";")
        paths.append(str(path))
    return paths


def survey(folder, files: list[str], min_n: int, capsys=None) -> dict[str, pd.DataFrame]:
    """``kvalitet survey`` on ``files`` (the real output path): the three tables read back."""
    config = folder / "k.toml"
    config.write_text(
        f'[survey]\nmin_n = {min_n}\nwarn_n = {min_n + 2}\n[survey.indices]\nundervisning = ["underv_engasj_18", '
        '"underv_formidl_18", "underv_pensum_18", "underv_aktiv_18"]\ntilbakemeldinger = ["tilbveil_antall_16", '
        '"tilbveil_konstru_13", "tilbveil_student_18", "tilbveil_fagdisk_18"]\n',
        encoding="utf-8",
    )
    out = folder / "out.parquet"
    assert main(["survey", *files, "--config", str(config), "--out", str(out)]) == 0
    names = {
        "items": out,
        "indices": out.with_name("out_indices.parquet"),
        "changes": out.with_name("out_changes.parquet"),
    }
    # (nullable types: a column of X's without missing values is the same type beside Y's with some)
    return {name: pd.read_parquet(path, dtype_backend="numpy_nullable") for name, path in names.items()}


def rows_of(table: pd.DataFrame, institution: str) -> pd.DataFrame:
    """An institution's rows, in order, the codes as text (a dictionary's other codes aside)."""
    rows = table[table["institution_code"].astype(object) == institution].reset_index(drop=True)
    return rows.astype({c: object for c in rows.columns if isinstance(rows[c].dtype, pd.CategoricalDtype)})


@st.composite
def two_institutions(draw):
    def one() -> dict:
        years = draw(st.integers(1, 3))
        return {
            "seed": draw(st.integers(0, 10_000)),
            "n": draw(st.integers(20, 250)),
            "programmes": draw(st.integers(1, 8)),
            "years": years,
            "without": draw(st.sets(st.sampled_from(range(2026 - years, 2026)))),
            "items": draw(st.sampled_from([5, ITEMS, 13])),
        }

    return one(), one(), draw(st.integers(2, 6))


@hsettings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(plan=two_institutions())
def test_an_institutions_rows_are_its_own_files_whatever_another_institutions_files_hold(tmp_path_factory, plan):
    x, y, min_n = plan
    folder = tmp_path_factory.mktemp("runs")
    (folder / "x").mkdir()
    (folder / "xy").mkdir()
    x_files = institution_files(folder, X, **x)
    y_files = institution_files(folder, Y, **y)
    alone = survey(folder / "x", x_files, min_n)
    together = survey(folder / "xy", x_files + y_files, min_n)
    for name in TABLES:
        expected = rows_of(alone[name], X)
        assert len(expected) == len(alone[name])  # (every row of the run of X's files is X's)
        pd.testing.assert_frame_equal(rows_of(together[name], X), expected, check_exact=True, obj=name)


def rows_without_institution(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of no institution (of the files without institusjonskode), in order, the codes
    as text (a dictionary's other codes aside)."""
    rows = table[table["institution_code"].isna()].reset_index(drop=True)
    rows = rows.astype({c: object for c in rows.columns if isinstance(rows[c].dtype, pd.CategoricalDtype)})
    return rows.assign(institution_code=None)


@hsettings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(plan=two_institutions())
def test_files_without_institusjonskode_are_their_own_and_leave_an_institutions_rows_its_own(tmp_path_factory, plan):
    """X's files, and files without institusjonskode of the same years (some without
    fakultetskode; the same programme and faculty codes as X's): X's rows beside them are those
    of a run of X's files alone, and the rows of no institution those of a run of the other
    files alone, every table."""
    x, other, min_n = plan
    folder = tmp_path_factory.mktemp("runs")
    for run in ("x", "other", "both"):
        (folder / run).mkdir()
    # (ids: a respondent of each who answered alike would be refused as one counted twice)
    x_files = institution_files(folder, X, **x, ids=True)
    other_files = institution_files(folder, None, **other, ids=True)
    alone = survey(folder / "x", x_files, min_n)
    other_alone = survey(folder / "other", other_files, min_n)
    together = survey(folder / "both", x_files + other_files, min_n)
    for name in TABLES:
        assert other_alone[name]["institution_code"].isna().all()
    assert_each_as_in_its_own_run(together, alone, other_alone)


def test_a_file_of_another_institution_without_fakultetskode_leaves_this_ones_faculties(tmp_path, capsys):
    """X's and Y's 2025 files, Y's without fakultetskode: X keeps its faculties, Y has none,
    and the note names Y (and not X) as the institution whose 2025 faculties are missing."""
    files = institution_files(tmp_path, X, seed=1, n=300, programmes=6, years=1, without=set())
    files += institution_files(tmp_path, Y, seed=2, n=300, programmes=6, years=1, without={2025})
    capsys.readouterr()
    items = survey(tmp_path, files, 5)["items"].astype({"level": str, "institution_code": object})
    notes = [line.split("note: ", 1)[1] for line in capsys.readouterr().err.splitlines() if "note: " in line]
    levels = items.groupby("institution_code")["level"].agg(set).to_dict()
    assert levels == {X: {"programme", "faculty", "institution"}, Y: {"programme", "institution"}}
    faculty_notes = [n for n in notes if n.startswith("fakultetskode")]
    assert len(faculty_notes) == 1, notes
    assert f"institution {Y} in 2025: no faculty results for {Y} in 2025" in faculty_notes[0]
    # (X's are shown, and so said: the adviser of X or Y learns that this is Y's files' lack)
    assert "the other institutions' 2025 faculties are shown" in faculty_notes[0]
    assert faculty_notes[0].endswith(f"(give every file with respondents of {Y} in 2025 the column)")
    assert X not in faculty_notes[0]


#: the integration scores' comparisons with the other institutions (by definition not X's alone)
COMPARED = ["rank", "units_ranked", "gap_to_best", "gap_to_median", "gap_to_mean"]


def respondent_frame(files: list[str]) -> pd.DataFrame:
    """The files' respondents as one frame, each row with its file (``source_file``, as the
    validated stage keeps it: counted file by file)."""
    parts = []
    for path in files:
        frame = pd.read_csv(path, sep=";", dtype={"institusjonskode": str, "fakultetskode": str, "studprog_kod": str})
        parts.append(frame.assign(source_file=Path(path).name))
    frame = pd.concat(parts, ignore_index=True)
    answers = [
        c for c in frame.columns if c not in ("institusjonskode", "fakultetskode", "studprog_kod", "source_file")
    ]
    return frame.astype({c: "Int16" for c in answers})


@pytest.mark.parametrize("seed", range(3))
def test_an_institutions_integration_scores_are_its_own_files_but_for_the_comparison(tmp_path, seed):
    """X's and Y's files share programme codes (as synth's do): X's integration rows are those
    of a run of X's files alone, but for the rank and the gaps, which compare X with Y. Before,
    two institutions' programmes of one code in one year were refused as duplicate rows (the
    table's key had no institution), a traceback."""
    settings = Settings(
        survey=SurveySettings(min_n=5, warn_n=7, index_max_missing=1, indices={}),
        integration=IntegrationSettings(scores={"academic": ("underv_engasj_18",), "social": ("tilbveil_antall_16",)}),
    )
    x_files = institution_files(tmp_path, X, seed=seed, n=200, programmes=6, years=2, without=set())
    y_files = institution_files(tmp_path, Y, seed=seed + 10, n=200, programmes=6, years=2, without={2025})

    def own(scores: pd.DataFrame) -> pd.DataFrame:
        rows = scores[scores["institution"] == X].drop(columns=COMPARED)
        return rows.sort_values(["level", "unit_code", "year"], ignore_index=True)

    alone = integration_scores(None, respondent_frame(x_files), settings=settings)
    together = integration_scores(None, respondent_frame(x_files + y_files), settings=settings)
    assert set(together["institution"]) == {X, Y}
    assert set(together.loc[together["institution"] == X, "unit_code"]) & set(
        together.loc[together["institution"] == Y, "unit_code"]
    )  # (programme codes both institutions have)
    pd.testing.assert_frame_equal(own(together), own(alone))


def test_a_file_without_institusjonskode_beside_xs_leaves_xs_hidden_programmes_hidden(tmp_path):
    """X's 2025 file (institution and faculty codes: programmes of 3, 6 and 20 respondents under
    one faculty, min_n 5) alone, and beside another's 2025 file without institusjonskode (its
    own programme codes, and P1 as X has). Alone, the 6 are hidden as the 3's complement. Before,
    beside it the year had no institution and no faculty, so the 6 were shown, and the faculty of
    the one run less the 20 and the 6 of the other gave the 3's answers (a second reader's
    attack, 2026-12-05). Now the file without institusjonskode is a place of its own: X's rows
    are those of X's run, and the other file's those of its own run, its P1 apart from X's."""
    item = "underv_engasj_18"
    answers = iter([1, 2, 3, 4, 5] * 10)
    x = pd.DataFrame(
        [
            {"institusjonskode": X, "fakultetskode": "271", "studprog_kod": programme, "aar": 2025, item: next(answers)}
            for programme, n in (("P1", 3), ("P2", 6), ("P3", 20))
            for _ in range(n)
        ]
    )
    other = pd.DataFrame({"studprog_kod": ["Q1"] * 30 + ["P1"] * 4, "aar": 2025, item: [4] * 30 + [2] * 4})
    x.to_csv(tmp_path / "x.csv", index=False, sep=";")
    other.to_csv(tmp_path / "other.csv", index=False, sep=";")
    for run in ("x", "other", "both"):
        (tmp_path / run).mkdir()
    alone = survey(tmp_path / "x", [str(tmp_path / "x.csv")], 5)
    other_alone = survey(tmp_path / "other", [str(tmp_path / "other.csv")], 5)
    beside = survey(tmp_path / "both", [str(tmp_path / "x.csv"), str(tmp_path / "other.csv")], 5)

    def hidden(items: pd.DataFrame) -> set:
        programmes = items[(items["level"].astype(str) == "programme") & items["suppressed"].astype(bool)]
        return set(zip(programmes["institution_code"].astype(object), programmes["unit_code"].astype(str)))

    assert hidden(alone["items"]) == {(X, "P1"), (X, "P2")}  # (the 3, and the 6 as its complement)
    assert hidden(alone["items"]) <= hidden(beside["items"])
    assert_each_as_in_its_own_run(beside, alone, other_alone)
    # (the other file's P1, of 4 and hidden, is not pooled with X's of 3)
    programmes = beside["items"][beside["items"]["level"].astype(str) == "programme"]
    assert sorted(programmes.loc[programmes["unit_code"].astype(str) == "P1", "n"].tolist()) == [3, 4]


def assert_each_as_in_its_own_run(together: dict, alone: dict, other_alone: dict) -> None:
    """X's rows of every table of the run of both as in the run of X's files alone, and the rows of
    no institution as in the run of the files without institusjonskode alone."""
    for name in TABLES:
        pd.testing.assert_frame_equal(rows_of(together[name], X), rows_of(alone[name], X), check_exact=True, obj=name)
        pd.testing.assert_frame_equal(
            rows_without_institution(together[name]),
            rows_without_institution(other_alone[name]),
            check_exact=True,
            obj=name,
        )

"""Respondent files read column by column in chunks, in two threads, and counted as they
arrive (the national-scale path of ``kvalitet survey``): the same numbers as an independent
pandas groupby, errors naming the right rows across chunks, several files as one.

Chunks are made small (a few hundred rows) so that a file of a few thousand rows spans many
of them; the expected values come from pandas on the file as pyarrow reads it, not from the
product's own code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.errors import InputError
from analysis.metrics import survey as survey_metrics
from analysis.metrics.survey import survey_aggregates, welch_p
from analysis.readers import survey_raw
from analysis.readers.survey_raw import open_survey_respondents, read_survey_respondents
from analysis.settings import SurveySettings
from analysis.synth import generate_respondents, index_config, item_names

ITEMS = item_names(12)
SETTINGS = SurveySettings(min_n=5, warn_n=10, indices=index_config(ITEMS))


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(survey_raw, "CHUNK_ROWS", 257)
    monkeypatch.setattr(survey_metrics, "_CHUNK_ROWS", 300)


def synth_file(path, rows=4000, seed=11, shuffle=False):
    table = generate_respondents(rows, len(ITEMS), 30, 3, seed=seed)
    if shuffle:
        table = table.take(np.random.default_rng(seed).permutation(table.num_rows))
    pq.write_table(table, path)
    return path


def by_pandas(path) -> pd.DataFrame:
    """n, mean, sd per programme × year × item from the file itself: 9999 and blanks dropped."""
    frame = pq.read_table(path).to_pandas()
    long = frame.melt(id_vars=["institusjonskode", "studprog_kod", "aar"], value_vars=ITEMS,
                      var_name="item", value_name="answer")
    long = long[long["answer"].between(1, 5)]
    grouped = long.groupby(["institusjonskode", "studprog_kod", "aar", "item"])["answer"]
    out = grouped.agg(n="count", mean="mean", sd="std").reset_index()
    return out.rename(columns={"institusjonskode": "institution_code", "studprog_kod": "unit_code", "aar": "year"})


def programme_items(result) -> pd.DataFrame:
    items = result.items[result.items["level"] == "programme"]
    return pd.DataFrame({
        "institution_code": items["institution_code"].astype(str).to_numpy(),
        "unit_code": items["unit_code"].astype(str).to_numpy(),
        "year": items["year"].astype(int).to_numpy(), "item": items["item"].astype(str).to_numpy(),
        "n": items["n"].astype(int).to_numpy(), "mean": items["mean"].astype(float).to_numpy(),
        "sd": items["sd"].astype(float).to_numpy(), "suppressed": items["suppressed"].to_numpy()})


@pytest.mark.parametrize("shuffle", [False, True], ids=["sorted", "shuffled"])
def test_chunked_scan_gives_the_numbers_of_an_independent_groupby(tmp_path, small_chunks, shuffle):
    path = synth_file(tmp_path / "sb.parquet", shuffle=shuffle)
    scan = open_survey_respondents(path)
    assert scan.rows == 4000  # 16 chunks of 257 rows
    result = survey_aggregates(scan, settings=SETTINGS)
    ours = programme_items(result)
    theirs = by_pandas(path)
    both = ours.merge(theirs, on=["institution_code", "unit_code", "year", "item"], how="left",
                      suffixes=("", "_pandas"), indicator=True)
    # every cell with answers is there; cells without any answer have n = 0 (pandas has no row)
    assert ((both["_merge"] == "both") | (both["n"] == 0)).all()
    matched = both[both["_merge"] == "both"]
    assert (matched["n"] == matched["n_pandas"]).all()
    shown = ~matched["suppressed"]
    assert shown.sum() > 100
    np.testing.assert_allclose(matched.loc[shown, "mean"], matched.loc[shown, "mean_pandas"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(matched.loc[shown, "sd"], matched.loc[shown, "sd_pandas"], rtol=0, atol=1e-12)
    assert matched.loc[~shown, "mean"].isna().all()


def test_chunks_threads_and_frames_agree_on_every_output(tmp_path, monkeypatch):
    """The scan (chunked, two threads, indices summed as their items complete) and the whole
    frame give the same items, indices and changes."""
    path = synth_file(tmp_path / "sb.parquet")
    whole = survey_aggregates(read_survey_respondents(path).frame, settings=SETTINGS)
    monkeypatch.setattr(survey_raw, "CHUNK_ROWS", 100)
    monkeypatch.setattr(survey_metrics, "_CHUNK_ROWS", 333)
    chunked = survey_aggregates(open_survey_respondents(path), settings=SETTINGS)
    pd.testing.assert_frame_equal(whole.items, chunked.items)
    pd.testing.assert_frame_equal(whole.indices, chunked.indices, rtol=1e-12)
    pd.testing.assert_frame_equal(whole.changes, chunked.changes, rtol=1e-9)
    assert len(chunked.indices) > 0


def test_reading_in_chunks_gives_the_same_frame(tmp_path, monkeypatch):
    path = synth_file(tmp_path / "sb.parquet", rows=1000)
    whole = read_survey_respondents(path)
    monkeypatch.setattr(survey_raw, "CHUNK_ROWS", 64)
    chunked = read_survey_respondents(path)
    pd.testing.assert_frame_equal(whole.frame, chunked.frame)
    assert whole.notes["dont_know_by_item"] == chunked.notes["dont_know_by_item"]
    assert whole.notes["blank"] == chunked.notes["blank"]


def answers_file(path, bad_rows: dict[int, int], rows: int = 35):
    """One item column of 3s; ``bad_rows`` maps a row as the adviser sees it (1 = first) to a
    value."""
    answers = [3] * rows
    for r, v in bad_rows.items():
        answers[r - 1] = v
    pq.write_table(pa.table({"studprog_kod": ["A"] * rows, "aar": pa.array([2024] * rows, pa.int16()),
                             "underv_engasj_18": pa.array(answers, pa.int16())}), path)
    return path


def test_invalid_answers_are_named_by_their_row_across_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(survey_raw, "CHUNK_ROWS", 10)
    path = answers_file(tmp_path / "sb.parquet", {3: 7, 27: 0, 35: 6})
    for read in (read_survey_respondents, lambda p: survey_aggregates(open_survey_respondents(p), settings=SETTINGS)):
        with pytest.raises(InputError) as err:
            read(path)
        found = [(p.row, p.column, p.value) for p in err.value.problems]
        assert found == [(3, "underv_engasj_18", 7), (27, "underv_engasj_18", 0), (35, "underv_engasj_18", 6)]


def test_the_cap_on_listed_problems_holds_across_chunks(tmp_path, monkeypatch):
    # rows 11-70 hold 8: 60 invalid cells over 6 chunks of 10 rows -> 50 listed (rows 11-60),
    # then one line "and 10 more" pointing at row 61, the first one not listed
    monkeypatch.setattr(survey_raw, "CHUNK_ROWS", 10)
    path = answers_file(tmp_path / "sb.parquet", {r: 8 for r in range(11, 71)}, rows=80)
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    problems = err.value.problems
    assert [p.row for p in problems[:50]] == list(range(11, 61))
    assert len(problems) == 51
    assert problems[50].row == 61 and "and 10 more rows" in problems[50].message


def test_several_files_count_as_one_frame(tmp_path):
    """Two deliveries (years): one lacks an item and the faculty column. The items of the
    second are missing for the first file's respondents; faculty rollups need every file."""
    table = generate_respondents(3000, len(ITEMS), 20, 2, seed=3)
    years = table.column("aar").to_numpy()
    first = table.filter(pa.array(years == years.min()))
    second = table.filter(pa.array(years != years.min())).drop_columns(["fakultetskode", ITEMS[-1]])
    pq.write_table(first, tmp_path / "a.parquet")
    pq.write_table(second, tmp_path / "b.parquet")
    scans = [open_survey_respondents(tmp_path / "a.parquet"), open_survey_respondents(tmp_path / "b.parquet")]
    combined = survey_aggregates(scans, settings=SETTINGS)
    assert combined.notes["unit_columns_not_in_every_file"] == ["fakultetskode"]
    assert set(combined.items["level"].astype(str)) == {"programme", "institution"}
    frames = [read_survey_respondents(tmp_path / name).frame for name in ("a.parquet", "b.parquet")]
    frames[0] = frames[0].drop(columns="fakultetskode")
    for key in ("institusjonskode", "studprog_kod"):
        for f in frames:
            f[key] = f[key].astype(str)
    one = pd.concat(frames, ignore_index=True)
    one[ITEMS[-1]] = one[ITEMS[-1]].astype("Int8")
    expected = survey_aggregates(one, settings=SETTINGS)
    pd.testing.assert_frame_equal(expected.items, combined.items, check_categorical=False)
    pd.testing.assert_frame_equal(expected.indices, combined.indices, rtol=1e-12, check_categorical=False)
    last = combined.items[(combined.items["item"] == ITEMS[-1]) & (combined.items["year"] != int(years.min()))]
    assert (last["n"] == 0).all()  # the second file has no answers to the item it lacks


def test_t_quantile_and_welch_match_scipy_stats():
    from scipy import stats

    df = np.array([[1, 4, 30], [120, 0, 9]])
    expected = stats.t.ppf(0.975, np.maximum(df, 1))
    got = survey_metrics._t_quantile(df, 0.95)
    np.testing.assert_allclose(got[df >= 1], expected[df >= 1], rtol=1e-12)
    assert np.isnan(got[df < 1]).all()
    m1, s1, n1 = np.array([3.2, 4.0, 2.5]), np.array([0.9, 1.1, 0.0]), np.array([12, 40, 5])
    m2, s2, n2 = np.array([3.6, 3.9, 2.5]), np.array([1.2, 0.7, 0.0]), np.array([9, 55, 6])
    reference = stats.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=False).pvalue
    np.testing.assert_allclose(welch_p(m1, s1, n1, m2, s2, n2)[:2], reference[:2], rtol=1e-10)
    assert np.isnan(welch_p(m1, s1, n1, m2, s2, n2)[2])  # no variance in either group: no test


def test_every_bad_file_is_reported_not_only_the_first(tmp_path, capsys):
    from analysis.cli import main

    for name, bad_row in (("a.parquet", 2), ("b.parquet", 5), ("c.parquet", 9)):
        answers_file(tmp_path / name, {bad_row: 7}, rows=10)
    code = main(["survey", str(tmp_path / "a.parquet"), str(tmp_path / "b.parquet"), str(tmp_path / "c.parquet")])
    err = capsys.readouterr().err
    assert code == 1
    for name, bad_row in (("a.parquet", 2), ("b.parquet", 5), ("c.parquet", 9)):
        assert f"{tmp_path / name}:{bad_row}:underv_engasj_18: 7" in err


def test_no_respondents_give_empty_tables():
    frame = pd.DataFrame({"studprog_kod": pd.Series([], dtype="str"), "aar": pd.array([], dtype="Int16"),
                          "underv_engasj_18": pd.array([], dtype="Int8")})
    for given in (frame, [frame, frame]):
        result = survey_aggregates(given, settings=SurveySettings(min_n=5, warn_n=10))
        assert len(result.items) == len(result.changes) == 0


def test_faculties_are_not_added_up_across_institutions_without_their_code(tmp_path):
    """Faculty 010 of two institutions is two faculties; a file without institusjonskode
    cannot tell them apart, so the faculty rollup is left out (and said so)."""
    table = generate_respondents(600, 3, 6, 1, seed=2)
    pq.write_table(table, tmp_path / "with.parquet")
    pq.write_table(table.drop_columns(["institusjonskode"]), tmp_path / "without.parquet")
    result = survey_aggregates([open_survey_respondents(tmp_path / "with.parquet"),
                                open_survey_respondents(tmp_path / "without.parquet")], settings=SETTINGS)
    assert set(result.items["level"].astype(str)) == {"programme"}
    assert "no_faculty_rollup" in result.notes


def test_changes_are_ordered_by_level_then_kind(tmp_path):
    path = synth_file(tmp_path / "sb.parquet", rows=2000)
    changes = survey_aggregates(open_survey_respondents(path), settings=SETTINGS).changes
    levels = changes["level"].astype(str).tolist()
    assert levels == sorted(levels, key=["programme", "faculty", "institution"].index)
    programme = changes[changes["level"] == "programme"]["kind"].astype(str).tolist()
    assert programme == sorted(programme, key=["item", "index"].index)


def test_validate_checks_a_respondent_file_as_it_reads_it(tmp_path, monkeypatch, capsys):
    """``kvalitet validate`` checks a respondent file column by column (the scan), with the
    same verdicts and rows as the whole-frame reader."""
    from analysis.cli import main

    monkeypatch.setattr(survey_raw, "CHUNK_ROWS", 10)
    good = answers_file(tmp_path / "good.parquet", {}, rows=35)
    bad = answers_file(tmp_path / "bad.parquet", {27: 6}, rows=35)
    monkeypatch.setattr(survey_raw, "read_survey_respondents", None)  # the frame reader is not used
    assert main(["validate", str(good)]) == 0
    assert f"{good}: ok — sb-respondents, 35 rows" in capsys.readouterr().out
    assert main(["validate", str(bad)]) == 1
    assert f"{bad}:27:underv_engasj_18: 6" in capsys.readouterr().out

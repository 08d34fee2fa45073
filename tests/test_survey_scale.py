"""Respondent files counted as they are read (the national-scale path of ``kvalitet survey``):
the same numbers as an independent pandas computation, errors naming the right rows, several
files as one.

The expected values come from pandas on the file as pyarrow reads it (a melt and a groupby, a
row-wise mean for the indices), not from the product's own code.
"""

from __future__ import annotations

import os
import signal
import time

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.errors import InputError
from analysis.metrics.survey import t_quantile, welch_p
from analysis.metrics.survey_counts import read_survey_respondents
from analysis.metrics.survey_notes import note_lines
from analysis.metrics.survey_tables import survey_aggregates
from analysis.readers import survey_raw
from analysis.readers.survey_raw import open_survey_respondents
from analysis.settings import SurveySettings
from analysis.synth import generate_respondents, index_config, item_names

ITEMS = item_names(12)
SETTINGS = SurveySettings(min_n=5, warn_n=10, indices=index_config(ITEMS))
KEYS = ["institusjonskode", "fakultetskode", "studprog_kod", "aar"]


def synth_file(path, rows=4000, seed=11, shuffle=False):
    table = generate_respondents(rows, len(ITEMS), 30, 3, seed=seed)
    if shuffle:
        table = table.take(np.random.default_rng(seed).permutation(table.num_rows))
    pq.write_table(table, path)
    return path


def by_pandas(path) -> pd.DataFrame:
    """n, mean, sd and the counts of each answer and of 9999 per programme × year × item, from
    the file itself (blanks dropped)."""
    frame = pq.read_table(path).to_pandas()
    long = frame.melt(id_vars=KEYS, value_vars=ITEMS, var_name="item", value_name="answer").dropna()
    grouped = long.groupby(KEYS + ["item"])
    valid = long[long["answer"].between(1, 5)].groupby(KEYS + ["item"])["answer"]
    out = valid.agg(n="count", mean="mean", sd="std")
    for a in range(1, 6):
        out[f"count_{a}"] = grouped["answer"].apply(lambda s, a=a: int((s == a).sum()))
    out["dont_know"] = grouped["answer"].apply(lambda s: int((s == 9999).sum()))
    out = out.reset_index().drop(columns="fakultetskode")
    return out.rename(columns={"institusjonskode": "institution_code", "studprog_kod": "unit_code", "aar": "year"})


def programme_rows(table: pd.DataFrame, name: str = "item") -> pd.DataFrame:
    rows = table[table["level"] == "programme"]
    out = pd.DataFrame(
        {
            "institution_code": rows["institution_code"].astype(str).to_numpy(),
            "unit_code": rows["unit_code"].astype(str).to_numpy(),
            "year": rows["year"].astype(int).to_numpy(),
            name: rows[name].astype(str).to_numpy(),
        }
    )
    for column in ("n", "mean", "sd", "suppressed", *(f"count_{a}" for a in range(1, 6)), "dont_know"):
        if column in rows:
            out[column] = (
                rows[column].to_numpy(dtype=float if column != "suppressed" else bool, na_value=np.nan)
                if column != "suppressed"
                else rows[column].to_numpy()
            )
    return out


@pytest.mark.parametrize("shuffle", [False, True], ids=["sorted", "shuffled"])
def test_counting_gives_the_numbers_of_an_independent_groupby(tmp_path, shuffle):
    path = synth_file(tmp_path / "sb.parquet", shuffle=shuffle)
    result = survey_aggregates(open_survey_respondents(path), settings=SETTINGS)
    both = programme_rows(result.items).merge(
        by_pandas(path),
        on=["institution_code", "unit_code", "year", "item"],
        how="left",
        suffixes=("", "_pandas"),
        indicator=True,
    )
    # every cell with answers is there; a cell without a single answer has n = 0 (pandas has no row)
    assert ((both["_merge"] == "both") | (both["n"] == 0)).all()
    matched = both[both["_merge"] == "both"]
    assert (matched["n"] == matched["n_pandas"]).all()
    shown = ~matched["suppressed"]
    assert shown.sum() > 100 and (~shown).sum() > 0
    for column in ("mean", "sd"):
        np.testing.assert_allclose(
            matched.loc[shown, column], matched.loc[shown, f"{column}_pandas"], rtol=0, atol=1e-12
        )
    for column in (*(f"count_{a}" for a in range(1, 6)), "dont_know"):
        assert (matched.loc[shown, column] == matched.loc[shown, f"{column}_pandas"]).all(), column
        assert matched.loc[~shown, column].isna().all()  # hidden with the cell
    assert matched.loc[~shown, "mean"].isna().all()


#: indices that share items (counted by the task of the index they share with) and an index of
#: a single item, besides items in no index
SHARING = SurveySettings(
    min_n=5,
    warn_n=10,
    indices={"a": tuple(ITEMS[0:4]), "b": tuple(ITEMS[3:6]), "c": (ITEMS[5], ITEMS[8]), "d": (ITEMS[10],)},
)


@pytest.mark.parametrize(
    ("settings", "row_group", "block"),
    [(SETTINGS, None, None), (SHARING, 700, 500)],
    ids=["configured", "sharing-items-in-row-groups-and-blocks"],
)
def test_indices_are_the_mean_of_each_respondents_index(tmp_path, monkeypatch, settings, row_group, block):
    """The index rule computed per respondent with pandas (mean of the answered items, when at
    most index_max_missing are missing), then averaged per programme. Also when indices share
    items, the file is read in several row groups and the respondents are summed a few hundred
    at a time."""
    from analysis.metrics import survey_counts

    if block:
        monkeypatch.setattr(survey_counts, "_SUMS_BLOCK", block)
    path = tmp_path / "sb.parquet"
    pq.write_table(generate_respondents(3000, len(ITEMS), 30, 3, seed=11), path, row_group_size=row_group)
    assert pq.ParquetFile(path).metadata.num_row_groups == (5 if row_group else 1)
    frame = pq.read_table(path).to_pandas()
    result = survey_aggregates(open_survey_respondents(path), settings=settings).indices
    ours = programme_rows(result, "index_name")
    assert len(settings.indices) >= 2
    for name, members in settings.indices.items():
        raw = frame[list(members)]
        answers = raw.where((raw >= 1) & (raw <= 5))
        missing = answers.isna().sum(axis=1)
        value = answers.mean(axis=1).where((missing <= settings.index_max_missing) & (missing < len(members)))
        expected = value.groupby([frame["studprog_kod"].rename("unit_code"), frame["aar"].rename("year")]).agg(
            n_pandas="count", mean_pandas="mean"
        )
        mine = ours[ours["index_name"] == name].set_index(["unit_code", "year"])
        joined = mine.join(expected, how="inner")
        assert len(joined) == len(mine)
        assert (joined["n"] == joined["n_pandas"]).all()
        shown = ~joined["suppressed"]
        assert shown.sum() > 20
        np.testing.assert_allclose(joined.loc[shown, "mean"], joined.loc[shown, "mean_pandas"], rtol=0, atol=1e-12)


def test_each_column_is_read_once_though_indices_share_it(tmp_path, monkeypatch):
    """Columns are read by two threads, an index's items by one: indices that share an item are
    read together, so that no column is read (and counted) twice."""
    path = tmp_path / "sb.parquet"
    pq.write_table(generate_respondents(1000, len(ITEMS), 10, 2, seed=3), path, row_group_size=400)
    reads: list[tuple[str, int | None]] = []
    read = survey_raw.RespondentFile.read

    def counted(self, columns, piece=None):
        reads.extend((column, piece) for column in columns)
        return read(self, columns, piece)

    monkeypatch.setattr(survey_raw.RespondentFile, "read", counted)
    survey_aggregates(open_survey_respondents(path), settings=SHARING)
    items = [(column, piece) for column, piece in reads if column in ITEMS]
    assert sorted(items) == sorted((item, piece) for item in ITEMS for piece in range(3))


@pytest.mark.parametrize("bad_year", [False, True], ids=["cells", "cells-and-a-key"])
def test_problems_in_columns_counted_at_once_are_listed_in_row_order(tmp_path, bad_year):
    """Bad cells in an index's item and in items of no index, read by different threads (one
    finds its problem while the other is counting; with a bad key, from the start): every one
    listed, by row and then column."""
    table = generate_respondents(900, len(ITEMS), 10, 2, seed=5)
    columns = {name: table.column(name).to_pylist() for name in table.column_names}
    bad = {(40, ITEMS[0], 7), (12, ITEMS[9], 6), (40, ITEMS[9], 0), (700, ITEMS[2], 8), (899, ITEMS[11], 3.5)}
    for row, column, value in bad:
        columns[column][row - 1] = value
    if bad_year:
        columns["aar"][299] = 1899
        bad.add((300, "aar", 1899))
    path = tmp_path / "sb.parquet"
    schema = table.schema.set(table.schema.get_field_index(ITEMS[11]), pa.field(ITEMS[11], pa.float64()))
    pq.write_table(pa.table(columns, schema=schema), path, row_group_size=250)
    with pytest.raises(InputError) as err:
        survey_aggregates(open_survey_respondents(path), settings=SHARING)
    assert [(p.row, p.column, p.value) for p in err.value.problems] == sorted(bad, key=lambda p: (p[0], p[1]))


def test_a_ctrl_c_while_counting_stops_both_threads(tmp_path, monkeypatch):
    """A Ctrl-C reaches the main thread, which waits for the counting threads: both stop at
    their next piece of a column (not after the columns of their task)."""
    import threading

    from analysis.metrics import survey_counts

    path = tmp_path / "sb.parquet"
    pq.write_table(generate_respondents(3000, len(ITEMS), 10, 2, seed=6), path, row_group_size=50)
    read: list[str] = []
    lock = threading.Lock()
    pieces = survey_counts._pieces

    def counted(file, name, stop):
        for piece in pieces(file, name, stop):
            with lock:
                read.append(name)
                if len(read) == 10:
                    signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
            time.sleep(0.005)
            yield piece

    monkeypatch.setattr(survey_counts, "_pieces", counted)
    # Python's own Ctrl-C handler: a runner may ignore SIGINT in its workers (mutmut's do)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            survey_aggregates(open_survey_respondents(path), settings=SHARING)
    finally:
        signal.signal(signal.SIGINT, previous)
    # a task holds 3-6 columns of 60 pieces each: finishing them would read hundreds of pieces
    assert 10 <= len(read) < 100, len(read)


def test_a_task_that_fails_stops_the_other_thread(tmp_path, monkeypatch):
    """A file that cannot be read any further in one counting task (here the second task's
    column) stops the task running beside it at its next piece, instead of after all of its
    columns; the error raised is that file's."""
    import threading

    from analysis.metrics import survey_counts

    path = tmp_path / "sb.parquet"
    pq.write_table(generate_respondents(3000, len(ITEMS), 10, 2, seed=6), path, row_group_size=50)
    read: list[str] = []
    lock = threading.Lock()
    pieces = survey_counts._pieces
    failing = survey_counts._tasks(open_survey_respondents(path), ITEMS, SHARING.indices)[1].columns[0]

    def counted(file, name, stop):
        if name == failing:
            time.sleep(0.05)  # the first task is under way
            raise survey_raw._unreadable_parquet(path, OSError("Unexpected end of stream"))
        for piece in pieces(file, name, stop):
            with lock:
                read.append(name)
            time.sleep(0.005)
            yield piece

    monkeypatch.setattr(survey_counts, "_pieces", counted)
    with pytest.raises(InputError) as err:
        survey_aggregates(open_survey_respondents(path), settings=SHARING)
    assert "cannot be read as Parquet" in err.value.problems[0].message
    # the first task holds 7 columns of 60 pieces: finishing it would read 420
    assert len(read) < 200, len(read)


def test_a_file_replaced_after_it_was_opened_is_read_as_it_was(tmp_path):
    """A delivery replaced on disk (by a sync tool or a new export) between opening and counting:
    the counts are the opened file's, from its header to its last cell."""
    path, other = tmp_path / "sb.parquet", tmp_path / "new.parquet"
    synth_file(path, rows=2000, seed=1)
    synth_file(other, rows=3000, seed=2)
    expected = survey_aggregates(open_survey_respondents(path), settings=SETTINGS).items
    opened = open_survey_respondents(path)
    os.replace(other, path)
    pd.testing.assert_frame_equal(survey_aggregates(opened, settings=SETTINGS).items, expected)


def _without_allocator_settings() -> dict[str, str]:
    """This process's environment without the allocator settings the survey command makes."""
    return {k: v for k, v in os.environ.items() if k not in ("ARROW_DEFAULT_MEMORY_POOL", "JE_ARROW_MALLOC_CONF")}


@pytest.mark.parametrize(
    "variable, given",
    [
        ("ARROW_DEFAULT_MEMORY_POOL", None),
        ("ARROW_DEFAULT_MEMORY_POOL", "mimalloc"),
        ("JE_ARROW_MALLOC_CONF", None),
        ("JE_ARROW_MALLOC_CONF", "narenas:2"),
    ],
    ids=["arrow-pool-unset", "arrow-pool-the-users-own", "jemalloc-unset", "jemalloc-the-users-own"],
)
def test_the_survey_commands_allocator_settings_stay_in_its_process(variable, given):
    """``kvalitet survey`` sets Arrow's C++ pool (ARROW_DEFAULT_MEMORY_POOL) and jemalloc's
    arenas (JE_ARROW_MALLOC_CONF) only while Arrow reads them: no child process inherits them,
    and a user's own value is left as it is."""
    import subprocess
    import sys

    env = _without_allocator_settings()
    if given:
        env[variable] = given
    code = (
        "import os\n"
        "from analysis.commands.survey import _return_freed_memory\n"
        "_return_freed_memory()\n"
        f"print(os.environ.get({variable!r}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(given)


def test_jemalloc_reads_the_one_arena_setting_while_it_is_set():
    """The arena setting is given to jemalloc while it reads its settings (when pyarrow is
    loaded), not after: a setting it cannot read, put in the same place, is reported then."""
    import subprocess
    import sys

    try:
        pa.jemalloc_memory_pool()
    except NotImplementedError:
        pytest.skip("this pyarrow is built without jemalloc: the setting does not apply")

    env = _without_allocator_settings()
    code = (
        "import os\n"
        "class Environ(type(os.environ)):\n"
        "    def __setitem__(self, key, value):\n"
        "        super().__setitem__(key, 'not_a_setting:1' if key == 'JE_ARROW_MALLOC_CONF' else value)\n"
        "os.environ.__class__ = Environ\n"
        "from analysis.commands.survey import _return_freed_memory\n"
        "_return_freed_memory()\n"
        "print('made', flush=True)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Invalid conf pair: not_a_setting:1" in done.stderr, done.stderr


def test_the_survey_command_sets_its_allocators_when_its_outputs_are_already_there(tmp_path):
    """A second run over the same --out folder (kvalitet's own tables there, checked before they
    are written over) gets the allocator settings as the first does: Arrow and jemalloc read
    theirs when pyarrow is loaded, and checking an existing table loads it, so the settings are
    made before that check. (They were not: a second run at 3 M respondents peaked at ~260 MB
    against ~205 MB for the first.)"""
    import subprocess
    import sys

    path, out = synth_file(tmp_path / "sb.parquet", rows=500), tmp_path / "out"
    out.mkdir()
    env = _without_allocator_settings()
    code = (
        "import sys\n"
        "import analysis.commands.survey as survey\n"
        "settings = survey._return_freed_memory\n"
        "def watched():\n"
        "    print('pyarrow loaded before the settings' if 'pyarrow' in sys.modules else 'settings first')\n"
        "    settings()\n"
        "survey._return_freed_memory = watched\n"
        "from analysis.cli import main\n"
        f"assert main(['survey', {str(path)!r}, '--out', {str(out)!r}]) == 0\n"
    )
    said = []
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        said.append(done.stdout.strip())
    assert sorted(p.name for p in out.iterdir()) == [f"survey_{n}.parquet" for n in ("changes", "indices", "items")]
    assert said == ["settings first", "settings first"]


def test_a_damaged_page_is_a_clear_error_not_a_traceback(tmp_path, capsys):
    """A column chunk damaged in the middle of the file (the footer intact), read by a counting
    thread: one line naming the file and what to do, exit 1, nothing written. (Bytes of 0xff in
    the middle of a Snappy-compressed page: the decompressor refuses them with the pyarrow of
    requirements.lock; a damage it let through would be read as cells and checked as such.)"""
    from analysis.cli import main

    path = tmp_path / "sb.parquet"
    pq.write_table(generate_respondents(4000, len(ITEMS), 30, 3, seed=11), path, row_group_size=1000)
    chunk = pq.ParquetFile(path).metadata.row_group(2).column(8)
    data = bytearray(path.read_bytes())
    middle = chunk.data_page_offset + chunk.total_compressed_size // 2
    data[middle : middle + 40] = b"\xff" * 40
    path.write_bytes(bytes(data))
    out = tmp_path / "out.parquet"
    assert main(["survey", str(path), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:-:-:" in err and "cannot be read as Parquet" in err and "export it again" in err
    assert "Traceback" not in err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["sb.parquet"]


def test_a_file_and_its_validated_frame_give_the_same_results(tmp_path):
    """The validated frame keeps "vet ikke" (9999), so every table it gives is the file's, the
    "vet ikke" counts included."""
    path = synth_file(tmp_path / "sb.parquet")
    from_file = survey_aggregates(open_survey_respondents(path), settings=SETTINGS)
    from_frame = survey_aggregates(read_survey_respondents(path).frame, settings=SETTINGS)
    pd.testing.assert_frame_equal(from_file.items, from_frame.items)
    pd.testing.assert_frame_equal(from_file.indices, from_frame.indices, rtol=1e-12)
    pd.testing.assert_frame_equal(from_file.changes, from_frame.changes, rtol=1e-9)
    assert len(from_file.indices) > 0 and len(from_file.changes) > 0
    shown = ~from_frame.items["suppressed"]
    assert from_frame.items.loc[shown, "dont_know"].notna().all() and from_frame.items["dont_know"].sum() > 0


def test_the_validated_frame_counts_vet_ikke_as_the_file_has_it(tmp_path):
    """Counted by hand from the file: per programme and item, the cells that hold 9999."""
    path = synth_file(tmp_path / "sb.parquet")
    raw = pq.read_table(path).to_pandas()
    items = survey_aggregates(read_survey_respondents(path).frame, settings=SETTINGS).items
    programmes = items[(items["level"] == "programme") & ~items["suppressed"]]
    assert len(programmes) > 0
    for _, row in programmes.iterrows():
        mine = raw[(raw["studprog_kod"] == row["unit_code"]) & (raw["aar"] == row["year"])]
        assert row["dont_know"] == (mine[row["item"]] == 9999).sum(), (row["unit_code"], row["item"])


def answers_file(path, bad_rows: dict[int, int], rows: int = 35):
    """One item column of 3s; ``bad_rows`` maps a row as the adviser sees it (1 = first) to a
    value."""
    answers = [3] * rows
    for r, v in bad_rows.items():
        answers[r - 1] = v
    pq.write_table(
        pa.table(
            {
                "studprog_kod": ["A"] * rows,
                "aar": pa.array([2024] * rows, pa.int16()),
                "underv_engasj_18": pa.array(answers, pa.int16()),
            }
        ),
        path,
    )
    return path


def test_invalid_answers_are_named_by_their_row(tmp_path):
    path = answers_file(tmp_path / "sb.parquet", {3: 7, 27: 0, 35: 6})
    for read in (read_survey_respondents, lambda p: survey_aggregates(open_survey_respondents(p), settings=SETTINGS)):
        with pytest.raises(InputError) as err:
            read(path)
        found = [(p.row, p.column, p.value) for p in err.value.problems]
        assert found == [(3, "underv_engasj_18", 7), (27, "underv_engasj_18", 0), (35, "underv_engasj_18", 6)]


def test_the_cap_on_listed_problems(tmp_path):
    # rows 11-70 hold 8: 60 invalid cells -> 50 listed (rows 11-60), then row 61, the first
    # past the limit, with its value and "9 more" below it
    path = answers_file(tmp_path / "sb.parquet", {r: 8 for r in range(11, 71)}, rows=80)
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    problems = err.value.problems
    assert [p.row for p in problems[:50]] == list(range(11, 61))
    assert len(problems) == 51
    assert problems[50].row == 61 and problems[50].value == 8 and "; 9 more rows" in problems[50].message


def test_several_files_count_as_one_frame(tmp_path):
    """Two deliveries (years): the second lacks an item and the faculty column. The item is
    missing for the second file's respondents; the faculty rollup needs every file of a year,
    so the first year has its faculties, as in a run on its file alone, and the second none,
    as in a run on respondents without faculty codes."""
    table = generate_respondents(3000, len(ITEMS), 20, 2, seed=3)
    years = table.column("aar").to_numpy()
    first = table.filter(pa.array(years == years.min()))
    second = table.filter(pa.array(years != years.min())).drop_columns(["fakultetskode", ITEMS[-1]])
    pq.write_table(first, tmp_path / "a.parquet")
    pq.write_table(second, tmp_path / "b.parquet")
    files = [open_survey_respondents(tmp_path / "a.parquet"), open_survey_respondents(tmp_path / "b.parquet")]
    combined = survey_aggregates(files, settings=SETTINGS)
    # (named for the institutions whose files lack it: every file of the year has institution codes)
    institutions = sorted(set(second.column("institusjonskode").to_pylist()))
    assert "unit_columns_not_in_every_file" not in combined.notes
    assert combined.notes["faculty_column_not_in_every_file_of"] == {int(years.max()): institutions}
    frames = [read_survey_respondents(tmp_path / name).frame for name in ("a.parquet", "b.parquet")]
    frames[0] = frames[0].drop(columns="fakultetskode")
    for key in ("institusjonskode", "studprog_kod"):
        for f in frames:
            f[key] = f[key].astype(str)
    one = pd.concat(frames, ignore_index=True)
    one[ITEMS[-1]] = one[ITEMS[-1]].astype("Int16")  # (missing in the second file's rows)
    without_faculties = survey_aggregates(one, settings=SETTINGS)
    first_alone = survey_aggregates(open_survey_respondents(tmp_path / "a.parquet"), settings=SETTINGS)

    def of_year(frame: pd.DataFrame, year: int) -> pd.DataFrame:
        return frame[frame["year"] == year].reset_index(drop=True)

    for year, expected in ((int(years.min()), first_alone), (int(years.max()), without_faculties)):
        got = combined.items[combined.items["year"] == year]
        levels = {"programme", "faculty", "institution"} if year == years.min() else {"programme", "institution"}
        assert set(got["level"].astype(str)) == levels
        pd.testing.assert_frame_equal(
            of_year(expected.items, year), of_year(combined.items, year), check_categorical=False
        )
        pd.testing.assert_frame_equal(
            of_year(expected.indices, year), of_year(combined.indices, year), rtol=1e-12, check_categorical=False
        )
    last = combined.items[(combined.items["item"] == ITEMS[-1]) & (combined.items["year"] != int(years.min()))]
    assert (last["n"] == 0).all()  # the second file has no answers to the item it lacks


#: (faculty, programme) -> respondents a year, for the runs whose second year lacks fakultetskode
TWO_YEAR_PROGRAMMES = {("271", "P1"): 3, ("271", "P2"): 10, ("250", "Q1"): 6}


def _second_year_partly_without_faculty(tmp_path, programmes=TWO_YEAR_PROGRAMMES):
    """File a: 2024 and half of 2025's respondents, with fakultetskode; file b: the rest of
    2025, without (``programmes``: (faculty, programme) -> respondents a year, answers 1–5 in
    turn)."""
    item = ITEMS[0]

    def rows(year: int, part: slice) -> list[dict]:
        out = []
        for (faculty, programme), n in programmes.items():
            for k in range(n)[part]:
                out.append(
                    {"institusjonskode": "1150", "fakultetskode": faculty, "studprog_kod": programme}
                    | {"aar": year, item: k % 5 + 1}
                )
        return out

    pd.DataFrame(rows(2024, slice(None)) + rows(2025, slice(0, None, 2))).to_csv(tmp_path / "a.csv", index=False)
    pd.DataFrame(rows(2025, slice(1, None, 2))).drop(columns="fakultetskode").to_csv(tmp_path / "b.csv", index=False)
    return survey_aggregates(
        [open_survey_respondents(tmp_path / name) for name in ("a.csv", "b.csv")],
        settings=SurveySettings(min_n=5, warn_n=5),
    )


def test_a_year_whose_files_all_have_the_faculty_keeps_its_faculties(tmp_path):
    """Every 2024 respondent has a faculty code, so 2024 has its faculties (each its
    programmes' respondents, by hand); 2025 has none (its respondents in b have no faculty), and
    its institution has all of 2025's respondents."""
    result = _second_year_partly_without_faculty(tmp_path)
    n = {(r.level, r.unit_code, r.year): r.n for r in result.items.astype({"level": str}).itertuples()}
    assert {k: v for k, v in n.items() if k[0] != "programme"} == {
        ("faculty", "250", 2024): 6,
        ("faculty", "271", 2024): 13,
        ("institution", "1150", 2024): 19,
        ("institution", "1150", 2025): 19,
    }
    assert result.notes["faculty_column_not_in_every_file_of"] == {2025: ["1150"]}


def test_the_note_of_one_institution_without_its_faculties_tells_of_no_other(tmp_path):
    """One institution's files, 2025's partly without fakultetskode: the note names it and says
    what to do, and speaks of no other institution's faculties (there is none to keep: an
    adviser with their own institution's files read "other institutions' faculties are kept")."""
    lines = note_lines(_second_year_partly_without_faculty(tmp_path).notes, None)
    faculty = [line for line in lines if line.startswith("fakultetskode")]
    assert faculty == [
        "fakultetskode is not a column of every file with respondents of institution 1150 in 2025: no faculty "
        "results for 1150 in 2025, as a faculty's would leave out the respondents of the files without it (give "
        "every file with respondents of 1150 in 2025 the column)"
    ]


def test_a_programme_is_one_unit_across_a_year_without_its_faculty_code(tmp_path):
    """2025's programmes have no faculty (its files do not all have fakultetskode), 2024's do:
    each is still the same programme, and its change from 2024 to 2025 is in the changes table
    (read as two units, the programmes had none). Every programme has at least min_n 5
    answers a year, so nothing is hidden; by hand from the answers 1–5 in turn, each year has
    the same answers: P1 1–5, P2 1–5 twice, Q1 1–5 and 1, so every change is 0."""
    programmes = {("271", "P1"): 5, ("271", "P2"): 10, ("250", "Q1"): 6}
    changes = _second_year_partly_without_faculty(tmp_path, programmes).changes.astype({"level": str})
    programmes = changes[(changes["level"] == "programme") & (changes["kind"] == "item")]
    rows = {r.unit_code: r for r in programmes.itertuples()}
    assert sorted(rows) == ["P1", "P2", "Q1"]
    assert all((r.year, r.previous_year) == (2025, 2024) for r in rows.values())
    assert [(rows[p].n, rows[p].n_previous) for p in ("P1", "P2", "Q1")] == [(5, 5), (10, 10), (6, 6)]
    assert all(abs(r.change) < 1e-12 for r in rows.values())
    # the 2025 row carries 2025's unit columns: no faculty
    assert programmes["faculty_code"].isna().all()


def test_a_programme_is_never_paired_across_a_year_without_institution_codes(tmp_path):
    """2024 comes without institusjonskode, one file per institution, both with programme P:
    1150's six answers all 5, 1110's six all 1, pooled into one P (mean 3). 2025 has the codes:
    P of 1110 (mean 1) and P of 1150 (mean 5). A programme code is one programme only within an
    institution: neither 2025 P is 2024's pooled P, so no programme change is made (they read
    −2 and +2 against the pooled mean, where each institution's own change is 0: a second
    reader)."""
    item = ITEMS[0]
    for year in (2024, 2025):
        for institution, answer in (("1150", 5), ("1110", 1)):
            rows = pd.DataFrame({"institusjonskode": institution, "studprog_kod": "P", "aar": year, item: [answer] * 6})
            rows.drop(columns=[] if year == 2025 else ["institusjonskode"]).to_csv(
                tmp_path / f"{year}_{institution}.csv", index=False
            )
    result = survey_aggregates(
        [open_survey_respondents(path) for path in sorted(tmp_path.glob("*.csv"))],
        settings=SurveySettings(min_n=5, warn_n=5),
    )
    items = result.items.astype({"level": str})
    means = {
        (None if pd.isna(r.institution_code) else r.institution_code, int(r.year)): r.mean
        for r in items[items["level"] == "programme"].itertuples()
    }
    assert means == {(None, 2024): 3.0, ("1110", 2025): 1.0, ("1150", 2025): 5.0}
    changes = result.changes.astype({"level": str})
    assert changes[changes["level"] == "programme"].empty


def test_a_code_stored_as_a_wide_whole_number_is_counted_as_its_text(tmp_path):
    """A Parquet file whose institusjonskode is int64 5 000 000 000 (beyond 32 bits) stopped
    with "unexpected error: OverflowError" (a second reader): its codes are numbered as any
    other key's, and the institution's respondents are the file's (200, by construction)."""
    table = generate_respondents(200, len(ITEMS), 5, 1, seed=1)
    column = table.schema.get_field_index("institusjonskode")
    wide = table.set_column(
        column, pa.field("institusjonskode", pa.int64()), pa.array([5_000_000_000] * 200, pa.int64())
    )
    pq.write_table(wide, tmp_path / "wide.parquet")
    items = survey_aggregates(open_survey_respondents(tmp_path / "wide.parquet"), settings=SETTINGS).items
    institution = items[items["level"].astype(str) == "institution"]
    assert set(institution["unit_code"].astype(str)) == {"5000000000"}
    answered = table.column(ITEMS[0]).to_numpy(zero_copy_only=False)
    expected = int(((answered >= 1) & (answered <= 5)).sum())
    assert int(institution.loc[institution["item"] == ITEMS[0], "n"].iloc[0]) == expected


def test_one_delivery_split_in_two_files_counts_as_the_whole(tmp_path):
    """The same programmes and years in two files (one delivery split by rows, every other
    respondent): each programme's two groups of respondents add up to the programme, as when
    the file is counted whole."""
    table = generate_respondents(3000, len(ITEMS), 20, 2, seed=4)
    pq.write_table(table, tmp_path / "whole.parquet")
    pq.write_table(table.take(list(range(0, table.num_rows, 2))), tmp_path / "a.parquet")
    pq.write_table(table.take(list(range(1, table.num_rows, 2))), tmp_path / "b.parquet")
    whole = survey_aggregates(open_survey_respondents(tmp_path / "whole.parquet"), settings=SETTINGS)
    split = survey_aggregates(
        [open_survey_respondents(tmp_path / name) for name in ("a.parquet", "b.parquet")], settings=SETTINGS
    )
    programmes = whole.items[whole.items["level"] == "programme"]
    assert len(programmes) and (programmes["n"] > 0).any()
    pd.testing.assert_frame_equal(whole.items, split.items, check_categorical=False)
    pd.testing.assert_frame_equal(whole.indices, split.indices, rtol=1e-12, check_categorical=False)
    pd.testing.assert_frame_equal(whole.changes, split.changes, rtol=1e-12, check_categorical=False)


def _programme_and_faculty_units(rows: int, programme: np.ndarray, faculty: np.ndarray):
    """Units of two levels, each group's programme row and faculty row given (codes and years
    left empty: only the rollups are looked at)."""
    import analysis.metrics.survey_tables as survey_tables

    return survey_tables.Units(
        np.zeros(rows, np.int8),
        np.full(rows, None),
        np.full(rows, None),
        np.full(rows, None),
        np.zeros(rows, np.int16),
        [programme, faculty],
        ["programme", "faculty"],
    )


def test_groups_of_a_year_without_a_level_add_up_into_none_of_its_units():
    """A faculty parent of −1 (a year without faculties) adds the group into no unit, in both
    ways of adding up (answer counts a run of groups at a time, index sums one by one)."""
    per_group = np.arange(1, 7, dtype=np.int32).reshape(6, 1, 1) * np.ones((1, 2, 6), np.int32)
    faculty = np.array([6, 6, 7, -1, -1, 7])  # groups 3 and 4: a year without faculties
    units = _programme_and_faculty_units(8, np.arange(6), faculty)
    expected = np.zeros((8, 2, 6), np.int32)
    expected[:6] = per_group
    expected[6] = 1 + 2  # groups 0 and 1
    expected[7] = 3 + 6  # groups 2 and 5
    np.testing.assert_array_equal(units.add_up(per_group), expected)
    np.testing.assert_array_equal(units.add_up(per_group[:, 0, 0].astype(float)), expected[:, 0, 0])
    one_each = _programme_and_faculty_units(8, np.arange(6), np.array([6, -1, -1, -1, -1, 7]))
    assert one_each.add_up(per_group[:, 0, 0].astype(float)).tolist() == [1, 2, 3, 4, 5, 6, 1, 6]


def test_rollups_add_up_alike_a_block_of_columns_at_a_time(monkeypatch):
    """Adding a level's groups up a few columns at a time (as a national table is) gives each
    unit the sum of its groups' counts, exactly as adding them one group at a time."""
    import analysis.metrics.survey_tables as survey_tables

    rng = np.random.default_rng(7)
    per_group = rng.integers(0, 50, size=(30, 4, 6)).astype(np.int32)
    faculty = rng.integers(0, 5, size=30)  # several groups per unit, in no order
    programme = rng.permutation(30)  # one group per unit
    units = _programme_and_faculty_units(35, programme, 30 + faculty)
    expected = np.zeros((35, 4, 6), np.int32)
    for level in units.parents:
        np.add.at(expected, level, per_group)
    monkeypatch.setattr(survey_tables, "_ADD_UP_CELLS", 7)  # 30 groups: a column at a time
    np.testing.assert_array_equal(units.add_up(per_group), expected)
    monkeypatch.setattr(survey_tables, "_ADD_UP_CELLS", 3 * 30)  # three columns at a time
    np.testing.assert_array_equal(units.add_up(per_group), expected)


@pytest.mark.parametrize("seed", range(20))
def test_units_and_their_previous_years_by_their_definition(seed):
    """The units of random keys (codes missing or not, unit columns in every file of an
    institution's year or not, files without institution codes beside others) are the distinct places of each level sorted by institution, faculty, code and year
    (None first), each group's parent is the unit of its place (none at a level its year does
    not have), and each unit's previous year is the unit with the same level and codes a year
    before: a dictionary of tuples, written out here."""
    import types

    import analysis.metrics.survey_tables as survey_tables
    from analysis.metrics.survey_counts import GroupCounts

    rng = np.random.default_rng(seed)
    groups = int(rng.integers(0, 40))
    # each group from one of four files, each with or without each unit column (a group of a
    # file without a column has no code: an empty code is refused)
    files = [{k: rng.random() < 0.7 for k in ("institusjonskode", "fakultetskode")} for _ in range(4)]
    of_file = [int(rng.integers(0, len(files))) for _ in range(groups)]
    codes = {"institusjonskode": ["194", "186", "0186"], "fakultetskode": ["10", "2", "A"]}
    keys = {
        **{k: [str(rng.choice(c)) if files[f][k] else None for f in of_file] for k, c in codes.items()},
        "studprog_kod": [str(rng.choice(["P1", "P2", "p1", "10"])) for _ in range(groups)],
        "aar": [int(rng.choice([2019, 2020, 2021, 2023])) for _ in range(groups)],
    }
    counts = GroupCounts(
        keys, np.zeros((groups, 1, 6)), *(np.zeros((groups, 0)) for _ in range(4)), index_scale=np.ones(0)
    )
    units = survey_tables.Units.of(counts, {})

    # an institution × year's levels, from its own files: the institution, and its faculties
    # where every file with its respondents has their code; the files of a year without
    # institution codes are a place of their own (None), of no institution, with faculties
    # where every one of them has their code
    lacking = {(i, y) for i, f, y in zip(keys["institusjonskode"], keys["fakultetskode"], keys["aar"]) if f is None}
    by_faculty = [(i, y) not in lacking for i, y in zip(keys["institusjonskode"], keys["aar"])]
    by_institution = [i is not None for i in keys["institusjonskode"]]
    institution = keys["institusjonskode"]
    faculty = [f if rolled else None for f, rolled in zip(keys["fakultetskode"], by_faculty)]
    places = {"programme": list(zip(institution, faculty, keys["studprog_kod"], keys["aar"]))}
    if any(by_faculty):
        places["faculty"] = [
            (i, f, f, y) if rolled else None for i, f, y, rolled in zip(institution, faculty, keys["aar"], by_faculty)
        ]
    if any(by_institution):
        places["institution"] = [
            (i, None, i, y) if rolled else None for i, y, rolled in zip(institution, keys["aar"], by_institution)
        ]
    rows, parents = [], []
    for level, place in places.items():
        distinct = sorted({t for t in place if t}, key=lambda t: (t[0] or "", t[1] or "", t[2], t[3]))
        parents.append([len(rows) + distinct.index(t) if t else -1 for t in place])
        rows += [(survey_tables.LEVELS.index(level), *t) for t in distinct]
    got = list(zip(units.level.tolist(), units.institution, units.faculty, units.code, units.year.tolist()))
    assert got == rows and units.levels == list(places)
    assert [p.tolist() for p in units.parents] == parents

    now, before = survey_tables.SurveyTables._year_pairs(types.SimpleNamespace(units=units))
    row_of = {row: r for r, row in enumerate(rows)}
    expected = [(r, row_of[(*row[:4], row[4] - 1)]) for r, row in enumerate(rows) if (*row[:4], row[4] - 1) in row_of]
    # and a programme in a year its institution has no faculty codes (its files lack them), or
    # after one, is the programme of the year before with its code and institution where exactly
    # one such is, not paired already, and claimed by no other programme: every pair of rows here
    coded = {(row[1], row[4]) for row in rows if row[0] == 0 and row[2] is not None}
    paired = {r for r, _ in expected}
    used = {b for _, b in expected}
    claims: dict[int, list[int]] = {}
    for r, row in enumerate(rows):
        if row[0] != 0 or r in paired:
            continue
        candidates = [
            b
            for b, other in enumerate(rows)
            if other[0] == 0
            and (other[1], other[3], other[4]) == (row[1], row[3], row[4] - 1)
            and (other[2] == row[2] or (row[1], row[4]) not in coded or (other[1], other[4]) not in coded)
        ]
        if len(candidates) == 1 and candidates[0] not in used:
            claims.setdefault(candidates[0], []).append(r)
    expected += [(now[0], b) for b, now in claims.items() if len(now) == 1]
    assert list(zip(now.tolist(), before.tolist())) == sorted(expected)


def test_t_quantile_and_welch_match_scipy_stats():
    from scipy import stats

    df = np.array([[1, 4, 30], [120, 0, 9]])
    expected = stats.t.ppf(0.975, np.maximum(df, 1))
    got = t_quantile(df, 0.95)
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
    frame = pd.DataFrame(
        {
            "studprog_kod": pd.Series([], dtype="str"),
            "aar": pd.array([], dtype="Int16"),
            "underv_engasj_18": pd.array([], dtype="Int8"),
        }
    )
    for given in (frame, [frame, frame]):
        result = survey_aggregates(given, settings=SurveySettings(min_n=5, warn_n=10))
        assert len(result.items) == len(result.changes) == 0


def test_files_with_and_without_institusjonskode_are_each_as_in_a_run_of_their_own(tmp_path):
    """The same respondents in a file with institusjonskode and in one without, one year. A
    file without the code cannot be put in an institution; before, it took the year's
    institution and faculty levels from every institution (programmes only). Now its
    respondents are a place of their own: the first file's rows are those of a run of it alone
    (programmes, faculties, institutions), the second's those of a run of it alone (programmes
    and faculties, of no institution: faculty 010 of two institutions is one faculty there, as
    in that run), and a programme code of both is two units."""
    table = generate_respondents(2000, 3, 150, 1, seed=2)
    pq.write_table(table, tmp_path / "with.parquet")
    pq.write_table(table.drop_columns(["institusjonskode"]), tmp_path / "without.parquet")
    assert len(set(table.column("institusjonskode").to_pylist())) > 1  # (institutions to pool)

    def run(*names: str):
        return survey_aggregates([open_survey_respondents(tmp_path / name) for name in names], settings=SETTINGS)

    both, with_alone, without_alone = (
        run("with.parquet", "without.parquet"),
        run("with.parquet"),
        run("without.parquet"),
    )
    assert "no_faculty_rollup" not in both.notes
    assert both.notes["unit_columns_not_in_every_file"] == {"institusjonskode": [int(table.column("aar")[0].as_py())]}
    for name in ("items", "indices", "changes"):
        got = getattr(both, name)
        coded = got["institution_code"].notna()
        for rows, alone in ((got[coded], getattr(with_alone, name)), (got[~coded], getattr(without_alone, name))):
            pd.testing.assert_frame_equal(
                rows.reset_index(drop=True), alone.reset_index(drop=True), check_categorical=False, obj=name
            )
    without = both.items[both.items["institution_code"].isna()]
    assert set(without["level"].astype(str)) == {"programme", "faculty"}
    assert set(both.items.loc[both.items["institution_code"].notna(), "level"].astype(str)) == {
        "programme",
        "faculty",
        "institution",
    }


def test_changes_are_ordered_by_level_then_kind(tmp_path):
    path = synth_file(tmp_path / "sb.parquet", rows=2000)
    changes = survey_aggregates(open_survey_respondents(path), settings=SETTINGS).changes
    levels = changes["level"].astype(str).tolist()
    assert levels == sorted(levels, key=["programme", "faculty", "institution"].index)
    programme = changes[changes["level"] == "programme"]["kind"].astype(str).tolist()
    assert programme == sorted(programme, key=["item", "index"].index)


def test_validate_checks_a_respondent_file_without_making_a_frame(tmp_path, monkeypatch, capsys):
    """``kvalitet validate`` counts a respondent file column by column, with the same verdicts
    and rows as the frame reader, and never builds the frame."""
    from analysis.cli import main

    good = answers_file(tmp_path / "good.parquet", {}, rows=35)
    bad = answers_file(tmp_path / "bad.parquet", {27: 6}, rows=35)
    from analysis.metrics import survey_counts

    monkeypatch.setattr(survey_counts, "read_survey_respondents", None)  # the frame reader is not used
    assert main(["validate", str(good)]) == 0
    assert f"{good}: reads — sb-respondents, 35 rows" in capsys.readouterr().out
    assert main(["validate", str(bad)]) == 1
    assert f"{bad}:27:underv_engasj_18: 6" in capsys.readouterr().out


def test_survey_tables_are_written_without_an_empty_row_group(tmp_path, monkeypatch):
    """Each Parquet table holds its rows in row groups that all have rows (a reader sees no
    empty piece); a table without rows (no indices configured) is its columns alone."""
    import analysis.metrics.survey_tables as survey_tables
    from analysis.cli import main

    monkeypatch.setattr(survey_tables, "BATCH_ROWS", 500)  # several batches per table
    path = synth_file(tmp_path / "sb.parquet")
    config = tmp_path / "kvalitet.toml"
    config.write_text("[survey]\nmin_n = 5\nwarn_n = 10\n\n[survey.indices]\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    assert main(["survey", str(path), "--config", str(config), "--out", str(out)]) == 0
    items = pq.ParquetFile(out / "survey_items.parquet").metadata
    assert items.num_row_groups > 1 and items.num_rows > 0
    assert all(items.row_group(g).num_rows > 0 for g in range(items.num_row_groups))
    indices = pq.read_table(out / "survey_indices.parquet")
    assert indices.num_rows == 0 and {"index_name", "n", "mean", "suppressed"} <= set(indices.column_names)
    assert pq.ParquetFile(out / "survey_indices.parquet").metadata.num_row_groups == 0


@pytest.mark.parametrize("answers", [(3, 3, 4), (4, 4, 5), (1, 2, 2), (5, 5, 4)])
def test_an_index_whose_respondents_all_have_one_value_has_sd_zero_and_no_test(tmp_path, answers):
    """Every respondent of a programme-year gives the same answers, so every index value is the
    same (e.g. 10/3): the sd is 0 exactly, and a change between two such years has no Welch
    test (both variances zero), so it has no significance mark (missing, as its adjusted
    p-value: no test says it is significant or not). (With the index values
    added up as rounded floats the sd came out as 5e-8 and the change as p = 0, significant.)
    Expected values by hand: the mean is the value itself."""
    rows = []
    for year, given in ((2020, answers), (2021, tuple(6 - a for a in answers))):
        for _ in range(10):
            row = {"studprog_kod": "P1", "aar": year, **{item: 3 for item in ITEMS}}
            row.update(dict(zip(ITEMS[:3], given)))
            rows.append(row)
    path = tmp_path / "sb.parquet"
    pq.write_table(pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False), path)
    settings = SurveySettings(min_n=5, warn_n=10, index_max_missing=0, indices={"x": tuple(ITEMS[:3])})
    results = survey_aggregates(open_survey_respondents(path), settings=settings)
    index = results.indices.set_index("year")
    assert index["sd"].tolist() == [0.0, 0.0]
    assert index["mean"].tolist() == pytest.approx([sum(answers) / 3, sum(6 - a for a in answers) / 3], rel=1e-15)
    change = results.changes[results.changes["kind"] == "index"].iloc[0]
    assert pd.isna(change["p_value"]) and pd.isna(change["p_adjusted"]) and change["significant"] is pd.NA
    assert change["change"] == pytest.approx((sum(6 - a for a in answers) - sum(answers)) / 3, rel=1e-12)


@pytest.mark.parametrize(
    "n_items, max_missing, scale",
    # by hand: the least common multiple of the numbers answered that give a value
    [(1, 0, 1), (3, 0, 3), (4, 1, 12), (5, 1, 20), (5, 4, 60), (16, 15, 720720), (17, 16, 1), (30, 29, 1)],
)
def test_index_sums_are_exact_multiples_or_plain_sums_beyond(n_items, max_missing, scale):
    """An index's Σ and Σ² per group, against the respondents' own values added up one by one
    (``fractions``: exact), and its respondents who skipped some of its items: scaled by the least common multiple of the numbers answered, and
    left as they are when that multiple is too large to keep whole (more than 16 items)."""
    from fractions import Fraction

    from analysis.metrics.survey import CODES
    from analysis.metrics.survey_counts import _Index, index_scale

    assert index_scale(n_items, max_missing) == scale
    rng = np.random.default_rng(n_items * 100 + max_missing)
    rows, groups = 3000, 7
    answered = rng.integers(0, n_items + 1, rows).astype(np.int8)
    total = np.array([rng.integers(int(a), 5 * int(a) + 1) if a else 0 for a in answered], dtype=np.int16)
    group = rng.integers(0, groups, rows)
    index = _Index.__new__(_Index)
    index.members, index.rows, index.answered, index.total = tuple(range(n_items)), rows, answered, total
    index.present = n_items
    n, sums, squares, partial, complete = index.sums((group * CODES).astype(np.int32), groups, max_missing)
    least = max(1, n_items - max_missing)
    for g in range(groups):
        values = [Fraction(int(t), int(a)) for t, a, k in zip(total, answered, group) if k == g and a >= least]
        assert n[g] == len(values)
        # those who answered some of the items but not all (rule 7 of analysis.disclosure)
        assert partial[g] == sum(1 for a, k in zip(answered, group) if k == g and 0 < a < n_items)
        # and those who answered every one (a file of fewer items than another: rule 7 again)
        assert complete[g] == sum(1 for a, k in zip(answered, group) if k == g and a == n_items)
        assert sums[g] / scale == pytest.approx(float(sum(values)), rel=1e-14)
        assert squares[g] / scale**2 == pytest.approx(float(sum(v * v for v in values)), rel=1e-14)
        if scale > 1:  # whole numbers, exactly the scaled sums
            assert sums[g] == sum(values) * scale and squares[g] == sum(v * v for v in values) * scale**2


def test_counts_of_a_group_of_65536_or_more_respondents_are_whole(tmp_path):
    """A group's counts are kept in 16 bits only while every group has fewer than 65 536
    respondents: a programme-year of 70 000 (one answer each) is counted as 70 000, and so is
    its faculty and institution, which add up such groups."""
    rows = 70_000
    table = pa.table(
        {
            "institusjonskode": ["1150"] * rows,
            "fakultetskode": ["010"] * rows,
            "studprog_kod": ["P1"] * (rows - 10) + ["P2"] * 10,
            "aar": [2024] * rows,
            ITEMS[0]: pa.array([9999] + [3] * (rows - 1), pa.int16()),
        }
    )
    pq.write_table(table, tmp_path / "big.parquet")
    opened = open_survey_respondents(tmp_path / "big.parquet")
    items = survey_aggregates(opened, settings=SurveySettings(min_n=5, warn_n=10, indices={})).items
    by_level = items.set_index(["level", "unit_code"])
    assert by_level.loc[("programme", "P1"), "count_3"] == rows - 11  # (its 9999 is "vet ikke")
    assert by_level.loc[("programme", "P1"), "dont_know"] == 1
    assert by_level.loc[("faculty", "010"), "count_3"] == rows - 1
    assert by_level.loc[("institution", "1150"), "n"] == rows - 1


def test_rollups_of_16_bit_counts_add_up_beyond_16_bits():
    """Groups' counts held in 16 bits add up, per faculty, to more than 65 535 without wrapping."""

    per_group = np.full((3, 1, 6), 60_000, dtype=np.uint16)
    units = _programme_and_faculty_units(4, np.arange(3), np.array([3, 3, 3]))
    summed = units.add_up(per_group)
    assert summed.dtype == np.int32 and summed[3, 0, 0] == 180_000 and summed[0, 0, 0] == 60_000


def test_two_files_of_one_programme_year_add_up_past_16_bits(tmp_path):
    """Two yearly deliveries that each hold 40 000 respondents of the same programme-year (each
    file's counts fit 16 bits) are one unit of 80 000: the counts add up without wrapping."""
    rows = 40_000
    paths = []
    for name in ("a", "b"):
        table = pa.table(
            {
                "institusjonskode": ["1150"] * (rows + 10),
                "fakultetskode": ["010"] * (rows + 10),
                "studprog_kod": ["P1"] * rows + ["P2"] * 10,
                "aar": [2024] * (rows + 10),
                ITEMS[0]: pa.array([4] * (rows + 10), pa.int16()),
            }
        )
        pq.write_table(table, tmp_path / f"{name}.parquet")
        paths.append(open_survey_respondents(tmp_path / f"{name}.parquet"))
    items = survey_aggregates(paths, settings=SurveySettings(min_n=5, warn_n=10, indices={})).items
    by_level = items.set_index(["level", "unit_code"])
    assert by_level.loc[("programme", "P1"), "count_4"] == 2 * rows
    assert by_level.loc[("faculty", "010"), "count_4"] == 2 * rows + 20
    assert by_level.loc[("institution", "1150"), "n"] == 2 * rows + 20

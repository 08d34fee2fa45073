"""Synthetic generators: reproducible, realistic in shape, and readable by the product's readers."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from analysis import paths
from analysis.metrics.survey_counts import read_survey_respondents
from analysis.readers import read_path
from analysis.synth import (
    ALL_ITEMS,
    generate_dbh123,
    generate_respondents,
    index_config,
    item_names,
    write_dbh123,
    write_respondents,
)
from schemas.studiebarometeret import ITEM_NAME


def test_same_seed_same_data_other_seed_other_data():
    a = generate_respondents(2000, 10, 30, 2, seed=7)
    b = generate_respondents(2000, 10, 30, 2, seed=7)
    c = generate_respondents(2000, 10, 30, 2, seed=8)
    assert a.equals(b)
    assert not a.equals(c)


def test_item_names_are_nokut_variable_names():
    # the variable list's 86 names of the item shape less its 26 questions on another scale
    # (schemas.survey_layout.NOT_ON_THE_SCALE: 9 studprog, 8 studsted, 8 ki_* ticked, bruker_ki_23)
    assert len(ALL_ITEMS) == len(set(ALL_ITEMS)) == 60
    variables = pd.read_csv(paths.RAW / "studiebarometeret_variabler_2021_2025_fra_oslomet_maler.csv")["variabel"]
    assert set(ALL_ITEMS) == {name for name in variables if ITEM_NAME.match(name)}
    assert all(ITEM_NAME.match(name) for name in ALL_ITEMS)
    # whole index blocks come first: 60 items cover the portal's index blocks
    assert {"underv", "tilbveil", "vurd", "miljo", "organ", "yrkrel", "egeteng", "overord"} <= set(
        index_config(item_names(60))
    )


def test_shape_dont_know_blanks_small_programmes_and_correlated_items():
    table = generate_respondents(40_000, 20, 200, 2, seed=1)
    items = item_names(20)
    answers = np.column_stack([table.column(i).to_numpy(zero_copy_only=False) for i in items])
    dont_know = np.mean(answers == 9999)
    blank = np.mean(np.isnan(answers))
    assert 0.03 < dont_know < 0.07  # about 5 % "vet ikke"
    assert 0.005 < blank < 0.03  # some blanks
    valid = answers[(answers >= 1) & (answers <= 5)]
    assert set(np.unique(valid)) == {1, 2, 3, 4, 5}
    # skewed sizes, and some programme-years below the default minimum of 5
    keys = table.select(["studprog_kod", "aar"]).group_by(["studprog_kod", "aar"]).aggregate([([], "count_all")])
    sizes = keys.column("count_all").to_numpy()
    assert (sizes < 5).sum() >= 3
    assert sizes.max() > 5 * np.median(sizes)
    # items of one index block correlate more than items of different blocks
    ok = (answers >= 1) & (answers <= 5)

    def corr(i, j):
        both = ok[:, i] & ok[:, j]
        return np.corrcoef(answers[both, i], answers[both, j])[0, 1]

    within = corr(items.index("underv_engasj_18"), items.index("underv_formidl_18"))
    across = corr(items.index("underv_engasj_18"), items.index("vurd_pensum_13"))
    assert within > 0.3 and within > across


def test_codes_keep_leading_zeros_through_csv_and_parquet(tmp_path):
    table = generate_respondents(3000, 5, 12, 2, seed=3)
    codes = set(pc.unique(table.column("studprog_kod")).to_pylist())
    assert any(code.startswith("0") for code in codes)
    for name in ("r.csv", "r.parquet"):
        path = tmp_path / name
        write_respondents(table, path)
        result = read_survey_respondents(path)
        assert set(result.frame["studprog_kod"]) == codes
        assert len(result.frame) == 3000
        assert result.notes["dont_know"] == int(
            sum(pc.sum(pc.equal(table.column(i), 9999)).as_py() or 0 for i in item_names(5))
        )


def test_dbh123_layout_matches_the_real_response(tmp_path):
    response = generate_dbh123(n_institutions=4, n_departments=6, n_years=3, seed=2)
    status, rows = response[0], response[1:]
    assert list(status) == ["status"]
    assert status["status"]["antall"] == len(rows)
    assert status["status"]["returkode"] == 0 and status["status"]["tabell_id"] == 123
    assert all(isinstance(v, str) for r in rows for v in r.values())
    assert set(rows[0]) == {
        "Årstall",
        "Institusjonskode",
        "Avdelingskode",
        "Antall totalt",
        "Antall kvinner",
        "Antall menn",
    }
    suppressed = [
        r for r in rows if r["Antall kvinner"] == "0" and r["Antall menn"] == "0" and int(r["Antall totalt"]) > 0
    ]
    assert suppressed  # DBH's suppression: both 0 while the total is known
    for r in rows:
        if r not in suppressed:
            assert int(r["Antall kvinner"]) + int(r["Antall menn"]) == int(r["Antall totalt"])
    path = tmp_path / "t123.json"
    write_dbh123(response, path)
    assert json.loads(path.read_text(encoding="utf-8")) == response
    read = read_path(path)
    assert read.kind == "dbh-123-json" and read.rows == len(rows)
    assert read.suppressed == len(suppressed)

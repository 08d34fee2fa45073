"""The flags, integration and wellbeing commands: exit codes, atomic output, readable errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.cli import main

RAW = Path("/work/shared/data/raw")
SEED_ADMISSION = RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv"
SEED_INTEGRATION = RAW / "seed_studiebarometeret_2017_integrering.csv"
SHOT = RAW / "shot_headline_figures_national.csv"

pytestmark = pytest.mark.skipif(not RAW.exists(), reason="shared raw data not available")


def test_flags_writes_csv_and_prints_a_table(tmp_path, capsys):
    out = tmp_path / "flags.csv"
    assert main(["flags", str(SEED_ADMISSION), "--out", str(out)]) == 0
    table = pd.read_csv(out, encoding="utf-8-sig")
    # 5 programmes × 4 years; 2018 Kybernetikk (40 %) is ok
    assert len(table) == 20
    assert table.loc[(table["unit_code"] == "Kybernetikk") & (table["year"] == 2018), "status"].item() == "ok"
    assert main(["flags", str(SEED_ADMISSION)]) == 0
    assert "Kybernetikk" in capsys.readouterr().out


def test_flags_threshold_option(tmp_path):
    out = tmp_path / "flags.parquet"
    # at 30 %: Kybernetikk 2017 (30 %) is not below 30 %
    assert main(["flags", str(SEED_ADMISSION), "--threshold", "30", "--out", str(out)]) == 0
    table = pd.read_parquet(out)
    assert table.loc[(table["unit_code"] == "Kybernetikk") & (table["year"] == 2017), "status"].item() == "ok"


def test_flags_faculty_level_on_dbh(tmp_path):
    out = tmp_path / "faculties.csv"
    assert main(["flags", str(RAW / "dbh_api"), "--level", "faculty", "--out", str(out)]) == 0
    table = pd.read_csv(out, encoding="utf-8-sig", dtype={"unit_code": str})
    assert set(table["level"]) == {"faculty"}
    assert "Fakultet for ingeniørvitenskap" in set(table["unit_name"])


def test_wrong_kind_of_file_exits_1_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "flags.csv"
    assert main(["flags", str(SHOT), "--out", str(out)]) == 1
    assert not out.exists()
    err = capsys.readouterr().err
    assert "not a gender table" in err and str(SHOT) in err


def test_earlier_output_survives_a_failed_run(tmp_path):
    out = tmp_path / "flags.csv"
    out.write_text("earlier\n", encoding="utf-8")
    assert main(["flags", str(SEED_ADMISSION), str(tmp_path / "missing.csv"), "--out", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == "earlier\n"
    assert [p.name for p in tmp_path.iterdir()] == ["flags.csv"]  # no temporary file left


def test_unknown_output_format_is_a_usage_error(tmp_path):
    assert main(["flags", str(SEED_ADMISSION), "--out", str(tmp_path / "flags.txt")]) == 2


def test_integration_and_wellbeing(tmp_path):
    out = tmp_path / "integration.csv"
    assert main(["integration", str(SEED_INTEGRATION), "--out", str(out)]) == 0
    table = pd.read_csv(out, encoding="utf-8-sig")
    ntnu = table[(table["unit_name"] == "NTNU") & (table["level"] == "master")].iloc[0]
    assert ntnu["rank"] == 5 and ntnu["gap_to_best"] == pytest.approx(-2.75)
    out = tmp_path / "wellbeing.parquet"
    assert main(["wellbeing", str(SHOT), "--out", str(out)]) == 0
    assert len(pd.read_parquet(out)) == 29


def test_a_settings_file_given_by_name_must_exist(tmp_path, capsys):
    """``--config`` with a mistyped name is a usage error naming the file, not the defaults."""
    missing = tmp_path / "kvalitet-typo.toml"
    assert main(["flags", str(paths.RAW), "--config", str(missing)]) == 2
    assert str(missing) in capsys.readouterr().err

"""One settings object, checked as strictly as a data file: a wrong key or value is an error
naming the file and the key (exit 2), never a silent default and never a traceback."""

from __future__ import annotations

import os
from fractions import Fraction

import pytest

from analysis import paths
from analysis.cli import main
from analysis.settings import Settings, SettingsError, load_settings


def write(tmp_path, text: str):
    path = tmp_path / "kvalitet.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path, text: str) -> SettingsError:
    with pytest.raises(SettingsError) as err:
        load_settings(write(tmp_path, text))
    return err.value


def test_the_shipped_settings_file_is_valid_and_keeps_the_policy_defaults():
    settings = load_settings(paths.DEFAULT_CONFIG)
    assert settings.gender.threshold == Fraction(2, 5)
    assert (settings.survey.min_n, settings.survey.warn_n, settings.survey.index_max_missing) == (5, 10, 1)
    assert settings.source == str(paths.DEFAULT_CONFIG) and len(settings.source_sha256) == 64


def test_a_notebook_cell_may_run_ten_minutes_unless_the_settings_say_otherwise(tmp_path):
    """[report] cell_timeout_s: the most seconds one cell of a report notebook may run."""
    assert load_settings(paths.DEFAULT_CONFIG).report.cell_timeout_s == 600
    assert Settings().report.cell_timeout_s == 600
    assert load_settings(write(tmp_path, "[report]\ncell_timeout_s = 5\n")).report.cell_timeout_s == 5


def test_a_misspelt_key_names_the_closest_known_key(tmp_path):
    err = error_of(tmp_path, "[gender]\ntreshold_pct = 40\n")
    assert err.key == "gender.treshold_pct"
    assert "did you mean threshold_pct?" in str(err)
    assert str(err).startswith(
        f"{tmp_path / 'kvalitet.toml'}:2:1: 'treshold_pct = 40' — gender.treshold_pct: unknown setting"
    )


def test_a_key_in_the_wrong_section_names_its_section(tmp_path):
    assert "did you mean survey.min_n?" in str(error_of(tmp_path, "[gender]\nmin_n = 5\n"))


def test_a_setting_above_its_section_header_names_the_section(tmp_path):
    """threshold_pct = 40 written above [gender] was 'unknown section (known keys: gender, …)'."""
    err = error_of(tmp_path, "threshold_pct = 40\n[gender]\ntrend_window_years = 5\n")
    assert err.key == "threshold_pct" and "outside its section" in str(err) and "put it under [gender]" in str(err)


def test_an_unknown_section_is_an_error(tmp_path):
    err = error_of(tmp_path, "[survy]\nmin_n = 5\n")
    assert err.key == "survy" and "did you mean survey?" in str(err)


@pytest.mark.parametrize("value", ["true", "4.9", "0", "-3", '"5"', "[5]", "{ a = 1 }"])
def test_min_n_must_be_a_whole_number_of_at_least_one(tmp_path, value):
    """``min_n = true`` would be 1 (single answers published) and 4.9 would be 4: refused."""
    err = error_of(tmp_path, f"[survey]\nmin_n = {value}\n")
    assert err.key == "survey.min_n"


def test_warn_n_below_min_n_is_refused(tmp_path):
    assert error_of(tmp_path, "[survey]\nmin_n = 10\nwarn_n = 5\n").key == "survey.warn_n"


def test_min_n_above_the_default_warn_n_names_min_n_and_says_to_set_warn_n(tmp_path):
    """An adviser who raises min_n to 20 wrote no warn_n: the message was about warn_n alone."""
    err = error_of(tmp_path, "[survey]\nmin_n = 20\n")
    assert err.key == "survey.min_n"
    assert "10 by default" in str(err) and "set warn_n = 20 or more" in str(err)


@pytest.mark.parametrize("value", ["0", "50.5", "-40", '"40"', "true", "nan", "inf"])
def test_the_threshold_is_a_percentage_above_0_and_at_most_50(tmp_path, value):
    assert error_of(tmp_path, f"[gender]\nthreshold_pct = {value}\n").key == "gender.threshold_pct"


@pytest.mark.parametrize(("value", "meant"), [("0.4", "40"), ("0.375", "37.5")])
def test_a_threshold_written_as_a_fraction_is_refused_naming_the_percentage(tmp_path, value, meant):
    """threshold_pct = 0.4 for 40 %: read as 0.4 % no unit would be flagged, silently."""
    err = error_of(tmp_path, f"[gender]\nthreshold_pct = {value}\n")
    assert err.key == "gender.threshold_pct" and f"write {meant} for {meant} %" in str(err)


@pytest.mark.parametrize(
    ("value", "usage"), [("0.4", "write 40 for 40 %"), ("0,4", "write 40 for 40 %"), ("60", "from 1 to 50")]
)
def test_flags_threshold_follows_the_settings_rule(capsys, value, usage):
    """--threshold is the same percentage as threshold_pct, with the same range: 0.4 flagged
    nothing and 60 flagged every unit (the under-represented gender is at most half)."""
    seed = paths.RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv"
    with pytest.raises(SystemExit) as stop:
        main(["flags", str(seed), "--threshold", value])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert f"--threshold: '{value}'" in err and usage in err and "Traceback" not in err


def test_a_threshold_with_decimals_is_read_exactly(tmp_path):
    settings = load_settings(write(tmp_path, "[gender]\nthreshold_pct = 37.5\n"))
    assert settings.gender.threshold == Fraction(3, 8)


def test_index_max_missing_may_be_zero_but_not_negative(tmp_path):
    assert load_settings(write(tmp_path, "[survey]\nindex_max_missing = 0\n")).survey.index_max_missing == 0
    assert error_of(tmp_path, "[survey]\nindex_max_missing = -1\n").key == "survey.index_max_missing"


def test_index_items_must_be_a_list_of_names(tmp_path):
    assert error_of(tmp_path, '[survey.indices]\nundervisning = "underv_engasj_18"\n').key == "survey.indices"
    assert error_of(tmp_path, "[survey.indices]\nundervisning = []\n").key == "survey.indices"


def test_combine_must_name_defined_scores(tmp_path):
    err = error_of(tmp_path, '[integration]\ncombine = ["academik"]\n[integration.scores]\nacademic = ["a"]\n')
    assert err.key == "integration.combine" and "academik" in str(err)


def test_a_settings_file_saved_with_a_byte_order_mark_is_read(tmp_path):
    """Notepad and PowerShell write UTF-8 with a BOM: it was refused as broken TOML at line 1."""
    path = tmp_path / "kvalitet.toml"
    path.write_bytes("\ufeff[gender]\r\n# kjønn\r\nthreshold_pct = 45\r\n".encode())
    assert load_settings(path).gender.threshold == Fraction(9, 20)


@pytest.mark.parametrize(
    ("text", "line", "column", "value"),
    [
        # the value is missing after "min_n = ": line 2, the 9th character (after the space)
        ("[survey]\nmin_n = \n", 2, 9, "'min_n = '"),
        # a table header left open: its line, just after "[gender"
        ("# innstillinger\n[gender\n", 2, 8, "'[gender'"),
        # a string left open runs to the line's end: the 13th character is the newline
        ('[survey]\nmin_n = "abc\n', 2, 13, "'min_n = \"abc'"),
        # the file ends where "=" should come: tomllib says "at end of document", after "min_n"
        ("[survey]\nmin_n", 2, 6, "'min_n'"),
    ],
)
def test_broken_toml_is_named_at_its_line_and_column_as_every_input_problem(tmp_path, text, line, column, value):
    """Was ``FILE: -: is not valid TOML: … (at line 2, column 9)``: the place at the end, and a
    ``-`` where every other error has its line."""
    err = error_of(tmp_path, text)
    path = tmp_path / "kvalitet.toml"
    assert str(err).startswith(f"{path}:{line}:{column}: {value} — not valid TOML: "), str(err)
    assert str(err).endswith(" (correct the syntax there)")
    assert "(at line" not in str(err)


def test_broken_toml_on_the_command_line_is_a_usage_error_at_its_line(tmp_path, capsys):
    path = write(tmp_path, "[gender]\nthreshold_pct = = 40\n")
    assert main(["flags", str(paths.RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv"), "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"kvalitet flags: {path}:2:17: 'threshold_pct = = 40' — not valid TOML: "), err


def test_a_settings_file_not_in_utf8_is_named_at_its_first_byte_that_is_not(tmp_path):
    """Windows-1252 'ø' (0xF8) in a comment on line 3, after "# kj"."""
    path = tmp_path / "kvalitet.toml"
    path.write_bytes(b"[gender]\nthreshold_pct = 40\n# kj\xf8nn\n")
    with pytest.raises(SettingsError) as err:
        load_settings(path)
    assert str(err.value) == f"{path}:3:5: b'\\xf8' — not UTF-8 text (save the settings file as UTF-8)"


def test_a_missing_settings_file_given_by_name_is_an_error(tmp_path):
    with pytest.raises(SettingsError) as err:
        load_settings(tmp_path / "nope.toml")
    assert (
        str(err.value) == f"{tmp_path / 'nope.toml'}:-:-: '{tmp_path / 'nope.toml'}' — no such settings file "
        f"(the folder {tmp_path} has no file nope.toml; check the path given to --config)"
    )


def test_a_folder_given_as_the_settings_file_is_called_a_folder(tmp_path):
    """--config config (the folder) was 'no such settings file', though the path is there."""
    with pytest.raises(SettingsError) as err:
        load_settings(tmp_path)
    assert str(err.value) == (
        f"{tmp_path}:-:-: (empty) — a folder, not a settings file (give the file, like config/kvalitet.toml)"
    )


def test_a_fifo_given_as_the_settings_file_is_said_as_the_other_whole_file_problems(tmp_path, capsys):
    fifo = tmp_path / "kvalitet.toml"
    os.mkfifo(fifo)
    assert main(["flags", str(paths.RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv"), "--config", str(fifo)]) == 2
    assert capsys.readouterr().err == (
        f"kvalitet flags: {fifo}:-:-: 'named pipe (FIFO)' — is not a regular file, so it is not read "
        "(give the settings file)\n"
    )


def test_without_any_file_the_built_in_defaults_apply(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "DEFAULT_CONFIG", tmp_path / "absent.toml")
    assert load_settings() == Settings()


@pytest.mark.parametrize(
    "command",
    [
        ["flags", str(paths.RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv")],
        ["integration", str(paths.RAW / "seed_studiebarometeret_2017_integrering.csv")],
        ["survey", str(paths.RAW / "seed_studiebarometeret_2017_integrering.csv")],
        ["report", "--no-static"],
    ],
)
def test_every_command_refuses_a_bad_settings_file_with_exit_2_and_one_line(tmp_path, capsys, command):
    config = write(tmp_path, "[survey]\nmin_n = true\n")
    out_dir = tmp_path / "out"
    extra = ["--out", str(out_dir)] if command[0] == "report" else []
    assert main([*command, "--config", str(config), *extra]) == 2
    err = capsys.readouterr().err
    assert f"{config}:2:1: 'min_n = true' — survey.min_n: must be a whole number" in err
    assert "Traceback" not in err
    assert not out_dir.exists()


def test_survey_names_a_configured_index_item_the_data_lacks_with_the_closest_item(tmp_path, capsys):
    """A typo in [survey.indices] (underv_engasj_19 for _18) was printed as a Python dict under
    an internal key ("note: index_items_not_in_data: {'undervisning': [...]}")."""
    data = tmp_path / "svar.csv"
    rows = ["studprog_kod;aar;underv_engasj_18;underv_formidl_18"] + [f"P1;2025;{i % 5 + 1};4" for i in range(6)]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    config = write(tmp_path, '[survey.indices]\nundervisning = ["underv_engasj_19", "underv_formidl_18"]\n')
    assert main(["survey", str(data), "--config", str(config), "--out", str(tmp_path / "s.csv")]) == 0
    err = capsys.readouterr().err
    assert (
        f"kvalitet survey: note: {config}: survey.indices.undervisning: underv_engasj_19 is not an item column of "
        "the data; missing for every respondent, it counts toward survey.index_max_missing "
        "(did you mean underv_engasj_18?)"
    ) in err.splitlines(), err


def test_integration_names_a_comparison_group_member_that_is_not_in_the_data(tmp_path, capsys):
    """comparison_group = ["NTNUU"] ranked no unit at all (every rank '–'), exit 0, not a word."""
    extract = paths.RAW / "seed_studiebarometeret_2017_integrering.csv"
    config = write(tmp_path, '[integration]\ncomparison_group = ["NTNUU", "kunsthøgskolen", "Atlantis"]\n')
    assert main(["integration", str(extract), "--config", str(config)]) == 0
    notes = [line for line in capsys.readouterr().err.splitlines() if "comparison_group" in line]
    prefix = f"kvalitet integration: note: {config}: integration.comparison_group:"
    assert notes == [
        f"{prefix} 'NTNUU' is no institution or unit of the data; not in the ranking (did you mean NTNU?)",
        f"{prefix} 'Atlantis' is no institution or unit of the data; not in the ranking "
        "(write names as the data writes them, or DBH codes)",
    ]


def test_a_byte_that_is_not_utf8_after_a_byte_order_mark_is_placed_as_an_editor_shows_it(tmp_path):
    """`threshold_pct = 4` is 17 characters, so the bad byte after it is line 2, column 18, with
    or without the (invisible) byte-order mark before the file's first line."""
    for mark in (b"", b"\xef\xbb\xbf"):
        path = tmp_path / "kvalitet.toml"
        path.write_bytes(mark + b"[gender]\nthreshold_pct = 4\xff0\n")
        with pytest.raises(SettingsError) as err:
            load_settings(path)
        assert (err.value.line, err.value.column, err.value.value) == (2, 18, b"\xff"), mark


def test_a_threshold_written_with_a_percent_sign_below_1_is_not_read_as_a_fraction(capsys):
    """ "0.5%" is 0.5 % as written, not a share meaning 50 %: the plain rule, not "write 50"."""
    with pytest.raises(SystemExit):
        main(["flags", str(paths.RAW), "--threshold", "0.5%"])
    err = capsys.readouterr().err
    assert "must be a percentage from 1 to 50, got 0.5%" in err and "write 50" not in err, err


def _shipped_with(header: str, old: str, new: str) -> tuple[str, int]:
    """The shipped settings file with the first line ``old`` below the section header ``header``
    written as ``new``, and that line's number (from 1)."""
    lines = paths.DEFAULT_CONFIG.read_text(encoding="utf-8").split("\n")
    at = lines.index(old, lines.index(header))
    lines[at] = new
    return "\n".join(lines), at + 1


@pytest.mark.parametrize(
    ("header", "old", "new", "key"),
    [
        ("[gender]", "threshold_pct = 40", "threshold_pct = 0.4", "gender.threshold_pct"),
        ("[gender]", "trend_window_years = 5", "trend_window_years = 1", "gender.trend_window_years"),
        # confidence_level is in [gender] (above) and in [survey]: each at its own section's line
        ("[gender]", "confidence_level = 0.95", "confidence_level = 95", "gender.confidence_level"),
        ("[survey]", "confidence_level = 0.95", "confidence_level = 95", "survey.confidence_level"),
        ("[survey]", "min_n = 5", "min_n = true", "survey.min_n"),
        ("[survey]", "warn_n = 10", "warn_n = 3", "survey.warn_n"),
        ("[survey]", "index_max_missing = 1", "index_max_missing = -1", "survey.index_max_missing"),
        ("[survey.indices]", 'helhetsvurdering = ["overord_altialt_13"]', "helhetsvurdering = []", "survey.indices"),
        ("[integration]", 'combine = ["academic", "social"]', 'combine = ["academik"]', "integration.combine"),
        ("[integration]", "comparison_group = []", 'comparison_group = "NTNU"', "integration.comparison_group"),
        ("[dbh]", 'base_url = "https://dbh.hkdir.no/api/"', 'base_url = "dbh.hkdir.no"', "dbh.base_url"),
        ("[report]", "cell_timeout_s = 600", "cell_timeout_s = 0", "report.cell_timeout_s"),
        ("[report]", "cell_timeout_s = 600", "cell_timeout_s = 86401", "report.cell_timeout_s"),
        ("[report]", "cell_timeout_s = 600", 'cell_timeout_s = "10 min"', "report.cell_timeout_s"),
        ("[gender]", "trend_flat_pp = 1.0", "trend_flat_pp_ = 1.0", "gender.trend_flat_pp_"),
    ],
)
def test_a_wrong_setting_in_the_shipped_file_is_named_at_its_line(tmp_path, header, old, new, key):
    """Was ``FILE: gender.threshold_pct: …`` with no line: the adviser searched an 80-line file
    (confidence_level is written twice in it) for the key."""
    text, line = _shipped_with(header, old, new)
    err = error_of(tmp_path, text)
    path = tmp_path / "kvalitet.toml"
    assert str(err).startswith(f"{path}:{line}:1: {new!r} — {key}: "), str(err)
    assert (err.line, err.column) == (line, 1)


@pytest.mark.parametrize(
    ("text", "line", "column", "key"),
    [
        # an inline table: the key's column inside it ("survey = { min_n = 5, " is 22 characters)
        ("survey = { min_n = 5, confidence_level = 7 }\n[gender]\nconfidence_level = 0.9\n", 1, 23, "survey."),
        # quoted keys: [survey]'s, not [gender]'s above it
        ("[gender]\n\"confidence_level\" = 0.9\n[survey]\n'confidence_level' = 9\n", 4, 1, "survey."),
        # a dotted key under its table: the list's own name ("scores." is 7 characters)
        ("[integration]\nscores.academic = []\n", 2, 8, "integration.scores"),
        # a dotted key from the top, the section named in the key
        ("gender.trend_flat_pp = 1\n[survey]\nwarn_n = 0\n", 3, 1, "survey.warn_n"),
        # a key of a sub-table, under its header
        ('[survey.indices]\nundervisning = ["a"]\nengasjement = [""]\n', 3, 1, "survey.indices"),
        # a comment and a string that read like the key are not it
        (
            '# min_n = 0\n[dbh]\nbase_url = """https://x/\n[survey]\nmin_n = 0\n"""\n[survey]\nmin_n = 0\n',
            8,
            1,
            "survey",
        ),
        # a section given as something else than a table
        ("[gender]\nthreshold_pct = 40\n\nsurvey = 5\n", 4, 1, "gender.survey"),
        ("[survy]\nmin_n = 5\n", 1, 2, "survy"),
    ],
)
def test_a_wrong_setting_is_placed_at_its_key_however_the_toml_writes_it(tmp_path, text, line, column, key):
    err = error_of(tmp_path, text)
    assert (err.line, err.column) == (line, column), str(err)
    assert str(err).startswith(f"{tmp_path / 'kvalitet.toml'}:{line}:{column}: "), str(err)
    assert f" — {key}" in str(err)


def test_a_setting_after_a_byte_order_mark_is_placed_as_an_editor_shows_it(tmp_path):
    """The mark is invisible in an editor and \\r ends a Windows line: neither is counted or shown."""
    path = tmp_path / "kvalitet.toml"
    path.write_bytes("\ufeffsurvey = { min_n = 0 }\r\n".encode())
    with pytest.raises(SettingsError) as err:
        load_settings(path)
    assert (err.value.line, err.value.column, err.value.value) == (1, 12, "survey = { min_n = 0 }")
    path.write_bytes("\ufeff[survey]\r\nmin_n = 0\r\n".encode())
    with pytest.raises(SettingsError) as err:
        load_settings(path)
    assert (err.value.line, err.value.column, err.value.value) == (2, 1, "min_n = 0")


def test_the_policy_the_threshold_comes_from_is_one_line_of_text_or_nothing(tmp_path):
    """[gender] policy is quoted in a sentence of the report ("Etter … skal disse sette inn
    tiltak"): a name on one line; empty names none; a number or a text over lines is refused at
    its key's line."""
    named = '[gender]\npolicy = " Plan 2024 "\npolicy_institution = "1150"\n'
    assert load_settings(write(tmp_path, named)).gender.policy == "Plan 2024"
    assert load_settings(write(tmp_path, '[gender]\npolicy = ""\n')).gender.policy == ""
    assert Settings().gender.policy == ""  # no file: no policy is claimed
    err = error_of(tmp_path, "[gender]\nthreshold_pct = 40\npolicy = 2018\n")
    assert str(err).startswith(f"{tmp_path / 'kvalitet.toml'}:3:1: 'policy = 2018' — gender.policy: must be a name")
    err = error_of(tmp_path, '[gender]\npolicy = """Plan\n2024"""\n')
    assert "gender.policy: must be one line" in str(err)
    err = error_of(tmp_path, f'[gender]\npolicy = "{"x" * 161}"\n')
    assert "gender.policy: must be at most 160 characters" in str(err)


def test_the_policy_s_english_name_is_one_line_of_a_named_policy(tmp_path):
    """[gender] policy_en is the name an English report cites the policy by: one line as policy
    is; an English name without the policy's own would be cited by English reports alone, and
    is refused at its key's line."""
    named = '[gender]\npolicy = "Plan 2024"\npolicy_institution = "1150"\npolicy_en = " Plan of 2024 "\n'
    assert load_settings(write(tmp_path, named)).gender.policy_en == "Plan of 2024"
    assert Settings().gender.policy_en == ""
    err = error_of(tmp_path, '[gender]\npolicy_en = "Plan of 2024"\n')
    assert str(err).startswith(f"{tmp_path / 'kvalitet.toml'}:2:1: 'policy_en = \"Plan of 2024\"' — gender.policy_en:")
    assert "policy is empty" in str(err)
    err = error_of(tmp_path, '[gender]\npolicy = "Plan"\npolicy_institution = "1150"\npolicy_en = 7\n')
    assert "gender.policy_en: must be a name" in str(err)


@pytest.mark.parametrize(
    ("policy", "cited"),
    [
        ("Plan 2024", "“Plan 2024”"),
        ("«Plan 2024»", "«Plan 2024»"),
        ("“Plan 2024”", "“Plan 2024”"),
        ('"Plan 2024"', '"Plan 2024"'),
        # quoted in part only: the whole name is quoted, the quotes inside kept
        ("«Plan» 2024", "“«Plan» 2024”"),
    ],
)
def test_an_english_report_quotes_an_untranslated_policy_once(tmp_path, policy, cited):
    """Without policy_en an English report cites the policy's own name in quotes; a name the
    settings already write in quotes keeps its own, not quoted twice ("“«Plan 2024»”")."""
    text = f'[gender]\npolicy = "{policy.replace(chr(34), chr(92) + chr(34))}"\npolicy_institution = "1150"\n'
    gender = load_settings(write(tmp_path, text)).gender
    assert gender.policy == policy
    assert gender.policy_name("1150", "en") == cited
    assert gender.policy_name("1150", "nb") == policy  # the Norwegian report cites it as written


def test_the_integration_chart_s_best_few_are_five_by_default_and_one_to_ten(tmp_path):
    """[integration] chart_best: how many of the comparison group's best the integration chart
    draws. The shipped file says 5; 0 would draw no best to measure the gap to, and more than
    10 leaves the chart's 16 rows too little room for the own units."""
    assert load_settings(paths.DEFAULT_CONFIG).integration.chart_best == 5
    assert load_settings(write(tmp_path, "[integration]\nchart_best = 3\n")).integration.chart_best == 3
    for value, why in (("0", "must be at least 1, got 0"), ("11", "must be at most 10, got 11"), ("true", "whole")):
        err = error_of(tmp_path, f"[integration]\nchart_best = {value}\n")
        assert str(err).startswith(
            f"{tmp_path / 'kvalitet.toml'}:2:1: 'chart_best = {value}' — integration.chart_best:"
        ), str(err)
        assert why in str(err)

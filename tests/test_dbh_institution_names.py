"""A DBH file that names its institutions (``Institusjonsnavn``) but has no ``Institusjonskode``
gets the codes from the names, by the lookup Samordna's files use (a bad-input hunt, 2026-12-04:
such a file got no code, and its rows went under "(unknown)"); and a file of no institution read
beside files of institutions is said, naming the institution its departments are all found at.

Real rows: the national table-123 export (``dbh_national/``) and NTNU's own DBH-API response
(``dbh_api/dbh_api_t123_1150.json``), as downloaded. Expected numbers by hand from their lines.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analysis import paths
from analysis.cli import main
from analysis.readers import read_path
from analysis.readers.institution_names import institution_codes

NATIONAL = paths.RAW / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"
NTNU_JSON = paths.RAW / "dbh_api" / "dbh_api_t123_1150.json"


def national_rows(path: Path, keep, drop: tuple[str, ...] = (), rename: dict[str, str] | None = None) -> Path:
    """The national export's rows for which ``keep(row)``, without the columns ``drop``, with
    the institution names replaced as ``rename`` says, written as DBH writes it."""
    with NATIONAL.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f, delimiter=";")
        columns = [c for c in reader.fieldnames or [] if c not in drop]
        rows = [r for r in reader if keep(r)]
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, delimiter=";", quoting=csv.QUOTE_ALL)
        out.writerow(columns)
        for r in rows:
            name = r["Institusjonsnavn"]
            r["Institusjonsnavn"] = (rename or {}).get(name, name)
            out.writerow([r[c] for c in columns])
    return path


def autumn_2021_s(r: dict) -> bool:
    return (r["Årstall"], r["Semester"], r["Studentkategori"]) == ("2021", "3", "S")


def institution_flags(tmp_path: Path, source: Path, capsys) -> dict[str, dict[str, str]]:
    out = tmp_path / f"{source.stem}_flags.csv"
    assert main(["flags", str(source), "--level", "institution", "--out", str(out)]) == 0
    assert "Traceback" not in "".join(capsys.readouterr())
    with out.open(encoding="utf-8-sig", newline="") as f:
        return {r["Institusjonskode"]: r for r in csv.DictReader(f, delimiter=";")}


def test_a_dbh_export_with_names_and_no_codes_gives_the_flags_of_the_export_with_codes(tmp_path, capsys):
    original = national_rows(tmp_path / "med_kode.csv", autumn_2021_s)
    names_only = national_rows(tmp_path / "navn_uten_kode.csv", autumn_2021_s, drop=("Institusjonskode",))
    with_codes = institution_flags(tmp_path, original, capsys)
    by_name = institution_flags(tmp_path, names_only, capsys)
    assert "(unknown)" not in by_name
    assert by_name.keys() == with_codes.keys()
    for code, row in with_codes.items():
        assert {k: by_name[code][k] for k in row if "kilde" not in k.casefold()} == {
            k: v for k, v in row.items() if "kilde" not in k.casefold()
        }, code
    # NTNU, autumn 2021, S: its 50 lines of the export add up to 44 167 students
    # (tests/test_files_without_institution.py); UiB's faculty 260 alone 4 088 of them
    assert by_name["1150"]["Antall i alt"] == "44167"


def test_a_name_dbh_does_not_know_gets_no_code_and_a_warning(tmp_path):
    source = national_rows(
        tmp_path / "navn_uten_kode.csv",
        lambda r: autumn_2021_s(r) and r["Institusjonskode"] in ("1150", "1120"),
        drop=("Institusjonskode",),
        rename={"Universitetet i Bergen": "Universitetet i Bjørgvin"},
    )
    result = read_path(source)
    codes = result.frame.groupby("institution_name", dropna=False)["institution_code"].unique()
    assert codes["Norges teknisk-naturvitenskapelige universitet"].tolist() == ["1150"]
    assert pd.isna(codes["Universitetet i Bjørgvin"]).all()
    [warning] = [w for w in result.warnings if w.column == "Institusjonsnavn"]
    assert warning.value == "Universitetet i Bjørgvin"
    assert "no DBH institution code has this name" in warning.message


def test_a_name_takes_the_code_it_had_in_the_rows_year():
    # data/reference/dbh_institusjonsnavn.csv: "Høgskolen i Harstad;0213;1994;2015" and
    # "Høgskolen i Harstad;2212;1992;1994": 2212 in 1993, 0213 in 1995, both in 1994
    names = pd.Series(["Høgskolen i Harstad"] * 3)
    codes, warnings = institution_codes(
        Path("x.csv"), names, [2, 3, 4], "Institusjonsnavn", pd.Series([1993, 1995, 1994])
    )
    assert codes.iloc[:2].tolist() == ["2212", "0213"] and pd.isna(codes.iloc[2])
    [warning] = warnings
    assert warning.row == 4 and "several institution codes for this name in 1994 (0213, 2212)" in warning.message


# --- a file of no institution beside files of institutions --------------------------------------


def test_ntnus_response_renamed_beside_the_national_export_is_said_with_its_institution(tmp_path, capsys):
    renamed = tmp_path / "registrerte_studenter.json"  # its query file left behind
    shutil.copy(NTNU_JSON, renamed)
    national = shutil.copy(NATIONAL, tmp_path / NATIONAL.name)
    # validate: the files are valid, and the note names the file and NTNU
    assert main(["validate", str(renamed), str(national)]) == 0
    out = capsys.readouterr().out
    assert (
        f"note: {renamed.name}:-:Institusjonskode: (empty) — its 349 department rows have no institution code"
    ) in out, out
    assert (
        "its departments of 2019–2022, the years the other files have too, are all "
        f"Norges teknisk-naturvitenskapelige universitet (1150)'s in {NATIONAL.name} "
        "(give the institution code in the file name, like dbh_t123_1150.csv"
    ) in out, out
    # flags says it too, and assigns nothing: the rows stay under no institution
    result = tmp_path / "flags.csv"
    assert main(["flags", str(renamed), str(national), "--level", "institution", "--out", str(result)]) == 0
    assert f"{renamed.name}:-:Institusjonskode" in "".join(capsys.readouterr())
    with result.open(encoding="utf-8-sig", newline="") as f:
        unknown = [
            r for r in csv.DictReader(f, delimiter=";") if r["Kode"] == "(unknown)" and not r["Institusjonskode"]
        ]
    # the response's years, 2019–2025
    assert sorted(r["År"] for r in unknown) == [str(y) for y in range(2019, 2026)]


def test_departments_found_at_no_single_institution_are_said_without_one(tmp_path, capsys):
    renamed = tmp_path / "registrerte_studenter.json"
    shutil.copy(NTNU_JSON, renamed)
    # UiB's rows only: NTNU's departments (271760 …) are not UiB's
    uib = national_rows(tmp_path / "dbh_t123_1120.csv", lambda r: r["Institusjonskode"] == "1120")
    assert main(["validate", str(renamed), str(uib)]) == 0
    out = capsys.readouterr().out
    [note] = [line for line in out.splitlines() if line.startswith(f"note: {renamed.name}:")]
    assert "are counted under no institution" in note and "are all" not in note


# --- a file that names its institutions, one name unknown to DBH's table ------------------------
#
# Høgskolen i Innlandet is Universitetet i Innlandet since 2025, after the name table's last year
# (2022); Høyskolen Kristiania is Kristiania since 2023. An export of today names them so.


def named_file(path: Path, codes: tuple[str, ...], rename: dict[str, str]) -> Path:
    """Autumn 2021, category S, of the institutions ``codes``, without the code column."""
    return national_rows(
        path, lambda r: autumn_2021_s(r) and r["Institusjonskode"] in codes, ("Institusjonskode",), rename
    )


def first_line_naming(path: Path, name: str) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        return next(i for i, r in enumerate(csv.DictReader(f, delimiter=";"), start=2) if r["Institusjonsnavn"] == name)


def test_one_file_with_an_unknown_name_is_not_said_to_be_beside_files_with_codes(tmp_path, capsys):
    # NTNU's 50 lines and Innlandet's 19: the coded rows are the file's own, not another file's
    source = named_file(
        tmp_path / "studenter.csv", ("1150", "0264"), {"Høgskolen i Innlandet": "Universitetet i Innlandet"}
    )
    assert main(["validate", str(source)]) == 0
    out = capsys.readouterr().out
    assert "no DBH institution code has this name" in out  # the reader's warning names it
    assert "beside files with codes" not in out, out
    assert "dbh_t123_" not in out, out


def test_a_named_file_beside_the_national_export_is_told_to_download_the_codes(tmp_path, capsys):
    source = named_file(
        tmp_path / "studenter.csv", ("1150", "0264"), {"Høgskolen i Innlandet": "Universitetet i Innlandet"}
    )
    national = shutil.copy(NATIONAL, tmp_path / NATIONAL.name)
    assert main(["validate", str(source), str(national)]) == 0
    out = capsys.readouterr().out
    row = first_line_naming(source, "Universitetet i Innlandet")
    [note] = [line for line in out.splitlines() if line.startswith(f"note: {source.name}:{row}:")]
    assert note.startswith(
        f"note: {source.name}:{row}:Institusjonsnavn: 'Universitetet i Innlandet' — its 19 department rows "
        "of this name have no institution code"
    ), note
    assert f"are all Høgskolen i Innlandet (0264)'s in {NATIONAL.name}" in note, note
    assert "download the table again grouped by Institusjonskode" in note, note
    # a code in the name would be given to NTNU's 50 lines too
    assert "like dbh_t123_" not in note, note


def test_two_named_files_each_with_an_unknown_name_are_refused_without_the_rename_hint(tmp_path, capsys):
    innlandet = named_file(tmp_path / "a.csv", ("1150", "0264"), {"Høgskolen i Innlandet": "Universitetet i Innlandet"})
    kristiania = named_file(tmp_path / "b.csv", ("1120", "8253"), {"Høyskolen Kristiania": "Kristiania"})
    # both would be one institution, '(unknown)': 19 + 13 department lines added together
    assert main(["validate", str(innlandet), str(kristiania)]) == 1
    out = capsys.readouterr().out
    row = first_line_naming(kristiania, "Kristiania")
    assert (
        f"{kristiania.name}:{row}:Institusjonsnavn: 'Kristiania' — no institution code: DBH's table of "
        "institution names (dbh_institusjonsnavn.csv) gives this name no single code, and "
        f"'Universitetet i Innlandet' in {innlandet.name} has none either: the two would be counted as one "
        "institution, '(unknown)', and added together (download the table again grouped by Institusjonskode"
    ) in out, out
    assert "like dbh_t123_" not in out, out


def test_one_file_with_two_unknown_names_is_refused(tmp_path, capsys):
    # Innlandet's 18 lines and Kristiania's 12 with a department code would be summed as one
    # '(unknown)' institution (their 000000 lines too: the test after the next)
    source = national_rows(
        tmp_path / "studenter.csv",
        lambda r: autumn_2021_s(r) and r["Institusjonskode"] in ("0264", "8253") and r["Avdelingskode"] != "000000",
        ("Institusjonskode",),
        {"Høgskolen i Innlandet": "Universitetet i Innlandet", "Høyskolen Kristiania": "Kristiania"},
    )
    assert main(["validate", str(source)]) == 1
    out = capsys.readouterr().out
    assert "has none either: the two would be counted as one institution, '(unknown)'" in out, out


def test_two_unknown_names_with_one_department_code_are_two_institutions_not_one_row_twice(tmp_path, capsys):
    # a real-file hunt, 2026-12-04: both institutions' 000000 lines of autumn 2021 (Innlandet
    # 19 students, Kristiania 3 322) were "same key, a different value: remove the wrong row",
    # which would delete one institution's line; the cause is the names without a code
    source = named_file(
        tmp_path / "studenter.csv",
        ("0264", "8253"),
        {"Høgskolen i Innlandet": "Universitetet i Innlandet", "Høyskolen Kristiania": "Kristiania"},
    )
    assert main(["validate", str(source)]) == 1
    out = capsys.readouterr().out
    assert "remove the wrong row" not in out, out
    row = first_line_naming(source, "Kristiania")
    assert (
        f"{source.name}:{row}:Institusjonsnavn: 'Kristiania' — no institution code: DBH's table of institution "
        f"names (dbh_institusjonsnavn.csv) gives this name no single code, and 'Universitetet i Innlandet' in "
        f"{source.name} has none either"
    ) in out, out


def test_two_unknown_names_with_equal_small_cells_are_not_read_as_one_line_given_twice(tmp_path, capsys):
    # spring 2015, category S, department 000000: Høgskolen i Harstad (0213) and Universitetet i
    # Bergen (1120) both have 5 students, 0 women, 0 men (suppressed). Renamed to names DBH's
    # table does not know, the second line was read as a repeat of the first and dropped, so
    # one institution's 5 students went missing and the file was valid
    source = national_rows(
        tmp_path / "studenter.csv",
        lambda r: (
            (r["Årstall"], r["Semester"], r["Studentkategori"], r["Avdelingskode"]) == ("2015", "1", "S", "000000")
            and r["Institusjonskode"] in ("0213", "1120")
        ),
        ("Institusjonskode",),
        {"Høgskolen i Harstad": "Høgskolen i Hålogaland", "Universitetet i Bergen": "Universitetet i Bjørgvin"},
    )
    result = read_path(source)
    assert sorted(result.frame["institution_name"]) == ["Høgskolen i Hålogaland", "Universitetet i Bjørgvin"]
    assert result.frame["total"].tolist() == [5, 5]
    assert not [w for w in result.warnings if "repeats row" in w.message]
    # and the two are refused together, as two files of two unknown names are
    assert main(["validate", str(source)]) == 1
    assert "has none either: the two would be counted as one institution" in capsys.readouterr().out


def test_a_name_with_two_codes_in_the_year_is_told_to_download_the_codes_not_to_remove_a_row(tmp_path, capsys):
    # Høgskolen i Harstad in autumn 1994: 0213's 000000 line has 758 students, 2212's 129
    source = national_rows(
        tmp_path / "studenter.csv",
        lambda r: (r["Årstall"], r["Semester"]) == ("1994", "3") and r["Institusjonskode"] in ("0213", "2212"),
        ("Institusjonskode",),
    )
    assert main(["validate", str(source)]) == 1
    out = capsys.readouterr().out
    assert "remove the wrong row" not in out, out
    assert "Institusjonsnavn=Høgskolen i Harstad, Avdelingskode=000000, Årstall=1994" in out, out
    assert "no single code, so rows of two institutions look alike: download the table again grouped by" in out, out


#: Names as the files write them, alike but for what :func:`name_key` ignores (case, spacing, the
#: kind of dash, "høgskole"/"høyskole"), names that differ, and cells that are not names at all.
_CELLS = st.sampled_from(
    [
        "OsloMet – storbyuniversitetet",
        "OsloMet - storbyuniversitetet",
        "OSLOMET\u2212STORBYUNIVERSITETET",
        "  Steinerhøyskolen ",
        "Steinerhøgskolen",
        "Høgskolen\ti  Harstad",
        "høyskulen i harstad",
        "Samisk høgskole",
        "UiT",
        "",
        " ",
        "nan",
        "None",
        None,
        float("nan"),
        pd.NA,
        1150,
        2.5,
        True,
    ]
)


@settings(deadline=None)  # pandas frames per example: ms, more on a busy machine
@given(
    cells=st.lists(_CELLS, max_size=40),
    dtype=st.sampled_from([object, "string", "str", "category"]),
    labels=st.lists(st.integers(min_value=0, max_value=5), min_size=40, max_size=40),
)
@example(cells=[], dtype="str", labels=[0] * 40)
@example(cells=[None, None], dtype="string", labels=[3] * 40)
def test_a_name_column_gets_for_every_row_the_key_its_cell_gets_alone(cells, dtype, labels):
    """``name_key`` keys each distinct name once and gives it to every row that has it (a table's
    institution column repeats a few dozen names over thousands of rows): the keys are the ones
    the rule gives cell by cell (``_keyed`` of the column as text, the rule before 2026-12-05),
    with the same index (repeated labels too), name, dtype and missing cells, whatever the
    column's dtype and whether a cell is missing (None, NaN, pd.NA), empty or not text."""
    from analysis.readers.institution_names import _keyed, name_key

    column = pd.Series(cells, dtype=dtype, index=labels[: len(cells)], name="institution_name")
    pd.testing.assert_series_equal(name_key(column), _keyed(column.astype(str)), check_exact=True)


def test_names_alike_but_for_case_spacing_dash_and_hogskole_have_one_key_and_a_missing_name_none():
    from analysis.readers.institution_names import name_key

    column = pd.Series(
        ["OsloMet – storbyuniversitetet", "OsloMet - storbyuniversitetet", "  Steinerhøyskolen ", None, "UiT"] * 3,
        dtype="string",
    )
    keys = name_key(column)
    assert keys.iloc[:3].tolist() == ["oslomet - storbyuniversitetet"] * 2 + ["steinerhøgskolen"]
    assert keys.isna().tolist() == [False, False, False, True, False] * 3

"""The national DBH table-123 export, read as downloaded (all institutions, 1981–2022,
Semester × Studentkategori, kodetekst J name columns).

Every expected value below was read by hand from the raw line of the file named in the comment
(line 1 is the header), not from the reader.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import paths
from analysis.errors import InputError
from analysis.ingest import combine_gender
from analysis.readers import read_path

NATIONAL = paths.RAW / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"
QUERY = paths.RAW / "dbh_national" / "dbh_t123_alle_institusjoner_query.json"
NTNU_JSON = paths.RAW / "dbh_api" / "dbh_api_t123_1150.json"


@pytest.fixture(scope="module")
def national():
    return read_path(NATIONAL)


def line(result, number: int) -> pd.Series:
    hit = result.frame[result.frame["source_row"] == number]
    assert len(hit) == 1, number
    return hit.iloc[0]


def test_every_row_is_read_with_its_kind_and_no_warnings(national):
    # 25,444 lines = the header + 25,443 rows; no two rows share unit, year, semester and category
    assert national.kind == "dbh-123-csv" and national.dataset == "gender"
    assert national.rows == 25443
    assert national.warnings == []


def test_a_unit_with_both_genders_and_its_names(national):
    # line 2: "0211";"Høgskolen i Bodø";"000000";"HiBo (uspesifisert underenhet)";"1998";"1";"Vår";"S";
    #         "Studenter";"363";"227";"136"
    r = line(national, 2)
    assert (r["institution_code"], r["institution_name"]) == ("0211", "Høgskolen i Bodø")
    assert (r["level"], r["unit_code"], r["unit_name"]) == ("department", "000000", "HiBo (uspesifisert underenhet)")
    assert (r["year"], r["semester"], r["student_category"], r["measure"]) == (1998, "spring", "S", "registered")
    assert (r["total"], r["women"], r["men"]) == (363, 227, 136)
    assert not r["suppressed"] and pd.isna(r["suppression"])
    # line 551: Høgskolen i Narvik, Avdeling for teknologi, 2000 spring: 753 = 99 women + 654 men
    r = line(national, 551)
    assert (r["unit_code"], r["women"], r["men"], r["total"]) == ("450000", 99, 654, 753)


def test_the_first_year_is_dbhs_first_year_1981(national):
    # line 21509: "1220";"Arkitektur- og designhøgskolen i Oslo";"000000";…;"1981";"3";"Høst";"S";…;"221";"81";"140"
    r = line(national, 21509)
    assert (r["year"], r["semester"], r["total"], r["women"], r["men"]) == (1981, "autumn", 221, 81, 140)
    assert national.frame["year"].min() == 1981


def test_a_masked_small_cell_is_unknown_and_says_small_cell(national):
    # line 5: "0211";…;"2011";"1";"Vår";"P";"Personer uten studierett";"3";"0";"0"
    r = line(national, 5)
    assert r["total"] == 3 and pd.isna(r["women"]) and pd.isna(r["men"])
    assert r["suppressed"] and r["suppression"] == "small_cell"
    assert r["student_category"] == "P"


def test_a_1990s_unit_without_a_gender_split_says_so(national):
    # line 4746: "0253";"Høgskolen i Oslo";"000000";"HiO (uspesifisert underenhet)";"1995";"3";"Høst";"S";
    #            "Studenter";"9266";"0";"0" — 9,266 students cannot be a cell of fewer than 3 of one gender
    r = line(national, 4746)
    assert (r["year"], r["semester"], r["total"]) == (1995, "autumn", 9266)
    assert r["suppressed"] and r["suppression"] == "no_gender_split"
    assert pd.isna(r["women"]) and pd.isna(r["men"])


def test_the_counts_of_masked_rows_by_reason(national):
    # 1,623 rows have kvinner = menn = 0 with totalt > 0; of those, 85 have 200 students or more,
    # counted in the raw file with awk (fields 11 and 12 "0", field 10 ≥ 200): 57 above 1,000,
    # 22 of 301–1,000, 6 of 200–300 (NVH 269 twice, 287 and 275; UiB's odontology 203; Samisk
    # høgskole 207)
    frame = national.frame
    assert int(frame["suppressed"].sum()) == 1623
    assert national.suppressed == 1623
    counts = frame["suppression"].value_counts()
    assert counts["no_gender_split"] == 85
    assert counts["small_cell"] == 1623 - 85


def test_lower_case_categories_are_the_categories(national):
    # line 539: "0214";"Høgskolen i Narvik";"440000";…;"2000";"3";"Høst";"s";"Studenter";"207";"147";"60"
    r = line(national, 539)
    assert r["student_category"] == "S" and (r["women"], r["men"]) == (147, 60)
    assert set(national.frame["student_category"]) == {"S", "P", "A"}


def test_a_summer_row(national):
    # line 4067: "0241";"Høgskolen i Agder";"410000";"Fakultet for økonomi og samfunnsfag";"2003";"2";"Sommer";
    #            "S";"Studenter";"31";"15";"16"
    r = line(national, 4067)
    assert (r["semester"], r["year"], r["women"], r["men"]) == ("summer", 2003, 15, 16)
    assert (national.frame["semester"] == "summer").sum() == 7


def test_the_query_next_to_it_is_provenance(tmp_path):
    result = read_path(QUERY)
    assert result.kind == "dbh-query" and result.dataset == "dbh_queries"
    r = result.frame.iloc[0]
    assert r["table_id"] == 123
    assert r["group_by"] == "Institusjonskode; Avdelingskode; Årstall; Semester; Studentkategori"


def test_a_file_that_adds_categories_together_is_not_compared_with_one_that_splits_them(national):
    """NTNU's own response adds the categories of the autumn semester together (its query,
    kept in the manifest, filters Semester = 3): 000000/2019 is 121. The national export has
    63 Studenter (line 16000) and 58 Personer uten studierett (line 16059) for the same unit. Before,
    the two were "conflicting duplicates"; now they are different measures, all kept."""
    ntnu = read_path(NTNU_JSON)
    n = ntnu.frame[(ntnu.frame["unit_code"] == "000000") & (ntnu.frame["year"] == 2019)].iloc[0]
    assert (n["semester"], n["student_category"], n["total"]) == ("autumn", "all", 121)
    assert (line(national, 16000)["total"], line(national, 16059)["total"]) == (63, 58)
    combined, notes = combine_gender([ntnu.frame, national.frame])
    assert notes == []
    assert len(combined) == ntnu.rows + national.rows
    rows = combined[
        (combined["institution_code"] == "1150")
        & (combined["unit_code"] == "000000")
        & (combined["year"] == 2019)
        & (combined["semester"] == "autumn")
    ]
    assert dict(zip(rows["student_category"], rows["total"], strict=True)) == {"all": 121, "S": 63, "P": 58}


def test_a_copy_with_another_number_in_the_same_measure_is_still_refused(national, tmp_path):
    """Only the same measure is compared: change one count of the national file and read the
    copy beside the original; the changed row conflicts with its original."""
    text = NATIONAL.read_text(encoding="utf-8").splitlines(keepends=True)
    # line 2's total 363 -> 364 (and women 227 -> 228, so the row stays consistent)
    assert text[1].endswith('"363";"227";"136"\n')
    text[1] = text[1].replace('"363";"227";"136"', '"364";"228";"136"')
    copy = tmp_path / "copy.csv"
    copy.write_text("".join(text), encoding="utf-8")
    changed = read_path(copy)
    with pytest.raises(InputError) as err:
        combine_gender([national.frame, changed.frame])
    problems = err.value.problems
    assert len(problems) == 1
    assert problems[0].row == 2 and "spring" in problems[0].message and "S" in problems[0].message


def test_without_its_semester_column_the_export_says_to_download_it_with_one(tmp_path):
    """A bad-input hunt: the national export with its Semester columns deleted gave "same key …
    different value (keep one row per key: remove the wrong row)", the wrong advice: the rows of
    autumn and spring only look alike without the column."""
    import csv

    from analysis.errors import InputError
    from analysis.readers import read_path

    lines = NATIONAL.read_text(encoding="utf-8-sig").splitlines()[:400]
    reader = list(csv.reader(lines, delimiter=";" if ";" in lines[0] else ","))
    drop = [i for i, h in enumerate(reader[0]) if h.lower().startswith("semester")]
    assert drop, reader[0]
    sep = ";" if ";" in lines[0] else ","
    path = tmp_path / NATIONAL.name
    path.write_text(
        "\n".join(sep.join(c for i, c in enumerate(r) if i not in drop) for r in reader) + "\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        read_path(path)
    assert all("no Semester column" in p.hint and "remove" not in p.hint for p in err.value.problems)


def test_without_semester_and_category_the_hint_names_both_in_words(tmp_path):
    """A bad-input hunt (2026-12-03): the national export without its Semester and
    Studentkategori columns (codes and names) said "rows of different semester or
    studentkategoris look alike", a Norwegian column name with an English plural."""
    import csv

    from analysis.errors import InputError
    from analysis.readers import read_path

    lines = NATIONAL.read_text(encoding="utf-8-sig").splitlines()[:400]
    reader = list(csv.reader(lines, delimiter=";"))
    kept = [
        i for i, h in enumerate(reader[0]) if h not in ("Semester", "Semesternavn", "Studentkategori", "Kategoritekst")
    ]
    assert len(kept) == len(reader[0]) - 4
    path = tmp_path / NATIONAL.name
    path.write_text("\n".join(";".join(r[i] for i in kept) for r in reader) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_path(path)
    assert {p.hint for p in err.value.problems} == {
        "the file has no Semester or Studentkategori column, so rows of different semesters or student categories "
        "look alike: download the table with Semester and Studentkategori (or for one of them only)"
    }


def test_flags_of_one_institution_from_the_national_file(tmp_path, capsys):
    """An adviser at UiT with the national file got every institution's flags (25 667 rows at
    department level): ``--institution 1130`` keeps UiT's rows, the same rows as the whole
    file's flags have for it (its fields and trends computed from the whole data); a code the
    files do not have is a usage error that says which codes they have."""
    from analysis.cli import main

    whole, mine = tmp_path / "alle.parquet", tmp_path / "uit.parquet"
    assert main(["flags", str(NATIONAL), "--level", "institution", "--out", str(whole)]) == 0
    assert main(["flags", str(NATIONAL), "--level", "institution", "--institution", "1130", "--out", str(mine)]) == 0
    everyone, uit = pd.read_parquet(whole), pd.read_parquet(mine)
    assert len(uit) and set(uit["institution_code"]) == {"1130"}
    expected = everyone[everyone["institution_code"] == "1130"].reset_index(drop=True)
    pd.testing.assert_frame_equal(uit, expected)
    capsys.readouterr()
    assert main(["flags", str(NATIONAL), "--institution", "9999"]) == 2
    err = capsys.readouterr().err
    assert "--institution 9999: the files have no rows of this institution (they have 0211, " in err

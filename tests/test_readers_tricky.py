"""Valid inputs in the awkward forms advisers' files really take: encodings, line ends,
separators, Norwegian numbers and percentages, the Samordna opptak key-figure layout, and
DBH-API responses for other universities. Every fixture is written by hand here."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.readers import read_path

NBSP = "\u00a0"
NNBSP = "\u202f"

# A DBH table-123 CSV as hentCSVTabellData returns it: semicolon-separated, Norwegian header.
# Hand-made values: 2019/194000: 1 468 = 612 + 856; 2019/000000: 12 = 5 + 7; 2020/271720: suppressed.
DBH_CSV = (
    "Årstall;Avdelingskode;Antall totalt;Antall kvinner;Antall menn\n"
    "2019;194000;1 468;612;856\n"
    "2019;000000;12;5;7\n"
    "2020;271720;11;0;0\n"
)


def write(path: Path, text: str, encoding: str = "utf-8", newline: str = "\n") -> Path:
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def counts(frame: pd.DataFrame, unit: str, year: int) -> tuple:
    r = frame[(frame["unit_code"] == unit) & (frame["year"] == year)]
    assert len(r) == 1
    r = r.iloc[0]
    return tuple(None if pd.isna(v) else int(v) for v in (r.total, r.women, r.men))


def assert_dbh_csv_values(result) -> None:
    assert result.kind == "dbh-123-csv" and result.rows == 3
    frame = result.frame
    assert counts(frame, "194000", 2019) == (1468, 612, 856)
    assert counts(frame, "000000", 2019) == (12, 5, 7)
    assert counts(frame, "271720", 2020) == (11, None, None)
    assert result.suppressed == 1
    # line numbers as an editor shows them: header = line 1
    assert frame.loc[frame["unit_code"] == "000000", "source_row"].item() == 3


@pytest.mark.parametrize(
    "encoding, newline",
    [
        ("cp1252", "\r\n"),
        ("cp1252", "\n"),
        ("utf-8-sig", "\n"),
        ("utf-8-sig", "\r\n"),
        ("utf-8", "\r\n"),
        ("utf-16", "\r\n"),
        # without a byte-order mark, as R's write.csv(fileEncoding = "UTF-16LE") writes it: was
        # refused as "not a text file (binary content)" (a bad-input hunt, 2026-12-05)
        ("utf-16-le", "\n"),
        ("utf-16-be", "\r\n"),
    ],
)
def test_dbh_csv_in_every_encoding_and_line_end(tmp_path, encoding, newline):
    path = write(tmp_path / "t123.csv", DBH_CSV, encoding, newline)
    result = read_path(path)
    assert_dbh_csv_values(result)


def test_binary_content_with_nul_bytes_is_still_no_text(tmp_path):
    """UTF-16 without a byte-order mark is read only where it is the one reading: bytes with
    NULs of another pattern (an image, half of a UTF-16 file cut at an odd byte) stay binary."""
    text = DBH_CSV.encode("utf-16-le")
    nul = "a;\x00b\n".encode("utf-16-le")
    for name, data in [("odd.csv", text[:-1]), ("image.csv", bytes(range(256)) * 4), ("nul.csv", nul)]:
        (tmp_path / name).write_bytes(data)
        with pytest.raises(InputError) as err:
            read_path(tmp_path / name)
        assert "not a text file (binary content)" in str(err.value)


def test_windows_1252_header_arstall_comes_out_right(tmp_path):
    # Å is byte 0xC5 in Windows-1252, not valid UTF-8 on its own: the file must be detected as
    # Windows-1252, and an error message must name the column "Årstall", not "\xc5rstall".
    path = write(tmp_path / "t123.csv", DBH_CSV.replace("2019;000000", "19;000000"), "cp1252", "\r\n")
    assert path.read_bytes().startswith(b"\xc5rstall;")
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "Årstall", "19")
    ok = read_path(write(tmp_path / "ok_t123.csv", DBH_CSV, "cp1252", "\r\n"))
    assert ok.notes["encoding"] == "windows-1252"


def test_utf8_bom_header_is_not_part_of_the_first_column(tmp_path):
    path = write(tmp_path / "t123.csv", DBH_CSV, "utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf\xc3\x85rstall")
    result = read_path(path)
    assert result.notes["encoding"] == "utf-8-sig"
    assert_dbh_csv_values(result)


@pytest.mark.parametrize("space", [" ", NBSP, NNBSP, "\u2009"])
def test_thousands_space_of_any_kind(tmp_path, space):
    path = write(tmp_path / "t123.csv", DBH_CSV.replace("1 468", f"1{space}468"))
    assert counts(read_path(path).frame, "194000", 2019) == (1468, 612, 856)


def test_quoted_cells_tab_and_comma_separators(tmp_path):
    quoted = "\n".join(";".join(f'"{c}"' for c in line.split(";")) for line in DBH_CSV.splitlines())
    assert_dbh_csv_values(read_path(write(tmp_path / "q_t123.csv", quoted + "\n")))
    tab = DBH_CSV.replace(";", "\t")
    assert_dbh_csv_values(read_path(write(tmp_path / "t_t123.csv", tab)))
    # comma-separated: "1 468" has no comma, so no quoting is needed
    comma = DBH_CSV.replace(";", ",")
    assert_dbh_csv_values(read_path(write(tmp_path / "c_t123.csv", comma)))


def test_excel_sep_line_and_blank_lines_keep_line_numbers(tmp_path):
    # "sep=;" is line 1, the header line 2; a blank line 4 is skipped; 2019/000000 is on line 5
    text = "sep=;\n" + DBH_CSV.replace("2019;000000", "\n2019;000000")
    result = read_path(write(tmp_path / "excel_t123.csv", text))
    assert result.rows == 3
    assert result.frame.loc[result.frame["unit_code"] == "000000", "source_row"].item() == 5
    with pytest.raises(InputError) as err:
        read_path(write(tmp_path / "bad.csv", text.replace(";12;5;7", ";12;5;x")))
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (5, "Antall menn", "x")


def test_admission_table_percent_forms(tmp_path):
    # "33%" and "33 %" and "18,6 %" and "40" (no sign) all read exactly; "-" is no figure
    text = f"Studieprogram;2016;2017;2018\r\nKybernetikk;18,6 %;33%;40\r\nKomtek;56{NBSP}%;-;33 %\r\n"
    result = read_path(write(tmp_path / "seed_opptak.csv", text, "cp1252"))
    assert result.kind == "seed-admission"
    share = result.frame.set_index(["unit_code", "year"])["share_women_given_pct"]
    assert share[("Kybernetikk", 2016)] == 18.6
    assert share[("Kybernetikk", 2017)] == 33.0
    assert share[("Kybernetikk", 2018)] == 40.0
    assert share[("Komtek", 2016)] == 56.0 and share[("Komtek", 2018)] == 33.0
    assert ("Komtek", 2017) not in share.index  # no figure: missing, not 0 %
    assert len(share) == 5


def test_integration_extract_with_year_column_and_decimal_point(tmp_path):
    text = (
        "Nivå,Institusjon,God faglig integrering norske og intern.,God sosial integrering norske og intern.,År\n"
        'Masterstudenter,NTNU,"2,3",2.2,2019\n'
        'Bachelorstudenter,NTNU,,"4,0",2019\n'
    )
    result = read_path(write(tmp_path / "integrering.csv", text))
    frame = result.frame.set_index("level")
    assert frame.loc["master", "academic"] == 2.3 and frame.loc["master", "social"] == 2.2
    assert pd.isna(frame.loc["bachelor", "academic"])  # blank: not given, not 0
    assert (frame["year"] == 2019).all()


# --- Samordna opptak key-figure export ----------------------------------------------------

KEYFIGURES = (
    "Institusjon;Studie- kode;Studienavn;Studiested;Utdanningstype;Nøkkeltall;2023;2024;2025\n"
    f"NTNU;194759;Bygg og infrastruktur;Trondheim;Master 5 år;Søkere;1 468;1{NBSP}512;1 390\n"
    "NTNU;194759;Bygg og infrastruktur;Trondheim;Master 5 år;Førstevalgssøkere;318;340;301\n"
    "NTNU;194759;Bygg og infrastruktur;Trondheim;Master 5 år;Studieplasser;215;215;215\n"
    "NTNU;194759;Bygg og infrastruktur;Trondheim;Master 5 år;Kvalifiserte;1 190;1 250;1 101\n"
    "NTNU;194759;Bygg og infrastruktur;Trondheim;Master 5 år;Tilbud;336;350;340\n"
    "NTNU;194759;Bygg og infrastruktur;Trondheim;Master 5 år;Tilbud (kvinner);120;-;140\n"
    "NTNU;194759;Bygg og infrastruktur;Trondheim;Master 5 år;Førstevalgssøkere (kvinner);34,1 %;35,0 %;33,3 %\n"
    "UiO;0232;Informatikk;Oslo;Bachelor 3 år;Førstevalgssøkere;2 004;1 998;2 101\n"
    f"UiO;0232;Informatikk;Oslo;Bachelor 3 år;Førstevalgssøkere (kvinner);18,6 %;20{NBSP}%;21%\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-8-sig"])
@pytest.mark.parametrize("code_header", ["Studie- kode", "Studiekode", "Studie-  kode"])
def test_samordna_keyfigure_export(tmp_path, encoding, code_header):
    text = KEYFIGURES.replace("Studie- kode", code_header)
    result = read_path(write(tmp_path / "so_nokkeltall.csv", text, encoding, "\r\n"))
    assert result.kind == "samordna-keyfigures" and result.dataset == "gender"
    frame = result.frame.set_index(["unit_code", "year", "measure"])
    # line 8 "Førstevalgssøkere (kvinner);34,1 %": share of women among the 318 first-choice
    # applicants of line 3; counts of women are not made up from a rounded share
    r = frame.loc[("194759", 2023, "first_choice_applicants")]
    assert (r.share_women_given_pct, int(r.total), r.source_row) == (34.1, 318, 8)
    assert pd.isna(r.women) and pd.isna(r.men)
    # line 7 "Tilbud (kvinner);120;-;140" of line 6 "Tilbud;336;350;340": 120 women, 216 men
    r = frame.loc[("194759", 2023, "offers")]
    assert (int(r.total), int(r.women), int(r.men)) == (336, 120, 216)
    assert ("194759", 2024, "offers") not in frame.index  # "-": no figure that year
    # the UiO code keeps its leading zero; "20 %" with a no-break space and "21%"
    assert frame.loc[("0232", 2024, "first_choice_applicants")].share_women_given_pct == 20.0
    assert frame.loc[("0232", 2025, "first_choice_applicants")].share_women_given_pct == 21.0
    assert int(frame.loc[("0232", 2023, "first_choice_applicants")].total) == 2004
    # 3 first-choice shares NTNU + 2 offers counts + 3 first-choice shares UiO
    assert result.rows == 8
    admissions = result.also["admissions"]
    applicants = admissions[(admissions["measure"] == "applicants") & (admissions["year"] == 2023)]
    assert applicants["value"].tolist() == [1468.0]
    assert admissions.loc[(admissions["measure"] == "applicants") & (admissions["year"] == 2024), "value"].tolist() == [
        1512.0
    ]
    # 7 NTNU rows x 3 years - 1 "-" + 2 UiO rows x 3 years
    assert len(admissions) == 7 * 3 - 1 + 2 * 3


# --- DBH-API responses for other universities -----------------------------------------------


def dbh_response(rows: list[dict], table: int = 123) -> str:
    """A response in the exact real layout: status object first (integers as in the real file),
    every data value a string."""
    status = {
        "status": {
            "tabell_id": table,
            "api_versjon": 1,
            "leveransenr": 9000001,
            "leveringstid": "2026-10-01 09:00:00",
            "antall": len(rows),
            "returkode": 0,
            "melding": "Data levert (med skjerming for utvalgte rapporter).",
        }
    }
    return json.dumps([status, *rows], ensure_ascii=False)


def t123_row(year: str, dept: str, total: str, women: str, men: str, inst: str | None = None) -> dict:
    r = {"Institusjonskode": inst} if inst else {}
    r.update(
        {"Årstall": year, "Avdelingskode": dept, "Antall totalt": total, "Antall kvinner": women, "Antall menn": men}
    )
    return r


UIB_ROWS = [
    t123_row("2023", "000000", "57", "30", "27"),
    t123_row("2023", "110300", "1203", "701", "502"),
    t123_row("2024", "110300", "1188", "690", "498"),
    t123_row("2024", "120510", "7", "0", "0"),  # suppressed
]


def test_dbh_json_for_another_university(tmp_path):
    path = tmp_path / "dbh_api_t123_1120.json"
    path.write_text(dbh_response(UIB_ROWS), encoding="utf-8")
    result = read_path(path)
    assert result.kind == "dbh-123-json" and result.rows == 4 and result.suppressed == 1
    frame = result.frame
    assert set(frame["institution_code"]) == {"1120"}  # from the file name
    assert counts(frame, "110300", 2023) == (1203, 701, 502)
    assert counts(frame, "120510", 2024) == (7, None, None)
    assert frame.loc[frame["unit_code"] == "120510", "faculty_code"].unique().tolist() == ["120"]


def test_dbh_json_grouped_by_two_institutions(tmp_path):
    rows = [
        t123_row("2024", "000000", "40", "22", "18", inst="1120"),
        t123_row("2024", "000000", "75", "31", "44", inst="1110"),  # same department, other inst.
        t123_row("2024", "210000", "8", "0", "0", inst="1110"),
    ]
    path = tmp_path / "dbh_api_t123_alle.json"
    path.write_text(dbh_response(rows), encoding="utf-8")
    result = read_path(path)
    assert result.rows == 3 and result.suppressed == 1
    frame = result.frame.set_index("institution_code")
    assert int(frame.loc["1110"].query("unit_code == '000000'")["total"].item()) == 75
    assert int(frame.loc["1120", "total"]) == 40


def test_dbh_json_without_status_line_and_with_bom(tmp_path):
    # hentJSONTabellData without statuslinje: a plain list of rows; saved by Windows with a BOM
    path = tmp_path / "dbh_t123_1120.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(UIB_ROWS, ensure_ascii=False).encode("utf-8"))
    result = read_path(path)
    assert result.kind == "dbh-123-json" and result.rows == 4


def test_institution_code_from_a_file_name_that_also_holds_years(tmp_path):
    # "…_1150_host_2019_2025": the code is 1150; 2019 and 2025 are years, not institutions
    path = tmp_path / "dbh_t123_ntnu_1150_host_2019_2025.json"
    path.write_text(dbh_response(UIB_ROWS), encoding="utf-8")
    assert set(read_path(path).frame["institution_code"]) == {"1150"}
    # a name with only years names no institution: unknown, not "2025"
    path = tmp_path / "registrerte_2019_2025.json"
    path.write_text(dbh_response(UIB_ROWS), encoding="utf-8")
    assert read_path(path).frame["institution_code"].isna().all()


def test_excel_trailing_separator_is_not_a_column(tmp_path):
    # Norwegian Excel writes "…;40 %;" on every line, header included
    text = "Studieprogram;2017;2018;\nKybernetikk;30 %;40 %;\nKomtek;43 %;39 %;\n"
    result = read_path(write(tmp_path / "opptak.csv", text, "cp1252", "\r\n"))
    assert result.kind == "seed-admission" and result.rows == 4


def test_an_exact_repeat_is_read_once_with_a_warning(tmp_path):
    # line 5 repeats line 2 exactly: kept once, and the adviser is told (never dropped silently)
    result = read_path(write(tmp_path / "t123.csv", DBH_CSV + "2019;194000;1 468;612;856\n"))
    assert result.rows == 3
    (warning,) = result.warnings
    assert warning.row == 5 and "repeats row 2 exactly" in warning.message


def test_a_quoted_cell_with_a_line_break_keeps_later_line_numbers_right(tmp_path):
    # line 2 holds a note that runs onto line 3; the next row starts on line 4, as an editor shows
    text = (
        "aar,indikator,gruppe,verdi_pct,definisjon_merknad,kilde_url\n"
        '2018,ensomhet_alle_tre_ofte,alle,10,"to linjer:\nandre linje",\n'
        "2022,selvmordstanker_siste_aar,alle,22,,\n"
    )
    result = read_path(write(tmp_path / "shot.csv", text, "utf-8", "\r\n"))
    frame = result.frame.set_index("indicator")
    assert frame.loc["ensomhet_alle_tre_ofte", "source_row"] == 2
    assert frame.loc["ensomhet_alle_tre_ofte", "definition_note"] == "to linjer:\r\nandre linje"
    assert frame.loc["selvmordstanker_siste_aar", "source_row"] == 4
    with pytest.raises(InputError) as err:
        read_path(write(tmp_path / "bad.csv", text.replace(",22,", ",tjueto,")))
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (4, "verdi_pct", "tjueto")


def test_a_real_zero_is_not_suppression(tmp_path):
    # women 0 and men 12 of 12 is a real zero (an all-male unit); only women = men = 0 with a
    # total above 0 is DBH's mask
    text = DBH_HEADER_ONLY + "2019;194000;12;0;12\n2019;194100;3;0;0\n2019;194200;0;0;0\n"
    result = read_path(write(tmp_path / "t123.csv", text))
    frame = result.frame
    assert counts(frame, "194000", 2019) == (12, 0, 12)
    assert counts(frame, "194100", 2019) == (3, None, None)
    assert counts(frame, "194200", 2019) == (0, 0, 0)
    assert frame.set_index("unit_code")["suppressed"].to_dict() == {"194000": False, "194100": True, "194200": False}


DBH_HEADER_ONLY = DBH_CSV.splitlines(keepends=True)[0]


@pytest.mark.parametrize(
    "total",
    ["Snitt", "Totalt", "Sum", "I alt", "Gjennomsnitt", "gj.snitt", "Totalt NTNU", "Sum:", "Total (alle)", "Alle"],
)
def test_a_total_row_in_an_admission_table_is_refused_not_flagged_as_a_programme(tmp_path, total):
    """A bad-input hunt: an average row added under the programmes ("Snitt;13 %;29 %…") was
    flagged as a skewed programme in every year, exit 0; a second hunt: "Totalt NTNU" and
    "Sum:" still were (only the bare word was refused)."""
    from analysis.readers.seed import read_admission_table

    path = tmp_path / "opptak.csv"
    path.write_text(f"Studieprogram;2017;2018\nKybernetikk;30 %;40 %\n{total};29 %;33 %\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_admission_table(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "Studieprogram", total)
    # "Snitt" (and "Gjennomsnitt", "gj.snitt") is an average, the others totals
    assert ("an average row" if "snitt" in total.lower() else "a total row") in problem.message


@pytest.mark.parametrize("total", ["Totalt", "Totalt NTNU", "I alt", "Snitt:", "Alle"])
def test_a_total_row_in_an_integration_extract_is_refused_not_ranked_as_an_institution(tmp_path, total):
    """A bad-input hunt: "Bachelorstudenter;Totalt;3,5;3,2" was ranked as an institution named
    Totalt, exit 0. The same totals rule as the admission table's."""
    from analysis.readers.seed import read_integration_extract

    header = "Nivå;Institusjon;God faglig integrering norske og intern.;God sosial integrering norske og intern.\n"
    path = tmp_path / "integrering_2017.csv"
    path.write_text(f"{header}Bachelorstudenter;NTNU;2,5;2,4\nBachelorstudenter;{total};3,5;3,2\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_integration_extract(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "Institusjon", total)
    assert ("an average row" if total == "Snitt:" else "a total row") + " below the table" in problem.message


@pytest.mark.parametrize("name", ["Summer school", "Alle fag", "Totalforsvar", "Allmennlærer", "Sumatra-studier"])
def test_a_unit_whose_name_only_begins_like_a_totals_word_is_read(tmp_path, name):
    """The totals word must be a whole word at the start ("Summer school" is a programme), and
    "Alle" is a totals row only on its own ("Alle fag" may be a unit)."""
    from analysis.readers.seed import read_admission_table, read_integration_extract

    admission = tmp_path / "opptak.csv"
    admission.write_text(f"Studieprogram;2017\n{name};30 %\n", encoding="utf-8")
    assert read_admission_table(admission).frame["unit_name"].tolist() == [name]
    header = "Nivå;Institusjon;God faglig integrering norske og intern.;God sosial integrering norske og intern.\n"
    extract = tmp_path / "integrering_2017.csv"
    extract.write_text(f"{header}Bachelorstudenter;{name};3,5;3,2\n", encoding="utf-8")
    assert read_integration_extract(extract).frame["institution"].tolist() == [name]


def test_an_empty_share_in_an_admission_table_is_named_not_dropped_silently(tmp_path):
    from analysis.readers.seed import read_admission_table

    path = tmp_path / "opptak.csv"
    path.write_text("Studieprogram;2017;2018\nKybernetikk;;40 %\nElsys;24 %;–\n", encoding="utf-8")
    result = read_admission_table(path)
    assert len(result.frame) == 2, "no share is ever made up for an empty cell"
    (warning,) = result.warnings
    assert (warning.row, warning.column) == (2, "2017") and "2 cells without a figure" in warning.message


def test_a_dbh_export_cut_off_inside_its_last_row_is_refused(tmp_path):
    """A bad-input hunt: a download cut inside its last number ("…,26,41" → "…,26,4") was read
    with two warnings, and flagged unit 274330 in 2025 with men at 6.0 %. A whole export ends
    with a line break; without it, a last row that fails a check is an error."""
    from analysis import paths

    source = paths.RAW / "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv"
    whole = source.read_bytes()
    assert whole.endswith(b",67,26,41\n")
    cut = tmp_path / source.name
    cut.write_bytes(whole[:-2])
    with pytest.raises(InputError) as err:
        read_path(cut)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (
        len(cut.read_text(encoding="utf-8").splitlines()),
        "Antall kvinner+Antall menn",
        "26+4",
    )
    assert problem.message.startswith("the file looks cut short in its last row: women + men is not the total 67")
    assert problem.hint == "download the file again"
    assert not any("cut off" in w.message for w in read_path(source).warnings)


def test_a_dbh_export_without_its_last_line_break_is_read_when_its_last_row_adds_up(tmp_path):
    """A file saved without the final line break is still read when its last row passes every
    check, with a warning that it may have been cut off; a row within it that does not add up
    is a warning as before (only the last row can be the cut one)."""
    path = write(tmp_path / "t123.csv", DBH_CSV.replace("12;5;7", "12;5;6").rstrip("\n"))
    result = read_path(path)
    assert result.rows == 3
    assert [(w.row, "may have been cut off" in w.message) for w in result.warnings] == [(4, True), (3, False)]
    assert "women + men is not the total 12" in result.warnings[1].message


def test_a_shot_share_written_as_a_fraction_is_named(tmp_path):
    """A bad-input hunt: SHoT's verdi_pct "0,18" was read as 0.18 % without a word (the seed
    and Samordna readers warned). It is still read as written, with one warning naming it."""
    from analysis import paths

    source = paths.RAW / "shot_headline_figures_national.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(";") if ";" in lines[0] else lines[0].split(",")
    sep = ";" if ";" in lines[0] else ","
    column = header.index("verdi_pct")
    cells = lines[1].split(sep)
    cells[column] = '"0,18"' if sep == "," else "0,18"
    path = tmp_path / source.name
    path.write_text("\n".join([lines[0], sep.join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    result = read_path(path)
    (warning,) = [w for w in result.warnings if "fraction" in w.message]
    assert (warning.row, warning.column, warning.value) == (2, "verdi_pct", "0,18")
    assert result.frame.loc[0, "value_pct"] == 0.18, "read as written"
    assert not [w for w in read_path(source).warnings if "fraction" in w.message]


@pytest.mark.parametrize(
    "name",
    [
        "dbh_api/dbh_api_t123_1150.json",
        "samordna_national/so_sokertall_programnivaa_2021-2026_hentet_2026-09-22_utdrag.json",
    ],
)
def test_text_after_the_json_is_named_as_such_not_as_a_truncated_download(tmp_path, name):
    """A bad-input hunt: JSON followed by an HTML error page was called "the JSON ends too
    early (truncated download)", the wrong diagnosis. A file cut short still is one."""
    from analysis import paths

    text = (paths.RAW / name).read_text(encoding="utf-8").rstrip()
    after = tmp_path / "etter.json"
    after.write_text(text + "<html>error</html>\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_path(after)
    assert "more text after the JSON data" in err.value.problems[0].message
    cut = tmp_path / "kuttet.json"
    cut.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_path(cut)
    assert "the JSON ends too early (truncated download)" in err.value.problems[0].message


def test_a_dbh_csv_with_a_renamed_column_read_with_its_kind_names_the_missing_column(tmp_path):
    """A bad-input hunt: --kind dbh-123-csv on the export with "Antall kvinner" renamed said "a
    DBH-API response for a table the product does not read" and never named the column."""
    from analysis import paths

    source = paths.RAW / "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv"
    path = tmp_path / "t123.csv"
    path.write_text(source.read_text(encoding="utf-8").replace("Antall kvinner", "Kvinner", 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_path(path, "dbh-123-csv")
    assert [(p.column, p.message) for p in err.value.problems] == [("Antall kvinner", "required column is missing")]


def test_a_title_row_above_the_header_gives_a_few_lines_not_one_per_row(tmp_path):
    """A bad-input hunt: --kind on a CSV with a title row printed ~350 lines of "row has 7
    fields, the header has 1". The first 20 rows are named, the rest counted in one line that
    says what is likely wrong (a header the product knows below the title row is named by its
    row instead: tests/test_cli_validate_ingest.py)."""
    from analysis import paths
    from analysis.readers.table_shape import MAX_RAGGED_LISTED

    source = paths.RAW / "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv"
    path = tmp_path / "t123.csv"
    # every column renamed, so that the header below the title is none the product knows, nor
    # nearly (one count column is enough to make a header DBH's table 123:
    # tests/test_deleted_column.py; a header of a known table's keys with its counts renamed is
    # named below its title: tests/test_pivot_layout.py)
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    renamed = "".join([",".join(f"kolonne {k}" for k in range(1, 8)) + "\n", *lines[1:]])
    path.write_text("Registrerte studenter NTNU\n" + renamed, encoding="utf-8")
    rows = len(source.read_text(encoding="utf-8").splitlines())
    with pytest.raises(InputError) as err:
        read_path(path, "dbh-123-csv")
    problems = err.value.problems
    assert len(problems) == MAX_RAGGED_LISTED + 1
    # the 21st is named with its own line (below the title: line 22 of the file), the rest counted
    line = path.read_text(encoding="utf-8").splitlines()[MAX_RAGGED_LISTED + 1]
    assert (problems[-1].row, problems[-1].value) == (MAX_RAGGED_LISTED + 2, line)
    assert problems[-1].message == (
        f"row has {line.count(',') + 1} fields, the header has 1; {rows - MAX_RAGGED_LISTED - 1} more rows whose "
        "fields do not match the header are not listed"
    )
    assert "delete any title rows" in problems[-1].hint


def test_one_ragged_row_past_the_limit_is_listed_as_itself(tmp_path):
    """Second reading of the line past the 20 ragged rows listed: with 21 it said "and 1 more
    rows whose fields do not match the header" on row 22 with the value (empty), where the row
    holds '21;x;extra'; the 21st is one row: it is listed as the others are (with the advice
    for many), and with 22 the line counts "1 more row ... is not listed"."""
    from analysis.readers.table_shape import MAX_RAGGED_LISTED

    for ragged, tail in ((21, ""), (22, "; 1 more row whose fields do not match the header is not listed")):
        rows = "".join(f"{k};x;extra\n" if k <= ragged else f"{k};x\n" for k in range(1, 31))
        path = write(tmp_path / f"t{ragged}.csv", "a;b\n" + rows)
        with pytest.raises(InputError) as err:
            read_path(path, "dbh-123-csv")
        problems = err.value.problems
        assert len(problems) == MAX_RAGGED_LISTED + 1
        last = problems[-1]
        assert (last.row, last.value) == (22, "21;x;extra")
        assert last.message == "row has 3 fields, the header has 2" + tail
        assert last.hint.startswith("is the first row the header? delete any title rows above it; ")

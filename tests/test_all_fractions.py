"""A table whose every share is written like a fraction (0,13 for 13 %, as Excel writes a share
cell with the General format) is refused, naming the first cell; one such cell among
percentages stays a warning (0.5 % is possible).

Before (a bad-input hunt, 2026-12-03): every cell was read as that many percent with a warning
each, and ``kvalitet flags`` flagged every programme of the admission table (20 of 20) at
0.13 % women and so on, exit 0.
"""

from __future__ import annotations

import openpyxl
import pytest

from analysis.cli import main
from analysis.errors import InputError
from analysis.readers import read_path

MESSAGE = "every share in the table is written like a fraction, without a % sign ({count} cells, the first shown here)"


def test_an_admission_table_of_fractions_is_refused(tmp_path, capsys):
    # 0 is 0 either way, and 1 may be 100 % written as a fraction: neither speaks against it
    path = tmp_path / "andel_kvinner.csv"
    path.write_text("Studieprogram;2016;2017\nKybernetikk;0,13;0,2\nKomtek;0;1\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "2016", "0,13")
    assert problem.message.startswith(MESSAGE.format(count=2))
    assert "13 % for 0,13" in problem.hint
    out = tmp_path / "flags.csv"
    assert main(["flags", str(path), "--out", str(out)]) == 1
    assert "andel_kvinner.csv:2:2016: '0,13' — every share" in capsys.readouterr().err
    assert not out.exists()


def test_an_admission_workbook_with_general_format_shares_is_refused(tmp_path):
    path = tmp_path / "andel_kvinner.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["Studieprogram", 2017, 2018], ["Kybernetikk", 0.3, 0.4], ["Elsys", 0.24, 0.25]):
        sheet.append(row)
    book.save(path)
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "2017", "0.3")
    assert problem.message.startswith(MESSAGE.format(count=4))


def test_one_fraction_among_percentages_is_still_read_with_a_warning(tmp_path):
    path = tmp_path / "andel_kvinner.csv"
    path.write_text("Studieprogram;2016;2017\nKybernetikk;0,5;20 %\nKomtek;56 %;43 %\n", encoding="utf-8")
    result = read_path(path)
    assert sorted(result.frame["share_women_given_pct"].tolist()) == [0.5, 20.0, 43.0, 56.0]
    (warning,) = [w for w in result.warnings if "fraction" in w.message]
    assert (warning.row, warning.column, warning.value) == (2, "2016", "0,5")


def test_a_samordna_sample_of_fractions_is_refused(tmp_path):
    header = (
        "entry_id,institusjon,studiekode,studiested,type,programnavn_beskrivende,programnavn_verifisert,aar,"
        "alle_sokere,forstevalgssokere,studieplasser,forstevalgssokere_kvinner_pct,antall_kvalifiserte,"
        "antall_tilbud,poenggrense_forstegangsvitnemal,poenggrense_ordinaer\n"
    )
    rows = [
        "nmbu_bygg,Norges miljø- og biovitenskapelige universitet,192759,Ås,master,Bygg,ja,2021,612,74,35,0.27,483,48,51.4,58.0\n",
        "nmbu_bygg,Norges miljø- og biovitenskapelige universitet,192759,Ås,master,Bygg,ja,2022,521,67,35,0.493,403,52,52.0,56.4\n",
    ]
    path = tmp_path / "samordna_sample.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "forstevalgssokere_kvinner_pct", "0.27")
    assert problem.message.startswith(MESSAGE.format(count=2))


def test_samordna_key_figures_with_fraction_shares_are_refused(tmp_path):
    meta = "Ansgar høyskole;255480;Teologi, bachelor;Kristiansand;Historiefag"
    lines = [
        "Institusjon;Studie- kode;Studienavn;Studie- sted;Utdannings- type;Nøkkeltall;2024;2025",
        f"{meta};Alle søkere;54;33",
        f"{meta};Førstevalgssøkere;12;13",
        f"{meta};Studieplasser;20;20",
        f"{meta};Førstevalgssøkere (kvinner);0,333;0,154",  # 4 of 12 and 2 of 13
        f"{meta};Antall kvalifiserte;50;28",
        f"{meta};Antall tilbud;30;25",
    ]
    path = tmp_path / "so_sokertall.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = [p for p in err.value.problems if "every share" in p.message]
    assert (problem.row, problem.column, problem.value) == (5, "2024", "0,333")
    assert problem.message.startswith(MESSAGE.format(count=2))


def test_a_shot_table_of_fractions_is_refused_and_one_fraction_is_a_warning(tmp_path):
    header = "aar,indikator,gruppe,verdi_pct,definisjon_merknad,kilde_url\n"
    url = "https://studenthelse.no/"
    fractions = tmp_path / "shot.csv"
    fractions.write_text(
        header + f"2018,ensomhet,alle,0.29,SHoT 2018,{url}\n2022,ensomhet,alle,0.32,SHoT 2022,{url}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_path(fractions)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "verdi_pct", "0.29")
    assert problem.message.startswith(MESSAGE.format(count=2).replace("in the table", "in the column"))
    one = tmp_path / "shot_one.csv"
    one.write_text(
        header + f"2018,ensomhet,alle,0.29,SHoT 2018,{url}\n2022,ensomhet,alle,32,SHoT 2022,{url}\n",
        encoding="utf-8",
    )
    result = read_path(one)
    (warning,) = [w for w in result.warnings if "fraction" in w.message]
    assert (warning.row, warning.value) == (2, "0.29")

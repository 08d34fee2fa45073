"""Excel's AutoSum below the Samordna sample's figure columns is named as a sum row, by the rule
DBH's tables use (``analysis.readers.base.sum_row``); it was named as "value is missing" on
institusjon, studiekode, programnavn and aar, as a row of the table (a helper's hunt,
2026-12-03).

Provenance: the real file ``shared/data/raw/samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv``
(86 lines), with the sum row added as line 87: any number in the figure cells, a sum row is one
by its shape.
"""

from __future__ import annotations

from analysis.cli import main

SAMPLE = "samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv"


def test_an_autosum_row_below_the_samordna_sample_is_named_as_a_sum(tmp_path, real_file, capsys):
    lines = real_file(SAMPLE).read_text(encoding="utf-8").splitlines()
    assert lines[0].split(",")[8:14] == [
        "alle_sokere",
        "forstevalgssokere",
        "studieplasser",
        "forstevalgssokere_kvinner_pct",
        "antall_kvalifiserte",
        "antall_tilbud",
    ]
    path = tmp_path / SAMPLE
    path.write_text("\n".join([*lines, ",,,,,,,,67986,12437,6912,,52768,10369,,"]) + "\n", encoding="utf-8")
    rc = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert rc == 1
    assert out.splitlines() == [
        f"{path}:87:-: '67986, 12437, 6912, 52768, 10369' — a total row below the table: it has figures but no key "
        "(a sum, as Excel's AutoSum adds) (delete it: the product adds up the rows itself)"
    ]


def test_an_autosum_row_below_a_samordna_key_figure_csv_is_named_as_a_sum(tmp_path, capsys):
    """The test fixture ``samordna_national_utdrag_excel.csv`` (the national key figures' extract
    as Excel saves it: ``;``, BOM, CRLF; 145 lines) with the year columns summed on line 146."""
    from pathlib import Path

    source = Path(__file__).parent / "fixtures" / "samordna_national_utdrag_excel.csv"
    path = tmp_path / source.name
    path.write_bytes(source.read_bytes() + b";;;;;;1234;1300;1400;1500;1600;1700\r\n")
    rc = main(["validate", str(path)])
    out, _ = capsys.readouterr()
    assert rc == 1
    assert out.splitlines() == [
        f"{path}:146:-: '1234, 1300, 1400, 1500, 1600, 1700' — a total row below the table: it has figures but no "
        "key (a sum, as Excel's AutoSum adds) (delete it: the product adds up the rows itself)"
    ]

"""A "(kvinner)" row of whole numbers without a % sign is read as counts of women, as an
adviser's own table may give them; percentages that lost their sign (typed in by hand from
Samordna's pages, or a column formatted as a number) look the same, and were read as counts
without a word (a bad-input hunt, 2026-12-04): Pedagogikk's 78,4 % women among 245 first-choice
applicants, typed as 78, became 78 women (31.8 %), flagging women instead of men.

The figures are the national excerpt's (``samordna_national/``, records of 194179 Historie,
årsstudium and 194220 Pedagogikk, årsstudium, 2024–2026), the shares rounded to whole percents
and written without their sign.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from analysis.cli import main

HEADER = "Institusjon;Studie- kode;Studienavn;Studie- sted;Utdannings- type;Nøkkeltall;2024;2025;2026\n"
NTNU = "Norges teknisk-naturvitenskapelige universitet"
HISTORIE = f"{NTNU};194179;Historie, årsstudium;Trondheim;Historie;"
PEDAGOGIKK = f"{NTNU};194220;Pedagogikk, årsstudium;Trondheim;Pedagogiske fag;"


def write(path: Path, women: tuple[str, str]) -> Path:
    path.write_text(
        HEADER
        + f"{HISTORIE}Førstevalgssøkere;75;74;56\n"
        + f"{HISTORIE}Førstevalgssøkere (kvinner);{women[0]}\n"
        + f"{PEDAGOGIKK}Førstevalgssøkere;245;249;219\n"
        + f"{PEDAGOGIKK}Førstevalgssøkere (kvinner);{women[1]}\n",
        encoding="cp1252",
    )
    return path


def historie_validated(tmp_path: Path, applicants: str, women: str) -> Path:
    """Historie's first-choice applicants and its '(kvinner)' row, validated with NumPy's
    warnings as errors (a share of 0 applicants was a RuntimeWarning)."""
    path = tmp_path / "sokertall_egen_tabell.csv"
    path.write_text(
        HEADER + f"{HISTORIE}Førstevalgssøkere;{applicants}\n" + f"{HISTORIE}Førstevalgssøkere (kvinner);{women}\n",
        encoding="cp1252",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # (NumPy's; not another test's unclosed socket collected here)
        assert main(["validate", str(path)]) == 0
    return path


def output(capsys) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return captured.out + captured.err


def test_whole_numbers_of_100_or_less_read_as_counts_are_said(tmp_path, capsys):
    path = write(tmp_path / "sokertall_egen_tabell.csv", ("41;49;39", "78;77;77"))
    assert main(["validate", str(path)]) == 0
    # line 3, 2024: 41 of line 2's 75 first-choice applicants = 54.7 %; six such cells
    expected = (
        f"{path}:3:2024: '41' — 6 cells of the '(kvinner)' rows are whole numbers without a % sign, read as "
        "counts of women (41 of 75 on line 2: 54.7 %), though each is 100 or less and may be a percentage "
        "that lost its % sign (write a percentage with its % sign (41 %); counts of women need nothing)"
    )
    assert f"  warning: {expected}" in output(capsys)
    assert main(["flags", str(path), "--out", str(tmp_path / "flags.csv")]) == 0
    assert expected in output(capsys)


def test_percentages_with_their_sign_and_counts_above_100_are_not_said(tmp_path, capsys):
    shares = write(tmp_path / "med_prosent.csv", ("41,3 %;48,6 %;39,3 %", "78,4 %;77,1 %;76,7 %"))
    # counts: 192 women cannot be a percentage, so the file's rows are counts beyond doubt
    counts = write(tmp_path / "antall.csv", ("31;36;22", "192;192;168"))
    for path in (shares, counts):
        assert main(["validate", str(path)]) == 0
        text = output(capsys)
        assert "warning" not in text, text


def test_the_figure_shown_is_of_a_row_with_applicants(tmp_path, capsys):
    # Historie 2024 had no first-choice applicants (0 women of 0: no share); the first figure with
    # applicants is 2025's: 49 of 74 = 66.2 %. Before, "0 of 0 on line 2: nan %" and NumPy's
    # RuntimeWarning (invalid value in scalar divide).
    path = historie_validated(tmp_path, "0;74;56", "0;49;39")
    expected = (
        f"{path}:3:2025: '49' — 3 cells of the '(kvinner)' rows are whole numbers without a % sign, read as "
        "counts of women (49 of 74 on line 2: 66.2 %), though each is 100 or less and may be a percentage "
        "that lost its % sign (write a percentage with its % sign (49 %); counts of women need nothing)"
    )
    assert f"  warning: {expected}" in output(capsys)


def test_no_share_is_shown_when_no_row_has_applicants(tmp_path, capsys):
    path = historie_validated(tmp_path, "0;;", "0;;")
    expected = (
        f"{path}:3:2024: '0' — 1 cell of the '(kvinner)' rows is a whole number without a % sign, read as "
        "counts of women (0 of 0 on line 2), though each is 100 or less and may be a percentage "
        "that lost its % sign (write a percentage with its % sign (0 %); counts of women need nothing)"
    )
    assert f"  warning: {expected}" in output(capsys)

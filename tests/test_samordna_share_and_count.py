"""One Samordna programme and year given as a share of women in one file (27,0 %) and as a count
of women of the same total in another (10 of 37): the two agree when the count, rounded as the
source rounded the share (its decimals), gives the share. Then the figure is read once, from the
count (it holds the exact figure: 799 of 2000 is below 40 %, "40,0 %" is not), whichever file is
preferred, with a note; otherwise the error says what each file gives, in words, and why they
are not one figure (beyond the share's rounding, different totals, a share's rounding unknown).
A second reader (2026-12-04) found the preferred file's share kept, and every reason said as
"beyond the share's rounding".

Before (a bad-input hunt, 2026-12-04), any such pair was "women: <NA> — different numbers",
even where the two agree.

The files are the real national excerpt (data/raw/samordna_national, as downloaded) and a copy
of it whose record 10, programme 255536 Teologi, deltid (Ansgar høyskole), "Førstevalgssøkere
(kvinner)", holds counts of women instead of shares. The counts, by hand from record 8
(Førstevalgssøkere) and record 10 (the shares): 2021 3 × 100,0 % = 3; 2022 10 × 50,0 % = 5;
2023 20 × 45,0 % = 9; 2024 26 × 53,8 % = 13.99 → 14 (14/26 = 53.85 %); 2025 28 × 42,9 % =
12.01 → 12 (12/28 = 42.86 %); 2026 37 × 27,0 % = 9.99 → 10 (10/37 = 27.03 %).
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from analysis import paths
from analysis.errors import InputError
from analysis.ingest import read_datasets

NATIONAL = paths.RAW / "samordna_national" / "so_sokertall_programnivaa_2021-2026_hentet_2026-09-22_utdrag.json"
SAMPLE = paths.RAW / "samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv"
COUNTS = {"2021": "3", "2022": "5", "2023": "9", "2024": "14", "2025": "12", "2026": "10"}
#: The key figures' columns of NMBU's Byggeteknikk og arkitektur (192759), as the national file
#: writes them.
NMBU_BYGG = {
    "Institusjon": "Norges miljø- og biovitenskapelige universitet",
    "Studie- kode": "192759",
    "Studienavn": "Byggeteknikk og arkitektur (master 5 år)",
    "Studie- sted": "Ås",
    "Utdannings- type": "Byggfag",
}


def _two_files(folder: Path, counts: dict[str, str]) -> Path:
    folder.mkdir()
    records = json.loads(NATIONAL.read_text(encoding="utf-8"))
    (folder / "so_a.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    assert records[9]["Studie- kode"] == "255536" and records[9]["Nøkkeltall"] == "Førstevalgssøkere (kvinner)"
    records[9].update(counts)
    (folder / "so_b_counts.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return folder


def test_a_share_and_a_count_that_agree_are_read_once_from_the_count(tmp_path):
    data = read_datasets(_two_files(tmp_path / "raw", COUNTS))
    gender = data["gender"]
    rows = gender[gender["unit_code"] == "255536"].sort_values("year")
    # read once each year, from the counts (the exact figures), though so_a.json (the first by
    # name of two files of one kind) is preferred
    assert rows["year"].tolist() == [2021, 2022, 2023, 2024, 2025, 2026]
    assert set(rows["source_file"]) == {"so_b_counts.json"}
    assert rows["women"].tolist() == [3, 5, 9, 14, 12, 10]
    assert rows["share_women_given_pct"].isna().all()
    notes = [str(n) for n in data.notes if "the share's rounding" in n.message]
    assert len(notes) == 1
    assert notes[0].startswith("so_a.json:10:-: 6 — 6 rows give as a share of women what so_b_counts.json gives")
    assert "100.0 % women of 3 here, 3 women of 3 = 100.0 % in row 10" in notes[0]


def test_a_share_and_a_count_that_disagree_say_what_each_file_gives(tmp_path):
    # 2026: 11 women of 37 = 29.73 % (shown with one decimal more than the share), not 27,0 %
    # (26.95–27.05 %); the other years agree
    with pytest.raises(InputError) as err:
        read_datasets(_two_files(tmp_path / "raw", {**COUNTS, "2026": "11"}))
    assert [str(p) for p in err.value.problems] == [
        "so_b_counts.json:10:women: 11 — the same unit and year (255536, 2026, first_choice_applicants) is "
        "11 women of 37 = 29.73 % here and 27.0 % women of 37 in so_a.json row 10: the two disagree beyond the "
        "share's rounding (keep only one of the two files, or correct the wrong one)"
    ]


def _sample_and_counts(folder: Path, share: str) -> Path:
    """The sample's NMBU Byggeteknikk (192759) 2021 row with its share written ``share``, and
    the key-figure table of that programme and year with 21 women of its 74 first-choice
    applicants (28.38 %)."""
    folder.mkdir()
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    row = next(line for line in lines if line.startswith("nmbu_bygg,") and ",2021," in line)
    cells = row.split(",")
    header = lines[0].split(",")
    assert cells[header.index("forstevalgssokere")] == "74"
    cells[header.index("forstevalgssokere_kvinner_pct")] = share
    (folder / "sample.csv").write_text(lines[0] + "\n" + ",".join(cells) + "\n", encoding="utf-8")
    base = NMBU_BYGG
    figures = [
        ("Alle søkere", "612"),
        ("Førstevalgssøkere", "74"),
        ("Studieplasser", "35"),
        ("Førstevalgssøkere (kvinner)", "21"),
        ("Antall kvalifiserte", "483"),
        ("Antall tilbud", "48"),
    ]
    records = [{**base, "Nøkkeltall": label, "2021": value} for label, value in figures]
    (folder / "so_keyfigures.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return folder


def _sample_as_workbook(folder: Path, share: object, number_format: str | None = None) -> Path:
    """:func:`_sample_and_counts`'s sample saved as a workbook, its share cell holding ``share``
    (shown in ``number_format``)."""
    lines = (folder / "sample.csv").read_text(encoding="utf-8").splitlines()
    header, cells = lines[0].split(","), lines[1].split(",")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    sheet.append(cells)
    cell = sheet.cell(row=2, column=header.index("forstevalgssokere_kvinner_pct") + 1, value=share)
    if number_format:
        cell.number_format = number_format
    book.save(folder / "sample.xlsx")
    (folder / "sample.csv").unlink()
    return folder


def test_the_decimals_the_source_wrote_decide_how_far_a_share_may_be_from_a_count(tmp_path):
    # 21 of 74 = 28.378 % (said as 28.38 %, one decimal more than the share): "28" (a whole percent, 27.5–28.5 %) agrees; "28.0" (27.95–28.05 %) does not
    data = read_datasets(_sample_and_counts(tmp_path / "whole", "28"))
    row = data["gender"][data["gender"]["unit_code"] == "192759"]
    assert (row["source_file"].tolist(), row["women"].tolist()) == (["so_keyfigures.json"], [21])
    with pytest.raises(InputError) as err:
        read_datasets(_sample_and_counts(tmp_path / "tenths", "28.0"))
    assert [p.message for p in err.value.problems] == [
        "the same unit and year (192759, 2021, first_choice_applicants) is 28.0 % women of 74 here and "
        "21 women of 74 = 28.38 % in so_keyfigures.json row 4: the two disagree beyond the share's rounding"
    ]


def _keyfigures(folder: Path, name: str, first_choice: str, women: str) -> None:
    """One programme's key figures for 2021 (NMBU Byggeteknikk, 192759): ``first_choice``
    first-choice applicants, of them ``women`` women (a count, or a share with its % sign) on
    record 4."""
    folder.mkdir(exist_ok=True)
    base = NMBU_BYGG
    figures = [
        ("Alle søkere", "6120"),
        ("Førstevalgssøkere", first_choice),
        ("Studieplasser", "35"),
        ("Førstevalgssøkere (kvinner)", women),
    ]
    records = [{**base, "Nøkkeltall": label, "2021": value} for label, value in figures]
    (folder / name).write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")


def test_a_share_and_a_count_that_agree_are_read_from_the_count_whichever_file_is_preferred(tmp_path):
    # 799 women of 2000 = 39.95 %: below 40 % (the policy compares exactly), though "40,0 %"
    # (39.95–40.05 %) is the same figure rounded; the preferred so_a.json's share would read
    # the programme as not below 40 %
    folder = tmp_path / "raw"
    _keyfigures(folder, "so_a.json", "2000", "40,0 %")
    _keyfigures(folder, "so_b.json", "2000", "799")
    data = read_datasets(folder)
    row = data["gender"][data["gender"]["unit_code"] == "192759"]
    assert row["source_file"].tolist() == ["so_b.json"]
    assert (row["women"].tolist(), row["men"].tolist(), row["total"].tolist()) == ([799], [1201], [2000])
    assert row["share_women_given_pct"].isna().all()
    notes = [str(n) for n in data.notes if "the share's rounding" in n.message]
    assert notes == [
        "so_a.json:4:-: 1 — 1 row gives as a share of women what so_b.json gives as a count, the same "
        "within the share's rounding (first shown: 40.0 % women of 2000 here, 799 women of 2000 = 39.95 % "
        "in row 4); read once, from the count, the exact figure (nothing to do: counted once, from the count)"
    ]


def test_a_share_and_a_count_of_different_totals_say_the_totals_differ(tmp_path):
    # 10 of 38 = 26.32 % (one decimal more than the share's); the share is of 37
    folder = tmp_path / "raw"
    _keyfigures(folder, "so_a.json", "37", "27,0 %")
    _keyfigures(folder, "so_b.json", "38", "10")
    with pytest.raises(InputError) as err:
        read_datasets(folder)
    assert [str(p) for p in err.value.problems] == [
        "so_b.json:4:women: 10 — the same unit and year (192759, 2021, first_choice_applicants) is "
        "10 women of 38 = 26.32 % here and 27.0 % women of 37 in so_a.json row 4: the totals differ "
        "(38 here, 37 there) (keep only one of the two files, or correct the wrong one)"
    ]


def test_a_share_from_a_workbook_number_cannot_be_matched_and_is_shown_with_few_decimals(tmp_path):
    # the sample's share saved by a formula (=21/74*100, the number 28.378378378378379): the
    # decimals it was written with are not in the workbook (a number cell), so 21 of 74 in the key
    # figures cannot be matched with it; it is shown with 2 decimals, not as the float's 15
    folder = _sample_as_workbook(_sample_and_counts(tmp_path / "raw", "28"), 2100 / 74)
    with pytest.raises(InputError) as err:
        read_datasets(folder)
    assert [(p.file, p.row, p.message) for p in err.value.problems] == [
        (
            "sample.xlsx",
            2,
            "the same unit and year (192759, 2021, first_choice_applicants) is 28.38 % women of 74 here and 21 women "
            "of 74 = 28.38 % in so_keyfigures.json row 4: the share's rounding is not known (the file does not say "
            "how many decimals it was written with), so the two cannot be matched",
        )
    ]


@pytest.mark.parametrize(
    ("value", "number_format"),
    [(0.28, "0.0%"), (0.28, "0.0 %;-0.0 %"), (0.28, "#,##0.0%")],
    ids=["0.0 %", "with a part for negatives", "with thousands"],
)
def test_a_workbook_share_shown_with_one_decimal_is_known_to_one_decimal(tmp_path, value, number_format):
    """A second reader (2026-12-04): a number cell shown as a percentage (0.28 in the format
    0.0 %, which Excel shows as 28,0 %) was read with every digit of its number, "28 %", and
    taken as a share written with no decimals: 21 of 74 (28.38 %) "agreed" with it within ±0.5
    points; then its decimals were called unknown. The format shows one decimal, so the share is
    "28,0 %" as in a CSV saved from it (27.95–28.05 %): 21 of 74 disagrees beyond its rounding,
    the error the CSV's "28.0" gives (test_the_decimals_the_source_wrote_decide_how_far_a_share_may_be_from_a_count)."""
    folder = _sample_as_workbook(_sample_and_counts(tmp_path / "raw", "28"), value, number_format)
    with pytest.raises(InputError) as err:
        read_datasets(folder)
    assert [(p.file, p.row, p.message) for p in err.value.problems] == [
        (
            "sample.xlsx",
            2,
            "the same unit and year (192759, 2021, first_choice_applicants) is 28.0 % women of 74 here and "
            "21 women of 74 = 28.38 % in so_keyfigures.json row 4: the two disagree beyond the share's rounding",
        )
    ]


@pytest.mark.parametrize(
    ("value", "number_format"),
    [(0.28, "0%"), ("28 %", None), (0.2838, "0.0%")],
    ids=["0 %", "text", "two decimals of its own in 0.0 %"],
)
def test_a_workbook_share_agrees_with_a_count_within_the_rounding_it_is_shown_or_written_with(
    tmp_path, value, number_format
):
    """0.28 in the format 0 % is shown "28 %", and a text "28 %" is as typed: a share written with
    no decimals (27.5–28.5 %), which 21 of 74 (28.38 %) is within, as the CSV's "28" is. 0.2838 in
    0.0 % is shown "28,4 %" but holds two decimals, read as "28.38 %" (28.375–28.385 %): 21 of 74
    (28.378 %) is within that too. Read once, from the count."""
    data = read_datasets(_sample_as_workbook(_sample_and_counts(tmp_path / "raw", "28"), value, number_format))
    row = data["gender"][data["gender"]["unit_code"] == "192759"]
    assert (row["source_file"].tolist(), row["women"].tolist()) == (["so_keyfigures.json"], [21])


def test_a_share_written_with_a_float_s_many_decimals_agrees_with_its_count(tmp_path):
    """A second reader (2026-12-04): "33,333333333333333 %" (a formula's value pasted as text) of
    3 is 1 woman of 3 to the float's last digit, but ±half a unit of its 15th decimal is finer
    than the float it is read as, and 1 of 3 "disagreed beyond the share's rounding"; with 20
    decimals the arithmetic overflowed. The decimals are taken as written up to 9: by hand,
    |100/3 − 33.333333333| = 3.3·10⁻¹⁰ ≤ 5·10⁻¹⁰, the same figure."""
    folder = tmp_path / "raw"
    _keyfigures(folder, "so_a.json", "3", "33,333333333333333 %")
    _keyfigures(folder, "so_b.json", "3", "1")
    data = read_datasets(folder)
    row = data["gender"][data["gender"]["unit_code"] == "192759"]
    assert (row["source_file"].tolist(), row["women"].tolist()) == (["so_b.json"], [1])
    folder = tmp_path / "twenty"
    _keyfigures(folder, "so_a.json", "2000", "39,950000000000000000 %")
    _keyfigures(folder, "so_b.json", "2000", "799")
    data = read_datasets(folder)
    assert data["gender"].loc[data["gender"]["unit_code"] == "192759", "women"].tolist() == [799]


def test_one_row_and_one_woman_are_said_in_the_singular(tmp_path):
    """A second reader (2026-12-04): "1 rows repeat rows of a preferred file" and "1 women of 3"."""
    folder = tmp_path / "twice"
    _keyfigures(folder, "so_a.json", "2000", "799")
    _keyfigures(folder, "so_b.json", "2000", "799")
    assert [n.message for n in read_datasets(folder).notes if "repeat" in n.message] == [
        "1 row repeats a row of a preferred file (so_a.json) with the same values; read once"
    ]
    folder = tmp_path / "third"
    _keyfigures(folder, "so_a.json", "3", "33,3 %")
    _keyfigures(folder, "so_b.json", "3", "1")
    [note] = [n.message for n in read_datasets(folder).notes if "rounding" in n.message]
    assert "1 woman of 3 = 33.33 %" in note

"""One Samordna programme and year given as a share of women in one file (27,0 %) and as a count
of women of the same total in another (10 of 37): the two agree when the count, rounded as the
source rounded the share (its decimals), gives the share. Then the figure is read once, from the
preferred file, with a note; otherwise the error says what each file gives, in words.

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

import pytest

from analysis import paths
from analysis.errors import InputError
from analysis.ingest import read_datasets

NATIONAL = paths.RAW / "samordna_national" / "so_sokertall_programnivaa_2021-2026_hentet_2026-09-22_utdrag.json"
SAMPLE = paths.RAW / "samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv"
COUNTS = {"2021": "3", "2022": "5", "2023": "9", "2024": "14", "2025": "12", "2026": "10"}


def _two_files(folder: Path, counts: dict[str, str]) -> Path:
    folder.mkdir()
    records = json.loads(NATIONAL.read_text(encoding="utf-8"))
    (folder / "so_a.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    assert records[9]["Studie- kode"] == "255536" and records[9]["Nøkkeltall"] == "Førstevalgssøkere (kvinner)"
    records[9].update(counts)
    (folder / "so_b_counts.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return folder


def test_a_share_and_a_count_that_agree_are_read_once_from_the_preferred_file(tmp_path):
    data = read_datasets(_two_files(tmp_path / "raw", COUNTS))
    gender = data["gender"]
    rows = gender[gender["unit_code"] == "255536"].sort_values("year")
    # read once each year, from so_a.json (the first by name of two files of one kind): the shares
    assert rows["year"].tolist() == [2021, 2022, 2023, 2024, 2025, 2026]
    assert set(rows["source_file"]) == {"so_a.json"}
    assert rows["share_women_given_pct"].tolist() == [100.0, 50.0, 45.0, 53.8, 42.9, 27.0]
    notes = [str(n) for n in data.notes if "the share's rounding" in n.message]
    assert len(notes) == 1
    assert notes[0].startswith("so_b_counts.json:10:-: 6 — 6 rows give as a count of women or a share")
    assert "3 women of 3 = 100.0 % here, 100.0 % women of 3 in row 10" in notes[0]


def test_a_share_and_a_count_that_disagree_say_what_each_file_gives(tmp_path):
    # 2026: 11 women of 37 = 29.73 %, not 27,0 % (26.95–27.05 %); the other years agree
    with pytest.raises(InputError) as err:
        read_datasets(_two_files(tmp_path / "raw", {**COUNTS, "2026": "11"}))
    assert [str(p) for p in err.value.problems] == [
        "so_b_counts.json:10:women: 11 — the same unit and year (255536, 2026, first_choice_applicants) is "
        "11 women of 37 = 29.7 % here and 27.0 % women of 37 in so_a.json row 10: the two disagree beyond the "
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
    base = {
        "Institusjon": "Norges miljø- og biovitenskapelige universitet",
        "Studie- kode": "192759",
        "Studienavn": "Byggeteknikk og arkitektur (master 5 år)",
        "Studie- sted": "Ås",
        "Utdannings- type": "Byggfag",
    }
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


def test_the_decimals_the_source_wrote_decide_how_far_a_share_may_be_from_a_count(tmp_path):
    # 21 of 74 = 28.378 %: "28" (a whole percent, 27.5–28.5 %) agrees; "28.0" (27.95–28.05 %) does not
    data = read_datasets(_sample_and_counts(tmp_path / "whole", "28"))
    row = data["gender"][data["gender"]["unit_code"] == "192759"]
    assert (row["source_file"].tolist(), row["women"].tolist()) == (["so_keyfigures.json"], [21])
    with pytest.raises(InputError) as err:
        read_datasets(_sample_and_counts(tmp_path / "tenths", "28.0"))
    assert [p.message for p in err.value.problems] == [
        "the same unit and year (192759, 2021, first_choice_applicants) is 28.0 % women of 74 here and "
        "21 women of 74 = 28.4 % in so_keyfigures.json row 4: the two disagree beyond the share's rounding"
    ]

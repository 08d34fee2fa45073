"""A Samordna cell marked "not available" ("NA", "NA %", "-") is unknown, never 0 and never a
refusal, in both Samordna readers: the key-figure table read it as missing with a warning, while
the programme-level sample refused the same "NA" as "not a number" (a count) or "not a
percentage" (a share). One rule now (``analysis.readers.samordna.not_available``), one warning.

The marks are Samordna's own: the national file writes ``"NA"`` (record 60, NTNU 194109 "Antall
tilbud" 2024) and ``"NA\u00a0%"`` in its share rows (data/raw/README.md, after the upstream
builder ``build-landsam-data.py``). A share that is not available leaves its programme-year out
of the gender table, said in a warning, as a share the sample leaves empty already is.

Provenance: the real ``samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv``
(85 rows, every one with a share) and the real national excerpt in ``samordna_national/``, with the
cells the tests name replaced.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from analysis.cli import main
from analysis.readers.detect import read_path

SAMPLE = "samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv"
NATIONAL = "samordna_national/so_sokertall_programnivaa_2021-2026_hentet_2026-09-22_utdrag.json"
MESSAGE = "2 cells marked as not available (first shown here): read as missing, not 0"


def _sample_with(real_file, tmp_path, changes):
    """The sample with ``changes`` ({(line, column): text}; line 1 = the header) made."""
    rows = list(csv.reader(io.StringIO(real_file(SAMPLE).read_text(encoding="utf-8"))))
    header = rows[0]
    for (line, column), text in changes.items():
        rows[line - 1][header.index(column)] = text
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / SAMPLE
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize("share", ["NA", "NA %", "NA\u00a0%", "-"])
def test_a_sample_cell_not_available_is_unknown_not_refused(tmp_path, real_file, capsys, share):
    # line 3: nmbu_bygg 192759, 2022; line 4: the same programme, 2023
    path = _sample_with(real_file, tmp_path, {(3, "forstevalgssokere_kvinner_pct"): share, (4, "antall_tilbud"): "NA"})
    result = read_path(path)
    frame = result.frame
    # 85 rows, each with a share; the one whose share is not available is not in the gender table
    assert len(frame) == 84
    assert not ((frame["unit_code"] == "192759") & (frame["year"] == 2022)).any()
    # 2023 keeps its share (54.9 in the file): a figure not available elsewhere in the row is no reason
    (kept,) = frame.loc[(frame["unit_code"] == "192759") & (frame["year"] == 2023), "share_women_given_pct"]
    assert kept == 54.9
    assert result.notes["not_available"] == 2
    by_message = {w.message: w for w in result.warnings}
    first = by_message[MESSAGE]
    assert (first.row, first.column, first.value) == (3, "forstevalgssokere_kvinner_pct", share)
    left_out = by_message["rows without a share of women are left out of the gender tables"]
    assert left_out.value == 1
    assert main(["validate", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err


def test_a_national_share_not_available_gets_the_same_word(tmp_path, real_file):
    """The key-figure reader's rule, the same words: record 58 is 194109 "Førstevalgssøkere
    (kvinner)"; with its 2021 share "NA %", two cells (it and record 60's 2024 "NA")."""
    records = json.loads(real_file(NATIONAL).read_text(encoding="utf-8"))
    assert (records[57]["Studie- kode"], records[57]["Nøkkeltall"]) == ("194109", "Førstevalgssøkere (kvinner)")
    records[57]["2021"] = "NA\u00a0%"
    path = tmp_path / "so_sokertall.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    result = read_path(path)
    first = next(w for w in result.warnings if w.message == MESSAGE)
    assert (first.row, first.column, first.value) == (58, "2021", "NA\u00a0%")
    assert result.notes["not_available"] == 2
    frame = result.frame
    assert not ((frame["unit_code"] == "194109") & (frame["year"] == 2021)).any()


def test_a_sample_year_marked_not_available_is_still_refused(tmp_path, real_file):
    """The mark is for figures: a row's year (a key) is never unknown."""
    path = _sample_with(real_file, tmp_path, {(3, "aar"): "NA"})
    assert main(["validate", str(path)]) == 1


def test_a_national_year_without_a_figure_in_any_record_is_said(tmp_path, real_file):
    """An empty cell is a programme not offered that year (the real file has 30: Ansgar 255195 and
    255202 before they started), counted in the notes only. A year column empty in every record
    is no programme's choice but the download's (a year column left empty, a figure not yet
    published): it was read as 24 programmes not offered in 2026, exit 0 without a word (a
    bad-input hunt, 2026-12-04). Now a warning names the year; the figures stay unknown, never 0."""
    records = json.loads(real_file(NATIONAL).read_text(encoding="utf-8"))
    for record in records:
        record["2026"] = None
    path = tmp_path / "so_sokertall.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    result = read_path(path)
    (year,) = [w for w in result.warnings if w.column == "2026"]
    assert (year.row, year.value) == (None, None)
    assert "no record has a figure for 2026" in year.message
    # the other years are every one filled somewhere: no such warning for them
    assert [w.column for w in result.warnings if "no record has a figure" in w.message] == ["2026"]
    assert 2026 not in set(result.frame["year"])


def test_one_programme_s_years_before_it_started_are_not_said(tmp_path, real_file):
    """A download of one programme: Ansgar's 255195 (Teologi, årsstudium), first offered in 2023,
    has 2021 and 2022 empty in all its 6 records. That is the programme's own history, not a
    year column left empty (a second reader, 2026-12-04: it was told to download the table again
    for 2021 and 2022). Said only where several programmes all lack the year."""
    records = json.loads(real_file(NATIONAL).read_text(encoding="utf-8"))
    one = [r for r in records if r["Studie- kode"] == "255195"]
    assert len(one) == 6 and all(r["2021"] is None and r["2022"] is None for r in one)
    path = tmp_path / "so_255195.json"
    path.write_text(json.dumps(one, ensure_ascii=False), encoding="utf-8")
    result = read_path(path)
    assert not [w for w in result.warnings if "no record has a figure" in w.message]
    assert set(result.frame["year"]) <= {2023, 2024, 2025, 2026}

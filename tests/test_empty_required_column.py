"""A required column present in the header but emptied on every row is named once, on the header
line, with the kind the header is (a bad-input hunt, 2026-12-04): the portal's time series with
survey_year emptied was said to be the portal's items file lacking item_text_nb ("24 of its 24
keys … have several values": the emptied year merged each programme's years into one key), and
every other kind said "value is missing" once for each of its rows (25 443 lines for the
national DBH file), naming neither the kind nor that the whole column is empty.

Provenance: the real files of ``data/raw`` named below, with one column's cells emptied here
with the csv module; the expected kind and description are those of the kinds registry
(analysis/readers/kinds.py), the header line is line 1 of each file."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import cli_in_process


def emptied(tmp_path, real_file, name: str, column: str):
    """The real file ``name`` with every cell of ``column`` emptied, and its header."""
    text = real_file(name).read_text(encoding="utf-8")
    delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    header, *rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    assert rows and column in header
    k = header.index(column)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerows([header, *[[*r[:k], "", *r[k + 1 :]] for r in rows]])
    path = tmp_path / name
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path, header


@pytest.mark.parametrize(
    ("name", "column", "kind", "description"),
    [
        (
            "studiebarometeret_index_history_sample.csv",
            "survey_year",
            "sb-portal-history",
            "Studiebarometeret portal time series",
        ),
        (
            "studiebarometeret_index_history_sample.csv",
            "sb_id",
            "sb-portal-history",
            "Studiebarometeret portal time series",
        ),
        ("shot_headline_figures_national.csv", "aar", "shot-indicators", "SHoT indicator table"),
        (
            "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv",
            "Årstall",
            "dbh-123-csv",
            "DBH CSV, table 123 registered students",
        ),
    ],
)
def test_an_emptied_required_column_is_named_with_its_kind(
    tmp_path, real_file, capsys, name, column, kind, description
):
    path, header = emptied(tmp_path, real_file, name, column)
    rc, out, _ = cli_in_process(capsys, "validate", path)
    assert rc == 1
    assert out.splitlines() == [
        f"{path}:1:{column}: (empty) — required column is empty on every row: the header is that of the kind "
        f"{kind} ({description}) (fill the column in, or export the table again; the header row has: "
        + ", ".join(header)
        + ")"
    ]


SAMPLE = "samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv"
SHARE = "forstevalgssokere_kvinner_pct"
NO_SHARE = (
    "(empty) — no row has a figure in this column: it is the sample's only gender figure, and a row "
    "without it is left out (fill the column in, or export the table again)"
)


def _sample(tmp_path, real_file, share, keep=None, year_at=None):
    """The real Samordna sample with every share set to ``share`` (its first ``keep`` rows), and
    the year of data line ``year_at`` (file line ``year_at``) made '20x4'."""
    text = real_file(SAMPLE).read_text(encoding="utf-8")
    header, *rows = csv.reader(io.StringIO(text))
    rows = rows[:keep] if keep else rows
    k, y = header.index(SHARE), header.index("aar")
    rows = [[*r[:k], share, *r[k + 1 :]] for r in rows]
    if year_at is not None:
        rows[year_at - 2][y] = "20x4"
    path = tmp_path / SAMPLE
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *rows])
    return path


@pytest.mark.parametrize(
    ("share", "keep"),
    [
        ("", None),  # emptied (before: named, but as a "required column", which a row may leave empty)
        ("NA", None),  # Samordna's "not available" in every row (before: '0 rows', valid)
        ("", 1),  # one row, its share empty (before: '0 rows', valid)
    ],
)
def test_a_samordna_sample_with_no_share_of_women_is_refused_saying_why(tmp_path, real_file, capsys, share, keep):
    """A share may be missing in a row, but with none in any row the sample, whose only gender
    figure it is, gives nothing: it read as '0 rows' and the file was called valid."""
    path = _sample(tmp_path, real_file, share, keep)
    rc, out, _ = cli_in_process(capsys, "validate", path)
    assert rc == 1
    assert out.splitlines()[0] == f"{path}:1:{SHARE}: {NO_SHARE}"


def test_a_samordna_sample_with_no_share_and_a_bad_year_names_both(tmp_path, real_file, capsys):
    """Before, the emptied share replaced the file's other problems: only it was said, and the
    bad year on line 5 came to light only once the share was filled in."""
    path = _sample(tmp_path, real_file, "", year_at=5)
    rc, out, _ = cli_in_process(capsys, "validate", path)
    assert rc == 1
    lines = out.splitlines()
    assert f"{path}:1:{SHARE}: {NO_SHARE}" in lines
    assert [line for line in lines if line.startswith(f"{path}:5:aar: '20x4' — not a year")]

"""A table with one of its columns deleted in Excel is still that table, and its reader names
the column missing (a bad-input hunt, 2026-12-03). DBH: the national 123 export has name
columns (``kodetekst: "J"``), so without its "Antall totalt" it matched table 457's signature
(Avdelingskode, Avdelingsnavn, Årstall) and without "Årstall" table 211's: it was read as
department or institution names, exit 0, every count unused. The portal index without its
field_average was read as the portal's time series.

Provenance: the real national export's first 20 lines (``dbh_national/…``) and the real portal
index sample, a column taken out."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from analysis import paths
from analysis.cli import main

NATIONAL = paths.RAW / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"


def without(header: list[str], rows: list[list[str]], column: str) -> str:
    k = header.index(column)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerows([r[:k] + r[k + 1 :] for r in [header, *rows]])
    return out.getvalue()


def missing(capsys, path: Path, column: str, has: list[str]) -> None:
    rc = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert rc == 1
    assert out.splitlines() == [
        f"{path}:1:{column}: (empty) — required column is missing (the header row has: {', '.join(has)}; add the "
        "column or check that this is the right kind of file)"
    ]


@pytest.mark.parametrize("column", ["Antall totalt", "Antall kvinner", "Årstall"])
def test_the_national_export_without_one_column_is_still_table_123(tmp_path, capsys, column):
    lines = NATIONAL.read_text(encoding="utf-8-sig").splitlines()[:20]
    header, *rows = csv.reader(lines, delimiter=";")
    assert header[4] == "Årstall" and header[-3:] == ["Antall totalt", "Antall kvinner", "Antall menn"]
    path = tmp_path / NATIONAL.name
    path.write_text(without(header, rows, column), encoding="utf-8")
    missing(capsys, path, column, [h for h in header if h != column])


def test_the_portal_index_without_its_field_average_is_still_the_index(tmp_path, real_file, capsys):
    """A bad-input hunt (2026-12-03): the real index sample with its field_average column
    deleted matched the history's signature (sb_id, survey_year, dimension_key, value) and was
    read as the portal's time series, exit 0, its other columns unused."""
    with real_file("studiebarometeret_2025_portal_index_sample.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][10] == "field_average"
    path = tmp_path / "studiebarometeret_2025_portal_index_sample.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([r[:10] + r[11:] for r in rows])
    assert main(["validate", str(path)]) == 1
    out, _ = capsys.readouterr()
    has = "survey_year, sb_id, institusjonskode, programnavn, nivaa, respondents, response_rate_pct, dimension_key, "
    has += "dimension_label_portal, value, field_average_label, warning"
    assert out.splitlines() == [
        f"{path}:1:field_average: (empty) — required column is missing (the header row has: {has}; add the column or "
        "check that this is the right kind of file)"
    ]


def deleted(real_file, tmp_path, name: str, column: str, suffix: str = ".csv") -> tuple[Path, list[str]]:
    """The real file ``name`` with ``column`` deleted, saved as CSV or, as from Excel, a workbook;
    and the header it keeps."""
    with real_file(name).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    k = rows[0].index(column)
    kept = [r[:k] + r[k + 1 :] for r in rows]
    path = tmp_path / (Path(name).stem + suffix)
    if suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        for row in kept:
            book.active.append(row)
        book.save(path)
    else:
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(kept)
    return path, kept[0]


# A column a kind is known by, deleted (a bad-input hunt, 2026-12-03): no kind's signature
# matched, and the file was refused as "not a table the product knows", naming neither the
# kind nor the column. The other columns are all of that kind's: the kind and the column are
# named (detect.nearly_known).
@pytest.mark.parametrize(
    ("name", "column", "kind", "what", "suffix"),
    [
        ("shot_headline_figures_national.csv", "indikator", "shot-indicators", "SHoT indicator table", ".csv"),
        ("shot_headline_figures_national.csv", "indikator", "shot-indicators", "SHoT indicator table", ".xlsx"),
        (
            "studiebarometeret_2025_portal_index_sample.csv",
            "sb_id",
            "sb-portal-index",
            "Studiebarometeret portal indices",
            ".csv",
        ),
        (
            "studiebarometeret_2025_portal_items_sample.csv",
            "sb_id",
            "sb-portal-items",
            "Studiebarometeret portal items",
            ".csv",
        ),
    ],
)
def test_a_column_a_kind_is_known_by_deleted_is_named_with_the_kind(
    tmp_path, real_file, capsys, name, column, kind, what, suffix
):
    path, header = deleted(real_file, tmp_path, name, column, suffix)
    rc = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert rc == 1
    assert out.splitlines() == [
        f"{path}:1:{column}: (empty) — required column is missing: the other columns are those of the kind {kind} "
        f"({what}) (put the column back as it was, or export the table again; the header row has: "
        f"{', '.join(header)})"
    ]


def test_a_header_with_few_of_a_kinds_columns_is_still_not_known(tmp_path, capsys):
    """Two of SHoT's six columns (aar, verdi_pct) beside others are no SHoT table lacking four:
    said as a table the product does not know."""
    path = tmp_path / "tall.csv"
    path.write_text("aar,verdi_pct,fylke\n2022,35,Trøndelag\n", encoding="utf-8")
    rc = main(["validate", str(path)])
    out, _ = capsys.readouterr()
    assert rc == 1
    assert out.splitlines()[0].startswith(f"{path}:-:-: 'aar, verdi_pct, fylke' — not a table the product knows")


def test_the_portal_items_without_their_text_are_not_read_as_the_time_series(tmp_path, real_file, capsys):
    """A bad-input hunt (2026-12-03): the real items sample with item_text_nb deleted has the
    time series' columns (survey_year, sb_id, dimension_key, value) and was read as it: refused
    with 44 lines of "same key … as row 3 but a different value", the questions of one index
    taken for conflicting rows. Of its 21 keys (programme, year, index), 17 have more than one
    question: counted here from the real file."""
    with real_file("studiebarometeret_2025_portal_items_sample.csv").open(encoding="utf-8", newline="") as fh:
        header, *rows = csv.reader(fh)
    values: dict[tuple[str, str, str], set[str]] = {}
    for r in rows:
        values.setdefault((r[1], r[0], r[2]), set()).add(r[4])
    several = sum(1 for v in values.values() if len(v) > 1)
    assert (several, len(values)) == (17, 21)
    path, kept = deleted(real_file, tmp_path, "studiebarometeret_2025_portal_items_sample.csv", "item_text_nb")
    rc = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert rc == 1
    assert out.splitlines() == [
        f"{path}:1:item_text_nb: (empty) — required column is missing: the other columns are those of the kind "
        "sb-portal-items (Studiebarometeret portal items): 17 of its 21 keys (sb_id, survey_year, dimension_key) "
        "have several values, one for each question, where the time series has one (put the column back as it "
        f"was, or export the table again; the header row has: {', '.join(kept)})"
    ]


def test_a_time_series_with_one_conflicting_row_is_told_so(tmp_path, real_file, capsys):
    """The real time series with line 2 (1173_m-ba, 2022, undervisning, 3.5) repeated with another
    value on line 98: one key with two values is a wrong row, not an items file."""
    lines = real_file("studiebarometeret_index_history_sample.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1] == "1173_m-ba,2022,undervisning,3.5"
    path = tmp_path / "studiebarometeret_index_history_sample.csv"
    path.write_text("\n".join([*lines, "1173_m-ba,2022,undervisning,3.9"]) + "\n", encoding="utf-8")
    rc = main(["validate", str(path)])
    out, _ = capsys.readouterr()
    assert rc == 1
    assert out.splitlines() == [
        f"{path}:98:value: 3.9 — same key (sb_id=1173_m-ba, survey_year=2022, dimension_key=undervisning) as row 2 "
        "but a different value (3.5) (keep one row per key: remove the wrong row)"
    ]

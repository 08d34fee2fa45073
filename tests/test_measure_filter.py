"""A count table's column of one value is a filter of the download, and part of the measure.

A second reader (2026-12-04): a DBH table-123 download with ``Nivåkode`` = "HN" on every row (the
adviser filtered the query on one study level) was read with a warning that the column "is not
used", and its shares were labelled "registrerte studenter, høst, kategori S" as if they were
all of NTNU's students. Two such downloads, HN and M2, were read as one series (the second as a
repeat of the first where the counts agreed).

Provenance: NTNU's (1150) lines of the real national export
``shared/data/raw/dbh_national/dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv``,
2014–2017, with a column added to every row as each test says. The expected measure text is
written by hand from the policy (the measure, its semester, its category, then the filter as
the file writes it); the expected counts are those of the same lines without the column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.cli import main
from analysis.errors import InputError
from analysis.readers import read_path
from analysis.readers.base import FILTER_COLUMN, UNREAD_COLUMN

NATIONAL = paths.RAW / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"


def ntnu(tmp_path: Path, name: str, column: str | None = None, values: tuple[str, ...] = ()) -> Path:
    """NTNU's lines 2014–2017 of the national export, with ``column`` added holding ``values`` in
    turn (one value: every row the same)."""
    lines = NATIONAL.read_text(encoding="utf-8-sig").splitlines()
    kept = [
        line for line in lines[1:] if line.startswith('"1150"') and 2014 <= int(line.split(";")[4].strip('"')) <= 2017
    ]
    if column is not None:
        lines[0] += f';"{column}"'
        kept = [f'{line};"{values[i % len(values)]}"' for i, line in enumerate(kept)]
    path = tmp_path / name
    path.write_text("\n".join([lines[0], *kept]) + "\n", encoding="utf-8")
    return path


def test_a_column_of_one_value_is_the_measures_filter_not_an_unread_column(tmp_path):
    plain = read_path(ntnu(tmp_path, "ntnu.csv"))
    filtered = read_path(ntnu(tmp_path, "ntnu_hn.csv", "Nivåkode", ("HN",)))
    assert set(filtered.frame["measure_filter"]) == {"Nivåkode HN"}
    assert plain.frame["measure_filter"].isna().all()
    # the same counts, now said to be those of Nivåkode HN
    columns = ["unit_code", "year", "semester", "student_category", "total", "women", "men"]
    pd.testing.assert_frame_equal(filtered.frame[columns], plain.frame[columns])
    said = [(w.column, w.value, w.message) for w in filtered.warnings if w.column == "Nivåkode"]
    assert said == [("Nivåkode", "HN", FILTER_COLUMN)]
    assert all(w.message != UNREAD_COLUMN for w in filtered.warnings)


def test_the_flags_say_the_filter_in_the_measure(tmp_path):
    path = ntnu(tmp_path, "ntnu_hn.csv", "Nivåkode", ("HN",))
    out = tmp_path / "flags.csv"
    assert main(["flags", str(path), "--level", "institution", "--out", str(out)]) == 0
    table = pd.read_csv(out, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    autumn_s = table[(table["Semester"] == "høst") & (table["Studentkategori"] == "kategori S")]
    assert set(autumn_s["Mål"]) == {"registrerte studenter, høst, kategori S, Nivåkode HN"}
    assert set(table["Filter i uttrekket"]) == {"Nivåkode HN"}
    en = tmp_path / "flags_en.csv"
    assert main(["flags", str(path), "--level", "institution", "--out", str(en), "--lang", "en"]) == 0
    english = pd.read_csv(en, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert "registered students, autumn, category S, Nivåkode HN" in set(english["Measure"])


def test_two_filters_of_one_table_are_two_measures_never_one_series(tmp_path):
    hn = ntnu(tmp_path, "ntnu_hn.csv", "Nivåkode", ("HN",))
    m2 = ntnu(tmp_path, "ntnu_m2.csv", "Nivåkode", ("M2",))
    alone = tmp_path / "hn.parquet"
    both = tmp_path / "both.parquet"
    assert main(["flags", str(hn), "--level", "institution", "--out", str(alone)]) == 0
    assert main(["flags", str(hn), str(m2), "--level", "institution", "--out", str(both)]) == 0
    alone_flags, both_flags = pd.read_parquet(alone), pd.read_parquet(both)
    assert len(both_flags) == 2 * len(alone_flags)
    # each filter's series is its own: HN's years in a row are those of HN alone
    columns = ["year", "semester", "student_category", "women", "consecutive_years_flagged", "trend"]
    of_hn = both_flags[both_flags["measure_filter"] == "Nivåkode HN"][columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(of_hn, alone_flags[columns].reset_index(drop=True))
    assert set(both_flags["measure_filter"]) == {"Nivåkode HN", "Nivåkode M2"}


def test_a_column_with_two_values_splitting_rows_is_still_refused(tmp_path):
    # every line twice: as HN with its counts, as M2 with 1 student (a woman); the rows collide in
    # every read column but the counts and differ in Nivåkode (unchanged: refused with the hint)
    lines = NATIONAL.read_text(encoding="utf-8-sig").splitlines()
    kept = [line for line in lines[1:] if line.startswith('"1150"') and line.split(";")[4] == '"2016"'][:2]
    path = tmp_path / "ntnu_split.csv"
    one = lambda line: ";".join([*line.split(";")[:-3], '"1"', '"1"', '"0"'])  # noqa: E731
    body = [row for line in kept for row in (f'{line};"HN"', f'{one(line)};"M2"')]
    path.write_text("\n".join([lines[0] + ';"Nivåkode"', *body]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_path(path)
    assert any("Nivåkode" in (p.hint or "") for p in err.value.problems)


def test_the_terminal_table_shows_the_filter_beside_the_measure(tmp_path, capsys):
    hn = ntnu(tmp_path, "ntnu_hn.csv", "Nivåkode", ("HN",))
    m2 = ntnu(tmp_path, "ntnu_m2.csv", "Nivåkode", ("M2",))
    assert main(["flags", str(hn), str(m2), "--level", "institution"]) == 0
    out = capsys.readouterr().out
    assert "Nivåkode HN" in out and "Nivåkode M2" in out
    # without a filter the table has no such column
    assert main(["flags", str(ntnu(tmp_path, "ntnu.csv")), "--level", "institution"]) == 0
    assert "filter" not in capsys.readouterr().out.splitlines()[0]


def test_the_report_takes_one_version_never_a_whole_count_and_a_filtered_one_mixed(tmp_path):
    from analysis.report.data import one_version_per_measure

    # the whole count for 2014–2015 only, Nivåkode HN for 2014–2017
    plain = ntnu(tmp_path, "ntnu.csv")
    lines = plain.read_text(encoding="utf-8").splitlines()
    plain.write_text(
        "\n".join([lines[0], *(line for line in lines[1:] if '"2014"' in line or '"2015"' in line)]) + "\n"
    )
    hn = ntnu(tmp_path, "ntnu_hn.csv", "Nivåkode", ("HN",))
    out = tmp_path / "flags.parquet"
    assert main(["flags", str(hn), str(plain), "--level", "institution", "--out", str(out)]) == 0
    flags = pd.read_parquet(out)
    shown = one_version_per_measure(flags)
    # the version reaching the latest year (2017), HN, for every year: not 2014–2015 of the whole
    # count and 2016–2017 of HN in one line
    assert set(shown["measure_filter"]) == {"Nivåkode HN"}
    assert sorted(shown["year"]) == [2014, 2015, 2016, 2017]
    # with both to 2017, the whole count (data.one_version_per_measure)
    both = ntnu(tmp_path, "ntnu_all.csv")
    assert main(["flags", str(hn), str(both), "--level", "institution", "--out", str(out)]) == 0
    assert one_version_per_measure(pd.read_parquet(out))["measure_filter"].isna().all()


def _years(path: Path, years: tuple[str, ...]) -> Path:
    """``path`` with only the lines of ``years`` (its header kept)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join([lines[0], *(line for line in lines[1:] if line.split(";")[4].strip('"') in years)]) + "\n"
    )
    return path


def test_a_download_date_of_one_value_is_not_a_filter_and_two_downloads_are_one_series(tmp_path):
    """A column of one date ("Hentet", the day the adviser downloaded the file) selects no
    students: it is an unread column, not part of the measure. Before, 2014–2015 downloaded on
    2025-10-01 and 2016–2017 on 2026-10-01 were two measures ('Hentet 2025-10-01' and 'Hentet
    2026-10-01'): each its own series, and the report kept only 2016–2017."""
    from analysis.report.data import one_version_per_measure

    first = _years(ntnu(tmp_path, "ntnu_2014_2015.csv", "Hentet", ("2025-10-01",)), ("2014", "2015"))
    later = _years(ntnu(tmp_path, "ntnu_2016_2017.csv", "Hentet", ("01.10.2026",)), ("2016", "2017"))
    read = read_path(first)
    assert read.frame["measure_filter"].isna().all()
    said = [(w.column, w.message) for w in read.warnings if w.column == "Hentet"]
    assert said == [("Hentet", UNREAD_COLUMN)]
    out = tmp_path / "flags.parquet"
    assert main(["flags", str(first), str(later), "--level", "institution", "--out", str(out)]) == 0
    flags = pd.read_parquet(out)
    assert flags["measure_filter"].isna().all()
    shown = one_version_per_measure(flags)
    autumn_s = shown[(shown["semester"] == "autumn") & (shown["student_category"] == "S")]
    assert sorted(autumn_s["year"]) == [2014, 2015, 2016, 2017]


def test_a_download_of_one_unit_has_no_filter_to_tell_and_is_read_once_beside_the_whole(tmp_path, capsys):
    """A download of one unit (a department here; a programme alike) with a column of one value
    (``Nivåkode`` B3, the unit's own level, or ``Studiepoeng`` 180) cannot tell a filter from the
    unit's own value. Read as a filter, that unit became a second one beside itself in the
    download of all units (a second reader, 2026-12-04: B-BIOL 2025 twice in the flags); it is
    read as the same unit, once, and the column is warned about as unread."""
    whole = ntnu(tmp_path, "ntnu.csv")
    lines = whole.read_text(encoding="utf-8").splitlines()
    one = [line for line in lines[1:] if line.split(";")[2] == '"271720"']
    assert one, "the department is in the export"
    (tmp_path / "one").mkdir()
    single = tmp_path / "one" / "ntnu_271720.csv"
    single.write_text("\n".join([lines[0] + ';"Nivåkode"', *(f'{line};"B3"' for line in one)]) + "\n", encoding="utf-8")
    read = read_path(single)
    assert read.frame["measure_filter"].isna().all()
    assert [w.message for w in read.warnings if w.column == "Nivåkode"] == [UNREAD_COLUMN]
    whole.rename(tmp_path / "one" / "ntnu.csv")
    out = tmp_path / "flags.parquet"
    assert main(["flags", str(tmp_path / "one"), "--out", str(out)]) == 0
    flags = pd.read_parquet(out)
    rows = flags[flags["unit_code"] == "271720"]
    assert not rows.empty
    assert not rows.duplicated(["level", "year", "semester", "student_category"]).any()


@pytest.mark.parametrize("stamp", ["2026-09-22 14:03:11", "22.09.2026 14:03", "2026-09-22T14:03:11.5+02:00"])
def test_a_download_timestamp_of_one_value_is_not_a_filter_either(tmp_path, stamp):
    """The day of the download with its time of day (a timestamp the adviser's script or export
    adds) selects no students either; it was read as a filter 'Hentet 2026-09-22 14:03:11' (a
    second reader's note, 2026-12-04), making each download its own measure."""
    read = read_path(ntnu(tmp_path, "ntnu.csv", "Hentet", (stamp,)))
    assert read.frame["measure_filter"].isna().all()
    assert [(w.column, w.message) for w in read.warnings if w.column == "Hentet"] == [("Hentet", UNREAD_COLUMN)]


def test_a_filter_with_a_time_in_its_words_is_still_a_filter(tmp_path):
    read = read_path(ntnu(tmp_path, "ntnu.csv", "Nivåkode", ("HN 2026-09-22 kl",)))
    assert set(read.frame["measure_filter"]) == {"Nivåkode HN 2026-09-22 kl"}

"""A source line's date in a data folder without a provenance manifest (an adviser's own
folder of downloads): the best the files themselves say, said as what it is, never made up."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from analysis.report.data import retrieval_dates, sources_for

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
DBH_JSON = RAW / "dbh_api" / "dbh_api_t123_1150.json"
DBH_CSV = RAW / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"
SAMORDNA = RAW / "samordna_national" / "so_sokertall_programnivaa_2021-2026_hentet_2026-09-22_utdrag.json"

#: noon UTC on 2026-11-03: the same local date in every time zone from UTC-11 to UTC+11
NOV_3 = datetime(2026, 11, 3, 12, tzinfo=UTC).timestamp()


def _folder(tmp_path: Path, *files: Path) -> tuple[Path, dict]:
    """A data folder of copies of ``files`` (no MANIFEST.json), each modified on 2026-11-03, and
    the validated stage's list of them."""
    inputs = []
    for file in files:
        copy = tmp_path / file.name
        shutil.copyfile(file, copy)
        os.utime(copy, (NOV_3, NOV_3))
        inputs.append({"file": file.name})
    return tmp_path, {"inputs": inputs}


def _source_line(data_dir: Path, validated: dict, file: str, kind: str, lang: str = "nb") -> str:
    frame = pd.DataFrame({"source_kind": [kind], "source_file": [file]})
    return sources_for(frame, retrieval_dates(data_dir, validated), lang)[0].text(lang)


def test_a_dbh_api_response_is_dated_by_its_own_delivery_time(tmp_path):
    """The response's status object says "leveringstid": "2026-09-23 20:17:31" (the real file):
    that is when it was retrieved, whatever the copy's modification time."""
    data_dir, validated = _folder(tmp_path, DBH_JSON)
    line = _source_line(data_dir, validated, DBH_JSON.name, "dbh-123-json")
    assert line.endswith("hentet 2026-09-23")
    assert "ukjent" not in line and "endret" not in line


def test_a_file_named_with_its_retrieval_date_is_dated_by_its_name_and_says_so(tmp_path):
    data_dir, validated = _folder(tmp_path, SAMORDNA)
    assert _source_line(data_dir, validated, SAMORDNA.name, "samordna-keyfigures").endswith(
        "hentet 2026-09-22 (ifølge filnavnet)"
    )
    assert _source_line(data_dir, validated, SAMORDNA.name, "samordna-keyfigures", "en").endswith(
        "retrieved 2026-09-22 (as the file name says)"
    )


def test_a_file_that_says_nothing_is_undated_whatever_its_modification_time(tmp_path):
    """DBH's CSV export carries no date, in its content or its name: "hentedato ukjent", never the
    file's modification date (a copy moves it; the same files must give the same report)."""
    data_dir, validated = _folder(tmp_path, DBH_CSV)
    line = _source_line(data_dir, validated, DBH_CSV.name, "dbh-123-csv")
    assert line.endswith("hentedato ukjent")
    assert "2026-11-03" not in line
    assert _source_line(data_dir, validated, DBH_CSV.name, "dbh-123-csv", "en").endswith("retrieval date unknown")


def _report_sources(raw: Path, lang: str) -> list[str]:
    """Every source line of the report built from ``raw`` (under its tables and charts, and "Om
    tallene")."""
    from analysis.report.content import report_content
    from analysis.report.data import load_report_data

    blocks = report_content(load_report_data(raw, 2022, "1150"), lang).blocks
    return [str(b["source"]) for b in blocks if b.get("source")] + [
        str(b["text"]) for b in blocks if b.get("kind") == "paragraph" and "Kilde" in str(b.get("text", ""))
    ]


def test_two_builds_of_the_same_files_give_the_same_source_lines_whatever_their_mtimes(tmp_path):
    """The report is reproducible from its inputs: a copy or a checkout of the same files (other
    modification times, the same sha256) gives the same source lines; "Om tallene" says once how
    to record the date of a file nothing dates."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for file in (DBH_JSON, SAMORDNA, RAW / "shot_headline_figures_national.csv"):
        shutil.copyfile(file, raw / file.name)
        os.utime(raw / file.name, (NOV_3, NOV_3))
    first = _report_sources(raw, "nb")
    later = NOV_3 + 400 * 86400  # the same files, copied again a year later
    for file in raw.iterdir():
        if file.is_file():
            os.utime(file, (later, later))
    assert _report_sources(raw, "nb") == first
    assert [s for s in first if "hentet 2026-09-23" in s]  # the DBH-API response dates itself
    assert [s for s in first if "hentedato ukjent" in s]  # the SHoT file does not
    # said once in the report, in "Om tallene"'s list of sources
    how = [s for s in first if "«kvalitet fetch» skriver hentedatoen i MANIFEST.json" in s]
    assert len(how) == 1 and how[0].startswith("Kilder: ") and "hentedato ukjent" in how[0]


def test_the_manifest_still_dates_the_files_it_lists(tmp_path):
    data_dir, validated = _folder(tmp_path, DBH_CSV, DBH_JSON)
    manifest = {"files": [{"file": DBH_CSV.name, "retrieved": "2022-04-11"}]}
    (data_dir / "MANIFEST.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert _source_line(data_dir, validated, DBH_CSV.name, "dbh-123-csv").endswith("hentet 2022-04-11")
    # a file the manifest does not list is dated as the file says
    assert _source_line(data_dir, validated, DBH_JSON.name, "dbh-123-json").endswith("hentet 2026-09-23")


def test_a_file_gone_since_reading_stays_undated(tmp_path):
    """No date is made up: a file that is not there to ask gives none."""
    validated = {"inputs": [{"file": "borte.csv"}]}
    assert _source_line(tmp_path, validated, "borte.csv", "dbh-123-csv").endswith("hentedato ukjent")


def test_a_date_recorded_after_a_build_is_in_the_next_build(tmp_path):
    """ "Om tallene" asks for an undated file's date in MANIFEST.json or in its name; neither is
    in the inputs' sha256, so the next build said "Rapporten er oppdatert" and kept the old
    source lines (a manifest's corrected date, and a date given in the file's name, alike)."""
    from analysis.report.build import build_report

    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    shutil.copyfile(DBH_CSV, raw / DBH_CSV.name)

    def built() -> str:
        build_report(2022, "1150", data_dir=raw, out_dir=out, progress=lambda _: None, static=False)
        return (out / "index.html").read_text(encoding="utf-8")

    assert "hentedato ukjent" in built()
    (raw / "MANIFEST.json").write_text(json.dumps({"files": [{"file": DBH_CSV.name, "retrieved": "2022-04-11"}]}))
    page = built()
    assert "hentet 2022-04-11" in page and "hentedato ukjent" not in page
    (raw / "MANIFEST.json").unlink()
    (raw / DBH_CSV.name).rename(raw / DBH_CSV.name.replace(".csv", "_hentet_2022-05-01.csv"))
    page = built()
    assert "hentet 2022-05-01 (ifølge filnavnet)" in page and "2022-04-11" not in page


def _dbh_part(target: Path, years: set[str], delivered: str) -> None:
    """The real DBH-API response of table 123 cut to ``years``, as delivered at ``delivered``."""
    status, *rows = json.loads(DBH_JSON.read_text(encoding="utf-8"))
    kept = [r for r in rows if r["Årstall"] in years]
    status["status"] = {**status["status"], "leveringstid": delivered, "antall": len(kept)}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps([status, *kept], ensure_ascii=False), encoding="utf-8")


def _sources_by_year(raw: Path) -> dict[int, list[str]]:
    """The report's source line of the report institution's gender rows of each year."""
    from analysis.report.data import load_report_data

    data = load_report_data(raw, 2025, "1150")
    return {
        int(year): [s.text("nb") for s in sources_for(rows, data.retrieved, "nb")]
        for year, rows in data.flags.groupby("year")
    }


def test_two_files_of_one_name_in_two_subfolders_keep_each_its_own_date(tmp_path):
    """A folder per delivery (2024/ and 2025/, each with DBH's dbh_api_t123_1150.json): each
    file is dated as itself, not as the other file of the same name (keyed by bare name, both
    got one date, the later read's)."""
    raw = tmp_path / "raw"
    _dbh_part(raw / "2024" / DBH_JSON.name, {"2019", "2020", "2021", "2022"}, "2024-10-01 08:00:00")
    _dbh_part(raw / "2025" / DBH_JSON.name, {"2023", "2024", "2025"}, "2025-10-01 08:00:00")
    by_year = _sources_by_year(raw)
    assert set(by_year) == {2019, 2020, 2021, 2022, 2023, 2024, 2025}
    for year, lines in by_year.items():
        wanted = "hentet 2024-10-01" if year <= 2022 else "hentet 2025-10-01"
        assert lines and all(line.endswith(wanted) for line in lines), (year, lines)


def test_the_manifest_dates_two_files_of_one_name_each_by_its_path(tmp_path):
    """MANIFEST.json names files by their path in the raw folder: two of one name are two
    entries, each with its own date."""
    raw = tmp_path / "raw"
    _dbh_part(raw / "2024" / DBH_JSON.name, {"2019", "2020", "2021", "2022"}, "2026-01-01 08:00:00")
    _dbh_part(raw / "2025" / DBH_JSON.name, {"2023", "2024", "2025"}, "2026-01-01 08:00:00")
    files = [
        {"file": f"2024/{DBH_JSON.name}", "retrieved": "2024-09-30"},
        {"file": f"2025/{DBH_JSON.name}", "retrieved": "2025-09-30"},
    ]
    (raw / "MANIFEST.json").write_text(json.dumps({"files": files}), encoding="utf-8")
    by_year = _sources_by_year(raw)
    for year, lines in by_year.items():
        wanted = "hentet 2024-09-30" if year <= 2022 else "hentet 2025-09-30"
        assert lines and all(line.endswith(wanted) for line in lines), (year, lines)


def _joined_line(retrieved: dict, lang: str = "nb") -> str:
    """The source line of one faculty row added up from the three files a.json, b.csv, c.csv."""
    frame = pd.DataFrame({"source_kind": ["dbh-123-json"], "source_file": ["a.json; b.csv; c.csv"]})
    (source,) = sources_for(frame, retrieved, lang)
    return source.text(lang)


def test_a_row_of_dated_and_undated_files_says_that_some_are_undated():
    """A row added up from a file dated 2026-09-23 and two nothing dates is not "hentet
    2026-09-23" (as if each was): it says the date it knows and for how many files none is known."""
    from analysis.readers.file_dates import FileDate

    line = _joined_line({"a.json": FileDate("2026-09-23")})
    assert line.endswith("hentet 2026-09-23, hentedato ukjent for 2 av 3 filer")
    assert _joined_line({"a.json": FileDate("2026-09-23")}, "en").endswith(
        "retrieved 2026-09-23, retrieval date unknown for 2 of 3 files"
    )


def test_a_row_of_files_of_several_dates_gives_their_range():
    """Each of the files is dated, on two days: the row says both ends, not only the latest."""
    from analysis.readers.file_dates import NAMED, FileDate

    dated = {"a.json": FileDate("2026-09-23"), "b.csv": FileDate("2026-10-01"), "c.csv": FileDate("2026-09-30")}
    assert _joined_line(dated).endswith("hentet mellom 2026-09-23 og 2026-10-01")
    assert _joined_line(dated, "en").endswith("retrieved between 2026-09-23 and 2026-10-01")
    # each of one date: that date, as before
    same = {name: FileDate("2026-09-23") for name in ("a.json", "b.csv", "c.csv")}
    assert _joined_line(same).endswith(", hentet 2026-09-23")
    # the dates known from the names of some of the files: said so
    partly = {**dated, "c.csv": FileDate("2026-09-30", NAMED)}
    # one of them by its name: "the file name", as for one file dated by its name
    assert _joined_line(partly).endswith("hentet mellom 2026-09-23 og 2026-10-01 (delvis ifølge filnavnet)")
    assert _joined_line(partly, "en").endswith(
        "retrieved between 2026-09-23 and 2026-10-01 (partly as the file name says)"
    )
    two_named = {**partly, "b.csv": FileDate("2026-10-01", NAMED)}
    assert _joined_line(two_named).endswith("hentet mellom 2026-09-23 og 2026-10-01 (delvis ifølge filnavnene)")
    assert _joined_line(two_named, "en").endswith(
        "retrieved between 2026-09-23 and 2026-10-01 (partly as the file names say)"
    )
    named = {name: FileDate(d.date, NAMED) for name, d in dated.items()}
    assert _joined_line(named).endswith("hentet mellom 2026-09-23 og 2026-10-01 (ifølge filnavnene)")
    assert _joined_line(named, "en").endswith("retrieved between 2026-09-23 and 2026-10-01 (as the file names say)")


def test_about_the_figures_says_how_to_date_a_file_when_only_some_are_dated(tmp_path):
    """ "Om tallene" explains "hentedato ukjent" where a source is undated for some of its files
    too, not only where it is undated for all."""
    from analysis.readers.file_dates import FileDate
    from analysis.report.about import sources_text
    from analysis.report.data import load_report_data

    data = load_report_data(RAW, 2022, "1150")
    rows = data.flags.head(1).assign(source_kind="dbh-123-json", source_file="a.json; b.csv")
    data.flags, data.integration, data.survey, data.portal_index, data.wellbeing = rows, None, None, None, None
    data.retrieved = {"a.json": FileDate("2026-09-23")}
    text = sources_text(data, "nb")
    assert text is not None and "hentedato ukjent for 1 av 2 filer" in text
    assert "«kvalitet fetch» skriver hentedatoen i MANIFEST.json" in text


def test_a_build_dates_its_sources_once(tmp_path, monkeypatch):
    """The build reads the files' dates once and hands them down: its fingerprint and the data it
    checks before the notebooks run are made from the same dates (each read them again: the
    DBH-API responses parsed twice, and a date recorded between the two reads went into one)."""
    import analysis.report.data as report_data
    from analysis.report.build import build_report

    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    shutil.copyfile(DBH_JSON, raw / DBH_JSON.name)
    calls = []

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    real = report_data.retrieval_dates
    monkeypatch.setattr(report_data, "retrieval_dates", counted)
    build_report(2022, "1150", data_dir=raw, out_dir=out, progress=lambda _: None, static=False)
    assert len(calls) == 1
    assert "hentet 2026-09-23" in (out / "index.html").read_text(encoding="utf-8")


def test_the_survey_s_source_is_dated_as_its_respondent_files_are(tmp_path):
    """The survey tables keep no file of their own (they are counted from every respondent
    file): their source line said "hentedato ukjent" under a respondent file whose name dates it,
    and "Om tallene" asked the adviser to record a date that was there. They are dated as the
    respondent files read are, as the integration scores are."""
    from analysis.report.about import sources_text
    from analysis.report.data import load_report_data
    from analysis.synth import generate_respondents

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copyfile(DBH_JSON, raw / DBH_JSON.name)
    answers = generate_respondents(60, n_items=4, n_programmes=3, n_years=2, seed=3).to_pandas()
    answers.assign(institusjonskode="1150").to_csv(raw / "sb_respondenter_hentet_2025-10-01.csv", index=False)
    data = load_report_data(raw, None, "1150")
    for frame in (data.survey, data.survey_indices):
        assert frame is not None and not frame.empty
        (source,) = sources_for(frame, data.retrieved, "nb", kind="sb-respondents")
        assert source.text("nb").endswith("hentet 2025-10-01 (ifølge filnavnet)")
    text = sources_text(data, "nb")
    assert text is not None and "hentedato ukjent" not in text


def test_a_survey_year_s_source_is_dated_as_the_respondent_files_of_that_year(tmp_path):
    """One respondent file per survey year, each dated by its name: a table of 2025 is dated as
    the 2025 file, not with the range of every respondent file read (the 2024 file's date is no
    date of the 2025 numbers); a change from 2024 to 2025 is counted from both and says both."""
    from analysis.report.data import load_report_data
    from analysis.synth import generate_respondents

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copyfile(DBH_JSON, raw / DBH_JSON.name)
    answers = generate_respondents(200, n_items=4, n_programmes=3, n_years=2, seed=3).to_pandas()
    answers = answers.assign(institusjonskode="1150")
    retrieved = {2024: "2024-10-01", 2025: "2025-10-02"}
    for year, date in retrieved.items():
        answers[answers["aar"] == year].to_csv(raw / f"sb_respondenter_{year}_hentet_{date}.csv", index=False)
    data = load_report_data(raw, None, "1150")
    for frame in (data.survey, data.survey_indices):
        assert frame is not None and set(frame["year"]) == set(retrieved)
        for year, rows in frame.groupby("year"):
            (source,) = sources_for(rows, data.retrieved, "nb", kind="sb-respondents")
            assert source.text("nb").endswith(f"hentet {retrieved[int(year)]} (ifølge filnavnet)"), year
    changes = data.survey_changes
    assert changes is not None and not changes.empty and set(changes["year"]) == {2025}
    # the stage names the files as the raw folder holds them, never by the folders above it
    files = pd.read_parquet(tmp_path / "derived" / "survey_files.parquet")
    assert set(files["source_file"]) == {f"sb_respondenter_{y}_hentet_{d}.csv" for y, d in retrieved.items()}
    (source,) = sources_for(changes, data.retrieved, "nb", kind="sb-respondents")
    assert source.text("nb").endswith("hentet mellom 2024-10-01 og 2025-10-02 (ifølge filnavnene)")

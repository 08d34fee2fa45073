"""Breaks in an institution's series (analysis.series_breaks): the shipped list of mergers checked
row by row against DBH's own national table 123, and mergers read from DBH table 211.

Every figure below is read from the national export with the standard library's csv module, not
with the product's reader: the list is checked against the source, not against our reading of it.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.readers import read_path
from analysis.series_breaks import MERGERS, series_breaks, shipped_mergers

NATIONAL = paths.RAW / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"
#: How far the successor's autumn total in the merger year may be from its own total the year
#: before plus the merged institutions' last totals, as a share of it: students come and go in a
#: year (NTNU 2014 -> 2015 rose 1.5 %), a merger adds a sixth to two thirds.
ROUGHLY = 0.05


@pytest.fixture(scope="module")
def national() -> tuple[dict, dict, dict]:
    """(autumn students by code and year, every year with students by code, DBH's names by code)."""
    autumn: dict[tuple[str, int], int] = defaultdict(int)
    years: dict[str, set[int]] = defaultdict(set)
    names: dict[str, set[str]] = defaultdict(set)
    with NATIONAL.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f, delimiter=";"):
            code, year, total = row["Institusjonskode"], int(row["Årstall"]), int(row["Antall totalt"])
            names[code].add(row["Institusjonsnavn"])
            if total > 0:
                years[code].add(year)
            if row["Semester"] == "3":
                autumn[code, year] += total
    return autumn, years, names


def _shipped_rows() -> list[dict[str, str]]:
    with MERGERS.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


@pytest.mark.parametrize(
    "successor, year", sorted({(r["Sammenslått inn i"], int(r["Fra år"])) for r in _shipped_rows()})
)
def test_every_shipped_merger_is_in_the_national_table(national, successor, year):
    autumn, years, names = national
    rows = [r for r in _shipped_rows() if r["Sammenslått inn i"] == successor and int(r["Fra år"]) == year]
    for r in rows:
        merged = r["Institusjonskode"]
        # its students end the year before the merger, under DBH's name for it
        assert max(years[merged]) == year - 1, (merged, sorted(years[merged])[-3:])
        assert names[merged] == {r["Institusjonsnavn"]}
        assert names[successor] == {r["Navn etter sammenslåing"]}
        assert r["Kilde"].strip()
    # the successor exists in the merger year, and its autumn total rose by about the merged ones'
    before = autumn.get((successor, year - 1), 0)
    added = sum(autumn[r["Institusjonskode"], year - 1] for r in rows)
    after = autumn[successor, year]
    assert after > 0
    assert abs(after - (before + added)) <= ROUGHLY * after, (successor, year, before, added, after)


def test_ntnu_2016_is_in_the_list_with_its_three_colleges():
    # the task's own case, by hand from the national file: autumn 2015 NTNU 24 053, HiST 9 538,
    # HiG 3 513, HiÅ 2 455 (39 559); autumn 2016 NTNU 40 179
    breaks = series_breaks()
    ntnu = breaks[breaks["institution_code"] == "1150"]
    assert set(ntnu["merged_code"]) == {"0222", "0261", "0237"}
    assert set(ntnu["year"]) == {2016}


def test_every_row_names_its_source_and_no_institution_merges_twice():
    shipped = shipped_mergers()
    assert shipped["source"].str.len().gt(20).all()
    assert not shipped["merged_code"].duplicated().any()


def _t211(tmp_path: Path, rows: list[dict]) -> Path:
    """A DBH-API response of table 211 in the format of tests/fixtures/dbh/dbh_api_t211_konstruert.json."""
    status = {
        "status": {
            "tabell_id": 211,
            "api_versjon": 1,
            "leveransenr": 0,
            "leveringstid": "1970-01-01 00:00:00",
            "antall": len(rows),
            "returkode": 0,
            "melding": "Data levert.",
        }
    }
    path = tmp_path / "dbh_api_t211_sammenslaatt.json"
    path.write_text(json.dumps([status, *rows], ensure_ascii=False), encoding="utf-8")
    return path


def _row(code: str, name: str, valid_to: str, merged_into: str | None) -> dict:
    return {
        "Institusjonskode": code,
        "Institusjonsnavn": name,
        "Gyldig fra": "11111",
        "Gyldig til": valid_to,
        "Kortnavn": None,
        "Institusjonskode (sammenslått)": merged_into,
    }


def test_table_211_gives_the_merged_into_code_and_the_year_after_its_last_term(tmp_path):
    path = _t211(
        tmp_path,
        [
            _row("1150", "Norges teknisk-naturvitenskapelige universitet", "99999", None),
            # last valid autumn 2015: the successor counts its students from 2016
            _row("0222", "Høgskolen i Sør-Trøndelag", "20153", "1150"),
            # a made-up college that ended in spring 2019: its autumn 2019 is the successor's
            _row("9999", "Høgskolen i Testby", "20191", "1150"),
        ],
    )
    institutions = read_path(path).frame
    assert institutions["merged_into"].tolist()[1:] == ["1150", "1150"]
    breaks = series_breaks(institutions)
    by_code = breaks.set_index("merged_code")
    assert by_code.at["9999", "year"] == 2019
    assert by_code.at["9999", "institution_code"] == "1150"
    assert by_code.at["0222", "year"] == 2016
    assert by_code.at["0222", "source"].startswith("DBH tabell 211")  # the adviser's row replaces the shipped one
    assert len(breaks) == len(shipped_mergers()) + 1


def test_a_merged_into_code_that_lost_its_zero_is_refused_with_its_row(tmp_path):
    from analysis.errors import InputError

    path = _t211(tmp_path, [_row("0222", "Høgskolen i Sør-Trøndelag", "20153", "150")])
    with pytest.raises(InputError) as err:
        read_path(path)
    assert "sammenslått" in str(err.value)


def test_table_211_without_the_column_gives_the_shipped_list():
    institutions = read_path(Path(__file__).parent / "fixtures" / "dbh" / "dbh_api_t211_konstruert.json").frame
    pd.testing.assert_frame_equal(series_breaks(institutions), series_breaks())


def test_a_changed_merger_list_re_runs_the_stages(tmp_path, monkeypatch):
    from analysis import pipeline

    for table in paths.REFERENCE.glob("*.csv"):
        (tmp_path / table.name).write_bytes(table.read_bytes())
    monkeypatch.setattr(paths, "REFERENCE", tmp_path)
    before = pipeline.code_fingerprint()
    with (tmp_path / MERGERS.name).open("a", encoding="utf-8") as f:
        f.write("6230;Kunst- og designhøgskolen i Bergen;1120;Universitetet i Bergen;2017;test\n")
    assert pipeline.code_fingerprint() != before


# --- the numbers: a run of years and a trend restart at a break -------------------------------


def _institution_series(women_by_year: dict[int, tuple[int, int]]) -> pd.DataFrame:
    """One department of institution 1150, summed to the institution, with women and men per year."""
    from tests.test_metrics_gender import counts, frame

    return frame([counts(w, m, year=y) for y, (w, m) in women_by_year.items()])


def test_years_in_a_row_restart_at_a_merger_as_after_a_year_not_judged():
    from analysis.metrics.gender import gender_flags
    from analysis.settings import GenderSettings

    # 30 % women every year 2013–2018: flagged each year. By hand: without a break the run is
    # 1..6; with NTNU's merger in 2016 it is 1, 2, 3 up to 2015 and restarts, 1, 2, 3, from 2016.
    obs = _institution_series({y: (30, 70) for y in range(2013, 2019)})
    flags = gender_flags(obs, level="institution", settings=GenderSettings(), breaks=series_breaks())
    by_year = flags.set_index("year")["consecutive_years_flagged"]
    assert by_year.to_dict() == {2013: 1, 2014: 2, 2015: 3, 2016: 1, 2017: 2, 2018: 3}
    # a department's own series is its own, merger or not
    departments = gender_flags(obs, level="department", settings=GenderSettings(), breaks=series_breaks())
    assert departments.set_index("year")["consecutive_years_flagged"].to_dict()[2018] == 6


def test_a_trend_does_not_reach_back_across_a_merger():
    from analysis.metrics.gender import gender_flags
    from analysis.settings import GenderSettings

    # women 20 % (2014), 20 % (2015), then 30 % (2016), 32 % (2017) after the merger. Without the
    # break 2017's 5-year window holds all four years; with it only 2016 and 2017: slope
    # (32 − 30) / 1 = 2 pp a year. 2016 alone has no slope.
    obs = _institution_series({2014: (20, 80), 2015: (20, 80), 2016: (30, 70), 2017: (32, 68)})
    flags = gender_flags(obs, level="institution", settings=GenderSettings(), breaks=series_breaks())
    slope = flags.set_index("year")["trend_pp_per_year"]
    assert slope[2017] == pytest.approx(2.0)
    assert pd.isna(slope[2016])


def test_uit_2018_trend_runs_from_its_2016_merger_in_the_national_table():
    from analysis.metrics.gender import gender_flags
    from analysis.settings import GenderSettings

    # UiT (1130), registered students autumn, category S, read with the csv module: 2016's share
    # is not known (suppressed departments), and 2017's neither: department 580000 is written 0
    # (0 to 2 students, DBH's mask of 1 or 2) inside its sum. Since the merger only 2018's share
    # is known exactly; 2016 and 2017 enter as intervals (analysis.metrics.gender: the trend), so
    # 2018 has a range of slopes, not one. Over 2016–2018 (x = −2, −1, 0) the slope is half 2018's
    # share of men less 2016's, 2017 does not count: the range takes 2016's least and most share
    # of men. (Without the break 2015 entered it too and the weights differ; before rows of 0
    # were read as 0 to 2 students, 2018's trend was the change from 2017.)
    with NATIONAL.open(encoding="utf-8-sig", newline="") as f:
        zero = {
            (int(row["Årstall"]), row["Avdelingskode"])
            for row in csv.DictReader(f, delimiter=";")
            if row["Institusjonskode"] == "1130"
            and row["Semester"] == "3"
            and row["Studentkategori"] == "S"
            and row["Antall totalt"] == "0"
        }
    assert {year for year, _ in zero} & {2017, 2018} == {2017}

    obs = read_path(NATIONAL).frame
    obs = obs[obs["institution_code"] == "1130"]
    flags = gender_flags(obs, level="institution", settings=GenderSettings(), breaks=series_breaks())
    uit = flags[(flags["semester"] == "autumn") & (flags["student_category"] == "S")].set_index("year")
    assert uit.at[2018, "underrepresented"] == "men"
    assert pd.isna(uit.at[2017, "share_women"]) and uit.at[2017, "total_high"] == uit.at[2017, "total"] + 2
    assert pd.isna(uit.at[2018, "trend_pp_per_year"])  # 2016 and 2017 intervals: no one slope
    men_2018 = 1 - uit.at[2018, "women"] / uit.at[2018, "total"]
    most = uit.at[2016, "total_high"]
    men_2016_least, men_2016_most = 1 - uit.at[2016, "women_high"] / most, 1 - uit.at[2016, "women_low"] / most
    assert uit.at[2018, "trend_pp_low"] == pytest.approx((men_2018 - men_2016_most) / 2 * 100, abs=1e-6)
    assert uit.at[2018, "trend_pp_high"] == pytest.approx((men_2018 - men_2016_least) / 2 * 100, abs=1e-6)
    assert uit.at[2018, "series_break_year"] == 2016


# --- the break shown ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ntnu_institution_flags() -> pd.DataFrame:
    from analysis.metrics.gender import gender_flags
    from analysis.settings import GenderSettings

    obs = read_path(NATIONAL).frame
    obs = obs[obs["institution_code"] == "1150"]
    flags = gender_flags(obs, level="institution", settings=GenderSettings(), breaks=series_breaks())
    return flags[(flags["semester"] == "autumn") & (flags["student_category"] == "S")].reset_index(drop=True)


def _break_marks(fig) -> list[tuple[float, str]]:
    xs = [shape.x0 for shape in fig.layout.shapes if shape.x0 == shape.x1 and shape.line.dash == "dot"]
    texts = [a.text for a in fig.layout.annotations if "Sammenslåing" in str(a.text)]
    return list(zip(xs, texts))


def test_the_institution_chart_marks_ntnus_2016_merger(ntnu_institution_flags):
    from fractions import Fraction

    from analysis.charts import gender_trend
    from analysis.charts.common import Source

    source = Source("DBH", "tabell 123")
    kw = {"scope": "NTNU", "sources": source, "lang": "nb", "threshold": Fraction(2, 5)}
    fig = gender_trend(ntnu_institution_flags, breaks=series_breaks(), **kw)
    # between 2015 (the colleges' last year of their own) and 2016 (NTNU with them)
    assert _break_marks(fig) == [(2015.5, "Sammenslåing 2016")]
    assert _break_marks(gender_trend(ntnu_institution_flags, breaks=None, **kw)) == []
    # a series that starts after the merger has no break inside it
    after = ntnu_institution_flags[ntnu_institution_flags["year"] >= 2016]
    assert _break_marks(gender_trend(after, breaks=series_breaks(), **kw)) == []


def _report_data(flags: pd.DataFrame, breaks: pd.DataFrame | None, year: int = 2021):
    from fractions import Fraction

    from analysis.report.data import ReportData
    from analysis.settings import GenderSettings, Settings

    return ReportData(
        year=year,
        institution="1150",
        institution_short="NTNU",
        data_dir=Path("."),
        validated={},
        reference={},
        flags=flags,
        integration=None,
        survey=None,
        wellbeing=None,
        portal_index=None,
        portal_history=None,
        settings=Settings(gender=GenderSettings(threshold=Fraction(2, 5))),
        breaks=breaks,
    )


def test_the_gender_section_names_the_colleges_merged_into_ntnu(ntnu_institution_flags):
    from analysis.report.gender_section import break_notes, followup_section
    from analysis.report.workbook import notes_table

    breaks = series_breaks()
    data = _report_data(ntnu_institution_flags, breaks[breaks["institution_code"] == "1150"])
    # the names as DBH's national table gives them for 0261, 0222 and 0237, sorted by name
    merged = "Høgskolen i Gjøvik (0261), Høgskolen i Sør-Trøndelag (0222) og Høgskolen i Ålesund (0237)"
    notes = break_notes(data, "nb")
    assert len(notes) == 1
    assert notes[0].startswith(f"Brudd i tidsserien: fra 2016 omfatter NTNU også {merged} (sammenslåing).")
    assert notes[0].endswith("«År på rad» og «utvikling» for institusjonen regnes fra 2016.")
    blocks = followup_section(data, "nb", ntnu_institution_flags.iloc[:0], ntnu_institution_flags.iloc[:0])
    assert notes[0] in [b.get("text") for b in blocks if b.get("style") == "note"]
    # the workbook's notes sheet carries it, since the workbook travels without the report
    assert notes[0] in notes_table(blocks, "nb").frame.iloc[:, 1].tolist()
    # a report year before the merger has no break inside its series
    assert break_notes(_report_data(ntnu_institution_flags, breaks, year=2015), "nb") == []
    assert break_notes(_report_data(ntnu_institution_flags, None), "nb") == []


def test_the_derive_step_resolves_the_breaks_once_for_the_flags_and_the_report():
    from analysis import pipeline
    from analysis.settings import Settings

    # UiT's years 2014–2018 from the national table, as the derive stage gets them
    obs = read_path(NATIONAL).frame
    obs = obs[(obs["institution_code"] == "1130") & obs["year"].between(2014, 2018)].reset_index(drop=True)
    made = pipeline._gender({"gender": obs}, Settings(), None)  # (frames of its own: no raw folder)
    pd.testing.assert_frame_equal(made.tables["series_breaks"], series_breaks())
    flags = made.tables["gender_flags"]
    uit = flags[
        (flags["level"] == "institution") & (flags["semester"] == "autumn") & (flags["student_category"] == "S")
    ].set_index("year")
    # 2017 has no one slope: 2016's and 2017's shares are intervals (a range of slopes), and the
    # window stops at the merger (2015 and 2017 gave one without it)
    assert pd.isna(uit.at[2017, "trend_pp_per_year"])


# --- the break in kvalitet flags --out --------------------------------------------------------


@pytest.fixture(scope="module")
def ntnu_2014_2017(tmp_path_factory) -> Path:
    """NTNU's (1150) lines of the national export, 2014–2017, header and lines as written."""
    path = tmp_path_factory.mktemp("ntnu") / "dbh_t123_ntnu_1150_2014_2017.csv"
    lines = NATIONAL.read_text(encoding="utf-8-sig").splitlines()
    kept = [
        line for line in lines[1:] if line.startswith('"1150"') and 2014 <= int(line.split(";")[4].strip('"')) <= 2017
    ]
    path.write_text("\n".join([lines[0], *kept]) + "\n", encoding="utf-8")
    return path


# By hand from the shipped list (data/reference/dbh_sammenslaainger.csv, the royal decree of 19
# June 2015): 0222, 0261 and 0237 merged into 1150 from 2016; named as DBH's national table names
# them, sorted by name (as the report's note on the break, test above).
MERGED_NB = "Høgskolen i Gjøvik (0261), Høgskolen i Sør-Trøndelag (0222) og Høgskolen i Ålesund (0237)"


def test_flags_out_names_the_merger_a_rows_series_starts_after(ntnu_2014_2017, tmp_path):
    """A second reader (2026-12-04): "years in a row" and the trend restart at NTNU's 2016
    merger, but the file --out wrote said nothing of it: 2016's "1 year in a row" read as a new
    imbalance."""
    from analysis.cli import main

    out = tmp_path / "flags.csv"
    assert main(["flags", str(ntnu_2014_2017), "--level", "institution", "--out", str(out)]) == 0
    table = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    by_year = table[(table["Semester"] == "høst") & (table["Studentkategori"] == "kategori S")].set_index("År")
    assert by_year["Brudd i serien"].to_dict() == {
        "2014": "",
        "2015": "",
        "2016": f"Sammenslåing 2016: {MERGED_NB}",
        "2017": f"Sammenslåing 2016: {MERGED_NB}",
    }
    assert "series_break_merged" not in table.columns  # named inside the break's column

    en = tmp_path / "flags.xlsx"
    assert main(["flags", str(ntnu_2014_2017), "--level", "institution", "--out", str(en), "--lang", "en"]) == 0
    sheet = pd.read_excel(en, dtype=str)
    assert set(sheet["Break in the series"].dropna()) == {
        "Merger 2016: Høgskolen i Gjøvik (0261), Høgskolen i Sør-Trøndelag (0222) and Høgskolen i Ålesund (0237)"
    }

    machine = tmp_path / "flags.parquet"
    assert main(["flags", str(ntnu_2014_2017), "--level", "institution", "--out", str(machine)]) == 0
    frame = pd.read_parquet(machine)
    after = frame[frame["year"] >= 2016]
    assert set(after["series_break_year"]) == {2016}
    assert set(after["series_break_merged"]) == {
        "Høgskolen i Gjøvik (0261); Høgskolen i Sør-Trøndelag (0222); Høgskolen i Ålesund (0237)"
    }
    assert frame.loc[frame["year"] < 2016, ["series_break_year", "series_break_merged"]].isna().all().all()


def test_a_department_series_starts_at_no_break(ntnu_2014_2017, tmp_path):
    # a department's series is its own (module docstring of analysis.series_breaks)
    machine = tmp_path / "departments.parquet"
    from analysis.cli import main

    assert main(["flags", str(ntnu_2014_2017), "--out", str(machine)]) == 0
    frame = pd.read_parquet(machine)
    assert set(frame["level"]) == {"department"}
    assert frame["series_break_year"].isna().all() and frame["series_break_merged"].isna().all()


def test_uits_earlier_mergers_break_its_series_in_the_years_dbh_counts_them():
    # By hand from the national file (autumn, all categories): Høgskolen i Tromsø (0216) has
    # students up to 2008 (2 479 that autumn); UiT 5 537 in 2008, 8 373 in 2009. Høgskolen i
    # Finnmark (0212), merged 1 August 2013, still has 2 013 students of its own in autumn 2013;
    # spring 2014 is its first term under UiT (UiT spring 9 159 in 2013, 11 190 in 2014; Finnmark
    # spring 2013 2 040). So UiT's series breaks in 2009 and in 2014, as well as in 2016.
    breaks = series_breaks()
    uit = breaks[breaks["institution_code"] == "1130"]
    assert set(zip(uit["merged_code"], uit["year"])) == {
        ("0216", 2009),
        ("0212", 2014),
        ("0213", 2016),
        ("0214", 2016),
    }


def test_uits_2015_trend_does_not_reach_back_across_the_finnmark_merger():
    from analysis.metrics.gender import gender_flags
    from analysis.settings import GenderSettings

    # UiT autumn 2014, category S: department 570000 has 3 students with kvinner = menn = 0
    # (suppressed), so the share is not known; 2015's neither (570000 written 0: 0 to 2 students,
    # inside its sum); since the 2014 break no year's share is known, and there is no trend.
    # (Without the break, 2015's trend ran over 2011–2015 across the merger with Høgskolen i
    # Finnmark: -0.06 pp a year.)
    obs = read_path(NATIONAL).frame
    obs = obs[obs["institution_code"] == "1130"]
    flags = gender_flags(obs, level="institution", settings=GenderSettings(), breaks=series_breaks())
    uit = flags[(flags["semester"] == "autumn") & (flags["student_category"] == "S")].set_index("year")
    assert pd.isna(uit.at[2014, "underrepresented_share"])
    assert pd.isna(uit.at[2015, "underrepresented_share"]) and uit.at[2015, "total_high"] == uit.at[2015, "total"] + 2
    assert pd.isna(uit.at[2015, "trend_pp_per_year"])
    assert uit.at[2015, "series_break_year"] == 2014


def test_of_several_mergers_the_report_counts_years_in_a_row_from_the_last_only():
    from analysis.metrics.gender import gender_flags
    from analysis.report.gender_section import break_notes
    from analysis.settings import GenderSettings

    # UiT's breaks inside its national series (2009, 2014, 2016; test above): for the report year
    # 2022 "years in a row" and the trend run from 2016. Each note said they ran from its own
    # year ("… regnes fra 2009", "… fra 2014", "… fra 2016"), three claims for one count.
    obs = read_path(NATIONAL).frame
    obs = obs[obs["institution_code"] == "1130"]
    breaks = series_breaks()
    flags = gender_flags(obs, level="institution", settings=GenderSettings(), breaks=breaks)
    data = _report_data(flags, breaks[breaks["institution_code"] == "1130"], year=2022)
    notes = break_notes(data, "nb")
    assert [n.split(":")[1].split(" omfatter")[0].strip() for n in notes] == ["fra 2009", "fra 2014", "fra 2016"]
    counted = [n for n in notes if "regnes fra" in n]
    assert counted == [notes[-1]]
    assert notes[-1].endswith("«År på rad» og «utvikling» for institusjonen regnes fra 2016.")


def test_uibs_2017_merger_with_the_bergen_academy_of_art_and_design_breaks_its_series(national):
    # Kongen i statsråd 17 June 2016: UiB and Kunst- og designhøgskolen i Bergen (6230) merge
    # from 1 January 2017. By hand from the national file (autumn, all categories): 6230 has 347
    # students in 2016 and none after; UiB's departments 280210 (Kunstakademiet, 189) and 280220
    # (design, 165) first appear in 2017 with 354, the academy's students under UiB's code.
    _, years, _ = national
    assert max(years["6230"]) == 2016
    breaks = series_breaks()
    uib = breaks[breaks["institution_code"] == "1120"]
    assert set(zip(uib["merged_code"], uib["year"])) == {("6230", 2017)}


def test_a_series_that_starts_at_a_merger_year_is_not_said_to_be_formed_by_it(ntnu_institution_flags):
    from analysis.report.gender_section import break_notes

    # NTNU's figures fetched from 2016 (kvalitet fetch --institution 1150 --from 2016) start in its
    # merger year: NTNU was not formed in 2016 (it has figures of its own under 1150 before), and
    # its figures before 2016 are not under the colleges' codes. The data show no college before.
    breaks = series_breaks()
    from_2016 = ntnu_institution_flags[ntnu_institution_flags["year"] >= 2016].reset_index(drop=True)
    notes = break_notes(_report_data(from_2016, breaks[breaks["institution_code"] == "1150"]), "nb")
    assert not [n for n in notes if "ble til" in n]

"""SHoT figures by institution or region split by gender ("NTNU, kvinner", "Bergen (Sammen) –
menn", as a report's table by studiested and gender is written out row by row): the place is the
place, the gender its gender, and the national figure it is set against is that gender's. It was
read as a place named "NTNU, kvinner" for all students and set against the national figure for
all students (a real-file hunt, 2026-12-04: a women's figure compared with everyone's).

The file is the real national headline table (data/raw/shot_headline_figures_national.csv)
with two rows of ours under it for 2023 "psykisk_lidelse_siste_aar_CIDI", whose national
figures are in the file: alle 51.1, kvinner 57.3, menn 42.5 (its lines 28-30). The two place
values (60 and 40) are ours; the differences follow by hand: 60 - 57.3 = 2.7, 40 - 42.5 = -2.5."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.metrics.wellbeing import wellbeing_indicators
from analysis.readers import read_path
from tests.test_metrics_wellbeing import SHOT

ADDED = [
    '2023,psykisk_lidelse_siste_aar_CIDI,"NTNU, kvinner",60,"CIDI, siste 12 mnd",',
    '2023,psykisk_lidelse_siste_aar_CIDI,Bergen (Sammen) – menn,40,"CIDI, siste 12 mnd",',
]


def test_a_place_with_a_gender_is_that_gender_set_against_its_national_figure(tmp_path):
    text = SHOT.read_text(encoding="utf-8")
    assert "2023,psykisk_lidelse_siste_aar_CIDI,kvinner,57.3," in text
    assert "2023,psykisk_lidelse_siste_aar_CIDI,menn,42.5," in text
    path = tmp_path / SHOT.name
    path.write_text(text.rstrip("\n") + "\n" + "\n".join(ADDED) + "\n", encoding="utf-8")
    table = wellbeing_indicators(read_path(path).frame)
    rows = table[table["group"].isin(["NTNU, kvinner", "Bergen (Sammen) – menn"])].set_index("group")
    ntnu, bergen = rows.loc["NTNU, kvinner"], rows.loc["Bergen (Sammen) – menn"]
    assert (ntnu["scope"], ntnu["place"], ntnu["gender"]) == ("institution", "NTNU", "women")
    assert (bergen["scope"], bergen["place"], bergen["gender"]) == ("region", "Bergen (Sammen)", "men")
    assert ntnu["national_value_pct"] == 57.3 and ntnu["difference_to_national_pp"] == pytest.approx(2.7)
    assert bergen["national_value_pct"] == 42.5 and bergen["difference_to_national_pp"] == pytest.approx(-2.5)


#: 2022 "god_eller_svaert_god_livskvalitet" has only "alle" 42 in the real file (its line 22); the
#: rows below are ours: both genders written out, women nationally as "Alle kvinner", NTNU's
#: women and UiO's students of both genders.
BOTH_AND_ALL = [
    "2022,god_eller_svaert_god_livskvalitet,Kvinner og menn,42,,",
    "2022,god_eller_svaert_god_livskvalitet,Alle kvinner,40,,",
    '2022,god_eller_svaert_god_livskvalitet,"NTNU, kvinner",38,,',
    '2022,god_eller_svaert_god_livskvalitet,"UiO, kvinner og menn",44,,',
]


def test_both_genders_and_all_women_are_national_figures_not_places(tmp_path):
    """ "Kvinner og menn" is every student in the country, not the men of a place called
    "Kvinner og" (it was set against the national men's figure); "Alle kvinner" is the national
    women's figure, not the women of a place called "Alle", and NTNU's women are set against it:
    38 - 40 = -2 by hand. "UiO, kvinner og menn" is UiO's students, set against all students':
    44 - 42 = 2."""
    text = SHOT.read_text(encoding="utf-8")
    assert "2022,god_eller_svaert_god_livskvalitet,alle,42," in text
    path = tmp_path / SHOT.name
    path.write_text(text.rstrip("\n") + "\n" + "\n".join(BOTH_AND_ALL) + "\n", encoding="utf-8")
    table = wellbeing_indicators(read_path(path).frame)
    # our rows by their line in the file (a national group is given as "alle"/"kvinner"/"menn",
    # whatever its spelling): the file's lines, then ours
    first = len(text.rstrip("\n").splitlines()) + 1
    rows = table.set_index("source_row").loc[range(first, first + len(BOTH_AND_ALL))]
    rows.index = [line.split(",", 2)[2].rsplit(",", 3)[0].strip('"') for line in BOTH_AND_ALL]
    both, women, ntnu = rows.loc["Kvinner og menn"], rows.loc["Alle kvinner"], rows.loc["NTNU, kvinner"]
    assert (both["group"], women["group"], ntnu["group"]) == ("alle", "kvinner", "NTNU, kvinner")
    assert (both["scope"], both["gender"]) == ("national", "all") and pd.isna(both["place"])
    assert pd.isna(both["national_value_pct"])
    assert (women["scope"], women["gender"]) == ("national", "women") and pd.isna(women["place"])
    assert (ntnu["place"], ntnu["gender"], ntnu["national_value_pct"]) == ("NTNU", "women", 40)
    assert ntnu["difference_to_national_pp"] == pytest.approx(-2)
    uio = rows.loc["UiO, kvinner og menn"]
    assert (uio["scope"], uio["place"], uio["gender"], uio["national_value_pct"]) == ("institution", "UiO", "all", 42)
    assert uio["difference_to_national_pp"] == pytest.approx(2)

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

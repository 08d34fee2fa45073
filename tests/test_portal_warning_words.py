"""The portal's warning on a programme, in words the reader does not know (the English portal,
studiebarometeret.no/en, or another wording): the programme is marked as the portal marked it,
with a warning naming the text, never read as "no warning" (a real-file hunt, 2026-12-04: the
English export of the real index sample lost the mark of NMBU's 1173_m-ba, n 13, 23.2 %; with
warn_n 10 the report then showed its values without "few respondents").

The file is the real index sample (data/raw/studiebarometeret_2025_portal_index_sample.csv)
with the warning of its lines 2–9 (1173_m-ba) written in English; the words are ours, not the
portal's, which no source at hand gives."""

from __future__ import annotations

from analysis.readers import read_path
from tests.test_readers_real import PORTAL_INDEX

NORWEGIAN = "NB: få svarende (Resultatene må tolkes med forsiktighet, pga. få respondenter.)"
ENGLISH = "NB: Few respondents (The results must be interpreted with caution.)"


def test_a_warning_in_other_words_still_marks_the_programme_and_is_said(real_file, tmp_path):
    text = real_file(PORTAL_INDEX).read_text(encoding="utf-8")
    assert text.count(NORWEGIAN) == 8  # lines 2-9, 1173_m-ba
    path = tmp_path / PORTAL_INDEX
    path.write_text(text.replace(NORWEGIAN, ENGLISH), encoding="utf-8")
    result = read_path(path)
    frame = result.frame
    marked = frame.loc[frame["few_respondents_warning"], "sb_id"]
    assert list(marked) == ["1173_m-ba"] * 8
    said = [w for w in result.warnings if w.column == "warning"]
    assert [(w.row, w.value) for w in said] == [(2, ENGLISH)], said

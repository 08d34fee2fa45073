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


def test_a_cell_that_says_there_is_no_warning_marks_nothing(real_file, tmp_path):
    """A portal file written by R (``write.csv``: ``NA``) or by hand (``-``, ``–``) has no warning
    where the cell says so, as Samordna's "NA"/"-" is a figure not there: only 1173_m-ba (lines
    2-9) has the portal's warning. Each empty cell of the real sample (32 of 40) was read as a
    warning in unknown words and every programme marked as few respondents."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(real_file(PORTAL_INDEX).read_text(encoding="utf-8"))))
    assert rows[0][-1] == "warning" and sum(r[-1] == "" for r in rows[1:]) == 32
    for empty in ("NA", "-", "–"):
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([r[:-1] + [r[-1] or empty] for r in rows])
        path = tmp_path / empty.encode().hex() / PORTAL_INDEX
        path.parent.mkdir()
        path.write_text(out.getvalue(), encoding="utf-8")
        result = read_path(path)
        frame = result.frame
        assert list(frame.loc[frame["few_respondents_warning"], "sb_id"]) == ["1173_m-ba"] * 8, empty
        assert not [w for w in result.warnings if w.column == "warning"], empty

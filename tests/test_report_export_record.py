"""The report's manifest says what the static export did, and a report without its pictures
is built again while a browser is there (the browser test is in test_export_crash.py)."""

from __future__ import annotations

import json

import pytest

from analysis.report.build import MANIFEST_NAME, up_to_date
from analysis.report.export import PICTURE_FORMATS, export_record

FIGURES = 3
PICTURES = FIGURES * len(PICTURE_FORMATS)


def _report(folder, record, figures: int = FIGURES) -> None:
    manifest = {"fingerprint": "f", "outputs": [], "figures": figures, "static_export": record}
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")


def test_the_record_counts_the_pictures_exported_and_failed():
    every = {f"chart_{i}": [f"figures/chart_{i}.{fmt}" for fmt in PICTURE_FORMATS] for i in range(FIGURES)}
    assert export_record(FIGURES, every) == {"exported": PICTURES, "failed": 0}
    # every picture failed: the names come back with no file each (it was recorded as true)
    assert export_record(FIGURES, {name: [] for name in every}) == {"exported": 0, "failed": PICTURES}
    # the browser failed as a whole: nothing came back
    assert export_record(FIGURES, {}) == {"exported": 0, "failed": PICTURES}
    one_short = {**every, "chart_0": ["figures/chart_0.svg"]}
    assert export_record(FIGURES, one_short) == {"exported": PICTURES - 1, "failed": 1}
    assert export_record(FIGURES, None) is False  # not tried: --no-static, or no browser


@pytest.mark.parametrize(
    ("record", "figures", "with_browser"),
    [
        ({"exported": 0, "failed": PICTURES}, FIGURES, False),
        (False, FIGURES, False),
        ({"exported": PICTURES, "failed": 0}, FIGURES, True),
        ({"exported": PICTURES - 1, "failed": 1}, FIGURES, True),  # some: up to date, as before
        (False, 0, True),  # a report without figures has no pictures to make
    ],
)
def test_a_report_without_its_pictures_is_built_again_while_a_browser_is_there(tmp_path, record, figures, with_browser):
    _report(tmp_path, record, figures)
    assert up_to_date(tmp_path, "f", pictures=True) is with_browser
    assert up_to_date(tmp_path, "f", pictures=False)  # no browser: nothing more to make


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_an_up_to_date_report_says_which_of_its_pictures_were_not_exported(tmp_path, lang):
    """A report some of whose pictures failed is up to date (not built again for each run), and
    the build after the one that failed them said only "up to date": the missing pictures were
    never named again. It says how many of how many picture files are not there."""
    from analysis.charts.labels import label
    from analysis.report.build import pictures_missing

    _report(tmp_path, {"exported": PICTURES - 1, "failed": 1})
    assert pictures_missing(tmp_path, lang) == label("pictures_missing", lang, n=1, of=PICTURES)
    _report(tmp_path, {"exported": PICTURES, "failed": 0})
    assert pictures_missing(tmp_path, lang) is None
    _report(tmp_path, False)  # not tried (--no-static): nothing failed
    assert pictures_missing(tmp_path, lang) is None

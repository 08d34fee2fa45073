"""The report's tables as a reader at 360 px, at 900 px, at 1280 px and on paper sees them, in real headless
Chromium: the page never scrolls sideways (the follow-up list's ten columns, about 1060 px, ran
past the window below ~1120 px and moved the whole page), a table too wide for the window
scrolls in its own box with the unit's name kept in view, and in print every table fits the A4
text width (180 mm) with nothing cut off.

Fast: the page is the report's own HTML (:func:`analysis.report.html.render_index`) of the
embedded data's content with one chart of its 18 (each is laid out at its PNG's width, 900 px:
it too ran past a 900 px window; every chart is the browser test's, ``test_report_browser.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import paths
from analysis.report.content import report_content
from analysis.report.data import load_report_data
from analysis.report.html import render_index

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: A4 less the report's 15 mm print margins: 180 mm at 96 px per inch.
PRINT_WIDTH_PX = round(180 / 25.4 * 96)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]

LAYOUT = """() => {
  const boxes = [...document.querySelectorAll('table')].map(t => {
    const box = t.parentElement, r = box.getBoundingClientRect();
    return {id: t.id, right: r.right, scrolls: box.scrollWidth > box.clientWidth + 1,
            width: t.getBoundingClientRect().width};
  });
  return {page: document.documentElement.scrollWidth, window: document.documentElement.clientWidth, boxes};
}"""

STICKY = """() => {
  // the follow-up table scrolled to its far right: is the unit's name still where it was?
  const table = document.querySelector('table#table-followup'), box = table.parentElement;
  const cell = table.querySelector('tbody td');
  const before = cell.getBoundingClientRect().left;
  box.scrollLeft = box.scrollWidth;
  const after = cell.getBoundingClientRect().left;
  const last = table.querySelector('tbody tr:not(.group) td:last-child').getBoundingClientRect();
  return {moved: box.scrollLeft, before, after, lastRight: last.right, boxRight: box.getBoundingClientRect().right};
}"""


#: The one chart the page keeps: drawn at its PNG's width (900 px), as every chart is.
CHART = "kjonn_fakultet"


@pytest.fixture(scope="module")
def page_file(tmp_path_factory) -> Path:
    content = report_content(load_report_data(), "nb")
    blocks = [b for b in content.blocks if b["kind"] != "figure" or b["name"] == CHART]
    assert any(b["kind"] == "table" and b["id"] == "followup" for b in blocks)
    chart = next(f for f in content.figures if f.name == CHART)
    page = tmp_path_factory.mktemp("layout") / "index.html"
    page.write_text(
        render_index(
            title=content.title,
            lang="nb",
            blocks=blocks,
            figure_json={CHART: chart.figure.to_json()},
            static_files={},
            warnings=content.warnings,
            # the files list as the build gives it: its longest word, a notebook's path, ran past a
            # 360 px window
            downloads=["kvalitetsmelding.docx", "kvalitetsmelding.xlsx", "manifest.json"]
            + [f"notebooks/{nb.stem}.ipynb" for nb in sorted(paths.NOTEBOOKS.glob("*.py"))],
        ),
        encoding="utf-8",
    )
    return page


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.mark.parametrize("width", [360, 900, 1280])
def test_the_page_never_scrolls_sideways_and_a_wide_table_scrolls_in_its_box(browser, page_file, width):
    """At 360 px (a phone) the notebooks' paths in the files list after "Om tallene"
    ("notebooks/04_studiebarometeret.ipynb", one word 370 px long) ran past the window and the
    whole page scrolled sideways: a long word now breaks where it must."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(page_file.as_uri())
        page.wait_for_selector(f"#fig-{CHART} svg.main-svg")
        layout = page.evaluate(LAYOUT)
        assert layout["page"] <= layout["window"], layout
        assert all(b["right"] <= width for b in layout["boxes"]), layout["boxes"]
        followup = next(b for b in layout["boxes"] if b["id"] == "table-followup")
        if followup["scrolls"]:
            sticky = page.evaluate(STICKY)
            assert sticky["moved"] > 0
            assert abs(sticky["after"] - sticky["before"]) < 1, sticky  # the unit's name stays in view
            assert sticky["lastRight"] <= sticky["boxRight"] + 1, sticky  # the last column can be reached
        else:
            # wide enough: the whole table is seen at once, no scrolling needed
            assert width >= 1280
    finally:
        page.close()


def test_in_print_every_table_fits_the_a4_text_width(browser, page_file):
    page = browser.new_page(viewport={"width": PRINT_WIDTH_PX, "height": 1200})
    try:
        page.emulate_media(media="print")
        page.goto(page_file.as_uri())
        layout = page.evaluate(LAYOUT)
        assert layout["page"] <= PRINT_WIDTH_PX, layout
        for b in layout["boxes"]:
            assert b["width"] <= PRINT_WIDTH_PX and not b["scrolls"], b  # on paper nothing scrolls
    finally:
        page.close()

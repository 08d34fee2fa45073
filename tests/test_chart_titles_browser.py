"""Every chart's title whole, in real headless Chromium, for an institution with a long name:
UiT's DBH name ("Universitetet i Tromsø - Norges arktiske universitet", no short name known)
made the gender charts' titles run past the chart's right edge, cutting off the measure
("… registrerte studenter, vå"): plotly does not wrap a title, and clips it at the figure.

Fast: the report's own page (:func:`analysis.report.html.render_index`) of UiT's content from
the embedded data, with its charts, no build.
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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]

TITLES = """() => [...document.querySelectorAll('svg.main-svg')].filter(s => s.querySelector('.gtitle')).map(s => {
  const svg = s.getBoundingClientRect(), title = s.querySelector('.gtitle').getBoundingClientRect();
  const sub = s.querySelector('.gtitle-subtitle');
  const legend = s.parentElement.querySelector('.legend');
  return {id: s.closest('[id^=fig-]').id, svgRight: svg.right, titleRight: title.right, titleBottom: title.bottom,
          subTop: sub ? sub.getBoundingClientRect().top : null,
          legendTop: legend ? legend.getBoundingClientRect().top : null,
          text: s.querySelector('.gtitle').textContent};
})"""


@pytest.fixture(scope="module")
def page_file(tmp_path_factory) -> Path:
    data = load_report_data(paths.RAW, None, "1130")
    assert data.institution_short == "Universitetet i Tromsø - Norges arktiske universitet"
    content = report_content(data, "nb")
    page = tmp_path_factory.mktemp("titles") / "index.html"
    page.write_text(
        render_index(
            title=content.title,
            lang="nb",
            blocks=content.blocks,
            figure_json={f.name: f.figure.to_json() for f in content.figures},
            static_files={},
            warnings=content.warnings,
            downloads=[],
        ),
        encoding="utf-8",
    )
    return page


def test_every_chart_title_fits_its_chart_and_its_subtitle_and_legend_sit_below_it(page_file):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(page_file.as_uri())
            page.wait_for_selector("svg.main-svg .gtitle")
            page.wait_for_timeout(500)
            titles = page.evaluate(TITLES)
        finally:
            browser.close()
    assert any("Universitetet i Tromsø" in t["text"] for t in titles)
    for t in titles:
        assert t["titleRight"] <= t["svgRight"], t  # the whole title is drawn
        if t["subTop"] is not None:
            assert t["subTop"] >= t["titleBottom"] - 1, t  # a wrapped title does not run into its subtitle
        if t["legendTop"] is not None:
            assert t["legendTop"] >= t["titleBottom"] - 1, t

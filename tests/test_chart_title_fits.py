"""A chart's title is read whole in the browser: a faculty report's titles name the faculty
and the institution ("Kjønnsbalanse 2025, Fakultet for informasjonsteknologi og elektroteknikk
(273), NTNU – registrerte studenter, høst, alle kategorier, instituttnivå") and ran past the
figure's right edge, cut off mid-word ("…, alle kategorier, i") in the page, the PNG and the SVG.

One chart drawn by plotly.js in Chromium, measured as drawn (not the estimate the layout uses).
Needs Debian's ``chromium`` at /usr/bin/chromium.
"""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import pytest

from analysis.charts import theme
from analysis.charts.common import Source, finish, new_figure
from analysis.charts.labels import label

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]

# the longest faculty name in DBH table 210 for NTNU (data/raw/dbh_t210_ntnu_fakultetskoder.csv)
SCOPE = "Fakultet for informasjonsteknologi og elektroteknikk (273), NTNU"

BOXES = """() => {
  const svg = document.querySelector('svg.main-svg').getBoundingClientRect();
  const box = s => { const e = document.querySelector(s); return e ? e.getBoundingClientRect().toJSON() : null; };
  return {svg: svg.toJSON(), title: box('.gtitle'), subtitle: box('.gtitle-subtitle'), legend: box('.legend')};
}"""


def _drawn(fig: go.Figure, tmp_path: Path) -> dict:
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "chart.html"
    fig.write_html(page_file, include_plotlyjs=True, full_html=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(page_file.as_uri())
            page.wait_for_selector(".gtitle")
            return page.evaluate(BOXES)
        finally:
            browser.close()


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_faculty_reports_chart_title_is_not_cut_off(lang, tmp_path):
    title = label(
        "gender_bars_title",
        lang,
        year=2025,
        scope=theme.plain(SCOPE),
        measure=label("measure_registered", lang),
        level="instituttnivå" if lang == "nb" else "department level",
    )
    assert len(title) > 110  # the case: longer than one line of the chart
    fig = new_figure(
        title,
        Source("DBH (HK-dir)", "123 Registrerte studenter", "2026-09-23"),
        lang,
        subtitle=label("gender_bars_subtitle_duty", lang, pct="40"),
    )
    fig.add_bar(
        name="skjev", x=[0.3, 0.5], y=["Institutt for elkraftteknikk", "Institutt for matematiske fag"], orientation="h"
    )
    fig.add_bar(
        name="innenfor",
        x=[0.2, 0.1],
        y=["Institutt for elkraftteknikk", "Institutt for matematiske fag"],
        orientation="h",
    )
    boxes = _drawn(finish(fig), tmp_path)
    svg, title_box, subtitle, legend = boxes["svg"], boxes["title"], boxes["subtitle"], boxes["legend"]
    assert title_box["right"] <= svg["right"] - 4, f"title runs {title_box['right'] - svg['right']:.0f} px past"
    # the whole title is drawn, word for word, and nothing under it is covered
    assert subtitle["top"] >= title_box["bottom"] - 1
    assert legend["top"] >= subtitle["bottom"] - 1

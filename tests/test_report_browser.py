"""The report in real headless Chromium: every chart renders with its alt text, no console
errors, no two chart labels overlap, the interactive chart has the PNG's size and look, and a
programme named ``<script>alert(1)</script>`` in the input data is shown as text, never run.

Needs Debian's ``chromium`` at /usr/bin/chromium (``.ci/run`` installs it). Screenshots are
kept in ``build/test-artifacts/``: the whole page (``report.png``), the top of the page with the
follow-up list (``report-top.png``) and the faculty chart as drawn in the page
(``chart-kjonn_fakultet.png``), to be looked at beside ``figures/kjonn_fakultet.png``.
"""

from __future__ import annotations

import json
import shutil
import struct
from pathlib import Path

import pytest

from analysis import paths
from analysis.report.build import build_report

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EVIL = "<script>alert(1)</script>"
ARTIFACTS = paths.BUILD / "test-artifacts"
SCREENSHOT = ARTIFACTS / "report.png"
TOP = ARTIFACTS / "report-top.png"
CHART = ARTIFACTS / "chart-kjonn_fakultet.png"
NTNU = "Norges teknisk-naturvitenskapelige universitet"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """The report built from the embedded data with two names turned into markup: the seed's
    Komtek (2018, a chart in the appendix) and NTNU's Fysikk (bachelor) in the Samordna sample
    (27 % women first-choice applicants in 2025 < 40 %: a row of the follow-up list)."""
    raw = tmp_path_factory.mktemp("raw") / "raw"
    shutil.copytree(paths.RAW, raw)
    seed = raw / "seed_hovedopptak_andel_kvinner_2007_2018.csv"
    seed.chmod(0o644)
    text = seed.read_text(encoding="utf-8")
    assert "Komtek;" in text
    seed.write_text(text.replace("Komtek;", f"{EVIL};"), encoding="utf-8")
    samordna = raw / "samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv"
    samordna.chmod(0o644)
    lines = samordna.read_text(encoding="utf-8").splitlines(keepends=True)
    renamed = [
        line.replace(",Fysikk (bachelor),", f",{EVIL},") if f",{NTNU}," in line and ",194857," in line else line
        for line in lines
    ]
    assert renamed != lines
    samordna.write_text("".join(renamed), encoding="utf-8")
    out = tmp_path_factory.mktemp("report") / "report"
    build_report(data_dir=raw, out_dir=out, progress=lambda _: None, static=True)
    return out


OVERLAPS = """() => {
  // every text label drawn in a chart (annotations, bar texts, axis tick labels, legend entries)
  const out = [];
  document.querySelectorAll('.js-plotly-plot').forEach(plot => {
    const boxes = [...plot.querySelectorAll('.annotation-text, .bartext, .legendtext, .xtick text, .ytick text')]
      .map(e => ({text: e.textContent, r: e.getBoundingClientRect()}))
      .filter(b => b.r.width > 0 && b.text.trim());
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i].r, b = boxes[j].r;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 2 && h > 2) out.push(plot.closest('.chart').id + ': "' + boxes[i].text + '" / "' + boxes[j].text + '"');
    }
  });
  return out;
}"""


CLIPPED = """() => {
  // legend entries whose text runs past the legend's box: plotly clips the legend to that box
  const out = [];
  document.querySelectorAll('.js-plotly-plot .legend').forEach(legend => {
    const box = legend.querySelector('.bg').getBoundingClientRect();
    legend.querySelectorAll('.legendtext').forEach(t => {
      const r = t.getBoundingClientRect();
      if (r.right > box.right + 0.5) out.push(legend.closest('.chart').id + ': "' + t.textContent + '"');
    });
  });
  return out;
}"""


@pytest.fixture(scope="module")
def page_result(report):
    from playwright.sync_api import sync_playwright

    content = json.loads((report / "content.json").read_text(encoding="utf-8"))
    expected = len(content["figures"])
    problems: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on(
                "request",
                lambda r: (
                    problems.append(f"network: {r.url}")
                    if not r.url.startswith(("file:", "data:", "blob:", "about:"))
                    else None
                ),
            )
            page.goto((report / "index.html").as_uri())
            page.wait_for_function(
                "n => document.querySelectorAll('.js-plotly-plot svg.main-svg').length >= n",
                arg=expected,
                timeout=60_000,
            )
            rendered = page.evaluate(
                "() => [...document.querySelectorAll('.js-plotly-plot')]"
                ".filter(d => d.querySelector('svg.main-svg')).length"
            )
            alts = page.evaluate(
                "() => [...document.querySelectorAll('.chart')].map(d => [d.getAttribute('role'), "
                "d.getAttribute('aria-label')])"
            )
            followup_text = page.inner_text("table#table-followup")
            chart_text = page.evaluate(
                "() => [...document.querySelectorAll('.js-plotly-plot')].map(d => d.textContent).join('\\n')"
            )
            overlaps = page.evaluate(OVERLAPS)
            clipped = page.evaluate(CLIPPED)
            sizes = page.evaluate(
                "() => Object.fromEntries([...document.querySelectorAll('.chart')].map(d => "
                "[d.id.slice(4), [d.querySelector('svg.main-svg').getAttribute('width'), "
                "d.querySelector('svg.main-svg').getAttribute('height')]]))"
            )
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
            page.screenshot(path=str(TOP), clip={"x": 0, "y": 0, "width": 1100, "height": 1800}, full_page=True)
            page.locator("#fig-kjonn_fakultet").screenshot(path=str(CHART))
        finally:
            browser.close()
    return {
        "expected": expected,
        "rendered": rendered,
        "problems": problems,
        "dialogs": dialogs,
        "followup_text": followup_text,
        "chart_text": chart_text,
        "alts": alts,
        "overlaps": overlaps,
        "clipped": clipped,
        "sizes": sizes,
        "content": content,
    }


def test_every_chart_renders_with_alt_text(page_result):
    assert page_result["expected"] >= 10
    assert page_result["rendered"] == page_result["expected"]
    titles = {f["name"]: f["title"] for f in page_result["content"]["figures"]}
    assert len(page_result["alts"]) == len(titles)
    for role, alt in page_result["alts"]:
        assert role == "img" and alt and len(alt) > 40
    assert all(any(t in alt for _, alt in page_result["alts"]) for t in titles.values())


def test_no_console_errors_and_no_network(page_result):
    assert page_result["problems"] == []


def test_no_two_chart_labels_overlap(page_result):
    """The two threshold labels ("40 % kvinner (terskel)" / "40 % menn (terskel)") ran into one
    another; so did two department names of two lines each, one above the other, beside the
    department chart's bars ("…informasjonssikkerhet og / kommunikasjonsteknologi" over
    "Fakultet for informasjonsteknologi og / elektroteknikk – fakultetets egen enhet (273000)");
    no label of any chart may cover another."""
    assert page_result["overlaps"] == []


def test_no_legend_entry_is_cut_off(page_result):
    """The SHoT chart's legend cut its second entry short ("… første bølge i datagrunnlage"):
    every legend entry is shown to its last letter."""
    assert page_result["clipped"] == []


def test_the_page_draws_each_chart_at_the_size_of_its_png(page_result, report):
    for name, (width, height) in page_result["sizes"].items():
        png = report / "figures" / f"{name}.png"
        w, h = struct.unpack(">II", png.read_bytes()[16:24])
        # the PNG is the same layout at 300 dpi (scale 2.233): same aspect ratio, same look
        assert abs(w / h - float(width) / float(height)) < 0.01, name


def test_markup_in_a_programme_name_is_shown_as_text_not_run(page_result):
    assert page_result["dialogs"] == [], "the script in the programme name ran"
    assert EVIL in page_result["followup_text"]
    assert EVIL in page_result["chart_text"]


def test_screenshots_are_kept(page_result):
    for shot in (SCREENSHOT, TOP, CHART):
        assert shot.exists() and shot.stat().st_size > 10_000, shot


#: A4 (210 mm) less the page's 15 mm margins at 96 px per inch: the width a printed page has.
PRINTED_WIDTH_PX = round((210 - 2 * 15) / 25.4 * 96)


def test_printed_every_chart_and_table_fits_the_page(report):
    """Printed on A4, the charts (laid out 900 px wide) lost their right part — the 100 % tick and
    the "Antall som trengs" column — and the follow-up list its last four columns (1061 px wide):
    on paper, no chart and no table is wider than the page's text."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": PRINTED_WIDTH_PX, "height": 1000})
            page.emulate_media(media="print")
            page.goto((report / "index.html").as_uri())
            expected = len(json.loads((report / "content.json").read_text(encoding="utf-8"))["figures"])
            page.wait_for_function(
                "n => document.querySelectorAll('.js-plotly-plot svg.main-svg').length >= n", arg=expected
            )
            # a chart's own drawing, not its box: the box keeps the page's width while the drawing
            # runs past it
            wide = page.evaluate(
                "w => [...document.querySelectorAll('.chart svg.main-svg, table')]"
                ".map(e => [e.closest('.chart, table').id, Math.round(e.getBoundingClientRect().right)])"
                ".filter(([, r]) => r > w)",
                PRINTED_WIDTH_PX,
            )
        finally:
            browser.close()
    assert wide == []

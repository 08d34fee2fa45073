"""The report in real headless Chromium: every chart renders, no console errors, and a
programme named ``<script>alert(1)</script>`` in the input data is shown as text, never run.

Needs Debian's ``chromium`` at /usr/bin/chromium (``.ci/run`` installs it). The screenshot is
kept at ``build/test-artifacts/report.png``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.report.build import build_report

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
EVIL = "<script>alert(1)</script>"
SCREENSHOT = paths.BUILD / "test-artifacts" / "report.png"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """The report built from the embedded data with one seed programme renamed to markup:
    Komtek (39 % women admitted in 2018 < 40 %, so it is in the flagged list and a chart)."""
    raw = tmp_path_factory.mktemp("raw") / "raw"
    shutil.copytree(paths.RAW, raw)
    seed = raw / "seed_hovedopptak_andel_kvinner_2007_2018.csv"
    seed.chmod(0o644)
    text = seed.read_text(encoding="utf-8")
    assert "Komtek;" in text
    seed.write_text(text.replace("Komtek;", f"{EVIL};"), encoding="utf-8")
    out = tmp_path_factory.mktemp("report") / "report"
    build_report(data_dir=raw, out_dir=out, progress=lambda _: None, static=False)
    return out


@pytest.fixture(scope="module")
def page_result(report):
    from playwright.sync_api import sync_playwright

    expected = len(json.loads((report / "content.json").read_text(encoding="utf-8"))["figures"])
    problems: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: problems.append(f"network: {r.url}") if not r.url.startswith(("file:", "data:", "blob:", "about:")) else None)
            page.goto((report / "index.html").as_uri())
            page.wait_for_function(
                "n => document.querySelectorAll('.js-plotly-plot svg.main-svg').length >= n", arg=expected,
                timeout=60_000,
            )
            rendered = page.evaluate(
                "() => [...document.querySelectorAll('.js-plotly-plot')]"
                ".filter(d => d.querySelector('svg.main-svg')).length"
            )
            flagged_text = page.inner_text("#flagged")
            chart_text = page.evaluate(
                "() => [...document.querySelectorAll('.js-plotly-plot')].map(d => d.textContent).join('\\n')"
            )
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    return {"expected": expected, "rendered": rendered, "problems": problems, "dialogs": dialogs,
            "flagged_text": flagged_text, "chart_text": chart_text}


def test_every_chart_renders(page_result):
    assert page_result["expected"] >= 10
    assert page_result["rendered"] == page_result["expected"]


def test_no_console_errors_and_no_network(page_result):
    assert page_result["problems"] == []


def test_markup_in_a_programme_name_is_shown_as_text_not_run(page_result):
    assert page_result["dialogs"] == [], "the script in the programme name ran"
    assert EVIL in page_result["flagged_text"]
    assert EVIL in page_result["chart_text"]


def test_screenshot_is_kept(page_result):
    assert SCREENSHOT.exists() and SCREENSHOT.stat().st_size > 10_000

"""The notebooks' text (their markdown cells) is in the report's language: `kvalitet report
--lang en` gave English printouts and charts under Norwegian headings and paragraphs. The text
comes from the one lookup of words (:func:`analysis.charts.labels.label`), named in each cell's
metadata; the Norwegian stays in the notebook source, as JupyterLab shows it."""

from __future__ import annotations

import nbformat
import pytest

from analysis.charts.labels import label
from analysis.report.notebooks import notebooks, to_ipynb


def text_cells(py, folder, lang: str) -> list[str]:
    """The markdown cells of ``py`` as the report build converts it for a run in ``lang``."""
    folder.mkdir(exist_ok=True)
    nb = nbformat.read(to_ipynb(py, folder, lang), as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


@pytest.mark.parametrize("py", notebooks(), ids=lambda p: p.stem)
def test_an_english_notebook_keeps_no_norwegian_heading_or_paragraph(py, tmp_path):
    """Converted for an English run, no heading of the Norwegian run's notebook is left, and no
    text cell is the Norwegian one; the headings are as many and at the same levels."""
    norwegian = text_cells(py, tmp_path / "nb", "nb")
    english = text_cells(py, tmp_path / "en", "en")
    headings = [line for cell in norwegian for line in cell.splitlines() if line.startswith("#")]
    assert headings, f"{py.name}: no headings in the Norwegian run"
    english_lines = {line for cell in english for line in cell.splitlines()}
    assert [h for h in headings if h in english_lines] == []
    assert [cell for cell in norwegian if cell in english] == []
    english_headings = [line for cell in english for line in cell.splitlines() if line.startswith("#")]
    assert [h.split(" ")[0] for h in english_headings] == [h.split(" ")[0] for h in headings]


@pytest.mark.parametrize("py", notebooks(), ids=lambda p: p.stem)
def test_every_text_cell_names_its_words_and_reads_as_they_say(py, tmp_path):
    """Every markdown cell of a notebook names its words (``label="md_…"``), so none is left out
    of an English run, and its Norwegian text in the source is the labels' Norwegian: the two
    cannot drift apart (a change to one alone would be seen in JupyterLab but not in the report)."""
    import jupytext

    cells = [c for c in jupytext.read(py).cells if c.cell_type == "markdown"]
    assert [c.source[:40] for c in cells if "label" not in c.metadata] == []
    assert [c.metadata["label"] for c in cells if c.source != label(c.metadata["label"], "nb")] == []
    assert text_cells(py, tmp_path, "nb") == [c.source for c in cells]


def test_a_norwegian_run_keeps_the_notebooks_own_text_as_edited(tmp_path):
    """A notebook's text edited in JupyterLab (its Norwegian, the source) is what a Norwegian
    report shows, as before the labels: the Norwegian run replaced every labelled cell by the
    labels' Norwegian, so an adviser's edit was silently dropped from the report. An English
    run still takes the labels' English."""
    import jupytext

    py = notebooks()[0]
    nb = jupytext.read(py)
    cell = next(c for c in nb.cells if c.cell_type == "markdown" and c.metadata.get("label"))
    edited = cell.source + "\n\nRådgiverens egen merknad om årets data."
    cell.source = edited
    copy = tmp_path / py.name
    jupytext.write(nb, copy, fmt="py:percent")
    norwegian = text_cells(copy, tmp_path / "nb", "nb")
    assert edited in norwegian
    english = text_cells(copy, tmp_path / "en", "en")
    assert label(cell.metadata["label"], "en") in english and edited not in english

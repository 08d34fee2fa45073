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

"""The notebooks' text (their markdown cells) is in the report's language: `kvalitet report
--lang en` gave English printouts and charts under Norwegian headings and paragraphs. The
English comes from the labels' module (:data:`analysis.charts.labels.NOTEBOOK_TEXT`), named in
each cell's metadata; the Norwegian is the notebook source alone, as JupyterLab shows it."""

from __future__ import annotations

import nbformat
import pytest

from analysis.charts import labels
from analysis.charts.labels import LANGS
from analysis.report.notebooks import NOTEBOOK_LANG, notebooks, to_ipynb


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
def test_every_text_cell_names_its_words_and_keeps_its_own_norwegian(py, tmp_path):
    """Every markdown cell of a notebook names its words (``label="md_…"``), which are there in
    every language but the notebooks' own, so none is left out of an English run; a Norwegian
    run keeps the cells as they are."""
    import jupytext

    cells = [c for c in jupytext.read(py).cells if c.cell_type == "markdown"]
    assert [c.source[:40] for c in cells if "label" not in c.metadata] == []
    others = set(LANGS) - {NOTEBOOK_LANG}
    assert [
        c.metadata["label"] for c in cells if set(labels.NOTEBOOK_TEXT.get(c.metadata["label"], {})) != others
    ] == []
    assert text_cells(py, tmp_path, "nb") == [c.source for c in cells]


def test_the_notebooks_norwegian_is_written_once_in_the_notebooks():
    """A notebook cell's Norwegian was written twice, in the notebook and as the labels'
    Norwegian of its words (a test kept the two equal): the notebook is the one source. No
    label holds a cell's Norwegian text, and every notebook text of the labels is named by one
    cell (none left behind by a cell removed)."""
    import jupytext

    cells = [c for py in notebooks() for c in jupytext.read(py).cells if c.cell_type == "markdown"]
    norwegian = {c.source for c in cells}
    every = {**labels.LABELS, **getattr(labels, "NOTEBOOK_TEXT", {})}
    assert sorted(key for key, texts in every.items() if texts.get(NOTEBOOK_LANG) in norwegian) == []
    named = [c.metadata.get("label") for c in cells]
    assert sorted(named) == sorted(labels.NOTEBOOK_TEXT)


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
    assert labels.NOTEBOOK_TEXT[cell.metadata["label"]]["en"] in english and edited not in english

"""The Word document's tables as Word lays them out: within the page's text width (the section's
page width less its margins, as the file stores them), and every column wide enough for its
longest word, so that Word does not break "Underrepresentert" or "førstevalgssøkere" mid-word.

The follow-up list had ten columns of 1.7 cm (python-docx's even split): 17.004 cm on a text
width of 17.000 cm, and 1.32 cm inside a cell's default padding for a header word of 17 letters.

A word's width here is a rough estimate of our own, not the report's width table: a narrow
letter (i, j, l, f, t, r, I, punctuation) 0.28 em, a wide one (m, w, M, W, æ, %) 0.8 em, another
capital 0.65 em and any other letter or digit 0.5 em (Arial's are 0.22–1.0 em; most lower-case
letters 0.5–0.56 em), bold 5 % wider, at the size the document gives the cell's text.
"""

from __future__ import annotations

import pytest
from docx import Document
from docx.oxml.ns import qn

from analysis.report.content import report_content
from analysis.report.data import load_report_data
from analysis.report.word import write_word

NARROW, WIDE = set("ijlftrI.,:;'()-/ "), set("mwMWæÆ%")


def em(word: str, *, bold: bool) -> float:
    """The rough width of ``word`` in em (see the module's docstring)."""
    width = sum(0.28 if c in NARROW else 0.8 if c in WIDE else 0.65 if c.isupper() else 0.5 for c in word)
    return width * (1.05 if bold else 1.0)


TWIPS_PER_PT = 20
WORD_DEFAULT_CELL_MARGIN = 108  # twips: 0.19 cm, Word's default left and right cell padding


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    content = report_content(load_report_data(), "nb")
    path = tmp_path_factory.mktemp("word") / "kvalitetsmelding.docx"
    write_word(content.blocks, path, "nb", title=content.title, figures_dir=None)
    return Document(str(path))


def cell_margins(table) -> int:
    """Left plus right padding of the table's cells, in twips."""
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    if margins is None:
        return 2 * WORD_DEFAULT_CELL_MARGIN
    return sum(
        int(side.get(qn("w:w")))
        for side in (margins.find(qn("w:left")), margins.find(qn("w:right")))
        if side is not None
    )


def test_every_table_fits_the_text_width(document):
    section = document.sections[0]
    text = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    assert document.tables
    for table in document.tables:
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(grid) <= text, [c.text for c in table.rows[0].cells]


def test_no_column_is_narrower_than_its_longest_word(document):
    followup = next(t for t in document.tables if t.rows[0].cells[0].text == "Enhet (kode)")
    assert len(followup.columns) == 10
    for table in document.tables:
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        padding = cell_margins(table)
        for row in table.rows:
            if len({id(c._tc) for c in row.cells}) == 1:  # a faculty's row across the table
                continue
            for cell, width in zip(row.cells, grid, strict=True):
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        size = run.font.size.pt
                        for word in run.text.split():
                            need = em(word, bold=bool(run.bold)) * size * TWIPS_PER_PT + padding
                            assert need <= width, (word, size, width)

"""``kvalitetsmelding.docx``: the report outline (:mod:`analysis.report.document`) as a Word
document an adviser edits and pastes from — the same headings, findings and tables as the
page, the follow-up list as a Word table grouped by faculty, every chart as its PNG at A4 text
width with its source line as the caption.

The page is A4 with 2 cm margins, so the text is 17 cm wide: the PNG export is 6.7 in
(17.0 cm) wide at 300 dpi and goes in at that width. A chart taller than the page's text
(the department chart of a large institution) is scaled to fit the height instead.
The file is reproducible: fixed document properties and fixed times inside the zip.
"""

from __future__ import annotations

import math
import struct
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph

from analysis.charts.labels import label
from analysis.report.tables import WORKBOOK_CREATED

WORD_NAME = "kvalitetsmelding.docx"
PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 21.0, 29.7, 2.0
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM
#: Room for a chart on one page, leaving two caption lines.
MAX_FIGURE_HEIGHT_CM = PAGE_HEIGHT_CM - 2 * MARGIN_CM - 3.0
FONT = "Arial"  # Liberation Sans, the charts' font, is metric-compatible with it
GREY = RGBColor(0x55, 0x55, 0x55)
GROUP_FILL = "E8EEF5"
HEADER_FILL = "F3F3F3"
#: Outline heading level -> Word style.
HEADING_STYLES = {1: "Title", 2: "Heading 1", 3: "Heading 2", 4: "Heading 3"}


def png_size(path: Path) -> tuple[int, int]:
    """Width and height in pixels from a PNG's header."""
    with path.open("rb") as fh:
        head = fh.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def _shade(cell, fill: str) -> None:
    # python-docx has no public API for cell shading, header rows or a picture's alt text: the
    # underlying XML element is the documented way (python-docx's own recipes)
    props = cell._tc.get_or_add_tcPr()  # noqa: SLF001
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    props.append(shading)


def _repeat_header(row) -> None:
    props = row._tr.get_or_add_trPr()  # noqa: SLF001
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


#: Arial's advance widths in thousandths of an em (Liberation Sans has the same metrics), for
#: the letters of the report's words; any other character counts as the widest lower-case one.
_ARIAL_WIDTHS = {
    **dict.fromkeys("abdeghnopquåø0123456789–", 556),
    **dict.fromkeys("ckvsxyzJ", 500),
    **dict.fromkeys("ijl", 222),
    **dict.fromkeys("ft ,./I", 278),
    **dict.fromkeys("r()-", 333),
    **dict.fromkeys("FTZ", 611),
    **dict.fromkeys("ABEKPSVXYÅ", 667),
    **dict.fromkeys("wCDHNRU", 722),
    **dict.fromkeys("GOQØ", 778),
    **dict.fromkeys("mM", 833),
    **dict.fromkeys("æ%", 889),
    "L": 556,
    "W": 944,
    "Æ": 1000,
}
#: Arial Bold is about 8 % wider than Arial; 10 % leaves room for the difference per letter.
_BOLD = 1.10
#: The smallest type a table may need to fit the text width (the page's print view uses ~6.6 pt).
TABLE_SIZES_PT = (8.0, 7.5, 7.0)
#: Left and right padding of a table cell (Word's default is 0.19 cm: ten columns lost 3.8 cm).
CELL_MARGIN_TWIPS = 57  # 0.1 cm
_TWIPS_PER_PT = 20


def _text_twips(text: str, size: float, *, bold: bool = False) -> float:
    """The width of ``text`` on one line in Arial at ``size`` pt, in twips."""
    em = sum(_ARIAL_WIDTHS.get(ch, 833) for ch in text) / 1000
    return em * size * _TWIPS_PER_PT * (_BOLD if bold else 1.0)


def column_widths(block: dict, text_twips: int) -> tuple[list[int], float]:
    """(each column's width in twips, the type size) for a table on a page ``text_twips`` wide.

    Every column is at least as wide as its longest word (the header's in bold): at 1.7 cm for
    each of ten columns, Word broke "Underrepresentert", "førstevalgssøkere" and
    "kvinneandelen" mid-word, and the ten columns together were 17.004 cm on a 17.000 cm text
    width. The largest of :data:`TABLE_SIZES_PT` at which the longest words fit is used; the
    width left over goes to the columns whose text is longest on one line (the unit's name,
    the measure), so that rows wrap least. The widths add up to ``text_twips`` at most."""
    columns = block["columns"]
    rows = [r["cells"] for r in block["rows"] if "cells" in r]
    pad = 2 * CELL_MARGIN_TWIPS + 20  # and a point for the cell's borders

    def measured(size: float) -> tuple[list[float], list[float]]:
        word, line = [], []
        for j, header in enumerate(columns):
            texts = [str(r[j]) for r in rows]
            word.append(
                max(
                    [_text_twips(w, size, bold=True) for w in header.split()]
                    + [_text_twips(w, size) for t in texts for w in t.split()],
                    default=0.0,  # (a column of empty cells under an empty header: no word)
                )
                + pad
            )
            line.append(max([_text_twips(t, size) for t in texts] + [_text_twips(header, size, bold=True)]) + pad)
        return word, line

    size = TABLE_SIZES_PT[-1]
    for candidate in TABLE_SIZES_PT:
        if sum(measured(candidate)[0]) <= text_twips:
            size = candidate
            break
    least, most = measured(size)
    least = [float(math.ceil(w)) for w in least]
    if sum(least) > text_twips:  # too many columns for the page: every one narrower alike
        return [int(w * text_twips / sum(least)) for w in least], size
    spare = text_twips - sum(least)
    wants = [max(0.0, m - w) for w, m in zip(least, most, strict=True)]
    if sum(wants) <= spare:  # every column on one line, and what is left spread alike
        widths = [m + (spare - sum(wants)) * m / sum(most) for m in most]
    else:
        widths = [w + spare * x / sum(wants) for w, x in zip(least, wants, strict=True)]
    # whole twips, never below a column's longest word, and together within the text width
    out = [max(int(w), int(lo)) for w, lo in zip(widths, least, strict=True)]
    out[out.index(max(out))] -= max(0, sum(out) - text_twips)
    return out, size


def _fixed_widths(table, widths: list[int]) -> None:
    """The columns at ``widths`` (twips), fixed, with narrow cell padding: Word's autofit
    otherwise lays the table out again from its own guesses."""
    table.autofit = False
    props = table._tbl.tblPr  # noqa: SLF001
    total = props.find(qn("w:tblW"))
    if total is None:
        total = OxmlElement("w:tblW")
        props.append(total)
    total.set(qn("w:type"), "dxa")
    total.set(qn("w:w"), str(sum(widths)))
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    props.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Twips(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Twips(width)


def _cell_text(cell, text: str, *, bold: bool = False, right: bool = False, size: float = 8) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def _table(document, block: dict, number: int, lang: str, text_twips: int) -> None:
    """The table under its numbered caption ("Tabell 1. …", as figures are numbered), its
    source line under it; its columns fit the page's text width (:func:`column_widths`)."""
    # (document.table gives every table both its caption and its source line)
    caption = document.add_paragraph(style="Caption")
    caption.add_run(label("table_caption", lang, n=number, title=block["caption"]) + ".").bold = True
    columns, numeric = block["columns"], block["numeric"]
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    widths, size = column_widths(block, text_twips)
    header = table.rows[0]
    _repeat_header(header)
    for cell, text, is_num in zip(header.cells, columns, numeric, strict=True):
        _cell_text(cell, text, bold=True, right=is_num, size=size)
        _shade(cell, HEADER_FILL)
    groups = []
    for row in block["rows"]:
        cells = table.add_row().cells
        if "group" in row:
            groups.append((cells, row["group"]))
            continue
        for cell, text, is_num in zip(cells, row["cells"], numeric, strict=True):
            _cell_text(cell, text, right=is_num, size=size)
    # every cell's width first, then the group rows' cells merged (a merged cell spans the grid)
    _fixed_widths(table, widths)
    for cells, text in groups:
        merged = cells[0].merge(cells[-1])
        _cell_text(merged, text, bold=True, size=size + 0.5)
        _shade(merged, GROUP_FILL)
    document.add_paragraph(block["source"], style="Caption")
    document.add_paragraph()


def _figure(document, block: dict, number: int, lang: str) -> tuple:
    """The figure's place (an empty paragraph, filled by :meth:`WordDraft.save`) and caption."""
    place = document.add_paragraph()
    caption = document.add_paragraph(style="Caption")
    caption.add_run(label("figure_caption", lang, n=number, title=block["title"]) + ". ").bold = True
    caption.add_run(block["caption"])
    return place, block


def _picture(place, block: dict, figures_dir: Path | None, lang: str) -> None:
    """The figure's PNG at text width (or the page's height) in its place, with its alt text;
    a missing file: a line saying so, not a silent gap, and the alt text after it as a paragraph."""
    png = figures_dir / f"{block['name']}.png" if figures_dir is not None else None
    if png is None or not png.exists():
        place.style = "Caption"
        place.add_run(label("figure_missing", lang))
        # what the chart says in words (its subtitle, with a cut integration chart's note of
        # what it leaves out, said nowhere else in the document): without the picture the
        # reader of the draft is one who cannot see the chart
        described = OxmlElement("w:p")
        place._p.addnext(described)  # noqa: SLF001
        description = Paragraph(described, place._parent)  # noqa: SLF001
        description.style = "Caption"
        description.add_run(block["alt"])
        return
    width_px, height_px = png_size(png)
    width = TEXT_WIDTH_CM
    if width * height_px / width_px > MAX_FIGURE_HEIGHT_CM:
        width = MAX_FIGURE_HEIGHT_CM * width_px / height_px
    picture = place.add_run().add_picture(str(png), width=Cm(width))
    # the picture's description is the alt text, as on the page
    picture._inline.docPr.set("descr", block["alt"])  # noqa: SLF001


def _note(document, text: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.font.size = Pt(8.5)
    run.font.color.rgb = GREY


def write_word(
    blocks: list[dict], path: Path, lang: str, *, title: str, figures_dir: Path | None, warnings: list[str] = ()
) -> Path:
    """Write the outline to ``path`` as a Word document.

    Args:
        blocks: the report outline, title heading first.
        figures_dir: the folder with ``NAME.png`` per figure block (None or a missing file:
            the document says the chart is missing instead of leaving a silent gap).
        warnings: notes from reading the data, listed at the end as on the page.
    """
    return WordDraft(blocks, lang, title=title, warnings=warnings).save(path, figures_dir)


class WordDraft:
    """The Word document with every heading, paragraph and table in place and the charts' places
    left empty: the report build makes it while the browser still exports the PNGs (the tables
    are most of the document's work), and :meth:`save` puts the pictures in."""

    def __init__(self, blocks: list[dict], lang: str, *, title: str, warnings: list[str] = ()):
        self.lang = lang
        self.document = document = Document()
        section = document.sections[0]
        section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(MARGIN_CM))
        normal = document.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(10)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
        props = document.core_properties
        props.title, props.author, props.last_modified_by = title, "kvalitet", "kvalitet"
        props.created = props.modified = WORKBOOK_CREATED
        props.language = "nb-NO" if lang == "nb" else "en-GB"

        # the text width as Word reads it: the page and margins in twips, as the file stores them
        text_twips = Cm(PAGE_WIDTH_CM).twips - 2 * Cm(MARGIN_CM).twips
        self.figures: list[tuple] = []  # (place, block) per figure, in order
        tables = 0
        for block in blocks:
            kind = block["kind"]
            if kind == "heading":
                document.add_paragraph(block["text"], style=HEADING_STYLES.get(int(block["level"]), "Heading 3"))
            elif kind == "paragraph":
                if block.get("style") == "note":
                    _note(document, block["text"])
                else:
                    document.add_paragraph(block["text"])
            elif kind == "bullets":
                for item in block["items"]:
                    document.add_paragraph(item, style="List Bullet")
            elif kind == "table":
                tables += 1
                _table(document, block, tables, lang, text_twips)
            elif kind == "figure":
                self.figures.append(_figure(document, block, len(self.figures) + 1, lang))
            else:
                raise ValueError(f"unknown block kind {kind!r}")
        if warnings:
            document.add_paragraph(label("notes", lang), style="Heading 2")
            for w in warnings:
                _note(document, w)
        _note(document, label("report_note", lang))

    def save(self, path: Path, figures_dir: Path | None) -> Path:
        """Put each chart's PNG from ``figures_dir`` in its place and write the document to
        ``path``. A draft is saved once (its places are then filled)."""
        for place, block in self.figures:
            _picture(place, block, figures_dir, self.lang)
        self.document.save(str(path))
        _fixed_zip_times(path)
        return path


#: 2000-01-01 00:00:00 as a zip entry's MS-DOS time and date (the fixed time of every entry)
_FIXED_TIME = struct.pack("<HH", 0, ((2000 - 1980) << 9) | (1 << 5) | 1)
_CENTRAL_ENTRY, _END_OF_CENTRAL = b"PK\x01\x02", b"PK\x05\x06"


def _fixed_zip_times(path: Path) -> None:
    """Give every entry of the .docx a fixed time (python-docx stamps the current time), so the
    same report gives the same file.

    The time is written into the zip's headers where it stands (APPNOTE 4.3.7 and 4.3.12: the
    local header's bytes 10–13, a central directory entry's bytes 12–15), not by reading and
    compressing every entry again: that took ~0.25 s for the charts' PNGs, at the end of the
    build when nothing else is left to do. python-docx writes no archive comment, so the end
    record is the file's last 22 bytes."""
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()
    with path.open("r+b") as fh:
        fh.seek(-22, 2)
        end = fh.read(22)
        if end[:4] != _END_OF_CENTRAL:
            raise ValueError(f"{path}: not a zip file as python-docx writes one (an archive comment?)")
        (central,) = struct.unpack("<I", end[16:20])
        for info in entries:
            fh.seek(info.header_offset + 10)
            fh.write(_FIXED_TIME)
        fh.seek(central)
        for _ in entries:  # the central directory lists the entries in the order infolist() gives
            head = fh.read(46)
            if head[:4] != _CENTRAL_ENTRY:
                raise ValueError(f"{path}: a central directory entry is not where the zip says")
            fh.seek(-34, 1)  # back to byte 12 of the entry
            fh.write(_FIXED_TIME)
            name, extra, comment = struct.unpack("<HHH", head[28:34])
            fh.seek(30 + name + extra + comment, 1)  # past bytes 16–45 and the entry's own fields

"""A file given to kvalitet that is no table it reads, as an adviser ends up with one: a workbook
saved as Excel 97–2003 (.xls) or from LibreOffice (.ods), a zip of downloads, a web page saved
instead of its table (an error page of a failed download), a PDF. Each was "not a table the
product knows (… a title row above the header?)" or, for a zip, "the content is a xlsx file …
(rename the file to end in .xlsx)": a rename that makes nothing readable (a bad-input hunt,
2026-12-05). Each is now said as what it is, with what to do, exit 1, no traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.conftest import cli_in_process

#: The first bytes of an OLE2 compound file, as every Excel 97–2003 workbook begins (MS-CFB 2.2).
OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")


def ole2(path: Path) -> Path:
    path.write_bytes(OLE2 + b"\x00" * 16 + bytes.fromhex("3E000300FEFF0900") + b"\x00" * 488)
    return path


def ods(path: Path) -> Path:
    """An OpenDocument spreadsheet's shape: a zip whose first member, stored, is "mimetype"."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest/>')
    return path


def zipped_csv(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("dbh_t123.csv", "Institusjonskode,Avdelingskode,Årstall,Antall totalt\n1150,000000,2019,121\n")
    return path


def docx(path: Path) -> Path:
    """A Word document's shape: a zip with word/document.xml."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return path


def html(path: Path) -> Path:
    path.write_text(
        '<!DOCTYPE html>\n<html lang="no"><head><title>502 Bad Gateway</title></head>\n'
        "<body><h1>502 Bad Gateway</h1></body></html>\n",
        encoding="utf-8",
    )
    return path


def pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    return path


@pytest.mark.parametrize(
    ("name", "make", "what", "hint"),
    [
        ("dbh_t123.xls", ole2, "an Excel 97–2003 workbook", "save it as .xlsx"),
        # saved as .xls and renamed, or Excel's "Save As" with the old type and a .csv name
        ("dbh_t123.csv", ole2, "an Excel 97–2003 workbook", "save it as .xlsx"),
        ("dbh_t123.ods", ods, "an OpenDocument spreadsheet", "save it as .xlsx or .csv"),
        ("dbh_t123.xlsx", ods, "an OpenDocument spreadsheet", "save it as .xlsx or .csv"),
        ("dbh_t123.zip", zipped_csv, "a zip archive", "unzip it"),
        ("dbh_t123.csv", zipped_csv, "a zip archive", "unzip it"),
        ("kvalitetsmelding_tabell.docx", docx, "a Word document", "copy the table into Excel"),
        ("dbh_t123.csv", html, "a web page (HTML)", "download the table again"),
        ("dbh_t123.json", html, "a web page (HTML)", "download the table again"),
        ("dbh_t123.pdf", pdf, "a PDF document", "download the table itself"),
    ],
)
@pytest.mark.parametrize("kind", [None, "dbh-123-csv"])
def test_a_file_that_is_no_table_read_is_said_as_what_it_is(tmp_path, capsys, name, make, what, hint, kind):
    """With --kind too: it was "the file has a header row but no data rows" or "required column
    is missing (the header row has: <!DOCTYPE html>…)"."""
    path = make(tmp_path / name)
    rc, out, err = cli_in_process(capsys, "validate", *(["--kind", kind] if kind else []), path)
    assert rc == 1
    assert "Traceback" not in out + err
    said = [line for line in (out + err).splitlines() if line.startswith(f"{path}:")]
    assert len(said) == 1, out + err
    assert said[0].startswith(f"{path}:-:-: "), said[0]
    assert f" — {what}" in said[0] and f"({hint}" in said[0], said[0]
    assert "rename the file to end in .xlsx" not in said[0] and "title row" not in said[0]


@pytest.mark.parametrize("suffix", [".xls", ".ods", ".numbers"])
def test_a_text_table_whose_name_ends_in_another_tables_format_is_read_by_its_content(
    tmp_path, real_file, capsys, suffix
):
    """The other side: a file is said to be in a format not read by what it holds, not by its
    name alone. The seed's admission table as text with a name ending in .xls (as web pages
    have offered a CSV for "Excel") was read, as it is under its own name; it was refused as
    "a table in a format that is not read (save it as .xlsx …)" (a second reader,
    2026-12-05)."""
    source = real_file("seed_hovedopptak_andel_kvinner_2007_2018.csv")
    path = tmp_path / f"seed_hovedopptak{suffix}"
    path.write_bytes(source.read_bytes())
    as_named = cli_in_process(capsys, "validate", source)
    rc, out, err = cli_in_process(capsys, "validate", path)
    assert (rc, out.replace(str(path), "FILE")) == (as_named[0], as_named[1].replace(str(source), "FILE"))
    assert rc == 0


def encrypted_workbook(path: Path) -> Path:
    """An encrypted workbook's shape (MS-OFFCRYPTO 2.3.4: an .xlsx with a password, or under a
    sensitivity label that encrypts it, is an OLE2 compound file whose streams are
    "EncryptionInfo" and "EncryptedPackage", the workbook's zip encrypted): the OLE2 header, its
    first directory sector at sector 0 (header offset 0x30), and that sector's entries."""
    header = bytearray(OLE2 + b"\x00" * 16 + bytes.fromhex("3E000300FEFF0900") + b"\x00" * 488)
    header[0x30:0x34] = (0).to_bytes(4, "little")

    def entry(name: str, kind: int) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le")
        return encoded.ljust(64, b"\x00") + len(encoded).to_bytes(2, "little") + bytes([kind]) + b"\x00" * 61

    directory = entry("Root Entry", 5) + entry("EncryptionInfo", 2) + entry("EncryptedPackage", 2) + b"\x00" * 128
    path.write_bytes(bytes(header) + directory + b"\x00" * 4096)
    return path


@pytest.mark.parametrize("kind", [None, "sb-respondents"])
def test_an_encrypted_workbook_is_said_to_be_encrypted_not_an_excel_97_2003_workbook(tmp_path, capsys, kind):
    """An .xlsx with a password or an encrypting sensitivity label begins as an Excel 97–2003
    workbook does (OLE2): it was "an Excel 97–2003 workbook (.xls) … (save it as .xlsx …)", of a
    file whose name ends in .xlsx (a second reader, 2026-12-05: a workbook encrypted by
    msoffcrypto-tool was said so). Said as encrypted, with what to do."""
    path = encrypted_workbook(tmp_path / "studiebarometeret_2025_respondenter.xlsx")
    rc, out, err = cli_in_process(capsys, "validate", *(["--kind", kind] if kind else []), path)
    assert rc == 1
    assert "Traceback" not in out + err
    said = [line for line in (out + err).splitlines() if line.startswith(f"{path}:")]
    assert len(said) == 1, out + err
    assert said[0].startswith(f"{path}:-:-: '.xlsx' — an encrypted "), said[0]
    assert "97–2003" not in said[0] and "(remove the password" in said[0], said[0]

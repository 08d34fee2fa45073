"""An executed notebook is the same file whatever the machine's load: the kernel sends a cell's
printed lines in as many pieces as its flushes fell, and a fresh-clone CI run (2026-12-04) had
"… skrevet til …" in one piece in one build and two in the other, so the two builds' executed
notebooks differed. ``make_reproducible`` makes each run of one stream one output."""

from __future__ import annotations

import nbformat

from analysis.report.notebooks import make_reproducible


def _notebook(path, outputs) -> None:
    cell = nbformat.v4.new_code_cell("print(...)")
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)


def _stream(name: str, text: str) -> dict:
    return {"output_type": "stream", "name": name, "text": text}


def test_a_cells_printed_lines_are_one_output_per_stream_however_they_were_sent(tmp_path):
    figure = {"output_type": "display_data", "data": {"text/plain": "fig"}, "metadata": {}}
    pieces, whole = tmp_path / "pieces.ipynb", tmp_path / "whole.ipynb"
    # sent in pieces: stdout "Figurene er skrevet til " + "…\n", a warning, stdout again, a figure
    _notebook(
        pieces,
        [
            _stream("stdout", "Figurene er skrevet til "),
            _stream("stdout", "…\n"),
            _stream("stderr", "advarsel\n"),
            _stream("stdout", "ferdig\n"),
            figure,
        ],
    )
    # the same lines as one flush would have sent them
    _notebook(
        whole,
        [
            _stream("stdout", "Figurene er skrevet til …\n"),
            _stream("stderr", "advarsel\n"),
            _stream("stdout", "ferdig\n"),
            figure,
        ],
    )
    for path in (pieces, whole):
        make_reproducible(path)
    (cell,) = nbformat.read(pieces, as_version=4).cells
    # a stream interrupted by another stays apart: the order of what was printed is kept
    assert [(o["output_type"], o.get("name"), o.get("text")) for o in cell.outputs] == [
        ("stream", "stdout", "Figurene er skrevet til …\n"),
        ("stream", "stderr", "advarsel\n"),
        ("stream", "stdout", "ferdig\n"),
        ("display_data", None, None),
    ]
    assert pieces.read_bytes() == whole.read_bytes()


def test_the_builds_scratch_folder_is_named_as_the_report_folder_it_becomes(tmp_path):
    """The executed copies ran with the build's private scratch folder as ``out_dir`` (a new
    random name each build, removed after it): published, they name the report folder, in the
    parameter cell (a Windows path's backslashes doubled there, as papermill writes a Python
    string), in what a cell printed and in papermill's record of the parameters."""
    scratch, report = r"C:\Users\rådgiver\.rapport.kvalitet-tmp-1a2b3c4d\out", r"C:\Users\rådgiver\rapport"
    parameters = nbformat.v4.new_code_cell('out_dir = "' + scratch.replace("\\", "\\\\") + '"')
    printed = nbformat.v4.new_code_cell("print(...)")
    printed.outputs = [nbformat.from_dict(_stream("stdout", f"skrevet til {scratch}\\figures\n"))]
    nb = nbformat.v4.new_notebook(cells=[parameters, printed])
    nb.metadata["papermill"] = {"parameters": {"out_dir": scratch, "year": 2025}}
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    make_reproducible(path, {scratch: report})
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].source == 'out_dir = "C:\\\\Users\\\\rådgiver\\\\rapport"'
    assert nb.cells[1].outputs[0]["text"] == "skrevet til C:\\Users\\rådgiver\\rapport\\figures\n"
    assert nb.metadata["papermill"]["parameters"] == {"out_dir": report, "year": 2025}
    assert "kvalitet-tmp" not in path.read_text(encoding="utf-8")


def test_a_path_inside_another_is_named_as_itself(tmp_path):
    """The report build names the data folder and the settings file by their names; a settings
    file kept in the data folder is named ``kvalitet.toml``, not ``raw/kvalitet.toml`` (the data
    folder renamed inside its path first), whichever order the two are given in."""
    folder, config = "/home/ola/raw", "/home/ola/raw/kvalitet.toml"
    cell = nbformat.v4.new_code_cell(f'data_dir = "{folder}"\nconfig = "{config}"')
    path = tmp_path / "nb.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    make_reproducible(path, {folder: "raw", config: "kvalitet.toml"})
    assert nbformat.read(path, as_version=4).cells[0].source == 'data_dir = "raw"\nconfig = "kvalitet.toml"'


def test_a_folder_with_letters_beyond_ascii_is_renamed_in_the_cell_papermill_injects(tmp_path):
    """papermill writes a string parameter as a Python literal with every letter beyond ASCII
    escaped (``"/home/ola/r\\xe5data"``): an adviser's folder named with æ, ø or å, or a Windows
    path's backslashes, is in the injected cell in that form only. The executed copies named the
    adviser's data folder and the build's scratch folder there, in full, in every notebook of a
    report built under ``/home/Ola Nordmann æøå/…``. Made here by papermill itself."""
    from papermill.parameterize import parameterize_notebook

    folder, scratch = "/home/Ola Nordmann æøå/rådata", "/home/Ola Nordmann æøå/.rapport.kvalitet-tmp-1a2b3c4d/out"
    windows = r"C:\Users\Åse Ødegård\innstillinger.toml"
    defaults = nbformat.v4.new_code_cell('data_dir = ""\nout_dir = ""\nconfig = ""')
    defaults.metadata["tags"] = ["parameters"]
    nb = nbformat.v4.new_notebook(cells=[defaults])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["papermill"] = {}  # (as papermill's execute_notebook prepares it)
    injected = parameterize_notebook(nb, {"data_dir": folder, "out_dir": scratch, "config": windows})
    path = tmp_path / "nb.ipynb"
    nbformat.write(injected, path)
    make_reproducible(path, {folder: "rådata", scratch: "rapport", windows: "innstillinger.toml"})
    nb = nbformat.read(path, as_version=4)
    (cell,) = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    values: dict = {}
    exec(cell.source, values)  # the cell as the notebook runs it
    assert (values["data_dir"], values["out_dir"], values["config"]) == ("rådata", "rapport", "innstillinger.toml")
    text = path.read_text(encoding="utf-8")
    for part in ("Nordmann", "kvalitet-tmp", "Users"):
        assert part not in text, part

"""The quality report: data for one institution and year (:mod:`.data`), the outline, figure
set, tables and findings (:mod:`.content`, blocks in :mod:`.document`), the page
(:mod:`.html`), the Word document (:mod:`.word`), the tables for people (:mod:`.tables`,
:mod:`.workbook`) and the build that executes the notebooks and writes ``build/report``
(:mod:`.build`)."""


def skip_slow_optional_imports() -> None:
    """Keep jsonschema from loading its optional IRI checker (``rfc3987_syntax``).

    plotly's renderers and papermill import nbformat, whose validator imports jsonschema,
    which — when the optional ``rfc3987_syntax`` package is installed (JupyterLab pulls it in)
    — builds a parser grammar at import: 1.6 s in every notebook kernel and in the report
    build. Notebooks and nbformat never validate "iri" formats, so the checker is left out
    (jsonschema then skips that format, as when the package is absent). Call before plotly's
    renderers or papermill are imported.
    """
    import sys

    sys.modules.setdefault("rfc3987_syntax", None)  # None: "import rfc3987_syntax" raises ImportError

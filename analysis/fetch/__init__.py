"""Data from the source: HK-dir's DBH-API into ``data/raw`` (``kvalitet fetch``).

``dbh`` builds a query and checks an answer, ``presets`` holds the queries the report needs,
``store`` keeps every answer verbatim with its provenance, all or nothing.
"""

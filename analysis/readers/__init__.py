"""One reader per real format. ``read_path`` detects the kind of a file from its content.

Every reader returns a :class:`ReadResult` whose frame has passed its pandera contract, or
raises :class:`analysis.errors.InputError` listing every problem found.

Kinds and the validated dataset each one feeds:

============================  ==================  ==========================================
kind                          dataset             format
============================  ==================  ==========================================
dbh-123-json / -csv           gender              DBH table 123 registered students, any grouping
dbh-110-json / -csv           gender              DBH table 110 new students
dbh-112-json / -csv           gender              DBH table 112 admissions
dbh-132-json / -csv           gender              DBH table 132 applications
dbh-379-json / -csv           gender              DBH table 379 applicants … met, long by Kjønn
dbh-210-json / -csv           faculties           DBH table 210 (department -> faculty)
dbh-347-json / -csv           programmes          DBH table 347 study programmes (name, NUS)
dbh-457-json / -csv           departments         DBH table 457 department names per year
dbh-211-json / -csv           institutions        DBH table 211 institution names
dbh-query                     dbh_queries         a DBH-API query body kept with an export
samordna-keyfigures           gender (+ admissions) Samordna opptak key-figure export
samordna-sample               gender (+ admissions) the shared programme-level sample
seed-admission                gender              programme × year share of women admitted
seed-integration              integration_extract the 2017 integration extract
sb-respondents                survey_respondents  NOKUT respondent-level raw data
sb-portal-index               portal_index        studiebarometeret.no index view
sb-portal-items               portal_items        studiebarometeret.no item view
sb-portal-history             portal_history      studiebarometeret.no /tidsserie view
sb-portal-dbh-facts           portal_dbh_facts    "Bakgrunnsopplysninger fra DBH"
sb-variables                  survey_variables    NOKUT variable list
shot-indicators               shot                SHoT indicator table
============================  ==================  ==========================================

DBH JSON and CSV of the same table are one format each (``analysis.readers.dbh``,
``analysis.readers.dbh_programmes``); which table a file is comes from its status object, its
query (``analysis.readers.dbh_query``) or its header.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["KINDS", "ReadResult", "detect_kind", "read_path"]

if TYPE_CHECKING:
    from analysis.readers.base import ReadResult
    from analysis.readers.detect import KINDS, detect_kind, read_path


def __getattr__(name: str) -> object:
    # loaded when first asked for: a module of the package (e.g. ``analysis.readers.kinds``,
    # which the command line's parser reads) is imported without the readers
    if name in __all__:
        from analysis.readers import base, detect

        return getattr(base if name == "ReadResult" else detect, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

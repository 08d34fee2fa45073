"""One reader per real format. ``read_path`` detects the kind of a file from its content.

Every reader returns a :class:`ReadResult` whose frame has passed its pandera contract, or
raises :class:`analysis.errors.InputError` listing every problem found.

Kinds and the validated dataset each one feeds:

==========================  ==================  ==========================================
kind                        dataset             format
==========================  ==================  ==========================================
dbh-123-json                gender              DBH-API hentJSONTabellData, table 123
dbh-123-csv                 gender              DBH-API hentCSVTabellData (or converted)
dbh-210-json                faculties           DBH-API table 210 (department -> faculty)
dbh-210-csv                 faculties           table 210 as CSV / the faculty name list
samordna-keyfigures         gender (+ admissions) Samordna opptak key-figure export
samordna-sample             gender (+ admissions) the shared programme-level sample
seed-admission              gender              programme × year share of women admitted
seed-integration            integration_extract the 2017 integration extract
sb-respondents              survey_respondents  NOKUT respondent-level raw data
sb-portal-index             portal_index        studiebarometeret.no index view
sb-portal-items             portal_items        studiebarometeret.no item view
sb-portal-history           portal_history      studiebarometeret.no /tidsserie view
sb-portal-dbh-facts         portal_dbh_facts    "Bakgrunnsopplysninger fra DBH"
sb-variables                survey_variables    NOKUT variable list
shot-indicators             shot                SHoT indicator table
==========================  ==================  ==========================================
"""

from __future__ import annotations

from analysis.readers.base import ReadResult
from analysis.readers.detect import KINDS, detect_kind, read_path

__all__ = ["KINDS", "ReadResult", "detect_kind", "read_path"]

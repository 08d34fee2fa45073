"""NOKUT's portal extract and NOKUT's respondent-level file of the same programme and year in one
data folder: the report shows both, the portal's index view per programme and the respondent
tables' cells, and each is protected apart (an attack on one report folder, 2026-12-05).

The data folder the product ships holds the portal extract (``studiebarometeret_2025_portal_*``);
an adviser who adds NOKUT's raw files gets a report with both views of the same answers.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis import paths

UNDERVISNING = ("underv_engasj_18", "underv_formidl_18", "underv_pensum_18", "underv_aktiv_18")
PORTAL = "studiebarometeret_2025_portal_index_sample.csv"


def respondents() -> pd.DataFrame:
    """Programme MAAR of NTNU (the portal's ``1150_maar-trondheim``), 2025: six respondents,
    two of whom answered two of undervisning's four items only (more than ``index_max_missing``
    = 1 missing: no index value), so its undervisning index is of four; and a programme of 20."""
    rows = []
    for programme, n, skipping in (("MAAR", 6, 2), ("MTBYGG", 20, 0)):
        for k in range(n):
            answers = {item: 1 + (k + j) % 5 for j, item in enumerate(UNDERVISNING)}
            if k < skipping:
                answers |= {UNDERVISNING[0]: None, UNDERVISNING[1]: None}
            rows.append({"institusjonskode": "1150", "studprog_kod": programme, "aar": 2025, **answers})
    return pd.DataFrame(rows)


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason='README "Not guarded": the portal\'s programme values beside the respondent tables',
)
def test_the_portal_shows_no_index_the_respondent_tables_hide_as_too_few(tmp_path):
    """Open: the respondent tables hide MAAR's undervisning index of 2025 for its 4 respondents
    with an index value (primary, 4 < 5), while the portal extract's row of the same programme
    and year, 6 respondents by the portal's count, passes the product's minimum and the report
    draws its value (3.9, NOKUT's one decimal) in the portal chart of the same report. The
    portal's rule counts the programme's respondents; the respondent tables count those with an
    index value, and only they know it. Matching the two needs the portal's ``sb_id``
    (``1150_maar-trondheim``) tied to the raw data's ``studprog_kod`` (MAAR), which nothing in the
    product does."""
    from analysis.report.data import load_report_data

    raw = tmp_path / "raw"
    raw.mkdir()
    portal = (paths.RAW / PORTAL).read_text(encoding="utf-8")
    six = "2025,1150_maar-trondheim,1150,Arkitektur (master 5 år),Master,6,"
    portal = portal.replace("2025,1150_maar-trondheim,1150,Arkitektur (master 5 år),Master,27,", six)
    assert six in portal
    (raw / PORTAL).write_text(portal, encoding="utf-8")
    shutil.copy(paths.RAW / "studiebarometeret_2025_portal_dbh_facts_sample.csv", raw)
    respondents().to_csv(raw / "sb_respondenter_2025.csv", index=False)

    data = load_report_data(raw, 2025, "1150")
    indices = data.survey_indices
    assert indices is not None
    maar = indices[(indices["unit_code"] == "MAAR") & (indices["index_name"] == "undervisning")].iloc[0]
    assert maar["suppressed"] and maar["suppression"] == "primary"  # 4 with an index value
    portal_index = data.portal_index
    assert portal_index is not None
    row = portal_index[
        (portal_index["sb_id"] == "1150_maar-trondheim") & (portal_index["dimension_key"] == "undervisning")
    ].iloc[0]
    assert row["respondents"] == 6
    # the same cell, by the product's own count of too few, is not drawn from the portal either
    assert pd.isna(row["value"]) and bool(row["suppressed"]), row.to_dict()

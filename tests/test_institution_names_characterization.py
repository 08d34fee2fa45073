"""Characterization: which institution a text names, and the names of an institution, over the
real data — every SHoT group and remark in ``data/raw/shot*.csv``, every institution of DBH's
national table-123 export and the 2017 integration extract's institution rows.

The expected answers (``fixtures/institution_names_characterization.json``) are the answers the
product gave before the rules were made one (SHoT's ``scope_of`` and ``names_institution``, the
report's ``own_institution_names`` and the integration section's own spellings). They are not
derived by hand: they hold the classification steady while the code moves. Rewrite the file
(``python tests/test_institution_names_characterization.py``) only for a change whose every
differing answer is explained in its commit. Changed so far: the 11 names DBH gives an institution
without a word of its kind ("Noroff", "Barratt Due Musikkinstitutt", "… musikkonservatorium")
name an institution, as a SHoT group and in a text: DBH lists them as institutions. A part of a
name that DBH gives another code too is no longer a name of 1402, 1403 ("Høyskolen Kristiania",
8253's), 1142 and 1145 ("Unit", both's). An institution's known abbreviation is its name
(HVL 0238, INN 0264, USN 1176 …: only their own names change, no answer on a text).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.institutions import SHORT_NAMES, names_an_institution, names_of
from analysis.metrics.wellbeing import remark_part, scope_of, without_others_remarks
from analysis.report.data import ReportData
from analysis.report.integration_section import integration_scores
from analysis.settings import load_settings

EXPECTED = Path(__file__).parent / "fixtures" / "institution_names_characterization.json"
NATIONAL = paths.RAW / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"
EXTRACT = paths.RAW / "seed_studiebarometeret_2017_integrering.csv"


@lru_cache(maxsize=1)
def _national() -> pd.DataFrame:
    """Every institution's rows of the national export, under the flags' column names."""
    df = pd.read_csv(
        NATIONAL,
        sep=";",
        dtype=str,
        keep_default_na=False,
        encoding="utf-8-sig",
        usecols=["Institusjonskode", "Institusjonsnavn", "Avdelingskode", "Avdelingsnavn"],
    ).drop_duplicates()
    return df.rename(
        columns={
            "Institusjonskode": "institution_code",
            "Institusjonsnavn": "institution_name",
            "Avdelingskode": "unit_code",
            "Avdelingsnavn": "unit_name",
        }
    )


def _shot() -> pd.DataFrame:
    frames = [pd.read_csv(f, dtype=str, keep_default_na=False) for f in sorted(paths.RAW.glob("shot*.csv"))]
    return pd.concat(frames, ignore_index=True)


def _integration_own(code: str, short: str, own: tuple[str, ...], extract: pd.DataFrame) -> list[str]:
    """The extract's institution rows the report of ``code`` takes as its own."""
    data = ReportData(
        year=2017,
        institution=code,
        institution_short=short,
        data_dir=paths.RAW,
        validated={},
        reference={},
        flags=pd.DataFrame(),
        integration=extract,
        survey=None,
        wellbeing=None,
        portal_index=None,
        portal_history=None,
        settings=load_settings(),
        own_names=own,
    )
    scores, own, _group = integration_scores(data)
    assert scores is not None
    return sorted(set(extract.loc[scores["institution"] == own, "institution"])) if own else []


def answers() -> dict:
    """Today's answers over the real data (see the module docstring)."""
    shot = _shot()
    national = _national()
    names = sorted(set(national["institution_name"]))
    groups = sorted(set(shot["gruppe"]))
    texts = sorted({*groups, *names})
    scope, place, gender = scope_of(pd.Series(texts, dtype="str"))
    notes = sorted({n for n in shot["definisjon_merknad"] if n})
    remarks = sorted({r for r in remark_part(pd.Series(notes, dtype="str")) if r})
    extract = pd.read_csv(EXTRACT, sep=";", dtype=str).rename(columns={"Institusjon": "institution"})
    extract = extract[["institution"]].assign(source="extract")

    institutions = {}
    for code, rows in national.groupby("institution_code", sort=True):
        own = names_of(code, rows)
        short = SHORT_NAMES.get(code) or str(rows["institution_name"].mode().iloc[0])
        kept = without_others_remarks(pd.Series(notes, dtype="str"), own)
        kept_remarks = without_others_remarks(pd.Series(remarks, dtype="str"), own, definitions=False)
        institutions[code] = {
            "own_names": list(own),
            # only the notes and remarks whose answer is not the text itself, to keep the file short
            "notes_changed": {n: (None if pd.isna(k) else k) for n, k in zip(notes, kept) if k != n},
            "remarks_changed": {r: (None if pd.isna(k) else k) for r, k in zip(remarks, kept_remarks) if k != r},
            "integration_own_rows": _integration_own(code, short, own, extract),
        }
    return {
        "scope_of": {
            t: [s, None if pd.isna(p) else p, g] for t, s, p, g in zip(texts, scope, place, gender, strict=True)
        },
        "names_institution": {t: names_an_institution(t) for t in sorted({*texts, *notes, *remarks})},
        "institutions": institutions,
    }


def test_which_institution_a_real_text_names_is_as_before():
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    now = answers()
    for part in ("scope_of", "names_institution"):
        assert now[part] == expected[part], part
    assert now["institutions"].keys() == expected["institutions"].keys()
    for code, answer in expected["institutions"].items():
        assert now["institutions"][code] == answer, code


def test_the_integration_extract_s_rows_are_each_institution_s_whose_dbh_name_they_are():
    """By hand from the extract (NTNU, Kunsthøgskolen, Politihøgskolen, Steinerhøgskolen,
    Høgskolen i Østfold, Musikkteaterhøgskolen, Norges dansehøgskole) and DBH's names
    (``data/reference/dbh_institusjonsnavn.csv``): NTNU's report (1150) owns the NTNU rows by its
    known short name; Politihøgskolen (1301) and Høgskolen i Østfold (0256) own theirs by DBH's
    name; Steinerhøyskolen (8225), Musikkteaterhøyskolen (8235) and Norges dansehøyskole (8228)
    theirs by DBH's name written with "høy-" where the extract writes "høg-" (one word, two
    spellings: they owned none). "Kunsthøgskolen" is not DBH's "Kunsthøgskolen i Oslo" (6220):
    a name cut short is not guessed. UiB, UiO and the rest own none."""
    owned = {
        code: a["integration_own_rows"] for code, a in answers()["institutions"].items() if a["integration_own_rows"]
    }
    assert owned == {
        "1150": ["NTNU"],
        "1301": ["Politihøgskolen"],
        "0256": ["Høgskolen i Østfold"],
        "8225": ["Steinerhøgskolen"],
        "8235": ["Musikkteaterhøgskolen"],
        "8228": ["Norges dansehøgskole"],
    }


if __name__ == "__main__":
    EXPECTED.write_text(json.dumps(answers(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")

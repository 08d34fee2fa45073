"""Synthetic data at national scale, reproducible from a seed.

Two generators, for benchmarks and for tests that need more rows than the real samples have:

* :func:`generate_respondents` — Studiebarometeret respondent-level raw data in the layout the
  ingest reads (``institusjonskode``, ``fakultetskode``, ``studprog_kod``, ``aar``, one column
  per NOKUT item variable; 1–5, ``9999`` = "vet ikke", blanks). The shape is meant to look like
  the real thing: programme sizes are skewed (log-normal), items that belong to one index are
  correlated (a programme effect and a respondent effect per index block, plus a general
  satisfaction factor), about 5 % "vet ikke" and some blanks, and a few programmes so small that
  they fall below the minimum n.
* :func:`generate_dbh123` — a national DBH-API table-123 response (registered students,
  institutions × departments × years) in the exact layout of ``hentJSONTabellData`` with the
  status object first, every data value a string, and small cells suppressed the way DBH
  suppresses them (kvinner = menn = 0 while totalt > 0).

Nothing here is real data; every value is drawn from a seeded generator.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from schemas.survey_layout import FACULTY_KEY, FIRST_YEAR, INSTITUTION_KEY, PROGRAMME_KEY, YEAR_KEY

if TYPE_CHECKING:  # numpy and pyarrow load when data is generated (the CLI lists the items without them)
    import numpy as np
    import pyarrow as pa

# NOTE: NOKUT item variable names from the variable list
# data/raw/studiebarometeret_variabler_2021_2025_fra_oslomet_maler.csv (the names matching
# schemas.studiebarometeret.ITEM_NAME: its 60 questions on the 1–5 scale, not those of
# schemas.survey_layout.NOT_ON_THE_SCALE), grouped by block (the name's first word), copied here so
# that the generator does not depend on the file being present. Blocks that make up the
# portal's indices come first, so that a generated file with K items covers whole indices.
ITEM_BLOCKS: dict[str, tuple[str, ...]] = {
    "overord": ("overord_altialt_13",),
    "underv": ("underv_engasj_18", "underv_formidl_18", "underv_pensum_18", "underv_aktiv_18"),
    "tilbveil": ("tilbveil_antall_16", "tilbveil_konstru_13", "tilbveil_student_18", "tilbveil_fagdisk_18"),
    "vurd": ("vurd_pensum_13", "vurd_forstaelse_13", "vurd_kriterier_17", "vurd_fagutv_17"),
    "miljo": (
        "miljo_sosial_13",
        "miljo_fag_13",
        "miljo_studans_15",
        "miljo_lokaler_13",
        "miljo_biblio_13",
        "miljo_ikt_13",
    ),
    "organ": ("organ_tilgjinfo_17", "organ_kvalinfo_17", "organ_admtilr_17", "organ_fagligsam_17"),
    "yrkrel": ("yrkrel_bruk_18", "yrkrel_bransje_18", "yrkrel_formidle_19", "yrkrel_bidrar_19", "yrkrel_prosjekt_19"),
    "egeteng": ("egeteng_motivert_14", "egeteng_orgakt_14", "egeteng_forberedt_14", "egeteng_innsats_14"),
    "forvent": ("forvent_klare_16", "forvent_forberedt_16", "forvent_deltar_16", "forvent_fagamb_16"),
    "laerutb": (
        "laerutb_teori_13",
        "laerutb_metforsk_13",
        "laerutb_egenerf_13",
        "laerutb_fagspes_13",
        "laerutb_refleks_13",
        "laerutb_samarb_13",
        "laerutb_muntkom_13",
        "laerutb_skriftkom_13",
        "laerutb_tenke_13",
        "laerutb_selvst_13",
    ),
    "praksis": (
        "praksis_forber_14",
        "praksis_passetinn_19",
        "praksis_veil_20",
        "praksis_laerutb_20",
        "praksis_relevant_19",
        "praksis_grunnlagdisk_19",
        "praksis_inf_19",
    ),
    "digitale": ("digitale_aktivt_18", "digitale_kompet_18", "digitale_opplaer_18", "digitale_laerplatt_18"),
    "medvirk": ("medvirk_innspill_18",),
    "opplaer": ("opplaer_ki_24",),
    "ki": ("ki_retningslinjer_25",),
}
ALL_ITEMS: tuple[str, ...] = tuple(name for names in ITEM_BLOCKS.values() for name in names)

LAST_SURVEY_YEAR = 2025
#: Share of answers coded "vet ikke" and left blank (before the per-item spread).
DONT_KNOW_SHARE = 0.05
BLANK_SHARE = 0.015
#: Share of programmes made tiny so that they fall below the minimum n in most years.
TINY_PROGRAMME_SHARE = 0.03


def item_names(n_items: int) -> list[str]:
    """The first ``n_items`` NOKUT item names, whole index blocks first."""
    if not 1 <= n_items <= len(ALL_ITEMS):
        raise ValueError(f"items must be between 1 and {len(ALL_ITEMS)} (NOKUT names available), got {n_items}")
    return list(ALL_ITEMS[:n_items])


def block_of(item: str) -> str:
    """The block an item belongs to: the first word of its variable name (``underv``)."""
    return item.split("_", 1)[0]


def index_config(items: list[str]) -> dict[str, tuple[str, ...]]:
    """Index name -> items: one index per block with all its items among ``items``.

    Used by the benchmark when no configuration is given; the product reads its indices from
    ``config/kvalitet.toml``.
    """
    chosen = set(items)
    return {block: names for block, names in ITEM_BLOCKS.items() if set(names) <= chosen}


def _unit_codes(n_programmes: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Programme, faculty and institution code per programme (strings with leading zeros)."""
    import numpy as np

    n_institutions = max(1, round(n_programmes / 60))
    # Some institution codes start with 0 (DBH has e.g. 0232); they must survive as strings.
    inst_numbers = np.where(
        np.arange(n_institutions) % 4 == 3, 200 + np.arange(n_institutions), 1110 + 10 * np.arange(n_institutions)
    )
    institutions = np.array([f"{c:04d}" for c in inst_numbers], dtype=object)
    inst_of = np.sort(rng.integers(0, n_institutions, n_programmes))
    faculty_number = rng.integers(0, 8, n_programmes)
    # NOTE: a faculty code is three digits and only unique within its institution (DBH's
    # Fakultetskode, the first three digits of Avdelingskode); "010" keeps its leading zero.
    faculties = np.array([f"{(f + 1) * 10:03d}" for f in faculty_number], dtype=object)
    prefixes = ("BA", "MA", "MTDT", "LU", "BIT", "MSC")
    programmes = np.array(
        [f"{k:06d}" if k % 3 == 0 else f"{prefixes[k % len(prefixes)]}{k:04d}" for k in range(n_programmes)],
        dtype=object,
    )
    return programmes, faculties[np.arange(n_programmes)], institutions[inst_of]


def generate_respondents(
    n_respondents: int,
    n_items: int = 60,
    n_programmes: int = 2000,
    n_years: int = 10,
    seed: int = 0,
    unit_codes: bool = True,
) -> pa.Table:
    """Respondent-level Studiebarometeret answers as an Arrow table (one row per respondent).

    Args:
        n_respondents: rows to generate.
        n_items: item columns, NOKUT names (whole index blocks first; at most 86).
        n_programmes: study programmes; each runs every year, with a log-normal size.
        n_years: survey years, ending with 2025.
        seed: the same seed gives the same table.
        unit_codes: also write ``institusjonskode`` and ``fakultetskode`` (for rollups).

    Returns:
        Columns ``[institusjonskode, fakultetskode,] studprog_kod, aar, <items>``; items are
        int16 with nulls for blanks and ``9999`` for "vet ikke". Rows are sorted by year and
        programme, the way an annual delivery is usually ordered.
    """
    import numpy as np
    import pyarrow as pa

    from analysis.settings import DONT_KNOW_CODE, LIKERT_MAX, LIKERT_MIN

    if not 1 <= n_years <= LAST_SURVEY_YEAR - FIRST_YEAR + 1:
        raise ValueError(f"years must be between 1 and {LAST_SURVEY_YEAR - FIRST_YEAR + 1}")
    if n_programmes < 1 or n_respondents < 0:
        raise ValueError("need at least one programme and a non-negative number of respondents")
    rng = np.random.default_rng(seed)
    items = item_names(n_items)
    blocks = sorted({block_of(i) for i in items})
    years = np.arange(LAST_SURVEY_YEAR - n_years + 1, LAST_SURVEY_YEAR + 1, dtype=np.int16)

    # Skewed programme sizes: log-normal weights, a few programmes made tiny on purpose.
    size = rng.lognormal(0.0, 1.0, n_programmes)
    tiny = rng.random(n_programmes) < TINY_PROGRAMME_SHARE
    size[tiny] *= 0.01
    group_weight = (size[None, :] * rng.uniform(0.8, 1.2, (n_years, n_programmes))).ravel()
    group = np.sort(rng.choice(group_weight.size, size=n_respondents, p=group_weight / group_weight.sum()))
    year_of = years[group // n_programmes]
    programme_of = (group % n_programmes).astype(np.int32)

    programmes, faculties, institutions = _unit_codes(n_programmes, rng)

    # Correlated answers: general satisfaction + programme effect per block + respondent
    # effect per block + item noise, rounded onto the 1–5 scale.
    general = rng.standard_normal(n_respondents, dtype=np.float32) * np.float32(0.45)
    programme_effect = {b: (rng.standard_normal(n_programmes) * 0.35).astype(np.float32) for b in blocks}
    columns: dict[str, pa.Array] = {}
    if unit_codes:
        columns[INSTITUTION_KEY] = pa.DictionaryArray.from_arrays(
            pa.array(programme_of), pa.array(institutions.tolist(), pa.string())
        ).cast(pa.string())
        columns[FACULTY_KEY] = pa.DictionaryArray.from_arrays(
            pa.array(programme_of), pa.array(faculties.tolist(), pa.string())
        ).cast(pa.string())
    columns[PROGRAMME_KEY] = pa.DictionaryArray.from_arrays(
        pa.array(programme_of), pa.array(programmes.tolist(), pa.string())
    ).cast(pa.string())
    columns[YEAR_KEY] = pa.array(year_of, pa.int16())
    block_effect: dict[str, np.ndarray] = {}
    for item in items:
        b = block_of(item)
        if b not in block_effect:
            block_effect[b] = (
                general
                + programme_effect[b][programme_of]
                + rng.standard_normal(n_respondents, dtype=np.float32) * np.float32(0.6)
            )
        centre = np.float32(3.7 + rng.uniform(-0.5, 0.4))
        latent = block_effect[b] + centre + rng.standard_normal(n_respondents, dtype=np.float32) * np.float32(0.55)
        answer = np.clip(np.rint(latent), LIKERT_MIN, LIKERT_MAX).astype(np.int16)
        u = rng.random(n_respondents, dtype=np.float32)
        dont_know = DONT_KNOW_SHARE * rng.uniform(0.4, 1.6)
        answer[u < dont_know] = DONT_KNOW_CODE
        blank = u > 1 - BLANK_SHARE * rng.uniform(0.5, 1.5)
        columns[item] = pa.array(answer, pa.int16(), mask=blank)
        del latent, u
    return pa.table(columns)


def write_respondents(table: pa.Table, path: Path, delimiter: str = ";") -> None:
    """Write generated respondents as Parquet (by suffix ``.parquet``) or delimited CSV.

    CSV blanks are empty fields; codes are written unquoted as text (``000123``).
    """
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        pq.write_table(table, path)
    elif suffix in (".csv", ".txt"):
        pacsv.write_csv(table, path, pacsv.WriteOptions(delimiter=delimiter, quoting_style="needed"))
    else:
        raise ValueError(f"write .parquet or .csv, not {path.suffix!r}")


def generate_dbh123(
    n_institutions: int = 20,
    n_departments: int = 40,
    n_years: int = 7,
    seed: int = 0,
    suppress_below: int = 5,
) -> list[dict]:
    """A national DBH-API table-123 response: registered students per institution ×
    department × year, as ``hentJSONTabellData`` returns it (status object first).

    Departments have six-digit Avdelingskode whose first three digits are the faculty code;
    ``000000`` is the institution's "unspecified sub-unit". Cells where women or men are below
    ``suppress_below`` are suppressed the way DBH does it: kvinner and menn both ``"0"`` while
    totalt keeps its value. A few units are empty (all three counts 0).
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    years = range(LAST_SURVEY_YEAR - n_years + 1, LAST_SURVEY_YEAR + 1)
    rows: list[dict] = []
    for i in range(n_institutions):
        institution = f"{(200 + i) if i % 4 == 3 else (1110 + 10 * i):04d}"
        departments = ["000000"] + sorted(
            {
                f"{f}{d:03d}"
                for f, d in zip(rng.integers(110, 990, n_departments - 1), rng.integers(0, 999, n_departments - 1))
            }
        )
        size = rng.lognormal(4.0, 1.3, len(departments))
        share_women = np.clip(rng.beta(4, 4, len(departments)) + rng.normal(0, 0.15, len(departments)), 0.02, 0.98)
        for dept, s, w in zip(departments, size, share_women):
            for year in years:
                total = int(rng.poisson(s * rng.uniform(0.85, 1.15)))
                women = int(rng.binomial(total, w)) if total else 0
                men = total - women
                if total and min(women, men) < suppress_below:
                    women = men = 0  # DBH's suppression: both shown as 0, total kept
                rows.append(
                    {
                        "Årstall": str(year),
                        "Institusjonskode": institution,
                        "Avdelingskode": dept,
                        "Antall totalt": str(total),
                        "Antall kvinner": str(women),
                        "Antall menn": str(men),
                    }
                )
    status = {
        "status": {
            "tabell_id": 123,
            "api_versjon": 1,
            "leveransenr": int(rng.integers(1_000_000, 9_999_999)),
            "leveringstid": datetime(2026, 9, 23, 20, 17, 31, tzinfo=UTC).strftime("%Y-%m-%d %H:%M:%S"),
            "antall": len(rows),
            "returkode": 0,
            "melding": "Data levert (med skjerming for utvalgte rapporter).",
        }
    }
    return [status, *rows]


def write_dbh123(response: list[dict], path: Path) -> None:
    """Write a DBH-API response as the API serialises it (UTF-8, non-ASCII kept)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(response, ensure_ascii=False), encoding="utf-8")

"""Every user-facing word of the charts and the report, in Norwegian bokmål and English.

One place: chart functions, notebooks and the report call :func:`label`; the notebooks' own
text (their markdown cells, written in Norwegian in the notebooks) is here in English
(:data:`NOTEBOOK_TEXT`). A missing key is a
``KeyError`` (tests check every key has both languages); data values that may have no label
(an unknown SHoT indicator) go through :func:`value_label`, which falls back to the value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from analysis.gender_reasons import REASONS
from analysis.org_units import is_faculty_own_unit, not_all_departments
from analysis.output_tables import MARKING_LABELS
from analysis.settings import SCORE_DIGITS, Settings
from analysis.words import DEFAULT_LANG, LANGS, NOUNS, counted, noun  # noqa: F401  (the labels' nouns)

#: The DBH tables a reader exists for (analysis.readers.kinds), by their names on DBH, for the
#: words of the kinds of file: a table's JSON from the API and its CSV export are two kinds.
_DBH_FILE_TABLES = {
    110: {"nb": "110 Nye studenter", "en": "110 new students"},
    112: {"nb": "112 Opptak", "en": "112 admissions"},
    123: {"nb": "123 Registrerte studenter", "en": "123 registered students"},
    132: {"nb": "132 Søknader", "en": "132 applications"},
    379: {"nb": "379 Søkertall og møtte, etter kjønn", "en": "379 applicants, offers and met, by gender"},
    210: {"nb": "210 Avdelinger og fakulteter", "en": "210 departments and faculties"},
    347: {"nb": "347 Studieprogram", "en": "347 study programmes"},
    457: {"nb": "457 Organisasjonsenheter (instituttnavn)", "en": "457 organisational units (department names)"},
    211: {"nb": "211 Institusjoner", "en": "211 institutions"},
}
_DBH_FILE_FORMATS = {
    "json": {"nb": "DBH-API (JSON), tabell {table}", "en": "DBH API (JSON), table {table}"},
    "csv": {"nb": "DBH-eksport (CSV), tabell {table}", "en": "DBH export (CSV), table {table}"},
}

LABELS: dict[str, dict[str, str]] = {
    **NOUNS,
    # why a unit cannot be judged: the gender flags' reason and the report's words, one text
    **REASONS,
    # the columns that mark kvalitet's own output tables (read by the readers, analysis.output_tables)
    **MARKING_LABELS,
    # --- common ---
    "source": {"nb": "Kilde", "en": "Source"},
    "table": {"nb": "tabell", "en": "table"},
    "retrieved_unknown": {"nb": "hentedato ukjent", "en": "retrieval date unknown"},
    "retrieved_on": {"nb": "hentet {date}", "en": "retrieved {date}"},
    "retrieved_between": {"nb": "hentet mellom {first} og {last}", "en": "retrieved between {first} and {last}"},
    # after the date of a source's file whose name says it, of its files whose names say it, of
    # its files one or more of whose names say it (charts.common.Source.text picks one for the
    # number of files named); and its files no date is known of, beside the dated
    "dated_by_name": {"nb": "(ifølge filnavnet)", "en": "(as the file name says)"},
    "dated_by_names": {"nb": "(ifølge filnavnene)", "en": "(as the file names say)"},
    "dated_partly_by_name": {"nb": "(delvis ifølge filnavnet)", "en": "(partly as the file name says)"},
    "dated_partly_by_names": {"nb": "(delvis ifølge filnavnene)", "en": "(partly as the file names say)"},
    "retrieved_unknown_for": {
        "nb": "hentedato ukjent for {n} av {of} filer",
        "en": "retrieval date unknown for {n} of {of} files",
    },
    "year": {"nb": "År", "en": "Year"},
    "survey_year": {"nb": "Undersøkelsesår", "en": "Survey year"},
    "unknown": {"nb": "skjermet/ukjent", "en": "suppressed/unknown"},
    "suppressed": {"nb": "skjermet", "en": "suppressed"},
    "withheld": {"nb": "ikke vist (få svar)", "en": "withheld (few answers)"},
    "few_respondents": {"nb": "få svarende", "en": "few respondents"},
    # a total of 0: DBH writes fewer than SMALLEST_SHOWN (analysis.readers.dbh) students as 0
    "no_students": {"nb": "0–{most} studenter (skjermet)", "en": "0–{most} students (suppressed)"},
    "n": {"nb": "antall svar", "en": "responses"},
    "respondents": {"nb": "respondenter", "en": "respondents"},
    "response_rate": {"nb": "svarprosent", "en": "response rate"},
    "no_data": {"nb": "Ingen data for dette utvalget", "en": "No data for this selection"},
    "definition_changed": {"nb": "definisjon endret", "en": "definition changed"},
    "definition_break": {
        "nb": "brudd: definisjon endret eller usikker",
        "en": "break: definition changed or uncertain",
    },
    # an institution merger inside a series (analysis.series_breaks): the chart's marker, and the
    # note under the gender section that names what merged
    "series_break_marker": {"nb": "Sammenslåing {year}", "en": "Merger {year}"},
    "series_break_note": {
        "nb": "Brudd i tidsserien: fra {year} omfatter {name} også {merged} (sammenslåing). Institusjonens "
        "tall før og fra {year} gjelder ikke samme institusjon.",
        "en": "Break in the series: from {year} {name} includes {merged} as well (merger). The institution's "
        "figures before {year} and from it on are not of the same institution.",
    },
    # said after the last break's note only: the report year's figures count from it, not from an
    # earlier break
    "series_formed_note": {
        "nb": "{name} ble til i {year} ved sammenslåing av {merged}: tallene starter i {year}, og tallene "
        "før {year} står under de sammenslåtte institusjonenes egne koder.",
        "en": "{name} was formed in {year} by merging {merged}: its figures start in {year}, and the figures "
        "before {year} are under the merged institutions' own codes.",
    },
    "series_break_counted": {
        "nb": "«År på rad» og «utvikling» for institusjonen regnes fra {year}.",
        "en": 'Its "years in a row" and "trend" are counted from {year}.',
    },
    "interval": {"nb": "mulig intervall", "en": "possible range"},
    # --- gender ---
    "share_women": {"nb": "Andel kvinner", "en": "Share of women"},
    "share_men": {"nb": "Andel menn", "en": "Share of men"},
    "threshold_women": {
        "nb": "{pct} % kvinner (terskel)",
        "en": "{pct} % women (threshold)",
    },
    "threshold_men": {
        "nb": "{pct} % menn (terskel)",
        "en": "{pct} % men (threshold)",
    },
    "gender_trend_title": {
        "nb": "Andel kvinner per år {years}, {scope} – {measure}",
        "en": "Share of women by year {years}, {scope} – {measure}",
    },
    "trend_panels_subtitle": {
        "nb": "Ett panel per enhet, ordnet etter andel kvinner i {year}; fargen er statusen i {year}. "
        "Stiplede linjer: {pct} % kvinner og {pct} % menn (terskel)",
        "en": "One panel per unit, ordered by the share of women in {year}; the colour is the status in {year}. "
        "Dashed lines: {pct} % women and {pct} % men (threshold)",
    },
    "status_in_year": {"nb": "{status} i {year}", "en": "{status} in {year}"},
    "trend_interval_note": {
        "nb": "Åpent punkt og stiplet linje: andelen er bare kjent som et intervall "
        "(skjermede celler), ikke som ett tall",
        "en": "Open point and dashed line: the share is only known as an interval "
        "(suppressed cells), not as one number",
    },
    "gender_bars_title": {
        "nb": "Kjønnsbalanse {year}, {scope} – {measure}, {level}",
        "en": "Gender balance {year}, {scope} – {measure}, {level}",
    },
    "gender_bars_subtitle": {
        "nb": "Under {pct} % av underrepresentert kjønn = skjev kjønnsbalanse",
        "en": "Below {pct} % of the under-represented gender = skewed balance",
    },
    # the same, where the settings name a policy that requires measures ([gender] policy)
    "gender_bars_subtitle_duty": {
        "nb": "Under {pct} % av underrepresentert kjønn = skjev kjønnsbalanse (tiltak kreves)",
        "en": "Below {pct} % of the under-represented gender = skewed balance (action required)",
    },
    "students_needed_text": {"nb": "+{n} {gender}", "en": "+{n} {gender}"},
    "students_needed": {"nb": "Antall som trengs", "en": "Number needed"},
    "status": {"nb": "Status", "en": "Status"},
    "status_flagged": {"nb": "skjev (under terskel)", "en": "skewed (below threshold)"},
    "status_ok": {"nb": "innenfor", "en": "within"},
    "status_unknown": {"nb": "kan ikke vurderes", "en": "cannot be judged"},
    "women": {"nb": "kvinner", "en": "women"},
    "men": {"nb": "menn", "en": "men"},
    "all": {"nb": "alle", "en": "all"},
    "none": {"nb": "ingen", "en": "none"},
    "unit": {"nb": "Enhet", "en": "Unit"},
    "underrepresented": {"nb": "Underrepresentert kjønn", "en": "Under-represented gender"},
    "underrepresented_share": {"nb": "Andel underrepresentert", "en": "Under-represented share"},
    "level_programme": {"nb": "studieprogram", "en": "study programme"},
    "level_department": {"nb": "institutt", "en": "department"},
    # DBH's department level holding faculties' own units or the unspecified sub-unit
    "level_department_level": {"nb": "instituttnivå", "en": "department level"},
    "level_faculty": {"nb": "fakultet", "en": "faculty"},
    "level_institution": {"nb": "institusjon", "en": "institution"},
    "measure_applicants": {"nb": "alle søkere", "en": "all applicants"},
    "measure_first_choice_applicants": {"nb": "førstevalgssøkere", "en": "first-choice applicants"},
    "measure_qualified": {"nb": "kvalifiserte søkere", "en": "qualified applicants"},
    "measure_offers": {"nb": "tilbud", "en": "offers"},
    "measure_admitted": {"nb": "tatt opp (hovedopptak)", "en": "admitted (main round)"},
    "measure_registered": {"nb": "registrerte studenter", "en": "registered students"},
    "measure_programme_students": {"nb": "alle studenter på programmet", "en": "all students on the programme"},
    "measure_applications": {"nb": "søknader", "en": "applications"},
    "measure_accepted": {"nb": "akseptert tilbud", "en": "accepted offers"},
    "measure_met": {"nb": "møtt til studiestart", "en": "met at the start of studies"},
    "measure_new_students": {"nb": "nye studenter", "en": "new students"},
    "measure_admissions": {"nb": "opptak (alle opptaksveier)", "en": "admissions (every route)"},
    "semester_spring": {"nb": "vår", "en": "spring"},
    "semester_summer": {"nb": "sommer", "en": "summer"},
    "semester_autumn": {"nb": "høst", "en": "autumn"},
    "semester_all": {"nb": "alle semestre", "en": "all semesters"},
    "semester_unstated": {"nb": "semester ikke oppgitt", "en": "semester not stated"},
    "student_category_all": {"nb": "alle kategorier", "en": "all categories"},
    "student_category_unstated": {"nb": "kategori ikke oppgitt", "en": "category not stated"},
    "student_category_code": {"nb": "kategori {code}", "en": "category {code}"},
    # --- integration ---
    "integration_title": {
        "nb": "Integrering av internasjonale studenter {year}, {scope} – {level}",
        "en": "Integration of international students {year}, {scope} – {level}",
    },
    # whose figures an integration chart shows: the own institution ranked among its group
    "integration_scope_own": {
        "nb": "{institution} og sammenligningsgruppen",
        "en": "{institution} and the comparison group",
    },
    "integration_scope_group": {"nb": "sammenligningsgruppen", "en": "the comparison group"},
    "integration_scope_programmes": {"nb": "studieprogrammer ved {institution}", "en": "programmes at {institution}"},
    # an institution respondent data key by a DBH code that no file or reference table names
    "institution_by_code": {"nb": "institusjon med DBH-kode {code}", "en": "institution with DBH code {code}"},
    "integration_score": {"nb": "Integreringsskår (1–5)", "en": "Integration score (1–5)"},
    "academic": {"nb": "Faglig integrering", "en": "Academic integration"},
    "social": {"nb": "Sosial integrering", "en": "Social integration"},
    "gap_below_best": {"nb": "{gap} under beste", "en": "{gap} below the best"},
    "gap_at_best": {"nb": "best i gruppen", "en": "best in the group"},
    "gap_below_median": {"nb": "{gap} under medianen", "en": "{gap} below the median"},
    "gap_above_median": {"nb": "{gap} over medianen", "en": "{gap} above the median"},
    "gap_at_median": {"nb": "på medianen", "en": "at the median"},
    "gap_below_mean": {"nb": "{gap} under snittet", "en": "{gap} below the mean"},
    "gap_above_mean": {"nb": "{gap} over snittet", "en": "{gap} above the mean"},
    "gap_at_mean": {"nb": "på snittet", "en": "at the mean"},
    "rank_of": {"nb": "nr. {rank} av {total}", "en": "rank {rank} of {total}"},
    "integration_combined": {
        "nb": "Samlet (snitt av faglig og sosial)",
        "en": "Combined (mean of academic and social)",
    },
    # the combined score of other settings than the default academic and social
    "integration_combined_of": {"nb": "Samlet (snitt av {scores})", "en": "Combined (mean of {scores})"},
    "rank": {"nb": "Plass", "en": "Rank"},
    "institution": {"nb": "Institusjon", "en": "Institution"},
    "level_bachelor": {"nb": "bachelor", "en": "bachelor"},
    "level_all": {"nb": "alle nivåer", "en": "all levels"},
    "basis_counts": {"nb": "antall", "en": "counts"},
    "basis_given_pct": {"nb": "oppgitt prosent", "en": "given percentage"},
    "srctype_extract": {"nb": "uttrekk", "en": "extract"},
    "srctype_respondents": {"nb": "respondentdata", "en": "respondent data"},
    "kind_item": {"nb": "spørsmål", "en": "item"},
    "kind_index": {"nb": "indeks", "en": "index"},
    "group_of_all": {"nb": "alle institusjoner i datagrunnlaget", "en": "all institutions in the data"},
    "level_master": {"nb": "master", "en": "master"},
    # --- Studiebarometeret ---
    "portal_title": {
        "nb": "Studiebarometeret {years}, {institution}: {programme}",
        "en": "Student Survey {years}, {institution}: {programme}",
    },
    "portal_subtitle": {
        "nb": "{respondents}, svarprosent {rate}",
        "en": "{respondents}, response rate {rate}",
    },
    "programme_value": {"nb": "Studieprogrammet", "en": "Programme"},
    "field_average": {"nb": "Snitt for fagfeltet", "en": "Field average"},
    # the legend of a portal chart: which field's average (the hover alone is lost in print)
    "field_average_of": {"nb": "Snitt for fagfeltet ({field})", "en": "Field average ({field})"},
    "score": {"nb": "Gjennomsnitt (1–5)", "en": "Mean (1–5)"},
    "history_title": {
        "nb": "Studiebarometeret {years}, {institution}: {programme}, indekser per år",
        "en": "Student Survey {years}, {institution}: {programme}, indices by year",
    },
    "items_title": {
        "nb": "Studiebarometeret {year}, {institution}: {unit} – spørsmål (gjennomsnitt med {level} % KI)",
        "en": "Student Survey {year}, {institution}: {unit} – items (mean with {level} % CI)",
    },
    "distribution_title": {
        "nb": "Studiebarometeret {year}, {institution}: {unit} – svarfordeling",
        "en": "Student Survey {year}, {institution}: {unit} – answer distribution",
    },
    "distribution_subtitle": {
        "nb": "Andel av svarene 1–5 per spørsmål (n = antall svar 1–5); «vet ikke» er ikke med i søylen, "
        "andelen står til høyre",
        "en": 'Share of the answers 1–5 per item (n = answers 1–5); "don\'t know" is not in the bar, its '
        "share is on the right",
    },
    "distribution_subtitle_no_dont_know": {
        "nb": "Andel av svarene 1–5 per spørsmål (n = antall svar 1–5); «vet ikke» er ikke med i søylen "
        "(antallet er ikke kjent i datagrunnlaget)",
        "en": 'Share of the answers 1–5 per item (n = answers 1–5); "don\'t know" is not in the bar (its '
        "count is not known in the data)",
    },
    "n_equals": {"nb": "n = {n}", "en": "n = {n}"},
    "answer_lowest": {"nb": "{answer} (lavest)", "en": "{answer} (lowest)"},
    "answer_highest": {"nb": "{answer} (høyest)", "en": "{answer} (highest)"},
    "dont_know_share": {"nb": "vet ikke {pct} %", "en": "don't know {pct} %"},
    "share_of_answers": {"nb": "Andel av svarene 1–5", "en": "Share of the answers 1–5"},
    "dim_undervisning": {"nb": "Undervisning", "en": "Teaching"},
    "dim_tilbakemeldinger": {"nb": "Tilbakemeldinger og veiledning", "en": "Feedback and supervision"},
    "dim_vurderingsformer": {"nb": "Vurderingsformer", "en": "Assessment"},
    "dim_laeringsmiljo": {"nb": "Læringsmiljø", "en": "Learning environment"},
    "dim_organisering": {"nb": "Organisering", "en": "Organisation"},
    "dim_yrkesrelevans": {"nb": "Tilknytning til yrkeslivet", "en": "Links to working life"},
    "dim_tilknytning_yrkeslivet": {"nb": "Tilknytning til yrkeslivet", "en": "Links to working life"},
    "dim_eget_engasjement": {"nb": "Eget engasjement", "en": "Own engagement"},
    "dim_engasjement": {"nb": "Eget engasjement", "en": "Own engagement"},
    "dim_helhetsvurdering": {"nb": "Helhetsvurdering", "en": "Overall satisfaction"},
    # --- SHoT ---
    # whose figures and which waves, as wellbeing_indicator_title says them
    "wellbeing_title": {
        "nb": "SHoT {years}, {scope}: utvikling mellom bølger ({group})",
        "en": "SHoT {years}, {scope}: change between waves ({group})",
    },
    # a place's own waves: the scope names the place, so no group after it
    "wellbeing_place_title": {
        "nb": "SHoT {years}, {scope}: utvikling mellom bølger",
        "en": "SHoT {years}, {scope}: change between waves",
    },
    "wellbeing_gender_title": {
        "nb": "SHoT {years}, {scope}: kvinner og menn",
        "en": "SHoT {years}, {scope}: women and men",
    },
    "percent_students": {"nb": "Andel studenter (%)", "en": "Share of students (%)"},
    "ind_alvorlige_psykiske_symptomplager": {
        "nb": "Alvorlige psykiske symptomplager",
        "en": "Serious psychological distress",
    },
    "ind_ensomhet_sosial_og_eller_emosjonell": {
        "nb": "Ensomhet (sosial og/eller emosjonell)",
        "en": "Loneliness (social and/or emotional)",
    },
    "ind_ensomhet_minst_ett_av_tre_ofte": {
        "nb": "Ensomhet: minst ett av tre ledd ofte",
        "en": "Loneliness: at least one of three items often",
    },
    "ind_ensomhet_alle_tre_ofte": {"nb": "Ensomhet: alle tre ledd ofte", "en": "Loneliness: all three items often"},
    "ind_ensomhet_savner_noen": {"nb": "Savner noen å være sammen med", "en": "Miss someone to be with"},
    "ind_ensomhet_foler_seg_utenfor": {"nb": "Føler seg utenfor", "en": "Feel left out"},
    "ind_ensomhet_foler_seg_isolert": {"nb": "Føler seg isolert", "en": "Feel isolated"},
    "ind_mye_helseplager_siste_uke": {"nb": "Mye helseplager siste uke", "en": "Many health complaints last week"},
    "ind_mye_helseplager": {"nb": "Mye helseplager", "en": "Many health complaints"},
    "ind_selvmordstanker_siste_aar": {"nb": "Selvmordstanker siste år", "en": "Suicidal thoughts last year"},
    "ind_god_eller_svaert_god_livskvalitet": {
        "nb": "God eller svært god livskvalitet",
        "en": "Good or very good quality of life",
    },
    "ind_livskvalitet_litt_under_middels_eller_darligere": {
        "nb": "Livskvalitet litt under middels eller dårligere",
        "en": "Quality of life slightly below average or worse",
    },
    "ind_faa_eller_ingen_venner_paa_studiestedet": {
        "nb": "Få eller ingen venner på studiestedet",
        "en": "Few or no friends where they study",
    },
    "ind_naavaerende_psykisk_lidelse_CIDI": {
        "nb": "Nåværende psykisk lidelse (CIDI)",
        "en": "Current mental disorder (CIDI)",
    },
    "ind_psykisk_lidelse_siste_aar_CIDI": {
        "nb": "Psykisk lidelse siste år (CIDI)",
        "en": "Mental disorder last year (CIDI)",
    },
    "group_alle": {"nb": "alle", "en": "all"},
    "group_kvinner": {"nb": "kvinner", "en": "women"},
    "group_menn": {"nb": "menn", "en": "men"},
    # --- sources ---
    "src_dbh": {"nb": "DBH (HK-dir)", "en": "DBH (HK-dir)"},
    # the table or view of a source (DBH's own table names in Norwegian, with a translation)
    "srctable_dbh123": {"nb": "123 Registrerte studenter", "en": "123 Registrerte studenter (registered students)"},
    "srctable_dbh210": {"nb": "210 Avdelinger og fakulteter", "en": "210 Avdelinger og fakulteter (departments)"},
    # (the names of 110, 112, 132 and 379 as DBH's table catalogue, bulk table 001, gives them)
    "srctable_dbh110": {"nb": "110 Nye studenter", "en": "110 Nye studenter (new students)"},
    "srctable_dbh112": {"nb": "112 Opptak", "en": "112 Opptak (admissions)"},
    "srctable_dbh132": {"nb": "132 Søknader", "en": "132 Søknader (applications)"},
    "srctable_dbh379": {"nb": "379 Søkertall og møtte", "en": "379 Søkertall og møtte (applicants, offers and met)"},
    "srctable_samordna": {"nb": "søkertall hovedopptak", "en": "applicant figures, main admission"},
    "srctable_seed_admission": {"nb": "prosentandel kvinner, hovedopptak", "en": "share of women, main admission"},
    "srctable_seed_integration": {
        # not led by the year: a source's part that starts with a digit is a numbered table
        # (charts.common.Source), and "tabell 2017" read as a table of NOKUT's
        "nb": "uttrekk internasjonalisering 2017 (LMU-vedlegg)",
        "en": "internationalisation extract 2017 (LMU appendix)",
    },
    "srctable_portal_index": {"nb": "studiebarometeret.no, indekser", "en": "studiebarometeret.no, indices"},
    "srctable_portal_history": {"nb": "studiebarometeret.no, tidsserie", "en": "studiebarometeret.no, time series"},
    "srctable_portal_items": {"nb": "studiebarometeret.no, spørsmål", "en": "studiebarometeret.no, questions"},
    "srctable_portal_dbh_facts": {
        "nb": "studiebarometeret.no, bakgrunn fra DBH",
        "en": "studiebarometeret.no, background from DBH",
    },
    "srctable_respondents": {"nb": "rådata per respondent", "en": "raw data per respondent"},
    "srctable_shot": {
        "nb": "nasjonale hovedtall (kilde-URL per rad)",
        "en": "national key figures (source URL per row)",
    },
    "srcshort_dbh123": {"nb": "DBH tabell 123", "en": "DBH table 123"},
    "srcshort_dbh210": {"nb": "DBH tabell 210", "en": "DBH table 210"},
    "srcshort_dbh110": {"nb": "DBH tabell 110", "en": "DBH table 110"},
    "srcshort_dbh112": {"nb": "DBH tabell 112", "en": "DBH table 112"},
    "srcshort_dbh132": {"nb": "DBH tabell 132", "en": "DBH table 132"},
    "srcshort_dbh379": {"nb": "DBH tabell 379", "en": "DBH table 379"},
    "srcshort_samordna": {"nb": "Samordna opptak", "en": "Samordna opptak"},
    "srcshort_seed": {"nb": "LMU 28.11.2018", "en": "LMU 28 Nov 2018"},
    "srcshort_seed_integration": {"nb": "NOKUT 2017 (LMU-vedlegg)", "en": "NOKUT 2017 (LMU appendix)"},
    "srcshort_portal": {"nb": "studiebarometeret.no", "en": "studiebarometeret.no"},
    "srcshort_respondents": {"nb": "NOKUT rådata", "en": "NOKUT raw data"},
    "srcshort_shot": {"nb": "SHoT", "en": "SHoT"},
    "src_samordna": {"nb": "Samordna opptak", "en": "Norwegian Universities and Colleges Admission Service"},
    "src_seed": {"nb": "NTNU LMU 28.11.2018 (vedlegg)", "en": "NTNU LMU 28 Nov 2018 (attachment)"},
    "src_nokut": {"nb": "NOKUT, Studiebarometeret", "en": "NOKUT, Student Survey (Studiebarometeret)"},
    "src_shot": {
        "nb": "SHoT (Sit/Sammen m.fl.), pressemeldinger",
        "en": "SHoT (student welfare organisations), press releases",
    },
    # --- report ---
    "report_title": {
        "nb": "Kvalitetsmelding {year}: {institution}",
        "en": "Annual quality report {year}: {institution}",
    },
    "report_title_faculty": {
        "nb": "Kvalitetsmelding {year}: {faculty}, {institution}",
        "en": "Annual quality report {year}: {faculty}, {institution}",
    },
    "report_year_basis_registered": {
        "nb": "Rapportåret {year} er det siste året med registrerte studenter for {institution} (DBH tabell 123). "
        "Hver del sier hvilket år og hvilket utvalg tallene gjelder.",
        "en": "The report year {year} is the latest year with registered students for {institution} (DBH table "
        "123). Every section states the year and the group its figures are for.",
    },
    "report_year_basis_gender": {
        "nb": "Rapportåret {year} er det siste året med kjønnsbalansedata for {institution}. "
        "Hver del sier hvilket år og hvilket utvalg tallene gjelder.",
        "en": "The report year {year} is the latest year with gender-balance data for {institution}. "
        "Every section states the year and the group its figures are for.",
    },
    "report_year_basis_own": {
        "nb": "Rapportåret {year} er det siste året med egne data for {institution}. "
        "Hver del sier hvilket år og hvilket utvalg tallene gjelder.",
        "en": "The report year {year} is the latest year with data of {institution}'s own. "
        "Every section states the year and the group its figures are for.",
    },
    "report_year_basis_requested": {
        "nb": "Rapportår {year} (valgt). Hver del sier hvilket år og hvilket utvalg tallene gjelder.",
        "en": "Report year {year} (as requested). Every section states the year and the group its figures are for.",
    },
    "report_year_basis_national": {
        "nb": "Datagrunnlaget har ingen tall for {institution}: rapporten viser bare tall som ikke gjelder "
        "institusjonen (nasjonale tall og sammenligninger), siste år {year}.",
        "en": "The data has no figures for {institution}: the report shows only figures that are not the "
        "institution's (national figures and comparisons), latest year {year}.",
    },
    "key_findings": {"nb": "Hovedfunn {year}", "en": "Key findings {year}"},
    "earlier_findings": {"nb": "Nyeste tall fra tidligere år", "en": "Latest figures from earlier years"},
    "no_findings": {"nb": "Ingen tall for {year} i datagrunnlaget.", "en": "No figures for {year} in the data."},
    "section_gender": {"nb": "Kjønnsbalanse", "en": "Gender balance"},
    "section_integration": {
        "nb": "Integrering av internasjonale studenter",
        "en": "Integration of international students",
    },
    "section_survey": {"nb": "Studiebarometeret", "en": "Student Survey (Studiebarometeret)"},
    "section_wellbeing": {"nb": "Studentenes helse og trivsel (SHoT)", "en": "Student health and well-being (SHoT)"},
    "heading_followup": {
        "nb": "Oppfølging {year}: enheter med skjev kjønnsbalanse – {scope}",
        "en": "Follow-up {year}: units with skewed gender balance – {scope}",
    },
    "heading_unknown": {"nb": "Kan ikke vurderes {year} – {scope}", "en": "Cannot be judged {year} – {scope}"},
    "heading_gender": {"nb": "Kjønnsbalanse {year} – {scope}", "en": "Gender balance {year} – {scope}"},
    "heading_integration": {
        "nb": "Integrering av internasjonale studenter – Studiebarometeret {year}, {scope}",
        "en": "Integration of international students – Student Survey {year}, {scope}",
    },
    "heading_survey": {"nb": "Studiebarometeret {year} – {scope}", "en": "Student Survey {year} – {scope}"},
    # a section without data up to the report year: its heading claims no year (the text says
    # which years the data has, if any)
    "heading_gender_none": {"nb": "Kjønnsbalanse – {scope}", "en": "Gender balance – {scope}"},
    "heading_integration_none": {
        "nb": "Integrering av internasjonale studenter – Studiebarometeret, {scope}",
        "en": "Integration of international students – Student Survey, {scope}",
    },
    "heading_survey_none": {"nb": "Studiebarometeret – {scope}", "en": "Student Survey – {scope}"},
    "heading_wellbeing_none": {
        "nb": "Studentenes helse og trivsel (SHoT) – {scope}",
        "en": "Student health and well-being (SHoT) – {scope}",
    },
    "heading_wellbeing": {
        "nb": "Studentenes helse og trivsel (SHoT) {year} – {scope}",
        "en": "Student health and well-being (SHoT) {year} – {scope}",
    },
    "heading_appendix": {
        "nb": "Vedlegg: kjønnsbalanse over tid – {scope}",
        "en": "Appendix: gender balance over time – {scope}",
    },
    "heading_history_table": {
        "nb": "Enheter under terskelen per år, {scope}",
        "en": "Units below the threshold by year, {scope}",
    },
    "history_years_earlier": {
        "nb": "Tabellen viser de {n} siste årene med tall; tallene for {years} står i arbeidsbokens vedleggsark om kjønnsbalanse.",
        "en": "The table shows the last {n} years with figures; those for {years} are in the workbook's gender-balance appendix sheet.",
    },
    "history_years_missing": {
        "nb": "År uten tall i datagrunnlaget, og derfor uten kolonne i tabellen: {years}.",
        "en": "Years the data hold no figures for, and so without a column in the table: {years}.",
    },
    "followup_caption": {
        "nb": "Enheter med skjev kjønnsbalanse {year}, {scope}: under {pct} % av det underrepresenterte kjønnet",
        "en": "Units with skewed gender balance {year}, {scope}: below {pct} % of the under-represented gender",
    },
    "unknown_caption": {
        "nb": "Enheter som ikke kan vurderes {year}, {scope}",
        "en": "Units that cannot be judged {year}, {scope}",
    },
    "scope_own": {"nb": "{institution} (egen institusjon)", "en": "{institution} (own institution)"},
    "scope_faculty": {"nb": "{faculty}, {institution}", "en": "{faculty}, {institution}"},
    "scope_national": {"nb": "nasjonale tall", "en": "national figures"},
    "scope_national_and": {"nb": "nasjonale tall og {places}", "en": "national figures and {places}"},
    "scope_comparison_all": {
        "nb": "sammenligningsgruppe: alle institusjoner i datagrunnlaget",
        "en": "comparison group: all institutions in the data",
    },
    "scope_comparison_group": {"nb": "sammenligningsgruppe: {members}", "en": "comparison group: {members}"},
    "scope_comparison_programmes": {
        "nb": "sammenligningsgruppe: studieprogrammene ved {institution}",
        "en": "comparison group: the programmes at {institution}",
    },
    "scope_word_national": {"nb": "nasjonalt", "en": "national"},
    "scope_word_region": {"nb": "region", "en": "region"},
    "scope_word_institution": {"nb": "institusjon", "en": "institution"},
    # a place SHoT reports, its kind first: "region Bergen (Sammen)" (charts.wellbeing.place_name)
    "scope_place": {"nb": "{scope} {place}", "en": "{scope} {place}"},
    "scope_region": {"nb": "region", "en": "region"},
    "scope_institution": {"nb": "institusjon", "en": "institution"},
    "whole_institution": {"nb": "Hele institusjonen", "en": "The whole institution"},
    "faculty_not_given": {"nb": "Fakultet ikke oppgitt i kilden", "en": "Faculty not given by the source"},
    "faculty_none_unspecified": {
        "nb": "Uten fakultet (DBHs uspesifiserte underenhet)",
        "en": "No faculty (DBH's unspecified sub-unit)",
    },
    "unit_unnamed": {"nb": "Enhet uten navn i kildene", "en": "Unit not named in the sources"},
    # a department code <faculty>000 (analysis.org_units): students at the faculty, in no department
    "unit_faculty_own": {"nb": "{name} – fakultetets egen enhet", "en": "{name} – the faculty's own unit"},
    "unit_unnamed_note": {
        "nb": "«Enhet uten navn i kildene»: ingen av filene i datagrunnlaget gir navn på koden ved denne institusjonen (DBH-filene "
        "navngir enhetene på radene, i tabell 457 Organisasjonsenheter eller i den nasjonale eksporten av "
        "tabell 123); hent tabell 457 med «kvalitet fetch» for å få navnet.",
        "en": '"Unit not named in the sources": no file in the data names the code at this institution (the DBH files name units '
        "on their rows, in table 457 Organisasjonsenheter or in the national export of table 123); get "
        'table 457 with "kvalitet fetch" for its name.',
    },
    "followup_intro": {
        "nb": "Enheter der det underrepresenterte kjønnet er under {pct} % i {year}. {policy} "
        "({pct} % er ikke under {pct} %). Andelen er det underrepresenterte kjønnets "
        "andel; «antall i alt» er kvinner og menn i radens mål (kolonnen «Mål»: søkere, tilbud, opptatte "
        "eller registrerte studenter); «antall som trengs» er hvor mange flere av det kjønnet, i samme mål, som løfter andelen "
        "til {pct} %, med det andre kjønnet uendret; «år på rad» teller år under terskelen til og med {year} (et år som ikke kan vurderes, avbryter tellingen, og for en institusjon som andre er slått sammen inn i, starter den på nytt i sammenslåingsåret); "
        "«utvikling» er retningen over de siste {window} årene.",
        "en": "Units where the under-represented gender is below {pct} % in {year}. {policy} "
        "({pct} % is not below {pct} %). The share is the under-represented "
        'gender\'s share; "total" is women and men in the row\'s measure (the column "Measure": applicants, '
        'offers, admitted or registered students); "number needed" is how many more of that gender, in the same '
        'measure, lift the share to {pct} %, the other gender unchanged; "years in a row" counts years below the threshold up to {year} (a year that cannot be judged stops the count, and for an institution others merged into it starts again in the year of the merger); '
        '"trend" is the direction over the last {window} years.',
    },
    "followup_benchmark": {
        "nb": "«Fagfeltet» er andelen av det samme kjønnet nasjonalt i samme fagfelt.",
        "en": '"Field" is the national share of the same gender in the same field.',
    },
    "followup_benchmark_missing": {
        "nb": "Fagfeltet kan ikke beregnes fra dette datagrunnlaget: det krever studieprogrammenes "
        "NUS-kode (DBH tabell 347) og tall for alle institusjoner; hent dem med «kvalitet fetch».",
        "en": "The field cannot be computed from these data: it needs the programmes' NUS codes (DBH "
        'table 347) and figures for every institution; get them with "kvalitet fetch".',
    },
    "followup_needed_unknown": {
        # (a unit flagged for every split of its suppressed counts may leave either gender the
        # smaller one, 0–3 women of 3: then no number, nor a range, is known)
        "nb": "«–» under «antall som trengs»: antallet kan ikke regnes der kilden bare gir andelen i prosent, "
        "ikke antall kvinner og menn, eller der tall inni enheten er skjermet slik at det ikke er kjent hvilket "
        "kjønn som er underrepresentert. I regnearket er cellene da tomme.",
        "en": '"–" under "number needed": the number cannot be computed where the source gives only the '
        "share as a percentage, not the numbers of women and men, or where counts inside the unit are "
        "suppressed so that it is not known which gender is under-represented. In the workbook those cells are "
        "empty.",
    },
    "followup_needed_range": {
        "nb": "Et intervall under «antall som trengs» (som «12–15»): tall inni enheten er skjermet, så andelen "
        "er et intervall; tallene er det minste og det største antallet som trengs innenfor intervallet. I "
        "regnearket står de i hver sin kolonne, «minst» og «høyst».",
        "en": 'A range under "number needed" (such as "12–15"): counts inside the unit are suppressed, so the '
        "share is an interval; the numbers are the fewest and the most needed within that interval. In the "
        'workbook they are two columns, "fewest" and "most".',
    },
    "followup_none": {
        "nb": "Ingen enheter under terskelen i {year} ({n} vurdert).",
        "en": "No unit below the threshold in {year} ({n} judged).",
    },
    "no_gender_data": {
        "nb": "Ingen kjønnsbalansedata for {scope} i datagrunnlaget – ingen enheter er vurdert.",
        "en": "No gender-balance data for {scope} in the data – no unit has been judged.",
    },
    # DBH's unspecified sub-unit, kept out of the faculties (analysis.report.data.without_unspecified_faculty)
    "not_a_faculty_note": {
        "nb": "«{name}» ({students} i {year}) er DBHs uspesifiserte underenhet, ikke et fakultet: den er ikke med i "
        "fakultetsfiguren eller blant fakultetene som telles, men {where}.",
        "en": '"{name}" ({students} in {year}) is DBH\'s unspecified sub-unit, not a faculty: it is not in the faculty '
        "chart nor among the faculties counted, but {where}.",
    },
    "not_a_faculty_where_department": {
        "nb": "er med som enhet på instituttnivå ({code}) og i institusjonens tall",
        "en": "is shown as a unit at department level ({code}) and counted in the institution's total",
    },
    "not_a_faculty_where_institution": {
        "nb": "er med i institusjonens tall",
        "en": "is counted in the institution's total",
    },
    "no_gender_year": {
        "nb": "Ingen kjønnsbalansedata for {scope} for {year} (siste år med data: {last}) – ingen enheter er "
        "vurdert for {year}.",
        "en": "No gender-balance data for {scope} for {year} (latest year with data: {last}) – no unit has been "
        "judged for {year}.",
    },
    "unknown_intro": {
        "nb": "Disse enhetene har studenter i {year}, men andelen kan ikke avgjøres:",
        "en": "These units have students in {year}, but their share cannot be decided:",
    },
    "sources_line": {"nb": "{word}: {sources}.", "en": "{word}: {sources}."},
    "no_section_data": {"nb": "Ingen {what} for {scope} i datagrunnlaget.", "en": "No {what} for {scope} in the data."},
    # the data has the section's figures, but only after the report year: "none in the data" would
    # be untrue (a report for an earlier year, or a year set by registered counts that end earlier)
    "no_section_data_later": {
        "nb": "Ingen {what} for {scope} fra {report_year} eller tidligere; datagrunnlaget har dem for {years} "
        "(etter rapportåret).",
        "en": "No {what} for {scope} from {report_year} or earlier; the data has them for {years} "
        "(after the report year).",
    },
    # a report for a year holds that year and the years before (parts.up_to_report_year)
    "later_years_left_out": {
        "nb": "Datagrunnlaget har også tall for år etter rapportåret {year}: {items}. De er holdt utenfor "
        "rapportens tabeller og figurer; en rapport for et senere år (--year) tar dem med.",
        "en": "The data also hold figures for years after the report year {year}: {items}. They are left "
        "out of the report's tables and charts; a report for a later year (--year) includes them.",
    },
    # a faculty report (for_faculty) has no figures whose source does not name the faculty
    "without_faculty_left_out": {
        "nb": "Tall der kilden ikke sier hvilket fakultet et studieprogram hører til, er ikke med i "
        "fakultetsrapporten: {items}. Rapporten for {institution} har dem.",
        "en": "Figures whose source does not say which faculty a study programme belongs to are not in "
        "this faculty report: {items}. The report for {institution} has them.",
    },
    "what_portal": {"nb": "Studiebarometeret (studiebarometeret.no)", "en": "Student Survey (studiebarometeret.no)"},
    "what_gender": {"nb": "kjønnsbalansedata", "en": "gender-balance data"},
    "what_integration": {"nb": "integreringstall", "en": "integration figures"},
    "what_survey": {"nb": "Studiebarometer-resultater", "en": "Student Survey results"},
    "what_wellbeing": {"nb": "SHoT-tall", "en": "SHoT figures"},
    "older_data": {
        "nb": "De nyeste tallene i datagrunnlaget er fra {year}, ikke fra rapportåret {report_year}.",
        "en": "The latest figures in the data are from {year}, not from the report year {report_year}.",
    },
    # NOKUT's 2017 items (the extract's), which asked of exactly this
    "integration_intro": {
        "nb": "Gjennomsnitt (1–5) for god faglig og sosial integrering mellom norske og internasjonale "
        "studenter, og samlet (snittet av de to). Plass og avstand er regnet innen {group}. "
        "Avstand = egen skår minus beste eller median: et negativt tall er under.",
        "en": "Mean (1–5) of good academic and social integration between Norwegian and international "
        "students, and combined (the mean of the two). Rank and distance are computed within {group}. "
        "Distance = own score minus the best or the median: a negative number is below.",
    },
    # scores of respondent data are of the items the settings choose, a proxy in a year without
    # integration items (miljo_fag_13, the learning environment among all students): said without
    # the 2017 items' claim; the items note after it names the items and their questions
    "integration_intro_items": {
        "nb": "Gjennomsnitt (1–5) av spørsmålene innstillingene velger for {scores} (hvilke og hva de spør om, "
        "står under), og samlet (snittet av {combined}). Plass og avstand er regnet innen {group}. "
        "Avstand = egen skår minus beste eller median: et negativt tall er under.",
        "en": "Mean (1–5) of the items the settings choose for {scores} (which, and what they ask, is said "
        "below), and combined (the mean of {combined}). Rank and distance are computed within {group}. "
        "Distance = own score minus the best or the median: a negative number is below.",
    },
    "integration_extract_absent": {
        "nb": "Uttrekket viser bare noen institusjoner (blant dem de med høyest skår), ikke alle; {institution} "
        "er ikke med i det.",
        "en": "The extract lists only some institutions (among them those with the highest scores), not every "
        "institution; {institution} is not in it.",
    },
    # respondent-level scores measure the items the settings choose (later survey years have no
    # integration items; an adviser may choose a proxy): said, item by item, with its question
    # an item of an integration score with its question (NOKUT's words, in Norwegian)
    "integration_item_question": {"nb": "{item} («{question}»)", "en": '{item} ("{question}")'},
    "integration_items_note": {
        "nb": "Skårene for {year} er regnet fra rådata per respondent, av spørsmålene innstillingene velger "
        "([integration.scores]): {items}. De måler det disse spørsmålene spør om.",
        "en": "The scores of {year} are computed from respondent-level data, from the items the settings choose "
        "([integration.scores]): {items}. They measure what these items ask.",
    },
    "integration_extract_note": {
        "nb": "Uttrekket viser bare {institution} og institusjonene med høyest skår, ikke alle institusjoner: "
        "plassen sier hvor langt det er til de beste, ikke hvor {institution} ligger blant alle.",
        "en": "The extract lists only {institution} and the institutions with the highest scores, not every "
        "institution: the rank says how far it is to the best, not where {institution} stands among all.",
    },
    "n_unknown": {"nb": "antall svar ikke oppgitt", "en": "number of answers not given"},
    "n_known": {"nb": "{n}", "en": "{n}"},
    "integration_n_unknown": {
        "nb": "Kilden oppgir ikke antall svar bak snittene for {years}: antallet er ukjent, ikke 0, og står tomt "
        "under «{column}» i regnearket.",
        "en": "The source does not give the number of answers behind the means for {years}: the number is "
        'unknown, not 0, and left empty under "{column}" in the workbook.',
    },
    "integration_subtitle": {"nb": "{ranked}, {group}; {n}", "en": "{ranked}, {group}; {n}"},
    # the group's best a cut integration chart draws ({best} of the labels below: best_words):
    # "de 1 beste" / "the 1 best" where it is one
    "integration_best_one": {"nb": "den beste", "en": "the best"},
    "integration_best_many": {"nb": "de {best} beste", "en": "the {best} best"},
    # what a cut integration chart draws (analysis.charts.integration.chart_rows) and where the rest is
    "integration_chart_cut": {
        "nb": "Viser {own}, {best} og medianen av {ranked}.",
        "en": "Shows {own}, {best} and the median of {ranked}.",
    },
    "integration_chart_cut_group": {
        "nb": "Viser {best} og medianen av {ranked}.",
        "en": "Shows {best} and the median of {ranked}.",
    },
    # counts in front, so that the verb agrees with 1 and with 2 alike ("1 … are left out";
    # "2 skjermet" wanted "skjermede enheter")
    "integration_chart_own_left_out": {
        "nb": "Utelatt: {n} av enhetene til {own} i midten av rangeringen.",
        "en": "Left out: {n} of the units of {own} in the middle of the ranking.",
    },
    "integration_chart_hidden": {
        "nb": "Ikke tegnet: {hidden} (for få svar).",
        "en": "Not drawn: {hidden} (too few answers).",
    },
    "integration_chart_table": {
        "nb": "Hele rangeringen står i arbeidsboken og tables/integration.csv.",
        "en": "The full ranking is in the workbook and tables/integration.csv.",
    },
    # {fewer}: integration_median_of for each score whose median is of fewer than the ranked (and
    # of some: a score no ranked unit has has no median bar)
    "integration_median_row": {
        "nb": "Median for sammenligningsgruppen ({ranked}{fewer})",
        "en": "Median of the comparison group ({ranked}{fewer})",
    },
    "integration_median_of": {"nb": "; {score} av {n}", "en": "; {score} of {n}"},
    # a level with no unit ranked gets no chart, and says why ({reason}: one of the three below)
    "integration_none_ranked": {
        "nb": "Integrering {year} – {level}: ingen enhet er rangert, og det er ingen figur: {reason}.",
        "en": "Integration {year} – {level}: no unit is ranked, and there is no chart: {reason}.",
    },
    "integration_none_ranked_hidden": {
        "nb": "alle har for få svar til å vises ({hidden})",
        "en": "all have too few answers to be shown ({hidden})",
    },
    "integration_none_ranked_group_hidden": {
        "nb": "enhetene i sammenligningsgruppen har for få svar til å vises ({hidden})",
        "en": "the units of the comparison group have too few answers to be shown ({hidden})",
    },
    "integration_none_ranked_outside": {
        "nb": "ingen av enhetene hører til sammenligningsgruppen i innstillingene ({members})",
        "en": "none of the units belongs to the comparison group in the settings ({members})",
    },
    "integration_none_ranked_unscored": {
        "nb": "ingen enhet i sammenligningsgruppen har en samlet skår",
        "en": "no unit in the comparison group has a combined score",
    },
    "survey_intro": {
        "nb": "Indeksene for institusjonens studieprogram mot snittet for fagfeltet (1–5). Program med få "
        "svarende er merket; verdier portalen holdt tilbake, vises aldri som tall.",
        "en": "The indices of the institution's programmes against the field average (1–5). Programmes with "
        "few respondents are marked; values the portal withheld are never shown as numbers.",
    },
    "survey_history_intro": {
        "nb": "Portalens tidsserie for institusjonens studieprogram (indeksene, 1–5), år for år; år portalen "
        "holdt tilbake, vises aldri som tall.",
        "en": "The portal's time series of the institution's programmes (the indices, 1–5), year by year; years "
        "the portal withheld are never shown as numbers.",
    },
    "survey_unit_institution": {"nb": "{institution} (hele institusjonen)", "en": "{institution} (whole institution)"},
    "survey_unit_whole": {"nb": "hele institusjonen", "en": "whole institution"},
    "survey_units_institution": {"nb": "{institution} og fakultetene", "en": "{institution} and its faculties"},
    "survey_units_faculty": {
        "nb": "{faculty}, med {institution} til sammenligning",
        "en": "{faculty}, with {institution} for comparison",
    },
    # a year without the institution's results (its files have no institusjonskode): no comparison
    "survey_units_faculty_alone": {"nb": "{faculty}", "en": "{faculty}"},
    "heading_survey_indices": {"nb": "Indekser {year} – {units}", "en": "Indices {year} – {units}"},
    "heading_survey_distribution": {"nb": "Svarfordeling {year} – {unit}", "en": "Answer distribution {year} – {unit}"},
    "heading_survey_items": {"nb": "Spørsmål {year} – gjennomsnitt per enhet", "en": "Items {year} – mean per unit"},
    "survey_respondents_intro": {
        "nb": "Resultater regnet fra NOKUTs rådata per respondent. Gjennomsnitt er på skalaen 1–5; «vet ikke» "
        "er ikke et svar og regnes aldri inn. Et resultat med færre enn {min_n} svar vises ikke, og heller "
        "ikke et resultat som sammen med de viste ville avsløre det.",
        "en": "Results computed from NOKUT's raw data per respondent. Means are on the 1–5 scale; \"don't "
        'know" is not an answer and never enters a mean. A result with fewer than {min_n} answers is not '
        "shown, nor is a result that together with the shown ones would give it away.",
    },
    "survey_index_caption": {
        "nb": "Studiebarometeret {year}, {units}: indekser, gjennomsnitt (1–5) med {level} % konfidensintervall og "
        "endring fra {prev}",
        "en": "Student Survey {year}, {units}: indices, mean (1–5) with {level} % confidence interval and change "
        "since {prev}",
    },
    "survey_index_note": {
        "nb": "En students indeksverdi er snittet av svarene på indeksens spørsmål, når høyst {max_missing} "
        "mangler; antall svar er studentene med en indeksverdi. Endringen fra {prev} er testet med Welchs "
        "t-test; «signifikant» betyr justert p under {alpha} etter Benjamini–Hochberg-justering over "
        "indeksene til én enhet samme år. – i endringskolonnen: ett av årene er ikke vist eller mangler. "
        "«Få svarende»: færre enn {warn_n} svar.",
        "en": "A student's index value is the mean of the answers to the index's items, when at most "
        "{max_missing} {are} missing; answers counts the students with an index value. The change since "
        '{prev} is tested with Welch\'s t-test; "significant" means an adjusted p below {alpha} after '
        "Benjamini–Hochberg adjustment over one unit's indices in one year. – in the change column: one of "
        'the years is not shown or missing. "Few respondents": fewer than {warn_n} answers.',
    },
    "survey_programmes_only": {
        "nb": "Rådataene for {year} gir resultater bare per studieprogram: filene har ikke kolonnene "
        "institusjonskode og fakultetskode, som resultater for institusjonen og fakultetene krever. "
        "Resultatene per studieprogram står i regnearket.",
        "en": "The raw data for {year} give results per programme only: the files have no columns "
        "institusjonskode and fakultetskode, which results for the institution and faculties need. "
        "The results per programme are in the workbook.",
    },
    "survey_suppressed_note": {
        "nb": "– = ikke vist. ¹ Færre enn {min_n} svar. ² Ikke vist fordi tallet sammen med de viste ville "
        "avsløre et skjermet resultat (sekundær skjerming).",
        "en": "– = not shown. ¹ Fewer than {min_n} answers. ² Not shown because together with the shown figures "
        "it would give a suppressed result away (secondary suppression).",
    },
    "survey_no_previous": {
        "nb": "Datagrunnlaget har ingen resultater fra {prev}: ingen endring er regnet.",
        "en": "The data has no results from {prev}: no change is computed.",
    },
    "survey_previous_apart": {
        "nb": "Resultatene fra {prev} og {year} er ikke talt fra de samme respondentfilene (filer uten "
        "institusjonskode er talt for seg, utenfor institusjonen): ingen endring er regnet.",
        "en": "The results of {prev} and {year} are not counted from the same respondent files (files without "
        "institusjonskode are counted apart, outside the institution): no change is computed.",
    },
    "col_mean_ci": {"nb": "Gjennomsnitt ({level} % KI)", "en": "Mean ({level} % CI)"},
    "col_change_from": {"nb": "Endring fra {prev}", "en": "Change since {prev}"},
    "col_significance": {"nb": "Signifikant endring", "en": "Significant change"},
    "sig_up": {"nb": "signifikant økning", "en": "significant rise"},
    "sig_down": {"nb": "signifikant nedgang", "en": "significant fall"},
    "sig_none": {"nb": "ikke signifikant", "en": "not significant"},
    "no_answers": {"nb": "ingen svar", "en": "no answers"},
    "suppressed_primary_mark": {"nb": "skjermet¹", "en": "suppressed¹"},
    "suppressed_secondary_mark": {"nb": "skjermet²", "en": "suppressed²"},
    "suppression_small_cell": {"nb": "lite tall, skjermet av kilden", "en": "small cell, masked by the source"},
    "suppression_no_gender_split": {"nb": "ingen kjønnsfordeling oppgitt", "en": "no gender split reported"},
    "suppression_primary": {"nb": "skjermet: for få svar", "en": "suppressed: too few answers"},
    "suppression_secondary": {
        "nb": "skjermet: vern av et annet skjermet tall",
        "en": "suppressed: protects another suppressed figure",
    },
    "alt_distribution": {
        "nb": "{n}; «vet ikke» er ikke med i søylene.",
        "en": '{n}; "don\'t know" is not in the bars.',
    },
    "wellbeing_intro": {
        "nb": "Tallene er {scope} fra SHoT, ikke tall for {institution}. Endring er regnet fra forrige bølge "
        "med samme definisjon; der definisjonen er endret eller uklar, er linjen brutt og ingen endring "
        "regnet.",
        "en": "These are {scope} from SHoT, not figures for {institution}. Change is computed from the "
        "previous wave with the same definition; where the definition changed or is unclear, the line "
        "breaks and no change is computed.",
    },
    "wellbeing_table_caption": {
        "nb": "SHoT, {scope}: siste bølge per indikator og gruppe, til og med {year}",
        "en": "SHoT, {scope}: latest wave per indicator and group, up to {year}",
    },
    # "Om tallene" (analysis.report.about): the rules behind each kind of number, from the settings
    "heading_about": {"nb": "Om tallene", "en": "About the figures"},
    # after the sources, where one is undated: a file's modification time is no date (a copy moves
    # it, and the same files must give the same report), so the adviser records it
    "about_retrieved_unknown": {
        "nb": "«Hentedato ukjent»: verken datamappens MANIFEST.json, filen selv eller filnavnet sier når filen "
        "ble hentet. «kvalitet fetch» skriver hentedatoen i MANIFEST.json; en fil lastet ned for hånd kan få "
        "den i filnavnet, som «…_hentet_2026-09-22.csv».",
        "en": '"Retrieval date unknown": neither the data folder\'s MANIFEST.json, the file itself nor its name '
        'says when the file was retrieved. "kvalitet fetch" records the date in MANIFEST.json; a file downloaded '
        'by hand can carry it in its name, as "…_hentet_2026-09-22.csv".',
    },
    "about_intro": {
        "nb": "Slik er tallene i rapporten regnet. Reglene er de samme i tabellene, figurene, regnearket og "
        "notatbøkene, og verdiene i dem (terskelen, minste antall svar og de andre) er innstillingene rapporten "
        "ble laget med.",
        "en": "How the figures in the report were computed. The rules are the same in the tables, the charts, "
        "the workbook and the notebooks, and the values in them (the threshold, the minimum number of answers "
        "and the others) are the settings the report was made with.",
    },
    "about_gender_threshold": {
        "nb": "Skjev kjønnsbalanse: det underrepresenterte kjønnet er under {pct} % av kvinnene og mennene i "
        "enheten. {pct} % er ikke under {pct} %: andelen sammenlignes eksakt med terskelen, ikke avrundet.",
        "en": "Gender imbalance: the under-represented gender is below {pct} % of the women and men in the unit. "
        "{pct} % is not below {pct} %: the share is compared with the threshold exactly, not rounded.",
    },
    "about_gender_measure": {
        "nb": "Hver andel gjelder ett mål – søkere, tilbud, opptatte eller registrerte studenter – med semester "
        "og studentkategori. Enheter sammenlignes, summeres og følges over år bare innenfor samme mål; et "
        "fakultet og en institusjon er summen av enhetene under seg.",
        "en": "Each share is of one measure – applicants, offers, admitted or registered students – with its "
        "semester and student category. Units are compared, summed and followed over years only within one "
        "measure; a faculty and an institution are the sums of the units below them.",
    },
    # the rule on masked figures: its first sentence always, then what the flags hold
    # (analysis.report.about.suppression_rule): sums with masked units inside, rows of the
    # student categories added with a masked category inside, both, or neither
    "about_gender_suppressed": {
        "nb": "Tall DBH skjermer i åpne data (små celler) og enheter uten tall for kjønn er ukjente, ikke 0.",
        "en": "Figures DBH masks in open data (small cells) and units without figures by gender are unknown, not 0.",
    },
    "about_gender_interval_sums": {
        "nb": "Har {sums} skjermede tall inni seg, er andelen et intervall.",
        "en": "Where {sums} has masked figures inside it, its share is an interval.",
    },
    "about_gender_interval_categories": {
        "nb": "Er tallet for én studentkategori skjermet, er {added} tall for alle studentkategorier sammen et "
        "intervall (ellers ville det, minus de andre kategoriene, gi det skjermede tallet).",
        "en": "Where one student category's figure is masked, {added} figure of all student categories together "
        "is an interval (else it less the other categories gave the masked figure).",
    },
    "about_gender_interval_both": {
        "nb": "Har {sums} skjermede tall inni seg, er andelen et intervall; det samme gjelder {added} tall for "
        "alle studentkategorier sammen der tallet for én kategori er skjermet (ellers ville det, minus de "
        "andre kategoriene, gi det skjermede tallet).",
        "en": "Where {sums} has masked figures inside it, its share is an interval; so is {added} figure of all "
        "student categories together where one category's figure is masked (else it less the other "
        "categories gave the masked figure).",
    },
    "about_gender_interval_programmes": {
        "nb": "Er tallet for ett studieprogram skjermet, er {parts} tall et intervall (ellers ville det, minus de "
        "andre studieprogrammene, gi det skjermede tallet).",
        "en": "Where one study programme's figure is masked, {parts} figure is an interval (else it less the other "
        "study programmes gave the masked figure).",
    },
    "about_gender_interval_unplaced": {
        "nb": "Er tallet for et studieprogram skjermet, og programmet kan ikke plasseres i eller utenfor et "
        "institutt (tabell 347 gir det ikke ett institutt, eller institusjonen er ukjent), vises ikke "
        "{parts} eget tall: kvinnene kan være hvor som helst i totalen.",
        "en": "Where a study programme's figure is masked and the programme cannot be placed in or outside a "
        "department (table 347 gives it no one department, or the institution is not known), "
        "{parts} own figure is not shown: its women may be anywhere in its total.",
    },
    "about_gender_interval_unplaced_beside": {
        "nb": "Er tallet for én studentkategori skjermet, og studieprogrammer som ikke kan plasseres i eller utenfor "
        "et institutt (tabell 347 gir dem ikke ett institutt, eller institusjonen er ukjent), kan gi tallet for "
        "alle studentkategorier sammen, vises ikke {parts} eget tall: kvinnene kan være hvor som helst i totalen.",
        "en": "Where one student category's figure is masked and study programmes that cannot be placed in or "
        "outside a department (table 347 gives them no one department, or the institution is not known) may "
        "give that of all student categories together, {parts} own figure is not shown: its women may be "
        "anywhere in its total.",
    },
    "about_gender_interval_beside": {
        "nb": "Er tallet for én studentkategori skjermet, og studieprogrammenes tall gir tallet for alle "
        "studentkategorier sammen, er {parts} tall for den største viste kategorien et intervall (ellers ville "
        "studieprogrammene, minus de viste kategoriene, gi det skjermede tallet).",
        "en": "Where one student category's figure is masked and the study programmes' figures give that of all "
        "student categories together, {parts} figure of its largest category shown is an interval (else the "
        "study programmes less the categories shown gave the masked figure).",
    },
    "about_gender_interval_judged": {
        "nb": "Enheten er under eller over terskelen bare når hele intervallet gir samme svar, ellers står den "
        "under «Kan ikke vurderes».",
        "en": "The unit is below or above the threshold only when the whole interval gives the same answer, "
        'otherwise it is listed under "Cannot be judged".',
    },
    # who has masked figures inside, as the rule names them ("et fakultet eller en institusjon")
    "about_gender_inside_faculty": {"nb": "et fakultet", "en": "a faculty"},
    "about_gender_inside_institution": {"nb": "en institusjon", "en": "an institution"},
    "about_gender_inside_department": {"nb": "et institutts", "en": "a department's"},
    "about_gender_inside_programme": {"nb": "et studieprograms", "en": "a study programme's"},
    "about_gender_or": {"nb": "eller", "en": "or"},
    "about_gender_needed": {
        "nb": "«Antall som trengs» er hvor mange flere av det underrepresenterte kjønnet som skal til for at "
        "andelen når {pct} %, med det andre kjønnet uendret. Der andelen er et intervall, er antallet det også "
        "(minst–høyst).",
        "en": '"Number needed" is how many more of the under-represented gender would bring the share to '
        "{pct} %, with the other gender unchanged. Where the share is an interval, so is the number (fewest–most).",
    },
    "about_gender_borderline": {
        "nb": "«Grensetilfelle» (i regnearket): der kilden gir antall, at et {level} % konfidensintervall "
        "(Wilson) for det underrepresenterte kjønnets andel inneholder terskelen; der kilden gir en avrundet "
        "andel (Samordna opptak: «{rounded} %»), at avrundingen skjuler hvilken side av terskelen andelen er på. "
        "Enheten vurderes likevel på tallet slik kilden gir det.",
        "en": '"Borderline" (in the workbook): where the source gives counts, a {level} % confidence interval '
        "(Wilson) for the under-represented gender's share contains the threshold; where it gives a rounded "
        'share (Samordna opptak: "{rounded} %"), the rounding hides which side of the threshold the share is on. '
        "The unit is judged on the figure as the source gives it all the same.",
    },
    "about_gender_trend": {
        "nb": "«Utvikling» er stigningstallet (minste kvadraters metode) for det underrepresenterte kjønnets "
        "andel over de siste {window} årene til og med rapportåret; mindre enn {flat} {points} per år opp "
        "eller ned kalles stabil. Et år der andelen bare er kjent som et intervall (skjermede tall inni), teller "
        "med hele intervallet: utviklingen får et ord bare der hvert stigningstall intervallene tillater, gir samme ord; "
        "et år der ingenting av andelen er vist (enhetens eget tall skjermet), er ikke med. "
        "For en institusjon som andre er slått sammen inn i, regnes utviklingen og «år på "
        "rad» bare over årene fra sammenslåingen: tallene før gjelder en annen institusjon (brudd i tidsserien).",
        "en": '"Trend" is the least-squares slope of the under-represented gender\'s share over the last '
        "{window} years up to the report year; less than {flat} {points} a year up or down is called "
        "flat. A year whose share is known only as an interval (suppressed counts inside) counts with the whole "
        "interval: the trend has a word only where every slope the intervals leave gives the same one; "
        "a year of which nothing of the share is shown (the unit's own count suppressed) is left out. "
        'For an institution others merged into, the trend and "years in a row" run over the years from '
        "the merger only: the figures before are another institution's (a break in the series).",
    },
    "about_survey_answers": {
        "nb": "Studiebarometeret: et snitt regnes bare av svarene 1–5. «Vet ikke / ikke relevant» og blanke "
        "svar er ikke med i snittet; «vet ikke» telles for seg.",
        "en": 'Studiebarometeret: a mean is computed from the answers 1–5 only. "Don\'t know / not relevant" '
        'and blank answers are not in the mean; "don\'t know" is counted apart.',
    },
    "about_survey_hidden": {
        "nb": "Et resultat med færre enn {min_n} svar vises ikke, og heller ikke et resultat som et skjult "
        "resultat kan regnes ut fra (for eksempel fakultetet minus de viste studieprogrammene, eller en indeks "
        "og spørsmålene i den); i en skjult rad står heller ikke antallet svar, bare «–». Med færre enn "
        "{warn_n} svar er resultatet merket «få svarende».",
        "en": "A result with fewer than {min_n} answers is not shown, nor is a result from which a hidden one "
        "could be worked out (the faculty minus the programmes shown, say, or an index and its items); a hidden "
        'row does not show its number of answers either, only "–". With fewer than {warn_n} answers a result is '
        'marked "few respondents".',
    },
    "about_survey_index": {
        "nb": "En indeks er for hver student snittet av indeksens spørsmål studenten har svart på, når høyst "
        "{missing} av dem mangler; enhetens indeks er snittet av studentenes. Fakulteter og institusjonen "
        "regnes av alle studentene sine, ikke som snitt av programmenes snitt.",
        "en": "An index is, for each student, the mean of the index's items the student answered, when at most "
        "{missing} of them are missing; a unit's index is the mean of its students'. Faculties and the "
        "institution are computed from all their students, not as means of the programmes' means.",
    },
    "about_survey_changes": {
        "nb": "Intervallene rundt snittene er {level} % konfidensintervall. Endring fra året før vises bare når "
        "begge årene vises, for en indeks bare når den har de samme spørsmålene begge årene, og er testet med Welchs t-test; «signifikant» er justert for mange tester "
        "(Benjamini–Hochberg, {alpha} %) innen én enhet og ett år, spørsmålene og indeksene hver for seg.",
        "en": "The intervals around the means are {level} % confidence intervals. A change from the year before "
        "is shown only when both years are shown, for an index only when it has the same items in both years, "
        'and is tested with Welch\'s t-test; "significant" is '
        "adjusted for many tests (Benjamini–Hochberg, {alpha} %) within one unit and year, the items and the "
        "indices apart.",
    },
    "about_survey_portal": {
        "nb": "Studiebarometeret.no: snittene er NOKUTs egne. Et studieprogram med færre enn {min_n} svarende "
        "vises ikke, og med færre enn {warn_n} (eller der NOKUT varsler om få svar) er det merket «få "
        "svarende»; «under snittet for fagfeltet» sammenligner med NOKUTs snitt for samme fagfelt. Et år i "
        "tidsserien skjules likedan der DBH-faktaene gir antall svarende; et år som verken indeksoversikten "
        "eller DBH-faktaene gir antall svarende for, står slik NOKUT publiserte det.",
        "en": "Studiebarometeret.no: the means are NOKUT's own. A programme with fewer than {min_n} respondents "
        'is not shown, and with fewer than {warn_n} (or where NOKUT warns of few answers) it is marked "few '
        'respondents"; "below the field average" compares with NOKUT\'s average for the same field. Years of '
        "the time series are hidden alike where the DBH facts give their number of respondents; a year neither "
        "the index view nor the DBH facts give a number of respondents for is as NOKUT published it.",
    },
    "about_survey_portal_set_aside": {
        "nb": "Studiebarometeret {years} for {institution} er regnet fra NOKUTs svarfiler; portalens tall for "
        "samme år er ikke vist ved siden av (to opptellinger av de samme svarene kunne gi bort et skjult tall).",
        "en": "Studiebarometeret {years} for {institution} is computed from NOKUT's respondent files; the "
        "portal's figures for the same years are not shown beside them (two counts of the same answers could "
        "give away a hidden figure).",
    },
    "about_integration": {
        "nb": "Integrering av internasjonale studenter: skåren er det uvektede snittet av {scores}. Plassen og "
        "avstanden til den beste og til medianen er regnet blant {units} i sammenligningsgruppen som står i "
        "overskriften. Figuren tegner hele gruppen der den får plass ({rows} rader), ellers de egne enhetene, "
        "{best} og gruppens median; skjermede enheter tegnes aldri. Hele rangeringen står i tabellen.",
        "en": "Integration of international students: the score is the unweighted mean of {scores}. The rank "
        "and the distance to the best and to the median are computed among {units} of the comparison group "
        "named in the heading. The chart draws the whole group where it fits ({rows} rows), else the own "
        "units, {best} and the group's median; suppressed units are never drawn. The table has the "
        "full ranking.",
    },
    # what the integration ranks are ranks among (metrics.integration.ranked_units): an extract
    # ranks institutions, respondent-level data ranks programmes; each source on its own
    "ranked_units_institutions": {"nb": "institusjonene", "en": "the institutions"},
    "ranked_units_programmes": {"nb": "studieprogrammene", "en": "the programmes"},
    "ranked_units_both": {
        "nb": "institusjonene (uttrekket, snitt per institusjon) og blant studieprogrammene (rådata per "
        "respondent), hver kilde for seg,",
        "en": "the institutions (the extract, means per institution) and among the programmes (respondent-level "
        "data), each source on its own,",
    },
    "about_wellbeing": {
        "nb": "SHoT: tallene er publiserte andeler fra SHoT-undersøkelsen, nasjonalt eller for en region, ikke "
        "for institusjonen; endring regnes bare fra forrige bølge med samme definisjon.",
        "en": "SHoT: the figures are published shares from the SHoT survey, national or for a region, not for "
        "the institution; a change is computed only from the previous wave with the same definition.",
    },
    "appendix_intro": {
        "nb": "Antall enheter under terskelen av enhetene som kunne vurderes, per år, mål og nivå. "
        "Tall fra før rapportåret står her, ikke i oppfølgingslisten.",
        "en": "Number of units below the threshold of the units that could be judged, by year, measure and "
        "level. Figures from before the report year are here, not in the follow-up list.",
    },
    "n_of_m": {"nb": "{n} av {m}", "en": "{n} of {m}"},
    "flagged_programmes": {"nb": "Enheter med skjev kjønnsbalanse", "en": "Units with skewed gender balance"},
    "charts": {"nb": "Figurer", "en": "Charts"},
    "tables": {"nb": "Tabeller", "en": "Tables"},
    "finding_flagged": {
        # "i datagrunnlaget": the count is of the units in the data (a Samordna extract holds some
        # of an institution's programmes), not of all the institution's units
        "nb": "{n} av {total} {units} i datagrunnlaget har under {pct} % av det underrepresenterte kjønnet "
        "({measure}, {year}).",
        "en": "{n} of {total} {units} in the data {have} under {pct} % of the under-represented gender "
        "({measure}, {year}).",
    },
    # the institution as a whole, one measure: the first thing an adviser is asked
    "finding_institution": {
        "nb": "{name} som helhet har {share} {gender} ({measure}, {year}): {verdict}.",
        "en": "{name} as a whole has {share} {gender} ({measure}, {year}): {verdict}.",
    },
    "finding_institution_flagged": {"nb": "under {pct} %", "en": "below {pct} %"},
    "finding_institution_ok": {"nb": "ikke under {pct} %", "en": "not below {pct} %"},
    "finding_institution_unknown": {
        "nb": "{name} som helhet kan ikke vurderes for {year} ({measure}): {reason}.",
        "en": "{name} as a whole cannot be judged for {year} ({measure}): {reason}.",
    },
    "finding_unknown": {
        "nb": "{n} {units} kan ikke vurderes for {year} ({measure}): tallene er skjermet eller mangler.",
        "en": "{n} {units} cannot be judged for {year} ({measure}): the counts are suppressed or missing.",
    },
    "finding_integration": {
        "nb": "Integrering av internasjonale studenter, Studiebarometeret {year}, {level}: {institution} er "
        "nr. {rank} av {total} ({group}), {gap_best} og {gap_median}.",
        "en": "Integration of international students, Student Survey {year}, {level}: {institution} ranks "
        "{rank} of {total} ({group}), {gap_best} and {gap_median}.",
    },
    "finding_portal": {
        # the portal file may hold some of the programmes: the count says whose values these are;
        # and its source, as respondent data beside it count other programmes (finding_survey)
        "nb": "Studiebarometeret {year}, {scope}: {below} av {total} for {programmes} "
        "i datagrunnlagets tall fra studiebarometeret.no ligger under snittet for fagfeltet.",
        "en": "Student Survey {year}, {scope}: {below} of {total} of {programmes} "
        "in the data's figures from studiebarometeret.no {are} below the field average.",
    },
    "finding_survey": {
        "nb": "Studiebarometeret {year} (rådata per respondent), {scope}: {up} av {total} økte signifikant "
        "fra {prev}, og {down} gikk signifikant ned (Benjamini–Hochberg-justert).",
        "en": "Student Survey {year} (raw data per respondent), {scope}: {up} of {total} rose significantly "
        "since {prev}, and {down} fell significantly (Benjamini–Hochberg adjusted).",
    },
    "finding_survey_none": {
        "nb": "Studiebarometeret {year} (rådata per respondent), {scope}: ingen av {total} endret seg "
        "signifikant fra {prev} (Benjamini–Hochberg-justert).",
        "en": "Student Survey {year} (raw data per respondent), {scope}: none of {total} changed "
        "significantly since {prev} (Benjamini–Hochberg adjusted).",
    },
    "finding_wellbeing": {
        "nb": "SHoT {year}, {scope}: {indicator} {value} % – {change}.",
        "en": "SHoT {year}, {scope}: {indicator} {value} % – {change}.",
    },
    "trend_women_rising": {"nb": "kvinneandelen øker", "en": "the share of women is rising"},
    "trend_women_falling": {"nb": "kvinneandelen synker", "en": "the share of women is falling"},
    "trend_women_flat": {"nb": "kvinneandelen er stabil", "en": "the share of women is stable"},
    "trend_men_rising": {"nb": "mannsandelen øker", "en": "the share of men is rising"},
    "trend_men_falling": {"nb": "mannsandelen synker", "en": "the share of men is falling"},
    "trend_men_flat": {"nb": "mannsandelen er stabil", "en": "the share of men is stable"},
    # a year whose share is masked whole is no year of the slope (one on an interval is, with its
    # range): "too few years" alone read as if the unit had no history
    "trend_unknown": {"nb": "for få år med kjent andel til å si", "en": "too few years with a known share to tell"},
    # a range of slopes on both sides of a limit (years known only as intervals): not "too few years"
    "trend_open": {
        "nb": "uavklart: de skjermede tallene gir mellom {low} og {high} prosentpoeng per år",
        "en": "open: the suppressed counts leave {low} to {high} percentage points a year",
    },
    # as many women as men: no gender is under-represented, which is known ("ukjent" said it was not);
    # "that year", not "this year": the history's rows are of every year (Samordna 194170 in 2023)
    "trend_gender_none": {
        "nb": "ingen: like mange kvinner og menn det året",
        "en": "none: as many women as men that year",
    },
    "trend_gender_unknown": {
        "nb": "ukjent: det er ikke kjent hvilket kjønn som er underrepresentert",
        "en": "not known: which gender is under-represented is not known",
    },
    "change_up": {"nb": "{pp} prosentpoeng høyere enn i {prev}", "en": "{pp} percentage points higher than in {prev}"},
    "change_down": {"nb": "{pp} prosentpoeng lavere enn i {prev}", "en": "{pp} percentage points lower than in {prev}"},
    "change_previous_remark": {
        "nb": " (om {prev} skriver kilden: «{remark}»)",
        "en": " (the source on {prev}: “{remark}”)",
    },
    "change_same": {"nb": "som i {prev}", "en": "the same as in {prev}"},
    "change_first": {"nb": "første bølge i datagrunnlaget", "en": "first wave in the data"},
    "change_definition": {
        "nb": "definisjonen er endret siden {prev}: ikke sammenlignbart",
        "en": "definition changed since {prev}: not comparable",
    },
    "change_conflicting": {
        "nb": "ingen endring regnet: {prev} har motstridende tall",
        "en": "no change computed: {prev} has conflicting figures",
    },
    "change_unclear": {
        "nb": "ikke sammenlignbart med {prev} (definisjon uklar)",
        "en": "not comparable with {prev} (definition unclear)",
    },
    "note_conflicting": {
        "nb": "bølgen har {n} ulike tall fra ulike rapporter; alle er tatt med",
        "en": "the wave has {n} different figures from different reports; all are kept",
    },
    "conflicting_figures": {
        "nb": "motstridende tall fra ulike rapporter",
        "en": "conflicting figures from different reports",
    },
    "wellbeing_indicator_title": {
        "nb": "SHoT {years}, {scope}: {indicator}",
        "en": "SHoT {years}, {scope}: {indicator}",
    },
    "wellbeing_indicator_subtitle": {
        "nb": "Andel studenter; endring fra forrige sammenlignbare bølge ved siste punkt",
        "en": "Share of students; change since the previous comparable wave at the last point",
    },
    "report_note": {
        "nb": "Laget med kvalitet. Tallene er offentlige kildedata; hent ferske data før publisering.",
        "en": "Made with kvalitet. Figures are public source data; fetch fresh data before publishing.",
    },
    "figure_files": {"nb": "Figurfiler", "en": "Figure files"},
    "figure_missing": {
        "nb": "(Figuren mangler: ingen nettleser for bildeeksporten.)",
        "en": "(Chart missing: no browser for the image export.)",
    },
    "figure_caption": {"nb": "Figur {n}. {title}", "en": "Figure {n}. {title}"},
    "table_caption": {"nb": "Tabell {n}. {title}", "en": "Table {n}. {title}"},
    "alt_bars": {"nb": "Stolpediagram", "en": "Bar chart"},
    "alt_lines": {"nb": "Linjediagram", "en": "Line chart"},
    "alt_dots": {"nb": "Punktdiagram", "en": "Dot chart"},
    "alt_chart": {"nb": "Diagram", "en": "Chart"},
    "alt_series": {"nb": "Serier: {names}.", "en": "Series: {names}."},
    "alt_gender_bars": {
        "nb": "{flagged} av {total} under terskelen.",
        "en": "{flagged} of {total} below the threshold.",
    },
    "col_level": {"nb": "Nivå", "en": "Level"},
    "col_unit": {"nb": "Enhet", "en": "Unit"},
    "col_unit_with_code": {"nb": "Enhet (kode)", "en": "Unit (code)"},
    "col_faculty": {"nb": "Fakultet", "en": "Faculty"},
    "col_programme": {"nb": "Program", "en": "Programme"},
    "all_option": {"nb": "(alle)", "en": "(all)"},
    # the readers' notes are the product's error interface (FILE:ROW:COLUMN: VALUE — what), in English
    "notes": {"nb": "Merknader fra innlesingen (tekniske meldinger, på engelsk)", "en": "Notes from reading the data"},
    "files": {"nb": "Filer", "en": "Files"},
    "col_code": {"nb": "Kode", "en": "Code"},
    "col_measure": {"nb": "Mål", "en": "Measure"},
    "col_share_women": {"nb": "Andel kvinner", "en": "Share of women"},
    "col_underrepresented": {"nb": "Underrepresentert kjønn", "en": "Under-represented gender"},
    "col_underrepresented_share": {
        "nb": "Andel av underrepresentert kjønn",
        "en": "Share of the under-represented gender",
    },
    "col_underrepresented_and_share": {
        "nb": "Underrepresentert kjønn og andel",
        "en": "Under-represented gender and its share",
    },
    "col_field_benchmark": {"nb": "Fagfeltet nasjonalt", "en": "Field, national"},
    # the row's measure counts applicants, offers, admitted or registered students: "Studenter"
    # over a count of applicants named another measure than the row's own
    # (col_students_needed_fewest and _most: MARKING_LABELS, they mark the report's follow-up list)
    "col_years_flagged": {"nb": "År på rad", "en": "Years in a row"},
    "col_trend": {"nb": "Utvikling", "en": "Trend"},
    "col_status": {"nb": "Status", "en": "Status"},
    "col_total": {"nb": "Antall i alt", "en": "Total"},
    "col_women": {"nb": "Kvinner", "en": "Women"},
    "col_men": {"nb": "Menn", "en": "Men"},
    "col_reason": {"nb": "Hvorfor", "en": "Why"},
    "col_trend_pp_per_year": {"nb": "Utvikling (prosentpoeng per år)", "en": "Trend (percentage points a year)"},
    "col_trend_pp_low": {
        "nb": "Utvikling, minst (prosentpoeng per år)",
        "en": "Trend, at least (percentage points a year)",
    },
    "col_trend_pp_high": {
        "nb": "Utvikling, høyst (prosentpoeng per år)",
        "en": "Trend, at most (percentage points a year)",
    },
    "col_ci_low_share": {"nb": "{level} % KI, nedre", "en": "{level} % CI, lower"},
    "col_ci_high_share": {"nb": "{level} % KI, øvre", "en": "{level} % CI, upper"},
    "col_borderline": {"nb": "Grensetilfelle", "en": "Borderline"},
    "col_study_level": {"nb": "Studienivå", "en": "Study level"},
    "col_integration_combined": {"nb": "Samlet", "en": "Combined"},
    "col_gap_to_median": {"nb": "Avstand til medianen", "en": "Distance to the median"},
    "col_gap_to_mean": {"nb": "Avstand til snittet", "en": "Distance to the mean"},
    "col_comparison_group": {"nb": "Sammenligningsgruppe", "en": "Comparison group"},
    "col_index": {"nb": "Indeks", "en": "Index"},
    "col_field": {"nb": "Fagfelt", "en": "Field"},
    "respondents_header": {"nb": "Respondenter", "en": "Respondents"},
    "col_response_rate_pct": {"nb": "Svarprosent", "en": "Response rate (%)"},
    "col_wave": {"nb": "Bølge", "en": "Wave"},
    "col_indicator": {"nb": "Indikator", "en": "Indicator"},
    "col_group": {"nb": "Gruppe", "en": "Group"},
    "col_scope": {"nb": "Omfang", "en": "Scope"},
    "col_value_pct": {"nb": "Andel studenter (%)", "en": "Share of students (%)"},
    "col_share_students": {"nb": "Andel studenter", "en": "Share of students"},
    "col_previous_wave": {"nb": "Forrige bølge", "en": "Previous wave"},
    "col_change_pp": {"nb": "Endring (prosentpoeng)", "en": "Change (percentage points)"},
    "col_change_text": {"nb": "Endring", "en": "Change"},
    "col_previous_year_value": {"nb": "Året før", "en": "The year before"},
    "col_file": {"nb": "Fil", "en": "File"},
    "col_file_kind": {"nb": "Filtype", "en": "Kind of file"},
    "col_dataset": {"nb": "Datasett", "en": "Dataset"},
    # the validated datasets (analysis.readers.kinds; "admissions" is Samordna's key figures)
    "dataset_admissions": {"nb": "Samordna opptak, nøkkeltall", "en": "Samordna opptak, key figures"},
    "dataset_dbh_queries": {"nb": "DBH-spørringer", "en": "DBH queries"},
    "dataset_departments": {"nb": "Instituttnavn (DBH tabell 457)", "en": "Department names (DBH table 457)"},
    "dataset_faculties": {"nb": "Fakultetsnavn (DBH tabell 210)", "en": "Faculty names (DBH table 210)"},
    "dataset_gender": {
        "nb": "Kjønnstall (søkere, opptak, registrerte studenter)",
        "en": "Gender figures (applicants, admissions, registered students)",
    },
    "dataset_institutions": {"nb": "Institusjonsnavn (DBH tabell 211)", "en": "Institution names (DBH table 211)"},
    "dataset_integration_extract": {"nb": "Integreringsuttrekk", "en": "Integration extract"},
    "dataset_portal_dbh_facts": {"nb": "Studiebarometeret.no, DBH-fakta", "en": "Studiebarometeret.no, DBH facts"},
    "dataset_portal_history": {"nb": "Studiebarometeret.no, tidsserie", "en": "Studiebarometeret.no, time series"},
    "dataset_portal_index": {"nb": "Studiebarometeret.no, indekser", "en": "Studiebarometeret.no, indices"},
    "dataset_portal_items": {"nb": "Studiebarometeret.no, spørsmål", "en": "Studiebarometeret.no, items"},
    "dataset_programmes": {"nb": "Studieprogram (DBH tabell 347)", "en": "Study programmes (DBH table 347)"},
    "dataset_shot": {"nb": "SHoT-indikatorer", "en": "SHoT indicators"},
    "dataset_survey_respondents": {
        "nb": "Studiebarometeret, respondentdata",
        "en": "Student Survey, respondent data",
    },
    "dataset_survey_variables": {"nb": "Studiebarometeret, variabelliste", "en": "Student Survey, variable list"},
    # the kinds of input file (analysis.readers.kinds), for the files read in notebook 01
    **{
        f"filekind_dbh-{table}-{fmt}": {lang: words[lang].format(table=name[lang]) for lang in ("nb", "en")}
        for table, name in _DBH_FILE_TABLES.items()
        for fmt, words in _DBH_FILE_FORMATS.items()
    },
    "filekind_dbh-query": {
        "nb": "DBH-API-spørring (opphavet til en eksport)",
        "en": "DBH API query (the provenance of an export)",
    },
    "filekind_samordna-keyfigures": {
        "nb": "Samordna opptak, nøkkeltall (søkertall), JSON eller CSV",
        "en": "Samordna opptak, key figures (applicant figures), JSON or CSV",
    },
    "filekind_samordna-sample": {
        "nb": "Samordna opptak, utvalg av studieprogram",
        "en": "Samordna opptak, programme sample",
    },
    "filekind_seed-admission": {
        "nb": "Andel kvinner tatt opp, studieprogram × år",
        "en": "Share of women admitted, programme × year",
    },
    "filekind_seed-integration": {"nb": "Integreringsuttrekk (snitt 1–5)", "en": "Integration extract (mean 1–5)"},
    "filekind_sb-respondents": {
        "nb": "Studiebarometeret, rådata per respondent",
        "en": "Student Survey, respondent-level data",
    },
    "filekind_sb-portal-index": {"nb": "Indekser fra studiebarometeret.no", "en": "Studiebarometeret.no indices"},
    "filekind_sb-portal-items": {"nb": "Spørsmål fra studiebarometeret.no", "en": "Studiebarometeret.no items"},
    "filekind_sb-portal-history": {
        "nb": "Tidsserie fra studiebarometeret.no",
        "en": "Studiebarometeret.no time series",
    },
    "filekind_sb-portal-dbh-facts": {
        "nb": "DBH-fakta fra studiebarometeret.no",
        "en": "Studiebarometeret.no DBH facts",
    },
    "filekind_sb-variables": {"nb": "Studiebarometerets variabelliste", "en": "Student Survey variable list"},
    "filekind_shot-indicators": {"nb": "SHoT-indikatortabell", "en": "SHoT indicator table"},
    "col_rows": {"nb": "Rader", "en": "Rows"},
    "col_suppressed_cells": {"nb": "Skjermede celler", "en": "Suppressed cells"},
    "col_warnings": {"nb": "Advarsler", "en": "Warnings"},
    "col_conflicting": {"nb": "Motstridende tall", "en": "Conflicting figures"},
    "col_definition_note": {"nb": "Definisjon", "en": "Definition"},
    "col_note": {"nb": "Merknad", "en": "Note"},
    "col_source_url": {"nb": "Kilde-URL", "en": "Source URL"},
    "col_measure_level": {"nb": "Mål og nivå", "en": "Measure and level"},
    "col_unlabelled": {"nb": "(kolonne uten navn)", "en": "(unnamed column)"},
    "yes": {"nb": "ja", "en": "yes"},
    "no": {"nb": "nei", "en": "no"},
    # sheet names (at most 31 characters with the year)
    "sheet_followup": {"nb": "Oppfølging {year}", "en": "Follow-up {year}"},
    "sheet_unknown": {"nb": "Ikke vurdert {year}", "en": "Not judged {year}"},
    "sheet_gender": {"nb": "Kjønnsbalanse {year}", "en": "Gender balance {year}"},
    "sheet_integration": {"nb": "Integrering {year}", "en": "Integration {year}"},
    "sheet_survey": {"nb": "Studiebarometeret {year}", "en": "Student Survey {year}"},
    "sheet_survey_indices": {"nb": "Studiebarometeret indekser {year}", "en": "Student Survey indices {year}"},
    "sheet_wellbeing": {"nb": "SHoT {year}", "en": "SHoT {year}"},
    # the appendix holds every year of the gender tables: its name says which (at most 31 characters)
    "sheet_history": {"nb": "Vedlegg kjønnsbalanse {year}", "en": "Appendix gender {year}"},
    # the report's notes (what a "–" is, sources, empty columns) for the workbook on its own
    "sheet_notes": {"nb": "Merknader", "en": "Notes"},
    "col_report_part": {"nb": "Del av rapporten", "en": "Part of the report"},
    "report_part_whole": {"nb": "Hele rapporten", "en": "The whole report"},
    "sheet_flags": {"nb": "Kjønnsbalanse", "en": "Gender balance"},
    "sheet_items": {"nb": "Spørsmål", "en": "Items"},
    "sheet_indices": {"nb": "Indekser", "en": "Indices"},
    "sheet_changes": {"nb": "Endringer", "en": "Changes"},
    # machine columns of the metric tables, for `kvalitet flags|survey|integration --out FILE.xlsx`
    "col_institution_code": {"nb": "Institusjonskode", "en": "Institution code"},
    "col_unit_name": {"nb": "Enhet", "en": "Unit"},
    "col_institution_name": {"nb": "Institusjon", "en": "Institution"},
    "col_count_1": {"nb": "Antall svar 1", "en": "Answers 1"},
    "col_count_2": {"nb": "Antall svar 2", "en": "Answers 2"},
    "col_count_3": {"nb": "Antall svar 3", "en": "Answers 3"},
    "col_count_4": {"nb": "Antall svar 4", "en": "Answers 4"},
    "col_count_5": {"nb": "Antall svar 5", "en": "Answers 5"},
    "col_pct_1": {"nb": "Andel svar 1", "en": "Share answering 1"},
    "col_pct_2": {"nb": "Andel svar 2", "en": "Share answering 2"},
    "col_pct_3": {"nb": "Andel svar 3", "en": "Share answering 3"},
    "col_pct_4": {"nb": "Andel svar 4", "en": "Share answering 4"},
    "col_pct_5": {"nb": "Andel svar 5", "en": "Share answering 5"},
    "col_dont_know": {"nb": "Vet ikke", "en": "Don't know"},
    "col_dont_know_pct": {"nb": "Andel vet ikke", "en": "Share don't know"},
    "col_institution_short_name": {"nb": "Institusjon (kort)", "en": "Institution (short)"},
    "col_department_code": {"nb": "Instituttkode", "en": "Department code"},
    "col_department_name": {"nb": "Institutt", "en": "Department"},
    "col_nus_code": {"nb": "NUS-kode", "en": "NUS code"},
    "col_field_code": {"nb": "Fagfelt (NUS)", "en": "Field (NUS)"},
    "col_semester": {"nb": "Semester", "en": "Semester"},
    "col_student_category": {"nb": "Studentkategori", "en": "Student category"},
    # a column of one value in a count table's download (analysis.readers.base.measure_filter)
    "col_measure_filter": {"nb": "Filter i uttrekket", "en": "Filter of the download"},
    "col_consecutive_years_flagged": {"nb": "År på rad under terskelen", "en": "Years in a row below the threshold"},
    # the merger a row's series starts after (analysis.series_breaks.series_start)
    "col_series_break": {"nb": "Brudd i serien", "en": "Break in the series"},
    "col_field_programmes": {"nb": "Program i fagfeltet", "en": "Programmes in the field"},
    "col_field_institutions": {"nb": "Institusjoner i fagfeltet", "en": "Institutions in the field"},
    "col_field_total": {"nb": "Studenter i fagfeltet", "en": "Students in the field"},
    "col_field_share_women": {"nb": "Kvinneandel i fagfeltet", "en": "Share of women in the field"},
    "col_field_underrepresented_share": {
        "nb": "Fagfeltets andel av samme kjønn",
        "en": "Field's share of the same gender",
    },
    "col_field_distance_pp": {"nb": "Avstand til fagfeltet (prosentpoeng)", "en": "Distance to the field (pp)"},
    "col_field_basis": {"nb": "Grunnlag for fagfeltet", "en": "Basis of the field figure"},
    "col_unit_code": {"nb": "Enhetskode", "en": "Unit code"},
    "col_faculty_code": {"nb": "Fakultetskode", "en": "Faculty code"},
    "col_faculty_name": {"nb": "Fakultet", "en": "Faculty"},
    "col_total_high": {"nb": "Antall i alt, høyst", "en": "Total, at most"},
    "col_women_low": {"nb": "Kvinner, minst", "en": "Women, at least"},
    "col_women_high": {"nb": "Kvinner, høyst", "en": "Women, at most"},
    "col_suppressed_units": {"nb": "Skjermede enheter", "en": "Suppressed units"},
    "col_suppressed_total": {"nb": "Studenter i skjermede enheter", "en": "Students in suppressed units"},
    "col_suppressed_inside": {"nb": "Skjermet inni", "en": "Suppressed inside"},
    "inside_department": {"nb": "institutter", "en": "departments"},
    "inside_student_category": {"nb": "studentkategorier", "en": "student categories"},
    "inside_semester": {"nb": "semestre", "en": "semesters"},
    "inside_filter_value": {"nb": "filterverdier", "en": "filter values"},
    "inside_programme": {"nb": "studieprogrammer", "en": "study programmes"},
    "inside_unplaced_programme": {"nb": "studieprogrammer uten plass", "en": "study programmes not placed"},
    "inside_category_beside": {"nb": "studentkategorier ved siden av", "en": "student categories beside"},
    "inside_category_beside_unplaced": {
        "nb": "studentkategorier ved siden av, studieprogrammer uten plass",
        "en": "student categories beside, study programmes not placed",
    },
    "col_threshold": {"nb": "Terskel", "en": "Threshold"},
    "col_source_file": {"nb": "Kildefil", "en": "Source file"},
    "col_source": {"nb": "Kilde", "en": "Source"},
    "col_institution": {"nb": "Institusjon", "en": "Institution"},
    "col_academic": {"nb": "Faglig integrering", "en": "Academic integration"},
    "col_social": {"nb": "Sosial integrering", "en": "Social integration"},
    "col_scores_used": {"nb": "Skårer i samlet", "en": "Scores combined"},
    "col_n": {"nb": "Antall svar", "en": "Answers"},
    "col_suppressed": {"nb": "Skjermet", "en": "Suppressed"},
    "col_rank": {"nb": "Plass", "en": "Rank"},
    "col_in_comparison_group": {"nb": "I sammenligningsgruppen", "en": "In the comparison group"},
    "col_question": {"nb": "Spørsmål", "en": "Question"},
    "col_mean": {"nb": "Gjennomsnitt", "en": "Mean"},
    "col_sd": {"nb": "Standardavvik", "en": "Standard deviation"},
    "col_ci_high": {"nb": "{level} % KI, øvre", "en": "{level} % CI, upper"},
    "col_kind": {"nb": "Type", "en": "Kind"},
    "col_name": {"nb": "Navn", "en": "Name"},
    "col_year": {"nb": "År", "en": "Year"},
    "col_previous_year": {"nb": "Forrige år", "en": "Previous year"},
    "col_n_previous": {"nb": "Antall svar forrige år", "en": "Answers previous year"},
    "col_mean_previous": {"nb": "Gjennomsnitt forrige år", "en": "Mean previous year"},
    "col_change": {"nb": "Endring", "en": "Change"},
    "col_p_value": {"nb": "p-verdi (Welch)", "en": "p-value (Welch)"},
    "col_suppression": {"nb": "Skjerming", "en": "Suppression"},
    # the flags' categories_disagree: a row of the student categories added that its rows by
    # category contradict (a sum: with such a row inside)
    "col_categories_disagree": {
        "nb": "Kategoriene motsier summen",
        "en": "Categories contradict the total",
    },
    "col_source_kind": {"nb": "Kilde", "en": "Source"},
    "col_gender_group": {"nb": "Kjønn", "en": "Gender"},
    "col_previous_value_pct": {"nb": "Forrige bølge (%)", "en": "Previous wave (%)"},
    "col_previous_remark": {"nb": "Kildens merknad om forrige bølge", "en": "Source's remark on the previous wave"},
    "col_national_value_pct": {"nb": "Nasjonalt (%)", "en": "National (%)"},
    "col_difference_to_national_pp": {
        "nb": "Forskjell fra nasjonalt (prosentpoeng)",
        "en": "Difference from national (percentage points)",
    },
    "col_versions": {"nb": "Antall tall for bølgen", "en": "Figures for the wave"},
    "col_definition": {"nb": "Definisjon (forenklet)", "en": "Definition (simplified)"},
    "col_place": {"nb": "Sted", "en": "Place"},
    # progress and messages of `kvalitet report`
    # the stages' lines (analysis.pipeline), in the report's language during a report build; the
    # files' own problems keep their FILE:ROW:COLUMN: VALUE — what (what to do) form after the prefix
    "stage_note": {"nb": "  merknad: {note}", "en": "  note: {note}"},
    "stage_warning": {"nb": "  advarsel: {warning}", "en": "  warning: {warning}"},
    "stage_read": {
        "nb": "lest {path}: {kind}, {rows}{suppressed}",
        "en": "read {path}: {kind}, {rows}{suppressed}",
    },
    "stage_read_suppressed": {"nb": ", {n}", "en": ", {n}"},
    "stage_validated_up_to_date": {"nb": "validerte data: oppdatert ({path})", "en": "validated: up to date ({path})"},
    "stage_validated_wrote": {
        "nb": "validerte data: skrev {n} til {path}",
        "en": "validated: wrote {n} to {path}",
    },
    "stage_derived_up_to_date": {"nb": "avledede tabeller: oppdatert ({path})", "en": "derived: up to date ({path})"},
    "stage_derived_step": {"nb": "avledede tabeller: {step} …", "en": "derived: {step} …"},
    "stage_derived_skipped": {
        "nb": "avledede tabeller: {step} hoppet over: {reason}",
        "en": "derived: {step} skipped: {reason}",
    },
    "stage_derived_wrote": {
        "nb": "avledede tabeller: skrev {n} til {path}",
        "en": "derived: wrote {n} to {path}",
    },
    # the derived stage's steps (analysis.pipeline.STEPS) by name
    "step_gender": {"nb": "kjønnsbalanse", "en": "gender"},
    "step_survey": {"nb": "Studiebarometeret", "en": "survey"},
    "step_integration": {"nb": "integrering", "en": "integration"},
    "step_wellbeing": {"nb": "SHoT", "en": "wellbeing"},
    "step_portal": {"nb": "portaltall", "en": "portal"},
    "step_reference": {"nb": "referansetabeller", "en": "reference"},
    "progress_note": {"nb": "Merknad: {note}", "en": "Note: {note}"},
    # what a build killed outright (kill -9) left in the temporary folder, removed by this one
    "progress_removed_dead": {
        "nb": "Fjernet {n} som en avbrutt bygging etterlot i den midlertidige mappen: {names}",
        "en": "Removed {n} that a stopped build left in the temporary folder: {names}",
    },
    "progress_reading": {"nb": "Leser og validerer {path} …", "en": "Reading and validating {path} …"},
    "progress_notebook_done": {"nb": "      {name} ferdig ({seconds} s)", "en": "      {name} done ({seconds} s)"},
    "progress_counts": {"nb": "{figures}, {tables}", "en": "{figures}, {tables}"},
    "progress_export": {
        "nb": "Eksporterer {n} som PNG og SVG med {browser} …",
        "en": "Exporting {n} as PNG and SVG with {browser} …",
    },
    # a browser was found and the export failed: no "Fant ingen Chrome/Chromium" (browser_missing)
    "browser_failed": {
        "nb": "index.html, tabellene, arbeidsboken og Word-dokumentet (uten figurer) lages likevel, og neste "
        "bygging prøver eksporten igjen. Feiler den igjen, sett BROWSER_PATH til en annen Chrome/Chromium enn "
        "{browser}, eller bygg med --no-static (uten PNG/SVG; da er rapporten oppdatert til noe endres).",
        "en": "index.html, the tables, the workbook and the Word document (without charts) are still built, and the "
        "next build tries the export again. If it fails again, set BROWSER_PATH to another Chrome/Chromium than "
        "{browser}, or build with --no-static (no PNG/SVG; the report is then up to date until something changes).",
    },
    "progress_export_failed": {
        "nb": "Bildeeksporten feilet ({reason}). {help}",
        "en": "Static export failed ({reason}). {help}",
    },
    # why the export failed, in the run's language around the technical detail (an error's own text)
    "export_failure_error": {"nb": "feil under eksporten: {error}", "en": "error during the export: {error}"},
    "export_failure_closed": {
        "nb": "nettleseren ble lukket før eksporten var ferdig",
        "en": "the browser closed before the export was done",
    },
    "export_failure_no_start": {
        "nb": "nettleseren startet ikke innen {seconds} s",
        "en": "the browser did not start within {seconds} s",
    },
    "export_failure_no_answer": {
        "nb": "nettleseren sluttet å svare: ingen figur på {seconds} s",
        "en": "the browser stopped answering: no picture for {seconds} s",
    },
    # a browser that hung (one of the two above), and what was done about it
    "export_failure_stopped": {
        "nb": "{reason}; den ble stoppet",
        "en": "{reason}; it was stopped",
    },
    "progress_export_partly": {
        "nb": "Bildeeksport: {n} feilet: {first}",
        "en": "Static export: {n} failed: {first}",
    },
    "progress_word": {
        "nb": "Skriver Word-dokumentet og arbeidsboken …",
        "en": "Writing the Word document and the workbook …",
    },
    # after progress_up_to_date, of a report some or all of whose pictures were not exported
    "pictures_missing": {
        "nb": "{n} av {of} bildefiler (PNG/SVG) ble ikke eksportert da rapporten ble bygget; "
        "--force bygger den på nytt",
        "en": "{n} of {of} picture files (PNG/SVG) were not exported when the report was built; "
        "--force builds it again",
    },
    "progress_up_to_date": {
        "nb": "Rapporten er oppdatert: ingenting er endret siden sist ({path})",
        "en": "The report is up to date: nothing has changed since it was built ({path})",
    },
    "progress_written": {"nb": "Rapporten er skrevet til {path}", "en": "The report was written to {path}"},
    "progress_done": {"nb": "Ferdig på {seconds} s: {path}", "en": "Done in {seconds} s: {path}"},
    "report_not_built": {
        "nb": "Rapporten ble ikke laget; den forrige rapporten (om noen) er uendret.",
        "en": "The report was not built; the earlier report (if any) is unchanged.",
    },
    "browser_missing": {
        "nb": "Fant ingen Chrome/Chromium for bildefilene (PNG/SVG); index.html, tabellene, arbeidsboken og "
        "Word-dokumentet (uten figurer) lages likevel. Installer en: Debian/Ubuntu `sudo apt-get install "
        "chromium`; andre systemer: `kaleido_get_chrome`, eller sett BROWSER_PATH til en Chrome/Chromium.",
        "en": "No Chrome/Chromium found for the static chart files (PNG/SVG); index.html, the tables, the "
        "workbook and the Word document (without charts) are still built. Install one: Debian/Ubuntu "
        "`sudo apt-get install chromium`; other systems: `kaleido_get_chrome` (downloads Chrome for "
        "kaleido) or set BROWSER_PATH to a Chrome/Chromium executable.",
    },
    # notebook printouts
    "nb_report_year": {"nb": "Rapportår: {year}, {scope}", "en": "Report year: {year}, {scope}"},
    "nb_gender_policy": {
        "nb": "{scope}: etter {policy} skal alle studieprogram med skjev kjønnsbalanse – under {pct} % av "
        "det underrepresenterte kjønnet – sette inn tiltak.",
        "en": "{scope}: under {policy}, every study programme with skewed gender balance – below {pct} % "
        "of the under-represented gender – shall take measures.",
    },
    # no policy named in the settings ([gender] policy = ""): the threshold, and no duty
    "nb_gender_threshold": {
        "nb": "{scope}: studieprogram med skjev kjønnsbalanse – under {pct} % av det underrepresenterte "
        "kjønnet, terskelen i innstillingene – flagges.",
        "en": "{scope}: study programmes with skewed gender balance – below {pct} % of the under-represented "
        "gender, the threshold in the settings – are flagged.",
    },
    # the policy sentence of the follow-up list's introduction: named in the settings, or not
    "policy_duty": {
        "nb": "Etter {policy} skal disse sette inn tiltak",
        "en": "Under {policy} they shall take measures",
    },
    "policy_none": {
        "nb": "Terskelen er den i innstillingene",
        "en": "The threshold is the one in the settings",
    },
    "nb_flag_rows": {
        "nb": "{n}; terskel {pct} % (fra innstillingene)",
        "en": "{n}; threshold {pct} % (from the settings)",
    },
    "nb_no_integration": {"nb": "Ingen integreringsskårer.", "en": "No integration scores."},
    "nb_table_cut": {
        "nb": "Tabellen har {rows} rader; her vises de {shown} første og de {shown} siste. Hele tabellen står i "
        "rapportens regneark og i mappen tables.",
        "en": "The table has {rows} rows; the first {shown} and the last {shown} are shown here. The whole table is "
        "in the report's workbook and in the tables folder.",
    },
    "nb_no_respondents": {"nb": "Ingen respondentdata i datagrunnlaget.", "en": "No respondent data in the data."},
    "nb_programme_charts": {
        "nb": "Spørsmålene for {shown} av {total} studieprogram med resultater som kan vises ({year}, de første "
        "etter kode); alle står i rapportens regneark og i tabellen fra «kvalitet survey».",
        "en": "The items of {shown} of {total} programmes with results that may be shown ({year}, the first by "
        "code); all of them are in the report's workbook and in the table of «kvalitet survey».",
    },
    "nb_programmes_hidden": {
        "nb": "{n} studieprogram har bare skjermede resultater (for få svar) og vises ikke.",
        "en": "{n} programmes have only hidden results (too few answers) and are not shown.",
    },
    "nb_no_wellbeing": {"nb": "Ingen SHoT-indikatorer.", "en": "No SHoT indicators."},
    "nb_written": {"nb": "Skrevet til {path}", "en": "Written to {path}"},
    "nb_no_warnings": {"nb": "Ingen advarsler.", "en": "No warnings."},
    "nb_rows": {"nb": "rader", "en": "rows"},
}


#: The notebooks' text in English, by the words each markdown cell names in its metadata
#: (``label="md_…"``). The Norwegian is the notebook's own text and nowhere else: the cell as
#: JupyterLab shows it and an adviser edits it, which a Norwegian report keeps
#: (:func:`analysis.report.notebooks.to_ipynb`); an English report takes these.
NOTEBOOK_TEXT: dict[str, dict[str, str]] = {
    "md_01_title": {
        "en": "# Data quality: what was read\n"
        "\n"
        "This notebook shows which files the report is built on, how many rows each file gave, which\n"
        "cells the source has **suppressed** (small numbers that DBH shows only to the institution itself,\n"
        "with its own access to the DBH API), and the warnings from reading. A suppressed number is\n"
        "*unknown*, never zero.",
    },
    "md_01_files": {
        "en": "## Files read\n"
        "\n"
        "One row per file: kind of file, the dataset it goes into, the number of rows and the number of\n"
        "suppressed cells where relevant.",
    },
    "md_01_suppressed": {
        "en": "## Suppressed cells\n"
        "\n"
        "Rows where women and men are hidden while the total is known. In the gender-balance analysis\n"
        "these units are listed as “cannot be judged” with a reason, and at faculty level the number\n"
        "of women becomes an interval.",
    },
    "md_01_warnings": {
        "en": "## Warnings and notes",
    },
    "md_01_datasets": {
        "en": "## Datasets and rows",
    },
    "md_01_respondents": {
        "en": "Respondent data from Studiebarometeret (one row per respondent) are not public; when the\n"
        "institution's own raw data are put in the data folder, they are included automatically.",
    },
    "md_02_title": {
        "en": "# Gender balance: which units are below the threshold?\n"
        "\n"
        "The rule, for the institution and with the threshold and policy the report was made with (from\n"
        "the settings), is printed below. Either gender can be the under-represented one. Shares of\n"
        "applicants, of those offered a place, of those admitted and of registered students are\n"
        "different measures and are never compared as one.",
    },
    "md_02_followup": {
        "en": "## Follow-up list for the report year\n"
        "\n"
        "Units below the threshold in the report year, grouped by faculty, most students missing\n"
        "first. *Number needed* is the smallest number of extra students of the under-represented\n"
        "gender that lifts the share to the threshold, the other gender unchanged. Units that cannot\n"
        "be judged (suppressed numbers) are in a list of their own with the reason.",
    },
    "md_02_trend": {
        "en": "## Development per study programme, with the threshold line\n"
        "\n"
        "One chart per measure, as the report shows them: admitted in the main admission round (the\n"
        "table in the attachment to LMU 28 Nov 2018) and first-choice applicants (Samordna opptak, both\n"
        "files) are different measures and are shown apart.",
    },
    "md_02_faculties": {
        "en": "## Faculty overview\n"
        "\n"
        "Registered students (DBH table 123) summed per faculty. Where a department inside the faculty\n"
        "is suppressed, the number of women is an interval; the faculty gets a status only if the\n"
        "whole interval gives the same answer.",
    },
    "md_02_institution": {
        "en": "## The institution as a whole, and breaks in the time series\n"
        "\n"
        "Registered students for the whole institution per year. Where other institutions were merged\n"
        "into this one, the numbers before and after the merger are not for the same institution: the\n"
        "chart marks the year, “years in a row” and the development are counted from it, and the\n"
        "institutions merged in are named below.",
    },
    "md_02_needed": {
        "en": "## Students needed\n"
        "\n"
        "How many more of the under-represented gender each unit below the threshold needs: the\n"
        "smallest and the largest number (the same where the counts are known; different where numbers\n"
        "inside the unit are suppressed). Where the source gives only a percentage, it cannot be\n"
        "counted, and the unit is left out.",
    },
    "md_02_explorer": {
        "en": "## Explorer\n\nChoose measure, level, faculty, unit and year (shown only in JupyterLab).",
    },
    "md_03_title": {
        "en": "# Integration of international students\n"
        "\n"
        "Studiebarometeret 2017 asked about academic and social integration between Norwegian and\n"
        "international students (1–5). The committee's question was *what do the ones that succeed\n"
        "do?* – so we rank the institutions and show the gap to the best. Which items make up the score\n"
        "is configuration (`config/kvalitet.toml`), because later years have other items.",
    },
    "md_03_ranked": {
        "en": "## Academic, social and overall, ranked within the comparison group\n"
        "\n"
        "The own institution is highlighted with its rank and its gap to the best and to the median\n"
        "(own score minus the reference: negative is below). The comparison group is every institution\n"
        "in the data, or the one set in `[integration] comparison_group`. The bars start at 1, the\n"
        "lowest value of the scale. A large group is not drawn whole: the chart shows the own units (the\n"
        "faculty's in a faculty report), the group's best (`[integration] chart_best`) and the group's\n"
        "median (hatched); suppressed units are never drawn. The note in the chart says what is left\n"
        "out; the table has them all.",
    },
    "md_03_table": {
        "en": "## Table",
    },
    "md_04_title": {
        "en": "# Studiebarometeret, the national student survey\n"
        "\n"
        "The indices from studiebarometeret.no for the institution's study programmes, against the\n"
        "mean of the field of study. Programmes with few respondents are marked (open points, “few\n"
        "respondents”); years where the portal withheld the result because too few answered are shown\n"
        "as “withheld”, never as a number.",
    },
    "md_04_indices": {
        "en": "## Indices against the field's mean",
    },
    "md_04_change": {
        "en": "## Change from the year before (the portal's time series)\n"
        "\n"
        "“–” under change: one of the years was withheld by the portal.",
    },
    "md_04_respondents": {
        "en": "## Respondent data\n"
        "\n"
        "When the institution's own raw data (one row per respondent) are in the data folder, item\n"
        "means are shown with confidence intervals (the level is in the chart title: the setting\n"
        "`[survey] confidence_level`). Results with fewer answers than the minimum are never shown.",
    },
    "md_04_explorer": {
        "en": "## Explorer\n\nChoose study programme and year (shown only in JupyterLab).",
    },
    "md_05_title": {
        "en": "# SHoT: student health and well-being\n"
        "\n"
        "National headline figures from the SHoT waves (2010, 2014, 2018, 2022 and the extra surveys\n"
        "2021 and 2023), not figures for the institution. **The definitions change between waves and\n"
        "between reports.** Where the definition changed, the line is broken and the first point after\n"
        "the break is an open diamond: the figures on either side of the break cannot be compared\n"
        "directly.",
    },
    "md_05_indicators": {
        "en": "## One indicator per chart, with scope and change from the last comparable wave\n"
        "\n"
        "The figures are national (or regional where SHoT gives them), not the institution's own.",
    },
    "md_05_table": {
        "en": "## Table with notes on definitions",
    },
    "md_06_title": {
        "en": "# Report charts\n"
        "\n"
        "Makes the final set of charts, the tables, the key findings and the follow-up list for the\n"
        "report year, and writes them to `out_dir` (charts as plotly JSON, tables as Parquet, the\n"
        "outline in `content.json`). `kvalitet report` puts this together into `index.html`, the Word\n"
        "document, PNG/SVG, the Excel workbook and the CSV files.",
    },
    "md_06_findings": {
        "en": "## Key findings",
    },
    "md_06_figures": {
        "en": "## The charts",
    },
    "md_06_save": {
        "en": "## Saving for the report",
    },
}


def label(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The label for ``key`` in ``lang`` ("nb" or "en"), with ``{placeholders}`` filled in.

    Raises:
        KeyError: the key has no label (a bug: add it to :data:`LABELS`).
        ValueError: ``lang`` is not one of :data:`LANGS`.
    """
    if lang not in LANGS:
        raise ValueError(f"language must be one of {LANGS}, got {lang!r}")
    text = LABELS[key][lang]
    return text.format(**values) if values else text


def value_label(prefix: str, value: object, lang: str = DEFAULT_LANG) -> str:
    """The label of a data value (``prefix`` + ``_`` + value), or the value itself if none."""
    key = f"{prefix}_{value}"
    return label(key, lang) if key in LABELS else str(value)


def best_words(best: int, lang: str = DEFAULT_LANG) -> str:
    """The comparison group's ``best`` best as a cut integration chart draws them, in running
    text: "den beste" for one, "de 5 beste" for more."""
    return label("integration_best_one", lang) if best == 1 else label("integration_best_many", lang, best=best)


def score_words(name: str, lang: str = DEFAULT_LANG) -> str:
    """An integration score in running text: its label ("faglig integrering") for a score the
    product knows, else the name the settings give it ([integration.scores] may name a score
    anything, "tilhorighet")."""
    return label(name, lang).lower() if name in LABELS else name


#: The columns a measure is, as the flags hold it (:data:`analysis.metrics.gender.MEASURE_KEY`):
#: grouped and worded together wherever a measure is named (:func:`measure_words_of`).
MEASURE_COLUMNS = ("measure", "semester", "student_category", "measure_filter")


def measure_words_of(parts, lang: str = DEFAULT_LANG) -> str:
    """:func:`measure_text` of a flag row, or of a group's keys by column name (``parts``: any
    mapping with ``get``; a column it lacks is missing)."""
    return measure_text(
        str(parts.get("measure")),
        parts.get("semester"),
        parts.get("student_category"),
        lang,
        parts.get("measure_filter"),
    )


def measure_text(
    measure: str,
    semester: object = None,
    student_category: object = None,
    lang: str = DEFAULT_LANG,
    measure_filter: object = None,
) -> str:
    """A measure as the reader should see it, with its semester, student category and the
    filter of its download as the source wrote it: ``registrerte studenter, høst, kategori S,
    Nivåkode HN``; ``førstevalgssøkere`` (no such dimension)."""
    parts = [value_label("measure", measure, lang)]
    if isinstance(semester, str) and semester:
        parts.append(" + ".join(value_label("semester", s, lang) for s in semester.split("+")))
    if isinstance(student_category, str) and student_category:
        if student_category in ("all", "unstated"):
            parts.append(label(f"student_category_{student_category}", lang))
        else:
            parts.append(label("student_category_code", lang, code=student_category))
    if isinstance(measure_filter, str) and measure_filter:
        parts.append(measure_filter)
    return ", ".join(parts)


def level_text(level: str, codes: Iterable[object], lang: str = DEFAULT_LANG) -> str:
    """A level as a title or a table names it, for the units of ``codes``: "institutt", or
    "instituttnivå" where DBH's department level holds units that are no department (its count
    in the findings says "enheter på instituttnivå"; a chart titled "institutt" beside it
    showed faculties' own units and the unspecified sub-unit among its bars)."""
    if level == "department" and not_all_departments(codes):
        return label("level_department_level", lang)
    return value_label("level", level, lang)


#: Sources that identify a unit by its name alone: their ``unit_code`` is the name, not a code.
#: NOTE: the LMU appendix's admission table (the seed) lists programmes as "Kybernetikk",
#: "Datateknologi"; read as a code standing in for a missing name, they showed as "Enhet uten
#: navn i kildene (Kybernetikk)".
NAME_KEYED_SOURCES = frozenset({"seed-admission"})


def shown_code(code: object, source_kind: object = None) -> object:
    """A unit's code as a reader sees it: the code, or None where the source has no code and
    keys its units by name (:data:`NAME_KEYED_SOURCES`): the name is not a code."""
    return None if source_kind in NAME_KEYED_SOURCES else code


def unit_name_text(name: object, code: object, lang: str = DEFAULT_LANG, level: object = None) -> str:
    """A unit's name as a reader sees it: its name, or "Enhet uten navn i kildene" where no source
    names it (the metric then holds the bare code as its name, see
    :mod:`analysis.metrics.unit_names`) — a code alone would read as a name nobody gave. A
    department that is a faculty's own unit (271000, :mod:`analysis.org_units`) says so: DBH
    names it as the faculty, and among the departments it read as the whole faculty again."""
    missing = name is None or (not isinstance(name, str) and pd.isna(name))
    if missing or str(name) == str(code):
        return label("unit_unnamed", lang)
    if level == "department" and is_faculty_own_unit(code):
        return label("unit_faculty_own", lang, name=name)
    return str(name)


#: NOTE: studiebarometeret.no names the group a programme is compared with "Av alle Arkitektur"
#: ("of all in Arkitektur"): the field is what follows these words.
PORTAL_FIELD_PREFIX = "av alle "


def portal_field(text: object) -> str | None:
    """The field a portal programme is compared with, from the portal's label: "Arkitektur" for
    "Av alle Arkitektur"; a label worded otherwise as it is; None where the portal gave none."""
    if text is None or (not isinstance(text, str) and pd.isna(text)) or not str(text).strip():
        return None
    text = str(text).strip()
    if text.lower().startswith(PORTAL_FIELD_PREFIX) and len(text) > len(PORTAL_FIELD_PREFIX):
        return text[len(PORTAL_FIELD_PREFIX) :].strip()
    return text


def pct(fraction: object, lang: str = DEFAULT_LANG, digits: int | None = None) -> str:
    """A fraction (0–1) as a percentage string in the language's notation: ``0,4`` -> ``40``.

    Without ``digits``, as many decimals (up to 2) as the value needs, so that a threshold of
    37.5 % reads ``37,5`` and never rounds to ``38``.
    """
    value = float(fraction) * 100
    if digits is None:
        digits = next((d for d in (0, 1) if abs(value * 10**d - round(value * 10**d)) < 1e-9), 2)
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "nb" else text


def ci_level(level: float, lang: str = DEFAULT_LANG) -> str:
    """A confidence level (``confidence_level = 0.9`` in the settings) as every label writes it
    ("90", "97,5"): an interval is labelled with the level it was computed with, never a fixed
    95 %."""
    return pct(Fraction(str(level)), lang)


def significance_level(confidence_level: float, lang: str = DEFAULT_LANG) -> str:
    """The significance level that goes with ``confidence_level`` (1 − it) as a decimal with the
    digits it has, at least two: "0,05" at 0.95; "0,025" at 0.975, which two digits wrote
    "0,03", a level the tests were not run at."""
    alpha = (1 - Decimal(str(confidence_level))).normalize()
    return number(alpha, lang, max(2, -int(alpha.as_tuple().exponent)))


#: The headers that name a confidence interval, and the settings section ("gender": the shares'
#: Wilson interval; "survey": the means' t interval) whose ``confidence_level`` fills their
#: ``{level}``.
CI_HEADERS = {
    "col_ci_low_share": "gender",
    "col_ci_high_share": "gender",
    "col_ci_low": "survey",
    "col_ci_high": "survey",
}


def confidence_levels(settings: Settings) -> dict[str, float]:
    """The confidence level of each section whose intervals the tables show, for
    :func:`header_label`."""
    return {"gender": settings.gender.confidence_level, "survey": settings.survey.confidence_level}


def header_label(key: str, lang: str, levels: Mapping[str, float] | None) -> str:
    """The header label of ``key``; a confidence interval's says the level of its section in
    ``levels`` ({"gender": 0.9, "survey": 0.95}: :func:`confidence_levels`).

    Raises:
        ValueError: ``key`` names an interval and ``levels`` has no level for it (a bug: the
            caller must pass the settings' levels down, not let the header guess 95 %).
    """
    section = CI_HEADERS.get(key)
    if section is None:
        return label(key, lang)
    if not levels or section not in levels:
        # reachable from a notebook cell (people(flags, "gender")): say what to pass
        raise ValueError(
            f"the header {key!r} says the {section} confidence level the interval was computed with: "
            "pass levels=confidence_levels(data.settings) (from analysis.charts.labels)"
        )
    return label(key, lang, level=ci_level(levels[section], lang))


def number(value: object, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    """A number with the language's decimal mark; a value that rounds to zero is "0,00", never
    "-0,00" (a tiny negative change is no change at the shown precision)."""
    text = f"{float(value):.{digits}f}"
    if text.lstrip("-").strip("0.") == "":
        text = text.lstrip("-")
    return text.replace(".", ",") if lang == "nb" else text


def gap_words(gap: object, reference: str, lang: str = DEFAULT_LANG) -> str:
    """A signed gap (score − reference) said so that its direction cannot be misread:
    −2.05 to the best -> "2,05 under beste"; +0.4 to the median -> "0,40 over medianen".

    Args:
        reference: "best", "median" or "mean".
    """
    if pd.isna(gap):
        return ""
    value = round(float(gap), SCORE_DIGITS)
    if value < 0:
        return label(f"gap_below_{reference}", lang, gap=number(-value, lang, SCORE_DIGITS))
    if value > 0 and reference != "best":
        return label(f"gap_above_{reference}", lang, gap=number(value, lang, SCORE_DIGITS))
    return label(f"gap_at_{reference}", lang)


def change_words(row, lang: str = DEFAULT_LANG) -> str:
    """A SHoT row's change since the previous comparable wave, in words, from the well-being
    table's own columns (``previous_year``, ``change_pp``, ``definition_changed``, ``note``)."""
    prev = row.get("previous_year")
    if pd.isna(prev):
        return label("change_first", lang)
    prev = int(prev)
    changed = row.get("definition_changed")
    change = row.get("change_pp")
    if pd.notna(changed) and bool(changed):
        return label("change_definition", lang, prev=prev)
    if pd.isna(changed) and pd.isna(change) and pd.notna(row.get("note")):
        return label("change_conflicting", lang, prev=prev)
    if pd.isna(changed) or pd.isna(change):
        return label("change_unclear", lang, prev=prev)
    value = round(float(change), 1)
    if value > 0:
        return label("change_up", lang, pp=number(value, lang, 1), prev=prev)
    if value < 0:
        return label("change_down", lang, pp=number(-value, lang, 1), prev=prev)
    return label("change_same", lang, prev=prev)


def previous_wave_words(row, lang: str = DEFAULT_LANG) -> str:
    """The source's remark on the wave a change is measured against, to follow
    :func:`change_words` where it gives a change in points: " (om 2021 skriver kilden:
    «tilleggsundersøkelse under pandemien (NTNU-nyhet oppgir 48)»)" (``previous_remark``); "" where there is no such
    change or no remark. A change from an extra survey during the pandemic reads otherwise than
    one from the main survey before it."""
    remark, changed, change = row.get("previous_remark"), row.get("definition_changed"), row.get("change_pp")
    if remark is None or pd.isna(remark) or pd.isna(changed) or bool(changed) or pd.isna(change):
        return ""
    return label("change_previous_remark", lang, prev=int(row.get("previous_year")), remark=str(remark))


# --- shares beside the policy threshold (tables, page and the charts' hover text) ---


def thresholds_of(threshold: Fraction | float | None) -> tuple[float, ...]:
    """The two lines a share is judged against: ``t`` (too few women) and ``1 − t`` (too few men)."""
    if threshold is None:
        return ()
    t = float(threshold)
    return (t, 1 - t)


def share_digits(share: float, thresholds: Iterable[float] = ()) -> int:
    """Decimals to show a share (0–1) as a percentage with: one, or more where one decimal
    would put it on the other side of a threshold (799 of 2000 = 39.95 % reads "39,95", not
    "40,0", beside a 40 % threshold); at most four."""
    percent = share * 100
    digits = 1
    for t in thresholds:
        limit = t * 100
        while digits < 4 and (round(percent, digits) >= limit) != (percent >= limit):
            digits += 1
    return digits


def share_text(share: object, lang: str, thresholds: Iterable[float] = ()) -> str:
    """``0.264`` -> ``"26,4 %"`` (see :func:`share_digits`); missing -> ``"–"``."""
    if share is None or pd.isna(share):
        return "–"
    share = float(share)
    return f"{number(share * 100, lang, share_digits(share, thresholds))} %"


def count_range(low: int, high: int) -> str:
    """A count known only as a range, as the tables and charts write it ("700–715"); one number
    where both ends are the same."""
    return str(low) if low == high else f"{low}–{high}"


def interval_text(low: float, high: float, lang: str, thresholds: Iterable[float] = ()) -> str:
    """A share known only as an interval: ``"33,6–33,7 %"``, each end as :func:`share_text`; where
    the ends would print alike, with as many decimals (at most four) as tell them apart: NTNU's
    men 2022, 48,009–48,034 %, read "48,0–48,0 %", one value said twice."""
    start, end = share_text(low, lang, thresholds), share_text(high, lang, thresholds)
    digits = share_digits(low, thresholds) + 1
    while start == end and low != high and digits <= 4:
        start, end = (f"{number(float(v) * 100, lang, digits)} %" for v in (low, high))
        digits += 1
    return f"{start.removesuffix(' %')}–{end}"

"""Every user-facing word of the charts and the report, in Norwegian bokmål and English.

One place: chart functions, notebooks and the report call :func:`label`. A missing key is a
``KeyError`` (tests check every key has both languages); data values that may have no label
(an unknown SHoT indicator) go through :func:`value_label`, which falls back to the value.
"""

from __future__ import annotations

LANGS = ("nb", "en")
DEFAULT_LANG = "nb"

LABELS: dict[str, dict[str, str]] = {
    # --- common ---
    "source": {"nb": "Kilde", "en": "Source"},
    "table": {"nb": "tabell", "en": "table"},
    "retrieved": {"nb": "hentet", "en": "retrieved"},
    "retrieved_unknown": {"nb": "hentedato ukjent", "en": "retrieval date unknown"},
    "year": {"nb": "År", "en": "Year"},
    "survey_year": {"nb": "Undersøkelsesår", "en": "Survey year"},
    "unknown": {"nb": "skjermet/ukjent", "en": "suppressed/unknown"},
    "suppressed": {"nb": "skjermet", "en": "suppressed"},
    "withheld": {"nb": "ikke vist (få svar)", "en": "withheld (few answers)"},
    "few_respondents": {"nb": "få svarende", "en": "few respondents"},
    "no_students": {"nb": "ingen studenter", "en": "no students"},
    "n": {"nb": "antall svar", "en": "responses"},
    "respondents": {"nb": "respondenter", "en": "respondents"},
    "response_rate": {"nb": "svarprosent", "en": "response rate"},
    "no_data": {"nb": "Ingen data for dette utvalget", "en": "No data for this selection"},
    "definition_changed": {"nb": "definisjon endret", "en": "definition changed"},
    "definition_break": {
        "nb": "brudd: definisjon endret eller usikker",
        "en": "break: definition changed or uncertain",
    },
    "ci95": {"nb": "95 % konfidensintervall", "en": "95 % confidence interval"},
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
        "nb": "Andel kvinner per år – {measure}",
        "en": "Share of women by year – {measure}",
    },
    "gender_bars_title": {
        "nb": "Kjønnsbalanse {year} – {measure}, {level}",
        "en": "Gender balance {year} – {measure}, {level}",
    },
    "gender_bars_subtitle": {
        "nb": "Under {pct} % av underrepresentert kjønn = skjev kjønnsbalanse (tiltak kreves)",
        "en": "Below {pct} % of the under-represented gender = skewed balance (action required)",
    },
    "students_needed_text": {"nb": "+{n} {gender}", "en": "+{n} {gender}"},
    "students_needed": {"nb": "Studenter som trengs", "en": "Students needed"},
    "status": {"nb": "Status", "en": "Status"},
    "status_flagged": {"nb": "skjev (under terskel)", "en": "skewed (below threshold)"},
    "status_ok": {"nb": "innenfor", "en": "within"},
    "status_unknown": {"nb": "skjermet/ukjent", "en": "suppressed/unknown"},
    "women": {"nb": "kvinner", "en": "women"},
    "men": {"nb": "menn", "en": "men"},
    "all": {"nb": "alle", "en": "all"},
    "none": {"nb": "ingen", "en": "none"},
    "unit": {"nb": "Enhet", "en": "Unit"},
    "underrepresented": {"nb": "Underrepresentert kjønn", "en": "Under-represented gender"},
    "underrepresented_share": {"nb": "Andel underrepresentert", "en": "Under-represented share"},
    "level_programme": {"nb": "studieprogram", "en": "study programme"},
    "level_department": {"nb": "institutt", "en": "department"},
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
        "nb": "Integrering av internasjonale studenter {year} – {level}",
        "en": "Integration of international students {year} – {level}",
    },
    "integration_score": {"nb": "Integreringsskår (1–5)", "en": "Integration score (1–5)"},
    "academic": {"nb": "Faglig integrering", "en": "Academic integration"},
    "social": {"nb": "Sosial integrering", "en": "Social integration"},
    "gap_to_best": {"nb": "{gap} fra beste", "en": "{gap} behind the best"},
    "rank": {"nb": "Plass", "en": "Rank"},
    "institution": {"nb": "Institusjon", "en": "Institution"},
    "level_bachelor": {"nb": "bachelor", "en": "bachelor"},
    "level_master": {"nb": "master", "en": "master"},
    # --- Studiebarometeret ---
    "portal_title": {
        "nb": "Studiebarometeret {year}: {programme}",
        "en": "Student Survey {year}: {programme}",
    },
    "portal_subtitle": {
        "nb": "{respondents} respondenter, svarprosent {rate}",
        "en": "{respondents} respondents, response rate {rate}",
    },
    "programme_value": {"nb": "Studieprogrammet", "en": "Programme"},
    "field_average": {"nb": "Snitt for fagfeltet", "en": "Field average"},
    "score": {"nb": "Gjennomsnitt (1–5)", "en": "Mean (1–5)"},
    "history_title": {
        "nb": "Utvikling over tid: {programme}",
        "en": "Change over time: {programme}",
    },
    "items_title": {
        "nb": "Spørsmål {year}: {unit} (gjennomsnitt med 95 % KI)",
        "en": "Items {year}: {unit} (mean with 95 % CI)",
    },
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
    "wellbeing_title": {"nb": "SHoT: utvikling mellom bølger ({group})", "en": "SHoT: change between waves ({group})"},
    "wellbeing_gender_title": {"nb": "SHoT: kvinner og menn", "en": "SHoT: women and men"},
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
    "ind_naavaerende_psykisk_lidelse_CIDI": {"nb": "Nåværende psykisk lidelse (CIDI)", "en": "Current mental disorder (CIDI)"},
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
    "srctable_samordna": {"nb": "søkertall hovedopptak", "en": "applicant figures, main admission"},
    "srctable_seed_admission": {"nb": "prosentandel kvinner, hovedopptak", "en": "share of women, main admission"},
    "srctable_seed_integration": {"nb": "2017, uttrekk internasjonalisering (LMU-vedlegg)",
                                  "en": "2017, internationalisation extract (LMU appendix)"},
    "srctable_portal_index": {"nb": "studiebarometeret.no, indekser", "en": "studiebarometeret.no, indices"},
    "srctable_portal_history": {"nb": "studiebarometeret.no, tidsserie", "en": "studiebarometeret.no, time series"},
    "srctable_portal_items": {"nb": "studiebarometeret.no, spørsmål", "en": "studiebarometeret.no, questions"},
    "srctable_portal_dbh_facts": {"nb": "studiebarometeret.no, bakgrunn fra DBH",
                                  "en": "studiebarometeret.no, background from DBH"},
    "srctable_respondents": {"nb": "rådata per respondent", "en": "raw data per respondent"},
    "srctable_shot": {"nb": "nasjonale hovedtall (kilde-URL per rad)", "en": "national key figures (source URL per row)"},
    "src_samordna": {"nb": "Samordna opptak", "en": "Norwegian Universities and Colleges Admission Service"},
    "src_seed": {"nb": "NTNU LMU 28.11.2018 (vedlegg)", "en": "NTNU LMU 28 Nov 2018 (attachment)"},
    "src_nokut": {"nb": "NOKUT, Studiebarometeret", "en": "NOKUT, Student Survey (Studiebarometeret)"},
    "src_shot": {"nb": "SHoT (Sit/Sammen m.fl.), pressemeldinger", "en": "SHoT (student welfare organisations), press releases"},
    # --- report ---
    "report_title": {"nb": "Kvalitetsmelding {year}: {institution}", "en": "Annual quality report {year}: {institution}"},
    "key_findings": {"nb": "Hovedfunn", "en": "Key findings"},
    "section_gender": {"nb": "Kjønnsbalanse", "en": "Gender balance"},
    "section_integration": {
        "nb": "Integrering av internasjonale studenter", "en": "Integration of international students",
    },
    "section_survey": {"nb": "Studiebarometeret", "en": "Student Survey (Studiebarometeret)"},
    "section_wellbeing": {"nb": "Studentenes helse og trivsel (SHoT)", "en": "Student health and well-being (SHoT)"},
    "flagged_programmes": {"nb": "Enheter med skjev kjønnsbalanse", "en": "Units with skewed gender balance"},
    "charts": {"nb": "Figurer", "en": "Charts"},
    "tables": {"nb": "Tabeller", "en": "Tables"},
    "no_flagged": {"nb": "Ingen enheter under terskelen.", "en": "No unit below the threshold."},
    "finding_flagged": {
        "nb": "{n} av {total} enheter ({measure}, {year}) har under {pct} % av underrepresentert kjønn.",
        "en": "{n} of {total} units ({measure}, {year}) have under {pct} % of the under-represented gender.",
    },
    "finding_unknown": {
        "nb": "{n} enheter ({measure}, {year}) kan ikke vurderes fordi tall er skjermet.",
        "en": "{n} units ({measure}, {year}) cannot be judged because counts are suppressed.",
    },
    "finding_integration": {
        "nb": "Integrering {year}, {level}: {institution} er nr. {rank} av {total}, {gap} under beste.",
        "en": "Integration {year}, {level}: {institution} ranks {rank} of {total}, {gap} below the best.",
    },
    "finding_portal": {
        "nb": "Studiebarometeret {year}: {below} av {total} indeksverdier ligger under snittet for fagfeltet.",
        "en": "Student Survey {year}: {below} of {total} index values are below the field average.",
    },
    "finding_wellbeing": {
        "nb": "SHoT {year}: {indicator} {value} %.",
        "en": "SHoT {year}: {indicator} {value} %.",
    },
    "report_note": {
        "nb": "Laget med kvalitet. Tallene er offentlige kildedata; hent ferske data før publisering.",
        "en": "Made with kvalitet. Figures are public source data; fetch fresh data before publishing.",
    },
    "figure_files": {"nb": "Figurfiler", "en": "Figure files"},
    "col_level": {"nb": "Nivå", "en": "Level"},
    "col_unit": {"nb": "Enhet", "en": "Unit"},
    "col_faculty": {"nb": "Fakultet", "en": "Faculty"},
    "col_programme": {"nb": "Program", "en": "Programme"},
    "all_option": {"nb": "(alle)", "en": "(all)"},
    "notes": {"nb": "Merknader", "en": "Notes"},
    "files": {"nb": "Filer", "en": "Files"},
    "col_code": {"nb": "Kode", "en": "Code"},
    "col_measure": {"nb": "Mål", "en": "Measure"},
    "col_share_women": {"nb": "Andel kvinner", "en": "Share of women"},
    "col_underrepresented": {"nb": "Underrepresentert", "en": "Under-represented"},
    "col_students_needed": {"nb": "Studenter som trengs", "en": "Students needed"},
    "col_years_flagged": {"nb": "År på rad", "en": "Consecutive years"},
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


def measure_text(measure: str, semester: object = None, student_category: object = None,
                 lang: str = DEFAULT_LANG) -> str:
    """A measure as the reader should see it, with its semester and student category:
    ``registrerte studenter, høst, kategori S``; ``førstevalgssøkere`` (no such dimension)."""
    parts = [value_label("measure", measure, lang)]
    if isinstance(semester, str) and semester:
        parts.append(" + ".join(value_label("semester", s, lang) for s in semester.split("+")))
    if isinstance(student_category, str) and student_category:
        if student_category in ("all", "unstated"):
            parts.append(label(f"student_category_{student_category}", lang))
        else:
            parts.append(label("student_category_code", lang, code=student_category))
    return ", ".join(parts)


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


def number(value: object, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    """A number with the language's decimal mark."""
    text = f"{float(value):.{digits}f}"
    return text.replace(".", ",") if lang == "nb" else text

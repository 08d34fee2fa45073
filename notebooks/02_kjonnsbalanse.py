# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] label="md_02_title"
# # Kjønnsbalanse: hvilke enheter er under terskelen?
#
# Regelen, for institusjonen og med terskelen og politikken rapporten er laget med (fra
# innstillingene), skrives ut nedenfor. Begge kjønn kan være underrepresentert. Andeler av
# søkere, av de som fikk tilbud, av de som ble tatt opp og av registrerte studenter er ulike
# mål og sammenlignes aldri som ett.

# %% tags=["parameters"]
year = None  # report year (None: the latest year in the data)
institution = "1150"  # DBH institution code
lang = "nb"  # "nb" or "en" (the words of charts, tables, printouts and, in the report, this text)
data_dir = None  # raw-data folder (None: data/raw)
config = None  # settings file (None: config/kvalitet.toml)
out_dir = None  # where the report-charts notebook writes figures and tables
interactive = True  # False under papermill: no widgets
faculty = None  # a faculty code (e.g. "271"): the report for that faculty only
allow_empty = False  # True: a report even for an institution without data of its own

# %%
from analysis.charts import gender_share_bars, gender_trend
from analysis.charts.labels import counted, label, pct
from analysis.report.data import latest_year, load_report_data
from analysis.report.gender_section import break_notes, followup_units, policy_line, unknown_units
from analysis.report.notebook import gender_explorer, people, setup
from analysis.report.parts import chart_scope

setup()
data = load_report_data(data_dir, year, institution, config=config, faculty=faculty, allow_empty=allow_empty)
flags = data.flags
scope = chart_scope(data, lang)  # whose units the charts' titles name
# the policy and its threshold as this report has them (institution and settings from the
# parameters), the threshold rule in the words of the report's "Om tallene"
print(policy_line(data, lang, scope))
print(label("about_gender_threshold", lang, pct=pct(data.threshold, lang)))
print(label("nb_flag_rows", lang, n=counted(len(flags), "flag_row", lang), pct=pct(data.threshold, lang)))

# %% [markdown] label="md_02_followup"
# ## Oppfølgingsliste for rapportåret
#
# Enheter under terskelen i rapportåret, gruppert per fakultet, flest manglende studenter
# først. *Studenter som trengs* er det minste antallet ekstra studenter av det
# underrepresenterte kjønnet som løfter andelen til terskelen, med det andre kjønnet uendret.
# Enheter som ikke kan vurderes (skjermede tall), står i en egen liste med grunnen.

# %%
people(followup_units(flags, data.year, data.threshold), "followup", lang, data.threshold)

# %%
people(unknown_units(flags, data.year), "unknown", lang, data.threshold)

# %% [markdown] label="md_02_trend"
# ## Utvikling per studieprogram, med terskellinjen
#
# Ett diagram per mål, slik rapporten viser dem: tatt opp i hovedopptaket (tabellen i
# vedlegget til LMU 28.11.2018) og førstevalgssøkere (Samordna opptak, begge filene) er ulike
# mål og vises hver for seg.

# %%
programmes = flags[(flags["level"] == "programme") & (flags["year"] <= data.year)]
for _measure, rows in programmes.groupby("measure"):
    gender_trend(rows, scope=scope, sources=data.sources(rows, lang), lang=lang, threshold=data.threshold).show()

# %% [markdown] label="md_02_faculties"
# ## Fakultetsoversikt
#
# Registrerte studenter (DBH tabell 123) summert per fakultet. Der et institutt inne i
# fakultetet er skjermet, er antallet kvinner et intervall; fakultetet får bare status hvis
# hele intervallet gir samme svar.

# %%
registered = flags[flags["measure"] == "registered"]
faculties = registered[registered["level"] == "faculty"]
fyear = latest_year(faculties, upto=data.year)
if fyear is not None:
    gender_share_bars(
        faculties,
        year=fyear,
        level="faculty",
        scope=scope,
        sources=data.sources(faculties, lang),
        lang=lang,
        threshold=data.threshold,
        policy=data.policy,
    ).show()
    gender_trend(
        faculties[faculties["year"] <= data.year],
        scope=scope,
        sources=data.sources(faculties, lang),
        lang=lang,
        threshold=data.threshold,
    ).show()

# %% [markdown] label="md_02_institution"
# ## Institusjonen som helhet, og brudd i tidsserien
#
# Registrerte studenter for hele institusjonen per år. Der andre institusjoner er slått sammen
# inn i denne, gjelder tallene før og etter sammenslåingen ikke samme institusjon: diagrammet
# markerer året, «år på rad» og utviklingen regnes fra det, og institusjonene som ble slått
# sammen inn, står med navn under.

# %%
whole = registered[(registered["level"] == "institution") & (registered["year"] <= data.year)]
for note in break_notes(data, lang):
    print(note)
if not whole.empty:
    gender_trend(
        whole,
        scope=scope,
        sources=data.sources(whole, lang),
        lang=lang,
        threshold=data.threshold,
        breaks=data.breaks,
    ).show()

# %% [markdown] label="md_02_needed"
# ## Studenter som trengs
#
# Hvor mange flere av det underrepresenterte kjønnet hver enhet under terskelen trenger: det
# minste og det største antallet (det samme der antallene er kjent; ulike der tall inni enheten
# er skjermet). Der kilden bare gir en prosent, kan det ikke regnes, og enheten er ikke med.

# %%
followup = followup_units(flags, data.year, data.threshold)
people(followup.dropna(subset=["students_needed_fewest"]), "followup", lang, data.threshold)

# %% [markdown] label="md_02_explorer"
# ## Utforsker
#
# Velg mål, nivå, fakultet, enhet og år (vises bare i JupyterLab).

# %%
if interactive:
    gender_explorer(data, lang)

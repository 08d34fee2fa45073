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

# %% [markdown] label="md_01_title"
# # Datakvalitet: hva ble lest
#
# Denne notatboken viser hvilke filer rapporten bygger på, hvor mange rader hver fil ga, hvilke
# celler kilden har **skjermet** (små tall som DBH bare viser institusjonen selv, med egen
# tilgang til DBH-API-et), og advarsler fra innlesingen. Et skjermet tall er *ukjent*, aldri null.

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

from analysis.charts.labels import label
from analysis.report.data import load_report_data
from analysis.report.notebook import dataset_rows, read_summary, setup, suppressed_cells, warning_lines
from analysis.report.parts import own_scope

setup()
data = load_report_data(data_dir, year, institution, config=config, faculty=faculty, allow_empty=allow_empty)
print(label("nb_report_year", lang, year=data.year, scope=own_scope(data, lang)))

# %% [markdown] label="md_01_files"
# ## Filer som ble lest
#
# Én rad per fil: filtype, datasettet den går inn i, antall rader og antall skjermede celler
# der det er relevant.

# %%
read_summary(data, lang)

# %% [markdown] label="md_01_suppressed"
# ## Skjermede celler
#
# Rader der kvinner og menn er skjult mens totalen er kjent. I kjønnsbalanse-analysen står
# disse enhetene som «kan ikke vurderes» med en begrunnelse, og på fakultetsnivå blir antallet
# kvinner et intervall.

# %%
suppressed_cells(data, lang)

# %% [markdown] label="md_01_warnings"
# ## Advarsler og merknader

# %%
print("\n".join(warning_lines(data, lang)))

# %% [markdown] label="md_01_datasets"
# ## Datasett og rader

# %%
dataset_rows(data, lang).to_frame()

# %% [markdown] label="md_01_respondents"
# Respondentdata fra Studiebarometeret (én rad per svarende) finnes ikke offentlig; når
# institusjonens egne rådata legges i datamappen, tas de med automatisk.

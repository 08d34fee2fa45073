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

# %% [markdown] label="md_05_title"
# # SHoT: studentenes helse og trivsel
#
# Nasjonale hovedtall fra SHoT-bølgene (2010, 2014, 2018, 2022 og tilleggsundersøkelsene
# 2021 og 2023), ikke tall for institusjonen. **Definisjonene endrer seg mellom bølger og
# mellom rapporter.** Der definisjonen er endret, er linjen brutt og første punkt etter
# bruddet er en åpen rombe: tallene på hver side av bruddet kan ikke sammenlignes direkte.

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
from analysis.report.notebook import people, setup
from analysis.report.wellbeing_section import wellbeing_section

setup()
data = load_report_data(data_dir, year, institution, config=config, faculty=faculty, allow_empty=allow_empty)
wb = data.wellbeing
if wb is None or wb.empty:
    print(label("nb_no_wellbeing", lang), [w for w in data.warnings if "wellbeing" in w])
_blocks, figures, wyear = wellbeing_section(data, lang)

# %% [markdown] label="md_05_indicators"
# ## Én indikator per figur, med omfang og endring fra forrige sammenlignbare bølge
#
# Tallene er nasjonale (eller regionale der SHoT oppgir det), ikke institusjonens egne.

# %%
for fig in figures:
    fig.figure.show()

# %% [markdown] label="md_05_table"
# ## Tabell med definisjonsmerknader

# %%
people(wb[wb["year"] <= data.year] if wb is not None else None, "wellbeing", lang)

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

# %% [markdown]
# # SHoT: studentenes helse og trivsel
#
# Nasjonale hovedtall fra SHoT-bølgene (2010, 2014, 2018, 2022 og tilleggsundersøkelsene
# 2021 og 2023). **Definisjonene endrer seg mellom bølger og mellom rapporter.** Der
# definisjonen er endret, er linjen brutt og første punkt etter bruddet er en åpen rombe:
# tallene på hver side av bruddet kan ikke sammenlignes direkte.

# %% tags=["parameters"]
year = None  # report year (None: the latest year in the data)
institution = "1150"  # DBH institution code
lang = "nb"  # "nb" or "en" (chart labels)
data_dir = None  # raw-data folder (None: data/raw)
config = None  # settings file (None: config/kvalitet.toml)
out_dir = None  # where the report-charts notebook writes figures and tables
interactive = True  # False under papermill: no widgets

# %%
from analysis.charts import wellbeing_by_gender, wellbeing_waves
from analysis.report.data import load_report_data
from analysis.report.notebook import setup

setup()
data = load_report_data(data_dir, year, institution, config=config)
wb = data.wellbeing
if wb is None or wb.empty:
    print("Ingen SHoT-indikatorer:", [w for w in data.warnings if "wellbeing" in w])

# %% [markdown]
# ## Utvikling mellom bølger, med definisjonsbrudd

# %%
if wb is not None and not wb.empty:
    wb = wb[wb["year"] <= data.year]
    wellbeing_waves(wb, sources=data.sources(wb, lang), lang=lang).show()

# %% [markdown]
# ## Kvinner og menn

# %%
if wb is not None and not wb.empty:
    wellbeing_by_gender(wb, sources=data.sources(wb, lang), lang=lang).show()

# %% [markdown]
# ## Tabell med definisjonsmerknader

# %%
wb

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
# # Rapportfigurer
#
# Lager det endelige figursettet, tabellene, hovedfunnene og listen over flaggede enheter, og
# skriver dem til `out_dir` (figurer som plotly-JSON, tabeller som CSV og Parquet).
# `kvalitet report` setter dette sammen til `index.html`, PNG/SVG og Excel-arbeidsboken.

# %% tags=["parameters"]
year = None  # report year (None: the latest year in the data)
institution = "1150"  # DBH institution code
lang = "nb"  # "nb" or "en" (chart labels)
data_dir = None  # raw-data folder (None: data/raw)
config = None  # settings file (None: config/kvalitet.toml)
out_dir = None  # where the report-charts notebook writes figures and tables
interactive = True  # False under papermill: no widgets

# %%
from analysis.report.content import report_content, save_content
from analysis.report.data import load_report_data
from analysis.report.notebook import setup

setup()
data = load_report_data(data_dir, year, institution, config=config)
content = report_content(data, lang)
print(f"{len(content.figures)} figurer, {len(content.tables)} tabeller")

# %% [markdown]
# ## Hovedfunn

# %%
for finding in content.findings:
    print("•", finding)

# %% [markdown]
# ## Figurene

# %%
for fig in content.figures:
    fig.figure.show()

# %% [markdown]
# ## Lagre for rapporten

# %%
if out_dir:
    save_content(content, out_dir)
    print("Skrevet til", out_dir)

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

# %% [markdown] label="md_06_title"
# # Rapportfigurer
#
# Lager det endelige figursettet, tabellene, hovedfunnene og oppfølgingslisten for rapportåret,
# og skriver dem til `out_dir` (figurer som plotly-JSON, tabeller som Parquet, disposisjonen i
# `content.json`). `kvalitet report` setter dette sammen til `index.html`, Word-dokumentet,
# PNG/SVG, Excel-arbeidsboken og CSV-filene.

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
from analysis.charts.labels import counted, label
from analysis.report.content import report_content, save_content
from analysis.report.data import load_report_data
from analysis.report.notebook import setup

setup()
data = load_report_data(data_dir, year, institution, config=config, faculty=faculty, allow_empty=allow_empty)
content = report_content(data, lang)
print(
    label(
        "progress_counts",
        lang,
        figures=counted(len(content.figures), "figure", lang),
        tables=counted(len(content.tables), "table", lang),
    )
)

# %% [markdown] label="md_06_findings"
# ## Hovedfunn

# %%
for finding in content.findings + content.earlier_findings:
    print("•", finding)

# %% [markdown] label="md_06_figures"
# ## Figurene

# %%
for fig in content.figures:
    fig.figure.show()

# %% [markdown] label="md_06_save"
# ## Lagre for rapporten

# %%
if out_dir:
    save_content(content, out_dir)
    print(label("nb_written", lang, path=out_dir))

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

# %% [markdown] label="md_04_title"
# # Studiebarometeret
#
# Indeksene fra studiebarometeret.no for institusjonens studieprogram, mot snittet for
# fagfeltet. Program med få svarende er merket (åpne punkter, «få svarende»); år der portalen
# holdt tilbake resultatet fordi for få svarte, vises som «ikke vist», aldri som et tall.

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
from analysis.charts import portal_history_chart, portal_index_chart
from analysis.report.data import latest_year, load_report_data
from analysis.report.notebook import people, portal_explorer, programme_item_charts, setup, year_on_year

setup()
data = load_report_data(data_dir, year, institution, config=config, faculty=faculty, allow_empty=allow_empty)
index, history = data.portal_index, data.portal_history

# %% [markdown] label="md_04_indices"
# ## Indekser mot fagfeltets snitt

# %%
if index is not None and not index.empty:
    pyear = latest_year(index, "survey_year", upto=data.year)
    rows = index[index["survey_year"] == pyear]
    for sb_id in sorted(rows["sb_id"].unique()):
        prog = rows[rows["sb_id"] == sb_id]
        portal_index_chart(
            rows,
            sb_id=sb_id,
            institution=data.institution_short,
            survey_year=pyear,
            sources=data.sources(prog, lang),
            lang=lang,
            min_n=data.survey_min_n,
            warn_n=data.survey_warn_n,
        ).show()

# %% [markdown] label="md_04_change"
# ## Endring fra året før (portalens tidsserie)
#
# «–» under endring: ett av årene ble holdt tilbake av portalen.

# %%
change = people(year_on_year(history, index, data.year, data.portal_set_aside), "portal_change", lang)
names = data.portal_names(data.year)
if history is not None and not history.empty:
    for sb_id in sorted(history["sb_id"].unique()):
        h = history[history["sb_id"] == sb_id]
        portal_history_chart(
            h,
            sb_id=sb_id,
            programme_name=names.get(sb_id, sb_id),
            institution=data.institution_short,
            sources=data.sources(h, lang),
            lang=lang,
        ).show()
change

# %% [markdown] label="md_04_respondents"
# ## Respondentdata
#
# Når institusjonens egne rådata (én rad per respondent) ligger i datamappen, vises
# spørsmålsgjennomsnitt med konfidensintervall (nivået står i figurtittelen: innstillingen
# `[survey] confidence_level`). Resultater med færre svar enn minstegrensen vises aldri.

# %%
figures, note = programme_item_charts(data, lang)
print(note)
for fig in figures:
    fig.show()

# %% [markdown] label="md_04_explorer"
# ## Utforsker
#
# Velg studieprogram og år (vises bare i JupyterLab).

# %%
if interactive:
    portal_explorer(data, lang)

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

# %% [markdown] label="md_03_title"
# # Integrering av internasjonale studenter
#
# Studiebarometeret 2017 spurte om faglig og sosial integrering mellom norske og internasjonale
# studenter (1–5). Komiteens spørsmål var *hva gjør de som lykkes?* – derfor rangerer vi
# institusjonene og viser avstanden til den beste. Hvilke spørsmål som inngår i skåren er
# konfigurasjon (`config/kvalitet.toml`), fordi senere år har andre spørsmål.

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
from analysis.report.integration_section import integration_section
from analysis.report.notebook import people, setup

setup()
data = load_report_data(data_dir, year, institution, config=config, faculty=faculty, allow_empty=allow_empty)
scores = data.integration
if scores is None or scores.empty:
    print(label("nb_no_integration", lang), [w for w in data.warnings if "integration" in w])
_blocks, figures, _year, ranked = integration_section(data, lang)

# %% [markdown] label="md_03_ranked"
# ## Faglig, sosial og samlet, rangert innen sammenligningsgruppen
#
# Egen institusjon er uthevet med plass og avstand til beste og til medianen (egen skår minus
# referansen: negativt er under). Sammenligningsgruppen er alle institusjoner i datagrunnlaget,
# eller den som er satt i `[integration] comparison_group`. Søylene starter på 1, skalaens
# laveste verdi. En stor gruppe tegnes ikke hel: figuren viser egne enheter (fakultetets i en
# fakultetsrapport), gruppens beste (`[integration] chart_best`) og gruppens median (skravert);
# skjermede enheter tegnes aldri. Merknaden i figuren sier hva som er utelatt; tabellen har alle.

# %%
for fig in figures:
    fig.figure.show()

# %% [markdown] label="md_03_table"
# ## Tabell

# %%
people(ranked, "integration", lang)

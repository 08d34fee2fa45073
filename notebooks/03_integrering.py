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
# # Integrering av internasjonale studenter
#
# Studiebarometeret 2017 spurte om faglig og sosial integrering mellom norske og internasjonale
# studenter (1–5). Komiteens spørsmål var *hva gjør de som lykkes?* – derfor rangerer vi
# institusjonene og viser avstanden til den beste. Hvilke spørsmål som inngår i skåren er
# konfigurasjon (`config/kvalitet.toml`), fordi senere år har andre spørsmål.

# %% tags=["parameters"]
year = None  # report year (None: the latest year in the data)
institution = "1150"  # DBH institution code
lang = "nb"  # "nb" or "en" (chart labels)
data_dir = None  # raw-data folder (None: data/raw)
config = None  # settings file (None: config/kvalitet.toml)
out_dir = None  # where the report-charts notebook writes figures and tables
interactive = True  # False under papermill: no widgets

# %%
from analysis.charts import integration_ranking
from analysis.report.data import latest_year, load_report_data
from analysis.report.notebook import setup

setup()
data = load_report_data(data_dir, year, institution, config=config)
scores = data.integration
if scores is None or scores.empty:
    print("Ingen integreringsskårer:", [w for w in data.warnings if "integration" in w])

# %% [markdown]
# ## Rangering med avstand til beste
#
# Egen institusjon er uthevet. Søylene starter på 1, skalaens laveste verdi.

# %%
if scores is not None and not scores.empty:
    iyear = latest_year(scores, upto=data.year)
    names = set(scores["institution"])
    own = next((n for n in (data.institution_short, data.institution) if n in names), None)
    for level in sorted(scores.loc[scores["year"] == iyear, "level"].unique()):
        rows = scores[(scores["year"] == iyear) & (scores["level"] == level)]
        integration_ranking(scores, year=iyear, level=level, highlight=own,
                            sources=data.sources(rows, lang), lang=lang).show()

# %% [markdown]
# ## Tabell

# %%
scores if scores is not None else None

"""Report charts: pure functions from validated metric frames to plotly figures.

One theme (:mod:`analysis.charts.theme`), one place for words (:mod:`analysis.charts.labels`),
a source note under every chart (:class:`Source`). No chart function reads or writes files.
"""

from analysis.charts import theme  # registers the "kvalitet" plotly template
from analysis.charts.common import Source, source_note_text
from analysis.charts.gender import gender_share_bars, gender_trend
from analysis.charts.integration import integration_ranking
from analysis.charts.labels import label, value_label
from analysis.charts.survey import (
    portal_history_chart,
    portal_index_chart,
    survey_distribution_chart,
    survey_items_chart,
)
from analysis.charts.wellbeing import wellbeing_by_gender, wellbeing_waves

__all__ = [
    "Source",
    "gender_share_bars",
    "gender_trend",
    "integration_ranking",
    "label",
    "portal_history_chart",
    "portal_index_chart",
    "source_note_text",
    "survey_distribution_chart",
    "survey_items_chart",
    "theme",
    "value_label",
    "wellbeing_by_gender",
    "wellbeing_waves",
]

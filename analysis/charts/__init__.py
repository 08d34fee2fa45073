"""Report charts: pure functions from validated metric frames to plotly figures.

One theme (:mod:`analysis.charts.theme`), one place for words (:mod:`analysis.charts.labels`),
a source note under every chart (:class:`Source`). No chart function reads or writes files.

The names below are loaded when first asked for (PEP 562), not with the package: the stages
and the commands that only print words (``analysis.charts.labels``) would otherwise load
plotly and every chart module (~0.6 s) without drawing anything. Each chart module imports
:mod:`~analysis.charts.theme` itself, so the "kvalitet" template is registered before any
chart is made.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.charts import theme
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

#: each public name and the module it lives in
_MODULE_OF = {
    "Source": "common",
    "source_note_text": "common",
    "gender_share_bars": "gender",
    "gender_trend": "gender",
    "integration_ranking": "integration",
    "label": "labels",
    "value_label": "labels",
    "portal_history_chart": "survey",
    "portal_index_chart": "survey",
    "survey_distribution_chart": "survey",
    "survey_items_chart": "survey",
    "wellbeing_by_gender": "wellbeing",
    "wellbeing_waves": "wellbeing",
}


def __getattr__(name: str) -> Any:
    if name == "theme":
        return importlib.import_module("analysis.charts.theme")
    if name in _MODULE_OF:
        return getattr(importlib.import_module(f"analysis.charts.{_MODULE_OF[name]}"), name)
    raise AttributeError(f"module 'analysis.charts' has no attribute {name!r}")


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

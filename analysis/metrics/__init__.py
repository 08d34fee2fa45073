"""Metrics: pure functions from validated frames to validated frames.

One module per metric, each with its output contract in ``schemas/``:

- :mod:`analysis.metrics.gender` — under-40 % gender-imbalance flags (``schemas.flags.GenderFlags``); the
  students-needed rule it uses is :mod:`analysis.metrics.students_needed` (no pandera: the charts use it)
- :mod:`analysis.metrics.integration` — integration scores of international students
  (``schemas.integration_scores.IntegrationScores``)
- :mod:`analysis.metrics.wellbeing` — SHoT indicators by wave (``schemas.wellbeing.WellbeingIndicators``)

Thresholds and settings come from :mod:`analysis.settings`; no metric repeats a number.
"""

"""kvalitet: readers, metrics, charts and the report for the annual quality report.

Stages: raw (data/raw, immutable) -> validated (readers + schemas) -> derived (metrics) ->
figures/report (charts, notebooks, report).
"""

__version__ = "0.1.0"

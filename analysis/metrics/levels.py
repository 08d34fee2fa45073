"""Levels the metrics add units up to, as names only (the CLI offers them without loading a metric)."""

#: DBH department rows are summed to one of these (programme rows stay programmes).
AGGREGATE_LEVELS = ("department", "faculty", "institution")

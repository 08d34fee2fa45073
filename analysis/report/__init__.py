"""The quality report: data for one institution and year (:mod:`.data`), the figure set,
tables and findings (:mod:`.content`), the page (:mod:`.html`) and the build that executes
the notebooks and writes ``build/report`` (:mod:`.build`)."""

"""Where results and shared state live (the ground floor every other room stands on).

Takes in: tables to save and the actions people take (codes, curation edits, votes).
Gives out: atomic result files (``files``: Parquet/JSON written whole or not at all, results
transactions), the shared SQL store (``store``: SQLite by default, PostgreSQL for teams; its
``Store`` is composed of one mixin per kind of record: ``curation_edits``, ``coding_records`` and
the ``workshop_*`` modules, on ``connection``, ``retries``, ``tables`` and ``migrations``) and
where a study's store lives (``locations``). Imports nothing from the rooms above it.
"""

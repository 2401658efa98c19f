"""From redacted segments to ranked pain points.

Takes in: segments (``text_redacted``) from ``workbench.ingest``.
Gives out: passages, embeddings (cached on disk), pain points with labels, CX lenses
(dimension, touchpoint, journey stage), sentiment and moments, severity and quotes, and the
per-passage assignments (``pipeline.analyze_segments`` wires the steps in order). Researcher
edits to pain points are replayed here (``curation``) so they survive every re-fit. ``search`` finds
the quotes nearest a question by meaning, from the analysis' own vectors.
"""

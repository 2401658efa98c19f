"""How long runs use the machine and talk to the person waiting: worker processes and progress.

Takes in: a per-item function and its items (:func:`workbench.runtime.workers.map_chunks`), the
steps of a run (:class:`workbench.runtime.progress.Progress`).
Gives out: the same results as one loop, computed on every core for large inputs; step lines and
progress bars on stderr or in a notebook.

Below every stage of the flow (it imports nothing of the workbench but its errors), so ingest,
analysis and the CLI can all use it.
"""

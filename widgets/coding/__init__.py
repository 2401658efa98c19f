"""Code interview passages one by one: a plain state (``state``) and the ipywidgets view that renders it (``view``).

``widgets.coding.state.CodingState`` holds one coder's session and saves every action to the
study's store at once; it imports no widget library, so tests drive it without a browser. Its
parts are mixins by responsibility: moving through the passages (``navigation``) and the
analysis' suggestions (``suggesting``). ``widgets.coding.view.CodingView`` renders a state and
forwards clicks and keys to it. The coding logic itself (codebooks, records in the store, the
suggestion rule, quotes in context) lives in :mod:`workbench.coding`.
"""

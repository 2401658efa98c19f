"""Code interviews with the mouse and the keyboard: a plain state (``state``) and the ipywidgets view that renders it (``view``).

``widgets.coding.state.CodingState`` holds one coder's session and saves every action to the
study's store at once; it imports no widget library, so tests drive it without a browser. Its
parts are mixins by responsibility: moving through the passages (``navigation``), what the
transcript shows (``document``), selecting spans of turns and coding them, memos and colleagues'
codes (``span_actions``), "code all similar" (``similar_actions``) and the analysis' suggestions
(``suggesting``). ``widgets.coding.view.CodingView`` renders a state and forwards clicks, keys
and mouse selections to it; the selection is measured in the browser by a small ES module
(``transcript``, an anywidget). ``widgets.coding.app.coding_app`` is what the Voila app
``notebooks/apps/coding.ipynb`` shows. The coding logic itself (codebooks, records and spans in
the store, the suggestion rule, similar passages, REFI-QDA) lives in :mod:`workbench.coding`.
"""

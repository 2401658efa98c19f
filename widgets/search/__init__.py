"""The evidence search box: a question in, the customers' nearest quotes out.

``state`` holds what a box shows (:class:`~widgets.search.state.SearchState`: the question, the
quotes, a message) and asks :class:`workbench.analysis.search.EvidenceSearch`, which it imports
and opens on the first search only, so an app that shows a box starts without loading a model;
``view`` renders a state with ipywidgets (:class:`~widgets.search.view.SearchBox`). Notebook 03
shows one (:func:`~widgets.search.view.search_box`), and so does the workshop's Facilitator tab.
"""

"""The live workshop app: plain states (``state``) and the ipywidgets views that render them (``app``).

``widgets.workshop.state`` imports no widget library, so tests drive it without a browser;
``widgets.workshop.app`` builds the Voila app of ``notebooks/apps/workshop.ipynb``.
"""

"""The live workshop app: plain states and the ipywidgets views that render them.

States (no widget library, so tests drive them without a browser): ``state`` composes the
per-tab states of ``painpoints`` (with the cards of ``cards``), ``personas``, ``journey``,
``voting`` (with ``statements`` and ``board`` mixed in) and ``facilitator``; ``session`` is what
the store-backed ones share, ``display`` words text for the page, ``demo`` is a tiny result set.

Views: ``app`` assembles the Voila app of ``notebooks/apps/workshop.ipynb`` from one view per
tab (``header_view``, ``painpoints_view``, ``personas_view``, ``journey_view``,
``prioritise_view``, ``facilitator_view``) and what they share (``page``).

The workshop room (what participants get from ``workbench workshop``: one page for everyone, no kernel
each): ``room_view`` (every person's view of the session from the same states), ``room_page`` (its
HTML), ``room.js`` (its clicks and live counts in the browser) and ``room_app`` (starts its server).

The results logic behind them lives in :mod:`workbench.workshop.app_data`.
"""

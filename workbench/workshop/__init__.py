"""The live workshop: serving it, publishing it, and what the room decided.

Takes in: a study's results and the shared store.
Gives out: the served workshop (``server``): the participants' room server (``room`` starts it,
``room_server``/``room_base`` serve it, ``room_store`` shares its store reads, ``progress`` is its
page while the study is analysed) and the facilitator's Voila app behind it (``voila_app``,
``voila_proxy``), bound to a safe address with participant and facilitator links (``access``:
hosts, ports, tokens), results checked and re-made when stale (``freshness``),
a bundle another machine can serve (``bundle``), what the app shows derived from the results
(``app_data``: pain-point order and quotes, the board's impact starts, the ranking by votes,
the journey's hotspots) and the session's ranked results (votes, impact × effort board,
"How might we…" statements: ``results``).
"""

"""Personal data out before anything is shared.

Takes in: segments (``text``) and what the study knows of its people (participants, speakers).
Gives out: ``text_redacted`` with typed tags (``[NAME-3]``, ``[PHONE]``…), counts per kind,
and the pseudonym map that stays with the researcher (never in a shared artefact).

``base`` holds the small ``Recogniser`` interface (one method, ``find``) and the kinds and
tags; each recogniser lives in its own module (``emails``, ``banking`` for IBANs and cards,
``references``, ``phones``, ``addresses``, ``names`` with ``known_names``, ``name_cues`` and
``name_words``); ``redactor`` runs them in priority order; ``pseudonyms`` makes the map.
"""

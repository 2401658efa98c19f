"""The participants' page of the workshop room as plain HTML: what the Voila app's four participant
tabs show (header with name and dots, Pain points, Personas, Journey, Prioritise), rendered by the
room's server from the same states, with ``room.js`` for the clicks and the live counts.

Everything customer- or participant-written goes through :func:`widgets.workshop.display.escape`;
the page's data travel as JSON in a ``<script type="application/json">`` block, with ``<``, ``>``
and ``&`` written as ``\\u003c`` … so no text can close it. The browser script only ever sets
``textContent``, or HTML fragments made here.

Example:
    >>> from widgets.workshop.cards import PainPointCard
    >>> "&lt;b&gt;" in card_html(PainPointCard("PP01", "Refunds <b>late</b>", 1), "0 votes", 0)
    True
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from workbench.workshop.app_data import board_impact_note
from widgets.workshop.cards import PainPointCard
from widgets.workshop.display import escape
from widgets.workshop.painpoints_view import what_works_html
from widgets.workshop.personas import PersonaCard
from widgets.workshop.voting import VoteState

#: MathJax-free text (same classes as the Voila app's, see ``widgets.workshop.page``)
NO_MATH = "tex2jax_ignore mathjax_ignore"
TABS = (("painpoints", "Pain points"), ("personas", "Personas"), ("journey", "Journey"), ("prioritise", "Prioritise"))
QUADRANT_TITLES = {"quick win": "Quick wins: high impact, low effort",
                   "major project": "Major projects: high impact, high effort",
                   "fill-in": "Fill-ins: low impact, low effort",
                   "thankless task": "Thankless tasks: low impact, high effort"}

ROOM_CSS = """<style>
body { margin: 0; background: #fff; }
.wb-room { margin: 0 auto; padding: 8px 10px 40px; font-size: 14px; }
.wb-room button { font: inherit; border: 1px solid #d1d5db; background: #f3f4f6; color: #1f2937; border-radius: 3px;
                  padding: 3px 10px; cursor: pointer; min-height: 28px; }
.wb-room button:hover { background: #e5e7eb; } .wb-room button:disabled { opacity: 0.5; cursor: default; }
.wb-room button.wb-primary { background: #2196f3; border-color: #1e88e5; color: #fff; }
.wb-room button.wb-primary:hover { background: #1976d2; }
.wb-room input, .wb-room select, .wb-room textarea { font: inherit; border: 1px solid #9ca3af; border-radius: 2px;
                  padding: 3px 6px; min-height: 28px; box-sizing: border-box; }
.wb-row { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin: 4px 0; }
.wb-header .wb-row { gap: 12px; }
.wb-tabs { display: flex; gap: 2px; border-bottom: 1px solid #d1d5db; margin: 8px 0; }
.wb-tabs button[role=tab] { border-radius: 4px 4px 0 0; border-bottom: none; background: #f3f4f6; min-width: 110px; }
.wb-tabs button[role=tab][aria-selected=true] { background: #fff; border-top: 2px solid #2196f3; font-weight: 600; }
.wb-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 10px; width: 100%; }
.wb-card .wb-row { margin: 2px 0; }
.wb-split { display: flex; gap: 2%; } .wb-split > .wb-left { width: 34%; } .wb-split > .wb-right { width: 64%; }
.wb-field { display: inline-flex; align-items: center; gap: 6px; margin-right: 10px; }
.wb-hidden { display: none !important; }
</style>"""


def script_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` block (no ``</script>``, no ``<!--``).

    Example:
        >>> script_json({"quote": "</script><b>"})
        '{"quote": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("\u2028", "\\u2028")


def message_html(text: str, css: str = "wb-message") -> str:
    """A short message, escaped ("" when there is none); the same markup as the Voila app's.

    Example:
        >>> message_html("<b>saved</b>")
        '<span class="wb-message" role="status">&lt;b&gt;saved&lt;/b&gt;</span>'
    """
    return f'<span class="{css}" role="status">{escape(text)}</span>' if text else ""


def card_html(card: PainPointCard, count_text: str, mine: int) -> str:
    """One pain-point card: label, facts, evidence, the first quote, quote stepping, Vote and Take back.

    The buttons come disabled: the page's script enables them once it runs (a click before would be lost).

    Example:
        >>> html = card_html(PainPointCard("PP01", "Refunds", 1, quotes=("Six weeks.",)), "2 votes", 1)
        >>> "Quote 1 of 1" in html, '<span class="wb-count">2 votes</span>' in html, "(yours: 1)" in html
        (True, True, True)
    """
    facts = " · ".join(card.facts)
    severity = f'<span class="wb-severity">{escape(card.severity_text)}</span>' if card.severity_text else ""
    badge = ""
    if card.stability_text:
        css = "wb-stable" if card.stable else "wb-unstable"
        badge = (f'<span class="{css}" title="share of reruns that found this pain point again: '
                 f'{card.stability:.2f}">{escape(card.stability_text)}</span>')
    evidence = f"{badge}{escape(card.impact_text)}"
    quote = (f'<blockquote class="wb-quote {NO_MATH}">“{escape(card.quotes[0])}”</blockquote>' if card.quotes
             else '<div class="wb-muted wb-quote-none">No quote for this filter.</div>')
    position = f"Quote 1 of {len(card.quotes)}" if card.quotes else "No quote"
    label = escape(card.label)
    handle = f'<div class="wb-handle">{label}</div>' if card.statement else ""  # the statement leads, the label follows
    return (
        f'<div class="wb-card" data-painpoint="{escape(card.painpoint_id)}">'
        f'<div class="wb-card-head {NO_MATH}">{severity}<span class="wb-rank">#{card.rank}</span>'
        f'<b>{escape(card.heading)}</b>{handle}<div class="wb-facts">{escape(facts)}</div>'
        + (f'<div class="wb-evidence">{evidence}</div>' if evidence else "") + "</div>"
        f'<div class="wb-quote-box">{quote}</div>'
        f'<div class="wb-row"><button type="button" class="wb-previous" title="Previous quote about {label}">‹ Previous'
        f'</button><span class="wb-muted wb-position">{escape(position)}</span>'
        f'<button type="button" class="wb-next" title="Next quote about {label}">Next ›</button>'
        f'<button type="button" class="wb-star" title="Star this quote as proof of the pain point" disabled>'
        f"☆ Star quote</button></div>"
        f'<div class="wb-row"><button type="button" class="wb-vote wb-primary" title="Vote for {label}" disabled>'
        f'Vote</button><button type="button" class="wb-unvote" title="Take back a vote for {label}" disabled>'
        f'Take back</button>'
        f'<span class="wb-count">{escape(count_text)}</span>'
        f'<span class="wb-muted wb-mine">{f"(yours: {mine})" if mine else ""}</span></div>'
        f'<div class="wb-card-message"></div></div>'
    )


def persona_html(card: PersonaCard, shown: bool) -> str:
    """One persona card (goals, frustrations, touchpoints, quotes); only the chosen one is shown.

    Example:
        >>> "wb-hidden" in persona_html(PersonaCard("PE1", "The <Busy> Flyer", "", 5, 0.3), shown=False)
        True
    """

    def items(values: tuple[str, ...]) -> str:
        return "".join(f"<li>{escape(v)}</li>" for v in values) or "<li>–</li>"

    quotes = "".join(f'<blockquote class="wb-quote">“{escape(q)}”</blockquote>' for q in card.quotes)
    touchpoints = ""
    if card.preferred_touchpoints or card.avoided_touchpoints:
        touchpoints = (f"<p><b>Prefers</b> {escape(', '.join(card.preferred_touchpoints) or '–')} · "
                       f"<b>avoids</b> {escape(', '.join(card.avoided_touchpoints) or '–')}</p>")
    return (
        f'<div class="wb-card wb-persona {NO_MATH}{"" if shown else " wb-hidden"}" data-persona="{escape(card.persona_id)}">'
        f'<h3>{escape(card.name)}</h3><div class="wb-muted">{escape(card.share_text)}</div><p>{escape(card.summary)}</p>'
        f"<div style='display:grid;grid-template-columns:1fr 1fr;gap:12px'>"
        f"<div><b>Goals</b><ul>{items(card.goals)}</ul></div>"
        f"<div><b>Frustrations</b><ul>{items(card.frustrations)}</ul></div></div>"
        f"{touchpoints}<p><b>{escape(card.design_for)}</b></p>{quotes}</div>"
    )


def ranking_html(vote: VoteState) -> str:
    """The ranking by votes (a note instead while the facilitator hides the votes).

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from workbench.storage.store import Store, sqlite_url
        >>> from widgets.workshop.demo import demo_results
        >>> from widgets.workshop.painpoints import PainPointsState
        >>> vote = VoteState(Store(sqlite_url(Path(tempfile.mkdtemp()) / "s.sqlite")), "s",
        ...                  PainPointsState(demo_results()).cards)
        >>> _ = vote.join("Dana"); _ = vote.vote("PP02")
        >>> "<tr><td>1</td><td>Refunds take weeks</td><td>1</td></tr>" in ranking_html(vote)
        True
        >>> "Quick wins" in board_html(vote), "No statements yet." in statements_html(vote, vote.cards)
        (True, True)
    """
    if vote.votes_hidden:
        return ('<p class="wb-muted">The votes are hidden until the facilitator reveals them; '
                "your own dots are on the cards.</p>")
    rows = "".join(f"<tr><td>{r.place}</td><td>{escape(r.label)}</td><td>{r.votes}</td></tr>" for r in vote.ranking())
    return f'<table class="wb-table {NO_MATH}"><tr><th>#</th><th>pain point</th><th>votes</th></tr>{rows}</table>'


def board_html(vote: VoteState) -> str:
    """The impact × effort board: the group's places in four quadrants."""
    quadrants: dict[str, list[str]] = {name: [] for name in QUADRANT_TITLES}
    for point in vote.board():
        quadrants[point.quadrant].append(
            f"<li>{escape(point.label)} <span class='wb-muted'>(impact {point.impact:g}, effort {point.effort:g}; "
            f"{escape(point.placed_by)})</span></li>")
    return f'<div class="wb-board {NO_MATH}">' + "".join(
        f'<div class="wb-quadrant"><h4>{QUADRANT_TITLES[q]}</h4><ul>{"".join(items) or "<li>–</li>"}</ul></div>'
        for q, items in quadrants.items()) + "</div>"


def statements_html(vote: VoteState, cards: Sequence[PainPointCard], width: int = 80) -> str:
    """The "How might we…" statements by pain point, with the quotes they cite."""
    blocks = []
    for card in cards:
        statements = vote.statements_for(card.painpoint_id)
        if not statements:
            continue
        quotes = {q: (t if len(t) <= width else t[: width - 1] + "…") for t, q in zip(card.quotes, card.quote_ids)}
        items = "".join(
            f"<li>{escape(s.text)} <span class='wb-muted'>— {escape(s.author)}"
            + "".join(f" · cites “{escape(quotes.get(q, q))}”" for q in s.quote_ids) + "</span></li>"
            for s in statements)
        blocks.append(f"<p><b>{escape(card.label)}</b></p><ul>{items}</ul>")
    private = ('<p class="wb-muted">Statements are private: you see your own; the others appear when the '
               "facilitator reveals them.</p>") if vote.notes_private else ""
    return f'<div class="{NO_MATH}">' + private + ("".join(blocks) or '<p class="wb-muted">No statements yet.</p>') + "</div>"


def _options(pairs: Sequence[tuple[str, str]], selected: str = "") -> str:
    return "".join(f'<option value="{escape(value)}"{" selected" if value == selected else ""}>{escape(label)}</option>'
                   for label, value in pairs)


def _select(name: str, label: str, pairs: Sequence[tuple[str, str]], width: str) -> str:
    return (f'<label class="wb-field">{escape(label)} <select data-filter="{name}" style="width:{width}">'
            f"{_options(pairs)}</select></label>")


def room_page(room: Any, vote: VoteState, state: dict[str, Any], css: str) -> str:
    """The whole participants' page of ``room`` (a :class:`widgets.workshop.room_view.ParticipantRoom`)
    for one person (``vote``), with their ``state`` (:meth:`ParticipantRoom.snapshot`) filled in.

    ``css`` is the Voila app's stylesheet (``widgets.workshop.page.CSS``), so both look alike.
    """
    cards = room.painpoints.cards
    grid = "".join(card_html(c, vote.count_text(c.painpoint_id), vote.my_count(c.painpoint_id)) for c in cards)
    pp = room.painpoints
    filters = (
        '<div class="wb-row"><input type="search" data-filter="search" placeholder="Search pain points and quotes" '
        'style="width:260px" aria-label="Search pain points and quotes">'
        + _select("persona", "Persona", pp.persona_options, "200px") + _select("segment", "Segment", pp.segment_options, "150px")
        + _select("touchpoint", "Touchpoint", pp.touchpoint_options, "170px")
        + _select("stage", "Stage", pp.stage_options, "180px")
        + '<button type="button" id="wb-clear">Clear filters</button></div>'
        f'<div id="wb-summary"><span class="wb-muted">{escape(pp.summary)}</span></div>'
    )
    personas = room.personas
    if personas.cards:
        persona_tab = (f'<label class="wb-field">Persona <select id="wb-persona" style="width:420px">'
                       f"{_options(personas.options, personas.selected)}</select></label>"
                       + "".join(persona_html(c, c.persona_id == personas.selected) for c in personas.cards))
    else:
        persona_tab = f'<p class="wb-muted">{escape(personas.message)}</p>'
    journey = room.journey
    if journey.message:
        journey_tab = f'<p class="wb-muted">{escape(journey.message)}</p>'
    else:
        values = "".join(f'<button type="button" data-journey-value="{escape(v)}" aria-pressed="{str(v == journey.value).lower()}"'
                         f' style="width:180px">{escape(t)}</button>' for t, v in journey.VALUES)
        journey_tab = (f'<div class="wb-row" role="group">{values}</div><div id="wb-heatmap" style="width:100%"></div>'
                       '<div id="wb-journey-notes"></div>'
                       f'<label class="wb-field">Emotion curve of <select id="wb-journey-persona" style="width:300px">'
                       f"{_options(journey.persona_options)}</select></label>"
                       '<div id="wb-emotion" style="width:100%"></div>')
    picker = _options([(f"#{c.rank} {c.label}", c.painpoint_id) for c in cards])
    prioritise_tab = (
        '<div class="wb-split"><div class="wb-left"><h3>Ranking by votes</h3>'
        f'<div id="wb-ranking">{state["ranking_html"]}</div></div><div class="wb-right">'
        f'<h3>Impact × effort</h3><label class="wb-field">Pain point <select id="wb-board-painpoint" style="width:420px">'
        f"{picker}</select></label>"
        '<div class="wb-row"><label class="wb-field">Impact <input type="range" id="wb-impact" min="1" max="5" step="1">'
        '<output id="wb-impact-value"></output></label><label class="wb-field">Effort <input type="range" id="wb-effort" '
        'min="1" max="5" step="1" value="3"><output id="wb-effort-value">3</output></label></div>'
        f'<span class="wb-muted">{escape(board_impact_note(cards))}</span>'
        '<div class="wb-row"><button type="button" class="wb-primary" id="wb-place" disabled>Place on board</button></div>'
        f'<div id="wb-board-message"></div><div id="wb-board">{state["board_html"]}</div>'
        f'<h3>How might we…</h3><label class="wb-field">Pain point <select id="wb-hmw-painpoint" style="width:420px">'
        f"{picker}</select></label><br>"
        '<label class="wb-field">Cites <select id="wb-hmw-quote" style="width:420px"></select></label><br>'
        '<textarea id="wb-hmw-text" placeholder="How might we …" style="width:420px;height:60px" '
        'aria-label="How might we …"></textarea>'
        '<div class="wb-row"><button type="button" class="wb-primary" id="wb-hmw-add" disabled>Add statement</button></div>'
        f'<div id="wb-hmw-message"></div><div id="wb-statements">{state["statements_html"]}</div></div></div>'
    )
    panels = {"painpoints": filters + f'<div class="wb-grid" id="wb-cards">{grid}</div>'
              + what_works_html(room.painpoints.what_works), "personas": persona_tab,
              "journey": journey_tab, "prioritise": prioritise_tab}
    tabs = "".join(f'<button type="button" role="tab" id="wb-tab-{key}" aria-controls="wb-panel-{key}" '
                   f'aria-selected="{"true" if i == 0 else "false"}">{title}</button>' for i, (key, title) in enumerate(TABS))
    sections = "".join(f'<section role="tabpanel" id="wb-panel-{key}" aria-labelledby="wb-tab-{key}"'
                       f'{"" if i == 0 else " hidden"}>{panels[key]}</section>' for i, (key, _title) in enumerate(TABS))
    data = {"state": state, "quotes": {c.painpoint_id: list(c.quotes) for c in cards},
            "quote_ids": {c.painpoint_id: room.quote_ids(c.painpoint_id, c.quotes) for c in cards},
            "cites": {c.painpoint_id: room.painpoints.quote_choices(c.painpoint_id) for c in cards},
            "board_defaults": room.board_defaults, "poll_ms": int(room.poll_seconds * 1000)}
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        f'content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
        f'<title>{escape(room.title)}</title>{css}{ROOM_CSS}</head>'
        f'<body><div class="wb-app wb-room" style="max-width:1400px">'
        f'<div class="wb-header"><h2 class="{NO_MATH}">{escape(room.title)}</h2><div class="wb-row">'
        f'<form id="wb-join" class="wb-row{" wb-hidden" if vote.joined else ""}" autocomplete="off">'
        '<input id="wb-name" placeholder="Your name" style="width:220px" maxlength="80" aria-label="Your name">'
        '<button type="submit" class="wb-primary" title="Join the workshop" style="width:80px" disabled>Join</button></form>'
        f'<span class="wb-muted {NO_MATH}" id="wb-status">{escape(vote.status)}</span>'
        '<span id="wb-timer"></span></div><div id="wb-message"></div></div><div id="wb-error"></div>'
        f'<div role="tablist" class="wb-tabs">{tabs}</div>{sections}</div>'
        f'<script id="wb-data" type="application/json">{script_json(data)}</script>'
        '<script src="static/room.js" defer></script></body></html>'
    )

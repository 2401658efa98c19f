"""The workshop app's ipywidgets views: they only render the states of :mod:`widgets.workshop.state`.

Layout (readable on 1280×720): a header (study and session, the name prompt, this person's
dots, the round countdown) above the tabs — Pain points (cards with Vote buttons and the
evidence: stability over reruns, impact on the score), Personas, Journey, Prioritise (ranking
by votes, impact × effort board, "How might we…" statements) and, on the facilitator link
only (``?facilitator=TOKEN``), Facilitator (results, exports, lock voting, new round, hide and
reveal votes, private statements, the round timer).

Other people's actions arrive through a poller: a daemon thread in the kernel that calls
``WorkshopState.refresh()`` every ``poll_seconds`` (1 s by default) and, when the store's
revision moved, re-renders. Widget trait changes made on that thread are sent to the browser
over the kernel's IOPub channel, which is thread-safe, so this works the same in JupyterLab
and under Voila. One lock serialises the poller and click handlers.

Every bit of customer or participant text goes through :func:`widgets.workshop.state.escape`
before it reaches an HTML widget; a callback never lets an exception (or a traceback) reach
the page: it shows a short message instead.

Example:
    >>> import tempfile
    >>> from workbench.store import Store, sqlite_url
    >>> from widgets.workshop.state import WorkshopState, demo_results
    >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
    >>> app = WorkshopApp(WorkshopState(demo_results(), store, "kick-off"))
    >>> app.join_name.value = "Dana"; app.join_button.click()
    >>> app.cards["PP01"].vote_button.click()
    >>> app.cards["PP01"].count.value
    '<span class="wb-count">1 vote</span>'
"""
from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import ipywidgets as W

from workbench.errors import WorkbenchError
from widgets.workshop.state import (
    ALL,
    PainPointCard,
    WorkshopState,
    board_impact_note,
    escape,
    open_workshop,
)

LOG = logging.getLogger(__name__)

#: how often each kernel looks at the store for other people's actions (seconds)
POLL_SECONDS = 1.0
#: one scale for impact and effort on the board
SCALE = (1, 5)

CSS = """
<style>
.wb-app { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2937; }
.wb-app h2 { margin: 0 0 2px 0; font-size: 1.3em; }
.wb-muted { color: #6b7280; font-size: 0.9em; }
.wb-card { border: 1px solid #d1d5db; border-radius: 8px; padding: 8px 10px; background: #fff; }
.wb-card-head { line-height: 1.35; }
.wb-card-head b { font-size: 1.05em; }
.wb-rank { color: #6b7280; margin-right: 4px; }
.wb-severity { float: right; background: #fee2e2; color: #991b1b; border-radius: 10px; padding: 0 8px;
               font-size: 0.85em; }
.wb-facts { color: #4b5563; font-size: 0.85em; margin-top: 2px; }
.wb-quote { font-style: italic; border-left: 3px solid #d1d5db; margin: 6px 0; padding: 2px 8px;
            max-height: 7.5em; overflow-y: auto; line-height: 1.35; }
.wb-count { font-weight: 600; }
.wb-evidence { font-size: 0.85em; margin-top: 2px; color: #374151; }
.wb-stable { background: #dcfce7; color: #166534; border-radius: 10px; padding: 0 8px; margin-right: 6px; }
.wb-unstable { background: #fef3c7; color: #92400e; border-radius: 10px; padding: 0 8px; margin-right: 6px; }
.wb-timer { font-weight: 700; font-size: 1.1em; color: #1e3a8a; background: #dbeafe; border-radius: 6px;
            padding: 2px 10px; }
.wb-timeup { color: #991b1b; background: #fee2e2; }
.wb-message { color: #92400e; background: #fef3c7; border-radius: 6px; padding: 2px 8px; display: inline-block; }
.wb-error { color: #991b1b; background: #fee2e2; border-radius: 6px; padding: 8px 12px; }
.wb-table { border-collapse: collapse; font-size: 0.92em; }
.wb-table td, .wb-table th { border-bottom: 1px solid #e5e7eb; padding: 3px 8px; text-align: left; vertical-align: top; }
.wb-board { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
.wb-persona, .wb-board, .wb-table, .wb-message, .wb-error { line-height: 1.35; }
.wb-quadrant { border: 1px solid #d1d5db; border-radius: 8px; padding: 6px 10px; min-height: 5em; }
.wb-quadrant h4 { margin: 0 0 4px 0; }
.wb-persona h3 { margin: 0; }
.wb-persona ul { margin: 2px 0 6px 0; padding-left: 1.2em; }
</style>
"""
#: MathJax leaves text in these classes alone (a "$5 fee" stays text, never becomes maths)
NO_MATH = "tex2jax_ignore mathjax_ignore"


def _message_html(text: str, css: str = "wb-message") -> str:
    return f'<span class="{css}" role="status">{escape(text)}</span>' if text else ""


def _figure_output(output: W.Output, figure: Any, empty_message: str) -> None:
    """Show a plotly figure in an Output widget as the plotly MIME type (rendered offline by the
    jupyterlab-plotly extension that plotly ships), or a short note when there is none."""
    if figure is None:
        output.outputs = ({"output_type": "display_data", "data": {"text/plain": empty_message}, "metadata": {}},)
        return
    spec = json.loads(figure.to_json())
    output.outputs = ({
        "output_type": "display_data",
        "data": {"application/vnd.plotly.v1+json": {"data": spec.get("data", []), "layout": spec.get("layout", {}),
                                                     "config": {"displaylogo": False, "responsive": True}},
                 "text/plain": figure.layout.title.text or "chart"},
        "metadata": {},
    },)


class CardView:
    """The widgets of one pain-point card."""

    def __init__(self, card: PainPointCard) -> None:
        self.card = card
        facts = " · ".join(card.facts)
        severity = f'<span class="wb-severity">{escape(card.severity_text)}</span>' if card.severity_text else ""
        badge = ""
        if card.stability_text:
            css = "wb-stable" if card.stable else "wb-unstable"
            badge = (f'<span class="{css}" title="share of reruns that found this pain point again: '
                     f'{card.stability:.2f}">{escape(card.stability_text)}</span>')
        evidence = f"{badge}{escape(card.impact_text)}"
        self.head = W.HTML(
            f'<div class="wb-card-head {NO_MATH}">{severity}<span class="wb-rank">#{card.rank}</span>'
            f'<b>{escape(card.label)}</b><div class="wb-facts">{escape(facts)}</div>'
            + (f'<div class="wb-evidence">{evidence}</div>' if evidence else "") + "</div>"
        )
        self.quote = W.HTML()
        self.previous_button = W.Button(description="‹ Previous", tooltip=f"Previous quote about {card.label}",
                                        layout=W.Layout(width="90px"))
        self.next_button = W.Button(description="Next ›", tooltip=f"Next quote about {card.label}",
                                    layout=W.Layout(width="80px"))
        self.position = W.HTML()
        self.vote_button = W.Button(description="Vote", tooltip=f"Vote for {card.label}", button_style="primary",
                                    layout=W.Layout(width="80px"))  # no icon: its glyph would open the accessible name
        self.unvote_button = W.Button(description="Take back", tooltip=f"Take back a vote for {card.label}",
                                      layout=W.Layout(width="95px"))
        self.count = W.HTML()
        self.mine = W.HTML()
        self.message = W.HTML()
        self.box = W.VBox(
            [self.head, self.quote,
             W.HBox([self.previous_button, self.position, self.next_button], layout=W.Layout(align_items="center")),
             W.HBox([self.vote_button, self.unvote_button, self.count, self.mine],
                    layout=W.Layout(align_items="center", grid_gap="6px")),
             self.message],
            layout=W.Layout(border="1px solid #d1d5db", padding="6px 10px", margin="0"),
        )
        self.box.add_class("wb-card")


class WorkshopApp:
    """The whole app: header and five tabs, built from a :class:`WorkshopState`.

    Args:
        state: the states to render.
        poll_seconds: how often the poller re-reads the store (``start_polling``).
    """

    def __init__(self, state: WorkshopState, poll_seconds: float = POLL_SECONDS) -> None:
        self.state = state
        self.poll_seconds = poll_seconds
        self.lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.error = W.HTML()
        self._build_header()
        self._build_painpoints()
        self._build_personas()
        self._build_journey()
        self._build_prioritise()
        self._build_facilitator()
        self.tabs = W.Tab()
        self._show_role_tabs()
        self.widget = W.VBox([W.HTML(CSS), self.header, self.error, self.tabs],
                             layout=W.Layout(max_width="1400px", padding="0 6px"))
        self.widget.add_class("wb-app")
        self.render()
        self._render_persona()
        self._render_journey()

    # ------------------------------------------------------------------ roles

    def _show_role_tabs(self) -> None:
        """Four tabs for a participant; the Facilitator tab too on the facilitator link."""
        children = [self.painpoints_tab, self.personas_tab, self.journey_tab, self.prioritise_tab]
        titles = ["Pain points", "Personas", "Journey", "Prioritise"]
        if self.state.is_facilitator:
            children.append(self.facilitator_tab)
            titles.append("Facilitator")
        selected = self.tabs.selected_index
        self.tabs.children = children
        self.tabs.titles = titles
        self.tabs.selected_index = selected if selected is not None and selected < len(children) else 0

    def set_role(self, facilitator_token: str | None) -> bool:
        """Take the role of the page's ``?facilitator=`` token; return whether it is the facilitator's."""
        with self.lock:
            facilitator = self.state.set_facilitator_token(facilitator_token)
            self.state.facilitator.refresh(force=True)
            self._show_role_tabs()
            self.render()
            return facilitator

    # ------------------------------------------------------------------ plumbing

    def _action(self, action: Callable[..., Any]) -> Callable[..., None]:
        """A widget callback that runs ``action`` under the lock, then re-renders; never raises."""

        def handler(*args: Any) -> None:
            with self.lock:
                try:
                    action(*args)
                    self.error.value = ""
                except WorkbenchError as error:
                    self.error.value = _message_html(str(error), "wb-error")
                except Exception as error:  # noqa: BLE001 - people see a message, the log gets the details
                    LOG.exception("workshop action failed")
                    self.error.value = _message_html(
                        f"Something went wrong ({type(error).__name__}). Please try again; "
                        "if it keeps happening, tell the facilitator.", "wb-error")
                try:
                    self.render()
                except Exception:  # noqa: BLE001
                    LOG.exception("workshop render failed")

        return handler

    def poll_once(self) -> bool:
        """Re-read the store and re-render when anything changed; return whether it did. The round
        countdown is brought up to date on every poll."""
        with self.lock:
            changed = self.state.refresh()
            if changed:
                self.render()
            else:
                self._render_timer()
            return changed

    def start_polling(self) -> None:
        """Start the background poller (idempotent); it stops with :meth:`stop` or the kernel."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._poll_loop, name="workshop-poller", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the poller."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _poll_loop(self) -> None:
        failures = 0
        while not self._stop.wait(self.poll_seconds * (1 + min(failures, 10))):
            try:
                self.poll_once()
                if failures:
                    failures = 0
                    self.error.value = ""
            except Exception as error:  # noqa: BLE001 - keep polling; say so once
                failures += 1
                LOG.warning("workshop poll failed: %s", error)
                self.error.value = _message_html("Lost contact with the shared store; retrying…", "wb-error")

    # ------------------------------------------------------------------ header

    def _build_header(self) -> None:
        self.title = W.HTML(f'<h2 class="{NO_MATH}">{escape(self.state.title)}</h2>')
        self.join_name = W.Text(placeholder="Your name", layout=W.Layout(width="220px"))
        self.join_button = W.Button(description="Join", button_style="primary", tooltip="Join the workshop",
                                    layout=W.Layout(width="80px"))
        self.join_button.on_click(self._action(lambda _b: self.state.vote.join(self.join_name.value)))
        self.join_box = W.HBox([self.join_name, self.join_button])
        self.status = W.HTML()
        self.timer = W.HTML()
        self.message = W.HTML()
        self.header = W.VBox([self.title, W.HBox([self.join_box, self.status, self.timer], layout=W.Layout(
            align_items="center", grid_gap="12px")), self.message])

    def _render_header(self) -> None:
        vote = self.state.vote
        self.join_box.layout.display = "none" if vote.joined else ""
        self.status.value = f'<span class="wb-muted {NO_MATH}">{escape(vote.status)}</span>'
        self.message.value = _message_html(vote.message) if vote.message_target in ("", "join") else ""
        self._render_timer()

    def _render_timer(self) -> None:
        text = self.state.vote.timer_text()
        css = "wb-timer wb-timeup" if text.startswith("Time's up") else "wb-timer"
        value = f'<span class="{css}" role="timer">{escape(text)}</span>' if text else ""
        if self.timer.value != value:  # only a change travels to the browser
            self.timer.value = value

    # ------------------------------------------------------------------ pain points

    def _build_painpoints(self) -> None:
        state = self.state.painpoints
        self.persona_filter = W.Dropdown(options=state.persona_options, value=ALL, description="Persona",
                                         layout=W.Layout(width="260px"))
        self.segment_filter = W.Dropdown(options=state.segment_options, value=ALL, description="Segment",
                                         layout=W.Layout(width="210px"))
        self.touchpoint_filter = W.Dropdown(options=state.touchpoint_options, value=ALL, description="Touchpoint",
                                            layout=W.Layout(width="250px"))
        self.stage_filter = W.Dropdown(options=state.stage_options, value=ALL, description="Stage",
                                       layout=W.Layout(width="240px"))
        self.search = W.Text(placeholder="Search pain points and quotes", continuous_update=True,
                             layout=W.Layout(width="260px"))
        for control in (self.persona_filter, self.segment_filter, self.touchpoint_filter, self.stage_filter, self.search):
            control.style.description_width = "initial"
            control.observe(self._action(self._filters_changed), names="value")
        self.clear_button = W.Button(description="Clear filters", layout=W.Layout(width="110px"))
        self.clear_button.on_click(self._action(self._clear_filters))
        self.summary = W.HTML()
        self.cards: dict[str, CardView] = {}
        for card in state.cards:
            view = CardView(card)
            view.previous_button.on_click(self._action(lambda _b, pid=card.painpoint_id: state.previous_quote(pid)))
            view.next_button.on_click(self._action(lambda _b, pid=card.painpoint_id: state.next_quote(pid)))
            view.vote_button.on_click(self._action(lambda _b, pid=card.painpoint_id: self.state.vote.vote(pid)))
            view.unvote_button.on_click(self._action(lambda _b, pid=card.painpoint_id: self.state.vote.unvote(pid)))
            self.cards[card.painpoint_id] = view
        self.card_grid = W.GridBox([v.box for v in self.cards.values()], layout=W.Layout(
            grid_template_columns="repeat(auto-fill, minmax(380px, 1fr))", grid_gap="10px", width="100%"))
        filters = W.HBox([self.search, self.persona_filter, self.segment_filter, self.touchpoint_filter,
                          self.stage_filter, self.clear_button], layout=W.Layout(flex_flow="row wrap", grid_gap="6px"))
        self.painpoints_tab = W.VBox([filters, self.summary, self.card_grid])

    def _filters_changed(self, _change: Any = None) -> None:
        self.state.painpoints.set_filters(
            persona=self.persona_filter.value or ALL, segment=self.segment_filter.value or ALL,
            touchpoint=self.touchpoint_filter.value or ALL, stage=self.stage_filter.value or ALL,
            search=self.search.value)

    def _clear_filters(self, _button: Any = None) -> None:
        self.state.painpoints.clear_filters()
        for control in (self.persona_filter, self.segment_filter, self.touchpoint_filter, self.stage_filter):
            control.value = ALL
        self.search.value = ""

    def _render_painpoints(self) -> None:
        state, vote = self.state.painpoints, self.state.vote
        visible = {c.painpoint_id for c in state.visible_cards()}
        self.summary.value = f'<span class="wb-muted">{escape(state.summary)}</span>'
        for painpoint_id, view in self.cards.items():
            view.box.layout.display = "" if painpoint_id in visible else "none"
            if painpoint_id not in visible:
                continue
            quote = state.quote(painpoint_id)
            view.quote.value = (f'<blockquote class="wb-quote {NO_MATH}">“{escape(quote)}”</blockquote>'
                                if quote else '<div class="wb-muted">No quote for this filter.</div>')
            view.position.value = f'<span class="wb-muted">{escape(state.quote_position(painpoint_id))}</span>'
            view.count.value = f'<span class="wb-count">{escape(vote.count_text(painpoint_id))}</span>'
            mine = vote.my_count(painpoint_id)
            view.mine.value = f'<span class="wb-muted">(yours: {mine})</span>' if mine else ""
            view.message.value = _message_html(vote.message) if vote.message_target == painpoint_id else ""
            view.vote_button.disabled = vote.info.locked
            view.unvote_button.disabled = vote.info.locked or not mine

    # ------------------------------------------------------------------ personas

    def _build_personas(self) -> None:
        state = self.state.personas
        self.persona_picker = W.Dropdown(options=state.options, value=state.selected or None, description="Persona",
                                         layout=W.Layout(width="480px"))
        self.persona_picker.observe(self._action(lambda change: self._pick_persona(change["new"])), names="value")
        self.persona_card = W.HTML()
        children: list[W.Widget] = [self.persona_picker, self.persona_card] if state.cards else [
            W.HTML(f'<p class="wb-muted">{escape(state.message)}</p>')]
        self.personas_tab = W.VBox(children)

    def _pick_persona(self, persona_id: str | None) -> None:
        if persona_id:
            self.state.personas.select(persona_id)
            self._render_persona()

    def _render_persona(self) -> None:
        card = self.state.personas.current
        if card is None:
            self.persona_card.value = ""
            return

        def items(values: tuple[str, ...]) -> str:
            return "".join(f"<li>{escape(v)}</li>" for v in values) or "<li>–</li>"

        quotes = "".join(f'<blockquote class="wb-quote">“{escape(q)}”</blockquote>' for q in card.quotes)
        touchpoints = ""
        if card.preferred_touchpoints or card.avoided_touchpoints:
            touchpoints = (f"<p><b>Prefers</b> {escape(', '.join(card.preferred_touchpoints) or '–')} · "
                           f"<b>avoids</b> {escape(', '.join(card.avoided_touchpoints) or '–')}</p>")
        self.persona_card.value = (
            f'<div class="wb-card wb-persona {NO_MATH}"><h3>{escape(card.name)}</h3>'
            f'<div class="wb-muted">{escape(card.share_text)}</div><p>{escape(card.summary)}</p>'
            f"<div style='display:grid;grid-template-columns:1fr 1fr;gap:12px'>"
            f"<div><b>Goals</b><ul>{items(card.goals)}</ul></div>"
            f"<div><b>Frustrations</b><ul>{items(card.frustrations)}</ul></div></div>"
            f"{touchpoints}<p><b>{escape(card.design_for)}</b></p>{quotes}</div>"
        )

    # ------------------------------------------------------------------ journey

    def _build_journey(self) -> None:
        state = self.state.journey
        self.journey_value = W.ToggleButtons(options=list(state.VALUES), value=state.value,
                                             style={"button_width": "180px"})
        self.journey_value.observe(self._action(lambda change: self._journey_changed(value=change["new"])),
                                   names="value")
        self.journey_persona = W.Dropdown(options=state.persona_options, value=ALL, description="Emotion curve of",
                                          layout=W.Layout(width="420px"))
        self.journey_persona.style.description_width = "initial"
        self.journey_persona.observe(self._action(lambda change: self._journey_changed(persona=change["new"])),
                                     names="value")
        self.heatmap = W.Output(layout=W.Layout(width="100%"))
        self.emotion = W.Output(layout=W.Layout(width="100%"))
        self.journey_notes = W.HTML()
        if state.message:
            self.journey_tab = W.VBox([W.HTML(f'<p class="wb-muted">{escape(state.message)}</p>')])
        else:
            self.journey_tab = W.VBox([self.journey_value, self.heatmap, self.journey_notes, self.journey_persona,
                                       self.emotion])

    def _journey_changed(self, value: str | None = None, persona: str | None = None) -> None:
        if value is not None:
            self.state.journey.set_value(value)
        if persona is not None:
            self.state.journey.set_persona(persona or ALL)
        self._render_journey()

    def _render_journey(self) -> None:
        state = self.state.journey
        if state.message:
            return
        try:
            _figure_output(self.heatmap, state.heatmap_figure(), "No journey map in these results.")
            _figure_output(self.emotion, state.emotion_figure(), "No personas, so no emotion curve.")
        except ImportError:
            self.journey_notes.value = '<p class="wb-muted">Charts need plotly (pip install plotly).</p>'
            return
        scores = "".join(f"<tr><td>{escape(stage)}</td><td>{score:.0f}</td></tr>" for stage, score in state.effectiveness())
        hotspots = "".join(f"<li>{escape(line)}</li>" for line in state.hotspots())
        self.journey_notes.value = (
            f'<div class="{NO_MATH}" style="display:grid;grid-template-columns:1fr 2fr;gap:16px">'
            f'<div><b>Stage effectiveness</b> <span class="wb-muted">(0 broken – 100 delightful)</span>'
            f'<table class="wb-table">{scores}</table></div>'
            f"<div><b>Where it hurts most</b><ul>{hotspots or '<li>–</li>'}</ul></div></div>"
        )

    # ------------------------------------------------------------------ prioritise

    def _painpoint_options(self) -> list[tuple[str, str]]:
        return [(f"#{c.rank} {c.label}", c.painpoint_id) for c in self.state.painpoints.cards]

    def _build_prioritise(self) -> None:
        options = self._painpoint_options()
        first = options[0][1] if options else None
        self.ranking = W.HTML()
        self.board_painpoint = W.Dropdown(options=options, value=first, description="Pain point",
                                          layout=W.Layout(width="420px"))
        self.impact = W.IntSlider(value=self.state.board_defaults.get(first, 3) if first else 3, min=SCALE[0],
                                  max=SCALE[1], description="Impact", layout=W.Layout(width="300px"))
        self.effort = W.IntSlider(value=3, min=SCALE[0], max=SCALE[1], description="Effort",
                                  layout=W.Layout(width="300px"))
        self.place_button = W.Button(description="Place on board", button_style="primary",
                                     layout=W.Layout(width="130px"))
        self.place_button.on_click(self._action(lambda _b: self.state.vote.place(
            self.board_painpoint.value, self.impact.value, self.effort.value)))
        self.board_painpoint.observe(self._action(lambda _c: self._show_my_place()), names="value")
        self.board = W.HTML()
        self.board_message = W.HTML()
        self.board_note = W.HTML(f'<span class="wb-muted">{escape(board_impact_note(self.state.painpoints.cards))}'
                                 "</span>")
        self.hmw_painpoint = W.Dropdown(options=options, value=first, description="Pain point",
                                        layout=W.Layout(width="420px"))
        self.hmw_quote = W.Dropdown(options=self.state.painpoints.quote_choices(first) if first else [("No quote", "")],
                                    value="", description="Cites", layout=W.Layout(width="420px"))
        self.hmw_painpoint.observe(self._action(lambda _c: self._hmw_quotes()), names="value")
        self.hmw_text = W.Textarea(placeholder="How might we …", layout=W.Layout(width="420px", height="60px"))
        self.hmw_button = W.Button(description="Add statement", button_style="primary", layout=W.Layout(width="130px"))
        self.hmw_button.on_click(self._action(self._add_statement))
        self.hmw_list = W.HTML()
        self.hmw_message = W.HTML()
        for control in (self.board_painpoint, self.hmw_painpoint, self.hmw_quote):
            control.style.description_width = "initial"
        left = W.VBox([W.HTML("<h3>Ranking by votes</h3>"), self.ranking], layout=W.Layout(width="34%"))
        right = W.VBox([
            W.HTML("<h3>Impact × effort</h3>"), self.board_painpoint, W.HBox([self.impact, self.effort]),
            self.board_note, self.place_button, self.board_message, self.board,
            W.HTML("<h3>How might we…</h3>"), self.hmw_painpoint, self.hmw_quote, self.hmw_text, self.hmw_button,
            self.hmw_message,
            self.hmw_list,
        ], layout=W.Layout(width="64%"))
        self.prioritise_tab = W.HBox([left, right], layout=W.Layout(grid_gap="2%"))

    def _show_my_place(self) -> None:
        place = self.state.vote.my_place(self.board_painpoint.value)
        if place is not None:
            self.impact.value, self.effort.value = int(round(place.impact)), int(round(place.effort))
        elif self.board_painpoint.value:  # not placed yet: start from the measured impact
            self.impact.value = self.state.board_defaults.get(self.board_painpoint.value, 3)

    def _hmw_quotes(self) -> None:
        painpoint = self.hmw_painpoint.value
        self.hmw_quote.options = self.state.painpoints.quote_choices(painpoint) if painpoint else [("No quote", "")]
        self.hmw_quote.value = ""

    def _add_statement(self, _button: Any = None) -> None:
        quote = self.hmw_quote.value
        if self.state.vote.add_statement(self.hmw_painpoint.value, self.hmw_text.value, [quote] if quote else []):
            self.hmw_text.value = ""

    def _render_prioritise(self) -> None:
        vote = self.state.vote
        rows = "".join(  # the number only: "N votes" is the card's text, once per pain point on the page
            f"<tr><td>{r.place}</td><td>{escape(r.label)}</td><td>{r.votes}</td></tr>" for r in vote.ranking()
        )
        if vote.votes_hidden:
            self.ranking.value = ('<p class="wb-muted">The votes are hidden until the facilitator reveals them; '
                                  "your own dots are on the cards.</p>")
        else:
            self.ranking.value = (f'<table class="wb-table {NO_MATH}"><tr><th>#</th><th>pain point</th>'
                                  f"<th>votes</th></tr>{rows}</table>")
        quadrants: dict[str, list[str]] = {"quick win": [], "major project": [], "fill-in": [], "thankless task": []}
        for point in vote.board():
            quadrants[point.quadrant].append(
                f"<li>{escape(point.label)} <span class='wb-muted'>(impact {point.impact:g}, effort {point.effort:g}; "
                f"{escape(point.placed_by)})</span></li>")
        titles = {"quick win": "Quick wins: high impact, low effort", "major project": "Major projects: high impact, high effort",
                  "fill-in": "Fill-ins: low impact, low effort", "thankless task": "Thankless tasks: low impact, high effort"}
        self.board.value = f'<div class="wb-board {NO_MATH}">' + "".join(
            f'<div class="wb-quadrant"><h4>{titles[q]}</h4><ul>{"".join(items) or "<li>–</li>"}</ul></div>'
            for q, items in quadrants.items()) + "</div>"
        self.board_message.value = _message_html(vote.message) if vote.message_target == "board" else ""
        self.hmw_message.value = _message_html(vote.message) if vote.message_target == "statements" else ""
        blocks = []
        for card in self.state.painpoints.cards:
            statements = vote.statements_for(card.painpoint_id)
            if statements:
                quotes = self._quote_texts(card)
                items = "".join(
                    f"<li>{escape(s.text)} <span class='wb-muted'>— {escape(s.author)}"
                    + "".join(f" · cites “{escape(quotes.get(q, q))}”" for q in s.quote_ids) + "</span></li>"
                    for s in statements)
                blocks.append(f"<p><b>{escape(card.label)}</b></p><ul>{items}</ul>")
        private = ('<p class="wb-muted">Statements are private: you see your own; the others appear when the '
                   "facilitator reveals them.</p>") if vote.notes_private else ""
        self.hmw_list.value = f'<div class="{NO_MATH}">' + private + ("".join(blocks) or
                                                                    '<p class="wb-muted">No statements yet.</p>') + "</div>"

    @staticmethod
    def _quote_texts(card: PainPointCard, width: int = 80) -> dict[str, str]:
        return {q: (t if len(t) <= width else t[: width - 1] + "…") for t, q in zip(card.quotes, card.quote_ids)}

    # ------------------------------------------------------------------ facilitator

    def _build_facilitator(self) -> None:
        facilitator = self.state.facilitator
        self.facilitator_status = W.HTML()
        self.lock_button = W.Button(description="Lock voting", layout=W.Layout(width="130px"))
        self.lock_button.on_click(self._action(self._toggle_lock))
        self.round_button = W.Button(description="New round", layout=W.Layout(width="110px"))
        self.round_button.on_click(self._action(lambda _b: facilitator.new_round()))
        self.dots = W.BoundedIntText(value=facilitator.info.dots_per_person, min=1, max=50, description="Dots each",
                                     layout=W.Layout(width="160px"))
        self.dots_button = W.Button(description="Set dots", layout=W.Layout(width="90px"))
        self.dots_button.on_click(self._action(lambda _b: facilitator.set_dots(self.dots.value)))
        self.hide_votes_button = W.Button(description="Hide votes", layout=W.Layout(width="120px"),
                                          tooltip="Participants see only their own dots until you reveal the votes")
        self.hide_votes_button.on_click(self._action(self._toggle_hidden_votes))
        self.private_notes_button = W.Button(description="Make statements private", layout=W.Layout(width="190px"),
                                             tooltip="Participants see only their own statements until you reveal them")
        self.private_notes_button.on_click(self._action(self._toggle_private_notes))
        self.timer_minutes = W.BoundedIntText(value=5, min=1, max=240, description="Minutes",
                                              layout=W.Layout(width="150px"))
        self.timer_closes = W.Checkbox(value=False, description="Close voting at zero", indent=False,
                                       layout=W.Layout(width="180px"))
        self.timer_button = W.Button(description="Start timer", button_style="primary", layout=W.Layout(width="110px"))
        self.timer_button.on_click(self._action(lambda _b: self._start_timer()))
        self.stop_timer_button = W.Button(description="Stop timer", layout=W.Layout(width="100px"))
        self.stop_timer_button.on_click(self._action(lambda _b: facilitator.stop_timer()))
        options = self._painpoint_options()
        self.consensus_painpoint = W.Dropdown(options=options, value=options[0][1] if options else None,
                                              description="Pain point", layout=W.Layout(width="420px"))
        self.consensus_impact = W.IntSlider(value=self.state.board_defaults.get(options[0][1], 3) if options else 3,
                                            min=SCALE[0], max=SCALE[1], description="Impact")
        self.consensus_painpoint.observe(self._action(lambda change: setattr(
            self.consensus_impact, "value", self.state.board_defaults.get(change["new"], 3))), names="value")
        self.consensus_effort = W.IntSlider(value=3, min=SCALE[0], max=SCALE[1], description="Effort")
        self.consensus_button = W.Button(description="Set consensus place", layout=W.Layout(width="170px"))
        self.consensus_button.on_click(self._action(lambda _b: facilitator.place_consensus(
            self.consensus_painpoint.value, self.consensus_impact.value, self.consensus_effort.value)))
        self.save_button = W.Button(description="Save exports", tooltip="Save Markdown, HTML and CSV in the results folder",
                                    layout=W.Layout(width="120px"))
        self.save_button.on_click(self._action(lambda _b: facilitator.save_exports()))
        self.downloads = W.HTML()
        self.people = W.HTML()
        self.results_table = W.HTML()
        self.facilitator_message = W.HTML()
        self.facilitator_tab = W.VBox([
            self.facilitator_status,
            W.HBox([self.lock_button, self.round_button, self.dots, self.dots_button], layout=W.Layout(grid_gap="6px")),
            W.HBox([self.hide_votes_button, self.private_notes_button], layout=W.Layout(grid_gap="6px")),
            W.HBox([self.timer_minutes, self.timer_closes, self.timer_button, self.stop_timer_button],
                   layout=W.Layout(grid_gap="6px", align_items="center")),
            self.facilitator_message,
            W.HBox([W.VBox([W.HTML("<h3>Results</h3>"), self.results_table], layout=W.Layout(width="68%")),
                    W.VBox([W.HTML("<h3>People</h3>"), self.people], layout=W.Layout(width="30%"))],
                   layout=W.Layout(grid_gap="2%")),
            W.HTML("<h3>Consensus place on the board</h3>"), self.consensus_painpoint,
            W.HBox([self.consensus_impact, self.consensus_effort, self.consensus_button]),
            W.HTML("<h3>Export</h3>"), W.HBox([self.save_button, self.downloads], layout=W.Layout(align_items="center")),
        ])

    def _toggle_lock(self, _button: Any = None) -> None:
        self._toggle("locked", "unlock", "lock")

    def _toggle_hidden_votes(self, _button: Any = None) -> None:
        self._toggle("votes_hidden", "reveal_votes", "hide_votes")

    def _toggle_private_notes(self, _button: Any = None) -> None:
        self._toggle("notes_private", "reveal_notes", "make_notes_private")

    def _toggle(self, flag: str, when_on: str, when_off: str) -> None:
        """Call the facilitator's ``when_on`` action if the session's ``flag`` is set, else ``when_off``."""
        facilitator = self.state.facilitator
        getattr(facilitator, when_on if getattr(facilitator.info, flag) else when_off)()
        self.state.vote.refresh(force=True)

    def _start_timer(self) -> None:
        self.state.facilitator.start_timer(self.timer_minutes.value, self.timer_closes.value)
        self.state.vote.refresh(force=True)

    def _render_facilitator(self) -> None:
        facilitator = self.state.facilitator
        if not self.state.is_facilitator:
            return  # a participant's kernel builds no results table or exports
        self.facilitator_status.value = f'<b>{escape(facilitator.status)}</b>'
        self.lock_button.description = "Unlock voting" if facilitator.info.locked else "Lock voting"
        self.hide_votes_button.description = "Reveal votes" if facilitator.info.votes_hidden else "Hide votes"
        self.private_notes_button.description = ("Reveal statements" if facilitator.info.notes_private
                                                 else "Make statements private")
        self.facilitator_message.value = _message_html(facilitator.message)
        rows = "".join(
            f"<tr><td>{r['place']}</td><td>{escape(r['label'])}</td><td>{r['votes']}</td>"
            f"<td>{escape(r['quadrant'])}</td><td>{len(r['statements'])}</td></tr>"
            for r in facilitator.table.to_dict("records")
        )
        self.results_table.value = (f'<table class="wb-table {NO_MATH}"><tr><th>#</th><th>pain point</th><th>votes</th>'
                                    f"<th>board</th><th>HMW</th></tr>{rows}</table>")
        people = "".join(f"<tr><td>{escape(name)}</td><td>{spent} spent</td><td>{left} left</td></tr>"
                         for name, spent, left in facilitator.people_rows())
        self.people.value = f'<table class="wb-table {NO_MATH}">{people or "<tr><td>Nobody yet</td></tr>"}</table>'
        labels = {"text/markdown": "Markdown", "text/html": "HTML", "text/csv": "CSV"}
        self.downloads.value = " · ".join(
            f'<a download="{escape(d.file_name)}" href="{escape(d.url)}">Download {labels[d.mime]}</a>'
            for d in facilitator.downloads())

    # ------------------------------------------------------------------ all

    def render(self) -> None:
        """Show the states as they are now (everything but the figures, which change only on request)."""
        with self.lock:
            self._render_header()
            self._render_painpoints()
            self._render_prioritise()
            self._render_facilitator()


#: the apps this kernel runs (a re-run of the notebook stops the earlier app's poller)
_RUNNING: list[WorkshopApp] = []


def error_widget(message: str) -> W.HTML:
    """A friendly, escaped error box (never a traceback).

    Example:
        >>> error_widget("<no results>").value
        '<div class="wb-error" role="alert"><b>The workshop cannot start.</b> &lt;no results&gt;</div>'
    """
    return W.HTML(f'<div class="wb-error" role="alert"><b>The workshop cannot start.</b> {escape(message)}</div>')


def facilitator_token_from_query(query_string: str | None) -> str | None:
    """The ``facilitator`` parameter of a page's query string (None when absent).

    Example:
        >>> facilitator_token_from_query("token=abc&facilitator=xyz-123")
        'xyz-123'
        >>> facilitator_token_from_query("") is None, facilitator_token_from_query(None) is None
        (True, True)
    """
    values = parse_qs(query_string or "").get("facilitator") or [""]
    return values[0].strip() or None


def request_query_string() -> str:
    """The query string of the page this kernel serves, under Voila ("" elsewhere).

    A pre-heated Voila kernel runs the app before anyone opens the page: ``voila.utils.get_query_string``
    then waits for the request and returns its query string; a kernel started for a request finds it
    in ``QUERY_STRING``.

    Example:
        >>> import os
        >>> os.environ["QUERY_STRING"] = "facilitator=abc"; request_query_string()
        'facilitator=abc'
        >>> del os.environ["QUERY_STRING"]; request_query_string()
        ''
    """
    import os

    if os.environ.get("VOILA_PREHEAT") == "True":
        try:
            from voila.utils import get_query_string

            return get_query_string() or ""
        except Exception:  # noqa: BLE001 - no Voila request to wait for: a participant
            LOG.warning("could not read the page's query string", exc_info=True)
            return ""
    return os.environ.get("QUERY_STRING", "")


def apply_request_role(widget: W.Widget, query_string: str | None = None) -> W.Widget:
    """Give the app the role of the page's link: the facilitator's with a valid ``?facilitator=`` token.

    Example:
        >>> import tempfile
        >>> from workbench.store import Store, sqlite_url
        >>> from widgets.workshop.state import WorkshopState, demo_results
        >>> store = Store(sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite"))
        >>> _ = store.set_facilitator_token("kick-off", "facilitator-secret-123")
        >>> app = WorkshopApp(WorkshopState(demo_results(), store, "kick-off"))
        >>> app.widget.workshop_app = app
        >>> list(app.tabs.titles)[-1]
        'Prioritise'
        >>> _ = apply_request_role(app.widget, "facilitator=facilitator-secret-123")
        >>> list(app.tabs.titles)[-1]
        'Facilitator'
    """
    import os

    app = getattr(widget, "workshop_app", None)
    if app is None:
        return widget  # the error box of an app that could not start

    def take_role() -> None:
        query = request_query_string() if query_string is None else query_string
        try:
            token = facilitator_token_from_query(query)
            if token or query_string is not None:  # no token: the role the app was built with stands
                app.set_role(token)
        except Exception:  # noqa: BLE001 - a participant's view is the safe fallback
            LOG.exception("could not set the workshop role")

    if query_string is None and os.environ.get("VOILA_PREHEAT") == "True":
        # A pre-heated kernel: waiting here for the request would hold the rendered page back
        # (about 4 s more before the first card). The app is shown as a participant's at once;
        # the role follows from a thread when the request arrives, as the poller updates widgets.
        threading.Thread(target=take_role, name="workshop-role", daemon=True).start()
    else:
        take_role()
    return widget


def workshop_app(results_dir: Path | str | None = None, session: str | None = None, store_url: str | None = None,
                 poll_seconds: float = POLL_SECONDS) -> W.Widget:
    """The workshop app of a results folder, polling the store; or a friendly message when it cannot start.

    Args:
        results_dir: the results folder (default: ``WORKBENCH_RESULTS``).
        session: the workshop session (default: ``WORKBENCH_SESSION``, else ``"workshop"``).
        store_url: the store (default: ``WORKBENCH_STORE``, else the results folder's SQLite file).

    Example:
        >>> workshop_app("/nowhere").value.startswith('<div class="wb-error"')
        True
    """
    try:
        state = open_workshop(results_dir, session, store_url)
        app = WorkshopApp(state, poll_seconds=poll_seconds)
    except WorkbenchError as error:
        return error_widget(str(error))
    except Exception as error:  # noqa: BLE001 - participants see one line, the log the details
        LOG.exception("workshop app failed to start")
        return error_widget(f"{type(error).__name__}: {error}")
    while _RUNNING:
        _RUNNING.pop().stop()
    _RUNNING.append(app)
    app.start_polling()
    app.widget.workshop_app = app  # type: ignore[attr-defined] - lets a notebook or test reach the app
    return app.widget

"""The coding view: ipywidgets that render a :class:`~widgets.coding.state.CodingState` and send mouse and keys back.

:class:`CodingView` computes nothing: it shows the state and forwards every user action to it.

- **The transcript** (:class:`~widgets.coding.transcript.TranscriptWidget`): the whole interview
  of the current passage, every coded span in its code's colour, its codes and coders on hover.
  Select any span of a turn with the mouse, then click a code button, or type a code's name
  (a new name joins the codebook under the parent chosen beside it) and press *Code it*. Click
  a coded span to select it: its codes are listed with a ✕ to remove yours, and its memo.
  Click uncoded text to make that passage the current one: a code button with nothing
  selected codes it whole (mouse only, no keys needed anywhere).
- **The keyboard**: shortcuts work while the transcript has the focus (``n``/``p`` move, digits
  toggle the hotkey codes on the selection or the current passage, ``Esc`` drops the selection,
  ``a``/``x`` answer a suggestion). The code buttons listen through
  `ipyevents <https://github.com/mwcraig/ipyevents>`_ when it is installed; else a small
  "Keys" text box reads the same shortcuts.
- **Code all similar**: pick a code, get the 20 passages most like those it is on, accept or
  reject each.

Other coders' codes arrive by :meth:`CodingView.start_polling` (the Voila app polls every two
seconds); the ↻ button reloads at once.

Example:
    >>> from widgets.coding.state import _demo_state
    >>> view = CodingView(_demo_state())
    >>> view.next_button.click(); view.state.quote.passage_id
    'b-1'
"""
from __future__ import annotations

import html
import logging
import threading
from collections.abc import Callable
from typing import Any

from widgets.coding.state import SHORTCUTS, CodingState
from widgets.coding.transcript import TranscriptWidget
from workbench.errors import WorkbenchError

LOG = logging.getLogger(__name__)
#: how often a view started with ``start_polling`` looks for colleagues' codes (seconds)
POLL_SECONDS = 2.0


class CodingView:
    """ipywidgets view of a :class:`CodingState`: renders it and forwards mouse, clicks and keys, nothing else.

    Display it in a notebook (``display(CodingView(state).widget)`` or just ``CodingView(state)``).

    Example:
        >>> from widgets.coding.state import _demo_state
        >>> view = CodingView(_demo_state())
        >>> view.code_buttons[0].click(); view.state.applied()
        ['refunds']
    """

    def __init__(self, state: CodingState) -> None:
        import ipywidgets as w

        self.state = state
        self._w = w
        self._rendering = False
        self.lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._shown: tuple[Any, ...] = ()
        self.status = w.HTML()
        self.coder = w.Text(value=state.coder, description="Coder", placeholder="your name", continuous_update=False,
                            layout=w.Layout(width="240px"))
        self.document = w.Dropdown(description="Interview", layout=w.Layout(width="300px"))
        self.participant = w.Dropdown(description="Participant", layout=w.Layout(width="220px"))
        self.code_filter = w.Dropdown(description="Code", layout=w.Layout(width="260px"))
        self.uncoded = w.Checkbox(description="uncoded only", indent=False, layout=w.Layout(width="130px"))
        self.previous_button = w.Button(description="◀ previous", tooltip="p or ←")
        self.next_button = w.Button(description="next ▶", tooltip="n or →")
        self.reload_button = w.Button(description="↻", tooltip="reload codes and memos from the store (colleagues' new codes)",
                                      layout=w.Layout(width="40px"))
        self.transcript = TranscriptWidget()
        self.transcript.on_message(self._on_transcript)
        self.selected = w.HTML()
        self.code_box = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self.code_buttons: list[Any] = []
        self.new_code = w.Combobox(placeholder="type a code (new names join the codebook)", ensure_option=False,
                                   description="Code", layout=w.Layout(width="340px"))
        self.parent = w.Dropdown(description="under", layout=w.Layout(width="260px"))
        self.code_it = w.Button(description="Code it", button_style="primary", tooltip="apply to the selection")
        self.span_codes = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self.span_memo = w.Textarea(placeholder="memo on the selected span (saved when you leave the box)",
                                    continuous_update=False, layout=w.Layout(width="100%", height="48px"))
        self.suggestion_box = w.VBox()
        self.memo = w.Textarea(placeholder="memo on this passage (saved when you leave the box)", continuous_update=False,
                               layout=w.Layout(width="100%", height="48px"))
        self.memo_code = w.Dropdown(description="Memo on", layout=w.Layout(width="300px"))
        self.code_memo = w.Textarea(placeholder="memo on this code: what it means, when to use it", continuous_update=False,
                                    layout=w.Layout(width="60%", height="48px"))
        self.similar_code = w.Dropdown(description="Similar to", layout=w.Layout(width="300px"))
        self.similar_button = w.Button(description="Code all similar", tooltip="the 20 passages most like those this code is on")
        self.similar_box = w.VBox()
        self.help = w.HTML(f"<small style='color:#6b7280'>Select text with the mouse, then click a code. "
                           f"Keys (click the transcript first): {SHORTCUTS}</small>")
        self.shortcut_box = None
        self.keyboard = self._keyboard(w)

        self.coder.observe(lambda change: self._forward(self.state.set_coder, change["new"]), "value")
        self.document.observe(lambda change: change["new"] and change["new"] != self.state.document
                              and self._forward(self.state.open_document, change["new"]), "value")
        self.participant.observe(lambda change: self._forward(self.state.set_filters, participant=change["new"] or None), "value")
        self.code_filter.observe(lambda change: self._forward(self.state.set_filters, code=change["new"] or None), "value")
        self.uncoded.observe(lambda change: self._forward(self.state.set_filters, uncoded_only=change["new"]), "value")
        self.previous_button.on_click(lambda _: self._forward(self.state.previous))
        self.next_button.on_click(lambda _: self._forward(self.state.next))
        self.reload_button.on_click(lambda _: self._forward(self.state.reload))
        self.code_it.on_click(lambda _: self._forward(self._code_typed))
        self.span_memo.observe(lambda change: self.state.selection is not None
                               and self._forward(self.state.set_span_memo, change["new"]), "value")
        self.memo.observe(lambda change: self._forward(self.state.set_memo, change["new"]), "value")
        self.memo_code.observe(lambda change: self._render_code_memo(), "value")
        self.code_memo.observe(lambda change: self.memo_code.value
                               and self._forward(self.state.set_code_memo, self.memo_code.value, change["new"]), "value")
        self.similar_button.on_click(lambda _: self.similar_code.value
                                     and self._forward(self.state.propose_similar, self.similar_code.value))

        rows = [
            w.HBox([self.coder, self.document, self.participant, self.code_filter, self.uncoded], layout=w.Layout(flex_flow="row wrap")),
            w.HBox([self.previous_button, self.next_button, self.reload_button, self.status]),
            self.transcript, self.selected, self.code_box,
            w.HBox([self.new_code, self.parent, self.code_it], layout=w.Layout(flex_flow="row wrap")),
            self.span_codes, self.span_memo, self.suggestion_box, self.memo,
            w.HBox([self.memo_code, self.code_memo]),
            w.HBox([self.similar_code, self.similar_button]), self.similar_box, self.help,
        ]
        if self.shortcut_box is not None:
            rows.append(self.shortcut_box)
        self.widget = w.VBox(rows)
        self.widget.add_class("wbc-coding")
        state.on_change(self.render)
        self.render()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    # ------------------------------------------------------------------ input

    def _keyboard(self, w: Any) -> Any:
        """ipyevents key listeners on the code buttons; else a shortcut text box."""
        try:
            from ipyevents import Event
        except ImportError:
            self.shortcut_box = w.Text(placeholder="type shortcuts here: n, p, 1–9, a, x", description="Keys",
                                       layout=w.Layout(width="320px"))
            self.shortcut_box.observe(self._on_shortcut_text, "value")
            return None
        event = Event(source=self.code_box, watched_events=["keydown"], prevent_default_action=True)
        event.on_dom_event(self._on_key)
        return [event]

    def _on_key(self, event: dict[str, Any]) -> None:
        self._forward(self.state.press, str(event.get("key", "")))

    def _on_transcript(self, message: dict[str, Any]) -> None:
        """A selection, a click on a coded span or a key, from the browser."""
        kind = message["kind"]
        try:
            if kind == "select":
                self._forward(self.state.select, str(message["segment_id"]), int(message["start"]), int(message["end"]))
            elif kind == "point":
                self._forward(self.state.select_at, str(message["segment_id"]), int(message["offset"]))
            elif kind == "key":
                self._forward(self.state.press, str(message["key"]))
        except (TypeError, ValueError):
            LOG.warning("coding view: a malformed message from the browser was ignored: %r", message)

    def _on_shortcut_text(self, change: dict[str, Any]) -> None:
        if self._rendering or not change["new"]:
            return
        for key in change["new"]:
            self._forward(self.state.press, key)
        self._rendering = True
        self.shortcut_box.value = ""
        self._rendering = False

    def _code_typed(self) -> None:
        """*Code it*: the typed code on the selection, or with nothing selected on the current passage."""
        name = self.new_code.value.strip()
        if self.state.selection is None:
            code = self.state.add_named_code(name, parent=self.parent.value or None)
            self.state.use_code(code.code_id)
        else:
            self.state.code_selection(name, parent=self.parent.value or None)
        self.new_code.value = ""

    def _forward(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Send a user action to the state; show a WorkbenchError as the status line instead of a traceback."""
        if self._rendering:
            return
        with self.lock:
            try:
                action(*args, **kwargs)
            except WorkbenchError as error:
                self.status.value = f"<span style='color:#b91c1c'>{html.escape(str(error))}</span>"

    # ------------------------------------------------------------------ other coders

    def start_polling(self, seconds: float = POLL_SECONDS) -> None:
        """Look for colleagues' codes every ``seconds`` in a background thread (idempotent)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()

        def loop() -> None:
            while not self._stop.wait(seconds):
                try:
                    with self.lock:
                        self.state.refresh()
                except Exception:  # noqa: BLE001 - keep polling; the log has the details
                    LOG.warning("coding view: polling the store failed", exc_info=True)

        self._thread = threading.Thread(target=loop, name="coding-poller", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop polling."""
        self._stop.set()

    # ------------------------------------------------------------------ output

    def render(self) -> None:
        """Show the state as it is now."""
        w, state = self._w, self.state
        with self.lock:
            self._rendering = True
            try:
                self._render(w, state)
            finally:
                self._rendering = False

    def _render(self, w: Any, state: CodingState) -> None:
        position, total = state.position
        coded, everything = state.progress
        self.status.value = (f"<b>{position} of {total}</b> · {coded}/{everything} coded by "
                             f"{html.escape(state.coder or '(set your name)')} · {html.escape(state.message)}")
        self.document.options = [("", "")] + state.documents()
        self.document.value = state.document or ""
        self.participant.options = [("all", "")] + [(p, p) for p in state.participants()]
        self.participant.value = state.participant or ""
        codable = state.codebook.codable()
        choices = [(c.name, c.code_id) for c in codable]
        self.code_filter.options = [("any", "")] + choices
        self.code_filter.value = state.code_filter or ""
        self.uncoded.value = state.uncoded_only
        self.new_code.options = tuple(c.name for c in codable)
        self.parent.options = [("(top level)", "")] + [(("· " * depth) + c.name, c.code_id) for depth, c in state.codebook.walk()]
        memo_on = self.memo_code.value
        self.memo_code.options = [("", "")] + [(c.name, c.code_id) for c in state.codebook.codes]
        self.memo_code.value = memo_on if memo_on in state.codebook else ""
        similar_to = self.similar_code.value
        self.similar_code.options = [("", "")] + choices
        self.similar_code.value = similar_to if similar_to in {c for _, c in choices} else ""

        turns = state.document_turns()
        shown = (state.quote.passage_id if state.quote else None, state.selection)
        self.transcript.turns = turns
        if shown != self._shown:
            self._shown = shown
            self.transcript.scroll_request += 1

        selection = state.selection
        self.selected.value = ("<small style='color:#6b7280'>Select text in the transcript to code it; "
                               "or use the buttons on the whole passage.</small>" if selection is None else
                               f"<b>Selected:</b> “{html.escape(state.selected_text)}”")
        on_span = {c.code_id for c in state.selection_codes() if c.coder == state.coder}
        applied = set(state.applied()) if state.quote is not None else set()
        active = on_span if selection is not None else applied
        self.code_buttons = []
        for key, code in state.hotkey_codes():
            button = w.Button(description=f"{key} {code.name}", tooltip=code.description[:200],
                              button_style="success" if code.code_id in active else "",
                              layout=w.Layout(width="auto", border=f"2px solid {code.colour or '#9ca3af'}"))
            button.on_click(lambda _, code_id=code.code_id: self._forward(state.use_code, code_id))
            self.code_buttons.append(button)
        hotkeyed = {code.code_id for _, code in state.hotkey_codes()}
        names = state.codebook.names()
        others = [c for c in sorted(active) if c not in hotkeyed]
        extra = [w.HTML(f"<span style='padding:4px'>also: {html.escape(', '.join(names.get(c, c) for c in others))}</span>")] if others else []
        self.code_box.children = tuple(self.code_buttons + extra)

        chips = []
        for coded in state.selection_codes():
            label = f"{names.get(coded.code_id, coded.code_id)} — {coded.coder}"
            if coded.coder == state.coder:
                chip = w.Button(description=f"{label} ✕", tooltip="remove this code from the span",
                                layout=w.Layout(width="auto"))
                chip.on_click(lambda _, code_id=coded.code_id: self._forward(state.remove_code, code_id))
            else:
                chip = w.HTML(f"<span style='padding:4px 8px;color:#6b7280'>{html.escape(label)}</span>")
            chips.append(chip)
        self.span_codes.children = tuple(chips)
        self.span_memo.value = state.span_memo()
        self.span_memo.disabled = selection is None

        rows = []
        for suggestion in state.suggestions:
            text = (f"Suggested: <b>{html.escape(suggestion.name)}</b> ({html.escape(suggestion.reason)}"
                    + (f", p={suggestion.probability:.2f}" if suggestion.probability is not None else "")
                    + f") — {suggestion.status}")
            accept = w.Button(description="accept (a)", button_style="info", disabled=suggestion.status != "open")
            reject = w.Button(description="reject (x)", disabled=suggestion.status != "open")
            accept.on_click(lambda _, c=suggestion.code_id: self._forward(state.accept_suggestion, c))
            reject.on_click(lambda _, c=suggestion.code_id: self._forward(state.reject_suggestion, c))
            rows.append(w.HBox([w.HTML(text), accept, reject]))
        self.suggestion_box.children = tuple(rows)
        self.memo.value = state.memo
        self.coder.value = state.coder
        self._render_code_memo()
        self.similar_box.children = tuple(self._proposal_row(w, p) for p in state.proposals)

    def _render_code_memo(self) -> None:
        code = self.memo_code.value
        self.code_memo.disabled = not code
        was, self._rendering = self._rendering, True
        try:
            self.code_memo.value = self.state.code_memo(code) if code and self.state.coder else ""
        finally:
            self._rendering = was

    def _proposal_row(self, w: Any, proposal: Any) -> Any:
        where = " · ".join(x for x in (proposal.participant_id, proposal.source_id) if x)
        text = html.escape(proposal.text if len(proposal.text) <= 220 else proposal.text[:219] + "…")
        label = w.HTML(f"<span style='color:#6b7280'>{proposal.score:.2f}</span> “{text}” "
                       f"<small style='color:#9ca3af'>{html.escape(where)}</small> — {proposal.status}",
                       layout=w.Layout(width="70%"))
        accept = w.Button(description="accept", button_style="info", disabled=proposal.status != "open")
        reject = w.Button(description="reject", disabled=proposal.status != "open")
        accept.on_click(lambda _, pid=proposal.passage_id: self._forward(self.state.accept_similar, pid))
        reject.on_click(lambda _, pid=proposal.passage_id: self._forward(self.state.reject_similar, pid))
        return w.HBox([label, accept, reject])

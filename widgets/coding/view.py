"""The coding view: ipywidgets that render a :class:`~widgets.coding.state.CodingState` and send clicks and keys back.

:class:`CodingView` computes nothing: it shows the state (the quote in its conversation, the
code buttons, the suggestions, the memo, the filters) and forwards every user action to it.

**Keys.** ipywidgets has no key events, so the view listens with
`ipyevents <https://github.com/mwcraig/ipyevents>`_ (works in JupyterLab, Notebook 7 and
Voila): keys count while the mouse is over the quote or the code buttons, never while typing
in the memo. Without ipyevents the view shows a small "shortcut" text box instead: characters
typed there are read as the same shortcuts (``CodingState.press``).

Example:
    >>> from widgets.coding.state import _demo_state
    >>> view = CodingView(_demo_state())
    >>> view.next_button.click(); view.state.quote.passage_id
    'b-1'
"""
from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from widgets.coding.state import SHORTCUTS, CodingState
from workbench.coding.context import Quote, Turn
from workbench.errors import WorkbenchError


class CodingView:
    """ipywidgets view of a :class:`CodingState`: renders it and forwards clicks and keys, nothing else.

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
        self.status = w.HTML()
        self.coder = w.Text(value=state.coder, description="Coder", placeholder="your name", continuous_update=False,
                            layout=w.Layout(width="240px"))
        self.participant = w.Dropdown(description="Participant", layout=w.Layout(width="220px"))
        self.code_filter = w.Dropdown(description="Code", layout=w.Layout(width="260px"))
        self.uncoded = w.Checkbox(description="uncoded only", indent=False, layout=w.Layout(width="130px"))
        self.previous_button = w.Button(description="◀ previous", tooltip="p or ←")
        self.next_button = w.Button(description="next ▶", tooltip="n or →")
        self.reload_button = w.Button(description="↻", tooltip="reload codes and memos from the store (colleagues' new codes)",
                                      layout=w.Layout(width="40px"))
        self.quote = w.HTML(layout=w.Layout(border="1px solid #e5e7eb", padding="8px", min_height="120px"))
        self.code_box = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self.code_buttons: list[Any] = []
        self.other_code = w.Dropdown(description="Other code", layout=w.Layout(width="320px"))
        self.other_toggle = w.Button(description="toggle", layout=w.Layout(width="80px"))
        self.suggestion_box = w.VBox()
        self.memo = w.Textarea(placeholder="memo on this passage (saved when you leave the box)", continuous_update=False,
                               layout=w.Layout(width="100%", height="60px"))
        self.help = w.HTML(f"<small style='color:#6b7280'>Shortcuts (mouse over the quote or the codes): {SHORTCUTS}</small>")
        self.shortcut_box = None
        self.keyboard = self._keyboard(w)

        self.coder.observe(self._on_coder, "value")
        self.participant.observe(lambda change: self._forward(self.state.set_filters, participant=change["new"] or None), "value")
        self.code_filter.observe(lambda change: self._forward(self.state.set_filters, code=change["new"] or None), "value")
        self.uncoded.observe(lambda change: self._forward(self.state.set_filters, uncoded_only=change["new"]), "value")
        self.previous_button.on_click(lambda _: self._forward(self.state.previous))
        self.next_button.on_click(lambda _: self._forward(self.state.next))
        self.reload_button.on_click(lambda _: self._forward(self.state.reload))
        self.other_toggle.on_click(lambda _: self.other_code.value and self._forward(self.state.toggle, self.other_code.value))
        self.memo.observe(lambda change: self._forward(self.state.set_memo, change["new"]), "value")

        rows = [
            w.HBox([self.coder, self.participant, self.code_filter, self.uncoded]),
            w.HBox([self.previous_button, self.next_button, self.reload_button, self.status]),
            self.quote, self.code_box, w.HBox([self.other_code, self.other_toggle]),
            self.suggestion_box, self.memo, self.help,
        ]
        if self.shortcut_box is not None:
            rows.append(self.shortcut_box)
        self.widget = w.VBox(rows)
        state.on_change(self.render)
        self.render()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def _keyboard(self, w: Any) -> Any:
        """ipyevents key listeners on the quote and the code buttons; else a shortcut text box."""
        try:
            from ipyevents import Event
        except ImportError:
            self.shortcut_box = w.Text(placeholder="type shortcuts here: n, p, 1–9, a, x", description="Keys",
                                       layout=w.Layout(width="320px"))
            self.shortcut_box.observe(self._on_shortcut_text, "value")
            return None
        events = []
        for source in (self.quote, self.code_box):
            event = Event(source=source, watched_events=["keydown"], prevent_default_action=True)
            event.on_dom_event(self._on_key)
            events.append(event)
        return events

    def _on_key(self, event: dict[str, Any]) -> None:
        self._forward(self.state.press, str(event.get("key", "")))

    def _on_shortcut_text(self, change: dict[str, Any]) -> None:
        if self._rendering or not change["new"]:
            return
        for key in change["new"]:
            self._forward(self.state.press, key)
        self._rendering = True
        self.shortcut_box.value = ""
        self._rendering = False

    def _on_coder(self, change: dict[str, Any]) -> None:
        self._forward(self.state.set_coder, change["new"])

    def _forward(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Send a user action to the state; show a WorkbenchError as the status line instead of a traceback."""
        if self._rendering:
            return
        try:
            action(*args, **kwargs)
        except WorkbenchError as error:
            self.status.value = f"<span style='color:#b91c1c'>{html.escape(str(error))}</span>"

    def render(self) -> None:
        """Show the state as it is now."""
        w, state = self._w, self.state
        self._rendering = True
        try:
            position, total = state.position
            coded, everything = state.progress
            self.status.value = (f"<b>{position} of {total}</b> · {coded}/{everything} coded by "
                                 f"{html.escape(state.coder or '(set your name)')} · {html.escape(state.message)}")
            self.participant.options = [("all", "")] + [(p, p) for p in state.participants()]
            self.participant.value = state.participant or ""
            codable = state.codebook.codable()
            self.code_filter.options = [("any", "")] + [(c.name, c.code_id) for c in codable]
            self.code_filter.value = state.code_filter or ""
            self.uncoded.value = state.uncoded_only
            self.other_code.options = [("", "")] + [(c.name, c.code_id) for c in codable]
            self.quote.value = _quote_html(state.quote)
            applied = set(state.applied()) if state.quote is not None else set()
            self.code_buttons = []
            for key, code in state.hotkey_codes():
                button = w.Button(description=f"{key} {code.name}", tooltip=code.description[:200],
                                  button_style="success" if code.code_id in applied else "",
                                  layout=w.Layout(width="auto", border=f"2px solid {code.colour or '#9ca3af'}"))
                button.on_click(lambda _, code_id=code.code_id: self._forward(state.toggle, code_id))
                self.code_buttons.append(button)
            others = [c for c in state.applied() if c not in {code.code_id for _, code in state.hotkey_codes()}]
            names = state.codebook.names()
            extra = [w.HTML(f"<span style='padding:4px'>also: {html.escape(', '.join(names.get(c, c) for c in others))}</span>")] if others else []
            self.code_box.children = tuple(self.code_buttons + extra)
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
        finally:
            self._rendering = False


def _quote_html(quote: Quote | None) -> str:
    """The quote inside its turn (passage highlighted), with the turns around it in grey."""
    if quote is None:
        return "<i>No passage matches these filters.</i>"

    def turn(t: Turn) -> str:
        return f"<div style='color:#6b7280;margin:2px 0'><b>{html.escape(t.speaker)}:</b> {html.escape(t.text)}</div>"

    text = quote.turn_text
    marked = (html.escape(text[:quote.start]) + "<mark style='background:#fef3c7'>"
              + html.escape(text[quote.start:quote.end]) + "</mark>" + html.escape(text[quote.end:]))
    where = " · ".join(x for x in (quote.source_id, quote.participant_id) if x)
    return ("".join(turn(t) for t in quote.before)
            + f"<div style='margin:6px 0;font-size:1.05em'><b>{html.escape(quote.speaker)}:</b> {marked}</div>"
            + "".join(turn(t) for t in quote.after)
            + f"<div style='color:#9ca3af;font-size:0.8em'>{html.escape(where)} · {html.escape(quote.passage_id)}</div>")

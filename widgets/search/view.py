"""The search box: a text field and a Search button over a :class:`~widgets.search.state.SearchState`,
and the quotes found as a list (each with who said it, where, and its pain point).

The view only renders the state and forwards the question (DESIGN.md §4); every bit of customer
text is escaped before it reaches the HTML widget, and kept out of MathJax's reach.

Example:
    >>> box = SearchBox(SearchState("/nowhere"))
    >>> box.question.value = "refund took weeks"
    >>> "no analysis results yet" in box.results.value
    True
"""
from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as W

from widgets.search.state import FIRST_SEARCH_NOTE, SearchState

#: MathJax leaves text in these classes alone (a "$5 fee" stays text)
NO_MATH = "tex2jax_ignore mathjax_ignore"
PLACEHOLDER = "Search what customers said, e.g. refund took weeks"


def _escape(text: Any) -> str:
    return html.escape(str(text), quote=True)


def quotes_html(state: SearchState) -> str:
    """The message and the quotes of ``state`` as escaped HTML.

    Example:
        >>> from widgets.search.state import Quote
        >>> state = SearchState(None)
        >>> state.quotes = [Quote(1, 0.7, "<b>No</b> refund", "P03", "transcripts/i.txt, turn 4", "PP07 · Refunds")]
        >>> "&lt;b&gt;No&lt;/b&gt; refund" in quotes_html(state), "P03 · transcripts/i.txt, turn 4" in quotes_html(state)
        (True, True)
    """
    parts = []
    note = state.message or (state.unavailable or FIRST_SEARCH_NOTE)
    error = bool(state.message) and not state.quotes and state.seconds is None
    style = "color:#991b1b" if error else "color:#4b5563"
    timing = f" · {state.seconds * 1000:.0f} ms" if state.seconds is not None else ""
    parts.append(f'<div class="wb-search-message" role="status" style="{style}">{_escape(note)}{timing}</div>')
    items = []
    for quote in state.quotes:
        items.append(
            f'<li class="wb-search-hit" style="margin:4px 0 8px 0">'
            f'<div class="wb-quote" style="font-style:italic">“{_escape(quote.text)}”</div>'
            f'<div class="wb-facts" style="font-size:0.85em;color:#4b5563">'
            f'{_escape(quote.who)} · {_escape(quote.where)} · {_escape(quote.painpoint)} · {_escape(quote.score_text)}'
            f"</div></li>")
    if items:
        parts.append(f'<ol class="wb-search-hits" style="padding-left:1.4em;margin:4px 0">{"".join(items)}</ol>')
    return f'<div class="wb-search {NO_MATH}">{"".join(parts)}</div>'


class SearchBox:
    """A question field, a Search button and the quotes found, over one :class:`SearchState`.

    Args:
        state: what the box shows and asks.
        action: wraps each callback (the workshop app passes its own, which takes the app's lock and
            turns an error into a message); None calls them as they are.

    Example:
        >>> box = SearchBox(SearchState(None))
        >>> box.button.description, box.question.placeholder
        ('Search', 'Search what customers said, e.g. refund took weeks')
    """

    def __init__(self, state: SearchState, action: Callable[[Callable[..., Any]], Callable[..., None]] | None = None) -> None:
        self.state = state
        wrap = action or (lambda callback: callback)
        self.question = W.Text(value=state.question, placeholder=PLACEHOLDER, continuous_update=False,
                               layout=W.Layout(width="460px"))
        self.question.add_class("wb-search-question")
        self.button = W.Button(description="Search", button_style="primary", tooltip="Find the quotes nearest in meaning",
                               layout=W.Layout(width="90px"))
        self.results = W.HTML()
        self.button.on_click(wrap(lambda _button: self.search()))
        self.question.observe(wrap(lambda _change: self.search()), names="value")  # Enter, or leaving the field
        self.widget = W.VBox([W.HBox([self.question, self.button], layout=W.Layout(grid_gap="6px")), self.results])
        self.render()

    def search(self) -> None:
        """Ask the state for the quotes nearest the field's question, then show them."""
        if self.state.searcher_ is None and self.question.value.strip() and not self.state.unavailable:
            self.results.value = (f'<div class="wb-search" role="status" style="color:#4b5563">Searching… '
                                  f"{_escape(FIRST_SEARCH_NOTE)}</div>")
        self.state.search(self.question.value)
        self.render()

    def render(self) -> None:
        """Show the state's message and quotes."""
        self.results.value = quotes_html(self.state)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:  # a notebook cell ending in a box shows it
        return self.widget._repr_mimebundle_(**kwargs)


def search_box(results_dir: Path | str, question: str = "", k: int = 10) -> SearchBox:
    """A search box over a results folder for a notebook; with ``question``, already answered.

    Example:
        >>> box = search_box("/nowhere", "refund took weeks")
        >>> box.question.value, box.state.quotes
        ('refund took weeks', [])
    """
    box = SearchBox(SearchState(results_dir, k=k))
    if question:
        box.question.value = question  # runs the search, as pressing Enter would
    return box

"""What every view of the workshop app shares: the page's CSS, the class that keeps MathJax off
customer text, message boxes, plotly figures in an Output widget, the pain-point picker's options,
and :class:`TabView`, what a tab's view uses of the app it is part of.

Example:
    >>> message_html("<b>saved</b>")
    '<span class="wb-message" role="status">&lt;b&gt;saved&lt;/b&gt;</span>'
"""
from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as W

from widgets.workshop.cards import PainPointCard
from widgets.workshop.display import escape
from widgets.workshop.state import WorkshopState

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


def message_html(text: str, css: str = "wb-message") -> str:
    """A short message for an HTML widget, escaped ("" when there is none).

    Example:
        >>> message_html(""), message_html("Voting is locked.", "wb-error")
        ('', '<span class="wb-error" role="status">Voting is locked.</span>')
    """
    return f'<span class="{css}" role="status">{escape(text)}</span>' if text else ""


def figure_output(output: W.Output, figure: Any, empty_message: str) -> None:
    """Show a plotly figure in an Output widget as the plotly MIME type (rendered offline by the
    jupyterlab-plotly extension that plotly ships), or a short note when there is none.

    Example:
        >>> output = W.Output()
        >>> figure_output(output, None, "No journey map."); output.outputs[0]["data"]
        {'text/plain': 'No journey map.'}
    """
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


def painpoint_options(cards: Sequence[PainPointCard]) -> list[tuple[str, str]]:
    """(label, pain point id) pairs of a pain-point picker, in rank order.

    Example:
        >>> painpoint_options([PainPointCard("PP01", "Refunds", 1)])
        [('#1 Refunds', 'PP01')]
    """
    return [(f"#{c.rank} {c.label}", c.painpoint_id) for c in cards]


class TabView:
    """What a tab's view uses of the app it is part of (:class:`widgets.workshop.app.WorkshopApp`): the
    states it renders and ``_action``, which wraps a callback so it runs under the app's lock,
    re-renders and never raises.

    Example:
        >>> sorted(TabView.__annotations__)
        ['_action', 'state']
    """

    state: WorkshopState
    _action: Callable[[Callable[..., Any]], Callable[..., None]]

"""Text for the page: customer words made safe for HTML and plotly, vote counts, the round countdown.

Every bit of customer or participant text goes through :func:`escape` before it reaches an
HTML widget, and through :func:`plotly_text` before it reaches a chart.

Example:
    >>> escape("<b>R&D</b>"), votes_text(3)
    ('&lt;b&gt;R&amp;D&lt;/b&gt;', '3 votes')
"""
from __future__ import annotations

import html
import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pandas as pd

from workbench.storage.store import WorkshopSession
from workbench.workshop.app_data import cell_missing


def timer_text(session: WorkshopSession, now: datetime | None = None) -> str:
    """The countdown every app shows: "Time left 1:59", "Time's up" or "" (no timer).

    Example:
        >>> from datetime import timedelta, timezone
        >>> now = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)
        >>> session = WorkshopSession("s", False, 1, 5, 0, round_ends_at=now + timedelta(seconds=119.2))
        >>> timer_text(session, now), timer_text(session, now + timedelta(minutes=3))
        ('Time left 2:00', "Time's up")
    """
    left = session.seconds_left(now)
    if left is None:
        return ""
    if left <= 0:
        return "Time's up" + (": voting is closed" if session.close_at_time_up else "")
    whole = int(math.ceil(left))
    return f"Time left {whole // 60}:{whole % 60:02d}"


def votes_text(n: int) -> str:
    """The count a card shows: "1 vote", "3 votes".

    Example:
        >>> votes_text(0), votes_text(1), votes_text(2)
        ('0 votes', '1 vote', '2 votes')
    """
    return f"{int(n)} vote" if int(n) == 1 else f"{int(n)} votes"


def escape(text: Any) -> str:
    """Customer or participant text made safe for an HTML widget (``<`` ``>`` ``&`` and quotes escaped).

    Example:
        >>> escape('<script>alert("x")</script>')
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
    """
    return html.escape("" if cell_missing(text) else str(text), quote=True)


def plotly_text(text: Any) -> str:
    """Text made inert for plotly, which renders a subset of HTML (``<a href>``, ``<span style>``, ``<b>``…)
    in hover labels, legend names and tick labels, and shows ``&lt;`` ``&gt;`` ``&amp;`` as characters.

    Example:
        >>> plotly_text('<a href="https://evil.example">R&D</a>')
        '&lt;a href="https://evil.example"&gt;R&amp;D&lt;/a&gt;'
    """
    value = "" if cell_missing(text) else str(text)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plotly_safe_columns(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """A copy of ``table`` whose text ``columns`` are made inert for plotly (numbers and gaps stay).

    Example:
        >>> plotly_safe_columns(pd.DataFrame({"stage": ["<b>use</b>"], "n": [2]}), ["stage"]).values.tolist()
        [['&lt;b&gt;use&lt;/b&gt;', 2]]
    """
    table = table.copy()
    for column in columns:
        if column in table.columns:
            table[column] = [v if cell_missing(v) or not isinstance(v, str) else plotly_text(v) for v in table[column]]
    return table

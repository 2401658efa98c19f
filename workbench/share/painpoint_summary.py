"""The plain-text summary of a pain-points table that ``workbench analyze`` and ``cluster`` print.

Statement first, in the customers' words, then the card's short label, severity, reach and
where it sits on the CX map, and one quote. Pain points come first (most severe first);
delights follow apart under "What works", purchase groups under "Why they buy", and context
units (what customers said about themselves) are counted, not listed: they go to personas.

Example:
    >>> import pandas as pd
    >>> table = pd.DataFrame([
    ...     {"painpoint_id": "PP01", "statement": "The refund took seven weeks and I had to chase it.",
    ...      "label": "Refunds take weeks", "kind": "pain", "severity": 71.2, "n_segments": 30,
    ...      "dimension": "customer service", "touchpoint": "call centre", "stage": "support",
    ...      "quote_texts": ["Six weeks and still no refund."]},
    ...     {"painpoint_id": "PP02", "statement": "The lady at the desk walked me all the way to the taxi.",
    ...      "label": "Desk staff", "kind": "delight", "severity": 0.0, "n_segments": 12,
    ...      "quote_texts": ["She walked me to the taxi rank."]}])
    >>> print(format_painpoints(table))
    Pain points, most severe first
    PP01  The refund took seven weeks and I had to chase it.
          [Refunds take weeks] severity 71.2 · 30 items · customer service / call centre / support
          "Six weeks and still no refund."
    <BLANKLINE>
    What works (delights, listed apart from pain points)
    PP02  The lady at the desk walked me all the way to the taxi.
          [Desk staff] 12 items
          "She walked me to the taxi rank."
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from workbench.analysis.kinds import PAINPOINT_KINDS, row_kinds
from workbench.share.values import _as_list, _value

__all__ = ["format_painpoints"]

#: the sections of the summary: heading and the kinds listed under it
SECTIONS = (
    ("Pain points, most severe first", PAINPOINT_KINDS),
    ("What works (delights, listed apart from pain points)", ("delight",)),
    ("Why they buy", ("purchase",)),
)
_QUOTE_CHARS = 110


def format_painpoints(painpoints: pd.DataFrame, limit: int = 15) -> str:
    """Pain points (statement first), then "What works" and "Why they buy", then a context line.

    ``limit`` caps the rows of each section. Results saved before statements existed show the
    label in the statement's place.

    Example:
        >>> print(format_painpoints(pd.DataFrame({"painpoint_id": ["context"], "kind": ["context"],
        ...     "n_units": [29]})))
        29 passages describe the customers themselves (work, household, habits): kept for personas, not clustered.
    """
    kinds = row_kinds(painpoints)
    blocks: list[str] = []
    for heading, wanted in SECTIONS:
        rows = painpoints[kinds.isin(wanted)]
        if rows.empty:
            continue
        lines = [heading]
        for row in rows.head(limit).to_dict("records"):
            lines += _entry(row, show_severity=heading.startswith("Pain"))
        if len(rows) > limit:
            lines.append(f"      … and {len(rows) - limit} more")
        blocks.append("\n".join(lines))
    context = painpoints[kinds == "context"]
    if len(context):
        n_units = int(_value(context.iloc[0].to_dict(), "n_units", _value(context.iloc[0].to_dict(), "n_segments", 0)) or 0)
        blocks.append(f"{n_units} passages describe the customers themselves (work, household, habits): "
                      "kept for personas, not clustered.")
    return "\n\n".join(blocks)


def _entry(row: dict[str, Any], show_severity: bool) -> list[str]:
    """Three lines: id and statement; label, severity, items and CX place; one quote."""
    pid = str(row.get("painpoint_id", ""))
    label = str(_value(row, "label", pid))
    statement = str(_value(row, "statement", "") or "").strip() or label
    facts = []
    if show_severity and _value(row, "severity") is not None:
        facts.append(f"severity {float(row['severity']):.1f}")
    items = _value(row, "n_segments", _value(row, "n_units"))
    if items is not None:
        facts.append(f"{int(items)} items")
    if str(_value(row, "kind", "")) == "mixed":
        facts.append("mixed: pain and neutral talk")
    where = [str(_value(row, name, "") or "") for name in ("dimension", "touchpoint", "stage")]
    where = [w for w in where if w and w != "unknown"]
    if where:
        facts.append(" / ".join(where))
    handle = f"[{label}] " if statement != label else ""
    lines = [f"{pid:<4}  {statement}", f"      {handle}{' · '.join(facts)}".rstrip()]
    quotes = [str(q) for q in _as_list(_value(row, "quote_texts"))]
    if quotes:
        quote = " ".join(quotes[0].split())
        lines.append(f'      "{quote[:_QUOTE_CHARS] + "…" if len(quote) > _QUOTE_CHARS else quote}"')
    return lines
